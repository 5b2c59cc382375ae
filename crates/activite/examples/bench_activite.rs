//! Benchmark of the activity data path, called by `scripts/bench-activity.sh`:
//!
//! - `import`: one structure imports N sessions from one CSV file (one transaction, the
//!   aggregates kept current);
//! - `tableau`: S structures over the 101 départements import N sessions in all over 2024 and
//!   2025 (one file each), then the national dashboard of 2025 is read 20 times;
//! - `lecture`: the dashboard alone, on a database `tableau` filled before.
//!
//! `bench_activite import|tableau|lecture --base <SQLite file | postgres://…/db> [--sessions N]
//! [--structures S]`. The database is created afresh (a PostgreSQL URL names a database that is
//! dropped and recreated).

use std::sync::Arc;
use std::time::{Duration, Instant};

use activite::SuiviActivite;
use app::{Auteur, Plateforme};
use domain::Acteur;
use domain::identifiants::{CodeDepartement, CodeInsee, GestionnaireId, Rna, Siret, UtilisateurId};
use domain::structures::{Adresse, Gestionnaire, StatutJuridique, TypeActivite};
use referentiel::parametres::Parametres;
use store::Base;
use time::macros::{date, offset};
use time::{Date, OffsetDateTime};

type Erreur = Box<dyn std::error::Error>;

/// The 101 départements.
fn departements() -> Vec<String> {
    let mut d: Vec<String> = (1..=95)
        .filter(|n| *n != 20)
        .map(|n| format!("{n:02}"))
        .collect();
    d.extend(["2A", "2B", "971", "972", "973", "974", "976"].map(String::from));
    d
}

/// A small deterministic generator (xorshift64*).
struct Alea(u64);

impl Alea {
    fn suivant(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn jusqua(&mut self, n: u64) -> u64 {
        self.suivant() % n
    }
}

fn siret(stem: u64) -> Result<Siret, Erreur> {
    let base = format!("{stem:013}");
    (0..10)
        .find_map(|k| Siret::parse(&format!("{base}{k}")).ok())
        .ok_or_else(|| "aucune clé SIRET".into())
}

fn gestionnaire(id: GestionnaireId, i: usize, dep: &str) -> Result<Gestionnaire, Erreur> {
    let commune = if dep.len() == 3 {
        format!("{dep}01")
    } else {
        format!("{dep}001")
    };
    Ok(Gestionnaire {
        id,
        raison_sociale: format!("Structure {i}"),
        siret: siret(4_000_000_000_000 + i as u64)?,
        rna: Some(Rna::parse("W381000001")?),
        statut: StatutJuridique::AssociationLoi1901,
        activite: TypeActivite::Generaliste,
        siege: Adresse {
            voie: "1 rue de la Gare".into(),
            complement: None,
            code_postal: format!("{:0<5}", dep.replace(['A', 'B'], "0")),
            commune: CodeInsee::parse(&commune)?,
        },
        departement_siege: CodeDepartement::parse(dep)?,
        email: None,
        engagements: Default::default(),
        banque: None,
    })
}

/// A CSV file of `n` sessions of one structure over `annees`: families of 1 to 5 sessions a
/// year (a first contact, then accompaniment, a review to finish), mostly in person.
fn fichier(structure: usize, n: usize, annees: &[i32], alea: &mut Alea) -> String {
    const ETAPES: [&str; 3] = ["premier_contact", "accompagnement", "bilan"];
    const MODES: [&str; 3] = ["presentiel", "visio", "telephone"];
    const PRESENCES: [&str; 3] = ["un_parent", "deux_parents", "avec_enfant"];
    const SUJETS: [&str; 5] = [
        "education",
        "scolarite",
        "relation_parent_enfant",
        "comportement",
        "",
    ];
    const ORIENTATIONS: [&str; 6] = ["ccas", "sante", "mediation_familiale", "", "", ""];
    let mut s = String::with_capacity(n * 110);
    s.push_str("identifiant_famille;date;duree_minutes;etape;mode;presence;sujets;orientations\n");
    let mut ecrites = 0;
    let mut famille = 0;
    while ecrites < n {
        famille += 1;
        let annee = annees[famille % annees.len()];
        let seances = (1 + alea.jusqua(5) as usize).min(n - ecrites);
        let mut jour = Date::from_ordinal_date(annee, 1 + alea.jusqua(300) as u16)
            .unwrap_or(date!(2024 - 01 - 01));
        for k in 0..seances {
            let etape = if k == 0 {
                ETAPES[0]
            } else if k + 1 == seances {
                ETAPES[2]
            } else {
                ETAPES[1]
            };
            let mode = MODES[if alea.jusqua(10) < 8 {
                0
            } else {
                1 + alea.jusqua(2) as usize
            }];
            s.push_str(&format!(
                "FAM-{structure}-{famille:07};{:02}/{:02}/{};{};{etape};{mode};{};{};{}\n",
                jour.day(),
                u8::from(jour.month()),
                jour.year(),
                45 + 15 * alea.jusqua(3),
                PRESENCES[alea.jusqua(3) as usize],
                SUJETS[alea.jusqua(5) as usize],
                ORIENTATIONS[alea.jusqua(6) as usize],
            ));
            jour = jour
                .checked_add(time::Duration::days(3 + alea.jusqua(14) as i64))
                .filter(|d| d.year() == annee)
                .unwrap_or(jour);
            ecrites += 1;
        }
    }
    s
}

async fn ouvrir(url: &str) -> Result<Plateforme, Erreur> {
    let base = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let i = url.rfind('/').ok_or("URL PostgreSQL sans base")?;
        let nom = &url[i + 1..];
        let admin = Base::ouvrir_sans_migrer(&format!("{}/postgres", &url[..i])).await?;
        admin
            .executer_direct(&format!("DROP DATABASE IF EXISTS {nom}"))
            .await?;
        admin
            .executer_direct(&format!("CREATE DATABASE {nom}"))
            .await?;
        admin.fermer().await;
        Base::ouvrir(url).await?
    } else {
        for suffixe in ["", "-wal", "-shm", ".tete-audit"] {
            let _ = std::fs::remove_file(format!("{url}{suffixe}"));
        }
        Base::ouvrir(url).await?
    };
    Ok(Plateforme::new(base, Arc::new(Parametres::embarques()?)))
}

