//! The departmental coordination: composition rules of each shape, the members' file read all
//! rows or none, the séance's life (notice, sequence, cancellation), answers and proxies, the
//! quorum on a hand-computed case, and the minutes from draft to publication.

use domain::coordination::*;
use domain::identifiants::*;
use domain::{Acteur, Refus};
use time::OffsetDateTime;
use time::macros::{date, datetime};

use crate::commun::d;

fn caf() -> Acteur {
    Acteur::caf(UtilisateurId(1), [d("38")])
}

fn instance(forme: FormeInstance) -> Instance {
    Instance::creer(
        &caf(),
        InstanceId(1),
        d("38"),
        SaisieInstance {
            forme,
            secretariat: "coordination@caf38.fr".into(),
            groupes: vec![GroupeDeTravail {
                nom: "Nord-Isère".into(),
                territorial: true,
            }],
            schema: None,
        },
        datetime!(2026-01-05 10:00 +1),
    )
    .unwrap()
    .apres
}

fn saisie(personne: &str, role: &str) -> SaisieMembre {
    SaisieMembre {
        organisation: "Préfecture".into(),
        personne: personne.into(),
        email: format!("{}@exemple.fr", personne.to_lowercase().replace(' ', ".")),
        role: role.into(),
        mandat_debut: "01/01/2026".into(),
        mandat_fin: "31/12/2031".into(),
        niveaux: "politique".into(),
        groupes: String::new(),
    }
}

fn membres(n: usize) -> Vec<Membre> {
    let i = instance(FormeInstance::Cdsf);
    (0..n)
        .map(|k| {
            let role = if k == 0 { "président" } else { "membre" };
            saisie(&format!("Membre {k}"), role)
                .valider(&i, MembreId(k as i64 + 1), None)
                .unwrap()
        })
        .collect()
}

#[test]
fn seul_un_agent_de_la_caf_du_departement_configure_l_instance() {
    let saisie = SaisieInstance {
        forme: FormeInstance::Cdsf,
        secretariat: "coordination@caf38.fr".into(),
        groupes: vec![],
        schema: None,
    };
    let quand = datetime!(2026-01-05 10:00 +1);
    let autre = Acteur::caf(UtilisateurId(2), [d("33")]);
    assert!(matches!(
        Instance::creer(&autre, InstanceId(1), d("38"), saisie.clone(), quand),
        Err(Refus::Territoire { .. })
    ));
    let membre = Acteur::membre(UtilisateurId(3), [d("38")]);
    assert!(matches!(
        Instance::creer(&membre, InstanceId(1), d("38"), saisie, quand),
        Err(Refus::Role { .. })
    ));
}

#[test]
fn un_cdsf_nomme_pour_six_ans_au_plus() {
    let i = instance(FormeInstance::Cdsf);
    let mut s = saisie("Jeanne Roux", "membre");
    s.mandat_fin = "02/01/2032".into();
    let r = s.valider(&i, MembreId(1), None).unwrap_err();
    assert_eq!(r.champ(), Some("mandat_fin"));
    assert!(r.to_string().contains("D.214-1"), "{r}");
    // The circular's instance sets no length of mandate.
    let c = instance(FormeInstance::Circulaire2012);
    assert!(s.valider(&c, MembreId(1), None).is_ok());
}

#[test]
fn chaque_champ_fautif_d_un_membre_est_nomme() {
    let i = instance(FormeInstance::Cdsf);
    let s = SaisieMembre {
        organisation: String::new(),
        personne: "Jeanne".into(),
        email: "pas-une-adresse".into(),
        role: "chef".into(),
        mandat_debut: "hier".into(),
        mandat_fin: "31/12/2030".into(),
        niveaux: "stratégique".into(),
        groupes: "Sud".into(),
    };
    let r = s.valider(&i, MembreId(1), None).unwrap_err();
    let champs: Vec<&str> = r.un_par_un().iter().filter_map(|x| x.champ()).collect();
    for c in [
        "organisation",
        "email",
        "role",
        "mandat_debut",
        "niveaux",
        "groupes",
    ] {
        assert!(champs.contains(&c), "{c} absent de {champs:?}");
    }
}

