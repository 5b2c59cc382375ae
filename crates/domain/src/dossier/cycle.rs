//! The transitions of a dossier (Référentiel national de financement de l'AIP §IV.3): who may take each one, from which states, and
//! what it records. Each returns the dossier after the transition and its audit entry.

use time::{Date, OffsetDateTime};

use super::actions::ActionDossier as A;
use super::{Dossier, EtatDossier, ProjetFonctionnement};
use crate::acces::{Acteur, Role, Utilisateur, exiger_gestionnaire};
use crate::appel_a_projets::AppelAProjets;
use crate::audit::{Audit, Transition, TypeEntite};
use crate::decision::{Decision, IssueDecision, SaisieDecision};
use crate::identifiants::{DecisionId, DossierId, GestionnaireId};
use crate::refus::{Refus, exiger_etat, exiger_motif};
use crate::structures::{Admissible, DerogationEngagements};
use crate::texte::{ErreurTexte, TexteLibre, date_fr};

use EtatDossier::*;

/// What recording the comité's decision produces: the dossier moved on, and the new decision.
#[derive(Debug, Clone)]
pub struct DecisionEnregistree {
    pub dossier: Transition<Dossier>,
    pub decision: Transition<Decision>,
}

impl Dossier {
    pub(super) fn exiger_etat(
        &self,
        action: &'static str,
        requis: &[EtatDossier],
    ) -> Result<(), Refus> {
        exiger_etat(
            action,
            "le dossier",
            self.etat,
            EtatDossier::libelle,
            requis,
        )
    }

    /// The dossier in its new state, one version further, with the audit of the move.
    fn vers(
        &self,
        etat: EtatDossier,
        action: &'static str,
        acteur: &Acteur,
        quand: OffsetDateTime,
        description: String,
    ) -> (Dossier, Audit) {
        let mut apres = self.clone();
        apres.etat = etat;
        apres.version += 1;
        let audit = Audit::nouveau(
            TypeEntite::Dossier,
            self.id.0,
            action,
            acteur,
            quand,
            description,
        )
        .etats(Some(self.etat.code()), etat.code());
        (apres, audit)
    }

    /// A gestionnaire user starts a draft answering `appel` for its structure `gestionnaire`.
    /// Possible until the call closes (a draft may be started before it opens).
    pub fn creer(
        id: DossierId,
        acteur: &Acteur,
        appel: &AppelAProjets,
        gestionnaire: GestionnaireId,
        projet: ProjetFonctionnement,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        const ACTION: &str = "Créer un dossier";
        exiger_gestionnaire(acteur, ACTION, gestionnaire)?;
        if quand.date() > appel.cloture {
            return Err(Refus::AppelFerme {
                action: ACTION,
                ouverture: appel.ouverture,
                cloture: appel.cloture,
                date: quand.date(),
            });
        }
        projet.verifier_coherence(ACTION)?;
        let apres = Dossier {
            id,
            appel: appel.id,
            dispositif: appel.dispositif,
            departement: appel.departement,
            gestionnaire,
            etat: Brouillon,
            projet,
            version: 1,
            cree_le: quand,
            depose_le: None,
            complement_demande: None,
            pieces_demandees: Vec::new(),
            date_comite: None,
            motif_cloture: None,
            derogation_engagements: None,
            suivi_par: None,
            avis_financeurs: Vec::new(),
        };
        let audit = Audit::nouveau(
            TypeEntite::Dossier,
            id.0,
            "creer",
            acteur,
            quand,
            format!("dossier créé en réponse à l'appel « {} »", appel.intitule),
        )
        .etats(None, Brouillon.code());
        Ok(Transition { apres, audit })
    }

    /// The gestionnaire edits its project, only while it is a draft or a complement is asked for.
    pub fn modifier(
        &self,
        acteur: &Acteur,
        projet: ProjetFonctionnement,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        const ACTION: &str = "Modifier le dossier";
        self.garde(acteur, A::Modifier)?;
        projet.verifier_coherence(ACTION)?;
        let differences = projet.differences(&self.projet);
        let champs: Vec<&str> = differences.iter().map(|(c, _, _)| *c).collect();
        let description = if champs.is_empty() {
            "aucune modification".to_owned()
        } else {
            format!("projet modifié : {}", champs.join(", "))
        };
        let mut apres = self.clone();
        apres.projet = projet;
        apres.version += 1;
        let mut audit = Audit::nouveau(
            TypeEntite::Dossier,
            self.id.0,
            "modifier",
            acteur,
            quand,
            description,
        );
        for (champ, avant, apres) in differences {
            audit = audit.changement(champ, Some(avant), Some(apres));
        }
        Ok(Transition { apres, audit })
    }

