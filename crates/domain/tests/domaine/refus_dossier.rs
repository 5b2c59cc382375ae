//! Every dossier transition refused for the wrong state, the wrong role and the wrong territory
//! or structure, each with its reason; and the content rules of submission and decision.

use domain::decision::{AvisFinanceur, IssueDecision, NotificationEtp, SaisieDecision, SaisiePart};
use domain::dossier::{Dossier, EtatDossier};
use domain::identifiants::*;
use domain::{Acteur, Refus, Transition};
use time::OffsetDateTime;
use time::macros::date;

use crate::commun::*;

type Action = dyn Fn(&Dossier, &Acteur, OffsetDateTime) -> Result<(), Refus>;

/// For one transition: the states that allow it, who may take it, and the transition itself.
struct Cas {
    nom: &'static str,
    etats: &'static [EtatDossier],
    autorise: Autorise,
    quand: OffsetDateTime,
    action: Box<Action>,
}

fn ok<T>(r: Result<T, Refus>) -> Result<(), Refus> {
    r.map(|_| ())
}

fn cas() -> Vec<Cas> {
    use EtatDossier::*;
    let t = le(date!(2024 - 01 - 20));
    vec![
        Cas {
            nom: "modifier",
            etats: &[Brouillon, ComplementDemande],
            autorise: Autorise::Gestionnaire,
            quand: t,
            action: Box::new(|d, a, q| ok(d.modifier(a, projet_complet(), q))),
        },
        Cas {
            nom: "deposer",
            etats: &[Brouillon, ComplementDemande],
            autorise: Autorise::Gestionnaire,
            quand: t,
            action: Box::new(|d, a, q| ok(d.deposer(a, &appel(), &admissible(), q))),
        },
        Cas {
            nom: "prendre_en_instruction",
            etats: &[Depose],
            autorise: Autorise::Caf,
            quand: t,
            action: Box::new(|d, a, q| ok(d.prendre_en_instruction(a, q))),
        },
        Cas {
            nom: "demander_complement",
            etats: &[EnInstruction],
            autorise: Autorise::Caf,
            quand: t,
            action: Box::new(|d, a, q| {
                ok(d.demander_complement(a, "Joindre le budget détaillé", q))
            }),
        },
        Cas {
            nom: "presenter_en_comite",
            etats: &[EnInstruction],
            autorise: Autorise::Caf,
            quand: t,
            action: Box::new(|d, a, q| ok(d.presenter_en_comite(a, DATE_COMITE, q))),
        },
        Cas {
            nom: "enregistrer_decision",
            etats: &[PresenteEnComite],
            autorise: Autorise::Caf,
            quand: le(date!(2024 - 02 - 16)),
            action: Box::new(|d, a, q| {
                ok(d.enregistrer_decision(
                    a,
                    DecisionId(5),
                    saisie_validation(),
                    &Ok(admissible()),
                    q,
                ))
            }),
        },
        Cas {
            nom: "classer_sans_suite",
            etats: &[Depose, EnInstruction, ComplementDemande, PresenteEnComite],
            autorise: Autorise::Caf,
            quand: t,
            action: Box::new(|d, a, q| ok(d.classer_sans_suite(a, "Gestionnaire injoignable", q))),
        },
        Cas {
            nom: "retirer",
            etats: &[
                Brouillon,
                Depose,
                EnInstruction,
                ComplementDemande,
                PresenteEnComite,
            ],
            autorise: Autorise::Gestionnaire,
            quand: t,
            action: Box::new(|d, a, q| ok(d.retirer(a, None, q))),
        },
    ]
}

fn acteur_autorise(autorise: Autorise) -> Acteur {
    match autorise {
        Autorise::Caf => caf38(),
        Autorise::Gestionnaire => gestionnaire(),
    }
}

#[test]
fn chaque_transition_refusee_hors_de_ses_etats() {
    for cas in cas() {
        for etat in EtatDossier::TOUS {
            let (dossier, _) = dossier_a(etat);
            let r = (cas.action)(&dossier, &acteur_autorise(cas.autorise), cas.quand);
            if cas.etats.contains(&etat) {
                assert!(r.is_ok(), "{} depuis {}: {:?}", cas.nom, etat.code(), r);
            } else {
                let e = refus(r, "etat", &format!("« {} »", etat.libelle()));
                assert!(e.raison().contains("état requis"), "{e}");
            }
        }
    }
}

