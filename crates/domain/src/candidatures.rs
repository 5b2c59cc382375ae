//! Calls for candidacies of the Caf to a new wave of the AIP experiment, and each Caf's
//! candidacy: the Cnaf opens a call with a deadline; a Caf drafts its file (the content of the
//! « fiche de candidature »), submits it before the deadline; the Cnaf selects or declines it,
//! always with a reason, once.
//!
//! Source: Instruction Cnaf It 2023-131 « Expérimentation d'une nouvelle offre d'accompagnement
//! individuel de soutien à la parentalité - Mise en place d'une instance nationale (Cnaf - Caf) »
//! §6 (« les Caf intéressées par cette démarche devront adresser la fiche de candidature en
//! annexe au plus tard le 22 septembre 2023 ») and §3 (a group of Caf « mobilisant des
//! dynamiques locales et des acteurs locaux du soutien à la parentalité »).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::acces::{Acteur, exiger_agent_caf};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::coordination::exiger_pilote_national;
use crate::identifiants::{
    AppelCandidaturesId, CandidatureId, CodeDepartement, Email, UtilisateurId,
};
use crate::quantites::Etp;
use crate::refus::{Refus, exiger_etat, exiger_motif};
use crate::texte::{controler, date_fr, vide};

/// A call for candidacies to a wave of the experiment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppelCandidatures {
    pub id: AppelCandidaturesId,
    pub titre: String,
    /// The wave's number: the first wave is the ten départements of 2024–2025.
    pub vague: u16,
    /// The last day a candidacy may be submitted (included).
    #[serde(with = "crate::serde_dates::date")]
    pub date_limite: Date,
    /// What the Cnaf expects in the file, shown to the Caf.
    pub contenu_attendu: String,
    #[serde(with = "crate::serde_dates::instant")]
    pub ouvert_le: OffsetDateTime,
}

/// What the Cnaf enters to open a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaisieAppel {
    pub titre: String,
    pub vague: u16,
    pub date_limite: Date,
    pub contenu_attendu: String,
}

const ACTION_OUVRIR: &str = "Ouvrir un appel à candidatures";

impl AppelCandidatures {
    /// Opens a call: by the Cnaf, for a wave after the first, its deadline not past.
    pub fn ouvrir(
        acteur: &Acteur,
        id: AppelCandidaturesId,
        saisie: SaisieAppel,
        quand: OffsetDateTime,
    ) -> Result<Transition<AppelCandidatures>, Refus> {
        exiger_pilote_national(acteur, ACTION_OUVRIR)?;
        let mut refus = Vec::new();
        if vide(&saisie.titre) {
            refus.push(Refus::sur_champ(ACTION_OUVRIR, "titre", "à compléter"));
        } else if let Err(e) = controler(ACTION_OUVRIR, "titre", &saisie.titre, false) {
            refus.push(e);
        }
        if let Err(e) = controler(
            ACTION_OUVRIR,
            "contenu_attendu",
            &saisie.contenu_attendu,
            true,
        ) {
            refus.push(e);
        }
        if saisie.vague < 2 {
            refus.push(Refus::sur_champ(
                ACTION_OUVRIR,
                "vague",
                "la première vague est celle des dix départements de 2024–2025 : une nouvelle vague porte le numéro 2 ou plus",
            ));
        }
        if saisie.date_limite < quand.date() {
            refus.push(Refus::sur_champ(
                ACTION_OUVRIR,
                "date_limite",
                "la date limite est aujourd'hui ou plus tard",
            ));
        }
        Refus::ensemble(ACTION_OUVRIR, refus)?;
        let appel = AppelCandidatures {
            id,
            titre: saisie.titre.trim().to_owned(),
            vague: saisie.vague,
            date_limite: saisie.date_limite,
            contenu_attendu: saisie.contenu_attendu.trim().to_owned(),
            ouvert_le: quand,
        };
        let audit = Audit::nouveau(
            TypeEntite::AppelACandidatures,
            id.0,
            "ouvrir",
            acteur,
            quand,
            format!(
                "Appel à candidatures « {} » (vague {}) ouvert jusqu'au {}",
                appel.titre,
                appel.vague,
                date_fr(appel.date_limite)
            ),
        );
        Ok(Transition {
            apres: appel,
            audit,
        })
    }

