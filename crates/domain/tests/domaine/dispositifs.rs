//! Each scheme's rules as data: a REAAP project is decided by amount (no FTE notified, the Caf's
//! share granted), its convention freezes an échéancier whose amounts sum exactly to the Caf's
//! share, and each instalment is paid once, from its date, on a signed convention; the AIP keeps
//! its own rules.

use domain::appel_a_projets::{AppelAProjets, Dispositif, NouvelAppel};
use domain::convention::echeancier::{CENT_POUR_CENT, lire_pourcentage, repartir};
use domain::convention::{Convention, LigneEcheancier, NouvelleConvention};
use domain::decision::{
    AvisFinanceur, Decision, IssueDecision, NotificationEtp, SaisieDecision, SaisiePart,
};
use domain::dispositifs::{ModeDecision, ModeFinancement};
use domain::dossier::{DemandeFinancement, Dossier, EtatDossier};
use domain::identifiants::*;
use domain::paiement::{
    Echeance, Emission, NaturePaiement, OrdrePaiement, Paiement, emettre_versement, versements_dus,
};
use domain::quantites::Centimes;
use domain::structures::Cofinanceur;
use proptest::prelude::*;
use time::Date;
use time::macros::date;

use crate::commun::*;

fn admissible_reaap() -> domain::structures::Admissible {
    structure(domain::structures::TypeActivite::Generaliste)
        .admissible(Dispositif::Reaap, "test")
        .unwrap()
}

fn appel_reaap() -> AppelAProjets {
    AppelAProjets::publier(
        AppelAProjetsId(2),
        &caf38(),
        NouvelAppel {
            departement: d("38"),
            dispositif: Dispositif::Reaap,
            intitule: "REAAP Isère 2026".into(),
            debut_periode: date!(2026 - 01 - 01),
            fin_periode: date!(2026 - 12 - 31),
            ouverture: date!(2025 - 10 - 01),
            cloture: date!(2025 - 12 - 31),
        },
        le(date!(2025 - 09 - 15)),
    )
    .unwrap()
    .apres
}

/// A REAAP project: no FTE, a financing plan asking the Caf and the département's council.
fn dossier_reaap_en_comite() -> Dossier {
    let appel = appel_reaap();
    let mut projet = projet_complet();
    projet.etp_demandes = domain::quantites::Etp::ZERO;
    projet.debut = Some(date!(2026 - 01 - 01));
    projet.fin = Some(date!(2026 - 12 - 31));
    projet.plan_financement = vec![
        DemandeFinancement {
            financeur: Cofinanceur::Caf,
            montant: euros("100 000,01"),
        },
        DemandeFinancement {
            financeur: Cofinanceur::Partenaire(DEPARTEMENTAL),
            montant: euros("40 000"),
        },
    ];
    let dossier = Dossier::creer(
        DossierId(7),
        &gestionnaire(),
        &appel,
        GESTIONNAIRE,
        projet,
        le(date!(2025 - 10 - 02)),
    )
    .unwrap()
    .apres;
    let dossier = dossier
        .deposer(
            &gestionnaire(),
            &appel,
            &admissible_reaap(),
            le(date!(2025 - 10 - 03)),
        )
        .unwrap()
        .apres;
    let dossier = dossier
        .prendre_en_instruction(&caf38(), le(date!(2025 - 10 - 04)))
        .unwrap()
        .apres;
    dossier
        .presenter_en_comite(&caf38(), date!(2025 - 11 - 15), le(date!(2025 - 10 - 05)))
        .unwrap()
        .apres
}

fn part_caf(montant: &str) -> Option<SaisiePart> {
    Some(SaisiePart {
        avis: AvisFinanceur::Accorde,
        montant: euros(montant),
        motivation: String::new(),
    })
}

fn decider(
    dossier: &Dossier,
    saisie: SaisieDecision,
) -> Result<domain::dossier::DecisionEnregistree, domain::Refus> {
    dossier.enregistrer_decision(
        &caf38(),
        DecisionId(9),
        saisie,
        &Ok(admissible_reaap()),
        le(date!(2025 - 11 - 16)),
    )
}

fn validation_par_montant(montant: &str) -> SaisieDecision {
    SaisieDecision {
        issue: IssueDecision::Valide,
        motivation: "Projet utile au réseau départemental".into(),
        notification: None,
        part_caf: part_caf(montant),
        derogation_engagements: None,
    }
}

