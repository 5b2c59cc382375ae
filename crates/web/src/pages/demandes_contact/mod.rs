//! Parents' contact requests: the public form of a service of the directory (no account; a trap
//! field for robots, rate limits answered with a French 429 page), the confirmation that says
//! what happens next and when the request is deleted; the structure's inbox and the page of one
//! request with its answer; and the counts the Caf and the Cnaf see, never the content.

mod boite;
mod formulaire;
mod statistiques;

pub use boite::{cloturer, fiche, liste, repondre};
pub use formulaire::{envoyer, formulaire};
pub use statistiques::statistiques;

use maud::{Markup, html};
use time::OffsetDateTime;

use crate::fr;
use crate::vue::{Ton, etiquette};
use domain::annuaire::contact::EtatDemande;

/// « 06/12/2026 à 09:30 », Paris time.
pub(crate) fn quand(t: OffsetDateTime) -> String {
    let t = fr::heure_de_paris(t);
    format!("{} à {:02}:{:02}", fr::date(t.date()), t.hour(), t.minute())
}

/// « 06/12/2026 », the day in Paris time.
pub(crate) fn jour(t: OffsetDateTime) -> String {
    fr::date(fr::heure_de_paris(t).date())
}

/// A request's state as a tag.
pub(crate) fn etat(e: EtatDemande) -> Markup {
    let ton = match e {
        EtatDemande::Recue => Ton::Attente,
        EtatDemande::Lue => Ton::EnCours,
        EtatDemande::Repondue => Ton::Succes,
        EtatDemande::Cloturee => Ton::Neutre,
    };
    html! { (etiquette(e.libelle(), ton)) }
}
