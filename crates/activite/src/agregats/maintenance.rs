//! Keeps the aggregate tables current in the transaction that inserts sessions: additive counts
//! per month, and the per-family state of each structure and year, whose change is turned into
//! deltas of the monthly family counts and of the sessions-per-family distribution.

use std::collections::HashMap;

use domain::identifiants::{CodeDepartement, GestionnaireId};
use store::{Genre, Tx, Valeur};
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

    /// **Interpretation** (seed 004 §II.3: the first contact may lead to the support, or to an
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

/// Reads the state of these families (those not yet seen are absent from the answer).
pub(crate) async fn charger_familles(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    cles: &[CleFamille],
) -> Result<HashMap<CleFamille, EtatFamille>, ErreurActivite> {
    let mut par_exercice: HashMap<i32, Vec<CodeFamille>> = HashMap::new();
    for (exercice, famille) in cles {
        par_exercice.entry(*exercice).or_default().push(*famille);
    }
    let mut etats = HashMap::with_capacity(cles.len());
    for (exercice, familles) in par_exercice {
        for lot in familles.chunks(5000) {
            let marques: Vec<String> = (3..3 + lot.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT famille, entretiens, premiere_date, premier_contact, dernier_suivi \
                 FROM activite_familles WHERE gestionnaire_id = $1 AND exercice = $2 \
                 AND famille IN ({})",
                marques.join(", ")
            );
            let mut p = vec![
                Valeur::Entier(gestionnaire.0),
                Valeur::Entier(i64::from(exercice)),
            ];
            p.extend(lot.iter().map(|f| Valeur::Texte(f.hex())));
            for l in tx.lignes(&sql, &p).await? {
                let famille = CodeFamille::depuis_hex(&l.texte("famille")?).ok_or_else(|| {
                    store::ErreurStore::Donnee("code de famille illisible".into())
                })?;
                etats.insert(
                    (exercice, famille),
                    EtatFamille {
                        entretiens: l.entier("entretiens")?,
                        premiere: l.date("premiere_date")?,
                        premier_contact: l.date_opt("premier_contact")?,
                        dernier_suivi: l.date_opt("dernier_suivi")?,
                    },
                );
            }
        }
    }
    Ok(etats)
}

/// Rows of one upsert: the key columns, then the value columns.
struct Upsert<'a> {
    table: &'a str,
    cles: &'a [&'a str],
    valeurs: &'a [&'a str],
    /// `true`: values are added to the stored ones; `false`: they replace them.
    additif: bool,
}

impl Upsert<'_> {
    async fn ecrire(&self, tx: &mut Tx, lignes: Vec<Vec<Valeur>>) -> Result<(), ErreurActivite> {
        let largeur = self.cles.len() + self.valeurs.len();
        let par_requete = (30_000 / largeur).max(1);
        let colonnes = [self.cles, self.valeurs].concat().join(", ");
        let mise_a_jour: Vec<String> = self
            .valeurs
            .iter()
            .map(|v| {
                if self.additif {
                    format!("{v} = {}.{v} + excluded.{v}", self.table)
                } else {
                    format!("{v} = excluded.{v}")
                }
            })
            .collect();
        for lot in lignes.chunks(par_requete) {
            let mut sql = format!("INSERT INTO {} ({colonnes}) VALUES ", self.table);
            let mut p = Vec::with_capacity(lot.len() * largeur);
            for (i, ligne) in lot.iter().enumerate() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for j in 0..largeur {
                    if j > 0 {
                        sql.push_str(", ");
                    }
                    sql.push('$');
                    sql.push_str(&(i * largeur + j + 1).to_string());
                }
                sql.push(')');
                p.extend(ligne.iter().cloned());
            }
            sql.push_str(&format!(
                " ON CONFLICT ({}) DO UPDATE SET {}",
                self.cles.join(", "),
                mise_a_jour.join(", ")
            ));
            tx.executer(&sql, &p).await?;
        }
        Ok(())
    }
}

fn date_opt(d: Option<Date>) -> Valeur {
    d.map_or(Valeur::Nul(Genre::Date), Valeur::Date)
}

