//! The activity of a structure (Référentiel national de financement de l'AIP §II.3, §V): its staff record a session under the
//! family's pseudonymous code or import a file of sessions; everyone who may see the structure
//! reads its annual report figures derived from the sessions. The sessions themselves (with
//! their pseudonymous codes) are shown to the structure's staff only.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use activite::nomenclature::Modalite;
use activite::{
    Avertissement, ChiffresBilan, ErreurActivite, Etape, IdentifiantFamille, Mode, Orientation,
    Presence, SaisieEntretien, SuiviActivite, Sujet,
};
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::acces::Role;
use domain::identifiants::{GestionnaireId, IntervenantId, LieuId};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::rendu::{csrf, e, page, tableau};
use crate::session::Connecte;

/// A response to a POST may show what was typed (a family's identifier in a refused form):
/// no cache keeps it.
const NE_PAS_GARDER: [(header::HeaderName, &str); 1] = [(header::CACHE_CONTROL, "no-store")];

/// Longest file accepted for an import (about 450 000 sessions).
pub const TAILLE_MAX_IMPORT: usize = 50 * 1024 * 1024;

#[derive(Debug, Deserialize)]
pub struct Choix {
    structure: Option<String>,
    exercice: Option<String>,
}

/// What the page shows after a POST: the form's values and errors, or the outcome.
#[derive(Debug, Default)]
struct Retour {
    valeurs: HashMap<String, String>,
    erreurs: Vec<(String, String)>,
    /// A general error (not tied to one field).
    erreur: Option<String>,
    succes: Option<String>,
    avertissements: Vec<Avertissement>,
    /// The result of an import: the bad lines, or the report.
    import: Option<String>,
    /// The values and errors are those of the bilan form.
    bilan: bool,
}

impl Retour {
    fn erreur_de(&self, champ: &str) -> Option<&str> {
        self.erreurs
            .iter()
            .find(|(c, _)| c == champ)
            .map(|(_, m)| m.as_str())
    }
    fn valeur(&self, champ: &str) -> &str {
        self.valeurs.get(champ).map_or("", String::as_str)
    }
}

/// The structures the user records for, or may read.
async fn structures(
    etat: &Etat,
    c: &Connecte,
) -> Result<Vec<(GestionnaireId, String, String)>, ErreurWeb> {
    Ok(etat
        .plateforme
        .gestionnaires(&c.acteur)
        .await?
        .into_iter()
        .map(|g| {
            (
                g.valeur.id,
                g.valeur.raison_sociale,
                g.valeur.departement_siege.to_string(),
            )
        })
        .collect())
}

fn saisit(c: &Connecte) -> bool {
    matches!(c.acteur.role, Role::Gestionnaire | Role::Intervenant)
}

fn exercice_de(texte: Option<&str>) -> i32 {
    texte
        .and_then(|t| t.trim().parse::<i32>().ok())
        .filter(|a| (2024..=2026).contains(a))
        .unwrap_or(2025)
}

fn message_champ(libelle: &str, nom: &str, aide: &str, r: &Retour) -> (String, String, String) {
    let erreur = r.erreur_de(nom);
    let mut decrit = Vec::new();
    if !aide.is_empty() {
        decrit.push(format!("{nom}-aide"));
    }
    if erreur.is_some() {
        decrit.push(format!("{nom}-erreur"));
    }
    let attributs = format!(
        "{}{}",
        if decrit.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", decrit.join(" "))
        },
        if erreur.is_some() {
            " aria-invalid=\"true\""
        } else {
            ""
        }
    );
    let entete = format!(
        "{}{}",
        e(libelle),
        if aide.is_empty() {
            String::new()
        } else {
            format!("<span class=\"aide\" id=\"{nom}-aide\">{}</span>", e(aide))
        }
    );
    let message = erreur.map_or(String::new(), |m| {
        format!(
            "<p class=\"message-erreur\" id=\"{nom}-erreur\">{}</p>",
            e(m)
        )
    });
    (entete, message, attributs)
}

fn classe(r: &Retour, nom: &str) -> &'static str {
    if r.erreur_de(nom).is_some() {
        "champ en-erreur"
    } else {
        "champ"
    }
}

fn saisie_texte(
    nom: &str,
    libelle: &str,
    aide: &str,
    type_: &str,
    extra: &str,
    r: &Retour,
) -> String {
    let (entete, message, attributs) = message_champ(libelle, nom, aide, r);
    format!(
        "<div class=\"{}\"><label for=\"{nom}\">{entete}</label>{message}\
         <input type=\"{type_}\" id=\"{nom}\" name=\"{nom}\" value=\"{}\"{attributs}{extra}></div>",
        classe(r, nom),
        e(r.valeur(nom))
    )
}

