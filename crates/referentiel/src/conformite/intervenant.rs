//! Whether a professional may hold AIP sessions: diploma and level, salaried status, criminal
//! record check, experience in parenting support (Référentiel national de financement de l'AIP §III.2, docs/eligibilite-aip.md), and the hours
//! of analyse de la pratique they receive (§III.3).

use time::Date;

use super::activite::{SeuilsActivite, constat_analyse_pratique};
use super::rendu::date_fr;
use super::{Constat, ErreurConformite, Rapport};
use crate::exact::Decimal;

const SOURCE_III_2: &str = "Référentiel AIP §III.2";

/// The diplomas the référentiel names, and the others with their level in the national
/// nomenclature of certifications (1 to 8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diplome {
    /// Diplôme d'État d'assistant de service social (level 6).
    AssistantServiceSocial,
    /// Diplôme d'État d'éducateur spécialisé (level 6).
    EducateurSpecialise,
    /// Diplôme d'État de conseiller en économie sociale familiale (level 6).
    ConseillerEconomieSocialeFamiliale,
    /// Diplôme d'État d'éducateur de jeunes enfants (level 6).
    EducateurJeunesEnfants,
    /// Diplôme d'État de médiateur familial (level 6).
    MediateurFamilial,
    /// Psychologue (level 7).
    Psychologue,
    /// Conseiller conjugal et familial (level 5): excluded by name.
    ConseillerConjugal,
    /// Only a « coach » or « coach parental » certification: excluded by name.
    CoachUniquement,
    /// Any other diploma, with its level when known (another level-7 diploma is `niveau: Some(7)`).
    Autre { libelle: String, niveau: Option<u8> },
}

impl Diplome {
    pub const TOUS: [Diplome; 9] = [
        Diplome::AssistantServiceSocial,
        Diplome::EducateurSpecialise,
        Diplome::ConseillerEconomieSocialeFamiliale,
        Diplome::EducateurJeunesEnfants,
        Diplome::MediateurFamilial,
        Diplome::Psychologue,
        Diplome::ConseillerConjugal,
        Diplome::CoachUniquement,
        Diplome::Autre {
            libelle: String::new(),
            niveau: None,
        },
    ];

    /// The name used in files and the API.
    pub fn code(&self) -> &'static str {
        match self {
            Diplome::AssistantServiceSocial => "assistant_service_social",
            Diplome::EducateurSpecialise => "educateur_specialise",
            Diplome::ConseillerEconomieSocialeFamiliale => "conseiller_esf",
            Diplome::EducateurJeunesEnfants => "educateur_jeunes_enfants",
            Diplome::MediateurFamilial => "mediateur_familial",
            Diplome::Psychologue => "psychologue",
            Diplome::ConseillerConjugal => "conseiller_conjugal",
            Diplome::CoachUniquement => "coach_uniquement",
            Diplome::Autre { .. } => "autre",
        }
    }

    /// The diploma of a code; `autre` gives [`Diplome::Autre`] with an empty label and no level,
    /// which the caller fills in.
    pub fn depuis_code(code: &str) -> Option<Diplome> {
        Diplome::TOUS.into_iter().find(|d| d.code() == code)
    }

    /// The French label shown to people (for [`Diplome::Autre`], the category).
    pub fn libelle(&self) -> &'static str {
        match self {
            Diplome::AssistantServiceSocial => "assistant de service social",
            Diplome::EducateurSpecialise => "éducateur spécialisé",
            Diplome::ConseillerEconomieSocialeFamiliale => {
                "conseiller en économie sociale familiale"
            }
            Diplome::EducateurJeunesEnfants => "éducateur de jeunes enfants",
            Diplome::MediateurFamilial => "médiateur familial",
            Diplome::Psychologue => "psychologue",
            Diplome::ConseillerConjugal => "conseiller conjugal",
            Diplome::CoachUniquement => "certification de coach uniquement",
            Diplome::Autre { .. } => "autre diplôme",
        }
    }

    /// The level in the national nomenclature (1 to 8), when known.
    pub fn niveau(&self) -> Option<u8> {
        match self {
            Diplome::AssistantServiceSocial
            | Diplome::EducateurSpecialise
            | Diplome::ConseillerEconomieSocialeFamiliale
            | Diplome::EducateurJeunesEnfants
            | Diplome::MediateurFamilial => Some(6),
            Diplome::Psychologue => Some(7),
            Diplome::ConseillerConjugal => Some(5),
            Diplome::CoachUniquement => None,
            Diplome::Autre { niveau, .. } => *niveau,
        }
    }

    /// Whether it is one of the level-6 social-work diplomas the référentiel lists.
    pub fn est_niveau_6_travail_social(&self) -> bool {
        matches!(
            self,
            Diplome::AssistantServiceSocial
                | Diplome::EducateurSpecialise
                | Diplome::ConseillerEconomieSocialeFamiliale
                | Diplome::EducateurJeunesEnfants
                | Diplome::MediateurFamilial
        )
    }
}

