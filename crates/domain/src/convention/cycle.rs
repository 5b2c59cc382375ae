//! The transitions of a convention (Référentiel national de financement de l'AIP §IV.4): drawn up from a validated dossier, signed,
//! amended, closed or terminated, always by a Caf agent of the département.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::echeancier::{LigneEcheancier, etablir_echeancier};
use super::{Avenant, Convention, EtatConvention, SignatureGestionnaire};
use crate::acces::{Acteur, exiger_agent_caf, exiger_gestionnaire};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::decision::{Decision, IssueDecision, ObjetDecision};
use crate::dispositifs::ModeFinancement;
use crate::dossier::{Dossier, EtatDossier};
use crate::experimentation;
use crate::identifiants::ConventionId;
use crate::refus::{Refus, exiger_etat, exiger_motif};
use crate::structures::Admissible;
use crate::texte::{date_fr, vide};

use EtatConvention::*;

/// What the Caf agent fills in to draw up a convention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NouvelleConvention {
    pub numero: String,
    #[serde(with = "crate::serde_dates::date")]
    pub debut: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub fin: Date,
    /// The instalments, for a scheme financed by instalments (see `dispositifs`); none for the
    /// AIP.
    #[serde(default)]
    pub echeancier: Vec<LigneEcheancier>,
}

/// The period of a convention: it starts before it ends, lies within the validated project's
/// period (« une durée qui correspond à la durée du projet de fonctionnement validé ») and, for
/// the AIP, never goes beyond the experiment (« qui ne peut excéder la période dédiée à
/// l'expérimentation »), Référentiel national de financement de l'AIP §IV.4.
fn verifier_periode(
    action: &'static str,
    dossier: &Dossier,
    debut: Date,
    fin: Date,
) -> Result<(), Refus> {
    if debut > fin {
        return Err(Refus::invalide(
            action,
            format!(
                "la convention finit ({}) avant de commencer ({})",
                date_fr(fin),
                date_fr(debut)
            ),
        ));
    }
    if dossier.dispositif.regles().experimentation_aip
        && !(experimentation::dans_la_periode(debut) && experimentation::dans_la_periode(fin))
    {
        return Err(Refus::invalide(
            action,
            format!(
                "une convention AIP ne peut pas dépasser la période de l'expérimentation, du {} au {}",
                date_fr(experimentation::DEBUT),
                date_fr(experimentation::FIN)
            ),
        ));
    }
    // Référentiel national de financement de l'AIP, §IV.4: « La Cof est signée pour une durée
    // qui correspond à la durée du projet de fonctionnement validé » — the same period, not a
    // part of it.
    if let (Some(debut_projet), Some(fin_projet)) = (dossier.projet.debut, dossier.projet.fin)
        && (debut != debut_projet || fin != fin_projet)
    {
        return Err(Refus::invalide(
            action,
            format!(
                "la convention dure le temps du projet validé : du {} au {}",
                date_fr(debut_projet),
                date_fr(fin_projet)
            ),
        ));
    }
    Ok(())
}

fn exiger_dossier_valide(action: &'static str, dossier: &Dossier) -> Result<(), Refus> {
    exiger_etat(
        action,
        "le dossier",
        dossier.etat,
        EtatDossier::libelle,
        &[EtatDossier::Valide],
    )
}

impl Convention {
    fn exiger_etat(&self, action: &'static str, requis: &[EtatConvention]) -> Result<(), Refus> {
        exiger_etat(
            action,
            "la convention",
            self.etat,
            EtatConvention::libelle,
            requis,
        )
    }

    fn vers(
        &self,
        etat: EtatConvention,
        action: &'static str,
        acteur: &Acteur,
        quand: OffsetDateTime,
        description: String,
    ) -> (Convention, Audit) {
        let mut apres = self.clone();
        apres.etat = etat;
        apres.version += 1;
        let audit = Audit::nouveau(
            TypeEntite::Convention,
            self.id.0,
            action,
            acteur,
            quand,
            description,
        )
        .etats(Some(self.etat.code()), etat.code());
        (apres, audit)
    }

