//! What the web tests share: demonstration databases on SQLite and on PostgreSQL, a macro that
//! runs a test on each engine, and a few helpers to read a page by its elements rather than by
//! its text.
//!
//! PostgreSQL is reached through `PARENTALITE_TEST_POSTGRES` (scripts/test.sh starts a local
//! server and sets it). Without it the PostgreSQL runs are skipped, unless
//! `PARENTALITE_EXIGER_POSTGRES=1`, as in the test command, where they fail.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;

use app::Plateforme;
use app::demo::OptionsDemo;
use referentiel::parametres::Parametres;
use scraper::{ElementRef, Html, Selector};
use store::Base;
use time::Date;

/// The database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moteur {
    Sqlite,
    Postgres,
}

tokio::task_local! {
    /// The engine of the test being run (set by [`sur_les_deux_moteurs`]).
    static MOTEUR: Moteur;
}

/// The engine of the test being run: the one [`sur_les_deux_moteurs`] chose, SQLite for a
/// plain `#[tokio::test]`.
pub fn moteur() -> Moteur {
    MOTEUR.try_with(|m| *m).unwrap_or(Moteur::Sqlite)
}

/// Runs `test` with `moteur` as the engine of its demonstration databases.
pub async fn avec_moteur<F: std::future::Future<Output = ()>>(moteur: Moteur, test: F) {
    MOTEUR.scope(moteur, test).await;
}

/// Whether the PostgreSQL run of `test` can go ahead (a server is configured); fails when
/// PostgreSQL is required and not configured.
pub fn postgres_disponible(test: &str) -> bool {
    if std::env::var("PARENTALITE_TEST_POSTGRES").is_ok() {
        return true;
    }
    assert!(
        std::env::var("PARENTALITE_EXIGER_POSTGRES").is_err(),
        "PARENTALITE_TEST_POSTGRES manquant alors que PostgreSQL est exigé"
    );
    eprintln!("PostgreSQL non configuré : {test} sauté");
    false
}

/// Turns each listed test (an `async fn` without arguments) into two tests of a module named
/// after it, `sqlite` and `postgres`, each with its engine set for [`moteur`].
macro_rules! sur_les_deux_moteurs {
    ($($test:ident),* $(,)?) => {
        $(
            mod $test {
                #[tokio::test]
                async fn sqlite() {
                    $crate::commun::avec_moteur($crate::commun::Moteur::Sqlite, super::$test())
                        .await;
                }

                #[tokio::test]
                async fn postgres() {
                    if $crate::commun::postgres_disponible(stringify!($test)) {
                        $crate::commun::avec_moteur(
                            $crate::commun::Moteur::Postgres,
                            super::$test(),
                        )
                        .await;
                    }
                }
            }
        )*
    };
}

/// A demonstration database and what the tests need to use it.
pub struct Demo {
    /// Where it is: a SQLite file or a PostgreSQL URL, for `Base::ouvrir`.
    pub url: String,
    pub moteur: Moteur,
    pub mots_de_passe: BTreeMap<String, String>,
    /// The day the demonstration was built for; the tests date what they do from it.
    pub aujourd_hui: Date,
}

impl Demo {
    pub async fn plateforme(&self) -> Plateforme {
        let base = Base::ouvrir(&self.url).await.unwrap();
        Plateforme::new(base, Arc::new(Parametres::embarques().unwrap()))
    }
}

/// An empty database named after `nom` on `moteur`: its URL.
async fn base_vide(moteur: Moteur, nom: &str) -> String {
    match moteur {
        Moteur::Sqlite => essais::chemin_sqlite("web", nom),
        Moteur::Postgres => essais::url_postgres("web", nom)
            .await
            .expect("PostgreSQL requis pour ce moteur"),
    }
}

