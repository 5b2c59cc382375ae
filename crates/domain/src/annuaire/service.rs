//! A service offered to parents, as its gestionnaire describes it for the directory: scheme,
//! kind, who it is for, where and when it receives (places with their opening hours and map
//! position), how (on site, remotely), at what cost, how to reach it and its accessibility; and
//! the form that enters it ([`SaisieService`]), checked field by field with every fault reported
//! at once.
//!
//! Source: « Convention d'objectifs et de gestion 2018-2022 : offre géolocalisée pour les parents
//! et données ouvertes » (working notes), which asks for a geolocated offer for parents.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::horaires::Horaires;
use super::moderation::EtatPublication;
use crate::appel_a_projets::Dispositif;
use crate::identifiants::{
    CodeDepartement, CodeInsee, ConventionId, Email, GestionnaireId, LieuId, ServiceId,
};
use crate::refus::Refus;
use crate::structures::Adresse;
use crate::territoire::{Communes, Position};
use crate::texte::{TexteLibre, vide};

/// What kind of help the service gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeService {
    /// A place parents and children come to freely (a LAEP).
    Accueil,
    /// Individual support by a professional.
    Accompagnement,
    /// A group activity (workshop, discussion group, conference).
    Atelier,
    /// Meeting the other parent or a third party to settle a conflict.
    Mediation,
    /// Information and orientation.
    Information,
}

impl TypeService {
    pub const TOUS: [TypeService; 5] = [
        TypeService::Accueil,
        TypeService::Accompagnement,
        TypeService::Atelier,
        TypeService::Mediation,
        TypeService::Information,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TypeService::Accueil => "accueil",
            TypeService::Accompagnement => "accompagnement",
            TypeService::Atelier => "atelier",
            TypeService::Mediation => "mediation",
            TypeService::Information => "information",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            TypeService::Accueil => "lieu d’accueil",
            TypeService::Accompagnement => "accompagnement individuel",
            TypeService::Atelier => "atelier ou groupe de parents",
            TypeService::Mediation => "médiation",
            TypeService::Information => "information et orientation",
        }
    }

    pub fn depuis_code(code: &str) -> Option<TypeService> {
        TypeService::TOUS
            .into_iter()
            .find(|t| t.code() == code.trim())
    }
}

/// Who the service is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Public {
    FutursParents,
    /// Every parent, whatever the children's age.
    Parents,
    ParentsEnfants0a3,
    ParentsEnfants3a6,
    ParentsEnfants6a11,
    ParentsEnfants11a18,
    /// Parents living apart, separating or in conflict.
    ParentsSepares,
    GrandsParents,
}

impl Public {
    pub const TOUS: [Public; 8] = [
        Public::FutursParents,
        Public::Parents,
        Public::ParentsEnfants0a3,
        Public::ParentsEnfants3a6,
        Public::ParentsEnfants6a11,
        Public::ParentsEnfants11a18,
        Public::ParentsSepares,
        Public::GrandsParents,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Public::FutursParents => "futurs_parents",
            Public::Parents => "parents",
            Public::ParentsEnfants0a3 => "parents_enfants_0_3",
            Public::ParentsEnfants3a6 => "parents_enfants_3_6",
            Public::ParentsEnfants6a11 => "parents_enfants_6_11",
            Public::ParentsEnfants11a18 => "parents_enfants_11_18",
            Public::ParentsSepares => "parents_separes",
            Public::GrandsParents => "grands_parents",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Public::FutursParents => "futurs parents",
            Public::Parents => "tous les parents",
            Public::ParentsEnfants0a3 => "parents d’enfants de moins de 3 ans",
            Public::ParentsEnfants3a6 => "parents d’enfants de 3 à 6 ans",
            Public::ParentsEnfants6a11 => "parents d’enfants de 6 à 11 ans",
            Public::ParentsEnfants11a18 => "parents d’adolescents de 11 à 18 ans",
            Public::ParentsSepares => "parents séparés ou en conflit",
            Public::GrandsParents => "grands-parents",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Public> {
        Public::TOUS.into_iter().find(|p| p.code() == code.trim())
    }
}

/// How parents use the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    SurPlace,
    /// By telephone or video.
    ADistance,
}

