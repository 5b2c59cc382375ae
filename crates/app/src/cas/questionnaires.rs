//! The anonymous questionnaires of the evaluation as use cases: a structure's two links (created
//! the first time its staff or its Caf asks for them, renewed on request, both audited), the
//! public form reached by a link (no account: a form sent twice is stored once, and a client
//! address may send only so many answers an hour), and the aggregated, masked results that a
//! structure reads for itself, a Caf agent for its départements and the Cnaf for the nation.
//!
//! An answer is not audited one by one: it carries nothing that identifies who answered, and the
//! audit would only add the time of each answer to what is kept.

use std::collections::BTreeMap;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use domain::acces::{Acteur, Role};
use domain::evaluation::questionnaire::{
    CodeQuestionnaire, Public, Reponse, Resultats, agreger, journal,
};
use domain::identifiants::{CodeDepartement, GestionnaireId};
use domain::refus::Refus;
use domain::structures::Gestionnaire;
use sha2::{Digest, Sha256};
use store::Tx;
use store::audit::{self, NouvelEvenement};
use store::depot;
use store::questionnaires::{self as sql, Liens};
use time::OffsetDateTime;

pub use store::questionnaires::Periode;

use crate::Plateforme;
use crate::erreur::ErreurApp;

/// Answers one client address may send in an hour, all structures together. A structure may
/// lend a tablet or a computer to the parents it receives: the limit leaves room for a day's
/// reception, not for a script.
pub const ENVOIS_MAX_PAR_ADRESSE_ET_HEURE: i64 = 20;

/// What became of an answer sent through a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueReponse {
    /// Stored.
    Enregistree,
    /// This form had already been sent: the first answer stands, nothing more is stored.
    DejaEnregistree,
    /// Too many answers from this address in the last hour: nothing stored.
    TropDEnvois { raison: String },
}

/// What a questionnaire's public page shows of the structure its link belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionnaireOuvert {
    pub public: Public,
    pub gestionnaire: GestionnaireId,
    /// The structure's name.
    pub structure: String,
}

/// Which results to show: one structure, one département, one period (all that the reader may
/// see when empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiltreResultats {
    pub structure: Option<GestionnaireId>,
    pub departement: Option<CodeDepartement>,
    pub periode: Periode,
}

/// A new random code.
fn nouveau_code() -> CodeQuestionnaire {
    let mut octets = [0u8; 10];
    OsRng.fill_bytes(&mut octets);
    CodeQuestionnaire::depuis_octets(octets)
}

/// A new one-time token for a questionnaire form (sent back with the answer, so that the same
/// form sent twice is stored once).
pub fn jeton_de_formulaire() -> String {
    let mut octets = [0u8; 16];
    OsRng.fill_bytes(&mut octets);
    hex::encode(octets)
}

