//! The public questionnaire forms (`/questionnaires/{code}`, its easy-to-read version
//! `/questionnaires/{code}/facile`, and `/questionnaires/partenaires/{code}`): no account, no
//! name, closed answers only, one question per fieldset of radio buttons big enough for a
//! finger. A faulty answer is shown again with each question's error; the thank-you page is the
//! same for an answer stored and for a form sent twice; over the rate limit, a French 429 page.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::Refus;
use domain::evaluation::questionnaire::{Item, Public};
use maud::{Markup, html};

use app::{ErreurApp, IssueReponse, QuestionnaireOuvert};

use super::chemin;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::session::AdresseClient;
use crate::{Etat, vue};

/// How the form is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    Standard,
    /// Easy to read: short sentences, one idea per line, pictograms.
    Facile,
}

/// The pictogram of an item in the easy-to-read version (decorative: hidden from screen
/// readers, the question says it all).
fn pictogramme(item: &Item) -> &'static str {
    match item.code {
        "cadre" => "🏠",
        "satisfaction" => "🙂",
        "competence" => "💪",
        "reponses" => "💬",
        "orientation" => "➡️",
        "recommandation" => "👍",
        _ => "•",
    }
}

/// The errors of a refused answer, each on its question.
fn erreurs(r: &Refus) -> Erreurs {
    let mut x = Erreurs::default();
    for r in r.un_par_un() {
        match r {
            Refus::Champ { champ, raison, .. } => x.ajouter(champ, raison.clone()),
            autre => x.ajouter("", autre.to_string()),
        }
    }
    x
}

/// One question: a fieldset of radio buttons with its legend and its error.
fn question(
    numero: usize,
    item: &Item,
    version: Version,
    saisie: &BTreeMap<String, String>,
    x: &Erreurs,
) -> Markup {
    let erreur = x.de(item.code);
    let id_erreur = format!("{}-erreur", item.code);
    let choisi = saisie.get(item.code).map(String::as_str);
    html! {
        fieldset.champ.question.en-erreur[erreur.is_some()] id=(item.code)
            aria-describedby=[erreur.as_ref().map(|_| id_erreur.as_str())] {
            legend {
                @match version {
                    Version::Standard => { span.numero { (numero) ". " } (item.libelle) }
                    Version::Facile => {
                        span.pictogramme aria-hidden="true" { (pictogramme(item)) " " }
                        (item.facile)
                    }
                }
            }
            @if let Some(m) = &erreur {
                p.message-erreur id=(id_erreur) { (m) }
            }
            @for c in item.choix {
                @let id = format!("{}-{}", item.code, c.code);
                div.choix {
                    input type="radio" id=(id) name=(item.code) value=(c.code) required
                        checked[choisi == Some(c.code)]
                        aria-invalid=[erreur.as_ref().map(|_| "true")];
                    " "
                    label.en-ligne for=(id) {
                        @match version {
                            Version::Standard => { (c.libelle) }
                            Version::Facile => { (c.facile) }
                        }
                    }
                }
            }
        }
    }
}

fn page(
    q: &QuestionnaireOuvert,
    code: &str,
    version: Version,
    saisie: &BTreeMap<String, String>,
    x: &Erreurs,
) -> Markup {
    let action = chemin(q.public, code);
    let jeton = saisie
        .get("jeton")
        .filter(|j| !j.trim().is_empty())
        .cloned()
        .unwrap_or_else(app::jeton_de_formulaire);
    let titre = match (q.public, version) {
        (Public::Parents, Version::Facile) => "Votre avis (facile à lire)",
        (Public::Parents, Version::Standard) => "Votre avis sur l’accompagnement",
        (Public::Partenaires, _) => "Questionnaire des partenaires",
    };
    vue::page(
        &x.titre(titre),
        None,
        "",
        html! {
            div.questionnaire.facile[version == Version::Facile] {
                h1 { (titre) }
                (x.resume())
                @match (q.public, version) {
                    (Public::Parents, Version::Facile) => {
                        p { "Vous êtes venu à « " (q.structure) " »." }
                        p { "Nous voulons savoir si cela vous a aidé." }
                        p { "Vous ne donnez pas votre nom." }
                        p { "Personne ne saura ce que vous avez répondu." }
                        p { "Il y a " (q.public.items().len()) " questions." }
                        p { "Pour chaque question, cochez une réponse." }
                        p { a href=(action) { "Voir la version habituelle du questionnaire" } }
                    }
                    (Public::Parents, Version::Standard) => {
                        p {
                            "« " (q.structure) " » vous a accompagné dans votre rôle de parent. "
                            "Votre avis aide la structure, la Caf et la Cnaf à savoir si cet accompagnement est utile aux familles."
                        }
                        p {
                            strong { "Ce questionnaire est anonyme" } " : il ne demande ni votre nom, ni votre adresse, "
                            "et il n’y a aucune case à écrire. Vos réponses ne sont jamais montrées une par une : "
                            "seuls des totaux sont publiés, et un total inférieur à 5 est masqué."
                        }
                        p { (q.public.items().len()) " questions, environ deux minutes. Toutes les questions sont obligatoires." }
                        p {
                            a href={ (action) "/facile" } { "Lire ce questionnaire en version facile à lire" }
                        }
                    }
                    (Public::Partenaires, _) => {
                        p {
                            "Vous travaillez dans la structure « " (q.structure) " » ou avec elle. "
                            "Ce questionnaire aide la Caf et la Cnaf à évaluer l’expérimentation de l’accompagnement individuel à la parentalité, "
                            "et sa place à côté de l’offre collective de soutien à la parentalité."
                        }
                        p {
                            strong { "Il est anonyme" } " : ni nom, ni fonction précise, ni texte libre. "
                            "Seuls des totaux sont publiés, et un total inférieur à 5 est masqué."
                        }
                        p { (q.public.items().len()) " questions. Toutes les questions sont obligatoires." }
                    }
                }
                form.questionnaire method="post" action=(action) novalidate {
                    input type="hidden" name="jeton" value=(jeton);
                    @if version == Version::Facile {
                        input type="hidden" name="facile" value="1";
                    }
                    @for (i, item) in q.public.items().iter().enumerate() {
                        (question(i + 1, item, version, saisie, x))
                    }
                    button type="submit" {
                        @if version == Version::Facile { "J’envoie mes réponses" } @else { "Envoyer mes réponses" }
                    }
                }
            }
        },
    )
}

