//! The platform's e-mails as use cases: queuing a mail in the transaction of the event that
//! causes it (the recipient's preference applied), each user's preferences, and the mails each
//! user may read on the « Courriels envoyés » page: its own mails for everyone; the Caf agents
//! also those concerning their départements; the Cnaf every mail.

use domain::acces::{Acteur, Role, Utilisateur};
use domain::courriel::{Courriel, Frequence, GenreCourriel};
use domain::identifiants::{GestionnaireId, UtilisateurId};
use store::Tx;
use store::Valeur;
use store::courriels::{self as sql, CourrielStocke, NouveauCourriel, PieceStockee};
use store::depot::{self, Lu};
use time::OffsetDateTime;

use crate::Plateforme;
use crate::erreur::ErreurApp;

/// Queues `courriel` in `tx`, the transaction of the event that causes it: the mail exists if
/// and only if the event commits. For an adjustable kind, the recipient's preference decides
/// whether it leaves at once, waits for the day's digest, or is only listed. A mail of a key
/// already queued is not queued again.
pub(crate) async fn mettre_en_file(
    tx: &mut Tx,
    courriel: &Courriel,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    courriel.verifier()?;
    let frequence = match courriel.utilisateur {
        Some(u) if courriel.genre.reglable() => sql::preference(tx, u.0, courriel.genre.code())
            .await?
            .and_then(|code| Frequence::depuis_code(&code))
            .unwrap_or_default(),
        _ => Frequence::Immediate,
    };
    let etat = match frequence {
        Frequence::Immediate => sql::EN_ATTENTE,
        Frequence::ResumeQuotidien => sql::A_RESUMER,
        Frequence::Aucune => sql::ECARTE,
    };
    let nouveau = NouveauCourriel {
        cle: courriel.cle.clone(),
        genre: courriel.genre.code().to_owned(),
        destinataire: courriel.destinataire.trim().to_owned(),
        utilisateur_id: courriel.utilisateur.map(|u| u.0),
        departement: courriel.departement.map(|d| d.as_str().to_owned()),
        sujet: courriel.sujet.trim().to_owned(),
        texte: courriel.texte.clone(),
        pieces: courriel
            .pieces_jointes
            .iter()
            .map(|p| PieceStockee {
                nom: p.nom.clone(),
                type_mime: p.type_mime.clone(),
                contenu: p.contenu.clone(),
            })
            .collect(),
        etat,
        jour: jour(quand),
        cree_le: quand.unix_timestamp(),
    };
    sql::inserer(tx, &nouveau).await?;
    Ok(())
}

/// The day of `quand` in UTC, `YYYY-MM-DD`: the day of the digest a mail belongs to (the sender
/// builds the digest of a day once that day is over in UTC).
pub fn jour(quand: OffsetDateTime) -> String {
    let d = quand.to_offset(time::UtcOffset::UTC).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `2026-12-06` as « 06/12/2026 ».
pub(crate) fn date_fr(d: time::Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// The active accounts of the staff of `gestionnaire`, read in `tx`: who receives the mails
/// about its dossiers, conventions and payments.
pub(crate) async fn comptes_du_gestionnaire(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
) -> Result<Vec<Utilisateur>, ErreurApp> {
    let comptes: Vec<Lu<Utilisateur>> = depot::lister(
        tx,
        "role = $1 AND actif = $2",
        &[Role::Gestionnaire.code().into(), true.into()],
        "id",
    )
    .await?;
    Ok(comptes
        .into_iter()
        .map(|u| u.valeur)
        .filter(|u| u.actif && u.gestionnaires.contains(&gestionnaire))
        .collect())
}

/// Where a mail is in its life, as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EtatCourriel {
    /// Waiting to be sent; `nouvel_essai` when an attempt already failed (with its error).
    EnAttente {
        nouvel_essai: Option<OffsetDateTime>,
        erreur: Option<String>,
        essais: i64,
    },
    /// Accepted by the mail server.
    Envoye(OffsetDateTime),
    /// Given up after its last attempt.
    Echec { erreur: String, essais: i64 },
    /// Kept for the recipient's digest of that day.
    AResumer,
    /// Sent within a digest.
    Resume { resume: i64 },
    /// The recipient chose to receive none of its kind.
    Ecarte,
}

/// A mail as the « Courriels envoyés » page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourrielVu {
    pub id: i64,
    /// `None` for a daily digest.
    pub genre: Option<GenreCourriel>,
    pub destinataire: String,
    pub sujet: String,
    pub cree_le: OffsetDateTime,
    pub etat: EtatCourriel,
}

/// A mail opened: what was (or will be) sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourrielOuvert {
    pub courriel: CourrielVu,
    pub texte: String,
    /// File name, content type and size of each attachment.
    pub pieces: Vec<(String, String, usize)>,
}

fn horodatage(secondes: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secondes).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn vu(c: &CourrielStocke) -> CourrielVu {
    let etat = match c.etat.as_str() {
        sql::ENVOYE => EtatCourriel::Envoye(horodatage(c.envoye_le.unwrap_or(c.cree_le))),
        sql::ECHEC => EtatCourriel::Echec {
            erreur: c.derniere_erreur.clone().unwrap_or_default(),
            essais: c.essais,
        },
        sql::A_RESUMER => EtatCourriel::AResumer,
        sql::RESUME => EtatCourriel::Resume {
            resume: c.resume_id.unwrap_or_default(),
        },
        sql::ECARTE => EtatCourriel::Ecarte,
        _ => EtatCourriel::EnAttente {
            nouvel_essai: c
                .derniere_erreur
                .is_some()
                .then(|| horodatage(c.prochain_essai)),
            erreur: c.derniere_erreur.clone(),
            essais: c.essais,
        },
    };
    CourrielVu {
        id: c.id,
        genre: GenreCourriel::depuis_code(&c.genre),
        destinataire: c.destinataire.clone(),
        sujet: c.sujet.clone(),
        cree_le: horodatage(c.cree_le),
        etat,
    }
}