fn reaap_valide() -> (Dossier, Decision) {
    let r = decider(
        &dossier_reaap_en_comite(),
        validation_par_montant("100 000,01"),
    )
    .unwrap();
    (r.dossier.apres, r.decision.apres)
}

fn nouvelle_convention_reaap(echeancier: Vec<LigneEcheancier>) -> NouvelleConvention {
    NouvelleConvention {
        numero: "COF-38-2026-REAAP".into(),
        debut: date!(2026 - 01 - 01),
        fin: date!(2026 - 12 - 31),
        echeancier,
    }
}

fn part(date: Date, pourcentage: &str) -> LigneEcheancier {
    LigneEcheancier::Part {
        date,
        centiemes_de_pourcent: lire_pourcentage(pourcentage).unwrap(),
    }
}

fn etablir_reaap(
    dossier: &Dossier,
    decision: &Decision,
    echeancier: Vec<LigneEcheancier>,
) -> Result<domain::Transition<Convention>, domain::Refus> {
    Convention::etablir(
        ConventionId(5),
        &caf38(),
        dossier,
        decision,
        &admissible_reaap(),
        nouvelle_convention_reaap(echeancier),
        le(date!(2025 - 11 - 20)),
    )
}

/// A REAAP convention in two instalments (50 % on 1 January, 50 % on 1 July), signed by both
/// parties on 10 December 2025.
fn convention_reaap_signee() -> Convention {
    let (dossier, decision) = reaap_valide();
    let convention = etablir_reaap(
        &dossier,
        &decision,
        vec![
            part(date!(2026 - 01 - 01), "50"),
            part(date!(2026 - 07 - 01), "50"),
        ],
    )
    .unwrap()
    .apres;
    let convention = convention
        .signer_par_gestionnaire(
            &gestionnaire(),
            &dossier,
            "Claire Martin",
            true,
            le(date!(2025 - 12 - 01)),
        )
        .unwrap()
        .apres;
    convention
        .signer(
            &caf38(),
            &dossier,
            date!(2025 - 12 - 10),
            le(date!(2025 - 12 - 10)),
        )
        .unwrap()
        .apres
}

fn ordre(id: i64, date: Date) -> OrdrePaiement {
    OrdrePaiement {
        id: PaiementId(id),
        reference: format!("REAAP-{id:04}"),
        date,
    }
}

fn verser(
    convention: &Convention,
    rang: u16,
    existants: &[Paiement],
    jour: Date,
) -> Result<Emission, domain::Refus> {
    emettre_versement(
        &caf38(),
        convention,
        &admissible_reaap(),
        rang,
        existants,
        ordre(100 + i64::from(rang) + existants.len() as i64, jour),
        le(jour),
    )
}

#[test]
fn les_regles_sont_des_donnees_par_dispositif() {
    let aip = Dispositif::Aip.regles();
    assert_eq!(aip.decision, ModeDecision::NotificationEtp);
    assert_eq!(aip.financement, ModeFinancement::FormuleAip);
    assert!(aip.declarations_aip && aip.bilan && aip.experimentation_aip);
    for dispositif in Dispositif::TOUS
        .into_iter()
        .filter(|d| *d != Dispositif::Aip)
    {
        let r = dispositif.regles();
        assert_eq!(
            r.decision,
            ModeDecision::MontantParFinanceur,
            "{dispositif:?}"
        );
        assert_eq!(r.financement, ModeFinancement::SubventionEcheancier);
        assert!(!r.declarations_aip && !r.bilan && !r.experimentation_aip);
    }
}

#[test]
fn un_projet_reaap_se_depose_sans_etp_avec_son_plan_de_financement() {
    let dossier = dossier_reaap_en_comite();
    assert_eq!(dossier.etat, EtatDossier::PresenteEnComite);
    assert_eq!(
        dossier.projet.montant_demande(Cofinanceur::Caf),
        Some(euros("100 000,01"))
    );
    assert_eq!(
        dossier.projet.total_plan_financement(),
        Some(euros("140 000,01"))
    );
}

