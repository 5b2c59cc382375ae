//! The templates of the dossier list: the search and filter form, the links by state with their
//! counts, the table with its sortable headings, and the comité's agenda.

use maud::{Markup, html};

use crate::formulaire::Champ;
use crate::fr;
use crate::pages::filtres_dossiers::Filtres;
use crate::vue::{Colonne, tableau};

/// A heading of the list: its column's code (when the list sorts by it), its title, whether it
/// holds numbers.
pub(super) struct Entete {
    pub colonne: Option<&'static str>,
    pub titre: &'static str,
    pub nombre: bool,
}

/// The list's columns, in order.
pub(super) const ENTETES: [Entete; 10] = [
    Entete {
        colonne: Some("numero"),
        titre: "Dossier",
        nombre: false,
    },
    Entete {
        colonne: Some("projet"),
        titre: "Projet",
        nombre: false,
    },
    Entete {
        colonne: Some("commune"),
        titre: "Commune",
        nombre: false,
    },
    Entete {
        colonne: Some("departement"),
        titre: "Département",
        nombre: false,
    },
    Entete {
        colonne: Some("etat"),
        titre: "État",
        nombre: false,
    },
    Entete {
        colonne: Some("etp"),
        titre: "ETP demandés",
        nombre: true,
    },
    Entete {
        colonne: Some("non_lus"),
        titre: "Messages non lus",
        nombre: true,
    },
    Entete {
        colonne: None,
        titre: "Déposé le",
        nombre: false,
    },
    Entete {
        colonne: None,
        titre: "Montant demandé à la Caf",
        nombre: true,
    },
    Entete {
        colonne: None,
        titre: "Suivi par",
        nombre: false,
    },
];

/// The table of dossiers: each heading a link that sorts the list by its column (again: in the
/// reverse order), keeping the filters; the sorted column says how (`aria-sort`).
/// With `selection` (the Caf's bulk actions), each line starts with a box ticking its dossier;
/// `ids` are the lines' dossiers.
pub(super) fn tableau_dossiers(
    f: &Filtres,
    etat: Option<&str>,
    lignes: &[Vec<Markup>],
    selection: Option<&[i64]>,
) -> Markup {
    let (colonne_triee, inverse) = f.tri();
    html! {
        table {
            caption { (lignes.len()) " dossier(s)" }
            thead {
                tr {
                    @if selection.is_some() {
                        th scope="col" { span class="sr-only" { "Sélection" } }
                    }
                    @for e in &ENTETES {
                        @let triee = e.colonne == Some(colonne_triee);
                        th scope="col" class=[e.nombre.then_some("nombre")]
                            aria-sort=[triee.then_some(if inverse { "descending" } else { "ascending" })] {
                            @if let Some(colonne) = e.colonne {
                                // Numbers are first sorted from the largest.
                                @let prochain_inverse = if triee { !inverse } else { e.nombre };
                                @let (fleche, sens) = match (triee, inverse) {
                                    (false, _) => ("", "Trier par cette colonne"),
                                    (true, false) => (" ▲", "trié par ordre croissant ; trier par ordre décroissant"),
                                    (true, true) => (" ▼", "trié par ordre décroissant ; trier par ordre croissant"),
                                };
                                a id={ "tri-" (colonne) } href={ "/dossiers" (f.requete_triee(etat, colonne, prochain_inverse)) }
                                    hx-boost="true" hx-target="#resultats" hx-select="#resultats" hx-swap="outerHTML" title=(sens) {
                                    (e.titre) span aria-hidden="true" { (fleche) }
                                }
                            } @else {
                                (e.titre)
                            }
                        }
                    }
                }
            }
            tbody {
                @if lignes.is_empty() {
                    tr { td colspan=(ENTETES.len() + usize::from(selection.is_some())) { "Aucun élément." } }
                }
                @for (rang, ligne) in lignes.iter().enumerate() {
                    tr {
                        @if let Some(id) = selection.and_then(|ids| ids.get(rang)) {
                            td {
                                input type="checkbox" name="dossier" value=(id) id={ "choisir-" (id) };
                                label for={ "choisir-" (id) } class="sr-only" { "Sélectionner le dossier n°" (id) }
                            }
                        }
                        @for (cellule, e) in ligne.iter().zip(&ENTETES) {
                            td class=[e.nombre.then_some("nombre")] { (cellule) }
                        }
                    }
                }
            }
        }
    }
}

/// A choice of a list: its value and label.
pub(super) type Choix = (String, String);