    /// Whether candidacies may still be submitted on `quand`'s day.
    pub fn ouvert(&self, quand: OffsetDateTime) -> bool {
        quand.date() <= self.date_limite
    }
}

/// Where a candidacy stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtatCandidature {
    Brouillon,
    Deposee,
    Retenue,
    NonRetenue,
}

impl EtatCandidature {
    pub fn code(self) -> &'static str {
        match self {
            EtatCandidature::Brouillon => "brouillon",
            EtatCandidature::Deposee => "deposee",
            EtatCandidature::Retenue => "retenue",
            EtatCandidature::NonRetenue => "non_retenue",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            EtatCandidature::Brouillon => "brouillon",
            EtatCandidature::Deposee => "déposée",
            EtatCandidature::Retenue => "retenue",
            EtatCandidature::NonRetenue => "non retenue",
        }
    }
}

/// The file of a candidacy: the content of the « fiche de candidature ».
///
/// **Interpretation**: the fiche is an annex missing from the text of Instruction Cnaf It
/// 2023-131; its fields are drawn from §3 (local dynamics and actors), §2 (structures already
/// funded by the Caf), §6 (one référent parentalité per Caf) and the Référentiel national de
/// financement de l'expérimentation §VI.2 (the FTE funded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierCandidature {
    /// The Caf's motivations.
    pub motivations: String,
    /// Its local partners in parenting support.
    pub partenaires: String,
    /// The local dynamics the experiment would rest on.
    pub dynamiques: String,
    /// The structures foreseen (LAEP, centres sociaux, maisons des familles…).
    pub structures: String,
    /// The référent parentalité named, and its address.
    pub referent_nom: String,
    pub referent_email: String,
    /// The FTE of professionals estimated.
    pub etp: Option<Etp>,
}

impl DossierCandidature {
    fn textes(&self) -> [(&'static str, &str, bool); 6] {
        [
            ("motivations", self.motivations.as_str(), true),
            ("partenaires", self.partenaires.as_str(), true),
            ("dynamiques", self.dynamiques.as_str(), true),
            ("structures", self.structures.as_str(), true),
            ("referent_nom", self.referent_nom.as_str(), false),
            ("referent_email", self.referent_email.as_str(), false),
        ]
    }

    /// Refuses a text too long or holding a control character, or an address that is not one;
    /// a draft may leave fields empty.
    fn controler(&self, action: &'static str) -> Result<(), Refus> {
        let mut refus = Vec::new();
        for (champ, texte, long) in self.textes() {
            if let Err(e) = controler(action, champ, texte, long) {
                refus.push(Refus::sur_champ(action, champ, e.to_string()));
            }
        }
        if !vide(&self.referent_email)
            && let Err(e) = Email::parse(self.referent_email.trim())
        {
            refus.push(Refus::sur_champ(action, "referent_email", e.to_string()));
        }
        Refus::ensemble(action, refus)
    }

    /// The fields still empty (to submit, every field is filled and the FTE above zero).
    pub fn manquants(&self) -> Vec<&'static str> {
        let mut champs: Vec<&'static str> = self
            .textes()
            .into_iter()
            .filter(|(_, texte, _)| vide(texte))
            .map(|(champ, _, _)| champ)
            .collect();
        if self.etp.is_none_or(Etp::est_zero) {
            champs.push("etp");
        }
        champs
    }
}

/// The Cnaf's decision on a candidacy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionCandidature {
    pub retenue: bool,
    pub motif: String,
    pub par: UtilisateurId,
    #[serde(with = "crate::serde_dates::instant")]
    pub le: OffsetDateTime,
}

/// A Caf's candidacy to a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidature {
    pub id: CandidatureId,
    pub appel: AppelCandidaturesId,
    /// The département of the Caf that applies.
    pub departement: CodeDepartement,
    pub etat: EtatCandidature,
    pub dossier: DossierCandidature,
    #[serde(default, with = "crate::serde_dates::instant::option")]
    pub deposee_le: Option<OffsetDateTime>,
    pub decision: Option<DecisionCandidature>,
}

