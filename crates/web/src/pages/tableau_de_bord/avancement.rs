//! The experiment's progress as the dashboard shows it to the Cnaf, a Caf or a funder: the
//! families reached over both exercises against the target, and the money committed and paid
//! against each Caf's allocation and the national envelope; bars and the table of the same
//! figures.

use super::FAMILLES_VISEES;
use super::modele::{nom_departement, pourcentage};
use crate::fr;
use crate::graphiques::Jauge;

/// The experiment's progress: the bars and the table giving the same figures.
#[derive(Debug)]
pub(super) struct Avancement {
    pub jauges: Vec<Jauge>,
    pub lignes: Vec<LigneAvancement>,
}

#[derive(Debug)]
pub(super) struct LigneAvancement {
    pub mesure: String,
    pub realise: String,
    pub objectif: String,
    pub part: String,
}

/// The progress of the experiment: the families of both exercises against the target, what
/// each Caf committed and paid against its allocation, and the totals against the national
/// envelope (amounts in cents).
pub(super) fn construire(
    familles: i64,
    caf: &[(String, i64, i64, i64)],
    engage: i64,
    paye: i64,
    national: i64,
) -> Avancement {
    let visees = FAMILLES_VISEES;
    let jauges = vec![
        Jauge {
            libelle: format!("Familles (objectif {})", fr::entier(visees)),
            valeur: familles as f64,
            total: visees as f64,
        },
        Jauge {
            libelle: "Engagé (enveloppe 3 M€)".to_owned(),
            valeur: engage as f64,
            total: national as f64,
        },
        Jauge {
            libelle: "Payé (enveloppe 3 M€)".to_owned(),
            valeur: paye as f64,
            total: national as f64,
        },
    ];
    let ligne = |mesure: String, realise: String, objectif: String, part: String| LigneAvancement {
        mesure,
        realise,
        objectif,
        part,
    };
    let mut lignes = vec![ligne(
        "Familles accompagnées en 2024 et 2025 (par structure et par année, additionnées)"
            .to_owned(),
        fr::entier(familles),
        fr::entier(visees),
        pourcentage(familles, visees),
    )];
    for (departement, allocation, engage_caf, paye_caf) in caf {
        let nom = nom_departement(departement);
        lignes.push(ligne(
            format!("Caf {nom} : engagé"),
            fr::euros(*engage_caf),
            fr::euros(*allocation),
            pourcentage(*engage_caf, *allocation),
        ));
        lignes.push(ligne(
            format!("Caf {nom} : payé"),
            fr::euros(*paye_caf),
            fr::euros(*allocation),
            pourcentage(*paye_caf, *allocation),
        ));
    }
    lignes.push(ligne(
        "Total engagé".to_owned(),
        fr::euros(engage),
        fr::euros(national),
        pourcentage(engage, national),
    ));
    lignes.push(ligne(
        "Total payé".to_owned(),
        fr::euros(paye),
        fr::euros(national),
        pourcentage(paye, national),
    ));
    Avancement { jauges, lignes }
}
