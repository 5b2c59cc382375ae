//! The commitments the AIP référentiel requires of a structure (Référentiel national de
//! financement de l'AIP, §I.3, §I.4, §II.1, §II.2, §III.3, §IV.1, §IV.2), as the platform follows
//! them: the gestionnaire attests each one (respected or not, a statement, a date, optionally a
//! supporting document), a Caf agent of its département checks the attestation (conforme, non
//! conforme, à vérifier). A new attestation after a check makes the check stale. The checks feed
//! the référentiel's conformity report, and bind the comité's validation of an AIP dossier
//! unless it gives a motivated override ([`DerogationEngagements`]).

use std::collections::BTreeMap;

use referentiel::conformite::{ConditionsCentreSocial, Rapport, StructureAip, verifier_structure};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{Gestionnaire, TypeActivite};
use crate::acces::{Acteur, exiger_agent_caf, exiger_gestionnaire};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::identifiants::{DecisionId, UtilisateurId};
use crate::refus::Refus;
use crate::texte::{ErreurTexte, TexteLibre, date_fr};

/// One commitment of the référentiel a structure must meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engagement {
    /// Compliance with the GDPR (Référentiel national de financement de l'AIP, §I.3).
    ConformiteRgpd,
    /// Respect of the Charte nationale du soutien à la parentalité (§I.3).
    CharteSoutienParentalite,
    /// Application of the charte de la laïcité de la branche Famille (§I.4).
    CharteLaicite,
    /// Premises allowing confidential one-to-one meetings (§IV.1).
    LocauxConfidentialite,
    /// Sessions offered by appointment (§II.1).
    AccueilSurRendezVous,
    /// Walk-in hours offered (§II.1).
    PermanenceSansRendezVous,
    /// Families' financial participation modulated by income, or none (§II.1).
    ParticipationFamilles,
    /// Member of a network of local partners (§IV.2).
    ReseauPartenairesLocaux,
    /// No recruitment of clients through the service by a professional with a private practice
    /// (§II.2).
    AbsenceRecrutementClientele,
    /// Analyse de la pratique led by qualified people external to the structure (§III.3).
    AnalysePratiqueExterieure,
    /// Centre social: intervenants distinct from the référents familles (§II.2).
    CentreSocialProfessionnelsDistincts,
    /// Centre social: competences complementary to those of the référents familles (§II.2).
    CentreSocialCompetencesComplementaires,
    /// Centre social: a listening space distinct from the centre's reception (§II.2).
    CentreSocialEspaceEcouteDistinct,
}

impl Engagement {
    /// The commitments of every structure, in the order of the conformity report.
    pub const COMMUNS: [Engagement; 10] = [
        Engagement::ConformiteRgpd,
        Engagement::CharteSoutienParentalite,
        Engagement::CharteLaicite,
        Engagement::LocauxConfidentialite,
        Engagement::AccueilSurRendezVous,
        Engagement::PermanenceSansRendezVous,
        Engagement::ParticipationFamilles,
        Engagement::ReseauPartenairesLocaux,
        Engagement::AbsenceRecrutementClientele,
        Engagement::AnalysePratiqueExterieure,
    ];

    /// The three more conditions of a centre social (Référentiel national de financement de
    /// l'AIP, §II.2).
    pub const CENTRE_SOCIAL: [Engagement; 3] = [
        Engagement::CentreSocialProfessionnelsDistincts,
        Engagement::CentreSocialCompetencesComplementaires,
        Engagement::CentreSocialEspaceEcouteDistinct,
    ];

    /// The commitments a structure of this activity must meet: the ten common ones, and the
    /// centre social's three conditions first when it is one.
    pub fn pour(activite: TypeActivite) -> Vec<Engagement> {
        let mut liste = Vec::with_capacity(13);
        if activite == TypeActivite::CentreSocial {
            liste.extend(Engagement::CENTRE_SOCIAL);
        }
        liste.extend(Engagement::COMMUNS);
        liste
    }

