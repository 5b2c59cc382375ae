//! The records of the data·inclusion schema v1 (« schéma de l'offre d'insertion », version 1 of
//! the package `data-inclusion-schema` 1.0.10) that the platform publishes: a structure and a
//! service, field for field in the schema's order, and the values of its référentiels that we
//! emit. The schema's own validator checks every published record in the tests
//! (`scripts/valider-data-inclusion.py`).

use serde::{Deserialize, Serialize};
use time::Date;

/// The version of the schema the records follow.
pub const VERSION_SCHEMA: &str = "1.0.10";

/// A value of one of the schema's référentiels: its code, and its French label as the schema
/// writes it.
pub trait Referentiel: Copy + 'static {
    const TOUS: &'static [Self];
    fn code(self) -> &'static str;
    fn libelle(self) -> &'static str;
}

macro_rules! referentiel {
    ($(#[$doc:meta])* $nom:ident { $($(#[$vdoc:meta])* $variante:ident = ($code:literal, $libelle:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $nom {
            $($(#[$vdoc])* #[serde(rename = $code)] $variante),+
        }

        impl Referentiel for $nom {
            const TOUS: &'static [$nom] = &[$($nom::$variante),+];
            fn code(self) -> &'static str {
                match self { $($nom::$variante => $code),+ }
            }
            fn libelle(self) -> &'static str {
                match self { $($nom::$variante => $libelle),+ }
            }
        }
    };
}

referentiel! {
    /// The themes (référentiel « thématiques ») the platform's services address. Only those we
    /// emit: the schema has about eighty.
    Thematique {
        SoutienParentaliteEducation = ("famille--soutien-a-la-parentalite-et-a-leducation", "Soutien à la parentalité et à l’éducation"),
        SurmonterConflitsSeparationViolence = ("famille--surmonter-conflits-separation-violence", "Surmonter les conflits liés à la séparation ou à la violence"),
        LienSocial = ("remobilisation--lien-social", "Lien social"),
        BienEtreConfianceEnSoi = ("remobilisation--bien-etre-confiance-en-soi", "Bien-être et confiance en soi"),
        AccesAuxDroits = ("difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits", "Accompagnement pour l’accès aux droits"),
    }
}

referentiel! {
    /// The types of services (référentiel « types de services »).
    TypeService {
        Accompagnement = ("accompagnement", "Accompagnement"),
        Atelier = ("atelier", "Atelier"),
        Information = ("information", "Information"),
    }
}

referentiel! {
    /// Fees (référentiel « frais »): the schema knows only free and paid.
    Frais {
        Gratuit = ("gratuit", "Gratuit"),
        Payant = ("payant", "Payant"),
    }
}

referentiel! {
    /// The publics (référentiel « publics ») we emit: every public of the directory is a family
    /// one.
    Public {
        Familles = ("familles", "Familles"),
    }
}

referentiel! {
    /// How the service is delivered (référentiel « modes d’accueil »).
    ModeAccueil {
        EnPresentiel = ("en-presentiel", "En présentiel"),
        ADistance = ("a-distance", "À distance"),
    }
}

referentiel! {
    /// How a person gets the service (référentiel « modes de mobilisation »).
    ModeMobilisation {
        SePresenter = ("se-presenter", "Se présenter"),
        Telephoner = ("telephoner", "Téléphoner"),
        EnvoyerUnCourriel = ("envoyer-un-courriel", "Envoyer un courriel"),
        UtiliserLienMobilisation = ("utiliser-lien-mobilisation", "Utiliser le lien de mobilisation"),
    }
}

referentiel! {
    /// Who may get the service going (référentiel « personnes mobilisatrices »): parents
    /// themselves.
    PersonneMobilisatrice {
        Usagers = ("usagers", "Usagers"),
    }
}

/// A structure of the schema v1 (`data_inclusion.schema.v1.Structure`), every field in the
/// schema's order; an absent value is `null` in JSON and an empty cell in CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructureDataInclusion {
    pub source: String,
    pub id: String,
    pub nom: String,
    #[serde(with = "crate::serde_dates::date")]
    pub date_maj: Date,
    pub description: Option<String>,
    pub lien_source: Option<String>,
    pub siret: Option<String>,
    pub commune: Option<String>,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    pub adresse: Option<String>,
    pub complement_adresse: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub site_web: Option<String>,
    pub horaires_accueil: Option<String>,
    pub accessibilite_lieu: Option<String>,
    pub reseaux_porteurs: Option<Vec<String>>,
}

/// A service of the schema v1 (`data_inclusion.schema.v1.Service`), every field in the schema's
/// order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceDataInclusion {
    pub source: String,
    pub structure_id: String,
    pub id: String,
    pub nom: String,
    pub description: String,
    pub lien_source: Option<String>,
    #[serde(with = "crate::serde_dates::date")]
    pub date_maj: Date,
    #[serde(rename = "type")]
    pub type_service: Option<TypeService>,
    pub thematiques: Option<Vec<Thematique>>,
    pub frais: Option<Frais>,
    pub frais_precisions: Option<String>,
    pub publics: Option<Vec<Public>>,
    pub publics_precisions: Option<String>,
    pub conditions_acces: Option<String>,
    pub commune: Option<String>,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    pub adresse: Option<String>,
    pub complement_adresse: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub modes_accueil: Option<Vec<ModeAccueil>>,
    pub zone_eligibilite: Option<Vec<String>>,
    pub contact_nom_prenom: Option<String>,
    pub lien_mobilisation: Option<String>,
    pub modes_mobilisation: Option<Vec<ModeMobilisation>>,
    pub mobilisable_par: Option<Vec<PersonneMobilisatrice>>,
    pub mobilisation_precisions: Option<String>,
    pub volume_horaire_hebdomadaire: Option<f64>,
    pub nombre_semaines: Option<u32>,
    pub horaires_accueil: Option<String>,
}

/// The columns of the structures' CSV file, in the schema's order.
pub const COLONNES_STRUCTURES: [&str; 20] = [
    "source",
    "id",
    "nom",
    "date_maj",
    "description",
    "lien_source",
    "siret",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "site_web",
    "horaires_accueil",
    "accessibilite_lieu",
    "reseaux_porteurs",
];

/// The columns of the services' CSV file, in the schema's order.
pub const COLONNES_SERVICES: [&str; 33] = [
    "source",
    "structure_id",
    "id",
    "nom",
    "description",
    "lien_source",
    "date_maj",
    "type",
    "thematiques",
    "frais",
    "frais_precisions",
    "publics",
    "publics_precisions",
    "conditions_acces",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "modes_accueil",
    "zone_eligibilite",
    "contact_nom_prenom",
    "lien_mobilisation",
    "modes_mobilisation",
    "mobilisable_par",
    "mobilisation_precisions",
    "volume_horaire_hebdomadaire",
    "nombre_semaines",
    "horaires_accueil",
];