const ACTION_REDIGER: &str = "Rédiger la candidature";
const ACTION_DEPOSER: &str = "Déposer la candidature";
const ACTION_DECIDER: &str = "Décider de la candidature";

fn exiger_ouvert(
    action: &'static str,
    appel: &AppelCandidatures,
    quand: OffsetDateTime,
) -> Result<(), Refus> {
    if appel.ouvert(quand) {
        Ok(())
    } else {
        Err(Refus::condition(
            action,
            format!(
                "la date limite de l'appel « {} » était le {} : la candidature ne peut plus être déposée",
                appel.titre,
                date_fr(appel.date_limite)
            ),
        ))
    }
}

impl Candidature {
    /// Starts the candidacy of the Caf of `departement` as a draft: by one of its agents, while
    /// the call is open.
    pub fn creer(
        acteur: &Acteur,
        id: CandidatureId,
        appel: &AppelCandidatures,
        departement: CodeDepartement,
        dossier: DossierCandidature,
        quand: OffsetDateTime,
    ) -> Result<Transition<Candidature>, Refus> {
        exiger_agent_caf(acteur, ACTION_REDIGER, departement)?;
        exiger_ouvert(ACTION_REDIGER, appel, quand)?;
        dossier.controler(ACTION_REDIGER)?;
        let candidature = Candidature {
            id,
            appel: appel.id,
            departement,
            etat: EtatCandidature::Brouillon,
            dossier,
            deposee_le: None,
            decision: None,
        };
        let audit = Audit::nouveau(
            TypeEntite::Candidature,
            id.0,
            "creer",
            acteur,
            quand,
            format!(
                "Candidature de la Caf du département {departement} à l'appel « {} » commencée",
                appel.titre
            ),
        )
        .etats(None, EtatCandidature::Brouillon.code());
        Ok(Transition {
            apres: candidature,
            audit,
        })
    }

    /// Changes the draft's file.
    pub fn rediger(
        &self,
        acteur: &Acteur,
        appel: &AppelCandidatures,
        dossier: DossierCandidature,
        quand: OffsetDateTime,
    ) -> Result<Transition<Candidature>, Refus> {
        exiger_agent_caf(acteur, ACTION_REDIGER, self.departement)?;
        exiger_etat(
            ACTION_REDIGER,
            "la candidature",
            self.etat,
            EtatCandidature::libelle,
            &[EtatCandidature::Brouillon],
        )?;
        exiger_ouvert(ACTION_REDIGER, appel, quand)?;
        dossier.controler(ACTION_REDIGER)?;
        let apres = Candidature {
            dossier,
            ..self.clone()
        };
        let audit = Audit::nouveau(
            TypeEntite::Candidature,
            self.id.0,
            "rediger",
            acteur,
            quand,
            "Dossier de candidature modifié",
        );
        Ok(Transition { apres, audit })
    }

    /// Submits the candidacy: by an agent of its Caf, its file complete, on or before the
    /// call's deadline (Instruction Cnaf It 2023-131 §6, « au plus tard le »).
    pub fn deposer(
        &self,
        acteur: &Acteur,
        appel: &AppelCandidatures,
        quand: OffsetDateTime,
    ) -> Result<Transition<Candidature>, Refus> {
        exiger_agent_caf(acteur, ACTION_DEPOSER, self.departement)?;
        exiger_etat(
            ACTION_DEPOSER,
            "la candidature",
            self.etat,
            EtatCandidature::libelle,
            &[EtatCandidature::Brouillon],
        )?;
        exiger_ouvert(ACTION_DEPOSER, appel, quand)?;
        let manquants = self.dossier.manquants();
        if !manquants.is_empty() {
            return Err(Refus::Incomplet {
                action: ACTION_DEPOSER,
                champs: manquants,
            });
        }
        let apres = Candidature {
            etat: EtatCandidature::Deposee,
            deposee_le: Some(quand),
            ..self.clone()
        };
        let audit = Audit::nouveau(
            TypeEntite::Candidature,
            self.id.0,
            "deposer",
            acteur,
            quand,
            format!(
                "Candidature de la Caf du département {} déposée",
                self.departement
            ),
        )
        .etats(Some(self.etat.code()), EtatCandidature::Deposee.code());
        Ok(Transition { apres, audit })
    }

