//! Keeps the aggregate tables current in the transaction that inserts sessions: additive counts
//! per month (by structure, and the same summed by département), and the per-family state of
//! each structure and year, whose change is turned into deltas of the monthly family counts and
//! of the sessions-per-family distribution. Deltas are computed in memory, then each aggregate
//! row is written once, in batches.

use std::collections::HashMap;

use domain::identifiants::{CodeDepartement, GestionnaireId};
use store::{Genre, Tx, Valeur};
use time::Date;

use crate::entretien::EntretienValide;
use crate::erreur::ErreurActivite;
use crate::nomenclature::{Etape, Modalite, Mode, Orientation, Presence, Sujet};
use crate::pseudonyme::CodeFamille;
use store::activite::lots::{self, Insertion, Marques};

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

fn lire_etat(l: &store::Ligne) -> Result<(CodeFamille, EtatFamille), ErreurActivite> {
    let famille = CodeFamille::depuis_hex(&l.texte("famille")?)
        .ok_or_else(|| store::ErreurStore::Donnee("code de famille illisible".into()))?;
    Ok((
        famille,
        EtatFamille {
            entretiens: l.entier("entretiens")?,
            premiere: l.date("premiere_date")?,
            premier_contact: l.date_opt("premier_contact")?,
            dernier_suivi: l.date_opt("dernier_suivi")?,
        },
    ))
}

const COLONNES_ETAT: &str = "famille, entretiens, premiere_date, premier_contact, dernier_suivi";

/// Reads the state of these families (those not yet seen are absent from the answer). For each
/// year: nothing to read when the structure has no family that year; all of its families in
/// one range scan when they are not many more than those asked; else by lists of codes.
pub(crate) async fn charger_familles(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    cles: &[CleFamille],
) -> Result<HashMap<CleFamille, EtatFamille>, ErreurActivite> {
    let mut par_exercice: HashMap<i32, Vec<CodeFamille>> = HashMap::new();
    for (exercice, famille) in cles {
        par_exercice.entry(*exercice).or_default().push(*famille);
    }
    let mut etats = HashMap::new();
    for (exercice, familles) in par_exercice {
        let cle = [
            Valeur::Entier(gestionnaire.0),
            Valeur::Entier(i64::from(exercice)),
        ];
        let stockees = tx
            .ligne(
                "SELECT COUNT(*) AS n FROM activite_familles WHERE gestionnaire_id = $1 \
                 AND exercice = $2",
                &cle,
            )
            .await?
            .map(|l| l.entier("n"))
            .transpose()?
            .unwrap_or(0);
        if stockees == 0 {
            continue;
        }
        if stockees <= 4 * familles.len() as i64 {
            let voulues: std::collections::HashSet<CodeFamille> = familles.into_iter().collect();
            let sql = format!(
                "SELECT {COLONNES_ETAT} FROM activite_familles WHERE gestionnaire_id = $1 \
                 AND exercice = $2"
            );
            for l in tx.lignes(&sql, &cle).await? {
                let (famille, etat) = lire_etat(&l)?;
                if voulues.contains(&famille) {
                    etats.insert((exercice, famille), etat);
                }
            }
            continue;
        }
        for lot in familles.chunks(lots::PAR_LISTE) {
            let mut marques = Marques::new(tx.moteur());
            let condition = format!(
                "gestionnaire_id = {} AND exercice = {}",
                marques.suivante(),
                marques.suivante()
            );
            let valeurs: Vec<Valeur> = lot.iter().map(|f| Valeur::Texte(f.hex())).collect();
            let (liste, v) = lots::dans(&mut marques, "famille", Genre::Texte, &valeurs)?;
            let mut p = cle.to_vec();
            p.extend(v);
            let sql = format!(
                "SELECT {COLONNES_ETAT} FROM activite_familles WHERE {condition} AND {liste}"
            );
            for l in tx.lignes(&sql, &p).await? {
                let (famille, etat) = lire_etat(&l)?;
                etats.insert((exercice, famille), etat);
            }
        }
    }
    Ok(etats)
}

fn date_opt(d: Option<Date>) -> Valeur {
    d.map_or(Valeur::Nul(Genre::Date), Valeur::Date)
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

/// An additive aggregate, kept by structure and by département: its key columns (without the
/// structure), then its count columns.
struct Additif<'a> {
    table: &'a str,
    cles: &'a [(&'a str, Genre)],
    valeurs: &'a [&'a str],
}

