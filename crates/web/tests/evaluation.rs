//! The evaluation of the AIP experiment through the web application on both engines, on the
//! demonstration with its activity: the Cnaf's comparison of the ten départements shows the
//! sessions and families the activity's dashboard counts for each and their sum; a Caf agent
//! writes its département's monograph (a new version each time, audited), the Cnaf reads it,
//! another Caf's agent and a structure's staff are refused; the national bilan reads back from
//! its PDF with pdftotext; the open-data bundle holds its files, every count of 1 to 4 masked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

use activite::SuiviActivite;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::Acteur;
use domain::identifiants::UtilisateurId;
use web::Etat;

use aide::{Session, get, post};
use commun::{Demo, Moteur, Page, creer_demo, moteur, texte_du_pdf};

/// The year the comparison is read for.
const EXERCICE: i32 = 2025;

/// One demonstration per engine, with its AIP activity, for the whole file.
fn demo() -> &'static Demo {
    static SQLITE: OnceLock<Demo> = OnceLock::new();
    static POSTGRES: OnceLock<Demo> = OnceLock::new();
    let m = moteur();
    let une = if m == Moteur::Sqlite {
        &SQLITE
    } else {
        &POSTGRES
    };
    une.get_or_init(|| {
        creer_demo(m, "evaluation", |p, maintenant| {
            Box::pin(async move {
                SuiviActivite::new(p)
                    .peupler_demo(p, 7, maintenant)
                    .await
                    .unwrap();
            })
        })
    })
}

async fn routeur() -> axum::Router {
    web::routeur(Etat {
        plateforme: demo().plateforme().await,
        cookie_securise: false,
    })
}

async fn connecter(r: &axum::Router, email: &str) -> Session {
    aide::session(r, email, &demo().mots_de_passe[email]).await
}