/// The SQL condition of the mails `acteur` may read: the Cnaf every one; a Caf agent its own and
/// those concerning its départements; anyone else its own.
fn visibles(acteur: &Acteur) -> (String, Vec<Valeur>) {
    match acteur.role {
        Role::Cnaf => ("1 = 1".to_owned(), Vec::new()),
        Role::Caf => {
            let mut params: Vec<Valeur> = acteur
                .departements
                .iter()
                .map(|d| Valeur::Texte(d.as_str().to_owned()))
                .collect();
            params.push(acteur.id.0.into());
            let n = params.len();
            let condition = if n == 1 {
                "utilisateur_id = $1".to_owned()
            } else {
                format!(
                    "departement IN ({}) OR utilisateur_id = ${n}",
                    store::sql::marques(1, n - 1)
                )
            };
            (condition, params)
        }
        Role::Financeur | Role::Gestionnaire | Role::Intervenant | Role::Membre => {
            ("utilisateur_id = $1".to_owned(), vec![acteur.id.0.into()])
        }
    }
}

/// The most mails the page lists.
pub const LIMITE_LISTE: i64 = 500;

impl Plateforme {
    /// The outbox's queue at `maintenant` for the operators' metrics: counts only, no mail.
    pub async fn file_des_courriels(
        &self,
        maintenant: OffsetDateTime,
    ) -> Result<sql::FileDAttente, ErreurApp> {
        Ok(sql::file_d_attente(&self.base, maintenant.unix_timestamp()).await?)
    }

    /// The mails `acteur` may read, newest first (at most [`LIMITE_LISTE`]).
    pub async fn courriels(&self, acteur: &Acteur) -> Result<Vec<CourrielVu>, ErreurApp> {
        let (condition, params) = visibles(acteur);
        let mut tx = self.base.lire().await?;
        let lignes = sql::lister(&mut tx, &condition, &params, LIMITE_LISTE).await?;
        tx.annuler().await?;
        Ok(lignes.iter().map(vu).collect())
    }

    /// Mail `id`, if `acteur` may read it.
    pub async fn courriel(&self, acteur: &Acteur, id: i64) -> Result<CourrielOuvert, ErreurApp> {
        let (condition, params) = visibles(acteur);
        let mut tx = self.base.lire().await?;
        let Some(c) = sql::lire(&mut tx, id, &condition, &params).await? else {
            return Err(ErreurApp::Interdit(format!(
                "le courriel n°{id} n’existe pas ou ne vous concerne pas"
            )));
        };
        let pieces = sql::pieces(&mut tx, id).await?;
        tx.annuler().await?;
        Ok(CourrielOuvert {
            courriel: vu(&c),
            texte: c.texte,
            pieces: pieces
                .into_iter()
                .map(|p| (p.nom, p.type_mime, p.contenu.len()))
                .collect(),
        })
    }

    /// How often `utilisateur` receives each adjustable kind of mail.
    pub async fn preferences_courriels(
        &self,
        utilisateur: UtilisateurId,
    ) -> Result<Vec<(GenreCourriel, Frequence)>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let choisies = sql::preferences(&mut tx, utilisateur.0).await?;
        tx.annuler().await?;
        Ok(GenreCourriel::TOUS
            .into_iter()
            .filter(|g| g.reglable())
            .map(|g| {
                let f = choisies
                    .iter()
                    .find(|(code, _)| code == g.code())
                    .and_then(|(_, f)| Frequence::depuis_code(f))
                    .unwrap_or_default();
                (g, f)
            })
            .collect())
    }

    /// Records how often `utilisateur` wants each kind of `choix`; a formal notice (not
    /// adjustable) is refused.
    pub async fn fixer_preferences_courriels(
        &self,
        utilisateur: UtilisateurId,
        choix: &[(GenreCourriel, Frequence)],
    ) -> Result<(), ErreurApp> {
        if let Some((g, _)) = choix.iter().find(|(g, _)| !g.reglable()) {
            return Err(ErreurApp::Refus(domain::Refus::Invalide {
                action: "Choisir la fréquence des courriels",
                raison: format!(
                    "« {} » est un avis formel, toujours envoyé immédiatement",
                    g.libelle()
                ),
            }));
        }
        let mut tx = self.base.debuter().await?;
        for (g, f) in choix {
            sql::fixer_preference(&mut tx, utilisateur.0, g.code(), f.code()).await?;
        }
        tx.valider().await?;
        Ok(())
    }

    /// Queues `courriel` in a transaction of its own (for an event already recorded elsewhere,
    /// and for tests and the demonstration).
    pub async fn envoyer_courriel(
        &self,
        courriel: &Courriel,
        quand: OffsetDateTime,
    ) -> Result<(), ErreurApp> {
        let mut tx = self.base.debuter().await?;
        mettre_en_file(&mut tx, courriel, quand).await?;
        tx.valider().await?;
        Ok(())
    }
}