impl std::fmt::Display for Diplome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Diplome::Autre { libelle, .. } if !libelle.trim().is_empty() => {
                f.write_str(libelle.trim())
            }
            d => f.write_str(d.libelle()),
        }
    }
}

/// The work status of the intervenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatutIntervenant {
    /// An employee (of the structure, or made available to it by another employer).
    Salarie,
    /// A volunteer.
    Benevole,
    /// A self-employed professional paid for a service (libéral, micro-entrepreneur).
    Liberal,
    /// Any other status, as written by the user.
    Autre(String),
}

impl StatutIntervenant {
    pub const TOUS: [StatutIntervenant; 4] = [
        StatutIntervenant::Salarie,
        StatutIntervenant::Benevole,
        StatutIntervenant::Liberal,
        StatutIntervenant::Autre(String::new()),
    ];

    /// The name used in files and the API.
    pub fn code(&self) -> &'static str {
        match self {
            StatutIntervenant::Salarie => "salarie",
            StatutIntervenant::Benevole => "benevole",
            StatutIntervenant::Liberal => "liberal",
            StatutIntervenant::Autre(_) => "autre",
        }
    }

    pub fn depuis_code(code: &str) -> Option<StatutIntervenant> {
        StatutIntervenant::TOUS
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// The French label shown to people.
    pub fn libelle(&self) -> &'static str {
        match self {
            StatutIntervenant::Salarie => "salarié",
            StatutIntervenant::Benevole => "bénévole",
            StatutIntervenant::Liberal => "libéral ou prestataire indépendant",
            StatutIntervenant::Autre(_) => "autre statut",
        }
    }
}

impl std::fmt::Display for StatutIntervenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatutIntervenant::Autre(precision) if !precision.trim().is_empty() => {
                f.write_str(precision.trim())
            }
            s => f.write_str(s.libelle()),
        }
    }
}

/// One intervenant as declared by the structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntervenantAip {
    pub diplome: Diplome,
    pub statut: StatutIntervenant,
    /// When the employer obtained the bulletin n°3 of the criminal record; `None` if never.
    pub date_controle_casier_judiciaire: Option<Date>,
    /// Significant experience in parenting support and/or complementary training on it.
    pub experience_ou_formation_parentalite: bool,
    /// Hours of analyse de la pratique received over a year; `None` when not known.
    pub heures_analyse_pratique_par_an: Option<Decimal>,
    /// The intervenant's FTE on the AIP service.
    pub etp: Decimal,
}

