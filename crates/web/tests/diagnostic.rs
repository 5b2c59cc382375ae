//! The departmental coordination through the web application, on both engines: places recorded
//! by a gestionnaire and listed by a REAAP project make the REAAP offer once the comité
//! validates it (not before); the diagnosis lists and maps the communes with no place within
//! 10 km, checked against a distance computed for every commune and every place; the CSV gives
//! the same; the action and communication plans are written by the Caf's agent only, every
//! error next to its field.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use std::collections::BTreeSet;

use axum::http::{StatusCode, header};
use domain::Acteur;
use domain::appel_a_projets::Dispositif;
use domain::identifiants::{CodeDepartement, UtilisateurId};
use domain::territoire::Communes;
use domain::territoire::couverture::distance_km;
use web::Etat;

use aide::{Session, get, post};
use commun::{Demo, Page, demo_du_moteur};

/// One demonstration per engine for the whole file.
fn demo() -> &'static Demo {
    demo_du_moteur("diagnostic")
}

async fn connecter(r: &axum::Router, email: &str) -> Session {
    aide::session(r, email, &demo().mots_de_passe[email]).await
}

/// The INSEE codes of the first column of the table following the heading `#id`.
fn codes_du_tableau(page: &Page, id: &str) -> BTreeSet<String> {
    page.lignes(&format!("#{id} + table"))
        .into_iter()
        .filter(|l| l.len() > 1 && l[0] != "Code INSEE")
        .map(|l| l[0].clone())
        .collect()
}

