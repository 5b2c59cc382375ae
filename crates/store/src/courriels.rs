//! The SQL of the outbox of e-mails: queuing a mail in the transaction of its event (once per
//! idempotence key), the recipients' preferences, a sender's claim of the mails due (a lease:
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL, the single writer on SQLite), the outcome of each
//! attempt, the daily digests, and the reading of mails for the « Courriels envoyés » page.

use sha2::{Digest, Sha256};

use crate::connexion::{Base, Ligne, Moteur, Tx, Valeur};
use crate::depot::prochain_id;
use crate::erreur::ErreurStore;

/// A mail waiting to be sent now.
pub const EN_ATTENTE: &str = "en_attente";
/// A mail accepted by the SMTP server.
pub const ENVOYE: &str = "envoye";
/// A mail given up after its last attempt.
pub const ECHEC: &str = "echec";
/// A mail kept for its recipient's daily digest.
pub const A_RESUMER: &str = "a_resumer";
/// A mail sent within a digest.
pub const RESUME: &str = "resume";
/// A mail its recipient chose not to receive.
pub const ECARTE: &str = "ecarte";

/// The genre code of a daily digest.
pub const GENRE_RESUME: &str = "resume_quotidien";

/// An attachment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PieceStockee {
    pub nom: String,
    pub type_mime: String,
    pub contenu: Vec<u8>,
}

/// A mail to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NouveauCourriel {
    pub cle: String,
    pub genre: String,
    pub destinataire: String,
    pub utilisateur_id: Option<i64>,
    pub departement: Option<String>,
    pub sujet: String,
    pub texte: String,
    pub pieces: Vec<PieceStockee>,
    /// The state it starts in: [`EN_ATTENTE`], [`A_RESUMER`] or [`ECARTE`].
    pub etat: &'static str,
    /// The day it belongs to for digests (`YYYY-MM-DD`, French local time).
    pub jour: String,
    /// Unix seconds.
    pub cree_le: i64,
}

/// A mail as stored, without its attachments' content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourrielStocke {
    pub id: i64,
    pub cle: String,
    pub genre: String,
    pub destinataire: String,
    pub utilisateur_id: Option<i64>,
    pub departement: Option<String>,
    pub sujet: String,
    pub texte: String,
    pub etat: String,
    /// The local part of its Message-ID (the sender adds `@` and its domain).
    pub message_id: String,
    pub jour: String,
    pub cree_le: i64,
    pub essais: i64,
    pub prochain_essai: i64,
    pub envoye_le: Option<i64>,
    pub derniere_erreur: Option<String>,
    pub resume_id: Option<i64>,
}

/// The local part of the Message-ID of row `id` of key `cle`: fixed at insertion, the same for
/// every attempt, and unique across databases sharing a domain only through the key's hash.
pub fn identifiant_message(id: i64, cle: &str) -> String {
    let empreinte = hex::encode(Sha256::digest(cle.as_bytes()));
    format!("courriel.{id}.{}", &empreinte[..16])
}

const COLONNES: &str = "id, cle, genre, destinataire, utilisateur_id, departement, sujet, texte, \
     etat, message_id, jour, cree_le, essais, prochain_essai, envoye_le, derniere_erreur, resume_id";

fn lire_ligne(l: &Ligne) -> Result<CourrielStocke, ErreurStore> {
    Ok(CourrielStocke {
        id: l.entier("id")?,
        cle: l.texte("cle")?,
        genre: l.texte("genre")?,
        destinataire: l.texte("destinataire")?,
        utilisateur_id: l.entier_opt("utilisateur_id")?,
        departement: l.texte_opt("departement")?,
        sujet: l.texte("sujet")?,
        texte: l.texte("texte")?,
        etat: l.texte("etat")?,
        message_id: l.texte("message_id")?,
        jour: l.texte("jour")?,
        cree_le: l.entier("cree_le")?,
        essais: l.entier("essais")?,
        prochain_essai: l.entier("prochain_essai")?,
        envoye_le: l.entier_opt("envoye_le")?,
        derniere_erreur: l.texte_opt("derniere_erreur")?,
        resume_id: l.entier_opt("resume_id")?,
    })
}

