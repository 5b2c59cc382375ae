//! The sites (lieux d'accueil) of a structure: the form that adds one (every error of a
//! submission at once, each on its field) and its handler.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::identifiants::{CodeInsee, GestionnaireId};
use domain::structures::{Adresse, Lieu, ModaliteAccueil};
use maud::{Markup, html};
use serde::Deserialize;

use super::fiche::{SaisieFiche, rendre_fiche};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::session::Connecte;
use crate::vue::champ_csrf;

/// A site as typed.
#[derive(Debug, Deserialize, Default)]
pub struct NouveauLieu {
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    #[serde(default)]
    pub nom_lieu: String,
    #[serde(default)]
    pub voie_lieu: String,
    #[serde(default)]
    pub code_postal_lieu: String,
    #[serde(default)]
    pub commune_lieu: String,
    pub rdv: Option<String>,
    pub sans_rdv: Option<String>,
    pub visio: Option<String>,
    pub telephone: Option<String>,
}

/// The form, holding `l`.
pub(super) fn formulaire(c: &Connecte, id: i64, l: &NouveauLieu, x: &Erreurs) -> Markup {
    let err_modalites = x.de("rdv");
    html! {
        form method="post" action={ "/structures/" (id) "/lieux" } novalidate {
            fieldset {
                legend { "Ajouter un lieu d'accueil" }
                (champ_csrf(c))
                (Champ::new("nom_lieu", "Nom du lieu").erreurs(x).texte(&l.nom_lieu))
                (Champ::new("voie_lieu", "Adresse").erreurs(x).texte(&l.voie_lieu))
                (Champ::new("code_postal_lieu", "Code postal").erreurs(x).clavier(Clavier::Numerique).texte(&l.code_postal_lieu))
                (Champ::new("commune_lieu", "Code INSEE de la commune").erreurs(x).texte(&l.commune_lieu))
                fieldset class=[err_modalites.is_some().then_some("champ en-erreur")] {
                    legend { "Modalités d'accueil" }
                    @if let Some(m) = &err_modalites {
                        p.message-erreur #rdv-erreur { (m) }
                    }
                    (Champ::new("rdv", "Sur rendez-vous").erreur_du_groupe(err_modalites.is_some().then_some("rdv-erreur")).case(l.rdv.is_some()))
                    (Champ::new("sans_rdv", "Permanence sans rendez-vous").case(l.sans_rdv.is_some()))
                    (Champ::new("visio", "Visioconférence").case(l.visio.is_some()))
                    (Champ::new("telephone", "Téléphone").case(l.telephone.is_some()))
                }
                button type="submit" { "Ajouter le lieu" }
            }
        }
    }
}

/// A site as typed, every field checked: every error at once.
fn lire(
    id: i64,
    f: &NouveauLieu,
) -> Result<impl FnOnce(domain::identifiants::LieuId) -> Lieu, Erreurs> {
    let mut x = Erreurs::default();
    if f.nom_lieu.trim().is_empty() {
        x.ajouter("nom_lieu", "Nom du lieu : champ obligatoire");
    }
    if f.voie_lieu.trim().is_empty() {
        x.ajouter("voie_lieu", "Adresse : champ obligatoire");
    }
    let cp = f.code_postal_lieu.trim();
    if cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()) {
        x.ajouter(
            "code_postal_lieu",
            format!("Code postal : 5 chiffres (reçu « {cp} »)"),
        );
    }
    let commune = CodeInsee::parse(f.commune_lieu.trim())
        .map_err(|m| x.ajouter("commune_lieu", format!("Code INSEE de la commune : {m}")))
        .ok();
    let mut modalites = std::collections::BTreeSet::new();
    for (present, m) in [
        (f.rdv.is_some(), ModaliteAccueil::SurRendezVous),
        (f.sans_rdv.is_some(), ModaliteAccueil::SansRendezVous),
        (f.visio.is_some(), ModaliteAccueil::Visio),
        (f.telephone.is_some(), ModaliteAccueil::Telephone),
    ] {
        if present {
            modalites.insert(m);
        }
    }
    if modalites.is_empty() {
        x.ajouter("rdv", "Modalités d'accueil : cochez-en au moins une");
    }
    match commune {
        Some(commune) if x.est_vide() => {
            let (nom, voie, code_postal) = (
                f.nom_lieu.trim().to_owned(),
                f.voie_lieu.trim().to_owned(),
                cp.to_owned(),
            );
            Ok(move |lid| Lieu {
                id: lid,
                gestionnaire: GestionnaireId(id),
                nom,
                adresse: Adresse {
                    voie,
                    complement: None,
                    code_postal,
                    commune,
                },
                modalites,
            })
        }
        _ => Err(x),
    }
}

/// `POST /structures/{id}/lieux`.
pub async fn ajouter_lieu(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<NouveauLieu>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let resultat = match lire(id, &f) {
        Ok(lieu) => match p
            .ajouter_lieu(&c.acteur, lieu, time::OffsetDateTime::now_utc())
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/structures/{id}")).into_response()),
            // Each field was checked above; what the rules still refuse is the text of the
            // name (characters, length).
            Err(a) => Erreurs::depuis_app(a, &[], "nom_lieu")?,
        },
        Err(x) => x,
    };
    Ok((
        resultat.statut(),
        Html(rendre_fiche(p, &c, id, SaisieFiche::Lieu(&f), &resultat).await?),
    )
        .into_response())
}
