//! `parentalite calcul` as a user runs it: exit statuses, messages that name the field, batches
//! that go on past a bad line, CSV in and out, French text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

struct Sortie {
    code: i32,
    stdout: String,
    stderr: String,
}

fn parentalite(args: &[&str], entree: &str) -> Sortie {
    let mut enfant = Command::new(env!("CARGO_BIN_EXE_parentalite"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lancement");
    // A command that refuses its arguments may exit before reading its input: a broken pipe then
    // says nothing about the command.
    if let Err(e) = enfant
        .stdin
        .take()
        .expect("stdin")
        .write_all(entree.as_bytes())
    {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "écriture: {e}");
    }
    let s = enfant.wait_with_output().expect("attente");
    Sortie {
        code: s.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&s.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&s.stderr).into_owned(),
    }
}

const BON: &str = r#"{"dispositif":"aip","exercice":2024,"etp_declares":"1","etp_notifies":"1","mois_fonctionnement":8,"depenses_fonctionnement":"40000"}"#;

#[test]
fn un_cas_json_donne_le_montant_et_l_acompte() {
    let s = parentalite(&["calcul", "--json", "-"], BON);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let v: serde_json::Value = serde_json::from_str(&s.stdout).expect("JSON");
    assert_eq!(v["montant"], "32000.00");
    assert_eq!(v["acompte"], "22400.00");
    assert_eq!(v["etp_retenus"], "0.6667");
    assert_eq!(v["prix_de_revient"], "60000.00");
    assert_eq!(v["plafond_applique"], false);
    assert_eq!(v["trace"]["etapes"].as_array().map(Vec::len), Some(6));
}

#[test]
fn un_fichier_json_se_lit_aussi() {
    let dossier = std::env::temp_dir().join(format!("parentalite-cas-{}", std::process::id()));
    std::fs::create_dir_all(&dossier).expect("dossier");
    let chemin = dossier.join("cas.json");
    std::fs::write(&chemin, BON).expect("écriture");
    let s = parentalite(&["calcul", "--json", chemin.to_str().expect("chemin")], "");
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(s.stdout.contains("\"montant\":\"32000.00\""));
    let absent = parentalite(&["calcul", "--json", "/nexiste/pas.json"], "");
    assert_eq!(absent.code, 2);
    assert!(
        absent.stderr.contains("/nexiste/pas.json"),
        "{}",
        absent.stderr
    );
}

#[test]
fn le_texte_francais_explique_le_calcul() {
    let s = parentalite(
        &[
            "calcul",
            "--exercice",
            "2024",
            "--etp-declares",
            "1",
            "--etp-notifies",
            "1",
            "--mois",
            "12",
            "--depenses",
            "70000",
        ],
        "",
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(
        s.stdout
            .contains("Montant de la subvention : 52\u{202f}800,00\u{a0}€"),
        "{}",
        s.stdout
    );
    assert!(
        s.stdout
            .contains("Acompte (70 %) : 36\u{202f}960,00\u{a0}€"),
        "{}",
        s.stdout
    );
    assert!(
        s.stdout.contains("Le prix plafond s'applique."),
        "{}",
        s.stdout
    );
    assert!(s.stdout.contains("66\u{202f}000\u{a0}€"), "{}", s.stdout);
    assert!(s.stdout.contains("§VI.1"), "{}", s.stdout);
}

fn erreur(json: &str) -> Sortie {
    let s = parentalite(&["calcul", "--json", "-"], json);
    assert_eq!(s.code, 2, "code {} pour {json}: {}", s.code, s.stdout);
    assert!(s.stderr.starts_with("erreur: "), "{}", s.stderr);
    s
}

#[test]
fn chaque_entree_invalide_nomme_le_champ_et_la_raison() {
    let cas = [
        (
            BON.replace("\"mois_fonctionnement\":8", "\"mois_fonctionnement\":13"),
            "mois_fonctionnement",
            "0 à 12",
        ),
        (
            BON.replace("\"40000\"", "\"-1\""),
            "depenses_fonctionnement",
            "négatif",
        ),
        (BON.replace("\"aip\"", "\"reaap\""), "dispositif", "inconnu"),
        (
            BON.replace("2024", "2023"),
            "Prix plafond annuel",
            "1er janvier 2023",
        ),
        (
            BON.replace("\"40000\"", "\"quarante\""),
            "depenses_fonctionnement",
            "n'est pas un nombre",
        ),
        (
            BON.replace("\"40000\"", "\"1.0000000001\""),
            "depenses_fonctionnement",
            "chiffres après la virgule",
        ),
        (
            BON.replace(",\"etp_notifies\":\"1\"", ""),
            "etp_notifies",
            "manquant",
        ),
        (
            BON.replace("\"etp_notifies\"", "\"etp_notifie\""),
            "etp_notifie",
            "inconnu",
        ),
        (BON.replace("2024", "\"deux mille\""), "exercice", "année"),
        (
            BON.replace("\"1\",\"etp_notifies\"", "[1],\"etp_notifies\""),
            "etp_declares",
            "inattendu",
        ),
    ];
    for (json, champ, raison) in cas {
        let s = erreur(&json);
        assert!(s.stderr.contains(champ), "{champ} absent de: {}", s.stderr);
        assert!(
            s.stderr.contains(raison),
            "{raison} absent de: {}",
            s.stderr
        );
        let v: serde_json::Value = serde_json::from_str(&s.stdout).expect("erreur en JSON");
        assert!(v["erreur"].as_str().is_some_and(|m| m.contains(champ)));
    }
}

#[test]
fn un_json_malforme_est_refuse_avec_sa_position() {
    for texte in [
        "",
        "{",
        "{\"dispositif\":}",
        "[1,2]",
        "nul",
        "{\"dispositif\":\"aip\",,}",
    ] {
        let s = erreur(texte);
        assert!(s.stderr.contains("ligne"), "{texte}: {}", s.stderr);
    }
}

#[test]
fn sans_cas_la_commande_explique_quoi_donner() {
    let s = parentalite(&["calcul"], "");
    assert_eq!(s.code, 2);
    assert!(s.stderr.contains("--json"), "{}", s.stderr);
}

#[test]
fn un_lot_continue_apres_une_ligne_invalide_et_le_signale() {
    let lot = format!(
        "{BON}\n\n{}\n{{pas du json\n{}\n",
        BON.replace("\"mois_fonctionnement\":8", "\"mois_fonctionnement\":99"),
        BON.replace("\"40000\"", "\"70000\"").replace(":8", ":12")
    );
    let s = parentalite(&["calcul", "--batch", "-"], &lot);
    assert_eq!(s.code, 2, "{}", s.stderr);
    let lignes: Vec<serde_json::Value> = s
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("chaque ligne est du JSON"))
        .collect();
    assert_eq!(lignes.len(), 4, "{}", s.stdout);
    assert_eq!(lignes[0]["ligne"], 1);
    assert_eq!(lignes[0]["montant"], "32000.00");
    assert_eq!(lignes[1]["ligne"], 3);
    assert_eq!(lignes[1]["champ"], "mois_fonctionnement");
    assert_eq!(lignes[2]["ligne"], 4);
    assert!(
        lignes[2]["erreur"]
            .as_str()
            .is_some_and(|m| m.contains("JSON"))
    );
    assert_eq!(lignes[3]["ligne"], 5);
    assert_eq!(lignes[3]["montant"], "52800.00");
    assert!(s.stderr.contains("2 cas invalide"), "{}", s.stderr);
}

