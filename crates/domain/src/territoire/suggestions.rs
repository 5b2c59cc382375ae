//! Finding a commune from what a parent types in the directory's search form: part of its name
//! (whatever the accents, capitals, hyphens and apostrophes), a postcode or an INSEE code; and
//! resolving the text of a submitted form into one commune, or a choice when it is ambiguous.
//!
//! Ranking of names: the communes whose name equals the text, then those whose name starts with
//! it, then those with a word starting with it (« martin » finds Saint-Martin-d'Hères); within
//! each group the most populated first, then by name and code. Digits find the communes one of
//! whose postcodes, or whose INSEE code, starts with them, most populated first.

use std::cmp::Reverse;

use super::{Commune, Communes};
use crate::identifiants::CodeInsee;

/// The communes with their names prepared for comparison, built once.
#[derive(Debug, Clone)]
pub struct IndexCommunes<'a> {
    communes: Vec<(&'a Commune, String)>,
}

/// What the text of a search form designates.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution<'a> {
    /// Exactly one commune.
    Commune(&'a Commune),
    /// Several communes fit (a name shared by several, a postcode serving several, or only
    /// partial matches): the parent chooses. Ranked as [`IndexCommunes::suggerer`] does.
    Choix(Vec<&'a Commune>),
    /// Nothing fits.
    Aucune,
}

/// The text in a form comparable to names: lower case, without accents or ligatures, hyphens,
/// apostrophes and other punctuation as single spaces, « st »/« ste » as « saint »/« sainte ».
pub fn normaliser(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len());
    for c in texte.chars().flat_map(char::to_lowercase) {
        let remplacement: &str = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => "o",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ý' | 'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_alphanumeric() => {
                sortie.push(c);
                continue;
            }
            _ => " ",
        };
        sortie.push_str(remplacement);
    }
    sortie
        .split_whitespace()
        .map(|mot| match mot {
            "st" => "saint",
            "ste" => "sainte",
            mot => mot,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the text is (the start of) a postcode or INSEE code: digits, or 2A/2B then digits.
fn est_un_code(texte: &str) -> bool {
    let octets = texte.as_bytes();
    match octets {
        [] => false,
        [b'2', b'a' | b'b' | b'A' | b'B', reste @ ..] => reste.iter().all(u8::is_ascii_digit),
        _ => octets.iter().all(u8::is_ascii_digit),
    }
}

impl<'a> IndexCommunes<'a> {
    pub fn new(communes: &'a Communes) -> IndexCommunes<'a> {
        IndexCommunes {
            communes: communes.iter().map(|c| (c, normaliser(&c.nom))).collect(),
        }
    }

    /// At most `limite` communes for the text, best first (see the module's ranking). Fewer
    /// than two characters of a name find nothing; a single digit finds nothing either.
    pub fn suggerer(&self, texte: &str, limite: usize) -> Vec<&'a Commune> {
        let texte = texte.trim();
        if est_un_code(texte) {
            if texte.len() < 2 {
                return Vec::new();
            }
            let code = texte.to_ascii_uppercase();
            let mut trouves: Vec<&Commune> = self
                .communes
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| {
                    c.code.as_str().starts_with(&code)
                        || c.codes_postaux.iter().any(|cp| cp.starts_with(&code))
                })
                .collect();
            trouves.sort_by_key(|c| (Reverse(c.population.unwrap_or(0)), c.nom.as_str(), c.code));
            trouves.truncate(limite);
            return trouves;
        }
        let cherche = normaliser(texte);
        if cherche.chars().count() < 2 {
            return Vec::new();
        }
        let mot = format!(" {cherche}");
        let mut trouves: Vec<(u8, &Commune)> = self
            .communes
            .iter()
            .filter_map(|(c, nom)| {
                let rang = if *nom == cherche {
                    0
                } else if nom.starts_with(&cherche) {
                    1
                } else if nom.contains(&mot) {
                    2
                } else {
                    return None;
                };
                Some((rang, *c))
            })
            .collect();
        trouves.sort_by_key(|(rang, c)| {
            (
                *rang,
                Reverse(c.population.unwrap_or(0)),
                c.nom.as_str(),
                c.code,
            )
        });
        trouves.into_iter().take(limite).map(|(_, c)| c).collect()
    }

    /// The commune a submitted text designates. Understood, in this order: an INSEE code; a
    /// postcode (its communes); a name followed by a postcode or a département in brackets, as
    /// the suggestions write them (« Grenoble (38000) »); a name, exactly; otherwise the
    /// suggestions for the text, at most `limite`, to choose from.
    pub fn resoudre(&self, texte: &str, limite: usize) -> Resolution<'a> {
        let texte = texte.trim();
        if texte.is_empty() {
            return Resolution::Aucune;
        }
        if est_un_code(texte) && texte.len() == 5 {
            let code = texte.to_ascii_uppercase();
            // A postcode first; an INSEE code only when no commune has it as a postcode.
            let par_code_postal = self.du_code_postal(&code);
            if par_code_postal.is_empty()
                && let Some(c) = CodeInsee::parse(&code)
                    .ok()
                    .and_then(|code| self.par_code(code))
            {
                return Resolution::Commune(c);
            }
            return choisir(par_code_postal);
        }
        let (nom, precision) = match texte.strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
            Some((nom, precision)) => (nom.trim(), Some(precision.trim())),
            None => (texte, None),
        };
        let cherche = normaliser(nom);
        let meme_nom: Vec<&Commune> = self
            .communes
            .iter()
            .filter(|(_, n)| *n == cherche)
            .map(|(c, _)| *c)
            .filter(|c| match precision {
                None => true,
                Some(p) => {
                    c.codes_postaux.iter().any(|cp| cp == p)
                        || c.departement.as_str().eq_ignore_ascii_case(p)
                        || c.code.as_str().eq_ignore_ascii_case(p)
                }
            })
            .collect();
        if !meme_nom.is_empty() {
            return choisir(meme_nom);
        }
        choisir(self.suggerer(nom, limite))
    }

    fn par_code(&self, code: CodeInsee) -> Option<&'a Commune> {
        self.communes
            .binary_search_by_key(&code, |(c, _)| c.code)
            .ok()
            .and_then(|i| self.communes.get(i))
            .map(|(c, _)| *c)
    }

    fn du_code_postal(&self, code_postal: &str) -> Vec<&'a Commune> {
        let mut trouves: Vec<&Commune> = self
            .communes
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| c.codes_postaux.iter().any(|cp| cp == code_postal))
            .collect();
        trouves.sort_by_key(|c| (Reverse(c.population.unwrap_or(0)), c.nom.as_str(), c.code));
        trouves
    }
}

