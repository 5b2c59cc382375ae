//! The templates of the dossier page's sections that are not forms: the application (porteur,
//! project), the comité's decisions with each funder by name, the funders' opinions before the
//! comité, the override of the AIP commitments, and the exchanges around the message thread.

use std::collections::BTreeMap;

use app::Message;
use domain::decision::{AvisFinanceur, Decision};
use domain::dossier::{Dossier, ProjetFonctionnement};
use domain::identifiants::FinanceurId;
use domain::structures::{Cofinanceur, DerogationEngagements, Gestionnaire};
use maud::{Markup, html};
use store::depot::Lu;

use super::plan_financement::nom_financeur;
use super::sections;
use crate::fr;
use crate::vue::{Ton, etiquette};

/// The porteur and its project.
pub(super) fn demande(g: &Gestionnaire, d: &Dossier, projet: &ProjetFonctionnement) -> Markup {
    html! {
        h3 { "Porteur" }
        dl class="fiche" {
            dt { "Gestionnaire" } dd { (g.raison_sociale) }
            dt { "SIRET" } dd { (g.siret.formate()) }
            dt { "Département" } dd { (d.departement.as_str()) }
            @if let Some(depose) = d.depose_le {
                dt { "Déposé le" } dd { (fr::date(fr::heure_de_paris(depose).date())) }
            }
        }
        h3 { "Projet de fonctionnement" }
        dl class="fiche" {
            dt { "Objectifs" } dd { (projet.objectifs) }
            dt { "Moyens" } dd { (projet.moyens) }
            dt { "ETP demandés" } dd { (projet.etp_demandes.to_string()) }
            dt { "Période" }
            dd {
                @match (projet.debut, projet.fin) {
                    (Some(debut), Some(fin)) => { "du " (fr::date(debut)) " au " (fr::date(fin)) }
                    _ => "à préciser",
                }
            }
            dt { "Évaluation" } dd { (projet.modalites_evaluation) }
            dt { "Diagnostic local" } dd { (projet.diagnostic_local) }
            dt { "Partenaires" } dd { (projet.partenaires.join(", ")) }
            dt { "Information des familles" } dd { (projet.information_familles) }
        }
    }
}

/// The comité's decisions, each funder's share named, and the notification to download.
pub(super) fn decisions(
    d: &Dossier,
    decisions: &[Lu<Decision>],
    noms: &BTreeMap<FinanceurId, String>,
) -> Markup {
    html! {
        @if !decisions.is_empty() {
            h2 { "Décisions" }
            ul {
                @for x in decisions.iter().map(|l| &l.valeur) {
                    li {
                        "Comité du " (fr::date(x.date_comite)) " : " strong { (x.issue.libelle()) }
                        @if let Some(n) = x.notification {
                            ", " (n.etp.to_string()) " ETP notifiés à compter du " (fr::date(n.date_effet))
                        }
                        " – " (x.motivation)
                        @if !x.parts.is_empty() {
                            ul {
                                @for part in &x.parts {
                                    li {
                                        (nom_financeur(part.financeur, noms)) " : "
                                        @match part.avis {
                                            AvisFinanceur::Accorde => { "accordé, " (fr::euros(part.montant.centimes())) }
                                            AvisFinanceur::Refuse => "refusé",
                                        }
                                        @if !part.motivation.is_empty() { " – " (part.motivation) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p { a href={ "/dossiers/" (d.id) "/notification.pdf" } { "Télécharger la notification de décision (PDF)" } }
        }
    }
}

/// The partner funders' opinions before the comité, each by name (for the Caf, the Cnaf and the
/// funders: never shown to the applicant).
pub(super) fn avis(d: &Dossier, noms: &BTreeMap<FinanceurId, String>) -> Markup {
    html! {
        section id="avis-financeurs" aria-labelledby="titre-avis" {
            h3 id="titre-avis" { "Avis des financeurs avant le comité" }
            @if d.avis_financeurs.is_empty() {
                p { "Aucun financeur n'a encore donné son avis." }
            } @else {
                ul {
                    @for a in &d.avis_financeurs {
                        li {
                            strong { (nom_financeur(Cofinanceur::Partenaire(a.financeur), noms)) } " : "
                            (etiquette(a.sens.libelle(), match a.sens {
                                domain::dossier::SensAvis::Favorable => Ton::Succes,
                                domain::dossier::SensAvis::Reserve => Ton::Attente,
                                domain::dossier::SensAvis::Defavorable => Ton::Refus,
                            }))
                            @if let Some(m) = a.montant_envisage {
                                ", montant envisagé " (fr::euros(m.centimes()))
                            }
                            @if !a.commentaire.is_empty() { " – " (a.commentaire) }
                            " (" (fr::date(fr::heure_de_paris(a.donne_le).date())) ")"
                        }
                    }
                }
            }
        }
    }
}

/// Before submitting: what the submission would refuse now, or that the project is complete.
pub(super) fn avant_depot(a_corriger: &[String]) -> Markup {
    html! {
        @if a_corriger.is_empty() {
            div class="encadre succes" id="avant-depot" {
                p { "Le projet est complet : vous pouvez le déposer." }
            }
        } @else {
            div class="encadre alerte" id="avant-depot" {
                h3 { "Avant de déposer" }
                p { "La Caf ne pourra recevoir le dossier qu'une fois ces points corrigés :" }
                ul { @for raison in a_corriger { li { (raison) } } }
            }
        }
    }
}

/// The comité's override of the AIP commitments, once used.
pub(super) fn derogation(derogation: &DerogationEngagements) -> Markup {
    html! {
        div class="encadre alerte" {
            h2 { "Dérogation aux engagements (AIP)" }
            p {
                "Le comité a validé le projet (décision enregistrée le " (fr::date(derogation.le.date()))
                ") sans que la Caf ait contrôlé conformes ces engagements de la structure :"
            }
            ul { @for m in &derogation.engagements { li { (m) } } }
            p { strong { "Motif de la dérogation :" } " " (derogation.motif) }
        }
    }
}

/// The exchanges: the public thread, the Caf's private annotations apart, the form to write, and
/// the announcement of the outcome for screen readers (replaced alone by the page's script).
pub(super) fn echanges(
    publics: &[&Message],
    annotations: Option<&[&Message]>,
    nouveaux: &std::collections::BTreeSet<i64>,
    formulaire: Markup,
    annonce: &str,
    envoye: bool,
) -> Markup {
    html! {
        p id="annonce-echanges" class="sr-only" role="status" hx-swap-oob="innerHTML" { (annonce) }
        section id="echanges" aria-labelledby="titre-echanges" {
            h2 id="titre-echanges" { "Échanges" }
            @if envoye { p class="encadre succes" { "Message envoyé." } }
            section id="messagerie" aria-labelledby="titre-messagerie" {
                h3 id="titre-messagerie" { "Messagerie" }
                (sections::fil(publics, nouveaux, "Aucun message."))
            }
            @if let Some(annotations) = annotations {
                section id="annotations" aria-labelledby="titre-annotations" {
                    h3 id="titre-annotations" { "Annotations privées" }
                    p class="aide" { "Visibles des seuls agents de la Caf et de la Cnaf, jamais du porteur." }
                    (sections::fil(annotations, nouveaux, "Aucune annotation."))
                }
            }
            (formulaire)
        }
    }
}
