//! Every convention transition refused for the wrong state, the wrong role and the wrong
//! territory, and the rules on its period (Référentiel national de financement de l'AIP §IV.4).

use domain::convention::{Convention, EtatConvention, NouvelleConvention};
use domain::decision::{Decision, NotificationEtp, SaisieNotification};
use domain::dossier::EtatDossier;
use domain::identifiants::*;
use time::macros::date;

use crate::commun::*;

fn convention_a(etat: EtatConvention) -> (Convention, domain::dossier::Dossier) {
    let (projet, dossier, _) = convention_projet();
    let q = le(date!(2026 - 01 - 15));
    let c = match etat {
        EtatConvention::Projet => projet,
        EtatConvention::Signee => convention_signee().0,
        EtatConvention::Cloturee => convention_signee().0.cloturer(&caf38(), q).unwrap().apres,
        EtatConvention::Resiliee => {
            convention_signee()
                .0
                .resilier(&caf38(), "Cessation d'activité", date!(2024 - 09 - 30), q)
                .unwrap()
                .apres
        }
    };
    assert_eq!(c.etat, etat);
    (c, dossier)
}

fn nouvelle_notification(dossier: &domain::dossier::Dossier) -> Decision {
    Decision::nouvelle_notification(
        DecisionId(9),
        &caf38(),
        dossier,
        SaisieNotification {
            date_comite: date!(2024 - 06 - 10),
            notification: NotificationEtp {
                etp: etp("2"),
                date_effet: date!(2024 - 07 - 01),
            },
            motivation: "Hausse de l'activité".into(),
            part_caf: None,
        },
        le(date!(2024 - 06 - 11)),
    )
    .unwrap()
    .apres
}

#[test]
fn etablir_seulement_sur_un_dossier_valide() {
    let (dossier, decision) = dossier_valide();
    let q = le(date!(2024 - 02 - 20));
    verifier_acces(Autorise::Caf, |a| {
        Convention::etablir(
            ConventionId(1),
            a,
            &dossier,
            &decision,
            &admissible(),
            nouvelle_convention(),
            q,
        )
    });
    for etat in EtatDossier::TOUS {
        if etat == EtatDossier::Valide {
            continue;
        }
        let (autre, _) = dossier_a(etat);
        refus(
            Convention::etablir(
                ConventionId(1),
                &caf38(),
                &autre,
                &decision,
                &admissible(),
                nouvelle_convention(),
                q,
            ),
            "etat",
            "état requis : « validé »",
        );
    }
    // A decision of another dossier, or one that did not validate the project.
    let mut etrangere = decision.clone();
    etrangere.dossier = DossierId(42);
    refus(
        Convention::etablir(
            ConventionId(1),
            &caf38(),
            &dossier,
            &etrangere,
            &admissible(),
            nouvelle_convention(),
            q,
        ),
        "incoherence",
        "autre dossier",
    );
    let renotification = nouvelle_notification(&dossier);
    refus(
        Convention::etablir(
            ConventionId(1),
            &caf38(),
            &dossier,
            &renotification,
            &admissible(),
            nouvelle_convention(),
            q,
        ),
        "incoherence",
        "validé le projet",
    );
}

#[test]
fn periode_dans_l_experimentation_et_le_projet() {
    let (dossier, decision) = dossier_valide();
    let q = le(date!(2024 - 02 - 20));
    let etablir = |debut, fin| {
        Convention::etablir(
            ConventionId(1),
            &caf38(),
            &dossier,
            &decision,
            &admissible(),
            NouvelleConvention {
                numero: "COF-38-2024-001".into(),
                debut,
                fin,
                echeancier: Vec::new(),
            },
            q,
        )
    };
    refus(
        etablir(date!(2024 - 03 - 01), date!(2026 - 06 - 30)),
        "invalide",
        "du 01/01/2024 au 31/12/2025",
    );
    refus(
        etablir(date!(2024 - 01 - 01), date!(2025 - 12 - 31)),
        "invalide",
        "le temps du projet validé",
    );
    refus(
        etablir(date!(2025 - 03 - 01), date!(2024 - 12 - 31)),
        "invalide",
        "avant de commencer",
    );
    // The convention's period is the project's, not a part of it.
    refus(
        etablir(date!(2024 - 04 - 01), date!(2025 - 06 - 30)),
        "invalide",
        "le temps du projet validé",
    );
    assert!(etablir(date!(2024 - 03 - 01), date!(2025 - 12 - 31)).is_ok());
    let sans_numero = Convention::etablir(
        ConventionId(1),
        &caf38(),
        &dossier,
        &decision,
        &admissible(),
        NouvelleConvention {
            numero: " ".into(),
            ..nouvelle_convention()
        },
        q,
    );
    refus(sans_numero, "incomplet", "numéro de convention");
}

