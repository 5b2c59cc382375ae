//! The commitments of an AIP structure: attested by its gestionnaire, checked by the Caf of its
//! département, read by the conformity report, and binding at the comité's validation unless a
//! motivated override is given.

use domain::appel_a_projets::Dispositif;
use domain::audit::TypeEntite;
use domain::decision::IssueDecision;
use domain::dossier::EtatDossier;
use domain::identifiants::DecisionId;
use domain::structures::{
    AvisCaf, Engagement, EtatEngagement, Gestionnaire, SaisieAttestation, TypeActivite,
};
use referentiel::conformite::Verdict;
use time::macros::date;

use crate::commun::*;

const ATTESTE_LE: time::Date = date!(2023 - 12 - 01);

fn atteste(g: &Gestionnaire, e: Engagement, respecte: bool) -> Gestionnaire {
    g.attester(&gestionnaire(), e, &attestation(respecte), le(ATTESTE_LE))
        .unwrap()
        .apres
}

fn controle_par_caf(
    g: &Gestionnaire,
    e: Engagement,
    avis: AvisCaf,
    commentaire: &str,
) -> Gestionnaire {
    g.controler(
        &caf38(),
        e,
        &controle(avis, commentaire),
        le(date!(2023 - 12 - 05)),
    )
    .unwrap()
    .apres
}

#[test]
fn le_gestionnaire_atteste_et_la_caf_controle() {
    let g = structure_sans_engagements(TypeActivite::Generaliste);
    assert_eq!(g.engagements_applicables().len(), 10);
    assert_eq!(
        g.engagements.etat(Engagement::ConformiteRgpd),
        EtatEngagement::NonAtteste
    );
    let t = g
        .attester(
            &gestionnaire(),
            Engagement::ConformiteRgpd,
            &SaisieAttestation {
                piece: Some(42),
                ..attestation(true)
            },
            le(ATTESTE_LE),
        )
        .unwrap();
    assert_eq!(t.audit.entite, TypeEntite::Gestionnaire);
    assert_eq!(t.audit.action, "attester_engagement");
    assert!(
        t.audit.description.contains("RGPD"),
        "{}",
        t.audit.description
    );
    assert!(t.audit.description.contains("01/12/2023"));
    assert!(t.audit.description.contains("§I.3"));
    assert_eq!(t.audit.changements[0].champ, "conformite_rgpd");
    let g = t.apres;
    let suivi = g.engagements.suivi(Engagement::ConformiteRgpd).unwrap();
    let a = suivi.attestation.as_ref().unwrap();
    assert_eq!((a.numero, a.respecte, a.piece), (1, true, Some(42)));
    assert_eq!(a.date, ATTESTE_LE);
    assert_eq!(
        g.engagements.etat(Engagement::ConformiteRgpd),
        EtatEngagement::AControler
    );
    // Attested, not checked: the report still does not count it as met, and says so.
    let r = g.rapport_structure();
    let c = r.constat("rgpd_a_verifier").unwrap();
    assert_eq!(c.verdict, Verdict::Avertissement);
    assert!(
        c.message.contains("attesté respecté le 01/12/2023"),
        "{}",
        c.message
    );
    assert!(c.message.contains("à contrôler"), "{}", c.message);

    let t = g
        .controler(
            &caf38(),
            Engagement::ConformiteRgpd,
            &controle(AvisCaf::Conforme, ""),
            le(date!(2023 - 12 - 05)),
        )
        .unwrap();
    assert_eq!(t.audit.action, "controler_engagement");
    assert!(t.audit.description.contains("contrôlé conforme"));
    let g = t.apres;
    assert_eq!(
        g.engagements.etat(Engagement::ConformiteRgpd),
        EtatEngagement::Controle(AvisCaf::Conforme)
    );
    let r = g.rapport_structure();
    assert_eq!(
        r.constat("rgpd_conforme").unwrap().verdict,
        Verdict::Eligible
    );
    assert!(r.constat("rgpd_a_verifier").is_none());

    // Checked non conforme: the report says non eligible.
    let g = controle_par_caf(
        &g,
        Engagement::ConformiteRgpd,
        AvisCaf::NonConforme,
        "Aucun registre des traitements",
    );
    let r = g.rapport_structure();
    assert_eq!(r.verdict(), Verdict::NonEligible);
    assert!(r.constat("rgpd_non_conforme").is_some());
    let controle = g
        .engagements
        .suivi(Engagement::ConformiteRgpd)
        .unwrap()
        .controle
        .as_ref()
        .unwrap();
    assert_eq!(
        controle.commentaire.as_deref(),
        Some("Aucun registre des traitements")
    );
}

