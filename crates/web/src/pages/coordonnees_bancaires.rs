//! The bank details of a structure on its page: shown in full to its gestionnaires and to the
//! agents of its Caf, masked to anyone else; and the form with which they record them.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::identifiants::GestionnaireId;
use domain::structures::{CoordonneesBancaires, Gestionnaire};
use maud::html;
use serde::Deserialize;
use store::depot::Lu;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::session::Connecte;

/// The section of the structure's page, as HTML.
pub fn section(c: &Connecte, lu: &Lu<Gestionnaire>) -> String {
    let g = &lu.valeur;
    let complet = g.voit_iban_complet(&c.acteur);
    html! {
        h2 { "Coordonnées bancaires" }
        @match &g.banque {
            Some(b) => {
                dl class="fiche" {
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
            form method="post" action={ "/structures/" (g.id.0) "/banque" } {
                input type="hidden" name="_csrf" value=(c.csrf);
                input type="hidden" name="version" value=(lu.version);
                p {
                    label for="iban" { "IBAN (compte en France, espaces acceptés)" }
                    input id="iban" name="iban" autocomplete="off" required
                        value=[g.banque.as_ref().map(CoordonneesBancaires::iban_lisible)];
                }
                p {
                    label for="bic" { "BIC" }
                    input id="bic" name="bic" autocomplete="off" required
                        value=[g.banque.as_ref().map(|b| b.bic.clone())];
                }
                p {
                    label for="titulaire" { "Titulaire du compte" }
                    input id="titulaire" name="titulaire" required
                        value=[g.banque.as_ref().map(|b| b.titulaire.clone())];
                }
                p { button type="submit" { "Enregistrer les coordonnées bancaires" } }
            }
        }
    }
    .into_string()
}

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

/// `POST /structures/{id}/banque`.
pub async fn enregistrer(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(saisie): Form<SaisieBanque>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(saisie.csrf.as_deref())?;
    let coordonnees = CoordonneesBancaires::saisir(&saisie.iban, &saisie.bic, &saisie.titulaire)
        .map_err(app::ErreurApp::from)?;
    etat.plateforme
        .enregistrer_coordonnees_bancaires(
            &c.acteur,
            GestionnaireId(id),
            saisie.version,
            coordonnees,
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Redirect::to(&format!("/structures/{id}")).into_response())
}