#[test]
fn signer() {
    let q = le(date!(2024 - 03 - 06));
    let (projet, dossier) = convention_a(EtatConvention::Projet);
    verifier_acces(Autorise::Caf, |a| {
        projet.signer(a, &dossier, date!(2024 - 03 - 05), q)
    });
    for etat in [
        EtatConvention::Signee,
        EtatConvention::Cloturee,
        EtatConvention::Resiliee,
    ] {
        let (c, dossier) = convention_a(etat);
        refus(
            c.signer(&caf38(), &dossier, date!(2024 - 03 - 05), q),
            "etat",
            "état requis : « projet »",
        );
    }
    refus(
        projet.signer(&caf38(), &dossier, date!(2024 - 03 - 07), q),
        "invalide",
        "dans le futur",
    );
    let mut autre = dossier.clone();
    autre.id = DossierId(3);
    refus(
        projet.signer(&caf38(), &autre, date!(2024 - 03 - 05), q),
        "incoherence",
        "pas celui de la convention",
    );
    // Never beyond the experiment, even if the record was tampered with.
    let mut au_dela = projet.clone();
    au_dela.fin = date!(2026 - 12 - 31);
    refus(
        au_dela.signer(&caf38(), &dossier, date!(2024 - 03 - 05), q),
        "invalide",
        "expérimentation",
    );
    let tard = le(date!(2026 - 01 - 10));
    refus(
        projet.signer(&caf38(), &dossier, date!(2026 - 01 - 05), tard),
        "invalide",
        "ne peut plus être signée",
    );
}

#[test]
fn avenant() {
    let (signee, dossier) = convention_a(EtatConvention::Signee);
    let decision = nouvelle_notification(&dossier);
    let q = le(date!(2024 - 06 - 21));
    verifier_acces(Autorise::Caf, |a| {
        signee.ajouter_avenant(a, &decision, date!(2024 - 06 - 20), q)
    });
    for etat in [
        EtatConvention::Projet,
        EtatConvention::Cloturee,
        EtatConvention::Resiliee,
    ] {
        let (c, _) = convention_a(etat);
        refus(
            c.ajouter_avenant(&caf38(), &decision, date!(2024 - 06 - 20), q),
            "etat",
            "« signée »",
        );
    }
    // The initial decision is not a new notification.
    let (_, initiale) = dossier_valide();
    refus(
        signee.ajouter_avenant(&caf38(), &initiale, date!(2024 - 06 - 20), q),
        "incoherence",
        "nouvelle notification",
    );
    // Same ceiling: nothing to amend.
    let mut meme = decision.clone();
    meme.notification = Some(NotificationEtp {
        etp: etp("1,5"),
        date_effet: date!(2024 - 07 - 01),
    });
    refus(
        signee.ajouter_avenant(&caf38(), &meme, date!(2024 - 06 - 20), q),
        "invalide",
        "reste 1,5",
    );
    // A notification effective outside the convention.
    let mut hors = decision.clone();
    hors.notification = Some(NotificationEtp {
        etp: etp("2"),
        date_effet: date!(2024 - 02 - 01),
    });
    refus(
        signee.ajouter_avenant(&caf38(), &hors, date!(2024 - 06 - 20), q),
        "invalide",
        "période de la convention",
    );
}

#[test]
fn nouvelle_notification_seulement_sur_un_dossier_valide() {
    let (dossier, _) = dossier_valide();
    let saisie = || SaisieNotification {
        date_comite: date!(2024 - 06 - 10),
        notification: NotificationEtp {
            etp: etp("2"),
            date_effet: date!(2024 - 07 - 01),
        },
        motivation: "Hausse".into(),
        part_caf: None,
    };
    let q = le(date!(2024 - 06 - 11));
    verifier_acces(Autorise::Caf, |a| {
        Decision::nouvelle_notification(DecisionId(9), a, &dossier, saisie(), q)
    });
    let (instruit, _) = dossier_a(EtatDossier::EnInstruction);
    refus(
        Decision::nouvelle_notification(DecisionId(9), &caf38(), &instruit, saisie(), q),
        "etat",
        "« en instruction »",
    );
}

