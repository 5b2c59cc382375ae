//! Property tests of the AIP subsidy against an independent oracle: the formula of the Référentiel
//! national de financement de l'AIP, §VI.1, as `docs/calcul-aip.md` reads it, written literally with
//! arbitrary-precision fractions, rounded half away from zero. The oracle computes the
//! month-weighted mean of the notified FTE itself and derives the acompte, charge à payer and solde
//! from the right rounded to the cent (interpretation revised 2026-12).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use proptest::prelude::*;
use referentiel::aip::{
    Declaration, EntreeAip, ParametresAip, Suite, calculer, etp_notifies_moyens,
};
use referentiel::exact::Decimal;
use referentiel::parametres::Parametres;

/// The embedded parameters, loaded once for all cases.
fn parametres() -> &'static Parametres {
    static P: std::sync::OnceLock<Parametres> = std::sync::OnceLock::new();
    P.get_or_init(|| Parametres::embarques().expect("paramètres"))
}

fn fr(n: i128, echelle: u32) -> BigRational {
    BigRational::new(BigInt::from(n), BigInt::from(10i128.pow(echelle)))
}

/// Rounds to the cent, half away from zero, as an integer number of cents.
fn centimes(x: &BigRational) -> i128 {
    let c = x * BigRational::from_integer(BigInt::from(100));
    let abs = c.abs();
    let entier = abs.floor();
    let reste = &abs - &entier;
    let mut q = entier.to_integer();
    if reste >= BigRational::new(BigInt::from(1), BigInt::from(2)) {
        q += 1;
    }
    let q: i128 = q.try_into().expect("tient dans i128");
    if c.is_negative() { -q } else { q }
}

struct Oracle {
    montant: BigRational,
    suite: BigRational,
}

fn oracle(e: &EntreeAip, etp_notifies: &BigRational) -> Oracle {
    let etp = fr(e.etp_declares.unites(), e.etp_declares.echelle());
    let d = fr(
        e.depenses_fonctionnement.unites(),
        e.depenses_fonctionnement.echelle(),
    );
    let v = fr(
        e.versements_effectues.unites(),
        e.versements_effectues.echelle(),
    );
    let m = BigRational::from_integer(BigInt::from(e.mois_fonctionnement));
    let douze = BigRational::from_integer(BigInt::from(12));
    let plafond = BigRational::from_integer(BigInt::from(66000));
    // Étape 1
    let retenus = etp.clone().min(etp_notifies.clone()) * &m / &douze;
    // Étape 2
    let prix = if m.is_zero() || etp.is_zero() {
        BigRational::zero()
    } else {
        plafond.min(&d / &etp * &douze / &m)
    };
    // Étape 3
    let montant = BigRational::new(BigInt::from(8), BigInt::from(10)) * prix * retenus;
    // What follows is computed from the right rounded to the cent.
    let arrondi = BigRational::new(BigInt::from(centimes(&montant)), BigInt::from(100));
    let suite = match e.declaration {
        Declaration::Previsionnelle => {
            BigRational::new(BigInt::from(7), BigInt::from(10)) * arrondi
        }
        _ => arrondi - v,
    };
    Oracle { montant, suite }
}

fn decimal(max_unites: i128, max_echelle: u32) -> impl Strategy<Value = Decimal> {
    (0..=max_unites, 0..=max_echelle).prop_map(|(u, s)| Decimal::new(u, s).expect("borné"))
}

/// FTE: most cases in the realistic range of 0.25 to 10, some zero, some anywhere up to 50.
fn etp() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        6 => (2_500i128..=100_000).prop_map(|u| Decimal::new(u, 4).expect("borné")),
        1 => Just(Decimal::ZERO),
        2 => decimal(500_000, 4),
    ]
}

fn declaration() -> impl Strategy<Value = Declaration> {
    prop_oneof![
        Just(Declaration::Previsionnelle),
        Just(Declaration::Actualisee),
        Just(Declaration::Reelle),
    ]
}

/// One generated case: the engine's input, and the notified ceilings in force over the months of
/// operation from which its `Nf` was averaged.
#[derive(Debug, Clone)]
struct Cas {
    entree: EntreeAip,
    periodes: Vec<(u8, Decimal)>,
}

