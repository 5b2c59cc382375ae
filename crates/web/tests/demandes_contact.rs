//! Parents' contact requests through the router, on both engines: a parent without an account
//! sends a request (first with faulty fields, all reported at once and the values kept), the
//! structure is told by a mail without the parent's message, reads the request and answers, and
//! the answer is queued to the parent; a Caf agent is refused the content and sees counts only;
//! a filled trap field drops the request behind the same confirmation; the sixth submission of
//! an hour from one address gets a French 429 page; and with a clock moved past the retention
//! period the request is gone, with one content-free audit event, the counts unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use app::Plateforme;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::acces::{Acteur, Utilisateur};
use domain::annuaire::{SaisieLieuService, SaisieService};
use domain::identifiants::{CodeDepartement, ServiceId, UtilisateurId};
use store::depot::{self, Lu};
use web::Etat;

use aide::{corps, get, post, session};
use commun::{Demo, creer_demos, moteur};

sur_les_deux_moteurs!(parcours_d_une_demande, abus_ecartes);

const MESSAGE: &str = "Bonjour, nous nous séparons et voudrions en parler avec quelqu’un.";
const COURRIEL_PARENT: &str = "camille.parent@exemple.fr";

fn demos(noms: Vec<&'static str>) -> Vec<Demo> {
    creer_demos(moteur(), noms, |_, _| Box::pin(async {}))
}

