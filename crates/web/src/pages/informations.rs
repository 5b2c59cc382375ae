//! The pages every visitor may read, logged in or not: the site map (a second way to find a
//! page besides the menu, RGAA criterion 12.1) and what the service does with personal data.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Html;
use domain::acces::Role;
use maud::{Markup, html};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::session;
use crate::vue;
use crate::vue::rubriques;

/// The pages a role reaches beyond the menu, by section.
fn pages_du_role(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut pages = Vec::new();
    if role == Role::Gestionnaire {
        pages.push(("/dossiers/nouveau", "Déposer un projet"));
        pages.push(("/structures/inscription", "Inscrire une structure"));
    }
    if matches!(role, Role::Caf | Role::Gestionnaire) {
        pages.push(("/dossiers?non_lus=1", "Dossiers avec des messages non lus"));
    }
    if matches!(role, Role::Caf | Role::Cnaf | Role::Financeur) {
        pages.push((
            "/dossiers?etat=presente_en_comite",
            "Ordre du jour du comité des financeurs",
        ));
    }
    pages.push(("/profil", "Votre profil et vos jetons d'accès à l'API"));
    pages
}

fn liste(liens: &[(&str, &str)]) -> Markup {
    html! {
        ul {
            @for (adresse, texte) in liens {
                li { a href=(adresse) { (texte) } }
            }
        }
    }
}

/// `GET /plan-du-site`: every page the visitor may reach, by section.
pub async fn plan_du_site(
    State(etat): State<Etat>,
    entetes: HeaderMap,
) -> Result<Html<String>, ErreurWeb> {
    let connecte = session::session(&etat, &entetes).await?;
    let informations = liste(&[
        ("/plan-du-site", "Plan du site"),
        ("/accessibilite", "Déclaration d'accessibilité"),
        ("/donnees-personnelles", "Données personnelles et cookies"),
        (
            "/registre-des-traitements",
            "Registre des activités de traitement",
        ),
    ]);
    let contenu = match &connecte {
        Some(c) => html! {
            h1 { "Plan du site" }
            h2 { "Rubriques" }
            (liste(&rubriques(c.acteur.role)))
            h2 { "Raccourcis" }
            (liste(&pages_du_role(c.acteur.role)))
            h2 { "Informations" }
            (informations)
        },
        None => html! {
            h1 { "Plan du site" }
            h2 { "Votre espace" }
            (liste(&[("/connexion", "Se connecter")]))
            p { "Les autres pages dépendent de votre rôle : elles figurent ici une fois connecté." }
            h2 { "Informations" }
            (informations)
        },
    };
    Ok(Html(
        vue::page("Plan du site", connecte.as_ref(), "", contenu).into_string(),
    ))
}

/// `GET /donnees-personnelles`: what the service stores about people, and what it never does.
pub async fn donnees_personnelles(
    State(etat): State<Etat>,
    entetes: HeaderMap,
) -> Result<Html<String>, ErreurWeb> {
    let connecte = session::session(&etat, &entetes).await?;
    let contenu = html! {
        h1 { "Données personnelles et cookies" }
        h2 { "Les familles ne sont jamais nommées" }
        p {
            "Les entretiens sont enregistrés sous un code pseudonyme : l'identifiant que la structure donne à "
            "une famille est aussitôt transformé par un calcul à clé propre à chaque structure (HMAC-SHA256), "
            "puis oublié. Ni le nom, ni l'adresse, ni la date de naissance d'un parent ou d'un enfant ne sont "
            "enregistrés. Les tableaux de bord et les exports ne donnent que des nombres ; dans les données "
            "ouvertes, tout nombre inférieur à 5 est masqué pour qu'aucune famille ne puisse être reconnue."
        }
        h2 { "Ce que le service enregistre" }
        ul {
            li {
                "Pour chaque compte : nom, adresse électronique, rôle et territoire ; le mot de passe n'est "
                "conservé que sous une forme qui ne permet pas de le retrouver (Argon2id)."
            }
            li {
                "Pour les structures : leur identité (SIRET, adresse), leurs lieux d'accueil et leurs intervenants "
                "(nom, diplôme, statut, temps de travail), nécessaires à la vérification de l'éligibilité."
            }
            li {
                "Pour les dossiers : le projet, les échanges avec la Caf, les décisions, les conventions, "
                "les déclarations et les paiements, avec un journal de chaque modification (qui, quand, quoi)."
            }
        }
        h2 { "Demandes de contact des parents" }
        p {
            "Un parent qui contacte un service de l'annuaire donne un prénom ou un pseudonyme (jamais son nom "
            "de famille), une adresse électronique ou un numéro de téléphone et un message, avec son accord. "
            "Seule la structure destinataire les lit, pour lui répondre ; la Caf ne voit que des nombres de "
            "demandes. Le message et les coordonnées sont supprimés à la fin de la durée de conservation "
            "indiquée sur le formulaire (3 mois par défaut) ; l'adresse IP de l'envoi n'est gardée qu'un jour, "
            "pour limiter les envois abusifs."
        }
        h2 { "Cookies" }
        p {
            "Le service ne dépose que deux cookies, indispensables à la sécurité : celui du formulaire de "
            "connexion, qui le protège contre les envois frauduleux (une heure au plus), et celui de votre "
            "session, supprimé à la déconnexion ou après 8 heures d'inactivité. Aucun cookie de mesure "
            "d'audience ou de publicité, aucun contenu chargé depuis un autre site."
        }
        h2 { "Vos droits" }
        p { "Pour consulter ou faire corriger les données qui vous concernent, adressez-vous à votre Caf." }
    };
    Ok(Html(
        vue::page(
            "Données personnelles et cookies",
            connecte.as_ref(),
            "",
            contenu,
        )
        .into_string(),
    ))
}
