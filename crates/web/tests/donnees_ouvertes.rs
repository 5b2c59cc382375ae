//! The open data through the router, without an account: every record of the files and of the
//! API validated by the data·inclusion schema's own package (`scripts/valider-data-inclusion.py`),
//! on services that use every field and value we emit; the API's walk page by page while the
//! directory changes, its `depuis` filter and its refusals; only published services appear.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use app::Plateforme;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::annuaire::{SaisieLieuService, SaisieService};
use domain::identifiants::ServiceId;
use http_body_util::BodyExt;
use serde_json::Value;
use time::OffsetDateTime;
use tower::ServiceExt;
use web::Etat;

use commun::{Demo, Moteur, Page, creer_demos, moteur};

const CAF: &str = "agent.38@demo.parentalite.fr";
const GESTIONNAIRE_1: &str = "gestionnaire.38.1@demo.parentalite.fr";
const GESTIONNAIRE_2: &str = "gestionnaire.38.2@demo.parentalite.fr";

fn lieu(
    nom: &str,
    voie: &str,
    code_postal: &str,
    commune: &str,
    horaires: &str,
) -> SaisieLieuService {
    SaisieLieuService {
        nom: nom.to_owned(),
        voie: voie.to_owned(),
        code_postal: code_postal.to_owned(),
        commune: commune.to_owned(),
        horaires: horaires.to_owned(),
        ..SaisieLieuService::default()
    }
}

fn saisie(dispositif: &str, type_service: &str, nom: &str) -> SaisieService {
    SaisieService {
        dispositif: dispositif.to_owned(),
        type_service: type_service.to_owned(),
        nom: nom.to_owned(),
        description: format!("{nom} : un service de soutien aux parents, près de chez vous."),
        publics: vec!["parents".to_owned()],
        modes: vec!["sur_place".to_owned()],
        frais: "gratuit".to_owned(),
        telephone: "04 76 00 00 00".to_owned(),
        lieux: vec![lieu(
            "",
            "2 place de la Gare",
            "38000",
            "38185",
            "Mo-Fr 09:00-12:00",
        )],
        ..SaisieService::default()
    }
}

/// The services the tests add to the demonstration: every scheme, type, fee, mode and way to
/// reach one, a personal e-mail address, a name ending with a period; plus a draft, a withdrawn
/// service and a published one being edited.
fn services_de_test() -> Vec<(&'static str, SaisieService)> {
    let mut mediation = saisie(
        "mediation_familiale",
        "mediation",
        "Médiation familiale du Grésivaudan",
    );
    mediation.publics = vec![
        "parents_separes".to_owned(),
        "parents_enfants_6_11".to_owned(),
    ];
    mediation.modes = vec!["sur_place".to_owned(), "a_distance".to_owned()];
    mediation.frais = "module_selon_revenus".to_owned();
    mediation.precision_frais = "barème national de la Cnaf, de 2 € à 131 € par séance".to_owned();
    mediation.courriel = "contact@mediation-gresivaudan.fr".to_owned();
    mediation.lien = "https://mediation-gresivaudan.fr/rendez-vous".to_owned();
    mediation.fauteuil_roulant = true;
    mediation.boucle_magnetique = true;
    mediation.precision_accessibilite = "Accueil en langue des signes sur demande".to_owned();
    mediation.zone_eligibilite = "38169 38421".to_owned();
    mediation.lieux = vec![
        lieu(
            "Maison des familles",
            "12 rue des Alpes",
            "38000",
            "38185",
            "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
        ),
        lieu(
            "",
            "3 avenue du Général-de-Gaulle",
            "38130",
            "38151",
            "Tu,Th 14:00-18:00",
        ),
    ];
    let mut laep = saisie("laep", "accueil", "Les Petits Pas");
    laep.publics = vec![
        "parents_enfants_0_3".to_owned(),
        "futurs_parents".to_owned(),
    ];
    laep.telephone = String::new();
    laep.courriel = "marie.dupont@exemple.fr".to_owned();
    laep.sans_rendez_vous = true;
    let mut aip = saisie("aip", "accompagnement", "Écoute des parents.");
    aip.modes = vec!["a_distance".to_owned()];
    aip.frais = "payant".to_owned();
    aip.precision_frais = "10 € l’entretien".to_owned();
    let mut pif = saisie("pif", "information", "Point info famille de Grenoble");
    pif.publics = vec!["grands_parents".to_owned(), "parents".to_owned()];
    vec![
        (GESTIONNAIRE_1, mediation),
        (GESTIONNAIRE_1, laep),
        (GESTIONNAIRE_2, aip),
        (GESTIONNAIRE_2, pif),
        (
            GESTIONNAIRE_2,
            saisie("clas", "atelier", "Accompagnement à la scolarité"),
        ),
        (
            GESTIONNAIRE_1,
            saisie("reaap", "atelier", "Café des parents"),
        ),
        (
            GESTIONNAIRE_1,
            saisie(
                "parrainage_de_proximite",
                "accompagnement",
                "Parrains et marraines de proximité",
            ),
        ),
        (
            GESTIONNAIRE_2,
            saisie(
                "espace_rencontre",
                "mediation",
                "Espace rencontre parents-enfants",
            ),
        ),
    ]
}

