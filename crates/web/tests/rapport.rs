//! The coordination instance's annual report through the web application on both engines: the
//! demonstration sent the reports of eight départements; the Caf of the Isère reads its own as a
//! page, as PDF, JSON and CSV, its amounts those of the comité's financing plan; a member of the
//! Vendée cannot read its report before it is sent; the Caf of the Vendée sends it, a second
//! sending is refused with its reason on the page; the member then reads it; the Cnaf sees every
//! département side by side, which have sent theirs, and a Caf agent cannot open that page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use web::Etat;

use aide::{Session, corps, get};
use commun::{Demo, demo_du_moteur};

/// One demonstration per engine for the whole file.
fn demo() -> &'static Demo {
    demo_du_moteur("rapport")
}

async fn connecter(r: &axum::Router, email: &str) -> Session {
    aide::session(r, email, &demo().mots_de_passe[email]).await
}

async fn octets(r: &axum::Router, chemin: &str, cookie: &str) -> Vec<u8> {
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
    assert_eq!(reponse.status(), StatusCode::OK, "{chemin}");
    axum::body::to_bytes(reponse.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

async fn post(r: &axum::Router, chemin: &str, s: &Session) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &s.cookie)
            .body(Body::from(format!("_csrf={}", s.csrf)))
            .unwrap(),
    )
    .await;
    (statut, page)
}

