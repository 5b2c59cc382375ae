//! What the departmental coordination reads and writes: the offer of a scheme in a département
//! (the places listed by the dossiers of its calls in the given states), and the rows of its
//! action plan and of its information and communication plan.

use std::collections::{BTreeMap, BTreeSet};

use domain::appel_a_projets::Dispositif;
use domain::coordination::plans::ElementPlan;
use domain::identifiants::{CodeDepartement, CodeInsee, LieuId};
use domain::territoire::couverture::LieuOffre;

use serde::Deserialize;

use crate::connexion::{Base, Valeur};
use crate::depot::prochain_id;
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

/// The places of the offer of `dispositif` in `departement`: each place listed by a dossier of a
/// call of that scheme and département whose state is one of `etats` (codes of
/// `EtatDossier`), once, by number. Two queries whatever the number of dossiers and places.
pub async fn offre(
    base: &Base,
    departement: CodeDepartement,
    dispositif: Dispositif,
    etats: &[&str],
) -> Result<Vec<LieuOffre>, ErreurStore> {
    if etats.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = base.lire().await?;
    let mut params: Vec<Valeur> = vec![departement.as_str().into(), dispositif.code().into()];
    params.extend(etats.iter().map(|e| Valeur::from(*e)));
    let dossiers = tx
        .lignes(
            &format!(
                "SELECT d.donnees FROM dossiers d JOIN appels a ON a.id = d.appel_id \
                 WHERE d.departement = $1 AND a.dispositif = $2 AND d.etat IN ({})",
                marques(3, etats.len())
            ),
            &params,
        )
        .await?;
    let mut listes: BTreeSet<i64> = BTreeSet::new();
    for ligne in &dossiers {
        let dossier: LieuxDuDossier = serde_json::from_str(&ligne.texte("donnees")?)?;
        listes.extend(dossier.projet.lieux.into_iter().map(|l| l.0));
    }
    if listes.is_empty() {
        return Ok(Vec::new());
    }
    // The places of the gestionnaires of those dossiers, kept when listed.
    let lignes = tx
        .lignes(
            &format!(
                "SELECT l.id, l.commune, l.donnees FROM lieux l WHERE l.gestionnaire_id IN \
                 (SELECT d.gestionnaire_id FROM dossiers d JOIN appels a ON a.id = d.appel_id \
                  WHERE d.departement = $1 AND a.dispositif = $2 AND d.etat IN ({})) \
                 ORDER BY l.id",
                marques(3, etats.len())
            ),
            &params,
        )
        .await?;
    let mut sortie = BTreeMap::new();
    for ligne in &lignes {
        let id = ligne.entier("id")?;
        if !listes.contains(&id) {
            continue;
        }
        let nom = serde_json::from_str::<NomDuLieu>(&ligne.texte("donnees")?)?.nom;
        let commune = CodeInsee::parse(&ligne.texte("commune")?)
            .map_err(|e| ErreurStore::Donnee(e.to_string()))?;
        sortie.insert(
            id,
            LieuOffre {
                lieu: LieuId(id),
                nom,
                commune,
            },
        );
    }
    Ok(sortie.into_values().collect())
}

/// A row of a plan, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LignePlan<T> {
    pub id: i64,
    pub departement: CodeDepartement,
    pub version: i64,
    pub modifie_le: String,
    pub valeur: T,
}

fn lire_ligne<T: ElementPlan>(l: &crate::Ligne) -> Result<LignePlan<T>, ErreurStore> {
    Ok(LignePlan {
        id: l.entier("id")?,
        departement: CodeDepartement::parse(&l.texte("departement")?)
            .map_err(|e| ErreurStore::Donnee(e.to_string()))?,
        version: l.entier("version")?,
        modifie_le: l.texte("modifie_le")?,
        valeur: serde_json::from_str(&l.texte("donnees")?)?,
    })
}

