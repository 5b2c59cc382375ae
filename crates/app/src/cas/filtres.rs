//! A user's saved filters of the dossier list: saved under a name of its own, listed, deleted.
//! A filter is only the list's query string: what it shows is always what the user may see.

use domain::acces::Acteur;
use domain::texte::TexteLibre;
use store::filtres::{self, FiltreEnregistre};
use time::OffsetDateTime;

use crate::Plateforme;
use crate::erreur::ErreurApp;

/// The longest query string kept, in characters.
const LONGUEUR_REQUETE: usize = 1_000;

impl Plateforme {
    /// Saves the list's query string `requete` (empty, or from its `?`) under `nom`, replacing
    /// the user's filter of that name.
    pub async fn enregistrer_filtre(
        &self,
        acteur: &Acteur,
        nom: &str,
        requete: &str,
        quand: OffsetDateTime,
    ) -> Result<i64, ErreurApp> {
        const ACTION: &str = "Enregistrer le filtre";
        let nom = TexteLibre::court("nom du filtre", nom).map_err(|e| {
            ErreurApp::Refus(domain::Refus::Champ {
                action: ACTION,
                champ: "nom",
                raison: e.to_string(),
            })
        })?;
        if !(requete.is_empty() || requete.starts_with('?'))
            || requete.chars().count() > LONGUEUR_REQUETE
            || requete.chars().any(char::is_control)
        {
            return Err(ErreurApp::Refus(domain::Refus::Champ {
                action: ACTION,
                champ: "requete",
                raison: "ce n'est pas un filtre de la liste des dossiers".to_owned(),
            }));
        }
        Ok(filtres::enregistrer(
            &self.base,
            acteur.id.0,
            nom.as_str(),
            requete,
            &quand
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        )
        .await?)
    }

    /// The user's saved filters, by name.
    pub async fn filtres_enregistres(
        &self,
        acteur: &Acteur,
    ) -> Result<Vec<FiltreEnregistre>, ErreurApp> {
        Ok(filtres::filtres(&self.base, acteur.id.0).await?)
    }

    /// Deletes one of the user's saved filters; false when it has none of that number.
    pub async fn supprimer_filtre(&self, acteur: &Acteur, id: i64) -> Result<bool, ErreurApp> {
        Ok(filtres::supprimer(&self.base, acteur.id.0, id).await?)
    }
}