async fn acteur(p: &Plateforme, email: &str) -> domain::Acteur {
    p.utilisateur_par_email(email).await.unwrap().unwrap().1
}

/// Creates a service for the gestionnaire `email`, submits it and has the Caf publish it.
async fn publier(
    p: &Plateforme,
    email: &str,
    s: &SaisieService,
    quand: OffsetDateTime,
) -> ServiceId {
    let g = acteur(p, email).await;
    let caf = acteur(p, CAF).await;
    let id = p.creer_service(&g, None, s, quand).await.unwrap().valeur.id;
    p.soumettre_service(&g, id, quand).await.unwrap();
    p.publier_service(&caf, id, quand).await.unwrap();
    id
}

/// Changes a published service's name and has the new version published.
async fn republier(
    p: &Plateforme,
    email: &str,
    id: ServiceId,
    s: &SaisieService,
    quand: OffsetDateTime,
) {
    let g = acteur(p, email).await;
    let caf = acteur(p, CAF).await;
    p.modifier_service(&g, id, s, None, quand).await.unwrap();
    p.soumettre_service(&g, id, quand).await.unwrap();
    p.publier_service(&caf, id, quand).await.unwrap();
}

/// The ids of the services the tests keep out of the open data: a draft, a withdrawn one.
#[derive(Debug, Clone, Default)]
struct HorsPublication {
    brouillon: i64,
    retire: i64,
    en_modification: i64,
}

static HORS: OnceLock<HorsPublication> = OnceLock::new();

/// Two identical demonstrations per engine with the test services: one read only, one for the
/// walk while the directory changes.
fn demos() -> &'static [Demo] {
    static SQLITE: OnceLock<Vec<Demo>> = OnceLock::new();
    static POSTGRES: OnceLock<Vec<Demo>> = OnceLock::new();
    let m = moteur();
    let une = if m == Moteur::Sqlite {
        &SQLITE
    } else {
        &POSTGRES
    };
    une.get_or_init(|| {
        creer_demos(
            m,
            vec!["donnees-ouvertes", "donnees-ouvertes-parcours"],
            |p, maintenant| {
                Box::pin(async move {
                    for (email, s) in services_de_test() {
                        publier(p, email, &s, maintenant).await;
                    }
                    let g = acteur(p, GESTIONNAIRE_1).await;
                    let brouillon = p
                        .creer_service(
                            &g,
                            None,
                            &saisie("laep", "accueil", "Brouillon jamais soumis"),
                            maintenant,
                        )
                        .await
                        .unwrap()
                        .valeur
                        .id;
                    let retire = publier(
                        p,
                        GESTIONNAIRE_1,
                        &saisie("laep", "accueil", "Service retiré"),
                        maintenant,
                    )
                    .await;
                    p.retirer_service(&g, retire, maintenant).await.unwrap();
                    let en_modification = publier(
                        p,
                        GESTIONNAIRE_1,
                        &saisie("reaap", "atelier", "Nom publié"),
                        maintenant,
                    )
                    .await;
                    p.modifier_service(
                        &g,
                        en_modification,
                        &saisie("reaap", "atelier", "Nom en cours de modification"),
                        None,
                        maintenant,
                    )
                    .await
                    .unwrap();
                    let _ = HORS.set(HorsPublication {
                        brouillon: brouillon.0,
                        retire: retire.0,
                        en_modification: en_modification.0,
                    });
                })
            },
        )
    })
}

