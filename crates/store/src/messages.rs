//! The SQL of the messages of a dossier's thread: writing one, reading a thread, how far each
//! user has read each thread, and how many messages of others each user has not read yet.

use crate::connexion::{Tx, Valeur};
use crate::erreur::ErreurStore;

/// A message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageStocke {
    pub id: i64,
    pub dossier_id: i64,
    pub auteur_id: i64,
    /// The code of the author's role.
    pub role: String,
    /// The author's name as shown.
    pub auteur: String,
    /// A private annotation of the Caf.
    pub prive: bool,
    pub texte: String,
    /// RFC 3339, UTC.
    pub cree_le: String,
}

/// Writes a message.
pub async fn inserer(tx: &mut Tx, m: &MessageStocke) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO messages (id, dossier_id, auteur_id, role, auteur, prive, texte, cree_le) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            m.id.into(),
            m.dossier_id.into(),
            m.auteur_id.into(),
            m.role.as_str().into(),
            m.auteur.as_str().into(),
            m.prive.into(),
            m.texte.as_str().into(),
            m.cree_le.as_str().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Every message of dossier `dossier`, private ones included, oldest first.
pub async fn du_dossier(tx: &mut Tx, dossier: i64) -> Result<Vec<MessageStocke>, ErreurStore> {
    let lignes = tx
        .lignes(
            "SELECT id, auteur_id, auteur, role, prive, texte, cree_le FROM messages WHERE dossier_id = $1 ORDER BY id",
            &[dossier.into()],
        )
        .await?;
    lignes
        .iter()
        .map(|l| {
            Ok(MessageStocke {
                id: l.entier("id")?,
                dossier_id: dossier,
                auteur_id: l.entier("auteur_id")?,
                role: l.texte("role")?,
                auteur: l.texte("auteur")?,
                prive: l.booleen("prive")?,
                texte: l.texte("texte")?,
                cree_le: l.texte("cree_le")?,
            })
        })
        .collect()
}

/// The last message of `dossier` that `utilisateur` has read (0 when none).
pub async fn dernier_lu(tx: &mut Tx, utilisateur: i64, dossier: i64) -> Result<i64, ErreurStore> {
    Ok(tx
        .ligne(
            "SELECT dernier_lu FROM messages_lus WHERE utilisateur_id = $1 AND dossier_id = $2",
            &[utilisateur.into(), dossier.into()],
        )
        .await?
        .map(|l| l.entier("dernier_lu"))
        .transpose()?
        .unwrap_or(0))
}

/// Notes that `utilisateur` has read `dossier` up to message `dernier`; a reading never goes
/// back (two pages opened at once).
pub async fn marquer_lu(
    tx: &mut Tx,
    utilisateur: i64,
    dossier: i64,
    dernier: i64,
) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO messages_lus (utilisateur_id, dossier_id, dernier_lu) VALUES ($1, $2, $3) \
         ON CONFLICT (utilisateur_id, dossier_id) DO UPDATE SET dernier_lu = \
         CASE WHEN excluded.dernier_lu > messages_lus.dernier_lu \
         THEN excluded.dernier_lu ELSE messages_lus.dernier_lu END",
        &[utilisateur.into(), dossier.into(), dernier.into()],
    )
    .await?;
    Ok(())
}

/// For each dossier with some, the number of messages of others that `utilisateur` has not read:
/// `(dossier, number)`; private annotations counted only when `avec_prives`.
pub async fn non_lus(
    tx: &mut Tx,
    utilisateur: i64,
    avec_prives: bool,
) -> Result<Vec<(i64, i64)>, ErreurStore> {
    let mut sql = String::from(
        "SELECT m.dossier_id AS dossier_id, COUNT(*) AS n FROM messages m \
         LEFT JOIN messages_lus l ON l.dossier_id = m.dossier_id AND l.utilisateur_id = $1 \
         WHERE m.auteur_id <> $2 AND m.id > COALESCE(l.dernier_lu, 0)",
    );
    let mut parametres: Vec<Valeur> = vec![utilisateur.into(), utilisateur.into()];
    if !avec_prives {
        parametres.push(false.into());
        sql.push_str(&format!(
            " AND m.prive = {}",
            crate::sql::marques(parametres.len(), 1)
        ));
    }
    sql.push_str(" GROUP BY m.dossier_id ORDER BY m.dossier_id");
    let lignes = tx.lignes(&sql, &parametres).await?;
    lignes
        .iter()
        .map(|l| Ok((l.entier("dossier_id")?, l.entier("n")?)))
        .collect()
}
