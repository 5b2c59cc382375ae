//! Payments of the subsidy (Référentiel national de financement de l'AIP, §VI.2 étape 4): the
//! acompte (70 % of the forecast right) once the convention is signed and the prévisionnelle
//! validated, then the solde (definitive right minus payments made) once the réelle and the bilan
//! are validated; a negative solde is an indu to recover. Every amount paid is the one frozen in
//! the declaration it follows (see `declaration::DroitFige`): nothing is recomputed here.
//!
//! Money is never paid twice: a payment is an idempotent fact identified by (convention,
//! exercice, échéance). Issuing a payment whose échéance already has one returns that one
//! ([`Emission::Existant`]) instead of a new payment. The store backs this with a unique key on
//! (convention, exercice, echeance).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::acces::{Acteur, exiger_agent_caf};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::convention::{Convention, EtatConvention, VersementPrevu};
use crate::declaration::{
    Bilan, Declaration, DroitFige, EtatTransmission, NatureDeclaration, NatureSuite, Peremption,
};
use crate::dispositifs::ModeFinancement;
use crate::identifiants::{
    CodeDepartement, ConventionId, GestionnaireId, PaiementId, UtilisateurId,
};
use crate::quantites::Centimes;
use crate::refus::{Refus, exiger_etat};
use crate::structures::Admissible;
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
    /// `versement`: the instalment of this rank set by the convention of a scheme financed by
    /// instalments (see `dispositifs`).
    Versement(u16),
}

impl NaturePaiement {
    pub fn code(self) -> &'static str {
        match self {
            NaturePaiement::Acompte => "acompte",
            NaturePaiement::Solde => "solde",
            NaturePaiement::Indu => "indu",
            NaturePaiement::Versement(_) => "versement",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            NaturePaiement::Acompte => "acompte",
            NaturePaiement::Solde => "solde",
            NaturePaiement::Indu => "indu à recouvrer",
            NaturePaiement::Versement(_) => "versement",
        }
    }

    pub fn echeance(self) -> Echeance {
        match self {
            NaturePaiement::Acompte => Echeance::Acompte,
            NaturePaiement::Solde | NaturePaiement::Indu => Echeance::Solde,
            NaturePaiement::Versement(rang) => Echeance::Versement(rang),
        }
    }
}

/// The slot a payment fills in an exercise: one acompte, one settlement (solde or indu); or,
/// under a convention with instalments, each instalment once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Echeance {
    Acompte,
    Solde,
    Versement(u16),
}

