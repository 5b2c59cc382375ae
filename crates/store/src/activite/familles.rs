//! The state of each family in a year at one structure (its sessions, first date, first
//! contact, last follow-up), read before sessions are added and written back with them.

use std::collections::HashSet;

use time::Date;

use crate::activite::lots::{self, Insertion, Marques};
use crate::connexion::{Genre, Ligne, Tx, Valeur};
use crate::erreur::ErreurStore;

/// A family's state in a year at one structure, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EtatFamille {
    pub entretiens: i64,
    pub premiere: Date,
    pub premier_contact: Option<Date>,
    pub dernier_suivi: Option<Date>,
}

const COLONNES_ETAT: &str = "famille, entretiens, premiere_date, premier_contact, dernier_suivi";

fn lire_etat(l: &Ligne) -> Result<([u8; 16], EtatFamille), ErreurStore> {
    let famille = hex::decode(l.texte("famille")?)
        .ok()
        .and_then(|o| <[u8; 16]>::try_from(o).ok())
        .ok_or_else(|| ErreurStore::Donnee("code de famille illisible".into()))?;
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

/// The stored state of these families (codes) of a structure in `exercice`; those not yet seen
/// are absent from the answer. Nothing to read when the structure has no family that year; all
/// of its families in one range scan when they are not many more than those asked; else by
/// lists of codes.
pub async fn etats(
    tx: &mut Tx,
    gestionnaire: i64,
    exercice: i32,
    familles: &[[u8; 16]],
) -> Result<Vec<([u8; 16], EtatFamille)>, ErreurStore> {
    let cle = [
        Valeur::Entier(gestionnaire),
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
    let mut etats = Vec::new();
    if stockees == 0 {
        return Ok(etats);
    }
    if stockees <= 4 * familles.len() as i64 {
        let voulues: HashSet<&[u8; 16]> = familles.iter().collect();
        let sql = format!(
            "SELECT {COLONNES_ETAT} FROM activite_familles WHERE gestionnaire_id = $1 \
             AND exercice = $2"
        );
        for l in tx.lignes(&sql, &cle).await? {
            let (famille, etat) = lire_etat(&l)?;
            if voulues.contains(&famille) {
                etats.push((famille, etat));
            }
        }
        return Ok(etats);
    }
    for lot in familles.chunks(lots::PAR_LISTE) {
        let mut marques = Marques::new(tx.moteur());
        let condition = format!(
            "gestionnaire_id = {} AND exercice = {}",
            marques.suivante(),
            marques.suivante()
        );
        let valeurs: Vec<Valeur> = lot.iter().map(|f| Valeur::Texte(hex::encode(f))).collect();
        let (liste, v) = lots::dans(&mut marques, "famille", Genre::Texte, &valeurs)?;
        let mut p = cle.to_vec();
        p.extend(v);
        let sql =
            format!("SELECT {COLONNES_ETAT} FROM activite_familles WHERE {condition} AND {liste}");
        for l in tx.lignes(&sql, &p).await? {
            etats.push(lire_etat(&l)?);
        }
    }
    Ok(etats)
}

fn date_opt(d: Option<Date>) -> Valeur {
    d.map_or(Valeur::Nul(Genre::Date), Valeur::Date)
}

/// Writes the new state of these families of a structure (year, code, state), replacing the
/// stored one.
pub async fn ecrire(
    tx: &mut Tx,
    gestionnaire: i64,
    familles: &[((i32, [u8; 16]), EtatFamille)],
) -> Result<(), ErreurStore> {
    let g = Valeur::Entier(gestionnaire);
    let mut p = Vec::with_capacity(familles.len() * 7);
    for ((exercice, famille), etat) in familles {
        p.extend([
            g.clone(),
            Valeur::Entier(i64::from(*exercice)),
            Valeur::Texte(hex::encode(famille)),
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
    Ok(())
}
