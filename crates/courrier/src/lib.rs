//! The sender of the outbox: it claims the mails due (a lease, so that two senders never send the
//! same row at once), sends each over SMTP with `lettre`, records the outcome (sent, a new
//! attempt after an exponential backoff, or given up), and gathers each user's mails kept for a
//! digest into one mail once their day is over. Configured by one URL (see [`Configuration`]).
//!
//! Delivery is at least once: a sender that dies after the SMTP server accepted a mail but
//! before recording it sends it again once its lease ends, with the same Message-ID (derived
//! from the row), by which receiving systems recognise a duplicate (docs/adr/0021).

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use store::Base;
use store::courriels::{self as sql, CourrielStocke, NouveauCourriel, PieceStockee};
use time::OffsetDateTime;

/// Why the sender cannot start or could not finish a pass.
#[derive(Debug, thiserror::Error)]
pub enum ErreurCourrier {
    #[error("adresse du serveur de courriel « {url} » illisible : {raison}")]
    Configuration { url: String, raison: String },
    #[error("{0}")]
    Store(#[from] store::ErreurStore),
}

/// The sender's address when the URL names none.
pub const EXPEDITEUR_DEFAUT: &str = "Parentalité <ne-pas-repondre@parentalite.invalid>";

/// The fault-injection knob of the crash tests (never set in operation): `avant_bail` makes the
/// sender claim nothing, `apres_bail` makes it stop for good after claiming, before any SMTP
/// exchange. Read once when the sender starts.
pub const VARIABLE_ESSAI_SUSPENDRE: &str = "PARENTALITE_ESSAI_COURRIER_SUSPENDRE";

/// How the sender reaches its SMTP server and paces its work, read from one URL:
///
/// - `smtp://hote:port`: plain SMTP (port 25 by default), as for a local relay;
/// - `smtp://hote:587?tls=required`: STARTTLS required (`tls=opportunistic`: when offered);
/// - `smtps://hote:465`: TLS from the first byte;
/// - `smtp://utilisateur:mot%20de%20passe@hote…`: credentials (percent-encoded), sent only once
///   the connection is encrypted when TLS is asked for;
/// - query parameters of the platform: `expediteur` (the From address, percent-encoded:
///   `expediteur=Caf%20<ne-pas-repondre@caf.fr>`), `bail` (seconds a sender holds a mail it is
///   sending before another may try it again; 300 by default), `essais` (attempts before giving
///   up; 8 by default), `delai` (seconds before the first new attempt, doubled at each one,
///   at most six hours; 60 by default).
#[derive(Debug, Clone)]
pub struct Configuration {
    /// The URL as `lettre` reads it.
    url: String,
    pub expediteur: Mailbox,
    pub bail: i64,
    pub essais_max: i64,
    pub delai_initial: i64,
    pub delai_max: i64,
    /// Mails claimed at once.
    pub lot: i64,
    /// Mails sent at the same time (each on its own SMTP connection).
    pub parallelisme: usize,
    /// The pause between two passes that found nothing to send.
    pub pause: Duration,
}

fn decoder(texte: &str) -> String {
    let octets = texte.as_bytes();
    let mut sortie = Vec::with_capacity(octets.len());
    let mut i = 0;
    while i < octets.len() {
        match octets[i] {
            b'%' if i + 2 < octets.len() => {
                let chiffre = |o: u8| char::from(o).to_digit(16);
                match (chiffre(octets[i + 1]), chiffre(octets[i + 2])) {
                    (Some(fort), Some(faible)) => {
                        sortie.push(u8::try_from(fort * 16 + faible).unwrap_or(b'?'));
                        i += 3;
                        continue;
                    }
                    _ => sortie.push(b'%'),
                }
            }
            b'+' => sortie.push(b' '),
            o => sortie.push(o),
        }
        i += 1;
    }
    String::from_utf8_lossy(&sortie).into_owned()
}

impl Configuration {
    /// Reads `url` (see [`Configuration`]); refuses what `lettre` would refuse.
    pub fn depuis_url(url: &str) -> Result<Configuration, ErreurCourrier> {
        let refus = |raison: String| ErreurCourrier::Configuration {
            url: masquer(url),
            raison,
        };
        let mut c = Configuration {
            url: url.to_owned(),
            expediteur: EXPEDITEUR_DEFAUT
                .parse()
                .map_err(|e| refus(format!("{e}")))?,
            bail: 300,
            essais_max: 8,
            delai_initial: 60,
            delai_max: 6 * 3600,
            lot: 50,
            parallelisme: 8,
            pause: Duration::from_secs(2),
        };
        if let Some((_, requete)) = url.split_once('?') {
            for paire in requete.split('&').filter(|p| !p.is_empty()) {
                let (cle, valeur) = paire.split_once('=').unwrap_or((paire, ""));
                let valeur = decoder(valeur);
                let entier = |nom: &str| {
                    valeur
                        .parse::<i64>()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| refus(format!("{nom} : un entier positif attendu")))
                };
                match cle {
                    "expediteur" => {
                        c.expediteur = valeur
                            .parse()
                            .map_err(|e| refus(format!("expéditeur « {valeur} » : {e}")))?
                    }
                    "bail" => c.bail = entier("bail")?,
                    "essais" => c.essais_max = entier("essais")?,
                    "delai" => c.delai_initial = entier("delai")?,
                    "tls" => {}
                    autre => return Err(refus(format!("paramètre inconnu « {autre} »"))),
                }
            }
        }
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| refus(e.to_string()))?;
        Ok(c)
    }

    /// The delay before attempt `essais + 1`, after `essais` failed ones: `delai_initial`
    /// doubled at each failure, at most `delai_max`.
    pub fn delai_apres(&self, essais: i64) -> i64 {
        let exposant = u32::try_from(essais.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        self.delai_initial
            .saturating_mul(1_i64 << exposant)
            .min(self.delai_max)
    }
}

