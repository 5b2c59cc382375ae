//! Dated, sourced parameters of the schemes, in the spirit of OpenFisca: each parameter has a
//! description, a unit and values keyed by the date they take effect (with an optional end), each
//! with its source. They are read from YAML files, one folder per dispositif under `parameters/`,
//! and validated as a whole when loaded.

mod chargement;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use time::Date;

use crate::exact::Decimal;

pub use chargement::{ErreurChargement, FichierParametres};

/// The unit of a parameter's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unite {
    /// Euros.
    Euros,
    /// A ratio between 0 and 1 (0.8 is 80 %).
    Ratio,
    /// Full-time equivalents.
    Etp,
    /// Hours.
    Heures,
    /// A number of families.
    Familles,
    /// A number of sessions (entretiens).
    Entretiens,
    /// Months.
    Mois,
}

impl Unite {
    /// The spelling used in parameter files.
    pub const NOMS: [(&'static str, Unite); 7] = [
        ("EUR", Unite::Euros),
        ("ratio", Unite::Ratio),
        ("ETP", Unite::Etp),
        ("heures", Unite::Heures),
        ("familles", Unite::Familles),
        ("entretiens", Unite::Entretiens),
        ("mois", Unite::Mois),
    ];

    pub fn depuis_nom(nom: &str) -> Option<Unite> {
        Unite::NOMS.iter().find(|(n, _)| *n == nom).map(|(_, u)| *u)
    }

    pub fn nom(self) -> &'static str {
        Unite::NOMS
            .iter()
            .find(|(_, u)| *u == self)
            .map_or("?", |(n, _)| n)
    }
}

impl fmt::Display for Unite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.nom())
    }
}

/// Where a value comes from: a text and its paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub texte: String,
    pub paragraphe: String,
}

/// One value of a parameter with its validity period (`fin` included) and source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValeurDatee {
    pub valeur: Decimal,
    pub debut: Date,
    pub fin: Option<Date>,
    pub source: Source,
    /// The file and line the value was read from, for error messages.
    pub origine: String,
}

impl ValeurDatee {
    pub fn en_vigueur(&self, date: Date) -> bool {
        self.debut <= date && self.fin.is_none_or(|fin| date <= fin)
    }
}

/// A named parameter (`aip.prix_plafond`) with all its dated values, sorted by start date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parametre {
    pub nom: String,
    pub description: String,
    pub unite: Unite,
    pub valeurs: Vec<ValeurDatee>,
}

/// The value of one parameter at one date, as used by a computation (and shown in its trace).
#[derive(Debug, Clone, Copy)]
pub struct ValeurUtilisee<'p> {
    pub parametre: &'p Parametre,
    pub valeur: &'p ValeurDatee,
}

/// Asking for a parameter that has no value in force: an error, never a silent zero.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurParametre {
    #[error("paramètre {0} inconnu")]
    Inconnu(String),
    /// Said to people by the parameter's description, never its key (kept for programs).
    #[error(
        "aucune valeur n'est fixée au {} pour « {description} » : les paramètres de la \
         plateforme ne couvrent pas cette date",
        crate::conformite::date_fr(*date)
    )]
    SansValeur {
        nom: String,
        description: String,
        date: Date,
    },
}

/// Every parameter of every dispositif, validated.
#[derive(Debug, Clone, Default)]
pub struct Parametres {
    parametres: BTreeMap<String, Arc<Parametre>>,
}

impl Parametres {
    /// The parameter files compiled into the program (the project's `parameters/` folder).
    pub fn embarques() -> Result<Parametres, ErreurChargement> {
        let fichiers = EMBARQUES.iter().map(|(chemin, texte)| FichierParametres {
            chemin: (*chemin).to_owned(),
            texte: (*texte).to_owned(),
        });
        chargement::charger(fichiers)
    }

    /// Reads every `*.yaml` file of every dispositif folder under `dossier`.
    pub fn depuis_dossier(dossier: &std::path::Path) -> Result<Parametres, ErreurChargement> {
        chargement::charger(chargement::lire_dossier(dossier)?)
    }

    /// Validates parameter files given as texts.
    pub fn depuis_fichiers(
        fichiers: impl IntoIterator<Item = FichierParametres>,
    ) -> Result<Parametres, ErreurChargement> {
        chargement::charger(fichiers)
    }

    pub fn parametre(&self, nom: &str) -> Result<&Parametre, ErreurParametre> {
        self.parametres
            .get(nom)
            .map(|p| p.as_ref())
            .ok_or_else(|| ErreurParametre::Inconnu(nom.to_owned()))
    }

    /// The value of `nom` in force at `date`.
    pub fn valeur(&self, nom: &str, date: Date) -> Result<ValeurUtilisee<'_>, ErreurParametre> {
        let parametre = self.parametre(nom)?;
        parametre
            .valeurs
            .iter()
            .find(|v| v.en_vigueur(date))
            .map(|valeur| ValeurUtilisee { parametre, valeur })
            .ok_or_else(|| ErreurParametre::SansValeur {
                nom: nom.to_owned(),
                description: parametre.description.clone(),
                date,
            })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Parametre> {
        self.parametres.values().map(|p| p.as_ref())
    }
}

include!(concat!(env!("OUT_DIR"), "/parametres_embarques.rs"));
