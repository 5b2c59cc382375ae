//! Demonstration activity: for each convention of the demonstration database, a year of
//! sessions per exercise it covers (2024 and 2025 up to the day of generation), imported as
//! the structure would import its own file. Families are invented file numbers
//! (`DEMO-<structure>-<n>`), hashed like any identifier; volumes differ from one structure to
//! the next so that some meet the activity targets of Référentiel national de financement de l'AIP §V and some fall behind.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use domain::acces::Acteur;
use domain::identifiants::{GestionnaireId, UtilisateurId};
use time::{Date, Duration, Month, OffsetDateTime};

use crate::SuiviActivite;
use crate::erreur::ErreurActivite;

/// What was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResumeActiviteDemo {
    pub structures: usize,
    pub entretiens: u64,
}

/// A small deterministic generator (xorshift): demonstration data only.
struct Hasard(u64);

impl Hasard {
    fn suivant(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn moins_de(&mut self, n: u64) -> u64 {
        self.suivant() % n.max(1)
    }
}

const SUJETS: [&str; 9] = [
    "relation_parent_enfant",
    "comportement",
    "developpement",
    "education",
    "scolarite",
    "conflits_familiaux",
    "epuisement_parental",
    "sante_handicap",
    "autre",
];
const ORIENTATIONS: [&str; 9] = [
    "soutien_parentalite",
    "services_departement",
    "ccas",
    "mediation_familiale",
    "justice",
    "sante",
    "aide_a_domicile",
    "animation_vie_sociale",
    "travailleurs_sociaux_caf",
];

/// The demonstration file of one structure over one period: families of 1 to 5 sessions (one
/// in forty has a 6th, with its reason), a first contact in person, then accompaniment, then a
/// review.
fn fichier(g: GestionnaireId, debut: Date, fin: Date, cible: u64, h: &mut Hasard) -> String {
    let mut tailles = Vec::new();
    let mut total = 0;
    while total < cible {
        let n = if h.moins_de(40) == 0 {
            6
        } else {
            1 + h.moins_de(5)
        };
        tailles.push(n.min(cible - total));
        total += n.min(cible - total);
    }
    fichier_familles(g, debut, fin, &tailles, h)
}

/// Exactly `familles` families and `entretiens` sessions (2 to 5 each as far as possible), for
/// a year whose bilan already states those figures.
fn tailles_exactes(familles: u64, entretiens: u64, h: &mut Hasard) -> Vec<u64> {
    if familles == 0 {
        return Vec::new();
    }
    let base = entretiens / familles;
    let reste = entretiens % familles;
    let mut tailles: Vec<u64> = (0..familles).map(|i| base + u64::from(i < reste)).collect();
    // Spread the sizes, two families at a time, keeping the total.
    for i in (0..tailles.len().saturating_sub(1)).step_by(2) {
        let k = h.moins_de(3);
        if tailles[i] > k && tailles[i + 1] + k <= 5 && tailles[i] - k >= 1 {
            tailles[i] -= k;
            tailles[i + 1] += k;
        }
    }
    tailles
}

fn fichier_familles(
    g: GestionnaireId,
    debut: Date,
    fin: Date,
    tailles: &[u64],
    h: &mut Hasard,
) -> String {
    let mut s = String::from(
        "identifiant_famille;date;duree_minutes;etape;mode;presence;sujets;orientations;motif_exception\n",
    );
    // A family's sessions span at most about four months: it starts early enough to end in
    // the period.
    let jours = ((fin - debut).whole_days() - 120).max(1) as u64;
    for (famille, &seances) in tailles.iter().enumerate() {
        let famille = famille + 1;
        let mut jour = debut + Duration::days(h.moins_de(jours) as i64);
        for k in 0..seances {
            let jour_seance = jour.min(fin);
            let etape = if k == 0 {
                "premier_contact"
            } else if k + 1 == seances {
                "bilan"
            } else {
                "accompagnement"
            };
            let mode = match (k, h.moins_de(10)) {
                (0, _) | (_, 0..=6) => "presentiel",
                (_, 7 | 8) => "visio",
                _ => "telephone",
            };
            let presence =
                ["un_parent", "un_parent", "deux_parents", "avec_enfant"][h.moins_de(4) as usize];
            let mut sujets = BTreeSet::new();
            for _ in 0..1 + h.moins_de(2) {
                sujets.insert(SUJETS[h.moins_de(SUJETS.len() as u64) as usize]);
            }
            let orientation = if h.moins_de(6) == 0 {
                ORIENTATIONS[h.moins_de(ORIENTATIONS.len() as u64) as usize]
            } else {
                ""
            };
            let motif = if k >= 5 {
                "Situation de crise : séance supplémentaire décidée avec la famille"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "DEMO-{}-{famille:05};{};{};{etape};{mode};{presence};{};{orientation};{motif}",
                g.0,
                jour_seance,
                [45, 60, 60, 60, 75, 90][h.moins_de(6) as usize],
                sujets.into_iter().collect::<Vec<_>>().join(","),
            );
            jour += Duration::days(7 + h.moins_de(21) as i64);
        }
    }
    s
}

impl SuiviActivite {
    /// Imports demonstration sessions for every structure with a convention, over the
    /// exercises its convention covers up to `quand`. Deterministic for a given `graine`.
    pub async fn peupler_demo(
        &self,
        plateforme: &app::Plateforme,
        graine: u64,
        quand: OffsetDateTime,
    ) -> Result<ResumeActiviteDemo, ErreurActivite> {
        let cnaf = Acteur::cnaf(UtilisateurId(0));
        let conventions = plateforme
            .conventions(&cnaf)
            .await
            .map_err(|e| ErreurActivite::champ("demonstration", e.to_string()))?;
        let mut h = Hasard(graine.max(1));
        let mut resume = ResumeActiviteDemo::default();
        let mut vues = BTreeSet::new();
        for c in &conventions {
            let c = &c.valeur;
            // Only a signed convention runs the service.
            if c.date_signature.is_none() || !vues.insert(c.gestionnaire) {
                continue;
            }
            let acteur = Acteur::gestionnaire(UtilisateurId(0), [c.gestionnaire]);
            // Between 45 % and 115 % of the yearly target of 600 sessions per FTE.
            // A scheme decided by amount has no FTE notified: no AIP activity to simulate.
            let Some(notification) = c.notification_initiale else {
                continue;
            };
            let etp = f64::from(notification.etp.dix_milliemes()) / 10_000.0;
            let taux = 45 + h.moins_de(71);
            let par_an = (600.0 * etp * taux as f64 / 100.0).round() as u64;
            for annee in [2024, 2025, 2026] {
                let ouverture = Date::from_calendar_date(annee, Month::January, 1)
                    .map_err(|e| ErreurActivite::champ("date", e.to_string()))?;
                let cloture = Date::from_calendar_date(annee, Month::December, 31)
                    .map_err(|e| ErreurActivite::champ("date", e.to_string()))?;
                let debut = c.debut.max(ouverture);
                let fin = c.fin.min(cloture).min(quand.date() - Duration::days(1));
                if fin <= debut {
                    continue;
                }
                let bilan = plateforme
                    .bilans(&cnaf, c.id)
                    .await
                    .map_err(|e| ErreurActivite::champ("demonstration", e.to_string()))?
                    .into_iter()
                    .find(|b| b.valeur.exercice == annee);
                let csv = match bilan {
                    // The bilan already sent states its figures: the sessions match them.
                    Some(b) => fichier_familles(
                        c.gestionnaire,
                        debut,
                        fin,
                        &tailles_exactes(
                            u64::from(b.valeur.contenu.familles_accompagnees),
                            u64::from(b.valeur.contenu.entretiens),
                            &mut h,
                        ),
                        &mut h,
                    ),
                    None => {
                        let part = (fin - debut).whole_days() as u64 * par_an / 365;
                        if part == 0 {
                            continue;
                        }
                        fichier(c.gestionnaire, debut, fin, part, &mut h)
                    }
                };
                let r = self
                    .importer_csv(&acteur, c.gestionnaire, csv.as_bytes(), quand)
                    .await?;
                resume.entretiens += r.importees;
            }
            resume.structures += 1;
        }
        Ok(resume)
    }
}
