//! The coordination instance's annual report: assembled for a year from the instance, its
//! séances, the comité's financing plan, the action plan and the coverage diagnosis
//! (`domain::coordination::rapport`), sent to the Cnaf by the Caf's secretariat (frozen as sent,
//! once: a second sending of the same year is refused), and compared side by side by the Cnaf.
//!
//! Who reads: the Cnaf and the Caf's agents of the département read the report, sent or not
//! (before sending it is a draft computed on the spot); the instance's members read it once sent.
//! Only the Caf's agents of the département send it.

use std::collections::BTreeMap;

use domain::Acteur;
use domain::Role;
use domain::appel_a_projets::Dispositif;
use domain::coordination::plans::ActionPlan;
use domain::coordination::rapport::{self, RapportAnnuel, Sources};
use domain::identifiants::CodeDepartement;
use store::coordination as depot_coordination;
use store::rapports::{self as depot_rapports, RapportEnvoye};
use time::OffsetDateTime;

use super::{VueInstance, exiger_secretariat, lire_instance};
use crate::cas::diagnostic::RAYON_PAR_DEFAUT_KM;
use crate::{ErreurApp, Plateforme};

const ACTION_ENVOI: &str = "Envoyer le rapport annuel à la Cnaf";

/// A report as its reader sees it.
#[derive(Debug, Clone)]
pub struct VueRapport {
    pub rapport: RapportAnnuel,
    /// When it was sent (RFC 3339): the report is then the one frozen at that moment.
    pub envoye_le: Option<String>,
    /// Whether the reader may send it now (a Caf agent of the département, not sent yet, the
    /// year begun).
    pub peut_envoyer: bool,
}

/// One département in the Cnaf's comparison of a year.
#[derive(Debug, Clone)]
pub struct LigneComparaison {
    pub departement: CodeDepartement,
    pub nom: String,
    /// Whether the département has set up its instance.
    pub instance: bool,
    /// The report as sent, if it was.
    pub envoye: Option<RapportEnvoye>,
}

/// Whether `acteur` reads the whole report of `departement`, draft included.
fn lecteur_complet(acteur: &Acteur, departement: CodeDepartement) -> bool {
    acteur.role == Role::Cnaf
        || (acteur.role == Role::Caf && acteur.departements.contains(&departement))
}

fn interdit(departement: CodeDepartement) -> ErreurApp {
    ErreurApp::Interdit(format!(
        "le rapport annuel de l'instance du département {departement}"
    ))
}

