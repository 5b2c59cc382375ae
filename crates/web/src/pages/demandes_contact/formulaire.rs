//! The public contact form of a service (`/annuaire/services/{id}/contact`): a first name or a
//! pseudonym, one way to be reached, preferred times, a message, and the consent whose label
//! states the purpose and the retention period. Every faulty field is reported at once with its
//! reason, the values typed kept. A field hidden from people (its label asks to leave it empty)
//! catches robots: when it is filled, nothing is recorded and the same confirmation is shown.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::Refus;
use domain::annuaire::contact::{
    LONGUEUR_MAX_CRENEAUX, LONGUEUR_MAX_MESSAGE, LONGUEUR_MAX_PRENOM, Saisie,
    duree_en_toutes_lettres,
};
use domain::identifiants::ServiceId;
use maud::{Markup, html};
use serde::Deserialize;

use app::{ErreurApp, IssueEnvoi, ServiceContactable};

use super::jour;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Erreurs};
use crate::pages::coordination::adresse_publique;
use crate::session::AdresseClient;
use crate::{Etat, vue};

/// The name of the trap field: a plausible one, that robots fill in.
pub const CHAMP_PIEGE: &str = "site_web";

/// The form as posted.
#[derive(Debug, Deserialize, Default)]
pub struct Envoi {
    #[serde(default)]
    prenom: String,
    #[serde(default)]
    moyen: String,
    #[serde(default)]
    courriel: String,
    #[serde(default)]
    telephone: String,
    #[serde(default)]
    creneaux: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    consentement: Option<String>,
    #[serde(default, rename = "site_web")]
    piege: String,
}

impl Envoi {
    fn saisie(&self) -> Saisie {
        Saisie {
            prenom: self.prenom.clone(),
            moyen: self.moyen.clone(),
            courriel: self.courriel.clone(),
            telephone: self.telephone.clone(),
            creneaux: self.creneaux.clone(),
            message: self.message.clone(),
            consentement: self.consentement.is_some(),
        }
    }
}

/// The label of each field, to start its error message.
fn libelle(champ: &str) -> &'static str {
    match champ {
        "prenom" => "Prénom ou pseudonyme",
        "moyen" => "Moyen de contact",
        "courriel" => "Adresse électronique",
        "telephone" => "Numéro de téléphone",
        "creneaux" => "Moments où vous joindre",
        "message" => "Message",
        "consentement" => "Accord pour la transmission",
        _ => "Demande",
    }
}

/// The errors of a refused submission, each on its field.
fn erreurs(r: &Refus) -> Erreurs {
    let mut x = Erreurs::default();
    for r in r.un_par_un() {
        match r {
            Refus::Champ { champ, raison, .. } => {
                x.ajouter(champ, format!("{} : {raison}", libelle(champ)));
            }
            autre => x.ajouter("", autre.to_string()),
        }
    }
    x
}

fn adresse_formulaire(service: ServiceId) -> String {
    format!("/annuaire/services/{service}/contact")
}

/// The radio buttons of the way to be reached, in a fieldset with its error.
fn choix_moyen(e: &Envoi, x: &Erreurs) -> Markup {
    let erreur = x.de("moyen");
    let decrit = erreur.as_ref().map(|_| "moyen-erreur");
    html! {
        fieldset.champ.en-erreur[erreur.is_some()] id="moyen" aria-describedby=[decrit] {
            legend { "Comment souhaitez-vous être contacté ?" }
            @if let Some(m) = &erreur {
                p.message-erreur id="moyen-erreur" { (m) }
            }
            div {
                input type="radio" id="moyen-courriel" name="moyen" value="courriel"
                    checked[e.moyen == "courriel"] aria-invalid=[erreur.as_ref().map(|_| "true")];
                " "
                label.en-ligne for="moyen-courriel" { "Par courriel" }
            }
            div {
                input type="radio" id="moyen-telephone" name="moyen" value="telephone"
                    checked[e.moyen == "telephone"] aria-invalid=[erreur.as_ref().map(|_| "true")];
                " "
                label.en-ligne for="moyen-telephone" { "Par téléphone" }
            }
        }
    }
}

