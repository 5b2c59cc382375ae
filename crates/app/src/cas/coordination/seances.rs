//! The séances' use cases: plan, change, convene, cancel, answer (signed in or by the personal
//! link), sign the attendance sheet, write, submit, comment, approve and publish the minutes,
//! follow the actions; each write with its mails in the same transaction.

use domain::Acteur;
use domain::coordination::{
    EtatCompteRendu, EtatSeance, Membre, Reponse, SaisieCompteRendu, SaisieSeance, Seance,
    StatutAction,
};
use domain::identifiants::{CodeDepartement, MembreId, SeanceId, UtilisateurId};
use store::Tx;
use store::coordination as depot_coordination;
use store::depot::{self, Lu};
use time::{Duration, OffsetDateTime};

use super::convocation::{self, empreinte};
use super::{VueInstance, exiger_secretariat, lire_instance, vue_de};
use crate::cas::{creer, ecrire};
use crate::{ErreurApp, Plateforme};

/// A séance as its reader sees it, with what the page needs around it.
#[derive(Debug, Clone)]
pub struct VueSeance {
    pub instance: VueInstance,
    pub seance: Lu<Seance>,
    /// The instance's earlier séances whose actions are still open, or whose minutes wait for
    /// approval (approved at this séance once held).
    pub precedentes: Vec<Lu<Seance>>,
}

/// What a personal answer link opens.
#[derive(Debug, Clone)]
pub struct VueLien {
    pub instance: VueInstance,
    pub seance: Lu<Seance>,
    pub membre: Membre,
}

/// How a séance is changed from its page.
#[derive(Debug, Clone)]
pub enum ActionSeance {
    Modifier(Box<SaisieSeance>),
    Convoquer {
        urgence: bool,
    },
    Annuler {
        motif: String,
    },
    /// The secretariat records a member's answer on its behalf.
    Repondre {
        membre: MembreId,
        reponse: Reponse,
    },
    Emarger {
        presents: Vec<MembreId>,
    },
    RedigerCompteRendu(Box<SaisieCompteRendu>),
    SoumettreCompteRendu,
    /// Approves, at this séance (held), the minutes of an earlier one.
    ApprouverCompteRendu {
        precedente: SeanceId,
    },
    PublierCompteRendu,
    SuivreAction {
        numero: u32,
        statut: StatutAction,
    },
}

fn membres_valeurs(vue: &VueInstance) -> Vec<Membre> {
    vue.membres.iter().map(|m| m.valeur.clone()).collect()
}

async fn lire_seance(
    tx: &mut Tx,
    acteur: &Acteur,
    id: SeanceId,
) -> Result<(VueInstance, Lu<Seance>), ErreurApp> {
    let seance = depot::lire::<Seance>(tx, id.0).await?;
    let instance =
        depot::lire::<domain::coordination::Instance>(tx, seance.valeur.instance.0).await?;
    let vue = vue_de(tx, acteur, instance).await?;
    if !seance
        .valeur
        .lisible_par(acteur, &vue.instance.valeur, &membres_valeurs(&vue))
    {
        return Err(ErreurApp::Interdit(format!("la séance n° {id}")));
    }
    Ok((vue, seance))
}

