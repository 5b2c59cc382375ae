//! The thread of a dossier: messages between the Caf and the applicant, and private annotations
//! that only the Caf and the Cnaf read. Whoever may see the dossier may read its public messages;
//! the applicant and the Caf agents of its département may write. Each user's reading is kept
//! (the last message it was shown in each thread), so that the messages of others it has not
//! read are counted and marked new.

use std::collections::{BTreeMap, BTreeSet};

use domain::acces::{Acteur, Role};
use domain::convention::Convention;
use domain::declaration::Piece;
use domain::dossier::Dossier;
use domain::identifiants::DossierId;
use store::audit::{self, NouvelEvenement};
use store::depot::{self, Lu};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::Plateforme;
use crate::cas::dossiers::verifier_visible;
use crate::erreur::ErreurApp;

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    /// The account that wrote it.
    pub auteur_id: i64,
    pub auteur: String,
    pub role: String,
    pub prive: bool,
    pub texte: String,
    /// RFC 3339.
    pub cree_le: String,
}

const LONGUEUR_MAX: usize = 5000;

/// A thread as its reader opens it: the messages, and those of others it had not read yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilLu {
    pub messages: Vec<Message>,
    pub nouveaux: BTreeSet<i64>,
}

/// Whether `acteur` reads the Caf's private annotations.
fn voit_prive(acteur: &Acteur) -> bool {
    matches!(acteur.role, Role::Caf | Role::Cnaf)
}

impl Plateforme {
    /// Writes a message (`prive`: an annotation for the Caf only).
    pub async fn ecrire_message(
        &self,
        acteur: &Acteur,
        auteur: &str,
        dossier: DossierId,
        texte: &str,
        prive: bool,
        quand: OffsetDateTime,
    ) -> Result<Message, ErreurApp> {
        self.ecrire_message_et_relancer(acteur, auteur, dossier, texte, prive, None, quand)
            .await
    }

