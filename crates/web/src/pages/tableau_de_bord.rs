//! The activity dashboard (Référentiel national de financement de l'AIP §V; Instruction Cnaf It 2023-131 §4): for a structure, a Caf or the Cnaf, the
//! indicators against their targets, the trend by month, the experiment's progress (families
//! reached against 13 000, money against the 3 M€ envelope), the completeness and timeliness of
//! the annual reports, a map of the départements; every chart with its data table. Read live
//! from the aggregates every session keeps current; and the downloads of those aggregates.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use activite::{
    Diffusion, INDICATEURS, IndicateursTerritoire, Maille, Niveau, Periode, SuiviActivite,
    ValeurIndicateur,
};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use domain::acces::Role;
use domain::declaration::EtatTransmission;
use serde::Deserialize;
use tableur::{Cellule, Colonne, Format, Tableau};
use time::Date;

use crate::Etat;
use crate::carte::{ValeurCarte, carte};
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::graphiques::{Barre, histogramme, jauges};
use crate::rendu::{e, page, tableau};
use crate::session::Connecte;

/// Families the experiment aims to reach over 2024 and 2025 (Référentiel national de financement de l'AIP).
pub const FAMILLES_VISEES: i64 = 13_000;
/// The exercises of the experiment.
const EXERCICES: [i32; 2] = [2024, 2025];

/// The last day the bilan of `exercice` is expected on, from the dated parameter
/// `aip.echeance_bilan_mois` (a local choice: the Référentiel national de financement de l'AIP,
/// §V, says « annuellement » and sets no day). Used for timeliness only: a later bilan is late,
/// not refused.
pub fn echeance_bilan(
    parametres: &referentiel::parametres::Parametres,
    exercice: i32,
) -> Option<Date> {
    referentiel::aip::CalendrierAip::pour_exercice(parametres, exercice)
        .ok()
        .map(|c| c.echeance_bilan().0)
}

#[derive(Debug, Deserialize)]
pub struct Choix {
    exercice: Option<String>,
    indicateur: Option<String>,
}

fn exercice_choisi(texte: Option<&str>) -> Result<i32, ErreurWeb> {
    match texte.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(2025),
        Some(t) => t
            .parse::<i32>()
            .ok()
            .filter(|a| (2024..=2026).contains(a))
            .ok_or_else(|| {
                ErreurWeb::Refus(format!("exercice « {t} » : choisissez 2024, 2025 ou 2026"))
            }),
    }
}

const MOIS_COURTS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

fn valeur_texte(v: &ValeurIndicateur) -> String {
    match v.valeur {
        None => "non calculable".to_owned(),
        Some(x) if v.unite == "%" => format!("{} %", fr::nombre(x)),
        Some(x) if v.code == "montant_verse_par_famille" => {
            format!("{} €", fr::nombre(x))
        }
        Some(x) => fr::nombre(x),
    }
}

fn cible_texte(v: &ValeurIndicateur) -> String {
    let cible = INDICATEURS
        .iter()
        .find(|i| i.code == v.code)
        .map(|i| i.cible);
    match (cible, v.cible) {
        (Some(activite::indicateurs::Cible::AuMoins(_)), Some(c)) => {
            format!("au moins {}", fr::nombre(c))
        }
        (Some(activite::indicateurs::Cible::AuPlus(_)), Some(c)) => {
            format!("au plus {}", fr::nombre(c))
        }
        _ => "—".to_owned(),
    }
}

fn atteinte_texte(v: &ValeurIndicateur) -> &'static str {
    match v.cible_atteinte {
        Some(true) => "<span class=\"badge succes\">atteinte</span>",
        Some(false) => "<span class=\"badge alerte\">non atteinte</span>",
        None => "—",
    }
}

fn tableau_indicateurs(legende: &str, valeurs: &[ValeurIndicateur]) -> String {
    let lignes: Vec<Vec<String>> = valeurs
        .iter()
        .map(|v| {
            let definition = INDICATEURS
                .iter()
                .find(|i| i.code == v.code)
                .map(|i| format!("{} ({})", i.unite_libelle, i.source))
                .unwrap_or_default();
            vec![
                format!(
                    "{}<br><span class=\"aide\">{}</span>",
                    e(v.libelle),
                    e(&definition)
                ),
                valeur_texte(v),
                v.numerateur.map_or("—".into(), fr::nombre),
                v.denominateur.map_or("—".into(), fr::nombre),
                cible_texte(v),
                atteinte_texte(v).to_owned(),
            ]
        })
        .collect();
    tableau(
        legende,
        &[
            ("Indicateur", false),
            ("Valeur", true),
            ("Numérateur", true),
            ("Dénominateur", true),
            ("Cible", false),
            ("Atteinte", false),
        ],
        &lignes,
    )
}

