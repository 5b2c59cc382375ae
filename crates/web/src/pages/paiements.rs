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

async fn rendre(
    etat: &Etat,
    c: &Connecte,
    message: Option<Vec<String>>,
) -> Result<String, ErreurWeb> {
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
    let dus = etat.plateforme.paiements_a_emettre(&c.acteur).await?;
    let lignes_dus: Vec<Vec<String>> = dus
        .iter()
        .map(|d| {
            let (echeance, montant) = match &d.du {
                domain::paiement::Du::Montant { nature, montant } => (
                    match nature {
                        domain::paiement::NaturePaiement::Acompte => {
                            "acompte (70 % du droit prévisionnel)".to_owned()
                        }
                        domain::paiement::NaturePaiement::Solde => {
                            "solde (droit définitif moins les versements)".to_owned()
                        }
                        domain::paiement::NaturePaiement::Indu => {
                            "indu à recouvrer (versements au-delà du droit définitif)".to_owned()
                        }
                        domain::paiement::NaturePaiement::Versement(rang) => {
                            format!("versement n°{rang} de l'échéancier de la convention")
                        }
                    },
                    euros(montant.centimes()),
                ),
                domain::paiement::Du::ARevalider(p) => (
                    format!("à valider de nouveau : {}", e(&p.raison())),
                    "–".to_owned(),
                ),
            };
            vec![
                format!(
                    "<a href=\"/conventions/{}\">{}</a>",
                    d.convention,
                    e(&d.numero)
                ),
                d.exercice.to_string(),
                echeance,
                montant,
            ]
        })
        .collect();
    let mut lignes_dus = lignes_dus;
    // The instalments due today of conventions paid by instalments, each for the amount frozen
    // in its convention (`domain::dispositifs`).
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    for (cid, exercice, echeance) in etat
        .plateforme
        .versements_dus(&c.acteur, aujourd_hui)
        .await?
    {
        let app::Echeance::Versement(rang) = echeance else {
            continue;
        };
        let convention = etat.plateforme.convention(&c.acteur, cid).await?.valeur;
        let montant = convention
            .versement(rang)
            .map_or("–".to_owned(), |v| euros(v.montant.centimes()));
        lignes_dus.push(vec![
            format!(
                "<a href=\"/conventions/{cid}\">{}</a>",
                e(&convention.numero)
            ),
            exercice.to_string(),
            format!("versement n°{rang} de l'échéancier de la convention"),
            montant,
        ]);
    }
    let a_venir = tableau(
        &format!("{} paiement(s) dû(s), pas encore émis", lignes_dus.len()),
        &[
            ("Convention", false),
            ("Exercice", true),
            ("Échéance", false),
            ("Montant", true),
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
    let message = message.map_or(String::new(), |lignes| {
        let paragraphes: String = lignes.iter().map(|l| format!("<p>{}</p>", e(l))).collect();
        format!("<div class=\"encadre succes\" role=\"status\">{paragraphes}</div>")
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
    let campagne = etat
        .plateforme
        .emettre_paiements_dus(&c.acteur, quand.date(), quand)
        .await?;
    let mut message = vec![match campagne.emis.len() {
        0 => "Aucun paiement émis.".to_owned(),
        1 => "1 paiement émis.".to_owned(),
        n => format!("{n} paiements émis."),
    }];
    for p in &campagne.emis {
        message.push(format!(
            "{} {} ({}) : {}",
            p.nature.libelle(),
            p.exercice,
            p.reference,
            euros(p.montant.centimes())
        ));
    }
    for (d, raison) in &campagne.rouvertes {
        message.push(format!(
            "La {} {} de la convention n°{} est renvoyée à la validation, rien n'a été payé : {raison}.",
            d.nature.libelle(),
            d.exercice,
            d.convention
        ));
    }
    for (convention, exercice, _, refus) in &campagne.refus {
        message.push(format!(
            "Convention n°{convention}, exercice {exercice} : {}",
            refus.raison()
        ));
    }
    Ok(Html(rendre(&etat, &c, Some(message)).await?).into_response())
}
