//! The handlers of a séance's page: the page, and its one form address whose `action` field
//! names what to do (convene, change, cancel, answer, sign the attendance, write, submit,
//! approve and publish the minutes, follow an action, comment).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::coordination::{Reponse, StatutAction};
use domain::identifiants::{MembreId, SeanceId};
use serde::Deserialize;
use time::OffsetDateTime;

use super::adresse_publique;
use super::formulaires::{Paires, saisie_compte_rendu, saisie_seance};
use super::seance_vue;
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Echec, Erreurs};
use crate::session::Connecte;
use app::ActionSeance;

#[derive(Debug, Deserialize, Default)]
pub struct Suite {
    fait: Option<String>,
}

pub async fn page_seance(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Query(suite): Query<Suite>,
) -> Result<Html<String>, ErreurWeb> {
    rendre(
        &etat,
        &c,
        id,
        suite.fait.as_deref(),
        None,
        &Erreurs::default(),
    )
    .await
    .map(Html)
}

async fn rendre(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    fait: Option<&str>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let vue = etat.plateforme.seance(&c.acteur, SeanceId(id)).await?;
    Ok(seance_vue::page(c, &vue, fait, saisie, x).into_string())
}

/// A member chosen in a form, by its number.
fn membre(p: &Paires, champ: &str, libelle: &str) -> Result<MembreId, Erreurs> {
    p.valeur(champ)
        .trim()
        .parse::<i64>()
        .map(MembreId)
        .map_err(|_| Erreurs::une(champ, format!("{libelle} : choisissez un membre")))
}

/// The answer of a form: `reponse` (present, absent, represente) and, when represented, `par`.
pub(super) fn lire_reponse(p: &Paires) -> Result<Reponse, Erreurs> {
    match p.valeur("reponse") {
        "present" => Ok(Reponse::Present),
        "absent" => Ok(Reponse::Absent),
        "represente" => Ok(Reponse::Represente {
            par: membre(p, "par", "Représenté par")?,
        }),
        _ => Err(Erreurs::une(
            "reponse",
            "Réponse : présent, absent ou représenté ?",
        )),
    }
}

fn lire_action(p: &Paires) -> Result<(ActionSeance, &'static str), Erreurs> {
    Ok(match p.valeur("action") {
        "modifier" => (
            ActionSeance::Modifier(Box::new(saisie_seance(p)?)),
            "modifiee",
        ),
        "convoquer" => (
            ActionSeance::Convoquer {
                urgence: p.coche("urgence"),
            },
            "convoquee",
        ),
        "annuler" => (
            ActionSeance::Annuler {
                motif: p.valeur("motif").to_owned(),
            },
            "annulee",
        ),
        "repondre" => (
            ActionSeance::Repondre {
                membre: membre(p, "membre", "Membre")?,
                reponse: lire_reponse(p)?,
            },
            "reponse",
        ),
        "emarger" => {
            let mut presents = Vec::new();
            for v in p.valeurs("presents") {
                presents.push(
                    v.parse::<i64>()
                        .map(MembreId)
                        .map_err(|_| Erreurs::une("presents", "Présents : membre inconnu"))?,
                );
            }
            (ActionSeance::Emarger { presents }, "emargee")
        }
        "rediger" => (
            ActionSeance::RedigerCompteRendu(Box::new(saisie_compte_rendu(p)?)),
            "redige",
        ),
        "soumettre" => (ActionSeance::SoumettreCompteRendu, "soumis"),
        "approuver" => (
            ActionSeance::ApprouverCompteRendu {
                precedente: SeanceId(p.valeur("precedente").parse::<i64>().map_err(|_| {
                    Erreurs::une("precedente", "Compte rendu : choisissez la séance")
                })?),
            },
            "approuve",
        ),
        "publier" => (ActionSeance::PublierCompteRendu, "publie"),
        "suivre" => (
            ActionSeance::SuivreAction {
                numero: p
                    .valeur("numero")
                    .parse::<u32>()
                    .map_err(|_| Erreurs::une("numero", "Action : numéro inconnu"))?,
                statut: StatutAction::depuis_code(p.valeur("statut"))
                    .ok_or_else(|| Erreurs::une("statut", "Statut : choisissez-en un"))?,
            },
            "suivie",
        ),
        autre => {
            return Err(Erreurs::une("", format!("Action inconnue : « {autre} »")));
        }
    })
}

/// Which field a refusal of the rules goes to, by the field it names.
const CHAMPS: &[(&str, &str)] = &[
    ("debut", "date"),
    ("par", "par"),
    ("urgence", "urgence"),
    ("motif", "motif"),
    ("texte", "texte"),
    ("actions", "actions"),
    ("seance_suivante", "precedente"),
    ("commentaire", "commentaire"),
];

pub async fn agir(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    entetes: HeaderMap,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let version = p.valeur("version").parse::<i64>().ok();
    let maintenant = OffsetDateTime::now_utc();
    let resultat = if p.valeur("action") == "commenter" {
        etat.plateforme
            .commenter_compte_rendu(&c.acteur, SeanceId(id), p.valeur("commentaire"), maintenant)
            .await
            .map(|_| "commente")
            .map_err(|e| Echec::app(e, CHAMPS, "commentaire"))
    } else {
        match lire_action(&p) {
            Ok((action, fait)) => etat
                .plateforme
                .agir_sur_seance(
                    &c.acteur,
                    SeanceId(id),
                    version,
                    action,
                    &adresse_publique(&etat, &entetes),
                    maintenant,
                )
                .await
                .map(|_| fait)
                .map_err(|e| Echec::app(e, CHAMPS, "action")),
            Err(x) => Err(Echec::Saisie(x)),
        }
    };
    match resultat {
        Ok(fait) => {
            Ok(Redirect::to(&format!("/seances/{id}?fait={fait}#confirmation")).into_response())
        }
        Err(Echec::Page(w)) => Err(w),
        Err(Echec::Saisie(x)) => Ok((
            x.statut(),
            Html(rendre(&etat, &c, id, None, Some(&p), &x).await?),
        )
            .into_response()),
    }
}