fn nom_departement(code: &str) -> String {
    domain::identifiants::CodeDepartement::parse(code)
        .ok()
        .and_then(domain::territoire::departement)
        .map_or(code.to_owned(), |d| format!("{} ({code})", d.nom))
}

/// Bilans expected (conventions covering the exercise), received and on time, validated, by
/// département.
#[derive(Debug, Default, Clone, Copy)]
struct Completude {
    attendus: i64,
    recus: i64,
    a_temps: i64,
    valides: i64,
}

async fn completude(
    etat: &Etat,
    c: &Connecte,
    exercice: i32,
) -> Result<BTreeMap<String, Completude>, ErreurWeb> {
    let p = &etat.plateforme;
    let mut sortie: BTreeMap<String, Completude> = BTreeMap::new();
    let echeance = echeance_bilan(&p.parametres, exercice);
    for conv in p.conventions(&c.acteur).await? {
        let v = &conv.valeur;
        if v.debut.year() > exercice || v.fin.year() < exercice {
            continue;
        }
        let ligne = sortie.entry(v.departement.to_string()).or_default();
        ligne.attendus += 1;
        let bilans = p.bilans(&c.acteur, v.id).await?;
        if let Some(b) = bilans
            .iter()
            .map(|b| &b.valeur)
            .find(|b| b.exercice == exercice && b.etat() != EtatTransmission::Saisie)
        {
            ligne.recus += 1;
            if let (Some(t), Some(limite)) = (b.suivi.transmise_le, echeance)
                && t.date() <= limite
            {
                ligne.a_temps += 1;
            }
            if b.etat() == EtatTransmission::Validee {
                ligne.valides += 1;
            }
        }
    }
    Ok(sortie)
}

fn pourcentage(n: i64, d: i64) -> String {
    if d == 0 {
        "—".to_owned()
    } else {
        format!("{} %", fr::nombre(n as f64 * 100.0 / d as f64))
    }
}