impl Additif<'_> {
    /// Adds `lignes` (each: the key, then the counts; the département included in the key) to
    /// the structure's rows and to the département's.
    async fn ajouter(
        &self,
        tx: &mut Tx,
        gestionnaire: GestionnaireId,
        lignes: &[Vec<Valeur>],
    ) -> Result<(), ErreurActivite> {
        if lignes.is_empty() {
            return Ok(());
        }
        let mise_a_jour = |table: &str| -> String {
            self.valeurs
                .iter()
                .map(|v| format!("{v} = {table}.{v} + excluded.{v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let noms_cles: Vec<&str> = self.cles.iter().map(|(n, _)| *n).collect();
        let valeurs: Vec<(&str, Genre)> =
            self.valeurs.iter().map(|v| (*v, Genre::Entier)).collect();

        // By structure: the key, the structure, the counts.
        let colonnes: Vec<(&str, Genre)> = self
            .cles
            .iter()
            .copied()
            .chain([("gestionnaire_id", Genre::Entier)])
            .chain(valeurs.iter().copied())
            .collect();
        let suite = format!(
            "ON CONFLICT ({}, gestionnaire_id) DO UPDATE SET {}",
            noms_cles.join(", "),
            mise_a_jour(self.table)
        );
        let mut p = Vec::with_capacity(lignes.len() * colonnes.len());
        for l in lignes {
            p.extend(l[..self.cles.len()].iter().cloned());
            p.push(Valeur::Entier(gestionnaire.0));
            p.extend(l[self.cles.len()..].iter().cloned());
        }
        Insertion {
            table: self.table,
            colonnes: &colonnes,
            suite: &suite,
        }
        .ecrire(tx, &p)
        .await?;

        // By département: the same rows without the structure.
        let table = format!("{}_departement", self.table);
        let colonnes: Vec<(&str, Genre)> = self
            .cles
            .iter()
            .copied()
            .chain(valeurs.iter().copied())
            .collect();
        let suite = format!(
            "ON CONFLICT ({}) DO UPDATE SET {}",
            noms_cles.join(", "),
            mise_a_jour(&table)
        );
        let p: Vec<Valeur> = lignes.iter().flatten().cloned().collect();
        Insertion {
            table: &table,
            colonnes: &colonnes,
            suite: &suite,
        }
        .ecrire(tx, &p)
        .await?;
        Ok(())
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
    let g = Valeur::Entier(gestionnaire.0);
    let dep = Valeur::Texte(departement.as_str().to_owned());

    let mut p = Vec::with_capacity(deltas.familles.len() * 7);
    for ((exercice, famille), etat) in &deltas.familles {
        p.extend([
            g.clone(),
            Valeur::Entier(i64::from(*exercice)),
            Valeur::Texte(famille.hex()),
            Valeur::Entier(etat.entretiens),
            Valeur::Date(etat.premiere),
            date_opt(etat.premier_contact),
            date_opt(etat.dernier_suivi),
        ]);
    }
    Insertion {
        table: "activite_familles",
        colonnes: &[
            ("gestionnaire_id", Genre::Entier),
            ("exercice", Genre::Entier),
            ("famille", Genre::Texte),
            ("entretiens", Genre::Entier),
            ("premiere_date", Genre::Date),
            ("premier_contact", Genre::Date),
            ("dernier_suivi", Genre::Date),
        ],
        suite: "ON CONFLICT (gestionnaire_id, exercice, famille) DO UPDATE SET \
                entretiens = excluded.entretiens, premiere_date = excluded.premiere_date, \
                premier_contact = excluded.premier_contact, dernier_suivi = excluded.dernier_suivi",
    }
    .ecrire(tx, &p)
    .await?;

    let annee = |e: i32| Valeur::Entier(i64::from(e));
    let texte = |t: &str| Valeur::Texte(t.to_owned());
    Additif {
        table: "activite_mois",
        cles: &[
            ("exercice", Genre::Entier),
            ("departement", Genre::Texte),
            ("mois", Genre::Entier),
            ("etape", Genre::Texte),
            ("mode", Genre::Texte),
        ],
        valeurs: &[
            "entretiens",
            "minutes",
            "entretiens_orientes",
            "entretiens_exception",
        ],
    }
    .ajouter(
        tx,
        gestionnaire,
        &deltas
            .mois
            .iter()
            .map(|((exercice, m, etape, mode), c)| {
                vec![
                    annee(*exercice),
                    dep.clone(),
                    Valeur::Entier(i64::from(*m)),
                    texte(etape.code()),
                    texte(mode.code()),
                    Valeur::Entier(c[0]),
                    Valeur::Entier(c[1]),
                    Valeur::Entier(c[2]),
                    Valeur::Entier(c[3]),
                ]
            })
            .collect::<Vec<_>>(),
    )
    .await?;

    Additif {
        table: "activite_rubriques_mois",
        cles: &[
            ("exercice", Genre::Entier),
            ("departement", Genre::Texte),
            ("rubrique", Genre::Texte),
            ("code", Genre::Texte),
            ("mois", Genre::Entier),
        ],
        valeurs: &["entretiens"],
    }
    .ajouter(
        tx,
        gestionnaire,
        &deltas
            .rubriques
            .iter()
            .map(|((exercice, rubrique, code, m), n)| {
                vec![
                    annee(*exercice),
                    dep.clone(),
                    texte(rubrique),
                    texte(code),
                    Valeur::Entier(i64::from(*m)),
                    Valeur::Entier(*n),
                ]
            })
            .collect::<Vec<_>>(),
    )
    .await?;

    Additif {
        table: "activite_familles_mois",
        cles: &[
            ("exercice", Genre::Entier),
            ("departement", Genre::Texte),
            ("mois", Genre::Entier),
        ],
        valeurs: &[
            "familles_nouvelles",
            "premiers_contacts",
            "premiers_contacts_suivis",
        ],
    }
    .ajouter(
        tx,
        gestionnaire,
        &deltas
            .familles_mois
            .iter()
            .map(|((exercice, m), d)| {
                vec![
                    annee(*exercice),
                    dep.clone(),
                    Valeur::Entier(i64::from(*m)),
                    Valeur::Entier(d[0]),
                    Valeur::Entier(d[1]),
                    Valeur::Entier(d[2]),
                ]
            })
            .collect::<Vec<_>>(),
    )
    .await?;

    Additif {
        table: "activite_familles_repartition",
        cles: &[
            ("exercice", Genre::Entier),
            ("departement", Genre::Texte),
            ("seances", Genre::Entier),
        ],
        valeurs: &["familles"],
    }
    .ajouter(
        tx,
        gestionnaire,
        &deltas
            .repartition
            .iter()
            .map(|((exercice, seances), d)| {
                vec![
                    annee(*exercice),
                    dep.clone(),
                    Valeur::Entier(*seances),
                    Valeur::Entier(*d),
                ]
            })
            .collect::<Vec<_>>(),
    )
    .await?;
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
