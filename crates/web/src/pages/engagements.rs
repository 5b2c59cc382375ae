//! The AIP commitments of a structure on its page (Référentiel national de financement de l'AIP,
//! §I.3, §I.4, §II.1, §II.2, §III.3, §IV.1, §IV.2): the gestionnaire attests them in one form
//! (one fieldset per commitment, those left blank unchanged), a Caf agent of the département
//! checks the attestations in another, everyone else reads where each stands. Also the summary
//! of the commitments the comité's decision screen shows.

use app::Plateforme;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Refus;
use domain::acces::Role;
use domain::identifiants::GestionnaireId;
use domain::pieces::{ObjetPiece, Piece};
use domain::structures::{
    AvisCaf, Engagement, EtatEngagement, Gestionnaire, Lieu, SaisieAttestation, SaisieControle,
};
use maud::{Markup, html};
use store::depot::Lu;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::champ_csrf;

/// What was typed in a form of this section: `(name, value)` pairs, the names carrying the
/// commitment's code (`declaration_conformite_rgpd`).
pub type SaisieEngagements = Vec<(String, String)>;

fn valeur<'a>(saisie: Option<&'a SaisieEngagements>, nom: &str) -> &'a str {
    saisie
        .and_then(|s| s.iter().find(|(n, _)| n == nom))
        .map_or("", |(_, v)| v.as_str())
}

/// The field ids of a commitment in the forms.
fn id(prefixe: &str, engagement: Engagement) -> String {
    format!("{prefixe}_{}", engagement.code())
}

/// Where a commitment stands, in words: the last attestation and the last check.
pub fn situation(g: &Gestionnaire, engagement: Engagement) -> Markup {
    let etat = g.engagements.etat(engagement);
    let suivi = g.engagements.suivi(engagement);
    let classe = match etat {
        EtatEngagement::Controle(AvisCaf::Conforme) => "badge succes",
        EtatEngagement::Controle(AvisCaf::NonConforme) => "badge",
        _ => "badge alerte",
    };
    html! {
        span class=(classe) { (etat.libelle()) }
        @if let Some(a) = suivi.and_then(|s| s.attestation.as_ref()) {
            " Attesté " (if a.respecte { "respecté" } else { "non respecté" }) " le " (fr::date(a.date))
            " : « " (a.declaration) " »"
            @if let Some(p) = a.piece {
                " (" a href={ "/structures/" (g.id) "#piece-" (p) } { "pièce justificative n°" (p) } ")"
            }
            "."
        }
        @if let Some(c) = suivi.and_then(|s| s.controle.as_ref()) {
            " Contrôle de la Caf du " (fr::date(c.le.date())) " : " (c.avis.libelle())
            @if let Some(m) = &c.commentaire { " – " (m) }
            "."
        }
    }
}

/// The commitments and where each stands, as a list (the decision screen, and readers of the
/// structure page).
pub fn liste_engagements(g: &Gestionnaire) -> Markup {
    html! {
        ul.engagements {
            @for engagement in g.engagements_applicables() {
                li {
                    strong { (engagement.libelle()) } " " span.aide { "(" (engagement.source()) ")" }
                    br;
                    (situation(g, engagement))
                }
            }
        }
    }
}

/// The same list as HTML text, for the pages not yet written as templates.
pub fn liste(g: &Gestionnaire) -> String {
    liste_engagements(g).into_string()
}

/// The sites that offer both appointments and walk-in hours (Référentiel national de financement
/// de l'AIP, §II.1), as a hint beside those two commitments.
fn indice_lieux(engagement: Engagement, lieux: &[Lu<Lieu>]) -> Markup {
    if !matches!(
        engagement,
        Engagement::AccueilSurRendezVous | Engagement::PermanenceSansRendezVous
    ) {
        return html! {};
    }
    let les_deux = lieux
        .iter()
        .filter(|l| l.valeur.offre_rendez_vous_et_permanence())
        .count();
    html! {
        p.aide {
            "D'après les lieux d'accueil enregistrés : " (les_deux) " sur " (lieux.len())
            " propose(nt) à la fois des entretiens sur rendez-vous et une permanence sans rendez-vous."
        }
    }
}

