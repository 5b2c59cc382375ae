//! The AIP subsidy simulator: the same computation as `parentalite calcul` and the API, with each
//! error next to its field, the values typed kept, and the result explained step by step.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use referentiel::aip::json::{CasTexte, lire_cas_texte_complet};
use referentiel::aip::{self, ErreurAip, ParametresAip, TEXTE_SOURCE};
use serde::Deserialize;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::rendu::{champ, csrf, e, page};
use crate::session::Connecte;

#[derive(Debug, Deserialize, Default, Clone)]
pub struct Saisie {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    exercice: String,
    #[serde(default)]
    declaration: String,
    #[serde(default)]
    etp_declares: String,
    #[serde(default)]
    etp_notifies: String,
    #[serde(default)]
    mois_fonctionnement: String,
    #[serde(default)]
    depenses_fonctionnement: String,
    #[serde(default)]
    versements_effectues: String,
}

/// A French decimal typed by a person (`40 000,50`) as the calculator reads it (`40000.50`).
fn normaliser(t: &str) -> String {
    t.trim()
        .replace([' ', '\u{a0}', '\u{202f}', '€'], "")
        .replace(',', ".")
}

fn formulaire_html(c: &Connecte, s: &Saisie, erreurs: &[(&str, String)], resultat: &str) -> String {
    let err = |nom: &str| {
        erreurs
            .iter()
            .find(|(c, _)| *c == nom)
            .map(|(_, m)| m.as_str())
    };
    let resume = if erreurs.is_empty() {
        String::new()
    } else {
        let items: String = erreurs
            .iter()
            .map(|(champ_, m)| {
                if champ_.is_empty() {
                    format!("<li>{}</li>", e(m))
                } else {
                    format!("<li><a href=\"#{champ_}\">{}</a></li>", e(m))
                }
            })
            .collect();
        format!(
            "<div class=\"encadre erreur\" role=\"alert\"><p>Le formulaire contient {} :</p><ul>{items}</ul></div>",
            if erreurs.len() == 1 {
                "une erreur".to_owned()
            } else {
                format!("{} erreurs", erreurs.len())
            }
        )
    };
    let options: String = [
        ("previsionnelle", "Prévisionnelle"),
        ("actualisee", "Actualisée"),
        ("reelle", "Réelle"),
    ]
    .iter()
    .map(|(v, l)| {
        let choisi = if s.declaration == *v { " selected" } else { "" };
        format!("<option value=\"{v}\"{choisi}>{l}</option>")
    })
    .collect();
    format!(
        "<h1>Simulateur de la subvention AIP</h1>\
         <p>Le calcul applique le référentiel national de financement (§VI): 80 % du prix de revient, \
         dans la limite de 66 000 € par ETP et par an, proratisé à la durée de fonctionnement.</p>{resume}\
         <form method=\"post\" action=\"/calcul\" novalidate>{}\
         {}<div class=\"champ\"><label for=\"declaration\">Déclaration</label><select id=\"declaration\" name=\"declaration\">{options}</select></div>\
         {}{}{}{}{}\
         <button type=\"submit\">Calculer</button></form>{resultat}",
        csrf(c),
        champ(
            "exercice",
            "Exercice",
            "Année, par exemple 2024",
            &s.exercice,
            err("exercice"),
            "text",
            " inputmode=\"numeric\""
        ),
        champ(
            "etp_declares",
            "ETP déclarés",
            "Par exemple 1,5",
            &s.etp_declares,
            err("etp_declares"),
            "text",
            " inputmode=\"decimal\""
        ),
        champ(
            "etp_notifies",
            "ETP notifiés par le comité des financeurs",
            "",
            &s.etp_notifies,
            err("etp_notifies"),
            "text",
            " inputmode=\"decimal\""
        ),
        champ(
            "mois_fonctionnement",
            "Mois de fonctionnement dans l'exercice",
            "De 0 à 12",
            &s.mois_fonctionnement,
            err("mois_fonctionnement"),
            "text",
            " inputmode=\"numeric\""
        ),
        champ(
            "depenses_fonctionnement",
            "Dépenses de fonctionnement (€)",
            "Pour ces mois, par exemple 40 000",
            &s.depenses_fonctionnement,
            err("depenses_fonctionnement"),
            "text",
            " inputmode=\"decimal\""
        ),
        champ(
            "versements_effectues",
            "Versements déjà effectués (€)",
            "Facultatif: pour la charge à payer ou le solde",
            &s.versements_effectues,
            err("versements_effectues"),
            "text",
            " inputmode=\"decimal\""
        ),
    )
}

