//! The gestionnaire (porteur de projet): the legal entity that runs the service and signs the
//! convention, identified by its SIRET, with its legal status and kind of activity.

use referentiel::conformite;
use serde::{Deserialize, Serialize};

use super::{Adresse, Engagements};
use crate::identifiants::{CodeDepartement, Email, GestionnaireId, Rna, Siret};
use crate::refus::Refus;
use crate::texte::vide;

/// The legal status of a gestionnaire (Référentiel national de financement de l'AIP §II.2, first list; docs/eligibilite-aip.md). Mirrors
/// [`referentiel::conformite::StatutJuridique`] with the same codes, so that the conformity
/// checks run on a stored gestionnaire ([`StatutJuridique::vers_referentiel`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutJuridique {
    /// `association_loi_1901` (or of local law in Alsace-Moselle).
    #[serde(rename = "association_loi_1901")]
    AssociationLoi1901,
    /// `association_rup_sociale_ou_sanitaire`: reconnue d'utilité publique, social or health
    /// purpose.
    AssociationRupSocialeOuSanitaire,
    /// `association_rup_autre`: reconnue d'utilité publique, other purpose.
    AssociationRupAutre,
    /// `etablissement_social_medico_social`: public or private social, medico-social or health
    /// establishment.
    EtablissementSocialMedicoSocial,
    /// `collectivite_territoriale`: commune or EPCI.
    CollectiviteTerritoriale,
    /// `autre`: any other status (not eligible to the AIP).
    Autre,
}

impl StatutJuridique {
    pub const TOUS: [StatutJuridique; 6] = [
        StatutJuridique::AssociationLoi1901,
        StatutJuridique::AssociationRupSocialeOuSanitaire,
        StatutJuridique::AssociationRupAutre,
        StatutJuridique::EtablissementSocialMedicoSocial,
        StatutJuridique::CollectiviteTerritoriale,
        StatutJuridique::Autre,
    ];

    /// The référentiel's status, for its conformity checks.
    pub fn vers_referentiel(self) -> conformite::StatutJuridique {
        use conformite::StatutJuridique as R;
        match self {
            StatutJuridique::AssociationLoi1901 => R::AssociationLoi1901,
            StatutJuridique::AssociationRupSocialeOuSanitaire => {
                R::AssociationReconnueUtilitePublique {
                    a_caractere_social_ou_sanitaire: true,
                }
            }
            StatutJuridique::AssociationRupAutre => R::AssociationReconnueUtilitePublique {
                a_caractere_social_ou_sanitaire: false,
            },
            StatutJuridique::EtablissementSocialMedicoSocial => {
                R::EtablissementSocialOuMedicoSocial
            }
            StatutJuridique::CollectiviteTerritoriale => R::CollectiviteTerritoriale,
            StatutJuridique::Autre => R::Autre(String::new()),
        }
    }

    /// The same code as the référentiel's.
    pub fn code(self) -> &'static str {
        self.vers_referentiel().code()
    }

    pub fn depuis_code(code: &str) -> Option<StatutJuridique> {
        StatutJuridique::TOUS.into_iter().find(|s| s.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        self.vers_referentiel().libelle()
    }

    pub fn est_association(self) -> bool {
        matches!(
            self,
            StatutJuridique::AssociationLoi1901
                | StatutJuridique::AssociationRupSocialeOuSanitaire
                | StatutJuridique::AssociationRupAutre
        )
    }
}

/// What the structure does, as far as the référentiel restricts it (Référentiel national de financement de l'AIP §II.2, second
/// list). Mirrors [`referentiel::conformite::TypeActivite`] with the same codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeActivite {
    /// `generaliste`: a service open to all parents.
    Generaliste,
    /// `centre_social`: eligible on two conditions checked by the référentiel.
    CentreSocial,
    /// `paej`: point accueil écoute jeunes, excluded.
    Paej,
    /// `maison_des_adolescents`: excluded.
    MaisonDesAdolescents,
    /// `programme_reussite_educative`: excluded.
    ProgrammeReussiteEducative,
    /// `service_specialise_medico_social`: excluded.
    ServiceSpecialiseMedicoSocial,
    /// `autre`.
    Autre,
}

