//! The public fiches territoires (COG 2018-2022 of the Cnaf, fiche thématique 16, action 4.1:
//! « fiches "territoires" aux Caf et aux acteurs locaux des politiques familiales »): the
//! figures of a département or a commune, open to everyone without an account, every count
//! under 5 masked (`domain::territoire::fiche`); and the search of a commune by its name.
//!
//! No actor is asked for: what these fiches show is public by construction (the offer as
//! counts, the coverage, the activity masked), never a record.

use domain::identifiants::{CodeDepartement, CodeInsee};
use domain::territoire::fiche::{self, DonneesFiche, FicheCommune, FicheDepartement};
use domain::territoire::{Commune, Communes};
use store::fiches_territoires as depot;

use crate::Plateforme;
use crate::cas::diagnostic::{ETATS_OFFRE, RAYON_PAR_DEFAUT_KM, territoire};
use crate::erreur::ErreurApp;

/// How many communes a search by name answers at most.
pub const RESULTATS_RECHERCHE_MAX: usize = 30;

/// `texte` in lower case, without accents, hyphens and apostrophes as spaces, spaces squeezed:
/// « Saint-Étienne » and « saint etienne » compare equal.
pub fn forme_de_recherche(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len());
    for c in texte.chars().flat_map(char::to_lowercase) {
        let replie = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' | 'ì' => "i",
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' | 'ý' => "y",
            'ç' => "c",
            'ñ' => "n",
            'œ' => "oe",
            'æ' => "ae",
            '-' | '\'' | '’' | '_' | '.' | ',' => " ",
            _ => {
                sortie.push(c);
                continue;
            }
        };
        sortie.push_str(replie);
    }
    sortie.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The communes whose name contains `texte` (compared by [`forme_de_recherche`]), or whose INSEE
/// code is `texte`: the names that begin with it first, then by population (largest first),
/// at most [`RESULTATS_RECHERCHE_MAX`]. Nothing for fewer than 2 characters.
pub fn rechercher_communes<'a>(communes: &'a Communes, texte: &str) -> Vec<&'a Commune> {
    let cherche = forme_de_recherche(texte);
    if cherche.chars().count() < 2 {
        return Vec::new();
    }
    if let Some(c) = CodeInsee::parse(texte)
        .ok()
        .and_then(|code| communes.get(code))
    {
        return vec![c];
    }
    let mut trouvees: Vec<(bool, &Commune)> = communes
        .iter()
        .filter_map(|c| {
            let nom = forme_de_recherche(&c.nom);
            nom.contains(&cherche)
                .then(|| (!nom.starts_with(&cherche), c))
        })
        .collect();
    trouvees.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.population.cmp(&a.1.population))
            .then(a.1.nom.cmp(&b.1.nom))
            .then(a.1.code.cmp(&b.1.code))
    });
    trouvees
        .into_iter()
        .take(RESULTATS_RECHERCHE_MAX)
        .map(|(_, c)| c)
        .collect()
}

impl Plateforme {
    /// The communes compiled in (parsed once per process).
    pub fn communes_du_referentiel(&self) -> Result<&'static Communes, ErreurApp> {
        Ok(&territoire()?.0)
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_forme_de_recherche_ignore_accents_casse_et_tirets() {
        assert_eq!(forme_de_recherche("Saint-Étienne"), "saint etienne");
        assert_eq!(forme_de_recherche("  L’Haÿ-les-Roses "), "l hay les roses");
        assert_eq!(forme_de_recherche("ŒUILLY"), "oeuilly");
    }

    #[test]
    fn la_recherche_met_en_tete_les_noms_qui_commencent_par_le_texte() {
        let communes = Communes::depuis_csv(
            "code,nom,departement,population,latitude,longitude
38001,Les Granges,38,100,45.0,5.0
38002,Grenoble,38,150000,45.1,5.7
38003,Petit-Grenoble,38,10,45.2,5.1
38004,Voiron,38,20000,45.3,5.5
",
        )
        .unwrap();
        let noms: Vec<&str> = rechercher_communes(&communes, "gre")
            .iter()
            .map(|c| c.nom.as_str())
            .collect();
        assert_eq!(noms, vec!["Grenoble", "Petit-Grenoble"]);
        let noms: Vec<&str> = rechercher_communes(&communes, "38004")
            .iter()
            .map(|c| c.nom.as_str())
            .collect();
        assert_eq!(noms, vec!["Voiron"]);
        assert!(rechercher_communes(&communes, "g").is_empty());
    }
}
