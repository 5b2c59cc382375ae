//! The templates of the commitments: where each stands, the list the decision screen shows, and
//! the section of a structure's page with the gestionnaire's or the Caf's form.

use domain::acces::Role;
use domain::pieces::Piece;
use domain::structures::{AvisCaf, Engagement, EtatEngagement, Gestionnaire, Lieu};
use maud::{Markup, html};
use store::depot::Lu;

use super::{SaisieEngagements, id, valeur};
use crate::formulaire::{Champ, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::champ_csrf;

/// Where a commitment stands, in words: the last attestation and the last check.
pub fn situation(g: &Gestionnaire, engagement: Engagement) -> Markup {
    let etat = g.engagements.etat(engagement);
    let suivi = g.engagements.suivi(engagement);
    let classe = match etat {
        EtatEngagement::Controle(AvisCaf::Conforme) => "badge succes",
        EtatEngagement::Controle(AvisCaf::NonConforme) => "badge",
        _ => "badge alerte",
    };
    html! {
        span class=(classe) { (etat.libelle()) }
        @if let Some(a) = suivi.and_then(|s| s.attestation.as_ref()) {
            " Attesté " (if a.respecte { "respecté" } else { "non respecté" }) " le " (fr::date(a.date))
            " : « " (a.declaration) " »"
            @if let Some(p) = a.piece {
                " (" a href={ "/structures/" (g.id) "#piece-" (p) } { "pièce justificative n°" (p) } ")"
            }
            "."
        }
        @if let Some(c) = suivi.and_then(|s| s.controle.as_ref()) {
            " Contrôle de la Caf du " (fr::date(c.le.date())) " : " (c.avis.libelle())
            @if let Some(m) = &c.commentaire { " – " (m) }
            "."
        }
    }
}

/// The commitments and where each stands, as a list (the decision screen, and readers of the
/// structure page).
pub fn liste_engagements(g: &Gestionnaire) -> Markup {
    html! {
        ul.engagements {
            @for engagement in g.engagements_applicables() {
                li {
                    strong { (engagement.libelle()) } " " span.aide { "(" (engagement.source()) ")" }
                    br;
                    (situation(g, engagement))
                }
            }
        }
    }
}

/// The sites that offer both appointments and walk-in hours (Référentiel national de financement
/// de l'AIP, §II.1), as a hint beside those two commitments.
fn indice_lieux(engagement: Engagement, lieux: &[Lu<Lieu>]) -> Markup {
    if !matches!(
        engagement,
        Engagement::AccueilSurRendezVous | Engagement::PermanenceSansRendezVous
    ) {
        return html! {};
    }
    let les_deux = lieux
        .iter()
        .filter(|l| l.valeur.offre_rendez_vous_et_permanence())
        .count();
    html! {
        p.aide {
            "D'après les lieux d'accueil enregistrés : " (les_deux) " sur " (lieux.len())
            " propose(nt) à la fois des entretiens sur rendez-vous et une permanence sans rendez-vous."
        }
    }
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
) -> Markup {
    let structure = &g.valeur;
    let gestionnaire =
        c.acteur.role == Role::Gestionnaire && c.acteur.gestionnaires.contains(&structure.id);
    let caf =
        c.acteur.role == Role::Caf && c.acteur.departements.contains(&structure.departement_siege);
    html! {
        h2 #engagements { "Engagements (AIP)" }
        p {
            "Le référentiel national de financement de l'AIP demande à la structure de tenir ces engagements. "
            "Le gestionnaire atteste chacun d'eux ; la Caf du département contrôle chaque attestation. "
            "Le comité ne valide un projet AIP que si la Caf les a tous contrôlés conformes, sauf dérogation motivée."
        }
        @if gestionnaire {
            (formulaire_attestation(c, g, lieux, pieces, saisie, x))
        } @else if caf {
            (formulaire_controle(c, g, lieux, saisie, x))
        } @else {
            (liste_engagements(structure))
        }
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

/// A commitment's legend: its name and source.
fn legende(engagement: Engagement) -> Markup {
    html! { legend { (engagement.libelle()) " " span.aide { "(" (engagement.source()) ")" } } }
}

fn formulaire_attestation(
    c: &Connecte,
    g: &Lu<Gestionnaire>,
    lieux: &[Lu<Lieu>],
    pieces: &[Piece],
    saisie: Option<&SaisieEngagements>,
    x: &Erreurs,
) -> Markup {
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
    html! {
        form method="post" action={ "/structures/" (structure.id) "/engagements" } novalidate {
            (champ_csrf(c))
            input type="hidden" name="version" value=(g.version);
            p.aide {
                "Seuls les engagements pour lesquels vous choisissez « Respecté » ou « Non respecté » sont enregistrés ; une nouvelle attestation devra être contrôlée à nouveau par la Caf."
            }
            @for engagement in structure.engagements_applicables() {
                @let (respecte, declaration, date, piece) = (
                    id("respecte", engagement),
                    id("declaration", engagement),
                    id("date", engagement),
                    id("piece", engagement),
                );
                @let piece_choisie = match valeur(saisie, &piece) {
                    "" if saisie.is_none() => structure
                        .engagements
                        .suivi(engagement)
                        .and_then(|s| s.attestation.as_ref())
                        .and_then(|a| a.piece)
                        .map_or(String::new(), |p| p.to_string()),
                    v => v.to_owned(),
                };
                @let date_saisie = match valeur(saisie, &date) {
                    "" => aujourd_hui.as_str(),
                    v => v,
                };
                fieldset {
                    (legende(engagement))
                    p { (situation(structure, engagement)) }
                    (indice_lieux(engagement, lieux))
                    (Champ::new(&respecte, "Votre attestation").erreurs(x).liste(&choix, valeur(saisie, &respecte)))
                    (Champ::new(&declaration, "Déclaration")
                        .aide("Comment l'engagement est tenu, ou pourquoi il ne l'est pas")
                        .erreurs(x).zone(valeur(saisie, &declaration)))
                    (Champ::new(&date, "Date de l'attestation").erreurs(x).saisie("date", date_saisie))
                    (Champ::new(&piece, "Pièce justificative")
                        .aide("Un document joint à la structure, dans « Pièces justificatives » ci-dessous (charte signée, attestation…)")
                        .erreurs(x).liste(&choix_pieces, &piece_choisie))
                }
            }
            button type="submit" { "Enregistrer les attestations" }
        }
    }
}

fn formulaire_controle(
    c: &Connecte,
    g: &Lu<Gestionnaire>,
    lieux: &[Lu<Lieu>],
    saisie: Option<&SaisieEngagements>,
    x: &Erreurs,
) -> Markup {
    let structure = &g.valeur;
    let avis: Vec<(&str, &str)> = std::iter::once(("", "Pas de changement"))
        .chain(AvisCaf::TOUS.iter().map(|a| (a.code(), a.libelle())))
        .collect();
    let (non_attestes, a_controler): (Vec<Engagement>, Vec<Engagement>) = structure
        .engagements_applicables()
        .into_iter()
        .partition(|e| structure.engagements.etat(*e) == EtatEngagement::NonAtteste);
    html! {
        @if a_controler.is_empty() {
            p { "Aucune attestation à contrôler." }
        } @else {
            form method="post" action={ "/structures/" (structure.id) "/engagements/controle" } novalidate {
                (champ_csrf(c))
                input type="hidden" name="version" value=(g.version);
                @for engagement in &a_controler {
                    @let (avis_id, commentaire) = (id("avis", *engagement), id("commentaire", *engagement));
                    fieldset {
                        (legende(*engagement))
                        p { (situation(structure, *engagement)) }
                        (indice_lieux(*engagement, lieux))
                        (Champ::new(&avis_id, "Contrôle de la Caf").erreurs(x).liste(&avis, valeur(saisie, &avis_id)))
                        (Champ::new(&commentaire, "Commentaire")
                            .aide("Obligatoire si non conforme ou à vérifier")
                            .erreurs(x).zone(valeur(saisie, &commentaire)))
                    }
                }
                button type="submit" { "Enregistrer les contrôles" }
            }
        }
        @if !non_attestes.is_empty() {
            p { "Pas encore attestés par le gestionnaire :" }
            ul {
                @for engagement in &non_attestes {
                    li { (engagement.libelle()) " " span.aide { "(" (engagement.source()) ")" } }
                }
            }
        }
    }
}
