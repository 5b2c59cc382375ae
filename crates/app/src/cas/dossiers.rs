//! Calls for projects, dossiers from draft to the comité's decision, the funders' shares, and
//! conventions from drafting to closing (Référentiel national de financement de l'AIP §IV.3, §IV.4).

use domain::acces::{Acteur, Role};
use domain::appel_a_projets::{AppelAProjets, NouvelAppel};
use domain::convention::{Convention, NouvelleConvention};
use domain::decision::{Decision, SaisieDecision, SaisiePart};
use domain::dossier::{Dossier, EtatDossier, ProjetFonctionnement};
use domain::enveloppe::verifier_decision;
use domain::identifiants::{
    AppelAProjetsId, CodeDepartement, ConventionId, DecisionId, DossierId, GestionnaireId,
};
use domain::structures::{Cofinanceur, Gestionnaire};
use store::Valeur;
use store::depot::{self, Lu};
use time::{Date, OffsetDateTime};

use super::{creer, ecrire};
use crate::Plateforme;
use crate::acces::{ETATS_VUS_PAR_FINANCEUR, Filtre, peut_voir};
use crate::erreur::ErreurApp;

/// A transition of a dossier chosen by the caller.
#[derive(Debug, Clone)]
pub enum ActionDossier {
    Modifier(Box<ProjetFonctionnement>),
    Deposer,
    PrendreEnInstruction,
    DemanderComplement(String),
    /// A request for information naming the pieces the Caf needs.
    DemanderComplementEtPieces(String, Vec<domain::pieces::TypePiece>),
    PresenterEnComite(Date),
    ClasserSansSuite(String),
    Retirer(Option<String>),
}

impl Plateforme {
    pub async fn publier_appel(
        &self,
        acteur: &Acteur,
        appel: NouvelAppel,
        quand: OffsetDateTime,
    ) -> Result<Lu<AppelAProjets>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let id = AppelAProjetsId(depot::prochain_id(&mut tx, "appels").await?);
        let t = AppelAProjets::publier(id, acteur, appel, quand)?;
        let lu = creer(&mut tx, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// The calls a user may see (all of its territory; every call for a gestionnaire, which
    /// answers calls of its département).
    pub async fn appels(&self, acteur: &Acteur) -> Result<Vec<Lu<AppelAProjets>>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let f = match acteur.role {
            Role::Caf | Role::Financeur => Filtre::pour(acteur, "departement", "0"),
            _ => Filtre::pour(
                &Acteur {
                    role: Role::Cnaf,
                    ..acteur.clone()
                },
                "",
                "",
            ),
        };
        Ok(depot::lister(&mut tx, &f.condition, &f.params, "ouverture DESC, id").await?)
    }

    pub async fn creer_dossier(
        &self,
        acteur: &Acteur,
        appel: AppelAProjetsId,
        gestionnaire: GestionnaireId,
        projet: ProjetFonctionnement,
        quand: OffsetDateTime,
    ) -> Result<Lu<Dossier>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let appel = depot::lire::<AppelAProjets>(&mut tx, appel.0).await?;
        // A structure answers the calls of the Caf of its head office (checked once the domain
        // knows the user may act for it, so that an outsider learns nothing of the structure).
        if acteur.gestionnaires.contains(&gestionnaire) {
            let g =
                depot::lire::<domain::structures::Gestionnaire>(&mut tx, gestionnaire.0).await?;
            if g.valeur.departement_siege != appel.valeur.departement {
                return Err(ErreurApp::Refus(domain::Refus::condition(
                    "Créer un dossier",
                    format!(
                        "cet appel à projets est celui de la Caf du département {}; votre structure, dont le siège est dans le {}, répond aux appels de sa Caf",
                        appel.valeur.departement, g.valeur.departement_siege
                    ),
                )));
            }
        }
        let id = DossierId(depot::prochain_id(&mut tx, "dossiers").await?);
        let t = Dossier::creer(id, acteur, &appel.valeur, gestionnaire, projet, quand)?;
        let lu = creer(&mut tx, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// One dossier, if the user may see it.
    pub async fn dossier(&self, acteur: &Acteur, id: DossierId) -> Result<Lu<Dossier>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let mut d = depot::lire::<Dossier>(&mut tx, id.0).await?;
        verifier_visible(acteur, &d.valeur)?;
        d.valeur = d.valeur.pour_lecteur(acteur);
        Ok(d)
    }