    /// The name used in forms, files and the API.
    pub fn code(self) -> &'static str {
        match self {
            Engagement::ConformiteRgpd => "conformite_rgpd",
            Engagement::CharteSoutienParentalite => "charte_soutien_parentalite",
            Engagement::CharteLaicite => "charte_laicite",
            Engagement::LocauxConfidentialite => "locaux_confidentialite",
            Engagement::AccueilSurRendezVous => "accueil_sur_rendez_vous",
            Engagement::PermanenceSansRendezVous => "permanence_sans_rendez_vous",
            Engagement::ParticipationFamilles => "participation_familles",
            Engagement::ReseauPartenairesLocaux => "reseau_partenaires_locaux",
            Engagement::AbsenceRecrutementClientele => "absence_recrutement_clientele",
            Engagement::AnalysePratiqueExterieure => "analyse_pratique_exterieure",
            Engagement::CentreSocialProfessionnelsDistincts => {
                "centre_social_professionnels_distincts"
            }
            Engagement::CentreSocialCompetencesComplementaires => {
                "centre_social_competences_complementaires"
            }
            Engagement::CentreSocialEspaceEcouteDistinct => "centre_social_espace_ecoute_distinct",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Engagement> {
        Engagement::COMMUNS
            .into_iter()
            .chain(Engagement::CENTRE_SOCIAL)
            .find(|e| e.code() == code)
    }

    /// The commitment as the gestionnaire attests it, in French.
    pub fn libelle(self) -> &'static str {
        match self {
            Engagement::ConformiteRgpd => {
                "La structure est en conformité avec le règlement général sur la protection des données (RGPD)"
            }
            Engagement::CharteSoutienParentalite => {
                "La structure respecte la Charte nationale du soutien à la parentalité"
            }
            Engagement::CharteLaicite => {
                "La structure applique la charte de la laïcité de la branche Famille"
            }
            Engagement::LocauxConfidentialite => {
                "Les locaux permettent des rencontres individuelles en toute confidentialité"
            }
            Engagement::AccueilSurRendezVous => {
                "La structure propose des entretiens sur rendez-vous"
            }
            Engagement::PermanenceSansRendezVous => {
                "La structure propose une permanence sans rendez-vous"
            }
            Engagement::ParticipationFamilles => {
                "La participation financière des familles est modulée selon leurs ressources, voire gratuite"
            }
            Engagement::ReseauPartenairesLocaux => {
                "La structure s'inscrit dans un réseau de partenaires locaux"
            }
            Engagement::AbsenceRecrutementClientele => {
                "Aucun professionnel ayant une activité libérale ne recrute de clientèle ou de patientèle via le service"
            }
            Engagement::AnalysePratiqueExterieure => {
                "L'analyse de la pratique est animée par des professionnels qualifiés extérieurs à la structure"
            }
            Engagement::CentreSocialProfessionnelsDistincts => {
                "Centre social : les intervenants sont des professionnels distincts des référents familles"
            }
            Engagement::CentreSocialCompetencesComplementaires => {
                "Centre social : les intervenants ont des compétences complémentaires à celles des référents familles"
            }
            Engagement::CentreSocialEspaceEcouteDistinct => {
                "Centre social : l'espace d'écoute est matériellement distinct de l'accueil du centre"
            }
        }
    }