fn formulaire_vide(c: &Connecte) -> String {
    let s = Saisie {
        exercice: "2024".into(),
        declaration: "previsionnelle".into(),
        ..Saisie::default()
    };
    page(
        "Simulateur",
        Some(c),
        "/calcul",
        &formulaire_html(c, &s, &[], ""),
    )
}

pub async fn formulaire(c: Connecte) -> Html<String> {
    Html(formulaire_vide(&c))
}

pub async fn calculer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(s): Form<Saisie>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(s.csrf.as_deref())?;
    let textes: Vec<String> = [
        &s.etp_declares,
        &s.etp_notifies,
        &s.mois_fonctionnement,
        &s.depenses_fonctionnement,
        &s.versements_effectues,
    ]
    .iter()
    .map(|t| normaliser(t))
    .collect();
    fn opt(t: &str) -> Option<&str> {
        if t.is_empty() { None } else { Some(t) }
    }
    let cas = CasTexte {
        dispositif: Some("aip"),
        exercice: opt(s.exercice.trim()),
        declaration: opt(s.declaration.trim()),
        etp_declares: opt(&textes[0]),
        etp_notifies: opt(&textes[1]),
        mois_fonctionnement: opt(&textes[2]),
        depenses_fonctionnement: opt(&textes[3]),
        versements_effectues: opt(&textes[4]),
    };
    let parametres = &etat.plateforme.parametres;
    let resultat = lire_cas_texte_complet(&cas).and_then(|entree| {
        let p = ParametresAip::pour_exercice(parametres, entree.exercice)
            .map_err(|e| vec![ErreurAip::from(e)])?;
        let r = aip::calculer(&p, &entree).map_err(|e| vec![e])?;
        Ok((r, p))
    });
    match resultat {
        Ok((r, p)) => {
            let trace = r.trace(&p);
            let texte = aip::rendu::texte(&r, &trace);
            let mut lignes = texte.lines();
            let titre = lignes.next().unwrap_or_default();
            let montants: String = lignes
                .by_ref()
                .take_while(|l| !l.starts_with("Détail"))
                .filter(|l| !l.trim().is_empty())
                .map(|l| format!("<p><strong>{}</strong></p>", e(l)))
                .collect();
            let etapes: String = trace
                .etapes
                .iter()
                .map(|et| {
                    let valeurs: Vec<String> = et
                        .operandes
                        .iter()
                        .map(|o| e(aip::rendu::libelle(o.nom)))
                        .collect();
                    format!(
                        "<li><strong>{}</strong><br>{}<br><span class=\"aide\">Valeurs utilisées : {} – source : {}, {}</span>{}</li>",
                        e(et.titre),
                        e(et.formule),
                        valeurs.join(", "),
                        e(TEXTE_SOURCE),
                        e(et.source),
                        et.note.map_or(String::new(), |n| format!("<br><span class=\"aide\">{}</span>", e(n)))
                    )
                })
                .collect();
            let detail: String = texte
                .split("Détail du calcul")
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let html = format!(
                "<section aria-labelledby=\"resultat\" class=\"encadre succes\"><h2 id=\"resultat\">{}</h2>{montants}</section>\
                 <section class=\"trace\"><h2>Détail du calcul</h2><ol>{etapes}</ol><pre>{}</pre></section>",
                e(titre),
                e(detail.trim())
            );
            Ok(Html(page(
                "Simulateur",
                Some(&c),
                "/calcul",
                &formulaire_html(&c, &s, &[], &html),
            ))
            .into_response())
        }
        Err(liste) => {
            // Every field in error at once, each message next to its field.
            let erreurs: Vec<(&str, String)> = liste
                .iter()
                .map(|err| match err {
                    ErreurAip::Champ { champ, raison } if *champ != "dispositif" => {
                        (*champ, raison.clone())
                    }
                    autre => ("", autre.to_string()),
                })
                .collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(page(
                    "Erreur – Simulateur",
                    Some(&c),
                    "/calcul",
                    &formulaire_html(&c, &s, &erreurs, ""),
                )),
            )
                .into_response())
        }
    }
}
