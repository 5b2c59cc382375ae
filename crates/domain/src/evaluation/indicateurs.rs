//! The indicators of the AIP experiment's evaluation, fixed in advance as data (code, family,
//! French label, definition, unit, source paragraph), and their computation for each of the ten
//! départements and for the nation from the figures the platform holds: the activity recorded
//! (sessions, pseudonymous families), the means (FTE declared and notified, amounts paid as
//! stored), the offer (structures and places), and the parents' and partners' questionnaires.
//!
//! Sources: the Cnaf instruction « Expérimentation d'une nouvelle offre d'accompagnement
//! individuel de soutien à la parentalité - Mise en place d'une instance nationale (Cnaf - Caf) »
//! §2 (the target of 10 000 to 15 000 families) and §4 (evaluate the impact for the families and
//! the structures, the complementarity with the collective offer, a bilan for the Cas of the
//! Cnaf); the Référentiel national de financement de l'AIP §V (« L'activité cible se
//! déterminera en nombre d'entretiens effectués et en nombre de familles accompagnées »; the
//! indicators « permettront notamment d'apprécier les impacts au niveau des parents »).
//!
//! **Interpretation**: no text lists the indicators; the list below is the platform's, dated
//! ([`ARRETES_LE`]) and never changed once the figures are read: a change is a new dated list.
//! Every count of 1 to 4 (sessions, families, structures, answers) is masked, and so is every
//! ratio or share built on such a count, wherever the indicators are shown.

use serde::Serialize;
use time::Date;
use time::macros::date;

use crate::identifiants::CodeDepartement;

/// The day the list of indicators was fixed.
pub const ARRETES_LE: Date = date!(2026 - 12 - 06);

/// Counts under this (and above zero) are masked.
pub const SEUIL_SECRET: u64 = 5;

/// The lower bound of the experiment's target in families (Cnaf instruction « Expérimentation
/// d'une nouvelle offre d'accompagnement individuel de soutien à la parentalité - Mise en place
/// d'une instance nationale (Cnaf - Caf) » §2: « couvrir entre 10000 et 15000 familles au
/// total »).
pub const CIBLE_FAMILLES_BASSE: u64 = 10_000;
/// The upper bound of the same target (same paragraph).
pub const CIBLE_FAMILLES_HAUTE: u64 = 15_000;

/// The three families of indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Famille {
    Activite,
    Portee,
    Impact,
}

impl Famille {
    pub const TOUTES: [Famille; 3] = [Famille::Activite, Famille::Portee, Famille::Impact];

    pub fn code(self) -> &'static str {
        match self {
            Famille::Activite => "activite",
            Famille::Portee => "portee",
            Famille::Impact => "impact",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Famille::Activite => "Activité",
            Famille::Portee => "Portée",
            Famille::Impact => "Impact",
        }
    }
}

/// How a value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unite {
    Nombre,
    Pourcentage,
    /// A quotient of two figures (sessions per family).
    Ratio,
    Euros,
    /// Full-time equivalents prorated over the year.
    Etp,
}

impl Unite {
    pub fn code(self) -> &'static str {
        match self {
            Unite::Nombre => "nombre",
            Unite::Pourcentage => "pourcentage",
            Unite::Ratio => "ratio",
            Unite::Euros => "euros",
            Unite::Etp => "etp",
        }
    }
}

/// A figure an indicator is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grandeur {
    Entretiens,
    Familles,
    PremiersContacts,
    PremiersContactsSuivis,
    EntretiensOrientes,
    StructuresConventionnees,
    StructuresActives,
    Lieux,
    CommunesAvecLieu,
    PopulationCouverte,
    Population,
    EtpFinances,
    EtpNotifies,
    MontantsVerses,
    CibleBasse,
    CibleHaute,
    ReponsesParents,
    ParentsSatisfaits,
    ParentsRepondantsSatisfaction,
    ParentsCompetence,
    ParentsRepondantsCompetence,
    OrientationsSuivies,
    OrientationsProposees,
    ParentsRecommandent,
    ParentsRepondantsRecommandation,
    ReponsesPartenaires,
    PartenairesComplementarite,
    PartenairesRepondantsComplementarite,
}

