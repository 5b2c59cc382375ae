//! A gestionnaire answers an open call for projects with a projet de fonctionnement (seed 004
//! §IV.3): the call, the project's texts, FTE, period, forecast budget and sites; the structure's
//! eligibility checks are one click away. The domain refuses a call that is not open.

use app::Plateforme;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::dossier::{BudgetPrevisionnel, LigneBudget, ProjetFonctionnement};
use domain::identifiants::{AppelAProjetsId, GestionnaireId, LieuId};
use domain::quantites::{Centimes, Etp};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::rendu::{champ, csrf, e, page};
use crate::session::Connecte;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Saisie {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    appel: String,
    #[serde(default)]
    intitule: String,
    #[serde(default)]
    objectifs: String,
    #[serde(default)]
    moyens: String,
    #[serde(default)]
    etp_demandes: String,
    #[serde(default)]
    debut: String,
    #[serde(default)]
    fin: String,
    #[serde(default)]
    charges: String,
    #[serde(default)]
    produits: String,
    #[serde(default)]
    modalites_evaluation: String,
    #[serde(default)]
    diagnostic_local: String,
    #[serde(default)]
    partenaires: String,
    #[serde(default)]
    information_familles: String,
}

async fn rendre(
    p: &Plateforme,
    c: &Connecte,
    s: &Saisie,
    erreur: Option<(&str, &str)>,
) -> Result<String, ErreurWeb> {
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let appels: Vec<_> = p
        .appels(&c.acteur)
        .await?
        .into_iter()
        .filter(|a| a.valeur.est_ouvert(aujourd_hui))
        .collect();
    let structures: Vec<String> = c
        .acteur
        .gestionnaires
        .iter()
        .map(|g| format!("<a href=\"/structures/{g}\">structure n°{g}</a>"))
        .collect();
    let entete = format!(
        "<h1>Nouveau projet de fonctionnement</h1><p>Avant de déposer, vérifiez l'éligibilité de votre {} telle que la Caf l'examinera.</p>",
        structures.join(", ")
    );
    let resume_tot = erreur.map_or(String::new(), |(_, m)| {
        format!(
            "<div class=\"encadre erreur\" role=\"alert\"><p>{}</p></div>",
            e(m)
        )
    });
    if appels.is_empty() {
        return Ok(format!(
            "{entete}{resume_tot}<div class=\"encadre alerte\" role=\"status\"><p>Aucun appel à projets n'est ouvert aujourd'hui pour votre territoire: un projet ne peut être déposé qu'en réponse à un appel ouvert.</p></div>"
        ));
    }
    let err = |n: &str| erreur.filter(|(c, _)| *c == n).map(|(_, m)| m);
    let resume = erreur.map_or(String::new(), |(champ_, m)| {
        format!("<div class=\"encadre erreur\" role=\"alert\"><p>Le projet n'a pas été enregistré:</p><ul><li><a href=\"#{champ_}\">{}</a></li></ul></div>", e(m))
    });
    let options: String = appels
        .iter()
        .map(|a| {
            let choisi = if s.appel == a.valeur.id.to_string() {
                " selected"
            } else {
                ""
            };
            format!(
                "<option value=\"{}\"{choisi}>{} (jusqu'au {})</option>",
                a.valeur.id,
                e(&a.valeur.intitule),
                a.valeur.cloture
            )
        })
        .collect();
    let zone = |nom: &str, libelle: &str, valeur: &str| {
        format!(
            "<div class=\"champ\"><label for=\"{nom}\">{}</label><textarea id=\"{nom}\" name=\"{nom}\" rows=\"3\">{}</textarea></div>",
            e(libelle),
            e(valeur)
        )
    };
    Ok(format!(
        "{entete}{resume}<form method=\"post\" action=\"/dossiers/nouveau\" novalidate>{}\
         <div class=\"champ\"><label for=\"appel\">Appel à projets</label><select id=\"appel\" name=\"appel\">{options}</select></div>\
         {}{}{}{}{}{}{}{}{}{}{}{}<button type=\"submit\">Enregistrer le brouillon</button></form>",
        csrf(c),
        champ(
            "intitule",
            "Intitulé du projet",
            "",
            &s.intitule,
            err("intitule"),
            "text",
            ""
        ),
        zone("objectifs", "Objectifs", &s.objectifs),
        zone("moyens", "Moyens mis en œuvre", &s.moyens),
        champ(
            "etp_demandes",
            "Nombre d'ETP affectés à la mission",
            "Au moins 0,25",
            &s.etp_demandes,
            err("etp_demandes"),
            "text",
            " inputmode=\"decimal\""
        ),
        champ(
            "debut",
            "Début du projet",
            "",
            &s.debut,
            err("debut"),
            "date",
            ""
        ),
        champ(
            "fin",
            "Fin du projet",
            "Au plus tard à la fin de l'expérimentation",
            &s.fin,
            err("fin"),
            "date",
            ""
        ),
        champ(
            "charges",
            "Total des charges prévues (€)",
            "",
            &s.charges,
            err("charges"),
            "text",
            " inputmode=\"decimal\""
        ),
        champ(
            "produits",
            "Total des produits prévus (€)",
            "",
            &s.produits,
            err("produits"),
            "text",
            " inputmode=\"decimal\""
        ),
        zone(
            "modalites_evaluation",
            "Modalités d'évaluation",
            &s.modalites_evaluation
        ),
        zone(
            "diagnostic_local",
            "Diagnostic local des besoins et contexte partenarial",
            &s.diagnostic_local
        ),
        zone(
            "partenaires",
            "Partenaires (séparés par des virgules)",
            &s.partenaires
        ),
        zone(
            "information_familles",
            "Information des familles",
            &s.information_familles
        ),
    ))
}

