//! Typed templates (maud, `docs/adr/0019-gabarits-types-maud.md`): the layout of every page and
//! the components pages share. A view returns `Markup`; text interpolated in `html!` is escaped,
//! and only `Markup` is inserted as HTML.

mod composants;
mod etiquettes;
mod mise_en_page;
mod navigation;

pub use composants::{Colonne, champ_csrf, tableau};
pub use etiquettes::{Ton, etat_convention, etat_dossier, etat_transmission, etiquette};
pub use mise_en_page::{ADRESSE_SCRIPT_ANNUAIRE, page, page_erreur};
pub use navigation::{ADRESSE_HTMX, rubriques};
