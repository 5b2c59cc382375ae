//! The AIP commitments of a structure on its page (Référentiel national de financement de l'AIP,
//! §I.3, §I.4, §II.1, §II.2, §III.3, §IV.1, §IV.2): the gestionnaire attests them in one form
//! (one fieldset per commitment, those left blank unchanged), a Caf agent of the département
//! checks the attestations in another, everyone else reads where each stands. Also the summary
//! of the commitments the comité's decision screen shows.

use app::Plateforme;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Refus;
use domain::acces::Role;
use domain::identifiants::GestionnaireId;
use domain::pieces::{ObjetPiece, Piece};
use domain::structures::{
    AvisCaf, Engagement, EtatEngagement, Gestionnaire, Lieu, SaisieAttestation, SaisieControle,
};
use store::depot::Lu;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Erreurs};
use crate::fr;
use crate::rendu::{csrf, e};
use crate::session::Connecte;

/// What was typed in a form of this section: `(name, value)` pairs, the names carrying the
/// commitment's code (`declaration_conformite_rgpd`).
pub type SaisieEngagements = Vec<(String, String)>;

fn valeur<'a>(saisie: Option<&'a SaisieEngagements>, nom: &str) -> &'a str {
    saisie
        .and_then(|s| s.iter().find(|(n, _)| n == nom))
        .map_or("", |(_, v)| v.as_str())
}

/// The field ids of a commitment in the forms.
fn id(prefixe: &str, engagement: Engagement) -> String {
    format!("{prefixe}_{}", engagement.code())
}

/// Where a commitment stands, in words: the last attestation and the last check.
pub fn situation(g: &Gestionnaire, engagement: Engagement) -> String {
    let etat = g.engagements.etat(engagement);
    let suivi = g.engagements.suivi(engagement);
    let attestation = suivi
        .and_then(|s| s.attestation.as_ref())
        .map_or(String::new(), |a| {
            format!(
                " Attesté {} le {} : « {} »{}.",
                if a.respecte {
                    "respecté"
                } else {
                    "non respecté"
                },
                fr::date(a.date),
                e(&a.declaration),
                a.piece.map_or(String::new(), |p| format!(
                    " (<a href=\"/structures/{}#piece-{p}\">pièce justificative n°{p}</a>)",
                    g.id
                ))
            )
        });
    let controle = suivi
        .and_then(|s| s.controle.as_ref())
        .map_or(String::new(), |c| {
            format!(
                " Contrôle de la Caf du {} : {}{}.",
                fr::date(c.le.date()),
                c.avis.libelle(),
                c.commentaire
                    .as_ref()
                    .map_or(String::new(), |m| format!(" – {}", e(m)))
            )
        });
    let classe = match etat {
        EtatEngagement::Controle(AvisCaf::Conforme) => "badge succes",
        EtatEngagement::Controle(AvisCaf::NonConforme) => "badge",
        _ => "badge alerte",
    };
    format!(
        "<span class=\"{classe}\">{}</span>{attestation}{controle}",
        e(etat.libelle())
    )
}

/// The commitments and where each stands, as a list (the decision screen, and readers of the
/// structure page).
pub fn liste(g: &Gestionnaire) -> String {
    let items: String = g
        .engagements_applicables()
        .into_iter()
        .map(|engagement| {
            format!(
                "<li><strong>{}</strong> <span class=\"aide\">({})</span><br>{}</li>",
                e(engagement.libelle()),
                e(&engagement.source()),
                situation(g, engagement)
            )
        })
        .collect();
    format!("<ul class=\"engagements\">{items}</ul>")
}

/// The sites that offer both appointments and walk-in hours (Référentiel national de financement
/// de l'AIP, §II.1), as a hint beside those two commitments.
fn indice_lieux(engagement: Engagement, lieux: &[Lu<Lieu>]) -> String {
    if !matches!(
        engagement,
        Engagement::AccueilSurRendezVous | Engagement::PermanenceSansRendezVous
    ) {
        return String::new();
    }
    let les_deux = lieux
        .iter()
        .filter(|l| l.valeur.offre_rendez_vous_et_permanence())
        .count();
    format!(
        "<p class=\"aide\">D'après les lieux d'accueil enregistrés : {les_deux} sur {} propose(nt) à la fois des entretiens sur rendez-vous et une permanence sans rendez-vous.</p>",
        lieux.len()
    )
}

