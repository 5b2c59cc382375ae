//! ProConnect login against a real OpenID Connect provider run locally (the npm package
//! `oidc-provider`, tests/oidc/serveur.mjs), driven over HTTP through the provider's development
//! login page: the authorization URL's parameters, the first login matched on the invited e-mail
//! then on `sub`, a forged `state` and another login's `nonce` refused, userinfo signed (and plain
//! JSON) accepted, logout through the provider's `session/end` with `id_token_hint`, a partner's
//! account and an unknown agent refused. Skipped when tests/oidc/node_modules is absent, unless
//! `PARENTALITE_EXIGER_OIDC` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use app::Plateforme;
use domain::acces::{Role, Utilisateur};
use domain::identifiants::{CodeDepartement, Email, GestionnaireId};
use referentiel::parametres::Parametres;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::Base;
use web::Etat;
use web::session::proconnect::{ConfigurationProConnect, ProConnect};

const CLIENT_ID: &str = "parentalite-essais";
const CLIENT_SECRET: &str = "secret-du-fournisseur-local-des-essais";
const AGENT: &str = "agent@caf38.example.fr";
const GESTIONNAIRE: &str = "gestionnaire@association.example.fr";

fn dossier_oidc() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc")
}

/// Whether the local provider can run; fails when it is required and not installed.
fn fournisseur_disponible(test: &str) -> bool {
    if dossier_oidc().join("node_modules/oidc-provider").is_dir() {
        return true;
    }
    assert!(
        std::env::var("PARENTALITE_EXIGER_OIDC").is_err(),
        "tests/oidc/node_modules absent alors que le fournisseur OIDC local est exigé (npm ci dans tests/oidc)"
    );
    eprintln!("fournisseur OIDC local non installé (npm ci dans tests/oidc) : {test} sauté");
    false
}

/// The local provider's process, stopped when dropped.
struct Fournisseur {
    processus: Child,
    issuer: String,
    comptes: PathBuf,
}

impl Drop for Fournisseur {
    fn drop(&mut self) {
        let _ = self.processus.kill();
        let _ = self.processus.wait();
        let _ = std::fs::remove_file(&self.comptes);
    }
}

impl Fournisseur {
    fn ecrire_comptes(&self, comptes: &Value) {
        std::fs::write(&self.comptes, comptes.to_string()).unwrap();
    }
}

fn compte_fournisseur(sub: &str, email: &str) -> Value {
    json!({
        "sub": sub,
        "email": email,
        "given_name": "Camille",
        "usual_name": "Martin",
        "siret": "53478983600019",
        "idp_id": "fia1v2",
    })
}

fn comptes_par_defaut() -> Value {
    json!([
        compte_fournisseur("agent-caf", AGENT),
        compte_fournisseur("autre-identite", AGENT),
        compte_fournisseur("gestionnaire", GESTIONNAIRE),
        compte_fournisseur("inconnu", "personne@ailleurs.example.fr"),
    ])
}

