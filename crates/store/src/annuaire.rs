//! The directory's services: saved as their JSON with the columns the lists need; read one by
//! id; the published ones (the version the public sees, in a stable order by last update then
//! id, all or a page after a cursor, optionally changed since a date); a gestionnaire's; the
//! moderation queue of départements.

use domain::annuaire::{EtatPublication, Service};
use domain::identifiants::{CodeDepartement, GestionnaireId, ServiceId};
use time::{OffsetDateTime, UtcOffset};

use crate::Genre;
use crate::connexion::{Tx, Valeur};
use crate::depot::{self, Enregistrement, Lu, lister};
use crate::erreur::ErreurStore;

/// A UTC instant as fixed-width text (`2025-03-01T09:30:00.000000Z`), which sorts as it reads:
/// the form of the `mis_a_jour_le` columns.
pub fn horodatage_triable(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.microsecond()
    )
}

impl Enregistrement for Service {
    const TABLE: &'static str = "services";
    const NOM: &'static str = "le service";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("gestionnaire_id", self.gestionnaire.0.into()),
            ("departement", self.departement.as_str().into()),
            ("etat", self.etat.code().into()),
            (
                "mis_a_jour_le",
                horodatage_triable(self.mis_a_jour_le).into(),
            ),
            (
                "public_mis_a_jour_le",
                self.version_publique()
                    .map_or(Valeur::Nul(Genre::Texte), |p| {
                        horodatage_triable(p.mis_a_jour_le).into()
                    }),
            ),
        ]
    }
}

/// Where a page of the published services stops: the next page starts after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Curseur {
    pub mis_a_jour_le: OffsetDateTime,
    pub id: ServiceId,
}

impl Curseur {
    /// The cursor after `service` (a public version).
    pub fn apres(service: &Service) -> Curseur {
        Curseur {
            mis_a_jour_le: service.mis_a_jour_le,
            id: service.id,
        }
    }
}

/// New service number.
pub async fn prochain_id(tx: &mut Tx) -> Result<ServiceId, ErreurStore> {
    Ok(ServiceId(depot::prochain_id(tx, "services").await?))
}

/// One service, as its gestionnaire and the Caf see it.
pub async fn service(tx: &mut Tx, id: ServiceId) -> Result<Lu<Service>, ErreurStore> {
    depot::lire(tx, id.0).await
}

/// One service, or `None` if there is none with this id.
pub async fn service_opt(tx: &mut Tx, id: ServiceId) -> Result<Option<Lu<Service>>, ErreurStore> {
    match depot::lire(tx, id.0).await {
        Ok(s) => Ok(Some(s)),
        Err(ErreurStore::Introuvable { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The published version of one service, if it has one.
pub async fn service_publie(tx: &mut Tx, id: ServiceId) -> Result<Option<Service>, ErreurStore> {
    Ok(service_opt(tx, id)
        .await?
        .and_then(|s| s.valeur.version_publique()))
}

/// Every published service (the version the public sees), by last update then id.
pub async fn publies(tx: &mut Tx) -> Result<Vec<Service>, ErreurStore> {
    publies_page(tx, None, None, None).await
}

/// A page of the published services (the version the public sees), by last update then id:
/// those changed at or after `modifies_depuis` when given, after `curseur` when given, at most
/// `limite` when given.
pub async fn publies_page(
    tx: &mut Tx,
    modifies_depuis: Option<OffsetDateTime>,
    curseur: Option<Curseur>,
    limite: Option<u32>,
) -> Result<Vec<Service>, ErreurStore> {
    let mut condition = vec!["public_mis_a_jour_le IS NOT NULL".to_owned()];
    let mut params: Vec<Valeur> = Vec::new();
    if let Some(depuis) = modifies_depuis {
        params.push(horodatage_triable(depuis).into());
        condition.push(format!("public_mis_a_jour_le >= ${}", params.len()));
    }
    if let Some(c) = curseur {
        params.push(horodatage_triable(c.mis_a_jour_le).into());
        let n = params.len();
        params.push(c.id.0.into());
        condition.push(format!(
            "(public_mis_a_jour_le > ${n} OR (public_mis_a_jour_le = ${n} AND id > ${}))",
            n + 1
        ));
    }
    let mut ordre = "public_mis_a_jour_le, id".to_owned();
    if let Some(l) = limite {
        ordre.push_str(&format!(" LIMIT {l}"));
    }
    Ok(
        lister::<Service>(tx, &condition.join(" AND "), &params, &ordre)
            .await?
            .into_iter()
            .filter_map(|s| s.valeur.version_publique())
            .collect(),
    )
}

/// The published services of a département (the version the public sees), by id.
pub async fn publies_du_departement(
    tx: &mut Tx,
    departement: CodeDepartement,
) -> Result<Vec<Service>, ErreurStore> {
    Ok(lister::<Service>(
        tx,
        "public_mis_a_jour_le IS NOT NULL AND departement = $1",
        &[departement.as_str().into()],
        "id",
    )
    .await?
    .into_iter()
    .filter_map(|s| s.valeur.version_publique())
    .collect())
}

/// The services of the structures `gestionnaires`, whatever their state, by id.
pub async fn des_gestionnaires(
    tx: &mut Tx,
    gestionnaires: &[GestionnaireId],
) -> Result<Vec<Lu<Service>>, ErreurStore> {
    if gestionnaires.is_empty() {
        return Ok(Vec::new());
    }
    let params: Vec<Valeur> = gestionnaires.iter().map(|g| g.0.into()).collect();
    lister(
        tx,
        &format!(
            "gestionnaire_id IN ({})",
            crate::sql::marques(1, params.len())
        ),
        &params,
        "id",
    )
    .await
}

/// The services waiting for the Caf's moderation in `departements`, oldest first.
pub async fn a_moderer(
    tx: &mut Tx,
    departements: &[CodeDepartement],
) -> Result<Vec<Lu<Service>>, ErreurStore> {
    if departements.is_empty() {
        return Ok(Vec::new());
    }
    let mut params: Vec<Valeur> = vec![EtatPublication::AModerer.code().into()];
    params.extend(departements.iter().map(|d| Valeur::from(d.as_str())));
    lister(
        tx,
        &format!(
            "etat = $1 AND departement IN ({})",
            crate::sql::marques(2, departements.len())
        ),
        &params,
        "mis_a_jour_le, id",
    )
    .await
}

/// Every service of `departements` whatever its state, by id (for the Caf's overview).
pub async fn des_departements(
    tx: &mut Tx,
    departements: &[CodeDepartement],
) -> Result<Vec<Lu<Service>>, ErreurStore> {
    if departements.is_empty() {
        return Ok(Vec::new());
    }
    let params: Vec<Valeur> = departements
        .iter()
        .map(|d| Valeur::from(d.as_str()))
        .collect();
    lister(
        tx,
        &format!(
            "departement IN ({})",
            crate::sql::marques(1, departements.len())
        ),
        &params,
        "id",
    )
    .await
}