/// `GET /tableau-de-bord`.
pub async fn page_tableau(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<Choix>,
) -> Result<Html<String>, ErreurWeb> {
    let exercice = exercice_choisi(choix.exercice.as_deref())?;
    let code_carte = choix
        .indicateur
        .as_deref()
        .filter(|i| INDICATEURS.iter().any(|x| x.code == *i) || *i == "familles")
        .unwrap_or("familles_par_etp")
        .to_owned();
    let suivi = SuiviActivite::new(&etat.plateforme);
    let t = suivi.tableau_de_bord(&c.acteur, exercice).await?;
    let mut corps = String::new();

    // The choice of exercise and of the map's indicator.
    let options_exercice: String = [2024, 2025, 2026]
        .iter()
        .map(|a| {
            format!(
                "<option value=\"{a}\"{}>{a}</option>",
                if *a == exercice { " selected" } else { "" }
            )
        })
        .collect();
    let options_indicateur: String = std::iter::once(("familles", "Familles accompagnées"))
        .chain(INDICATEURS.iter().map(|i| (i.code, i.libelle)))
        .map(|(code, libelle)| {
            format!(
                "<option value=\"{code}\"{}>{}</option>",
                if code == code_carte { " selected" } else { "" },
                e(libelle)
            )
        })
        .collect();
    let _ = write!(
        corps,
        "<h1>Tableau de bord de l'activité</h1>\
         <p>Périmètre : {} — exercice {exercice}. Chiffres à jour à chaque entretien enregistré ou importé.</p>\
         <form method=\"get\" action=\"/tableau-de-bord\" class=\"filtres\">\
         <div class=\"champ\"><label for=\"exercice\">Exercice</label><select id=\"exercice\" name=\"exercice\">{options_exercice}</select></div>\
         <div class=\"champ\"><label for=\"indicateur\">Indicateur de la carte</label><select id=\"indicateur\" name=\"indicateur\">{options_indicateur}</select></div>\
         <button type=\"submit\" class=\"secondaire\">Afficher</button></form>",
        e(&t.perimetre)
    );

    // Key figures.
    let a = &t.ensemble;
    let _ = write!(
        corps,
        "<h2>Chiffres clés {exercice}</h2><div class=\"grille\">\
         <div class=\"carte\"><p>Entretiens</p><p class=\"chiffre\">{}</p></div>\
         <div class=\"carte\"><p>Familles accompagnées<span class=\"aide\">distinctes dans chaque structure, additionnées</span></p><p class=\"chiffre\">{}</p></div>\
         <div class=\"carte\"><p>Heures d'entretien</p><p class=\"chiffre\">{}</p></div>\
         <div class=\"carte\"><p>Entretiens avec orientation</p><p class=\"chiffre\">{}</p></div></div>\
         <p class=\"aide\">Une famille n'est connue que par un code pseudonyme propre à chaque structure : \
         une famille accompagnée par deux structures compte deux fois dans un total départemental ou national.</p>",
        fr::entier(a.entretiens),
        fr::entier(a.familles_distinctes_structure_annee),
        fr::nombre(a.heures()),
        fr::entier(a.entretiens_orientes)
    );
    corps.push_str(&tableau_indicateurs(
        &format!("Indicateurs {exercice} et cibles du référentiel"),
        &t.indicateurs,
    ));

    // Trend by month.
    let mut mois: BTreeMap<u8, &activite::Agregat> = BTreeMap::new();
    for m in &t.par_mois {
        if let Some(n) = m.mois {
            mois.insert(n, m);
        }
    }
    let barres: Vec<Barre> = (1..=12u8)
        .map(|n| Barre {
            libelle: MOIS_COURTS[usize::from(n - 1)].to_owned(),
            valeur: mois.get(&n).map_or(0.0, |a| a.entretiens as f64),
        })
        .collect();
    let etp = t
        .indicateurs
        .iter()
        .find(|v| v.code == "entretiens_par_etp")
        .and_then(|v| v.denominateur);
    let cible_mensuelle = etp.and_then(|etp| {
        t.indicateurs
            .iter()
            .find(|v| v.code == "entretiens_par_etp")
            .and_then(|v| v.cible)
            .map(|c| c * etp / 12.0)
    });
    let _ = write!(
        corps,
        "<h2>Évolution mensuelle</h2>{}",
        histogramme(
            "graphique-mois",
            &format!("Entretiens par mois en {exercice}"),
            "entretiens",
            &barres,
            cible_mensuelle.map(|c| (c, "rythme cible")),
        )
    );
    let lignes_mois: Vec<Vec<String>> = (1..=12u8)
        .map(|n| {
            let m = mois.get(&n);
            vec![
                activite::dates::nom_du_mois(n).to_owned(),
                m.map_or(0, |a| a.entretiens).to_string(),
                fr::nombre(m.map_or(0.0, |a| a.heures())),
                m.map_or(0, |a| a.familles_distinctes_structure_annee)
                    .to_string(),
                m.map_or(0, |a| a.premiers_contacts).to_string(),
            ]
        })
        .collect();
    corps.push_str(&tableau(
        &format!(
            "Activité par mois en {exercice}{}",
            cible_mensuelle.map_or(String::new(), |c| format!(
                " (rythme cible : {} entretiens par mois)",
                fr::nombre(c)
            ))
        ),
        &[
            ("Mois", false),
            ("Entretiens", true),
            ("Heures", true),
            ("Nouvelles familles", true),
            ("Premiers contacts", true),
        ],
        &lignes_mois,
    ));

    // The experiment's progress: families and money.
    if matches!(c.acteur.role, Role::Cnaf | Role::Caf | Role::Financeur) {
        let mut familles_experimentation = 0;
        for annee in EXERCICES {
            let ta = if annee == exercice {
                t.ensemble.familles_distinctes_structure_annee
            } else {
                suivi
                    .tableau_de_bord(&c.acteur, annee)
                    .await?
                    .ensemble
                    .familles_distinctes_structure_annee
            };
            familles_experimentation += ta;
        }
        let situations = etat.plateforme.situations(&c.acteur).await?;
        let national = domain::experimentation::ENVELOPPE_NATIONALE.centimes();
        let (engage, paye) = situations.iter().fold((0, 0), |(e, p), s| {
            (
                e + s.situation.engage.centimes(),
                p + s.situation.paye.centimes(),
            )
        });
        let mut jauge = vec![(
            "Familles (objectif 13 000)".to_owned(),
            familles_experimentation as f64,
            FAMILLES_VISEES as f64,
        )];
        jauge.push(("Engagé / 3 M€".to_owned(), engage as f64, national as f64));
        jauge.push(("Payé / 3 M€".to_owned(), paye as f64, national as f64));
        let _ = write!(
            corps,
            "<h2>Avancement de l'expérimentation</h2>{}",
            jauges(
                "graphique-avancement",
                "Avancement de l'expérimentation 2024-2025",
                &jauge
            )
        );
        let mut lignes = vec![vec![
            "Familles accompagnées en 2024 et 2025 (par structure et par année, additionnées)"
                .to_owned(),
            familles_experimentation.to_string(),
            FAMILLES_VISEES.to_string(),
            pourcentage(familles_experimentation, FAMILLES_VISEES),
        ]];
        for s in &situations {
            let s = s.situation;
            lignes.push(vec![
                format!(
                    "Caf {} : engagé",
                    e(&nom_departement(s.departement.as_str()))
                ),
                fr::euros(s.engage.centimes()),
                fr::euros(s.allocation.centimes()),
                pourcentage(s.engage.centimes(), s.allocation.centimes()),
            ]);
            lignes.push(vec![
                format!("Caf {} : payé", e(&nom_departement(s.departement.as_str()))),
                fr::euros(s.paye.centimes()),
                fr::euros(s.allocation.centimes()),
                pourcentage(s.paye.centimes(), s.allocation.centimes()),
            ]);
        }
        lignes.push(vec![
            "Total engagé".into(),
            fr::euros(engage),
            fr::euros(national),
            pourcentage(engage, national),
        ]);
        lignes.push(vec![
            "Total payé".into(),
            fr::euros(paye),
            fr::euros(national),
            pourcentage(paye, national),
        ]);
        corps.push_str(&tableau(
            "Avancement : réalisé, objectif ou enveloppe, part",
            &[
                ("Mesure", false),
                ("Réalisé", true),
                ("Objectif ou enveloppe", true),
                ("Part", true),
            ],
            &lignes,
        ));
    }

    // The départements: map and table.
    if matches!(c.acteur.role, Role::Cnaf | Role::Caf | Role::Financeur) {
        let libelle_carte = if code_carte == "familles" {
            "Familles accompagnées".to_owned()
        } else {
            INDICATEURS
                .iter()
                .find(|i| i.code == code_carte)
                .map_or(String::new(), |i| i.libelle.to_owned())
        };
        let valeurs: BTreeMap<String, ValeurCarte> = t
            .par_departement
            .iter()
            .filter_map(|d| {
                let code = d.departement.clone()?;
                if code_carte == "familles" {
                    return Some((
                        code,
                        ValeurCarte {
                            valeur: d.totaux.familles as f64,
                            texte: format!("{} familles", d.totaux.familles),
                        },
                    ));
                }
                let v = d.indicateurs.iter().find(|v| v.code == code_carte)?;
                Some((
                    code,
                    ValeurCarte {
                        valeur: v.valeur?,
                        texte: valeur_texte(v),
                    },
                ))
            })
            .collect();
        let _ = write!(
            corps,
            "<h2>Par département</h2>{}",
            carte(
                "carte-departements",
                &format!("{libelle_carte} par département en {exercice}"),
                &valeurs
            )
        );
        let bilans = completude(&etat, &c, exercice).await?;
        corps.push_str(&tableau_departements(
            &t.par_departement,
            &bilans,
            exercice,
            echeance_bilan(&etat.plateforme.parametres, exercice),
        ));
    }

    // The structures.
    if c.acteur.role != Role::Cnaf {
        let structures = suivi
            .indicateurs(&c.acteur, Niveau::Structure, exercice)
            .await?;
        let noms: BTreeMap<i64, String> = etat
            .plateforme
            .gestionnaires(&c.acteur)
            .await?
            .into_iter()
            .map(|g| (g.valeur.id.0, g.valeur.raison_sociale))
            .collect();
        corps.push_str(&tableau_structures(&structures, &noms, exercice));
    }

    // Downloads.
    let _ = write!(
        corps,
        "<h2>Télécharger les agrégats {exercice}</h2><ul class=\"liens\">\
         <li><a href=\"/tableau-de-bord/agregats.csv?exercice={exercice}\">Agrégats et indicateurs (CSV tableur)</a></li>\
         <li><a href=\"/tableau-de-bord/agregats.xlsx?exercice={exercice}\">Agrégats et indicateurs (XLSX)</a></li>\
         <li><a href=\"/tableau-de-bord/agregats-mensuels.csv?exercice={exercice}\">Agrégats mensuels (CSV tableur)</a></li>\
         <li><a href=\"/tableau-de-bord/donnees-ouvertes.csv?exercice={exercice}\">Données ouvertes (CSV, effectifs inférieurs à 5 masqués)</a></li></ul>"
    );
    Ok(Html(page(
        "Tableau de bord de l'activité",
        Some(&c),
        "/tableau-de-bord",
        &corps,
    )))
}

