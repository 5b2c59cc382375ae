//! Reads the aggregate tables at a grain (structure or département or nation, month or year),
//! within what a filter allows, summing in the database and assembling rows in memory. A read
//! that shows no structure and filters on départements only reads the tables summed by
//! département: a few thousand rows a year, however many structures there are.

use std::collections::BTreeMap;

use app::Filtre;
use domain::identifiants::GestionnaireId;
use store::{ErreurStore, Ligne, Tx, Valeur};

use super::{Agregat, Niveau};
use crate::erreur::ErreurActivite;
use crate::nomenclature::{Etape, Modalite, Mode, Orientation, Presence, Sujet};

/// How finely to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grain {
    pub niveau: Niveau,
    pub mois: bool,
    /// Also the counts by attendance, subject and orientation.
    pub rubriques: bool,
    /// Also the distribution of families by number of sessions (yearly only).
    pub repartition: bool,
    /// The filter names départements only (see [`crate::acces::Portee::par_departement`]).
    pub filtre_par_departement: bool,
}

type Cle = (Option<String>, Option<i64>, Option<u8>);

impl Grain {
    fn colonnes(&self) -> Vec<&'static str> {
        let mut c = match self.niveau {
            Niveau::Structure => vec!["departement", "gestionnaire_id"],
            Niveau::Departement => vec!["departement"],
            Niveau::Nation => vec![],
        };
        if self.mois {
            c.push("mois");
        }
        c
    }

    /// The table to read: the one summed by département when no structure is shown or filtered.
    fn table(&self, table: &str) -> String {
        if self.niveau != Niveau::Structure && self.filtre_par_departement {
            format!("{table}_departement")
        } else {
            table.to_owned()
        }
    }

    fn cle(&self, l: &Ligne) -> Result<Cle, ErreurStore> {
        let departement = match self.niveau {
            Niveau::Nation => None,
            _ => Some(l.texte("departement")?),
        };
        let gestionnaire = match self.niveau {
            Niveau::Structure => Some(l.entier("gestionnaire_id")?),
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

fn code<T: Modalite>(l: &Ligne, colonne: &str) -> Result<T, ErreurStore> {
    let texte = l.texte(colonne)?;
    T::depuis_texte(&texte)
        .ok_or_else(|| ErreurStore::Donnee(format!("{colonne} « {texte} » inconnu")))
}

/// The aggregate of a key, created empty.
fn entree(
    agregats: &mut BTreeMap<Cle, Agregat>,
    cle: Cle,
    niveau: Niveau,
    exercice: i32,
) -> &mut Agregat {
    agregats.entry(cle.clone()).or_insert_with(|| Agregat {
        niveau,
        departement: cle.0,
        gestionnaire: cle.1.map(GestionnaireId),
        exercice,
        mois: cle.2,
        ..Agregat::default()
    })
}

/// The aggregates of one exercise at `grain`, within `filtre` (on the columns `departement`
/// and `gestionnaire_id`), ordered by département, structure and month. The nation over the
/// year is always one row, zeros included.
pub(crate) async fn lire(
    tx: &mut Tx,
    filtre: &Filtre,
    exercice: i32,
    grain: Grain,
) -> Result<Vec<Agregat>, ErreurActivite> {
    let f = filtre
        .clone()
        .et("exercice = $1", vec![Valeur::Entier(i64::from(exercice))]);
    let colonnes = grain.colonnes();
    let mut agregats: BTreeMap<Cle, Agregat> = BTreeMap::new();

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
        &f.condition,
    );
    for l in tx.lignes(&sql, &f.params).await? {
        let a = entree(&mut agregats, grain.cle(&l)?, grain.niveau, exercice);
        let n = l.entier("entretiens")?;
        a.entretiens += n;
        a.minutes += l.entier("minutes")?;
        a.entretiens_orientes += l.entier("entretiens_orientes")?;
        a.entretiens_exception += l.entier("entretiens_exception")?;
        *a.par_etape.entry(code::<Etape>(&l, "etape")?).or_default() += n;
        *a.par_mode.entry(code::<Mode>(&l, "mode")?).or_default() += n;
    }

    let sql = requete(
        &grain.table("activite_familles_mois"),
        &colonnes,
        &[
            "familles_nouvelles",
            "premiers_contacts",
            "premiers_contacts_suivis",
        ],
        &f.condition,
    );
    for l in tx.lignes(&sql, &f.params).await? {
        let a = entree(&mut agregats, grain.cle(&l)?, grain.niveau, exercice);
        a.familles_distinctes_structure_annee += l.entier("familles_nouvelles")?;
        a.premiers_contacts += l.entier("premiers_contacts")?;
        a.premiers_contacts_suivis += l.entier("premiers_contacts_suivis")?;
    }

    if grain.rubriques {
        let groupe = [colonnes.as_slice(), &["rubrique", "code"]].concat();
        let sql = requete(
            &grain.table("activite_rubriques_mois"),
            &groupe,
            &["entretiens"],
            &f.condition,
        );
        for l in tx.lignes(&sql, &f.params).await? {
            let a = entree(&mut agregats, grain.cle(&l)?, grain.niveau, exercice);
            let n = l.entier("entretiens")?;
            match l.texte("rubrique")?.as_str() {
                r if r == Presence::RUBRIQUE => {
                    *a.par_presence.entry(code(&l, "code")?).or_default() += n
                }
                r if r == Sujet::RUBRIQUE => {
                    *a.par_sujet.entry(code(&l, "code")?).or_default() += n
                }
                r if r == Orientation::RUBRIQUE => {
                    *a.par_orientation.entry(code(&l, "code")?).or_default() += n
                }
                autre => {
                    return Err(
                        ErreurStore::Donnee(format!("rubrique « {autre} » inconnue")).into(),
                    );
                }
            }
        }
    }

    if grain.repartition && !grain.mois {
        let groupe = [colonnes.as_slice(), &["seances"]].concat();
        let sql = requete(
            &grain.table("activite_familles_repartition"),
            &groupe,
            &["familles"],
            &f.condition,
        );
        for l in tx.lignes(&sql, &f.params).await? {
            let familles = l.entier("familles")?;
            if familles != 0 {
                let a = entree(&mut agregats, grain.cle(&l)?, grain.niveau, exercice);
                *a.familles_par_nombre_de_seances
                    .entry(l.entier("seances")?)
                    .or_default() += familles;
            }
        }
    }

    if grain.niveau == Niveau::Nation && !grain.mois {
        entree(&mut agregats, (None, None, None), grain.niveau, exercice);
    }
    Ok(agregats.into_values().collect())
}
