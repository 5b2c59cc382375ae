//! The 101 départements (INSEE code, name, region, population), embedded from
//! `data/departements.csv`, and which of them take part in the AIP experiment.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::ErreurDonnees;
use crate::experimentation;
use crate::identifiants::CodeDepartement;

/// The text of `data/departements.csv` (see `data/README.md` for its provenance).
pub const DEPARTEMENTS_CSV: &str = include_str!("../../../../data/departements.csv");

const FICHIER: &str = "data/departements.csv";

/// A département.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Departement {
    pub code: CodeDepartement,
    pub nom: String,
    /// INSEE code of the region.
    pub region: String,
    /// Legal population (population municipale): the sum of its communes'.
    pub population: u32,
    /// INSEE's « type de nom en clair » (TNCC): which article and preposition the name takes.
    pub type_liaison: u8,
    /// Whether its Caf is one of the ten of the AIP experiment (Référentiel national de financement de l'AIP, note 7).
    pub experimentation_aip: bool,
}

impl Departement {
    /// The name with the preposition French puts before it: « de l'Isère », « du Nord »,
    /// « de la Gironde », « des Yvelines », « de Paris », « d'Eure-et-Loir ».
    pub fn nom_precede_de(&self) -> String {
        let nom = &self.nom;
        match self.type_liaison {
            1 => format!("d'{nom}"),
            2 => format!("du {nom}"),
            3 => format!("de la {nom}"),
            4 | 6 => format!("des {nom}"),
            5 => format!("de l'{nom}"),
            7 => format!("de las {nom}"),
            8 => format!("de los {nom}"),
            _ => format!("de {nom}"),
        }
    }
}

#[derive(Deserialize)]
struct Ligne {
    code: String,
    nom: String,
    region: String,
    population: u32,
    type_liaison: u8,
}

/// Reads a départements file (`code,nom,region,population,type_liaison`).
pub fn lire_departements(texte: &str) -> Result<Vec<Departement>, ErreurDonnees> {
    let mut lecteur = csv::Reader::from_reader(texte.as_bytes());
    let mut departements = Vec::new();
    for (i, ligne) in lecteur.deserialize::<Ligne>().enumerate() {
        let numero = i as u64 + 2;
        let erreur = |raison: String| ErreurDonnees {
            fichier: FICHIER,
            ligne: numero,
            raison,
        };
        let ligne = ligne.map_err(|e| erreur(e.to_string()))?;
        let code = CodeDepartement::parse(&ligne.code).map_err(|e| erreur(e.to_string()))?;
        departements.push(Departement {
            code,
            experimentation_aip: experimentation::est_departement_aip(code),
            nom: ligne.nom,
            region: ligne.region,
            population: ligne.population,
            type_liaison: ligne.type_liaison,
        });
    }
    departements.sort_by_key(|d| d.code);
    Ok(departements)
}

static DEPARTEMENTS: LazyLock<Vec<Departement>> = LazyLock::new(|| {
    match lire_departements(DEPARTEMENTS_CSV) {
        Ok(departements) => departements,
        // The file is compiled in and read by a unit test: failing here is a build defect.
        Err(e) => panic!("données embarquées illisibles: {e}"),
    }
});

/// The 101 départements, in INSEE order.
pub fn departements() -> &'static [Departement] {
    &DEPARTEMENTS
}

/// The département of `code`.
pub fn departement(code: CodeDepartement) -> Option<&'static Departement> {
    let tous = departements();
    tous.binary_search_by_key(&code, |d| d.code)
        .ok()
        .and_then(|i| tous.get(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cent_un_departements() {
        let tous = lire_departements(DEPARTEMENTS_CSV).unwrap();
        assert_eq!(tous.len(), 101);
        assert_eq!(departements().len(), 101);
        let isere = departement(CodeDepartement::parse("38").unwrap()).unwrap();
        assert_eq!(isere.nom, "Isère");
        assert_eq!(isere.nom_precede_de(), "de l'Isère");
        assert!(isere.experimentation_aip);
        assert!(isere.population > 1_000_000);
        let aip: Vec<&str> = departements()
            .iter()
            .filter(|d| d.experimentation_aip)
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(
            aip,
            ["30", "33", "38", "52", "56", "59", "78", "79", "81", "85"]
        );
        assert!(departements().iter().all(|d| d.population > 0));
        let nom = |c: &str| {
            departement(CodeDepartement::parse(c).unwrap())
                .unwrap()
                .nom_precede_de()
        };
        assert_eq!(nom("59"), "du Nord");
        assert_eq!(nom("33"), "de la Gironde");
        assert_eq!(nom("78"), "des Yvelines");
        assert_eq!(nom("75"), "de Paris");
        assert_eq!(nom("974"), "de La Réunion");
        assert_eq!(nom("2A"), "de la Corse-du-Sud");
    }

    #[test]
    fn erreur_de_ligne() {
        let e = lire_departements("code,nom,region,population,type_liaison\n20,Corse,94,1,3\n")
            .unwrap_err();
        assert_eq!(e.ligne, 2);
        assert!(e.to_string().contains("2A"), "{e}");
    }
}
