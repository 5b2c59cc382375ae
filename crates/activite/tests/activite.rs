//! The activity scenarios, each run on SQLite and on PostgreSQL: sessions seen at once in every
//! aggregate, the 5-session guideline, imports that are refused as a whole or repeated without
//! effect, the activity target, and no trace anywhere of the identifiers families are known by.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod commun;

use std::collections::BTreeSet;

use activite::{
    Agregat, Diffusion, ErreurActivite, Etape, IdentifiantFamille, Maille, Mode, Niveau,
    Orientation, Periode, Presence, SaisieEntretien, SuiviActivite, Sujet, ecrire_csv,
};
use app::Plateforme;
use commun::{d, empreinte_base, le, saisie, structures, suivi};
use domain::Acteur;
use domain::identifiants::{GestionnaireId, UtilisateurId};
use store::Valeur;
use time::Date;
use time::macros::date;

fn maille(niveau: Niveau, periode: Periode) -> Maille {
    Maille { niveau, periode }
}

fn refuse<T: std::fmt::Debug>(r: Result<T, ErreurActivite>, extrait: &str) -> ErreurActivite {
    match r {
        Ok(v) => panic!("accepté à tort ({extrait}) : {v:?}"),
        Err(e) => {
            let m = e.to_string();
            assert!(m.contains(extrait), "« {extrait} » absent de « {m} »");
            e
        }
    }
}

/// The figures of every level for one exercise: structure, département and nation, by month
/// and by year, and the dashboard.
#[derive(Debug, PartialEq)]
struct Vue {
    structures_mois: Vec<Agregat>,
    structures_annee: Vec<Agregat>,
    departements_mois: Vec<Agregat>,
    departements_annee: Vec<Agregat>,
    nation_mois: Vec<Agregat>,
    nation_annee: Vec<Agregat>,
    tableau_ensemble: Agregat,
    tableau_mois: Vec<Agregat>,
}

async fn vue(s: &SuiviActivite, exercice: i32) -> Vue {
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let a = |n, p| s.agregats(&cnaf, maille(n, p), exercice);
    let t = s.tableau_de_bord(&cnaf, exercice).await.unwrap();
    Vue {
        structures_mois: a(Niveau::Structure, Periode::Mois).await.unwrap(),
        structures_annee: a(Niveau::Structure, Periode::Annee).await.unwrap(),
        departements_mois: a(Niveau::Departement, Periode::Mois).await.unwrap(),
        departements_annee: a(Niveau::Departement, Periode::Annee).await.unwrap(),
        nation_mois: a(Niveau::Nation, Periode::Mois).await.unwrap(),
        nation_annee: a(Niveau::Nation, Periode::Annee).await.unwrap(),
        tableau_ensemble: t.ensemble,
        tableau_mois: t.par_mois,
    }
}

fn trouver<'a>(
    v: &'a [Agregat],
    dep: Option<&str>,
    g: Option<i64>,
    mois: Option<u8>,
) -> &'a Agregat {
    v.iter()
        .find(|a| {
            a.departement.as_deref() == dep && a.gestionnaire.map(|g| g.0) == g && a.mois == mois
        })
        .unwrap_or_else(|| panic!("aucun agrégat {dep:?} {g:?} {mois:?} dans {v:#?}"))
}

/// Every level counts the sessions of `g` (département `dep`) in month `mois`.
fn entretiens_partout(v: &Vue, dep: &str, g: i64, mois: u8) -> [i64; 8] {
    [
        trouver(&v.structures_mois, Some(dep), Some(g), Some(mois)).entretiens,
        trouver(&v.structures_annee, Some(dep), Some(g), None).entretiens,
        trouver(&v.departements_mois, Some(dep), None, Some(mois)).entretiens,
        trouver(&v.departements_annee, Some(dep), None, None).entretiens,
        trouver(&v.nation_mois, None, None, Some(mois)).entretiens,
        trouver(&v.nation_annee, None, None, None).entretiens,
        v.tableau_ensemble.entretiens,
        trouver(&v.tableau_mois, None, None, Some(mois)).entretiens,
    ]
}