    /// The paragraph of the Référentiel national de financement de l'AIP that sets it (`§I.3`).
    pub fn paragraphe(self) -> &'static str {
        match self {
            Engagement::ConformiteRgpd | Engagement::CharteSoutienParentalite => "§I.3",
            Engagement::CharteLaicite => "§I.4",
            Engagement::LocauxConfidentialite => "§IV.1",
            Engagement::AccueilSurRendezVous
            | Engagement::PermanenceSansRendezVous
            | Engagement::ParticipationFamilles => "§II.1",
            Engagement::ReseauPartenairesLocaux => "§IV.2",
            Engagement::AbsenceRecrutementClientele
            | Engagement::CentreSocialProfessionnelsDistincts
            | Engagement::CentreSocialCompetencesComplementaires
            | Engagement::CentreSocialEspaceEcouteDistinct => "§II.2",
            Engagement::AnalysePratiqueExterieure => "§III.3",
        }
    }

    /// The source to show: `Référentiel national de financement de l'AIP, §I.3`.
    pub fn source(self) -> String {
        format!(
            "Référentiel national de financement de l'AIP, {}",
            self.paragraphe()
        )
    }

    /// Whether not meeting it makes the structure non eligible (every commitment but the
    /// analyse de la pratique, a quality requirement: Référentiel national de financement de
    /// l'AIP, §III.3).
    pub fn est_une_condition(self) -> bool {
        self != Engagement::AnalysePratiqueExterieure
    }

    /// The codes of the référentiel's findings for it: met, not met, unknown.
    fn codes_constat(self) -> [&'static str; 3] {
        match self {
            Engagement::ConformiteRgpd => ["rgpd_conforme", "rgpd_non_conforme", "rgpd_a_verifier"],
            Engagement::CharteSoutienParentalite => [
                "charte_parentalite_respectee",
                "charte_parentalite_non_respectee",
                "charte_parentalite_a_verifier",
            ],
            Engagement::CharteLaicite => [
                "charte_laicite_appliquee",
                "charte_laicite_non_appliquee",
                "charte_laicite_a_verifier",
            ],
            Engagement::LocauxConfidentialite => [
                "locaux_confidentialite",
                "locaux_sans_confidentialite",
                "locaux_a_verifier",
            ],
            Engagement::AccueilSurRendezVous => [
                "accueil_sur_rendez_vous",
                "accueil_sur_rendez_vous_absent",
                "accueil_sur_rendez_vous_a_verifier",
            ],
            Engagement::PermanenceSansRendezVous => [
                "permanence_sans_rendez_vous",
                "permanence_sans_rendez_vous_absente",
                "permanence_sans_rendez_vous_a_verifier",
            ],
            Engagement::ParticipationFamilles => [
                "participation_familles_accessible",
                "participation_familles_non_accessible",
                "participation_familles_a_verifier",
            ],
            Engagement::ReseauPartenairesLocaux => [
                "reseau_partenaires",
                "reseau_partenaires_absent",
                "reseau_partenaires_a_verifier",
            ],
            Engagement::AbsenceRecrutementClientele => [
                "absence_recrutement_clientele",
                "recrutement_clientele_non_garanti",
                "recrutement_clientele_a_verifier",
            ],
            Engagement::AnalysePratiqueExterieure => [
                "analyse_pratique_exterieure",
                "analyse_pratique_non_exterieure",
                "analyse_pratique_exterieure_a_verifier",
            ],
            Engagement::CentreSocialProfessionnelsDistincts => [
                "centre_social_professionnels_distincts",
                "centre_social_professionnels_non_distincts",
                "centre_social_professionnels_a_verifier",
            ],
            Engagement::CentreSocialCompetencesComplementaires => [
                "centre_social_competences_complementaires",
                "centre_social_competences_non_complementaires",
                "centre_social_competences_a_verifier",
            ],
            Engagement::CentreSocialEspaceEcouteDistinct => [
                "centre_social_espace_ecoute_distinct",
                "centre_social_espace_ecoute_non_distinct",
                "centre_social_espace_ecoute_a_verifier",
            ],
        }
    }
}

/// What the gestionnaire stated about one commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestation {
    /// 1 for the first attestation of the commitment, then one more at each new one.
    pub numero: u32,
    /// Whether the gestionnaire states the commitment respected.
    pub respecte: bool,
    /// Its statement, in its words (how the commitment is met, or why not).
    pub declaration: String,
    /// The date the gestionnaire gives its attestation.
    #[serde(with = "crate::serde_dates::date")]
    pub date: Date,
    /// The id of an attached pièce justificative supporting the attestation, if any.
    #[serde(default)]
    pub piece: Option<u64>,
    pub par: UtilisateurId,
    #[serde(with = "crate::serde_dates::instant")]
    pub le: OffsetDateTime,
}

