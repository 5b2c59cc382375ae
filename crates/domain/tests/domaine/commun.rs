//! Fixtures: actors of every role, a call for projects in Isère, a complete project, and helpers
//! that bring a dossier, convention or declaration to any state through the real transitions.

use domain::appel_a_projets::{AppelAProjets, Dispositif, NouvelAppel};
use domain::convention::{Convention, NouvelleConvention};
use domain::decision::{
    AvisFinanceur, Decision, IssueDecision, NotificationEtp, SaisieDecision, SaisiePart,
};
use domain::declaration::{
    Activite, Bilan, ContenuBilan, Declaration, DonneesDeclaration, NatureDeclaration,
};
use domain::dossier::{
    BudgetPrevisionnel, Dossier, EtatDossier, LigneBudget, ProjetFonctionnement,
};
use domain::identifiants::*;
use domain::quantites::{Centimes, Etp};
use domain::{Acteur, Refus};
use time::macros::{date, offset};
use time::{Date, OffsetDateTime};

pub fn d(code: &str) -> CodeDepartement {
    CodeDepartement::parse(code).unwrap()
}

/// 10:00 local time (winter offset) on `jour`.
pub fn le(jour: Date) -> OffsetDateTime {
    jour.with_hms(10, 0, 0).unwrap().assume_offset(offset!(+1))
}

pub fn etp(texte: &str) -> Etp {
    Etp::parse(texte).unwrap()
}

pub fn euros(texte: &str) -> Centimes {
    Centimes::parse(texte).unwrap()
}

pub const GESTIONNAIRE: GestionnaireId = GestionnaireId(1);
pub const AUTRE_GESTIONNAIRE: GestionnaireId = GestionnaireId(2);
pub const DEPARTEMENTAL: FinanceurId = FinanceurId(1);

pub fn cnaf() -> Acteur {
    Acteur::cnaf(UtilisateurId(1))
}
pub fn caf38() -> Acteur {
    Acteur::caf(UtilisateurId(10), [d("38")])
}
pub fn caf30() -> Acteur {
    Acteur::caf(UtilisateurId(11), [d("30")])
}
pub fn financeur38() -> Acteur {
    Acteur::financeur(UtilisateurId(40), DEPARTEMENTAL, [d("38")])
}
pub fn autre_financeur38() -> Acteur {
    Acteur::financeur(UtilisateurId(41), FinanceurId(3), [d("38")])
}
pub fn financeur30() -> Acteur {
    Acteur::financeur(UtilisateurId(42), DEPARTEMENTAL, [d("30")])
}
pub fn gestionnaire() -> Acteur {
    Acteur::gestionnaire(UtilisateurId(20), [GESTIONNAIRE])
}
pub fn autre_gestionnaire() -> Acteur {
    Acteur::gestionnaire(UtilisateurId(21), [AUTRE_GESTIONNAIRE])
}
pub fn intervenant() -> Acteur {
    Acteur::intervenant(UtilisateurId(30), [GESTIONNAIRE])
}

/// The gestionnaire the fixtures' dossiers belong to: an association loi 1901 open to all parents,
/// whose commitments it attested and the Caf checked conforme.
pub fn structure(activite: domain::structures::TypeActivite) -> domain::structures::Gestionnaire {
    engagements_conformes(structure_sans_engagements(activite))
}

/// The attestation of a commitment on 1 December 2023, respected or not.
pub fn attestation(respecte: bool) -> domain::structures::SaisieAttestation {
    domain::structures::SaisieAttestation {
        respecte,
        declaration: "Engagement tenu, pièces disponibles sur demande".into(),
        date: date!(2023 - 12 - 01),
        piece: None,
    }
}

/// A Caf check with `avis` and `commentaire`.
pub fn controle(
    avis: domain::structures::AvisCaf,
    commentaire: &str,
) -> domain::structures::SaisieControle {
    domain::structures::SaisieControle {
        avis,
        commentaire: commentaire.into(),
    }
}