/// `YYYY-MM` of `instant` in UTC.
fn mois(instant: OffsetDateTime) -> String {
    let d = instant.to_offset(time::UtcOffset::UTC).date();
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

/// Who may hand out and renew the links of structure `gestionnaire` (of `departement`): its own
/// staff, and the Caf agents of its département.
fn verifier_liens(
    acteur: &Acteur,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    action: &'static str,
) -> Result<(), Refus> {
    match acteur.role {
        Role::Gestionnaire | Role::Intervenant if acteur.gestionnaires.contains(&gestionnaire) => {
            Ok(())
        }
        Role::Gestionnaire | Role::Intervenant => Err(Refus::Structure { action }),
        Role::Caf if acteur.departements.contains(&departement) => Ok(()),
        Role::Caf => Err(Refus::Territoire {
            action,
            departement,
        }),
        role => Err(Refus::Role {
            action,
            reservee_a: "à la structure et à la Caf de son département",
            role,
        }),
    }
}

async fn auditer_liens(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    (action, description): (&str, &str),
    detail: &str,
    acteur: Option<&Acteur>,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    audit::ajouter(
        tx,
        NouvelEvenement {
            horodatage: quand,
            acteur_id: acteur.map(|a| a.id.0),
            role: Some(acteur.map_or("operateur", |a| a.role.code()).to_owned()),
            entite: journal::ENTITE.to_owned(),
            entite_id: gestionnaire.0,
            action: action.to_owned(),
            etat_avant: None,
            etat_apres: None,
            description: format!("{description}{detail}"),
            changements: "[]".to_owned(),
            avant: None,
            apres: None,
        },
    )
    .await?;
    Ok(())
}

/// The links of `gestionnaire`, created (and audited, by `acteur` or the platform) if it had
/// none; in `tx`.
pub(crate) async fn liens_ou_creer(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    acteur: Option<&Acteur>,
    quand: OffsetDateTime,
) -> Result<Liens, ErreurApp> {
    if let Some(l) = sql::liens(tx, gestionnaire).await? {
        return Ok(l);
    }
    let liens = Liens {
        gestionnaire,
        parents: nouveau_code(),
        partenaires: nouveau_code(),
        cree_le: quand,
        renouvele_le: None,
    };
    sql::creer_liens(tx, &liens).await?;
    auditer_liens(tx, gestionnaire, journal::CREES, "", acteur, quand).await?;
    Ok(liens)
}

impl Plateforme {
    /// The structure `gestionnaire` and its two questionnaire links, created the first time
    /// (audited): for its staff and the Caf agents of its département.
    pub async fn liens_questionnaires(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        quand: OffsetDateTime,
    ) -> Result<(Gestionnaire, Liens), ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let structure = depot::lire::<Gestionnaire>(&mut tx, gestionnaire.0)
            .await?
            .valeur;
        verifier_liens(
            acteur,
            gestionnaire,
            structure.departement_siege,
            "Diffuser les questionnaires",
        )?;
        let liens = liens_ou_creer(&mut tx, gestionnaire, Some(acteur), quand).await?;
        tx.valider().await?;
        Ok((structure, liens))
    }

    /// Replaces the link of `public` of structure `gestionnaire` with a new random one: the
    /// old link (a poster lost, a link passed around) stops working. Audited.
    pub async fn renouveler_lien_questionnaire(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        public: Public,
        quand: OffsetDateTime,
    ) -> Result<Liens, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let structure = depot::lire::<Gestionnaire>(&mut tx, gestionnaire.0)
            .await?
            .valeur;
        verifier_liens(
            acteur,
            gestionnaire,
            structure.departement_siege,
            "Renouveler le lien d’un questionnaire",
        )?;
        liens_ou_creer(&mut tx, gestionnaire, Some(acteur), quand).await?;
        sql::renouveler(&mut tx, gestionnaire, public, &nouveau_code(), quand).await?;
        auditer_liens(
            &mut tx,
            gestionnaire,
            journal::RENOUVELE,
            &format!(" : {}", public.libelle().to_lowercase()),
            Some(acteur),
            quand,
        )
        .await?;
        let liens =
            sql::liens(&mut tx, gestionnaire)
                .await?
                .ok_or(store::ErreurStore::Introuvable {
                    entite: "les liens des questionnaires de la structure",
                    id: gestionnaire.0,
                })?;
        tx.valider().await?;
        Ok(liens)
    }

    /// The questionnaire of `public` that link code `code` opens (not found when no structure
    /// has it, or no longer).
    pub async fn questionnaire_ouvert(
        &self,
        public: Public,
        code: &str,
    ) -> Result<QuestionnaireOuvert, ErreurApp> {
        let mut tx = self.base.lecture().await?;
        let introuvable = store::ErreurStore::Introuvable {
            entite: "le questionnaire",
            id: 0,
        };
        let Some(code) = CodeQuestionnaire::parse(code) else {
            return Err(introuvable.into());
        };
        let gestionnaire = sql::structure_du_code(&mut tx, public, &code)
            .await?
            .ok_or(introuvable)?;
        let structure = depot::lire::<Gestionnaire>(&mut tx, gestionnaire.0)
            .await?
            .valeur
            .raison_sociale;
        Ok(QuestionnaireOuvert {
            public,
            gestionnaire,
            structure,
        })
    }

    /// An answer to the questionnaire of `public` through link code `code`, sent with the
    /// form's one-time token `jeton` from `adresse_client`. A faulty answer is refused, item by
    /// item, and nothing is stored; the same form sent twice is stored once; over the limit of
    /// the address, nothing is stored.
    pub async fn repondre_questionnaire(
        &self,
        public: Public,
        code: &str,
        saisie: &BTreeMap<String, String>,
        jeton: &str,
        adresse_client: &str,
        quand: OffsetDateTime,
    ) -> Result<IssueReponse, ErreurApp> {
        let ouvert = self.questionnaire_ouvert(public, code).await?;
        let reponse = Reponse::verifier(public, saisie)?;
        let jeton = jeton.trim();
        if jeton.len() < 16 || jeton.len() > 128 {
            return Err(Refus::Champ {
                action: "Répondre au questionnaire",
                champ: "jeton",
                raison: "le formulaire est incomplet : rechargez la page et répondez à nouveau"
                    .to_owned(),
            }
            .into());
        }
        let empreinte = hex::encode(Sha256::digest(jeton.as_bytes()));
        let mut tx = self.base.debuter().await?;
        if sql::deja_recue(&mut tx, &empreinte).await? {
            return Ok(IssueReponse::DejaEnregistree);
        }
        let t = quand.unix_timestamp();
        if sql::envois_recents(&mut tx, adresse_client, t - 3600).await?
            >= ENVOIS_MAX_PAR_ADRESSE_ET_HEURE
        {
            tracing::warn!(
                "réponse à un questionnaire refusée : trop d’envois depuis une même adresse"
            );
            return Ok(IssueReponse::TropDEnvois {
                raison: format!(
                    "{ENVOIS_MAX_PAR_ADRESSE_ET_HEURE} réponses ont déjà été envoyées depuis cette connexion dans la dernière heure : réessayez dans une heure"
                ),
            });
        }
        let departement = depot::lire::<Gestionnaire>(&mut tx, ouvert.gestionnaire.0)
            .await?
            .valeur
            .departement_siege;
        let id = depot::prochain_id(&mut tx, "reponses_questionnaires").await?;
        sql::inserer_reponse(
            &mut tx,
            id,
            &reponse,
            ouvert.gestionnaire,
            Some(departement),
            &mois(quand),
            &empreinte,
        )
        .await?;
        sql::noter_envoi(&mut tx, adresse_client, t).await?;
        match tx.valider().await {
            Ok(()) => Ok(IssueReponse::Enregistree),
            // Two sends of one form at the same instant: the unique token let one through.
            Err(e) => {
                let mut relecture = self.base.lecture().await?;
                if sql::deja_recue(&mut relecture, &empreinte).await? {
                    Ok(IssueReponse::DejaEnregistree)
                } else {
                    Err(e.into())
                }
            }
        }
    }

    /// The masked results of the questionnaire of `public` that `acteur` may read: the
    /// structure's own for its staff, those of its départements and their structures for a Caf
    /// agent, every one for the Cnaf; the nation's for all of them. Refused to other roles.
    /// The masking is computed once over the nation (see [`agreger`]), then `filtre` and the
    /// reader's perimeter keep what is shown.
    pub async fn resultats_questionnaires(
        &self,
        acteur: &Acteur,
        public: Public,
        filtre: &FiltreResultats,
    ) -> Result<Resultats, ErreurApp> {
        match acteur.role {
            Role::Cnaf | Role::Caf | Role::Gestionnaire | Role::Intervenant => {}
            _ => {
                return Err(ErreurApp::Interdit(
                    "les résultats des questionnaires sont réservés aux structures, aux Caf et à la Cnaf"
                        .into(),
                ));
            }
        }
        let mut tx = self.base.lecture().await?;
        let comptages = sql::comptages(&mut tx, public, &filtre.periode).await?;
        let resultats = agreger(public, &comptages);
        let voit_structure = |g: GestionnaireId, d: Option<CodeDepartement>| match acteur.role {
            Role::Cnaf => true,
            Role::Caf => d.is_some_and(|d| acteur.departements.contains(&d)),
            _ => acteur.gestionnaires.contains(&g),
        };
        let voit_departement = |d: CodeDepartement| match acteur.role {
            Role::Cnaf => true,
            Role::Caf => acteur.departements.contains(&d),
            _ => false,
        };
        Ok(resultats.restreindre(
            |g, d| {
                voit_structure(g, d)
                    && filtre.structure.is_none_or(|s| s == g)
                    && filtre.departement.is_none_or(|f| d == Some(f))
            },
            |d| {
                voit_departement(d)
                    && filtre.departement.is_none_or(|f| f == d)
                    && filtre.structure.is_none()
            },
        ))
    }

    /// The names of structures `ids`, for the results' pages (a structure not found keeps its
    /// number).
    pub async fn noms_des_structures(
        &self,
        ids: impl IntoIterator<Item = GestionnaireId>,
    ) -> Result<BTreeMap<GestionnaireId, String>, ErreurApp> {
        let mut tx = self.base.lecture().await?;
        let mut noms = BTreeMap::new();
        for id in ids {
            if noms.contains_key(&id) {
                continue;
            }
            let nom = match depot::lire::<Gestionnaire>(&mut tx, id.0).await {
                Ok(g) => g.valeur.raison_sociale,
                Err(store::ErreurStore::Introuvable { .. }) => format!("Structure n°{}", id.0),
                Err(e) => return Err(e.into()),
            };
            noms.insert(id, nom);
        }
        Ok(noms)
    }
}
