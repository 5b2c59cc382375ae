//! The happy path: a call for projects, a dossier, the comité, the convention, the declarations,
//! the acompte and the solde, with the audit each step leaves.

use domain::convention::{Convention, EtatConvention};
use domain::decision::{AvisFinanceur, SaisiePart};
use domain::declaration::{Bilan, Declaration, EtatTransmission, NatureDeclaration};
use domain::dossier::{Dossier, EtatDossier};
use domain::identifiants::*;
use domain::paiement::{Emission, NaturePaiement, OrdrePaiement, emettre_acompte, emettre_solde};
use domain::quantites::Centimes;
use domain::structures::Cofinanceur;
use domain::{Role, TypeEntite};
use referentiel::aip::ParametresAip;
use referentiel::parametres::Parametres;
use time::macros::date;

use crate::commun::*;

#[test]
fn du_dossier_au_solde() {
    let parametres = Parametres::embarques().unwrap();
    let p2024 = ParametresAip::pour_exercice(&parametres, 2024).unwrap();

    // The Caf publishes its call; the gestionnaire writes and submits.
    let appel = appel();
    assert!(appel.est_ouvert(date!(2024 - 01 - 31)));
    assert!(!appel.est_ouvert(date!(2024 - 02 - 01)));
    let mut brouillon = projet_complet();
    brouillon.objectifs.clear();
    let creation = Dossier::creer(
        DossierId(7),
        &gestionnaire(),
        &appel,
        GESTIONNAIRE,
        brouillon,
        le(date!(2023 - 12 - 01)),
    )
    .unwrap();
    assert_eq!(creation.apres.etat, EtatDossier::Brouillon);
    assert_eq!(creation.audit.entite, TypeEntite::Dossier);
    assert_eq!(
        (creation.audit.etat_avant, creation.audit.etat_apres),
        (None, Some("brouillon"))
    );
    let dossier = creation.apres;

    // Incomplete: refused with the list of what is missing.
    let e = refus(
        dossier.deposer(
            &gestionnaire(),
            &appel,
            &admissible(),
            le(date!(2024 - 01 - 10)),
        ),
        "incomplet",
        "objectifs",
    );
    assert_eq!(e.raison(), "Déposer le dossier : à compléter : objectifs");

    let modif = dossier
        .modifier(&gestionnaire(), projet_complet(), le(date!(2024 - 01 - 10)))
        .unwrap();
    assert_eq!(modif.audit.changements.len(), 1);
    assert_eq!(modif.audit.changements[0].champ, "objectifs");
    assert_eq!(modif.apres.version, 2);
    let depot = modif
        .apres
        .deposer(
            &gestionnaire(),
            &appel,
            &admissible(),
            le(date!(2024 - 01 - 15)),
        )
        .unwrap();
    assert_eq!(depot.audit.etat_apres, Some("depose"));
    assert!(depot.apres.depose_le.is_some());

    // The Caf instructs, asks for a complement, the gestionnaire answers after the closing date.
    let d = depot
        .apres
        .prendre_en_instruction(&caf38(), le(date!(2024 - 01 - 20)))
        .unwrap()
        .apres;
    let d = d
        .demander_complement(&caf38(), "Préciser les horaires", le(date!(2024 - 01 - 22)))
        .unwrap()
        .apres;
    assert_eq!(
        d.complement_demande.as_deref(),
        Some("Préciser les horaires")
    );
    let d = d
        .deposer(
            &gestionnaire(),
            &appel,
            &admissible(),
            le(date!(2024 - 02 - 05)),
        )
        .unwrap()
        .apres;
    assert_eq!(d.etat, EtatDossier::Depose);
    assert_eq!(d.complement_demande, None);
    let d = d
        .prendre_en_instruction(&caf38(), le(date!(2024 - 02 - 06)))
        .unwrap()
        .apres;
    let d = d
        .presenter_en_comite(&caf38(), DATE_COMITE, le(date!(2024 - 02 - 07)))
        .unwrap()
        .apres;

    // The comité validates 1.5 FTE; the Caf commits 130 000 €, the département 40 000 €.
    let r = d
        .enregistrer_decision(
            &caf38(),
            DecisionId(3),
            saisie_validation(),
            &Ok(admissible()),
            le(date!(2024 - 02 - 16)),
        )
        .unwrap();
    assert_eq!(r.dossier.apres.etat, EtatDossier::Valide);
    assert!(r.dossier.apres.etat.est_final());
    assert!(
        r.dossier.audit.description.contains("1,5 ETP notifiés"),
        "{}",
        r.dossier.audit.description
    );
    assert_eq!(r.decision.audit.entite, TypeEntite::Decision);
    let decision = r.decision.apres;
    assert_eq!(decision.engagement_caf(), euros("130 000"));
    let part = decision
        .enregistrer_part(
            &financeur38(),
            Cofinanceur::Partenaire(DEPARTEMENTAL),
            SaisiePart {
                avis: AvisFinanceur::Accorde,
                montant: euros("40 000"),
                motivation: "Priorité du schéma départemental".into(),
            },
            le(date!(2024 - 02 - 20)),
        )
        .unwrap();
    assert_eq!(part.audit.role, Role::Financeur);
    let decision = part.apres;
    assert_eq!(decision.parts.len(), 2);
    assert_eq!(decision.engagement_caf(), euros("130 000"));
    let dossier = r.dossier.apres;

    // Convention: drawn up, signed.
    let convention = Convention::etablir(
        ConventionId(1),
        &caf38(),
        &dossier,
        &decision,
        &admissible(),
        nouvelle_convention(),
        le(date!(2024 - 02 - 20)),
    )
    .unwrap()
    .apres;
    assert_eq!(convention.etat, EtatConvention::Projet);
    assert!(!convention.est_en_vigueur(date!(2024 - 03 - 10)));
    let signature = convention
        .signer(
            &caf38(),
            &dossier,
            date!(2024 - 03 - 05),
            le(date!(2024 - 03 - 06)),
        )
        .unwrap();
    assert_eq!(signature.audit.etat_apres, Some("signee"));
    let convention = signature.apres;
    assert!(convention.est_en_vigueur(date!(2025 - 12 - 31)));
    assert!(
        !convention.est_en_vigueur(date!(2026 - 01 - 01)),
        "pas de reconduction tacite"
    );
    assert_eq!(convention.mois_couverts(2024), 10);
    assert_eq!(convention.mois_couverts(2025), 12);

    // Prévisionnelle 2024: 80 000 € for 10 months, 1.5 FTE: annual cost 64 000 € per FTE,
    // 1.25 FTE retained, right 0.8 × 64 000 × 1.25 = 64 000 €, acompte 70 % = 44 800 €.
    let prev = Declaration::saisir(
        DeclarationId(1),
        &gestionnaire(),
        &convention,
        2024,
        NatureDeclaration::Previsionnelle,
        donnees("80 000", "1,5", 10),
        le(date!(2024 - 03 - 10)),
    )
    .unwrap()
    .apres;
    let prev = prev
        .transmettre(
            &gestionnaire(),
            &calendrier(2024),
            &portes(&convention, &prev),
            le(date!(2024 - 03 - 11)),
        )
        .unwrap()
        .apres;
    assert_eq!(prev.etat(), EtatTransmission::Transmise);
    let validation = prev
        .valider(
            &caf38(),
            &convention,
            &p2024,
            &[],
            le(date!(2024 - 03 - 20)),
        )
        .unwrap();
    // The audit event carries the amounts frozen in the declaration.
    assert!(
        validation
            .audit
            .changements
            .iter()
            .any(|c| c.champ == "droit" && c.apres.as_deref() == Some("64000.00")),
        "{:?}",
        validation.audit.changements
    );
    let prev = validation.apres;
    assert_eq!(prev.suivi.validee_par, Some(caf38().id));
    let droit = prev.droit.clone().unwrap();
    assert_eq!(droit.montant, euros("64 000"));

    let ordre = OrdrePaiement {
        id: PaiementId(1),
        reference: "2024-AIP-0001".into(),
        date: date!(2024 - 03 - 25),
    };
    let emission = emettre_acompte(
        &caf38(),
        &convention,
        &admissible(),
        &prev,
        &[],
        ordre,
        le(date!(2024 - 03 - 25)),
    )
    .unwrap();
    let Emission::Nouveau(paiement) = emission else {
        panic!("nouveau paiement attendu");
    };
    assert_eq!(paiement.apres.nature, NaturePaiement::Acompte);
    assert_eq!(paiement.apres.montant, euros("44 800"));
    assert_eq!(paiement.audit.entite, TypeEntite::Paiement);
    assert_eq!(paiement.audit.action, "acompte");
    let acompte = paiement.apres;

    // Réelle 2024, sent in 2025 with the bilan: 85 000 € for 10 months, cost 68 000 € per FTE
    // capped at 66 000 €: right 66 000 €, solde 66 000 − 44 800 = 21 200 €.
    let p = vec![acompte.clone()];
    let reelle = declaration_validee_apres(
        &convention,
        2,
        NatureDeclaration::Reelle,
        2024,
        donnees("85 000", "1,5", 10),
        date!(2025 - 02 - 10),
        &p,
    );
    let bilan = bilan_valide(&convention, 2024);
    let ordre = OrdrePaiement {
        id: PaiementId(2),
        reference: "2025-AIP-0007".into(),
        date: date!(2025 - 03 - 01),
    };
    let emission = emettre_solde(
        &caf38(),
        &convention,
        &admissible(),
        &reelle,
        &bilan,
        &p,
        ordre,
        le(date!(2025 - 03 - 01)),
    )
    .unwrap();
    let Emission::Nouveau(paiement) = emission else {
        panic!("nouveau paiement attendu");
    };
    let droit = reelle.droit.as_ref().unwrap();
    assert_eq!(droit.montant, euros("66 000"));
    assert!(
        droit
            .trace
            .to_string()
            .contains("Le prix plafond s'applique")
    );
    assert_eq!(paiement.apres.nature, NaturePaiement::Solde);
    assert_eq!(paiement.apres.montant, euros("21 200"));
    let tous = [acompte, paiement.apres];
    assert_eq!(
        domain::paiement::versements_effectues(&tous, convention.id, 2024),
        Some(euros("66 000"))
    );

    // At the end of its period, the convention is closed.
    let close = convention
        .cloturer(&caf38(), le(date!(2026 - 03 - 01)))
        .unwrap();
    assert_eq!(close.apres.etat, EtatConvention::Cloturee);
    assert!(!close.apres.est_en_vigueur(date!(2025 - 06 - 01)));
}

