//! The public directory through the web application, on both engines, without an account: a
//! search by commune name and by postcode (an ambiguous postcode brings a choice of communes);
//! the radius includes a service 8.9 km away and leaves out one 11.1 km away (distances computed
//! by hand), a service whose eligibility area holds the commune is found beyond the radius; the
//! filters by need, scheme, mode and fee; the service's page, and a 404 for one not published;
//! the sitemap lists the published services only; the commune suggestions as JSON.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use std::sync::OnceLock;

use axum::http::{StatusCode, header};
use domain::Acteur;
use domain::annuaire::{EtatPublication, SaisieLieuService, SaisieService, Service};
use domain::identifiants::{GestionnaireId, ServiceId, UtilisateurId};
use domain::territoire::Communes;
use web::Etat;

use aide::get;
use commun::{Demo, Moteur, Page, creer_demo, moteur, texte};

/// Gap (05061), its centroid as data/communes.csv gives it.
const GAP: (f64, f64) = (44.58016, 6.06493);

/// The services of the test, by name: (name, latitude offset from Gap in degrees, commune of
/// the place, eligibility area, scheme, kind, publics, modes, fee, published). Along a meridian,
/// 0.08° is 6 371.0088 km × 0.08 × π / 180 = 8.8956 km; 0.10° is 11.1195 km; 0.30° is
/// 33.3585 km.
#[allow(clippy::type_complexity)]
const SERVICES: [(
    &str,
    f64,
    &str,
    &str,
    &str,
    &str,
    &[&str],
    &[&str],
    &str,
    bool,
); 4] = [
    (
        "Accueil des Alpes",
        0.08,
        "05124",
        "",
        "laep",
        "accueil",
        &["parents_enfants_0_3"],
        &["sur_place"],
        "gratuit",
        true,
    ),
    (
        "Médiation du Champsaur",
        0.10,
        "05124",
        "",
        "mediation_familiale",
        "mediation",
        &["parents_separes"],
        &["sur_place", "a_distance"],
        "module_selon_revenus",
        true,
    ),
    (
        "Espace rencontre du Queyras",
        0.30,
        "05023",
        "05061",
        "espace_rencontre",
        "mediation",
        &["parents_separes"],
        &["sur_place"],
        "gratuit",
        true,
    ),
    (
        "Atelier en préparation",
        0.0,
        "05061",
        "",
        "reaap",
        "atelier",
        &["parents"],
        &["sur_place"],
        "gratuit",
        false,
    ),
];

fn communes() -> &'static Communes {
    static C: OnceLock<Communes> = OnceLock::new();
    C.get_or_init(|| Communes::embarquees().unwrap())
}

/// One demonstration per engine for the whole file, with the services above written in.
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
        creer_demo(m, "annuaire", |p, maintenant| {
            Box::pin(async move {
                let cnaf = Acteur::cnaf(UtilisateurId(1));
                let gestionnaire: GestionnaireId =
                    p.gestionnaires(&cnaf).await.unwrap()[0].valeur.id;
                let auteur = Acteur::gestionnaire(UtilisateurId(1), [gestionnaire]);
                let mut tx = p.base.debuter().await.unwrap();
                for (
                    nom,
                    dlat,
                    commune,
                    zone,
                    dispositif,
                    type_service,
                    publics,
                    modes,
                    frais,
                    publie,
                ) in SERVICES
                {
                    let saisie = SaisieService {
                        dispositif: dispositif.into(),
                        type_service: type_service.into(),
                        nom: nom.into(),
                        description: format!("{nom} : description."),
                        publics: publics.iter().map(|s| s.to_string()).collect(),
                        modes: modes.iter().map(|s| s.to_string()).collect(),
                        frais: frais.into(),
                        precision_frais: if frais == "gratuit" {
                            String::new()
                        } else {
                            "Barème national de la Cnaf".into()
                        },
                        telephone: "04 92 00 00 00".into(),
                        zone_eligibilite: zone.into(),
                        lieux: vec![SaisieLieuService {
                            voie: "1 place de la Mairie".into(),
                            code_postal: communes()
                                .get(domain::identifiants::CodeInsee::parse(commune).unwrap())
                                .unwrap()
                                .codes_postaux[0]
                                .clone(),
                            commune: commune.into(),
                            horaires: "Mo-Fr 09:00-12:00".into(),
                            latitude: format!("{:.5}", GAP.0 + dlat),
                            longitude: format!("{:.5}", GAP.1),
                            ..Default::default()
                        }],
                        ..Default::default()
                    };
                    let description = saisie.valider(communes()).unwrap();
                    let id = store::annuaire::prochain_id(&mut tx).await.unwrap();
                    let mut service: Service =
                        Service::creer(&auteur, id, gestionnaire, description, maintenant)
                            .unwrap()
                            .apres;
                    if publie {
                        service.etat = EtatPublication::Publie;
                    }
                    store::depot::inserer(&mut tx, &service).await.unwrap();
                }
                tx.valider().await.unwrap();
            })
        })
    })
}

