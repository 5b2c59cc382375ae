//! The questionnaires' storage on both engines: a structure's links are found by their code and
//! a renewed code replaces the old one; answers are counted by structure and questionnaire, over
//! a period of months; a form token is stored once; the rate limit's submissions older than an
//! hour are forgotten; the links' table is checked by `check` like the other audited records.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use domain::evaluation::questionnaire::{CodeQuestionnaire, Public, Reponse};
use domain::identifiants::{CodeDepartement, GestionnaireId};
use store::Base;
use store::audit::{self, NouvelEvenement};
use store::questionnaires::{self as sql, Liens, Periode};
use time::macros::datetime;

fn reponse(public: Public, choix: usize) -> Reponse {
    let saisie: BTreeMap<String, String> = public
        .items()
        .iter()
        .map(|i| {
            (
                i.code.to_owned(),
                i.choix[choix % i.choix.len()].code.to_owned(),
            )
        })
        .collect();
    Reponse::verifier(public, &saisie).unwrap()
}

fn code(octet: u8) -> CodeQuestionnaire {
    CodeQuestionnaire::depuis_octets([octet; 10])
}

async fn liens_reponses_et_comptes(base: Base) {
    let isere = CodeDepartement::parse("38").unwrap();
    let nord = CodeDepartement::parse("59").unwrap();
    let quand = datetime!(2026-03-02 10:00 UTC);
    let mut tx = base.debuter().await.unwrap();
    for (g, octet) in [(7, 1u8), (8, 3)] {
        sql::creer_liens(
            &mut tx,
            &Liens {
                gestionnaire: GestionnaireId(g),
                parents: code(octet),
                partenaires: code(octet + 1),
                cree_le: quand,
                renouvele_le: None,
            },
        )
        .await
        .unwrap();
        audit::ajouter(
            &mut tx,
            NouvelEvenement {
                horodatage: quand,
                acteur_id: None,
                role: None,
                entite: "questionnaire_liens".into(),
                entite_id: g,
                action: "creer_liens_questionnaires".into(),
                etat_avant: None,
                etat_apres: None,
                description: "Liens créés".into(),
                changements: "[]".into(),
                avant: None,
                apres: None,
            },
        )
        .await
        .unwrap();
    }
    let reponses = [
        (1, Public::Parents, 7, isere, "2026-02", 0),
        (2, Public::Parents, 7, isere, "2026-03", 1),
        (3, Public::Parents, 7, isere, "2026-03", 1),
        (4, Public::Parents, 8, nord, "2026-03", 0),
        (5, Public::Partenaires, 8, nord, "2026-03", 2),
    ];
    for (id, public, g, d, mois, choix) in reponses {
        sql::inserer_reponse(
            &mut tx,
            id,
            &reponse(public, choix),
            GestionnaireId(g),
            Some(d),
            mois,
            &format!("jeton-{id}"),
        )
        .await
        .unwrap();
    }
    tx.valider().await.unwrap();

    let mut tx = base.lecture().await.unwrap();
    assert_eq!(
        sql::structure_du_code(&mut tx, Public::Parents, &code(3))
            .await
            .unwrap(),
        Some(GestionnaireId(8))
    );
    assert_eq!(
        sql::structure_du_code(&mut tx, Public::Partenaires, &code(3))
            .await
            .unwrap(),
        None,
        "a parents' code does not open the partners' questionnaire"
    );
    assert!(sql::deja_recue(&mut tx, "jeton-2").await.unwrap());
    assert!(!sql::deja_recue(&mut tx, "jeton-9").await.unwrap());
    let comptes = sql::comptages(&mut tx, Public::Parents, &Periode::default())
        .await
        .unwrap();
    assert_eq!(comptes.len(), 2);
    assert_eq!(comptes[0].gestionnaire, GestionnaireId(7));
    assert_eq!(comptes[0].departement, Some(isere));
    assert_eq!(comptes[0].reponses, 3);
    let cle = |item: &str, choix: &str| (item.to_owned(), choix.to_owned());
    assert_eq!(comptes[0].choix[&cle("competence", "tout_a_fait")], 1);
    assert_eq!(comptes[0].choix[&cle("competence", "plutot_oui")], 2);
    assert_eq!(comptes[1].reponses, 1);
    let mars = Periode {
        depuis: Some("2026-03".into()),
        jusqu_a: Some("2026-03".into()),
    };
    let comptes = sql::comptages(&mut tx, Public::Parents, &mars)
        .await
        .unwrap();
    assert_eq!(comptes[0].reponses, 2, "February left out");
    let partenaires = sql::comptages(&mut tx, Public::Partenaires, &Periode::default())
        .await
        .unwrap();
    assert_eq!(partenaires.len(), 1);
    assert_eq!(partenaires[0].choix[&cle("charge", "lourde")], 1);
    drop(tx);

    // The same token twice: the second insert fails, the first answer stands.
    let mut tx = base.debuter().await.unwrap();
    let doublon = sql::inserer_reponse(
        &mut tx,
        6,
        &reponse(Public::Parents, 0),
        GestionnaireId(7),
        Some(isere),
        "2026-03",
        "jeton-2",
    )
    .await;
    assert!(doublon.is_err());
    drop(tx);

    // Renewing a code: the old one opens nothing, and `check` sees the row as written.
    let mut tx = base.debuter().await.unwrap();
    sql::renouveler(&mut tx, GestionnaireId(7), Public::Parents, &code(9), quand)
        .await
        .unwrap();
    audit::ajouter(
        &mut tx,
        NouvelEvenement {
            horodatage: quand,
            acteur_id: Some(1),
            role: Some("gestionnaire".into()),
            entite: "questionnaire_liens".into(),
            entite_id: 7,
            action: "renouveler_lien_questionnaire".into(),
            etat_avant: None,
            etat_apres: None,
            description: "Lien renouvelé".into(),
            changements: "[]".into(),
            avant: None,
            apres: None,
        },
    )
    .await
    .unwrap();
    tx.valider().await.unwrap();
    let mut tx = base.lecture().await.unwrap();
    assert_eq!(
        sql::structure_du_code(&mut tx, Public::Parents, &code(1))
            .await
            .unwrap(),
        None
    );
    let liens = sql::liens(&mut tx, GestionnaireId(7))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(liens.parents, code(9));
    assert_eq!(liens.partenaires, code(2));
    assert_eq!(liens.renouvele_le, Some(quand));
    drop(tx);
    assert!(store::integrite::verifier(&base).await.unwrap().is_empty());

    // A code changed outside the platform is found by `check`.
    base.executer_direct(
        "UPDATE questionnaires_liens SET code_partenaires = 'aaaaaaaaaaaaaaaa' WHERE gestionnaire_id = 8",
    )
    .await
    .unwrap();
    let anomalies = store::integrite::verifier(&base).await.unwrap();
    assert!(
        anomalies
            .iter()
            .any(|a| a.contains("questionnaires_liens") && a.contains("code_partenaires")),
        "{anomalies:?}"
    );
}

