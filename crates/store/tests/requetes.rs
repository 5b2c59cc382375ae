//! The queries of the store's modules for web access, envelopes, messages, payments due and
//! the AIP activity, each checked on SQLite always and on PostgreSQL when
//! `PARENTALITE_TEST_POSTGRES` names a server: what one writes, the other reads back the same way
//! on both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use store::{Base, Valeur};

/// A fresh SQLite database for one test.
async fn base_sqlite(nom: &str) -> Base {
    essais::base_sqlite("store-requetes", nom).await
}

/// A fresh PostgreSQL database for one test, or `None` when no server is configured.
async fn base_postgres(nom: &str) -> Option<Base> {
    essais::base_postgres("store-requetes", nom).await
}

/// Runs the check `$epreuve` on a fresh database of each engine, as two tests.
macro_rules! sur_les_deux_moteurs {
    ($epreuve:ident) => {
        mod $epreuve {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let base = super::base_sqlite(stringify!($epreuve)).await;
                super::$epreuve(&base).await;
                base.fermer().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(base) = super::base_postgres(stringify!($epreuve)).await {
                    super::$epreuve(&base).await;
                    base.fermer().await;
                }
            }
        }
    };
}

/// Writes `sql` in a transaction of its own.
async fn ecrire(base: &Base, sql: &str, parametres: &[Valeur]) {
    let mut tx = base.debuter().await.unwrap();
    tx.executer(sql, parametres).await.unwrap();
    tx.valider().await.unwrap();
}

/// An account `id` with `email`, active or not.
async fn compte(base: &Base, id: i64, email: &str, actif: bool) {
    ecrire(
        base,
        "INSERT INTO utilisateurs (id, email, role, mot_de_passe, actif, version, donnees) \
         VALUES ($1, $2, 'caf', 'hache', $3, 1, '{}')",
        &[id.into(), email.into(), actif.into()],
    )
    .await;
}

/// A structure of Isère, an AIP call and a REAAP call, and dossier 1 (AIP) and 2 (REAAP) with
/// their conventions 1 and 2 (signed).
async fn dossiers(base: &Base) {
    for sql in [
        "INSERT INTO gestionnaires (id, siret, nom, departement, version, donnees) VALUES (1, '12345678900012', 'Le Lien', '38', 1, '{}')",
        "INSERT INTO appels (id, departement, dispositif, ouverture, cloture, version, donnees) VALUES (1, '38', 'aip', '2024-01-01', '2024-12-31', 1, '{}')",
        "INSERT INTO appels (id, departement, dispositif, ouverture, cloture, version, donnees) VALUES (2, '38', 'reaap', '2024-01-01', '2024-12-31', 1, '{}')",
        "INSERT INTO dossiers (id, appel_id, gestionnaire_id, departement, etat, version, donnees) VALUES (1, 1, 1, '38', 'valide', 1, '{}')",
        "INSERT INTO dossiers (id, appel_id, gestionnaire_id, departement, etat, version, donnees) VALUES (2, 2, 1, '38', 'valide', 1, '{}')",
        "INSERT INTO conventions (id, dossier_id, numero, gestionnaire_id, departement, etat, date_debut, date_fin, signee_le, version, donnees) \
         VALUES (1, 1, 'C1', 1, '38', 'signee', '2024-01-01', '2025-12-31', '2024-02-01', 1, '{}')",
        "INSERT INTO conventions (id, dossier_id, numero, gestionnaire_id, departement, etat, date_debut, date_fin, signee_le, version, donnees) \
         VALUES (2, 2, 'C2', 1, '38', 'signee', '2024-01-01', '2025-12-31', '2024-02-01', 1, '{}')",
    ] {
        ecrire(base, sql, &[]).await;
    }
}

