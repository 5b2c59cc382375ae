//! The coordination instance's annual reports as sent to the Cnaf: frozen as sent (their JSON),
//! one per département and year, never changed afterwards.

use domain::coordination::rapport::RapportAnnuel;
use domain::identifiants::CodeDepartement;

use crate::connexion::Base;
use crate::erreur::ErreurStore;

/// A report as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct RapportEnvoye {
    pub rapport: RapportAnnuel,
    /// When it was sent (RFC 3339).
    pub envoye_le: String,
    pub envoye_par: i64,
}

fn lire(l: &crate::Ligne) -> Result<RapportEnvoye, ErreurStore> {
    Ok(RapportEnvoye {
        rapport: serde_json::from_str(&l.texte("donnees")?)?,
        envoye_le: l.texte("envoye_le")?,
        envoye_par: l.entier("envoye_par")?,
    })
}

/// The report of `departement` for `annee` as sent, if it was.
pub async fn envoye(
    base: &Base,
    departement: CodeDepartement,
    annee: i32,
) -> Result<Option<RapportEnvoye>, ErreurStore> {
    let mut tx = base.lire().await?;
    let ligne = tx
        .ligne(
            "SELECT envoye_le, envoye_par, donnees FROM rapports_annuels \
             WHERE departement = $1 AND annee = $2",
            &[departement.as_str().into(), annee.into()],
        )
        .await?;
    ligne.as_ref().map(lire).transpose()
}

/// Every report of `annee` as sent, by département.
pub async fn envoyes_de_l_annee(
    base: &Base,
    annee: i32,
) -> Result<Vec<RapportEnvoye>, ErreurStore> {
    let mut tx = base.lire().await?;
    let lignes = tx
        .lignes(
            "SELECT envoye_le, envoye_par, donnees FROM rapports_annuels \
             WHERE annee = $1 ORDER BY departement",
            &[annee.into()],
        )
        .await?;
    lignes.iter().map(lire).collect()
}

/// Records `rapport` as sent. Refused with [`ErreurStore::Doublon`] when the report of that
/// département and year was sent already (checked first, and by the table's key against a
/// sending at the same moment).
pub async fn enregistrer_envoi(
    base: &Base,
    rapport: &RapportAnnuel,
    par: i64,
    quand: &str,
) -> Result<(), ErreurStore> {
    let doublon = || ErreurStore::Doublon {
        champ: "annee",
        message: format!(
            "le rapport annuel {} du département {} a déjà été envoyé à la Cnaf",
            rapport.annee, rapport.departement
        ),
    };
    let donnees = serde_json::to_string(rapport)?;
    let mut tx = base.debuter().await?;
    let deja = tx
        .ligne(
            "SELECT annee FROM rapports_annuels WHERE departement = $1 AND annee = $2",
            &[rapport.departement.as_str().into(), rapport.annee.into()],
        )
        .await?;
    if deja.is_some() {
        return Err(doublon());
    }
    tx.executer(
        "INSERT INTO rapports_annuels (departement, annee, envoye_le, envoye_par, donnees) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            rapport.departement.as_str().into(),
            rapport.annee.into(),
            quand.into(),
            par.into(),
            donnees.into(),
        ],
    )
    .await
    .map_err(|e| if e.est_doublon() { doublon() } else { e })?;
    tx.valider().await?;
    Ok(())
}
