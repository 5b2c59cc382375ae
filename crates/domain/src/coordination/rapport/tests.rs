//! The assembly of the annual report on a small hand-made instance.

use std::collections::{BTreeMap, BTreeSet};

use time::macros::{date, datetime};

use super::*;
use crate::coordination::compte_rendu::{ActionSuivie, CompteRendu, StatutAction};
use crate::coordination::quorum::Quorum;
use crate::coordination::seance::Seance;
use crate::identifiants::{CodeInsee, Email, InstanceId, MembreId, SeanceId};
use crate::quantites::Centimes;
use crate::territoire::couverture::{Couverture, LigneCommune, LigneTerritoire};

fn instance() -> Instance {
    Instance {
        id: InstanceId(1),
        departement: CodeDepartement::parse("52").expect("code"),
        forme: FormeInstance::Circulaire2012,
        secretariat: Email::parse("secretariat@caf52.fr").expect("adresse"),
        groupes: Vec::new(),
        schema: None,
    }
}

fn membre(id: i64, role: RoleMembre, organisation: &str, debut: Date, fin: Date) -> Membre {
    Membre {
        id: MembreId(id),
        instance: InstanceId(1),
        organisation: organisation.to_owned(),
        personne: format!("Personne {id}"),
        email: Email::parse(&format!("m{id}@exemple.fr")).expect("adresse"),
        role,
        mandat_debut: debut,
        mandat_fin: fin,
        niveaux: BTreeSet::new(),
        groupes: BTreeSet::new(),
        utilisateur: None,
    }
}

fn seance(id: i64, debut: time::OffsetDateTime, etat: EtatSeance) -> Seance {
    Seance {
        id: SeanceId(id),
        instance: InstanceId(1),
        niveau: Niveau::Politique,
        groupe: None,
        titre: format!("Séance {id}"),
        debut,
        duree_minutes: 120,
        lieu: "Préfecture".to_owned(),
        ordre_du_jour: Vec::new(),
        etat,
        sequence: 0,
        convocations: BTreeMap::new(),
        emargement: Vec::new(),
        quorum: None,
        motif_annulation: None,
        compte_rendu: None,
    }
}

fn commune(code: &str, couverture: Couverture) -> LigneCommune {
    LigneCommune {
        code: CodeInsee::parse(code).expect("code"),
        nom: code.to_owned(),
        population: 100,
        position: None,
        epci: None,
        lieux: 0,
        couverture,
    }
}

fn action(numero: u32, statut: StatutAction) -> ActionSuivie {
    ActionSuivie {
        numero,
        libelle: format!("Action {numero}"),
        porteur: "Caf".to_owned(),
        echeance: date!(2025 - 09 - 30),
        statut,
    }
}