prop_compose! {
    fn cas()(
        exercice in 2024..=2025i32,
        declaration in declaration(),
        etp_declares in etp(),
        etp_notifies in etp(),
        mois in 0..=12u8,
        // Sometimes the notification changes during the months of operation: the ceiling is then
        // the month-weighted mean of two notifications, a rational that need not be a decimal.
        changement in proptest::option::of((0.0..1.0f64, etp())),
        depenses in prop_oneof![
            3 => decimal(20_000_000, 2),
            1 => decimal(500_000_000, 2),
        ],
        versements in decimal(300_000_000, 2),
    ) -> Cas {
        let periodes = match changement {
            // The split falls strictly inside the months of operation.
            Some((part, nouveau)) if mois >= 2 => {
                let avant = 1 + ((f64::from(mois - 1)) * part) as u8;
                let avant = avant.min(mois - 1);
                vec![(avant, etp_notifies), (mois - avant, nouveau)]
            }
            _ => vec![(mois, etp_notifies)],
        };
        let nf = etp_notifies_moyens(&periodes).expect("moyenne");
        // With no month of operation, the ceiling is the one notified.
        let nf = if mois == 0 { etp_notifies.ratio() } else { nf };
        Cas {
            entree: EntreeAip {
                exercice,
                declaration,
                etp_declares,
                etp_notifies: nf,
                mois_fonctionnement: mois,
                depenses_fonctionnement: depenses,
                versements_effectues: versements,
            },
            periodes,
        }
    }
}

/// The oracle's own month-weighted mean of the ceilings over the months of operation.
fn moyenne_ponderee(periodes: &[(u8, Decimal)]) -> BigRational {
    let mois: u32 = periodes.iter().map(|(m, _)| u32::from(*m)).sum();
    if mois == 0 {
        return fr(periodes[0].1.unites(), periodes[0].1.echelle());
    }
    let somme = periodes.iter().fold(BigRational::zero(), |acc, (m, d)| {
        acc + fr(d.unites(), d.echelle()) * BigRational::from_integer(BigInt::from(*m))
    });
    somme / BigRational::from_integer(BigInt::from(mois))
}

fn entree() -> impl Strategy<Value = EntreeAip> {
    cas().prop_map(|c| c.entree)
}

