//! The demonstration's annual reports: every instance but the last two sends its report of the
//! year of its last past séance (held 40 days ago) to the Cnaf, so that the Cnaf's comparison shows both sent reports and
//! instances still to send theirs.

use domain::identifiants::CodeDepartement;
use time::{Date, OffsetDateTime};

use super::invalide;
use crate::{ErreurApp, Plateforme};

impl Plateforme {
    /// Sends the report of the year of the last past séance of each of `departements` but the
    /// last two, by the département's Caf agent, at `quand`.
    pub(super) async fn envoyer_rapports_demo(
        &self,
        departements: &[CodeDepartement],
        aujourd_hui: Date,
        quand: OffsetDateTime,
    ) -> Result<(), ErreurApp> {
        let n = departements.len().saturating_sub(2);
        let annee = (aujourd_hui - time::Duration::days(40)).year();
        for d in &departements[..n] {
            let email = format!("agent.{}@demo.parentalite.fr", d.as_str().to_lowercase());
            let agent = self
                .utilisateur_par_email(&email)
                .await?
                .map(|(_, a)| a)
                .ok_or_else(|| invalide("agent de la Caf"))?;
            self.envoyer_rapport_annuel(&agent, *d, annee, quand)
                .await?;
        }
        Ok(())
    }
}
