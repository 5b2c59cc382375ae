//! Statements over many rows at once, written for each engine. SQLite: multi-row `VALUES` and
//! `IN (…)` lists with anonymous `?` parameters — SQLite finds a named parameter (`$7`) by a
//! linear search, when parsing and again when binding, so that a statement of n named
//! parameters costs n² (a batch of 12 000 took half a second). PostgreSQL: one parameter per
//! column, an array literal that the statement unnests, so that 10 000 rows are one round trip.

use time::Date;

use crate::connexion::{Genre, Moteur, Tx, Valeur};
use crate::erreur::ErreurStore;

/// A date as PostgreSQL reads it in an array literal: `2024-03-05`.
fn date_iso(d: Date) -> String {
    format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// SQLite's largest number of parameters in one statement.
const PARAMETRES_SQLITE: usize = 32_766;
/// Rows per statement on PostgreSQL.
const LIGNES_POSTGRES: usize = 10_000;

/// The placeholders of one statement, in order: `?` on SQLite, `$1`, `$2`… on PostgreSQL. A
/// statement takes all of its placeholders from one `Marques`, each parameter used once.
#[derive(Debug)]
pub(crate) struct Marques {
    moteur: Moteur,
    n: usize,
}

impl Marques {
    pub(crate) fn new(moteur: Moteur) -> Self {
        Marques { moteur, n: 0 }
    }

    /// The next placeholder.
    pub(crate) fn suivante(&mut self) -> String {
        self.n += 1;
        match self.moteur {
            Moteur::Sqlite => "?".to_owned(),
            Moteur::Postgres => format!("${}", self.n),
        }
    }
}

/// The SQL type of a column, for PostgreSQL's arrays.
fn type_tableau(genre: Genre) -> Result<&'static str, ErreurStore> {
    match genre {
        Genre::Entier => Ok("bigint[]"),
        Genre::Texte => Ok("text[]"),
        Genre::Date => Ok("date[]"),
        autre => Err(ErreurStore::Donnee(format!(
            "colonne {autre:?} non prise en charge par lot"
        ))),
    }
}

/// Appends one element to a PostgreSQL array literal (`{1,"a\"b",NULL}` without the braces).
fn element(tableau: &mut String, v: &Valeur) -> Result<(), ErreurStore> {
    if tableau.len() > 1 {
        tableau.push(',');
    }
    match v {
        Valeur::Nul(_) => tableau.push_str("NULL"),
        Valeur::Entier(n) => tableau.push_str(&n.to_string()),
        Valeur::Date(d) => tableau.push_str(&date_iso(*d)),
        Valeur::Texte(t) => {
            tableau.push('"');
            for c in t.chars() {
                if c == '"' || c == '\\' {
                    tableau.push('\\');
                }
                tableau.push(c);
            }
            tableau.push('"');
        }
        autre => {
            return Err(ErreurStore::Donnee(format!(
                "valeur {autre:?} non prise en charge par lot"
            )));
        }
    }
    Ok(())
}

/// PostgreSQL array literals, one per column, of `lignes` (row after row, `colonnes` wide).
fn tableaux(colonnes: usize, lignes: &[Valeur]) -> Result<Vec<Valeur>, ErreurStore> {
    let mut t: Vec<String> = (0..colonnes)
        .map(|_| {
            let mut s = String::with_capacity(lignes.len() / colonnes.max(1) * 12 + 2);
            s.push('{');
            s
        })
        .collect();
    for ligne in lignes.chunks(colonnes) {
        for (s, v) in t.iter_mut().zip(ligne) {
            element(s, v)?;
        }
    }
    Ok(t.into_iter()
        .map(|mut s| {
            s.push('}');
            Valeur::Texte(s)
        })
        .collect())
}

/// A table written by batches: `INSERT INTO table (colonnes) <rows> suite`, where `suite` is
/// what follows the rows (`ON CONFLICT …`).
#[derive(Debug)]
pub(crate) struct Insertion<'a> {
    pub(crate) table: &'a str,
    pub(crate) colonnes: &'a [(&'a str, Genre)],
    pub(crate) suite: &'a str,
}

