//! The iCalendar invitation (RFC 5545, with the iTIP methods of RFC 5546) joined to a séance's
//! convocation: one event whose UID stays the séance's, whose SEQUENCE is the séance's (raised at
//! every change), organised by the instance's secretariat, with one ATTENDEE per convened member
//! asked to reply; METHOD:REQUEST while it stands, METHOD:CANCEL once cancelled.

use domain::coordination::{EtatSeance, Instance, Membre, Seance};
use icalendar::{Calendar, Component, Event, EventLike, Property};
use time::OffsetDateTime;

/// The file name of the invitation in the mail.
pub const NOM_FICHIER: &str = "convocation.ics";

/// `20261215T130000Z`: an instant in UTC, as iCalendar writes it.
fn instant_utc(t: OffsetDateTime) -> String {
    let u = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        u.year(),
        u8::from(u.month()),
        u.day(),
        u.hour(),
        u.minute(),
        u.second()
    )
}

/// The séance's UID, the same in every version of its invitation.
pub fn uid(seance: &Seance) -> String {
    format!("seance-{}@parentalite", seance.id)
}

/// Whether the invitation cancels the séance.
pub fn annule(seance: &Seance) -> bool {
    seance.etat == EtatSeance::Annulee
}

/// The MIME type of the invitation's part.
pub fn type_mime(seance: &Seance) -> &'static str {
    if annule(seance) {
        "text/calendar; method=CANCEL; charset=UTF-8"
    } else {
        "text/calendar; method=REQUEST; charset=UTF-8"
    }
}

/// The invitation of `convoques` to `seance`, stamped at `quand`.
pub fn invitation(
    instance: &Instance,
    seance: &Seance,
    convoques: &[&Membre],
    quand: OffsetDateTime,
) -> String {
    let mut evenement = Event::new();
    evenement
        .uid(&uid(seance))
        .sequence(seance.sequence)
        .add_property("DTSTAMP", instant_utc(quand))
        .add_property("DTSTART", instant_utc(seance.debut))
        .add_property("DTEND", instant_utc(seance.fin()))
        .summary(&seance.titre)
        .location(&seance.lieu)
        .description(
            &seance
                .ordre_du_jour
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{}. {}", i + 1, p.titre))
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .add_property(
            "STATUS",
            if annule(seance) {
                "CANCELLED"
            } else {
                "CONFIRMED"
            },
        );
    evenement.append_property(
        Property::new(
            "ORGANIZER",
            format!("mailto:{}", instance.secretariat.as_str()),
        )
        .add_parameter("CN", &format!("Secrétariat — {}", instance.forme.libelle()))
        .done(),
    );
    for m in convoques {
        evenement.append_multi_property(
            Property::new("ATTENDEE", format!("mailto:{}", m.email.as_str()))
                .add_parameter("CN", &m.personne)
                .add_parameter("ROLE", "REQ-PARTICIPANT")
                .add_parameter("PARTSTAT", "NEEDS-ACTION")
                .add_parameter("RSVP", "TRUE")
                .done(),
        );
    }
    let mut calendrier = Calendar::empty();
    calendrier
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Parentalite//Coordination departementale//FR"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", if annule(seance) { "CANCEL" } else { "REQUEST" }))
        .push(evenement.done());
    calendrier.done().to_string()
}
