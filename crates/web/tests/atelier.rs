//! The Caf's instruction workspace through the web application, on both engines: assigning a
//! dossier (to oneself or a colleague of the département), « Mes dossiers », the dossier's
//! history in words, drafts kept out of the Caf's list, and the private annotations and history
//! never shown to the gestionnaire.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::Acteur;
use domain::acces::{Role, Utilisateur};
use domain::identifiants::{CodeDepartement, Email, UtilisateurId};
use web::Etat;

use aide::corps;
use commun::{Demo, Moteur, Page, creer_demo, moteur};

const AGENT: &str = "agent.38@demo.parentalite.fr";
const COLLEGUE: &str = "Camille Collègue";

/// One demonstration per engine for the whole file, with a second Caf agent in Isère.
fn demo() -> &'static Demo {
    static SQLITE: OnceLock<Demo> = OnceLock::new();
    static POSTGRES: OnceLock<Demo> = OnceLock::new();
    let m = moteur();
    let une = if m == Moteur::Sqlite {
        &SQLITE
    } else {
        &POSTGRES
    };
    une.get_or_init(|| {
        creer_demo(m, "atelier", |p, maintenant| {
            Box::pin(async move {
                p.creer_utilisateur(
                    |id| Utilisateur {
                        id,
                        email: Email::parse("collegue.38@demo.parentalite.fr").unwrap(),
                        nom: COLLEGUE.to_owned(),
                        role: Role::Caf,
                        departements: [CodeDepartement::parse("38").unwrap()].into(),
                        gestionnaires: BTreeSet::new(),
                        financeur: None,
                        actif: true,
                    },
                    None,
                    maintenant,
                )
                .await
                .unwrap();
            })
        })
    })
}

struct Session {
    cookie: String,
    csrf: String,
}

async fn connecter(r: &axum::Router, email: &str) -> Session {
    let cookie = aide::connecter(r, email, &demo().mots_de_passe[email]).await;
    let (_, accueil) = get(r, "/", &cookie).await;
    let csrf = accueil
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    Session { cookie, csrf }
}

async fn get(r: &axum::Router, chemin: &str, cookie: &str) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::get(chemin)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    (statut, page)
}

/// Posts a form; returns the status and where it redirects to.
async fn post(
    r: &axum::Router,
    chemin: &str,
    s: &Session,
    formulaire: &str,
) -> (StatusCode, String) {
    let (statut, entetes, page) = corps(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &s.cookie)
            .body(Body::from(format!("_csrf={}&{formulaire}", s.csrf)))
            .unwrap(),
    )
    .await;
    let vers = entetes
        .get(header::LOCATION)
        .map_or(page, |l| l.to_str().unwrap().to_owned());
    (statut, vers)
}

async fn routeur() -> (axum::Router, app::Plateforme) {
    let plateforme = demo().plateforme().await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    (r, plateforme)
}