async fn routeur_sur(d: &Demo) -> axum::Router {
    web::routeur(Etat {
        plateforme: d.plateforme().await,
        cookie_securise: false,
    })
}

struct Reponse {
    statut: StatusCode,
    entetes: axum::http::HeaderMap,
    corps: String,
}

/// A GET without any session, as a visitor.
async fn get(r: &axum::Router, chemin: &str) -> Reponse {
    let rep = r
        .clone()
        .oneshot(
            Request::get(chemin)
                .header(header::HOST, "parentalite.test")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let statut = rep.status();
    let entetes = rep.headers().clone();
    let octets = rep.into_body().collect().await.unwrap().to_bytes();
    Reponse {
        statut,
        entetes,
        corps: String::from_utf8(octets.to_vec()).unwrap(),
    }
}

fn json(r: &Reponse) -> Value {
    serde_json::from_str(&r.corps).unwrap_or_else(|e| panic!("{e}: {}", r.corps))
}

/// The path and query of a `suivant` link.
fn chemin_de(lien: &str) -> String {
    let apres_hote = lien.split_once("://").map_or(lien, |(_, reste)| reste);
    apres_hote[apres_hote.find('/').unwrap()..].to_owned()
}

/// Every page of an API list from `chemin`: the records of each page.
async fn parcourir(r: &axum::Router, chemin: &str) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    let mut suivant = Some(chemin.to_owned());
    while let Some(c) = suivant {
        let rep = get(r, &c).await;
        assert_eq!(rep.statut, StatusCode::OK, "{c}: {}", rep.corps);
        let v = json(&rep);
        pages.push(v["elements"].as_array().unwrap().clone());
        suivant = v["suivant"].as_str().map(chemin_de);
        assert!(pages.len() < 1000, "le parcours ne finit pas");
    }
    pages
}

