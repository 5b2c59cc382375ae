//! The retention job with a controlled clock, on SQLite and on PostgreSQL (when
//! `PARENTALITE_TEST_POSTGRES` is set): login failures, the free text of sessions and the text of
//! settled mails older than their period are erased, younger ones and mails still waiting are
//! kept; each run writes one content-free audit line per category with its count; a second run
//! erases nothing more; the database still passes the integrity check.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use app::Plateforme;
use app::demo::OptionsDemo;
use domain::conservation::{Categorie, ENTITE_AUDIT, TEXTE_EFFACE};
use referentiel::parametres::Parametres;
use store::courriels::{self, NouveauCourriel};
use store::{Base, Valeur};
use time::OffsetDateTime;
use time::macros::datetime;

/// The instant the job runs at.
const MAINTENANT: OffsetDateTime = datetime!(2026-06-15 03:00 UTC);

async fn preparer(base: Base) -> Plateforme {
    let p = Plateforme::new(base, Arc::new(Parametres::embarques().unwrap()));
    let options = OptionsDemo {
        gestionnaires_par_caf: 1,
        emettre_paiements: false,
        ..OptionsDemo::default()
    };
    p.peupler_demo(options, MAINTENANT.date()).await.unwrap();
    p
}

async fn entier(base: &Base, sql: &str, params: &[Valeur]) -> i64 {
    let mut tx = base.lire().await.unwrap();
    let n = tx
        .ligne(sql, params)
        .await
        .unwrap()
        .unwrap()
        .entier("n")
        .unwrap();
    tx.annuler().await.unwrap();
    n
}

async fn courriel(base: &Base, cle: &str, etat: &'static str, cree_le: OffsetDateTime) -> i64 {
    let mut tx = base.debuter().await.unwrap();
    let id = courriels::inserer(
        &mut tx,
        &NouveauCourriel {
            cle: cle.to_owned(),
            genre: "essai".to_owned(),
            destinataire: "agent@caf.example".to_owned(),
            utilisateur_id: None,
            departement: None,
            sujet: "Objet".to_owned(),
            texte: "Bonjour Madame Martin, votre dossier…".to_owned(),
            pieces: vec![courriels::PieceStockee {
                nom: "piece.txt".to_owned(),
                type_mime: "text/plain".to_owned(),
                contenu: b"contenu".to_vec(),
            }],
            etat,
            jour: cree_le.date().to_string(),
            cree_le: cree_le.unix_timestamp(),
        },
    )
    .await
    .unwrap()
    .unwrap();
    tx.valider().await.unwrap();
    id
}

async fn entretien(base: &Base, cle: &str, jour: &str, motif: &str) {
    let mut tx = base.debuter().await.unwrap();
    let gestionnaire = tx
        .ligne("SELECT MIN(id) AS n FROM gestionnaires", &[])
        .await
        .unwrap()
        .unwrap()
        .entier("n")
        .unwrap();
    let date =
        time::Date::parse(jour, &time::format_description::well_known::Iso8601::DATE).unwrap();
    let id = tx
        .ligne(
            "SELECT COALESCE(MAX(id), 0) + 1 AS n FROM activite_entretiens",
            &[],
        )
        .await
        .unwrap()
        .unwrap()
        .entier("n")
        .unwrap();
    tx.executer(
        "INSERT INTO activite_entretiens (id, cle, gestionnaire_id, departement, famille, \
         date_entretien, duree_minutes, etape, mode, presence, sujets, orientations, \
         motif_exception) VALUES ($1, $2, $3, '38', 'F1', $4, 60, 'suivi', 'presentiel', \
         'parents', 0, 0, $5)",
        &[
            id.into(),
            cle.into(),
            gestionnaire.into(),
            date.into(),
            motif.into(),
        ],
    )
    .await
    .unwrap();
    tx.valider().await.unwrap();
}