/// The Caf's verdict on an attestation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AvisCaf {
    Conforme,
    NonConforme,
    /// Not settled yet: more is needed (a document, a visit…).
    AVerifier,
}

impl AvisCaf {
    pub const TOUS: [AvisCaf; 3] = [AvisCaf::Conforme, AvisCaf::NonConforme, AvisCaf::AVerifier];

    pub fn code(self) -> &'static str {
        match self {
            AvisCaf::Conforme => "conforme",
            AvisCaf::NonConforme => "non_conforme",
            AvisCaf::AVerifier => "a_verifier",
        }
    }

    pub fn depuis_code(code: &str) -> Option<AvisCaf> {
        AvisCaf::TOUS.into_iter().find(|a| a.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        match self {
            AvisCaf::Conforme => "conforme",
            AvisCaf::NonConforme => "non conforme",
            AvisCaf::AVerifier => "à vérifier",
        }
    }
}

/// The check of an attestation by a Caf agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Controle {
    pub avis: AvisCaf,
    /// Required for non conforme and à vérifier.
    pub commentaire: Option<String>,
    /// The [`Attestation::numero`] checked: when the gestionnaire attests again, the check is
    /// stale.
    pub attestation: u32,
    pub par: UtilisateurId,
    #[serde(with = "crate::serde_dates::instant")]
    pub le: OffsetDateTime,
}

/// The last attestation of a commitment and the last check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiviEngagement {
    pub attestation: Option<Attestation>,
    pub controle: Option<Controle>,
}

/// Where a commitment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EtatEngagement {
    /// Not attested yet.
    NonAtteste,
    /// Attested, not checked yet.
    AControler,
    /// Attested again after the Caf's check: to check again.
    AControlerANouveau,
    /// Checked by the Caf.
    Controle(AvisCaf),
}

impl EtatEngagement {
    pub fn libelle(self) -> &'static str {
        match self {
            EtatEngagement::NonAtteste => "non attesté",
            EtatEngagement::AControler => "attesté, à contrôler",
            EtatEngagement::AControlerANouveau => "à contrôler à nouveau",
            EtatEngagement::Controle(avis) => avis.libelle(),
        }
    }

    /// What the référentiel's report reads: checked conforme or non conforme by the Caf, else
    /// unknown.
    pub fn vers_referentiel(self) -> Option<bool> {
        match self {
            EtatEngagement::Controle(AvisCaf::Conforme) => Some(true),
            EtatEngagement::Controle(AvisCaf::NonConforme) => Some(false),
            _ => None,
        }
    }
}

impl SuiviEngagement {
    pub fn etat(&self) -> EtatEngagement {
        match (&self.attestation, &self.controle) {
            (None, _) => EtatEngagement::NonAtteste,
            (Some(_), None) => EtatEngagement::AControler,
            (Some(a), Some(c)) if c.attestation != a.numero => EtatEngagement::AControlerANouveau,
            (Some(_), Some(c)) => EtatEngagement::Controle(c.avis),
        }
    }
}

/// The commitments of a structure, as attested and checked. Filled only by
/// [`Gestionnaire::attester`] and [`Gestionnaire::controler`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Engagements(BTreeMap<Engagement, SuiviEngagement>);

impl Engagements {
    /// The follow-up of a commitment, if it was ever attested.
    pub fn suivi(&self, engagement: Engagement) -> Option<&SuiviEngagement> {
        self.0.get(&engagement)
    }

    pub fn etat(&self, engagement: Engagement) -> EtatEngagement {
        self.suivi(engagement)
            .map_or(EtatEngagement::NonAtteste, SuiviEngagement::etat)
    }
}

/// What the gestionnaire types to attest a commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisieAttestation {
    pub respecte: bool,
    pub declaration: String,
    #[serde(with = "crate::serde_dates::date")]
    pub date: Date,
    /// The id of an attached pièce justificative, if any.
    #[serde(default)]
    pub piece: Option<u64>,
}

