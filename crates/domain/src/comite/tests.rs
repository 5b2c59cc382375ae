//! The sitting's agenda, its financing plan and each scheme's budget year on year, on records
//! built by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use time::macros::{date, datetime};

use super::*;
use crate::decision::PartFinanceur;
use crate::dossier::{DemandeFinancement, EtatDossier, ProjetFonctionnement};
use crate::identifiants::{
    AppelAProjetsId, DecisionId, FinanceurId, GestionnaireId, UtilisateurId,
};

fn dep(code: &str) -> CodeDepartement {
    CodeDepartement::parse(code).unwrap()
}

fn dossier(
    id: i64,
    dispositif: Dispositif,
    comite: Option<Date>,
    plan: &[(Cofinanceur, i64)],
) -> Dossier {
    Dossier {
        id: DossierId(id),
        appel: AppelAProjetsId(1),
        dispositif,
        departement: dep("38"),
        gestionnaire: GestionnaireId(1),
        etat: EtatDossier::PresenteEnComite,
        projet: ProjetFonctionnement {
            plan_financement: plan
                .iter()
                .map(|(financeur, c)| DemandeFinancement {
                    financeur: *financeur,
                    montant: Centimes::new(*c),
                })
                .collect(),
            ..ProjetFonctionnement::default()
        },
        version: 1,
        cree_le: datetime!(2024-01-01 10:00 UTC),
        depose_le: None,
        complement_demande: None,
        date_comite: comite,
        motif_cloture: None,
        pieces_demandees: Vec::new(),
        derogation_engagements: None,
        suivi_par: None,
        avis_financeurs: Vec::new(),
    }
}

fn part(financeur: Cofinanceur, avis: AvisFinanceur, c: i64) -> PartFinanceur {
    PartFinanceur {
        financeur,
        avis,
        montant: Centimes::new(c),
        motivation: String::new(),
        enregistree_par: UtilisateurId(1),
        enregistree_le: datetime!(2024-06-21 10:00 UTC),
    }
}

fn decision(
    id: i64,
    dossier: i64,
    issue: IssueDecision,
    le: Date,
    parts: Vec<PartFinanceur>,
) -> Decision {
    Decision {
        id: DecisionId(id),
        dossier: DossierId(dossier),
        departement: dep("38"),
        gestionnaire: GestionnaireId(1),
        objet: ObjetDecision::Projet,
        date_comite: le,
        issue,
        motivation: "motif".into(),
        notification: None,
        parts,
        enregistree_par: UtilisateurId(1),
        enregistree_le: datetime!(2024-06-21 10:00 UTC),
        version: 1,
    }
}

const CD: Cofinanceur = Cofinanceur::Partenaire(FinanceurId(7));
const MSA: Cofinanceur = Cofinanceur::Partenaire(FinanceurId(9));

#[test]
fn l_ordre_du_jour_regroupe_les_dossiers_par_dispositif_dans_l_ordre_de_la_circulaire() {
    let juin = date!(2024 - 06 - 20);
    let dossiers = vec![
        dossier(3, Dispositif::MediationFamiliale, Some(juin), &[]),
        dossier(1, Dispositif::Reaap, Some(juin), &[]),
        dossier(2, Dispositif::Clas, Some(juin), &[]),
        dossier(4, Dispositif::Reaap, Some(juin), &[]),
        dossier(5, Dispositif::Reaap, Some(date!(2024 - 10 - 10)), &[]),
        // Postponed in June, presented again in October: still on June's agenda.
        dossier(6, Dispositif::Laep, Some(date!(2024 - 10 - 10)), &[]),
    ];
    let decisions = vec![decision(1, 6, IssueDecision::Ajourne, juin, vec![])];
    let seance = Seance {
        departement: dep("38"),
        date: juin,
    };
    let odj = ordre_du_jour(seance, &dossiers, &decisions);
    let vu: Vec<(Dispositif, Vec<i64>)> = odj
        .iter()
        .map(|r| {
            (
                r.dispositif,
                r.points.iter().map(|p| p.dossier.id.0).collect(),
            )
        })
        .collect();
    assert_eq!(
        vu,
        vec![
            (Dispositif::Reaap, vec![1, 4]),
            (Dispositif::Clas, vec![2]),
            (Dispositif::MediationFamiliale, vec![3]),
            (Dispositif::Laep, vec![6]),
        ]
    );
    assert_eq!(
        seances(&dossiers, &decisions)
            .iter()
            .map(|s| s.date)
            .collect::<Vec<_>>(),
        vec![date!(2024 - 10 - 10), juin]
    );
    let autre = Seance {
        departement: dep("30"),
        date: juin,
    };
    assert!(ordre_du_jour(autre, &dossiers, &decisions).is_empty());
}

