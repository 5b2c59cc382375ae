//! The « Pièces justificatives » of a record (structure, intervenant, dossier, declaration,
//! bilan): the section shown on the record's page (what is expected and missing for a dossier,
//! every piece with its versions, the upload form), the page of the record's pieces (where a
//! refused upload is shown again with its error next to the file field), the upload itself
//! (multipart, at most 20 Mo) and the download of any version. This module fetches and checks;
//! the templates are in `vue`.

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::identifiants::PieceId;
use domain::pieces::{ObjetPiece, TAILLE_MAX, TypePiece, nom_sur};
use maud::Markup;

use app::Plateforme;
use domain::identifiants::{GestionnaireId, IntervenantId};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Echec, Erreurs};
use crate::session::Connecte;

mod vue;

/// The body accepted on the upload route: the file's 20 Mo and room for the other fields.
pub const CORPS_MAX: usize = TAILLE_MAX as usize + 256 * 1024;

const CHAMP_TYPE: &str = "piece-type";
const CHAMP_FICHIER: &str = "piece-fichier";

/// The record named by a path's `{objet}/{id}`.
fn objet(code: &str, id: i64) -> Result<ObjetPiece, ErreurWeb> {
    ObjetPiece::depuis(code, id).ok_or(ErreurWeb::Introuvable)
}

/// Where the record's own page is.
fn adresse_objet(objet: ObjetPiece) -> String {
    match objet {
        ObjetPiece::Gestionnaire(g) => format!("/structures/{g}"),
        ObjetPiece::Dossier(d) => format!("/dossiers/{d}"),
        ObjetPiece::Intervenant(_) | ObjetPiece::Declaration(_) | ObjetPiece::Bilan(_) => {
            format!("/pieces/{}/{}", objet.code(), objet.id())
        }
    }
}

/// The section of a record's page: for a dossier the expected pieces (required and asked for),
/// then every piece and its versions, then the upload form for those who may join one.
pub async fn section(
    p: &Plateforme,
    c: &Connecte,
    objet: ObjetPiece,
    x: &Erreurs,
    type_choisi: Option<&str>,
) -> Result<Markup, ErreurWeb> {
    let pieces = p.pieces_de(&c.acteur, objet).await?;
    let attendues = match objet {
        ObjetPiece::Dossier(id) => {
            let d = p.dossier(&c.acteur, id).await?;
            Some(domain::pieces::pieces_attendues(
                objet,
                &d.valeur.pieces_demandees,
                &pieces,
            ))
        }
        _ => None,
    };
    let depot = p.peut_deposer_piece(&c.acteur, objet).await?;
    Ok(vue::section(
        c,
        &vue::VueSection {
            objet,
            attendues,
            pieces,
            depot,
            erreurs: x,
            type_choisi,
        },
    ))
}

/// The page of a record's pieces, with the errors of a refused upload.
async fn rendre(
    etat: &Etat,
    c: &Connecte,
    objet: ObjetPiece,
    x: &Erreurs,
    type_choisi: Option<&str>,
) -> Result<String, ErreurWeb> {
    let section = section(&etat.plateforme, c, objet, x, type_choisi).await?;
    Ok(vue::page(c, objet, x, section).into_string())
}

/// The section of a structure's page: its own pieces, and a link to each intervenant's.
pub async fn section_structure(
    p: &Plateforme,
    c: &Connecte,
    gestionnaire: GestionnaireId,
    intervenants: &[(IntervenantId, String)],
) -> Result<Markup, ErreurWeb> {
    let section = section(
        p,
        c,
        ObjetPiece::Gestionnaire(gestionnaire),
        &Erreurs::default(),
        None,
    )
    .await?;
    // Users of the intervenant role do not read an intervenant's pieces (see `app`).
    let visibles = if c.acteur.role == domain::acces::Role::Intervenant {
        &[][..]
    } else {
        intervenants
    };
    Ok(vue::section_structure(section, visibles))
}

pub use vue::{cases_pieces_demandees, liens_pieces};

