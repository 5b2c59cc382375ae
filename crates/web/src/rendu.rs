//! The HTML of every page: one layout (skip link, header with the service and the user, main
//! navigation by role, footer with the site map, accessibility and personal data pages), and small builders for tables and form fields whose errors sit
//! next to the field and keep what the user typed. Every text goes through [`e`], which escapes it.

use domain::acces::Role;

use crate::session::Connecte;

/// Escapes text for HTML content and attribute values.
pub fn e(texte: &str) -> String {
    let mut s = String::with_capacity(texte.len());
    for c in texte.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

/// The sections of the service a role reaches from the main menu: address and name.
pub fn rubriques(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut liens: Vec<(&str, &str)> = vec![("/", "Accueil"), ("/dossiers", "Dossiers")];
    if role != Role::Financeur {
        liens.push(("/structures", "Structures"));
    }
    match role {
        Role::Cnaf => {
            liens.push(("/enveloppes", "Suivi national"));
            liens.push(("/conventions", "Conventions"));
            liens.push(("/paiements", "Paiements"));
        }
        Role::Caf => {
            liens.push(("/conventions", "Conventions"));
            liens.push(("/paiements", "Paiements"));
            liens.push(("/enveloppes", "Enveloppe"));
        }
        Role::Financeur => {}
        Role::Gestionnaire | Role::Intervenant => {
            liens.push(("/conventions", "Conventions"));
            liens.push(("/paiements", "Paiements"));
            liens.push(("/activite", "Activité"));
        }
    }
    liens.push(("/tableau-de-bord", "Tableau de bord"));
    liens.push(("/calcul", "Simulateur"));
    liens
}

/// Where the page's script is served.
pub const ADRESSE_HTMX: &str = "/static/htmx-2.0.11.min.js";

/// A whole page around HTML not yet written as a template (see [`crate::vue::page`]).
pub fn page(titre: &str, connecte: Option<&Connecte>, actif: &str, contenu: &str) -> String {
    crate::vue::page(titre, connecte, actif, crate::vue::deja_html(contenu)).into_string()
}

/// The page of an error.
pub fn page_erreur(titre: &str, message: &str) -> String {
    crate::vue::page_erreur(titre, message).into_string()
}

/// A table with its caption, headers (numeric columns flagged) and rows of ready-made HTML.
pub fn tableau(legende: &str, entetes: &[(&str, bool)], lignes: &[Vec<String>]) -> String {
    let entetes: Vec<Entete> = entetes
        .iter()
        .map(|(t, n)| Entete {
            html: e(t),
            nombre: *n,
            tri: None,
        })
        .collect();
    tableau_entetes(legende, &entetes, lignes)
}

/// A column heading: its HTML (already escaped; a sorting link, say), whether the column holds
/// numbers, and how the table is sorted by it (`ascending`, `descending`), if it is.
#[derive(Debug, Clone)]
pub struct Entete {
    pub html: String,
    pub nombre: bool,
    pub tri: Option<&'static str>,
}

/// A table whose headings are given as HTML, with their sort order.
pub fn tableau_entetes(legende: &str, entetes: &[Entete], lignes: &[Vec<String>]) -> String {
    let th: String = entetes
        .iter()
        .map(|x| {
            format!(
                "<th scope=\"col\"{}{}>{}</th>",
                if x.nombre { " class=\"nombre\"" } else { "" },
                x.tri
                    .map_or(String::new(), |t| format!(" aria-sort=\"{t}\"")),
                x.html
            )
        })
        .collect();
    let corps: String = if lignes.is_empty() {
        format!(
            "<tr><td colspan=\"{}\">Aucun élément.</td></tr>",
            entetes.len()
        )
    } else {
        lignes
            .iter()
            .map(|l| {
                let tds: String = l
                    .iter()
                    .zip(entetes)
                    .map(|(c, x)| {
                        format!(
                            "<td{}>{c}</td>",
                            if x.nombre { " class=\"nombre\"" } else { "" }
                        )
                    })
                    .collect();
                format!("<tr>{tds}</tr>")
            })
            .collect()
    };
    format!(
        "<table><caption>{}</caption><thead><tr>{th}</tr></thead><tbody>{corps}</tbody></table>",
        e(legende)
    )
}

/// A text input with its label, help, error next to it and the value typed.
pub fn champ(
    nom: &str,
    libelle: &str,
    aide: &str,
    valeur: &str,
    erreur: Option<&str>,
    type_: &str,
    extra: &str,
) -> String {
    let id_aide = format!("{nom}-aide");
    let id_erreur = format!("{nom}-erreur");
    let mut decrit = vec![];
    if !aide.is_empty() {
        decrit.push(id_aide.clone());
    }
    if erreur.is_some() {
        decrit.push(id_erreur.clone());
    }
    let decrit = if decrit.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{}\"", decrit.join(" "))
    };
    format!(
        "<div class=\"champ{}\"><label for=\"{nom}\">{}{}</label>{}\
         <input type=\"{type_}\" id=\"{nom}\" name=\"{nom}\" value=\"{}\"{decrit}{}{extra}></div>",
        if erreur.is_some() { " en-erreur" } else { "" },
        e(libelle),
        if aide.is_empty() {
            String::new()
        } else {
            format!("<span class=\"aide\" id=\"{id_aide}\">{}</span>", e(aide))
        },
        match erreur {
            Some(m) => format!(
                "<p class=\"message-erreur\" id=\"{id_erreur}\">{}</p>",
                e(m)
            ),
            None => String::new(),
        },
        e(valeur),
        if erreur.is_some() {
            " aria-invalid=\"true\""
        } else {
            ""
        },
    )
}

