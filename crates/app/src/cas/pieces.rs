//! Supporting documents (pièces justificatives) on structures, intervenants, dossiers,
//! declarations and bilans: joining a file (a new piece or a new version of one), listing a
//! record's pieces, downloading any version. Each is allowed under the rules of the record
//! itself: whoever may read the record may read its pieces; its structure's staff and the Caf of
//! its département may join one. The record, the file's bytes and the audit event (naming the
//! piece, its version and the SHA-256) are written in one transaction.

use domain::acces::{Acteur, Role};
use domain::declaration::{Bilan, Declaration};
use domain::dossier::Dossier;
use domain::identifiants::PieceId;
use domain::pieces::{
    Fichier, ObjetPiece, Piece, PieceAttendue, Proprietaire, TypePiece, VersionPiece,
};
use domain::structures::{Gestionnaire, Intervenant};
use store::Tx;
use store::depot::{self, Lu};
use time::OffsetDateTime;

use crate::Plateforme;
use crate::acces::peut_voir;
use crate::cas::dossiers::verifier_visible;
use crate::cas::{creer, ecrire};
use crate::erreur::ErreurApp;

/// A version to send back: its description and its bytes.
#[derive(Debug, Clone)]
pub struct Telechargement {
    pub piece: Piece,
    pub version: VersionPiece,
    pub octets: Vec<u8>,
}

/// Reads `objet` and checks that `acteur` may read it, as its own pages do; returns whose it is.
/// The intervenant's structure and the structure itself are judged by the structure's
/// département; dossiers by their own rule (a funder sees those of the comité only); users of
/// the intervenant role never read an intervenant's pieces.
async fn proprietaire_visible(
    tx: &mut Tx,
    acteur: &Acteur,
    objet: ObjetPiece,
) -> Result<Proprietaire, ErreurApp> {
    let (departement, gestionnaire) = match objet {
        ObjetPiece::Gestionnaire(id) => {
            let g = depot::lire::<Gestionnaire>(tx, id.0).await?.valeur;
            (g.departement_siege, g.id)
        }
        ObjetPiece::Intervenant(id) => {
            // An intervenant's pieces (diplomas, criminal-record checks, contracts) are personal
            // data: the structure's intervenants do not read each other's.
            if acteur.role == Role::Intervenant {
                return Err(ErreurApp::Interdit(format!(
                    "les pièces de {} sont réservées à sa structure et à la Caf",
                    objet.designation()
                )));
            }
            let i = depot::lire::<Intervenant>(tx, id.0).await?.valeur;
            let g = depot::lire::<Gestionnaire>(tx, i.gestionnaire.0)
                .await?
                .valeur;
            (g.departement_siege, g.id)
        }
        ObjetPiece::Dossier(id) => {
            let d = depot::lire::<Dossier>(tx, id.0).await?.valeur;
            verifier_visible(acteur, &d)?;
            (d.departement, d.gestionnaire)
        }
        ObjetPiece::Declaration(id) => {
            let d = depot::lire::<Declaration>(tx, id.0).await?.valeur;
            (d.departement, d.gestionnaire)
        }
        ObjetPiece::Bilan(id) => {
            let b = depot::lire::<Bilan>(tx, id.0).await?.valeur;
            (b.departement, b.gestionnaire)
        }
    };
    if !peut_voir(acteur, departement, gestionnaire) {
        return Err(ErreurApp::Interdit(format!(
            "{} n'est pas accessible avec votre rôle et votre territoire",
            objet.designation()
        )));
    }
    Ok(Proprietaire {
        gestionnaire,
        departement,
    })
}