impl Mode {
    pub const TOUS: [Mode; 2] = [Mode::SurPlace, Mode::ADistance];

    pub fn code(self) -> &'static str {
        match self {
            Mode::SurPlace => "sur_place",
            Mode::ADistance => "a_distance",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Mode::SurPlace => "sur place",
            Mode::ADistance => "à distance (téléphone, visioconférence)",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Mode> {
        Mode::TOUS.into_iter().find(|m| m.code() == code.trim())
    }
}

/// What the service costs a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frais {
    Gratuit,
    Payant,
    /// A fee that follows the family's income (a médiation familiale's scale, for instance).
    ModuleSelonRevenus,
}

impl Frais {
    pub const TOUS: [Frais; 3] = [Frais::Gratuit, Frais::Payant, Frais::ModuleSelonRevenus];

    pub fn code(self) -> &'static str {
        match self {
            Frais::Gratuit => "gratuit",
            Frais::Payant => "payant",
            Frais::ModuleSelonRevenus => "module_selon_revenus",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Frais::Gratuit => "gratuit",
            Frais::Payant => "payant",
            Frais::ModuleSelonRevenus => "participation selon les revenus",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Frais> {
        Frais::TOUS.into_iter().find(|f| f.code() == code.trim())
    }
}

/// The fee and its details (« barème national de la Cnaf, de 2 € à 131 € par séance »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tarification {
    pub frais: Frais,
    pub precision: Option<String>,
}

/// How to reach the service: at least one way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contacts {
    /// As written to be read (« 04 76 12 34 56 »).
    pub telephone: Option<String>,
    pub courriel: Option<Email>,
    /// A web page (http or https).
    pub lien: Option<String>,
    /// Parents may come without an appointment during the opening hours.
    pub sans_rendez_vous: bool,
}

impl Contacts {
    /// Whether the service can be reached at all.
    pub fn joignable(&self) -> bool {
        self.telephone.is_some()
            || self.courriel.is_some()
            || self.lien.is_some()
            || self.sans_rendez_vous
    }
}

/// Accessibility of the service to disabled people.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accessibilite {
    pub fauteuil_roulant: bool,
    /// An induction loop for people with hearing aids.
    pub boucle_magnetique: bool,
    /// Anything else (« accueil en langue des signes sur demande »).
    pub precision: Option<String>,
}

/// A place where the service receives parents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LieuService {
    /// Its name when it has one (« Maison des familles »).
    pub nom: Option<String>,
    pub adresse: Adresse,
    pub horaires: Horaires,
    /// WGS84, the commune's centroid unless given.
    pub position: Position,
    /// The gestionnaire's registered place it corresponds to, when it is one.
    #[serde(default)]
    pub lieu: Option<LieuId>,
}

/// What a gestionnaire describes of a service, checked (see [`SaisieService::valider`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescriptionService {
    pub dispositif: Dispositif,
    pub type_service: TypeService,
    pub nom: String,
    pub description: String,
    pub publics: BTreeSet<Public>,
    pub lieux: Vec<LieuService>,
    pub modes: BTreeSet<Mode>,
    pub tarification: Tarification,
    pub contacts: Contacts,
    pub accessibilite: Accessibilite,
    /// The communes whose families it serves besides the places' own, when it says so.
    pub zone_eligibilite: Vec<CodeInsee>,
    /// The convention that funds it, when there is one.
    pub convention: Option<ConventionId>,
    /// The département it belongs to: its first place's, from the commune table.
    pub departement: CodeDepartement,
}

