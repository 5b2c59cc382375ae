//! The bank details of a structure on its page: shown in full to its gestionnaires and to the
//! agents of its Caf, masked to anyone else; and the form with which they record them (every
//! error of a submission at once, each next to its field, what was typed kept).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::identifiants::GestionnaireId;
use domain::structures::{CoordonneesBancaires, Gestionnaire, normaliser_iban};
use maud::{Markup, html};
use serde::Deserialize;
use store::depot::Lu;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Erreurs};
use crate::pages::structures::{SaisieFiche, rendre_fiche};
use crate::session::Connecte;
use crate::vue::champ_csrf;

/// The section of the structure's page, holding what a refused form typed.
pub fn section(
    c: &Connecte,
    lu: &Lu<Gestionnaire>,
    saisie: Option<&SaisieBanque>,
    x: &Erreurs,
) -> Markup {
    let g = &lu.valeur;
    let complet = g.voit_iban_complet(&c.acteur);
    let (iban, bic, titulaire) = match (saisie, &g.banque) {
        (Some(s), _) => (s.iban.clone(), s.bic.clone(), s.titulaire.clone()),
        (None, Some(b)) => (b.iban_lisible(), b.bic.clone(), b.titulaire.clone()),
        (None, None) => Default::default(),
    };
    html! {
        h2 { "Coordonnées bancaires" }
        @match &g.banque {
            Some(b) => {
                dl.fiche {
                    dt { "IBAN" } dd { (if complet { b.iban_lisible() } else { b.iban_masque() }) }
                    dt { "BIC" } dd { (b.bic) }
                    dt { "Titulaire du compte" } dd { (b.titulaire) }
                }
            }
            None => {
                p { "Aucune coordonnée bancaire enregistrée : la Caf ne peut pas verser les paiements de cette structure." }
            }
        }
        @if complet {
            form method="post" action={ "/structures/" (g.id.0) "/banque" } novalidate {
                (champ_csrf(c))
                input type="hidden" name="version" value=(lu.version);
                (Champ::new("iban", "IBAN (compte en France, espaces acceptés)").erreurs(x).autocomplete("off").requis().texte(&iban))
                (Champ::new("bic", "BIC").erreurs(x).autocomplete("off").requis().texte(&bic))
                (Champ::new("titulaire", "Titulaire du compte").erreurs(x).requis().texte(&titulaire))
                p { button type="submit" { "Enregistrer les coordonnées bancaires" } }
            }
        }
    }
}

/// The bank details as typed.
#[derive(Debug, Deserialize)]
pub struct SaisieBanque {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    version: Option<i64>,
    #[serde(default)]
    iban: String,
    #[serde(default)]
    bic: String,
    #[serde(default)]
    titulaire: String,
}

/// A valid IBAN and BIC, to run the rules' check on one other field alone.
const IBAN_NEUTRE: &str = "FR7630006000011234567890189";
const BIC_NEUTRE: &str = "AGRIFRPP";

/// The bank details typed, every field checked by the rules' own check, each alone (the other
/// fields set to valid values): every error at once.
fn lire(s: &SaisieBanque) -> Result<CoordonneesBancaires, Erreurs> {
    let mut x = Erreurs::default();
    if let Err(r) = normaliser_iban(&s.iban) {
        x.ajouter("iban", format!("IBAN : {}", r.raison()));
    }
    if let Err(r) = CoordonneesBancaires::saisir(IBAN_NEUTRE, &s.bic, "Titulaire") {
        x.ajouter("bic", format!("BIC : {}", r.raison()));
    }
    if let Err(r) = CoordonneesBancaires::saisir(IBAN_NEUTRE, BIC_NEUTRE, &s.titulaire) {
        x.ajouter("titulaire", format!("Titulaire du compte : {}", r.raison()));
    }
    if !x.est_vide() {
        return Err(x);
    }
    CoordonneesBancaires::saisir(&s.iban, &s.bic, &s.titulaire)
        .map_err(|r| Erreurs::une("iban", format!("IBAN : {}", r.raison())))
}

/// `POST /structures/{id}/banque`.
pub async fn enregistrer(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(saisie): Form<SaisieBanque>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(saisie.csrf.as_deref())?;
    let p = &etat.plateforme;
    let erreurs = match lire(&saisie) {
        Ok(coordonnees) => match p
            .enregistrer_coordonnees_bancaires(
                &c.acteur,
                GestionnaireId(id),
                saisie.version,
                coordonnees,
                time::OffsetDateTime::now_utc(),
            )
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/structures/{id}")).into_response()),
            Err(e) => Erreurs::depuis_app(e, &[], "iban")?,
        },
        Err(x) => x,
    };
    Ok((
        erreurs.statut(),
        Html(rendre_fiche(p, &c, id, SaisieFiche::Banque(&saisie), &erreurs).await?),
    )
        .into_response())
}
