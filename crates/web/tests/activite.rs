//! The activity through the web application, as its users meet it: a session recorded in the
//! form or imported from a file appears at once in every dashboard; a refused entry keeps what
//! was typed, with the message next to the field; an import is all or nothing and idempotent;
//! each role sees only its perimeter; and no page, export, API answer, log or stored byte
//! contains the identifiers the pseudonymous codes were built from.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;

use std::sync::OnceLock;

use activite::SuiviActivite;
use app::Plateforme;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::acces::Acteur;
use domain::identifiants::{GestionnaireId, UtilisateurId};
use http_body_util::BodyExt;
use tower::ServiceExt;
use web::Etat;

use commun::{Demo, Moteur, creer_demo, moteur};

/// One demonstration database per engine, with its activity, for the whole file.
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
        creer_demo(m, "activite", |p, maintenant| {
            Box::pin(async move {
                SuiviActivite::new(p)
                    .peupler_demo(p, 7, maintenant)
                    .await
                    .unwrap();
            })
        })
    })
}

async fn plateforme() -> Plateforme {
    demo().plateforme().await
}

async fn routeur() -> axum::Router {
    web::routeur(Etat {
        plateforme: plateforme().await,
        cookie_securise: false,
    })
}

struct Reponse {
    statut: StatusCode,
    entetes: axum::http::HeaderMap,
    corps: String,
}

async fn envoyer(r: &axum::Router, req: Request<Body>) -> Reponse {
    let rep = r.clone().oneshot(req).await.unwrap();
    let statut = rep.status();
    let entetes = rep.headers().clone();
    let octets = rep.into_body().collect().await.unwrap().to_bytes();
    Reponse {
        statut,
        entetes,
        corps: String::from_utf8_lossy(&octets).into_owned(),
    }
}

