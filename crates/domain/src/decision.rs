//! Decisions of the comité des financeurs on a dossier (Référentiel national de financement de l'AIP §IV.3; Lettre circulaire Cnaf 2012-093): validated,
//! refused or postponed; for the AIP, with the FTE ceiling notified and its effective date; for
//! a scheme decided by amount (see `dispositifs`), with the Caf's share and no FTE; each
//! co-funder's own decision and amount kept apart (« each funder stays master of its own
//! decision »).
//!
//! A decision is a fact: once recorded it is never edited, only completed by the shares of the
//! funders. A later change of the FTE ceiling is a new decision ([`Decision::nouvelle_notification`])
//! that a convention takes in through an avenant.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::acces::{Acteur, Role, exiger_agent_caf, exiger_financeur};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::dispositifs::ModeDecision;
use crate::dossier::{Dossier, EtatDossier};
use crate::experimentation;
use crate::identifiants::{CodeDepartement, DecisionId, DossierId, GestionnaireId, UtilisateurId};
use crate::quantites::{Centimes, Etp};
use crate::refus::{Refus, exiger_etat, exiger_motif};
use crate::structures::Cofinanceur;
use crate::texte::date_fr;

/// The outcome of the comité for a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueDecision {
    /// `valide`: the project is validated and an FTE ceiling notified.
    Valide,
    /// `refuse`.
    Refuse,
    /// `ajourne`: postponed; the dossier goes back to instruction.
    Ajourne,
}

impl IssueDecision {
    pub fn code(self) -> &'static str {
        match self {
            IssueDecision::Valide => "valide",
            IssueDecision::Refuse => "refuse",
            IssueDecision::Ajourne => "ajourne",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            IssueDecision::Valide => "validée",
            IssueDecision::Refuse => "refusée",
            IssueDecision::Ajourne => "ajournée",
        }
    }
}

/// What the decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjetDecision {
    /// `projet`: the comité's decision on the submitted project.
    Projet,
    /// `nouvelle_notification`: a new FTE ceiling for a project already validated (Référentiel national de financement de l'AIP §IV.3,
    /// « pourra faire l'objet le cas échéant d'une nouvelle notification »).
    NouvelleNotification,
}

/// An FTE ceiling notified by the comité, in force from `date_effet` (Référentiel national de financement de l'AIP §IV.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NotificationEtp {
    pub etp: Etp,
    #[serde(with = "crate::serde_dates::date")]
    pub date_effet: Date,
}

/// A funder's own answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AvisFinanceur {
    Accorde,
    Refuse,
}

/// What a funder records for its share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisiePart {
    pub avis: AvisFinanceur,
    /// The amount this decision commits (for a new notification: the additional amount). Zero
    /// when refused.
    pub montant: Centimes,
    pub motivation: String,
}

/// One funder's decision on the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartFinanceur {
    pub financeur: Cofinanceur,
    pub avis: AvisFinanceur,
    pub montant: Centimes,
    pub motivation: String,
    pub enregistree_par: UtilisateurId,
    #[serde(with = "crate::serde_dates::instant")]
    pub enregistree_le: OffsetDateTime,
}

/// What the Caf agent records after the comité.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisieDecision {
    pub issue: IssueDecision,
    /// Required: the grounds of the decision, told to the gestionnaire.
    pub motivation: String,
    /// Required when an AIP project is validated, absent otherwise (and always absent for a
    /// scheme decided by amount).
    pub notification: Option<NotificationEtp>,
    /// The Caf's own share, when decided at the same time; required, granted and of more than
    /// zero, to validate a project of a scheme decided by amount.
    pub part_caf: Option<SaisiePart>,
    /// Validating an AIP project whose structure has commitments not checked conforme by the
    /// Caf: the comité's motivated override (see `Dossier::enregistrer_decision`).
    #[serde(default)]
    pub derogation_engagements: Option<String>,
}

