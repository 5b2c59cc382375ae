//! The evaluation indicators, defined as data (code, label, numerator, denominator, unit,
//! target) and computed on a year's totals for a structure, a département or the nation
//! (Référentiel national de financement de l'AIP §V: « l'activité cible se déterminera en nombre d'entretiens effectués et en
//! nombre de familles accompagnées »).

use referentiel::conformite::SeuilsActivite;
use referentiel::exact::Decimal;
use serde::Serialize;

use crate::agregats::Agregat;

/// A quantity an indicator is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grandeur {
    Entretiens,
    Heures,
    /// Distinct families counted by structure and summed (see `Agregat`).
    FamillesDistinctesStructureAnnee,
    PremiersContacts,
    PremiersContactsSuivis,
    EntretiensOrientes,
    /// FTE prorated to the months of operation (see `moyens`).
    EtpAnnees,
    /// Amounts paid for the exercise, in euros.
    MontantsVerses,
}

impl Grandeur {
    pub fn code(self) -> &'static str {
        match self {
            Grandeur::Entretiens => "entretiens",
            Grandeur::Heures => "heures",
            Grandeur::FamillesDistinctesStructureAnnee => "familles_distinctes_structure_annee",
            Grandeur::PremiersContacts => "premiers_contacts",
            Grandeur::PremiersContactsSuivis => "premiers_contacts_suivis",
            Grandeur::EntretiensOrientes => "entretiens_orientes",
            Grandeur::EtpAnnees => "etp_annees",
            Grandeur::MontantsVerses => "montants_verses",
        }
    }

    /// Whether it counts people or sessions (what the open-data secrecy rule looks at).
    pub fn est_un_effectif(self) -> bool {
        !matches!(
            self,
            Grandeur::Heures | Grandeur::EtpAnnees | Grandeur::MontantsVerses
        )
    }

    fn valeur(self, t: &Totaux) -> Option<f64> {
        Some(match self {
            Grandeur::Entretiens => t.entretiens as f64,
            Grandeur::Heures => t.minutes as f64 / 60.0,
            Grandeur::FamillesDistinctesStructureAnnee => t.familles as f64,
            Grandeur::PremiersContacts => t.premiers_contacts as f64,
            Grandeur::PremiersContactsSuivis => t.premiers_contacts_suivis as f64,
            Grandeur::EntretiensOrientes => t.entretiens_orientes as f64,
            Grandeur::EtpAnnees => t.etp_annees?,
            Grandeur::MontantsVerses => t.verses_centimes? as f64 / 100.0,
        })
    }

    fn effectif(self, t: &Totaux) -> Option<i64> {
        match self {
            Grandeur::Entretiens => Some(t.entretiens),
            Grandeur::FamillesDistinctesStructureAnnee => Some(t.familles),
            Grandeur::PremiersContacts => Some(t.premiers_contacts),
            Grandeur::PremiersContactsSuivis => Some(t.premiers_contacts_suivis),
            Grandeur::EntretiensOrientes => Some(t.entretiens_orientes),
            Grandeur::Heures | Grandeur::EtpAnnees | Grandeur::MontantsVerses => None,
        }
    }
}

/// How a value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unite {
    /// numerator / denominator.
    Ratio,
    /// numerator / denominator × 100.
    Pourcentage,
}

/// The target of an indicator: a parameter of the référentiel read for the exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cible {
    Aucune,
    /// At least the parameter's value.
    AuMoins(&'static str),
    /// At most the parameter's value.
    AuPlus(&'static str),
}

/// An indicator, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Indicateur {
    pub code: &'static str,
    pub libelle: &'static str,
    pub numerateur: Grandeur,
    pub denominateur: Grandeur,
    pub unite: Unite,
    /// What the value is counted in (`familles par ETP`).
    pub unite_libelle: &'static str,
    pub cible: Cible,
    /// The paragraph of the référentiel it comes from.
    pub source: &'static str,
}