/// A group of radio buttons (one choice) or checkboxes (several, each named `nom_code`).
fn groupe<T: Modalite>(nom: &str, legende: &str, aide: &str, multiple: bool, r: &Retour) -> String {
    let (_, message, attributs) = message_champ(legende, nom, aide, r);
    // The help goes under the legend, not inside it, so that the legend stays one short line.
    let aide = if aide.is_empty() {
        String::new()
    } else {
        format!("<p class=\"aide\" id=\"{nom}-aide\">{}</p>", e(aide))
    };
    let mut options = String::new();
    for (i, v) in T::TOUTES.iter().enumerate() {
        let id = format!("{nom}-{}", v.code());
        let (type_, name, coche) = if multiple {
            let name = format!("{nom}_{}", v.code());
            let coche = r.valeurs.contains_key(&name);
            ("checkbox", name, coche)
        } else {
            (
                "radio",
                nom.to_owned(),
                r.valeur(nom) == v.code() || (r.valeur(nom).is_empty() && i == 0 && !multiple),
            )
        };
        let _ = write!(
            options,
            "<div class=\"option\"><input type=\"{type_}\" id=\"{id}\" name=\"{name}\" value=\"{}\"{}>\
             <label for=\"{id}\">{}</label></div>",
            v.code(),
            if coche { " checked" } else { "" },
            e(v.libelle())
        );
    }
    format!(
        "<fieldset class=\"{}\"{attributs}><legend>{}</legend>{aide}{message}\
         <div class=\"options\">{options}</div></fieldset>",
        classe(r, nom),
        e(legende)
    )
}

fn choix_liste(nom: &str, libelle: &str, options: &[(i64, String)], r: &Retour) -> String {
    let (entete, message, attributs) = message_champ(libelle, nom, "", r);
    let mut o = String::from("<option value=\"\">— non précisé —</option>");
    for (id, texte) in options {
        let _ = write!(
            o,
            "<option value=\"{id}\"{}>{}</option>",
            if r.valeur(nom) == id.to_string() {
                " selected"
            } else {
                ""
            },
            e(texte)
        );
    }
    format!(
        "<div class=\"{}\"><label for=\"{nom}\">{entete}</label>{message}<select id=\"{nom}\" name=\"{nom}\"{attributs}>{o}</select></div>",
        classe(r, nom)
    )
}

fn libelles<T: Modalite>(valeurs: &[T]) -> String {
    valeurs
        .iter()
        .map(|v| v.libelle())
        .collect::<Vec<_>>()
        .join(", ")
}

fn chiffres_html(b: &ChiffresBilan) -> String {
    let a = &b.activite;
    let mut s = format!(
        "<div class=\"grille\">\
         <div class=\"carte\"><p>Entretiens</p><p class=\"chiffre\">{}</p></div>\
         <div class=\"carte\"><p>Familles distinctes</p><p class=\"chiffre\">{}</p></div>\
         <div class=\"carte\"><p>Heures d'entretien</p><p class=\"chiffre\">{}</p></div>\
         <div class=\"carte\"><p>Familles au-delà de {} séances</p><p class=\"chiffre\">{}</p></div></div>",
        fr::entier(a.entretiens),
        fr::entier(b.familles_distinctes),
        fr::nombre(a.heures()),
        b.repere_seances.unwrap_or(5),
        fr::entier(b.familles_au_dela_repere)
    );
    fn repartition<T: Modalite>(titre: &str, m: &std::collections::BTreeMap<T, i64>) -> String {
        let lignes: Vec<Vec<String>> = T::TOUTES
            .iter()
            .map(|v| vec![e(v.libelle()), m.get(v).copied().unwrap_or(0).to_string()])
            .collect();
        tableau(titre, &[("Modalité", false), ("Entretiens", true)], &lignes)
    }
    s.push_str("<div class=\"colonnes\">");
    s.push_str(&repartition("Entretiens par étape", &a.par_etape));
    s.push_str(&repartition("Entretiens par mode", &a.par_mode));
    s.push_str(&repartition("Entretiens par présence", &a.par_presence));
    s.push_str(&repartition("Sujets abordés", &a.par_sujet));
    s.push_str(&repartition(
        "Orientations vers un partenaire",
        &a.par_orientation,
    ));
    s.push_str("</div>");
    let lignes: Vec<Vec<String>> = b
        .indicateurs
        .iter()
        .map(|v| {
            vec![
                e(v.libelle),
                v.valeur.map_or("non calculable".into(), fr::nombre),
                v.cible.map_or("—".into(), fr::nombre),
                match v.cible_atteinte {
                    Some(true) => "atteinte".into(),
                    Some(false) => "non atteinte".into(),
                    None => "—".into(),
                },
            ]
        })
        .collect();
    s.push_str(&tableau(
        "Indicateurs de la structure",
        &[
            ("Indicateur", false),
            ("Valeur", true),
            ("Cible", true),
            ("Atteinte", false),
        ],
        &lignes,
    ));
    s
}

