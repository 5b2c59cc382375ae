//! The figures of the public fiches territoires (one per département, one per commune): the
//! offer of each scheme (validated dossiers, places, services of the directory), the population,
//! the places per 10 000 inhabitants, the coverage, and the public activity indicators of the
//! AIP; with the statistical-secrecy rule that decides which counts are shown.
//!
//! Sources: the COG 2018-2022 of the Cnaf, fiche thématique 16, action 4 (« Assurer la
//! transparence des actions de la Branche […] dans des conditions permettant le respect des
//! données individuelles ») and action 4.1 (« livraison de fiches "territoires" aux Caf et aux
//! acteurs locaux des politiques familiales »), as the working notes « Document de travail :
//! focus sur la COG 2018 – 2022 » quote it; and the platform's requirement for these fiches:
//! every count under 5 masked. The threshold is the one of the AIP activity's open data
//! (`activite::SEUIL_SECRET`, docs/activite.md), so that the two publications agree.
//!
//! # The rule (see [`masquer`])
//!
//! 1. **Primary masking**: a count from 1 to 4 is shown as « < 5 ». A zero is shown: the absence
//!    of an offer in a commune is exactly what the coverage map publishes (a commune with a
//!    place of its own is covered at 0 km), so hiding it would protect nothing.
//! 2. **Secondary masking**: counts are published in groups whose total is published too (the
//!    schemes of a commune and their total; the communes of a département for one scheme and
//!    the département's figure; the schemes of the département and their grand total). In each
//!    group, one equation « total = sum of the parts » holds. The rule makes sure that
//!    - no group has exactly one masked figure (it would be the total minus the others): the
//!      smallest non-zero visible part is masked too (the total when no such part is left);
//!    - when a group's total is shown, the masked parts add up to 5 or more (else their sum,
//!      the total minus the shown parts, would itself be a count under 5): the smallest
//!      non-zero visible parts are masked until they do;
//!    - and, the groups crossing one another, no masked figure can be computed from all the
//!      equations together (two groups with two masked figures each can still pin one down):
//!      when one can, the smallest non-zero visible part of its row or column is masked too
//!      (its total when none is left; the smallest figure shown anywhere in the table when its
//!      row and column are all masked).
//!
//!    The steps are repeated until nothing changes (masking only grows, so this ends).
//!    Masking the next smallest part rather than the total keeps the total, which a reader
//!    needs most.

use serde::Serialize;

use super::couverture::{Couverture, DiagnosticCouverture, LieuOffre, distance_km};
use super::{Communes, Epcis, Position};
use crate::appel_a_projets::Dispositif;
use crate::identifiants::{CodeDepartement, CodeInsee};

/// Counts under this are masked (the same threshold as the AIP activity's open data).
pub const SEUIL_SECRET: u64 = 5;

/// A count as a fiche shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chiffre {
    /// Shown as is.
    Publie(u64),
    /// Shown as « < 5 » (under the threshold, or masked so that another cannot be recomputed).
    Masque,
}

impl Chiffre {
    /// The value shown, if any.
    pub fn valeur(self) -> Option<u64> {
        match self {
            Chiffre::Publie(v) => Some(v),
            Chiffre::Masque => None,
        }
    }

    /// A figure published alone (no total beside it): masked from 1 to 4.
    pub fn seul(valeur: u64) -> Chiffre {
        if (1..SEUIL_SECRET).contains(&valeur) {
            Chiffre::Masque
        } else {
            Chiffre::Publie(valeur)
        }
    }
}

/// A group of cells whose `parts` add up to the cell `total` (indices into the cells).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groupe {
    pub parts: Vec<usize>,
    pub total: usize,
}

/// Which of `valeurs` to mask, given the groups of cells that add up to a total (each cell's
/// value must equal the sum of its parts in every group where it is the total). See the module
/// documentation for the rule.
pub fn masquer(valeurs: &[u64], groupes: &[Groupe]) -> Vec<bool> {
    let mut masque: Vec<bool> = valeurs
        .iter()
        .map(|v| (1..SEUIL_SECRET).contains(v))
        .collect();
    loop {
        let mut change = false;
        for g in groupes {
            change |= regle_du_groupe(valeurs, &mut masque, g);
        }
        if change {
            continue;
        }
        // Every group is protected alone: look for a figure the equations pin down together.
        for cellule in determinees(valeurs.len(), &masque, groupes) {
            let candidat = groupes
                .iter()
                .filter(|g| g.total == cellule || g.parts.contains(&cellule))
                .flat_map(|g| {
                    plus_petite_visible(valeurs, &masque, g)
                        .into_iter()
                        .chain([g.total])
                })
                .find(|i| !masque[*i] && valeurs[*i] > 0)
                // Its rows and columns all masked: the smallest figure still shown anywhere.
                .or_else(|| {
                    (0..valeurs.len())
                        .filter(|i| !masque[*i] && valeurs[*i] > 0)
                        .min_by_key(|i| (valeurs[*i], *i))
                });
            if let Some(i) = candidat {
                masque[i] = true;
                change = true;
            }
        }
        if !change {
            return masque;
        }
    }
}