#[test]
fn un_plan_de_financement_negatif_ou_en_double_est_refuse() {
    let appel = appel_reaap();
    let mut projet = projet_complet();
    projet.plan_financement = vec![DemandeFinancement {
        financeur: Cofinanceur::Caf,
        montant: Centimes::new(-1),
    }];
    let creer = |projet| {
        Dossier::creer(
            DossierId(8),
            &gestionnaire(),
            &appel,
            GESTIONNAIRE,
            projet,
            le(date!(2025 - 10 - 02)),
        )
    };
    refus(creer(projet.clone()), "invalide", "négatif");
    projet.plan_financement = vec![
        DemandeFinancement {
            financeur: Cofinanceur::Caf,
            montant: euros("1"),
        },
        DemandeFinancement {
            financeur: Cofinanceur::Caf,
            montant: euros("2"),
        },
    ];
    refus(creer(projet), "invalide", "une seule fois");
}

#[test]
fn un_projet_reaap_est_valide_par_montant_sans_notification_d_etp() {
    let r = decider(
        &dossier_reaap_en_comite(),
        validation_par_montant("100 000,01"),
    )
    .unwrap();
    assert_eq!(r.dossier.apres.etat, EtatDossier::Valide);
    assert_eq!(r.decision.apres.notification, None);
    assert_eq!(r.decision.apres.engagement_caf(), euros("100 000,01"));
    // The other funders record their own share, as for the AIP.
    let part = r
        .decision
        .apres
        .enregistrer_part(
            &financeur38(),
            Cofinanceur::Partenaire(DEPARTEMENTAL),
            SaisiePart {
                avis: AvisFinanceur::Accorde,
                montant: euros("35 000"),
                motivation: "Schéma départemental".into(),
            },
            le(date!(2025 - 11 - 18)),
        )
        .unwrap()
        .apres;
    assert_eq!(part.parts.len(), 2);
}

#[test]
fn une_notification_d_etp_est_refusee_sur_un_projet_reaap() {
    let mut saisie = validation_par_montant("100 000");
    saisie.notification = Some(NotificationEtp {
        etp: etp("1"),
        date_effet: date!(2026 - 01 - 01),
    });
    refus(
        decider(&dossier_reaap_en_comite(), saisie),
        "invalide",
        "se décide par montant : aucun ETP n'est notifié",
    );
}

#[test]
fn un_projet_reaap_valide_exige_la_part_accordee_de_la_caf() {
    let dossier = dossier_reaap_en_comite();
    let mut sans_part = validation_par_montant("1");
    sans_part.part_caf = None;
    refus(decider(&dossier, sans_part), "incomplet", "");
    refus(
        decider(&dossier, validation_par_montant("0")),
        "invalide",
        "supérieur à zéro",
    );
    let mut refusee = validation_par_montant("0");
    refusee.part_caf = Some(SaisiePart {
        avis: AvisFinanceur::Refuse,
        montant: Centimes::ZERO,
        motivation: String::new(),
    });
    refus(decider(&dossier, refusee), "invalide", "accordée");
    // Refused or postponed: no share needed.
    let refus_comite = SaisieDecision {
        issue: IssueDecision::Refuse,
        motivation: "Besoin couvert".into(),
        notification: None,
        part_caf: None,
        derogation_engagements: None,
    };
    assert_eq!(
        decider(&dossier, refus_comite).unwrap().dossier.apres.etat,
        EtatDossier::Refuse
    );
}

#[test]
fn l_aip_garde_sa_notification_d_etp() {
    let (dossier, _) = dossier_a(EtatDossier::PresenteEnComite);
    let mut saisie = saisie_validation();
    saisie.notification = None;
    refus(
        dossier.enregistrer_decision(
            &caf38(),
            DecisionId(1),
            saisie,
            &Ok(admissible()),
            le(date!(2024 - 02 - 16)),
        ),
        "incomplet",
        "",
    );
    let (convention, _, _) = convention_projet();
    assert!(convention.notification_initiale.is_some());
    assert!(convention.echeancier.is_empty());
}

#[test]
fn une_convention_aip_refuse_un_echeancier() {
    let (dossier, decision) = dossier_valide();
    let mut nouvelle = nouvelle_convention();
    nouvelle.echeancier = vec![part(date!(2024 - 03 - 01), "100")];
    refus(
        Convention::etablir(
            ConventionId(1),
            &caf38(),
            &dossier,
            &decision,
            &admissible(),
            nouvelle,
            le(date!(2024 - 02 - 20)),
        ),
        "invalide",
        "ne fixe pas d'échéancier",
    );
}