#[test]
fn trente_sept_membres_au_plus_dans_un_cdsf() {
    let tous = membres(38);
    let r = verifier_composition(FormeInstance::Cdsf, &tous, date!(2026 - 06 - 01)).unwrap_err();
    assert!(r.to_string().contains("37 membres au plus"), "{r}");
    assert!(verifier_composition(FormeInstance::Cdsf, &tous[..37], date!(2026 - 06 - 01)).is_ok());
    // Guests are not members: a 38th as guest passes.
    let mut avec_invite = tous.clone();
    avec_invite[37].role = RoleMembre::Invite;
    assert!(verifier_composition(FormeInstance::Cdsf, &avec_invite, date!(2026 - 06 - 01)).is_ok());
}

#[test]
fn l_import_est_entier_ou_nul_et_liste_chaque_ligne_fautive() {
    let i = instance(FormeInstance::Cdsf);
    let fichier = "organisation;personne;email;role;mandat_debut;mandat_fin;niveaux;groupes\n\
        Préfecture;Claire Préfète;prefete@isere.gouv.fr;président;01/01/2026;31/12/2031;politique;\n\
        Caf;Paul Caf;;vice-président;01/01/2026;31/12/2031;politique;\n\
        Udaf;Lina Udaf;lina@udaf38.fr;membre;01/01/2026;31/12/2040;politique;Nord-Isère\n\
        Ville;Marc Maire;prefete@isere.gouv.fr;membre;01/01/2026;31/12/2031;politique;\n";
    let lignes = lire_import(&i, &[], fichier, 1, date!(2026 - 02 - 01)).unwrap_err();
    let numeros: Vec<usize> = lignes.iter().map(|l| l.ligne).collect();
    assert_eq!(numeros, vec![3, 4, 5]);
    assert!(lignes[0].raisons.iter().any(|r| r.starts_with("email")));
    assert!(lignes[1].raisons.iter().any(|r| r.contains("6 ans")));
    assert!(lignes[2].raisons.iter().any(|r| r.contains("déjà celle")));

    let bon = "organisation,personne,email,role,mandat_debut,mandat_fin,niveaux\n\
        Préfecture,Claire Préfète,prefete@isere.gouv.fr,président,2026-01-01,2031-12-31,politique\n\
        Caf,Paul Caf,paul@caf38.fr,vice-président,2026-01-01,2031-12-31,\"politique,technique\"\n";
    let m = lire_import(&i, &[], bon, 10, date!(2026 - 02 - 01)).unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[1].niveaux.len(), 2);
    assert_eq!(m[1].role, RoleMembre::VicePresident);

    let sans_colonne = "organisation;personne\nCaf;Paul\n";
    let l = lire_import(&i, &[], sans_colonne, 1, date!(2026 - 02 - 01)).unwrap_err();
    assert_eq!(l[0].ligne, 1);
    assert!(l[0].raisons[0].contains("colonnes manquantes"));
}

fn seance_convoquee(membres: &[Membre], quand: OffsetDateTime) -> Seance {
    let i = instance(FormeInstance::Cdsf);
    let s = Seance::planifier(
        &caf(),
        &i,
        SeanceId(1),
        SaisieSeance {
            niveau: Niveau::Politique,
            groupe: None,
            titre: "Plénière".into(),
            debut: datetime!(2026-03-10 14:00 +1),
            duree_minutes: 120,
            lieu: "Préfecture, Grenoble".into(),
            ordre_du_jour: vec![PointOrdreDuJour {
                titre: "Diagnostic".into(),
                lien: Some(LienPoint::Diagnostic),
            }],
        },
        quand,
    )
    .unwrap()
    .apres;
    s.convoquer(&caf(), &i, membres, false, quand)
        .unwrap()
        .apres
}

#[test]
fn cinq_jours_de_preavis_sauf_urgence() {
    let i = instance(FormeInstance::Cdsf);
    let m = membres(3);
    let quand = datetime!(2026-03-01 9:00 +1);
    let s = Seance::planifier(
        &caf(),
        &i,
        SeanceId(1),
        SaisieSeance {
            niveau: Niveau::Politique,
            groupe: None,
            titre: "Plénière".into(),
            debut: datetime!(2026-03-05 14:00 +1),
            duree_minutes: 120,
            lieu: "Grenoble".into(),
            ordre_du_jour: vec![PointOrdreDuJour {
                titre: "Point".into(),
                lien: None,
            }],
        },
        quand,
    )
    .unwrap()
    .apres;
    let r = s.convoquer(&caf(), &i, &m, false, quand).unwrap_err();
    assert_eq!(r.champ(), Some("urgence"));
    let c = s.convoquer(&caf(), &i, &m, true, quand).unwrap().apres;
    assert_eq!(c.etat, EtatSeance::Convoquee);
    assert_eq!(c.convocations.len(), 3);
    assert!(c.convocations.values().all(|x| x.envoyee_le == quand));
    // The same form sent twice: the second convocation is refused, nothing is mailed again.
    let r = c.convoquer(&caf(), &i, &m, true, quand).unwrap_err();
    assert!(matches!(r, Refus::Etat { .. }), "{r}");
}

