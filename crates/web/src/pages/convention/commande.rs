//! The commands of the convention page's forms: one tagged enum whose variants carry their own
//! fields, the reading of each into the use case's typed arguments (every error of a submission
//! at once, each on its field), and where the domain's refusals go, from their kind and the
//! command, never from their wording. The reading of a declaration is shared with the JSON API.

use std::str::FromStr;

use domain::declaration::{Activite, DonneesDeclaration, NatureDeclaration};
use domain::quantites::{Centimes, Etp};
use serde::{Deserialize, Deserializer};

use crate::api::{EXERCICE_MAX, EXERCICE_MIN};

/// A number sent as form text (forms send every value as a string).
fn nombre<'de, D: Deserializer<'de>, T: FromStr>(d: D) -> Result<T, D::Error>
where
    T::Err: std::fmt::Display,
{
    let texte = String::deserialize(d)?;
    texte.trim().parse().map_err(serde::de::Error::custom)
}

/// A submitted form of the page, with its CSRF token.
#[derive(Debug, Deserialize)]
pub struct Envoi {
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    #[serde(flatten)]
    pub action: ActionFormulaire,
}

/// What a form of the convention page asks, by its `action` field.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ActionFormulaire {
    /// A Caf agent records the signature, or countersigns.
    Signer {
        #[serde(default)]
        date_signature: String,
    },
    /// The gestionnaire signs, its acceptance ticked.
    SignerGestionnaire {
        accepte: Option<String>,
    },
    SaisirDeclaration(SaisieDeclaration),
    TransmettreDeclaration {
        #[serde(deserialize_with = "nombre")]
        declaration: i64,
    },
    ValiderDeclaration {
        #[serde(deserialize_with = "nombre")]
        declaration: i64,
        #[serde(default)]
        etp_valides: String,
        #[serde(default)]
        motivation_etp: String,
    },
    RenvoyerDeclaration {
        #[serde(deserialize_with = "nombre")]
        declaration: i64,
        #[serde(default)]
        motif: String,
    },
    SaisirBilan(SaisieBilan),
    TransmettreBilan {
        #[serde(deserialize_with = "nombre")]
        bilan: i64,
    },
    ValiderBilan {
        #[serde(deserialize_with = "nombre")]
        bilan: i64,
    },
    /// A Caf agent pays the instalment of this rank.
    Verser {
        #[serde(deserialize_with = "nombre")]
        rang: u16,
    },
}

/// A declaration as typed (every value kept as text, to be shown again when refused).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SaisieDeclaration {
    pub nature: String,
    pub exercice: String,
    pub depenses: String,
    pub etp_declares: String,
    pub mois: String,
    pub entretiens: String,
    pub parents: String,
    pub heures: String,
    pub heures_travaillees: String,
    /// Why the activity counts differ from the sessions recorded on the platform.
    pub motif_ecart: String,
}

/// A bilan as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SaisieBilan {
    pub exercice_bilan: String,
    pub familles: String,
    pub entretiens_bilan: String,
    pub heures_ap: String,
    pub synthese: String,
}

/// A field of a declaration, named in the page's form and in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChampDeclaration {
    Nature,
    Exercice,
    Depenses,
    EtpDeclares,
    Mois,
    Entretiens,
    Parents,
    Heures,
    HeuresTravaillees,
}

impl ChampDeclaration {
    /// The field's id in the page's form.
    pub fn formulaire(self) -> &'static str {
        match self {
            ChampDeclaration::Nature => "nature",
            ChampDeclaration::Exercice => "exercice",
            ChampDeclaration::Depenses => "depenses",
            ChampDeclaration::EtpDeclares => "etp_declares",
            ChampDeclaration::Mois => "mois",
            ChampDeclaration::Entretiens => "entretiens",
            ChampDeclaration::Parents => "parents",
            ChampDeclaration::Heures => "heures",
            ChampDeclaration::HeuresTravaillees => "heures_travaillees",
        }
    }

    /// The field's name in the API's body.
    pub fn api(self) -> &'static str {
        match self {
            ChampDeclaration::Nature => "nature",
            ChampDeclaration::Exercice => "exercice",
            ChampDeclaration::Depenses => "depenses_fonctionnement",
            ChampDeclaration::EtpDeclares => "etp_declares",
            ChampDeclaration::Mois => "mois_fonctionnement",
            ChampDeclaration::Entretiens => "entretiens",
            ChampDeclaration::Parents => "parents_distincts",
            ChampDeclaration::Heures => "heures_entretiens",
            ChampDeclaration::HeuresTravaillees => "heures_travaillees",
        }
    }

    /// The field's label in the page's messages.
    pub fn libelle(self) -> &'static str {
        match self {
            ChampDeclaration::Nature => "Déclaration",
            ChampDeclaration::Exercice => "Exercice",
            ChampDeclaration::Depenses => "Dépenses de fonctionnement",
            ChampDeclaration::EtpDeclares => "ETP déclarés",
            ChampDeclaration::Mois => "Mois de fonctionnement",
            ChampDeclaration::Entretiens => "Nombre d'entretiens",
            ChampDeclaration::Parents => "Nombre de parents",
            ChampDeclaration::Heures => "Nombre d'heures",
            ChampDeclaration::HeuresTravaillees => "Heures travaillées",
        }
    }
}

