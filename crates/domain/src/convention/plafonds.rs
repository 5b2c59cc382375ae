//! The FTE ceiling of a convention over time: the initial notification and those of its
//! avenants, and the month-weighted mean the subsidy uses for one exercise (DOMAIN.md §6).

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
        std::iter::once(&self.notification_initiale)
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

    /// `Nf` of the subsidy for `exercice`: the month-weighted mean of the ceilings in force
    /// (DOMAIN.md §6, interpretation on a notification that changes during the year).
    ///
    /// **Interpretation**: a declaration gives a number of months of operation, not which ones, so
    /// the mean runs over the months of the exercise the convention covers; a month takes the
    /// ceiling in force on its first day (or on the convention's first day, for its first month).
    /// A new ceiling effective on the 15th thus applies from the next month.
    pub fn etp_notifies_moyens(&self, exercice: i32) -> Result<Ratio, Refus> {
        let mut periodes = Vec::new();
        for (premier, _) in self.mois_de(exercice) {
            let jour = premier.max(self.debut);
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
