//! The aggregate tables of the activity, kept current by every insert: additive counts per
//! month by structure and the same summed by département, each row written once per batch of
//! deltas; and the figures read back for one structure (its families of a year, its pace by
//! month).

use crate::activite::lots::Insertion;
use crate::connexion::{Genre, Tx, Valeur};
use crate::erreur::ErreurStore;

/// Key of a monthly count: year, month, step code, mode code.
pub type CleMois<'a> = (i32, u8, &'a str, &'a str);
/// Key of a monthly count by attendance, subject or orientation: year, rubrique, code, month.
pub type CleRubrique<'a> = (i32, &'a str, &'a str, u8);

/// Additive deltas of one structure's monthly tables, in the order to write them (sorted, so
/// that concurrent transactions touch shared rows in the same order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeltasAdditifs<'a> {
    /// Sessions, minutes, oriented sessions, exceptions by (year, month, step, mode).
    pub mois: Vec<(CleMois<'a>, [i64; 4])>,
    /// Sessions by (year, rubrique, code, month).
    pub rubriques: Vec<(CleRubrique<'a>, i64)>,
    /// New families, first contacts, followed-up first contacts by (year, month).
    pub familles_mois: Vec<((i32, u8), [i64; 3])>,
    /// Families by (year, number of sessions).
    pub repartition: Vec<((i32, i64), i64)>,
}

/// An additive aggregate, kept by structure and by département: its key columns (without the
/// structure), then its count columns.
struct Additif<'a> {
    table: &'a str,
    cles: &'a [(&'a str, Genre)],
    valeurs: &'a [&'a str],
}

