//! The templates of the structure's forms: the session form (every choice of a list as a group
//! of radio buttons or checkboxes, none ticked in advance for step, mode and attendance) and the
//! import form with the table of a refused file's bad lines.

use activite::nomenclature::Modalite;
use activite::{Etape, Mode, Orientation, Presence, Sujet};
use maud::{Markup, html};

use super::LigneRefusee;
use super::modele::ListesSaisie;
use super::saisie::ValeursEntretien;
use crate::formulaire::{Champ, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{Colonne, champ_csrf, tableau};

/// One choice (radio buttons) or several (checkboxes, each named `<nom>_<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choix {
    Un,
    Plusieurs,
}

/// A group of the values of a list, in a fieldset whose id is the one the summary links to;
/// its help and error describe the group and each control.
fn groupe<T: Modalite>(
    nom: &str,
    legende: &str,
    aide: &str,
    choix: Choix,
    erreurs: &Erreurs,
    coche: impl Fn(&str) -> bool,
) -> Markup {
    let erreur = erreurs.de(nom);
    let id_aide = format!("{nom}-aide");
    let id_erreur = format!("{nom}-erreur");
    let mut decrit: Vec<&str> = Vec::new();
    if !aide.is_empty() {
        decrit.push(&id_aide);
    }
    if erreur.is_some() {
        decrit.push(&id_erreur);
    }
    let decrit = (!decrit.is_empty()).then(|| decrit.join(" "));
    let invalide = erreur.is_some().then_some("true");
    let type_ = match choix {
        Choix::Un => "radio",
        Choix::Plusieurs => "checkbox",
    };
    html! {
        fieldset id=(nom) tabindex="-1" class="champ" .en-erreur[erreur.is_some()]
            aria-describedby=[decrit.as_deref()] {
            legend { (legende) }
            // The help goes under the legend, not inside it, so that the legend stays one short
            // line.
            @if !aide.is_empty() { p.aide id=(id_aide) { (aide) } }
            @if let Some(m) = &erreur { p.message-erreur id=(id_erreur) { (m) } }
            div.options {
                @for v in T::TOUTES {
                    @let id = format!("{nom}-{}", v.code());
                    @let name = match choix {
                        Choix::Un => nom.to_owned(),
                        Choix::Plusieurs => format!("{nom}_{}", v.code()),
                    };
                    div.option {
                        input type=(type_) id=(id) name=(name) value=(v.code()) checked[coche(v.code())]
                            aria-invalid=[invalide] aria-describedby=[invalide.map(|_| id_erreur.as_str())];
                        label for=(id) { (v.libelle()) }
                    }
                }
            }
        }
    }
}

/// The options of a list of records, « non précisé » first.
fn options(liste: &[(String, String)]) -> Vec<(&str, &str)> {
    std::iter::once(("", "— non précisé —"))
        .chain(
            liste
                .iter()
                .map(|(id, texte)| (id.as_str(), texte.as_str())),
        )
        .collect()
}

/// How a text field of the session form is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forme {
    /// The family's identifier: never offered by the browser's memory nor sent to a spelling
    /// checker.
    Identifiant,
    /// A short figure (a date, minutes): a narrow field with the digit keyboard.
    Courte,
}

/// A required text field of the session form, built like every field of the service (label,
/// help, error before the control, `aria-describedby`, `aria-invalid`), with the attributes its
/// `forme` calls for.
fn saisie(
    id: &str,
    libelle: &str,
    aide: &str,
    forme: Forme,
    valeur: &str,
    erreurs: &Erreurs,
) -> Markup {
    let erreur = erreurs.de(id);
    let decrit = match erreur {
        Some(_) => format!("{id}-aide {id}-erreur"),
        None => format!("{id}-aide"),
    };
    let courte = forme == Forme::Courte;
    let identifiant = forme == Forme::Identifiant;
    html! {
        div.champ.en-erreur[erreur.is_some()] {
            label for=(id) { (libelle) span.aide id={ (id) "-aide" } { (aide) } }
            @if let Some(m) = &erreur { p.message-erreur id={ (id) "-erreur" } { (m) } }
            input type="text" id=(id) name=(id) value=(valeur) .court[courte]
                aria-describedby=(decrit) aria-invalid=[erreur.is_some().then_some("true")]
                required inputmode=[courte.then_some("numeric")]
                autocomplete=[identifiant.then_some("off")]
                spellcheck=[identifiant.then_some("false")];
        }
    }
}