async fn routeur() -> axum::Router {
    web::routeur(Etat {
        plateforme: demo().plateforme().await,
        cookie_securise: false,
    })
}

/// The names of the results, in their order, and the text of each.
fn resultats(page: &Page) -> Vec<(String, String)> {
    page.tous("li.resultat-annuaire")
        .into_iter()
        .map(|li| {
            let nom = li
                .select(&scraper::Selector::parse("h3").unwrap())
                .next()
                .map(texte)
                .unwrap_or_default();
            (nom, texte(li))
        })
        .collect()
}

/// Only the services of this test, in the order of the results.
fn les_notres(page: &Page) -> Vec<String> {
    resultats(page)
        .into_iter()
        .map(|(nom, _)| nom)
        .filter(|nom| SERVICES.iter().any(|s| s.0 == nom))
        .collect()
}

async fn chercher(r: &axum::Router, requete: &str) -> Page {
    let (statut, _, html) = get(r, &format!("/annuaire?{requete}"), "").await;
    assert_eq!(statut, StatusCode::OK, "{requete}");
    Page::lire(&html)
}

sur_les_deux_moteurs!(
    recherche_par_commune_rayon_et_zone,
    recherche_par_code_postal,
    filtres,
    page_du_service_et_plan_du_site,
    suggestions_de_communes,
);

async fn recherche_par_commune_rayon_et_zone() {
    let r = routeur().await;
    let page = chercher(&r, "commune=Gap").await;
    // 8.9 km in, 11.1 km out; the eligibility area's service at 33.4 km is in; the draft never.
    assert_eq!(
        les_notres(&page),
        ["Accueil des Alpes", "Espace rencontre du Queyras"]
    );
    let textes = resultats(&page);
    let accueil = &textes
        .iter()
        .find(|(n, _)| n == "Accueil des Alpes")
        .unwrap()
        .1;
    assert!(accueil.contains("à 8,9 km"), "{accueil}");
    let zone = &textes
        .iter()
        .find(|(n, _)| n == "Espace rencontre du Queyras")
        .unwrap()
        .1;
    assert!(
        zone.contains("à 33,4 km") && zone.contains("dessert votre commune"),
        "{zone}"
    );
    assert!(page.texte("h1").contains("Trouver un service"));
    assert_eq!(page.attribut("#commune", "value"), "Gap (05000)");
    assert_eq!(page.attribut("#rayon-10", "checked"), "");
    // The map: one numbered marker per result, the département's outline.
    assert_eq!(
        page.tous("svg.carte g.marqueur").len(),
        page.tous("li.resultat-annuaire").len()
    );
    assert_eq!(page.tous("svg.carte path.departement").len(), 1);
    // At 30 km, the 11.1 km service is in, between the two.
    let page = chercher(&r, "commune=gap&rayon=30").await;
    assert_eq!(
        les_notres(&page),
        [
            "Accueil des Alpes",
            "Médiation du Champsaur",
            "Espace rencontre du Queyras"
        ]
    );
    // At 5 km, only the eligibility area's.
    let page = chercher(&r, "commune=Gap&rayon=5").await;
    assert_eq!(les_notres(&page), ["Espace rencontre du Queyras"]);
    // An unknown commune: the form again, its error next to the field.
    let page = chercher(&r, "commune=Zzyzx").await;
    assert!(page.texte("#commune-erreur").contains("Aucune commune"));
    assert!(page.tous("li.resultat-annuaire").is_empty());
    // Nothing asked: the form only.
    let page = chercher(&r, "").await;
    assert_eq!(page.tous("form.recherche-annuaire").len(), 1);
    assert!(page.tous("#titre-resultats").is_empty());
}

