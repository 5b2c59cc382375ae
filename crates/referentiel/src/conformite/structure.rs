//! Whether a structure may carry an AIP service: its legal status and activity (Référentiel national de financement de l'AIP §II.2,
//! docs/eligibilite-aip.md), and the commitments the référentiel requires of it (§I.3, §I.4, §II.1, §II.2,
//! §III.3, §IV.1, §IV.2), each declared yes, no or not yet known.

use super::{Constat, Rapport, Verdict};

const SOURCE_II_1: &str = "Référentiel AIP §II.1";
const SOURCE_II_2: &str = "Référentiel AIP §II.2";

/// The legal status of the gestionnaire (Référentiel national de financement de l'AIP §II.2, first list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatutJuridique {
    /// An association declared under the law of 1901.
    AssociationLoi1901,
    /// An association recognised as being of public utility (reconnue d'utilité publique).
    AssociationReconnueUtilitePublique {
        /// Whether its purpose is social or health-related.
        a_caractere_social_ou_sanitaire: bool,
    },
    /// A public or private social, medico-social or health establishment.
    EtablissementSocialOuMedicoSocial,
    /// A local authority: commune or EPCI.
    CollectiviteTerritoriale,
    /// Any other status, as written by the user.
    Autre(String),
}

impl StatutJuridique {
    pub const TOUS: [StatutJuridique; 6] = [
        StatutJuridique::AssociationLoi1901,
        StatutJuridique::AssociationReconnueUtilitePublique {
            a_caractere_social_ou_sanitaire: true,
        },
        StatutJuridique::AssociationReconnueUtilitePublique {
            a_caractere_social_ou_sanitaire: false,
        },
        StatutJuridique::EtablissementSocialOuMedicoSocial,
        StatutJuridique::CollectiviteTerritoriale,
        StatutJuridique::Autre(String::new()),
    ];

    /// The name used in files and the API.
    pub fn code(&self) -> &'static str {
        match self {
            StatutJuridique::AssociationLoi1901 => "association_loi_1901",
            StatutJuridique::AssociationReconnueUtilitePublique {
                a_caractere_social_ou_sanitaire: true,
            } => "association_rup_sociale_ou_sanitaire",
            StatutJuridique::AssociationReconnueUtilitePublique {
                a_caractere_social_ou_sanitaire: false,
            } => "association_rup_autre",
            StatutJuridique::EtablissementSocialOuMedicoSocial => {
                "etablissement_social_medico_social"
            }
            StatutJuridique::CollectiviteTerritoriale => "collectivite_territoriale",
            StatutJuridique::Autre(_) => "autre",
        }
    }

    /// The status of a code; `autre` gives [`StatutJuridique::Autre`] with an empty precision,
    /// which the caller fills in.
    pub fn depuis_code(code: &str) -> Option<StatutJuridique> {
        StatutJuridique::TOUS.into_iter().find(|s| s.code() == code)
    }

    /// The French label shown to people (for [`StatutJuridique::Autre`], the category; its
    /// precision is in [`std::fmt::Display`]).
    pub fn libelle(&self) -> &'static str {
        match self {
            StatutJuridique::AssociationLoi1901 => "association loi 1901",
            StatutJuridique::AssociationReconnueUtilitePublique {
                a_caractere_social_ou_sanitaire: true,
            } => "association reconnue d'utilité publique à caractère social ou sanitaire",
            StatutJuridique::AssociationReconnueUtilitePublique {
                a_caractere_social_ou_sanitaire: false,
            } => "association reconnue d'utilité publique sans caractère social ou sanitaire",
            StatutJuridique::EtablissementSocialOuMedicoSocial => {
                "établissement public ou privé à caractère social, médico-social ou sanitaire"
            }
            StatutJuridique::CollectiviteTerritoriale => {
                "collectivité territoriale (commune, EPCI)"
            }
            StatutJuridique::Autre(_) => "autre statut",
        }
    }
}

impl std::fmt::Display for StatutJuridique {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatutJuridique::Autre(precision) if !precision.trim().is_empty() => {
                f.write_str(precision.trim())
            }
            s => f.write_str(s.libelle()),
        }
    }
}

/// What the structure does, as far as the référentiel restricts it (Référentiel national de financement de l'AIP §II.2, second list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeActivite {
    /// A structure whose service is open to all parents (association, établissement, commune…).
    Generaliste,
    /// A centre social: eligible on two conditions ([`ConditionsCentreSocial`]).
    CentreSocial,
    /// Point accueil écoute jeunes.
    Paej,
    /// Maison des adolescents.
    MaisonDesAdolescents,
    /// A service of the programme de réussite éducative.
    ProgrammeReussiteEducative,
    /// A specialised medico-social service, for a limited population.
    ServiceSpecialiseMedicoSocial,
    /// Any other activity, as written by the user.
    Autre(String),
}

impl TypeActivite {
    pub const TOUS: [TypeActivite; 7] = [
        TypeActivite::Generaliste,
        TypeActivite::CentreSocial,
        TypeActivite::Paej,
        TypeActivite::MaisonDesAdolescents,
        TypeActivite::ProgrammeReussiteEducative,
        TypeActivite::ServiceSpecialiseMedicoSocial,
        TypeActivite::Autre(String::new()),
    ];