/// The smallest non-zero part of `g` still shown.
fn plus_petite_visible(valeurs: &[u64], masque: &[bool], g: &Groupe) -> Option<usize> {
    g.parts
        .iter()
        .copied()
        .filter(|i| !masque[*i] && valeurs[*i] > 0)
        .min_by_key(|i| (valeurs[*i], *i))
}

/// Applies the rule to one group; whether it masked anything.
fn regle_du_groupe(valeurs: &[u64], masque: &mut [bool], g: &Groupe) -> bool {
    let mut change = false;
    loop {
        let masquees: Vec<usize> = g.parts.iter().copied().filter(|i| masque[*i]).collect();
        let total_masque = masque[g.total];
        let somme: u64 = masquees.iter().map(|i| valeurs[*i]).sum();
        let nombre = masquees.len() + usize::from(total_masque);
        let a_proteger = nombre == 1 || (!total_masque && nombre > 0 && somme < SEUIL_SECRET);
        if !a_proteger {
            return change;
        }
        match plus_petite_visible(valeurs, masque, g) {
            Some(i) => masque[i] = true,
            None if !total_masque && valeurs[g.total] > 0 => masque[g.total] = true,
            None => return change,
        }
        change = true;
    }
}

/// The masked cells whose value the groups' equations determine (Gauss-Jordan elimination on
/// the equations restricted to the masked cells: a cell is determined when a reduced row has
/// it as its only unknown).
pub fn determinees(nombre: usize, masque: &[bool], groupes: &[Groupe]) -> Vec<usize> {
    let inconnues: Vec<usize> = (0..nombre).filter(|i| masque[*i]).collect();
    let colonne = |cellule: usize| inconnues.iter().position(|c| *c == cellule);
    let mut lignes: Vec<Vec<f64>> = groupes
        .iter()
        .map(|g| {
            let mut l = vec![0.0; inconnues.len()];
            for p in &g.parts {
                if let Some(j) = colonne(*p) {
                    l[j] += 1.0;
                }
            }
            if let Some(j) = colonne(g.total) {
                l[j] -= 1.0;
            }
            l
        })
        .filter(|l| l.iter().any(|x| *x != 0.0))
        .collect();
    let mut rang = 0;
    for j in 0..inconnues.len() {
        let Some(pivot) = (rang..lignes.len()).find(|r| lignes[*r][j].abs() > 1e-9) else {
            continue;
        };
        lignes.swap(rang, pivot);
        let p = lignes[rang][j];
        lignes[rang].iter_mut().for_each(|x| *x /= p);
        let reference = lignes[rang].clone();
        for (r, ligne) in lignes.iter_mut().enumerate() {
            if r != rang && ligne[j].abs() > 1e-9 {
                let facteur = ligne[j];
                for (x, y) in ligne.iter_mut().zip(&reference) {
                    *x -= facteur * y;
                }
            }
        }
        rang += 1;
    }
    let mut sortie: Vec<usize> = lignes
        .iter()
        .filter_map(|l| {
            let non_nulles: Vec<usize> = (0..l.len()).filter(|j| l[*j].abs() > 1e-9).collect();
            match non_nulles.as_slice() {
                [j] => Some(inconnues[*j]),
                _ => None,
            }
        })
        .collect();
    sortie.sort_unstable();
    sortie
}

/// A table of counts with its row totals, column totals and grand total, masked together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableauMasque {
    pub cellules: Vec<Vec<Chiffre>>,
    pub totaux_lignes: Vec<Chiffre>,
    pub totaux_colonnes: Vec<Chiffre>,
    pub total: Chiffre,
}

