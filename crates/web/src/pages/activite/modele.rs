//! What the activity page shows, as plain values built from the records: the structure and the
//! filter, the outcome of a form, the session and import forms with their lists, the figures of
//! the bilan, the bilans of the conventions and the last sessions.

use activite::nomenclature::Modalite;
use activite::{ChiffresBilan, Entretien};
use domain::declaration::{ContenuBilan, EtatTransmission};

use super::Retour;
use super::bilan::ValeursBilan;
use crate::formulaire::Erreurs;
use crate::fr;

/// The page of a structure.
#[derive(Debug)]
pub(super) struct VueActivite {
    pub structure: i64,
    pub nom: String,
    pub exercice: i32,
    pub filtre: Option<FiltreActivite>,
    /// The errors of the submission and of the filter, for the summary and each field.
    pub erreurs: Erreurs,
    pub retour: Retour,
    /// The forms of the structure's staff, with the lists they choose from.
    pub saisie: Option<ListesSaisie>,
    pub chiffres: VueChiffres,
    pub bilans: VueBilans,
    pub entretiens: Option<VueEntretiens>,
}

/// The choice of structure and exercise, when the user may see several structures or typed a
/// wrong value.
#[derive(Debug)]
pub(super) struct FiltreActivite {
    /// `(id, "name (département)")`.
    pub structures: Vec<(String, String)>,
    pub exercice_saisi: String,
}

/// The intervenants and places a session may be tied to: `(id, label)`.
#[derive(Debug)]
pub(super) struct ListesSaisie {
    pub intervenants: Vec<(String, String)>,
    pub lieux: Vec<(String, String)>,
}

/// The figures of the annual report derived from the sessions.
#[derive(Debug)]
pub(super) struct VueChiffres {
    pub entretiens: String,
    pub familles: String,
    pub heures: String,
    pub repere: i64,
    pub au_dela: String,
    pub repartitions: Vec<Repartition>,
    pub indicateurs: Vec<LigneIndicateur>,
}

/// The sessions by value of one list (step, mode…).
#[derive(Debug)]
pub(super) struct Repartition {
    pub titre: &'static str,
    pub lignes: Vec<(&'static str, String)>,
}

#[derive(Debug)]
pub(super) struct LigneIndicateur {
    pub libelle: &'static str,
    pub valeur: String,
    pub cible: String,
    pub atteinte: Option<bool>,
}

/// The bilans of the conventions covering the exercise.
#[derive(Debug)]
pub(super) struct VueBilans {
    pub exercice: i32,
    pub structure: i64,
    pub conventions: Vec<BilanConvention>,
}

#[derive(Debug)]
pub(super) struct BilanConvention {
    pub id: i64,
    pub numero: String,
    pub etat: EtatBilan,
    pub transmis: Option<ChiffresTransmis>,
    /// The form, for the gestionnaire, while the bilan is not sent.
    pub formulaire: Option<FormulaireBilan>,
}

/// The figures of a bilan sent, as frozen at its sending.
#[derive(Debug)]
pub(super) struct ChiffresTransmis {
    pub familles: String,
    pub entretiens: String,
    pub heures_entretiens: String,
    pub heures_analyse_pratique: String,
}

impl ChiffresTransmis {
    pub fn depuis(b: &ContenuBilan) -> ChiffresTransmis {
        ChiffresTransmis {
            familles: fr::entier(b.familles_accompagnees),
            entretiens: fr::entier(b.entretiens),
            heures_entretiens: fr::entier(b.heures_entretiens),
            heures_analyse_pratique: fr::entier(b.heures_analyse_pratique),
        }
    }
}

#[derive(Debug)]
pub(super) enum EtatBilan {
    AFaire {
        retard: bool,
        echeance: String,
    },
    Saisi {
        etat: EtatTransmission,
        transmis_le: Option<String>,
        a_temps: Option<bool>,
        echeance: String,
    },
}

#[derive(Debug)]
pub(super) struct FormulaireBilan {
    pub valeurs: ValeursBilan,
    /// This is the form just sent: its fields have the plain ids the errors point to.
    pub envoye: bool,
}

/// The last sessions of the exercise, for the structure's staff.
#[derive(Debug)]
pub(super) struct VueEntretiens {
    pub total: String,
    pub lignes: Vec<LigneEntretien>,
}

#[derive(Debug)]
pub(super) struct LigneEntretien {
    pub date: String,
    pub famille: String,
    pub etape: &'static str,
    pub mode: &'static str,
    pub minutes: String,
    pub sujets: String,
    pub orientations: String,
}

fn repartition<T: Modalite>(
    titre: &'static str,
    m: &std::collections::BTreeMap<T, i64>,
) -> Repartition {
    Repartition {
        titre,
        lignes: T::TOUTES
            .iter()
            .map(|v| (v.libelle(), fr::entier(m.get(v).copied().unwrap_or(0))))
            .collect(),
    }
}

impl VueChiffres {
    pub fn depuis(b: &ChiffresBilan) -> VueChiffres {
        let a = &b.activite;
        VueChiffres {
            entretiens: fr::entier(a.entretiens),
            familles: fr::entier(b.familles_distinctes),
            heures: fr::nombre(a.heures()),
            repere: b.repere_seances.unwrap_or(5),
            au_dela: fr::entier(b.familles_au_dela_repere),
            repartitions: vec![
                repartition("Entretiens par étape", &a.par_etape),
                repartition("Entretiens par mode", &a.par_mode),
                repartition("Entretiens par présence", &a.par_presence),
                repartition("Sujets abordés", &a.par_sujet),
                repartition("Orientations vers un partenaire", &a.par_orientation),
            ],
            indicateurs: b
                .indicateurs
                .iter()
                .map(|v| LigneIndicateur {
                    libelle: v.libelle,
                    valeur: v.valeur.map_or("non calculable".into(), fr::nombre),
                    cible: v.cible.map_or("—".into(), fr::nombre),
                    atteinte: v.cible_atteinte,
                })
                .collect(),
        }
    }
}

fn libelles<T: Modalite>(valeurs: &[T]) -> String {
    valeurs
        .iter()
        .map(|v| v.libelle())
        .collect::<Vec<_>>()
        .join(", ")
}

impl VueEntretiens {
    pub fn depuis(entretiens: &[Entretien], total: i64) -> VueEntretiens {
        VueEntretiens {
            total: fr::entier(total),
            lignes: entretiens
                .iter()
                .map(|x| LigneEntretien {
                    date: fr::date(x.date),
                    famille: x.famille.hex().chars().take(8).collect(),
                    etape: x.etape.libelle(),
                    mode: x.mode.libelle(),
                    minutes: fr::entier(x.duree_minutes),
                    sujets: libelles(&x.sujets),
                    orientations: libelles(&x.orientations),
                })
                .collect(),
        }
    }
}