    /// The name used in files and the API.
    pub fn code(&self) -> &'static str {
        match self {
            TypeActivite::Generaliste => "generaliste",
            TypeActivite::CentreSocial => "centre_social",
            TypeActivite::Paej => "paej",
            TypeActivite::MaisonDesAdolescents => "maison_des_adolescents",
            TypeActivite::ProgrammeReussiteEducative => "programme_reussite_educative",
            TypeActivite::ServiceSpecialiseMedicoSocial => "service_specialise_medico_social",
            TypeActivite::Autre(_) => "autre",
        }
    }

    /// The activity of a code; `autre` gives [`TypeActivite::Autre`] with an empty precision.
    pub fn depuis_code(code: &str) -> Option<TypeActivite> {
        TypeActivite::TOUS.into_iter().find(|t| t.code() == code)
    }

    /// The French label shown to people.
    pub fn libelle(&self) -> &'static str {
        match self {
            TypeActivite::Generaliste => "structure ouverte à tous les parents",
            TypeActivite::CentreSocial => "centre social",
            TypeActivite::Paej => "point accueil écoute jeunes (PAEJ)",
            TypeActivite::MaisonDesAdolescents => "maison des adolescents (MDA)",
            TypeActivite::ProgrammeReussiteEducative => {
                "service du programme de réussite éducative (PRE)"
            }
            TypeActivite::ServiceSpecialiseMedicoSocial => {
                "service spécialisé de type médico-social"
            }
            TypeActivite::Autre(_) => "autre activité",
        }
    }

    /// Whether the référentiel excludes this activity whatever the legal status.
    pub fn est_exclue(&self) -> bool {
        matches!(
            self,
            TypeActivite::Paej
                | TypeActivite::MaisonDesAdolescents
                | TypeActivite::ProgrammeReussiteEducative
                | TypeActivite::ServiceSpecialiseMedicoSocial
        )
    }
}

impl std::fmt::Display for TypeActivite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeActivite::Autre(precision) if !precision.trim().is_empty() => {
                f.write_str(precision.trim())
            }
            t => f.write_str(t.libelle()),
        }
    }
}

/// The three conditions a centre social must meet (Référentiel national de financement de
/// l'AIP, §II.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionsCentreSocial {
    /// The intervenants are professionals other than the centre's référents familles.
    pub professionnels_distincts_des_referents_familles: bool,
    /// They show competences complementary to those required of référents familles.
    pub competences_complementaires_aux_referents_familles: bool,
    /// The listening space is materially distinct from the centre's formal or informal reception.
    pub espace_ecoute_distinct_de_l_accueil: bool,
}

/// A structure as declared in a project: its status, its activity, and its commitments.
/// A commitment is `Some(true)` when declared met, `Some(false)` when declared not met, `None`
/// when not yet known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureAip {
    pub statut_juridique: StatutJuridique,
    pub type_activite: TypeActivite,
    /// Only read for a centre social; `None` there means the conditions are not yet known.
    pub centre_social: Option<ConditionsCentreSocial>,
    /// Compliance with the GDPR (RGPD) (§I.3).
    pub conforme_rgpd: Option<bool>,
    /// Respect of the Charte nationale du soutien à la parentalité (§I.3).
    pub respecte_charte_soutien_parentalite: Option<bool>,
    /// Application of the charte de la laïcité de la branche Famille (§I.4).
    pub applique_charte_laicite: Option<bool>,
    /// Premises that allow one-to-one meetings in full confidentiality (§IV.1).
    pub locaux_permettant_confidentialite: Option<bool>,
    /// Sessions offered by appointment (§II.1).
    pub accueil_sur_rendez_vous: Option<bool>,
    /// Walk-in hours offered (permanence sans rendez-vous) (§II.1).
    pub permanence_sans_rendez_vous: Option<bool>,
    /// Families' financial participation modulated by income, or none (§II.1).
    pub participation_familles_modulee_ou_gratuite: Option<bool>,
    /// Member of a network of local partners (§IV.2).
    pub membre_reseau_partenaires_locaux: Option<bool>,
    /// The structure guarantees that a professional with a private practice does not recruit
    /// clients or patients through the service (§II.2).
    pub garantit_absence_recrutement_clientele: Option<bool>,
    /// Analyse de la pratique led by qualified people external to the structure (§III.3).
    pub analyse_pratique_par_intervenants_exterieurs: Option<bool>,
}

impl StructureAip {
    /// A structure of which only the status and activity are known yet.
    pub fn new(statut_juridique: StatutJuridique, type_activite: TypeActivite) -> Self {
        StructureAip {
            statut_juridique,
            type_activite,
            centre_social: None,
            conforme_rgpd: None,
            respecte_charte_soutien_parentalite: None,
            applique_charte_laicite: None,
            locaux_permettant_confidentialite: None,
            accueil_sur_rendez_vous: None,
            permanence_sans_rendez_vous: None,
            participation_familles_modulee_ou_gratuite: None,
            membre_reseau_partenaires_locaux: None,
            garantit_absence_recrutement_clientele: None,
            analyse_pratique_par_intervenants_exterieurs: None,
        }
    }
}

/// Checks a structure: status, activity, centre social conditions, then each commitment.
pub fn verifier_structure(structure: &StructureAip) -> Rapport {
    let mut rapport = Rapport::new();
    rapport.ajouter(constat_statut(&structure.statut_juridique));
    rapport.ajouter(constat_activite(&structure.type_activite));
    if structure.type_activite == TypeActivite::CentreSocial {
        for constat in constats_centre_social(structure.centre_social) {
            rapport.ajouter(constat);
        }
    }
    for (exigence, valeur) in exigences(structure) {
        rapport.ajouter(exigence.constat(valeur));
    }
    rapport
}

