//! The templates of the instances' list and of one instance's page: its configuration, its
//! members (with the forms to add one or import a file), its séances and the form to plan one.

use app::Lu;
use app::VueInstance;
use domain::coordination::{FormeInstance, Instance, LigneRefusee, Niveau, RoleMembre, Seance};
use domain::dossier::Dossier;
use domain::identifiants::CodeDepartement;
use maud::{Markup, html};

use super::formulaires::Paires;
use super::{etat_seance, quand};
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf, tableau};

/// Which form of the page was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Formulaire {
    Configuration,
    Membre,
    Seance,
}

/// What the page shows besides the records: the confirmation of the action just taken, the
/// values of the refused form, the rows of a refused file.
#[derive(Debug, Default)]
pub(super) struct Saisies<'a> {
    pub fait: Option<&'a str>,
    pub formulaire: Option<(Formulaire, &'a Paires)>,
    pub lignes_refusees: Option<&'a [LigneRefusee]>,
}

impl Saisies<'_> {
    /// The value typed in `nom` of `formulaire`, when that form is the one sent back.
    fn valeur(&self, formulaire: Formulaire, nom: &str) -> Option<&str> {
        match self.formulaire {
            Some((f, p)) if f == formulaire => Some(p.valeur(nom)),
            _ => None,
        }
    }

    fn valeurs(&self, formulaire: Formulaire, nom: &str) -> Option<Vec<&str>> {
        match self.formulaire {
            Some((f, p)) if f == formulaire => Some(p.valeurs(nom)),
            _ => None,
        }
    }
}

fn nom_departement(d: CodeDepartement) -> String {
    domain::territoire::departement(d).map_or(d.to_string(), |x| format!("{} ({d})", x.nom))
}

/// The list of instances a reader may open.
pub(super) fn liste(
    c: &Connecte,
    instances: &[Lu<Instance>],
    departements: &[CodeDepartement],
) -> Markup {
    let lignes: Vec<Vec<Markup>> = instances
        .iter()
        .map(|i| {
            let d = i.valeur.departement;
            vec![
                html! { a href={ "/coordination/" (d) } { (nom_departement(d)) } },
                html! { (i.valeur.forme.libelle()) },
            ]
        })
        .collect();
    let sans: Vec<&CodeDepartement> = departements
        .iter()
        .filter(|d| !instances.iter().any(|i| i.valeur.departement == **d))
        .collect();
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    vue::page(
        "Coordination départementale",
        Some(c),
        "/coordination",
        html! {
            h1 { "Coordination départementale" }
            p { "L'instance unique de chaque département coordonne tous les dispositifs de soutien à la parentalité : ses membres, ses séances, ses comptes rendus." }
            @if c.acteur.role == domain::Role::Cnaf {
                @let annee = time::OffsetDateTime::now_utc().year();
                p {
                    a href={ "/coordination/rapports/" (annee) } { "Rapports annuels " (annee) " des départements" }
                    " · "
                    a href={ "/coordination/rapports/" (annee - 1) } { "Rapports annuels " (annee - 1) }
                }
            }
            (tableau("Instances", &[colonne("Département"), colonne("Forme")], &lignes))
            @if !sans.is_empty() {
                h2 { "Départements sans instance configurée" }
                ul {
                    @for d in sans {
                        li { a href={ "/coordination/" (d) } { (nom_departement(*d)) } }
                    }
                }
            }
        },
    )
}

fn confirmation(fait: &str) -> Option<Markup> {
    let texte = match fait {
        "configuree" => "Configuration de l'instance enregistrée.".to_owned(),
        "membre" => "Membre ajouté à l'instance.".to_owned(),
        autre => match autre.strip_prefix("import-") {
            Some(n) => format!("{n} membre(s) importé(s)."),
            None => return None,
        },
    };
    Some(html! {
        div class="encadre succes" role="status" id="confirmation" { p { strong { (texte) } } }
    })
}