/// `GET /pieces/{objet}/{id}`: the pieces of a record.
pub async fn page_objet(
    State(etat): State<Etat>,
    c: Connecte,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Html<String>, ErreurWeb> {
    let objet = objet(&code, id)?;
    Ok(Html(
        rendre(&etat, &c, objet, &Erreurs::default(), None).await?,
    ))
}

/// `POST /pieces/{objet}/{id}`: joins a file (multipart: `_csrf`, `type_piece`, `fichier`).
/// Joined: back to the record's page, at its pieces. Refused: the page of the record's pieces
/// with the reason next to the field, nothing written.
pub async fn deposer(
    State(etat): State<Etat>,
    c: Connecte,
    Path((code, id)): Path<(String, i64)>,
    mut parties: Multipart,
) -> Result<Response, ErreurWeb> {
    let objet = objet(&code, id)?;
    let mut jeton = None;
    let mut type_piece = None;
    let mut fichier: Option<(String, axum::body::Bytes)> = None;
    let mut erreurs = Erreurs::default();
    loop {
        let partie = match parties.next_field().await {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(x) => {
                erreurs.ajouter(
                    CHAMP_FICHIER,
                    format!("Fichier : envoi illisible ou de plus de 20 Mo ({x})"),
                );
                break;
            }
        };
        match partie.name().unwrap_or_default() {
            "_csrf" => jeton = partie.text().await.ok(),
            "type_piece" => type_piece = partie.text().await.ok(),
            "fichier" => {
                let sans_nom = partie.file_name().unwrap_or_default().is_empty();
                let nom = nom_sur(partie.file_name().unwrap_or_default());
                match partie.bytes().await {
                    // A form sent without a file carries an empty part with no name: no file
                    // was chosen.
                    Ok(octets) if sans_nom && octets.is_empty() => {}
                    Ok(octets) => fichier = Some((nom, octets)),
                    Err(_) => {
                        erreurs.ajouter(
                            CHAMP_FICHIER,
                            format!("« {nom} » pèse plus de 20 Mo : 20 Mo au plus"),
                        );
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    c.verifier_csrf(jeton.as_deref())?;
    let choisi = type_piece.as_deref().and_then(TypePiece::depuis_code);
    if erreurs.est_vide() {
        // Every field missing is reported at once.
        if choisi.is_none() {
            erreurs.ajouter(CHAMP_TYPE, "Type de pièce : choisissez-en un");
        }
        if fichier.is_none() {
            erreurs.ajouter(CHAMP_FICHIER, "Fichier : choisissez le fichier à joindre");
        }
    }
    if let (true, Some(t), Some((nom, octets))) = (erreurs.est_vide(), choisi, fichier) {
        let resultat = etat
            .plateforme
            .deposer_piece(
                &c.acteur,
                objet,
                t,
                &nom,
                &octets,
                time::OffsetDateTime::now_utc(),
            )
            .await
            .map_err(|x| Echec::app(x, &[], CHAMP_FICHIER));
        match resultat {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("{}#pieces", adresse_objet(objet))).into_response()
                );
            }
            Err(Echec::Page(w)) => return Err(w),
            Err(Echec::Saisie(x)) => erreurs = x,
        }
    }
    let statut = if erreurs.statut() == StatusCode::CONFLICT {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        statut,
        Html(rendre(&etat, &c, objet, &erreurs, type_piece.as_deref()).await?),
    )
        .into_response())
}

/// `GET /pieces/{id}/versions/{numero}`: one version's bytes, as an attachment of the media
/// type detected when it was joined, never interpreted by the browser.
pub async fn telecharger(
    State(etat): State<Etat>,
    c: Connecte,
    Path((id, numero)): Path<(i64, u32)>,
) -> Result<Response, ErreurWeb> {
    let t = etat
        .plateforme
        .telecharger_piece(&c.acteur, PieceId(id), Some(numero))
        .await?;
    Ok(reponse_fichier(&t))
}

/// The download answer of a version (pages and API).
pub fn reponse_fichier(t: &app::Telechargement) -> Response {
    let nom = nom_sur(&t.version.nom_fichier);
    let ascii: String = nom
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_' | ' ') {
                ch
            } else {
                '_'
            }
        })
        .collect();
    let encode: String =
        percent_encoding::utf8_percent_encode(&nom, percent_encoding::NON_ALPHANUMERIC).to_string();
    (
        [
            (header::CONTENT_TYPE, t.version.type_media.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encode}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        t.octets.clone(),
    )
        .into_response()
}

/// The piece types ticked in the request-for-information form.
pub fn pieces_cochees(champs: &std::collections::HashMap<String, String>) -> Vec<TypePiece> {
    TypePiece::TOUS
        .into_iter()
        .filter(|t| champs.contains_key(&format!("piece_{}", t.code())))
        .collect()
}