fn ids(elements: &[Value]) -> Vec<String> {
    elements
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The Python that has the schema's package, or `None` (the validation skipped) where it is not
/// installed, unless `PARENTALITE_EXIGER_DATA_INCLUSION=1` (the test command), where the test
/// fails.
fn python_data_inclusion() -> Option<String> {
    let python =
        std::env::var("PARENTALITE_DATA_INCLUSION_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let present = std::process::Command::new(&python)
        .args(["-c", "import data_inclusion.schema"])
        .output()
        .is_ok_and(|s| s.status.success());
    if present {
        return Some(python);
    }
    assert!(
        std::env::var("PARENTALITE_EXIGER_DATA_INCLUSION").is_err(),
        "data-inclusion-schema introuvable avec {python} alors que la validation est exigée"
    );
    eprintln!(
        "data-inclusion-schema absent ({python}) : enregistrements non validés par le schéma"
    );
    None
}

/// Runs the validator on `fichiers`: whether every record is valid, and what it printed.
fn valider(python: &str, fichiers: &[PathBuf]) -> (bool, String) {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/valider-data-inclusion.py");
    let sortie = std::process::Command::new(python)
        .arg(script)
        .args(fichiers)
        .output()
        .unwrap();
    let texte = format!(
        "{}{}",
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    );
    assert!(
        matches!(sortie.status.code(), Some(0 | 1)),
        "le validateur n'a pas pu s'exécuter : {texte}"
    );
    (sortie.status.success(), texte)
}

fn valeurs(services: &[Value], champ: &str) -> BTreeSet<String> {
    services
        .iter()
        .flat_map(|s| match &s[champ] {
            Value::Array(a) => a.iter().map(|v| v.as_str().unwrap().to_owned()).collect(),
            Value::String(t) => vec![t.clone()],
            _ => Vec::new(),
        })
        .collect()
}

fn codes<T: domain::donnees_ouvertes::schema::Referentiel>() -> BTreeSet<String> {
    T::TOUS.iter().map(|v| v.code().to_owned()).collect()
}

/// Every record of the four files and of the API's pages passes the schema's own validator, and
/// the services use every value we emit; a faulty record is caught.
#[tokio::test]
async fn chaque_enregistrement_publie_est_valide_selon_data_inclusion() {
    use domain::donnees_ouvertes::schema as di;
    let d = &demos()[0];
    let r = routeur_sur(d).await;
    let dossier = std::env::temp_dir().join(format!(
        "parentalite-donnees-ouvertes-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dossier).unwrap();
    let mut fichiers = Vec::new();
    for (nom, type_media) in [
        ("structures.json", "application/json"),
        ("structures.csv", "text/csv; charset=utf-8"),
        ("services.json", "application/json"),
        ("services.csv", "text/csv; charset=utf-8"),
    ] {
        let rep = get(&r, &format!("/donnees-ouvertes/{nom}")).await;
        assert_eq!(rep.statut, StatusCode::OK, "{nom}");
        assert_eq!(rep.entetes[header::CONTENT_TYPE], type_media, "{nom}");
        let chemin = dossier.join(nom);
        std::fs::write(&chemin, &rep.corps).unwrap();
        fichiers.push(chemin);
    }
    for liste in ["structures", "services"] {
        for (i, page) in parcourir(&r, &format!("/api/donnees-ouvertes/v1/{liste}?taille=25"))
            .await
            .iter()
            .enumerate()
        {
            let chemin = dossier.join(format!("{liste}-page-{i}.json"));
            std::fs::write(
                &chemin,
                serde_json::to_string(&serde_json::json!({ "elements": page })).unwrap(),
            )
            .unwrap();
            fichiers.push(chemin);
        }
    }

    let services: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dossier.join("services.json")).unwrap())
            .unwrap();
    let structures: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dossier.join("structures.json")).unwrap())
            .unwrap();
    // Every value of every référentiel we emit is used by the services validated here.
    assert_eq!(valeurs(&services, "thematiques"), codes::<di::Thematique>());
    assert_eq!(valeurs(&services, "type"), codes::<di::TypeService>());
    assert_eq!(valeurs(&services, "frais"), codes::<di::Frais>());
    assert_eq!(valeurs(&services, "publics"), codes::<di::Public>());
    assert_eq!(
        valeurs(&services, "modes_accueil"),
        codes::<di::ModeAccueil>()
    );
    assert_eq!(
        valeurs(&services, "modes_mobilisation"),
        codes::<di::ModeMobilisation>()
    );
    assert_eq!(
        valeurs(&services, "mobilisable_par"),
        codes::<di::PersonneMobilisatrice>()
    );
    // Every field we fill is filled somewhere.
    for champ in [
        "lien_source",
        "frais_precisions",
        "publics_precisions",
        "commune",
        "code_postal",
        "code_insee",
        "adresse",
        "complement_adresse",
        "latitude",
        "longitude",
        "telephone",
        "courriel",
        "zone_eligibilite",
        "lien_mobilisation",
        "mobilisation_precisions",
        "horaires_accueil",
    ] {
        assert!(
            services.iter().any(|s| !s[champ].is_null()),
            "{champ} jamais rempli"
        );
    }
    for champ in ["siret", "adresse", "commune", "code_postal", "code_insee"] {
        assert!(
            structures.iter().any(|s| !s[champ].is_null()),
            "{champ} jamais rempli"
        );
    }
    // No one is named: the personal address is left out, the shared one is kept.
    assert!(
        !services
            .iter()
            .any(|s| s["courriel"] == "marie.dupont@exemple.fr")
    );
    assert!(
        services
            .iter()
            .any(|s| s["courriel"] == "contact@mediation-gresivaudan.fr")
    );
    assert!(services.iter().all(|s| s["contact_nom_prenom"].is_null()));
    // The name's final period is gone, the public page is linked.
    let aip = services
        .iter()
        .find(|s| s["nom"] == "Écoute des parents")
        .expect("service AIP");
    assert!(
        aip["lien_source"]
            .as_str()
            .unwrap()
            .starts_with("http://parentalite.test/annuaire/services/")
    );

    let Some(python) = python_data_inclusion() else {
        return;
    };
    let (valide, texte) = valider(&python, &fichiers);
    eprintln!("{texte}");
    assert!(valide, "{texte}");
    assert!(texte.contains("0 en erreur"), "{texte}");

    // The validator catches a faulty record (an unknown theme, a name ending with a period).
    let mut faux = services[0].clone();
    faux["thematiques"] = serde_json::json!(["famille--inconnue"]);
    faux["nom"] = Value::String("Nom avec un point.".to_owned());
    let chemin = dossier.join("services-faux.json");
    std::fs::write(&chemin, serde_json::to_string(&vec![faux.clone()]).unwrap()).unwrap();
    let (valide, texte) = valider(&python, &[chemin]);
    assert!(!valide, "{texte}");
    assert!(
        texte.contains(faux["id"].as_str().unwrap()) && texte.contains("thematiques"),
        "{texte}"
    );
    let _ = std::fs::remove_dir_all(&dossier);
}