/// The indicators, in display order.
pub const INDICATEURS: [Indicateur; 6] = [
    Indicateur {
        code: "familles_par_etp",
        libelle: "Familles accompagnées par ETP",
        numerateur: Grandeur::FamillesDistinctesStructureAnnee,
        denominateur: Grandeur::EtpAnnees,
        unite: Unite::Ratio,
        unite_libelle: "familles par ETP et par an",
        cible: Cible::AuMoins(SeuilsActivite::FAMILLES_PAR_ETP),
        source: "Référentiel AIP §V",
    },
    Indicateur {
        code: "entretiens_par_etp",
        libelle: "Entretiens par ETP",
        numerateur: Grandeur::Entretiens,
        denominateur: Grandeur::EtpAnnees,
        unite: Unite::Ratio,
        unite_libelle: "entretiens par ETP et par an",
        cible: Cible::AuMoins(SeuilsActivite::ENTRETIENS_PAR_ETP),
        source: "Référentiel AIP §V",
    },
    Indicateur {
        code: "entretiens_par_famille",
        libelle: "Entretiens par famille",
        numerateur: Grandeur::Entretiens,
        denominateur: Grandeur::FamillesDistinctesStructureAnnee,
        unite: Unite::Ratio,
        unite_libelle: "entretiens par famille et par an",
        cible: Cible::AuPlus(SeuilsActivite::ENTRETIENS_PAR_FAMILLE),
        source: "Référentiel AIP §II.3",
    },
    Indicateur {
        code: "part_premiers_contacts_suivis",
        libelle: "Part des premiers contacts suivis d'un accompagnement",
        numerateur: Grandeur::PremiersContactsSuivis,
        denominateur: Grandeur::PremiersContacts,
        unite: Unite::Pourcentage,
        unite_libelle: "%",
        cible: Cible::Aucune,
        source: "Référentiel AIP §II.3",
    },
    Indicateur {
        code: "part_entretiens_orientes",
        libelle: "Part des entretiens avec une orientation vers un partenaire",
        numerateur: Grandeur::EntretiensOrientes,
        denominateur: Grandeur::Entretiens,
        unite: Unite::Pourcentage,
        unite_libelle: "%",
        cible: Cible::Aucune,
        source: "Référentiel AIP §IV.2",
    },
    Indicateur {
        code: "montant_verse_par_famille",
        libelle: "Montant versé par famille accompagnée",
        numerateur: Grandeur::MontantsVerses,
        denominateur: Grandeur::FamillesDistinctesStructureAnnee,
        unite: Unite::Ratio,
        unite_libelle: "euros par famille",
        cible: Cible::Aucune,
        source: "Référentiel AIP §VI.1",
    },
];

/// A year's totals for one territory: the activity and the means.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totaux {
    pub entretiens: i64,
    pub minutes: i64,
    /// Distinct families counted by structure and summed.
    #[serde(rename = "familles_distinctes_structure_annee")]
    pub familles: i64,
    pub premiers_contacts: i64,
    pub premiers_contacts_suivis: i64,
    pub entretiens_orientes: i64,
    /// FTE-years; `None` when no structure of the territory has FTE declared or notified.
    pub etp_annees: Option<f64>,
    /// Amounts paid, in cents.
    pub verses_centimes: Option<i64>,
}

impl Totaux {
    pub fn depuis(agregat: &Agregat, etp_annees: Option<f64>, verses_centimes: i64) -> Totaux {
        Totaux {
            entretiens: agregat.entretiens,
            minutes: agregat.minutes,
            familles: agregat.familles_distinctes_structure_annee,
            premiers_contacts: agregat.premiers_contacts,
            premiers_contacts_suivis: agregat.premiers_contacts_suivis,
            entretiens_orientes: agregat.entretiens_orientes,
            etp_annees,
            verses_centimes: Some(verses_centimes),
        }
    }
}

/// An indicator's value for one territory and year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValeurIndicateur {
    pub code: &'static str,
    pub libelle: &'static str,
    pub unite: &'static str,
    pub numerateur: Option<f64>,
    pub denominateur: Option<f64>,
    /// `None` when the denominator is unknown or zero.
    pub valeur: Option<f64>,
    pub cible: Option<f64>,
    /// Whether the target is met (`None` without a target or a value).
    pub cible_atteinte: Option<bool>,
    /// The smallest count of people or sessions the value is built from (for secrecy).
    pub effectif: i64,
}

fn en_f64(d: Decimal) -> f64 {
    d.unites() as f64 / 10f64.powi(i32::try_from(d.echelle()).unwrap_or(0))
}

