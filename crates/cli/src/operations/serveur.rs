//! `parentalite serve`, `parentalite demo` and `parentalite token create|list|revoke`: the web
//! application on an address, a demonstration ready to walk through, and personal API tokens for
//! scripts (created with a lifetime, listed with their state, revoked). `serve` and `demo` offer
//! ProConnect login to public agents when its issuer, client id and secret are given.

use std::net::SocketAddr;
use std::path::PathBuf;

use app::Plateforme;
use app::demo::OptionsDemo;

use super::{Contexte, Issue};

#[derive(Debug, clap::Args)]
pub struct Serve {
    /// Address to listen on (port 0: a free port, printed once listening).
    #[arg(long, env = "PARENTALITE_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Mark cookies Secure (when served behind HTTPS).
    #[arg(long, env = "PARENTALITE_COOKIE_SECURE")]
    cookie_securise: bool,
    /// The SMTP server that sends the outbox's mails, as one URL (smtp://host:port,
    /// smtps://user:password@host, …; see the README). Without it, mails stay queued.
    #[arg(long, env = "PARENTALITE_SMTP")]
    smtp: Option<String>,
    /// Bearer token required to read /metrics; without it, only loopback clients not behind a
    /// proxy may (see docs/exploitation.md).
    #[arg(long, env = "PARENTALITE_METRIQUES_JETON", hide_env_values = true)]
    metriques_jeton: Option<String>,
    #[command(flatten)]
    proconnect: OptionsProConnect,
}

/// ProConnect login for public agents: with the issuer, client id and secret, the login page
/// offers « S’identifier avec ProConnect »; without them, passwords only.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OptionsProConnect {
    /// ProConnect's issuer URL (discovery at ISSUER/.well-known/openid-configuration).
    #[arg(long = "proconnect-issuer", env = "PARENTALITE_PROCONNECT_ISSUER")]
    proconnect_issuer: Option<String>,
    /// The client id ProConnect gave the platform.
    #[arg(
        long = "proconnect-client-id",
        env = "PARENTALITE_PROCONNECT_CLIENT_ID"
    )]
    proconnect_client_id: Option<String>,
    /// The client secret ProConnect gave the platform (prefer the environment variable).
    #[arg(
        long = "proconnect-client-secret",
        env = "PARENTALITE_PROCONNECT_CLIENT_SECRET",
        hide_env_values = true
    )]
    proconnect_client_secret: Option<String>,
    /// The platform's public address, as registered with ProConnect (redirect URI
    /// URL/connexion/proconnect/retour, after logout URL/connexion); default:
    /// PARENTALITE_ADRESSE_PUBLIQUE, else the address listened on.
    #[arg(
        long = "proconnect-url-publique",
        env = "PARENTALITE_PROCONNECT_URL_PUBLIQUE"
    )]
    proconnect_url_publique: Option<String>,
}

impl OptionsProConnect {
    /// The ProConnect client, if configured; `adresse` is the address listened on.
    fn client(
        &self,
        adresse: &str,
    ) -> Result<Option<std::sync::Arc<web::session::proconnect::ProConnect>>, String> {
        let renseigne = |v: &Option<String>| v.clone().filter(|x| !x.trim().is_empty());
        let (issuer, client_id, client_secret) = match (
            renseigne(&self.proconnect_issuer),
            renseigne(&self.proconnect_client_id),
            renseigne(&self.proconnect_client_secret),
        ) {
            (None, None, None) => return Ok(None),
            (Some(i), Some(c), Some(s)) => (i, c, s),
            _ => {
                return Err(
                    "ProConnect : donnez ensemble l’émetteur, l’identifiant et le secret du client (PARENTALITE_PROCONNECT_ISSUER, _CLIENT_ID, _CLIENT_SECRET)"
                        .to_owned(),
                );
            }
        };
        let url_publique = renseigne(&self.proconnect_url_publique)
            .or_else(|| renseigne(&std::env::var("PARENTALITE_ADRESSE_PUBLIQUE").ok()))
            .unwrap_or_else(|| format!("http://{adresse}"));
        let configuration = web::session::proconnect::ConfigurationProConnect {
            issuer: issuer.trim().to_owned(),
            client_id: client_id.trim().to_owned(),
            client_secret: client_secret.trim().to_owned(),
            url_publique: url_publique.trim().to_owned(),
        };
        println!(
            "ProConnect : émetteur {}, adresse de retour {}",
            configuration.issuer,
            configuration.url_retour()
        );
        web::session::proconnect::ProConnect::new(configuration)
            .map(|c| Some(std::sync::Arc::new(c)))
    }
}

