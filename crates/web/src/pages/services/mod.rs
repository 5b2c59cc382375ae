//! The services' pages for those who write and moderate them: a gestionnaire's list with the AIP
//! services proposed from its conventions, the form of a new service or of an edit, submitting
//! and withdrawing; the Caf's moderation queue and its decision (publish, or refuse with a
//! reason) on the page that shows what will be public.

mod formulaire;
mod vue;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Role;
use domain::annuaire::SaisieService;
use domain::identifiants::{ConventionId, LieuId, ServiceId};
use serde::Deserialize;
use time::OffsetDateTime;

use self::formulaire::{Paires, saisie_service};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Echec, Erreurs};
use crate::session::Connecte;

/// Where refusals of the domain land when they name no field of the form.
const CHAMPS: &[(&str, &str)] = &[("contacts", "telephone"), ("convention", "nom")];

#[derive(Debug, Deserialize, Default)]
pub struct Suite {
    fait: Option<String>,
}

/// `/services`: a gestionnaire's (or intervenant's) services and proposals; a Caf agent's
/// moderation queue and its départements' services.
pub async fn index(
    State(etat): State<Etat>,
    c: Connecte,
    Query(suite): Query<Suite>,
) -> Result<Html<String>, ErreurWeb> {
    let p = &etat.plateforme;
    let fait = suite.fait.as_deref();
    match c.acteur.role {
        Role::Gestionnaire | Role::Intervenant => {
            let services = p.mes_services(&c.acteur).await?;
            let propositions = p.propositions_aip(&c.acteur).await?;
            Ok(Html(
                vue::liste_gestionnaire(&c, &services, &propositions, fait).into_string(),
            ))
        }
        Role::Caf => {
            let a_moderer = p.services_a_moderer(&c.acteur).await?;
            let tous = p.services_des_departements(&c.acteur).await?;
            Ok(Html(
                vue::liste_caf(&c, &a_moderer, &tous, fait).into_string(),
            ))
        }
        _ => Err(ErreurWeb::Interdit(
            "les services sont gérés par les structures et modérés par les Caf".to_owned(),
        )),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct Proposition {
    convention: Option<i64>,
    lieu: Option<i64>,
}

/// `/services/nouveau`: an empty form, or the AIP service proposed for a place of a convention.
pub async fn nouveau(
    State(etat): State<Etat>,
    c: Connecte,
    Query(q): Query<Proposition>,
) -> Result<Html<String>, ErreurWeb> {
    if c.acteur.role != Role::Gestionnaire {
        return Err(ErreurWeb::Interdit(
            "seul le gestionnaire d’une structure décrit ses services".to_owned(),
        ));
    }
    let mut saisie = SaisieService::default();
    if let (Some(conv), Some(lieu)) = (q.convention, q.lieu) {
        let propositions = etat.plateforme.propositions_aip(&c.acteur).await?;
        match propositions
            .into_iter()
            .find(|p| p.convention.id == ConventionId(conv) && p.lieu.id == LieuId(lieu))
        {
            Some(p) => saisie = p.saisie,
            None => return Err(ErreurWeb::Introuvable),
        }
    }
    Ok(Html(
        vue::formulaire(
            &c,
            "Nouveau service",
            "/services/nouveau",
            &saisie,
            &Erreurs::default(),
        )
        .into_string(),
    ))
}

pub async fn creer(
    State(etat): State<Etat>,
    c: Connecte,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let saisie = saisie_service(&p);
    match etat
        .plateforme
        .creer_service(&c.acteur, None, &saisie, OffsetDateTime::now_utc())
        .await
    {
        Ok(lu) => {
            Ok(Redirect::to(&format!("/services/{}?fait=cree", lu.valeur.id)).into_response())
        }
        Err(e) => match Echec::app(e, CHAMPS, "nom") {
            Echec::Page(w) => Err(w),
            Echec::Saisie(x) => Ok((
                x.statut(),
                Html(
                    vue::formulaire(&c, "Nouveau service", "/services/nouveau", &saisie, &x)
                        .into_string(),
                ),
            )
                .into_response()),
        },
    }
}

/// `/services/{id}`: the service's page.
pub async fn page(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Query(suite): Query<Suite>,
) -> Result<Html<String>, ErreurWeb> {
    let lu = etat.plateforme.service(&c.acteur, ServiceId(id)).await?;
    Ok(Html(
        vue::page_service(&c, &lu, &Erreurs::default(), "", suite.fait.as_deref()).into_string(),
    ))
}

/// `/services/{id}/modification`: the form, prefilled.
pub async fn modification(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    let lu = etat.plateforme.service(&c.acteur, ServiceId(id)).await?;
    if !(c.acteur.role == Role::Gestionnaire
        && c.acteur.gestionnaires.contains(&lu.valeur.gestionnaire))
    {
        return Err(ErreurWeb::Interdit(
            "seul le gestionnaire de la structure modifie ses services".to_owned(),
        ));
    }
    let titre = format!("Modifier « {} »", lu.valeur.nom);
    Ok(Html(
        vue::formulaire(
            &c,
            &titre,
            &format!("/services/{id}/modification"),
            &SaisieService::depuis(&lu.valeur),
            &Erreurs::default(),
        )
        .into_string(),
    ))
}

pub async fn modifier(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let saisie = saisie_service(&p);
    let plateforme = &etat.plateforme;
    match plateforme
        .modifier_service(
            &c.acteur,
            ServiceId(id),
            &saisie,
            None,
            OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/services/{id}?fait=modifie")).into_response()),
        Err(e) => match Echec::app(e, CHAMPS, "nom") {
            Echec::Page(w) => Err(w),
            Echec::Saisie(x) => {
                let lu = plateforme.service(&c.acteur, ServiceId(id)).await?;
                let titre = format!("Modifier « {} »", lu.valeur.nom);
                Ok((
                    x.statut(),
                    Html(
                        vue::formulaire(
                            &c,
                            &titre,
                            &format!("/services/{id}/modification"),
                            &saisie,
                            &x,
                        )
                        .into_string(),
                    ),
                )
                    .into_response())
            }
        },
    }
}

/// Answers a refused action on the service's page: its error shown there.
async fn refuser_sur_la_page(
    etat: &Etat,
    c: &Connecte,
    id: ServiceId,
    e: app::ErreurApp,
    motif: &str,
) -> Result<Response, ErreurWeb> {
    match Echec::app(e, &[("motif", "motif")], "") {
        Echec::Page(w) => Err(w),
        Echec::Saisie(x) => {
            let lu = etat.plateforme.service(&c.acteur, id).await?;
            Ok((
                x.statut(),
                Html(vue::page_service(c, &lu, &x, motif, None).into_string()),
            )
                .into_response())
        }
    }
}

pub async fn soumettre(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    match etat
        .plateforme
        .soumettre_service(&c.acteur, ServiceId(id), OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/services/{id}?fait=soumis")).into_response()),
        Err(e) => refuser_sur_la_page(&etat, &c, ServiceId(id), e, "").await,
    }
}

pub async fn retirer(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    match etat
        .plateforme
        .retirer_service(&c.acteur, ServiceId(id), OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/services/{id}?fait=retire")).into_response()),
        Err(e) => refuser_sur_la_page(&etat, &c, ServiceId(id), e, "").await,
    }
}

/// The Caf's decision: `decision=publier`, or `decision=refuser` with `motif`.
pub async fn decider(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let maintenant = OffsetDateTime::now_utc();
    let motif = p.valeur("motif");
    let (resultat, fait) = match p.valeur("decision") {
        "publier" => (
            etat.plateforme
                .publier_service(&c.acteur, ServiceId(id), maintenant)
                .await,
            "publie",
        ),
        "refuser" => (
            etat.plateforme
                .refuser_service(&c.acteur, ServiceId(id), motif, maintenant)
                .await,
            "refuse",
        ),
        _ => return Err(ErreurWeb::Refus("décision inconnue".to_owned())),
    };
    match resultat {
        Ok(_) => Ok(Redirect::to(&format!("/services?fait={fait}#moderation")).into_response()),
        Err(e) => refuser_sur_la_page(&etat, &c, ServiceId(id), e, motif).await,
    }
}
