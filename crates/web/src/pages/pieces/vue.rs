//! The templates of the « Pièces justificatives »: the section of a record's page (expected
//! pieces, every piece with its versions, the upload form), the page of a record's pieces, the
//! links to the pieces of intervenants, declarations and bilans, and the boxes of the
//! request-for-information form.

use domain::identifiants::IntervenantId;
use domain::pieces::fichier::{FORMATS_ACCEPTES, taille_lisible};
use domain::pieces::{ObjetPiece, Piece, PieceAttendue, TypePiece};
use maud::{Markup, html};

use super::{CHAMP_FICHIER, CHAMP_TYPE};
use crate::formulaire::{Champ, Erreurs, majuscule};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, Ton, champ_csrf, etiquette, tableau};

/// What the section of a record's pieces shows.
pub struct VueSection<'a> {
    pub objet: ObjetPiece,
    /// The pieces expected (a dossier's only).
    pub attendues: Option<Vec<PieceAttendue>>,
    pub pieces: Vec<Piece>,
    /// Whether the user may join a piece (the upload form is shown).
    pub depot: bool,
    pub erreurs: &'a Erreurs,
    /// The type of piece chosen in a refused upload.
    pub type_choisi: Option<&'a str>,
}

fn colonne(titre: &str, nombre: bool) -> Colonne<'_> {
    Colonne { titre, nombre }
}

fn lien_version(p: &Piece, numero: u32) -> String {
    format!("/pieces/{}/versions/{numero}", p.id)
}

/// What is expected of a dossier: how many are missing, then each with why and its state.
fn attendues(attendues: &[PieceAttendue]) -> Markup {
    let lignes: Vec<Vec<Markup>> = attendues
        .iter()
        .map(|a| {
            let pourquoi = match (a.requise, a.demandee) {
                (true, true) => "requise, demandée par la Caf",
                (true, false) => "requise",
                _ => "demandée par la Caf",
            };
            let etat_piece = match &a.presente {
                Some(v) => html! {
                    (etiquette("présente", Ton::Succes)) " version " (v.numero) " – " (v.nom_fichier)
                },
                None => etiquette("manquante", Ton::Attente),
            };
            vec![
                html! { (a.type_piece.libelle()) },
                html! { (pourquoi) },
                etat_piece,
            ]
        })
        .collect();
    let manquantes = attendues.iter().filter(|a| a.presente.is_none()).count();
    html! {
        p #pieces-manquantes {
            @match manquantes {
                0 => "Toutes les pièces attendues sont jointes.",
                1 => "1 pièce attendue manque.",
                n => { (fr::entier(n as u64)) " pièces attendues manquent." }
            }
        }
        (tableau(
            "Pièces attendues",
            &[colonne("Pièce", false), colonne("Motif", false), colonne("État", false)],
            &lignes,
        ))
    }
}

/// Every piece and its versions, the latest first.
fn liste(pieces: &[Piece]) -> Markup {
    let lignes: Vec<Vec<Markup>> = pieces
        .iter()
        .flat_map(|piece| {
            let derniere = piece.derniere().map_or(0, |v| v.numero);
            piece.versions.iter().rev().map(move |v| {
                let actuelle = v.numero == derniere;
                let deposee = v
                    .deposee_le
                    .format(&time::format_description::well_known::Rfc3339)
                    .map_or_else(|_| String::new(), |t| fr::horodatage(&t));
                vec![
                    html! {
                        @if actuelle {
                            span id={ "piece-" (piece.id.0) } { (piece.type_piece.libelle()) }
                        } @else {
                            (piece.type_piece.libelle())
                        }
                    },
                    html! { (v.nom_fichier) },
                    html! { (v.numero) @if actuelle { " (actuelle)" } },
                    html! { (taille_lisible(v.taille)) },
                    html! { (deposee) },
                    html! { (v.role.libelle()) },
                    html! {
                        a href=(lien_version(piece, v.numero)) download {
                            "Télécharger"
                            span.sr-only { " " (v.nom_fichier) " version " (v.numero) }
                        }
                    },
                ]
            })
        })
        .collect();
    if lignes.is_empty() {
        return html! { p { "Aucune pièce jointe." } };
    }
    tableau(
        "Pièces jointes et leurs versions",
        &[
            colonne("Type", false),
            colonne("Fichier", false),
            colonne("Version", true),
            colonne("Taille", true),
            colonne("Déposée le", false),
            colonne("Par", false),
            colonne("Fichier à télécharger", false),
        ],
        &lignes,
    )
}

