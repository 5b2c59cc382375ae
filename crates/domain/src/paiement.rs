//! Payments of the subsidy (seed 004 §VI.2 étape 4; DOMAIN.md §6): the acompte (70 % of the
//! forecast right) once the convention is signed and the prévisionnelle validated, then the solde
//! (definitive right minus payments made) once the réelle and the bilan are validated; a negative
//! solde is an indu to recover.
//!
//! Money is never paid twice: a payment is an idempotent fact identified by (convention,
//! exercice, échéance). Issuing a payment whose échéance already has one returns that one
//! ([`Emission::Existant`]) instead of a new payment. The store backs this with a unique key on
//! (convention, exercice, echeance).

use referentiel::aip::{ParametresAip, ResultatAip, Suite, calculer};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::acces::{Acteur, exiger_agent_caf};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::convention::{Convention, EtatConvention};
use crate::declaration::{Bilan, Declaration, EtatTransmission, NatureDeclaration};
use crate::identifiants::{
    CodeDepartement, ConventionId, GestionnaireId, PaiementId, UtilisateurId,
};
use crate::quantites::Centimes;
use crate::refus::{Refus, exiger_etat};
use crate::texte::{date_fr, vide};

/// The kind of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaturePaiement {
    /// `acompte`: the advance, paid to the gestionnaire.
    Acompte,
    /// `solde`: the balance, paid to the gestionnaire (possibly zero).
    Solde,
    /// `indu`: a negative balance, recovered from the gestionnaire.
    Indu,
}

impl NaturePaiement {
    pub fn code(self) -> &'static str {
        match self {
            NaturePaiement::Acompte => "acompte",
            NaturePaiement::Solde => "solde",
            NaturePaiement::Indu => "indu",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            NaturePaiement::Acompte => "acompte",
            NaturePaiement::Solde => "solde",
            NaturePaiement::Indu => "indu à recouvrer",
        }
    }

    pub fn echeance(self) -> Echeance {
        match self {
            NaturePaiement::Acompte => Echeance::Acompte,
            NaturePaiement::Solde | NaturePaiement::Indu => Echeance::Solde,
        }
    }
}

/// The slot a payment fills in an exercise: one acompte, one settlement (solde or indu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Echeance {
    Acompte,
    Solde,
}

impl Echeance {
    /// `acompte`, `solde`.
    pub fn code(self) -> &'static str {
        match self {
            Echeance::Acompte => "acompte",
            Echeance::Solde => "solde",
        }
    }
}

/// A payment (or the recovery of an indu).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paiement {
    pub id: PaiementId,
    pub convention: ConventionId,
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
    pub exercice: i32,
    pub nature: NaturePaiement,
    /// The amount that moves, never negative; its direction is given by `nature`.
    pub montant: Centimes,
    #[serde(with = "crate::serde_dates::date")]
    pub date: Date,
    /// The Caf's accounting reference.
    pub reference: String,
    pub emis_par: UtilisateurId,
    #[serde(with = "crate::serde_dates::instant")]
    pub emis_le: OffsetDateTime,
}

impl Paiement {
    /// The amount from the gestionnaire's side: positive when paid to it, negative for an indu.
    pub fn montant_signe(&self) -> Centimes {
        match self.nature {
            NaturePaiement::Indu => Centimes::new(-self.montant.centimes()),
            _ => self.montant,
        }
    }

    /// The idempotency key.
    pub fn cle(&self) -> (ConventionId, i32, Echeance) {
        (self.convention, self.exercice, self.nature.echeance())
    }
}

/// What the Caf allocates for a new payment: the store's id, the accounting reference and the
/// payment date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdrePaiement {
    pub id: PaiementId,
    pub reference: String,
    #[serde(with = "crate::serde_dates::date")]
    pub date: Date,
}

/// The outcome of issuing a payment.
#[derive(Debug, Clone)]
pub enum Emission {
    /// A new payment to insert, with its audit and the computation behind its amount.
    Nouveau {
        paiement: Transition<Paiement>,
        calcul: Box<ResultatAip>,
    },
    /// The échéance already has its payment: nothing to insert.
    Existant(Paiement),
}

impl Emission {
    /// The payment, new or existing.
    pub fn paiement(&self) -> &Paiement {
        match self {
            Emission::Nouveau { paiement, .. } => &paiement.apres,
            Emission::Existant(p) => p,
        }
    }
}

/// The net amount already paid to the gestionnaire for `exercice` under `convention`.
pub fn versements_effectues(
    existants: &[Paiement],
    convention: ConventionId,
    exercice: i32,
) -> Option<Centimes> {
    Centimes::somme(
        existants
            .iter()
            .filter(|p| p.convention == convention && p.exercice == exercice)
            .map(Paiement::montant_signe),
    )
}

fn existant(
    existants: &[Paiement],
    convention: ConventionId,
    exercice: i32,
    echeance: Echeance,
) -> Option<&Paiement> {
    existants
        .iter()
        .find(|p| p.cle() == (convention, exercice, echeance))
}

