//! The comité des financeurs as a sitting across all schemes, through the web application on
//! both engines: the coming sitting of the Isère's comité lists REAAP, CLAS and médiation
//! familiale projects with each scheme's common criteria; a funder gives its opinion (errors
//! beside their fields, values kept); the Caf records the comité's outcome on each; each of two
//! funders records its own share, and cannot record another's; the financing plan by funder ×
//! scheme × year and each scheme's budget year on year follow the recorded amounts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use axum::http::StatusCode;
use domain::Acteur;
use domain::appel_a_projets::Dispositif;
use domain::comite;
use domain::decision::{AvisFinanceur, IssueDecision, SaisiePart};
use domain::identifiants::{CodeDepartement, UtilisateurId};
use domain::quantites::Centimes;
use domain::structures::Cofinanceur;
use web::Etat;

use aide::{Session, get, post};
use commun::{Demo, demo_du_moteur};

/// One demonstration per engine for the whole file.
fn demo() -> &'static Demo {
    demo_du_moteur("comite")
}

async fn connecter(r: &axum::Router, email: &str) -> Session {
    aide::session(r, email, &demo().mots_de_passe[email]).await
}

sur_les_deux_moteurs!(
    le_comite_decide_sur_plusieurs_dispositifs_et_chaque_financeur_sa_part,
    chaque_departement_de_la_demonstration_a_tenu_son_comite,
);