    /// The Cnaf selects or declines the submitted candidacy, with a reason given; once only.
    pub fn decider(
        &self,
        acteur: &Acteur,
        retenue: bool,
        motif: &str,
        quand: OffsetDateTime,
    ) -> Result<Transition<Candidature>, Refus> {
        exiger_pilote_national(acteur, ACTION_DECIDER)?;
        exiger_etat(
            ACTION_DECIDER,
            "la candidature",
            self.etat,
            EtatCandidature::libelle,
            &[EtatCandidature::Deposee],
        )?;
        let motif = exiger_motif(ACTION_DECIDER, motif)?;
        let etat = if retenue {
            EtatCandidature::Retenue
        } else {
            EtatCandidature::NonRetenue
        };
        let apres = Candidature {
            etat,
            decision: Some(DecisionCandidature {
                retenue,
                motif: motif.clone(),
                par: acteur.id,
                le: quand,
            }),
            ..self.clone()
        };
        let audit = Audit::nouveau(
            TypeEntite::Candidature,
            self.id.0,
            "decider",
            acteur,
            quand,
            format!(
                "Candidature de la Caf du département {} {} : {motif}",
                self.departement,
                etat.libelle()
            ),
        )
        .etats(Some(self.etat.code()), etat.code());
        Ok(Transition { apres, audit })
    }