/// The search and filter form. With the page's script, it and the state links replace the
/// results alone (`#resultats`); the chosen state (kept in the form) and the announcement of the
/// number of dossiers found are updated beside them. Without it, they load the page.
pub(super) fn recherche(
    f: &Filtres,
    etat: Option<&str>,
    appels: &[Choix],
    pour_la_caf: bool,
) -> Markup {
    let appel_choisi = f.appel().map(|a| a.to_string());
    let eligibilite = f.eligibilite().unwrap_or_default();
    let tri = match f.tri() {
        ("numero", false) => String::new(),
        (colonne, inverse) => format!("{}{colonne}", if inverse { "-" } else { "" }),
    };
    html! {
        form method="get" action="/dossiers" class="grille" role="search" aria-label="Filtrer les dossiers"
            hx-get="/dossiers" hx-target="#resultats" hx-select="#resultats" hx-swap="outerHTML" hx-push-url="true"
            hx-trigger="submit, change from:select, change from:#non_lus, change from:#mes" {
            input type="hidden" id="filtre-etat" name="etat" value=(etat.unwrap_or_default()) hx-swap-oob="true";
            input type="hidden" id="filtre-tri" name="tri" value=(tri) hx-swap-oob="true";
            div class="champ pleine-largeur" {
                label for="q" {
                    "Rechercher"
                    span class="aide" { "N° de dossier, mots de l'intitulé ou du nom de la structure, SIRET" }
                }
                input type="search" id="q" name="q" value=(f.recherche().unwrap_or_default());
            }
            div class="champ" {
                label for="appel" { "Appel à projets" }
                select id="appel" name="appel" {
                    option value="" { "Tous les appels" }
                    @for (valeur, libelle) in appels {
                        option value=(valeur) selected[appel_choisi.as_deref() == Some(valeur.as_str())] { (libelle) }
                    }
                }
            }
            div class="champ" {
                label for="commune" { "Commune du porteur" }
                input type="text" id="commune" name="commune" value=(f.commune().unwrap_or_default());
            }
            div class="champ" {
                label for="eligibilite" { "Éligibilité" }
                select id="eligibilite" name="eligibilite" {
                    @for (valeur, libelle) in [
                        ("", "Toutes"),
                        ("eligible", "Statut et activité éligibles"),
                        ("non_eligible", "Statut ou activité non éligible"),
                    ] {
                        option value=(valeur) selected[eligibilite == valeur] { (libelle) }
                    }
                }
            }
            (Champ::new("non_lus", "Avec des messages non lus").case(f.non_lus()))
            // « Mes dossiers »: a Caf agent's dossiers, those assigned to it.
            @if pour_la_caf {
                (Champ::new("mes", "Mes dossiers (ceux qui me sont attribués)").case(f.mes_dossiers()))
            }
            div class="champ" { button type="submit" { "Filtrer" } }
        }
    }
}

/// One line of the comité's agenda for the AIP, by département.
pub(super) struct LigneOrdreDuJour {
    pub departement: String,
    pub projets: usize,
    pub etp: String,
    pub montant_maximal: i64,
    pub disponible: Option<i64>,
}

/// The comité's agenda: what validating every presented AIP project would commit against what
/// remains of each Caf's allocation, and the other schemes apart, at the amount asked of the Caf.
pub(super) fn ordre_du_jour(aip: &[LigneOrdreDuJour], autres: &[(String, usize, i64)]) -> Markup {
    let lignes: Vec<Vec<Markup>> = aip
        .iter()
        .map(|l| {
            vec![
                html! { (l.departement) },
                html! { (l.projets) },
                html! { (l.etp) },
                html! { (fr::euros(l.montant_maximal)) },
                html! { (l.disponible.map_or("–".to_owned(), fr::euros)) },
                html! {
                    @match l.disponible {
                        Some(d) if d < l.montant_maximal => strong { "dépassement possible" },
                        Some(_) => "dans l'enveloppe",
                        None => "–",
                    }
                },
            ]
        })
        .collect();
    let n_autres: usize = autres.iter().map(|(_, n, _)| n).sum();
    html! {
        h2 { "Ordre du jour du comité des financeurs" }
        (tableau(
            "Impact des projets AIP présentés sur l'enveloppe (au plus le taux × le prix plafond par ETP et par an)",
            &[
                Colonne { titre: "Département", nombre: false },
                Colonne { titre: "Projets", nombre: true },
                Colonne { titre: "ETP proposés", nombre: true },
                Colonne { titre: "Montant annuel maximal", nombre: true },
                Colonne { titre: "Reste à engager", nombre: true },
                Colonne { titre: "Enveloppe", nombre: false },
            ],
            &lignes,
        ))
        @if n_autres > 0 {
            p class="aide" {
                (n_autres) " projet(s) d'autres dispositifs, décidés par montant et non par ETP, ne sont pas comptés dans l'enveloppe de l'expérimentation AIP."
            }
            (tableau(
                "Projets des autres dispositifs présentés, au montant demandé à la Caf",
                &[
                    Colonne { titre: "Département", nombre: false },
                    Colonne { titre: "Projets", nombre: true },
                    Colonne { titre: "Montant demandé à la Caf", nombre: true },
                ],
                &autres
                    .iter()
                    .map(|(dep, n, montant)| vec![html! { (dep) }, html! { (n) }, html! { (fr::euros(*montant)) }])
                    .collect::<Vec<_>>(),
            ))
        }
    }
}