/// A service in the directory.
///
/// The fields describe the working copy, the one its gestionnaire edits. When a published service
/// is edited, the version the public sees stays in [`Service::version_publiee`] until the new one
/// is published (see `moderation`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: ServiceId,
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
    pub dispositif: Dispositif,
    pub type_service: TypeService,
    pub nom: String,
    pub description: String,
    pub publics: BTreeSet<Public>,
    pub lieux: Vec<LieuService>,
    pub modes: BTreeSet<Mode>,
    pub tarification: Tarification,
    pub contacts: Contacts,
    pub accessibilite: Accessibilite,
    pub zone_eligibilite: Vec<CodeInsee>,
    pub convention: Option<ConventionId>,
    pub etat: EtatPublication,
    /// The Caf's reason when it refused the last version submitted.
    pub motif_refus: Option<String>,
    /// The last change of the service, its content or its state (UTC).
    #[serde(with = "crate::serde_dates::instant")]
    pub mis_a_jour_le: OffsetDateTime,
    /// The version the public sees while a newer one is edited or moderated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_publiee: Option<Box<Service>>,
}

impl Service {
    /// The description, to edit it.
    pub fn description(&self) -> DescriptionService {
        DescriptionService {
            dispositif: self.dispositif,
            type_service: self.type_service,
            nom: self.nom.clone(),
            description: self.description.clone(),
            publics: self.publics.clone(),
            lieux: self.lieux.clone(),
            modes: self.modes.clone(),
            tarification: self.tarification.clone(),
            contacts: self.contacts.clone(),
            accessibilite: self.accessibilite.clone(),
            zone_eligibilite: self.zone_eligibilite.clone(),
            convention: self.convention,
            departement: self.departement,
        }
    }

    pub(crate) fn appliquer(&mut self, d: DescriptionService) {
        self.dispositif = d.dispositif;
        self.type_service = d.type_service;
        self.nom = d.nom;
        self.description = d.description;
        self.publics = d.publics;
        self.lieux = d.lieux;
        self.modes = d.modes;
        self.tarification = d.tarification;
        self.contacts = d.contacts;
        self.accessibilite = d.accessibilite;
        self.zone_eligibilite = d.zone_eligibilite;
        self.convention = d.convention;
        self.departement = d.departement;
    }

    /// What the public sees of the service, if anything: the service itself when published, or
    /// the version published before its current edit.
    pub fn version_publique(&self) -> Option<Service> {
        if self.etat == EtatPublication::Publie {
            let mut s = self.clone();
            s.version_publiee = None;
            return Some(s);
        }
        self.version_publiee.as_deref().cloned()
    }

    /// The communes it serves: its places' and its eligibility area's.
    pub fn communes_desservies(&self) -> BTreeSet<CodeInsee> {
        self.lieux
            .iter()
            .map(|l| l.adresse.commune)
            .chain(self.zone_eligibilite.iter().copied())
            .collect()
    }
}

macro_rules! champs_lieu {
    ($n:literal) => {
        ChampsLieu {
            nom: concat!("lieux_", $n, "_nom"),
            voie: concat!("lieux_", $n, "_voie"),
            complement: concat!("lieux_", $n, "_complement"),
            code_postal: concat!("lieux_", $n, "_code_postal"),
            commune: concat!("lieux_", $n, "_commune"),
            horaires: concat!("lieux_", $n, "_horaires"),
            latitude: concat!("lieux_", $n, "_latitude"),
            longitude: concat!("lieux_", $n, "_longitude"),
        }
    };
}

/// The most places a service lists.
pub const MAX_LIEUX: usize = 6;

/// The form's field names of each place, by place (`lieux_1_voie`…).
pub const CHAMPS_LIEUX: [ChampsLieu; MAX_LIEUX] = [
    champs_lieu!(1),
    champs_lieu!(2),
    champs_lieu!(3),
    champs_lieu!(4),
    champs_lieu!(5),
    champs_lieu!(6),
];

