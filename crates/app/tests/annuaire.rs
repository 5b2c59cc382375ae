//! The directory's services through the use cases and the store, on SQLite and on PostgreSQL:
//! a gestionnaire's draft, submitted, moderated by the Caf of its département, listed as
//! published (all, changed since a date, page by page after a cursor), a published service
//! edited while its published version stays listed, and who may do what.
//!
//! PostgreSQL is reached through `PARENTALITE_TEST_POSTGRES` (skipped without it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use app::{Auteur, ErreurApp, Plateforme};
use domain::Acteur;
use domain::annuaire::{EtatPublication, SaisieLieuService, SaisieService};
use domain::identifiants::*;
use domain::structures::{Adresse, Gestionnaire, StatutJuridique, TypeActivite};
use referentiel::parametres::Parametres;
use store::annuaire::{self as depot_annuaire, Curseur};
use time::macros::{date, offset};
use time::{Date, OffsetDateTime};

fn le(jour: Date) -> OffsetDateTime {
    jour.with_hms(10, 0, 0).unwrap().assume_offset(offset!(+1))
}
fn d(code: &str) -> CodeDepartement {
    CodeDepartement::parse(code).unwrap()
}

fn siret(stem: u64) -> Siret {
    let base = format!("{stem:013}");
    (0..10)
        .find_map(|k| Siret::parse(&format!("{base}{k}")).ok())
        .unwrap()
}

fn gestionnaire(id: GestionnaireId, stem: u64, nom: &str) -> Gestionnaire {
    Gestionnaire {
        id,
        raison_sociale: nom.into(),
        siret: siret(stem),
        rna: Some(Rna::parse("W381000001").unwrap()),
        statut: StatutJuridique::AssociationLoi1901,
        activite: TypeActivite::Generaliste,
        siege: Adresse {
            voie: "2 rue des Alpes".into(),
            complement: None,
            code_postal: "38000".into(),
            commune: CodeInsee::parse("38185").unwrap(),
        },
        departement_siege: d("38"),
        email: None,
        engagements: Default::default(),
        banque: None,
    }
}