#[test]
fn chaque_transition_refusee_aux_autres_roles_et_territoires() {
    for cas in cas() {
        let etat = cas.etats[0];
        let (dossier, _) = dossier_a(etat);
        verifier_acces(cas.autorise, |acteur| {
            (cas.action)(&dossier, acteur, cas.quand)
        });
    }
}

#[test]
fn raisons_lisibles() {
    let (dossier, _) = dossier_a(EtatDossier::Depose);
    let e = dossier
        .prendre_en_instruction(&gestionnaire(), le(date!(2024 - 01 - 20)))
        .unwrap_err();
    assert_eq!(
        e.raison(),
        "Prendre le dossier en instruction : action réservée aux agents de la Caf du département (votre rôle : gestionnaire)"
    );
    let e = dossier
        .prendre_en_instruction(&caf30(), le(date!(2024 - 01 - 20)))
        .unwrap_err();
    assert_eq!(
        e.raison(),
        "Prendre le dossier en instruction : le département 38 n'est pas dans votre périmètre"
    );
    let e = dossier
        .prendre_en_instruction(&cnaf(), le(date!(2024 - 01 - 20)))
        .unwrap_err();
    assert_eq!(
        e.raison(),
        "Prendre le dossier en instruction : la Cnaf consulte les dossiers des Caf mais n'agit pas sur eux"
    );
    let e = dossier
        .modifier(&gestionnaire(), projet_complet(), le(date!(2024 - 01 - 20)))
        .unwrap_err();
    assert_eq!(
        e.raison(),
        "Modifier le dossier : le dossier est à l'état « déposé » (état requis : « brouillon » ou « complément demandé »)"
    );
    assert_eq!(e.to_string(), e.raison());
}

#[test]
fn creation_reservee_au_gestionnaire_de_la_structure_avant_cloture() {
    let appel = appel();
    let creer = |acteur: &Acteur| {
        Dossier::creer(
            DossierId(2),
            acteur,
            &appel,
            GESTIONNAIRE,
            projet_complet(),
            le(date!(2024 - 01 - 05)),
        )
    };
    verifier_acces(Autorise::Gestionnaire, creer);
    refus(
        Dossier::creer(
            DossierId(2),
            &gestionnaire(),
            &appel,
            GESTIONNAIRE,
            projet_complet(),
            le(date!(2024 - 02 - 01)),
        ),
        "appel_ferme",
        "ouvert du 01/11/2023 au 31/01/2024",
    );
    let mut incoherent = projet_complet();
    incoherent.fin = Some(date!(2024 - 01 - 01));
    refus(
        Dossier::creer(
            DossierId(2),
            &gestionnaire(),
            &appel,
            GESTIONNAIRE,
            incoherent,
            le(date!(2024 - 01 - 05)),
        ),
        "invalide",
        "avant de commencer",
    );
}

#[test]
fn depot_seulement_pendant_l_ouverture_de_l_appel() {
    let (brouillon, _) = dossier_a(EtatDossier::Brouillon);
    let appel = appel();
    for jour in [date!(2023 - 10 - 31), date!(2024 - 02 - 01)] {
        refus(
            brouillon.deposer(&gestionnaire(), &appel, &admissible(), le(jour)),
            "appel_ferme",
            "appel à projets est ouvert",
        );
    }
    assert!(
        brouillon
            .deposer(
                &gestionnaire(),
                &appel,
                &admissible(),
                le(date!(2023 - 11 - 01))
            )
            .is_ok()
    );
    assert!(
        brouillon
            .deposer(
                &gestionnaire(),
                &appel,
                &admissible(),
                le(date!(2024 - 01 - 31))
            )
            .is_ok()
    );
    // An answer to a request for information may come after the closing.
    let (complement, _) = dossier_a(EtatDossier::ComplementDemande);
    assert!(
        complement
            .deposer(
                &gestionnaire(),
                &appel,
                &admissible(),
                le(date!(2024 - 03 - 01))
            )
            .is_ok()
    );
    // Another call: refused.
    let mut autre = appel.clone();
    autre.id = AppelAProjetsId(99);
    refus(
        brouillon.deposer(
            &gestionnaire(),
            &autre,
            &admissible(),
            le(date!(2024 - 01 - 10)),
        ),
        "incoherence",
        "appel à projets",
    );
}

