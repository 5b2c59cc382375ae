//! Whether a year's activity meets the référentiel's recommendations (Référentiel national de financement de l'AIP §II.3, §III.3,
//! §V, §VI.2; docs/activite.md): volume per FTE, sessions per family, hours per FTE, analyse de la
//! pratique, minimum FTE. These are recommendations: a miss is a warning, never a refusal.

use std::cmp::Ordering;

use ethnum::I256;

use super::rendu::{entier_fr, nombre_fr};
use super::{Constat, ErreurConformite, Rapport};
use crate::aip::ParametresAip;
use crate::aip::rendu::decimal_fr;
use crate::exact::{Decimal, Depassement, Ratio};
use crate::parametres::{ErreurParametre, Parametres};

const SOURCE_V: &str = "Référentiel AIP §V";
const SOURCE_II_3: &str = "Référentiel AIP §II.3";
const SOURCE_III_3: &str = "Référentiel AIP §III.3";
const SOURCE_VI_2: &str = "Référentiel AIP §VI.2";

/// The activity thresholds of the référentiel, per FTE and per year unless stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeuilsActivite {
    /// Minimum recommended number of families supported per FTE and per year (§V: 200).
    pub familles_par_etp: Decimal,
    /// Recommended number of sessions per FTE and per year (§V: about 600).
    pub entretiens_par_etp: Decimal,
    /// Recommended maximum number of sessions per family and per year (§II.3: 5).
    pub entretiens_par_famille_max: Decimal,
    /// Most hours counted for one FTE in a year, the legal working time (§VI.2: 1 607).
    pub heures_par_etp: Decimal,
    /// Minimum hours of analyse de la pratique per FTE and per year (§III.3: 8).
    pub heures_analyse_pratique_par_etp: Decimal,
    /// Minimum FTE the Caf finances (§V: 0.25).
    pub etp_minimum: Decimal,
    /// Share of working time spent outside the individual sessions (§VI.2: « environ 50 % »).
    pub part_hors_entretiens: Decimal,
    /// Gap tolerated around that share before it is pointed out (local choice: 0.1).
    pub ecart_part_hors_entretiens: Decimal,
}

impl SeuilsActivite {
    pub const FAMILLES_PAR_ETP: &'static str = "aip.familles_par_etp";
    pub const ENTRETIENS_PAR_ETP: &'static str = "aip.entretiens_par_etp";
    pub const ENTRETIENS_PAR_FAMILLE: &'static str = "aip.entretiens_par_famille";
    pub const HEURES_PAR_ETP: &'static str = "aip.heures_par_etp";
    pub const HEURES_ANALYSE_PRATIQUE_PAR_ETP: &'static str = "aip.heures_analyse_pratique_par_etp";
    pub const ETP_MINIMUM: &'static str = "aip.etp_minimum";
    pub const PART_HORS_ENTRETIENS: &'static str = "aip.part_hors_entretiens";
    pub const ECART_PART_HORS_ENTRETIENS: &'static str = "aip.ecart_part_hors_entretiens";

    /// The thresholds in force for an exercise, read at the same date as the subsidy's parameters
    /// ([`ParametresAip::date_de_reference`]: 1 January of the exercise).
    pub fn pour_exercice(
        parametres: &Parametres,
        exercice: i32,
    ) -> Result<SeuilsActivite, ErreurParametre> {
        let date = ParametresAip::date_de_reference(exercice)?;
        let valeur = |nom: &str| parametres.valeur(nom, date).map(|v| v.valeur.valeur);
        Ok(SeuilsActivite {
            familles_par_etp: valeur(Self::FAMILLES_PAR_ETP)?,
            entretiens_par_etp: valeur(Self::ENTRETIENS_PAR_ETP)?,
            entretiens_par_famille_max: valeur(Self::ENTRETIENS_PAR_FAMILLE)?,
            heures_par_etp: valeur(Self::HEURES_PAR_ETP)?,
            heures_analyse_pratique_par_etp: valeur(Self::HEURES_ANALYSE_PRATIQUE_PAR_ETP)?,
            etp_minimum: valeur(Self::ETP_MINIMUM)?,
            part_hors_entretiens: valeur(Self::PART_HORS_ENTRETIENS)?,
            ecart_part_hors_entretiens: valeur(Self::ECART_PART_HORS_ENTRETIENS)?,
        })
    }
}

/// The activity of one service over one exercise, as declared by the gestionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiviteAip {
    /// FTE declared for the service.
    pub etp: Decimal,
    /// Months of operation in the exercise, 0 to 12.
    pub mois_fonctionnement: u8,
    /// Number of distinct families supported.
    pub familles_distinctes: u32,
    /// Number of sessions held.
    pub entretiens: u32,
    /// Number of sessions of each family, when known (anonymous: one count per family).
    pub entretiens_par_famille: Option<Vec<u32>>,
    /// Total hours worked by the FTE on the service, when known.
    pub heures_travaillees: Option<Decimal>,
    /// Total hours of individual sessions held, when known.
    pub heures_entretiens: Option<Decimal>,
    /// Total hours of analyse de la pratique received by the intervenants, when known.
    pub heures_analyse_pratique: Option<Decimal>,
}

