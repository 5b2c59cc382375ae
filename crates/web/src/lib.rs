//! The web application: server-rendered pages in French for Caf agents, gestionnaires, funders
//! and the Cnaf, and the JSON API. Every page and API call goes through the use cases of `app`,
//! so role and territory are checked the same way everywhere.

mod api;
mod api_activite;
mod api_erreur;
mod api_pieces;
mod carte;
mod encodage;
mod erreur;
mod formulaire;
mod fr;
mod graphiques;
mod journal;
pub mod mesures;
mod pages;
mod partiel;
pub mod pdf;
mod redirection;
mod securite;
pub mod session;
mod travail;
mod vue;

use std::net::SocketAddr;

use app::Plateforme;
use axum::Router;
use axum::routing::{get, post};

pub use erreur::ErreurWeb;

/// What every request needs.
#[derive(Debug, Clone)]
pub struct Etat {
    pub plateforme: Plateforme,
    /// Mark cookies `Secure` (behind HTTPS).
    pub cookie_securise: bool,
}

/// All the routes.
pub fn routeur(etat: Etat) -> Router {
    Router::new()
        .route("/healthz", get(pages::sante))
        .route("/static/parentalite.css", get(pages::feuille_de_style))
        .route(crate::vue::ADRESSE_HTMX, get(pages::htmx))
        .route(
            "/connexion",
            get(pages::connexion::formulaire).post(pages::connexion::connecter),
        )
        .route("/deconnexion", post(pages::connexion::deconnecter))
        // ProConnect login for public agents (OpenID Connect).
        .route("/connexion/proconnect", get(session::proconnect::commencer))
        .route(
            "/connexion/proconnect/retour",
            get(session::proconnect::retour),
        )
        .route("/", get(pages::accueil::accueil))
        .route("/annuaire", get(pages::annuaire::recherche::page))
        .route("/annuaire/communes", get(pages::annuaire::communes))
        .route("/annuaire/services/{id}", get(pages::annuaire::fiche::page))
        .route("/sitemap.xml", get(pages::annuaire::plan_du_site_xml))
        .route(
            crate::vue::ADRESSE_SCRIPT_ANNUAIRE,
            get(pages::annuaire::script),
        )
        .route("/robots.txt", get(pages::annuaire::robots))
        .route(
            "/calcul",
            get(pages::calcul::formulaire).post(pages::calcul::calculer),
        )
        .route("/dossiers", get(pages::dossiers::liste))
        .route("/comite", get(pages::comite::liste))
        .route("/comite/plan", get(pages::comite::plan))
        .route(
            "/comite/{departement}/{date}",
            get(pages::comite::page_seance),
        )
        .route(
            "/comite/{departement}/{date}/dossiers/{id}",
            post(pages::comite::enregistrer),
        )
        .route(
            "/dossiers/nouveau",
            get(pages::nouveau_dossier::formulaire).post(pages::nouveau_dossier::creer),
        )
        .route("/dossiers/lot", post(pages::dossiers::agir_en_lot))
        .route(
            "/dossiers/filtres",
            post(pages::dossiers::enregistrer_filtre),
        )
        .route(
            "/dossiers/filtres/{id}/suppression",
            post(pages::dossiers::supprimer_filtre),
        )
        .route("/dossiers/{id}", get(pages::dossiers::fiche))
        .route("/dossiers/{id}/action", post(pages::dossiers::agir))
        .route("/dossiers/{id}/messages", post(pages::dossiers::ecrire))
        .route(
            "/dossiers/{id}/projet",
            post(pages::dossiers::modifier_projet),
        )
        .route(
            "/dossiers/{id}/notification.pdf",
            get(pages::documents::notification),
        )
        .route(
            "/structures",
            get(pages::structures::liste).post(pages::structures::enregistrer),
        )
        .route(
            "/structures/inscription",
            get(pages::structures::inscription).post(pages::structures::inscrire),
        )
        .route("/structures/{id}", get(pages::structures::fiche))
        .route(
            "/structures/{id}/lieux",
            post(pages::structures::ajouter_lieu),
        )
        .route(
            "/structures/{id}/intervenants",
            post(pages::structures::ajouter_intervenant),
        )
        .route(
            "/pieces/{objet}/{id}",
            get(pages::pieces::page_objet)
                .post(pages::pieces::deposer)
                .layer(axum::extract::DefaultBodyLimit::max(
                    pages::pieces::CORPS_MAX,
                )),
        )
        .route(
            "/pieces/{id}/versions/{numero}",
            get(pages::pieces::telecharger),
        )
        .route(
            "/structures/{id}/engagements",
            post(pages::engagements::attester),
        )
        .route(
            "/structures/{id}/engagements/controle",
            post(pages::engagements::controler),
        )
        .route("/conventions", get(pages::conventions::liste))
        .route("/conventions/relances", post(pages::conventions::relancer))
        .route("/conventions/{id}", get(pages::convention::fiche))
        .route("/conventions/{id}/action", post(pages::convention::agir))
        .route(
            "/conventions/{id}/convention.pdf",
            get(pages::documents::convention),
        )
        .route(
            "/conventions/{id}/releve.pdf",
            get(pages::documents::releve),
        )
        .route(
            "/paiements",
            get(pages::paiements::liste).post(pages::paiements::preparer),
        )
        .route(
            "/paiements/campagne",
            get(pages::paiements::apercu).post(pages::paiements::confirmer),
        )
        .route(
            "/paiements/campagnes/{fichier}",
            get(pages::paiements_export::telecharger),
        )
        .route(
            "/structures/{id}/banque",
            post(pages::coordonnees_bancaires::enregistrer),
        )
        .route(
            "/enveloppes",
            get(pages::enveloppes::tableau_de_bord).post(pages::enveloppes::allouer),
        )
        .route("/exports/{fichier}", get(pages::exports::telecharger))
        .route("/services", get(pages::services::index))
        .route(
            "/services/nouveau",
            get(pages::services::nouveau).post(pages::services::creer),
        )
        .route("/services/{id}", get(pages::services::page))
        .route(
            "/services/{id}/modification",
            get(pages::services::modification).post(pages::services::modifier),
        )
        .route(
            "/services/{id}/soumission",
            post(pages::services::soumettre),
        )
        .route("/services/{id}/retrait", post(pages::services::retirer))
        .route("/services/{id}/decision", post(pages::services::decider))
        .route("/coordination", get(pages::coordination::index))
        .route(
            "/coordination/{departement}",
            get(pages::coordination::page_instance),
        )
        .route(
            "/coordination/{departement}/configuration",
            post(pages::coordination::configurer),
        )
        .route(
            "/coordination/{departement}/membres",
            post(pages::coordination::ajouter_membre),
        )
        .route(
            "/coordination/{departement}/membres/import",
            post(pages::coordination::importer_membres),
        )
        .route(
            "/coordination/{departement}/seances",
            post(pages::coordination::planifier),
        )
        .route(
            "/coordination/{departement}/rapport/{fichier}",
            get(pages::rapport::rapport),
        )
        .route(
            "/coordination/{departement}/rapport/{fichier}/envoi",
            post(pages::rapport::envoyer),
        )
        .route(
            "/coordination/rapports/{annee}",
            get(pages::rapport::comparaison),
        )
        // The national instance of the AIP experiment and its calls for candidacies.
        .route("/instance-nationale", get(pages::instance_nationale::page))
        .route(
            "/instance-nationale/configuration",
            post(pages::instance_nationale::configurer),
        )
        .route(
            "/instance-nationale/membres",
            post(pages::instance_nationale::ajouter_membre),
        )
        .route(
            "/instance-nationale/seances",
            post(pages::instance_nationale::planifier),
        )
        .route(
            "/instance-nationale/phases/{numero}",
            post(pages::instance_nationale::modifier_phase),
        )
        .route(
            "/candidatures",
            get(pages::candidatures::index).post(pages::candidatures::ouvrir),
        )
        .route(
            "/candidatures/appels/{id}",
            get(pages::candidatures::page_appel),
        )
        .route(
            "/candidatures/appels/{id}/candidature",
            post(pages::candidatures::enregistrer),
        )
        .route("/candidatures/{id}", get(pages::candidatures::page))
        .route(
            "/candidatures/{id}/decision",
            post(pages::candidatures::decider),
        )
        // Evaluation of the experiment: indicators, monographs, national bilan.
        .route("/evaluation", get(pages::evaluation::page))
        .route(
            "/evaluation/departements/{departement}",
            get(pages::evaluation::monographie).post(pages::evaluation::enregistrer),
        )
        .route("/evaluation/bilan.pdf", get(pages::evaluation::bilan_pdf))
        .route("/evaluation/bilan.zip", get(pages::evaluation::bilan_zip))
        .route("/seances/{id}", get(pages::coordination::page_seance))
        .route("/seances/{id}/action", post(pages::coordination::agir))
        .route(
            "/seances/{id}/emargement.pdf",
            get(pages::coordination::emargement_pdf),
        )
        .route(
            "/seances/{id}/compte-rendu.pdf",
            get(pages::coordination::compte_rendu_pdf),
        )
        .route(
            "/convocations/{jeton}",
            get(pages::coordination::page_lien).post(pages::coordination::repondre_par_lien),
        )
        .route(
            "/convocations/{jeton}/commentaire",
            post(pages::coordination::commenter_par_lien),
        )
        .route("/profil", get(pages::profil::page))
        .route("/profil/jetons", post(pages::profil::creer_jeton))
        .route(
            "/profil/courriels",
            post(pages::courriels::enregistrer_preferences),
        )
        .route("/courriels", get(pages::courriels::liste))
        .route("/courriels/{id}", get(pages::courriels::detail))
        .route(
            "/profil/jetons/{identifiant}/revocation",
            post(pages::profil::revoquer_jeton),
        )
        .route(
            "/annuaire/services/{id}/contact",
            get(pages::demandes_contact::formulaire).post(pages::demandes_contact::envoyer),
        )
        .route("/demandes", get(pages::demandes_contact::liste))
        .route(
            "/demandes/statistiques",
            get(pages::demandes_contact::statistiques),
        )
        .route("/demandes/{id}", get(pages::demandes_contact::fiche))
        .route(
            "/demandes/{id}/reponse",
            post(pages::demandes_contact::repondre),
        )
        .route(
            "/demandes/{id}/cloture",
            post(pages::demandes_contact::cloturer),
        )
        // Anonymous evaluation questionnaires: public forms, a structure's links, results.
        .route(
            "/questionnaires/{code}",
            get(pages::questionnaires::formulaire_parents)
                .post(pages::questionnaires::repondre_parents),
        )
        .route(
            "/questionnaires/{code}/facile",
            get(pages::questionnaires::formulaire_parents_facile),
        )
        .route(
            "/questionnaires/partenaires/{code}",
            get(pages::questionnaires::formulaire_partenaires)
                .post(pages::questionnaires::repondre_partenaires),
        )
        .route(
            "/structures/{id}/questionnaire",
            get(pages::questionnaires::page_liens),
        )
        .route(
            "/structures/{id}/questionnaire/affiche",
            get(pages::questionnaires::affiche),
        )
        .route(
            "/structures/{id}/questionnaire/renouveler",
            post(pages::questionnaires::renouveler),
        )
        .route(
            "/structures/{id}/questionnaire/{fichier}",
            get(pages::questionnaires::qr_svg),
        )
        .route(
            "/evaluation/questionnaires",
            get(pages::questionnaires::resultats),
        )
        .route(
            "/evaluation/questionnaires.csv",
            get(pages::questionnaires::resultats_csv),
        )
        .route("/accessibilite", get(pages::accessibilite))
        .route("/plan-du-site", get(pages::informations::plan_du_site))
        .route("/territoires", get(pages::territoires::liste))
        .route(
            "/territoires/{dep}",
            get(pages::territoires::fiche_departement),
        )
        .route(
            "/territoires/{dep}/fiche.csv",
            get(pages::territoires::csv_departement),
        )
        .route(
            "/territoires/communes/{code}",
            get(pages::territoires::fiche_commune),
        )
        .route(
            "/territoires/communes/{code}/fiche.csv",
            get(pages::territoires::csv_commune),
        )
        .route(
            "/donnees-personnelles",
            get(pages::informations::donnees_personnelles),
        )
        .route("/activite", get(pages::activite::page_activite))
        .route("/activite/bilan", post(pages::activite::transmettre_bilan))
        .route("/activite/entretiens", post(pages::activite::enregistrer))
        .route(
            "/activite/import",
            post(pages::activite::importer).layer(axum::extract::DefaultBodyLimit::max(
                pages::activite::TAILLE_MAX_IMPORT + 64 * 1024,
            )),
        )
        .route(
            "/tableau-de-bord",
            get(pages::tableau_de_bord::page_tableau),
        )
        .route(
            "/tableau-de-bord/{fichier}",
            get(pages::tableau_de_bord::telecharger),
        )
        .route(
            "/coordination/diagnostic",
            get(pages::diagnostic::page_diagnostic),
        )
        .route(
            "/coordination/diagnostic.csv",
            get(pages::diagnostic::telecharger_diagnostic),
        )
        .route(
            "/coordination/plan-d-action",
            get(pages::diagnostic::page_plan_action).post(pages::diagnostic::enregistrer_action),
        )
        .route(
            "/coordination/plan-d-action/{id}/suppression",
            post(pages::diagnostic::supprimer_action),
        )
        .route(
            "/coordination/communication",
            get(pages::diagnostic::page_communication)
                .post(pages::diagnostic::enregistrer_communication),
        )
        .route(
            "/coordination/communication/{id}/suppression",
            post(pages::diagnostic::supprimer_communication),
        )
        .route(
            "/donnees-ouvertes",
            get(pages::donnees_ouvertes::description),
        )
        .route(
            "/donnees-ouvertes/structures.json",
            get(pages::donnees_ouvertes::structures_json),
        )
        .route(
            "/donnees-ouvertes/structures.csv",
            get(pages::donnees_ouvertes::structures_csv),
        )
        .route(
            "/donnees-ouvertes/services.json",
            get(pages::donnees_ouvertes::services_json),
        )
        .route(
            "/donnees-ouvertes/services.csv",
            get(pages::donnees_ouvertes::services_csv),
        )
        .route(
            "/api/donnees-ouvertes/v1/structures",
            get(pages::donnees_ouvertes::api_structures),
        )
        .route(
            "/api/donnees-ouvertes/v1/services",
            get(pages::donnees_ouvertes::api_services),
        )
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/v1/calculs/aip", post(api::calcul_aip))
        .route("/api/v1/dossiers", get(api::dossiers))
        .route("/api/v1/conventions", get(api::conventions))
        .route(
            "/api/v1/declarations",
            get(api::declarations).post(api::soumettre_declaration),
        )
        .route("/api/v1/paiements", get(api::paiements))
        .route("/api/v1/pieces/{objet}/{id}", get(api_pieces::pieces))
        .route(
            "/api/v1/pieces/{id}/versions/{numero}",
            get(api_pieces::version),
        )
        .route(
            "/api/v1/activite/tableau-de-bord",
            get(api_activite::tableau_de_bord),
        )
        .route(
            "/api/v1/activite/indicateurs",
            get(api_activite::indicateurs),
        )
        .route(
            "/api/v1/activite/entretiens",
            post(api_activite::enregistrer),
        )
        .route(
            "/api/v1/activite/imports",
            post(api_activite::importer).layer(axum::extract::DefaultBodyLimit::max(
                pages::activite::TAILLE_MAX_IMPORT,
            )),
        )
        // Public register of processing activities (RGPD article 30)
        .route(pages::registre::ADRESSE, get(pages::registre::page))
        // Operators' metrics (Prometheus)
        .route(mesures::ADRESSE, get(mesures::exposer))
        .fallback(pages::introuvable)
        .layer(axum::middleware::from_fn(encodage::verifier))
        .layer(axum::middleware::from_fn(partiel::adapter))
        .layer(axum::middleware::from_fn_with_state(
            etat.clone(),
            securite::entetes,
        ))
        // Pages, scripts, style sheet, exports: gzip or brotli (level 4 of each: most of the gain,
        // little of the time) as the client accepts (not
        // images, nor answers of a few bytes).
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
        .layer(axum::middleware::from_fn(mesures::mesurer))
        .layer(journal::couche())
        // Outermost: everything above runs to its end even when the client goes away.
        .layer(axum::middleware::from_fn(travail::detacher))
        .with_state(etat)
}

/// All the routes, with ProConnect login for public agents through `proconnect`.
pub fn routeur_avec_proconnect(
    etat: Etat,
    proconnect: std::sync::Arc<session::proconnect::ProConnect>,
) -> Router {
    routeur(etat).layer(axum::Extension(proconnect))
}

/// Listens on `addr` (port 0: one the system chooses; the listener tells which).
pub async fn ecouter(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

/// Serves the application on a listener until Ctrl-C; each request knows its client's address
/// (login throttling by address).
pub async fn servir(etat: Etat, ecoute: tokio::net::TcpListener) -> std::io::Result<()> {
    servir_avec(etat, None, ecoute).await
}

/// [`servir`], with ProConnect login for public agents when `proconnect` is given.
pub async fn servir_avec(
    etat: Etat,
    proconnect: Option<std::sync::Arc<session::proconnect::ProConnect>>,
    ecoute: tokio::net::TcpListener,
) -> std::io::Result<()> {
    let routes = match proconnect {
        Some(pc) => routeur_avec_proconnect(etat, pc),
        None => routeur(etat),
    };
    axum::serve(
        ecoute,
        routes.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
