//! The anonymous questionnaires of the AIP evaluation: the parents' one (satisfaction, sense of
//! competence, orientation followed, recommendation, and the setting they were seen in) and the
//! partners' one (complementarity with the collective offer, orientations, workload, the Caf's
//! support). Their items are fixed here, as data, with their codes and French labels (standard
//! and easy-to-read); an answer is checked against them; the answers counted by structure are
//! aggregated by structure, département and nation, and masked so that no count from 1 to 4 is
//! shown nor can be worked back from the others.
//!
//! Sources: the Cnaf's instruction « Expérimentation d'une nouvelle offre d'accompagnement
//! individuel de soutien à la parentalité - Mise en place d'une instance nationale », §4 (the
//! group's missions: « La diffusion de questionnaires », « Evaluer l'impact […] pour les familles
//! et les structures », « Evaluer la complémentarité avec l'offre d'accompagnement collectif »);
//! the référentiel national de l'accompagnement individuel à la parentalité, §V « Les modalités
//! de suivi et d'évaluation » (« Les indicateurs d'évaluation permettront notamment d'apprécier
//! les impacts au niveau des parents »). The items themselves are an **interpretation** of these
//! texts, which name what to evaluate but no question (docs/questionnaires.md).
//!
//! No item asks who the parent is, and none is free text: every answer is a closed choice, so
//! that nothing written can name a family.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::identifiants::{CodeDepartement, GestionnaireId};
use crate::refus::Refus;
use crate::territoire::fiche::{Chiffre, Groupe, masquer};

/// Who a questionnaire is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Public {
    /// The parents seen by the structure.
    Parents,
    /// The structure's staff and its local partners.
    Partenaires,
}

impl Public {
    pub const TOUS: [Public; 2] = [Public::Parents, Public::Partenaires];

    /// `parents`, `partenaires` (the stored code).
    pub fn code(self) -> &'static str {
        match self {
            Public::Parents => "parents",
            Public::Partenaires => "partenaires",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Public> {
        Public::TOUS.into_iter().find(|p| p.code() == code)
    }

    /// The questionnaire's name, as pages show it.
    pub fn libelle(self) -> &'static str {
        match self {
            Public::Parents => "Questionnaire des parents",
            Public::Partenaires => "Questionnaire des partenaires",
        }
    }

    /// The items of this questionnaire, in the order they are asked.
    pub fn items(self) -> &'static [Item] {
        match self {
            Public::Parents => &ITEMS_PARENTS,
            Public::Partenaires => &ITEMS_PARTENAIRES,
        }
    }
}

/// One possible answer to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Choix {
    /// The stored code, stable.
    pub code: &'static str,
    pub libelle: &'static str,
    /// The same answer in the easy-to-read version.
    pub facile: &'static str,
}

/// What an item measures, for the evaluation's indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// The setting the answer is about (which service, which scheme).
    Contexte,
    Satisfaction,
    /// The parent's sense of competence in its role.
    Competence,
    Orientation,
    Recommandation,
    /// The complementarity with the collective parenting-support offer.
    Complementarite,
    ChargeDeTravail,
    /// The support of the Caf.
    AppuiCaf,
}

/// One question, with its closed answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The stored code, stable; also the name of the form field.
    pub code: &'static str,
    pub theme: Theme,
    pub libelle: &'static str,
    /// The same question in the easy-to-read version (short, one idea).
    pub facile: &'static str,
    pub choix: &'static [Choix],
    /// The answers counted as favourable for the impact indicators (the first two of a
    /// four-point scale; none for a context item).
    pub favorables: &'static [&'static str],
}

impl Item {
    /// The answer `code` of this item.
    pub fn choix(&self, code: &str) -> Option<&'static Choix> {
        self.choix.iter().find(|c| c.code == code)
    }
}

const fn c(code: &'static str, libelle: &'static str, facile: &'static str) -> Choix {
    Choix {
        code,
        libelle,
        facile,
    }
}