/// Checks a year's activity against the thresholds; every finding is either met or a warning.
/// Fails only on an input out of its domain (negative FTE or hours, more than 12 months).
///
/// **Interpretation** (prorating): the référentiel states its volumes « par an et par ETP »; for
/// a service that operated `m` months, each yearly volume per FTE (families, sessions, hours
/// worked, hours of analyse de la pratique) is taken as `seuil × ETP × m / 12`, as the financing
/// itself is prorated to the months of operation (§VI.1, étape 1). Every message says so. The
/// minimum FTE and the sessions per family are not prorated: the first is a number of FTE, the
/// second a count per family.
pub fn verifier_activite(
    activite: &ActiviteAip,
    seuils: &SeuilsActivite,
) -> Result<Rapport, ErreurConformite> {
    valider(activite)?;
    let mois = activite.mois_fonctionnement;
    let mut rapport = Rapport::new();
    rapport.ajouter(constat_etp_minimum(activite.etp, seuils.etp_minimum)?);
    rapport.ajouter(constat_familles(activite, seuils)?);
    rapport.ajouter(constat_entretiens(activite, seuils)?);
    rapport.ajouter(constat_entretiens_par_famille(activite, seuils)?);
    rapport.ajouter(constat_heures(activite, seuils)?);
    if let Some(constat) = constat_temps_hors_entretiens(activite, seuils)? {
        rapport.ajouter(constat);
    }
    rapport.ajouter(constat_analyse_pratique(
        activite.heures_analyse_pratique,
        activite.etp,
        Some(mois),
        seuils.heures_analyse_pratique_par_etp,
    )?);
    Ok(rapport)
}

fn valider(activite: &ActiviteAip) -> Result<(), ErreurConformite> {
    if activite.etp.is_negative() {
        return Err(ErreurConformite::champ(
            "etp",
            format!("doit être positif ou nul (reçu {})", activite.etp),
        ));
    }
    if activite.mois_fonctionnement > 12 {
        return Err(ErreurConformite::champ(
            "mois_fonctionnement",
            format!(
                "doit être un nombre entier de mois de 0 à 12 (reçu {})",
                activite.mois_fonctionnement
            ),
        ));
    }
    for (champ, heures) in [
        ("heures_travaillees", activite.heures_travaillees),
        ("heures_analyse_pratique", activite.heures_analyse_pratique),
        ("heures_entretiens", activite.heures_entretiens),
    ] {
        if let Some(h) = heures
            && h.is_negative()
        {
            return Err(ErreurConformite::champ(
                champ,
                format!("un nombre d'heures ne peut pas être négatif (reçu {h})"),
            ));
        }
    }
    Ok(())
}

/// `m / 12`.
fn prorata(mois: u8) -> Result<Ratio, Depassement> {
    Ratio::new(I256::from(mois), I256::from(12u8)).ok_or(Depassement)
}

/// `seuil × etp × m / 12`, or `seuil × etp` without months.
fn cible(seuil: Decimal, etp: Decimal, mois: Option<u8>) -> Result<Ratio, Depassement> {
    let annuelle = seuil.ratio().mul(etp.ratio())?;
    match mois {
        Some(m) => annuelle.mul(prorata(m)?),
        None => Ok(annuelle),
    }
}

/// How a target was computed, for a message: `200 familles par ETP et par an × 1,5 ETP,
/// proratisé à 8 mois de fonctionnement sur 12`.
fn calcul_cible(seuil: Decimal, unites: &str, etp: Decimal, mois: Option<u8>) -> String {
    let base = format!(
        "{} {unites} par ETP et par an × {} ETP",
        decimal_fr(seuil),
        decimal_fr(etp)
    );
    match mois {
        Some(m) => format!("{base}, proratisé à {m} mois de fonctionnement sur 12"),
        None => base,
    }
}

/// A quantity with its noun, plural from 2 as in French (`1,5 heure`, `2 heures`).
fn quantite(valeur: Ratio, nom: &str) -> Result<String, Depassement> {
    let pluriel = valeur.compare(Ratio::entier(2))? != Ordering::Less;
    Ok(format!(
        "{} {nom}{}",
        nombre_fr(valeur),
        if pluriel { "s" } else { "" }
    ))
}