fn verifier_declaration(
    action: &'static str,
    convention: &Convention,
    declaration: &Declaration,
    nature: NatureDeclaration,
    parametres: &ParametresAip<'_>,
) -> Result<(), Refus> {
    if declaration.convention != convention.id {
        return Err(Refus::incoherence(
            action,
            "cette déclaration relève d'une autre convention",
        ));
    }
    if declaration.nature != nature {
        return Err(Refus::incoherence(
            action,
            format!(
                "il faut la {}, pas la {}",
                nature.libelle(),
                declaration.nature.libelle()
            ),
        ));
    }
    if parametres.exercice != declaration.exercice {
        return Err(Refus::incoherence(
            action,
            format!(
                "les paramètres fournis sont ceux de {}, la déclaration porte sur {}",
                parametres.exercice, declaration.exercice
            ),
        ));
    }
    if declaration.etat() != EtatTransmission::Validee {
        return Err(Refus::condition(
            action,
            format!(
                "la {} {} doit d'abord être validée par la Caf (elle est « {} »)",
                nature.libelle(),
                declaration.exercice,
                declaration.etat().libelle()
            ),
        ));
    }
    Ok(())
}

fn verifier_ordre(action: &'static str, ordre: &OrdrePaiement) -> Result<(), Refus> {
    if vide(&ordre.reference) {
        return Err(Refus::Incomplet {
            action,
            champs: vec!["référence comptable"],
        });
    }
    Ok(())
}

fn calcul(
    action: &'static str,
    parametres: &ParametresAip<'_>,
    entree: &referentiel::aip::EntreeAip,
) -> Result<ResultatAip, Refus> {
    calculer(parametres, entree).map_err(|e| Refus::Calcul {
        action,
        raison: e.to_string(),
    })
}

/// The figures of a new payment.
struct Versement {
    exercice: i32,
    nature: NaturePaiement,
    montant: Centimes,
}

fn nouveau_paiement(
    acteur: &Acteur,
    convention: &Convention,
    versement: Versement,
    ordre: OrdrePaiement,
    quand: OffsetDateTime,
    calcul: ResultatAip,
) -> Emission {
    let Versement {
        exercice,
        nature,
        montant,
    } = versement;
    let paiement = Paiement {
        id: ordre.id,
        convention: convention.id,
        gestionnaire: convention.gestionnaire,
        departement: convention.departement,
        exercice,
        nature,
        montant,
        date: ordre.date,
        reference: ordre.reference.trim().to_owned(),
        emis_par: acteur.id,
        emis_le: quand,
    };
    let audit = Audit::nouveau(
        TypeEntite::Paiement,
        ordre.id.0,
        nature.code(),
        acteur,
        quand,
        format!(
            "{} {exercice} de la convention {} : {} au {} (réf. {})",
            nature.libelle(),
            convention.numero,
            montant,
            date_fr(paiement.date),
            paiement.reference
        ),
    )
    .changement("montant", None, Some(montant.texte_point()));
    Emission::Nouveau {
        paiement: Transition {
            apres: paiement,
            audit,
        },
        calcul: Box::new(calcul),
    }
}

/// Issues the acompte of `prevision.exercice`: 70 % of the right computed on the validated
/// prévisionnelle, due once the convention is signed (seed 004 §VI.2 étape 4: « Un acompte de 70%
/// dès réception de la convention signée »; DOMAIN.md §6).
///
/// `existants`: the payments already recorded (at least those of this convention). When the
/// acompte of that exercise exists, it is returned unchanged.
pub fn emettre_acompte(
    acteur: &Acteur,
    convention: &Convention,
    previsionnelle: &Declaration,
    parametres: &ParametresAip<'_>,
    existants: &[Paiement],
    ordre: OrdrePaiement,
    quand: OffsetDateTime,
) -> Result<Emission, Refus> {
    const ACTION: &str = "Verser l'acompte";
    exiger_agent_caf(acteur, ACTION, convention.departement)?;
    let exercice = previsionnelle.exercice;
    if let Some(p) = existant(existants, convention.id, exercice, Echeance::Acompte) {
        return Ok(Emission::Existant(p.clone()));
    }
    exiger_etat(
        ACTION,
        "la convention",
        convention.etat,
        EtatConvention::libelle,
        &[EtatConvention::Signee],
    )?;
    verifier_declaration(
        ACTION,
        convention,
        previsionnelle,
        NatureDeclaration::Previsionnelle,
        parametres,
    )?;
    verifier_ordre(ACTION, &ordre)?;
    if let Some(signature) = convention.date_signature
        && ordre.date < signature
    {
        return Err(Refus::invalide(
            ACTION,
            format!(
                "l'acompte ne peut pas être versé avant la signature de la convention ({})",
                date_fr(signature)
            ),
        ));
    }
    let entree = previsionnelle.entree_aip(convention, Centimes::ZERO)?;
    let resultat = calcul(ACTION, parametres, &entree)?;
    let montant = match resultat.suite {
        Suite::Acompte(c) => Centimes::depuis_i128(c).map_err(|e| Refus::Calcul {
            action: ACTION,
            raison: e.to_string(),
        })?,
        autre => {
            return Err(Refus::Calcul {
                action: ACTION,
                raison: format!("suite inattendue « {} »", autre.code()),
            });
        }
    };
    let versement = Versement {
        exercice,
        nature: NaturePaiement::Acompte,
        montant,
    };
    Ok(nouveau_paiement(
        acteur, convention, versement, ordre, quand, resultat,
    ))
}