    /// Whether `acteur` may read it: the Cnaf, and the agents of the Caf that applies.
    pub fn lisible_par(&self, acteur: &Acteur) -> bool {
        match acteur.role {
            crate::Role::Cnaf => true,
            crate::Role::Caf => acteur.departements.contains(&self.departement),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    fn d(code: &str) -> CodeDepartement {
        CodeDepartement::parse(code).expect("code")
    }

    fn appel() -> AppelCandidatures {
        AppelCandidatures::ouvrir(
            &Acteur::cnaf(UtilisateurId(1)),
            AppelCandidaturesId(1),
            SaisieAppel {
                titre: "Deuxième vague".to_owned(),
                vague: 2,
                date_limite: date!(2026 - 12 - 20),
                contenu_attendu: "Motivations, partenaires, structures".to_owned(),
            },
            datetime!(2026-12-01 10:00 UTC),
        )
        .expect("opened")
        .apres
    }

    fn dossier() -> DossierCandidature {
        DossierCandidature {
            motivations: "Répondre aux demandes des parents".to_owned(),
            partenaires: "Conseil départemental, PMI".to_owned(),
            dynamiques: "Réseau parentalité actif".to_owned(),
            structures: "Deux LAEP, un centre social".to_owned(),
            referent_nom: "Camille Martin".to_owned(),
            referent_email: "camille.martin@caf.fr".to_owned(),
            etp: Some(Etp::parse("1,5").expect("etp")),
        }
    }

    fn caf(code: &str) -> Acteur {
        Acteur::caf(UtilisateurId(7), [d(code)])
    }

    fn deposee() -> Candidature {
        let a = appel();
        let c = Candidature::creer(
            &caf("35"),
            CandidatureId(1),
            &a,
            d("35"),
            dossier(),
            datetime!(2026-12-02 10:00 UTC),
        )
        .expect("draft")
        .apres;
        c.deposer(&caf("35"), &a, datetime!(2026-12-20 18:00 UTC))
            .expect("submitted on the last day")
            .apres
    }

    #[test]
    fn only_the_cnaf_opens_a_call_for_a_later_wave() {
        let saisie = SaisieAppel {
            titre: "Vague".to_owned(),
            vague: 1,
            date_limite: date!(2026 - 11 - 01),
            contenu_attendu: String::new(),
        };
        let quand = datetime!(2026-12-01 10:00 UTC);
        assert!(matches!(
            AppelCandidatures::ouvrir(&caf("38"), AppelCandidaturesId(1), saisie.clone(), quand),
            Err(Refus::Role { .. })
        ));
        let refus = AppelCandidatures::ouvrir(
            &Acteur::cnaf(UtilisateurId(1)),
            AppelCandidaturesId(1),
            saisie,
            quand,
        )
        .expect_err("wave 1 and deadline past");
        assert!(matches!(refus, Refus::Plusieurs { .. }));
    }

    #[test]
    fn only_an_agent_of_the_caf_applies_for_it() {
        let a = appel();
        let quand = datetime!(2026-12-02 10:00 UTC);
        assert!(matches!(
            Candidature::creer(&caf("44"), CandidatureId(1), &a, d("35"), dossier(), quand),
            Err(Refus::Territoire { .. })
        ));
        assert!(
            Candidature::creer(
                &Acteur::cnaf(UtilisateurId(1)),
                CandidatureId(1),
                &a,
                d("35"),
                dossier(),
                quand
            )
            .is_err()
        );
    }

    #[test]
    fn an_incomplete_file_is_not_submitted() {
        let a = appel();
        let c = Candidature::creer(
            &caf("35"),
            CandidatureId(1),
            &a,
            d("35"),
            DossierCandidature {
                structures: String::new(),
                etp: None,
                ..dossier()
            },
            datetime!(2026-12-02 10:00 UTC),
        )
        .expect("a draft may be incomplete")
        .apres;
        match c.deposer(&caf("35"), &a, datetime!(2026-12-03 10:00 UTC)) {
            Err(Refus::Incomplet { champs, .. }) => assert_eq!(champs, vec!["structures", "etp"]),
            autre => panic!("expected incomplete, got {autre:?}"),
        }
    }

    #[test]
    fn no_submission_after_the_deadline() {
        let a = appel();
        let c = Candidature::creer(
            &caf("35"),
            CandidatureId(1),
            &a,
            d("35"),
            dossier(),
            datetime!(2026-12-02 10:00 UTC),
        )
        .expect("draft")
        .apres;
        let refus = c
            .deposer(&caf("35"), &a, datetime!(2026-12-21 00:01 UTC))
            .expect_err("late");
        assert!(refus.to_string().contains("date limite"), "{refus}");
        assert!(refus.to_string().contains("20/12/2026"), "{refus}");
        assert!(
            Candidature::creer(
                &caf("35"),
                CandidatureId(2),
                &a,
                d("35"),
                dossier(),
                datetime!(2026-12-21 09:00 UTC)
            )
            .is_err()
        );
    }

    #[test]
    fn no_decision_without_a_reason() {
        let c = deposee();
        let cnaf = Acteur::cnaf(UtilisateurId(1));
        let quand = datetime!(2026-12-22 10:00 UTC);
        assert!(matches!(
            c.decider(&cnaf, true, "  \u{200b} ", quand),
            Err(Refus::MotifObligatoire { .. })
        ));
        assert!(matches!(
            c.decider(&caf("35"), true, "Dossier solide", quand),
            Err(Refus::Role { .. })
        ));
        let t = c
            .decider(&cnaf, true, "Partenariat local solide", quand)
            .expect("selected");
        assert_eq!(t.apres.etat, EtatCandidature::Retenue);
        let decision = t.apres.decision.as_ref().expect("decision");
        assert_eq!(decision.motif, "Partenariat local solide");
        assert_eq!(t.audit.etat_apres, Some("retenue"));
    }

    #[test]
    fn one_decision_only() {
        let cnaf = Acteur::cnaf(UtilisateurId(1));
        let quand = datetime!(2026-12-22 10:00 UTC);
        let retenue = deposee()
            .decider(&cnaf, true, "Partenariat local solide", quand)
            .expect("selected")
            .apres;
        assert!(matches!(
            retenue.decider(&cnaf, false, "Changement d'avis", quand),
            Err(Refus::Etat { .. })
        ));
        let brouillon = Candidature {
            etat: EtatCandidature::Brouillon,
            ..deposee()
        };
        assert!(brouillon.decider(&cnaf, true, "Motif", quand).is_err());
    }

    #[test]
    fn only_the_cnaf_and_the_caf_read_a_candidacy() {
        let c = deposee();
        assert!(c.lisible_par(&Acteur::cnaf(UtilisateurId(1))));
        assert!(c.lisible_par(&caf("35")));
        assert!(!c.lisible_par(&caf("38")));
        assert!(!c.lisible_par(&Acteur::membre(UtilisateurId(3), [d("35")])));
    }
}