impl Plateforme {
    /// The séances of the instance of `departement` that `acteur` may read, in date order.
    pub async fn seances(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
    ) -> Result<Vec<Lu<Seance>>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let Some(vue) = lire_instance(&mut tx, acteur, departement).await? else {
            return Ok(Vec::new());
        };
        let membres = membres_valeurs(&vue);
        Ok(depot_coordination::seances(&mut tx, vue.instance.valeur.id)
            .await?
            .into_iter()
            .filter(|s| s.valeur.lisible_par(acteur, &vue.instance.valeur, &membres))
            .collect())
    }

    /// One séance, with the earlier séances its page follows up.
    pub async fn seance(&self, acteur: &Acteur, id: SeanceId) -> Result<VueSeance, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let (instance, seance) = lire_seance(&mut tx, acteur, id).await?;
        let precedentes = depot_coordination::seances(&mut tx, instance.instance.valeur.id)
            .await?
            .into_iter()
            .filter(|s| s.valeur.debut < seance.valeur.debut && s.valeur.etat == EtatSeance::Tenue)
            .filter(|s| match &s.valeur.compte_rendu {
                None => true,
                Some(cr) => {
                    matches!(
                        cr.etat,
                        EtatCompteRendu::Brouillon | EtatCompteRendu::EnCommentaires
                    ) || cr.actions.iter().any(|a| a.statut.ouverte())
                }
            })
            .collect();
        Ok(VueSeance {
            instance,
            seance,
            precedentes,
        })
    }

    /// Plans a séance of the instance of `departement`.
    pub async fn planifier_seance(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        saisie: SaisieSeance,
        quand: OffsetDateTime,
    ) -> Result<Lu<Seance>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let vue = exiger_secretariat(&mut tx, acteur, departement, "Planifier la séance").await?;
        let id = SeanceId(depot::prochain_id(&mut tx, "seances").await?);
        let t = Seance::planifier(acteur, &vue.instance.valeur, id, saisie, quand)?;
        let lu = creer(&mut tx, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Changes a séance by one of its actions; the mails it causes (convocations, their update,
    /// the cancellation, the minutes for comments) are queued in the same transaction.
    /// `adresse` is the service's public address, for the members' links.
    pub async fn agir_sur_seance(
        &self,
        acteur: &Acteur,
        id: SeanceId,
        version_lue: Option<i64>,
        action: ActionSeance,
        adresse: &str,
        quand: OffsetDateTime,
    ) -> Result<Lu<Seance>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let (vue, avant) = lire_seance(&mut tx, acteur, id).await?;
        let instance = vue.instance.valeur.clone();
        let membres = membres_valeurs(&vue);
        let s = &avant.valeur;
        let t = match action {
            ActionSeance::Modifier(saisie) => s.modifier(acteur, &instance, *saisie, quand)?,
            ActionSeance::Convoquer { urgence } => {
                s.convoquer(acteur, &instance, &membres, urgence, quand)?
            }
            ActionSeance::Annuler { motif } => s.annuler(acteur, &instance, &motif, quand)?,
            ActionSeance::Repondre { membre, reponse } => {
                let soi = vue.moi == Some(membre);
                if !vue.secretariat && !soi {
                    return Err(ErreurApp::Interdit(
                        "la réponse d'un autre membre".to_owned(),
                    ));
                }
                s.repondre(membre, reponse, quand, acteur)?
            }
            ActionSeance::Emarger { presents } => {
                s.emarger(acteur, &instance, &membres, &presents, quand)?
            }
            ActionSeance::RedigerCompteRendu(saisie) => {
                s.rediger_compte_rendu(acteur, &instance, *saisie, quand)?
            }
            ActionSeance::SoumettreCompteRendu => {
                s.soumettre_compte_rendu(acteur, &instance, quand)?
            }
            ActionSeance::ApprouverCompteRendu { precedente } => {
                let anterieure = depot::lire::<Seance>(&mut tx, precedente.0).await?;
                let t = anterieure
                    .valeur
                    .approuver_compte_rendu(acteur, &instance, s, quand)?;
                ecrire(&mut tx, &anterieure, None, t).await?;
                tx.valider().await?;
                return Ok(avant);
            }
            ActionSeance::PublierCompteRendu => s.publier_compte_rendu(acteur, &instance, quand)?,
            ActionSeance::SuivreAction { numero, statut } => {
                s.suivre_action(acteur, &instance, numero, statut, quand)?
            }
        };
        let convoquee_avant = s.etat == EtatSeance::Convoquee;
        let sequence_avant = s.sequence;
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        let apres = &lu.valeur;
        if apres.etat == EtatSeance::Annulee && convoquee_avant {
            convocation::envoyer_annulation(&mut tx, &instance, apres, &membres, quand).await?;
        } else if apres.etat == EtatSeance::Convoquee
            && (!convoquee_avant || apres.sequence != sequence_avant)
        {
            convocation::envoyer_convocations(&mut tx, &instance, apres, &membres, adresse, quand)
                .await?;
        }
        let soumis = |x: &Seance| {
            x.compte_rendu
                .as_ref()
                .map(|c| c.etat == EtatCompteRendu::EnCommentaires)
                .unwrap_or(false)
        };
        if soumis(apres) && !soumis(s) {
            convocation::envoyer_compte_rendu(&mut tx, &instance, apres, &membres, adresse, quand)
                .await?;
        }
        tx.valider().await?;
        Ok(lu)
    }

    /// What a personal link opens; `None` when the link is unknown or replaced by a newer one.
    pub async fn lien_de_convocation(&self, jeton: &str) -> Result<Option<VueLien>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        lire_lien(&mut tx, jeton).await
    }

    /// Records the answer given through a personal link.
    pub async fn repondre_par_lien(
        &self,
        jeton: &str,
        reponse: Reponse,
        quand: OffsetDateTime,
    ) -> Result<Option<Lu<Seance>>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let Some(vue) = lire_lien(&mut tx, jeton).await? else {
            return Ok(None);
        };
        let acteur = acteur_du_lien(&vue);
        let t = vue
            .seance
            .valeur
            .repondre(vue.membre.id, reponse, quand, &acteur)?;
        let lu = ecrire(&mut tx, &vue.seance, None, t).await?;
        tx.valider().await?;
        Ok(Some(lu))
    }

    /// Records a comment on the minutes given through a personal link, or signed in by a
    /// convened member (`membre`).
    pub async fn commenter_par_lien(
        &self,
        jeton: &str,
        texte: &str,
        quand: OffsetDateTime,
    ) -> Result<Option<Lu<Seance>>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let Some(vue) = lire_lien(&mut tx, jeton).await? else {
            return Ok(None);
        };
        let acteur = acteur_du_lien(&vue);
        let t = vue
            .seance
            .valeur
            .commenter_compte_rendu(&acteur, vue.membre.id, texte, quand)?;
        let lu = ecrire(&mut tx, &vue.seance, None, t).await?;
        tx.valider().await?;
        Ok(Some(lu))
    }

    /// A convened member signed in comments on the minutes.
    pub async fn commenter_compte_rendu(
        &self,
        acteur: &Acteur,
        id: SeanceId,
        texte: &str,
        quand: OffsetDateTime,
    ) -> Result<Lu<Seance>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let (vue, avant) = lire_seance(&mut tx, acteur, id).await?;
        let membre = vue.moi.ok_or_else(|| {
            ErreurApp::Interdit("les commentaires sont réservés aux membres convoqués".to_owned())
        })?;
        let t = avant
            .valeur
            .commenter_compte_rendu(acteur, membre, texte, quand)?;
        let lu = ecrire(&mut tx, &avant, None, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Queues the reminders of the séances convened that start within `avance` from `quand`, to
    /// the members who have not answered: once per member and version of the séance.
    pub async fn envoyer_rappels_de_seance(
        &self,
        avance: Duration,
        adresse: &str,
        quand: OffsetDateTime,
    ) -> Result<usize, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let mut n = 0;
        for instance in depot_coordination::instances(&mut tx).await? {
            let membres: Vec<Membre> = depot_coordination::membres(&mut tx, instance.valeur.id)
                .await?
                .into_iter()
                .map(|m| m.valeur)
                .collect();
            for s in depot_coordination::seances(&mut tx, instance.valeur.id).await? {
                let s = s.valeur;
                if s.etat == EtatSeance::Convoquee && s.debut > quand && s.debut - quand <= avance {
                    n += convocation::envoyer_rappels(
                        &mut tx,
                        &instance.valeur,
                        &s,
                        &membres,
                        adresse,
                        quand,
                    )
                    .await?;
                }
            }
        }
        tx.valider().await?;
        Ok(n)
    }
}