async fn octets(r: &axum::Router, chemin: &str, cookie: &str) -> (StatusCode, Vec<u8>) {
    use tower::ServiceExt;
    let reponse = r
        .clone()
        .oneshot(
            Request::get(chemin)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let statut = reponse.status();
    let corps = axum::body::to_bytes(reponse.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    (statut, corps)
}

/// The digits of a figure as printed (`1 234` → 1234).
fn entier(texte: &str) -> Option<i64> {
    let chiffres: String = texte.chars().filter(char::is_ascii_digit).collect();
    chiffres.parse().ok()
}

sur_les_deux_moteurs!(
    la_comparaison_reprend_l_activite_de_chaque_departement,
    la_monographie_s_ecrit_par_la_caf_et_se_lit_par_la_cnaf,
    le_bilan_pdf_et_les_donnees_ouvertes_masquent_les_petits_effectifs,
);

async fn la_comparaison_reprend_l_activite_de_chaque_departement() {
    let r = routeur().await;
    let cnaf = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let (statut, _, html) = get(
        &r,
        &format!("/evaluation?exercice={EXERCICE}"),
        &cnaf.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{html}");
    let page = Page::lire(&html);
    let lignes = page.lignes("section[aria-labelledby=titre-activite] table");
    let entete = &lignes[0];
    assert_eq!(
        entete.len(),
        12,
        "indicateur, dix départements, France : {entete:?}"
    );
    assert!(
        entete[1].contains("(38)") && entete[11] == "France",
        "{entete:?}"
    );
    let ligne = |libelle: &str| {
        lignes
            .iter()
            .find(|l| l[0] == libelle)
            .unwrap_or_else(|| panic!("{libelle} absent : {lignes:?}"))
            .clone()
    };
    // The activity's own dashboard, read at the département level, counts the same.
    let plateforme = demo().plateforme().await;
    let tableau = SuiviActivite::new(&plateforme)
        .tableau_de_bord(&Acteur::cnaf(UtilisateurId(1)), EXERCICE)
        .await
        .unwrap();
    let attendu: BTreeMap<String, (i64, i64)> = tableau
        .par_departement
        .iter()
        .map(|t| {
            (
                t.departement.clone().unwrap(),
                (t.totaux.entretiens, t.totaux.familles),
            )
        })
        .collect();
    let entretiens = ligne("Entretiens tenus");
    let familles = ligne("Familles accompagnées");
    let mut total = (0, 0);
    let mut avec_activite = 0;
    for (colonne, nom) in entete.iter().enumerate().skip(1).take(10) {
        let code = nom
            .rsplit('(')
            .next()
            .unwrap()
            .trim_end_matches(')')
            .to_owned();
        let (e, f) = attendu.get(&code).copied().unwrap_or((0, 0));
        assert_eq!(entier(&entretiens[colonne]), Some(e), "{code}");
        assert_eq!(entier(&familles[colonne]), Some(f), "{code}");
        total = (total.0 + e, total.1 + f);
        if e > 0 {
            avec_activite += 1;
        }
    }
    assert!(
        avec_activite >= 2,
        "la démonstration a de l'activité : {attendu:?}"
    );
    assert_eq!(entier(&entretiens[11]), Some(total.0));
    assert_eq!(entier(&familles[11]), Some(total.1));
    // Sessions per family, computed by hand for the nation.
    let par_famille = ligne("Entretiens par famille");
    let attendu_ratio = (total.0 as f64 / total.1 as f64 * 10.0).round() / 10.0;
    assert_eq!(
        par_famille[11].replace(',', ".").parse::<f64>().unwrap(),
        attendu_ratio
    );
    // Three families of indicators, an accessible chart, the monographs linked.
    for f in ["titre-portee", "titre-impact"] {
        assert!(
            !page
                .tous(&format!("section[aria-labelledby={f}] table"))
                .is_empty()
        );
    }
    let svg = page.un("svg#graphique-familles, svg[aria-labelledby^=graphique-familles]");
    assert_eq!(svg.value().attr("role"), Some("img"));
    assert!(html.contains("/evaluation/departements/38"));

    // A Caf agent reads the comparison; a structure's staff does not.
    let agent = connecter(&r, "agent.30@demo.parentalite.fr").await;
    assert_eq!(
        get(&r, "/evaluation", &agent.cookie).await.0,
        StatusCode::OK
    );
    let gestionnaire = connecter(&r, "gestionnaire.38.1@demo.parentalite.fr").await;
    for chemin in [
        "/evaluation",
        "/evaluation/bilan.pdf",
        "/evaluation/bilan.zip",
    ] {
        assert_eq!(
            get(&r, chemin, &gestionnaire.cookie).await.0,
            StatusCode::FORBIDDEN,
            "{chemin}"
        );
    }
    assert_eq!(
        get(&r, "/evaluation?exercice=2019", &cnaf.cookie).await.0,
        StatusCode::NOT_FOUND
    );
}

async fn la_monographie_s_ecrit_par_la_caf_et_se_lit_par_la_cnaf() {
    let r = routeur().await;
    // The Tarn's Caf has not written its monograph in the demonstration.
    let agent = connecter(&r, "agent.81@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, "/evaluation/departements/81", &agent.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("Aucune version enregistrée."), "{page}");
    assert!(page.contains("Chiffres de"), "{page}");

    // Nothing written: refused on the form.
    let (statut, page) = post(&r, "/evaluation/departements/81", &agent, "contexte=+++").await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("crivez au moins une partie de la monographie"),
        "{page}"
    );

    let (statut, page) = post(
        &r,
        "/evaluation/departements/81",
        &agent,
        "contexte=Territoire+rural+%3Cb%3Etarnais%3C%2Fb%3E&resultats=Activit%C3%A9+en+hausse",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (_, _, page) = get(
        &r,
        "/evaluation/departements/81?enregistree=1",
        &agent.cookie,
    )
    .await;
    assert!(page.contains("La monographie est enregistrée."), "{page}");
    assert!(page.contains("Version 1,"), "{page}");
    assert!(
        page.contains("Territoire rural &lt;b&gt;tarnais&lt;/b&gt;"),
        "{page}"
    );
    let (statut, _) = post(
        &r,
        "/evaluation/departements/81",
        &agent,
        "contexte=Territoire+rural&resultats=Activit%C3%A9+en+hausse",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER);

    // The Cnaf reads the text, without a form.
    let cnaf = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, "/evaluation/departements/81", &cnaf.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("Version 2,"), "{page}");
    assert!(page.contains("Activité en hausse"), "{page}");
    assert!(!page.contains("<textarea"), "{page}");

    // Each save is audited.
    let plateforme = demo().plateforme().await;
    let mut tx = plateforme.base.lire().await.unwrap();
    let evenements = store::audit::evenements(&mut tx).await.unwrap();
    let audites = evenements
        .iter()
        .filter(|e| e.entite == "monographie" && e.description.contains("département 81"))
        .count();
    assert_eq!(audites, 2);

    // Another Caf's agent neither reads nor writes it; nor does a structure's staff.
    let autre = connecter(&r, "agent.30@demo.parentalite.fr").await;
    assert_eq!(
        get(&r, "/evaluation/departements/81", &autre.cookie)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (statut, _) = post(&r, "/evaluation/departements/81", &autre, "contexte=Intrus").await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let gestionnaire = connecter(&r, "gestionnaire.81.1@demo.parentalite.fr").await;
    assert_eq!(
        get(&r, "/evaluation/departements/81", &gestionnaire.cookie)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // The Cnaf reads but does not write.
    let (statut, _) = post(&r, "/evaluation/departements/81", &cnaf, "contexte=Cnaf").await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    // A département outside the experiment has no monograph.
    assert_eq!(
        get(&r, "/evaluation/departements/75", &cnaf.cookie).await.0,
        StatusCode::NOT_FOUND
    );
}

async fn le_bilan_pdf_et_les_donnees_ouvertes_masquent_les_petits_effectifs() {
    let r = routeur().await;
    let cnaf = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let (statut, pdf) = octets(
        &r,
        &format!("/evaluation/bilan.pdf?exercice={EXERCICE}"),
        &cnaf.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(texte) = texte_du_pdf(&pdf) {
        let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            texte.contains(&format!(
                "Bilan national de l'expérimentation AIP — {EXERCICE}"
            )),
            "{texte}"
        );
        assert!(texte.contains("Cas de la Cnaf"), "{texte}");
        assert!(texte.contains("Isère (38)"), "{texte}");
        // The demonstration's monographs are printed, the Tarn's is still to write.
        assert!(texte.contains("Partenaires mobilisés"), "{texte}");
        assert!(
            texte.contains("La Caf n'a pas encore écrit sa monographie."),
            "{texte}"
        );
        assert!(texte.contains("Définitions des indicateurs"), "{texte}");
    }

    let (statut, zip) = octets(
        &r,
        &format!("/evaluation/bilan.zip?exercice={EXERCICE}"),
        &cnaf.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut fichiers: BTreeMap<String, String> = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut texte = String::new();
        f.read_to_string(&mut texte).unwrap();
        fichiers.insert(f.name().unwrap().into_owned(), texte);
    }
    assert_eq!(
        fichiers.keys().cloned().collect::<Vec<_>>(),
        [
            "LICENCE.txt",
            "README.txt",
            "definitions.csv",
            "indicateurs.csv",
            "indicateurs.json"
        ]
    );
    assert!(fichiers["LICENCE.txt"].contains("Licence Ouverte / Open Licence version 2.0"));
    assert!(fichiers["README.txt"].contains("part_parents_satisfaits"));
    assert!(
        fichiers["definitions.csv"]
            .starts_with("indicateur,famille,libelle,definition,unite,source\n")
    );

    // Every count-type indicator of the CSV is 0, 5 or more, or masked with an empty value.
    let comptes = [
        "entretiens",
        "familles_accompagnees",
        "structures_conventionnees",
        "structures_actives",
        "reponses_parents",
        "reponses_partenaires",
    ];
    let mut lecteur = csv::Reader::from_reader(fichiers["indicateurs.csv"].as_bytes());
    let mut masquees = 0;
    let mut lignes = 0;
    for l in lecteur.records() {
        let l = l.unwrap();
        lignes += 1;
        let (indicateur, valeur, masquee) = (&l[5], &l[7], &l[8]);
        if masquee == "true" {
            masquees += 1;
            assert_eq!(valeur, "", "{l:?}");
        }
        if comptes.contains(&indicateur) && !valeur.is_empty() {
            let v: f64 = valeur.parse().unwrap();
            assert!(v == 0.0 || v >= 5.0, "effectif de 1 à 4 publié : {l:?}");
        }
    }
    assert_eq!(
        lignes,
        11 * 24,
        "onze territoires, vingt-quatre indicateurs"
    );
    assert!(
        masquees > 0,
        "la démonstration compte des départements à moins de 5 structures"
    );
    let json: serde_json::Value = serde_json::from_str(&fichiers["indicateurs.json"]).unwrap();
    assert_eq!(json["territoires"].as_array().unwrap().len(), 11);
    assert_eq!(json["territoires"][10]["niveau"], "nation");
    assert!(
        !fichiers["indicateurs.json"].contains("DEMO-"),
        "aucun identifiant de famille"
    );
}
