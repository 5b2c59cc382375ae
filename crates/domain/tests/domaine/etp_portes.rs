//! FTE carried by people (Référentiel national de financement de l'AIP, §III.2 and §VI.2): a
//! declaration cannot claim more FTE than the structure's qualified salaried intervenants carry
//! over its months of operation, and the Caf's « ETP validés » at the réelle change the right.

use domain::declaration::{EtpValides, NatureDeclaration};
use domain::structures::{Diplome, EtpPortes, StatutIntervenant};
use time::macros::date;

use crate::commun::*;

fn portes_de(
    intervenants: &[domain::structures::Intervenant],
    d: &domain::declaration::Declaration,
) -> EtpPortes {
    let (convention, _, _) = convention_signee();
    EtpPortes::calculer(
        intervenants,
        &convention,
        d.exercice,
        d.donnees.mois_fonctionnement,
        &seuils(d.exercice),
        date!(2024 - 03 - 15),
    )
}

#[test]
fn une_declaration_au_dela_des_intervenants_est_refusee_en_nommant_l_ecart() {
    let (convention, _, _) = convention_signee();
    let prev = declaration(
        &convention,
        1,
        NatureDeclaration::Previsionnelle,
        2024,
        donnees("80 000", "1,5", 10),
    );
    let q = le(date!(2024 - 03 - 15));
    // One full time carries one FTE: 1.5 declared is refused, the gap named.
    let un = portes_de(&[psychologue(1, "1", date!(2023 - 09 - 01), None)], &prev);
    assert_eq!(un.moyenne_fr(), "1");
    let r = refus(
        prev.transmettre(&gestionnaire(), &calendrier(2024), &un, q),
        "invalide",
        "il manque 0,5 ETP",
    );
    assert!(r.raison().contains("§III.2"), "{}", r.raison());
    // A volunteer or a coach carries nothing, and is named among those who do not count.
    let mut benevole = psychologue(2, "1", date!(2023 - 09 - 01), None);
    benevole.statut = StatutIntervenant::Benevole;
    let mut coach = psychologue(3, "1", date!(2023 - 09 - 01), None);
    coach.diplome = Diplome::CoachUniquement;
    let avec_exclus = portes_de(
        &[
            psychologue(1, "1", date!(2023 - 09 - 01), None),
            benevole,
            coach,
        ],
        &prev,
    );
    let r = refus(
        prev.transmettre(&gestionnaire(), &calendrier(2024), &avec_exclus, q),
        "invalide",
        "il manque 0,5 ETP",
    );
    assert!(
        r.raison().contains("Prénom2 Nom2") && r.raison().contains("Prénom3 Nom3"),
        "{}",
        r.raison()
    );
    // Two half times and a full time: enough.
    let assez = portes_de(
        &[
            psychologue(1, "1", date!(2023 - 09 - 01), None),
            psychologue(2, "0,5", date!(2023 - 09 - 01), None),
        ],
        &prev,
    );
    assert!(
        prev.transmettre(&gestionnaire(), &calendrier(2024), &assez, q)
            .is_ok()
    );
}

#[test]
fn un_contrat_ne_porte_que_les_mois_qu_il_couvre() {
    let (convention, _, _) = convention_signee();
    // Ten months of operation in 2024: March to December.
    let prev = declaration(
        &convention,
        1,
        NatureDeclaration::Previsionnelle,
        2024,
        donnees("80 000", "1,5", 10),
    );
    // A full time all year and another from 1 August: 1 + 5/10 = 1.5 over the ten months.
    let portes = portes_de(
        &[
            psychologue(1, "1", date!(2023 - 09 - 01), None),
            psychologue(2, "1", date!(2024 - 08 - 01), None),
        ],
        &prev,
    );
    assert_eq!(portes.mois, 10);
    assert_eq!(portes.moyenne_fr(), "1,5");
    assert_eq!(portes.parts[1].mois_sous_contrat, 5);
    assert!(
        prev.transmettre(
            &gestionnaire(),
            &calendrier(2024),
            &portes,
            le(date!(2024 - 03 - 15))
        )
        .is_ok()
    );
    // Ending on 31 May instead: 1 + 3/10.
    let parti = portes_de(
        &[
            psychologue(1, "1", date!(2023 - 09 - 01), None),
            psychologue(2, "1", date!(2023 - 09 - 01), Some(date!(2024 - 05 - 31))),
        ],
        &prev,
    );
    assert_eq!(parti.moyenne_fr(), "1,3");
    refus(
        prev.transmettre(
            &gestionnaire(),
            &calendrier(2024),
            &parti,
            le(date!(2024 - 03 - 15)),
        ),
        "invalide",
        "il manque 0,2 ETP",
    );
}

