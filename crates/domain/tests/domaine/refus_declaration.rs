//! Declarations and annual reports: who writes, sends, validates or sends back, from which
//! states, and the rules on their figures.

use domain::convention::{Convention, EtatConvention};
use domain::declaration::{Bilan, ContenuBilan, Declaration, EtatTransmission, NatureDeclaration};
use domain::identifiants::*;
use time::macros::date;

use crate::commun::*;

fn prev(convention: &Convention) -> Declaration {
    declaration(
        convention,
        1,
        NatureDeclaration::Previsionnelle,
        2024,
        donnees("80 000", "1,5", 10),
    )
}

fn declaration_a(etat: EtatTransmission) -> Declaration {
    let (convention, _, _) = convention_signee();
    let d = prev(&convention);
    let q = le(date!(2024 - 03 - 15));
    match etat {
        EtatTransmission::Saisie => d,
        EtatTransmission::Transmise => {
            d.transmettre(
                &gestionnaire(),
                &calendrier(2024),
                &portes(&convention, &d),
                q,
            )
            .unwrap()
            .apres
        }
        EtatTransmission::Validee => {
            let t = d
                .transmettre(
                    &gestionnaire(),
                    &calendrier(2024),
                    &portes(&convention, &d),
                    q,
                )
                .unwrap()
                .apres;
            valider(&t, &caf38(), &convention, &[], q).unwrap().apres
        }
    }
}

fn bilan_a(etat: EtatTransmission) -> Bilan {
    let (convention, _, _) = convention_signee();
    let b = bilan(&convention, 2024);
    let q = le(date!(2025 - 02 - 01));
    match etat {
        EtatTransmission::Saisie => b,
        EtatTransmission::Transmise => {
            b.transmettre(&gestionnaire(), &calendrier(2024), q)
                .unwrap()
                .apres
        }
        EtatTransmission::Validee => {
            let t = b
                .transmettre(&gestionnaire(), &calendrier(2024), q)
                .unwrap()
                .apres;
            t.valider(&caf38(), q).unwrap().apres
        }
    }
}

#[test]
fn saisir_une_declaration() {
    let (convention, _, _) = convention_signee();
    let q = le(date!(2024 - 03 - 10));
    let saisir = |a: &domain::Acteur, c: &Convention, exercice, figures| {
        Declaration::saisir(
            DeclarationId(1),
            a,
            c,
            exercice,
            NatureDeclaration::Previsionnelle,
            figures,
            q,
        )
    };
    verifier_acces(Autorise::Gestionnaire, |a| {
        saisir(a, &convention, 2024, donnees("80 000", "1,5", 10))
    });
    // Possible before the signature, not on a closed convention.
    let (projet, _, _) = convention_projet();
    assert!(saisir(&gestionnaire(), &projet, 2024, donnees("80 000", "1,5", 10)).is_ok());
    let close = convention
        .cloturer(&caf38(), le(date!(2026 - 01 - 02)))
        .unwrap()
        .apres;
    refus(
        saisir(&gestionnaire(), &close, 2025, donnees("80 000", "1,5", 12)),
        "etat",
        "« clôturée »",
    );
    // Figures that the subsidy's rules or the convention refuse.
    refus(
        saisir(&gestionnaire(), &convention, 2026, donnees("1", "1", 1)),
        "invalide",
        "aucun mois de 2026",
    );
    refus(
        saisir(
            &gestionnaire(),
            &convention,
            2024,
            donnees("80 000", "1,5", 11),
        ),
        "invalide",
        "couvre 10 mois",
    );
    refus(
        saisir(&gestionnaire(), &convention, 2024, donnees("-1", "1", 10)),
        "invalide",
        "négatives",
    );
    assert!(saisir(&gestionnaire(), &convention, 2024, donnees("0", "0", 0)).is_ok());
    // A recruitment that failed: expenses with no FTE are filed (the right is zero).
    assert!(
        saisir(
            &gestionnaire(),
            &convention,
            2024,
            donnees("80 000", "0", 10)
        )
        .is_ok()
    );
}

