//! What a form of the dossier page sends: one typed action per form (its `action` field names it),
//! where the domain's refusals of each action go in its form, and every field as typed, to show
//! the form again when it is refused.

use super::*;

/// What a form of the dossier page sends, by its `action` field; every value as typed (the
/// typed values are read by [`executer_action`], which reports each error on its field).
#[derive(Debug, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ActionSaisie {
    Deposer,
    Instruire,
    Presenter {
        date_comite: Option<String>,
    },
    /// A request for information; the pieces asked for are the ticked `piece_<code>` boxes.
    Complement {
        motif: Option<String>,
    },
    SansSuite {
        motif: Option<String>,
    },
    Retirer {
        motif: Option<String>,
    },
    /// The Caf agent a dossier is assigned to: a user number, empty to withdraw the assignment.
    Attribuer {
        agent: Option<String>,
    },
    Decider {
        issue: Option<String>,
        etp_notifies: Option<String>,
        date_effet: Option<String>,
        montant_caf: Option<String>,
        motivation: Option<String>,
        derogation_engagements: Option<String>,
    },
    /// A partner funder's own decision on the comité's decision `decision`.
    Part {
        decision: Option<String>,
        avis: Option<String>,
        montant_part: Option<String>,
        motivation: Option<String>,
    },
    /// A partner funder's opinion before the comité.
    Avis {
        sens: Option<String>,
        montant_envisage: Option<String>,
        commentaire: Option<String>,
    },
    /// The convention; its instalments are the `versement_*` lines
    /// (`plan_financement::echeancier_saisi`).
    Convention {
        numero: Option<String>,
        debut: Option<String>,
        fin: Option<String>,
    },
}

impl ActionSaisie {
    /// The action's name in the form, the prefix of its fields' ids and the `fait` of the
    /// confirmation.
    pub(super) fn code(&self) -> &'static str {
        match self {
            ActionSaisie::Deposer => "deposer",
            ActionSaisie::Instruire => "instruire",
            ActionSaisie::Presenter { .. } => "presenter",
            ActionSaisie::Complement { .. } => "complement",
            ActionSaisie::SansSuite { .. } => "sans_suite",
            ActionSaisie::Retirer { .. } => "retirer",
            ActionSaisie::Attribuer { .. } => "attribuer",
            ActionSaisie::Decider { .. } => "decider",
            ActionSaisie::Part { .. } => "part",
            ActionSaisie::Avis { .. } => "avis",
            ActionSaisie::Convention { .. } => "convention",
        }
    }

    /// Where the domain's refusals of this action go: the field a rule names (or the words of
    /// the reason of a rule that names none yet), paired with the form's field; the first is
    /// the field of a refusal placed nowhere else.
    fn champs(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            ActionSaisie::Presenter { .. } => vec![("date", "presenter-date_comite")],
            ActionSaisie::Complement { .. } => vec![("motif", "complement-motif")],
            ActionSaisie::SansSuite { .. } => vec![("motif", "sans_suite-motif")],
            ActionSaisie::Retirer { .. } => vec![("motif", "retirer-motif")],
            ActionSaisie::Decider { .. } => vec![
                ("motif", "decider-motivation"),
                ("motivation", "decider-motivation"),
                ("derogation_engagements", "decider-derogation_engagements"),
                ("dérogation", "decider-derogation_engagements"),
                ("etp", "decider-etp_notifies"),
                ("effet", "decider-date_effet"),
                ("enveloppe", "decider-montant_caf"),
                ("engagerait", "decider-montant_caf"),
                ("montant", "decider-montant_caf"),
                ("part", "decider-montant_caf"),
            ],
            ActionSaisie::Part { .. } => vec![
                ("motif", "part-motivation"),
                ("montant", "part-montant_part"),
                ("motivation", "part-motivation"),
            ],
            ActionSaisie::Avis { .. } => vec![
                ("commentaire", "avis-commentaire"),
                ("montant_envisage", "avis-montant_envisage"),
                ("sens", "avis-sens"),
            ],
            ActionSaisie::Convention { .. } => vec![
                ("numéro", "convention-numero"),
                ("versement", "convention-versement_date_1"),
                ("échéancier", "convention-versement_date_1"),
                ("pourcentages", "convention-versement_valeur_1"),
                ("totalis", "convention-versement_valeur_1"),
                ("numero", "convention-numero"),
                ("finit", "convention-fin"),
                ("période", "convention-debut"),
                ("durée", "convention-debut"),
                ("temps du projet", "convention-debut"),
            ],
            // A submission refused for what the project lacks: the fields of the project form.
            ActionSaisie::Deposer => CHAMPS_PROJET.to_vec(),
            ActionSaisie::Instruire | ActionSaisie::Attribuer { .. } => Vec::new(),
        }
    }

    /// A use case's error as errors of this form (or the page it calls for).
    pub(super) fn echec(&self, e: app::ErreurApp) -> Echec {
        let table = self.champs();
        let defaut = match self {
            ActionSaisie::Deposer => "",
            _ => table.first().map_or("", |(_, c)| *c),
        };
        Echec::app(e, &table, defaut)
    }
}

/// Every field of a submitted form as typed, to show them again when it is refused.
#[derive(Debug, Default)]
pub(super) struct Brut(pub(super) BTreeMap<String, String>);

impl Brut {
    pub(super) fn get(&self, champ: &str) -> Option<&str> {
        self.0.get(champ).map(String::as_str)
    }
}