/// Référentiel national de financement de l'AIP §V: « le socle minimum de financement par la Caf est de 0.25 Etp ».
///
/// **Interpretation**: the text does not say whether a smaller service is refused or financed
/// at the floor; that is the Caf's decision, so fewer FTE is a warning.
fn constat_etp_minimum(etp: Decimal, minimum: Decimal) -> Result<Constat, Depassement> {
    let etp_texte = format!(
        "{} ETP déclaré{}",
        decimal_fr(etp),
        if etp.ratio().compare(Ratio::entier(2))? == Ordering::Less {
            ""
        } else {
            "s"
        }
    );
    let minimum_texte = decimal_fr(minimum);
    Ok(if etp.ratio().compare(minimum.ratio())? == Ordering::Less {
        Constat::avertissement(
            "etp_sous_minimum",
            SOURCE_V,
            format!(
                "{etp_texte} : en dessous du socle minimum de financement par la \
                     Caf, qui est de {minimum_texte} ETP."
            ),
        )
    } else {
        Constat::eligible(
            "etp_minimum_atteint",
            SOURCE_V,
            format!(
                "{etp_texte} : au moins le socle minimum de financement par la \
                     Caf de {minimum_texte} ETP."
            ),
        )
    })
}

/// Référentiel national de financement de l'AIP §V: recommended minimum volume of 200 families supported per FTE and per year;
/// §VI.2: the number of parents supported is taken into account when the Caf validates the
/// declared FTE. Prorated to the months of operation (see [`verifier_activite`]).
fn constat_familles(
    activite: &ActiviteAip,
    seuils: &SeuilsActivite,
) -> Result<Constat, Depassement> {
    let mois = Some(activite.mois_fonctionnement);
    let cible = cible(seuils.familles_par_etp, activite.etp, mois)?;
    let realise = Ratio::entier(i64::from(activite.familles_distinctes));
    let calcul = calcul_cible(seuils.familles_par_etp, "familles", activite.etp, mois);
    let realise_texte = format!(
        "{} distincte{} accompagnée{}",
        quantite(realise, "famille")?,
        if activite.familles_distinctes >= 2 {
            "s"
        } else {
            ""
        },
        if activite.familles_distinctes >= 2 {
            "s"
        } else {
            ""
        },
    );
    Ok(if realise.compare(cible)? == Ordering::Less {
        Constat::avertissement(
            "familles_sous_cible",
            SOURCE_V,
            format!(
                "{realise_texte} : en dessous du volume minimum recommandé de {} ({calcul}). \
                 C'est une recommandation : la Caf tient compte du nombre de parents accompagnés \
                 pour valider le nombre d'ETP déclaré.",
                quantite(cible, "famille")?
            ),
        )
    } else {
        Constat::eligible(
            "familles_cible_atteinte",
            SOURCE_V,
            format!(
                "{realise_texte} : au moins le volume minimum recommandé de {} ({calcul}).",
                quantite(cible, "famille")?
            ),
        )
    })
}

/// Référentiel national de financement de l'AIP §V: about 600 sessions per FTE and per year (200 families × 3 sessions on average);
/// §VI.2: the number of sessions is taken into account when the Caf validates the declared FTE.
/// Prorated to the months of operation (see [`verifier_activite`]).
///
/// **Interpretation**: « environ 600 » is taken as the target itself; fewer sessions is a
/// warning, whose message recalls that the figure is approximate.
fn constat_entretiens(
    activite: &ActiviteAip,
    seuils: &SeuilsActivite,
) -> Result<Constat, Depassement> {
    let mois = Some(activite.mois_fonctionnement);
    let cible = cible(seuils.entretiens_par_etp, activite.etp, mois)?;
    let realise = Ratio::entier(i64::from(activite.entretiens));
    let calcul = calcul_cible(seuils.entretiens_par_etp, "entretiens", activite.etp, mois);
    let realise_texte = format!(
        "{} réalisé{}",
        quantite(realise, "entretien")?,
        if activite.entretiens >= 2 { "s" } else { "" }
    );
    Ok(if realise.compare(cible)? == Ordering::Less {
        Constat::avertissement(
            "entretiens_sous_cible",
            SOURCE_V,
            format!(
                "{realise_texte} : en dessous du volume recommandé d'environ {} ({calcul}). \
                 C'est une recommandation : la Caf tient compte du nombre d'entretiens pour \
                 valider le nombre d'ETP déclaré.",
                quantite(cible, "entretien")?
            ),
        )
    } else {
        Constat::eligible(
            "entretiens_cible_atteinte",
            SOURCE_V,
            format!(
                "{realise_texte} : au moins le volume recommandé d'environ {} ({calcul}).",
                quantite(cible, "entretien")?
            ),
        )
    })
}

