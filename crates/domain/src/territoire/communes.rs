//! The communes of the 101 départements (INSEE code, name, département, population, centroid,
//! postcodes), read from `data/communes.csv`, to check the commune of an address, to place a lieu
//! on a map and to find a commune from its postcode.
//!
//! The file (about 1.5 MB, 34 875 lines) is compiled in as text ([`COMMUNES_CSV`]); it is parsed
//! only when asked ([`Communes::embarquees`]), once, by the caller that needs it (the web app at
//! start-up), so that a program that never looks a commune up pays nothing for it.

use serde::{Deserialize, Serialize};

use super::ErreurDonnees;
use crate::identifiants::{CodeDepartement, CodeInsee};

/// The text of `data/communes.csv` (see `data/README.md` for its provenance).
pub const COMMUNES_CSV: &str = include_str!("../../../../data/communes.csv");

const FICHIER: &str = "data/communes.csv";

/// WGS84 coordinates, in degrees. Not money: floats are fine here.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub latitude: f64,
    pub longitude: f64,
}

/// A current commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commune {
    pub code: CodeInsee,
    pub nom: String,
    /// The département it belongs to, from the reference table (never from the code's prefix).
    pub departement: CodeDepartement,
    pub population: Option<u32>,
    /// The centroid of its 2018 polygon; `None` for the few communes re-created since 2018.
    pub position: Option<Position>,
    /// Its postcodes (La Poste's, five digits), sorted: one usually, several for a large city
    /// (Paris has 21); a postcode may also serve several communes. Empty when the file read has
    /// no `codes_postaux` column.
    #[serde(default)]
    pub codes_postaux: Vec<String>,
}

#[derive(Deserialize)]
struct Ligne {
    code: String,
    nom: String,
    departement: String,
    population: Option<u32>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    /// Space-separated; the column is optional so that older copies of the file still read.
    #[serde(default)]
    codes_postaux: Option<String>,
}

/// The communes, sorted by code.
#[derive(Debug, Clone, Default)]
pub struct Communes {
    communes: Vec<Commune>,
}

