//! The departmental coordination through the web application, on both engines: who reads an
//! instance and its séances (the secretariat, the members by their accounts, never another
//! département's agent nor a gestionnaire); a members' file imported whole or not at all, every
//! faulty row listed; a séance refused with each error on its field; an unknown answer link.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::identifiants::CodeDepartement;
use web::Etat;

use aide::{Session, corps, get, post};
use commun::{Demo, demo_du_moteur};

fn demo() -> &'static Demo {
    demo_du_moteur("coordination")
}

async fn connecter(r: &axum::Router, email: &str) -> Session {
    aide::session(r, email, &demo().mots_de_passe[email]).await
}

async fn importer(r: &axum::Router, s: &Session, fichier: &str) -> (StatusCode, String) {
    let limite = "----limite-parentalite";
    let corps_multipart = format!(
        "--{limite}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n\
         --{limite}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"membres.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{fichier}\r\n--{limite}--\r\n",
        s.csrf
    );
    let (statut, _, page) = corps(
        r,
        Request::post("/coordination/38/membres/import")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={limite}"),
            )
            .header(header::COOKIE, &s.cookie)
            .body(Body::from(corps_multipart))
            .unwrap(),
    )
    .await;
    (statut, page)
}

async fn routeur() -> axum::Router {
    web::routeur(Etat {
        plateforme: demo().plateforme().await,
        cookie_securise: false,
    })
}

fn isere() -> CodeDepartement {
    CodeDepartement::parse("38").unwrap()
}

sur_les_deux_moteurs!(
    chacun_lit_l_instance_qui_le_concerne,
    un_fichier_de_membres_est_importe_entier_ou_pas_du_tout,
    une_seance_refusee_garde_ses_erreurs_a_leur_place,
);

