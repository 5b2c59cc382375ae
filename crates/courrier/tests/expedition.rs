//! The outbox against a real SMTP server (aiosmtpd, its Maildir read back), on SQLite and on
//! PostgreSQL: a mail and its calendar attachment arrive as queued, once, with a Message-ID
//! fixed by its row; a failed attempt is retried after its backoff with the same Message-ID; a
//! mail kept for a digest leaves in one digest the next day, once; the page's reading rules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use app::{EtatCourriel, Plateforme};
use courrier::{Configuration, Expediteur};
use domain::acces::{Acteur, Role, Utilisateur};
use domain::courriel::{Courriel, Frequence, GenreCourriel, PieceJointe, TYPE_ICS_INVITATION};
use domain::identifiants::{CodeDepartement, Email, GestionnaireId, UtilisateurId};
use essais::smtp::ServeurSmtp;
use referentiel::parametres::Parametres;
use store::Base;
use time::OffsetDateTime;
use time::macros::datetime;

async fn bases(nom: &str) -> Vec<Base> {
    let mut bases = vec![essais::base_sqlite("courrier", nom).await];
    if let Some(b) = essais::base_postgres("courrier", nom).await {
        bases.push(b);
    }
    bases
}

fn plateforme(base: &Base) -> Plateforme {
    Plateforme::new(base.clone(), Arc::new(Parametres::embarques().unwrap()))
}

fn departement(code: &str) -> CodeDepartement {
    CodeDepartement::parse(code).unwrap()
}

