//! Issuing payments: the acompte once the convention is signed and the prévisionnelle validated,
//! the solde (or an indu) once the réelle and the bilan are validated, each for the amount the
//! domain froze in the declaration it follows. A declaration whose frozen right no longer holds
//! (an avenant, payments changed since) goes back to the Caf for a new validation instead of being
//! paid on a recomputed figure. A payment is unique per
//! (convention, exercice, échéance): issuing it again returns the existing one, and the database's
//! unique key backs the rule against concurrent runs. Each payment is its own transaction, so a
//! run stopped midway leaves every payment either fully written or not at all.
//!
//! A scheme financed by instalments (see `domain::dispositifs`) has neither acompte nor solde:
//! each instalment frozen in its convention is paid once, from its date, for the amount the
//! convention froze ([`Plateforme::verser_echeance`]).

use domain::Refus;
use domain::acces::{Acteur, exiger_role_caf};
use domain::convention::Convention;
use domain::declaration::{Bilan, Declaration, NatureDeclaration};
use domain::identifiants::{ConventionId, PaiementId};
use domain::paiement::{
    Du, Emission, OrdrePaiement, Paiement, emettre_acompte, emettre_solde, emettre_versement,
    montant_du, versements_dus,
};
use domain::structures::Gestionnaire;
use store::Valeur;
use store::audit::{self, NouvelEvenement};
use store::depot::{self, Lu};
use time::{Date, OffsetDateTime};

use super::declarations::paiements_convention;
use super::ecrire;
use crate::Plateforme;
use crate::acces::Filtre;
use crate::erreur::ErreurApp;

/// Lock key serialising payment issuing on PostgreSQL.
const VERROU_PAIEMENTS: i64 = 0x00A1_9A1E;

/// What issuing a payment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultatEmission {
    /// A new payment was recorded.
    Emis(Paiement),
    /// The échéance already had its payment: it is returned, nothing was written.
    DejaEmis(Paiement),
    /// The declaration's frozen right no longer held: nothing was paid, the declaration went back
    /// to the Caf for a new validation, for the reason given.
    DeclarationRouverte {
        declaration: Box<Declaration>,
        raison: String,
    },
}

impl ResultatEmission {
    /// The payment, issued now or before.
    pub fn paiement(&self) -> Option<&Paiement> {
        match self {
            ResultatEmission::Emis(p) | ResultatEmission::DejaEmis(p) => Some(p),
            ResultatEmission::DeclarationRouverte { .. } => None,
        }
    }
}

/// A payment due and not yet issued, with what the domain says it amounts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaiementDu {
    pub convention: ConventionId,
    pub numero: String,
    pub exercice: i32,
    pub echeance: Echeance,
    /// The amount read from the declaration's frozen right, or why it must be validated again.
    pub du: Du,
}

/// What a payment run did: the payments issued, the declarations sent back for a new validation,
/// and every refusal other than « not due yet », for the user to see.
#[derive(Debug, Clone, Default)]
pub struct CampagnePaiements {
    pub emis: Vec<Paiement>,
    pub rouvertes: Vec<(Declaration, String)>,
    pub refus: Vec<(ConventionId, i32, Echeance, Refus)>,
}

/// The run a payment is issued in, and the account it is paid into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnCampagne {
    pub campagne: String,
    pub banque: domain::structures::CoordonneesBancaires,
}

/// Which payment to issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echeance {
    Acompte,
    Solde,
    /// The instalment of this rank of a convention with instalments.
    Versement(u16),
}

impl Echeance {
    /// `acompte`, `solde`, `versement_1`…
    pub fn code(self) -> String {
        match self {
            Echeance::Acompte => "acompte".to_owned(),
            Echeance::Solde => "solde".to_owned(),
            Echeance::Versement(rang) => format!("versement_{rang}"),
        }
    }
}

impl Plateforme {
    /// Issues the acompte or the solde of `exercice` under `convention`, dated `date`.
    pub async fn emettre_paiement(
        &self,
        acteur: &Acteur,
        convention: ConventionId,
        exercice: i32,
        echeance: Echeance,
        date: Date,
        quand: OffsetDateTime,
    ) -> Result<ResultatEmission, ErreurApp> {
        self.emettre_paiement_en_campagne(acteur, convention, exercice, echeance, date, quand, None)
            .await
    }

