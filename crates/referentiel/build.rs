//! Embeds every YAML file of the project's `parameters/` folder, so that a new parameter set is
//! a new file, picked up at the next build without any code change.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../parameters");
    println!("cargo:rerun-if-changed={}", racine.display());
    let mut fichiers = Vec::new();
    if let Ok(dossiers) = fs::read_dir(&racine) {
        for dossier in dossiers.flatten() {
            let chemin = dossier.path();
            if !chemin.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", chemin.display());
            if let Ok(entrees) = fs::read_dir(&chemin) {
                for f in entrees.flatten() {
                    let p = f.path();
                    if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                        println!("cargo:rerun-if-changed={}", p.display());
                        fichiers.push(p);
                    }
                }
            }
        }
    }
    fichiers.sort();
    let mut code =
        String::from("/// The embedded parameter files: (path under parameters/, text).\n");
    code.push_str("const EMBARQUES: &[(&str, &str)] = &[\n");
    for p in &fichiers {
        let relatif: PathBuf = p
            .strip_prefix(&racine)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.clone());
        let absolu = fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        code.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            format!("parameters/{}", relatif.display()),
            absolu.display().to_string()
        ));
    }
    code.push_str("];\n");
    let sortie =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("parametres_embarques.rs");
    if let Err(e) = fs::write(&sortie, code) {
        panic!("cannot write {}: {e}", sortie.display());
    }
}