pub async fn formulaire(State(etat): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    if c.acteur.role != Role::Gestionnaire {
        return Err(ErreurWeb::Interdit(
            "un projet est déposé par son gestionnaire".into(),
        ));
    }
    let contenu = rendre(&etat.plateforme, &c, &Saisie::default(), None).await?;
    Ok(Html(page(
        "Nouveau projet",
        Some(&c),
        "/dossiers",
        &contenu,
    )))
}

fn date(t: &str) -> Option<Date> {
    Date::parse(t.trim(), format_description!("[year]-[month]-[day]")).ok()
}

async fn refuser(
    p: &Plateforme,
    c: &Connecte,
    s: &Saisie,
    champ_: &str,
    m: String,
) -> Result<Response, ErreurWeb> {
    let contenu = rendre(p, c, s, Some((champ_, &m))).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        Html(page("Nouveau projet", Some(c), "/dossiers", &contenu)),
    )
        .into_response())
}

pub async fn creer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(s): Form<Saisie>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(s.csrf.as_deref())?;
    let p = &etat.plateforme;
    let Some(gestionnaire) = c.acteur.gestionnaires.iter().next().copied() else {
        return Err(ErreurWeb::Interdit(
            "un projet est déposé par son gestionnaire".into(),
        ));
    };
    let Ok(appel) = s.appel.parse::<i64>() else {
        return refuser(
            p,
            &c,
            &s,
            "appel",
            "Appel à projets: choisissez-en un".into(),
        )
        .await;
    };
    let etp = match Etp::parse(&s.etp_demandes) {
        Ok(x) => x,
        Err(x) => return refuser(p, &c, &s, "etp_demandes", format!("Nombre d'ETP: {x}")).await,
    };
    let montant = |t: &str| Centimes::parse(t);
    let (charges, produits) = match (montant(&s.charges), montant(&s.produits)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(x), _) => return refuser(p, &c, &s, "charges", format!("Charges: {x}")).await,
        (_, Err(x)) => return refuser(p, &c, &s, "produits", format!("Produits: {x}")).await,
    };
    let lieux: Vec<LieuId> = p
        .lieux(&c.acteur, gestionnaire)
        .await?
        .into_iter()
        .map(|l| l.valeur.id)
        .collect();
    let projet = ProjetFonctionnement {
        intitule: s.intitule.trim().to_owned(),
        objectifs: s.objectifs.trim().to_owned(),
        moyens: s.moyens.trim().to_owned(),
        etp_demandes: etp,
        debut: date(&s.debut),
        fin: date(&s.fin),
        budget: BudgetPrevisionnel {
            charges: vec![LigneBudget {
                libelle: "Total des charges".into(),
                montant: charges,
            }],
            produits: vec![LigneBudget {
                libelle: "Total des produits".into(),
                montant: produits,
            }],
        },
        modalites_evaluation: s.modalites_evaluation.trim().to_owned(),
        diagnostic_local: s.diagnostic_local.trim().to_owned(),
        partenaires: s
            .partenaires
            .split(',')
            .map(|x| x.trim().to_owned())
            .filter(|x| !x.is_empty())
            .collect(),
        information_familles: s.information_familles.trim().to_owned(),
        lieux,
    };
    match p
        .creer_dossier(
            &c.acteur,
            AppelAProjetsId(appel),
            GestionnaireId(gestionnaire.0),
            projet,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(d) => Ok(Redirect::to(&format!("/dossiers/{}", d.valeur.id)).into_response()),
        Err(x) if x.est_interdit() => Err(x.into()),
        Err(x) => refuser(p, &c, &s, "intitule", x.to_string()).await,
    }
}