#[test]
fn modifier_une_declaration() {
    let (convention, _, _) = convention_signee();
    let q = le(date!(2024 - 03 - 12));
    let d = declaration_a(EtatTransmission::Saisie);
    verifier_acces(Autorise::Gestionnaire, |a| {
        d.modifier(a, &convention, donnees("82 000", "1,5", 10), q)
    });
    let m = d
        .modifier(
            &gestionnaire(),
            &convention,
            donnees("82 000", "1,5", 10),
            q,
        )
        .unwrap();
    assert_eq!(m.audit.changements.len(), 1);
    assert_eq!(m.audit.changements[0].avant.as_deref(), Some("80000.00"));
    for etat in [EtatTransmission::Transmise, EtatTransmission::Validee] {
        let d = declaration_a(etat);
        refus(
            d.modifier(&gestionnaire(), &convention, donnees("1", "1", 1), q),
            "etat",
            "« en saisie »",
        );
    }
}

#[test]
fn transmettre_valider_renvoyer_une_declaration() {
    let q = le(date!(2024 - 03 - 15));
    let saisie = declaration_a(EtatTransmission::Saisie);
    let transmise = declaration_a(EtatTransmission::Transmise);
    let (convention, _, _) = convention_signee();
    verifier_acces(Autorise::Gestionnaire, |a| {
        saisie.transmettre(a, &calendrier(2024), &portes(&convention, &saisie), q)
    });
    verifier_acces(Autorise::Caf, |a| {
        valider(&transmise, a, &convention, &[], q)
    });
    // Not with another exercise's parameters, nor under another convention.
    let parametres = referentiel::parametres::Parametres::embarques().unwrap();
    let p2025 = referentiel::aip::ParametresAip::pour_exercice(&parametres, 2025).unwrap();
    refus(
        transmise.valider(&caf38(), &convention, &p2025, &[], q),
        "incoherence",
        "2025",
    );
    let mut autre = convention.clone();
    autre.id = ConventionId(2);
    refus(
        valider(&transmise, &caf38(), &autre, &[], q),
        "incoherence",
        "pas la convention",
    );
    verifier_acces(Autorise::Caf, |a| {
        transmise.renvoyer(a, "Dépenses sans justificatif", q)
    });
    for etat in [EtatTransmission::Transmise, EtatTransmission::Validee] {
        refus(
            {
                let (convention, _, _) = convention_signee();
                let d = declaration_a(etat);
                d.transmettre(
                    &gestionnaire(),
                    &calendrier(2024),
                    &portes(&convention, &d),
                    q,
                )
            },
            "etat",
            "état requis : « en saisie »",
        );
    }
    for etat in [EtatTransmission::Saisie, EtatTransmission::Validee] {
        let d = declaration_a(etat);
        refus(
            valider(&d, &caf38(), &convention, &[], q),
            "etat",
            "état requis : « transmise »",
        );
        refus(
            d.renvoyer(&caf38(), "Incomplet", q),
            "etat",
            "état requis : « transmise »",
        );
    }
    refus(
        transmise.renvoyer(&caf38(), "", q),
        "motif_obligatoire",
        "Renvoyer la déclaration",
    );
    let renvoyee = transmise
        .renvoyer(&caf38(), "Joindre le tableau des ETP", q)
        .unwrap();
    assert_eq!(renvoyee.apres.etat(), EtatTransmission::Saisie);
    assert_eq!(
        renvoyee.apres.suivi.motif_renvoi.as_deref(),
        Some("Joindre le tableau des ETP")
    );
    assert_eq!(renvoyee.audit.etat_apres, Some("saisie"));
    // Sent back, it can be corrected and sent again.
    assert!(
        renvoyee
            .apres
            .transmettre(
                &gestionnaire(),
                &calendrier(2024),
                &portes(&convention_signee().0, &renvoyee.apres),
                q
            )
            .is_ok()
    );
}

#[test]
fn la_declaration_reelle_se_transmet_en_n_plus_1() {
    let (convention, _, _) = convention_signee();
    let reelle = declaration(
        &convention,
        2,
        NatureDeclaration::Reelle,
        2024,
        donnees("85 000", "1,5", 10),
    );
    refus(
        reelle.transmettre(
            &gestionnaire(),
            &calendrier(2024),
            &portes(&convention, &reelle),
            le(date!(2024 - 12 - 31)),
        ),
        "condition",
        "à partir du 1er janvier 2025",
    );
    assert!(
        reelle
            .transmettre(
                &gestionnaire(),
                &calendrier(2024),
                &portes(&convention, &reelle),
                le(date!(2025 - 01 - 02))
            )
            .is_ok()
    );
}