async fn les_sessions_s_ouvrent_se_lisent_et_se_ferment(base: &Base) {
    use store::comptes::{SessionLue, fermer_session, ouvrir_session, session, toucher_session};
    compte(base, 7, "agent@exemple.fr", true).await;
    let lire = |hache: &'static str| async move {
        let mut tx = base.lire().await.unwrap();
        let s = session(&mut tx, hache).await.unwrap();
        tx.annuler().await.unwrap();
        s
    };
    assert_eq!(lire("inconnu").await, None);
    ouvrir_session(base, "h1", 7, "jeton-csrf", 1_000)
        .await
        .unwrap();
    assert_eq!(
        lire("h1").await,
        Some(SessionLue {
            utilisateur_id: 7,
            csrf: "jeton-csrf".to_owned(),
            vu_le: 1_000
        })
    );
    toucher_session(base, "h1", 2_000).await.unwrap();
    assert_eq!(lire("h1").await.unwrap().vu_le, 2_000);
    fermer_session(base, "h1").await.unwrap();
    assert_eq!(lire("h1").await, None);
    // Ending a session already ended is no error.
    fermer_session(base, "h1").await.unwrap();
}
sur_les_deux_moteurs!(les_sessions_s_ouvrent_se_lisent_et_se_ferment);

async fn un_compte_se_trouve_par_son_email_et_garde_son_mot_de_passe(base: &Base) {
    use store::comptes::{compte_actif, email_pris, fixer_mot_de_passe};
    compte(base, 1, "actif@exemple.fr", true).await;
    compte(base, 2, "inactif@exemple.fr", false).await;
    assert_eq!(
        compte_actif(base, "actif@exemple.fr").await.unwrap(),
        Some((1, Some("hache".to_owned())))
    );
    // An account closed is not found to log in, but its e-mail stays taken.
    assert_eq!(
        compte_actif(base, "inactif@exemple.fr").await.unwrap(),
        None
    );
    assert_eq!(
        compte_actif(base, "personne@exemple.fr").await.unwrap(),
        None
    );
    let mut tx = base.debuter().await.unwrap();
    assert!(email_pris(&mut tx, "inactif@exemple.fr").await.unwrap());
    assert!(!email_pris(&mut tx, "personne@exemple.fr").await.unwrap());
    fixer_mot_de_passe(&mut tx, 1, Some("nouveau".to_owned()))
        .await
        .unwrap();
    tx.valider().await.unwrap();
    assert_eq!(
        compte_actif(base, "actif@exemple.fr").await.unwrap(),
        Some((1, Some("nouveau".to_owned())))
    );
    let mut tx = base.debuter().await.unwrap();
    fixer_mot_de_passe(&mut tx, 1, None).await.unwrap();
    tx.valider().await.unwrap();
    assert_eq!(
        compte_actif(base, "actif@exemple.fr").await.unwrap(),
        Some((1, None))
    );
}
sur_les_deux_moteurs!(un_compte_se_trouve_par_son_email_et_garde_son_mot_de_passe);

async fn une_allocation_s_enregistre_et_se_remplace(base: &Base) {
    use store::enveloppes::{allocation, allocations_des_autres, allouer};
    let mut tx = base.debuter().await.unwrap();
    assert_eq!(allocation(&mut tx, "aip:38").await.unwrap(), None);
    assert_eq!(allocations_des_autres(&mut tx, "aip:38").await.unwrap(), 0);
    allouer(&mut tx, "aip:38", 100_000).await.unwrap();
    allouer(&mut tx, "aip:76", 30_000).await.unwrap();
    allouer(&mut tx, "aip:38", 120_000).await.unwrap();
    tx.valider().await.unwrap();
    let mut tx = base.lire().await.unwrap();
    assert_eq!(allocation(&mut tx, "aip:38").await.unwrap(), Some(120_000));
    assert_eq!(
        allocations_des_autres(&mut tx, "aip:38").await.unwrap(),
        30_000
    );
    assert_eq!(
        allocations_des_autres(&mut tx, "aip:13").await.unwrap(),
        150_000
    );
    let version = tx
        .ligne("SELECT version FROM enveloppes WHERE cle = 'aip:38'", &[])
        .await
        .unwrap()
        .unwrap()
        .entier("version")
        .unwrap();
    assert_eq!(version, 2);
    tx.annuler().await.unwrap();
}
sur_les_deux_moteurs!(une_allocation_s_enregistre_et_se_remplace);

