//! The head file: the audit chain's head kept outside the database, so that deleting the last
//! events (and lowering the head counter with them) does not go unnoticed. After each committed
//! transaction that wrote audit events, one line `<number> <hash> <UTC time>` is appended; `check`
//! requires every line to name an event still in the database with that very hash.
//!
//! Lines of concurrent writers may land out of order (they are appended after the commit): the
//! file's head is its highest number, not its last line. Lines starting with `#` are comments.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::Path;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The comment opening a new head file.
const EN_TETE: &str = "# Parentalité : tête du journal d'audit après chaque écriture validée \
                       (numéro, hash, heure UTC). À copier hors du serveur de la base.\n";

/// One line of the head file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attestation {
    /// The line's number in the file, from 1.
    pub ligne: usize,
    pub numero: i64,
    pub hash: String,
}

/// What the head file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contenu {
    pub attestations: Vec<Attestation>,
    /// Lines that are neither comments nor `<number> <hash> …`, by line number.
    pub illisibles: Vec<usize>,
}

impl Contenu {
    /// The highest event number attested, if any.
    pub fn tete(&self) -> Option<&Attestation> {
        self.attestations.iter().max_by_key(|a| a.numero)
    }
}

/// Appends the head `numero`/`hash` to the file at `chemin`, creating it if needed. The line goes
/// out in one write on a file opened for appending, so that lines of concurrent writers never
/// interleave.
pub fn ajouter(chemin: &Path, numero: i64, hash: &str) -> std::io::Result<()> {
    let mut fichier = OpenOptions::new().create(true).append(true).open(chemin)?;
    let heure = OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .map_err(std::io::Error::other)?;
    let mut ligne = String::new();
    if fichier.metadata()?.len() == 0 {
        ligne.push_str(EN_TETE);
    }
    ligne.push_str(&format!("{numero} {hash} {heure}\n"));
    fichier.write_all(ligne.as_bytes())?;
    fichier.flush()
}

/// Reads the head file; `None` when it does not exist.
pub fn lire(chemin: &Path) -> std::io::Result<Option<Contenu>> {
    let texte = match std::fs::read_to_string(chemin) {
        Ok(t) => t,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut contenu = Contenu {
        attestations: Vec::new(),
        illisibles: Vec::new(),
    };
    for (i, ligne) in texte.lines().enumerate() {
        let ligne_no = i + 1;
        let ligne = ligne.trim();
        if ligne.is_empty() || ligne.starts_with('#') {
            continue;
        }
        let mut champs = ligne.split_whitespace();
        let numero = champs.next().and_then(|n| n.parse::<i64>().ok());
        let hash = champs
            .next()
            .filter(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()));
        match (numero, hash) {
            (Some(numero), Some(hash)) if numero > 0 => contenu.attestations.push(Attestation {
                ligne: ligne_no,
                numero,
                hash: hash.to_ascii_lowercase(),
            }),
            _ => contenu.illisibles.push(ligne_no),
        }
    }
    Ok(Some(contenu))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn les_lignes_ajoutees_se_relisent_et_la_tete_est_le_plus_grand_numero() {
        let chemin =
            std::env::temp_dir().join(format!("parentalite-tete-{}.txt", std::process::id()));
        let _ = std::fs::remove_file(&chemin);
        assert_eq!(lire(&chemin).unwrap(), None);
        let h = |c: char| c.to_string().repeat(64);
        ajouter(&chemin, 3, &h('a')).unwrap();
        ajouter(&chemin, 7, &h('b')).unwrap();
        ajouter(&chemin, 5, &h('c')).unwrap();
        let mut texte = std::fs::read_to_string(&chemin).unwrap();
        assert!(texte.starts_with('#'));
        texte.push_str("n'importe quoi\n");
        std::fs::write(&chemin, texte).unwrap();
        let c = lire(&chemin).unwrap().unwrap();
        assert_eq!(c.attestations.len(), 3);
        assert_eq!(c.attestations[0].ligne, 2);
        let tete = c.tete().unwrap();
        assert_eq!((tete.numero, tete.hash.as_str()), (7, h('b').as_str()));
        assert_eq!(c.illisibles, vec![5]);
        let _ = std::fs::remove_file(&chemin);
    }
}