/// Référentiel national de financement de l'AIP, §II.2: eligible statuses are associations loi
/// 1901, associations reconnues d'utilité publique à caractère social ou sanitaire, public or
/// private social, medico-social or health establishments, and local authorities (communes,
/// EPCI); any other status is not eligible.
///
/// **Interpretation** (revised 2026-12): « association reconnue d'utilité publique à caractère
/// social ou sanitaire » adds eligible associations; it never makes an association ineligible
/// because it is recognised. A recognised association is first an association (loi 1901, or of
/// local law in Alsace-Moselle), eligible as such whatever its purpose: a RUP association is never
/// less eligible than an ordinary one.
fn constat_statut(statut: &StatutJuridique) -> Constat {
    match statut {
        StatutJuridique::AssociationReconnueUtilitePublique {
            a_caractere_social_ou_sanitaire: false,
        } => Constat::eligible(
            "statut_rup_association",
            SOURCE_II_2,
            "Statut juridique « association reconnue d'utilité publique » : éligible comme toute \
             association loi 1901 (ou de droit local en Alsace-Moselle) ; la reconnaissance \
             d'utilité publique n'enlève rien à cette éligibilité.",
        ),
        StatutJuridique::Autre(_) => Constat::non_eligible(
            "statut_non_eligible",
            SOURCE_II_2,
            format!(
                "Statut juridique « {statut} » : non éligible, seuls sont éligibles les \
                 associations loi 1901, les associations reconnues d'utilité publique à caractère \
                 social ou sanitaire, les établissements publics ou privés à caractère social, \
                 médico-social ou sanitaire et les collectivités territoriales (communes, EPCI)."
            ),
        ),
        _ => Constat::eligible(
            "statut_eligible",
            SOURCE_II_2,
            format!(
                "Statut juridique « {} » : il figure parmi les statuts éligibles.",
                statut.libelle()
            ),
        ),
    }
}

/// Référentiel national de financement de l'AIP §II.2: PAEJ, maisons des adolescents, services of the programme de réussite
/// éducative and specialised medico-social services already offer a close service limited to a
/// population, and are not eligible whatever their status; a centre social is eligible on two
/// conditions, checked by [`constats_centre_social`].
///
/// **Interpretation**: the list of excluded activities is closed, so another activity is not
/// excluded by it; but §II.1 requires an offer open to all parents and §II.2 gives as reason for
/// the exclusions a service « limité à une population », so an activity outside the list is a
/// warning to check, not an approval.
fn constat_activite(activite: &TypeActivite) -> Constat {
    match activite {
        TypeActivite::Generaliste => Constat::eligible(
            "activite_eligible",
            SOURCE_II_2,
            "Activité « structure ouverte à tous les parents » : elle ne fait pas partie des \
             activités exclues (PAEJ, maisons des adolescents, services du programme de réussite \
             éducative, services spécialisés de type médico-social).",
        ),
        TypeActivite::CentreSocial => Constat::eligible(
            "activite_centre_social",
            SOURCE_II_2,
            "Activité « centre social » : éligible à trois conditions, vérifiées ci-après : des \
             professionnels distincts des référents familles, des compétences complémentaires \
             aux leurs et un espace d'écoute distinct de l'accueil du centre.",
        ),
        TypeActivite::Autre(_) => Constat::avertissement(
            "activite_a_verifier",
            SOURCE_II_2,
            format!(
                "Activité « {activite} » : à vérifier. Elle n'est pas parmi les activités exclues, \
                 mais l'offre doit s'adresser à tous les parents : un service limité à une \
                 population (parents d'adolescents, de très jeunes enfants, d'enfants en \
                 situation de handicap…) n'est pas éligible."
            ),
        ),
        exclue => Constat::non_eligible(
            "activite_exclue",
            SOURCE_II_2,
            format!(
                "Activité « {} » : non éligible quel que soit le statut juridique. Ces services \
                 offrent déjà un accompagnement proche, limité à une population, qui fait partie \
                 de leurs missions et n'est pas soutenu par l'expérimentation.",
                exclue.libelle()
            ),
        ),
    }
}

/// One condition of a centre social: its field and its three findings (code, message).
struct ConditionCentreSocial {
    lire: fn(&ConditionsCentreSocial) -> bool,
    oui: (&'static str, &'static str),
    non: (&'static str, &'static str),
    inconnu: (&'static str, &'static str),
}