/// A four-point agreement scale (no middle point, so that the answer leans one way).
const ACCORD: [Choix; 4] = [
    c("tout_a_fait", "Tout à fait d’accord", "Oui, tout à fait"),
    c("plutot_oui", "Plutôt d’accord", "Oui, un peu"),
    c("plutot_non", "Plutôt pas d’accord", "Non, pas vraiment"),
    c("pas_du_tout", "Pas du tout d’accord", "Non, pas du tout"),
];

/// A four-point satisfaction scale.
const SATISFACTION: [Choix; 4] = [
    c(
        "tres_satisfait",
        "Très satisfait ou satisfaite",
        "Très content",
    ),
    c(
        "plutot_satisfait",
        "Plutôt satisfait ou satisfaite",
        "Plutôt content",
    ),
    c(
        "plutot_pas_satisfait",
        "Plutôt pas satisfait ou satisfaite",
        "Pas très content",
    ),
    c(
        "pas_du_tout_satisfait",
        "Pas du tout satisfait ou satisfaite",
        "Pas content du tout",
    ),
];

const CADRE: [Choix; 4] = [
    c(
        "individuel",
        "Des rendez-vous seul ou en famille avec un professionnel (accompagnement individuel à la parentalité)",
        "Des rendez-vous avec un professionnel, pour ma famille",
    ),
    c(
        "collectif",
        "Des ateliers ou des groupes de parents",
        "Des ateliers avec d’autres parents",
    ),
    c("les_deux", "Les deux", "Les deux"),
    c(
        "autre",
        "Autre, ou je ne sais pas",
        "Autre, ou je ne sais pas",
    ),
];

const ORIENTATION: [Choix; 4] = [
    c(
        "suivie",
        "Oui, et je suis allé ou allée voir ce service",
        "Oui, et j’y suis allé",
    ),
    c(
        "prevue",
        "Oui, et j’ai prévu d’y aller",
        "Oui, et je vais y aller",
    ),
    c(
        "non_suivie",
        "Oui, mais je n’y suis pas allé ou allée",
        "Oui, mais je n’y suis pas allé",
    ),
    c(
        "aucune",
        "Non, on ne m’a pas proposé d’autre service",
        "Non, personne ne m’a proposé",
    ),
];

const RECOMMANDATION: [Choix; 4] = [
    c("oui_certainement", "Oui, certainement", "Oui, sûrement"),
    c("oui_probablement", "Oui, probablement", "Oui, peut-être"),
    c(
        "non_probablement",
        "Non, probablement pas",
        "Non, sans doute pas",
    ),
    c(
        "non_certainement",
        "Non, certainement pas",
        "Non, sûrement pas",
    ),
];

const PROFIL: [Choix; 3] = [
    c(
        "structure",
        "Professionnel ou professionnelle de la structure qui accompagne les parents",
        "Je travaille dans la structure",
    ),
    c(
        "partenaire",
        "Partenaire local (école, PMI, centre social, CCAS, association…)",
        "Je travaille chez un partenaire",
    ),
    c("autre", "Autre", "Autre"),
];

const CHARGE: [Choix; 4] = [
    c("legere", "Légère", "Légère"),
    c("adaptee", "Adaptée", "Normale"),
    c("lourde", "Lourde mais tenable", "Lourde"),
    c("trop_lourde", "Trop lourde", "Trop lourde"),
];

const FAVORABLES_ACCORD: [&str; 2] = ["tout_a_fait", "plutot_oui"];
const FAVORABLES_SATISFACTION: [&str; 2] = ["tres_satisfait", "plutot_satisfait"];