#[test]
fn une_nouvelle_attestation_rend_le_controle_perime() {
    let g = structure_sans_engagements(TypeActivite::Generaliste);
    let g = atteste(&g, Engagement::LocauxConfidentialite, false);
    let g = controle_par_caf(
        &g,
        Engagement::LocauxConfidentialite,
        AvisCaf::NonConforme,
        "Bureau partagé avec l'accueil",
    );
    assert_eq!(
        g.rapport_structure()
            .constat("locaux_sans_confidentialite")
            .map(|c| c.verdict),
        Some(Verdict::NonEligible)
    );
    let g = atteste(&g, Engagement::LocauxConfidentialite, true);
    let suivi = g
        .engagements
        .suivi(Engagement::LocauxConfidentialite)
        .unwrap();
    assert_eq!(suivi.attestation.as_ref().unwrap().numero, 2);
    assert_eq!(suivi.controle.as_ref().unwrap().attestation, 1);
    assert_eq!(
        g.engagements.etat(Engagement::LocauxConfidentialite),
        EtatEngagement::AControlerANouveau
    );
    assert_eq!(
        EtatEngagement::AControlerANouveau.libelle(),
        "à contrôler à nouveau"
    );
    let r = g.rapport_structure();
    assert!(r.constat("locaux_sans_confidentialite").is_none());
    let c = r.constat("locaux_a_verifier").unwrap();
    assert!(c.message.contains("à contrôler à nouveau"), "{}", c.message);
    // The Caf checks the new attestation.
    let g = controle_par_caf(&g, Engagement::LocauxConfidentialite, AvisCaf::Conforme, "");
    assert_eq!(
        g.engagements.etat(Engagement::LocauxConfidentialite),
        EtatEngagement::Controle(AvisCaf::Conforme)
    );
}

#[test]
fn seuls_le_gestionnaire_atteste_et_la_caf_du_departement_controle() {
    let g = structure_sans_engagements(TypeActivite::Generaliste);
    verifier_acces(Autorise::Gestionnaire, |a| {
        g.attester(
            a,
            Engagement::CharteLaicite,
            &attestation(true),
            le(ATTESTE_LE),
        )
    });
    let g = atteste(&g, Engagement::CharteLaicite, true);
    verifier_acces(Autorise::Caf, |a| {
        g.controler(
            a,
            Engagement::CharteLaicite,
            &controle(AvisCaf::Conforme, ""),
            le(ATTESTE_LE),
        )
    });
}

#[test]
fn saisies_refusees() {
    let g = structure_sans_engagements(TypeActivite::Generaliste);
    let q = le(ATTESTE_LE);
    let blanc = SaisieAttestation {
        declaration: " \u{200b} ".into(),
        ..attestation(true)
    };
    refus(
        g.attester(&gestionnaire(), Engagement::CharteLaicite, &blanc, q),
        "incomplet",
        "déclaration",
    );
    let trop_long = SaisieAttestation {
        declaration: "a".repeat(10_001),
        ..attestation(true)
    };
    refus(
        g.attester(&gestionnaire(), Engagement::CharteLaicite, &trop_long, q),
        "invalide",
        "10000 caractères",
    );
    let demain = SaisieAttestation {
        date: date!(2023 - 12 - 02),
        ..attestation(true)
    };
    refus(
        g.attester(&gestionnaire(), Engagement::CharteLaicite, &demain, q),
        "invalide",
        "postérieure",
    );
    // The centre social's conditions apply to a centre social only.
    refus(
        g.attester(
            &gestionnaire(),
            Engagement::CentreSocialEspaceEcouteDistinct,
            &attestation(true),
            q,
        ),
        "incoherence",
        "centre social",
    );
    // Nothing to check before an attestation; a comment for non conforme and à vérifier.
    refus(
        g.controler(
            &caf38(),
            Engagement::CharteLaicite,
            &controle(AvisCaf::Conforme, ""),
            q,
        ),
        "condition",
        "pas encore été attesté",
    );
    let g = atteste(&g, Engagement::CharteLaicite, true);
    for avis in [AvisCaf::NonConforme, AvisCaf::AVerifier] {
        refus(
            g.controler(
                &caf38(),
                Engagement::CharteLaicite,
                &controle(avis, "  "),
                q,
            ),
            "incomplet",
            "commentaire",
        );
    }
}

