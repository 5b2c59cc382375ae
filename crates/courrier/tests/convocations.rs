//! A séance's mails through the real outbox and a real SMTP server (aiosmtpd, its Maildir read
//! back), on SQLite and on PostgreSQL: each convened member gets its convocation with an
//! iCalendar invitation (METHOD:REQUEST, ORGANIZER, one ATTENDEE per member with RSVP, SEQUENCE)
//! and a personal link that records its answer; a change raises the SEQUENCE and replaces the
//! links; a cancellation sends METHOD:CANCEL; reminders go once to those who have not answered.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use app::{ActionSeance, Plateforme};
use courrier::{Configuration, Expediteur};
use domain::Acteur;
use domain::acces::{Role, Utilisateur};
use domain::coordination::{
    EtatSeance, FormeInstance, Niveau, PointOrdreDuJour, Reponse, SaisieInstance, SaisieMembre,
    SaisieSeance,
};
use domain::identifiants::{CodeDepartement, Email};
use essais::smtp::{MessageRecu, ServeurSmtp};
use referentiel::parametres::Parametres;
use store::Base;
use time::OffsetDateTime;

async fn bases(nom: &str) -> Vec<Base> {
    let mut bases = vec![essais::base_sqlite("convocations", nom).await];
    if let Some(b) = essais::base_postgres("convocations", nom).await {
        bases.push(b);
    }
    bases
}

fn isere() -> CodeDepartement {
    CodeDepartement::parse("38").unwrap()
}