async fn rendre(
    etat: &Etat,
    c: &Connecte,
    choix: &Choix,
    retour: Retour,
) -> Result<String, ErreurWeb> {
    let liste = structures(etat, c).await?;
    let exercice = exercice_de(choix.exercice.as_deref());
    let demandee = choix
        .structure
        .as_deref()
        .or(retour.valeurs.get("structure").map(String::as_str))
        .and_then(|s| s.trim().parse::<i64>().ok());
    let Some((g, nom, _)) = (match demandee {
        Some(id) => Some(liste.iter().find(|(g, _, _)| g.0 == id).cloned().ok_or(
            ErreurWeb::Interdit("cette structure n'est pas dans votre périmètre".into()),
        )?),
        None => liste.first().cloned(),
    }) else {
        return Ok(
            "<h1>Activité</h1><p>Aucune structure n'est rattachée à votre compte.</p>".to_owned(),
        );
    };
    let suivi = SuiviActivite::new(&etat.plateforme);
    let mut corps = format!("<h1>Activité — {}</h1>", e(&nom));
    if liste.len() > 1 {
        let options: String = liste
            .iter()
            .map(|(id, n, dep)| {
                format!(
                    "<option value=\"{}\"{}>{} ({dep})</option>",
                    id.0,
                    if *id == g { " selected" } else { "" },
                    e(n)
                )
            })
            .collect();
        let _ = write!(
            corps,
            "<form method=\"get\" action=\"/activite\" class=\"filtres\">\
             <div class=\"champ\"><label for=\"choix-structure\">Structure</label><select id=\"choix-structure\" name=\"structure\">{options}</select></div>\
             <div class=\"champ\"><label for=\"choix-exercice\">Exercice</label><input type=\"text\" inputmode=\"numeric\" id=\"choix-exercice\" name=\"exercice\" value=\"{exercice}\"></div>\
             <button type=\"submit\" class=\"secondaire\">Afficher</button></form>"
        );
    }
    if !retour.erreurs.is_empty() || retour.erreur.is_some() {
        let mut liens = String::new();
        for (champ, message) in &retour.erreurs {
            let _ = write!(
                liens,
                "<li><a href=\"#{}\">{}</a></li>",
                ancre(champ),
                e(message)
            );
        }
        if let Some(m) = &retour.erreur {
            let _ = write!(liens, "<li>{}</li>", e(m));
        }
        let _ = write!(
            corps,
            "<div class=\"encadre erreur\" role=\"alert\" tabindex=\"-1\" id=\"resume-erreurs\">\
             <h2>Rien n'a été enregistré</h2><ul>{liens}</ul></div>"
        );
    }
    if let Some(m) = &retour.succes {
        let mut a = String::new();
        for w in &retour.avertissements {
            let _ = write!(
                a,
                "<li>{} <span class=\"aide\">({})</span></li>",
                e(&w.message),
                e(w.source)
            );
        }
        let _ = write!(
            corps,
            "<div class=\"encadre succes\" role=\"status\"><p>{}</p>{}</div>",
            e(m),
            if a.is_empty() {
                String::new()
            } else {
                format!("<p>Points d'attention :</p><ul>{a}</ul>")
            }
        );
    }
    if let Some(html) = &retour.import {
        corps.push_str(html);
    }

    let retour_bilan = retour.bilan.then(|| Retour {
        valeurs: retour.valeurs.clone(),
        erreurs: retour.erreurs.clone(),
        ..Retour::default()
    });
    let retour = if retour.bilan {
        Retour::default()
    } else {
        retour
    };
    if saisit(c) {
        let intervenants: Vec<(i64, String)> = etat
            .plateforme
            .intervenants(&c.acteur, g)
            .await?
            .into_iter()
            .map(|i| {
                (
                    i.valeur.id.0,
                    format!("{} {}", i.valeur.prenom, i.valeur.nom),
                )
            })
            .collect();
        let lieux: Vec<(i64, String)> = etat
            .plateforme
            .lieux(&c.acteur, g)
            .await?
            .into_iter()
            .map(|l| (l.valeur.id.0, l.valeur.nom))
            .collect();
        let mut r = retour;
        r.valeurs
            .entry("structure".into())
            .or_insert_with(|| g.0.to_string());
        let _ = write!(
            corps,
            "<h2>Enregistrer un entretien</h2>\
             <p class=\"aide\">La famille n'est jamais nommée : indiquez l'identifiant que la structure lui donne \
             (numéro de dossier, code interne). Il est aussitôt transformé en un code pseudonyme propre à la structure \
             et n'est pas conservé. N'y mettez ni nom, ni adresse, ni date de naissance.</p>\
             <form method=\"post\" action=\"/activite/entretiens\" novalidate>{}\
             <input type=\"hidden\" name=\"structure\" value=\"{}\">{}{}{}{}{}{}{}{}{}{}{}{}\
             <button type=\"submit\">Enregistrer l'entretien</button></form>",
            csrf(c),
            g.0,
            saisie_texte(
                "identifiant_famille",
                "Identifiant de la famille dans la structure",
                "Par exemple son numéro de dossier ; au plus 100 caractères",
                "text",
                " autocomplete=\"off\" spellcheck=\"false\"",
                &r
            ),
            saisie_texte(
                "date",
                "Date de l'entretien",
                "Format JJ/MM/AAAA",
                "text",
                " inputmode=\"numeric\" class=\"court\"",
                &r
            ),
            saisie_texte(
                "duree_minutes",
                "Durée en minutes",
                "De 1 à 300 minutes ; une séance dure habituellement une heure",
                "text",
                " inputmode=\"numeric\" class=\"court\"",
                &r
            ),
            groupe::<Etape>("etape", "Étape", "", false, &r),
            groupe::<Mode>(
                "mode",
                "Modalité",
                "Le premier entretien se tient de préférence en présentiel",
                false,
                &r
            ),
            groupe::<Presence>("presence", "Personnes présentes", "", false, &r),
            groupe::<Sujet>(
                "sujets",
                "Sujets abordés",
                "Plusieurs choix possibles",
                true,
                &r
            ),
            groupe::<Orientation>(
                "orientations",
                "Orientation vers un partenaire",
                "Seulement si la famille a été orientée (référentiel §IV.2)",
                true,
                &r
            ),
            choix_liste("intervenant", "Intervenant", &intervenants, &r),
            choix_liste("lieu", "Lieu d'accueil", &lieux, &r),
            {
                let (entete, message, attributs) = message_champ(
                    "Motif d'une séance au-delà de la cinquième",
                    "motif_exception",
                    "Obligatoire à partir de la 6e séance d'une famille dans l'année (référentiel §II.3)",
                    &r,
                );
                format!(
                    "<div class=\"{}\"><label for=\"motif_exception\">{entete}</label>{message}\
                     <textarea id=\"motif_exception\" name=\"motif_exception\" rows=\"2\"{attributs}>{}</textarea></div>",
                    classe(&r, "motif_exception"),
                    e(r.valeur("motif_exception"))
                )
            },
            saisie_texte(
                "reference",
                "Référence de la séance (facultatif)",
                "Votre propre numéro de séance, s'il existe : il évite tout doublon",
                "text",
                " autocomplete=\"off\"",
                &r
            ),
        );
        let _ = write!(
            corps,
            "<h2>Importer un fichier d'entretiens</h2>\
             <p>Fichier CSV enregistré par un tableur (séparateur point-virgule, UTF-8). Colonnes : \
             <code>identifiant_famille</code>, <code>date</code> (JJ/MM/AAAA), <code>duree_minutes</code>, <code>etape</code>, \
             <code>mode</code>, <code>presence</code>, et si besoin <code>sujets</code>, <code>orientations</code> \
             (plusieurs valeurs séparées par des virgules), <code>motif_exception</code>, <code>reference</code>, \
             <code>intervenant_id</code>, <code>lieu_id</code>. Le fichier est vérifié en entier : à la moindre ligne \
             en erreur, rien n'est importé et chaque ligne fautive est listée. Importer deux fois le même fichier \
             n'ajoute rien.</p>\
             <form method=\"post\" action=\"/activite/import\" enctype=\"multipart/form-data\">{}\
             <input type=\"hidden\" name=\"structure\" value=\"{}\">\
             {}<button type=\"submit\">Importer</button></form>",
            csrf(c),
            g.0,
            {
                let (entete, message, attributs) =
                    message_champ("Fichier CSV", "fichier", "Au plus 50 Mo", &r);
                format!(
                    "<div class=\"{}\"><label for=\"fichier\">{entete}</label>{message}\
                     <input type=\"file\" id=\"fichier\" name=\"fichier\" accept=\".csv,text/csv\"{attributs}></div>",
                    classe(&r, "fichier")
                )
            }
        );
    }

    let chiffres = suivi.chiffres_bilan(&c.acteur, g, exercice).await?;
    let _ = write!(
        corps,
        "<h2>Chiffres du bilan {exercice}</h2>\
         <p class=\"aide\">Calculés à partir des entretiens enregistrés et importés : ce sont les chiffres \
         que la structure reporte dans son bilan annuel et sa déclaration réelle.</p>{}",
        chiffres_html(&chiffres)
    );
    corps.push_str(&bilan_annuel(etat, c, g, exercice, retour_bilan.as_ref()).await?);

    if saisit(c) {
        const MONTRES: u32 = 50;
        let entretiens = suivi
            .derniers_entretiens(&c.acteur, g, exercice, MONTRES)
            .await?;
        let lignes: Vec<Vec<String>> = entretiens
            .iter()
            .map(|x| {
                vec![
                    fr::date(x.date),
                    format!("<code>{}</code>", &x.famille.hex()[..8]),
                    x.etape.libelle().to_owned(),
                    x.mode.libelle().to_owned(),
                    x.duree_minutes.to_string(),
                    e(&libelles(&x.sujets)),
                    e(&libelles(&x.orientations)),
                ]
            })
            .collect();
        let _ = write!(
            corps,
            "<h2>Entretiens {exercice}</h2>{}",
            tableau(
                &format!(
                    "Les {} derniers entretiens sur {} (famille : début de son code pseudonyme)",
                    lignes.len(),
                    chiffres.activite.entretiens
                ),
                &[
                    ("Date", false),
                    ("Famille", false),
                    ("Étape", false),
                    ("Modalité", false),
                    ("Minutes", true),
                    ("Sujets", false),
                    ("Orientations", false),
                ],
                &lignes,
            )
        );
    }
    Ok(corps)
}

