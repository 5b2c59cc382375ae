//! Payments: when each one becomes due, who issues it, and that issuing it twice yields the
//! payment already recorded (money is never paid twice).

use domain::convention::Convention;
use domain::declaration::{Bilan, Declaration, EtatTransmission, NatureDeclaration};
use domain::identifiants::*;
use domain::paiement::{
    Echeance, Emission, NaturePaiement, OrdrePaiement, Paiement, charge_a_payer, emettre_acompte,
    emettre_solde,
};
use time::macros::date;

use crate::commun::*;

fn ordre(id: i64) -> OrdrePaiement {
    OrdrePaiement {
        id: PaiementId(id),
        reference: format!("AIP-{id:04}"),
        date: date!(2024 - 03 - 25),
    }
}

fn previsionnelle_validee(convention: &Convention) -> Declaration {
    declaration_validee(
        convention,
        1,
        NatureDeclaration::Previsionnelle,
        2024,
        donnees("80 000", "1,5", 10),
        date!(2024 - 03 - 20),
    )
}

fn acompte(convention: &Convention) -> Paiement {
    let prev = previsionnelle_validee(convention);
    match emettre_acompte(
        &caf38(),
        convention,
        &admissible(),
        &prev,
        &[],
        ordre(1),
        le(date!(2024 - 03 - 25)),
    )
    .unwrap()
    {
        Emission::Nouveau(t) => t.apres,
        autre => panic!("premier acompte attendu, obtenu {autre:?}"),
    }
}

#[test]
fn acompte_du_a_la_signature_et_a_la_validation_de_la_previsionnelle() {
    let q = le(date!(2024 - 03 - 25));
    let (convention, _, _) = convention_signee();
    let prev = previsionnelle_validee(&convention);
    verifier_acces(Autorise::Caf, |a| {
        emettre_acompte(a, &convention, &admissible(), &prev, &[], ordre(1), q)
    });

    // Not before the signature.
    let (projet, _, _) = convention_projet();
    let prev_projet = previsionnelle_validee(&projet);
    refus(
        emettre_acompte(
            &caf38(),
            &projet,
            &admissible(),
            &prev_projet,
            &[],
            ordre(1),
            q,
        ),
        "etat",
        "« signée »",
    );
    // Not before the prévisionnelle is validated.
    let saisie = declaration(
        &convention,
        1,
        NatureDeclaration::Previsionnelle,
        2024,
        donnees("80 000", "1,5", 10),
    );
    refus(
        emettre_acompte(
            &caf38(),
            &convention,
            &admissible(),
            &saisie,
            &[],
            ordre(1),
            q,
        ),
        "condition",
        "doit d'abord être validée",
    );
    let transmise = saisie
        .transmettre(
            &gestionnaire(),
            &calendrier(2024),
            &portes(&convention, &saisie),
            q,
        )
        .unwrap()
        .apres;
    refus(
        emettre_acompte(
            &caf38(),
            &convention,
            &admissible(),
            &transmise,
            &[],
            ordre(1),
            q,
        ),
        "condition",
        "« transmise »",
    );
    // Not on another declaration.
    let reelle = declaration(
        &convention,
        2,
        NatureDeclaration::Reelle,
        2024,
        donnees("80 000", "1,5", 10),
    );
    refus(
        emettre_acompte(
            &caf38(),
            &convention,
            &admissible(),
            &reelle,
            &[],
            ordre(1),
            q,
        ),
        "incoherence",
        "prévisionnelle",
    );
    let mut autre = convention.clone();
    autre.id = ConventionId(2);
    refus(
        emettre_acompte(&caf38(), &autre, &admissible(), &prev, &[], ordre(1), q),
        "incoherence",
        "autre convention",
    );
    // Not dated before the signature, and with a reference.
    let mut avant = ordre(1);
    avant.date = date!(2024 - 03 - 01);
    refus(
        emettre_acompte(&caf38(), &convention, &admissible(), &prev, &[], avant, q),
        "invalide",
        "avant la signature",
    );
    let mut sans_ref = ordre(1);
    sans_ref.reference = " ".into();
    refus(
        emettre_acompte(
            &caf38(),
            &convention,
            &admissible(),
            &prev,
            &[],
            sans_ref,
            q,
        ),
        "incomplet",
        "référence",
    );
}

