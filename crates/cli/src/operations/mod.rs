//! Operator commands that work on the database: opening it from `--base`/`DATABASE_URL`, running
//! one async job, and turning its outcome into a message and an exit status.

pub mod echanges;
pub mod paiements;
pub mod sauvegarde;
pub mod serveur;
pub mod utilisateurs;

use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use app::Plateforme;
use store::Base;

/// Where the data and the parameters are.
#[derive(Debug, Clone)]
pub struct Contexte {
    pub base: String,
    pub parametres: Option<PathBuf>,
    /// The audit head file, when not the default one.
    pub tete_audit: Option<PathBuf>,
}

/// What an operation ends with: 0 success; 1 a failure or anomalies found; 2 invalid input.
#[derive(Debug)]
pub enum Issue {
    Succes,
    Echec(String),
    Invalide(String),
}

/// The current time in metropolitan France (the domain reads dates in local time).
pub fn maintenant() -> time::OffsetDateTime {
    heure_de_paris(time::OffsetDateTime::now_utc())
}

/// `instant` with the offset of Paris: +02:00 from the last Sunday of March, 01:00 UTC, to the
/// last Sunday of October, 01:00 UTC; +01:00 otherwise (the EU rule).
pub fn heure_de_paris(instant: time::OffsetDateTime) -> time::OffsetDateTime {
    use time::{Month, UtcOffset, Weekday};
    let instant = instant.to_offset(UtcOffset::UTC);
    let dernier_dimanche = |mois: Month| {
        let mut jour = time::Date::from_calendar_date(instant.year(), mois, 31).ok();
        while let Some(j) = jour {
            if j.weekday() == Weekday::Sunday {
                return j.with_hms(1, 0, 0).ok().map(|d| d.assume_utc());
            }
            jour = j.previous_day();
        }
        None
    };
    let ete = match (
        dernier_dimanche(Month::March),
        dernier_dimanche(Month::October),
    ) {
        (Some(debut), Some(fin)) => instant >= debut && instant < fin,
        _ => false,
    };
    let decalage = if ete { 2 } else { 1 };
    instant.to_offset(UtcOffset::from_hms(decalage, 0, 0).unwrap_or(UtcOffset::UTC))
}

/// Opens the platform and runs `job` on a runtime.
pub fn executer<F, Fut>(contexte: &Contexte, job: F) -> ExitCode
where
    F: FnOnce(Plateforme) -> Fut,
    Fut: Future<Output = Issue>,
{
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("erreur: démarrage impossible: {e}");
            return ExitCode::from(1);
        }
    };
    let issue = runtime.block_on(async {
        let parametres = match crate::calcul::charger_parametres(contexte.parametres.as_deref()) {
            Ok(p) => Arc::new(p),
            Err(m) => return Issue::Invalide(m),
        };
        let base = match Base::ouvrir(&contexte.base).await {
            Ok(b) if contexte.tete_audit.is_some() => {
                b.avec_tete_audit(contexte.tete_audit.clone())
            }
            Ok(b) => b,
            Err(e) => return Issue::Echec(format!("base {}: {e}", masquer(&contexte.base))),
        };
        let p = Plateforme::new(base.clone(), parametres);
        let issue = job(p).await;
        base.fermer().await;
        issue
    });
    match issue {
        Issue::Succes => ExitCode::SUCCESS,
        Issue::Echec(m) => {
            eprintln!("erreur: {m}");
            ExitCode::from(1)
        }
        Issue::Invalide(m) => {
            eprintln!("erreur: {m}");
            ExitCode::from(2)
        }
    }
}

/// A database URL without its password, for messages.
pub fn masquer(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(d), Some(a)) if a > d => {
            let identite = &url[d + 3..a];
            let utilisateur = identite.split(':').next().unwrap_or_default();
            format!("{}{utilisateur}:***{}", &url[..d + 3], &url[a..])
        }
        _ => url.to_owned(),
    }
}

pub async fn migrer(p: Plateforme) -> Issue {
    if let Err(e) = p.base.migrer().await {
        return Issue::Echec(e.to_string());
    }
    println!("base à jour ({:?})", p.base.moteur());
    // A database created before the head file existed gets one, from its current head.
    match store::audit::amorcer_tete(&p.base).await {
        Ok(Some((numero, hash))) => {
            if let Some(chemin) = p.base.tete_audit() {
                println!(
                    "fichier de tête du journal d'audit créé: {} (événement n°{numero}, hash {hash})",
                    chemin.display()
                );
            }
            Issue::Succes
        }
        Ok(None) => Issue::Succes,
        Err(e) => Issue::Echec(e.to_string()),
    }
}

/// `parentalite conservation`: the retention job now, one line per category.
pub async fn conserver(p: Plateforme) -> Issue {
    match p
        .appliquer_conservation(time::OffsetDateTime::now_utc())
        .await
    {
        Ok(passages) => {
            for passage in passages {
                println!("{}", passage.description());
            }
            Issue::Succes
        }
        Err(e) => Issue::Echec(format!("conservation: {e}")),
    }
}

pub async fn verifier(p: Plateforme) -> Issue {
    match store::integrite::verifier_tout(&p.base).await {
        Ok(rapport) => {
            for c in &rapport.constats {
                println!("{c}");
            }
            if rapport.anomalies.is_empty() {
                println!("base intègre: aucune anomalie");
                return Issue::Succes;
            }
            for a in &rapport.anomalies {
                println!("anomalie: {a}");
            }
            Issue::Echec(format!(
                "{} anomalie(s) trouvée(s)",
                rapport.anomalies.len()
            ))
        }
        Err(e) => Issue::Echec(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    #[test]
    fn heure_d_ete_et_d_hiver_a_paris() {
        let hiver = super::heure_de_paris(datetime!(2024-01-15 12:00 UTC));
        assert_eq!(hiver.offset().whole_hours(), 1);
        let ete = super::heure_de_paris(datetime!(2024-07-15 12:00 UTC));
        assert_eq!(ete.offset().whole_hours(), 2);
        // 2024: summer time from 31 March 01:00 UTC to 27 October 01:00 UTC.
        assert_eq!(
            super::heure_de_paris(datetime!(2024-03-31 00:59 UTC))
                .offset()
                .whole_hours(),
            1
        );
        assert_eq!(
            super::heure_de_paris(datetime!(2024-03-31 01:00 UTC))
                .offset()
                .whole_hours(),
            2
        );
        assert_eq!(
            super::heure_de_paris(datetime!(2024-10-27 01:00 UTC))
                .offset()
                .whole_hours(),
            1
        );
        assert_eq!(
            super::masquer("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
    }
}
