//! The tables of the AIP activity (sessions recorded under a pseudonymous family code, their
//! imports, the keys of the codes, the aggregates kept current): every statement the activity
//! crate runs, by subject. Functions take a transaction and plain values, so that the caller
//! keeps its transactions where they are.

pub mod agregats;
pub mod cles;
pub mod entretiens;
pub mod familles;
pub mod imports;
pub mod lecture;
mod lots;
pub mod moyens;
pub mod perimetre;
pub mod structures;
