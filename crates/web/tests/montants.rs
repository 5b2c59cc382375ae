//! Every demo convention's page and payment statement (PDF) show the figures its payments were
//! made for: each acompte and each solde or indu recorded is the one the frozen computation of its
//! declaration shows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aide;

use app::demo::OptionsDemo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::paiement::NaturePaiement;
use http_body_util::BodyExt;
use tower::ServiceExt;
use web::Etat;

use aide::{connecter, corps, demonstration};

/// The French writing of an amount as the trace shows it (`19140.00` → `19 140,00`, grouped by
/// three with a narrow no-break space from 10 000 on).
fn chiffre_trace(centimes: i64) -> String {
    let signe = if centimes < 0 { "-" } else { "" };
    let entier = (centimes.unsigned_abs() / 100).to_string();
    let mut groupe = String::new();
    for (i, c) in entier.chars().enumerate() {
        if entier.len() > 4 && i > 0 && (entier.len() - i).is_multiple_of(3) {
            groupe.push('\u{202F}');
        }
        groupe.push(c);
    }
    format!("{signe}{groupe},{:02}", centimes.unsigned_abs() % 100)
}

/// The text of a PDF with its spaces collapsed, read back with pdftotext (poppler-utils); `None`
/// where it is missing, unless the test command requires it.
fn texte_du_pdf(pdf: &[u8]) -> Option<String> {
    let chemin = std::env::temp_dir().join(format!(
        "parentalite-montants-{}-{:?}.pdf",
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

fn espaces_simples(texte: &str) -> String {
    texte.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The frozen computations shown on a convention page: (summary, items). Estimates of
/// declarations not validated yet (« droit estimé ») are left out.
fn sections_de_calcul(page: &str) -> Vec<(String, String)> {
    page.split("<details class=\"trace\">")
        .skip(1)
        .map(|s| {
            let s = s.split("</details>").next().unwrap_or_default();
            let titre = s
                .split("<summary>")
                .nth(1)
                .and_then(|t| t.split("</summary>").next())
                .unwrap_or_default()
                .to_owned();
            (titre, s.to_owned())
        })
        .filter(|(titre, _)| titre.contains(" : droit de "))
        .collect()
}

#[tokio::test]
async fn chaque_convention_montre_les_montants_de_ses_paiements() {
    let (plateforme, resume) = demonstration("montants", OptionsDemo::default()).await;
    let cnaf = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "cnaf")
        .unwrap();
    let (_, acteur_cnaf) = plateforme
        .utilisateur_par_email(&cnaf.email)
        .await
        .unwrap()
        .unwrap();
    let conventions = plateforme.conventions(&acteur_cnaf).await.unwrap();
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let cookie = connecter(&r, &cnaf.email, &cnaf.mot_de_passe).await;

    let mut rapproches = 0;
    for c in &conventions {
        let c = &c.valeur;
        let (statut, _, page) = corps(
            &r,
            Request::get(format!("/conventions/{}", c.id))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(statut, StatusCode::OK, "{}", c.numero);
        let sections = sections_de_calcul(&page);
        let reponse = r
            .clone()
            .oneshot(
                Request::get(format!("/conventions/{}/releve.pdf", c.id))
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(reponse.status(), StatusCode::OK, "{}", c.numero);
        let pdf = reponse.into_body().collect().await.unwrap().to_bytes();
        let releve = texte_du_pdf(&pdf);
        let paiements = plateforme
            .paiements(&acteur_cnaf, Some(c.id))
            .await
            .unwrap();
        for p in &paiements {
            let p = &p.valeur;
            let (declaration, suite) = match p.nature {
                NaturePaiement::Acompte => ("prévisionnelle", "acompte"),
                NaturePaiement::Solde | NaturePaiement::Indu => ("réelle", "solde"),
                // An instalment follows no declaration: nothing to compare.
                NaturePaiement::Versement(_) => continue,
            };
            let section = sections
                .iter()
                .find(|(titre, _)| {
                    titre.contains(declaration) && titre.contains(&p.exercice.to_string())
                })
                .unwrap_or_else(|| {
                    panic!(
                        "{}: aucun calcul de la {declaration} {} sur la page",
                        c.numero, p.exercice
                    )
                });
            let attendu = format!("{suite} : {}", chiffre_trace(p.montant_signe().centimes()));
            assert!(
                section.1.contains(&attendu),
                "{}: le paiement {} de {} ne correspond pas au calcul montré:\n{}",
                c.numero,
                p.reference,
                p.montant,
                section.1
            );
            // The payment statement shows the same computation.
            if let Some(releve) = &releve {
                assert!(
                    releve.contains(&espaces_simples(&attendu)),
                    "{}: le relevé ne montre pas « {attendu} »:\n{releve}",
                    c.numero
                );
            }
            // The payment itself is listed with that amount.
            assert!(page.contains(&referentiel::aip::rendu::euros_fr(i128::from(
                p.montant.centimes()
            ))));
            rapproches += 1;
        }
    }
    assert!(
        rapproches >= 20,
        "{rapproches} paiements rapprochés seulement"
    );
}

/// Issuing payments is the Caf's: anyone else gets 403, not « 0 paiement(s) émis ».
#[tokio::test]
async fn seule_la_caf_emet_les_paiements() {
    let (plateforme, resume) = demonstration("emission", OptionsDemo::default()).await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    for role in ["gestionnaire", "financeur", "intervenant", "cnaf", "caf"] {
        let compte = resume
            .comptes
            .iter()
            .find(|c| c.role.code() == role)
            .unwrap();
        let cookie = connecter(&r, &compte.email, &compte.mot_de_passe).await;
        let (_, _, accueil) = corps(
            &r,
            Request::get("/")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let jeton = accueil
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        let (statut, _, page) = corps(
            &r,
            Request::post("/paiements")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &cookie)
                .body(Body::from(format!("_csrf={jeton}")))
                .unwrap(),
        )
        .await;
        if role == "caf" {
            assert_eq!(statut, StatusCode::OK, "{page}");
        } else {
            assert_eq!(statut, StatusCode::FORBIDDEN, "{role}: {page}");
            assert!(!page.contains("paiement émis"), "{role}");
        }
    }
}
