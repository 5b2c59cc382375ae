//! Reads the aggregates at a grain (structure or département or nation, month or year), within
//! what a portée allows: the store sums the aggregate tables (`store::activite::lecture`), the
//! rows are assembled here into [`Agregat`]s.

use std::collections::BTreeMap;

use domain::identifiants::GestionnaireId;
use store::activite::lecture::{self, CleLecture, NiveauLecture};
use store::{ErreurStore, Tx};

use super::{Agregat, Niveau};
use crate::acces::Portee;
use crate::erreur::ErreurActivite;
use crate::nomenclature::{Etape, Modalite, Mode, Orientation, Presence, Sujet};

/// How finely to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grain {
    pub niveau: Niveau,
    pub mois: bool,
    /// Also the counts by attendance, subject and orientation.
    pub rubriques: bool,
    /// Also the distribution of families by number of sessions (yearly only).
    pub repartition: bool,
    /// The filter names départements only (see [`crate::acces::Portee::par_departement`]).
    pub filtre_par_departement: bool,
}

impl Grain {
    fn pour_le_store(self) -> lecture::Grain {
        lecture::Grain {
            niveau: match self.niveau {
                Niveau::Structure => NiveauLecture::Structure,
                Niveau::Departement => NiveauLecture::Departement,
                Niveau::Nation => NiveauLecture::Nation,
            },
            mois: self.mois,
            rubriques: self.rubriques,
            repartition: self.repartition,
            filtre_par_departement: self.filtre_par_departement,
        }
    }
}

fn code<T: Modalite>(texte: &str, colonne: &str) -> Result<T, ErreurStore> {
    T::depuis_texte(texte)
        .ok_or_else(|| ErreurStore::Donnee(format!("{colonne} « {texte} » inconnu")))
}

/// The aggregate of a key, created empty.
fn entree(
    agregats: &mut BTreeMap<CleLecture, Agregat>,
    cle: CleLecture,
    niveau: Niveau,
    exercice: i32,
) -> &mut Agregat {
    agregats.entry(cle.clone()).or_insert_with(|| Agregat {
        niveau,
        departement: cle.0,
        gestionnaire: cle.1.map(GestionnaireId),
        exercice,
        mois: cle.2,
        ..Agregat::default()
    })
}

/// The aggregates of one exercise at `grain`, within `portee`, ordered by département,
/// structure and month. The nation over the year is always one row, zeros included.
pub(crate) async fn lire(
    tx: &mut Tx,
    portee: Portee<'_>,
    exercice: i32,
    grain: Grain,
) -> Result<Vec<Agregat>, ErreurActivite> {
    let lignes = lecture::lire(tx, &portee.perimetre(), exercice, grain.pour_le_store()).await?;
    let mut agregats: BTreeMap<CleLecture, Agregat> = BTreeMap::new();

    for l in lignes.mois {
        let a = entree(&mut agregats, l.cle, grain.niveau, exercice);
        let n = l.entretiens;
        a.entretiens += n;
        a.minutes += l.minutes;
        a.entretiens_orientes += l.entretiens_orientes;
        a.entretiens_exception += l.entretiens_exception;
        *a.par_etape
            .entry(code::<Etape>(&l.etape, "etape")?)
            .or_default() += n;
        *a.par_mode
            .entry(code::<Mode>(&l.mode, "mode")?)
            .or_default() += n;
    }

    for l in lignes.familles {
        let a = entree(&mut agregats, l.cle, grain.niveau, exercice);
        a.familles_distinctes_structure_annee += l.familles_nouvelles;
        a.premiers_contacts += l.premiers_contacts;
        a.premiers_contacts_suivis += l.premiers_contacts_suivis;
    }

    for l in lignes.rubriques {
        let a = entree(&mut agregats, l.cle, grain.niveau, exercice);
        let n = l.entretiens;
        match l.rubrique.as_str() {
            r if r == Presence::RUBRIQUE => {
                *a.par_presence.entry(code(&l.code, "code")?).or_default() += n
            }
            r if r == Sujet::RUBRIQUE => {
                *a.par_sujet.entry(code(&l.code, "code")?).or_default() += n
            }
            r if r == Orientation::RUBRIQUE => {
                *a.par_orientation.entry(code(&l.code, "code")?).or_default() += n
            }
            autre => {
                return Err(ErreurStore::Donnee(format!("rubrique « {autre} » inconnue")).into());
            }
        }
    }

    for l in lignes.repartition {
        if l.familles != 0 {
            let a = entree(&mut agregats, l.cle, grain.niveau, exercice);
            *a.familles_par_nombre_de_seances
                .entry(l.seances)
                .or_default() += l.familles;
        }
    }

    if grain.niveau == Niveau::Nation && !grain.mois {
        entree(&mut agregats, (None, None, None), grain.niveau, exercice);
    }
    Ok(agregats.into_values().collect())
}