#[test]
fn bilan_annuel() {
    let (convention, _, _) = convention_signee();
    let q = le(date!(2025 - 01 - 20));
    verifier_acces(Autorise::Gestionnaire, |a| {
        Bilan::saisir(BilanId(1), a, &convention, 2024, contenu_bilan(), q)
    });
    let (projet, _, _) = convention_projet();
    refus(
        Bilan::saisir(
            BilanId(1),
            &gestionnaire(),
            &projet,
            2024,
            contenu_bilan(),
            q,
        ),
        "etat",
        "« projet »",
    );
    refus(
        Bilan::saisir(
            BilanId(1),
            &gestionnaire(),
            &convention,
            2023,
            contenu_bilan(),
            q,
        ),
        "invalide",
        "aucun mois de 2023",
    );

    let saisi = bilan_a(EtatTransmission::Saisie);
    let transmis = bilan_a(EtatTransmission::Transmise);
    verifier_acces(Autorise::Gestionnaire, |a| {
        saisi.modifier(a, contenu_bilan(), q)
    });
    verifier_acces(Autorise::Gestionnaire, |a| {
        saisi.transmettre(a, &calendrier(2024), q)
    });
    verifier_acces(Autorise::Caf, |a| transmis.valider(a, q));
    verifier_acces(Autorise::Caf, |a| {
        transmis.renvoyer(a, "Synthèse trop succincte", q)
    });
    for etat in [EtatTransmission::Transmise, EtatTransmission::Validee] {
        let b = bilan_a(etat);
        refus(
            b.transmettre(&gestionnaire(), &calendrier(2024), q),
            "etat",
            "le bilan est à l'état",
        );
        refus(
            b.modifier(&gestionnaire(), contenu_bilan(), q),
            "etat",
            "« en saisie »",
        );
    }
    for etat in [EtatTransmission::Saisie, EtatTransmission::Validee] {
        let b = bilan_a(etat);
        refus(b.valider(&caf38(), q), "etat", "« transmise »");
        refus(b.renvoyer(&caf38(), "À revoir", q), "etat", "« transmise »");
    }
    refus(
        transmis.renvoyer(&caf38(), " ", q),
        "motif_obligatoire",
        "Renvoyer le bilan",
    );
    let vide = saisi
        .modifier(
            &gestionnaire(),
            ContenuBilan {
                synthese: String::new(),
                ..contenu_bilan()
            },
            q,
        )
        .unwrap()
        .apres;
    refus(
        vide.transmettre(&gestionnaire(), &calendrier(2024), q),
        "incomplet",
        "synthèse",
    );
    assert_eq!(convention.etat, EtatConvention::Signee);
}

/// Each declaration and the bilan are sent in their window (Référentiel national de financement
/// de l'AIP, §VI.1 étape 2 and §V; dated parameters): an actualisée in February would give a
/// meaningless year-end provision, a bilan sent mid-year would freeze half a year's figures.
#[test]
fn chaque_transmission_dans_sa_fenetre() {
    let (convention, _, _) = convention_signee();
    let actualisee = declaration(
        &convention,
        3,
        NatureDeclaration::Actualisee,
        2024,
        donnees("80 000", "1,5", 10),
    );
    let r = refus(
        actualisee.transmettre(
            &gestionnaire(),
            &calendrier(2024),
            &portes(&convention, &actualisee),
            le(date!(2024 - 02 - 15)),
        ),
        "condition",
        "à partir du 1er novembre 2024",
    );
    assert!(r.raison().contains("choix local"), "{}", r.raison());
    assert!(
        actualisee
            .transmettre(
                &gestionnaire(),
                &calendrier(2024),
                &portes(&convention, &actualisee),
                le(date!(2024 - 11 - 02))
            )
            .is_ok()
    );
    // Not with another exercise's calendar.
    refus(
        actualisee.transmettre(
            &gestionnaire(),
            &calendrier(2025),
            &portes(&convention, &actualisee),
            le(date!(2024 - 11 - 02)),
        ),
        "incoherence",
        "2025",
    );
    let b = bilan(&convention, 2024);
    refus(
        b.transmettre(
            &gestionnaire(),
            &calendrier(2024),
            le(date!(2024 - 07 - 01)),
        ),
        "condition",
        "le bilan de 2024 se transmet à partir du 1er janvier 2025",
    );
    assert!(
        b.transmettre(
            &gestionnaire(),
            &calendrier(2024),
            le(date!(2025 - 01 - 02))
        )
        .is_ok()
    );
}