/// The page of the instance of `d`.
pub(super) fn page(
    c: &Connecte,
    d: CodeDepartement,
    vue: Option<&VueInstance>,
    seances: &[Lu<Seance>],
    dossiers: &[Lu<Dossier>],
    s: &Saisies<'_>,
    x: &Erreurs,
) -> Markup {
    let secretariat = vue.map_or(
        c.acteur.role == domain::Role::Caf && c.acteur.departements.contains(&d),
        |v| v.secretariat,
    );
    let titre = vue.map_or_else(
        || format!("Coordination — {}", nom_departement(d)),
        |v| v.instance.valeur.appellation(),
    );
    vue::page(
        &x.titre(&titre),
        Some(c),
        "/coordination",
        html! {
            h1 { (titre) }
            (x.resume())
            @if let Some(m) = s.fait.and_then(confirmation) { (m) }
            @match vue {
                Some(v) => {
                    (presentation(&v.instance.valeur))
                    (membres(c, v, secretariat, s, x))
                    (liste_seances(seances))
                    @if secretariat {
                        (formulaire_seance(c, d, &v.instance.valeur, dossiers, s, x))
                        (configuration(c, d, Some(&v.instance.valeur), s, x))
                    }
                }
                None => {
                    p { "L'instance de coordination de ce département n'est pas encore configurée." }
                    @if secretariat { (configuration(c, d, None, s, x)) }
                }
            }
        },
    )
}