/// Masks a table of `lignes` rows of `colonnes` counts (each row as long), with its margins: the
/// groups are each row with its total, each column with its total, the row totals with the
/// grand total, and the column totals with the grand total.
pub fn masquer_tableau(lignes: &[Vec<u64>], colonnes: usize) -> TableauMasque {
    let (r, c) = (lignes.len(), colonnes);
    // A (r + 1) × (c + 1) grid, margins in the last row and column.
    let indice = |i: usize, j: usize| i * (c + 1) + j;
    let mut valeurs = vec![0u64; (r + 1) * (c + 1)];
    for (i, ligne) in lignes.iter().enumerate() {
        for j in 0..c {
            let v = ligne.get(j).copied().unwrap_or(0);
            valeurs[indice(i, j)] = v;
            valeurs[indice(i, c)] += v;
            valeurs[indice(r, j)] += v;
            valeurs[indice(r, c)] += v;
        }
    }
    let mut groupes = Vec::with_capacity(r + c + 2);
    for i in 0..=r {
        groupes.push(Groupe {
            parts: (0..c).map(|j| indice(i, j)).collect(),
            total: indice(i, c),
        });
    }
    for j in 0..=c {
        groupes.push(Groupe {
            parts: (0..r).map(|i| indice(i, j)).collect(),
            total: indice(r, j),
        });
    }
    let masque = masquer(&valeurs, &groupes);
    let chiffre = |i: usize, j: usize| {
        if masque[indice(i, j)] {
            Chiffre::Masque
        } else {
            Chiffre::Publie(valeurs[indice(i, j)])
        }
    };
    TableauMasque {
        cellules: (0..r)
            .map(|i| (0..c).map(|j| chiffre(i, j)).collect())
            .collect(),
        totaux_lignes: (0..r).map(|i| chiffre(i, c)).collect(),
        totaux_colonnes: (0..c).map(|j| chiffre(r, j)).collect(),
        total: chiffre(r, c),
    }
}

/// Masks a list of counts and their total (one group).
pub fn masquer_liste(valeurs: &[u64]) -> (Vec<Chiffre>, Chiffre) {
    let t = masquer_tableau(&[valeurs.to_vec()], valeurs.len());
    let ligne = t.cellules.into_iter().next().unwrap_or_default();
    (ligne, t.total)
}

/// Places per 10 000 inhabitants when the count of places is shown (a rate would give a masked
/// count back: places = rate × population / 10 000); `None` when masked or no inhabitant.
pub fn pour_10_000(lieux: Chiffre, population: u64) -> Option<f64> {
    lieux
        .valeur()
        .and_then(|l| u32::try_from(l).ok())
        .and_then(|l| super::couverture::pour_10_000(l, population))
}

/// A place of the offer of one scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct LieuDispositif {
    pub dispositif: Dispositif,
    pub lieu: LieuOffre,
}

/// The public activity of the AIP in a département over one year, as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiviteAnnuelle {
    pub exercice: i32,
    /// Structures with at least one session recorded in the year.
    pub structures: u64,
    pub entretiens: u64,
    /// Families, counted by structure and summed (as the activity's aggregates count them).
    pub familles: u64,
}

/// The public activity indicators, masked (each figure stands alone: no total beside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ActivitePublique {
    pub exercice: i32,
    pub structures: Chiffre,
    pub entretiens: Chiffre,
    pub familles: Chiffre,
}

impl ActiviteAnnuelle {
    pub fn publier(&self) -> ActivitePublique {
        ActivitePublique {
            exercice: self.exercice,
            structures: Chiffre::seul(self.structures),
            entretiens: Chiffre::seul(self.entretiens),
            familles: Chiffre::seul(self.familles),
        }
    }
}

/// What a fiche is computed from: the territory, the offer and the activity, as read.
#[derive(Debug, Clone)]
pub struct DonneesFiche<'a> {
    pub departement: CodeDepartement,
    pub communes: &'a Communes,
    pub epcis: &'a Epcis,
    /// The places of the validated dossiers of every département (a place near the border
    /// covers the communes across it; a place counts in its own commune only).
    pub lieux: &'a [LieuDispositif],
    /// The validated dossiers of the département, by scheme (in the order of
    /// [`Dispositif::TOUS`]).
    pub dossiers: [u64; 8],
    /// The published services of the directory: scheme and commune of each place of each.
    pub services: &'a [(Dispositif, CodeInsee)],
    /// The places of the validated dossiers and the population of the whole country, for the
    /// national rate.
    pub lieux_nation: u64,
    pub population_nation: u64,
    pub activite: Option<ActiviteAnnuelle>,
    /// The distance of the coverage, in km.
    pub rayon_km: f64,
}

/// One scheme's line of a fiche.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LigneOffre {
    /// `None` for the total line.
    pub dispositif: Option<Dispositif>,
    /// Validated dossiers (département fiche only).
    pub dossiers: Option<Chiffre>,
    pub lieux: Chiffre,
    pub services: Chiffre,
    pub lieux_pour_10_000: Option<f64>,
}

