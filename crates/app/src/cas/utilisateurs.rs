//! User accounts: created by an operator (or the Cnaf), found by e-mail to act as them. The
//! password arrives already hashed (the web layer owns hashing); the record itself never holds it.

use domain::acces::{Acteur, Utilisateur};
use domain::identifiants::UtilisateurId;
use store::audit::{self, NouvelEvenement};
use store::depot::{self, Lu};
use time::OffsetDateTime;

use crate::Plateforme;
use crate::erreur::ErreurApp;

impl Plateforme {
    /// Creates an account; `construire` receives the allocated id. A taken e-mail is refused.
    pub async fn creer_utilisateur(
        &self,
        construire: impl FnOnce(UtilisateurId) -> Utilisateur,
        mot_de_passe_hache: Option<String>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Utilisateur>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let id = UtilisateurId(depot::prochain_id(&mut tx, "utilisateurs").await?);
        let u = construire(id);
        u.verifier()
            .map_err(|e| ErreurApp::Interdit(format!("compte incohérent: {e}")))?;
        let deja = store::comptes::email_pris(&mut tx, u.email.as_str()).await?;
        if deja {
            return Err(ErreurApp::Store(store::ErreurStore::Doublon {
                champ: "email",
                message: format!(
                    "l'adresse électronique « {} » est déjà celle d'un compte",
                    u.email.as_str()
                ),
            }));
        }
        depot::inserer(&mut tx, &u).await?;
        store::comptes::fixer_mot_de_passe(&mut tx, id.0, mot_de_passe_hache).await?;
        audit::ajouter(
            &mut tx,
            NouvelEvenement {
                horodatage: quand,
                acteur_id: None,
                role: Some("operateur".to_owned()),
                entite: "utilisateur".to_owned(),
                entite_id: id.0,
                action: "creer".to_owned(),
                etat_avant: None,
                etat_apres: None,
                description: format!("compte {} ({}) créé", u.email, u.role.libelle()),
                changements: "[]".to_owned(),
                avant: None,
                apres: Some(serde_json::to_string(&u).map_err(store::ErreurStore::from)?),
            },
        )
        .await?;
        tx.valider().await?;
        Ok(Lu {
            valeur: u,
            version: 1,
        })
    }

    /// The active account with this e-mail, and the acting user it gives.
    pub async fn utilisateur_par_email(
        &self,
        email: &str,
    ) -> Result<Option<(Utilisateur, Acteur)>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let l: Vec<Lu<Utilisateur>> = depot::lister(
            &mut tx,
            "email = $1",
            &[email.trim().to_lowercase().into()],
            "id",
        )
        .await?;
        match l.into_iter().next().filter(|u| u.valeur.actif) {
            None => Ok(None),
            Some(u) => {
                let acteur = u
                    .valeur
                    .acteur()
                    .map_err(|e| ErreurApp::Interdit(format!("compte incohérent: {e}")))?;
                Ok(Some((u.valeur, acteur)))
            }
        }
    }
}