fn choisir(mut communes: Vec<&Commune>) -> Resolution<'_> {
    match communes.len() {
        0 => Resolution::Aucune,
        1 => Resolution::Commune(communes.remove(0)),
        _ => Resolution::Choix(communes),
    }
}

/// How a suggestion is written in the search field, so that [`IndexCommunes::resoudre`] reads it
/// back as exactly that commune: the name and its first postcode (« Grenoble (38000) »), or its
/// département when it has no postcode.
pub fn libelle_commune(commune: &Commune) -> String {
    match commune.codes_postaux.first() {
        Some(cp) => format!("{} ({cp})", commune.nom),
        None => format!("{} ({})", commune.nom, commune.departement.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noms(communes: &[&Commune]) -> Vec<String> {
        communes.iter().map(|c| c.nom.clone()).collect()
    }

    #[test]
    fn normalisation() {
        assert_eq!(
            normaliser("  Saint-Martin-d’Hères "),
            "saint martin d heres"
        );
        assert_eq!(normaliser("L'HAŸ-LES-ROSES"), "l hay les roses");
        assert_eq!(normaliser("Œuilly"), "oeuilly");
        assert_eq!(normaliser("st égrève"), "saint egreve");
    }

    #[test]
    fn suggestions_par_nom() {
        let communes = Communes::embarquees().unwrap();
        let index = IndexCommunes::new(&communes);
        // Prefix, most populated first: Grenoble before Grenade and Grenay.
        let grenob = index.suggerer("GRENOB", 5);
        assert_eq!(noms(&grenob)[0], "Grenoble");
        let gre = index.suggerer("gre", 3);
        assert_eq!(gre.len(), 3);
        assert_eq!(gre[0].nom, "Grenoble");
        // Accents, hyphens and apostrophes do not matter.
        let smh = index.suggerer("saint martin d'heres", 5);
        assert_eq!(noms(&smh), ["Saint-Martin-d'Hères"]);
        let smh = index.suggerer("St-Martin-d’Hères", 5);
        assert_eq!(noms(&smh), ["Saint-Martin-d'Hères"]);
        // The exact name comes before longer names, whatever their population.
        let paris = index.suggerer("paris", 5);
        assert_eq!(paris[0].nom, "Paris");
        // A word of the name, after the prefixes.
        let heres = index.suggerer("hères", 10);
        assert!(noms(&heres).contains(&"Saint-Martin-d'Hères".to_owned()));
        // Too short, nothing.
        assert!(index.suggerer("g", 5).is_empty());
        assert!(index.suggerer("", 5).is_empty());
    }

    #[test]
    fn suggestions_par_code() {
        let communes = Communes::embarquees().unwrap();
        let index = IndexCommunes::new(&communes);
        // 38100 is Grenoble's postcode and Le Cheylas's INSEE code: both, most populated first.
        let cp = index.suggerer("38100", 5);
        assert_eq!(noms(&cp), ["Grenoble", "Le Cheylas"]);
        // A postcode prefix: Grenoble (38000, 38100) first, the most populated.
        let prefixe = index.suggerer("380", 5);
        assert_eq!(prefixe[0].nom, "Grenoble");
        assert_eq!(prefixe.len(), 5);
        // An INSEE code (Grenoble's is 38185, no postcode starts with it).
        let insee = index.suggerer("38185", 5);
        assert_eq!(noms(&insee), ["Grenoble"]);
        let corse = index.suggerer("2a004", 5);
        assert_eq!(noms(&corse), ["Ajaccio"]);
        assert!(index.suggerer("3", 5).is_empty());
    }

    #[test]
    fn resolution() {
        let communes = Communes::embarquees().unwrap();
        let index = IndexCommunes::new(&communes);
        let une = |texte: &str| match index.resoudre(texte, 10) {
            Resolution::Commune(c) => c.nom.clone(),
            autre => panic!("{texte}: {autre:?}"),
        };
        assert_eq!(une("grenoble"), "Grenoble");
        assert_eq!(une("38100"), "Grenoble");
        assert_eq!(une("38185"), "Grenoble");
        assert_eq!(une("Grenoble (38000)"), "Grenoble");
        let grenoble = communes.get(CodeInsee::parse("38185").unwrap()).unwrap();
        assert_eq!(une(&libelle_commune(grenoble)), "Grenoble");
        // Every suggestion's label reads back as its commune, even for a shared name.
        for c in index.suggerer("saint martin", 40) {
            match index.resoudre(&libelle_commune(c), 10) {
                Resolution::Commune(trouvee) => assert_eq!(trouvee.code, c.code),
                autre => panic!("{}: {autre:?}", c.nom),
            }
        }
        // A postcode serving several communes, a name shared by several: a choice.
        match index.resoudre("38250", 10) {
            Resolution::Choix(choix) => assert!(choix.len() > 3),
            autre => panic!("{autre:?}"),
        }
        match index.resoudre("Saint-Martin", 10) {
            Resolution::Choix(choix) => assert!(choix.len() > 1),
            autre => panic!("{autre:?}"),
        }
        // A partial name: the suggestions to choose from (or the only one).
        assert_eq!(une("grenob"), "Grenoble");
        assert_eq!(index.resoudre("zzzz", 10), Resolution::Aucune);
        assert_eq!(index.resoudre("  ", 10), Resolution::Aucune);
        assert_eq!(index.resoudre("99999", 10), Resolution::Aucune);
    }
}