/// The actor an answer through a link is recorded under: the member's account when it has one;
/// else the account number 0, which no account has, the audit's description naming the member.
fn acteur_du_lien(vue: &VueLien) -> Acteur {
    Acteur::membre(
        vue.membre.utilisateur.unwrap_or(UtilisateurId(0)),
        [vue.instance.instance.valeur.departement],
    )
}

async fn lire_lien(tx: &mut Tx, jeton: &str) -> Result<Option<VueLien>, ErreurApp> {
    if jeton.len() != 48 || !jeton.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some((seance, membre)) = depot_coordination::lien(tx, &empreinte(jeton)).await? else {
        return Ok(None);
    };
    let seance = depot::lire::<Seance>(tx, seance.0).await?;
    let instance =
        depot::lire::<domain::coordination::Instance>(tx, seance.valeur.instance.0).await?;
    let membres = depot_coordination::membres(tx, instance.valeur.id).await?;
    let Some(membre) = membres
        .iter()
        .find(|m| m.valeur.id == membre)
        .map(|m| m.valeur.clone())
    else {
        return Ok(None);
    };
    Ok(Some(VueLien {
        instance: VueInstance {
            instance,
            membres,
            moi: Some(membre.id),
            secretariat: false,
        },
        seance,
        membre,
    }))
}
