//! The AIP commitments through the pages (Référentiel national de financement de l'AIP, §I.3 to
//! §IV.2): a gestionnaire attests its structure's commitments, the Caf of its département checks
//! them and the structure's report reads them conforme; the comité validates a project whose
//! structure's commitments are not checked only with a motivated override, shown on the dossier.
//! Refusals are shown next to their field. On both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::acces::Acteur;
use domain::structures::Engagement;
use web::Etat;

use aide::{connecter, corps};
use commun::{Demo, Page, creer_demo, moteur};

struct Session {
    cookie: String,
    csrf: String,
}

async fn ouvrir(r: &axum::Router, d: &Demo, email: &str) -> Session {
    let cookie = connecter(r, email, &d.mots_de_passe[email]).await;
    let (_, _, page) = corps(
        r,
        Request::get("/")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let csrf = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned();
    Session { cookie, csrf }
}

async fn lire(r: &axum::Router, s: &Session, chemin: &str) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::get(chemin)
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    (statut, page)
}

async fn poster(
    r: &axum::Router,
    s: &Session,
    chemin: &str,
    champs: &[(String, String)],
) -> (StatusCode, String) {
    let mut formulaire = form_urlencoded::Serializer::new(String::new());
    formulaire.append_pair("_csrf", &s.csrf);
    for (n, v) in champs {
        formulaire.append_pair(n, v);
    }
    let (statut, _, page) = corps(
        r,
        Request::post(chemin)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(formulaire.finish()))
            .unwrap(),
    )
    .await;
    (statut, page)
}

fn paire(n: &str, v: &str) -> (String, String) {
    (n.to_owned(), v.to_owned())
}

/// The field `id` is refused: its message next to it, `aria-invalid`, and a link in the summary.
fn refuse_a_cote(statut: StatusCode, page: &str, id: &str) {
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{id}: {page}");
    let p = Page::lire(page);
    assert!(
        !p.texte(&format!("#{id}-erreur")).is_empty(),
        "{id}: {page}"
    );
    assert_eq!(
        p.un(&format!("#{id}")).value().attr("aria-invalid"),
        Some("true"),
        "{id}"
    );
    assert!(
        !p.tous(&format!("[role=alert] a[href='#{id}']")).is_empty(),
        "{id}: pas de lien dans le résumé"
    );
}

async fn acteur(d: &Demo, email: &str) -> Acteur {
    d.plateforme()
        .await
        .utilisateur_par_email(email)
        .await
        .unwrap()
        .unwrap()
        .1
}