/// Référentiel national de financement de l'AIP §II.3 (and §II.1): at most 5 one-hour sessions per family and per year are
/// recommended, adjustable in exceptional situations, to keep the support transitory.
///
/// With the count of each family, the families above the guideline are counted. Without it, a
/// mean above the guideline (`entretiens > 5 × familles`) proves that at least one family is
/// above it; otherwise the guideline is a warning to check.
fn constat_entretiens_par_famille(
    activite: &ActiviteAip,
    seuils: &SeuilsActivite,
) -> Result<Constat, Depassement> {
    let max = seuils.entretiens_par_famille_max;
    let max_ratio = max.ratio();
    let max_texte = decimal_fr(max);
    let rappel = format!(
        "le référentiel préconise au plus {max_texte} séances par famille et par an, pour garder \
         à l'accompagnement un caractère transitoire ; un dépassement doit rester exceptionnel et \
         tenir à la situation de la famille."
    );
    match &activite.entretiens_par_famille {
        Some(comptes) => {
            let mut au_dela = 0u32;
            for &n in comptes {
                if Ratio::entier(i64::from(n)).compare(max_ratio)? == Ordering::Greater {
                    au_dela += 1;
                }
            }
            let plus_grand = comptes.iter().copied().max().unwrap_or(0);
            Ok(if au_dela == 0 {
                let detail = if comptes.is_empty() {
                    String::new()
                } else {
                    format!(" (au plus {} pour une famille)", entier_fr(plus_grand))
                };
                Constat::eligible(
                    "entretiens_par_famille_conformes",
                    SOURCE_II_3,
                    format!(
                        "Aucune famille n'a eu plus de {max_texte} séances dans l'année{detail}, \
                         conformément au repère du référentiel."
                    ),
                )
            } else {
                Constat::avertissement(
                    "entretiens_par_famille_au_dela_repere",
                    SOURCE_II_3,
                    format!(
                        "{} {} plus de {max_texte} séances dans l'année (jusqu'à {}) : {rappel}",
                        entier_fr(au_dela),
                        if au_dela >= 2 {
                            "familles ont eu"
                        } else {
                            "famille a eu"
                        },
                        entier_fr(plus_grand)
                    ),
                )
            })
        }
        None => {
            let familles = Ratio::entier(i64::from(activite.familles_distinctes));
            let entretiens = Ratio::entier(i64::from(activite.entretiens));
            let au_dela_en_moyenne = activite.familles_distinctes > 0
                && entretiens.compare(familles.mul(max_ratio)?)? == Ordering::Greater;
            Ok(if au_dela_en_moyenne {
                let moyenne = entretiens.div(familles)?;
                Constat::avertissement(
                    "entretiens_par_famille_au_dela_repere",
                    SOURCE_II_3,
                    format!(
                        "{} pour {}, soit {} par famille en moyenne : au moins une famille a eu \
                         plus de {max_texte} séances dans l'année ; {rappel}",
                        quantite(entretiens, "entretien")?,
                        quantite(familles, "famille")?,
                        quantite(moyenne, "séance")?
                    ),
                )
            } else {
                Constat::avertissement(
                    "entretiens_par_famille_a_verifier",
                    SOURCE_II_3,
                    format!(
                        "Nombre de séances par famille non renseigné : à vérifier qu'aucune \
                         famille n'a eu plus de {max_texte} séances dans l'année ; {rappel}"
                    ),
                )
            })
        }
    }
}

/// Référentiel national de financement de l'AIP §VI.2: the time counted for each FTE must not exceed the legal yearly working time,
/// 1 607 hours without paid leave (article L. 3123-1 of the code du travail). Prorated to the
/// months of operation (see [`verifier_activite`]); a warning when exceeded.
/// Référentiel national de financement de l'AIP, §VI.2: the time of travel, concertation,
/// information, promotion and technical support, « qui constitue la différence entre la durée
/// légale du travail et le temps passé en entretien individuel avec les parents, représente
/// environ 50 % du temps de travail ». Compared when both the hours worked and the hours of
/// sessions are known (otherwise nothing to say).
///
/// **Interpretation**: « environ » is read as the share ± the tolerated gap of the parameters (a
/// local choice, 10 points): outside it, a warning for the Caf's validation of the FTE, never a
/// refusal. Above it, the FTE held few sessions for their time; below it, the sessions leave
/// implausibly little time for the rest of the work.
fn constat_temps_hors_entretiens(
    activite: &ActiviteAip,
    seuils: &SeuilsActivite,
) -> Result<Option<Constat>, Depassement> {
    let (Some(travaillees), Some(entretiens)) =
        (activite.heures_travaillees, activite.heures_entretiens)
    else {
        return Ok(None);
    };
    if travaillees.is_zero() {
        return Ok(None);
    }
    if entretiens.ratio().compare(travaillees.ratio())? == Ordering::Greater {
        return Ok(Some(Constat::avertissement(
            "temps_hors_entretiens_incoherent",
            SOURCE_VI_2,
            format!(
                "{} d'entretiens pour {} travaillées : plus d'heures d'entretiens que d'heures \
                 travaillées, l'une des deux est à corriger.",
                quantite(entretiens.ratio(), "heure")?,
                quantite(travaillees.ratio(), "heure")?
            ),
        )));
    }
    let part = Ratio::entier(1).sub(entretiens.ratio().div(travaillees.ratio())?)?;
    let cible = seuils.part_hors_entretiens.ratio();
    let ecart = seuils.ecart_part_hors_entretiens.ratio();
    let bas = cible.sub(ecart)?;
    let haut = cible.add(ecart)?;
    let pourcent = |r: Ratio| -> Result<String, Depassement> {
        Ok(format!(
            "{} %",
            decimal_fr(r.mul(Ratio::entier(100))?.arrondi_decimal(0)?)
        ))
    };
    let constat = format!(
        "{} d'entretiens sur {} travaillées : {} du temps hors entretiens, pour « environ {} » \
         attendus",
        quantite(entretiens.ratio(), "heure")?,
        quantite(travaillees.ratio(), "heure")?,
        pourcent(part)?,
        pourcent(cible)?
    );
    Ok(Some(if part.compare(haut)? == Ordering::Greater {
        Constat::avertissement(
            "temps_hors_entretiens_eleve",
            SOURCE_VI_2,
            format!(
                "{constat} : plus de {} du temps hors des entretiens, l'activité est faible pour \
                 le temps déclaré.",
                pourcent(haut)?
            ),
        )
    } else if part.compare(bas)? == Ordering::Less {
        Constat::avertissement(
            "temps_hors_entretiens_faible",
            SOURCE_VI_2,
            format!(
                "{constat} : moins de {} du temps hors des entretiens, peu de place pour les \
                 déplacements, la concertation et la promotion du service ; à vérifier.",
                pourcent(bas)?
            ),
        )
    } else {
        Constat::eligible(
            "temps_hors_entretiens_conforme",
            SOURCE_VI_2,
            format!("{constat}."),
        )
    }))
}

