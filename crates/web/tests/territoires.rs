//! The public fiches territoires through the web application, on both engines, without an
//! account: no count from 1 to 4 is ever printed (in the pages or in their CSV files); the
//! Isère's figures are those recomputed here another way (each scheme's offer read by the
//! diagnosis, the population summed over the communes, every distance measured); an unknown
//! département or commune is a French 404; the search finds a commune by its name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use activite::SuiviActivite;
use axum::http::StatusCode;
use domain::appel_a_projets::Dispositif;
use domain::identifiants::CodeDepartement;
use domain::territoire::Communes;
use domain::territoire::couverture::distance_km;
use web::Etat;

use aide::get;
use commun::{Demo, Moteur, Page, creer_demo, moteur};

/// One demonstration per engine, with its AIP activity, for the whole file.
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
        creer_demo(m, "territoires", |p, maintenant| {
            Box::pin(async move {
                SuiviActivite::new(p)
                    .peupler_demo(p, 7, maintenant)
                    .await
                    .unwrap();
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

/// Whether a count as printed gives away a count from 1 to 4.
fn revele_un_petit_effectif(texte: &str) -> bool {
    let chiffres: String = texte.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(chiffres.parse::<u64>(), Ok(1..=4))
}

/// The counts of a page (every `span.compte`).
fn comptes(html: &str) -> Vec<String> {
    Page::lire(html)
        .tous("span.compte")
        .into_iter()
        .map(commun::texte)
        .collect()
}

/// The lines of a fiche's CSV file (BOM and header left out), as `[territoire, rubrique,
/// dispositif, valeur]`.
fn lignes_csv(texte: &str) -> Vec<Vec<String>> {
    texte
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| {
            l.split(';')
                .map(|c| c.trim_matches('"').to_owned())
                .collect()
        })
        .collect()
}

/// The rubriques of a CSV file that are counts.
const RUBRIQUES_COMPTES: [&str; 6] = [
    "dossiers_valides",
    "lieux",
    "services_annuaire",
    "aip_structures",
    "aip_entretiens",
    "aip_familles",
];

sur_les_deux_moteurs!(aucun_effectif_de_1_a_4_n_est_publie);
async fn aucun_effectif_de_1_a_4_n_est_publie() {
    let r = routeur().await;
    let mut masques = 0;
    let mut verifies = 0;
    for dep in ["38", "69", "75", "2A"] {
        let (statut, _, html) = get(&r, &format!("/territoires/{dep}"), "").await;
        assert_eq!(statut, StatusCode::OK, "{html}");
        let c = comptes(&html);
        assert!(!c.is_empty());
        for texte in &c {
            assert!(!revele_un_petit_effectif(texte), "{dep}: « {texte} »");
            masques += usize::from(texte == "< 5");
        }
        let (statut, _, csv) = get(&r, &format!("/territoires/{dep}/fiche.csv"), "").await;
        assert_eq!(statut, StatusCode::OK);
        for l in lignes_csv(&csv) {
            if RUBRIQUES_COMPTES.contains(&l[1].as_str()) {
                assert!(!revele_un_petit_effectif(&l[3]), "{dep} CSV: {l:?}");
                verifies += 1;
            }
        }
        // Every commune with an offer, and its file.
        let page = Page::lire(&html);
        let liens: Vec<String> = page
            .tous("ul.communes-avec-offre a")
            .into_iter()
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect();
        for lien in liens {
            let (statut, _, html) = get(&r, &lien, "").await;
            assert_eq!(statut, StatusCode::OK, "{lien}");
            for texte in comptes(&html) {
                assert!(!revele_un_petit_effectif(&texte), "{lien}: « {texte} »");
                masques += usize::from(texte == "< 5");
            }
            let (_, _, csv) = get(&r, &format!("{lien}/fiche.csv"), "").await;
            for l in lignes_csv(&csv) {
                if RUBRIQUES_COMPTES.contains(&l[1].as_str()) {
                    assert!(!revele_un_petit_effectif(&l[3]), "{lien} CSV: {l:?}");
                    verifies += 1;
                }
            }
        }
    }
    assert!(
        masques > 0,
        "la démonstration a de petits effectifs, masqués"
    );
    assert!(verifies > 0);
}

sur_les_deux_moteurs!(les_chiffres_de_l_isere_sont_ceux_recalcules_a_part);
async fn les_chiffres_de_l_isere_sont_ceux_recalcules_a_part() {
    let r = routeur().await;
    let plateforme = demo().plateforme().await;
    let d38 = CodeDepartement::parse("38").unwrap();
    let communes = Communes::embarquees().unwrap();
    let du_38: BTreeSet<_> = communes.du_departement(d38).map(|c| c.code).collect();
    // The places of each scheme, as the diagnosis reads them (dossiers of the Isère), kept
    // when in a commune of the Isère.
    let mut par_dispositif = Vec::new();
    let mut positions = Vec::new();
    for d in Dispositif::TOUS {
        let offre = store::diagnostic::offre(&plateforme.base, d38, d, &["valide"])
            .await
            .unwrap();
        par_dispositif.push(offre.iter().filter(|l| du_38.contains(&l.commune)).count() as u64);
    }
    // A place of any département covers the communes near it.
    for departement in domain::territoire::departements() {
        for d in Dispositif::TOUS {
            let offre =
                store::diagnostic::offre(&plateforme.base, departement.code, d, &["valide"])
                    .await
                    .unwrap();
            positions.extend(
                offre
                    .iter()
                    .filter_map(|l| communes.get(l.commune).and_then(|c| c.position)),
            );
        }
    }
    let total: u64 = par_dispositif.iter().sum();
    assert!(
        total >= 5,
        "la démonstration a une offre en Isère: {par_dispositif:?}"
    );
    let population: u64 = communes
        .du_departement(d38)
        .map(|c| u64::from(c.population.unwrap_or(0)))
        .sum();
    // Communes with no place of any scheme within 10 km, every pair measured.
    let non_couvertes = communes
        .du_departement(d38)
        .filter(|c| {
            c.position
                .is_some_and(|p| positions.iter().all(|q| distance_km(p, *q) > 10.0))
        })
        .count();

    let (statut, _, html) = get(&r, "/territoires/38", "").await;
    assert_eq!(statut, StatusCode::OK, "{html}");
    let page = Page::lire(&html);
    let lignes = page.lignes("table");
    let sans_espaces = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for (j, d) in Dispositif::TOUS.iter().enumerate() {
        let ligne = lignes.iter().find(|l| l[0] == d.libelle()).unwrap();
        let attendu = par_dispositif[j];
        let publie = sans_espaces(&ligne[2]);
        match attendu {
            0 => assert_eq!(publie, "0", "{d:?}"),
            1..=4 => assert_eq!(publie, "<5", "{d:?}"),
            _ => assert!(
                publie == "<5" || publie == attendu.to_string(),
                "{d:?}: {publie}"
            ),
        }
    }
    let ensemble = lignes
        .iter()
        .find(|l| l[0] == "Ensemble des dispositifs")
        .unwrap();
    assert_eq!(sans_espaces(&ensemble[2]), total.to_string());
    // Places per 10 000 inhabitants, to the hundredth.
    let taux = format!("{:.2}", total as f64 * 10_000.0 / population as f64).replace('.', ",");
    assert_eq!(ensemble[4], taux);
    let cles = page.texte("dl.chiffres-cles");
    assert!(
        sans_espaces(&cles).contains(&format!("Population{population}habitants")),
        "{cles}"
    );
    assert!(
        sans_espaces(&cles).contains(&format!("moinsde10km{non_couvertes}")),
        "{cles}: {non_couvertes}"
    );
    assert_eq!(
        page.tous("svg .commune-non-couverte").len(),
        non_couvertes,
        "la carte"
    );
    assert!(
        page.tous("svg rect.lieu").is_empty(),
        "aucun lieu dessiné un à un"
    );

    // The CSV gives the same.
    let (_, _, csv) = get(&r, "/territoires/38/fiche.csv", "").await;
    let csv = lignes_csv(&csv);
    let valeur = |rubrique: &str, dispositif: &str| {
        csv.iter()
            .find(|l| l[1] == rubrique && l[2] == dispositif)
            .map(|l| l[3].clone())
            .unwrap()
    };
    assert_eq!(valeur("lieux", "ensemble"), total.to_string());
    assert_eq!(valeur("population", ""), population.to_string());
    assert_eq!(
        valeur("communes_non_couvertes", ""),
        non_couvertes.to_string()
    );
}

sur_les_deux_moteurs!(un_territoire_inconnu_est_introuvable_en_francais);
async fn un_territoire_inconnu_est_introuvable_en_francais() {
    let r = routeur().await;
    for adresse in [
        "/territoires/00",
        "/territoires/999",
        "/territoires/20",
        "/territoires/00/fiche.csv",
        "/territoires/communes/99999",
        "/territoires/communes/abc",
        "/territoires/communes/38000/fiche.csv",
    ] {
        let (statut, _, html) = get(&r, adresse, "").await;
        assert_eq!(statut, StatusCode::NOT_FOUND, "{adresse}");
        assert!(html.contains("Page introuvable"), "{adresse}: {html}");
        assert!(html.contains("lang=\"fr\""));
    }
}

sur_les_deux_moteurs!(la_liste_et_la_recherche_d_une_commune_sont_publiques);
async fn la_liste_et_la_recherche_d_une_commune_sont_publiques() {
    let r = routeur().await;
    let (statut, _, html) = get(&r, "/territoires", "").await;
    assert_eq!(statut, StatusCode::OK);
    let page = Page::lire(&html);
    assert_eq!(page.texte("h1"), "Fiches territoires");
    assert_eq!(page.lien("Isère"), "/territoires/38");
    assert_eq!(page.tous("table tbody tr").len(), 101);
    let (statut, _, html) = get(&r, "/territoires?commune=saint+etienne+de+saint+g", "").await;
    assert_eq!(statut, StatusCode::OK);
    let page = Page::lire(&html);
    assert_eq!(
        page.lien("Saint-Étienne-de-Saint-Geoirs"),
        "/territoires/communes/38384"
    );
    let (statut, _, html) = get(&r, "/territoires/communes/38384", "").await;
    assert_eq!(statut, StatusCode::OK, "{html}");
    let page = Page::lire(&html);
    assert_eq!(
        page.lien("Trouver un service près de Saint-Étienne-de-Saint-Geoirs"),
        "/annuaire?commune=38384"
    );
    assert_eq!(page.lien("Isère (38)"), "/territoires/38");
}

/// A published médiation familiale service of the directory at Corrençon-en-Vercors.
fn service_a_correncon(nom: &str) -> domain::annuaire::SaisieService {
    domain::annuaire::SaisieService {
        dispositif: "mediation_familiale".into(),
        type_service: "mediation".into(),
        nom: nom.into(),
        description: "Des entretiens avec un médiateur familial diplômé d’État.".into(),
        publics: vec!["parents_separes".into()],
        modes: vec!["sur_place".into()],
        frais: "gratuit".into(),
        telephone: "04 76 00 00 01".into(),
        lieux: vec![domain::annuaire::SaisieLieuService {
            voie: "1 place de la Mairie".into(),
            code_postal: "38250".into(),
            commune: "38129".into(),
            horaires: "Mo-Fr 09:00-17:00".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

sur_les_deux_moteurs!(les_services_publies_de_l_annuaire_sont_comptes_et_masques);
async fn les_services_publies_de_l_annuaire_sont_comptes_et_masques() {
    let r = routeur().await;
    let plateforme = demo().plateforme().await;
    let (_, gestionnaire) = plateforme
        .utilisateur_par_email("gestionnaire.38.10@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap();
    let (_, caf) = plateforme
        .utilisateur_par_email("agent.38@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap();
    let maintenant = time::OffsetDateTime::now_utc();
    let publier = |nom: String| {
        let (plateforme, gestionnaire, caf) = (&plateforme, &gestionnaire, &caf);
        async move {
            let s = plateforme
                .creer_service(gestionnaire, None, &service_a_correncon(&nom), maintenant)
                .await
                .unwrap();
            plateforme
                .soumettre_service(gestionnaire, s.valeur.id, maintenant)
                .await
                .unwrap();
            plateforme
                .publier_service(caf, s.valeur.id, maintenant)
                .await
                .unwrap();
        }
    };
    let services_mediation = |html: &str| {
        let page = Page::lire(html);
        let ligne = page
            .lignes("table")
            .into_iter()
            .find(|l| l[0] == "médiation familiale")
            .unwrap();
        // Dispositif | (Dossiers validés |) Lieux | Services…
        ligne[ligne.len() - if ligne.len() == 5 { 2 } else { 1 }].clone()
    };
    // Three services: « < 5 » on the commune's fiche, in its file, and on the département's.
    for i in 1..=3 {
        publier(format!("Médiation familiale du Vercors {i}")).await;
    }
    let (_, _, html) = get(&r, "/territoires/communes/38129", "").await;
    assert_eq!(services_mediation(&html), "< 5", "{html}");
    let (_, _, csv) = get(&r, "/territoires/communes/38129/fiche.csv", "").await;
    let ligne = lignes_csv(&csv)
        .into_iter()
        .find(|l| l[1] == "services_annuaire" && l[2] == "mediation_familiale")
        .unwrap();
    assert_eq!(ligne[3], "< 5");
    let (_, _, html) = get(&r, "/territoires/38", "").await;
    assert_eq!(services_mediation(&html), "< 5");
    assert!(
        Page::lire(&html)
            .tous("ul.communes-avec-offre a")
            .iter()
            .any(|a| commun::texte(*a) == "Corrençon-en-Vercors")
    );
    // Two more: 5 services, shown unless masked so as to protect another commune's count.
    for i in 4..=5 {
        publier(format!("Médiation familiale du Vercors {i}")).await;
    }
    let (_, _, html) = get(&r, "/territoires/communes/38129", "").await;
    let publie = services_mediation(&html);
    assert!(publie == "5" || publie == "< 5", "{publie}");
    // The département's total: each published service once in each commune of the Isère where
    // it has a place, counted here from the store.
    let mut tx = plateforme.base.lire().await.unwrap();
    let attendu: usize = store::annuaire::publies(&mut tx)
        .await
        .unwrap()
        .iter()
        .map(|s| {
            s.lieux
                .iter()
                .map(|l| l.adresse.commune)
                .filter(|c| c.as_str().starts_with("38"))
                .collect::<BTreeSet<_>>()
                .len()
        })
        .sum();
    assert!(attendu >= 5);
    let (_, _, html) = get(&r, "/territoires/38", "").await;
    let ensemble = Page::lire(&html)
        .lignes("table")
        .into_iter()
        .find(|l| l[0] == "Ensemble des dispositifs")
        .unwrap();
    let sans_espaces: String = ensemble[3].chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(sans_espaces, attendu.to_string());
}

sur_les_deux_moteurs!(le_plan_du_site_liste_les_fiches);
async fn le_plan_du_site_liste_les_fiches() {
    let r = routeur().await;
    // The communes with an offer, as the département's fiche links them (read first: another
    // test of this file publishes services meanwhile, and the offer only grows).
    let (_, _, html) = get(&r, "/territoires/38", "").await;
    let liens: Vec<String> = Page::lire(&html)
        .tous("ul.communes-avec-offre a")
        .into_iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(!liens.is_empty());
    let (statut, _, xml) = get(&r, "/sitemap.xml", "").await;
    assert_eq!(statut, StatusCode::OK);
    assert!(xml.contains("/territoires</loc>"), "{xml}");
    assert!(xml.contains("/territoires/38</loc>"));
    assert!(xml.contains("/territoires/2A</loc>"));
    for lien in liens {
        assert!(xml.contains(&format!("{lien}</loc>")), "{lien}");
    }
}