    /// A Caf agent draws up the convention of a validated dossier, from the comité's decision
    /// that validated it. Only `valide` opens a convention (Référentiel national de financement de l'AIP §IV.4).
    pub fn etablir(
        id: ConventionId,
        acteur: &Acteur,
        dossier: &Dossier,
        decision: &Decision,
        structure: &Admissible,
        nouvelle: NouvelleConvention,
        quand: OffsetDateTime,
    ) -> Result<Transition<Convention>, Refus> {
        const ACTION: &str = "Établir la convention";
        exiger_agent_caf(acteur, ACTION, dossier.departement)?;
        structure.exiger(ACTION, dossier.gestionnaire, dossier.dispositif)?;
        exiger_dossier_valide(ACTION, dossier)?;
        if decision.dossier != dossier.id {
            return Err(Refus::incoherence(
                ACTION,
                "cette décision porte sur un autre dossier",
            ));
        }
        if (decision.objet, decision.issue) != (ObjetDecision::Projet, IssueDecision::Valide) {
            return Err(Refus::incoherence(
                ACTION,
                "la convention s'établit sur la décision du comité qui a validé le projet",
            ));
        }
        if vide(&nouvelle.numero) {
            return Err(Refus::Incomplet {
                action: ACTION,
                champs: vec!["numéro de convention"],
            });
        }
        verifier_periode(ACTION, dossier, nouvelle.debut, nouvelle.fin)?;
        // What the convention finances follows the scheme's rules: the AIP's FTE ceiling (its
        // payments follow its declarations), or the instalments of the Caf's decided amount.
        let (notification, echeancier) = match dossier.dispositif.regles().financement {
            ModeFinancement::FormuleAip => {
                let Some(n) = decision.notification else {
                    return Err(Refus::incoherence(
                        ACTION,
                        "la convention s'établit sur la décision du comité qui a validé le projet",
                    ));
                };
                if !nouvelle.echeancier.is_empty() {
                    return Err(Refus::invalide(
                        ACTION,
                        "une convention AIP ne fixe pas d'échéancier : l'acompte et le solde suivent les déclarations",
                    ));
                }
                (Some(n), Vec::new())
            }
            ModeFinancement::SubventionEcheancier => (
                None,
                etablir_echeancier(
                    ACTION,
                    &nouvelle.echeancier,
                    decision.engagement_caf(),
                    nouvelle.debut,
                    nouvelle.fin,
                )?,
            ),
        };
        let apres = Convention {
            id,
            numero: nouvelle.numero.trim().to_owned(),
            dossier: dossier.id,
            decision: decision.id,
            gestionnaire: dossier.gestionnaire,
            departement: dossier.departement,
            dispositif: dossier.dispositif,
            debut: nouvelle.debut,
            fin: nouvelle.fin,
            etat: Projet,
            date_signature: None,
            signature_gestionnaire: None,
            notification_initiale: notification,
            echeancier,
            avenants: Vec::new(),
            date_resiliation: None,
            motif_resiliation: None,
            version: 1,
            cree_le: quand,
        };
        let audit = Audit::nouveau(
            TypeEntite::Convention,
            id.0,
            "etablir",
            acteur,
            quand,
            match notification {
                Some(n) => format!(
                    "convention {} établie du {} au {}, {} ETP notifiés",
                    apres.numero,
                    date_fr(apres.debut),
                    date_fr(apres.fin),
                    n.etp
                ),
                None => format!(
                    "convention {} établie du {} au {}, subvention de la Caf de {} en {} versement(s) : {}",
                    apres.numero,
                    date_fr(apres.debut),
                    date_fr(apres.fin),
                    decision.engagement_caf(),
                    apres.echeancier.len(),
                    apres
                        .echeancier
                        .iter()
                        .map(|v| format!("n°{} le {} : {}", v.rang, date_fr(v.date), v.montant))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                ),
            },
        )
        .etats(None, Projet.code());
        Ok(Transition { apres, audit })
    }

