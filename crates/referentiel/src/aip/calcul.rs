//! The three steps of the AIP subsidy (Référentiel national de financement de l'AIP §VI.1) and what each declaration gives (Référentiel national de financement de l'AIP
//! §VI.1 étape 2 and §VI.2 étape 4), in exact arithmetic; only final amounts are rounded.

use std::cmp::Ordering;

use ethnum::I256;

use super::parametres::ParametresAip;
use crate::exact::{Decimal, Depassement, Ratio};
use crate::parametres::ErreurParametre;

/// The three moments at which the right is computed (Référentiel national de financement de l'AIP §VI.1, étape 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declaration {
    /// Start of the exercise: the forecast right; 70 % of it is the acompte.
    Previsionnelle,
    /// End of the exercise: the estimated right; minus payments made, the charge à payer.
    Actualisee,
    /// In N+1, with the bilan: the definitive right; minus payments made, the solde (or an indu).
    Reelle,
}

impl Declaration {
    pub const TOUTES: [Declaration; 3] = [
        Declaration::Previsionnelle,
        Declaration::Actualisee,
        Declaration::Reelle,
    ];

    /// The name used in files and the API.
    pub fn code(self) -> &'static str {
        match self {
            Declaration::Previsionnelle => "previsionnelle",
            Declaration::Actualisee => "actualisee",
            Declaration::Reelle => "reelle",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Declaration> {
        Declaration::TOUTES.into_iter().find(|d| d.code() == code)
    }

    /// The French label shown to people.
    pub fn libelle(self) -> &'static str {
        match self {
            Declaration::Previsionnelle => "déclaration prévisionnelle",
            Declaration::Actualisee => "déclaration actualisée",
            Declaration::Reelle => "déclaration réelle",
        }
    }
}

/// One gestionnaire, one exercise, one declaration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EntreeAip {
    pub exercice: i32,
    pub declaration: Declaration,
    /// `E`: FTE declared by the partner.
    pub etp_declares: Decimal,
    /// `Nf`: FTE ceiling notified by the comité des financeurs. A rational, because when the
    /// notification changes during the year it is the month-weighted mean of the ceilings in force
    /// (docs/calcul-aip.md, interpretation).
    pub etp_notifies: Ratio,
    /// `m`: months of operation in the exercise, 0 to 12.
    pub mois_fonctionnement: u8,
    /// `D`: operating expenses of the project for those months, in euros.
    pub depenses_fonctionnement: Decimal,
    /// Payments already made for this exercise, in euros.
    pub versements_effectues: Decimal,
}

/// What a declaration gives besides the right itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    /// Prévisionnelle: the advance to pay once the convention is signed, in cents.
    Acompte(i128),
    /// Actualisée: estimated right minus payments made, in cents (accounting provision).
    ChargeAPayer(i128),
    /// Réelle: definitive right minus payments made, in cents; negative is an indu to recover.
    Solde(i128),
}

impl Suite {
    pub fn code(self) -> &'static str {
        match self {
            Suite::Acompte(_) => "acompte",
            Suite::ChargeAPayer(_) => "charge_a_payer",
            Suite::Solde(_) => "solde",
        }
    }

    pub fn centimes(self) -> i128 {
        match self {
            Suite::Acompte(c) | Suite::ChargeAPayer(c) | Suite::Solde(c) => c,
        }
    }
}

/// A computed right, with every intermediate value exact.
#[derive(Debug, Clone, Copy)]
pub struct ResultatAip {
    pub entree: EntreeAip,
    /// min(E, Nf).
    pub etp_pris_en_compte: Ratio,
    /// Step 1: min(E, Nf) × m / 12.
    pub etp_retenus: Ratio,
    /// D / E × 12 / m, when E and m are not zero.
    pub cout_annualise: Option<Ratio>,
    /// Step 2: min(prix plafond, cout annualisé); zero when nothing was spent or no month ran.
    pub prix_de_revient: Ratio,
    pub plafond_applique: bool,
    /// Step 3, exact: taux × prix de revient × ETP retenus.
    pub montant_exact: Ratio,
    /// Step 3 rounded to the cent, half away from zero.
    pub montant: i128,
    /// The exact value behind [`ResultatAip::suite`].
    pub suite_exacte: Ratio,
    pub suite: Suite,
}