/// The « Engagements (AIP) » section of a structure's page: the gestionnaire's form, the Caf's
/// form, or the list alone.
pub fn section(
    c: &Connecte,
    g: &Lu<Gestionnaire>,
    lieux: &[Lu<Lieu>],
    pieces: &[Piece],
    saisie: Option<&SaisieEngagements>,
    x: &Erreurs,
) -> String {
    let structure = &g.valeur;
    let intro = "<h2 id=\"engagements\">Engagements (AIP)</h2>\
        <p>Le référentiel national de financement de l'AIP demande à la structure de tenir ces engagements. \
        Le gestionnaire atteste chacun d'eux ; la Caf du département contrôle chaque attestation. \
        Le comité ne valide un projet AIP que si la Caf les a tous contrôlés conformes, sauf dérogation motivée.</p>";
    let gestionnaire =
        c.acteur.role == Role::Gestionnaire && c.acteur.gestionnaires.contains(&structure.id);
    let caf =
        c.acteur.role == Role::Caf && c.acteur.departements.contains(&structure.departement_siege);
    if gestionnaire {
        format!(
            "{intro}{}",
            formulaire_attestation(c, g, lieux, pieces, saisie, x)
        )
    } else if caf {
        format!("{intro}{}", formulaire_controle(c, g, lieux, saisie, x))
    } else {
        format!("{intro}{}", liste(structure))
    }
}

/// The structure's pieces a commitment can rest on, as choices: `(id, « type – file (vN) »)`.
fn choix_pieces(pieces: &[Piece]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "Aucune".to_owned()))
        .chain(pieces.iter().filter_map(|p| {
            p.derniere().map(|v| {
                (
                    p.id.0.to_string(),
                    format!(
                        "{} – {} (version {})",
                        p.type_piece.libelle(),
                        v.nom_fichier,
                        v.numero
                    ),
                )
            })
        }))
        .collect()
}

fn formulaire_attestation(
    c: &Connecte,
    g: &Lu<Gestionnaire>,
    lieux: &[Lu<Lieu>],
    pieces: &[Piece],
    saisie: Option<&SaisieEngagements>,
    x: &Erreurs,
) -> String {
    let structure = &g.valeur;
    let choix_pieces = choix_pieces(pieces);
    let choix_pieces: Vec<(&str, &str)> = choix_pieces
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let aujourd_hui = time::OffsetDateTime::now_utc().date().to_string();
    let choix = [
        ("", "Ne pas attester maintenant"),
        ("oui", "Respecté"),
        ("non", "Non respecté"),
    ];
    let blocs: String = structure
        .engagements_applicables()
        .into_iter()
        .map(|engagement| {
            let (respecte, declaration, date, piece) = (
                id("respecte", engagement),
                id("declaration", engagement),
                id("date", engagement),
                id("piece", engagement),
            );
            let piece_choisie = match valeur(saisie, &piece) {
                "" if saisie.is_none() => structure
                    .engagements
                    .suivi(engagement)
                    .and_then(|s| s.attestation.as_ref())
                    .and_then(|a| a.piece)
                    .map_or(String::new(), |p| p.to_string()),
                v => v.to_owned(),
            };
            let date_saisie = match valeur(saisie, &date) {
                "" => aujourd_hui.as_str(),
                v => v,
            };
            format!(
                "<fieldset><legend>{} <span class=\"aide\">({})</span></legend><p>{}</p>{}{}{}{}{}</fieldset>",
                e(engagement.libelle()),
                e(&engagement.source()),
                situation(structure, engagement),
                indice_lieux(engagement, lieux),
                Champ::new(&respecte, "Votre attestation")
                    .erreurs(x)
                    .liste(&choix, valeur(saisie, &respecte)).into_string(),
                Champ::new(&declaration, "Déclaration")
                    .aide("Comment l'engagement est tenu, ou pourquoi il ne l'est pas")
                    .erreurs(x)
                    .zone(valeur(saisie, &declaration)).into_string(),
                Champ::new(&date, "Date de l'attestation")
                    .erreurs(x)
                    .saisie("date", date_saisie).into_string(),
                Champ::new(&piece, "Pièce justificative")
                    .aide("Un document joint à la structure, dans « Pièces justificatives » ci-dessous (charte signée, attestation…)")
                    .erreurs(x)
                    .liste(&choix_pieces, &piece_choisie).into_string(),
            )
        })
        .collect();
    format!(
        "<form method=\"post\" action=\"/structures/{}/engagements\" novalidate>{}\
         <input type=\"hidden\" name=\"version\" value=\"{}\">\
         <p class=\"aide\">Seuls les engagements pour lesquels vous choisissez « Respecté » ou « Non respecté » sont enregistrés ; une nouvelle attestation devra être contrôlée à nouveau par la Caf.</p>\
         {blocs}<button type=\"submit\">Enregistrer les attestations</button></form>",
        structure.id,
        csrf(c),
        g.version
    )
}

