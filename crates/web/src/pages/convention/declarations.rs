//! The declarations of a convention: the table with the steps open to the user on each, the
//! right of each (frozen once validated; before, as the Caf's validation would compute it now),
//! its computation folded, and the gestionnaire's flow: prepare (the activity counts taken from
//! the sessions recorded on the platform for the exercise, any change explained), check (the
//! right estimated), send.

use domain::convention::{ActionConvention, Convention};
use domain::declaration::{
    ActionTransmissionOuverte, Activite, Declaration, DroitFige, NatureDeclaration,
};
use maud::{Markup, html};
use store::depot::Lu;

use super::commande::{ActionFormulaire, SaisieDeclaration};
use super::{Retour, bouton};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, majuscule};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf};

/// A declaration as the table shows it.
pub(super) struct LigneDeclaration {
    pub declaration: Declaration,
    pub ouvertes: Vec<ActionTransmissionOuverte>,
    /// The right frozen, or the right estimated if the Caf validated it as it is (`true`).
    pub droit: Option<(DroitFige, bool)>,
}

/// The gestionnaire's form, prepared for one exercise.
pub(super) struct Preparation {
    pub convention: i64,
    pub exercice: i32,
    /// The exercises of the convention's period.
    pub exercices: Vec<i32>,
    /// The activity of the sessions recorded on the platform for the exercise.
    pub enregistree: Option<Activite>,
}

pub(super) struct VueDeclarations {
    pub lignes: Vec<LigneDeclaration>,
    pub preparation: Option<Preparation>,
}

/// The exercise whose declaration to prepare by default: this year, within the convention's.
pub(super) fn exercice_par_defaut(v: &Convention) -> i32 {
    time::OffsetDateTime::now_utc()
        .year()
        .clamp(v.debut.year(), v.fin.year())
}

/// The activity of the sessions the structure recorded for `exercice`, as a declaration states
/// it; `None` when it cannot be read.
pub(super) async fn activite_enregistree(
    etat: &Etat,
    c: &Connecte,
    v: &Convention,
    exercice: i32,
) -> Option<Activite> {
    activite::SuiviActivite::new(&etat.plateforme)
        .chiffres_bilan(&c.acteur, v.gestionnaire, exercice)
        .await
        .ok()
        .map(|chiffres| chiffres.activite_declaree())
}

pub(super) async fn charger(
    etat: &Etat,
    c: &Connecte,
    v: &Convention,
    ouvertes: &[ActionConvention],
    declarations: &[Lu<Declaration>],
    exercice: Option<i32>,
) -> Result<VueDeclarations, ErreurWeb> {
    let p = &etat.plateforme;
    let maintenant = time::OffsetDateTime::now_utc();
    let mut lignes = Vec::new();
    for d in declarations {
        let d = &d.valeur;
        let droit = match &d.droit {
            Some(f) => Some((f.clone(), false)),
            None => p
                .droit_estime(&c.acteur, d.id, maintenant)
                .await
                .ok()
                .flatten()
                .map(|e| (e, true)),
        };
        lignes.push(LigneDeclaration {
            declaration: d.clone(),
            ouvertes: d.actions_ouvertes(&c.acteur),
            droit,
        });
    }
    let preparation = if ouvertes.contains(&ActionConvention::SaisirDeclaration) {
        let exercices: Vec<i32> = (v.debut.year()..=v.fin.year()).collect();
        let exercice = exercice
            .filter(|e| exercices.contains(e))
            .unwrap_or_else(|| exercice_par_defaut(v));
        Some(Preparation {
            convention: v.id.0,
            exercice,
            exercices,
            enregistree: activite_enregistree(etat, c, v, exercice).await,
        })
    } else {
        None
    };
    Ok(VueDeclarations {
        lignes,
        preparation,
    })
}