pub const ACTION_ATTESTER: &str = "Attester un engagement";
pub const ACTION_CONTROLER: &str = "Contrôler un engagement";

impl SaisieAttestation {
    /// Checks what was typed, on the day of the entry: a statement (a bounded free text), a date
    /// not after that day. Returns the statement trimmed.
    pub fn verifier(&self, aujourd_hui: Date) -> Result<String, Refus> {
        let declaration = match TexteLibre::long("Déclaration", &self.declaration) {
            Ok(t) => t.into_inner(),
            Err(ErreurTexte::Vide { .. }) => {
                return Err(Refus::Incomplet {
                    action: ACTION_ATTESTER,
                    champs: vec!["déclaration"],
                });
            }
            Err(e) => return Err(Refus::invalide(ACTION_ATTESTER, e.to_string())),
        };
        if self.date > aujourd_hui {
            return Err(Refus::invalide(
                ACTION_ATTESTER,
                format!(
                    "la date de l'attestation ({}) ne peut pas être postérieure au jour de la saisie ({})",
                    date_fr(self.date),
                    date_fr(aujourd_hui)
                ),
            ));
        }
        Ok(declaration)
    }
}

/// What a Caf agent types to check an attestation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisieControle {
    pub avis: AvisCaf,
    pub commentaire: String,
}

impl SaisieControle {
    /// Checks what was typed: a comment (a bounded free text) is required unless conforme.
    /// Returns the comment trimmed, if any.
    pub fn verifier(&self) -> Result<Option<String>, Refus> {
        match TexteLibre::long("Commentaire", &self.commentaire) {
            Ok(t) => Ok(Some(t.into_inner())),
            Err(ErreurTexte::Vide { .. }) if self.avis == AvisCaf::Conforme => Ok(None),
            Err(ErreurTexte::Vide { .. }) => Err(Refus::Incomplet {
                action: ACTION_CONTROLER,
                champs: vec![
                    "commentaire (obligatoire pour un engagement non conforme ou à vérifier)",
                ],
            }),
            Err(e) => Err(Refus::invalide(ACTION_CONTROLER, e.to_string())),
        }
    }
}

/// The comité validated an AIP project although some commitments of its structure were not
/// checked conforme by the Caf: the reason it gave, and what it overrode. The comité decides
/// (Référentiel national de financement de l'AIP, §IV.3) but must say why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerogationEngagements {
    pub motif: String,
    /// Each commitment overridden, with where it stood: `« … » (non conforme)`.
    pub engagements: Vec<String>,
    pub decision: DecisionId,
    pub par: UtilisateurId,
    #[serde(with = "crate::serde_dates::instant")]
    pub le: OffsetDateTime,
}

impl Gestionnaire {
    /// The commitments this structure must meet (Référentiel national de financement de l'AIP,
    /// §I.3 to §IV.2; a centre social's three conditions, §II.2).
    pub fn engagements_applicables(&self) -> Vec<Engagement> {
        Engagement::pour(self.activite)
    }

    /// The applicable commitments the Caf has not checked conforme, with where each stands.
    pub fn engagements_non_conformes(&self) -> Vec<(Engagement, EtatEngagement)> {
        self.engagements_applicables()
            .into_iter()
            .map(|e| (e, self.engagements.etat(e)))
            .filter(|(_, etat)| *etat != EtatEngagement::Controle(AvisCaf::Conforme))
            .collect()
    }

