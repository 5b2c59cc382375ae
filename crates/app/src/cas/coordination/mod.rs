//! The departmental coordination's use cases: the instance and its members (entered one by one or
//! imported from a file, all rows or none), who reads what, and the séances
//! ([`seances`]) with their convocations by mail and calendar ([`convocation`], [`invitation`]).
//!
//! Who acts: the Caf's agents of the département hold the secretariat and write; the Cnaf reads
//! every instance; a member (an account of role `membre`, or any account a member is linked to)
//! reads its instance's séances it is convened to, answers and comments.

pub mod convocation;
pub mod invitation;
pub mod rapport;
pub mod seances;

use domain::Acteur;
use domain::Role;
use domain::coordination::{
    Instance, LigneRefusee, Membre, SaisieInstance, SaisieMembre, lire_import, verifier_composition,
};
use domain::identifiants::{CodeDepartement, InstanceId, MembreId};
use store::Tx;
use store::coordination as depot_coordination;
use store::depot::{self, Lu};
use time::OffsetDateTime;

use super::{creer, ecrire};
use crate::{ErreurApp, Plateforme};

/// An instance as a reader sees it: the instance, its members, and which of them the reader is.
#[derive(Debug, Clone)]
pub struct VueInstance {
    pub instance: Lu<Instance>,
    pub membres: Vec<Lu<Membre>>,
    /// The reader's own membership, when it has one.
    pub moi: Option<MembreId>,
    /// Whether the reader holds the secretariat (writes).
    pub secretariat: bool,
}

/// Whether `acteur` may read the instance at all: the Cnaf, the Caf agents and funders of the
/// département, and its members; for the national instance, the Cnaf, the Caf de l'Isère that
/// co-pilots it, and its members (the référents of the Caf, by their account).
fn lecteur(acteur: &Acteur, instance: &Instance, membres: &[Lu<Membre>]) -> bool {
    let membre = membres
        .iter()
        .any(|m| m.valeur.utilisateur == Some(acteur.id));
    if !instance.forme.departementale() {
        return instance.tient_le_secretariat(acteur) || membre;
    }
    match acteur.role {
        Role::Cnaf => true,
        Role::Caf | Role::Financeur => acteur.departements.contains(&instance.departement),
        _ => membre,
    }
}

/// The instance with its members as `acteur` reads it, or a refusal when it may not.
pub(crate) async fn vue_de(
    tx: &mut Tx,
    acteur: &Acteur,
    instance: Lu<Instance>,
) -> Result<VueInstance, ErreurApp> {
    let membres = depot_coordination::membres(tx, instance.valeur.id).await?;
    if !lecteur(acteur, &instance.valeur, &membres) {
        return Err(ErreurApp::Interdit(
            if instance.valeur.forme.departementale() {
                format!(
                    "l'instance de coordination du département {}",
                    instance.valeur.departement
                )
            } else {
                "l'instance nationale de l'expérimentation".to_owned()
            },
        ));
    }
    let moi = membres
        .iter()
        .find(|m| m.valeur.utilisateur == Some(acteur.id))
        .map(|m| m.valeur.id);
    let secretariat = instance.valeur.tient_le_secretariat(acteur);
    Ok(VueInstance {
        instance,
        membres,
        moi,
        secretariat,
    })
}

pub(crate) async fn lire_instance(
    tx: &mut Tx,
    acteur: &Acteur,
    departement: CodeDepartement,
) -> Result<Option<VueInstance>, ErreurApp> {
    let Some(instance) =
        depot_coordination::instance_du_departement(tx, departement.as_str()).await?
    else {
        return Ok(None);
    };
    vue_de(tx, acteur, instance).await.map(Some)
}