/// The names of one place's fields, in forms and in refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChampsLieu {
    pub nom: &'static str,
    pub voie: &'static str,
    pub complement: &'static str,
    pub code_postal: &'static str,
    pub commune: &'static str,
    pub horaires: &'static str,
    pub latitude: &'static str,
    pub longitude: &'static str,
}

/// One place as typed. A place whose fields are all blank is ignored (an empty slot of the form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisieLieuService {
    pub nom: String,
    pub voie: String,
    pub complement: String,
    pub code_postal: String,
    /// The commune's INSEE code.
    pub commune: String,
    pub horaires: String,
    /// Optional, decimal degrees; the commune's centroid when blank.
    pub latitude: String,
    pub longitude: String,
    /// The registered place it comes from (not typed: carried by a proposal).
    #[serde(default)]
    pub lieu: Option<LieuId>,
}

impl SaisieLieuService {
    /// Whether every typed field is blank.
    pub fn est_vide(&self) -> bool {
        [
            &self.nom,
            &self.voie,
            &self.complement,
            &self.code_postal,
            &self.commune,
            &self.horaires,
            &self.latitude,
            &self.longitude,
        ]
        .iter()
        .all(|t| vide(t))
    }

    fn depuis(l: &LieuService) -> SaisieLieuService {
        SaisieLieuService {
            nom: l.nom.clone().unwrap_or_default(),
            voie: l.adresse.voie.clone(),
            complement: l.adresse.complement.clone().unwrap_or_default(),
            code_postal: l.adresse.code_postal.clone(),
            commune: l.adresse.commune.as_str().to_owned(),
            horaires: l.horaires.as_str().to_owned(),
            latitude: l.position.latitude.to_string(),
            longitude: l.position.longitude.to_string(),
            lieu: l.lieu,
        }
    }
}

/// A service as entered in the form (or the API), before it is checked. Codes are those of the
/// enums (`Dispositif::code`, `TypeService::code`…).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisieService {
    pub dispositif: String,
    pub type_service: String,
    pub nom: String,
    pub description: String,
    pub publics: Vec<String>,
    pub modes: Vec<String>,
    pub frais: String,
    pub precision_frais: String,
    pub telephone: String,
    pub courriel: String,
    pub lien: String,
    pub sans_rendez_vous: bool,
    pub fauteuil_roulant: bool,
    pub boucle_magnetique: bool,
    pub precision_accessibilite: String,
    /// INSEE codes separated by commas, semicolons or spaces.
    pub zone_eligibilite: String,
    pub lieux: Vec<SaisieLieuService>,
    /// Set by a proposal from a convention, not typed.
    #[serde(default)]
    pub convention: Option<ConventionId>,
}

pub(crate) const ACTION_SERVICE: &str = "Enregistrer le service";

/// Keeps a French phone number's digits, written by pairs (« 04 76 12 34 56 »); accepts
/// `+33 4 76…` and the short numbers of 4 digits (« 3919 »).
fn lire_telephone(texte: &str) -> Result<String, String> {
    let t = texte.trim();
    let chiffres: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}' | '(' | ')'))
        .collect();
    let national = if let Some(reste) = chiffres.strip_prefix("+33") {
        format!("0{}", reste.trim_start_matches('0'))
    } else {
        chiffres.clone()
    };
    if !national.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("« {t} » n'est pas un numéro de téléphone"));
    }
    if national.len() == 4 && (national.starts_with('1') || national.starts_with('3')) {
        return Ok(national);
    }
    if national.len() != 10 || !national.starts_with('0') || national.starts_with("00") {
        return Err(format!(
            "« {t} » n'est pas un numéro de téléphone français à 10 chiffres (par exemple 04 76 12 34 56)"
        ));
    }
    let paires: Vec<&str> = (0..5)
        .filter_map(|i| national.get(2 * i..2 * i + 2))
        .collect();
    Ok(paires.join(" "))
}

