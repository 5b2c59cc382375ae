//! One dossier's page, in sections with a table of contents: the application, the pieces,
//! the instruction (with the funders' opinions and the decisions), the Caf's private
//! annotations, the messages and the history. This module loads what the reader may see and
//! puts the sections together; their templates are in `fiche_vue`, `sections` and `actions`.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::*;
use domain::identifiants::FinanceurId;

/// What the address of a dossier page may add: `message=envoye` after a message was sent,
/// `fait=…` after another action.
#[derive(Debug, Deserialize, Default)]
pub struct SuiteFiche {
    pub(super) message: Option<String>,
    /// The action just taken (`attribue`, `deposer`, `instruire`…), to confirm it.
    pub(super) fait: Option<String>,
}

pub async fn fiche(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Query(suite): Query<SuiteFiche>,
) -> Result<Html<String>, ErreurWeb> {
    let s = Saisies {
        message_envoye: suite.message.as_deref() == Some("envoye"),
        fait: suite.fait.as_deref(),
        ..Saisies::default()
    };
    Ok(Html(
        rendre_fiche(&etat, &c, id, s, &Erreurs::default()).await?,
    ))
}

/// The dossier page; when a form was refused, the errors summed up at the top and each next to
/// its field, and what was typed kept.
pub(super) async fn rendre_fiche(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    s: Saisies<'_>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let p = &etat.plateforme;
    let lu = p.dossier(&c.acteur, DossierId(id)).await?;
    let d = &lu.valeur;
    let g = p
        .gestionnaire(&domain::Acteur::cnaf(c.acteur.id), d.gestionnaire)
        .await?;
    let decisions = p.decisions(&c.acteur, d.id).await?;
    let noms: BTreeMap<FinanceurId, String> = p
        .financeurs_des_departements(&[d.departement])
        .await?
        .into_iter()
        .map(|f| (f.id, f.nom))
        .collect();
    let interne = matches!(c.acteur.role, Role::Caf | Role::Cnaf);
    let voit_les_avis = interne || c.acteur.role == Role::Financeur;
    let echanges = echanges(p, c, d, s, x).await?;
    // ── AIP commitments (Référentiel national de financement de l'AIP, §I.3 to §IV.2) ──────────
    // The structure's eligibility as the comité will judge it: status and activity (an exclusion
    // refuses submission, validation, convention and payment), and each commitment as attested by
    // the gestionnaire and checked by the Caf. Validating needs them all checked conforme, or a
    // motivated override, asked for in the decision form and shown once used.
    let aip = d.dispositif.regles().experimentation_aip;
    let non_conformes = if aip {
        g.valeur.engagements_non_conformes()
    } else {
        Vec::new()
    };
    let aide_derogation = format!(
        "Obligatoire pour valider : la Caf n'a pas contrôlé conformes {} engagement(s) de la structure ({}). Le comité peut valider par dérogation, en la motivant.",
        non_conformes.len(),
        non_conformes
            .iter()
            .map(|(engagement, etat)| format!("{} : {}", engagement.libelle(), etat.libelle()))
            .collect::<Vec<_>>()
            .join(" ; ")
    );
    let champ_derogation = html! {
        @if !non_conformes.is_empty() {
            (Champ::new("derogation_engagements", "Dérogation motivée aux engagements (si validé)")
                .id("decider-derogation_engagements")
                .aide(&aide_derogation)
                .erreurs(x)
                .zone(&s.valeur("decider", "derogation_engagements", "")))
        }
    };
    // Pièces justificatives: what is expected and joined, and the upload form (pages/pieces.rs).
    let pieces = crate::pages::pieces::section(
        p,
        c,
        domain::pieces::ObjetPiece::Dossier(d.id),
        &Erreurs::default(),
        None,
    )
    .await?;
    // The Caf's workspace: who follows the dossier, the agents it may be given to, its history.
    let agents = if interne {
        p.agents_caf(&c.acteur, Some(d.departement)).await?
    } else {
        Vec::new()
    };
    let suivi_par = d.suivi_par.map(|id| {
        agents
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| "un agent de la Caf".to_owned(), |a| a.nom.clone())
    });
    let evenements = if interne {
        p.historique_dossier(&c.acteur, d.id).await?
    } else {
        Vec::new()
    };
    let mut entrees = vec![
        ("demande", "Demande"),
        ("pieces", "Pièces"),
        ("instruction", "Instruction"),
    ];
    if interne {
        entrees.push(("annotations", "Annotations privées"));
    }
    entrees.push(("messagerie", "Messagerie"));
    if interne {
        entrees.push(("historique", "Historique"));
    }
    let structure = structure_du_porteur(p, c, d).await?;
    // Before submitting: what the submission would refuse now, from the same checks.
    let a_corriger = if d.peut(&c.acteur, Ouverte::Deposer) {
        p.appels(&c.acteur)
            .await?
            .into_iter()
            .find(|a| a.valeur.id == d.appel)
            .map(|a| d.a_corriger_avant_depot(&a.valeur))
    } else {
        None
    };
    let contenu = html! {
        h1 { "Dossier n°" (d.id) " – " (d.projet.intitule) }
        @if let Some(confirmation) = s.fait.and_then(|fait| sections::confirmation(fait, d, suivi_par.as_deref())) {
            (confirmation)
        }
        @if !x.est_vide() { div id="refus" { (x.resume()) } }
        p { (crate::vue::etat_dossier(d.etat)) }
        @if let Some(m) = &d.complement_demande {
            div class="encadre alerte" { p { "Complément demandé : " (m) } }
        }
        (sections::sommaire(&entrees))
        section id="demande" aria-labelledby="titre-demande" {
            h2 id="titre-demande" { "Demande" }
            (fiche_vue::demande(&g.valeur, d, &d.projet))
            (plan_financement::section(d, &decisions, &noms))
            (structure)
        }
        (pieces)
        section id="instruction" aria-labelledby="titre-instruction" {
            h2 id="titre-instruction" { "Instruction" }
            @if interne {
                (sections::suivi(c, d, lu.version, &agents, suivi_par.as_deref()))
            }
            @if voit_les_avis { (fiche_vue::avis(d, &noms)) }
            (fiche_vue::decisions(d, &decisions, &noms))
            (part_financeur(c, d, &decisions, s, x))
            @if let Some(derogation) = &d.derogation_engagements {
                (fiche_vue::derogation(derogation))
            }
            @if aip {
                h2 { "Éligibilité de la structure" }
                (crate::pages::structures::rapport("Structure", &g.valeur.rapport_structure()))
                h3 { "Engagements de la structure" }
                (crate::pages::engagements::liste_engagements(&g.valeur))
            }
            @if let Some(a_corriger) = &a_corriger {
                (fiche_vue::avant_depot(a_corriger))
            }
            (actions(c, d, lu.version, s, x, champ_derogation))
        }
        (echanges)
        @if interne {
            section id="historique" aria-labelledby="titre-historique" {
                h2 id="titre-historique" { "Historique" }
                (sections::historique(&evenements))
            }
        }
    };
    Ok(crate::vue::page(
        &x.titre(&format!("Dossier n°{}", d.id)),
        Some(c),
        "/dossiers",
        contenu,
    )
    .into_string())
}

