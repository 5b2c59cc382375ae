//! The aggregate tables against a recount: after imports with duplicates within a file (refused)
//! and across files (stored once), the same file twice, single entries and several years, every
//! aggregate table — by structure and by département — holds exactly what a recount made
//! directly from the stored sessions gives; and again after the database is taken back to its form
//! before migration 0006 and migrated anew. Run on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod commun;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use activite::nomenclature::Modalite;
use activite::{Ensemble, Etape, IdentifiantFamille, Mode, Orientation, Presence, Sujet};
use app::Plateforme;
use commun::{empreinte_base, le, saisie, structures, suivi};
use domain::Acteur;
use domain::identifiants::{GestionnaireId, UtilisateurId};
use store::Moteur;
use time::Date;
use time::macros::date;

const ENTETE: &str = "identifiant_famille;date;duree_minutes;etape;mode;presence;sujets;orientations;motif_exception";

/// A small deterministic generator (xorshift64*).
struct Alea(u64);

impl Alea {
    fn jusqua(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// Writes files of sessions whose 6th and later sessions of a family in a year (counting those
/// already imported first, then the file's in date order) carry a reason, as the rule asks.
struct Generateur {
    alea: Alea,
    /// Days already used by each family-year (no two sessions of a family on one day).
    jours: HashMap<(String, i32), BTreeSet<Date>>,
    /// Sessions imported (or about to be) of each family-year.
    stockees: HashMap<(String, i32), usize>,
}

impl Generateur {
    /// `seances` new sessions of `famille` in `annee`, as lines in date order.
    fn seances(&mut self, famille: &str, annee: i32, seances: usize) -> Vec<String> {
        const ETAPES: [&str; 3] = ["premier_contact", "accompagnement", "bilan"];
        const MODES: [&str; 3] = ["presentiel", "visio", "telephone"];
        const PRESENCES: [&str; 3] = ["un_parent", "deux_parents", "avec_enfant"];
        const SUJETS: [&str; 5] = ["education", "scolarite", "education,comportement", "", ""];
        const ORIENTATIONS: [&str; 4] = ["ccas", "sante|mediation_familiale", "", ""];
        let cle = (famille.to_owned(), annee);
        let jours = self.jours.entry(cle.clone()).or_default();
        let mut nouveaux = BTreeSet::new();
        while nouveaux.len() < seances {
            let jour = Date::from_ordinal_date(annee, 1 + self.alea.jusqua(360) as u16).unwrap();
            if !jours.contains(&jour) && nouveaux.insert(jour) {
                jours.insert(jour);
            }
        }
        let deja = self.stockees.entry(cle).or_default();
        let mut lignes = Vec::new();
        for jour in nouveaux {
            *deja += 1;
            lignes.push(format!(
                "{famille};{:02}/{:02}/{};{};{};{};{};{};{};{}",
                jour.day(),
                u8::from(jour.month()),
                jour.year(),
                30 + 15 * self.alea.jusqua(4),
                ETAPES[self.alea.jusqua(3) as usize],
                MODES[self.alea.jusqua(3) as usize],
                PRESENCES[self.alea.jusqua(3) as usize],
                SUJETS[self.alea.jusqua(5) as usize],
                ORIENTATIONS[self.alea.jusqua(4) as usize],
                if *deja > 5 {
                    "situation complexe, suivi rapproché"
                } else {
                    ""
                },
            ));
        }
        lignes
    }

    /// Sessions of families `familles` over both years, 1 to 4 new ones each per year.
    fn lignes(&mut self, prefixe: &str, familles: std::ops::Range<usize>) -> Vec<String> {
        let mut lignes = Vec::new();
        for f in familles {
            for annee in [2024, 2025] {
                if self.alea.jusqua(4) == 0 {
                    continue;
                }
                let n = 1 + self.alea.jusqua(4) as usize;
                lignes.extend(self.seances(&format!("{prefixe}-{f}"), annee, n));
            }
        }
        lignes
    }
}

fn fichier(lignes: &[String]) -> String {
    format!("{ENTETE}\n{}\n", lignes.join("\n"))
}

/// A table's rows: key columns as text, then value columns as text.
type Table = BTreeMap<Vec<String>, Vec<String>>;

/// Reads a table (rows whose values are all zero left out: a count that went back to zero).
async fn lire_table(p: &Plateforme, table: &str, cles: &[&str], valeurs: &[&str]) -> Table {
    let mut tx = p.base.debuter().await.unwrap();
    let colonnes: Vec<String> = cles
        .iter()
        .chain(valeurs)
        .enumerate()
        .map(|(i, c)| format!("CAST({c} AS TEXT) AS c{i}"))
        .collect();
    let sql = format!("SELECT {} FROM {table}", colonnes.join(", "));
    let mut sortie = Table::new();
    for l in tx.lignes(&sql, &[]).await.unwrap() {
        let v: Vec<String> = (0..cles.len() + valeurs.len())
            .map(|i| l.texte_opt(&format!("c{i}")).unwrap().unwrap_or_default())
            .collect();
        let (k, v) = v.split_at(cles.len());
        if v.iter().all(|x| x == "0") {
            continue;
        }
        assert!(sortie.insert(k.to_vec(), v.to_vec()).is_none());
    }
    sortie
}

/// A stored session, as the recount needs it.
struct Stockee {
    gestionnaire: i64,
    departement: String,
    famille: String,
    date: Date,
    duree: i64,
    etape: Etape,
    mode: Mode,
    presence: Presence,
    sujets: i64,
    orientations: i64,
    exception: bool,
}

/// What each aggregate table should hold, recounted from the sessions: by structure, and the
/// same summed by département (the structure column dropped).
struct Recompte {
    mois: Table,
    rubriques: Table,
    familles: Table,
    familles_mois: Table,
    repartition: Table,
}

fn ajouter(t: &mut Table, cle: Vec<String>, valeurs: &[i64]) {
    let e = t
        .entry(cle)
        .or_insert_with(|| vec!["0".to_owned(); valeurs.len()]);
    for (s, v) in e.iter_mut().zip(valeurs) {
        *s = (s.parse::<i64>().unwrap() + v).to_string();
    }
}

/// The département version of a structure table: the structure column (last of the key)
/// dropped and the values summed.
fn par_departement(t: &Table) -> Table {
    let mut sortie = Table::new();
    for (k, v) in t {
        let valeurs: Vec<i64> = v.iter().map(|x| x.parse().unwrap()).collect();
        ajouter(&mut sortie, k[..k.len() - 1].to_vec(), &valeurs);
    }
    sortie.retain(|_, v| v.iter().any(|x| x != "0"));
    sortie
}

fn recompter(seances: &[Stockee]) -> Recompte {
    let t = |v: i64| v.to_string();
    let mut mois = Table::new();
    let mut rubriques = Table::new();
    // Per family-year: sessions, first date, first « premier contact », last follow-up.
    type Etat = (i64, Date, Option<Date>, Option<Date>);
    let mut etats: BTreeMap<(i64, String, i32, String), Etat> = BTreeMap::new();
    for s in seances {
        let (annee, m) = (s.date.year(), i64::from(u8::from(s.date.month())));
        let base = |suite: &[String]| -> Vec<String> {
            let mut k = vec![t(i64::from(annee)), s.departement.clone()];
            k.extend_from_slice(suite);
            k.push(t(s.gestionnaire));
            k
        };
        ajouter(
            &mut mois,
            base(&[t(m), s.etape.code().into(), s.mode.code().into()]),
            &[
                1,
                s.duree,
                i64::from(s.orientations != 0),
                i64::from(s.exception),
            ],
        );
        let mut codes = vec![(Presence::RUBRIQUE, s.presence.code())];
        codes.extend(
            Ensemble::<Sujet>::depuis_bits(s.sujets)
                .valeurs()
                .map(|v| (Sujet::RUBRIQUE, v.code())),
        );
        codes.extend(
            Ensemble::<Orientation>::depuis_bits(s.orientations)
                .valeurs()
                .map(|v| (Orientation::RUBRIQUE, v.code())),
        );
        for (rubrique, code) in codes {
            ajouter(
                &mut rubriques,
                base(&[rubrique.into(), code.into(), t(m)]),
                &[1],
            );
        }
        let e = etats
            .entry((
                s.gestionnaire,
                s.departement.clone(),
                annee,
                s.famille.clone(),
            ))
            .or_insert((0, s.date, None, None));
        e.0 += 1;
        e.1 = e.1.min(s.date);
        match s.etape {
            Etape::PremierContact => e.2 = Some(e.2.map_or(s.date, |d| d.min(s.date))),
            _ => e.3 = Some(e.3.map_or(s.date, |d| d.max(s.date))),
        }
    }
    let mut familles = Table::new();
    let mut familles_mois = Table::new();
    let mut repartition = Table::new();
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    for ((g, dep, annee, famille), (n, premiere, contact, suivi)) in etats {
        familles.insert(
            vec![t(g), t(i64::from(annee)), famille],
            vec![t(n), premiere.to_string(), date(contact), date(suivi)],
        );
        let cle = |m: Date| {
            vec![
                t(i64::from(annee)),
                dep.clone(),
                t(i64::from(u8::from(m.month()))),
                t(g),
            ]
        };
        ajouter(&mut familles_mois, cle(premiere), &[1, 0, 0]);
        if let Some(c) = contact {
            let suivie = suivi.is_some_and(|s| s >= c);
            ajouter(&mut familles_mois, cle(c), &[0, 1, i64::from(suivie)]);
        }
        ajouter(
            &mut repartition,
            vec![t(i64::from(annee)), dep.clone(), t(n), t(g)],
            &[1],
        );
    }
    Recompte {
        mois,
        rubriques,
        familles,
        familles_mois,
        repartition,
    }
}

async fn sessions_stockees(p: &Plateforme) -> Vec<Stockee> {
    let mut tx = p.base.debuter().await.unwrap();
    let lignes = tx
        .lignes(
            "SELECT gestionnaire_id, departement, famille, date_entretien, duree_minutes, etape, \
             mode, presence, sujets, orientations, motif_exception FROM activite_entretiens",
            &[],
        )
        .await
        .unwrap();
    lignes
        .iter()
        .map(|l| Stockee {
            gestionnaire: l.entier("gestionnaire_id").unwrap(),
            departement: l.texte("departement").unwrap(),
            famille: l.texte("famille").unwrap(),
            date: l.date("date_entretien").unwrap(),
            duree: l.entier("duree_minutes").unwrap(),
            etape: Etape::depuis_texte(&l.texte("etape").unwrap()).unwrap(),
            mode: Mode::depuis_texte(&l.texte("mode").unwrap()).unwrap(),
            presence: Presence::depuis_texte(&l.texte("presence").unwrap()).unwrap(),
            sujets: l.entier("sujets").unwrap(),
            orientations: l.entier("orientations").unwrap(),
            // The files of this test give a reason exactly to the sessions beyond the 5th.
            exception: l.texte_opt("motif_exception").unwrap().is_some(),
        })
        .collect()
}

async fn recomptage(p: Plateforme, _fichier: Option<String>) {
    let s = suivi(&p);
    let ids = structures(&p, &[("A", "38"), ("B", "38"), ("C", "30")]).await;
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    let acteur = |g: GestionnaireId| Acteur::intervenant(UtilisateurId(10), [g]);
    let quand = le(date!(2025 - 12 - 31));
    let mut generateur = Generateur {
        alea: Alea(0x5EED_CAFE),
        jours: HashMap::new(),
        stockees: HashMap::new(),
    };

    // A, first file: 80 families over two years, some beyond 5 sessions with their reason.
    let mut premier = generateur.lignes("A", 0..80);
    premier.extend(generateur.seances("A-900", 2024, 7));
    // The same session twice in the file: refused as a whole, nothing written.
    let avant = empreinte_base(&p).await;
    let mut double = premier.clone();
    double.insert(10, premier[3].clone());
    let e = s
        .importer_csv(&acteur(a), a, fichier(&double).as_bytes(), quand)
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("même entretien que la ligne 5"),
        "{e}"
    );
    assert_eq!(empreinte_base(&p).await, avant);
    let r = s
        .importer_csv(&acteur(a), a, fichier(&premier).as_bytes(), quand)
        .await
        .unwrap();
    assert_eq!((r.importees, r.deja_presentes), (premier.len() as u64, 0));

    // A, second file: a third of the first again, more sessions for the same families (some
    // past the 5th), new families.
    let repris: Vec<String> = premier.iter().step_by(3).cloned().collect();
    let mut second = generateur.lignes("A", 40..120);
    second.extend(generateur.seances("A-900", 2024, 3));
    second.extend(repris.iter().cloned());
    let r = s
        .importer_csv(&acteur(a), a, fichier(&second).as_bytes(), quand)
        .await
        .unwrap();
    assert_eq!(r.deja_presentes, repris.len() as u64);
    assert_eq!(r.importees, (second.len() - repris.len()) as u64);
    // The same file again: recognised, nothing added.
    let avant = empreinte_base(&p).await;
    let r = s
        .importer_csv(&acteur(a), a, fichier(&second).as_bytes(), quand)
        .await
        .unwrap();
    assert!(r.deja_importe);
    assert_eq!(empreinte_base(&p).await, avant);
    // A third file, other bytes, every session already there but one.
    let mut troisieme = vec![premier[0].clone(), second[1].clone()];
    troisieme.extend(generateur.seances("A-7", 2025, 1));
    let r = s
        .importer_csv(&acteur(a), a, fichier(&troisieme).as_bytes(), quand)
        .await
        .unwrap();
    assert_eq!((r.importees, r.deja_presentes), (1, 2));

    // B, same département: single entries (one twice), then a file.
    for (famille, jour, etape) in [
        ("B-S1", date!(2024 - 02 - 01), Etape::PremierContact),
        ("B-S1", date!(2024 - 03 - 01), Etape::Accompagnement),
        ("B-S2", date!(2025 - 06 - 01), Etape::Bilan),
        ("B-S2", date!(2025 - 01 - 10), Etape::PremierContact),
    ] {
        let e = s
            .enregistrer(
                &acteur(b),
                saisie(b, famille, jour, etape, Mode::Presentiel),
                quand,
            )
            .await
            .unwrap();
        assert!(e.nouveau);
    }
    let encore = s
        .enregistrer(
            &acteur(b),
            saisie(
                b,
                "B-S1",
                date!(2024 - 03 - 01),
                Etape::Accompagnement,
                Mode::Presentiel,
            ),
            quand,
        )
        .await
        .unwrap();
    assert!(!encore.nouveau);
    let lignes_b = generateur.lignes("B", 0..30);
    s.importer_csv(&acteur(b), b, fichier(&lignes_b).as_bytes(), quand)
        .await
        .unwrap();

    // C, another département.
    let lignes_c = generateur.lignes("C", 0..50);
    s.importer_csv(&acteur(c), c, fichier(&lignes_c).as_bytes(), quand)
        .await
        .unwrap();
    // A first entry of the day after the file, for a family of the file: its state moves.
    let famille_c = IdentifiantFamille::new("C-3").unwrap();
    let avant_c = s
        .seances_de_la_famille(&acteur(c), c, &famille_c, 2025)
        .await
        .unwrap();
    if avant_c < 5 {
        s.enregistrer(
            &acteur(c),
            saisie(
                c,
                "C-3",
                date!(2025 - 12 - 20),
                Etape::Accompagnement,
                Mode::Visio,
            ),
            quand,
        )
        .await
        .unwrap();
    }

    verifier(&p).await;

    // A database made before the département tables: taken back to its form after migration
    // 0005, then migrated again. Migration 0006 fills the département tables from the structure
    // tables and moves the natural key's constraint, so every figure is the same after, and a
    // session entered again is still stored once.
    retrograder_avant_0006(&p).await;
    p.base.migrer().await.unwrap();
    verifier(&p).await;
    let encore = s
        .enregistrer(
            &acteur(b),
            saisie(
                b,
                "B-S1",
                date!(2024 - 03 - 01),
                Etape::Accompagnement,
                Mode::Presentiel,
            ),
            quand,
        )
        .await
        .unwrap();
    assert!(!encore.nouveau);
    let nouveau = s
        .enregistrer(
            &acteur(b),
            saisie(
                b,
                "B-S9",
                date!(2025 - 11 - 03),
                Etape::PremierContact,
                Mode::Presentiel,
            ),
            quand,
        )
        .await
        .unwrap();
    assert!(nouveau.nouveau);
    verifier(&p).await;
}

/// Every aggregate table, by structure and by département, against a recount of the sessions.
async fn verifier(p: &Plateforme) {
    let seances = sessions_stockees(p).await;
    assert!(seances.len() > 400, "{}", seances.len());
    let r = recompter(&seances);
    let mois_cles = ["exercice", "departement", "mois", "etape", "mode"];
    let mois_valeurs = [
        "entretiens",
        "minutes",
        "entretiens_orientes",
        "entretiens_exception",
    ];
    let rubriques_cles = ["exercice", "departement", "rubrique", "code", "mois"];
    let familles_mois_cles = ["exercice", "departement", "mois"];
    let familles_mois_valeurs = [
        "familles_nouvelles",
        "premiers_contacts",
        "premiers_contacts_suivis",
    ];
    let repartition_cles = ["exercice", "departement", "seances"];
    let avec_structure = |cles: &[&'static str]| -> Vec<&'static str> {
        cles.iter().copied().chain(["gestionnaire_id"]).collect()
    };
    for (table, cles, valeurs, attendu) in [
        ("activite_mois", &mois_cles[..], &mois_valeurs[..], &r.mois),
        (
            "activite_rubriques_mois",
            &rubriques_cles[..],
            &["entretiens"][..],
            &r.rubriques,
        ),
        (
            "activite_familles_mois",
            &familles_mois_cles[..],
            &familles_mois_valeurs[..],
            &r.familles_mois,
        ),
        (
            "activite_familles_repartition",
            &repartition_cles[..],
            &["familles"][..],
            &r.repartition,
        ),
    ] {
        let lu = lire_table(p, table, &avec_structure(cles), valeurs).await;
        assert_eq!(&lu, attendu, "{table}");
        let lu = lire_table(p, &format!("{table}_departement"), cles, valeurs).await;
        assert_eq!(lu, par_departement(attendu), "{table}_departement");
    }
    let lu = lire_table(
        p,
        "activite_familles",
        &["gestionnaire_id", "exercice", "famille"],
        &[
            "entretiens",
            "premiere_date",
            "premier_contact",
            "dernier_suivi",
        ],
    )
    .await;
    assert_eq!(lu, r.familles, "activite_familles");
    // Sessions beyond the 5th were there to count.
    assert!(r.mois.values().any(|v| v[3] != "0"));
}

/// Takes the database back to what migration 0005 left: no département tables, the natural key
/// unique alone, and migration 0006 not recorded.
async fn retrograder_avant_0006(p: &Plateforme) {
    let mut tx = p.base.debuter().await.unwrap();
    for table in [
        "activite_mois",
        "activite_rubriques_mois",
        "activite_familles_mois",
        "activite_familles_repartition",
    ] {
        tx.executer(&format!("DROP TABLE {table}_departement"), &[])
            .await
            .unwrap();
    }
    match p.base.moteur() {
        Moteur::Postgres => {
            tx.executer(
                "ALTER TABLE activite_entretiens DROP CONSTRAINT activite_entretiens_structure_cle, \
                 ADD CONSTRAINT activite_entretiens_cle_key UNIQUE (cle)",
                &[],
            )
            .await
            .unwrap();
        }
        Moteur::Sqlite => {
            // The table as 0005 created it, rebuilt with its rows and ids.
            let migration = include_str!("../../store/migrations/sqlite/0005_activite.sql");
            let debut = migration
                .find("CREATE TABLE activite_entretiens (")
                .unwrap();
            let fin = debut + migration[debut..].find(");").unwrap() + 2;
            let creation = migration[debut..fin].replace(
                "CREATE TABLE activite_entretiens (",
                "CREATE TABLE activite_entretiens_0005 (",
            );
            assert!(creation.contains("cle TEXT NOT NULL UNIQUE"), "{creation}");
            for sql in [
                creation.as_str(),
                "INSERT INTO activite_entretiens_0005 SELECT * FROM activite_entretiens",
                "DROP TABLE activite_entretiens",
                "ALTER TABLE activite_entretiens_0005 RENAME TO activite_entretiens",
                "CREATE INDEX activite_entretiens_structure \
                 ON activite_entretiens (gestionnaire_id, date_entretien)",
            ] {
                tx.executer(sql, &[]).await.unwrap();
            }
        }
    }
    tx.executer("DELETE FROM _sqlx_migrations WHERE version = 6", &[])
        .await
        .unwrap();
    tx.valider().await.unwrap();
}

sur_les_deux_bases!(recomptage);