const CONDITIONS_CENTRE_SOCIAL: [ConditionCentreSocial; 3] = [
    ConditionCentreSocial {
        lire: |c| c.professionnels_distincts_des_referents_familles,
        oui: (
            "centre_social_professionnels_distincts",
            "Centre social : les intervenants sont des professionnels distincts des référents \
             familles, ce qui évite les « doubles casquettes » et protège la confidentialité.",
        ),
        non: (
            "centre_social_professionnels_non_distincts",
            "Centre social non éligible : les intervenants ne sont pas distincts des référents \
             familles. Le recours à des professionnels distincts est obligatoire pour éviter les \
             « doubles casquettes » et les problèmes de confidentialité.",
        ),
        inconnu: (
            "centre_social_professionnels_a_verifier",
            "Centre social : à vérifier que les intervenants sont des professionnels distincts \
             des référents familles (condition obligatoire pour un centre social).",
        ),
    },
    ConditionCentreSocial {
        lire: |c| c.competences_complementaires_aux_referents_familles,
        oui: (
            "centre_social_competences_complementaires",
            "Centre social : les intervenants affichent des compétences complémentaires à \
             celles exigées des référents familles.",
        ),
        non: (
            "centre_social_competences_non_complementaires",
            "Centre social non éligible : les intervenants n'affichent pas de compétences \
             complémentaires à celles exigées des référents familles.",
        ),
        inconnu: (
            "centre_social_competences_a_verifier",
            "Centre social : à vérifier que les intervenants affichent des compétences \
             complémentaires à celles exigées des référents familles (condition obligatoire \
             pour un centre social).",
        ),
    },
    ConditionCentreSocial {
        lire: |c| c.espace_ecoute_distinct_de_l_accueil,
        oui: (
            "centre_social_espace_ecoute_distinct",
            "Centre social : l'espace d'écoute est matériellement distinct de l'accueil formel \
             ou informel du centre.",
        ),
        non: (
            "centre_social_espace_ecoute_non_distinct",
            "Centre social non éligible : l'espace d'écoute n'est pas distinct de l'accueil \
             formel ou informel du centre ; le centre doit pouvoir caractériser la matérialité \
             d'un espace d'écoute distinct.",
        ),
        inconnu: (
            "centre_social_espace_ecoute_a_verifier",
            "Centre social : à vérifier que l'espace d'écoute est matériellement distinct de \
             l'accueil formel ou informel du centre (condition obligatoire pour un centre social).",
        ),
    },
];

/// Référentiel national de financement de l'AIP, §II.2: a centre social must (a) call on
/// professionals distinct from its référents familles (no « double casquette »), (b) show
/// competences complementary to those required of référents familles, and (c) characterise a
/// listening space materially distinct from its formal or informal reception. Each condition is
/// its own finding; unknown conditions are warnings to check.
fn constats_centre_social(conditions: Option<ConditionsCentreSocial>) -> [Constat; 3] {
    CONDITIONS_CENTRE_SOCIAL.map(|condition| match conditions.map(|c| (condition.lire)(&c)) {
        Some(true) => Constat::eligible(condition.oui.0, SOURCE_II_2, condition.oui.1),
        Some(false) => Constat::non_eligible(condition.non.0, SOURCE_II_2, condition.non.1),
        None => Constat::avertissement(condition.inconnu.0, SOURCE_II_2, condition.inconnu.1),
    })
}

/// One commitment of the structure: its three outcomes and their messages.
struct Exigence {
    source: &'static str,
    /// Verdict when declared not met: non eligible for a condition, a warning for a quality
    /// requirement.
    si_non: Verdict,
    oui: (&'static str, &'static str),
    non: (&'static str, &'static str),
    inconnu: (&'static str, &'static str),
}

impl Exigence {
    fn constat(&self, valeur: Option<bool>) -> Constat {
        match valeur {
            Some(true) => Constat::eligible(self.oui.0, self.source, self.oui.1),
            Some(false) => Constat::new(self.si_non, self.non.0, self.source, self.non.1),
            None => Constat::avertissement(self.inconnu.0, self.source, self.inconnu.1),
        }
    }
}