/// `url` without its password, to be shown in errors and logs.
pub fn masquer(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(debut), Some(arobase)) if arobase > debut => {
            let identite = &url[debut + 3..arobase];
            match identite.split_once(':') {
                Some((utilisateur, _)) => {
                    format!("{}{utilisateur}:***{}", &url[..debut + 3], &url[arobase..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bilan {
    pub envoyes: usize,
    pub reportes: usize,
    pub abandonnes: usize,
    pub resumes: usize,
}

/// The sender: a database, an SMTP transport and its settings.
#[derive(Debug, Clone)]
pub struct Expediteur {
    base: Base,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    configuration: Configuration,
}

impl Expediteur {
    pub fn new(base: Base, configuration: Configuration) -> Result<Expediteur, ErreurCourrier> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&configuration.url)
            .map_err(|e| ErreurCourrier::Configuration {
                url: masquer(&configuration.url),
                raison: e.to_string(),
            })?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        Ok(Expediteur {
            base,
            transport,
            configuration,
        })
    }

    pub fn configuration(&self) -> &Configuration {
        &self.configuration
    }

    /// One pass at `maintenant`: the digests of the days over, then one batch of the mails due.
    pub async fn passe(&self, maintenant: OffsetDateTime) -> Result<Bilan, ErreurCourrier> {
        let mut bilan = Bilan {
            resumes: self.constituer_resumes(maintenant).await?,
            ..Bilan::default()
        };
        let secondes = maintenant.unix_timestamp();
        let lot = sql::reclamer(
            &self.base,
            secondes,
            self.configuration.bail,
            self.configuration.lot,
        )
        .await?;
        if std::env::var(VARIABLE_ESSAI_SUSPENDRE).as_deref() == Ok("apres_bail") && !lot.is_empty()
        {
            tracing::warn!("{VARIABLE_ESSAI_SUSPENDRE}=apres_bail : envoi suspendu");
            std::future::pending::<()>().await;
        }
        // Several mails at once, each on a connection of the transport's pool: one SMTP
        // exchange waits mostly on the network, not on this process.
        let mut envois = tokio::task::JoinSet::new();
        let mut reste = lot.into_iter();
        loop {
            while envois.len() < self.configuration.parallelisme {
                let Some((courriel, pieces)) = reste.next() else {
                    break;
                };
                let moi = self.clone();
                envois.spawn(async move {
                    let issue = moi.envoyer(&courriel, &pieces).await;
                    (courriel, issue)
                });
            }
            let Some(fini) = envois.join_next().await else {
                break;
            };
            let (courriel, issue) = fini.map_err(|e| ErreurCourrier::Configuration {
                url: masquer(&self.configuration.url),
                raison: format!("envoi interrompu : {e}"),
            })?;
            match issue {
                Ok(()) => {
                    sql::marquer_envoye(
                        &self.base,
                        courriel.id,
                        OffsetDateTime::now_utc().unix_timestamp(),
                    )
                    .await?;
                    bilan.envoyes += 1;
                }
                Err((erreur, definitive)) => {
                    let abandon = definitive || courriel.essais >= self.configuration.essais_max;
                    let prochain = (!abandon)
                        .then(|| secondes + self.configuration.delai_apres(courriel.essais));
                    tracing::warn!(
                        "courriel n°{} à {} : {erreur}{}",
                        courriel.id,
                        courriel.destinataire,
                        if abandon { " (abandonné)" } else { "" }
                    );
                    sql::marquer_echec(&self.base, courriel.id, &erreur, prochain).await?;
                    if abandon {
                        bilan.abandonnes += 1;
                    } else {
                        bilan.reportes += 1;
                    }
                }
            }
        }
        Ok(bilan)
    }

    /// Runs passes until the process ends, pausing when a pass found nothing to do; a failed
    /// pass (the database away) is logged and tried again after the pause.
    pub async fn tourner(self) {
        let suspendu = std::env::var(VARIABLE_ESSAI_SUSPENDRE).as_deref() == Ok("avant_bail");
        loop {
            if suspendu {
                tokio::time::sleep(self.configuration.pause).await;
                continue;
            }
            match self.passe(OffsetDateTime::now_utc()).await {
                Ok(b) if b.envoyes + b.reportes + b.abandonnes + b.resumes > 0 => {
                    if b.envoyes + b.reportes + b.abandonnes > 0 {
                        tracing::info!(
                            "courriels : {} envoyés, {} reportés, {} abandonnés",
                            b.envoyes,
                            b.reportes,
                            b.abandonnes
                        );
                    }
                }
                Ok(_) => tokio::time::sleep(self.configuration.pause).await,
                Err(e) => {
                    tracing::error!("courriels : {e}");
                    tokio::time::sleep(self.configuration.pause).await;
                }
            }
        }
    }

    /// Sends one mail; on failure, the error and whether it is definitive (a permanent SMTP
    /// refusal, a message that cannot be built).
    async fn envoyer(
        &self,
        courriel: &CourrielStocke,
        pieces: &[PieceStockee],
    ) -> Result<(), (String, bool)> {
        let message =
            construire(&self.configuration.expediteur, courriel, pieces).map_err(|e| (e, true))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| (e.to_string(), e.is_permanent()))
    }

    /// Gathers, for each user, the mails kept for its digest of each day before today's into one
    /// mail queued at once, in one transaction each: a digest is built once per user and day.
    async fn constituer_resumes(
        &self,
        maintenant: OffsetDateTime,
    ) -> Result<usize, ErreurCourrier> {
        let aujourd_hui = jour(maintenant);
        let mut n = 0;
        for (utilisateur, jour_du_resume) in sql::resumes_dus(&self.base, &aujourd_hui).await? {
            let mut tx = self.base.debuter().await?;
            let courriels = sql::a_resumer(&mut tx, utilisateur, &jour_du_resume).await?;
            let Some(premier) = courriels.first() else {
                tx.annuler().await?;
                continue;
            };
            let mut cle = format!("resume:{utilisateur}:{jour_du_resume}");
            if sql::par_cle(&mut tx, &cle).await?.is_some() {
                // Mails of that day queued after its digest: a digest of their own.
                cle = format!("{cle}:{}", premier.id);
            }
            let mut pieces = Vec::new();
            for c in &courriels {
                pieces.extend(sql::pieces(&mut tx, c.id).await?);
            }
            let resume = NouveauCourriel {
                cle,
                genre: sql::GENRE_RESUME.to_owned(),
                destinataire: premier.destinataire.clone(),
                utilisateur_id: Some(utilisateur),
                departement: None,
                sujet: format!(
                    "Résumé du {} : {} courriel{}",
                    date_francaise(&jour_du_resume),
                    courriels.len(),
                    if courriels.len() > 1 { "s" } else { "" }
                ),
                texte: texte_du_resume(&jour_du_resume, &courriels),
                pieces,
                etat: sql::EN_ATTENTE,
                jour: aujourd_hui.clone(),
                cree_le: maintenant.unix_timestamp(),
            };
            if let Some(id) = sql::inserer(&mut tx, &resume).await? {
                let ids: Vec<i64> = courriels.iter().map(|c| c.id).collect();
                sql::rattacher_au_resume(&mut tx, &ids, id).await?;
                n += 1;
            }
            tx.valider().await?;
        }
        Ok(n)
    }
}

/// The day of `quand` (UTC), `YYYY-MM-DD`, as the outbox stores it.
pub fn jour(quand: OffsetDateTime) -> String {
    let d = quand.to_offset(time::UtcOffset::UTC).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `2026-12-06` → « 06/12/2026 ».
fn date_francaise(jour: &str) -> String {
    let parties: Vec<&str> = jour.split('-').collect();
    match parties.as_slice() {
        [a, m, j] => format!("{j}/{m}/{a}"),
        _ => jour.to_owned(),
    }
}

fn texte_du_resume(jour: &str, courriels: &[CourrielStocke]) -> String {
    let mut texte = format!(
        "Bonjour,\n\nVoici les courriels de la plateforme Parentalité du {}, réunis en un seul \
         comme vous l’avez choisi sur votre page « Mon profil ».\n",
        date_francaise(jour)
    );
    for (i, c) in courriels.iter().enumerate() {
        texte.push_str(&format!(
            "\n──────── {} / {} ────────\nObjet : {}\n\n{}\n",
            i + 1,
            courriels.len(),
            c.sujet,
            c.texte.trim_end()
        ));
    }
    texte
}

/// The message of row `courriel`: From, To, Subject, its stable Message-ID, the plain text, and
/// each attachment as a MIME part of its own content type.
pub fn construire(
    expediteur: &Mailbox,
    courriel: &CourrielStocke,
    pieces: &[PieceStockee],
) -> Result<Message, String> {
    let destinataire: Mailbox = courriel
        .destinataire
        .parse()
        .map_err(|e| format!("destinataire « {} » : {e}", courriel.destinataire))?;
    let domaine = expediteur.email.domain().to_owned();
    let constructeur = Message::builder()
        .from(expediteur.clone())
        .to(destinataire)
        .subject(courriel.sujet.clone())
        .message_id(Some(format!("<{}@{domaine}>", courriel.message_id)))
        .date(std::time::SystemTime::now());
    let texte = SinglePart::plain(courriel.texte.clone());
    let message = if pieces.is_empty() {
        constructeur.singlepart(texte)
    } else {
        let mut parties = MultiPart::mixed().singlepart(texte);
        for p in pieces {
            let type_mime = ContentType::parse(&p.type_mime)
                .map_err(|e| format!("type « {} » de la pièce {} : {e}", p.type_mime, p.nom))?;
            parties = parties
                .singlepart(Attachment::new(p.nom.clone()).body(p.contenu.clone(), type_mime));
        }
        constructeur.multipart(parties)
    };
    message.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn l_url_porte_l_expediteur_et_les_reglages() {
        let c = Configuration::depuis_url(
            "smtp://127.0.0.1:2525?expediteur=Caf%20du%20Rh%C3%B4ne%20%3Cne-pas-repondre%40caf69.fr%3E&bail=5&essais=3",
        )
        .unwrap();
        assert_eq!(c.expediteur.email.to_string(), "ne-pas-repondre@caf69.fr");
        assert_eq!(c.expediteur.name.as_deref(), Some("Caf du Rhône"));
        assert_eq!((c.bail, c.essais_max), (5, 3));
        assert!(Configuration::depuis_url("smtp://127.0.0.1:2525?inconnu=1").is_err());
        assert!(Configuration::depuis_url("smtp://127.0.0.1:2525?expediteur=%é").is_err());
        assert!(Configuration::depuis_url("http://127.0.0.1").is_err());
        assert!(Configuration::depuis_url("smtps://u:p@smtp.exemple.fr").is_ok());
        assert!(Configuration::depuis_url("smtp://u:p@smtp.exemple.fr:587?tls=required").is_ok());
    }

    #[test]
    fn le_delai_double_a_chaque_echec_jusqu_au_plafond() {
        let c = Configuration::depuis_url("smtp://127.0.0.1:2525").unwrap();
        let delais: Vec<i64> = (1..=4).map(|n| c.delai_apres(n)).collect();
        assert_eq!(delais, [60, 120, 240, 480]);
        assert_eq!(c.delai_apres(30), 6 * 3600);
    }

    #[test]
    fn le_mot_de_passe_ne_s_affiche_pas() {
        assert_eq!(
            masquer("smtps://moi:secret@smtp.exemple.fr"),
            "smtps://moi:***@smtp.exemple.fr"
        );
        assert_eq!(masquer("smtp://127.0.0.1:25"), "smtp://127.0.0.1:25");
    }
}