#[test]
fn un_lot_valide_sort_avec_le_statut_zero_dans_l_ordre() {
    let mut lot = String::new();
    for mois in 0..=12 {
        lot.push_str(&BON.replace(":8", &format!(":{mois}")));
        lot.push('\n');
    }
    // Enough lines to span several blocks computed in parallel.
    let grand: String = lot.repeat(2000);
    let s = parentalite(&["calcul", "--batch", "-", "--format", "jsonl"], &grand);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let lignes: Vec<&str> = s.stdout.lines().collect();
    assert_eq!(lignes.len(), 13 * 2000);
    for (i, l) in lignes.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
        assert_eq!(v["ligne"], i + 1);
        let mois = (i % 13) as i64;
        // 40 000 € of expenses, 1 FTE: 80 % of min(66 000 × m / 12, 40 000)
        let attendu = (66_000 * 100 * mois / 12).min(4_000_000) * 8 / 10;
        assert_eq!(
            v["montant"],
            format!("{}.{:02}", attendu / 100, attendu % 100),
            "ligne {}",
            i + 1
        );
    }
}

#[test]
fn un_lot_csv_a_la_francaise() {
    let csv = "dispositif;exercice;declaration;etp_declares;etp_notifies;mois_fonctionnement;depenses_fonctionnement;versements_effectues\n\
               aip;2025;reelle;1;1;10;30000;36960,00\n\
               aip;2024;;0,33;0,5;7;12345,67;\n\
               aip;2024;;1;1;14;1;\n";
    let dossier = std::env::temp_dir().join(format!("parentalite-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dossier).expect("dossier");
    let chemin = dossier.join("cas.csv");
    std::fs::write(&chemin, csv).expect("écriture");
    let s = parentalite(&["calcul", "--batch", chemin.to_str().expect("chemin")], "");
    assert_eq!(s.code, 2, "{}", s.stderr);
    let lignes: Vec<&str> = s.stdout.lines().collect();
    assert_eq!(
        lignes[0],
        "ligne;montant;acompte;charge_a_payer;solde;etp_retenus;prix_de_revient;plafond_applique;erreur"
    );
    assert_eq!(lignes[1], "2;24000.00;;;-12960.00;0.8333;36000.00;false;");
    assert_eq!(lignes[2], "3;9876.54;6913.58;;;0.1925;64133.35;false;");
    assert!(lignes[3].starts_with("4;;;;;;;;"), "{}", lignes[3]);
    assert!(lignes[3].contains("mois_fonctionnement"), "{}", lignes[3]);
}

#[test]
fn une_colonne_csv_inconnue_arrete_avant_tout_calcul() {
    let s = parentalite(
        &["calcul", "--batch", "-", "--format", "csv"],
        "dispositif,annee\naip,2024\n",
    );
    assert_eq!(s.code, 2);
    assert!(s.stderr.contains("annee"), "{}", s.stderr);
    assert!(s.stdout.is_empty());
}

#[test]
fn des_parametres_invalides_sont_signales_avec_leur_fichier() {
    let dossier = std::env::temp_dir().join(format!("parentalite-params-{}", std::process::id()));
    let aip = dossier.join("aip");
    std::fs::create_dir_all(&aip).expect("dossier");
    std::fs::write(
        aip.join("faux.yaml"),
        "description: essai\nparameters:\n  prix_plafond:\n    description: x\n    unit: EUR\n    values:\n      2024-01-01:\n        value: -3\n        source: {text: t, paragraph: p}\n",
    )
    .expect("écriture");
    let s = parentalite(
        &[
            "calcul",
            "--parametres",
            dossier.to_str().expect("chemin"),
            "--json",
            "-",
        ],
        BON,
    );
    assert_eq!(s.code, 2);
    assert!(s.stderr.contains("faux.yaml, ligne 8"), "{}", s.stderr);
}