    /// The gestionnaire submits its complete project. A first submission (from `brouillon`) is
    /// possible only while the call is open.
    ///
    /// **Interpretation**: answering a request for information (from `complement_demande`) is not
    /// a new application and stays possible after the call has closed.
    pub fn deposer(
        &self,
        acteur: &Acteur,
        appel: &AppelAProjets,
        structure: &Admissible,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        const ACTION: &str = "Déposer le dossier";
        self.garde(acteur, A::Deposer)?;
        structure.exiger(ACTION, self.gestionnaire, self.dispositif)?;
        if appel.id != self.appel {
            return Err(Refus::incoherence(
                ACTION,
                "ce n'est pas l'appel à projets de ce dossier",
            ));
        }
        let date = quand.date();
        if self.etat == Brouillon && !appel.est_ouvert(date) {
            return Err(Refus::AppelFerme {
                action: ACTION,
                ouverture: appel.ouverture,
                cloture: appel.cloture,
                date,
            });
        }
        self.projet.verifier_depot(ACTION, appel)?;
        let description = if self.etat == Brouillon {
            "dossier déposé".to_owned()
        } else {
            "dossier complété et déposé à nouveau".to_owned()
        };
        let (mut apres, audit) = self.vers(Depose, "deposer", acteur, quand, description);
        apres.depose_le = self.depose_le.or(Some(quand));
        apres.complement_demande = None;
        let audit = audit.changement("complement_demande", self.complement_demande.clone(), None);
        Ok(Transition { apres, audit })
    }

    /// A Caf agent of the département starts examining a submitted dossier.
    pub fn prendre_en_instruction(
        &self,
        acteur: &Acteur,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        self.garde(acteur, A::PrendreEnInstruction)?;
        let (apres, audit) = self.vers(
            EnInstruction,
            "prendre_en_instruction",
            acteur,
            quand,
            "dossier pris en instruction".to_owned(),
        );
        Ok(Transition { apres, audit })
    }

    /// A Caf agent asks the gestionnaire for more information; the reason is required.
    pub fn demander_complement(
        &self,
        acteur: &Acteur,
        demande: &str,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        const ACTION: &str = "Demander un complément";
        self.garde(acteur, A::DemanderComplement)?;
        let demande = exiger_motif(ACTION, demande)?;
        let (mut apres, audit) = self.vers(
            ComplementDemande,
            "demander_complement",
            acteur,
            quand,
            format!("complément demandé : {demande}"),
        );
        apres.complement_demande = Some(demande.clone());
        let audit = audit.changement("complement_demande", None, Some(demande));
        Ok(Transition { apres, audit })
    }

    /// A Caf agent puts the dossier on the agenda of the comité des financeurs of `date_comite`.
    pub fn presenter_en_comite(
        &self,
        acteur: &Acteur,
        date_comite: Date,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        self.garde(acteur, A::PresenterEnComite)?;
        let (mut apres, audit) = self.vers(
            PresenteEnComite,
            "presenter_en_comite",
            acteur,
            quand,
            format!(
                "dossier inscrit au comité des financeurs du {}",
                date_fr(date_comite)
            ),
        );
        apres.date_comite = Some(date_comite);
        let audit = audit.changement(
            "date_comite",
            self.date_comite.map(date_fr),
            Some(date_fr(date_comite)),
        );
        Ok(Transition { apres, audit })
    }