#[test]
fn acompte_idempotent() {
    let (convention, _, _) = convention_signee();
    let prev = previsionnelle_validee(&convention);
    let premier = acompte(&convention);
    assert_eq!(premier.montant, euros("44 800"));
    assert_eq!(premier.cle(), (convention.id, 2024, Echeance::Acompte));
    let existants = vec![premier.clone()];
    // Issued again, with another id and reference: the existing payment, nothing new.
    for _ in 0..2 {
        let e = emettre_acompte(
            &caf38(),
            &convention,
            &admissible(),
            &prev,
            &existants,
            ordre(77),
            le(date!(2024 - 04 - 01)),
        )
        .unwrap();
        match e {
            Emission::Existant(p) => assert_eq!(p, premier),
            autre => panic!("l'acompte a été émis deux fois: {autre:?}"),
        }
    }
    // Still refused to anyone else, even though it exists.
    refus(
        emettre_acompte(
            &gestionnaire(),
            &convention,
            &admissible(),
            &prev,
            &existants,
            ordre(77),
            le(date!(2024 - 04 - 01)),
        ),
        "role",
        "Verser l'acompte",
    );
    // The acompte of another exercise is another payment.
    let prev25 = declaration_validee(
        &convention,
        3,
        NatureDeclaration::Previsionnelle,
        2025,
        donnees("96 000", "1,5", 12),
        date!(2025 - 01 - 15),
    );
    let e = emettre_acompte(
        &caf38(),
        &convention,
        &admissible(),
        &prev25,
        &existants,
        ordre(2),
        le(date!(2025 - 01 - 20)),
    )
    .unwrap();
    assert!(matches!(e, Emission::Nouveau(_)));
    // 96 000 / 1.5 = 64 000 € per FTE; 0.8 × 64 000 × 1.5 = 76 800; 70 % = 53 760 €.
    assert_eq!(e.paiement().unwrap().montant, euros("53 760"));
}

fn solde(
    convention: &Convention,
    reelle: &Declaration,
    bilan: &Bilan,
    existants: &[Paiement],
) -> Result<Emission, domain::Refus> {
    let mut o = ordre(5);
    o.date = date!(2025 - 03 - 01);
    emettre_solde(
        &caf38(),
        convention,
        &admissible(),
        reelle,
        bilan,
        existants,
        o,
        le(date!(2025 - 03 - 01)),
    )
}

#[test]
fn solde_du_apres_la_reelle_et_le_bilan() {
    let (convention, _, _) = convention_signee();
    let acompte = acompte(&convention);
    let existants = vec![acompte];
    let reelle = declaration_validee_apres(
        &convention,
        2,
        NatureDeclaration::Reelle,
        2024,
        donnees("85 000", "1,5", 10),
        date!(2025 - 02 - 10),
        &existants,
    );
    let bilan_ok = bilan_valide(&convention, 2024);
    let q = le(date!(2025 - 03 - 01));
    verifier_acces(Autorise::Caf, |a| {
        emettre_solde(
            a,
            &convention,
            &admissible(),
            &reelle,
            &bilan_ok,
            &existants,
            ordre(5),
            q,
        )
    });

    // The bilan must be validated.
    let bilan_transmis = bilan(&convention, 2024)
        .transmettre(&gestionnaire(), &calendrier(2024), q)
        .unwrap()
        .apres;
    refus(
        solde(&convention, &reelle, &bilan_transmis, &existants),
        "condition",
        "le bilan 2024 doit d'abord être validé",
    );
    // The réelle must be validated.
    let reelle_saisie = declaration(
        &convention,
        2,
        NatureDeclaration::Reelle,
        2024,
        donnees("85 000", "1,5", 10),
    );
    refus(
        solde(&convention, &reelle_saisie, &bilan_ok, &existants),
        "condition",
        "déclaration réelle 2024 doit d'abord être validée",
    );
    // The bilan of the same exercise.
    let mut bilan_2025 = bilan_ok.clone();
    bilan_2025.exercice = 2025;
    refus(
        solde(&convention, &reelle, &bilan_2025, &existants),
        "incoherence",
        "même exercice",
    );
    // Never on a convention that was not signed.
    let (projet, _, _) = convention_projet();
    refus(
        solde(&projet, &reelle, &bilan_ok, &existants),
        "condition",
        "jamais été signée",
    );

    // Due: 66 000 − 44 800 = 21 200 €, and only once.
    let premier = solde(&convention, &reelle, &bilan_ok, &existants)
        .unwrap()
        .paiement()
        .unwrap()
        .clone();
    assert_eq!(
        (premier.nature, premier.montant),
        (NaturePaiement::Solde, euros("21 200"))
    );
    let mut tous = existants.clone();
    tous.push(premier.clone());
    match solde(&convention, &reelle, &bilan_ok, &tous).unwrap() {
        Emission::Existant(p) => assert_eq!(p, premier),
        autre => panic!("le solde a été émis deux fois: {autre:?}"),
    }
    // A closed convention still gets its solde.
    let close = convention
        .cloturer(&caf38(), le(date!(2026 - 01 - 10)))
        .unwrap()
        .apres;
    assert!(solde(&close, &reelle, &bilan_ok, &existants).is_ok());
}