async fn l_engage_et_le_paye_ne_comptent_que_l_aip(base: &Base) {
    use store::enveloppes::{engage_aip, paye_aip};
    dossiers(base).await;
    for (id, dossier, centimes) in [(1, 1, 50_000), (2, 2, 9_000)] {
        ecrire(
            base,
            "INSERT INTO decisions (id, dossier_id, departement, issue, engagement_centimes, version, donnees) \
             VALUES ($1, $2, '38', 'valide', $3, 1, '{}')",
            &[i64::from(id).into(), i64::from(dossier).into(), i64::from(centimes).into()],
        )
        .await;
    }
    for (id, convention, echeance, nature, centimes) in [
        (1, 1, "acompte", "acompte", 20_000),
        (2, 1, "solde", "indu", 3_000),
        (3, 2, "versement:1", "versement:1", 4_000),
    ] {
        ecrire(
            base,
            "INSERT INTO paiements (id, convention_id, gestionnaire_id, departement, exercice, echeance, nature, montant_centimes, date_paiement, reference, version, donnees) \
             VALUES ($1, $2, 1, '38', 2024, $3, $4, $5, '2024-03-01', $6, 1, '{}')",
            &[
                i64::from(id).into(),
                i64::from(convention).into(),
                echeance.into(),
                nature.into(),
                i64::from(centimes).into(),
                format!("P{id}").into(),
            ],
        )
        .await;
    }
    let mut tx = base.lire().await.unwrap();
    assert_eq!(engage_aip(&mut tx, "38").await.unwrap(), 50_000);
    assert_eq!(engage_aip(&mut tx, "76").await.unwrap(), 0);
    // The indu recovered is taken off; the REAAP instalment is financed apart.
    assert_eq!(paye_aip(&mut tx, "38").await.unwrap(), 17_000);
    assert_eq!(paye_aip(&mut tx, "76").await.unwrap(), 0);
    tx.annuler().await.unwrap();
}
sur_les_deux_moteurs!(l_engage_et_le_paye_ne_comptent_que_l_aip);

async fn un_fil_se_lit_et_compte_ce_qui_n_est_pas_lu(base: &Base) {
    use store::messages::{MessageStocke, dernier_lu, du_dossier, inserer, marquer_lu, non_lus};
    dossiers(base).await;
    let message = |id: i64, dossier: i64, auteur_id: i64, prive: bool| MessageStocke {
        id,
        dossier_id: dossier,
        auteur_id,
        role: if auteur_id == 1 {
            "caf"
        } else {
            "gestionnaire"
        }
        .to_owned(),
        auteur: format!("Auteur {auteur_id}"),
        prive,
        texte: format!("Message {id} – « guillemets » et l'apostrophe"),
        cree_le: format!("2024-03-0{id}T10:00:00Z"),
    };
    let ecrits = [
        message(1, 1, 2, false),
        message(2, 1, 1, true),
        message(3, 1, 1, false),
        message(4, 2, 1, false),
    ];
    let mut tx = base.debuter().await.unwrap();
    // Written out of order: the thread is read in order.
    for m in ecrits.iter().rev() {
        inserer(&mut tx, m).await.unwrap();
    }
    tx.valider().await.unwrap();
    let mut tx = base.debuter().await.unwrap();
    assert_eq!(du_dossier(&mut tx, 1).await.unwrap(), ecrits[..3].to_vec());
    assert_eq!(du_dossier(&mut tx, 3).await.unwrap(), Vec::new());
    // The structure's user (2) has read nothing: the Caf's messages, the private one apart.
    assert_eq!(dernier_lu(&mut tx, 2, 1).await.unwrap(), 0);
    assert_eq!(
        non_lus(&mut tx, 2, false).await.unwrap(),
        vec![(1, 1), (2, 1)]
    );
    // The Caf's agent (1) reads the annotations: its own messages are never unread.
    assert_eq!(non_lus(&mut tx, 1, true).await.unwrap(), vec![(1, 1)]);
    assert_eq!(
        non_lus(&mut tx, 2, true).await.unwrap(),
        vec![(1, 2), (2, 1)]
    );
    marquer_lu(&mut tx, 2, 1, 3).await.unwrap();
    // A reading never goes back.
    marquer_lu(&mut tx, 2, 1, 1).await.unwrap();
    assert_eq!(dernier_lu(&mut tx, 2, 1).await.unwrap(), 3);
    assert_eq!(non_lus(&mut tx, 2, false).await.unwrap(), vec![(2, 1)]);
    tx.valider().await.unwrap();
}
sur_les_deux_moteurs!(un_fil_se_lit_et_compte_ce_qui_n_est_pas_lu);