#[test]
fn les_etp_valides_par_la_caf_changent_le_droit() {
    let (convention, _, _) = convention_signee();
    let parametres = referentiel::parametres::Parametres::embarques().unwrap();
    let p = referentiel::aip::ParametresAip::pour_exercice(&parametres, 2024).unwrap();
    let reelle = declaration(
        &convention,
        2,
        NatureDeclaration::Reelle,
        2024,
        donnees("85 000", "1,5", 10),
    );
    let q = le(date!(2025 - 01 - 10));
    let transmise = reelle
        .transmettre(
            &gestionnaire(),
            &calendrier(2024),
            &portes(&convention, &reelle),
            q,
        )
        .unwrap()
        .apres;
    let telle_quelle = transmise
        .valider(&caf38(), &convention, &p, &[], q)
        .unwrap()
        .apres;
    let reduite = transmise
        .valider_etp(
            &caf38(),
            &convention,
            &p,
            &[],
            Some(EtpValides {
                etp: etp("1"),
                motivation: "640 heures d'entretien pour 1,5 ETP : un seul ETP justifié".into(),
            }),
            q,
        )
        .unwrap();
    let avant = telle_quelle.droit.unwrap();
    let apres = reduite.apres.droit.clone().unwrap();
    assert!(apres.montant < avant.montant, "{apres:?} / {avant:?}");
    assert_eq!(apres.etp_valides.as_ref().unwrap().etp, etp("1"));
    assert!(
        reduite
            .audit
            .changements
            .iter()
            .any(|c| c.champ == "etp_valides"),
        "{:?}",
        reduite.audit
    );
    // Validating as many as declared is an ordinary validation.
    let memes = transmise
        .valider_etp(
            &caf38(),
            &convention,
            &p,
            &[],
            Some(EtpValides {
                etp: etp("1,5"),
                motivation: String::new(),
            }),
            q,
        )
        .unwrap()
        .apres;
    assert_eq!(memes.droit.unwrap().montant, avant.montant);
    // More than declared, or fewer without a reason, is refused.
    refus(
        transmise.valider_etp(
            &caf38(),
            &convention,
            &p,
            &[],
            Some(EtpValides {
                etp: etp("2"),
                motivation: "x".into(),
            }),
            q,
        ),
        "invalide",
        "dépasse les 1,5 ETP déclarés",
    );
    refus(
        transmise.valider_etp(
            &caf38(),
            &convention,
            &p,
            &[],
            Some(EtpValides {
                etp: etp("1"),
                motivation: " ".into(),
            }),
            q,
        ),
        "motif_obligatoire",
        "",
    );
}

#[test]
fn les_etp_valides_ne_se_fixent_qu_a_la_reelle() {
    let (convention, _, _) = convention_signee();
    let parametres = referentiel::parametres::Parametres::embarques().unwrap();
    let p = referentiel::aip::ParametresAip::pour_exercice(&parametres, 2024).unwrap();
    let prev = declaration(
        &convention,
        1,
        NatureDeclaration::Previsionnelle,
        2024,
        donnees("80 000", "1,5", 10),
    );
    let q = le(date!(2024 - 03 - 15));
    let transmise = prev
        .transmettre(
            &gestionnaire(),
            &calendrier(2024),
            &portes(&convention, &prev),
            q,
        )
        .unwrap()
        .apres;
    refus(
        transmise.valider_etp(
            &caf38(),
            &convention,
            &p,
            &[],
            Some(EtpValides {
                etp: etp("1"),
                motivation: "moins d'activité".into(),
            }),
            q,
        ),
        "invalide",
        "à la déclaration réelle",
    );
}
