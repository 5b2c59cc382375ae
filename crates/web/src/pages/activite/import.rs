//! `POST /activite/import`: imports a file of sessions as a whole, or reports on the file's
//! field every bad line, each listed in a table with its column and reason.

use activite::SuiviActivite;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::identifiants::GestionnaireId;
use time::OffsetDateTime;

use super::{Choix, LigneRefusee, Retour, page, reponse};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::fr;
use crate::session::Connecte;

/// Longest file accepted for an import (about 450 000 sessions).
pub const TAILLE_MAX_IMPORT: usize = 50 * 1024 * 1024;

/// `1 entretien`, `0 entretien`, `2 entretiens`.
fn pluriel(n: u64, un: &str, plusieurs: &str) -> String {
    format!("{} {}", fr::entier(n), if n > 1 { plusieurs } else { un })
}

/// The message of an import that went through.
fn message_import(r: &activite::RapportImport) -> String {
    if r.deja_importe {
        return format!(
            "Ce fichier a déjà été importé (import n° {}) : rien n'a été ajouté.",
            r.import
        );
    }
    format!(
        "Import n° {} : {} dans le fichier, {}, {} déjà {}.",
        r.import,
        pluriel(r.lignes, "entretien", "entretiens"),
        pluriel(r.importees, "ajouté", "ajoutés"),
        fr::entier(r.deja_presentes),
        if r.deja_presentes > 1 {
            "enregistrés"
        } else {
            "enregistré"
        },
    )
}

/// `POST /activite/import`.
pub async fn importer(
    State(etat): State<Etat>,
    c: Connecte,
    mut parties: Multipart,
) -> Result<Response, ErreurWeb> {
    let mut jeton = None;
    let mut structure = None;
    let mut contenu: Option<Vec<u8>> = None;
    while let Some(partie) = parties
        .next_field()
        .await
        .map_err(|x| ErreurWeb::Refus(format!("formulaire d'import illisible : {x}")))?
    {
        match partie.name().unwrap_or_default() {
            "_csrf" => jeton = partie.text().await.ok(),
            "structure" => structure = partie.text().await.ok(),
            "fichier" => {
                let octets = partie
                    .bytes()
                    .await
                    .map_err(|x| ErreurWeb::Refus(format!("fichier illisible : {x}")))?;
                if octets.len() > TAILLE_MAX_IMPORT {
                    return Err(ErreurWeb::Refus(
                        "fichier trop volumineux (au plus 50 Mo)".into(),
                    ));
                }
                contenu = Some(octets.to_vec());
            }
            _ => {}
        }
    }
    c.verifier_csrf(jeton.as_deref())?;
    let g = structure
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map(GestionnaireId)
        .ok_or_else(|| ErreurWeb::Refus("structure non précisée".into()))?;
    let choix = Choix {
        structure,
        exercice: None,
    };
    let retour = match contenu.filter(|c| !c.is_empty()) {
        None => Retour {
            erreurs: Erreurs::une("fichier", "Fichier CSV : choisissez un fichier non vide"),
            ..Retour::default()
        },
        Some(octets) => match SuiviActivite::new(&etat.plateforme)
            .importer_csv(&c.acteur, g, &octets, OffsetDateTime::now_utc())
            .await
        {
            Ok(r) => Retour {
                succes: Some(message_import(&r)),
                avertissements: r.avertissements,
                ..Retour::default()
            },
            Err(x) if x.est_interdit() => return Err(ErreurWeb::Interdit(x.to_string())),
            Err(x) if !x.lignes_en_erreur().is_empty() => {
                let n = x.lignes_en_erreur().len();
                Retour {
                    erreurs: Erreurs::une(
                        "fichier",
                        format!(
                            "Fichier CSV : import refusé, {} ligne{} en erreur, aucun entretien n'a été importé. \
                             Corrigez chaque ligne listée sous le formulaire puis importez le fichier de nouveau.",
                            fr::entier(n as u64),
                            if n > 1 { "s" } else { "" }
                        ),
                    ),
                    lignes_refusees: x
                        .lignes_en_erreur()
                        .iter()
                        .flat_map(|l| {
                            l.problemes.iter().map(move |p| LigneRefusee {
                                ligne: l.ligne,
                                colonne: p.champ.to_owned(),
                                motif: p.raison.clone(),
                            })
                        })
                        .collect(),
                    ..Retour::default()
                }
            }
            Err(x) => Retour {
                erreurs: Erreurs::une("fichier", format!("Fichier CSV : {x}")),
                ..Retour::default()
            },
        },
    };
    let (statut, titre) = if retour.erreurs.est_vide() {
        (StatusCode::OK, "Activité — import".to_owned())
    } else {
        (
            retour.erreurs.statut(),
            retour.erreurs.titre("Activité — import"),
        )
    };
    let (contenu, _) = page::rendre(&etat, &c, &choix, retour).await?;
    Ok(reponse(statut, &titre, &c, contenu))
}
