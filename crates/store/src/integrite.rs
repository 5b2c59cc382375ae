//! The integrity check behind `parentalite check`: the database engine's own check, every record
//! readable, every record and payment traced in the audit log, and the audit chain intact. Each
//! problem is reported as a French sentence that says exactly what is wrong.

use domain::acces::Utilisateur;
use domain::appel_a_projets::AppelAProjets;
use domain::convention::Convention;
use domain::decision::Decision;
use domain::declaration::{Bilan, Declaration};
use domain::dossier::Dossier;
use domain::paiement::Paiement;
use domain::structures::{Financeur, Gestionnaire, Intervenant, Lieu};

use crate::audit;
use crate::connexion::{Base, Tx};
use crate::depot::Enregistrement;
use crate::erreur::ErreurStore;

async fn lisibles<T: Enregistrement>(
    tx: &mut Tx,
    anomalies: &mut Vec<String>,
) -> Result<(), ErreurStore> {
    let lignes = tx
        .lignes(
            &format!("SELECT id, donnees FROM {} ORDER BY id", T::TABLE),
            &[],
        )
        .await?;
    for l in lignes {
        let id = l.entier("id")?;
        match serde_json::from_str::<T>(&l.texte("donnees")?) {
            Ok(r) if r.id() == id => {}
            Ok(r) => anomalies.push(format!(
                "{} n°{id}: son contenu porte le numéro {} (table {})",
                T::NOM,
                r.id(),
                T::TABLE
            )),
            Err(e) => anomalies.push(format!(
                "{} n°{id}: contenu illisible ({e}) (table {})",
                T::NOM,
                T::TABLE
            )),
        }
    }
    Ok(())
}

/// Records written without going through the platform: no audit event mentions them.
async fn traces(
    tx: &mut Tx,
    table: &str,
    entite: &str,
    nom: &str,
    anomalies: &mut Vec<String>,
) -> Result<(), ErreurStore> {
    let sql = format!(
        "SELECT t.id FROM {table} t WHERE NOT EXISTS \
         (SELECT 1 FROM audit a WHERE a.entite = $1 AND a.entite_id = t.id) ORDER BY t.id"
    );
    for l in tx.lignes(&sql, &[entite.into()]).await? {
        anomalies.push(format!(
            "{nom} n°{} n'a aucun événement d'audit: il a été écrit hors de la plateforme",
            l.entier("id")?
        ));
    }
    Ok(())
}

/// Runs every check; returns the anomalies found, empty when the database is sound.
pub async fn verifier(base: &Base) -> Result<Vec<String>, ErreurStore> {
    let mut anomalies = Vec::new();
    let mut tx = base.debuter().await?;
    if let Tx::Sqlite(_) = tx {
        for l in tx.lignes("PRAGMA integrity_check", &[]).await? {
            let r = l.texte("integrity_check")?;
            if r != "ok" {
                anomalies.push(format!("SQLite: {r}"));
            }
        }
        for l in tx.lignes("PRAGMA foreign_key_check", &[]).await? {
            anomalies.push(format!(
                "table {}: la ligne n°{} renvoie à un enregistrement absent de {}",
                l.texte("table")?,
                l.entier_opt("rowid")?.unwrap_or_default(),
                l.texte("parent")?
            ));
        }
    }
    lisibles::<Utilisateur>(&mut tx, &mut anomalies).await?;
    lisibles::<Financeur>(&mut tx, &mut anomalies).await?;
    lisibles::<Gestionnaire>(&mut tx, &mut anomalies).await?;
    lisibles::<Lieu>(&mut tx, &mut anomalies).await?;
    lisibles::<Intervenant>(&mut tx, &mut anomalies).await?;
    lisibles::<AppelAProjets>(&mut tx, &mut anomalies).await?;
    lisibles::<Dossier>(&mut tx, &mut anomalies).await?;
    lisibles::<Decision>(&mut tx, &mut anomalies).await?;
    lisibles::<Convention>(&mut tx, &mut anomalies).await?;
    lisibles::<Declaration>(&mut tx, &mut anomalies).await?;
    lisibles::<Bilan>(&mut tx, &mut anomalies).await?;
    lisibles::<Paiement>(&mut tx, &mut anomalies).await?;
    for (table, entite, nom) in [
        ("gestionnaires", "gestionnaire", "le gestionnaire"),
        ("appels", "appel_a_projets", "l'appel à projets"),
        ("dossiers", "dossier", "le dossier"),
        ("decisions", "decision", "la décision"),
        ("conventions", "convention", "la convention"),
        ("declarations", "declaration", "la déclaration"),
        ("bilans", "bilan", "le bilan"),
        ("paiements", "paiement", "le paiement"),
    ] {
        traces(&mut tx, table, entite, nom, &mut anomalies).await?;
    }
    drop(tx);
    anomalies.extend(audit::verifier(base).await?);
    Ok(anomalies)
}
