//! The quorum of a held séance, from its attendance sheet and the proxies given.
//!
//! **Interpretation**: neither the Lettre circulaire Cnaf 2012-093 nor CASF art. D.214-1 sets a
//! quorum; the product applies the common rule of the State's consultative commissions (décret
//! n° 2006-672 du 8 juin 2006, art. 11: the quorum is reached « lorsque la moitié au moins des
//! membres composant la commission sont présents […] ou ont donné mandat »). The members
//! composing the séance are the convened ones who count among the instance's members (not the
//! secretariat, not guests); a proxy counts only if its holder signed the attendance sheet.

use serde::{Deserialize, Serialize};

use super::membre::Membre;
use super::seance::{Reponse, Seance};

/// The quorum as computed when the attendance sheet is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quorum {
    /// Convened members who count (président, vice-presidents, members).
    pub membres: u32,
    /// Of them, those who signed the sheet.
    pub presents: u32,
    /// Of them, those absent but represented by a member present.
    pub representes: u32,
    /// Present or represented needed: half of `membres`, rounded up.
    pub requis: u32,
    pub atteint: bool,
}

/// Computes the quorum of `seance` from its attendance sheet and answers.
pub fn calculer_quorum(seance: &Seance, membres: &[Membre]) -> Quorum {
    let comptent = |id| {
        membres
            .iter()
            .any(|m| m.id == id && m.role.compte_parmi_les_membres())
    };
    let convoques: Vec<_> = seance
        .convocations
        .values()
        .filter(|c| comptent(c.membre))
        .collect();
    let presents = convoques
        .iter()
        .filter(|c| seance.emargement.contains(&c.membre))
        .count();
    let representes = convoques
        .iter()
        .filter(|c| !seance.emargement.contains(&c.membre))
        .filter(|c| match c.reponse {
            Some(Reponse::Represente { par }) => seance.emargement.contains(&par),
            _ => false,
        })
        .count();
    let n = convoques.len();
    let requis = n.div_ceil(2);
    let vers_u32 = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    Quorum {
        membres: vers_u32(n),
        presents: vers_u32(presents),
        representes: vers_u32(representes),
        requis: vers_u32(requis),
        atteint: n > 0 && presents + representes >= requis,
    }
}