async fn agent(p: &Plateforme) -> Acteur {
    p.creer_utilisateur(
        |id| Utilisateur {
            id,
            email: Email::parse("secretariat@caf38.exemple").unwrap(),
            nom: "Secrétariat".into(),
            role: Role::Caf,
            departements: BTreeSet::from([isere()]),
            gestionnaires: BTreeSet::new(),
            financeur: None,
            actif: true,
        },
        None,
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap()
    .valeur
    .acteur()
    .unwrap()
}

fn membre(personne: &str, role: &str, niveaux: &str) -> SaisieMembre {
    SaisieMembre {
        organisation: "Organisation".into(),
        personne: personne.into(),
        email: format!("{}@exemple.fr", personne.to_lowercase()),
        role: role.into(),
        mandat_debut: "01/01/2025".into(),
        mandat_fin: "31/12/2030".into(),
        niveaux: niveaux.into(),
        groupes: String::new(),
    }
}

fn saisie(debut: OffsetDateTime, lieu: &str) -> SaisieSeance {
    SaisieSeance {
        niveau: Niveau::Politique,
        groupe: None,
        titre: "Plénière du comité".into(),
        debut,
        duree_minutes: 120,
        lieu: lieu.into(),
        ordre_du_jour: vec![PointOrdreDuJour {
            titre: "Diagnostic partagé".into(),
            lien: None,
        }],
    }
}

fn ics(m: &MessageRecu) -> String {
    let p = m
        .pieces
        .iter()
        .find(|p| p.nom == "convocation.ics")
        .expect("invitation jointe");
    assert!(p.type_mime.starts_with("text/calendar"), "{}", p.type_mime);
    String::from_utf8(p.contenu.clone()).unwrap()
}

/// The personal link in a mail's text.
fn jeton(m: &MessageRecu) -> String {
    let debut = m.texte.find("/convocations/").expect("lien personnel") + "/convocations/".len();
    m.texte[debut..debut + 48].to_owned()
}

/// Sends every mail due at `quand`.
async fn envoyer_a(base: &Base, smtp: &ServeurSmtp, quand: OffsetDateTime) {
    let e = Expediteur::new(
        base.clone(),
        Configuration::depuis_url(&smtp.url()).unwrap(),
    )
    .unwrap();
    while e.passe(quand).await.unwrap().envoyes > 0 {}
}

async fn envoyer(base: &Base, smtp: &ServeurSmtp) {
    envoyer_a(base, smtp, OffsetDateTime::now_utc()).await;
}

#[tokio::test]
async fn convocations_invitations_reponses_et_annulation() {
    let smtp = ServeurSmtp::demarrer();
    for base in bases("seance").await {
        let avant = smtp.messages().len();
        let p = Plateforme::new(base.clone(), Arc::new(Parametres::embarques().unwrap()));
        let caf = agent(&p).await;
        let maintenant = OffsetDateTime::now_utc();
        p.configurer_instance(
            &caf,
            isere(),
            SaisieInstance {
                forme: FormeInstance::Cdsf,
                secretariat: "coordination@caf38.exemple".into(),
                groupes: vec![],
                schema: None,
            },
            None,
            maintenant,
        )
        .await
        .unwrap();
        for m in [
            membre("Prefete", "président", "politique"),
            membre("Maire", "vice-président", "politique"),
            membre("Secretaire", "secrétariat", ""),
            membre("Invitee", "invité", ""),
            membre("Technicien", "membre", "technique"),
        ] {
            p.ajouter_membre(&caf, isere(), m, maintenant)
                .await
                .unwrap();
        }
        let debut = maintenant + time::Duration::days(10);
        let seance = p
            .planifier_seance(
                &caf,
                isere(),
                saisie(debut, "Préfecture, Grenoble"),
                maintenant,
            )
            .await
            .unwrap();
        let id = seance.valeur.id;
        let adresse = "http://parentalite.exemple";
        p.agir_sur_seance(
            &caf,
            id,
            None,
            ActionSeance::Convoquer { urgence: false },
            adresse,
            maintenant,
        )
        .await
        .unwrap();
        envoyer(&base, &smtp).await;

        // The président, the vice-president and the secretariat: the guest and the technical
        // level are not convened to a plenary.
        let recus = smtp.attendre(avant + 3, Duration::from_secs(20));
        let convocations: Vec<&MessageRecu> = recus[avant..].iter().collect();
        assert_eq!(convocations.len(), 3);
        let destinataires: BTreeSet<&str> = convocations
            .iter()
            .flat_map(|m| m.a.iter().map(String::as_str))
            .collect();
        assert_eq!(
            destinataires,
            BTreeSet::from([
                "prefete@exemple.fr",
                "maire@exemple.fr",
                "secretaire@exemple.fr"
            ])
        );
        for m in &convocations {
            assert!(
                m.sujet.starts_with("Convocation : Plénière du comité"),
                "{}",
                m.sujet
            );
            assert!(m.texte.contains("Préfecture, Grenoble"), "{}", m.texte);
            let i = ics(m);
            assert!(i.contains("METHOD:REQUEST"), "{i}");
            assert!(i.contains(&format!("UID:seance-{id}@parentalite")), "{i}");
            assert!(i.contains("SEQUENCE:0"), "{i}");
            assert!(i.contains("ORGANIZER;CN="), "{i}");
            assert!(i.contains("mailto:coordination@caf38.exemple"), "{i}");
            assert_eq!(i.matches("ATTENDEE;").count(), 3, "{i}");
            assert_eq!(i.matches("RSVP=TRUE").count(), 3, "{i}");
            let depart = debut.to_offset(time::UtcOffset::UTC);
            assert!(
                i.contains(&format!(
                    "DTSTART:{:04}{:02}{:02}T{:02}{:02}",
                    depart.year(),
                    u8::from(depart.month()),
                    depart.day(),
                    depart.hour(),
                    depart.minute()
                )),
                "{i}"
            );
        }
        // The proof of notice: the time each convocation left is recorded.
        let lu = p.seance(&caf, id).await.unwrap();
        assert_eq!(lu.seance.valeur.convocations.len(), 3);
        assert!(
            lu.seance
                .valeur
                .convocations
                .values()
                .all(|c| c.envoyee_le == maintenant)
        );

        // Each member answers through its own link.
        let pour = |adresse: &str| {
            convocations
                .iter()
                .find(|m| m.a.iter().any(|a| a == adresse))
                .map(|m| jeton(m))
                .unwrap()
        };
        let prefete = pour("prefete@exemple.fr");
        let maire = pour("maire@exemple.fr");
        assert!(p.lien_de_convocation(&prefete).await.unwrap().is_some());
        assert!(
            p.lien_de_convocation(&"0".repeat(48))
                .await
                .unwrap()
                .is_none()
        );
        p.repondre_par_lien(&prefete, Reponse::Present, maintenant)
            .await
            .unwrap()
            .unwrap();
        let prefete_id = p
            .lien_de_convocation(&prefete)
            .await
            .unwrap()
            .unwrap()
            .membre
            .id;
        p.repondre_par_lien(&maire, Reponse::Represente { par: prefete_id }, maintenant)
            .await
            .unwrap()
            .unwrap();

        // Reminders the day before, to the one who has not answered, once.
        let veille = debut - time::Duration::days(1);
        let n = p
            .envoyer_rappels_de_seance(time::Duration::days(2), adresse, veille)
            .await
            .unwrap();
        assert_eq!(n, 1);
        p.envoyer_rappels_de_seance(time::Duration::days(2), adresse, veille)
            .await
            .unwrap();
        // A reminder leaves at the time it is written for.
        envoyer_a(&base, &smtp, veille).await;
        let recus = smtp.attendre(avant + 4, Duration::from_secs(20));
        assert_eq!(recus.len(), avant + 4, "un seul rappel");
        let rappels: Vec<&MessageRecu> = recus[avant..]
            .iter()
            .filter(|m| m.sujet.starts_with("Rappel"))
            .collect();
        assert_eq!(rappels.len(), 1);
        assert_eq!(rappels[0].a, vec!["secretaire@exemple.fr".to_owned()]);

        // A change: the sequence rises, the members get the update, the old links are replaced.
        p.agir_sur_seance(
            &caf,
            id,
            None,
            ActionSeance::Modifier(Box::new(saisie(debut, "Caf de l'Isère, Grenoble"))),
            adresse,
            maintenant,
        )
        .await
        .unwrap();
        envoyer(&base, &smtp).await;
        let recus = smtp.attendre(avant + 7, Duration::from_secs(20));
        let modifiees: Vec<&MessageRecu> = recus[avant..]
            .iter()
            .filter(|m| m.sujet.starts_with("Convocation modifiée"))
            .collect();
        assert_eq!(modifiees.len(), 3);
        for m in modifiees {
            assert!(m.sujet.starts_with("Convocation modifiée"), "{}", m.sujet);
            assert!(ics(m).contains("SEQUENCE:1"));
        }
        assert!(p.lien_de_convocation(&prefete).await.unwrap().is_none());
        let lu = p.seance(&caf, id).await.unwrap();
        assert_eq!(
            lu.seance.valeur.convocations[&prefete_id].reponse,
            Some(Reponse::Present),
            "answers kept"
        );

        // The cancellation removes the séance from calendars.
        p.agir_sur_seance(
            &caf,
            id,
            None,
            ActionSeance::Annuler {
                motif: "Préfète empêchée".into(),
            },
            adresse,
            maintenant,
        )
        .await
        .unwrap();
        envoyer(&base, &smtp).await;
        let recus = smtp.attendre(avant + 10, Duration::from_secs(20));
        let annulations: Vec<&MessageRecu> = recus[avant..]
            .iter()
            .filter(|m| m.sujet.starts_with("Séance annulée"))
            .collect();
        assert_eq!(annulations.len(), 3);
        for m in annulations {
            assert!(m.sujet.starts_with("Séance annulée"), "{}", m.sujet);
            let i = ics(m);
            assert!(i.contains("METHOD:CANCEL"), "{i}");
            assert!(i.contains("STATUS:CANCELLED"), "{i}");
            assert!(i.contains("SEQUENCE:2"), "{i}");
        }
        let lu = p.seance(&caf, id).await.unwrap();
        assert_eq!(lu.seance.valeur.etat, EtatSeance::Annulee);
        assert_eq!(smtp.messages().len(), avant + 10, "nothing sent twice");
    }
}