/// Checks an intervenant on `aujourd_hui`: diploma, status, criminal record, experience, analyse
/// de la pratique. Fails only on an input out of its domain (a negative FTE or number of hours, a
/// level outside 1 to 8).
pub fn verifier_intervenant(
    intervenant: &IntervenantAip,
    seuils: &SeuilsActivite,
    aujourd_hui: Date,
) -> Result<Rapport, ErreurConformite> {
    valider(intervenant)?;
    let mut rapport = Rapport::new();
    rapport.ajouter(constat_diplome(&intervenant.diplome));
    rapport.ajouter(constat_statut(&intervenant.statut));
    rapport.ajouter(constat_casier(
        intervenant.date_controle_casier_judiciaire,
        aujourd_hui,
    ));
    rapport.ajouter(constat_experience(
        intervenant.experience_ou_formation_parentalite,
    ));
    rapport.ajouter(constat_analyse_pratique(
        intervenant.heures_analyse_pratique_par_an,
        intervenant.etp,
        None,
        seuils.heures_analyse_pratique_par_etp,
    )?);
    Ok(rapport)
}

fn valider(intervenant: &IntervenantAip) -> Result<(), ErreurConformite> {
    if let Some(niveau) = intervenant.diplome.niveau()
        && !(1..=8).contains(&niveau)
    {
        return Err(ErreurConformite::champ(
            "niveau",
            format!("un niveau de diplôme va de 1 à 8 (reçu {niveau})"),
        ));
    }
    if intervenant.etp.is_negative() {
        return Err(ErreurConformite::champ(
            "etp",
            format!("doit être positif ou nul (reçu {})", intervenant.etp),
        ));
    }
    if let Some(h) = intervenant.heures_analyse_pratique_par_an
        && h.is_negative()
    {
        return Err(ErreurConformite::champ(
            "heures_analyse_pratique_par_an",
            format!("un nombre d'heures ne peut pas être négatif (reçu {h})"),
        ));
    }
    Ok(())
}

/// Référentiel national de financement de l'AIP §III.2: a level-6 diploma in social work or family and social support, registered
/// in the RNCP, « de type » assistant de service social, éducateur spécialisé, conseiller en ESF,
/// éducateur de jeunes enfants, médiateur familial; or a level-7 diploma, « de type psychologue
/// notamment ». Conseillers conjugaux (level 5) and holders of only a « coach » or « coach
/// parental » certification are excluded by name.
///
/// **Interpretation**: « de type » makes the level-6 list a list of examples, so another level-6
/// diploma may qualify if it belongs to social work or family and social support, which a rule
/// cannot tell: it is a warning to check. Likewise « niveau 7 de type psychologue notamment »
/// names psychologists as the example of a field: a psychologist's diploma is eligible, another
/// diploma of level 7 or 8 is a warning to check (its field must be close to the service: a
/// master's degree in finance is level 7 too), not eligible by default. Another diploma below
/// level 6 is not eligible; one whose level is unknown is a warning to check.
fn constat_diplome(diplome: &Diplome) -> Constat {
    match diplome {
        Diplome::ConseillerConjugal => Constat::non_eligible(
            "diplome_conseiller_conjugal",
            SOURCE_III_2,
            "Conseiller conjugal : non éligible, le référentiel exclut les conseillers conjugaux \
             compte tenu de leur niveau de qualification (niveau 5, ex bac +2) ; il faut un \
             diplôme de niveau 6 en travail social ou de niveau 7.",
        ),
        Diplome::CoachUniquement => Constat::non_eligible(
            "diplome_coach_uniquement",
            SOURCE_III_2,
            "Certification de type « coach » ou « coach parental » seule : non éligible, le \
             référentiel exclut les titulaires uniquement d'une telle certification ; il faut un \
             diplôme de niveau 6 en travail social ou de niveau 7.",
        ),
        d if d.est_niveau_6_travail_social() => Constat::eligible(
            "diplome_niveau_6_travail_social",
            SOURCE_III_2,
            format!(
                "Diplôme « {d} » (niveau 6) : il figure parmi les diplômes de niveau 6 du travail \
                 social et de l'accompagnement familial et social exigés."
            ),
        ),
        Diplome::Psychologue => Constat::eligible(
            "diplome_niveau_7",
            SOURCE_III_2,
            "Diplôme de psychologue (niveau 7) : il est le diplôme de niveau 7 que le \
             référentiel cite.",
        ),
        d => match d.niveau() {
            Some(niveau) if niveau >= 7 => Constat::avertissement(
                "diplome_niveau_7_a_verifier",
                SOURCE_III_2,
                format!(
                    "Diplôme « {d} » (niveau {niveau}) : à vérifier. Le niveau est atteint, mais \
                     le référentiel demande un diplôme de niveau 7 « de type psychologue » : son \
                     domaine doit relever de la psychologie, du travail social ou de \
                     l'accompagnement des familles."
                ),
            ),
            Some(6) => Constat::avertissement(
                "diplome_niveau_6_hors_liste",
                SOURCE_III_2,
                format!(
                    "Diplôme « {d} » (niveau 6) : à vérifier. Il n'est pas dans la liste du \
                     référentiel (assistant de service social, éducateur spécialisé, conseiller \
                     en ESF, éducateur de jeunes enfants, médiateur familial) ; il doit relever \
                     du travail social ou de l'accompagnement familial et social et être inscrit \
                     au répertoire national des certifications professionnelles."
                ),
            ),
            Some(niveau) => Constat::non_eligible(
                "diplome_niveau_insuffisant",
                SOURCE_III_2,
                format!(
                    "Diplôme « {d} » (niveau {niveau}) : non éligible, le référentiel exige un \
                     diplôme de niveau 6 en travail social ou de niveau 7."
                ),
            ),
            None => Constat::avertissement(
                "diplome_niveau_a_verifier",
                SOURCE_III_2,
                format!(
                    "Diplôme « {d} » de niveau non renseigné : à vérifier, le référentiel exige \
                     un diplôme de niveau 6 en travail social ou de niveau 7."
                ),
            ),
        },
    }
}