/// A partner funder's own decision after the comité, while its share of the last decision is
/// not recorded.
fn part_financeur(
    c: &Connecte,
    d: &Dossier,
    decisions: &[store::depot::Lu<domain::decision::Decision>],
    s: Saisies,
    x: &Erreurs,
) -> Markup {
    let derniere = match (c.acteur.financeur, decisions.last()) {
        (Some(f), Some(derniere))
            if c.acteur.role == Role::Financeur
                && derniere
                    .valeur
                    .part(domain::structures::Cofinanceur::Partenaire(f))
                    .is_none() =>
        {
            derniere
        }
        _ => return html! {},
    };
    html! {
        h2 { "Décision de votre financeur" }
        form method="post" action={ "/dossiers/" (d.id) "/action" } novalidate {
            fieldset {
                legend { "Enregistrer la décision de votre financeur" }
                (crate::vue::champ_csrf(c))
                input type="hidden" name="action" value="part";
                input type="hidden" name="decision" value=(derniere.valeur.id);
                (Champ::new("avis", "Décision")
                    .id("part-avis")
                    .erreurs(x)
                    .liste(
                        &[("", "Choisir la décision"), ("accorde", "Accordé"), ("refuse", "Refusé")],
                        &s.valeur("part", "avis", ""),
                    ))
                (Champ::new("montant_part", "Montant accordé (€)")
                    .id("part-montant_part")
                    .erreurs(x)
                    .clavier(Clavier::Decimal)
                    .texte(&s.valeur("part", "montant_part", "0")))
                (Champ::new("motivation", "Motivation")
                    .id("part-motivation")
                    .erreurs(x)
                    .zone(&s.valeur("part", "motivation", "")))
                button type="submit" { "Enregistrer" }
            }
        }
    }
}