impl Communes {
    /// Reads a communes file (`code,nom,departement,population,latitude,longitude`, then
    /// optionally `codes_postaux`: five-digit postcodes separated by spaces).
    pub fn depuis_csv(texte: &str) -> Result<Communes, ErreurDonnees> {
        let mut lecteur = csv::Reader::from_reader(texte.as_bytes());
        let mut communes = Vec::with_capacity(35_000);
        for (i, ligne) in lecteur.deserialize::<Ligne>().enumerate() {
            let numero = i as u64 + 2;
            let erreur = |raison: String| ErreurDonnees {
                fichier: FICHIER,
                ligne: numero,
                raison,
            };
            let ligne = ligne.map_err(|e| erreur(e.to_string()))?;
            let code = CodeInsee::parse(&ligne.code).map_err(|e| erreur(e.to_string()))?;
            let departement =
                CodeDepartement::parse(&ligne.departement).map_err(|e| erreur(e.to_string()))?;
            let position = match (ligne.latitude, ligne.longitude) {
                (Some(latitude), Some(longitude)) => {
                    if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude)
                    {
                        return Err(erreur(format!(
                            "coordonnées hors limites ({latitude}, {longitude})"
                        )));
                    }
                    Some(Position {
                        latitude,
                        longitude,
                    })
                }
                (None, None) => None,
                _ => return Err(erreur("latitude et longitude vont ensemble".to_owned())),
            };
            let mut codes_postaux: Vec<String> = ligne
                .codes_postaux
                .as_deref()
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            if let Some(faux) = codes_postaux
                .iter()
                .find(|cp| cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(erreur(format!(
                    "code postal invalide « {faux} » (5 chiffres attendus)"
                )));
            }
            codes_postaux.sort();
            codes_postaux.dedup();
            communes.push(Commune {
                code,
                nom: ligne.nom,
                departement,
                population: ligne.population,
                position,
                codes_postaux,
            });
        }
        communes.sort_by_key(|c| c.code);
        if let Some(double) = communes.windows(2).find(|w| w[0].code == w[1].code) {
            return Err(ErreurDonnees {
                fichier: FICHIER,
                ligne: 0,
                raison: format!("la commune {} figure deux fois", double[0].code),
            });
        }
        Ok(Communes { communes })
    }

    /// The communes compiled into the program.
    pub fn embarquees() -> Result<Communes, ErreurDonnees> {
        Communes::depuis_csv(COMMUNES_CSV)
    }

    pub fn get(&self, code: CodeInsee) -> Option<&Commune> {
        self.communes
            .binary_search_by_key(&code, |c| c.code)
            .ok()
            .and_then(|i| self.communes.get(i))
    }

    /// The communes served by a postcode, by code (a postcode may serve several communes).
    pub fn du_code_postal<'a>(&'a self, code_postal: &'a str) -> impl Iterator<Item = &'a Commune> {
        self.communes
            .iter()
            .filter(move |c| c.codes_postaux.iter().any(|cp| cp == code_postal))
    }

    /// The communes of a département.
    pub fn du_departement(&self, departement: CodeDepartement) -> impl Iterator<Item = &Commune> {
        self.communes
            .iter()
            .filter(move |c| c.departement == departement)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Commune> {
        self.communes.iter()
    }

    pub fn len(&self) -> usize {
        self.communes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.communes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::territoire::departements;

    #[test]
    fn communes_embarquees() {
        let communes = Communes::embarquees().unwrap();
        assert_eq!(communes.len(), 34_875);
        let grenoble = communes.get(CodeInsee::parse("38185").unwrap()).unwrap();
        assert_eq!(grenoble.nom, "Grenoble");
        assert_eq!(grenoble.departement.as_str(), "38");
        let p = grenoble.position.unwrap();
        assert!((45.0..45.4).contains(&p.latitude) && (5.6..5.9).contains(&p.longitude));
        assert!(communes.get(CodeInsee::parse("2A004").unwrap()).is_some());
        // Every département has communes, and the populations add up to the départements'.
        for d in departements() {
            let total: u64 = communes
                .du_departement(d.code)
                .map(|c| u64::from(c.population.unwrap_or(0)))
                .sum();
            assert_eq!(total, u64::from(d.population), "{}", d.code);
        }
        let sans_position = communes.iter().filter(|c| c.position.is_none()).count();
        assert!(sans_position < 20, "{sans_position}");
        // Every commune has a postcode; Grenoble has two, Paris twenty-one.
        assert!(communes.iter().all(|c| !c.codes_postaux.is_empty()));
        assert_eq!(grenoble.codes_postaux, ["38000", "38100"]);
        let paris = communes.get(CodeInsee::parse("75056").unwrap()).unwrap();
        assert_eq!(paris.codes_postaux.len(), 21);
        let du_38100: Vec<&str> = communes
            .du_code_postal("38100")
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(du_38100, ["38185"]);
        // A postcode shared by several communes.
        assert!(communes.du_code_postal("38250").count() > 3);
    }

    #[test]
    fn colonne_codes_postaux_facultative() {
        let ancien =
            "code,nom,departement,population,latitude,longitude\n38185,Grenoble,38,1,45.1,5.7\n";
        let communes = Communes::depuis_csv(ancien).unwrap();
        assert!(communes.iter().next().unwrap().codes_postaux.is_empty());
        let nouveau = "code,nom,departement,population,latitude,longitude,codes_postaux\n\
                       38185,Grenoble,38,1,45.1,5.7,38100 38000 38100\n";
        let communes = Communes::depuis_csv(nouveau).unwrap();
        assert_eq!(
            communes.iter().next().unwrap().codes_postaux,
            ["38000", "38100"]
        );
        let faux = "code,nom,departement,population,latitude,longitude,codes_postaux\n\
                    38185,Grenoble,38,1,45.1,5.7,3800\n";
        let e = Communes::depuis_csv(faux).unwrap_err();
        assert!(e.to_string().contains("code postal"), "{e}");
    }

    #[test]
    fn erreurs() {
        let entete = "code,nom,departement,population,latitude,longitude\n";
        let e = Communes::depuis_csv(&format!("{entete}38185,Grenoble,38,1,45.1,\n")).unwrap_err();
        assert_eq!(e.ligne, 2);
        let e = Communes::depuis_csv(&format!("{entete}3818,Grenoble,38,1,,\n")).unwrap_err();
        assert!(e.to_string().contains("5 caractères"), "{e}");
        let e =
            Communes::depuis_csv(&format!("{entete}38185,A,38,1,,\n38185,B,38,1,,\n")).unwrap_err();
        assert!(e.to_string().contains("deux fois"), "{e}");
    }
}