/// Queues `c` in `tx`; `None` when a mail of the same key is already queued (nothing written).
pub async fn inserer(tx: &mut Tx, c: &NouveauCourriel) -> Result<Option<i64>, ErreurStore> {
    if tx
        .ligne(
            "SELECT id FROM courriels WHERE cle = $1",
            &[c.cle.as_str().into()],
        )
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let id = prochain_id(tx, "courriels").await?;
    let insere = tx
        .executer(
            "INSERT INTO courriels (id, cle, genre, destinataire, utilisateur_id, departement, \
             sujet, texte, etat, message_id, jour, cree_le, essais, prochain_essai) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $12) \
             ON CONFLICT (cle) DO NOTHING",
            &[
                id.into(),
                c.cle.as_str().into(),
                c.genre.as_str().into(),
                c.destinataire.as_str().into(),
                c.utilisateur_id.into(),
                c.departement.clone().into(),
                c.sujet.as_str().into(),
                c.texte.as_str().into(),
                c.etat.into(),
                identifiant_message(id, &c.cle).into(),
                c.jour.as_str().into(),
                c.cree_le.into(),
            ],
        )
        .await?;
    if insere == 0 {
        return Ok(None);
    }
    for (rang, piece) in c.pieces.iter().enumerate() {
        tx.executer(
            "INSERT INTO courriels_pieces (courriel_id, rang, nom, type_mime, contenu) \
             VALUES ($1, $2, $3, $4, $5)",
            &[
                id.into(),
                i64::try_from(rang).unwrap_or(i64::MAX).into(),
                piece.nom.as_str().into(),
                piece.type_mime.as_str().into(),
                Valeur::Octets(piece.contenu.clone()),
            ],
        )
        .await?;
    }
    Ok(Some(id))
}

/// The frequency code `utilisateur` chose for `genre`, if any.
pub async fn preference(
    tx: &mut Tx,
    utilisateur: i64,
    genre: &str,
) -> Result<Option<String>, ErreurStore> {
    tx.ligne(
        "SELECT frequence FROM preferences_courriels WHERE utilisateur_id = $1 AND genre = $2",
        &[utilisateur.into(), genre.into()],
    )
    .await?
    .map(|l| l.texte("frequence"))
    .transpose()
}

/// Every `(genre, frequence)` code `utilisateur` chose.
pub async fn preferences(
    tx: &mut Tx,
    utilisateur: i64,
) -> Result<Vec<(String, String)>, ErreurStore> {
    let lignes = tx
        .lignes(
            "SELECT genre, frequence FROM preferences_courriels WHERE utilisateur_id = $1 \
             ORDER BY genre",
            &[utilisateur.into()],
        )
        .await?;
    lignes
        .iter()
        .map(|l| Ok((l.texte("genre")?, l.texte("frequence")?)))
        .collect()
}

/// Records that `utilisateur` wants `genre` at `frequence`.
pub async fn fixer_preference(
    tx: &mut Tx,
    utilisateur: i64,
    genre: &str,
    frequence: &str,
) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO preferences_courriels (utilisateur_id, genre, frequence) VALUES ($1, $2, $3) \
         ON CONFLICT (utilisateur_id, genre) DO UPDATE SET frequence = excluded.frequence",
        &[utilisateur.into(), genre.into(), frequence.into()],
    )
    .await?;
    Ok(())
}

/// Claims up to `limite` mails due at `maintenant` and not held by another sender, holding each
/// until `maintenant + bail` seconds and counting the attempt, in a transaction of its own: the
/// mails, with their attachments, that this sender alone may now send. A sender that dies
/// holding some leaves them to be claimed again when the lease ends.
pub async fn reclamer(
    base: &Base,
    maintenant: i64,
    bail: i64,
    limite: i64,
) -> Result<Vec<(CourrielStocke, Vec<PieceStockee>)>, ErreurStore> {
    let mut tx = base.debuter().await?;
    let verrou = match tx.moteur() {
        Moteur::Postgres => " FOR UPDATE SKIP LOCKED",
        Moteur::Sqlite => "",
    };
    let lignes = tx
        .lignes(
            &format!(
                "SELECT {COLONNES} FROM courriels WHERE etat = $1 AND prochain_essai <= $2 \
                 AND (bail_jusqu_a IS NULL OR bail_jusqu_a <= $2) ORDER BY id LIMIT $3{verrou}"
            ),
            &[EN_ATTENTE.into(), maintenant.into(), limite.into()],
        )
        .await?;
    let mut sortie = Vec::with_capacity(lignes.len());
    for l in &lignes {
        let mut c = lire_ligne(l)?;
        tx.executer(
            "UPDATE courriels SET bail_jusqu_a = $1, essais = essais + 1 WHERE id = $2",
            &[(maintenant + bail).into(), c.id.into()],
        )
        .await?;
        c.essais += 1;
        let pieces = pieces(&mut tx, c.id).await?;
        sortie.push((c, pieces));
    }
    tx.valider().await?;
    Ok(sortie)
}