#[derive(Debug, clap::Args)]
pub struct Demo {
    /// Address to listen on (port 0: a free port, printed once listening).
    #[arg(long, env = "PARENTALITE_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The demonstration database file (replaced at each start).
    #[arg(long, default_value = "parentalite-demo.sqlite")]
    fichier: PathBuf,
    /// Fill the database and exit without serving.
    #[arg(long)]
    sans_serveur: bool,
    /// Also write every demonstration account, with its password, to this JSON file.
    #[arg(long, value_name = "FICHIER")]
    comptes: Option<PathBuf>,
    /// The SMTP server that sends the outbox's mails (see `serve --smtp`).
    #[arg(long, env = "PARENTALITE_SMTP")]
    smtp: Option<String>,
    #[command(flatten)]
    proconnect: OptionsProConnect,
}

#[derive(Debug, clap::Subcommand)]
pub enum Token {
    /// Create a personal API token for an account; prints it once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "jeton")]
        libelle: String,
        /// Days before it expires (1 to 365).
        #[arg(long, default_value_t = web::session::JETON_DUREE_DEFAUT)]
        jours: i64,
    },
    /// List an account's tokens: identifier, name, creation, state.
    List {
        #[arg(long)]
        email: String,
    },
    /// Revoke one of an account's tokens by its identifier (from `token list`).
    Revoke {
        #[arg(long)]
        email: String,
        #[arg(long)]
        identifiant: String,
    },
}