sur_les_deux_moteurs!(les_communes_sans_lieu_a_moins_de_10_km_sont_listees_et_cartographiees);
async fn les_communes_sans_lieu_a_moins_de_10_km_sont_listees_et_cartographiees() {
    let d = demo();
    let plateforme = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let d38 = CodeDepartement::parse("38").unwrap();
    let communes = Communes::embarquees().unwrap();
    let code_de = |nom: &str| {
        communes
            .du_departement(d38)
            .find(|c| c.nom == nom)
            .unwrap()
            .code
            .as_str()
            .to_owned()
    };
    let agent = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let adresse = "/coordination/diagnostic?departement=38&dispositif=reaap&rayon=10";

    // The communes of the département with no place of `offre` within 10 km, computed here by
    // a distance check over every pair, without the grid.
    let non_couvertes = |offre: &[domain::territoire::couverture::LieuOffre]| -> BTreeSet<String> {
        let positions: Vec<_> = offre
            .iter()
            .filter_map(|l| communes.get(l.commune).and_then(|c| c.position))
            .collect();
        communes
            .du_departement(d38)
            .filter(|c| {
                c.position
                    .is_some_and(|p| positions.iter().all(|q| distance_km(p, *q) > 10.0))
            })
            .map(|c| c.code.as_str().to_owned())
            .collect()
    };
    let offre_reaap = || async {
        store::diagnostic::offre(&plateforme.base, d38, Dispositif::Reaap, &["valide"])
            .await
            .unwrap()
    };

    // The offer before: the REAAP projects the comité validated in the demonstration.
    let offre_avant = offre_reaap().await;
    let (statut, _, html) = get(&r, adresse, &agent.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{html}");
    let page = Page::lire(&html);
    let places: usize = communes
        .du_departement(d38)
        .filter(|c| c.position.is_some())
        .count();
    let avant = non_couvertes(&offre_avant);
    assert_eq!(codes_du_tableau(&page, "non-couvertes"), avant);
    assert_eq!(page.tous("svg .commune-non-couverte").len(), avant.len());

    // A gestionnaire records two places, in Villard-de-Lans and La Mure, and answers the REAAP
    // call: its project lists every place of the structure.
    let email = "gestionnaire.38.10@demo.parentalite.fr";
    let (_, acteur_g) = plateforme
        .utilisateur_par_email(email)
        .await
        .unwrap()
        .unwrap();
    let gestionnaire = *acteur_g.gestionnaires.iter().next().unwrap();
    let gest = connecter(&r, email).await;
    for (nom, commune, cp) in [
        (
            "Maison des familles du Vercors",
            code_de("Villard-de-Lans"),
            "38250",
        ),
        (
            "Point parents de la Matheysine",
            code_de("La Mure"),
            "38350",
        ),
    ] {
        let (statut, page) = post(
            &r,
            &format!("/structures/{}/lieux", gestionnaire.0),
            &gest,
            &format!(
                "nom_lieu={}&voie_lieu=1+place+de+la+Mairie&code_postal_lieu={cp}&commune_lieu={commune}&rdv=1",
                nom.replace(' ', "+")
            ),
        )
        .await;
        assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    }
    let appel = plateforme
        .appels(&cnaf)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.valeur)
        .find(|a| a.dispositif == Dispositif::Reaap && a.est_ouvert(d.aujourd_hui))
        .expect("appel REAAP ouvert");
    let (statut, page) = post(
        &r,
        "/dossiers/nouveau",
        &gest,
        &format!(
            "appel={}&intitule=R%C3%A9seau+des+parents&objectifs=Rompre+l%27isolement&moyens=Une+animatrice&etp_demandes=&debut={}&fin={}&charges=18000&produits=18000&modalites_evaluation=Questionnaire&diagnostic_local=Isolement&partenaires=PMI&information_familles=Affiches&demande_caf=9000",
            appel.id, appel.debut_periode, appel.fin_periode
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let dossier = plateforme
        .dossiers(&cnaf, None)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.valeur)
        .find(|x| x.appel == appel.id && x.gestionnaire == gestionnaire)
        .expect("projet REAAP créé");
    assert_eq!(dossier.projet.lieux.len(), 3, "le siège et les deux lieux");
    let action = format!("/dossiers/{}/action", dossier.id);
    let (statut, page) = post(&r, &action, &gest, "action=deposer").await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    // Submitted, not validated: the offer has not changed.
    let (_, _, html) = get(&r, adresse, &agent.cookie).await;
    assert_eq!(codes_du_tableau(&Page::lire(&html), "non-couvertes"), avant);

    for corps in [
        "action=instruire".to_owned(),
        format!("action=presenter&date_comite={}", d.aujourd_hui),
        "action=decider&issue=valide&montant_caf=8+500&motivation=Projet+utile".to_owned(),
    ] {
        let (statut, page) = post(&r, &action, &agent, &corps).await;
        assert_eq!(statut, StatusCode::SEE_OTHER, "{corps}: {page}");
    }

    // The offer after: the demonstration's and the three places of the validated project.
    let offre_apres = offre_reaap().await;
    assert_eq!(offre_apres.len(), offre_avant.len() + 3);
    let attendu = non_couvertes(&offre_apres);
    let (statut, _, html) = get(&r, adresse, &agent.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{html}");
    let page = Page::lire(&html);
    let liste = codes_du_tableau(&page, "non-couvertes");
    assert_eq!(liste, attendu);
    assert!(liste.len() < places, "des communes sont couvertes");
    assert!(!liste.contains(&code_de("Villard-de-Lans")));
    assert!(!liste.contains(&code_de("La Mure")));
    // The map: one point per commune, uncovered ones drawn as such, the three places marked.
    assert_eq!(page.tous("svg .commune-non-couverte").len(), attendu.len());
    assert_eq!(
        page.tous("svg .commune-couverte").len(),
        places - attendu.len()
    );
    assert!(page.tous("svg rect.lieu").len() >= 3);
    assert!(html.contains("Maison des familles du Vercors"), "{html}");
    assert!(
        page.texte("ul.legende-carte")
            .contains("commune non couverte : aucun lieu à moins de 10 km")
    );

    // The same in the CSV.
    let (statut, entetes, csv) = get(
        &r,
        "/coordination/diagnostic.csv?departement=38&dispositif=reaap&rayon=10",
        &agent.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        entetes[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let non_couvertes = csv.lines().filter(|l| l.ends_with(";non couverte")).count();
    assert_eq!(non_couvertes, attendu.len(), "{csv}");

    // A funder of the département reads it; a gestionnaire does not; another département is
    // refused next to its field.
    let financeur = connecter(&r, "financeur.38@demo.parentalite.fr").await;
    let (statut, _, _) = get(&r, adresse, &financeur.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    let (statut, _, _) = get(&r, adresse, &gest.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, html) = get(
        &r,
        "/coordination/diagnostic?departement=30&dispositif=reaap&rayon=abc",
        &agent.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"departement-erreur\""), "{html}");
    assert!(html.contains("id=\"rayon-erreur\""), "{html}");
}

sur_les_deux_moteurs!(le_plan_d_action_et_la_communication_sont_tenus_par_la_caf);
async fn le_plan_d_action_et_la_communication_sont_tenus_par_la_caf() {
    let plateforme = demo().plateforme().await;
    let r = web::routeur(Etat {
        plateforme,
        cookie_securise: false,
    });
    let agent = connecter(&r, "agent.30@demo.parentalite.fr").await;
    // Every field wrong: every error next to its field, nothing written.
    let (_, _, avant) = get(
        &r,
        "/coordination/plan-d-action?departement=30",
        &agent.cookie,
    )
    .await;
    let lignes_avant = Page::lire(&avant).lignes("table").len();
    let (statut, page) = post(
        &r,
        "/coordination/plan-d-action",
        &agent,
        "departement=30&axe=&intitule=&porteur=&indicateur=&echeance=31%2F12%2F2027&statut=",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    for champ in [
        "axe",
        "intitule",
        "porteur",
        "indicateur",
        "echeance",
        "statut",
    ] {
        assert!(
            page.contains(&format!("id=\"{champ}-erreur\"")),
            "{champ}: {page}"
        );
    }
    assert!(page.contains("reçu « 31/12/2027 »"), "{page}");
    let (_, _, apres) = get(
        &r,
        "/coordination/plan-d-action?departement=30",
        &agent.cookie,
    )
    .await;
    assert_eq!(Page::lire(&apres).lignes("table").len(), lignes_avant);
    // A right one is recorded and listed.
    let (statut, page) = post(
        &r,
        "/coordination/plan-d-action",
        &agent,
        "departement=30&axe=Maillage+territorial&intitule=Ouvrir+un+lieu+en+C%C3%A9vennes&porteur=Caf+du+Gard&indicateur=Communes+non+couvertes&echeance=2027-12-31&statut=en_cours",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (_, _, liste) = get(
        &r,
        "/coordination/plan-d-action?departement=30",
        &agent.cookie,
    )
    .await;
    assert!(liste.contains("Ouvrir un lieu en Cévennes"), "{liste}");
    assert!(liste.contains("31/12/2027"), "{liste}");
    // Changed from its form (number and version carried), then a second change from the same
    // stale form is refused as a conflict, and the action deleted.
    let id = Page::lire(&liste)
        .lignes("table")
        .into_iter()
        .find(|l| l.iter().any(|c| c == "Ouvrir un lieu en Cévennes"))
        .unwrap()[0]
        .clone();
    let (statut, _, formulaire) = get(
        &r,
        &format!("/coordination/plan-d-action?departement=30&modifier={id}"),
        &agent.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        formulaire.contains(&format!("Modifier l'action n°{id}")),
        "{formulaire}"
    );
    assert!(
        formulaire.contains("value=\"Ouvrir un lieu en Cévennes\""),
        "{formulaire}"
    );
    let modification = format!(
        "departement=30&id={id}&version=1&axe=Maillage+territorial&intitule=Ouvrir+deux+lieux+en+C%C3%A9vennes&porteur=Caf+du+Gard&indicateur=Communes+non+couvertes&echeance=2027-12-31&statut=realisee"
    );
    let (statut, page) = post(&r, "/coordination/plan-d-action", &agent, &modification).await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (statut, page) = post(&r, "/coordination/plan-d-action", &agent, &modification).await;
    assert_eq!(statut, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("modifié par quelqu'un d'autre"), "{page}");
    let (_, _, liste) = get(
        &r,
        "/coordination/plan-d-action?departement=30",
        &agent.cookie,
    )
    .await;
    assert!(
        liste.contains("Ouvrir deux lieux en Cévennes") && liste.contains("réalisée"),
        "{liste}"
    );
    let (statut, page) = post(
        &r,
        &format!("/coordination/plan-d-action/{id}/suppression"),
        &agent,
        "departement=30",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (_, _, liste) = get(
        &r,
        "/coordination/plan-d-action?departement=30",
        &agent.cookie,
    )
    .await;
    assert!(!liste.contains("Ouvrir deux lieux en Cévennes"), "{liste}");
    assert_eq!(Page::lire(&liste).lignes("table").len(), lignes_avant);
    // The communication plan, the same way.
    let (statut, page) = post(
        &r,
        "/coordination/communication",
        &agent,
        "departement=30&intitule=Guide+des+lieux&public=familles&support=D%C3%A9pliant&date=2027-03-01",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (_, _, liste) = get(
        &r,
        "/coordination/communication?departement=30",
        &agent.cookie,
    )
    .await;
    assert!(liste.contains("Guide des lieux"), "{liste}");
    // The funder reads without a form, and cannot write.
    let financeur = connecter(&r, "financeur.30@demo.parentalite.fr").await;
    let (statut, _, lu) = get(
        &r,
        "/coordination/communication?departement=30",
        &financeur.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    assert!(lu.contains("Guide des lieux"));
    assert!(!lu.contains("id=\"formulaire\""), "{lu}");
    let (statut, _) = post(
        &r,
        "/coordination/plan-d-action",
        &financeur,
        "departement=30&axe=A&intitule=B&porteur=C&indicateur=D&echeance=2027-12-31&statut=en_cours",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    // Another département's agent cannot read it.
    let autre = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (statut, _, _) = get(
        &r,
        "/coordination/plan-d-action?departement=30",
        &autre.cookie,
    )
    .await;
    assert_eq!(
        statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "le Gard n'est pas de son ressort"
    );
}
