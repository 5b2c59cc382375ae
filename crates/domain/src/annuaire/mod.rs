//! The directory of the services offered to parents.

pub mod recherche;
