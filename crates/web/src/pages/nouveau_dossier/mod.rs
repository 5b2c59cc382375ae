//! A gestionnaire answers an open call for projects with a projet de fonctionnement (Référentiel national de financement de l'AIP
//! §IV.3): the call, the project's texts, FTE, period, forecast budget and sites; the structure's
//! eligibility checks are one click away. The domain refuses a call that is not open.
//!
//! The financing plan: the amount asked of the Caf and of each partner funder of the structure's
//! département (Lettre circulaire Cnaf 2012-093 §43), shown beside the budget's total.

use app::Plateforme;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::dossier::{BudgetPrevisionnel, DemandeFinancement, LigneBudget, ProjetFonctionnement};
use domain::identifiants::{AppelAProjetsId, FinanceurId, GestionnaireId, LieuId};
use domain::quantites::{Centimes, Etp};
use domain::structures::Cofinanceur;
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::session::Connecte;

mod vue;

use vue::rendre;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Saisie {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    appel: String,
    #[serde(default)]
    gestionnaire: String,
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
    /// Financing plan: the amount asked of the Caf.
    #[serde(default)]
    demande_caf: String,
    /// Financing plan: the amount asked of each partner funder, `demande_financeur_<id>`.
    #[serde(flatten)]
    demandes_financeurs: std::collections::BTreeMap<String, String>,
}

/// The prefix of the fields of the financing plan, one per partner funder.
const PREFIXE_FINANCEUR: &str = "demande_financeur_";

/// The financing plan typed: a line per funder asked a non-empty amount; errors added to `x`.
fn plan_saisi(s: &Saisie, x: &mut Erreurs) -> Vec<DemandeFinancement> {
    let mut plan = Vec::new();
    let mut lire = |champ: &str, financeur: Cofinanceur, texte: &str| {
        if texte.trim().is_empty() {
            return;
        }
        match Centimes::parse_non_negatif(texte) {
            Ok(montant) => plan.push(DemandeFinancement { financeur, montant }),
            Err(m) => x.ajouter(champ, format!("Montant demandé : {m}")),
        }
    };
    lire("demande_caf", Cofinanceur::Caf, &s.demande_caf);
    for (champ, texte) in &s.demandes_financeurs {
        if let Some(id) = champ
            .strip_prefix(PREFIXE_FINANCEUR)
            .and_then(|i| i.parse::<i64>().ok())
        {
            lire(champ, Cofinanceur::Partenaire(FinanceurId(id)), texte);
        }
    }
    plan
}

/// The structures of the user, with their records.
async fn structures(
    p: &Plateforme,
    c: &Connecte,
) -> Result<Vec<domain::structures::Gestionnaire>, ErreurWeb> {
    let mut v = Vec::new();
    for g in &c.acteur.gestionnaires {
        v.push(p.gestionnaire(&c.acteur, *g).await?.valeur);
    }
    Ok(v)
}

pub async fn formulaire(State(etat): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    if c.acteur.role != Role::Gestionnaire {
        return Err(ErreurWeb::Interdit(
            "un projet est déposé par son gestionnaire".into(),
        ));
    }
    let contenu = rendre(
        &etat.plateforme,
        &c,
        &Saisie::default(),
        &Erreurs::default(),
    )
    .await?;
    Ok(Html(
        crate::vue::page("Nouveau projet", Some(&c), "/dossiers", contenu).into_string(),
    ))
}

/// A date typed in the field `id`: empty is « not given yet ».
fn date(id: &str, libelle: &str, t: &str, x: &mut Erreurs) -> Option<Option<Date>> {
    match t.trim() {
        "" => Some(None),
        t => match Date::parse(t, format_description!("[year]-[month]-[day]")) {
            Ok(d) => Some(Some(d)),
            Err(_) => {
                x.ajouter(
                    id,
                    format!("{libelle} : « {t} » n'est pas une date valide (jj/mm/aaaa)"),
                );
                None
            }
        },
    }
}

async fn refuser(
    p: &Plateforme,
    c: &Connecte,
    s: &Saisie,
    x: &Erreurs,
) -> Result<Response, ErreurWeb> {
    let contenu = rendre(p, c, s, x).await?;
    Ok((
        x.statut(),
        Html(
            crate::vue::page(&x.titre("Nouveau projet"), Some(c), "/dossiers", contenu)
                .into_string(),
        ),
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
    if c.acteur.role != Role::Gestionnaire {
        return Err(ErreurWeb::Interdit(
            "un projet est déposé par son gestionnaire".into(),
        ));
    }
    let gestionnaire = match s.gestionnaire.trim().parse::<i64>() {
        Ok(g) => GestionnaireId(g),
        Err(_) => match c.acteur.gestionnaires.iter().next() {
            Some(g) => *g,
            None => {
                return refuser(
                    p,
                    &c,
                    &s,
                    &Erreurs::une("", "Inscrivez d'abord votre structure"),
                )
                .await;
            }
        },
    };
    let mut x = Erreurs::default();
    let appel = s
        .appel
        .trim()
        .parse::<i64>()
        .map_err(|_| x.ajouter("appel", "Appel à projets : choisissez-en un"))
        .ok();
    let etp = if s.etp_demandes.trim().is_empty() {
        Some(Etp::ZERO)
    } else {
        Etp::parse(&s.etp_demandes)
            .map_err(|m| x.ajouter("etp_demandes", format!("Nombre d'ETP : {m}")))
            .ok()
    };
    let plan_financement = plan_saisi(&s, &mut x);
    let debut = date("debut", "Début du projet", &s.debut, &mut x);
    let fin = date("fin", "Fin du projet", &s.fin, &mut x);
    let charges = Centimes::parse_non_negatif(&s.charges)
        .map_err(|m| x.ajouter("charges", format!("Total des charges : {m}")))
        .ok();
    let produits = Centimes::parse_non_negatif(&s.produits)
        .map_err(|m| x.ajouter("produits", format!("Total des produits : {m}")))
        .ok();
    let (Some(appel), Some(etp), Some(debut), Some(fin), Some(charges), Some(produits)) =
        (appel, etp, debut, fin, charges, produits)
    else {
        return refuser(p, &c, &s, &x).await;
    };
    if !x.est_vide() {
        return refuser(p, &c, &s, &x).await;
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
        debut,
        fin,
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
        partenaires: crate::pages::dossiers::partenaires_saisis(&s.partenaires),
        information_familles: s.information_familles.trim().to_owned(),
        lieux,
        plan_financement,
    };
    match p
        .creer_dossier(
            &c.acteur,
            AppelAProjetsId(appel),
            gestionnaire,
            projet,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(d) => Ok(Redirect::to(&format!("/dossiers/{}", d.valeur.id)).into_response()),
        Err(a) => {
            let x = Erreurs::depuis_app(a, &super::dossiers::CHAMPS_PROJET, "intitule")?;
            refuser(p, &c, &s, &x).await
        }
    }
}
