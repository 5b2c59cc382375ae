//! The dossier list's saved filters: a user keeps the query string of a filtered list under a
//! name, lists its own, and deletes them. Nobody reads another user's filters.

use crate::connexion::Base;
use crate::depot::prochain_id;
use crate::erreur::ErreurStore;

/// A saved filter as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiltreEnregistre {
    pub id: i64,
    pub nom: String,
    /// The list's query string, from its `?`.
    pub requete: String,
}

/// Saves `requete` under `nom` for `utilisateur`, replacing the filter of that name if it has one.
pub async fn enregistrer(
    base: &Base,
    utilisateur: i64,
    nom: &str,
    requete: &str,
    cree_le: &str,
) -> Result<i64, ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "DELETE FROM filtres_enregistres WHERE utilisateur_id = $1 AND nom = $2",
        &[utilisateur.into(), nom.into()],
    )
    .await?;
    let id = prochain_id(&mut tx, "filtres_enregistres").await?;
    tx.executer(
        "INSERT INTO filtres_enregistres (id, utilisateur_id, nom, requete, cree_le) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            id.into(),
            utilisateur.into(),
            nom.into(),
            requete.into(),
            cree_le.into(),
        ],
    )
    .await?;
    tx.valider().await?;
    Ok(id)
}

/// The filters of `utilisateur`, by name.
pub async fn filtres(base: &Base, utilisateur: i64) -> Result<Vec<FiltreEnregistre>, ErreurStore> {
    let mut tx = base.lire().await?;
    let lignes = tx
        .lignes(
            "SELECT id, nom, requete FROM filtres_enregistres WHERE utilisateur_id = $1 \
             ORDER BY nom, id",
            &[utilisateur.into()],
        )
        .await?;
    lignes
        .iter()
        .map(|l| {
            Ok(FiltreEnregistre {
                id: l.entier("id")?,
                nom: l.texte("nom")?,
                requete: l.texte("requete")?,
            })
        })
        .collect()
}

/// Deletes the filter `id` of `utilisateur`; false when it has none of that number.
pub async fn supprimer(base: &Base, utilisateur: i64, id: i64) -> Result<bool, ErreurStore> {
    let mut tx = base.debuter().await?;
    let n = tx
        .executer(
            "DELETE FROM filtres_enregistres WHERE utilisateur_id = $1 AND id = $2",
            &[utilisateur.into(), id.into()],
        )
        .await?;
    tx.valider().await?;
    Ok(n > 0)
}