#[test]
fn solde_negatif_indu_a_recouvrer() {
    let (convention, _, _) = convention_signee();
    let existants = vec![acompte(&convention)];
    // 50 000 € spent: 40 000 € per FTE, right 0.8 × 40 000 × 1.25 = 40 000 €, 4 800 € overpaid.
    let reelle = declaration_validee_apres(
        &convention,
        2,
        NatureDeclaration::Reelle,
        2024,
        donnees("50 000", "1,5", 10),
        date!(2025 - 02 - 10),
        &existants,
    );
    let bilan_ok = bilan_valide(&convention, 2024);
    let indu = solde(&convention, &reelle, &bilan_ok, &existants)
        .unwrap()
        .paiement()
        .unwrap()
        .clone();
    assert_eq!(indu.nature, NaturePaiement::Indu);
    assert_eq!(indu.montant, euros("4 800"));
    assert_eq!(indu.montant_signe(), euros("-4 800"));
    assert_eq!(indu.cle().2, Echeance::Solde);
    // The recovery is the settlement: no solde after it.
    let mut tous = existants.clone();
    tous.push(indu.clone());
    assert!(
        matches!(solde(&convention, &reelle, &bilan_ok, &tous).unwrap(), Emission::Existant(p) if p == indu)
    );
    assert_eq!(
        domain::paiement::versements_effectues(&tous, convention.id, 2024),
        Some(euros("40 000"))
    );
}

#[test]
fn charge_a_payer_de_fin_d_exercice() {
    let (convention, _, _) = convention_signee();
    let existants = vec![acompte(&convention)];
    let actualisee = declaration_validee_apres(
        &convention,
        4,
        NatureDeclaration::Actualisee,
        2024,
        donnees("82 500", "1,5", 10),
        date!(2024 - 12 - 15),
        &existants,
    );
    // 82 500 / 1.5 × 1.2 = 66 000 exactly: right 66 000; minus 44 800 paid.
    let droit = charge_a_payer(&convention, &actualisee).unwrap();
    assert_eq!(droit.montant, euros("66 000"));
    assert_eq!(droit.suite_montant, euros("21 200"));
    assert_eq!(droit.versements_pris_en_compte, euros("44 800"));
    let prev = previsionnelle_validee(&convention);
    refus(
        charge_a_payer(&convention, &prev),
        "incoherence",
        "déclaration actualisée",
    );
}