/// The annual report of each convention of the structure covering the exercise: its state and
/// timeliness, and for the gestionnaire the form that sends it with the figures derived from the
/// sessions (Référentiel national de financement de l'AIP §V, §VI.2: the bilan goes with the réelle declaration; its validation by
/// the Caf releases the solde).
async fn bilan_annuel(
    etat: &Etat,
    c: &Connecte,
    g: GestionnaireId,
    exercice: i32,
    retour: Option<&Retour>,
) -> Result<String, ErreurWeb> {
    let p = &etat.plateforme;
    let conventions: Vec<_> = p
        .conventions(&c.acteur)
        .await?
        .into_iter()
        .filter(|v| {
            v.valeur.gestionnaire == g
                && v.valeur.debut.year() <= exercice
                && v.valeur.fin.year() >= exercice
        })
        .collect();
    let mut s = format!("<h2>Bilan annuel {exercice}</h2>");
    if conventions.is_empty() {
        s.push_str("<p>Aucune convention de la structure ne couvre cet exercice : pas de bilan attendu.</p>");
        return Ok(s);
    }
    let echeance = crate::pages::tableau_de_bord::echeance_bilan(&p.parametres, exercice);
    let echeance_texte = echeance.map_or(String::new(), fr::date);
    let vide = Retour::default();
    let r = retour.unwrap_or(&vide);
    for conv in conventions {
        let v = &conv.valeur;
        let bilans = p.bilans(&c.acteur, v.id).await?;
        let bilan = bilans.iter().find(|b| b.valeur.exercice == exercice);
        let etat_texte = match bilan.map(|b| &b.valeur) {
            None => {
                let retard = echeance.is_some_and(|d| OffsetDateTime::now_utc().date() > d);
                format!(
                    "<span class=\"badge{}\">{}</span> — à transmettre au plus tard le {echeance_texte}",
                    if retard { " alerte" } else { "" },
                    if retard { "en retard" } else { "à faire" }
                )
            }
            Some(b) => {
                let quand = b.suivi.transmise_le.map(|t| fr::date(t.date()));
                let a_temps = match (b.suivi.transmise_le, echeance) {
                    (Some(t), Some(d)) => Some(t.date() <= d),
                    _ => None,
                };
                format!(
                    "<span class=\"badge{}\">{}</span>{}{}",
                    if b.etat() == domain::declaration::EtatTransmission::Validee {
                        " succes"
                    } else {
                        ""
                    },
                    b.etat().libelle(),
                    quand.map_or(String::new(), |q| format!(" — transmis le {q}")),
                    match a_temps {
                        Some(true) => " (à temps)".to_owned(),
                        Some(false) => format!(" (après l'échéance du {echeance_texte})"),
                        None => String::new(),
                    }
                )
            }
        };
        let _ = write!(
            s,
            "<h3>Convention <a href=\"/conventions/{}\">{}</a></h3><p>État du bilan : {etat_texte}</p>",
            v.id.0,
            e(&v.numero)
        );
        if let Some(b) = bilan {
            let b = &b.valeur.contenu;
            let _ = write!(
                s,
                "<ul><li>Familles accompagnées : {}</li><li>Entretiens : {}</li><li>Heures d'entretien : {}</li>\
                 <li>Heures d'analyse de la pratique : {}</li></ul>",
                b.familles_accompagnees,
                b.entretiens,
                b.heures_entretiens,
                b.heures_analyse_pratique
            );
            continue;
        }
        if c.acteur.role != Role::Gestionnaire {
            continue;
        }
        let zone = |nom: &str, libelle: &str, aide: &str| {
            let (entete, message, attributs) = message_champ(libelle, nom, aide, r);
            format!(
                "<div class=\"{}\"><label for=\"{nom}\">{entete}</label>{message}\
                 <textarea id=\"{nom}\" name=\"{nom}\" rows=\"4\"{attributs}>{}</textarea></div>",
                classe(r, nom),
                e(r.valeur(nom))
            )
        };
        let _ = write!(
            s,
            "<form method=\"post\" action=\"/activite/bilan\" novalidate>{}\
             <input type=\"hidden\" name=\"structure\" value=\"{}\">\
             <input type=\"hidden\" name=\"convention\" value=\"{}\">\
             <input type=\"hidden\" name=\"exercice\" value=\"{exercice}\">\
             <p>Les chiffres d'activité ci-dessus sont repris tels quels dans le bilan et figés à sa transmission.</p>\
             {}{}{}<button type=\"submit\">Transmettre le bilan {exercice} à la Caf</button></form>",
            csrf(c),
            g.0,
            v.id.0,
            saisie_texte(
                "heures_analyse_pratique",
                "Heures d'analyse de la pratique",
                "Temps de supervision des intervenants dans l'année (référentiel §III.3)",
                "text",
                " inputmode=\"numeric\" class=\"court\"",
                r
            ),
            zone(
                "reseau_partenarial",
                "Réseau partenarial",
                "Les partenaires vers qui les familles ont été orientées et avec qui le service travaille (référentiel §IV.2)"
            ),
            zone(
                "synthese",
                "Synthèse qualitative",
                "Besoins exprimés, réponses apportées, effets observés chez les parents"
            ),
        );
    }
    Ok(s)
}

