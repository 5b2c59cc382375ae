//! What the dashboard shows, as plain values built from the records: the key figures, the
//! indicators, the months, the experiment's progress, the départements and the structures. Every
//! number is already written the French way here; the template only lays them out.

use std::collections::BTreeMap;

use activite::indicateurs::Cible;
use activite::{INDICATEURS, IndicateursTerritoire, TableauDeBord, ValeurIndicateur};
use time::Date;

use crate::carte::ValeurCarte;
use crate::fr;
use crate::graphiques::Barre;

const MOIS_COURTS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

/// The dashboard's content.
#[derive(Debug)]
pub(super) struct VueTableau {
    pub exercice: i32,
    pub perimetre: String,
    pub cles: ChiffresCles,
    pub indicateurs: Vec<LigneIndicateur>,
    pub mois: Vec<LigneMois>,
    pub cible_mensuelle: Option<f64>,
    pub avancement: Option<super::avancement::Avancement>,
    pub departements: Option<Departements>,
    pub structures: Option<Vec<LigneStructure>>,
}

/// The four key figures of the exercise.
#[derive(Debug)]
pub(super) struct ChiffresCles {
    pub entretiens: i64,
    pub familles: i64,
    pub heures: f64,
    pub orientes: i64,
}

/// An indicator against its target.
#[derive(Debug)]
pub(super) struct LigneIndicateur {
    pub libelle: String,
    pub definition: String,
    pub valeur: String,
    pub numerateur: String,
    pub denominateur: String,
    pub cible: String,
    pub atteinte: Option<bool>,
}

/// One month of the trend.
#[derive(Debug)]
pub(super) struct LigneMois {
    pub court: &'static str,
    pub nom: &'static str,
    pub entretiens: i64,
    pub heures: f64,
    pub nouvelles_familles: i64,
    pub premiers_contacts: i64,
}

/// The map of the départements and the table beside it.
#[derive(Debug)]
pub(super) struct Departements {
    pub titre_carte: String,
    pub valeurs: BTreeMap<String, ValeurCarte>,
    pub echeance: Option<Date>,
    pub lignes: Vec<LigneDepartement>,
}

#[derive(Debug)]
pub(super) struct LigneDepartement {
    pub nom: String,
    pub entretiens: i64,
    pub familles: i64,
    pub familles_par_etp: String,
    pub entretiens_par_etp: String,
    pub entretiens_par_famille: String,
    pub bilans: Completude,
}

#[derive(Debug)]
pub(super) struct LigneStructure {
    pub id: i64,
    pub nom: String,
    pub departement: String,
    pub entretiens: i64,
    pub familles: i64,
    pub familles_par_etp: String,
    pub entretiens_par_etp: String,
    pub entretiens_par_famille: String,
    pub part_orientee: String,
}

/// Bilans expected (conventions covering the exercise), received and on time, validated, by
/// département.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Completude {
    pub attendus: i64,
    pub recus: i64,
    pub a_temps: i64,
    pub valides: i64,
}

/// An indicator's value with its unit.
pub(super) fn valeur_texte(v: &ValeurIndicateur) -> String {
    match v.valeur {
        None => "non calculable".to_owned(),
        Some(x) if v.unite == "%" => format!("{}\u{a0}%", fr::nombre(x)),
        Some(x) if v.code == "montant_verse_par_famille" => format!("{}\u{a0}€", fr::nombre(x)),
        Some(x) => fr::nombre(x),
    }
}

fn cible_texte(v: &ValeurIndicateur) -> String {
    let cible = INDICATEURS
        .iter()
        .find(|i| i.code == v.code)
        .map(|i| i.cible);
    match (cible, v.cible) {
        (Some(Cible::AuMoins(_)), Some(c)) => format!("au moins {}", fr::nombre(c)),
        (Some(Cible::AuPlus(_)), Some(c)) => format!("au plus {}", fr::nombre(c)),
        _ => "—".to_owned(),
    }
}

fn nombre_ou_tiret(v: Option<f64>) -> String {
    v.map_or("—".to_owned(), fr::nombre)
}

pub(super) fn lignes_indicateurs(valeurs: &[ValeurIndicateur]) -> Vec<LigneIndicateur> {
    valeurs
        .iter()
        .map(|v| LigneIndicateur {
            libelle: v.libelle.to_owned(),
            definition: INDICATEURS
                .iter()
                .find(|i| i.code == v.code)
                .map(|i| format!("{} ({})", i.unite_libelle, i.source))
                .unwrap_or_default(),
            valeur: valeur_texte(v),
            numerateur: nombre_ou_tiret(v.numerateur),
            denominateur: nombre_ou_tiret(v.denominateur),
            cible: cible_texte(v),
            atteinte: v.cible_atteinte,
        })
        .collect()
}

/// A département's name with its code: `Isère (38)`.
pub(super) fn nom_departement(code: &str) -> String {
    domain::identifiants::CodeDepartement::parse(code)
        .ok()
        .and_then(domain::territoire::departement)
        .map_or(code.to_owned(), |d| format!("{} ({code})", d.nom))
}

