//! Parents' confidential contact requests as use cases: the public form's submission (to a
//! published service only, within the rate limits, a filled trap field silently dropping it),
//! the structure's inbox, reading (which marks a request read), answering (the text mailed to
//! the parent through the outbox when it left an e-mail address, or the call recorded), closing,
//! the counts the Caf and the Cnaf see (never the content), and the purge at the end of the
//! retention period with the clock given by the caller.
//!
//! The mail to the structure only says that a request arrived and links to it: the parent's
//! message and contact details stay in the application. The audit records what happened to a
//! request, never who wrote or what.

use std::collections::BTreeMap;

use domain::acces::{Acteur, Role};
use domain::annuaire::contact::{
    CONSERVATION_PAR_DEFAUT_MOIS, DemandeContact, DemandeContactId, Destinataire, MoyenContact,
    Reponse, Saisie, journal, texte_consentement, verifier_structure,
};
use domain::courriel::{Courriel, GenreCourriel};
use domain::identifiants::{CodeDepartement, ServiceId};
use domain::structures::Gestionnaire;
use store::Tx;
use store::audit::{self, NouvelEvenement};
use store::demandes_contact as sql;
use store::depot;
use time::{Date, OffsetDateTime};

use crate::Plateforme;
use crate::cas::courriels::{comptes_du_gestionnaire, date_fr, mettre_en_file};
use crate::erreur::ErreurApp;

/// The parameter holding the retention period, in months.
pub const PARAMETRE_CONSERVATION: &str = "annuaire.conservation_demandes_contact_mois";

/// Within this many minutes, the same form sent again is taken for the first one.
const DOUBLON_MINUTES: i64 = 10;

/// Submissions one client address may make in an hour.
pub const ENVOIS_MAX_PAR_ADRESSE_ET_HEURE: i64 = 5;
/// Requests one service may receive in a day, from all addresses together.
pub const ENVOIS_MAX_PAR_SERVICE_ET_JOUR: i64 = 20;

/// A published service as the contact form needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceContactable {
    pub destinataire: Destinataire,
    /// The service's name.
    pub nom: String,
    /// The name of the structure that runs it (to whom the request is sent).
    pub structure: String,
    /// The retention period in force, in months.
    pub conservation_mois: u32,
    /// The consent text shown next to the box.
    pub consentement: String,
}

/// What became of a submission of the public form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueEnvoi {
    /// Recorded, and the structure told; deleted at `a_supprimer_le`.
    Envoyee {
        id: DemandeContactId,
        a_supprimer_le: OffsetDateTime,
        /// Whether an acknowledgement was queued to the parent's address.
        accuse: bool,
    },
    /// The trap field was filled in: nothing recorded, and the sender is told nothing else.
    Ecartee { a_supprimer_le: OffsetDateTime },
    /// Too many submissions: from this address in the last hour, or to this service today.
    TropDEnvois { raison: String },
}