async fn toutes_les_mailles(p: Plateforme, _fichier: Option<String>) {
    let s = suivi(&p);
    let ids = structures(
        &p,
        &[
            ("Écoute Parents Isère", "38"),
            ("Maison des familles", "38"),
            ("Parents du Gard", "30"),
        ],
    )
    .await;
    let (g1, g2, g3) = (ids[0], ids[1], ids[2]);
    let i1 = Acteur::intervenant(UtilisateurId(10), [g1]);
    let ges2 = Acteur::gestionnaire(UtilisateurId(20), [g2]);
    let i3 = Acteur::intervenant(UtilisateurId(30), [g3]);
    let quand = le(date!(2024 - 04 - 02));

    let mut pc = saisie(
        g1,
        "F-A",
        date!(2024 - 02 - 05),
        Etape::PremierContact,
        Mode::Presentiel,
    );
    pc.sujets = BTreeSet::from([Sujet::Education, Sujet::Scolarite]);
    let r = s.enregistrer(&i1, pc.clone(), quand).await.unwrap();
    assert!(r.nouveau);
    assert_eq!(r.seances_famille_annee, 1);
    assert!(r.avertissements.is_empty(), "{:?}", r.avertissements);
    let mut suite = saisie(
        g1,
        "F-A",
        date!(2024 - 02 - 12),
        Etape::Accompagnement,
        Mode::Visio,
    );
    suite.presence = Presence::DeuxParents;
    suite.orientations = BTreeSet::from([Orientation::Ccas]);
    suite.duree_minutes = 75;
    assert_eq!(
        s.enregistrer(&i1, suite, quand)
            .await
            .unwrap()
            .seances_famille_annee,
        2
    );
    let r = s
        .enregistrer(
            &i1,
            saisie(
                g1,
                "F-B",
                date!(2024 - 03 - 20),
                Etape::PremierContact,
                Mode::Telephone,
            ),
            quand,
        )
        .await
        .unwrap();
    let codes: Vec<_> = r.avertissements.iter().map(|a| a.code).collect();
    assert_eq!(codes, ["premier_contact_a_distance"]);
    // The same identifier at another structure is another family there.
    let mut ailleurs = saisie(
        g2,
        "F-A",
        date!(2024 - 03 - 10),
        Etape::Accompagnement,
        Mode::Presentiel,
    );
    ailleurs.presence = Presence::AvecEnfant;
    ailleurs.duree_minutes = 45;
    let r = s.enregistrer(&ges2, ailleurs, quand).await.unwrap();
    assert_eq!(r.seances_famille_annee, 1);
    s.enregistrer(
        &i3,
        saisie(
            g3,
            "F-C",
            date!(2024 - 03 - 15),
            Etape::Bilan,
            Mode::Presentiel,
        ),
        quand,
    )
    .await
    .unwrap();

    // The annual report of structure 1.
    let b = s.chiffres_bilan(&i1, g1, 2024).await.unwrap();
    assert_eq!(b.activite.entretiens, 3);
    assert_eq!(b.familles_distinctes, 2);
    assert_eq!(b.activite.familles_distinctes_structure_annee, 2);
    assert_eq!(b.activite.minutes, 60 + 75 + 60);
    assert_eq!(b.activite.par_etape[&Etape::PremierContact], 2);
    assert_eq!(b.activite.par_etape[&Etape::Accompagnement], 1);
    assert_eq!(b.activite.par_mode[&Mode::Telephone], 1);
    assert_eq!(b.activite.par_presence[&Presence::DeuxParents], 1);
    assert_eq!(b.activite.par_sujet[&Sujet::Scolarite], 1);
    assert_eq!(b.activite.par_orientation[&Orientation::Ccas], 1);
    assert_eq!(b.activite.entretiens_orientes, 1);
    assert_eq!(
        (
            b.activite.premiers_contacts,
            b.activite.premiers_contacts_suivis
        ),
        (2, 1)
    );
    assert_eq!(
        b.activite.familles_par_nombre_de_seances,
        [(1, 1), (2, 1)].into()
    );
    let declaree = b.activite_declaree();
    assert_eq!(
        (
            declaree.entretiens,
            declaree.parents_distincts,
            declaree.heures_entretiens
        ),
        (3, 2, 3)
    );

    // Every level at once.
    let v = vue(&s, 2024).await;
    assert_eq!(
        entretiens_partout(&v, "38", g1.0, 2),
        [2, 3, 2, 4, 2, 5, 5, 2]
    );
    assert_eq!(
        trouver(&v.structures_mois, Some("38"), Some(g1.0), Some(3))
            .familles_distinctes_structure_annee,
        1
    );
    let isere = trouver(&v.departements_annee, Some("38"), None, None);
    // « F-A » at two structures counts twice: distinct families are summed by structure.
    assert_eq!(isere.familles_distinctes_structure_annee, 3);
    assert_eq!(isere.minutes, 60 + 75 + 60 + 45);
    assert_eq!(
        trouver(&v.nation_annee, None, None, None).familles_distinctes_structure_annee,
        4
    );
    assert_eq!(trouver(&v.nation_mois, None, None, Some(3)).entretiens, 3);

    // One more session: every level moves by one, with no rebuild.
    s.enregistrer(
        &i1,
        saisie(
            g1,
            "F-B",
            date!(2024 - 02 - 26),
            Etape::Accompagnement,
            Mode::Presentiel,
        ),
        quand,
    )
    .await
    .unwrap();
    let apres = vue(&s, 2024).await;
    assert_eq!(
        entretiens_partout(&apres, "38", g1.0, 2),
        [3, 4, 3, 5, 3, 6, 6, 3]
    );
    // F-B now starts in February: the month of its first session moved.
    assert_eq!(
        trouver(&apres.structures_mois, Some("38"), Some(g1.0), Some(2))
            .familles_distinctes_structure_annee,
        2
    );
    assert_eq!(
        trouver(&apres.structures_mois, Some("38"), Some(g1.0), Some(3))
            .familles_distinctes_structure_annee,
        0
    );
    // The same session again changes nothing.
    let r = s
        .enregistrer(
            &i1,
            saisie(
                g1,
                "F-B",
                date!(2024 - 02 - 26),
                Etape::Accompagnement,
                Mode::Presentiel,
            ),
            quand,
        )
        .await
        .unwrap();
    assert!(!r.nouveau);
    assert_eq!(vue(&s, 2024).await, apres);

    // Indicators and the dashboard per Caf.
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let t = s.tableau_de_bord(&cnaf, 2024).await.unwrap();
    assert_eq!(t.perimetre, "national");
    let deps: Vec<_> = t
        .par_departement
        .iter()
        .map(|l| l.departement.clone().unwrap())
        .collect();
    assert_eq!(deps, ["30", "38"]);
    let isere = &t.par_departement[1];
    let epf = isere
        .indicateurs
        .iter()
        .find(|i| i.code == "entretiens_par_famille")
        .unwrap();
    assert_eq!(epf.valeur, Some(5.0 / 3.0));
    // F-A's first contact was followed up; F-B's accompaniment came before its first contact.
    let suivis = isere
        .indicateurs
        .iter()
        .find(|i| i.code == "part_premiers_contacts_suivis")
        .unwrap();
    assert_eq!(suivis.valeur, Some(50.0));
    let ind = s.indicateurs(&cnaf, Niveau::Structure, 2024).await.unwrap();
    assert_eq!(ind.len(), 3);

    // Who may write, who may read.
    let caf38 = Acteur::caf(UtilisateurId(40), [d("38")]);
    let caf30 = Acteur::caf(UtilisateurId(41), [d("30")]);
    let e = refuse(
        s.enregistrer(
            &i3,
            saisie(
                g1,
                "F-Z",
                date!(2024 - 03 - 01),
                Etape::Bilan,
                Mode::Presentiel,
            ),
            quand,
        )
        .await,
        "structure",
    );
    assert!(e.est_interdit());
    let e = refuse(
        s.enregistrer(
            &caf38,
            saisie(
                g1,
                "F-Z",
                date!(2024 - 03 - 01),
                Etape::Bilan,
                Mode::Presentiel,
            ),
            quand,
        )
        .await,
        "réservée",
    );
    assert!(e.est_interdit());
    refuse(
        s.enregistrer(
            &cnaf,
            saisie(
                g1,
                "F-Z",
                date!(2024 - 03 - 01),
                Etape::Bilan,
                Mode::Presentiel,
            ),
            quand,
        )
        .await,
        "Cnaf",
    );
    refuse(s.importer_csv(&caf38, g1, b"x", quand).await, "réservée");
    let dep38 = s
        .agregats(&caf38, maille(Niveau::Departement, Periode::Annee), 2024)
        .await
        .unwrap();
    assert_eq!(dep38.len(), 1);
    assert_eq!(dep38[0].entretiens, 5);
    refuse(
        s.agregats(&caf38, maille(Niveau::Nation, Periode::Annee), 2024)
            .await,
        "Cnaf",
    );
    assert_eq!(
        s.tableau_de_bord(&caf30, 2024)
            .await
            .unwrap()
            .ensemble
            .entretiens,
        1
    );
    assert!(
        s.chiffres_bilan(&caf30, g1, 2024)
            .await
            .unwrap_err()
            .est_interdit()
    );
    assert!(
        s.entretiens(&i3, g1, 2024)
            .await
            .unwrap_err()
            .est_interdit()
    );
    assert_eq!(s.entretiens(&caf38, g1, 2024).await.unwrap().len(), 4);
    assert!(
        s.derniers_entretiens(&i3, g1, 2024, 2)
            .await
            .unwrap_err()
            .est_interdit()
    );
    // The latest sessions, latest first, as many as asked: the end of the list by date, reversed.
    let tous = s.entretiens(&caf38, g1, 2024).await.unwrap();
    let derniers = s.derniers_entretiens(&caf38, g1, 2024, 2).await.unwrap();
    let attendus: Vec<i64> = tous.iter().rev().take(2).map(|e| e.id).collect();
    assert_eq!(derniers.iter().map(|e| e.id).collect::<Vec<_>>(), attendus);
    assert!(derniers[0].date >= derniers[1].date);
    assert!(
        s.derniers_entretiens(&caf38, g1, 2023, 2)
            .await
            .unwrap()
            .is_empty()
    );
    let mes = s
        .agregats(&i1, maille(Niveau::Structure, Periode::Annee), 2024)
        .await
        .unwrap();
    assert_eq!(
        mes.iter().map(|a| a.gestionnaire).collect::<Vec<_>>(),
        [Some(g1)]
    );

    // Each session is in the audit log, and the chain holds.
    let mut tx = p.base.debuter().await.unwrap();
    let n = tx
        .ligne(
            "SELECT COUNT(*) AS n FROM audit WHERE entite = 'entretien'",
            &[],
        )
        .await
        .unwrap()
        .unwrap()
        .entier("n")
        .unwrap();
    assert_eq!(n, 6);
    drop(tx);
    assert_eq!(
        store::audit::verifier(&p.base).await.unwrap(),
        Vec::<String>::new()
    );
}
sur_les_deux_bases!(toutes_les_mailles);

