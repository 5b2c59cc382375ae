//! Open data: the platform's published offer for parents (the gestionnaires that publish
//! services, and those services) in the data·inclusion schema v1, the State's schema of the
//! social-inclusion offer, under the Licence Ouverte 2.0. Pure functions from our records to
//! the schema's ([`schema`]), the CSV form ([`tableau`]) and the pages of the API
//! ([`pagination`]). What is published is only what the gestionnaire chose to publish on its
//! services, never a person's name (see `docs/donnees-ouvertes.md`).

pub mod dispositifs;
pub mod pagination;
pub mod schema;
pub mod services;
pub mod tableau;

use time::OffsetDateTime;

use crate::identifiants::GestionnaireId;
use crate::structures::{Gestionnaire, StatutJuridique};
use crate::territoire::Communes;

pub use schema::{ServiceDataInclusion, StructureDataInclusion, VERSION_SCHEMA};

/// The producer's identifier (`source` of every record, prefix of every id).
pub const SOURCE: &str = "parentalite";

/// The licence of the data.
pub const LICENCE: &str = "Licence Ouverte / Open Licence version 2.0";
/// Where the licence is published.
pub const LIEN_LICENCE: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

/// The longest name the schema accepts (`nom`, 3 to 150 characters).
const NOM_MAX: usize = 150;

/// What the mapping needs besides the records: the public address of the platform (to link to
/// its pages) and the communes (to name them).
#[derive(Debug, Clone, Copy)]
pub struct Contexte<'a> {
    /// `https://parentalite.example.fr`, without a final slash.
    pub adresse_publique: &'a str,
    pub communes: &'a Communes,
}

/// The schema's id of a gestionnaire's structure.
pub fn id_structure(gestionnaire: &Gestionnaire) -> String {
    id_structure_de(gestionnaire.id)
}

/// The schema's id of the structure of a gestionnaire, by its identifier.
pub fn id_structure_de(gestionnaire: GestionnaireId) -> String {
    format!("{SOURCE}--structure-{}", gestionnaire.0)
}

/// A text as the schema wants it: trimmed, spaces collapsed, `None` when empty.
pub(crate) fn texte(valeur: &str) -> Option<String> {
    let propre = valeur.split_whitespace().collect::<Vec<_>>().join(" ");
    (!propre.is_empty()).then_some(propre)
}

/// A name as the schema wants it: 3 to 150 characters, not ending with a period (the schema's
/// warning, which the tests treat as an error).
pub(crate) fn nom(valeur: &str, a_defaut: &str) -> String {
    let mut nom = texte(valeur).unwrap_or_else(|| a_defaut.to_owned());
    if nom.chars().count() > NOM_MAX {
        nom = nom.chars().take(NOM_MAX - 1).collect::<String>();
        nom = format!("{}…", nom.trim_end());
    }
    while nom.ends_with('.') && !nom.ends_with("etc.") {
        nom.pop();
        nom = nom.trim_end().to_owned();
    }
    if nom.chars().count() < 3 {
        nom = format!("{a_defaut} {nom}").trim().to_owned();
    }
    nom
}