async fn les_paiements_dus_suivent_les_declarations_validees(base: &Base) {
    use store::a_payer::{DeclarationAPayer, declarations_a_payer};
    dossiers(base).await;
    for (id, convention, exercice, nature, etat) in [
        (1, 1, 2024, "previsionnelle", "validee"),
        (2, 1, 2024, "reelle", "validee"),
        (3, 1, 2025, "previsionnelle", "validee"),
        (4, 1, 2025, "reelle", "validee"),
        (5, 2, 2024, "previsionnelle", "transmise"),
        (6, 1, 2024, "actualisee", "validee"),
    ] {
        ecrire(
            base,
            "INSERT INTO declarations (id, convention_id, gestionnaire_id, departement, exercice, nature, etat, version, donnees) \
             VALUES ($1, $2, 1, '38', $3, $4, $5, 1, '{}')",
            &[
                i64::from(id).into(),
                i64::from(convention).into(),
                i64::from(exercice).into(),
                nature.into(),
                etat.into(),
            ],
        )
        .await;
    }
    // The bilan of 2025 is validated, that of 2024 only sent; the acompte of 2024 is paid.
    for (id, exercice, etat) in [(1, 2024, "transmise"), (2, 2025, "validee")] {
        ecrire(
            base,
            "INSERT INTO bilans (id, convention_id, gestionnaire_id, departement, exercice, etat, version, donnees) \
             VALUES ($1, 1, 1, '38', $2, $3, 1, '{}')",
            &[i64::from(id).into(), i64::from(exercice).into(), etat.into()],
        )
        .await;
    }
    ecrire(
        base,
        "INSERT INTO paiements (id, convention_id, gestionnaire_id, departement, exercice, echeance, nature, montant_centimes, date_paiement, reference, version, donnees) \
         VALUES (1, 1, 1, '38', 2024, 'acompte', 'acompte', 100, '2024-03-01', 'P1', 1, '{}')",
        &[],
    )
    .await;
    let du = |exercice: i64, nature: &str| DeclarationAPayer {
        convention: 1,
        exercice,
        nature: nature.to_owned(),
    };
    let mut tx = base.lire().await.unwrap();
    assert_eq!(
        declarations_a_payer(&mut tx, "1 = 1", &[]).await.unwrap(),
        vec![du(2025, "previsionnelle"), du(2025, "reelle")]
    );
    // The access condition and its parameters, numbered from $1.
    assert_eq!(
        declarations_a_payer(
            &mut tx,
            "d.departement IN ($1, $2)",
            &["76".into(), "38".into()]
        )
        .await
        .unwrap()
        .len(),
        2
    );
    assert_eq!(
        declarations_a_payer(&mut tx, "d.departement IN ($1)", &["76".into()])
            .await
            .unwrap(),
        Vec::new()
    );
    tx.annuler().await.unwrap();
}
sur_les_deux_moteurs!(les_paiements_dus_suivent_les_declarations_validees);