/// The exchanges around the thread: the messages, the Caf's annotations apart (never mixed), the
/// form to write for those who may, and what happened to the last message sent.
async fn echanges(
    p: &app::Plateforme,
    c: &Connecte,
    d: &Dossier,
    s: Saisies<'_>,
    x: &Erreurs,
) -> Result<Markup, ErreurWeb> {
    let fil_lu = p.ouvrir_fil(&c.acteur, d.id).await?;
    let (annotations, publics): (Vec<&app::Message>, Vec<&app::Message>) =
        fil_lu.messages.iter().partition(|m| m.prive);
    let interne = matches!(c.acteur.role, Role::Caf | Role::Cnaf);
    let peut_ecrire = (c.acteur.role == Role::Caf
        && c.acteur.departements.contains(&d.departement))
        || (c.acteur.role == Role::Gestionnaire
            && c.acteur.gestionnaires.contains(&d.gestionnaire));
    // With the page's script, sending replaces the exchanges alone (`#echanges`), refused or
    // not; the outcome is announced beside them.
    let formulaire = html! {
        @if peut_ecrire {
            form method="post" action={ "/dossiers/" (d.id) "/messages" } novalidate
                hx-post={ "/dossiers/" (d.id) "/messages" } hx-target="#echanges" hx-select="#echanges" hx-swap="outerHTML" {
                (crate::vue::champ_csrf(c))
                (Champ::new("texte", "Votre message")
                    .erreurs(x)
                    .requis()
                    .zone(s.message.and_then(|m| m.texte.as_deref()).unwrap_or_default()))
                @if c.acteur.role == Role::Caf {
                    (Champ::new("prive", "Annotation privée (visible des seuls agents de la Caf)")
                        .case(s.message.is_some_and(|m| m.prive.is_some())))
                }
                button type="submit" id="envoyer-message" { "Envoyer" }
            }
        }
    };
    let annonce = match x.de("texte") {
        Some(m) => format!("Message non envoyé : {m}"),
        None if s.message_envoye => "Message envoyé.".to_owned(),
        None => String::new(),
    };
    Ok(fiche_vue::echanges(
        &publics,
        interne.then_some(annotations.as_slice()),
        &fil_lu.nouveaux,
        formulaire,
        &annonce,
        s.message_envoye && x.de("texte").is_none(),
    ))
}

/// The places and the intervenants of the dossier's structure, for the Demande section; the
/// intervenants (people) only for the Caf, the Cnaf and the structure itself.
async fn structure_du_porteur(
    p: &app::Plateforme,
    c: &Connecte,
    d: &Dossier,
) -> Result<Markup, ErreurWeb> {
    let lecteur = domain::Acteur::cnaf(c.acteur.id);
    let lieux = p.lieux(&lecteur, d.gestionnaire).await?;
    let voit_les_personnes = matches!(c.acteur.role, Role::Caf | Role::Cnaf)
        || c.acteur.gestionnaires.contains(&d.gestionnaire);
    let intervenants = if voit_les_personnes {
        p.intervenants(&lecteur, d.gestionnaire).await?
    } else {
        Vec::new()
    };
    Ok(html! {
        h3 { "Lieux d'accueil de la structure" }
        @if lieux.is_empty() {
            p { "Aucun lieu d'accueil déclaré." }
        } @else {
            ul { @for l in &lieux { li { (l.valeur.nom) } } }
        }
        @if voit_les_personnes {
            h3 { "Intervenants de la structure" }
            @if intervenants.is_empty() {
                p { "Aucun intervenant déclaré." }
            } @else {
                ul {
                    @for i in &intervenants {
                        li { (i.valeur.prenom) " " (i.valeur.nom) " – " (i.valeur.etp.to_string()) " ETP" }
                    }
                }
            }
        }
    })
}