/// `g` with every applicable commitment attested by its gestionnaire and checked conforme by the
/// Caf of Isère.
pub fn engagements_conformes(
    mut g: domain::structures::Gestionnaire,
) -> domain::structures::Gestionnaire {
    for e in g.engagements_applicables() {
        g = g
            .attester(
                &gestionnaire(),
                e,
                &attestation(true),
                le(date!(2023 - 12 - 01)),
            )
            .unwrap()
            .apres;
        g = g
            .controler(
                &caf38(),
                e,
                &controle(domain::structures::AvisCaf::Conforme, ""),
                le(date!(2023 - 12 - 05)),
            )
            .unwrap()
            .apres;
    }
    g
}

/// The fixtures' gestionnaire before it attested anything.
pub fn structure_sans_engagements(
    activite: domain::structures::TypeActivite,
) -> domain::structures::Gestionnaire {
    domain::structures::Gestionnaire {
        id: GESTIONNAIRE,
        raison_sociale: "Association Parents en Isère".into(),
        siret: Siret::parse("73282932000074").unwrap(),
        rna: Some(Rna::parse("W381000123").unwrap()),
        statut: domain::structures::StatutJuridique::AssociationLoi1901,
        activite,
        siege: domain::structures::Adresse {
            voie: "12 rue des Alpes".into(),
            complement: None,
            code_postal: "38000".into(),
            commune: CodeInsee::parse("38185").unwrap(),
        },
        departement_siege: d("38"),
        email: None,
        engagements: Default::default(),
        banque: None,
    }
}

/// The calendar of `exercice`, from the embedded parameters.
pub fn calendrier(exercice: i32) -> referentiel::aip::CalendrierAip<'static> {
    static PARAMETRES: std::sync::OnceLock<referentiel::parametres::Parametres> =
        std::sync::OnceLock::new();
    let p = PARAMETRES.get_or_init(|| referentiel::parametres::Parametres::embarques().unwrap());
    referentiel::aip::CalendrierAip::pour_exercice(p, exercice).unwrap()
}

/// The activity thresholds of `exercice`, from the embedded parameters.
pub fn seuils(exercice: i32) -> referentiel::conformite::SeuilsActivite {
    static PARAMETRES: std::sync::OnceLock<referentiel::parametres::Parametres> =
        std::sync::OnceLock::new();
    let p = PARAMETRES.get_or_init(|| referentiel::parametres::Parametres::embarques().unwrap());
    referentiel::conformite::SeuilsActivite::pour_exercice(p, exercice).unwrap()
}

/// A salaried psychologist of the fixtures' gestionnaire, qualified, at `etp_part` FTE, under
/// contract from `debut` (to `fin` when given).
pub fn psychologue(
    id: i64,
    etp_part: &str,
    debut: Date,
    fin: Option<Date>,
) -> domain::structures::Intervenant {
    domain::structures::Intervenant {
        id: IntervenantId(id),
        gestionnaire: GestionnaireId(1),
        nom: format!("Nom{id}"),
        prenom: format!("Prénom{id}"),
        diplome: domain::structures::Diplome::Psychologue,
        statut: domain::structures::StatutIntervenant::Salarie,
        experience_ou_formation_parentalite: true,
        etp: etp(etp_part),
        contrat_debut: Some(debut),
        contrat_fin: fin,
        verification_casier: Some(date!(2023 - 09 - 01)),
        heures_analyse_pratique_par_an: Some(20),
    }
}

/// What the fixtures' intervenants carry: two full-time psychologists, enough for any
/// declaration of the fixtures.
pub fn portes(convention: &Convention, d: &Declaration) -> domain::structures::EtpPortes {
    domain::structures::EtpPortes::calculer(
        &[
            psychologue(1, "1", date!(2023 - 09 - 01), None),
            psychologue(2, "1", date!(2023 - 09 - 01), None),
        ],
        convention,
        d.exercice,
        d.donnees.mois_fonctionnement,
        &seuils(d.exercice),
        date!(2024 - 01 - 02),
    )
}

/// The proof that the fixtures' gestionnaire may be financed under the AIP.
pub fn admissible() -> domain::structures::Admissible {
    structure(domain::structures::TypeActivite::Generaliste)
        .admissible(Dispositif::Aip, "test")
        .unwrap()
}