/// What the Caf agent records when the comité changes the FTE ceiling of a validated dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisieNotification {
    #[serde(with = "crate::serde_dates::date")]
    pub date_comite: Date,
    pub notification: NotificationEtp,
    pub motivation: String,
    /// The additional amount the Caf commits, if any.
    pub part_caf: Option<SaisiePart>,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub id: DecisionId,
    pub dossier: DossierId,
    pub departement: CodeDepartement,
    pub gestionnaire: GestionnaireId,
    pub objet: ObjetDecision,
    #[serde(with = "crate::serde_dates::date")]
    pub date_comite: Date,
    pub issue: IssueDecision,
    pub motivation: String,
    pub notification: Option<NotificationEtp>,
    /// Each funder's share, at most one per funder.
    pub parts: Vec<PartFinanceur>,
    pub enregistree_par: UtilisateurId,
    #[serde(with = "crate::serde_dates::instant")]
    pub enregistree_le: OffsetDateTime,
    pub version: u32,
}

fn verifier_part(action: &'static str, part: &SaisiePart) -> Result<(), Refus> {
    if part.montant.est_negatif() {
        return Err(Refus::invalide(
            action,
            "le montant d'un financement ne peut pas être négatif",
        ));
    }
    if part.avis == AvisFinanceur::Refuse && !part.montant.est_zero() {
        return Err(Refus::invalide(
            action,
            "un financement refusé a un montant nul",
        ));
    }
    Ok(())
}

/// Checks an FTE notification: at least the minimum the Caf finances for the AIP (référentiel national de financement de l'AIP, §V)
/// and an effective date within the project's period (and the experiment's, Référentiel national de financement de l'AIP §IV.4).
fn verifier_notification(
    action: &'static str,
    dossier: &Dossier,
    notification: &NotificationEtp,
) -> Result<(), Refus> {
    if notification.etp.est_zero() {
        return Err(Refus::invalide(
            action,
            "un projet validé se voit notifier un nombre d'ETP",
        ));
    }
    if dossier.dispositif.regles().experimentation_aip {
        if notification.etp < experimentation::ETP_MINIMUM {
            return Err(Refus::invalide(
                action,
                format!(
                    "la Caf finance au moins {} ETP (référentiel national de financement de l'AIP, §V) : {} ETP ne peut pas être notifié",
                    experimentation::ETP_MINIMUM,
                    notification.etp
                ),
            ));
        }
        if !experimentation::dans_la_periode(notification.date_effet) {
            return Err(Refus::invalide(
                action,
                "la date d'effet doit tomber dans la période de l'expérimentation (2024-2025)",
            ));
        }
    }
    if let (Some(debut), Some(fin)) = (dossier.projet.debut, dossier.projet.fin)
        && (notification.date_effet < debut || notification.date_effet > fin)
    {
        return Err(Refus::invalide(
            action,
            format!(
                "la date d'effet ({}) doit tomber dans la période du projet, du {} au {}",
                date_fr(notification.date_effet),
                date_fr(debut),
                date_fr(fin)
            ),
        ));
    }
    Ok(())
}

/// A decision by amount (every scheme but the AIP: Lettre circulaire Cnaf 2012-093 §43, « Chaque
/// financeur doit en effet rester maître des règles d'attribution de ses crédits »): no FTE
/// notification, and a validation carries the Caf's own share, granted, of more than zero. The
/// other funders record their shares afterwards ([`Decision::enregistrer_part`]).
///
/// **Interpretation**: the Caf records the comité's decision; a project the Caf validates without
/// funding it is not one it can draw a convention and pay instalments for, so its share is
/// required with the validation.
fn verifier_decision_par_montant(
    action: &'static str,
    dossier: &Dossier,
    saisie: &SaisieDecision,
) -> Result<(), Refus> {
    let libelle = dossier.dispositif.libelle();
    if saisie.notification.is_some() {
        return Err(Refus::invalide(
            action,
            format!(
                "un projet {libelle} se décide par montant : aucun ETP n'est notifié (la notification d'ETP est propre à l'AIP)"
            ),
        ));
    }
    if saisie.issue != IssueDecision::Valide {
        return Ok(());
    }
    match &saisie.part_caf {
        None => Err(Refus::Incomplet {
            action,
            champs: vec!["part de la Caf accordée"],
        }),
        Some(part) if part.avis != AvisFinanceur::Accorde || part.montant <= Centimes::ZERO => {
            Err(Refus::invalide(
                action,
                format!(
                    "un projet {libelle} validé l'est par montant : la part de la Caf doit être accordée, d'un montant supérieur à zéro"
                ),
            ))
        }
        Some(_) => Ok(()),
    }
}

