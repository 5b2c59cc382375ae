//! Every route, for every role, through the router (no port): what each user may see and do,
//! the same refusals in pages, exports and the API, CSRF on every form, login and its lockout.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::identifiants::Siret;
use http_body_util::BodyExt;
use store::Base;
use tower::ServiceExt;
use web::Etat;

use commun::{Demo, Moteur, Page, creer_demos, moteur};

/// Two identical demonstration databases per engine for the whole file, created once: one
/// for most tests, and one for the journeys that add dossiers to the counts the others check.
fn demos() -> &'static [Demo] {
    static SQLITE: OnceLock<Vec<Demo>> = OnceLock::new();
    static POSTGRES: OnceLock<Vec<Demo>> = OnceLock::new();
    let m = moteur();
    let une = if m == Moteur::Sqlite {
        &SQLITE
    } else {
        &POSTGRES
    };
    une.get_or_init(|| {
        creer_demos(m, vec!["routes", "routes-parcours"], |_, _| {
            Box::pin(async {})
        })
    })
}

fn demo() -> &'static Demo {
    &demos()[0]
}

fn demo_a_part() -> &'static Demo {
    &demos()[1]
}

async fn routeur_sur(d: &Demo) -> axum::Router {
    web::routeur(Etat {
        plateforme: d.plateforme().await,
        cookie_securise: false,
    })
}

async fn routeur() -> axum::Router {
    routeur_sur(demo()).await
}

struct Reponse {
    statut: StatusCode,
    entetes: axum::http::HeaderMap,
    corps: String,
    octets: Vec<u8>,
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
        octets: octets.to_vec(),
    }
}

async fn get(r: &axum::Router, chemin: &str, cookie: Option<&str>) -> Reponse {
    let mut req = Request::get(chemin);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    envoyer(r, req.body(Body::empty()).unwrap()).await
}

async fn post(r: &axum::Router, chemin: &str, cookie: Option<&str>, formulaire: &str) -> Reponse {
    post_depuis(r, chemin, cookie, formulaire, None).await
}

/// A form posted from the client address `adresse` (as the server sees the connection's peer).
async fn post_depuis(
    r: &axum::Router,
    chemin: &str,
    cookie: Option<&str>,
    formulaire: &str,
    adresse: Option<&str>,
) -> Reponse {
    let mut req =
        Request::post(chemin).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let mut req = req.body(Body::from(formulaire.to_owned())).unwrap();
    if let Some(a) = adresse {
        let pair: std::net::SocketAddr = format!("{a}:40000").parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(pair));
    }
    envoyer(r, req).await
}

fn encoder(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The login form: its pre-session cookie and its CSRF token.
async fn formulaire_connexion(r: &axum::Router) -> (String, String) {
    let page = get(r, "/connexion", None).await;
    assert_eq!(page.statut, StatusCode::OK);
    let cookie = page
        .entetes
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let jeton = page
        .corps
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (cookie, jeton)
}

/// Submits the login form as a browser does: its page first, then the form with its token.
async fn poster_connexion(r: &axum::Router, corps: &str) -> Reponse {
    poster_connexion_depuis(r, None, corps).await
}

/// [`poster_connexion`] from the client address `adresse`.
async fn poster_connexion_depuis(r: &axum::Router, adresse: Option<&str>, corps: &str) -> Reponse {
    let (cookie, jeton) = formulaire_connexion(r).await;
    post_depuis(
        r,
        "/connexion",
        Some(&cookie),
        &format!("_csrf={jeton}&{corps}"),
        adresse,
    )
    .await
}

/// The login form's fields for `email` with its demonstration password (or `mot_de_passe`).
fn identifiants(email: &str, mot_de_passe: Option<&str>) -> String {
    let mdp = mot_de_passe
        .map(str::to_owned)
        .unwrap_or_else(|| demo().mots_de_passe.get(email).unwrap().clone());
    format!("email={}&mot_de_passe={}", encoder(email), encoder(&mdp))
}

/// Whether an answer opened a session.
fn ouvre_une_session(rep: &Reponse) -> bool {
    rep.entetes
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("parentalite_session="))
}

/// The store of the shared demonstration database, to set up what no page does (an old
/// failure, an expired token, a deactivated account).
async fn base_demo() -> Base {
    Base::ouvrir(&demo().url).await.unwrap()
}