async fn chacun_lit_l_instance_qui_le_concerne() {
    let r = routeur().await;
    let caf = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, "/coordination/38", &caf.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("comité départemental des services aux familles"));
    assert!(
        page.contains("Planifier une séance"),
        "the secretariat writes"
    );
    let p = demo().plateforme().await;
    let agent = p
        .utilisateur_par_email("agent.38@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    let seances = p.seances(&agent, isere()).await.unwrap();
    assert_eq!(seances.len(), 4, "three past séances and one to come");
    let a_venir = seances.last().unwrap().valeur.id;

    // An instance member's account reads its séances, without the secretariat's forms, and no
    // dossier.
    let membre = connecter(&r, "membre.38@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, "/coordination/38", &membre.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(!page.contains("Planifier une séance"));
    let (statut, _, page) = get(&r, &format!("/seances/{a_venir}"), &membre.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        page.contains("Ma réponse"),
        "it answers its convocation signed in"
    );
    let (statut, _, _) = get(&r, "/dossiers/1", &membre.cookie).await;
    assert_ne!(statut, StatusCode::OK);
    let (statut, _, _) = get(&r, "/coordination/33", &membre.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // Another département's agent and a gestionnaire read none of it.
    let gironde = connecter(&r, "agent.33@demo.parentalite.fr").await;
    let (statut, _, _) = get(&r, "/coordination/38", &gironde.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, _) = get(&r, &format!("/seances/{a_venir}"), &gironde.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _) = post(
        &r,
        &format!("/seances/{a_venir}/action"),
        &gironde,
        "action=annuler&motif=essai",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let lu = p.seance(&agent, a_venir).await.unwrap();
    assert_eq!(
        lu.seance.valeur.etat,
        domain::coordination::EtatSeance::Convoquee
    );

    // A member answers signed in, and cannot answer for another.
    let (statut, page) = post(
        &r,
        &format!("/seances/{a_venir}/action"),
        &membre,
        "action=repondre&membre=1&reponse=absent",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN, "{page}");

    // An unknown answer link says so, without a session.
    let (statut, _, page) = corps(
        &r,
        Request::get(format!("/convocations/{}", "ab".repeat(24)))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(statut, StatusCode::NOT_FOUND);
    assert!(page.contains("Lien de réponse inconnu"));
}

async fn un_fichier_de_membres_est_importe_entier_ou_pas_du_tout() {
    let r = routeur().await;
    let caf = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let p = demo().plateforme().await;
    let agent = p
        .utilisateur_par_email("agent.38@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    let avant = p
        .instance(&agent, isere())
        .await
        .unwrap()
        .unwrap()
        .membres
        .len();
    let mauvais = "organisation;personne;email;role;mandat_debut;mandat_fin;niveaux\n\
        Mission locale;Rémi Blanc;remi.blanc@exemple.fr;membre;01/01/2026;31/12/2031;politique\n\
        CCAS;Zoé Petit;;membre;01/01/2026;31/12/2031;politique\n\
        Conseil citoyen;Ali Haddad;ali@exemple.fr;chef;01/01/2026;31/12/2040;politique\n";
    let (statut, page) = importer(&r, &caf, mauvais).await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Aucun membre n&#39;a été ajouté")
            || page.contains("Aucun membre n'a été ajouté")
    );
    assert!(page.contains("Ligne 3 : email"), "{page}");
    assert!(page.contains("Ligne 4 : role"), "{page}");
    assert!(page.contains("mandat_fin"), "{page}");
    assert_eq!(
        p.instance(&agent, isere())
            .await
            .unwrap()
            .unwrap()
            .membres
            .len(),
        avant,
        "nothing written"
    );
    let bon = "organisation;personne;email;role;mandat_debut;mandat_fin;niveaux\n\
        Mission locale;Rémi Blanc;remi.blanc@exemple.fr;membre;01/01/2026;31/12/2031;politique\n\
        CCAS;Zoé Petit;zoe.petit@exemple.fr;invité;01/01/2026;31/12/2031;\n";
    let (statut, _) = importer(&r, &caf, bon).await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    let vue = p.instance(&agent, isere()).await.unwrap().unwrap();
    assert_eq!(vue.membres.len(), avant + 2);
    // The same file again: every row is now an address already a member's.
    let (statut, page) = importer(&r, &caf, bon).await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Ligne 2 : email"), "{page}");
    assert!(page.contains("Ligne 3 : email"), "{page}");
    // A gestionnaire may not import.
    let g = connecter(&r, "gestionnaire.38.1@demo.parentalite.fr").await;
    let (statut, _) = importer(&r, &g, bon).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
}

async fn une_seance_refusee_garde_ses_erreurs_a_leur_place() {
    let r = routeur().await;
    let caf = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (statut, page) = post(
        &r,
        "/coordination/38/seances",
        &caf,
        "titre=Plénière+de+printemps&niveau=&date=31%2F02%2F2030&heure=25h&duree_minutes=deux&lieu=",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = scraper::Html::parse_document(&page);
    let invalides: Vec<String> = doc
        .select(&scraper::Selector::parse("[aria-invalid=true]").unwrap())
        .filter_map(|e| e.value().attr("name").map(str::to_owned))
        .collect();
    for champ in ["niveau", "date", "heure", "duree_minutes"] {
        assert!(
            invalides.iter().any(|c| c == champ),
            "{champ} absent de {invalides:?}"
        );
    }
    assert!(
        page.contains("value=\"Plénière de printemps\""),
        "values kept"
    );
    // Past date, no place: refused by the rules, on their fields.
    let (statut, page) = post(
        &r,
        "/coordination/38/seances",
        &caf,
        "titre=Pl%C3%A9ni%C3%A8re&niveau=politique&date=01%2F01%2F2020&heure=14%3A00&duree_minutes=120&lieu=&ordre_du_jour=Point",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = scraper::Html::parse_document(&page);
    let invalides: Vec<String> = doc
        .select(&scraper::Selector::parse("[aria-invalid=true]").unwrap())
        .filter_map(|e| e.value().attr("name").map(str::to_owned))
        .collect();
    assert!(invalides.iter().any(|c| c == "lieu"), "{invalides:?}");
}
