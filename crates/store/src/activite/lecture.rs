//! Reads the aggregate tables at a grain (structure or département or nation, month or year),
//! within a perimeter, summing in the database. A read that shows no structure and filters on
//! départements only reads the tables summed by département: a few thousand rows a year,
//! however many structures there are.

use crate::activite::perimetre::Perimetre;
use crate::connexion::{Ligne, Tx};
use crate::erreur::ErreurStore;

/// The territory the rows are summed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NiveauLecture {
    Structure,
    Departement,
    Nation,
}

/// How finely to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grain {
    pub niveau: NiveauLecture,
    pub mois: bool,
    /// Also the counts by attendance, subject and orientation.
    pub rubriques: bool,
    /// Also the distribution of families by number of sessions (yearly only).
    pub repartition: bool,
    /// The perimeter names départements only: the tables summed by département answer a
    /// read that shows no structure.
    pub filtre_par_departement: bool,
}

/// What a row is summed by: the département (absent for the nation), the structure (for the
/// structure level), the month (when read by month).
pub type CleLecture = (Option<String>, Option<i64>, Option<u8>);

/// Sessions by step and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneMois {
    pub cle: CleLecture,
    pub etape: String,
    pub mode: String,
    pub entretiens: i64,
    pub minutes: i64,
    pub entretiens_orientes: i64,
    pub entretiens_exception: i64,
}

/// New families and first contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneFamilles {
    pub cle: CleLecture,
    pub familles_nouvelles: i64,
    pub premiers_contacts: i64,
    pub premiers_contacts_suivis: i64,
}

/// Sessions by attendance, subject or orientation (the rubrique) and code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneRubrique {
    pub cle: CleLecture,
    pub rubrique: String,
    pub code: String,
    pub entretiens: i64,
}

/// Families by number of sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneRepartition {
    pub cle: CleLecture,
    pub seances: i64,
    pub familles: i64,
}

/// The rows of one read, table by table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LignesAgregats {
    pub mois: Vec<LigneMois>,
    pub familles: Vec<LigneFamilles>,
    /// Empty unless the grain asks for them.
    pub rubriques: Vec<LigneRubrique>,
    /// Empty unless the grain asks for it over the year.
    pub repartition: Vec<LigneRepartition>,
}

impl Grain {
    fn colonnes(&self) -> Vec<&'static str> {
        let mut c = match self.niveau {
            NiveauLecture::Structure => vec!["departement", "gestionnaire_id"],
            NiveauLecture::Departement => vec!["departement"],
            NiveauLecture::Nation => vec![],
        };
        if self.mois {
            c.push("mois");
        }
        c
    }

    /// The table to read: the one summed by département when no structure is shown or filtered.
    fn table(&self, table: &str) -> String {
        if self.niveau != NiveauLecture::Structure && self.filtre_par_departement {
            format!("{table}_departement")
        } else {
            table.to_owned()
        }
    }

    fn cle(&self, l: &Ligne) -> Result<CleLecture, ErreurStore> {
        let departement = match self.niveau {
            NiveauLecture::Nation => None,
            _ => Some(l.texte("departement")?),
        };
        let gestionnaire = match self.niveau {
            NiveauLecture::Structure => Some(l.entier("gestionnaire_id")?),
            _ => None,
        };
        let mois = if self.mois {
            Some(u8::try_from(l.entier("mois")?).unwrap_or(0))
        } else {
            None
        };
        Ok((departement, gestionnaire, mois))
    }
}

/// `SELECT a, b, extra, sums FROM table WHERE filter GROUP BY a, b, extra`.
fn requete(table: &str, groupe: &[&str], sommes: &[&str], condition: &str) -> String {
    let selection: Vec<String> = groupe
        .iter()
        .map(|c| (*c).to_owned())
        .chain(
            sommes
                .iter()
                .map(|s| format!("CAST(COALESCE(SUM({s}), 0) AS BIGINT) AS {s}")),
        )
        .collect();
    let mut sql = format!(
        "SELECT {} FROM {table} WHERE {condition}",
        selection.join(", ")
    );
    if !groupe.is_empty() {
        sql.push_str(" GROUP BY ");
        sql.push_str(&groupe.join(", "));
    }
    sql
}

/// The aggregate rows of one exercise at `grain`, within `perimetre` (on the columns
/// `departement` and `gestionnaire_id`).
pub async fn lire(
    tx: &mut Tx,
    perimetre: &Perimetre,
    exercice: i32,
    grain: Grain,
) -> Result<LignesAgregats, ErreurStore> {
    let f = perimetre
        .condition("departement", "gestionnaire_id")
        .et(|n| format!("exercice = ${n}"), vec![exercice.into()]);
    let colonnes = grain.colonnes();
    let mut lignes = LignesAgregats::default();

    let groupe = [colonnes.as_slice(), &["etape", "mode"]].concat();
    let sql = requete(
        &grain.table("activite_mois"),
        &groupe,
        &[
            "entretiens",
            "minutes",
            "entretiens_orientes",
            "entretiens_exception",
        ],
        &f.sql,
    );
    for l in tx.lignes(&sql, &f.params).await? {
        lignes.mois.push(LigneMois {
            cle: grain.cle(&l)?,
            etape: l.texte("etape")?,
            mode: l.texte("mode")?,
            entretiens: l.entier("entretiens")?,
            minutes: l.entier("minutes")?,
            entretiens_orientes: l.entier("entretiens_orientes")?,
            entretiens_exception: l.entier("entretiens_exception")?,
        });
    }

    let sql = requete(
        &grain.table("activite_familles_mois"),
        &colonnes,
        &[
            "familles_nouvelles",
            "premiers_contacts",
            "premiers_contacts_suivis",
        ],
        &f.sql,
    );
    for l in tx.lignes(&sql, &f.params).await? {
        lignes.familles.push(LigneFamilles {
            cle: grain.cle(&l)?,
            familles_nouvelles: l.entier("familles_nouvelles")?,
            premiers_contacts: l.entier("premiers_contacts")?,
            premiers_contacts_suivis: l.entier("premiers_contacts_suivis")?,
        });
    }

    if grain.rubriques {
        let groupe = [colonnes.as_slice(), &["rubrique", "code"]].concat();
        let sql = requete(
            &grain.table("activite_rubriques_mois"),
            &groupe,
            &["entretiens"],
            &f.sql,
        );
        for l in tx.lignes(&sql, &f.params).await? {
            lignes.rubriques.push(LigneRubrique {
                cle: grain.cle(&l)?,
                rubrique: l.texte("rubrique")?,
                code: l.texte("code")?,
                entretiens: l.entier("entretiens")?,
            });
        }
    }

    if grain.repartition && !grain.mois {
        let groupe = [colonnes.as_slice(), &["seances"]].concat();
        let sql = requete(
            &grain.table("activite_familles_repartition"),
            &groupe,
            &["familles"],
            &f.sql,
        );
        for l in tx.lignes(&sql, &f.params).await? {
            lignes.repartition.push(LigneRepartition {
                cle: grain.cle(&l)?,
                seances: l.entier("seances")?,
                familles: l.entier("familles")?,
            });
        }
    }
    Ok(lignes)
}