async fn sixieme_entretien(p: Plateforme, _fichier: Option<String>) {
    let s = suivi(&p);
    let g = structures(&p, &[("Écoute Parents Isère", "38")]).await[0];
    let i = Acteur::intervenant(UtilisateurId(10), [g]);
    let quand = le(date!(2024 - 09 - 30));
    let seance = |mois: u8, jour: u8| {
        saisie(
            g,
            "famille 6",
            Date::from_calendar_date(2024, time::Month::try_from(mois).unwrap(), jour).unwrap(),
            if mois == 1 {
                Etape::PremierContact
            } else {
                Etape::Accompagnement
            },
            Mode::Presentiel,
        )
    };
    for m in 1..=5 {
        let r = s.enregistrer(&i, seance(m, 10), quand).await.unwrap();
        assert_eq!(r.seances_famille_annee, i64::from(m));
        assert!(r.avertissements.is_empty());
    }
    let avant = empreinte_base(&p).await;
    let e = refuse(
        s.enregistrer(&i, seance(6, 10), quand).await,
        "motif_exception",
    );
    assert!(e.to_string().contains("6e entretien"), "{e}");
    assert!(matches!(
        e,
        ErreurActivite::MotifExceptionRequis {
            rang: 6,
            maximum: 5,
            exercice: 2024
        }
    ));
    assert_eq!(empreinte_base(&p).await, avant);
    let mut avec = seance(6, 10);
    avec.motif_exception = Some("  ".into());
    refuse(s.enregistrer(&i, avec, quand).await, "motif_exception");

    let mut avec = seance(6, 10);
    avec.motif_exception = Some("Séparation en cours, médiation familiale différée".into());
    let r = s.enregistrer(&i, avec, quand).await.unwrap();
    assert_eq!(r.seances_famille_annee, 6);
    assert_eq!(
        r.avertissements[0].code,
        "entretiens_famille_au_dela_repere"
    );
    assert!(r.avertissements[0].message.starts_with("6e entretien"));
    assert_eq!(
        r.entretien.motif_exception.as_deref(),
        Some("Séparation en cours, médiation familiale différée")
    );
    let mut septieme = seance(7, 3);
    septieme.motif_exception = Some("Bilan reporté".into());
    assert_eq!(
        s.enregistrer(&i, septieme, quand)
            .await
            .unwrap()
            .seances_famille_annee,
        7
    );
    let famille = IdentifiantFamille::new("FAMILLE 6").unwrap();
    assert_eq!(
        s.seances_de_la_famille(&i, g, &famille, 2024)
            .await
            .unwrap(),
        7
    );
    assert_eq!(
        s.seances_de_la_famille(&i, g, &famille, 2025)
            .await
            .unwrap(),
        0
    );

    let b = s.chiffres_bilan(&i, g, 2024).await.unwrap();
    assert_eq!(b.activite.entretiens, 7);
    assert_eq!(b.activite.entretiens_exception, 2);
    assert_eq!(b.repere_seances, Some(5));
    assert_eq!(b.familles_au_dela_repere, 1);
    assert_eq!(b.activite.familles_par_nombre_de_seances, [(7, 1)].into());

    // A new year, a new count.
    let r = s
        .enregistrer(
            &i,
            saisie(
                g,
                "famille 6",
                date!(2025 - 01 - 08),
                Etape::Accompagnement,
                Mode::Presentiel,
            ),
            le(date!(2025 - 01 - 10)),
        )
        .await
        .unwrap();
    assert_eq!(r.seances_famille_annee, 1);

    // The same rule on import: the 6th line of a family needs its reason.
    let fichier = "identifiant_famille;date;duree_minutes;etape;mode;presence;motif_exception\n\
                   autre;02/01/2024;60;premier_contact;presentiel;un_parent;\n\
                   autre;03/02/2024;60;accompagnement;presentiel;un_parent;\n\
                   autre;04/03/2024;60;accompagnement;presentiel;un_parent;\n\
                   autre;05/04/2024;60;accompagnement;presentiel;un_parent;\n\
                   autre;07/06/2024;60;bilan;presentiel;un_parent;\n\
                   autre;06/05/2024;60;accompagnement;presentiel;un_parent;\n";
    let e = refuse(
        s.importer_csv(&i, g, fichier.as_bytes(), quand).await,
        "ligne 6",
    );
    assert_eq!(e.lignes_en_erreur().len(), 1);
    assert_eq!(
        e.lignes_en_erreur()[0].ligne,
        6,
        "the 6th by date is the June review, line 6"
    );
    assert!(e.to_string().contains("6e entretien"), "{e}");
    let corrige = fichier.replace(
        "bilan;presentiel;un_parent;",
        "bilan;presentiel;un_parent;fin de suivi décalée",
    );
    let r = s
        .importer_csv(&i, g, corrige.as_bytes(), quand)
        .await
        .unwrap();
    assert_eq!(r.importees, 6);
    assert_eq!(
        r.avertissements[0].code,
        "entretiens_famille_au_dela_repere"
    );
    assert!(
        r.avertissements[0].message.contains("ligne 6"),
        "{}",
        r.avertissements[0].message
    );
}
sur_les_deux_bases!(sixieme_entretien);