/// A service of a structure of the Isère, created by its gestionnaire and published by the Caf
/// agent of the Isère: its id and the e-mail of the gestionnaire's account.
async fn service_publie(p: &Plateforme) -> (ServiceId, String) {
    let comptes: Vec<Lu<Utilisateur>> = {
        let mut tx = p.base.lecture().await.unwrap();
        depot::lister(&mut tx, "actif = $1", &[true.into()], "id")
            .await
            .unwrap()
    };
    let compte = |email: &str| {
        comptes
            .iter()
            .find(|c| c.valeur.email.as_str() == email)
            .map(|c| c.valeur.clone())
            .expect(email)
    };
    let email = "gestionnaire.38.1@demo.parentalite.fr";
    let g = compte(email);
    let gestionnaire = Acteur::gestionnaire(g.id, g.gestionnaires.iter().copied());
    let caf = Acteur::caf(
        compte("agent.38@demo.parentalite.fr").id,
        [CodeDepartement::parse("38").unwrap()],
    );
    let maintenant = time::OffsetDateTime::now_utc();
    let saisie = SaisieService {
        dispositif: "mediation_familiale".into(),
        type_service: "mediation".into(),
        nom: "Médiation familiale à Grenoble".into(),
        description: "Des entretiens avec un médiateur familial diplômé d’État.".into(),
        publics: vec!["parents_separes".into()],
        modes: vec!["sur_place".into()],
        frais: "gratuit".into(),
        telephone: "04 76 00 00 01".into(),
        lieux: vec![SaisieLieuService {
            voie: "5 avenue Jean Jaurès".into(),
            code_postal: "38000".into(),
            commune: "38185".into(),
            horaires: "Mo-Fr 09:00-17:00".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let s = p
        .creer_service(&gestionnaire, None, &saisie, maintenant)
        .await
        .unwrap();
    p.soumettre_service(&gestionnaire, s.valeur.id, maintenant)
        .await
        .unwrap();
    p.publier_service(&caf, s.valeur.id, maintenant)
        .await
        .unwrap();
    (s.valeur.id, email.to_owned())
}

/// Posts the public form (no session) from the client address `adresse`.
async fn envoyer(r: &axum::Router, service: ServiceId, formulaire: &str) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::post(format!("/annuaire/services/{service}/contact"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(formulaire.to_owned()))
            .unwrap(),
    )
    .await;
    (statut, page)
}

fn encoder(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn formulaire_valide() -> String {
    format!(
        "prenom=Camille&moyen=courriel&courriel={}&telephone=&creneaux={}&message={}&consentement=1&site_web=",
        encoder(COURRIEL_PARENT),
        encoder("en semaine après 17 h"),
        encoder(MESSAGE)
    )
}

fn cnaf() -> Acteur {
    Acteur::cnaf(UtilisateurId(0))
}

async fn parcours_d_une_demande() {
    let demo = demos(vec!["contact-parcours"]).pop().unwrap();
    let p = demo.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: p.clone(),
        cookie_securise: false,
    });
    let (service, email_structure) = service_publie(&p).await;

    // The form, without an account: the consent states the purpose and the retention.
    let (statut, _, page) = get(&r, &format!("/annuaire/services/{service}/contact"), "").await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("et à elle seule"), "{page}");
    assert!(page.contains("supprimées 3 mois après son envoi"), "{page}");
    assert!(page.contains("name=\"site_web\""));

    // Every faulty field at once, with the values typed kept.
    let (statut, page) = envoyer(
        &r,
        service,
        &format!(
            "prenom=&moyen=telephone&telephone=12&message={}&site_web=",
            encoder("court")
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("4 erreurs"), "{page}");
    for champ in ["prenom", "telephone", "message", "consentement"] {
        assert!(
            page.contains(&format!("href=\"#{champ}\"")),
            "{champ} : {page}"
        );
    }
    assert!(page.contains(">court</textarea>"), "{page}");

    // Sent: the confirmation says what comes next and when the request is deleted.
    let (statut, page) = envoyer(&r, service, &formulaire_valide()).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("Votre demande a été envoyée"), "{page}");
    assert!(page.contains("seront supprimées le"), "{page}");

    // The structure is told, without the parent's message nor address in the mail.
    let courriels = p.courriels(&cnaf()).await.unwrap();
    let avis = courriels
        .iter()
        .find(|c| c.destinataire == email_structure && c.sujet.starts_with("Nouvelle demande"))
        .expect("courriel à la structure");
    let texte = p.courriel(&cnaf(), avis.id).await.unwrap().texte;
    assert!(texte.contains("/demandes/"), "{texte}");
    assert!(
        !texte.contains(MESSAGE) && !texte.contains(COURRIEL_PARENT) && !texte.contains("Camille")
    );
    assert!(
        courriels
            .iter()
            .any(|c| c.destinataire == COURRIEL_PARENT && c.sujet.contains("bien été transmise")),
        "accusé de réception"
    );

    // The structure reads it (unread first) and answers.
    let structure = session(&r, &email_structure, &demo.mots_de_passe[&email_structure]).await;
    let (statut, _, boite) = get(&r, "/demandes", &structure.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{boite}");
    assert!(boite.contains("Demandes des parents"));
    let id: i64 = boite
        .split("href=\"/demandes/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("lien vers la demande");
    assert!(boite.contains("Reçue, non lue"), "{boite}");
    let (statut, _, fiche) = get(&r, &format!("/demandes/{id}"), &structure.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(fiche.contains("nous nous séparons"), "{fiche}");
    assert!(fiche.contains(COURRIEL_PARENT));
    let (statut, _) = post(
        &r,
        &format!("/demandes/{id}/reponse"),
        &structure,
        &format!(
            "forme=ecrite&reponse={}",
            encoder("Venez jeudi à 10 h, sans rendez-vous.")
        ),
    )
    .await;
    assert!(statut.is_redirection(), "{statut}");
    let reponse = p
        .courriels(&cnaf())
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.destinataire == COURRIEL_PARENT && c.sujet.starts_with("Réponse de"))
        .expect("réponse au parent en file");
    let texte = p.courriel(&cnaf(), reponse.id).await.unwrap().texte;
    assert!(texte.contains("Venez jeudi à 10 h"), "{texte}");

    // The Caf agent of the département: counts only, never the content.
    let departement = {
        let mut tx = p.base.lecture().await.unwrap();
        store::annuaire::service_publie(&mut tx, service)
            .await
            .unwrap()
            .unwrap()
            .departement
    };
    let agent = format!(
        "agent.{}@demo.parentalite.fr",
        departement.as_str().to_lowercase()
    );
    let caf = session(&r, &agent, &demo.mots_de_passe[&agent]).await;
    let (statut, _, _) = get(&r, &format!("/demandes/{id}"), &caf.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, _) = get(&r, "/demandes", &caf.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _) = post(
        &r,
        &format!("/demandes/{id}/reponse"),
        &caf,
        "forme=ecrite&reponse=x",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, stats) = get(&r, "/demandes/statistiques", &caf.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{stats}");
    assert!(stats.contains("moins de 5"), "{stats}");
    assert!(!stats.contains("Camille") && !stats.contains("séparons"));

    // The clock moved past the retention period: gone, one audit event without content, the
    // counts unchanged.
    let (_, _, stats_avant) = get(&r, "/demandes/statistiques", &caf.cookie).await;
    let plus_tard = time::OffsetDateTime::now_utc() + time::Duration::days(93);
    let supprimees = p.purger_demandes_contact(plus_tard).await.unwrap();
    assert_eq!(supprimees.len(), 1);
    assert!(
        p.purger_demandes_contact(plus_tard)
            .await
            .unwrap()
            .is_empty()
    );
    let (statut, _, _) = get(&r, &format!("/demandes/{id}"), &structure.cookie).await;
    assert_eq!(statut, StatusCode::NOT_FOUND);
    let (_, _, boite) = get(&r, "/demandes", &structure.cookie).await;
    assert!(!boite.contains(&format!("href=\"/demandes/{id}\"")));
    let (_, _, stats_apres) = get(&r, "/demandes/statistiques", &caf.cookie).await;
    let tableaux = |page: &str| {
        page.split("<table")
            .skip(1)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(tableaux(&stats_avant), tableaux(&stats_apres));
    let mut tx = p.base.lecture().await.unwrap();
    let evenements = store::audit::historique(&mut tx, "demande_contact", id)
        .await
        .unwrap();
    let suppression: Vec<_> = evenements
        .iter()
        .filter(|e| e.action == "supprimer")
        .collect();
    assert_eq!(suppression.len(), 1);
    assert!(
        suppression[0]
            .description
            .contains("supprimée après la durée de conservation")
    );
    for e in &evenements {
        let tout = format!(
            "{} {:?} {:?} {}",
            e.description, e.avant, e.apres, e.changements
        );
        assert!(
            !tout.contains("Camille")
                && !tout.contains(COURRIEL_PARENT)
                && !tout.contains("séparons"),
            "{tout}"
        );
    }
}

async fn abus_ecartes() {
    let demo = demos(vec!["contact-abus"]).pop().unwrap();
    let p = demo.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: p.clone(),
        cookie_securise: false,
    });
    let (service, _) = service_publie(&p).await;
    let compter = || async {
        let mut tx = p.base.lecture().await.unwrap();
        tx.lignes("SELECT id FROM demandes_contact", &[])
            .await
            .unwrap()
            .len()
    };

    // The trap field filled: the same confirmation, nothing stored.
    let piege = formulaire_valide().replace("site_web=", "site_web=https%3A%2F%2Fpub.example");
    let (statut, page) = envoyer(&r, service, &piege).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Votre demande a été envoyée"), "{page}");
    assert_eq!(compter().await, 0);
    assert!(
        !p.courriels(&cnaf())
            .await
            .unwrap()
            .iter()
            .any(|c| c.destinataire == COURRIEL_PARENT)
    );

    // The same form sent twice (a double click): one request, the same confirmation.
    for _ in 0..2 {
        let (statut, page) = envoyer(&r, service, &formulaire_valide()).await;
        assert_eq!(statut, StatusCode::OK);
        assert!(page.contains("Votre demande a été envoyée"), "{page}");
    }
    assert_eq!(compter().await, 1);

    // Three more, each its own message, from the same address go through; the sixth sending
    // of the hour is refused.
    for numero in 0..3 {
        let autre = formulaire_valide().replace(
            &format!("message={}", encoder(MESSAGE)),
            &format!("message={}", encoder(&format!("{MESSAGE} ({numero})"))),
        );
        let (statut, _) = envoyer(&r, service, &autre).await;
        assert_eq!(statut, StatusCode::OK);
    }
    assert_eq!(compter().await, 4);
    let (statut, page) = envoyer(&r, service, &formulaire_valide()).await;
    assert_eq!(statut, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("Trop de demandes envoyées"), "{page}");
    assert!(page.contains("réessayez dans une heure"), "{page}");
    assert_eq!(compter().await, 4);

    // A service not published has no form.
    let (statut, _, _) = get(&r, "/annuaire/services/999999/contact", "").await;
    assert_eq!(statut, StatusCode::NOT_FOUND);
}
