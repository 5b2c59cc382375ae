//! The national instance and the calls for candidacies on both engines: the national instance
//! sits beside the Isère's departmental one; its calendar is read back; a Caf has one candidacy
//! per call; a département joins a wave once; `check` finds a call, a candidacy or the
//! calendar changed outside the platform.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::candidatures::{AppelCandidatures, Candidature, DossierCandidature, EtatCandidature};
use domain::coordination::{FormeInstance, Instance};
use domain::identifiants::{
    AppelCandidaturesId, CandidatureId, CodeDepartement, Email, InstanceId,
};
use domain::instance_nationale::Calendrier;
use store::Base;
use store::audit::{self, NouvelEvenement};
use store::depot;
use store::{candidatures as sql_candidatures, instance_nationale as sql_nationale};
use time::macros::{date, datetime};

fn instance(id: i64, forme: FormeInstance) -> Instance {
    Instance {
        id: InstanceId(id),
        departement: CodeDepartement::parse("38").unwrap(),
        forme,
        secretariat: Email::parse("secretariat@exemple.fr").unwrap(),
        groupes: Vec::new(),
        schema: None,
    }
}

fn candidature(id: i64, departement: &str) -> Candidature {
    Candidature {
        id: CandidatureId(id),
        appel: AppelCandidaturesId(1),
        departement: CodeDepartement::parse(departement).unwrap(),
        etat: EtatCandidature::Deposee,
        dossier: DossierCandidature::default(),
        deposee_le: Some(datetime!(2026-12-02 10:00 UTC)),
        decision: None,
    }
}

async fn national_et_candidatures(base: Base) {
    let mut tx = base.debuter().await.unwrap();
    depot::inserer(&mut tx, &instance(1, FormeInstance::Cdsf))
        .await
        .unwrap();
    depot::inserer(&mut tx, &instance(2, FormeInstance::NationaleAip))
        .await
        .unwrap();
    depot::inserer(&mut tx, &Calendrier::initial(InstanceId(2)))
        .await
        .unwrap();
    depot::inserer(
        &mut tx,
        &AppelCandidatures {
            id: AppelCandidaturesId(1),
            titre: "Deuxième vague".into(),
            vague: 2,
            date_limite: date!(2026 - 12 - 20),
            contenu_attendu: String::new(),
            ouvert_le: datetime!(2026-12-01 10:00 UTC),
        },
    )
    .await
    .unwrap();
    depot::inserer(&mut tx, &candidature(1, "35"))
        .await
        .unwrap();
    depot::inserer(&mut tx, &candidature(2, "44"))
        .await
        .unwrap();
    tx.valider().await.unwrap();

    let mut tx = base.debuter().await.unwrap();
    let second = depot::inserer(&mut tx, &candidature(3, "35")).await;
    assert!(
        matches!(second, Err(store::ErreurStore::Doublon { .. })),
        "{second:?}"
    );
    drop(tx);

    let mut tx = base.debuter().await.unwrap();
    let nationale = sql_nationale::instance_nationale(&mut tx)
        .await
        .unwrap()
        .expect("national instance");
    assert_eq!(nationale.valeur.id, InstanceId(2));
    let departementale = store::coordination::instance_du_departement(&mut tx, "38")
        .await
        .unwrap()
        .expect("departmental instance");
    assert_eq!(departementale.valeur.id, InstanceId(1));
    let calendrier = sql_nationale::calendrier(&mut tx, 2)
        .await
        .unwrap()
        .expect("calendar");
    assert_eq!(calendrier.valeur.phases.len(), 6);
    let retenu = sql_candidatures::DepartementRetenu {
        appel: AppelCandidaturesId(1),
        departement: "35".into(),
        vague: 2,
        candidature: 1,
        retenue_le: "2026-12-22".into(),
    };
    sql_candidatures::ajouter_a_la_vague(&mut tx, &retenu)
        .await
        .unwrap();
    tx.valider().await.unwrap();

    let mut tx = base.debuter().await.unwrap();
    assert!(
        sql_candidatures::ajouter_a_la_vague(&mut tx, &retenu)
            .await
            .is_err(),
        "a département joins a wave once"
    );
    drop(tx);

    let mut tx = base.lecture().await.unwrap();
    assert_eq!(
        sql_candidatures::departements_retenus(&mut tx)
            .await
            .unwrap(),
        vec![retenu]
    );
    let toutes = sql_candidatures::candidatures_de_l_appel(&mut tx, AppelCandidaturesId(1))
        .await
        .unwrap();
    assert_eq!(
        toutes
            .iter()
            .map(|c| c.valeur.departement.as_str().to_owned())
            .collect::<Vec<_>>(),
        ["35", "44"]
    );
    let de_44 = sql_candidatures::candidature_du_departement(
        &mut tx,
        AppelCandidaturesId(1),
        CodeDepartement::parse("44").unwrap(),
    )
    .await
    .unwrap()
    .expect("44");
    assert_eq!(de_44.valeur.id, CandidatureId(2));
    assert_eq!(sql_candidatures::appels(&mut tx).await.unwrap().len(), 1);
}