/// A session of structure 1 for the activity's tests: natural key `cle`, family `famille`.
fn entretien(
    cle: u8,
    famille: u8,
    date: time::Date,
) -> store::activite::entretiens::NouvelEntretien<'static> {
    store::activite::entretiens::NouvelEntretien {
        cle: [cle; 16],
        famille: [famille; 16],
        date,
        duree_minutes: 45,
        etape: "accompagnement",
        mode: "presentiel",
        presence: "un_parent",
        sujets: 3,
        orientations: 0,
        intervenant: None,
        lieu: None,
        motif_exception: (cle == 3).then_some("situation urgente"),
    }
}

async fn les_entretiens_s_ecrivent_une_fois_et_se_relisent(base: &Base) {
    use store::activite::{cles, entretiens, imports, structures};
    use time::macros::{date, datetime};
    dossiers(base).await;
    let mut tx = base.debuter().await.unwrap();
    assert_eq!(
        structures::departement(&mut tx, 1)
            .await
            .unwrap()
            .as_deref(),
        Some("38")
    );
    assert_eq!(structures::departement(&mut tx, 9).await.unwrap(), None);

    // A structure's key: the first one written is kept.
    assert!(!cles::existe(&mut tx, 1).await.unwrap());
    let quand = datetime!(2024-05-01 10:00 UTC);
    cles::creer_si_absente(&mut tx, 1, "aa", quand)
        .await
        .unwrap();
    cles::creer_si_absente(&mut tx, 1, "bb", quand)
        .await
        .unwrap();
    assert!(cles::existe(&mut tx, 1).await.unwrap());
    assert_eq!(cles::cle(&mut tx, 1).await.unwrap().as_deref(), Some("aa"));

    // An import and its sessions, written in one batch; the same batch again adds nothing.
    let import = imports::inserer(
        &mut tx,
        &imports::NouvelImport {
            gestionnaire: 1,
            departement: "38",
            empreinte: "e1",
            lignes: 3,
            importees: 3,
            deja_presentes: 0,
            importe_par: 7,
            importe_le: quand,
        },
    )
    .await
    .unwrap();
    let trouve = imports::par_empreinte(&mut tx, 1, "e1").await.unwrap();
    assert_eq!(
        trouve,
        Some(imports::ImportEnregistre {
            id: import,
            lignes: 3
        })
    );
    assert_eq!(
        imports::par_empreinte(&mut tx, 1, "e2").await.unwrap(),
        None
    );
    let lot = [
        entretien(3, 1, date!(2024 - 04 - 01)),
        entretien(1, 1, date!(2024 - 03 - 05)),
        entretien(2, 2, date!(2024 - 03 - 10)),
    ];
    let ou = entretiens::Destination {
        gestionnaire: 1,
        departement: "38",
        import: Some(import),
    };
    assert_eq!(entretiens::inserer(&mut tx, ou, &lot).await.unwrap(), 3);
    assert_eq!(entretiens::inserer(&mut tx, ou, &lot).await.unwrap(), 0);
    let seul = entretien(4, 2, date!(2024 - 12 - 31));
    let id = entretiens::inserer_un(&mut tx, 1, "38", &seul)
        .await
        .unwrap();
    assert!(id.is_some());
    assert_eq!(
        entretiens::inserer_un(&mut tx, 1, "38", &seul)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        entretiens::cles_presentes(&mut tx, 1, &[[9; 16], [2; 16]])
            .await
            .unwrap(),
        vec![[2; 16]]
    );
    let lu = entretiens::par_cle(&mut tx, 1, [3; 16])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(lu.famille, hex::encode([1u8; 16]));
    assert_eq!(lu.motif_exception.as_deref(), Some("situation urgente"));
    assert_eq!(
        (lu.import, lu.intervenant, lu.sujets),
        (Some(import), None, 3)
    );
    assert_eq!(lu.etape, "accompagnement");
    tx.valider().await.unwrap();

    let mut tx = base.lire().await.unwrap();
    let (debut, fin) = (date!(2024 - 01 - 01), date!(2024 - 12 - 31));
    let dates = |l: Vec<entretiens::EntretienStocke>| l.iter().map(|e| e.date).collect::<Vec<_>>();
    assert_eq!(
        dates(entretiens::entre(&mut tx, 1, debut, fin).await.unwrap()),
        [
            date!(2024 - 03 - 05),
            date!(2024 - 03 - 10),
            date!(2024 - 04 - 01),
            date!(2024 - 12 - 31)
        ]
    );
    assert_eq!(
        dates(
            entretiens::derniers_entre(&mut tx, 1, debut, fin, 2)
                .await
                .unwrap()
        ),
        [date!(2024 - 12 - 31), date!(2024 - 04 - 01)]
    );
    assert!(
        entretiens::entre(&mut tx, 1, debut, date!(2024 - 03 - 01))
            .await
            .unwrap()
            .is_empty()
    );
    tx.annuler().await.unwrap();
}
sur_les_deux_moteurs!(les_entretiens_s_ecrivent_une_fois_et_se_relisent);

