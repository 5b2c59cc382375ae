//! The common eligibility criteria of each scheme, shown on the comité's agenda, as data: each
//! criterion with the text it comes from, its paragraph and the words it rests on.
//!
//! Lettre circulaire Cnaf 2012-093, §43: « Pour plus de transparence et de lisibilité, des
//! critères d'éligibilité communs pourraient être définis pour chacun des dispositifs, chaque
//! financeur restant décisionnaire des financements qu'il accorde. »
//!
//! **Interpretation**: the circular leaves the criteria to be defined; the table holds those the
//! texts at hand state for each scheme (its aim, §11; the general character of the schemes, §34;
//! for the AIP, the référentiel's frame). They are shown to the comité as the common ground of
//! its examination; they decide nothing by themselves, and each funder keeps its own rules.

use crate::appel_a_projets::Dispositif;

/// The text and paragraph a criterion comes from, and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceCritere {
    /// The text's official title.
    pub texte: &'static str,
    pub paragraphe: &'static str,
    /// The words of the text the criterion rests on.
    pub citation: &'static str,
}

/// One common eligibility criterion of a scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Critere {
    /// The criterion as the comité reads it.
    pub libelle: &'static str,
    pub source: SourceCritere,
}

const CIRCULAIRE: &str = "Lettre circulaire Cnaf n° 2012-093";
const REFERENTIEL_AIP: &str = "Référentiel national de financement de l'AIP";

/// The criterion every scheme coordinated in the département shares (§34, quoting the décret
/// creating the comité national de soutien à la parentalité).
const GENERALISTE: Critere = Critere {
    libelle: "L'action a un caractère généraliste : elle s'adresse à l'ensemble des parents et s'appuie sur la valorisation de leurs compétences parentales.",
    source: SourceCritere {
        texte: CIRCULAIRE,
        paragraphe: "§34",
        citation: "pourvus d'un caractère généraliste, s'adressent à l'ensemble des parents et s'appuient sur la valorisation des compétences parentales",
    },
};

/// Each funder decides its own share: the plan says what is asked of each (§43).
const PLAN_PAR_FINANCEUR: Critere = Critere {
    libelle: "Le plan de financement indique ce qui est demandé à chaque financeur, chacun décidant de sa propre part.",
    source: SourceCritere {
        texte: CIRCULAIRE,
        paragraphe: "§43",
        citation: "chaque financeur restant décisionnaires des financements qu'il accorde",
    },
};

const REAAP: [Critere; 3] = [
    Critere {
        libelle: "L'action apporte un appui aux parents par la création et le renforcement des liens sociaux.",
        source: SourceCritere {
            texte: CIRCULAIRE,
            paragraphe: "§11",
            citation: "apporter un appui aux parents par la création et le renforcement des liens sociaux, dans le cadre des réseaux d'écoute, d'appui et d'accompagnement des parents (Reaap)",
        },
    },
    GENERALISTE,
    PLAN_PAR_FINANCEUR,
];

const CLAS: [Critere; 3] = [
    Critere {
        libelle: "L'action renforce le lien entre les familles et l'école et offre à l'enfant les ressources dont il a besoin pour développer ses compétences.",
        source: SourceCritere {
            texte: CIRCULAIRE,
            paragraphe: "§11",
            citation: "renforcer le lien entre les familles et l'école et offrir les ressources dont l'enfant a besoin pour développer ses compétences dans le cadre des contrats locaux d'accompagnement à la scolarité (Clas)",
        },
    },
    GENERALISTE,
    PLAN_PAR_FINANCEUR,
];

const LIEN_FAMILIAL: Critere = Critere {
    libelle: "L'action prévient la rupture du lien familial et favorise l'élaboration d'accords dans l'intérêt de l'enfant.",
    source: SourceCritere {
        texte: CIRCULAIRE,
        paragraphe: "§11",
        citation: "prévenir la rupture du lien familial et favoriser l'élaboration d'accords dans l'intérêt de l'enfant au moyen de la médiation familiale et des espaces rencontre",
    },
};

const MEDIATION: [Critere; 3] = [LIEN_FAMILIAL, GENERALISTE, PLAN_PAR_FINANCEUR];
const ESPACE_RENCONTRE: [Critere; 3] = [LIEN_FAMILIAL, GENERALISTE, PLAN_PAR_FINANCEUR];

const LAEP: [Critere; 3] = [
    Critere {
        libelle: "L'accueil favorise la qualité du lien d'attachement entre parents et enfants.",
        source: SourceCritere {
            texte: CIRCULAIRE,
            paragraphe: "§11",
            citation: "favoriser la qualité du lien d'attachement parents-enfants en s'appuyant sur les lieux d'accueil enfant parents (Laep)",
        },
    },
    GENERALISTE,
    PLAN_PAR_FINANCEUR,
];

/// The PIF and the parrainage de proximité: coordinated in the département (§33), the circular
/// states no aim of their own; the general criteria apply.
const GENERAUX: [Critere; 2] = [GENERALISTE, PLAN_PAR_FINANCEUR];

const AIP: [Critere; 3] = [
    Critere {
        libelle: "La structure est implantée dans l'un des dix départements de l'expérimentation.",
        source: SourceCritere {
            texte: REFERENTIEL_AIP,
            paragraphe: "préambule",
            citation: "Elle sera expérimentée sur dix départements sur la période 2024 et 2025.",
        },
    },
    Critere {
        libelle: "Le projet se déroule dans la période de l'expérimentation, 2024-2025.",
        source: SourceCritere {
            texte: REFERENTIEL_AIP,
            paragraphe: "§IV.4",
            citation: "La Cof est signée pour une durée qui correspond à la durée du projet de fonctionnement validé, qui ne peut excéder la période dédiée à l'expérimentation.",
        },
    },
    Critere {
        libelle: "Le projet porte sur au moins 0,25 ETP, le minimum que la Caf finance.",
        source: SourceCritere {
            texte: REFERENTIEL_AIP,
            paragraphe: "§V",
            citation: "Le socle minimum de financement par la Caf est de 0.25 Etp.",
        },
    },
];

/// The common eligibility criteria of `dispositif`, in the order the comité reads them.
pub fn criteres_communs(dispositif: Dispositif) -> &'static [Critere] {
    match dispositif {
        Dispositif::Aip => &AIP,
        Dispositif::Reaap => &REAAP,
        Dispositif::Clas => &CLAS,
        Dispositif::MediationFamiliale => &MEDIATION,
        Dispositif::EspaceRencontre => &ESPACE_RENCONTRE,
        Dispositif::Laep => &LAEP,
        Dispositif::Pif | Dispositif::ParrainageDeProximite => &GENERAUX,
    }
}