#[test]
fn cloturer_et_resilier() {
    let (signee, _) = convention_a(EtatConvention::Signee);
    let fin = le(date!(2026 - 01 - 05));
    verifier_acces(Autorise::Caf, |a| signee.cloturer(a, fin));
    refus(
        signee.cloturer(&caf38(), le(date!(2025 - 06 - 01))),
        "condition",
        "court jusqu'au 31/12/2025",
    );
    for etat in [
        EtatConvention::Projet,
        EtatConvention::Cloturee,
        EtatConvention::Resiliee,
    ] {
        let (c, _) = convention_a(etat);
        refus(c.cloturer(&caf38(), fin), "etat", "« signée »");
    }

    let q = le(date!(2024 - 09 - 01));
    verifier_acces(Autorise::Caf, |a| {
        signee.resilier(a, "Fermeture du service", date!(2024 - 09 - 30), q)
    });
    for etat in [EtatConvention::Cloturee, EtatConvention::Resiliee] {
        let (c, _) = convention_a(etat);
        refus(
            c.resilier(&caf38(), "Fermeture", date!(2024 - 09 - 30), q),
            "etat",
            "« projet » ou « signée »",
        );
    }
    refus(
        signee.resilier(&caf38(), " ", date!(2024 - 09 - 30), q),
        "motif_obligatoire",
        "motif",
    );
    refus(
        signee.resilier(&caf38(), "Fermeture", date!(2026 - 01 - 31), q),
        "invalide",
        "période de la convention",
    );
    let resiliee = signee
        .resilier(&caf38(), "Fermeture", date!(2024 - 09 - 30), q)
        .unwrap()
        .apres;
    assert_eq!(resiliee.fin_effective(), date!(2024 - 09 - 30));
    assert_eq!(resiliee.mois_couverts(2024), 7);
    assert_eq!(resiliee.mois_couverts(2025), 0);
    assert!(!resiliee.est_en_vigueur(date!(2024 - 09 - 01)));
}

#[test]
fn le_gestionnaire_signe_puis_la_caf_contresigne() {
    let q = le(date!(2024 - 03 - 04));
    let (projet, dossier) = convention_a(EtatConvention::Projet);
    verifier_acces(Autorise::Gestionnaire, |a| {
        projet.signer_par_gestionnaire(a, &dossier, "Camille Martin", true, q)
    });
    let t = projet
        .signer_par_gestionnaire(&gestionnaire(), &dossier, "Camille Martin", true, q)
        .unwrap();
    // Who and when are recorded; the convention awaits the Caf, still a draft.
    let signee = t.apres;
    assert_eq!(signee.etat, EtatConvention::Projet);
    let s = signee.signature_gestionnaire.clone().unwrap();
    assert_eq!(
        (s.utilisateur, s.nom.as_str(), s.le),
        (gestionnaire().id, "Camille Martin", q)
    );
    assert_eq!(signee.version, projet.version + 1);
    assert_eq!(t.audit.action, "signer_par_gestionnaire");
    assert!(
        t.audit
            .description
            .contains("en attente de la contresignature")
    );
    // Without the explicit acceptance: refused, and nothing recorded.
    refus(
        projet.signer_par_gestionnaire(&gestionnaire(), &dossier, "Camille Martin", false, q),
        "incomplet",
        "acceptation des termes",
    );
    // Twice: refused.
    refus(
        signee.signer_par_gestionnaire(&gestionnaire(), &dossier, "Camille Martin", true, q),
        "deja_enregistre",
        "déjà signé",
    );
    // Not once signed by both, nor after its end.
    for etat in [EtatConvention::Signee, EtatConvention::Resiliee] {
        let (c, dossier) = convention_a(etat);
        refus(
            c.signer_par_gestionnaire(&gestionnaire(), &dossier, "Camille Martin", true, q),
            "etat",
            "état requis : « projet »",
        );
    }
    refus(
        projet.signer_par_gestionnaire(
            &gestionnaire(),
            &dossier,
            "Camille Martin",
            true,
            le(date!(2026 - 01 - 02)),
        ),
        "invalide",
        "ne peut plus être signée",
    );
    // The Caf countersigns, not before the structure did.
    refus(
        signee.signer(
            &caf38(),
            &dossier,
            date!(2024 - 03 - 03),
            le(date!(2024 - 03 - 05)),
        ),
        "invalide",
        "précède celle de la structure",
    );
    let contresignee = signee
        .signer(
            &caf38(),
            &dossier,
            date!(2024 - 03 - 05),
            le(date!(2024 - 03 - 05)),
        )
        .unwrap();
    assert_eq!(contresignee.apres.etat, EtatConvention::Signee);
    assert_eq!(
        contresignee.apres.date_signature,
        Some(date!(2024 - 03 - 05))
    );
    assert!(contresignee.audit.description.contains("contresignée"));
    assert!(contresignee.apres.signature_gestionnaire.is_some());
}
