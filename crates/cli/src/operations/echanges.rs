//! `parentalite import` and `parentalite export`: files of gestionnaires in (all rows or none),
//! any list out as CSV for French spreadsheets, open-data CSV or XLSX, as seen by a given user
//! (`--email`) or, by default, nationally.

use std::io::Write;
use std::path::PathBuf;

use app::{Auteur, Lu, Plateforme};
use domain::acces::Acteur;
use domain::identifiants::UtilisateurId;
use tableur::{Cellule, Colonne, Format, Tableau};

use super::{Issue, maintenant};

#[derive(Debug, clap::Subcommand)]
pub enum Import {
    /// Import gestionnaires from a CSV file (validated row by row; any bad row, nothing imported).
    Gestionnaires { fichier: PathBuf },
}

/// The lists that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Liste {
    Gestionnaires,
    Dossiers,
    Conventions,
    Declarations,
    Paiements,
    Enveloppes,
}

#[derive(Debug, clap::Args)]
pub struct Export {
    /// The list to export.
    #[arg(value_enum)]
    liste: Liste,
    /// `csv` (French spreadsheet: `;`, decimal comma, BOM), `csv-ouvert` (open data) or `xlsx`.
    #[arg(long, default_value = "csv")]
    format: String,
    /// Output file (standard output by default).
    #[arg(long)]
    sortie: Option<PathBuf>,
    /// Export what this user sees (role and territory); national view by default.
    #[arg(long)]
    email: Option<String>,
}

pub async fn importer(p: Plateforme, commande: Import) -> Issue {
    let Import::Gestionnaires { fichier } = commande;
    let octets = match std::fs::read(&fichier) {
        Ok(o) => o,
        Err(e) => {
            return Issue::Invalide(format!("{}: lecture impossible: {e}", fichier.display()));
        }
    };
    let lignes = match tableur::lire_gestionnaires(&octets) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{}", e.rapport());
            return Issue::Invalide(format!("{}: {e}", fichier.display()));
        }
    };
    let n = lignes.len();
    let constructeurs: Vec<_> = lignes
        .into_iter()
        .map(|l| move |id| l.construire(id))
        .collect();
    match p
        .importer_gestionnaires(Auteur::Operateur, constructeurs, maintenant())
        .await
    {
        Ok(crees) => {
            println!("{} gestionnaire(s) importé(s) sur {n}", crees.len());
            Issue::Succes
        }
        Err(e) => Issue::Invalide(format!("{}: rien n'a été importé: {e}", fichier.display())),
    }
}

fn texte(t: impl ToString) -> Cellule {
    Cellule::Texte(t.to_string())
}

