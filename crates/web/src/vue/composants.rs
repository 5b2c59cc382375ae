//! Components pages share: a table with its caption and headed columns, the hidden CSRF field of
//! a form.

use maud::{Markup, html};

use crate::session::Connecte;

/// The hidden field that proves a form was sent from one of the service's pages.
pub fn champ_csrf(c: &Connecte) -> Markup {
    html! { input type="hidden" name="_csrf" value=(c.csrf); }
}

/// A column of a table: its heading, and whether it holds numbers (right-aligned).
#[derive(Debug, Clone, Copy)]
pub struct Colonne<'a> {
    pub titre: &'a str,
    pub nombre: bool,
}

/// A table with its caption, its columns and its rows, each cell a template; « Aucun élément. »
/// when there is no row.
pub fn tableau(legende: &str, colonnes: &[Colonne<'_>], lignes: &[Vec<Markup>]) -> Markup {
    html! {
        table {
            caption { (legende) }
            thead {
                tr {
                    @for c in colonnes {
                        th scope="col" class=[c.nombre.then_some("nombre")] { (c.titre) }
                    }
                }
            }
            tbody {
                @if lignes.is_empty() {
                    tr { td colspan=(colonnes.len()) { "Aucun élément." } }
                }
                @for ligne in lignes {
                    tr {
                        @for (cellule, c) in ligne.iter().zip(colonnes) {
                            td class=[c.nombre.then_some("nombre")] { (cellule) }
                        }
                    }
                }
            }
        }
    }
}