async fn structures(p: &Plateforme, n: usize) -> Result<Vec<GestionnaireId>, Erreur> {
    let deps = departements();
    let mut lignes: Vec<Box<dyn FnOnce(GestionnaireId) -> Gestionnaire>> = Vec::new();
    let mut modeles = Vec::new();
    for i in 0..n {
        modeles.push(gestionnaire(GestionnaireId(0), i, &deps[i % deps.len()])?);
    }
    for m in modeles {
        lignes.push(Box::new(move |id| Gestionnaire { id, ..m }));
    }
    Ok(p.importer_gestionnaires(Auteur::Operateur, lignes, quand())
        .await?
        .into_iter()
        .map(|g| g.valeur.id)
        .collect())
}

fn quand() -> OffsetDateTime {
    date!(2026 - 01 - 15).midnight().assume_offset(offset!(+1))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn bench_import(url: &str, sessions: usize) -> Result<(), Erreur> {
    let p = ouvrir(url).await?;
    let g = structures(&p, 1).await?[0];
    let debut = Instant::now();
    let csv = fichier(1, sessions, &[2024], &mut Alea(0x5EED));
    let generation = debut.elapsed();
    let s = SuiviActivite::new(&p);
    let acteur = Acteur::gestionnaire(UtilisateurId(1), [g]);
    let debut = Instant::now();
    let r = s.importer_csv(&acteur, g, csv.as_bytes(), quand()).await?;
    let duree = debut.elapsed();
    let b = s.chiffres_bilan(&acteur, g, 2024).await?;
    println!(
        "import {}: {} sessions ({:.1} MB of CSV, generated in {:.1} s) imported in {:.2} s \
         ({:.0} sessions/s); {} families; report check: {} sessions",
        if url.starts_with("postgres") {
            "postgresql"
        } else {
            "sqlite"
        },
        r.importees,
        csv.len() as f64 / 1e6,
        generation.as_secs_f64(),
        duree.as_secs_f64(),
        r.importees as f64 / duree.as_secs_f64(),
        b.familles_distinctes,
        b.activite.entretiens,
    );
    if r.importees as usize != sessions || b.activite.entretiens as usize != sessions {
        return Err("import incomplet".into());
    }
    let debut = Instant::now();
    let r = s.importer_csv(&acteur, g, csv.as_bytes(), quand()).await?;
    println!(
        "same file again: {} added, recognised in {:.0} ms",
        r.importees,
        ms(debut.elapsed())
    );
    p.base.fermer().await;
    Ok(())
}

async fn bench_tableau(url: &str, sessions: usize, nb_structures: usize) -> Result<(), Erreur> {
    let p = ouvrir(url).await?;
    let ids = structures(&p, nb_structures).await?;
    let s = SuiviActivite::new(&p);
    let mut alea = Alea(0xB0A7);
    let debut = Instant::now();
    let mut total = 0u64;
    for (i, g) in ids.iter().enumerate() {
        let n = sessions / nb_structures + usize::from(i < sessions % nb_structures);
        let csv = fichier(i, n, &[2024, 2025], &mut alea);
        let acteur = Acteur::gestionnaire(UtilisateurId(1), [*g]);
        total += s
            .importer_csv(&acteur, *g, csv.as_bytes(), quand())
            .await?
            .importees;
        if (i + 1) % 100 == 0 {
            eprintln!(
                "  {} structures, {total} sessions, {:.0} s",
                i + 1,
                debut.elapsed().as_secs_f64()
            );
        }
    }
    let remplissage = debut.elapsed();
    println!(
        "fill {}: {total} sessions, {nb_structures} structures, {} départements, in {:.1} s \
         ({:.0} sessions/s)",
        if url.starts_with("postgres") {
            "postgresql"
        } else {
            "sqlite"
        },
        departements().len().min(nb_structures),
        remplissage.as_secs_f64(),
        total as f64 / remplissage.as_secs_f64()
    );
    lire_tableau(&s).await?;
    p.base.fermer().await;
    Ok(())
}

/// The national dashboard of 2025, once cold then 20 times.
async fn lire_tableau(s: &SuiviActivite) -> Result<(), Erreur> {
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let premier = Instant::now();
    let t = s.tableau_de_bord(&cnaf, 2025).await?;
    println!(
        "first dashboard (cold): {:.1} ms; 2025: {} sessions, {} months, {} départements",
        ms(premier.elapsed()),
        t.ensemble.entretiens,
        t.par_mois.len(),
        t.par_departement.len()
    );
    let mut durees = Vec::new();
    for _ in 0..20 {
        let debut = Instant::now();
        let t = s.tableau_de_bord(&cnaf, 2025).await?;
        durees.push(debut.elapsed());
        if t.par_departement.is_empty() {
            return Err("tableau vide".into());
        }
    }
    durees.sort();
    println!(
        "national dashboard 2025, 20 runs: median {:.1} ms, worst {:.1} ms, best {:.1} ms",
        ms((durees[9] + durees[10]) / 2),
        ms(durees[19]),
        ms(durees[0])
    );
    Ok(())
}

/// The dashboard alone, on a database `tableau` filled before.
async fn bench_lecture(url: &str) -> Result<(), Erreur> {
    let p = Plateforme::new(Base::ouvrir(url).await?, Arc::new(Parametres::embarques()?));
    lire_tableau(&SuiviActivite::new(&p)).await?;
    p.base.fermer().await;
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Erreur> {
    let args: Vec<String> = std::env::args().collect();
    let option = |nom: &str| {
        args.iter()
            .position(|a| a == nom)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let base = option("--base").ok_or("--base manquant")?;
    let sessions: usize = option("--sessions").map_or(Ok(1_000_000), |s| s.parse())?;
    let nb_structures: usize = option("--structures").map_or(Ok(1000), |s| s.parse())?;
    match args.get(1).map(String::as_str) {
        Some("import") => bench_import(&base, sessions).await,
        Some("tableau") => bench_tableau(&base, sessions, nb_structures).await,
        Some("lecture") => bench_lecture(&base).await,
        _ => Err(
            "usage : bench_activite import|tableau|lecture --base <base> [--sessions N] \
             [--structures S]"
                .into(),
        ),
    }
}
