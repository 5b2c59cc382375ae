//! The thread of a dossier: messages between the Caf and the applicant, and private annotations
//! that only the Caf and the Cnaf read. Whoever may see the dossier may read its public messages;
//! the applicant and the Caf agents of its département may write.

use domain::acces::{Acteur, Role};
use domain::identifiants::DossierId;
use store::audit::{self, NouvelEvenement};
use store::depot;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::Plateforme;
use crate::erreur::ErreurApp;

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub auteur: String,
    pub role: String,
    pub prive: bool,
    pub texte: String,
    /// RFC 3339.
    pub cree_le: String,
}

const LONGUEUR_MAX: usize = 5000;

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
        let texte = texte.trim();
        if texte.is_empty() || texte.chars().count() > LONGUEUR_MAX {
            return Err(ErreurApp::Refus(domain::Refus::condition(
                "Écrire un message",
                format!("le message doit contenir de 1 à {LONGUEUR_MAX} caractères"),
            )));
        }
        let cree_le = quand
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
        let mut tx = self.base.debuter().await?;
        let id = depot::prochain_id(&mut tx, "messages").await?;
        tx.executer(
            "INSERT INTO messages (id, dossier_id, auteur_id, role, auteur, prive, texte, cree_le) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                id.into(),
                dossier.0.into(),
                acteur.id.0.into(),
                acteur.role.code().into(),
                auteur.into(),
                prive.into(),
                texte.into(),
                cree_le.clone().into(),
            ],
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
        tx.valider().await?;
        Ok(Message {
            id,
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
        let voit_prive = matches!(acteur.role, Role::Caf | Role::Cnaf);
        let mut tx = self.base.debuter().await?;
        let lignes = tx
            .lignes(
                "SELECT id, auteur, role, prive, texte, cree_le FROM messages WHERE dossier_id = $1 ORDER BY id",
                &[dossier.0.into()],
            )
            .await?;
        let mut sortie = Vec::new();
        for l in lignes {
            let prive = l.booleen("prive")?;
            if prive && !voit_prive {
                continue;
            }
            sortie.push(Message {
                id: l.entier("id")?,
                auteur: l.texte("auteur")?,
                role: l.texte("role")?,
                prive,
                texte: l.texte("texte")?,
                cree_le: l.texte("cree_le")?,
            });
        }
        Ok(sortie)
    }
}
