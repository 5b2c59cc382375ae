//! The departmental coordination instance and the two shapes the texts give it: the single
//! instance of the Lettre circulaire Cnaf 2012-093 (political, strategic and technical levels, or
//! at first one annual meeting of all partners) and, since 1 March 2022, the comité
//! départemental des services aux familles (CASF art. L.214-5 and D.214-1). The shape is
//! configuration: the same records serve both, and the shape's rules (levels, at most 37
//! members, mandates of 6 years, three vice-presidents) come from [`FormeInstance::regles`].

use serde::{Deserialize, Serialize};
use time::Date;

use crate::acces::{Acteur, exiger_agent_caf};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::identifiants::{CodeDepartement, InstanceId};
use crate::refus::Refus;
use crate::texte::vide;

/// Refuses `action` to anyone but the Cnaf, which pilots the national instance (Instruction Cnaf
/// It 2023-131 §4, « un groupe de travail piloté par la Cnaf »).
pub fn exiger_pilote_national(acteur: &Acteur, action: &'static str) -> Result<(), Refus> {
    if acteur.role == crate::Role::Cnaf {
        Ok(())
    } else {
        Err(Refus::Role {
            action,
            reservee_a: "à la Cnaf, qui pilote l'instance nationale",
            role: acteur.role,
        })
    }
}

/// The shape of the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormeInstance {
    /// Lettre circulaire Cnaf 2012-093 §31 and §4: « une instance unique », chaired by the préfet
    /// and vice-chaired by the president of the Caf's board, with « un échelon politique », « une
    /// instance stratégique » and « une ou des instances techniques », or at first « une réunion
    /// annuelle avec tous les partenaires ».
    Circulaire2012,
    /// CASF art. L.214-5 and D.214-1 (ordonnance n° 2021-611, décret n° 2021-1644): the comité
    /// départemental des services aux familles, chaired by the préfet with three vice-presidents,
    /// its secretariat by the Caf, at most 37 members named for six years; it adopts the schéma
    /// départemental des services aux familles for six years.
    Cdsf,
    /// Instruction Cnaf It 2023-131 « Expérimentation d'une nouvelle offre d'accompagnement
    /// individuel de soutien à la parentalité - Mise en place d'une instance nationale (Cnaf -
    /// Caf) » §3, §4 and §6: the national instance of the AIP experiment, « piloté par la Cnaf
    /// avec l'appui de la Caf de l'Isère », made of the référents parentalité of the Caf of the
    /// experiment, with thematic working groups. Its record's `departement` is the co-piloting
    /// Caf's (Isère); it belongs to no département.
    NationaleAip,
}

/// The département of the Caf that co-pilots the national instance (Instruction Cnaf It
/// 2023-131 §4, « avec l'appui de la Caf de l'Isère »).
pub const DEPARTEMENT_COPILOTE: &str = "38";

/// A level of the instance: the séances of each level convene its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Niveau {
    /// Lettre circulaire Cnaf 2012-093 §4, « un échelon politique »; the CDSF's plenary.
    Politique,
    /// §4, « une instance stratégique ».
    Strategique,
    /// §4, « une ou des instances techniques ».
    Technique,
    /// §4, « une réunion annuelle avec tous les partenaires », where the levels are not set up.
    ReunionAnnuelle,
    /// A working group, thematic or territorial: its séances convene its own members.
    GroupeDeTravail,
    /// The plenary séance of the national instance (Instruction Cnaf It 2023-131 §6: « ce
    /// groupe national serait composé des 10 référents parentalité Caf »).
    Pleniere,
}