sur_les_deux_moteurs!(le_gestionnaire_atteste_la_caf_controle_le_rapport_les_lit);
async fn le_gestionnaire_atteste_la_caf_controle_le_rapport_les_lit() {
    let d = creer_demo(moteur(), "engagements-attestation", |_, _| {
        Box::pin(async {})
    });
    let p = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: d.plateforme().await,
        cookie_securise: false,
    });
    // A structure whose draft is still being written: nothing attested yet.
    let email = "gestionnaire.38.1@demo.parentalite.fr";
    let gid = *acteur(&d, email).await.gestionnaires.first().unwrap();
    let fiche = format!("/structures/{gid}");
    let gest = ouvrir(&r, &d, email).await;
    let (statut, page) = lire(&r, &gest, &fiche).await;
    assert_eq!(statut, StatusCode::OK);
    let html = Page::lire(&page);
    assert_eq!(html.texte("#engagements"), "Engagements (AIP)");
    let applicables = p
        .gestionnaire(&acteur(&d, email).await, gid)
        .await
        .unwrap()
        .valeur
        .engagements_applicables();
    let legendes: Vec<String> = html
        .tous("form[action$='/engagements'] fieldset > legend")
        .iter()
        .map(|l| l.text().collect())
        .collect();
    assert_eq!(legendes.len(), applicables.len());
    assert!(legendes[0].contains("Référentiel national de financement de l'AIP, §"));
    assert!(page.contains("non attesté"));
    let version = html.attribut("form[action$='/engagements'] input[name=version]", "value");
    let aujourd_hui = d.aujourd_hui.to_string();

    // Refused next to the field: a statement missing, a choice missing, a date to come.
    let (statut, page) = poster(
        &r,
        &gest,
        &format!("{fiche}/engagements"),
        &[
            paire("version", &version),
            paire("respecte_conformite_rgpd", "oui"),
            paire("declaration_conformite_rgpd", "  "),
            paire("date_conformite_rgpd", &aujourd_hui),
            paire("respecte_charte_laicite", ""),
            paire("declaration_charte_laicite", "Charte affichée à l'accueil"),
            paire("respecte_locaux_confidentialite", "oui"),
            paire("declaration_locaux_confidentialite", "Bureau fermé"),
            paire("date_locaux_confidentialite", "2999-01-01"),
        ],
    )
    .await;
    refuse_a_cote(statut, &page, "declaration_conformite_rgpd");
    refuse_a_cote(statut, &page, "respecte_charte_laicite");
    refuse_a_cote(statut, &page, "date_locaux_confidentialite");
    // What was typed is given back.
    assert!(
        page.contains(">Charte affichée à l'accueil</textarea>"),
        "{page}"
    );

    // Every commitment attested.
    let mut champs = vec![paire("version", &version)];
    for e in &applicables {
        champs.push(paire(&format!("respecte_{}", e.code()), "oui"));
        champs.push(paire(
            &format!("declaration_{}", e.code()),
            "Engagement inscrit au projet associatif",
        ));
        champs.push(paire(&format!("date_{}", e.code()), &aujourd_hui));
    }
    let (statut, page) = poster(&r, &gest, &format!("{fiche}/engagements"), &champs).await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (_, page) = lire(&r, &gest, &fiche).await;
    assert!(page.contains("attesté, à contrôler"), "{page}");
    assert!(page.contains("à contrôler par la Caf"), "{page}");
    assert!(!page.contains("Structure: éligible"));
    // The gestionnaire does not check; the Caf does not attest.
    let (statut, _) = poster(
        &r,
        &gest,
        &format!("{fiche}/engagements/controle"),
        &[paire("avis_conformite_rgpd", "conforme")],
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let caf = ouvrir(&r, &d, "agent.38@demo.parentalite.fr").await;
    let (statut, _) = poster(&r, &caf, &format!("{fiche}/engagements"), &champs[..4]).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let autre_caf = ouvrir(&r, &d, "agent.52@demo.parentalite.fr").await;
    let (statut, _) = poster(
        &r,
        &autre_caf,
        &format!("{fiche}/engagements/controle"),
        &[paire("avis_conformite_rgpd", "conforme")],
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // The Caf sees the attestations; a check other than conforme needs a comment.
    let (_, page) = lire(&r, &caf, &fiche).await;
    let html = Page::lire(&page);
    assert!(page.contains("Engagement inscrit au projet associatif"));
    assert_eq!(
        html.tous("form[action$='/engagements/controle'] fieldset > legend")
            .len(),
        applicables.len()
    );
    let version = html.attribut(
        "form[action$='/engagements/controle'] input[name=version]",
        "value",
    );
    let (statut, page) = poster(
        &r,
        &caf,
        &format!("{fiche}/engagements/controle"),
        &[
            paire("version", &version),
            paire("avis_reseau_partenaires_locaux", "non_conforme"),
            paire("commentaire_reseau_partenaires_locaux", ""),
        ],
    )
    .await;
    refuse_a_cote(statut, &page, "commentaire_reseau_partenaires_locaux");
    let mut champs = vec![paire("version", &version)];
    for e in &applicables {
        champs.push(paire(&format!("avis_{}", e.code()), "conforme"));
    }
    let (statut, page) = poster(&r, &caf, &format!("{fiche}/engagements/controle"), &champs).await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    // The report reads them conforme.
    let (_, page) = lire(&r, &gest, &fiche).await;
    assert!(page.contains("Structure: éligible"), "{page}");
    assert!(page.contains("déclare être en conformité avec le règlement général"));
    assert!(!page.contains("à contrôler"));
    // Each attestation and each check is in the audit trail.
    let mut tx = p.base.lire().await.unwrap();
    let evenements = store::audit::historique(&mut tx, "gestionnaire", gid.0)
        .await
        .unwrap();
    let actions: Vec<&str> = evenements.iter().map(|e| e.action.as_str()).collect();
    let compter = |a: &str| actions.iter().filter(|x| **x == a).count();
    assert_eq!(compter("attester_engagement"), applicables.len());
    assert_eq!(compter("controler_engagement"), applicables.len());
    // A new attestation makes the check stale.
    let (_, page) = lire(&r, &gest, &fiche).await;
    let version =
        Page::lire(&page).attribut("form[action$='/engagements'] input[name=version]", "value");
    let (statut, _) = poster(
        &r,
        &gest,
        &format!("{fiche}/engagements"),
        &[
            paire("version", &version),
            paire("respecte_conformite_rgpd", "non"),
            paire(
                "declaration_conformite_rgpd",
                "Registre des traitements en cours de refonte",
            ),
            paire("date_conformite_rgpd", &aujourd_hui),
        ],
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    let (_, page) = lire(&r, &caf, &fiche).await;
    assert!(page.contains("à contrôler à nouveau"), "{page}");
    assert!(Engagement::depuis_code("conformite_rgpd").is_some());
}

sur_les_deux_moteurs!(le_comite_ne_valide_sans_controle_qu_avec_une_derogation_motivee);
async fn le_comite_ne_valide_sans_controle_qu_avec_une_derogation_motivee() {
    let d = creer_demo(moteur(), "engagements-decision", |_, _| Box::pin(async {}));
    let p = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: d.plateforme().await,
        cookie_securise: false,
    });
    // The demonstration's structure whose project is on the comité's agenda attested its
    // commitments; the Caf has not checked them yet.
    let email = "gestionnaire.38.5@demo.parentalite.fr";
    let gid = *acteur(&d, email).await.gestionnaires.first().unwrap();
    let agent = acteur(&d, "agent.38@demo.parentalite.fr").await;
    let dossier = p
        .dossiers(&agent, Some("presente_en_comite"))
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.valeur.gestionnaire == gid)
        .expect("un dossier présenté en comité");
    let url = format!("/dossiers/{}", dossier.valeur.id);
    let caf = ouvrir(&r, &d, "agent.38@demo.parentalite.fr").await;
    let (_, page) = lire(&r, &caf, &url).await;
    let html = Page::lire(&page);
    // The decision screen shows the verdict, each commitment's attestation, and the override.
    assert!(page.contains("Engagements de la structure"), "{page}");
    assert!(page.contains("attesté, à contrôler"));
    assert!(page.contains("Attesté respecté le 30/11/2023"), "{page}");
    assert!(!html.tous("#decider-derogation_engagements").is_empty());
    let decider = |derogation: &str| {
        vec![
            paire("action", "decider"),
            paire("version", &dossier.version.to_string()),
            paire("issue", "valide"),
            paire("etp_notifies", "1"),
            paire("date_effet", "2024-03-01"),
            paire("montant_caf", "1000"),
            paire("motivation", "Besoin avéré sur le territoire"),
            paire("derogation_engagements", derogation),
        ]
    };
    let (statut, page) = poster(&r, &caf, &format!("{url}/action"), &decider(" ")).await;
    refuse_a_cote(statut, &page, "decider-derogation_engagements");
    assert!(page.contains("motiver la dérogation"), "{page}");
    let motif = "Structure connue du Reaap, contrôle sur place programmé en mars";
    let (statut, page) = poster(&r, &caf, &format!("{url}/action"), &decider(motif)).await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    // The dossier shows the override used, to the Caf and to the gestionnaire.
    for session in [&caf, &ouvrir(&r, &d, email).await] {
        let (_, page) = lire(&r, session, &url).await;
        assert!(page.contains("Dérogation aux engagements (AIP)"), "{page}");
        assert!(page.contains(motif));
    }
    let lu = p.dossier(&agent, dossier.valeur.id).await.unwrap();
    assert_eq!(lu.valeur.etat.code(), "valide");
    assert_eq!(
        lu.valeur
            .derogation_engagements
            .as_ref()
            .map(|x| x.motif.as_str()),
        Some(motif)
    );
    let mut tx = p.base.lire().await.unwrap();
    let evenements = store::audit::historique(&mut tx, "dossier", dossier.valeur.id.0)
        .await
        .unwrap();
    let derniere = evenements.last().unwrap();
    assert_eq!(derniere.action, "enregistrer_decision");
    assert!(derniere.description.contains(motif));
    assert!(derniere.changements.contains("derogation_engagements"));
}