/// The parents' questionnaire.
pub const ITEMS_PARENTS: [Item; 6] = [
    Item {
        code: "cadre",
        theme: Theme::Contexte,
        libelle: "Dans quel cadre avez-vous été accompagné ou accompagnée par cette structure ?",
        facile: "Avec la structure, vous avez eu :",
        choix: &CADRE,
        favorables: &[],
    },
    Item {
        code: "satisfaction",
        theme: Theme::Satisfaction,
        libelle: "Dans l’ensemble, êtes-vous satisfait ou satisfaite de l’accompagnement ?",
        facile: "Êtes-vous content de l’aide reçue ?",
        choix: &SATISFACTION,
        favorables: &FAVORABLES_SATISFACTION,
    },
    Item {
        code: "competence",
        theme: Theme::Competence,
        libelle: "Je me sens plus à l’aise dans mon rôle de parent.",
        facile: "Je me sens mieux comme parent.",
        choix: &ACCORD,
        favorables: &FAVORABLES_ACCORD,
    },
    Item {
        code: "reponses",
        theme: Theme::Competence,
        libelle: "J’ai trouvé des réponses aux questions que je me posais sur mon enfant ou ma famille.",
        facile: "J’ai eu des réponses à mes questions.",
        choix: &ACCORD,
        favorables: &FAVORABLES_ACCORD,
    },
    Item {
        code: "orientation",
        theme: Theme::Orientation,
        libelle: "Vous a-t-on proposé d’aller voir un autre service (orientation) ? Y êtes-vous allé ou allée ?",
        facile: "On vous a proposé un autre service. Vous y êtes allé ?",
        choix: &ORIENTATION,
        favorables: &["suivie", "prevue"],
    },
    Item {
        code: "recommandation",
        theme: Theme::Recommandation,
        libelle: "Conseilleriez-vous ce service à un autre parent ?",
        facile: "Vous diriez à un autre parent de venir ?",
        choix: &RECOMMANDATION,
        favorables: &["oui_certainement", "oui_probablement"],
    },
];

/// The partners' questionnaire.
pub const ITEMS_PARTENAIRES: [Item; 6] = [
    Item {
        code: "profil",
        theme: Theme::Contexte,
        libelle: "Vous êtes :",
        facile: "Vous êtes :",
        choix: &PROFIL,
        favorables: &[],
    },
    Item {
        code: "complementarite",
        theme: Theme::Complementarite,
        libelle: "L’accompagnement individuel complète bien l’offre collective de soutien à la parentalité du territoire (groupes de parents, ateliers, lieux d’accueil enfants-parents…).",
        facile: "Les rendez-vous individuels complètent bien les ateliers pour les parents.",
        choix: &ACCORD,
        favorables: &FAVORABLES_ACCORD,
    },
    Item {
        code: "orientations",
        theme: Theme::Orientation,
        libelle: "Les orientations entre l’accompagnement individuel et les autres services (dans les deux sens) fonctionnent bien.",
        facile: "Envoyer les parents vers d’autres services marche bien.",
        choix: &ACCORD,
        favorables: &FAVORABLES_ACCORD,
    },
    Item {
        code: "charge",
        theme: Theme::ChargeDeTravail,
        libelle: "La charge de travail que l’expérimentation vous demande est :",
        facile: "Le travail en plus pour vous est :",
        choix: &CHARGE,
        favorables: &["legere", "adaptee"],
    },
    Item {
        code: "appui_caf",
        theme: Theme::AppuiCaf,
        libelle: "Êtes-vous satisfait ou satisfaite de l’appui de la Caf (information, outils, échanges) ?",
        facile: "Êtes-vous content de l’aide de la Caf ?",
        choix: &SATISFACTION,
        favorables: &FAVORABLES_SATISFACTION,
    },
    Item {
        code: "satisfaction",
        theme: Theme::Satisfaction,
        libelle: "Dans l’ensemble, êtes-vous satisfait ou satisfaite de cette nouvelle offre pour les familles ?",
        facile: "Êtes-vous content de cette aide pour les familles ?",
        choix: &SATISFACTION,
        favorables: &FAVORABLES_SATISFACTION,
    },
];

