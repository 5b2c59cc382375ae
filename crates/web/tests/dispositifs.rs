//! A REAAP project through the web application, on both engines: its financing plan on the
//! dossier page and in the comité's agenda, a decision by amount (no FTE, the Caf's share
//! required), a convention with an échéancier frozen in exact cents, and each instalment paid
//! once by the Caf from its date; the AIP's own forms unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::Acteur;
use domain::appel_a_projets::Dispositif;
use domain::identifiants::UtilisateurId;
use domain::paiement::NaturePaiement;
use domain::quantites::Centimes;
use domain::structures::Cofinanceur;
use web::Etat;

use aide::corps;
use commun::{Demo, demo_du_moteur};

/// One demonstration per engine for the whole file.
fn demo() -> &'static Demo {
    demo_du_moteur("dispositifs")
}

struct Session {
    cookie: String,
    csrf: String,
}

async fn connecter(r: &axum::Router, email: &str) -> Session {
    let cookie = aide::connecter(r, email, &demo().mots_de_passe[email]).await;
    let (_, _, accueil) = get(r, "/", &cookie).await;
    let csrf = accueil
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    Session { cookie, csrf }
}

async fn get(
    r: &axum::Router,
    chemin: &str,
    cookie: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    corps(
        r,
        Request::get(chemin)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(
    r: &axum::Router,
    chemin: &str,
    s: &Session,
    formulaire: &str,
) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &s.cookie)
            .body(Body::from(format!("_csrf={}&{formulaire}", s.csrf)))
            .unwrap(),
    )
    .await;
    (statut, page)
}