async fn limite_par_adresse(base: Base) {
    let mut tx = base.debuter().await.unwrap();
    for instant in [100, 2_000, 4_000] {
        sql::noter_envoi(&mut tx, "192.0.2.1", instant)
            .await
            .unwrap();
    }
    sql::noter_envoi(&mut tx, "192.0.2.2", 4_100).await.unwrap();
    tx.valider().await.unwrap();
    let mut tx = base.lecture().await.unwrap();
    assert_eq!(
        sql::envois_recents(&mut tx, "192.0.2.1", 4_100 - 3600)
            .await
            .unwrap(),
        2
    );
    let restants = tx
        .ligne("SELECT COUNT(*) AS n FROM envois_questionnaires", &[])
        .await
        .unwrap()
        .unwrap()
        .entier("n")
        .unwrap();
    assert_eq!(
        restants, 3,
        "the submission older than an hour is forgotten"
    );
}

#[tokio::test]
async fn liens_reponses_et_comptes_sqlite() {
    liens_reponses_et_comptes(essais::base_sqlite("store", "questionnaires").await).await;
}

#[tokio::test]
async fn liens_reponses_et_comptes_postgres() {
    if let Some(base) = essais::base_postgres("store", "questionnaires").await {
        liens_reponses_et_comptes(base).await;
    }
}

#[tokio::test]
async fn limite_par_adresse_sqlite() {
    limite_par_adresse(essais::base_sqlite("store", "questionnaires-limite").await).await;
}

#[tokio::test]
async fn limite_par_adresse_postgres() {
    if let Some(base) = essais::base_postgres("store", "questionnaires_limite").await {
        limite_par_adresse(base).await;
    }
}