async fn recherche_par_code_postal() {
    let r = routeur().await;
    // 05000 serves eight communes: a choice, Gap among them, first (the most populated).
    let page = chercher(&r, "commune=05000&rayon=30").await;
    assert!(page.texte("#titre-choix").contains("05000"));
    let liens = page.tous("ul.choix-communes a");
    assert_eq!(liens.len(), 8);
    assert!(texte(liens[0]).starts_with("Gap (05000)"));
    let adresse = liens[0].value().attr("href").unwrap().to_owned();
    assert!(adresse.contains("rayon=30"), "{adresse}");
    let page = chercher(&r, adresse.trim_start_matches("/annuaire?")).await;
    assert_eq!(les_notres(&page).len(), 3);
    // A postcode of one commune (Dévoluy, 05250) gives its results at once: none of ours within
    // 10 km (the nearest is 13.8 km away), all three within 30.
    let page = chercher(&r, "commune=05250").await;
    assert!(page.texte("#titre-resultats").contains("Dévoluy"));
    assert!(les_notres(&page).is_empty());
    let page = chercher(&r, "commune=05250&rayon=30").await;
    assert_eq!(
        les_notres(&page),
        [
            "Médiation du Champsaur",
            "Accueil des Alpes",
            "Espace rencontre du Queyras"
        ]
    );
}

async fn filtres() {
    let r = routeur().await;
    let base = "commune=Gap&rayon=30";
    let cas: [(&str, &[&str]); 6] = [
        (
            "besoin=separation",
            &["Médiation du Champsaur", "Espace rencontre du Queyras"],
        ),
        ("besoin=lieu_neutre", &["Espace rencontre du Queyras"]),
        ("besoin=moins_de_6_ans", &["Accueil des Alpes"]),
        ("dispositif=laep", &["Accueil des Alpes"]),
        ("mode=a_distance", &["Médiation du Champsaur"]),
        (
            "frais=gratuit",
            &["Accueil des Alpes", "Espace rencontre du Queyras"],
        ),
    ];
    for (filtre, attendus) in cas {
        let page = chercher(&r, &format!("{base}&{filtre}")).await;
        assert_eq!(les_notres(&page), attendus, "{filtre}");
        // The filters chosen stay ticked, their group open.
        let (nom, valeur) = filtre.split_once('=').unwrap();
        assert_eq!(
            page.attribut(&format!("#{nom}-{valeur}"), "checked"),
            "",
            "{filtre}"
        );
        assert!(
            page.un("details.filtres-annuaire")
                .value()
                .attr("open")
                .is_some()
        );
    }
    // Two needs: either; a need and a fee: both.
    let page = chercher(
        &r,
        &format!("{base}&besoin=lieu_neutre&besoin=moins_de_6_ans"),
    )
    .await;
    assert_eq!(
        les_notres(&page),
        ["Accueil des Alpes", "Espace rencontre du Queyras"]
    );
    let page = chercher(
        &r,
        &format!("{base}&besoin=separation&frais=module_selon_revenus"),
    )
    .await;
    assert_eq!(les_notres(&page), ["Médiation du Champsaur"]);
    // The form groups its fields in fieldsets with legends.
    let legendes: Vec<String> = page
        .tous("form.recherche-annuaire legend")
        .into_iter()
        .map(texte)
        .collect();
    assert_eq!(legendes.len(), 5, "{legendes:?}");
}

