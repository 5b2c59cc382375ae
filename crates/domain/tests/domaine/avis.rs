//! The funders' opinions before the comité: who may give one, when, what must be said, and that
//! a new opinion replaces the previous one.

use domain::dossier::{ActionDossier, EtatDossier, SaisieAvis, SensAvis};
use domain::structures::{Financeur, NatureFinanceur};
use time::macros::date;

use crate::commun::*;

fn departemental() -> Financeur {
    Financeur {
        id: DEPARTEMENTAL,
        nom: "Conseil départemental de l'Isère".to_owned(),
        nature: NatureFinanceur::ConseilDepartemental,
        departement: d("38"),
    }
}

fn saisie(sens: SensAvis, commentaire: &str) -> SaisieAvis {
    SaisieAvis {
        sens,
        montant_envisage: Some(euros("5 000")),
        commentaire: commentaire.to_owned(),
    }
}

#[test]
fn le_financeur_donne_son_avis_en_comite_et_le_redonne() {
    let (dossier, _) = dossier_a(EtatDossier::PresenteEnComite);
    let f = departemental();
    assert!(dossier.peut(&financeur38(), ActionDossier::DonnerAvis));
    let t = dossier
        .donner_avis(
            &financeur38(),
            &f,
            saisie(SensAvis::Favorable, ""),
            le(date!(2024 - 02 - 01)),
        )
        .unwrap();
    assert_eq!(t.apres.version, dossier.version + 1);
    assert_eq!(t.apres.etat, EtatDossier::PresenteEnComite);
    assert_eq!(t.audit.action, "donner_avis");
    assert!(
        t.audit
            .description
            .contains("Conseil départemental de l'Isère"),
        "{}",
        t.audit.description
    );
    let t = t
        .apres
        .donner_avis(
            &financeur38(),
            &f,
            saisie(SensAvis::Reserve, "sous réserve du diagnostic partagé"),
            le(date!(2024 - 02 - 02)),
        )
        .unwrap();
    assert_eq!(t.apres.avis_financeurs.len(), 1);
    assert_eq!(t.apres.avis_de(f.id).unwrap().sens, SensAvis::Reserve);
}

#[test]
fn un_avis_reserve_ou_defavorable_dit_pourquoi() {
    let (dossier, _) = dossier_a(EtatDossier::PresenteEnComite);
    let r = refus(
        dossier.donner_avis(
            &financeur38(),
            &departemental(),
            saisie(SensAvis::Defavorable, "  "),
            le(date!(2024 - 02 - 01)),
        ),
        "champ",
        "raisons",
    );
    assert_eq!(r.champ(), Some("commentaire"));
}

#[test]
fn seul_le_financeur_lui_meme_avant_la_decision() {
    let f = departemental();
    let quand = le(date!(2024 - 02 - 01));
    let (en_instruction, _) = dossier_a(EtatDossier::EnInstruction);
    assert!(!en_instruction.peut(&financeur38(), ActionDossier::DonnerAvis));
    refus(
        en_instruction.donner_avis(&financeur38(), &f, saisie(SensAvis::Favorable, ""), quand),
        "etat",
        "présenté en comité",
    );
    let (en_comite, _) = dossier_a(EtatDossier::PresenteEnComite);
    for (nom, acteur) in tous_les_acteurs() {
        let r = en_comite.donner_avis(&acteur, &f, saisie(SensAvis::Favorable, ""), quand);
        match nom {
            "financeur38" => assert!(r.is_ok(), "{r:?}"),
            "autre_financeur38" => assert_eq!(r.unwrap_err().code(), "financeur"),
            "financeur30" => assert_eq!(r.unwrap_err().code(), "territoire"),
            "cnaf" => assert_eq!(r.unwrap_err().code(), "cnaf_consultation"),
            _ => assert_eq!(r.unwrap_err().code(), "role", "{nom}"),
        }
        assert_eq!(
            en_comite.peut(&acteur, ActionDossier::DonnerAvis),
            nom == "financeur38" || nom == "autre_financeur38"
        );
    }
}

/// The actions a page offers are those the transitions accept: for every state and every actor,
/// `peut` says yes exactly when the transition is not refused for who acts or for the state.
#[test]
fn les_actions_ouvertes_sont_celles_que_les_transitions_acceptent() {
    let quand = le(date!(2024 - 02 - 01));
    let date_comite = date!(2024 - 03 - 01);
    for etat in EtatDossier::TOUS {
        let (dossier, _) = dossier_a(etat);
        for (nom, acteur) in tous_les_acteurs() {
            let essais: [(ActionDossier, Result<(), domain::Refus>); 6] = [
                (
                    ActionDossier::PrendreEnInstruction,
                    dossier.prendre_en_instruction(&acteur, quand).map(|_| ()),
                ),
                (
                    ActionDossier::DemanderComplement,
                    dossier
                        .demander_complement(&acteur, "le budget détaillé", quand)
                        .map(|_| ()),
                ),
                (
                    ActionDossier::PresenterEnComite,
                    dossier
                        .presenter_en_comite(&acteur, date_comite, quand)
                        .map(|_| ()),
                ),
                (
                    ActionDossier::ClasserSansSuite,
                    dossier
                        .classer_sans_suite(&acteur, "projet abandonné", quand)
                        .map(|_| ()),
                ),
                (
                    ActionDossier::Retirer,
                    dossier.retirer(&acteur, None, quand).map(|_| ()),
                ),
                (
                    ActionDossier::DonnerAvis,
                    dossier
                        .donner_avis(
                            &acteur,
                            &departemental(),
                            saisie(SensAvis::Favorable, ""),
                            quand,
                        )
                        .map(|_| ()),
                ),
            ];
            for (action, resultat) in essais {
                let refuse_pour_qui_ou_quand = resultat
                    .as_ref()
                    .err()
                    .is_some_and(|r| r.est_un_refus_d_acces() || r.code() == "etat");
                // The other funder of the département may give its own opinion, not the
                // département's: the guard opens the form, the record is refused.
                if action == ActionDossier::DonnerAvis && nom == "autre_financeur38" {
                    continue;
                }
                assert_eq!(
                    dossier.peut(&acteur, action),
                    !refuse_pour_qui_ou_quand,
                    "{nom}, {etat:?}, {action:?}: {resultat:?}"
                );
            }
            assert_eq!(
                dossier.actions_ouvertes(&acteur),
                ActionDossier::TOUTES
                    .into_iter()
                    .filter(|a| dossier.peut(&acteur, *a))
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// What the comité's agenda counts for an AIP project: FTE × ceiling × rate, of the exercise it
/// starts in (Référentiel national de financement de l'AIP §VI.1): 1,5 × 66 000 € × 80 %.
#[test]
fn le_montant_maximal_d_un_projet_aip_a_l_ordre_du_jour() {
    let parametres = referentiel::parametres::Parametres::embarques().unwrap();
    let mut projet = projet_complet();
    assert_eq!(
        projet.montant_aip_maximal(&parametres),
        Some(euros("79 200"))
    );
    projet.debut = None;
    assert_eq!(projet.montant_aip_maximal(&parametres), None);
}