/// Every actor, named, for the access tables.
pub fn tous_les_acteurs() -> Vec<(&'static str, Acteur)> {
    vec![
        ("cnaf", cnaf()),
        ("caf38", caf38()),
        ("caf30", caf30()),
        ("financeur38", financeur38()),
        ("autre_financeur38", autre_financeur38()),
        ("financeur30", financeur30()),
        ("gestionnaire", gestionnaire()),
        ("autre_gestionnaire", autre_gestionnaire()),
        ("intervenant", intervenant()),
    ]
}

/// Who is allowed to take a transition.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Autorise {
    /// A Caf agent of Isère.
    Caf,
    /// The gestionnaire user of structure 1.
    Gestionnaire,
}

/// Checks that every actor but the allowed one is refused with the right kind of reason, and
/// that the allowed one passes.
pub fn verifier_acces<T: std::fmt::Debug>(
    autorise: Autorise,
    action: impl Fn(&Acteur) -> Result<T, Refus>,
) {
    for (nom, acteur) in tous_les_acteurs() {
        let resultat = action(&acteur);
        let attendu = match (autorise, nom) {
            (Autorise::Caf, "caf38") | (Autorise::Gestionnaire, "gestionnaire") => None,
            (_, "cnaf") => Some("cnaf_consultation"),
            (Autorise::Caf, "caf30") => Some("territoire"),
            (Autorise::Gestionnaire, "autre_gestionnaire") => Some("structure"),
            _ => Some("role"),
        };
        match (attendu, resultat) {
            (None, Ok(_)) => {}
            (None, Err(e)) => panic!("{nom} devrait être autorisé : {e}"),
            (Some(code), Err(e)) => {
                assert_eq!(e.code(), code, "{nom}: {e}");
                assert!(e.est_un_refus_d_acces());
                assert!(e.raison().len() > 20, "{nom}: raison trop courte « {e} »");
            }
            (Some(code), Ok(v)) => panic!("{nom} aurait dû être refusé ({code}) : {v:?}"),
        }
    }
}

/// Asserts a refusal with `code`, and that its reason mentions `extrait`.
#[track_caller]
pub fn refus<T: std::fmt::Debug>(resultat: Result<T, Refus>, code: &str, extrait: &str) -> Refus {
    match resultat {
        Ok(v) => panic!("refus « {code} » attendu, accepté : {v:?}"),
        Err(e) => {
            assert_eq!(e.code(), code, "{e}");
            assert!(
                e.raison().contains(extrait),
                "« {extrait} » absent de « {e} »"
            );
            e
        }
    }
}

pub fn appel() -> AppelAProjets {
    AppelAProjets::publier(
        AppelAProjetsId(1),
        &caf38(),
        NouvelAppel {
            departement: d("38"),
            dispositif: Dispositif::Aip,
            intitule: "AIP Isère 2024-2025".into(),
            debut_periode: date!(2024 - 01 - 01),
            fin_periode: date!(2025 - 12 - 31),
            ouverture: date!(2023 - 11 - 01),
            cloture: date!(2024 - 01 - 31),
        },
        le(date!(2023 - 10 - 15)),
    )
    .unwrap()
    .apres
}

pub fn projet_complet() -> ProjetFonctionnement {
    ProjetFonctionnement {
        intitule: "Écoute parents Grenoble".into(),
        objectifs: "Accompagner individuellement les parents du bassin grenoblois".into(),
        moyens: "Deux psychologues à mi-temps et une éducatrice, un bureau d'écoute dédié".into(),
        etp_demandes: etp("1,5"),
        debut: Some(date!(2024 - 03 - 01)),
        fin: Some(date!(2025 - 12 - 31)),
        budget: BudgetPrevisionnel {
            charges: vec![
                LigneBudget {
                    libelle: "Salaires".into(),
                    montant: euros("170 000"),
                },
                LigneBudget {
                    libelle: "Locaux".into(),
                    montant: euros("20 000"),
                },
            ],
            produits: vec![
                LigneBudget {
                    libelle: "Subvention Caf".into(),
                    montant: euros("150 000"),
                },
                LigneBudget {
                    libelle: "Conseil départemental".into(),
                    montant: euros("40 000"),
                },
            ],
        },
        modalites_evaluation: "Questionnaire aux parents, trame de bilan nationale".into(),
        diagnostic_local: "Demandes croissantes au centre social, absence d'offre individuelle"
            .into(),
        partenaires: vec![
            "CCAS de Grenoble".into(),
            "Service de médiation familiale".into(),
        ],
        information_familles: "Affiches dans les écoles, site mon-enfant.fr".into(),
        lieux: vec![LieuId(1)],
        plan_financement: Vec::new(),
    }
}