/// A checked answer to a questionnaire: one choice for every item, codes only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reponse {
    pub public: Public,
    /// Item code → answer code, for every item of the questionnaire.
    pub choix: BTreeMap<&'static str, &'static str>,
}

impl Reponse {
    /// Checks what was sent (field name → value) against the items of `public`: every item
    /// must be answered by one of its choices. Refused with one [`Refus::Champ`] per faulty item
    /// (named by its code, the field's name), all at once; fields that are not items are
    /// ignored.
    pub fn verifier(public: Public, saisie: &BTreeMap<String, String>) -> Result<Reponse, Refus> {
        const ACTION: &str = "Répondre au questionnaire";
        let mut choix = BTreeMap::new();
        let mut refus = Vec::new();
        for (numero, item) in public.items().iter().enumerate() {
            let valeur = saisie.get(item.code).map(|v| v.trim()).unwrap_or("");
            match item.choix(valeur) {
                Some(c) => {
                    choix.insert(item.code, c.code);
                }
                None if valeur.is_empty() => refus.push(Refus::Champ {
                    action: ACTION,
                    champ: item.code,
                    raison: format!(
                        "question {} (« {} ») : choisissez une réponse",
                        numero + 1,
                        item.libelle
                    ),
                }),
                None => refus.push(Refus::Champ {
                    action: ACTION,
                    champ: item.code,
                    raison: format!(
                        "question {} (« {} ») : cette réponse n’existe pas, choisissez une des réponses proposées",
                        numero + 1,
                        item.libelle
                    ),
                }),
            }
        }
        match refus.len() {
            0 => Ok(Reponse { public, choix }),
            1 => Err(refus.remove(0)),
            _ => Err(Refus::Plusieurs {
                action: ACTION,
                refus,
            }),
        }
    }
}

/// The answers of one structure to one questionnaire, counted (as the store reads them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comptage {
    pub gestionnaire: GestionnaireId,
    /// The département of the structure when the answers were given.
    pub departement: Option<CodeDepartement>,
    /// How many answers.
    pub reponses: u64,
    /// (item code, answer code) → how many answers chose it.
    pub choix: BTreeMap<(String, String), u64>,
}

/// Where a result is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "niveau", content = "code", rename_all = "snake_case")]
pub enum Portee {
    Structure(GestionnaireId),
    Departement(CodeDepartement),
    Nation,
}

/// The masked counts of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultatItem {
    pub item: &'static Item,
    /// In the item's order of choices.
    pub choix: Vec<(&'static Choix, Chiffre)>,
}

/// The masked results of one questionnaire over one structure, département or the nation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultatPortee {
    pub portee: Portee,
    /// The département of a structure (the département's own for a département).
    pub departement: Option<CodeDepartement>,
    /// How many answers.
    pub reponses: Chiffre,
    pub items: Vec<ResultatItem>,
}

/// The masked results of one questionnaire: every structure with at least one answer, every
/// département with one, and the nation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resultats {
    pub public: Public,
    pub structures: Vec<ResultatPortee>,
    pub departements: Vec<ResultatPortee>,
    pub nation: ResultatPortee,
}

impl Resultats {
    /// Keeps the structures `garder` accepts and the départements `garder_departement` accepts
    /// (the masking stays the one computed over the nation, so that two readers' views never
    /// combine into a masked count).
    pub fn restreindre(
        mut self,
        garder: impl Fn(GestionnaireId, Option<CodeDepartement>) -> bool,
        garder_departement: impl Fn(CodeDepartement) -> bool,
    ) -> Resultats {
        self.structures.retain(|r| match r.portee {
            Portee::Structure(g) => garder(g, r.departement),
            _ => false,
        });
        self.departements.retain(|r| match r.portee {
            Portee::Departement(d) => garder_departement(d),
            _ => false,
        });
        self
    }

    /// Every result: the structures, the départements, then the nation.
    pub fn toutes(&self) -> impl Iterator<Item = &ResultatPortee> {
        self.structures
            .iter()
            .chain(&self.departements)
            .chain(std::iter::once(&self.nation))
    }
}