#[test]
fn chaque_changement_releve_la_sequence_et_l_annulation_aussi() {
    let i = instance(FormeInstance::Cdsf);
    let m = membres(2);
    let quand = datetime!(2026-02-01 9:00 +1);
    let s = seance_convoquee(&m, quand);
    assert_eq!(s.sequence, 0);
    let plus_tard = datetime!(2026-02-02 9:00 +1);
    let saisie = SaisieSeance {
        niveau: Niveau::Politique,
        groupe: None,
        titre: s.titre.clone(),
        debut: datetime!(2026-03-11 14:00 +1),
        duree_minutes: 120,
        lieu: s.lieu.clone(),
        ordre_du_jour: s.ordre_du_jour.clone(),
    };
    let modifiee = s.modifier(&caf(), &i, saisie, plus_tard).unwrap().apres;
    assert_eq!(modifiee.sequence, 1);
    assert!(
        modifiee
            .convocations
            .values()
            .all(|c| c.envoyee_le == plus_tard)
    );
    let annulee = modifiee
        .annuler(&caf(), &i, "préfet empêché", plus_tard)
        .unwrap()
        .apres;
    assert_eq!(annulee.sequence, 2);
    assert_eq!(annulee.etat, EtatSeance::Annulee);
    assert!(annulee.annuler(&caf(), &i, "encore", plus_tard).is_err());
}

#[test]
fn un_pouvoir_a_un_membre_convoque_et_nul_n_en_detient_deux() {
    let m = membres(4);
    let quand = datetime!(2026-02-01 9:00 +1);
    let s = seance_convoquee(&m, quand);
    let lien = Acteur::membre(UtilisateurId(0), [d("38")]);
    let (a, b, c, dd) = (m[0].id, m[1].id, m[2].id, m[3].id);
    let s = s.repondre(a, Reponse::Present, quand, &lien).unwrap().apres;
    let s = s
        .repondre(b, Reponse::Represente { par: a }, quand, &lien)
        .unwrap()
        .apres;
    let r = s
        .repondre(c, Reponse::Represente { par: a }, quand, &lien)
        .unwrap_err();
    assert!(r.to_string().contains("plus d'un"), "{r}");
    assert_eq!(r.champ(), Some("par"));
    let r = s
        .repondre(c, Reponse::Represente { par: c }, quand, &lien)
        .unwrap_err();
    assert_eq!(r.champ(), Some("par"));
    let r = s
        .repondre(c, Reponse::Represente { par: MembreId(99) }, quand, &lien)
        .unwrap_err();
    assert_eq!(r.champ(), Some("par"));
    // A holder of a proxy cannot leave without passing it on.
    let r = s.repondre(a, Reponse::Absent, quand, &lien).unwrap_err();
    assert!(r.to_string().contains("pouvoir"), "{r}");
    let s = s.repondre(dd, Reponse::Absent, quand, &lien).unwrap().apres;
    // Once started, the attendance sheet speaks.
    assert!(
        s.repondre(c, Reponse::Present, datetime!(2026-03-10 14:05 +1), &lien)
            .is_err()
    );
}

#[test]
fn quorum_calcule_a_la_main() {
    // 5 convened members who count, plus the secretariat (not counted):
    // present: 1 and 2 (signed); 3 represented by 1 (signed: counts); 4 represented by 5, who
    // did not sign (does not count); 5 absent. Present 2 + represented 1 = 3 ≥ ⌈5/2⌉ = 3.
    let i = instance(FormeInstance::Cdsf);
    let mut m = membres(5);
    let mut sec = saisie("Secretaire Caf", "secrétariat")
        .valider(&i, MembreId(6), None)
        .unwrap();
    sec.niveaux.clear();
    m.push(sec);
    let quand = datetime!(2026-02-01 9:00 +1);
    let s = seance_convoquee(&m, quand);
    assert_eq!(s.convocations.len(), 6, "the secretariat is convened too");
    let lien = Acteur::membre(UtilisateurId(0), [d("38")]);
    let s = s
        .repondre(
            MembreId(3),
            Reponse::Represente { par: MembreId(1) },
            quand,
            &lien,
        )
        .unwrap()
        .apres;
    let s = s
        .repondre(
            MembreId(4),
            Reponse::Represente { par: MembreId(5) },
            quand,
            &lien,
        )
        .unwrap()
        .apres;
    // Before the séance's day, the sheet cannot be recorded.
    assert!(
        s.emarger(
            &caf(),
            &i,
            &m,
            &[MembreId(1)],
            datetime!(2026-03-09 18:00 +1)
        )
        .is_err()
    );
    let tenue = s
        .emarger(
            &caf(),
            &i,
            &m,
            &[MembreId(1), MembreId(2), MembreId(6)],
            datetime!(2026-03-10 16:30 +1),
        )
        .unwrap()
        .apres;
    let q = tenue.quorum.unwrap();
    assert_eq!(
        (q.membres, q.presents, q.representes, q.requis, q.atteint),
        (5, 2, 1, 3, true)
    );
    // Without the proxy of 3, 2 < 3: not reached.
    let sans = s
        .emarger(
            &caf(),
            &i,
            &m,
            &[MembreId(2), MembreId(6)],
            datetime!(2026-03-10 16:30 +1),
        )
        .unwrap()
        .apres;
    assert!(!sans.quorum.unwrap().atteint);
}

