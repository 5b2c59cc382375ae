//! The contact requests' storage on both engines: the inbox lists unread requests first; the
//! purge deletes the content and contact details of the requests past their retention period in
//! one transaction with one content-free audit event each, keeps their traces for the counts, and
//! deletes nothing more when run again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::annuaire::contact::{
    DemandeContact, DemandeContactId, Destinataire, EtatDemande, Saisie,
};
use domain::appel_a_projets::Dispositif;
use domain::identifiants::{CodeDepartement, GestionnaireId, ServiceId};
use store::Base;
use store::demandes_contact as sql;
use time::macros::datetime;

fn demande(id: i64, recue_le: time::OffsetDateTime) -> DemandeContact {
    let saisie = Saisie {
        prenom: "Camille".into(),
        moyen: "telephone".into(),
        telephone: "06 12 34 56 78".into(),
        message: "Bonjour, pouvez-vous m’appeler ?".into(),
        consentement: true,
        ..Saisie::default()
    };
    DemandeContact::recevoir(
        DemandeContactId(id),
        &Destinataire {
            service: ServiceId(3),
            gestionnaire: GestionnaireId(9),
            departement: CodeDepartement::parse("38").unwrap(),
            dispositif: Dispositif::Laep,
        },
        saisie.verifier("texte du consentement").unwrap(),
        recue_le,
        3,
    )
}

async fn purge_apres_conservation(base: Base) {
    let mut tx = base.debuter().await.unwrap();
    let ancienne = demande(1, datetime!(2026-01-10 09:00 UTC));
    let recente = demande(2, datetime!(2026-03-01 09:00 UTC));
    sql::inserer(&mut tx, &ancienne).await.unwrap();
    sql::inserer(&mut tx, &recente).await.unwrap();
    let mut lue = recente.clone();
    lue.etat = EtatDemande::Lue;
    sql::mettre_a_jour(&mut tx, &lue).await.unwrap();
    tx.valider().await.unwrap();

    let mut tx = base.lecture().await.unwrap();
    let boite = sql::boite(&mut tx, &[GestionnaireId(9)]).await.unwrap();
    assert_eq!(
        boite.iter().map(|d| d.id.0).collect::<Vec<_>>(),
        [1, 2],
        "non lues d'abord"
    );
    let comptes_avant = sql::comptes(&mut tx, None).await.unwrap();
    drop(tx);

    // The day before the end of the first one's period: nothing is deleted.
    let supprimees = sql::purger(&base, datetime!(2026-04-09 09:00 UTC))
        .await
        .unwrap();
    assert!(supprimees.is_empty());
    let supprimees = sql::purger(&base, datetime!(2026-04-10 09:00 UTC))
        .await
        .unwrap();
    assert_eq!(supprimees, [DemandeContactId(1)]);
    let encore = sql::purger(&base, datetime!(2026-04-10 10:00 UTC))
        .await
        .unwrap();
    assert!(encore.is_empty(), "idempotente");

    let mut tx = base.lecture().await.unwrap();
    assert_eq!(sql::lire(&mut tx, DemandeContactId(1)).await.unwrap(), None);
    assert!(
        sql::lire(&mut tx, DemandeContactId(2))
            .await
            .unwrap()
            .is_some()
    );
    let contenus = tx
        .lignes("SELECT demande_id FROM demandes_contact_contenus", &[])
        .await
        .unwrap();
    assert_eq!(contenus.len(), 1);
    assert_eq!(sql::comptes(&mut tx, None).await.unwrap(), comptes_avant);
    let evenements = store::audit::evenements(&mut tx).await.unwrap();
    let suppressions: Vec<_> = evenements
        .iter()
        .filter(|e| e.entite == "demande_contact" && e.action == "supprimer")
        .collect();
    assert_eq!(suppressions.len(), 1);
    let e = suppressions[0];
    assert_eq!(e.entite_id, 1);
    assert!(
        e.description
            .starts_with("supprimée après la durée de conservation")
    );
    for texte in [Some(&e.description), e.avant.as_ref(), e.apres.as_ref()]
        .into_iter()
        .flatten()
    {
        assert!(!texte.contains("Camille") && !texte.contains("0612345678"));
    }
    assert_eq!(e.acteur_id, None);
    drop(tx);
    assert!(store::audit::verifier(&base).await.unwrap().is_empty());
}

#[tokio::test]
async fn purge_apres_conservation_sqlite() {
    purge_apres_conservation(essais::base_sqlite("store", "demandes-contact").await).await;
}

#[tokio::test]
async fn purge_apres_conservation_postgres() {
    if let Some(base) = essais::base_postgres("store", "demandes_contact").await {
        purge_apres_conservation(base).await;
    }
}
