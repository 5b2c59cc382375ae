//! Tables in and out of the platform: any list exported for a French spreadsheet (semicolon,
//! decimal comma, UTF-8 with BOM), as open data (comma, decimal point, ISO dates) or as XLSX;
//! and files of gestionnaires imported after a row-by-row validation.

pub mod export;
pub mod import;

pub use export::{Cellule, Colonne, ErreurExport, Format, Tableau};
pub use import::{ErreurLigne, ErreursImport, GestionnaireImporte, lire_gestionnaires};