/// The hidden CSRF field of a form.
pub fn csrf(c: &Connecte) -> String {
    format!(
        "<input type=\"hidden\" name=\"_csrf\" value=\"{}\">",
        e(&c.csrf)
    )
}

/// A euro amount in cents, the French way.
pub fn euros(centimes: i64) -> String {
    referentiel::aip::rendu::euros_fr(i128::from(centimes))
}

/// One result of a frozen computation's trace, for people: its name in words and its value with
/// the numbers written the French way, an inexact value by its approximation only
/// (`etp_retenus`, `≈1.208333 (exactement 29/24)` → « ETP retenus : ≈ 1,208333 »). The trace
/// itself stays as it was frozen.
pub fn resultat_trace(nom: &str, valeur: &str, separateur: char) -> String {
    let valeur = match valeur.split_once(" (exactement ") {
        Some((approche, _)) => approche,
        None => valeur,
    };
    format!(
        "{} : {}",
        referentiel::aip::rendu::libelle(nom),
        nombres_fr(&valeur.replace('≈', "≈ "), separateur)
    )
}

/// Every decimal number of a machine text written the French way: a decimal comma, and digits
/// grouped by three with `separateur` from 10 000 on. Fractions (`2017272/29`) are left whole.
pub fn nombres_fr(texte: &str, separateur: char) -> String {
    let mut sortie = String::with_capacity(texte.len() + 8);
    let mut jeton = String::new();
    let vider = |jeton: &mut String, sortie: &mut String| {
        // A full stop or a slash that ends the number is the sentence's, not the number's.
        let fin = match jeton.chars().last() {
            Some(c @ ('.' | '/')) => {
                jeton.pop();
                Some(c)
            }
            _ => None,
        };
        if jeton.contains('/') || jeton.matches('.').count() > 1 {
            sortie.push_str(jeton);
        } else {
            let (entier, fraction) = match jeton.split_once('.') {
                Some((a, b)) => (a, Some(b)),
                None => (jeton.as_str(), None),
            };
            if entier.len() > 4 {
                for (i, c) in entier.chars().enumerate() {
                    if i > 0 && (entier.len() - i).is_multiple_of(3) {
                        sortie.push(separateur);
                    }
                    sortie.push(c);
                }
            } else {
                sortie.push_str(entier);
            }
            if let Some(f) = fraction {
                sortie.push(',');
                sortie.push_str(f);
            }
        }
        sortie.extend(fin);
        jeton.clear();
    };
    for c in texte.chars() {
        if c.is_ascii_digit() || ((c == '.' || c == '/') && !jeton.is_empty()) {
            jeton.push(c);
        } else {
            vider(&mut jeton, &mut sortie);
            sortie.push(c);
        }
    }
    vider(&mut jeton, &mut sortie);
    sortie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn les_resultats_d_une_trace_se_lisent_a_la_francaise() {
        assert_eq!(
            resultat_trace("etp_pris_en_compte", "1.45", ' '),
            "ETP pris en compte : 1,45"
        );
        // No fraction and no code reaches people.
        assert_eq!(
            resultat_trace(
                "cout_annualise",
                "≈69561.103448 (exactement 2017272/29)",
                ' '
            ),
            "coût annualisé d'un ETP : ≈ 69 561,103448"
        );
        assert_eq!(
            resultat_trace("montant", "63800.00", ' '),
            "montant : 63 800,00"
        );
        assert_eq!(
            resultat_trace("prix_de_revient", "66000", '\u{202F}'),
            "prix de revient retenu : 66\u{202F}000"
        );
        assert_eq!(
            nombres_fr("art. 3, §VI.1 en 2024.", ' '),
            "art. 3, §VI.1 en 2024."
        );
    }
}