const ENTETE: &str = "identifiant_famille;date;duree_minutes;etape;mode;presence;sujets;orientations;motif_exception";

async fn import_refuse(p: Plateforme, _fichier: Option<String>) {
    let s = suivi(&p);
    let ids = structures(&p, &[("Écoute Parents Isère", "38"), ("Autre", "38")]).await;
    let g = ids[0];
    let ges = Acteur::gestionnaire(UtilisateurId(20), [g]);
    let quand = le(date!(2024 - 10 - 01));
    let bon = format!(
        "{ENTETE}\nA-1;05/03/2024;60;premier_contact;presentiel;un_parent;;;\n\
         A-1;2024-03-19;60;accompagnement;visio;deux_parents;education;ccas;\n"
    );
    s.importer_csv(&ges, g, bon.as_bytes(), quand)
        .await
        .unwrap();
    let avant = empreinte_base(&p).await;
    let bilan_avant = s.chiffres_bilan(&ges, g, 2024).await.unwrap();

    let mauvais = format!(
        "{ENTETE}\n\
         B-1;05/03/2024;60;premier_contact;presentiel;un_parent;;;\n\
         B-1;31/02/2024;60;accompagnement;presentiel;un_parent;;;\n\
         B-2;06/03/2024;60;rendez-vous;presentiel;un_parent;;;\n\
         ;07/03/2024;60;accompagnement;presentiel;un_parent;;;\n\
         B-3;08/03/2024;60;accompagnement;presentiel;un_parent;;;\n\
         B-3;08/03/2024;60;accompagnement;presentiel;un_parent;;;\n\
         B-4;09/03/2024;600;accompagnement;presentiel;un_parent;;;\n\
         B-5;10/03/2024;60;accompagnement;presentiel;un_parent;;garage;\n\
         B-6;10/03/2025;60;accompagnement;presentiel;un_parent;;;\n\
         B-7;10/03/2023;60;accompagnement;presentiel;un_parent;;;\n\
         A-1;01/04/2024;60;accompagnement;presentiel;un_parent;;;\n\
         A-1;02/04/2024;60;accompagnement;presentiel;un_parent;;;\n\
         A-1;03/04/2024;60;accompagnement;presentiel;un_parent;;;\n\
         A-1;04/04/2024;60;bilan;presentiel;un_parent;;;\n\
         B-8;11/03/2024;60;accompagnement\n"
    );
    let e = refuse(
        s.importer_csv(&ges, g, mauvais.as_bytes(), quand).await,
        "rien n'a été importé",
    );
    let lignes: Vec<(u64, Vec<&str>)> = e
        .lignes_en_erreur()
        .iter()
        .map(|l| (l.ligne, l.problemes.iter().map(|p| p.champ).collect()))
        .collect();
    assert_eq!(
        lignes,
        [
            (3, vec!["date"]),
            (4, vec!["etape"]),
            (5, vec!["identifiant_famille"]),
            (7, vec!["ligne"]),
            (8, vec!["duree_minutes"]),
            (9, vec!["orientations"]),
            (10, vec!["date"]),
            (11, vec!["date"]),
            (15, vec!["motif_exception"]),
            (16, vec!["ligne"]),
        ]
    );
    let texte = e.to_string();
    assert!(texte.contains("10 lignes en erreur"), "{texte}");
    assert!(
        texte.contains("ligne 7 : ligne : même entretien que la ligne 6"),
        "{texte}"
    );
    assert!(
        texte.contains("ligne 11 : date : exercice 2023 non couvert"),
        "{texte}"
    );
    assert!(
        texte.contains("ligne 15 : motif_exception : ce serait le 6e entretien"),
        "{texte}"
    );
    assert_eq!(empreinte_base(&p).await, avant);
    assert_eq!(s.chiffres_bilan(&ges, g, 2024).await.unwrap(), bilan_avant);

    // A session of another structure's staff member, a place of another structure.
    let e = refuse(
        s.importer_csv(
            &ges,
            g,
            "identifiant_famille;date;duree_minutes;etape;mode;presence;lieu_id\nC;05/03/2024;60;bilan;presentiel;un_parent;99\n".as_bytes(),
            quand,
        )
        .await,
        "lieu_id",
    );
    assert_eq!(e.lignes_en_erreur()[0].ligne, 2);
    assert_eq!(empreinte_base(&p).await, avant);
}
sur_les_deux_bases!(import_refuse);

