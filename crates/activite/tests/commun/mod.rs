//! What the activity scenarios share: a platform on a fresh SQLite file or a fresh PostgreSQL
//! database (through `PARENTALITE_TEST_POSTGRES`; without it PostgreSQL is skipped, unless
//! `PARENTALITE_EXIGER_POSTGRES=1`), structures registered by the operator, and sessions.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::sync::Arc;

use activite::{Etape, IdentifiantFamille, Mode, Presence, SaisieEntretien, SuiviActivite};
use app::{Auteur, Plateforme};
use domain::identifiants::{CodeDepartement, CodeInsee, GestionnaireId, Rna, Siret};
use domain::structures::{Adresse, Gestionnaire, StatutJuridique, TypeActivite};
use referentiel::parametres::Parametres;
use store::{Base, Valeur};
use time::macros::offset;
use time::{Date, OffsetDateTime};

/// Runs a scenario on SQLite and on PostgreSQL, as two tests of a module named after it.
#[macro_export]
macro_rules! sur_les_deux_bases {
    ($scenario:ident) => {
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (p, chemin) = $crate::commun::sqlite(stringify!($scenario)).await;
                super::$scenario(p, Some(chemin)).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(p) = $crate::commun::postgres(stringify!($scenario)).await {
                    super::$scenario(p, None).await;
                }
            }
        }
    };
}

/// 10:00 in France on that day.
pub fn le(jour: Date) -> OffsetDateTime {
    jour.with_hms(10, 0, 0).unwrap().assume_offset(offset!(+1))
}

pub fn d(code: &str) -> CodeDepartement {
    CodeDepartement::parse(code).unwrap()
}

/// A platform on a fresh SQLite file; its path (for reading the file itself).
pub async fn sqlite(nom: &str) -> (Plateforme, String) {
    let chemin = essais::chemin_sqlite("activite", nom);
    let base = Base::ouvrir(&chemin).await.unwrap();
    (
        Plateforme::new(base, Arc::new(Parametres::embarques().unwrap())),
        chemin,
    )
}

/// A platform on a fresh PostgreSQL database, or `None` when no server is configured.
pub async fn postgres(nom: &str) -> Option<Plateforme> {
    let base = essais::base_postgres("activite", nom).await?;
    Some(Plateforme::new(
        base,
        Arc::new(Parametres::embarques().unwrap()),
    ))
}

/// A SIRET with a valid Luhn key, from a 13-digit stem.
pub fn siret(stem: u64) -> Siret {
    let base = format!("{stem:013}");
    (0..10)
        .find_map(|k| Siret::parse(&format!("{base}{k}")).ok())
        .unwrap()
}

pub fn gestionnaire(id: GestionnaireId, stem: u64, nom: &str, dep: &str) -> Gestionnaire {
    Gestionnaire {
        id,
        raison_sociale: nom.into(),
        siret: siret(stem),
        rna: Some(Rna::parse("W381000001").unwrap()),
        statut: StatutJuridique::AssociationLoi1901,
        activite: TypeActivite::Generaliste,
        siege: Adresse {
            voie: "1 place de la Mairie".into(),
            complement: None,
            code_postal: format!("{dep}000"),
            commune: CodeInsee::parse(&format!("{dep}185")).unwrap(),
        },
        departement_siege: d(dep),
        email: None,
        engagements: Default::default(),
        banque: None,
    }
}

/// Registers structures `(name, département)`, as the operator does; their ids in order.
pub async fn structures(p: &Plateforme, liste: &[(&str, &str)]) -> Vec<GestionnaireId> {
    let lignes: Vec<Box<dyn FnOnce(GestionnaireId) -> Gestionnaire>> = liste
        .iter()
        .enumerate()
        .map(|(i, (nom, dep))| {
            let (nom, dep) = (nom.to_string(), dep.to_string());
            Box::new(move |id| gestionnaire(id, 1_234_567_800_000 + i as u64, &nom, &dep))
                as Box<dyn FnOnce(GestionnaireId) -> Gestionnaire>
        })
        .collect();
    p.importer_gestionnaires(
        Auteur::Operateur,
        lignes,
        le(time::macros::date!(2023 - 12 - 01)),
    )
    .await
    .unwrap()
    .into_iter()
    .map(|g| g.valeur.id)
    .collect()
}

