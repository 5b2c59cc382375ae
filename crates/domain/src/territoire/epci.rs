//! The EPCI à fiscalité propre (métropoles, communautés urbaines, d'agglomération and de
//! communes) and their member communes, read from `data/epci.csv`, so that the diagnosis of a
//! département can be summed up by intercommunality.
//!
//! Like the communes, the file (about 260 kB) is compiled in as text ([`EPCI_CSV`]) and parsed
//! only when asked ([`Epcis::embarques`]).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::ErreurDonnees;
use crate::identifiants::CodeInsee;

/// The text of `data/epci.csv` (see `data/README.md` for its provenance).
pub const EPCI_CSV: &str = include_str!("../../../../data/epci.csv");

const FICHIER: &str = "data/epci.csv";

/// An EPCI à fiscalité propre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Epci {
    /// Its SIREN number.
    pub code: String,
    pub nom: String,
    /// `METRO`, `CU`, `CA` or `CC`.
    pub nature: String,
    pub communes: Vec<CodeInsee>,
}

#[derive(Deserialize)]
struct Ligne {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    nature: String,
    communes: String,
}

/// The EPCI, sorted by code, and the EPCI of each member commune.
#[derive(Debug, Clone, Default)]
pub struct Epcis {
    epcis: Vec<Epci>,
    par_commune: HashMap<CodeInsee, usize>,
}

impl Epcis {
    /// Reads an EPCI file (`code,nom,type,communes`, the communes separated by spaces). A
    /// commune may belong to one EPCI only.
    pub fn depuis_csv(texte: &str) -> Result<Epcis, ErreurDonnees> {
        let mut lecteur = csv::Reader::from_reader(texte.as_bytes());
        let mut lignes = Vec::new();
        for (i, ligne) in lecteur.deserialize::<Ligne>().enumerate() {
            let numero = i as u64 + 2;
            let erreur = |raison: String| ErreurDonnees {
                fichier: FICHIER,
                ligne: numero,
                raison,
            };
            let ligne = ligne.map_err(|e| erreur(e.to_string()))?;
            let communes = ligne
                .communes
                .split_whitespace()
                .map(CodeInsee::parse)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| erreur(e.to_string()))?;
            lignes.push((
                numero,
                Epci {
                    code: ligne.code,
                    nom: ligne.nom,
                    nature: ligne.nature,
                    communes,
                },
            ));
        }
        lignes.sort_by(|a, b| a.1.code.cmp(&b.1.code));
        let mut par_commune = HashMap::new();
        let mut epcis = Vec::with_capacity(lignes.len());
        for (rang, (numero, epci)) in lignes.into_iter().enumerate() {
            for commune in &epci.communes {
                if par_commune.insert(*commune, rang).is_some() {
                    return Err(ErreurDonnees {
                        fichier: FICHIER,
                        ligne: numero,
                        raison: format!("la commune {} appartient à deux EPCI", commune.as_str()),
                    });
                }
            }
            epcis.push(epci);
        }
        Ok(Epcis { epcis, par_commune })
    }

    /// The EPCI compiled into the program.
    pub fn embarques() -> Result<Epcis, ErreurDonnees> {
        Epcis::depuis_csv(EPCI_CSV)
    }

    /// The EPCI `commune` belongs to, if any.
    pub fn de_la_commune(&self, commune: CodeInsee) -> Option<&Epci> {
        self.par_commune
            .get(&commune)
            .and_then(|rang| self.epcis.get(*rang))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Epci> {
        self.epcis.iter()
    }

    pub fn len(&self) -> usize {
        self.epcis.len()
    }

    pub fn is_empty(&self) -> bool {
        self.epcis.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::territoire::Communes;

    #[test]
    fn epci_embarques() {
        let epcis = Epcis::embarques().unwrap();
        assert_eq!(epcis.len(), 1_255);
        let grenoble = CodeInsee::parse("38185").unwrap();
        let metro = epcis.de_la_commune(grenoble).unwrap();
        assert_eq!(metro.nature, "METRO");
        assert!(metro.nom.contains("Grenoble"), "{}", metro.nom);
        // Every commune but four islands belongs to an EPCI.
        let communes = Communes::embarquees().unwrap();
        let sans: Vec<&str> = communes
            .iter()
            .filter(|c| epcis.de_la_commune(c.code).is_none())
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(sans, vec!["22016", "29083", "29155", "85113"]);
    }

    #[test]
    fn une_commune_dans_deux_epci_est_refusee() {
        let e = Epcis::depuis_csv("code,nom,type,communes\n1,A,CC,38001 38002\n2,B,CC,38002\n")
            .unwrap_err();
        assert!(e.to_string().contains("deux EPCI"), "{e}");
        assert_eq!(e.ligne, 3);
    }
}