sur_les_deux_moteurs!(
    seuls_les_services_publies_apparaissent,
    un_parcours_sert_chaque_service_une_fois_pendant_que_l_annuaire_change,
    un_parametre_illisible_est_refuse_en_json,
);

async fn seuls_les_services_publies_apparaissent() {
    let d = &demos()[0];
    let r = routeur_sur(d).await;
    let hors = HORS.get().cloned().unwrap_or_default();
    let services = json(&get(&r, "/donnees-ouvertes/services.json").await);
    let services = services.as_array().unwrap();
    let presents = ids(services);
    for id in [hors.brouillon, hors.retire] {
        assert!(
            !presents.contains(&format!("parentalite--service-{id}")),
            "{id} publié à tort"
        );
    }
    // The service being edited: its published version, not the draft.
    let modifie = services
        .iter()
        .find(|s| s["id"] == format!("parentalite--service-{}", hors.en_modification))
        .expect("la version publiée reste ouverte");
    assert_eq!(modifie["nom"], "Nom publié");
    // The same in the API, and each structure publishes at least one of these services.
    let api: Vec<Value> = parcourir(&r, "/api/donnees-ouvertes/v1/services?taille=1000")
        .await
        .concat();
    assert_eq!(ids(&api), presents);
    let structures: Vec<String> = ids(json(&get(&r, "/donnees-ouvertes/structures.json").await)
        .as_array()
        .unwrap());
    let de_services: BTreeSet<String> = services
        .iter()
        .map(|s| s["structure_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        structures.iter().cloned().collect::<BTreeSet<_>>(),
        de_services
    );
    // The page that describes the data, without an account.
    let page = get(&r, "/donnees-ouvertes").await;
    assert_eq!(page.statut, StatusCode::OK);
    let page = Page::lire(&page.corps);
    assert_eq!(
        page.attribut("a[href^=\"https://www.etalab.gouv.fr/\"]", "href"),
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    );
    assert!(
        page.texte("main")
            .contains("famille--surmonter-conflits-separation-violence")
    );
    assert!(
        page.texte("main")
            .contains(&format!("{} service(s)", services.len()))
    );
}

/// A walk of two records a page serves each service once while, between its pages, a service
/// already served and one not yet served are updated and a new one is published; `depuis` then
/// brings exactly what changed.
async fn un_parcours_sert_chaque_service_une_fois_pendant_que_l_annuaire_change() {
    let d = &demos()[1];
    let r = routeur_sur(d).await;
    let p = d.plateforme().await;
    let tous: Vec<Value> = parcourir(&r, "/api/donnees-ouvertes/v1/services?taille=1000")
        .await
        .concat();
    let avant: Vec<String> = ids(&tous);
    assert!(avant.len() >= 6, "{avant:?}");
    // The first page ends with the médiation (of the first gestionnaire, which updates it).
    let position = tous
        .iter()
        .position(|s| s["nom"] == "Médiation familiale du Grésivaudan")
        .unwrap();
    let premiere = json(
        &get(
            &r,
            &format!("/api/donnees-ouvertes/v1/services?taille={}", position + 1),
        )
        .await,
    );
    let mut vus = ids(premiere["elements"].as_array().unwrap());
    let numero = |id: &str| ServiceId(id.rsplit('-').next().unwrap().parse().unwrap());
    // Between two pages: the last served and the last of all (not yet served, the first
    // gestionnaire's too) are updated, and a new one is published.
    let debut_changements = OffsetDateTime::now_utc();
    let deja_vu = numero(vus.last().unwrap());
    let pas_encore_vu = numero(avant.last().unwrap());
    for id in [deja_vu, pas_encore_vu] {
        let mut s = saisie("reaap", "atelier", &format!("Mis à jour {}", id.0));
        s.description = "Nouvelle description pendant le parcours.".to_owned();
        republier(&p, GESTIONNAIRE_1, id, &s, OffsetDateTime::now_utc()).await;
    }
    let nouveau = publier(
        &p,
        GESTIONNAIRE_2,
        &saisie("laep", "accueil", "Ouvert pendant le parcours"),
        OffsetDateTime::now_utc(),
    )
    .await;

    let suite = chemin_de(premiere["suivant"].as_str().expect("une page suivante"));
    let pages = parcourir(&r, &suite).await;
    let suite: Vec<Value> = pages.concat();
    vus.extend(ids(&suite));
    let mut attendus = avant.clone();
    attendus.push(format!("parentalite--service-{}", nouveau.0));
    assert_eq!(
        vus, attendus,
        "chaque service une fois, dans l'ordre des identifiants"
    );
    // The one not yet served comes in its new version.
    let maj = suite
        .iter()
        .find(|s| s["id"] == format!("parentalite--service-{}", pas_encore_vu.0))
        .unwrap();
    assert_eq!(maj["nom"], format!("Mis à jour {}", pas_encore_vu.0));

    // `depuis` the instant the changes began: exactly the updated and the new services.
    let depuis = debut_changements
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let chemin = format!(
        "/api/donnees-ouvertes/v1/services?taille=1&depuis={}",
        depuis.replace('+', "%2B")
    );
    let changes: BTreeSet<String> = ids(&parcourir(&r, &chemin).await.concat())
        .into_iter()
        .collect();
    let attendus: BTreeSet<String> = [deja_vu, pas_encore_vu, nouveau]
        .iter()
        .map(|i| format!("parentalite--service-{}", i.0))
        .collect();
    assert_eq!(changes, attendus);
    // A date alone: that day from 00:00 UTC, so at least what changed today.
    let aujourd_hui = format!(
        "/api/donnees-ouvertes/v1/services?taille=1000&depuis={}",
        d.aujourd_hui
    );
    let du_jour: BTreeSet<String> = ids(json(&get(&r, &aujourd_hui).await)["elements"]
        .as_array()
        .unwrap())
    .into_iter()
    .collect();
    assert!(du_jour.is_superset(&attendus), "{du_jour:?}");
    // The structures follow: the one of the new service changed since then.
    let structures = ids(&parcourir(
        &r,
        &format!(
            "/api/donnees-ouvertes/v1/structures?depuis={}",
            depuis.replace('+', "%2B")
        ),
    )
    .await
    .concat());
    assert!(!structures.is_empty());
}

async fn un_parametre_illisible_est_refuse_en_json() {
    let d = &demos()[0];
    let r = routeur_sur(d).await;
    let structures = json(&get(&r, "/api/donnees-ouvertes/v1/structures?taille=1").await);
    let curseur_structures = structures["suivant"]
        .as_str()
        .expect("plus d'une structure");
    let curseur_structures = curseur_structures
        .split("apres=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    for (requete, champ) in [
        ("apres=nimporte", "apres"),
        ("apres=0123456789abcdef", "apres"),
        (format!("apres={curseur_structures}").as_str(), "apres"),
        ("taille=0", "taille"),
        ("taille=1001", "taille"),
        ("taille=dix", "taille"),
        ("depuis=hier", "depuis"),
        ("depuis=2026-02-30", "depuis"),
        ("page=2", "requete"),
        ("taille=1&taille=2", "taille"),
    ] {
        let rep = get(&r, &format!("/api/donnees-ouvertes/v1/services?{requete}")).await;
        assert_eq!(
            rep.statut,
            StatusCode::BAD_REQUEST,
            "{requete}: {}",
            rep.corps
        );
        assert_eq!(rep.entetes[header::CONTENT_TYPE], "application/json");
        let v = json(&rep);
        assert_eq!(v["code"], "parametre_invalide", "{requete}");
        assert_eq!(v["champ"], champ, "{requete}");
        assert!(!v["message"].as_str().unwrap().is_empty());
    }
}
