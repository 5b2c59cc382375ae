//! `parentalite user create`: an operator opens an account with its role and territory. The
//! password comes from an environment variable, or a random one is generated and printed once.
//! `parentalite user proconnect-detach`: an account loses its ProConnect identity.

use std::collections::BTreeSet;

use app::Plateforme;
use domain::acces::{Role, Utilisateur};
use domain::identifiants::{CodeDepartement, Email, FinanceurId, GestionnaireId};

use super::{Issue, maintenant};

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Create an account.
    Create {
        #[arg(long)]
        email: String,
        /// cnaf, caf, financeur, gestionnaire or intervenant.
        #[arg(long)]
        role: String,
        /// Département codes covered (caf, financeur), comma separated: `38,30`.
        #[arg(long, value_delimiter = ',')]
        territoire: Vec<String>,
        /// Gestionnaire numbers the account belongs to (gestionnaire, intervenant).
        #[arg(long, value_delimiter = ',')]
        gestionnaire: Vec<i64>,
        /// The funder the account speaks for (financeur).
        #[arg(long)]
        financeur: Option<i64>,
        /// Name shown in the application.
        #[arg(long)]
        nom: Option<String>,
        /// Name of an environment variable holding the password (else one is generated).
        #[arg(long, value_name = "VARIABLE")]
        mot_de_passe_env: Option<String>,
    },
    /// Detach an account from its ProConnect identity (the agent changed ProConnect account):
    /// its next ProConnect login matches on its e-mail again.
    ProconnectDetach {
        #[arg(long)]
        email: String,
    },
}

/// `parentalite user proconnect-detach`.
async fn detacher_proconnect(p: Plateforme, email: String) -> Issue {
    match p.delier_compte_proconnect(&email, maintenant()).await {
        Ok(Some(Some(sub))) => {
            println!("compte {email} détaché de l’identité ProConnect {sub}");
            Issue::Succes
        }
        Ok(Some(None)) => {
            println!("compte {email} : aucune identité ProConnect rattachée");
            Issue::Succes
        }
        Ok(None) => Issue::Invalide(format!("--email: aucun compte « {email} »")),
        Err(e) => Issue::Echec(e.to_string()),
    }
}

pub async fn executer(p: Plateforme, commande: Commande) -> Issue {
    let Commande::Create {
        email,
        role,
        territoire,
        gestionnaire,
        financeur,
        nom,
        mot_de_passe_env,
    } = commande
    else {
        let Commande::ProconnectDetach { email } = commande else {
            return Issue::Echec("sous-commande inconnue".to_owned());
        };
        return detacher_proconnect(p, email).await;
    };
    let Some(role) = Role::depuis_code(role.trim()) else {
        return Issue::Invalide(format!(
            "--role: « {role} » inconnu (cnaf, caf, financeur, gestionnaire, intervenant)"
        ));
    };
    let email = match Email::parse(&email) {
        Ok(e) => e,
        Err(e) => return Issue::Invalide(format!("--email: {e}")),
    };
    let mut departements = BTreeSet::new();
    for t in &territoire {
        match CodeDepartement::parse(t.trim()) {
            Ok(d) => {
                departements.insert(d);
            }
            Err(e) => return Issue::Invalide(format!("--territoire: « {t} »: {e}")),
        }
    }
    let (mot_de_passe, genere) = match mot_de_passe_env {
        Some(v) => match std::env::var(&v) {
            Ok(m) if m.chars().count() >= 12 => (m, false),
            Ok(_) => {
                return Issue::Invalide(format!(
                    "--mot-de-passe-env: le mot de passe de {v} doit avoir au moins 12 caractères"
                ));
            }
            Err(_) => return Issue::Invalide(format!("--mot-de-passe-env: variable {v} absente")),
        },
        None => (app::mot_de_passe::generer(), true),
    };
    let hache = match app::mot_de_passe::hacher(&mot_de_passe) {
        Ok(h) => h,
        Err(e) => return Issue::Echec(e),
    };
    let nom = nom.unwrap_or_else(|| email.as_str().to_owned());
    let gestionnaires: BTreeSet<GestionnaireId> =
        gestionnaire.into_iter().map(GestionnaireId).collect();
    let resultat = p
        .creer_utilisateur(
            |id| Utilisateur {
                id,
                email: email.clone(),
                nom,
                role,
                departements,
                gestionnaires,
                financeur: financeur.map(FinanceurId),
                actif: true,
            },
            Some(hache),
            maintenant(),
        )
        .await;
    match resultat {
        Ok(u) => {
            println!(
                "compte n°{} créé: {} ({})",
                u.valeur.id,
                u.valeur.email,
                role.code()
            );
            if genere {
                println!("mot de passe (affiché une seule fois): {mot_de_passe}");
            }
            Issue::Succes
        }
        Err(e) => Issue::Invalide(e.to_string()),
    }
}