/// The plain demonstration (nothing added) of the engine under test, built once per engine and
/// per test binary under the name `nom`.
pub fn demo_du_moteur(nom: &'static str) -> &'static Demo {
    static SQLITE: std::sync::OnceLock<Demo> = std::sync::OnceLock::new();
    static POSTGRES: std::sync::OnceLock<Demo> = std::sync::OnceLock::new();
    let m = moteur();
    let une = if m == Moteur::Sqlite {
        &SQLITE
    } else {
        &POSTGRES
    };
    une.get_or_init(|| creer_demo(m, nom, |_, _| Box::pin(async {})))
}

/// A demonstration database on `moteur`, built for today, with `puis` run on it once built
/// (to add activity, for instance). Built on a thread of its own so that a test's runtime can
/// wait for it.
pub fn creer_demo<F>(moteur: Moteur, nom: &'static str, puis: F) -> Demo
where
    F: for<'a> FnOnce(
            &'a Plateforme,
            time::OffsetDateTime,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>
        + Send
        + 'static,
{
    creer_demos(moteur, vec![nom], puis)
        .pop()
        .expect("une démonstration")
}

/// Demonstration databases on `moteur`, one per name, identical: the first is built as
/// [`creer_demo`] does, the others are copies of it (cheaper than building them again).
pub fn creer_demos<F>(moteur: Moteur, noms: Vec<&'static str>, puis: F) -> Vec<Demo>
where
    F: for<'a> FnOnce(
            &'a Plateforme,
            time::OffsetDateTime,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>
        + Send
        + 'static,
{
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            // The web pages stamp what they record with the clock: the demonstration is built
            // for the same day, once, and the tests take their dates from it.
            let maintenant = time::OffsetDateTime::now_utc();
            let url = base_vide(moteur, noms[0]).await;
            let base = Base::ouvrir(&url).await.unwrap();
            let p = Plateforme::new(base.clone(), Arc::new(Parametres::embarques().unwrap()));
            let r = p
                .peupler_demo(OptionsDemo::default(), maintenant.date())
                .await
                .unwrap();
            puis(&p, maintenant).await;
            base.fermer().await;
            let mots_de_passe: BTreeMap<String, String> = r
                .comptes
                .into_iter()
                .map(|c| (c.email, c.mot_de_passe))
                .collect();
            let mut demos = Vec::new();
            for nom in &noms[1..] {
                demos.push(Demo {
                    url: copier(moteur, &url, nom).await,
                    moteur,
                    mots_de_passe: mots_de_passe.clone(),
                    aujourd_hui: maintenant.date(),
                });
            }
            demos.insert(
                0,
                Demo {
                    url,
                    moteur,
                    mots_de_passe,
                    aujourd_hui: maintenant.date(),
                },
            );
            demos
        })
    })
    .join()
    .unwrap()
}

/// A copy named after `nom` of the closed database at `url`: its URL.
async fn copier(moteur: Moteur, url: &str, nom: &str) -> String {
    match moteur {
        Moteur::Sqlite => {
            let copie = base_vide(moteur, nom).await;
            for s in ["", "-wal", "-shm", ".tete-audit"] {
                if std::path::Path::new(&format!("{url}{s}")).exists() {
                    std::fs::copy(format!("{url}{s}"), format!("{copie}{s}")).unwrap();
                }
            }
            copie
        }
        Moteur::Postgres => {
            let serveur = std::env::var("PARENTALITE_TEST_POSTGRES").unwrap();
            let source = url.rsplit('/').next().unwrap();
            let copie = format!(
                "parentalite_web_{}_{}",
                nom.replace('-', "_"),
                std::process::id()
            );
            let admin = Base::ouvrir_sans_migrer(&serveur).await.unwrap();
            admin
                .executer_direct(&format!("DROP DATABASE IF EXISTS {copie}"))
                .await
                .unwrap();
            // The source's last connections may take a moment to end (a pool closing returns
            // them from tasks of its own); none is used any more, so any left is ended.
            let mut essais = 0;
            loop {
                admin
                    .executer_direct(&format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE datname = '{source}' AND pid <> pg_backend_pid()"
                    ))
                    .await
                    .unwrap();
                match admin
                    .executer_direct(&format!("CREATE DATABASE {copie} TEMPLATE {source}"))
                    .await
                {
                    Ok(_) => break,
                    Err(e) => {
                        essais += 1;
                        assert!(essais < 50, "copie de {source} : {e}");
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                }
            }
            admin.fermer().await;
            let i = serveur.rfind('/').expect("URL PostgreSQL sans base");
            format!("{}/{copie}", &serveur[..i])
        }
    }
}