#[test]
fn l_echeancier_en_pourcentages_est_fige_en_centimes_exacts() {
    let (dossier, decision) = reaap_valide();
    let convention = etablir_reaap(
        &dossier,
        &decision,
        vec![
            part(date!(2026 - 01 - 01), "33,33"),
            part(date!(2026 - 05 - 01), "33,33"),
            part(date!(2026 - 09 - 01), "33,34"),
        ],
    )
    .unwrap()
    .apres;
    assert_eq!(convention.notification_initiale, None);
    let montants: Vec<Centimes> = convention.echeancier.iter().map(|v| v.montant).collect();
    // 10 000 001 cents: 33,33 % = 3 333 000,333… → 3 333 000 twice, the last takes the rest.
    assert_eq!(
        montants,
        vec![
            Centimes::new(3_333_000),
            Centimes::new(3_333_000),
            Centimes::new(3_334_001)
        ]
    );
    assert_eq!(convention.total_echeancier(), Some(euros("100 000,01")));
    let rangs: Vec<u16> = convention.echeancier.iter().map(|v| v.rang).collect();
    assert_eq!(rangs, vec![1, 2, 3]);
}

#[test]
fn l_echeancier_en_montants_totalise_exactement_la_part_de_la_caf() {
    let (dossier, decision) = reaap_valide();
    let montant = |date, m: &str| LigneEcheancier::Montant {
        date,
        montant: euros(m),
    };
    refus(
        etablir_reaap(
            &dossier,
            &decision,
            vec![
                montant(date!(2026 - 01 - 01), "60 000"),
                montant(date!(2026 - 07 - 01), "40 000"),
            ],
        ),
        "invalide",
        "totaliser exactement",
    );
    let c = etablir_reaap(
        &dossier,
        &decision,
        vec![
            montant(date!(2026 - 01 - 01), "60 000"),
            montant(date!(2026 - 07 - 01), "40 000,01"),
        ],
    )
    .unwrap()
    .apres;
    assert_eq!(c.echeancier[1].montant, euros("40 000,01"));
    refus(
        etablir_reaap(&dossier, &decision, Vec::new()),
        "incomplet",
        "",
    );
    refus(
        etablir_reaap(
            &dossier,
            &decision,
            vec![
                part(date!(2026 - 01 - 01), "50"),
                part(date!(2026 - 07 - 01), "40"),
            ],
        ),
        "invalide",
        "100 %",
    );
    refus(
        etablir_reaap(
            &dossier,
            &decision,
            vec![
                part(date!(2026 - 07 - 01), "50"),
                part(date!(2026 - 01 - 01), "50"),
            ],
        ),
        "invalide",
        "se suivent",
    );
    refus(
        etablir_reaap(
            &dossier,
            &decision,
            vec![part(date!(2027 - 01 - 01), "100")],
        ),
        "invalide",
        "période de la convention",
    );
}

#[test]
fn chaque_versement_est_paye_une_seule_fois_a_partir_de_sa_date() {
    let convention = convention_reaap_signee();
    // Not before its date.
    refus(
        verser(&convention, 1, &[], date!(2025 - 12 - 31)),
        "condition",
        "à partir du 01/01/2026",
    );
    let premier = match verser(&convention, 1, &[], date!(2026 - 01 - 05)).unwrap() {
        Emission::Nouveau(t) => t.apres,
        autre => panic!("nouveau paiement attendu : {autre:?}"),
    };
    assert_eq!(premier.nature, NaturePaiement::Versement(1));
    assert_eq!(premier.montant, Centimes::new(5_000_000));
    assert_eq!(premier.cle(), (convention.id, 2026, Echeance::Versement(1)));
    assert_eq!(premier.nature.echeance().code(), "versement_1");
    // Once only: issuing it again returns the same payment.
    let existants = vec![premier.clone()];
    match verser(&convention, 1, &existants, date!(2026 - 02 - 01)).unwrap() {
        Emission::Existant(p) => assert_eq!(p, premier),
        autre => panic!("paiement existant attendu : {autre:?}"),
    }
    // The second instalment is not due yet; from its date it is, for the rest of the amount.
    assert!(versements_dus(&convention, &existants, date!(2026 - 02 - 01)).is_empty());
    let dus = versements_dus(&convention, &existants, date!(2026 - 07 - 01));
    assert_eq!(dus.len(), 1);
    assert_eq!(dus[0].rang, 2);
    let second = match verser(&convention, 2, &existants, date!(2026 - 07 - 01)).unwrap() {
        Emission::Nouveau(t) => t.apres,
        autre => panic!("nouveau paiement attendu : {autre:?}"),
    };
    assert_eq!(second.montant, Centimes::new(5_000_001));
    refus(
        verser(&convention, 3, &existants, date!(2026 - 07 - 01)),
        "incoherence",
        "ne prévoit pas de versement n°3",
    );
}