fn formulaire_controle(
    c: &Connecte,
    g: &Lu<Gestionnaire>,
    lieux: &[Lu<Lieu>],
    saisie: Option<&SaisieEngagements>,
    x: &Erreurs,
) -> String {
    let structure = &g.valeur;
    let avis: Vec<(&str, &str)> = std::iter::once(("", "Pas de changement"))
        .chain(AvisCaf::TOUS.iter().map(|a| (a.code(), a.libelle())))
        .collect();
    let mut non_attestes = Vec::new();
    let blocs: String = structure
        .engagements_applicables()
        .into_iter()
        .filter_map(|engagement| {
            if structure.engagements.etat(engagement) == EtatEngagement::NonAtteste {
                non_attestes.push(format!(
                    "<li>{} <span class=\"aide\">({})</span></li>",
                    e(engagement.libelle()),
                    e(&engagement.source())
                ));
                return None;
            }
            let (avis_id, commentaire) = (id("avis", engagement), id("commentaire", engagement));
            Some(format!(
                "<fieldset><legend>{} <span class=\"aide\">({})</span></legend><p>{}</p>{}{}{}</fieldset>",
                e(engagement.libelle()),
                e(&engagement.source()),
                situation(structure, engagement),
                indice_lieux(engagement, lieux),
                Champ::new(&avis_id, "Contrôle de la Caf")
                    .erreurs(x)
                    .liste(&avis, valeur(saisie, &avis_id)).into_string(),
                Champ::new(&commentaire, "Commentaire")
                    .aide("Obligatoire si non conforme ou à vérifier")
                    .erreurs(x)
                    .zone(valeur(saisie, &commentaire)).into_string(),
            ))
        })
        .collect();
    let non_attestes = if non_attestes.is_empty() {
        String::new()
    } else {
        format!(
            "<p>Pas encore attestés par le gestionnaire :</p><ul>{}</ul>",
            non_attestes.concat()
        )
    };
    let formulaire = if blocs.is_empty() {
        "<p>Aucune attestation à contrôler.</p>".to_owned()
    } else {
        format!(
            "<form method=\"post\" action=\"/structures/{}/engagements/controle\" novalidate>{}\
             <input type=\"hidden\" name=\"version\" value=\"{}\">{blocs}\
             <button type=\"submit\">Enregistrer les contrôles</button></form>",
            structure.id,
            csrf(c),
            g.version
        )
    };
    format!("{formulaire}{non_attestes}")
}

/// The csrf token and version of a submitted form of this section.
fn entete(saisie: &SaisieEngagements) -> (Option<&str>, Option<i64>) {
    let csrf = saisie
        .iter()
        .find(|(n, _)| n == "_csrf")
        .map(|(_, v)| v.as_str());
    let version = saisie
        .iter()
        .find(|(n, _)| n == "version")
        .and_then(|(_, v)| v.trim().parse().ok());
    (csrf, version)
}

/// The error of a refused attestation, on the field it is about.
fn erreur_attestation(x: &mut Erreurs, engagement: Engagement, r: &Refus) {
    let champ = match r {
        Refus::Invalide { raison, .. } if raison.contains("date") => id("date", engagement),
        _ => id("declaration", engagement),
    };
    let message = match r {
        Refus::Incomplet { .. } => "Déclaration : à remplir pour attester l'engagement".to_owned(),
        autre => autre.to_string(),
    };
    x.ajouter(&champ, message);
}

async fn refuser(
    p: &Plateforme,
    c: &Connecte,
    id: i64,
    saisie: &SaisieEngagements,
    x: Erreurs,
) -> Result<Response, ErreurWeb> {
    Ok((
        x.statut(),
        Html(super::structures::rendre_fiche(p, c, id, None, None, Some(saisie), &x).await?),
    )
        .into_response())
}