/// The nearest place of a scheme to a commune.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proximite {
    pub dispositif: Dispositif,
    /// The commune of the nearest place and its distance in km; `None` when none is within
    /// [`RAYON_PROXIMITE_KM`].
    pub plus_proche: Option<(CodeInsee, String, f64)>,
}

/// How far the fiche of a commune looks for the nearest place of each scheme, in km.
pub const RAYON_PROXIMITE_KM: f64 = 30.0;

/// A commune as its fiche shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FicheCommune {
    pub code: CodeInsee,
    pub nom: String,
    pub departement: CodeDepartement,
    pub population: u32,
    pub epci: Option<(String, String)>,
    pub offre: Vec<LigneOffre>,
    pub total: LigneOffre,
    pub couverture: Couverture,
    pub rayon_km: f64,
    pub proximite: Vec<Proximite>,
}

/// A département as its fiche shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FicheDepartement {
    pub departement: CodeDepartement,
    pub nom: String,
    pub population: u64,
    pub offre: Vec<LigneOffre>,
    pub total: LigneOffre,
    /// Places per 10 000 inhabitants in the whole country (every scheme), if shown.
    pub national_pour_10_000: Option<f64>,
    /// The coverage of its communes by the places of every scheme.
    pub couverture: DiagnosticCouverture,
    /// The communes of the département with at least one place or service, by name.
    pub communes_avec_offre: Vec<(CodeInsee, String)>,
    pub activite: Option<ActivitePublique>,
    /// The masked figures of every commune with an offer (row `i` is `communes_avec_offre[i]`),
    /// the same the communes' fiches show.
    pub lieux_par_commune: TableauMasque,
    pub services_par_commune: TableauMasque,
}

/// Both masked tables of a département: rows are its communes (by code), columns the schemes.
struct Tableaux {
    communes: Vec<CodeInsee>,
    lieux: TableauMasque,
    services: TableauMasque,
}

fn tableaux(d: &DonneesFiche<'_>) -> Tableaux {
    let index = |x: Dispositif| Dispositif::TOUS.iter().position(|y| *y == x).unwrap_or(0);
    let mut lignes: std::collections::BTreeMap<CodeInsee, ([u64; 8], [u64; 8])> =
        std::collections::BTreeMap::new();
    let du_departement = |c: CodeInsee| {
        d.communes
            .get(c)
            .is_some_and(|x| x.departement == d.departement)
    };
    for l in d.lieux {
        if du_departement(l.lieu.commune) {
            lignes.entry(l.lieu.commune).or_default().0[index(l.dispositif)] += 1;
        }
    }
    for (dispositif, commune) in d.services {
        if du_departement(*commune) {
            lignes.entry(*commune).or_default().1[index(*dispositif)] += 1;
        }
    }
    let communes: Vec<CodeInsee> = lignes.keys().copied().collect();
    let lieux: Vec<Vec<u64>> = lignes.values().map(|v| v.0.to_vec()).collect();
    let services: Vec<Vec<u64>> = lignes.values().map(|v| v.1.to_vec()).collect();
    Tableaux {
        communes,
        lieux: masquer_tableau(&lieux, Dispositif::TOUS.len()),
        services: masquer_tableau(&services, Dispositif::TOUS.len()),
    }
}

/// The coverage of the département by the places of every scheme (each place once).
fn couverture_toutes(d: &DonneesFiche<'_>) -> DiagnosticCouverture {
    let mut offre: Vec<LieuOffre> = d.lieux.iter().map(|l| l.lieu.clone()).collect();
    offre.sort_by_key(|l| l.lieu);
    offre.dedup_by(|a, b| a.lieu == b.lieu);
    super::couverture::diagnostiquer(d.departement, d.communes, d.epcis, &offre, d.rayon_km)
}

