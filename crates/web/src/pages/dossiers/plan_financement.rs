//! On the dossier page: the financing plan (each funder's amount requested, beside its amount
//! decided, the plan's total against the forecast budget's), the comité's decision by amount for
//! a scheme that is not decided by FTE, and the instalments the Caf sets when it draws up such a
//! scheme's convention (see `domain::dispositifs`; Lettre circulaire Cnaf 2012-093 §43).

use std::collections::BTreeMap;

use app::Plateforme;
use domain::convention::LigneEcheancier;
use domain::convention::echeancier::lire_pourcentage;
use domain::decision::{AvisFinanceur, Decision, IssueDecision, ObjetDecision, SaisiePart};
use domain::dossier::{DemandeFinancement, Dossier, ProjetFonctionnement};
use domain::identifiants::FinanceurId;
use domain::quantites::Centimes;
use domain::structures::Cofinanceur;
use store::depot::Lu;

use super::{Action, Saisies, date, formulaire};
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Echec, Erreurs};
use crate::fr;
use crate::rendu::{e, tableau};
use crate::session::Connecte;

/// How many instalments the convention form offers.
const LIGNES_ECHEANCIER: usize = 4;

type Lecteur = fn(&Action) -> &Option<String>;

fn date_1(a: &Action) -> &Option<String> {
    &a.versement_date_1
}
fn date_2(a: &Action) -> &Option<String> {
    &a.versement_date_2
}
fn date_3(a: &Action) -> &Option<String> {
    &a.versement_date_3
}
fn date_4(a: &Action) -> &Option<String> {
    &a.versement_date_4
}
fn valeur_1(a: &Action) -> &Option<String> {
    &a.versement_valeur_1
}
fn valeur_2(a: &Action) -> &Option<String> {
    &a.versement_valeur_2
}
fn valeur_3(a: &Action) -> &Option<String> {
    &a.versement_valeur_3
}
fn valeur_4(a: &Action) -> &Option<String> {
    &a.versement_valeur_4
}

/// The fields of each instalment line: its date, its amount or percentage.
const CHAMPS_ECHEANCIER: [(Lecteur, Lecteur); LIGNES_ECHEANCIER] = [
    (date_1, valeur_1),
    (date_2, valeur_2),
    (date_3, valeur_3),
    (date_4, valeur_4),
];

/// A funder's name as the page shows it.
fn nom_financeur(financeur: Cofinanceur, noms: &BTreeMap<FinanceurId, String>) -> String {
    match financeur {
        Cofinanceur::Caf => "Caf".to_owned(),
        Cofinanceur::Partenaire(id) => noms
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("financeur n°{id}")),
    }
}

/// The financing plan: for each funder asked or deciding, the amount requested and the amount
/// decided on the project (its share of the comité's decision), with the totals and the forecast
/// budget's.
pub(super) async fn section(
    p: &Plateforme,
    d: &Dossier,
    decisions: &[Lu<Decision>],
) -> Result<String, ErreurWeb> {
    let noms: BTreeMap<FinanceurId, String> = p
        .financeurs_des_departements(&[d.departement])
        .await?
        .into_iter()
        .map(|f| (f.id, f.nom))
        .collect();
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
    let mut lignes: Vec<Vec<String>> = financeurs
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
                e(&nom_financeur(*f, &noms)),
                d.projet
                    .montant_demande(*f)
                    .map_or("–".to_owned(), |m| fr::euros(m.centimes())),
                decide,
            ]
        })
        .collect();
    let total_demande = d.projet.total_plan_financement();
    lignes.push(vec![
        "<strong>Total</strong>".to_owned(),
        total_demande.map_or("–".to_owned(), |t| {
            format!("<strong>{}</strong>", fr::euros(t.centimes()))
        }),
        format!("<strong>{}</strong>", fr::euros(total_decide.centimes())),
    ]);
    let budget = match (d.projet.budget.total_charges(), total_demande) {
        (Some(charges), Some(demande)) => format!(
            "<p>Budget prévisionnel : {} de charges ; le plan de financement en demande {} aux financeurs.</p>",
            fr::euros(charges.centimes()),
            fr::euros(demande.centimes())
        ),
        _ => String::new(),
    };
    Ok(format!(
        "<h2 id=\"plan-financement\">Plan de financement</h2>{}{budget}",
        tableau(
            "Montant demandé et montant décidé par financeur",
            &[
                ("Financeur", false),
                ("Montant demandé", true),
                ("Montant décidé", true)
            ],
            &lignes
        )
    ))
}

