//! `GET /activite` and the loading every answer of the page shares: the structure asked for
//! (within the user's perimeter), the exercise, the lists of the forms, the figures, the bilans
//! and the last sessions, gathered into the view model and handed to the template.

use activite::SuiviActivite;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::identifiants::GestionnaireId;
use maud::Markup;

use super::modele::{FiltreActivite, ListesSaisie, VueActivite, VueChiffres, VueEntretiens};
use super::{Choix, Retour, bilan, gabarit, saisit};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::session::Connecte;
use crate::vue;

const EXERCICE_PAR_DEFAUT: i32 = 2025;
/// Sessions listed at the bottom of the page.
const MONTRES: u32 = 50;

/// A structure the user may see: id, name, département.
struct Structure {
    id: GestionnaireId,
    nom: String,
    departement: String,
}

async fn structures(etat: &Etat, c: &Connecte) -> Result<Vec<Structure>, ErreurWeb> {
    Ok(etat
        .plateforme
        .gestionnaires(&c.acteur)
        .await?
        .into_iter()
        .map(|g| Structure {
            id: g.valeur.id,
            nom: g.valeur.raison_sociale,
            departement: g.valeur.departement_siege.to_string(),
        })
        .collect())
}

/// The exercise typed in the filter, or its error (then the default exercise is shown).
fn lire_exercice(texte: Option<&str>, erreurs: &mut Erreurs) -> i32 {
    let Some(t) = texte.map(str::trim).filter(|t| !t.is_empty()) else {
        return EXERCICE_PAR_DEFAUT;
    };
    match t.parse::<i32>().ok().filter(|a| (2024..=2026).contains(a)) {
        Some(a) => a,
        None => {
            erreurs.ajouter(
                "choix-exercice",
                format!("Exercice « {t} » : indiquez une année de 2024 à 2026"),
            );
            EXERCICE_PAR_DEFAUT
        }
    }
}

/// The structure asked for: one of the user's (else 403), the first one when none is asked for
/// or the value cannot be read (then an error on the filter's field).
fn lire_structure<'a>(
    texte: Option<&str>,
    liste: &'a [Structure],
    erreurs: &mut Erreurs,
) -> Result<Option<&'a Structure>, ErreurWeb> {
    let texte = texte.map(str::trim).filter(|t| !t.is_empty());
    match texte.map(|t| t.parse::<i64>()) {
        None => Ok(liste.first()),
        Some(Err(_)) => {
            erreurs.ajouter(
                "choix-structure",
                "Structure : choisissez une structure de la liste",
            );
            Ok(liste.first())
        }
        Some(Ok(id)) => liste
            .iter()
            .find(|s| s.id.0 == id)
            .map(Some)
            .ok_or(ErreurWeb::Interdit(
                "cette structure n'est pas dans votre périmètre".into(),
            )),
    }
}

/// The content of the page for `choix`, after the submission `retour`, and whether the filter
/// was refused.
pub(super) async fn rendre(
    etat: &Etat,
    c: &Connecte,
    choix: &Choix,
    retour: Retour,
) -> Result<(Markup, bool), ErreurWeb> {
    let liste = structures(etat, c).await?;
    let mut erreurs_filtre = Erreurs::default();
    let s = lire_structure(choix.structure.as_deref(), &liste, &mut erreurs_filtre)?;
    let exercice = lire_exercice(choix.exercice.as_deref(), &mut erreurs_filtre);
    let Some(s) = s else {
        return Ok((gabarit::sans_structure(), false));
    };
    let g = s.id;
    let filtre = (liste.len() > 1 || !erreurs_filtre.est_vide()).then(|| FiltreActivite {
        structures: liste
            .iter()
            .map(|x| (x.id.0.to_string(), format!("{} ({})", x.nom, x.departement)))
            .collect(),
        exercice_saisi: choix
            .exercice
            .clone()
            .unwrap_or_else(|| exercice.to_string()),
    });
    let filtre_refuse = !erreurs_filtre.est_vide();
    let mut erreurs = retour.erreurs.clone();
    erreurs.etendre(erreurs_filtre);
    let p = &etat.plateforme;
    let suivi = SuiviActivite::new(p);
    let saisie = if saisit(c) {
        Some(ListesSaisie {
            intervenants: p
                .intervenants(&c.acteur, g)
                .await?
                .into_iter()
                .map(|i| {
                    (
                        i.valeur.id.0.to_string(),
                        format!("{} {}", i.valeur.prenom, i.valeur.nom),
                    )
                })
                .collect(),
            lieux: p
                .lieux(&c.acteur, g)
                .await?
                .into_iter()
                .map(|l| (l.valeur.id.0.to_string(), l.valeur.nom))
                .collect(),
        })
    } else {
        None
    };
    let chiffres = suivi.chiffres_bilan(&c.acteur, g, exercice).await?;
    let bilans = bilan::bilans(etat, c, g, exercice, retour.bilan.as_ref()).await?;
    let entretiens = if saisit(c) {
        let derniers = suivi
            .derniers_entretiens(&c.acteur, g, exercice, MONTRES)
            .await?;
        Some(VueEntretiens::depuis(
            &derniers,
            chiffres.activite.entretiens,
        ))
    } else {
        None
    };
    let vue_activite = VueActivite {
        structure: g.0,
        nom: s.nom.clone(),
        exercice,
        filtre,
        erreurs,
        retour,
        saisie,
        chiffres: VueChiffres::depuis(&chiffres),
        bilans,
        entretiens,
    };
    Ok((gabarit::activite(c, &vue_activite), filtre_refuse))
}

/// `GET /activite`: a filter value that cannot be read is reported next to its field (422),
/// the page showing the default.
pub async fn page_activite(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<Choix>,
) -> Result<Response, ErreurWeb> {
    let (contenu, refuse) = rendre(&etat, &c, &choix, Retour::default()).await?;
    let (statut, titre) = if refuse {
        (StatusCode::UNPROCESSABLE_ENTITY, "Erreur – Activité")
    } else {
        (StatusCode::OK, "Activité")
    };
    Ok((
        statut,
        Html(vue::page(titre, Some(&c), "/activite", contenu).into_string()),
    )
        .into_response())
}