/// `POST /activite/bilan`: the gestionnaire sends the bilan of a convention and exercise, its
/// activity figures taken from the sessions.
pub async fn transmettre_bilan(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.get("_csrf").map(String::as_str))?;
    let texte = |n: &str| f.get(n).map(|s| s.trim().to_owned()).unwrap_or_default();
    let g = GestionnaireId(
        texte("structure")
            .parse()
            .map_err(|_| ErreurWeb::Refus("structure non précisée".into()))?,
    );
    let convention = domain::identifiants::ConventionId(
        texte("convention")
            .parse()
            .map_err(|_| ErreurWeb::Refus("convention non précisée".into()))?,
    );
    let exercice: i32 = texte("exercice")
        .parse()
        .map_err(|_| ErreurWeb::Refus("exercice non précisé".into()))?;
    let mut erreurs = Vec::new();
    let heures = texte("heures_analyse_pratique").parse::<u32>();
    if heures.is_err() {
        erreurs.push((
            "heures_analyse_pratique".to_owned(),
            "Heures d'analyse de la pratique : indiquez un nombre entier d'heures, 0 s'il n'y en a pas eu".to_owned(),
        ));
    }
    if texte("synthese").is_empty() {
        erreurs.push((
            "synthese".to_owned(),
            "Synthèse qualitative : décrivez en quelques lignes les besoins et les réponses apportées".to_owned(),
        ));
    }
    let choix = Choix {
        structure: Some(g.0.to_string()),
        exercice: Some(exercice.to_string()),
    };
    let mut valeurs = f.clone();
    valeurs.remove("_csrf");
    let refuser = |erreurs: Vec<(String, String)>, erreur: Option<String>| Retour {
        valeurs: valeurs.clone(),
        erreurs,
        erreur,
        bilan: true,
        ..Retour::default()
    };
    let deja = etat
        .plateforme
        .bilans(&c.acteur, convention)
        .await?
        .into_iter()
        .any(|b| b.valeur.exercice == exercice);
    let retour = match heures {
        Ok(_) if deja => refuser(
            Vec::new(),
            Some(format!(
                "Le bilan {exercice} de cette convention a déjà été saisi : il n'est pas transmis une seconde fois."
            )),
        ),
        Ok(heures) if erreurs.is_empty() => {
            let chiffres = SuiviActivite::new(&etat.plateforme)
                .chiffres_bilan(&c.acteur, g, exercice)
                .await?;
            let declaree = chiffres.activite_declaree();
            let a = &chiffres.activite;
            let mut repartition = std::collections::BTreeMap::new();
            fn ranger<T: Modalite>(
                r: &mut std::collections::BTreeMap<String, i64>,
                m: &std::collections::BTreeMap<T, i64>,
            ) {
                for (k, v) in m {
                    r.insert(format!("{}.{}", T::RUBRIQUE, k.code()), *v);
                }
            }
            ranger(&mut repartition, &a.par_etape);
            ranger(&mut repartition, &a.par_mode);
            ranger(&mut repartition, &a.par_presence);
            ranger(&mut repartition, &a.par_sujet);
            ranger(&mut repartition, &a.par_orientation);
            repartition.insert(
                "familles_au_dela_repere".into(),
                chiffres.familles_au_dela_repere,
            );
            let contenu = domain::declaration::ContenuBilan {
                familles_accompagnees: declaree.parents_distincts,
                entretiens: declaree.entretiens,
                heures_analyse_pratique: heures,
                synthese: texte("synthese"),
                heures_entretiens: declaree.heures_entretiens,
                reseau_partenarial: texte("reseau_partenarial"),
                repartition,
            };
            let quand = OffsetDateTime::now_utc();
            let p = &etat.plateforme;
            let resultat = match p
                .saisir_bilan(&c.acteur, convention, exercice, contenu, quand)
                .await
            {
                Ok(b) => {
                    p.agir_sur_bilan(
                        &c.acteur,
                        b.valeur.id,
                        Some(b.version),
                        app::ActionTransmission::Transmettre,
                        quand,
                    )
                    .await
                }
                Err(x) => Err(x),
            };
            match resultat {
                Ok(_) => Retour {
                    succes: Some(format!(
                        "Bilan {exercice} transmis à la Caf, avec {} entretiens et {} familles.",
                        declaree.entretiens, declaree.parents_distincts
                    )),
                    ..Retour::default()
                },
                Err(x) if x.est_interdit() => return Err(ErreurWeb::Interdit(x.to_string())),
                Err(x) => refuser(Vec::new(), Some(x.to_string())),
            }
        }
        _ => refuser(erreurs, None),
    };
    let statut = if retour.succes.is_some() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let corps = rendre(&etat, &c, &choix, retour).await?;
    Ok((
        statut,
        NE_PAS_GARDER,
        Html(page("Activité — bilan", Some(&c), "/activite", &corps)),
    )
        .into_response())
}

