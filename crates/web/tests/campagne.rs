//! A payment run through the web pages: the preview lists every payment due with the amount the
//! domain froze, its payee and bank details; the confirmation issues exactly what was previewed,
//! refuses a stale preview, pays nothing twice when sent again; the run's file has the documented
//! columns and sums to the run's total (docs/export-paiements.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aide;

use app::demo::OptionsDemo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::paiement::{Du, NaturePaiement};
use domain::structures::Gestionnaire;
use web::Etat;

use aide::{connecter, corps, demonstration};

fn champ(page: &str, nom: &str) -> String {
    page.split(&format!("name=\"{nom}\" value=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("champ {nom} absent de {page}"))
        .to_owned()
}

async fn lire(r: &axum::Router, chemin: &str, cookie: &str) -> (StatusCode, String) {
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

async fn poster(
    r: &axum::Router,
    chemin: &str,
    cookie: &str,
    corps_: String,
) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(corps_))
            .unwrap(),
    )
    .await;
    (statut, page)
}

type Ligne = (i64, i32, NaturePaiement, i64);

fn cle(l: &Ligne) -> (i64, i32, String, i64) {
    (l.0, l.1, format!("{:?}", l.2), l.3)
}

fn euros(centimes: i64) -> String {
    referentiel::aip::rendu::euros_fr(i128::from(centimes))
}