/// The attachments of mail `id`, in order.
pub async fn pieces(tx: &mut Tx, id: i64) -> Result<Vec<PieceStockee>, ErreurStore> {
    let lignes = tx
        .lignes(
            "SELECT nom, type_mime, contenu FROM courriels_pieces WHERE courriel_id = $1 \
             ORDER BY rang",
            &[id.into()],
        )
        .await?;
    lignes
        .iter()
        .map(|l| {
            Ok(PieceStockee {
                nom: l.texte("nom")?,
                type_mime: l.texte("type_mime")?,
                contenu: l.octets("contenu")?,
            })
        })
        .collect()
}

/// Notes that mail `id` was accepted by the SMTP server at `quand`.
pub async fn marquer_envoye(base: &Base, id: i64, quand: i64) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "UPDATE courriels SET etat = $1, envoye_le = $2, bail_jusqu_a = NULL, \
         derniere_erreur = NULL WHERE id = $3",
        &[ENVOYE.into(), quand.into(), id.into()],
    )
    .await?;
    tx.valider().await
}

/// Notes that an attempt at mail `id` failed with `erreur`: tried again at `prochain_essai`, or
/// given up when `None`.
pub async fn marquer_echec(
    base: &Base,
    id: i64,
    erreur: &str,
    prochain_essai: Option<i64>,
) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    match prochain_essai {
        Some(quand) => {
            tx.executer(
                "UPDATE courriels SET prochain_essai = $1, bail_jusqu_a = NULL, \
                 derniere_erreur = $2 WHERE id = $3",
                &[quand.into(), erreur.into(), id.into()],
            )
            .await?
        }
        None => {
            tx.executer(
                "UPDATE courriels SET etat = $1, bail_jusqu_a = NULL, derniere_erreur = $2 \
                 WHERE id = $3",
                &[ECHEC.into(), erreur.into(), id.into()],
            )
            .await?
        }
    };
    tx.valider().await
}

/// The `(utilisateur, jour)` pairs whose mails kept for a digest are due: days before `jour`.
pub async fn resumes_dus(base: &Base, jour: &str) -> Result<Vec<(i64, String)>, ErreurStore> {
    let mut tx = base.lire().await?;
    let lignes = tx
        .lignes(
            "SELECT DISTINCT utilisateur_id, jour FROM courriels WHERE etat = $1 AND jour < $2 \
             AND utilisateur_id IS NOT NULL ORDER BY utilisateur_id, jour",
            &[A_RESUMER.into(), jour.into()],
        )
        .await?;
    tx.annuler().await?;
    lignes
        .iter()
        .map(|l| Ok((l.entier("utilisateur_id")?, l.texte("jour")?)))
        .collect()
}

/// The mails of `utilisateur` of `jour` kept for its digest, oldest first.
pub async fn a_resumer(
    tx: &mut Tx,
    utilisateur: i64,
    jour: &str,
) -> Result<Vec<CourrielStocke>, ErreurStore> {
    let lignes = tx
        .lignes(
            &format!(
                "SELECT {COLONNES} FROM courriels WHERE etat = $1 AND utilisateur_id = $2 \
                 AND jour = $3 ORDER BY id"
            ),
            &[A_RESUMER.into(), utilisateur.into(), jour.into()],
        )
        .await?;
    lignes.iter().map(lire_ligne).collect()
}

/// Marks the mails `ids` as sent within digest `resume`.
pub async fn rattacher_au_resume(tx: &mut Tx, ids: &[i64], resume: i64) -> Result<(), ErreurStore> {
    for id in ids {
        tx.executer(
            "UPDATE courriels SET etat = $1, resume_id = $2 WHERE id = $3 AND etat = $4",
            &[RESUME.into(), resume.into(), (*id).into(), A_RESUMER.into()],
        )
        .await?;
    }
    Ok(())
}

