//! The AIP commitments of a structure on its page (Référentiel national de financement de l'AIP,
//! §I.3, §I.4, §II.1, §II.2, §III.3, §IV.1, §IV.2): the gestionnaire attests them in one form
//! (one fieldset per commitment, those left blank unchanged), a Caf agent of the département
//! checks the attestations in another, everyone else reads where each stands. Also the summary
//! of the commitments the comité's decision screen shows.
//!
//! The templates in [`vue`], the handlers of both forms in [`envoi`].

mod envoi;
mod vue;

use domain::structures::Engagement;

pub use envoi::{attester, controler};
pub use vue::{liste_engagements, section};

/// What was typed in a form of this section: `(name, value)` pairs, the names carrying the
/// commitment's code (`declaration_conformite_rgpd`).
pub type SaisieEngagements = Vec<(String, String)>;

pub(super) fn valeur<'a>(saisie: Option<&'a SaisieEngagements>, nom: &str) -> &'a str {
    saisie
        .and_then(|s| s.iter().find(|(n, _)| n == nom))
        .map_or("", |(_, v)| v.as_str())
}

/// The field ids of a commitment in the forms.
pub(super) fn id(prefixe: &str, engagement: Engagement) -> String {
    format!("{prefixe}_{}", engagement.code())
}
