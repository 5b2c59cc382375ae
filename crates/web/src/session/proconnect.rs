//! ProConnect login for public agents (Caf, Cnaf, co-funders): the OpenID Connect authorization
//! code flow through the `openidconnect` crate. The provider is found by discovery from its issuer
//! URL. `/connexion/proconnect` stores a random `state` and `nonce` (64 characters each) under the
//! hash of a short-lived cookie and sends the browser to the provider with only the parameters
//! ProConnect documents; `/connexion/proconnect/retour` takes that login back (once), checks the
//! `state`, exchanges the code with the client secret, verifies the ID token (signature, issuer,
//! audience, expiry, `nonce`), reads the userinfo answer (a signed JWT, as ProConnect sends it, or
//! plain JSON), matches the account (see `app::cas::proconnect`) and opens a session that keeps
//! the ID token; logging out of such a session goes through the provider's `end_session_endpoint`
//! with `id_token_hint`, `post_logout_redirect_uri` and a `state`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::{IdentiteProConnect, Rapprochement};
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreIdToken};
use openidconnect::{
    AdditionalClaims, AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, LogoutRequest, Nonce,
    OAuth2TokenResponse, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope,
    TokenResponse, UserInfoClaims, reqwest,
};
use serde::{Deserialize, Serialize};

use super::{constant_eq, cookie, hacher, instant, secret};
use crate::erreur::ErreurWeb;
use crate::{Etat, vue};

/// The cookie that ties a login in progress to the browser that started it.
pub const COOKIE_PROCONNECT: &str = "parentalite_proconnect";
/// How long a login at the provider may take, in seconds.
pub const DUREE_CONNEXION: i64 = 10 * 60;
/// How long the provider's discovered metadata and keys are kept before being read again (and
/// they are read again after a login that failed at the code exchange or the verifications).
const DUREE_METADONNEES: Duration = Duration::from_secs(3600);
/// The scopes asked for: those ProConnect documents for the claims the platform reads.
pub const PORTEES: [&str; 5] = ["email", "given_name", "usual_name", "siret", "idp_id"];

/// Where the provider is and how the platform is registered with it.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigurationProConnect {
    /// The provider's issuer URL (discovery at `{issuer}/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The platform's public address (`https://parentalite.example.fr`): the redirect URI is
    /// `{url_publique}/connexion/proconnect/retour`, the address after logout
    /// `{url_publique}/connexion`.
    pub url_publique: String,
}

/// The client secret is never printed.
impl std::fmt::Debug for ConfigurationProConnect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigurationProConnect")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("url_publique", &self.url_publique)
            .finish()
    }
}

impl ConfigurationProConnect {
    /// The redirect URI registered with the provider.
    pub fn url_retour(&self) -> String {
        format!(
            "{}/connexion/proconnect/retour",
            self.url_publique.trim_end_matches('/')
        )
    }

    /// The post-logout redirect URI registered with the provider.
    pub fn url_apres_deconnexion(&self) -> String {
        format!("{}/connexion", self.url_publique.trim_end_matches('/'))
    }
}

/// The ProConnect client of a running server: its configuration, an HTTP client that follows no
/// redirect, and the provider's metadata once discovered.
#[derive(Debug)]
pub struct ProConnect {
    configuration: ConfigurationProConnect,
    http: reqwest::Client,
    metadonnees: Mutex<Option<(Instant, ProviderMetadataWithLogout)>>,
}

/// The ProConnect client given to the handlers (as a request extension); absent when the server
/// runs without ProConnect.
pub type FournisseurProConnect = Option<Extension<Arc<ProConnect>>>;

/// The claims ProConnect adds to the standard ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RevendicationsProConnect {
    pub usual_name: Option<String>,
    pub siret: Option<String>,
    pub idp_id: Option<String>,
}

impl AdditionalClaims for RevendicationsProConnect {}

/// Why a ProConnect login did not go through; its message is shown to the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EchecProConnect {
    pub statut: StatusCode,
    pub message: String,
}

fn echec(statut: StatusCode, message: impl Into<String>) -> EchecProConnect {
    EchecProConnect {
        statut,
        message: message.into(),
    }
}