    /// [`Plateforme::emettre_paiement`], recording on a new payment the run that issues it and
    /// the account it is paid into.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn emettre_paiement_en_campagne(
        &self,
        acteur: &Acteur,
        convention: ConventionId,
        exercice: i32,
        echeance: Echeance,
        date: Date,
        quand: OffsetDateTime,
        campagne: Option<&EnCampagne>,
    ) -> Result<ResultatEmission, ErreurApp> {
        let nature = match echeance {
            Echeance::Acompte => NatureDeclaration::Previsionnelle,
            Echeance::Solde => NatureDeclaration::Reelle,
            Echeance::Versement(rang) => {
                return self
                    .verser_echeance_en_campagne(acteur, convention, rang, date, quand, campagne)
                    .await;
            }
        };
        let mut tx = self.base.debuter().await?;
        tx.verrou_ecriture(VERROU_PAIEMENTS).await?;
        let c = depot::lire::<Convention>(&mut tx, convention.0).await?;
        let existants = paiements_convention(&mut tx, convention).await?;
        let structure = depot::lire::<Gestionnaire>(&mut tx, c.valeur.gestionnaire.0).await?;
        let admissible = structure
            .valeur
            .admissible(c.valeur.dispositif, "Émettre le paiement")?;
        let declarations: Vec<Lu<Declaration>> = depot::lister(
            &mut tx,
            "convention_id = $1 AND exercice = $2 AND nature = $3",
            &[convention.0.into(), exercice.into(), nature.code().into()],
            "id",
        )
        .await?;
        let Some(declaration) = declarations.into_iter().next() else {
            return Err(ErreurApp::Refus(domain::Refus::condition(
                "Émettre le paiement",
                format!("la {} {exercice} n'est pas encore saisie", nature.libelle()),
            )));
        };
        let id = PaiementId(depot::prochain_id(&mut tx, "paiements").await?);
        let reference = format!(
            "AIP-{}-{}-{exercice}-{}",
            c.valeur.departement,
            c.valeur.numero,
            echeance.code().to_uppercase()
        );
        let ordre = OrdrePaiement {
            id,
            reference,
            date,
        };
        // An instalment returned above: here, the acompte or the solde of a declaration.
        let emission = match nature {
            NatureDeclaration::Previsionnelle => emettre_acompte(
                acteur,
                &c.valeur,
                &admissible,
                &declaration.valeur,
                &existants,
                ordre,
                quand,
            )?,
            _ => {
                let bilans: Vec<Lu<Bilan>> = depot::lister(
                    &mut tx,
                    "convention_id = $1 AND exercice = $2",
                    &[convention.0.into(), exercice.into()],
                    "id",
                )
                .await?;
                let Some(bilan) = bilans.into_iter().next() else {
                    return Err(ErreurApp::Refus(domain::Refus::condition(
                        "Verser le solde",
                        format!("le bilan {exercice} n'est pas encore saisi"),
                    )));
                };
                emettre_solde(
                    acteur,
                    &c.valeur,
                    &admissible,
                    &declaration.valeur,
                    &bilan.valeur,
                    &existants,
                    ordre,
                    quand,
                )?
            }
        };
        match emission {
            Emission::Existant(p) => Ok(ResultatEmission::DejaEmis(p)),
            Emission::ARevalider(peremption) => {
                let t = declaration
                    .valeur
                    .rouvrir(acteur, &peremption, &existants, quand)?;
                let lu = ecrire(&mut tx, &declaration, None, t).await?;
                tx.valider().await?;
                Ok(ResultatEmission::DeclarationRouverte {
                    declaration: Box::new(lu.valeur),
                    raison: peremption.raison(),
                })
            }
            Emission::Nouveau(mut paiement) => {
                if let Some(en) = campagne {
                    paiement.apres.campagne = Some(en.campagne.clone());
                    paiement.apres.banque = Some(en.banque.clone());
                }
                depot::inserer(&mut tx, &paiement.apres).await?;
                let e = NouvelEvenement::depuis_domaine(
                    &paiement.audit,
                    None,
                    Some(serde_json::to_string(&paiement.apres).map_err(store::ErreurStore::from)?),
                )?;
                audit::ajouter(&mut tx, e).await?;
                super::avis::paiement_emis(&mut tx, &paiement.apres, quand).await?;
                tx.valider().await?;
                Ok(ResultatEmission::Emis(paiement.apres))
            }
        }
    }

    /// The payments due and not yet issued that a user may see: (convention, exercise, échéance).
    pub async fn paiements_dus(
        &self,
        acteur: &Acteur,
    ) -> Result<Vec<(ConventionId, i32, Echeance)>, ErreurApp> {
        let mut dus = Vec::new();
        let mut tx = self.base.debuter().await?;
        let f = Filtre::pour(acteur, "d.departement", "d.gestionnaire_id");
        for d in store::a_payer::declarations_a_payer(&mut tx, &f.condition, &f.params).await? {
            let echeance = if d.nature == "previsionnelle" {
                Echeance::Acompte
            } else {
                Echeance::Solde
            };
            dus.push((
                ConventionId(d.convention),
                i32::try_from(d.exercice).unwrap_or_default(),
                echeance,
            ));
        }
        Ok(dus)
    }

    /// The payments due that a user may see, each with its amount as the domain reads it from
    /// the frozen right of its declaration (the SQL of [`Plateforme::paiements_dus`] only
    /// prefilters). A solde whose bilan is not validated yet is not listed.
    pub async fn paiements_a_emettre(&self, acteur: &Acteur) -> Result<Vec<PaiementDu>, ErreurApp> {
        let dus = self.paiements_dus(acteur).await?;
        let mut tx = self.base.debuter().await?;
        let mut liste = Vec::with_capacity(dus.len());
        for (convention, exercice, echeance) in dus {
            let c = depot::lire::<Convention>(&mut tx, convention.0).await?;
            let existants = paiements_convention(&mut tx, convention).await?;
            let nature = match echeance {
                Echeance::Acompte => NatureDeclaration::Previsionnelle,
                Echeance::Solde => NatureDeclaration::Reelle,
                Echeance::Versement(_) => continue,
            };
            let declarations: Vec<Lu<Declaration>> = depot::lister(
                &mut tx,
                "convention_id = $1 AND exercice = $2 AND nature = $3",
                &[convention.0.into(), exercice.into(), nature.code().into()],
                "id",
            )
            .await?;
            let Some(declaration) = declarations.into_iter().next() else {
                continue;
            };
            let du = montant_du(
                "Lire le paiement dû",
                &c.valeur,
                &declaration.valeur,
                &existants,
            )?;
            liste.push(PaiementDu {
                convention,
                numero: c.valeur.numero.clone(),
                exercice,
                echeance,
                du,
            });
        }
        Ok(liste)
    }

    /// Issues every payment due in the user's territory: for each signed convention and each
    /// exercise, the acompte once its prévisionnelle is validated and the solde once its réelle
    /// and bilan are. Each payment is written in its own transaction; running it again issues
    /// nothing twice. Only a Caf agent may run it. A refusal that means « not due yet » is left
    /// for a later run; any other is reported in the result.
    pub async fn emettre_paiements_dus(
        &self,
        acteur: &Acteur,
        date: Date,
        quand: OffsetDateTime,
    ) -> Result<CampagnePaiements, ErreurApp> {
        exiger_role_caf(acteur, "Émettre les paiements dus")?;
        let mut dus = self.paiements_dus(acteur).await?;
        dus.extend(self.versements_dus(acteur, date).await?);
        let mut campagne = CampagnePaiements::default();
        for (convention, exercice, echeance) in dus {
            match self
                .emettre_paiement(acteur, convention, exercice, echeance, date, quand)
                .await
            {
                Ok(ResultatEmission::Emis(p)) => campagne.emis.push(p),
                Ok(ResultatEmission::DejaEmis(_)) => {}
                Ok(ResultatEmission::DeclarationRouverte {
                    declaration,
                    raison,
                }) => campagne.rouvertes.push((*declaration, raison)),
                // Not due yet (a solde waiting for its bilan): left for a later run.
                Err(ErreurApp::Refus(Refus::Condition { .. })) => {}
                Err(ErreurApp::Refus(r)) => {
                    campagne.refus.push((convention, exercice, echeance, r))
                }
                Err(e) => return Err(e),
            }
        }
        Ok(campagne)
    }

    /// Pays the instalment of rank `rang` of `convention`, dated `date`: the amount frozen in the
    /// convention's échéancier, once only (the unique key on (convention, exercice, échéance)
    /// backs it; issuing it again returns the existing payment).
    pub async fn verser_echeance(
        &self,
        acteur: &Acteur,
        convention: ConventionId,
        rang: u16,
        date: Date,
        quand: OffsetDateTime,
    ) -> Result<ResultatEmission, ErreurApp> {
        self.verser_echeance_en_campagne(acteur, convention, rang, date, quand, None)
            .await
    }

    async fn verser_echeance_en_campagne(
        &self,
        acteur: &Acteur,
        convention: ConventionId,
        rang: u16,
        date: Date,
        quand: OffsetDateTime,
        campagne: Option<&EnCampagne>,
    ) -> Result<ResultatEmission, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        tx.verrou_ecriture(VERROU_PAIEMENTS).await?;
        let c = depot::lire::<Convention>(&mut tx, convention.0).await?;
        let existants = paiements_convention(&mut tx, convention).await?;
        let structure = depot::lire::<Gestionnaire>(&mut tx, c.valeur.gestionnaire.0).await?;
        let admissible = structure
            .valeur
            .admissible(c.valeur.dispositif, "Verser une échéance")?;
        let id = PaiementId(depot::prochain_id(&mut tx, "paiements").await?);
        let reference = format!(
            "{}-{}-{}-VERSEMENT-{rang}",
            c.valeur.dispositif.code().to_uppercase(),
            c.valeur.departement,
            c.valeur.numero
        );
        let ordre = OrdrePaiement {
            id,
            reference,
            date,
        };
        match emettre_versement(
            acteur,
            &c.valeur,
            &admissible,
            rang,
            &existants,
            ordre,
            quand,
        )? {
            Emission::Existant(p) => Ok(ResultatEmission::DejaEmis(p)),
            // Instalments have no declaration to validate again.
            Emission::ARevalider(p) => Err(ErreurApp::Refus(domain::Refus::condition(
                "Verser une échéance",
                p.raison(),
            ))),
            Emission::Nouveau(mut paiement) => {
                if let Some(en) = campagne {
                    paiement.apres.campagne = Some(en.campagne.clone());
                    paiement.apres.banque = Some(en.banque.clone());
                }
                depot::inserer(&mut tx, &paiement.apres).await?;
                let e = NouvelEvenement::depuis_domaine(
                    &paiement.audit,
                    None,
                    Some(serde_json::to_string(&paiement.apres).map_err(store::ErreurStore::from)?),
                )?;
                audit::ajouter(&mut tx, e).await?;
                super::avis::paiement_emis(&mut tx, &paiement.apres, quand).await?;
                tx.valider().await?;
                Ok(ResultatEmission::Emis(paiement.apres))
            }
        }
    }

    /// The instalments due on `date` and not paid yet, in the conventions a user may see:
    /// (convention, exercice, échéance), as the domain lists them from each signed convention.
    pub async fn versements_dus(
        &self,
        acteur: &Acteur,
        date: Date,
    ) -> Result<Vec<(ConventionId, i32, Echeance)>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let f = Filtre::pour(acteur, "departement", "gestionnaire_id")
            .et("etat = 'signee'", Vec::new());
        let conventions: Vec<Lu<Convention>> =
            depot::lister(&mut tx, &f.condition, &f.params, "id").await?;
        let mut dus = Vec::new();
        for c in conventions
            .iter()
            .filter(|c| !c.valeur.echeancier.is_empty())
        {
            let existants = paiements_convention(&mut tx, c.valeur.id).await?;
            for v in versements_dus(&c.valeur, &existants, date) {
                dus.push((c.valeur.id, v.date.year(), Echeance::Versement(v.rang)));
            }
        }
        Ok(dus)
    }

    /// The payments a user may see, optionally of one convention.
    pub async fn paiements(
        &self,
        acteur: &Acteur,
        convention: Option<ConventionId>,
    ) -> Result<Vec<Lu<Paiement>>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let mut f = Filtre::pour(acteur, "departement", "gestionnaire_id");
        if let Some(c) = convention {
            f = f.et("convention_id = $1", vec![Valeur::Entier(c.0)]);
        }
        Ok(depot::lister(&mut tx, &f.condition, &f.params, "exercice, id").await?)
    }
}