impl Decision {
    /// Builds the decision of the comité on `dossier` (called by
    /// [`Dossier::enregistrer_decision`], which checks the actor and the dossier's state).
    pub(crate) fn du_comite(
        id: DecisionId,
        acteur: &Acteur,
        dossier: &Dossier,
        date_comite: Date,
        saisie: SaisieDecision,
        quand: OffsetDateTime,
    ) -> Result<Decision, Refus> {
        const ACTION: &str = "Enregistrer la décision du comité";
        let motivation = exiger_motif(ACTION, &saisie.motivation)?;
        if dossier.dispositif.regles().decision == ModeDecision::MontantParFinanceur {
            verifier_decision_par_montant(ACTION, dossier, &saisie)?;
        }
        match (saisie.issue, &saisie.notification) {
            (IssueDecision::Valide, None) if !dossier.dispositif.decide_par_montant() => {
                return Err(Refus::Incomplet {
                    action: ACTION,
                    champs: vec!["ETP notifiés et date d'effet"],
                });
            }
            (IssueDecision::Valide, Some(n)) => verifier_notification(ACTION, dossier, n)?,
            (issue, Some(_)) => {
                return Err(Refus::invalide(
                    ACTION,
                    format!("une décision {} ne notifie pas d'ETP", issue.libelle()),
                ));
            }
            (_, None) => {}
        }
        let mut parts = Vec::new();
        if let Some(part) = saisie.part_caf {
            verifier_part(ACTION, &part)?;
            match (saisie.issue, part.avis) {
                (IssueDecision::Ajourne, _) => {
                    return Err(Refus::invalide(
                        ACTION,
                        "une décision ajournée n'engage encore aucun financeur",
                    ));
                }
                (IssueDecision::Refuse, AvisFinanceur::Accorde) => {
                    return Err(Refus::invalide(
                        ACTION,
                        "la Caf ne peut pas accorder un financement à un projet refusé",
                    ));
                }
                _ => {}
            }
            parts.push(PartFinanceur {
                financeur: Cofinanceur::Caf,
                avis: part.avis,
                montant: part.montant,
                motivation: part.motivation.trim().to_owned(),
                enregistree_par: acteur.id,
                enregistree_le: quand,
            });
        }
        Ok(Decision {
            id,
            dossier: dossier.id,
            departement: dossier.departement,
            gestionnaire: dossier.gestionnaire,
            objet: ObjetDecision::Projet,
            date_comite,
            issue: saisie.issue,
            motivation,
            notification: saisie.notification,
            parts,
            enregistree_par: acteur.id,
            enregistree_le: quand,
            version: 1,
        })
    }

    /// Records a new FTE ceiling for a validated dossier (Référentiel national de financement de l'AIP §IV.3). A Caf agent of the
    /// département records it; the convention takes it in through an avenant.
    pub fn nouvelle_notification(
        id: DecisionId,
        acteur: &Acteur,
        dossier: &Dossier,
        saisie: SaisieNotification,
        quand: OffsetDateTime,
    ) -> Result<Transition<Decision>, Refus> {
        const ACTION: &str = "Notifier un nouveau nombre d'ETP";
        exiger_agent_caf(acteur, ACTION, dossier.departement)?;
        if dossier.dispositif.decide_par_montant() {
            return Err(Refus::invalide(
                ACTION,
                format!(
                    "un projet {} se décide par montant : aucun ETP n'est notifié",
                    dossier.dispositif.libelle()
                ),
            ));
        }
        exiger_etat(
            ACTION,
            "le dossier",
            dossier.etat,
            EtatDossier::libelle,
            &[EtatDossier::Valide],
        )?;
        let SaisieNotification {
            date_comite,
            notification,
            motivation,
            part_caf,
        } = saisie;
        let motivation = exiger_motif(ACTION, &motivation)?;
        verifier_notification(ACTION, dossier, &notification)?;
        let mut parts = Vec::new();
        if let Some(part) = part_caf {
            verifier_part(ACTION, &part)?;
            parts.push(PartFinanceur {
                financeur: Cofinanceur::Caf,
                avis: part.avis,
                montant: part.montant,
                motivation: part.motivation.trim().to_owned(),
                enregistree_par: acteur.id,
                enregistree_le: quand,
            });
        }
        let apres = Decision {
            id,
            dossier: dossier.id,
            departement: dossier.departement,
            gestionnaire: dossier.gestionnaire,
            objet: ObjetDecision::NouvelleNotification,
            date_comite,
            issue: IssueDecision::Valide,
            motivation,
            notification: Some(notification),
            parts,
            enregistree_par: acteur.id,
            enregistree_le: quand,
            version: 1,
        };
        let audit = Audit::nouveau(
            TypeEntite::Decision,
            id.0,
            "nouvelle_notification",
            acteur,
            quand,
            format!(
                "nouvelle notification : {} ETP à compter du {}",
                notification.etp,
                date_fr(notification.date_effet)
            ),
        )
        .etats(None, IssueDecision::Valide.code());
        Ok(Transition { apres, audit })
    }

