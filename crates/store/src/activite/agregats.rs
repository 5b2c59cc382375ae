//! The aggregate tables of the activity, kept current by every insert: the figures read back
//! for one structure (its families of a year, its pace by month).

use crate::connexion::{Tx, Valeur};
use crate::erreur::ErreurStore;

/// The distinct families of a structure in an exercise (rows of its family table).
pub async fn familles_de_l_exercice(
    tx: &mut Tx,
    gestionnaire: i64,
    exercice: i32,
) -> Result<i64, ErreurStore> {
    Ok(tx
        .ligne(
            "SELECT COUNT(*) AS n FROM activite_familles WHERE gestionnaire_id = $1 \
             AND exercice = $2",
            &[gestionnaire.into(), exercice.into()],
        )
        .await?
        .map(|l| l.entier("n"))
        .transpose()?
        .unwrap_or(0))
}

/// A structure's activity from its first month with a session up to a month of an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiviteJusquA {
    /// The first month (1 to 12) with a session; `None`: no session up to then.
    pub premier_mois: Option<i64>,
    pub entretiens: i64,
    /// Families whose first session of the year falls in those months.
    pub familles_nouvelles: i64,
}

/// The activity of a structure (seated in `departement`) in `exercice`, months up to `fin`
/// included, read from the monthly aggregates.
pub async fn activite_jusqu_a(
    tx: &mut Tx,
    gestionnaire: i64,
    departement: &str,
    exercice: i32,
    fin: i64,
) -> Result<ActiviteJusquA, ErreurStore> {
    let cle = [
        Valeur::from(exercice),
        departement.into(),
        gestionnaire.into(),
        fin.into(),
    ];
    let condition = "exercice = $1 AND departement = $2 AND gestionnaire_id = $3 AND mois <= $4";
    let premier_mois = tx
        .ligne(
            &format!("SELECT MIN(mois) AS debut FROM activite_mois WHERE {condition}"),
            &cle,
        )
        .await?
        .map(|l| l.entier_opt("debut"))
        .transpose()?
        .flatten();
    if premier_mois.is_none() {
        return Ok(ActiviteJusquA {
            premier_mois,
            entretiens: 0,
            familles_nouvelles: 0,
        });
    }
    let entretiens = somme(
        tx,
        &format!(
            "SELECT CAST(SUM(entretiens) AS BIGINT) AS n FROM activite_mois WHERE {condition}"
        ),
        &cle,
    )
    .await?;
    let familles_nouvelles = somme(
        tx,
        &format!(
            "SELECT CAST(SUM(familles_nouvelles) AS BIGINT) AS n FROM activite_familles_mois \
             WHERE {condition}"
        ),
        &cle,
    )
    .await?;
    Ok(ActiviteJusquA {
        premier_mois,
        entretiens,
        familles_nouvelles,
    })
}

async fn somme(tx: &mut Tx, sql: &str, params: &[Valeur]) -> Result<i64, ErreurStore> {
    Ok(tx
        .ligne(sql, params)
        .await?
        .map(|l| l.entier_opt("n"))
        .transpose()?
        .flatten()
        .unwrap_or(0))
}