fn notifies(e: &EntreeAip) -> BigRational {
    let r = e.etp_notifies;
    BigRational::new(
        BigInt::from(i128::try_from(r.num()).expect("petit")),
        BigInt::from(i128::try_from(r.den()).expect("petit")),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn egal_au_resultat_rationnel_exact_arrondi(c in cas()) {
        let e = c.entree;
        let parametres = parametres();
        let p = ParametresAip::pour_exercice(parametres, e.exercice).expect("exercice");
        let r = calculer(&p, &e).expect("calcul");
        let nf = moyenne_ponderee(&c.periodes);
        prop_assert_eq!(notifies(&e), nf.clone());
        let o = oracle(&e, &nf);
        prop_assert_eq!(r.montant, centimes(&o.montant));
        prop_assert_eq!(r.suite.centimes(), centimes(&o.suite));
    }

    #[test]
    fn jamais_negatif_et_jamais_au_dessus_du_maximum(e in entree()) {
        let parametres = parametres();
        let p = ParametresAip::pour_exercice(parametres, e.exercice).expect("exercice");
        let r = calculer(&p, &e).expect("calcul");
        prop_assert!(r.montant >= 0);
        // No FTE declared (a recruitment that failed): a right of zero whatever the expenses.
        if e.etp_declares.is_zero() {
            prop_assert_eq!(r.montant, 0);
        }
        // 52 800 € × ETP notifiés × mois / 12
        let maximum = BigRational::from_integer(BigInt::from(52800)) * notifies(&e)
            * BigRational::new(BigInt::from(e.mois_fonctionnement), BigInt::from(12));
        prop_assert!(r.montant <= centimes(&maximum));
        let exact = BigRational::new(
            BigInt::from(i128::try_from(r.montant_exact.num()).expect("i128")),
            BigInt::from(i128::try_from(r.montant_exact.den()).expect("i128")),
        );
        prop_assert!(exact <= maximum);
        if let Suite::Acompte(a) = r.suite {
            prop_assert!(a >= 0 && a <= r.montant);
        }
    }

    #[test]
    fn croissant_avec_les_depenses(e in entree(), plus in decimal(100_000_000, 2)) {
        let parametres = parametres();
        let p = ParametresAip::pour_exercice(parametres, e.exercice).expect("exercice");
        let avant = calculer(&p, &e).expect("calcul");
        let d = e.depenses_fonctionnement.ratio().add(plus.ratio()).expect("somme");
        let d = d.arrondi_decimal(2).expect("cents");
        let apres = calculer(&p, &EntreeAip { depenses_fonctionnement: d, ..e }).expect("calcul");
        prop_assert!(apres.montant_exact.compare(avant.montant_exact) != Ok(Ordering::Less));
    }

    #[test]
    fn croissant_avec_les_etp_notifies_et_les_etp_declares_sous_la_notification(
        e in entree(), plus in decimal(100_000, 4)
    ) {
        let parametres = parametres();
        let p = ParametresAip::pour_exercice(parametres, e.exercice).expect("exercice");
        let avant = calculer(&p, &e).expect("calcul");
        let nf = e.etp_notifies.add(plus.ratio()).expect("somme");
        let apres = calculer(&p, &EntreeAip { etp_notifies: nf, ..e }).expect("calcul");
        prop_assert!(apres.montant_exact.compare(avant.montant_exact) != Ok(Ordering::Less));
        // More declared FTE within the notified ceiling never lowers the right.
        let e2 = e.etp_declares.ratio().add(plus.ratio()).expect("somme");
        if e2.compare(e.etp_notifies) != Ok(Ordering::Greater) {
            let e2 = e2.arrondi_decimal(4).expect("décimal");
            let apres = calculer(&p, &EntreeAip { etp_declares: e2, ..e }).expect("calcul");
            prop_assert!(apres.montant_exact.compare(avant.montant_exact) != Ok(Ordering::Less));
        }
    }

    /// Under the ceiling, the right is 80 % of the expenses borne by the retained FTE, whatever
    /// the months: prorating the cost and the FTE cancel out, so it is applied once, not twice.
    #[test]
    fn proratisation_appliquee_une_seule_fois(e in entree()) {
        let parametres = parametres();
        let p = ParametresAip::pour_exercice(parametres, e.exercice).expect("exercice");
        let r = calculer(&p, &e).expect("calcul");
        if !r.plafond_applique && e.mois_fonctionnement > 0 && !e.etp_declares.is_zero() {
            let etp = fr(e.etp_declares.unites(), e.etp_declares.echelle());
            let d = fr(e.depenses_fonctionnement.unites(), e.depenses_fonctionnement.echelle());
            let attendu = BigRational::new(BigInt::from(8), BigInt::from(10)) * d
                * etp.clone().min(notifies(&e)) / etp;
            prop_assert_eq!(r.montant, centimes(&attendu));
        }
    }

    #[test]
    fn les_decimaux_se_relisent_a_l_identique(u in -999_999_999_999_999i128..=999_999_999_999_999, s in 0u32..=9) {
        let d = Decimal::new(u, s).expect("borné");
        let relu = Decimal::parse(&d.to_string()).expect("relu");
        prop_assert!(relu.ratio().egal(d.ratio()));
    }
}

#[test]
fn les_bornes_extremes_restent_exactes() {
    let parametres = parametres();
    let p = ParametresAip::pour_exercice(parametres, 2024).expect("exercice");
    let grand = Decimal::parse("999999999999999.999999999").expect("grand");
    let petit = Decimal::parse("0.000000001").expect("petit");
    for (etp, nf, d, v) in [
        (petit, grand, grand, grand),
        (grand, grand, grand, grand),
        (petit, petit, petit, grand),
        (grand, petit, grand, petit),
    ] {
        for declaration in Declaration::TOUTES {
            for m in [1u8, 7, 12] {
                let e = EntreeAip {
                    exercice: 2024,
                    declaration,
                    etp_declares: etp,
                    etp_notifies: nf.ratio(),
                    mois_fonctionnement: m,
                    depenses_fonctionnement: d,
                    versements_effectues: v,
                };
                let r = calculer(&p, &e).expect("aucun dépassement dans les bornes");
                let o = oracle(&e, &fr(nf.unites(), nf.echelle()));
                assert_eq!(r.montant, centimes(&o.montant));
                assert_eq!(r.suite.centimes(), centimes(&o.suite));
            }
        }
    }
}
