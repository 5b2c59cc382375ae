//! The calls for candidacies to a new wave of the AIP experiment, the Caf's candidacies (one per
//! call and département, the database refusing a second), and the départements selected for a
//! wave, one row written with each selection.

use domain::candidatures::{AppelCandidatures, Candidature};
use domain::identifiants::{AppelCandidaturesId, CodeDepartement};

use crate::connexion::{Tx, Valeur};
use crate::depot::{Enregistrement, Lu, lister};
use crate::erreur::ErreurStore;

impl Enregistrement for AppelCandidatures {
    const TABLE: &'static str = "appels_candidatures";
    const NOM: &'static str = "l'appel à candidatures";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![("date_limite", self.date_limite.to_string().into())]
    }
}

impl Enregistrement for Candidature {
    const TABLE: &'static str = "candidatures";
    const NOM: &'static str = "la candidature";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("appel_id", self.appel.0.into()),
            ("departement", self.departement.as_str().into()),
            ("etat", self.etat.code().into()),
        ]
    }
    fn doublon(&self) -> Option<(&'static str, String)> {
        Some((
            "departement",
            format!(
                "la Caf du département {} a déjà une candidature à cet appel",
                self.departement
            ),
        ))
    }
}

/// Every call, the latest deadline first.
pub async fn appels(tx: &mut Tx) -> Result<Vec<Lu<AppelCandidatures>>, ErreurStore> {
    lister::<AppelCandidatures>(tx, "1 = 1", &[], "date_limite DESC, id DESC").await
}

/// The candidacies to `appel`, by département.
pub async fn candidatures_de_l_appel(
    tx: &mut Tx,
    appel: AppelCandidaturesId,
) -> Result<Vec<Lu<Candidature>>, ErreurStore> {
    lister::<Candidature>(tx, "appel_id = $1", &[appel.0.into()], "departement, id").await
}

/// The candidacy of the Caf of `departement` to `appel`, if it has one.
pub async fn candidature_du_departement(
    tx: &mut Tx,
    appel: AppelCandidaturesId,
    departement: CodeDepartement,
) -> Result<Option<Lu<Candidature>>, ErreurStore> {
    Ok(lister::<Candidature>(
        tx,
        "appel_id = $1 AND departement = $2",
        &[appel.0.into(), departement.as_str().into()],
        "id",
    )
    .await?
    .into_iter()
    .next())
}

/// A département selected for a wave of the experiment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartementRetenu {
    pub appel: AppelCandidaturesId,
    pub departement: String,
    pub vague: i64,
    pub candidature: i64,
    /// The day of the decision, `AAAA-MM-JJ`.
    pub retenue_le: String,
}

/// Records that the candidacy `candidature` of `departement` is selected for the wave `vague`
/// of `appel` (in the transaction of the decision).
pub async fn ajouter_a_la_vague(
    tx: &mut Tx,
    retenu: &DepartementRetenu,
) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO vagues_experimentation (appel_id, departement, vague, candidature_id, retenue_le) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            retenu.appel.0.into(),
            retenu.departement.as_str().into(),
            retenu.vague.into(),
            retenu.candidature.into(),
            retenu.retenue_le.as_str().into(),
        ],
    )
    .await?;
    Ok(())
}

/// The départements selected for the waves after the first, by wave and département.
pub async fn departements_retenus(tx: &mut Tx) -> Result<Vec<DepartementRetenu>, ErreurStore> {
    tx.lignes(
        "SELECT appel_id, departement, vague, candidature_id, retenue_le \
         FROM vagues_experimentation ORDER BY vague, departement",
        &[],
    )
    .await?
    .iter()
    .map(|l| {
        Ok(DepartementRetenu {
            appel: AppelCandidaturesId(l.entier("appel_id")?),
            departement: l.texte("departement")?,
            vague: l.entier("vague")?,
            candidature: l.entier("candidature_id")?,
            retenue_le: l.texte("retenue_le")?,
        })
    })
    .collect()
}