/// Creates an API token on the profile page; returns it.
async fn creer_jeton_api(r: &axum::Router, cookie: &str, csrf: &str, champs: &str) -> String {
    let cree = post(
        r,
        "/profil/jetons",
        Some(cookie),
        &format!("_csrf={csrf}&{champs}"),
    )
    .await;
    assert_eq!(cree.statut, StatusCode::OK, "{}", cree.corps);
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

/// A GET of the API with a token.
async fn get_api(r: &axum::Router, chemin: &str, jeton: &str) -> Reponse {
    envoyer(
        r,
        Request::get(chemin)
            .header(header::AUTHORIZATION, format!("Bearer {jeton}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// Logs in; returns the cookie and the CSRF token of the session.
async fn connecter(r: &axum::Router, email: &str) -> (String, String) {
    connecter_sur(r, demo(), email).await
}

async fn connecter_sur(r: &axum::Router, d: &Demo, email: &str) -> (String, String) {
    let mdp = d
        .mots_de_passe
        .get(email)
        .unwrap_or_else(|| panic!("compte {email}"));
    let rep = poster_connexion(
        r,
        &format!("email={}&mot_de_passe={}", encoder(email), encoder(mdp)),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{email}: {}", rep.corps);
    let cookie = rep
        .entetes
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("parentalite_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let accueil = get(r, "/", Some(&cookie)).await;
    assert_eq!(accueil.statut, StatusCode::OK);
    let csrf = accueil
        .corps
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (cookie, csrf)
}

sur_les_deux_moteurs!(sante_et_pages_publiques);
async fn sante_et_pages_publiques() {
    let r = routeur().await;
    assert_eq!(get(&r, "/healthz", None).await.statut, StatusCode::OK);
    let connexion = get(&r, "/connexion", None).await;
    assert_eq!(connexion.statut, StatusCode::OK);
    assert!(connexion.corps.contains("lang=\"fr\""));
    assert!(connexion.corps.contains("Aller au contenu"));
    // Every answer, found or not, carries the security headers: no inline script, no framing.
    for reponse in [&connexion, &get(&r, "/nulle-part", None).await] {
        let csp = reponse
            .entetes
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert_eq!(
            reponse.entetes.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
        assert_eq!(
            reponse.entetes.get(header::X_FRAME_OPTIONS).unwrap(),
            "DENY"
        );
        assert_eq!(
            reponse.entetes.get(header::REFERRER_POLICY).unwrap(),
            "same-origin"
        );
    }
    assert!(!connexion.corps.contains("<script>"), "script en ligne");
    let htmx = get(&r, "/static/htmx-2.0.11.min.js", None).await;
    assert_eq!(htmx.statut, StatusCode::OK);
    assert!(htmx.corps.starts_with("var htmx="));
    assert_eq!(
        get(&r, "/static/parentalite.css", None).await.statut,
        StatusCode::OK
    );
    assert_eq!(get(&r, "/accessibilite", None).await.statut, StatusCode::OK);
    // The site map and the personal data page are public; every page links to them.
    let plan = get(&r, "/plan-du-site", None).await;
    assert_eq!(plan.statut, StatusCode::OK);
    assert!(
        plan.corps
            .contains("<a href=\"/connexion\">Se connecter</a>")
    );
    let donnees = get(&r, "/donnees-personnelles", None).await;
    assert_eq!(donnees.statut, StatusCode::OK);
    assert!(donnees.corps.contains("jamais nommées"));
    for lien in ["/plan-du-site", "/accessibilite", "/donnees-personnelles"] {
        assert!(
            connexion.corps.contains(&format!("<a href=\"{lien}\">")),
            "{lien}"
        );
    }
    assert_eq!(
        get(&r, "/nulle-part", None).await.statut,
        StatusCode::NOT_FOUND
    );
    // The home page of a visitor is public: it leads to the directory.
    let accueil = get(&r, "/", None).await;
    assert_eq!(accueil.statut, StatusCode::OK);
    assert!(accueil.corps.contains("action=\"/annuaire\""));
    for page in [
        "/dossiers",
        "/dossiers/1",
        "/conventions",
        "/paiements",
        "/enveloppes",
        "/calcul",
        "/profil",
        "/exports/dossiers.csv",
    ] {
        let rep = get(&r, page, None).await;
        assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{page}");
        assert!(
            rep.entetes
                .get(header::LOCATION)
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("/connexion"),
            "{page}"
        );
    }
    for api in [
        "/api/v1/dossiers",
        "/api/v1/conventions",
        "/api/v1/declarations",
        "/api/v1/paiements",
    ] {
        assert_eq!(
            get(&r, api, None).await.statut,
            StatusCode::UNAUTHORIZED,
            "{api}"
        );
    }
    let openapi = get(&r, "/api/openapi.json", None).await;
    let v: serde_json::Value = serde_json::from_str(&openapi.corps).unwrap();
    assert_eq!(v["openapi"], "3.0.3");
    assert!(v["paths"]["/api/v1/calculs/aip"]["post"].is_object());
}

sur_les_deux_moteurs!(connexion_sans_divulguer_les_comptes_puis_verrouillee);
async fn connexion_sans_divulguer_les_comptes_puis_verrouillee() {
    let r = routeur().await;
    let inconnu = poster_connexion(&r, "email=personne%40nulle-part.fr&mot_de_passe=abc").await;
    let faux = poster_connexion(
        &r,
        "email=financeur.56%40demo.parentalite.fr&mot_de_passe=abc",
    )
    .await;
    assert_eq!(inconnu.statut, StatusCode::UNAUTHORIZED);
    assert_eq!(faux.statut, StatusCode::UNAUTHORIZED);
    let message = "Adresse électronique ou mot de passe incorrect.";
    assert!(inconnu.corps.contains(message) && faux.corps.contains(message));
    for _ in 0..4 {
        poster_connexion(
            &r,
            "email=financeur.56%40demo.parentalite.fr&mot_de_passe=abc",
        )
        .await;
    }
    // Locked now, even with the right password.
    let mdp = demo()
        .mots_de_passe
        .get("financeur.56@demo.parentalite.fr")
        .unwrap();
    let bloque = poster_connexion(
        &r,
        &format!(
            "email=financeur.56%40demo.parentalite.fr&mot_de_passe={}",
            encoder(mdp)
        ),
    )
    .await;
    assert_eq!(bloque.statut, StatusCode::OK);
    assert!(
        bloque.corps.contains("Trop de tentatives"),
        "{}",
        bloque.corps
    );
    // No session opened (the only cookie is the login form's new token).
    assert!(
        bloque
            .entetes
            .get_all(header::SET_COOKIE)
            .iter()
            .all(|v| !v.to_str().unwrap().starts_with("parentalite_session="))
    );
}

sur_les_deux_moteurs!(chaque_formulaire_refuse_un_jeton_csrf_absent_ou_faux);
async fn chaque_formulaire_refuse_un_jeton_csrf_absent_ou_faux() {
    let r = routeur().await;
    let (cookie, csrf) = connecter(&r, "agent.30@demo.parentalite.fr").await;
    for (chemin, corps) in [
        ("/deconnexion", ""),
        (
            "/calcul",
            "exercice=2024&etp_declares=1&etp_notifies=1&mois_fonctionnement=8&depenses_fonctionnement=40000",
        ),
        ("/dossiers/12/action", "action=instruire"),
        ("/paiements", ""),
        ("/profil/jetons", "libelle=x"),
        ("/profil/jetons/0123456789abcdef/revocation", ""),
        ("/dossiers/nouveau", "appel=2&intitule=x"),
        ("/dossiers/12/messages", "texte=x"),
        ("/dossiers/12/projet", "intitule=x&etp_demandes=1"),
        ("/structures", "raison_sociale=x"),
        ("/structures/11/lieux", "nom_lieu=x&commune_lieu=30189"),
        (
            "/structures/11/intervenants",
            "nom=x&prenom=y&diplome=psychologue&statut=salarie&etp=1",
        ),
        (
            "/conventions/1/action",
            "action=signer&date_signature=2024-03-05",
        ),
        ("/enveloppes", "departement=30&montant=1"),
        ("/dossiers/lot", "operation=ecrire&dossier=12&message=x"),
        ("/dossiers/filtres", "nom=x&requete="),
        ("/dossiers/filtres/1/suppression", ""),
    ] {
        let sans = post(&r, chemin, Some(&cookie), corps).await;
        assert_eq!(sans.statut, StatusCode::FORBIDDEN, "{chemin} sans jeton");
        let faux = post(&r, chemin, Some(&cookie), &format!("{corps}&_csrf=faux")).await;
        assert_eq!(
            faux.statut,
            StatusCode::FORBIDDEN,
            "{chemin} avec un faux jeton"
        );
    }
    // The right token goes through.
    let ok = post(&r, "/calcul", Some(&cookie), &format!("_csrf={csrf}&exercice=2024&declaration=previsionnelle&etp_declares=1&etp_notifies=1&mois_fonctionnement=8&depenses_fonctionnement=40+000")).await;
    assert_eq!(ok.statut, StatusCode::OK);
    assert!(ok.corps.contains("32\u{202f}000,00\u{a0}€"), "{}", ok.corps);
    assert!(ok.corps.contains("22\u{202f}400,00\u{a0}€"));
}

sur_les_deux_moteurs!(le_simulateur_montre_l_erreur_a_cote_du_champ_et_garde_la_saisie);
async fn le_simulateur_montre_l_erreur_a_cote_du_champ_et_garde_la_saisie() {
    let r = routeur().await;
    let (cookie, csrf) = connecter(&r, "gestionnaire.38.2@demo.parentalite.fr").await;
    let rep = post(&r, "/calcul", Some(&cookie), &format!("_csrf={csrf}&exercice=2024&etp_declares=1&etp_notifies=1&mois_fonctionnement=13&depenses_fonctionnement=40000")).await;
    assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::lire(&rep.corps);
    // The reason is in the field's own error message (« De 0 à 12 » is also its hint).
    let erreur = page.texte("#mois_fonctionnement-erreur");
    assert!(
        erreur.contains("de 0 à 12 (reçu") && erreur.contains("13"),
        "{erreur}"
    );
    let champ = page.un("input[name=mois_fonctionnement]");
    assert_eq!(champ.value().attr("value"), Some("13"));
    assert_eq!(champ.value().attr("aria-invalid"), Some("true"));
    assert_eq!(
        page.attribut("input[name=depenses_fonctionnement]", "value"),
        "40000"
    );
    // Only the field in error is marked so.
    assert_eq!(page.tous("[aria-invalid=true]").len(), 1);
    // Three bad fields: three messages at once, each next to its field and in the summary.
    let rep = post(&r, "/calcul", Some(&cookie), &format!("_csrf={csrf}&exercice=deux&etp_declares=un&etp_notifies=1&mois_fonctionnement=13&depenses_fonctionnement=40000")).await;
    for id in ["exercice", "etp_declares", "mois_fonctionnement"] {
        refus_a_cote(&rep, id, &["value=\"40000\""]);
    }
    let page = Page::lire(&rep.corps);
    assert_eq!(page.tous("[aria-invalid=true]").len(), 3);
    assert!(
        page.texte("[role=alert]").contains("3 erreurs"),
        "{}",
        rep.corps
    );
}

sur_les_deux_moteurs!(chacun_ne_voit_que_son_territoire_dans_les_pages_les_exports_et_l_api);
async fn chacun_ne_voit_que_son_territoire_dans_les_pages_les_exports_et_l_api() {
    let r = routeur().await;
    // Every page answers for every role.
    for email in [
        "cnaf@demo.parentalite.fr",
        "agent.38@demo.parentalite.fr",
        "financeur.38@demo.parentalite.fr",
        "gestionnaire.38.1@demo.parentalite.fr",
        "intervenant.38@demo.parentalite.fr",
    ] {
        let (cookie, _) = connecter(&r, email).await;
        for page in [
            "/",
            "/dossiers",
            "/conventions",
            "/paiements",
            "/enveloppes",
            "/calcul",
            "/profil",
            "/plan-du-site",
            "/donnees-personnelles",
            "/accessibilite",
        ] {
            let rep = get(&r, page, Some(&cookie)).await;
            assert_eq!(rep.statut, StatusCode::OK, "{email} {page}");
        }
        // The site map lists every section of the role's menu, and each of them answers.
        let plan = get(&r, "/plan-du-site", Some(&cookie)).await.corps;
        let menu = get(&r, "/", Some(&cookie)).await.corps;
        let rubriques: Vec<&str> = menu
            .split("aria-label=\"Menu principal\"")
            .nth(1)
            .unwrap()
            .split("</nav>")
            .next()
            .unwrap()
            .split("href=\"")
            .skip(1)
            .map(|x| x.split('"').next().unwrap())
            .collect();
        assert!(rubriques.len() >= 4, "{email}: {rubriques:?}");
        for rubrique in rubriques {
            assert!(
                plan.contains(&format!("<a href=\"{rubrique}\">")),
                "{email}: {rubrique} absent du plan du site"
            );
        }
        let liens: Vec<String> = plan
            .split("<main")
            .nth(1)
            .unwrap()
            .split("href=\"")
            .skip(1)
            .map(|x| x.split('"').next().unwrap().replace("&amp;", "&"))
            .collect();
        for lien in liens {
            let rep = get(&r, &lien, Some(&cookie)).await;
            assert_eq!(
                rep.statut,
                StatusCode::OK,
                "{email}: {lien} du plan du site"
            );
        }
    }
    // A Caf sees the dossiers of its département, not those of another.
    let (agent38, _) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (agent30, _) = connecter(&r, "agent.30@demo.parentalite.fr").await;
    let de_l_isere = dossiers_dans_l_etat(&r, &agent38, "").await;
    let du_gard = dossiers_dans_l_etat(&r, &agent30, "").await;
    assert!(!de_l_isere.is_empty() && !du_gard.is_empty());
    assert!(de_l_isere.iter().all(|d| !du_gard.contains(d)));
    assert_eq!(
        get(&r, &de_l_isere[0], Some(&agent38)).await.statut,
        StatusCode::OK
    );
    assert_eq!(
        get(&r, &du_gard[0], Some(&agent38)).await.statut,
        StatusCode::FORBIDDEN
    );
    let export = get(&r, "/exports/dossiers.csv", Some(&agent38)).await;
    let departements = colonne_csv(&export.corps, "Département");
    assert_eq!(departements.len(), de_l_isere.len(), "{}", export.corps);
    assert!(departements.iter().all(|d| d == "38"), "{}", export.corps);
    // A gestionnaire sees its own dossier, not its neighbour's.
    let (gest, csrf) = connecter(&r, "gestionnaire.38.1@demo.parentalite.fr").await;
    let les_siens = dossiers_dans_l_etat(&r, &gest, "").await;
    assert_eq!(les_siens.len(), 1, "{les_siens:?}");
    let voisin = de_l_isere.iter().find(|d| !les_siens.contains(d)).unwrap();
    assert_eq!(
        get(&r, &les_siens[0], Some(&gest)).await.statut,
        StatusCode::OK
    );
    assert_eq!(
        get(&r, voisin, Some(&gest)).await.statut,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        colonne_csv(
            &get(&r, "/exports/dossiers.csv", Some(&gest)).await.corps,
            "N°"
        ),
        [les_siens[0].trim_start_matches("/dossiers/")]
    );
    // A funder sees only what reached the comité: a presented dossier yes, one being
    // instructed no.
    let (fin, _) = connecter(&r, "financeur.38@demo.parentalite.fr").await;
    let presente = dossiers_dans_l_etat(&r, &agent38, "presente_en_comite").await;
    let en_instruction = dossiers_dans_l_etat(&r, &agent38, "en_instruction").await;
    assert_eq!(
        get(&r, &presente[0], Some(&fin)).await.statut,
        StatusCode::OK
    );
    assert_eq!(
        get(&r, &en_instruction[0], Some(&fin)).await.statut,
        StatusCode::FORBIDDEN
    );

    // API: the gestionnaire's token sees only its own dossier.
    let cree = post(
        &r,
        "/profil/jetons",
        Some(&gest),
        &format!("_csrf={csrf}&libelle=essai"),
    )
    .await;
    let jeton = format!(
        "prt_{}",
        cree.corps
            .split("<code>prt_")
            .nth(1)
            .unwrap()
            .split("</code>")
            .next()
            .unwrap()
    );
    let api = |chemin: &str| {
        Request::get(chemin)
            .header(header::AUTHORIZATION, format!("Bearer {jeton}"))
            .body(Body::empty())
            .unwrap()
    };
    let rep = envoyer(&r, api("/api/v1/dossiers")).await;
    assert_eq!(rep.statut, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&rep.corps).unwrap();
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(v["elements"][0]["id"], 1);
    for chemin in [
        "/api/v1/conventions",
        "/api/v1/declarations",
        "/api/v1/paiements",
    ] {
        let rep = envoyer(&r, api(chemin)).await;
        assert_eq!(rep.statut, StatusCode::OK, "{chemin}");
        let v: serde_json::Value = serde_json::from_str(&rep.corps).unwrap();
        assert!(
            v["elements"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["gestionnaire"] == 1),
            "{chemin}: {v}"
        );
    }
    let faux = envoyer(
        &r,
        Request::get("/api/v1/dossiers")
            .header(header::AUTHORIZATION, "Bearer prt_faux")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(faux.statut, StatusCode::UNAUTHORIZED);
    let calcul = envoyer(
        &r,
        Request::post("/api/v1/calculs/aip")
            .header(header::AUTHORIZATION, format!("Bearer {jeton}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"dispositif":"aip","exercice":2024,"etp_declares":"1","etp_notifies":"1","mois_fonctionnement":8,"depenses_fonctionnement":"40000"}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(calcul.statut, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&calcul.corps).unwrap();
    assert_eq!(v["montant"], "32000.00");
    assert_eq!(v["acompte"], "22400.00");
    let invalide = envoyer(
        &r,
        Request::post("/api/v1/calculs/aip")
            .header(header::AUTHORIZATION, format!("Bearer {jeton}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"dispositif\":\"aip\"}"))
            .unwrap(),
    )
    .await;
    assert_eq!(invalide.statut, StatusCode::UNPROCESSABLE_ENTITY);
}

sur_les_deux_moteurs!(un_agent_instruit_un_dossier_depuis_sa_fiche);
async fn un_agent_instruit_un_dossier_depuis_sa_fiche() {
    let r = routeur().await;
    // A dossier of the Gironde waiting to be instructed.
    let (agent, csrf) = connecter(&r, "agent.33@demo.parentalite.fr").await;
    let dossier = dossiers_dans_l_etat(&r, &agent, "depose")
        .await
        .into_iter()
        .next()
        .expect("un dossier déposé en Gironde");
    let fiche = Page::lire(&get(&r, &dossier, Some(&agent)).await.corps);
    let instruire = formulaire_d_action(&fiche, "instruire");
    assert_eq!(
        commun::texte(instruire.select(&selecteur("button")).next().unwrap()),
        "Prendre en instruction"
    );
    let version = instruire
        .select(&selecteur("input[name=version]"))
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_owned();
    let action = format!("{dossier}/action");
    let rep = post(
        &r,
        &action,
        Some(&agent),
        &format!("_csrf={csrf}&action=instruire&version={version}"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.corps);
    let fiche = Page::lire(&get(&r, &dossier, Some(&agent)).await.corps);
    formulaire_d_action(&fiche, "presenter");
    // The same form again: refused with its reason (the dossier is already being instructed).
    let rep = post(
        &r,
        &action,
        Some(&agent),
        &format!("_csrf={csrf}&action=instruire&version={version}"),
    )
    .await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.corps
    );
    assert!(rep.corps.contains("état requis"), "{}", rep.corps);
    // The refusal is shown on the dossier page itself, above the actions still possible.
    let page = Page::lire(&rep.corps);
    assert!(
        page.texte("#refus").contains("état requis"),
        "{}",
        rep.corps
    );
    formulaire_d_action(&page, "presenter");
    // A form filled in before someone else's save: a conflict, nothing lost.
    let rep = post(
        &r,
        &action,
        Some(&agent),
        &format!("_csrf={csrf}&action=presenter&date_comite=2024-02-15&version={version}"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::CONFLICT, "{}", rep.corps);
    // Another Caf cannot act on it.
    let (autre, csrf_autre) = connecter(&r, "agent.30@demo.parentalite.fr").await;
    let rep = post(
        &r,
        &action,
        Some(&autre),
        &format!("_csrf={csrf_autre}&action=sans_suite&motif=x"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::FORBIDDEN, "{}", rep.corps);
}

sur_les_deux_moteurs!(une_declaration_saisie_transmise_puis_validee_fige_son_droit);
async fn une_declaration_saisie_transmise_puis_validee_fige_son_droit() {
    let r = routeur().await;
    let (gest, csrf) = connecter(&r, "gestionnaire.85.10@demo.parentalite.fr").await;
    let liste = get(&r, "/conventions", Some(&gest)).await;
    let id = liste
        .corps
        .split("href=\"/conventions/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let cible = format!("/conventions/{id}/action");
    let rep = post(
        &r,
        &cible,
        Some(&gest),
        &format!("_csrf={csrf}&action=saisir_declaration&nature=actualisee&exercice=2025&depenses=61+000&etp_declares=1&mois=12&entretiens=540&parents=190&heures=540"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.corps);
    let fiche = get(&r, &format!("/conventions/{id}"), Some(&gest)).await;
    let decl = fiche.corps.split("name=\"action\" value=\"transmettre_declaration\"><input type=\"hidden\" name=\"declaration\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    // The Caf cannot validate what was not sent.
    let (agent, csrf_agent) = connecter(&r, "agent.85@demo.parentalite.fr").await;
    let trop_tot = post(
        &r,
        &cible,
        Some(&agent),
        &format!("_csrf={csrf_agent}&action=valider_declaration&declaration={decl}"),
    )
    .await;
    assert_eq!(
        trop_tot.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        trop_tot.corps
    );
    post(
        &r,
        &cible,
        Some(&gest),
        &format!("_csrf={csrf}&action=transmettre_declaration&declaration={decl}"),
    )
    .await;
    // The gestionnaire cannot validate its own declaration.
    let soi = post(
        &r,
        &cible,
        Some(&gest),
        &format!("_csrf={csrf}&action=valider_declaration&declaration={decl}"),
    )
    .await;
    assert_eq!(soi.statut, StatusCode::FORBIDDEN, "{}", soi.corps);
    let ok = post(
        &r,
        &cible,
        Some(&agent),
        &format!("_csrf={csrf_agent}&action=valider_declaration&declaration={decl}"),
    )
    .await;
    assert_eq!(ok.statut, StatusCode::SEE_OTHER, "{}", ok.corps);
    let fiche = get(&r, &format!("/conventions/{id}"), Some(&agent)).await;
    // 1 FTE declared (at most the ceiling notified), 12 months, 61 000 €: 80 % × 61 000 = 48 800 €.
    assert!(
        fiche
            .corps
            .contains("Déclaration actualisée 2025 : droit de 48\u{202f}800,00\u{a0}€"),
        "{}",
        fiche.corps
    );
    assert!(
        fiche.corps.contains("66000") || fiche.corps.contains("§VI.1"),
        "{}",
        fiche.corps
    );
    // Another Caf sees nothing of it.
    let (autre, _) = connecter(&r, "agent.30@demo.parentalite.fr").await;
    assert_eq!(
        get(&r, &format!("/conventions/{id}"), Some(&autre))
            .await
            .statut,
        StatusCode::FORBIDDEN
    );
}

sur_les_deux_moteurs!(un_financeur_enregistre_sa_propre_decision_et_seulement_la_sienne);
async fn un_financeur_enregistre_sa_propre_decision_et_seulement_la_sienne() {
    let r = routeur().await;
    // A validated dossier of Isère without the departmental council's share yet.
    let (fin, csrf) = connecter(&r, "financeur.38@demo.parentalite.fr").await;
    let mut sans_part = None;
    for dossier in dossiers_dans_l_etat(&r, &fin, "valide").await {
        let page = Page::lire(&get(&r, &dossier, Some(&fin)).await.corps);
        let formulaire = page.tous("form").into_iter().find(|f| {
            f.select(&selecteur("input[name=action][value=part]"))
                .next()
                .is_some()
        });
        if let Some(f) = formulaire {
            let decision = f
                .select(&selecteur("input[name=decision]"))
                .next()
                .and_then(|x| x.value().attr("value"))
                .unwrap()
                .to_owned();
            assert_eq!(
                commun::texte(f.select(&selecteur("legend")).next().unwrap()),
                "Enregistrer la décision de votre financeur"
            );
            sans_part = Some((dossier, decision));
            break;
        }
    }
    let (dossier, decision) = sans_part.expect("un dossier validé sans la part du département");
    let action = format!("{dossier}/action");
    let rep = post(&r, &action, Some(&fin), &format!("_csrf={csrf}&action=part&decision={decision}&avis=accorde&montant_part=5+000&motivation=Soutien+du+d%C3%A9partement")).await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.corps);
    let fiche = Page::lire(&get(&r, &dossier, Some(&fin)).await.corps);
    // The share is listed under the comité's decision, and its form is gone.
    let parts: Vec<String> = fiche
        .tous("ul li ul li")
        .into_iter()
        .map(commun::texte)
        .collect();
    assert!(
        parts.iter().any(|p| p
            == "Conseil départemental de l'Isère : accordé, 5 000,00 € – Soutien du département"),
        "{parts:?}"
    );
    assert!(fiche.tous("input[name=action][value=part]").is_empty());
    // Twice: refused. Another département's funder: refused.
    let encore = post(
        &r,
        &action,
        Some(&fin),
        &format!("_csrf={csrf}&action=part&decision={decision}&avis=accorde&montant_part=1"),
    )
    .await;
    assert_eq!(
        encore.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        encore.corps
    );
    let (autre, csrf_autre) = connecter(&r, "financeur.30@demo.parentalite.fr").await;
    let rep = post(
        &r,
        &action,
        Some(&autre),
        &format!("_csrf={csrf_autre}&action=part&decision={decision}&avis=accorde&montant_part=1"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::FORBIDDEN, "{}", rep.corps);
}

sur_les_deux_moteurs!(les_documents_sont_des_pdf_reserves_au_territoire);
async fn les_documents_sont_des_pdf_reserves_au_territoire() {
    let r = routeur().await;
    let (agent, _) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    // A dossier of Isère the comité has validated, and a convention of Isère.
    let dossier = dossiers_dans_l_etat(&r, &agent, "valide")
        .await
        .into_iter()
        .next()
        .expect("un dossier validé en Isère");
    let notification = format!("{dossier}/notification.pdf");
    let notif = get(&r, &notification, Some(&agent)).await;
    assert_eq!(notif.statut, StatusCode::OK);
    assert_eq!(
        notif.entetes.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );
    assert!(notif.octets.starts_with(b"%PDF-"));
    if let Some(texte) = texte_pdf(&notif) {
        assert!(texte.contains("Décision : validée"), "{texte}");
    }
    let liste = Page::lire(&get(&r, "/conventions", Some(&agent)).await.corps);
    let convention = liste.attribut("table tbody a[href^='/conventions/']", "href");
    for doc in ["convention.pdf", "releve.pdf"] {
        let rep = get(&r, &format!("{convention}/{doc}"), Some(&agent)).await;
        assert_eq!(rep.statut, StatusCode::OK, "{doc}");
        assert!(rep.octets.starts_with(b"%PDF-"), "{doc}");
    }
    let (autre, _) = connecter(&r, "agent.30@demo.parentalite.fr").await;
    for document in [
        notification,
        format!("{convention}/convention.pdf"),
        format!("{convention}/releve.pdf"),
    ] {
        assert_eq!(
            get(&r, &document, Some(&autre)).await.statut,
            StatusCode::FORBIDDEN,
            "{document}"
        );
    }
}

sur_les_deux_moteurs!(une_declaration_se_soumet_par_l_api_avec_les_memes_regles);
async fn une_declaration_se_soumet_par_l_api_avec_les_memes_regles() {
    let r = routeur().await;
    let (gest, csrf) = connecter(&r, "gestionnaire.59.10@demo.parentalite.fr").await;
    let liste = get(&r, "/conventions", Some(&gest)).await;
    let convention: i64 = liste
        .corps
        .split("href=\"/conventions/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let cree = post(
        &r,
        "/profil/jetons",
        Some(&gest),
        &format!("_csrf={csrf}&libelle=logiciel"),
    )
    .await;
    let jeton = format!(
        "prt_{}",
        cree.corps
            .split("<code>prt_")
            .nth(1)
            .unwrap()
            .split("</code>")
            .next()
            .unwrap()
    );
    let soumettre = |corps: String, jeton: String| {
        Request::post("/api/v1/declarations")
            .header(header::AUTHORIZATION, format!("Bearer {jeton}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(corps))
            .unwrap()
    };
    let corps = format!(
        r#"{{"convention":{convention},"exercice":2025,"nature":"actualisee","depenses_fonctionnement":"50000.00","etp_declares":"1","mois_fonctionnement":12,"entretiens":500,"parents_distincts":170,"heures_entretiens":500,"transmettre":true}}"#
    );
    let rep = envoyer(&r, soumettre(corps.clone(), jeton.clone())).await;
    assert_eq!(rep.statut, StatusCode::CREATED, "{}", rep.corps);
    let v: serde_json::Value = serde_json::from_str(&rep.corps).unwrap();
    assert_eq!(v["etat"], "transmise", "{v}");
    // The same declaration again: refused by the unique key, with a reason in French.
    let encore = envoyer(&r, soumettre(corps.clone(), jeton.clone())).await;
    assert_eq!(
        encore.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        encore.corps
    );
    assert!(
        encore
            .corps
            .contains("une déclaration actualisée existe déjà pour 2025"),
        "{}",
        encore.corps
    );
    assert!(!encore.corps.contains("UNIQUE"), "{}", encore.corps);
    // Bad input: the field and the reason.
    let faux = envoyer(
        &r,
        soumettre(corps.replace("\"1\"", "\"-1\""), jeton.clone()),
    )
    .await;
    assert_eq!(faux.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(faux.corps.contains("etp_declares"), "{}", faux.corps);
    // Another structure's token is refused on this convention.
    let (autre, csrf_autre) = connecter(&r, "gestionnaire.59.9@demo.parentalite.fr").await;
    let cree = post(
        &r,
        "/profil/jetons",
        Some(&autre),
        &format!("_csrf={csrf_autre}&libelle=x"),
    )
    .await;
    let jeton_autre = format!(
        "prt_{}",
        cree.corps
            .split("<code>prt_")
            .nth(1)
            .unwrap()
            .split("</code>")
            .next()
            .unwrap()
    );
    let refuse = envoyer(
        &r,
        soumettre(corps.replace("actualisee", "reelle"), jeton_autre),
    )
    .await;
    assert_eq!(refuse.statut, StatusCode::FORBIDDEN, "{}", refuse.corps);
}

sur_les_deux_moteurs!(un_agent_enregistre_une_structure_et_voit_son_eligibilite);
async fn un_agent_enregistre_une_structure_et_voit_son_eligibilite() {
    let r = routeur().await;
    let (agent, csrf) = connecter(&r, "agent.81@demo.parentalite.fr").await;
    let base = "raison_sociale=Association+Tarn+Familles&rna=W811000099&statut=association_loi_1901&activite=generaliste&voie=3+place+du+Vigan&code_postal=81000&commune=81004&email=";
    let faux = post(
        &r,
        "/structures",
        Some(&agent),
        &format!("_csrf={csrf}&{base}&siret=12345678901234"),
    )
    .await;
    assert_eq!(faux.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(faux.corps.contains("id=\"siret-erreur\""), "{}", faux.corps);
    assert!(faux.corps.contains("value=\"12345678901234\""));
    assert!(faux.corps.contains("value=\"Association Tarn Familles\""));
    let siret = (0..10u64)
        .map(|k| format!("8123456780001{k}"))
        .find(|s| Siret::parse(s).is_ok())
        .unwrap();
    let ok = post(
        &r,
        "/structures",
        Some(&agent),
        &format!("_csrf={csrf}&{base}&siret={siret}"),
    )
    .await;
    assert_eq!(ok.statut, StatusCode::SEE_OTHER, "{}", ok.corps);
    let fiche_url = ok
        .entetes
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let id = fiche_url.rsplit('/').next().unwrap().to_owned();
    let rep = post(&r, &format!("/structures/{id}/intervenants"), Some(&agent), &format!("_csrf={csrf}&prenom=Alex&nom=Durand&diplome=conseiller_conjugal&statut=salarie&etp=0,5&contrat_debut=2024-01-01&casier=2024-01-10&heures_ap=10")).await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.corps);
    let fiche = get(&r, &fiche_url, Some(&agent)).await;
    assert!(
        fiche.corps.contains("Structure: à vérifier"),
        "{}",
        fiche.corps
    );
    assert!(
        fiche
            .corps
            .contains("il figure parmi les statuts éligibles")
    );
    assert!(
        fiche.corps.contains("Alex Durand: non éligible"),
        "{}",
        fiche.corps
    );
    // The same SIRET twice: refused, with the reason next to the field.
    let doublon = post(
        &r,
        "/structures",
        Some(&agent),
        &format!("_csrf={csrf}&{base}&siret={siret}"),
    )
    .await;
    assert_eq!(
        doublon.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        doublon.corps
    );
    // Another Caf cannot see it; a gestionnaire cannot register one.
    let (autre, _) = connecter(&r, "agent.30@demo.parentalite.fr").await;
    assert_eq!(
        get(&r, &fiche_url, Some(&autre)).await.statut,
        StatusCode::FORBIDDEN
    );
    let (gest, csrf_g) = connecter(&r, "gestionnaire.81.2@demo.parentalite.fr").await;
    let refuse = post(
        &r,
        "/structures",
        Some(&gest),
        &format!("_csrf={csrf_g}&{base}&siret={siret}"),
    )
    .await;
    assert_eq!(refuse.statut, StatusCode::FORBIDDEN, "{}", refuse.corps);
}

sur_les_deux_moteurs!(les_echanges_du_dossier_et_les_annotations_privees);
async fn les_echanges_du_dossier_et_les_annotations_privees() {
    let r = routeur().await;
    let (agent, csrf) = connecter(&r, "agent.79@demo.parentalite.fr").await;
    let (gest, csrf_g) = connecter(&r, "gestionnaire.79.4@demo.parentalite.fr").await;
    // Its dossier in the Deux-Sèvres for which a complement was asked.
    let dossier = dossiers_dans_l_etat(&r, &gest, "complement_demande")
        .await
        .into_iter()
        .next()
        .expect("un dossier en attente de complément");
    let messages = format!("{dossier}/messages");
    let rep = post(
        &r,
        &messages,
        Some(&agent),
        &format!("_csrf={csrf}&texte=Pouvez-vous+pr%C3%A9ciser+les+horaires+de+permanence%3F"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.corps);
    let rep = post(
        &r,
        &messages,
        Some(&agent),
        &format!("_csrf={csrf}&texte=Porteur+s%C3%A9rieux%2C+%C3%A0+soutenir&prive=1"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.corps);
    let vu_caf = Page::lire(&get(&r, &dossier, Some(&agent)).await.corps).texte("#echanges");
    assert!(
        vu_caf.contains("Pouvez-vous préciser les horaires de permanence?")
            && vu_caf.contains("Porteur sérieux, à soutenir"),
        "{vu_caf}"
    );
    let vu_porteur = get(&r, &dossier, Some(&gest)).await.corps;
    assert!(
        Page::lire(&vu_porteur)
            .texte("#echanges")
            .contains("Pouvez-vous préciser les horaires de permanence?"),
        "{vu_porteur}"
    );
    // Nowhere on its page, not only in the exchanges.
    assert!(
        !vu_porteur.contains("Porteur sérieux"),
        "une annotation privée a fuité"
    );
    let rep = post(
        &r,
        &messages,
        Some(&gest),
        &format!("_csrf={csrf_g}&texte=Le+mardi+et+le+jeudi"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.corps);
    let prive = post(
        &r,
        &messages,
        Some(&gest),
        &format!("_csrf={csrf_g}&texte=x&prive=1"),
    )
    .await;
    assert_eq!(prive.statut, StatusCode::FORBIDDEN);
    let vide = post(
        &r,
        &messages,
        Some(&agent),
        &format!("_csrf={csrf}&texte=+++"),
    )
    .await;
    assert_eq!(vide.statut, StatusCode::UNPROCESSABLE_ENTITY);
    // The refusal is said next to the field, inside the exchanges the page's script replaces,
    // and announced beside them; a sent message is confirmed.
    let echanges = vide.corps.split("<section id=\"echanges\"").nth(1).unwrap();
    assert!(echanges.contains("aria-invalid=\"true\""), "{echanges}");
    assert!(
        vide.corps
            .contains("role=\"status\" hx-swap-oob=\"innerHTML\">Message non envoyé : "),
        "{}",
        vide.corps
    );
    let envoye = get(&r, &format!("{dossier}?message=envoye"), Some(&agent)).await;
    assert!(envoye.corps.contains(">Message envoyé.</p>"));
    assert!(
        !get(&r, &dossier, Some(&agent))
            .await
            .corps
            .contains("Message envoyé.")
    );
    let (autre, csrf_a) = connecter(&r, "agent.85@demo.parentalite.fr").await;
    let rep = post(
        &r,
        &messages,
        Some(&autre),
        &format!("_csrf={csrf_a}&texte=intrus"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::FORBIDDEN);
    // Asked by the page's script, the error page takes the place of the page's main content.
    let mut req = Request::post(messages.as_str())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &autre)
        .header("HX-Request", "true");
    req = req.header("HX-Target", "echanges");
    let rep = envoyer(
        &r,
        req.body(Body::from(format!("_csrf={csrf_a}&texte=intrus")))
            .unwrap(),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::FORBIDDEN);
    assert_eq!(rep.entetes.get("hx-retarget").unwrap(), "#contenu");
    assert_eq!(rep.entetes.get("hx-reselect").unwrap(), "#contenu");
    // Without a session, the browser is sent to the login page, as without the script.
    let req = Request::post(messages.as_str())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("HX-Request", "true");
    let rep = envoyer(&r, req.body(Body::from("texte=perdu")).unwrap()).await;
    assert_eq!(rep.statut, StatusCode::OK);
    assert!(
        rep.entetes
            .get("hx-redirect")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("/connexion")
    );
    // A refused form is not an error page: it is placed where the script puts it.
    let mut req = Request::post(messages.as_str())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &agent)
        .header("HX-Request", "true");
    req = req.header("HX-Target", "echanges");
    let rep = envoyer(
        &r,
        req.body(Body::from(format!("_csrf={csrf}&texte=")))
            .unwrap(),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(rep.entetes.get("hx-retarget").is_none());
}

/// The figure of a card of the home page.
async fn carte_accueil(r: &axum::Router, cookie: &str, titre: &str) -> u32 {
    let page = get(r, "/", Some(cookie)).await.corps;
    u32::try_from(Page::lire(&page).chiffre_de_la_carte(titre)).unwrap()
}

sur_les_deux_moteurs!(les_messages_non_lus_sont_comptes_jusqu_a_leur_lecture);
async fn les_messages_non_lus_sont_comptes_jusqu_a_leur_lecture() {
    let r = routeur().await;
    // In the Tarn (81): a dossier under instruction whose applicant has written; another, of
    // gestionnaire 81.4, awaits a complement, asked by a message of the Caf beside a private
    // annotation.
    let (agent, _) = connecter(&r, "agent.81@demo.parentalite.fr").await;
    let (gest, csrf_g) = connecter(&r, "gestionnaire.81.4@demo.parentalite.fr").await;
    assert_eq!(carte_accueil(&r, &agent, "Messages non lus").await, 1);
    // The applicant does not count the annotation it cannot read.
    assert_eq!(carte_accueil(&r, &gest, "Messages non lus").await, 1);
    let liste = Page::lire(&get(&r, "/dossiers?non_lus=1", Some(&gest)).await.corps);
    assert_eq!(liste.texte("table caption"), "1 dossier(s)");
    let lignes = liste.lignes("table");
    assert_eq!(lignes.len(), 2, "{lignes:?}");
    // Its dossier awaiting a complement, and no other.
    let dossier = liste.attribut("table tbody a[href^='/dossiers/']", "href");
    assert_eq!(
        dossiers_dans_l_etat(&r, &gest, "complement_demande").await,
        std::slice::from_ref(&dossier)
    );
    let fiche = get(&r, &dossier, Some(&gest)).await.corps;
    assert_eq!(
        fiche
            .matches("<span class=\"badge\">Nouveau</span>")
            .count(),
        1
    );
    assert!(
        !fiche.contains("partenaire du Reaap"),
        "annotation privée lue par le porteur"
    );
    // Read: nothing new any more.
    assert_eq!(carte_accueil(&r, &gest, "Messages non lus").await, 0);
    let liste = Page::lire(&get(&r, "/dossiers?non_lus=1", Some(&gest)).await.corps);
    assert_eq!(liste.texte("table caption"), "0 dossier(s)");
    let fiche = get(&r, &dossier, Some(&gest)).await.corps;
    assert!(!fiche.contains("<span class=\"badge\">Nouveau</span>"));
    // The applicant's answer is new for the Caf, not for its author.
    let rep = post(
        &r,
        &format!("{dossier}/messages"),
        Some(&gest),
        &format!("_csrf={csrf_g}&texte=Le+budget+est+joint+au+projet."),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER);
    assert_eq!(carte_accueil(&r, &gest, "Messages non lus").await, 0);
    assert_eq!(carte_accueil(&r, &agent, "Messages non lus").await, 2);
    let fiche = get(&r, &dossier, Some(&agent)).await.corps;
    assert_eq!(
        fiche
            .matches("<span class=\"badge\">Nouveau</span>")
            .count(),
        1
    );
    assert_eq!(carte_accueil(&r, &agent, "Messages non lus").await, 1);
}

sur_les_deux_moteurs!(la_liste_des_dossiers_se_filtre_par_appel_commune_et_eligibilite);
async fn la_liste_des_dossiers_se_filtre_par_appel_commune_et_eligibilite() {
    let r = routeur().await;
    let (agent, _) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let compte = |corps: &str| {
        corps
            .split("<caption>")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    // The Isère's ten AIP dossiers but its draft, the gestionnaire's own until submitted, and
    // the twelve projects of the three sittings of its comité des financeurs.
    assert_eq!(
        compte(&get(&r, "/dossiers", Some(&agent)).await.corps),
        9 + 12
    );
    // Grenoble's only dossier is that draft; Meylan's is submitted.
    assert_eq!(
        compte(
            &get(&r, "/dossiers?commune=grenoble", Some(&agent))
                .await
                .corps
        ),
        0
    );
    assert_eq!(
        compte(
            &get(&r, "/dossiers?commune=meylan", Some(&agent))
                .await
                .corps
        ),
        1
    );
    assert_eq!(
        compte(&get(&r, "/dossiers?appel=1", Some(&agent)).await.corps),
        9
    );
    assert_eq!(
        compte(&get(&r, "/dossiers?appel=2", Some(&agent)).await.corps),
        0
    );
    assert_eq!(
        compte(
            &get(&r, "/dossiers?eligibilite=eligible", Some(&agent))
                .await
                .corps
        ),
        // The comité's projects of the other schemes have no AIP exclusion to meet.
        9 + 12
    );
    assert_eq!(
        compte(
            &get(&r, "/dossiers?eligibilite=non_eligible", Some(&agent))
                .await
                .corps
        ),
        0
    );
    let valides_a_meylan = get(&r, "/dossiers?etat=valide&commune=meylan", Some(&agent)).await;
    assert_eq!(compte(&valides_a_meylan.corps), 1);
    // The state links keep the other filters; the exports follow them all.
    assert!(
        valides_a_meylan
            .corps
            .contains("href=\"/dossiers?commune=meylan\"")
    );
    assert!(
        valides_a_meylan
            .corps
            .contains("href=\"/exports/dossiers.csv?etat=valide&amp;commune=meylan\"")
    );
    let csv = get(
        &r,
        "/exports/dossiers.csv?etat=valide&commune=meylan",
        Some(&agent),
    )
    .await;
    assert_eq!(csv.statut, StatusCode::OK);
    assert_eq!(
        colonne_csv(&csv.corps, "Commune du porteur"),
        ["Meylan"],
        "{}",
        csv.corps
    );
    let tout = get(&r, "/exports/dossiers.csv", Some(&agent)).await;
    assert_eq!(tout.corps.lines().count(), 1 + 9 + 12);
    // The form as a browser sends it, every field empty: no filter, no error.
    let vide = get(
        &r,
        "/dossiers?etat=&appel=&commune=&eligibilite=",
        Some(&agent),
    )
    .await;
    assert_eq!(vide.statut, StatusCode::OK);
    assert_eq!(compte(&vide.corps), 9 + 12);
    // A search by number, by words of the applicant's name (case and accents aside), and never
    // beyond the user's territory (dossier 13 is in the Gard).
    assert_eq!(
        compte(&get(&r, "/dossiers?q=3", Some(&agent)).await.corps),
        1
    );
    assert_eq!(
        compte(&get(&r, "/dossiers?q=n%C2%B03", Some(&agent)).await.corps),
        1
    );
    assert_eq!(
        compte(&get(&r, "/dossiers?q=13", Some(&agent)).await.corps),
        0
    );
    let par_nom = get(&r, "/dossiers?q=TILLEULS+c%C3%A9ntre", Some(&agent)).await;
    assert!(compte(&par_nom.corps) >= 1, "{}", par_nom.corps);
    assert!(
        par_nom
            .corps
            .contains("href=\"/exports/dossiers.csv?q=TILLEULS+c%C3%A9ntre\"")
    );
    assert_eq!(
        compte(
            &get(&r, "/dossiers?q=chemin+introuvable", Some(&agent))
                .await
                .corps
        ),
        0
    );
    // By SIRET, typed as the structure's page shows it (with spaces), or its SIREN alone.
    // Structure 2: the first one, in Grenoble, has only its draft.
    let fiche = get(&r, "/structures/2", Some(&agent)).await.corps;
    let siret = fiche
        .split("<dt>SIRET</dt><dd>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        siret.replace([' ', '\u{a0}', '\u{202f}'], "").len(),
        14,
        "{siret}"
    );
    let chiffres = siret.replace([' ', '\u{a0}', '\u{202f}'], "");
    let tape = format!(
        "{} {} {} {}",
        &chiffres[..3],
        &chiffres[3..6],
        &chiffres[6..9],
        &chiffres[9..]
    );
    let par_siret = get(
        &r,
        &format!("/dossiers?q={}", tape.replace(' ', "+")),
        Some(&agent),
    )
    .await;
    assert_eq!(compte(&par_siret.corps), 1, "{siret}");
    // Its SIREN finds it too (with the other establishments of the same company, if any).
    assert!(
        compte(
            &get(&r, &format!("/dossiers?q={}", &chiffres[..9]), Some(&agent))
                .await
                .corps
        ) >= 1
    );
    // Sorted by a column, in either order; the exports follow the order.
    let numeros = |corps: &str| -> Vec<i64> {
        corps
            .split("<tbody>")
            .nth(1)
            .unwrap()
            .split("<a href=\"/dossiers/")
            .skip(1)
            .map(|x| x.split('"').next().unwrap().parse().unwrap())
            .collect()
    };
    let par_defaut = get(&r, "/dossiers", Some(&agent)).await.corps;
    // Dossier 1 is the Isère's draft; 101 to 112 are the projects of its comité des financeurs.
    let isere: Vec<i64> = (2..=10).chain(101..=112).collect();
    assert_eq!(numeros(&par_defaut), isere);
    assert!(par_defaut.contains("<th scope=\"col\" aria-sort=\"ascending\"><a id=\"tri-numero\" href=\"/dossiers?tri=-numero\""));
    let inverse = get(&r, "/dossiers?tri=-numero", Some(&agent)).await.corps;
    assert_eq!(
        numeros(&inverse),
        isere.iter().rev().copied().collect::<Vec<i64>>()
    );
    assert!(inverse.contains("aria-sort=\"descending\"><a id=\"tri-numero\""));
    assert!(inverse.contains("href=\"/exports/dossiers.csv?tri=-numero\""));
    let csv = get(&r, "/exports/dossiers.csv?tri=-numero", Some(&agent))
        .await
        .corps;
    assert!(csv.lines().nth(1).unwrap().starts_with("112;"), "{csv}");
    let par_etat = get(&r, "/dossiers?tri=etat", Some(&agent)).await.corps;
    let etats: Vec<String> = Page::lire(&par_etat)
        .tous("tbody .etiquette")
        .into_iter()
        .map(commun::texte)
        .collect();
    assert_eq!(
        etats.first().map(String::as_str),
        Some("déposé"),
        "{etats:?}"
    );
    assert_eq!(
        etats.last().map(String::as_str),
        Some("classé sans suite"),
        "{etats:?}"
    );
    assert_eq!(numeros(&par_etat).len(), 9 + 12);
    // Values that name nothing are no filter either.
    assert_eq!(
        compte(
            &get(&r, "/dossiers?appel=x&etat=perdu", Some(&agent))
                .await
                .corps
        ),
        9 + 12
    );
    // Asked by the page's script: the same page, and the address to show, without empty fields.
    let mut req = Request::get("/dossiers?etat=valide&appel=&commune=Meylan&eligibilite=");
    req = req
        .header(header::COOKIE, &agent)
        .header("HX-Request", "true");
    let partielle = envoyer(&r, req.body(Body::empty()).unwrap()).await;
    assert_eq!(partielle.statut, StatusCode::OK);
    assert_eq!(
        partielle.entetes.get("hx-push-url").unwrap(),
        "/dossiers?etat=valide&commune=Meylan"
    );
    assert!(partielle.corps.contains("1 dossier trouvé<"));
    assert!(partielle.corps.contains("id=\"resultats\""));
}

sur_les_deux_moteurs!(la_cnaf_repartit_l_enveloppe_et_elle_seule);
async fn la_cnaf_repartit_l_enveloppe_et_elle_seule() {
    let r = routeur().await;
    let (cnaf, csrf) = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let page = get(&r, "/enveloppes", Some(&cnaf)).await;
    assert!(page.corps.contains("Répartir l'enveloppe nationale"));
    let rep = post(
        &r,
        "/enveloppes",
        Some(&cnaf),
        &format!("_csrf={csrf}&departement=52&montant=250+000"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.corps);
    assert!(
        get(&r, "/enveloppes", Some(&cnaf))
            .await
            .corps
            .contains("250\u{202f}000,00\u{a0}€")
    );
    // Beyond the 3 M€: refused with the reason.
    let trop = post(
        &r,
        "/enveloppes",
        Some(&cnaf),
        &format!("_csrf={csrf}&departement=52&montant=2+000+000"),
    )
    .await;
    assert_eq!(
        trop.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        trop.corps
    );
    assert!(trop.corps.contains("enveloppe nationale"), "{}", trop.corps);
    let (agent, csrf_a) = connecter(&r, "agent.52@demo.parentalite.fr").await;
    assert!(
        !get(&r, "/enveloppes", Some(&agent))
            .await
            .corps
            .contains("Répartir")
    );
    let refuse = post(
        &r,
        "/enveloppes",
        Some(&agent),
        &format!("_csrf={csrf_a}&departement=52&montant=1"),
    )
    .await;
    assert_eq!(refuse.statut, StatusCode::FORBIDDEN);
}

sur_les_deux_moteurs!(le_porteur_complete_son_projet_puis_le_redepose);
async fn le_porteur_complete_son_projet_puis_le_redepose() {
    let r = routeur().await;
    // Its dossier for which the Caf asked for a complement.
    let (gest, csrf) = connecter(&r, "gestionnaire.38.4@demo.parentalite.fr").await;
    let dossier = dossiers_dans_l_etat(&r, &gest, "complement_demande")
        .await
        .into_iter()
        .next()
        .expect("un dossier en attente de complément");
    let fiche = Page::lire(&get(&r, &dossier, Some(&gest)).await.corps);
    assert_eq!(
        fiche.attribut("form[action$='/projet']", "action"),
        format!("{dossier}/projet")
    );
    let version = fiche.attribut("form[action$='/projet'] input[name=version]", "value");
    let projet = format!("{dossier}/projet");
    let champs = "intitule=Accompagnement+individuel&moyens=Deux+psychologues&etp_demandes=1%2C5&modalites_evaluation=Trame+nationale&diagnostic_local=Besoins+av%C3%A9r%C3%A9s&partenaires=CCAS%2C+PMI&information_familles=Affiches";
    // A wrong FTE: refused next to the field, what was typed is kept.
    let faux = post(
        &r,
        &projet,
        Some(&gest),
        &format!(
            "_csrf={csrf}&version={version}&objectifs=Accueillir&{}",
            champs.replace("etp_demandes=1%2C5", "etp_demandes=beaucoup")
        ),
    )
    .await;
    assert_eq!(
        faux.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        faux.corps
    );
    let refus = Page::lire(&faux.corps);
    assert_eq!(refus.texte("textarea[name=moyens]"), "Deux psychologues");
    assert!(!refus.texte("#etp_demandes-erreur").is_empty());
    assert_eq!(
        refus.attribut("input[name=etp_demandes]", "value"),
        "beaucoup"
    );
    let ok = post(
        &r,
        &projet,
        Some(&gest),
        &format!("_csrf={csrf}&version={version}&objectifs=Accueillir+les+parents&{champs}"),
    )
    .await;
    assert_eq!(ok.statut, StatusCode::SEE_OTHER, "{}", ok.corps);
    let fiche = Page::lire(&get(&r, &dossier, Some(&gest)).await.corps);
    assert_eq!(
        fiche.texte("textarea[name=objectifs]"),
        "Accueillir les parents"
    );
    let deposer = formulaire_d_action(&fiche, "deposer");
    let version = deposer
        .select(&selecteur("input[name=version]"))
        .next()
        .and_then(|x| x.value().attr("value"))
        .unwrap()
        .to_owned();
    let depose = post(
        &r,
        &format!("{dossier}/action"),
        Some(&gest),
        &format!("_csrf={csrf}&action=deposer&version={version}"),
    )
    .await;
    assert_eq!(depose.statut, StatusCode::SEE_OTHER, "{}", depose.corps);
    // Its state, as the page labels it.
    assert_eq!(
        Page::lire(&get(&r, &dossier, Some(&gest)).await.corps).texte("h1 + p .etiquette"),
        "déposé"
    );
    // Another structure cannot touch it.
    let (autre, csrf_a) = connecter(&r, "gestionnaire.38.5@demo.parentalite.fr").await;
    let rep = post(
        &r,
        &projet,
        Some(&autre),
        &format!("_csrf={csrf_a}&objectifs=x&{champs}"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::FORBIDDEN);
}

sur_les_deux_moteurs!(un_projet_ne_se_depose_qu_en_reponse_a_un_appel_ouvert);
async fn un_projet_ne_se_depose_qu_en_reponse_a_un_appel_ouvert() {
    let r = routeur().await;
    let (gest, csrf) = connecter(&r, "gestionnaire.30.3@demo.parentalite.fr").await;
    let page = get(&r, "/dossiers/nouveau", Some(&gest)).await;
    assert_eq!(page.statut, StatusCode::OK);
    // The experiment's calls closed in January 2024.
    assert!(
        page.corps.contains("Aucun appel à projets n'est ouvert"),
        "{}",
        page.corps
    );
    let rep = post(
        &r,
        "/dossiers/nouveau",
        Some(&gest),
        &format!("_csrf={csrf}&appel=2&intitule=Nouveau+projet&objectifs=Accueillir&moyens=Une+psychologue&etp_demandes=1&debut=2024-03-01&fin=2025-12-31&charges=60000&produits=60000&modalites_evaluation=Trame&diagnostic_local=Besoins&partenaires=CCAS&information_familles=Affiches"),
    )
    .await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.corps
    );
    assert!(
        rep.corps.contains("Créer un dossier"),
        "la raison du refus est affichée: {}",
        rep.corps
    );
    let (agent, _) = connecter(&r, "agent.30@demo.parentalite.fr").await;
    assert_eq!(
        get(&r, "/dossiers/nouveau", Some(&agent)).await.statut,
        StatusCode::FORBIDDEN
    );
}

sur_les_deux_moteurs!(aucune_fiche_de_dossier_n_est_visible_hors_du_role_et_du_territoire);
async fn aucune_fiche_de_dossier_n_est_visible_hors_du_role_et_du_territoire() {
    let r = routeur().await;
    // Dossiers are numbered by département in the order of the experiment's list, ten each,
    // the i-th of each in the state of index i (see app::demo).
    let departements = ["38", "30", "33", "52", "56", "59", "78", "79", "81", "85"];
    // A funder sees what reached the comité: presented (4), refused (5), validated (7 to 9).
    let vus_par_financeur = [4usize, 5, 7, 8, 9];
    for (email, regle) in [
        ("cnaf@demo.parentalite.fr", "cnaf"),
        ("agent.56@demo.parentalite.fr", "caf"),
        ("financeur.56@demo.parentalite.fr", "financeur"),
        ("gestionnaire.56.3@demo.parentalite.fr", "gestionnaire"),
        ("intervenant.56@demo.parentalite.fr", "intervenant"),
    ] {
        let (cookie, _) = connecter(&r, email).await;
        for id in 1..=100usize {
            let dep = departements[(id - 1) / 10];
            let rang = (id - 1) % 10;
            let attendu = match regle {
                "cnaf" => true,
                "caf" => dep == "56",
                "financeur" => dep == "56" && vus_par_financeur.contains(&rang),
                "gestionnaire" => dep == "56" && rang == 2,
                _ => dep == "56" && rang == 8,
            };
            let statut = get(&r, &format!("/dossiers/{id}"), Some(&cookie))
                .await
                .statut;
            assert_eq!(
                statut == StatusCode::OK,
                attendu,
                "{email} sur le dossier {id}: {statut}"
            );
            if !attendu {
                assert_eq!(statut, StatusCode::FORBIDDEN, "{email} sur le dossier {id}");
            }
        }
    }
}

sur_les_deux_moteurs!(aucune_structure_ni_convention_n_est_visible_hors_du_role_et_du_territoire);
async fn aucune_structure_ni_convention_n_est_visible_hors_du_role_et_du_territoire() {
    let r = routeur().await;
    // Structures are numbered by département in the order of the experiment's list, ten each;
    // the conventions, three per département, are those of the dossiers of rank 7 to 9, whose
    // structures are the 8th to the 10th of the département (see app::demo).
    let departements = ["38", "30", "33", "52", "56", "59", "78", "79", "81", "85"];
    let structure = |id: usize| (departements[(id - 1) / 10], id);
    let convention = |id: usize| {
        let d = (id - 1) / 3;
        (departements[d], d * 10 + 8 + (id - 1) % 3)
    };
    for (email, regle, siennes) in [
        ("cnaf@demo.parentalite.fr", "cnaf", &[][..]),
        ("agent.56@demo.parentalite.fr", "territoire", &[]),
        ("financeur.56@demo.parentalite.fr", "territoire", &[]),
        ("gestionnaire.56.3@demo.parentalite.fr", "structure", &[43]),
        ("gestionnaire.56.9@demo.parentalite.fr", "structure", &[49]),
        ("intervenant.56@demo.parentalite.fr", "structure", &[49]),
    ] {
        let (cookie, _) = connecter(&r, email).await;
        let attendu = |(dep, g): (&str, usize)| match regle {
            "cnaf" => true,
            "territoire" => dep == "56",
            _ => siennes.contains(&g),
        };
        let mut pages: Vec<(String, bool)> = (1..=100)
            .map(|id| (format!("/structures/{id}"), attendu(structure(id))))
            .collect();
        for id in 1..=30 {
            let vue = attendu(convention(id));
            pages.push((format!("/conventions/{id}"), vue));
            pages.push((format!("/conventions/{id}/convention.pdf"), vue));
        }
        let mut vues = 0;
        for (chemin, vue) in pages {
            let statut = get(&r, &chemin, Some(&cookie)).await.statut;
            let attendu = if vue {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(statut, attendu, "{email} sur {chemin}");
            vues += usize::from(vue);
        }
        // Each account sees something, so that the rule above is not vacuous.
        assert!(vues > 0, "{email} ne voit rien");
    }
}

/// The value of `name="…"` after `apres` in a page.
/// A refused form: 422, the message next to the field `id` (tied to it by `aria-describedby`),
/// the summary linking to it, and what was typed (`garde`) still in the page.
#[track_caller]
fn refus_a_cote(rep: &Reponse, id: &str, garde: &[&str]) {
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{id}: {}",
        rep.corps
    );
    let page = Page::lire(&rep.corps);
    assert!(
        !page.texte(&format!("#{id}-erreur")).is_empty(),
        "{id}: message vide"
    );
    assert!(
        !page
            .tous(&format!("[role=alert] a[href='#{id}']"))
            .is_empty(),
        "{id}: pas de lien dans le résumé: {}",
        rep.corps
    );
    let champ = page.un(&format!("#{id}"));
    assert_eq!(
        champ.value().attr("aria-invalid"),
        Some("true"),
        "{id}: {}",
        champ.html()
    );
    assert!(
        champ
            .value()
            .attr("aria-describedby")
            .is_some_and(|d| d.split(' ').any(|x| x == format!("{id}-erreur"))),
        "{id}: {}",
        champ.html()
    );
    assert!(rep.corps.contains("<title>Erreur – "), "{id}");
    for g in garde {
        assert!(rep.corps.contains(g), "{id}: « {g} » perdu: {}", rep.corps);
    }
}

sur_les_deux_moteurs!(la_connexion_exige_le_jeton_de_son_formulaire);
async fn la_connexion_exige_le_jeton_de_son_formulaire() {
    let r = routeur().await;
    let mdp = encoder(&demo().mots_de_passe["agent.33@demo.parentalite.fr"]);
    let identifiants = format!("email=agent.33%40demo.parentalite.fr&mot_de_passe={mdp}");
    // No token, a token without its cookie, a cookie without its token, a wrong token: refused,
    // even with the right password.
    let (cookie, jeton) = formulaire_connexion(&r).await;
    assert!(cookie.starts_with("parentalite_connexion="));
    for (c, corps) in [
        (None, identifiants.clone()),
        (None, format!("_csrf={jeton}&{identifiants}")),
        (Some(cookie.as_str()), identifiants.clone()),
        (Some(cookie.as_str()), format!("_csrf=faux&{identifiants}")),
    ] {
        let rep = post(&r, "/connexion", c, &corps).await;
        assert_eq!(rep.statut, StatusCode::FORBIDDEN, "{corps}");
        assert!(
            rep.entetes.get(header::SET_COOKIE).is_none(),
            "aucune session ouverte"
        );
    }
    // The page's own token goes through, and the login form's cookie is removed.
    let ok = post(
        &r,
        "/connexion",
        Some(&cookie),
        &format!("_csrf={jeton}&{identifiants}"),
    )
    .await;
    assert_eq!(ok.statut, StatusCode::SEE_OTHER, "{}", ok.corps);
    let cookies: Vec<&str> = ok
        .entetes
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("parentalite_session="))
    );
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("parentalite_connexion=;") && c.contains("Max-Age=0"))
    );
    // A missing password: said next to its field, the address kept.
    let vide = poster_connexion(&r, "email=agent.33%40demo.parentalite.fr&mot_de_passe=").await;
    refus_a_cote(
        &vide,
        "mot_de_passe",
        &["value=\"agent.33@demo.parentalite.fr\""],
    );
}

sur_les_deux_moteurs!(chaque_formulaire_montre_l_erreur_a_cote_du_champ_et_garde_la_saisie);
async fn chaque_formulaire_montre_l_erreur_a_cote_du_champ_et_garde_la_saisie() {
    let r = routeur().await;
    // Structures: a site and an intervenant of an Isère structure, gestionnaire 38.3's.
    let (gest, csrf) = connecter(&r, "gestionnaire.38.3@demo.parentalite.fr").await;
    let structures = Page::lire(&get(&r, "/structures", Some(&gest)).await.corps);
    let structure = structures.attribut("table tbody a[href^='/structures/']", "href");
    let lieux = format!("{structure}/lieux");
    let intervenants = format!("{structure}/intervenants");
    let lieu = post(&r, &lieux, Some(&gest), &format!("_csrf={csrf}&nom_lieu=Antenne+du+Vercors&voie_lieu=2+place+du+Village&code_postal_lieu=38250&commune_lieu=38999x&visio=1")).await;
    refus_a_cote(
        &lieu,
        "commune_lieu",
        &["value=\"Antenne du Vercors\"", "value=\"38999x\""],
    );
    let lieu = post(&r, &lieux, Some(&gest), &format!("_csrf={csrf}&nom_lieu=Antenne+du+Vercors&voie_lieu=2+place+du+Village&code_postal_lieu=38250&commune_lieu=38185")).await;
    refus_a_cote(&lieu, "rdv", &["value=\"Antenne du Vercors\""]);
    let interv = post(&r, &intervenants, Some(&gest), &format!("_csrf={csrf}&prenom=Lou&nom=Perrin&diplome=psychologue&statut=salarie&etp=trois&casier=&heures_ap=10")).await;
    refus_a_cote(&interv, "etp", &["value=\"Lou\"", "value=\"trois\""]);
    let interv = post(
        &r,
        &intervenants,
        Some(&gest),
        &format!("_csrf={csrf}&prenom=Lou&nom=&diplome=psychologue&statut=salarie&etp=0,5&contrat_debut=2024-01-01"),
    )
    .await;
    refus_a_cote(&interv, "nom", &["value=\"Lou\""]);
    // A new project for the open call: every error at once, each next to its field.
    let appel = Page::lire(&get(&r, "/dossiers/nouveau", Some(&gest)).await.corps)
        .attribut("select[name=appel] option[value]", "value");
    let projet = post(&r, "/dossiers/nouveau", Some(&gest), &format!("_csrf={csrf}&appel={appel}&intitule=Parents+en+montagne&objectifs=Accueillir&etp_demandes=beaucoup&debut=2027-01-01&fin=31%2F12%2F2027&charges=1000&produits=1000")).await;
    refus_a_cote(
        &projet,
        "etp_demandes",
        &["value=\"Parents en montagne\"", ">Accueillir</textarea>"],
    );
    refus_a_cote(&projet, "fin", &["value=\"31/12/2027\""]);
    // A declaration and a bilan of a signed convention, gestionnaire 38.9's.
    let (gest9, csrf9) = connecter(&r, "gestionnaire.38.9@demo.parentalite.fr").await;
    let signee = conventions_dans_l_etat(&r, &gest9, "signée")
        .await
        .into_iter()
        .next()
        .expect("une convention signée");
    let action_convention = format!("{signee}/action");
    let decl = post(&r, &action_convention, Some(&gest9), &format!("_csrf={csrf9}&action=saisir_declaration&nature=reelle&exercice=2025&depenses=beaucoup&etp_declares=0%2C75&mois=12&entretiens=10&parents=5&heures=10")).await;
    refus_a_cote(&decl, "depenses", &["value=\"beaucoup\"", "value=\"0,75\""]);
    let bilan = post(&r, &action_convention, Some(&gest9), &format!("_csrf={csrf9}&action=saisir_bilan&exercice_bilan=2025&familles=cent&entretiens_bilan=10&heures_ap=10&synthese=Une+ann%C3%A9e+riche")).await;
    refus_a_cote(
        &bilan,
        "familles",
        &["value=\"cent\"", ">Une année riche</textarea>"],
    );
    // The Caf: a date of comité, a complement without its motive, a decision, a convention, a
    // signature, on Isère's dossiers in instruction, presented, and validated without a
    // convention yet, and a convention drafted.
    let (agent, csrf_a) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let en_instruction = dossiers_dans_l_etat(&r, &agent, "en_instruction").await[0].clone();
    let presente = dossiers_dans_l_etat(&r, &agent, "presente_en_comite").await[0].clone();
    let mut sans_convention = None;
    for d in dossiers_dans_l_etat(&r, &agent, "valide").await {
        let page = Page::lire(&get(&r, &d, Some(&agent)).await.corps);
        if !page.tous("input[name=action][value=convention]").is_empty() {
            sans_convention = Some(d);
            break;
        }
    }
    let sans_convention = sans_convention.expect("un dossier validé sans convention");
    let projet_de_convention = conventions_dans_l_etat(&r, &agent, "projet")
        .await
        .into_iter()
        .next()
        .expect("une convention en projet");
    let presenter = post(
        &r,
        &format!("{en_instruction}/action"),
        Some(&agent),
        &format!("_csrf={csrf_a}&action=presenter&date_comite=lundi"),
    )
    .await;
    refus_a_cote(&presenter, "presenter-date_comite", &["value=\"lundi\""]);
    let complement = post(
        &r,
        &format!("{en_instruction}/action"),
        Some(&agent),
        &format!("_csrf={csrf_a}&action=complement&motif=+++"),
    )
    .await;
    refus_a_cote(&complement, "complement-motif", &[]);
    assert!(complement.corps.contains("motif est obligatoire"));
    let decider = post(&r, &format!("{presente}/action"), Some(&agent), &format!("_csrf={csrf_a}&action=decider&issue=valide&etp_notifies=deux&date_effet=2024-03-01&montant_caf=12+000&motivation=Projet+solide")).await;
    refus_a_cote(
        &decider,
        "decider-etp_notifies",
        &[
            "value=\"deux\"",
            "value=\"12 000\"",
            ">Projet solide</textarea>",
        ],
    );
    let convention = post(
        &r,
        &format!("{sans_convention}/action"),
        Some(&agent),
        &format!(
            "_csrf={csrf_a}&action=convention&numero=COF-38-TEST&debut=2024-03-01&fin=bient%C3%B4t"
        ),
    )
    .await;
    refus_a_cote(
        &convention,
        "convention-fin",
        &["value=\"COF-38-TEST\"", "value=\"bientôt\""],
    );
    let signer = post(
        &r,
        &format!("{projet_de_convention}/action"),
        Some(&agent),
        &format!("_csrf={csrf_a}&action=signer&date_signature=hier"),
    )
    .await;
    refus_a_cote(&signer, "date_signature", &["value=\"hier\""]);
    let message = post(
        &r,
        &format!("{en_instruction}/messages"),
        Some(&agent),
        &format!("_csrf={csrf_a}&texte=++&prive=1"),
    )
    .await;
    refus_a_cote(&message, "texte", &["checked"]);
    // A funder's share, on a validated dossier without the département's share yet (the last
    // one: another test records its share on the first).
    let (fin, csrf_f) = connecter(&r, "financeur.38@demo.parentalite.fr").await;
    let mut sans_part = None;
    for d in dossiers_dans_l_etat(&r, &fin, "valide")
        .await
        .into_iter()
        .rev()
    {
        let page = Page::lire(&get(&r, &d, Some(&fin)).await.corps);
        if let Some(decision) = page.tous("input[name=decision]").first() {
            sans_part = Some((d, decision.value().attr("value").unwrap().to_owned()));
            break;
        }
    }
    let (avec_part, decision) = sans_part.expect("un dossier validé sans la part du département");
    let part = post(&r, &format!("{avec_part}/action"), Some(&fin), &format!("_csrf={csrf_f}&action=part&decision={decision}&avis=accorde&montant_part=dix+mille&motivation=Soutien")).await;
    refus_a_cote(
        &part,
        "part-montant_part",
        &["value=\"dix mille\"", ">Soutien</textarea>"],
    );
    // The Cnaf's allocation, and a token's name.
    let (cnaf, csrf_c) = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let allocation = post(
        &r,
        "/enveloppes",
        Some(&cnaf),
        &format!("_csrf={csrf_c}&departement=79&montant=beaucoup"),
    )
    .await;
    refus_a_cote(
        &allocation,
        "montant",
        &["value=\"beaucoup\"", "value=\"79\" selected"],
    );
    let long = "x".repeat(81);
    let jeton = post(
        &r,
        "/profil/jetons",
        Some(&cnaf),
        &format!("_csrf={csrf_c}&libelle={long}"),
    )
    .await;
    refus_a_cote(&jeton, "libelle", &[&format!("value=\"{long}\"")]);
}

sur_les_deux_moteurs!(un_gestionnaire_inscrit_sa_structure_puis_ses_lieux_et_intervenants);
async fn un_gestionnaire_inscrit_sa_structure_puis_ses_lieux_et_intervenants() {
    let r = routeur().await;
    let (gest, csrf) = connecter(&r, "gestionnaire.nouveau@demo.parentalite.fr").await;
    let accueil = get(&r, "/", Some(&gest)).await;
    assert!(
        accueil.corps.contains("Inscrire ma structure"),
        "{}",
        accueil.corps
    );
    assert!(
        get(&r, "/dossiers/nouveau", Some(&gest))
            .await
            .corps
            .contains("aucune structure")
    );
    let page = get(&r, "/structures/inscription", Some(&gest)).await;
    assert_eq!(page.statut, StatusCode::OK);
    let siret = (0..10u64)
        .map(|k| format!("5212345670001{k}"))
        .find(|s| Siret::parse(s).is_ok())
        .unwrap();
    let base = "raison_sociale=Maison+des+familles+de+Chaumont&statut=association_loi_1901&activite=generaliste&voie=4+rue+Victoire+de+la+Marne&code_postal=52000&commune=52121&email=";
    // A wrong key, an RNA missing for an association, a département that is not the commune's:
    // each next to its field, everything typed kept.
    let faux = post(
        &r,
        "/structures/inscription",
        Some(&gest),
        &format!("_csrf={csrf}&{base}&siret=52123456700011&rna=W52&departement=38"),
    )
    .await;
    refus_a_cote(
        &faux,
        "siret",
        &[
            "value=\"Maison des familles de Chaumont\"",
            "value=\"52123456700011\"",
        ],
    );
    refus_a_cote(&faux, "rna", &["value=\"W52\""]);
    refus_a_cote(&faux, "departement", &["value=\"38\""]);
    // The eligibility of the status and activity chosen is shown as the Caf will judge it.
    assert!(
        faux.corps
            .contains("Éligibilité du statut et de l'activité choisis")
    );
    let sans_rna = post(
        &r,
        "/structures/inscription",
        Some(&gest),
        &format!("_csrf={csrf}&{base}&siret={siret}&rna=&departement=52"),
    )
    .await;
    refus_a_cote(&sans_rna, "rna", &[]);
    assert!(sans_rna.corps.contains("RNA est obligatoire"));
    let ok = post(
        &r,
        "/structures/inscription",
        Some(&gest),
        &format!("_csrf={csrf}&{base}&siret={siret}&rna=W521000777&departement=52"),
    )
    .await;
    assert_eq!(ok.statut, StatusCode::SEE_OTHER, "{}", ok.corps);
    let fiche_url = ok
        .entetes
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    // The user is attached to it: it sees it in its list, and nobody else's.
    let liste = get(&r, "/structures", Some(&gest)).await;
    assert!(liste.corps.contains("Maison des familles de Chaumont"));
    assert!(liste.corps.contains("1 gestionnaire(s)"), "{}", liste.corps);
    let lieu = post(&r, &format!("{fiche_url}/lieux"), Some(&gest), &format!("_csrf={csrf}&nom_lieu=Point+%C3%A9coute+parents&voie_lieu=4+rue+Victoire+de+la+Marne&code_postal_lieu=52000&commune_lieu=52121&rdv=1&sans_rdv=1")).await;
    assert_eq!(lieu.statut, StatusCode::SEE_OTHER, "{}", lieu.corps);
    let interv = post(&r, &format!("{fiche_url}/intervenants"), Some(&gest), &format!("_csrf={csrf}&prenom=Lina&nom=Roussel&diplome=psychologue&statut=salarie&etp=0%2C8&contrat_debut=2026-09-01&casier=2026-09-01&heures_ap=12&experience=1")).await;
    assert_eq!(interv.statut, StatusCode::SEE_OTHER, "{}", interv.corps);
    let fiche = get(&r, &fiche_url, Some(&gest)).await;
    assert!(
        fiche.corps.contains("Point écoute parents"),
        "{}",
        fiche.corps
    );
    assert!(fiche.corps.contains("Lina Roussel: "), "{}", fiche.corps);
    assert!(
        fiche
            .corps
            .contains("Éligibilité, telle que la Caf l'examinera")
    );
    // The Caf of its département sees it; another does not.
    let (agent, _) = connecter(&r, "agent.52@demo.parentalite.fr").await;
    assert_eq!(
        get(&r, &fiche_url, Some(&agent)).await.statut,
        StatusCode::OK
    );
    let (autre, _) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    assert_eq!(
        get(&r, &fiche_url, Some(&autre)).await.statut,
        StatusCode::FORBIDDEN
    );
    // An agent registers structures from the list, not from this page.
    assert_eq!(
        get(&r, "/structures/inscription", Some(&agent))
            .await
            .statut,
        StatusCode::FORBIDDEN
    );
}

sur_les_deux_moteurs!(un_gestionnaire_depose_un_projet_a_l_appel_ouvert_puis_signe_sa_convention);
async fn un_gestionnaire_depose_un_projet_a_l_appel_ouvert_puis_signe_sa_convention() {
    let d = demo_a_part();
    let r = routeur_sur(d).await;
    let (gest, csrf) = connecter_sur(&r, d, "gestionnaire.38.2@demo.parentalite.fr").await;
    let page = get(&r, "/dossiers/nouveau", Some(&gest)).await;
    assert!(page.corps.contains("Nouvelle vague"), "{}", page.corps);
    let appel = Page::lire(&page.corps).attribut("select[name=appel] option[value]", "value");
    let annee = d.aujourd_hui.year() + 1;
    let cree = post(&r, "/dossiers/nouveau", Some(&gest), &format!("_csrf={csrf}&appel={appel}&intitule=Groupes+de+parole+parents&objectifs=Rompre+l%27isolement+des+parents&moyens=Une+animatrice+dipl%C3%B4m%C3%A9e&etp_demandes=0%2C5&debut={annee}-01-01&fin={annee}-12-31&charges=30000&produits=30000&modalites_evaluation=Questionnaire&diagnostic_local=Besoins+relev%C3%A9s+par+la+PMI&partenaires=PMI%2C+%C3%A9coles&information_familles=Affiches")).await;
    assert_eq!(cree.statut, StatusCode::SEE_OTHER, "{}", cree.corps);
    let url = cree
        .entetes
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let fiche = get(&r, &url, Some(&gest)).await;
    let version = formulaire_d_action(&Page::lire(&fiche.corps), "deposer")
        .select(&selecteur("input[name=version]"))
        .next()
        .and_then(|x| x.value().attr("value"))
        .unwrap()
        .to_owned();
    let depose = post(
        &r,
        &format!("{url}/action"),
        Some(&gest),
        &format!("_csrf={csrf}&action=deposer&version={version}"),
    )
    .await;
    assert_eq!(depose.statut, StatusCode::SEE_OTHER, "{}", depose.corps);
    // The Caf instructs, presents, decides and draws up the convention.
    let (agent, csrf_a) = connecter_sur(&r, d, "agent.38@demo.parentalite.fr").await;
    let aujourd_hui = d.aujourd_hui;
    for corps in [
        "action=instruire".to_owned(),
        format!("action=presenter&date_comite={aujourd_hui}"),
        format!(
            "action=decider&issue=valide&etp_notifies=0%2C5&date_effet={annee}-01-01&montant_caf=10000&motivation=Besoin+av%C3%A9r%C3%A9"
        ),
        format!(
            "action=convention&numero=COF-38-REAAP-{annee}&debut={annee}-01-01&fin={annee}-12-31"
        ),
    ] {
        let rep = post(
            &r,
            &format!("{url}/action"),
            Some(&agent),
            &format!("_csrf={csrf_a}&{corps}"),
        )
        .await;
        assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{corps}: {}", rep.corps);
    }
    // The gestionnaire sees it to sign, reads the PDF, and must tick its acceptance.
    assert!(
        get(&r, "/", Some(&gest))
            .await
            .corps
            .contains("Conventions à signer")
    );
    let liste = get(&r, "/conventions", Some(&gest)).await;
    let numero = format!("COF-38-REAAP-{annee}");
    let cid = liste
        .corps
        .split(&format!("\">{numero}</a>"))
        .next()
        .unwrap()
        .rsplit("/conventions/")
        .next()
        .unwrap()
        .to_owned();
    let conv = get(&r, &format!("/conventions/{cid}"), Some(&gest)).await;
    assert!(conv.corps.contains("Convention à signer"), "{}", conv.corps);
    let pdf = get(
        &r,
        &format!("/conventions/{cid}/convention.pdf"),
        Some(&gest),
    )
    .await;
    assert_eq!(pdf.statut, StatusCode::OK);
    let cible = format!("/conventions/{cid}/action");
    let sans = post(
        &r,
        &cible,
        Some(&gest),
        &format!("_csrf={csrf}&action=signer_gestionnaire"),
    )
    .await;
    refus_a_cote(&sans, "accepte", &[]);
    let signe = post(
        &r,
        &cible,
        Some(&gest),
        &format!("_csrf={csrf}&action=signer_gestionnaire&accepte=1"),
    )
    .await;
    assert_eq!(signe.statut, StatusCode::SEE_OTHER, "{}", signe.corps);
    let conv = get(&r, &format!("/conventions/{cid}"), Some(&gest)).await;
    assert!(
        conv.corps.contains("Signée par la structure")
            && conv.corps.contains("en attente de la contresignature"),
        "{}",
        conv.corps
    );
    // Twice: refused.
    let encore = post(
        &r,
        &cible,
        Some(&gest),
        &format!("_csrf={csrf}&action=signer_gestionnaire&accepte=1"),
    )
    .await;
    assert_eq!(encore.statut, StatusCode::UNPROCESSABLE_ENTITY);
    // Another structure cannot sign it; the Caf countersigns.
    let (autre, csrf_o) = connecter_sur(&r, d, "gestionnaire.38.3@demo.parentalite.fr").await;
    let intrus = post(
        &r,
        &cible,
        Some(&autre),
        &format!("_csrf={csrf_o}&action=signer_gestionnaire&accepte=1"),
    )
    .await;
    assert_eq!(intrus.statut, StatusCode::FORBIDDEN);
    let vu_caf = get(&r, &format!("/conventions/{cid}"), Some(&agent)).await;
    assert!(
        vu_caf.corps.contains("Contresigner la convention"),
        "{}",
        vu_caf.corps
    );
    let contresigne = post(
        &r,
        &cible,
        Some(&agent),
        &format!("_csrf={csrf_a}&action=signer&date_signature={aujourd_hui}"),
    )
    .await;
    assert_eq!(
        contresigne.statut,
        StatusCode::SEE_OTHER,
        "{}",
        contresigne.corps
    );
    let conv = get(&r, &format!("/conventions/{cid}"), Some(&gest)).await;
    assert!(conv.corps.contains("signée"), "{}", conv.corps);
    // Who signed and when is in the audit trail.
    let base = Base::ouvrir(&d.url).await.unwrap();
    let mut tx = base.debuter().await.unwrap();
    let historique = store::audit::historique(&mut tx, "convention", cid.parse().unwrap())
        .await
        .unwrap();
    let actions: Vec<&str> = historique.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["etablir", "signer_par_gestionnaire", "signer"]);
}

/// The text of a PDF answer, its lines joined and its spaces collapsed (a long line may wrap);
/// `None` where pdftotext is not installed.
fn texte_pdf(rep: &Reponse) -> Option<String> {
    assert_eq!(rep.statut, StatusCode::OK, "{}", rep.corps);
    assert_eq!(
        rep.entetes.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );
    commun::texte_du_pdf(&rep.octets).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

sur_les_deux_moteurs!(les_documents_impriment_chaque_nom_tel_qu_il_a_ete_saisi);
async fn les_documents_impriment_chaque_nom_tel_qu_il_a_ete_saisi() {
    let d = demo_a_part();
    let r = routeur_sur(d).await;
    let nom = "Association Ștefan Nguyễn de Łódź − écoute ≈ parents";
    let (gest, csrf) = connecter_sur(&r, d, "gestionnaire.nouveau@demo.parentalite.fr").await;
    let siret = (0..10u64)
        .map(|k| format!("3812345670009{k}"))
        .find(|s| Siret::parse(s).is_ok())
        .unwrap();
    let inscrite = post(
        &r,
        "/structures/inscription",
        Some(&gest),
        &format!(
            "_csrf={csrf}&raison_sociale={}&statut=association_loi_1901&activite=generaliste\
             &voie=3+rue+Lesdigui%C3%A8res&code_postal=38000&commune=38185&email=&siret={siret}\
             &rna=W381000999&departement=38",
            encoder(nom)
        ),
    )
    .await;
    assert_eq!(inscrite.statut, StatusCode::SEE_OTHER, "{}", inscrite.corps);
    let fiche = inscrite.entetes[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let lieu = post(&r, &format!("{fiche}/lieux"), Some(&gest), &format!("_csrf={csrf}&nom_lieu=Point+%C3%A9coute&voie_lieu=3+rue+Lesdigui%C3%A8res&code_postal_lieu=38000&commune_lieu=38185&rdv=1&sans_rdv=1")).await;
    assert_eq!(lieu.statut, StatusCode::SEE_OTHER, "{}", lieu.corps);
    let page = commun::Page::lire(&get(&r, "/dossiers/nouveau", Some(&gest)).await.corps);
    let appel = page.attribut("select[name=appel] option[value]", "value");
    let annee = d.aujourd_hui.year() + 1;
    let cree = post(&r, "/dossiers/nouveau", Some(&gest), &format!("_csrf={csrf}&appel={appel}&intitule={}&objectifs=Rompre+l%27isolement&moyens=Une+animatrice&etp_demandes=0%2C5&debut={annee}-01-01&fin={annee}-12-31&charges=30000&produits=30000&modalites_evaluation=Questionnaire&diagnostic_local=Besoins&partenaires=PMI&information_familles=Affiches", encoder("Écoute à Łódź"))).await;
    assert_eq!(cree.statut, StatusCode::SEE_OTHER, "{}", cree.corps);
    let url = cree.entetes[header::LOCATION].to_str().unwrap().to_owned();
    let version = commun::Page::lire(&get(&r, &url, Some(&gest)).await.corps)
        .attribut("input[name=version]", "value");
    let depose = post(
        &r,
        &format!("{url}/action"),
        Some(&gest),
        &format!("_csrf={csrf}&action=deposer&version={version}"),
    )
    .await;
    assert_eq!(depose.statut, StatusCode::SEE_OTHER, "{}", depose.corps);
    let (agent, csrf_a) = connecter_sur(&r, d, "agent.38@demo.parentalite.fr").await;
    let numero = format!("COF-38-UNICODE-{annee}");
    for corps in [
        "action=instruire".to_owned(),
        format!("action=presenter&date_comite={}", d.aujourd_hui),
        format!(
            "action=decider&issue=valide&etp_notifies=0%2C5&date_effet={annee}-01-01&montant_caf=10000&motivation={}",
            encoder("Écart − 2 % ≈ négligeable, Ștefan Nguyễn")
        ),
        format!("action=convention&numero={numero}&debut={annee}-01-01&fin={annee}-12-31"),
    ] {
        let rep = post(
            &r,
            &format!("{url}/action"),
            Some(&agent),
            &format!("_csrf={csrf_a}&{corps}"),
        )
        .await;
        assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{corps}: {}", rep.corps);
    }
    let conventions = commun::Page::lire(&get(&r, "/conventions", Some(&gest)).await.corps);
    let convention = conventions.lien(&numero);

    let Some(notification) =
        texte_pdf(&get(&r, &format!("{url}/notification.pdf"), Some(&gest)).await)
    else {
        return;
    };
    assert!(
        notification.contains(&format!("Destinataire : {nom} (SIRET")),
        "{notification}"
    );
    assert!(notification.contains("– Écoute à Łódź"), "{notification}");
    assert!(
        notification.contains("Motivation Écart − 2 % ≈ négligeable, Ștefan Nguyễn"),
        "{notification}"
    );
    let texte_convention =
        texte_pdf(&get(&r, &format!("{convention}/convention.pdf"), Some(&gest)).await).unwrap();
    // The head office: its street, postcode and the commune's name (not its INSEE code).
    assert!(
        texte_convention.contains(&format!("et {nom}, SIRET ")),
        "{texte_convention}"
    );
    assert!(
        texte_convention
            .contains(", 3 rue Lesdiguières, 38000 Grenoble, ci-après « le gestionnaire »."),
        "{texte_convention}"
    );
    let releve =
        texte_pdf(&get(&r, &format!("{convention}/releve.pdf"), Some(&gest)).await).unwrap();
    assert!(
        releve.contains(&format!("Bénéficiaire : {nom} (SIRET")),
        "{releve}"
    );
}

/// A CSS selector, for reading inside an element.
fn selecteur(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap()
}

/// The dossiers the user sees in a state (its code), as the links of the list's table.
async fn dossiers_dans_l_etat(r: &axum::Router, cookie: &str, etat: &str) -> Vec<String> {
    let liste = get(r, &format!("/dossiers?etat={etat}"), Some(cookie)).await;
    assert_eq!(liste.statut, StatusCode::OK);
    Page::lire(&liste.corps)
        .tous("table tbody tr td a[href^='/dossiers/']")
        .into_iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect()
}

/// The form of a dossier page that carries out `action`; fails when the page has none.
fn formulaire_d_action<'a>(page: &'a Page, action: &str) -> scraper::ElementRef<'a> {
    page.tous("form")
        .into_iter()
        .find(|f| {
            f.select(&selecteur(&format!("input[name=action][value={action}]")))
                .next()
                .is_some()
        })
        .unwrap_or_else(|| panic!("aucun formulaire « {action} »"))
}

/// The cells of a column of a CSV export (French: semicolons, BOM), found by its heading.
fn colonne_csv(csv: &str, entete: &str) -> Vec<String> {
    let mut lecteur = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let i = lecteur
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == entete)
        .unwrap_or_else(|| panic!("colonne « {entete} » absente de\n{csv}"));
    lecteur
        .records()
        .map(|l| l.unwrap().get(i).unwrap_or_default().to_owned())
        .collect()
}

/// The conventions the user sees in a state (its label in the list), as their links.
async fn conventions_dans_l_etat(r: &axum::Router, cookie: &str, etat: &str) -> Vec<String> {
    let liste = get(r, "/conventions", Some(cookie)).await;
    assert_eq!(liste.statut, StatusCode::OK);
    let page = Page::lire(&liste.corps);
    page.tous("table tbody tr")
        .into_iter()
        .filter(|ligne| {
            ligne
                .select(&selecteur(".etiquette"))
                .next()
                .is_some_and(|x| commun::texte(x) == etat)
        })
        .filter_map(|ligne| {
            ligne
                .select(&selecteur("a[href^='/conventions/']"))
                .next()
                .and_then(|a| a.value().attr("href").map(str::to_owned))
        })
        .collect()
}

/// Logs in with `retour` (already encoded for the form); returns the answer.
async fn connexion_avec_retour(r: &axum::Router, email: &str, retour: &str) -> Reponse {
    let mdp = demo().mots_de_passe.get(email).unwrap();
    poster_connexion(
        r,
        &format!(
            "email={}&mot_de_passe={}&retour={retour}",
            encoder(email),
            encoder(mdp)
        ),
    )
    .await
}

sur_les_deux_moteurs!(la_connexion_ne_renvoie_que_sur_une_page_du_site);
async fn la_connexion_ne_renvoie_que_sur_une_page_du_site() {
    let r = routeur().await;
    let email = "agent.30@demo.parentalite.fr";
    for hors_du_site in [
        "%2F%5Cevil.example",
        "%2F%5C%2Fevil.example",
        "%2F%09%2Fevil.example",
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%0D%0ASet-Cookie%3A+x%3D1",
        "%2Fa%00",
        "%2Fa%01",
        "%2Fa%7F",
    ] {
        let rep = connexion_avec_retour(&r, email, hors_du_site).await;
        assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{hors_du_site}");
        assert_eq!(
            rep.entetes.get(header::LOCATION).unwrap(),
            "/",
            "{hors_du_site}"
        );
    }
    let rep = connexion_avec_retour(&r, email, "%2F%C3%A9").await;
    assert_eq!(rep.entetes.get(header::LOCATION).unwrap(), "/%C3%A9");
    let rep = connexion_avec_retour(&r, email, "%2Fdossiers%3Fetat%3Ddepose").await;
    assert_eq!(
        rep.entetes.get(header::LOCATION).unwrap(),
        "/dossiers?etat=depose"
    );
}

sur_les_deux_moteurs!(une_allocation_moins_zero_ou_negative_est_refusee_pour_son_signe);
async fn une_allocation_moins_zero_ou_negative_est_refusee_pour_son_signe() {
    let r = routeur().await;
    let (cnaf, csrf) = connecter(&r, "cnaf@demo.parentalite.fr").await;
    for montant in ["-0", "-0%2C00", "-1+000"] {
        let rep = post(
            &r,
            "/enveloppes",
            Some(&cnaf),
            &format!("_csrf={csrf}&departement=38&montant={montant}"),
        )
        .await;
        assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY, "{montant}");
        assert!(
            rep.corps.contains("Allocation") && rep.corps.contains("négatif"),
            "{montant}: {}",
            rep.corps
        );
        assert!(
            !rep.corps.contains("enveloppe nationale est de"),
            "{montant}"
        );
    }
}

sur_les_deux_moteurs!(un_verrou_ne_retient_que_l_adresse_fautive_et_passe_avec_le_temps);
async fn un_verrou_ne_retient_que_l_adresse_fautive_et_passe_avec_le_temps() {
    let r = routeur().await;
    let email = "agent.59@demo.parentalite.fr";
    let faux = identifiants(email, Some("faux-mot-de-passe"));
    let bon = identifiants(email, None);
    let intrus = Some("203.0.113.7");
    for _ in 0..5 {
        let rep = poster_connexion_depuis(&r, intrus, &faux).await;
        assert_eq!(rep.statut, StatusCode::UNAUTHORIZED);
    }
    // The address that failed is locked out of this account, even with the right password…
    let bloque = poster_connexion_depuis(&r, intrus, &bon).await;
    assert!(
        bloque.corps.contains("Trop de tentatives"),
        "{}",
        bloque.corps
    );
    assert!(!ouvre_une_session(&bloque));
    // …but the owner, from elsewhere, logs in at once.
    let proprietaire = poster_connexion_depuis(&r, Some("198.51.100.20"), &bon).await;
    assert_eq!(
        proprietaire.statut,
        StatusCode::SEE_OTHER,
        "{}",
        proprietaire.corps
    );
    // Many addresses failing together lock the account for everyone, for a few minutes only
    // (an account no other test logs in with).
    let email = "financeur.33@demo.parentalite.fr";
    let base = base_demo().await;
    let maintenant = time::OffsetDateTime::now_utc().unix_timestamp();
    for i in 0..web::session::ECHECS_MAX_COMPTE {
        store::acces_web::noter_echec(&base, email, &format!("192.0.2.{i}"), maintenant - 60)
            .await
            .unwrap();
    }
    let court =
        poster_connexion_depuis(&r, Some("198.51.100.21"), &identifiants(email, None)).await;
    assert!(
        court.corps.contains("Trop de tentatives"),
        "{}",
        court.corps
    );
    assert!(
        court.corps.contains("réessayez dans 4 minute(s)"),
        "{}",
        court.corps
    );
    // Failures older than the window no longer count: the right password works again.
    let email = "agent.81@demo.parentalite.fr";
    let ancien = maintenant - web::session::FENETRE_ECHECS - 10;
    for _ in 0..web::session::ECHECS_MAX_COMPTE {
        store::acces_web::noter_echec(&base, email, "203.0.113.8", ancien)
            .await
            .unwrap();
    }
    let apres = poster_connexion_depuis(&r, Some("203.0.113.8"), &identifiants(email, None)).await;
    assert_eq!(apres.statut, StatusCode::SEE_OTHER, "{}", apres.corps);
}

sur_les_deux_moteurs!(une_adresse_qui_essaie_de_nombreux_comptes_est_ralentie);
async fn une_adresse_qui_essaie_de_nombreux_comptes_est_ralentie() {
    let r = routeur().await;
    let adresse = Some("203.0.113.66");
    for i in 0..web::session::ECHECS_MAX_ADRESSE {
        let rep = poster_connexion_depuis(
            &r,
            adresse,
            &identifiants(&format!("personne{i}@nulle-part.fr"), Some("x")),
        )
        .await;
        assert_eq!(rep.statut, StatusCode::UNAUTHORIZED, "{i}");
    }
    let email = "agent.85@demo.parentalite.fr";
    let bloque = poster_connexion_depuis(&r, adresse, &identifiants(email, None)).await;
    assert!(
        bloque
            .corps
            .contains("Trop de tentatives de connexion depuis votre poste"),
        "{}",
        bloque.corps
    );
    assert!(!ouvre_une_session(&bloque));
    let ailleurs =
        poster_connexion_depuis(&r, Some("203.0.113.67"), &identifiants(email, None)).await;
    assert_eq!(ailleurs.statut, StatusCode::SEE_OTHER);
}

sur_les_deux_moteurs!(un_jeton_d_api_expire_se_liste_et_se_revoque);
async fn un_jeton_d_api_expire_se_liste_et_se_revoque() {
    let r = routeur().await;
    let (cookie, csrf) = connecter(&r, "agent.56@demo.parentalite.fr").await;
    let jeton = creer_jeton_api(&r, &cookie, &csrf, "libelle=script+mensuel&duree=30").await;
    assert_eq!(
        get_api(&r, "/api/v1/dossiers", &jeton).await.statut,
        StatusCode::OK
    );
    let profil = get(&r, "/profil", Some(&cookie)).await;
    assert!(profil.corps.contains("script mensuel"), "{}", profil.corps);
    assert!(
        profil.corps.contains("valable jusqu&#39;au") || profil.corps.contains("valable jusqu'au")
    );
    // A lifetime outside 1 to 365 days is refused next to its field.
    let trop = post(
        &r,
        "/profil/jetons",
        Some(&cookie),
        &format!("_csrf={csrf}&libelle=x&duree=400"),
    )
    .await;
    assert_eq!(trop.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(trop.corps.contains("Durée de validité"), "{}", trop.corps);
    // Revoked from the profile page: 401 at once.
    let identifiant = profil
        .corps
        .split("/profil/jetons/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let revoque = post(
        &r,
        &format!("/profil/jetons/{identifiant}/revocation"),
        Some(&cookie),
        &format!("_csrf={csrf}"),
    )
    .await;
    assert_eq!(revoque.statut, StatusCode::SEE_OTHER, "{}", revoque.corps);
    let refuse = get_api(&r, "/api/v1/dossiers", &jeton).await;
    assert_eq!(refuse.statut, StatusCode::UNAUTHORIZED);
    let v: serde_json::Value = serde_json::from_str(&refuse.corps).unwrap();
    assert_eq!(v["code"], "non_authentifie", "{v}");
    assert!(
        get(&r, "/profil", Some(&cookie))
            .await
            .corps
            .contains("révoqué le")
    );
    // Without the session's token, no revocation.
    let sans = post(
        &r,
        &format!("/profil/jetons/{identifiant}/revocation"),
        Some(&cookie),
        "",
    )
    .await;
    assert_eq!(sans.statut, StatusCode::FORBIDDEN);
    // An expired token: 401.
    let expire = "prt_expire_pour_le_test";
    let base = base_demo().await;
    let id = demo_utilisateur(&base, "agent.56@demo.parentalite.fr").await;
    let maintenant = time::OffsetDateTime::now_utc().unix_timestamp();
    store::acces_web::creer_jeton(
        &base,
        &web::session::hacher(expire),
        id,
        "ancien",
        maintenant - 91 * 86_400,
        maintenant - 86_400,
    )
    .await
    .unwrap();
    assert_eq!(
        get_api(&r, "/api/v1/dossiers", expire).await.statut,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        get(&r, "/profil", Some(&cookie))
            .await
            .corps
            .contains("expiré le")
    );
}

/// The id of a demonstration account.
async fn demo_utilisateur(base: &Base, email: &str) -> i64 {
    let p = app::Plateforme::new(
        base.clone(),
        std::sync::Arc::new(referentiel::parametres::Parametres::embarques().unwrap()),
    );
    p.utilisateur_par_email(email)
        .await
        .unwrap()
        .unwrap()
        .0
        .id
        .0
}

sur_les_deux_moteurs!(un_compte_desactive_perd_sa_session_et_ses_jetons);
async fn un_compte_desactive_perd_sa_session_et_ses_jetons() {
    let r = routeur().await;
    let email = "gestionnaire.59.3@demo.parentalite.fr";
    let (cookie, csrf) = connecter(&r, email).await;
    let jeton = creer_jeton_api(&r, &cookie, &csrf, "libelle=x").await;
    assert_eq!(
        get(&r, "/dossiers", Some(&cookie)).await.statut,
        StatusCode::OK
    );
    assert_eq!(
        get_api(&r, "/api/v1/dossiers", &jeton).await.statut,
        StatusCode::OK
    );
    // The account is deactivated while its session is open.
    let base = base_demo().await;
    let id = demo_utilisateur(&base, email).await;
    let mut tx = base.debuter().await.unwrap();
    let mut lu = store::depot::lire::<domain::acces::Utilisateur>(&mut tx, id)
        .await
        .unwrap();
    lu.valeur.actif = false;
    store::depot::mettre_a_jour(&mut tx, &lu.valeur, lu.version)
        .await
        .unwrap();
    tx.valider().await.unwrap();
    let page = get(&r, "/dossiers", Some(&cookie)).await;
    assert_eq!(page.statut, StatusCode::SEE_OTHER);
    assert!(
        page.entetes
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("/connexion")
    );
    assert_eq!(
        get_api(&r, "/api/v1/dossiers", &jeton).await.statut,
        StatusCode::UNAUTHORIZED
    );
    // And it cannot log in again.
    let encore = poster_connexion(&r, &identifiants(email, None)).await;
    assert_eq!(encore.statut, StatusCode::UNAUTHORIZED);
}

sur_les_deux_moteurs!(les_textes_libres_sont_bornes_visibles_et_en_utf8);
async fn les_textes_libres_sont_bornes_visibles_et_en_utf8() {
    let r = routeur().await;
    let (agent, csrf) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    // A structure's name of 10 074 characters: refused, naming the field and the limit.
    let long = "A".repeat(10_074);
    let siret = (0..10u64)
        .map(|k| format!("8123456780002{k}"))
        .find(|s| Siret::parse(s).is_ok())
        .unwrap();
    let rep = post(
        &r,
        "/structures",
        Some(&agent),
        &format!("_csrf={csrf}&raison_sociale={long}&rna=W381000099&statut=association_loi_1901&activite=generaliste&voie=3+rue+Haute&code_postal=38000&commune=38185&email=&siret={siret}"),
    )
    .await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.corps
    );
    assert!(
        rep.corps
            .contains("Raison sociale : 200 caractères au plus"),
        "{}",
        &rep.corps[..rep.corps.len().min(3000)]
    );
    // Messages of NUL bytes, of zero-width spaces only: refused, naming the field.
    let dossier = "/dossiers/12/messages";
    let (agent, csrf) = connecter(&r, "agent.30@demo.parentalite.fr").await;
    let page = get(&r, "/dossiers/12", Some(&agent)).await;
    assert_eq!(page.statut, StatusCode::OK);
    for (texte, attendu) in [
        ("%00%00", "caractère de contrôle"),
        ("%E2%80%8B%E2%80%8B%E2%80%8B", "à remplir"),
    ] {
        let rep = post(
            &r,
            dossier,
            Some(&agent),
            &format!("_csrf={csrf}&texte={texte}"),
        )
        .await;
        assert_eq!(
            rep.statut,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{texte}: {}",
            rep.corps
        );
        assert!(
            rep.corps.contains("Message") && rep.corps.contains(attendu),
            "{texte}: {}",
            rep.corps
        );
    }
    // Bytes that are not UTF-8: refused as such, nothing replaced by U+FFFD.
    let rep = post(
        &r,
        dossier,
        Some(&agent),
        &format!("_csrf={csrf}&texte=caf%E9"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::BAD_REQUEST, "{}", rep.corps);
    assert!(rep.corps.contains("UTF-8"), "{}", rep.corps);
}

/// A POST to the API with a token, a Content-Type (if any) and a body of bytes.
async fn post_api(
    r: &axum::Router,
    chemin: &str,
    jeton: &str,
    type_: Option<&str>,
    corps: impl Into<Body>,
) -> (StatusCode, serde_json::Value) {
    let mut req = Request::post(chemin).header(header::AUTHORIZATION, format!("Bearer {jeton}"));
    if let Some(t) = type_ {
        req = req.header(header::CONTENT_TYPE, t);
    }
    let rep = envoyer(r, req.body(corps.into()).unwrap()).await;
    let v = serde_json::from_str(&rep.corps)
        .unwrap_or_else(|_| panic!("{chemin}: pas du JSON: {}", rep.corps));
    (rep.statut, v)
}

/// Asserts the one error body of the API: its code and the field at fault.
fn erreur_api(
    rep: &(StatusCode, serde_json::Value),
    statut: StatusCode,
    code: &str,
    champ: Option<&str>,
) {
    let (s, v) = rep;
    assert_eq!(*s, statut, "{v}");
    assert_eq!(v["code"], code, "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    match champ {
        Some(c) => assert_eq!(v["champ"], c, "{v}"),
        None => assert!(v["champ"].is_null(), "{v}"),
    }
}

sur_les_deux_moteurs!(l_api_exige_du_json_et_repond_toujours_le_meme_corps_d_erreur);
async fn l_api_exige_du_json_et_repond_toujours_le_meme_corps_d_erreur() {
    let r = routeur().await;
    let (gest, csrf) = connecter(&r, "gestionnaire.59.10@demo.parentalite.fr").await;
    let jeton = creer_jeton_api(&r, &gest, &csrf, "libelle=conformite").await;
    let liste = get(&r, "/conventions", Some(&gest)).await;
    let convention: i64 = liste
        .corps
        .split("href=\"/conventions/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let corps = |remplacer: &str, par: &str| {
        format!(
            r#"{{"convention":{convention},"exercice":2031,"nature":"reelle","depenses_fonctionnement":"1000","etp_declares":"1","mois_fonctionnement":12}}"#
        )
        .replace(remplacer, par)
    };
    let chemin = "/api/v1/declarations";
    let json = Some("application/json");
    // A body that is not declared JSON: 415, whatever it holds.
    for type_ in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let rep = post_api(&r, chemin, &jeton, type_, corps("", "")).await;
        erreur_api(
            &rep,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "type_de_contenu",
            None,
        );
    }
    let rep = post_api(&r, "/api/v1/calculs/aip", &jeton, Some("text/plain"), "{}").await;
    erreur_api(
        &rep,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "type_de_contenu",
        None,
    );
    // Bytes that are not UTF-8: 400, not replaced.
    let mut octets = corps("\"reelle\"", "\"reel").into_bytes();
    octets.extend_from_slice(b"\xff\"}");
    let rep = post_api(&r, chemin, &jeton, json, octets).await;
    erreur_api(&rep, StatusCode::BAD_REQUEST, "corps_invalide", None);
    // The field at fault is named: -0 expenses, year 0, empty strings, a missing field.
    let rep = post_api(&r, chemin, &jeton, json, corps("\"1000\"", "\"-0\"")).await;
    erreur_api(
        &rep,
        StatusCode::UNPROCESSABLE_ENTITY,
        "champ_invalide",
        Some("depenses_fonctionnement"),
    );
    assert!(rep.1["message"].as_str().unwrap().contains("négatif"));
    let rep = post_api(&r, chemin, &jeton, json, corps("2031", "0")).await;
    erreur_api(
        &rep,
        StatusCode::UNPROCESSABLE_ENTITY,
        "champ_invalide",
        Some("exercice"),
    );
    let rep = post_api(
        &r,
        chemin,
        &jeton,
        json,
        corps("\"etp_declares\":\"1\"", "\"etp_declares\":\"\""),
    )
    .await;
    erreur_api(
        &rep,
        StatusCode::UNPROCESSABLE_ENTITY,
        "champ_invalide",
        Some("etp_declares"),
    );
    let rep = post_api(
        &r,
        chemin,
        &jeton,
        json,
        corps("\"nature\":\"reelle\",", ""),
    )
    .await;
    erreur_api(
        &rep,
        StatusCode::UNPROCESSABLE_ENTITY,
        "champ_invalide",
        Some("nature"),
    );
    let rep = post_api(
        &r,
        chemin,
        &jeton,
        json,
        corps(&format!(":{convention},"), ":999999,"),
    )
    .await;
    erreur_api(&rep, StatusCode::NOT_FOUND, "introuvable", None);
    let rep = post_api(&r, chemin, "prt_inconnu", json, corps("", "")).await;
    erreur_api(&rep, StatusCode::UNAUTHORIZED, "non_authentifie", None);
    // The calculator: a null payment total is no payment, an empty string is refused.
    let cas = r#"{"dispositif":"aip","exercice":2024,"etp_declares":"1","etp_notifies":"1","mois_fonctionnement":8,"depenses_fonctionnement":"40000","versements_effectues":null}"#;
    let (statut, v) = post_api(&r, "/api/v1/calculs/aip", &jeton, json, cas).await;
    assert_eq!(statut, StatusCode::OK, "{v}");
    let rep = post_api(
        &r,
        "/api/v1/calculs/aip",
        &jeton,
        json,
        cas.replace("null", "\"\""),
    )
    .await;
    erreur_api(
        &rep,
        StatusCode::UNPROCESSABLE_ENTITY,
        "champ_invalide",
        Some("versements_effectues"),
    );
    let rep = post_api(
        &r,
        "/api/v1/calculs/aip",
        &jeton,
        json,
        cas.replace("2024", "0"),
    )
    .await;
    erreur_api(
        &rep,
        StatusCode::UNPROCESSABLE_ENTITY,
        "champ_invalide",
        Some("exercice"),
    );
    // A query string that is not UTF-8: the API's 400, in its error body.
    let rep = get_api(&r, "/api/v1/activite/indicateurs?niveau=%FF", &jeton).await;
    assert_eq!(rep.statut, StatusCode::BAD_REQUEST, "{}", rep.corps);
    let v: serde_json::Value = serde_json::from_str(&rep.corps).unwrap();
    assert_eq!(v["code"], "parametre_invalide", "{v}");
    // The schema says all of it, on every operation.
    let doc = get(&r, "/api/openapi.json", None).await;
    let v: serde_json::Value = serde_json::from_str(&doc.corps).unwrap();
    assert_eq!(
        v["components"]["schemas"]["Erreur"]["required"],
        serde_json::json!(["code", "message", "champ"])
    );
    let mut operations = 0;
    for (chemin, methodes) in v["paths"].as_object().unwrap() {
        for (methode, operation) in methodes.as_object().unwrap() {
            operations += 1;
            for statut in ["401", "403", "404", "415", "422"] {
                assert_eq!(
                    operation["responses"][statut]["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/Erreur",
                    "{methode} {chemin}: {statut}"
                );
            }
        }
    }
    assert_eq!(operations, 12);
    let declaration = &v["paths"]["/api/v1/declarations"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_eq!(declaration["properties"]["etp_declares"]["minLength"], 1);
    assert_eq!(declaration["properties"]["exercice"]["minimum"], 1900);
    assert_eq!(declaration["additionalProperties"], false);
}

sur_les_deux_moteurs!(une_seconde_previsionnelle_est_refusee_en_francais_a_cote_du_champ);
async fn une_seconde_previsionnelle_est_refusee_en_francais_a_cote_du_champ() {
    let r = routeur().await;
    let (gest, csrf) = connecter(&r, "gestionnaire.59.10@demo.parentalite.fr").await;
    let liste = get(&r, "/conventions", Some(&gest)).await;
    let id = liste
        .corps
        .split("href=\"/conventions/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let cible = format!("/conventions/{id}/action");
    let saisir = |depenses: &str| {
        format!(
            "_csrf={csrf}&action=saisir_declaration&nature=previsionnelle&exercice=2024&depenses={depenses}&etp_declares=1&mois=10&entretiens=0&parents=0&heures=0"
        )
    };
    let moins_zero = post(&r, &cible, Some(&gest), &saisir("-0")).await;
    assert_eq!(moins_zero.statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(moins_zero.corps.contains("négatif"), "{}", moins_zero.corps);
    // The first may exist already in the demonstration; the second is refused in any case.
    post(&r, &cible, Some(&gest), &saisir("40+000")).await;
    let seconde = post(&r, &cible, Some(&gest), &saisir("40+000")).await;
    assert_eq!(
        seconde.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        seconde.corps
    );
    assert!(
        seconde.corps.contains(
            "<a href=\"#exercice\">Une déclaration prévisionnelle existe déjà pour 2024</a>"
        ),
        "{}",
        seconde.corps
    );
    assert!(!seconde.corps.contains("UNIQUE"));
}