#[test]
fn avenant_et_plafond_moyen() {
    use domain::decision::{Decision, NotificationEtp, SaisieNotification};
    let (convention, dossier, _) = convention_signee();
    let nouvelle = Decision::nouvelle_notification(
        DecisionId(9),
        &caf38(),
        &dossier,
        SaisieNotification {
            date_comite: date!(2024 - 06 - 10),
            notification: NotificationEtp {
                etp: etp("2"),
                date_effet: date!(2024 - 07 - 01),
            },
            motivation: "Activité au-delà des prévisions".into(),
            part_caf: None,
        },
        le(date!(2024 - 06 - 11)),
    )
    .unwrap()
    .apres;
    let avenant = convention
        .ajouter_avenant(
            &caf38(),
            &nouvelle,
            date!(2024 - 06 - 20),
            le(date!(2024 - 06 - 21)),
        )
        .unwrap();
    assert_eq!(avenant.audit.changements[0].avant.as_deref(), Some("1,5"));
    assert_eq!(avenant.audit.changements[0].apres.as_deref(), Some("2"));
    let convention = avenant.apres;
    assert_eq!(convention.avenants[0].numero, 1);
    assert_eq!(convention.etp_notifie_au(date!(2024 - 06 - 30)), etp("1,5"));
    assert_eq!(convention.etp_notifie_au(date!(2024 - 07 - 01)), etp("2"));
    assert_eq!(convention.etp_notifie_au(date!(2024 - 02 - 01)), etp("0"));
    // Ten months of operation, March to June at 1.5, July to December at 2:
    // (4 × 1.5 + 6 × 2) / 10 = 1.8.
    assert_eq!(
        convention
            .etp_notifies_moyens(2024, 10)
            .unwrap()
            .to_string(),
        "1.8"
    );
    assert_eq!(
        convention
            .etp_notifies_moyens(2025, 12)
            .unwrap()
            .to_string(),
        "2"
    );
    // Six months of operation are the last six the convention covers, July to December, all at
    // 2 FTE: the mean runs over the months of operation, not over the ten months covered.
    assert_eq!(
        convention.etp_notifies_moyens(2024, 6).unwrap().to_string(),
        "2"
    );
    // With E = 2, m = 6 and D = 66 000 €, the right is 80 % × 66 000 × 2 × 6/12 = 52 800 €.
    let reelle = declaration_validee(
        &convention,
        7,
        NatureDeclaration::Reelle,
        2024,
        donnees("66 000", "2", 6),
        date!(2025 - 02 - 10),
    );
    assert_eq!(reelle.droit.unwrap().montant, euros("52 800"));
    // Without a month of operation, or more than covered, every covered month counts.
    assert_eq!(
        convention.etp_notifies_moyens(2024, 0).unwrap().to_string(),
        "1.8"
    );
    // The same notification twice: refused.
    refus(
        convention.ajouter_avenant(
            &caf38(),
            &nouvelle,
            date!(2024 - 06 - 20),
            le(date!(2024 - 06 - 21)),
        ),
        "deja_enregistre",
        "figure déjà",
    );
}

