//! Which account a ProConnect login opens. ProConnect is for public agents: the accounts of the
//! Caf, of the Cnaf and of co-funders. An account is found by the ProConnect subject identifier
//! (`sub`) stored with it; at the first ProConnect login of an account that has none yet, by the
//! e-mail of the account an administrator created for that agent (its invitation), and the `sub`
//! is then stored, with an audit line. Later logins are matched on `sub` only, so an e-mail
//! changed at the provider keeps the account, and another `sub` carrying the same e-mail is
//! refused. Partners (gestionnaires, intervenants) and instance members keep password login.

use domain::acces::{Role, Utilisateur};
use store::audit::{self, NouvelEvenement};
use store::depot::{self, Lu};
use time::OffsetDateTime;

use crate::Plateforme;
use crate::erreur::ErreurApp;

/// What the provider says of the person logging in (the claims the platform reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentiteProConnect {
    pub sub: String,
    pub email: String,
    pub prenom: Option<String>,
    pub nom_usuel: Option<String>,
    pub siret: Option<String>,
    pub fournisseur_identite: Option<String>,
}

/// The outcome of matching a ProConnect identity with an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rapprochement {
    /// The account to open a session for; `premiere_fois` when its `sub` was just stored.
    Compte { id: i64, premiere_fois: bool },
    /// No active account for this identity: the agent asks an administrator for an invitation.
    Inconnu,
    /// The account is a partner's or a member's: it logs in with its password.
    Partenaire,
    /// The e-mail is that of an account already bound to another ProConnect identity.
    AutreIdentite,
}

/// Whether accounts of this role log in through ProConnect (public agents).
pub fn role_agent_public(role: Role) -> bool {
    matches!(role, Role::Caf | Role::Cnaf | Role::Financeur)
}

impl Plateforme {
    /// Finds (and, the first time, binds) the account of a ProConnect identity.
    pub async fn rapprocher_compte_proconnect(
        &self,
        identite: &IdentiteProConnect,
        quand: OffsetDateTime,
    ) -> Result<Rapprochement, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        if let Some(id) = store::comptes::compte_du_sub_proconnect(&mut tx, &identite.sub).await? {
            let compte = depot::lire::<Utilisateur>(&mut tx, id).await?.valeur;
            tx.annuler().await?;
            return Ok(if !compte.actif {
                Rapprochement::Inconnu
            } else if !role_agent_public(compte.role) {
                Rapprochement::Partenaire
            } else {
                Rapprochement::Compte {
                    id,
                    premiere_fois: false,
                }
            });
        }
        let email = identite.email.trim().to_lowercase();
        let trouves: Vec<Lu<Utilisateur>> =
            depot::lister(&mut tx, "email = $1", &[email.as_str().into()], "id").await?;
        let Some(compte) = trouves.into_iter().map(|l| l.valeur).find(|u| u.actif) else {
            tx.annuler().await?;
            return Ok(Rapprochement::Inconnu);
        };
        if !role_agent_public(compte.role) {
            tx.annuler().await?;
            return Ok(Rapprochement::Partenaire);
        }
        if store::comptes::sub_proconnect_du_compte(&mut tx, compte.id.0)
            .await?
            .is_some()
        {
            tx.annuler().await?;
            return Ok(Rapprochement::AutreIdentite);
        }
        store::comptes::lier_sub_proconnect(
            &mut tx,
            compte.id.0,
            &identite.sub,
            quand.unix_timestamp(),
        )
        .await?;
        audit::ajouter(
            &mut tx,
            NouvelEvenement {
                horodatage: quand,
                acteur_id: Some(compte.id.0),
                role: Some(compte.role.code().to_owned()),
                entite: "utilisateur".to_owned(),
                entite_id: compte.id.0,
                action: "lier_proconnect".to_owned(),
                etat_avant: None,
                etat_apres: None,
                description: format!(
                    "compte {} rattaché à l'identité ProConnect {} (première connexion par ProConnect{})",
                    compte.email,
                    identite.sub,
                    identite
                        .siret
                        .as_deref()
                        .map(|s| format!(", SIRET {s}"))
                        .unwrap_or_default()
                ),
                changements: "[]".to_owned(),
                avant: None,
                apres: None,
            },
        )
        .await?;
        tx.valider().await?;
        Ok(Rapprochement::Compte {
            id: compte.id.0,
            premiere_fois: true,
        })
    }

    /// Unbinds the account of `email` from its ProConnect identity (an operator's action, when
    /// an agent changed ProConnect account): its next ProConnect login matches on the e-mail
    /// again. Audited. `None` when no account has that e-mail; `Some(None)` when it had no `sub`.
    pub async fn delier_compte_proconnect(
        &self,
        email: &str,
        quand: OffsetDateTime,
    ) -> Result<Option<Option<String>>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let email = email.trim().to_lowercase();
        let trouves: Vec<Lu<Utilisateur>> =
            depot::lister(&mut tx, "email = $1", &[email.as_str().into()], "id").await?;
        let Some(compte) = trouves.into_iter().next().map(|l| l.valeur) else {
            tx.annuler().await?;
            return Ok(None);
        };
        let Some(sub) = store::comptes::delier_sub_proconnect(&mut tx, compte.id.0).await? else {
            tx.annuler().await?;
            return Ok(Some(None));
        };
        audit::ajouter(
            &mut tx,
            NouvelEvenement {
                horodatage: quand,
                acteur_id: None,
                role: Some("operateur".to_owned()),
                entite: "utilisateur".to_owned(),
                entite_id: compte.id.0,
                action: "delier_proconnect".to_owned(),
                etat_avant: None,
                etat_apres: None,
                description: format!(
                    "compte {} détaché de l'identité ProConnect {sub}",
                    compte.email
                ),
                changements: "[]".to_owned(),
                avant: None,
                apres: None,
            },
        )
        .await?;
        tx.valider().await?;
        Ok(Some(Some(sub)))
    }
}
