//! The actions a convention, a declaration and a bilan offer each actor agree with their
//! transitions: offered exactly where the transition goes through, over every state and role.

use domain::convention::{ActionConvention, Convention};
use domain::declaration::{
    ActionTransmissionOuverte as Ouverte, Bilan, Declaration, EtatTransmission, NatureDeclaration,
};
use domain::identifiants::{BilanId, DeclarationId};
use time::macros::date;

use crate::commun::*;

fn declaration_a(convention: &Convention, etat: EtatTransmission) -> Declaration {
    let d = declaration(
        convention,
        1,
        NatureDeclaration::Previsionnelle,
        2024,
        donnees("80 000", "1,5", 10),
    );
    let q = le(date!(2024 - 03 - 15));
    if etat == EtatTransmission::Saisie {
        return d;
    }
    let t = d
        .transmettre(
            &gestionnaire(),
            &calendrier(2024),
            &portes(convention, &d),
            q,
        )
        .unwrap()
        .apres;
    if etat == EtatTransmission::Transmise {
        return t;
    }
    valider(&t, &caf38(), convention, &[], q).unwrap().apres
}

fn bilan_a(convention: &Convention, etat: EtatTransmission) -> Bilan {
    let b = bilan(convention, 2024);
    let q = le(date!(2025 - 02 - 01));
    if etat == EtatTransmission::Saisie {
        return b;
    }
    let t = b
        .transmettre(&gestionnaire(), &calendrier(2024), q)
        .unwrap()
        .apres;
    if etat == EtatTransmission::Transmise {
        return t;
    }
    t.valider(&caf38(), q).unwrap().apres
}

const ETATS: [EtatTransmission; 3] = [
    EtatTransmission::Saisie,
    EtatTransmission::Transmise,
    EtatTransmission::Validee,
];

#[test]
fn les_actions_ouvertes_d_une_declaration_sont_celles_que_ses_transitions_acceptent() {
    let (convention, _, _) = convention_signee();
    let q = le(date!(2024 - 03 - 15));
    let mut offertes = 0;
    for etat in ETATS {
        let d = declaration_a(&convention, etat);
        for (nom, acteur) in tous_les_acteurs() {
            let ouvertes = d.actions_ouvertes(&acteur);
            let acceptees = [
                (
                    Ouverte::Transmettre,
                    d.transmettre(&acteur, &calendrier(2024), &portes(&convention, &d), q)
                        .is_ok(),
                ),
                (
                    Ouverte::Valider,
                    valider(&d, &acteur, &convention, &[], q).is_ok(),
                ),
                (
                    Ouverte::Renvoyer,
                    d.renvoyer(&acteur, "À revoir", q).is_ok(),
                ),
            ];
            for (action, acceptee) in acceptees {
                assert_eq!(
                    ouvertes.contains(&action),
                    acceptee,
                    "{action:?} par {nom} sur une déclaration {etat:?}"
                );
                offertes += usize::from(acceptee);
            }
        }
    }
    // Transmettre (saisie, gestionnaire), valider and renvoyer (transmise, Caf 38).
    assert_eq!(offertes, 3);
}

#[test]
fn les_actions_ouvertes_d_un_bilan_sont_celles_que_ses_transitions_acceptent() {
    let (convention, _, _) = convention_signee();
    let q = le(date!(2025 - 02 - 01));
    let mut offertes = 0;
    for etat in ETATS {
        let b = bilan_a(&convention, etat);
        for (nom, acteur) in tous_les_acteurs() {
            let ouvertes = b.actions_ouvertes(&acteur);
            let acceptees = [
                (
                    Ouverte::Transmettre,
                    b.transmettre(&acteur, &calendrier(2024), q).is_ok(),
                ),
                (Ouverte::Valider, b.valider(&acteur, q).is_ok()),
                (
                    Ouverte::Renvoyer,
                    b.renvoyer(&acteur, "À revoir", q).is_ok(),
                ),
            ];
            for (action, acceptee) in acceptees {
                assert_eq!(
                    ouvertes.contains(&action),
                    acceptee,
                    "{action:?} par {nom} sur un bilan {etat:?}"
                );
                offertes += usize::from(acceptee);
            }
        }
    }
    assert_eq!(offertes, 3);
}

#[test]
fn les_actions_ouvertes_d_une_convention_sont_celles_que_ses_transitions_acceptent() {
    let (projet, dossier, _) = convention_projet();
    let (signee, _, _) = convention_signee();
    let signee_par_la_structure = projet
        .signer_par_gestionnaire(
            &gestionnaire(),
            &dossier,
            "Camille Martin",
            true,
            le(date!(2024 - 03 - 02)),
        )
        .unwrap()
        .apres;
    let mut offertes = 0;
    for (jour, convention) in [
        (date!(2024 - 03 - 04), &projet),
        (date!(2024 - 03 - 04), &signee_par_la_structure),
        (date!(2024 - 03 - 10), &signee),
        // After its end, a convention in projet can no longer be signed by the structure.
        (date!(2026 - 01 - 05), &projet),
    ] {
        let q = le(jour);
        for (nom, acteur) in tous_les_acteurs() {
            let ouvertes = convention.actions_ouvertes(&acteur, jour);
            let acceptees = [
                (
                    ActionConvention::SignerParGestionnaire,
                    convention
                        .signer_par_gestionnaire(&acteur, &dossier, "Camille Martin", true, q)
                        .is_ok(),
                ),
                (
                    ActionConvention::Signer,
                    convention
                        .signer(&acteur, &dossier, jour.min(convention.fin), q)
                        .is_ok(),
                ),
                (
                    ActionConvention::SaisirDeclaration,
                    Declaration::saisir(
                        DeclarationId(9),
                        &acteur,
                        convention,
                        2024,
                        NatureDeclaration::Previsionnelle,
                        donnees("80 000", "1,5", 10),
                        q,
                    )
                    .is_ok(),
                ),
                (
                    ActionConvention::SaisirBilan,
                    Bilan::saisir(BilanId(9), &acteur, convention, 2024, contenu_bilan(), q)
                        .is_ok(),
                ),
            ];
            for (action, acceptee) in acceptees {
                assert_eq!(
                    ouvertes.contains(&action),
                    acceptee,
                    "{action:?} par {nom} sur la convention {:?} le {jour}",
                    convention.etat
                );
                offertes += usize::from(acceptee);
            }
        }
    }
    assert!(offertes >= 6, "{offertes}");
}