pub(super) fn tableau(
    c: &Connecte,
    vue: &VueDeclarations,
    cible: &str,
    retour: Retour<'_>,
) -> Markup {
    let colonnes = [
        Colonne {
            titre: "Exercice",
            nombre: false,
        },
        Colonne {
            titre: "Déclaration",
            nombre: false,
        },
        Colonne {
            titre: "État",
            nombre: false,
        },
        Colonne {
            titre: "Dépenses",
            nombre: true,
        },
        Colonne {
            titre: "ETP déclarés",
            nombre: true,
        },
        Colonne {
            titre: "Mois",
            nombre: true,
        },
        Colonne {
            titre: "Actions",
            nombre: false,
        },
    ];
    let lignes: Vec<Vec<Markup>> = vue
        .lignes
        .iter()
        .map(|l| {
            let d = &l.declaration;
            vec![
                html! { (d.exercice) },
                html! { (d.nature.libelle()) },
                html! {
                    (vue::etat_transmission(d.etat()))
                    @if let Some(m) = &d.suivi.motif_renvoi {
                        br; span.aide { "Renvoyée: " (m) }
                    }
                    @if let Some(e) = &d.ecart_activite {
                        br; span.aide { "Activité différente de celle enregistrée (" (e.enregistree.entretiens) " entretiens, " (e.enregistree.parents_distincts) " parents, " (e.enregistree.heures_entretiens) " heures) : " (e.motif) }
                    }
                },
                html! { (fr::euros(d.donnees.depenses_fonctionnement.centimes())) },
                html! { (d.donnees.etp_declares.to_string()) },
                html! { (d.donnees.mois_fonctionnement) },
                actions(c, l, cible, retour),
            ]
        })
        .collect();
    html! {
        h2 { "Déclarations" }
        (vue::tableau("Déclarations de la convention", &colonnes, &lignes))
    }
}

/// The steps open on one declaration.
fn actions(c: &Connecte, l: &LigneDeclaration, cible: &str, retour: Retour<'_>) -> Markup {
    let d = &l.declaration;
    let cache = html! { input type="hidden" name="declaration" value=(d.id); };
    let id_motif = format!("motif-{}", d.id);
    let motif = match retour.saisie {
        Some(ActionFormulaire::RenvoyerDeclaration { declaration, motif })
            if *declaration == d.id.0 =>
        {
            motif.as_str()
        }
        _ => "",
    };
    html! {
        @if l.ouvertes.contains(&ActionTransmissionOuverte::Transmettre) {
            (bouton(c, cible, "transmettre_declaration", "Transmettre", cache.clone(), false))
        }
        @if l.ouvertes.contains(&ActionTransmissionOuverte::Valider) {
            @if d.nature == NatureDeclaration::Reelle {
                a href={ "#validation-" (d.id) } { "Valider les ETP et la déclaration" } " "
            } @else {
                (bouton(c, cible, "valider_declaration", "Valider", cache.clone(), false))
            }
        }
        @if l.ouvertes.contains(&ActionTransmissionOuverte::Renvoyer) {
            (bouton(c, cible, "renvoyer_declaration", "Renvoyer", html! {
                (cache)
                (Champ::new("motif", "Motif du renvoi").id(&id_motif).erreurs(retour.erreurs).requis().texte(motif))
            }, true))
        }
    }
}

/// The right of each declaration, folded.
pub(super) fn traces(vue: &VueDeclarations) -> Markup {
    html! {
        @for l in &vue.lignes {
            @if let Some((droit, estime)) = &l.droit {
                @let d = &l.declaration;
                @let titre = format!("{} {}", majuscule(d.nature.libelle()), d.exercice);
                (trace_droit(&titre, if *estime { "droit estimé si la Caf la valide telle quelle" } else { "droit" }, droit))
            }
        }
    }
}