#[test]
fn centre_social_trois_conditions_de_plus_chacune_dans_le_rapport() {
    let g = structure_sans_engagements(TypeActivite::CentreSocial);
    assert_eq!(g.engagements_applicables().len(), 13);
    let g = atteste(&g, Engagement::CentreSocialEspaceEcouteDistinct, false);
    let g = controle_par_caf(
        &g,
        Engagement::CentreSocialEspaceEcouteDistinct,
        AvisCaf::NonConforme,
        "Écoute dans le hall d'accueil",
    );
    let r = g.rapport_structure();
    assert_eq!(
        r.constat("centre_social_espace_ecoute_non_distinct")
            .map(|c| c.verdict),
        Some(Verdict::NonEligible),
        "{}",
        r.texte()
    );
    // The two others, not checked, stay to check.
    assert!(
        r.constat("centre_social_professionnels_a_verifier")
            .is_some()
    );
    assert!(r.constat("centre_social_competences_a_verifier").is_some());
    let g = engagements_conformes(g);
    let r = g.rapport_structure();
    assert_eq!(r.verdict(), Verdict::Eligible, "{}", r.texte());
}

#[test]
fn les_engagements_se_relisent_et_un_ancien_enregistrement_aussi() {
    let g = structure(TypeActivite::Generaliste);
    let json = serde_json::to_value(&g).unwrap();
    assert_eq!(
        json["engagements"]["conformite_rgpd"]["controle"]["avis"],
        "conforme"
    );
    let relu: Gestionnaire = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(relu, g);
    let mut ancien = json;
    ancien.as_object_mut().unwrap().remove("engagements");
    let relu: Gestionnaire = serde_json::from_value(ancien).unwrap();
    assert_eq!(relu.engagements_non_conformes().len(), 10);
    for e in Engagement::COMMUNS
        .into_iter()
        .chain(Engagement::CENTRE_SOCIAL)
    {
        assert_eq!(Engagement::depuis_code(e.code()), Some(e));
        assert!(
            e.source()
                .starts_with("Référentiel national de financement de l'AIP, §")
        );
    }
}

fn presente() -> domain::dossier::Dossier {
    dossier_a(EtatDossier::PresenteEnComite).0
}

#[test]
fn valider_sans_controle_demande_une_derogation_motivee() {
    let mut g = structure_sans_engagements(TypeActivite::Generaliste);
    g = atteste(&g, Engagement::ConformiteRgpd, true);
    let eligibilite = g.admissible(Dispositif::Aip, "test");
    let preuve = eligibilite.as_ref().unwrap();
    assert_eq!(preuve.engagements_non_conformes().len(), 10);
    let q = le(date!(2024 - 02 - 16));
    let d = presente();
    let r = refus(
        d.enregistrer_decision(
            &caf38(),
            DecisionId(2),
            saisie_validation(),
            &eligibilite,
            q,
        ),
        "condition",
        "dérogation",
    );
    assert!(r.raison().contains("RGPD"), "{r}");
    assert!(r.raison().contains("attesté, à contrôler"), "{r}");
    assert!(r.raison().contains("non attesté"), "{r}");
    let blanche = domain::decision::SaisieDecision {
        derogation_engagements: Some(" \u{a0} ".into()),
        ..saisie_validation()
    };
    refus(
        d.enregistrer_decision(&caf38(), DecisionId(2), blanche, &eligibilite, q),
        "condition",
        "dérogation",
    );
    // Refusing or postponing needs no override.
    let refuse = domain::decision::SaisieDecision {
        issue: IssueDecision::Refuse,
        notification: None,
        part_caf: None,
        ..saisie_validation()
    };
    let r = d
        .enregistrer_decision(&caf38(), DecisionId(2), refuse, &eligibilite, q)
        .unwrap();
    assert_eq!(r.dossier.apres.derogation_engagements, None);

    // With a motivated override: validated, the override on the dossier and in both audits.
    let motivee = domain::decision::SaisieDecision {
        derogation_engagements: Some(
            "Structure historique du Reaap, contrôle sur place programmé en mars".into(),
        ),
        ..saisie_validation()
    };
    let r = d
        .enregistrer_decision(&caf38(), DecisionId(2), motivee, &eligibilite, q)
        .unwrap();
    assert_eq!(r.dossier.apres.etat, EtatDossier::Valide);
    let derogation = r.dossier.apres.derogation_engagements.as_ref().unwrap();
    assert_eq!(
        derogation.motif,
        "Structure historique du Reaap, contrôle sur place programmé en mars"
    );
    assert_eq!(derogation.engagements.len(), 10);
    assert_eq!(derogation.decision, DecisionId(2));
    assert!(derogation.engagements[0].contains("(attesté, à contrôler)"));
    for audit in [&r.dossier.audit, &r.decision.audit] {
        assert!(
            audit.description.contains("dérogation"),
            "{}",
            audit.description
        );
        assert!(audit.description.contains("contrôle sur place programmé"));
        let c = audit
            .changements
            .iter()
            .find(|c| c.champ == "derogation_engagements")
            .unwrap();
        assert!(c.apres.as_deref().unwrap().contains("RGPD"));
    }
}