/// The session form.
pub(super) fn formulaire_entretien(
    c: &Connecte,
    structure: i64,
    listes: &ListesSaisie,
    v: &ValeursEntretien,
    erreurs: &Erreurs,
) -> Markup {
    html! {
        h2 { "Enregistrer un entretien" }
        p.aide {
            "La famille n'est jamais nommée : indiquez l'identifiant que la structure lui donne \
             (numéro de dossier, code interne). Il est aussitôt transformé en un code pseudonyme \
             propre à la structure et n'est pas conservé. N'y mettez ni nom, ni adresse, ni date \
             de naissance."
        }
        form method="post" action="/activite/entretiens" novalidate {
            (champ_csrf(c))
            input type="hidden" name="structure" value=(structure);
            (saisie(
                "identifiant_famille",
                "Identifiant de la famille dans la structure",
                "Par exemple son numéro de dossier ; au plus 100 caractères",
                Forme::Identifiant,
                &v.identifiant_famille,
                erreurs,
            ))
            (saisie("date", "Date de l'entretien", "Format JJ/MM/AAAA", Forme::Courte, &v.date, erreurs))
            (saisie(
                "duree_minutes",
                "Durée en minutes",
                "De 1 à 300 minutes ; une séance dure habituellement une heure",
                Forme::Courte,
                &v.duree_minutes,
                erreurs,
            ))
            (groupe::<Etape>("etape", "Étape", "", Choix::Un, erreurs, |c| c == v.etape))
            (groupe::<Mode>(
                "mode",
                "Modalité",
                "Le premier entretien se tient de préférence en présentiel",
                Choix::Un,
                erreurs,
                |c| c == v.mode,
            ))
            (groupe::<Presence>("presence", "Personnes présentes", "", Choix::Un, erreurs, |c| {
                c == v.presence
            }))
            (groupe::<Sujet>(
                "sujets",
                "Sujets abordés",
                "Plusieurs choix possibles",
                Choix::Plusieurs,
                erreurs,
                |c| v.sujets.contains(c),
            ))
            (groupe::<Orientation>(
                "orientations",
                "Orientation vers un partenaire",
                "Seulement si la famille a été orientée (référentiel §IV.2)",
                Choix::Plusieurs,
                erreurs,
                |c| v.orientations.contains(c),
            ))
            (Champ::new("intervenant", "Intervenant")
                .erreurs(erreurs)
                .liste(&options(&listes.intervenants), &v.intervenant))
            (Champ::new("lieu", "Lieu d'accueil")
                .erreurs(erreurs)
                .liste(&options(&listes.lieux), &v.lieu))
            (Champ::new("motif_exception", "Motif d'une séance au-delà de la cinquième")
                .aide("Obligatoire à partir de la 6e séance d'une famille dans l'année (référentiel §II.3)")
                .erreurs(erreurs)
                .zone(&v.motif_exception))
            (Champ::new("reference", "Référence de la séance (facultatif)")
                .aide("Votre propre numéro de séance, s'il existe : il évite tout doublon")
                .autocomplete("off")
                .erreurs(erreurs)
                .texte(&v.reference))
            button type="submit" { "Enregistrer l'entretien" }
        }
    }
}

/// The file field: its label, help and error before it, like every field of the service.
fn champ_fichier(erreurs: &Erreurs) -> Markup {
    let erreur = erreurs.de("fichier");
    let decrit = if erreur.is_some() {
        "fichier-aide fichier-erreur"
    } else {
        "fichier-aide"
    };
    html! {
        div.champ.en-erreur[erreur.is_some()] {
            label for="fichier" { "Fichier CSV" span.aide id="fichier-aide" { "Au plus 50 Mo" } }
            @if let Some(m) = &erreur { p.message-erreur id="fichier-erreur" { (m) } }
            input type="file" id="fichier" name="fichier" accept=".csv,text/csv"
                aria-describedby=(decrit) aria-invalid=[erreur.is_some().then_some("true")];
        }
    }
}

/// The columns of an import file, as the file must name them.
const COLONNES_DU_FICHIER: [&str; 6] = [
    "identifiant_famille",
    "date",
    "duree_minutes",
    "etape",
    "mode",
    "presence",
];

/// The import form, and under it the bad lines of a refused file.
pub(super) fn formulaire_import(
    c: &Connecte,
    structure: i64,
    erreurs: &Erreurs,
    lignes_refusees: &[LigneRefusee],
) -> Markup {
    let lignes: Vec<Vec<Markup>> = lignes_refusees
        .iter()
        .map(|l| {
            vec![
                html! { (fr::entier(l.ligne)) },
                html! { code { (l.colonne) } },
                html! { (l.motif) },
            ]
        })
        .collect();
    html! {
        h2 { "Importer un fichier d'entretiens" }
        p {
            "Fichier CSV enregistré par un tableur (séparateur point-virgule, UTF-8). Colonnes : "
            @for (i, colonne) in COLONNES_DU_FICHIER.iter().enumerate() {
                @if i > 0 { ", " }
                code { (colonne) }
                @if *colonne == "date" { " (JJ/MM/AAAA)" }
            }
            ", et si besoin " code { "sujets" } ", " code { "orientations" }
            " (plusieurs valeurs séparées par des virgules), " code { "motif_exception" } ", "
            code { "reference" } ", " code { "intervenant_id" } ", " code { "lieu_id" } ". "
            "Le fichier est vérifié en entier : à la moindre ligne en erreur, rien n'est importé \
             et chaque ligne fautive est listée. Importer deux fois le même fichier n'ajoute rien."
        }
        form method="post" action="/activite/import" enctype="multipart/form-data" novalidate {
            (champ_csrf(c))
            input type="hidden" name="structure" value=(structure);
            (champ_fichier(erreurs))
            button type="submit" { "Importer" }
        }
        @if !lignes.is_empty() {
            (tableau(
                "Lignes en erreur du fichier (la ligne 1 est celle des titres)",
                &[
                    Colonne { titre: "Ligne", nombre: true },
                    Colonne { titre: "Colonne", nombre: false },
                    Colonne { titre: "Motif", nombre: false },
                ],
                &lignes,
            ))
        }
    }
}