#[test]
fn depot_d_un_projet_non_conforme() {
    let appel = appel();
    let quand = le(date!(2024 - 01 - 10));
    let depot = |modifier: &dyn Fn(&mut domain::dossier::ProjetFonctionnement)| {
        let (brouillon, _) = dossier_a(EtatDossier::Brouillon);
        let mut projet = projet_complet();
        modifier(&mut projet);
        let brouillon = brouillon
            .modifier(&gestionnaire(), projet, quand)
            .unwrap()
            .apres;
        brouillon.deposer(&gestionnaire(), &appel, &admissible(), quand)
    };
    refus(
        depot(&|p| p.etp_demandes = etp("0,2")),
        "champ",
        "au moins 0,25 ETP",
    );
    refus(
        depot(&|p| p.fin = Some(date!(2026 - 06 - 30))),
        "champ",
        "celle de l'appel à projets",
    );
    refus(
        depot(&|p| p.budget.produits.pop().map(|_| ()).unwrap_or(())),
        "champ",
        "équilibré",
    );
    let e = refus(
        depot(&|p| {
            p.lieux.clear();
            p.diagnostic_local = " ".into();
        }),
        "incomplet",
        "lieux d'accueil",
    );
    assert!(e.raison().contains("diagnostic local"));
    // Every problem of the project at once, each naming its field.
    let e = refus(
        depot(&|p| {
            p.etp_demandes = etp("0,2");
            p.fin = Some(date!(2026 - 06 - 30));
            p.budget.produits.pop();
            p.objectifs = String::new();
        }),
        "plusieurs",
        "à compléter : objectifs",
    );
    let champs: Vec<Option<&str>> = e.un_par_un().iter().map(|r| r.champ()).collect();
    assert_eq!(
        champs,
        [None, Some("debut"), Some("etp_demandes"), Some("budget")],
        "{e}"
    );
}

#[test]
fn motifs_obligatoires() {
    let (instruit, _) = dossier_a(EtatDossier::EnInstruction);
    let q = le(date!(2024 - 01 - 21));
    refus(
        instruit.demander_complement(&caf38(), "  ", q),
        "motif_obligatoire",
        "motif est obligatoire",
    );
    refus(
        instruit.classer_sans_suite(&caf38(), "", q),
        "motif_obligatoire",
        "Classer le dossier sans suite",
    );
    let retrait: Transition<Dossier> = instruit.retirer(&gestionnaire(), Some("  "), q).unwrap();
    assert_eq!(retrait.apres.motif_cloture, None);
    assert_eq!(retrait.apres.etat, EtatDossier::Retire);
}

#[test]
fn decision_du_comite() {
    let (presente, _) = dossier_a(EtatDossier::PresenteEnComite);
    let q = le(date!(2024 - 02 - 16));
    let enregistrer = |saisie: SaisieDecision| {
        presente.enregistrer_decision(&caf38(), DecisionId(2), saisie, &Ok(admissible()), q)
    };
    let mut s = saisie_validation();
    s.notification = None;
    refus(enregistrer(s), "incomplet", "ETP notifiés");
    let mut s = saisie_validation();
    s.notification = Some(NotificationEtp {
        etp: etp("0,2"),
        date_effet: date!(2024 - 03 - 01),
    });
    refus(enregistrer(s), "invalide", "au moins 0,25 ETP");
    let mut s = saisie_validation();
    s.notification = Some(NotificationEtp {
        etp: etp("1"),
        date_effet: date!(2026 - 01 - 01),
    });
    refus(enregistrer(s), "invalide", "période de l'expérimentation");
    let mut s = saisie_validation();
    s.motivation = String::new();
    refus(enregistrer(s), "motif_obligatoire", "motif");
    let refus_avec_etp = SaisieDecision {
        issue: IssueDecision::Refuse,
        motivation: "Hors critères".into(),
        notification: Some(NotificationEtp {
            etp: etp("1"),
            date_effet: date!(2024 - 03 - 01),
        }),
        part_caf: None,
        derogation_engagements: None,
    };
    refus(
        enregistrer(refus_avec_etp),
        "invalide",
        "ne notifie pas d'ETP",
    );
    let refus_finance = SaisieDecision {
        issue: IssueDecision::Refuse,
        motivation: "Hors critères".into(),
        notification: None,
        part_caf: Some(SaisiePart {
            avis: AvisFinanceur::Accorde,
            montant: euros("1 000"),
            motivation: String::new(),
        }),
        derogation_engagements: None,
    };
    refus(enregistrer(refus_finance), "invalide", "projet refusé");

    // Postponed: back to instruction, to be presented again.
    let ajourne = SaisieDecision {
        issue: IssueDecision::Ajourne,
        motivation: "Attendre le diagnostic du schéma départemental".into(),
        notification: None,
        part_caf: None,
        derogation_engagements: None,
    };
    let r = enregistrer(ajourne).unwrap();
    assert_eq!(r.dossier.apres.etat, EtatDossier::EnInstruction);
    assert_eq!(r.decision.apres.issue, IssueDecision::Ajourne);
    assert_eq!(r.decision.apres.engagement_caf(), euros("0"));
    assert!(
        r.dossier
            .apres
            .presenter_en_comite(&caf38(), date!(2024 - 03 - 15), q)
            .is_ok()
    );
}

