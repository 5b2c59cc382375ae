//! A real SMTP server for the tests of outgoing mail: Python's aiosmtpd on a free port of the
//! loopback, writing each message it accepts into a Maildir, stopped when dropped; and a reader
//! of the messages of that Maildir (headers, plain text, attachments with their content type).
//! `scripts/test.sh` installs aiosmtpd (Debian's `python3-aiosmtpd`).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders};

/// The Python interpreter that has aiosmtpd: Debian's, else the one on the `PATH`.
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// A running aiosmtpd, stopped (and its Maildir removed) on drop.
#[derive(Debug)]
pub struct ServeurSmtp {
    enfant: Child,
    pub port: u16,
    /// The Maildir the server writes into.
    pub boite: PathBuf,
}

/// A file joined to a received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PieceRecue {
    pub nom: String,
    /// `type/subtype` then each parameter as `; name=value`, as received.
    pub type_mime: String,
    pub contenu: Vec<u8>,
}

/// A message as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecu {
    pub sujet: String,
    pub de: String,
    pub a: Vec<String>,
    pub message_id: String,
    pub texte: String,
    pub pieces: Vec<PieceRecue>,
    /// The raw message.
    pub brut: Vec<u8>,
}

impl ServeurSmtp {
    /// Starts a server on a free port of 127.0.0.1 and waits until it accepts connections.
    pub fn demarrer() -> ServeurSmtp {
        let port = {
            let ecoute = TcpListener::bind("127.0.0.1:0").unwrap();
            ecoute.local_addr().unwrap().port()
        };
        let boite =
            std::env::temp_dir().join(format!("parentalite-smtp-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&boite);
        let enfant = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&boite)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd introuvable : installez python3-aiosmtpd (scripts/test.sh le fait)");
        let mut serveur = ServeurSmtp {
            enfant,
            port,
            boite,
        };
        let debut = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(statut)) = serveur.enfant.try_wait() {
                panic!(
                    "aiosmtpd s'est arrêté au démarrage ({statut}) : python3-aiosmtpd installé ?"
                );
            }
            assert!(
                debut.elapsed() < Duration::from_secs(20),
                "aiosmtpd n'écoute pas sur le port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // The port may answer before the handler created its Maildir.
        let _ = std::fs::create_dir_all(serveur.boite.join("new"));
        serveur
    }

    /// The URL of the server for `PARENTALITE_SMTP`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in the order they arrived.
    pub fn messages(&self) -> Vec<MessageRecu> {
        lire_maildir(&self.boite)
    }

    /// The messages once there are at least `nombre` (a panic after `delai`).
    pub fn attendre(&self, nombre: usize, delai: Duration) -> Vec<MessageRecu> {
        let debut = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= nombre {
                return messages;
            }
            assert!(
                debut.elapsed() < delai,
                "{} message(s) reçu(s) sur {nombre} attendu(s) après {delai:?}",
                messages.len()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for ServeurSmtp {
    fn drop(&mut self) {
        let _ = self.enfant.kill();
        let _ = self.enfant.wait();
        let _ = std::fs::remove_dir_all(&self.boite);
    }
}

/// The messages of the Maildir `boite` (its `new` and `cur`), in the order they arrived.
pub fn lire_maildir(boite: &Path) -> Vec<MessageRecu> {
    let mut fichiers: Vec<PathBuf> = ["new", "cur"]
        .iter()
        .filter_map(|d| std::fs::read_dir(boite.join(d)).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    // By arrival: the time each file was written, then its name (the names' microseconds are
    // not zero-padded, so names alone do not sort by time).
    fichiers.sort_by_key(|f| {
        (
            std::fs::metadata(f).and_then(|m| m.modified()).ok(),
            f.file_name().map(|n| n.to_owned()),
        )
    });
    fichiers
        .iter()
        .filter_map(|f| std::fs::read(f).ok())
        .map(|brut| lire_message(&brut))
        .collect()
}

/// Reads one raw message.
pub fn lire_message(brut: &[u8]) -> MessageRecu {
    let m = MessageParser::default()
        .parse(brut)
        .expect("message illisible");
    let adresses = |liste: Option<&mail_parser::Address<'_>>| -> Vec<String> {
        liste
            .map(|l| {
                l.iter()
                    .filter_map(|a| a.address.as_deref().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let pieces = m
        .attachments()
        .map(|p| {
            let type_mime = p
                .content_type()
                .map(|t| {
                    let mut texte = format!("{}/{}", t.ctype(), t.subtype().unwrap_or(""));
                    for a in t.attributes().unwrap_or(&[]) {
                        texte.push_str(&format!("; {}={}", a.name, a.value));
                    }
                    texte
                })
                .unwrap_or_default();
            PieceRecue {
                nom: p.attachment_name().unwrap_or("").to_owned(),
                type_mime,
                contenu: p.contents().to_vec(),
            }
        })
        .collect();
    MessageRecu {
        sujet: m.subject().unwrap_or("").to_owned(),
        de: adresses(m.from()).join(", "),
        a: adresses(m.to()),
        message_id: m.message_id().unwrap_or("").to_owned(),
        texte: m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        pieces,
        brut: brut.to_vec(),
    }
}
