//! What the gestionnaires owe past its deadline is listed for the Caf on the conventions page:
//! each declaration and bilan expected and not sent by the day its dated parameter sets, never
//! what was sent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aide;

use app::demo::OptionsDemo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::declaration::{NatureDeclaration, Piece};
use web::Etat;

use aide::{connecter, corps, demonstration};

#[tokio::test]
async fn la_caf_voit_ce_qui_est_en_retard() {
    let (plateforme, resume) = demonstration("retards", OptionsDemo::default()).await;
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let agent = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "caf")
        .unwrap();
    let (_, acteur) = plateforme
        .utilisateur_par_email(&agent.email)
        .await
        .unwrap()
        .unwrap();
    let retards = plateforme.retards(&acteur, aujourd_hui).await.unwrap();
    assert!(!retards.is_empty());
    // Nothing listed was sent, and every listed deadline is past.
    let declarations = plateforme.declarations(&acteur, None).await.unwrap();
    for (c, r) in &retards {
        assert!(r.echeance < aujourd_hui);
        if let Piece::Declaration(nature) = r.piece {
            assert!(
                !declarations.iter().any(|d| d.valeur.convention == c.id
                    && d.valeur.exercice == r.exercice
                    && d.valeur.nature == nature
                    && d.valeur.etat().code() != "saisie"),
                "{} {} {:?} envoyée mais listée en retard",
                c.numero,
                r.exercice,
                nature
            );
        }
    }
    // A validated réelle 2024 is not late; the réelle 2025 of the same convention, never
    // entered, is (expected by 30 June 2026).
    let reelle_2024 = declarations
        .iter()
        .find(|d| {
            d.valeur.exercice == 2024
                && d.valeur.nature == NatureDeclaration::Reelle
                && d.valeur.etat().code() == "validee"
        })
        .expect("une réelle 2024 validée dans la démonstration");
    let convention = reelle_2024.valeur.convention;
    assert!(!retards.iter().any(|(c, r)| c.id == convention
        && r.exercice == 2024
        && r.piece == Piece::Declaration(NatureDeclaration::Reelle)));
    if aujourd_hui > time::macros::date!(2026 - 06 - 30) {
        assert!(retards.iter().any(|(c, r)| c.id == convention
            && r.exercice == 2025
            && r.piece == Piece::Declaration(NatureDeclaration::Reelle)));
    }

    // The conventions page shows them to the Caf agent.
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let cookie = connecter(&r, &agent.email, &agent.mot_de_passe).await;
    let (statut, _, page) = corps(
        &r,
        Request::get("/conventions")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    let section = page
        .split("<h2>En retard</h2>")
        .nth(1)
        .expect("section En retard");
    assert!(
        section.contains(&format!("{} pièce(s) en retard", retards.len())),
        "{section}"
    );
    let (premier, r0) = &retards[0];
    assert!(section.contains(&premier.numero));
    assert!(section.contains(r0.piece.libelle()));
}

/// The comité's agenda values only the AIP projects presented, at the rate × the ceiling price
/// of their exercise's parameters; other schemes are counted apart.
#[tokio::test]
async fn l_ordre_du_jour_ne_valorise_que_les_projets_aip() {
    let (plateforme, resume) = demonstration("ordre-du-jour", OptionsDemo::default()).await;
    let agent = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "caf")
        .unwrap();
    let (_, acteur) = plateforme
        .utilisateur_par_email(&agent.email)
        .await
        .unwrap()
        .unwrap();
    let presentes = plateforme
        .dossiers(&acteur, Some("presente_en_comite"))
        .await
        .unwrap();
    let aip: Vec<_> = presentes
        .iter()
        .filter(|d| d.valeur.dispositif == domain::appel_a_projets::Dispositif::Aip)
        .collect();
    assert!(!aip.is_empty());
    // 80 % × 66 000 € = 52 800 € per FTE, in cents: dix-millièmes × 528.
    let attendu: i64 = aip
        .iter()
        .map(|d| i64::from(d.valeur.projet.etp_demandes.dix_milliemes()) * 528)
        .sum();
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let cookie = connecter(&r, &agent.email, &agent.mot_de_passe).await;
    let (statut, _, page) = corps(
        &r,
        Request::get("/dossiers?etat=presente_en_comite")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    let ordre = page
        .split("<h2>Ordre du jour du comité des financeurs</h2>")
        .nth(1)
        .expect("ordre du jour")
        .split("</table>")
        .next()
        .unwrap();
    let montant = referentiel::aip::rendu::euros_fr(i128::from(attendu));
    assert!(ordre.contains(&montant), "{montant} absent de:\n{ordre}");
    // The other schemes' projects have their own table, one line per département.
    let autres = presentes.len() - aip.len();
    if autres > 0 {
        let table = page
            .split("Projets des autres dispositifs présentés, au montant demandé à la Caf")
            .nth(1)
            .expect("tableau des autres dispositifs")
            .split("</table>")
            .next()
            .unwrap();
        let projets: usize = table
            .split("<tr>")
            .skip(2)
            .filter_map(|l| l.split("class=\"nombre\">").nth(1))
            .filter_map(|c| c.split('<').next())
            .map(|n| n.parse::<usize>().unwrap())
            .sum();
        assert_eq!(projets, autres, "{table}");
    }
}

/// A Caf agent reminds the gestionnaire of a late piece from the conventions page: the reminder
/// lands in the dossier's thread; a piece that is not late cannot be reminded.
#[tokio::test]
async fn la_caf_relance_une_piece_en_retard() {
    let (plateforme, resume) = demonstration("relances", OptionsDemo::default()).await;
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let agent = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "caf")
        .unwrap();
    let (_, acteur) = plateforme
        .utilisateur_par_email(&agent.email)
        .await
        .unwrap()
        .unwrap();
    let retards = plateforme.retards(&acteur, aujourd_hui).await.unwrap();
    let (convention, retard) = retards.first().expect("une pièce en retard").clone();
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let cookie = connecter(&r, &agent.email, &agent.mot_de_passe).await;
    let (_, _, page) = corps(
        &r,
        Request::get("/conventions")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let jeton = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    assert!(page.contains("action=\"/conventions/relances\""), "{page}");
    let poster = |formulaire: String| {
        let r = r.clone();
        let cookie = cookie.clone();
        async move {
            corps(
                &r,
                Request::post("/conventions/relances")
                    .header(header::COOKIE, cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(formulaire))
                    .unwrap(),
            )
            .await
        }
    };
    let (statut, entetes, _) = poster(format!(
        "_csrf={jeton}&convention={}&exercice={}&piece={}",
        convention.id,
        retard.exercice,
        retard.piece.code()
    ))
    .await;
    assert!(statut.is_redirection(), "{statut}");
    assert_eq!(
        entetes.get(header::LOCATION).unwrap(),
        "/conventions?relance=envoyee"
    );
    let messages = plateforme
        .messages(&acteur, convention.dossier)
        .await
        .unwrap();
    let relance = messages.last().expect("la relance dans le fil du dossier");
    assert!(
        relance.texte.starts_with("Relance de la Caf"),
        "{}",
        relance.texte
    );
    assert!(
        relance.texte.contains(&convention.numero),
        "{}",
        relance.texte
    );
    assert!(!relance.prive);
    // A piece that is not late: refused, nothing written.
    let (statut, _, page) = poster(format!(
        "_csrf={jeton}&convention={}&exercice=2099&piece=reelle",
        convention.id
    ))
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("est pas en retard"), "{page}");
    assert_eq!(
        plateforme
            .messages(&acteur, convention.dossier)
            .await
            .unwrap()
            .len(),
        messages.len()
    );
}