impl Additif<'_> {
    /// Adds `lignes` (each: the key, then the counts; the département included in the key) to
    /// the structure's rows and to the département's.
    async fn ajouter(
        &self,
        tx: &mut Tx,
        gestionnaire: i64,
        lignes: &[Vec<Valeur>],
    ) -> Result<(), ErreurStore> {
        if lignes.is_empty() {
            return Ok(());
        }
        let mise_a_jour = |table: &str| -> String {
            self.valeurs
                .iter()
                .map(|v| format!("{v} = {table}.{v} + excluded.{v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let noms_cles: Vec<&str> = self.cles.iter().map(|(n, _)| *n).collect();
        let valeurs: Vec<(&str, Genre)> =
            self.valeurs.iter().map(|v| (*v, Genre::Entier)).collect();

        // By structure: the key, the structure, the counts.
        let colonnes: Vec<(&str, Genre)> = self
            .cles
            .iter()
            .copied()
            .chain([("gestionnaire_id", Genre::Entier)])
            .chain(valeurs.iter().copied())
            .collect();
        let suite = format!(
            "ON CONFLICT ({}, gestionnaire_id) DO UPDATE SET {}",
            noms_cles.join(", "),
            mise_a_jour(self.table)
        );
        let mut p = Vec::with_capacity(lignes.len() * colonnes.len());
        for l in lignes {
            p.extend(l[..self.cles.len()].iter().cloned());
            p.push(Valeur::Entier(gestionnaire));
            p.extend(l[self.cles.len()..].iter().cloned());
        }
        Insertion {
            table: self.table,
            colonnes: &colonnes,
            suite: &suite,
        }
        .ecrire(tx, &p)
        .await?;

        // By département: the same rows without the structure.
        let table = format!("{}_departement", self.table);
        let colonnes: Vec<(&str, Genre)> = self
            .cles
            .iter()
            .copied()
            .chain(valeurs.iter().copied())
            .collect();
        let suite = format!(
            "ON CONFLICT ({}) DO UPDATE SET {}",
            noms_cles.join(", "),
            mise_a_jour(&table)
        );
        let p: Vec<Valeur> = lignes.iter().flatten().cloned().collect();
        Insertion {
            table: &table,
            colonnes: &colonnes,
            suite: &suite,
        }
        .ecrire(tx, &p)
        .await?;
        Ok(())
    }
}

/// Adds the deltas of a structure (seated in `departement`) to every additive aggregate, by
/// structure and by département.
pub async fn ajouter(
    tx: &mut Tx,
    gestionnaire: i64,
    departement: &str,
    deltas: &DeltasAdditifs<'_>,
) -> Result<(), ErreurStore> {
    let dep = Valeur::Texte(departement.to_owned());
    let annee = |e: i32| Valeur::Entier(i64::from(e));
    let texte = |t: &str| Valeur::Texte(t.to_owned());
    Additif {
        table: "activite_mois",
        cles: &[
            ("exercice", Genre::Entier),
            ("departement", Genre::Texte),
            ("mois", Genre::Entier),
            ("etape", Genre::Texte),
            ("mode", Genre::Texte),
        ],
        valeurs: &[
            "entretiens",
            "minutes",
            "entretiens_orientes",
            "entretiens_exception",
        ],
    }
    .ajouter(
        tx,
        gestionnaire,
        &deltas
            .mois
            .iter()
            .map(|((exercice, m, etape, mode), c)| {
                vec![
                    annee(*exercice),
                    dep.clone(),
                    Valeur::Entier(i64::from(*m)),
                    texte(etape),
                    texte(mode),
                    Valeur::Entier(c[0]),
                    Valeur::Entier(c[1]),
                    Valeur::Entier(c[2]),
                    Valeur::Entier(c[3]),
                ]
            })
            .collect::<Vec<_>>(),
    )
    .await?;

    Additif {
        table: "activite_rubriques_mois",
        cles: &[
            ("exercice", Genre::Entier),
            ("departement", Genre::Texte),
            ("rubrique", Genre::Texte),
            ("code", Genre::Texte),
            ("mois", Genre::Entier),
        ],
        valeurs: &["entretiens"],
    }
    .ajouter(
        tx,
        gestionnaire,
        &deltas
            .rubriques
            .iter()
            .map(|((exercice, rubrique, code, m), n)| {
                vec![
                    annee(*exercice),
                    dep.clone(),
                    texte(rubrique),
                    texte(code),
                    Valeur::Entier(i64::from(*m)),
                    Valeur::Entier(*n),
                ]
            })
            .collect::<Vec<_>>(),
    )
    .await?;

    Additif {
        table: "activite_familles_mois",
        cles: &[
            ("exercice", Genre::Entier),
            ("departement", Genre::Texte),
            ("mois", Genre::Entier),
        ],
        valeurs: &[
            "familles_nouvelles",
            "premiers_contacts",
            "premiers_contacts_suivis",
        ],
    }
    .ajouter(
        tx,
        gestionnaire,
        &deltas
            .familles_mois
            .iter()
            .map(|((exercice, m), d)| {
                vec![
                    annee(*exercice),
                    dep.clone(),
                    Valeur::Entier(i64::from(*m)),
                    Valeur::Entier(d[0]),
                    Valeur::Entier(d[1]),
                    Valeur::Entier(d[2]),
                ]
            })
            .collect::<Vec<_>>(),
    )
    .await?;

    Additif {
        table: "activite_familles_repartition",
        cles: &[
            ("exercice", Genre::Entier),
            ("departement", Genre::Texte),
            ("seances", Genre::Entier),
        ],
        valeurs: &["familles"],
    }
    .ajouter(
        tx,
        gestionnaire,
        &deltas
            .repartition
            .iter()
            .map(|((exercice, seances), d)| {
                vec![
                    annee(*exercice),
                    dep.clone(),
                    Valeur::Entier(*seances),
                    Valeur::Entier(*d),
                ]
            })
            .collect::<Vec<_>>(),
    )
    .await?;
    Ok(())
}

/// The distinct families of a structure in an exercise (rows of its family table).
pub async fn familles_de_l_exercice(
    tx: &mut Tx,
    gestionnaire: i64,
    exercice: i32,
) -> Result<i64, ErreurStore> {
    Ok(tx
        .ligne(
            "SELECT COUNT(*) AS n FROM activite_familles WHERE gestionnaire_id = $1 \
             AND exercice = $2",
            &[gestionnaire.into(), exercice.into()],
        )
        .await?
        .map(|l| l.entier("n"))
        .transpose()?
        .unwrap_or(0))
}

/// A structure's activity from its first month with a session up to a month of an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiviteJusquA {
    /// The first month (1 to 12) with a session; `None`: no session up to then.
    pub premier_mois: Option<i64>,
    pub entretiens: i64,
    /// Families whose first session of the year falls in those months.
    pub familles_nouvelles: i64,
}

/// The activity of a structure (seated in `departement`) in `exercice`, months up to `fin`
/// included, read from the monthly aggregates.
pub async fn activite_jusqu_a(
    tx: &mut Tx,
    gestionnaire: i64,
    departement: &str,
    exercice: i32,
    fin: i64,
) -> Result<ActiviteJusquA, ErreurStore> {
    let cle = [
        Valeur::from(exercice),
        departement.into(),
        gestionnaire.into(),
        fin.into(),
    ];
    let condition = "exercice = $1 AND departement = $2 AND gestionnaire_id = $3 AND mois <= $4";
    let premier_mois = tx
        .ligne(
            &format!("SELECT MIN(mois) AS debut FROM activite_mois WHERE {condition}"),
            &cle,
        )
        .await?
        .map(|l| l.entier_opt("debut"))
        .transpose()?
        .flatten();
    if premier_mois.is_none() {
        return Ok(ActiviteJusquA {
            premier_mois,
            entretiens: 0,
            familles_nouvelles: 0,
        });
    }
    let entretiens = somme(
        tx,
        &format!(
            "SELECT CAST(SUM(entretiens) AS BIGINT) AS n FROM activite_mois WHERE {condition}"
        ),
        &cle,
    )
    .await?;
    let familles_nouvelles = somme(
        tx,
        &format!(
            "SELECT CAST(SUM(familles_nouvelles) AS BIGINT) AS n FROM activite_familles_mois \
             WHERE {condition}"
        ),
        &cle,
    )
    .await?;
    Ok(ActiviteJusquA {
        premier_mois,
        entretiens,
        familles_nouvelles,
    })
}

async fn somme(tx: &mut Tx, sql: &str, params: &[Valeur]) -> Result<i64, ErreurStore> {
    Ok(tx
        .ligne(sql, params)
        .await?
        .map(|l| l.entier_opt("n"))
        .transpose()?
        .flatten()
        .unwrap_or(0))
}
