//! Payments: the list a user may see with the payment runs already confirmed; for a Caf agent,
//! the preview of a run (each payee, frozen amount and bank details, the total, and what will
//! not be paid and why) and its confirmation, which issues exactly what was previewed.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::acces::Role;
use domain::paiement::{NaturePaiement, Paiement};
use maud::{Markup, html};
use serde::Deserialize;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf};

/// The wording of a payment's nature, with the rank of an instalment.
pub fn nature_lisible(nature: NaturePaiement) -> String {
    match nature {
        NaturePaiement::Versement(rang) => format!("versement n°{rang}"),
        autre => autre.libelle().to_owned(),
    }
}

fn colonne(titre: &str, nombre: bool) -> Colonne<'_> {
    Colonne { titre, nombre }
}

fn tableau_paiements(legende: &str, paiements: &[Paiement]) -> Markup {
    let lignes: Vec<Vec<Markup>> = paiements
        .iter()
        .map(|v| {
            vec![
                html! { (v.reference) },
                html! { (v.departement.as_str()) },
                html! { (v.exercice) },
                html! { (nature_lisible(v.nature)) },
                html! { (fr::euros(v.montant.centimes())) },
                html! { (fr::date(v.date)) },
            ]
        })
        .collect();
    vue::tableau(
        legende,
        &[
            colonne("Référence", false),
            colonne("Département", false),
            colonne("Exercice", true),
            colonne("Nature", false),
            colonne("Montant", true),
            colonne("Date", false),
        ],
        &lignes,
    )
}

async fn liste_paiements(etat: &Etat, c: &Connecte) -> Result<Markup, ErreurWeb> {
    let paiements: Vec<Paiement> = etat
        .plateforme
        .paiements(&c.acteur, None)
        .await?
        .into_iter()
        .map(|p| p.valeur)
        .collect();
    let campagnes = etat.plateforme.campagnes(&c.acteur).await?;
    let lignes_campagnes: Vec<Vec<Markup>> = campagnes
        .iter()
        .map(|campagne| {
            vec![
                html! { (campagne.campagne) },
                html! { (fr::date(campagne.date)) },
                html! { (fr::entier(campagne.paiements.len() as u64)) },
                html! { (fr::euros(campagne.total().centimes())) },
                html! {
                    a href={ "/paiements/campagnes/" (campagne.campagne) ".csv" } {
                        "Télécharger le fichier de virement (CSV)"
                        span class="sr-only" { " de la campagne " (campagne.campagne) }
                    }
                },
            ]
        })
        .collect();
    Ok(html! {
        h2 { "Campagnes de paiements confirmées" }
        (vue::tableau(
            &format!("{} campagne(s)", fr::entier(campagnes.len() as u64)),
            &[
                colonne("Campagne", false),
                colonne("Date", false),
                colonne("Paiements", true),
                colonne("Total net", true),
                colonne("Export", false),
            ],
            &lignes_campagnes,
        ))
        h2 { "Paiements émis" }
        p class="actions" {
            a class="bouton secondaire" href="/exports/paiements.csv" { "Exporter (CSV)" }
            a class="bouton secondaire" href="/exports/paiements.xlsx" { "Exporter (XLSX)" }
        }
        (tableau_paiements(&format!("{} paiement(s)", fr::entier(paiements.len() as u64)), &paiements))
    })
}

/// `GET /paiements`.
pub async fn liste(State(etat): State<Etat>, c: Connecte) -> Result<Response, ErreurWeb> {
    let preparer = (c.acteur.role == Role::Caf).then(|| {
        html! {
            p { a class="bouton" href="/paiements/campagne" { "Préparer une campagne de paiements" } }
        }
    });
    let liste = liste_paiements(&etat, &c).await?;
    let contenu = html! {
        h1 { "Paiements" }
        @if let Some(p) = preparer { (p) }
        (liste)
    };
    Ok(vue::page("Paiements", Some(&c), "/paiements", contenu).into_response())
}

