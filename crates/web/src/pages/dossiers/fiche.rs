//! One dossier's page, in sections with a table of contents: the application, the pieces,
//! the instruction, the Caf's private annotations, the messages and the history.

use super::*;
use crate::formulaire::Clavier;
use crate::fr;

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
    let c = c.clone();
    let p = &etat.plateforme;
    let lu = p.dossier(&c.acteur, DossierId(id)).await?;
    let d = &lu.valeur;
    let g = p
        .gestionnaire(&domain::Acteur::cnaf(c.acteur.id), d.gestionnaire)
        .await?;
    let decisions = p.decisions(&c.acteur, d.id).await?;
    let decisions_html: String = decisions
        .iter()
        .map(|x| {
            let x = &x.valeur;
            let parts: String = x
                .parts
                .iter()
                .map(|part| {
                    let qui = match part.financeur {
                        domain::structures::Cofinanceur::Caf => "Caf".to_owned(),
                        domain::structures::Cofinanceur::Partenaire(f) => {
                            format!("financeur n°{f}")
                        }
                    };
                    let avis = match part.avis {
                        AvisFinanceur::Accorde => {
                            format!("accordé, {}", fr::euros(part.montant.centimes()))
                        }
                        AvisFinanceur::Refuse => "refusé".to_owned(),
                    };
                    format!("<li>{}: {} {}</li>", e(&qui), avis, e(&part.motivation))
                })
                .collect();
            format!(
                "<li>Comité du {}: <strong>{}</strong>{} – {}{}</li>",
                fr::date(x.date_comite),
                e(x.issue.libelle()),
                x.notification.map_or(String::new(), |n| format!(
                    ", {} ETP notifiés à compter du {}",
                    n.etp,
                    fr::date(n.date_effet)
                )),
                e(&x.motivation),
                if parts.is_empty() {
                    String::new()
                } else {
                    format!("<ul>{parts}</ul>")
                }
            )
        })
        .collect();
    let part_financeur = match (c.acteur.role, c.acteur.financeur, decisions.last()) {
        (Role::Financeur, Some(f), Some(derniere))
            if derniere
                .valeur
                .part(domain::structures::Cofinanceur::Partenaire(f))
                .is_none() =>
        {
            format!(
                "<h2>Décision de votre financeur</h2><form method=\"post\" action=\"/dossiers/{}/action\" novalidate><fieldset><legend>Enregistrer la décision de votre financeur</legend>{}\
                 <input type=\"hidden\" name=\"action\" value=\"part\"><input type=\"hidden\" name=\"decision\" value=\"{}\">\
                 {}{}{}<button type=\"submit\">Enregistrer</button></fieldset></form>",
                d.id,
                csrf(&c),
                derniere.valeur.id,
                Champ::new("avis", "Avis")
                    .id("part-avis")
                    .erreurs(x)
                    .liste(
                        &[("accorde", "Accordé"), ("refuse", "Refusé")],
                        &s.valeur("part", |a| &a.avis, "accorde")
                    )
                    .into_string(),
                Champ::new("montant_part", "Montant accordé (€)")
                    .id("part-montant_part")
                    .erreurs(x)
                    .clavier(Clavier::Decimal)
                    .texte(&s.valeur("part", |a| &a.montant_part, "0"))
                    .into_string(),
                Champ::new("motivation", "Motivation")
                    .id("part-motivation")
                    .erreurs(x)
                    .zone(&s.valeur("part", |a| &a.motivation, ""))
                    .into_string(),
            )
        }
        _ => String::new(),
    };
    let fil_lu = p.ouvrir_fil(&c.acteur, d.id).await?;
    // The public messages and the Caf's private annotations, in two lists never mixed.
    let (annotations, publics): (Vec<&app::Message>, Vec<&app::Message>) =
        fil_lu.messages.iter().partition(|m| m.prive);
    let interne = matches!(c.acteur.role, Role::Caf | Role::Cnaf);
    let fil = sections::fil(&publics, &fil_lu.nouveaux, "Aucun message.").into_string();
    let fil_annotations = if interne {
        maud::html! {
            section id="annotations" aria-labelledby="titre-annotations" {
                h3 id="titre-annotations" { "Annotations privées" }
                p class="aide" { "Visibles des seuls agents de la Caf et de la Cnaf, jamais du porteur." }
                (sections::fil(&annotations, &fil_lu.nouveaux, "Aucune annotation."))
            }
        }
        .into_string()
    } else {
        String::new()
    };
    let peut_ecrire = (c.acteur.role == Role::Caf
        && c.acteur.departements.contains(&d.departement))
        || (c.acteur.role == Role::Gestionnaire
            && c.acteur.gestionnaires.contains(&d.gestionnaire));
    let formulaire_message = if peut_ecrire {
        let case = if c.acteur.role == Role::Caf {
            Champ::new(
                "prive",
                "Annotation privée (visible des seuls agents de la Caf)",
            )
            .case(s.message.is_some_and(|m| m.prive.is_some()))
            .into_string()
        } else {
            String::new()
        };
        // With the page's script, sending replaces the exchanges alone (`#echanges`), refused
        // or not; the outcome is announced beside them.
        format!(
            "<form method=\"post\" action=\"/dossiers/{id}/messages\" novalidate \
             hx-post=\"/dossiers/{id}/messages\" hx-target=\"#echanges\" hx-select=\"#echanges\" hx-swap=\"outerHTML\">\
             {}{}{case}<button type=\"submit\" id=\"envoyer-message\">Envoyer</button></form>",
            csrf(&c),
            Champ::new("texte", "Votre message")
                .erreurs(x)
                .requis()
                .zone(
                    s.message
                        .and_then(|m| m.texte.as_deref())
                        .unwrap_or_default()
                )
                .into_string(),
        )
    } else {
        String::new()
    };
    let (annonce, confirmation) = if let Some(m) = x.de("texte") {
        (format!("Message non envoyé : {m}"), String::new())
    } else if s.message_envoye {
        (
            "Message envoyé.".to_owned(),
            "<p class=\"encadre succes\">Message envoyé.</p>".to_owned(),
        )
    } else {
        (String::new(), String::new())
    };
    let echanges = format!(
        "<p id=\"annonce-echanges\" class=\"sr-only\" role=\"status\" hx-swap-oob=\"innerHTML\">{}</p>\
         <section id=\"echanges\" aria-labelledby=\"titre-echanges\"><h2 id=\"titre-echanges\">Échanges</h2>\
         {confirmation}<section id=\"messagerie\" aria-labelledby=\"titre-messagerie\"><h3 id=\"titre-messagerie\">Messagerie</h3>{fil}</section>\
         {fil_annotations}{formulaire_message}</section>",
        e(&annonce),
    );
    let projet = &d.projet;
    // ── AIP commitments (Référentiel national de financement de l'AIP, §I.3 to §IV.2) ──────────
    // The structure's eligibility as the comité will judge it: status and activity (an exclusion
    // refuses submission, validation, convention and payment), and each commitment as attested by
    // the gestionnaire and checked by the Caf. Validating needs them all checked conforme, or a
    // motivated override, asked for in the decision form and shown once used.
    let aip = d.dispositif.regles().experimentation_aip;
    let eligibilite = if aip {
        format!(
            "<h2>Éligibilité de la structure</h2>{}<h3>Engagements de la structure</h3>{}",
            crate::pages::structures::rapport_html("Structure", &g.valeur.rapport_structure()),
            crate::pages::engagements::liste(&g.valeur)
        )
    } else {
        String::new()
    };
    let non_conformes = if aip {
        g.valeur.engagements_non_conformes()
    } else {
        Vec::new()
    };
    let champ_derogation = if non_conformes.is_empty() {
        String::new()
    } else {
        let aide = format!(
            "Obligatoire pour valider : la Caf n'a pas contrôlé conformes {} engagement(s) de la structure ({}). Le comité peut valider par dérogation, en la motivant.",
            non_conformes.len(),
            non_conformes
                .iter()
                .map(|(engagement, etat)| format!("{} : {}", engagement.libelle(), etat.libelle()))
                .collect::<Vec<_>>()
                .join(" ; ")
        );
        Champ::new(
            "derogation_engagements",
            "Dérogation motivée aux engagements (si validé)",
        )
        .id("decider-derogation_engagements")
        .aide(&aide)
        .erreurs(x)
        .zone(&s.valeur("decider", |a| &a.derogation_engagements, ""))
        .into_string()
    };
    let derogation_utilisee = d
        .derogation_engagements
        .as_ref()
        .map_or(String::new(), |derogation| {
            format!(
                "<div class=\"encadre alerte\"><h2>Dérogation aux engagements (AIP)</h2>\
                 <p>Le comité a validé le projet (décision enregistrée le {}) sans que la Caf ait contrôlé conformes ces engagements de la structure :</p><ul>{}</ul>\
                 <p><strong>Motif de la dérogation :</strong> {}</p></div>",
                fr::date(derogation.le.date()),
                derogation
                    .engagements
                    .iter()
                    .map(|m| format!("<li>{}</li>", e(m)))
                    .collect::<String>(),
                e(&derogation.motif)
            )
        });
    // ── end of the AIP commitments ─────────────────────────────────────────────────────────────
    // Pièces justificatives: what is expected and joined, and the upload form (pages/pieces.rs).
    let pieces = crate::pages::pieces::section(
        p,
        &c,
        domain::pieces::ObjetPiece::Dossier(d.id),
        &Erreurs::default(),
        None,
    )
    .await?
    .into_string();
    let resume = if x.est_vide() {
        String::new()
    } else {
        format!("<div id=\"refus\">{}</div>", x.resume().into_string())
    };
    // The financing plan beside the decided shares, before the decisions.
    let plan = plan_financement::section(p, d, &decisions).await?;
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
            .map_or_else(|| format!("agent n°{}", id.0), |a| a.nom.clone())
    });
    let historique = if interne {
        let evenements = p.historique_dossier(&c.acteur, d.id).await?;
        maud::html! {
            section id="historique" aria-labelledby="titre-historique" {
                h2 id="titre-historique" { "Historique" }
                (sections::historique(&evenements))
            }
        }
        .into_string()
    } else {
        String::new()
    };
    let confirmation = s
        .fait
        .and_then(|fait| sections::confirmation(fait, d, suivi_par.as_deref()))
        .map_or(String::new(), maud::Markup::into_string);
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
    let sommaire = sections::sommaire(&entrees).into_string();
    let suivi = if interne {
        sections::suivi(&c, d, lu.version, &agents, suivi_par.as_deref()).into_string()
    } else {
        String::new()
    };
    let structure = structure_du_porteur(p, &c, d).await?;
    let contenu = format!(
        "<h1>Dossier n°{} – {}</h1>{confirmation}{resume}<p>{}</p>{}{sommaire}\
         <section id=\"demande\" aria-labelledby=\"titre-demande\"><h2 id=\"titre-demande\">Demande</h2>\
         <h3>Porteur</h3><dl class=\"fiche\"><dt>Gestionnaire</dt><dd>{}</dd><dt>SIRET</dt><dd>{}</dd><dt>Département</dt><dd>{}</dd></dl>\
         <h3>Projet de fonctionnement</h3><dl class=\"fiche\">\
         <dt>Objectifs</dt><dd>{}</dd><dt>Moyens</dt><dd>{}</dd><dt>ETP demandés</dt><dd>{}</dd>\
         <dt>Évaluation</dt><dd>{}</dd><dt>Diagnostic local</dt><dd>{}</dd><dt>Partenaires</dt><dd>{}</dd>\
         <dt>Information des familles</dt><dd>{}</dd></dl>\
         {plan}{structure}</section>{pieces}\
         <section id=\"instruction\" aria-labelledby=\"titre-instruction\"><h2 id=\"titre-instruction\">Instruction</h2>\
         {suivi}{}{derogation_utilisee}{eligibilite}{}</section>{}{historique}",
        d.id,
        e(&projet.intitule),
        crate::vue::etat_dossier(d.etat).into_string(),
        d.complement_demande
            .as_ref()
            .map_or(String::new(), |m| format!(
                "<div class=\"encadre alerte\"><p>Complément demandé: {}</p></div>",
                e(m)
            )),
        e(&g.valeur.raison_sociale),
        e(&g.valeur.siret.formate()),
        e(d.departement.as_str()),
        e(&projet.objectifs),
        e(&projet.moyens),
        e(&projet.etp_demandes.to_string()),
        e(&projet.modalites_evaluation),
        e(&projet.diagnostic_local),
        e(&projet.partenaires.join(", ")),
        e(&projet.information_familles),
        if decisions_html.is_empty() {
            String::new()
        } else {
            format!(
                "<h2>Décisions</h2><ul>{decisions_html}</ul><p><a href=\"/dossiers/{}/notification.pdf\">Télécharger la notification de décision (PDF)</a></p>{part_financeur}",
                d.id
            )
        },
        actions(&c, d, lu.version, s, x, &champ_derogation),
        echanges,
    );
    Ok(page(
        &x.titre(&format!("Dossier n°{}", d.id)),
        Some(&c),
        "/dossiers",
        &contenu,
    ))
}

/// The places and the intervenants of the dossier's structure, for the Demande section; the
/// intervenants (people) only for the Caf, the Cnaf and the structure itself.
async fn structure_du_porteur(
    p: &app::Plateforme,
    c: &Connecte,
    d: &Dossier,
) -> Result<String, ErreurWeb> {
    let lecteur = domain::Acteur::cnaf(c.acteur.id);
    let lieux = p.lieux(&lecteur, d.gestionnaire).await?;
    let voit_les_personnes = matches!(c.acteur.role, Role::Caf | Role::Cnaf)
        || c.acteur.gestionnaires.contains(&d.gestionnaire);
    let intervenants = if voit_les_personnes {
        p.intervenants(&lecteur, d.gestionnaire).await?
    } else {
        Vec::new()
    };
    Ok(maud::html! {
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
    }
    .into_string())
}
