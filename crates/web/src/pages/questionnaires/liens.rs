//! `/structures/{id}/questionnaire`: the structure's two questionnaire links, each with its QR
//! code (SVG, drawn by the `qrcode` crate: docs/adr/0026) and a printable poster, and the form
//! that renews a link (the old one stops working; audited). For the structure's staff and the
//! Caf agents of its département.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::evaluation::questionnaire::Public;
use domain::identifiants::GestionnaireId;
use maud::{Markup, PreEscaped, html};
use qrcode::QrCode;
use qrcode::render::svg;
use serde::Deserialize;

use super::{chemin, public_de};
use crate::erreur::ErreurWeb;
use crate::pages::donnees_ouvertes::adresse_publique;
use crate::session::Connecte;
use crate::vue::{self, champ_csrf};
use crate::{Etat, fr};

/// The full address of a link, as the QR code and the poster carry it.
fn adresse_complete(etat: &Etat, entetes: &HeaderMap, public: Public, code: &str) -> String {
    format!(
        "{}{}",
        adresse_publique(etat, entetes),
        chemin(public, code)
    )
}

/// The QR code of `adresse` as an SVG document (black on white, with its quiet zone).
fn dessiner_qr(adresse: &str) -> Result<String, ErreurWeb> {
    let code = QrCode::new(adresse.as_bytes()).map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// The QR code inlined in a page, described for screen readers.
fn qr_en_ligne(adresse: &str, description: &str) -> Result<Markup, ErreurWeb> {
    let svg = dessiner_qr(adresse)?;
    // Drop the XML declaration; name the image.
    let corps = svg
        .find("<svg")
        .map_or(svg.as_str(), |debut| &svg[debut..])
        .replacen(
            "<svg",
            &format!(
                "<svg role=\"img\" aria-label=\"{}\"",
                html! { (description) }.into_string()
            ),
            1,
        );
    Ok(html! { div.qr-code { (PreEscaped(corps)) } })
}

/// A short French name of a questionnaire's readers.
fn pour_qui(public: Public) -> &'static str {
    match public {
        Public::Parents => "les parents",
        Public::Partenaires => "les professionnels et les partenaires",
    }
}

