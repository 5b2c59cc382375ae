//! The handlers of an instance's page: the list of the instances a reader may open, the page of
//! one, and its forms (configuration, a member, a members' file, a séance to plan).

use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Role;
use domain::identifiants::CodeDepartement;
use serde::Deserialize;
use time::OffsetDateTime;

use super::formulaires::{Paires, saisie_instance, saisie_membre, saisie_seance};
use super::instance_vue::{self, Formulaire, Saisies};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Echec, Erreurs};
use crate::session::Connecte;

/// Longest members' file accepted.
const TAILLE_MAX_IMPORT: usize = 1024 * 1024;

fn departement(code: &str) -> Result<CodeDepartement, ErreurWeb> {
    CodeDepartement::parse(code).map_err(|_| ErreurWeb::Introuvable)
}

/// `/coordination`: the reader's instance when it has one département, else the list of the
/// instances it may open.
pub async fn index(State(etat): State<Etat>, c: Connecte) -> Result<Response, ErreurWeb> {
    let instances = etat.plateforme.instances_lisibles(&c.acteur).await?;
    let mes_departements: Vec<CodeDepartement> = match c.acteur.role {
        Role::Caf | Role::Financeur => c.acteur.departements.iter().copied().collect(),
        _ => instances.iter().map(|i| i.valeur.departement).collect(),
    };
    if c.acteur.role != Role::Cnaf && mes_departements.len() == 1 {
        let s = Saisies::default();
        return Ok(
            Html(rendre(&etat, &c, mes_departements[0], &s, &Erreurs::default()).await?)
                .into_response(),
        );
    }
    Ok(Html(instance_vue::liste(&c, &instances, &mes_departements).into_string()).into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct Suite {
    fait: Option<String>,
}

pub async fn page_instance(
    State(etat): State<Etat>,
    c: Connecte,
    Path(code): Path<String>,
    Query(suite): Query<Suite>,
) -> Result<Html<String>, ErreurWeb> {
    let d = departement(&code)?;
    let s = Saisies {
        fait: suite.fait.as_deref(),
        ..Saisies::default()
    };
    Ok(Html(rendre(&etat, &c, d, &s, &Erreurs::default()).await?))
}

async fn rendre(
    etat: &Etat,
    c: &Connecte,
    d: CodeDepartement,
    s: &Saisies<'_>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let p = &etat.plateforme;
    if !matches!(c.acteur.role, Role::Cnaf)
        && !c.acteur.departements.contains(&d)
        && c.acteur.role != Role::Membre
    {
        return Err(ErreurWeb::Interdit(format!(
            "le département {d} n'est pas dans votre périmètre"
        )));
    }
    let vue = p.instance(&c.acteur, d).await?;
    let seances = p.seances(&c.acteur, d).await?;
    let dossiers = if vue.as_ref().is_some_and(|v| v.secretariat) {
        p.dossiers(&c.acteur, None)
            .await?
            .into_iter()
            .filter(|x| {
                x.valeur.departement == d
                    && matches!(
                        x.valeur.etat.code(),
                        "depose" | "en_instruction" | "presente_en_comite"
                    )
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(instance_vue::page(c, d, vue.as_ref(), &seances, &dossiers, s, x).into_string())
}

/// Answers a refused form: the page again, its errors on their fields, the values typed kept.
async fn refuser(
    etat: &Etat,
    c: &Connecte,
    d: CodeDepartement,
    s: &Saisies<'_>,
    e: Echec,
) -> Result<Response, ErreurWeb> {
    match e {
        Echec::Page(w) => Err(w),
        Echec::Saisie(x) => {
            Ok((x.statut(), Html(rendre(etat, c, d, s, &x).await?)).into_response())
        }
    }
}

fn retour(d: CodeDepartement, fait: &str, ancre: &str) -> Response {
    Redirect::to(&format!("/coordination/{d}?fait={fait}#{ancre}")).into_response()
}

pub async fn configurer(
    State(etat): State<Etat>,
    c: Connecte,
    Path(code): Path<String>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let d = departement(&code)?;
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let s = Saisies {
        formulaire: Some((Formulaire::Configuration, &p)),
        ..Saisies::default()
    };
    let resultat = match saisie_instance(&p) {
        Ok(saisie) => etat
            .plateforme
            .configurer_instance(&c.acteur, d, saisie, None, OffsetDateTime::now_utc())
            .await
            .map_err(|e| Echec::app(e, &[("secretariat", "secretariat")], "forme")),
        Err(x) => Err(Echec::Saisie(x)),
    };
    match resultat {
        Ok(_) => Ok(retour(d, "configuree", "configuration")),
        Err(e) => refuser(&etat, &c, d, &s, e).await,
    }
}

pub async fn ajouter_membre(
    State(etat): State<Etat>,
    c: Connecte,
    Path(code): Path<String>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let d = departement(&code)?;
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let s = Saisies {
        formulaire: Some((Formulaire::Membre, &p)),
        ..Saisies::default()
    };
    match etat
        .plateforme
        .ajouter_membre(&c.acteur, d, saisie_membre(&p), OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(retour(d, "membre", "membres")),
        Err(e) => refuser(&etat, &c, d, &s, Echec::app(e, &[], "role")).await,
    }
}

pub async fn importer_membres(
    State(etat): State<Etat>,
    c: Connecte,
    Path(code): Path<String>,
    mut parties: Multipart,
) -> Result<Response, ErreurWeb> {
    let d = departement(&code)?;
    let mut jeton = None;
    let mut contenu: Option<Vec<u8>> = None;
    while let Some(partie) = parties
        .next_field()
        .await
        .map_err(|x| ErreurWeb::Refus(format!("formulaire d'import illisible : {x}")))?
    {
        match partie.name().unwrap_or_default() {
            "_csrf" => jeton = partie.text().await.ok(),
            "fichier" => {
                let octets = partie
                    .bytes()
                    .await
                    .map_err(|x| ErreurWeb::Refus(format!("fichier illisible : {x}")))?;
                if octets.len() > TAILLE_MAX_IMPORT {
                    return Err(ErreurWeb::Refus(
                        "fichier trop volumineux (au plus 1 Mo)".into(),
                    ));
                }
                contenu = Some(octets.to_vec());
            }
            _ => {}
        }
    }
    c.verifier_csrf(jeton.as_deref())?;
    let s = Saisies::default();
    let texte = match contenu.filter(|o| !o.is_empty()).map(String::from_utf8) {
        Some(Ok(t)) => t,
        Some(Err(_)) => {
            let e = Echec::champ(
                "fichier",
                "Fichier : il n'est pas en UTF-8 (enregistrez-le en « CSV UTF-8 »)",
            );
            return refuser(&etat, &c, d, &s, e).await;
        }
        None => {
            return refuser(
                &etat,
                &c,
                d,
                &s,
                Echec::champ("fichier", "Fichier : choisissez un fichier CSV"),
            )
            .await;
        }
    };
    match etat
        .plateforme
        .importer_membres(&c.acteur, d, &texte, OffsetDateTime::now_utc())
        .await
    {
        Ok(Ok(n)) => Ok(retour(d, &format!("import-{n}"), "membres")),
        Ok(Err(lignes)) => {
            let s = Saisies {
                lignes_refusees: Some(&lignes),
                ..Saisies::default()
            };
            let x = Erreurs::une(
                "fichier",
                format!(
                    "Fichier : {} ligne(s) refusée(s), aucun membre n'a été ajouté",
                    lignes.len()
                ),
            );
            Ok((x.statut(), Html(rendre(&etat, &c, d, &s, &x).await?)).into_response())
        }
        Err(e) => refuser(&etat, &c, d, &s, Echec::app(e, &[], "fichier")).await,
    }
}

pub async fn planifier(
    State(etat): State<Etat>,
    c: Connecte,
    Path(code): Path<String>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let d = departement(&code)?;
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let s = Saisies {
        formulaire: Some((Formulaire::Seance, &p)),
        ..Saisies::default()
    };
    let resultat = match saisie_seance(&p) {
        Ok(saisie) => etat
            .plateforme
            .planifier_seance(&c.acteur, d, saisie, OffsetDateTime::now_utc())
            .await
            .map_err(|e| Echec::app(e, &[("debut", "date")], "titre")),
        Err(x) => Err(Echec::Saisie(x)),
    };
    match resultat {
        Ok(lu) => {
            Ok(Redirect::to(&format!("/seances/{}?fait=planifiee", lu.valeur.id)).into_response())
        }
        Err(e) => refuser(&etat, &c, d, &s, e).await,
    }
}