/// Starts the request log: its level from `PARENTALITE_LOG`, else `RUST_LOG` (the `tracing`
/// filter syntax: `warn`, `info,sqlx=warn`…), else `info`; on the standard error.
fn journaliser() {
    use tracing_subscriber::EnvFilter;
    let filtre = std::env::var("PARENTALITE_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info".to_owned());
    let filtre = EnvFilter::try_new(&filtre).unwrap_or_else(|e| {
        eprintln!("PARENTALITE_LOG « {filtre} » illisible ({e}): niveau info");
        EnvFilter::new("info")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filtre)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// Starts the outbox's sender in the background when `url` names an SMTP server.
fn demarrer_courrier(p: &Plateforme, url: Option<&str>) -> Result<(), String> {
    let Some(url) = url.filter(|u| !u.trim().is_empty()) else {
        println!(
            "Courriels : PARENTALITE_SMTP absent, ils restent en file (page « Courriels envoyés »)"
        );
        return Ok(());
    };
    let configuration =
        courrier::Configuration::depuis_url(url.trim()).map_err(|e| e.to_string())?;
    let expediteur =
        courrier::Expediteur::new(p.base.clone(), configuration).map_err(|e| e.to_string())?;
    println!("Courriels envoyés par {}", courrier::masquer(url.trim()));
    tokio::spawn(expediteur.tourner());
    Ok(())
}

/// Every quarter of an hour, queues the reminders of the séances starting within two days to the
/// members who have not answered (once per member and version of the séance), with their links
/// on `adresse` (`PARENTALITE_ADRESSE_PUBLIQUE`, else the address listened on).
fn rappeler_les_seances(p: Plateforme, adresse: String) {
    tokio::spawn(async move {
        let mut minuteur = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
        loop {
            minuteur.tick().await;
            if let Err(e) = p
                .envoyer_rappels_de_seance(
                    time::Duration::days(2),
                    &adresse,
                    time::OffsetDateTime::now_utc(),
                )
                .await
            {
                eprintln!("rappels des séances : {e}");
            }
        }
    });
}

/// Every hour, deletes the parents' contact requests whose retention period has ended (their
/// content and contact details; the content-free trace stays for counts), one audit event each.
fn purger_les_demandes_de_contact(p: Plateforme) {
    tokio::spawn(async move {
        let mut minuteur = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            minuteur.tick().await;
            if let Err(e) = p
                .purger_demandes_contact(time::OffsetDateTime::now_utc())
                .await
            {
                eprintln!("suppression des demandes de contact échues : {e}");
            }
            // The questionnaires' rate limit keeps client addresses for an hour only.
            if let Err(e) = p
                .oublier_envois_questionnaires(time::OffsetDateTime::now_utc())
                .await
            {
                eprintln!("oubli des adresses des réponses aux questionnaires : {e}");
            }
        }
    });
}

/// Once a day (the first time at start), erases the personal data past its retention period
/// (`parameters/conservation/`), one audit line per category.
fn appliquer_la_conservation(p: Plateforme) {
    tokio::spawn(async move {
        let mut minuteur = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
        loop {
            minuteur.tick().await;
            match p
                .appliquer_conservation(time::OffsetDateTime::now_utc())
                .await
            {
                Ok(passages) => {
                    for passage in passages.iter().filter(|p| p.effaces > 0) {
                        println!("{}", passage.description());
                    }
                }
                Err(e) => eprintln!("conservation des données : {e}"),
            }
        }
    });
}

pub async fn servir(p: Plateforme, s: Serve) -> Issue {
    journaliser();
    web::mesures::fixer_jeton(s.metriques_jeton.as_deref());
    if let Err(e) = demarrer_courrier(&p, s.smtp.as_deref()) {
        return Issue::Invalide(format!("--smtp: {e}"));
    }
    // Listen first, then say where: the line gives the address really bound (the port the
    // system chose for port 0), and is only printed once requests can be answered there.
    let ecoute = match web::ecouter(s.addr).await {
        Ok(e) => e,
        Err(e) => return Issue::Echec(format!("{}: {e}", s.addr)),
    };
    let adresse = ecoute.local_addr().unwrap_or(s.addr);
    let proconnect = match s.proconnect.client(&adresse.to_string()) {
        Ok(c) => c,
        Err(e) => return Issue::Invalide(e),
    };
    println!("Parentalité sur http://{adresse}");
    rappeler_les_seances(
        p.clone(),
        std::env::var("PARENTALITE_ADRESSE_PUBLIQUE")
            .ok()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| format!("http://{adresse}")),
    );
    purger_les_demandes_de_contact(p.clone());
    appliquer_la_conservation(p.clone());
    let etat = web::Etat {
        plateforme: p,
        cookie_securise: s.cookie_securise,
    };
    match web::servir_avec(etat, proconnect, ecoute).await {
        Ok(()) => Issue::Succes,
        Err(e) => Issue::Echec(format!("{adresse}: {e}")),
    }
}

pub async fn jeton(p: Plateforme, t: Token) -> Issue {
    let email = match &t {
        Token::Create { email, .. } | Token::List { email } | Token::Revoke { email, .. } => {
            email.clone()
        }
    };
    let utilisateur = match p.utilisateur_par_email(&email).await {
        Ok(Some((u, _))) => u,
        Ok(None) => return Issue::Invalide(format!("--email: aucun compte actif « {email} »")),
        Err(e) => return Issue::Echec(e.to_string()),
    };
    let id = utilisateur.id.0;
    match t {
        Token::Create { libelle, jours, .. } => {
            if !(1..=web::session::JETON_DUREE_MAX).contains(&jours) {
                return Issue::Invalide(format!(
                    "--jours: de 1 à {} (reçu {jours})",
                    web::session::JETON_DUREE_MAX
                ));
            }
            match web::session::creer_jeton(&p, id, &libelle, jours).await {
                Ok(j) => {
                    println!("{j}");
                    Issue::Succes
                }
                Err(e) => Issue::Echec(e.to_string()),
            }
        }
        Token::List { .. } => match web::session::jetons(&p, id).await {
            Ok(jetons) => {
                let maintenant = web::session::instant();
                for j in jetons {
                    let etat = match j.revoque_le {
                        Some(r) => format!("révoqué {}", horodatage(r)),
                        None if j.expire_le <= maintenant => {
                            format!("expiré {}", horodatage(j.expire_le))
                        }
                        None => format!("valable jusqu'au {}", horodatage(j.expire_le)),
                    };
                    println!(
                        "{}\t{}\tcréé {}\t{etat}",
                        j.identifiant,
                        j.libelle,
                        horodatage(j.cree_le)
                    );
                }
                Issue::Succes
            }
            Err(e) => Issue::Echec(e.to_string()),
        },
        Token::Revoke { identifiant, .. } => {
            match web::session::revoquer_jeton(&p, id, &identifiant).await {
                Ok(true) => {
                    println!("jeton {identifiant} révoqué");
                    Issue::Succes
                }
                Ok(false) => Issue::Invalide(format!(
                    "--identifiant: aucun jeton en vigueur « {identifiant} » pour {email}"
                )),
                Err(e) => Issue::Echec(e.to_string()),
            }
        }
    }
}

