//! The national bilan as documents: the PDF for the Cas of the Cnaf (the indicators of the
//! nation and of each département, each Caf's monograph, the definitions), and the open-data
//! bundle (a ZIP of the indicators as CSV and JSON by département and for the nation, their
//! definitions, a README and the licence). Only the masked values leave: no count of 1 to 4,
//! no record, no family.

use std::io::{Cursor, Write};

use domain::evaluation::indicateurs::{
    ARRETES_LE, Evaluation, Famille, INDICATEURS, SEUIL_SECRET, Territoire,
};
use domain::evaluation::monographie::{Monographie, Section};
use serde::Serialize;
use tableur::{Cellule, Colonne, Format, Tableau};
use zip::write::SimpleFileOptions;

use super::vue::valeur_fr;
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::pdf::{Bloc, document};

/// The licence of the bundle.
pub(super) const LICENCE: &str = "Licence Ouverte / Open Licence version 2.0 (Etalab)";
const ADRESSE_LICENCE: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

const SOURCE_BILAN: &str = "Instruction Cnaf « Expérimentation d'une nouvelle offre d'accompagnement individuel de soutien à la parentalité - Mise en place d'une instance nationale (Cnaf - Caf) » §4 : « La publication d'un bilan à destination de la Cas de la Cnaf ».";

fn territoire_fr(t: &Territoire) -> String {
    match t.departement {
        Some(d) => format!("{} ({d})", t.nom),
        None => t.nom.clone(),
    }
}

fn indicateurs_du_territoire(b: &mut Vec<Bloc>, t: &Territoire) {
    for f in Famille::TOUTES {
        for i in INDICATEURS.iter().filter(|i| i.famille == f) {
            b.push(Bloc::Ligne(
                format!("{} — {}", f.libelle(), i.libelle),
                valeur_fr(i, t.valeur(i.code)),
            ));
        }
    }
}

/// The PDF of the national bilan.
pub(super) fn pdf(e: &Evaluation, monographies: &[Monographie]) -> Vec<u8> {
    let titre = format!("Bilan national de l'expérimentation AIP — {}", e.exercice);
    let mut b = vec![
        Bloc::Titre(titre.clone()),
        Bloc::Paragraphe(
            "Accompagnement individuel de soutien à la parentalité (AIP) : bilan à destination de la commission d'action sociale (Cas) de la Cnaf."
                .to_owned(),
        ),
        Bloc::Paragraphe(SOURCE_BILAN.to_owned()),
        Bloc::Paragraphe(format!(
            "Indicateurs arrêtés le {}. Les effectifs de 1 à {} sont masqués (« moins de 5 »), ainsi que les parts et rapports calculés sur eux.",
            fr::date(ARRETES_LE),
            SEUIL_SECRET - 1
        )),
        Bloc::Intertitre("Ensemble des dix départements".to_owned()),
    ];
    indicateurs_du_territoire(&mut b, &e.nation);
    for t in &e.departements {
        b.push(Bloc::Espace);
        b.push(Bloc::Intertitre(territoire_fr(t)));
        indicateurs_du_territoire(&mut b, t);
        let m = monographies
            .iter()
            .find(|m| Some(m.departement) == t.departement);
        match m {
            Some(m) => {
                b.push(Bloc::Paragraphe(format!(
                    "Monographie de la Caf (version {}, mise à jour le {}) :",
                    m.version,
                    fr::horodatage(&m.mise_a_jour_le)
                )));
                for s in Section::TOUTES {
                    let texte = m.textes.texte(s);
                    if !texte.is_empty() {
                        b.push(Bloc::Ligne(s.titre().to_owned(), String::new()));
                        for p in texte.split("\n\n") {
                            b.push(Bloc::Paragraphe(p.to_owned()));
                        }
                    }
                }
            }
            None => b.push(Bloc::Paragraphe(
                "La Caf n'a pas encore écrit sa monographie.".to_owned(),
            )),
        }
    }
    b.push(Bloc::Espace);
    b.push(Bloc::Intertitre("Définitions des indicateurs".to_owned()));
    for i in &INDICATEURS {
        b.push(Bloc::Paragraphe(format!(
            "{} ({}) : {} Source : {}.",
            i.libelle, i.code, i.definition, i.source
        )));
    }
    document(&titre, &b)
}

