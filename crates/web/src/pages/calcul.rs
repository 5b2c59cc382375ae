//! The AIP subsidy simulator: the same computation as `parentalite calcul` and the API, with each
//! error next to its field, the values typed kept, and the result explained step by step.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use referentiel::aip::json::{CasTexte, lire_cas_texte_complet};
use referentiel::aip::{self, ErreurAip, ParametresAip, TEXTE_SOURCE};
use serde::Deserialize;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::session::Connecte;
use crate::vue::{self, champ_csrf};

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

/// The simulator's form with the values typed, the errors of the submission and, once computed,
/// the result.
fn formulaire_html(c: &Connecte, s: &Saisie, x: &Erreurs, resultat: Option<Markup>) -> Markup {
    let options = [
        ("previsionnelle", "Prévisionnelle"),
        ("actualisee", "Actualisée"),
        ("reelle", "Réelle"),
    ];
    html! {
        h1 { "Simulateur de la subvention AIP" }
        p {
            "Le calcul applique le référentiel national de financement (§VI): 80 % du prix de revient, "
            "dans la limite de 66\u{202f}000\u{a0}€ par ETP et par an, proratisé à la durée de fonctionnement."
        }
        (x.resume())
        form method="post" action="/calcul" novalidate {
            (champ_csrf(c))
            (Champ::new("exercice", "Exercice")
                .aide("Année, par exemple 2024")
                .erreurs(x)
                .clavier(Clavier::Numerique)
                .texte(&s.exercice))
            (Champ::new("declaration", "Déclaration")
                .erreurs(x)
                .liste(&options, &s.declaration))
            (Champ::new("etp_declares", "ETP déclarés")
                .aide("Par exemple 1,5")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.etp_declares))
            (Champ::new("etp_notifies", "ETP notifiés par le comité des financeurs")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.etp_notifies))
            (Champ::new("mois_fonctionnement", "Mois de fonctionnement dans l'exercice")
                .aide("De 0 à 12")
                .erreurs(x)
                .clavier(Clavier::Numerique)
                .texte(&s.mois_fonctionnement))
            (Champ::new("depenses_fonctionnement", "Dépenses de fonctionnement (€)")
                .aide("Pour ces mois, par exemple 40 000")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.depenses_fonctionnement))
            (Champ::new("versements_effectues", "Versements déjà effectués (€)")
                .aide("Facultatif: pour la charge à payer ou le solde")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.versements_effectues))
            button type="submit" { "Calculer" }
        }
        @if let Some(r) = resultat { (r) }
    }
}

/// The result of a computation: its title and amounts, then each step with the values it used
/// and its source, then the detail as the terminal shows it.
fn resultat_html(texte: &str, trace: &aip::Trace<'_>) -> Markup {
    let mut lignes = texte.lines();
    let titre = lignes.next().unwrap_or_default();
    let montants: Vec<&str> = lignes
        .by_ref()
        .take_while(|l| !l.starts_with("Détail"))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let detail = texte.split("Détail du calcul").nth(1).unwrap_or_default();
    html! {
        section aria-labelledby="resultat" class="encadre succes" {
            h2 #resultat { (titre) }
            @for m in &montants { p { strong { (m) } } }
        }
        section.trace {
            h2 { "Détail du calcul" }
            ol {
                @for et in &trace.etapes {
                    li {
                        strong { (et.titre) }
                        br;
                        (et.formule)
                        br;
                        span.aide {
                            "Valeurs utilisées : "
                            @for (rang, o) in et.operandes.iter().enumerate() {
                                @if rang > 0 { ", " }
                                (aip::rendu::libelle(o.nom))
                            }
                            " – source : " (TEXTE_SOURCE) ", " (et.source)
                        }
                        @if let Some(n) = et.note {
                            br;
                            span.aide { (n) }
                        }
                    }
                }
            }
            pre { (detail.trim()) }
        }
    }
}

fn formulaire_vide(c: &Connecte) -> String {
    let s = Saisie {
        exercice: "2024".into(),
        declaration: "previsionnelle".into(),
        ..Saisie::default()
    };
    vue::page(
        "Simulateur",
        Some(c),
        "/calcul",
        formulaire_html(c, &s, &Erreurs::default(), None),
    )
    .into_string()
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
            let html = resultat_html(&texte, &trace);
            Ok(Html(
                vue::page(
                    "Simulateur",
                    Some(&c),
                    "/calcul",
                    formulaire_html(&c, &s, &Erreurs::default(), Some(html)),
                )
                .into_string(),
            )
            .into_response())
        }
        Err(liste) => {
            // Every field in error at once, each message next to its field.
            let mut x = Erreurs::default();
            for err in &liste {
                match err {
                    ErreurAip::Champ { champ, raison } if *champ != "dispositif" => {
                        x.ajouter(champ, raison.clone())
                    }
                    autre => x.ajouter("", autre.to_string()),
                }
            }
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(
                    vue::page(
                        &x.titre("Simulateur"),
                        Some(&c),
                        "/calcul",
                        formulaire_html(&c, &s, &x, None),
                    )
                    .into_string(),
                ),
            )
                .into_response())
        }
    }
}