async fn page_du_service_et_plan_du_site() {
    let r = routeur().await;
    let page = chercher(&r, "commune=Gap").await;
    let lien = page.lien("Accueil des Alpes");
    let (statut, _, html) = get(&r, &lien, "").await;
    assert_eq!(statut, StatusCode::OK);
    let fiche = Page::lire(&html);
    assert_eq!(fiche.texte("h1"), "Accueil des Alpes");
    let texte_fiche = fiche.texte("main");
    for attendu in [
        "lieu d’accueil enfants-parents (LAEP)",
        "parents d’enfants de moins de 3 ans",
        "gratuit",
        "04 92 00 00 00",
        "du lundi au vendredi",
        "1 place de la Mairie",
        "05000 La Rochette",
        "Informations mises à jour le",
    ] {
        assert!(
            texte_fiche.contains(attendu),
            "« {attendu} » absent : {texte_fiche}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(
        &fiche
            .un("script[type=\"application/ld+json\"]")
            .inner_html(),
    )
    .unwrap();
    assert_eq!(json["@type"], "Service");
    assert_eq!(json["name"], "Accueil des Alpes");
    assert_eq!(json["isAccessibleForFree"], true);
    assert_eq!(
        json["availableChannel"]["serviceLocation"][0]["address"]["postalCode"],
        "05000"
    );
    // The draft: 404 by its address, absent from the sitemap; so is an unknown number.
    let plateforme = demo().plateforme().await;
    let mut tx = plateforme.base.lire().await.unwrap();
    let tous = store::annuaire::publies(&mut tx).await.unwrap();
    tx.annuler().await.unwrap();
    let (statut, entetes, xml) = get(&r, "/sitemap.xml", "").await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        entetes[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let adresses: Vec<&str> = xml
        .split("<loc>")
        .skip(1)
        .filter_map(|x| x.split("</loc>").next())
        .collect();
    assert!(adresses.contains(&"http://localhost/annuaire"));
    let fiches: Vec<&str> = adresses
        .iter()
        .copied()
        .filter(|a| a.contains("/annuaire/services/"))
        .collect();
    assert_eq!(fiches.len(), tous.len(), "une adresse par service publié");
    assert!(fiches.contains(&format!("http://localhost{lien}").as_str()));
    let mut tx = plateforme.base.lire().await.unwrap();
    let mut brouillon = None;
    for id in 1..=500 {
        if let Some(s) = store::annuaire::service_opt(&mut tx, ServiceId(id))
            .await
            .unwrap()
            && s.valeur.nom == "Atelier en préparation"
        {
            brouillon = Some(s.valeur.id);
        }
    }
    tx.annuler().await.unwrap();
    let brouillon = brouillon.expect("le brouillon");
    let (statut, _, _) = get(&r, &format!("/annuaire/services/{}", brouillon.0), "").await;
    assert_eq!(statut, StatusCode::NOT_FOUND);
    assert!(
        !fiches
            .iter()
            .any(|a| a.ends_with(&format!("/annuaire/services/{}", brouillon.0)))
    );
    let (statut, _, _) = get(&r, "/annuaire/services/abc", "").await;
    assert_eq!(statut, StatusCode::NOT_FOUND);
    // robots.txt points to the sitemap.
    let (statut, _, robots) = get(&r, "/robots.txt", "").await;
    assert_eq!(statut, StatusCode::OK);
    assert!(robots.contains("Sitemap: http://localhost/sitemap.xml"));
}

async fn suggestions_de_communes() {
    let r = routeur().await;
    let (statut, _, json) = get(&r, "/annuaire/communes?q=saint-martin-d%E2%80%99h", "").await;
    assert_eq!(statut, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["nom"], "Saint-Martin-d'Hères");
    assert_eq!(v[0]["code"], "38421");
    assert_eq!(v[0]["libelle"], "Saint-Martin-d'Hères (38400)");
    let (_, _, json) = get(&r, "/annuaire/communes?q=05&limite=3", "").await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[0]["nom"], "Gap");
    // The home page of a visitor leads to the directory, with the public menu.
    let (statut, _, html) = get(&r, "/", "").await;
    assert_eq!(statut, StatusCode::OK);
    let accueil = Page::lire(&html);
    assert_eq!(
        accueil.attribut("form.recherche-annuaire", "action"),
        "/annuaire"
    );
    let menu: Vec<String> = accueil
        .tous("nav.principale a")
        .into_iter()
        .map(texte)
        .collect();
    assert_eq!(
        menu,
        [
            "Trouver un service",
            "Territoires",
            "Données ouvertes",
            "Se connecter"
        ]
    );
}
