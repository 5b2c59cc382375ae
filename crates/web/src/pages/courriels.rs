//! « Courriels envoyés »: the mails of the outbox a user may read (its own; a Caf agent also
//! those of its départements; the Cnaf all), each with its state (waiting, sent on…, new attempt
//! on…, given up with the error, held for the daily digest, not sent by choice), and each mail
//! opened with its text and attachments. And the form of the profile page where each user
//! chooses how often it receives each adjustable kind of mail.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::courriel::{Frequence, GenreCourriel};
use maud::{Markup, html};
use time::OffsetDateTime;

use app::{CourrielVu, EtatCourriel};

use crate::erreur::ErreurWeb;
use crate::formulaire::Champ;
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf, tableau};
use crate::{Etat, fr};

/// « 06/12/2026 à 09:30 », Paris time.
fn quand(t: OffsetDateTime) -> String {
    let t = fr::heure_de_paris(t);
    format!("{} à {:02}:{:02}", fr::date(t.date()), t.hour(), t.minute())
}

/// The state of a mail in one sentence.
fn etat(e: &EtatCourriel) -> Markup {
    match e {
        EtatCourriel::EnAttente {
            nouvel_essai: Some(t),
            erreur,
            essais,
        } => html! {
            "Nouvel essai prévu le " (quand(*t))
            @if let Some(erreur) = erreur {
                br; small { "(essai n°" (essais) " : " (erreur) ")" }
            }
        },
        EtatCourriel::EnAttente { .. } => html! { "En attente d’envoi" },
        EtatCourriel::Envoye(t) => html! { "Envoyé le " (quand(*t)) },
        EtatCourriel::Echec { erreur, essais } => html! {
            strong { "Échec définitif" } " après " (essais) " essai" @if *essais > 1 { "s" } " : " (erreur)
        },
        EtatCourriel::AResumer => html! { "Réservé pour le résumé du jour" },
        EtatCourriel::Resume { resume } => html! {
            "Envoyé dans le " a href={ "/courriels/" (resume) } { "résumé n°" (resume) }
        },
        EtatCourriel::Ecarte => {
            html! { "Non envoyé (le destinataire ne reçoit pas ce type de courriel)" }
        }
    }
}

fn genre(c: &CourrielVu) -> &'static str {
    c.genre.map_or("Résumé du jour", GenreCourriel::libelle)
}

fn introduction(c: &Connecte) -> Markup {
    html! {
        p {
            @match c.acteur.role {
                domain::Role::Cnaf => "Tous les courriels de la plateforme, les plus récents d’abord.",
                domain::Role::Caf => "Les courriels qui vous ont été adressés et ceux qui concernent les départements de votre Caf, les plus récents d’abord.",
                _ => "Les courriels que la plateforme vous a adressés, les plus récents d’abord.",
            }
            " Vous choisissez la fréquence de chaque type de courriel sur "
            a href="/profil#courriels" { "votre profil" } "."
        }
    }
}

/// `GET /courriels`.
pub async fn liste(State(etat_web): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    let courriels = etat_web.plateforme.courriels(&c.acteur).await?;
    let lignes: Vec<Vec<Markup>> = courriels
        .iter()
        .map(|m| {
            vec![
                html! { (quand(m.cree_le)) },
                html! { (m.destinataire) },
                html! { a href={ "/courriels/" (m.id) } { (m.sujet) } },
                html! { (genre(m)) },
                etat(&m.etat),
            ]
        })
        .collect();
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    Ok(Html(
        vue::page(
            "Courriels envoyés",
            Some(&c),
            "/courriels",
            html! {
                h1 { "Courriels envoyés" }
                (introduction(&c))
                @if courriels.is_empty() {
                    p { "Aucun courriel pour l’instant." }
                } @else {
                    (tableau(
                        "Courriels",
                        &[
                            colonne("Créé le"),
                            colonne("Destinataire"),
                            colonne("Objet"),
                            colonne("Type"),
                            colonne("État"),
                        ],
                        &lignes,
                    ))
                }
            },
        )
        .into_string(),
    ))
}

/// `GET /courriels/{id}`: one mail, if the user may read it.
pub async fn detail(
    State(etat_web): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    let ouvert = etat_web.plateforme.courriel(&c.acteur, id).await?;
    let m = &ouvert.courriel;
    Ok(Html(
        vue::page(
            &format!("Courriel : {}", m.sujet),
            Some(&c),
            "/courriels",
            html! {
                p { a href="/courriels" { "← Tous les courriels" } }
                h1 { (m.sujet) }
                dl.fiche {
                    dt { "Destinataire" } dd { (m.destinataire) }
                    dt { "Type" } dd { (genre(m)) }
                    dt { "Créé le" } dd { (quand(m.cree_le)) }
                    dt { "État" } dd { (etat(&m.etat)) }
                }
                h2 { "Texte" }
                pre.courriel { (ouvert.texte) }
                @if !ouvert.pieces.is_empty() {
                    h2 { "Pièces jointes" }
                    ul {
                        @for (nom, type_mime, taille) in &ouvert.pieces {
                            li { (nom) " (" code { (type_mime) } ", " (fr::entier(i64::try_from(*taille).unwrap_or(i64::MAX))) " octets)" }
                        }
                    }
                }
            },
        )
        .into_string(),
    ))
}

/// The profile page's section of mail preferences.
pub fn section_preferences(c: &Connecte, preferences: &[(GenreCourriel, Frequence)]) -> Markup {
    let options: Vec<(&str, &str)> = Frequence::TOUTES
        .iter()
        .map(|f| (f.code(), f.libelle()))
        .collect();
    html! {
        h2 id="courriels" { "Courriels" }
        p {
            "Pour chaque type de courriel, choisissez de le recevoir immédiatement, dans un résumé par jour (envoyé après minuit, heure universelle) ou pas du tout. "
            "Tous restent consultables sur la page " a href="/courriels" { "Courriels envoyés" } "."
        }
        form method="post" action="/profil/courriels" {
            (champ_csrf(c))
            @for (g, f) in preferences {
                (Champ::new(g.code(), g.libelle()).liste(&options, f.code()))
            }
            button type="submit" { "Enregistrer mes choix" }
        }
        p { "Toujours envoyés immédiatement (avis formels) :" }
        ul {
            @for g in GenreCourriel::TOUS.iter().filter(|g| !g.reglable() && g.pour_un_compte()) {
                li { (g.libelle()) }
            }
        }
    }
}

/// `POST /profil/courriels`: the user's choices, one field per adjustable kind.
pub async fn enregistrer_preferences(
    State(etat_web): State<Etat>,
    c: Connecte,
    Form(champs): Form<Vec<(String, String)>>,
) -> Result<Response, ErreurWeb> {
    let csrf = champs
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.as_str());
    c.verifier_csrf(csrf)?;
    let mut choix = Vec::new();
    for (cle, valeur) in &champs {
        if cle == "_csrf" {
            continue;
        }
        let (Some(g), Some(f)) = (
            GenreCourriel::depuis_code(cle),
            Frequence::depuis_code(valeur),
        ) else {
            return Err(ErreurWeb::Refus(format!(
                "choix de courriel illisible : « {cle} » = « {valeur} »"
            )));
        };
        choix.push((g, f));
    }
    etat_web
        .plateforme
        .fixer_preferences_courriels(c.utilisateur.id, &choix)
        .await?;
    Ok(Redirect::to("/profil#courriels").into_response())
}