fn lire_lien(texte: &str) -> Result<String, String> {
    let t = texte.trim();
    let reste = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"));
    match reste {
        Some(r)
            if !r.is_empty()
                && r.split('/').next().is_some_and(|hote| hote.contains('.'))
                && !t.chars().any(|c| c.is_whitespace() || c.is_control())
                && t.len() <= 500 =>
        {
            Ok(t.to_owned())
        }
        _ => Err(format!(
            "« {t} » n'est pas une adresse web (elle commence par https:// et ne contient pas d'espace)"
        )),
    }
}

fn lire_coordonnee(texte: &str, min: f64, max: f64) -> Result<Option<f64>, String> {
    let t = texte.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() && (min..=max).contains(&v) => Ok(Some(v)),
        _ => Err(format!(
            "« {t} » n'est pas une coordonnée en degrés décimaux entre {min} et {max}"
        )),
    }
}

fn texte_optionnel(
    champ: &'static str,
    texte: &str,
    long: bool,
    refus: &mut Vec<Refus>,
) -> Option<String> {
    if vide(texte) {
        return None;
    }
    let verifie = if long {
        TexteLibre::long(champ, texte)
    } else {
        TexteLibre::court(champ, texte)
    };
    match verifie {
        Ok(t) => Some(t.into_inner()),
        Err(e) => {
            refus.push(Refus::sur_champ(ACTION_SERVICE, champ, e.to_string()));
            None
        }
    }
}

fn texte_obligatoire(
    champ: &'static str,
    texte: &str,
    long: bool,
    refus: &mut Vec<Refus>,
) -> Option<String> {
    if vide(texte) {
        refus.push(Refus::sur_champ(ACTION_SERVICE, champ, "à compléter"));
        return None;
    }
    texte_optionnel(champ, texte, long, refus)
}

impl SaisieService {
    /// The form prefilled with a service, to edit it.
    pub fn depuis(service: &Service) -> SaisieService {
        SaisieService {
            dispositif: service.dispositif.code().to_owned(),
            type_service: service.type_service.code().to_owned(),
            nom: service.nom.clone(),
            description: service.description.clone(),
            publics: service
                .publics
                .iter()
                .map(|p| p.code().to_owned())
                .collect(),
            modes: service.modes.iter().map(|m| m.code().to_owned()).collect(),
            frais: service.tarification.frais.code().to_owned(),
            precision_frais: service.tarification.precision.clone().unwrap_or_default(),
            telephone: service.contacts.telephone.clone().unwrap_or_default(),
            courriel: service
                .contacts
                .courriel
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
            lien: service.contacts.lien.clone().unwrap_or_default(),
            sans_rendez_vous: service.contacts.sans_rendez_vous,
            fauteuil_roulant: service.accessibilite.fauteuil_roulant,
            boucle_magnetique: service.accessibilite.boucle_magnetique,
            precision_accessibilite: service.accessibilite.precision.clone().unwrap_or_default(),
            zone_eligibilite: service
                .zone_eligibilite
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            lieux: service
                .lieux
                .iter()
                .map(SaisieLieuService::depuis)
                .collect(),
            convention: service.convention,
        }
    }

