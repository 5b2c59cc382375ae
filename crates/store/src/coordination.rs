//! The coordination's records (instances, members, séances) and the personal answer links of
//! convocations: a link's secret is never stored, only its SHA-256, by which the link finds its
//! séance and member.

use domain::coordination::{Instance, Membre, Seance};
use domain::identifiants::{InstanceId, MembreId, SeanceId};

use crate::connexion::{Tx, Valeur};
use crate::depot::{Enregistrement, Lu, lister};
use crate::erreur::ErreurStore;

impl Enregistrement for Instance {
    const TABLE: &'static str = "instances";
    const NOM: &'static str = "l'instance";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        let cle = if self.forme.departementale() {
            self.departement.as_str()
        } else {
            crate::instance_nationale::CLE_NATIONALE
        };
        vec![("departement", cle.into())]
    }
    fn doublon(&self) -> Option<(&'static str, String)> {
        if !self.forme.departementale() {
            return Some((
                "forme",
                "l'instance nationale de l'expérimentation est déjà configurée".to_owned(),
            ));
        }
        Some((
            "departement",
            format!(
                "le département {} a déjà son instance de coordination",
                self.departement
            ),
        ))
    }
}

impl Enregistrement for Membre {
    const TABLE: &'static str = "membres";
    const NOM: &'static str = "le membre";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("instance_id", self.instance.0.into()),
            ("email", self.email.as_str().to_lowercase().into()),
            (
                "utilisateur_id",
                self.utilisateur
                    .map_or(Valeur::Nul(crate::Genre::Entier), |u| u.0.into()),
            ),
        ]
    }
    fn doublon(&self) -> Option<(&'static str, String)> {
        Some((
            "email",
            format!(
                "l'adresse {} est déjà celle d'un membre de l'instance",
                self.email.as_str()
            ),
        ))
    }
}

impl Enregistrement for Seance {
    const TABLE: &'static str = "seances";
    const NOM: &'static str = "la séance";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("instance_id", self.instance.0.into()),
            (
                "debut",
                self.debut
                    .to_offset(time::UtcOffset::UTC)
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default()
                    .into(),
            ),
            ("etat", self.etat.code().into()),
        ]
    }
}

/// The instance of a département, if it has one.
pub async fn instance_du_departement(
    tx: &mut Tx,
    departement: &str,
) -> Result<Option<Lu<Instance>>, ErreurStore> {
    Ok(
        lister::<Instance>(tx, "departement = $1", &[departement.into()], "id")
            .await?
            .into_iter()
            .next(),
    )
}

/// Every instance, by département (the national instance among them).
pub async fn instances(tx: &mut Tx) -> Result<Vec<Lu<Instance>>, ErreurStore> {
    lister::<Instance>(tx, "1 = 1", &[], "departement").await
}

/// The members of an instance, by id.
pub async fn membres(tx: &mut Tx, instance: InstanceId) -> Result<Vec<Lu<Membre>>, ErreurStore> {
    lister::<Membre>(tx, "instance_id = $1", &[instance.0.into()], "id").await
}

/// The memberships of a user account.
pub async fn membres_du_compte(
    tx: &mut Tx,
    utilisateur: i64,
) -> Result<Vec<Lu<Membre>>, ErreurStore> {
    lister::<Membre>(tx, "utilisateur_id = $1", &[utilisateur.into()], "id").await
}

/// The séances of an instance, in date order.
pub async fn seances(tx: &mut Tx, instance: InstanceId) -> Result<Vec<Lu<Seance>>, ErreurStore> {
    lister::<Seance>(tx, "instance_id = $1", &[instance.0.into()], "debut, id").await
}

/// Records the answer link of `membre` for `seance` (replacing its previous one).
pub async fn enregistrer_lien(
    tx: &mut Tx,
    empreinte: &str,
    seance: SeanceId,
    membre: MembreId,
) -> Result<(), ErreurStore> {
    tx.executer(
        "DELETE FROM liens_de_reponse WHERE seance_id = $1 AND membre_id = $2",
        &[seance.0.into(), membre.0.into()],
    )
    .await?;
    tx.executer(
        "INSERT INTO liens_de_reponse (empreinte, seance_id, membre_id) VALUES ($1, $2, $3)",
        &[empreinte.into(), seance.0.into(), membre.0.into()],
    )
    .await?;
    Ok(())
}

/// The séance and member an answer link stands for.
pub async fn lien(
    tx: &mut Tx,
    empreinte: &str,
) -> Result<Option<(SeanceId, MembreId)>, ErreurStore> {
    let ligne = tx
        .ligne(
            "SELECT seance_id, membre_id FROM liens_de_reponse WHERE empreinte = $1",
            &[empreinte.into()],
        )
        .await?;
    match ligne {
        Some(l) => Ok(Some((
            SeanceId(l.entier("seance_id")?),
            MembreId(l.entier("membre_id")?),
        ))),
        None => Ok(None),
    }
}

/// The account of the address `email`, if any (to link a member to the account it signs in
/// with).
pub async fn compte_par_email(tx: &mut Tx, email: &str) -> Result<Option<i64>, ErreurStore> {
    let ligne = tx
        .ligne(
            "SELECT id FROM utilisateurs WHERE LOWER(email) = LOWER($1)",
            &[email.into()],
        )
        .await?;
    ligne.map(|l| l.entier("id")).transpose()
}
