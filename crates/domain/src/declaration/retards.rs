//! What a signed convention still owes the Caf past its deadline: a declaration or a bilan of an
//! exercise it covers that was not sent by the day the calendar expects it (Référentiel national
//! de financement de l'AIP, §VI.1 étape 2 and §V; the deadlines are dated parameters, local
//! choices where the text gives no date). Late is shown, never refused.

use referentiel::aip::CalendrierAip;
use time::Date;

use super::{Bilan, Declaration, EtatTransmission, NatureDeclaration};
use crate::acces::{Acteur, exiger_agent_caf};
use crate::convention::Convention;
use crate::refus::Refus;
use crate::texte::date_fr;

/// What is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Declaration(NatureDeclaration),
    Bilan,
}

impl Piece {
    pub const TOUTES: [Piece; 4] = [
        Piece::Declaration(NatureDeclaration::Previsionnelle),
        Piece::Declaration(NatureDeclaration::Actualisee),
        Piece::Declaration(NatureDeclaration::Reelle),
        Piece::Bilan,
    ];

    /// `previsionnelle`, `actualisee`, `reelle`, `bilan`.
    pub fn code(self) -> &'static str {
        match self {
            Piece::Declaration(n) => n.code(),
            Piece::Bilan => "bilan",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Piece> {
        Piece::TOUTES.into_iter().find(|p| p.code() == code)
    }

    /// « déclaration réelle », « bilan annuel ».
    pub fn libelle(self) -> &'static str {
        match self {
            Piece::Declaration(n) => n.libelle(),
            Piece::Bilan => "bilan annuel",
        }
    }
}

/// A piece expected and not sent in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retard {
    pub exercice: i32,
    pub piece: Piece,
    /// The last day it was expected on.
    pub echeance: Date,
    /// Whether the gestionnaire started it (`saisie`) or not at all (`None`).
    pub entamee: bool,
}

/// The pieces of `convention` late on `aujourd_hui`, oldest first. `calendrier` gives the
/// calendar of an exercise (`None` where no parameter covers it: nothing is expected then).
/// Only a convention that was signed owes anything; an exercise counts if the convention covers
/// at least one of its months.
impl Retard {
    /// A Caf agent of the convention's département reminds its gestionnaire of this late piece:
    /// the text of the reminder, posted in the dossier's thread (which the gestionnaire sees
    /// flagged on its home page).
    pub fn relance(&self, acteur: &Acteur, convention: &Convention) -> Result<String, Refus> {
        exiger_agent_caf(acteur, "Relancer le gestionnaire", convention.departement)?;
        let (article, pronom, attendu) = match self.piece {
            Piece::Declaration(_) => ("la", "la", "était attendue"),
            Piece::Bilan => ("le", "le", "était attendu"),
        };
        Ok(format!(
            "Relance de la Caf : {} {} {} de la convention {} {} au plus tard le {}. Merci de {} {} \
             et de {} transmettre dès que possible.",
            article,
            self.piece.libelle(),
            self.exercice,
            convention.numero,
            attendu,
            date_fr(self.echeance),
            pronom,
            if self.entamee { "terminer" } else { "saisir" },
            pronom
        ))
    }
}

pub fn retards<'p>(
    convention: &Convention,
    declarations: &[Declaration],
    bilans: &[Bilan],
    calendrier: impl Fn(i32) -> Option<CalendrierAip<'p>>,
    aujourd_hui: Date,
) -> Vec<Retard> {
    let mut retards = Vec::new();
    // Only a signed convention of a scheme with declarations owes them (`crate::dispositifs`).
    if !convention.a_ete_signee() || !convention.dispositif.regles().declarations_aip {
        return retards;
    }
    for exercice in convention.debut.year()..=convention.fin_effective().year() {
        if convention.mois_couverts(exercice) == 0 {
            continue;
        }
        let Some(c) = calendrier(exercice) else {
            continue;
        };
        for nature in NatureDeclaration::TOUTES {
            let (echeance, _) = c.echeance(nature.referentiel());
            let trouvee = declarations.iter().find(|d| {
                d.convention == convention.id && d.exercice == exercice && d.nature == nature
            });
            let envoyee = trouvee.is_some_and(|d| d.etat() != EtatTransmission::Saisie);
            if aujourd_hui > echeance && !envoyee {
                retards.push(Retard {
                    exercice,
                    piece: Piece::Declaration(nature),
                    echeance,
                    entamee: trouvee.is_some(),
                });
            }
        }
        let (echeance, _) = c.echeance_bilan();
        let trouve = bilans
            .iter()
            .find(|b| b.convention == convention.id && b.exercice == exercice);
        let envoye = trouve.is_some_and(|b| b.etat() != EtatTransmission::Saisie);
        if aujourd_hui > echeance && !envoye {
            retards.push(Retard {
                exercice,
                piece: Piece::Bilan,
                echeance,
                entamee: trouve.is_some(),
            });
        }
    }
    retards.sort_by_key(|r| r.echeance);
    retards
}