/// Issues the settlement of `reelle.exercice`: the definitive right computed on the validated
/// réelle, minus the payments made; positive or zero, a solde paid; negative, an indu to recover
/// (seed 004 §VI.1 étape 2; DOMAIN.md §6). Due once the réelle and the bilan of the exercise are
/// validated, on a convention that was signed (even if closed or terminated since).
///
/// When the settlement of that exercise exists, it is returned unchanged.
// Eight inputs, each a distinct fact the rule needs; bundling them would only hide them.
#[allow(clippy::too_many_arguments)]
pub fn emettre_solde(
    acteur: &Acteur,
    convention: &Convention,
    reelle: &Declaration,
    bilan: &Bilan,
    parametres: &ParametresAip<'_>,
    existants: &[Paiement],
    ordre: OrdrePaiement,
    quand: OffsetDateTime,
) -> Result<Emission, Refus> {
    const ACTION: &str = "Verser le solde";
    exiger_agent_caf(acteur, ACTION, convention.departement)?;
    let exercice = reelle.exercice;
    if let Some(p) = existant(existants, convention.id, exercice, Echeance::Solde) {
        return Ok(Emission::Existant(p.clone()));
    }
    if !convention.a_ete_signee() {
        return Err(Refus::condition(
            ACTION,
            "la convention n'a jamais été signée : aucun versement",
        ));
    }
    verifier_declaration(
        ACTION,
        convention,
        reelle,
        NatureDeclaration::Reelle,
        parametres,
    )?;
    if bilan.convention != convention.id || bilan.exercice != exercice {
        return Err(Refus::incoherence(
            ACTION,
            "ce bilan ne porte pas sur la même convention et le même exercice",
        ));
    }
    if bilan.etat() != EtatTransmission::Validee {
        return Err(Refus::condition(
            ACTION,
            format!(
                "le bilan {exercice} doit d'abord être validé par la Caf (il est « {} »)",
                bilan.etat().libelle()
            ),
        ));
    }
    verifier_ordre(ACTION, &ordre)?;
    let versements =
        versements_effectues(existants, convention.id, exercice).ok_or(Refus::Calcul {
            action: ACTION,
            raison: "total des versements trop grand".to_owned(),
        })?;
    if versements.est_negatif() {
        return Err(Refus::incoherence(
            ACTION,
            "les versements de l'exercice sont négatifs",
        ));
    }
    let entree = reelle.entree_aip(convention, versements)?;
    let resultat = calcul(ACTION, parametres, &entree)?;
    let solde = match resultat.suite {
        Suite::Solde(c) => Centimes::depuis_i128(c).map_err(|e| Refus::Calcul {
            action: ACTION,
            raison: e.to_string(),
        })?,
        autre => {
            return Err(Refus::Calcul {
                action: ACTION,
                raison: format!("suite inattendue « {} »", autre.code()),
            });
        }
    };
    let (nature, montant) = if solde.est_negatif() {
        let du = solde.checked_neg().ok_or(Refus::Calcul {
            action: ACTION,
            raison: "montant hors limites".to_owned(),
        })?;
        (NaturePaiement::Indu, du)
    } else {
        (NaturePaiement::Solde, solde)
    };
    let versement = Versement {
        exercice,
        nature,
        montant,
    };
    Ok(nouveau_paiement(
        acteur, convention, versement, ordre, quand, resultat,
    ))
}

/// The charge à payer of an exercise (DOMAIN.md §6): the right estimated on the validated
/// actualisée minus the payments made; an accounting provision, not a payment.
pub fn charge_a_payer(
    convention: &Convention,
    actualisee: &Declaration,
    parametres: &ParametresAip<'_>,
    existants: &[Paiement],
) -> Result<(Centimes, ResultatAip), Refus> {
    const ACTION: &str = "Calculer la charge à payer";
    verifier_declaration(
        ACTION,
        convention,
        actualisee,
        NatureDeclaration::Actualisee,
        parametres,
    )?;
    let versements = versements_effectues(existants, convention.id, actualisee.exercice).ok_or(
        Refus::Calcul {
            action: ACTION,
            raison: "total des versements trop grand".to_owned(),
        },
    )?;
    let entree = actualisee.entree_aip(convention, versements.max(Centimes::ZERO))?;
    let resultat = calcul(ACTION, parametres, &entree)?;
    let montant = Centimes::depuis_i128(resultat.suite.centimes()).map_err(|e| Refus::Calcul {
        action: ACTION,
        raison: e.to_string(),
    })?;
    Ok((montant, resultat))
}
