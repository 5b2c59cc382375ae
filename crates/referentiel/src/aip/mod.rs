//! The AIP subsidy (Référentiel national de financement de l'AIP §VI; docs/calcul-aip.md): the national parameters in force for an
//! exercise, the exact three-step computation for the three declarations of a year, its trace,
//! and the JSON form of a case used by the command line and the API.

mod calcul;
mod calendrier;
pub mod json;
mod parametres;
pub mod rendu;
mod trace;

pub use calcul::{
    Declaration, EntreeAip, ErreurAip, ResultatAip, Suite, calculer, etp_notifies_moyens,
};
pub use calendrier::CalendrierAip;
pub use parametres::ParametresAip;
pub use trace::{Etape, Operande, TEXTE_SOURCE, Trace, Valeur};
