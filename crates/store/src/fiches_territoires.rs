//! What the public fiches territoires read: the offer of every scheme (the places listed by the
//! dossiers in the given states, and how many dossiers each département has per scheme), and
//! the AIP activity of a département over its latest year with sessions.

use std::collections::{BTreeMap, BTreeSet};

use domain::appel_a_projets::Dispositif;
use domain::identifiants::{CodeDepartement, CodeInsee, LieuId};
use domain::territoire::couverture::LieuOffre;
use domain::territoire::fiche::{ActiviteAnnuelle, LieuDispositif};
use serde::Deserialize;

use crate::connexion::{Base, Valeur};
use crate::erreur::ErreurStore;
use crate::sql::marques;

/// The part of a dossier's record the offer needs: the places its project lists.
#[derive(Deserialize)]
struct LieuxDuDossier {
    projet: LieuxDuProjet,
}

#[derive(Deserialize)]
struct LieuxDuProjet {
    lieux: Vec<LieuId>,
}

/// The part of a place's record the offer needs: its name.
#[derive(Deserialize)]
struct NomDuLieu {
    nom: String,
}

/// The offer of the whole country, as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OffreNationale {
    /// Each place listed by a dossier in the states, once per scheme, by scheme then number.
    pub lieux: Vec<LieuDispositif>,
    /// The dossiers in the states, by département and scheme.
    pub dossiers: BTreeMap<(CodeDepartement, usize), u64>,
}

impl OffreNationale {
    /// The dossiers of `departement`, in the order of [`Dispositif::TOUS`].
    pub fn dossiers_du_departement(&self, departement: CodeDepartement) -> [u64; 8] {
        let mut sortie = [0; 8];
        for (j, n) in sortie.iter_mut().enumerate() {
            *n = self.dossiers.get(&(departement, j)).copied().unwrap_or(0);
        }
        sortie
    }
}

fn dispositif(code: &str) -> Option<(usize, Dispositif)> {
    Dispositif::TOUS
        .iter()
        .copied()
        .enumerate()
        .find(|(_, d)| d.code() == code)
}

/// The offer of every scheme in every département: the dossiers whose state is one of `etats`
/// (codes of `EtatDossier`) and the places they list. Two queries whatever the numbers.
pub async fn offre_nationale(base: &Base, etats: &[&str]) -> Result<OffreNationale, ErreurStore> {
    let mut sortie = OffreNationale::default();
    if etats.is_empty() {
        return Ok(sortie);
    }
    let mut tx = base.lire().await?;
    let params: Vec<Valeur> = etats.iter().map(|e| Valeur::from(*e)).collect();
    let dossiers = tx
        .lignes(
            &format!(
                "SELECT d.departement, a.dispositif, d.donnees FROM dossiers d \
                 JOIN appels a ON a.id = d.appel_id WHERE d.etat IN ({}) ORDER BY d.id",
                marques(1, etats.len())
            ),
            &params,
        )
        .await?;
    let mut listes: BTreeSet<(usize, i64)> = BTreeSet::new();
    for ligne in &dossiers {
        let Some((j, _)) = dispositif(&ligne.texte("dispositif")?) else {
            continue;
        };
        let departement = CodeDepartement::parse(&ligne.texte("departement")?)
            .map_err(|e| ErreurStore::Donnee(e.to_string()))?;
        *sortie.dossiers.entry((departement, j)).or_default() += 1;
        let dossier: LieuxDuDossier = serde_json::from_str(&ligne.texte("donnees")?)?;
        listes.extend(dossier.projet.lieux.into_iter().map(|l| (j, l.0)));
    }
    if listes.is_empty() {
        return Ok(sortie);
    }
    let lignes = tx
        .lignes(
            &format!(
                "SELECT l.id, l.commune, l.donnees FROM lieux l WHERE l.gestionnaire_id IN \
                 (SELECT d.gestionnaire_id FROM dossiers d WHERE d.etat IN ({})) ORDER BY l.id",
                marques(1, etats.len())
            ),
            &params,
        )
        .await?;
    let mut lieux: BTreeMap<i64, LieuOffre> = BTreeMap::new();
    for ligne in &lignes {
        let id = ligne.entier("id")?;
        let nom = serde_json::from_str::<NomDuLieu>(&ligne.texte("donnees")?)?.nom;
        let commune = CodeInsee::parse(&ligne.texte("commune")?)
            .map_err(|e| ErreurStore::Donnee(e.to_string()))?;
        lieux.insert(
            id,
            LieuOffre {
                lieu: LieuId(id),
                nom,
                commune,
            },
        );
    }
    for (j, id) in listes {
        if let Some(lieu) = lieux.get(&id) {
            sortie.lieux.push(LieuDispositif {
                dispositif: Dispositif::TOUS[j],
                lieu: lieu.clone(),
            });
        }
    }
    Ok(sortie)
}

/// The AIP activity of `departement` over the latest year with at least one session: the
/// structures that recorded one, the sessions, and the families (counted by structure and
/// summed, as the activity's aggregates count them). `None` when no session was ever recorded.
pub async fn activite_recente(
    base: &Base,
    departement: CodeDepartement,
) -> Result<Option<ActiviteAnnuelle>, ErreurStore> {
    let mut tx = base.lire().await?;
    let Some(annee) = tx
        .ligne(
            "SELECT exercice, CAST(COUNT(DISTINCT gestionnaire_id) AS BIGINT) AS structures, \
             CAST(COALESCE(SUM(entretiens), 0) AS BIGINT) AS entretiens \
             FROM activite_mois WHERE departement = $1 AND entretiens > 0 \
             GROUP BY exercice ORDER BY exercice DESC LIMIT 1",
            &[departement.as_str().into()],
        )
        .await?
    else {
        return Ok(None);
    };
    let exercice = annee.entier("exercice")?;
    let familles = tx
        .ligne(
            "SELECT CAST(COALESCE(SUM(familles_nouvelles), 0) AS BIGINT) AS familles \
             FROM activite_familles_mois WHERE departement = $1 AND exercice = $2",
            &[departement.as_str().into(), exercice.into()],
        )
        .await?
        .map_or(Ok(0), |l| l.entier("familles"))?;
    let positif = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(Some(ActiviteAnnuelle {
        exercice: i32::try_from(exercice).unwrap_or(0),
        structures: positif(annee.entier("structures")?),
        entretiens: positif(annee.entier("entretiens")?),
        familles: positif(familles),
    }))
}