/// The audit event of a record written by a use case (its hashes are taken at commit).
fn evenement(entite: &str, entite_id: i64) -> NouvelEvenement {
    NouvelEvenement {
        horodatage: datetime!(2026-12-02 10:00 UTC),
        acteur_id: Some(1),
        role: Some("pilote_national".into()),
        entite: entite.into(),
        entite_id,
        action: "creer".into(),
        etat_avant: None,
        etat_apres: None,
        description: "Écrit par la plateforme".into(),
        changements: "[]".into(),
        avant: None,
        apres: None,
    }
}

async fn modifications_hors_plateforme(base: Base) {
    let mut tx = base.debuter().await.unwrap();
    depot::inserer(&mut tx, &instance(2, FormeInstance::NationaleAip))
        .await
        .unwrap();
    depot::inserer(&mut tx, &Calendrier::initial(InstanceId(2)))
        .await
        .unwrap();
    depot::inserer(
        &mut tx,
        &AppelCandidatures {
            id: AppelCandidaturesId(1),
            titre: "Deuxième vague".into(),
            vague: 2,
            date_limite: date!(2026 - 12 - 20),
            contenu_attendu: String::new(),
            ouvert_le: datetime!(2026-12-01 10:00 UTC),
        },
    )
    .await
    .unwrap();
    depot::inserer(&mut tx, &candidature(1, "35"))
        .await
        .unwrap();
    for (entite, id) in [
        ("calendrier_national", 2),
        ("appel_a_candidatures", 1),
        ("candidature", 1),
    ] {
        audit::ajouter(&mut tx, evenement(entite, id))
            .await
            .unwrap();
    }
    tx.valider().await.unwrap();
    let anomalies = store::integrite::verifier(&base).await.unwrap();
    assert!(anomalies.is_empty(), "{anomalies:?}");

    // A candidacy marked as selected directly in SQL is reported, naming the column.
    base.executer_direct("UPDATE candidatures SET etat = 'retenue' WHERE id = 1")
        .await
        .unwrap();
    base.executer_direct("UPDATE appels_candidatures SET date_limite = '2027-01-31' WHERE id = 1")
        .await
        .unwrap();
    base.executer_direct("UPDATE calendriers_nationaux SET version = 7 WHERE id = 2")
        .await
        .unwrap();
    let anomalies = store::integrite::verifier(&base).await.unwrap();
    for (table, colonne) in [
        ("candidatures", "etat"),
        ("appels_candidatures", "date_limite"),
        ("calendriers_nationaux", "version"),
    ] {
        assert!(
            anomalies
                .iter()
                .any(|a| a.contains(&format!("(table {table})"))
                    && a.contains("hors de la plateforme")
                    && a.contains(colonne)),
            "{table}.{colonne} not reported: {anomalies:?}"
        );
    }
}

#[tokio::test]
async fn modifications_hors_plateforme_sqlite() {
    modifications_hors_plateforme(essais::base_sqlite("store", "instance-nationale-check").await)
        .await;
}

#[tokio::test]
async fn modifications_hors_plateforme_postgres() {
    if let Some(base) = essais::base_postgres("store", "instance_nationale_check").await {
        modifications_hors_plateforme(base).await;
    }
}

#[tokio::test]
async fn national_et_candidatures_sqlite() {
    national_et_candidatures(essais::base_sqlite("store", "instance-nationale").await).await;
}

#[tokio::test]
async fn national_et_candidatures_postgres() {
    if let Some(base) = essais::base_postgres("store", "instance_nationale").await {
        national_et_candidatures(base).await;
    }
}
