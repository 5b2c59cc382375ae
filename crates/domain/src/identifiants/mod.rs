//! Identifiers with rules (SIRET, SIREN, RNA, INSEE codes, e-mail addresses), each a newtype whose
//! `parse()` either returns a valid value or says precisely, in French, what is wrong; and the
//! typed identifiers of stored records.

mod code_departement;
mod code_insee;
mod email;
mod ids;
mod luhn;
mod rna;
mod siret;

pub use code_departement::{CodeDepartement, ErreurCodeDepartement};
pub use code_insee::{CodeInsee, ErreurCodeInsee};
pub use email::{Email, ErreurEmail};
pub use ids::{
    AppelAProjetsId, BilanId, ConventionId, DecisionId, DeclarationId, DossierId, FinanceurId,
    GestionnaireId, InstanceId, IntervenantId, LieuId, MembreId, PaiementId, PieceId, SeanceId,
    ServiceId, UtilisateurId,
};
pub use ids::{AppelCandidaturesId, CandidatureId};
pub use rna::{ErreurRna, Rna};
pub use siret::{ErreurSirene, Siren, Siret};
