//! Quantities with rules: money as integer cents ([`Centimes`]) and full-time equivalents as
//! integer ten-thousandths ([`Etp`]), both read from French (`1 234,56`) or point (`1234.56`) text
//! without any float.

mod centimes;
mod etp;
mod lecture;

pub use centimes::{Centimes, ErreurMontant};
pub use etp::{ErreurEtp, Etp};
