//! `GET /tableau-de-bord`: reads the filter, loads the dashboard of the user's perimeter, the
//! experiment's progress, the bilans' completeness and the structures, and hands the view model
//! to the template.

use std::collections::BTreeMap;

use activite::{Niveau, SuiviActivite};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::acces::Role;
use domain::declaration::EtatTransmission;

use super::filtre::{Choix, Filtre};
use super::modele::{self, ChiffresCles, Completude, Departements, VueTableau};
use super::{EXERCICES, echeance_bilan, gabarit};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::session::Connecte;
use crate::vue;

/// The bilans expected, received, on time and validated for `exercice`, by département.
async fn completude(
    etat: &Etat,
    c: &Connecte,
    exercice: i32,
) -> Result<BTreeMap<String, Completude>, ErreurWeb> {
    let p = &etat.plateforme;
    let mut sortie: BTreeMap<String, Completude> = BTreeMap::new();
    let echeance = echeance_bilan(&p.parametres, exercice);
    for conv in p.conventions(&c.acteur).await? {
        let v = &conv.valeur;
        if v.debut.year() > exercice || v.fin.year() < exercice {
            continue;
        }
        let ligne = sortie.entry(v.departement.to_string()).or_default();
        ligne.attendus += 1;
        let bilans = p.bilans(&c.acteur, v.id).await?;
        if let Some(b) = bilans
            .iter()
            .map(|b| &b.valeur)
            .find(|b| b.exercice == exercice && b.etat() != EtatTransmission::Saisie)
        {
            ligne.recus += 1;
            if let (Some(t), Some(limite)) = (b.suivi.transmise_le, echeance)
                && t.date() <= limite
            {
                ligne.a_temps += 1;
            }
            if b.etat() == EtatTransmission::Validee {
                ligne.valides += 1;
            }
        }
    }
    Ok(sortie)
}

/// The experiment's progress, for the Cnaf, a Caf and a funder.
async fn avancement(
    etat: &Etat,
    c: &Connecte,
    t: &activite::TableauDeBord,
    exercice: i32,
) -> Result<super::avancement::Avancement, ErreurWeb> {
    let suivi = SuiviActivite::new(&etat.plateforme);
    let mut familles = 0;
    for annee in EXERCICES {
        familles += if annee == exercice {
            t.ensemble.familles_distinctes_structure_annee
        } else {
            suivi
                .tableau_de_bord(&c.acteur, annee)
                .await?
                .ensemble
                .familles_distinctes_structure_annee
        };
    }
    let situations = etat.plateforme.situations(&c.acteur).await?;
    let national = domain::experimentation::ENVELOPPE_NATIONALE.centimes();
    let caf: Vec<(String, i64, i64, i64)> = situations
        .iter()
        .map(|s| {
            let s = s.situation;
            (
                s.departement.as_str().to_owned(),
                s.allocation.centimes(),
                s.engage.centimes(),
                s.paye.centimes(),
            )
        })
        .collect();
    let engage = caf.iter().map(|l| l.2).sum();
    let paye = caf.iter().map(|l| l.3).sum();
    Ok(super::avancement::construire(
        familles, &caf, engage, paye, national,
    ))
}

/// `GET /tableau-de-bord`. A filter value out of its list is reported next to its field (422),
/// the page showing the defaults.
pub async fn page_tableau(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<Choix>,
) -> Result<Response, ErreurWeb> {
    let filtre = Filtre::lire(&choix);
    let exercice = filtre.exercice;
    let suivi = SuiviActivite::new(&etat.plateforme);
    let t = suivi.tableau_de_bord(&c.acteur, exercice).await?;
    let territoires = matches!(c.acteur.role, Role::Cnaf | Role::Caf | Role::Financeur);
    let avancement = match territoires {
        true => Some(avancement(&etat, &c, &t, exercice).await?),
        false => None,
    };
    let departements = match territoires {
        true => Some(Departements {
            titre_carte: modele::libelle_carte(filtre.indicateur),
            valeurs: modele::valeurs_carte(&t.par_departement, filtre.indicateur),
            echeance: echeance_bilan(&etat.plateforme.parametres, exercice),
            lignes: modele::lignes_departements(
                &t.par_departement,
                &completude(&etat, &c, exercice).await?,
            ),
        }),
        false => None,
    };
    let structures = if c.acteur.role == Role::Cnaf {
        None
    } else {
        let indicateurs = suivi
            .indicateurs(&c.acteur, Niveau::Structure, exercice)
            .await?;
        let noms: BTreeMap<i64, String> = etat
            .plateforme
            .gestionnaires(&c.acteur)
            .await?
            .into_iter()
            .map(|g| (g.valeur.id.0, g.valeur.raison_sociale))
            .collect();
        Some(modele::lignes_structures(&indicateurs, &noms))
    };
    let a = &t.ensemble;
    let vue_tableau = VueTableau {
        exercice,
        perimetre: t.perimetre.clone(),
        cles: ChiffresCles {
            entretiens: a.entretiens,
            familles: a.familles_distinctes_structure_annee,
            heures: a.heures(),
            orientes: a.entretiens_orientes,
        },
        indicateurs: modele::lignes_indicateurs(&t.indicateurs),
        mois: modele::lignes_mois(&t),
        cible_mensuelle: modele::cible_mensuelle(&t),
        avancement,
        departements,
        structures,
    };
    let titre = filtre.erreurs.titre("Tableau de bord de l'activité");
    let statut = if filtre.erreurs.est_vide() {
        StatusCode::OK
    } else {
        filtre.erreurs.statut()
    };
    let contenu = gabarit::tableau_de_bord(&vue_tableau, &filtre);
    Ok((
        statut,
        Html(vue::page(&titre, Some(&c), "/tableau-de-bord", contenu).into_string()),
    )
        .into_response())
}