async fn meme_fichier_deux_fois(p: Plateforme, _fichier: Option<String>) {
    let s = suivi(&p);
    let g = structures(&p, &[("Écoute Parents Isère", "38")]).await[0];
    let i = Acteur::intervenant(UtilisateurId(10), [g]);
    let quand = le(date!(2024 - 12 - 15));
    let fichier = format!(
        "\u{FEFF}{ENTETE}\r\n\
         D-1;05/03/2024;60;premier_contact;presentiel;un_parent;;;\r\n\
         D-1;2024-03-19;45;accompagnement;visio;deux_parents;education,scolarite;ccas|sante;\r\n\
         D-2;12/04/2024;1h;premier_contact;téléphone;avec_enfant;;;\r\n\
         D-3;02/05/2024;90;Bilan;Présentiel;Un parent;autre;;\r\n"
    );
    let r = s
        .importer_csv(&i, g, fichier.as_bytes(), quand)
        .await
        .unwrap();
    let premier = r.import;
    assert_eq!(
        (r.lignes, r.importees, r.deja_presentes, r.deja_importe),
        (4, 4, 0, false)
    );
    assert_eq!(r.avertissements[0].code, "premier_contact_a_distance");
    let apres = empreinte_base(&p).await;
    let b = s.chiffres_bilan(&i, g, 2024).await.unwrap();
    assert_eq!(
        (
            b.activite.entretiens,
            b.familles_distinctes,
            b.activite.minutes
        ),
        (4, 3, 255)
    );

    // The same bytes: recognised, nothing done.
    let r2 = s
        .importer_csv(&i, g, fichier.as_bytes(), quand)
        .await
        .unwrap();
    assert!(r2.deja_importe);
    assert_eq!((r2.import, r2.importees), (r.import, 0));
    assert_eq!(empreinte_base(&p).await, apres);

    // Another file with the same sessions (reordered, no BOM, other spellings) and one more.
    let autre = format!(
        "{ENTETE}\n\
         D-3;2024-05-02;90;bilan;presentiel;un_parent;autre;;\n\
         d-1;19/03/2024;45;accompagnement;visio;deux_parents;scolarite, education;sante,ccas;\n\
         D-1;05/03/2024;60;premier_contact;presentiel;un_parent;;;\n\
         D-2;12/04/2024;60;premier_contact;telephone;avec_enfant;;;\n\
         D-2;20/04/2024;60;accompagnement;presentiel;avec_enfant;;;\n"
    );
    let r3 = s
        .importer_csv(&i, g, autre.as_bytes(), quand)
        .await
        .unwrap();
    assert!(!r3.deja_importe);
    assert_eq!((r3.lignes, r3.importees, r3.deja_presentes), (5, 1, 4));
    let b = s.chiffres_bilan(&i, g, 2024).await.unwrap();
    assert_eq!((b.activite.entretiens, b.familles_distinctes), (5, 3));
    assert_eq!(
        (
            b.activite.premiers_contacts,
            b.activite.premiers_contacts_suivis
        ),
        (2, 2)
    );

    // Entering by hand a session already imported stores nothing.
    let mut deja = saisie(
        g,
        "D-3",
        date!(2024 - 05 - 02),
        Etape::Bilan,
        Mode::Presentiel,
    );
    deja.duree_minutes = 90;
    deja.sujets = BTreeSet::from([Sujet::Autre]);
    let r = s.enregistrer(&i, deja, quand).await.unwrap();
    assert!(!r.nouveau);
    assert_eq!(r.entretien.import, Some(premier));
    assert_eq!(s.entretiens(&i, g, 2024).await.unwrap().len(), 5);

    // With the structure's own references, a line sent again is the same session even corrected.
    let avec_ref = "identifiant_famille;date;duree_minutes;etape;mode;presence;reference\n\
                    E-1;05/06/2024;60;premier_contact;presentiel;un_parent;RDV-001\n";
    assert_eq!(
        s.importer_csv(&i, g, avec_ref.as_bytes(), quand)
            .await
            .unwrap()
            .importees,
        1
    );
    let corrige = avec_ref.replace(";60;", ";50;");
    let r = s
        .importer_csv(&i, g, corrige.as_bytes(), quand)
        .await
        .unwrap();
    assert_eq!((r.importees, r.deja_presentes), (0, 1));
    let mut autre_famille = saisie(
        g,
        "E-2",
        date!(2024 - 06 - 05),
        Etape::PremierContact,
        Mode::Presentiel,
    );
    autre_famille.reference = Some("RDV-001".into());
    refuse(s.enregistrer(&i, autre_famille, quand).await, "reference");
}
sur_les_deux_bases!(meme_fichier_deux_fois);