/// Référentiel national de financement de l'AIP §III.2: intervenants must be salaried; volunteers are not concerned by the
/// experiment.
///
/// **Interpretation**: any status other than salaried (libéral, micro-entrepreneur, service
/// provider…) fails « un statut salarié »; an employee made available by another employer is
/// salaried.
fn constat_statut(statut: &StatutIntervenant) -> Constat {
    match statut {
        StatutIntervenant::Salarie => Constat::eligible(
            "intervenant_salarie",
            SOURCE_III_2,
            "Intervenant salarié : les intervenants doivent avoir un statut salarié.",
        ),
        StatutIntervenant::Benevole => Constat::non_eligible(
            "intervenant_benevole",
            SOURCE_III_2,
            "Intervenant bénévole : non éligible, les intervenants doivent avoir un statut \
             salarié ; le bénévolat n'est pas concerné par l'expérimentation.",
        ),
        autre => Constat::non_eligible(
            "intervenant_non_salarie",
            SOURCE_III_2,
            format!(
                "Intervenant au statut « {autre} » : non éligible, les intervenants doivent avoir \
                 un statut salarié."
            ),
        ),
    }
}

/// Référentiel national de financement de l'AIP §III.2: the employer must make sure of the
/// absence of convictions by asking for an extract of the bulletin n°3 of the intervenant's
/// criminal record.
///
/// **Interpretation**: the référentiel sets no period of validity for the extract, so any past
/// date of check is accepted and shown so that the Caf can judge it; a date after `aujourd_hui`
/// is no check at all (a typing error or a promise): not eligible until corrected.
fn constat_casier(date: Option<Date>, aujourd_hui: Date) -> Constat {
    match date {
        Some(d) if d > aujourd_hui => Constat::non_eligible(
            "casier_judiciaire_date_future",
            SOURCE_III_2,
            format!(
                "Bulletin n°3 du casier judiciaire daté du {}, une date future : non éligible \
                 tant que l'employeur n'a pas effectivement obtenu l'extrait.",
                date_fr(d)
            ),
        ),
        Some(d) => Constat::eligible(
            "casier_judiciaire_verifie",
            SOURCE_III_2,
            format!(
                "Bulletin n°3 du casier judiciaire obtenu par l'employeur le {} : l'absence de \
                 condamnation a été vérifiée.",
                date_fr(d)
            ),
        ),
        None => Constat::non_eligible(
            "casier_judiciaire_non_verifie",
            SOURCE_III_2,
            "Casier judiciaire non vérifié : l'employeur doit avoir demandé le bulletin n°3 du \
             casier judiciaire de l'intervenant pour s'assurer de l'absence de condamnation.",
        ),
    }
}