impl Niveau {
    pub const TOUS: [Niveau; 6] = [
        Niveau::Politique,
        Niveau::Strategique,
        Niveau::Technique,
        Niveau::ReunionAnnuelle,
        Niveau::GroupeDeTravail,
        Niveau::Pleniere,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Niveau::Politique => "politique",
            Niveau::Strategique => "strategique",
            Niveau::Technique => "technique",
            Niveau::ReunionAnnuelle => "reunion_annuelle",
            Niveau::GroupeDeTravail => "groupe_de_travail",
            Niveau::Pleniere => "pleniere",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Niveau> {
        Niveau::TOUS.into_iter().find(|n| n.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Niveau::Politique => "niveau politique (plénière)",
            Niveau::Strategique => "niveau stratégique",
            Niveau::Technique => "niveau technique",
            Niveau::ReunionAnnuelle => "réunion annuelle des partenaires",
            Niveau::GroupeDeTravail => "groupe de travail",
            Niveau::Pleniere => "séance plénière",
        }
    }
}

/// The rules a shape sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReglesInstance {
    /// The levels a séance may belong to.
    pub niveaux: &'static [Niveau],
    /// The most members (président, vice-presidents and members; the secretariat and guests
    /// are not members), when the shape sets one.
    pub membres_max: Option<usize>,
    /// The most vice-presidents.
    pub vice_presidents_max: usize,
    /// The longest mandate, in years, when the shape sets one.
    pub mandat_max_ans: Option<i32>,
    /// The name the instance goes by.
    pub appellation: &'static str,
}

impl FormeInstance {
    pub fn code(self) -> &'static str {
        match self {
            FormeInstance::Circulaire2012 => "circulaire_2012",
            FormeInstance::Cdsf => "cdsf",
            FormeInstance::NationaleAip => "nationale_aip",
        }
    }

    pub fn depuis_code(code: &str) -> Option<FormeInstance> {
        [
            FormeInstance::Circulaire2012,
            FormeInstance::Cdsf,
            FormeInstance::NationaleAip,
        ]
        .into_iter()
        .find(|f| f.code() == code)
    }

    /// Whether the shape is a département's (the national instance's is not).
    pub fn departementale(self) -> bool {
        self != FormeInstance::NationaleAip
    }

    pub fn libelle(self) -> &'static str {
        self.regles().appellation
    }

    /// The shape's rules.
    ///
    /// - Circulaire: Lettre circulaire Cnaf 2012-093 §31 (the Caf vice-chairs) and §4 (three
    ///   levels or one annual meeting). **Interpretation**: the circular sets no number of
    ///   members nor length of mandate, and names one vice-presidency (the Caf's); two are
    ///   allowed so that a département that also gives one to its conseil départemental can
    ///   record it.
    /// - CDSF: CASF art. D.214-1: three vice-presidents, at most 37 members, named for six years;
    ///   its plenary is its political level, its commissions its technical levels.
    pub fn regles(self) -> ReglesInstance {
        match self {
            FormeInstance::Circulaire2012 => ReglesInstance {
                niveaux: &[
                    Niveau::Politique,
                    Niveau::Strategique,
                    Niveau::Technique,
                    Niveau::ReunionAnnuelle,
                    Niveau::GroupeDeTravail,
                ],
                membres_max: None,
                vice_presidents_max: 2,
                mandat_max_ans: None,
                appellation: "instance départementale de coordination des dispositifs de soutien à la parentalité",
            },
            FormeInstance::Cdsf => ReglesInstance {
                niveaux: &[
                    Niveau::Politique,
                    Niveau::Technique,
                    Niveau::GroupeDeTravail,
                ],
                membres_max: Some(37),
                vice_presidents_max: 3,
                mandat_max_ans: Some(6),
                appellation: "comité départemental des services aux familles",
            },
            // Instruction Cnaf It 2023-131 §4 and §6. **Interpretation**: the Cnaf chairs
            // (président), the Caf de l'Isère co-pilots (one vice-presidency), the référents sit
            // as members and the Cnaf's services as guests (§3 « pourront être associés »); the
            // instruction sets no number of members nor mandate.
            FormeInstance::NationaleAip => ReglesInstance {
                niveaux: &[Niveau::Pleniere, Niveau::GroupeDeTravail],
                membres_max: None,
                vice_presidents_max: 1,
                mandat_max_ans: None,
                appellation: "instance nationale de l'expérimentation de l'accompagnement individuel à la parentalité",
            },
        }
    }
}

