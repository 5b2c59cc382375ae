//! On the dossier page: the financing plan (each funder's amount requested, beside its amount
//! decided, the plan's total against the forecast budget's), the comité's decision by amount for
//! a scheme that is not decided by FTE, and the instalments the Caf sets when it draws up such a
//! scheme's convention (see `domain::dispositifs`; Lettre circulaire Cnaf 2012-093 §43).

use std::collections::BTreeMap;

use domain::convention::LigneEcheancier;
use domain::convention::echeancier::lire_pourcentage;
use domain::decision::{AvisFinanceur, Decision, IssueDecision, ObjetDecision};
use domain::dossier::{DemandeFinancement, Dossier, ProjetFonctionnement};
use domain::identifiants::FinanceurId;
use domain::quantites::Centimes;
use domain::structures::Cofinanceur;
use store::depot::Lu;

use maud::{Markup, html};

use super::{Brut, Saisies, date, formulaire};
use crate::formulaire::{Champ, Clavier, Echec, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{Colonne, tableau};

/// How many instalments the convention form offers.
const LIGNES_ECHEANCIER: usize = 4;

/// A funder's name as the page shows it.
pub(super) fn nom_financeur(
    financeur: Cofinanceur,
    noms: &BTreeMap<FinanceurId, String>,
) -> String {
    match financeur {
        Cofinanceur::Caf => "Caf".to_owned(),
        Cofinanceur::Partenaire(id) => noms
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "un financeur partenaire".to_owned()),
    }
}

/// The financing plan: for each funder asked or deciding, the amount requested and the amount
/// decided on the project (its share of the comité's decision), with the totals and the forecast
/// budget's.
pub(super) fn section(
    d: &Dossier,
    decisions: &[Lu<Decision>],
    noms: &BTreeMap<FinanceurId, String>,
) -> Markup {
    let decision = decisions
        .iter()
        .rev()
        .map(|l| &l.valeur)
        .find(|x| x.objet == ObjetDecision::Projet && x.issue != IssueDecision::Ajourne);
    let mut financeurs: Vec<Cofinanceur> = d
        .projet
        .plan_financement
        .iter()
        .map(|l| l.financeur)
        .collect();
    for part in decision.iter().flat_map(|x| &x.parts) {
        if !financeurs.contains(&part.financeur) {
            financeurs.push(part.financeur);
        }
    }
    let mut total_decide = Centimes::ZERO;
    let mut lignes: Vec<Vec<Markup>> = financeurs
        .iter()
        .map(|f| {
            let decide = match decision.and_then(|x| x.part(*f)) {
                Some(part) if part.avis == AvisFinanceur::Accorde => {
                    total_decide = total_decide
                        .checked_add(part.montant)
                        .unwrap_or(total_decide);
                    format!("accordé : {}", fr::euros(part.montant.centimes()))
                }
                Some(_) => "refusé".to_owned(),
                None => "non décidé".to_owned(),
            };
            vec![
                html! { (nom_financeur(*f, noms)) },
                html! {
                    (d.projet
                        .montant_demande(*f)
                        .map_or("–".to_owned(), |m| fr::euros(m.centimes())))
                },
                html! { (decide) },
            ]
        })
        .collect();
    let total_demande = d.projet.total_plan_financement();
    lignes.push(vec![
        html! { strong { "Total" } },
        html! {
            @match total_demande {
                Some(t) => strong { (fr::euros(t.centimes())) },
                None => "–",
            }
        },
        html! { strong { (fr::euros(total_decide.centimes())) } },
    ]);
    let budget = d.projet.budget.total_charges().zip(total_demande);
    html! {
        h2 id="plan-financement" { "Plan de financement" }
        (tableau(
            "Montant demandé et montant décidé par financeur",
            &[
                Colonne { titre: "Financeur", nombre: false },
                Colonne { titre: "Montant demandé", nombre: true },
                Colonne { titre: "Montant décidé", nombre: true },
            ],
            &lignes,
        ))
        @if let Some((charges, demande)) = budget {
            p {
                "Budget prévisionnel : " (fr::euros(charges.centimes()))
                " de charges ; le plan de financement en demande " (fr::euros(demande.centimes()))
                " aux financeurs."
            }
        }
    }
}