impl Grandeur {
    /// The value of the figure; `None` when the platform does not hold it (no FTE declared, no
    /// questionnaire).
    fn valeur(self, d: &Donnees) -> Option<f64> {
        let i = d.impact.as_ref();
        let n = |x: u64| Some(x as f64);
        match self {
            Grandeur::Entretiens => n(d.entretiens),
            Grandeur::Familles => n(d.familles),
            Grandeur::PremiersContacts => n(d.premiers_contacts),
            Grandeur::PremiersContactsSuivis => n(d.premiers_contacts_suivis),
            Grandeur::EntretiensOrientes => n(d.entretiens_orientes),
            Grandeur::StructuresConventionnees => n(d.structures_conventionnees),
            Grandeur::StructuresActives => n(d.structures_actives),
            Grandeur::Lieux => n(d.lieux),
            Grandeur::CommunesAvecLieu => n(d.communes_avec_lieu),
            Grandeur::PopulationCouverte => n(d.population_couverte),
            Grandeur::Population => n(d.population),
            Grandeur::EtpFinances => d.etp_finances,
            Grandeur::EtpNotifies => d.etp_notifies,
            Grandeur::MontantsVerses => Some(d.verses_centimes as f64 / 100.0),
            Grandeur::CibleBasse => n(CIBLE_FAMILLES_BASSE),
            Grandeur::CibleHaute => n(CIBLE_FAMILLES_HAUTE),
            Grandeur::ReponsesParents => n(i?.reponses_parents?),
            Grandeur::ParentsSatisfaits => n(i?.satisfaction.oui),
            Grandeur::ParentsRepondantsSatisfaction => n(i?.satisfaction.repondants),
            Grandeur::ParentsCompetence => n(i?.competence.oui),
            Grandeur::ParentsRepondantsCompetence => n(i?.competence.repondants),
            Grandeur::OrientationsSuivies => n(i?.orientation_suivie.oui),
            Grandeur::OrientationsProposees => n(i?.orientation_suivie.repondants),
            Grandeur::ParentsRecommandent => n(i?.recommandation.oui),
            Grandeur::ParentsRepondantsRecommandation => n(i?.recommandation.repondants),
            Grandeur::ReponsesPartenaires => n(i?.reponses_partenaires?),
            Grandeur::PartenairesComplementarite => n(i?.complementarite.oui),
            Grandeur::PartenairesRepondantsComplementarite => n(i?.complementarite.repondants),
        }
    }

    /// Whether the questionnaires masked the figure already.
    fn masquee_a_la_source(self, d: &Donnees) -> bool {
        let Some(i) = &d.impact else { return false };
        match self {
            Grandeur::ReponsesParents => i.reponses_parents.is_none(),
            Grandeur::ReponsesPartenaires => i.reponses_partenaires.is_none(),
            Grandeur::ParentsSatisfaits | Grandeur::ParentsRepondantsSatisfaction => {
                i.satisfaction.masquee
            }
            Grandeur::ParentsCompetence | Grandeur::ParentsRepondantsCompetence => {
                i.competence.masquee
            }
            Grandeur::OrientationsSuivies | Grandeur::OrientationsProposees => {
                i.orientation_suivie.masquee
            }
            Grandeur::ParentsRecommandent | Grandeur::ParentsRepondantsRecommandation => {
                i.recommandation.masquee
            }
            Grandeur::PartenairesComplementarite
            | Grandeur::PartenairesRepondantsComplementarite => i.complementarite.masquee,
            _ => false,
        }
    }

    /// Whether the figure counts people, sessions or structures (what the secrecy rule looks
    /// at), as opposed to places, inhabitants, FTE, euros or a constant.
    fn est_un_effectif(self) -> bool {
        !matches!(
            self,
            Grandeur::Lieux
                | Grandeur::CommunesAvecLieu
                | Grandeur::PopulationCouverte
                | Grandeur::Population
                | Grandeur::EtpFinances
                | Grandeur::EtpNotifies
                | Grandeur::MontantsVerses
                | Grandeur::CibleBasse
                | Grandeur::CibleHaute
        )
    }
}

