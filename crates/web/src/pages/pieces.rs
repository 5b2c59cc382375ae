//! The « Pièces justificatives » of a record (structure, intervenant, dossier, declaration,
//! bilan): the section shown on the record's page (what is expected and missing for a dossier,
//! every piece with its versions, the upload form), the page of the record's pieces (where a
//! refused upload is shown again with its error next to the file field), the upload itself
//! (multipart, at most 20 Mo) and the download of any version.

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::identifiants::PieceId;
use domain::pieces::fichier::{FORMATS_ACCEPTES, taille_lisible};
use domain::pieces::{ObjetPiece, Piece, TAILLE_MAX, TypePiece, nom_sur};

use app::Plateforme;
use domain::identifiants::{GestionnaireId, IntervenantId};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Echec, Erreurs};
use crate::fr;
use crate::rendu::{csrf, e, page, tableau};
use crate::session::Connecte;

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

fn lien_version(p: &Piece, numero: u32) -> String {
    format!("/pieces/{}/versions/{numero}", p.id)
}

/// The section of a record's page: for a dossier the expected pieces (required and asked for),
/// then every piece and its versions, then the upload form for those who may join one.
pub async fn section(
    p: &Plateforme,
    c: &Connecte,
    objet: ObjetPiece,
    x: &Erreurs,
    type_choisi: Option<&str>,
) -> Result<String, ErreurWeb> {
    let pieces = p.pieces_de(&c.acteur, objet).await?;
    let attendues = match objet {
        ObjetPiece::Dossier(id) => {
            let d = p.dossier(&c.acteur, id).await?;
            let attendues =
                domain::pieces::pieces_attendues(objet, &d.valeur.pieces_demandees, &pieces);
            let lignes: Vec<Vec<String>> = attendues
                .iter()
                .map(|a| {
                    let pourquoi = match (a.requise, a.demandee) {
                        (true, true) => "requise, demandée par la Caf",
                        (true, false) => "requise",
                        _ => "demandée par la Caf",
                    };
                    let etat_piece = match &a.presente {
                        Some(v) => format!(
                            "{} version {} – {}",
                            crate::vue::etiquette("présente", crate::vue::Ton::Succes)
                                .into_string(),
                            v.numero,
                            e(&v.nom_fichier)
                        ),
                        None => crate::vue::etiquette("manquante", crate::vue::Ton::Attente)
                            .into_string(),
                    };
                    vec![e(a.type_piece.libelle()), pourquoi.to_owned(), etat_piece]
                })
                .collect();
            let manquantes = attendues.iter().filter(|a| a.presente.is_none()).count();
            format!(
                "<p id=\"pieces-manquantes\">{}</p>{}",
                match manquantes {
                    0 => "Toutes les pièces attendues sont jointes.".to_owned(),
                    1 => "1 pièce attendue manque.".to_owned(),
                    n => format!("{n} pièces attendues manquent."),
                },
                tableau(
                    "Pièces attendues",
                    &[("Pièce", false), ("Motif", false), ("État", false)],
                    &lignes
                )
            )
        }
        _ => String::new(),
    };
    let lignes: Vec<Vec<String>> = pieces
        .iter()
        .flat_map(|piece| {
            let derniere = piece.derniere().map_or(0, |v| v.numero);
            piece.versions.iter().rev().map(move |v| {
                vec![
                    if v.numero == derniere {
                        format!(
                            "<span id=\"piece-{}\">{}</span>",
                            piece.id.0,
                            e(piece.type_piece.libelle())
                        )
                    } else {
                        e(piece.type_piece.libelle())
                    },
                    e(&v.nom_fichier),
                    if v.numero == derniere {
                        format!("{} (actuelle)", v.numero)
                    } else {
                        v.numero.to_string()
                    },
                    e(&taille_lisible(v.taille)),
                    e(&v
                        .deposee_le
                        .format(&time::format_description::well_known::Rfc3339)
                        .map_or_else(|_| String::new(), |t| fr::horodatage(&t))),
                    e(v.role.libelle()),
                    format!(
                        "<a href=\"{}\" download>Télécharger<span class=\"sr-only\"> {} version {}</span></a>",
                        lien_version(piece, v.numero),
                        e(&v.nom_fichier),
                        v.numero
                    ),
                ]
            })
        })
        .collect();
    let liste = if lignes.is_empty() {
        "<p>Aucune pièce jointe.</p>".to_owned()
    } else {
        tableau(
            "Pièces jointes et leurs versions",
            &[
                ("Type", false),
                ("Fichier", false),
                ("Version", true),
                ("Taille", true),
                ("Déposée le", false),
                ("Par", false),
                ("Fichier à télécharger", false),
            ],
            &lignes,
        )
    };
    let formulaire = if p.peut_deposer_piece(&c.acteur, objet).await? {
        formulaire_depot(c, objet, x, type_choisi)
    } else {
        String::new()
    };
    Ok(format!(
        "<section id=\"pieces\" aria-labelledby=\"titre-pieces\"><h2 id=\"titre-pieces\">Pièces justificatives</h2>\
         {attendues}{liste}{formulaire}</section>"
    ))
}

