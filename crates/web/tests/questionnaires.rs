//! The anonymous questionnaires through the router, on both engines: a structure's page hands out
//! its links (QR codes, poster); a parent without an account answers through the link (the
//! easy-to-read version too): a faulty answer is refused with a French error naming the
//! question and stores nothing, a form sent twice is stored once; partners answer through their
//! own link; the results, by structure, département and nation, show no count from 1 to 4 (on
//! the page and in the CSV); who may see what (403 otherwise); a renewed link stops the old one,
//! audited, and `check` stays clean; the 21st answer of an hour from one address gets a 429.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use app::Plateforme;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::evaluation::questionnaire::{ITEMS_PARENTS, ITEMS_PARTENAIRES, Item};
use domain::identifiants::GestionnaireId;
use web::Etat;

use aide::{corps, get, post, session};
use commun::{Demo, Page, creer_demos, moteur, texte};

sur_les_deux_moteurs!(reponse_anonyme_et_resultats, trop_de_reponses);

fn demos(noms: Vec<&'static str>) -> Vec<Demo> {
    creer_demos(moteur(), noms, |_, _| Box::pin(async {}))
}

async fn structure_de(p: &Plateforme, email: &str) -> GestionnaireId {
    let (_, acteur) = p.utilisateur_par_email(email).await.unwrap().unwrap();
    *acteur.gestionnaires.iter().next().unwrap()
}

async fn nombre_de_reponses(p: &Plateforme) -> i64 {
    let mut tx = p.base.lecture().await.unwrap();
    tx.ligne("SELECT COUNT(*) AS n FROM reponses_questionnaires", &[])
        .await
        .unwrap()
        .unwrap()
        .entier("n")
        .unwrap()
}

/// Posts a questionnaire form without a session.
async fn envoyer(r: &axum::Router, chemin: &str, formulaire: &str) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(formulaire.to_owned()))
            .unwrap(),
    )
    .await;
    (statut, page)
}

/// A complete form: the `choix`-th answer of every item (less those in `sauf`), with `jeton`.
fn formulaire(items: &[Item], choix: usize, sauf: &[&str], jeton: &str) -> String {
    let mut champs: Vec<String> = items
        .iter()
        .filter(|i| !sauf.contains(&i.code))
        .map(|i| format!("{}={}", i.code, i.choix[choix % i.choix.len()].code))
        .collect();
    champs.push(format!("jeton={jeton}"));
    champs.join("&")
}

/// The link code of `public` on the structure's page (the path after `prefixe`).
fn code_du_lien(page: &str, prefixe: &str) -> String {
    page.split(&format!("href=\"{prefixe}"))
        .nth(1)
        .and_then(|s| s.split(['"', '/']).next())
        .expect("lien du questionnaire")
        .to_owned()
}

/// Every count shown on a results page.
fn comptes(page: &str) -> Vec<String> {
    Page::lire(page)
        .tous("span.compte")
        .into_iter()
        .map(texte)
        .collect()
}

fn aucun_compte_de_1_a_4(comptes: &[String]) {
    for c in comptes {
        if let Ok(n) = c.replace(['\u{202f}', ' '], "").parse::<u64>() {
            assert!(!(1..5).contains(&n), "compte {n} affiché");
        }
    }
}