/// Inserts the records a declaration needs (call, dossier, convention) and a validated
/// declaration of `etp` FTE over 12 months, and a payment: the platform's own tables.
async fn declarer(p: &Plateforme, g: GestionnaireId, etp_dix_milliemes: i64, paye_centimes: i64) {
    let mut tx = p.base.debuter().await.unwrap();
    let j = |d: Date| Valeur::Date(d);
    tx.executer(
        "INSERT INTO appels (id, departement, dispositif, ouverture, cloture, version, donnees) \
         VALUES (1, '38', 'aip', $1, $2, 1, '{}')",
        &[j(date!(2023 - 11 - 01)), j(date!(2024 - 01 - 31))],
    )
    .await
    .unwrap();
    tx.executer(
        "INSERT INTO dossiers (id, appel_id, gestionnaire_id, departement, etat, version, donnees) \
         VALUES (1, 1, $1, '38', 'valide', 1, '{}')",
        &[Valeur::Entier(g.0)],
    )
    .await
    .unwrap();
    tx.executer(
        "INSERT INTO conventions (id, dossier_id, numero, gestionnaire_id, departement, etat, \
         date_debut, date_fin, signee_le, version, donnees) \
         VALUES (1, 1, 'COF-1', $1, '38', 'signee', $2, $3, $2, 1, '{}')",
        &[
            Valeur::Entier(g.0),
            j(date!(2024 - 01 - 01)),
            j(date!(2025 - 12 - 31)),
        ],
    )
    .await
    .unwrap();
    let donnees = format!(
        "{{\"donnees\": {{\"etp_declares\": {etp_dix_milliemes}, \"mois_fonctionnement\": 12, \
         \"depenses_fonctionnement\": 6600000}}}}"
    );
    tx.executer(
        "INSERT INTO declarations (id, convention_id, gestionnaire_id, departement, exercice, \
         nature, etat, version, donnees) VALUES (1, 1, $1, '38', 2024, 'previsionnelle', \
         'validee', 1, $2)",
        &[Valeur::Entier(g.0), donnees.into()],
    )
    .await
    .unwrap();
    tx.executer(
        "INSERT INTO paiements (id, convention_id, gestionnaire_id, departement, exercice, \
         echeance, nature, montant_centimes, date_paiement, reference, version, donnees) \
         VALUES (1, 1, $1, '38', 2024, 'acompte', 'acompte', $2, $3, 'P-1', 1, '{}')",
        &[
            Valeur::Entier(g.0),
            Valeur::Entier(paye_centimes),
            j(date!(2024 - 02 - 01)),
        ],
    )
    .await
    .unwrap();
    tx.valider().await.unwrap();
}

