//! Password hashing with argon2id (the PHC string is what the database keeps), verification that
//! takes the same time whether the account exists or not, and generated first passwords.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// The argon2id hash of `mot_de_passe`, as a PHC string.
pub fn hacher(mot_de_passe: &str) -> Result<String, String> {
    let sel = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(mot_de_passe.as_bytes(), &sel)
        .map(|h| h.to_string())
        .map_err(|e| format!("hachage impossible: {e}"))
}

/// Whether `mot_de_passe` matches `hache`. With no hash (unknown account), a dummy hash is
/// checked all the same, so that the answer takes the same time.
pub fn verifier(mot_de_passe: &str, hache: Option<&str>) -> bool {
    static FACTICE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let factice = FACTICE.get_or_init(|| hacher(&generer()).unwrap_or_default());
    let (cible, existe) = match hache {
        Some(h) => (h, true),
        None => (factice.as_str(), false),
    };
    let Ok(h) = PasswordHash::new(cible) else {
        return false;
    };
    let bon = Argon2::default()
        .verify_password(mot_de_passe.as_bytes(), &h)
        .is_ok();
    bon && existe
}

/// A random password of 20 letters and digits (about 119 bits), for a first login.
pub fn generer() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut octets = [0u8; 20];
    OsRng.fill_bytes(&mut octets);
    octets
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_mot_de_passe_se_verifie_contre_son_hache() {
        let h = hacher("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verifier("correct horse battery staple", Some(&h)));
        assert!(!verifier("mauvais", Some(&h)));
        assert!(!verifier("correct horse battery staple", None));
        assert_ne!(generer(), generer());
        assert_eq!(generer().len(), 20);
    }
}
