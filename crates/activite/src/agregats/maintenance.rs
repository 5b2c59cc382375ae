//! Keeps the aggregate tables current in the transaction that inserts sessions: additive counts
//! per month (by structure, and the same summed by département), and the per-family state of
//! each structure and year, whose change is turned into deltas of the monthly family counts and
//! of the sessions-per-family distribution. Deltas are computed in memory, then each aggregate
//! row is written once, in batches.

use std::collections::HashMap;

use domain::identifiants::{CodeDepartement, GestionnaireId};
use store::Tx;
use store::activite::{agregats, familles};
use time::Date;

use crate::entretien::EntretienValide;
use crate::erreur::ErreurActivite;
use crate::nomenclature::{Etape, Modalite, Mode, Orientation, Presence, Sujet};
use crate::pseudonyme::CodeFamille;

/// A family in a year at one structure.
pub(crate) type CleFamille = (i32, CodeFamille);

/// What the aggregates need to know of a family in a year at one structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EtatFamille {
    pub entretiens: i64,
    pub premiere: Date,
    /// The first « premier contact » session.
    pub premier_contact: Option<Date>,
    /// The last accompaniment or review session.
    pub dernier_suivi: Option<Date>,
}

impl EtatFamille {
    fn vide(e: &EntretienValide) -> Self {
        EtatFamille {
            entretiens: 0,
            premiere: e.date,
            premier_contact: None,
            dernier_suivi: None,
        }
    }

    fn ajouter(&mut self, e: &EntretienValide) {
        self.entretiens += 1;
        self.premiere = self.premiere.min(e.date);
        match e.etape {
            Etape::PremierContact => {
                self.premier_contact = Some(self.premier_contact.map_or(e.date, |d| d.min(e.date)))
            }
            Etape::Accompagnement | Etape::Bilan => {
                self.dernier_suivi = Some(self.dernier_suivi.map_or(e.date, |d| d.max(e.date)))
            }
        }
    }

    /// **Interpretation** (Référentiel national de financement de l'AIP §II.3: the first contact may lead to the support, or to an
    /// orientation): a first contact is followed up when the family has an accompaniment or
    /// review session on the same day or later in the same year at the same structure.
    fn suivi(&self) -> bool {
        matches!((self.premier_contact, self.dernier_suivi), (Some(p), Some(s)) if s >= p)
    }
}

/// The counts of one family-year in the monthly family table and the distribution: +1 new
/// family in the month of its first session; +1 first contact (and +1 followed up) in the month
/// of its first « premier contact »; +1 family at its number of sessions.
fn contribuer(
    etat: &EtatFamille,
    exercice: i32,
    signe: i64,
    mois: &mut HashMap<(i32, u8), [i64; 3]>,
    repartition: &mut HashMap<(i32, i64), i64>,
) {
    mois.entry((exercice, u8::from(etat.premiere.month())))
        .or_default()[0] += signe;
    if let Some(p) = etat.premier_contact {
        let c = mois.entry((exercice, u8::from(p.month()))).or_default();
        c[1] += signe;
        if etat.suivi() {
            c[2] += signe;
        }
    }
    *repartition.entry((exercice, etat.entretiens)).or_default() += signe;
}

impl From<familles::EtatFamille> for EtatFamille {
    fn from(e: familles::EtatFamille) -> Self {
        EtatFamille {
            entretiens: e.entretiens,
            premiere: e.premiere,
            premier_contact: e.premier_contact,
            dernier_suivi: e.dernier_suivi,
        }
    }
}

impl From<EtatFamille> for familles::EtatFamille {
    fn from(e: EtatFamille) -> Self {
        familles::EtatFamille {
            entretiens: e.entretiens,
            premiere: e.premiere,
            premier_contact: e.premier_contact,
            dernier_suivi: e.dernier_suivi,
        }
    }
}