sur_les_deux_moteurs!(un_projet_reaap_va_du_plan_de_financement_au_premier_versement);
async fn un_projet_reaap_va_du_plan_de_financement_au_premier_versement() {
    let d = demo();
    let plateforme = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    // A gestionnaire answers the open REAAP call with a financing plan asking the Caf and the
    // département's council; no FTE.
    let appel = plateforme
        .appels(&cnaf)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.valeur)
        .find(|a| a.dispositif == Dispositif::Reaap && a.est_ouvert(d.aujourd_hui))
        .expect("appel REAAP ouvert");
    let conseil = plateforme
        .financeurs_des_departements(&[appel.departement])
        .await
        .unwrap()
        .remove(0);
    let gest = connecter(&r, "gestionnaire.38.10@demo.parentalite.fr").await;
    let (statut, page) = post(
        &r,
        "/dossiers/nouveau",
        &gest,
        &format!(
            "appel={}&intitule=Caf%C3%A9s+des+parents&objectifs=Rompre+l%27isolement&moyens=Une+animatrice&etp_demandes=&debut={}&fin={}&charges=18000&produits=18000&modalites_evaluation=Questionnaire&diagnostic_local=Isolement&partenaires=PMI&information_familles=Affiches&demande_caf=9000&demande_financeur_{}=6000",
            appel.id, appel.debut_periode, appel.fin_periode, conseil.id
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
        .find(|x| x.appel == appel.id && x.gestionnaire.0 > 0)
        .expect("projet REAAP créé");
    // The draft's form keeps the amount asked of the Caf.
    let (_, _, brouillon) = get(&r, &format!("/dossiers/{}", dossier.id), &gest.cookie).await;
    assert!(
        brouillon.contains("name=\"demande_caf\" value=\"9000,00\""),
        "{brouillon}"
    );
    let (statut, page) = post(
        &r,
        &format!("/dossiers/{}/action", dossier.id),
        &gest,
        "action=deposer",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(
        dossier
            .projet
            .montant_demande(Cofinanceur::Partenaire(conseil.id)),
        Some(Centimes::new(600_000))
    );
    assert_eq!(
        dossier.projet.montant_demande(Cofinanceur::Caf),
        Some(Centimes::new(900_000))
    );
    let url = format!("/dossiers/{}", dossier.id);
    let agent = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (statut, _, fiche) = get(&r, &url, &agent.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    let plan = fiche.split("Plan de financement</h2>").nth(1).unwrap();
    assert!(
        plan.contains("9\u{202f}000,00\u{a0}€") || plan.contains("9\u{202f}000,00"),
        "{plan}"
    );
    assert!(plan.contains("Conseil départemental"), "{plan}");
    assert!(fiche.contains("Budget prévisionnel : 18"), "{fiche}");

    let action = format!("{url}/action");
    let aujourd_hui = d.aujourd_hui;
    // The line of the Isère in the agenda's table of the other schemes: (projects, amount).
    let ligne_isere = |page: &str| -> (String, String) {
        let cellules: Vec<String> = page
            .split("Projets des autres dispositifs présentés, au montant demandé à la Caf")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .and_then(|t| t.split("<td>38</td>").nth(1))
            .map(|l| {
                l.split("</tr>")
                    .next()
                    .unwrap_or_default()
                    .split("class=\"nombre\">")
                    .skip(1)
                    .map(|c| c.split('<').next().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        (
            cellules.first().cloned().unwrap_or_default(),
            cellules.get(1).cloned().unwrap_or_default(),
        )
    };
    let (_, _, ordre) = get(&r, "/dossiers?etat=presente_en_comite", &agent.cookie).await;
    let avant = ligne_isere(&ordre);
    for corps in [
        "action=instruire".to_owned(),
        format!("action=presenter&date_comite={aujourd_hui}"),
    ] {
        let (statut, page) = post(&r, &action, &agent, &corps).await;
        assert_eq!(statut, StatusCode::SEE_OTHER, "{corps}: {page}");
    }
    // In the comité's agenda, valued at the amount asked of the Caf.
    let (_, _, ordre) = get(&r, "/dossiers?etat=presente_en_comite", &agent.cookie).await;
    assert!(
        ordre.contains("Projets des autres dispositifs présentés, au montant demandé à la Caf"),
        "tableau des autres dispositifs"
    );
    let apres = ligne_isere(&ordre);
    let euros = |t: &str| -> i64 {
        t.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0)
    };
    assert_eq!(
        apres.0.parse::<i64>().unwrap(),
        avant.0.parse::<i64>().unwrap_or(0) + 1,
        "{avant:?} {apres:?}"
    );
    assert_eq!(
        euros(&apres.1) - euros(&avant.1),
        900_000,
        "{avant:?} {apres:?}"
    );
    // The decision form asks no FTE.
    let (_, _, fiche) = get(&r, &url, &agent.cookie).await;
    assert!(fiche.contains("se décide par montant"), "{fiche}");
    assert!(!fiche.contains("name=\"etp_notifies\""), "{fiche}");
    // Validated without an amount from the Caf: refused, next to the field.
    let (statut, page) = post(
        &r,
        &action,
        &agent,
        "action=decider&issue=valide&montant_caf=0&motivation=Projet+utile",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("decider-montant_caf-erreur"), "{page}");
    assert!(page.contains("supérieur à zéro"), "{page}");
    let (statut, page) = post(
        &r,
        &action,
        &agent,
        "action=decider&issue=valide&montant_caf=8+500&motivation=Projet+utile",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (_, _, fiche) = get(&r, &url, &agent.cookie).await;
    let plan = fiche.split("Plan de financement</h2>").nth(1).unwrap();
    assert!(plan.contains("accordé : 8"), "{plan}");
    // The convention: two instalments, 50 % each, the first from the project's start.
    let debut = dossier.projet.debut.unwrap();
    let fin = dossier.projet.fin.unwrap();
    let second = time::Date::from_calendar_date(fin.year(), time::Month::January, 1).unwrap();
    let numero = format!("COF-38-REAAP-{}", dossier.id);
    // Percentages that do not make 100 %: refused.
    let (statut, page) = post(
        &r,
        &action,
        &agent,
        &format!(
            "action=convention&numero={numero}&debut={debut}&fin={fin}&mode_echeancier=pourcentages&versement_date_1={debut}&versement_valeur_1=50&versement_date_2={second}&versement_valeur_2=40"
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("100 %"), "{page}");
    let (statut, page) = post(
        &r,
        &action,
        &agent,
        &format!(
            "action=convention&numero={numero}&debut={debut}&fin={fin}&mode_echeancier=pourcentages&versement_date_1={debut}&versement_valeur_1=50&versement_date_2={second}&versement_valeur_2=50"
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let convention = plateforme
        .conventions(&cnaf)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.valeur)
        .find(|c| c.numero == numero)
        .unwrap();
    assert_eq!(convention.notification_initiale, None);
    let montants: Vec<i64> = convention
        .echeancier
        .iter()
        .map(|v| v.montant.centimes())
        .collect();
    assert_eq!(montants, vec![425_000, 425_000]);
    // Both parties sign; the Caf pays the first instalment, once.
    let cible = format!("/conventions/{}/action", convention.id);
    let (statut, page) = post(&r, &cible, &gest, "action=signer_gestionnaire&accepte=1").await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (_, _, conv) = get(&r, &format!("/conventions/{}", convention.id), &gest.cookie).await;
    assert!(conv.contains("<h2>Échéancier</h2>"), "{conv}");
    assert!(!conv.contains("Saisir une déclaration"), "{conv}");
    let (statut, page) = post(
        &r,
        &cible,
        &agent,
        &format!("action=signer&date_signature={aujourd_hui}"),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let (_, _, conv) = get(
        &r,
        &format!("/conventions/{}", convention.id),
        &agent.cookie,
    )
    .await;
    assert!(conv.contains("Verser le versement n°1"), "{conv}");
    // The preview of a payment run lists it as due, for its frozen amount.
    let (_, _, dus) = get(&r, "/paiements/campagne", &agent.cookie).await;
    let ligne = dus
        .split(&format!(">{numero}</a>"))
        .nth(1)
        .expect("versement dû listé")
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        ligne.contains("versement n°1") && ligne.contains("250,00"),
        "{ligne}"
    );
    assert!(!conv.contains("Verser le versement n°2"), "{conv}");
    for _ in 0..2 {
        let (statut, page) = post(&r, &cible, &agent, "action=verser&rang=1").await;
        assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    }
    // Not due yet: refused.
    let (statut, page) = post(&r, &cible, &agent, "action=verser&rang=2").await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let paiements = plateforme
        .paiements(&cnaf, Some(convention.id))
        .await
        .unwrap();
    assert_eq!(paiements.len(), 1, "payé une seule fois");
    assert_eq!(paiements[0].valeur.nature, NaturePaiement::Versement(1));
    assert_eq!(paiements[0].valeur.montant, Centimes::new(425_000));
    // The payment run pays nothing more, and the gestionnaire cannot pay.
    let campagne = plateforme
        .emettre_paiements_dus(
            &plateforme
                .utilisateur_par_email("agent.38@demo.parentalite.fr")
                .await
                .unwrap()
                .unwrap()
                .1,
            aujourd_hui,
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    assert!(
        campagne.emis.iter().all(|p| p.convention != convention.id),
        "{:?}",
        campagne.emis
    );
    let (statut, _) = post(&r, &cible, &gest, "action=verser&rang=1").await;
    assert!(statut.is_client_error(), "{statut}");
    let (_, _, conv) = get(
        &r,
        &format!("/conventions/{}", convention.id),
        &agent.cookie,
    )
    .await;
    assert!(conv.contains("versé le"), "{conv}");
    let (statut, _, _) = get(
        &r,
        &format!("/conventions/{}/convention.pdf", convention.id),
        &agent.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
}

sur_les_deux_moteurs!(la_decision_aip_garde_ses_etp);
async fn la_decision_aip_garde_ses_etp() {
    let plateforme = demo().plateforme().await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let dossier = plateforme
        .dossiers(&cnaf, Some("presente_en_comite"))
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.valeur)
        .find(|x| x.dispositif == Dispositif::Aip)
        .expect("dossier AIP présenté en comité");
    let agent = connecter(
        &r,
        &format!(
            "agent.{}@demo.parentalite.fr",
            dossier.departement.as_str().to_lowercase()
        ),
    )
    .await;
    let (_, _, fiche) = get(&r, &format!("/dossiers/{}", dossier.id), &agent.cookie).await;
    assert!(fiche.contains("name=\"etp_notifies\""), "{fiche}");
    assert!(fiche.contains("Plan de financement</h2>"), "{fiche}");
}
