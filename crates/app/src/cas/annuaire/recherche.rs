//! The public directory's use cases, open to anyone without an account: the search of the
//! published services near a commune (rules in `domain::annuaire::recherche` and
//! `docs/annuaire-recherche.md`), one published service, and every published service (for the
//! sitemap).
//!
//! The search runs on an index kept in memory ([`CacheIndex`]), shared by the requests: each
//! search reads a fingerprint of the services table (one aggregate query) and rebuilds the index
//! from the published services only when it changed, so that a service published, edited or
//! withdrawn is found (or no longer found) by the very next search. BENCHMARKS.md gives the time
//! measured over 5 000 services.

use std::sync::{Arc, Mutex};

use domain::annuaire::Service;
use domain::annuaire::recherche::{Filtres, IndexRecherche, Origine, Rayon};
use domain::identifiants::{CodeInsee, ServiceId};
use domain::territoire::Commune;
use store::annuaire as depot_annuaire;
use store::annuaire_recherche::empreinte_services;

use super::communes;
use crate::Plateforme;
use crate::erreur::ErreurApp;

/// The fingerprint of the services table (see `store::annuaire_recherche`).
type Empreinte = (i64, i64);

/// The index of the published services and the fingerprint of the table it was built from.
#[derive(Debug, Default)]
pub struct CacheIndex {
    courant: Mutex<Option<(Empreinte, Arc<IndexRecherche<Service>>)>>,
}

/// A search of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recherche {
    pub commune: CodeInsee,
    pub rayon: Rayon,
    pub filtres: Filtres,
}

/// A service found, with what the list shows of its distance.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceTrouve {
    pub service: Service,
    /// The distance from the commune's centre to its nearest place, in km.
    pub distance_km: Option<f64>,
    /// The index of that place in `service.lieux`.
    pub lieu: Option<usize>,
    /// It serves the searched commune (a place there, or its eligibility area).
    pub dessert_la_commune: bool,
}

/// What a search finds.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultatRecherche {
    pub commune: Commune,
    pub rayon: Rayon,
    /// By distance, then name, then id.
    pub services: Vec<ServiceTrouve>,
}

impl Plateforme {
    /// The index of the published services, rebuilt if the services changed since it was built.
    async fn index_annuaire(&self) -> Result<Arc<IndexRecherche<Service>>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let empreinte = empreinte_services(&mut tx).await?;
        let en_cache = self.annuaire.courant.lock().ok().and_then(|c| {
            c.as_ref()
                .filter(|(e, _)| *e == empreinte)
                .map(|(_, i)| i.clone())
        });
        if let Some(index) = en_cache {
            tx.annuler().await?;
            return Ok(index);
        }
        let publies = depot_annuaire::publies(&mut tx).await?;
        tx.annuler().await?;
        let index = Arc::new(IndexRecherche::new(publies));
        if let Ok(mut c) = self.annuaire.courant.lock() {
            *c = Some((empreinte, index.clone()));
        }
        Ok(index)
    }

    /// The published services within the radius of the commune's centre or serving it, kept by
    /// the filters, by distance; `None` for a commune that is not in the reference table.
    /// Anyone may search.
    pub async fn rechercher_services(
        &self,
        recherche: &Recherche,
    ) -> Result<Option<ResultatRecherche>, ErreurApp> {
        let Some(commune) = communes()?.get(recherche.commune).cloned() else {
            return Ok(None);
        };
        let index = self.index_annuaire().await?;
        let origine = Origine {
            commune: commune.code,
            position: commune.position,
            rayon: recherche.rayon,
        };
        let services = index
            .chercher(origine, |s| recherche.filtres.retient(s))
            .into_iter()
            .map(|t| ServiceTrouve {
                service: t.service.clone(),
                distance_km: t.distance_km,
                lieu: t.lieu_le_plus_proche,
                dessert_la_commune: t.dessert_la_commune,
            })
            .collect();
        Ok(Some(ResultatRecherche {
            commune,
            rayon: recherche.rayon,
            services,
        }))
    }

    /// The version the public sees of a service, if it has one. Anyone may read it.
    pub async fn service_public(&self, id: ServiceId) -> Result<Option<Service>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let service = depot_annuaire::service_publie(&mut tx, id).await?;
        tx.annuler().await?;
        Ok(service)
    }

    /// Every published service (the version the public sees), by id.
    pub async fn services_publics(&self) -> Result<Vec<Service>, ErreurApp> {
        Ok(self.index_annuaire().await?.services().to_vec())
    }
}