fn formulaire_depot(
    c: &Connecte,
    objet: ObjetPiece,
    x: &Erreurs,
    type_choisi: Option<&str>,
) -> String {
    let options: Vec<(&str, &str)> = TypePiece::TOUS
        .iter()
        .map(|t| (t.code(), t.libelle()))
        .collect();
    let aide = format!(
        "{FORMATS_ACCEPTES}, 20 Mo au plus. Un fichier du même type remplace la version actuelle, \
         les précédentes restent consultables."
    );
    format!(
        "<form method=\"post\" action=\"/pieces/{}/{}\" enctype=\"multipart/form-data\" novalidate>\
         <fieldset><legend>Joindre une pièce</legend>{}{}{}\
         <button type=\"submit\">Joindre la pièce</button></fieldset></form>",
        objet.code(),
        objet.id(),
        csrf(c),
        Champ::new("type_piece", "Type de pièce")
            .id(CHAMP_TYPE)
            .erreurs(x)
            .liste(&options, type_choisi.unwrap_or(""))
            .into_string(),
        Champ::new("fichier", "Fichier")
            .id(CHAMP_FICHIER)
            .aide(&aide)
            .erreurs(x)
            .requis()
            .saisie("file", "")
            .into_string(),
    )
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
    let titre = format!("Pièces justificatives – {}", objet.designation());
    let retour = match objet {
        ObjetPiece::Gestionnaire(_) | ObjetPiece::Dossier(_) => format!(
            "<p><a href=\"{}\">Retour à {}</a></p>",
            adresse_objet(objet),
            e(&objet.designation())
        ),
        ObjetPiece::Intervenant(_) => String::new(),
        ObjetPiece::Declaration(_) | ObjetPiece::Bilan(_) => {
            "<p><a href=\"/conventions\">Retour aux conventions</a></p>".to_owned()
        }
    };
    let resume = if x.est_vide() {
        String::new()
    } else {
        x.resume().into_string()
    };
    Ok(page(
        &x.titre(&titre),
        Some(c),
        "",
        &format!(
            "<h1>{}</h1>{resume}{retour}{section}",
            e(&crate::formulaire::majuscule(&titre))
        ),
    ))
}

/// The section of a structure's page: its own pieces, and a link to each intervenant's.
pub async fn section_structure(
    p: &Plateforme,
    c: &Connecte,
    gestionnaire: GestionnaireId,
    intervenants: &[(IntervenantId, String)],
) -> Result<String, ErreurWeb> {
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
    let liens: String = visibles
        .iter()
        .map(|(id, nom)| {
            format!(
                "<li><a href=\"/pieces/intervenant/{id}\">Pièces de {}</a></li>",
                e(nom)
            )
        })
        .collect();
    Ok(if liens.is_empty() {
        section
    } else {
        format!("{section}<h3>Pièces des intervenants</h3><ul>{liens}</ul>")
    })
}

/// Links to the pieces of a convention's declarations and bilans: `(objet, name)`.
pub fn liens_pieces(objets: &[(ObjetPiece, String)]) -> String {
    if objets.is_empty() {
        return String::new();
    }
    let liens: String = objets
        .iter()
        .map(|(o, nom)| {
            format!(
                "<li><a href=\"/pieces/{}/{}\">Pièces justificatives : {}</a></li>",
                o.code(),
                o.id(),
                e(nom)
            )
        })
        .collect();
    format!(
        "<section aria-labelledby=\"titre-pieces\"><h2 id=\"titre-pieces\">Pièces justificatives</h2><ul>{liens}</ul></section>"
    )
}

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
                let nom = nom_sur(partie.file_name().unwrap_or_default());
                match partie.bytes().await {
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
        let resultat = match (choisi, fichier) {
            (None, _) => Err(Echec::champ(CHAMP_TYPE, "Type de pièce : choisissez-en un")),
            (Some(_), None) => Err(Echec::champ(
                CHAMP_FICHIER,
                "Fichier : choisissez le fichier à joindre",
            )),
            (Some(t), Some((nom, octets))) => etat
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
                .map_err(|x| Echec::app(x, &[], CHAMP_FICHIER)),
        };
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

/// The boxes of the request-for-information form: the piece types the Caf may ask for (each
/// named `piece_<code>`).
pub fn cases_pieces_demandees() -> String {
    let cases: String = TypePiece::TOUS
        .iter()
        .map(|t| {
            format!(
                "<div class=\"champ case\"><input type=\"checkbox\" id=\"complement-piece-{code}\" name=\"piece_{code}\" value=\"1\">\
                 <label for=\"complement-piece-{code}\">{}</label></div>",
                e(t.libelle()),
                code = t.code()
            )
        })
        .collect();
    format!("<fieldset><legend>Pièces à fournir (facultatif)</legend>{cases}</fieldset>")
}

/// The piece types ticked in the request-for-information form.
pub fn pieces_cochees(champs: &std::collections::HashMap<String, String>) -> Vec<TypePiece> {
    TypePiece::TOUS
        .into_iter()
        .filter(|t| champs.contains_key(&format!("piece_{}", t.code())))
        .collect()
}