pub const DATE_COMITE: Date = date!(2024 - 02 - 15);

pub fn saisie_validation() -> SaisieDecision {
    SaisieDecision {
        issue: IssueDecision::Valide,
        motivation: "Projet conforme au référentiel, besoin avéré".into(),
        notification: Some(NotificationEtp {
            etp: etp("1,5"),
            date_effet: date!(2024 - 03 - 01),
        }),
        part_caf: Some(SaisiePart {
            avis: AvisFinanceur::Accorde,
            montant: euros("130 000"),
            motivation: String::new(),
        }),
        derogation_engagements: None,
    }
}

/// A dossier brought to `etat` through the real transitions (and the decision when there is one).
pub fn dossier_a(etat: EtatDossier) -> (Dossier, Option<Decision>) {
    let appel = appel();
    let mut dossier = Dossier::creer(
        DossierId(1),
        &gestionnaire(),
        &appel,
        GESTIONNAIRE,
        projet_complet(),
        le(date!(2023 - 12 - 01)),
    )
    .unwrap()
    .apres;
    let etape = |dossier: &mut Dossier, suivant: Result<domain::Transition<Dossier>, Refus>| {
        *dossier = suivant.unwrap().apres;
    };
    use EtatDossier::*;
    if etat == Brouillon {
        return (dossier, None);
    }
    if etat == Retire {
        let s = dossier.retirer(
            &gestionnaire(),
            Some("abandon du projet"),
            le(date!(2024 - 01 - 10)),
        );
        etape(&mut dossier, s);
        return (dossier, None);
    }
    let s = dossier.deposer(
        &gestionnaire(),
        &appel,
        &admissible(),
        le(date!(2024 - 01 - 15)),
    );
    etape(&mut dossier, s);
    if etat == Depose {
        return (dossier, None);
    }
    if etat == SansSuite {
        let s = dossier.classer_sans_suite(&caf38(), "pas de réponse", le(date!(2024 - 01 - 20)));
        etape(&mut dossier, s);
        return (dossier, None);
    }
    let s = dossier.prendre_en_instruction(&caf38(), le(date!(2024 - 01 - 20)));
    etape(&mut dossier, s);
    if etat == EnInstruction {
        return (dossier, None);
    }
    if etat == ComplementDemande {
        let s = dossier.demander_complement(
            &caf38(),
            "Préciser les horaires de permanence",
            le(date!(2024 - 01 - 22)),
        );
        etape(&mut dossier, s);
        return (dossier, None);
    }
    let s = dossier.presenter_en_comite(&caf38(), DATE_COMITE, le(date!(2024 - 01 - 25)));
    etape(&mut dossier, s);
    if etat == PresenteEnComite {
        return (dossier, None);
    }
    let saisie = if etat == Refuse {
        SaisieDecision {
            issue: IssueDecision::Refuse,
            motivation: "Besoin déjà couvert".into(),
            notification: None,
            part_caf: None,
            derogation_engagements: None,
        }
    } else {
        saisie_validation()
    };
    let r = dossier
        .enregistrer_decision(
            &caf38(),
            DecisionId(1),
            saisie,
            &Ok(admissible()),
            le(date!(2024 - 02 - 16)),
        )
        .unwrap();
    assert_eq!(r.dossier.apres.etat, etat);
    (r.dossier.apres, Some(r.decision.apres))
}

pub fn dossier_valide() -> (Dossier, Decision) {
    let (dossier, decision) = dossier_a(EtatDossier::Valide);
    (dossier, decision.unwrap())
}

pub fn nouvelle_convention() -> NouvelleConvention {
    NouvelleConvention {
        numero: "COF-38-2024-001".into(),
        debut: date!(2024 - 03 - 01),
        fin: date!(2025 - 12 - 31),
        echeancier: Vec::new(),
    }
}