/// Why a case cannot be computed: a field and the reason, or a missing parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurAip {
    #[error("champ « {champ} »: {raison}")]
    Champ { champ: &'static str, raison: String },
    #[error("{0}")]
    Json(String),
    #[error("{0}")]
    Parametre(#[from] ErreurParametre),
    #[error("{0}")]
    Depassement(#[from] Depassement),
}

impl ErreurAip {
    pub fn champ(champ: &'static str, raison: impl Into<String>) -> Self {
        ErreurAip::Champ {
            champ,
            raison: raison.into(),
        }
    }
}

fn verifier(entree: &EntreeAip) -> Result<(), ErreurAip> {
    if entree.etp_declares.is_negative() {
        return Err(ErreurAip::champ(
            "etp_declares",
            format!("doit être positif ou nul (reçu {})", entree.etp_declares),
        ));
    }
    if entree.etp_notifies.is_negative() {
        return Err(ErreurAip::champ(
            "etp_notifies",
            format!("doit être positif ou nul (reçu {})", entree.etp_notifies),
        ));
    }
    if entree.mois_fonctionnement > 12 {
        return Err(ErreurAip::champ(
            "mois_fonctionnement",
            format!(
                "doit être un nombre entier de mois de 0 à 12 (reçu {})",
                entree.mois_fonctionnement
            ),
        ));
    }
    if entree.depenses_fonctionnement.is_negative() {
        return Err(ErreurAip::champ(
            "depenses_fonctionnement",
            format!(
                "un montant ne peut pas être négatif (reçu {})",
                entree.depenses_fonctionnement
            ),
        ));
    }
    if entree.versements_effectues.is_negative() {
        return Err(ErreurAip::champ(
            "versements_effectues",
            format!(
                "un montant ne peut pas être négatif (reçu {})",
                entree.versements_effectues
            ),
        ));
    }
    Ok(())
}

/// Computes the right of one declaration.
///
/// Référentiel national de financement de l'AIP §VI.1:
/// - étape 1: `etp_retenus = min(E, Nf) × m / 12`;
/// - étape 2: `prix_de_revient = min(prix plafond, D / E × 12 / m)`.
///   **Interpretation** (docs/calcul-aip.md): the « [dépenses / nombre d'ETP] proratisé à la durée de
///   fonctionnement » is the annualised cost of one *declared* FTE;
/// - étape 3: `montant = taux × prix_de_revient × etp_retenus`.
///
/// Since `min(P, D/E × 12/m) × m/12 = min(P × m/12, D/E)`, the prorating applies once. With no
/// month of operation, or no FTE declared, the right is zero.
/// **Interpretation** (revised 2026-12): no FTE declared with expenses (a recruitment that failed)
/// is a right of zero, not an error, so that the réelle of such a project can be filed and the
/// acompte already paid becomes an indu.
///
/// What follows the right (Référentiel national de financement de l'AIP §VI.1 étape 2, §VI.2 étape 4): the acompte is
/// `taux_acompte × montant`; the charge à payer and the solde are `montant − versements`.
/// **Interpretation** (revised 2026-12): the right is rounded once, to the cent, half away from
/// zero, and what follows is computed from that **rounded** right, as a person checking a
/// notification would (the acompte of 24 791,38 € is 17 353,97 €); the acompte is rounded again to
/// the cent, half away from zero.
pub fn calculer(
    parametres: &ParametresAip<'_>,
    entree: &EntreeAip,
) -> Result<ResultatAip, ErreurAip> {
    verifier(entree)?;
    let e = entree.etp_declares.ratio();
    let m = i64::from(entree.mois_fonctionnement);
    let prorata = Ratio::new(I256::from(m), I256::from(12)).ok_or(Depassement)?;

    let etp_pris_en_compte = e.min(entree.etp_notifies)?;
    let etp_retenus = etp_pris_en_compte.mul(prorata)?;

    let (cout_annualise, prix_de_revient, plafond_applique) =
        if m == 0 || entree.etp_declares.is_zero() {
            (None, Ratio::ZERO, false)
        } else {
            let cout = entree
                .depenses_fonctionnement
                .ratio()
                .div(e)?
                .div(prorata)?;
            let plafond = cout.compare(parametres.prix_plafond_ratio)? == Ordering::Greater;
            let prix = if plafond {
                parametres.prix_plafond_ratio
            } else {
                cout
            };
            (Some(cout), prix, plafond)
        };

    let montant_exact = parametres
        .taux_subvention_ratio
        .mul(prix_de_revient)?
        .mul(etp_retenus)?;
    let montant = montant_exact.arrondi(2)?;

    let montant_arrondi = Ratio::new(I256::from(montant), I256::from(100)).ok_or(Depassement)?;
    let (suite_exacte, suite) = match entree.declaration {
        Declaration::Previsionnelle => {
            let acompte = parametres.taux_acompte_ratio.mul(montant_arrondi)?;
            (acompte, Suite::Acompte(acompte.arrondi(2)?))
        }
        Declaration::Actualisee => {
            let reste = montant_arrondi.sub(entree.versements_effectues.ratio())?;
            (reste, Suite::ChargeAPayer(reste.arrondi(2)?))
        }
        Declaration::Reelle => {
            let reste = montant_arrondi.sub(entree.versements_effectues.ratio())?;
            (reste, Suite::Solde(reste.arrondi(2)?))
        }
    };

    Ok(ResultatAip {
        entree: *entree,
        etp_pris_en_compte,
        etp_retenus,
        cout_annualise,
        prix_de_revient,
        plafond_applique,
        montant_exact,
        montant,
        suite_exacte,
        suite,
    })
}

/// The month-weighted mean of FTE ceilings in force during the months of operation
/// (docs/calcul-aip.md, interpretation on a notification that changes during the exercise):
/// `periodes` lists (months, ceiling). Zero months in all gives zero.
pub fn etp_notifies_moyens(periodes: &[(u8, Decimal)]) -> Option<Ratio> {
    let mut total_mois: i64 = 0;
    let mut somme = Ratio::ZERO;
    for (mois, etp) in periodes {
        total_mois += i64::from(*mois);
        somme = somme
            .add(etp.ratio().mul(Ratio::entier(i64::from(*mois))).ok()?)
            .ok()?;
    }
    if total_mois == 0 {
        return Some(Ratio::ZERO);
    }
    somme
        .div(Ratio::new(I256::from(total_mois), I256::ONE)?)
        .ok()
}
