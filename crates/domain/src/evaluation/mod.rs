//! The evaluation of the AIP experiment: the parents' and partners' questionnaires, the
//! indicators fixed in advance and the Caf's monographs.

pub mod indicateurs;
pub mod monographie;