/// The « Engagements (AIP) » section of a structure's page: the gestionnaire's form, the Caf's
/// form, or the list alone.
pub fn section(
    c: &Connecte,
    g: &Lu<Gestionnaire>,
    lieux: &[Lu<Lieu>],
    pieces: &[Piece],
    saisie: Option<&SaisieEngagements>,
    x: &Erreurs,
) -> Markup {
    let structure = &g.valeur;
    let gestionnaire =
        c.acteur.role == Role::Gestionnaire && c.acteur.gestionnaires.contains(&structure.id);
    let caf =
        c.acteur.role == Role::Caf && c.acteur.departements.contains(&structure.departement_siege);
    html! {
        h2 #engagements { "Engagements (AIP)" }
        p {
            "Le référentiel national de financement de l'AIP demande à la structure de tenir ces engagements. "
            "Le gestionnaire atteste chacun d'eux ; la Caf du département contrôle chaque attestation. "
            "Le comité ne valide un projet AIP que si la Caf les a tous contrôlés conformes, sauf dérogation motivée."
        }
        @if gestionnaire {
            (formulaire_attestation(c, g, lieux, pieces, saisie, x))
        } @else if caf {
            (formulaire_controle(c, g, lieux, saisie, x))
        } @else {
            (liste_engagements(structure))
        }
    }
}

/// The structure's pieces a commitment can rest on, as choices: `(id, « type – file (vN) »)`.
fn choix_pieces(pieces: &[Piece]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "Aucune".to_owned()))
        .chain(pieces.iter().filter_map(|p| {
            p.derniere().map(|v| {
                (
                    p.id.0.to_string(),
                    format!(
                        "{} – {} (version {})",
                        p.type_piece.libelle(),
                        v.nom_fichier,
                        v.numero
                    ),
                )
            })
        }))
        .collect()
}

/// A commitment's legend: its name and source.
fn legende(engagement: Engagement) -> Markup {
    html! { legend { (engagement.libelle()) " " span.aide { "(" (engagement.source()) ")" } } }
}

fn formulaire_attestation(
    c: &Connecte,
    g: &Lu<Gestionnaire>,
    lieux: &[Lu<Lieu>],
    pieces: &[Piece],
    saisie: Option<&SaisieEngagements>,
    x: &Erreurs,
) -> Markup {
    let structure = &g.valeur;
    let choix_pieces = choix_pieces(pieces);
    let choix_pieces: Vec<(&str, &str)> = choix_pieces
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let aujourd_hui = time::OffsetDateTime::now_utc().date().to_string();
    let choix = [
        ("", "Ne pas attester maintenant"),
        ("oui", "Respecté"),
        ("non", "Non respecté"),
    ];
    html! {
        form method="post" action={ "/structures/" (structure.id) "/engagements" } novalidate {
            (champ_csrf(c))
            input type="hidden" name="version" value=(g.version);
            p.aide {
                "Seuls les engagements pour lesquels vous choisissez « Respecté » ou « Non respecté » sont enregistrés ; une nouvelle attestation devra être contrôlée à nouveau par la Caf."
            }
            @for engagement in structure.engagements_applicables() {
                @let (respecte, declaration, date, piece) = (
                    id("respecte", engagement),
                    id("declaration", engagement),
                    id("date", engagement),
                    id("piece", engagement),
                );
                @let piece_choisie = match valeur(saisie, &piece) {
                    "" if saisie.is_none() => structure
                        .engagements
                        .suivi(engagement)
                        .and_then(|s| s.attestation.as_ref())
                        .and_then(|a| a.piece)
                        .map_or(String::new(), |p| p.to_string()),
                    v => v.to_owned(),
                };
                @let date_saisie = match valeur(saisie, &date) {
                    "" => aujourd_hui.as_str(),
                    v => v,
                };
                fieldset {
                    (legende(engagement))
                    p { (situation(structure, engagement)) }
                    (indice_lieux(engagement, lieux))
                    (Champ::new(&respecte, "Votre attestation").erreurs(x).liste(&choix, valeur(saisie, &respecte)))
                    (Champ::new(&declaration, "Déclaration")
                        .aide("Comment l'engagement est tenu, ou pourquoi il ne l'est pas")
                        .erreurs(x).zone(valeur(saisie, &declaration)))
                    (Champ::new(&date, "Date de l'attestation").erreurs(x).saisie("date", date_saisie))
                    (Champ::new(&piece, "Pièce justificative")
                        .aide("Un document joint à la structure, dans « Pièces justificatives » ci-dessous (charte signée, attestation…)")
                        .erreurs(x).liste(&choix_pieces, &piece_choisie))
                }
            }
            button type="submit" { "Enregistrer les attestations" }
        }
    }
}