/// A declaration read from what was typed: the use case's arguments.
#[derive(Debug, Clone, Copy)]
pub struct DeclarationLue {
    pub nature: NatureDeclaration,
    pub exercice: i32,
    pub donnees: DonneesDeclaration,
}

/// A whole number, spaces allowed between thousands.
fn entier<T: FromStr>(texte: &str) -> Result<T, String> {
    let t = texte.trim();
    t.replace([' ', '\u{a0}', '\u{202f}'], "")
        .parse::<T>()
        .map_err(|_| format!("« {t} » n'est pas un nombre entier valide"))
}

/// Keeps the error of each field read.
struct Noter<'a>(&'a mut Vec<(ChampDeclaration, String)>);

impl Noter<'_> {
    fn de<T>(&mut self, champ: ChampDeclaration, r: Result<T, String>) -> Option<T> {
        r.map_err(|m| self.0.push((champ, m))).ok()
    }
}

/// Reads a declaration typed in the page's form or sent to the API: every field checked, every
/// error returned with its field and its reason (without the label, which each caller adds).
pub fn lire_declaration(
    s: &SaisieDeclaration,
) -> Result<DeclarationLue, Vec<(ChampDeclaration, String)>> {
    use ChampDeclaration as C;
    let mut erreurs = Vec::new();
    let mut noter = Noter(&mut erreurs);
    let nature = noter.de(
        C::Nature,
        NatureDeclaration::depuis_code(s.nature.trim())
            .ok_or_else(|| "prévisionnelle, actualisée ou réelle".to_owned()),
    );
    let exercice = noter.de(
        C::Exercice,
        entier::<i32>(&s.exercice).and_then(|e| {
            if (EXERCICE_MIN..=EXERCICE_MAX).contains(&e) {
                Ok(e)
            } else {
                Err(format!(
                    "une année de {EXERCICE_MIN} à {EXERCICE_MAX} (reçu {e})"
                ))
            }
        }),
    );
    let depenses = noter.de(
        C::Depenses,
        Centimes::parse_non_negatif(&s.depenses).map_err(|e| e.to_string()),
    );
    let etp = noter.de(
        C::EtpDeclares,
        Etp::parse(&s.etp_declares).map_err(|e| e.to_string()),
    );
    let mois = noter.de(
        C::Mois,
        entier::<u8>(&s.mois).and_then(|m| {
            if m <= 12 {
                Ok(m)
            } else {
                Err(format!("de 0 à 12 (reçu {m})"))
            }
        }),
    );
    let entretiens = noter.de(C::Entretiens, entier::<u32>(&s.entretiens));
    let parents = noter.de(C::Parents, entier::<u32>(&s.parents));
    let heures = noter.de(C::Heures, entier::<u32>(&s.heures));
    let heures_travaillees = match s.heures_travaillees.trim() {
        "" => Some(None),
        t => noter.de(C::HeuresTravaillees, entier::<u32>(t)).map(Some),
    };
    match (
        nature,
        exercice,
        depenses,
        etp,
        mois,
        entretiens,
        parents,
        heures,
        heures_travaillees,
    ) {
        (
            Some(nature),
            Some(exercice),
            Some(depenses),
            Some(etp),
            Some(mois),
            Some(entretiens),
            Some(parents),
            Some(heures),
            Some(heures_travaillees),
        ) => Ok(DeclarationLue {
            nature,
            exercice,
            donnees: DonneesDeclaration {
                depenses_fonctionnement: depenses,
                etp_declares: etp,
                mois_fonctionnement: mois,
                activite: Activite {
                    entretiens,
                    parents_distincts: parents,
                    heures_entretiens: heures,
                    heures_travaillees,
                },
            },
        }),
        _ => Err(erreurs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chaque_champ_faux_d_une_declaration_est_signale() {
        let saisie = SaisieDeclaration {
            nature: "annuelle".into(),
            exercice: "2025".into(),
            depenses: "beaucoup".into(),
            etp_declares: "1".into(),
            mois: "13".into(),
            entretiens: "10".into(),
            parents: "3".into(),
            heures: "dix".into(),
            ..SaisieDeclaration::default()
        };
        let champs: Vec<ChampDeclaration> = lire_declaration(&saisie)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert_eq!(
            champs,
            [
                ChampDeclaration::Nature,
                ChampDeclaration::Depenses,
                ChampDeclaration::Mois,
                ChampDeclaration::Heures
            ]
        );
    }
}