fn fournisseur_injoignable(detail: impl std::fmt::Display) -> EchecProConnect {
    tracing::warn!("ProConnect: {detail}");
    echec(
        StatusCode::BAD_GATEWAY,
        "ProConnect n’a pas pu être joint ou a donné une réponse illisible. Réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe si vous en avez un.",
    )
}

impl ProConnect {
    /// A client for `configuration`; the provider is discovered at the first login.
    pub fn new(configuration: ConfigurationProConnect) -> Result<Self, String> {
        IssuerUrl::new(configuration.issuer.clone())
            .map_err(|e| format!("URL d’émetteur ProConnect illisible: {e}"))?;
        RedirectUrl::new(configuration.url_retour())
            .map_err(|e| format!("adresse publique illisible: {e}"))?;
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("client HTTP de ProConnect: {e}"))?;
        Ok(ProConnect {
            configuration,
            http,
            metadonnees: Mutex::new(None),
        })
    }

    pub fn configuration(&self) -> &ConfigurationProConnect {
        &self.configuration
    }

    /// The provider's metadata and keys, discovered again after [`DUREE_METADONNEES`].
    async fn metadonnees(&self) -> Result<ProviderMetadataWithLogout, EchecProConnect> {
        if let Ok(garde) = self.metadonnees.lock()
            && let Some((quand, m)) = garde.as_ref()
            && quand.elapsed() < DUREE_METADONNEES
        {
            return Ok(m.clone());
        }
        let issuer =
            IssuerUrl::new(self.configuration.issuer.clone()).map_err(fournisseur_injoignable)?;
        let m = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| fournisseur_injoignable(format!("découverte: {e}")))?;
        if let Ok(mut garde) = self.metadonnees.lock() {
            *garde = Some((Instant::now(), m.clone()));
        }
        Ok(m)
    }

    async fn client(&self) -> Result<ClientDecouvert, EchecProConnect> {
        let m = self.metadonnees().await?;
        let redirection =
            RedirectUrl::new(self.configuration.url_retour()).map_err(fournisseur_injoignable)?;
        let client = CoreClient::from_provider_metadata(
            m,
            ClientId::new(self.configuration.client_id.clone()),
            Some(ClientSecret::new(self.configuration.client_secret.clone())),
        )
        .set_redirect_uri(redirection)
        .set_auth_type(AuthType::RequestBody);
        Ok(client)
    }

    /// The provider's authorization URL for a login with this `state` and `nonce`.
    pub async fn url_autorisation(
        &self,
        etat: &str,
        nonce: &str,
    ) -> Result<String, EchecProConnect> {
        let client = self.client().await?;
        Ok(url_autorisation_client(
            &client,
            etat.to_owned(),
            nonce.to_owned(),
        ))
    }

    /// Exchanges `code`, verifies the ID token against `nonce`, reads userinfo: the person's
    /// identity and the ID token (as its compact form).
    pub async fn identifier(
        &self,
        code: &str,
        nonce: &str,
    ) -> Result<(IdentiteProConnect, String), EchecProConnect> {
        let client = self.client().await?;
        let resultat = identifier_client(&client, &self.http, code, nonce).await;
        if resultat.is_err() {
            // The provider may have rotated its keys: the next login discovers them again.
            if let Ok(mut garde) = self.metadonnees.lock() {
                *garde = None;
            }
        }
        resultat
    }

    /// The provider's logout URL for a session that kept `jeton_id`; `None` when the provider
    /// has no `end_session_endpoint` or the token is illegible.
    pub async fn url_fin_de_session(&self, jeton_id: &str) -> Option<String> {
        let m = self.metadonnees().await.ok()?;
        let fin = m.additional_metadata().end_session_endpoint.clone()?;
        let jeton: CoreIdToken = jeton_id.parse().ok()?;
        let apres = PostLogoutRedirectUrl::new(self.configuration.url_apres_deconnexion()).ok()?;
        Some(
            LogoutRequest::from(fin)
                .set_id_token_hint(&jeton)
                .set_post_logout_redirect_uri(apres)
                .set_state(CsrfToken::new(secret()))
                .http_get_url()
                .to_string(),
        )
    }
}

