//! Writing, sending and checking a declaration: the gestionnaire of the convention writes it, the
//! Caf of the département validates it or sends it back (Référentiel national de financement de l'AIP §IV.4, §VI.1).

use referentiel::aip::{CalendrierAip, EntreeAip, ParametresAip};
use time::OffsetDateTime;

use super::controles::verifier_donnees;
use super::transmission::Objet;
use super::{
    Declaration, DonneesDeclaration, DroitFige, EcartActivite, EtatTransmission, EtpValides,
    NatureDeclaration, Peremption, SuiviTransmission,
};
use crate::acces::{Acteur, exiger_gestionnaire};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::convention::{Convention, EtatConvention};
use crate::identifiants::DeclarationId;
use crate::paiement::Paiement;
use crate::quantites::Centimes;
use crate::refus::{Refus, exiger_etat};
use crate::structures::EtpPortes;

impl Declaration {
    pub fn etat(&self) -> super::EtatTransmission {
        self.suivi.etat
    }

    pub(super) fn objet(&self) -> Objet<'_> {
        Objet {
            entite: TypeEntite::Declaration,
            id: self.id.0,
            nom: "la déclaration",
            designation: format!("{} {}", self.nature.libelle(), self.exercice),
            departement: self.departement,
            gestionnaire: self.gestionnaire,
            suivi: &self.suivi,
        }
    }

    fn avec_suivi(&self, suivi: SuiviTransmission, audit: Audit) -> Transition<Declaration> {
        let mut apres = self.clone();
        apres.suivi = suivi;
        apres.version += 1;
        Transition { apres, audit }
    }

    /// Who may write a declaration under `convention`, and when: its gestionnaire, on a
    /// convention in projet, signed or terminated.
    pub(crate) fn exiger_saisie_ouverte(
        acteur: &Acteur,
        convention: &Convention,
        action: &'static str,
    ) -> Result<(), Refus> {
        exiger_gestionnaire(acteur, action, convention.gestionnaire)?;
        exiger_etat(
            action,
            "la convention",
            convention.etat,
            EtatConvention::libelle,
            &[
                EtatConvention::Projet,
                EtatConvention::Signee,
                EtatConvention::Resiliee,
            ],
        )
    }

    /// The gestionnaire of the convention writes a declaration of `exercice`. Possible on a
    /// convention in projet (the prévisionnelle comes at the start of the year, often before the
    /// signature), signed, or terminated (its réelle is still due); not on a closed one.
    pub fn saisir(
        id: DeclarationId,
        acteur: &Acteur,
        convention: &Convention,
        exercice: i32,
        nature: NatureDeclaration,
        donnees: DonneesDeclaration,
        quand: OffsetDateTime,
    ) -> Result<Transition<Declaration>, Refus> {
        const ACTION: &str = "Saisir une déclaration";
        Declaration::exiger_saisie_ouverte(acteur, convention, ACTION)?;
        verifier_donnees(ACTION, convention, exercice, &donnees)?;
        let apres = Declaration {
            id,
            convention: convention.id,
            gestionnaire: convention.gestionnaire,
            departement: convention.departement,
            exercice,
            nature,
            donnees,
            suivi: SuiviTransmission::nouveau(),
            version: 1,
            saisie_le: quand,
            ecart_activite: None,
            droit: None,
        };
        let audit = Audit::nouveau(
            TypeEntite::Declaration,
            id.0,
            "saisir",
            acteur,
            quand,
            format!("{} {exercice} saisie", nature.libelle()),
        )
        .etats(None, apres.suivi.etat.code());
        Ok(Transition { apres, audit })
    }

    /// Like [`Declaration::saisir`], with the reason its activity differs from the sessions
    /// recorded on the platform, when it does: the reason is required, and kept for the Caf.
    #[allow(clippy::too_many_arguments)]
    pub fn saisir_justifiee(
        id: DeclarationId,
        acteur: &Acteur,
        convention: &Convention,
        exercice: i32,
        nature: NatureDeclaration,
        donnees: DonneesDeclaration,
        ecart: Option<EcartActivite>,
        quand: OffsetDateTime,
    ) -> Result<Transition<Declaration>, Refus> {
        const ACTION: &str = "Saisir une déclaration";
        let mut t = Declaration::saisir(id, acteur, convention, exercice, nature, donnees, quand)?;
        if let Some(e) = ecart {
            let motif = crate::refus::exiger_motif(ACTION, &e.motif)?;
            t.audit = t
                .audit
                .changement("motif_ecart_activite", None, Some(motif.clone()));
            t.apres.ecart_activite = Some(EcartActivite {
                enregistree: e.enregistree,
                motif,
            });
        }
        Ok(t)
    }

    /// The gestionnaire corrects its figures while the declaration is `saisie`.
    pub fn modifier(
        &self,
        acteur: &Acteur,
        convention: &Convention,
        donnees: DonneesDeclaration,
        quand: OffsetDateTime,
    ) -> Result<Transition<Declaration>, Refus> {
        const ACTION: &str = "Modifier la déclaration";
        self.objet().exiger_saisie(acteur, ACTION)?;
        if convention.id != self.convention {
            return Err(Refus::incoherence(
                ACTION,
                "ce n'est pas la convention de cette déclaration",
            ));
        }
        verifier_donnees(ACTION, convention, self.exercice, &donnees)?;
        let avant = &self.donnees;
        let audit = Audit::nouveau(
            TypeEntite::Declaration,
            self.id.0,
            "modifier",
            acteur,
            quand,
            format!("{} {} modifiée", self.nature.libelle(), self.exercice),
        )
        .changement(
            "depenses_fonctionnement",
            Some(avant.depenses_fonctionnement.texte_point()),
            Some(donnees.depenses_fonctionnement.texte_point()),
        )
        .changement(
            "etp_declares",
            Some(avant.etp_declares.texte_point()),
            Some(donnees.etp_declares.texte_point()),
        )
        .changement(
            "mois_fonctionnement",
            Some(avant.mois_fonctionnement.to_string()),
            Some(donnees.mois_fonctionnement.to_string()),
        )
        .changement(
            "activite",
            Some(format!("{:?}", avant.activite)),
            Some(format!("{:?}", donnees.activite)),
        );
        let mut apres = self.clone();
        apres.donnees = donnees;
        apres.version += 1;
        Ok(Transition { apres, audit })
    }

    /// The gestionnaire sends the declaration to the Caf, within the calendar of its exercise
    /// (Référentiel national de financement de l'AIP, §VI.1 étape 2: the prévisionnelle « en début
    /// d'exercice », the actualisée « en fin d'exercice », the réelle « en N + 1 »). Sent too early,
    /// it is refused with the first day it may be sent.
    pub fn transmettre(
        &self,
        acteur: &Acteur,
        calendrier: &CalendrierAip<'_>,
        portes: &EtpPortes,
        quand: OffsetDateTime,
    ) -> Result<Transition<Declaration>, Refus> {
        const ACTION: &str = "Transmettre la déclaration";
        let objet = self.objet();
        objet.exiger_saisie(acteur, ACTION)?;
        if calendrier.exercice != self.exercice {
            return Err(Refus::incoherence(
                ACTION,
                format!(
                    "le calendrier fourni est celui de {}, la déclaration porte sur {}",
                    calendrier.exercice, self.exercice
                ),
            ));
        }
        super::transmission::exiger_ouverture(
            ACTION,
            &format!("la {} de {}", self.nature.libelle(), self.exercice),
            calendrier.ouverture(self.nature.referentiel()),
            quand,
        )?;
        if portes.exercice != self.exercice {
            return Err(Refus::incoherence(
                ACTION,
                "les ETP portés fournis sont ceux d'un autre exercice",
            ));
        }
        portes.exiger(ACTION, self.donnees.etp_declares)?;
        let (suivi, audit) = objet.transmettre(acteur, ACTION, quand)?;
        Ok(self.avec_suivi(suivi, audit))
    }

    /// A Caf agent of the département accepts the declaration: the domain computes its right
    /// with the parameters of the exercise, the convention's FTE ceiling and the payments made so
    /// far, and freezes it in the declaration with its trace (Référentiel national de financement
    /// de l'AIP, §VI.1 and §VI.2 étape 4). The audit event carries the amounts.
    pub fn valider(
        &self,
        acteur: &Acteur,
        convention: &Convention,
        parametres: &ParametresAip<'_>,
        paiements: &[Paiement],
        quand: OffsetDateTime,
    ) -> Result<Transition<Declaration>, Refus> {
        self.valider_etp(acteur, convention, parametres, paiements, None, quand)
    }

    /// Like [`Declaration::valider`], with the « ETP validés » of a réelle: the Caf retains fewer
    /// FTE than declared, with a motivation, in view of the hours and parents of the year
    /// (Référentiel national de financement de l'AIP, §VI.2); the right is computed on them.
    /// Refused on another declaration than the réelle, above the FTE declared, or without a
    /// motivation when lower. Validating as many as declared is an ordinary validation.
    pub fn valider_etp(
        &self,
        acteur: &Acteur,
        convention: &Convention,
        parametres: &ParametresAip<'_>,
        paiements: &[Paiement],
        etp_valides: Option<EtpValides>,
        quand: OffsetDateTime,
    ) -> Result<Transition<Declaration>, Refus> {
        const ACTION: &str = "Valider la déclaration";
        let (suivi, audit) = self.objet().valider(acteur, ACTION, quand)?;
        if convention.id != self.convention {
            return Err(Refus::incoherence(
                ACTION,
                "ce n'est pas la convention de cette déclaration",
            ));
        }
        let etp_valides = match etp_valides {
            Some(v) if v.etp == self.donnees.etp_declares => None,
            Some(v) => {
                if let Some((_, refus)) = self.ecarts_etp_valides(ACTION, &v).into_iter().next() {
                    return Err(refus);
                }
                let motivation = crate::refus::exiger_motif(ACTION, &v.motivation)?;
                Some(EtpValides {
                    etp: v.etp,
                    motivation,
                })
            }
            None => None,
        };
        let droit = DroitFige::calculer(
            ACTION,
            self,
            convention,
            parametres,
            paiements,
            etp_valides,
            quand,
        )?;
        let mut audit = audit;
        if let Some(v) = &droit.etp_valides {
            audit = audit.changement(
                "etp_valides",
                Some(self.donnees.etp_declares.texte_point()),
                Some(format!("{} ({})", v.etp.texte_point(), v.motivation)),
            );
        }
        let audit = audit
            .changement("droit", None, Some(droit.montant.texte_point()))
            .changement(
                droit.suite.code(),
                None,
                Some(droit.suite_montant.texte_point()),
            )
            .changement(
                "versements_pris_en_compte",
                None,
                Some(droit.versements_pris_en_compte.texte_point()),
            )
            .changement("etp_notifies", None, Some(droit.etp_notifies.clone()));
        let mut t = self.avec_suivi(suivi, audit);
        t.apres.droit = Some(droit);
        Ok(t)
    }

    /// The right this declaration carries, if it still holds given `convention` and the
    /// payments recorded now; otherwise why it is stale.
    pub fn droit_a_jour(
        &self,
        convention: &Convention,
        paiements: &[Paiement],
    ) -> Result<Result<&DroitFige, Peremption>, Refus> {
        let Some(droit) = &self.droit else {
            return Ok(Err(Peremption::SansDroit));
        };
        Ok(match droit.peremption(self, convention, paiements)? {
            None => Ok(droit),
            Some(p) => Err(p),
        })
    }

    /// A validated declaration whose frozen right no longer holds (an avenant changed the FTE
    /// notified, payments changed since) goes back to `transmise` for the Caf to validate it
    /// again; its right is dropped, never recomputed silently. Refused once the payment that
    /// follows it was made: a payment is a fact.
    pub fn rouvrir(
        &self,
        acteur: &Acteur,
        peremption: &Peremption,
        paiements: &[Paiement],
        quand: OffsetDateTime,
    ) -> Result<Transition<Declaration>, Refus> {
        const ACTION: &str = "Rouvrir la déclaration";
        crate::acces::exiger_agent_caf(acteur, ACTION, self.departement)?;
        crate::refus::exiger_etat(
            ACTION,
            "la déclaration",
            self.suivi.etat,
            EtatTransmission::libelle,
            &[EtatTransmission::Validee],
        )?;
        let echeance = match self.nature {
            NatureDeclaration::Previsionnelle => Some(crate::paiement::Echeance::Acompte),
            NatureDeclaration::Reelle => Some(crate::paiement::Echeance::Solde),
            NatureDeclaration::Actualisee => None,
        };
        if let Some(echeance) = echeance
            && paiements
                .iter()
                .any(|p| p.cle() == (self.convention, self.exercice, echeance))
        {
            return Err(Refus::DejaEnregistre {
                action: ACTION,
                raison: format!(
                    "le paiement qui suit la {} {} est déjà émis",
                    self.nature.libelle(),
                    self.exercice
                ),
            });
        }
        let mut suivi = self.suivi.clone();
        suivi.etat = EtatTransmission::Transmise;
        suivi.validee_le = None;
        suivi.validee_par = None;
        let raison = peremption.raison();
        let audit = Audit::nouveau(
            TypeEntite::Declaration,
            self.id.0,
            "rouvrir",
            acteur,
            quand,
            format!(
                "{} {} rouverte pour une nouvelle validation : {raison}",
                self.nature.libelle(),
                self.exercice
            ),
        )
        .etats(Some(self.suivi.etat.code()), suivi.etat.code())
        .changement(
            "droit",
            self.droit.as_ref().map(|d| d.montant.texte_point()),
            None,
        );
        let mut t = self.avec_suivi(suivi, audit);
        t.apres.droit = None;
        Ok(t)
    }

    /// A Caf agent sends the declaration back to the gestionnaire; the reason is required.
    pub fn renvoyer(
        &self,
        acteur: &Acteur,
        motif: &str,
        quand: OffsetDateTime,
    ) -> Result<Transition<Declaration>, Refus> {
        let (suivi, audit) =
            self.objet()
                .renvoyer(acteur, "Renvoyer la déclaration", motif, quand)?;
        Ok(self.avec_suivi(suivi, audit))
    }

    /// The input of the référentiel's computation for this declaration, with the FTE ceiling of
    /// the convention for the exercise and the payments already made.
    pub fn entree_aip(
        &self,
        convention: &Convention,
        versements: Centimes,
    ) -> Result<EntreeAip, Refus> {
        const ACTION: &str = "Calculer la subvention";
        let calcul = |raison: String| Refus::Calcul {
            action: ACTION,
            raison,
        };
        Ok(EntreeAip {
            exercice: self.exercice,
            declaration: self.nature.referentiel(),
            etp_declares: self
                .donnees
                .etp_declares
                .decimal()
                .map_err(|e| calcul(e.to_string()))?,
            etp_notifies: convention
                .etp_notifies_moyens(self.exercice, self.donnees.mois_fonctionnement)?,
            mois_fonctionnement: self.donnees.mois_fonctionnement,
            depenses_fonctionnement: self.donnees.depenses_fonctionnement.decimal(),
            versements_effectues: versements.decimal(),
        })
    }
}
