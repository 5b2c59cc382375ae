//! The explanation of a computed right: each step, its formula in words, the values it used and
//! its source, plus each parameter with its value, validity and source. Built as plain data;
//! rendering it as JSON or French text is the job of [`super::rendu`].

use super::calcul::{Declaration, ResultatAip, Suite};
use super::parametres::ParametresAip;
use crate::exact::{Decimal, Ratio};
use crate::parametres::ValeurUtilisee;

/// A value shown in a trace.
#[derive(Debug, Clone, Copy)]
pub enum Valeur {
    /// An exact quantity (FTE, euros before rounding, a ratio).
    Exacte(Ratio),
    /// A decimal as given.
    Decimal(Decimal),
    /// An amount in euros as given (input or parameter).
    Euros(Decimal),
    /// A rate as a ratio (0.8 is shown as 80 %).
    Taux(Decimal),
    /// A rounded amount, in cents.
    Centimes(i128),
    /// A whole number (months).
    Entier(i64),
    Booleen(bool),
}

/// A named value used or produced by a step.
#[derive(Debug, Clone, Copy)]
pub struct Operande {
    pub nom: &'static str,
    pub valeur: Valeur,
}

/// One step of the computation.
#[derive(Debug, Clone)]
pub struct Etape {
    pub code: &'static str,
    pub titre: &'static str,
    /// The formula, in words.
    pub formule: &'static str,
    /// The paragraph of the source text the step applies.
    pub source: &'static str,
    pub operandes: Vec<Operande>,
    pub resultat: Operande,
    /// An interpretation or a remark, when the step needs one.
    pub note: Option<&'static str>,
}

/// The whole explanation of one right.
#[derive(Debug, Clone)]
pub struct Trace<'p> {
    pub exercice: i32,
    pub declaration: Declaration,
    pub etapes: Vec<Etape>,
    pub parametres: [ValeurUtilisee<'p>; 3],
}

/// The text the steps apply; each step names its paragraph.
pub const TEXTE_SOURCE: &str =
    "Référentiel national de financement de l'expérimentation AIP (Cnaf)";

fn op(nom: &'static str, valeur: Valeur) -> Operande {
    Operande { nom, valeur }
}

