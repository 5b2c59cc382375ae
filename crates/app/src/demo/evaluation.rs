//! The demonstration's monographs: the Caf of every département but the last two writes the
//! monograph of the experiment in its département, so that the evaluation shows written
//! monographs beside Caf that have not written theirs yet.

use domain::evaluation::monographie::{Section, Textes};
use domain::identifiants::CodeDepartement;
use time::OffsetDateTime;

use super::invalide;
use crate::cas::evaluation::nom_departement;
use crate::{ErreurApp, Plateforme};

/// The demonstration text of the monograph of `departement`.
fn textes(departement: CodeDepartement) -> Textes {
    let nom = nom_departement(departement);
    Textes::default()
        .avec(
            Section::Contexte,
            format!(
                "Le département {nom} ({departement}) associe des villes moyennes et des territoires ruraux où l'offre de soutien à la parentalité était surtout collective.\n\nLes parents rencontrés par les partenaires demandaient un temps d'écoute individuel, sans attendre plusieurs semaines."
            ),
        )
        .avec(
            Section::Partenaires,
            "Les structures porteuses sont des centres sociaux et des associations déjà financées par la Caf. Le service social du département, les CCAS et la PMI orientent les familles ; les LAEP et les actions collectives du Reaap accueillent les parents après l'accompagnement.",
        )
        .avec(
            Section::MiseEnOeuvre,
            "Les conventions ont été signées au premier trimestre 2024 ; les intervenants ont été recrutés parmi les professionnels des structures. Une plaquette et une page du site de la Caf présentent le service aux familles.",
        )
        .avec(
            Section::Resultats,
            "L'activité a progressé tout au long de 2024. Les familles accompagnées viennent pour moitié d'elles-mêmes et pour moitié sur orientation d'un partenaire.",
        )
        .avec(
            Section::Difficultes,
            "Le recrutement d'intervenants formés a pris du temps dans les territoires ruraux ; les déplacements y allongent les délais de rendez-vous.",
        )
        .avec(
            Section::Perspectives,
            "La Caf souhaite poursuivre le service au-delà de l'expérimentation et l'étendre à deux nouveaux territoires.",
        )
}

impl Plateforme {
    /// Writes the monograph of each of `departements` but the last two, by its Caf agent, at
    /// `quand`.
    pub(super) async fn ecrire_monographies_demo(
        &self,
        departements: &[CodeDepartement],
        quand: OffsetDateTime,
    ) -> Result<(), ErreurApp> {
        let n = departements.len().saturating_sub(2);
        for d in &departements[..n] {
            let email = format!("agent.{}@demo.parentalite.fr", d.as_str().to_lowercase());
            let agent = self
                .utilisateur_par_email(&email)
                .await?
                .map(|(_, a)| a)
                .ok_or_else(|| invalide("agent de la Caf"))?;
            self.enregistrer_monographie(&agent, *d, &textes(*d), quand)
                .await?;
        }
        Ok(())
    }
}