#[test]
fn chaque_financeur_n_enregistre_que_sa_decision() {
    use domain::structures::Cofinanceur;
    let (_, decision) = dossier_valide();
    let q = le(date!(2024 - 02 - 20));
    let part = || SaisiePart {
        avis: AvisFinanceur::Accorde,
        montant: euros("40 000"),
        motivation: String::new(),
    };
    let partenaire = Cofinanceur::Partenaire(DEPARTEMENTAL);
    for (nom, acteur) in tous_les_acteurs() {
        let r = decision.enregistrer_part(&acteur, partenaire, part(), q);
        match nom {
            "financeur38" => assert!(r.is_ok()),
            "cnaf" => {
                refus(r, "cnaf_consultation", "Cnaf");
            }
            "financeur30" => {
                refus(r, "territoire", "département 38");
            }
            "autre_financeur38" => {
                refus(r, "financeur", "sa propre décision");
            }
            _ => {
                refus(r, "role", "réservée aux financeurs");
            }
        }
    }
    // The Caf's share is the Caf's: a funder cannot record it, and it is already recorded.
    refus(
        decision.enregistrer_part(&financeur38(), Cofinanceur::Caf, part(), q),
        "financeur",
        "sa propre décision",
    );
    refus(
        decision.enregistrer_part(&caf38(), Cofinanceur::Caf, part(), q),
        "deja_enregistre",
        "déjà enregistré",
    );
    // Once recorded, a funder's decision is not recorded again.
    let avec = decision
        .enregistrer_part(&financeur38(), partenaire, part(), q)
        .unwrap()
        .apres;
    refus(
        avec.enregistrer_part(&financeur38(), partenaire, part(), q),
        "deja_enregistre",
        "déjà enregistré",
    );
    // A refusal has no amount.
    let refuse = SaisiePart {
        avis: AvisFinanceur::Refuse,
        montant: euros("10"),
        motivation: "Pas de crédits".into(),
    };
    refus(
        decision.enregistrer_part(&financeur38(), partenaire, refuse, q),
        "invalide",
        "montant nul",
    );
    // No share on a postponed decision.
    let mut ajournee = decision.clone();
    ajournee.issue = IssueDecision::Ajourne;
    refus(
        ajournee.enregistrer_part(&financeur38(), partenaire, part(), q),
        "etat",
        "ajournée",
    );
}