    /// Who may record the Caf's signature, and when: an agent of the département, on a
    /// convention in projet.
    pub(crate) fn exiger_signature_caf_ouverte(
        &self,
        acteur: &Acteur,
        action: &'static str,
    ) -> Result<(), Refus> {
        exiger_agent_caf(acteur, action, self.departement)?;
        self.exiger_etat(action, &[Projet])
    }

    /// Who may sign for the structure, and when: its gestionnaire, once, on a convention in
    /// projet that has not ended on `aujourd_hui`.
    pub fn exiger_signature_gestionnaire_ouverte(
        &self,
        acteur: &Acteur,
        action: &'static str,
        aujourd_hui: Date,
    ) -> Result<(), Refus> {
        exiger_gestionnaire(acteur, action, self.gestionnaire)?;
        self.exiger_etat(action, &[Projet])?;
        if let Some(s) = &self.signature_gestionnaire {
            return Err(Refus::DejaEnregistre {
                action,
                raison: format!(
                    "la structure a déjà signé la convention le {} ({})",
                    date_fr(s.le.date()),
                    s.nom
                ),
            });
        }
        if aujourd_hui > self.fin {
            return Err(Refus::invalide(
                action,
                format!(
                    "la convention a pris fin le {} : elle ne peut plus être signée",
                    date_fr(self.fin)
                ),
            ));
        }
        Ok(())
    }

    /// A Caf agent records the signature (by both parties) on `date_signature`. Requires the
    /// validated dossier and a period within the experiment's (Référentiel national de financement de l'AIP §IV.4: « La validation du
    /// projet de fonctionnement et la signature de la Cof conditionnent le versement »).
    pub fn signer(
        &self,
        acteur: &Acteur,
        dossier: &Dossier,
        date_signature: Date,
        quand: OffsetDateTime,
    ) -> Result<Transition<Convention>, Refus> {
        const ACTION: &str = "Signer la convention";
        self.exiger_signature_caf_ouverte(acteur, ACTION)?;
        if dossier.id != self.dossier {
            return Err(Refus::incoherence(
                ACTION,
                "ce dossier n'est pas celui de la convention",
            ));
        }
        exiger_dossier_valide(ACTION, dossier)?;
        verifier_periode(ACTION, dossier, self.debut, self.fin)?;
        if date_signature > quand.date() {
            return Err(Refus::invalide(
                ACTION,
                format!(
                    "la date de signature ({}) est dans le futur",
                    date_fr(date_signature)
                ),
            ));
        }
        if date_signature > self.fin {
            return Err(Refus::invalide(
                ACTION,
                format!(
                    "la convention a pris fin le {} : elle ne peut plus être signée",
                    date_fr(self.fin)
                ),
            ));
        }
        let description = match &self.signature_gestionnaire {
            Some(s) if date_signature < s.le.date() => {
                return Err(Refus::invalide(
                    ACTION,
                    format!(
                        "la date de signature ({}) précède celle de la structure ({}) : la Caf contresigne après elle",
                        date_fr(date_signature),
                        date_fr(s.le.date())
                    ),
                ));
            }
            Some(s) => format!(
                "convention {} contresignée par la Caf le {} (signée par la structure le {})",
                self.numero,
                date_fr(date_signature),
                date_fr(s.le.date())
            ),
            None => format!(
                "convention {} signée le {}",
                self.numero,
                date_fr(date_signature)
            ),
        };
        let (mut apres, audit) = self.vers(Signee, "signer", acteur, quand, description);
        apres.date_signature = Some(date_signature);
        let audit = audit.changement("date_signature", None, Some(date_fr(date_signature)));
        Ok(Transition { apres, audit })
    }