impl Plateforme {
    /// Joins a file of `type_piece` to `objet`: the first version of a new piece, or a new
    /// version of the piece of that type already there (the earlier ones are kept). Refused
    /// (nothing written) for a user who may not read the record (403), who may not join to it,
    /// and for a file that is empty, over 20 Mo, a program or of a format not accepted; the
    /// refusal names the file and why. Returns the piece and the version's number.
    #[allow(clippy::too_many_arguments)]
    pub async fn deposer_piece(
        &self,
        acteur: &Acteur,
        objet: ObjetPiece,
        type_piece: TypePiece,
        nom_fichier: &str,
        octets: &[u8],
        quand: OffsetDateTime,
    ) -> Result<(PieceId, u32), ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let proprietaire = proprietaire_visible(&mut tx, acteur, objet).await?;
        let existante = store::pieces::piece_de_type(&mut tx, objet, type_piece).await?;
        let id = match &existante {
            Some(p) => p.valeur.id,
            None => PieceId(depot::prochain_id(&mut tx, "pieces").await?),
        };
        let fichier = Fichier {
            nom: nom_fichier,
            octets,
        };
        let (t, version) = Piece::deposer(
            existante.as_ref().map(|p| &p.valeur),
            id,
            acteur,
            objet,
            proprietaire,
            type_piece,
            fichier,
            quand,
        )?;
        match &existante {
            Some(avant) => ecrire(&mut tx, avant, None, t).await?,
            None => creer(&mut tx, t).await?,
        };
        store::pieces::ecrire_contenu(&mut tx, id.0, version.numero, &version.sha256, octets)
            .await?;
        tx.valider().await?;
        Ok((id, version.numero))
    }

    /// The pieces joined to `objet`, by type, if the user may read it.
    pub async fn pieces_de(
        &self,
        acteur: &Acteur,
        objet: ObjetPiece,
    ) -> Result<Vec<Piece>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        proprietaire_visible(&mut tx, acteur, objet).await?;
        Ok(store::pieces::pieces_de(&mut tx, objet)
            .await?
            .into_iter()
            .map(|p| p.valeur)
            .collect())
    }

    /// The pieces expected on a dossier (required, and asked for by the Caf), each with its
    /// current version when joined.
    pub async fn pieces_attendues(
        &self,
        acteur: &Acteur,
        dossier: &Dossier,
    ) -> Result<Vec<PieceAttendue>, ErreurApp> {
        let objet = ObjetPiece::Dossier(dossier.id);
        let pieces = self.pieces_de(acteur, objet).await?;
        Ok(domain::pieces::pieces_attendues(
            objet,
            &dossier.pieces_demandees,
            &pieces,
        ))
    }

    /// Whether the user may join pieces to `objet` (after checking it may read it).
    pub async fn peut_deposer_piece(
        &self,
        acteur: &Acteur,
        objet: ObjetPiece,
    ) -> Result<bool, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let proprietaire = proprietaire_visible(&mut tx, acteur, objet).await?;
        Ok(domain::pieces::exiger_deposant(acteur, proprietaire).is_ok())
    }

    /// One piece, if the user may read its record.
    pub async fn piece(&self, acteur: &Acteur, id: PieceId) -> Result<Lu<Piece>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let p = depot::lire::<Piece>(&mut tx, id.0).await?;
        proprietaire_visible(&mut tx, acteur, p.valeur.objet).await?;
        Ok(p)
    }

    /// Version `numero` of a piece (its current one when `None`) with its bytes, if the user may
    /// read its record.
    pub async fn telecharger_piece(
        &self,
        acteur: &Acteur,
        id: PieceId,
        numero: Option<u32>,
    ) -> Result<Telechargement, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let piece = depot::lire::<Piece>(&mut tx, id.0).await?.valeur;
        proprietaire_visible(&mut tx, acteur, piece.objet).await?;
        let version = match numero {
            Some(n) => piece.version(n),
            None => piece.derniere(),
        }
        .cloned()
        .ok_or(store::ErreurStore::Introuvable {
            entite: "la version de la pièce",
            id: i64::from(numero.unwrap_or_default()),
        })?;
        let octets = store::pieces::lire_contenu(&mut tx, id.0, version.numero)
            .await?
            .ok_or(store::ErreurStore::Introuvable {
                entite: "le contenu de la pièce",
                id: id.0,
            })?;
        Ok(Telechargement {
            piece,
            version,
            octets,
        })
    }
}