    /// Checks every field and returns the description, or every refusal at once, each naming
    /// its field (`nom`, `lieux_2_horaires`…) with its reason.
    pub fn valider(&self, communes: &Communes) -> Result<DescriptionService, Refus> {
        let mut refus = Vec::new();
        let dispositif = Dispositif::TOUS
            .into_iter()
            .find(|d| d.code() == self.dispositif.trim());
        if dispositif.is_none() {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                "dispositif",
                if vide(&self.dispositif) {
                    "à choisir".to_owned()
                } else {
                    format!("« {} » n'est pas un dispositif", self.dispositif.trim())
                },
            ));
        }
        let type_service = TypeService::depuis_code(&self.type_service);
        if type_service.is_none() {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                "type_service",
                "à choisir parmi : lieu d’accueil, accompagnement individuel, atelier, médiation, information",
            ));
        }
        let nom = texte_obligatoire("nom", &self.nom, false, &mut refus);
        let description = texte_obligatoire("description", &self.description, true, &mut refus);

        let mut publics = BTreeSet::new();
        for p in self.publics.iter().filter(|p| !vide(p)) {
            match Public::depuis_code(p) {
                Some(x) => {
                    publics.insert(x);
                }
                None => refus.push(Refus::sur_champ(
                    ACTION_SERVICE,
                    "publics",
                    format!("« {} » n'est pas un public", p.trim()),
                )),
            }
        }
        if publics.is_empty() && !refus.iter().any(|r| r.champ() == Some("publics")) {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                "publics",
                "choisissez au moins un public",
            ));
        }

        let mut modes = BTreeSet::new();
        for m in self.modes.iter().filter(|m| !vide(m)) {
            match Mode::depuis_code(m) {
                Some(x) => {
                    modes.insert(x);
                }
                None => refus.push(Refus::sur_champ(
                    ACTION_SERVICE,
                    "modes",
                    format!("« {} » n'est pas un mode d'accueil", m.trim()),
                )),
            }
        }
        if modes.is_empty() && !refus.iter().any(|r| r.champ() == Some("modes")) {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                "modes",
                "choisissez sur place, à distance, ou les deux",
            ));
        }

        let frais = Frais::depuis_code(&self.frais);
        if frais.is_none() {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                "frais",
                "à choisir : gratuit, payant ou participation selon les revenus",
            ));
        }
        let precision_frais =
            texte_optionnel("precision_frais", &self.precision_frais, false, &mut refus);
        if matches!(frais, Some(Frais::Payant | Frais::ModuleSelonRevenus))
            && precision_frais.is_none()
            && !refus.iter().any(|r| r.champ() == Some("precision_frais"))
        {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                "precision_frais",
                "précisez le tarif ou le barème quand le service n'est pas gratuit",
            ));
        }

        let telephone = if vide(&self.telephone) {
            None
        } else {
            match lire_telephone(&self.telephone) {
                Ok(t) => Some(t),
                Err(e) => {
                    refus.push(Refus::sur_champ(ACTION_SERVICE, "telephone", e));
                    None
                }
            }
        };
        let courriel = if vide(&self.courriel) {
            None
        } else {
            match Email::parse(self.courriel.trim()) {
                Ok(e) => Some(e),
                Err(e) => {
                    refus.push(Refus::sur_champ(ACTION_SERVICE, "courriel", e.to_string()));
                    None
                }
            }
        };
        let lien = if vide(&self.lien) {
            None
        } else {
            match lire_lien(&self.lien) {
                Ok(l) => Some(l),
                Err(e) => {
                    refus.push(Refus::sur_champ(ACTION_SERVICE, "lien", e));
                    None
                }
            }
        };
        let contacts = Contacts {
            telephone,
            courriel,
            lien,
            sans_rendez_vous: self.sans_rendez_vous,
        };
        let contact_en_faute = refus
            .iter()
            .any(|r| matches!(r.champ(), Some("telephone" | "courriel" | "lien")));
        if !contacts.joignable() && !contact_en_faute {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                "contacts",
                "indiquez au moins un moyen de joindre le service : téléphone, courriel, site web ou accueil sans rendez-vous",
            ));
        }

        let precision_accessibilite = texte_optionnel(
            "precision_accessibilite",
            &self.precision_accessibilite,
            false,
            &mut refus,
        );

        let mut zone = Vec::new();
        for code in self
            .zone_eligibilite
            .split([',', ';', ' ', '\n'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            match CodeInsee::parse(code) {
                Ok(c) if communes.get(c).is_some() => {
                    if !zone.contains(&c) {
                        zone.push(c);
                    }
                }
                Ok(_) => refus.push(Refus::sur_champ(
                    ACTION_SERVICE,
                    "zone_eligibilite",
                    format!("aucune commune n'a le code {code}"),
                )),
                Err(e) => refus.push(Refus::sur_champ(
                    ACTION_SERVICE,
                    "zone_eligibilite",
                    e.to_string(),
                )),
            }
        }

        let mut lieux = Vec::new();
        let mut departement = None;
        let saisis: Vec<(usize, &SaisieLieuService)> = self
            .lieux
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.est_vide())
            .collect();
        if saisis.is_empty() {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                CHAMPS_LIEUX[0].voie,
                "indiquez au moins un lieu, avec son adresse et ses horaires",
            ));
        }
        for (i, saisie) in saisis {
            let Some(champs) = CHAMPS_LIEUX.get(i) else {
                refus.push(Refus::invalide(
                    ACTION_SERVICE,
                    format!("un service compte {MAX_LIEUX} lieux au plus"),
                ));
                break;
            };
            if let Some(lieu) = valider_lieu(saisie, champs, communes, &mut refus) {
                if departement.is_none() {
                    departement = communes.get(lieu.adresse.commune).map(|c| c.departement);
                }
                lieux.push(lieu);
            }
        }

        Refus::ensemble(ACTION_SERVICE, refus)?;
        match (
            dispositif,
            type_service,
            nom,
            description,
            frais,
            departement,
        ) {
            (
                Some(dispositif),
                Some(type_service),
                Some(nom),
                Some(description),
                Some(frais),
                Some(departement),
            ) => Ok(DescriptionService {
                dispositif,
                type_service,
                nom,
                description,
                publics,
                lieux,
                modes,
                tarification: Tarification {
                    frais,
                    precision: precision_frais,
                },
                contacts,
                accessibilite: Accessibilite {
                    fauteuil_roulant: self.fauteuil_roulant,
                    boucle_magnetique: self.boucle_magnetique,
                    precision: precision_accessibilite,
                },
                zone_eligibilite: zone,
                convention: self.convention,
                departement,
            }),
            _ => Err(Refus::invalide(ACTION_SERVICE, "saisie incomplète")),
        }
    }
}

