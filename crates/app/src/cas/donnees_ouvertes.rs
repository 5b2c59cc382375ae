//! Open data: the published offer (the structures that publish services, and the services as
//! the public sees them) in the data·inclusion schema v1, whole for the files and a page at a
//! time for the API. Public: no account, no access check, nothing but what is published.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use domain::donnees_ouvertes::pagination::{self, DemandePage, Entree, Liste, Page};
use domain::donnees_ouvertes::{
    Contexte, ServiceDataInclusion, StructureDataInclusion, services as di_services, structure,
};
use domain::identifiants::{GestionnaireId, ServiceId};
use domain::structures::Gestionnaire;
use domain::territoire::Communes;
use store::Tx;
use store::depot;
use store::donnees_ouvertes::{self as lecture, StructurePubliante};

use crate::Plateforme;
use crate::erreur::ErreurApp;

/// The whole published offer in the schema, by id.
#[derive(Debug, Clone, PartialEq)]
pub struct ContenuOuvert {
    pub structures: Vec<StructureDataInclusion>,
    pub services: Vec<ServiceDataInclusion>,
}

/// The communes compiled in, parsed once per process (to name the communes).
fn communes() -> Result<&'static Communes, ErreurApp> {
    static COMMUNES: OnceLock<Option<Communes>> = OnceLock::new();
    COMMUNES
        .get_or_init(|| Communes::embarquees().ok())
        .as_ref()
        .ok_or_else(|| ErreurApp::Calcul("référentiel des communes illisible".to_owned()))
}

fn limite(demande: Option<&DemandePage>) -> Option<u32> {
    demande.map(|d| u32::try_from(d.taille.saturating_add(1)).unwrap_or(u32::MAX))
}

async fn structures(
    tx: &mut Tx,
    contexte: &Contexte<'_>,
    demande: Option<&DemandePage>,
) -> Result<Vec<Entree<StructureDataInclusion>>, ErreurApp> {
    let publiantes: Vec<StructurePubliante> = lecture::structures_publiantes(
        tx,
        demande
            .and_then(|d| d.apres)
            .map(|c| GestionnaireId(c.dernier)),
        demande.and_then(|d| d.depuis),
        limite(demande),
    )
    .await?;
    let ids: Vec<i64> = publiantes.iter().map(|p| p.gestionnaire.0).collect();
    let gestionnaires: BTreeMap<i64, Gestionnaire> =
        depot::lister_par_ids::<Gestionnaire>(tx, &ids)
            .await?
            .into_iter()
            .map(|g| (g.valeur.id.0, g.valeur))
            .collect();
    Ok(publiantes
        .iter()
        .filter_map(|p| {
            let g = gestionnaires.get(&p.gestionnaire.0)?;
            Some(Entree {
                cle: p.gestionnaire.0,
                mis_a_jour_le: p.mis_a_jour_le,
                valeur: structure(g, p.mis_a_jour_le, contexte),
            })
        })
        .collect())
}

async fn services(
    tx: &mut Tx,
    contexte: &Contexte<'_>,
    demande: Option<&DemandePage>,
) -> Result<Vec<Entree<ServiceDataInclusion>>, ErreurApp> {
    let publies = lecture::services_publies(
        tx,
        demande.and_then(|d| d.apres).map(|c| ServiceId(c.dernier)),
        demande.and_then(|d| d.depuis),
        limite(demande),
    )
    .await?;
    Ok(publies
        .iter()
        .map(|s| Entree {
            cle: s.id.0,
            mis_a_jour_le: s.mis_a_jour_le,
            valeur: di_services::service(s, contexte),
        })
        .collect())
}

impl Plateforme {
    /// Everything published, for the files and the description page (one reading, so that the
    /// structures and the services agree).
    pub async fn contenu_ouvert(&self, adresse_publique: &str) -> Result<ContenuOuvert, ErreurApp> {
        let contexte = Contexte {
            adresse_publique,
            communes: communes()?,
        };
        let mut tx = self.base.lire().await?;
        let structures = structures(&mut tx, &contexte, None).await?;
        let services = services(&mut tx, &contexte, None).await?;
        Ok(ContenuOuvert {
            structures: structures.into_iter().map(|e| e.valeur).collect(),
            services: services.into_iter().map(|e| e.valeur).collect(),
        })
    }

    /// A page of the structures that publish services.
    pub async fn page_structures_ouvertes(
        &self,
        adresse_publique: &str,
        demande: &DemandePage,
    ) -> Result<Page<StructureDataInclusion>, ErreurApp> {
        let contexte = Contexte {
            adresse_publique,
            communes: communes()?,
        };
        let mut tx = self.base.lire().await?;
        let entrees = structures(&mut tx, &contexte, Some(demande)).await?;
        Ok(pagination::conclure(
            Liste::Structures,
            entrees,
            demande.taille,
        ))
    }

    /// A page of the published services.
    pub async fn page_services_ouverts(
        &self,
        adresse_publique: &str,
        demande: &DemandePage,
    ) -> Result<Page<ServiceDataInclusion>, ErreurApp> {
        let contexte = Contexte {
            adresse_publique,
            communes: communes()?,
        };
        let mut tx = self.base.lire().await?;
        let entrees = services(&mut tx, &contexte, Some(demande)).await?;
        Ok(pagination::conclure(
            Liste::Services,
            entrees,
            demande.taille,
        ))
    }
}