/// The cells of the system masked together: for each scope (structure, département, nation),
/// its number of answers then, item by item, its count of each choice.
struct Systeme {
    /// The scopes, structures first, then départements, then the nation.
    portees: Vec<(Portee, Option<CodeDepartement>)>,
    /// Cells per scope: 1 + the number of choices of every item.
    largeur: usize,
    valeurs: Vec<u64>,
    groupes: Vec<Groupe>,
}

fn systeme(public: Public, comptages: &[Comptage]) -> Systeme {
    let items = public.items();
    let largeur = 1 + items.iter().map(|i| i.choix.len()).sum::<usize>();
    let mut structures: Vec<&Comptage> = comptages.iter().filter(|c| c.reponses > 0).collect();
    structures.sort_by_key(|c| c.gestionnaire);
    let departements: BTreeSet<Option<CodeDepartement>> =
        structures.iter().map(|c| c.departement).collect();
    let mut portees: Vec<(Portee, Option<CodeDepartement>)> = structures
        .iter()
        .map(|c| (Portee::Structure(c.gestionnaire), c.departement))
        .collect();
    // A structure without a known département counts in the nation only.
    portees.extend(
        departements
            .iter()
            .flatten()
            .map(|d| (Portee::Departement(*d), Some(*d))),
    );
    portees.push((Portee::Nation, None));
    let nation = portees.len() - 1;
    let mut valeurs = vec![0u64; portees.len() * largeur];
    let indice_dep = |d: CodeDepartement| {
        portees
            .iter()
            .position(|(p, _)| *p == Portee::Departement(d))
            .unwrap_or(nation)
    };
    let mut parents = Vec::with_capacity(structures.len());
    for (s, c) in structures.iter().enumerate() {
        let dep = c.departement.map(indice_dep);
        parents.push(dep);
        let mut cellules = vec![0u64; largeur];
        cellules[0] = c.reponses;
        let mut k = 1;
        for item in items {
            for choix in item.choix {
                cellules[k] = c
                    .choix
                    .get(&(item.code.to_owned(), choix.code.to_owned()))
                    .copied()
                    .unwrap_or(0);
                k += 1;
            }
        }
        for cible in [Some(s), dep, Some(nation)].into_iter().flatten() {
            for (j, v) in cellules.iter().enumerate() {
                valeurs[cible * largeur + j] += v;
            }
        }
    }
    let mut groupes = Vec::new();
    // Within each scope: the choices of each item add up to the number of answers.
    for p in 0..portees.len() {
        let mut k = 1;
        for item in items {
            groupes.push(Groupe {
                parts: (k..k + item.choix.len()).map(|j| p * largeur + j).collect(),
                total: p * largeur,
            });
            k += item.choix.len();
        }
    }
    // Across scopes: the structures of a département add up to it, the départements (and the
    // structures without one) to the nation, cell by cell.
    let mut enfants: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (s, dep) in parents.iter().enumerate() {
        enfants.entry(dep.unwrap_or(nation)).or_default().push(s);
    }
    for (d, (p, _)) in portees.iter().enumerate() {
        if matches!(p, Portee::Departement(_)) {
            enfants.entry(nation).or_default().push(d);
        }
    }
    for (total, parts) in &enfants {
        for j in 0..largeur {
            groupes.push(Groupe {
                parts: parts.iter().map(|p| p * largeur + j).collect(),
                total: total * largeur + j,
            });
        }
    }
    Systeme {
        portees,
        largeur,
        valeurs,
        groupes,
    }
}