#[test]
fn un_engagement_non_conforme_bloquant_ne_se_valide_qu_avec_derogation() {
    let g = structure(TypeActivite::Generaliste);
    assert!(Engagement::ReseauPartenairesLocaux.est_une_condition());
    assert!(!Engagement::AnalysePratiqueExterieure.est_une_condition());
    let g = atteste(&g, Engagement::ReseauPartenairesLocaux, false);
    let g = controle_par_caf(
        &g,
        Engagement::ReseauPartenairesLocaux,
        AvisCaf::NonConforme,
        "Aucun partenariat formalisé",
    );
    assert_eq!(g.rapport_structure().verdict(), Verdict::NonEligible);
    // Not an exclusion: the dossier may still be submitted and decided.
    let eligibilite = g.admissible(Dispositif::Aip, "test");
    assert_eq!(
        eligibilite.as_ref().unwrap().engagements_non_conformes(),
        &[(
            Engagement::ReseauPartenairesLocaux,
            EtatEngagement::Controle(AvisCaf::NonConforme)
        )]
    );
    let q = le(date!(2024 - 02 - 16));
    let d = presente();
    let r = refus(
        d.enregistrer_decision(
            &caf38(),
            DecisionId(2),
            saisie_validation(),
            &eligibilite,
            q,
        ),
        "condition",
        "dérogation",
    );
    assert!(r.raison().contains("(non conforme)"), "{r}");
    let motivee = domain::decision::SaisieDecision {
        derogation_engagements: Some("Réseau en cours de constitution avec le CCAS".into()),
        ..saisie_validation()
    };
    let r = d
        .enregistrer_decision(&caf38(), DecisionId(2), motivee, &eligibilite, q)
        .unwrap();
    assert_eq!(r.dossier.apres.etat, EtatDossier::Valide);
}

#[test]
fn tout_controle_conforme_valide_sans_derogation() {
    let eligibilite = structure(TypeActivite::CentreSocial).admissible(Dispositif::Aip, "test");
    assert!(
        eligibilite
            .as_ref()
            .unwrap()
            .engagements_non_conformes()
            .is_empty()
    );
    let d = presente();
    // An override given when nothing needs one is not recorded.
    let inutile = domain::decision::SaisieDecision {
        derogation_engagements: Some("Par précaution".into()),
        ..saisie_validation()
    };
    let r = d
        .enregistrer_decision(
            &caf38(),
            DecisionId(2),
            inutile,
            &eligibilite,
            le(date!(2024 - 02 - 16)),
        )
        .unwrap();
    assert_eq!(r.dossier.apres.etat, EtatDossier::Valide);
    assert_eq!(r.dossier.apres.derogation_engagements, None);
    assert!(!r.dossier.audit.description.contains("dérogation"));
}

#[test]
fn hors_aip_les_engagements_ne_lient_pas_la_decision() {
    let g = structure_sans_engagements(TypeActivite::Generaliste);
    let preuve = g.admissible(Dispositif::Reaap, "test").unwrap();
    assert!(preuve.engagements_non_conformes().is_empty());
}

/// Each commitment, attested alone, has its own finding in the report saying it awaits the
/// Caf's check; checked non conforme, it has its own negative finding.
#[test]
fn chaque_engagement_a_son_constat_dans_le_rapport() {
    let base = structure_sans_engagements(TypeActivite::CentreSocial);
    for e in base.engagements_applicables() {
        let g = atteste(&base, e, true);
        let r = g.rapport_structure();
        let a_controler: Vec<_> = r
            .constats
            .iter()
            .filter(|c| c.message.contains("à contrôler par la Caf"))
            .collect();
        assert_eq!(a_controler.len(), 1, "{e:?}: {}", r.texte());
        assert!(a_controler[0].message.starts_with(e.libelle()));
        let g = controle_par_caf(&g, e, AvisCaf::NonConforme, "Non tenu");
        let r = g.rapport_structure();
        let attendu = if e.est_une_condition() {
            Verdict::NonEligible
        } else {
            Verdict::Avertissement
        };
        assert_eq!(r.verdict(), attendu, "{e:?}: {}", r.texte());
        assert_eq!(
            r.avec_verdict(Verdict::NonEligible).count(),
            usize::from(e.est_une_condition()),
            "{e:?}: {}",
            r.texte()
        );
    }
}