    /// The structure as the référentiel checks it: each commitment known only once the Caf
    /// checked it (conforme: met, non conforme: not met); an attestation alone leaves it unknown.
    pub fn structure_aip(&self) -> StructureAip {
        let lire = |e: Engagement| self.engagements.etat(e).vers_referentiel();
        let centre_social = match Engagement::CENTRE_SOCIAL.map(lire) {
            [Some(a), Some(b), Some(c)] => Some(ConditionsCentreSocial {
                professionnels_distincts_des_referents_familles: a,
                competences_complementaires_aux_referents_familles: b,
                espace_ecoute_distinct_de_l_accueil: c,
            }),
            _ => None,
        };
        StructureAip {
            centre_social,
            conforme_rgpd: lire(Engagement::ConformiteRgpd),
            respecte_charte_soutien_parentalite: lire(Engagement::CharteSoutienParentalite),
            applique_charte_laicite: lire(Engagement::CharteLaicite),
            locaux_permettant_confidentialite: lire(Engagement::LocauxConfidentialite),
            accueil_sur_rendez_vous: lire(Engagement::AccueilSurRendezVous),
            permanence_sans_rendez_vous: lire(Engagement::PermanenceSansRendezVous),
            participation_familles_modulee_ou_gratuite: lire(Engagement::ParticipationFamilles),
            membre_reseau_partenaires_locaux: lire(Engagement::ReseauPartenairesLocaux),
            garantit_absence_recrutement_clientele: lire(Engagement::AbsenceRecrutementClientele),
            analyse_pratique_par_intervenants_exterieurs: lire(
                Engagement::AnalysePratiqueExterieure,
            ),
            ..StructureAip::new(
                self.statut.vers_referentiel(),
                self.activite.vers_referentiel(),
            )
        }
    }

    /// The référentiel's conformity report of the structure (status, activity, commitments as
    /// checked by the Caf). A commitment attested but not checked says so (« attesté le …, à
    /// contrôler »); a centre social's condition checked while the others are not keeps its
    /// own finding.
    pub fn rapport_structure(&self) -> Rapport {
        let structure = self.structure_aip();
        let mut rapport = verifier_structure(&structure);
        if self.activite == TypeActivite::CentreSocial && structure.centre_social.is_none() {
            // Each condition checked on its own: the finding of the condition as checked (the
            // unknown ones read as met only to compute the others').
            let lire = |e: Engagement| self.engagements.etat(e).vers_referentiel();
            let [a, b, c] = Engagement::CENTRE_SOCIAL.map(lire);
            let partiel = verifier_structure(&StructureAip {
                centre_social: Some(ConditionsCentreSocial {
                    professionnels_distincts_des_referents_familles: a.unwrap_or(true),
                    competences_complementaires_aux_referents_familles: b.unwrap_or(true),
                    espace_ecoute_distinct_de_l_accueil: c.unwrap_or(true),
                }),
                ..structure.clone()
            });
            for e in Engagement::CENTRE_SOCIAL {
                if lire(e).is_none() {
                    continue;
                }
                let [oui, non, inconnu] = e.codes_constat();
                let remplacant = partiel
                    .constats
                    .iter()
                    .find(|k| k.code == oui || k.code == non)
                    .cloned();
                if let (Some(place), Some(remplacant)) = (
                    rapport.constats.iter_mut().find(|k| k.code == inconnu),
                    remplacant,
                ) {
                    *place = remplacant;
                }
            }
        }
        for e in self.engagements_applicables() {
            let Some(attestation) = self
                .engagements
                .suivi(e)
                .and_then(|s| s.attestation.as_ref())
            else {
                continue;
            };
            let etat = self.engagements.etat(e);
            let a_controler = match etat {
                EtatEngagement::AControler => "à contrôler par la Caf",
                EtatEngagement::AControlerANouveau => "à contrôler à nouveau par la Caf",
                EtatEngagement::Controle(AvisCaf::AVerifier) => {
                    "à vérifier selon le contrôle de la Caf"
                }
                _ => continue,
            };
            let inconnu = e.codes_constat()[2];
            if let Some(constat) = rapport.constats.iter_mut().find(|k| k.code == inconnu) {
                constat.message = format!(
                    "{} : attesté {} le {} par le gestionnaire, {a_controler}.",
                    e.libelle(),
                    if attestation.respecte {
                        "respecté"
                    } else {
                        "non respecté"
                    },
                    date_fr(attestation.date)
                );
            }
        }
        rapport
    }