/// Aggregates the answers of `public` counted by structure into results by structure,
/// département and nation, masked together.
///
/// The rule is the statistical secrecy of the fiches territoires
/// ([`crate::territoire::fiche::masquer`]): a count from 1 to 4 is masked, and further counts
/// are masked until no masked one can be worked back from the others through the equations a
/// reader knows — in each scope the choices of each item add up to the number of answers (every
/// item is answered), and each cell of a département (of the nation) is the sum of its
/// structures' (départements'). The masking is computed once over the nation and the same for
/// every reader.
pub fn agreger(public: Public, comptages: &[Comptage]) -> Resultats {
    let s = systeme(public, comptages);
    let masque = masquer(&s.valeurs, &s.groupes);
    let chiffre = |i: usize| {
        if masque[i] {
            Chiffre::Masque
        } else {
            Chiffre::Publie(s.valeurs[i])
        }
    };
    let mut structures = Vec::new();
    let mut departements = Vec::new();
    let mut nation = None;
    for (p, (portee, departement)) in s.portees.iter().enumerate() {
        let base = p * s.largeur;
        let mut k = 1;
        let items = public
            .items()
            .iter()
            .map(|item| {
                let choix = item
                    .choix
                    .iter()
                    .map(|c| {
                        let r = (c, chiffre(base + k));
                        k += 1;
                        r
                    })
                    .collect();
                ResultatItem { item, choix }
            })
            .collect();
        let r = ResultatPortee {
            portee: *portee,
            departement: *departement,
            reponses: chiffre(base),
            items,
        };
        match portee {
            Portee::Structure(_) => structures.push(r),
            Portee::Departement(_) => departements.push(r),
            Portee::Nation => nation = Some(r),
        }
    }
    Resultats {
        public,
        structures,
        departements,
        nation: nation.unwrap_or_else(|| ResultatPortee {
            portee: Portee::Nation,
            departement: None,
            reponses: Chiffre::Publie(0),
            items: Vec::new(),
        }),
    }
}

/// The share of favourable answers of `resultat` to `item` (0 to 1), when every count it needs
/// is shown: `None` when one is masked or nobody answered.
pub fn part_favorable(resultat: &ResultatItem) -> Option<f64> {
    let mut favorables = 0u64;
    let mut total = 0u64;
    for (choix, chiffre) in &resultat.choix {
        let v = chiffre.valeur()?;
        total += v;
        if resultat.item.favorables.contains(&choix.code) {
            favorables += v;
        }
    }
    (total > 0).then(|| favorables as f64 / total as f64)
}

/// The alphabet of the links' codes: lower-case letters and digits, without those easily
/// confused (`0`/`o`, `1`/`l`), 32 symbols.
const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// The number of symbols of a code (5 bits each: 80 bits of randomness).
pub const LONGUEUR_CODE: usize = 16;

/// The code of a structure's questionnaire link: random, one per structure and questionnaire,
/// never one per family, so that an answer cannot be traced to whom the link was given.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CodeQuestionnaire(String);

impl CodeQuestionnaire {
    /// The code made of 10 random bytes (the caller draws them from the system's generator).
    pub fn depuis_octets(octets: [u8; 10]) -> CodeQuestionnaire {
        let mut bits: u128 = 0;
        for o in octets {
            bits = (bits << 8) | u128::from(o);
        }
        let code = (0..LONGUEUR_CODE)
            .map(|i| {
                let symbole = (bits >> (5 * (LONGUEUR_CODE - 1 - i))) & 0x1f;
                char::from(ALPHABET[symbole as usize])
            })
            .collect();
        CodeQuestionnaire(code)
    }

