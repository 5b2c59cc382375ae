//! The professional who holds the individual sessions (Référentiel national de financement de l'AIP §III): diploma and its level,
//! employment, criminal-record check, hours of analyse de la pratique. Whether one qualifies is
//! judged by [`referentiel::conformite::verifier_intervenant`]; the kinds here mirror its own,
//! with the same codes.

use referentiel::conformite;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::identifiants::{GestionnaireId, IntervenantId};
use crate::quantites::Etp;
use crate::refus::Refus;
use crate::texte::vide;

/// A diploma, with its level in the national nomenclature (Référentiel national de financement de l'AIP §III.2). Serialized with a
/// `code` tag: `{"code": "psychologue"}`, `{"code": "autre", "libelle": "…", "niveau": 7}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum Diplome {
    AssistantServiceSocial,
    EducateurSpecialise,
    #[serde(rename = "conseiller_esf")]
    ConseillerEconomieSocialeFamiliale,
    EducateurJeunesEnfants,
    MediateurFamilial,
    Psychologue,
    /// Level 5: excluded by Référentiel national de financement de l'AIP §III.2.
    ConseillerConjugal,
    /// A coaching certification alone: excluded by Référentiel national de financement de l'AIP §III.2.
    CoachUniquement,
    /// Any other diploma, with its level (1 to 8) when known and its field (psychologie,
    /// travail social, sciences de l'éducation…), which the Caf weighs for a level-7 diploma
    /// « de type psychologue » (Référentiel national de financement de l'AIP §III.2).
    Autre {
        libelle: String,
        niveau: Option<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        domaine: Option<String>,
    },
}

impl Diplome {
    /// The référentiel's diploma, for its conformity checks.
    pub fn vers_referentiel(&self) -> conformite::Diplome {
        use conformite::Diplome as R;
        match self {
            Diplome::AssistantServiceSocial => R::AssistantServiceSocial,
            Diplome::EducateurSpecialise => R::EducateurSpecialise,
            Diplome::ConseillerEconomieSocialeFamiliale => R::ConseillerEconomieSocialeFamiliale,
            Diplome::EducateurJeunesEnfants => R::EducateurJeunesEnfants,
            Diplome::MediateurFamilial => R::MediateurFamilial,
            Diplome::Psychologue => R::Psychologue,
            Diplome::ConseillerConjugal => R::ConseillerConjugal,
            Diplome::CoachUniquement => R::CoachUniquement,
            Diplome::Autre {
                libelle,
                niveau,
                domaine,
            } => R::Autre {
                libelle: match domaine.as_deref().map(str::trim) {
                    Some(d) if !d.is_empty() => format!("{}, domaine : {d}", libelle.trim()),
                    _ => libelle.clone(),
                },
                niveau: *niveau,
            },
        }
    }

    /// The same code as the référentiel's.
    pub fn code(&self) -> &'static str {
        self.vers_referentiel().code()
    }

    /// The level (6: the social-work diplomas named, 7: psychologist…), when known.
    pub fn niveau(&self) -> Option<u8> {
        self.vers_referentiel().niveau()
    }
}

/// The work status of the intervenant (Référentiel national de financement de l'AIP §III.2: salaried; volunteers are excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutIntervenant {
    /// `salarie`: employed by the structure or made available to it.
    Salarie,
    /// `benevole`.
    Benevole,
    /// `liberal`: self-employed, paid for a service.
    Liberal,
    /// `autre`.
    Autre,
}

impl StatutIntervenant {
    pub fn vers_referentiel(self) -> conformite::StatutIntervenant {
        use conformite::StatutIntervenant as R;
        match self {
            StatutIntervenant::Salarie => R::Salarie,
            StatutIntervenant::Benevole => R::Benevole,
            StatutIntervenant::Liberal => R::Liberal,
            StatutIntervenant::Autre => R::Autre(String::new()),
        }
    }

    pub fn code(self) -> &'static str {
        self.vers_referentiel().code()
    }
}

/// An intervenant of a gestionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intervenant {
    pub id: IntervenantId,
    pub gestionnaire: GestionnaireId,
    pub nom: String,
    pub prenom: String,
    pub diplome: Diplome,
    pub statut: StatutIntervenant,
    /// Significant experience in parenting support and/or complementary training (§III.2).
    pub experience_ou_formation_parentalite: bool,
    /// The share of a full time this person works on the service.
    pub etp: Etp,
    /// First day of the contract under which this person works on the service; `None` on a
    /// record made before contracts were asked (then taken as in force, and said so).
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub contrat_debut: Option<Date>,
    /// Last day of that contract; `None` for an open-ended one.
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub contrat_fin: Option<Date>,
    /// When the employer checked the bulletin n°3 of the criminal record (Référentiel national de financement de l'AIP §III.2).
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub verification_casier: Option<Date>,
    /// Hours of analyse de la pratique per year (Référentiel national de financement de l'AIP §III.3: at least 8 per FTE); `None`
    /// when not known yet.
    pub heures_analyse_pratique_par_an: Option<u16>,
}

impl Intervenant {
    pub fn est_salarie(&self) -> bool {
        self.statut == StatutIntervenant::Salarie
    }

    /// Whether the contract covers at least one day from `premier` to `dernier`.
    pub fn sous_contrat_entre(&self, premier: Date, dernier: Date) -> bool {
        self.contrat_debut.is_none_or(|debut| debut <= dernier)
            && self.contrat_fin.is_none_or(|fin| fin >= premier)
    }