async fn objectif_d_activite(p: Plateforme, _fichier: Option<String>) {
    let s = suivi(&p);
    let g = structures(&p, &[("Écoute Parents Isère", "38")]).await[0];
    let i = Acteur::intervenant(UtilisateurId(10), [g]);
    // Without FTE known, nothing is said of the target.
    let r = s
        .enregistrer(
            &i,
            saisie(
                g,
                "O-1",
                date!(2024 - 01 - 15),
                Etape::PremierContact,
                Mode::Presentiel,
            ),
            le(date!(2024 - 06 - 15)),
        )
        .await
        .unwrap();
    assert!(r.avertissements.is_empty(), "{:?}", r.avertissements);

    declarer(&p, g, 5_000, 2_640_000).await;
    // 0.5 FTE from January to May: 200 × 0.5 × 5/12 ≈ 41.67 families, 600 × 0.5 × 5/12 = 125
    // sessions expected by the end of May.
    let r = s
        .enregistrer(
            &i,
            saisie(
                g,
                "O-2",
                date!(2024 - 02 - 15),
                Etape::PremierContact,
                Mode::Presentiel,
            ),
            le(date!(2024 - 06 - 15)),
        )
        .await
        .unwrap();
    let codes: Vec<_> = r.avertissements.iter().map(|a| a.code).collect();
    assert_eq!(codes, ["familles_sous_cible", "entretiens_sous_cible"]);
    let m = &r.avertissements[0].message;
    assert!(
        m.starts_with("Objectif d'activité 2024, à la fin de mai : 2 familles"),
        "{m}"
    );
    assert!(m.contains("proratisé à 5 mois"), "{m}");
    assert_eq!(r.avertissements[0].source, "Référentiel AIP §V");
    // In January nothing is complete yet: no pace to judge.
    let r = s
        .enregistrer(
            &i,
            saisie(
                g,
                "O-3",
                date!(2024 - 01 - 20),
                Etape::PremierContact,
                Mode::Presentiel,
            ),
            le(date!(2024 - 01 - 25)),
        )
        .await
        .unwrap();
    assert!(r.avertissements.is_empty(), "{:?}", r.avertissements);

    // The indicators read the FTE and the payments.
    let b = s.chiffres_bilan(&i, g, 2024).await.unwrap();
    let v = |code: &str| {
        b.indicateurs
            .iter()
            .find(|x| x.code == code)
            .unwrap()
            .clone()
    };
    assert_eq!(v("familles_par_etp").valeur, Some(6.0));
    assert_eq!(v("familles_par_etp").cible, Some(200.0));
    assert_eq!(v("familles_par_etp").cible_atteinte, Some(false));
    assert_eq!(v("montant_verse_par_famille").valeur, Some(8800.0));
    let t = s
        .tableau_de_bord(&Acteur::cnaf(UtilisateurId(1)), 2024)
        .await
        .unwrap();
    let e = t
        .indicateurs
        .iter()
        .find(|x| x.code == "entretiens_par_etp")
        .unwrap();
    assert_eq!(e.valeur, Some(6.0));
}
sur_les_deux_bases!(objectif_d_activite);

/// The identifiers families are known by at their structures, as typed.
const IDENTIFIANTS: [&str; 4] = [
    "DUPONT Marie 12/03/1984",
    "nir-2840375123456",
    "Martin-Lucie-Zoé",
    "dossier CAF 7744120",
];

/// Distinctive parts of them, that no code, hash or count can contain by chance (letters
/// outside hexadecimal, or long runs of digits).
const FRAGMENTS: [&str; 5] = ["dupont", "2840375123456", "lucie", "7744120", "zoé"];

fn sans_identifiant(quoi: &str, texte: &str) {
    let bas = texte.to_lowercase();
    for id in IDENTIFIANTS {
        let normalise = id.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            !bas.contains(&normalise.to_lowercase()),
            "« {id} » trouvé dans {quoi}"
        );
    }
    for f in FRAGMENTS {
        assert!(!bas.contains(f), "« {f} » trouvé dans {quoi}");
    }
}