async fn le_comite_decide_sur_plusieurs_dispositifs_et_chaque_financeur_sa_part() {
    let d = demo();
    let plateforme = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let isere = CodeDepartement::parse("38").unwrap();
    let date = d.aujourd_hui + time::Duration::days(21);
    let adresse = format!("/comite/38/{date}");
    let financeurs = plateforme
        .financeurs_des_departements(&[isere])
        .await
        .unwrap();
    let conseil = financeurs
        .iter()
        .find(|f| f.nom.starts_with("Conseil départemental"))
        .unwrap()
        .clone();
    let msa = financeurs
        .iter()
        .find(|f| f.nom.starts_with("Mutualité sociale agricole"))
        .unwrap()
        .clone();
    // The coming sitting's agenda, by scheme.
    let seance = plateforme
        .seance_du_comite(&cnaf, isere, date)
        .await
        .unwrap();
    let (dossiers, decisions) = (seance.dossiers(), seance.decisions());
    let odj = comite::ordre_du_jour(seance.seance, &dossiers, &decisions);
    let par_dispositif: Vec<Dispositif> = odj.iter().map(|r| r.dispositif).collect();
    assert_eq!(
        par_dispositif,
        vec![
            Dispositif::Reaap,
            Dispositif::Clas,
            Dispositif::MediationFamiliale
        ]
    );
    let id = |dispositif: Dispositif| {
        odj.iter()
            .find(|r| r.dispositif == dispositif)
            .unwrap()
            .points[0]
            .dossier
            .id
            .0
    };
    let (reaap, clas, mf) = (
        id(Dispositif::Reaap),
        id(Dispositif::Clas),
        id(Dispositif::MediationFamiliale),
    );

    let agent = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (statut, _, liste) = get(&r, "/comite", &agent.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(liste.contains(&format!("href=\"{adresse}\"")), "{liste}");
    assert!(liste.contains("href=\"/comite\""), "lien de navigation");
    let (statut, _, page) = get(&r, &adresse, &agent.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    for titre in ["REAAP", "CLAS", "Médiation familiale"] {
        assert!(page.contains(&format!(">{titre}</h2>")), "{titre}: {page}");
    }
    // The common criteria, each with its source.
    assert!(
        page.contains("Critères d'éligibilité communs – REAAP"),
        "{page}"
    );
    assert!(
        page.contains("Lettre circulaire Cnaf n° 2012-093, §11"),
        "{page}"
    );
    assert!(
        page.contains("Lettre circulaire Cnaf n° 2012-093, §34"),
        "{page}"
    );
    // The council's opinion on the REAAP project is shown to the Caf.
    let bloc_reaap = page
        .split(&format!("id=\"dossier-{reaap}\""))
        .nth(1)
        .unwrap();
    assert!(bloc_reaap.contains("favorable"), "{bloc_reaap}");
    assert!(bloc_reaap.contains(&msa.nom), "{bloc_reaap}");

    // The MSA's opinion on the médiation familiale project: every error beside its field, what
    // was typed kept.
    let msa_s = connecter(&r, "msa.38@demo.parentalite.fr").await;
    let cible = |dossier: i64| format!("{adresse}/dossiers/{dossier}");
    let (statut, page) = post(
        &r,
        &cible(mf),
        &msa_s,
        "action=avis&sens=reserve&montant_envisage=douze&commentaire=",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains(&format!("id=\"d{mf}-avis-montant_envisage-erreur\"")),
        "{page}"
    );
    assert!(
        page.contains(&format!("id=\"d{mf}-avis-commentaire-erreur\"")),
        "{page}"
    );
    assert!(page.contains("value=\"douze\""), "{page}");
    let (statut, page) = post(
        &r,
        &cible(mf),
        &msa_s,
        "action=avis&sens=favorable&montant_envisage=2000&commentaire=",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    // No decision yet: no funder's decision form.
    let (_, _, page) = get(&r, &adresse, &msa_s.cookie).await;
    assert!(!page.contains("name=\"action\" value=\"part\""), "{page}");
    assert!(
        !page.contains("name=\"action\" value=\"decider\""),
        "{page}"
    );

    // The Caf records the comité's outcome on each scheme's project.
    let (statut, page) = post(
        &r,
        &cible(reaap),
        &agent,
        "action=decider&issue=valide&montant_caf=0&motivation=",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains(&format!("id=\"d{reaap}-decider-motivation-erreur\"")),
        "{page}"
    );
    let (statut, page) = post(
        &r,
        &cible(reaap),
        &agent,
        "action=decider&issue=valide&montant_caf=0&motivation=Projet+utile",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains(&format!("id=\"d{reaap}-decider-montant_caf-erreur\"")),
        "{page}"
    );
    assert!(page.contains("supérieur à zéro"), "{page}");
    for (dossier, montant) in [(reaap, "9500"), (clas, "8000"), (mf, "14000")] {
        let (statut, page) = post(
            &r,
            &cible(dossier),
            &agent,
            &format!("action=decider&issue=valide&montant_caf={montant}&motivation=Conforme+aux+crit%C3%A8res+communs"),
        )
        .await;
        assert_eq!(statut, StatusCode::SEE_OTHER, "{dossier}: {page}");
    }

    // Each funder records its own share, from the sitting's page.
    let conseil_s = connecter(&r, "financeur.38@demo.parentalite.fr").await;
    let (_, _, page) = get(&r, &adresse, &conseil_s.cookie).await;
    let decision_de = |page: &str, dossier: i64| -> i64 {
        page.split(&format!("id=\"dossier-{dossier}\""))
            .nth(1)
            .unwrap()
            .split("name=\"decision\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .parse()
            .unwrap()
    };
    let decisions_38: Vec<(i64, i64)> = [reaap, clas, mf]
        .iter()
        .map(|x| (*x, decision_de(&page, *x)))
        .collect();
    let (statut, page) = post(
        &r,
        &cible(reaap),
        &conseil_s,
        &format!(
            "action=part&decision={}&avis=&montant_part=",
            decisions_38[0].1
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains(&format!("id=\"d{reaap}-part-avis-erreur\"")),
        "{page}"
    );
    for (rang, (dossier, decision)) in decisions_38.iter().enumerate() {
        let corps = if rang == 2 {
            format!(
                "action=part&decision={decision}&avis=refuse&montant_part=0&motivation=Hors+priorit%C3%A9s"
            )
        } else {
            format!("action=part&decision={decision}&avis=accorde&montant_part=3000")
        };
        let (statut, page) = post(&r, &cible(*dossier), &conseil_s, &corps).await;
        assert_eq!(statut, StatusCode::SEE_OTHER, "{dossier}: {page}");
    }
    // Once only.
    let (statut, page) = post(
        &r,
        &cible(reaap),
        &conseil_s,
        &format!(
            "action=part&decision={}&avis=accorde&montant_part=1",
            decisions_38[0].1
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    for (dossier, decision) in [decisions_38[0], decisions_38[2]] {
        let (statut, page) = post(
            &r,
            &cible(dossier),
            &msa_s,
            &format!("action=part&decision={decision}&avis=accorde&montant_part=1500"),
        )
        .await;
        assert_eq!(statut, StatusCode::SEE_OTHER, "{dossier}: {page}");
    }

    // A funder cannot record another funder's share: the use case refuses it, and a funder of
    // another département is refused the form.
    let acteur_msa = plateforme
        .utilisateur_par_email("msa.38@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    let x = plateforme
        .decisions(&cnaf, domain::identifiants::DossierId(clas))
        .await
        .unwrap()
        .remove(0);
    let refus = plateforme
        .enregistrer_part(
            &acteur_msa,
            x.valeur.id,
            Cofinanceur::Partenaire(conseil.id),
            SaisiePart {
                avis: AvisFinanceur::Accorde,
                montant: Centimes::new(100),
                motivation: String::new(),
            },
            time::OffsetDateTime::now_utc(),
        )
        .await;
    assert!(refus.is_err(), "{refus:?}");
    let gard = connecter(&r, "financeur.30@demo.parentalite.fr").await;
    let (statut, _) = post(
        &r,
        &cible(clas),
        &gard,
        &format!(
            "action=part&decision={}&avis=accorde&montant_part=1",
            x.valeur.id
        ),
    )
    .await;
    assert!(
        statut == StatusCode::FORBIDDEN || statut == StatusCode::NOT_FOUND,
        "{statut}"
    );
    let (statut, _, _) = get(&r, &adresse, &gard.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let gestionnaire = connecter(&r, "gestionnaire.38.1@demo.parentalite.fr").await;
    let (statut, _, _) = get(&r, "/comite", &gestionnaire.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // What is recorded: each funder's own share, as typed.
    let lire = |dossier: i64| {
        let p = plateforme.clone();
        let cnaf = cnaf.clone();
        async move {
            p.decisions(&cnaf, domain::identifiants::DossierId(dossier))
                .await
                .unwrap()
                .pop()
                .unwrap()
                .valeur
        }
    };
    let x_reaap = lire(reaap).await;
    assert_eq!(x_reaap.issue, IssueDecision::Valide);
    assert_eq!(
        comite::montant_accorde(&x_reaap, Cofinanceur::Caf),
        Centimes::new(950_000)
    );
    assert_eq!(
        comite::montant_accorde(&x_reaap, Cofinanceur::Partenaire(conseil.id)),
        Centimes::new(300_000)
    );
    assert_eq!(
        comite::montant_accorde(&x_reaap, Cofinanceur::Partenaire(msa.id)),
        Centimes::new(150_000)
    );
    let x_mf = lire(mf).await;
    assert_eq!(
        x_mf.part(Cofinanceur::Partenaire(conseil.id)).unwrap().avis,
        AvisFinanceur::Refuse
    );
    assert!(
        lire(clas)
            .await
            .part(Cofinanceur::Partenaire(msa.id))
            .is_none()
    );

    // The sitting's financing plan: funder × scheme, requested and granted.
    let (_, _, page) = get(&r, &adresse, &agent.cookie).await;
    let plan = page.split("id=\"plan-seance\"").nth(1).unwrap();
    let ligne_msa_mf = plan
        .split("<tr>")
        .find(|l| l.contains(&msa.nom) && l.contains("médiation familiale"))
        .expect("ligne MSA, médiation familiale");
    assert!(
        ligne_msa_mf.contains("2\u{202f}000,00") && ligne_msa_mf.contains("1\u{202f}500,00"),
        "{ligne_msa_mf}"
    );
    // The year view: each scheme's budget year on year, the trends of the demonstration.
    let (statut, _, annees) = get(&r, "/comite/plan", &agent.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(annees.contains("+8,4\u{a0}%"), "{annees}");
    assert!(annees.contains("+4,5\u{a0}%"), "{annees}");
    assert!(annees.contains("id=\"budget-reaap-titre\""), "{annees}");
    // A funder sees its own commitments only.
    let (statut, _, engagements) = get(&r, "/comite/plan", &conseil_s.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        engagements.contains(&format!("Engagements de {}", conseil.nom)),
        "{engagements}"
    );
    assert!(!engagements.contains(&msa.nom), "{engagements}");
    let tableau = engagements.split("<tbody>").nth(1).unwrap();
    assert!(!tableau.contains("<td>Caf</td>"), "{tableau}");
}

async fn chaque_departement_de_la_demonstration_a_tenu_son_comite() {
    let plateforme = demo().plateforme().await;
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let juin = time::macros::date!(2024 - 06 - 20);
    for code in domain::experimentation::DEPARTEMENTS {
        let dep = CodeDepartement::parse(code).unwrap();
        let seance = plateforme.seance_du_comite(&cnaf, dep, juin).await.unwrap();
        let (dossiers, decisions) = (seance.dossiers(), seance.decisions());
        let odj = comite::ordre_du_jour(seance.seance, &dossiers, &decisions);
        assert!(odj.len() >= 3, "{code}: {} dispositifs", odj.len());
        let points: Vec<_> = odj.iter().flat_map(|r| r.points.iter()).collect();
        assert!(points.iter().all(|p| p.decision.is_some()), "{code}");
        assert!(
            points.iter().any(|p| p.dossier.avis_financeurs.len() >= 2),
            "{code}"
        );
        let partenaires: std::collections::BTreeSet<Cofinanceur> = points
            .iter()
            .flat_map(|p| p.decision.unwrap().parts.iter().map(|x| x.financeur))
            .filter(|f| *f != Cofinanceur::Caf)
            .collect();
        assert!(partenaires.len() >= 2, "{code}: {partenaires:?}");
    }
}
