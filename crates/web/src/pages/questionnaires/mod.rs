//! The anonymous questionnaires of the evaluation: the public forms a structure's links open
//! (parents', with an easy-to-read version, and partners'), the structure's page that hands out
//! its links (QR codes drawn as SVG, a printable poster, renewal), and the masked results by
//! structure, département and nation, with their CSV export.

mod formulaire;
mod liens;
mod resultats;

pub use formulaire::{
    formulaire_parents, formulaire_parents_facile, formulaire_partenaires, repondre_parents,
    repondre_partenaires,
};
pub use liens::{affiche, page_liens, qr_svg, renouveler};
pub use resultats::{resultats, resultats_csv};

use domain::evaluation::questionnaire::Public;

/// The public address (path) of the questionnaire of `public` with link code `code`.
pub fn chemin(public: Public, code: &str) -> String {
    match public {
        Public::Parents => format!("/questionnaires/{code}"),
        Public::Partenaires => format!("/questionnaires/partenaires/{code}"),
    }
}

/// `parents` or `partenaires` in a query or a path, parents by default.
pub(crate) fn public_de(texte: Option<&str>) -> Public {
    texte
        .and_then(Public::depuis_code)
        .unwrap_or(Public::Parents)
}
