//! The forms of a sitting's page: a funder's opinion before the comité, its own decision after
//! it, the Caf's record of the comité's outcome. Each is read field by field (every error at
//! once, beside its field), then given to the existing use case, which checks who may act.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::decision::{AvisFinanceur, IssueDecision, SaisieDecision, SaisiePart};
use domain::dossier::{SaisieAvis, SensAvis};
use domain::identifiants::{DecisionId, DossierId};
use domain::quantites::Centimes;
use domain::structures::Cofinanceur;

use super::{adresse, lire_seance, seance};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Echec, Erreurs};
use crate::session::Connecte;

/// What was typed in one form of the page, kept to show it again.
#[derive(Debug, Clone)]
pub(super) struct Saisie {
    pub dossier: i64,
    pub action: String,
    pub champs: BTreeMap<String, String>,
}

impl Saisie {
    fn texte(&self, champ: &str) -> String {
        self.champs
            .get(champ)
            .map(|t| t.trim().to_owned())
            .unwrap_or_default()
    }
}

/// `POST /comite/{département}/{date}/dossiers/{id}`: one form of the sitting's page.
pub async fn enregistrer(
    State(etat): State<Etat>,
    c: Connecte,
    Path((departement, date, dossier)): Path<(String, String, i64)>,
    corps: axum::body::Bytes,
) -> Result<Response, ErreurWeb> {
    let (departement, date) = lire_seance(&departement, &date)?;
    let champs: BTreeMap<String, String> = serde_urlencoded::from_bytes(&corps)
        .map_err(|_| ErreurWeb::Refus("formulaire illisible".to_owned()))?;
    c.verifier_csrf(champs.get("_csrf").map(String::as_str))?;
    let saisie = Saisie {
        dossier,
        action: champs.get("action").cloned().unwrap_or_default(),
        champs,
    };
    match executer(&etat, &c, &saisie).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?fait={}&dossier={dossier}#dossier-{dossier}",
            adresse(departement, date),
            saisie.action
        ))
        .into_response()),
        Err(Echec::Page(w)) => Err(w),
        Err(Echec::Saisie(x)) => {
            let page =
                seance::rendre(&etat, &c, departement, date, None, Some(&saisie), &x).await?;
            Ok((x.statut(), Html(page)).into_response())
        }
    }
}

/// An amount typed in `champ`, its error on `id` (« libellé : raison »); empty is `vide`.
fn montant(
    s: &Saisie,
    champ: &str,
    id: &str,
    libelle: &str,
    vide: Option<Centimes>,
    x: &mut Erreurs,
) -> Option<Option<Centimes>> {
    let t = s.texte(champ);
    if t.is_empty() {
        return Some(vide);
    }
    Centimes::parse_non_negatif(&t)
        .map_err(|e| x.ajouter(id, format!("{libelle} : {e}")))
        .ok()
        .map(Some)
}