/// The structure of a gestionnaire that publishes at least one service, last updated at
/// `mis_a_jour_le` (the latest update of its published services: the structure record is built
/// from them and from the gestionnaire's identity).
///
/// Published: the name, the SIRET and the head office's address (public in the Sirene register
/// for an organisation). Not published: the gestionnaire's e-mail address, given to the Caf for
/// the file, not to the public. A gestionnaire of status « autre » may be a sole trader, whose
/// head office may be a home: only its commune is published.
pub fn structure(
    gestionnaire: &Gestionnaire,
    mis_a_jour_le: OffsetDateTime,
    contexte: &Contexte<'_>,
) -> StructureDataInclusion {
    let siege = &gestionnaire.siege;
    let organisation = gestionnaire.statut != StatutJuridique::Autre;
    StructureDataInclusion {
        source: SOURCE.to_owned(),
        id: id_structure(gestionnaire),
        nom: nom(&gestionnaire.raison_sociale, "Structure"),
        date_maj: mis_a_jour_le.date(),
        description: None,
        lien_source: None,
        siret: organisation.then(|| gestionnaire.siret.as_str().to_owned()),
        commune: contexte.communes.get(siege.commune).map(|c| c.nom.clone()),
        code_postal: Some(siege.code_postal.trim().to_owned()),
        code_insee: Some(siege.commune.as_str().to_owned()),
        adresse: if organisation {
            texte(&siege.voie)
        } else {
            None
        },
        complement_adresse: if organisation {
            siege.complement.as_deref().and_then(texte)
        } else {
            None
        },
        longitude: None,
        latitude: None,
        telephone: None,
        courriel: None,
        site_web: None,
        horaires_accueil: None,
        accessibilite_lieu: None,
        reseaux_porteurs: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifiants::{CodeDepartement, CodeInsee, Siret};
    use crate::structures::{Adresse, Engagements, TypeActivite};
    use time::macros::datetime;

    pub(crate) fn gestionnaire(statut: StatutJuridique) -> Gestionnaire {
        Gestionnaire {
            id: GestionnaireId(7),
            raison_sociale: "  Association  Les Liens du Grésivaudan. ".to_owned(),
            siret: Siret::parse("13003013300016").unwrap_or_else(|e| panic!("{e}")),
            rna: None,
            statut,
            activite: TypeActivite::Generaliste,
            siege: Adresse {
                voie: "12 rue des Alpes".to_owned(),
                complement: Some("Bâtiment B".to_owned()),
                code_postal: "38000".to_owned(),
                commune: CodeInsee::parse("38185").unwrap_or_else(|e| panic!("{e}")),
            },
            departement_siege: CodeDepartement::parse("38").unwrap_or_else(|e| panic!("{e}")),
            email: None,
            engagements: Engagements::default(),
            banque: None,
        }
    }

    #[test]
    fn les_noms_suivent_les_regles_du_schema() {
        assert_eq!(nom("Les Liens.", "Structure"), "Les Liens");
        assert_eq!(
            nom("Ateliers, jeux, etc.", "Service"),
            "Ateliers, jeux, etc."
        );
        assert_eq!(nom("AB", "Structure"), "Structure AB");
        assert_eq!(nom("   ", "Structure"), "Structure");
        let long = "x".repeat(300);
        assert_eq!(nom(&long, "Service").chars().count(), NOM_MAX);
    }

    #[test]
    fn une_association_publie_son_nom_son_siret_et_son_siege() {
        let communes = Communes::embarquees().unwrap_or_else(|e| panic!("{e}"));
        let contexte = Contexte {
            adresse_publique: "https://parentalite.example.fr",
            communes: &communes,
        };
        let s = structure(
            &gestionnaire(StatutJuridique::AssociationLoi1901),
            datetime!(2026-11-02 23:30 UTC),
            &contexte,
        );
        assert_eq!(s.id, "parentalite--structure-7");
        assert_eq!(s.source, "parentalite");
        assert_eq!(s.nom, "Association Les Liens du Grésivaudan");
        assert_eq!(s.siret.as_deref(), Some("13003013300016"));
        assert_eq!(s.commune.as_deref(), Some("Grenoble"));
        assert_eq!(s.adresse.as_deref(), Some("12 rue des Alpes"));
        assert_eq!(s.date_maj, time::macros::date!(2026 - 11 - 02));
        assert_eq!(s.courriel, None);
    }

    #[test]
    fn une_structure_de_statut_autre_ne_publie_que_sa_commune() {
        let communes = Communes::embarquees().unwrap_or_else(|e| panic!("{e}"));
        let contexte = Contexte {
            adresse_publique: "https://parentalite.example.fr",
            communes: &communes,
        };
        let s = structure(
            &gestionnaire(StatutJuridique::Autre),
            datetime!(2026-11-02 10:00 UTC),
            &contexte,
        );
        assert_eq!(s.adresse, None);
        assert_eq!(s.complement_adresse, None);
        assert_eq!(s.siret, None);
        assert_eq!(s.code_insee.as_deref(), Some("38185"));
    }
}