/// The addresses of the dossiers listed at `chemin`.
async fn liens(r: &axum::Router, chemin: &str, s: &Session) -> Vec<String> {
    let (statut, page) = get(r, chemin, &s.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    Page::lire(&page)
        .tous("table tbody tr td a[href^='/dossiers/']")
        .into_iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect()
}

/// The version of the dossier shown on its page (hidden in its forms).
fn version(page: &str) -> String {
    Page::lire(page).attribut("#suivi input[name=version]", "value")
}

sur_les_deux_moteurs!(un_agent_s_attribue_un_dossier_et_le_retrouve_dans_mes_dossiers);
async fn un_agent_s_attribue_un_dossier_et_le_retrouve_dans_mes_dossiers() {
    let (r, _) = routeur().await;
    let agent = connecter(&r, AGENT).await;
    let dossier = liens(&r, "/dossiers?etat=depose", &agent)
        .await
        .into_iter()
        .next()
        .expect("un dossier déposé en Isère");
    let (_, page) = get(&r, &dossier, &agent.cookie).await;
    assert!(page.contains("M&#39;attribuer ce dossier") || page.contains("M'attribuer ce dossier"));
    let (statut, vers) = post(
        &r,
        &format!("{dossier}/action"),
        &agent,
        &format!(
            "action=attribuer&version={}&agent={}",
            version(&page),
            Page::lire(&page).attribut("#m-attribuer-agent", "value")
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{vers}");
    assert_eq!(vers, format!("{dossier}?fait=attribue"));
    // The confirmation says what happened, with the agent's name.
    let (_, page) = get(&r, &vers, &agent.cookie).await;
    let confirmation = Page::lire(&page).texte("[role=status]#confirmation");
    assert!(
        confirmation.contains("Dossier attribué à agent de la Caf de l’Isère")
            || confirmation.contains("Dossier attribué à agent de la Caf"),
        "{confirmation}"
    );
    // « Mes dossiers » lists it, and only the dossiers assigned to the agent.
    let mes = liens(&r, "/dossiers?mes=1", &agent).await;
    assert!(mes.contains(&dossier), "{mes:?}");
    let tous = liens(&r, "/dossiers", &agent).await;
    assert!(mes.len() < tous.len());
    // The list says who follows it.
    let (_, liste) = get(&r, "/dossiers?mes=1", &agent.cookie).await;
    let lignes = Page::lire(&liste).lignes("table");
    assert!(
        lignes
            .iter()
            .any(|l| l.last().is_some_and(|c| c.contains("agent de la Caf"))),
        "{lignes:?}"
    );
    // The history tells it in words: when, who, what.
    let historique = Page::lire(&page).texte("#historique");
    assert!(
        historique.contains("dossier attribué à agent de la Caf"),
        "{historique}"
    );
    assert!(
        historique.contains("(agent de Caf)") || historique.contains("Caf"),
        "{historique}"
    );
    assert!(historique.contains("dossier déposé"), "{historique}");
}

sur_les_deux_moteurs!(un_agent_attribue_un_dossier_a_un_collegue_du_departement);
async fn un_agent_attribue_un_dossier_a_un_collegue_du_departement() {
    let (r, plateforme) = routeur().await;
    let agent = connecter(&r, AGENT).await;
    let collegue = plateforme
        .agents_caf(
            &Acteur::cnaf(UtilisateurId(1)),
            Some(CodeDepartement::parse("38").unwrap()),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.nom == COLLEGUE)
        .expect("le collègue");
    let dossier = liens(&r, "/dossiers?etat=en_instruction", &agent)
        .await
        .into_iter()
        .next()
        .expect("un dossier en instruction en Isère");
    let (_, page) = get(&r, &dossier, &agent.cookie).await;
    // The colleague is offered in the select.
    assert!(
        Page::lire(&page)
            .texte("#attribuer-agent")
            .contains(COLLEGUE)
    );
    let (statut, vers) = post(
        &r,
        &format!("{dossier}/action"),
        &agent,
        &format!(
            "action=attribuer&version={}&agent={}",
            version(&page),
            collegue.id.0
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{vers}");
    let (_, page) = get(&r, &vers, &agent.cookie).await;
    let p = Page::lire(&page);
    assert!(
        p.texte("#confirmation")
            .contains(&format!("Dossier attribué à {COLLEGUE}"))
    );
    assert!(p.texte("#suivi").contains(COLLEGUE));
    assert!(
        p.texte("#historique")
            .contains(&format!("dossier attribué à {COLLEGUE}"))
    );
    // Not in the agent's own « Mes dossiers ».
    assert!(
        !liens(&r, "/dossiers?mes=1", &agent)
            .await
            .contains(&dossier)
    );
    // An agent of another département cannot be given it.
    let gard = plateforme
        .agents_caf(
            &Acteur::cnaf(UtilisateurId(1)),
            Some(CodeDepartement::parse("30").unwrap()),
        )
        .await
        .unwrap()
        .remove(0);
    let (_, page) = get(&r, &dossier, &agent.cookie).await;
    let (statut, refus) = post(
        &r,
        &format!("{dossier}/action"),
        &agent,
        &format!(
            "action=attribuer&version={}&agent={}",
            version(&page),
            gard.id.0
        ),
    )
    .await;
    assert_ne!(statut, StatusCode::SEE_OTHER);
    assert!(
        refus.contains("n&#39;est pas un agent de la Caf du département 38")
            || refus.contains("n'est pas un agent de la Caf du département 38"),
        "{refus}"
    );
    // A gestionnaire cannot assign.
    let gest = connecter(&r, "gestionnaire.38.1@demo.parentalite.fr").await;
    let (statut, _) = post(
        &r,
        &format!("{dossier}/action"),
        &gest,
        &format!("action=attribuer&version=1&agent={}", collegue.id.0),
    )
    .await;
    assert_ne!(statut, StatusCode::SEE_OTHER);
}

sur_les_deux_moteurs!(les_brouillons_ne_sont_pas_listes_pour_la_caf);
async fn les_brouillons_ne_sont_pas_listes_pour_la_caf() {
    let (r, plateforme) = routeur().await;
    let isere = CodeDepartement::parse("38").unwrap();
    let tous = plateforme
        .dossiers(&Acteur::cnaf(UtilisateurId(1)), None)
        .await
        .unwrap();
    let brouillons = tous
        .iter()
        .filter(|d| d.valeur.departement == isere && d.valeur.etat.code() == "brouillon")
        .count();
    let deposes = tous
        .iter()
        .filter(|d| d.valeur.departement == isere && d.valeur.etat.code() != "brouillon")
        .count();
    assert!(brouillons > 0, "la démonstration a des brouillons en Isère");
    let agent = connecter(&r, AGENT).await;
    assert!(
        liens(&r, "/dossiers?etat=brouillon", &agent)
            .await
            .is_empty()
    );
    assert_eq!(liens(&r, "/dossiers", &agent).await.len(), deposes);
}

sur_les_deux_moteurs!(les_annotations_et_l_historique_restent_a_la_caf);
async fn les_annotations_et_l_historique_restent_a_la_caf() {
    let (r, _) = routeur().await;
    let agent = connecter(&r, AGENT).await;
    // A gestionnaire of Isère with a submitted dossier.
    let mut trouve = None;
    for i in 1..=12 {
        let email = format!("gestionnaire.38.{i}@demo.parentalite.fr");
        if !demo().mots_de_passe.contains_key(&email) {
            continue;
        }
        let gest = connecter(&r, &email).await;
        if let Some(d) = liens(&r, "/dossiers?etat=en_instruction", &gest)
            .await
            .into_iter()
            .next()
        {
            trouve = Some((gest, d));
            break;
        }
    }
    let (gest, dossier) = trouve.expect("un dossier en instruction d'un gestionnaire de l'Isère");
    let (statut, _) = post(
        &r,
        &format!("{dossier}/messages"),
        &agent,
        "texte=Structure+solide%2C+avis+favorable&prive=1",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    let (statut, _) = post(
        &r,
        &format!("{dossier}/messages"),
        &agent,
        "texte=Merci+de+joindre+le+budget",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    let (_, vu_caf) = get(&r, &dossier, &agent.cookie).await;
    let p = Page::lire(&vu_caf);
    // Annotations and messages in two sections, never mixed.
    assert!(
        p.texte("#annotations")
            .contains("Structure solide, avis favorable")
    );
    assert!(!p.texte("#messagerie").contains("Structure solide"));
    assert!(
        p.texte("#messagerie")
            .contains("Merci de joindre le budget")
    );
    assert!(p.texte("nav.sommaire").contains("Historique"));
    assert!(
        p.texte("#historique")
            .contains("dossier pris en instruction")
    );
    let (_, vu_porteur) = get(&r, &dossier, &gest.cookie).await;
    assert!(vu_porteur.contains("Merci de joindre le budget"));
    assert!(
        !vu_porteur.contains("Structure solide"),
        "annotation visible du porteur"
    );
    assert!(!vu_porteur.contains("id=\"annotations\""));
    assert!(!vu_porteur.contains("id=\"historique\""));
    assert!(!vu_porteur.contains("Annotations privées"));
}

sur_les_deux_moteurs!(chaque_action_est_confirmee_avec_la_suite);
async fn chaque_action_est_confirmee_avec_la_suite() {
    let (r, _) = routeur().await;
    // In the Gard, so as not to change the Isère's dossiers the other tests use.
    let agent = connecter(&r, "agent.30@demo.parentalite.fr").await;
    let dossier = liens(&r, "/dossiers?etat=depose", &agent)
        .await
        .into_iter()
        .next()
        .expect("un dossier déposé dans le Gard");
    let (_, page) = get(&r, &dossier, &agent.cookie).await;
    let (statut, vers) = post(
        &r,
        &format!("{dossier}/action"),
        &agent,
        &format!("action=instruire&version={}", version(&page)),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{vers}");
    assert_eq!(vers, format!("{dossier}?fait=instruire"));
    let (_, page) = get(&r, &vers, &agent.cookie).await;
    let confirmation = Page::lire(&page).texte("[role=status]#confirmation");
    assert!(
        confirmation.contains("Dossier pris en instruction.")
            && confirmation.contains("Prochaine étape : le présenter en comité"),
        "{confirmation}"
    );
    // Without the code, or with one that names nothing, no confirmation.
    let (_, page) = get(&r, &dossier, &agent.cookie).await;
    assert!(!page.contains("id=\"confirmation\""));
    let (_, page) = get(&r, &format!("{dossier}?fait=n%27importe"), &agent.cookie).await;
    assert!(!page.contains("id=\"confirmation\""));
}

/// The version of the dossier shown in one of its action forms.
fn version_du_formulaire(page: &str, action: &str) -> String {
    let page = Page::lire(page);
    let formulaire = page
        .tous("form")
        .into_iter()
        .find(|f| {
            f.select(
                &scraper::Selector::parse(&format!("input[name=action][value={action}]")).unwrap(),
            )
            .next()
            .is_some()
        })
        .unwrap_or_else(|| panic!("formulaire « {action} » absent"));
    formulaire
        .select(&scraper::Selector::parse("input[name=version]").unwrap())
        .next()
        .and_then(|i| i.value().attr("value"))
        .unwrap()
        .to_owned()
}

sur_les_deux_moteurs!(un_financeur_donne_son_avis_avant_le_comite);
async fn un_financeur_donne_son_avis_avant_le_comite() {
    let (r, plateforme) = routeur().await;
    let financeur = connecter(&r, "financeur.38@demo.parentalite.fr").await;
    let agent = connecter(&r, AGENT).await;
    let dossier = liens(&r, "/dossiers?etat=presente_en_comite", &agent)
        .await
        .into_iter()
        .next()
        .expect("un dossier présenté en comité en Isère");
    let (statut, page) = get(&r, &dossier, &financeur.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    // Nothing chosen in advance.
    let fiche = Page::lire(&page);
    assert_eq!(
        fiche.attribut("#avis-sens option[selected]", "value"),
        "",
        "aucun avis choisi d'avance"
    );
    let version = version_du_formulaire(&page, "avis");
    // Three bad fields, three messages, each beside its field, what was typed kept.
    let (statut, page) = post(
        &r,
        &format!("{dossier}/action"),
        &financeur,
        &format!("action=avis&version={version}&sens=&montant_envisage=beaucoup&commentaire="),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    let refus = Page::lire(&page);
    assert!(refus.texte("#avis-sens-erreur").contains("choisissez"));
    assert!(
        refus
            .texte("#avis-montant_envisage-erreur")
            .contains("Montant envisagé")
    );
    assert_eq!(
        refus.attribut("#avis-montant_envisage", "value"),
        "beaucoup"
    );
    let (_, page) = post(
        &r,
        &format!("{dossier}/action"),
        &financeur,
        &format!("action=avis&version={version}&sens=reserve&montant_envisage=x&commentaire=+"),
    )
    .await;
    let refus = Page::lire(&page);
    assert_eq!(
        refus.tous("#erreurs li").len(),
        2,
        "{}",
        refus.texte("#erreurs")
    );
    assert!(refus.texte("#avis-commentaire-erreur").contains("réserves"));
    assert!(
        refus
            .texte("#avis-montant_envisage-erreur")
            .contains("Montant envisagé")
    );
    // Given.
    let (statut, vers) = post(
        &r,
        &format!("{dossier}/action"),
        &financeur,
        &format!(
            "action=avis&version={version}&sens=reserve&montant_envisage=4+000&commentaire=Sous+r%C3%A9serve+du+diagnostic+partag%C3%A9"
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{vers}");
    assert_eq!(vers, format!("{dossier}?fait=avis"));
    // The same form sent twice (a double click): the second finds the dossier changed and
    // records nothing.
    let (statut, _) = post(
        &r,
        &format!("{dossier}/action"),
        &financeur,
        &format!(
            "action=avis&version={version}&sens=reserve&montant_envisage=4+000&commentaire=Sous+r%C3%A9serve+du+diagnostic+partag%C3%A9"
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::CONFLICT);
    let (_, page) = get(&r, &vers, &financeur.cookie).await;
    assert!(
        Page::lire(&page)
            .texte("#confirmation")
            .contains("Avis de votre financeur enregistré")
    );
    // The Caf reads it with the funder's name, in its history too.
    let (_, page) = get(&r, &dossier, &agent.cookie).await;
    let avis = Page::lire(&page).texte("#avis-financeurs");
    assert!(
        avis.contains("Conseil départemental de l'Isère : favorable avec réserves, montant envisagé 4 000,00 € – Sous réserve du diagnostic partagé"),
        "{avis}"
    );
    assert!(
        Page::lire(&page)
            .texte("#historique")
            .contains("avis favorable avec réserves de Conseil départemental de l'Isère")
    );
    // The applicant never reads it, on its page or through the API.
    let id = domain::identifiants::DossierId(dossier.rsplit('/').next().unwrap().parse().unwrap());
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let vu_par_la_cnaf = plateforme.dossier(&cnaf, id).await.unwrap().valeur;
    assert_eq!(vu_par_la_cnaf.avis_financeurs.len(), 1);
    let porteur = Acteur::gestionnaire(UtilisateurId(0), [vu_par_la_cnaf.gestionnaire]);
    let vu_par_le_porteur = plateforme.dossier(&porteur, id).await.unwrap().valeur;
    assert!(vu_par_le_porteur.avis_financeurs.is_empty());
}

sur_les_deux_moteurs!(chaque_erreur_d_un_nouveau_projet_est_dite_a_cote_de_son_champ);
async fn chaque_erreur_d_un_nouveau_projet_est_dite_a_cote_de_son_champ() {
    let (r, _) = routeur().await;
    let gestionnaire = connecter(&r, "gestionnaire.38.1@demo.parentalite.fr").await;
    let (statut, page) = post(
        &r,
        "/dossiers/nouveau",
        &gestionnaire,
        "intitule=Projet&etp_demandes=beaucoup&debut=demain&fin=31%2F13%2F2025&charges=cher&produits=1000&demande_caf=-5",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let refus = Page::lire(&page);
    for champ in [
        "appel",
        "etp_demandes",
        "debut",
        "fin",
        "charges",
        "demande_caf",
    ] {
        assert!(
            !refus.texte(&format!("#{champ}-erreur")).is_empty(),
            "pas de message pour {champ}"
        );
        assert_eq!(refus.attribut(&format!("#{champ}"), "aria-invalid"), "true");
    }
    assert_eq!(
        refus.tous("#erreurs li").len(),
        6,
        "{}",
        refus.texte("#erreurs")
    );
    // What was typed is kept.
    assert_eq!(refus.attribut("#etp_demandes", "value"), "beaucoup");
    assert_eq!(refus.attribut("#produits", "value"), "1000");
}

sur_les_deux_moteurs!(chaque_erreur_d_une_decision_est_dite_a_cote_de_son_champ);
async fn chaque_erreur_d_une_decision_est_dite_a_cote_de_son_champ() {
    let (r, _) = routeur().await;
    let agent = connecter(&r, AGENT).await;
    let mut dossier = None;
    for d in liens(&r, "/dossiers?etat=presente_en_comite", &agent).await {
        let (_, page) = get(&r, &d, &agent.cookie).await;
        if !Page::lire(&page).tous("#decider-etp_notifies").is_empty() {
            dossier = Some((d, version_du_formulaire(&page, "decider")));
            break;
        }
    }
    let (dossier, version) = dossier.expect("un dossier AIP présenté en comité en Isère");
    // Nothing decided in advance.
    let (_, page) = get(&r, &dossier, &agent.cookie).await;
    assert_eq!(
        Page::lire(&page).attribut("#decider-issue option[selected]", "value"),
        ""
    );
    let (statut, page) = post(
        &r,
        &format!("{dossier}/action"),
        &agent,
        &format!("action=decider&version={version}&issue=valide&etp_notifies=deux&date_effet=bient%C3%B4t&montant_caf=x&motivation=Conforme"),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    let refus = Page::lire(&page);
    for champ in [
        "decider-etp_notifies",
        "decider-date_effet",
        "decider-montant_caf",
    ] {
        assert!(
            !refus.texte(&format!("#{champ}-erreur")).is_empty(),
            "pas de message pour {champ}"
        );
    }
    assert_eq!(
        refus.tous("#erreurs li").len(),
        3,
        "{}",
        refus.texte("#erreurs")
    );
    assert_eq!(refus.attribut("#decider-etp_notifies", "value"), "deux");
    // Without an outcome: said beside the outcome.
    let (_, page) = post(
        &r,
        &format!("{dossier}/action"),
        &agent,
        &format!("action=decider&version={version}&issue=&motivation=Conforme"),
    )
    .await;
    assert!(
        Page::lire(&page)
            .texte("#decider-issue-erreur")
            .contains("choisissez")
    );
}

sur_les_deux_moteurs!(un_agent_agit_sur_plusieurs_dossiers_et_enregistre_ses_filtres);
async fn un_agent_agit_sur_plusieurs_dossiers_et_enregistre_ses_filtres() {
    let (r, plateforme) = routeur().await;
    let agent = connecter(&r, AGENT).await;
    // Two dossiers being instructed (submitted or under instruction).
    let mut cases = Vec::new();
    for etat in ["en_instruction", "depose", "complement_demande"] {
        let (_, liste) = get(&r, &format!("/dossiers?etat={etat}"), &agent.cookie).await;
        cases.extend(
            Page::lire(&liste)
                .tous("input[name=dossier]")
                .into_iter()
                .filter_map(|c| c.value().attr("value").map(str::to_owned)),
        );
    }
    cases.truncate(2);
    assert_eq!(
        cases.len(),
        2,
        "deux dossiers en cours d'instruction à cocher"
    );
    let (_, liste) = get(&r, "/dossiers", &agent.cookie).await;
    let page = Page::lire(&liste);
    let collegue = page
        .tous("#lot-agent option")
        .into_iter()
        .find(|o| commun::texte(*o) == COLLEGUE)
        .and_then(|o| o.value().attr("value").map(str::to_owned))
        .expect("le collègue parmi les agents");
    // Nothing ticked: said, nothing done.
    let (statut, page) = post(&r, "/dossiers/lot", &agent, "operation=attribuer&agent=").await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        Page::lire(&page)
            .texte("#erreurs")
            .contains("Cochez au moins un dossier")
    );
    // Both assigned to the colleague, each reported.
    let (statut, page) = post(
        &r,
        "/dossiers/lot",
        &agent,
        &format!(
            "dossier={}&dossier={}&operation=attribuer&agent={collegue}",
            cases[0], cases[1]
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    let resultat = Page::lire(&page);
    assert!(
        resultat
            .texte("#confirmation")
            .contains("2 dossier(s) sur 2 attribué(s)"),
        "{}",
        resultat.texte("#confirmation")
    );
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    for id in &cases {
        let d = plateforme
            .dossier(&cnaf, domain::identifiants::DossierId(id.parse().unwrap()))
            .await
            .unwrap()
            .valeur;
        assert_eq!(d.suivi_par.map(|u| u.0.to_string()), Some(collegue.clone()));
    }
    // The same message to both applicants.
    let (_, page) = post(
        &r,
        "/dossiers/lot",
        &agent,
        &format!(
            "dossier={}&dossier={}&operation=ecrire&message=Le+comit%C3%A9+se+r%C3%A9unit+le+15+mars.",
            cases[0], cases[1]
        ),
    )
    .await;
    assert!(
        Page::lire(&page)
            .texte("#confirmation")
            .contains("2 dossier(s) sur 2")
    );
    for id in &cases {
        let (_, fiche) = get(&r, &format!("/dossiers/{id}"), &agent.cookie).await;
        assert!(
            Page::lire(&fiche)
                .texte("#messagerie")
                .contains("Le comité se réunit le 15 mars."),
            "dossier {id}"
        );
    }
    // A saved filter: listed above the list, leads to it, and can be deleted.
    let (statut, vers) = post(
        &r,
        "/dossiers/filtres",
        &agent,
        "nom=Mes+d%C3%A9pos%C3%A9s&requete=%3Fetat%3Ddepose%26mes%3D1",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{vers}");
    assert_eq!(vers, "/dossiers?etat=depose&mes=1");
    // Saved twice (a double click): one filter.
    post(
        &r,
        "/dossiers/filtres",
        &agent,
        "nom=Mes+d%C3%A9pos%C3%A9s&requete=%3Fetat%3Ddepose%26mes%3D1",
    )
    .await;
    let (_, liste) = get(&r, "/dossiers", &agent.cookie).await;
    let liste = Page::lire(&liste);
    assert_eq!(
        liste.attribut("nav[aria-labelledby=titre-filtres] a", "href"),
        "/dossiers?etat=depose&mes=1"
    );
    assert_eq!(liste.tous("nav[aria-labelledby=titre-filtres] li").len(), 1);
    let (statut, page) = post(
        &r,
        "/dossiers/filtres",
        &agent,
        "nom=+&requete=%3Fetat%3Ddepose",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!Page::lire(&page).texte("#filtre-nom-erreur").is_empty());
    let suppression = liste.attribut("nav[aria-labelledby=titre-filtres] form", "action");
    let (statut, _) = post(&r, &suppression, &agent, "").await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    let (_, liste) = get(&r, "/dossiers", &agent.cookie).await;
    assert!(
        Page::lire(&liste)
            .tous("nav[aria-labelledby=titre-filtres]")
            .is_empty()
    );
}

sur_les_deux_moteurs!(chaque_erreur_d_un_projet_modifie_est_dite_a_cote_de_son_champ);
async fn chaque_erreur_d_un_projet_modifie_est_dite_a_cote_de_son_champ() {
    let (r, _) = routeur().await;
    let gestionnaire = connecter(&r, "gestionnaire.38.1@demo.parentalite.fr").await;
    // A draft answering an open call.
    let (_, formulaire) = get(&r, "/dossiers/nouveau", &gestionnaire.cookie).await;
    let appel = Page::lire(&formulaire).attribut("#appel option", "value");
    let (statut, dossier) = post(
        &r,
        "/dossiers/nouveau",
        &gestionnaire,
        &format!("appel={appel}&intitule=Projet+du+quartier&charges=1000&produits=1000"),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{dossier}");
    let (_, page) = get(&r, &dossier, &gestionnaire.cookie).await;
    // Before submitting, the page says what the submission would refuse.
    assert!(
        Page::lire(&page)
            .texte("#avant-depot")
            .contains("à compléter"),
        "{}",
        Page::lire(&page).texte("#avant-depot")
    );
    let version =
        Page::lire(&page).attribut("form[action$='/projet'] input[name=version]", "value");
    let (statut, page) = post(
        &r,
        &format!("{dossier}/projet"),
        &gestionnaire,
        &format!(
            "version={version}&intitule=Projet+du+quartier&etp_demandes=un&debut=hier&fin=2025-13-01&demande_caf=gratuit"
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    let refus = Page::lire(&page);
    for champ in ["etp_demandes", "debut", "fin", "demande_caf"] {
        assert!(
            !refus.texte(&format!("#{champ}-erreur")).is_empty(),
            "pas de message pour {champ}"
        );
    }
    assert_eq!(
        refus.tous("#erreurs li").len(),
        4,
        "{}",
        refus.texte("#erreurs")
    );
    assert_eq!(refus.attribut("#etp_demandes", "value"), "un");
    assert_eq!(refus.attribut("#demande_caf", "value"), "gratuit");
}
