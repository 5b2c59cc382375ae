//! The evaluation of the AIP experiment: what is asked of parents and partners and how their
//! answers are counted and published; the indicators fixed in advance and the Caf's monographs.

pub mod indicateurs;
pub mod monographie;
pub mod questionnaire;