    /// A code as typed or read from a link: `None` unless it has the form of one.
    pub fn parse(texte: &str) -> Option<CodeQuestionnaire> {
        let t = texte.trim();
        (t.len() == LONGUEUR_CODE && t.bytes().all(|b| ALPHABET.contains(&b)))
            .then(|| CodeQuestionnaire(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CodeQuestionnaire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The audit of a structure's questionnaire links (entity, actions and descriptions).
pub mod journal {
    /// The audit entity: the links of one structure, numbered by the structure.
    pub const ENTITE: &str = "questionnaire_liens";
    pub const CREES: (&str, &str) = (
        "creer_liens_questionnaires",
        "Liens des questionnaires de la structure créés",
    );
    pub const RENOUVELE: (&str, &str) = (
        "renouveler_lien_questionnaire",
        "Lien d’un questionnaire de la structure renouvelé (l’ancien ne fonctionne plus)",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::territoire::fiche::{SEUIL_SECRET, determinees};
    use proptest::prelude::*;

    fn dep(code: &str) -> CodeDepartement {
        CodeDepartement::parse(code).expect("département")
    }

    fn saisie(paires: &[(&str, &str)]) -> BTreeMap<String, String> {
        paires
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn reponse_complete() -> BTreeMap<String, String> {
        ITEMS_PARENTS
            .iter()
            .map(|i| (i.code.to_owned(), i.choix[0].code.to_owned()))
            .collect()
    }

    #[test]
    fn les_codes_des_items_et_des_choix_sont_uniques() {
        for public in Public::TOUS {
            let codes: BTreeSet<_> = public.items().iter().map(|i| i.code).collect();
            assert_eq!(codes.len(), public.items().len());
            for item in public.items() {
                let choix: BTreeSet<_> = item.choix.iter().map(|c| c.code).collect();
                assert_eq!(choix.len(), item.choix.len(), "{}", item.code);
                for f in item.favorables {
                    assert!(item.choix(f).is_some(), "{} : {f}", item.code);
                }
            }
        }
    }

    #[test]
    fn une_reponse_complete_est_acceptee() {
        let r = Reponse::verifier(Public::Parents, &reponse_complete()).expect("acceptée");
        assert_eq!(r.choix.len(), ITEMS_PARENTS.len());
        assert_eq!(r.choix["competence"], "tout_a_fait");
    }

    #[test]
    fn une_question_sans_reponse_est_refusee_en_la_nommant() {
        let mut s = reponse_complete();
        s.remove("competence");
        let refus = Reponse::verifier(Public::Parents, &s).expect_err("refusée");
        match &refus {
            Refus::Champ { champ, raison, .. } => {
                assert_eq!(*champ, "competence");
                assert!(raison.contains("Je me sens plus à l’aise"), "{raison}");
                assert!(raison.contains("choisissez une réponse"), "{raison}");
            }
            autre => panic!("{autre:?}"),
        }
    }

    #[test]
    fn une_reponse_inconnue_et_une_absente_sont_refusees_ensemble() {
        let mut s = reponse_complete();
        s.insert("satisfaction".into(), "ravi".into());
        s.remove("recommandation");
        match Reponse::verifier(Public::Parents, &s).expect_err("refusée") {
            Refus::Plusieurs { refus, .. } => {
                let champs: Vec<_> = refus
                    .iter()
                    .map(|r| match r {
                        Refus::Champ { champ, .. } => *champ,
                        _ => "?",
                    })
                    .collect();
                assert_eq!(champs, ["satisfaction", "recommandation"]);
                assert!(refus[0].to_string().contains("n’existe pas"));
            }
            autre => panic!("{autre:?}"),
        }
        assert!(Reponse::verifier(Public::Partenaires, &saisie(&[])).is_err());
    }

    #[test]
    fn un_code_a_la_forme_attendue_et_se_relit() {
        let code = CodeQuestionnaire::depuis_octets([0xff; 10]);
        assert_eq!(code.as_str().len(), LONGUEUR_CODE);
        assert_eq!(CodeQuestionnaire::parse(code.as_str()), Some(code.clone()));
        assert_ne!(code, CodeQuestionnaire::depuis_octets([0; 10]));
        assert_eq!(CodeQuestionnaire::parse("trop-court"), None);
        assert_eq!(CodeQuestionnaire::parse("ABCDEFGHJKMNPQRS"), None);
        assert_eq!(CodeQuestionnaire::parse("abcdefghjkmnpqr0"), None);
    }

    fn comptage(g: i64, d: &str, reponses: &[[usize; 6]]) -> Comptage {
        let mut c = Comptage {
            gestionnaire: GestionnaireId(g),
            departement: Some(dep(d)),
            reponses: 0,
            choix: BTreeMap::new(),
        };
        for r in reponses {
            c.reponses += 1;
            for (item, choix) in ITEMS_PARENTS.iter().zip(r) {
                let k = (
                    item.code.to_owned(),
                    item.choix[choix % item.choix.len()].code.to_owned(),
                );
                *c.choix.entry(k).or_default() += 1;
            }
        }
        c
    }

    #[test]
    fn trois_reponses_d_une_structure_sont_masquees_partout_ou_elles_se_liraient() {
        let comptages = vec![
            comptage(1, "38", &[[0; 6]; 3]),
            comptage(2, "38", &[[1; 6]; 9]),
            comptage(3, "59", &[[0; 6]; 12]),
        ];
        let r = agreger(Public::Parents, &comptages);
        assert_eq!(r.structures.len(), 3);
        assert_eq!(r.departements.len(), 2);
        assert_eq!(r.structures[0].reponses, Chiffre::Masque);
        // The Isère's total would give the first structure's 3 back from the second's 9.
        let isere = &r.departements[0];
        assert!(
            r.structures[1].reponses == Chiffre::Masque || isere.reponses == Chiffre::Masque,
            "{:?} {:?}",
            r.structures[1].reponses,
            isere.reponses
        );
        assert_eq!(r.nation.reponses, Chiffre::Publie(24));
        assert_eq!(
            r.nation.items[1].choix[3].1,
            Chiffre::Publie(0),
            "a zero is shown"
        );
        assert!(sans_fuite(&comptages));
    }

    #[test]
    fn la_part_favorable_ne_se_calcule_que_sur_des_comptes_publies() {
        let comptages = vec![
            comptage(1, "38", &[[0; 6]; 6]),
            comptage(2, "38", &[[1; 6]; 7]),
        ];
        let r = agreger(Public::Parents, &comptages);
        let competence = &r.nation.items[2];
        assert_eq!(part_favorable(competence), Some(1.0));
        let masquee = ResultatItem {
            item: &ITEMS_PARENTS[2],
            choix: vec![(&ACCORD[0], Chiffre::Masque)],
        };
        assert_eq!(part_favorable(&masquee), None);
    }

    /// No shown count is from 1 to 4, and the equations a reader knows determine no masked one.
    fn sans_fuite(comptages: &[Comptage]) -> bool {
        let s = systeme(Public::Parents, comptages);
        let r = agreger(Public::Parents, comptages);
        let mut masque = Vec::new();
        for p in r.toutes_dans_l_ordre() {
            masque.push(p.reponses == Chiffre::Masque);
            for i in &p.items {
                masque.extend(i.choix.iter().map(|(_, c)| *c == Chiffre::Masque));
            }
        }
        assert_eq!(masque.len(), s.valeurs.len());
        let visibles_sous_le_seuil = s
            .valeurs
            .iter()
            .zip(&masque)
            .any(|(v, m)| !m && (1..SEUIL_SECRET).contains(v));
        !visibles_sous_le_seuil && determinees(s.valeurs.len(), &masque, &s.groupes).is_empty()
    }

    impl Resultats {
        /// The scopes in the order of the system's cells.
        fn toutes_dans_l_ordre(&self) -> Vec<&ResultatPortee> {
            self.toutes().collect()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn le_masquage_ne_revele_jamais_un_compte_de_1_a_4(
            structures in proptest::collection::vec(
                (0usize..3, proptest::collection::vec(proptest::array::uniform6(0usize..4), 0..9)),
                1..7,
            )
        ) {
            let deps = ["38", "59", "2A"];
            let comptages: Vec<Comptage> = structures
                .iter()
                .enumerate()
                .map(|(i, (d, reponses))| comptage(i as i64 + 1, deps[*d], reponses))
                .collect();
            prop_assert!(sans_fuite(&comptages));
        }
    }
}