    /// The gestionnaire signs the convention in the application, having accepted its terms
    /// explicitly (`accepte`): who and when are recorded, and the convention awaits the Caf's
    /// countersignature ([`Convention::signer`]), still a `projet` (Référentiel national de financement de l'AIP §IV.4: the
    /// convention binds the Caf and the gestionnaire). Same conditions as the Caf's signature:
    /// a validated dossier, a period within the experiment's, before the end of the convention.
    pub fn signer_par_gestionnaire(
        &self,
        acteur: &Acteur,
        dossier: &Dossier,
        signataire: &str,
        accepte: bool,
        quand: OffsetDateTime,
    ) -> Result<Transition<Convention>, Refus> {
        const ACTION: &str = "Signer la convention";
        self.exiger_signature_gestionnaire_ouverte(acteur, ACTION, quand.date())?;
        if dossier.id != self.dossier {
            return Err(Refus::incoherence(
                ACTION,
                "ce dossier n'est pas celui de la convention",
            ));
        }
        exiger_dossier_valide(ACTION, dossier)?;
        verifier_periode(ACTION, dossier, self.debut, self.fin)?;
        if !accepte {
            return Err(Refus::Incomplet {
                action: ACTION,
                champs: vec!["acceptation des termes de la convention"],
            });
        }
        if vide(signataire) {
            return Err(Refus::Incomplet {
                action: ACTION,
                champs: vec!["nom du signataire"],
            });
        }
        let signature = SignatureGestionnaire {
            utilisateur: acteur.id,
            nom: signataire.trim().to_owned(),
            le: quand,
        };
        let mut apres = self.clone();
        apres.signature_gestionnaire = Some(signature.clone());
        apres.version += 1;
        let audit = Audit::nouveau(
            TypeEntite::Convention,
            self.id.0,
            "signer_par_gestionnaire",
            acteur,
            quand,
            format!(
                "convention {} signée par la structure ({}) le {} : en attente de la contresignature de la Caf",
                self.numero,
                signature.nom,
                date_fr(quand.date())
            ),
        )
        .etats(Some(self.etat.code()), self.etat.code())
        .changement(
            "signature_gestionnaire",
            None,
            Some(format!("{}, le {}", signature.nom, date_fr(quand.date()))),
        );
        Ok(Transition { apres, audit })
    }

