//! The use cases of the platform. Each takes the acting user, reads what the rule needs, applies
//! the domain's transition (which checks role, territory and state, whatever the caller), and
//! writes the record and its audit event in one transaction. Reads are filtered by role and
//! territory the same way for pages, exports and the API.

mod acces;
mod cas;
pub mod demo;
mod demo_coordination;
mod erreur;
pub mod mot_de_passe;

use std::sync::Arc;

use referentiel::parametres::Parametres;
use store::Base;

pub use acces::{Filtre, peut_voir};
pub use cas::annuaire::publication::PropositionAip;
pub use cas::annuaire::recherche::{Recherche, ResultatRecherche, ServiceTrouve};
pub use cas::annuaire::{communes as communes_embarquees, peut_lire as peut_lire_service};
pub use cas::campagnes::{ApercuCampagne, CampagneEmise, Confirmation, LigneCampagne, NonPaye};
pub use cas::candidatures::VueAppel;
pub use cas::coordination::VueInstance;
pub use cas::coordination::convocation::date_et_heure;
pub use cas::coordination::rapport::{LigneComparaison, VueRapport, date_d_envoi};
pub use cas::coordination::seances::{ActionSeance, VueLien, VueSeance};
pub use cas::courriels::{CourrielOuvert, CourrielVu, EtatCourriel};
pub use cas::declarations::ActionTransmission;
pub use cas::demandes_contact::{IssueEnvoi, ServiceContactable};
pub use cas::diagnostic::{
    ETATS_OFFRE, RAYON_MAX_KM, RAYON_PAR_DEFAUT_KM, peut_ecrire as peut_ecrire_coordination,
    peut_lire as peut_lire_coordination,
};
pub use cas::donnees_ouvertes::ContenuOuvert;
pub use cas::dossiers::ActionDossier;
pub use cas::enveloppes::SituationEnveloppe;
pub use cas::evaluation::{VueMonographie, exiger_lecture_evaluation};
pub use cas::instance_nationale::VueNationale;
pub use cas::messages::{FilLu, Message};
pub use cas::paiements::Echeance;
pub use cas::paiements::{CampagnePaiements, PaiementDu, ResultatEmission};
pub use cas::pieces::Telechargement;
pub use cas::proconnect::{IdentiteProConnect, Rapprochement, role_agent_public};
pub use cas::questionnaires::{
    ENVOIS_MAX_PAR_ADRESSE_ET_HEURE as ENVOIS_MAX_QUESTIONNAIRES, FiltreResultats, IssueReponse,
    Periode, QuestionnaireOuvert, jeton_de_formulaire,
};
pub use cas::structures::Auteur;
pub use cas::suivi::EvenementHistorique;
pub use erreur::ErreurApp;
pub use store::depot::Lu;

/// The platform: a database and the rules' parameters.
#[derive(Debug, Clone)]
pub struct Plateforme {
    pub base: Base,
    pub parametres: Arc<Parametres>,
    /// The public directory's search index, shared by the clones (see `cas::annuaire::recherche`).
    annuaire: Arc<cas::annuaire::recherche::CacheIndex>,
}

impl Plateforme {
    pub fn new(base: Base, parametres: Arc<Parametres>) -> Self {
        Plateforme {
            base,
            parametres,
            annuaire: Arc::default(),
        }
    }
}