/// The rows of `indicateurs.csv`: one per territory and indicator.
fn tableau_indicateurs(e: &Evaluation) -> Tableau {
    let mut lignes = Vec::new();
    for t in e.departements.iter().chain(std::iter::once(&e.nation)) {
        for i in &INDICATEURS {
            let v = t.valeur(i.code);
            let masquee = v.is_some_and(|v| v.masquee);
            lignes.push(vec![
                Cellule::Entier(i64::from(e.exercice)),
                Cellule::Texte(
                    if t.departement.is_some() {
                        "departement"
                    } else {
                        "nation"
                    }
                    .to_owned(),
                ),
                Cellule::Texte(t.departement.map_or_else(String::new, |d| d.to_string())),
                Cellule::Texte(t.nom.clone()),
                Cellule::Texte(i.famille.code().to_owned()),
                Cellule::Texte(i.code.to_owned()),
                Cellule::Texte(i.unite.code().to_owned()),
                match v.and_then(|v| v.valeur) {
                    Some(x) => Cellule::Centiemes((x * 100.0).round() as i64),
                    None => Cellule::Vide,
                },
                Cellule::Booleen(masquee),
            ]);
        }
    }
    Tableau {
        titre: format!("Indicateurs de l'expérimentation AIP {}", e.exercice),
        colonnes: vec![
            Colonne::new("Exercice", "exercice"),
            Colonne::new("Niveau", "niveau"),
            Colonne::new("Département", "departement"),
            Colonne::new("Nom", "nom"),
            Colonne::new("Famille", "famille"),
            Colonne::new("Indicateur", "indicateur"),
            Colonne::new("Unité", "unite"),
            Colonne::new("Valeur", "valeur"),
            Colonne::new("Masquée", "masquee"),
        ],
        lignes,
    }
}

fn tableau_definitions() -> Tableau {
    Tableau {
        titre: "Définitions des indicateurs".to_owned(),
        colonnes: vec![
            Colonne::new("Indicateur", "indicateur"),
            Colonne::new("Famille", "famille"),
            Colonne::new("Libellé", "libelle"),
            Colonne::new("Définition", "definition"),
            Colonne::new("Unité", "unite"),
            Colonne::new("Source", "source"),
        ],
        lignes: INDICATEURS
            .iter()
            .map(|i| {
                vec![
                    Cellule::Texte(i.code.to_owned()),
                    Cellule::Texte(i.famille.code().to_owned()),
                    Cellule::Texte(i.libelle.to_owned()),
                    Cellule::Texte(i.definition.to_owned()),
                    Cellule::Texte(i.unite.code().to_owned()),
                    Cellule::Texte(i.source.to_owned()),
                ]
            })
            .collect(),
    }
}

fn csv(t: &Tableau) -> Result<Vec<u8>, ErreurWeb> {
    let mut octets = Vec::new();
    t.ecrire(Format::CsvOuvert, &mut octets)
        .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok(octets)
}

/// One territory in `indicateurs.json`: its values by code, `null` when masked or missing.
#[derive(Serialize)]
struct TerritoireOuvert<'a> {
    niveau: &'static str,
    departement: Option<String>,
    nom: &'a str,
    valeurs: std::collections::BTreeMap<&'static str, Option<f64>>,
    masquees: Vec<&'static str>,
}

#[derive(Serialize)]
struct DocumentOuvert<'a> {
    exercice: i32,
    indicateurs_arretes_le: String,
    licence: &'static str,
    seuil_de_secret: u64,
    territoires: Vec<TerritoireOuvert<'a>>,
}

