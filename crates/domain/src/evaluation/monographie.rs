//! A Caf's monograph of the experiment in its département: structured text in fixed sections
//! (context, partners, implementation, results, difficulties, outlook) that the Caf writes,
//! shown beside the figures of its indicators. Every save is a new version; the earlier ones
//! are kept.
//!
//! Source: Cnaf instruction « Expérimentation d'une nouvelle offre d'accompagnement individuel de
//! soutien à la parentalité - Mise en place d'une instance nationale (Cnaf - Caf) » §4 (« Suivre
//! et évaluer la démarche », « Echanger sur les réalisations en cours », « Produire et valoriser
//! le bilan final »). **Interpretation**: no text fixes the monograph's outline; its sections
//! follow the usual plan of a territorial monograph and the questions §4 asks (implementation,
//! difficulties, results, complementarity with the partners' offer).

use serde::{Deserialize, Serialize};

use crate::Refus;
use crate::identifiants::CodeDepartement;
use crate::texte::{LONGUEUR_LONGUE, TexteLibre};

/// The action's name in refusals.
pub const ACTION: &str = "Enregistrer la monographie";

/// A section of a monograph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Contexte,
    Partenaires,
    MiseEnOeuvre,
    Resultats,
    Difficultes,
    Perspectives,
}

impl Section {
    pub const TOUTES: [Section; 6] = [
        Section::Contexte,
        Section::Partenaires,
        Section::MiseEnOeuvre,
        Section::Resultats,
        Section::Difficultes,
        Section::Perspectives,
    ];

    /// The form field's name.
    pub fn code(self) -> &'static str {
        match self {
            Section::Contexte => "contexte",
            Section::Partenaires => "partenaires",
            Section::MiseEnOeuvre => "mise_en_oeuvre",
            Section::Resultats => "resultats",
            Section::Difficultes => "difficultes",
            Section::Perspectives => "perspectives",
        }
    }

    pub fn titre(self) -> &'static str {
        match self {
            Section::Contexte => "Contexte du territoire",
            Section::Partenaires => "Partenaires mobilisés",
            Section::MiseEnOeuvre => "Mise en œuvre",
            Section::Resultats => "Résultats",
            Section::Difficultes => "Difficultés rencontrées",
            Section::Perspectives => "Perspectives",
        }
    }

    /// What the section is meant to say, shown as the field's hint.
    pub fn aide(self) -> &'static str {
        match self {
            Section::Contexte => {
                "Le territoire, les besoins des familles, l'offre de soutien à la parentalité existante."
            }
            Section::Partenaires => {
                "Les structures porteuses, les partenaires qui orientent les familles, l'articulation avec l'offre collective."
            }
            Section::MiseEnOeuvre => {
                "Le calendrier, le recrutement des intervenants, la communication auprès des familles."
            }
            Section::Resultats => {
                "Ce que montrent les chiffres et les questionnaires, au regard des objectifs."
            }
            Section::Difficultes => "Les obstacles rencontrés et les réponses apportées.",
            Section::Perspectives => "La suite envisagée après l'expérimentation.",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Section> {
        Section::TOUTES.into_iter().find(|s| s.code() == code)
    }
}

/// The text of a monograph: one text per section, empty when not written yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Textes {
    pub contexte: String,
    pub partenaires: String,
    pub mise_en_oeuvre: String,
    pub resultats: String,
    pub difficultes: String,
    pub perspectives: String,
}

impl Textes {
    pub fn texte(&self, s: Section) -> &str {
        match s {
            Section::Contexte => &self.contexte,
            Section::Partenaires => &self.partenaires,
            Section::MiseEnOeuvre => &self.mise_en_oeuvre,
            Section::Resultats => &self.resultats,
            Section::Difficultes => &self.difficultes,
            Section::Perspectives => &self.perspectives,
        }
    }

    fn texte_mut(&mut self, s: Section) -> &mut String {
        match s {
            Section::Contexte => &mut self.contexte,
            Section::Partenaires => &mut self.partenaires,
            Section::MiseEnOeuvre => &mut self.mise_en_oeuvre,
            Section::Resultats => &mut self.resultats,
            Section::Difficultes => &mut self.difficultes,
            Section::Perspectives => &mut self.perspectives,
        }
    }

    /// Sets the text of `s`.
    pub fn avec(mut self, s: Section, texte: impl Into<String>) -> Textes {
        *self.texte_mut(s) = texte.into();
        self
    }

    pub fn est_vide(&self) -> bool {
        Section::TOUTES.iter().all(|s| self.texte(*s).is_empty())
    }

    /// The sections that differ from `autre`.
    pub fn sections_modifiees(&self, autre: &Textes) -> Vec<Section> {
        Section::TOUTES
            .into_iter()
            .filter(|s| self.texte(*s) != autre.texte(*s))
            .collect()
    }
}

/// Checks typed texts: each section trimmed, without control characters but line breaks, at
/// most [`LONGUEUR_LONGUE`] characters; a blank section is kept empty; at least one written.
pub fn verifier(saisie: &Textes) -> Result<Textes, Refus> {
    let mut sortie = Textes::default();
    for s in Section::TOUTES {
        let brut = saisie.texte(s);
        if crate::texte::vide(brut) {
            continue;
        }
        let t = TexteLibre::verifier(s.code(), brut, LONGUEUR_LONGUE, true).map_err(|e| {
            Refus::Champ {
                action: ACTION,
                champ: s.code(),
                raison: e.to_string(),
            }
        })?;
        *sortie.texte_mut(s) = t.into_inner().replace("\r\n", "\n");
    }
    if sortie.est_vide() {
        return Err(Refus::Champ {
            action: ACTION,
            champ: Section::Contexte.code(),
            raison: "écrivez au moins une partie de la monographie".to_owned(),
        });
    }
    Ok(sortie)
}

/// A version of a monograph as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Monographie {
    pub departement: CodeDepartement,
    /// 1 for the first save, then one more at each.
    pub version: i64,
    pub textes: Textes,
    /// When this version was saved (RFC 3339).
    pub mise_a_jour_le: String,
    /// The account that saved it.
    pub auteur: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_fixes_et_codes_relus() {
        for s in Section::TOUTES {
            assert_eq!(Section::depuis_code(s.code()), Some(s));
        }
        assert_eq!(Section::depuis_code("autre"), None);
    }

    #[test]
    fn verification_des_textes() {
        let t = Textes::default()
            .avec(
                Section::Contexte,
                "  Un territoire rural.\r\nDeux lignes.  ",
            )
            .avec(Section::Resultats, " \u{200b} ");
        let v = verifier(&t).unwrap();
        assert_eq!(v.contexte, "Un territoire rural.\nDeux lignes.");
        assert_eq!(v.resultats, "");
        assert!(verifier(&Textes::default()).is_err());
        let trop = Textes::default().avec(Section::Perspectives, "a".repeat(LONGUEUR_LONGUE + 1));
        assert!(matches!(
            verifier(&trop),
            Err(Refus::Champ {
                champ: "perspectives",
                ..
            })
        ));
        let controle = Textes::default().avec(Section::Partenaires, "a\u{7}b");
        assert!(verifier(&controle).is_err());
        assert_eq!(
            v.sections_modifiees(&Textes::default()),
            vec![Section::Contexte]
        );
    }
}