fn valeur_de(d: &IndicateursTerritoire, code: &str) -> String {
    d.indicateurs
        .iter()
        .find(|v| v.code == code)
        .map_or("—".to_owned(), valeur_texte)
}

fn tableau_departements(
    departements: &[IndicateursTerritoire],
    bilans: &BTreeMap<String, Completude>,
    exercice: i32,
    echeance: Option<Date>,
) -> String {
    let mut codes: Vec<String> = departements
        .iter()
        .filter_map(|d| d.departement.clone())
        .chain(bilans.keys().cloned())
        .collect();
    codes.sort();
    codes.dedup();
    let lignes: Vec<Vec<String>> = codes
        .iter()
        .map(|code| {
            let d = departements
                .iter()
                .find(|d| d.departement.as_deref() == Some(code.as_str()));
            let b = bilans.get(code).copied().unwrap_or_default();
            vec![
                e(&nom_departement(code)),
                d.map_or(0, |d| d.totaux.entretiens).to_string(),
                d.map_or(0, |d| d.totaux.familles).to_string(),
                d.map_or("—".into(), |d| valeur_de(d, "familles_par_etp")),
                d.map_or("—".into(), |d| valeur_de(d, "entretiens_par_etp")),
                d.map_or("—".into(), |d| valeur_de(d, "entretiens_par_famille")),
                format!("{} / {}", b.recus, b.attendus),
                pourcentage(b.a_temps, b.attendus),
                b.valides.to_string(),
            ]
        })
        .collect();
    let echeance = echeance
        .map(|d| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()))
        .unwrap_or_default();
    tableau(
        &format!(
            "Activité, indicateurs et bilans {exercice} par département (bilans attendus au {echeance})"
        ),
        &[
            ("Département", false),
            ("Entretiens", true),
            ("Familles", true),
            ("Familles par ETP", true),
            ("Entretiens par ETP", true),
            ("Entretiens par famille", true),
            ("Bilans reçus / attendus", true),
            ("Reçus à temps", true),
            ("Bilans validés", true),
        ],
        &lignes,
    )
}

