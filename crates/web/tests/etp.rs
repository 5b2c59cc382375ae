//! FTE carried by people, through the pages (Référentiel national de financement de l'AIP,
//! §III.2 and §VI.2): a réelle claiming more FTE than the structure's qualified salaried
//! intervenants carry is refused at transmission with the gap; the Caf sees the cross-checks and
//! validates fewer FTE with a motivation, and the right frozen rests on them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aide;
#[allow(unused_macros)]
#[macro_use]
mod commun;

use app::demo::OptionsDemo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::convention::EtatConvention;
use domain::declaration::{Activite, DonneesDeclaration, DroitFige, NatureDeclaration};
use domain::quantites::{Centimes, Etp};
use web::Etat;

use aide::{connecter, corps, demonstration};

/// The CSRF token of a page.
fn jeton(page: &str) -> String {
    page.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("jeton CSRF")
        .to_owned()
}

async fn poster(
    r: &axum::Router,
    url: &str,
    cookie: &str,
    formulaire: &str,
) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::post(url)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(formulaire.to_owned()))
            .unwrap(),
    )
    .await;
    (statut, page)
}

async fn lire(r: &axum::Router, url: &str, cookie: &str) -> String {
    let (statut, _, page) = corps(
        r,
        Request::get(url)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{url}: {page}");
    page
}

#[tokio::test]
async fn les_etp_sont_ceux_des_intervenants_et_la_caf_les_valide() {
    let (plateforme, resume) = demonstration("etp", OptionsDemo::default()).await;
    let caf = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "caf")
        .unwrap();
    // A gestionnaire with a signed convention and no réelle 2025 yet.
    let mut trouve = None;
    for gest in resume
        .comptes
        .iter()
        .filter(|c| c.role.code() == "gestionnaire")
    {
        let (_, acteur_g) = plateforme
            .utilisateur_par_email(&gest.email)
            .await
            .unwrap()
            .unwrap();
        let declarations = plateforme.declarations(&acteur_g, None).await.unwrap();
        let convention = plateforme
            .conventions(&acteur_g)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.valeur)
            .find(|c| {
                c.etat == EtatConvention::Signee
                    && !declarations.iter().any(|d| {
                        d.valeur.convention == c.id
                            && d.valeur.exercice == 2025
                            && d.valeur.nature == NatureDeclaration::Reelle
                    })
            });
        if let Some(convention) = convention {
            trouve = Some((gest, acteur_g, convention));
            break;
        }
    }
    let (gest, acteur_g, convention) = trouve.expect("une convention signée sans réelle 2025");
    let quand = time::OffsetDateTime::now_utc();
    let portes = {
        let saisie = plateforme
            .saisir_declaration(
                &acteur_g,
                convention.id,
                2025,
                NatureDeclaration::Reelle,
                DonneesDeclaration {
                    depenses_fonctionnement: Centimes::new(9_000_000),
                    etp_declares: Etp::parse("9").unwrap(),
                    mois_fonctionnement: 12,
                    activite: Activite {
                        entretiens: 900,
                        parents_distincts: 300,
                        heures_entretiens: 900,
                        heures_travaillees: Some(2400),
                    },
                },
                quand,
            )
            .await
            .unwrap();
        saisie.valeur.id
    };
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let url = format!("/conventions/{}", convention.id);
    let action = format!("{url}/action");

    // Nine FTE: more than the intervenants carry; refused at transmission, the gap named.
    let cookie_g = connecter(&r, &gest.email, &gest.mot_de_passe).await;
    let page = lire(&r, &url, &cookie_g).await;
    // Before sending, the gestionnaire sees the right its declaration would get, computed as
    // the Caf's validation will compute it.
    assert!(
        page.contains(
            "Déclaration réelle 2025 : droit estimé si la Caf la valide telle quelle de "
        ),
        "{page}"
    );
    let (statut, page) = poster(
        &r,
        &action,
        &cookie_g,
        &format!(
            "_csrf={}&action=transmettre_declaration&declaration={portes}",
            jeton(&page)
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("9 ETP déclarés"), "{page}");
    assert!(page.contains("il manque"), "{page}");
    let d = plateforme.declaration(&acteur_g, portes).await.unwrap();
    assert_eq!(d.valeur.etat().code(), "saisie", "rien n'est transmis");

    // What they carry: the FTE notified by the convention are within it.
    let notifies = convention.etp_notifie_au(time::macros::date!(2025 - 06 - 01));
    plateforme
        .modifier_declaration(
            &acteur_g,
            portes,
            None,
            DonneesDeclaration {
                etp_declares: notifies,
                ..d.valeur.donnees
            },
            quand,
        )
        .await
        .unwrap();
    let page = lire(&r, &url, &cookie_g).await;
    let (statut, page) = poster(
        &r,
        &action,
        &cookie_g,
        &format!(
            "_csrf={}&action=transmettre_declaration&declaration={portes}",
            jeton(&page)
        ),
    )
    .await;
    assert!(statut.is_redirection(), "{statut}: {page}");

    // The Caf sees the cross-checks and validates fewer FTE, with a motivation.
    let cookie_c = connecter(&r, &caf.email, &caf.mot_de_passe).await;
    let page = lire(&r, &url, &cookie_c).await;
    let section = page
        .split(&format!("id=\"validation-{portes}\""))
        .nth(1)
        .expect("la validation des ETP de la réelle")
        .split("</section>")
        .next()
        .unwrap();
    assert!(section.contains("Contrôles de l'activité"), "{section}");
    assert!(section.contains("heures travaillées"), "{section}");
    assert!(section.contains("du temps hors entretiens"), "{section}");
    let (_, acteur_c) = plateforme
        .utilisateur_par_email(&caf.email)
        .await
        .unwrap()
        .unwrap();
    let transmise = plateforme
        .declaration(&acteur_c, portes)
        .await
        .unwrap()
        .valeur;
    // More than declared, and no reason: both refused at once, each next to its field, the
    // value typed kept.
    let (statut, refus) = poster(
        &r,
        &action,
        &cookie_c,
        &format!(
            "_csrf={}&action=valider_declaration&declaration={portes}&etp_valides=99&motivation_etp=",
            jeton(&page)
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{refus}");
    let p = commun::Page::lire(&refus);
    assert!(
        p.texte(&format!("#etp_valides-{portes}-erreur"))
            .contains("dépasse"),
        "{refus}"
    );
    assert!(
        !p.texte(&format!("#motivation_etp-{portes}-erreur"))
            .is_empty(),
        "{refus}"
    );
    assert_eq!(p.attribut(&format!("#etp_valides-{portes}"), "value"), "99");
    assert_eq!(p.tous("[role=alert] li").len(), 2, "{refus}");
    // Fewer without a reason: refused next to the field.
    let (statut, refus) = poster(
        &r,
        &action,
        &cookie_c,
        &format!(
            "_csrf={}&action=valider_declaration&declaration={portes}&etp_valides=0%2C5&motivation_etp=",
            jeton(&page)
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{refus}");
    assert!(
        refus.contains(&format!("motivation_etp-{portes}-erreur")),
        "{refus}"
    );
    let page = lire(&r, &url, &cookie_c).await;
    let (statut, page) = poster(
        &r,
        &action,
        &cookie_c,
        &format!(
            "_csrf={}&action=valider_declaration&declaration={portes}&etp_valides=0%2C5&motivation_etp=Activit%C3%A9+d%27un+demi-poste",
            jeton(&page)
        ),
    )
    .await;
    assert!(statut.is_redirection(), "{statut}: {page}");
    let validee = plateforme
        .declaration(&acteur_c, portes)
        .await
        .unwrap()
        .valeur;
    let droit = validee.droit.expect("droit figé");
    assert_eq!(
        droit.etp_valides.as_ref().unwrap().etp,
        Etp::parse("0,5").unwrap()
    );
    // The right rests on the FTE validated: lower than on the FTE declared.
    let parametres = referentiel::parametres::Parametres::embarques().unwrap();
    let p = referentiel::aip::ParametresAip::pour_exercice(&parametres, 2025).unwrap();
    let conv = plateforme
        .convention(&acteur_c, convention.id)
        .await
        .unwrap()
        .valeur;
    let paiements: Vec<_> = plateforme
        .paiements(&acteur_c, Some(convention.id))
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.valeur)
        .collect();
    let sur_les_declares =
        DroitFige::calculer("test", &transmise, &conv, &p, &paiements, None, quand).unwrap();
    assert!(
        droit.montant < sur_les_declares.montant,
        "{} / {}",
        droit.montant,
        sur_les_declares.montant
    );
    let page = lire(&r, &url, &cookie_c).await;
    assert!(!page.contains(&format!("id=\"validation-{portes}\"")));
}
