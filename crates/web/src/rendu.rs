//! The HTML of every page: one layout (skip link, header with the service and the user, main
//! navigation by role, footer with the site map, accessibility and personal data pages), and small builders for tables and form fields whose errors sit
//! next to the field and keep what the user typed. Every text goes through [`e`], which escapes it.

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

/// A whole page around HTML not yet written as a template (see [`crate::vue::page`]).
pub fn page(titre: &str, connecte: Option<&Connecte>, actif: &str, contenu: &str) -> String {
    crate::vue::page(titre, connecte, actif, crate::vue::deja_html(contenu)).into_string()
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

/// The hidden CSRF field of a form.
pub fn csrf(c: &Connecte) -> String {
    crate::vue::champ_csrf(c).into_string()
}