/// What a signed convention owes past its deadline is listed, oldest first; what was sent is not,
/// and a piece only entered (`saisie`) is late too, marked as started.
#[test]
fn les_pieces_en_retard() {
    use domain::declaration::{Piece, retards};
    let (convention, _, _) = convention_signee();
    let parametres = referentiel::parametres::Parametres::embarques().unwrap();
    let calendrier =
        |exercice| referentiel::aip::CalendrierAip::pour_exercice(&parametres, exercice).ok();
    // 1 March 2024: nothing is due yet.
    assert!(retards(&convention, &[], &[], calendrier, date!(2024 - 03 - 01)).is_empty());
    // 1 April 2024: the prévisionnelle 2024 (expected by 31 March) is late.
    let r = retards(&convention, &[], &[], calendrier, date!(2024 - 04 - 01));
    assert_eq!(r.len(), 1);
    assert_eq!(
        r[0].piece,
        Piece::Declaration(NatureDeclaration::Previsionnelle)
    );
    assert_eq!(r[0].echeance, date!(2024 - 03 - 31));
    assert!(!r[0].entamee);
    // Sent, it is no longer late; only entered, it still is, marked as started.
    let prev = prev(&convention);
    let r = retards(
        &convention,
        std::slice::from_ref(&prev),
        &[],
        calendrier,
        date!(2024 - 04 - 01),
    );
    assert!(r[0].entamee);
    let transmise = prev
        .transmettre(
            &gestionnaire(),
            &calendrier(2024).unwrap(),
            &portes(&convention, &prev),
            le(date!(2024 - 03 - 15)),
        )
        .unwrap()
        .apres;
    assert!(
        retards(
            &convention,
            std::slice::from_ref(&transmise),
            &[],
            calendrier,
            date!(2024 - 04 - 01)
        )
        .is_empty()
    );
    // 1 July 2025: the actualisée (due 31 January 2025), the prévisionnelle of 2025 (31 March),
    // the réelle and the bilan of 2024 (30 June): oldest deadline first.
    let r = retards(
        &convention,
        &[transmise],
        &[],
        calendrier,
        date!(2025 - 07 - 01),
    );
    let pieces: Vec<(i32, Piece)> = r.iter().map(|x| (x.exercice, x.piece)).collect();
    assert_eq!(
        pieces,
        [
            (2024, Piece::Declaration(NatureDeclaration::Actualisee)),
            (2025, Piece::Declaration(NatureDeclaration::Previsionnelle)),
            (2024, Piece::Declaration(NatureDeclaration::Reelle)),
            (2024, Piece::Bilan),
        ]
    );
    // An unsigned convention owes nothing.
    let (projet, _, _) = convention_projet();
    assert!(retards(&projet, &[], &[], calendrier, date!(2025 - 07 - 01)).is_empty());
}

/// Only a Caf agent of the convention's département reminds its gestionnaire of a late piece;
/// the reminder names the piece, the convention and the deadline.
#[test]
fn seule_la_caf_du_departement_relance() {
    let (convention, _, _) = convention_signee();
    let retard = domain::declaration::Retard {
        exercice: 2024,
        piece: domain::declaration::Piece::Bilan,
        echeance: date!(2025 - 06 - 30),
        entamee: false,
    };
    let texte = retard.relance(&caf38(), &convention).unwrap();
    assert!(
        texte.contains("le bilan annuel 2024")
            && texte.contains(&convention.numero)
            && texte.contains("30/06/2025")
            && texte.contains("le saisir"),
        "{texte}"
    );
    verifier_acces(Autorise::Caf, |a| retard.relance(a, &convention));
}
