//! The user's profile: identity, role, territory, and personal API tokens: created here with a
//! lifetime (shown once, only their hash kept), listed with their state, and revoked.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::courriel::{Frequence, GenreCourriel};
use maud::{Markup, html};
use serde::Deserialize;

use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::session::{self, Connecte, JETON_DUREE_DEFAUT, JETON_DUREE_MAX};
use crate::vue::{self, Colonne, champ_csrf, tableau};
use crate::{Etat, fr};

/// The longest name of a token.
const LIBELLE_MAX: usize = 80;

/// `05/12/2026` from Unix seconds (the day in UTC, as tokens are dated).
fn jour(secondes: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secondes)
        .map_or_else(|_| "—".to_owned(), |t| fr::date(t.date()))
}

fn liste_jetons(c: &Connecte, jetons: &[store::acces_web::JetonApi]) -> Markup {
    if jetons.is_empty() {
        return html! { p { "Aucun jeton pour l'instant." } };
    }
    let maintenant = session::instant();
    let lignes: Vec<Vec<Markup>> = jetons
        .iter()
        .map(|j| {
            let etat = match j.revoque_le {
                Some(r) => format!("révoqué le {}", jour(r)),
                None if j.expire_le <= maintenant => format!("expiré le {}", jour(j.expire_le)),
                None => format!("valable jusqu'au {}", jour(j.expire_le)),
            };
            let action = html! {
                @if session::jeton_en_vigueur(j, maintenant) {
                    form method="post" action={ "/profil/jetons/" (j.identifiant) "/revocation" } {
                        (champ_csrf(c))
                        button type="submit" class="secondaire" {
                            "Révoquer" span class="sr-only" { " le jeton " (j.libelle) }
                        }
                    }
                }
            };
            vec![
                html! { (j.libelle) },
                html! { code { (j.identifiant) } },
                html! { (jour(j.cree_le)) },
                html! { (etat) },
                action,
            ]
        })
        .collect();
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    tableau(
        "Vos jetons d'accès",
        &[
            colonne("Nom"),
            colonne("Identifiant"),
            colonne("Créé le"),
            colonne("État"),
            colonne("Action"),
        ],
        &lignes,
    )
}

fn rendre(
    c: &Connecte,
    preferences: &[(GenreCourriel, Frequence)],
    jetons: &[store::acces_web::JetonApi],
    jeton: Option<&str>,
    saisie: (&str, &str),
    x: &Erreurs,
) -> String {
    let aide_duree = format!("En jours, de 1 à {JETON_DUREE_MAX}; {JETON_DUREE_DEFAUT} si vide");
    vue::page(
        &x.titre("Profil"),
        Some(c),
        "/profil",
        html! {
            h1 { "Profil" }
            (x.resume())
            dl.fiche {
                dt { "Nom" } dd { (c.utilisateur.nom) }
                dt { "Adresse électronique" } dd { (c.utilisateur.email.as_str()) }
                dt { "Rôle" } dd { (c.acteur.role.libelle()) }
            }
            (crate::pages::courriels::section_preferences(c, preferences))
            h2 { "Accès à l'API" }
            p {
                "Un jeton personnel donne accès à l'API (" code { "/api/v1" } ") avec vos droits, jusqu'à son expiration ou sa révocation. "
                "Décrite dans " a href="/api/openapi.json" { "le document OpenAPI" } "."
            }
            @if let Some(j) = jeton {
                div.encadre.succes role="status" {
                    p { "Votre jeton d'accès (copiez-le maintenant, il ne sera plus affiché):" }
                    p { code { (j) } }
                }
            }
            (liste_jetons(c, jetons))
            form method="post" action="/profil/jetons" novalidate {
                (champ_csrf(c))
                (Champ::new("libelle", "Nom du jeton")
                    .aide("Pour le reconnaître, par exemple « logiciel comptable »; 80 caractères au plus")
                    .erreurs(x)
                    .longueur_max(80)
                    .texte(saisie.0))
                (Champ::new("duree", "Durée de validité")
                    .aide(&aide_duree)
                    .erreurs(x)
                    .clavier(Clavier::Numerique)
                    .texte(saisie.1))
                button type="submit" { "Créer un jeton" }
            }
        },
    )
    .into_string()
}

pub async fn page(State(etat): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    let jetons = session::jetons(&etat.plateforme, c.utilisateur.id.0).await?;
    let preferences = etat
        .plateforme
        .preferences_courriels(c.utilisateur.id)
        .await?;
    Ok(Html(rendre(
        &c,
        &preferences,
        &jetons,
        None,
        ("", ""),
        &Erreurs::default(),
    )))
}

#[derive(Debug, Deserialize)]
pub struct NouveauJeton {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    libelle: Option<String>,
    duree: Option<String>,
}

pub async fn creer_jeton(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<NouveauJeton>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let saisi = f.libelle.unwrap_or_default();
    let duree_saisie = f.duree.unwrap_or_default();
    let mut x = Erreurs::default();
    let libelle = match domain::texte::TexteLibre::court("Nom du jeton", &saisi) {
        Ok(t) => t.into_inner(),
        Err(domain::texte::ErreurTexte::Vide { .. }) => "jeton".to_owned(),
        Err(m) => {
            x.ajouter("libelle", m.to_string());
            String::new()
        }
    };
    if libelle.chars().count() > LIBELLE_MAX {
        x.ajouter(
            "libelle",
            format!(
                "Nom du jeton : {LIBELLE_MAX} caractères au plus (saisis : {})",
                libelle.chars().count()
            ),
        );
    }
    let duree = if duree_saisie.trim().is_empty() {
        Some(JETON_DUREE_DEFAUT)
    } else {
        duree_saisie
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=JETON_DUREE_MAX).contains(d))
    };
    if duree.is_none() {
        x.ajouter(
            "duree",
            format!(
                "Durée de validité : un nombre entier de jours de 1 à {JETON_DUREE_MAX} (saisi : « {} »)",
                duree_saisie.trim()
            ),
        );
    }
    let jetons = |p| session::jetons(p, c.utilisateur.id.0);
    let preferences = p.preferences_courriels(c.utilisateur.id).await?;
    let (Some(duree), true) = (duree, x.est_vide()) else {
        let liste = jetons(p).await?;
        return Ok((
            x.statut(),
            Html(rendre(
                &c,
                &preferences,
                &liste,
                None,
                (&saisi, &duree_saisie),
                &x,
            )),
        )
            .into_response());
    };
    let jeton = session::creer_jeton(p, c.utilisateur.id.0, &libelle, duree).await?;
    let liste = jetons(p).await?;
    Ok(Html(rendre(
        &c,
        &preferences,
        &liste,
        Some(&jeton),
        ("", ""),
        &Erreurs::default(),
    ))
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct Revocation {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// Revokes one of the user's own tokens.
pub async fn revoquer_jeton(
    State(etat): State<Etat>,
    c: Connecte,
    Path(identifiant): Path<String>,
    Form(f): Form<Revocation>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    if !session::revoquer_jeton(&etat.plateforme, c.utilisateur.id.0, &identifiant).await? {
        return Err(ErreurWeb::Introuvable);
    }
    Ok(Redirect::to("/profil").into_response())
}