/// The service `service` if it is published, with what the form says of it; read in `tx`.
async fn service_publie(
    tx: &mut Tx,
    service: ServiceId,
) -> Result<Option<(Destinataire, String, String)>, ErreurApp> {
    let Some(s) = store::annuaire::service_publie(tx, service).await? else {
        return Ok(None);
    };
    let structure = match depot::lire::<Gestionnaire>(tx, s.gestionnaire.0).await {
        Ok(g) => g.valeur.raison_sociale,
        Err(store::ErreurStore::Introuvable { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let destinataire = Destinataire {
        service: s.id,
        gestionnaire: s.gestionnaire,
        departement: s.departement,
        dispositif: s.dispositif,
    };
    Ok(Some((destinataire, s.nom, structure)))
}

/// The names of the services `ids` (any version: a service withdrawn since keeps its name in
/// the inbox), read in `tx`.
async fn noms_des_services(
    tx: &mut Tx,
    ids: Vec<ServiceId>,
) -> Result<BTreeMap<ServiceId, String>, ErreurApp> {
    let mut noms = BTreeMap::new();
    for id in ids {
        if noms.contains_key(&id) {
            continue;
        }
        if let Some(s) = store::annuaire::service_opt(tx, id).await? {
            noms.insert(id, s.valeur.nom);
        }
    }
    Ok(noms)
}

impl Plateforme {
    /// The retention period of a request received on `date`, in months: the dated parameter in
    /// force, else [`CONSERVATION_PAR_DEFAUT_MOIS`].
    pub fn conservation_demandes_mois(&self, date: Date) -> u32 {
        self.parametres
            .valeur(PARAMETRE_CONSERVATION, date)
            .ok()
            .and_then(|v| v.valeur.valeur.to_string().parse::<u32>().ok())
            .filter(|m| *m > 0)
            .unwrap_or(CONSERVATION_PAR_DEFAUT_MOIS)
    }

    /// The published service `service`, as its contact form shows it (not found otherwise).
    pub async fn service_contactable(
        &self,
        service: ServiceId,
        quand: OffsetDateTime,
    ) -> Result<ServiceContactable, ErreurApp> {
        let mut tx = self.base.lecture().await?;
        let (destinataire, nom, structure) =
            service_publie(&mut tx, service)
                .await?
                .ok_or(store::ErreurStore::Introuvable {
                    entite: "le service",
                    id: service.0,
                })?;
        let conservation_mois = self.conservation_demandes_mois(quand.date());
        Ok(ServiceContactable {
            destinataire,
            consentement: texte_consentement(&structure, conservation_mois),
            nom,
            structure,
            conservation_mois,
        })
    }

    /// A parent's submission of the contact form of `service`, from `adresse_client`; `piege`
    /// is the trap field a person leaves empty. The structure's accounts are told by mail with a
    /// link under `adresse_publique`; the parent gets an acknowledgement when it left an e-mail.
    /// Faulty fields are refused all at once ([`domain::Refus::Plusieurs`]).
    pub async fn envoyer_demande_contact(
        &self,
        service: ServiceId,
        saisie: &Saisie,
        piege: &str,
        adresse_client: &str,
        adresse_publique: &str,
        quand: OffsetDateTime,
    ) -> Result<IssueEnvoi, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let (destinataire, nom, structure) =
            service_publie(&mut tx, service)
                .await?
                .ok_or(store::ErreurStore::Introuvable {
                    entite: "le service",
                    id: service.0,
                })?;
        let t = quand.unix_timestamp();
        let (par_adresse, par_service) =
            sql::envois_recents(&mut tx, adresse_client, t - 3600, service, t - 86_400).await?;
        if par_adresse >= ENVOIS_MAX_PAR_ADRESSE_ET_HEURE {
            tracing::warn!(
                service = service.0,
                "demande de contact refusée : trop d’envois depuis une même adresse"
            );
            return Ok(IssueEnvoi::TropDEnvois {
                raison: format!(
                    "vous avez déjà envoyé {ENVOIS_MAX_PAR_ADRESSE_ET_HEURE} demandes depuis cette connexion dans la dernière heure : réessayez dans une heure"
                ),
            });
        }
        if par_service >= ENVOIS_MAX_PAR_SERVICE_ET_JOUR {
            tracing::warn!(
                service = service.0,
                "demande de contact refusée : trop de demandes pour ce service aujourd’hui"
            );
            return Ok(IssueEnvoi::TropDEnvois {
                raison: "ce service a reçu beaucoup de demandes aujourd’hui : réessayez demain, ou contactez-le directement avec les coordonnées de sa page".to_owned(),
            });
        }
        let mois = self.conservation_demandes_mois(quand.date());
        let a_supprimer_le = domain::annuaire::contact::fin_de_conservation(quand, mois);
        if !piege.trim().is_empty() {
            sql::noter_envoi(&mut tx, adresse_client, service, t).await?;
            tx.valider().await?;
            tracing::info!(
                service = service.0,
                "demande de contact écartée : champ piège rempli"
            );
            return Ok(IssueEnvoi::Ecartee { a_supprimer_le });
        }
        let contenu = saisie.verifier(&texte_consentement(&structure, mois))?;
        // The same form sent again (a double click, a page reloaded after sending) within
        // ten minutes is the same request: the first one stands, nothing is written or mailed
        // again.
        if let Some(deja) = sql::boite(&mut tx, &[destinataire.gestionnaire])
            .await?
            .into_iter()
            .find(|d| {
                d.service == service
                    && d.contenu == contenu
                    && d.recue_le <= quand
                    && quand - d.recue_le < time::Duration::minutes(DOUBLON_MINUTES)
            })
        {
            return Ok(IssueEnvoi::Envoyee {
                id: deja.id,
                a_supprimer_le: deja.a_supprimer_le,
                accuse: matches!(deja.contenu.moyen, MoyenContact::Courriel(_)),
            });
        }
        let id = DemandeContactId(store::depot::prochain_id(&mut tx, "demandes_contact").await?);
        let demande = DemandeContact::recevoir(id, &destinataire, contenu, quand, mois);
        sql::inserer(&mut tx, &demande).await?;
        sql::noter_envoi(&mut tx, adresse_client, service, t).await?;
        auditer(&mut tx, &demande, None, journal::RECUE, None, quand).await?;
        let supprimee = date_fr(demande.a_supprimer_le.date());
        for compte in comptes_du_gestionnaire(&mut tx, demande.gestionnaire).await? {
            let courriel = Courriel {
                cle: format!("demande_contact:{}:structure:{}", id, compte.id),
                genre: GenreCourriel::DemandeContact,
                destinataire: compte.email.as_str().to_owned(),
                utilisateur: Some(compte.id),
                departement: Some(demande.departement),
                sujet: format!("Nouvelle demande de contact pour « {nom} »"),
                texte: format!(
                    "Bonjour,\n\nUn parent vous a adressé une demande de contact pour le service « {nom} », depuis l’annuaire des services aux parents.\n\nPour la lire et lui répondre, connectez-vous :\n{}/demandes/{id}\n\nPar confidentialité, ce courriel ne contient ni le message ni les coordonnées du parent : ils restent dans l’application, et seront supprimés le {supprimee}.\n",
                    adresse_publique.trim_end_matches('/')
                ),
                pieces_jointes: Vec::new(),
            };
            mettre_en_file(&mut tx, &courriel, quand).await?;
        }
        let accuse = if let MoyenContact::Courriel(adresse) = &demande.contenu.moyen {
            let courriel = Courriel {
                cle: format!("demande_contact:{id}:accuse"),
                genre: GenreCourriel::MessageAuParent,
                destinataire: adresse.as_str().to_owned(),
                utilisateur: None,
                departement: Some(demande.departement),
                sujet: format!("Votre demande à « {structure} » a bien été transmise"),
                texte: format!(
                    "Bonjour,\n\nVotre demande de contact pour le service « {nom} » a bien été transmise à « {structure} », et à elle seule. La structure vous répondra par courriel à cette adresse.\n\nVotre demande et vos coordonnées seront supprimées le {supprimee}.\n\nSi vous n’êtes pas à l’origine de cette demande, vous pouvez ignorer ce courriel.\n"
                ),
                pieces_jointes: Vec::new(),
            };
            mettre_en_file(&mut tx, &courriel, quand).await?;
            true
        } else {
            false
        };
        tx.valider().await?;
        Ok(IssueEnvoi::Envoyee {
            id,
            a_supprimer_le: demande.a_supprimer_le,
            accuse,
        })
    }

    /// The inbox of the structures of `acteur`: their requests not deleted yet, unread first,
    /// each with the name of its service.
    pub async fn boite_demandes(
        &self,
        acteur: &Acteur,
    ) -> Result<Vec<(DemandeContact, String)>, ErreurApp> {
        if !matches!(acteur.role, Role::Gestionnaire | Role::Intervenant) {
            return Err(ErreurApp::Interdit(
                "les demandes des parents ne sont lues que par la structure à laquelle elles sont adressées".into(),
            ));
        }
        let gestionnaires: Vec<_> = acteur.gestionnaires.iter().copied().collect();
        let mut tx = self.base.lecture().await?;
        let demandes = sql::boite(&mut tx, &gestionnaires).await?;
        let noms = noms_des_services(&mut tx, demandes.iter().map(|d| d.service).collect()).await?;
        Ok(demandes
            .into_iter()
            .map(|d| {
                let nom = noms
                    .get(&d.service)
                    .cloned()
                    .unwrap_or_else(|| format!("Service n°{}", d.service));
                (d, nom)
            })
            .collect())
    }

    /// The name of the service of a request, as the structure's page shows it.
    pub async fn nom_du_service(&self, service: ServiceId) -> Result<String, ErreurApp> {
        let mut tx = self.base.lecture().await?;
        Ok(noms_des_services(&mut tx, vec![service])
            .await?
            .remove(&service)
            .unwrap_or_else(|| format!("Service n°{service}")))
    }

    /// Reads a request in `tx` for `acteur` (of its structure only): not found when it does not
    /// exist or was deleted, refused to anyone else.
    async fn demande_de_la_structure(
        &self,
        tx: &mut Tx,
        acteur: &Acteur,
        id: DemandeContactId,
        action: &'static str,
    ) -> Result<DemandeContact, ErreurApp> {
        let introuvable = || store::ErreurStore::Introuvable {
            entite: "la demande de contact",
            id: id.0,
        };
        let gestionnaire = sql::structure_de(tx, id).await?.ok_or_else(introuvable)?;
        verifier_structure(acteur, gestionnaire, action)?;
        Ok(sql::lire(tx, id).await?.ok_or_else(introuvable)?)
    }

    /// Opens a request: marks it read the first time someone of its structure opens it.
    pub async fn ouvrir_demande(
        &self,
        acteur: &Acteur,
        id: DemandeContactId,
        quand: OffsetDateTime,
    ) -> Result<DemandeContact, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let demande = self
            .demande_de_la_structure(&mut tx, acteur, id, "Lire une demande de contact")
            .await?;
        let Some(lue) = demande.lire(acteur, quand)? else {
            return Ok(demande);
        };
        sql::mettre_a_jour(&mut tx, &lue).await?;
        auditer(
            &mut tx,
            &lue,
            Some(&demande),
            journal::LUE,
            Some(acteur),
            quand,
        )
        .await?;
        tx.valider().await?;
        Ok(lue)
    }

    /// The structure's answer; a written one is mailed to the parent's address.
    pub async fn repondre_demande(
        &self,
        acteur: &Acteur,
        id: DemandeContactId,
        reponse: Reponse,
        quand: OffsetDateTime,
    ) -> Result<DemandeContact, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let demande = self
            .demande_de_la_structure(&mut tx, acteur, id, "Répondre à une demande de contact")
            .await?;
        let apres = demande.repondre(acteur, reponse, quand)?;
        sql::mettre_a_jour(&mut tx, &apres).await?;
        auditer(
            &mut tx,
            &apres,
            Some(&demande),
            journal::REPONDUE,
            Some(acteur),
            quand,
        )
        .await?;
        if let (Some(Reponse::Ecrite { texte }), MoyenContact::Courriel(adresse)) =
            (&apres.contenu.reponse, &apres.contenu.moyen)
        {
            let (nom, structure) = match service_publie(&mut tx, apres.service).await? {
                Some((_, nom, structure)) => (nom, structure),
                None => (
                    "que vous avez contacté".to_owned(),
                    "la structure".to_owned(),
                ),
            };
            let courriel = Courriel {
                cle: format!("demande_contact:{id}:reponse"),
                genre: GenreCourriel::MessageAuParent,
                destinataire: adresse.as_str().to_owned(),
                utilisateur: None,
                departement: Some(apres.departement),
                sujet: format!("Réponse de « {structure} » à votre demande"),
                texte: format!(
                    "Bonjour {},\n\nVoici la réponse de « {structure} » à votre demande de contact pour le service « {nom} » :\n\n{texte}\n\nPour lui répondre, utilisez les coordonnées de la structure indiquées sur la page du service dans l’annuaire.\n\nVotre demande et vos coordonnées seront supprimées le {}.\n",
                    apres.contenu.prenom,
                    date_fr(apres.a_supprimer_le.date())
                ),
                pieces_jointes: Vec::new(),
            };
            mettre_en_file(&mut tx, &courriel, quand).await?;
        }
        tx.valider().await?;
        Ok(apres)
    }

    /// Closes a request read or answered.
    pub async fn cloturer_demande(
        &self,
        acteur: &Acteur,
        id: DemandeContactId,
        quand: OffsetDateTime,
    ) -> Result<DemandeContact, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let demande = self
            .demande_de_la_structure(&mut tx, acteur, id, "Clôturer une demande de contact")
            .await?;
        let apres = demande.cloturer(acteur, quand)?;
        sql::mettre_a_jour(&mut tx, &apres).await?;
        auditer(
            &mut tx,
            &apres,
            Some(&demande),
            journal::CLOTUREE,
            Some(acteur),
            quand,
        )
        .await?;
        tx.valider().await?;
        Ok(apres)
    }

    /// The counts of requests by month, scheme and state, deleted ones included: a Caf agent's
    /// départements, every département for the Cnaf. Never the content; refused to any other role.
    pub async fn statistiques_demandes(
        &self,
        acteur: &Acteur,
    ) -> Result<Vec<sql::Compte>, ErreurApp> {
        let departements: Option<Vec<CodeDepartement>> = match acteur.role {
            Role::Cnaf => None,
            Role::Caf => Some(acteur.departements.iter().copied().collect()),
            _ => {
                return Err(ErreurApp::Interdit(
                    "les statistiques des demandes des parents sont réservées aux Caf et à la Cnaf"
                        .into(),
                ));
            }
        };
        let mut tx = self.base.lecture().await?;
        Ok(sql::comptes(&mut tx, departements.as_deref()).await?)
    }

    /// Deletes the content and contact details of every request whose retention period has
    /// ended at `maintenant` (the caller's clock), one audit event each; idempotent.
    pub async fn purger_demandes_contact(
        &self,
        maintenant: OffsetDateTime,
    ) -> Result<Vec<DemandeContactId>, ErreurApp> {
        let supprimees = sql::purger(&self.base, maintenant).await?;
        if !supprimees.is_empty() {
            tracing::info!(
                nombre = supprimees.len(),
                "demandes de contact supprimées après leur durée de conservation"
            );
        }
        Ok(supprimees)
    }
}

/// The audit event of a change of `demande`: its states, no content, no name, no contact.
async fn auditer(
    tx: &mut Tx,
    demande: &DemandeContact,
    avant: Option<&DemandeContact>,
    (action, description): (&str, &str),
    acteur: Option<&Acteur>,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    audit::ajouter(
        tx,
        NouvelEvenement {
            horodatage: quand,
            acteur_id: acteur.map(|a| a.id.0),
            role: acteur.map(|a| a.role.code().to_owned()),
            entite: journal::ENTITE.to_owned(),
            entite_id: demande.id.0,
            action: action.to_owned(),
            etat_avant: avant.map(|a| a.etat.code().to_owned()),
            etat_apres: Some(demande.etat.code().to_owned()),
            description: format!("{description} (service n°{})", demande.service),
            changements: "[]".to_owned(),
            avant: None,
            apres: None,
        },
    )
    .await?;
    Ok(())
}