/// A working group of the instance, thematic or territorial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupeDeTravail {
    pub nom: String,
    /// True for a territorial group (an EPCI, a part of the département), false for a thematic one.
    pub territorial: bool,
}

/// The schéma départemental des services aux familles the CDSF adopted, for six years (CASF art.
/// L.214-5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    #[serde(with = "crate::serde_dates::date")]
    pub debut: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub fin: Date,
}

/// The instance of one département.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: InstanceId,
    pub departement: CodeDepartement,
    pub forme: FormeInstance,
    /// The e-mail address of its secretariat (the Caf's), organiser of its séances.
    pub secretariat: crate::identifiants::Email,
    pub groupes: Vec<GroupeDeTravail>,
    pub schema: Option<Schema>,
}

/// What the secretariat enters to set the instance up or change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaisieInstance {
    pub forme: FormeInstance,
    pub secretariat: String,
    pub groupes: Vec<GroupeDeTravail>,
    pub schema: Option<Schema>,
}

const ACTION_INSTANCE: &str = "Configurer l'instance";

impl SaisieInstance {
    fn verifier(&self) -> Result<crate::identifiants::Email, Refus> {
        let mut refus = Vec::new();
        let email = match crate::identifiants::Email::parse(&self.secretariat) {
            Ok(e) => Some(e),
            Err(e) => {
                refus.push(Refus::sur_champ(
                    ACTION_INSTANCE,
                    "secretariat",
                    e.to_string(),
                ));
                None
            }
        };
        for g in &self.groupes {
            if vide(&g.nom) {
                refus.push(Refus::sur_champ(
                    ACTION_INSTANCE,
                    "groupes",
                    "un groupe de travail sans nom",
                ));
            } else if let Err(e) =
                crate::texte::controler(ACTION_INSTANCE, "groupes", &g.nom, false)
            {
                refus.push(e);
            }
        }
        if let Some(s) = &self.schema {
            if s.fin <= s.debut {
                refus.push(Refus::sur_champ(
                    ACTION_INSTANCE,
                    "schema_fin",
                    "le schéma finit après son début",
                ));
            } else if s.fin > s.debut.replace_year(s.debut.year() + 6).unwrap_or(s.fin) {
                refus.push(Refus::sur_champ(
                    ACTION_INSTANCE,
                    "schema_fin",
                    "le schéma départemental des services aux familles est adopté pour six ans au plus (CASF art. L.214-5)",
                ));
            }
        }
        Refus::ensemble(ACTION_INSTANCE, refus)?;
        email.ok_or_else(|| Refus::invalide(ACTION_INSTANCE, "adresse du secrétariat"))
    }
}

impl Instance {
    /// Sets up the instance of `departement`: by a Caf agent of that département, whose Caf holds
    /// the secretariat (CASF art. D.214-1; Lettre circulaire Cnaf 2012-093 §41).
    pub fn creer(
        acteur: &Acteur,
        id: InstanceId,
        departement: CodeDepartement,
        saisie: SaisieInstance,
        quand: time::OffsetDateTime,
    ) -> Result<Transition<Instance>, Refus> {
        exiger_agent_caf(acteur, ACTION_INSTANCE, departement)?;
        if !saisie.forme.departementale() {
            return Err(Refus::sur_champ(
                ACTION_INSTANCE,
                "forme",
                "l'instance nationale n'est pas celle d'un département",
            ));
        }
        let secretariat = saisie.verifier()?;
        let instance = Instance {
            id,
            departement,
            forme: saisie.forme,
            secretariat,
            groupes: saisie.groupes,
            schema: saisie.schema,
        };
        let audit = Audit::nouveau(
            TypeEntite::Instance,
            id.0,
            "creer",
            acteur,
            quand,
            format!(
                "Instance du département {departement} configurée ({})",
                instance.forme.libelle()
            ),
        );
        Ok(Transition {
            apres: instance,
            audit,
        })
    }