/// Unix seconds as an RFC 3339 instant (UTC).
fn horodatage(secondes: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secondes)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| secondes.to_string())
}

pub fn demo(contexte: &Contexte, d: Demo) -> std::process::ExitCode {
    // A fresh database: its audit head file starts afresh too.
    for suffixe in ["", "-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{suffixe}", d.fichier.display()));
    }
    let contexte = Contexte {
        base: d.fichier.display().to_string(),
        parametres: contexte.parametres.clone(),
        tete_audit: None,
    };
    super::executer(&contexte, |p| async move {
        println!(
            "Création de la base de démonstration {}…",
            d.fichier.display()
        );
        // The day the demonstration is built for: its open call is dated from it.
        let maintenant = time::OffsetDateTime::now_utc();
        let resume = match p
            .peupler_demo(OptionsDemo::default(), maintenant.date())
            .await
        {
            Ok(r) => r,
            Err(e) => return Issue::Echec(format!("démonstration: {e}")),
        };
        let activite = match activite::SuiviActivite::new(&p)
            .peupler_demo(&p, 2024, maintenant)
            .await
        {
            Ok(r) => r,
            Err(e) => return Issue::Echec(format!("démonstration, activité: {e}")),
        };
        println!(
            "{} gestionnaires, {} dossiers, {} conventions, {} paiements, {} entretiens.\n",
            resume.gestionnaires,
            resume.dossiers,
            resume.conventions,
            resume.paiements,
            activite.entretiens
        );
        println!(
            "Comptes de démonstration (un par rôle; d'autres dans la base, même forme d'adresse):"
        );
        let mut vus = std::collections::BTreeSet::new();
        for c in &resume.comptes {
            if vus.insert(c.role.code()) {
                println!(
                    "  {:<13} {:<42} mot de passe: {}   ({})",
                    c.role.code(),
                    c.email,
                    c.mot_de_passe,
                    c.description
                );
            }
        }
        for c in resume
            .comptes
            .iter()
            .filter(|c| c.email.starts_with("agent.") || c.email.starts_with("financeur."))
            .skip(2)
            .take(4)
            .chain(
                resume
                    .comptes
                    .iter()
                    .filter(|c| c.email == "gestionnaire.38.9@demo.parentalite.fr"),
            )
        {
            println!(
                "  {:<13} {:<42} mot de passe: {}",
                c.role.code(),
                c.email,
                c.mot_de_passe
            );
        }
        println!();
        if let Some(f) = &d.comptes {
            let liste: Vec<serde_json::Value> = resume
                .comptes
                .iter()
                .map(|c| serde_json::json!({ "email": c.email, "role": c.role.code(), "mot_de_passe": c.mot_de_passe }))
                .collect();
            if let Err(e) = std::fs::write(f, serde_json::Value::from(liste).to_string()) {
                return Issue::Echec(format!("{}: {e}", f.display()));
            }
        }
        if d.sans_serveur {
            return Issue::Succes;
        }
        servir(
            p,
            Serve {
                addr: d.addr,
                cookie_securise: false,
                smtp: d.smtp,
                proconnect: d.proconnect,
                metriques_jeton: std::env::var("PARENTALITE_METRIQUES_JETON").ok(),
            },
        )
        .await
    })
}