#[tokio::test]
async fn campagne_apercue_confirmee_exportee() {
    let (plateforme, resume) = demonstration(
        "campagne",
        OptionsDemo {
            emettre_paiements: false,
            ..OptionsDemo::default()
        },
    )
    .await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let agent = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "caf")
        .unwrap();
    let (_, caf) = plateforme
        .utilisateur_par_email(&agent.email)
        .await
        .unwrap()
        .unwrap();
    let cookie = connecter(&r, &agent.email, &agent.mot_de_passe).await;
    let aujourd_hui = time::OffsetDateTime::now_utc().date();

    // What the platform says is due, with the amounts it froze.
    let mut attendus: Vec<Ligne> = Vec::new();
    for d in plateforme.paiements_a_emettre(&caf).await.unwrap() {
        if let Du::Montant { nature, montant } = d.du {
            attendus.push((d.convention.0, d.exercice, nature, montant.centimes()));
        }
    }
    for (cid, exercice, echeance) in plateforme.versements_dus(&caf, aujourd_hui).await.unwrap() {
        let app::Echeance::Versement(rang) = echeance else {
            continue;
        };
        let c = plateforme.convention(&caf, cid).await.unwrap().valeur;
        let montant = c.versement(rang).unwrap().montant.centimes();
        attendus.push((cid.0, exercice, NaturePaiement::Versement(rang), montant));
    }
    attendus.sort_by_key(cle);
    assert!(
        attendus.len() >= 3,
        "au moins trois paiements dus: {attendus:?}"
    );

    // One structure loses its bank details: its line is shown as blocking and not issued.
    let bloquee = plateforme
        .convention(&caf, domain::identifiants::ConventionId(attendus[0].0))
        .await
        .unwrap()
        .valeur
        .gestionnaire;
    {
        let mut tx = plateforme.base.debuter().await.unwrap();
        let mut g = store::depot::lire::<Gestionnaire>(&mut tx, bloquee.0)
            .await
            .unwrap();
        g.valeur.banque = None;
        store::depot::mettre_a_jour(&mut tx, &g.valeur, g.version)
            .await
            .unwrap();
        tx.valider().await.unwrap();
    }

    // Another structure's account holder reads as a formula: the file neutralises it.
    let piegee = {
        let mut piegee = None;
        for l in &attendus {
            let g = plateforme
                .convention(&caf, domain::identifiants::ConventionId(l.0))
                .await
                .unwrap()
                .valeur
                .gestionnaire;
            if g != bloquee {
                piegee = Some(g);
                break;
            }
        }
        piegee.expect("deux structures à payer")
    };
    {
        let mut tx = plateforme.base.debuter().await.unwrap();
        let mut g = store::depot::lire::<Gestionnaire>(&mut tx, piegee.0)
            .await
            .unwrap();
        g.valeur.banque.as_mut().unwrap().titulaire = "=SOMME(A1:A9)".to_owned();
        store::depot::mettre_a_jour(&mut tx, &g.valeur, g.version)
            .await
            .unwrap();
        tx.valider().await.unwrap();
    }

    // The preview lists them with the frozen amounts and the total.
    let apercu = plateforme.apercu_campagne(&caf, aujourd_hui).await.unwrap();

    let mut lus: Vec<Ligne> = apercu
        .lignes
        .iter()
        .map(|l| (l.convention.0, l.exercice, l.nature, l.montant.centimes()))
        .collect();
    lus.sort_by_key(cle);
    assert_eq!(lus, attendus);
    let (statut, page) = lire(&r, "/paiements/campagne", &cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    for l in &apercu.lignes {
        assert!(page.contains(&l.numero), "{}", l.numero);
        assert!(
            page.contains(&euros(l.montant_signe().centimes())),
            "{page}"
        );
        assert!(page.contains(&l.siret), "{page}");
    }
    assert!(page.contains("Bloquant : aucun IBAN"), "{page}");
    let payables: Vec<_> = apercu.payables().cloned().collect();
    assert!(payables.len() < apercu.lignes.len() && payables.len() >= 2);
    let total = euros(apercu.total().centimes());
    assert!(
        page.contains(&format!(
            "Confirmer la campagne ({} paiements, total {total})",
            payables.len()
        )),
        "{page}"
    );
    let perimee = champ(&page, "empreinte");
    assert_eq!(perimee, apercu.empreinte());

    // One payment issued in between: the preview is stale, nothing is issued.
    let premier = &payables[0];
    let (statut, _) = poster(
        &r,
        "/paiements",
        &cookie,
        format!("_csrf={}", champ(&page, "_csrf")),
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    let quand = time::OffsetDateTime::now_utc();
    plateforme
        .emettre_paiement(
            &caf,
            premier.convention,
            premier.exercice,
            premier.echeance,
            quand.date(),
            quand,
        )
        .await
        .unwrap();
    let csrf = champ(&page, "_csrf");
    let (statut, reponse) = poster(
        &r,
        "/paiements/campagne",
        &cookie,
        format!("_csrf={csrf}&empreinte={perimee}"),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{reponse}");
    assert!(reponse.contains("a changé depuis l’aperçu"), "{reponse}");
    assert!(plateforme.campagnes(&caf).await.unwrap().is_empty());

    // The fresh preview, confirmed: exactly its payable lines are issued.
    let apercu = plateforme.apercu_campagne(&caf, aujourd_hui).await.unwrap();
    let (_, page) = lire(&r, "/paiements/campagne", &cookie).await;
    let empreinte = champ(&page, "empreinte");
    assert_eq!(empreinte, apercu.empreinte());
    let (statut, reponse) = poster(
        &r,
        "/paiements/campagne",
        &cookie,
        format!("_csrf={csrf}&empreinte={empreinte}"),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{reponse}");
    assert!(reponse.contains("Campagne confirmée"), "{reponse}");
    let campagnes = plateforme.campagnes(&caf).await.unwrap();
    assert_eq!(campagnes.len(), 1);
    let campagne = &campagnes[0];
    let mut emis: Vec<Ligne> = campagne
        .paiements
        .iter()
        .map(|p| (p.convention.0, p.exercice, p.nature, p.montant.centimes()))
        .collect();
    emis.sort_by_key(cle);
    let mut prevus: Vec<Ligne> = apercu
        .payables()
        .map(|l| (l.convention.0, l.exercice, l.nature, l.montant.centimes()))
        .collect();
    prevus.sort_by_key(cle);
    assert_eq!(emis, prevus);
    assert_eq!(campagne.total(), apercu.total());
    assert!(campagne.paiements.iter().all(|p| p.gestionnaire != bloquee));
    assert!(campagne.paiements.iter().all(|p| p.banque.is_some()));
    assert!(reponse.contains(&format!("Total net : {}", euros(apercu.total().centimes()))));

    // The same confirmation again: nothing is paid twice, and the page says so.
    let nombre = plateforme.paiements(&caf, None).await.unwrap().len();
    let (statut, reponse) = poster(
        &r,
        "/paiements/campagne",
        &cookie,
        format!("_csrf={csrf}&empreinte={empreinte}"),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{reponse}");
    assert!(reponse.contains("déjà été confirmée"), "{reponse}");
    assert!(
        reponse.contains("rien n’a été payé une seconde fois"),
        "{reponse}"
    );
    assert_eq!(
        plateforme.paiements(&caf, None).await.unwrap().len(),
        nombre
    );

    // The run's file: the documented columns, one line per payment, summing to the total.
    let (_, liste) = lire(&r, "/paiements", &cookie).await;
    let lien = format!("/paiements/campagnes/{}.csv", campagne.campagne);
    assert!(liste.contains(&lien), "{liste}");
    let (statut, fichier) = lire(&r, &lien, &cookie).await;
    assert_eq!(statut, StatusCode::OK, "{fichier}");
    let fichier = fichier.strip_prefix('\u{feff}').expect("UTF-8 avec BOM");
    let mut lignes = fichier.split("\r\n").filter(|l| !l.is_empty());
    assert_eq!(
        lignes.next().unwrap(),
        "Campagne;Référence;Date de paiement;Sens;Montant (€);Bénéficiaire;IBAN;BIC;Convention;Exercice;Nature;Département"
    );
    let mut somme = 0i64;
    let mut nombre_lignes = 0;
    for ligne in lignes {
        let cellules: Vec<&str> = ligne.split(';').collect();
        assert_eq!(cellules.len(), 12, "{ligne}");
        assert_eq!(cellules[0], campagne.campagne);
        assert!(
            cellules[6].starts_with("FR") && cellules[6].len() == 27,
            "{ligne}"
        );
        let (euros_, centimes) = cellules[4].split_once(',').expect("virgule décimale");
        assert_eq!(centimes.len(), 2, "{ligne}");
        let montant: i64 = euros_.parse::<i64>().unwrap() * 100 + centimes.parse::<i64>().unwrap();
        somme += if cellules[3] == "recouvrement" {
            -montant
        } else {
            montant
        };
        nombre_lignes += 1;
    }
    assert_eq!(nombre_lignes, campagne.paiements.len());
    assert!(fichier.contains(";'=SOMME(A1:A9);"), "{fichier}");
    assert_eq!(somme, campagne.total().centimes());

    // Another role neither previews nor confirms.
    let gestionnaire = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "gestionnaire")
        .unwrap();
    let cookie = connecter(&r, &gestionnaire.email, &gestionnaire.mot_de_passe).await;
    let (statut, _) = lire(&r, "/paiements/campagne", &cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn coordonnees_bancaires_saisies_et_masquees() {
    let (plateforme, resume) = demonstration(
        "coordonnees-bancaires",
        OptionsDemo {
            gestionnaires_par_caf: 2,
            emettre_paiements: false,
            ..OptionsDemo::default()
        },
    )
    .await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let compte = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "gestionnaire")
        .unwrap();
    let (_, acteur) = plateforme
        .utilisateur_par_email(&compte.email)
        .await
        .unwrap()
        .unwrap();
    let id = *acteur.gestionnaires.iter().next().unwrap();
    let cookie = connecter(&r, &compte.email, &compte.mot_de_passe).await;
    let fiche = format!("/structures/{}", id.0);
    let (_, page) = lire(&r, &fiche, &cookie).await;
    let formulaire = format!(
        "_csrf={}&version={}",
        champ(&page, "_csrf"),
        page.split("/banque\"")
            .nth(1)
            .map(|s| champ(s, "version"))
            .unwrap()
    );
    // A wrong check digit is refused, nothing is recorded.
    let (statut, reponse) = poster(
        &r,
        &format!("{fiche}/banque"),
        &cookie,
        format!("{formulaire}&iban=FR77+3000+6000+0112+3456+7890+189&bic=AGRIFRPP&titulaire=Asso"),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{reponse}");
    assert!(reponse.contains("clé de contrôle"), "{reponse}");
    // Typed with spaces, recorded normalised and shown in full to the gestionnaire.
    let (statut, reponse) = poster(
        &r,
        &format!("{fiche}/banque"),
        &cookie,
        format!("{formulaire}&iban=fr76+3000+6000+0112+3456+7890+189&bic=agrifrpp&titulaire=Asso+des+parents"),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{reponse}");
    let g = plateforme.gestionnaire(&acteur, id).await.unwrap().valeur;
    assert_eq!(g.banque.unwrap().iban, "FR7630006000011234567890189");
    let (_, page) = lire(&r, &fiche, &cookie).await;
    assert!(page.contains("FR76 3000 6000 0112 3456 7890 189"), "{page}");
    // The Cnaf reads the structure, with the IBAN masked and no form.
    let cnaf = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "cnaf")
        .unwrap();
    let cookie = connecter(&r, &cnaf.email, &cnaf.mot_de_passe).await;
    let (statut, page) = lire(&r, &fiche, &cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("FR76 •••• •••• •••• •••• ••90 189"), "{page}");
    assert!(!page.contains("3000 6000 0112"), "{page}");
    assert!(!page.contains("/banque\""), "{page}");
}

#[tokio::test]
async fn une_convention_non_signee_n_est_pas_payee_et_l_apercu_le_dit() {
    let (plateforme, resume) = demonstration(
        "campagne-non-signee",
        OptionsDemo {
            emettre_paiements: false,
            ..OptionsDemo::default()
        },
    )
    .await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let agent = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "caf")
        .unwrap();
    let (_, caf) = plateforme
        .utilisateur_par_email(&agent.email)
        .await
        .unwrap()
        .unwrap();
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let avant = plateforme.apercu_campagne(&caf, aujourd_hui).await.unwrap();
    let convention = avant.lignes.first().expect("un paiement dû").convention;
    // The convention loses its signature, as if it had never been signed.
    {
        let mut tx = plateforme.base.debuter().await.unwrap();
        let mut c = store::depot::lire::<domain::convention::Convention>(&mut tx, convention.0)
            .await
            .unwrap();
        c.valeur.date_signature = None;
        c.valeur.etat = domain::convention::EtatConvention::Projet;
        store::depot::mettre_a_jour(&mut tx, &c.valeur, c.version)
            .await
            .unwrap();
        tx.valider().await.unwrap();
    }
    let apres = plateforme.apercu_campagne(&caf, aujourd_hui).await.unwrap();
    assert!(apres.lignes.iter().all(|l| l.convention != convention));
    assert!(
        apres
            .non_payes
            .iter()
            .any(|n| n.convention == convention && n.raison.contains("pas encore signée")),
        "{:?}",
        apres.non_payes
    );
    let cookie = connecter(&r, &agent.email, &agent.mot_de_passe).await;
    let (_, page) = lire(&r, "/paiements/campagne", &cookie).await;
    let section = page.split("Ne seront pas payés").nth(1).unwrap();
    assert!(section.contains("pas encore signée"), "{section}");
}