fn demarrer_fournisseur(nom: &str, redirection: &str, options: &[&str]) -> Fournisseur {
    let comptes = std::env::temp_dir().join(format!(
        "parentalite-oidc-{nom}-{}.json",
        std::process::id()
    ));
    std::fs::write(&comptes, comptes_par_defaut().to_string()).unwrap();
    let mut processus = Command::new("node")
        .arg("serveur.mjs")
        .args(["--redirection", redirection, "--comptes"])
        .arg(&comptes)
        .args(["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET])
        .args(options)
        .current_dir(dossier_oidc())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node introuvable");
    let mut ligne = String::new();
    let mut sortie = BufReader::new(processus.stdout.take().unwrap());
    sortie.read_line(&mut ligne).unwrap();
    // The rest of its output is read and dropped, so that the provider never writes to a closed
    // pipe.
    std::thread::spawn(move || std::io::copy(&mut sortie, &mut std::io::sink()));
    let annonce: Value = serde_json::from_str(&ligne)
        .unwrap_or_else(|e| panic!("fournisseur OIDC local: « {ligne} » ({e})"));
    Fournisseur {
        processus,
        issuer: annonce["issuer"].as_str().unwrap().to_owned(),
        comptes,
    }
}

/// The platform served on a loopback port with ProConnect pointing at a local provider.
struct Essai {
    racine: String,
    plateforme: Plateforme,
    fournisseur: Fournisseur,
}

async fn creer_comptes(p: &Plateforme) {
    let maintenant = time::OffsetDateTime::now_utc();
    let comptes = [
        (AGENT, "Camille Martin", Role::Caf),
        (GESTIONNAIRE, "Dominique Durand", Role::Gestionnaire),
    ];
    for (email, nom, role) in comptes {
        p.creer_utilisateur(
            |id| Utilisateur {
                id,
                email: Email::parse(email).unwrap(),
                nom: nom.to_owned(),
                role,
                departements: if role == Role::Caf {
                    [CodeDepartement::parse("38").unwrap()].into()
                } else {
                    BTreeSet::new()
                },
                gestionnaires: BTreeSet::<GestionnaireId>::new(),
                financeur: None,
                actif: true,
            },
            None,
            maintenant,
        )
        .await
        .unwrap();
    }
}

async fn demarrer_sur(base: Base, nom: &str, options: &[&str]) -> Essai {
    let plateforme = Plateforme::new(base, Arc::new(Parametres::embarques().unwrap()));
    creer_comptes(&plateforme).await;
    let ecoute = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let racine = format!("http://{}", ecoute.local_addr().unwrap());
    let fournisseur = demarrer_fournisseur(
        nom,
        &format!("{racine}/connexion/proconnect/retour"),
        options,
    );
    let proconnect = ProConnect::new(ConfigurationProConnect {
        issuer: fournisseur.issuer.clone(),
        client_id: CLIENT_ID.to_owned(),
        client_secret: CLIENT_SECRET.to_owned(),
        url_publique: racine.clone(),
    })
    .unwrap();
    let routes = web::routeur_avec_proconnect(
        Etat {
            plateforme: plateforme.clone(),
            cookie_securise: false,
        },
        Arc::new(proconnect),
    );
    tokio::spawn(async move {
        axum::serve(
            ecoute,
            routes.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    Essai {
        racine,
        plateforme,
        fournisseur,
    }
}

async fn demarrer(nom: &str, options: &[&str]) -> Essai {
    let base = essais::base_sqlite("web-proconnect", nom).await;
    demarrer_sur(base, nom, options).await
}

/// A browser: its own cookies, no redirect followed (each step is looked at).
fn navigateur() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn destination(r: &reqwest::Response) -> String {
    r.headers()
        .get(reqwest::header::LOCATION)
        .unwrap_or_else(|| panic!("{} sans Location (statut {})", r.url(), r.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

fn absolue(base: &str, cible: &str) -> String {
    reqwest::Url::parse(base)
        .unwrap()
        .join(cible)
        .unwrap()
        .to_string()
}

fn parametres(url: &str) -> BTreeMap<String, String> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Starts a login on the platform: the provider's authorization URL it sends the browser to.
async fn commencer(client: &reqwest::Client, essai: &Essai) -> String {
    let r = client
        .get(format!("{}/connexion/proconnect", essai.racine))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    destination(&r)
}

/// Logs in at the provider as `sub` through its development login page, from the authorization
/// URL: the platform's callback URL the provider sends the browser back to (not followed).
async fn s_identifier_chez_le_fournisseur(
    client: &reqwest::Client,
    autorisation: &str,
    sub: &str,
) -> String {
    let r = client.get(autorisation).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "autorisation");
    let interaction = absolue(autorisation, &destination(&r));
    let page = client
        .get(&interaction)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let action = page
        .split("action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("formulaire de connexion du fournisseur")
        .to_owned();
    let r = client
        .post(absolue(&interaction, &action))
        .form(&[("prompt", "login"), ("login", sub), ("password", "essai")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "connexion au fournisseur"
    );
    let reprise = absolue(&interaction, &destination(&r));
    let r = client.get(&reprise).send().await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "reprise de l'autorisation"
    );
    destination(&r)
}

/// The platform's answer to the provider's callback URL: status, session cookie set (if any),
/// page (or where it redirects).
async fn revenir(client: &reqwest::Client, rappel: &str) -> (StatusCode, bool, String) {
    let r = client.get(rappel).send().await.unwrap();
    let statut = r.status();
    let session = r
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .any(|v| {
            let v = v.to_str().unwrap();
            v.starts_with("parentalite_session=") && !v.starts_with("parentalite_session=;")
        });
    let suite = if statut == StatusCode::SEE_OTHER {
        destination(&r)
    } else {
        r.text().await.unwrap()
    };
    (statut, session, suite)
}

/// The full login as `sub`: the platform's answer to the provider's callback.
async fn connexion_complete(
    client: &reqwest::Client,
    essai: &Essai,
    sub: &str,
) -> (StatusCode, bool, String) {
    let autorisation = commencer(client, essai).await;
    let rappel = s_identifier_chez_le_fournisseur(client, &autorisation, sub).await;
    revenir(client, &rappel).await
}

async fn accueil(client: &reqwest::Client, essai: &Essai) -> (StatusCode, String) {
    let r = client
        .get(format!("{}/", essai.racine))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Whether the browser is signed in on the platform (its profile page opens).
async fn connecte(client: &reqwest::Client, essai: &Essai) -> bool {
    let r = client
        .get(format!("{}/profil", essai.racine))
        .send()
        .await
        .unwrap();
    r.status() == StatusCode::OK
}

async fn sub_du_compte(p: &Plateforme, email: &str) -> Option<String> {
    let (u, _) = p.utilisateur_par_email(email).await.unwrap().unwrap();
    let mut tx = p.base.lire().await.unwrap();
    let sub = store::comptes::sub_proconnect_du_compte(&mut tx, u.id.0)
        .await
        .unwrap();
    tx.annuler().await.unwrap();
    sub
}

#[tokio::test]
async fn url_d_autorisation_sans_parametre_en_trop_avec_state_et_nonce_aleatoires() {
    if !fournisseur_disponible("url_d_autorisation") {
        return;
    }
    let essai = demarrer("url-autorisation", &[]).await;
    let autorisation = commencer(&navigateur(), &essai).await;
    assert!(
        autorisation.starts_with(&format!("{}/authorize?", essai.fournisseur.issuer)),
        "{autorisation}"
    );
    let p = parametres(&autorisation);
    assert_eq!(
        p.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "client_id",
            "nonce",
            "redirect_uri",
            "response_type",
            "scope",
            "state"
        ]
    );
    assert_eq!(p["client_id"], CLIENT_ID);
    assert_eq!(p["response_type"], "code");
    assert_eq!(
        p["redirect_uri"],
        format!("{}/connexion/proconnect/retour", essai.racine)
    );
    assert_eq!(
        p["scope"],
        "openid email given_name usual_name siret idp_id"
    );
    assert!(p["state"].len() >= 32 && p["nonce"].len() >= 32, "{p:?}");
    assert_ne!(p["state"], p["nonce"]);
    // Another login: other values.
    let autre = parametres(&commencer(&navigateur(), &essai).await);
    assert_ne!(autre["state"], p["state"]);
    assert_ne!(autre["nonce"], p["nonce"]);
}

#[tokio::test]
async fn premiere_connexion_par_l_email_invite_puis_par_sub_seulement() {
    if !fournisseur_disponible("premiere_connexion") {
        return;
    }
    let essai = demarrer("premiere-connexion", &[]).await;
    assert_eq!(sub_du_compte(&essai.plateforme, AGENT).await, None);

    // First login: the account the administrator opened for this e-mail, its `sub` then stored.
    let client = navigateur();
    let (statut, session, suite) = connexion_complete(&client, &essai, "agent-caf").await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{suite}");
    assert!(session);
    assert_eq!(suite, "/");
    assert!(connecte(&client, &essai).await);
    let (statut, page) = accueil(&client, &essai).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Camille Martin"), "{page}");
    assert_eq!(
        sub_du_compte(&essai.plateforme, AGENT).await.as_deref(),
        Some("agent-caf")
    );
    let mut tx = essai.plateforme.base.lire().await.unwrap();
    let audit = tx
        .lignes(
            "SELECT description FROM audit WHERE action = $1",
            &["lier_proconnect".into()],
        )
        .await
        .unwrap();
    tx.annuler().await.unwrap();
    assert_eq!(audit.len(), 1);
    assert!(audit[0].texte("description").unwrap().contains("agent-caf"));

    // The e-mail changes at the provider: the same `sub` keeps the account.
    essai.fournisseur.ecrire_comptes(&json!([compte_fournisseur(
        "agent-caf",
        "camille.martin@nouvelle-adresse.example.fr"
    )]));
    let client = navigateur();
    let (statut, session, _) = connexion_complete(&client, &essai, "agent-caf").await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    assert!(session);
    assert!(accueil(&client, &essai).await.1.contains("Camille Martin"));

    // Another `sub` with the account's e-mail is refused.
    essai.fournisseur.ecrire_comptes(&comptes_par_defaut());
    let client = navigateur();
    let (statut, session, page) = connexion_complete(&client, &essai, "autre-identite").await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    assert!(!session);
    assert!(
        page.contains("déjà rattaché à une autre identité ProConnect"),
        "{page}"
    );
    assert_eq!(
        sub_du_compte(&essai.plateforme, AGENT).await.as_deref(),
        Some("agent-caf")
    );

    // An operator detaches the account (`parentalite user proconnect-detach`): the new identity
    // is then matched on the e-mail, and bound.
    let detache = essai
        .plateforme
        .delier_compte_proconnect(AGENT, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(detache, Some(Some("agent-caf".to_owned())));
    let client = navigateur();
    let (statut, session, _) = connexion_complete(&client, &essai, "autre-identite").await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    assert!(session);
    assert_eq!(
        sub_du_compte(&essai.plateforme, AGENT).await.as_deref(),
        Some("autre-identite")
    );
}

#[tokio::test]
async fn state_falsifie_ou_absent_refuse_sans_session() {
    if !fournisseur_disponible("state_falsifie") {
        return;
    }
    let essai = demarrer("state-falsifie", &[]).await;
    let client = navigateur();
    let autorisation = commencer(&client, &essai).await;
    let rappel = s_identifier_chez_le_fournisseur(&client, &autorisation, "agent-caf").await;
    let p = parametres(&rappel);
    let mut url = reqwest::Url::parse(&rappel).unwrap();
    url.query_pairs_mut()
        .clear()
        .append_pair("code", &p["code"])
        .append_pair("state", &"f".repeat(64));
    let (statut, session, page) = revenir(&client, url.as_str()).await;
    assert_eq!(statut, StatusCode::BAD_REQUEST);
    assert!(!session);
    assert!(page.contains("« state »"), "{page}");
    assert!(page.contains("Aucune session n’a été ouverte"));
    // The login was used up by the refusal: the genuine answer does not open a session either.
    let (statut, session, _) = revenir(&client, &rappel).await;
    assert_eq!(statut, StatusCode::BAD_REQUEST);
    assert!(!session);

    // No state at all.
    let client = navigateur();
    let autorisation = commencer(&client, &essai).await;
    let rappel = s_identifier_chez_le_fournisseur(&client, &autorisation, "agent-caf").await;
    let p = parametres(&rappel);
    let (statut, session, _) = revenir(
        &client,
        &format!(
            "{}/connexion/proconnect/retour?code={}",
            essai.racine, p["code"]
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::BAD_REQUEST);
    assert!(!session);

    // An answer reaching a browser that started no login.
    let client = navigateur();
    let autorisation = commencer(&client, &essai).await;
    let rappel = s_identifier_chez_le_fournisseur(&client, &autorisation, "agent-caf").await;
    let (statut, session, page) = revenir(&navigateur(), &rappel).await;
    assert_eq!(statut, StatusCode::BAD_REQUEST);
    assert!(!session);
    assert!(page.contains("aucune connexion commencée"), "{page}");
}

#[tokio::test]
async fn nonce_d_une_autre_connexion_refuse_sans_session() {
    if !fournisseur_disponible("nonce") {
        return;
    }
    let essai = demarrer("nonce", &[]).await;
    // The victim's browser starts a login (its state and nonce are kept for it).
    let victime = navigateur();
    let autorisation_victime = commencer(&victime, &essai).await;
    let etat_victime = parametres(&autorisation_victime)["state"].clone();
    // Another login, completed elsewhere: its code carries the other login's nonce.
    let autre = navigateur();
    let autorisation = commencer(&autre, &essai).await;
    let rappel = s_identifier_chez_le_fournisseur(&autre, &autorisation, "agent-caf").await;
    let code = parametres(&rappel)["code"].clone();
    // Replayed with the victim's state in the victim's browser: the state matches, the ID
    // token's nonce does not.
    let mut url = reqwest::Url::parse(&rappel).unwrap();
    url.query_pairs_mut()
        .clear()
        .append_pair("code", &code)
        .append_pair("state", &etat_victime);
    let (statut, session, page) = revenir(&victime, url.as_str()).await;
    assert_eq!(statut, StatusCode::BAD_REQUEST, "{page}");
    assert!(!session);
    assert!(page.contains("jeton d’identité invalide"), "{page}");
    assert!(!connecte(&victime, &essai).await);
}

#[tokio::test]
async fn userinfo_signe_du_fournisseur_accepte() {
    if !fournisseur_disponible("userinfo_signe") {
        return;
    }
    let essai = demarrer("userinfo-signe", &[]).await;
    // The provider answers userinfo with a signed JWT for this client (as ProConnect does)…
    let client = navigateur();
    let autorisation = commencer(&client, &essai).await;
    let rappel = s_identifier_chez_le_fournisseur(&client, &autorisation, "agent-caf").await;
    let metadonnees: Value = client
        .get(format!(
            "{}/.well-known/openid-configuration",
            essai.fournisseur.issuer
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jetons: Value = client
        .post(metadonnees["token_endpoint"].as_str().unwrap())
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &parametres(&rappel)["code"]),
            (
                "redirect_uri",
                &format!("{}/connexion/proconnect/retour", essai.racine),
            ),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = client
        .get(metadonnees["userinfo_endpoint"].as_str().unwrap())
        .bearer_auth(jetons["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .split(';')
            .next(),
        Some("application/jwt")
    );
    assert_eq!(r.text().await.unwrap().split('.').count(), 3);
    // … and the platform, which reads the e-mail from userinfo only (the ID token of the code
    // flow carries `sub` alone), logs the agent in.
    let client = navigateur();
    let (statut, session, _) = connexion_complete(&client, &essai, "agent-caf").await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    assert!(session);
}

#[tokio::test]
async fn userinfo_en_json_accepte() {
    if !fournisseur_disponible("userinfo_json") {
        return;
    }
    let essai = demarrer("userinfo-json", &["--userinfo-json"]).await;
    let client = navigateur();
    let (statut, session, suite) = connexion_complete(&client, &essai, "agent-caf").await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{suite}");
    assert!(session);
}

#[tokio::test]
async fn deconnexion_par_session_end_avec_id_token_hint() {
    if !fournisseur_disponible("deconnexion") {
        return;
    }
    let essai = demarrer("deconnexion", &[]).await;
    let client = navigateur();
    let (_, session, _) = connexion_complete(&client, &essai, "agent-caf").await;
    assert!(session);
    let (_, page) = accueil(&client, &essai).await;
    let csrf = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let r = client
        .post(format!("{}/deconnexion", essai.racine))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    let fin = page
        .split("url=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(
        fin.starts_with(&format!("{}/session/end?", essai.fournisseur.issuer)),
        "{fin}"
    );
    let p = parametres(&fin);
    assert_eq!(p["id_token_hint"].split('.').count(), 3, "{p:?}");
    assert_eq!(
        p["post_logout_redirect_uri"],
        format!("{}/connexion", essai.racine)
    );
    assert!(p["state"].len() >= 32);
    // The platform's session is over.
    assert!(!connecte(&client, &essai).await);
    // The provider accepts the hint and, once confirmed, comes back to the platform.
    let r = client.get(&fin).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let confirmation = r.text().await.unwrap();
    let action = confirmation
        .split("action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let xsrf = confirmation
        .split("name=\"xsrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let r = client
        .post(absolue(&fin, &action))
        .form(&[("xsrf", xsrf.as_str()), ("logout", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let retour = destination(&r);
    assert!(
        retour.starts_with(&format!("{}/connexion?", essai.racine)),
        "{retour}"
    );
    assert_eq!(parametres(&retour)["state"], p["state"]);
}

#[tokio::test]
async fn compte_partenaire_et_agent_sans_invitation_refuses() {
    if !fournisseur_disponible("partenaire") {
        return;
    }
    let essai = demarrer("partenaire", &[]).await;
    let (statut, session, page) = connexion_complete(&navigateur(), &essai, "gestionnaire").await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    assert!(!session);
    assert!(page.contains("réservé aux agents"), "{page}");
    assert!(page.contains("mot de passe"));
    assert_eq!(sub_du_compte(&essai.plateforme, GESTIONNAIRE).await, None);

    let (statut, session, page) = connexion_complete(&navigateur(), &essai, "inconnu").await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    assert!(!session);
    assert!(
        page.contains("Demandez à un administrateur") && page.contains("invite"),
        "{page}"
    );
}

#[tokio::test]
async fn page_de_connexion_avec_et_sans_proconnect() {
    if !fournisseur_disponible("page_de_connexion") {
        return;
    }
    let essai = demarrer("page-connexion", &[]).await;
    let page = navigateur()
        .get(format!("{}/connexion", essai.racine))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("S’identifier avec"), "{page}");
    assert!(page.contains("href=\"/connexion/proconnect?retour=/\""));
    assert!(page.contains("name=\"mot_de_passe\""));

    // Without ProConnect: passwords only, and no ProConnect route.
    let base = essais::base_sqlite("web-proconnect", "sans-proconnect").await;
    let routes = web::routeur(Etat {
        plateforme: Plateforme::new(base, Arc::new(Parametres::embarques().unwrap())),
        cookie_securise: false,
    });
    let ecoute = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let racine = format!("http://{}", ecoute.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(
            ecoute,
            routes.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    let client = navigateur();
    let page = client
        .get(format!("{racine}/connexion"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("ProConnect"));
    assert!(page.contains("name=\"mot_de_passe\""));
    for chemin in ["/connexion/proconnect", "/connexion/proconnect/retour"] {
        let r = client
            .get(format!("{racine}{chemin}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{chemin}");
    }
}

#[tokio::test]
async fn premiere_connexion_sur_postgresql() {
    if !fournisseur_disponible("postgresql") {
        return;
    }
    let Some(base) = essais::base_postgres("web-proconnect", "postgresql").await else {
        return;
    };
    let essai = demarrer_sur(base, "postgresql", &[]).await;
    let client = navigateur();
    let (statut, session, _) = connexion_complete(&client, &essai, "agent-caf").await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    assert!(session);
    assert_eq!(
        sub_du_compte(&essai.plateforme, AGENT).await.as_deref(),
        Some("agent-caf")
    );
    let (statut, session, _) = connexion_complete(&navigateur(), &essai, "autre-identite").await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    assert!(!session);
}