async fn compte(p: &Plateforme, email: &str, role: Role) -> Utilisateur {
    p.creer_utilisateur(
        |id| Utilisateur {
            id,
            email: Email::parse(email).unwrap(),
            nom: format!("Compte {email}"),
            role,
            departements: if role == Role::Caf {
                BTreeSet::from([departement("69")])
            } else {
                BTreeSet::new()
            },
            gestionnaires: if role == Role::Gestionnaire {
                BTreeSet::from([GestionnaireId(1)])
            } else {
                BTreeSet::new()
            },
            financeur: None,
            actif: true,
        },
        None,
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap()
    .valeur
}

fn courriel(cle: &str, genre: GenreCourriel, a: &Utilisateur, dep: &str) -> Courriel {
    Courriel {
        cle: cle.into(),
        genre,
        destinataire: a.email.as_str().into(),
        utilisateur: Some(a.id),
        departement: Some(departement(dep)),
        sujet: format!("Objet de {cle}"),
        texte: format!("Bonjour,\n\nCorps de {cle} : « été ».\n"),
        pieces_jointes: Vec::new(),
    }
}

fn expediteur(base: &Base, url: &str) -> Expediteur {
    Expediteur::new(base.clone(), Configuration::depuis_url(url).unwrap()).unwrap()
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parentalite//FR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:seance-1@parentalite\r\nDTSTART:20261210T090000Z\r\nSUMMARY:Comité\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[tokio::test]
async fn un_courriel_et_son_invitation_arrivent_une_fois() {
    let smtp = ServeurSmtp::demarrer();
    for base in bases("arrivee").await {
        let avant = smtp.messages().len();
        let p = plateforme(&base);
        let porteur = compte(
            &p,
            &format!("porteur.{}@exemple.fr", avant),
            Role::Gestionnaire,
        )
        .await;
        let mut c = courriel("convocation:1", GenreCourriel::Convocation, &porteur, "69");
        c.pieces_jointes.push(PieceJointe {
            nom: "seance.ics".into(),
            type_mime: TYPE_ICS_INVITATION.into(),
            contenu: ICS.as_bytes().to_vec(),
        });
        let quand = OffsetDateTime::now_utc();
        p.envoyer_courriel(&c, quand).await.unwrap();
        // The same event queued again: still one mail.
        p.envoyer_courriel(&c, quand).await.unwrap();
        let e = expediteur(&base, &smtp.url());
        let bilan = e.passe(quand).await.unwrap();
        assert_eq!(bilan.envoyes, 1);
        assert_eq!(e.passe(quand).await.unwrap().envoyes, 0);
        let messages = smtp.attendre(avant + 1, Duration::from_secs(10));
        assert_eq!(messages.len(), avant + 1, "un seul envoi");
        let m = &messages[avant];
        assert_eq!(m.sujet, "Objet de convocation:1");
        assert_eq!(m.a, vec![porteur.email.as_str().to_owned()]);
        assert!(
            m.texte.contains("Corps de convocation:1 : « été »."),
            "{}",
            m.texte
        );
        assert!(m.message_id.starts_with("courriel.1."), "{}", m.message_id);
        assert_eq!(m.pieces.len(), 1);
        let ics = &m.pieces[0];
        assert_eq!(ics.nom, "seance.ics");
        assert!(
            ics.type_mime.starts_with("text/calendar"),
            "{}",
            ics.type_mime
        );
        assert!(
            ics.type_mime.contains("method=REQUEST"),
            "{}",
            ics.type_mime
        );
        assert_eq!(String::from_utf8_lossy(&ics.contenu), ICS);
        let vus = p
            .courriels(&Acteur::cnaf(UtilisateurId(999)))
            .await
            .unwrap();
        assert_eq!(vus.len(), 1);
        assert!(
            matches!(vus[0].etat, EtatCourriel::Envoye(_)),
            "{:?}",
            vus[0].etat
        );
    }
}

#[tokio::test]
async fn un_echec_est_retente_apres_son_delai_avec_le_meme_identifiant() {
    let smtp = ServeurSmtp::demarrer();
    // A port where nothing listens.
    let ferme = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    for base in bases("nouvel-essai").await {
        let avant = smtp.messages().len();
        let p = plateforme(&base);
        let porteur = compte(&p, &format!("p{avant}@exemple.fr"), Role::Gestionnaire).await;
        let quand = datetime!(2026-12-01 10:00 UTC);
        p.envoyer_courriel(
            &courriel("decision:7", GenreCourriel::Decision, &porteur, "69"),
            quand,
        )
        .await
        .unwrap();
        let panne = expediteur(&base, &format!("smtp://127.0.0.1:{ferme}"));
        let b = panne.passe(quand).await.unwrap();
        assert_eq!((b.envoyes, b.reportes), (0, 1));
        let vus = p
            .courriels(&Acteur::cnaf(UtilisateurId(999)))
            .await
            .unwrap();
        match &vus[0].etat {
            EtatCourriel::EnAttente {
                nouvel_essai: Some(t),
                erreur: Some(_),
                essais: 1,
            } => assert_eq!(*t, quand + time::Duration::seconds(60)),
            autre => panic!("{autre:?}"),
        }
        let e = expediteur(&base, &smtp.url());
        // Not before its delay.
        assert_eq!(
            e.passe(quand + time::Duration::seconds(30))
                .await
                .unwrap()
                .envoyes,
            0
        );
        assert_eq!(
            e.passe(quand + time::Duration::seconds(61))
                .await
                .unwrap()
                .envoyes,
            1
        );
        let messages = smtp.attendre(avant + 1, Duration::from_secs(10));
        assert_eq!(messages.len(), avant + 1);
        assert!(messages[avant].message_id.starts_with("courriel.1."));
        // The second failure waits twice as long, and the last gives up.
        p.envoyer_courriel(
            &courriel("decision:8", GenreCourriel::Decision, &porteur, "69"),
            quand,
        )
        .await
        .unwrap();
        let panne = Expediteur::new(
            base.clone(),
            Configuration::depuis_url(&format!("smtp://127.0.0.1:{ferme}?essais=2")).unwrap(),
        )
        .unwrap();
        assert_eq!(panne.passe(quand).await.unwrap().reportes, 1);
        let b = panne
            .passe(quand + time::Duration::seconds(60))
            .await
            .unwrap();
        assert_eq!(b.abandonnes, 1);
        let vus = p
            .courriels(&Acteur::cnaf(UtilisateurId(999)))
            .await
            .unwrap();
        assert!(
            matches!(&vus[0].etat, EtatCourriel::Echec { essais: 2, erreur } if !erreur.is_empty()),
            "{:?}",
            vus[0].etat
        );
    }
}

#[tokio::test]
async fn le_resume_du_jour_part_une_fois_le_lendemain() {
    let smtp = ServeurSmtp::demarrer();
    for base in bases("resume").await {
        let avant = smtp.messages().len();
        let p = plateforme(&base);
        let porteur = compte(&p, &format!("r{avant}@exemple.fr"), Role::Gestionnaire).await;
        p.fixer_preferences_courriels(
            porteur.id,
            &[
                (GenreCourriel::Decision, Frequence::ResumeQuotidien),
                (GenreCourriel::PaiementEmis, Frequence::ResumeQuotidien),
                (GenreCourriel::Retard, Frequence::Aucune),
            ],
        )
        .await
        .unwrap();
        // A formal notice cannot be held back.
        assert!(
            p.fixer_preferences_courriels(
                porteur.id,
                &[(GenreCourriel::Convocation, Frequence::Aucune)]
            )
            .await
            .is_err()
        );
        let jour = datetime!(2026-12-01 09:00 UTC);
        for (cle, genre) in [
            ("decision:1", GenreCourriel::Decision),
            ("paiement:1", GenreCourriel::PaiementEmis),
            ("retard:1", GenreCourriel::Retard),
            ("convocation:1", GenreCourriel::Convocation),
        ] {
            p.envoyer_courriel(&courriel(cle, genre, &porteur, "69"), jour)
                .await
                .unwrap();
        }
        let e = expediteur(&base, &smtp.url());
        // The same day: only the convocation leaves.
        let b = e.passe(datetime!(2026-12-01 23:00 UTC)).await.unwrap();
        assert_eq!((b.envoyes, b.resumes), (1, 0));
        // The next day: one digest of the two mails; the one refused never leaves.
        let lendemain = datetime!(2026-12-02 00:05 UTC);
        let b = e.passe(lendemain).await.unwrap();
        assert_eq!((b.envoyes, b.resumes), (1, 1));
        let b = e.passe(lendemain).await.unwrap();
        assert_eq!((b.envoyes, b.resumes), (0, 0));
        let messages = smtp.attendre(avant + 2, Duration::from_secs(10));
        assert_eq!(messages.len(), avant + 2);
        let resume = &messages[avant + 1];
        assert_eq!(resume.sujet, "Résumé du 01/12/2026 : 2 courriels");
        assert!(resume.texte.contains("Objet de decision:1"));
        assert!(resume.texte.contains("Objet de paiement:1"));
        assert!(!resume.texte.contains("retard:1"));
        let vus = p
            .courriels(&Acteur::cnaf(UtilisateurId(999)))
            .await
            .unwrap();
        let etats: Vec<_> = vus
            .iter()
            .map(|v| (v.sujet.clone(), v.etat.clone()))
            .collect();
        assert!(
            etats
                .iter()
                .any(|(s, e)| s == "Objet de retard:1" && *e == EtatCourriel::Ecarte),
            "{etats:?}"
        );
        assert!(
            etats
                .iter()
                .filter(|(_, e)| matches!(e, EtatCourriel::Resume { .. }))
                .count()
                == 2,
            "{etats:?}"
        );
    }
}

#[tokio::test]
async fn chacun_lit_les_courriels_qui_le_concernent() {
    for base in bases("lecture").await {
        let p = plateforme(&base);
        let porteur = compte(&p, "porteur@exemple.fr", Role::Gestionnaire).await;
        let autre = compte(&p, "autre@exemple.fr", Role::Gestionnaire).await;
        let agent = compte(&p, "agent@caf69.fr", Role::Caf).await;
        let quand = OffsetDateTime::now_utc();
        for (cle, a, dep) in [
            ("a", &porteur, "69"),
            ("b", &autre, "69"),
            ("c", &autre, "38"),
            ("d", &agent, "38"),
        ] {
            p.envoyer_courriel(&courriel(cle, GenreCourriel::Decision, a, dep), quand)
                .await
                .unwrap();
        }
        let cles = |v: Vec<app::CourrielVu>| -> Vec<String> {
            let mut s: Vec<String> = v
                .into_iter()
                .map(|c| c.sujet.replace("Objet de ", ""))
                .collect();
            s.sort();
            s
        };
        let acteur_porteur = porteur.acteur().unwrap();
        assert_eq!(cles(p.courriels(&acteur_porteur).await.unwrap()), ["a"]);
        // The Caf agent: its départements' mails and its own.
        let acteur_agent = agent.acteur().unwrap();
        assert_eq!(
            cles(p.courriels(&acteur_agent).await.unwrap()),
            ["a", "b", "d"]
        );
        assert_eq!(
            cles(
                p.courriels(&Acteur::cnaf(UtilisateurId(999)))
                    .await
                    .unwrap()
            ),
            ["a", "b", "c", "d"]
        );
        // Opening another's mail is refused, one's own shows its text.
        let tous = p
            .courriels(&Acteur::cnaf(UtilisateurId(999)))
            .await
            .unwrap();
        let id_c = tous.iter().find(|c| c.sujet.ends_with(" c")).unwrap().id;
        let id_a = tous.iter().find(|c| c.sujet.ends_with(" a")).unwrap().id;
        assert!(
            p.courriel(&acteur_porteur, id_c)
                .await
                .unwrap_err()
                .est_interdit()
        );
        assert!(
            p.courriel(&acteur_agent, id_c)
                .await
                .unwrap_err()
                .est_interdit()
        );
        let ouvert = p.courriel(&acteur_porteur, id_a).await.unwrap();
        assert!(ouvert.texte.contains("Corps de a"));
    }
}

#[tokio::test]
async fn une_adresse_invalide_n_entre_pas_dans_la_file() {
    let base = essais::base_sqlite("courrier", "adresse-invalide").await;
    let p = plateforme(&base);
    let c = Courriel {
        cle: "x".into(),
        genre: GenreCourriel::Decision,
        destinataire: "pas une adresse".into(),
        utilisateur: None,
        departement: None,
        sujet: "Objet".into(),
        texte: "Texte".into(),
        pieces_jointes: Vec::new(),
    };
    let e = p
        .envoyer_courriel(&c, OffsetDateTime::now_utc())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("destinataire"), "{e}");
    assert!(
        p.courriels(&Acteur::cnaf(UtilisateurId(1)))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn deux_expediteurs_ne_prennent_jamais_le_meme_courriel() {
    let smtp = ServeurSmtp::demarrer();
    for base in bases("deux-expediteurs").await {
        let avant = smtp.messages().len();
        let p = plateforme(&base);
        let porteur = compte(&p, &format!("d{avant}@exemple.fr"), Role::Gestionnaire).await;
        let quand = OffsetDateTime::now_utc();
        for i in 0..60 {
            p.envoyer_courriel(
                &courriel(
                    &format!("lot:{avant}:{i}"),
                    GenreCourriel::Convocation,
                    &porteur,
                    "69",
                ),
                quand,
            )
            .await
            .unwrap();
        }
        // Small batches, so that both senders claim while the other sends.
        let mut configuration = Configuration::depuis_url(&smtp.url()).unwrap();
        configuration.lot = 5;
        let un = Expediteur::new(base.clone(), configuration).unwrap();
        let deux = un.clone();
        let tourner = |e: Expediteur| async move {
            let mut n = 0;
            loop {
                let b = e.passe(quand).await.unwrap();
                if b.envoyes == 0 {
                    return n;
                }
                n += b.envoyes;
            }
        };
        let (a, b) = tokio::join!(tourner(un), tourner(deux));
        assert_eq!(a + b, 60, "{a} + {b}");
        let messages = smtp.attendre(avant + 60, Duration::from_secs(20));
        assert_eq!(messages.len(), avant + 60);
        let prefixe = format!("Objet de lot:{avant}:");
        let lot: Vec<&str> = messages
            .iter()
            .map(|m| m.sujet.as_str())
            .filter(|s| s.starts_with(&prefixe))
            .collect();
        let sujets: BTreeSet<&str> = lot.iter().copied().collect();
        assert_eq!(
            (lot.len(), sujets.len()),
            (60, 60),
            "chaque courriel une fois"
        );
    }
}

/// The at-least-once window: the server accepted the mail but the sender died before recording
/// it (simulated by putting the row back as it was then, its lease over). The mail leaves again,
/// with the same Message-ID, by which the recipient's systems recognise the duplicate.
#[tokio::test]
async fn un_nouvel_envoi_apres_une_panne_porte_le_meme_identifiant() {
    let smtp = ServeurSmtp::demarrer();
    for base in bases("meme-identifiant").await {
        let avant = smtp.messages().len();
        let p = plateforme(&base);
        let porteur = compte(&p, &format!("m{avant}@exemple.fr"), Role::Gestionnaire).await;
        let quand = OffsetDateTime::now_utc();
        p.envoyer_courriel(
            &courriel("decision:9", GenreCourriel::Decision, &porteur, "69"),
            quand,
        )
        .await
        .unwrap();
        let e = expediteur(&base, &smtp.url());
        assert_eq!(e.passe(quand).await.unwrap().envoyes, 1);
        let mut tx = base.debuter().await.unwrap();
        tx.executer(
            "UPDATE courriels SET etat = 'en_attente', envoye_le = NULL, bail_jusqu_a = $1",
            &[quand.unix_timestamp().into()],
        )
        .await
        .unwrap();
        tx.valider().await.unwrap();
        assert_eq!(e.passe(quand).await.unwrap().envoyes, 1);
        let messages = smtp.attendre(avant + 2, Duration::from_secs(10));
        let identifiants: Vec<&str> = messages[avant..]
            .iter()
            .map(|m| m.message_id.as_str())
            .collect();
        assert_eq!(identifiants.len(), 2);
        assert_eq!(identifiants[0], identifiants[1]);
        assert!(
            identifiants[0].ends_with("@parentalite.invalid"),
            "{}",
            identifiants[0]
        );
    }
}