    /// The intervenant as the référentiel's qualification check reads it.
    pub fn vers_referentiel(&self) -> conformite::IntervenantAip {
        conformite::IntervenantAip {
            diplome: self.diplome.vers_referentiel(),
            statut: self.statut.vers_referentiel(),
            date_controle_casier_judiciaire: self.verification_casier,
            experience_ou_formation_parentalite: self.experience_ou_formation_parentalite,
            heures_analyse_pratique_par_an: self
                .heures_analyse_pratique_par_an
                .map(|h| referentiel::exact::Decimal::entier(i64::from(h))),
            etp: self
                .etp
                .decimal()
                .unwrap_or(referentiel::exact::Decimal::entier(0)),
        }
    }

    /// Checks the record before it is stored on `aujourd_hui` (identity, a level of 1 to 8 for
    /// another diploma, a criminal-record check that is not in the future); its qualification is
    /// the référentiel's business.
    pub fn verifier(&self, aujourd_hui: time::Date) -> Result<(), Refus> {
        const ACTION: &str = "Enregistrer l'intervenant";
        if let Some(d) = self.verification_casier
            && d > aujourd_hui
        {
            return Err(Refus::invalide(
                ACTION,
                format!(
                    "Date de vérification du casier judiciaire : le {} est dans le futur ; indiquez la date à laquelle l'employeur a obtenu l'extrait",
                    crate::texte::date_fr(d)
                ),
            ));
        }
        if let (Some(debut), Some(fin)) = (self.contrat_debut, self.contrat_fin)
            && fin < debut
        {
            return Err(Refus::invalide(
                ACTION,
                format!(
                    "Fin du contrat : le {} précède le début du contrat, le {}",
                    crate::texte::date_fr(fin),
                    crate::texte::date_fr(debut)
                ),
            ));
        }
        crate::texte::controler(ACTION, "Nom", &self.nom, false)?;
        crate::texte::controler(ACTION, "Prénom", &self.prenom, false)?;
        if let Diplome::Autre {
            libelle, domaine, ..
        } = &self.diplome
        {
            crate::texte::controler(ACTION, "Intitulé du diplôme", libelle, false)?;
            if let Some(domaine) = domaine {
                crate::texte::controler(ACTION, "Domaine du diplôme", domaine, false)?;
            }
        }
        let mut manquants = Vec::new();
        if vide(&self.nom) {
            manquants.push("nom");
        }
        if vide(&self.prenom) {
            manquants.push("prénom");
        }
        if let Diplome::Autre {
            libelle, niveau, ..
        } = &self.diplome
        {
            if vide(libelle) {
                manquants.push("intitulé du diplôme");
            }
            if niveau.is_some_and(|n| !(1..=8).contains(&n)) {
                return Err(Refus::invalide(
                    ACTION,
                    "le niveau d'un diplôme va de 1 à 8",
                ));
            }
        }
        if !manquants.is_empty() {
            return Err(Refus::Incomplet {
                action: ACTION,
                champs: manquants,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memes_codes_que_le_referentiel() {
        let diplomes = [
            Diplome::AssistantServiceSocial,
            Diplome::EducateurSpecialise,
            Diplome::ConseillerEconomieSocialeFamiliale,
            Diplome::EducateurJeunesEnfants,
            Diplome::MediateurFamilial,
            Diplome::Psychologue,
            Diplome::ConseillerConjugal,
            Diplome::CoachUniquement,
            Diplome::Autre {
                libelle: "Master de sciences de l'éducation".into(),
                niveau: Some(7),
                domaine: Some("sciences de l'éducation".into()),
            },
        ];
        for d in diplomes {
            let json = serde_json::to_value(&d).unwrap();
            assert_eq!(json["code"], d.code());
            assert_eq!(serde_json::from_value::<Diplome>(json).unwrap(), d);
        }
        assert_eq!(Diplome::Psychologue.niveau(), Some(7));
        assert_eq!(Diplome::ConseillerConjugal.niveau(), Some(5));
        for s in [
            StatutIntervenant::Salarie,
            StatutIntervenant::Benevole,
            StatutIntervenant::Liberal,
            StatutIntervenant::Autre,
        ] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
    }

    #[test]
    fn verification() {
        let mut i = Intervenant {
            id: IntervenantId(1),
            gestionnaire: GestionnaireId(1),
            nom: "Durand".into(),
            prenom: "Claire".into(),
            diplome: Diplome::Autre {
                libelle: "Diplôme étranger".into(),
                niveau: Some(9),
                domaine: None,
            },
            statut: StatutIntervenant::Salarie,
            experience_ou_formation_parentalite: true,
            etp: Etp::UN,
            contrat_debut: None,
            contrat_fin: None,
            verification_casier: None,
            heures_analyse_pratique_par_an: Some(10),
        };
        let jour = time::macros::date!(2024 - 06 - 01);
        assert_eq!(i.verifier(jour).unwrap_err().code(), "invalide");
        i.diplome = Diplome::Psychologue;
        assert!(i.verifier(jour).is_ok());
        assert!(i.est_salarie());
        // A criminal-record check dated in the future is refused, naming the field.
        i.verification_casier = Some(time::macros::date!(2024 - 06 - 02));
        let r = i.verifier(jour).unwrap_err().raison();
        assert!(
            r.contains("casier judiciaire") && r.contains("futur"),
            "{r}"
        );
        i.verification_casier = Some(jour);
        assert!(i.verifier(jour).is_ok());
        i.prenom = String::new();
        assert!(i.verifier(jour).unwrap_err().raison().contains("prénom"));
    }
}