/// The Caf's decision form for a scheme decided by amount: the outcome, the amount the Caf
/// grants (by default, the amount requested of it), the grounds; no FTE.
pub(super) fn formulaire_decision(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: Saisies,
    x: &Erreurs,
) -> Markup {
    let demande_caf = d.projet.montant_demande(Cofinanceur::Caf);
    let demande = demande_caf.map_or(String::new(), |m| m.texte_point().replace('.', ","));
    let champs = html! {
        p class="aide" {
            "Un projet " (d.dispositif.libelle())
            " se décide par montant : chaque financeur accorde sa propre part, aucun ETP n'est notifié. Montant demandé à la Caf : "
            (demande_caf.map_or("aucun".to_owned(), |m| fr::euros(m.centimes()))) "."
        }
        (Champ::new("issue", "Décision du comité")
            .id("decider-issue")
            .erreurs(x)
            .liste(&ISSUES, &s.valeur("decider", "issue", "")))
        (Champ::new("montant_caf", "Part de la Caf (€), accordée si le projet est validé")
            .id("decider-montant_caf")
            .erreurs(x)
            .clavier(Clavier::Decimal)
            .texte(&s.valeur("decider", "montant_caf", &demande)))
        (Champ::new("motivation", "Motivation")
            .id("decider-motivation")
            .erreurs(x)
            .zone(&s.valeur("decider", "motivation", "")))
    };
    formulaire(
        c,
        d,
        version,
        "decider",
        "Enregistrer la décision",
        champs,
        false,
    )
}

/// The outcomes of the comité, with an empty first choice: the agent picks one.
pub(super) const ISSUES: [(&str, &str); 4] = [
    ("", "Choisir la décision"),
    ("valide", "Validé"),
    ("refuse", "Refusé"),
    ("ajourne", "Ajourné"),
];

/// The instalment fields of the convention form: amounts or percentages, up to four lines.
///
/// By default, one instalment of 100 % from the start of the convention (`debut`).
pub(super) fn champs_echeancier(s: Saisies, x: &Erreurs, debut: &str) -> Markup {
    let mode = s.valeur("convention", "mode_echeancier", "pourcentages");
    html! {
        fieldset {
            legend { "Échéancier de la subvention de la Caf" }
            p class="aide" {
                "Les versements totalisent exactement la part accordée par la Caf. En pourcentages, chaque versement est arrondi au centime inférieur et le dernier reçoit le reste."
            }
            (Champ::new("mode_echeancier", "Les versements sont donnés en")
                .id("convention-mode_echeancier")
                .erreurs(x)
                .liste(&[("pourcentages", "pourcentages"), ("montants", "montants (€)")], &mode))
            @for n in 1..=LIGNES_ECHEANCIER {
                @let nom_date = format!("versement_date_{n}");
                @let id_date = format!("convention-{nom_date}");
                @let libelle_date = format!("Versement n°{n} : à partir du");
                @let nom_valeur = format!("versement_valeur_{n}");
                @let id_valeur = format!("convention-{nom_valeur}");
                @let libelle_valeur = format!("Versement n°{n} : montant (€) ou pourcentage");
                div class="grille" {
                    (Champ::new(&nom_date, &libelle_date)
                        .id(&id_date)
                        .erreurs(x)
                        .saisie("date", &s.valeur("convention", &nom_date, if n == 1 { debut } else { "" })))
                    (Champ::new(&nom_valeur, &libelle_valeur)
                        .id(&id_valeur)
                        .erreurs(x)
                        .clavier(Clavier::Decimal)
                        .texte(&s.valeur("convention", &nom_valeur, if n == 1 { "100" } else { "" })))
                }
            }
        }
    }
}