/// The computation of a right, folded: its summary gives the amount, the steps give each
/// formula, its result in French and its source.
fn trace_droit(titre: &str, nature: &str, droit: &DroitFige) -> Markup {
    let etapes = droit.trace["etapes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    html! {
        details.trace {
            summary { (titre) " : " (nature) " de " (fr::euros(droit.montant.centimes())) }
            @if let Some(v) = &droit.etp_valides {
                p { "ETP validés par la Caf : " (v.etp.to_string()) " (" (v.motivation) ")" }
            }
            ol {
                @for etape in &etapes {
                    @let resultat = etape["resultat"].as_object().and_then(|o| o.iter().next()).map(|(k, v)| {
                        fr::resultat_trace(k, v.as_str().unwrap_or_default())
                    }).unwrap_or_default();
                    li {
                        strong { (etape["titre"].as_str().unwrap_or_default()) }
                        br;
                        (etape["formule"].as_str().unwrap_or_default())
                        br;
                        (resultat)
                        br;
                        span.aide { (etape["source"].as_str().unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

/// The gestionnaire's form: prepared from the sessions recorded, for the exercise chosen.
pub(super) fn formulaire(
    c: &Connecte,
    vue: &VueDeclarations,
    cible: &str,
    retour: Retour<'_>,
) -> Markup {
    let Some(prep) = &vue.preparation else {
        return html! {};
    };
    let enregistree = prep.enregistree.unwrap_or_default();
    let defaut = SaisieDeclaration {
        nature: "previsionnelle".into(),
        exercice: prep.exercice.to_string(),
        mois: "12".into(),
        entretiens: enregistree.entretiens.to_string(),
        parents: enregistree.parents_distincts.to_string(),
        heures: enregistree.heures_entretiens.to_string(),
        ..SaisieDeclaration::default()
    };
    let s = match retour.saisie {
        Some(ActionFormulaire::SaisirDeclaration(s)) => s,
        _ => &defaut,
    };
    let x = retour.erreurs;
    let exercices: Vec<(String, String)> = prep
        .exercices
        .iter()
        .map(|e| (e.to_string(), e.to_string()))
        .collect();
    let exercices: Vec<(&str, &str)> = exercices
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    html! {
        section #preparer aria-labelledby="titre-preparer" {
            h2 #titre-preparer { "Préparer une déclaration" }
            ol.etapes {
                li { strong { "Préparer" } " : l'activité est reprise des entretiens enregistrés sur la plateforme ; complétez les dépenses et les ETP." }
                li { strong { "Vérifier" } " : une fois enregistrée, la déclaration montre le droit tel que la Caf le calculera." }
                li { strong { "Transmettre" } " : la Caf ne la voit qu'une fois transmise." }
            }
            form method="get" action={ "/conventions/" (prep.convention) } {
                (Champ::new("exercice", "Exercice à préparer").id("exercice_prepare").liste(&exercices, &prep.exercice.to_string()))
                button.secondaire type="submit" { "Reprendre l'activité de cet exercice" }
            }
            @match &prep.enregistree {
                Some(a) => p.aide #activite-enregistree {
                    "Entretiens enregistrés sur la plateforme pour " (prep.exercice) " : "
                    (fr::entier(a.entretiens)) " entretiens, " (fr::entier(a.parents_distincts)) " parents ou familles, "
                    (fr::entier(a.heures_entretiens)) " heures. Si vous déclarez d'autres chiffres, indiquez pourquoi : la Caf verra ce motif."
                },
                None => p.aide { "L'activité enregistrée sur la plateforme n'a pas pu être lue : saisissez les chiffres." },
            }
            form method="post" action=(cible) novalidate {
                fieldset {
                    legend { "Saisir une déclaration" }
                    (champ_csrf(c))
                    input type="hidden" name="action" value="saisir_declaration";
                    (Champ::new("nature", "Déclaration").erreurs(x).liste(&[("previsionnelle", "Prévisionnelle"), ("actualisee", "Actualisée"), ("reelle", "Réelle")], &s.nature))
                    (Champ::new("exercice", "Exercice").erreurs(x).clavier(Clavier::Numerique).requis().texte(&s.exercice))
                    (Champ::new("depenses", "Dépenses de fonctionnement (€)").erreurs(x).clavier(Clavier::Decimal).requis().texte(&s.depenses))
                    (Champ::new("etp_declares", "ETP déclarés").erreurs(x).clavier(Clavier::Decimal).requis().texte(&s.etp_declares))
                    (Champ::new("mois", "Mois de fonctionnement").erreurs(x).clavier(Clavier::Numerique).requis().texte(&s.mois))
                    (Champ::new("entretiens", "Nombre d'entretiens").erreurs(x).clavier(Clavier::Numerique).requis().texte(&s.entretiens))
                    (Champ::new("parents", "Nombre de parents différents accompagnés").erreurs(x).clavier(Clavier::Numerique).requis().texte(&s.parents))
                    (Champ::new("heures", "Nombre total d'heures d'entretiens").erreurs(x).clavier(Clavier::Numerique).requis().texte(&s.heures))
                    (Champ::new("motif_ecart", "Motif, si l'activité déclarée diffère de celle enregistrée")
                        .aide("Obligatoire si vous modifiez le nombre d'entretiens, de parents ou d'heures repris des entretiens enregistrés")
                        .erreurs(x).zone(&s.motif_ecart))
                    (Champ::new("heures_travaillees", "Heures travaillées sur le service par les intervenants")
                        .aide("Pour la déclaration réelle : la Caf les rapproche de 1 607 heures par ETP")
                        .erreurs(x).clavier(Clavier::Numerique).texte(&s.heures_travaillees))
                    button type="submit" { "Enregistrer la déclaration" }
                }
            }
        }
    }
}