fn constat_heures(activite: &ActiviteAip, seuils: &SeuilsActivite) -> Result<Constat, Depassement> {
    let mois = Some(activite.mois_fonctionnement);
    let Some(heures) = activite.heures_travaillees else {
        return Ok(Constat::avertissement(
            "heures_par_etp_a_verifier",
            SOURCE_VI_2,
            format!(
                "Heures travaillées non renseignées : à vérifier que le temps comptabilisé ne \
                 dépasse pas {} heures par ETP et par an, la durée annuelle légale du travail \
                 hors congés payés.",
                decimal_fr(seuils.heures_par_etp)
            ),
        ));
    };
    let plafond = cible(seuils.heures_par_etp, activite.etp, mois)?;
    let calcul = calcul_cible(seuils.heures_par_etp, "heures", activite.etp, mois);
    let realise = format!(
        "{} travaillée{} pour {} ETP",
        quantite(heures.ratio(), "heure")?,
        if heures.ratio().compare(Ratio::entier(2))? == Ordering::Less {
            ""
        } else {
            "s"
        },
        decimal_fr(activite.etp)
    );
    Ok(if heures.ratio().compare(plafond)? == Ordering::Greater {
        Constat::avertissement(
            "heures_par_etp_depassees",
            SOURCE_VI_2,
            format!(
                "{realise} : au-delà de la limite de {} ({calcul}) ; le temps comptabilisé pour \
                 chaque ETP ne doit pas excéder la durée annuelle légale du travail, hors congés \
                 payés.",
                quantite(plafond, "heure")?
            ),
        )
    } else {
        Constat::eligible(
            "heures_par_etp_conformes",
            SOURCE_VI_2,
            format!(
                "{realise} : dans la limite de {} ({calcul}), la durée annuelle légale du travail \
                 hors congés payés.",
                quantite(plafond, "heure")?
            ),
        )
    })
}