pub fn saisie(nom: &str) -> SaisieService {
    SaisieService {
        dispositif: "mediation_familiale".into(),
        type_service: "mediation".into(),
        nom: nom.into(),
        description: "Des entretiens avec un médiateur familial diplômé d’État.".into(),
        publics: vec!["parents_separes".into()],
        modes: vec!["sur_place".into(), "a_distance".into()],
        frais: "module_selon_revenus".into(),
        precision_frais: "Barème national de la Cnaf".into(),
        telephone: "04 76 00 00 01".into(),
        lieux: vec![SaisieLieuService {
            voie: "5 avenue Jean Jaurès".into(),
            code_postal: "38400".into(),
            commune: "38421".into(),
            horaires: "Mo-Fr 09:00-17:00".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

async fn plateforme(p: Plateforme) -> Plateforme {
    p.importer_gestionnaires(
        Auteur::Operateur,
        vec![
            Box::new(|id| gestionnaire(id, 1_234_567_890_001, "Écoute Parents Isère"))
                as Box<dyn FnOnce(GestionnaireId) -> Gestionnaire>,
            Box::new(|id| gestionnaire(id, 1_234_567_890_002, "Maison des familles")),
        ],
        le(date!(2025 - 01 - 01)),
    )
    .await
    .unwrap();
    p
}

fn interdit<T: std::fmt::Debug>(r: Result<T, ErreurApp>) {
    match r {
        Ok(v) => panic!("accepté à tort : {v:?}"),
        Err(e) => assert!(e.est_interdit(), "{e}"),
    }
}

async fn scenario(p: Plateforme) {
    let p = plateforme(p).await;
    let g = Acteur::gestionnaire(UtilisateurId(20), [GestionnaireId(1)]);
    let autre = Acteur::gestionnaire(UtilisateurId(21), [GestionnaireId(2)]);
    let caf38 = Acteur::caf(UtilisateurId(10), [d("38")]);
    let caf30 = Acteur::caf(UtilisateurId(11), [d("30")]);

    // A faulty form is refused whole, nothing written.
    let mut faux = saisie("Médiation");
    faux.lieux[0].horaires = "lundi 9h".into();
    faux.telephone.clear();
    let e = p
        .creer_service(&g, None, &faux, le(date!(2025 - 02 - 01)))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("OpenStreetMap"), "{e}");
    assert!(p.mes_services(&g).await.unwrap().is_empty());

    let mut ids = Vec::new();
    for nom in ["Médiation familiale", "Espace parents", "Médiation Voiron"] {
        let s = p
            .creer_service(&g, None, &saisie(nom), le(date!(2025 - 02 - 01)))
            .await
            .unwrap();
        assert_eq!(s.valeur.etat, EtatPublication::Brouillon);
        assert_eq!(s.valeur.departement, d("38"));
        ids.push(s.valeur.id);
    }
    assert_eq!(p.mes_services(&g).await.unwrap().len(), 3);
    assert!(p.mes_services(&autre).await.unwrap().is_empty());

    // Only its own gestionnaire submits; only the Caf of Isère moderates.
    interdit(
        p.soumettre_service(&autre, ids[0], le(date!(2025 - 02 - 02)))
            .await,
    );
    interdit(p.service(&autre, ids[0]).await);
    interdit(p.service(&caf30, ids[0]).await);
    for (k, id) in ids.iter().enumerate() {
        p.soumettre_service(
            &g,
            *id,
            le(date!(2025 - 02 - 02)) + time::Duration::minutes(k as i64),
        )
        .await
        .unwrap();
    }
    assert!(p.services_a_moderer(&caf30).await.unwrap().is_empty());
    assert!(p.services_a_moderer(&g).await.unwrap().is_empty());
    let file = p.services_a_moderer(&caf38).await.unwrap();
    assert_eq!(
        file.iter().map(|s| s.valeur.id).collect::<Vec<_>>(),
        ids,
        "la file est dans l'ordre des soumissions"
    );
    interdit(
        p.publier_service(&caf30, ids[0], le(date!(2025 - 02 - 03)))
            .await,
    );
    interdit(
        p.publier_service(&g, ids[0], le(date!(2025 - 02 - 03)))
            .await,
    );

    // Published in the order 2, 0; the third refused.
    p.publier_service(&caf38, ids[2], le(date!(2025 - 02 - 03)))
        .await
        .unwrap();
    p.publier_service(&caf38, ids[0], le(date!(2025 - 02 - 04)))
        .await
        .unwrap();
    let r = p
        .refuser_service(&caf38, ids[1], "", le(date!(2025 - 02 - 04)))
        .await
        .unwrap_err();
    assert!(r.to_string().contains("motif"), "{r}");
    let refuse = p
        .refuser_service(&caf38, ids[1], "Nom trop vague", le(date!(2025 - 02 - 04)))
        .await
        .unwrap();
    assert_eq!(refuse.valeur.motif_refus.as_deref(), Some("Nom trop vague"));

    let mut tx = p.base.lire().await.unwrap();
    let publies = depot_annuaire::publies(&mut tx).await.unwrap();
    assert_eq!(
        publies.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![ids[2], ids[0]]
    );
    // Page by page after a cursor, and changed since a date.
    let page1 = depot_annuaire::publies_page(&mut tx, None, None, Some(1))
        .await
        .unwrap();
    assert_eq!(page1.len(), 1);
    let page2 =
        depot_annuaire::publies_page(&mut tx, None, Some(Curseur::apres(&page1[0])), Some(1))
            .await
            .unwrap();
    assert_eq!(page2[0].id, ids[0]);
    let page3 =
        depot_annuaire::publies_page(&mut tx, None, Some(Curseur::apres(&page2[0])), Some(1))
            .await
            .unwrap();
    assert!(page3.is_empty());
    let recents =
        depot_annuaire::publies_page(&mut tx, Some(le(date!(2025 - 02 - 04))), None, None)
            .await
            .unwrap();
    assert_eq!(
        recents.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    drop(tx);

    // An edit of a published service keeps the published version listed until the new one is
    // published.
    let mut e = saisie("Médiation familiale (nouveau nom)");
    e.lieux[0].horaires = "Mo-Th 09:00-17:00".into();
    interdit(
        p.modifier_service(&autre, ids[0], &e, None, le(date!(2025 - 03 - 01)))
            .await,
    );
    let modifie = p
        .modifier_service(&g, ids[0], &e, None, le(date!(2025 - 03 - 01)))
        .await
        .unwrap();
    assert_eq!(modifie.valeur.etat, EtatPublication::Brouillon);
    let mut tx = p.base.lire().await.unwrap();
    let visible = depot_annuaire::service_publie(&mut tx, ids[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(visible.nom, "Médiation familiale");
    drop(tx);
    p.soumettre_service(&g, ids[0], le(date!(2025 - 03 - 02)))
        .await
        .unwrap();
    p.publier_service(&caf38, ids[0], le(date!(2025 - 03 - 03)))
        .await
        .unwrap();
    let mut tx = p.base.lire().await.unwrap();
    let visible = depot_annuaire::service_publie(&mut tx, ids[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(visible.nom, "Médiation familiale (nouveau nom)");
    let publies = depot_annuaire::publies(&mut tx).await.unwrap();
    assert_eq!(publies.last().unwrap().id, ids[0]);
    drop(tx);

    // Withdrawn: gone from the listing.
    p.retirer_service(&g, ids[2], le(date!(2025 - 03 - 04)))
        .await
        .unwrap();
    let mut tx = p.base.lire().await.unwrap();
    let publies = depot_annuaire::publies(&mut tx).await.unwrap();
    assert_eq!(
        publies.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    drop(tx);

    // Every write is in the audit chain, with the record's hash.
    let anomalies = store::audit::verifier(&p.base).await.unwrap();
    assert!(anomalies.is_empty(), "{anomalies:?}");
}

#[tokio::test]
async fn services_sur_sqlite() {
    let base = essais::base_sqlite("app", "annuaire").await;
    scenario(Plateforme::new(
        base,
        Arc::new(Parametres::embarques().unwrap()),
    ))
    .await;
}

#[tokio::test]
async fn services_sur_postgresql() {
    if let Some(base) = essais::base_postgres("app", "annuaire").await {
        scenario(Plateforme::new(
            base,
            Arc::new(Parametres::embarques().unwrap()),
        ))
        .await;
    }
}
