//! Throughput of the outbox against a real local SMTP server (aiosmtpd): queues `N` mails (first
//! argument, 2000 by default) in one transaction, then times the sender's passes until every
//! mail is sent and read back from the Maildir. On SQLite, and on PostgreSQL too when
//! `PARENTALITE_TEST_POSTGRES` names a server. See BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use courrier::{Configuration, Expediteur};
use essais::smtp::ServeurSmtp;
use store::Base;
use store::courriels::{self, NouveauCourriel};
use time::OffsetDateTime;

async fn mesurer(moteur: &str, base: Base, nombre: usize) {
    let smtp = ServeurSmtp::demarrer();
    let maintenant = OffsetDateTime::now_utc();
    let mut tx = base.debuter().await.unwrap();
    for i in 0..nombre {
        courriels::inserer(
            &mut tx,
            &NouveauCourriel {
                cle: format!("debit:{i}"),
                genre: "decision".into(),
                destinataire: format!("porteur.{i}@exemple.fr"),
                utilisateur_id: None,
                departement: Some("38".into()),
                sujet: format!("Décision du comité n°{i}"),
                texte: "Bonjour,\n\nLe comité a validé votre demande.\n".repeat(10),
                pieces: Vec::new(),
                etat: courriels::EN_ATTENTE,
                jour: courrier::jour(maintenant),
                cree_le: maintenant.unix_timestamp(),
            },
        )
        .await
        .unwrap();
    }
    tx.valider().await.unwrap();
    let e = Expediteur::new(
        base.clone(),
        Configuration::depuis_url(&smtp.url()).unwrap(),
    )
    .unwrap();
    let debut = Instant::now();
    let mut envoyes = 0;
    while envoyes < nombre {
        let b = e.passe(OffsetDateTime::now_utc()).await.unwrap();
        assert_eq!(b.reportes + b.abandonnes, 0);
        envoyes += b.envoyes;
    }
    let duree = debut.elapsed();
    let recus = smtp.attendre(nombre, Duration::from_secs(60)).len();
    #[allow(clippy::cast_precision_loss)]
    let debit = nombre as f64 / duree.as_secs_f64();
    println!(
        "{moteur}: {nombre} courriels envoyés en {:.2} s, {debit:.0} courriels/s ({recus} reçus)",
        duree.as_secs_f64()
    );
    base.fermer().await;
}

#[tokio::main]
async fn main() {
    let nombre: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    mesurer(
        "SQLite",
        essais::base_sqlite("courrier", "debit").await,
        nombre,
    )
    .await;
    if let Some(base) = essais::base_postgres("courrier", "debit").await {
        mesurer("PostgreSQL", base, nombre).await;
    }
}