async fn reponse_anonyme_et_resultats() {
    let demo = demos(vec!["questionnaires-parcours"]).pop().unwrap();
    let p = demo.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: p.clone(),
        cookie_securise: false,
    });
    let email = "gestionnaire.38.1@demo.parentalite.fr";
    let structure = structure_de(&p, email).await;
    let gestionnaire = session(&r, email, &demo.mots_de_passe[email]).await;

    // The structure's page: both links, their QR codes, the poster.
    let (statut, _, liens) = get(
        &r,
        &format!("/structures/{structure}/questionnaire"),
        &gestionnaire.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{liens}");
    assert_eq!(liens.matches("<svg role=\"img\"").count(), 2, "{liens}");
    let code = code_du_lien(&liens, "/questionnaires/");
    let code_partenaires = code_du_lien(&liens, "/questionnaires/partenaires/");
    assert_eq!(code.len(), 16);
    assert_ne!(code, code_partenaires);
    let (statut, entetes, svg) = get(
        &r,
        &format!("/structures/{structure}/questionnaire/parents.svg"),
        &gestionnaire.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        entetes[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("image/svg+xml")
    );
    assert!(svg.contains("<svg"));
    let (statut, _, affiche) = get(
        &r,
        &format!("/structures/{structure}/questionnaire/affiche?public=parents"),
        &gestionnaire.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        affiche.contains(&format!("/questionnaires/{code}")),
        "{affiche}"
    );

    // The parent's form, without an account, and its easy-to-read version.
    let chemin = format!("/questionnaires/{code}");
    let (statut, _, page) = get(&r, &chemin, "").await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("Je me sens plus à l’aise dans mon rôle de parent."));
    assert!(page.contains("anonyme"));
    assert!(!page.contains("<textarea"), "no free text");
    let jeton = Page::lire(&page).attribut("input[name=jeton]", "value");
    let (statut, _, facile) = get(&r, &format!("{chemin}/facile"), "").await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        facile.contains("Je me sens mieux comme parent."),
        "{facile}"
    );
    assert!(facile.contains("name=\"facile\""));
    let (statut, _, _) = get(&r, "/questionnaires/abcdefghijkmnpqr", "").await;
    assert_eq!(statut, StatusCode::NOT_FOUND);
    let (statut, _, _) = get(&r, &format!("/questionnaires/partenaires/{code}"), "").await;
    assert_eq!(
        statut,
        StatusCode::NOT_FOUND,
        "a parents' code opens nothing else"
    );

    // A question left out, another with an unknown answer: refused, named, nothing stored.
    let avant = nombre_de_reponses(&p).await;
    let faux = formulaire(&ITEMS_PARENTS, 0, &["competence"], &jeton)
        .replace("satisfaction=tres_satisfait", "satisfaction=ravi");
    let (statut, page) = envoyer(&r, &chemin, &faux).await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("2 erreurs"), "{page}");
    assert!(page.contains("href=\"#competence\""), "{page}");
    assert!(
        page.contains("Question 3 (« Je me sens plus à l’aise dans mon rôle de parent. ») : choisissez une réponse"),
        "{page}"
    );
    assert!(page.contains("cette réponse n’existe pas"), "{page}");
    assert!(page.contains("value=\"tout_a_fait\""));
    assert_eq!(nombre_de_reponses(&p).await, avant);
    let (statut, page) = envoyer(&r, &chemin, &formulaire(&ITEMS_PARENTS, 0, &[], "")).await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "no token: {page}");
    assert_eq!(nombre_de_reponses(&p).await, avant);

    // Sent, then sent again (a double click): one answer.
    let bon = formulaire(&ITEMS_PARENTS, 1, &[], &jeton);
    let (statut, page) = envoyer(&r, &chemin, &bon).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("Merci pour vos réponses"));
    let (statut, page) = envoyer(&r, &chemin, &bon).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Merci pour vos réponses"));
    assert_eq!(nombre_de_reponses(&p).await, avant + 1);
    // The easy-to-read version answers the same way.
    let facile_jeton = Page::lire(&facile).attribut("input[name=jeton]", "value");
    let (statut, page) = envoyer(
        &r,
        &chemin,
        &format!(
            "{}&facile=1",
            formulaire(&ITEMS_PARENTS, 2, &[], &facile_jeton)
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("Vos réponses sont bien arrivées."));
    // The partners' questionnaire, through its own link.
    let (statut, page) = envoyer(
        &r,
        &format!("/questionnaires/partenaires/{code_partenaires}"),
        &formulaire(&ITEMS_PARTENAIRES, 0, &[], "jeton-partenaire-0001"),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert_eq!(nombre_de_reponses(&p).await, avant + 3);

    // Results: the Caf agent of the Isère sees its département and its structures, masked.
    let caf = session(
        &r,
        "agent.38@demo.parentalite.fr",
        &demo.mots_de_passe["agent.38@demo.parentalite.fr"],
    )
    .await;
    let (statut, _, resultats) = get(&r, "/evaluation/questionnaires", &caf.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{resultats}");
    let vus = comptes(&resultats);
    assert!(vus.iter().any(|c| c == "moins de 5"), "{vus:?}");
    aucun_compte_de_1_a_4(&vus);
    assert!(resultats.contains("Département 38"));
    assert!(resultats.contains("France entière"));
    let autre = structure_de(&p, "gestionnaire.30.1@demo.parentalite.fr").await;
    assert!(!resultats.contains(&format!("option value=\"{}\"", autre.0)));
    assert!(!resultats.contains("Département 30"));
    // The structure's own answers, by its filter.
    let (statut, _, filtre) = get(
        &r,
        &format!("/evaluation/questionnaires?public=parents&structure={structure}"),
        &caf.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    assert!(!filtre.contains("Département 38"));
    let (statut, entetes, csv) = get(
        &r,
        "/evaluation/questionnaires.csv?public=parents",
        &caf.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        entetes[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.contains("moins de 5"), "{csv}");
    for ligne in csv.lines().skip(1) {
        let nombre = ligne.rsplit(';').next().unwrap().trim();
        if let Ok(n) = nombre.parse::<u64>() {
            assert!(!(1..5).contains(&n), "{ligne}");
        }
    }

    // The Cnaf sees every département; the gestionnaire its structure only (and the nation).
    let cnaf = session(
        &r,
        "cnaf@demo.parentalite.fr",
        &demo.mots_de_passe["cnaf@demo.parentalite.fr"],
    )
    .await;
    let (statut, _, national) = get(&r, "/evaluation/questionnaires", &cnaf.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(national.contains("Département 38") && national.contains("Département 30"));
    aucun_compte_de_1_a_4(&comptes(&national));
    let (statut, _, propres) = get(&r, "/evaluation/questionnaires", &gestionnaire.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(!propres.contains("Département 38"));
    assert!(!propres.contains(&format!("option value=\"{}\"", autre.0)));

    // Refusals: a co-funder reads no result; nobody reads another structure's links.
    let financeur = "financeur.38@demo.parentalite.fr";
    let financeur = session(&r, financeur, &demo.mots_de_passe[financeur]).await;
    let (statut, _, _) = get(&r, "/evaluation/questionnaires", &financeur.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, _) = get(&r, "/evaluation/questionnaires.csv", &financeur.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    for (cookie, cible) in [
        (&gestionnaire.cookie, autre),
        (&caf.cookie, autre),
        (&financeur.cookie, structure),
        (&cnaf.cookie, structure),
    ] {
        let (statut, _, _) = get(&r, &format!("/structures/{cible}/questionnaire"), cookie).await;
        assert_eq!(statut, StatusCode::FORBIDDEN, "{cible}");
    }
    let (statut, _) = post(
        &r,
        &format!("/structures/{autre}/questionnaire/renouveler"),
        &gestionnaire,
        "public=parents",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, _) = get(&r, "/evaluation/questionnaires", "").await;
    assert!(
        statut.is_redirection() || statut == StatusCode::UNAUTHORIZED,
        "{statut}"
    );

    // Renewing the parents' link: refused without the form's CSRF token; then the old link
    // opens nothing, audited, `check` clean.
    let (statut, _, _) = corps(
        &r,
        Request::post(format!("/structures/{structure}/questionnaire/renouveler"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &gestionnaire.cookie)
            .body(Body::from("public=parents"))
            .unwrap(),
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, _) = get(&r, &chemin, "").await;
    assert_eq!(statut, StatusCode::OK, "still open");
    let (statut, _) = post(
        &r,
        &format!("/structures/{structure}/questionnaire/renouveler"),
        &gestionnaire,
        "public=parents",
    )
    .await;
    assert!(statut.is_redirection(), "{statut}");
    let (statut, _, _) = get(&r, &chemin, "").await;
    assert_eq!(statut, StatusCode::NOT_FOUND);
    let (_, _, liens) = get(
        &r,
        &format!("/structures/{structure}/questionnaire"),
        &gestionnaire.cookie,
    )
    .await;
    assert_ne!(code_du_lien(&liens, "/questionnaires/"), code);
    assert_eq!(
        code_du_lien(&liens, "/questionnaires/partenaires/"),
        code_partenaires
    );
    let mut tx = p.base.lecture().await.unwrap();
    let evenements = store::audit::historique(&mut tx, "questionnaire_liens", structure.0)
        .await
        .unwrap();
    drop(tx);
    assert!(
        evenements
            .iter()
            .any(|e| e.action == "renouveler_lien_questionnaire"),
        "{evenements:?}"
    );
    assert!(
        store::integrite::verifier(&p.base)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn trop_de_reponses() {
    let demo = demos(vec!["questionnaires-abus"]).pop().unwrap();
    let p = demo.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: p.clone(),
        cookie_securise: false,
    });
    let structure = structure_de(&p, "gestionnaire.38.2@demo.parentalite.fr").await;
    let caf = app_caf(&p).await;
    let (_, liens) = p
        .liens_questionnaires(&caf, structure, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    let chemin = format!("/questionnaires/{}", liens.parents);
    let avant = nombre_de_reponses(&p).await;
    for n in 0..app::ENVOIS_MAX_QUESTIONNAIRES {
        let (statut, page) = envoyer(
            &r,
            &chemin,
            &formulaire(
                &ITEMS_PARENTS,
                n as usize,
                &[],
                &format!("jeton-abus-{n:06}"),
            ),
        )
        .await;
        assert_eq!(statut, StatusCode::OK, "{n}: {page}");
    }
    let (statut, page) = envoyer(
        &r,
        &chemin,
        &formulaire(&ITEMS_PARENTS, 0, &[], "jeton-abus-de-trop"),
    )
    .await;
    assert_eq!(statut, StatusCode::TOO_MANY_REQUESTS, "{page}");
    assert!(page.contains("réessayez dans une heure"), "{page}");
    assert_eq!(
        nombre_de_reponses(&p).await,
        avant + app::ENVOIS_MAX_QUESTIONNAIRES
    );
}

async fn app_caf(p: &Plateforme) -> domain::Acteur {
    p.utilisateur_par_email("agent.38@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1
}