/// A one-hour session of one parent in person.
pub fn saisie(
    g: GestionnaireId,
    famille: &str,
    date: Date,
    etape: Etape,
    mode: Mode,
) -> SaisieEntretien {
    SaisieEntretien {
        gestionnaire: g,
        famille: IdentifiantFamille::new(famille).unwrap(),
        date,
        duree_minutes: 60,
        etape,
        mode,
        presence: Presence::UnParent,
        sujets: BTreeSet::new(),
        orientations: BTreeSet::new(),
        intervenant: None,
        lieu: None,
        motif_exception: None,
        reference: None,
    }
}

/// Rows of each activity table and of the audit log: what a refused operation must not change.
pub async fn empreinte_base(p: &Plateforme) -> Vec<(String, i64)> {
    let mut tx = p.base.debuter().await.unwrap();
    let mut sortie = Vec::new();
    for table in [
        "activite_cles",
        "activite_imports",
        "activite_entretiens",
        "activite_mois",
        "activite_rubriques_mois",
        "activite_familles",
        "activite_familles_mois",
        "activite_familles_repartition",
        "activite_mois_departement",
        "activite_rubriques_mois_departement",
        "activite_familles_mois_departement",
        "activite_familles_repartition_departement",
        "audit",
    ] {
        let n = tx
            .ligne(&format!("SELECT COUNT(*) AS n FROM {table}"), &[])
            .await
            .unwrap()
            .unwrap()
            .entier("n")
            .unwrap();
        sortie.push((table.to_owned(), n));
    }
    for (table, colonne) in [
        ("activite_mois", "entretiens"),
        ("activite_mois", "minutes"),
        ("activite_familles", "entretiens"),
        ("activite_familles_mois", "familles_nouvelles"),
        ("activite_mois_departement", "entretiens"),
        ("activite_familles_mois_departement", "familles_nouvelles"),
    ] {
        let n = tx
            .ligne(
                &format!("SELECT CAST(COALESCE(SUM({colonne}), 0) AS BIGINT) AS n FROM {table}"),
                &[],
            )
            .await
            .unwrap()
            .unwrap()
            .entier("n")
            .unwrap();
        sortie.push((format!("{table}.{colonne}"), n));
    }
    sortie
}

/// Every value of every column of every table, as text.
pub async fn contenu_de_la_base(p: &Plateforme) -> Vec<String> {
    let mut tx = p.base.debuter().await.unwrap();
    let tables: Vec<String> = match tx.moteur() {
        store::Moteur::Sqlite => tx
            .lignes(
                "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                &[],
            )
            .await
            .unwrap(),
        store::Moteur::Postgres => tx
            .lignes(
                "SELECT table_name::text AS t FROM information_schema.tables \
                 WHERE table_schema = 'public'",
                &[],
            )
            .await
            .unwrap(),
    }
    .iter()
    .map(|l| l.texte("t").unwrap())
    .collect();
    assert!(tables.iter().any(|t| t == "activite_entretiens"));
    let mut valeurs = Vec::new();
    for table in tables {
        let colonnes: Vec<String> = match tx.moteur() {
            store::Moteur::Sqlite => tx
                .lignes(
                    &format!("SELECT name AS c FROM pragma_table_info('{table}')"),
                    &[],
                )
                .await
                .unwrap(),
            store::Moteur::Postgres => tx
                .lignes(
                    "SELECT column_name::text AS c FROM information_schema.columns \
                     WHERE table_schema = 'public' AND table_name = $1",
                    &[Valeur::Texte(table.clone())],
                )
                .await
                .unwrap(),
        }
        .iter()
        .map(|l| l.texte("c").unwrap())
        .collect();
        for c in colonnes {
            // Binary values (the migrations' checksums) as hex on SQLite.
            let texte = match tx.moteur() {
                store::Moteur::Sqlite => {
                    format!(
                        "CASE WHEN typeof({c}) = 'blob' THEN hex({c}) ELSE CAST({c} AS TEXT) END"
                    )
                }
                store::Moteur::Postgres => format!("CAST({c} AS TEXT)"),
            };
            for l in tx
                .lignes(&format!("SELECT {texte} AS v FROM {table}"), &[])
                .await
                .unwrap()
            {
                if let Some(v) = l.texte_opt("v").unwrap() {
                    valeurs.push(v);
                }
            }
        }
    }
    valeurs
}

pub fn suivi(p: &Plateforme) -> SuiviActivite {
    SuiviActivite::new(p)
}
