//! What each of the platform's schemes (`appel_a_projets::Dispositif`) means in the data·inclusion
//! schema: its themes (the type of service comes from the service's own kind). Kept as data, one line per scheme, so that the
//! table in `docs/donnees-ouvertes.md` reads the same.
//!
//! Every scheme supports parents (`famille--soutien-a-la-parentalite-et-a-leducation`); the
//! others follow from what the scheme is for, as the Cnaf's circulars describe it:
//! - médiation familiale and espaces rencontre help through a conflict or a separation, and keep
//!   the bond between a child and a parent after it (`famille--surmonter-conflits-separation-violence`);
//! - REAAP actions, LAEP and parrainage de proximité bring parents together and break isolation
//!   (`remobilisation--lien-social`);
//! - the AIP supports a parent alone, in a difficult moment (`remobilisation--bien-etre-confiance-en-soi`);
//! - a point info famille informs on rights and procedures
//!   (`difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits`).

use super::schema::Thematique;
use crate::appel_a_projets::Dispositif;

/// A scheme and its themes (the first one first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorrespondanceDispositif {
    pub dispositif: Dispositif,
    pub thematiques: &'static [Thematique],
}

use Thematique as T;

/// The table, one line per scheme.
pub const CORRESPONDANCES: [CorrespondanceDispositif; 8] = [
    CorrespondanceDispositif {
        dispositif: Dispositif::Aip,
        thematiques: &[T::SoutienParentaliteEducation, T::BienEtreConfianceEnSoi],
    },
    CorrespondanceDispositif {
        dispositif: Dispositif::Reaap,
        thematiques: &[T::SoutienParentaliteEducation, T::LienSocial],
    },
    CorrespondanceDispositif {
        dispositif: Dispositif::Clas,
        thematiques: &[T::SoutienParentaliteEducation],
    },
    CorrespondanceDispositif {
        dispositif: Dispositif::Pif,
        thematiques: &[T::SoutienParentaliteEducation, T::AccesAuxDroits],
    },
    CorrespondanceDispositif {
        dispositif: Dispositif::MediationFamiliale,
        thematiques: &[
            T::SoutienParentaliteEducation,
            T::SurmonterConflitsSeparationViolence,
        ],
    },
    CorrespondanceDispositif {
        dispositif: Dispositif::ParrainageDeProximite,
        thematiques: &[T::SoutienParentaliteEducation, T::LienSocial],
    },
    CorrespondanceDispositif {
        dispositif: Dispositif::Laep,
        thematiques: &[T::SoutienParentaliteEducation, T::LienSocial],
    },
    CorrespondanceDispositif {
        dispositif: Dispositif::EspaceRencontre,
        thematiques: &[
            T::SoutienParentaliteEducation,
            T::SurmonterConflitsSeparationViolence,
        ],
    },
];

/// The line of a scheme.
pub fn correspondance(dispositif: Dispositif) -> CorrespondanceDispositif {
    CORRESPONDANCES
        .iter()
        .copied()
        .find(|c| c.dispositif == dispositif)
        .unwrap_or(CorrespondanceDispositif {
            dispositif,
            thematiques: &[T::SoutienParentaliteEducation],
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chaque_dispositif_a_sa_ligne_et_soutient_les_parents() {
        let tous = [
            Dispositif::Aip,
            Dispositif::Reaap,
            Dispositif::Clas,
            Dispositif::Pif,
            Dispositif::MediationFamiliale,
            Dispositif::ParrainageDeProximite,
            Dispositif::Laep,
            Dispositif::EspaceRencontre,
        ];
        for d in tous {
            let lignes = CORRESPONDANCES.iter().filter(|c| c.dispositif == d).count();
            assert_eq!(lignes, 1, "{d:?}");
            assert_eq!(
                correspondance(d).thematiques.first(),
                Some(&T::SoutienParentaliteEducation)
            );
        }
        for d in [Dispositif::MediationFamiliale, Dispositif::EspaceRencontre] {
            assert!(
                correspondance(d)
                    .thematiques
                    .contains(&T::SurmonterConflitsSeparationViolence)
            );
        }
    }
}
