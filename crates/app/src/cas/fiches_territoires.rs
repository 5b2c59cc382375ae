//! The public fiches territoires (COG 2018-2022 of the Cnaf, fiche thématique 16, action 4.1:
//! « fiches "territoires" aux Caf et aux acteurs locaux des politiques familiales »): the
//! figures of a département or a commune, open to everyone without an account, every count
//! under 5 masked (`domain::territoire::fiche`).
//!
//! No actor is asked for: what these fiches show is public by construction (the offer as
//! counts, the coverage, the activity masked), never a record.

use domain::identifiants::{CodeDepartement, CodeInsee};
use domain::territoire::fiche::{self, DonneesFiche, FicheCommune, FicheDepartement};
use store::fiches_territoires as depot;

use crate::Plateforme;
use crate::cas::diagnostic::{ETATS_OFFRE, RAYON_PAR_DEFAUT_KM, territoire};
use crate::erreur::ErreurApp;

impl Plateforme {
    /// Reads what the fiches of `departement` are computed from, and hands it to `calcul`.
    async fn avec_donnees<T>(
        &self,
        departement: CodeDepartement,
        calcul: impl FnOnce(&DonneesFiche<'_>) -> T,
    ) -> Result<T, ErreurApp> {
        let (communes, epcis) = territoire()?;
        let etats: Vec<&str> = ETATS_OFFRE.iter().map(|e| e.code()).collect();
        let offre = depot::offre_nationale(&self.base, &etats).await?;
        let activite = depot::activite_recente(&self.base, departement).await?;
        let services = self.services_des_fiches().await?;
        let population_nation = communes
            .iter()
            .map(|c| u64::from(c.population.unwrap_or(0)))
            .sum();
        let donnees = DonneesFiche {
            departement,
            communes,
            epcis,
            lieux: &offre.lieux,
            dossiers: offre.dossiers_du_departement(departement),
            services: &services,
            lieux_nation: offre.lieux.len() as u64,
            population_nation,
            activite,
            rayon_km: RAYON_PAR_DEFAUT_KM,
        };
        Ok(calcul(&donnees))
    }

    /// The published services of the directory (the version the public sees), as scheme and
    /// commune: a service counts once in each commune where it has a place.
    async fn services_des_fiches(
        &self,
    ) -> Result<Vec<(domain::appel_a_projets::Dispositif, CodeInsee)>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let services = store::annuaire::publies(&mut tx).await?;
        let mut sortie = Vec::new();
        for service in &services {
            let communes: std::collections::BTreeSet<CodeInsee> =
                service.lieux.iter().map(|l| l.adresse.commune).collect();
            sortie.extend(communes.into_iter().map(|c| (service.dispositif, c)));
        }
        Ok(sortie)
    }

    /// The communes with a place of the offer or a published service of the directory, by code
    /// (each has a fiche worth listing in the sitemap).
    pub async fn communes_avec_offre(&self) -> Result<Vec<CodeInsee>, ErreurApp> {
        let (communes, _) = territoire()?;
        let etats: Vec<&str> = ETATS_OFFRE.iter().map(|e| e.code()).collect();
        let offre = depot::offre_nationale(&self.base, &etats).await?;
        let services = self.services_des_fiches().await?;
        let codes: std::collections::BTreeSet<CodeInsee> = offre
            .lieux
            .iter()
            .map(|l| l.lieu.commune)
            .chain(services.into_iter().map(|(_, c)| c))
            .filter(|c| communes.get(*c).is_some())
            .collect();
        Ok(codes.into_iter().collect())
    }

    /// The fiche of `departement`; `None` when it is not one of the 101 départements.
    pub async fn fiche_departement(
        &self,
        departement: CodeDepartement,
    ) -> Result<Option<FicheDepartement>, ErreurApp> {
        if domain::territoire::departement(departement).is_none() {
            return Ok(None);
        }
        Ok(Some(
            self.avec_donnees(departement, fiche::fiche_departement)
                .await?,
        ))
    }

    /// The fiche of `commune`; `None` when no current commune has this code.
    pub async fn fiche_commune(
        &self,
        commune: CodeInsee,
    ) -> Result<Option<FicheCommune>, ErreurApp> {
        let Some(departement) = territoire()?.0.get(commune).map(|c| c.departement) else {
            return Ok(None);
        };
        self.avec_donnees(departement, |d| fiche::fiche_commune(d, commune))
            .await
    }
}
