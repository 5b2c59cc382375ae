//! The financing plan of the comité year by year (`/comite/plan`): for the Caf and the Cnaf,
//! every funder × scheme × year, requested and decided, and each scheme's budget year on year
//! (the amounts the Caf granted, the change from the year before as a percentage) as a table and
//! a chart; for a funder, its own commitments by scheme and year.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Html;
use domain::acces::Role;
use domain::appel_a_projets::Dispositif;
use domain::comite::{self, BudgetAnnuel};
use domain::identifiants::FinanceurId;
use maud::{Markup, html};

use super::seance::tableau_plan;
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::graphiques::{Barre, histogramme};
use crate::session::Connecte;
use crate::vue::{Colonne, tableau};

/// A change in tenths of a percent, signed: `+8,4 %`, `-2,0 %`.
pub(super) fn evolution(dixiemes: i64) -> String {
    let signe = if dixiemes < 0 { "-" } else { "+" };
    let a = dixiemes.unsigned_abs();
    format!("{signe}{},{}\u{a0}%", fr::entier(a / 10), a % 10)
}

/// `GET /comite/plan`.
pub async fn plan(State(etat): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    let (lignes, financeurs) = etat.plateforme.plan_du_comite(&c.acteur).await?;
    let noms: BTreeMap<FinanceurId, String> =
        financeurs.iter().map(|f| (f.id, f.nom.clone())).collect();
    let totaux = comite::totaux(&lignes).map_err(|e| ErreurWeb::Refus(e.to_string()))?;
    let contenu = if c.acteur.role == Role::Financeur {
        let qui = c
            .acteur
            .financeur
            .and_then(|f| noms.get(&f).cloned())
            .unwrap_or_else(|| "votre organisme".to_owned());
        html! {
            p { a href="/comite" { "Toutes les séances du comité" } }
            h1 { "Engagements de " (qui) }
            p {
                "Ce que les dossiers présentés au comité vous demandent et ce que vous avez accordé, "
                "par dispositif et par année de séance. Chaque financeur reste décisionnaire des "
                "financements qu'il accorde (lettre circulaire Cnaf n° 2012-093, §43)."
            }
            (tableau_plan("Vos engagements par dispositif et par année", &lignes, &noms, totaux))
        }
    } else {
        let budgets =
            comite::budgets_par_dispositif(&lignes).map_err(|e| ErreurWeb::Refus(e.to_string()))?;
        html! {
            p { a href="/comite" { "Toutes les séances du comité" } }
            h1 { "Plan de financement du comité des financeurs" }
            p {
                "Par financeur, dispositif et année de séance : le montant que les dossiers présentés "
                "demandent et le montant que chaque financeur a accordé sur les projets validés."
            }
            (tableau_plan("Demandé et accordé par financeur, dispositif et année", &lignes, &noms, totaux))
            h2 id="budgets" { "Budget de chaque dispositif d'année en année" }
            p {
                "Le montant accordé par la Caf à chaque dispositif, année par année, et son évolution "
                "par rapport à l'année précédente, arrondie au dixième de point."
            }
            (tableau_budgets(&budgets))
            @for d in Dispositif::TOUS {
                @let barres: Vec<Barre> = budgets.iter().filter(|b| b.dispositif == d).map(|b| Barre {
                    libelle: b.annee.to_string(),
                    valeur: b.decide_caf.centimes() as f64 / 100.0,
                }).collect();
                @if !barres.is_empty() {
                    figure {
                        (histogramme(
                            &format!("budget-{}", d.code()),
                            &format!("Montant accordé par la Caf au dispositif {} par année (€)", d.libelle()),
                            "euros",
                            &barres,
                            None,
                        ))
                        figcaption { "Budget " (d.libelle()) " : les montants figurent dans le tableau ci-dessus." }
                    }
                }
            }
        }
    };
    let titre = if c.acteur.role == Role::Financeur {
        "Vos engagements au comité des financeurs"
    } else {
        "Plan de financement du comité des financeurs"
    };
    Ok(Html(
        crate::vue::page(titre, Some(&c), "/comite", contenu).into_string(),
    ))
}

/// Each scheme's budget year on year.
fn tableau_budgets(budgets: &[BudgetAnnuel]) -> Markup {
    let lignes: Vec<Vec<Markup>> = budgets
        .iter()
        .map(|b| {
            vec![
                html! { (b.dispositif.libelle()) },
                html! { (b.annee) },
                html! { (fr::euros(b.decide_caf.centimes())) },
                html! { (fr::euros(b.decide_financeurs.centimes())) },
                html! { (b.evolution_dixiemes.map_or("–".to_owned(), evolution)) },
            ]
        })
        .collect();
    tableau(
        "Montant accordé par dispositif et par année",
        &[
            Colonne {
                titre: "Dispositif",
                nombre: false,
            },
            Colonne {
                titre: "Année",
                nombre: true,
            },
            Colonne {
                titre: "Accordé par la Caf",
                nombre: true,
            },
            Colonne {
                titre: "Accordé par l'ensemble des financeurs",
                nombre: true,
            },
            Colonne {
                titre: "Évolution de la part de la Caf",
                nombre: true,
            },
        ],
        &lignes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn une_evolution_porte_son_signe_et_une_virgule() {
        assert_eq!(evolution(84), "+8,4\u{a0}%");
        assert_eq!(evolution(-20), "-2,0\u{a0}%");
        assert_eq!(evolution(0), "+0,0\u{a0}%");
        assert_eq!(evolution(12_345), "+1\u{202f}234,5\u{a0}%");
    }
}
