//! The public « Registre des activités de traitement »: public, linked from every page's footer,
//! listing each processing activity, and showing the retention periods of the parameters in
//! force (a changed parameter file changes the page).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use app::Plateforme;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use domain::conservation::{Categorie, TRAITEMENTS};
use http_body_util::BodyExt;
use referentiel::parametres::{FichierParametres, Parametres};
use tower::ServiceExt;
use web::Etat;

async fn obtenir(parametres: Parametres, chemin: &str) -> (StatusCode, String) {
    let base = essais::base_sqlite("registre", "page").await;
    let routeur = web::routeur(Etat {
        plateforme: Plateforme::new(base, Arc::new(parametres)),
        cookie_securise: false,
    });
    let reponse = routeur
        .oneshot(Request::get(chemin).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let statut = reponse.status();
    let corps = reponse.into_body().collect().await.unwrap().to_bytes();
    (statut, String::from_utf8(corps.to_vec()).unwrap())
}

/// The embedded parameter files, the retention of login failures set to `mois`.
fn parametres_avec_echecs(mois: u32) -> Parametres {
    let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../parameters");
    let mut fichiers = Vec::new();
    for dossier in ["aip", "annuaire", "conservation"] {
        for f in std::fs::read_dir(racine.join(dossier)).unwrap() {
            let chemin = f.unwrap().path();
            let mut texte = std::fs::read_to_string(&chemin).unwrap();
            if dossier == "conservation" {
                let debut = texte.find("echecs_connexion_mois").unwrap();
                let position = debut + texte[debut..].find("value: 6").unwrap();
                texte.replace_range(position..position + 8, &format!("value: {mois}"));
            }
            fichiers.push(FichierParametres {
                chemin: format!(
                    "parameters/{dossier}/{}",
                    chemin.file_name().unwrap().to_string_lossy()
                ),
                texte,
            });
        }
    }
    Parametres::depuis_fichiers(fichiers).unwrap()
}

#[tokio::test]
async fn le_registre_est_public_et_montre_les_durees_des_parametres() {
    let (statut, corps) = obtenir(
        Parametres::embarques().unwrap(),
        "/registre-des-traitements",
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    assert!(corps.contains("Registre des activités de traitement"));
    for t in TRAITEMENTS {
        assert!(
            corps.contains(&maud::html! { (t.nom) }.into_string()),
            "{}",
            t.nom
        );
    }
    for c in Categorie::TOUTES {
        assert!(
            corps.contains(&maud::html! { (c.libelle()) }.into_string()),
            "{c:?}"
        );
    }
    assert!(corps.contains("<td>6 mois</td>"), "{corps}");
    assert!(corps.contains("<td>24 mois</td>"));
    assert!(corps.contains("<td>3 mois</td>"));
    // Every page links to it.
    let (_, accueil) = obtenir(Parametres::embarques().unwrap(), "/accessibilite").await;
    assert!(accueil.contains("<a href=\"/registre-des-traitements\">"));

    // Another parameter, another page: the period is read, never written twice.
    let (statut, corps) = obtenir(parametres_avec_echecs(9), "/registre-des-traitements").await;
    assert_eq!(statut, StatusCode::OK);
    assert!(corps.contains("<td>9 mois</td>"), "{corps}");
    assert!(!corps.contains("<td>6 mois</td>"));
}