impl TypeActivite {
    pub const TOUS: [TypeActivite; 7] = [
        TypeActivite::Generaliste,
        TypeActivite::CentreSocial,
        TypeActivite::Paej,
        TypeActivite::MaisonDesAdolescents,
        TypeActivite::ProgrammeReussiteEducative,
        TypeActivite::ServiceSpecialiseMedicoSocial,
        TypeActivite::Autre,
    ];

    /// The référentiel's activity, for its conformity checks.
    pub fn vers_referentiel(self) -> conformite::TypeActivite {
        use conformite::TypeActivite as R;
        match self {
            TypeActivite::Generaliste => R::Generaliste,
            TypeActivite::CentreSocial => R::CentreSocial,
            TypeActivite::Paej => R::Paej,
            TypeActivite::MaisonDesAdolescents => R::MaisonDesAdolescents,
            TypeActivite::ProgrammeReussiteEducative => R::ProgrammeReussiteEducative,
            TypeActivite::ServiceSpecialiseMedicoSocial => R::ServiceSpecialiseMedicoSocial,
            TypeActivite::Autre => R::Autre(String::new()),
        }
    }

    pub fn code(self) -> &'static str {
        self.vers_referentiel().code()
    }

    pub fn depuis_code(code: &str) -> Option<TypeActivite> {
        TypeActivite::TOUS.into_iter().find(|t| t.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        self.vers_referentiel().libelle()
    }
}

/// A gestionnaire. Its eligibility to the AIP (status, activity, commitments) is judged by
/// [`referentiel::conformite::verifier_structure`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gestionnaire {
    pub id: GestionnaireId,
    pub raison_sociale: String,
    pub siret: Siret,
    pub rna: Option<Rna>,
    pub statut: StatutJuridique,
    pub activite: TypeActivite,
    pub siege: Adresse,
    /// The département of the head office, from the commune table (not from the code prefix).
    pub departement_siege: CodeDepartement,
    pub email: Option<Email>,
    /// The commitments of the référentiel as attested by the gestionnaire and checked by the
    /// Caf (absent from records written before they were followed).
    #[serde(default)]
    pub engagements: Engagements,
    /// The account the Caf pays into (absent until the structure or its Caf records it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banque: Option<super::CoordonneesBancaires>,
}