#[test]
fn les_enregistrements_passent_par_json() {
    let (convention, dossier, decision) = convention_signee();
    let texte = serde_json::to_string(&dossier).unwrap();
    assert!(texte.contains("\"etat\":\"valide\""), "{texte}");
    assert!(texte.contains("\"debut\":\"2024-03-01\""), "{texte}");
    assert_eq!(serde_json::from_str::<Dossier>(&texte).unwrap(), dossier);
    let texte = serde_json::to_string(&convention).unwrap();
    assert!(texte.contains("\"etat\":\"signee\""), "{texte}");
    assert_eq!(
        serde_json::from_str::<Convention>(&texte).unwrap(),
        convention
    );
    let texte = serde_json::to_string(&decision).unwrap();
    assert_eq!(
        serde_json::from_str::<domain::decision::Decision>(&texte).unwrap(),
        decision
    );
    let prev = declaration(
        &convention,
        1,
        NatureDeclaration::Previsionnelle,
        2024,
        donnees("80 000", "1,5", 10),
    );
    let texte = serde_json::to_string(&prev).unwrap();
    assert!(texte.contains("\"etat\":\"saisie\""), "{texte}");
    assert!(
        texte.contains("\"depenses_fonctionnement\":8000000"),
        "{texte}"
    );
    assert_eq!(serde_json::from_str::<Declaration>(&texte).unwrap(), prev);
    let b: Bilan = bilan(&convention, 2024);
    assert_eq!(
        serde_json::from_str::<Bilan>(&serde_json::to_string(&b).unwrap()).unwrap(),
        b
    );
    let (brouillon, _) = dossier_a(EtatDossier::Brouillon);
    let audit = brouillon
        .retirer(&gestionnaire(), None, le(date!(2024 - 01 - 05)))
        .unwrap()
        .audit;
    let texte = serde_json::to_string(&audit).unwrap();
    assert!(
        texte.contains("\"horodatage\":\"2024-01-05T10:00:00+01:00\""),
        "{texte}"
    );
    assert!(texte.contains("\"role\":\"gestionnaire\""), "{texte}");
    assert!(texte.contains("\"etat_apres\":\"retire\""), "{texte}");
    assert_eq!(Centimes::parse("0").unwrap(), Centimes::ZERO);
}