/// The instalments typed in the convention form; the lines left empty are ignored. A form sent
/// without any instalment field (no `mode_echeancier`) takes the form's default: one instalment of
/// 100 % from the convention's start (`debut`).
pub(super) fn echeancier_saisi(f: &Brut, debut: time::Date) -> Result<Vec<LigneEcheancier>, Echec> {
    let date_de = |n: usize| f.get(&format!("versement_date_{n}"));
    let valeur_de = |n: usize| f.get(&format!("versement_valeur_{n}"));
    if f.get("mode_echeancier").is_none()
        && (1..=LIGNES_ECHEANCIER).all(|n| date_de(n).is_none() && valeur_de(n).is_none())
    {
        return Ok(vec![LigneEcheancier::Part {
            date: debut,
            centiemes_de_pourcent: domain::convention::echeancier::CENT_POUR_CENT,
        }]);
    }
    let en_montants = f.get("mode_echeancier") == Some("montants");
    let mut x = Erreurs::default();
    let mut lignes = Vec::new();
    for n in 1..=LIGNES_ECHEANCIER {
        let texte_date = date_de(n).unwrap_or_default().trim();
        let texte_valeur = valeur_de(n).unwrap_or_default().trim();
        if texte_date.is_empty() && texte_valeur.is_empty() {
            continue;
        }
        let id_date = format!("convention-versement_date_{n}");
        let id_valeur = format!("convention-versement_valeur_{n}");
        let date = match date(&id_date, &format!("Versement n°{n}"), Some(texte_date)) {
            Ok(d) => Some(d),
            Err(Echec::Saisie(y)) => {
                x.etendre(y);
                None
            }
            Err(autre) => return Err(autre),
        };
        let ligne = if en_montants {
            match Centimes::parse_non_negatif(texte_valeur) {
                Ok(montant) => date.map(|date| LigneEcheancier::Montant { date, montant }),
                Err(m) => {
                    x.ajouter(&id_valeur, format!("Versement n°{n} : {m}"));
                    None
                }
            }
        } else {
            match lire_pourcentage(texte_valeur) {
                Some(centiemes_de_pourcent) => date.map(|date| LigneEcheancier::Part {
                    date,
                    centiemes_de_pourcent,
                }),
                None => {
                    x.ajouter(
                        &id_valeur,
                        format!(
                            "Versement n°{n} : « {texte_valeur} » n'est pas un pourcentage entre 0 et 100 (deux décimales au plus)"
                        ),
                    );
                    None
                }
            }
        };
        lignes.extend(ligne);
    }
    if x.est_vide() {
        Ok(lignes)
    } else {
        Err(x.into())
    }
}

/// The amount asked of the Caf in `projet`'s plan, as the project form shows it.
pub(super) fn demande_caf_texte(projet: &ProjetFonctionnement) -> String {
    projet
        .montant_demande(Cofinanceur::Caf)
        .map_or(String::new(), |m| m.texte_point().replace('.', ","))
}

/// The project form's field for the amount asked of the Caf.
pub(super) fn champ_demande_caf(valeur: &str, x: &Erreurs) -> Markup {
    Champ::new("demande_caf", "Montant demandé à la Caf (€)")
        .aide("Plan de financement ; les montants demandés aux autres financeurs sont conservés")
        .erreurs(x)
        .clavier(Clavier::Decimal)
        .texte(valeur)
}

/// The plan of `projet` with the Caf's line as typed (`None` when the field was not sent: the
/// plan unchanged; empty: no line for the Caf); its error added to `x`.
pub(super) fn plan_modifie(
    projet: &ProjetFonctionnement,
    demande_caf: Option<&str>,
    x: &mut Erreurs,
) -> Option<Vec<DemandeFinancement>> {
    let Some(texte) = demande_caf else {
        return Some(projet.plan_financement.clone());
    };
    let mut plan: Vec<DemandeFinancement> = projet
        .plan_financement
        .iter()
        .filter(|l| l.financeur != Cofinanceur::Caf)
        .copied()
        .collect();
    if texte.trim().is_empty() {
        return Some(plan);
    }
    match Centimes::parse_non_negatif(texte) {
        Ok(montant) => {
            plan.insert(
                0,
                DemandeFinancement {
                    financeur: Cofinanceur::Caf,
                    montant,
                },
            );
            Some(plan)
        }
        Err(m) => {
            x.ajouter("demande_caf", format!("Montant demandé à la Caf : {m}"));
            None
        }
    }
}