async fn tableau(p: &Plateforme, acteur: &Acteur, liste: Liste) -> Result<Tableau, app::ErreurApp> {
    let c = Colonne::new;
    Ok(match liste {
        Liste::Gestionnaires => Tableau {
            titre: "Gestionnaires".into(),
            colonnes: vec![
                c("N°", "id"),
                c("Raison sociale", "raison_sociale"),
                c("SIRET", "siret"),
                c("RNA", "rna"),
                c("Statut juridique", "statut_juridique"),
                c("Activité", "type_activite"),
                c("Commune (code INSEE)", "commune"),
                c("Département", "departement"),
            ],
            lignes: p
                .gestionnaires(acteur)
                .await?
                .into_iter()
                .map(|Lu { valeur: g, .. }| {
                    vec![
                        Cellule::Entier(g.id.0),
                        texte(&g.raison_sociale),
                        texte(&g.siret),
                        g.rna.map_or(Cellule::Vide, texte),
                        texte(g.statut.code()),
                        texte(g.activite.code()),
                        texte(g.siege.commune),
                        texte(g.departement_siege),
                    ]
                })
                .collect(),
        },
        Liste::Dossiers => Tableau {
            titre: "Dossiers".into(),
            colonnes: vec![
                c("N°", "id"),
                c("Gestionnaire", "gestionnaire_id"),
                c("Département", "departement"),
                c("Intitulé", "intitule"),
                c("État", "etat"),
                c("ETP demandés", "etp_demandes"),
                c("Déposé le", "depose_le"),
            ],
            lignes: p
                .dossiers(acteur, None)
                .await?
                .into_iter()
                .map(|Lu { valeur: d, .. }| {
                    vec![
                        Cellule::Entier(d.id.0),
                        Cellule::Entier(d.gestionnaire.0),
                        texte(d.departement),
                        texte(&d.projet.intitule),
                        texte(d.etat.libelle()),
                        Cellule::Etp(d.projet.etp_demandes.dix_milliemes()),
                        d.depose_le
                            .map_or(Cellule::Vide, |t| Cellule::Date(t.date())),
                    ]
                })
                .collect(),
        },
        Liste::Conventions => Tableau {
            titre: "Conventions".into(),
            colonnes: vec![
                c("Numéro", "numero"),
                c("Gestionnaire", "gestionnaire_id"),
                c("Département", "departement"),
                c("État", "etat"),
                c("Début", "debut"),
                c("Fin", "fin"),
                c("Signée le", "signee_le"),
                c("ETP notifiés", "etp_notifies"),
            ],
            lignes: p
                .conventions(acteur)
                .await?
                .into_iter()
                .map(|Lu { valeur: v, .. }| {
                    vec![
                        texte(&v.numero),
                        Cellule::Entier(v.gestionnaire.0),
                        texte(v.departement),
                        texte(v.etat.libelle()),
                        Cellule::Date(v.debut),
                        Cellule::Date(v.fin),
                        v.date_signature.map_or(Cellule::Vide, Cellule::Date),
                        v.notification_initiale
                            .map_or(Cellule::Vide, |n| Cellule::Etp(n.etp.dix_milliemes())),
                    ]
                })
                .collect(),
        },
        Liste::Declarations => Tableau {
            titre: "Déclarations".into(),
            colonnes: vec![
                c("N°", "id"),
                c("Convention", "convention_id"),
                c("Département", "departement"),
                c("Exercice", "exercice"),
                c("Nature", "nature"),
                c("État", "etat"),
                c("Dépenses (€)", "depenses_euros"),
                c("ETP déclarés", "etp_declares"),
                c("Mois de fonctionnement", "mois_fonctionnement"),
            ],
            lignes: p
                .declarations(acteur, None)
                .await?
                .into_iter()
                .map(|Lu { valeur: d, .. }| {
                    vec![
                        Cellule::Entier(d.id.0),
                        Cellule::Entier(d.convention.0),
                        texte(d.departement),
                        Cellule::Entier(i64::from(d.exercice)),
                        texte(d.nature.libelle()),
                        texte(d.etat().libelle()),
                        Cellule::Centimes(d.donnees.depenses_fonctionnement.centimes()),
                        Cellule::Etp(d.donnees.etp_declares.dix_milliemes()),
                        Cellule::Entier(i64::from(d.donnees.mois_fonctionnement)),
                    ]
                })
                .collect(),
        },
        Liste::Paiements => Tableau {
            titre: "Paiements".into(),
            colonnes: vec![
                c("Référence", "reference"),
                c("Convention", "convention_id"),
                c("Département", "departement"),
                c("Exercice", "exercice"),
                c("Nature", "nature"),
                c("Montant (€)", "montant_euros"),
                c("Date", "date"),
            ],
            lignes: p
                .paiements(acteur, None)
                .await?
                .into_iter()
                .map(|Lu { valeur: v, .. }| {
                    vec![
                        texte(&v.reference),
                        Cellule::Entier(v.convention.0),
                        texte(v.departement),
                        Cellule::Entier(i64::from(v.exercice)),
                        texte(v.nature.libelle()),
                        Cellule::Centimes(v.montant.centimes()),
                        Cellule::Date(v.date),
                    ]
                })
                .collect(),
        },
        Liste::Enveloppes => Tableau {
            titre: "Enveloppes".into(),
            colonnes: vec![
                c("Département", "departement"),
                c("Allocation (€)", "allocation_euros"),
                c("Engagé (€)", "engage_euros"),
                c("Payé (€)", "paye_euros"),
            ],
            lignes: p
                .situations(acteur)
                .await?
                .into_iter()
                .map(|s| {
                    let s = s.situation;
                    vec![
                        texte(s.departement),
                        Cellule::Centimes(s.allocation.centimes()),
                        Cellule::Centimes(s.engage.centimes()),
                        Cellule::Centimes(s.paye.centimes()),
                    ]
                })
                .collect(),
        },
    })
}

pub async fn exporter(p: Plateforme, commande: Export) -> Issue {
    let Some(format) = Format::depuis_code(&commande.format) else {
        return Issue::Invalide(format!(
            "--format: « {} » inconnu (csv, csv-ouvert, xlsx)",
            commande.format
        ));
    };
    let acteur = match &commande.email {
        None => Acteur::cnaf(UtilisateurId(0)),
        Some(email) => match p.utilisateur_par_email(email).await {
            Ok(Some((_, a))) => a,
            Ok(None) => return Issue::Invalide(format!("--email: aucun compte actif « {email} »")),
            Err(e) => return Issue::Echec(e.to_string()),
        },
    };
    let t = match tableau(&p, &acteur, commande.liste).await {
        Ok(t) => t,
        Err(e) => return Issue::Echec(e.to_string()),
    };
    let mut octets = Vec::new();
    if let Err(e) = t.ecrire(format, &mut octets) {
        return Issue::Echec(e.to_string());
    }
    let ecrit = match &commande.sortie {
        Some(f) => std::fs::write(f, &octets),
        None => std::io::stdout().lock().write_all(&octets),
    };
    match ecrit {
        Ok(()) => {
            eprintln!("{} ligne(s) exportée(s)", t.lignes.len());
            Issue::Succes
        }
        Err(e) => Issue::Echec(format!("écriture impossible: {e}")),
    }
}