/// The id of the mail of key `cle`, if queued.
pub async fn par_cle(tx: &mut Tx, cle: &str) -> Result<Option<i64>, ErreurStore> {
    tx.ligne("SELECT id FROM courriels WHERE cle = $1", &[cle.into()])
        .await?
        .map(|l| l.entier("id"))
        .transpose()
}

/// The mails that satisfy `condition` (with its parameters, numbered from `$1`), newest first,
/// at most `limite`.
pub async fn lister(
    tx: &mut Tx,
    condition: &str,
    params: &[Valeur],
    limite: i64,
) -> Result<Vec<CourrielStocke>, ErreurStore> {
    let mut parametres = params.to_vec();
    parametres.push(limite.into());
    let lignes = tx
        .lignes(
            &format!(
                "SELECT {COLONNES} FROM courriels WHERE {condition} ORDER BY id DESC LIMIT ${}",
                parametres.len()
            ),
            &parametres,
        )
        .await?;
    lignes.iter().map(lire_ligne).collect()
}

/// Mail `id`, if it satisfies `condition` (with its parameters, numbered from `$1`).
pub async fn lire(
    tx: &mut Tx,
    id: i64,
    condition: &str,
    params: &[Valeur],
) -> Result<Option<CourrielStocke>, ErreurStore> {
    let mut parametres = params.to_vec();
    parametres.push(id.into());
    tx.ligne(
        &format!(
            "SELECT {COLONNES} FROM courriels WHERE ({condition}) AND id = ${}",
            parametres.len()
        ),
        &parametres,
    )
    .await?
    .as_ref()
    .map(lire_ligne)
    .transpose()
}

/// The number of mails in each state.
pub async fn par_etat(base: &Base) -> Result<Vec<(String, i64)>, ErreurStore> {
    let mut tx = base.lire().await?;
    let lignes = tx
        .lignes(
            "SELECT etat, COUNT(*) AS n FROM courriels GROUP BY etat ORDER BY etat",
            &[],
        )
        .await?;
    tx.annuler().await?;
    lignes
        .iter()
        .map(|l| Ok((l.texte("etat")?, l.entier("n")?)))
        .collect()
}

/// Records as sent on the day they were written the mails still waiting that were written
/// before `avant` (Unix seconds): the demonstration's history, whose events happened in the
/// past, so that only the mails of its present leave for the mail server. Returns their number.
pub async fn dater_historique(base: &Base, avant: i64) -> Result<u64, ErreurStore> {
    let mut tx = base.debuter().await?;
    let n = tx
        .executer(
            "UPDATE courriels SET etat = $1, envoye_le = cree_le \
             WHERE etat = $2 AND cree_le < $3",
            &[ENVOYE.into(), EN_ATTENTE.into(), avant.into()],
        )
        .await?;
    tx.valider().await?;
    Ok(n)
}

/// The outbox as an operator watches it: mails waiting to be sent now, among them those already
/// tried at least once (retrying), mails given up, and the age of the oldest one waiting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileDAttente {
    pub en_attente: i64,
    pub en_reprise: i64,
    pub en_echec: i64,
    /// Seconds since the oldest waiting mail was queued (0 when none waits).
    pub age_plus_ancien: i64,
}

/// The state of the outbox at `maintenant` (Unix seconds).
pub async fn file_d_attente(base: &Base, maintenant: i64) -> Result<FileDAttente, ErreurStore> {
    let mut tx = base.lire().await?;
    let ligne = tx
        .ligne(
            "SELECT \
             CAST(COALESCE(SUM(CASE WHEN etat = $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS en_attente, \
             CAST(COALESCE(SUM(CASE WHEN etat = $1 AND essais > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             AS en_reprise, \
             CAST(COALESCE(SUM(CASE WHEN etat = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS en_echec, \
             CAST(MIN(CASE WHEN etat = $1 THEN cree_le END) AS BIGINT) AS plus_ancien \
             FROM courriels",
            &[EN_ATTENTE.into(), ECHEC.into()],
        )
        .await?;
    tx.annuler().await?;
    let Some(l) = ligne else {
        return Ok(FileDAttente::default());
    };
    Ok(FileDAttente {
        en_attente: l.entier("en_attente")?,
        en_reprise: l.entier("en_reprise")?,
        en_echec: l.entier("en_echec")?,
        age_plus_ancien: l
            .entier_opt("plus_ancien")?
            .map_or(0, |t| (maintenant - t).max(0)),
    })
}
