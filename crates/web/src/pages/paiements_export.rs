//! The file of a confirmed payment run for the Caf's payment system, in the format documented in
//! docs/export-paiements.md: one line per payment, `;`, decimal comma, UTF-8 with BOM, written by
//! `tableur` (which neutralises cells a spreadsheet would read as formulas).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::paiement::{NaturePaiement, Paiement};
use tableur::export::{Cellule, Colonne, Format, Tableau};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::session::Connecte;

/// The columns of the file, in order: French header and stable key.
pub const COLONNES: [(&str, &str); 12] = [
    ("Campagne", "campagne"),
    ("Référence", "reference"),
    ("Date de paiement", "date"),
    ("Sens", "sens"),
    ("Montant (€)", "montant_euros"),
    ("Bénéficiaire", "beneficiaire"),
    ("IBAN", "iban"),
    ("BIC", "bic"),
    ("Convention", "convention"),
    ("Exercice", "exercice"),
    ("Nature", "nature"),
    ("Département", "departement"),
];

/// The table of a run's payments.
pub fn tableau_campagne(campagne: &str, paiements: &[Paiement]) -> Tableau {
    let texte = |s: &str| Cellule::Texte(s.to_owned());
    Tableau {
        titre: format!("Campagne de paiements {campagne}"),
        colonnes: COLONNES
            .iter()
            .map(|(entete, cle)| Colonne::new(entete, cle))
            .collect(),
        lignes: paiements
            .iter()
            .map(|p| {
                let banque = p.banque.as_ref();
                vec![
                    texte(campagne),
                    texte(&p.reference),
                    Cellule::Date(p.date),
                    texte(match p.nature {
                        NaturePaiement::Indu => "recouvrement",
                        _ => "virement",
                    }),
                    Cellule::Centimes(p.montant.centimes()),
                    texte(banque.map_or("", |b| b.titulaire.as_str())),
                    texte(banque.map_or("", |b| b.iban.as_str())),
                    texte(banque.map_or("", |b| b.bic.as_str())),
                    Cellule::Entier(p.convention.0),
                    Cellule::Entier(i64::from(p.exercice)),
                    texte(&super::paiements::nature_lisible(p.nature)),
                    texte(p.departement.as_str()),
                ]
            })
            .collect(),
    }
}

/// `GET /paiements/campagnes/{campagne}.csv`.
pub async fn telecharger(
    State(etat): State<Etat>,
    c: Connecte,
    Path(fichier): Path<String>,
) -> Result<Response, ErreurWeb> {
    let campagne = fichier.strip_suffix(".csv").ok_or(ErreurWeb::Introuvable)?;
    let emise = etat.plateforme.campagne(&c.acteur, campagne).await?;
    let mut octets = Vec::new();
    tableau_campagne(&emise.campagne, &emise.paiements)
        .ecrire(Format::CsvTableur, &mut octets)
        .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"paiements-{}.csv\"", emise.campagne),
            ),
        ],
        octets,
    )
        .into_response())
}