/// `1 entretien`, `0 entretien`, `2 entretiens`.
fn pluriel(n: u64, un: &str, plusieurs: &str) -> String {
    format!("{n} {}", if n > 1 { plusieurs } else { un })
}

/// The id of the element a field's error links to.
fn ancre(champ: &str) -> String {
    match champ {
        "etape" | "mode" | "presence" => format!("{champ}-{}", premier_code(champ)),
        "sujets" => format!("sujets-{}", Sujet::TOUTES[0].code()),
        "orientations" => format!("orientations-{}", Orientation::TOUTES[0].code()),
        c => c.to_owned(),
    }
}

fn premier_code(champ: &str) -> &'static str {
    match champ {
        "etape" => Etape::TOUTES[0].code(),
        "mode" => Mode::TOUTES[0].code(),
        _ => Presence::TOUTES[0].code(),
    }
}

/// `GET /activite`.
pub async fn page_activite(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<Choix>,
) -> Result<Html<String>, ErreurWeb> {
    let corps = rendre(&etat, &c, &choix, Retour::default()).await?;
    Ok(Html(page("Activité", Some(&c), "/activite", &corps)))
}

fn lire_saisie(f: &HashMap<String, String>) -> Result<SaisieEntretien, Vec<(String, String)>> {
    let mut erreurs: Vec<(String, String)> = Vec::new();
    let texte = |n: &str| f.get(n).map(|s| s.trim()).unwrap_or_default();
    let gestionnaire = texte("structure").parse::<i64>().map(GestionnaireId);
    let famille = IdentifiantFamille::new(texte("identifiant_famille"));
    if let Err(x) = &famille {
        erreurs.push(("identifiant_famille".into(), message_de(x)));
    }
    let date = activite::dates::lire_date(texte("date"));
    if date.is_none() {
        erreurs.push((
            "date".into(),
            if texte("date").is_empty() {
                "Date de l'entretien : indiquez-la au format JJ/MM/AAAA".into()
            } else {
                "Date de l'entretien : date invalide, attendue au format JJ/MM/AAAA".into()
            },
        ));
    }
    let duree = texte("duree_minutes").parse::<i64>();
    if duree.is_err() {
        erreurs.push((
            "duree_minutes".into(),
            "Durée : indiquez un nombre entier de minutes, par exemple 60".into(),
        ));
    }
    fn un<T: Modalite>(
        f: &HashMap<String, String>,
        nom: &str,
        libelle: &str,
        erreurs: &mut Vec<(String, String)>,
    ) -> Option<T> {
        let v = f.get(nom).and_then(|t| T::depuis_texte(t));
        if v.is_none() {
            erreurs.push((
                nom.into(),
                format!("{libelle} : choisissez une des valeurs proposées"),
            ));
        }
        v
    }
    fn plusieurs<T: Modalite>(f: &HashMap<String, String>, nom: &str) -> BTreeSet<T> {
        T::TOUTES
            .iter()
            .copied()
            .filter(|v| f.contains_key(&format!("{nom}_{}", v.code())))
            .collect()
    }
    let etape = un::<Etape>(f, "etape", "Étape", &mut erreurs);
    let mode = un::<Mode>(f, "mode", "Modalité", &mut erreurs);
    let presence = un::<Presence>(f, "presence", "Personnes présentes", &mut erreurs);
    let id = |n: &str, libelle: &str, erreurs: &mut Vec<(String, String)>| -> Option<i64> {
        let t = texte(n);
        if t.is_empty() {
            return None;
        }
        match t.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                erreurs.push((n.into(), format!("{libelle} : choisissez dans la liste")));
                None
            }
        }
    };
    let intervenant = id("intervenant", "Intervenant", &mut erreurs).map(IntervenantId);
    let lieu = id("lieu", "Lieu d'accueil", &mut erreurs).map(LieuId);
    let Ok(gestionnaire) = gestionnaire else {
        erreurs.push(("structure".into(), "Structure non précisée".into()));
        return Err(erreurs);
    };
    match (famille, date, duree, etape, mode, presence) {
        (Ok(famille), Some(date), Ok(duree_minutes), Some(etape), Some(mode), Some(presence))
            if erreurs.is_empty() =>
        {
            Ok(SaisieEntretien {
                gestionnaire,
                famille,
                date,
                duree_minutes,
                etape,
                mode,
                presence,
                sujets: plusieurs::<Sujet>(f, "sujets"),
                orientations: plusieurs::<Orientation>(f, "orientations"),
                intervenant,
                lieu,
                motif_exception: Some(texte("motif_exception").to_owned())
                    .filter(|t| !t.is_empty()),
                reference: Some(texte("reference").to_owned()).filter(|t| !t.is_empty()),
            })
        }
        _ => Err(erreurs),
    }
}

