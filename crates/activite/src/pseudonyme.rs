//! Pseudonymous family codes: a family is known only by the keyed hash (HMAC-SHA256, truncated
//! to 128 bits) of the identifier its structure uses, with a secret key per structure kept in
//! the database and created on first use. The identifier itself is never stored, logged, shown
//! or echoed in an error; two structures give the same family unrelated codes.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use domain::identifiants::GestionnaireId;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use store::Tx;
use store::activite::cles;
use time::OffsetDateTime;

use crate::erreur::ErreurActivite;

/// Longest identifier accepted, in characters.
pub const LONGUEUR_MAX_IDENTIFIANT: usize = 100;

/// The identifier a structure uses for a family (a file number, a code of its own…), as typed.
/// Its `Debug` never shows it; it has no `Display` and no `Serialize`.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct IdentifiantFamille(String);

impl fmt::Debug for IdentifiantFamille {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdentifiantFamille(<masqué>)")
    }
}

impl IdentifiantFamille {
    /// Checks and normalises an identifier: surrounding spaces dropped, inner runs of spaces
    /// made one, upper case (`ab 12` and ` AB  12` are the same family). Never echoes it.
    pub fn new(texte: &str) -> Result<Self, ErreurActivite> {
        // ASCII without spaces to drop or merge (most identifiers): only the case to change.
        let deja_espace = texte
            .bytes()
            .all(|b| b.is_ascii() && (b == b' ' || !char::from(b).is_whitespace()))
            && !texte.starts_with(' ')
            && !texte.ends_with(' ')
            && !texte.contains("  ");
        let normalise = if deja_espace {
            texte.to_ascii_uppercase()
        } else {
            texte
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_uppercase()
        };
        if normalise.is_empty() {
            return Err(ErreurActivite::champ(
                "identifiant_famille",
                "vide : indiquez l'identifiant que la structure donne à la famille",
            ));
        }
        if normalise.chars().count() > LONGUEUR_MAX_IDENTIFIANT {
            return Err(ErreurActivite::champ(
                "identifiant_famille",
                format!("trop long (au plus {LONGUEUR_MAX_IDENTIFIANT} caractères)"),
            ));
        }
        Ok(IdentifiantFamille(normalise))
    }

    /// The normalised text, for the keyed hash and for the check that a free-text field does
    /// not repeat it. Crate-private: nothing outside may read it back.
    pub(crate) fn normalise(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IdentifiantFamille {
    type Error = ErreurActivite;
    fn try_from(texte: String) -> Result<Self, Self::Error> {
        IdentifiantFamille::new(&texte)
    }
}

/// The pseudonymous code of a family at one structure: 128 bits, written as 32 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CodeFamille(pub(crate) [u8; 16]);

impl CodeFamille {
    /// Reads 32 hex digits.
    pub fn depuis_hex(texte: &str) -> Option<CodeFamille> {
        let octets = hex::decode(texte).ok()?;
        Some(CodeFamille(octets.try_into().ok()?))
    }

    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for CodeFamille {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

impl fmt::Debug for CodeFamille {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeFamille({})", self.hex())
    }
}

impl serde::Serialize for CodeFamille {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.hex())
    }
}

/// The secret key of one structure, ready to hash. Its `Debug` never shows it.
#[derive(Clone)]
pub struct CleStructure {
    mac: Hmac<Sha256>,
}

impl fmt::Debug for CleStructure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CleStructure(<secrète>)")
    }
}

impl CleStructure {
    fn depuis_octets(octets: &[u8]) -> Result<CleStructure, ErreurActivite> {
        let mac = Hmac::<Sha256>::new_from_slice(octets)
            .map_err(|_| ErreurActivite::Cle("clé de longueur invalide".into()))?;
        Ok(CleStructure { mac })
    }

    /// The code of a family: the first 128 bits of HMAC-SHA256(key, normalised identifier).
    pub fn code(&self, identifiant: &IdentifiantFamille) -> CodeFamille {
        let mut mac = self.mac.clone();
        mac.update(identifiant.normalise().as_bytes());
        let complet = mac.finalize().into_bytes();
        let mut code = [0u8; 16];
        code.copy_from_slice(&complet[..16]);
        CodeFamille(code)
    }
}

/// Codes computed during one import, each identifier hashed once. Lives in memory only, for the
/// time of the import.
#[derive(Debug)]
pub(crate) struct Pseudonymiseur {
    cle: CleStructure,
    deja: HashMap<String, CodeFamille>,
}