/// Reads the state of these families (those not yet seen are absent from the answer), year by
/// year (see `store::activite::familles::etats`).
pub(crate) async fn charger_familles(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    cles: &[CleFamille],
) -> Result<HashMap<CleFamille, EtatFamille>, ErreurActivite> {
    let mut par_exercice: HashMap<i32, Vec<[u8; 16]>> = HashMap::new();
    for (exercice, famille) in cles {
        par_exercice.entry(*exercice).or_default().push(famille.0);
    }
    let mut etats = HashMap::new();
    for (exercice, codes) in par_exercice {
        for (famille, etat) in familles::etats(tx, gestionnaire.0, exercice, &codes).await? {
            etats.insert((exercice, CodeFamille(famille)), etat.into());
        }
    }
    Ok(etats)
}

/// Key of a monthly count: year, month, step, mode.
type CleMois = (i32, u8, Etape, Mode);
/// Key of a monthly count by attendance, subject or orientation: year, rubrique, code, month.
type CleRubrique = (i32, &'static str, &'static str, u8);

/// What a set of new sessions changes in the aggregates of their structure: additive deltas of
/// the monthly tables, and the new state of each family-year they touch. The one way
/// aggregates change, for a single entry as for an import.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Deltas {
    /// Sessions, minutes, oriented sessions, exceptions by (year, month, step, mode).
    pub mois: Vec<(CleMois, [i64; 4])>,
    /// Sessions by (year, rubrique, code, month).
    pub rubriques: Vec<(CleRubrique, i64)>,
    /// New families, first contacts, followed-up first contacts by (year, month).
    pub familles_mois: Vec<((i32, u8), [i64; 3])>,
    /// Families by (year, number of sessions).
    pub repartition: Vec<((i32, i64), i64)>,
    /// The new state of each family-year touched, in key order.
    pub familles: Vec<(CleFamille, EtatFamille)>,
}

impl Deltas {
    /// The deltas of `entretiens` (new sessions, none already stored) given `etats`, the
    /// stored state of every family-year they belong to (absent: a family new to the structure
    /// that year).
    pub(crate) fn calculer(
        etats: &HashMap<CleFamille, EtatFamille>,
        entretiens: &[&EntretienValide],
    ) -> Deltas {
        let mut mois: HashMap<CleMois, [i64; 4]> = HashMap::new();
        let mut rubriques: HashMap<CleRubrique, i64> = HashMap::new();
        let mut familles: HashMap<CleFamille, EtatFamille> = HashMap::new();
        for e in entretiens {
            let (exercice, m) = (e.exercice(), e.mois());
            let c = mois.entry((exercice, m, e.etape, e.mode)).or_default();
            c[0] += 1;
            c[1] += e.duree_minutes;
            c[2] += i64::from(!e.orientations.est_vide());
            c[3] += i64::from(e.exception);
            *rubriques
                .entry((exercice, Presence::RUBRIQUE, e.presence.code(), m))
                .or_default() += 1;
            for s in e.sujets.valeurs() {
                *rubriques
                    .entry((exercice, Sujet::RUBRIQUE, s.code(), m))
                    .or_default() += 1;
            }
            for o in e.orientations.valeurs() {
                *rubriques
                    .entry((exercice, Orientation::RUBRIQUE, o.code(), m))
                    .or_default() += 1;
            }
            let cle = (exercice, e.famille);
            familles
                .entry(cle)
                .or_insert_with(|| {
                    etats
                        .get(&cle)
                        .copied()
                        .unwrap_or_else(|| EtatFamille::vide(e))
                })
                .ajouter(e);
        }

        // Family states and the deltas their change makes.
        let mut familles_mois: HashMap<(i32, u8), [i64; 3]> = HashMap::new();
        let mut repartition: HashMap<(i32, i64), i64> = HashMap::new();
        let mut familles: Vec<_> = familles.into_iter().collect();
        familles.sort_unstable_by_key(|(cle, _)| *cle);
        for ((exercice, famille), nouveau) in &familles {
            if let Some(ancien) = etats.get(&(*exercice, *famille)) {
                contribuer(ancien, *exercice, -1, &mut familles_mois, &mut repartition);
            }
            contribuer(nouveau, *exercice, 1, &mut familles_mois, &mut repartition);
        }

        // Sorted: concurrent transactions touch shared rows in the same order.
        fn trie<K: Ord, V, S>(m: HashMap<K, V, S>, garder: impl Fn(&V) -> bool) -> Vec<(K, V)> {
            let mut v: Vec<(K, V)> = m.into_iter().filter(|(_, d)| garder(d)).collect();
            v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            v
        }
        Deltas {
            mois: trie(mois, |_| true),
            rubriques: trie(rubriques, |_| true),
            familles_mois: trie(familles_mois, |d| d.iter().any(|n| *n != 0)),
            repartition: trie(repartition, |d| *d != 0),
            familles,
        }
    }
}