fn valider_lieu(
    saisie: &SaisieLieuService,
    champs: &ChampsLieu,
    communes: &Communes,
    refus: &mut Vec<Refus>,
) -> Option<LieuService> {
    let avant = refus.len();
    let nom = texte_optionnel(champs.nom, &saisie.nom, false, refus);
    let voie = texte_obligatoire(champs.voie, &saisie.voie, false, refus);
    let complement = texte_optionnel(champs.complement, &saisie.complement, false, refus);
    let cp = saisie.code_postal.trim();
    if cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()) {
        refus.push(Refus::sur_champ(
            ACTION_SERVICE,
            champs.code_postal,
            if cp.is_empty() {
                "à compléter".to_owned()
            } else {
                format!("le code postal compte 5 chiffres (reçu « {cp} »)")
            },
        ));
    }
    let commune = if vide(&saisie.commune) {
        refus.push(Refus::sur_champ(
            ACTION_SERVICE,
            champs.commune,
            "à compléter (code INSEE de la commune)",
        ));
        None
    } else {
        match CodeInsee::parse(saisie.commune.trim()) {
            Ok(c) => match communes.get(c) {
                Some(commune) => Some(commune),
                None => {
                    refus.push(Refus::sur_champ(
                        ACTION_SERVICE,
                        champs.commune,
                        format!("aucune commune n'a le code {c}"),
                    ));
                    None
                }
            },
            Err(e) => {
                refus.push(Refus::sur_champ(
                    ACTION_SERVICE,
                    champs.commune,
                    e.to_string(),
                ));
                None
            }
        }
    };
    let horaires = match Horaires::parse(&saisie.horaires) {
        Ok(h) => Some(h),
        Err(e) => {
            refus.push(Refus::sur_champ(ACTION_SERVICE, champs.horaires, e));
            None
        }
    };
    let latitude = lire_coordonnee(&saisie.latitude, -90.0, 90.0)
        .map_err(|e| refus.push(Refus::sur_champ(ACTION_SERVICE, champs.latitude, e)))
        .ok()
        .flatten();
    let longitude = lire_coordonnee(&saisie.longitude, -180.0, 180.0)
        .map_err(|e| refus.push(Refus::sur_champ(ACTION_SERVICE, champs.longitude, e)))
        .ok()
        .flatten();
    let position = match (latitude, longitude) {
        (Some(latitude), Some(longitude)) => Some(Position {
            latitude,
            longitude,
        }),
        (None, None) => commune.and_then(|c| c.position),
        (Some(_), None) => {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                champs.longitude,
                "la latitude et la longitude vont ensemble",
            ));
            None
        }
        (None, Some(_)) => {
            refus.push(Refus::sur_champ(
                ACTION_SERVICE,
                champs.latitude,
                "la latitude et la longitude vont ensemble",
            ));
            None
        }
    };
    if position.is_none() && commune.is_some() && refus.len() == avant {
        refus.push(Refus::sur_champ(
            ACTION_SERVICE,
            champs.latitude,
            "la position de cette commune n'est pas connue : indiquez la latitude et la longitude du lieu",
        ));
    }
    if refus.len() != avant {
        return None;
    }
    Some(LieuService {
        nom,
        adresse: Adresse {
            voie: voie?,
            complement,
            code_postal: cp.to_owned(),
            commune: commune?.code,
        },
        horaires: horaires?,
        position: position?,
        lieu: saisie.lieu,
    })
}

