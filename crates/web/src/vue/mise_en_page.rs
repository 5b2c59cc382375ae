//! The layout: skip link, header with the service and the user, the main navigation of the
//! user's role (or the public navigation when nobody is signed in), the content, and the footer with the site map, the accessibility statement and
//! the personal data page.

use maud::{DOCTYPE, Markup, html};

use super::navigation::{ADRESSE_HTMX, rubriques};
use crate::session::Connecte;

/// The htmx settings, for a page whose content uses it (`hx-` attributes): nothing evaluated
/// from attributes, no injected style, no page copied into the browser's history storage, and
/// refused forms (422, 409) swapped in like accepted ones.
const CONFIGURATION_HTMX: &str = r#"{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,"historyCacheSize":0,"refreshOnHistoryMiss":true,"scrollIntoViewOnBoost":false,"selfRequestsOnly":true,"responseHandling":[{"code":"204","swap":false},{"code":"2..","swap":true},{"code":"[45]..","swap":true,"error":true}]}"#;

fn navigation(c: &Connecte, actif: &str) -> Markup {
    html! {
        nav.principale aria-label="Menu principal" {
            ul {
                @for (adresse, texte) in rubriques(c.acteur.role) {
                    li {
                        @if adresse == actif {
                            a href=(adresse) aria-current="page" { (texte) }
                        } @else {
                            a href=(adresse) { (texte) }
                        }
                    }
                }
            }
        }
    }
}

/// Where the directory's commune suggestions script is served.
pub const ADRESSE_SCRIPT_ANNUAIRE: &str = "/static/annuaire.js";
/// The attribute of a field that asks for that script.
const ATTRIBUT_SUGGESTIONS: &str = "data-suggestions-communes";

/// The sections anyone reaches without an account.
const RUBRIQUES_PUBLIQUES: [(&str, &str); 4] = [
    ("/annuaire", "Trouver un service"),
    ("/territoires", "Territoires"),
    ("/donnees-ouvertes", "Données ouvertes"),
    ("/connexion", "Se connecter"),
];

fn navigation_publique(actif: &str) -> Markup {
    html! {
        nav.principale aria-label="Menu principal" {
            ul {
                @for (adresse, texte) in RUBRIQUES_PUBLIQUES {
                    li {
                        @if adresse == actif {
                            a href=(adresse) aria-current="page" { (texte) }
                        } @else {
                            a href=(adresse) { (texte) }
                        }
                    }
                }
            }
        }
    }
}

fn utilisateur(c: &Connecte) -> Markup {
    html! {
        div.utilisateur {
            span { (c.utilisateur.nom) " " span.etiquette { (c.acteur.role.libelle()) } }
            a href="/profil" { "Profil" }
            form.en-ligne method="post" action="/deconnexion" {
                input type="hidden" name="_csrf" value=(c.csrf);
                button.secondaire type="submit" { "Se déconnecter" }
            }
        }
    }
}

/// A whole page around `contenu`. `actif` is the address of the menu entry to mark current.
pub fn page(titre: &str, connecte: Option<&Connecte>, actif: &str, contenu: Markup) -> Markup {
    let htmx = contenu.0.contains(" hx-");
    let suggestions = contenu.0.contains(ATTRIBUT_SUGGESTIONS);
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (titre) " – Parentalité" }
                link rel="stylesheet" href="/static/parentalite.css";
                @if htmx {
                    meta name="htmx-config" content=(CONFIGURATION_HTMX);
                    script src=(ADRESSE_HTMX) defer {}
                }
                @if suggestions {
                    script src=(ADRESSE_SCRIPT_ANNUAIRE) defer {}
                }
            }
            body {
                a.evitement href="#contenu" { "Aller au contenu" }
                header.entete role="banner" {
                    div.conteneur {
                        a.service href="/" { "Parentalité" span { "Soutien à la parentalité – Caf et partenaires" } }
                        @if let Some(c) = connecte { (utilisateur(c)) }
                    }
                    div.conteneur {
                        @if let Some(c) = connecte { (navigation(c, actif)) } @else { (navigation_publique(actif)) }
                    }
                }
                main #contenu tabindex="-1" {
                    div.conteneur { (contenu) }
                }
                footer.pied role="contentinfo" {
                    div.conteneur {
                        p { "Parentalité – plateforme des Caf et de leurs partenaires pour le soutien à la parentalité." }
                        ul.liens-pied {
                            li { a href="/plan-du-site" { "Plan du site" } }
                            li { a href="/accessibilite" { "Accessibilité : partiellement conforme" } }
                            li { a href="/donnees-personnelles" { "Données personnelles et cookies" } }
                            li { a href="/registre-des-traitements" { "Registre des traitements" } }
                        }
                    }
                }
            }
        }
    }
}

/// The page of an error, for someone who may not be logged in.
pub fn page_erreur(titre: &str, message: &str) -> Markup {
    page(
        titre,
        None,
        "",
        html! {
            h1 { (titre) }
            div.encadre.erreur role="alert" { p { (message) } }
            p { a href="/" { "Retour à l'accueil" } }
        },
    )
}