/// An error's message, with the field's technical name replaced by its label.
fn message_de(x: &ErreurActivite) -> String {
    match x {
        ErreurActivite::Champ { champ, raison } => format!("{} : {raison}", libelle_champ(champ)),
        ErreurActivite::MotifExceptionRequis { .. } => {
            let t = x.to_string();
            let reste = t
                .split_once(" : ")
                .map_or(t.as_str(), |(_, r)| r)
                .to_owned();
            format!("{} : {reste}", libelle_champ("motif_exception"))
        }
        x => x.to_string(),
    }
}

fn libelle_champ(champ: &str) -> &'static str {
    match champ {
        "identifiant_famille" => "Identifiant de la famille",
        "date" => "Date de l'entretien",
        "duree_minutes" => "Durée",
        "motif_exception" => "Motif",
        "reference" => "Référence",
        "intervenant" => "Intervenant",
        "lieu" => "Lieu d'accueil",
        "etape" => "Étape",
        "mode" => "Modalité",
        "presence" => "Personnes présentes",
        _ => "Entretien",
    }
}

fn champ_de(x: &ErreurActivite) -> Option<&'static str> {
    match x {
        ErreurActivite::Champ { champ, .. } => Some(champ),
        ErreurActivite::MotifExceptionRequis { .. } => Some("motif_exception"),
        _ => None,
    }
}

/// `POST /activite/entretiens`: records a session; a refusal re-shows the form with the values
/// typed and each message next to its field. The family's identifier is among them: it goes
/// back only to the person who typed it, on a page the browser is told not to keep.
pub async fn enregistrer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.get("_csrf").map(String::as_str))?;
    let choix = Choix {
        structure: f.get("structure").cloned(),
        exercice: None,
    };
    let mut valeurs = f.clone();
    valeurs.remove("_csrf");
    let refus = |erreurs: Vec<(String, String)>, erreur: Option<String>| Retour {
        valeurs: valeurs.clone(),
        erreurs,
        erreur,
        ..Retour::default()
    };
    let retour = match lire_saisie(&f) {
        Err(erreurs) => refus(erreurs, None),
        Ok(saisie) => {
            let exercice = saisie.date.year();
            match SuiviActivite::new(&etat.plateforme)
                .enregistrer(&c.acteur, saisie, OffsetDateTime::now_utc())
                .await
            {
                Ok(r) => {
                    let choix = Choix {
                        structure: choix.structure.clone(),
                        exercice: Some(exercice.to_string()),
                    };
                    let mut garde = HashMap::new();
                    for k in ["structure", "date", "duree_minutes", "intervenant", "lieu"] {
                        if let Some(v) = f.get(k) {
                            garde.insert(k.to_owned(), v.clone());
                        }
                    }
                    let retour = Retour {
                        valeurs: garde,
                        succes: Some(if r.nouveau {
                            format!(
                                "Entretien enregistré : séance n° {} de cette famille en {exercice}.",
                                r.seances_famille_annee
                            )
                        } else {
                            "Cet entretien était déjà enregistré : rien n'a été ajouté.".to_owned()
                        }),
                        avertissements: r.avertissements,
                        ..Retour::default()
                    };
                    let corps = rendre(&etat, &c, &choix, retour).await?;
                    return Ok((
                        NE_PAS_GARDER,
                        Html(page("Activité", Some(&c), "/activite", &corps)),
                    )
                        .into_response());
                }
                Err(x) if x.est_interdit() => return Err(ErreurWeb::Interdit(x.to_string())),
                Err(x) => match champ_de(&x) {
                    Some(champ) => refus(vec![(champ.to_owned(), message_de(&x))], None),
                    None => refus(Vec::new(), Some(x.to_string())),
                },
            }
        }
    };
    let corps = rendre(&etat, &c, &choix, retour).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        NE_PAS_GARDER,
        Html(page(
            "Activité — erreur de saisie",
            Some(&c),
            "/activite",
            &corps,
        )),
    )
        .into_response())
}

