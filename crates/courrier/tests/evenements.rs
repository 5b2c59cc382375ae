//! The events a structure must act on queue their mail in their own transaction: a request for
//! information, a comité decision, a convention to sign, a payment issued (all met while the
//! demonstration is built), and a reminder of an overdue piece; an event refused queues nothing;
//! the mails reach a real SMTP server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use app::Plateforme;
use app::demo::OptionsDemo;
use courrier::{Configuration, Expediteur};
use domain::acces::Acteur;
use domain::courriel::GenreCourriel;
use domain::identifiants::UtilisateurId;
use essais::smtp::ServeurSmtp;
use referentiel::parametres::Parametres;
use store::Base;
use time::macros::{date, datetime};

async fn par_genre(base: &Base) -> BTreeMap<String, i64> {
    let mut tx = base.lire().await.unwrap();
    let lignes = tx
        .lignes(
            "SELECT genre, COUNT(*) AS n FROM courriels GROUP BY genre",
            &[],
        )
        .await
        .unwrap();
    lignes
        .iter()
        .map(|l| (l.texte("genre").unwrap(), l.entier("n").unwrap()))
        .collect()
}

#[tokio::test]
async fn chaque_evenement_a_traiter_envoie_son_courriel() {
    let base = essais::base_sqlite("courrier", "evenements").await;
    let p = Plateforme::new(base.clone(), Arc::new(Parametres::embarques().unwrap()));
    p.peupler_demo(OptionsDemo::default(), date!(2026 - 03 - 02))
        .await
        .unwrap();
    let genres = par_genre(&base).await;
    for genre in [
        "demande_information",
        "decision",
        "convention_a_signer",
        "paiement_emis",
    ] {
        assert!(
            genres.get(genre).copied().unwrap_or(0) > 0,
            "{genre}: {genres:?}"
        );
    }
    // Every mail of these events goes to an account of the structure concerned (the
    // coordination's convocations and minutes go to the instances' members), read département
    // by département as its Caf agents see them.
    let cnaf = Acteur::cnaf(UtilisateurId(0));
    let mut vus = 0;
    for d in domain::experimentation::DEPARTEMENTS {
        let d = domain::identifiants::CodeDepartement::parse(d).unwrap();
        let agent_du_departement = Acteur::caf(UtilisateurId(0), [d]);
        let des_structures: Vec<_> = p
            .courriels(&agent_du_departement)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| {
                !matches!(
                    c.genre,
                    Some(
                        GenreCourriel::Convocation
                            | GenreCourriel::CompteRendu
                            | GenreCourriel::Rappel
                    )
                )
            })
            .collect();
        assert!(
            des_structures
                .iter()
                .all(|c| c.destinataire.starts_with("gestionnaire.")
                    || c.destinataire.starts_with("porteur.")),
            "{:?}",
            des_structures
                .iter()
                .map(|c| &c.destinataire)
                .collect::<Vec<_>>()
        );
        vus += des_structures.len();
    }
    assert!(vus > 0);

    // A reminder of an overdue piece: one mail, even when the agent reminds twice that day.
    let (_, agent) = p
        .utilisateur_par_email("agent.38@demo.parentalite.fr")
        .await
        .unwrap()
        .expect("agent de démonstration");
    let le = datetime!(2027-12-15 10:00 UTC);
    let retards = p.retards(&agent, le.date()).await.unwrap();
    let (convention, retard) = retards.first().expect("un retard en 2027").clone();
    p.relancer(
        &agent,
        "Agent",
        convention.id,
        retard.exercice,
        retard.piece,
        le,
    )
    .await
    .unwrap();
    let relances = par_genre(&base).await.get("retard").copied().unwrap_or(0);
    assert!(relances >= 1);
    p.relancer(
        &agent,
        "Agent",
        convention.id,
        retard.exercice,
        retard.piece,
        le,
    )
    .await
    .unwrap();
    assert_eq!(
        par_genre(&base).await.get("retard").copied().unwrap_or(0),
        relances
    );
    let tous = p.courriels(&cnaf).await.unwrap();
    let relance = tous
        .iter()
        .find(|c| c.sujet.starts_with("En retard"))
        .expect("courriel de relance");
    let ouvert = p.courriel(&cnaf, relance.id).await.unwrap();
    assert!(
        ouvert.texte.contains(&convention.numero),
        "{}",
        ouvert.texte
    );

    // An event refused (a stale version) queues nothing.
    let avant = p.courriels(&cnaf).await.unwrap().len();
    let dossiers = p.dossiers(&agent, Some("en_instruction")).await.unwrap();
    if let Some(d) = dossiers.first() {
        let refus = p
            .agir_sur_dossier(
                &agent,
                d.valeur.id,
                Some(d.version - 1),
                app::ActionDossier::DemanderComplement("Pièce manquante".into()),
                le,
            )
            .await;
        assert!(refus.is_err());
        assert_eq!(p.courriels(&cnaf).await.unwrap().len(), avant);
    }

    // The first mails reach a real SMTP server.
    let smtp = ServeurSmtp::demarrer();
    let e = Expediteur::new(
        base.clone(),
        Configuration::depuis_url(&smtp.url()).unwrap(),
    )
    .unwrap();
    let bilan = e.passe(time::OffsetDateTime::now_utc()).await.unwrap();
    assert!(bilan.envoyes > 0);
    let messages = smtp.attendre(bilan.envoyes, Duration::from_secs(20));
    assert_eq!(messages.len(), bilan.envoyes);
    assert!(messages.iter().all(|m| m.texte.contains("Bonjour")));
}