impl Pseudonymiseur {
    pub(crate) fn new(cle: CleStructure) -> Self {
        Pseudonymiseur {
            cle,
            deja: HashMap::new(),
        }
    }

    pub(crate) fn code(&mut self, identifiant: &IdentifiantFamille) -> CodeFamille {
        if let Some(c) = self.deja.get(identifiant.normalise()) {
            return *c;
        }
        let c = self.cle.code(identifiant);
        self.deja.insert(identifiant.normalise().to_owned(), c);
        c
    }
}

/// 32 bytes from the operating system's random source.
fn octets_aleatoires() -> Result<[u8; 32], ErreurActivite> {
    let mut octets = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut octets))
        .map_err(|e| ErreurActivite::Cle(format!("source d'aléa indisponible ({e})")))?;
    Ok(octets)
}

/// The key of a structure, created (in the caller's transaction) on first use. Two transactions
/// creating it at once keep the first one written.
pub(crate) async fn cle_de_la_structure(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    quand: OffsetDateTime,
) -> Result<CleStructure, ErreurActivite> {
    let stockee = match cles::cle(tx, gestionnaire.0).await? {
        Some(c) => c,
        None => {
            let nouvelle = hex::encode(octets_aleatoires()?);
            cles::creer_si_absente(tx, gestionnaire.0, &nouvelle, quand).await?;
            cles::cle(tx, gestionnaire.0)
                .await?
                .ok_or_else(|| ErreurActivite::Cle("clé introuvable après sa création".into()))?
        }
    };
    let octets =
        hex::decode(stockee).map_err(|_| ErreurActivite::Cle("clé stockée illisible".into()))?;
    CleStructure::depuis_octets(&octets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cle(octet: u8) -> CleStructure {
        CleStructure::depuis_octets(&[octet; 32]).unwrap()
    }

    #[test]
    fn code_stable_normalise_et_propre_a_la_structure() {
        let a = IdentifiantFamille::new("dossier 42").unwrap();
        let b = IdentifiantFamille::new("  DOSSIER   42 ").unwrap();
        assert_eq!(cle(1).code(&a), cle(1).code(&b));
        assert_ne!(cle(1).code(&a), cle(2).code(&a));
        let autre = IdentifiantFamille::new("dossier 43").unwrap();
        assert_ne!(cle(1).code(&a), cle(1).code(&autre));
        let code = cle(1).code(&a);
        assert_eq!(code.hex().len(), 32);
        assert_eq!(CodeFamille::depuis_hex(&code.hex()), Some(code));
    }

    #[test]
    fn code_hmac_sha256_tronque() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let cle = CleStructure::depuis_octets(b"Jefe").unwrap();
        let mut mac = cle.mac.clone();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn identifiant_jamais_affiche() {
        let id = IdentifiantFamille::new("Martin-Durand 1987").unwrap();
        assert!(!format!("{id:?}").to_uppercase().contains("MARTIN"));
        assert!(!format!("{:?}", cle(1)).contains("0101"));
        let e = IdentifiantFamille::new("   ").unwrap_err();
        assert!(e.to_string().contains("identifiant_famille"));
        let long = "x".repeat(LONGUEUR_MAX_IDENTIFIANT + 1);
        let e = IdentifiantFamille::new(&long).unwrap_err().to_string();
        assert!(e.contains("trop long") && !e.contains("xxx"), "{e}");
    }

    #[test]
    fn normalisation_rapide_identique() {
        for t in [
            "ab 12",
            " AB  12",
            "a\tb",
            "é-12",
            "x",
            "A B C",
            "ß",
            "dossier\u{a0}42",
            "ǅ",
            "a\u{b}b",
            "",
        ] {
            let lent = t
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_uppercase();
            let rapide = IdentifiantFamille::new(t).map(|i| i.0);
            assert_eq!(rapide.ok(), Some(lent).filter(|l| !l.is_empty()), "{t:?}");
        }
    }

    #[test]
    fn pseudonymiseur_memorise() {
        let mut p = Pseudonymiseur::new(cle(3));
        let a = IdentifiantFamille::new("A").unwrap();
        assert_eq!(p.code(&a), cle(3).code(&a));
        assert_eq!(p.code(&a), cle(3).code(&a));
        assert_eq!(p.deja.len(), 1);
    }
}
