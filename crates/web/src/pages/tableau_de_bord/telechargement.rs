//! The downloads of the dashboard: the aggregates and indicators of the user's perimeter as a
//! spreadsheet file, by year or by month, and the open-data file with small counts masked.

use activite::{Diffusion, Maille, Niveau, Periode, SuiviActivite};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::acces::Role;
use tableur::{Cellule, Colonne, Format, Tableau};

use super::filtre::{Choix, exercice_du_telechargement};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::session::Connecte;

/// `GET /tableau-de-bord/{fichier}`: `agregats.csv|xlsx` (by territory over the year, with the
/// indicators), `agregats-mensuels.csv|xlsx` (by territory and month), `donnees-ouvertes.csv`
/// (the same with every count under 5 masked). The level is the finest the user may see.
pub async fn telecharger(
    State(etat): State<Etat>,
    c: Connecte,
    Path(fichier): Path<String>,
    Query(choix): Query<Choix>,
) -> Result<Response, ErreurWeb> {
    let exercice = exercice_du_telechargement(&choix)?;
    let (nom, extension) = fichier.rsplit_once('.').ok_or(ErreurWeb::Introuvable)?;
    let (periode, diffusion) = match nom {
        "agregats" => (Periode::Annee, Diffusion::Interne),
        "agregats-mensuels" => (Periode::Mois, Diffusion::Interne),
        "donnees-ouvertes" => (Periode::Annee, Diffusion::OpenData),
        _ => return Err(ErreurWeb::Introuvable),
    };
    let (format, type_) = match (extension, diffusion) {
        ("csv", Diffusion::OpenData) => (Format::CsvOuvert, "text/csv; charset=utf-8"),
        ("csv", _) => (Format::CsvTableur, "text/csv; charset=utf-8"),
        ("xlsx", _) => (
            Format::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return Err(ErreurWeb::Introuvable),
    };
    // Open data is published by territory (département and nation), never by structure.
    let niveau = match (c.acteur.role, diffusion) {
        (_, Diffusion::OpenData) => Niveau::Departement,
        (Role::Cnaf | Role::Caf | Role::Financeur, _) => Niveau::Departement,
        _ => Niveau::Structure,
    };
    let mut lignes = SuiviActivite::new(&etat.plateforme)
        .exporter(&c.acteur, Maille { niveau, periode }, exercice, diffusion)
        .await?;
    if c.acteur.role == Role::Cnaf && diffusion == Diffusion::Interne {
        lignes.extend(
            SuiviActivite::new(&etat.plateforme)
                .exporter(
                    &c.acteur,
                    Maille {
                        niveau: Niveau::Nation,
                        periode,
                    },
                    exercice,
                    diffusion,
                )
                .await?,
        );
    }
    let col = Colonne::new;
    let t = Tableau {
        titre: format!("Activité AIP {exercice}"),
        colonnes: vec![
            col("Niveau", "niveau"),
            col("Département", "departement"),
            col("Structure", "structure"),
            col("Exercice", "exercice"),
            col("Mois", "mois"),
            col("Mesure", "mesure"),
            col("Modalité", "modalite"),
            col("Valeur", "valeur"),
            col("Secret statistique", "secret"),
        ],
        lignes: lignes
            .iter()
            .map(|l| {
                vec![
                    Cellule::Texte(l.niveau.code().to_owned()),
                    l.departement.clone().map_or(Cellule::Vide, Cellule::Texte),
                    l.gestionnaire.map_or(Cellule::Vide, Cellule::Entier),
                    Cellule::Entier(i64::from(l.exercice)),
                    l.mois
                        .map_or(Cellule::Vide, |m| Cellule::Entier(i64::from(m))),
                    Cellule::Texte(l.mesure.to_owned()),
                    l.modalite.clone().map_or(Cellule::Vide, Cellule::Texte),
                    match l.valeur {
                        _ if l.masquee => Cellule::Texte(format!("<{}", activite::SEUIL_SECRET)),
                        None => Cellule::Vide,
                        Some(v) if v.fract() == 0.0 && v.abs() < 9e15 => Cellule::Entier(v as i64),
                        Some(v) => Cellule::Centiemes((v * 100.0).round() as i64),
                    },
                    Cellule::Booleen(l.masquee),
                ]
            })
            .collect(),
    };
    let mut octets = Vec::new();
    t.ecrire(format, &mut octets)
        .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, type_.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"activite-{nom}-{exercice}.{extension}\""),
            ),
        ],
        octets,
    )
        .into_response())
}