/// The rows of the plan of kind `T` of `departement`, by number.
pub async fn lignes<T: ElementPlan>(
    base: &Base,
    departement: CodeDepartement,
) -> Result<Vec<LignePlan<T>>, ErreurStore> {
    let mut tx = base.lire().await?;
    let lignes = tx
        .lignes(
            "SELECT id, departement, version, modifie_le, donnees FROM plans_coordination \
             WHERE departement = $1 AND nature = $2 ORDER BY id",
            &[departement.as_str().into(), T::NATURE.into()],
        )
        .await?;
    lignes.iter().map(lire_ligne).collect()
}

/// The row `id` of the plan of kind `T` of `departement`, if any.
pub async fn ligne<T: ElementPlan>(
    base: &Base,
    departement: CodeDepartement,
    id: i64,
) -> Result<Option<LignePlan<T>>, ErreurStore> {
    let mut tx = base.lire().await?;
    let ligne = tx
        .ligne(
            "SELECT id, departement, version, modifie_le, donnees FROM plans_coordination \
             WHERE departement = $1 AND nature = $2 AND id = $3",
            &[departement.as_str().into(), T::NATURE.into(), id.into()],
        )
        .await?;
    ligne.as_ref().map(lire_ligne).transpose()
}

/// Adds `valeur` to the plan of `departement`; its number.
pub async fn ajouter<T: ElementPlan>(
    base: &Base,
    departement: CodeDepartement,
    valeur: &T,
    par: i64,
    quand: &str,
) -> Result<i64, ErreurStore> {
    let donnees = serde_json::to_string(valeur)?;
    let mut tx = base.debuter().await?;
    let id = prochain_id(&mut tx, "plans_coordination").await?;
    tx.executer(
        "INSERT INTO plans_coordination \
         (id, departement, nature, version, modifie_le, modifie_par, donnees) \
         VALUES ($1, $2, $3, 1, $4, $5, $6)",
        &[
            id.into(),
            departement.as_str().into(),
            T::NATURE.into(),
            quand.into(),
            par.into(),
            donnees.into(),
        ],
    )
    .await?;
    tx.valider().await?;
    Ok(id)
}

/// Replaces the row `id` of the plan of `departement` by `valeur`, if it is still at
/// `version_lue`: else [`ErreurStore::Conflit`] (someone saved first), or
/// [`ErreurStore::Introuvable`].
pub async fn modifier<T: ElementPlan>(
    base: &Base,
    departement: CodeDepartement,
    id: i64,
    version_lue: i64,
    valeur: &T,
    par: i64,
    quand: &str,
) -> Result<(), ErreurStore> {
    let donnees = serde_json::to_string(valeur)?;
    let mut tx = base.debuter().await?;
    let n = tx
        .executer(
            "UPDATE plans_coordination SET version = version + 1, modifie_le = $1, \
             modifie_par = $2, donnees = $3 \
             WHERE id = $4 AND departement = $5 AND nature = $6 AND version = $7",
            &[
                quand.into(),
                par.into(),
                donnees.into(),
                id.into(),
                departement.as_str().into(),
                T::NATURE.into(),
                version_lue.into(),
            ],
        )
        .await?;
    if n == 0 {
        let trouvee = tx
            .ligne(
                "SELECT version FROM plans_coordination \
                 WHERE id = $1 AND departement = $2 AND nature = $3",
                &[id.into(), departement.as_str().into(), T::NATURE.into()],
            )
            .await?;
        return Err(match trouvee {
            Some(l) => ErreurStore::Conflit {
                entite: "l'élément du plan",
                id,
                attendue: version_lue,
                trouvee: l.entier("version")?,
            },
            None => ErreurStore::Introuvable {
                entite: "l'élément du plan",
                id,
            },
        });
    }
    tx.valider().await?;
    Ok(())
}

/// Deletes the row `id` of the plan of kind `T` of `departement`; false when there is none.
pub async fn supprimer<T: ElementPlan>(
    base: &Base,
    departement: CodeDepartement,
    id: i64,
) -> Result<bool, ErreurStore> {
    let mut tx = base.debuter().await?;
    let n = tx
        .executer(
            "DELETE FROM plans_coordination WHERE id = $1 AND departement = $2 AND nature = $3",
            &[id.into(), departement.as_str().into(), T::NATURE.into()],
        )
        .await?;
    tx.valider().await?;
    Ok(n > 0)
}