async fn aucune_trace_des_identifiants(p: Plateforme, fichier: Option<String>) {
    let s = suivi(&p);
    let ids = structures(
        &p,
        &[("Écoute Parents Isère", "38"), ("Parents du Gard", "30")],
    )
    .await;
    let (g1, g2) = (ids[0], ids[1]);
    let i1 = Acteur::intervenant(UtilisateurId(10), [g1]);
    let i2 = Acteur::intervenant(UtilisateurId(11), [g2]);
    let quand = le(date!(2024 - 11 - 02));
    let mut sorties: Vec<(String, String)> = Vec::new();
    let mut garder = |quoi: &str, texte: String| sorties.push((quoi.to_owned(), texte));

    // Entered by hand.
    for (k, id) in IDENTIFIANTS.iter().enumerate() {
        let mut e: SaisieEntretien = saisie(
            g1,
            id,
            date!(2024 - 03 - 04),
            Etape::PremierContact,
            Mode::Presentiel,
        );
        e.duree_minutes = 50 + k as i64;
        garder("la saisie (Debug)", format!("{e:?}"));
        let r = s.enregistrer(&i1, e, quand).await.unwrap();
        garder(
            "le résultat d'une saisie",
            format!("{r:?}{}", serde_json::to_string(&r).unwrap()),
        );
    }
    // A 6th session without reason, and a reason that names the family: refused, without echo.
    for k in 0..4 {
        let jour = date!(2024 - 04 - 01) + time::Duration::days(k);
        s.enregistrer(
            &i1,
            saisie(
                g1,
                IDENTIFIANTS[0],
                jour,
                Etape::Accompagnement,
                Mode::Presentiel,
            ),
            quand,
        )
        .await
        .unwrap();
    }
    let e = s
        .enregistrer(
            &i1,
            saisie(
                g1,
                IDENTIFIANTS[0],
                date!(2024 - 05 - 02),
                Etape::Bilan,
                Mode::Presentiel,
            ),
            quand,
        )
        .await
        .unwrap_err();
    garder("l'erreur du 6e entretien", format!("{e} {e:?}"));
    let mut nomme = saisie(
        g1,
        IDENTIFIANTS[0],
        date!(2024 - 05 - 02),
        Etape::Bilan,
        Mode::Presentiel,
    );
    nomme.motif_exception = Some(format!("suivi de {} prolongé", IDENTIFIANTS[0]));
    let e = s.enregistrer(&i1, nomme, quand).await.unwrap_err();
    assert!(e.to_string().contains("identifiant de la famille"), "{e}");
    garder("l'erreur d'un motif nominatif", format!("{e} {e:?}"));

    // Imported, at another structure, and a refused file with every identifier in it.
    let mut csv = format!("{ENTETE}\n");
    for (k, id) in IDENTIFIANTS.iter().enumerate() {
        csv.push_str(&format!(
            "{id};1{k}/06/2024;60;premier_contact;presentiel;un_parent;;;\n"
        ));
        csv.push_str(&format!(
            "{id};2{k}/06/2024;60;accompagnement;visio;un_parent;sante;ccas;\n"
        ));
    }
    assert!(
        csv.contains(IDENTIFIANTS[1]),
        "the test must feed the identifiers in"
    );
    let r = s
        .importer_csv(&i2, g2, csv.as_bytes(), quand)
        .await
        .unwrap();
    assert_eq!(r.importees, 8);
    garder(
        "le rapport d'import",
        format!("{r:?}{}", serde_json::to_string(&r).unwrap()),
    );
    let mauvais = csv
        .replace(";60;", ";0;")
        .replace("premier_contact", "inconnue");
    let e = s
        .importer_csv(&i2, g2, mauvais.as_bytes(), quand)
        .await
        .unwrap_err();
    assert_eq!(e.lignes_en_erreur().len(), 8);
    garder("l'import refusé", format!("{e} {e:?}"));
    let trop_long = format!(
        "{ENTETE}\n{};10/06/2024;60;bilan;presentiel;un_parent;;;\n",
        IDENTIFIANTS[1].repeat(10)
    );
    let e = s
        .importer_csv(&i2, g2, trop_long.as_bytes(), quand)
        .await
        .unwrap_err();
    garder("un identifiant trop long", format!("{e} {e:?}"));

    // Every output.
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    for n in [Niveau::Structure, Niveau::Departement, Niveau::Nation] {
        for per in [Periode::Mois, Periode::Annee] {
            let a = s.agregats(&cnaf, maille(n, per), 2024).await.unwrap();
            assert!(!a.is_empty());
            garder("les agrégats", serde_json::to_string(&a).unwrap());
            for diffusion in [Diffusion::Interne, Diffusion::OpenData] {
                let lignes = s
                    .exporter(&cnaf, maille(n, per), 2024, diffusion)
                    .await
                    .unwrap();
                let mut sortie = Vec::new();
                ecrire_csv(&lignes, &mut sortie).unwrap();
                garder("les exports", String::from_utf8(sortie).unwrap());
                garder(
                    "les exports (JSON)",
                    serde_json::to_string(&lignes).unwrap(),
                );
            }
        }
        garder(
            "les indicateurs",
            serde_json::to_string(&s.indicateurs(&cnaf, n, 2024).await.unwrap()).unwrap(),
        );
    }
    garder(
        "le tableau de bord",
        serde_json::to_string(&s.tableau_de_bord(&cnaf, 2024).await.unwrap()).unwrap(),
    );
    for (g, a) in [(g1, &i1), (g2, &i2)] {
        garder(
            "le bilan",
            serde_json::to_string(&s.chiffres_bilan(a, g, 2024).await.unwrap()).unwrap(),
        );
        let liste = s.entretiens(a, g, 2024).await.unwrap();
        assert!(!liste.is_empty());
        garder(
            "les entretiens",
            format!("{liste:?}{}", serde_json::to_string(&liste).unwrap()),
        );
    }
    let stocke = commun::contenu_de_la_base(&p).await;
    // The dump is real: it holds the family codes the outputs show.
    let code = s.entretiens(&i2, g2, 2024).await.unwrap()[0].famille.hex();
    assert!(stocke.iter().any(|v| v.contains(&code)));
    let audit: Vec<String> = stocke
        .iter()
        .filter(|v| v.contains("entretien"))
        .cloned()
        .collect();
    assert!(audit.len() >= 5, "audit events expected in the dump");
    garder(
        "les lignes stockées (toutes les tables, audit compris)",
        stocke.join("\n"),
    );

    for (quoi, texte) in &sorties {
        sans_identifiant(quoi, texte);
    }

    // On SQLite, the database file itself.
    if let Some(chemin) = fichier {
        p.base.fermer().await;
        let mut octets = std::fs::read(&chemin).unwrap();
        if let Ok(wal) = std::fs::read(format!("{chemin}-wal")) {
            octets.extend(wal);
        }
        assert!(octets.len() > 10_000);
        let texte = String::from_utf8_lossy(&octets);
        assert!(texte.contains(&code));
        sans_identifiant("le fichier de la base SQLite", &texte);
    }
}
sur_les_deux_bases!(aucune_trace_des_identifiants);