impl ResultatAip {
    /// The step-by-step explanation of this result.
    pub fn trace<'p>(&self, parametres: &ParametresAip<'p>) -> Trace<'p> {
        let e = &self.entree;
        let mut etapes = Vec::with_capacity(6);
        etapes.push(Etape {
            code: "etp_pris_en_compte",
            titre: "Étape 1: ETP déclarés, dans la limite des ETP notifiés",
            formule: "minimum entre les ETP déclarés et les ETP notifiés",
            source: "§VI.1, étape 1",
            operandes: vec![
                op("etp_declares", Valeur::Decimal(e.etp_declares)),
                op("etp_notifies", Valeur::Exacte(e.etp_notifies)),
            ],
            resultat: op(
                "etp_pris_en_compte",
                Valeur::Exacte(self.etp_pris_en_compte),
            ),
            note: None,
        });
        etapes.push(Etape {
            code: "etp_retenus",
            titre: "Étape 1: ETP retenus, proratisés à la durée de fonctionnement",
            formule: "ETP pris en compte × mois de fonctionnement / 12",
            source: "§VI.1, étape 1",
            operandes: vec![
                op(
                    "etp_pris_en_compte",
                    Valeur::Exacte(self.etp_pris_en_compte),
                ),
                op(
                    "mois_fonctionnement",
                    Valeur::Entier(i64::from(e.mois_fonctionnement)),
                ),
            ],
            resultat: op("etp_retenus", Valeur::Exacte(self.etp_retenus)),
            note: None,
        });
        let (cout_valeur, note_cout) = match self.cout_annualise {
            Some(c) => (
                Valeur::Exacte(c),
                Some(
                    "Interprétation: les dépenses sont divisées par les ETP déclarés (le coût de l'ETP réellement employé), puis ramenées à l'année.",
                ),
            ),
            None => (
                Valeur::Exacte(Ratio::ZERO),
                Some(
                    if e.etp_declares.is_zero() && !e.depenses_fonctionnement.is_zero() {
                        "Aucun ETP déclaré (par exemple un recrutement qui n'a pas abouti): les dépenses ne sont portées par aucun ETP, le droit est nul et les versements déjà effectués deviennent un indu à la déclaration réelle."
                    } else {
                        "Sans mois de fonctionnement, ou sans ETP déclaré, il n'y a pas de coût à retenir: le droit est nul."
                    },
                ),
            ),
        };
        etapes.push(Etape {
            code: "cout_annualise",
            titre: "Étape 2: dépenses par ETP, proratisées à la durée de fonctionnement",
            formule: "dépenses de fonctionnement / ETP déclarés × 12 / mois de fonctionnement",
            source: "§VI.1, étape 2",
            operandes: vec![
                op(
                    "depenses_fonctionnement",
                    Valeur::Euros(e.depenses_fonctionnement),
                ),
                op("etp_declares", Valeur::Decimal(e.etp_declares)),
                op(
                    "mois_fonctionnement",
                    Valeur::Entier(i64::from(e.mois_fonctionnement)),
                ),
            ],
            resultat: op("cout_annualise", cout_valeur),
            note: note_cout,
        });
        etapes.push(Etape {
            code: "prix_de_revient",
            titre: "Étape 2: prix de revient retenu, limité au prix plafond",
            formule: "minimum entre le prix plafond national annuel et le coût annualisé par ETP",
            source: "§VI.1, étape 2",
            operandes: vec![
                op(
                    "prix_plafond",
                    Valeur::Euros(parametres.prix_plafond.valeur.valeur),
                ),
                op("cout_annualise", cout_valeur),
            ],
            resultat: op("prix_de_revient", Valeur::Exacte(self.prix_de_revient)),
            note: Some(if self.plafond_applique {
                "Le prix plafond s'applique."
            } else {
                "Le prix plafond ne s'applique pas."
            }),
        });
        etapes.push(Etape {
            code: "montant",
            titre: "Étape 3: montant de la subvention",
            formule: "taux de la subvention × prix de revient retenu × ETP retenus, arrondi au centime",
            source: "§VI.1, étape 3",
            operandes: vec![
                op("taux_subvention", Valeur::Taux(parametres.taux_subvention.valeur.valeur)),
                op("prix_de_revient", Valeur::Exacte(self.prix_de_revient)),
                op("etp_retenus", Valeur::Exacte(self.etp_retenus)),
                op("montant_exact", Valeur::Exacte(self.montant_exact)),
            ],
            resultat: op("montant", Valeur::Centimes(self.montant)),
            note: Some(
                "Tous les calculs intermédiaires sont exacts; le montant est arrondi une seule fois au centime, le demi-centime s'arrondissant en s'éloignant de zéro. Ce qui en découle se calcule sur ce montant arrondi.",
            ),
        });
        etapes.push(match self.suite {
            Suite::Acompte(c) => Etape {
                code: "acompte",
                titre: "Versement: acompte à la réception de la convention signée",
                formule: "taux de l'acompte × montant prévisionnel arrondi au centime, arrondi au centime",
                source: "§VI.2, étape 4",
                operandes: vec![
                    op(
                        "taux_acompte",
                        Valeur::Taux(parametres.taux_acompte.valeur.valeur),
                    ),
                    op("montant", Valeur::Centimes(self.montant)),
                ],
                resultat: op("acompte", Valeur::Centimes(c)),
                note: None,
            },
            Suite::ChargeAPayer(c) => Etape {
                code: "charge_a_payer",
                titre: "Charge à payer: droit estimé moins les versements effectués",
                formule: "montant actualisé arrondi au centime − versements effectués",
                source: "§VI.1, étape 2",
                operandes: vec![
                    op("montant", Valeur::Centimes(self.montant)),
                    op(
                        "versements_effectues",
                        Valeur::Euros(e.versements_effectues),
                    ),
                ],
                resultat: op("charge_a_payer", Valeur::Centimes(c)),
                note: None,
            },
            Suite::Solde(c) => Etape {
                code: "solde",
                titre: "Solde: droit définitif moins les versements effectués",
                formule: "montant réel arrondi au centime − versements effectués",
                source: "§VI.1, étape 2; §VI.2, étape 4",
                operandes: vec![
                    op("montant", Valeur::Centimes(self.montant)),
                    op(
                        "versements_effectues",
                        Valeur::Euros(e.versements_effectues),
                    ),
                ],
                resultat: op("solde", Valeur::Centimes(c)),
                note: Some(if c < 0 {
                    "Solde négatif: un indu à récupérer auprès du gestionnaire."
                } else {
                    "Solde positif ou nul: reste à verser au gestionnaire."
                }),
            },
        });
        Trace {
            exercice: e.exercice,
            declaration: e.declaration,
            etapes,
            parametres: parametres.utilises(),
        }
    }
}