/// The description proposed for an AIP service at a place of a signed AIP convention: scheme
/// AIP, individual support, every parent, free, the place's address, on site and/or remote from
/// the place's modes of reception, the structure's address as e-mail, and the convention. The
/// gestionnaire completes it (opening hours above all) before submitting it.
///
/// Source: Référentiel national de financement de l'AIP §II.1 (a professional receives parents
/// individually, « sur rdv ou en permanence sans rdv », free of charge for families).
pub fn proposition_aip(
    convention: &crate::convention::Convention,
    lieu: &crate::structures::Lieu,
    courriel: Option<&Email>,
) -> SaisieService {
    use crate::structures::ModaliteAccueil;
    let mut modes = Vec::new();
    if lieu.modalites.iter().any(|m| {
        matches!(
            m,
            ModaliteAccueil::SurRendezVous | ModaliteAccueil::SansRendezVous
        )
    }) {
        modes.push(Mode::SurPlace.code().to_owned());
    }
    if lieu
        .modalites
        .iter()
        .any(|m| matches!(m, ModaliteAccueil::Visio | ModaliteAccueil::Telephone))
    {
        modes.push(Mode::ADistance.code().to_owned());
    }
    SaisieService {
        dispositif: Dispositif::Aip.code().to_owned(),
        type_service: TypeService::Accompagnement.code().to_owned(),
        nom: format!("Accompagnement individuel des parents — {}", lieu.nom),
        description: "Un professionnel de l’accompagnement reçoit les parents seuls, en entretien \
                      individuel et confidentiel, pour parler de leurs questions de parents : \
                      relation avec l’enfant ou l’adolescent, fatigue, séparation, scolarité… \
                      Il écoute, aide à y voir clair et oriente si besoin."
            .to_owned(),
        publics: vec![Public::Parents.code().to_owned()],
        modes,
        frais: Frais::Gratuit.code().to_owned(),
        courriel: courriel.map(|e| e.as_str().to_owned()).unwrap_or_default(),
        sans_rendez_vous: lieu.modalites.contains(&ModaliteAccueil::SansRendezVous),
        lieux: vec![SaisieLieuService {
            nom: lieu.nom.clone(),
            voie: lieu.adresse.voie.clone(),
            complement: lieu.adresse.complement.clone().unwrap_or_default(),
            code_postal: lieu.adresse.code_postal.clone(),
            commune: lieu.adresse.commune.as_str().to_owned(),
            lieu: Some(lieu.id),
            ..Default::default()
        }],
        convention: Some(convention.id),
        ..Default::default()
    }
}