    fn exiger_applicable(&self, action: &'static str, engagement: Engagement) -> Result<(), Refus> {
        if self.engagements_applicables().contains(&engagement) {
            Ok(())
        } else {
            Err(Refus::incoherence(
                action,
                format!(
                    "« {} » ne s'applique qu'à un centre social",
                    engagement.libelle()
                ),
            ))
        }
    }

    /// The gestionnaire attests one commitment of its own structure. A new attestation replaces
    /// the previous one and makes the Caf's check of it stale.
    pub fn attester(
        &self,
        acteur: &Acteur,
        engagement: Engagement,
        saisie: &SaisieAttestation,
        quand: OffsetDateTime,
    ) -> Result<Transition<Gestionnaire>, Refus> {
        exiger_gestionnaire(acteur, ACTION_ATTESTER, self.id)?;
        self.exiger_applicable(ACTION_ATTESTER, engagement)?;
        let declaration = saisie.verifier(quand.date())?;
        let avant = self.engagements.etat(engagement);
        let mut apres = self.clone();
        let suivi = apres.engagements.0.entry(engagement).or_default();
        let numero = suivi.attestation.as_ref().map_or(1, |a| a.numero + 1);
        let respecte = if saisie.respecte {
            "respecté"
        } else {
            "non respecté"
        };
        suivi.attestation = Some(Attestation {
            numero,
            respecte: saisie.respecte,
            declaration: declaration.clone(),
            date: saisie.date,
            piece: saisie.piece,
            par: acteur.id,
            le: quand,
        });
        let etat = apres.engagements.etat(engagement);
        let audit = Audit::nouveau(
            TypeEntite::Gestionnaire,
            self.id.0,
            "attester_engagement",
            acteur,
            quand,
            format!(
                "engagement « {} » ({}) attesté {respecte} le {} : {declaration}",
                engagement.libelle(),
                engagement.source(),
                date_fr(saisie.date)
            ),
        )
        .changement(
            engagement.code(),
            Some(avant.libelle().to_owned()),
            Some(format!("{} ({respecte})", etat.libelle())),
        );
        Ok(Transition { apres, audit })
    }

    /// A Caf agent of the structure's département checks the last attestation of a commitment.
    pub fn controler(
        &self,
        acteur: &Acteur,
        engagement: Engagement,
        saisie: &SaisieControle,
        quand: OffsetDateTime,
    ) -> Result<Transition<Gestionnaire>, Refus> {
        exiger_agent_caf(acteur, ACTION_CONTROLER, self.departement_siege)?;
        self.exiger_applicable(ACTION_CONTROLER, engagement)?;
        let Some(numero) = self
            .engagements
            .suivi(engagement)
            .and_then(|s| s.attestation.as_ref())
            .map(|a| a.numero)
        else {
            return Err(Refus::condition(
                ACTION_CONTROLER,
                format!(
                    "« {} » n'a pas encore été attesté par le gestionnaire : la Caf contrôle une attestation",
                    engagement.libelle()
                ),
            ));
        };
        let commentaire = saisie.verifier()?;
        let avant = self.engagements.etat(engagement);
        let mut apres = self.clone();
        apres.engagements.0.entry(engagement).or_default().controle = Some(Controle {
            avis: saisie.avis,
            commentaire: commentaire.clone(),
            attestation: numero,
            par: acteur.id,
            le: quand,
        });
        let audit = Audit::nouveau(
            TypeEntite::Gestionnaire,
            self.id.0,
            "controler_engagement",
            acteur,
            quand,
            format!(
                "engagement « {} » ({}) contrôlé {} par la Caf{}",
                engagement.libelle(),
                engagement.source(),
                saisie.avis.libelle(),
                commentaire.map_or(String::new(), |c| format!(" : {c}"))
            ),
        )
        .changement(
            engagement.code(),
            Some(avant.libelle().to_owned()),
            Some(saisie.avis.libelle().to_owned()),
        );
        Ok(Transition { apres, audit })
    }
}