#[test]
fn le_compte_rendu_va_du_brouillon_a_la_publication() {
    let i = instance(FormeInstance::Cdsf);
    let m = membres(3);
    let quand = datetime!(2026-02-01 9:00 +1);
    let s = seance_convoquee(&m, quand);
    let jour = datetime!(2026-03-10 17:00 +1);
    let tenue = s
        .emarger(&caf(), &i, &m, &[m[0].id, m[1].id], jour)
        .unwrap()
        .apres;
    let r = tenue
        .rediger_compte_rendu(
            &caf(),
            &i,
            SaisieCompteRendu {
                texte: " ".into(),
                decisions: vec![],
                actions: vec![SaisieAction {
                    libelle: "Cartographie des Laep".into(),
                    porteur: String::new(),
                    echeance: None,
                }],
            },
            jour,
        )
        .unwrap_err();
    assert_eq!(r.un_par_un().len(), 3, "{r}");
    let redige = tenue
        .rediger_compte_rendu(
            &caf(),
            &i,
            SaisieCompteRendu {
                texte: "Le diagnostic est présenté.".into(),
                decisions: vec!["Le diagnostic est adopté.".into()],
                actions: vec![SaisieAction {
                    libelle: "Cartographie des Laep".into(),
                    porteur: "Caf de l'Isère".into(),
                    echeance: Some(date!(2026 - 06 - 30)),
                }],
            },
            jour,
        )
        .unwrap()
        .apres;
    let lien = Acteur::membre(UtilisateurId(0), [d("38")]);
    assert!(
        redige
            .commenter_compte_rendu(&lien, m[0].id, "ok", jour)
            .is_err(),
        "no comment on a draft"
    );
    let soumis = redige
        .soumettre_compte_rendu(&caf(), &i, jour)
        .unwrap()
        .apres;
    let commente = soumis
        .commenter_compte_rendu(&lien, m[2].id, "Ajouter la MSA aux porteurs.", jour)
        .unwrap()
        .apres;
    assert!(
        commente.publier_compte_rendu(&caf(), &i, jour).is_err(),
        "approved first"
    );
    // Approved at a later séance, held.
    let suivante = Seance {
        id: SeanceId(2),
        debut: datetime!(2026-06-10 14:00 +2),
        etat: EtatSeance::Tenue,
        ..commente.clone()
    };
    assert!(
        commente
            .approuver_compte_rendu(&caf(), &i, &commente, jour)
            .is_err(),
        "not at itself"
    );
    let approuve = commente
        .approuver_compte_rendu(&caf(), &i, &suivante, datetime!(2026-06-10 16:00 +2))
        .unwrap()
        .apres;
    let publie = approuve
        .publier_compte_rendu(&caf(), &i, datetime!(2026-06-11 9:00 +2))
        .unwrap()
        .apres;
    let cr = publie.compte_rendu.as_ref().unwrap();
    assert_eq!(cr.etat, EtatCompteRendu::Publie);
    assert_eq!(cr.approuve_en, Some(SeanceId(2)));
    assert_eq!(cr.commentaires.len(), 1);
    let suivie = publie
        .suivre_action(
            &caf(),
            &i,
            1,
            StatutAction::Realisee,
            datetime!(2026-07-01 9:00 +2),
        )
        .unwrap()
        .apres;
    assert!(!suivie.compte_rendu.unwrap().actions[0].statut.ouverte());
}