    /// Records one funder's own decision on this dossier. The Caf's share is recorded by a Caf
    /// agent of the département, a partner's share only by that partner's agents (Lettre circulaire Cnaf 2012-093).
    /// Each funder decides once; a postponed decision takes no share.
    pub fn enregistrer_part(
        &self,
        acteur: &Acteur,
        financeur: Cofinanceur,
        saisie: SaisiePart,
        quand: OffsetDateTime,
    ) -> Result<Transition<Decision>, Refus> {
        const ACTION: &str = "Enregistrer la décision d'un financeur";
        match financeur {
            Cofinanceur::Caf if acteur.role == Role::Financeur => {
                return Err(Refus::Financeur { action: ACTION });
            }
            Cofinanceur::Caf => exiger_agent_caf(acteur, ACTION, self.departement)?,
            Cofinanceur::Partenaire(id) => exiger_financeur(acteur, ACTION, self.departement, id)?,
        }
        exiger_etat(
            ACTION,
            "la décision du comité",
            self.issue,
            IssueDecision::libelle,
            &[IssueDecision::Valide, IssueDecision::Refuse],
        )?;
        if self.part(financeur).is_some() {
            return Err(Refus::DejaEnregistre {
                action: ACTION,
                raison: "ce financeur a déjà enregistré sa décision sur ce dossier".to_owned(),
            });
        }
        verifier_part(ACTION, &saisie)?;
        let mut apres = self.clone();
        apres.parts.push(PartFinanceur {
            financeur,
            avis: saisie.avis,
            montant: saisie.montant,
            motivation: saisie.motivation.trim().to_owned(),
            enregistree_par: acteur.id,
            enregistree_le: quand,
        });
        apres.version += 1;
        let qui = match financeur {
            Cofinanceur::Caf => "la Caf".to_owned(),
            Cofinanceur::Partenaire(id) => format!("le financeur {id}"),
        };
        let avis = match saisie.avis {
            AvisFinanceur::Accorde => format!("accorde {}", saisie.montant),
            AvisFinanceur::Refuse => "refuse son financement".to_owned(),
        };
        let audit = Audit::nouveau(
            TypeEntite::Decision,
            self.id.0,
            "enregistrer_part",
            acteur,
            quand,
            format!("{qui} {avis}"),
        )
        .changement("parts", None, Some(format!("{qui}: {avis}")));
        Ok(Transition { apres, audit })
    }

    /// The share of `financeur`, if recorded.
    pub fn part(&self, financeur: Cofinanceur) -> Option<&PartFinanceur> {
        self.parts.iter().find(|p| p.financeur == financeur)
    }

    /// What this decision commits on the Caf's budget: the Caf's granted share, else zero.
    pub fn engagement_caf(&self) -> Centimes {
        match self.part(Cofinanceur::Caf) {
            Some(p) if p.avis == AvisFinanceur::Accorde && self.issue == IssueDecision::Valide => {
                p.montant
            }
            _ => Centimes::ZERO,
        }
    }
}