fn presentation(i: &Instance) -> Markup {
    html! {
        section aria-labelledby="titre-presentation" {
            h2 id="titre-presentation" { "L'instance" }
            ul.liens {
                li { a href={ "/coordination/diagnostic?departement=" (i.departement) } { "Diagnostic partagé et couverture de l'offre" } }
                li { a href={ "/coordination/plan-d-action?departement=" (i.departement) } { "Priorités et plan d'action" } }
                li { a href={ "/coordination/communication?departement=" (i.departement) } { "Plan d'information et de communication" } }
                @let annee = time::OffsetDateTime::now_utc().year();
                li { a href={ "/coordination/" (i.departement) "/rapport/" (annee) } { "Rapport annuel " (annee) } }
                li { a href={ "/coordination/" (i.departement) "/rapport/" (annee - 1) } { "Rapport annuel " (annee - 1) } }
            }
            dl {
                dt { "Forme" } dd { (i.forme.libelle()) }
                dt { "Secrétariat" } dd { a href={ "mailto:" (i.secretariat.as_str()) } { (i.secretariat.as_str()) } }
                @if let Some(schema) = &i.schema {
                    dt { "Schéma départemental des services aux familles" }
                    dd { "du " (fr::date(schema.debut)) " au " (fr::date(schema.fin)) }
                }
                @if !i.groupes.is_empty() {
                    dt { "Groupes de travail" }
                    dd {
                        ul {
                            @for g in &i.groupes {
                                li { (g.nom) " (" (if g.territorial { "territorial" } else { "thématique" }) ")" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn membres(
    c: &Connecte,
    v: &VueInstance,
    secretariat: bool,
    s: &Saisies<'_>,
    x: &Erreurs,
) -> Markup {
    let lignes: Vec<Vec<Markup>> = v
        .membres
        .iter()
        .map(|m| {
            let m = &m.valeur;
            vec![
                html! { (m.personne) },
                html! { (m.organisation) },
                html! { (m.role.libelle()) },
                html! { "du " (fr::date(m.mandat_debut)) " au " (fr::date(m.mandat_fin)) },
                html! {
                    (m.niveaux.iter().filter(|n| **n != Niveau::GroupeDeTravail).map(|n| n.libelle()).collect::<Vec<_>>().join(", "))
                    @if !m.groupes.is_empty() {
                        @if m.niveaux.iter().any(|n| *n != Niveau::GroupeDeTravail) { " ; " }
                        "groupes : " (m.groupes.iter().cloned().collect::<Vec<_>>().join(", "))
                    }
                },
                html! { a href={ "mailto:" (m.email.as_str()) } { (m.email.as_str()) } },
            ]
        })
        .collect();
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    html! {
        section id="membres" aria-labelledby="titre-membres" {
            h2 id="titre-membres" { "Membres (" (v.membres.len()) ")" }
            (tableau(
                "Composition de l'instance",
                &[colonne("Personne"), colonne("Organisation"), colonne("Rôle"), colonne("Mandat"), colonne("Siège"), colonne("Courriel")],
                &lignes,
            ))
            @if secretariat {
                (formulaire_membre(c, &v.instance.valeur, s, x))
                (formulaire_import(c, &v.instance.valeur, s, x))
            }
        }
    }
}

fn cases_niveaux(instance: &Instance, choisis: &[&str]) -> Markup {
    html! {
        fieldset {
            legend { "Niveaux où il siège" }
            @for n in instance.forme.regles().niveaux.iter().filter(|n| **n != Niveau::GroupeDeTravail) {
                div.champ {
                    input type="checkbox" id={ "niveau-" (n.code()) } name="niveaux" value=(n.code()) checked[choisis.contains(&n.code())];
                    " "
                    label.en-ligne for={ "niveau-" (n.code()) } { (n.libelle()) }
                }
            }
            @for (i, g) in instance.groupes.iter().enumerate() {
                div.champ {
                    input type="checkbox" id={ "groupe-" (i) } name="groupes" value=(g.nom) checked[choisis.contains(&g.nom.as_str())];
                    " "
                    label.en-ligne for={ "groupe-" (i) } { "groupe de travail « " (g.nom) " »" }
                }
            }
        }
    }
}

fn formulaire_membre(c: &Connecte, instance: &Instance, s: &Saisies<'_>, x: &Erreurs) -> Markup {
    let f = Formulaire::Membre;
    let v = |nom| s.valeur(f, nom).unwrap_or_default();
    let roles: Vec<(&str, &str)> = std::iter::once(("", "— choisir —"))
        .chain(RoleMembre::TOUS.iter().map(|r| (r.code(), r.libelle())))
        .collect();
    let mut choisis = s.valeurs(f, "niveaux").unwrap_or_default();
    choisis.extend(s.valeurs(f, "groupes").unwrap_or_default());
    let regles = instance.forme.regles();
    html! {
        h3 { "Ajouter un membre" }
        @if let Some(ans) = regles.mandat_max_ans {
            p.aide { "Un " (regles.appellation) " compte " (regles.membres_max.unwrap_or_default()) " membres au plus, nommés pour " (ans) " ans (CASF art. D.214-1)." }
        }
        form method="post" action={ "/coordination/" (instance.departement) "/membres" } novalidate {
            (champ_csrf(c))
            (Champ::new("personne", "Personne").erreurs(x).requis().autocomplete("off").texte(v("personne")))
            (Champ::new("organisation", "Organisation représentée").erreurs(x).requis().texte(v("organisation")))
            (Champ::new("email", "Adresse électronique").erreurs(x).requis().autocomplete("off").saisie("email", v("email")))
            (Champ::new("role", "Rôle dans l'instance").erreurs(x).requis().liste(&roles, v("role")))
            (Champ::new("mandat_debut", "Début du mandat").erreurs(x).requis().saisie("date", v("mandat_debut")))
            (Champ::new("mandat_fin", "Fin du mandat").erreurs(x).requis().saisie("date", v("mandat_fin")))
            @if let Some(m) = x.de("niveaux").or_else(|| x.de("groupes")) {
                p.message-erreur id="niveaux-erreur" { (m) }
            }
            (cases_niveaux(instance, &choisis))
            button type="submit" { "Ajouter le membre" }
        }
    }
}

fn formulaire_import(c: &Connecte, instance: &Instance, s: &Saisies<'_>, x: &Erreurs) -> Markup {
    html! {
        h3 id="import" { "Importer des membres (fichier CSV)" }
        p.aide {
            "Une ligne d'en-tête puis un membre par ligne, séparateur « ; » ou « , », colonnes : "
            code { (domain::coordination::membre::COLONNES_IMPORT.join(";")) }
            ". Rôle : président, vice-président, secrétariat, membre ou invité ; dates JJ/MM/AAAA ; niveaux et groupes séparés par « , ». Le fichier est importé entier, ou pas du tout : chaque ligne fautive est listée."
        }
        @if let Some(lignes) = s.lignes_refusees {
            div class="encadre erreur" role="alert" {
                p { strong { "Aucun membre n'a été ajouté : " (lignes.len()) " ligne(s) à corriger." } }
                ul {
                    @for l in lignes {
                        li {
                            @if l.ligne == 0 { "Composition : " } @else { "Ligne " (l.ligne) " : " }
                            (l.raisons.join(" ; "))
                        }
                    }
                }
            }
        }
        form method="post" action={ "/coordination/" (instance.departement) "/membres/import" } enctype="multipart/form-data" novalidate {
            (champ_csrf(c))
            (Champ::new("fichier", "Fichier CSV des membres").erreurs(x).requis().saisie("file", ""))
            button type="submit" { "Importer" }
        }
    }
}

fn liste_seances(seances: &[Lu<Seance>]) -> Markup {
    let lignes: Vec<Vec<Markup>> = seances
        .iter()
        .map(|s| {
            let s = &s.valeur;
            vec![
                html! { (quand(s.debut)) },
                html! { a href={ "/seances/" (s.id) } { (s.titre) } },
                html! {
                    (s.niveau.libelle())
                    @if let Some(g) = &s.groupe { " « " (g) " »" }
                },
                html! { (etat_seance(s)) },
                html! {
                    @match &s.compte_rendu {
                        Some(cr) => (super::etat_compte_rendu(cr.etat)),
                        None => "—",
                    }
                },
            ]
        })
        .collect();
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    html! {
        section id="seances" aria-labelledby="titre-seances" {
            h2 id="titre-seances" { "Séances" }
            (tableau(
                "Séances de l'instance",
                &[colonne("Date"), colonne("Séance"), colonne("Niveau"), colonne("État"), colonne("Compte rendu")],
                &lignes,
            ))
        }
    }
}

fn formulaire_seance(
    c: &Connecte,
    d: CodeDepartement,
    instance: &Instance,
    dossiers: &[Lu<Dossier>],
    s: &Saisies<'_>,
    x: &Erreurs,
) -> Markup {
    let f = Formulaire::Seance;
    let v = |nom| s.valeur(f, nom).unwrap_or_default();
    let niveaux: Vec<(&str, &str)> = std::iter::once(("", "— choisir —"))
        .chain(
            instance
                .forme
                .regles()
                .niveaux
                .iter()
                .map(|n| (n.code(), n.libelle())),
        )
        .collect();
    let groupes: Vec<(&str, &str)> = std::iter::once(("", "— aucun —"))
        .chain(
            instance
                .groupes
                .iter()
                .map(|g| (g.nom.as_str(), g.nom.as_str())),
        )
        .collect();
    let dossiers_choisis = s.valeurs(f, "dossiers").unwrap_or_default();
    html! {
        section id="planifier" aria-labelledby="titre-planifier" {
            h2 id="titre-planifier" { "Planifier une séance" }
            form method="post" action={ "/coordination/" (d) "/seances" } novalidate {
                (champ_csrf(c))
                (Champ::new("titre", "Intitulé").erreurs(x).requis().texte(v("titre")))
                (Champ::new("niveau", "Niveau convoqué").erreurs(x).requis().liste(&niveaux, v("niveau")))
                @if !instance.groupes.is_empty() {
                    (Champ::new("groupe", "Groupe de travail (pour une séance d'un groupe)").erreurs(x).liste(&groupes, v("groupe")))
                }
                (Champ::new("date", "Date").erreurs(x).requis().saisie("date", v("date")))
                (Champ::new("heure", "Heure de début (heure de Paris)").aide("HH:MM").erreurs(x).requis().saisie("time", v("heure")))
                (Champ::new("duree_minutes", "Durée (minutes)").erreurs(x).requis().clavier(Clavier::Numerique).texte(s.valeur(f, "duree_minutes").unwrap_or("120")))
                (Champ::new("lieu", "Lieu").aide("Adresse, ou « visioconférence » et son lien").erreurs(x).requis().texte(v("lieu")))
                fieldset {
                    legend { "Ordre du jour" }
                    @if !dossiers.is_empty() {
                        p { "Dossiers à examiner :" }
                        @for dossier in dossiers {
                            div.champ {
                                input type="checkbox" id={ "odj-dossier-" (dossier.valeur.id) } name="dossiers" value=(dossier.valeur.id)
                                    checked[dossiers_choisis.contains(&dossier.valeur.id.to_string().as_str())];
                                " "
                                label.en-ligne for={ "odj-dossier-" (dossier.valeur.id) } {
                                    "Dossier n° " (dossier.valeur.id) " — " (dossier.valeur.projet.intitule)
                                }
                            }
                        }
                    }
                    (Champ::new("diagnostic", "Présenter le diagnostic partagé et la couverture de l'offre").case(s.valeur(f, "diagnostic").is_some_and(|v| !v.is_empty())))
                    (Champ::new("ordre_du_jour", "Autres points, un par ligne").erreurs(x).zone(v("ordre_du_jour")))
                }
                button type="submit" { "Planifier la séance" }
            }
        }
    }
}

fn configuration(
    c: &Connecte,
    d: CodeDepartement,
    instance: Option<&Instance>,
    s: &Saisies<'_>,
    x: &Erreurs,
) -> Markup {
    let f = Formulaire::Configuration;
    let formes = [
        ("", "— choisir —"),
        (
            FormeInstance::Cdsf.code(),
            "Comité départemental des services aux familles (CASF art. L.214-5, depuis 2022)",
        ),
        (
            FormeInstance::Circulaire2012.code(),
            "Instance unique de la Lettre circulaire Cnaf 2012-093 (niveaux politique, stratégique, technique)",
        ),
    ];
    let groupes = |territorial: bool| {
        instance
            .map(|i| {
                i.groupes
                    .iter()
                    .filter(|g| g.territorial == territorial)
                    .map(|g| g.nom.clone())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    let forme = s
        .valeur(f, "forme")
        .map(str::to_owned)
        .or_else(|| instance.map(|i| i.forme.code().to_owned()))
        .unwrap_or_default();
    let secretariat = s
        .valeur(f, "secretariat")
        .map(str::to_owned)
        .or_else(|| instance.map(|i| i.secretariat.as_str().to_owned()))
        .unwrap_or_default();
    let thematiques = s
        .valeur(f, "groupes_thematiques")
        .map_or_else(|| groupes(false), str::to_owned);
    let territoriaux = s
        .valeur(f, "groupes_territoriaux")
        .map_or_else(|| groupes(true), str::to_owned);
    let date = |champ: &str, valeur: Option<time::Date>| {
        s.valeur(f, champ)
            .map(str::to_owned)
            .or_else(|| valeur.map(|d| d.to_string()))
            .unwrap_or_default()
    };
    let schema_debut = date(
        "schema_debut",
        instance.and_then(|i| i.schema.as_ref()).map(|x| x.debut),
    );
    let schema_fin = date(
        "schema_fin",
        instance.and_then(|i| i.schema.as_ref()).map(|x| x.fin),
    );
    html! {
        section id="configuration" aria-labelledby="titre-configuration" {
            h2 id="titre-configuration" { @if instance.is_some() { "Configuration de l'instance" } @else { "Configurer l'instance" } }
            form method="post" action={ "/coordination/" (d) "/configuration" } novalidate {
                (champ_csrf(c))
                (Champ::new("forme", "Forme de l'instance").erreurs(x).requis().liste(&formes, &forme))
                (Champ::new("secretariat", "Adresse du secrétariat (organisateur des séances)").erreurs(x).requis().autocomplete("email").saisie("email", &secretariat))
                (Champ::new("groupes_thematiques", "Groupes de travail thématiques, un par ligne").erreurs(x).zone(&thematiques))
                (Champ::new("groupes_territoriaux", "Groupes de travail territoriaux, un par ligne").erreurs(x).zone(&territoriaux))
                (Champ::new("schema_debut", "Début du schéma départemental des services aux familles").erreurs(x).saisie("date", &schema_debut))
                (Champ::new("schema_fin", "Fin du schéma (six ans au plus)").erreurs(x).saisie("date", &schema_fin))
                button type="submit" { "Enregistrer la configuration" }
            }
        }
    }
}