    /// [`Plateforme::ecrire_message`]; with `relance`, the message is the reminder of a piece
    /// overdue under a convention (its piece and exercise), whose mail to the gestionnaire is
    /// queued in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn ecrire_message_et_relancer(
        &self,
        acteur: &Acteur,
        auteur: &str,
        dossier: DossierId,
        texte: &str,
        prive: bool,
        relance: Option<(&Convention, Piece, i32)>,
        quand: OffsetDateTime,
    ) -> Result<Message, ErreurApp> {
        let d = self.dossier(acteur, dossier).await?.valeur;
        let permis = match acteur.role {
            Role::Caf => acteur.departements.contains(&d.departement),
            Role::Gestionnaire => acteur.gestionnaires.contains(&d.gestionnaire) && !prive,
            _ => false,
        };
        if !permis {
            return Err(ErreurApp::Interdit(if prive {
                "une annotation privée est réservée aux agents de la Caf du dossier".into()
            } else {
                "seuls le porteur du dossier et les agents de sa Caf échangent des messages".into()
            }));
        }
        let texte = domain::texte::TexteLibre::verifier("Message", texte, LONGUEUR_MAX, true)
            .map_err(|e| {
                ErreurApp::Refus(domain::Refus::Invalide {
                    action: "Écrire un message",
                    raison: e.to_string(),
                })
            })?;
        let texte = texte.as_str();
        let cree_le = quand
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
        let mut tx = self.base.debuter().await?;
        let id = depot::prochain_id(&mut tx, "messages").await?;
        store::messages::inserer(
            &mut tx,
            &store::messages::MessageStocke {
                id,
                dossier_id: dossier.0,
                auteur_id: acteur.id.0,
                role: acteur.role.code().to_owned(),
                auteur: auteur.to_owned(),
                prive,
                texte: texte.to_owned(),
                cree_le: cree_le.clone(),
            },
        )
        .await?;
        audit::ajouter(
            &mut tx,
            NouvelEvenement {
                horodatage: quand,
                acteur_id: Some(acteur.id.0),
                role: Some(acteur.role.code().to_owned()),
                entite: "message".into(),
                entite_id: id,
                action: if prive { "annoter" } else { "ecrire" }.into(),
                etat_avant: None,
                etat_apres: None,
                description: format!(
                    "{} sur le dossier n°{}",
                    if prive {
                        "annotation privée"
                    } else {
                        "message"
                    },
                    dossier
                ),
                changements: "[]".into(),
                avant: None,
                apres: Some(texte.to_owned()),
            },
        )
        .await?;
        if let Some((convention, piece, exercice)) = relance {
            crate::cas::avis::retard(
                &mut tx,
                convention,
                piece.code(),
                piece.libelle(),
                exercice,
                texte,
                quand,
            )
            .await?;
        }
        tx.valider().await?;
        Ok(Message {
            id,
            auteur_id: acteur.id.0,
            auteur: auteur.to_owned(),
            role: acteur.role.code().to_owned(),
            prive,
            texte: texte.to_owned(),
            cree_le,
        })
    }

    /// The thread of a dossier as the user may read it (private annotations for the Caf and the
    /// Cnaf only), oldest first.
    pub async fn messages(
        &self,
        acteur: &Acteur,
        dossier: DossierId,
    ) -> Result<Vec<Message>, ErreurApp> {
        self.dossier(acteur, dossier).await?;
        let voit_prive = voit_prive(acteur);
        let mut tx = self.base.lire().await?;
        let sortie = store::messages::du_dossier(&mut tx, dossier.0)
            .await?
            .into_iter()
            .filter(|m| voit_prive || !m.prive)
            .map(|m| Message {
                id: m.id,
                auteur_id: m.auteur_id,
                auteur: m.auteur,
                role: m.role,
                prive: m.prive,
                texte: m.texte,
                cree_le: m.cree_le,
            })
            .collect();
        Ok(sortie)
    }

    /// Opens the thread of a dossier for its reader: the messages it may read, those of others
    /// it had not read yet, and its reading kept up to the last message shown.
    pub async fn ouvrir_fil(
        &self,
        acteur: &Acteur,
        dossier: DossierId,
    ) -> Result<FilLu, ErreurApp> {
        let messages = self.messages(acteur, dossier).await?;
        let mut tx = self.base.debuter().await?;
        let deja_lu = store::messages::dernier_lu(&mut tx, acteur.id.0, dossier.0).await?;
        let nouveaux: BTreeSet<i64> = messages
            .iter()
            .filter(|m| m.id > deja_lu && m.auteur_id != acteur.id.0)
            .map(|m| m.id)
            .collect();
        if let Some(dernier) = messages.iter().map(|m| m.id).max()
            && dernier > deja_lu
        {
            store::messages::marquer_lu(&mut tx, acteur.id.0, dossier.0, dernier).await?;
        }
        tx.valider().await?;
        Ok(FilLu { messages, nouveaux })
    }

    /// The number of messages of others that `acteur` has not read, for each of `dossiers` (as
    /// [`Plateforme::dossiers`] gave them to it) that it may see and that has some (private
    /// annotations counted only for those who read them).
    pub async fn messages_non_lus(
        &self,
        acteur: &Acteur,
        dossiers: &[Lu<Dossier>],
    ) -> Result<BTreeMap<DossierId, u32>, ErreurApp> {
        let visibles: BTreeSet<i64> = dossiers
            .iter()
            .filter(|d| verifier_visible(acteur, &d.valeur).is_ok())
            .map(|d| d.valeur.id.0)
            .collect();
        let mut tx = self.base.lire().await?;
        let mut sortie = BTreeMap::new();
        for (id, n) in store::messages::non_lus(&mut tx, acteur.id.0, voit_prive(acteur)).await? {
            if visibles.contains(&id) {
                sortie.insert(DossierId(id), u32::try_from(n).unwrap_or(u32::MAX));
            }
        }
        tx.valider().await?;
        Ok(sortie)
    }
}