/// A client built from the provider's discovered metadata: authorization URL set, token and
/// userinfo endpoints as discovered.
type ClientDecouvert = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

fn url_autorisation_client(client: &ClientDecouvert, etat: String, nonce: String) -> String {
    let mut demande = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        move || CsrfToken::new(etat),
        move || Nonce::new(nonce),
    );
    for portee in PORTEES {
        demande = demande.add_scope(Scope::new(portee.to_owned()));
    }
    demande.url().0.to_string()
}

async fn identifier_client(
    client: &ClientDecouvert,
    http: &reqwest::Client,
    code: &str,
    nonce: &str,
) -> Result<(IdentiteProConnect, String), EchecProConnect> {
    let reponse = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(fournisseur_injoignable)?
        .request_async(http)
        .await
        .map_err(|e| {
            tracing::warn!("ProConnect: échange du code refusé: {e:?}");
            echec(
                StatusCode::BAD_REQUEST,
                "ProConnect n’a pas confirmé cette connexion (code d’autorisation refusé ou déjà utilisé). Recommencez depuis la page de connexion.",
            )
        })?;
    let jeton = reponse
        .id_token()
        .ok_or_else(|| fournisseur_injoignable("réponse du jeton sans ID token"))?;
    let verificateur = client.id_token_verifier();
    let revendications = jeton
        .claims(&verificateur, &Nonce::new(nonce.to_owned()))
        .map_err(|e| {
            tracing::warn!("ProConnect: ID token refusé: {e}");
            echec(
                StatusCode::BAD_REQUEST,
                "La réponse de ProConnect ne correspond pas à cette connexion (jeton d’identité invalide, expiré ou destiné à une autre demande). Aucune session n’a été ouverte : recommencez depuis la page de connexion.",
            )
        })?;
    let sub = revendications.subject().clone();
    let infos: UserInfoClaims<RevendicationsProConnect, CoreGenderClaim> = client
        .user_info(reponse.access_token().clone(), Some(sub.clone()))
        .map_err(fournisseur_injoignable)?
        .request_async(http)
        .await
        .map_err(|e| fournisseur_injoignable(format!("userinfo: {e:?}")))?;
    let email = infos
        .email()
        .map(|e| e.as_str().to_owned())
        .ok_or_else(|| {
            echec(
                StatusCode::BAD_REQUEST,
                "ProConnect n’a pas transmis d’adresse électronique : la plateforme ne peut pas retrouver votre compte.",
            )
        })?;
    let supplement = infos.additional_claims();
    let identite = IdentiteProConnect {
        sub: sub.as_str().to_owned(),
        email,
        prenom: infos
            .given_name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned()),
        nom_usuel: supplement.usual_name.clone(),
        siret: supplement.siret.clone(),
        fournisseur_identite: supplement.idp_id.clone(),
    };
    Ok((identite, jeton.to_string()))
}
/// The `Set-Cookie` value of a login in progress (or its removal with `None`): sent back only to
/// `/connexion/proconnect…`, `SameSite=Lax` so that it comes back with the provider's redirect.
fn entete_cookie_connexion(cle: Option<&str>, securise: bool) -> String {
    let secure = if securise { "; Secure" } else { "" };
    let (valeur, duree) = match cle {
        Some(c) => (c, DUREE_CONNEXION),
        None => ("", 0),
    };
    format!(
        "{COOKIE_PROCONNECT}={valeur}; HttpOnly; SameSite=Lax; Path=/connexion/proconnect; Max-Age={duree}{secure}"
    )
}

/// The page of a refused or failed ProConnect login: no session, the login cookie removed.
fn page_refus(e: EchecProConnect, securise: bool) -> Response {
    (
        e.statut,
        [(header::SET_COOKIE, entete_cookie_connexion(None, securise))],
        Html(contenu_refus(&e.message).into_string()),
    )
        .into_response()
}