    /// A Caf agent records the comité's decision (Référentiel national de financement de l'AIP §IV.3): validated (with the FTE
    /// ceiling notified), refused, or postponed (`ajourne`: back to instruction, to be presented
    /// again). Funders other than the Caf record their own share afterwards
    /// ([`Decision::enregistrer_part`]).
    ///
    /// An AIP project is validated only when the Caf has checked conforme every commitment of
    /// its structure (Référentiel national de financement de l'AIP, §I.3, §I.4, §II.1, §II.2,
    /// §III.3, §IV.1, §IV.2), as the [`Admissible`] proof lists them; otherwise the comité, which
    /// decides (§IV.3), must give a motivated override (`derogation_engagements`), recorded on
    /// the dossier and in the audit of the dossier and of the decision.
    pub fn enregistrer_decision(
        &self,
        acteur: &Acteur,
        id: DecisionId,
        saisie: SaisieDecision,
        eligibilite: &Result<Admissible, Refus>,
        quand: OffsetDateTime,
    ) -> Result<DecisionEnregistree, Refus> {
        const ACTION: &str = "Enregistrer la décision du comité";
        self.garde(acteur, A::EnregistrerDecision)?;
        // A structure the texts exclude may be refused or postponed, never validated.
        let mut derogation = None;
        if saisie.issue == IssueDecision::Valide {
            match eligibilite {
                Ok(structure) => {
                    structure.exiger(ACTION, self.gestionnaire, self.dispositif)?;
                    derogation = derogation_engagements(
                        ACTION,
                        structure,
                        saisie.derogation_engagements.as_deref(),
                    )?;
                }
                Err(Refus::NonEligible {
                    raison, paragraphe, ..
                }) => {
                    return Err(Refus::NonEligible {
                        action: ACTION,
                        raison: raison.clone(),
                        paragraphe,
                    });
                }
                Err(autre) => return Err(autre.clone()),
            }
        }
        let date_comite = self.date_comite.unwrap_or(quand.date());
        let decision = Decision::du_comite(id, acteur, self, date_comite, saisie, quand)?;
        let (etat, description) = match decision.issue {
            IssueDecision::Valide => (
                Valide,
                match decision.notification {
                    Some(n) => format!(
                        "projet validé par le comité du {} : {} ETP notifiés à compter du {}",
                        date_fr(date_comite),
                        n.etp,
                        date_fr(n.date_effet)
                    ),
                    None => "projet validé".to_owned(),
                },
            ),
            IssueDecision::Refuse => (
                Refuse,
                format!("projet refusé par le comité du {}", date_fr(date_comite)),
            ),
            IssueDecision::Ajourne => (
                EnInstruction,
                format!(
                    "décision ajournée par le comité du {} : retour en instruction",
                    date_fr(date_comite)
                ),
            ),
        };
        let description = match &derogation {
            Some((motif, engagements)) => format!(
                "{description} ; dérogation aux engagements non contrôlés conformes ({}) : {motif}",
                engagements.join(", ")
            ),
            None => description,
        };
        let (mut apres, mut audit) = self.vers(
            etat,
            "enregistrer_decision",
            acteur,
            quand,
            description.clone(),
        );
        let mut audit_decision = Audit::nouveau(
            TypeEntite::Decision,
            id.0,
            "enregistrer",
            acteur,
            quand,
            description,
        )
        .etats(None, decision.issue.code());
        if let Some((motif, engagements)) = derogation {
            let trace = format!("{} : {motif}", engagements.join(", "));
            audit = audit.changement("derogation_engagements", None, Some(trace.clone()));
            audit_decision = audit_decision.changement("derogation_engagements", None, Some(trace));
            apres.derogation_engagements = Some(DerogationEngagements {
                motif,
                engagements,
                decision: id,
                par: acteur.id,
                le: quand,
            });
        }
        Ok(DecisionEnregistree {
            dossier: Transition { apres, audit },
            decision: Transition {
                apres: decision,
                audit: audit_decision,
            },
        })
    }

    /// A Caf agent closes a submitted dossier without a decision; the reason is required.
    ///
    /// **Interpretation**: possible from every state after submission and before the decision
    /// (a draft is the gestionnaire's own and can only be withdrawn).
    pub fn classer_sans_suite(
        &self,
        acteur: &Acteur,
        motif: &str,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        const ACTION: &str = "Classer le dossier sans suite";
        self.garde(acteur, A::ClasserSansSuite)?;
        let motif = exiger_motif(ACTION, motif)?;
        let (mut apres, audit) = self.vers(
            SansSuite,
            "classer_sans_suite",
            acteur,
            quand,
            format!("dossier classé sans suite : {motif}"),
        );
        apres.motif_cloture = Some(motif.clone());
        let audit = audit.changement("motif_cloture", None, Some(motif));
        Ok(Transition { apres, audit })
    }