/// How an indicator is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Calcul {
    /// The figure itself.
    Valeur(Grandeur),
    /// numerator / denominator.
    Rapport(Grandeur, Grandeur),
    /// numerator / denominator × 100.
    Part(Grandeur, Grandeur),
}

/// An indicator, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Indicateur {
    pub code: &'static str,
    pub famille: Famille,
    pub libelle: &'static str,
    pub definition: &'static str,
    pub unite: Unite,
    pub calcul: Calcul,
    /// The text and paragraph it answers to.
    pub source: &'static str,
}

const INSTRUCTION_2: &str = "Instruction Cnaf « Expérimentation d'une nouvelle offre d'accompagnement individuel de soutien à la parentalité - Mise en place d'une instance nationale (Cnaf - Caf) » §2";
const INSTRUCTION_4: &str = "Instruction Cnaf « Expérimentation d'une nouvelle offre d'accompagnement individuel de soutien à la parentalité - Mise en place d'une instance nationale (Cnaf - Caf) » §4";
const REFERENTIEL_V: &str = "Référentiel national de financement de l'AIP §V";

/// The indicators, fixed on [`ARRETES_LE`], in display order.
pub const INDICATEURS: [Indicateur; 24] = [
    Indicateur {
        code: "entretiens",
        famille: Famille::Activite,
        libelle: "Entretiens tenus",
        definition: "Entretiens enregistrés dans l'année par les structures du territoire, toutes étapes confondues.",
        unite: Unite::Nombre,
        calcul: Calcul::Valeur(Grandeur::Entretiens),
        source: REFERENTIEL_V,
    },
    Indicateur {
        code: "familles_accompagnees",
        famille: Famille::Activite,
        libelle: "Familles accompagnées",
        definition: "Familles distinctes reçues dans l'année, comptées par structure puis additionnées (une famille reçue par deux structures compte deux fois).",
        unite: Unite::Nombre,
        calcul: Calcul::Valeur(Grandeur::Familles),
        source: REFERENTIEL_V,
    },
    Indicateur {
        code: "entretiens_par_famille",
        famille: Famille::Activite,
        libelle: "Entretiens par famille",
        definition: "Entretiens tenus divisés par les familles accompagnées.",
        unite: Unite::Ratio,
        calcul: Calcul::Rapport(Grandeur::Entretiens, Grandeur::Familles),
        source: REFERENTIEL_V,
    },
    Indicateur {
        code: "structures_conventionnees",
        famille: Famille::Activite,
        libelle: "Structures ouvertes",
        definition: "Structures dont un dossier AIP est validé.",
        unite: Unite::Nombre,
        calcul: Calcul::Valeur(Grandeur::StructuresConventionnees),
        source: INSTRUCTION_2,
    },
    Indicateur {
        code: "structures_actives",
        famille: Famille::Activite,
        libelle: "Structures ayant tenu des entretiens",
        definition: "Structures ayant enregistré au moins un entretien dans l'année.",
        unite: Unite::Nombre,
        calcul: Calcul::Valeur(Grandeur::StructuresActives),
        source: REFERENTIEL_V,
    },
    Indicateur {
        code: "lieux_ouverts",
        famille: Famille::Activite,
        libelle: "Lieux d'accueil ouverts",
        definition: "Lieux d'accueil déclarés par les structures dont un dossier AIP est validé.",
        unite: Unite::Nombre,
        calcul: Calcul::Valeur(Grandeur::Lieux),
        source: INSTRUCTION_2,
    },
    Indicateur {
        code: "etp_finances",
        famille: Famille::Activite,
        libelle: "ETP financés",
        definition: "ETP de la déclaration la plus avancée de chaque convention (réelle, sinon actualisée, sinon prévisionnelle), ou à défaut ETP notifiés, au prorata des mois de fonctionnement.",
        unite: Unite::Etp,
        calcul: Calcul::Valeur(Grandeur::EtpFinances),
        source: "Référentiel national de financement de l'AIP §VI.1",
    },
    Indicateur {
        code: "etp_notifies",
        famille: Famille::Activite,
        libelle: "ETP notifiés",
        definition: "ETP notifiés par les décisions valides en vigueur au 31 décembre de l'année (la plus récente de chaque dossier).",
        unite: Unite::Etp,
        calcul: Calcul::Valeur(Grandeur::EtpNotifies),
        source: "Référentiel national de financement de l'AIP §IV.3",
    },
    Indicateur {
        code: "part_etp_finances_notifies",
        famille: Famille::Activite,
        libelle: "ETP financés rapportés aux ETP notifiés",
        definition: "ETP financés divisés par les ETP notifiés, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(Grandeur::EtpFinances, Grandeur::EtpNotifies),
        source: "Référentiel national de financement de l'AIP §VI.1",
    },
    Indicateur {
        code: "montants_verses",
        famille: Famille::Activite,
        libelle: "Montants versés",
        definition: "Acomptes et soldes versés au titre de l'année, moins les indus, tels qu'enregistrés lors de chaque paiement.",
        unite: Unite::Euros,
        calcul: Calcul::Valeur(Grandeur::MontantsVerses),
        source: "Référentiel national de financement de l'AIP §VI.1",
    },
    Indicateur {
        code: "montant_verse_par_famille",
        famille: Famille::Activite,
        libelle: "Montant versé par famille accompagnée",
        definition: "Montants versés divisés par les familles accompagnées.",
        unite: Unite::Euros,
        calcul: Calcul::Rapport(Grandeur::MontantsVerses, Grandeur::Familles),
        source: INSTRUCTION_2,
    },
    Indicateur {
        code: "part_cible_basse",
        famille: Famille::Portee,
        libelle: "Part de la cible nationale basse (10 000 familles)",
        definition: "Familles accompagnées divisées par 10 000, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(Grandeur::Familles, Grandeur::CibleBasse),
        source: INSTRUCTION_2,
    },
    Indicateur {
        code: "part_cible_haute",
        famille: Famille::Portee,
        libelle: "Part de la cible nationale haute (15 000 familles)",
        definition: "Familles accompagnées divisées par 15 000, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(Grandeur::Familles, Grandeur::CibleHaute),
        source: INSTRUCTION_2,
    },
    Indicateur {
        code: "communes_avec_lieu",
        famille: Famille::Portee,
        libelle: "Communes ayant un lieu d'accueil",
        definition: "Communes du territoire où se trouve au moins un lieu d'accueil ouvert.",
        unite: Unite::Nombre,
        calcul: Calcul::Valeur(Grandeur::CommunesAvecLieu),
        source: INSTRUCTION_2,
    },
    Indicateur {
        code: "part_population_couverte",
        famille: Famille::Portee,
        libelle: "Part de la population vivant dans une commune ayant un lieu d'accueil",
        definition: "Population municipale des communes ayant un lieu d'accueil ouvert divisée par celle du territoire, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(Grandeur::PopulationCouverte, Grandeur::Population),
        source: INSTRUCTION_2,
    },
    Indicateur {
        code: "part_premiers_contacts_suivis",
        famille: Famille::Portee,
        libelle: "Part des premiers contacts suivis d'un accompagnement",
        definition: "Familles dont le premier contact de l'année a été suivi d'un entretien d'accompagnement ou de bilan, divisées par les familles ayant eu un premier contact, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(Grandeur::PremiersContactsSuivis, Grandeur::PremiersContacts),
        source: "Référentiel national de financement de l'AIP §II.3",
    },
    Indicateur {
        code: "part_entretiens_orientes",
        famille: Famille::Portee,
        libelle: "Part des entretiens avec une orientation vers un partenaire",
        definition: "Entretiens ayant donné lieu à au moins une orientation vers un partenaire du réseau, divisés par les entretiens tenus, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(Grandeur::EntretiensOrientes, Grandeur::Entretiens),
        source: "Référentiel national de financement de l'AIP §IV.2",
    },
    Indicateur {
        code: "reponses_parents",
        famille: Famille::Impact,
        libelle: "Réponses des parents au questionnaire",
        definition: "Questionnaires remplis par des parents dans l'année.",
        unite: Unite::Nombre,
        calcul: Calcul::Valeur(Grandeur::ReponsesParents),
        source: INSTRUCTION_4,
    },
    Indicateur {
        code: "part_parents_satisfaits",
        famille: Famille::Impact,
        libelle: "Part des parents satisfaits",
        definition: "Parents se disant satisfaits ou très satisfaits, divisés par les parents ayant répondu à cette question, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(
            Grandeur::ParentsSatisfaits,
            Grandeur::ParentsRepondantsSatisfaction,
        ),
        source: REFERENTIEL_V,
    },
    Indicateur {
        code: "part_parents_competence",
        famille: Famille::Impact,
        libelle: "Part des parents se sentant plus compétents",
        definition: "Parents disant se sentir plus à l'aise dans leur rôle de parent, divisés par les parents ayant répondu à cette question, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(
            Grandeur::ParentsCompetence,
            Grandeur::ParentsRepondantsCompetence,
        ),
        source: REFERENTIEL_V,
    },
    Indicateur {
        code: "part_orientations_suivies",
        famille: Famille::Impact,
        libelle: "Part des orientations suivies",
        definition: "Parents allés voir, ou prévoyant d'aller voir, le service vers lequel ils ont été orientés, divisés par les parents à qui une orientation a été proposée, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(
            Grandeur::OrientationsSuivies,
            Grandeur::OrientationsProposees,
        ),
        source: INSTRUCTION_4,
    },
    Indicateur {
        code: "part_parents_recommandent",
        famille: Famille::Impact,
        libelle: "Part des parents qui recommanderaient le service",
        definition: "Parents qui recommanderaient le service à un proche, divisés par les parents ayant répondu à cette question, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(
            Grandeur::ParentsRecommandent,
            Grandeur::ParentsRepondantsRecommandation,
        ),
        source: REFERENTIEL_V,
    },
    Indicateur {
        code: "reponses_partenaires",
        famille: Famille::Impact,
        libelle: "Réponses des partenaires au questionnaire",
        definition: "Questionnaires remplis par des partenaires dans l'année.",
        unite: Unite::Nombre,
        calcul: Calcul::Valeur(Grandeur::ReponsesPartenaires),
        source: INSTRUCTION_4,
    },
    Indicateur {
        code: "part_partenaires_complementarite",
        famille: Famille::Impact,
        libelle: "Part des partenaires jugeant l'offre complémentaire de l'offre collective",
        definition: "Partenaires jugeant l'accompagnement individuel complémentaire des actions collectives de soutien à la parentalité, divisés par les partenaires ayant répondu à cette question, en pourcentage.",
        unite: Unite::Pourcentage,
        calcul: Calcul::Part(
            Grandeur::PartenairesComplementarite,
            Grandeur::PartenairesRepondantsComplementarite,
        ),
        source: INSTRUCTION_4,
    },
];