#[test]
fn publier_un_appel_a_projets() {
    use domain::appel_a_projets::{AppelAProjets, Dispositif, NouvelAppel};
    let nouvel = |departement: &str, dispositif, fin| NouvelAppel {
        departement: d(departement),
        dispositif,
        intitule: "Appel 2024".into(),
        debut_periode: date!(2024 - 01 - 01),
        fin_periode: fin,
        ouverture: date!(2023 - 11 - 01),
        cloture: date!(2024 - 01 - 31),
    };
    let q = le(date!(2023 - 10 - 15));
    let publier = |a: &Acteur, n| AppelAProjets::publier(AppelAProjetsId(1), a, n, q);
    verifier_acces(Autorise::Caf, |a| {
        publier(a, nouvel("38", Dispositif::Aip, date!(2025 - 12 - 31)))
    });
    let publie = publier(
        &caf38(),
        nouvel("38", Dispositif::Aip, date!(2025 - 12 - 31)),
    )
    .unwrap();
    assert_eq!(publie.audit.action, "publier");
    // AIP: only in the ten départements, only within 2024-2025.
    let caf75 = Acteur::caf(UtilisateurId(12), [d("75")]);
    refus(
        publier(&caf75, nouvel("75", Dispositif::Aip, date!(2025 - 12 - 31))),
        "invalide",
        "ne fait pas partie de l'expérimentation",
    );
    assert!(
        publier(
            &caf75,
            nouvel("75", Dispositif::Reaap, date!(2026 - 12 - 31))
        )
        .is_ok()
    );
    refus(
        publier(
            &caf38(),
            nouvel("38", Dispositif::Aip, date!(2026 - 12 - 31)),
        ),
        "invalide",
        "du 01/01/2024 au 31/12/2025",
    );
    let mut a_l_envers = nouvel("38", Dispositif::Aip, date!(2025 - 12 - 31));
    a_l_envers.cloture = date!(2023 - 10 - 01);
    refus(
        publier(&caf38(), a_l_envers),
        "invalide",
        "la clôture précède l'ouverture",
    );
    let mut sans_titre = nouvel("38", Dispositif::Aip, date!(2025 - 12 - 31));
    sans_titre.intitule = " ".into();
    refus(publier(&caf38(), sans_titre), "incomplet", "intitulé");
}

/// Référentiel national de financement de l'AIP, §II.2: a PAEJ, a maison des adolescents, a PRE
/// service or a structure of another status is excluded « quel que soit son statut »: no proof of
/// admissibility, so no submission, validation, convention or payment; the comité may still
/// refuse its dossier.
#[test]
fn une_structure_exclue_ne_peut_etre_ni_deposee_ni_validee() {
    use domain::appel_a_projets::Dispositif;
    use domain::structures::{StatutJuridique, TypeActivite};
    for activite in [
        TypeActivite::Paej,
        TypeActivite::MaisonDesAdolescents,
        TypeActivite::ProgrammeReussiteEducative,
        TypeActivite::ServiceSpecialiseMedicoSocial,
    ] {
        let exclue = structure(activite).admissible(Dispositif::Aip, "Déposer le dossier");
        let r = refus(exclue, "non_eligible", "quel que soit le statut");
        assert!(r.raison().contains("§II.2"), "{}", r.raison());
        // Other schemes carry no such exclusion.
        assert!(
            structure(activite)
                .admissible(Dispositif::Reaap, "test")
                .is_ok()
        );
    }
    let mut autre_statut = structure(TypeActivite::Generaliste);
    autre_statut.statut = StatutJuridique::Autre;
    refus(
        autre_statut.admissible(Dispositif::Aip, "Déposer le dossier"),
        "non_eligible",
        "seuls sont éligibles",
    );
    // A recognised association with another purpose is eligible as an association.
    let mut rup = structure(TypeActivite::Generaliste);
    rup.statut = StatutJuridique::AssociationRupAutre;
    assert!(rup.admissible(Dispositif::Aip, "test").is_ok());

    // The comité cannot validate the dossier of an excluded structure; it can refuse it.
    let (presente, _) = dossier_a(EtatDossier::PresenteEnComite);
    let exclue = structure(TypeActivite::Paej).admissible(Dispositif::Aip, "test");
    let q = le(date!(2024 - 02 - 16));
    refus(
        presente.enregistrer_decision(&caf38(), DecisionId(1), saisie_validation(), &exclue, q),
        "non_eligible",
        "PAEJ",
    );
    let refus_du_comite = SaisieDecision {
        issue: IssueDecision::Refuse,
        motivation: "Structure non éligible au référentiel".into(),
        notification: None,
        part_caf: None,
        derogation_engagements: None,
    };
    assert!(
        presente
            .enregistrer_decision(&caf38(), DecisionId(1), refus_du_comite, &exclue, q)
            .is_ok()
    );
    // A proof about another structure is no proof.
    let mut autre = structure(TypeActivite::Generaliste);
    autre.id = AUTRE_GESTIONNAIRE;
    let preuve = autre.admissible(Dispositif::Aip, "test");
    refus(
        presente.enregistrer_decision(&caf38(), DecisionId(1), saisie_validation(), &preuve, q),
        "incoherence",
        "autre structure",
    );
}