/// `POST /activite/import`: imports a file of sessions as a whole, or lists every bad line.
pub async fn importer(
    State(etat): State<Etat>,
    c: Connecte,
    mut parties: Multipart,
) -> Result<Response, ErreurWeb> {
    let mut jeton = None;
    let mut structure = None;
    let mut contenu: Option<Vec<u8>> = None;
    while let Some(partie) = parties
        .next_field()
        .await
        .map_err(|x| ErreurWeb::Refus(format!("formulaire d'import illisible : {x}")))?
    {
        match partie.name().unwrap_or_default() {
            "_csrf" => jeton = partie.text().await.ok(),
            "structure" => structure = partie.text().await.ok(),
            "fichier" => {
                let octets = partie
                    .bytes()
                    .await
                    .map_err(|x| ErreurWeb::Refus(format!("fichier illisible : {x}")))?;
                if octets.len() > TAILLE_MAX_IMPORT {
                    return Err(ErreurWeb::Refus(
                        "fichier trop volumineux (au plus 50 Mo)".into(),
                    ));
                }
                contenu = Some(octets.to_vec());
            }
            _ => {}
        }
    }
    c.verifier_csrf(jeton.as_deref())?;
    let choix = Choix {
        structure: structure.clone(),
        exercice: None,
    };
    let g = structure
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map(GestionnaireId)
        .ok_or_else(|| ErreurWeb::Refus("structure non précisée".into()))?;
    let (statut, retour) = match contenu.filter(|c| !c.is_empty()) {
        None => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Retour {
                erreurs: vec![(
                    "fichier".into(),
                    "Fichier CSV : choisissez un fichier non vide".into(),
                )],
                ..Retour::default()
            },
        ),
        Some(octets) => match SuiviActivite::new(&etat.plateforme)
            .importer_csv(&c.acteur, g, &octets, OffsetDateTime::now_utc())
            .await
        {
            Ok(r) => (
                StatusCode::OK,
                Retour {
                    succes: Some(if r.deja_importe {
                        format!(
                            "Ce fichier a déjà été importé (import n°{}) : rien n'a été ajouté.",
                            r.import
                        )
                    } else {
                        format!(
                            "Import n°{} : {} dans le fichier, {} {}, {} déjà {}.",
                            r.import,
                            pluriel(r.lignes, "entretien", "entretiens"),
                            r.importees,
                            if r.importees > 1 {
                                "ajoutés"
                            } else {
                                "ajouté"
                            },
                            r.deja_presentes,
                            if r.deja_presentes > 1 {
                                "enregistrés"
                            } else {
                                "enregistré"
                            },
                        )
                    }),
                    avertissements: r.avertissements,
                    ..Retour::default()
                },
            ),
            Err(x) if x.est_interdit() => return Err(ErreurWeb::Interdit(x.to_string())),
            Err(x) if !x.lignes_en_erreur().is_empty() => {
                let lignes: Vec<Vec<String>> = x
                    .lignes_en_erreur()
                    .iter()
                    .flat_map(|l| {
                        l.problemes
                            .iter()
                            .map(move |p| vec![l.ligne.to_string(), e(p.champ), e(&p.raison)])
                    })
                    .collect();
                let n = x.lignes_en_erreur().len();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Retour {
                        erreur: Some(format!(
                            "Import refusé : {n} ligne{} en erreur, aucun entretien n'a été importé. Corrigez le fichier puis importez-le de nouveau.",
                            if n > 1 { "s" } else { "" }
                        )),
                        import: Some(tableau(
                            "Lignes en erreur du fichier (la ligne 1 est celle des titres)",
                            &[("Ligne", true), ("Colonne", false), ("Motif", false)],
                            &lignes,
                        )),
                        ..Retour::default()
                    },
                )
            }
            Err(x) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Retour {
                    erreur: Some(x.to_string()),
                    ..Retour::default()
                },
            ),
        },
    };
    let corps = rendre(&etat, &c, &choix, retour).await?;
    Ok((
        statut,
        NE_PAS_GARDER,
        Html(page("Activité — import", Some(&c), "/activite", &corps)),
    )
        .into_response())
}
