//! The FTE ceiling of a convention over time: the initial notification and those of its
//! avenants, and the month-weighted mean the subsidy uses for one exercise (docs/calcul-aip.md).

use referentiel::aip::etp_notifies_moyens;
use referentiel::exact::Ratio;
use time::{Date, Month};

use super::Convention;
use crate::decision::NotificationEtp;
use crate::quantites::Etp;
use crate::refus::Refus;

impl Convention {
    /// Every notification, the initial one first, then the avenants in order.
    pub fn notifications(&self) -> impl Iterator<Item = &NotificationEtp> {
        self.notification_initiale
            .iter()
            .chain(self.avenants.iter().map(|a| &a.notification))
    }

    /// The ceiling in force on `date`: the notification with the latest effective date on or
    /// before it (for two on the same day, the later avenant); zero before the first.
    pub fn etp_notifie_au(&self, date: Date) -> Etp {
        self.notifications()
            .enumerate()
            .filter(|(_, n)| n.date_effet <= date)
            .max_by_key(|(rang, n)| (n.date_effet, *rang))
            .map_or(Etp::ZERO, |(_, n)| n.etp)
    }

    /// The months of `exercice` (first day, last day) the convention covers, at least one day.
    fn mois_de(&self, exercice: i32) -> Vec<(Date, Date)> {
        let mut mois = Vec::new();
        let mut m = Month::January;
        loop {
            if let Ok(premier) = Date::from_calendar_date(exercice, m, 1) {
                let dernier =
                    Date::from_calendar_date(exercice, m, m.length(exercice)).unwrap_or(premier);
                if premier <= self.fin_effective() && dernier >= self.debut {
                    mois.push((premier, dernier));
                }
            }
            if m == Month::December {
                break;
            }
            m = m.next();
        }
        mois
    }

    /// How many months of `exercice` the convention covers (a month counts if one of its days is
    /// covered). A declaration cannot claim more months of operation.
    pub fn mois_couverts(&self, exercice: i32) -> u8 {
        self.mois_de(exercice).len() as u8
    }

    /// The months of operation of `exercice` (first day, last day): the **last**
    /// `mois_fonctionnement` months the convention covers, or every covered month when there is
    /// none or more than it covers (the interpretation is [`Convention::etp_notifies_moyens`]'s).
    pub fn mois_de_fonctionnement(
        &self,
        exercice: i32,
        mois_fonctionnement: u8,
    ) -> Vec<(Date, Date)> {
        let couverts = self.mois_de(exercice);
        let m = usize::from(mois_fonctionnement);
        if m == 0 || m >= couverts.len() {
            couverts
        } else {
            couverts[couverts.len() - m..].to_vec()
        }
    }

    /// `Nf` of the subsidy for `exercice`: the month-weighted mean of the ceilings in force over
    /// the `mois_fonctionnement` months of operation (Référentiel national de financement de
    /// l'AIP, §VI.1 étape 1, with the platform's interpretation on a notification that changes
    /// during the year: `docs/calcul-aip.md`).
    ///
    /// **Interpretation**: a declaration gives a number of months of operation, not which ones.
    /// A service runs from the moment it is staffed until the end of its convention, so the months
    /// of operation are the **last** `mois_fonctionnement` months of the exercise that the
    /// convention covers (a service whose recruitment took time starts late; it does not stop
    /// early within its convention, whose end a resiliation moves). With no month of operation, or
    /// more than the convention covers, the mean runs over every covered month. A month takes the
    /// ceiling in force on its first day (or on the convention's first day, for its first month):
    /// a new ceiling effective on the 15th thus applies from the next month.
    pub fn etp_notifies_moyens(
        &self,
        exercice: i32,
        mois_fonctionnement: u8,
    ) -> Result<Ratio, Refus> {
        let retenus = self.mois_de_fonctionnement(exercice, mois_fonctionnement);
        let mut periodes = Vec::with_capacity(retenus.len());
        for (premier, _) in &retenus {
            let jour = (*premier).max(self.debut);
            let etp = self
                .etp_notifie_au(jour)
                .decimal()
                .map_err(|e| Refus::Calcul {
                    action: "Calculer les ETP notifiés",
                    raison: e.to_string(),
                })?;
            periodes.push((1u8, etp));
        }
        etp_notifies_moyens(&periodes).ok_or_else(|| Refus::Calcul {
            action: "Calculer les ETP notifiés",
            raison: "moyenne des plafonds impossible".to_owned(),
        })
    }
}