/// The commitments of Référentiel national de financement de l'AIP, each with the structure's declaration.
///
/// - §I.3: comply with the GDPR; respect the Charte nationale du soutien à la parentalité.
/// - §I.4: apply the charte de la laïcité de la branche Famille.
/// - §II.1: offer both sessions by appointment and walk-in hours (« il s'agira de proposer ces
///   deux modalités »), each checked on its own; a financial participation that does not stop
///   families (modulated by income, or free).
/// - §II.2: guarantee that a professional with a private practice does not recruit clients.
/// - §IV.1: premises that allow confidential one-to-one meetings.
/// - §IV.2: belong to a network of local partners.
/// - §III.3: analyse de la pratique led by qualified people external to the structure.
///   **Interpretation**: analyse de la pratique is about the quality of the service, not the
///   eligibility of the structure (its volume is a warning in [`super::verifier_activite`]), so an
///   internal facilitator is a warning, not a refusal.
///
/// Every other commitment declared not met makes the structure non eligible; any commitment not
/// yet known is a warning « à vérifier ».
fn exigences(s: &StructureAip) -> [(Exigence, Option<bool>); 10] {
    [
        (
            Exigence {
                source: "Référentiel AIP §I.3",
                si_non: Verdict::NonEligible,
                oui: (
                    "rgpd_conforme",
                    "La structure déclare être en conformité avec le règlement général sur la \
                     protection des données (RGPD).",
                ),
                non: (
                    "rgpd_non_conforme",
                    "La structure n'est pas en conformité avec le RGPD : les structures retenues \
                     doivent s'y conformer pour protéger les données personnelles des personnes \
                     accompagnées.",
                ),
                inconnu: (
                    "rgpd_a_verifier",
                    "Conformité au RGPD non renseignée : à vérifier, les structures retenues \
                     doivent être en conformité avec le règlement général sur la protection des \
                     données.",
                ),
            },
            s.conforme_rgpd,
        ),
        (
            Exigence {
                source: "Référentiel AIP §I.3",
                si_non: Verdict::NonEligible,
                oui: (
                    "charte_parentalite_respectee",
                    "La structure s'engage à respecter la Charte nationale du soutien à la \
                     parentalité.",
                ),
                non: (
                    "charte_parentalite_non_respectee",
                    "La structure ne s'engage pas à respecter la Charte nationale du soutien à la \
                     parentalité, dont le respect est exigé.",
                ),
                inconnu: (
                    "charte_parentalite_a_verifier",
                    "Respect de la Charte nationale du soutien à la parentalité non renseigné : à \
                     vérifier, cette charte doit être respectée.",
                ),
            },
            s.respecte_charte_soutien_parentalite,
        ),
        (
            Exigence {
                source: "Référentiel AIP §I.4",
                si_non: Verdict::NonEligible,
                oui: (
                    "charte_laicite_appliquee",
                    "La structure applique les principes de la charte de la laïcité de la branche \
                     Famille.",
                ),
                non: (
                    "charte_laicite_non_appliquee",
                    "La structure n'applique pas la charte de la laïcité de la branche Famille : \
                     les structures retenues doivent en appliquer les principes.",
                ),
                inconnu: (
                    "charte_laicite_a_verifier",
                    "Application de la charte de la laïcité de la branche Famille non renseignée : \
                     à vérifier, les structures retenues doivent en appliquer les principes.",
                ),
            },
            s.applique_charte_laicite,
        ),
        (
            Exigence {
                source: "Référentiel AIP §IV.1",
                si_non: Verdict::NonEligible,
                oui: (
                    "locaux_confidentialite",
                    "Les locaux permettent des rencontres individuelles en toute confidentialité.",
                ),
                non: (
                    "locaux_sans_confidentialite",
                    "Les locaux ne permettent pas des rencontres individuelles en toute \
                     confidentialité, ce que le référentiel exige de leur organisation.",
                ),
                inconnu: (
                    "locaux_a_verifier",
                    "Locaux non renseignés : à vérifier que leur organisation permet des \
                     rencontres individuelles en toute confidentialité.",
                ),
            },
            s.locaux_permettant_confidentialite,
        ),
        (
            Exigence {
                source: SOURCE_II_1,
                si_non: Verdict::NonEligible,
                oui: (
                    "accueil_sur_rendez_vous",
                    "La structure propose des entretiens sur rendez-vous.",
                ),
                non: (
                    "accueil_sur_rendez_vous_absent",
                    "La structure ne propose pas d'entretiens sur rendez-vous : le référentiel \
                     demande de proposer à la fois des entretiens sur rendez-vous et une \
                     permanence sans rendez-vous, pour s'adapter au rythme des parents.",
                ),
                inconnu: (
                    "accueil_sur_rendez_vous_a_verifier",
                    "Entretiens sur rendez-vous non renseignés : à vérifier, la structure doit \
                     proposer à la fois des entretiens sur rendez-vous et une permanence sans \
                     rendez-vous.",
                ),
            },
            s.accueil_sur_rendez_vous,
        ),
        (
            Exigence {
                source: SOURCE_II_1,
                si_non: Verdict::NonEligible,
                oui: (
                    "permanence_sans_rendez_vous",
                    "La structure propose une permanence sans rendez-vous.",
                ),
                non: (
                    "permanence_sans_rendez_vous_absente",
                    "La structure ne propose pas de permanence sans rendez-vous : le référentiel \
                     demande de proposer à la fois des entretiens sur rendez-vous et une \
                     permanence sans rendez-vous, pour donner aux parents une réponse rapide en \
                     cas de besoin.",
                ),
                inconnu: (
                    "permanence_sans_rendez_vous_a_verifier",
                    "Permanence sans rendez-vous non renseignée : à vérifier, la structure doit \
                     proposer à la fois des entretiens sur rendez-vous et une permanence sans \
                     rendez-vous.",
                ),
            },
            s.permanence_sans_rendez_vous,
        ),
        (
            Exigence {
                source: SOURCE_II_1,
                si_non: Verdict::NonEligible,
                oui: (
                    "participation_familles_accessible",
                    "La participation financière des familles est modulée selon leurs ressources, \
                     voire gratuite.",
                ),
                non: (
                    "participation_familles_non_accessible",
                    "La participation financière des familles n'est ni modulée selon leurs \
                     ressources ni gratuite : elle ne doit pas être un frein, l'offre doit être \
                     accessible financièrement à tous les parents.",
                ),
                inconnu: (
                    "participation_familles_a_verifier",
                    "Participation financière des familles non renseignée : à vérifier qu'elle \
                     est modulée selon leurs ressources, voire gratuite.",
                ),
            },
            s.participation_familles_modulee_ou_gratuite,
        ),
        (
            Exigence {
                source: "Référentiel AIP §IV.2",
                si_non: Verdict::NonEligible,
                oui: (
                    "reseau_partenaires",
                    "La structure s'inscrit dans un réseau de partenaires locaux.",
                ),
                non: (
                    "reseau_partenaires_absent",
                    "La structure ne s'inscrit pas dans un réseau de partenaires locaux : le \
                     porteur de projet doit s'y inscrire pour orienter les parents de façon \
                     adaptée.",
                ),
                inconnu: (
                    "reseau_partenaires_a_verifier",
                    "Réseau de partenaires locaux non renseigné : à vérifier, le porteur de projet \
                     doit s'inscrire dans un réseau partenarial local.",
                ),
            },
            s.membre_reseau_partenaires_locaux,
        ),
        (
            Exigence {
                source: SOURCE_II_2,
                si_non: Verdict::NonEligible,
                oui: (
                    "absence_recrutement_clientele",
                    "La structure garantit qu'un professionnel ayant une activité libérale \
                     complémentaire ne recrute pas de clientèle ou de patientèle via le service.",
                ),
                non: (
                    "recrutement_clientele_non_garanti",
                    "La structure ne garantit pas qu'un professionnel ayant une activité libérale \
                     complémentaire ne recrute pas de clientèle ou de patientèle via le service, \
                     ce qu'elle doit garantir.",
                ),
                inconnu: (
                    "recrutement_clientele_a_verifier",
                    "Absence de recrutement de clientèle non renseignée : à vérifier que la \
                     structure garantit qu'un professionnel ayant une activité libérale ne recrute \
                     pas de clientèle ou de patientèle via le service.",
                ),
            },
            s.garantit_absence_recrutement_clientele,
        ),
        (
            Exigence {
                source: "Référentiel AIP §III.3",
                si_non: Verdict::Avertissement,
                oui: (
                    "analyse_pratique_exterieure",
                    "Les séances d'analyse de la pratique sont animées par des professionnels \
                     qualifiés extérieurs à la structure.",
                ),
                non: (
                    "analyse_pratique_non_exterieure",
                    "Les séances d'analyse de la pratique ne sont pas animées par des \
                     professionnels extérieurs à la structure, comme le référentiel l'attend.",
                ),
                inconnu: (
                    "analyse_pratique_exterieure_a_verifier",
                    "Animation de l'analyse de la pratique non renseignée : à vérifier qu'elle est \
                     assurée par des professionnels qualifiés extérieurs à la structure.",
                ),
            },
            s.analyse_pratique_par_intervenants_exterieurs,
        ),
    ]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A structure that meets every commitment.
    fn conforme(statut: StatutJuridique, activite: TypeActivite) -> StructureAip {
        StructureAip {
            centre_social: None,
            conforme_rgpd: Some(true),
            respecte_charte_soutien_parentalite: Some(true),
            applique_charte_laicite: Some(true),
            locaux_permettant_confidentialite: Some(true),
            accueil_sur_rendez_vous: Some(true),
            permanence_sans_rendez_vous: Some(true),
            participation_familles_modulee_ou_gratuite: Some(true),
            membre_reseau_partenaires_locaux: Some(true),
            garantit_absence_recrutement_clientele: Some(true),
            analyse_pratique_par_intervenants_exterieurs: Some(true),
            ..StructureAip::new(statut, activite)
        }
    }

    fn premier(rapport: &Rapport) -> &Constat {
        &rapport.constats[0]
    }

    #[test]
    fn statuts_eligibles() {
        for statut in [
            StatutJuridique::AssociationLoi1901,
            StatutJuridique::AssociationReconnueUtilitePublique {
                a_caractere_social_ou_sanitaire: true,
            },
            StatutJuridique::EtablissementSocialOuMedicoSocial,
            StatutJuridique::CollectiviteTerritoriale,
        ] {
            let r = verifier_structure(&conforme(statut.clone(), TypeActivite::Generaliste));
            assert_eq!(r.verdict(), Verdict::Eligible, "{statut:?}: {}", r.texte());
            let c = premier(&r);
            assert_eq!((c.code, c.verdict), ("statut_eligible", Verdict::Eligible));
            assert!(c.message.contains(statut.libelle()), "{}", c.message);
            assert_eq!(c.source, "Référentiel AIP §II.2");
            // every commitment gave a positive finding
            assert_eq!(r.constats.len(), 12);
        }
    }

    #[test]
    fn statut_autre_non_eligible() {
        let r = verifier_structure(&conforme(
            StatutJuridique::Autre("société commerciale".into()),
            TypeActivite::Generaliste,
        ));
        assert_eq!(r.verdict(), Verdict::NonEligible);
        let c = premier(&r);
        assert_eq!(
            (c.code, c.verdict),
            ("statut_non_eligible", Verdict::NonEligible)
        );
        assert!(
            c.message.contains("« société commerciale »"),
            "{}",
            c.message
        );
        assert!(c.message.contains("seuls sont éligibles"), "{}", c.message);
        let r = verifier_structure(&conforme(
            StatutJuridique::Autre(String::new()),
            TypeActivite::Generaliste,
        ));
        assert!(premier(&r).message.contains("« autre statut »"));
    }

    /// A recognised association is never less eligible than an ordinary one.
    #[test]
    fn association_rup_sans_caractere_social_eligible_comme_association() {
        let rup = verifier_structure(&conforme(
            StatutJuridique::AssociationReconnueUtilitePublique {
                a_caractere_social_ou_sanitaire: false,
            },
            TypeActivite::Generaliste,
        ));
        let ordinaire = verifier_structure(&conforme(
            StatutJuridique::AssociationLoi1901,
            TypeActivite::Generaliste,
        ));
        assert_eq!(rup.verdict(), ordinaire.verdict());
        assert_eq!(rup.verdict(), Verdict::Eligible);
        let c = premier(&rup);
        assert_eq!(c.code, "statut_rup_association");
        assert!(c.message.contains("comme toute association loi 1901"));
    }

    #[test]
    fn activites_exclues_quel_que_soit_le_statut() {
        for activite in [
            TypeActivite::Paej,
            TypeActivite::MaisonDesAdolescents,
            TypeActivite::ProgrammeReussiteEducative,
            TypeActivite::ServiceSpecialiseMedicoSocial,
        ] {
            assert!(activite.est_exclue());
            let r = verifier_structure(&conforme(
                StatutJuridique::AssociationLoi1901,
                activite.clone(),
            ));
            assert_eq!(r.verdict(), Verdict::NonEligible);
            let c = r.constat("activite_exclue").unwrap();
            assert_eq!(c.verdict, Verdict::NonEligible);
            assert!(c.message.contains(activite.libelle()), "{}", c.message);
            assert!(
                c.message.contains("quel que soit le statut"),
                "{}",
                c.message
            );
            assert!(
                c.message.contains("limité à une population"),
                "{}",
                c.message
            );
        }
    }

    #[test]
    fn activite_generaliste_eligible() {
        let r = verifier_structure(&conforme(
            StatutJuridique::CollectiviteTerritoriale,
            TypeActivite::Generaliste,
        ));
        let c = r.constat("activite_eligible").unwrap();
        assert_eq!(c.verdict, Verdict::Eligible);
        assert!(c.message.contains("activités exclues"));
        assert!(!TypeActivite::Generaliste.est_exclue());
    }

    #[test]
    fn activite_autre_a_verifier() {
        let r = verifier_structure(&conforme(
            StatutJuridique::AssociationLoi1901,
            TypeActivite::Autre("crèche parentale".into()),
        ));
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = r.constat("activite_a_verifier").unwrap();
        assert_eq!(c.verdict, Verdict::Avertissement);
        assert!(c.message.contains("« crèche parentale »"));
        assert!(c.message.contains("tous les parents"));
    }

    #[test]
    fn centre_social_trois_conditions_remplies() {
        let mut s = conforme(
            StatutJuridique::AssociationLoi1901,
            TypeActivite::CentreSocial,
        );
        s.centre_social = Some(ConditionsCentreSocial {
            professionnels_distincts_des_referents_familles: true,
            competences_complementaires_aux_referents_familles: true,
            espace_ecoute_distinct_de_l_accueil: true,
        });
        let r = verifier_structure(&s);
        assert_eq!(r.verdict(), Verdict::Eligible, "{}", r.texte());
        assert_eq!(
            r.codes()[1..5],
            [
                "activite_centre_social",
                "centre_social_professionnels_distincts",
                "centre_social_competences_complementaires",
                "centre_social_espace_ecoute_distinct",
            ]
        );
    }

    #[test]
    fn centre_social_chaque_condition_manquante_est_un_constat() {
        let mut s = conforme(
            StatutJuridique::AssociationLoi1901,
            TypeActivite::CentreSocial,
        );
        s.centre_social = Some(ConditionsCentreSocial {
            professionnels_distincts_des_referents_familles: false,
            competences_complementaires_aux_referents_familles: false,
            espace_ecoute_distinct_de_l_accueil: false,
        });
        let r = verifier_structure(&s);
        assert_eq!(r.verdict(), Verdict::NonEligible);
        assert_eq!(r.avec_verdict(Verdict::NonEligible).count(), 3);
        let c = r
            .constat("centre_social_competences_non_complementaires")
            .unwrap();
        assert!(c.message.contains("compétences complémentaires"));
        let c = r
            .constat("centre_social_professionnels_non_distincts")
            .unwrap();
        assert_eq!(c.verdict, Verdict::NonEligible);
        assert!(c.message.contains("référents familles"));
        assert!(c.message.contains("doubles casquettes"));
        let c = r
            .constat("centre_social_espace_ecoute_non_distinct")
            .unwrap();
        assert_eq!(c.verdict, Verdict::NonEligible);
        assert!(c.message.contains("distinct de l'accueil"));

        s.centre_social = Some(ConditionsCentreSocial {
            professionnels_distincts_des_referents_familles: true,
            competences_complementaires_aux_referents_familles: true,
            espace_ecoute_distinct_de_l_accueil: false,
        });
        let r = verifier_structure(&s);
        assert_eq!(r.avec_verdict(Verdict::NonEligible).count(), 1);
        assert!(
            r.constat("centre_social_espace_ecoute_non_distinct")
                .is_some()
        );
    }

    #[test]
    fn centre_social_conditions_inconnues() {
        let s = conforme(
            StatutJuridique::AssociationLoi1901,
            TypeActivite::CentreSocial,
        );
        let r = verifier_structure(&s);
        assert_eq!(r.verdict(), Verdict::Avertissement);
        for code in [
            "centre_social_professionnels_a_verifier",
            "centre_social_competences_a_verifier",
            "centre_social_espace_ecoute_a_verifier",
        ] {
            let c = r.constat(code).unwrap();
            assert_eq!(c.verdict, Verdict::Avertissement);
            assert!(c.message.contains("à vérifier"));
        }
    }

    #[test]
    fn conditions_centre_social_ignorees_hors_centre_social() {
        let mut s = conforme(
            StatutJuridique::AssociationLoi1901,
            TypeActivite::Generaliste,
        );
        s.centre_social = Some(ConditionsCentreSocial {
            professionnels_distincts_des_referents_familles: false,
            competences_complementaires_aux_referents_familles: false,
            espace_ecoute_distinct_de_l_accueil: false,
        });
        assert_eq!(verifier_structure(&s).verdict(), Verdict::Eligible);
    }

    #[test]
    fn engagements_non_tenus_et_inconnus() {
        // (setter, code when true, code when false, code when unknown, word the reason names)
        type Champ = fn(&mut StructureAip) -> &mut Option<bool>;
        let cas: [(Champ, &str, &str, &str, &str); 9] = [
            (
                |s| &mut s.conforme_rgpd,
                "rgpd_conforme",
                "rgpd_non_conforme",
                "rgpd_a_verifier",
                "RGPD",
            ),
            (
                |s| &mut s.respecte_charte_soutien_parentalite,
                "charte_parentalite_respectee",
                "charte_parentalite_non_respectee",
                "charte_parentalite_a_verifier",
                "Charte nationale du soutien à la parentalité",
            ),
            (
                |s| &mut s.applique_charte_laicite,
                "charte_laicite_appliquee",
                "charte_laicite_non_appliquee",
                "charte_laicite_a_verifier",
                "laïcité",
            ),
            (
                |s| &mut s.locaux_permettant_confidentialite,
                "locaux_confidentialite",
                "locaux_sans_confidentialite",
                "locaux_a_verifier",
                "confidentialité",
            ),
            (
                |s| &mut s.accueil_sur_rendez_vous,
                "accueil_sur_rendez_vous",
                "accueil_sur_rendez_vous_absent",
                "accueil_sur_rendez_vous_a_verifier",
                "sur rendez-vous",
            ),
            (
                |s| &mut s.permanence_sans_rendez_vous,
                "permanence_sans_rendez_vous",
                "permanence_sans_rendez_vous_absente",
                "permanence_sans_rendez_vous_a_verifier",
                "permanence sans rendez-vous",
            ),
            (
                |s| &mut s.participation_familles_modulee_ou_gratuite,
                "participation_familles_accessible",
                "participation_familles_non_accessible",
                "participation_familles_a_verifier",
                "ressources",
            ),
            (
                |s| &mut s.membre_reseau_partenaires_locaux,
                "reseau_partenaires",
                "reseau_partenaires_absent",
                "reseau_partenaires_a_verifier",
                "réseau",
            ),
            (
                |s| &mut s.garantit_absence_recrutement_clientele,
                "absence_recrutement_clientele",
                "recrutement_clientele_non_garanti",
                "recrutement_clientele_a_verifier",
                "clientèle",
            ),
        ];
        for (champ, oui, non, inconnu, raison) in cas {
            let base = conforme(
                StatutJuridique::AssociationLoi1901,
                TypeActivite::Generaliste,
            );
            let r = verifier_structure(&base);
            assert_eq!(
                r.constat(oui).map(|c| c.verdict),
                Some(Verdict::Eligible),
                "{oui}"
            );

            let mut s = base.clone();
            *champ(&mut s) = Some(false);
            let r = verifier_structure(&s);
            assert_eq!(r.verdict(), Verdict::NonEligible, "{non}");
            let c = r.constat(non).unwrap();
            assert_eq!(c.verdict, Verdict::NonEligible);
            assert!(c.message.contains(raison), "{}", c.message);
            assert!(r.constat(oui).is_none());

            let mut s = base;
            *champ(&mut s) = None;
            let r = verifier_structure(&s);
            assert_eq!(r.verdict(), Verdict::Avertissement, "{inconnu}");
            let c = r.constat(inconnu).unwrap();
            assert_eq!(c.verdict, Verdict::Avertissement);
            assert!(c.message.contains("à vérifier"), "{}", c.message);
        }
    }

    #[test]
    fn analyse_pratique_interne_est_un_avertissement() {
        let mut s = conforme(
            StatutJuridique::AssociationLoi1901,
            TypeActivite::Generaliste,
        );
        assert!(
            verifier_structure(&s)
                .constat("analyse_pratique_exterieure")
                .is_some()
        );
        s.analyse_pratique_par_intervenants_exterieurs = Some(false);
        let r = verifier_structure(&s);
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let c = r.constat("analyse_pratique_non_exterieure").unwrap();
        assert!(c.message.contains("extérieurs à la structure"));
        assert_eq!(c.source, "Référentiel AIP §III.3");
        s.analyse_pratique_par_intervenants_exterieurs = None;
        let r = verifier_structure(&s);
        assert!(
            r.constat("analyse_pratique_exterieure_a_verifier")
                .is_some()
        );
    }

    #[test]
    fn structure_nouvelle_tout_a_verifier() {
        let r = verifier_structure(&StructureAip::new(
            StatutJuridique::AssociationLoi1901,
            TypeActivite::Generaliste,
        ));
        assert_eq!(r.verdict(), Verdict::Avertissement);
        assert_eq!(r.avec_verdict(Verdict::Avertissement).count(), 10);
    }

    #[test]
    fn codes_et_libelles() {
        for s in StatutJuridique::TOUS {
            assert_eq!(StatutJuridique::depuis_code(s.code()), Some(s.clone()));
            assert!(!s.libelle().is_empty());
        }
        for t in TypeActivite::TOUS {
            assert_eq!(TypeActivite::depuis_code(t.code()), Some(t.clone()));
            assert!(!t.libelle().is_empty());
        }
        assert_eq!(StatutJuridique::depuis_code("sarl"), None);
        assert_eq!(TypeActivite::depuis_code("club"), None);
        assert_eq!(StatutJuridique::Autre(" SCIC ".into()).to_string(), "SCIC");
        assert_eq!(
            TypeActivite::Paej.to_string(),
            "point accueil écoute jeunes (PAEJ)"
        );
    }
}
