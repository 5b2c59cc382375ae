//! Downloads of the lists a user sees, as CSV for a French spreadsheet or XLSX: the same tables
//! as `parentalite export`, filtered by the user's role and territory (and the dossiers by the
//! filters of their list, given in the query string).

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tableur::{Cellule, Colonne, Format, Tableau};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::pages::filtres_dossiers::{Filtres, selectionner};
use crate::session::Connecte;

fn texte(t: impl ToString) -> Cellule {
    Cellule::Texte(t.to_string())
}

async fn construire(
    etat: &Etat,
    c: &Connecte,
    liste: &str,
    filtres: &Filtres,
) -> Result<Tableau, ErreurWeb> {
    let p = &etat.plateforme;
    let col = Colonne::new;
    Ok(match liste {
        "dossiers" => {
            // The list as the page shows it, with its filters.
            let s = selectionner(etat, c, filtres).await?;
            Tableau {
                titre: "Dossiers".into(),
                colonnes: vec![
                    col("N°", "id"),
                    col("Intitulé", "intitule"),
                    col("Commune du porteur", "commune"),
                    col("Département", "departement"),
                    col("État", "etat"),
                    col("ETP demandés", "etp_demandes"),
                ],
                lignes: s
                    .dans_l_etat(filtres)
                    .into_iter()
                    .map(|d| {
                        let d = &d.valeur;
                        vec![
                            Cellule::Entier(d.id.0),
                            texte(&d.projet.intitule),
                            texte(s.commune_du_dossier(d)),
                            texte(d.departement),
                            texte(d.etat.libelle()),
                            Cellule::Etp(d.projet.etp_demandes.dix_milliemes()),
                        ]
                    })
                    .collect(),
            }
        }
        "conventions" => Tableau {
            titre: "Conventions".into(),
            colonnes: vec![
                col("Numéro", "numero"),
                col("Département", "departement"),
                col("État", "etat"),
                col("Début", "debut"),
                col("Fin", "fin"),
                col("ETP notifiés", "etp_notifies"),
            ],
            lignes: p
                .conventions(&c.acteur)
                .await?
                .into_iter()
                .map(|v| {
                    let v = v.valeur;
                    vec![
                        texte(&v.numero),
                        texte(v.departement),
                        texte(v.etat.libelle()),
                        Cellule::Date(v.debut),
                        Cellule::Date(v.fin),
                        v.notification_initiale
                            .map_or(Cellule::Vide, |n| Cellule::Etp(n.etp.dix_milliemes())),
                    ]
                })
                .collect(),
        },
        "paiements" => Tableau {
            titre: "Paiements".into(),
            colonnes: vec![
                col("Référence", "reference"),
                col("Département", "departement"),
                col("Exercice", "exercice"),
                col("Nature", "nature"),
                col("Montant (€)", "montant_euros"),
                col("Date", "date"),
            ],
            lignes: p
                .paiements(&c.acteur, None)
                .await?
                .into_iter()
                .map(|v| {
                    let v = v.valeur;
                    vec![
                        texte(&v.reference),
                        texte(v.departement),
                        Cellule::Entier(i64::from(v.exercice)),
                        texte(v.nature.libelle()),
                        Cellule::Centimes(v.montant.centimes()),
                        Cellule::Date(v.date),
                    ]
                })
                .collect(),
        },
        _ => return Err(ErreurWeb::Introuvable),
    })
}

pub async fn telecharger(
    State(etat): State<Etat>,
    c: Connecte,
    Path(fichier): Path<String>,
    Query(filtres): Query<Filtres>,
) -> Result<Response, ErreurWeb> {
    let (liste, extension) = fichier.rsplit_once('.').ok_or(ErreurWeb::Introuvable)?;
    let (format, type_) = match extension {
        "csv" => (Format::CsvTableur, "text/csv; charset=utf-8"),
        "xlsx" => (
            Format::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return Err(ErreurWeb::Introuvable),
    };
    let t = construire(&etat, &c, liste, &filtres).await?;
    let mut octets = Vec::new();
    t.ecrire(format, &mut octets)
        .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, type_.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{liste}.{extension}\""),
            ),
        ],
        octets,
    )
        .into_response())
}
