//! The activity of the AIP service (Référentiel national de financement de l'AIP §II.3, §IV.2, §V): the sessions (entretiens) an
//! intervenant records or a structure imports, each family known only by a pseudonymous code;
//! the rules checked at entry; aggregates by structure, département and nation kept current in
//! the same transaction as every insert; the annual report's figures, the evaluation
//! indicators, and exports (open data with small counts masked).
//!
//! Everything goes through [`SuiviActivite`], built on the platform's database and parameters.

mod acces;
pub mod agregats;
mod bilan;
pub mod dates;
pub mod demo;
mod entretien;
mod erreur;
mod export;
mod import;
pub mod indicateurs;
mod moyens;
pub mod nomenclature;
mod pseudonyme;
mod regles;
mod saisie;
mod stockage;
mod tableau;

use std::sync::Arc;

use app::Plateforme;
use referentiel::parametres::Parametres;
use store::{Base, Tx};

pub use agregats::{Agregat, Maille, Niveau, Periode, replier};
pub use bilan::ChiffresBilan;
pub use entretien::{
    DUREE_MINUTES, Entretien, LONGUEUR_MAX_MOTIF, LONGUEUR_MAX_REFERENCE, SaisieEntretien,
    verifier_champs,
};
pub use erreur::{ErreurActivite, ErreurLigne, Probleme};
pub use export::{Diffusion, LigneExport, SEUIL_SECRET, ecrire_csv, lignes_export};
pub use import::RapportImport;
pub use indicateurs::{INDICATEURS, Indicateur, Totaux, ValeurIndicateur};
pub use nomenclature::{Ensemble, Etape, Modalite, Mode, Orientation, Presence, Sujet};
pub use pseudonyme::{CodeFamille, IdentifiantFamille};
pub use regles::Avertissement;
pub use saisie::Enregistre;
pub use tableau::{IndicateursTerritoire, TableauDeBord};

/// The activity use cases, on the platform's database and parameters.
#[derive(Debug, Clone)]
pub struct SuiviActivite {
    base: Base,
    parametres: Arc<Parametres>,
}

impl SuiviActivite {
    pub fn new(plateforme: &Plateforme) -> Self {
        SuiviActivite {
            base: plateforme.base.clone(),
            parametres: plateforme.parametres.clone(),
        }
    }

    /// A read-only transaction that sees one consistent state and blocks no writer: deferred on
    /// SQLite (WAL readers run beside the writer), repeatable read on PostgreSQL.
    /// Started by [`Base::lecture`], whose `BEGIN` a cancelled caller cannot cut short.
    async fn lecture(&self) -> Result<Tx, ErreurActivite> {
        Ok(self.base.lecture().await?)
    }
}