fn tableau_structures(
    structures: &[IndicateursTerritoire],
    noms: &BTreeMap<i64, String>,
    exercice: i32,
) -> String {
    let lignes: Vec<Vec<String>> = structures
        .iter()
        .map(|s| {
            let id = s.gestionnaire.map_or(0, |g| g.0);
            vec![
                format!(
                    "<a href=\"/activite?structure={id}&amp;exercice={exercice}\">{}</a>",
                    e(noms.get(&id).map_or("structure", String::as_str))
                ),
                s.departement.clone().unwrap_or_default(),
                s.totaux.entretiens.to_string(),
                s.totaux.familles.to_string(),
                valeur_de(s, "familles_par_etp"),
                valeur_de(s, "entretiens_par_etp"),
                valeur_de(s, "entretiens_par_famille"),
                valeur_de(s, "part_entretiens_orientes"),
            ]
        })
        .collect();
    tableau(
        &format!("Activité et indicateurs {exercice} par structure"),
        &[
            ("Structure", false),
            ("Département", false),
            ("Entretiens", true),
            ("Familles", true),
            ("Familles par ETP", true),
            ("Entretiens par ETP", true),
            ("Entretiens par famille", true),
            ("Part orientée", true),
        ],
        &lignes,
    )
}

/// `GET /tableau-de-bord/{fichier}`: `agregats.csv|xlsx` (by territory over the year, with the
/// indicators), `agregats-mensuels.csv|xlsx` (by territory and month), `donnees-ouvertes.csv`
/// (the same with every count under 5 masked). The level is the finest the user may see.
pub async fn telecharger(
    State(etat): State<Etat>,
    c: Connecte,
    Path(fichier): Path<String>,
    Query(choix): Query<Choix>,
) -> Result<Response, ErreurWeb> {
    let exercice = exercice_choisi(choix.exercice.as_deref())?;
    let (nom, extension) = fichier.rsplit_once('.').ok_or(ErreurWeb::Introuvable)?;
    let (periode, diffusion) = match nom {
        "agregats" => (Periode::Annee, Diffusion::Interne),
        "agregats-mensuels" => (Periode::Mois, Diffusion::Interne),
        "donnees-ouvertes" => (Periode::Annee, Diffusion::OpenData),
        _ => return Err(ErreurWeb::Introuvable),
    };
    let (format, type_) = match (extension, diffusion) {
        ("csv", Diffusion::OpenData) => (Format::CsvOuvert, "text/csv; charset=utf-8"),
        ("csv", _) => (Format::CsvTableur, "text/csv; charset=utf-8"),
        ("xlsx", _) => (
            Format::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return Err(ErreurWeb::Introuvable),
    };
    // Open data is published by territory (département and nation), never by structure.
    let niveau = match (c.acteur.role, diffusion) {
        (_, Diffusion::OpenData) => Niveau::Departement,
        (Role::Cnaf | Role::Caf | Role::Financeur, _) => Niveau::Departement,
        _ => Niveau::Structure,
    };
    let mut lignes = SuiviActivite::new(&etat.plateforme)
        .exporter(&c.acteur, Maille { niveau, periode }, exercice, diffusion)
        .await?;
    if c.acteur.role == Role::Cnaf && diffusion == Diffusion::Interne {
        lignes.extend(
            SuiviActivite::new(&etat.plateforme)
                .exporter(
                    &c.acteur,
                    Maille {
                        niveau: Niveau::Nation,
                        periode,
                    },
                    exercice,
                    diffusion,
                )
                .await?,
        );
    }
    let col = Colonne::new;
    let t = Tableau {
        titre: format!("Activité AIP {exercice}"),
        colonnes: vec![
            col("Niveau", "niveau"),
            col("Département", "departement"),
            col("Structure", "structure"),
            col("Exercice", "exercice"),
            col("Mois", "mois"),
            col("Mesure", "mesure"),
            col("Modalité", "modalite"),
            col("Valeur", "valeur"),
            col("Secret statistique", "secret"),
        ],
        lignes: lignes
            .iter()
            .map(|l| {
                vec![
                    Cellule::Texte(l.niveau.code().to_owned()),
                    l.departement.clone().map_or(Cellule::Vide, Cellule::Texte),
                    l.gestionnaire.map_or(Cellule::Vide, Cellule::Entier),
                    Cellule::Entier(i64::from(l.exercice)),
                    l.mois
                        .map_or(Cellule::Vide, |m| Cellule::Entier(i64::from(m))),
                    Cellule::Texte(l.mesure.to_owned()),
                    l.modalite.clone().map_or(Cellule::Vide, Cellule::Texte),
                    match l.valeur {
                        _ if l.masquee => Cellule::Texte(format!("<{}", activite::SEUIL_SECRET)),
                        None => Cellule::Vide,
                        Some(v) if v.fract() == 0.0 && v.abs() < 9e15 => Cellule::Entier(v as i64),
                        Some(v) => Cellule::Centiemes((v * 100.0).round() as i64),
                    },
                    Cellule::Booleen(l.masquee),
                ]
            })
            .collect(),
    };
    let mut octets = Vec::new();
    t.ecrire(format, &mut octets)
        .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, type_.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"activite-{nom}-{exercice}.{extension}\""),
            ),
        ],
        octets,
    )
        .into_response())
}