impl Gestionnaire {
    /// Checks the record before it is stored.
    ///
    /// RNA rule. **Interpretation**: an association declared under the law of 1901 has an RNA
    /// number, which is required; an association whose head office is in Moselle, Bas-Rhin or
    /// Haut-Rhin lives under local law, is registered at the tribunal judiciaire and has none, so
    /// there it is optional. Communes and EPCI are not associations and have none (refused if
    /// given). An establishment may be run by an association and carry its number: optional.
    pub fn verifier(&self) -> Result<(), Refus> {
        const ACTION: &str = "Enregistrer le gestionnaire";
        if vide(&self.raison_sociale) {
            return Err(Refus::Incomplet {
                action: ACTION,
                champs: vec!["raison sociale"],
            });
        }
        crate::texte::controler(ACTION, "Raison sociale", &self.raison_sociale, false)?;
        self.siege.verifier(ACTION)?;
        match (&self.rna, self.statut) {
            (None, s) if s.est_association() && !self.departement_siege.est_alsace_moselle() => {
                Err(Refus::invalide(
                    ACTION,
                    "le numéro RNA est obligatoire pour une association (sauf en Alsace-Moselle, où les associations relèvent du droit local)",
                ))
            }
            (Some(_), StatutJuridique::CollectiviteTerritoriale) => Err(Refus::invalide(
                ACTION,
                "une collectivité territoriale (commune, EPCI) n'a pas de numéro RNA",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifiants::CodeInsee;

    fn association(departement: &str, commune: &str, rna: Option<&str>) -> Gestionnaire {
        Gestionnaire {
            id: GestionnaireId(1),
            raison_sociale: "Association Parents en Isère".into(),
            siret: Siret::parse("73282932000074").unwrap(),
            rna: rna.map(|r| Rna::parse(r).unwrap()),
            statut: StatutJuridique::AssociationLoi1901,
            activite: TypeActivite::Generaliste,
            siege: Adresse {
                voie: "12 rue des Alpes".into(),
                complement: None,
                code_postal: "38000".into(),
                commune: CodeInsee::parse(commune).unwrap(),
            },
            departement_siege: CodeDepartement::parse(departement).unwrap(),
            email: None,
            engagements: Engagements::default(),
            banque: None,
        }
    }

    #[test]
    fn rna_obligatoire_hors_alsace_moselle() {
        assert!(
            association("38", "38185", Some("W381000123"))
                .verifier()
                .is_ok()
        );
        let e = association("38", "38185", None).verifier().unwrap_err();
        assert!(e.raison().contains("RNA est obligatoire"), "{e}");
        assert!(association("67", "67482", None).verifier().is_ok());
        assert!(association("57", "57463", None).verifier().is_ok());
        assert!(
            association("68", "68224", Some("W681000123"))
                .verifier()
                .is_ok()
        );
    }

    #[test]
    fn collectivite_sans_rna() {
        let mut commune = association("38", "38185", Some("W381000123"));
        commune.statut = StatutJuridique::CollectiviteTerritoriale;
        assert!(
            commune
                .verifier()
                .unwrap_err()
                .raison()
                .contains("pas de numéro RNA")
        );
        commune.rna = None;
        assert!(commune.verifier().is_ok());
    }

    #[test]
    fn champs_obligatoires() {
        let mut g = association("38", "38185", Some("W381000123"));
        g.raison_sociale = " ".into();
        assert_eq!(g.verifier().unwrap_err().code(), "incomplet");
        let mut g = association("38", "38185", Some("W381000123"));
        g.siege.code_postal = "380".into();
        assert_eq!(g.verifier().unwrap_err().code(), "invalide");
    }

    #[test]
    fn memes_codes_que_le_referentiel() {
        for statut in StatutJuridique::TOUS {
            assert_eq!(StatutJuridique::depuis_code(statut.code()), Some(statut));
            assert_eq!(
                serde_json::to_string(&statut).unwrap(),
                format!("\"{}\"", statut.code())
            );
        }
        for activite in TypeActivite::TOUS {
            assert_eq!(TypeActivite::depuis_code(activite.code()), Some(activite));
            assert_eq!(
                serde_json::to_string(&activite).unwrap(),
                format!("\"{}\"", activite.code())
            );
        }
        assert!(TypeActivite::Paej.vers_referentiel().est_exclue());
        // A stored gestionnaire goes straight into the référentiel's eligibility check.
        use referentiel::conformite::{StructureAip, verifier_structure};
        let g = association("38", "38185", Some("W381000123"));
        let paej = StructureAip::new(
            g.statut.vers_referentiel(),
            TypeActivite::Paej.vers_referentiel(),
        );
        let autre = StructureAip::new(
            StatutJuridique::Autre.vers_referentiel(),
            g.activite.vers_referentiel(),
        );
        let ok = StructureAip::new(g.statut.vers_referentiel(), g.activite.vers_referentiel());
        assert!(verifier_structure(&paej).verdict() > verifier_structure(&ok).verdict());
        assert!(verifier_structure(&autre).verdict() > verifier_structure(&ok).verdict());
        assert_eq!(
            StatutJuridique::AssociationLoi1901.libelle(),
            "association loi 1901"
        );
    }
}