async fn get(r: &axum::Router, chemin: &str, cookie: &str) -> Reponse {
    envoyer(
        r,
        Request::get(chemin)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(r: &axum::Router, chemin: &str, cookie: &str, formulaire: &str) -> Reponse {
    envoyer(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(formulaire.to_owned()))
            .unwrap(),
    )
    .await
}

fn encoder(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn cookie_de(rep: &Reponse) -> Option<String> {
    rep.entetes
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .reduce(|a, b| format!("{a}; {b}"))
}

fn csrf_de(corps: &str) -> Option<String> {
    Some(
        corps
            .split("name=\"_csrf\" value=\"")
            .nth(1)?
            .split('"')
            .next()?
            .to_owned(),
    )
}

/// Logs in as the login form asks (with its token when it has one); returns the session
/// cookie and the session's CSRF token.
async fn connecter(r: &axum::Router, email: &str) -> (String, String) {
    let mdp = &demo().mots_de_passe[email];
    let formulaire = envoyer(r, Request::get("/connexion").body(Body::empty()).unwrap()).await;
    let avant = cookie_de(&formulaire).unwrap_or_default();
    let mut corps = format!("email={}&mot_de_passe={}", encoder(email), encoder(mdp));
    if let Some(j) = csrf_de(&formulaire.corps) {
        corps.push_str(&format!("&_csrf={}", encoder(&j)));
    }
    let rep = post(r, "/connexion", &avant, &corps).await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{email}: {}", rep.corps);
    let cookie = cookie_de(&rep).unwrap();
    let accueil = get(r, "/", &cookie).await;
    assert_eq!(accueil.statut, StatusCode::OK);
    (cookie, csrf_de(&accueil.corps).unwrap())
}

async fn jeton_api(r: &axum::Router, cookie: &str, csrf: &str) -> String {
    let cree = post(
        r,
        "/profil/jetons",
        cookie,
        &format!("_csrf={csrf}&libelle=essai-activite"),
    )
    .await;
    format!(
        "prt_{}",
        cree.corps
            .split("<code>prt_")
            .nth(1)
            .unwrap()
            .split("</code>")
            .next()
            .unwrap()
    )
}

async fn api(r: &axum::Router, methode: &str, chemin: &str, jeton: &str, corps: &str) -> Reponse {
    // An import is a CSV file; every other body is JSON.
    let type_ = if chemin.contains("/imports") {
        "text/csv"
    } else {
        "application/json"
    };
    api_en(r, methode, chemin, jeton, corps, type_).await
}

/// [`api`] with the body sent as `type_`.
async fn api_en(
    r: &axum::Router,
    methode: &str,
    chemin: &str,
    jeton: &str,
    corps: &str,
    type_: &str,
) -> Reponse {
    envoyer(
        r,
        Request::builder()
            .method(methode)
            .uri(chemin)
            .header(header::AUTHORIZATION, format!("Bearer {jeton}"))
            .header(header::CONTENT_TYPE, type_)
            .body(Body::from(corps.to_owned()))
            .unwrap(),
    )
    .await
}

/// The structure the demonstration intervenant of a département works for, as its account says.
async fn structure_de_l_intervenant(p: &Plateforme, dep: &str) -> GestionnaireId {
    let (intervenant, _) = p
        .utilisateur_par_email(&format!("intervenant.{dep}@demo.parentalite.fr"))
        .await
        .unwrap()
        .expect("compte d'intervenant de démonstration");
    let structures: Vec<GestionnaireId> = intervenant.gestionnaires.into_iter().collect();
    assert_eq!(structures.len(), 1, "{structures:?}");
    structures[0]
}

/// The rows of the table whose caption contains `legende`, each as the texts of its cells.
fn lignes_du_tableau(page: &str, legende: &str) -> Vec<Vec<String>> {
    let html = scraper::Html::parse_document(page);
    let table = scraper::Selector::parse("table").unwrap();
    let caption = scraper::Selector::parse("caption").unwrap();
    let ligne = scraper::Selector::parse("tbody tr").unwrap();
    let cellule = scraper::Selector::parse("th, td").unwrap();
    let t = html
        .select(&table)
        .find(|t| {
            t.select(&caption)
                .next()
                .is_some_and(|c| commun::texte(c).contains(legende))
        })
        .unwrap_or_else(|| panic!("aucun tableau « {legende} »"));
    t.select(&ligne)
        .map(|tr| tr.select(&cellule).map(commun::texte).collect())
        .collect()
}

fn chiffre_cle(page: &str, libelle: &str) -> i64 {
    commun::Page::lire(page).chiffre_de_la_carte(libelle)
}

fn formulaire_entretien(csrf: &str, g: GestionnaireId, famille: &str, date: &str) -> String {
    format!(
        "_csrf={csrf}&structure={}&identifiant_famille={}&date={}&duree_minutes=60&etape=premier_contact\
         &mode=presentiel&presence=un_parent&sujets_scolarite=on&orientations_ccas=on",
        g.0,
        encoder(famille),
        encoder(date)
    )
}

sur_les_deux_moteurs!(un_entretien_saisi_apparait_aussitot_dans_chaque_tableau_de_bord);
async fn un_entretien_saisi_apparait_aussitot_dans_chaque_tableau_de_bord() {
    let r = routeur().await;
    let p = plateforme().await;
    let g = structure_de_l_intervenant(&p, "56").await;
    let (interv, csrf) = connecter(&r, "intervenant.56@demo.parentalite.fr").await;
    let (cnaf, _) = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let (caf, _) = connecter(&r, "agent.56@demo.parentalite.fr").await;
    let (autre_caf, _) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let avant = |cookie: String| {
        let r = r.clone();
        async move {
            let page = get(&r, "/tableau-de-bord?exercice=2025", &cookie).await;
            assert_eq!(page.statut, StatusCode::OK, "{}", page.corps);
            let accueil = get(&r, "/", &cookie).await;
            assert_eq!(
                chiffre_cle(&accueil.corps, "Entretiens 2025"),
                chiffre_cle(&page.corps, "Entretiens"),
                "l'accueil et le tableau de bord disent le même nombre"
            );
            (
                chiffre_cle(&page.corps, "Entretiens"),
                chiffre_cle(&page.corps, "Familles accompagnées"),
            )
        }
    };
    let mesures = [&interv, &cnaf, &caf, &autre_caf];
    let mut avants = Vec::new();
    for c in mesures {
        avants.push(avant(c.clone()).await);
    }
    let page = get(&r, "/activite", &interv).await;
    assert_eq!(page.statut, StatusCode::OK);
    assert!(page.corps.contains("Enregistrer un entretien"));
    let rep = post(
        &r,
        "/activite/entretiens",
        &interv,
        &formulaire_entretien(&csrf, g, "dossier 2025/0412", "14/06/2025"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::OK, "{}", rep.corps);
    assert!(
        rep.corps.contains("Entretien enregistré : séance n° 1 "),
        "{}",
        rep.corps
    );
    for (c, (entretiens, familles)) in mesures.iter().zip(&avants) {
        let apres = avant((*c).clone()).await;
        if *c == &autre_caf {
            assert_eq!(apres, (*entretiens, *familles), "hors du département");
        } else {
            assert_eq!(apres, (entretiens + 1, familles + 1));
        }
    }
    // The same session again adds nothing.
    let rep = post(
        &r,
        "/activite/entretiens",
        &interv,
        &formulaire_entretien(&csrf, g, "Dossier  2025/0412", "14/06/2025"),
    )
    .await;
    assert!(rep.corps.contains("déjà enregistré"), "{}", rep.corps);
    assert_eq!(
        avant(cnaf.clone()).await,
        (avants[1].0 + 1, avants[1].1 + 1)
    );
}

sur_les_deux_moteurs!(une_saisie_refusee_garde_ce_qui_a_ete_tape_et_dit_pourquoi_a_cote_du_champ);
async fn une_saisie_refusee_garde_ce_qui_a_ete_tape_et_dit_pourquoi_a_cote_du_champ() {
    let r = routeur().await;
    let p = plateforme().await;
    let g = structure_de_l_intervenant(&p, "30").await;
    let (c, csrf) = connecter(&r, "intervenant.30@demo.parentalite.fr").await;
    let rep = post(
        &r,
        "/activite/entretiens",
        &c,
        &format!(
            "_csrf={csrf}&structure={}&identifiant_famille=F-1&date=31%2F02%2F2025&duree_minutes=une+heure\
             &etape=premier_contact&mode=visio&presence=deux_parents&sujets_education=on",
            g.0
        ),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rep.entetes.get(header::CACHE_CONTROL).unwrap(),
        "no-store",
        "ce qui a été tapé n'est gardé par aucun cache"
    );
    let b = &rep.corps;
    assert!(b.contains("id=\"date-erreur\""), "{b}");
    assert!(b.contains("id=\"duree_minutes-erreur\""));
    assert!(b.contains("value=\"31/02/2025\""));
    assert!(b.contains("value=\"une heure\""));
    assert!(b.contains("id=\"mode-visio\" name=\"mode\" value=\"visio\" checked"));
    assert!(b.contains("name=\"sujets_education\" value=\"education\" checked"));
    assert!(b.contains("aria-invalid=\"true\""));
    assert!(b.contains("href=\"#duree_minutes\""), "résumé lié au champ");

    // The 6th session of a family in a year needs its reason, asked for next to the field.
    for (i, jour) in ["03", "10", "17", "24", "28"].iter().enumerate() {
        let rep = post(
            &r,
            "/activite/entretiens",
            &c,
            &formulaire_entretien(&csrf, g, "F-SIX", &format!("{jour}/03/2025")).replace(
                "premier_contact",
                if i == 0 {
                    "premier_contact"
                } else {
                    "accompagnement"
                },
            ),
        )
        .await;
        assert_eq!(rep.statut, StatusCode::OK, "{}", rep.corps);
    }
    let sixieme =
        formulaire_entretien(&csrf, g, "F-SIX", "31/03/2025").replace("premier_contact", "bilan");
    let rep = post(&r, "/activite/entretiens", &c, &sixieme).await;
    assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        rep.corps.contains("id=\"motif_exception-erreur\""),
        "{}",
        rep.corps
    );
    assert!(rep.corps.contains("6e entretien"));
    let rep = post(
        &r,
        "/activite/entretiens",
        &c,
        &format!("{sixieme}&motif_exception=Crise+familiale"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::OK, "{}", rep.corps);
    assert!(rep.corps.contains("séance n° 6 "));

    // CSRF on both forms.
    let sans = post(
        &r,
        "/activite/entretiens",
        &c,
        &formulaire_entretien("faux", g, "F-2", "01/04/2025"),
    )
    .await;
    assert_eq!(sans.statut, StatusCode::FORBIDDEN);
    let import = importer(&r, &c, "faux", g, "identifiant_famille;date\n").await;
    assert_eq!(import.statut, StatusCode::FORBIDDEN);
}

async fn importer(
    r: &axum::Router,
    cookie: &str,
    csrf: &str,
    g: GestionnaireId,
    fichier: &str,
) -> Reponse {
    let limite = "----limite-parentalite";
    let corps = format!(
        "--{limite}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{limite}\r\nContent-Disposition: form-data; name=\"structure\"\r\n\r\n{}\r\n\
         --{limite}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"entretiens.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{fichier}\r\n--{limite}--\r\n",
        g.0
    );
    envoyer(
        r,
        Request::post("/activite/import")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={limite}"),
            )
            .header(header::COOKIE, cookie)
            .body(Body::from(corps))
            .unwrap(),
    )
    .await
}

sur_les_deux_moteurs!(un_import_est_tout_ou_rien_et_le_meme_fichier_deux_fois_n_ajoute_rien);
async fn un_import_est_tout_ou_rien_et_le_meme_fichier_deux_fois_n_ajoute_rien() {
    let r = routeur().await;
    let p = plateforme().await;
    let g = structure_de_l_intervenant(&p, "33").await;
    let (c, csrf) = connecter(&r, "intervenant.33@demo.parentalite.fr").await;
    let (cnaf, _) = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let total = || async {
        chiffre_cle(
            &get(&r, "/tableau-de-bord?exercice=2024", &cnaf).await.corps,
            "Entretiens",
        )
    };
    let depart = total().await;
    let mauvais = "identifiant_famille;date;duree_minutes;etape;mode;presence\n\
                   IMP-A;05/02/2024;60;premier_contact;presentiel;un_parent\n\
                   IMP-B;30/02/2024;60;premier_contact;presentiel;un_parent\n\
                   IMP-C;06/02/2024;60;premier_contact;presentiel;un_parent\n\
                   IMP-D;07/02/2024;0;premier_contact;à cheval;un_parent\n";
    let rep = importer(&r, &c, &csrf, g, mauvais).await;
    assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(rep.corps.contains("2 lignes en erreur"), "{}", rep.corps);
    assert!(rep.corps.contains("<td class=\"nombre\">3</td>"));
    assert!(rep.corps.contains("<td class=\"nombre\">5</td>"));
    assert!(rep.corps.contains("duree_minutes") && rep.corps.contains("mode"));
    assert_eq!(total().await, depart, "un import refusé n'ajoute rien");

    let bon = mauvais
        .replace("30/02/2024", "08/02/2024")
        .replace(";0;premier_contact;à cheval", ";45;premier_contact;visio");
    let rep = importer(&r, &c, &csrf, g, &bon).await;
    assert_eq!(rep.statut, StatusCode::OK, "{}", rep.corps);
    assert!(rep.corps.contains("4 ajoutés"), "{}", rep.corps);
    assert_eq!(total().await, depart + 4);
    let rep = importer(&r, &c, &csrf, g, &bon).await;
    assert!(rep.corps.contains("déjà été importé"), "{}", rep.corps);
    assert_eq!(total().await, depart + 4);
    // The same sessions in another file (another order) are not counted twice either.
    let mut lignes: Vec<&str> = bon.lines().collect();
    lignes[1..].reverse();
    let rep = importer(&r, &c, &csrf, g, &(lignes.join("\n") + "\n")).await;
    assert!(
        rep.corps.contains("0 ajouté, 4 déjà enregistrés"),
        "{}",
        rep.corps
    );
    assert_eq!(total().await, depart + 4);
    // An empty form says so next to the file field.
    let rep = importer(&r, &c, &csrf, g, "").await;
    assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(rep.corps.contains("id=\"fichier-erreur\""));
}

sur_les_deux_moteurs!(chacun_ne_voit_que_son_perimetre);
async fn chacun_ne_voit_que_son_perimetre() {
    let r = routeur().await;
    let p = plateforme().await;
    let g56 = structure_de_l_intervenant(&p, "56").await;
    let g38 = structure_de_l_intervenant(&p, "38").await;
    let (caf38, csrf38) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (fin56, _) = connecter(&r, "financeur.56@demo.parentalite.fr").await;
    let (cnaf, csrf_cnaf) = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let (interv38, csrf_i38) = connecter(&r, "intervenant.38@demo.parentalite.fr").await;

    // Pages: a Caf reads its structures' figures, not another département's.
    let a = get(&r, &format!("/activite?structure={}", g38.0), &caf38).await;
    assert_eq!(a.statut, StatusCode::OK);
    assert!(a.corps.contains("Chiffres du bilan"));
    assert!(
        !a.corps.contains("Enregistrer un entretien"),
        "une Caf ne saisit pas"
    );
    assert!(
        !a.corps.contains("Entretiens 2025</h2>"),
        "ni ne voit les entretiens un à un"
    );
    let b = get(&r, &format!("/activite?structure={}", g56.0), &caf38).await;
    assert_eq!(b.statut, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&r, &format!("/activite?structure={}", g38.0), &fin56)
            .await
            .statut,
        StatusCode::FORBIDDEN
    );
    // Only the structure's staff record.
    for (cookie, csrf) in [(&caf38, &csrf38), (&cnaf, &csrf_cnaf)] {
        let rep = post(
            &r,
            "/activite/entretiens",
            cookie,
            &formulaire_entretien(csrf, g38, "X-1", "02/05/2025"),
        )
        .await;
        assert_eq!(rep.statut, StatusCode::FORBIDDEN, "{}", rep.corps);
    }
    let rep = post(
        &r,
        "/activite/entretiens",
        &interv38,
        &formulaire_entretien(&csrf_i38, g56, "X-1", "02/05/2025"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::FORBIDDEN, "une autre structure");
    // Dashboards: the Cnaf sees the nation, a Caf its département, a funder its département.
    let national = get(&r, "/tableau-de-bord", &cnaf).await.corps;
    assert!(national.contains("Périmètre : national"));
    assert!(national.contains("Vendée (85)") && national.contains("Isère (38)"));
    let caf = get(&r, "/tableau-de-bord", &caf38).await.corps;
    assert!(caf.contains("Périmètre : département 38"));
    assert!(caf.contains("Isère (38)") && !caf.contains("<td>Vendée (85)</td>"));
    let export = get(&r, "/tableau-de-bord/agregats.csv?exercice=2025", &caf38).await;
    assert_eq!(export.statut, StatusCode::OK);
    assert!(export.corps.contains(";38;"));
    assert!(!export.corps.contains(";85;"), "export hors département");
    // The API follows the same rules.
    let jeton = jeton_api(&r, &caf38, &csrf38).await;
    let t = api(
        &r,
        "GET",
        "/api/v1/activite/tableau-de-bord?exercice=2025",
        &jeton,
        "",
    )
    .await;
    assert_eq!(t.statut, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&t.corps).unwrap();
    assert!(
        v["par_departement"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["departement"] == "38")
    );
    let n = api(
        &r,
        "GET",
        "/api/v1/activite/indicateurs?niveau=nation",
        &jeton,
        "",
    )
    .await;
    assert_eq!(n.statut, StatusCode::FORBIDDEN);
}

sur_les_deux_moteurs!(aucune_sortie_ne_contient_les_identifiants_des_familles);
async fn aucune_sortie_ne_contient_les_identifiants_des_familles() {
    let r = routeur().await;
    let p = plateforme().await;
    let g = structure_de_l_intervenant(&p, "79").await;
    let (interv, csrf) = connecter(&r, "intervenant.79@demo.parentalite.fr").await;
    // Identifiers as a structure might (wrongly) use them: a name and a birth date.
    let secrets = [
        "MARTINEZ-LUCIE-1987",
        "Durand Paul 12/03/1979",
        "NIR 1790312345678",
    ];
    let rep = post(
        &r,
        "/activite/entretiens",
        &interv,
        &formulaire_entretien(&csrf, g, secrets[0], "02/09/2025"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::OK, "{}", rep.corps);
    let fichier = format!(
        "identifiant_famille;date;duree_minutes;etape;mode;presence\n\
         {};03/09/2025;60;premier_contact;presentiel;un_parent\n",
        secrets[1]
    );
    assert_eq!(
        importer(&r, &interv, &csrf, g, &fichier).await.statut,
        StatusCode::OK
    );
    let jeton = jeton_api(&r, &interv, &csrf).await;
    let rep = api(
        &r,
        "POST",
        "/api/v1/activite/entretiens",
        &jeton,
        &format!(
            "{{\"structure\":{},\"identifiant_famille\":\"{}\",\"date\":\"2025-09-04\",\"duree_minutes\":60,\
             \"etape\":\"premier_contact\",\"mode\":\"presentiel\",\"presence\":\"un_parent\"}}",
            g.0, secrets[2]
        ),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::CREATED, "{}", rep.corps);
    // An API refusal does not echo the identifier either.
    let refus = api(
        &r,
        "POST",
        "/api/v1/activite/entretiens",
        &jeton,
        &format!(
            "{{\"structure\":{},\"identifiant_famille\":\"{}\",\"date\":\"2025-02-30\",\"duree_minutes\":60,\
             \"etape\":\"premier_contact\",\"mode\":\"presentiel\",\"presence\":\"un_parent\"}}",
            g.0, secrets[2]
        ),
    )
    .await;
    assert_eq!(refus.statut, StatusCode::UNPROCESSABLE_ENTITY);

    let mut sorties: Vec<(String, String)> = vec![
        ("réponse API".into(), rep.corps.clone()),
        ("refus API".into(), refus.corps.clone()),
    ];
    for email in [
        "cnaf@demo.parentalite.fr",
        "agent.79@demo.parentalite.fr",
        "financeur.79@demo.parentalite.fr",
        "gestionnaire.79.9@demo.parentalite.fr",
        "intervenant.79@demo.parentalite.fr",
    ] {
        let (cookie, csrf) = connecter(&r, email).await;
        for chemin in [
            "/".to_owned(),
            "/activite".to_owned(),
            format!("/activite?structure={}&exercice=2025", g.0),
            "/tableau-de-bord?exercice=2025".to_owned(),
            "/tableau-de-bord?exercice=2025&indicateur=entretiens_par_famille".to_owned(),
            "/tableau-de-bord/agregats.csv?exercice=2025".to_owned(),
            "/tableau-de-bord/agregats-mensuels.csv?exercice=2025".to_owned(),
            "/tableau-de-bord/donnees-ouvertes.csv?exercice=2025".to_owned(),
            "/dossiers".to_owned(),
            "/conventions".to_owned(),
            "/exports/dossiers.csv".to_owned(),
        ] {
            let rep = get(&r, &chemin, &cookie).await;
            sorties.push((format!("{email} {chemin}"), rep.corps));
        }
        let jeton = jeton_api(&r, &cookie, &csrf).await;
        for chemin in [
            "/api/v1/activite/tableau-de-bord?exercice=2025",
            "/api/v1/activite/indicateurs?exercice=2025&niveau=structure",
            "/api/v1/activite/indicateurs?exercice=2025&niveau=departement",
            "/api/v1/dossiers",
        ] {
            let rep = api(&r, "GET", chemin, &jeton, "").await;
            sorties.push((format!("{email} API {chemin}"), rep.corps));
        }
    }
    // What is stored: the database and its journal, as bytes (a SQLite file; PostgreSQL's
    // files belong to its server).
    let p2 = plateforme().await;
    p2.base.fermer().await;
    for suffixe in ["", "-wal"] {
        if demo().moteur != Moteur::Sqlite {
            break;
        }
        if let Ok(octets) = std::fs::read(format!("{}{suffixe}", demo().url)) {
            sorties.push((
                format!("base{suffixe}"),
                String::from_utf8_lossy(&octets).into_owned(),
            ));
        }
    }
    let mut cherches: Vec<String> = Vec::new();
    for s in secrets {
        cherches.push(s.to_owned());
        cherches.push(s.to_uppercase());
        cherches.push(
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_uppercase(),
        );
        cherches.push(encoder(s));
    }
    // And the demonstration's own identifiers.
    cherches.push("DEMO-".into());
    assert!(sorties.len() > 50);
    for (ou, texte) in &sorties {
        for c in &cherches {
            assert!(!texte.contains(c.as_str()), "« {c} » trouvé dans {ou}");
        }
    }
}

sur_les_deux_moteurs!(le_gestionnaire_transmet_son_bilan_avec_les_chiffres_des_entretiens);
async fn le_gestionnaire_transmet_son_bilan_avec_les_chiffres_des_entretiens() {
    let r = routeur().await;
    let p = plateforme().await;
    let g = structure_de_l_intervenant(&p, "59").await;
    let (gest, csrf) = connecter(&r, "gestionnaire.59.9@demo.parentalite.fr").await;
    let page = get(&r, "/activite?exercice=2025", &gest).await;
    assert_eq!(page.statut, StatusCode::OK);
    assert!(page.corps.contains("Bilan annuel 2025"), "{}", page.corps);
    assert!(
        page.corps
            .contains("à transmettre au plus tard le 30/06/2026")
    );
    let convention = page
        .corps
        .split("name=\"convention\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let formulaire = |heures: &str, synthese: &str| {
        format!(
            "_csrf={csrf}&structure={}&convention={convention}&exercice=2025\
             &heures_analyse_pratique={heures}&reseau_partenarial=CCAS%2C+PMI&synthese={synthese}",
            g.0
        )
    };
    let refus = post(&r, "/activite/bilan", &gest, &formulaire("douze", "")).await;
    assert_eq!(refus.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refus
            .corps
            .contains("id=\"heures_analyse_pratique-erreur\"")
    );
    assert!(refus.corps.contains("id=\"synthese-erreur\""));
    assert!(refus.corps.contains("value=\"douze\""));
    assert!(refus.corps.contains(">CCAS, PMI</textarea>"));

    let attendu = SuiviActivite::new(&p)
        .chiffres_bilan(&Acteur::gestionnaire(UtilisateurId(0), [g]), g, 2025)
        .await
        .unwrap()
        .activite_declaree();
    let ok = post(
        &r,
        "/activite/bilan",
        &gest,
        &formulaire("12", "Demandes+autour+de+l%27adolescence"),
    )
    .await;
    assert_eq!(ok.statut, StatusCode::OK, "{}", ok.corps);
    assert!(ok.corps.contains(&format!(
        "Bilan 2025 transmis à la Caf, avec {} entretiens et {} familles.",
        attendu.entretiens, attendu.parents_distincts
    )));
    assert!(ok.corps.contains("transmise</span> — transmis le"));
    let conv = domain::identifiants::ConventionId(convention.parse().unwrap());
    let bilans = p
        .bilans(&Acteur::gestionnaire(UtilisateurId(0), [g]), conv)
        .await
        .unwrap();
    let b = &bilans
        .iter()
        .find(|b| b.valeur.exercice == 2025)
        .unwrap()
        .valeur;
    assert_eq!(b.contenu.entretiens, attendu.entretiens);
    assert_eq!(b.contenu.familles_accompagnees, attendu.parents_distincts);
    assert_eq!(b.contenu.heures_entretiens, attendu.heures_entretiens);
    assert!(b.contenu.repartition.contains_key("etape.premier_contact"));
    // The Caf sees it received on its dashboard.
    let (caf, _) = connecter(&r, "agent.59@demo.parentalite.fr").await;
    let tableau = get(&r, "/tableau-de-bord?exercice=2025", &caf).await.corps;
    let nord = lignes_du_tableau(&tableau, "par département")
        .into_iter()
        .find(|l| l[0] == "Nord (59)")
        .expect("ligne du Nord");
    // Département, entretiens, familles, three indicators, bilans expected, received…
    assert_eq!((nord[6].as_str(), nord[7].as_str()), ("3", "1"), "{nord:?}");
    // Sent once only.
    let encore = post(&r, "/activite/bilan", &gest, &formulaire("12", "Encore")).await;
    assert_eq!(encore.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(encore.corps.contains("déjà été saisi"));
    assert!(!encore.corps.contains("Transmettre le bilan 2025"));
}

sur_les_deux_moteurs!(l_api_importe_tout_ou_rien_et_se_decrit);
async fn l_api_importe_tout_ou_rien_et_se_decrit() {
    let r = routeur().await;
    let p = plateforme().await;
    let g = structure_de_l_intervenant(&p, "85").await;
    let (c, csrf) = connecter(&r, "intervenant.85@demo.parentalite.fr").await;
    let jeton = jeton_api(&r, &c, &csrf).await;
    let chemin = format!("/api/v1/activite/imports?structure={}", g.0);
    let entete = "identifiant_famille;date;duree_minutes;etape;mode;presence\n";
    let mauvais = format!(
        "{entete}API-1;03/03/2025;60;premier_contact;presentiel;un_parent\n\
         API-2;03/13/2025;60;premier_contact;presentiel;un_parent\n"
    );
    let rep = api(&r, "POST", &chemin, &jeton, &mauvais).await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.corps
    );
    let v: serde_json::Value = serde_json::from_str(&rep.corps).unwrap();
    assert_eq!(v["code"], "invalide", "{v}");
    assert!(v["message"].is_string() && v["champ"].is_null(), "{v}");
    assert_eq!(v["lignes"].as_array().unwrap().len(), 1);
    assert_eq!(v["lignes"][0]["ligne"], 3);
    assert_eq!(v["lignes"][0]["problemes"][0]["champ"], "date");
    let bon = mauvais.replace("03/13/2025", "13/03/2025");
    // A file sent as anything but text/csv: 415, nothing imported.
    let rep = api_en(&r, "POST", &chemin, &jeton, &bon, "application/json").await;
    assert_eq!(
        rep.statut,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        rep.corps
    );
    let v: serde_json::Value = serde_json::from_str(&rep.corps).unwrap();
    assert_eq!(v["code"], "type_de_contenu");
    let rep = api(&r, "POST", &chemin, &jeton, &bon).await;
    assert_eq!(rep.statut, StatusCode::CREATED, "{}", rep.corps);
    let v: serde_json::Value = serde_json::from_str(&rep.corps).unwrap();
    assert_eq!(v["importees"], 2);
    let rep = api(&r, "POST", &chemin, &jeton, &bon).await;
    assert_eq!(rep.statut, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&rep.corps).unwrap();
    assert_eq!(v["importees"], 0);
    assert_eq!(v["deja_importe"], true);
    // Another structure's file is refused.
    let autre = structure_de_l_intervenant(&p, "81").await;
    let rep = api(
        &r,
        "POST",
        &format!("/api/v1/activite/imports?structure={}", autre.0),
        &jeton,
        &bon,
    )
    .await;
    assert_eq!(rep.statut, StatusCode::FORBIDDEN);
    let doc = envoyer(
        &r,
        Request::get("/api/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&doc.corps).unwrap();
    for chemin in [
        "/api/v1/activite/imports",
        "/api/v1/activite/entretiens",
        "/api/v1/activite/tableau-de-bord",
        "/api/v1/activite/indicateurs",
    ] {
        assert!(v["paths"][chemin].is_object(), "{chemin} absent d'OpenAPI");
    }
}

/// The errors of a refused form, read with the HTML parser: the summary's entries with their
/// links, and each field's message.
struct ErreursLues {
    liens: Vec<String>,
    messages: Vec<(String, String)>,
}

fn erreurs_de(page: &commun::Page) -> ErreursLues {
    ErreursLues {
        liens: page
            .tous("#erreurs li a")
            .into_iter()
            .map(|a| a.value().attr("href").unwrap_or_default().to_owned())
            .collect(),
        messages: page
            .tous(".message-erreur")
            .into_iter()
            .map(|m| {
                (
                    m.value().attr("id").unwrap_or_default().to_owned(),
                    commun::texte(m),
                )
            })
            .collect(),
    }
}

/// Checks that the page reports exactly the errors of `champs`, each in `#<field>-erreur`,
/// linked from the summary, and that no message shows a technical name.
fn verifier_erreurs(page: &commun::Page, champs: &[&str]) {
    let lues = erreurs_de(page);
    let attendus: Vec<String> = champs.iter().map(|c| format!("{c}-erreur")).collect();
    let ids: Vec<String> = lues.messages.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(
        ids, attendus,
        "un message par champ en erreur, à côté du champ"
    );
    let liens: Vec<String> = champs.iter().map(|c| format!("#{c}")).collect();
    assert_eq!(lues.liens, liens, "le résumé renvoie à chaque champ");
    for (id, message) in &lues.messages {
        assert!(!message.is_empty(), "{id} vide");
        assert!(!message.contains('_'), "nom technique dans « {message} »");
        let cible = id.trim_end_matches("-erreur");
        assert!(
            !page.tous(&format!("#{cible}")).is_empty(),
            "le lien #{cible} ne mène à rien"
        );
    }
}

sur_les_deux_moteurs!(une_saisie_refusee_dit_chaque_erreur_a_cote_de_son_champ_et_garde_tout);
async fn une_saisie_refusee_dit_chaque_erreur_a_cote_de_son_champ_et_garde_tout() {
    let r = routeur().await;
    let p = plateforme().await;
    let g = structure_de_l_intervenant(&p, "56").await;
    let (c, csrf) = connecter(&r, "intervenant.56@demo.parentalite.fr").await;
    // Four bad fields: an impossible date, a duration in words, no step, no attendance.
    let rep = post(
        &r,
        "/activite/entretiens",
        &c,
        &format!(
            "_csrf={csrf}&structure={}&identifiant_famille=F-QUATRE&date=31%2F02%2F2025\
             &duree_minutes=une+heure&mode=visio&sujets_education=on&orientations_ccas=on\
             &motif_exception=Crise+familiale&reference=R-77",
            g.0
        ),
    )
    .await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.corps
    );
    let page = commun::Page::lire(&rep.corps);
    verifier_erreurs(&page, &["date", "duree_minutes", "etape", "presence"]);
    assert!(page.texte("title").starts_with("Erreur"), "le titre le dit");
    // Each control says it is invalid and is described by its message.
    for (controle, erreur) in [
        ("#date", "date-erreur"),
        ("#duree_minutes", "duree_minutes-erreur"),
        ("#etape-premier_contact", "etape-erreur"),
        ("#presence-un_parent", "presence-erreur"),
    ] {
        assert_eq!(
            page.attribut(controle, "aria-invalid"),
            "true",
            "{controle}"
        );
        assert!(
            page.attribut(controle, "aria-describedby")
                .split(' ')
                .any(|id| id == erreur),
            "{controle}"
        );
    }
    assert!(page.tous("#mode-visio[aria-invalid]").is_empty());
    // Everything typed is kept.
    assert_eq!(page.attribut("#identifiant_famille", "value"), "F-QUATRE");
    assert_eq!(page.attribut("#date", "value"), "31/02/2025");
    assert_eq!(page.attribut("#duree_minutes", "value"), "une heure");
    assert_eq!(page.attribut("#reference", "value"), "R-77");
    assert_eq!(page.texte("#motif_exception"), "Crise familiale");
    for coche in ["#mode-visio", "#sujets-education", "#orientations-ccas"] {
        assert!(
            page.tous(&format!("{coche}[checked]")).len() == 1,
            "{coche}"
        );
    }
    assert_eq!(page.tous("input[type=radio][checked]").len(), 1);
    assert_eq!(page.tous("input[type=checkbox][checked]").len(), 2);
}

sur_les_deux_moteurs!(le_formulaire_d_entretien_ne_choisit_ni_etape_ni_modalite_ni_presence);
async fn le_formulaire_d_entretien_ne_choisit_ni_etape_ni_modalite_ni_presence() {
    let r = routeur().await;
    let (c, _) = connecter(&r, "intervenant.56@demo.parentalite.fr").await;
    let rep = get(&r, "/activite", &c).await;
    assert_eq!(rep.statut, StatusCode::OK);
    let page = commun::Page::lire(&rep.corps);
    for nom in ["etape", "mode", "presence"] {
        let choix = page.tous(&format!("form input[name={nom}]"));
        assert!(choix.len() >= 2, "{nom}");
        assert!(
            choix.iter().all(|i| i.value().attr("checked").is_none()),
            "{nom} coché d'avance"
        );
    }
    assert!(
        page.tous("form[action='/activite/entretiens'] input[checked]")
            .is_empty()
    );
    // The family's identifier is neither remembered by the browser nor spell-checked.
    assert_eq!(page.attribut("#identifiant_famille", "autocomplete"), "off");
    assert_eq!(page.attribut("#identifiant_famille", "spellcheck"), "false");
}

sur_les_deux_moteurs!(un_bilan_refuse_dit_chaque_erreur_a_cote_de_son_champ_et_garde_tout);
async fn un_bilan_refuse_dit_chaque_erreur_a_cote_de_son_champ_et_garde_tout() {
    let r = routeur().await;
    let p = plateforme().await;
    let g = structure_de_l_intervenant(&p, "79").await;
    let (gest, csrf) = connecter(&r, "gestionnaire.79.9@demo.parentalite.fr").await;
    let page = get(&r, "/activite?exercice=2025", &gest).await;
    let convention = commun::Page::lire(&page.corps).attribut(
        "form[action='/activite/bilan'] input[name=convention]",
        "value",
    );
    let rep = post(
        &r,
        "/activite/bilan",
        &gest,
        &format!(
            "_csrf={csrf}&structure={}&convention={convention}&exercice=2025\
             &heures_analyse_pratique=douze&reseau_partenarial=CCAS%2C+PMI&synthese=+",
            g.0
        ),
    )
    .await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.corps
    );
    let page = commun::Page::lire(&rep.corps);
    verifier_erreurs(&page, &["heures_analyse_pratique", "synthese"]);
    assert_eq!(page.attribut("#heures_analyse_pratique", "value"), "douze");
    assert_eq!(
        page.attribut("#heures_analyse_pratique", "aria-invalid"),
        "true"
    );
    assert_eq!(page.attribut("#synthese", "aria-invalid"), "true");
    assert_eq!(page.texte("#reseau_partenarial"), "CCAS, PMI");
}

sur_les_deux_moteurs!(un_fichier_refuse_le_dit_a_cote_du_champ_et_liste_chaque_ligne);
async fn un_fichier_refuse_le_dit_a_cote_du_champ_et_liste_chaque_ligne() {
    let r = routeur().await;
    let p = plateforme().await;
    let g = structure_de_l_intervenant(&p, "56").await;
    let (c, csrf) = connecter(&r, "intervenant.56@demo.parentalite.fr").await;
    let fichier = "identifiant_famille;date;duree_minutes;etape;mode;presence\n\
                   FIC-A;05/02/2025;60;premier_contact;presentiel;un_parent\n\
                   FIC-B;30/02/2025;60;premier_contact;presentiel;un_parent\n\
                   FIC-C;06/02/2025;0;premier_contact;à cheval;un_parent\n";
    let rep = importer(&r, &c, &csrf, g, fichier).await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.corps
    );
    let page = commun::Page::lire(&rep.corps);
    // The form has one field: its message says how many lines are wrong.
    verifier_erreurs(&page, &["fichier"]);
    assert!(page.texte("#fichier-erreur").contains("2 lignes en erreur"));
    assert_eq!(page.attribut("#fichier", "aria-invalid"), "true");
    let lignes = lignes_du_tableau(&rep.corps, "Lignes en erreur");
    let numeros: Vec<&str> = lignes.iter().map(|l| l[0].as_str()).collect();
    assert_eq!(numeros, ["3", "4", "4"], "{lignes:?}");
}

sur_les_deux_moteurs!(les_filtres_refuses_disent_chaque_erreur_a_cote_de_leur_champ);
async fn les_filtres_refuses_disent_chaque_erreur_a_cote_de_leur_champ() {
    let r = routeur().await;
    let (caf, _) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    // The activity page: structure and exercise.
    let rep = get(&r, "/activite?structure=abc&exercice=20x5", &caf).await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.corps
    );
    let page = commun::Page::lire(&rep.corps);
    verifier_erreurs(&page, &["choix-structure", "choix-exercice"]);
    assert_eq!(page.attribut("#choix-exercice", "value"), "20x5");
    assert_eq!(page.attribut("#choix-exercice", "aria-invalid"), "true");
    assert!(
        rep.corps.contains("Chiffres du bilan 2025"),
        "la page montre l'exercice par défaut"
    );
    // The dashboard: exercise and the map's indicator.
    let rep = get(
        &r,
        "/tableau-de-bord?exercice=1999&indicateur=inconnu",
        &caf,
    )
    .await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.corps
    );
    let page = commun::Page::lire(&rep.corps);
    verifier_erreurs(&page, &["exercice", "indicateur"]);
    assert!(
        page.texte("#exercice-erreur").contains("1999"),
        "la valeur tapée"
    );
    assert_eq!(page.attribut("#indicateur", "aria-invalid"), "true");
    assert!(rep.corps.contains("Chiffres clés 2025"));
}
