//! `parentalite paiements emettre`: the payment run of a Caf agent. Each payment is written in
//! its own transaction; a run interrupted at any point can be run again and pays nothing twice.

use app::Plateforme;
use time::Date;
use time::macros::format_description;

use super::{Issue, maintenant};

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Issue every payment due in the agent's territory.
    Emettre {
        /// E-mail of the Caf agent on whose behalf the payments are issued.
        #[arg(long)]
        email: String,
        /// Payment date (AAAA-MM-JJ), today by default.
        #[arg(long)]
        date: Option<String>,
    },
}

pub async fn executer(p: Plateforme, commande: Commande) -> Issue {
    match commande {
        Commande::Emettre { email, date } => {
            let date = match date {
                None => maintenant().date(),
                Some(t) => match Date::parse(&t, format_description!("[year]-[month]-[day]")) {
                    Ok(d) => d,
                    Err(_) => {
                        return Issue::Invalide(format!(
                            "--date: « {t} » n'est pas une date AAAA-MM-JJ"
                        ));
                    }
                },
            };
            let acteur = match p.utilisateur_par_email(&email).await {
                Ok(Some((_, a))) => a,
                Ok(None) => {
                    return Issue::Invalide(format!("--email: aucun compte actif « {email} »"));
                }
                Err(e) => return Issue::Echec(e.to_string()),
            };
            match p.emettre_paiements_dus(&acteur, date, maintenant()).await {
                Ok(campagne) => {
                    for paiement in &campagne.emis {
                        println!(
                            "{} {} {} {}",
                            paiement.reference,
                            paiement.nature.code(),
                            paiement.exercice,
                            paiement.montant.texte_point()
                        );
                    }
                    println!("{} paiement(s) émis", campagne.emis.len());
                    for (d, raison) in &campagne.rouvertes {
                        eprintln!(
                            "déclaration n°{} ({} {}) renvoyée à la validation: {raison}",
                            d.id,
                            d.nature.code(),
                            d.exercice
                        );
                    }
                    for (convention, exercice, echeance, refus) in &campagne.refus {
                        eprintln!(
                            "convention n°{convention}, {exercice}, {}: {}",
                            echeance.code(),
                            refus.raison()
                        );
                    }
                    if campagne.refus.is_empty() {
                        Issue::Succes
                    } else {
                        Issue::Echec(format!("{} paiement(s) refusé(s)", campagne.refus.len()))
                    }
                }
                Err(e) => Issue::Echec(e.to_string()),
            }
        }
    }
}