fn formulaire_controle(
    c: &Connecte,
    g: &Lu<Gestionnaire>,
    lieux: &[Lu<Lieu>],
    saisie: Option<&SaisieEngagements>,
    x: &Erreurs,
) -> Markup {
    let structure = &g.valeur;
    let avis: Vec<(&str, &str)> = std::iter::once(("", "Pas de changement"))
        .chain(AvisCaf::TOUS.iter().map(|a| (a.code(), a.libelle())))
        .collect();
    let (non_attestes, a_controler): (Vec<Engagement>, Vec<Engagement>) = structure
        .engagements_applicables()
        .into_iter()
        .partition(|e| structure.engagements.etat(*e) == EtatEngagement::NonAtteste);
    html! {
        @if a_controler.is_empty() {
            p { "Aucune attestation à contrôler." }
        } @else {
            form method="post" action={ "/structures/" (structure.id) "/engagements/controle" } novalidate {
                (champ_csrf(c))
                input type="hidden" name="version" value=(g.version);
                @for engagement in &a_controler {
                    @let (avis_id, commentaire) = (id("avis", *engagement), id("commentaire", *engagement));
                    fieldset {
                        (legende(*engagement))
                        p { (situation(structure, *engagement)) }
                        (indice_lieux(*engagement, lieux))
                        (Champ::new(&avis_id, "Contrôle de la Caf").erreurs(x).liste(&avis, valeur(saisie, &avis_id)))
                        (Champ::new(&commentaire, "Commentaire")
                            .aide("Obligatoire si non conforme ou à vérifier")
                            .erreurs(x).zone(valeur(saisie, &commentaire)))
                    }
                }
                button type="submit" { "Enregistrer les contrôles" }
            }
        }
        @if !non_attestes.is_empty() {
            p { "Pas encore attestés par le gestionnaire :" }
            ul {
                @for engagement in &non_attestes {
                    li { (engagement.libelle()) " " span.aide { "(" (engagement.source()) ")" } }
                }
            }
        }
    }
}

/// The csrf token and version of a submitted form of this section.
fn entete(saisie: &SaisieEngagements) -> (Option<&str>, Option<i64>) {
    let csrf = saisie
        .iter()
        .find(|(n, _)| n == "_csrf")
        .map(|(_, v)| v.as_str());
    let version = saisie
        .iter()
        .find(|(n, _)| n == "version")
        .and_then(|(_, v)| v.trim().parse().ok());
    (csrf, version)
}

/// The errors of an attestation, each on its field: the domain's check run on the statement
/// alone (the date set to the day), then on the date alone (any statement), so that both are
/// reported at once.
fn erreurs_attestation(
    x: &mut Erreurs,
    engagement: Engagement,
    attestation: &SaisieAttestation,
    aujourd_hui: Date,
) {
    let seule_declaration = SaisieAttestation {
        date: aujourd_hui,
        ..attestation.clone()
    };
    if let Err(r) = seule_declaration.verifier(aujourd_hui) {
        let message = match r {
            Refus::Incomplet { .. } => {
                "Déclaration : à remplir pour attester l'engagement".to_owned()
            }
            autre => autre.to_string(),
        };
        x.ajouter(&id("declaration", engagement), message);
    }
    let seule_date = SaisieAttestation {
        declaration: "–".to_owned(),
        ..attestation.clone()
    };
    if let Err(r) = seule_date.verifier(aujourd_hui) {
        x.ajouter(&id("date", engagement), r.to_string());
    }
}

async fn refuser(
    p: &Plateforme,
    c: &Connecte,
    id: i64,
    saisie: &SaisieEngagements,
    x: Erreurs,
) -> Result<Response, ErreurWeb> {
    Ok((
        x.statut(),
        Html(
            super::structures::rendre_fiche(
                p,
                c,
                id,
                super::structures::SaisieFiche::Engagements(saisie),
                &x,
            )
            .await?,
        ),
    )
        .into_response())
}