/// `GET /structures/{id}/questionnaire`.
pub async fn page_liens(
    State(etat): State<Etat>,
    c: Connecte,
    entetes: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    let maintenant = time::OffsetDateTime::now_utc();
    let (structure, liens) = etat
        .plateforme
        .liens_questionnaires(&c.acteur, GestionnaireId(id), maintenant)
        .await?;
    let mut sections = Vec::new();
    for public in Public::TOUS {
        let code = liens.code(public).as_str();
        let adresse = adresse_complete(&etat, &entetes, public, code);
        let qr = qr_en_ligne(
            &adresse,
            &format!("QR code du {} : {adresse}", public.libelle().to_lowercase()),
        )?;
        sections.push(html! {
            section.lien-questionnaire aria-labelledby={ "titre-" (public.code()) } {
                h2 id={ "titre-" (public.code()) } { (public.libelle()) }
                p { "À donner à " (pour_qui(public)) " : le même lien pour tous, il ne désigne personne." }
                p.adresse-lien { a href=(chemin(public, code)) { (adresse) } }
                (qr)
                ul.actions-lien {
                    li { a href={ "/structures/" (id) "/questionnaire/affiche?public=" (public.code()) } { "Affiche à imprimer" } }
                    li { a href={ "/structures/" (id) "/questionnaire/" (public.code()) ".svg" } download { "Télécharger le QR code (SVG)" } }
                    @if public == Public::Parents {
                        li { a href={ (chemin(public, code)) "/facile" } { "Version facile à lire" } }
                    }
                }
                form.renouveler method="post" action={ "/structures/" (id) "/questionnaire/renouveler" } {
                    (champ_csrf(&c))
                    input type="hidden" name="public" value=(public.code());
                    button.secondaire type="submit" { "Renouveler ce lien" }
                    p.aide { "L’ancien lien et ses affiches ne fonctionneront plus. À faire si le lien a circulé hors de la structure." }
                }
            }
        });
    }
    let renouvele = liens
        .renouvele_le
        .map(|t| fr::date(fr::heure_de_paris(t).date()));
    Ok(Html(
        vue::page(
            &format!("Questionnaires d’évaluation – {}", structure.raison_sociale),
            Some(&c),
            "/structures",
            html! {
                p { a href={ "/structures/" (id) } { "← Retour à la structure" } }
                h1 { "Questionnaires d’évaluation" }
                p { "Structure : " strong { (structure.raison_sociale) } }
                p {
                    "Ces deux questionnaires anonymes servent à évaluer l’accompagnement individuel à la parentalité. "
                    "Chaque lien est propre à la structure, jamais à une famille : proposez-le à tous, "
                    "à la fin d’un accompagnement, par une affiche dans la salle d’attente ou par message. "
                    "Les résultats ne sont montrés qu’en totaux, un total inférieur à 5 étant masqué."
                }
                @if let Some(d) = renouvele { p { "Dernier renouvellement d’un lien : " (d) "." } }
                @for s in &sections { (s) }
                p { a href={ "/evaluation/questionnaires?structure=" (id) } { "Voir les résultats de la structure" } }
            },
        )
        .into_string(),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ChoixPublic {
    public: Option<String>,
}

/// `GET /structures/{id}/questionnaire/affiche?public=…`: a page to print, the QR code large.
pub async fn affiche(
    State(etat): State<Etat>,
    c: Connecte,
    entetes: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<ChoixPublic>,
) -> Result<Html<String>, ErreurWeb> {
    let public = public_de(q.public.as_deref());
    let (structure, liens) = etat
        .plateforme
        .liens_questionnaires(
            &c.acteur,
            GestionnaireId(id),
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    let adresse = adresse_complete(&etat, &entetes, public, liens.code(public).as_str());
    let qr = qr_en_ligne(&adresse, &format!("QR code vers {adresse}"))?;
    let (titre, texte): (&str, &[&str]) = match public {
        Public::Parents => (
            "Votre avis compte",
            &[
                "Deux minutes pour nous dire si l’accompagnement vous a aidé.",
                "C’est anonyme : pas de nom, pas d’adresse.",
                "Scannez le code avec votre téléphone.",
            ],
        ),
        Public::Partenaires => (
            "Professionnels et partenaires : votre avis",
            &[
                "Quelques questions sur l’accompagnement individuel à la parentalité et sa place à côté des actions collectives.",
                "C’est anonyme.",
                "Scannez le code avec votre téléphone.",
            ],
        ),
    };
    Ok(Html(
        vue::page(
            &format!("Affiche – {}", public.libelle()),
            Some(&c),
            "/structures",
            html! {
                div.affiche-questionnaire {
                    h1 { (titre) }
                    p.structure { (structure.raison_sociale) }
                    @for t in texte { p { (t) } }
                    (qr)
                    p.adresse-lien { "Ou tapez : " strong { (adresse) } }
                }
                p.actions { a href={ "/structures/" (id) "/questionnaire" } { "← Retour aux liens" } " · Imprimez cette page avec la commande d’impression du navigateur." }
            },
        )
        .into_string(),
    ))
}

/// `GET /structures/{id}/questionnaire/{public}.svg`: the QR code alone, to download.
pub async fn qr_svg(
    State(etat): State<Etat>,
    c: Connecte,
    entetes: HeaderMap,
    Path((id, fichier)): Path<(i64, String)>,
) -> Result<Response, ErreurWeb> {
    let public = fichier
        .strip_suffix(".svg")
        .and_then(Public::depuis_code)
        .ok_or(ErreurWeb::Introuvable)?;
    let (_, liens) = etat
        .plateforme
        .liens_questionnaires(
            &c.acteur,
            GestionnaireId(id),
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    let svg = dessiner_qr(&adresse_complete(
        &etat,
        &entetes,
        public,
        liens.code(public).as_str(),
    ))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        svg,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct Renouvellement {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    public: Option<String>,
}

/// `POST /structures/{id}/questionnaire/renouveler`.
pub async fn renouveler(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<Renouvellement>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let public = public_de(f.public.as_deref());
    etat.plateforme
        .renouveler_lien_questionnaire(
            &c.acteur,
            GestionnaireId(id),
            public,
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Redirect::to(&format!("/structures/{id}/questionnaire")).into_response())
}