fn contenu_refus(message: &str) -> Markup {
    vue::page(
        "Connexion par ProConnect refusée",
        None,
        "",
        html! {
            h1 { "Connexion par ProConnect refusée" }
            p role="alert" { (message) }
            p { a href="/connexion" { "Revenir à la page de connexion" } }
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct DemandeConnexion {
    retour: Option<String>,
}

/// `GET /connexion/proconnect`: starts a login at the provider.
pub async fn commencer(
    State(etat): State<Etat>,
    fournisseur: FournisseurProConnect,
    Query(q): Query<DemandeConnexion>,
) -> Result<Response, ErreurWeb> {
    let Some(Extension(pc)) = fournisseur else {
        return Err(ErreurWeb::Introuvable);
    };
    let securise = etat.cookie_securise;
    let (etat_oidc, nonce, cle) = (secret(), secret(), secret());
    let url = match pc.url_autorisation(&etat_oidc, &nonce).await {
        Ok(u) => u,
        Err(e) => return Ok(page_refus(e, securise)),
    };
    let maintenant = instant();
    store::comptes::noter_connexion_proconnect(
        &etat.plateforme.base,
        &hacher(&cle),
        &store::comptes::ConnexionProConnect {
            etat: etat_oidc,
            nonce,
            retour: crate::redirection::chemin_ou_accueil(q.retour.as_deref()),
        },
        maintenant,
        maintenant + DUREE_CONNEXION,
    )
    .await?;
    Ok((
        [(
            header::SET_COOKIE,
            entete_cookie_connexion(Some(&cle), securise),
        )],
        Redirect::to(&url),
    )
        .into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct RetourFournisseur {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /connexion/proconnect/retour`: the provider's answer.
pub async fn retour(
    State(etat): State<Etat>,
    fournisseur: FournisseurProConnect,
    entetes: HeaderMap,
    Query(q): Query<RetourFournisseur>,
) -> Result<Response, ErreurWeb> {
    let Some(Extension(pc)) = fournisseur else {
        return Err(ErreurWeb::Introuvable);
    };
    let securise = etat.cookie_securise;
    let p = &etat.plateforme;
    let refus = |message: &str| page_refus(echec(StatusCode::BAD_REQUEST, message), securise);
    // The login in progress of this browser, taken once: a second use of the same answer, an
    // answer arriving in another browser or after expiry finds nothing.
    let en_cours = match cookie(&entetes, COOKIE_PROCONNECT).filter(|c| !c.is_empty()) {
        Some(cle) => {
            store::comptes::prendre_connexion_proconnect(&p.base, &hacher(&cle), instant()).await?
        }
        None => None,
    };
    let Some(en_cours) = en_cours else {
        return Ok(refus(
            "Cette réponse de ProConnect ne correspond à aucune connexion commencée dans ce navigateur, ou la connexion a expiré. Aucune session n’a été ouverte : recommencez depuis la page de connexion.",
        ));
    };
    match q.state.as_deref() {
        Some(s) if constant_eq(s.as_bytes(), en_cours.etat.as_bytes()) => {}
        _ => {
            return Ok(refus(
                "Le paramètre « state » de la réponse de ProConnect est absent ou ne correspond pas à la connexion commencée. Aucune session n’a été ouverte : recommencez depuis la page de connexion.",
            ));
        }
    }
    if let Some(erreur) = q.error.as_deref() {
        tracing::info!(
            "ProConnect: connexion refusée par le fournisseur: {erreur} ({})",
            q.error_description.as_deref().unwrap_or("")
        );
        return Ok(refus(
            "ProConnect n’a pas confirmé votre identité (connexion annulée ou refusée). Aucune session n’a été ouverte.",
        ));
    }
    let Some(code) = q.code.as_deref().filter(|c| !c.is_empty()) else {
        return Ok(refus(
            "La réponse de ProConnect ne contient pas de code d’autorisation. Recommencez depuis la page de connexion.",
        ));
    };
    let (identite, jeton_id) = match pc.identifier(code, &en_cours.nonce).await {
        Ok(r) => r,
        Err(e) => return Ok(page_refus(e, securise)),
    };
    let maintenant = time::OffsetDateTime::now_utc();
    let id = match p
        .rapprocher_compte_proconnect(&identite, maintenant)
        .await?
    {
        Rapprochement::Compte { id, .. } => id,
        Rapprochement::Inconnu => {
            return Ok(page_refus(
                echec(
                    StatusCode::FORBIDDEN,
                    format!(
                        "Aucun compte de la plateforme n’est ouvert pour {}. Demandez à un administrateur de votre Caf (ou de la Cnaf) de vous inviter avec cette adresse électronique, puis reconnectez-vous avec ProConnect.",
                        identite.email
                    ),
                ),
                securise,
            ));
        }
        Rapprochement::Partenaire => {
            return Ok(page_refus(
                echec(
                    StatusCode::FORBIDDEN,
                    "ProConnect est réservé aux agents des Caf, de la Cnaf et des financeurs. Votre compte de partenaire se connecte avec son adresse électronique et son mot de passe, sur la page de connexion.",
                ),
                securise,
            ));
        }
        Rapprochement::AutreIdentite => {
            return Ok(page_refus(
                echec(
                    StatusCode::FORBIDDEN,
                    "Le compte de cette adresse électronique est déjà rattaché à une autre identité ProConnect. Si vous avez changé de compte ProConnect, demandez à un administrateur de la plateforme de rattacher votre compte à nouveau.",
                ),
                securise,
            ));
        }
    };
    let jeton = super::ouvrir(p, id).await?;
    store::comptes::noter_jeton_id_proconnect(&p.base, &hacher(&jeton), &jeton_id).await?;
    Ok((
        AppendHeaders([
            (
                header::SET_COOKIE,
                super::entete_cookie(Some(&jeton), securise),
            ),
            (header::SET_COOKIE, entete_cookie_connexion(None, securise)),
        ]),
        Redirect::to(&en_cours.retour),
    )
        .into_response())
}

/// The provider's logout URL for the session of these headers, when it was opened through
/// ProConnect and the server runs with it. Read before the session is closed.
pub async fn url_fin_de_session(
    etat: &Etat,
    fournisseur: &FournisseurProConnect,
    entetes: &HeaderMap,
) -> Result<Option<String>, ErreurWeb> {
    let Some(Extension(pc)) = fournisseur else {
        return Ok(None);
    };
    let Some(jeton) = cookie(entetes, super::COOKIE) else {
        return Ok(None);
    };
    let Some(jeton_id) =
        store::comptes::jeton_id_proconnect(&etat.plateforme.base, &hacher(&jeton)).await?
    else {
        return Ok(None);
    };
    Ok(pc.url_fin_de_session(&jeton_id).await)
}

/// The page after logging out of a ProConnect session: on to the provider's logout (a refresh,
/// not a redirect, since the logout form may only send to this site), with a link if it does not
/// happen.
pub fn page_fin_de_session(url: &str, securise: bool) -> Response {
    let contenu = html! {
        (maud::DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="refresh" content=(format!("0;url={url}"));
                title { "Déconnexion de ProConnect — Parentalité" }
            }
            body {
                main {
                    h1 { "Vous êtes déconnecté de la plateforme" }
                    p { a href=(url) { "Terminer aussi votre session ProConnect" } }
                }
            }
        }
    };
    (
        [(header::SET_COOKIE, super::entete_cookie(None, securise))],
        Html(contenu.into_string()),
    )
        .into_response()
}

/// The block of the login page offering ProConnect, after ProConnect's button guidelines
/// (« S’identifier avec ProConnect », and the link explaining what ProConnect is).
pub fn bouton(retour: &str) -> Markup {
    html! {
        section.proconnect aria-labelledby="titre-proconnect" {
            h2 #titre-proconnect { "Agents des Caf, de la Cnaf et des financeurs" }
            a.proconnect-bouton href=(format!("/connexion/proconnect?retour={}", super::encoder(retour))) {
                span.proconnect-texte { "S’identifier avec" }
                " "
                span.proconnect-marque { "ProConnect" }
            }
            p {
                a href="https://www.proconnect.gouv.fr/" target="_blank" rel="noopener" {
                    "Qu’est-ce que ProConnect ?"
                    span.sr-only { " (nouvelle fenêtre)" }
                }
            }
        }
    }
}