/// The text of a PDF with its spaces collapsed, read back with pdftotext (poppler-utils); `None`
/// where it is missing, unless the test command requires it.
fn texte_du_pdf(pdf: &[u8]) -> Option<String> {
    let chemin = std::env::temp_dir().join(format!(
        "parentalite-rapport-{}-{:?}.pdf",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&chemin, pdf).unwrap();
    let sortie = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&chemin)
        .arg("-")
        .output();
    let _ = std::fs::remove_file(&chemin);
    match sortie {
        Ok(s) if s.status.success() => Some(
            String::from_utf8(s.stdout)
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => {
            assert!(
                std::env::var("PARENTALITE_EXIGER_PDFTOTEXT").is_err(),
                "pdftotext absent alors qu'il est exigé"
            );
            None
        }
    }
}

sur_les_deux_moteurs!(
    le_rapport_se_lit_en_page_pdf_json_csv_et_reprend_le_plan_du_comite,
    le_rapport_s_envoie_une_fois_et_la_cnaf_compare_les_departements,
);

async fn le_rapport_se_lit_en_page_pdf_json_csv_et_reprend_le_plan_du_comite() {
    let d = demo();
    let plateforme = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let annee = (d.aujourd_hui - time::Duration::days(40)).year();
    let agent = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let base = format!("/coordination/38/rapport/{annee}");

    let (statut, _, page) = get(&r, &base, &agent.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains(&format!("Rapport annuel {annee}")), "{page}");
    assert!(page.contains("Envoyé à la Cnaf le"), "{page}");
    assert!(
        page.contains("Composition de l&#39;instance")
            || page.contains("Composition de l'instance")
    );
    assert!(page.contains("Séances de l&#39;année") || page.contains("Séances de l'année"));
    assert!(
        !page.contains("/envoi\""),
        "a sent report has no sending button"
    );

    // The JSON: the report as sent, its financing that of the comité's plan for the year.
    let json: serde_json::Value =
        serde_json::from_slice(&octets(&r, &format!("{base}.json"), &agent.cookie).await).unwrap();
    assert_eq!(json["rapport"]["departement"], "38");
    assert_eq!(json["rapport"]["annee"], annee);
    assert!(json["envoye_le"].is_string());
    let indicateurs = &json["rapport"]["indicateurs"];
    assert!(
        indicateurs["seances_tenues"].as_u64().unwrap() >= 3,
        "{indicateurs}"
    );
    assert!(
        !json["rapport"]["composition"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (_, acteur) = plateforme
        .utilisateur_par_email("agent.38@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap();
    let (lignes, _) = plateforme.plan_du_comite(&acteur).await.unwrap();
    let decide: i64 = lignes
        .iter()
        .filter(|l| l.annee == annee)
        .map(|l| l.decide.centimes())
        .sum();
    assert_eq!(indicateurs["decide_centimes"].as_i64().unwrap(), decide);

    // The CSV: one value a line, the table, its row, the field.
    let csv = String::from_utf8(octets(&r, &format!("{base}.csv"), &agent.cookie).await).unwrap();
    assert!(csv.starts_with("table,ligne,champ,valeur"), "{csv}");
    assert!(
        csv.contains(&format!("indicateurs,1,decide_centimes,{decide}")),
        "{csv}"
    );
    assert!(csv.contains("composition,1,role,president"), "{csv}");

    // The PDF.
    let pdf = octets(&r, &format!("{base}.pdf"), &agent.cookie).await;
    assert!(pdf.starts_with(b"%PDF"));
    if let Some(texte) = texte_du_pdf(&pdf) {
        assert!(
            texte.contains(&format!("Rapport annuel {annee}")),
            "{texte}"
        );
        assert!(texte.contains("Envoyé à la Cnaf le"), "{texte}");
        assert!(texte.contains("Composition"), "{texte}");
        assert!(texte.contains("Financement de l'année"), "{texte}");
    }

    // Another département's agent is refused.
    let autre = connecter(&r, "agent.30@demo.parentalite.fr").await;
    let (statut, _, _) = get(&r, &base, &autre.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
}

async fn le_rapport_s_envoie_une_fois_et_la_cnaf_compare_les_departements() {
    let d = demo();
    let plateforme = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme,
        cookie_securise: false,
    });
    let annee = (d.aujourd_hui - time::Duration::days(40)).year();
    let base = format!("/coordination/85/rapport/{annee}");

    // The Cnaf's comparison before: the Vendée has not sent its report.
    let cnaf = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let comparaison = format!("/coordination/rapports/{annee}");
    let (statut, _, page) = get(&r, &comparaison, &cnaf.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(
        page.contains("8 rapport(s) envoyé(s) sur 10 instance(s)"),
        "{page}"
    );
    assert!(page.contains("Vendée (85)"), "{page}");
    assert!(page.contains("non envoyé"), "{page}");

    // A member reads its instance's report only once sent.
    let membre = connecter(&r, "membre.85@demo.parentalite.fr").await;
    let (statut, _, _) = get(&r, &base, &membre.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // The Caf's secretariat sends it.
    let agent = connecter(&r, "agent.85@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, &base, &agent.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        page.contains("Projet : pas encore envoyé à la Cnaf"),
        "{page}"
    );
    assert!(page.contains(&format!("{base}/envoi")), "{page}");
    // A member cannot send it.
    let (statut, _) = post(&r, &format!("{base}/envoi"), &membre).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, page) = post(&r, &format!("{base}/envoi"), &agent).await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (_, _, page) = get(&r, &base, &agent.cookie).await;
    assert!(page.contains("Envoyé à la Cnaf le"), "{page}");

    // A second sending is refused, with its reason on the page.
    let (statut, page) = post(&r, &format!("{base}/envoi"), &agent).await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("a déjà été envoyé à la Cnaf le"), "{page}");
    assert!(
        page.contains("ne peut pas être envoyé une seconde fois"),
        "{page}"
    );

    // The member now reads it.
    let (statut, _, page) = get(&r, &base, &membre.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("Envoyé à la Cnaf le"));

    // The Cnaf's comparison after; a Caf agent cannot open it.
    let (_, _, page) = get(&r, &comparaison, &cnaf.cookie).await;
    assert!(
        page.contains("9 rapport(s) envoyé(s) sur 10 instance(s)"),
        "{page}"
    );
    let (statut, _, _) = get(&r, &comparaison, &agent.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    // The Cnaf reaches it from the coordination's index.
    let (_, _, page) = get(&r, "/coordination", &cnaf.cookie).await;
    assert!(page.contains(&comparaison), "{page}");
}
