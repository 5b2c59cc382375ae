//! The national envelope, the Caf allocations, and the warning raised before a decision that
//! would exceed what remains.

use std::collections::BTreeMap;

use domain::decision::{AvisFinanceur, IssueDecision, SaisiePart};
use domain::declaration::NatureDeclaration;
use domain::enveloppe::{
    EnveloppeNationale, ErreurEnveloppe, SituationCaf, verifier_decision, verifier_engagement,
};
use domain::experimentation;
use domain::identifiants::PaiementId;
use domain::paiement::{Emission, OrdrePaiement, emettre_acompte};
use time::macros::date;

use crate::commun::*;

#[test]
fn repartition_de_l_enveloppe_nationale() {
    assert_eq!(experimentation::ENVELOPPE_NATIONALE, euros("3 000 000"));
    let allocations: BTreeMap<_, _> = experimentation::DEPARTEMENTS
        .iter()
        .map(|code| (d(code), euros("300 000")))
        .collect();
    let enveloppe = EnveloppeNationale::experimentation_aip(allocations.clone()).unwrap();
    assert_eq!(enveloppe.reste_a_allouer(), Some(euros("0")));
    assert_eq!(enveloppe.allocation(d("38")), euros("300 000"));
    assert_eq!(enveloppe.allocation(d("75")), euros("0"));

    let mut trop = allocations.clone();
    trop.insert(d("38"), euros("300 000,01"));
    assert!(matches!(
        EnveloppeNationale::experimentation_aip(trop),
        Err(ErreurEnveloppe::Depassement { .. })
    ));
    let mut paris = BTreeMap::new();
    paris.insert(d("75"), euros("1"));
    let e = EnveloppeNationale::experimentation_aip(paris).unwrap_err();
    assert_eq!(
        e.to_string(),
        "le département 75 ne fait pas partie de l'expérimentation AIP"
    );
    let mut negative = BTreeMap::new();
    negative.insert(d("38"), euros("-1"));
    assert_eq!(
        EnveloppeNationale::experimentation_aip(negative),
        Err(ErreurEnveloppe::Negative(d("38")))
    );
}

#[test]
fn alerte_avant_une_decision_qui_depasse_l_allocation() {
    let (convention, _, decision) = convention_signee();
    let prev = declaration_validee(
        &convention,
        1,
        NatureDeclaration::Previsionnelle,
        2024,
        donnees("80 000", "1,5", 10),
        date!(2024 - 03 - 20),
    );
    let ordre = OrdrePaiement {
        id: PaiementId(1),
        reference: "AIP-1".into(),
        date: date!(2024 - 03 - 25),
    };
    let Emission::Nouveau(paiement) = emettre_acompte(
        &caf38(),
        &convention,
        &admissible(),
        &prev,
        &[],
        ordre,
        le(date!(2024 - 03 - 25)),
    )
    .unwrap() else {
        panic!("acompte attendu");
    };
    // 300 000 € allocated; 130 000 € committed by the first decision; 44 800 € paid.
    let situation =
        SituationCaf::depuis_faits(d("38"), euros("300 000"), &[decision], &[paiement.apres])
            .unwrap();
    assert_eq!(situation.engage, euros("130 000"));
    assert_eq!(situation.paye, euros("44 800"));
    assert_eq!(situation.disponible(), Some(euros("170 000")));

    assert_eq!(verifier_engagement(&situation, euros("170 000")), None);
    let alerte = verifier_engagement(&situation, euros("200 000")).unwrap();
    assert_eq!(alerte.depassement, euros("30 000"));
    assert!(alerte.to_string().starts_with("Attention : cet engagement de 200\u{202f}000,00\u{a0}€ dépasserait de 30\u{202f}000,00\u{a0}€"), "{alerte}");

    let mut saisie = saisie_validation();
    saisie.part_caf = Some(SaisiePart {
        avis: AvisFinanceur::Accorde,
        montant: euros("180 000"),
        motivation: String::new(),
    });
    assert_eq!(
        verifier_decision(&situation, &saisie).map(|a| a.depassement),
        Some(euros("10 000"))
    );
    // A refusal or a postponement commits nothing.
    saisie.issue = IssueDecision::Ajourne;
    assert_eq!(verifier_decision(&situation, &saisie), None);
    // Another Caf's decisions do not count.
    let ailleurs =
        SituationCaf::depuis_faits(d("30"), euros("300 000"), &[dossier_valide().1], &[]).unwrap();
    assert_eq!(ailleurs.engage, euros("0"));
}