#[test]
fn le_plan_additionne_demandes_et_parts_accordees_par_financeur_dispositif_et_annee() {
    let d24 = date!(2024 - 06 - 20);
    let d25 = date!(2025 - 06 - 19);
    let dossiers = [
        dossier(
            1,
            Dispositif::Reaap,
            Some(d24),
            &[(Cofinanceur::Caf, 900_000), (CD, 600_000)],
        ),
        dossier(
            2,
            Dispositif::Reaap,
            Some(d24),
            &[(Cofinanceur::Caf, 100_001), (MSA, 50_000)],
        ),
        dossier(
            3,
            Dispositif::Clas,
            Some(d25),
            &[(Cofinanceur::Caf, 300_000)],
        ),
        // Refused: requested, nothing decided.
        dossier(4, Dispositif::Clas, Some(d25), &[(CD, 70_000)]),
    ];
    let decisions = vec![
        decision(
            1,
            1,
            IssueDecision::Valide,
            d24,
            vec![
                part(Cofinanceur::Caf, AvisFinanceur::Accorde, 850_000),
                part(CD, AvisFinanceur::Accorde, 600_000),
            ],
        ),
        decision(
            2,
            2,
            IssueDecision::Valide,
            d24,
            vec![
                part(Cofinanceur::Caf, AvisFinanceur::Accorde, 100_001),
                part(MSA, AvisFinanceur::Refuse, 0),
            ],
        ),
        decision(
            3,
            3,
            IssueDecision::Valide,
            d25,
            vec![part(Cofinanceur::Caf, AvisFinanceur::Accorde, 300_000)],
        ),
        decision(4, 4, IssueDecision::Refuse, d25, vec![]),
    ];
    let refs: Vec<&Dossier> = dossiers.iter().collect();
    let drefs: Vec<&Decision> = decisions.iter().collect();
    let plan = plan_financement(&refs, &drefs).unwrap();
    let vu: Vec<(Cofinanceur, Dispositif, i32, i64, i64)> = plan
        .iter()
        .map(|l| {
            (
                l.financeur,
                l.dispositif,
                l.annee,
                l.demande.centimes(),
                l.decide.centimes(),
            )
        })
        .collect();
    assert_eq!(
        vu,
        vec![
            (
                Cofinanceur::Caf,
                Dispositif::Reaap,
                2024,
                1_000_001,
                950_001
            ),
            (Cofinanceur::Caf, Dispositif::Clas, 2025, 300_000, 300_000),
            (CD, Dispositif::Reaap, 2024, 600_000, 600_000),
            (CD, Dispositif::Clas, 2025, 70_000, 0),
            (MSA, Dispositif::Reaap, 2024, 50_000, 0),
        ]
    );
    // The Caf's granted amount is the one the platform commits.
    for x in &decisions {
        assert_eq!(montant_accorde(x, Cofinanceur::Caf), x.engagement_caf());
    }
    assert_eq!(
        totaux(&plan).unwrap(),
        (Centimes::new(2_020_001), Centimes::new(1_850_001))
    );
}

#[test]
fn un_total_trop_grand_est_refuse_plutot_que_tronque() {
    let d24 = date!(2024 - 06 - 20);
    let dossiers = [
        dossier(
            1,
            Dispositif::Reaap,
            Some(d24),
            &[(Cofinanceur::Caf, i64::MAX)],
        ),
        dossier(2, Dispositif::Reaap, Some(d24), &[(Cofinanceur::Caf, 1)]),
    ];
    let refs: Vec<&Dossier> = dossiers.iter().collect();
    assert_eq!(plan_financement(&refs, &[]), Err(TotalTropGrand));
}

#[test]
fn l_evolution_est_arrondie_au_dixieme_de_point() {
    let c = Centimes::new;
    assert_eq!(evolution_dixiemes(c(1_000), c(1_084)), Some(84));
    assert_eq!(evolution_dixiemes(c(1_000), c(1_045)), Some(45));
    // 1/3 % rounds to 0,3 %; 0,85 % to 0,9 %; -0,85 % to -0,9 %.
    assert_eq!(evolution_dixiemes(c(300), c(301)), Some(3));
    assert_eq!(evolution_dixiemes(c(2_000), c(2_017)), Some(9));
    assert_eq!(evolution_dixiemes(c(2_000), c(1_983)), Some(-9));
    assert_eq!(evolution_dixiemes(c(0), c(1_000)), None);
    assert_eq!(evolution_dixiemes(c(i64::MAX), c(i64::MIN)), Some(-2_000));
}

#[test]
fn le_budget_de_chaque_dispositif_d_annee_en_annee() {
    let ligne = |financeur, dispositif, annee, decide| LignePlan {
        financeur,
        dispositif,
        annee,
        demande: Centimes::ZERO,
        decide: Centimes::new(decide),
    };
    let lignes = [
        ligne(
            Cofinanceur::Caf,
            Dispositif::MediationFamiliale,
            2023,
            1_000_000,
        ),
        ligne(CD, Dispositif::MediationFamiliale, 2023, 500_000),
        ligne(
            Cofinanceur::Caf,
            Dispositif::MediationFamiliale,
            2025,
            1_084_000,
        ),
        ligne(Cofinanceur::Caf, Dispositif::Reaap, 2024, 2_000_000),
        ligne(Cofinanceur::Caf, Dispositif::Reaap, 2025, 2_090_000),
    ];
    let b = budgets_par_dispositif(&lignes).unwrap();
    let vu: Vec<(Dispositif, i32, i64, i64, Option<i64>)> = b
        .iter()
        .map(|x| {
            (
                x.dispositif,
                x.annee,
                x.decide_caf.centimes(),
                x.decide_financeurs.centimes(),
                x.evolution_dixiemes,
            )
        })
        .collect();
    assert_eq!(
        vu,
        vec![
            (Dispositif::Reaap, 2024, 2_000_000, 2_000_000, None),
            (Dispositif::Reaap, 2025, 2_090_000, 2_090_000, Some(45)),
            (
                Dispositif::MediationFamiliale,
                2023,
                1_000_000,
                1_500_000,
                None
            ),
            (Dispositif::MediationFamiliale, 2024, 0, 0, Some(-1_000)),
            (
                Dispositif::MediationFamiliale,
                2025,
                1_084_000,
                1_084_000,
                None
            ),
        ]
    );
}

#[test]
fn chaque_dispositif_a_ses_criteres_communs_sources() {
    for d in Dispositif::TOUS {
        let c = criteres::criteres_communs(d);
        assert!(!c.is_empty(), "{d:?}");
        for critere in c {
            assert!(
                critere.source.paragraphe.starts_with('§')
                    || critere.source.paragraphe == "préambule"
            );
            assert!(!critere.source.citation.is_empty());
        }
    }
}
