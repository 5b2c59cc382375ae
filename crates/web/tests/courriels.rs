//! The « Courriels envoyés » page and the mail preferences of the profile page, through the
//! router on the demonstration: a gestionnaire reads its own mails and not another structure's,
//! a Caf agent those of its département, the Cnaf all; the preferences are saved per kind, and a
//! formal notice cannot be held back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aide;

use app::demo::OptionsDemo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::acces::Acteur;
use domain::identifiants::UtilisateurId;
use web::Etat;

use aide::{connecter, corps, demonstration};

async fn get(r: &axum::Router, chemin: &str, cookie: &str) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::get(chemin)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    (statut, page)
}

async fn post(r: &axum::Router, chemin: &str, cookie: &str, corps_form: String) -> StatusCode {
    let (statut, _, _) = corps(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(corps_form))
            .unwrap(),
    )
    .await;
    statut
}

fn csrf(page: &str) -> String {
    page.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn chacun_lit_ses_courriels_et_regle_leur_frequence() {
    let (plateforme, resume) = demonstration("web-courriels", OptionsDemo::default()).await;
    let mot_de_passe = |email: &str| {
        resume
            .comptes
            .iter()
            .find(|c| c.email == email)
            .map(|c| c.mot_de_passe.clone())
            .unwrap()
    };
    // The mails concerning the Isère, as one of its Caf agents reads them.
    let tous = plateforme
        .courriels(&Acteur::caf(
            UtilisateurId(0),
            [domain::identifiants::CodeDepartement::parse("38").unwrap()],
        ))
        .await
        .unwrap();
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    // A gestionnaire of the Isère with mails.
    let destinataire = tous
        .iter()
        .map(|c| c.destinataire.clone())
        .find(|d| d.starts_with("gestionnaire.38."))
        .expect("un courriel à une structure de l'Isère");
    let sien = tous
        .iter()
        .find(|c| c.destinataire == destinataire)
        .unwrap();
    let autre = tous
        .iter()
        .find(|c| c.destinataire != destinataire)
        .unwrap();
    let cookie = connecter(&r, &destinataire, &mot_de_passe(&destinataire)).await;
    let (statut, page) = get(&r, "/courriels", &cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("<h1>Courriels envoyés</h1>"), "{page}");
    assert!(page.contains(&format!("href=\"/courriels/{}\"", sien.id)));
    assert!(!page.contains(&format!("href=\"/courriels/{}\"", autre.id)));
    // Each mail with its state (the demonstration's past mails are shown as sent on their day).
    assert!(
        page.contains("En attente d’envoi") || page.contains("Envoyé le"),
        "{page}"
    );
    let (statut, page) = get(&r, &format!("/courriels/{}", sien.id), &cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Bonjour"), "{page}");
    let (statut, _) = get(&r, &format!("/courriels/{}", autre.id), &cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // The preferences: saved per kind and shown again; a formal notice is refused.
    let (_, profil) = get(&r, "/profil", &cookie).await;
    assert!(profil.contains("id=\"courriels\""), "{profil}");
    let jeton = csrf(&profil);
    let statut = post(
        &r,
        "/profil/courriels",
        &cookie,
        format!("_csrf={jeton}&decision=resume_quotidien&paiement_emis=aucune"),
    )
    .await;
    assert!(statut.is_redirection(), "{statut}");
    let (_, profil) = get(&r, "/profil", &cookie).await;
    assert!(
        profil.contains("<option value=\"resume_quotidien\" selected>"),
        "{profil}"
    );
    assert!(profil.contains("<option value=\"aucune\" selected>"));
    let statut = post(
        &r,
        "/profil/courriels",
        &cookie,
        format!("_csrf={jeton}&convocation=aucune"),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    let statut = post(&r, "/profil/courriels", &cookie, "decision=aucune".into()).await;
    assert_eq!(statut, StatusCode::FORBIDDEN, "sans jeton CSRF");

    // The Caf agent of the Isère sees the structure's mail; the Cnaf every mail.
    let agent = "agent.38@demo.parentalite.fr";
    let cookie = connecter(&r, agent, &mot_de_passe(agent)).await;
    let (_, page) = get(&r, "/courriels", &cookie).await;
    assert!(page.contains(&format!("href=\"/courriels/{}\"", sien.id)));
    let national = resume
        .comptes
        .iter()
        .find(|c| c.role == domain::Role::Cnaf)
        .unwrap();
    let cookie = connecter(&r, &national.email, &national.mot_de_passe).await;
    let (_, page) = get(&r, &format!("/courriels/{}", autre.id), &cookie).await;
    assert!(page.contains(&autre.sujet));
}