/// The indicator of `code`.
pub fn indicateur(code: &str) -> Option<&'static Indicateur> {
    INDICATEURS.iter().find(|i| i.code == code)
}

/// Favourable answers among those who answered one question, as the questionnaires publish
/// them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Proportion {
    pub oui: u64,
    pub repondants: u64,
    /// Whether one of the counts behind it is masked by the questionnaires' own secrecy rule
    /// (which also protects totals): the share is then masked too.
    pub masquee: bool,
}

/// What the parents' and partners' questionnaires of a territory tell, counted. The territory's
/// results come already masked from the questionnaires (`crate::evaluation::questionnaire`):
/// the nation's are its own, never the sum of the départements'.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// `None` when masked.
    pub reponses_parents: Option<u64>,
    pub satisfaction: Proportion,
    pub competence: Proportion,
    pub orientation_suivie: Proportion,
    pub recommandation: Proportion,
    /// `None` when masked.
    pub reponses_partenaires: Option<u64>,
    pub complementarite: Proportion,
}

/// The figures of one territory and year the indicators are computed from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Donnees {
    pub entretiens: u64,
    /// Distinct families, counted by structure and summed.
    pub familles: u64,
    pub premiers_contacts: u64,
    pub premiers_contacts_suivis: u64,
    pub entretiens_orientes: u64,
    pub structures_actives: u64,
    pub structures_conventionnees: u64,
    pub lieux: u64,
    pub communes_avec_lieu: u64,
    pub population_couverte: u64,
    pub population: u64,
    /// FTE-years declared (else notified); `None` when no structure has any.
    pub etp_finances: Option<f64>,
    /// FTE notified in force at the end of the year; `None` when none was notified.
    pub etp_notifies: Option<f64>,
    /// Amounts paid for the year as stored, in cents.
    pub verses_centimes: i64,
    /// `None` when no questionnaire is collected yet.
    pub impact: Option<Impact>,
}

