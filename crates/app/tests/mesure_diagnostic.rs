//! How long the coverage diagnosis of one département takes with 5 000 places of one scheme, on
//! SQLite and on PostgreSQL: the store's read of the offer, the computation, and the whole use
//! case. A measurement, not a check: ignored by default, run by hand (see BENCHMARKS.md):
//!
//! ```sh
//! cargo test --release -p app --test mesure_diagnostic -- --ignored --nocapture
//! ```
//!
//! The fixture is the demonstration (ten structures in the Nord) plus, for each of them, 500
//! places in communes of the Nord drawn at random and a validated LAEP project listing them,
//! written straight into the store (the use cases' own checks are not what is measured).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::Plateforme;
use app::demo::OptionsDemo;
use domain::Acteur;
use domain::appel_a_projets::{Dispositif, NouvelAppel};
use domain::dossier::{Dossier, EtatDossier, ProjetFonctionnement};
use domain::identifiants::{CodeDepartement, DossierId, LieuId, UtilisateurId};
use domain::structures::{Adresse, Lieu, ModaliteAccueil};
use domain::territoire::couverture::diagnostiquer;
use domain::territoire::{Communes, Epcis};
use referentiel::parametres::Parametres;
use store::Base;
use time::macros::date;

const LIEUX_PAR_STRUCTURE: usize = 500;
const TOURS: usize = 20;

fn mediane(mut durees: Vec<Duration>) -> Duration {
    durees.sort();
    durees[durees.len() / 2]
}

async fn mesurer(base: Base, moteur: &str) {
    let p = Plateforme::new(base.clone(), Arc::new(Parametres::embarques().unwrap()));
    p.peupler_demo(
        OptionsDemo {
            emettre_paiements: false,
            ..OptionsDemo::default()
        },
        date!(2026 - 03 - 02),
    )
    .await
    .unwrap();
    let d59 = CodeDepartement::parse("59").unwrap();
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let agent = p
        .utilisateur_par_email("agent.59@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    let appel = p
        .publier_appel(
            &agent,
            NouvelAppel {
                departement: d59,
                dispositif: Dispositif::Laep,
                intitule: "Lieux d'accueil enfants-parents du Nord".into(),
                debut_periode: date!(2026 - 01 - 01),
                fin_periode: date!(2026 - 12 - 31),
                ouverture: date!(2025 - 10 - 01),
                cloture: date!(2025 - 11 - 30),
            },
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap()
        .valeur;
    let communes = Communes::embarquees().unwrap();
    let du_nord: Vec<_> = communes.du_departement(d59).map(|c| c.code).collect();
    let gestionnaires: Vec<_> = p
        .gestionnaires(&cnaf)
        .await
        .unwrap()
        .into_iter()
        .filter(|g| g.valeur.departement_siege == d59)
        .map(|g| g.valeur.id)
        .collect();
    assert_eq!(gestionnaires.len(), 10);
    let mut graine: u64 = 59;
    let mut tx = base.debuter().await.unwrap();
    for g in &gestionnaires {
        let mut lieux = Vec::with_capacity(LIEUX_PAR_STRUCTURE);
        for n in 0..LIEUX_PAR_STRUCTURE {
            graine = graine
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let commune = du_nord[(graine >> 33) as usize % du_nord.len()];
            let id = LieuId(store::depot::prochain_id(&mut tx, "lieux").await.unwrap());
            let lieu = Lieu {
                id,
                gestionnaire: *g,
                nom: format!("Lieu d'accueil enfants-parents n°{n}"),
                adresse: Adresse {
                    voie: "1 place de la Mairie".into(),
                    complement: None,
                    code_postal: "59000".into(),
                    commune,
                },
                modalites: [ModaliteAccueil::SansRendezVous].into(),
            };
            store::depot::inserer(&mut tx, &lieu).await.unwrap();
            lieux.push(id);
        }
        let id = DossierId(
            store::depot::prochain_id(&mut tx, "dossiers")
                .await
                .unwrap(),
        );
        let dossier = Dossier {
            id,
            appel: appel.id,
            dispositif: Dispositif::Laep,
            departement: d59,
            gestionnaire: *g,
            etat: EtatDossier::Valide,
            projet: ProjetFonctionnement {
                intitule: "Réseau de LAEP".into(),
                lieux,
                ..ProjetFonctionnement::default()
            },
            version: 1,
            cree_le: time::OffsetDateTime::now_utc(),
            depose_le: None,
            complement_demande: None,
            date_comite: None,
            motif_cloture: None,
            pieces_demandees: Vec::new(),
            derogation_engagements: None,
            suivi_par: None,
            avis_financeurs: Vec::new(),
        };
        store::depot::inserer(&mut tx, &dossier).await.unwrap();
    }
    tx.valider().await.unwrap();

    let etats: Vec<&str> = app::ETATS_OFFRE.iter().map(|e| e.code()).collect();
    let epcis = Epcis::embarques().unwrap();
    // One run first, outside the figures (the use case parses the reference files once).
    let offre = store::diagnostic::offre(&base, d59, Dispositif::Laep, &etats)
        .await
        .unwrap();
    assert_eq!(offre.len(), 10 * LIEUX_PAR_STRUCTURE);
    let diagnostic = p
        .diagnostic_couverture(&cnaf, d59, Dispositif::Laep, 10.0)
        .await
        .unwrap();
    let (mut lecture, mut calcul, mut total) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..TOURS {
        let t = Instant::now();
        let offre = store::diagnostic::offre(&base, d59, Dispositif::Laep, &etats)
            .await
            .unwrap();
        lecture.push(t.elapsed());
        let t = Instant::now();
        let d = diagnostiquer(d59, &communes, &epcis, &offre, 10.0);
        calcul.push(t.elapsed());
        assert_eq!(d.total.lieux, diagnostic.total.lieux);
        let t = Instant::now();
        p.diagnostic_couverture(&cnaf, d59, Dispositif::Laep, 10.0)
            .await
            .unwrap();
        total.push(t.elapsed());
    }
    println!(
        "{moteur}: Nord, {} communes, {} lieux LAEP, {} communes non couvertes à 10 km; \
         médiane de {TOURS} tours : lecture {:?}, calcul {:?}, cas d'usage complet {:?}",
        diagnostic.communes.len(),
        diagnostic.total.lieux,
        diagnostic.total.communes_non_couvertes,
        mediane(lecture),
        mediane(calcul),
        mediane(total),
    );
}

#[tokio::test]
#[ignore = "mesure, lancée à la main"]
async fn diagnostic_de_5000_lieux_sqlite() {
    mesurer(
        essais::base_sqlite("app", "mesure-diagnostic").await,
        "SQLite",
    )
    .await;
}

#[tokio::test]
#[ignore = "mesure, lancée à la main"]
async fn diagnostic_de_5000_lieux_postgres() {
    if let Some(base) = essais::base_postgres("app", "mesure-diagnostic").await {
        mesurer(base, "PostgreSQL").await;
    }
}
