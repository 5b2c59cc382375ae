//! Supporting documents through the router, on both engines: joining a file to a dossier and a
//! new version of it (the first kept and downloadable), downloads by the structure and by the Caf
//! of the département, refusals for another structure and another département's Caf, and files
//! refused for what they are (a program, over 20 Mo) with nothing written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::acces::Acteur;
use domain::identifiants::PieceId;
use domain::pieces::{ObjetPiece, TAILLE_MAX, sha256_hex};
use http_body_util::BodyExt;
use tower::ServiceExt;
use web::Etat;

use commun::{Demo, Page, demo_du_moteur};

fn demo() -> &'static Demo {
    demo_du_moteur("pieces")
}

struct Reponse {
    statut: StatusCode,
    entetes: axum::http::HeaderMap,
    octets: Vec<u8>,
}

impl Reponse {
    fn texte(&self) -> String {
        String::from_utf8_lossy(&self.octets).into_owned()
    }
}

async fn envoyer(r: &axum::Router, req: Request<Body>) -> Reponse {
    let rep = r.clone().oneshot(req).await.unwrap();
    let statut = rep.status();
    let entetes = rep.headers().clone();
    let octets = rep.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reponse {
        statut,
        entetes,
        octets,
    }
}

async fn get(r: &axum::Router, chemin: &str, cookie: &str) -> Reponse {
    envoyer(
        r,
        Request::get(chemin)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// Logs `email` in; returns its session cookie and the CSRF token of its pages.
async fn session(r: &axum::Router, d: &Demo, email: &str) -> (String, String) {
    let (_, entetes, page) = commun_connexion(r).await;
    let jeton = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let cookie_csrf: Vec<String> = entetes
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    let encoder = |s: &str| -> String { form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    let rep = envoyer(
        r,
        Request::post("/connexion")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie_csrf.join("; "))
            .body(Body::from(format!(
                "_csrf={}&email={}&mot_de_passe={}",
                encoder(&jeton),
                encoder(email),
                encoder(&d.mots_de_passe[email])
            )))
            .unwrap(),
    )
    .await;
    assert!(rep.statut.is_redirection(), "connexion de {email}");
    let cookie = rep
        .entetes
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let accueil = get(r, "/profil", &cookie).await.texte();
    let csrf = accueil
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    (cookie, csrf)
}

async fn commun_connexion(r: &axum::Router) -> (StatusCode, axum::http::HeaderMap, String) {
    let rep = envoyer(r, Request::get("/connexion").body(Body::empty()).unwrap()).await;
    let texte = rep.texte();
    (rep.statut, rep.entetes, texte)
}

/// Posts the upload form of `objet` as multipart.
async fn joindre(
    r: &axum::Router,
    (cookie, csrf): &(String, String),
    objet: ObjetPiece,
    type_piece: &str,
    nom: &str,
    octets: &[u8],
) -> Reponse {
    let limite = "----limite-des-parties-7d1f";
    let mut corps = Vec::new();
    for (champ, valeur) in [("_csrf", csrf.as_str()), ("type_piece", type_piece)] {
        corps.extend_from_slice(
            format!(
                "--{limite}\r\nContent-Disposition: form-data; name=\"{champ}\"\r\n\r\n{valeur}\r\n"
            )
            .as_bytes(),
        );
    }
    corps.extend_from_slice(
        format!(
            "--{limite}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{nom}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    corps.extend_from_slice(octets);
    corps.extend_from_slice(format!("\r\n--{limite}--\r\n").as_bytes());
    envoyer(
        r,
        Request::post(format!("/pieces/{}/{}", objet.code(), objet.id()))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={limite}"),
            )
            .header(header::COOKIE, cookie)
            .body(Body::from(corps))
            .unwrap(),
    )
    .await
}

/// The demonstration's first gestionnaire account with a dossier: its email, its actor and that
/// dossier's id and département.
async fn porteur(
    p: &app::Plateforme,
    d: &Demo,
) -> (String, Acteur, domain::identifiants::DossierId, String) {
    for email in d.mots_de_passe.keys() {
        if !email.starts_with("gestionnaire.") {
            continue;
        }
        let Some((_, acteur)) = p.utilisateur_par_email(email).await.unwrap() else {
            continue;
        };
        if let Some(dossier) = p.dossiers(&acteur, None).await.unwrap().first() {
            let dep = dossier.valeur.departement.as_str().to_lowercase();
            return (email.clone(), acteur, dossier.valeur.id, dep);
        }
    }
    panic!("aucun gestionnaire avec un dossier dans la démonstration");
}

/// A gestionnaire account of another structure than `acteur`'s.
async fn autre_gestionnaire(p: &app::Plateforme, d: &Demo, acteur: &Acteur) -> String {
    for email in d.mots_de_passe.keys() {
        if !email.starts_with("gestionnaire.") {
            continue;
        }
        if let Some((_, a)) = p.utilisateur_par_email(email).await.unwrap()
            && !a.gestionnaires.is_empty()
            && a.gestionnaires.is_disjoint(&acteur.gestionnaires)
        {
            return email.clone();
        }
    }
    panic!("aucun autre gestionnaire");
}

fn pdf(texte: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {texte}\n1 0 obj\n<<>>\nendobj\n%%EOF\n").into_bytes()
}

/// The link of the download of version `numero` on a page.
fn lien(page: &str, numero: u32) -> String {
    let page = Page::lire(page);
    page.tous("#pieces a[download]")
        .into_iter()
        .filter_map(|a| a.value().attr("href"))
        .find(|h| h.ends_with(&format!("/versions/{numero}")))
        .unwrap_or_else(|| panic!("pas de lien vers la version {numero}"))
        .to_owned()
}

async fn une_nouvelle_version_garde_l_ancienne_et_l_acces_suit_le_dossier() {
    let d = demo();
    let p = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: p.clone(),
        cookie_securise: false,
    });
    let (email, acteur, dossier, dep) = porteur(&p, d).await;
    let objet = ObjetPiece::Dossier(dossier);
    let gestionnaire = session(&r, d, &email).await;

    // Before: the three required pieces are missing.
    let fiche = get(&r, &format!("/dossiers/{dossier}"), &gestionnaire.0).await;
    assert_eq!(fiche.statut, StatusCode::OK);
    let page = Page::lire(&fiche.texte());
    assert_eq!(
        page.texte("#pieces-manquantes"),
        "3 pièces attendues manquent."
    );

    let v1 = pdf("statuts adoptés en 2019");
    let rep = joindre(&r, &gestionnaire, objet, "statuts", "statuts.pdf", &v1).await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.texte());
    let v2 = pdf("statuts modifiés en 2025");
    let rep = joindre(&r, &gestionnaire, objet, "statuts", "statuts-2025.pdf", &v2).await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.texte());

    let pieces = p.pieces_de(&acteur, objet).await.unwrap();
    assert_eq!(pieces.len(), 1);
    let versions = &pieces[0].versions;
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].sha256, sha256_hex(&v1));
    assert_eq!(versions[1].sha256, sha256_hex(&v2));
    assert_ne!(versions[0].sha256, versions[1].sha256);
    assert_eq!(versions[1].type_media, "application/pdf");

    let fiche = get(&r, &format!("/dossiers/{dossier}"), &gestionnaire.0)
        .await
        .texte();
    let page = Page::lire(&fiche);
    assert_eq!(
        page.texte("#pieces-manquantes"),
        "2 pièces attendues manquent."
    );
    let premiere = lien(&fiche, 1);
    let seconde = lien(&fiche, 2);

    // The structure downloads both versions, each as it was sent.
    for (adresse, attendu, nom) in [
        (&premiere, &v1, "statuts.pdf"),
        (&seconde, &v2, "statuts-2025.pdf"),
    ] {
        let rep = get(&r, adresse, &gestionnaire.0).await;
        assert_eq!(rep.statut, StatusCode::OK);
        assert_eq!(&rep.octets, attendu);
        assert_eq!(rep.entetes[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(rep.entetes[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let disposition = rep.entetes[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(
            disposition.starts_with(&format!("attachment; filename=\"{nom}\"")),
            "{disposition}"
        );
    }

    // The Caf of the département downloads them too, and joins a RIB itself.
    let caf = session(&r, d, &format!("agent.{dep}@demo.parentalite.fr")).await;
    let rep = get(&r, &premiere, &caf.0).await;
    assert_eq!(rep.statut, StatusCode::OK);
    assert_eq!(rep.octets, v1);
    let rep = joindre(
        &r,
        &caf,
        objet,
        "rib",
        "rib.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.texte());

    // Another structure and another département's Caf get neither the file nor the list, and
    // cannot join one.
    let autre = session(&r, d, &autre_gestionnaire(&p, d, &acteur).await).await;
    let autre_dep = d
        .mots_de_passe
        .keys()
        .find(|e| e.starts_with("agent.") && !e.starts_with(&format!("agent.{dep}@")))
        .unwrap()
        .clone();
    let caf_ailleurs = session(&r, d, &autre_dep).await;
    for intrus in [&autre, &caf_ailleurs] {
        let rep = get(&r, &premiere, &intrus.0).await;
        assert_eq!(rep.statut, StatusCode::FORBIDDEN);
        assert_ne!(rep.octets, v1);
        let rep = get(&r, &format!("/pieces/dossier/{dossier}"), &intrus.0).await;
        assert_eq!(rep.statut, StatusCode::FORBIDDEN);
        let rep = joindre(&r, intrus, objet, "statuts", "faux.pdf", &pdf("faux")).await;
        assert_eq!(rep.statut, StatusCode::FORBIDDEN);
    }
    let apres = p.pieces_de(&acteur, objet).await.unwrap();
    assert_eq!(apres.len(), 2);
    assert_eq!(apres.iter().map(|x| x.versions.len()).sum::<usize>(), 3);

    // The API lists the pieces and sends a version back, under the same rules.
    let jeton = web::session::creer_jeton(&p, acteur.id.0, "pièces", 1)
        .await
        .unwrap();
    let api = |chemin: String, jeton: String| {
        envoyer(
            &r,
            Request::get(chemin)
                .header(header::AUTHORIZATION, format!("Bearer {jeton}"))
                .body(Body::empty())
                .unwrap(),
        )
    };
    let rep = api(format!("/api/v1/pieces/dossier/{dossier}"), jeton.clone()).await;
    assert_eq!(rep.statut, StatusCode::OK, "{}", rep.texte());
    let liste: serde_json::Value = serde_json::from_slice(&rep.octets).unwrap();
    assert_eq!(liste["total"], 2);
    let statuts = liste["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["type_piece"] == "statuts")
        .unwrap();
    assert_eq!(statuts["versions"][0]["sha256"], sha256_hex(&v1));
    assert_eq!(statuts["versions"][1]["nom_fichier"], "statuts-2025.pdf");
    let rep = api(
        format!("/api/v1/pieces/{}/versions/1", pieces[0].id),
        jeton.clone(),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::OK);
    assert_eq!(rep.octets, v1);
    let (_, intrus) = p
        .utilisateur_par_email(&autre_gestionnaire(&p, d, &acteur).await)
        .await
        .unwrap()
        .unwrap();
    let jeton_intrus = web::session::creer_jeton(&p, intrus.id.0, "pièces", 1)
        .await
        .unwrap();
    let rep = api(
        format!("/api/v1/pieces/{}/versions/1", pieces[0].id),
        jeton_intrus.clone(),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::FORBIDDEN);
    let rep = api(format!("/api/v1/pieces/dossier/{dossier}"), jeton_intrus).await;
    assert_eq!(rep.statut, StatusCode::FORBIDDEN);
    let rep = api("/api/v1/pieces/fichier/1".to_owned(), jeton.clone()).await;
    assert_eq!(rep.statut, StatusCode::BAD_REQUEST);
    let erreur: serde_json::Value = serde_json::from_slice(&rep.octets).unwrap();
    assert_eq!(erreur["code"], "parametre_invalide");

    // A version or a piece that does not exist.
    let rep = get(
        &r,
        &format!("/pieces/{}/versions/9", pieces[0].id),
        &gestionnaire.0,
    )
    .await;
    assert_eq!(rep.statut, StatusCode::NOT_FOUND);
    let rep = get(
        &r,
        &format!("/pieces/{}/versions/1", PieceId(999_999)),
        &gestionnaire.0,
    )
    .await;
    assert_eq!(rep.statut, StatusCode::NOT_FOUND);

    // Every upload is audited with its version and SHA-256, and `check` finds the base sound.
    let mut tx = p.base.lire().await.unwrap();
    let evenements = store::audit::historique(&mut tx, "piece", pieces[0].id.0)
        .await
        .unwrap();
    drop(tx);
    assert_eq!(evenements.len(), 2);
    assert!(evenements[1].description.contains("version 2"));
    assert!(evenements[1].description.contains(&sha256_hex(&v2)));
    let rapport = store::integrite::verifier(&p.base).await.unwrap();
    assert!(rapport.is_empty(), "{rapport:?}");

    // A file changed in the database behind the platform's back is found by `check`.
    let remplacer = |octets: Vec<u8>| {
        let base = p.base.clone();
        let id = pieces[0].id.0;
        async move {
            let mut tx = base.debuter().await.unwrap();
            tx.executer(
                "UPDATE pieces_contenus SET contenu = $1 WHERE piece_id = $2 AND numero = 1",
                &[store::Valeur::Octets(octets), id.into()],
            )
            .await
            .unwrap();
            tx.valider().await.unwrap();
        }
    };
    remplacer(pdf("statuts falsifiés")).await;
    let rapport = store::integrite::verifier(&p.base).await.unwrap();
    assert_eq!(rapport.len(), 1, "{rapport:?}");
    assert!(
        rapport[0].contains(&format!(
            "la pièce justificative n°{} (version 1, « statuts.pdf ») a été modifiée hors de la plateforme",
            pieces[0].id
        )),
        "{rapport:?}"
    );
    remplacer(v1.clone()).await;
    assert!(
        store::integrite::verifier(&p.base)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn un_programme_ou_un_fichier_trop_lourd_est_refuse_sans_rien_ecrire() {
    let d = demo();
    let p = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: p.clone(),
        cookie_securise: false,
    });
    let (email, acteur, _, _) = porteur(&p, d).await;
    let structure = *acteur.gestionnaires.iter().next().unwrap();
    let objet = ObjetPiece::Gestionnaire(structure);
    let gestionnaire = session(&r, d, &email).await;
    let compter = || async {
        let mut tx = p.base.lire().await.unwrap();
        tx.ligne(
            "SELECT COUNT(*) AS n FROM pieces_contenus c JOIN pieces p ON p.id = c.piece_id \
                 WHERE p.objet = 'gestionnaire' AND p.objet_id = $1",
            &[structure.0.into()],
        )
        .await
        .unwrap()
        .unwrap()
        .entier("n")
        .unwrap()
    };
    let avant = compter().await;

    for (nom, octets, message) in [
        (
            "x.exe",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0".to_vec(),
            "« x.exe » est un programme exécutable : seuls les PDF, images et documents bureautiques sont acceptés",
        ),
        (
            "statuts.pdf",
            b"\x7fELF\x02\x01\x01\0".to_vec(),
            "« statuts.pdf » est un programme exécutable",
        ),
        (
            "budget.pdf",
            {
                let mut gros = pdf("gros");
                gros.resize(usize::try_from(TAILLE_MAX).unwrap() + 1, b' ');
                gros
            },
            "« budget.pdf » pèse 20,0 Mo : 20 Mo au plus",
        ),
        ("vide.pdf", Vec::new(), "« vide.pdf » est vide"),
    ] {
        let rep = joindre(&r, &gestionnaire, objet, "statuts", nom, &octets).await;
        assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY, "{nom}");
        let page = Page::lire(&rep.texte());
        // The reason is next to the file field, which points to it.
        let erreur = page.texte("#piece-fichier-erreur");
        assert!(erreur.contains(message), "{nom}: {erreur}");
        assert_eq!(page.attribut("#piece-fichier", "aria-invalid"), "true");
        assert!(
            page.attribut("#piece-fichier", "aria-describedby")
                .contains("piece-fichier-erreur")
        );
        assert!(page.texte("#erreurs").contains(message));
    }
    assert_eq!(compter().await, avant, "un fichier refusé a été écrit");
    assert!(p.pieces_de(&acteur, objet).await.unwrap().is_empty());
}

async fn la_caf_demande_des_pieces_que_la_page_du_dossier_montre_manquantes() {
    let d = demo();
    let p = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: p.clone(),
        cookie_securise: false,
    });
    // A dossier under instruction and its Caf.
    let mut trouve = None;
    for email in d.mots_de_passe.keys().filter(|e| e.starts_with("agent.")) {
        let (_, agent) = p.utilisateur_par_email(email).await.unwrap().unwrap();
        if let Some(x) = p
            .dossiers(&agent, Some("en_instruction"))
            .await
            .unwrap()
            .into_iter()
            .next()
        {
            trouve = Some((email.clone(), x));
            break;
        }
    }
    let (email, dossier) = trouve.expect("un dossier en instruction dans la démonstration");
    let (cookie, csrf) = session(&r, d, &email).await;
    let encoder = |s: &str| -> String { form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    let rep = envoyer(
        &r,
        Request::post(format!("/dossiers/{}/action", dossier.valeur.id))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!(
                "_csrf={}&action=complement&version={}&motif={}&piece_attestation=1&piece_rib=1",
                encoder(&csrf),
                dossier.version,
                encoder("Merci de joindre l’attestation d’assurance.")
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.texte());
    let (_, agent) = p.utilisateur_par_email(&email).await.unwrap().unwrap();
    let apres = p.dossier(&agent, dossier.valeur.id).await.unwrap().valeur;
    assert_eq!(apres.etat.code(), "complement_demande");
    assert_eq!(
        apres.pieces_demandees,
        [
            domain::pieces::TypePiece::Rib,
            domain::pieces::TypePiece::Attestation
        ]
    );
    let fiche = get(&r, &format!("/dossiers/{}", dossier.valeur.id), &cookie)
        .await
        .texte();
    let page = Page::lire(&fiche);
    let lignes = page.lignes("#pieces table");
    let attestation = lignes
        .iter()
        .find(|l| l.first().is_some_and(|c| c == "Attestation"))
        .expect("l'attestation demandée est listée");
    assert_eq!(attestation[1], "demandée par la Caf");
    assert_eq!(attestation[2], "manquante");
    let rib = lignes
        .iter()
        .find(|l| l.first().is_some_and(|c| c == "RIB"))
        .unwrap();
    assert_eq!(rib[1], "requise, demandée par la Caf");
}

async fn les_pieces_d_un_intervenant_ne_sont_pas_lues_par_les_intervenants() {
    let d = demo();
    let p = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: p.clone(),
        cookie_securise: false,
    });
    let email = d
        .mots_de_passe
        .keys()
        .find(|e| e.starts_with("intervenant."))
        .unwrap()
        .clone();
    let (_, acteur) = p.utilisateur_par_email(&email).await.unwrap().unwrap();
    let structure = *acteur.gestionnaires.iter().next().unwrap();
    let g = p.gestionnaire(&acteur, structure).await.unwrap().valeur;
    let intervenant = p.intervenants(&acteur, structure).await.unwrap()[0]
        .valeur
        .id;
    let adresse = format!("/pieces/intervenant/{intervenant}");
    let (cookie, _) = session(&r, d, &email).await;
    assert_eq!(
        get(&r, &adresse, &cookie).await.statut,
        StatusCode::FORBIDDEN
    );
    // Its structure's own pieces stay readable to it.
    let rep = get(&r, &format!("/pieces/gestionnaire/{structure}"), &cookie).await;
    assert_eq!(rep.statut, StatusCode::OK);
    // The Caf of the département reads them and may join one.
    let dep = g.departement_siege.as_str().to_lowercase();
    let caf = session(&r, d, &format!("agent.{dep}@demo.parentalite.fr")).await;
    let rep = get(&r, &adresse, &caf.0).await;
    assert_eq!(rep.statut, StatusCode::OK);
    assert!(Page::lire(&rep.texte()).tous("#piece-fichier").len() == 1);
    let rep = joindre(
        &r,
        &caf,
        ObjetPiece::Intervenant(intervenant),
        "diplome",
        "diplome.pdf",
        &pdf("diplôme d'État"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::SEE_OTHER, "{}", rep.texte());
}

/// A form sent with no type chosen and no file: both errors at once, each next to its field and
/// linked from the summary, the fields marked invalid, nothing written.
async fn un_envoi_sans_type_ni_fichier_signale_les_deux_champs_a_la_fois() {
    let d = demo();
    let p = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: p.clone(),
        cookie_securise: false,
    });
    let (email, acteur, _, _) = porteur(&p, d).await;
    let structure = *acteur.gestionnaires.iter().next().unwrap();
    let objet = ObjetPiece::Gestionnaire(structure);
    let gestionnaire = session(&r, d, &email).await;
    let rep = joindre(&r, &gestionnaire, objet, "", "", &[]).await;
    assert_eq!(
        rep.statut,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        rep.texte()
    );
    let page = Page::lire(&rep.texte());
    for (id, message) in [
        ("piece-type", "Type de pièce : choisissez-en un"),
        ("piece-fichier", "Fichier : choisissez le fichier à joindre"),
    ] {
        assert_eq!(page.texte(&format!("#{id}-erreur")), message, "{id}");
        assert_eq!(page.attribut(&format!("#{id}"), "aria-invalid"), "true");
        assert_eq!(
            commun::texte(page.un(&format!("#erreurs a[href='#{id}']"))),
            message
        );
    }
    assert_eq!(page.tous("#erreurs li").len(), 2);
    // The type chosen is kept when only the file is missing.
    let rep = joindre(&r, &gestionnaire, objet, "statuts", "", &[]).await;
    let page = Page::lire(&rep.texte());
    assert_eq!(page.tous("#erreurs li").len(), 1);
    assert_eq!(
        page.attribut("#piece-type option[selected]", "value"),
        "statuts"
    );
    assert!(p.pieces_de(&acteur, objet).await.unwrap().is_empty());
}

sur_les_deux_moteurs!(
    un_envoi_sans_type_ni_fichier_signale_les_deux_champs_a_la_fois,
    les_pieces_d_un_intervenant_ne_sont_pas_lues_par_les_intervenants,
    la_caf_demande_des_pieces_que_la_page_du_dossier_montre_manquantes,
    une_nouvelle_version_garde_l_ancienne_et_l_acces_suit_le_dossier,
    un_programme_ou_un_fichier_trop_lourd_est_refuse_sans_rien_ecrire,
);
