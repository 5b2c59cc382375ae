//! What the activity reads of the structures' means in an exercise, where the platform keeps
//! them: the declarations (their FTE in their data), the decisions notifying FTE, the payments.

use time::Date;

use crate::activite::perimetre::Perimetre;
use crate::connexion::{Tx, Valeur};
use crate::erreur::ErreurStore;

/// A declaration of an exercise, with its data as stored (JSON text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationStockee {
    pub gestionnaire: i64,
    pub departement: String,
    pub convention: i64,
    /// `previsionnelle`, `actualisee` or `reelle`.
    pub nature: String,
    pub donnees: String,
}

/// A valid decision of a dossier notifying FTE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionEtp {
    pub gestionnaire: i64,
    pub departement: String,
    pub dossier: i64,
    pub id: i64,
    /// FTE notified, in ten-thousandths.
    pub etp: i64,
    pub date_effet: Date,
}

/// The payments of a structure of one nature in an exercise, summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalPaiements {
    pub gestionnaire: i64,
    pub departement: String,
    /// `acompte`, `solde`, `indu`…
    pub nature: String,
    pub total_centimes: i64,
}

/// The declarations of `exercice` within `perimetre`.
pub async fn declarations(
    tx: &mut Tx,
    perimetre: &Perimetre,
    exercice: i32,
) -> Result<Vec<DeclarationStockee>, ErreurStore> {
    let f = perimetre
        .condition("departement", "gestionnaire_id")
        .et(|n| format!("exercice = ${n}"), vec![exercice.into()]);
    let sql = format!(
        "SELECT gestionnaire_id, departement, convention_id, nature, donnees FROM declarations \
         WHERE {}",
        f.sql
    );
    tx.lignes(&sql, &f.params)
        .await?
        .iter()
        .map(|l| {
            Ok(DeclarationStockee {
                gestionnaire: l.entier("gestionnaire_id")?,
                departement: l.texte("departement")?,
                convention: l.entier("convention_id")?,
                nature: l.texte("nature")?,
                donnees: l.texte("donnees")?,
            })
        })
        .collect()
}

/// The valid decisions notifying FTE that take effect by `fin`, within `perimetre` (the
/// dossier's département and structure).
pub async fn decisions_etp(
    tx: &mut Tx,
    perimetre: &Perimetre,
    fin: Date,
) -> Result<Vec<DecisionEtp>, ErreurStore> {
    let f = perimetre
        .condition("d.departement", "o.gestionnaire_id")
        .et(
            |n| {
                format!(
                    "d.issue = 'valide' AND d.etp_notifies IS NOT NULL AND d.date_effet <= ${n}"
                )
            },
            vec![Valeur::Date(fin)],
        );
    let sql = format!(
        "SELECT o.gestionnaire_id AS gestionnaire_id, d.departement AS departement, \
         d.dossier_id AS dossier_id, d.id AS id, d.etp_notifies AS etp, d.date_effet AS date_effet \
         FROM decisions d JOIN dossiers o ON o.id = d.dossier_id WHERE {}",
        f.sql
    );
    tx.lignes(&sql, &f.params)
        .await?
        .iter()
        .map(|l| {
            Ok(DecisionEtp {
                gestionnaire: l.entier("gestionnaire_id")?,
                departement: l.texte("departement")?,
                dossier: l.entier("dossier_id")?,
                id: l.entier("id")?,
                etp: l.entier("etp")?,
                date_effet: l.date("date_effet")?,
            })
        })
        .collect()
}

/// The payments of `exercice` within `perimetre`, summed by structure and nature.
pub async fn paiements(
    tx: &mut Tx,
    perimetre: &Perimetre,
    exercice: i32,
) -> Result<Vec<TotalPaiements>, ErreurStore> {
    let f = perimetre
        .condition("departement", "gestionnaire_id")
        .et(|n| format!("exercice = ${n}"), vec![exercice.into()]);
    let sql = format!(
        "SELECT gestionnaire_id, departement, nature, \
         CAST(SUM(montant_centimes) AS BIGINT) AS total FROM paiements WHERE {} \
         GROUP BY gestionnaire_id, departement, nature",
        f.sql
    );
    tx.lignes(&sql, &f.params)
        .await?
        .iter()
        .map(|l| {
            Ok(TotalPaiements {
                gestionnaire: l.entier("gestionnaire_id")?,
                departement: l.texte("departement")?,
                nature: l.texte("nature")?,
                total_centimes: l.entier("total")?,
            })
        })
        .collect()
}