fn valeur_parametre(seuils: &SeuilsActivite, nom: &str) -> Option<f64> {
    let d = match nom {
        SeuilsActivite::FAMILLES_PAR_ETP => seuils.familles_par_etp,
        SeuilsActivite::ENTRETIENS_PAR_ETP => seuils.entretiens_par_etp,
        SeuilsActivite::ENTRETIENS_PAR_FAMILLE => seuils.entretiens_par_famille_max,
        _ => return None,
    };
    Some(en_f64(d))
}

/// Every indicator on `totaux`; targets from `seuils` (absent: no target).
pub fn evaluer(totaux: &Totaux, seuils: Option<&SeuilsActivite>) -> Vec<ValeurIndicateur> {
    INDICATEURS
        .iter()
        .map(|i| {
            let numerateur = i.numerateur.valeur(totaux);
            let denominateur = i.denominateur.valeur(totaux);
            let valeur = match (numerateur, denominateur) {
                (Some(n), Some(d)) if d != 0.0 => Some(match i.unite {
                    Unite::Ratio => n / d,
                    Unite::Pourcentage => n / d * 100.0,
                }),
                _ => None,
            };
            let cible = match (i.cible, seuils) {
                (Cible::AuMoins(p) | Cible::AuPlus(p), Some(s)) => valeur_parametre(s, p),
                _ => None,
            };
            let cible_atteinte = match (i.cible, valeur, cible) {
                (Cible::AuMoins(_), Some(v), Some(c)) => Some(v >= c),
                (Cible::AuPlus(_), Some(v), Some(c)) => Some(v <= c),
                _ => None,
            };
            let effectif = [
                i.numerateur.effectif(totaux),
                i.denominateur.effectif(totaux),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(0);
            ValeurIndicateur {
                code: i.code,
                libelle: i.libelle,
                unite: i.unite_libelle,
                numerateur,
                denominateur,
                valeur,
                cible,
                cible_atteinte,
                effectif,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use referentiel::parametres::Parametres;

    fn totaux() -> Totaux {
        Totaux {
            entretiens: 600,
            minutes: 36_000,
            familles: 150,
            premiers_contacts: 120,
            premiers_contacts_suivis: 90,
            entretiens_orientes: 60,
            etp_annees: Some(1.0),
            verses_centimes: Some(5_280_000),
        }
    }

    fn valeur<'a>(v: &'a [ValeurIndicateur], code: &str) -> &'a ValeurIndicateur {
        v.iter().find(|i| i.code == code).unwrap()
    }

    #[test]
    fn valeurs_et_cibles() {
        let p = Parametres::embarques().unwrap();
        let s = SeuilsActivite::pour_exercice(&p, 2024).unwrap();
        let v = evaluer(&totaux(), Some(&s));
        assert_eq!(v.len(), INDICATEURS.len());
        let f = valeur(&v, "familles_par_etp");
        assert_eq!(
            (f.valeur, f.cible, f.cible_atteinte),
            (Some(150.0), Some(200.0), Some(false))
        );
        assert_eq!(f.effectif, 150);
        let e = valeur(&v, "entretiens_par_etp");
        assert_eq!((e.valeur, e.cible_atteinte), (Some(600.0), Some(true)));
        let pf = valeur(&v, "entretiens_par_famille");
        assert_eq!(
            (pf.valeur, pf.cible, pf.cible_atteinte),
            (Some(4.0), Some(5.0), Some(true))
        );
        assert_eq!(
            valeur(&v, "part_premiers_contacts_suivis").valeur,
            Some(75.0)
        );
        assert_eq!(valeur(&v, "part_entretiens_orientes").valeur, Some(10.0));
        let m = valeur(&v, "montant_verse_par_famille");
        assert_eq!((m.valeur, m.cible), (Some(352.0), None));
        assert_eq!(m.effectif, 150);
    }

    #[test]
    fn sans_etp_ni_familles() {
        let t = Totaux {
            etp_annees: None,
            familles: 0,
            ..totaux()
        };
        let v = evaluer(&t, None);
        assert_eq!(valeur(&v, "familles_par_etp").valeur, None);
        assert_eq!(valeur(&v, "entretiens_par_famille").valeur, None);
        assert_eq!(valeur(&v, "entretiens_par_famille").cible, None);
        assert_eq!(valeur(&v, "entretiens_par_famille").effectif, 0);
    }
}