/// `POST /structures/{id}/engagements`: the gestionnaire attests commitments.
pub async fn attester(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id_structure): Path<i64>,
    Form(saisie): Form<SaisieEngagements>,
) -> Result<Response, ErreurWeb> {
    let (jeton, version) = entete(&saisie);
    c.verifier_csrf(jeton)?;
    let p = &etat.plateforme;
    let g = p
        .gestionnaire(&c.acteur, GestionnaireId(id_structure))
        .await?;
    let pieces = p
        .pieces_de(
            &c.acteur,
            ObjetPiece::Gestionnaire(GestionnaireId(id_structure)),
        )
        .await?;
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let mut x = Erreurs::default();
    let mut attestations = Vec::new();
    for engagement in g.valeur.engagements_applicables() {
        let respecte = match valeur(Some(&saisie), &id("respecte", engagement)) {
            "oui" => true,
            "non" => false,
            _ => {
                if !valeur(Some(&saisie), &id("declaration", engagement))
                    .trim()
                    .is_empty()
                {
                    x.ajouter(
                        &id("respecte", engagement),
                        "Votre attestation : choisissez « Respecté » ou « Non respecté » pour enregistrer la déclaration",
                    );
                }
                continue;
            }
        };
        let texte_date = valeur(Some(&saisie), &id("date", engagement)).trim();
        let Ok(date) = Date::parse(texte_date, format_description!("[year]-[month]-[day]")) else {
            x.ajouter(
                &id("date", engagement),
                format!("Date de l'attestation : « {texte_date} » n'est pas une date (jj/mm/aaaa)"),
            );
            continue;
        };
        let piece = match valeur(Some(&saisie), &id("piece", engagement)).trim() {
            "" => None,
            texte => match texte.parse::<i64>() {
                Ok(n) if pieces.iter().any(|p| p.id.0 == n) => u64::try_from(n).ok(),
                _ => {
                    x.ajouter(
                        &id("piece", engagement),
                        "Pièce justificative : choisissez un document joint à la structure",
                    );
                    continue;
                }
            },
        };
        let attestation = SaisieAttestation {
            respecte,
            declaration: valeur(Some(&saisie), &id("declaration", engagement)).to_owned(),
            date,
            piece,
        };
        match attestation.verifier(aujourd_hui) {
            Ok(_) => attestations.push((engagement, attestation)),
            Err(_) => erreurs_attestation(&mut x, engagement, &attestation, aujourd_hui),
        }
    }
    if x.est_vide() && attestations.is_empty() {
        x.ajouter(
            "",
            "Aucun engagement attesté : choisissez « Respecté » ou « Non respecté » pour au moins un engagement",
        );
    }
    if !x.est_vide() {
        return refuser(p, &c, id_structure, &saisie, x).await;
    }
    match p
        .attester_engagements(
            &c.acteur,
            GestionnaireId(id_structure),
            version,
            attestations,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/structures/{id_structure}#engagements")).into_response())
        }
        Err(a) => {
            refuser(
                p,
                &c,
                id_structure,
                &saisie,
                Erreurs::depuis_app(a, &[], "")?,
            )
            .await
        }
    }
}

/// `POST /structures/{id}/engagements/controle`: a Caf agent checks attestations.
pub async fn controler(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id_structure): Path<i64>,
    Form(saisie): Form<SaisieEngagements>,
) -> Result<Response, ErreurWeb> {
    let (jeton, version) = entete(&saisie);
    c.verifier_csrf(jeton)?;
    let p = &etat.plateforme;
    let g = p
        .gestionnaire(&c.acteur, GestionnaireId(id_structure))
        .await?;
    let mut x = Erreurs::default();
    let mut controles = Vec::new();
    for engagement in g.valeur.engagements_applicables() {
        let Some(avis) = AvisCaf::depuis_code(valeur(Some(&saisie), &id("avis", engagement)))
        else {
            continue;
        };
        let controle = SaisieControle {
            avis,
            commentaire: valeur(Some(&saisie), &id("commentaire", engagement)).to_owned(),
        };
        match controle.verifier() {
            Ok(_) => controles.push((engagement, controle)),
            Err(r) => x.ajouter(
                &id("commentaire", engagement),
                match r {
                    Refus::Incomplet { .. } => {
                        "Commentaire : obligatoire pour un engagement non conforme ou à vérifier"
                            .to_owned()
                    }
                    autre => autre.to_string(),
                },
            ),
        }
    }
    if x.est_vide() && controles.is_empty() {
        x.ajouter(
            "",
            "Aucun contrôle saisi : choisissez un avis pour au moins un engagement",
        );
    }
    if !x.est_vide() {
        return refuser(p, &c, id_structure, &saisie, x).await;
    }
    match p
        .controler_engagements(
            &c.acteur,
            GestionnaireId(id_structure),
            version,
            controles,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/structures/{id_structure}#engagements")).into_response())
        }
        Err(a) => {
            refuser(
                p,
                &c,
                id_structure,
                &saisie,
                Erreurs::depuis_app(a, &[], "")?,
            )
            .await
        }
    }
}
