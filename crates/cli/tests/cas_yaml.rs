//! Runs every YAML case of `tests/cases/` and of the shared acceptance cases through
//! `parentalite calcul --json -`, as a user would, and checks amounts and exit statuses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(serde::Deserialize)]
struct Cas {
    nom: String,
    entree: serde_json::Value,
    #[serde(default)]
    attendu: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    erreur: bool,
}

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fichiers_de_cas() -> Vec<PathBuf> {
    let mut fichiers: Vec<PathBuf> = std::fs::read_dir(racine().join("tests/cases"))
        .expect("tests/cases")
        .map(|e| e.expect("entrée").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    // The shared acceptance cases are required: without them this test proves nothing about them.
    // PARENTALITE_CAS_PARTAGES names another file of the same shape.
    let partages = std::env::var_os("PARENTALITE_CAS_PARTAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| racine().join("../shared/cases/aip.yaml"));
    assert!(
        partages.is_file(),
        "les cas d'acceptation partagés sont introuvables: {}",
        partages.display()
    );
    fichiers.push(partages);
    fichiers.sort();
    fichiers
}

fn calculer(entree: &serde_json::Value) -> (i32, String, String) {
    let mut enfant = Command::new(env!("CARGO_BIN_EXE_parentalite"))
        .args(["calcul", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lancement");
    enfant
        .stdin
        .take()
        .expect("stdin")
        .write_all(entree.to_string().as_bytes())
        .expect("écriture");
    let sortie = enfant.wait_with_output().expect("attente");
    (
        sortie.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&sortie.stdout).into_owned(),
        String::from_utf8_lossy(&sortie.stderr).into_owned(),
    )
}

#[test]
fn chaque_cas_donne_le_montant_exact_ou_l_erreur_attendue() {
    let mut vus = 0;
    let mut echecs = Vec::new();
    for fichier in fichiers_de_cas() {
        let texte = std::fs::read_to_string(&fichier).expect("lecture");
        let cas: Vec<Cas> = serde_norway::from_str(&texte).expect("YAML des cas");
        assert!(!cas.is_empty(), "aucun cas dans {}", fichier.display());
        for c in cas {
            vus += 1;
            let (code, stdout, stderr) = calculer(&c.entree);
            if c.erreur {
                if code != 2 || !stderr.starts_with("erreur: ") {
                    echecs.push(format!("{}: erreur attendue, code {code}, {stderr}", c.nom));
                }
                continue;
            }
            if code != 0 {
                echecs.push(format!("{}: code {code}: {stderr}", c.nom));
                continue;
            }
            let obtenu: serde_json::Value = serde_json::from_str(&stdout).expect("JSON en sortie");
            for (champ, attendu) in c.attendu.iter().flatten() {
                if obtenu.get(champ) != Some(attendu) {
                    echecs.push(format!(
                        "{} ({}): {champ} attendu {attendu}, obtenu {:?}",
                        c.nom,
                        fichier.display(),
                        obtenu.get(champ)
                    ));
                }
            }
            let trace = obtenu["trace"].to_string();
            for mention in [
                "66\u{202f}000\u{a0}€",
                "80 %",
                "§VI.1",
                "Référentiel national de financement",
            ] {
                if !trace.contains(mention) {
                    echecs.push(format!("{}: la trace ne mentionne pas {mention}", c.nom));
                }
            }
        }
    }
    assert!(vus >= 40, "trop peu de cas lus: {vus}");
    assert!(
        echecs.is_empty(),
        "{} échec(s):\n{}",
        echecs.len(),
        echecs.join("\n")
    );
}