/// Référentiel national de financement de l'AIP §III.2: « Il devra posséder une expérience
/// significative autour du soutien à la parentalité et/ou avoir suivi des formations
/// complémentaires sur ce sujet ».
///
/// **Interpretation** (revised 2026-12): « devra » makes it a condition, so an intervenant
/// declared with neither is not eligible. Whether declared experience is « significative » is a
/// judgement of the Caf that no rule can make: the declaration is accepted and shown.
fn constat_experience(declaree: bool) -> Constat {
    if declaree {
        Constat::eligible(
            "experience_parentalite",
            SOURCE_III_2,
            "Expérience significative du soutien à la parentalité ou formation complémentaire \
             sur ce sujet déclarée.",
        )
    } else {
        Constat::non_eligible(
            "experience_parentalite_absente",
            SOURCE_III_2,
            "Ni expérience significative du soutien à la parentalité ni formation complémentaire \
             sur ce sujet : non éligible, le référentiel exige l'une ou l'autre (« il devra \
             posséder »).",
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::Verdict;
    use super::*;
    use time::macros::date;

    fn seuils() -> SeuilsActivite {
        SeuilsActivite {
            familles_par_etp: Decimal::entier(200),
            entretiens_par_etp: Decimal::entier(600),
            entretiens_par_famille_max: Decimal::entier(5),
            heures_par_etp: Decimal::entier(1607),
            heures_analyse_pratique_par_etp: Decimal::entier(8),
            etp_minimum: Decimal::centimes(25),
            part_hors_entretiens: Decimal::centimes(50),
            ecart_part_hors_entretiens: Decimal::centimes(10),
        }
    }

    fn qualifie(diplome: Diplome) -> IntervenantAip {
        IntervenantAip {
            diplome,
            statut: StatutIntervenant::Salarie,
            date_controle_casier_judiciaire: Some(date!(2024 - 01 - 15)),
            experience_ou_formation_parentalite: true,
            heures_analyse_pratique_par_an: Some(Decimal::entier(10)),
            etp: Decimal::entier(1),
        }
    }

    fn verifier(i: &IntervenantAip) -> Rapport {
        verifier_intervenant(i, &seuils(), date!(2024 - 06 - 01)).unwrap()
    }

    #[test]
    fn diplomes_de_niveau_6_de_la_liste() {
        for d in [
            Diplome::AssistantServiceSocial,
            Diplome::EducateurSpecialise,
            Diplome::ConseillerEconomieSocialeFamiliale,
            Diplome::EducateurJeunesEnfants,
            Diplome::MediateurFamilial,
        ] {
            let r = verifier(&qualifie(d.clone()));
            assert_eq!(r.verdict(), Verdict::Eligible, "{}", r.texte());
            let c = &r.constats[0];
            assert_eq!(c.code, "diplome_niveau_6_travail_social");
            assert!(c.message.contains(d.libelle()));
            assert!(c.message.contains("niveau 6"));
            assert_eq!(c.source, "Référentiel AIP §III.2");
        }
    }

    #[test]
    fn diplomes_de_niveau_7() {
        let r = verifier(&qualifie(Diplome::Psychologue));
        assert_eq!(r.verdict(), Verdict::Eligible);
        assert_eq!(r.constats[0].code, "diplome_niveau_7");
        // Another level-7 or -8 diploma reaches the level, but its field must be checked.
        let r = verifier(&qualifie(Diplome::Autre {
            libelle: "master de finance".into(),
            niveau: Some(7),
        }));
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = &r.constats[0];
        assert_eq!(c.code, "diplome_niveau_7_a_verifier");
        assert!(c.message.contains("« master de finance » (niveau 7)"));
        assert!(c.message.contains("de type psychologue"));
        let r = verifier(&qualifie(Diplome::Autre {
            libelle: "doctorat de psychologie".into(),
            niveau: Some(8),
        }));
        assert_eq!(r.constats[0].code, "diplome_niveau_7_a_verifier");
    }

    #[test]
    fn conseiller_conjugal_exclu() {
        let r = verifier(&qualifie(Diplome::ConseillerConjugal));
        assert_eq!(r.verdict(), Verdict::NonEligible);
        let c = &r.constats[0];
        assert_eq!(
            (c.code, c.verdict),
            ("diplome_conseiller_conjugal", Verdict::NonEligible)
        );
        assert!(c.message.contains("niveau 5"));
    }

    #[test]
    fn coach_seul_exclu() {
        let r = verifier(&qualifie(Diplome::CoachUniquement));
        assert_eq!(r.verdict(), Verdict::NonEligible);
        let c = &r.constats[0];
        assert_eq!(
            (c.code, c.verdict),
            ("diplome_coach_uniquement", Verdict::NonEligible)
        );
        assert!(c.message.contains("coach parental"));
    }

    #[test]
    fn autre_diplome_selon_son_niveau() {
        let r = verifier(&qualifie(Diplome::Autre {
            libelle: "moniteur-éducateur".into(),
            niveau: Some(4),
        }));
        assert_eq!(r.verdict(), Verdict::NonEligible);
        let c = &r.constats[0];
        assert_eq!(c.code, "diplome_niveau_insuffisant");
        assert!(c.message.contains("« moniteur-éducateur » (niveau 4)"));
        assert!(
            c.message
                .contains("niveau 6 en travail social ou de niveau 7")
        );

        let r = verifier(&qualifie(Diplome::Autre {
            libelle: "licence de sociologie".into(),
            niveau: Some(6),
        }));
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = &r.constats[0];
        assert_eq!(c.code, "diplome_niveau_6_hors_liste");
        assert!(c.message.contains("pas dans la liste"));

        let r = verifier(&qualifie(Diplome::Autre {
            libelle: "diplôme étranger".into(),
            niveau: None,
        }));
        assert_eq!(r.verdict(), Verdict::Avertissement);
        assert_eq!(r.constats[0].code, "diplome_niveau_a_verifier");
    }

    #[test]
    fn niveau_hors_nomenclature_refuse() {
        let i = qualifie(Diplome::Autre {
            libelle: "x".into(),
            niveau: Some(9),
        });
        let e = verifier_intervenant(&i, &seuils(), date!(2024 - 06 - 01)).unwrap_err();
        assert!(matches!(
            e,
            ErreurConformite::Champ {
                champ: "niveau",
                ..
            }
        ));
    }

    #[test]
    fn statut_salarie_exige() {
        let r = verifier(&qualifie(Diplome::Psychologue));
        assert_eq!(
            r.constat("intervenant_salarie").map(|c| c.verdict),
            Some(Verdict::Eligible)
        );

        let mut i = qualifie(Diplome::Psychologue);
        i.statut = StatutIntervenant::Benevole;
        let r = verifier(&i);
        assert_eq!(r.verdict(), Verdict::NonEligible);
        let c = r.constat("intervenant_benevole").unwrap();
        assert!(c.message.contains("bénévolat"));
        assert!(c.message.contains("statut salarié"));

        for statut in [
            StatutIntervenant::Liberal,
            StatutIntervenant::Autre("vacataire".into()),
        ] {
            i.statut = statut.clone();
            let r = verifier(&i);
            assert_eq!(r.verdict(), Verdict::NonEligible);
            let c = r.constat("intervenant_non_salarie").unwrap();
            assert_eq!(c.verdict, Verdict::NonEligible);
            assert!(
                c.message.contains(&format!("« {statut} »")),
                "{}",
                c.message
            );
            assert!(c.message.contains("statut salarié"));
        }
    }

    #[test]
    fn casier_judiciaire() {
        let r = verifier(&qualifie(Diplome::Psychologue));
        let c = r.constat("casier_judiciaire_verifie").unwrap();
        assert_eq!(c.verdict, Verdict::Eligible);
        assert!(c.message.contains("15 janvier 2024"));

        let mut i = qualifie(Diplome::Psychologue);
        i.date_controle_casier_judiciaire = None;
        let r = verifier(&i);
        assert_eq!(r.verdict(), Verdict::NonEligible);
        let c = r.constat("casier_judiciaire_non_verifie").unwrap();
        assert_eq!(c.verdict, Verdict::NonEligible);
        assert!(
            c.message
                .contains("l'employeur doit avoir demandé le bulletin n°3")
        );
        // A check dated after the day of the verification is no check.
        let mut i = qualifie(Diplome::Psychologue);
        i.date_controle_casier_judiciaire = Some(date!(2024 - 06 - 02));
        let r = verifier(&i);
        assert_eq!(r.verdict(), Verdict::NonEligible);
        assert!(r.constat("casier_judiciaire_date_future").is_some());
        i.date_controle_casier_judiciaire = Some(date!(2024 - 06 - 01));
        assert!(verifier(&i).constat("casier_judiciaire_verifie").is_some());
    }

    #[test]
    fn experience_ou_formation() {
        let r = verifier(&qualifie(Diplome::Psychologue));
        assert_eq!(
            r.constat("experience_parentalite").map(|c| c.verdict),
            Some(Verdict::Eligible)
        );
        let mut i = qualifie(Diplome::Psychologue);
        i.experience_ou_formation_parentalite = false;
        let r = verifier(&i);
        assert_eq!(r.verdict(), Verdict::NonEligible);
        let c = r.constat("experience_parentalite_absente").unwrap();
        assert!(c.message.contains("formation complémentaire"));
        assert!(c.message.contains("il devra"));
    }

    #[test]
    fn analyse_de_la_pratique_par_etp() {
        // 0.5 FTE needs 4 hours a year
        let mut i = qualifie(Diplome::Psychologue);
        i.etp = Decimal::parse("0.5").unwrap();
        i.heures_analyse_pratique_par_an = Some(Decimal::entier(4));
        let r = verifier(&i);
        assert_eq!(r.verdict(), Verdict::Eligible, "{}", r.texte());
        let c = r.constat("analyse_pratique_suffisante").unwrap();
        assert!(c.message.contains("0,5 ETP"), "{}", c.message);
        assert_eq!(c.source, "Référentiel AIP §III.3");

        i.heures_analyse_pratique_par_an = Some(Decimal::parse("3.5").unwrap());
        let r = verifier(&i);
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = r.constat("analyse_pratique_insuffisante").unwrap();
        assert!(c.message.contains("3,5 heures"), "{}", c.message);
        assert!(c.message.contains("minimum de 4 heures"), "{}", c.message);

        i.heures_analyse_pratique_par_an = None;
        let r = verifier(&i);
        assert!(r.constat("analyse_pratique_a_verifier").is_some());

        i.heures_analyse_pratique_par_an = Some(Decimal::entier(-1));
        assert!(verifier_intervenant(&i, &seuils(), date!(2024 - 06 - 01)).is_err());
        i.heures_analyse_pratique_par_an = Some(Decimal::entier(8));
        i.etp = Decimal::entier(-1);
        assert!(verifier_intervenant(&i, &seuils(), date!(2024 - 06 - 01)).is_err());
    }

    #[test]
    fn codes_et_libelles() {
        for d in Diplome::TOUS {
            assert_eq!(Diplome::depuis_code(d.code()), Some(d.clone()));
        }
        for s in StatutIntervenant::TOUS {
            assert_eq!(StatutIntervenant::depuis_code(s.code()), Some(s.clone()));
        }
        assert_eq!(Diplome::depuis_code("docteur"), None);
        assert_eq!(Diplome::ConseillerConjugal.niveau(), Some(5));
        assert_eq!(Diplome::CoachUniquement.niveau(), None);
        assert_eq!(Diplome::MediateurFamilial.niveau(), Some(6));
    }
}