    /// A Caf agent of the département assigns the dossier to an agent (itself or a colleague)
    /// who will follow it (« suivi par »), or withdraws the assignment (`agent` is `None`).
    ///
    /// **Interpretation**: an internal organisation of the Caf, possible while the dossier is
    /// submitted and not yet decided (a draft is the gestionnaire's own); the assignee must be an
    /// active Caf agent covering the dossier's département.
    pub fn attribuer(
        &self,
        acteur: &Acteur,
        agent: Option<&Utilisateur>,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        const ACTION: &str = "Attribuer le dossier";
        self.garde(acteur, A::Attribuer)?;
        if let Some(agent) = agent
            && (agent.role != Role::Caf
                || !agent.actif
                || !agent.departements.contains(&self.departement))
        {
            return Err(Refus::condition(
                ACTION,
                format!(
                    "{} n'est pas un agent de la Caf du département {}",
                    agent.nom, self.departement
                ),
            ));
        }
        let description = match agent {
            Some(agent) if agent.id == acteur.id => {
                format!("dossier attribué à {} (par lui-même)", agent.nom)
            }
            Some(agent) => format!("dossier attribué à {}", agent.nom),
            None => "attribution du dossier retirée".to_owned(),
        };
        let mut apres = self.clone();
        apres.suivi_par = agent.map(|a| a.id);
        apres.version += 1;
        let audit = Audit::nouveau(
            TypeEntite::Dossier,
            self.id.0,
            "attribuer",
            acteur,
            quand,
            description,
        )
        .changement(
            "suivi_par",
            self.suivi_par.map(|u| u.0.to_string()),
            apres.suivi_par.map(|u| u.0.to_string()),
        );
        Ok(Transition { apres, audit })
    }

    /// The gestionnaire withdraws its dossier, at any time before the comité's decision.
    ///
    /// **Interpretation**: a withdrawal is its own final state (`retire`), distinct from the Caf's
    /// `sans_suite`, so that statistics tell the two apart; the reason is optional.
    pub fn retirer(
        &self,
        acteur: &Acteur,
        motif: Option<&str>,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        self.garde(acteur, A::Retirer)?;
        let motif = motif
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_owned);
        let description = match &motif {
            Some(m) => format!("dossier retiré par le gestionnaire : {m}"),
            None => "dossier retiré par le gestionnaire".to_owned(),
        };
        let (mut apres, audit) = self.vers(Retire, "retirer", acteur, quand, description);
        apres.motif_cloture = motif.clone();
        let audit = audit.changement("motif_cloture", None, motif);
        Ok(Transition { apres, audit })
    }
}

/// The override the comité gives to validate an AIP project whose structure has commitments
/// not checked conforme by the Caf: the reason (required, a bounded free text) and those
/// commitments as `« … » (état)`. `None` when nothing needs overriding (an override given then
/// is not recorded).
fn derogation_engagements(
    action: &'static str,
    structure: &Admissible,
    saisie: Option<&str>,
) -> Result<Option<(String, Vec<String>)>, Refus> {
    let en_suspens = structure.engagements_non_conformes();
    if en_suspens.is_empty() {
        return Ok(None);
    }
    let engagements: Vec<String> = en_suspens
        .iter()
        .map(|(e, etat)| format!("« {} » ({})", e.libelle(), etat.libelle()))
        .collect();
    match TexteLibre::long("Dérogation", saisie.unwrap_or_default()) {
        Ok(motif) => Ok(Some((motif.into_inner(), engagements))),
        Err(ErreurTexte::Vide { .. }) => Err(Refus::condition(
            action,
            format!(
                "la Caf n'a pas contrôlé conformes tous les engagements de la structure \
                 (Référentiel national de financement de l'AIP) : {}. Le comité peut valider \
                 malgré tout, à condition de motiver la dérogation.",
                engagements.join(" ; ")
            ),
        )),
        Err(e) => Err(Refus::invalide(action, e.to_string())),
    }
}