#[derive(Debug, Deserialize)]
pub struct Jeton {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// `GET /paiements/campagne`: the preview of a run.
pub async fn apercu(State(etat): State<Etat>, c: Connecte) -> Result<Response, ErreurWeb> {
    rendre_apercu(&etat, &c, None).await
}

/// `POST /paiements`: the former « issue » button now leads to the preview; nothing is issued
/// without confirming it.
pub async fn preparer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<Jeton>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    rendre_apercu(&etat, &c, None).await
}

async fn rendre_apercu(
    etat: &Etat,
    c: &Connecte,
    avertissement: Option<&str>,
) -> Result<Response, ErreurWeb> {
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let apercu = etat
        .plateforme
        .apercu_campagne(&c.acteur, aujourd_hui)
        .await?;
    let contenu = super::paiements_apercu::vue_apercu(&apercu, &champ_csrf(c), avertissement);
    Ok(vue::page(
        "Préparer une campagne de paiements",
        Some(c),
        "/paiements",
        contenu,
    )
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct ConfirmationCampagne {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    empreinte: String,
}

/// `POST /paiements/campagne`: confirms the previewed run.
pub async fn confirmer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<ConfirmationCampagne>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let quand = time::OffsetDateTime::now_utc();
    let resultat = etat
        .plateforme
        .confirmer_campagne(&c.acteur, f.empreinte.trim(), quand.date(), quand)
        .await?;
    let contenu = match resultat {
        app::Confirmation::Perimee => {
            return rendre_apercu(
                &etat,
                &c,
                Some("Ce qui est dû a changé depuis l’aperçu (un paiement émis, une déclaration validée ou rouverte, des coordonnées bancaires modifiées) : rien n’a été payé. Voici l’aperçu à jour ; vérifiez-le avant de confirmer."),
            )
            .await;
        }
        app::Confirmation::DejaConfirmee {
            campagne,
            paiements,
        } => html! {
            h1 { "Campagne déjà confirmée" }
            div class="encadre attention" role="status" {
                p { "Cette campagne (" (campagne) ") a déjà été confirmée : rien n’a été payé une seconde fois." }
            }
            (tableau_paiements(&format!("{} paiement(s) de la campagne", fr::entier(paiements.len() as u64)), &paiements))
            p { a href="/paiements" { "Retour aux paiements" } }
        },
        app::Confirmation::Confirmee {
            campagne,
            emis,
            rouvertes,
            refus,
        } => {
            let total: i64 = emis.iter().map(|p| p.montant_signe().centimes()).sum();
            html! {
                h1 { "Campagne confirmée" }
                div class="encadre succes" role="status" {
                    p { (match emis.len() { 0 => "Aucun paiement émis.".to_owned(), 1 => "1 paiement émis.".to_owned(), n => format!("{} paiements émis.", fr::entier(n as u64)) }) " Total net : " (fr::euros(total)) "." }
                    @for (d, raison) in &rouvertes {
                        p { "La " (d.nature.libelle()) " " (d.exercice) " de la convention n°" (d.convention) " est renvoyée à la validation, rien n’a été payé : " (raison) "." }
                    }
                    @for (convention, exercice, _, r) in &refus {
                        p { "Convention n°" (convention) ", exercice " (exercice) " : " (r.raison()) }
                    }
                }
                (tableau_paiements(&format!("{} paiement(s) émis dans la campagne {campagne}", fr::entier(emis.len() as u64)), &emis))
                p class="actions" {
                    a class="bouton" href={ "/paiements/campagnes/" (campagne) ".csv" } { "Télécharger le fichier de virement (CSV)" }
                    a class="bouton secondaire" href="/paiements" { "Retour aux paiements" }
                }
            }
        }
    };
    Ok(vue::page("Campagne de paiements", Some(&c), "/paiements", contenu).into_response())
}