    /// Changes the shape, the secretariat's address, the groups or the schéma.
    pub fn configurer(
        &self,
        acteur: &Acteur,
        saisie: SaisieInstance,
        quand: time::OffsetDateTime,
    ) -> Result<Transition<Instance>, Refus> {
        if self.forme.departementale() {
            exiger_agent_caf(acteur, ACTION_INSTANCE, self.departement)?;
        } else {
            exiger_pilote_national(acteur, ACTION_INSTANCE)?;
        }
        if saisie.forme.departementale() != self.forme.departementale() {
            return Err(Refus::sur_champ(
                ACTION_INSTANCE,
                "forme",
                "une instance départementale ne devient pas l'instance nationale, ni l'inverse",
            ));
        }
        let secretariat = saisie.verifier()?;
        let apres = Instance {
            forme: saisie.forme,
            secretariat,
            groupes: saisie.groupes,
            schema: saisie.schema,
            ..self.clone()
        };
        let audit = Audit::nouveau(
            TypeEntite::Instance,
            self.id.0,
            "configurer",
            acteur,
            quand,
            "Configuration de l'instance modifiée",
        )
        .changement(
            "forme",
            Some(self.forme.code().to_owned()),
            Some(apres.forme.code().to_owned()),
        );
        Ok(Transition { apres, audit })
    }

    /// Sets up the national instance of the AIP experiment: by the Cnaf, which pilots it
    /// (Instruction Cnaf It 2023-131 §4); its secretariat's address is the Cnaf's.
    pub fn creer_nationale(
        acteur: &Acteur,
        id: InstanceId,
        saisie: SaisieInstance,
        quand: time::OffsetDateTime,
    ) -> Result<Transition<Instance>, Refus> {
        exiger_pilote_national(acteur, ACTION_INSTANCE)?;
        let secretariat = saisie.verifier()?;
        let departement = CodeDepartement::parse(DEPARTEMENT_COPILOTE)
            .map_err(|e| Refus::invalide(ACTION_INSTANCE, e.to_string()))?;
        let instance = Instance {
            id,
            departement,
            forme: FormeInstance::NationaleAip,
            secretariat,
            groupes: saisie.groupes,
            schema: None,
        };
        let audit = Audit::nouveau(
            TypeEntite::Instance,
            id.0,
            "creer",
            acteur,
            quand,
            "Instance nationale de l'expérimentation configurée",
        );
        Ok(Transition {
            apres: instance,
            audit,
        })
    }

    /// Whether `acteur` holds the secretariat, which plans and convenes the séances and writes
    /// their minutes: a Caf agent of the département; for the national instance the Cnaf, which
    /// pilots it, and the agents of the Caf de l'Isère, which co-pilots it (Instruction Cnaf It
    /// 2023-131 §4).
    pub fn tient_le_secretariat(&self, acteur: &Acteur) -> bool {
        match self.forme {
            FormeInstance::NationaleAip => {
                acteur.role == crate::Role::Cnaf
                    || (acteur.role == crate::Role::Caf
                        && acteur.departements.contains(&self.departement))
            }
            _ => acteur.role == crate::Role::Caf && acteur.departements.contains(&self.departement),
        }
    }

    /// Refuses `action` to anyone but the secretariat ([`Instance::tient_le_secretariat`]).
    pub fn exiger_secretariat(&self, acteur: &Acteur, action: &'static str) -> Result<(), Refus> {
        if self.forme.departementale() {
            return exiger_agent_caf(acteur, action, self.departement);
        }
        if self.tient_le_secretariat(acteur) {
            Ok(())
        } else {
            Err(Refus::Role {
                action,
                reservee_a: "à la Cnaf et à la Caf de l'Isère, qui pilotent l'instance nationale",
                role: acteur.role,
            })
        }
    }

    /// The instance's name as people read it (« comité départemental des services aux familles
    /// de l'Isère »).
    pub fn appellation(&self) -> String {
        if !self.forme.departementale() {
            return self.forme.libelle().to_owned();
        }
        let nom = crate::territoire::departement(self.departement)
            .map(|d| d.nom.clone())
            .unwrap_or_else(|| self.departement.to_string());
        format!("{} — {nom}", self.forme.libelle())
    }
}