/// The amount paid is the one frozen in the declaration: changing the parameters or the figures
/// afterwards changes nothing, and a tampered frozen amount is what would be paid (nothing
/// recomputes it behind the declaration's back).
#[test]
fn l_acompte_est_le_droit_fige_de_la_previsionnelle() {
    let (convention, _, _) = convention_signee();
    let mut prev = previsionnelle_validee(&convention);
    let droit = prev.droit.clone().unwrap();
    assert_eq!(droit.montant, euros("64 000"));
    assert_eq!(droit.suite_montant, euros("44 800"));
    // Figures edited behind the validation: the frozen right still decides.
    prev.donnees.depenses_fonctionnement = euros("1");
    prev.droit.as_mut().unwrap().suite_montant = euros("44 799.99");
    let e = emettre_acompte(
        &caf38(),
        &convention,
        &admissible(),
        &prev,
        &[],
        ordre(1),
        le(date!(2024 - 03 - 25)),
    )
    .unwrap();
    assert_eq!(e.paiement().unwrap().montant, euros("44 799.99"));
}

/// An avenant that changes the FTE notified after the validation makes the frozen right stale:
/// the payment is not made, the declaration goes back to the Caf, and its new validation gives
/// the new amount.
#[test]
fn un_avenant_renvoie_la_declaration_a_la_validation() {
    let (convention, _, _) = convention_signee();
    let prev = previsionnelle_validee(&convention);
    let mut apres_avenant = convention.clone();
    apres_avenant.avenants.push(domain::convention::Avenant {
        numero: 1,
        decision: DecisionId(9),
        notification: domain::decision::NotificationEtp {
            etp: etp("1"),
            date_effet: date!(2024 - 03 - 01),
        },
        date_signature: date!(2024 - 03 - 20),
    });
    let q = le(date!(2024 - 03 - 25));
    let e = emettre_acompte(
        &caf38(),
        &apres_avenant,
        &admissible(),
        &prev,
        &[],
        ordre(1),
        q,
    )
    .unwrap();
    let Emission::ARevalider(peremption) = e else {
        panic!("le droit figé aurait dû être périmé: {e:?}");
    };
    assert!(
        peremption.raison().contains("ETP notifiés"),
        "{}",
        peremption.raison()
    );
    // Reopened: back to the Caf, the right dropped.
    let rouverte = prev.rouvrir(&caf38(), &peremption, &[], q).unwrap();
    assert_eq!(rouverte.apres.etat(), EtatTransmission::Transmise);
    assert!(rouverte.apres.droit.is_none());
    assert!(rouverte.audit.description.contains("ETP notifiés"));
    refus(
        prev.rouvrir(&gestionnaire(), &peremption, &[], q),
        "role",
        "Rouvrir",
    );
    // Validated again: 1 FTE retained instead of 1.5.
    let revalidee = valider(&rouverte.apres, &caf38(), &apres_avenant, &[], q)
        .unwrap()
        .apres;
    let droit = revalidee.droit.clone().unwrap();
    assert_eq!(droit.etp_notifies, "1");
    let e = emettre_acompte(
        &caf38(),
        &apres_avenant,
        &admissible(),
        &revalidee,
        &[],
        ordre(1),
        q,
    )
    .unwrap();
    assert_eq!(e.paiement().unwrap().montant, droit.suite_montant);
    assert!(droit.suite_montant < euros("44 800"));
    // Once paid, the declaration is a fact: it is never reopened.
    let paye = e.paiement().unwrap().clone();
    refus(
        revalidee.rouvrir(&caf38(), &peremption, &[paye], q),
        "deja_enregistre",
        "déjà émis",
    );
}

/// A réelle validated before the acompte was paid counts no payment: its solde would pay the
/// acompte twice. The payment run sends it back for a new validation instead.
#[test]
fn une_reelle_validee_avant_l_acompte_est_revalidee() {
    let (convention, _, _) = convention_signee();
    let reelle = declaration_validee(
        &convention,
        2,
        NatureDeclaration::Reelle,
        2024,
        donnees("85 000", "1,5", 10),
        date!(2025 - 02 - 10),
    );
    let existants = vec![acompte(&convention)];
    let bilan_ok = bilan_valide(&convention, 2024);
    match solde(&convention, &reelle, &bilan_ok, &existants).unwrap() {
        Emission::ARevalider(p) => assert!(p.raison().contains("versements"), "{}", p.raison()),
        autre => panic!("solde sur un droit périmé: {autre:?}"),
    }
}
