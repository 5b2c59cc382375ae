//! The bytes of joined files (pièces justificatives): one row per version in `pieces_contenus`,
//! written in the transaction that writes the piece's record and its audit event, so that a
//! version is never visible without its content (a crash mid-upload leaves nothing). The record
//! (`pieces`, hashed in the audit log like the others) names each version's SHA-256; [`verifier`]
//! hashes every stored content again against it.

use domain::pieces::{ObjetPiece, Piece, TypePiece, sha256_hex};

use crate::connexion::{Tx, Valeur};
use crate::depot::{self, Lu};
use crate::erreur::ErreurStore;

/// Stores the bytes of version `numero` of piece `piece_id`.
pub async fn ecrire_contenu(
    tx: &mut Tx,
    piece_id: i64,
    numero: u32,
    sha256: &str,
    octets: &[u8],
) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO pieces_contenus (piece_id, numero, sha256, taille, contenu) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            piece_id.into(),
            i64::from(numero).into(),
            sha256.into(),
            i64::try_from(octets.len())
                .map_err(|e| ErreurStore::Donnee(e.to_string()))?
                .into(),
            Valeur::Octets(octets.to_vec()),
        ],
    )
    .await?;
    Ok(())
}

/// The bytes of version `numero` of piece `piece_id`, if stored.
pub async fn lire_contenu(
    tx: &mut Tx,
    piece_id: i64,
    numero: u32,
) -> Result<Option<Vec<u8>>, ErreurStore> {
    tx.ligne(
        "SELECT contenu FROM pieces_contenus WHERE piece_id = $1 AND numero = $2",
        &[piece_id.into(), i64::from(numero).into()],
    )
    .await?
    .map(|l| l.octets("contenu"))
    .transpose()
}

/// The piece of `type_piece` on `objet`, if one was joined.
pub async fn piece_de_type(
    tx: &mut Tx,
    objet: ObjetPiece,
    type_piece: TypePiece,
) -> Result<Option<Lu<Piece>>, ErreurStore> {
    Ok(depot::lister::<Piece>(
        tx,
        "objet = $1 AND objet_id = $2 AND type_piece = $3",
        &[
            objet.code().into(),
            objet.id().into(),
            type_piece.code().into(),
        ],
        "id",
    )
    .await?
    .pop())
}

/// Every piece joined to `objet`, by type.
pub async fn pieces_de(tx: &mut Tx, objet: ObjetPiece) -> Result<Vec<Lu<Piece>>, ErreurStore> {
    let mut pieces = depot::lister::<Piece>(
        tx,
        "objet = $1 AND objet_id = $2",
        &[objet.code().into(), objet.id().into()],
        "id",
    )
    .await?;
    pieces.sort_by_key(|p| p.valeur.type_piece);
    Ok(pieces)
}

/// The integrity of the stored bytes: each content hashes to the SHA-256 written beside it and
/// to the one its version names in the piece's record; each version of a record has its content;
/// no content belongs to no version. Returns the anomalies, in French.
pub async fn verifier(tx: &mut Tx) -> Result<Vec<String>, ErreurStore> {
    let mut anomalies = Vec::new();
    let pieces = depot::lister::<Piece>(tx, "1 = 1", &[], "id").await?;
    let cles = tx
        .lignes(
            "SELECT piece_id, numero, sha256 FROM pieces_contenus ORDER BY piece_id, numero",
            &[],
        )
        .await?;
    let mut stockes = std::collections::BTreeMap::new();
    for l in &cles {
        stockes.insert(
            (l.entier("piece_id")?, l.entier("numero")?),
            l.texte("sha256")?,
        );
    }
    for p in &pieces {
        let piece = &p.valeur;
        for v in &piece.versions {
            let cle = (piece.id.0, i64::from(v.numero));
            let Some(sha_colonne) = stockes.remove(&cle) else {
                anomalies.push(format!(
                    "la pièce justificative n°{} (version {}) n'a pas de contenu enregistré",
                    piece.id, v.numero
                ));
                continue;
            };
            // One content in memory at a time.
            let Some(octets) = lire_contenu(tx, piece.id.0, v.numero).await? else {
                continue;
            };
            let calcule = sha256_hex(&octets);
            if calcule != v.sha256 || sha_colonne != v.sha256 {
                anomalies.push(format!(
                    "la pièce justificative n°{} (version {}, « {} ») a été modifiée hors de la \
                     plateforme : son contenu a pour SHA-256 {calcule}, la version enregistrée \
                     {}",
                    piece.id, v.numero, v.nom_fichier, v.sha256
                ));
            }
        }
    }
    for (piece_id, numero) in stockes.keys() {
        anomalies.push(format!(
            "un contenu de pièce justificative (pièce n°{piece_id}, version {numero}) ne \
             correspond à aucune version enregistrée : il a été écrit hors de la plateforme"
        ));
    }
    Ok(anomalies)
}