impl Echeance {
    /// `acompte`, `solde`, `versement_1`, `versement_2`…
    pub fn code(self) -> String {
        match self {
            Echeance::Acompte => "acompte".to_owned(),
            Echeance::Solde => "solde".to_owned(),
            Echeance::Versement(rang) => format!("versement_{rang}"),
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
    /// The payment run that issued it, confirmed after its preview (absent for payments issued
    /// one by one, or before runs were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campagne: Option<String>,
    /// The account paid into, as recorded on the gestionnaire when the run was confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banque: Option<crate::structures::CoordonneesBancaires>,
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
    /// A new payment to insert, with its audit. Its amount is the one frozen in the declaration.
    Nouveau(Transition<Paiement>),
    /// The échéance already has its payment: nothing to insert.
    Existant(Paiement),
    /// The declaration's frozen right no longer holds (the convention or the payments changed
    /// since its validation): it must go back to the Caf ([`Declaration::rouvrir`]); nothing is
    /// paid.
    ARevalider(Peremption),
}

impl Emission {
    /// The payment, new or existing.
    pub fn paiement(&self) -> Option<&Paiement> {
        match self {
            Emission::Nouveau(t) => Some(&t.apres),
            Emission::Existant(p) => Some(p),
            Emission::ARevalider(_) => None,
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

/// The acompte and the solde belong to the AIP's formula: a convention paid by instalments has
/// neither.
fn exiger_formule_aip(action: &'static str, convention: &Convention) -> Result<(), Refus> {
    if convention.dispositif.regles().financement != ModeFinancement::FormuleAip {
        return Err(Refus::incoherence(
            action,
            format!(
                "une convention {} se paie par les versements de son échéancier, sans acompte ni solde",
                convention.dispositif.libelle()
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

/// The frozen right of a validated declaration, checked against the convention and the payments
/// recorded now: current, or stale with the reason.
enum Droit<'a> {
    AJour(&'a DroitFige),
    Perime(Peremption),
}

fn droit_de<'a>(
    declaration: &'a Declaration,
    convention: &Convention,
    existants: &[Paiement],
) -> Result<Droit<'a>, Refus> {
    Ok(match declaration.droit_a_jour(convention, existants)? {
        Ok(d) => Droit::AJour(d),
        Err(p) => Droit::Perime(p),
    })
}

/// What the payment that follows a validated declaration amounts to, read from its frozen right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Du {
    /// The payment to make: an acompte or a solde paid to the gestionnaire, or an indu recovered.
    Montant {
        nature: NaturePaiement,
        montant: Centimes,
    },
    /// The frozen right no longer holds: the declaration must be validated again.
    ARevalider(Peremption),
}

/// What is due after `declaration` (a validated prévisionnelle: its acompte; a validated réelle:
/// its solde, or the indu when negative), as frozen in it, checked against the convention and the
/// payments recorded now (Référentiel national de financement de l'AIP, §VI.1 étape 2 and §VI.2
/// étape 4). This is the one place that says how much a payment is.
pub fn montant_du(
    action: &'static str,
    convention: &Convention,
    declaration: &Declaration,
    existants: &[Paiement],
) -> Result<Du, Refus> {
    let droit = match droit_de(declaration, convention, existants)? {
        Droit::AJour(d) => d,
        Droit::Perime(p) => return Ok(Du::ARevalider(p)),
    };
    let attendue = match declaration.nature {
        NatureDeclaration::Previsionnelle => NatureSuite::Acompte,
        NatureDeclaration::Reelle => NatureSuite::Solde,
        NatureDeclaration::Actualisee => {
            return Err(Refus::incoherence(
                action,
                "la déclaration actualisée ne donne lieu à aucun paiement",
            ));
        }
    };
    if droit.suite != attendue {
        return Err(Refus::incoherence(
            action,
            format!(
                "le droit figé donne un(e) {}, pas un(e) {}",
                droit.suite.libelle(),
                attendue.libelle()
            ),
        ));
    }
    let montant = droit.suite_montant;
    Ok(match attendue {
        NatureSuite::Acompte if montant.est_negatif() => {
            return Err(Refus::incoherence(
                action,
                "un acompte ne peut pas être négatif",
            ));
        }
        NatureSuite::Acompte => Du::Montant {
            nature: NaturePaiement::Acompte,
            montant,
        },
        _ if montant.est_negatif() => Du::Montant {
            nature: NaturePaiement::Indu,
            montant: montant.checked_neg().ok_or(Refus::Calcul {
                action,
                raison: "montant hors limites".to_owned(),
            })?,
        },
        _ => Du::Montant {
            nature: NaturePaiement::Solde,
            montant,
        },
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
        campagne: None,
        banque: None,
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
    Emission::Nouveau(Transition {
        apres: paiement,
        audit,
    })
}

/// Issues the acompte of `previsionnelle.exercice`: 70 % of the forecast right, as frozen in the
/// validated prévisionnelle, due once the convention is signed (Référentiel national de
/// financement de l'AIP, §VI.2 étape 4: « Un acompte de 70% dès réception de la convention
/// signée »). The amount is read from the declaration, never recomputed.
///
/// `existants`: the payments already recorded (at least those of this convention). When the
/// acompte of that exercise exists, it is returned unchanged.
pub fn emettre_acompte(
    acteur: &Acteur,
    convention: &Convention,
    structure: &Admissible,
    previsionnelle: &Declaration,
    existants: &[Paiement],
    ordre: OrdrePaiement,
    quand: OffsetDateTime,
) -> Result<Emission, Refus> {
    const ACTION: &str = "Verser l'acompte";
    exiger_agent_caf(acteur, ACTION, convention.departement)?;
    exiger_formule_aip(ACTION, convention)?;
    structure.exiger(ACTION, convention.gestionnaire, convention.dispositif)?;
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
    let (nature, montant) = match montant_du(ACTION, convention, previsionnelle, existants)? {
        Du::Montant { nature, montant } => (nature, montant),
        Du::ARevalider(p) => return Ok(Emission::ARevalider(p)),
    };
    let versement = Versement {
        exercice,
        nature,
        montant,
    };
    Ok(nouveau_paiement(
        acteur, convention, versement, ordre, quand,
    ))
}

/// Issues the settlement of `reelle.exercice`: the definitive right frozen in the validated
/// réelle, minus the payments made that it counted; positive or zero, a solde paid; negative, an
/// indu to recover (Référentiel national de financement de l'AIP, §VI.1 étape 2 and §VI.2 étape
/// 4). Due once the réelle and the bilan of the exercise are validated, on a convention that was
/// signed (even if closed or terminated since). When the payments of the exercise are no longer
/// those the réelle counted, the réelle must be validated again ([`Emission::ARevalider`]).
///
/// When the settlement of that exercise exists, it is returned unchanged.
// Seven inputs, each a distinct fact the rule needs; bundling them would only hide them.
#[allow(clippy::too_many_arguments)]
pub fn emettre_solde(
    acteur: &Acteur,
    convention: &Convention,
    structure: &Admissible,
    reelle: &Declaration,
    bilan: &Bilan,
    existants: &[Paiement],
    ordre: OrdrePaiement,
    quand: OffsetDateTime,
) -> Result<Emission, Refus> {
    const ACTION: &str = "Verser le solde";
    exiger_agent_caf(acteur, ACTION, convention.departement)?;
    exiger_formule_aip(ACTION, convention)?;
    structure.exiger(ACTION, convention.gestionnaire, convention.dispositif)?;
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
    verifier_declaration(ACTION, convention, reelle, NatureDeclaration::Reelle)?;
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
    let (nature, montant) = match montant_du(ACTION, convention, reelle, existants)? {
        Du::Montant { nature, montant } => (nature, montant),
        Du::ARevalider(p) => return Ok(Emission::ARevalider(p)),
    };
    let versement = Versement {
        exercice,
        nature,
        montant,
    };
    Ok(nouveau_paiement(
        acteur, convention, versement, ordre, quand,
    ))
}

/// The charge à payer of an exercise (Référentiel national de financement de l'AIP, §VI.1 étape
/// 2): the right estimated on the validated actualisée minus the payments made, as frozen at its
/// validation; an accounting provision, not a payment.
pub fn charge_a_payer<'a>(
    convention: &Convention,
    actualisee: &'a Declaration,
) -> Result<&'a DroitFige, Refus> {
    const ACTION: &str = "Lire la charge à payer";
    verifier_declaration(
        ACTION,
        convention,
        actualisee,
        NatureDeclaration::Actualisee,
    )?;
    actualisee.droit.as_ref().ok_or_else(|| {
        Refus::condition(
            ACTION,
            format!(
                "la déclaration actualisée {} n'a pas de droit figé",
                actualisee.exercice
            ),
        )
    })
}

/// The instalments of `convention` due on `date` and not paid yet: each one whose date is
/// reached, on a signed convention.
pub fn versements_dus<'a>(
    convention: &'a Convention,
    existants: &[Paiement],
    date: Date,
) -> Vec<&'a VersementPrevu> {
    if convention.etat != EtatConvention::Signee {
        return Vec::new();
    }
    convention
        .echeancier
        .iter()
        .filter(|v| v.date <= date)
        .filter(|v| {
            existant(
                existants,
                convention.id,
                v.date.year(),
                Echeance::Versement(v.rang),
            )
            .is_none()
        })
        .collect()
}

/// Issues the instalment of rank `rang` of a convention with instalments (a scheme decided by
/// amount, Lettre circulaire Cnaf 2012-093 §43): its amount is the one frozen in the convention's
/// échéancier, never recomputed; due from its date, once the convention is signed by both
/// parties, and paid once: its payment is keyed by (convention, year of its date,
/// `versement_<rang>`), and issuing it again returns the existing one.
///
/// **Interpretation**: like the AIP's acompte (« dès réception de la convention signée »,
/// Référentiel national de financement de l'AIP §VI.2 étape 4), no instalment is paid before the
/// convention is signed, nor dated before its signature or its own date.
pub fn emettre_versement(
    acteur: &Acteur,
    convention: &Convention,
    structure: &Admissible,
    rang: u16,
    existants: &[Paiement],
    ordre: OrdrePaiement,
    quand: OffsetDateTime,
) -> Result<Emission, Refus> {
    const ACTION: &str = "Verser une échéance";
    exiger_agent_caf(acteur, ACTION, convention.departement)?;
    structure.exiger(ACTION, convention.gestionnaire, convention.dispositif)?;
    if convention.dispositif.regles().financement != ModeFinancement::SubventionEcheancier {
        return Err(Refus::incoherence(
            ACTION,
            "une convention AIP se paie par l'acompte et le solde de ses déclarations",
        ));
    }
    let prevu = *convention.versement(rang).ok_or_else(|| {
        Refus::incoherence(
            ACTION,
            format!("la convention ne prévoit pas de versement n°{rang}"),
        )
    })?;
    let exercice = prevu.date.year();
    if let Some(p) = existant(
        existants,
        convention.id,
        exercice,
        Echeance::Versement(rang),
    ) {
        return Ok(Emission::Existant(p.clone()));
    }
    exiger_etat(
        ACTION,
        "la convention",
        convention.etat,
        EtatConvention::libelle,
        &[EtatConvention::Signee],
    )?;
    verifier_ordre(ACTION, &ordre)?;
    if quand.date() < prevu.date || ordre.date < prevu.date {
        return Err(Refus::condition(
            ACTION,
            format!(
                "le versement n°{rang} est dû à partir du {} : pas avant",
                date_fr(prevu.date)
            ),
        ));
    }
    if let Some(signature) = convention.date_signature
        && ordre.date < signature
    {
        return Err(Refus::invalide(
            ACTION,
            format!(
                "un versement ne peut pas être daté avant la signature de la convention ({})",
                date_fr(signature)
            ),
        ));
    }
    let versement = Versement {
        exercice,
        nature: NaturePaiement::Versement(rang),
        montant: prevu.montant,
    };
    Ok(nouveau_paiement(
        acteur, convention, versement, ordre, quand,
    ))
}