/// A page parsed, to read its elements.
pub struct Page(Html);

impl Page {
    pub fn lire(html: &str) -> Page {
        Page(Html::parse_document(html))
    }

    /// The elements matching a CSS selector.
    pub fn tous(&self, selecteur: &str) -> Vec<ElementRef<'_>> {
        let s = Selector::parse(selecteur).unwrap_or_else(|e| panic!("{selecteur}: {e}"));
        self.0.select(&s).collect()
    }

    /// The first element matching a CSS selector; fails when there is none.
    pub fn un(&self, selecteur: &str) -> ElementRef<'_> {
        self.tous(selecteur)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("aucun élément « {selecteur} » dans\n{}", self.0.html()))
    }

    /// The text of the first element matching a CSS selector, its spaces collapsed.
    pub fn texte(&self, selecteur: &str) -> String {
        texte(self.un(selecteur))
    }

    /// An attribute of the first element matching a CSS selector.
    pub fn attribut(&self, selecteur: &str, nom: &str) -> String {
        self.un(selecteur)
            .value()
            .attr(nom)
            .unwrap_or_else(|| panic!("« {selecteur} » sans attribut {nom}"))
            .to_owned()
    }

    /// The rows of the first table matching a CSS selector, each as the texts of its cells.
    pub fn lignes(&self, selecteur_table: &str) -> Vec<Vec<String>> {
        let ligne = Selector::parse("tr").unwrap();
        let cellule = Selector::parse("th, td").unwrap();
        self.un(selecteur_table)
            .select(&ligne)
            .map(|tr| tr.select(&cellule).map(texte).collect())
            .collect()
    }

    /// The figure of the key-figure card titled exactly `libelle` (its title without its hint).
    pub fn chiffre_de_la_carte(&self, libelle: &str) -> i64 {
        let paragraphe = Selector::parse("p").unwrap();
        let chiffre = Selector::parse("p.chiffre").unwrap();
        let carte = self
            .tous(".carte")
            .into_iter()
            .find(|c| {
                c.select(&paragraphe).next().is_some_and(|titre| {
                    let propre: String = titre
                        .children()
                        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                        .collect();
                    propre.trim() == libelle
                })
            })
            .unwrap_or_else(|| panic!("carte « {libelle} » absente"));
        let valeur = carte
            .select(&chiffre)
            .next()
            .map(texte)
            .unwrap_or_else(|| panic!("carte « {libelle} » sans chiffre"));
        valeur
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .parse()
            .unwrap_or_else(|_| panic!("carte « {libelle} » : « {valeur} »"))
    }

    /// The link whose text is exactly `libelle`: its `href`.
    pub fn lien(&self, libelle: &str) -> String {
        self.tous("a")
            .into_iter()
            .find(|a| texte(*a) == libelle)
            .and_then(|a| a.value().attr("href").map(str::to_owned))
            .unwrap_or_else(|| panic!("aucun lien « {libelle} »"))
    }
}

/// The text of an element, its spaces collapsed.
pub fn texte(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of a PDF as `pdftotext` reads it (Debian's poppler-utils), lines trimmed; `None`
/// where it is not installed, unless `PARENTALITE_EXIGER_PDFTOTEXT=1` (the test command), where
/// the test fails.
pub fn texte_du_pdf(pdf: &[u8]) -> Option<String> {
    let chemin = std::env::temp_dir().join(format!(
        "parentalite-web-pdf-{}-{:?}.pdf",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&chemin, pdf).unwrap();
    let sortie = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&chemin)
        .arg("-")
        .output();
    let _ = std::fs::remove_file(&chemin);
    match sortie {
        Ok(s) => {
            assert!(s.status.success(), "pdftotext a échoué");
            Some(String::from_utf8(s.stdout).unwrap())
        }
        Err(_) => {
            assert!(
                std::env::var("PARENTALITE_EXIGER_PDFTOTEXT").is_err(),
                "pdftotext absent alors qu'il est exigé"
            );
            eprintln!("pdftotext absent (poppler-utils) : texte du PDF non relu");
            None
        }
    }
}