/// `POST /structures/{id}/engagements`: the gestionnaire attests commitments.
pub async fn attester(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id_structure): Path<i64>,
    Form(saisie): Form<SaisieEngagements>,
) -> Result<Response, ErreurWeb> {
    let (jeton, version) = entete(&saisie);
    c.verifier_csrf(jeton)?;
    let p = &etat.plateforme;
    let g = p
        .gestionnaire(&c.acteur, GestionnaireId(id_structure))
        .await?;
    let pieces = p
        .pieces_de(
            &c.acteur,
            ObjetPiece::Gestionnaire(GestionnaireId(id_structure)),
        )
        .await?;
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let mut x = Erreurs::default();
    let mut attestations = Vec::new();
    for engagement in g.valeur.engagements_applicables() {
        let respecte = match valeur(Some(&saisie), &id("respecte", engagement)) {
            "oui" => true,
            "non" => false,
            _ => {
                if !valeur(Some(&saisie), &id("declaration", engagement))
                    .trim()
                    .is_empty()
                {
                    x.ajouter(
                        &id("respecte", engagement),
                        "Votre attestation : choisissez « Respecté » ou « Non respecté » pour enregistrer la déclaration",
                    );
                }
                continue;
            }
        };
        let texte_date = valeur(Some(&saisie), &id("date", engagement)).trim();
        let Ok(date) = Date::parse(texte_date, format_description!("[year]-[month]-[day]")) else {
            x.ajouter(
                &id("date", engagement),
                format!("Date de l'attestation : « {texte_date} » n'est pas une date (jj/mm/aaaa)"),
            );
            continue;
        };
        let piece = match valeur(Some(&saisie), &id("piece", engagement)).trim() {
            "" => None,
            texte => match texte.parse::<i64>() {
                Ok(n) if pieces.iter().any(|p| p.id.0 == n) => u64::try_from(n).ok(),
                _ => {
                    x.ajouter(
                        &id("piece", engagement),
                        "Pièce justificative : choisissez un document joint à la structure",
                    );
                    continue;
                }
            },
        };
        let attestation = SaisieAttestation {
            respecte,
            declaration: valeur(Some(&saisie), &id("declaration", engagement)).to_owned(),
            date,
            piece,
        };
        match attestation.verifier(aujourd_hui) {
            Ok(_) => attestations.push((engagement, attestation)),
            Err(r) => erreur_attestation(&mut x, engagement, &r),
        }
    }
    if x.est_vide() && attestations.is_empty() {
        x.ajouter(
            "",
            "Aucun engagement attesté : choisissez « Respecté » ou « Non respecté » pour au moins un engagement",
        );
    }
    if !x.est_vide() {
        return refuser(p, &c, id_structure, &saisie, x).await;
    }
    match p
        .attester_engagements(
            &c.acteur,
            GestionnaireId(id_structure),
            version,
            attestations,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/structures/{id_structure}#engagements")).into_response())
        }
        Err(a) => {
            refuser(
                p,
                &c,
                id_structure,
                &saisie,
                Erreurs::depuis_app(a, &[], "")?,
            )
            .await
        }
    }
}

/// `POST /structures/{id}/engagements/controle`: a Caf agent checks attestations.
pub async fn controler(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id_structure): Path<i64>,
    Form(saisie): Form<SaisieEngagements>,
) -> Result<Response, ErreurWeb> {
    let (jeton, version) = entete(&saisie);
    c.verifier_csrf(jeton)?;
    let p = &etat.plateforme;
    let g = p
        .gestionnaire(&c.acteur, GestionnaireId(id_structure))
        .await?;
    let mut x = Erreurs::default();
    let mut controles = Vec::new();
    for engagement in g.valeur.engagements_applicables() {
        let Some(avis) = AvisCaf::depuis_code(valeur(Some(&saisie), &id("avis", engagement)))
        else {
            continue;
        };
        let controle = SaisieControle {
            avis,
            commentaire: valeur(Some(&saisie), &id("commentaire", engagement)).to_owned(),
        };
        match controle.verifier() {
            Ok(_) => controles.push((engagement, controle)),
            Err(r) => x.ajouter(
                &id("commentaire", engagement),
                match r {
                    Refus::Incomplet { .. } => {
                        "Commentaire : obligatoire pour un engagement non conforme ou à vérifier"
                            .to_owned()
                    }
                    autre => autre.to_string(),
                },
            ),
        }
    }
    if x.est_vide() && controles.is_empty() {
        x.ajouter(
            "",
            "Aucun contrôle saisi : choisissez un avis pour au moins un engagement",
        );
    }
    if !x.est_vide() {
        return refuser(p, &c, id_structure, &saisie, x).await;
    }
    match p
        .controler_engagements(
            &c.acteur,
            GestionnaireId(id_structure),
            version,
            controles,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/structures/{id_structure}#engagements")).into_response())
        }
        Err(a) => {
            refuser(
                p,
                &c,
                id_structure,
                &saisie,
                Erreurs::depuis_app(a, &[], "")?,
            )
            .await
        }
    }
}
