//! An eligibility report of the référentiel as the Caf will read it: its verdict in a box
//! coloured by its meaning, and each finding with its source.

use maud::{Markup, html};
use referentiel::conformite::{Rapport, Verdict};

/// The report `r` under `titre`.
pub fn rapport(titre: &str, r: &Rapport) -> Markup {
    let classe = match r.verdict() {
        Verdict::Eligible => "succes",
        Verdict::Avertissement => "alerte",
        Verdict::NonEligible => "erreur",
    };
    html! {
        div class={ "encadre " (classe) } {
            p { strong { (titre) ": " (r.verdict().libelle()) } }
            ul {
                @for constat in &r.constats {
                    li {
                        strong {
                            @match constat.verdict {
                                Verdict::Eligible => "conforme",
                                Verdict::Avertissement => "à vérifier",
                                Verdict::NonEligible => "non éligible",
                            }
                        }
                        " – " (constat.message) " "
                        span.aide { "(" (constat.source) ")" }
                    }
                }
            }
        }
    }
}