/// The fiche of the département of `d`.
pub fn fiche_departement(d: &DonneesFiche<'_>) -> FicheDepartement {
    let couverture = couverture_toutes(d);
    let population = couverture.total.population;
    let t = tableaux(d);
    let (dossiers, total_dossiers) = masquer_liste(&d.dossiers);
    let offre: Vec<LigneOffre> = Dispositif::TOUS
        .iter()
        .enumerate()
        .map(|(j, dispositif)| {
            let lieux = t.lieux.totaux_colonnes[j];
            LigneOffre {
                dispositif: Some(*dispositif),
                dossiers: Some(dossiers[j]),
                lieux,
                services: t.services.totaux_colonnes[j],
                lieux_pour_10_000: pour_10_000(lieux, population),
            }
        })
        .collect();
    let total = LigneOffre {
        dispositif: None,
        dossiers: Some(total_dossiers),
        lieux: t.lieux.total,
        services: t.services.total,
        lieux_pour_10_000: pour_10_000(t.lieux.total, population),
    };
    let national = Chiffre::seul(d.lieux_nation);
    let communes_avec_offre = t
        .communes
        .iter()
        .map(|c| {
            let nom = d
                .communes
                .get(*c)
                .map_or_else(String::new, |x| x.nom.clone());
            (*c, nom)
        })
        .collect();
    FicheDepartement {
        departement: d.departement,
        nom: couverture.total.nom.clone(),
        population,
        offre,
        total,
        national_pour_10_000: pour_10_000(national, d.population_nation),
        couverture,
        communes_avec_offre,
        activite: d.activite.map(|a| a.publier()),
        lieux_par_commune: t.lieux,
        services_par_commune: t.services,
    }
}

/// The fiche of `commune` (of the département of `d`); `None` when it is not one of its
/// communes.
pub fn fiche_commune(d: &DonneesFiche<'_>, commune: CodeInsee) -> Option<FicheCommune> {
    let c = d.communes.get(commune)?;
    if c.departement != d.departement {
        return None;
    }
    let t = tableaux(d);
    let ligne = t.communes.iter().position(|x| *x == commune);
    let population = c.population.unwrap_or(0);
    let cellule = |tableau: &TableauMasque, j: usize| match ligne {
        Some(i) => tableau.cellules[i][j],
        None => Chiffre::Publie(0),
    };
    let offre: Vec<LigneOffre> = Dispositif::TOUS
        .iter()
        .enumerate()
        .map(|(j, dispositif)| {
            let lieux = cellule(&t.lieux, j);
            LigneOffre {
                dispositif: Some(*dispositif),
                dossiers: None,
                lieux,
                services: cellule(&t.services, j),
                lieux_pour_10_000: pour_10_000(lieux, u64::from(population)),
            }
        })
        .collect();
    let total_lieux = ligne.map_or(Chiffre::Publie(0), |i| t.lieux.totaux_lignes[i]);
    let total = LigneOffre {
        dispositif: None,
        dossiers: None,
        lieux: total_lieux,
        services: ligne.map_or(Chiffre::Publie(0), |i| t.services.totaux_lignes[i]),
        lieux_pour_10_000: pour_10_000(total_lieux, u64::from(population)),
    };
    let couverture = couverture_toutes(d)
        .communes
        .into_iter()
        .find(|l| l.code == commune)
        .map_or(Couverture::PositionInconnue, |l| l.couverture);
    let proximite = Dispositif::TOUS
        .iter()
        .map(|dispositif| Proximite {
            dispositif: *dispositif,
            plus_proche: c.position.and_then(|p| plus_proche(d, *dispositif, p)),
        })
        .collect();
    Some(FicheCommune {
        code: c.code,
        nom: c.nom.clone(),
        departement: c.departement,
        population,
        epci: d
            .epcis
            .de_la_commune(commune)
            .map(|e| (e.code.clone(), e.nom.clone())),
        offre,
        total,
        couverture,
        rayon_km: d.rayon_km,
        proximite,
    })
}