#[test]
fn le_rapport_retient_l_annee_et_reprend_les_montants_du_plan() {
    let membres = vec![
        membre(
            1,
            RoleMembre::President,
            "Préfecture",
            date!(2024 - 01 - 01),
            date!(2029 - 12 - 31),
        ),
        membre(
            2,
            RoleMembre::Membre,
            "Conseil départemental",
            date!(2024 - 01 - 01),
            date!(2029 - 12 - 31),
        ),
        membre(
            3,
            RoleMembre::Secretariat,
            "Caf",
            date!(2024 - 01 - 01),
            date!(2029 - 12 - 31),
        ),
        // Mandate over before the year: not in the composition.
        membre(
            4,
            RoleMembre::Membre,
            "Ancienne association",
            date!(2020 - 01 - 01),
            date!(2024 - 06 - 30),
        ),
    ];
    let mut tenue = seance(1, datetime!(2025-03-10 14:00 +1), EtatSeance::Tenue);
    tenue.quorum = Some(Quorum {
        membres: 4,
        presents: 2,
        representes: 1,
        requis: 3,
        atteint: true,
    });
    tenue.compte_rendu = Some(CompteRendu {
        texte: "Relevé".to_owned(),
        decisions: vec!["Adopter le diagnostic".to_owned()],
        actions: vec![
            action(1, StatutAction::Realisee),
            action(2, StatutAction::EnCours),
        ],
        etat: EtatCompteRendu::Publie,
        commentaires: Vec::new(),
        approuve_en: None,
        publie_le: None,
    });
    let mut sans_quorum = seance(2, datetime!(2025-10-06 14:00 +1), EtatSeance::Tenue);
    sans_quorum.quorum = Some(Quorum {
        membres: 4,
        presents: 1,
        representes: 0,
        requis: 3,
        atteint: false,
    });
    let annulee = seance(3, datetime!(2025-11-17 14:00 +1), EtatSeance::Annulee);
    let autre_annee = seance(4, datetime!(2024-11-18 14:00 +1), EtatSeance::Tenue);
    let seances = vec![sans_quorum, autre_annee, tenue, annulee];

    let partenaire = FinanceurId(7);
    let financement = vec![
        LignePlan {
            financeur: Cofinanceur::Caf,
            dispositif: Dispositif::Reaap,
            annee: 2025,
            demande: Centimes::new(1_000_000),
            decide: Centimes::new(800_000),
        },
        LignePlan {
            financeur: Cofinanceur::Partenaire(partenaire),
            dispositif: Dispositif::Reaap,
            annee: 2025,
            demande: Centimes::new(300_000),
            decide: Centimes::new(250_050),
        },
        LignePlan {
            financeur: Cofinanceur::Caf,
            dispositif: Dispositif::Clas,
            annee: 2024,
            demande: Centimes::new(999_999),
            decide: Centimes::new(999_999),
        },
    ];
    let noms = BTreeMap::from([(partenaire, "Conseil départemental".to_owned())]);
    let plan = vec![
        ActionPlan {
            axe: "Maillage".to_owned(),
            intitule: "Ouvrir un LAEP".to_owned(),
            porteur: "Caf".to_owned(),
            indicateur: "un lieu ouvert".to_owned(),
            echeance: date!(2025 - 12 - 31),
            statut: super::super::plans::StatutAction::Realisee,
        },
        ActionPlan {
            axe: "Maillage".to_owned(),
            intitule: "Plus tard".to_owned(),
            porteur: "Caf".to_owned(),
            indicateur: "–".to_owned(),
            echeance: date!(2026 - 06 - 30),
            statut: super::super::plans::StatutAction::AEngager,
        },
    ];
    let diagnostic = DiagnosticCouverture {
        departement: CodeDepartement::parse("52").expect("code"),
        rayon_km: 10.0,
        communes: vec![
            commune("52001", Couverture::NonCouverte),
            commune("52002", Couverture::NonCouverte),
            commune("52003", Couverture::Couverte { distance_km: 2.0 }),
        ],
        epci: Vec::new(),
        total: LigneTerritoire {
            code: "52".to_owned(),
            nom: "Haute-Marne".to_owned(),
            communes: 426,
            population: 170_000,
            lieux: 12,
            lieux_pour_10_000: None,
            communes_non_couvertes: 40,
            population_non_couverte: 9_000,
        },
        lieux: Vec::new(),
        lieux_non_localises: Vec::new(),
    };
    let mut autre = diagnostic.clone();
    autre.total.lieux = 3;
    autre.communes = vec![
        commune("52001", Couverture::Couverte { distance_km: 8.0 }),
        commune("52002", Couverture::NonCouverte),
        commune("52003", Couverture::NonCouverte),
    ];
    let couverture = vec![(Dispositif::Laep, diagnostic), (Dispositif::Clas, autre)];
    let instance = instance();

    let r = etablir(
        Sources {
            instance: &instance,
            membres: &membres,
            seances: &seances,
            financement: &financement,
            noms_financeurs: &noms,
            plan_d_action: &plan,
            couverture: &couverture,
        },
        2025,
    );

    assert_eq!(r.annee, 2025);
    assert_eq!(r.date_limite, date!(2026 - 06 - 30));
    assert_eq!(r.composition.len(), 3, "the expired mandate is left out");
    assert_eq!(r.composition[0].role, RoleMembre::President);
    assert_eq!(r.indicateurs.membres, 2, "the secretariat does not count");
    assert_eq!(
        r.seances
            .iter()
            .map(|s| s.titre.as_str())
            .collect::<Vec<_>>(),
        ["Séance 1", "Séance 2", "Séance 3"],
        "the year's séances by date"
    );
    assert_eq!(r.seances[0].quorum_atteint, Some(true));
    assert_eq!(r.seances[1].quorum_atteint, Some(false));
    assert_eq!(r.seances[2].quorum_atteint, None);
    assert_eq!(r.seances[0].compte_rendu, Some(EtatCompteRendu::Publie));
    assert_eq!(r.indicateurs.seances_tenues, 2);
    assert_eq!(r.indicateurs.seances_annulees, 1);
    assert_eq!(r.indicateurs.seances_quorum_atteint, 1);
    // (2 + 1 + 1) / (4 + 4) = 50,0 %
    assert_eq!(r.indicateurs.taux_presence_dixiemes, Some(500));
    assert_eq!(r.decisions.len(), 1);
    assert_eq!(r.decisions[0].texte, "Adopter le diagnostic");

    assert_eq!(r.financement.len(), 2, "only the year's lines");
    assert_eq!(r.financement[1].financeur, "Conseil départemental");
    assert_eq!(r.financement[1].decide_centimes, 250_050);
    assert_eq!(r.indicateurs.demande_centimes, 1_300_000);
    assert_eq!(r.indicateurs.decide_centimes, 1_050_050);

    assert_eq!(
        r.actions.len(),
        3,
        "two from the minutes, one of the plan due in 2025"
    );
    assert_eq!(r.indicateurs.actions_realisees, 2);
    // 2 / 3 = 66,67 % → 66,7 %
    assert_eq!(r.indicateurs.part_actions_realisees_dixiemes, Some(667));
    assert_eq!(pourcent_fr(Some(667)), "66,7 %");

    assert_eq!(r.couverture[0].lieux, 12);
    assert_eq!(
        r.couverture[0].communes_sans_offre, 40,
        "the diagnosis's own total"
    );
    assert_eq!(r.indicateurs.lieux, 15);
    assert_eq!(
        r.indicateurs.communes_sans_offre, 1,
        "only 52002 has no place of either scheme"
    );
}

#[test]
fn un_taux_sans_denominateur_n_existe_pas() {
    assert_eq!(dixiemes_de_pourcent(1, 0), None);
    assert_eq!(dixiemes_de_pourcent(1, 8), Some(125));
    assert_eq!(dixiemes_de_pourcent(1, 3), Some(333));
}