/// The Caf's decision form for a scheme decided by amount: the outcome, the amount the Caf
/// grants (by default, the amount requested of it), the grounds; no FTE.
pub(super) fn formulaire_decision(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: Saisies,
    x: &Erreurs,
) -> String {
    let demande = d
        .projet
        .montant_demande(Cofinanceur::Caf)
        .map_or(String::new(), |m| m.texte_point().replace('.', ","));
    let champs = format!(
        "<p class=\"aide\">Un projet {} se décide par montant : chaque financeur accorde sa propre part, aucun ETP n'est notifié. Montant demandé à la Caf : {}.</p>{}{}{}",
        e(d.dispositif.libelle()),
        d.projet
            .montant_demande(Cofinanceur::Caf)
            .map_or("aucun".to_owned(), |m| fr::euros(m.centimes())),
        Champ::new("issue", "Décision du comité")
            .id("decider-issue")
            .erreurs(x)
            .liste(
                &[
                    ("valide", "Validé"),
                    ("refuse", "Refusé"),
                    ("ajourne", "Ajourné")
                ],
                &s.valeur("decider", |a| &a.issue, "valide")
            )
            .into_string(),
        Champ::new(
            "montant_caf",
            "Part de la Caf (€), accordée si le projet est validé"
        )
        .id("decider-montant_caf")
        .erreurs(x)
        .clavier(Clavier::Decimal)
        .texte(&s.valeur("decider", |a| &a.montant_caf, &demande))
        .into_string(),
        Champ::new("motivation", "Motivation")
            .id("decider-motivation")
            .erreurs(x)
            .zone(&s.valeur("decider", |a| &a.motivation, ""))
            .into_string(),
    );
    formulaire(
        c,
        d,
        version,
        "decider",
        "Enregistrer la décision",
        &champs,
        false,
    )
}

/// The Caf's share typed with a decision by amount: granted for a validation, none otherwise.
pub(super) fn part_caf_saisie(
    f: &Action,
    issue: IssueDecision,
) -> Result<Option<SaisiePart>, Echec> {
    if issue != IssueDecision::Valide {
        return Ok(None);
    }
    let montant = Centimes::parse_non_negatif(f.montant_caf.as_deref().unwrap_or_default())
        .map_err(|e| {
            Echec::champ(
                "decider-montant_caf",
                format!("Part accordée par la Caf : {e}"),
            )
        })?;
    Ok(Some(SaisiePart {
        avis: AvisFinanceur::Accorde,
        montant,
        motivation: String::new(),
    }))
}

/// The instalment fields of the convention form: amounts or percentages, up to four lines.
///
/// By default, one instalment of 100 % from the start of the convention (`debut`).
pub(super) fn champs_echeancier(s: Saisies, x: &Erreurs, debut: &str) -> String {
    let mode = s.valeur("convention", |a| &a.mode_echeancier, "pourcentages");
    let mut lignes = String::new();
    for (rang, (lire_date, lire_valeur)) in CHAMPS_ECHEANCIER.iter().enumerate() {
        let n = rang + 1;
        let nom_date = format!("versement_date_{n}");
        let id_date = format!("convention-{nom_date}");
        let libelle_date = format!("Versement n°{n} : à partir du");
        let nom_valeur = format!("versement_valeur_{n}");
        let id_valeur = format!("convention-{nom_valeur}");
        let libelle_valeur = format!("Versement n°{n} : montant (€) ou pourcentage");
        lignes.push_str(&format!(
            "<div class=\"grille\">{}{}</div>",
            Champ::new(&nom_date, &libelle_date)
                .id(&id_date)
                .erreurs(x)
                .saisie(
                    "date",
                    &s.valeur("convention", *lire_date, if rang == 0 { debut } else { "" })
                )
                .into_string(),
            Champ::new(&nom_valeur, &libelle_valeur)
                .id(&id_valeur)
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.valeur(
                    "convention",
                    *lire_valeur,
                    if rang == 0 { "100" } else { "" }
                ))
                .into_string(),
        ));
    }
    format!(
        "<fieldset><legend>Échéancier de la subvention de la Caf</legend>\
         <p class=\"aide\">Les versements totalisent exactement la part accordée par la Caf. En pourcentages, chaque versement est arrondi au centime inférieur et le dernier reçoit le reste.</p>{}{lignes}</fieldset>",
        Champ::new("mode_echeancier", "Les versements sont donnés en")
            .id("convention-mode_echeancier")
            .erreurs(x)
            .liste(
                &[
                    ("pourcentages", "pourcentages"),
                    ("montants", "montants (€)")
                ],
                &mode
            )
            .into_string(),
    )
}

/// The instalments typed in the convention form; the lines left empty are ignored. A form sent
/// without any instalment field (no `mode_echeancier`) takes the form's default: one instalment of
/// 100 % from the convention's start (`debut`).
pub(super) fn echeancier_saisi(
    f: &Action,
    debut: time::Date,
) -> Result<Vec<LigneEcheancier>, Echec> {
    if f.mode_echeancier.is_none()
        && CHAMPS_ECHEANCIER
            .iter()
            .all(|(date, valeur)| date(f).is_none() && valeur(f).is_none())
    {
        return Ok(vec![LigneEcheancier::Part {
            date: debut,
            centiemes_de_pourcent: domain::convention::echeancier::CENT_POUR_CENT,
        }]);
    }
    let en_montants = f.mode_echeancier.as_deref() == Some("montants");
    let mut x = Erreurs::default();
    let mut lignes = Vec::new();
    for (rang, (lire_date, lire_valeur)) in CHAMPS_ECHEANCIER.iter().enumerate() {
        let n = rang + 1;
        let texte_date = lire_date(f).as_deref().unwrap_or_default().trim();
        let texte_valeur = lire_valeur(f).as_deref().unwrap_or_default().trim();
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
pub(super) fn champ_demande_caf(valeur: &str, x: &Erreurs) -> String {
    Champ::new("demande_caf", "Montant demandé à la Caf (€)")
        .aide("Plan de financement ; les montants demandés aux autres financeurs sont conservés")
        .erreurs(x)
        .clavier(Clavier::Decimal)
        .texte(valeur)
        .into_string()
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