/// A share in per cent, `—` without a total.
pub(super) fn pourcentage(n: i64, d: i64) -> String {
    if d == 0 {
        "—".to_owned()
    } else {
        format!("{}\u{a0}%", fr::nombre(n as f64 * 100.0 / d as f64))
    }
}

impl LigneMois {
    /// The bar of the month in the chart.
    pub fn barre(&self) -> Barre {
        Barre {
            libelle: self.court.to_owned(),
            valeur: self.entretiens as f64,
        }
    }
}

/// The twelve months of the exercise, a month without a session at zero.
pub(super) fn lignes_mois(t: &TableauDeBord) -> Vec<LigneMois> {
    let mut mois: BTreeMap<u8, &activite::Agregat> = BTreeMap::new();
    for m in &t.par_mois {
        if let Some(n) = m.mois {
            mois.insert(n, m);
        }
    }
    (1..=12u8)
        .map(|n| {
            let m = mois.get(&n);
            LigneMois {
                court: MOIS_COURTS[usize::from(n - 1)],
                nom: activite::dates::nom_du_mois(n),
                entretiens: m.map_or(0, |a| a.entretiens),
                heures: m.map_or(0.0, |a| a.heures()),
                nouvelles_familles: m.map_or(0, |a| a.familles_distinctes_structure_annee),
                premiers_contacts: m.map_or(0, |a| a.premiers_contacts),
            }
        })
        .collect()
}

/// The monthly pace the target of sessions per FTE asks for.
pub(super) fn cible_mensuelle(t: &TableauDeBord) -> Option<f64> {
    let v = t
        .indicateurs
        .iter()
        .find(|v| v.code == "entretiens_par_etp")?;
    Some(v.cible? * v.denominateur? / 12.0)
}

fn valeur_de(d: &IndicateursTerritoire, code: &str) -> String {
    d.indicateurs
        .iter()
        .find(|v| v.code == code)
        .map_or("—".to_owned(), valeur_texte)
}

/// The map's values for the indicator `code` (or the families reached).
pub(super) fn valeurs_carte(
    departements: &[IndicateursTerritoire],
    code: &str,
) -> BTreeMap<String, ValeurCarte> {
    departements
        .iter()
        .filter_map(|d| {
            let departement = d.departement.clone()?;
            if code == super::filtre::FAMILLES {
                return Some((
                    departement,
                    ValeurCarte {
                        valeur: d.totaux.familles as f64,
                        texte: format!("{} familles", fr::entier(d.totaux.familles)),
                    },
                ));
            }
            let v = d.indicateurs.iter().find(|v| v.code == code)?;
            Some((
                departement,
                ValeurCarte {
                    valeur: v.valeur?,
                    texte: valeur_texte(v),
                },
            ))
        })
        .collect()
}

/// The label of the map's measure.
pub(super) fn libelle_carte(code: &str) -> String {
    if code == super::filtre::FAMILLES {
        return "Familles accompagnées".to_owned();
    }
    INDICATEURS
        .iter()
        .find(|i| i.code == code)
        .map_or(String::new(), |i| i.libelle.to_owned())
}

/// One row per département with activity or with a bilan expected.
pub(super) fn lignes_departements(
    departements: &[IndicateursTerritoire],
    bilans: &BTreeMap<String, Completude>,
) -> Vec<LigneDepartement> {
    let mut codes: Vec<String> = departements
        .iter()
        .filter_map(|d| d.departement.clone())
        .chain(bilans.keys().cloned())
        .collect();
    codes.sort();
    codes.dedup();
    codes
        .iter()
        .map(|code| {
            let d = departements
                .iter()
                .find(|d| d.departement.as_deref() == Some(code.as_str()));
            let tiret = || "—".to_owned();
            LigneDepartement {
                nom: nom_departement(code),
                entretiens: d.map_or(0, |d| d.totaux.entretiens),
                familles: d.map_or(0, |d| d.totaux.familles),
                familles_par_etp: d.map_or_else(tiret, |d| valeur_de(d, "familles_par_etp")),
                entretiens_par_etp: d.map_or_else(tiret, |d| valeur_de(d, "entretiens_par_etp")),
                entretiens_par_famille: d
                    .map_or_else(tiret, |d| valeur_de(d, "entretiens_par_famille")),
                bilans: bilans.get(code).copied().unwrap_or_default(),
            }
        })
        .collect()
}

pub(super) fn lignes_structures(
    structures: &[IndicateursTerritoire],
    noms: &BTreeMap<i64, String>,
) -> Vec<LigneStructure> {
    structures
        .iter()
        .map(|s| {
            let id = s.gestionnaire.map_or(0, |g| g.0);
            LigneStructure {
                id,
                nom: noms.get(&id).map_or("structure", String::as_str).to_owned(),
                departement: s.departement.clone().unwrap_or_default(),
                entretiens: s.totaux.entretiens,
                familles: s.totaux.familles,
                familles_par_etp: valeur_de(s, "familles_par_etp"),
                entretiens_par_etp: valeur_de(s, "entretiens_par_etp"),
                entretiens_par_famille: valeur_de(s, "entretiens_par_famille"),
                part_orientee: valeur_de(s, "part_entretiens_orientes"),
            }
        })
        .collect()
}