impl Donnees {
    /// Adds `autre` (a département) to these figures (the nation), but its questionnaires'
    /// results: the nation has its own.
    pub fn ajouter(&mut self, autre: &Donnees) {
        self.entretiens += autre.entretiens;
        self.familles += autre.familles;
        self.premiers_contacts += autre.premiers_contacts;
        self.premiers_contacts_suivis += autre.premiers_contacts_suivis;
        self.entretiens_orientes += autre.entretiens_orientes;
        self.structures_actives += autre.structures_actives;
        self.structures_conventionnees += autre.structures_conventionnees;
        self.lieux += autre.lieux;
        self.communes_avec_lieu += autre.communes_avec_lieu;
        self.population_couverte += autre.population_couverte;
        self.population += autre.population;
        for (total, part) in [
            (&mut self.etp_finances, autre.etp_finances),
            (&mut self.etp_notifies, autre.etp_notifies),
        ] {
            if let Some(p) = part {
                *total.get_or_insert(0.0) += p;
            }
        }
        self.verses_centimes += autre.verses_centimes;
    }
}

/// An indicator's value for one territory.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Valeur {
    pub code: &'static str,
    /// `None` when masked, or when a figure is missing or the denominator is zero.
    pub valeur: Option<f64>,
    /// Masked by the secrecy rule (a count of 1 to 4 behind it).
    pub masquee: bool,
}

