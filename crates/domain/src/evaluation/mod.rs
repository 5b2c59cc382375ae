//! The evaluation of the AIP experiment: what is asked of parents and partners and how their
//! answers are counted and published.

pub mod questionnaire;
