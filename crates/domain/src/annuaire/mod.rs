//! The directory of the services offered to parents: the service record as its gestionnaire
//! describes it ([`service`]), its opening hours in the OpenStreetMap syntax ([`horaires`]), and
//! its publication under the Caf's moderation ([`moderation`]).

pub mod besoins;
pub mod horaires;
pub mod moderation;
pub mod recherche;
pub mod service;

pub use horaires::{EXEMPLES_HORAIRES, Horaires};
pub use moderation::EtatPublication;
pub use service::{
    Accessibilite, CHAMPS_LIEUX, ChampsLieu, Contacts, DescriptionService, Frais, LieuService,
    MAX_LIEUX, Mode, Public, SaisieLieuService, SaisieService, Service, Tarification, TypeService,
    proposition_aip,
};