fn horodatage(quand: OffsetDateTime) -> String {
    quand
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Plateforme {
    /// The report of `annee` of the instance of `departement`: the one sent, or else the draft
    /// assembled now (for the Cnaf and the Caf's agents only).
    pub async fn rapport_annuel(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        annee: i32,
        maintenant: OffsetDateTime,
    ) -> Result<VueRapport, ErreurApp> {
        let vue = {
            let mut tx = self.base.lire().await?;
            lire_instance(&mut tx, acteur, departement).await?
        };
        let complet = lecteur_complet(acteur, departement);
        let membre = vue.as_ref().is_some_and(|v| v.moi.is_some());
        if !complet && !membre {
            return Err(interdit(departement));
        }
        if let Some(envoye) = depot_rapports::envoye(&self.base, departement, annee).await? {
            return Ok(VueRapport {
                rapport: envoye.rapport,
                envoye_le: Some(envoye.envoye_le),
                peut_envoyer: false,
            });
        }
        if !complet {
            return Err(ErreurApp::Interdit(format!(
                "le rapport annuel {annee} du département {departement} n'a pas encore été envoyé : ses membres le liront une fois envoyé"
            )));
        }
        let vue = vue.ok_or_else(|| {
            ErreurApp::Refus(domain::Refus::condition(
                "Établir le rapport annuel",
                "l'instance du département n'est pas encore configurée",
            ))
        })?;
        let rapport = self.assembler_rapport(acteur, &vue, annee).await?;
        Ok(VueRapport {
            rapport,
            envoye_le: None,
            peut_envoyer: acteur.role == Role::Caf && vue.secretariat && annee <= maintenant.year(),
        })
    }

    /// Assembles the report of `annee` from the records `acteur` reads.
    async fn assembler_rapport(
        &self,
        acteur: &Acteur,
        vue: &VueInstance,
        annee: i32,
    ) -> Result<RapportAnnuel, ErreurApp> {
        let departement = vue.instance.valeur.departement;
        let membres: Vec<_> = vue.membres.iter().map(|m| m.valeur.clone()).collect();
        let seances: Vec<_> = {
            let mut tx = self.base.lire().await?;
            depot_coordination::seances(&mut tx, vue.instance.valeur.id)
                .await?
                .into_iter()
                .map(|s| s.valeur)
                .collect()
        };
        let (dossiers, decisions) = self
            .dossiers_et_decisions_du_comite(acteur, Some(departement))
            .await?;
        let d: Vec<_> = dossiers.iter().map(|l| &l.valeur).collect();
        let x: Vec<_> = decisions.iter().map(|l| &l.valeur).collect();
        let financement = domain::comite::plan_financement(&d, &x).map_err(|e| {
            ErreurApp::Refus(domain::Refus::Invalide {
                action: "Établir le rapport annuel",
                raison: e.to_string(),
            })
        })?;
        let noms: BTreeMap<_, _> = self
            .financeurs_des_departements(&[departement])
            .await?
            .into_iter()
            .map(|f| (f.id, f.nom))
            .collect();
        let plan: Vec<ActionPlan> = self
            .plan_coordination::<ActionPlan>(acteur, departement)
            .await?
            .into_iter()
            .map(|l| l.valeur)
            .collect();
        let mut couverture = Vec::new();
        for dispositif in Dispositif::TOUS {
            let diagnostic = self
                .diagnostic_couverture(acteur, departement, dispositif, RAYON_PAR_DEFAUT_KM)
                .await?;
            if diagnostic.total.lieux > 0 {
                couverture.push((dispositif, diagnostic));
            }
        }
        Ok(rapport::etablir(
            Sources {
                instance: &vue.instance.valeur,
                membres: &membres,
                seances: &seances,
                financement: &financement,
                noms_financeurs: &noms,
                plan_d_action: &plan,
                couverture: &couverture,
            },
            annee,
        ))
    }

    /// Sends the report of `annee` of `departement` to the Cnaf: assembled now and frozen as
    /// sent. Refused for a year not begun, and when it was sent already. **Interpretation**: the
    /// report of the current year may be sent before its end (once its last séance is held):
    /// it then says what was known on the day it was sent, which it shows.
    pub async fn envoyer_rapport_annuel(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        annee: i32,
        quand: OffsetDateTime,
    ) -> Result<RapportEnvoye, ErreurApp> {
        let vue = {
            let mut tx = self.base.lire().await?;
            exiger_secretariat(&mut tx, acteur, departement, ACTION_ENVOI).await?
        };
        if annee > quand.year() {
            return Err(ErreurApp::Refus(domain::Refus::Champ {
                action: ACTION_ENVOI,
                champ: "annee",
                raison: format!("l'année {annee} n'a pas commencé : il n'y a rien à rapporter"),
            }));
        }
        if let Some(envoye) = depot_rapports::envoye(&self.base, departement, annee).await? {
            return Err(ErreurApp::Refus(domain::Refus::Champ {
                action: ACTION_ENVOI,
                champ: "annee",
                raison: format!(
                    "le rapport annuel {annee} a déjà été envoyé à la Cnaf le {} : il ne peut pas être envoyé une seconde fois",
                    date_d_envoi(&envoye.envoye_le)
                ),
            }));
        }
        let rapport = self.assembler_rapport(acteur, &vue, annee).await?;
        let envoye_le = horodatage(quand);
        depot_rapports::enregistrer_envoi(&self.base, &rapport, acteur.id.0, &envoye_le).await?;
        Ok(RapportEnvoye {
            rapport,
            envoye_le,
            envoye_par: acteur.id.0,
        })
    }

    /// The Cnaf's comparison of `annee`: every département with an instance or a report sent,
    /// with its report when sent.
    pub async fn rapports_de_l_annee(
        &self,
        acteur: &Acteur,
        annee: i32,
    ) -> Result<Vec<LigneComparaison>, ErreurApp> {
        if acteur.role != Role::Cnaf {
            return Err(ErreurApp::Interdit(
                "la comparaison des rapports annuels des départements est réservée à la Cnaf"
                    .to_owned(),
            ));
        }
        let instances = {
            let mut tx = self.base.lire().await?;
            depot_coordination::instances(&mut tx).await?
        };
        let mut envoyes: BTreeMap<String, RapportEnvoye> =
            depot_rapports::envoyes_de_l_annee(&self.base, annee)
                .await?
                .into_iter()
                .map(|r| (r.rapport.departement.to_string(), r))
                .collect();
        let mut lignes: Vec<LigneComparaison> = instances
            .iter()
            .filter(|i| i.valeur.forme.departementale())
            .map(|i| {
                let d = i.valeur.departement;
                LigneComparaison {
                    departement: d,
                    nom: nom_departement(d),
                    instance: true,
                    envoye: envoyes.remove(&d.to_string()),
                }
            })
            .collect();
        lignes.extend(envoyes.into_values().map(|r| LigneComparaison {
            departement: r.rapport.departement,
            nom: nom_departement(r.rapport.departement),
            instance: false,
            envoye: Some(r),
        }));
        lignes.sort_by(|a, b| a.departement.as_str().cmp(b.departement.as_str()));
        Ok(lignes)
    }
}

fn nom_departement(d: CodeDepartement) -> String {
    domain::territoire::departement(d).map_or_else(|| d.to_string(), |x| x.nom.clone())
}

/// The date of an RFC 3339 time stamp as `15/03/2026` (its UTC day); the text itself when it
/// cannot be read.
pub fn date_d_envoi(horodatage: &str) -> String {
    match OffsetDateTime::parse(horodatage, &time::format_description::well_known::Rfc3339) {
        Ok(t) => {
            format!("{:02}/{:02}/{}", t.day(), u8::from(t.month()), t.year())
        }
        Err(_) => horodatage.to_owned(),
    }
}