pub fn convention_projet() -> (Convention, Dossier, Decision) {
    let (dossier, decision) = dossier_valide();
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
    (convention, dossier, decision)
}

pub fn convention_signee() -> (Convention, Dossier, Decision) {
    let (convention, dossier, decision) = convention_projet();
    let signee = convention
        .signer(
            &caf38(),
            &dossier,
            date!(2024 - 03 - 05),
            le(date!(2024 - 03 - 06)),
        )
        .unwrap()
        .apres;
    (signee, dossier, decision)
}

pub fn donnees(depenses: &str, etp_declares: &str, mois: u8) -> DonneesDeclaration {
    DonneesDeclaration {
        depenses_fonctionnement: euros(depenses),
        etp_declares: etp(etp_declares),
        mois_fonctionnement: mois,
        activite: Activite {
            entretiens: 500,
            parents_distincts: 180,
            heures_entretiens: 500,
            heures_travaillees: None,
        },
    }
}

/// A declaration saisie by the gestionnaire.
pub fn declaration(
    convention: &Convention,
    id: i64,
    nature: NatureDeclaration,
    exercice: i32,
    figures: DonneesDeclaration,
) -> Declaration {
    Declaration::saisir(
        DeclarationId(id),
        &gestionnaire(),
        convention,
        exercice,
        nature,
        figures,
        le(date!(2024 - 03 - 10)),
    )
    .unwrap()
    .apres
}

/// The same, transmitted (at `jour`) and validated by the Caf, with no payment made.
pub fn declaration_validee(
    convention: &Convention,
    id: i64,
    nature: NatureDeclaration,
    exercice: i32,
    figures: DonneesDeclaration,
    jour: Date,
) -> Declaration {
    declaration_validee_apres(convention, id, nature, exercice, figures, jour, &[])
}

/// The same, validated once `paiements` were made.
pub fn declaration_validee_apres(
    convention: &Convention,
    id: i64,
    nature: NatureDeclaration,
    exercice: i32,
    figures: DonneesDeclaration,
    jour: Date,
    paiements: &[domain::paiement::Paiement],
) -> Declaration {
    let d = declaration(convention, id, nature, exercice, figures);
    let d = d
        .transmettre(
            &gestionnaire(),
            &calendrier(d.exercice),
            &portes(convention, &d),
            le(jour),
        )
        .unwrap()
        .apres;
    valider(&d, &caf38(), convention, paiements, le(jour))
        .unwrap()
        .apres
}

/// Validates `d` with the embedded parameters of its exercise.
pub fn valider(
    d: &Declaration,
    acteur: &domain::acces::Acteur,
    convention: &Convention,
    paiements: &[domain::paiement::Paiement],
    quand: time::OffsetDateTime,
) -> Result<domain::audit::Transition<Declaration>, domain::Refus> {
    let parametres = referentiel::parametres::Parametres::embarques().unwrap();
    let p = referentiel::aip::ParametresAip::pour_exercice(&parametres, d.exercice).unwrap();
    d.valider(acteur, convention, &p, paiements, quand)
}

pub fn contenu_bilan() -> ContenuBilan {
    ContenuBilan {
        familles_accompagnees: 190,
        entretiens: 520,
        heures_analyse_pratique: 14,
        synthese:
            "Forte demande autour de l'adolescence; 30 orientations vers la médiation familiale"
                .into(),
        ..ContenuBilan::default()
    }
}

pub fn bilan(convention: &Convention, exercice: i32) -> Bilan {
    Bilan::saisir(
        BilanId(1),
        &gestionnaire(),
        convention,
        exercice,
        contenu_bilan(),
        le(date!(2025 - 01 - 20)),
    )
    .unwrap()
    .apres
}

pub fn bilan_valide(convention: &Convention, exercice: i32) -> Bilan {
    let b = bilan(convention, exercice);
    let b = b
        .transmettre(
            &gestionnaire(),
            &calendrier(exercice),
            le(date!(2025 - 02 - 01)),
        )
        .unwrap()
        .apres;
    b.valider(&caf38(), le(date!(2025 - 02 - 10)))
        .unwrap()
        .apres
}
