//! The directory's services: the form checked field by field with every fault reported at once,
//! opening hours in the OpenStreetMap syntax (accepted, refused, read in French), the place's
//! position from its commune, and the publication's life (who may take each step, and what the
//! public sees while a published service is edited).

use std::sync::OnceLock;

use domain::annuaire::*;
use domain::identifiants::*;
use domain::territoire::Communes;
use time::macros::date;

use crate::commun::{Autorise, GESTIONNAIRE, caf38, d, gestionnaire, le, refus, verifier_acces};

fn communes() -> &'static Communes {
    static C: OnceLock<Communes> = OnceLock::new();
    C.get_or_init(|| Communes::embarquees().unwrap())
}

fn saisie() -> SaisieService {
    SaisieService {
        dispositif: "laep".into(),
        type_service: "accueil".into(),
        nom: "La Maison des petits pas".into(),
        description: "Un lieu d’accueil enfants-parents pour jouer et échanger.".into(),
        publics: vec!["parents_enfants_0_3".into(), "futurs_parents".into()],
        modes: vec!["sur_place".into()],
        frais: "gratuit".into(),
        telephone: "04 76 12 34 56".into(),
        courriel: "accueil@example.org".into(),
        lieux: vec![SaisieLieuService {
            voie: "12 rue des Alpes".into(),
            code_postal: "38000".into(),
            commune: "38185".into(),
            horaires: "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn champs(r: &domain::Refus) -> Vec<&'static str> {
    r.un_par_un()
        .into_iter()
        .filter_map(|x| x.champ())
        .collect()
}

#[test]
fn une_saisie_complete_donne_le_service_place_au_centre_de_sa_commune() {
    let s = saisie().valider(communes()).unwrap();
    assert_eq!(s.departement, d("38"));
    assert_eq!(s.lieux.len(), 1);
    let p = s.lieux[0].position;
    assert!((p.latitude - 45.18219).abs() < 1e-9 && (p.longitude - 5.72112).abs() < 1e-9);
    assert_eq!(s.contacts.telephone.as_deref(), Some("04 76 12 34 56"));
    assert!(s.publics.contains(&Public::ParentsEnfants0a3));
}

#[test]
fn des_coordonnees_saisies_remplacent_le_centre_de_la_commune() {
    let mut e = saisie();
    e.lieux[0].latitude = "45,19".into();
    e.lieux[0].longitude = "5.73".into();
    let s = e.valider(communes()).unwrap();
    assert_eq!(s.lieux[0].position.latitude, 45.19);
    assert_eq!(s.lieux[0].position.longitude, 5.73);
}

#[test]
fn chaque_champ_en_faute_est_signale_en_une_fois_avec_sa_raison() {
    let e = SaisieService {
        dispositif: "creche".into(),
        type_service: "".into(),
        nom: " \u{200b} ".into(),
        description: "".into(),
        publics: vec!["voisins".into()],
        modes: vec![],
        frais: "payant".into(),
        precision_frais: "".into(),
        telephone: "12".into(),
        courriel: "pas-une-adresse".into(),
        lien: "www.example.org".into(),
        zone_eligibilite: "38185, 99999".into(),
        lieux: vec![
            SaisieLieuService {
                voie: "".into(),
                code_postal: "380".into(),
                commune: "38999".into(),
                horaires: "lundi 9h-12h".into(),
                latitude: "91".into(),
                ..Default::default()
            },
            SaisieLieuService::default(),
            SaisieLieuService {
                voie: "1 place de la Mairie".into(),
                code_postal: "38400".into(),
                commune: "38421".into(),
                horaires: "Mo-Fr 09h-12h".into(),
                longitude: "5.7".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let r = e.valider(communes()).unwrap_err();
    assert_eq!(r.code(), "plusieurs");
    let c = champs(&r);
    for attendu in [
        "dispositif",
        "type_service",
        "nom",
        "description",
        "publics",
        "modes",
        "precision_frais",
        "telephone",
        "courriel",
        "lien",
        "zone_eligibilite",
        "lieux_1_voie",
        "lieux_1_code_postal",
        "lieux_1_commune",
        "lieux_1_horaires",
        "lieux_1_latitude",
        "lieux_3_horaires",
        "lieux_3_latitude",
    ] {
        assert!(c.contains(&attendu), "{attendu} absent de {c:?}");
    }
    // The empty second slot is ignored, not reported.
    assert!(!c.iter().any(|x| x.starts_with("lieux_2")), "{c:?}");
    // Each reason says what is wrong.
    let raison = |champ: &str| {
        r.un_par_un()
            .into_iter()
            .find(|x| x.champ() == Some(champ))
            .map(|x| x.sans_action())
            .unwrap()
    };
    assert!(raison("dispositif").contains("creche"));
    assert!(raison("nom").contains("compléter"));
    assert!(raison("telephone").contains("10 chiffres"));
    assert!(raison("lien").contains("https://"));
    assert!(raison("zone_eligibilite").contains("99999"));
    assert!(raison("lieux_1_code_postal").contains("5 chiffres"));
    assert!(raison("lieux_1_commune").contains("38999"));
    assert!(raison("lieux_1_horaires").contains("OpenStreetMap"));
    assert!(raison("lieux_1_latitude").contains("entre -90 et 90"));
    assert!(raison("lieux_3_latitude").contains("vont ensemble"));
    assert!(raison("precision_frais").contains("tarif"));
}

#[test]
fn un_service_sans_aucun_moyen_de_contact_est_refuse() {
    let mut e = saisie();
    e.telephone.clear();
    e.courriel.clear();
    let r = e.valider(communes()).unwrap_err();
    assert_eq!(champs(&r), vec!["contacts"]);
    assert!(r.raison().contains("au moins un moyen"));
    e.sans_rendez_vous = true;
    assert!(e.valider(communes()).unwrap().contacts.sans_rendez_vous);
}

#[test]
fn un_service_sans_lieu_est_refuse() {
    let mut e = saisie();
    e.lieux = vec![SaisieLieuService::default(), SaisieLieuService::default()];
    let r = e.valider(communes()).unwrap_err();
    assert_eq!(champs(&r), vec!["lieux_1_voie"]);
    assert!(r.raison().contains("au moins un lieu"));
}

#[test]
fn un_service_payant_accepte_le_telephone_international_et_un_lien() {
    let mut e = saisie();
    e.frais = "module_selon_revenus".into();
    e.precision_frais = "Barème national de la Cnaf".into();
    e.telephone = "+33 4 76 12 34 56".into();
    e.lien = "https://example.org/mediation".into();
    let s = e.valider(communes()).unwrap();
    assert_eq!(s.tarification.frais, Frais::ModuleSelonRevenus);
    assert_eq!(s.contacts.telephone.as_deref(), Some("04 76 12 34 56"));
}

#[test]
fn horaires_valides() {
    for texte in [
        "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
        "Tu,Th 14:00-18:00",
        "We 09:00-12:00; PH off",
        "24/7",
        "Mo-Fr 08:30-17:30 \"sur rendez-vous\"",
    ] {
        let h = Horaires::parse(texte).unwrap_or_else(|e| panic!("{texte} : {e}"));
        assert_eq!(h.as_str(), texte);
    }
    for exemple in EXEMPLES_HORAIRES {
        assert!(Horaires::parse(exemple).is_ok(), "{exemple}");
    }
}

#[test]
fn horaires_invalides() {
    for texte in [
        "",
        "   ",
        "lundi 9h-12h",
        "Mo-Fr 9-12",
        "Mo-Fr 09:60-12:00",
        "Xx 09:00-12:00",
        "Mo-Fr 09:00-12:00;;",
    ] {
        let e = Horaires::parse(texte).unwrap_err();
        assert!(e.contains("Mo-Fr"), "{texte} : {e}");
    }
    let long = "Mo 09:00-10:00; ".repeat(20);
    assert!(Horaires::parse(&long).unwrap_err().contains("255"));
}

#[test]
fn horaires_lus_en_francais() {
    let h = Horaires::parse("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00").unwrap();
    assert_eq!(
        h.en_francais().unwrap(),
        "du lundi au vendredi de 9\u{a0}h à 12\u{a0}h et de 14\u{a0}h à 17\u{a0}h ; le samedi de 9\u{a0}h à 12\u{a0}h"
    );
    let h = Horaires::parse("Tu,Th 14:00-18:30; PH off").unwrap();
    assert_eq!(
        h.en_francais().unwrap(),
        "le mardi, le jeudi de 14\u{a0}h à 18\u{a0}h\u{a0}30 ; les jours fériés : fermé"
    );
    // A form the reading does not cover: the text is shown as typed.
    let h = Horaires::parse("Mo[1] 09:00-12:00").unwrap();
    assert_eq!(h.en_francais(), None);
}

fn brouillon() -> Service {
    let description = saisie().valider(communes()).unwrap();
    Service::creer(
        &gestionnaire(),
        ServiceId(1),
        GESTIONNAIRE,
        description,
        le(date!(2025 - 03 - 01)),
    )
    .unwrap()
    .apres
}

#[test]
fn seul_le_gestionnaire_de_la_structure_cree_soumet_et_retire() {
    let description = saisie().valider(communes()).unwrap();
    verifier_acces(Autorise::Gestionnaire, |a| {
        Service::creer(
            a,
            ServiceId(1),
            GESTIONNAIRE,
            description.clone(),
            le(date!(2025 - 03 - 01)),
        )
    });
    let s = brouillon();
    verifier_acces(Autorise::Gestionnaire, |a| {
        s.soumettre(a, le(date!(2025 - 03 - 02)))
    });
    verifier_acces(Autorise::Gestionnaire, |a| {
        s.retirer(a, le(date!(2025 - 03 - 02)))
    });
    verifier_acces(Autorise::Gestionnaire, |a| {
        s.modifier(a, description.clone(), le(date!(2025 - 03 - 02)))
    });
}

#[test]
fn seule_la_caf_du_departement_publie_ou_refuse() {
    let s = brouillon()
        .soumettre(&gestionnaire(), le(date!(2025 - 03 - 02)))
        .unwrap()
        .apres;
    assert_eq!(s.etat, EtatPublication::AModerer);
    verifier_acces(Autorise::Caf, |a| s.publier(a, le(date!(2025 - 03 - 03))));
    verifier_acces(Autorise::Caf, |a| {
        s.refuser(a, "Horaires à préciser", le(date!(2025 - 03 - 03)))
    });
}

#[test]
fn cycle_de_publication() {
    let s = brouillon();
    assert_eq!(s.etat, EtatPublication::Brouillon);
    assert_eq!(s.version_publique(), None);
    refus(
        s.publier(&caf38(), le(date!(2025 - 03 - 02))),
        "etat",
        "brouillon",
    );

    let t = s
        .soumettre(&gestionnaire(), le(date!(2025 - 03 - 02)))
        .unwrap();
    assert_eq!(t.audit.etat_avant, Some("brouillon"));
    assert_eq!(t.audit.etat_apres, Some("a_moderer"));
    let s = t.apres;
    refus(
        s.soumettre(&gestionnaire(), le(date!(2025 - 03 - 02))),
        "etat",
        "à modérer",
    );
    refus(
        s.refuser(&caf38(), "  ", le(date!(2025 - 03 - 03))),
        "motif_obligatoire",
        "motif",
    );
    let refuse = s
        .refuser(
            &caf38(),
            "Précisez les horaires du samedi",
            le(date!(2025 - 03 - 03)),
        )
        .unwrap()
        .apres;
    assert_eq!(refuse.etat, EtatPublication::Refuse);
    assert_eq!(
        refuse.motif_refus.as_deref(),
        Some("Précisez les horaires du samedi")
    );
    assert_eq!(refuse.version_publique(), None);

    let s = refuse
        .soumettre(&gestionnaire(), le(date!(2025 - 03 - 04)))
        .unwrap()
        .apres;
    assert_eq!(s.motif_refus, None);
    let publie = s
        .publier(&caf38(), le(date!(2025 - 03 - 05)))
        .unwrap()
        .apres;
    assert_eq!(publie.etat, EtatPublication::Publie);
    assert_eq!(publie.version_publique().unwrap().nom, publie.nom);
    // The last update is the publication's, in UTC.
    assert_eq!(publie.mis_a_jour_le.offset(), time::UtcOffset::UTC);
    assert_eq!(publie.mis_a_jour_le, le(date!(2025 - 03 - 05)));

    let retire = publie
        .retirer(&gestionnaire(), le(date!(2025 - 03 - 06)))
        .unwrap()
        .apres;
    assert_eq!(retire.etat, EtatPublication::Retire);
    assert_eq!(retire.version_publique(), None);
    refus(
        retire.retirer(&gestionnaire(), le(date!(2025 - 03 - 07))),
        "etat",
        "retiré",
    );
    // A withdrawn service may be submitted again.
    assert!(
        retire
            .soumettre(&gestionnaire(), le(date!(2025 - 03 - 07)))
            .is_ok()
    );
}

#[test]
fn la_version_publiee_reste_visible_pendant_la_moderation_d_une_modification() {
    let publie = brouillon()
        .soumettre(&gestionnaire(), le(date!(2025 - 03 - 02)))
        .unwrap()
        .apres
        .publier(&caf38(), le(date!(2025 - 03 - 03)))
        .unwrap()
        .apres;
    let mut e = saisie();
    e.nom = "La Maison des petits pas (nouveaux horaires)".into();
    e.lieux[0].horaires = "Tu-Sa 09:00-12:00".into();
    let modifie = publie
        .modifier(
            &gestionnaire(),
            e.valider(communes()).unwrap(),
            le(date!(2025 - 04 - 01)),
        )
        .unwrap();
    assert!(
        modifie
            .audit
            .changements
            .iter()
            .any(|c| c.champ == "horaires")
    );
    let modifie = modifie.apres;
    assert_eq!(modifie.etat, EtatPublication::Brouillon);
    let visible = modifie.version_publique().unwrap();
    assert_eq!(visible.nom, "La Maison des petits pas");
    assert_eq!(visible.etat, EtatPublication::Publie);
    assert_eq!(visible.mis_a_jour_le, le(date!(2025 - 03 - 03)));

    let soumis = modifie
        .soumettre(&gestionnaire(), le(date!(2025 - 04 - 02)))
        .unwrap()
        .apres;
    // Refusing the edit keeps the old version visible.
    let refuse = soumis
        .refuser(&caf38(), "Horaires incohérents", le(date!(2025 - 04 - 03)))
        .unwrap()
        .apres;
    assert_eq!(
        refuse.version_publique().unwrap().nom,
        "La Maison des petits pas"
    );
    // Publishing it replaces the old version.
    let nouveau = soumis
        .publier(&caf38(), le(date!(2025 - 04 - 03)))
        .unwrap()
        .apres;
    assert_eq!(nouveau.version_publiee, None);
    let visible = nouveau.version_publique().unwrap();
    assert_eq!(visible.nom, "La Maison des petits pas (nouveaux horaires)");
    assert_eq!(visible.lieux[0].horaires.as_str(), "Tu-Sa 09:00-12:00");
    // Withdrawing hides every version.
    let retire = refuse
        .retirer(&gestionnaire(), le(date!(2025 - 04 - 04)))
        .unwrap()
        .apres;
    assert_eq!(retire.version_publique(), None);
}

#[test]
fn le_service_et_sa_saisie_font_l_aller_retour() {
    let s = brouillon();
    let e = SaisieService::depuis(&s);
    let d2 = e.valider(communes()).unwrap();
    assert_eq!(d2, s.description());
    let json = serde_json::to_string(&s).unwrap();
    let relu: Service = serde_json::from_str(&json).unwrap();
    assert_eq!(relu, s);
}

fn convention_aip() -> domain::convention::Convention {
    use domain::convention::{Convention, EtatConvention};
    Convention {
        id: ConventionId(7),
        numero: "COF-38-2025-007".into(),
        dossier: DossierId(3),
        decision: DecisionId(4),
        gestionnaire: GESTIONNAIRE,
        departement: d("38"),
        dispositif: domain::appel_a_projets::Dispositif::Aip,
        debut: date!(2025 - 01 - 01),
        fin: date!(2027 - 12 - 31),
        etat: EtatConvention::Signee,
        date_signature: Some(date!(2024 - 12 - 15)),
        signature_gestionnaire: None,
        notification_initiale: None,
        echeancier: Vec::new(),
        avenants: Vec::new(),
        date_resiliation: None,
        motif_resiliation: None,
        version: 1,
        cree_le: le(date!(2024 - 12 - 01)),
    }
}

fn lieu(modalites: &[domain::structures::ModaliteAccueil]) -> domain::structures::Lieu {
    domain::structures::Lieu {
        id: LieuId(5),
        gestionnaire: GESTIONNAIRE,
        nom: "Espace familles Villeneuve".into(),
        adresse: domain::structures::Adresse {
            voie: "3 place des Géants".into(),
            complement: Some("Bâtiment B".into()),
            code_postal: "38100".into(),
            commune: CodeInsee::parse("38185").unwrap(),
        },
        modalites: modalites.iter().copied().collect(),
    }
}

#[test]
fn un_service_aip_est_propose_depuis_un_lieu_conventionne() {
    use domain::structures::ModaliteAccueil;
    let courriel = Email::parse("contact@example.org").unwrap();
    let p = proposition_aip(
        &convention_aip(),
        &lieu(&[ModaliteAccueil::SansRendezVous, ModaliteAccueil::Visio]),
        Some(&courriel),
    );
    assert_eq!(p.dispositif, "aip");
    assert_eq!(p.publics, vec!["parents"]);
    assert_eq!(p.frais, "gratuit");
    assert_eq!(p.modes, vec!["sur_place", "a_distance"]);
    assert!(p.sans_rendez_vous);
    assert_eq!(p.convention, Some(ConventionId(7)));
    assert_eq!(p.lieux[0].lieu, Some(LieuId(5)));
    assert_eq!(p.lieux[0].voie, "3 place des Géants");
    assert_eq!(p.courriel, "contact@example.org");
    // The opening hours are left to the gestionnaire: the proposal is not complete as is.
    let r = p.valider(communes()).unwrap_err();
    assert_eq!(champs(&r), vec!["lieux_1_horaires"]);
    let mut complete = p.clone();
    complete.lieux[0].horaires = "Mo,We 14:00-18:00".into();
    let description = complete.valider(communes()).unwrap();
    assert_eq!(description.convention, Some(ConventionId(7)));
    assert_eq!(description.lieux[0].lieu, Some(LieuId(5)));
    assert_eq!(description.tarification.frais, Frais::Gratuit);

    // A place on appointment only: on site, not walk-in.
    let p = proposition_aip(
        &convention_aip(),
        &lieu(&[ModaliteAccueil::SurRendezVous]),
        None,
    );
    assert_eq!(p.modes, vec!["sur_place"]);
    assert!(!p.sans_rendez_vous);
}