/// Whether a count must be masked: 1 to 4.
pub fn secret(compte: u64) -> bool {
    (1..SEUIL_SECRET).contains(&compte)
}

fn valeur(i: &Indicateur, d: &Donnees) -> Valeur {
    let (grandeurs, brute) = match i.calcul {
        Calcul::Valeur(g) => (vec![g], g.valeur(d)),
        Calcul::Rapport(n, q) | Calcul::Part(n, q) => {
            let facteur = if matches!(i.calcul, Calcul::Part(..)) {
                100.0
            } else {
                1.0
            };
            let v = match (n.valeur(d), q.valeur(d)) {
                (Some(a), Some(b)) if b != 0.0 => Some(a / b * facteur),
                _ => None,
            };
            (vec![n, q], v)
        }
    };
    let masquee = grandeurs.iter().any(|g| {
        g.masquee_a_la_source(d)
            || (g.est_un_effectif()
                && g.valeur(d)
                    .is_some_and(|v| v >= 0.0 && secret(v.round() as u64)))
    });
    Valeur {
        code: i.code,
        valeur: if masquee { None } else { brute },
        masquee,
    }
}

/// A territory's indicators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Territoire {
    /// `None` for the nation.
    pub departement: Option<CodeDepartement>,
    pub nom: String,
    pub donnees: Donnees,
    /// One per indicator, in the order of [`INDICATEURS`].
    pub valeurs: Vec<Valeur>,
}

impl Territoire {
    pub fn valeur(&self, code: &str) -> Option<&Valeur> {
        self.valeurs.iter().find(|v| v.code == code)
    }
}

/// Every indicator of a territory.
pub fn evaluer(departement: Option<CodeDepartement>, nom: String, donnees: Donnees) -> Territoire {
    Territoire {
        valeurs: INDICATEURS.iter().map(|i| valeur(i, &donnees)).collect(),
        departement,
        nom,
        donnees,
    }
}