impl Insertion<'_> {
    fn requete_sqlite(&self, lignes: usize) -> String {
        let noms: Vec<&str> = self.colonnes.iter().map(|(n, _)| *n).collect();
        let mut ligne = String::with_capacity(self.colonnes.len() * 3 + 2);
        ligne.push('(');
        for i in 0..self.colonnes.len() {
            ligne.push_str(if i == 0 { "?" } else { ", ?" });
        }
        ligne.push(')');
        let mut sql = String::with_capacity(100 + lignes * (ligne.len() + 2));
        sql.push_str(&format!(
            "INSERT INTO {} ({}) VALUES ",
            self.table,
            noms.join(", ")
        ));
        for i in 0..lignes {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&ligne);
        }
        sql.push(' ');
        sql.push_str(self.suite);
        sql
    }

    fn requete_postgres(&self) -> Result<String, ErreurStore> {
        let noms: Vec<&str> = self.colonnes.iter().map(|(n, _)| *n).collect();
        let tableaux = self
            .colonnes
            .iter()
            .enumerate()
            .map(|(i, (_, g))| Ok(format!("${}::{}", i + 1, type_tableau(*g)?)))
            .collect::<Result<Vec<String>, ErreurStore>>()?;
        Ok(format!(
            "INSERT INTO {table} ({noms}) SELECT * FROM UNNEST({tableaux}) AS u({noms}) {suite}",
            table = self.table,
            noms = noms.join(", "),
            tableaux = tableaux.join(", "),
            suite = self.suite
        ))
    }

    /// The rows one statement writes on `moteur`: a caller that builds its rows batch by batch
    /// hands over batches of this size.
    pub(crate) fn lignes_par_requete(&self, moteur: Moteur) -> usize {
        match moteur {
            Moteur::Sqlite => (PARAMETRES_SQLITE / self.colonnes.len().max(1)).max(1),
            Moteur::Postgres => LIGNES_POSTGRES,
        }
    }

    /// Writes `lignes`, the values of each row one after the other; returns the number of rows
    /// the engine reports changed.
    pub(crate) async fn ecrire(&self, tx: &mut Tx, lignes: &[Valeur]) -> Result<u64, ErreurStore> {
        let largeur = self.colonnes.len();
        if largeur == 0 || !lignes.len().is_multiple_of(largeur) {
            return Err(ErreurStore::Donnee(format!(
                "{} valeurs pour des lignes de {largeur} colonnes",
                lignes.len()
            )));
        }
        let mut total = 0;
        match tx.moteur() {
            Moteur::Sqlite => {
                let par_requete = self.lignes_par_requete(Moteur::Sqlite);
                let mut pleine: Option<String> = None;
                for lot in lignes.chunks(par_requete * largeur) {
                    let n = lot.len() / largeur;
                    let sql = if n == par_requete {
                        pleine.get_or_insert_with(|| self.requete_sqlite(n))
                    } else {
                        &self.requete_sqlite(n)
                    };
                    total += tx.executer(sql, lot).await?;
                }
            }
            Moteur::Postgres => {
                let sql = self.requete_postgres()?;
                for lot in lignes.chunks(LIGNES_POSTGRES * largeur) {
                    total += tx.executer(&sql, &tableaux(largeur, lot)?).await?;
                }
            }
        }
        Ok(total)
    }
}

/// `colonne IN (…)` on SQLite, `colonne = ANY(…)` on PostgreSQL, for the values of `valeurs`
/// (at most [`PAR_LISTE`] of them), its placeholders taken from `marques`; the condition and
/// the parameters to append.
pub(crate) fn dans(
    marques: &mut Marques,
    colonne: &str,
    genre: Genre,
    valeurs: &[Valeur],
) -> Result<(String, Vec<Valeur>), ErreurStore> {
    match marques.moteur {
        Moteur::Sqlite => {
            let m: Vec<String> = valeurs.iter().map(|_| marques.suivante()).collect();
            Ok((format!("{colonne} IN ({})", m.join(", ")), valeurs.to_vec()))
        }
        Moteur::Postgres => Ok((
            format!(
                "{colonne} = ANY({}::{})",
                marques.suivante(),
                type_tableau(genre)?
            ),
            tableaux(1, valeurs)?,
        )),
    }
}

/// Values per `IN` list (SQLite's limit leaves room for a few other parameters).
pub(crate) const PAR_LISTE: usize = 30_000;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use time::macros::date;

    #[test]
    fn litteraux_de_tableaux() {
        let t = tableaux(
            2,
            &[
                Valeur::Entier(1),
                Valeur::Texte("a\"b\\c, {d}".into()),
                Valeur::Nul(Genre::Entier),
                Valeur::Date(date!(2024 - 03 - 05)),
            ],
        )
        .unwrap();
        assert_eq!(
            t,
            [
                Valeur::Texte("{1,NULL}".into()),
                Valeur::Texte("{\"a\\\"b\\\\c, {d}\",2024-03-05}".into())
            ]
        );
    }

    #[test]
    fn marques_par_moteur() {
        let mut m = Marques::new(Moteur::Sqlite);
        assert_eq!((m.suivante(), m.suivante()), ("?".into(), "?".into()));
        let mut m = Marques::new(Moteur::Postgres);
        m.suivante();
        let (sql, p) = dans(&mut m, "famille", Genre::Texte, &["x".into()]).unwrap();
        assert_eq!(sql, "famille = ANY($2::text[])");
        assert_eq!(p, [Valeur::Texte("{\"x\"}".into())]);
        let i = Insertion {
            table: "t",
            colonnes: &[("a", Genre::Entier), ("b", Genre::Texte)],
            suite: "ON CONFLICT (a) DO NOTHING",
        };
        assert_eq!(
            i.requete_sqlite(2),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?) ON CONFLICT (a) DO NOTHING"
        );
        assert_eq!(
            i.requete_postgres().unwrap(),
            "INSERT INTO t (a, b) SELECT * FROM UNNEST($1::bigint[], $2::text[]) AS u(a, b) \
             ON CONFLICT (a) DO NOTHING"
        );
    }
}