/// Référentiel national de financement de l'AIP §III.3: 8 hours of analyse de la pratique per year and per FTE are a minimum.
/// Used for the whole service (`mois` given: prorated to the months of operation, see
/// [`verifier_activite`]) and for one intervenant over a year (`mois` absent).
///
/// **Interpretation**: the text calls it « un minimum requis », but in the chapter on the
/// quality of the service, not among the conditions of eligibility (§II.2, §III.2); it can only
/// be checked on hours already declared, so a shortfall is a warning for the Caf to follow up,
/// not a refusal.
pub(super) fn constat_analyse_pratique(
    heures: Option<Decimal>,
    etp: Decimal,
    mois: Option<u8>,
    seuil: Decimal,
) -> Result<Constat, Depassement> {
    let Some(heures) = heures else {
        return Ok(Constat::avertissement(
            "analyse_pratique_a_verifier",
            SOURCE_III_3,
            format!(
                "Heures d'analyse de la pratique non renseignées : à vérifier, le minimum requis \
                 est de {} heures par an et par ETP.",
                decimal_fr(seuil)
            ),
        ));
    };
    let minimum = cible(seuil, etp, mois)?;
    let calcul = calcul_cible(seuil, "heures", etp, mois);
    let periode = match mois {
        Some(m) => format!(" sur {m} mois"),
        None => " par an".to_owned(),
    };
    let realise = format!(
        "{} d'analyse de la pratique{periode} pour {} ETP",
        quantite(heures.ratio(), "heure")?,
        decimal_fr(etp)
    );
    Ok(if heures.ratio().compare(minimum)? == Ordering::Less {
        Constat::avertissement(
            "analyse_pratique_insuffisante",
            SOURCE_III_3,
            format!(
                "{realise} : en dessous du minimum de {} ({calcul}) ; ces séances, animées par \
                 des professionnels extérieurs à la structure, sont essentielles à la qualité du \
                 service.",
                quantite(minimum, "heure")?
            ),
        )
    } else {
        Constat::eligible(
            "analyse_pratique_suffisante",
            SOURCE_III_3,
            format!(
                "{realise} : au moins le minimum de {} ({calcul}).",
                quantite(minimum, "heure")?
            ),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::Verdict;
    use super::*;

    fn d(texte: &str) -> Decimal {
        Decimal::parse(texte).unwrap()
    }

    fn seuils() -> SeuilsActivite {
        SeuilsActivite {
            familles_par_etp: Decimal::entier(200),
            entretiens_par_etp: Decimal::entier(600),
            entretiens_par_famille_max: Decimal::entier(5),
            heures_par_etp: Decimal::entier(1607),
            heures_analyse_pratique_par_etp: Decimal::entier(8),
            etp_minimum: d("0.25"),
            part_hors_entretiens: d("0.5"),
            ecart_part_hors_entretiens: d("0.1"),
        }
    }

    /// One FTE over a full year that meets every recommendation.
    fn annee_conforme() -> ActiviteAip {
        ActiviteAip {
            etp: Decimal::entier(1),
            mois_fonctionnement: 12,
            familles_distinctes: 210,
            entretiens: 630,
            entretiens_par_famille: Some(vec![3, 5, 1, 4]),
            heures_travaillees: Some(Decimal::entier(1600)),
            heures_entretiens: None,
            heures_analyse_pratique: Some(Decimal::entier(8)),
        }
    }

    #[test]
    fn temps_hors_entretiens_environ_la_moitie() {
        let mut moitie = annee_conforme();
        moitie.heures_entretiens = Some(Decimal::entier(800));
        let conforme = verifier(&moitie);
        let c = conforme
            .constats
            .iter()
            .find(|c| c.code.starts_with("temps_hors_entretiens"))
            .unwrap();
        assert_eq!(c.code, "temps_hors_entretiens_conforme", "{}", c.message);
        assert!(c.message.contains("50 %"), "{}", c.message);
        let mut peu = moitie.clone();
        peu.heures_entretiens = Some(Decimal::entier(400));
        let c = verifier(&peu)
            .constats
            .into_iter()
            .find(|c| c.code.starts_with("temps_hors_entretiens"))
            .unwrap();
        assert_eq!(c.code, "temps_hors_entretiens_eleve");
        assert!(c.message.contains("75 %"), "{}", c.message);
        let mut trop = moitie.clone();
        trop.heures_entretiens = Some(Decimal::entier(1200));
        let c = verifier(&trop)
            .constats
            .into_iter()
            .find(|c| c.code.starts_with("temps_hors_entretiens"))
            .unwrap();
        assert_eq!(c.code, "temps_hors_entretiens_faible");
        // More hours of sessions than hours worked is said to be inconsistent.
        let mut incoherent = moitie.clone();
        incoherent.heures_entretiens = Some(Decimal::entier(1700));
        let c = verifier(&incoherent)
            .constats
            .into_iter()
            .find(|c| c.code.starts_with("temps_hors_entretiens"))
            .unwrap();
        assert_eq!(c.code, "temps_hors_entretiens_incoherent");
        // Unknown hours say nothing.
        let mut inconnu = annee_conforme();
        inconnu.heures_entretiens = None;
        assert!(
            !verifier(&inconnu)
                .constats
                .iter()
                .any(|c| c.code.starts_with("temps_hors_entretiens"))
        );
    }

    fn verifier(a: &ActiviteAip) -> Rapport {
        verifier_activite(a, &seuils()).unwrap()
    }

    /// `1 607` with whatever thousands separator the French rendering uses.
    fn mille_six_cent_sept() -> String {
        entier_fr(1607)
    }

    #[test]
    fn seuils_lus_dans_les_parametres() {
        let parametres = Parametres::embarques().unwrap();
        let s = SeuilsActivite::pour_exercice(&parametres, 2024).unwrap();
        assert_eq!(s, seuils());
        assert_eq!(
            SeuilsActivite::pour_exercice(&parametres, 2025).unwrap(),
            seuils()
        );
        assert!(matches!(
            SeuilsActivite::pour_exercice(&parametres, 2030),
            Err(ErreurParametre::SansValeur { .. })
        ));
    }

    #[test]
    fn annee_conforme_tout_eligible() {
        let r = verifier(&annee_conforme());
        assert_eq!(r.verdict(), Verdict::Eligible, "{}", r.texte());
        assert_eq!(
            r.codes(),
            [
                "etp_minimum_atteint",
                "familles_cible_atteinte",
                "entretiens_cible_atteinte",
                "entretiens_par_famille_conformes",
                "heures_par_etp_conformes",
                "analyse_pratique_suffisante",
            ]
        );
    }

    #[test]
    fn etp_minimum() {
        let mut a = annee_conforme();
        a.etp = d("0.25");
        a.familles_distinctes = 50;
        a.entretiens = 150;
        a.heures_analyse_pratique = Some(Decimal::entier(2));
        a.heures_travaillees = Some(Decimal::entier(400));
        let r = verifier(&a);
        assert_eq!(r.verdict(), Verdict::Eligible, "{}", r.texte());
        assert!(r.constats[0].message.contains("0,25 ETP"));

        a.etp = d("0.2");
        let r = verifier(&a);
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = r.constat("etp_sous_minimum").unwrap();
        assert_eq!(c.verdict, Verdict::Avertissement);
        assert!(c.message.contains("0,2 ETP"), "{}", c.message);
        assert!(
            c.message.contains("socle minimum de financement"),
            "{}",
            c.message
        );
        assert!(c.message.contains("0,25 ETP"), "{}", c.message);
        assert_eq!(c.source, "Référentiel AIP §V");
    }

    #[test]
    fn familles_par_etp_proratisees() {
        // 1 FTE over 8 months: target 200 × 8/12 = 133.33…
        let mut a = annee_conforme();
        a.mois_fonctionnement = 8;
        a.familles_distinctes = 134;
        a.entretiens = 400;
        let r = verifier(&a);
        let c = r.constat("familles_cible_atteinte").unwrap();
        assert_eq!(c.verdict, Verdict::Eligible);
        assert!(
            c.message.contains("≈\u{a0}133,33 familles"),
            "{}",
            c.message
        );
        assert!(
            c.message
                .contains("proratisé à 8 mois de fonctionnement sur 12"),
            "{}",
            c.message
        );

        a.familles_distinctes = 133;
        let r = verifier(&a);
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = r.constat("familles_sous_cible").unwrap();
        assert_eq!(c.verdict, Verdict::Avertissement);
        assert!(
            c.message
                .starts_with("133 familles distinctes accompagnées"),
            "{}",
            c.message
        );
        assert!(
            c.message
                .contains("en dessous du volume minimum recommandé"),
            "{}",
            c.message
        );
        assert!(
            c.message.contains("200 familles par ETP et par an × 1 ETP"),
            "{}",
            c.message
        );
        assert!(c.message.contains("proratisé à 8 mois"), "{}", c.message);
    }

    #[test]
    fn familles_exactement_a_la_cible() {
        // 1.5 FTE over 6 months: 200 × 1.5 × 6/12 = 150, exact
        let mut a = annee_conforme();
        a.etp = d("1.5");
        a.mois_fonctionnement = 6;
        a.familles_distinctes = 150;
        a.entretiens = 450;
        let r = verifier(&a);
        let c = r.constat("familles_cible_atteinte").unwrap();
        assert!(c.message.contains("de 150 familles"), "{}", c.message);
        assert!(c.message.contains("× 1,5 ETP"), "{}", c.message);
        a.familles_distinctes = 149;
        assert!(verifier(&a).constat("familles_sous_cible").is_some());
    }

    #[test]
    fn entretiens_par_etp() {
        let mut a = annee_conforme();
        a.entretiens = 600;
        assert!(verifier(&a).constat("entretiens_cible_atteinte").is_some());
        a.entretiens = 599;
        let r = verifier(&a);
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = r.constat("entretiens_sous_cible").unwrap();
        assert!(
            c.message.starts_with("599 entretiens réalisés"),
            "{}",
            c.message
        );
        assert!(
            c.message.contains("environ 600 entretiens"),
            "{}",
            c.message
        );
        assert!(
            c.message
                .contains("proratisé à 12 mois de fonctionnement sur 12"),
            "{}",
            c.message
        );
    }

    #[test]
    fn seances_par_famille_avec_le_detail() {
        let mut a = annee_conforme();
        a.entretiens_par_famille = Some(vec![6, 2, 8, 5]);
        let r = verifier(&a);
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = r.constat("entretiens_par_famille_au_dela_repere").unwrap();
        assert_eq!(c.verdict, Verdict::Avertissement);
        assert!(
            c.message.starts_with("2 familles ont eu plus de 5 séances"),
            "{}",
            c.message
        );
        assert!(c.message.contains("jusqu'à 8"), "{}", c.message);
        assert!(c.message.contains("exceptionnel"), "{}", c.message);
        assert_eq!(c.source, "Référentiel AIP §II.3");

        a.entretiens_par_famille = Some(vec![6]);
        let c = verifier(&a)
            .constat("entretiens_par_famille_au_dela_repere")
            .cloned()
            .unwrap();
        assert!(
            c.message.starts_with("1 famille a eu plus de 5 séances"),
            "{}",
            c.message
        );

        a.entretiens_par_famille = Some(vec![5, 5, 1]);
        let c = verifier(&a)
            .constat("entretiens_par_famille_conformes")
            .cloned()
            .unwrap();
        assert!(
            c.message.contains("au plus 5 pour une famille"),
            "{}",
            c.message
        );
    }

    #[test]
    fn seances_par_famille_sans_le_detail() {
        let mut a = annee_conforme();
        a.entretiens_par_famille = None;
        let r = verifier(&a);
        let c = r.constat("entretiens_par_famille_a_verifier").unwrap();
        assert_eq!(c.verdict, Verdict::Avertissement);
        assert!(c.message.contains("à vérifier"));

        // a mean above 5 proves a family above the guideline
        a.familles_distinctes = 200;
        a.entretiens = 1100;
        let r = verifier(&a);
        let c = r.constat("entretiens_par_famille_au_dela_repere").unwrap();
        assert!(
            c.message
                .contains("soit 5,5 séances par famille en moyenne"),
            "{}",
            c.message
        );
        assert!(c.message.contains("au moins une famille"), "{}", c.message);
    }

    #[test]
    fn heures_par_etp() {
        let mut a = annee_conforme();
        a.heures_travaillees = Some(Decimal::entier(1607));
        let c = verifier(&a)
            .constat("heures_par_etp_conformes")
            .cloned()
            .unwrap();
        assert!(
            c.message
                .contains(&format!("{} heures", mille_six_cent_sept())),
            "{}",
            c.message
        );

        a.heures_travaillees = Some(d("1607.5"));
        let r = verifier(&a);
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = r.constat("heures_par_etp_depassees").unwrap();
        assert!(
            c.message.starts_with(&format!(
                "{},5 heures travaillées pour 1 ETP",
                mille_six_cent_sept()
            )),
            "{}",
            c.message
        );
        assert!(
            c.message.contains("durée annuelle légale du travail"),
            "{}",
            c.message
        );
        assert_eq!(c.source, "Référentiel AIP §VI.2");

        // 2 FTE over 6 months: 1 607 × 2 × 6/12 = 1 607
        a.etp = Decimal::entier(2);
        a.mois_fonctionnement = 6;
        a.heures_travaillees = Some(Decimal::entier(1700));
        let c = verifier(&a)
            .constat("heures_par_etp_depassees")
            .cloned()
            .unwrap();
        assert!(
            c.message
                .contains(&format!("limite de {} heures", mille_six_cent_sept())),
            "{}",
            c.message
        );
        assert!(c.message.contains("proratisé à 6 mois"), "{}", c.message);

        a.heures_travaillees = None;
        assert!(verifier(&a).constat("heures_par_etp_a_verifier").is_some());
    }

    #[test]
    fn analyse_de_la_pratique_du_service() {
        let mut a = annee_conforme();
        a.etp = d("2.5");
        a.familles_distinctes = 500;
        a.entretiens = 1500;
        a.heures_travaillees = Some(Decimal::entier(4000));
        a.heures_analyse_pratique = Some(Decimal::entier(20));
        let r = verifier(&a);
        assert_eq!(r.verdict(), Verdict::Eligible, "{}", r.texte());
        a.heures_analyse_pratique = Some(Decimal::entier(19));
        let r = verifier(&a);
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = r.constat("analyse_pratique_insuffisante").unwrap();
        assert!(
            c.message
                .starts_with("19 heures d'analyse de la pratique sur 12 mois pour 2,5 ETP")
        );
        assert!(c.message.contains("minimum de 20 heures"), "{}", c.message);
        assert_eq!(c.source, "Référentiel AIP §III.3");
        a.heures_analyse_pratique = None;
        assert!(
            verifier(&a)
                .constat("analyse_pratique_a_verifier")
                .is_some()
        );
    }

    #[test]
    fn entrees_hors_domaine() {
        let mut a = annee_conforme();
        a.mois_fonctionnement = 13;
        assert!(matches!(
            verifier_activite(&a, &seuils()),
            Err(ErreurConformite::Champ {
                champ: "mois_fonctionnement",
                ..
            })
        ));
        let mut a = annee_conforme();
        a.etp = d("-1");
        assert!(verifier_activite(&a, &seuils()).is_err());
        let mut a = annee_conforme();
        a.heures_travaillees = Some(d("-0.5"));
        assert!(matches!(
            verifier_activite(&a, &seuils()),
            Err(ErreurConformite::Champ {
                champ: "heures_travaillees",
                ..
            })
        ));
    }

    #[test]
    fn aucun_mois_de_fonctionnement() {
        let a = ActiviteAip {
            etp: Decimal::entier(1),
            mois_fonctionnement: 0,
            familles_distinctes: 0,
            entretiens: 0,
            entretiens_par_famille: Some(vec![]),
            heures_travaillees: Some(Decimal::ZERO),
            heures_entretiens: Some(Decimal::ZERO),
            heures_analyse_pratique: Some(Decimal::ZERO),
        };
        let r = verifier(&a);
        assert_eq!(r.verdict(), Verdict::Eligible, "{}", r.texte());
    }
}