    /// The dossiers a user may see, optionally in one state.
    pub async fn dossiers(
        &self,
        acteur: &Acteur,
        etat: Option<&str>,
    ) -> Result<Vec<Lu<Dossier>>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let mut f = Filtre::pour(acteur, "departement", "gestionnaire_id");
        if acteur.role == Role::Financeur {
            f = f.et(
                "etat IN ($1, $2, $3)",
                ETATS_VUS_PAR_FINANCEUR
                    .iter()
                    .map(|e| Valeur::from(*e))
                    .collect(),
            );
        }
        // A draft is the gestionnaire's own until it is submitted: the Caf does not list it.
        if acteur.role == Role::Caf {
            f = f.et("etat <> $1", vec![EtatDossier::Brouillon.code().into()]);
        }
        if let Some(e) = etat {
            f = f.et("etat = $1", vec![e.into()]);
        }
        let lus: Vec<Lu<Dossier>> = depot::lister(&mut tx, &f.condition, &f.params, "id").await?;
        Ok(lus
            .into_iter()
            .map(|mut d| {
                d.valeur = d.valeur.pour_lecteur(acteur);
                d
            })
            .collect())
    }

    /// Moves a dossier by one of its transitions. `version_lue` is the version the user saw: if
    /// someone saved in between, the write is refused with a conflict and nothing is lost.
    pub async fn agir_sur_dossier(
        &self,
        acteur: &Acteur,
        id: DossierId,
        version_lue: Option<i64>,
        action: ActionDossier,
        quand: OffsetDateTime,
    ) -> Result<Lu<Dossier>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Dossier>(&mut tx, id.0).await?;
        let d = &avant.valeur;
        let demande = match &action {
            ActionDossier::DemanderComplement(demande)
            | ActionDossier::DemanderComplementEtPieces(demande, _) => Some(demande.clone()),
            _ => None,
        };
        let t = match action {
            ActionDossier::Modifier(projet) => d.modifier(acteur, *projet, quand)?,
            ActionDossier::Deposer => {
                let appel = depot::lire::<AppelAProjets>(&mut tx, d.appel.0).await?;
                let structure = depot::lire::<Gestionnaire>(&mut tx, d.gestionnaire.0).await?;
                let admissible = structure
                    .valeur
                    .admissible(d.dispositif, "Déposer le dossier")?;
                d.deposer(acteur, &appel.valeur, &admissible, quand)?
            }
            ActionDossier::PrendreEnInstruction => d.prendre_en_instruction(acteur, quand)?,
            ActionDossier::DemanderComplement(demande) => {
                d.demander_complement(acteur, &demande, quand)?
            }
            ActionDossier::DemanderComplementEtPieces(demande, pieces) => {
                d.demander_complement_et_pieces(acteur, &demande, &pieces, quand)?
            }
            ActionDossier::PresenterEnComite(date) => d.presenter_en_comite(acteur, date, quand)?,
            ActionDossier::ClasserSansSuite(motif) => {
                d.classer_sans_suite(acteur, &motif, quand)?
            }
            ActionDossier::Retirer(motif) => d.retirer(acteur, motif.as_deref(), quand)?,
        };
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        if let Some(demande) = demande {
            super::avis::demande_information(&mut tx, &lu.valeur, &demande, quand).await?;
        }
        tx.valider().await?;
        Ok(lu)
    }

    /// The partner funders of the départements `departements`, by name, for a financing plan to
    /// ask them (Lettre circulaire Cnaf 2012-093 §43). Their names and kinds are no secret: any
    /// signed-in user may read them.
    pub async fn financeurs_des_departements(
        &self,
        departements: &[CodeDepartement],
    ) -> Result<Vec<domain::structures::Financeur>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let mut financeurs = Vec::new();
        for d in departements {
            let lus: Vec<Lu<domain::structures::Financeur>> =
                depot::lister(&mut tx, "departement = $1", &[d.as_str().into()], "nom, id").await?;
            financeurs.extend(lus.into_iter().map(|l| l.valeur));
        }
        Ok(financeurs)
    }

    /// Records the comité's decision on a dossier. When the Caf's share would exceed what remains
    /// of its allocation, the decision is not recorded and the alert is returned, unless
    /// `malgre_depassement` confirms it.
    pub async fn enregistrer_decision(
        &self,
        acteur: &Acteur,
        dossier: DossierId,
        version_lue: Option<i64>,
        saisie: SaisieDecision,
        malgre_depassement: bool,
        quand: OffsetDateTime,
    ) -> Result<(Lu<Dossier>, Lu<Decision>), ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Dossier>(&mut tx, dossier.0).await?;
        // Only the AIP's experiment has an envelope to check against (`domain::dispositifs`).
        if !malgre_depassement && avant.valeur.dispositif.regles().experimentation_aip {
            let situation =
                super::enveloppes::situation_tx(&mut tx, avant.valeur.departement).await?;
            if let Some(alerte) = verifier_decision(&situation, &saisie) {
                return Err(ErreurApp::Enveloppe(alerte));
            }
        }
        let structure = depot::lire::<Gestionnaire>(&mut tx, avant.valeur.gestionnaire.0).await?;
        let eligibilite = structure
            .valeur
            .admissible(avant.valeur.dispositif, "Enregistrer la décision du comité");
        let id = DecisionId(depot::prochain_id(&mut tx, "decisions").await?);
        let enregistree =
            avant
                .valeur
                .enregistrer_decision(acteur, id, saisie, &eligibilite, quand)?;
        let decision = creer(&mut tx, enregistree.decision).await?;
        let dossier = ecrire(&mut tx, &avant, version_lue, enregistree.dossier).await?;
        super::avis::decision(&mut tx, &decision.valeur, &dossier.valeur, quand).await?;
        tx.valider().await?;
        Ok((dossier, decision))
    }

    /// A co-funder (or the Caf) records its own share of a decision.
    pub async fn enregistrer_part(
        &self,
        acteur: &Acteur,
        decision: DecisionId,
        financeur: Cofinanceur,
        saisie: SaisiePart,
        quand: OffsetDateTime,
    ) -> Result<Lu<Decision>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Decision>(&mut tx, decision.0).await?;
        let t = avant
            .valeur
            .enregistrer_part(acteur, financeur, saisie, quand)?;
        let lu = ecrire(&mut tx, &avant, None, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// The decisions on a dossier, oldest first.
    pub async fn decisions(
        &self,
        acteur: &Acteur,
        dossier: DossierId,
    ) -> Result<Vec<Lu<Decision>>, ErreurApp> {
        let d = self.dossier(acteur, dossier).await?;
        let mut tx = self.base.lire().await?;
        Ok(depot::lister(&mut tx, "dossier_id = $1", &[d.valeur.id.0.into()], "id").await?)
    }

    /// Draws up the convention of a validated dossier from the decision that validated it.
    pub async fn etablir_convention(
        &self,
        acteur: &Acteur,
        dossier: DossierId,
        nouvelle: NouvelleConvention,
        quand: OffsetDateTime,
    ) -> Result<Lu<Convention>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let d = depot::lire::<Dossier>(&mut tx, dossier.0).await?;
        let decisions: Vec<Lu<Decision>> = depot::lister(
            &mut tx,
            "dossier_id = $1 AND issue = 'valide'",
            &[dossier.0.into()],
            "id DESC",
        )
        .await?;
        let Some(decision) = decisions.first() else {
            return Err(ErreurApp::Refus(domain::Refus::condition(
                "Établir la convention",
                "aucune décision de validation n'est enregistrée pour ce dossier",
            )));
        };
        let structure = depot::lire::<Gestionnaire>(&mut tx, d.valeur.gestionnaire.0).await?;
        let admissible = structure
            .valeur
            .admissible(d.valeur.dispositif, "Établir la convention")?;
        let id = ConventionId(depot::prochain_id(&mut tx, "conventions").await?);
        let t = Convention::etablir(
            id,
            acteur,
            &d.valeur,
            &decision.valeur,
            &admissible,
            nouvelle,
            quand,
        )?;
        let lu = creer(&mut tx, t).await?;
        super::avis::convention_a_signer(&mut tx, &lu.valeur, quand).await?;
        tx.valider().await?;
        Ok(lu)
    }

    pub async fn signer_convention(
        &self,
        acteur: &Acteur,
        id: ConventionId,
        version_lue: Option<i64>,
        date_signature: Date,
        quand: OffsetDateTime,
    ) -> Result<Lu<Convention>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Convention>(&mut tx, id.0).await?;
        let dossier = depot::lire::<Dossier>(&mut tx, avant.valeur.dossier.0).await?;
        let t = avant
            .valeur
            .signer(acteur, &dossier.valeur, date_signature, quand)?;
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// The gestionnaire signs its convention in the application (`accepte`: it ticked its
    /// explicit acceptance); the Caf countersigns with [`Plateforme::signer_convention`].
    pub async fn signer_convention_gestionnaire(
        &self,
        acteur: &Acteur,
        id: ConventionId,
        version_lue: Option<i64>,
        signataire: &str,
        accepte: bool,
        quand: OffsetDateTime,
    ) -> Result<Lu<Convention>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Convention>(&mut tx, id.0).await?;
        let dossier = depot::lire::<Dossier>(&mut tx, avant.valeur.dossier.0).await?;
        let t = avant.valeur.signer_par_gestionnaire(
            acteur,
            &dossier.valeur,
            signataire,
            accepte,
            quand,
        )?;
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    pub async fn cloturer_convention(
        &self,
        acteur: &Acteur,
        id: ConventionId,
        quand: OffsetDateTime,
    ) -> Result<Lu<Convention>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Convention>(&mut tx, id.0).await?;
        let t = avant.valeur.cloturer(acteur, quand)?;
        let lu = ecrire(&mut tx, &avant, None, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    pub async fn resilier_convention(
        &self,
        acteur: &Acteur,
        id: ConventionId,
        motif: &str,
        date_effet: Date,
        quand: OffsetDateTime,
    ) -> Result<Lu<Convention>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Convention>(&mut tx, id.0).await?;
        let t = avant.valeur.resilier(acteur, motif, date_effet, quand)?;
        let lu = ecrire(&mut tx, &avant, None, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// One convention, if the user may see it.
    pub async fn convention(
        &self,
        acteur: &Acteur,
        id: ConventionId,
    ) -> Result<Lu<Convention>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let c = depot::lire::<Convention>(&mut tx, id.0).await?;
        if !peut_voir(acteur, c.valeur.departement, c.valeur.gestionnaire) {
            return Err(ErreurApp::Interdit(format!(
                "la convention n°{} n'est pas de votre territoire",
                c.valeur.numero
            )));
        }
        Ok(c)
    }

    /// The conventions a user may see.
    pub async fn conventions(&self, acteur: &Acteur) -> Result<Vec<Lu<Convention>>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let f = Filtre::pour(acteur, "departement", "gestionnaire_id");
        Ok(depot::lister(&mut tx, &f.condition, &f.params, "id").await?)
    }
}

pub(crate) fn verifier_visible(acteur: &Acteur, d: &Dossier) -> Result<(), ErreurApp> {
    let visible = peut_voir(acteur, d.departement, d.gestionnaire)
        && (acteur.role != Role::Financeur || ETATS_VUS_PAR_FINANCEUR.contains(&d.etat.code()));
    if visible {
        Ok(())
    } else {
        Err(ErreurApp::Interdit(format!(
            "le dossier n°{} n'est pas accessible avec votre rôle et votre territoire",
            d.id
        )))
    }
}
