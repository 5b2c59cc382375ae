//! Rules as code for the parenting-support schemes: dated and sourced parameters, the exact AIP
//! subsidy with its explanation, and the conformity checks of the AIP référentiel (Référentiel national de financement de l'AIP).
//! Pure: no I/O beyond reading parameter files, no clock, no database.

pub mod aip;
pub mod conformite;
pub mod exact;
pub mod parametres;