async fn les_agregats_s_ajoutent_et_se_lisent_par_perimetre(base: &Base) {
    use store::activite::familles::{self, EtatFamille};
    use store::activite::lecture::{self, Grain, NiveauLecture};
    use store::activite::perimetre::Perimetre;
    use store::activite::{agregats, structures};
    use time::macros::date;
    dossiers(base).await;
    let mut tx = base.debuter().await.unwrap();

    // Five families in 2024: asking for one reads it by list, for two by a scan.
    let etat = |entretiens| EtatFamille {
        entretiens,
        premiere: date!(2024 - 03 - 05),
        premier_contact: None,
        dernier_suivi: Some(date!(2024 - 04 - 01)),
    };
    let etats: Vec<((i32, [u8; 16]), EtatFamille)> = (1..=5)
        .map(|f| ((2024, [f; 16]), etat(i64::from(f))))
        .collect();
    familles::ecrire(&mut tx, 1, &etats).await.unwrap();
    assert_eq!(
        familles::etats(&mut tx, 1, 2024, &[[3; 16]]).await.unwrap(),
        vec![([3; 16], etat(3))]
    );
    let mut deux = familles::etats(&mut tx, 1, 2024, &[[2; 16], [5; 16], [8; 16]])
        .await
        .unwrap();
    deux.sort_by_key(|(f, _)| *f);
    assert_eq!(deux, vec![([2; 16], etat(2)), ([5; 16], etat(5))]);
    assert!(
        familles::etats(&mut tx, 1, 2023, &[[3; 16]])
            .await
            .unwrap()
            .is_empty()
    );
    familles::ecrire(&mut tx, 1, &[((2024, [3; 16]), etat(6))])
        .await
        .unwrap();
    assert_eq!(
        familles::etats(&mut tx, 1, 2024, &[[3; 16]]).await.unwrap(),
        vec![([3; 16], etat(6))]
    );
    assert_eq!(
        agregats::familles_de_l_exercice(&mut tx, 1, 2024)
            .await
            .unwrap(),
        5
    );

    // The same deltas twice: the counts add up, by structure and by département.
    let deltas = agregats::DeltasAdditifs {
        mois: vec![
            ((2024, 3, "accompagnement", "presentiel"), [2, 90, 1, 0]),
            ((2024, 4, "bilan", "visio"), [1, 30, 0, 1]),
        ],
        rubriques: vec![((2024, "presence", "un_parent", 3), 2)],
        familles_mois: vec![((2024, 3), [2, 1, 1])],
        repartition: vec![((2024, 1), 2)],
    };
    for _ in 0..2 {
        agregats::ajouter(&mut tx, 1, "38", &deltas).await.unwrap();
    }
    let jusqu_a_mars = agregats::activite_jusqu_a(&mut tx, 1, "38", 2024, 3)
        .await
        .unwrap();
    assert_eq!(
        jusqu_a_mars,
        agregats::ActiviteJusquA {
            premier_mois: Some(3),
            entretiens: 4,
            familles_nouvelles: 4
        }
    );
    let rien = agregats::activite_jusqu_a(&mut tx, 1, "38", 2024, 2)
        .await
        .unwrap();
    assert_eq!(rien.premier_mois, None);
    assert_eq!(
        structures::intervenants(&mut tx, 1).await.unwrap(),
        Vec::<i64>::new()
    );
    tx.valider().await.unwrap();

    let mut tx = base.lire().await.unwrap();
    let grain = |niveau, filtre_par_departement| Grain {
        niveau,
        mois: false,
        rubriques: true,
        repartition: true,
        filtre_par_departement,
    };
    for (perimetre, niveau, par_departement) in [
        (Perimetre::Structure(1), NiveauLecture::Structure, false),
        (
            Perimetre::Structures(vec![1, 2]),
            NiveauLecture::Departement,
            false,
        ),
        (
            Perimetre::Departements(vec!["38".into()]),
            NiveauLecture::Nation,
            true,
        ),
        (Perimetre::Tout, NiveauLecture::Departement, true),
    ] {
        let lu = lecture::lire(&mut tx, &perimetre, 2024, grain(niveau, par_departement))
            .await
            .unwrap();
        let entretiens: i64 = lu.mois.iter().map(|l| l.entretiens).sum();
        let minutes: i64 = lu.mois.iter().map(|l| l.minutes).sum();
        assert_eq!((entretiens, minutes), (6, 240), "{perimetre:?}");
        assert_eq!(lu.familles.len(), 1, "{perimetre:?}");
        assert_eq!(lu.familles[0].familles_nouvelles, 4);
        assert_eq!(lu.rubriques.len(), 1);
        assert_eq!(
            (lu.rubriques[0].code.as_str(), lu.rubriques[0].entretiens),
            ("un_parent", 4)
        );
        assert_eq!(
            (lu.repartition[0].seances, lu.repartition[0].familles),
            (1, 4)
        );
        let cle = &lu.familles[0].cle;
        match niveau {
            NiveauLecture::Structure => assert_eq!(cle, &(Some("38".into()), Some(1), None)),
            NiveauLecture::Departement => assert_eq!(cle, &(Some("38".into()), None, None)),
            NiveauLecture::Nation => assert_eq!(cle, &(None, None, None)),
        }
    }
    for perimetre in [
        Perimetre::Structures(Vec::new()),
        Perimetre::Departements(vec!["73".into()]),
        Perimetre::Structure(2),
    ] {
        let lu = lecture::lire(
            &mut tx,
            &perimetre,
            2024,
            grain(NiveauLecture::Structure, false),
        )
        .await
        .unwrap();
        assert!(
            lu.mois.is_empty() && lu.familles.is_empty(),
            "{perimetre:?}"
        );
    }
    let par_mois = lecture::lire(
        &mut tx,
        &Perimetre::Tout,
        2024,
        Grain {
            mois: true,
            ..grain(NiveauLecture::Nation, true)
        },
    )
    .await
    .unwrap();
    let mois: Vec<Option<u8>> = par_mois.mois.iter().map(|l| l.cle.2).collect();
    assert_eq!(mois.len(), 2);
    assert!(mois.contains(&Some(3)) && mois.contains(&Some(4)));
    assert!(par_mois.repartition.is_empty());
    tx.annuler().await.unwrap();
}
sur_les_deux_moteurs!(les_agregats_s_ajoutent_et_se_lisent_par_perimetre);