async fn executer(etat: &Etat, c: &Connecte, s: &Saisie) -> Result<(), Echec> {
    let p = &etat.plateforme;
    let quand = time::OffsetDateTime::now_utc();
    let id = DossierId(s.dossier);
    let version = s
        .champs
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let champ = |action: &str, nom: &str| format!("d{}-{action}-{nom}", s.dossier);
    let mut x = Erreurs::default();
    match s.action.as_str() {
        "avis" => {
            let (i_sens, i_montant, i_commentaire) = (
                champ("avis", "sens"),
                champ("avis", "montant_envisage"),
                champ("avis", "commentaire"),
            );
            let sens = SensAvis::depuis_code(&s.texte("sens"));
            if sens.is_none() {
                x.ajouter(
                    &i_sens,
                    "Avis : choisissez favorable, favorable avec réserves ou défavorable",
                );
            }
            let montant_envisage = montant(
                s,
                "montant_envisage",
                &i_montant,
                "Montant envisagé",
                None,
                &mut x,
            );
            let commentaire = s.texte("commentaire");
            if commentaire.is_empty() && sens.is_some_and(|v| v != SensAvis::Favorable) {
                x.ajouter(
                    &i_commentaire,
                    "Réserves ou raisons : un avis réservé ou défavorable dit ses réserves ou ses raisons",
                );
            }
            let (Some(sens), Some(montant_envisage), true) = (sens, montant_envisage, x.est_vide())
            else {
                return Err(x.into());
            };
            p.donner_avis(
                &c.acteur,
                id,
                version,
                SaisieAvis {
                    sens,
                    montant_envisage,
                    commentaire,
                },
                quand,
            )
            .await
            .map_err(|e| {
                Echec::app(
                    e,
                    &[
                        ("commentaire", i_commentaire.as_str()),
                        ("montant_envisage", i_montant.as_str()),
                        ("montant", i_montant.as_str()),
                    ],
                    &i_sens,
                )
            })?;
        }
        "part" => {
            // A funder records its own share: the funder is the one of the session, never one
            // the form would name.
            let financeur = c.acteur.financeur.ok_or_else(|| {
                ErreurWeb::Interdit("seul un financeur enregistre sa propre décision".into())
            })?;
            let decision = s
                .champs
                .get("decision")
                .and_then(|d| d.trim().parse::<i64>().ok())
                .map(DecisionId)
                .ok_or_else(|| ErreurWeb::Refus("décision non précisée".into()))?;
            let (i_avis, i_montant, i_motivation) = (
                champ("part", "avis"),
                champ("part", "montant_part"),
                champ("part", "motivation"),
            );
            let avis = match s.texte("avis").as_str() {
                "accorde" => Some(AvisFinanceur::Accorde),
                "refuse" => Some(AvisFinanceur::Refuse),
                _ => {
                    x.ajouter(&i_avis, "Décision : choisissez accordé ou refusé");
                    None
                }
            };
            let montant_part = montant(
                s,
                "montant_part",
                &i_montant,
                "Montant accordé",
                Some(Centimes::ZERO),
                &mut x,
            )
            .flatten();
            let (Some(avis), Some(montant_part), true) = (avis, montant_part, x.est_vide()) else {
                return Err(x.into());
            };
            // The decision must be the comité's on this dossier.
            let decisions = p
                .decisions(&c.acteur, id)
                .await
                .map_err(|e| Echec::Page(e.into()))?;
            if !decisions.iter().any(|l| l.valeur.id == decision) {
                return Err(ErreurWeb::Introuvable.into());
            }
            p.enregistrer_part(
                &c.acteur,
                decision,
                Cofinanceur::Partenaire(financeur),
                SaisiePart {
                    avis,
                    montant: montant_part,
                    motivation: s.texte("motivation"),
                },
                quand,
            )
            .await
            .map_err(|e| {
                Echec::app(
                    e,
                    &[
                        ("montant", i_montant.as_str()),
                        ("motivation", i_motivation.as_str()),
                    ],
                    &i_avis,
                )
            })?;
        }
        "decider" => {
            let (i_issue, i_montant, i_motivation) = (
                champ("decider", "issue"),
                champ("decider", "montant_caf"),
                champ("decider", "motivation"),
            );
            let issue = match s.texte("issue").as_str() {
                "valide" => Some(IssueDecision::Valide),
                "refuse" => Some(IssueDecision::Refuse),
                "ajourne" => Some(IssueDecision::Ajourne),
                _ => {
                    x.ajouter(
                        &i_issue,
                        "Décision du comité : choisissez validé, refusé ou ajourné",
                    );
                    None
                }
            };
            let part_caf = if issue == Some(IssueDecision::Valide) {
                montant(
                    s,
                    "montant_caf",
                    &i_montant,
                    "Part de la Caf",
                    Some(Centimes::ZERO),
                    &mut x,
                )
                .flatten()
                .map(|montant| SaisiePart {
                    avis: AvisFinanceur::Accorde,
                    montant,
                    motivation: String::new(),
                })
            } else {
                None
            };
            let motivation = s.texte("motivation");
            if motivation.is_empty() {
                x.ajouter(
                    &i_motivation,
                    "Motivation : la décision du comité est motivée",
                );
            }
            let (Some(issue), true) = (issue, x.est_vide()) else {
                return Err(x.into());
            };
            let saisie = SaisieDecision {
                issue,
                motivation,
                notification: None,
                part_caf,
                derogation_engagements: None,
            };
            p.enregistrer_decision(&c.acteur, id, version, saisie, false, quand)
                .await
                .map_err(|e| {
                    Echec::app(
                        e,
                        &[
                            ("part de la Caf", i_montant.as_str()),
                            ("montant", i_montant.as_str()),
                            ("motivation", i_motivation.as_str()),
                            ("motif", i_motivation.as_str()),
                        ],
                        &i_issue,
                    )
                })?;
        }
        _ => return Err(ErreurWeb::Refus("action inconnue au comité".to_owned()).into()),
    }
    Ok(())
}