/// The upload form: the type of piece and the file, each with its error.
fn formulaire_depot(
    c: &Connecte,
    objet: ObjetPiece,
    x: &Erreurs,
    type_choisi: Option<&str>,
) -> Markup {
    let options: Vec<(&str, &str)> = TypePiece::TOUS
        .iter()
        .map(|t| (t.code(), t.libelle()))
        .collect();
    let aide = format!(
        "{FORMATS_ACCEPTES}, 20 Mo au plus. Un fichier du même type remplace la version actuelle, \
         les précédentes restent consultables."
    );
    html! {
        form method="post" action={ "/pieces/" (objet.code()) "/" (objet.id()) }
            enctype="multipart/form-data" novalidate {
            fieldset {
                legend { "Joindre une pièce" }
                (champ_csrf(c))
                (Champ::new("type_piece", "Type de pièce")
                    .id(CHAMP_TYPE)
                    .erreurs(x)
                    .liste(&options, type_choisi.unwrap_or("")))
                (Champ::new("fichier", "Fichier")
                    .id(CHAMP_FICHIER)
                    .aide(&aide)
                    .erreurs(x)
                    .requis()
                    .saisie("file", ""))
                button type="submit" { "Joindre la pièce" }
            }
        }
    }
}

/// The section « Pièces justificatives » of a record's page.
pub fn section(c: &Connecte, v: &VueSection<'_>) -> Markup {
    html! {
        section #pieces aria-labelledby="titre-pieces" {
            h2 #titre-pieces { "Pièces justificatives" }
            @if let Some(a) = &v.attendues { (attendues(a)) }
            (liste(&v.pieces))
            @if v.depot { (formulaire_depot(c, v.objet, v.erreurs, v.type_choisi)) }
        }
    }
}

/// The page of a record's pieces: its title, the errors of a refused upload, the way back to the
/// record, and the section.
pub fn page(c: &Connecte, objet: ObjetPiece, x: &Erreurs, section: Markup) -> Markup {
    let titre = format!("Pièces justificatives – {}", objet.designation());
    vue::page(
        &x.titre(&titre),
        Some(c),
        "",
        html! {
            h1 { (majuscule(&titre)) }
            (x.resume())
            @match objet {
                ObjetPiece::Gestionnaire(_) | ObjetPiece::Dossier(_) => {
                    p { a href=(super::adresse_objet(objet)) { "Retour à " (objet.designation()) } }
                }
                ObjetPiece::Intervenant(_) => {}
                ObjetPiece::Declaration(_) | ObjetPiece::Bilan(_) => {
                    p { a href="/conventions" { "Retour aux conventions" } }
                }
            }
            (section)
        },
    )
}

/// A structure's section followed by links to the pieces of its intervenants, if any.
pub fn section_structure(section: Markup, intervenants: &[(IntervenantId, String)]) -> Markup {
    html! {
        (section)
        @if !intervenants.is_empty() {
            h3 { "Pièces des intervenants" }
            ul {
                @for (id, nom) in intervenants {
                    li { a href={ "/pieces/intervenant/" (id) } { "Pièces de " (nom) } }
                }
            }
        }
    }
}

/// Links to the pieces of a convention's declarations and bilans: `(objet, name)`.
pub fn liens_pieces(objets: &[(ObjetPiece, String)]) -> Markup {
    html! {
        @if !objets.is_empty() {
            section aria-labelledby="titre-pieces" {
                h2 #titre-pieces { "Pièces justificatives" }
                ul {
                    @for (o, nom) in objets {
                        li { a href={ "/pieces/" (o.code()) "/" (o.id()) } { "Pièces justificatives : " (nom) } }
                    }
                }
            }
        }
    }
}

/// The boxes of the request-for-information form: the piece types the Caf may ask for (each
/// named `piece_<code>`).
pub fn cases_pieces_demandees() -> Markup {
    html! {
        fieldset {
            legend { "Pièces à fournir (facultatif)" }
            @for t in TypePiece::TOUS {
                div.champ.case {
                    input type="checkbox" id={ "complement-piece-" (t.code()) } name={ "piece_" (t.code()) } value="1";
                    label for={ "complement-piece-" (t.code()) } { (t.libelle()) }
                }
            }
        }
    }
}