impl Plateforme {
    /// The départements whose instance `acteur` may open: its territory, or for a member the
    /// instances it sits on; the Cnaf every instance recorded.
    pub async fn instances_lisibles(
        &self,
        acteur: &Acteur,
    ) -> Result<Vec<Lu<Instance>>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let toutes = depot_coordination::instances(&mut tx).await?;
        let mes: Vec<InstanceId> = depot_coordination::membres_du_compte(&mut tx, acteur.id.0)
            .await?
            .into_iter()
            .map(|m| m.valeur.instance)
            .collect();
        Ok(toutes
            .into_iter()
            .filter(|i| i.valeur.forme.departementale())
            .filter(|i| match acteur.role {
                Role::Cnaf => true,
                Role::Caf | Role::Financeur => {
                    acteur.departements.contains(&i.valeur.departement)
                        || mes.contains(&i.valeur.id)
                }
                _ => mes.contains(&i.valeur.id),
            })
            .collect())
    }

    /// The instance of `departement` with its members, if it is set up.
    pub async fn instance(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
    ) -> Result<Option<VueInstance>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        lire_instance(&mut tx, acteur, departement).await
    }

    /// Sets up the instance of `departement`, or changes its configuration.
    pub async fn configurer_instance(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        saisie: SaisieInstance,
        version_lue: Option<i64>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Instance>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let lu = match depot_coordination::instance_du_departement(&mut tx, departement.as_str())
            .await?
        {
            Some(avant) => {
                let t = avant.valeur.configurer(acteur, saisie, quand)?;
                let membres: Vec<Membre> = depot_coordination::membres(&mut tx, avant.valeur.id)
                    .await?
                    .into_iter()
                    .map(|m| m.valeur)
                    .collect();
                verifier_composition(t.apres.forme, &membres, quand.date())?;
                ecrire(&mut tx, &avant, version_lue, t).await?
            }
            None => {
                let id = InstanceId(depot::prochain_id(&mut tx, "instances").await?);
                let t = Instance::creer(acteur, id, departement, saisie, quand)?;
                creer(&mut tx, t).await?
            }
        };
        tx.valider().await?;
        Ok(lu)
    }

    /// Adds a member to the instance of `departement` (by its secretariat). `compte` links the
    /// member to an existing account by its e-mail address, when it has one.
    pub async fn ajouter_membre(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        saisie: SaisieMembre,
        quand: OffsetDateTime,
    ) -> Result<Lu<Membre>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let vue = exiger_secretariat(&mut tx, acteur, departement, "Ajouter un membre").await?;
        let id = MembreId(depot::prochain_id(&mut tx, "membres").await?);
        let compte = depot_coordination::compte_par_email(&mut tx, saisie.email.trim()).await?;
        let membre = saisie.valider(
            &vue.instance.valeur,
            id,
            compte.map(domain::identifiants::UtilisateurId),
        )?;
        let mut tous: Vec<Membre> = vue.membres.iter().map(|m| m.valeur.clone()).collect();
        tous.push(membre.clone());
        verifier_composition(vue.instance.valeur.forme, &tous, quand.date())?;
        let lu = creer(&mut tx, transition_membre(acteur, membre, quand)).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Imports members from a CSV file: all rows or none; on any fault, every bad row with its
    /// reasons, and nothing written.
    pub async fn importer_membres(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        contenu: &str,
        quand: OffsetDateTime,
    ) -> Result<Result<usize, Vec<LigneRefusee>>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let vue = exiger_secretariat(&mut tx, acteur, departement, "Importer des membres").await?;
        let existants: Vec<Membre> = vue.membres.iter().map(|m| m.valeur.clone()).collect();
        let premier = depot::prochain_id(&mut tx, "membres").await?;
        let membres = match lire_import(
            &vue.instance.valeur,
            &existants,
            contenu,
            premier,
            quand.date(),
        ) {
            Ok(m) => m,
            Err(lignes) => return Ok(Err(lignes)),
        };
        let n = membres.len();
        for (i, mut m) in membres.into_iter().enumerate() {
            if i > 0 {
                m.id = MembreId(depot::prochain_id(&mut tx, "membres").await?);
            }
            let compte = depot_coordination::compte_par_email(&mut tx, m.email.as_str()).await?;
            m.utilisateur = compte.map(domain::identifiants::UtilisateurId);
            creer(&mut tx, transition_membre(acteur, m, quand)).await?;
        }
        tx.valider().await?;
        Ok(Ok(n))
    }
}

/// The audited creation of a member (shared with the national instance).
pub(crate) fn transition_membre(
    acteur: &Acteur,
    membre: Membre,
    quand: OffsetDateTime,
) -> domain::Transition<Membre> {
    let audit = domain::Audit {
        entite: domain::TypeEntite::Membre,
        entite_id: membre.id.0,
        action: "ajouter",
        acteur: acteur.id,
        role: acteur.role,
        horodatage: quand,
        etat_avant: None,
        etat_apres: None,
        description: format!(
            "{} ({}) ajouté à l'instance comme {}",
            membre.personne,
            membre.organisation,
            membre.role.libelle()
        ),
        changements: Vec::new(),
    };
    domain::Transition {
        apres: membre,
        audit,
    }
}

/// The instance of `departement`, for a write of its secretariat.
pub(crate) async fn exiger_secretariat(
    tx: &mut Tx,
    acteur: &Acteur,
    departement: CodeDepartement,
    action: &'static str,
) -> Result<VueInstance, ErreurApp> {
    domain::acces::exiger_role_caf(acteur, action)?;
    let vue = lire_instance(tx, acteur, departement)
        .await?
        .ok_or_else(|| {
            ErreurApp::Refus(domain::Refus::condition(
                action,
                "l'instance du département n'est pas encore configurée",
            ))
        })?;
    if !vue.secretariat {
        return Err(ErreurApp::Refus(domain::Refus::Territoire {
            action,
            departement,
        }));
    }
    Ok(vue)
}
