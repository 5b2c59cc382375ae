//! Payments: the list a user may see and, for a Caf agent, issuing every payment due (each one
//! once, whatever the number of clicks).

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use domain::acces::Role;
use serde::Deserialize;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::date_fr;
use crate::rendu::{csrf, e, euros, page, tableau};
use crate::session::Connecte;

async fn rendre(etat: &Etat, c: &Connecte, message: Option<String>) -> Result<String, ErreurWeb> {
    let paiements = etat.plateforme.paiements(&c.acteur, None).await?;
    let lignes: Vec<Vec<String>> = paiements
        .iter()
        .map(|v| {
            let v = &v.valeur;
            vec![
                e(&v.reference),
                e(v.departement.as_str()),
                v.exercice.to_string(),
                e(v.nature.libelle()),
                euros(v.montant.centimes()),
                date_fr(v.date),
            ]
        })
        .collect();
    let dus = etat.plateforme.paiements_dus(&c.acteur).await?;
    let conventions = etat.plateforme.conventions(&c.acteur).await?;
    let lignes_dus: Vec<Vec<String>> = dus
        .iter()
        .map(|(cid, exercice, echeance)| {
            let numero = conventions
                .iter()
                .find(|v| v.valeur.id == *cid)
                .map_or(cid.to_string(), |v| v.valeur.numero.clone());
            vec![
                format!("<a href=\"/conventions/{cid}\">{}</a>", e(&numero)),
                exercice.to_string(),
                match echeance {
                    app::Echeance::Acompte => "acompte (70 % du droit prévisionnel)".to_owned(),
                    app::Echeance::Solde => {
                        "solde (droit définitif moins les versements)".to_owned()
                    }
                },
            ]
        })
        .collect();
    let a_venir = tableau(
        &format!("{} paiement(s) dû(s), pas encore émis", lignes_dus.len()),
        &[
            ("Convention", false),
            ("Exercice", true),
            ("Échéance", false),
        ],
        &lignes_dus,
    );
    let emettre = if c.acteur.role == Role::Caf {
        format!(
            "<form method=\"post\" action=\"/paiements\"><p>{}<button type=\"submit\">Émettre les paiements dus</button></p></form>",
            csrf(c)
        )
    } else {
        String::new()
    };
    let message = message.map_or(String::new(), |m| {
        format!(
            "<div class=\"encadre succes\" role=\"status\"><p>{}</p></div>",
            e(&m)
        )
    });
    Ok(page(
        "Paiements",
        Some(c),
        "/paiements",
        &format!(
            "<h1>Paiements</h1>{message}<h2>Paiements dus</h2>{a_venir}{emettre}<h2>Paiements émis</h2>\
             <p class=\"actions\"><a class=\"bouton secondaire\" href=\"/exports/paiements.csv\">Exporter (CSV)</a>\
             <a class=\"bouton secondaire\" href=\"/exports/paiements.xlsx\">Exporter (XLSX)</a></p>{}",
            tableau(
                &format!("{} paiement(s)", lignes.len()),
                &[
                    ("Référence", false),
                    ("Département", false),
                    ("Exercice", true),
                    ("Nature", false),
                    ("Montant", true),
                    ("Date", false)
                ],
                &lignes
            )
        ),
    ))
}

pub async fn liste(State(etat): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    Ok(Html(rendre(&etat, &c, None).await?))
}

#[derive(Debug, Deserialize)]
pub struct Emission {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

pub async fn emettre(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<Emission>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let quand = time::OffsetDateTime::now_utc();
    let emis = etat
        .plateforme
        .emettre_paiements_dus(&c.acteur, quand.date(), quand)
        .await?;
    let message = format!("{} paiement(s) émis.", emis.len());
    Ok(Html(rendre(&etat, &c, Some(message)).await?).into_response())
}