fn page_formulaire(id: ServiceId, s: &ServiceContactable, e: &Envoi, x: &Erreurs) -> Markup {
    let duree = duree_en_toutes_lettres(s.conservation_mois);
    vue::page(
        &x.titre(&format!("Contacter « {} »", s.nom)),
        None,
        "",
        html! {
            p { a href={ "/annuaire/services/" (id) } { "← Retour à la page du service" } }
            h1 { "Contacter « " (s.nom) " »" }
            (x.resume())
            p {
                "Votre demande est transmise à « " (s.structure) " », et à elle seule. "
                "Elle vous répondra par courriel ou vous appellera, selon votre choix. "
                "Vous n’avez pas besoin de compte, ni de donner votre nom de famille."
            }
            p { "Tous les champs sont obligatoires, sauf mention « facultatif »." }
            form.demande-contact method="post" action=(adresse_formulaire(id)) novalidate {
                (Champ::new("prenom", "Prénom ou pseudonyme")
                    .aide("Pas de nom de famille : un prénom ou un pseudonyme suffit.")
                    .erreurs(x)
                    .autocomplete("given-name")
                    .longueur_max(LONGUEUR_MAX_PRENOM as u32)
                    .requis()
                    .texte(&e.prenom))
                (choix_moyen(e, x))
                (Champ::new("courriel", "Adresse électronique (si vous choisissez le courriel)")
                    .aide("Format attendu : nom@domaine.fr")
                    .erreurs(x)
                    .autocomplete("email")
                    .saisie("email", &e.courriel))
                (Champ::new("telephone", "Numéro de téléphone (si vous choisissez le téléphone)")
                    .aide("Par exemple : 06 12 34 56 78")
                    .erreurs(x)
                    .autocomplete("tel")
                    .saisie("tel", &e.telephone))
                (Champ::new("creneaux", "Moments où vous joindre (facultatif)")
                    .aide("Par exemple : en semaine après 17 h")
                    .erreurs(x)
                    .longueur_max(LONGUEUR_MAX_CRENEAUX as u32)
                    .texte(&e.creneaux))
                (Champ::new("message", "Votre message")
                    .aide(AIDE_MESSAGE)
                    .erreurs(x)
                    .longueur_max(LONGUEUR_MAX_MESSAGE as u32)
                    .requis()
                    .zone(&e.message))
                div.piege {
                    label for=(CHAMP_PIEGE) { "Ne remplissez pas ce champ : il sert à écarter les envois automatiques." }
                    input type="text" id=(CHAMP_PIEGE) name=(CHAMP_PIEGE) value=(e.piege)
                        tabindex="-1" autocomplete="off";
                }
                (Champ::new("consentement", &s.consentement)
                    .erreurs(x)
                    .requis()
                    .case(e.consentement.is_some()))
                button type="submit" { "Envoyer ma demande" }
            }
            h2 { "Vos données" }
            p {
                "Votre demande et vos coordonnées servent uniquement à ce que la structure vous réponde. "
                "Elles sont supprimées " (duree) " après l’envoi ; la Caf ne voit que des nombres de demandes, jamais leur contenu. "
                a href="/donnees-personnelles" { "En savoir plus sur vos données" } "."
            }
        },
    )
}

const AIDE_MESSAGE: &str = "Entre 10 et 2 000 caractères. Dites ce que vous attendez ; inutile de donner des informations sur votre santé ou le nom de vos enfants.";

/// `GET /annuaire/services/{id}/contact`.
pub async fn formulaire(
    State(etat): State<Etat>,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    let service = ServiceId(id);
    let s = etat
        .plateforme
        .service_contactable(service, time::OffsetDateTime::now_utc())
        .await?;
    Ok(Html(
        page_formulaire(service, &s, &Envoi::default(), &Erreurs::default()).into_string(),
    ))
}

/// The confirmation: what happens next, and when the request is deleted. The same whether the
/// request was kept or dropped as a robot's.
fn confirmation(s: &ServiceContactable, e: &Envoi, a_supprimer_le: time::OffsetDateTime) -> Markup {
    let par_courriel = e.moyen == "courriel";
    vue::page(
        "Demande envoyée",
        None,
        "",
        html! {
            h1 { "Votre demande a été envoyée" }
            div.encadre.succes role="status" {
                p { "« " (s.structure) " » a reçu votre demande pour le service « " (s.nom) " »." }
            }
            h2 { "Et maintenant ?" }
            ul {
                li { "La structure lit votre demande dans son espace sécurisé : elle seule y a accès." }
                @if par_courriel {
                    li { "Elle vous répondra par courriel. Un accusé de réception vient de vous être envoyé ; pensez à regarder dans vos courriers indésirables." }
                } @else {
                    li { "Elle vous appellera au numéro indiqué" @if !e.creneaux.trim().is_empty() { ", si possible aux moments que vous avez donnés" } "." }
                }
                li { "Votre demande et vos coordonnées seront supprimées le " strong { (jour(a_supprimer_le)) } "." }
            }
            p { "Sans nouvelles dans les prochains jours, contactez directement la structure avec les coordonnées de sa page." }
            p { a href={ "/annuaire/services/" (s.destinataire.service) } { "Retour à la page du service" } }
        },
    )
}

/// The address the mail to the structure links to: `PARENTALITE_ADRESSE_PUBLIQUE` when the
/// operator set it (the form is public: a `Host` header chosen by whoever posts must not decide
/// where the structure is sent to log in), else the address the request reached.
fn adresse_des_liens(etat: &Etat, entetes: &HeaderMap) -> String {
    std::env::var("PARENTALITE_ADRESSE_PUBLIQUE")
        .ok()
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| adresse_publique(etat, entetes))
}

/// `POST /annuaire/services/{id}/contact`.
pub async fn envoyer(
    State(etat): State<Etat>,
    Path(id): Path<i64>,
    AdresseClient(adresse): AdresseClient,
    entetes: HeaderMap,
    Form(e): Form<Envoi>,
) -> Result<Response, ErreurWeb> {
    let service = ServiceId(id);
    let maintenant = time::OffsetDateTime::now_utc();
    let p = &etat.plateforme;
    let s = p.service_contactable(service, maintenant).await?;
    let issue = p
        .envoyer_demande_contact(
            service,
            &e.saisie(),
            &e.piege,
            &adresse,
            &adresse_des_liens(&etat, &entetes),
            maintenant,
        )
        .await;
    match issue {
        Ok(IssueEnvoi::Envoyee { a_supprimer_le, .. } | IssueEnvoi::Ecartee { a_supprimer_le }) => {
            Ok(Html(confirmation(&s, &e, a_supprimer_le).into_string()).into_response())
        }
        Ok(IssueEnvoi::TropDEnvois { raison }) => Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "3600")],
            Html(
                vue::page_erreur(
                    "Trop de demandes envoyées",
                    &format!("Votre demande n’a pas été envoyée : {raison}."),
                )
                .into_string(),
            ),
        )
            .into_response()),
        Err(ErreurApp::Refus(r)) => {
            let x = erreurs(&r);
            Ok((
                x.statut(),
                Html(page_formulaire(service, &s, &e, &x).into_string()),
            )
                .into_response())
        }
        Err(autre) => Err(autre.into()),
    }
}