fn merci(q: &QuestionnaireOuvert, version: Version) -> Markup {
    vue::page(
        "Merci pour vos réponses",
        None,
        "",
        html! {
            div.questionnaire.facile[version == Version::Facile] {
                h1 { "Merci pour vos réponses" }
                div.encadre.succes role="status" {
                    @if version == Version::Facile {
                        p { "Vos réponses sont bien arrivées." }
                        p { "Merci de nous avoir aidés." }
                    } @else {
                        p { "Vos réponses au " (q.public.libelle().to_lowercase()) " de « " (q.structure) " » ont bien été enregistrées." }
                    }
                }
                @if version == Version::Standard {
                    p {
                        "Elles sont comptées avec celles des autres personnes, sans votre nom ni rien qui vous désigne. "
                        "Vous pouvez fermer cette page."
                    }
                } @else {
                    p { "Vous pouvez fermer cette page." }
                }
            }
        },
    )
}

async fn afficher(
    etat: &Etat,
    public: Public,
    code: &str,
    version: Version,
) -> Result<Html<String>, ErreurWeb> {
    let q = etat.plateforme.questionnaire_ouvert(public, code).await?;
    Ok(Html(
        page(&q, code, version, &BTreeMap::new(), &Erreurs::default()).into_string(),
    ))
}

/// `GET /questionnaires/{code}`.
pub async fn formulaire_parents(
    State(etat): State<Etat>,
    Path(code): Path<String>,
) -> Result<Html<String>, ErreurWeb> {
    afficher(&etat, Public::Parents, &code, Version::Standard).await
}

/// `GET /questionnaires/{code}/facile`.
pub async fn formulaire_parents_facile(
    State(etat): State<Etat>,
    Path(code): Path<String>,
) -> Result<Html<String>, ErreurWeb> {
    afficher(&etat, Public::Parents, &code, Version::Facile).await
}

/// `GET /questionnaires/partenaires/{code}`.
pub async fn formulaire_partenaires(
    State(etat): State<Etat>,
    Path(code): Path<String>,
) -> Result<Html<String>, ErreurWeb> {
    afficher(&etat, Public::Partenaires, &code, Version::Standard).await
}

async fn repondre(
    etat: &Etat,
    public: Public,
    code: &str,
    adresse: &str,
    saisie: BTreeMap<String, String>,
) -> Result<Response, ErreurWeb> {
    let p = &etat.plateforme;
    let q = p.questionnaire_ouvert(public, code).await?;
    let version = if public == Public::Parents && saisie.get("facile").is_some_and(|f| f == "1") {
        Version::Facile
    } else {
        Version::Standard
    };
    let jeton = saisie.get("jeton").cloned().unwrap_or_default();
    let maintenant = time::OffsetDateTime::now_utc();
    match p
        .repondre_questionnaire(public, code, &saisie, &jeton, adresse, maintenant)
        .await
    {
        Ok(IssueReponse::Enregistree | IssueReponse::DejaEnregistree) => {
            Ok(Html(merci(&q, version).into_string()).into_response())
        }
        Ok(IssueReponse::TropDEnvois { raison }) => Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "3600")],
            Html(
                vue::page_erreur(
                    "Trop de réponses envoyées",
                    &format!("Vos réponses n’ont pas été enregistrées : {raison}."),
                )
                .into_string(),
            ),
        )
            .into_response()),
        Err(ErreurApp::Refus(r)) => {
            let x = erreurs(&r);
            Ok((
                x.statut(),
                Html(page(&q, code, version, &saisie, &x).into_string()),
            )
                .into_response())
        }
        Err(autre) => Err(autre.into()),
    }
}

/// `POST /questionnaires/{code}` (both versions).
pub async fn repondre_parents(
    State(etat): State<Etat>,
    Path(code): Path<String>,
    AdresseClient(adresse): AdresseClient,
    Form(saisie): Form<BTreeMap<String, String>>,
) -> Result<Response, ErreurWeb> {
    repondre(&etat, Public::Parents, &code, &adresse, saisie).await
}

/// `POST /questionnaires/partenaires/{code}`.
pub async fn repondre_partenaires(
    State(etat): State<Etat>,
    Path(code): Path<String>,
    AdresseClient(adresse): AdresseClient,
    Form(saisie): Form<BTreeMap<String, String>>,
) -> Result<Response, ErreurWeb> {
    repondre(&etat, Public::Partenaires, &code, &adresse, saisie).await
}