async fn scenario(base: Base) {
    let p = preparer(base.clone()).await;
    let base = &p.base;
    // A first run erases what the demonstration wrote in the past; the rows below are then the
    // only ones left to erase.
    p.appliquer_conservation(MAINTENANT).await.unwrap();
    // Login failures: one older than 6 months, one younger.
    let vieux = datetime!(2025-11-01 10:00 UTC).unix_timestamp();
    let recent = datetime!(2026-06-01 10:00 UTC).unix_timestamp();
    store::acces_web::noter_echec(base, "ancien@exemple.fr", "198.51.100.7", vieux)
        .await
        .unwrap();
    store::acces_web::noter_echec(base, "recent@exemple.fr", "198.51.100.8", recent)
        .await
        .unwrap();
    // Mails: settled and old (erased), settled and recent, waiting and old (both kept).
    let efface = courriel(
        base,
        "c1",
        courriels::ECARTE,
        datetime!(2026-01-10 09:00 UTC),
    )
    .await;
    let garde = courriel(
        base,
        "c2",
        courriels::ECARTE,
        datetime!(2026-05-20 09:00 UTC),
    )
    .await;
    let en_file = courriel(
        base,
        "c3",
        courriels::EN_ATTENTE,
        datetime!(2026-01-10 09:00 UTC),
    )
    .await;
    // Sessions: free text older than 24 months erased, younger kept.
    entretien(base, "e1", "2024-05-02", "famille en grande difficulté").await;
    entretien(base, "e2", "2025-03-02", "déménagement de la famille").await;

    let premiers = p.appliquer_conservation(MAINTENANT).await.unwrap();
    let compte = |c: Categorie| {
        premiers
            .iter()
            .find(|p| p.categorie == c)
            .map(|p| p.effaces)
            .unwrap()
    };
    assert_eq!(premiers.len(), 4);
    assert_eq!(compte(Categorie::EchecsConnexion), 1);
    assert_eq!(compte(Categorie::CorpsCourriels), 1);
    assert_eq!(compte(Categorie::TextesLibresEntretiens), 1);

    assert_eq!(
        entier(
            base,
            "SELECT COUNT(*) AS n FROM tentatives_connexion WHERE email = $1",
            &["ancien@exemple.fr".into()]
        )
        .await,
        0
    );
    assert_eq!(
        entier(
            base,
            "SELECT COUNT(*) AS n FROM tentatives_connexion WHERE email = $1",
            &["recent@exemple.fr".into()]
        )
        .await,
        1
    );
    for (id, texte_garde) in [(efface, false), (garde, true), (en_file, true)] {
        let effaces = entier(
            base,
            "SELECT COUNT(*) AS n FROM courriels WHERE id = $1 AND texte = $2",
            &[id.into(), TEXTE_EFFACE.into()],
        )
        .await;
        let pieces = entier(
            base,
            "SELECT COUNT(*) AS n FROM courriels_pieces WHERE courriel_id = $1",
            &[id.into()],
        )
        .await;
        assert_eq!(effaces == 0, texte_garde, "courriel {id}");
        assert_eq!(pieces == 1, texte_garde, "pièces du courriel {id}");
    }
    assert_eq!(
        entier(
            base,
            "SELECT COUNT(*) AS n FROM activite_entretiens WHERE cle = 'e1' AND motif_exception = $1",
            &[TEXTE_EFFACE.into()]
        )
        .await,
        1
    );
    assert_eq!(
        entier(
            base,
            "SELECT COUNT(*) AS n FROM activite_entretiens WHERE cle = 'e2' \
             AND motif_exception = 'déménagement de la famille'",
            &[]
        )
        .await,
        1
    );

    // One audit line per category, content-free.
    let lignes = |base: Base| async move {
        let mut tx = base.lire().await.unwrap();
        let e = store::audit::evenements(&mut tx).await.unwrap();
        tx.annuler().await.unwrap();
        e.into_iter()
            .filter(|e| e.entite == ENTITE_AUDIT)
            .collect::<Vec<_>>()
    };
    let audit = lignes(base.clone()).await;
    assert_eq!(audit.len(), 8);
    for e in &audit {
        assert!(e.description.contains("effacement"), "{}", e.description);
        for secret in ["exemple.fr", "198.51.100", "Martin", "difficulté"] {
            assert!(!e.description.contains(secret), "{}", e.description);
        }
    }

    // A second run the same day erases nothing more, and still writes its lines.
    let seconds = p.appliquer_conservation(MAINTENANT).await.unwrap();
    assert!(seconds.iter().all(|p| p.effaces == 0), "{seconds:?}");
    assert_eq!(lignes(base.clone()).await.len(), 12);

    let anomalies = store::integrite::verifier(base).await.unwrap();
    assert!(anomalies.is_empty(), "{anomalies:?}");
}

#[tokio::test]
async fn conservation_sqlite() {
    scenario(essais::base_sqlite("app-conservation", "sqlite").await).await;
}

#[tokio::test]
async fn conservation_postgres() {
    if let Some(base) = essais::base_postgres("app_conservation", "postgres").await {
        scenario(base).await;
    }
}

#[test]
fn les_durees_viennent_des_parametres() {
    let p = Parametres::embarques().unwrap();
    for c in Categorie::TOUTES {
        assert!(p.parametre(c.parametre()).is_ok(), "{}", c.parametre());
    }
}
