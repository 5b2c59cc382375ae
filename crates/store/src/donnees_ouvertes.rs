//! The reads of the open data: the published services (the version the public sees) and the
//! structures that publish at least one, in the order of their identifiers, after a cursor,
//! changed since an instant, a page at a time (see `domain::donnees_ouvertes::pagination`).

use domain::annuaire::Service;
use domain::identifiants::{GestionnaireId, ServiceId};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::annuaire::horodatage_triable;
use crate::connexion::{Tx, Valeur};
use crate::depot::lister;
use crate::erreur::ErreurStore;

/// The published services with an id after `apres`, whose published version changed at or
/// after `depuis`, by id, at most `limite`.
pub async fn services_publies(
    tx: &mut Tx,
    apres: Option<ServiceId>,
    depuis: Option<OffsetDateTime>,
    limite: Option<u32>,
) -> Result<Vec<Service>, ErreurStore> {
    let mut condition = vec!["public_mis_a_jour_le IS NOT NULL".to_owned()];
    let mut params: Vec<Valeur> = Vec::new();
    if let Some(id) = apres {
        params.push(id.0.into());
        condition.push(format!("id > ${}", params.len()));
    }
    if let Some(d) = depuis {
        params.push(horodatage_triable(d).into());
        condition.push(format!("public_mis_a_jour_le >= ${}", params.len()));
    }
    let mut ordre = "id".to_owned();
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

/// A structure that publishes at least one service, and the latest update of its published
/// services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StructurePubliante {
    pub gestionnaire: GestionnaireId,
    pub mis_a_jour_le: OffsetDateTime,
}

/// The structures that publish at least one service, with an id after `apres`, whose latest
/// published update is at or after `depuis`, by id, at most `limite`.
pub async fn structures_publiantes(
    tx: &mut Tx,
    apres: Option<GestionnaireId>,
    depuis: Option<OffsetDateTime>,
    limite: Option<u32>,
) -> Result<Vec<StructurePubliante>, ErreurStore> {
    let mut condition = vec!["public_mis_a_jour_le IS NOT NULL".to_owned()];
    let mut params: Vec<Valeur> = Vec::new();
    if let Some(id) = apres {
        params.push(id.0.into());
        condition.push(format!("gestionnaire_id > ${}", params.len()));
    }
    let mut avoir = String::new();
    if let Some(d) = depuis {
        params.push(horodatage_triable(d).into());
        avoir = format!(" HAVING MAX(public_mis_a_jour_le) >= ${}", params.len());
    }
    let limite = limite.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
    let sql = format!(
        "SELECT gestionnaire_id, MAX(public_mis_a_jour_le) AS mis_a_jour_le FROM services \
         WHERE {} GROUP BY gestionnaire_id{avoir} ORDER BY gestionnaire_id{limite}",
        condition.join(" AND ")
    );
    tx.lignes(&sql, &params)
        .await?
        .iter()
        .map(|l| {
            let texte = l.texte("mis_a_jour_le")?;
            let mis_a_jour_le = OffsetDateTime::parse(&texte, &Rfc3339).map_err(|e| {
                ErreurStore::Donnee(format!("services.public_mis_a_jour_le « {texte} » : {e}"))
            })?;
            Ok(StructurePubliante {
                gestionnaire: GestionnaireId(l.entier("gestionnaire_id")?),
                mis_a_jour_le,
            })
        })
        .collect()
}
