//! The session form: the values typed, kept when it is refused, and the handler
//! `POST /activite/entretiens`, which reports every error of the submission at once (see
//! `verification`). Step, mode and attendance have no default: a missing choice is
//! an error on that field.

use std::collections::{BTreeSet, HashMap};

use activite::nomenclature::Modalite;
use activite::{Orientation, SuiviActivite, Sujet};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::identifiants::GestionnaireId;
use time::OffsetDateTime;

use super::verification::{champ_de, lire_saisie, message_de};
use super::{Choix, Retour, page, reponse};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::session::Connecte;

/// What was typed in the session form, shown again when it is refused.
#[derive(Debug, Default, Clone)]
pub(super) struct ValeursEntretien {
    pub identifiant_famille: String,
    pub date: String,
    pub duree_minutes: String,
    pub etape: String,
    pub mode: String,
    pub presence: String,
    /// The codes of the subjects ticked (`sujets_<code>`).
    pub sujets: BTreeSet<String>,
    pub orientations: BTreeSet<String>,
    pub intervenant: String,
    pub lieu: String,
    pub motif_exception: String,
    pub reference: String,
}

/// The codes of a list ticked in the form, each box named `<nom>_<code>`.
fn cases<T: Modalite>(f: &HashMap<String, String>, nom: &str) -> BTreeSet<String> {
    T::TOUTES
        .iter()
        .map(|v| v.code())
        .filter(|code| f.contains_key(&format!("{nom}_{code}")))
        .map(str::to_owned)
        .collect()
}

impl ValeursEntretien {
    pub fn depuis(f: &HashMap<String, String>) -> ValeursEntretien {
        let texte = |n: &str| f.get(n).cloned().unwrap_or_default();
        ValeursEntretien {
            identifiant_famille: texte("identifiant_famille"),
            date: texte("date"),
            duree_minutes: texte("duree_minutes"),
            etape: texte("etape"),
            mode: texte("mode"),
            presence: texte("presence"),
            sujets: cases::<Sujet>(f, "sujets"),
            orientations: cases::<Orientation>(f, "orientations"),
            intervenant: texte("intervenant"),
            lieu: texte("lieu"),
            motif_exception: texte("motif_exception"),
            reference: texte("reference"),
        }
    }

    /// What stays filled in after a session is recorded, to enter the next one of the same day.
    fn pour_la_suivante(&self) -> ValeursEntretien {
        ValeursEntretien {
            date: self.date.clone(),
            duree_minutes: self.duree_minutes.clone(),
            intervenant: self.intervenant.clone(),
            lieu: self.lieu.clone(),
            ..ValeursEntretien::default()
        }
    }
}

/// `POST /activite/entretiens`: records a session; a refusal re-shows the form with the values
/// typed and each message next to its field. The family's identifier is among them: it goes
/// back only to the person who typed it, on a page the browser is told not to keep.
pub async fn enregistrer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.get("_csrf").map(String::as_str))?;
    let structure = f.get("structure").cloned();
    let g = structure
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map(GestionnaireId)
        .ok_or_else(|| ErreurWeb::Refus("structure non précisée".into()))?;
    let valeurs = ValeursEntretien::depuis(&f);
    let maintenant = OffsetDateTime::now_utc();
    let erreurs = match lire_saisie(&valeurs, g, maintenant.date()) {
        Err(erreurs) => erreurs,
        Ok(saisie) => {
            let exercice = saisie.date.year();
            match SuiviActivite::new(&etat.plateforme)
                .enregistrer(&c.acteur, saisie, maintenant)
                .await
            {
                Ok(r) => {
                    let choix = Choix {
                        structure,
                        exercice: Some(exercice.to_string()),
                    };
                    let retour = Retour {
                        entretien: valeurs.pour_la_suivante(),
                        succes: Some(if r.nouveau {
                            format!(
                                "Entretien enregistré : séance n° {} de cette famille en {exercice}.",
                                r.seances_famille_annee
                            )
                        } else {
                            "Cet entretien était déjà enregistré : rien n'a été ajouté.".to_owned()
                        }),
                        avertissements: r.avertissements,
                        ..Retour::default()
                    };
                    let (contenu, _) = page::rendre(&etat, &c, &choix, retour).await?;
                    return Ok(reponse(StatusCode::OK, "Activité", &c, contenu));
                }
                Err(x) if x.est_interdit() => return Err(ErreurWeb::Interdit(x.to_string())),
                Err(x) => Erreurs::une(champ_de(&x).unwrap_or(""), message_de(&x)),
            }
        }
    };
    let choix = Choix {
        structure,
        exercice: None,
    };
    let titre = erreurs.titre("Activité");
    let statut = erreurs.statut();
    let retour = Retour {
        erreurs,
        entretien: valeurs,
        ..Retour::default()
    };
    let (contenu, _) = page::rendre(&etat, &c, &choix, retour).await?;
    Ok(reponse(statut, &titre, &c, contenu))
}
