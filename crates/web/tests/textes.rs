//! What people read never shows the machine's words: for each role, every page reached from the
//! menu and the lists (dossiers, conventions, structures, payments…) is read with an HTML parser,
//! and its visible text must hold no parameter key (`aip.familles_par_etp`), no field or code
//! name (`etp_declares`, `cout_annualise`) and no fraction (`2017272/29`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aide;

use std::collections::{BTreeSet, VecDeque};

use app::demo::OptionsDemo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use scraper::{ElementRef, Html, Node, Selector};
use web::Etat;

use aide::{connecter, corps, demonstration};

/// The visible text of the page's main content: text nodes outside scripts and styles, and
/// outside `<code>`, which shows what a person must type as it is (the columns of an import file).
fn texte_visible(page: &str) -> String {
    let document = Html::parse_document(page);
    let main = Selector::parse("main").unwrap();
    let mut texte = String::new();
    for racine in document.select(&main) {
        for noeud in racine.descendants() {
            if let Node::Text(t) = noeud.value() {
                let cache = noeud.ancestors().any(|a| {
                    ElementRef::wrap(a).is_some_and(|e| {
                        matches!(e.value().name(), "script" | "style" | "template" | "code")
                    })
                });
                if !cache {
                    texte.push_str(t);
                    texte.push(' ');
                }
            }
        }
    }
    texte
}

/// The words of `texte` that are a machine's: a dotted key or a snake_case name (not a file name,
/// not an address), or a fraction of two whole numbers (a date has two slashes, not one).
fn mots_de_machine(texte: &str) -> Vec<String> {
    let mut trouves = Vec::new();
    for mot in texte
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '«' | '»' | ',' | ';' | ':'))
    {
        let mot = mot.trim_matches(|c: char| matches!(c, '.' | '\'' | '’' | '"'));
        if mot.is_empty() || mot.contains('@') || mot.contains("://") {
            continue;
        }
        let fichier = [".pdf", ".png", ".jpg", ".csv", ".xlsx", ".odt", ".docx"]
            .iter()
            .any(|ext| mot.to_lowercase().ends_with(ext));
        let serpent = mot.contains('_')
            && mot
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
            && !fichier;
        let cle = mot.starts_with("aip.") || mot.starts_with("reaap.");
        let fraction = {
            let parts: Vec<&str> = mot.split('/').collect();
            parts.len() == 2
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        };
        if serpent || cle || fraction {
            trouves.push(mot.to_owned());
        }
    }
    trouves
}

#[test]
fn les_mots_de_machine_sont_reconnus() {
    assert_eq!(
        mots_de_machine("≈ 69 561,10 (exactement 2017272/29) le 01/03/2024"),
        ["2017272/29"]
    );
    assert_eq!(
        mots_de_machine("le paramètre aip.familles_par_etp n'a pas de valeur ; etp_declares"),
        ["aip.familles_par_etp", "etp_declares"]
    );
    assert!(mots_de_machine("statuts_2023.pdf agent.38@demo.parentalite.fr 3 / 5").is_empty());
}

/// The pages a user reaches from the home page through the links of the service, at most
/// `limite`, downloads and actions left aside.
async fn parcourir(r: &axum::Router, cookie: &str, limite: usize) -> Vec<(String, String)> {
    let liens = Selector::parse("main a[href], nav a[href]").unwrap();
    let mut vus = BTreeSet::new();
    let mut a_voir = VecDeque::from(["/".to_owned()]);
    let mut pages = Vec::new();
    while let Some(chemin) = a_voir.pop_front() {
        if pages.len() >= limite || !vus.insert(chemin.clone()) {
            continue;
        }
        let (statut, _, page) = corps(
            r,
            Request::get(&chemin)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        if statut != StatusCode::OK {
            continue;
        }
        for a in Html::parse_document(&page).select(&liens) {
            let href = a.value().attr("href").unwrap_or_default();
            let telechargement = [".pdf", ".csv", ".xlsx", ".json"]
                .iter()
                .any(|ext| href.split('?').next().unwrap_or_default().ends_with(ext));
            if href.starts_with('/')
                && !href.starts_with("/static/")
                && !href.starts_with("/api/")
                && !href.starts_with("/pieces/")
                && !telechargement
                && !href.contains('#')
            {
                a_voir.push_back(href.to_owned());
            }
        }
        pages.push((chemin, page));
    }
    pages
}

#[tokio::test]
async fn aucune_page_ne_montre_de_cle_de_nom_de_champ_ni_de_fraction() {
    let (plateforme, resume) = demonstration(
        "textes",
        OptionsDemo {
            gestionnaires_par_caf: 2,
            ..OptionsDemo::default()
        },
    )
    .await;
    let r = web::routeur(Etat {
        plateforme,
        cookie_securise: false,
    });
    let mut fautes = Vec::new();
    let mut lues = 0;
    for email in [
        "agent.38@demo.parentalite.fr",
        "gestionnaire.38.1@demo.parentalite.fr",
        "financeur.38@demo.parentalite.fr",
        "cnaf@demo.parentalite.fr",
    ] {
        let mot_de_passe = resume
            .comptes
            .iter()
            .find(|c| c.email == email)
            .map(|c| c.mot_de_passe.clone())
            .unwrap();
        let cookie = connecter(&r, email, &mot_de_passe).await;
        for (chemin, page) in parcourir(&r, &cookie, 120).await {
            lues += 1;
            let mots = mots_de_machine(&texte_visible(&page));
            if !mots.is_empty() {
                fautes.push(format!("{email} {chemin}: {mots:?}"));
            }
        }
    }
    assert!(lues > 100, "{lues} pages lues seulement");
    assert!(fautes.is_empty(), "{}", fautes.join("\n"));
}