fn json(e: &Evaluation) -> Result<Vec<u8>, ErreurWeb> {
    let territoires = e
        .departements
        .iter()
        .chain(std::iter::once(&e.nation))
        .map(|t| TerritoireOuvert {
            niveau: if t.departement.is_some() {
                "departement"
            } else {
                "nation"
            },
            departement: t.departement.map(|d| d.to_string()),
            nom: &t.nom,
            valeurs: t
                .valeurs
                .iter()
                .map(|v| (v.code, v.valeur.map(|x| (x * 100.0).round() / 100.0)))
                .collect(),
            masquees: t
                .valeurs
                .iter()
                .filter(|v| v.masquee)
                .map(|v| v.code)
                .collect(),
        })
        .collect();
    serde_json::to_vec_pretty(&DocumentOuvert {
        exercice: e.exercice,
        indicateurs_arretes_le: ARRETES_LE.to_string(),
        licence: LICENCE,
        seuil_de_secret: SEUIL_SECRET,
        territoires,
    })
    .map_err(|e| ErreurWeb::Interne(e.to_string()))
}

/// The README of the bundle: what it holds, the definitions, the masking, the licence.
fn lisez_moi(e: &Evaluation) -> String {
    let mut t = format!(
        "Évaluation de l'expérimentation de l'accompagnement individuel de soutien à la parentalité (AIP) — exercice {}\n\n\
         Indicateurs des dix départements de l'expérimentation et de leur ensemble, arrêtés le {}.\n\
         {}\n\n\
         Fichiers :\n\
         - indicateurs.csv : une ligne par territoire et par indicateur (séparateur virgule, point décimal, UTF-8) ;\n\
         - indicateurs.json : les mêmes valeurs, par territoire ;\n\
         - definitions.csv : la définition, l'unité et la source de chaque indicateur ;\n\
         - LICENCE.txt : la licence.\n\n\
         Secret statistique : tout effectif de 1 à {} (entretiens, familles, structures, réponses) est masqué, ainsi que les parts et rapports calculés sur lui ; la valeur est alors vide et « masquee » vaut true. Aucune donnée ne permet d'identifier une famille : les familles ne sont connues de la plateforme que par un code pseudonyme propre à chaque structure, et seuls des totaux sont publiés.\n\n\
         Définitions :\n",
        e.exercice,
        ARRETES_LE,
        SOURCE_BILAN,
        SEUIL_SECRET - 1
    );
    for i in &INDICATEURS {
        t.push_str(&format!(
            "- {} ({}, {}, unité : {}) : {} Source : {}.\n",
            i.code,
            i.libelle,
            i.famille.libelle(),
            i.unite.code(),
            i.definition,
            i.source
        ));
    }
    t.push_str(&format!(
        "\nLicence : {LICENCE}, {ADRESSE_LICENCE}. Vous pouvez réutiliser ces données librement, y compris commercialement, en mentionnant leur source (« Cnaf, évaluation de l'expérimentation AIP ») et la date de leur dernière mise à jour.\n"
    ));
    t
}

fn licence() -> String {
    format!(
        "Ces données sont publiées sous la {LICENCE}.\nTexte de la licence : {ADRESSE_LICENCE}\nMention de la source : « Cnaf, évaluation de l'expérimentation AIP ».\n"
    )
}

/// The files of the bundle, by name.
pub(super) fn fichiers(e: &Evaluation) -> Result<Vec<(&'static str, Vec<u8>)>, ErreurWeb> {
    Ok(vec![
        ("README.txt", lisez_moi(e).into_bytes()),
        ("LICENCE.txt", licence().into_bytes()),
        ("indicateurs.csv", csv(&tableau_indicateurs(e))?),
        ("indicateurs.json", json(e)?),
        ("definitions.csv", csv(&tableau_definitions())?),
    ])
}

/// The ZIP of the bundle.
pub(super) fn archive(e: &Evaluation) -> Result<Vec<u8>, ErreurWeb> {
    let interne = |x: zip::result::ZipError| ErreurWeb::Interne(x.to_string());
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (nom, octets) in fichiers(e)? {
        z.start_file(nom, options).map_err(interne)?;
        z.write_all(&octets)
            .map_err(|x| ErreurWeb::Interne(x.to_string()))?;
    }
    Ok(z.finish().map_err(interne)?.into_inner())
}