/// The commune of the nearest place of `dispositif` within [`RAYON_PROXIMITE_KM`] of `depuis`.
fn plus_proche(
    d: &DonneesFiche<'_>,
    dispositif: Dispositif,
    depuis: Position,
) -> Option<(CodeInsee, String, f64)> {
    d.lieux
        .iter()
        .filter(|l| l.dispositif == dispositif)
        .filter_map(|l| {
            let c = d.communes.get(l.lieu.commune)?;
            let distance = distance_km(depuis, c.position?);
            (distance <= RAYON_PROXIMITE_KM).then(|| (c.code, c.nom.clone(), distance))
        })
        .min_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifiants::LieuId;
    use proptest::prelude::*;

    /// Every way the published figures could give a count back: a masked figure the groups'
    /// equations determine, or the masked parts of a group whose total is shown adding up to a
    /// count under 5. Empty when the publication is safe.
    fn fuites(valeurs: &[u64], masque: &[bool], groupes: &[Groupe]) -> Vec<String> {
        let mut sortie = Vec::new();
        for (i, v) in valeurs.iter().enumerate() {
            if !masque[i] && (1..SEUIL_SECRET).contains(v) {
                sortie.push(format!("cellule {i} publiée à {v}"));
            }
        }
        for i in determinees(valeurs.len(), masque, groupes) {
            sortie.push(format!("cellule {i} ({}) recalculable", valeurs[i]));
        }
        for g in groupes {
            let parts: Vec<&usize> = g.parts.iter().filter(|i| masque[**i]).collect();
            let somme: u64 = parts.iter().map(|i| valeurs[**i]).sum();
            if !masque[g.total] && !parts.is_empty() && somme < SEUIL_SECRET {
                sortie.push(format!("parts masquées {parts:?} de somme {somme}"));
            }
        }
        sortie
    }

    fn groupes_du_tableau(r: usize, c: usize) -> Vec<Groupe> {
        let indice = |i: usize, j: usize| i * (c + 1) + j;
        let mut groupes = Vec::new();
        for i in 0..=r {
            groupes.push(Groupe {
                parts: (0..c).map(|j| indice(i, j)).collect(),
                total: indice(i, c),
            });
        }
        for j in 0..=c {
            groupes.push(Groupe {
                parts: (0..r).map(|i| indice(i, j)).collect(),
                total: indice(r, j),
            });
        }
        groupes
    }

    /// The table as published, back into a grid of values and a grid of masks.
    fn grille(t: &TableauMasque, lignes: &[Vec<u64>], c: usize) -> (Vec<u64>, Vec<bool>) {
        let r = lignes.len();
        let mut valeurs = vec![0; (r + 1) * (c + 1)];
        let mut masque = vec![false; (r + 1) * (c + 1)];
        let mut poser = |i: usize, j: usize, v: u64, ch: Chiffre| {
            valeurs[i * (c + 1) + j] = v;
            masque[i * (c + 1) + j] = ch == Chiffre::Masque;
            if let Chiffre::Publie(p) = ch {
                assert_eq!(p, v, "un chiffre publié est le vrai");
            }
        };
        let mut totaux_c = vec![0; c];
        for (i, ligne) in lignes.iter().enumerate() {
            for (j, total) in totaux_c.iter_mut().enumerate() {
                poser(i, j, ligne[j], t.cellules[i][j]);
                *total += ligne[j];
            }
            poser(i, c, ligne.iter().sum(), t.totaux_lignes[i]);
        }
        for (j, total) in totaux_c.iter().enumerate() {
            poser(r, j, *total, t.totaux_colonnes[j]);
        }
        poser(r, c, totaux_c.iter().sum(), t.total);
        (valeurs, masque)
    }

    #[test]
    fn un_compte_sous_5_est_masque_et_zero_est_publie() {
        assert_eq!(Chiffre::seul(0), Chiffre::Publie(0));
        for v in 1..5 {
            assert_eq!(Chiffre::seul(v), Chiffre::Masque);
        }
        assert_eq!(Chiffre::seul(5), Chiffre::Publie(5));
    }

    #[test]
    fn une_seule_cellule_masquee_entraine_la_plus_petite_suivante() {
        // 3, 8, 20 and their total 31: 3 alone would be 31 − 8 − 20; 8 is masked too.
        let (ligne, total) = masquer_liste(&[3, 8, 20, 0]);
        assert_eq!(
            ligne,
            vec![
                Chiffre::Masque,
                Chiffre::Masque,
                Chiffre::Publie(20),
                Chiffre::Publie(0)
            ]
        );
        assert_eq!(total, Chiffre::Publie(31));
    }

    #[test]
    fn deux_cellules_masquees_dont_la_somme_est_sous_5_en_entrainent_une_troisieme() {
        // 1 + 2 = 3 = 18 − 15: their sum would be a count under 5; 6 is masked too.
        let (ligne, total) = masquer_liste(&[1, 2, 6, 9]);
        assert_eq!(
            ligne,
            vec![
                Chiffre::Masque,
                Chiffre::Masque,
                Chiffre::Masque,
                Chiffre::Publie(9)
            ]
        );
        assert_eq!(total, Chiffre::Publie(18));
    }

    #[test]
    fn un_total_sous_5_masque_tout_le_groupe() {
        let (ligne, total) = masquer_liste(&[1, 2, 0]);
        assert_eq!(
            ligne,
            vec![Chiffre::Masque, Chiffre::Masque, Chiffre::Publie(0)]
        );
        assert_eq!(total, Chiffre::Masque);
    }

    #[test]
    fn une_seule_partie_non_nulle_entraine_le_total() {
        // 7 alone beside zeros would give nothing away, but a masked 3 in its column would:
        // the row {3, 0} with total 3 is all under 5 anyway.
        let (ligne, total) = masquer_liste(&[3, 0]);
        assert_eq!(ligne, vec![Chiffre::Masque, Chiffre::Publie(0)]);
        assert_eq!(total, Chiffre::Masque);
    }

    #[test]
    fn un_tableau_croise_ne_se_recalcule_pas() {
        // Two communes, two schemes: 2 places of AIP in A would be the AIP total minus B's.
        let lignes = vec![vec![2, 10], vec![12, 7]];
        let t = masquer_tableau(&lignes, 2);
        let (valeurs, masque) = grille(&t, &lignes, 2);
        assert_eq!(
            fuites(&valeurs, &masque, &groupes_du_tableau(2, 2)),
            Vec::<String>::new()
        );
        assert_eq!(t.cellules[0][0], Chiffre::Masque);
        assert_eq!(t.total, Chiffre::Publie(31));
    }

    #[test]
    fn des_groupes_proteges_un_a_un_le_sont_aussi_ensemble() {
        // Small counts in a square of two rows and two columns: each group has two masked
        // figures; the elimination checks that no combination of the equations gives one.
        let lignes = vec![vec![2, 3, 50], vec![3, 2, 50], vec![60, 60, 60]];
        let t = masquer_tableau(&lignes, 3);
        let (valeurs, masque) = grille(&t, &lignes, 3);
        assert_eq!(
            fuites(&valeurs, &masque, &groupes_du_tableau(3, 3)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn une_cellule_que_seule_la_combinaison_des_groupes_determine_est_protegee() {
        // Every row and column below has 0 or at least 2 masked figures after the rule applied
        // group by group, yet the equations together pinned one down: the elimination step
        // masks one more.
        let lignes = vec![vec![5, 0, 0], vec![1, 1, 0], vec![0, 1, 4], vec![6, 4, 1]];
        let t = masquer_tableau(&lignes, 3);
        let (valeurs, masque) = grille(&t, &lignes, 3);
        assert_eq!(
            fuites(&valeurs, &masque, &groupes_du_tableau(4, 3)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn l_elimination_trouve_une_cellule_determinee() {
        // x0 + x1 = t (t shown) and x1 alone in another group: x1 then x0 are determined.
        let groupes = vec![
            Groupe {
                parts: vec![0, 1],
                total: 2,
            },
            Groupe {
                parts: vec![1, 3],
                total: 4,
            },
        ];
        let masque = vec![true, true, false, false, false];
        assert_eq!(determinees(5, &masque, &groupes), vec![0, 1]);
        let masque = vec![true, true, false, true, false];
        assert_eq!(determinees(5, &masque, &groupes), Vec::<usize>::new());
    }

    #[test]
    fn un_grand_departement_se_masque_vite() {
        // 300 communes with an offer, 8 schemes, mostly small counts (a pseudo-random draw).
        let mut graine: u64 = 7;
        let mut tirer = || {
            graine = graine
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            match (graine >> 33) % 10 {
                0..=4 => 0,
                5..=7 => (graine >> 40) % 5,
                _ => (graine >> 40) % 30,
            }
        };
        let lignes: Vec<Vec<u64>> = (0..300)
            .map(|_| (0..8).map(|_| tirer()).collect())
            .collect();
        let debut = std::time::Instant::now();
        let t = masquer_tableau(&lignes, 8);
        let duree = debut.elapsed();
        let (valeurs, masque) = grille(&t, &lignes, 8);
        assert_eq!(
            fuites(&valeurs, &masque, &groupes_du_tableau(300, 8)),
            Vec::<String>::new()
        );
        assert!(duree.as_secs_f64() < 5.0, "{duree:?}");
        eprintln!("300 × 8 : {duree:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// No figure of a masked table reveals a count under 5: none shown, none recomputed
        /// from the totals, no masked parts of a shown total adding up to less than 5.
        #[test]
        fn aucun_chiffre_publie_ne_revele_un_compte_sous_5(
            (c, lignes) in (1usize..5).prop_flat_map(|c| {
                (Just(c), prop::collection::vec(
                    prop::collection::vec(prop_oneof![4 => 0u64..6, 1 => 0u64..40], c),
                    0..7,
                ))
            })
        ) {
            let t = masquer_tableau(&lignes, c);
            let (valeurs, masque) = grille(&t, &lignes, c);
            let f = fuites(&valeurs, &masque, &groupes_du_tableau(lignes.len(), c));
            prop_assert!(f.is_empty(), "{:?} {:?}", f, t);
        }
    }

    const COMMUNES: &str = "code,nom,departement,population,latitude,longitude
38001,A,38,10000,45.0,5.0
38002,B,38,2000,45.08,5.0
38003,C,38,500,45.1,5.0
38004,D,38,800,45.5,5.0
73001,Z,73,50,45.0,5.05
";

    fn lieu(id: i64, dispositif: Dispositif, commune: &str) -> LieuDispositif {
        LieuDispositif {
            dispositif,
            lieu: LieuOffre {
                lieu: LieuId(id),
                nom: format!("Lieu {id}"),
                commune: CodeInsee::parse(commune).unwrap(),
            },
        }
    }

    /// A département drawn by hand: A holds 6 REAAP places and 2 AIP, B 1 AIP, Z (73) 3 AIP;
    /// D is 55.6 km from A (0.5° of a meridian) and uncovered at 10 km.
    #[test]
    fn une_fiche_de_departement_calculee_a_la_main() {
        let communes = Communes::depuis_csv(COMMUNES).unwrap();
        let epcis = Epcis::default();
        let mut lieux: Vec<LieuDispositif> = (1..=6)
            .map(|i| lieu(i, Dispositif::Reaap, "38001"))
            .collect();
        lieux.push(lieu(7, Dispositif::Aip, "38001"));
        lieux.push(lieu(8, Dispositif::Aip, "38001"));
        lieux.push(lieu(9, Dispositif::Aip, "38002"));
        lieux.extend((10..13).map(|i| lieu(i, Dispositif::Aip, "73001")));
        let d = DonneesFiche {
            departement: CodeDepartement::parse("38").unwrap(),
            communes: &communes,
            epcis: &epcis,
            lieux: &lieux,
            dossiers: [2, 7, 0, 0, 0, 0, 0, 0],
            services: &[],
            lieux_nation: 12,
            population_nation: 13_350,
            activite: Some(ActiviteAnnuelle {
                exercice: 2026,
                structures: 2,
                entretiens: 40,
                familles: 12,
            }),
            rayon_km: 10.0,
        };
        let f = fiche_departement(&d);
        assert_eq!(f.population, 13_300);
        // AIP: 3 places in the département (A 2, B 1): masked; REAAP 6: shown, but then AIP
        // alone would be the total 9 − 6: the total is shown and REAAP masked too.
        assert_eq!(f.offre[0].lieux, Chiffre::Masque);
        assert_eq!(f.offre[1].lieux, Chiffre::Masque);
        assert_eq!(f.total.lieux, Chiffre::Publie(9));
        // 9 × 10 000 / 13 300 = 6.7669…; nation 12 × 10 000 / 13 350 = 8.9887…
        assert!((f.total.lieux_pour_10_000.unwrap() - 6.766_917).abs() < 1e-5);
        assert!((f.national_pour_10_000.unwrap() - 8.988_764).abs() < 1e-5);
        assert_eq!(f.offre[0].lieux_pour_10_000, None, "un taux masqué");
        // Dossiers 2 and 7: 2 masked, so 7 too; total 9 shown.
        assert_eq!(f.offre[0].dossiers, Some(Chiffre::Masque));
        assert_eq!(f.offre[1].dossiers, Some(Chiffre::Masque));
        assert_eq!(f.total.dossiers, Some(Chiffre::Publie(9)));
        assert_eq!(f.couverture.total.communes_non_couvertes, 1);
        let noms: Vec<&str> = f.communes_avec_offre.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(noms, vec!["A", "B"]);
        let a = f.activite.unwrap();
        assert_eq!(
            (a.structures, a.entretiens, a.familles),
            (Chiffre::Masque, Chiffre::Publie(40), Chiffre::Publie(12))
        );
        let b = fiche_commune(&d, CodeInsee::parse("38002").unwrap()).unwrap();
        assert_eq!(b.offre[0].lieux, Chiffre::Masque);
        assert_eq!(b.offre[1].lieux, Chiffre::Publie(0));
        let aip = b.proximite[0].plus_proche.as_ref().unwrap();
        assert_eq!((aip.1.as_str(), aip.2), ("B", 0.0));
        let dd = fiche_commune(&d, CodeInsee::parse("38004").unwrap()).unwrap();
        assert_eq!(dd.couverture, Couverture::NonCouverte);
        assert_eq!(dd.total.lieux, Chiffre::Publie(0));
        assert!(dd.proximite[0].plus_proche.is_none(), "A est à 55 km");
        assert!(fiche_commune(&d, CodeInsee::parse("73001").unwrap()).is_none());
    }
}