#[test]
fn un_versement_attend_la_signature_et_n_est_verse_que_par_la_caf() {
    let (dossier, decision) = reaap_valide();
    let projet = etablir_reaap(
        &dossier,
        &decision,
        vec![part(date!(2026 - 01 - 01), "100")],
    )
    .unwrap()
    .apres;
    refus(verser(&projet, 1, &[], date!(2026 - 01 - 05)), "etat", "");
    let convention = convention_reaap_signee();
    let r = emettre_versement(
        &gestionnaire(),
        &convention,
        &admissible_reaap(),
        1,
        &[],
        ordre(1, date!(2026 - 01 - 05)),
        le(date!(2026 - 01 - 05)),
    );
    assert!(r.is_err());
}

#[test]
fn une_convention_aip_ne_se_paie_pas_par_echeances() {
    let (convention, _, _) = convention_signee();
    refus(
        emettre_versement(
            &caf38(),
            &convention,
            &admissible(),
            1,
            &[],
            ordre(1, date!(2024 - 04 - 01)),
            le(date!(2024 - 04 - 01)),
        ),
        "incoherence",
        "acompte et le solde",
    );
}

#[test]
fn les_pourcentages_se_lisent_au_centieme() {
    assert_eq!(lire_pourcentage("50"), Some(5_000));
    assert_eq!(lire_pourcentage("33,33"), Some(3_333));
    assert_eq!(lire_pourcentage("12.5 %"), Some(1_250));
    assert_eq!(lire_pourcentage("100"), Some(CENT_POUR_CENT));
    assert_eq!(lire_pourcentage("100,01"), None);
    assert_eq!(lire_pourcentage("1,234"), None);
    assert_eq!(lire_pourcentage("-5"), None);
    assert_eq!(lire_pourcentage(""), None);
}

/// Shares (hundredths of a percent) summing to 100 %: `n - 1` cut points in 0..=10 000.
fn parts_valides() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(0..=CENT_POUR_CENT, 0..8).prop_map(|mut coupures| {
        coupures.sort_unstable();
        let mut parts = Vec::with_capacity(coupures.len() + 1);
        let mut precedent = 0;
        for c in coupures {
            parts.push(c - precedent);
            precedent = c;
        }
        parts.push(CENT_POUR_CENT - precedent);
        parts
    })
}

proptest! {
    #[test]
    fn la_repartition_totalise_exactement_le_montant(
        total in 0i64..=1_000_000_000_000,
        parts in parts_valides(),
    ) {
        let montants = repartir(Centimes::new(total), &parts).unwrap();
        prop_assert_eq!(montants.len(), parts.len());
        let somme: i64 = montants.iter().map(|m| m.centimes()).sum();
        prop_assert_eq!(somme, total);
        let n = parts.len();
        for (k, (montant, part)) in montants.iter().zip(&parts).enumerate() {
            // The exact share, in cents × 10 000.
            let exact = i128::from(total) * i128::from(*part);
            let en_dix_milliemes = i128::from(montant.centimes()) * i128::from(CENT_POUR_CENT);
            prop_assert!(montant.centimes() >= 0);
            if k + 1 < n {
                // Rounded down to the cent.
                prop_assert!(en_dix_milliemes <= exact);
                prop_assert!(exact - en_dix_milliemes < i128::from(CENT_POUR_CENT));
            } else {
                // The last takes the rest: never below its share, at most n - 1 cents above.
                prop_assert!(en_dix_milliemes >= exact);
                prop_assert!(
                    en_dix_milliemes - exact < i128::from(CENT_POUR_CENT) * n as i128
                );
            }
        }
    }

    #[test]
    fn une_repartition_qui_ne_fait_pas_cent_pour_cent_est_refusee(
        total in 0i64..=1_000_000_000,
        parts in proptest::collection::vec(0..=CENT_POUR_CENT, 1..6),
    ) {
        let somme: u32 = parts.iter().sum();
        prop_assume!(somme != CENT_POUR_CENT);
        prop_assert!(repartir(Centimes::new(total), &parts).is_none());
    }
}