    /// A Caf agent signs an avenant taking in a new FTE ceiling notified by the comité
    /// ([`Decision::nouvelle_notification`]), effective within the convention's period.
    pub fn ajouter_avenant(
        &self,
        acteur: &Acteur,
        decision: &Decision,
        date_signature: Date,
        quand: OffsetDateTime,
    ) -> Result<Transition<Convention>, Refus> {
        const ACTION: &str = "Signer un avenant";
        exiger_agent_caf(acteur, ACTION, self.departement)?;
        self.exiger_etat(ACTION, &[Signee])?;
        if decision.dossier != self.dossier {
            return Err(Refus::incoherence(
                ACTION,
                "cette décision porte sur un autre dossier",
            ));
        }
        let notification = match (decision.objet, decision.issue, decision.notification) {
            (ObjetDecision::NouvelleNotification, IssueDecision::Valide, Some(n)) => n,
            _ => {
                return Err(Refus::incoherence(
                    ACTION,
                    "un avenant reprend une nouvelle notification d'ETP du comité",
                ));
            }
        };
        if self.avenants.iter().any(|a| a.decision == decision.id) || self.decision == decision.id {
            return Err(Refus::DejaEnregistre {
                action: ACTION,
                raison: "cette notification figure déjà dans la convention".to_owned(),
            });
        }
        if notification.date_effet < self.debut || notification.date_effet > self.fin_effective() {
            return Err(Refus::invalide(
                ACTION,
                format!(
                    "la date d'effet ({}) doit tomber dans la période de la convention, du {} au {}",
                    date_fr(notification.date_effet),
                    date_fr(self.debut),
                    date_fr(self.fin_effective())
                ),
            ));
        }
        let ancien = self.etp_notifie_au(notification.date_effet);
        if ancien == notification.etp {
            return Err(Refus::invalide(
                ACTION,
                format!("le nombre d'ETP notifié reste {ancien} : il n'y a rien à modifier"),
            ));
        }
        if date_signature > quand.date() {
            return Err(Refus::invalide(
                ACTION,
                format!(
                    "la date de signature ({}) est dans le futur",
                    date_fr(date_signature)
                ),
            ));
        }
        let numero = u16::try_from(self.avenants.len() + 1).unwrap_or(u16::MAX);
        let mut apres = self.clone();
        apres.avenants.push(Avenant {
            numero,
            decision: decision.id,
            notification,
            date_signature,
        });
        apres.version += 1;
        let audit = Audit::nouveau(
            TypeEntite::Convention,
            self.id.0,
            "ajouter_avenant",
            acteur,
            quand,
            format!(
                "avenant n°{numero} : {} ETP notifiés à compter du {} (au lieu de {ancien})",
                notification.etp,
                date_fr(notification.date_effet)
            ),
        )
        .etats(Some(self.etat.code()), self.etat.code())
        .changement(
            "etp_notifies",
            Some(ancien.to_string()),
            Some(notification.etp.to_string()),
        );
        Ok(Transition { apres, audit })
    }

    /// A Caf agent closes the convention once its period is over.
    pub fn cloturer(
        &self,
        acteur: &Acteur,
        quand: OffsetDateTime,
    ) -> Result<Transition<Convention>, Refus> {
        const ACTION: &str = "Clôturer la convention";
        exiger_agent_caf(acteur, ACTION, self.departement)?;
        self.exiger_etat(ACTION, &[Signee])?;
        if quand.date() < self.fin {
            return Err(Refus::condition(
                ACTION,
                format!(
                    "la convention court jusqu'au {} : avant, elle ne peut qu'être résiliée",
                    date_fr(self.fin)
                ),
            ));
        }
        let (apres, audit) = self.vers(
            Cloturee,
            "cloturer",
            acteur,
            quand,
            format!("convention {} clôturée", self.numero),
        );
        Ok(Transition { apres, audit })
    }

    /// A Caf agent terminates the convention, with a reason, from `date_effet` (its last day of
    /// effect). An unsigned draft is abandoned the same way.
    pub fn resilier(
        &self,
        acteur: &Acteur,
        motif: &str,
        date_effet: Date,
        quand: OffsetDateTime,
    ) -> Result<Transition<Convention>, Refus> {
        const ACTION: &str = "Résilier la convention";
        exiger_agent_caf(acteur, ACTION, self.departement)?;
        self.exiger_etat(ACTION, &[Projet, Signee])?;
        let motif = exiger_motif(ACTION, motif)?;
        if date_effet < self.debut || date_effet > self.fin {
            return Err(Refus::invalide(
                ACTION,
                format!(
                    "la date d'effet ({}) doit tomber dans la période de la convention, du {} au {}",
                    date_fr(date_effet),
                    date_fr(self.debut),
                    date_fr(self.fin)
                ),
            ));
        }
        let (mut apres, audit) = self.vers(
            Resiliee,
            "resilier",
            acteur,
            quand,
            format!(
                "convention {} résiliée au {} : {motif}",
                self.numero,
                date_fr(date_effet)
            ),
        );
        apres.date_resiliation = Some(date_effet);
        apres.motif_resiliation = Some(motif.clone());
        let audit = audit
            .changement("date_resiliation", None, Some(date_fr(date_effet)))
            .changement("motif_resiliation", None, Some(motif));
        Ok(Transition { apres, audit })
    }
}