/// Updates every aggregate for sessions just inserted. `etats` holds the stored state of every
/// family-year the sessions belong to (absent: a family new to the structure that year).
pub(crate) async fn appliquer(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    etats: &HashMap<CleFamille, EtatFamille>,
    entretiens: &[&EntretienValide],
) -> Result<(), ErreurActivite> {
    let g = Valeur::Entier(gestionnaire.0);
    let dep = Valeur::Texte(departement.as_str().to_owned());

    // Additive monthly counts.
    let mut mois: HashMap<(i32, u8, Etape, Mode), [i64; 4]> = HashMap::new();
    let mut rubriques: HashMap<(i32, u8, &'static str, &'static str), i64> = HashMap::new();
    let mut familles: HashMap<CleFamille, EtatFamille> = HashMap::new();
    for e in entretiens {
        let (exercice, m) = (e.exercice(), e.mois());
        let c = mois.entry((exercice, m, e.etape, e.mode)).or_default();
        c[0] += 1;
        c[1] += e.duree_minutes;
        c[2] += i64::from(!e.orientations.est_vide());
        c[3] += i64::from(e.exception);
        *rubriques
            .entry((exercice, m, Presence::RUBRIQUE, e.presence.code()))
            .or_default() += 1;
        for s in e.sujets.valeurs() {
            *rubriques
                .entry((exercice, m, Sujet::RUBRIQUE, s.code()))
                .or_default() += 1;
        }
        for o in e.orientations.valeurs() {
            *rubriques
                .entry((exercice, m, Orientation::RUBRIQUE, o.code()))
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
    let mut lignes_familles = Vec::with_capacity(familles.len());
    // Sorted writes: concurrent transactions touch shared rows in the same order.
    let mut familles: Vec<_> = familles.into_iter().collect();
    familles.sort_unstable_by_key(|(cle, _)| *cle);
    for ((exercice, famille), nouveau) in &familles {
        if let Some(ancien) = etats.get(&(*exercice, *famille)) {
            contribuer(ancien, *exercice, -1, &mut familles_mois, &mut repartition);
        }
        contribuer(nouveau, *exercice, 1, &mut familles_mois, &mut repartition);
        lignes_familles.push(vec![
            g.clone(),
            Valeur::Entier(i64::from(*exercice)),
            Valeur::Texte(famille.hex()),
            Valeur::Entier(nouveau.entretiens),
            Valeur::Date(nouveau.premiere),
            date_opt(nouveau.premier_contact),
            date_opt(nouveau.dernier_suivi),
        ]);
    }

    Upsert {
        table: "activite_familles",
        cles: &["gestionnaire_id", "exercice", "famille"],
        valeurs: &[
            "entretiens",
            "premiere_date",
            "premier_contact",
            "dernier_suivi",
        ],
        additif: false,
    }
    .ecrire(tx, lignes_familles)
    .await?;

    let mut lignes: Vec<_> = mois.into_iter().collect();
    lignes.sort();
    Upsert {
        table: "activite_mois",
        cles: &[
            "exercice",
            "departement",
            "mois",
            "etape",
            "mode",
            "gestionnaire_id",
        ],
        valeurs: &[
            "entretiens",
            "minutes",
            "entretiens_orientes",
            "entretiens_exception",
        ],
        additif: true,
    }
    .ecrire(
        tx,
        lignes
            .into_iter()
            .map(|((exercice, m, etape, mode), c)| {
                vec![
                    Valeur::Entier(i64::from(exercice)),
                    dep.clone(),
                    Valeur::Entier(i64::from(m)),
                    Valeur::Texte(etape.code().to_owned()),
                    Valeur::Texte(mode.code().to_owned()),
                    g.clone(),
                    Valeur::Entier(c[0]),
                    Valeur::Entier(c[1]),
                    Valeur::Entier(c[2]),
                    Valeur::Entier(c[3]),
                ]
            })
            .collect(),
    )
    .await?;

    let mut lignes: Vec<_> = rubriques.into_iter().collect();
    lignes.sort();
    Upsert {
        table: "activite_rubriques_mois",
        cles: &[
            "exercice",
            "departement",
            "rubrique",
            "code",
            "mois",
            "gestionnaire_id",
        ],
        valeurs: &["entretiens"],
        additif: true,
    }
    .ecrire(
        tx,
        lignes
            .into_iter()
            .map(|((exercice, m, rubrique, code), n)| {
                vec![
                    Valeur::Entier(i64::from(exercice)),
                    dep.clone(),
                    Valeur::Texte(rubrique.to_owned()),
                    Valeur::Texte(code.to_owned()),
                    Valeur::Entier(i64::from(m)),
                    g.clone(),
                    Valeur::Entier(n),
                ]
            })
            .collect(),
    )
    .await?;

    let mut lignes: Vec<_> = familles_mois
        .into_iter()
        .filter(|(_, d)| d.iter().any(|n| *n != 0))
        .collect();
    lignes.sort();
    Upsert {
        table: "activite_familles_mois",
        cles: &["exercice", "departement", "mois", "gestionnaire_id"],
        valeurs: &[
            "familles_nouvelles",
            "premiers_contacts",
            "premiers_contacts_suivis",
        ],
        additif: true,
    }
    .ecrire(
        tx,
        lignes
            .into_iter()
            .map(|((exercice, m), d)| {
                vec![
                    Valeur::Entier(i64::from(exercice)),
                    dep.clone(),
                    Valeur::Entier(i64::from(m)),
                    g.clone(),
                    Valeur::Entier(d[0]),
                    Valeur::Entier(d[1]),
                    Valeur::Entier(d[2]),
                ]
            })
            .collect(),
    )
    .await?;

    let mut lignes: Vec<_> = repartition.into_iter().filter(|(_, d)| *d != 0).collect();
    lignes.sort();
    Upsert {
        table: "activite_familles_repartition",
        cles: &["exercice", "departement", "seances", "gestionnaire_id"],
        valeurs: &["familles"],
        additif: true,
    }
    .ecrire(
        tx,
        lignes
            .into_iter()
            .map(|((exercice, seances), d)| {
                vec![
                    Valeur::Entier(i64::from(exercice)),
                    dep.clone(),
                    Valeur::Entier(seances),
                    g.clone(),
                    Valeur::Entier(d),
                ]
            })
            .collect(),
    )
    .await?;
    Ok(())
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
