//! What the evaluation of the AIP experiment stores and reads beyond the activity: the Caf's
//! monographs (one row per version, never changed), and the structures of the experiment with a
//! validated AIP dossier, by département.

use std::collections::BTreeMap;

use domain::evaluation::monographie::{Monographie, Textes};
use domain::identifiants::CodeDepartement;

use crate::connexion::{Base, Ligne, Tx};
use crate::erreur::ErreurStore;

/// Lock key serialising, on PostgreSQL, the writers of monographs (a version is read then
/// written).
const VERROU_MONOGRAPHIES: i64 = 0x0E7A_0000_0000;

fn lire_monographie(l: &Ligne) -> Result<Monographie, ErreurStore> {
    let textes: Textes = serde_json::from_str(&l.texte("textes")?)?;
    Ok(Monographie {
        departement: CodeDepartement::parse(&l.texte("departement")?)
            .map_err(|e| ErreurStore::Donnee(e.to_string()))?,
        version: l.entier("version")?,
        textes,
        mise_a_jour_le: l.texte("mise_a_jour_le")?,
        auteur: l.entier("auteur")?,
    })
}

const COLONNES: &str = "departement, version, mise_a_jour_le, auteur, textes";

/// The current (highest) version of the monograph of `departement`, if one was ever saved.
pub async fn monographie(
    tx: &mut Tx,
    departement: CodeDepartement,
) -> Result<Option<Monographie>, ErreurStore> {
    let ligne = tx
        .ligne(
            &format!(
                "SELECT {COLONNES} FROM monographies WHERE departement = $1 \
                 ORDER BY version DESC LIMIT 1"
            ),
            &[departement.as_str().into()],
        )
        .await?;
    ligne.as_ref().map(lire_monographie).transpose()
}

/// The current version of every monograph, by département.
pub async fn monographies(tx: &mut Tx) -> Result<Vec<Monographie>, ErreurStore> {
    let lignes = tx
        .lignes(
            &format!(
                "SELECT {COLONNES} FROM monographies m WHERE version = \
                 (SELECT MAX(version) FROM monographies n WHERE n.departement = m.departement) \
                 ORDER BY departement"
            ),
            &[],
        )
        .await?;
    lignes.iter().map(lire_monographie).collect()
}

/// Every version of the monograph of `departement`, the latest first (without their texts'
/// weight mattering: a handful per year).
pub async fn versions(
    tx: &mut Tx,
    departement: CodeDepartement,
) -> Result<Vec<Monographie>, ErreurStore> {
    let lignes = tx
        .lignes(
            &format!(
                "SELECT {COLONNES} FROM monographies WHERE departement = $1 \
                 ORDER BY version DESC"
            ),
            &[departement.as_str().into()],
        )
        .await?;
    lignes.iter().map(lire_monographie).collect()
}

/// Adds a version of the monograph of `departement` within `tx` (the caller writes the audit
/// line in the same transaction), and returns it with its row's number.
pub async fn ajouter_version(
    tx: &mut Tx,
    departement: CodeDepartement,
    textes: &Textes,
    auteur: i64,
    quand: &str,
) -> Result<(i64, Monographie), ErreurStore> {
    tx.verrou_ecriture(VERROU_MONOGRAPHIES).await?;
    let suivant = tx
        .ligne(
            "SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) AS id, \
             CAST(COALESCE(MAX(CASE WHEN departement = $1 THEN version END), 0) + 1 AS BIGINT) \
             AS version FROM monographies",
            &[departement.as_str().into()],
        )
        .await?
        .ok_or_else(|| ErreurStore::Donnee("monographies : lecture du compteur".to_owned()))?;
    let id = suivant.entier("id")?;
    let version = suivant.entier("version")?;
    tx.executer(
        "INSERT INTO monographies (id, departement, version, mise_a_jour_le, auteur, textes) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            id.into(),
            departement.as_str().into(),
            version.into(),
            quand.into(),
            auteur.into(),
            serde_json::to_string(textes)?.into(),
        ],
    )
    .await?;
    Ok((
        id,
        Monographie {
            departement,
            version,
            textes: textes.clone(),
            mise_a_jour_le: quand.to_owned(),
            auteur,
        },
    ))
}

/// The structures with a validated AIP dossier, counted by département.
pub async fn structures_aip_validees(
    base: &Base,
) -> Result<BTreeMap<CodeDepartement, u64>, ErreurStore> {
    let mut tx = base.lire().await?;
    let lignes = tx
        .lignes(
            "SELECT d.departement AS departement, \
             CAST(COUNT(DISTINCT d.gestionnaire_id) AS BIGINT) AS structures \
             FROM dossiers d JOIN appels a ON a.id = d.appel_id \
             WHERE d.etat = 'valide' AND a.dispositif = 'aip' GROUP BY d.departement",
            &[],
        )
        .await?;
    let mut sortie = BTreeMap::new();
    for l in &lignes {
        let d = CodeDepartement::parse(&l.texte("departement")?)
            .map_err(|e| ErreurStore::Donnee(e.to_string()))?;
        sortie.insert(d, u64::try_from(l.entier("structures")?).unwrap_or(0));
    }
    Ok(sortie)
}
