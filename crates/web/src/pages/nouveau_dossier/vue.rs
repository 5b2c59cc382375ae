//! The template of the new project form: the call, the project's texts, FTE, period, forecast
//! budget, the financing plan by funder, and what was typed when it was refused.

use app::Plateforme;
use maud::{Markup, html};

use super::{PREFIXE_FINANCEUR, Saisie, structures};
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::fr;
use crate::pages::dossiers::{champs_cadre, champs_objet};
use crate::session::Connecte;

/// The financing plan's fields: the Caf, then each partner funder of the user's structures'
/// départements, by name.
async fn champs_plan(
    p: &Plateforme,
    structures: &[domain::structures::Gestionnaire],
    s: &Saisie,
    x: &Erreurs,
) -> Result<Markup, ErreurWeb> {
    let departements: Vec<_> = structures.iter().map(|g| g.departement_siege).collect();
    let financeurs = p.financeurs_des_departements(&departements).await?;
    Ok(html! {
        fieldset {
            legend { "Plan de financement" }
            p class="aide" {
                "Le montant demandé à chaque financeur ; chacun décide du sien. Le total est comparé au budget prévisionnel."
            }
            (Champ::new("demande_caf", "Montant demandé à la Caf (€)")
                .aide("Pour les dispositifs décidés par montant (REAAP, CLAS, LAEP…), au moins un montant demandé")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.demande_caf))
            @for f in &financeurs {
                @let nom = format!("{PREFIXE_FINANCEUR}{}", f.id);
                @let libelle = format!("Montant demandé à {} (€)", f.nom);
                (Champ::new(&nom, &libelle)
                    .erreurs(x)
                    .clavier(Clavier::Decimal)
                    .texte(s.demandes_financeurs.get(&nom).map_or("", String::as_str)))
            }
        }
    })
}

pub(super) async fn rendre(
    p: &Plateforme,
    c: &Connecte,
    s: &Saisie,
    x: &Erreurs,
) -> Result<Markup, ErreurWeb> {
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let mes_structures = structures(p, c).await?;
    if mes_structures.is_empty() {
        return Ok(html! {
            h1 { "Nouveau projet de fonctionnement" }
            (x.resume())
            div class="encadre alerte" role="status" {
                p { "Votre compte n'est rattaché à aucune structure : inscrivez d'abord la vôtre." }
                p { a class="bouton" href="/structures/inscription" { "Inscrire une structure" } }
            }
        });
    }
    // A structure answers the calls of the Caf of its head office's département.
    let appels: Vec<_> = p
        .appels(&c.acteur)
        .await?
        .into_iter()
        .filter(|a| a.valeur.est_ouvert(aujourd_hui))
        .filter(|a| {
            mes_structures
                .iter()
                .any(|g| g.departement_siege == a.valeur.departement)
        })
        .collect();
    let entete = html! {
        h1 { "Nouveau projet de fonctionnement" }
        (x.resume())
        p {
            "Avant de déposer, vérifiez l'éligibilité de votre structure telle que la Caf l'examinera : "
            @for (rang, g) in mes_structures.iter().enumerate() {
                @if rang > 0 { ", " }
                a href={ "/structures/" (g.id) } { (g.raison_sociale) }
            }
            "."
        }
    };
    if appels.is_empty() {
        return Ok(html! {
            (entete)
            div class="encadre alerte" role="status" {
                p { "Aucun appel à projets n'est ouvert aujourd'hui pour votre territoire : un projet ne peut être déposé qu'en réponse à un appel ouvert." }
            }
        });
    }
    let options: Vec<(String, String)> = appels
        .iter()
        .map(|a| {
            (
                a.valeur.id.to_string(),
                format!(
                    "{} (période du {} au {}, dépôt jusqu'au {})",
                    a.valeur.intitule,
                    fr::date(a.valeur.debut_periode),
                    fr::date(a.valeur.fin_periode),
                    fr::date(a.valeur.cloture)
                ),
            )
        })
        .collect();
    let options: Vec<(&str, &str)> = options
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let choix_structures: Vec<(String, String)> = mes_structures
        .iter()
        .map(|g| (g.id.to_string(), g.raison_sociale.clone()))
        .collect();
    let choix_structures: Vec<(&str, &str)> = choix_structures
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let appel_choisi = if s.appel.is_empty() {
        options.first().map_or("", |(a, _)| *a)
    } else {
        s.appel.as_str()
    };
    let plan = champs_plan(p, &mes_structures, s, x).await?;
    Ok(html! {
        (entete)
        form method="post" action="/dossiers/nouveau" novalidate {
            (crate::vue::champ_csrf(c))
            @if mes_structures.len() > 1 {
                (Champ::new("gestionnaire", "Structure qui porte le projet")
                    .erreurs(x)
                    .liste(&choix_structures, &s.gestionnaire))
            } @else if let Some(g) = mes_structures.first() {
                input type="hidden" name="gestionnaire" value=(g.id);
            }
            (Champ::new("appel", "Appel à projets").erreurs(x).liste(&options, appel_choisi))
            (champs_objet(x, "Intitulé du projet", &s.intitule, &s.objectifs, &s.moyens))
            (Champ::new("etp_demandes", "Nombre d'ETP affectés à la mission")
                .aide("AIP : au moins 0,25 ; facultatif pour les dispositifs décidés par montant")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.etp_demandes))
            (Champ::new("debut", "Début du projet")
                .aide("Dans la période de l'appel à projets")
                .erreurs(x)
                .saisie("date", &s.debut))
            (Champ::new("fin", "Fin du projet")
                .aide("Dans la période de l'appel à projets")
                .erreurs(x)
                .saisie("date", &s.fin))
            (Champ::new("charges", "Total des charges prévues (€)")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.charges))
            (Champ::new("produits", "Total des produits prévus (€)")
                .aide("Le budget est équilibré : produits égaux aux charges, subventions demandées comprises")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.produits))
            (champs_cadre(
                x,
                &s.modalites_evaluation,
                &s.diagnostic_local,
                &s.partenaires,
                &s.information_familles,
            ))
            (plan)
            button type="submit" { "Enregistrer le brouillon" }
        }
        p class="aide" {
            "Le brouillon enregistré, vous le relisez puis le déposez depuis sa page ; les lieux d'accueil de la structure y sont joints."
        }
    })
}