/// The evaluation of a year: each département, then the nation (their sum).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub exercice: i32,
    #[serde(with = "crate::serde_dates::date")]
    pub indicateurs_arretes_le: Date,
    pub departements: Vec<Territoire>,
    pub nation: Territoire,
}

/// The evaluation of `exercice` from each département's figures (name and data) and the
/// nation's questionnaire results.
pub fn evaluation(
    exercice: i32,
    departements: Vec<(CodeDepartement, String, Donnees)>,
    impact_nation: Option<Impact>,
) -> Evaluation {
    let mut total = Donnees {
        impact: impact_nation,
        ..Donnees::default()
    };
    let departements: Vec<Territoire> = departements
        .into_iter()
        .map(|(code, nom, d)| {
            total.ajouter(&d);
            evaluer(Some(code), nom, d)
        })
        .collect();
    Evaluation {
        exercice,
        indicateurs_arretes_le: ARRETES_LE,
        departements,
        nation: evaluer(None, "France (dix départements)".to_owned(), total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> CodeDepartement {
        CodeDepartement::parse(c).unwrap()
    }

    fn proportion(oui: u64, repondants: u64) -> Proportion {
        Proportion {
            oui,
            repondants,
            masquee: false,
        }
    }

    fn isere() -> Donnees {
        Donnees {
            entretiens: 600,
            familles: 150,
            premiers_contacts: 120,
            premiers_contacts_suivis: 90,
            entretiens_orientes: 60,
            structures_actives: 3,
            structures_conventionnees: 4,
            lieux: 6,
            communes_avec_lieu: 5,
            population_couverte: 250_000,
            population: 1_000_000,
            etp_finances: Some(1.5),
            etp_notifies: Some(2.0),
            verses_centimes: 7_920_000,
            impact: Some(Impact {
                reponses_parents: Some(40),
                satisfaction: proportion(36, 40),
                competence: proportion(30, 40),
                orientation_suivie: proportion(3, 10),
                recommandation: Proportion {
                    masquee: true,
                    ..proportion(38, 40)
                },
                reponses_partenaires: None,
                complementarite: proportion(4, 4),
            }),
        }
    }

    fn v(t: &Territoire, code: &str) -> Option<f64> {
        t.valeur(code).unwrap().valeur
    }

    #[test]
    fn liste_fixee() {
        assert_eq!(INDICATEURS.len(), 24);
        let codes: std::collections::BTreeSet<_> = INDICATEURS.iter().map(|i| i.code).collect();
        assert_eq!(codes.len(), INDICATEURS.len(), "codes uniques");
        for f in Famille::TOUTES {
            assert!(INDICATEURS.iter().any(|i| i.famille == f));
        }
        assert!(
            INDICATEURS
                .iter()
                .all(|i| !i.definition.is_empty() && !i.source.is_empty())
        );
    }

    #[test]
    fn valeurs_calculees_a_la_main() {
        let t = evaluer(Some(code("38")), "Isère".into(), isere());
        assert_eq!(v(&t, "entretiens"), Some(600.0));
        assert_eq!(v(&t, "familles_accompagnees"), Some(150.0));
        // 600 / 150 = 4
        assert_eq!(v(&t, "entretiens_par_famille"), Some(4.0));
        // 3 structures: a count under 5, masked
        assert_eq!(v(&t, "structures_actives"), None);
        assert!(t.valeur("structures_actives").unwrap().masquee);
        // 1.5 / 2 × 100 = 75 %
        assert_eq!(v(&t, "part_etp_finances_notifies"), Some(75.0));
        // 79 200 € / 150 = 528 €
        assert_eq!(v(&t, "montants_verses"), Some(79_200.0));
        assert_eq!(v(&t, "montant_verse_par_famille"), Some(528.0));
        // 150 / 10 000 = 1.5 %; 150 / 15 000 = 1 %
        assert_eq!(v(&t, "part_cible_basse"), Some(1.5));
        assert_eq!(v(&t, "part_cible_haute"), Some(1.0));
        // places are not people: 6 places and 5 communes are shown
        assert_eq!(v(&t, "lieux_ouverts"), Some(6.0));
        assert_eq!(v(&t, "part_population_couverte"), Some(25.0));
        assert_eq!(v(&t, "part_premiers_contacts_suivis"), Some(75.0));
        assert_eq!(v(&t, "part_entretiens_orientes"), Some(10.0));
        // 36 / 40 = 90 %, 30 / 40 = 75 %
        assert_eq!(v(&t, "part_parents_satisfaits"), Some(90.0));
        assert_eq!(v(&t, "part_parents_competence"), Some(75.0));
        // masked by the questionnaires: masked here too, though 38 and 40 are large
        assert_eq!(v(&t, "part_parents_recommandent"), None);
        assert!(t.valeur("part_parents_recommandent").unwrap().masquee);
        // 3 orientations followed out of 10: the 3 is masked
        assert_eq!(v(&t, "part_orientations_suivies"), None);
        // the partners' answers are masked, and so is their share (4 of 4)
        assert_eq!(v(&t, "reponses_partenaires"), None);
        assert!(t.valeur("reponses_partenaires").unwrap().masquee);
        assert_eq!(v(&t, "part_partenaires_complementarite"), None);
    }

    #[test]
    fn nation_somme_des_departements() {
        let gard = Donnees {
            entretiens: 300,
            familles: 50,
            structures_actives: 2,
            etp_finances: None,
            etp_notifies: Some(1.0),
            verses_centimes: 2_080_000,
            impact: None,
            ..Donnees::default()
        };
        let impact_nation = Impact {
            reponses_parents: Some(55),
            ..Impact::default()
        };
        let e = evaluation(
            2025,
            vec![
                (code("38"), "Isère".into(), isere()),
                (code("30"), "Gard".into(), gard),
            ],
            Some(impact_nation),
        );
        assert_eq!(e.departements.len(), 2);
        let n = &e.nation;
        assert_eq!(v(n, "entretiens"), Some(900.0));
        assert_eq!(v(n, "familles_accompagnees"), Some(200.0));
        // 900 / 200 = 4.5
        assert_eq!(v(n, "entretiens_par_famille"), Some(4.5));
        // 3 + 2 structures: 5, shown at the national level
        assert_eq!(v(n, "structures_actives"), Some(5.0));
        // 1.5 FTE financed over 3 notified: 50 %
        assert_eq!(v(n, "part_etp_finances_notifies"), Some(50.0));
        // (79 200 + 20 800) / 200 = 500 €
        assert_eq!(v(n, "montant_verse_par_famille"), Some(500.0));
        assert_eq!(v(n, "part_cible_basse"), Some(2.0));
        // the nation's questionnaire results are its own, not the sum of the départements'
        assert_eq!(v(n, "reponses_parents"), Some(55.0));
        assert_eq!(v(n, "part_parents_satisfaits"), None);
        let gard = &e.departements[1];
        assert_eq!(v(gard, "etp_finances"), None);
        assert!(!gard.valeur("etp_finances").unwrap().masquee);
        assert_eq!(v(gard, "reponses_parents"), None);
        assert_eq!(v(gard, "entretiens_par_famille"), Some(6.0));
    }

    #[test]
    fn zero_affiche_un_a_quatre_masques() {
        assert!(!secret(0));
        assert!(secret(1) && secret(4));
        assert!(!secret(5));
        let t = evaluer(None, "x".into(), Donnees::default());
        assert_eq!(v(&t, "entretiens"), Some(0.0));
        assert_eq!(v(&t, "entretiens_par_famille"), None);
        assert!(!t.valeur("entretiens_par_famille").unwrap().masquee);
        let quatre = Donnees {
            entretiens: 9,
            familles: 4,
            ..Donnees::default()
        };
        let t = evaluer(None, "x".into(), quatre);
        assert_eq!(v(&t, "entretiens"), Some(9.0));
        assert_eq!(v(&t, "familles_accompagnees"), None);
        assert_eq!(v(&t, "entretiens_par_famille"), None);
        assert_eq!(v(&t, "part_cible_basse"), None);
    }
}