/// Writes deltas: the new family states, and every additive aggregate by structure and by
/// département.
pub(crate) async fn ecrire(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    deltas: &Deltas,
) -> Result<(), ErreurActivite> {
    let etats: Vec<((i32, [u8; 16]), familles::EtatFamille)> = deltas
        .familles
        .iter()
        .map(|((exercice, famille), etat)| ((*exercice, famille.0), (*etat).into()))
        .collect();
    familles::ecrire(tx, gestionnaire.0, &etats).await?;
    let additifs = agregats::DeltasAdditifs {
        mois: deltas
            .mois
            .iter()
            .map(|((exercice, m, etape, mode), c)| ((*exercice, *m, etape.code(), mode.code()), *c))
            .collect(),
        rubriques: deltas.rubriques.clone(),
        familles_mois: deltas.familles_mois.clone(),
        repartition: deltas.repartition.clone(),
    };
    agregats::ajouter(tx, gestionnaire.0, departement.as_str(), &additifs).await?;
    Ok(())
}

/// Updates every aggregate for sessions just inserted (see [`Deltas::calculer`]).
pub(crate) async fn appliquer(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    etats: &HashMap<CleFamille, EtatFamille>,
    entretiens: &[&EntretienValide],
) -> Result<(), ErreurActivite> {
    ecrire(
        tx,
        gestionnaire,
        departement,
        &Deltas::calculer(etats, entretiens),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn e(date: Date, etape: Etape) -> EntretienValide {
        EntretienValide {
            famille: CodeFamille([7; 16]),
            date,
            duree_minutes: 60,
            etape,
            mode: Mode::Presentiel,
            presence: Presence::UnParent,
            sujets: Default::default(),
            orientations: Default::default(),
            intervenant: None,
            lieu: None,
            motif_exception: None,
            exception: false,
            cle: [0; 16],
        }
    }

    #[test]
    fn changement_d_etat_en_deltas() {
        // Stored: one accompaniment in March. New: a first contact in February.
        let mars = e(date!(2024 - 03 - 10), Etape::Accompagnement);
        let mut ancien = EtatFamille::vide(&mars);
        ancien.ajouter(&mars);
        assert!(!ancien.suivi());
        let mut nouveau = ancien;
        nouveau.ajouter(&e(date!(2024 - 02 - 01), Etape::PremierContact));
        assert_eq!(nouveau.entretiens, 2);
        assert_eq!(nouveau.premiere, date!(2024 - 02 - 01));
        assert!(nouveau.suivi());

        let mut mois = HashMap::new();
        let mut repartition = HashMap::new();
        contribuer(&ancien, 2024, -1, &mut mois, &mut repartition);
        contribuer(&nouveau, 2024, 1, &mut mois, &mut repartition);
        // The family moves from March to February; its first contact, followed up, is February's.
        assert_eq!(mois[&(2024, 3)], [-1, 0, 0]);
        assert_eq!(mois[&(2024, 2)], [1, 1, 1]);
        assert_eq!(repartition[&(2024, 1)], -1);
        assert_eq!(repartition[&(2024, 2)], 1);
    }

    #[test]
    fn premier_contact_sans_suite() {
        let pc = e(date!(2024 - 05 - 10), Etape::PremierContact);
        let mut etat = EtatFamille::vide(&pc);
        etat.ajouter(&pc);
        etat.ajouter(&e(date!(2024 - 04 - 01), Etape::Bilan));
        // A review before the first contact does not follow it up.
        assert!(!etat.suivi());
        etat.ajouter(&e(date!(2024 - 05 - 10), Etape::Accompagnement));
        assert!(etat.suivi());
    }
}
