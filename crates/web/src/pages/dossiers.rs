//! Dossiers: the list a user may see, filtered by state with counts, and one dossier with its
//! project, its history and the actions its reader may take now (each checked again by the
//! domain when submitted).

use std::collections::BTreeMap;

use app::ActionDossier;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::convention::NouvelleConvention;
use domain::decision::{AvisFinanceur, IssueDecision, NotificationEtp, SaisieDecision, SaisiePart};
use domain::dossier::{Dossier, EtatDossier};
use domain::identifiants::DossierId;
use domain::quantites::{Centimes, Etp};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::rendu::{csrf, e, page, tableau};
use crate::session::Connecte;

#[derive(Debug, Deserialize, Default)]
pub struct Filtres {
    etat: Option<String>,
    appel: Option<i64>,
    commune: Option<String>,
    eligibilite: Option<String>,
}

/// The référentiel's verdict on a structure's status and activity (seed 004 §II.2).
fn eligibilite(g: &domain::structures::Gestionnaire) -> referentiel::conformite::Verdict {
    use referentiel::conformite::{StructureAip, Verdict, verifier_structure};
    let r = verifier_structure(&StructureAip::new(
        g.statut.vers_referentiel(),
        g.activite.vers_referentiel(),
    ));
    // Commitments not yet declared are « à vérifier » for every structure: the list separates
    // structures excluded by their status or activity from the others.
    if r.constats.iter().any(|c| c.verdict == Verdict::NonEligible) {
        Verdict::NonEligible
    } else {
        Verdict::Eligible
    }
}

pub async fn liste(
    State(etat): State<Etat>,
    c: Connecte,
    Query(f): Query<Filtres>,
) -> Result<Html<String>, ErreurWeb> {
    let p = &etat.plateforme;
    let gestionnaires: BTreeMap<i64, domain::structures::Gestionnaire> = p
        .gestionnaires(&domain::Acteur::cnaf(c.acteur.id))
        .await?
        .into_iter()
        .map(|g| (g.valeur.id.0, g.valeur))
        .collect();
    let communes = domain::territoire::Communes::embarquees().ok();
    let nom_commune = |g: &domain::structures::Gestionnaire| {
        communes
            .as_ref()
            .and_then(|cs| cs.get(g.siege.commune).map(|x| x.nom.clone()))
            .unwrap_or_else(|| g.siege.commune.to_string())
    };
    let commune_choisie = f
        .commune
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase);
    let eligibilite_choisie = f.eligibilite.as_deref().filter(|t| !t.is_empty());
    let tous: Vec<_> = p
        .dossiers(&c.acteur, None)
        .await?
        .into_iter()
        .filter(|d| f.appel.is_none_or(|a| d.valeur.appel.0 == a))
        .filter(|d| {
            let g = gestionnaires.get(&d.valeur.gestionnaire.0);
            commune_choisie.as_ref().is_none_or(|cc| {
                g.is_some_and(|g| {
                    nom_commune(g).to_lowercase().contains(cc.as_str())
                        || g.siege.commune.to_string() == *cc
                })
            }) && eligibilite_choisie.is_none_or(|v| g.is_some_and(|g| eligibilite(g).code() == v))
        })
        .collect();
    let appels = p.appels(&c.acteur).await?;
    let mut comptes: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &tous {
        *comptes.entry(d.valeur.etat.code()).or_default() += 1;
    }
    let choisi = f
        .etat
        .as_deref()
        .filter(|e| EtatDossier::depuis_code(e).is_some());
    let filtres: String = std::iter::once((
        "".to_owned(),
        format!("Tous ({})", tous.len()),
        choisi.is_none(),
    ))
    .chain(EtatDossier::TOUS.iter().filter_map(|etat| {
        comptes.get(etat.code()).map(|n| {
            (
                etat.code().to_owned(),
                format!("{} ({n})", etat.libelle()),
                choisi == Some(etat.code()),
            )
        })
    }))
    .map(|(code, libelle, actif)| {
        let href = if code.is_empty() {
            "/dossiers".to_owned()
        } else {
            format!("/dossiers?etat={code}")
        };
        let courant = if actif { " aria-current=\"true\"" } else { "" };
        format!("<li><a href=\"{href}\"{courant}>{}</a></li>", e(&libelle))
    })
    .collect();
    let lignes: Vec<Vec<String>> = tous
        .iter()
        .filter(|d| choisi.is_none_or(|c| d.valeur.etat.code() == c))
        .map(|d| {
            let d = &d.valeur;
            vec![
                format!("<a href=\"/dossiers/{}\">n°{}</a>", d.id, d.id),
                e(&d.projet.intitule),
                gestionnaires
                    .get(&d.gestionnaire.0)
                    .map_or(String::new(), |g| e(&nom_commune(g))),
                e(d.departement.as_str()),
                format!("<span class=\"etiquette\">{}</span>", e(d.etat.libelle())),
                e(&d.projet.etp_demandes.to_string()),
            ]
        })
        .collect();
    // The comité's agenda: what validating every presented project would commit, against what
    // remains of each Caf's allocation (52 800 € per FTE and year, seed 004 §VI.1).
    let ordre_du_jour = if choisi == Some("presente_en_comite") {
        let situations = p.situations(&c.acteur).await?;
        let mut par_departement: BTreeMap<String, (u32, usize)> = BTreeMap::new();
        for d in tous
            .iter()
            .filter(|d| d.valeur.etat.code() == "presente_en_comite")
        {
            let x = par_departement
                .entry(d.valeur.departement.to_string())
                .or_default();
            x.0 += d.valeur.projet.etp_demandes.dix_milliemes();
            x.1 += 1;
        }
        let lignes: Vec<Vec<String>> = par_departement
            .iter()
            .map(|(dep, (etp, n))| {
                let impact = i64::from(*etp) * 52_800 * 100 / 10_000;
                let disponible = situations
                    .iter()
                    .find(|s| s.situation.departement.as_str() == dep)
                    .and_then(|s| s.situation.disponible())
                    .map(|c| c.centimes());
                vec![
                    e(dep),
                    n.to_string(),
                    e(&domain::quantites::Etp::depuis_dix_milliemes(*etp).to_string()),
                    crate::rendu::euros(impact),
                    disponible.map_or("–".to_owned(), crate::rendu::euros),
                    match disponible {
                        Some(d) if d < impact => "<strong>dépassement possible</strong>".to_owned(),
                        Some(_) => "dans l'enveloppe".to_owned(),
                        None => "–".to_owned(),
                    },
                ]
            })
            .collect();
        format!(
            "<h2>Ordre du jour du comité des financeurs</h2>{}",
            tableau(
                "Impact des projets présentés sur l'enveloppe (au plus 52 800 € par ETP et par an)",
                &[
                    ("Département", false),
                    ("Projets", true),
                    ("ETP proposés", true),
                    ("Montant annuel maximal", true),
                    ("Reste à engager", true),
                    ("Enveloppe", false)
                ],
                &lignes
            )
        )
    } else {
        String::new()
    };
    let options_appels: String =
        std::iter::once("<option value=\"\">Tous les appels</option>".to_owned())
            .chain(appels.iter().map(|a| {
                let choisi = if f.appel == Some(a.valeur.id.0) {
                    " selected"
                } else {
                    ""
                };
                format!(
                    "<option value=\"{}\"{choisi}>{}</option>",
                    a.valeur.id,
                    e(&a.valeur.intitule)
                )
            }))
            .collect();
    let options_eligibilite: String = [
        ("", "Toutes"),
        ("eligible", "Statut et activité éligibles"),
        ("non_eligible", "Statut ou activité non éligible"),
    ]
    .iter()
    .map(|(v, l)| {
        format!(
            "<option value=\"{v}\"{}>{l}</option>",
            if eligibilite_choisie == Some(*v) {
                " selected"
            } else {
                ""
            }
        )
    })
    .collect();
    let recherche = format!(
        "<form method=\"get\" action=\"/dossiers\" class=\"grille\" role=\"search\" aria-label=\"Filtrer les dossiers\">\
         {}<div class=\"champ\"><label for=\"appel\">Appel à projets</label><select id=\"appel\" name=\"appel\">{options_appels}</select></div>\
         <div class=\"champ\"><label for=\"commune\">Commune du porteur</label><input type=\"text\" id=\"commune\" name=\"commune\" value=\"{}\"></div>\
         <div class=\"champ\"><label for=\"eligibilite\">Éligibilité</label><select id=\"eligibilite\" name=\"eligibilite\">{options_eligibilite}</select></div>\
         <div class=\"champ\"><button type=\"submit\">Filtrer</button></div></form>",
        choisi.map_or(String::new(), |x| format!(
            "<input type=\"hidden\" name=\"etat\" value=\"{}\">",
            e(x)
        )),
        e(f.commune.as_deref().unwrap_or_default()),
    );
    let nouveau = if c.acteur.role == Role::Gestionnaire {
        "<p><a class=\"bouton\" href=\"/dossiers/nouveau\">Nouveau projet</a></p>"
    } else {
        ""
    };
    let exports = "<p class=\"actions\"><a class=\"bouton secondaire\" href=\"/exports/dossiers.csv\">Exporter (CSV)</a>\
                   <a class=\"bouton secondaire\" href=\"/exports/dossiers.xlsx\">Exporter (XLSX)</a></p>";
    Ok(Html(page(
        "Dossiers",
        Some(&c),
        "/dossiers",
        &format!(
            "<h1>Dossiers</h1>{nouveau}{recherche}<nav aria-label=\"Filtrer par état\"><ul class=\"actions\">{filtres}</ul></nav>{ordre_du_jour}{exports}{}",
            tableau(
                &format!("{} dossier(s)", lignes.len()),
                &[
                    ("Dossier", false),
                    ("Projet", false),
                    ("Commune", false),
                    ("Département", false),
                    ("État", false),
                    ("ETP demandés", true)
                ],
                &lignes
            )
        ),
    )))
}

fn formulaire(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    action: &str,
    libelle: &str,
    champs: &str,
    secondaire: bool,
) -> String {
    format!(
        "<form method=\"post\" action=\"/dossiers/{}/action\"><fieldset><legend>{}</legend>{}\
         <input type=\"hidden\" name=\"action\" value=\"{action}\"><input type=\"hidden\" name=\"version\" value=\"{version}\">{champs}\
         <button type=\"submit\"{}>{}</button></fieldset></form>",
        d.id,
        e(libelle),
        csrf(c),
        if secondaire {
            " class=\"secondaire\""
        } else {
            ""
        },
        e(libelle)
    )
}

fn zone(nom: &str, libelle: &str) -> String {
    format!(
        "<div class=\"champ\"><label for=\"{nom}\">{}</label><textarea id=\"{nom}\" name=\"{nom}\" rows=\"3\" required></textarea></div>",
        e(libelle)
    )
}

fn saisie(nom: &str, libelle: &str, type_: &str, valeur: &str) -> String {
    format!(
        "<div class=\"champ\"><label for=\"{nom}\">{}</label><input type=\"{type_}\" id=\"{nom}\" name=\"{nom}\" value=\"{}\" required></div>",
        e(libelle),
        e(valeur)
    )
}

fn actions(c: &Connecte, d: &Dossier, version: i64) -> String {
    use EtatDossier::*;
    let mut f = Vec::new();
    match (c.acteur.role, d.etat) {
        (Role::Gestionnaire, Brouillon | ComplementDemande) => {
            f.push(formulaire_projet(
                c,
                d,
                version,
                &ProjetSaisi::depuis(&d.projet),
                None,
            ));
            f.push(formulaire(
                c,
                d,
                version,
                "deposer",
                "Déposer le dossier",
                "",
                false,
            ));
        }
        (Role::Caf, Depose) => {
            f.push(formulaire(
                c,
                d,
                version,
                "instruire",
                "Prendre en instruction",
                "",
                false,
            ));
        }
        (Role::Caf, EnInstruction) => {
            f.push(formulaire(
                c,
                d,
                version,
                "presenter",
                "Présenter en comité",
                &saisie("date_comite", "Date du comité", "date", ""),
                false,
            ));
            f.push(formulaire(
                c,
                d,
                version,
                "complement",
                "Demander un complément",
                &zone("motif", "Information demandée au porteur"),
                true,
            ));
        }
        (Role::Caf, PresenteEnComite) => {
            let champs = format!(
                "<div class=\"champ\"><label for=\"issue\">Décision du comité</label><select id=\"issue\" name=\"issue\">\
                 <option value=\"valide\">Validé</option><option value=\"refuse\">Refusé</option><option value=\"ajourne\">Ajourné</option></select></div>{}{}{}{}",
                saisie(
                    "etp_notifies",
                    "ETP notifiés (si validé)",
                    "text",
                    &d.projet.etp_demandes.to_string()
                ),
                saisie("date_effet", "À compter du", "date", "2024-03-01"),
                saisie("montant_caf", "Part de la Caf (€)", "text", ""),
                zone("motivation", "Motivation"),
            );
            f.push(formulaire(
                c,
                d,
                version,
                "decider",
                "Enregistrer la décision",
                &champs,
                false,
            ));
        }
        (Role::Caf, Valide) => {
            let champs = format!(
                "{}{}{}",
                saisie(
                    "numero",
                    "Numéro de la convention",
                    "text",
                    &format!("COF-{}-{}", d.departement, d.id)
                ),
                saisie("debut", "Début", "date", "2024-03-01"),
                saisie("fin", "Fin", "date", "2025-12-31"),
            );
            f.push(formulaire(
                c,
                d,
                version,
                "convention",
                "Établir la convention",
                &champs,
                false,
            ));
        }
        _ => {}
    }
    if c.acteur.role == Role::Caf
        && matches!(
            d.etat,
            Depose | EnInstruction | ComplementDemande | PresenteEnComite
        )
    {
        f.push(formulaire(
            c,
            d,
            version,
            "sans_suite",
            "Classer sans suite",
            &zone("motif", "Motif"),
            true,
        ));
    }
    if c.acteur.role == Role::Gestionnaire && !d.etat.est_final() && d.etat != Brouillon {
        f.push(formulaire(
            c,
            d,
            version,
            "retirer",
            "Retirer le dossier",
            "",
            true,
        ));
    }
    if f.is_empty() {
        String::new()
    } else {
        format!("<h2>Actions</h2>{}", f.join(""))
    }
}

pub async fn fiche(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    Ok(Html(rendre_fiche(&etat, &c, id, None).await?))
}

/// The dossier page, with the reason of a refused action above its actions when there is one.
async fn rendre_fiche(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    refus: Option<&str>,
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
                            format!("accordé, {}", crate::rendu::euros(part.montant.centimes()))
                        }
                        AvisFinanceur::Refuse => "refusé".to_owned(),
                    };
                    format!("<li>{}: {} {}</li>", e(&qui), avis, e(&part.motivation))
                })
                .collect();
            format!(
                "<li>Comité du {}: <strong>{}</strong>{} – {}{}</li>",
                x.date_comite,
                e(x.issue.libelle()),
                x.notification.map_or(String::new(), |n| format!(
                    ", {} ETP notifiés à compter du {}",
                    n.etp, n.date_effet
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
                "<h2>Décision de votre financeur</h2><form method=\"post\" action=\"/dossiers/{}/action\"><fieldset><legend>Enregistrer la décision de votre financeur</legend>{}\
                 <input type=\"hidden\" name=\"action\" value=\"part\"><input type=\"hidden\" name=\"decision\" value=\"{}\">\
                 <div class=\"champ\"><label for=\"avis\">Avis</label><select id=\"avis\" name=\"avis\"><option value=\"accorde\">Accordé</option><option value=\"refuse\">Refusé</option></select></div>\
                 {}{}<button type=\"submit\">Enregistrer</button></fieldset></form>",
                d.id,
                csrf(&c),
                derniere.valeur.id,
                saisie("montant_part", "Montant accordé (€)", "text", "0"),
                zone("motivation", "Motivation"),
            )
        }
        _ => String::new(),
    };
    let messages = p.messages(&c.acteur, d.id).await?;
    let fil: String = messages
        .iter()
        .map(|m| {
            format!(
                "<li{}><p><strong>{}</strong> <span class=\"aide\">({}, {}){}</span></p><p>{}</p></li>",
                if m.prive { " class=\"encadre alerte\"" } else { "" },
                e(&m.auteur),
                e(&m.role),
                e(&m.cree_le),
                if m.prive { " – annotation privée, non visible du porteur" } else { "" },
                e(&m.texte)
            )
        })
        .collect();
    let peut_ecrire = (c.acteur.role == Role::Caf
        && c.acteur.departements.contains(&d.departement))
        || (c.acteur.role == Role::Gestionnaire
            && c.acteur.gestionnaires.contains(&d.gestionnaire));
    let formulaire_message = if peut_ecrire {
        let case = if c.acteur.role == Role::Caf {
            "<div class=\"champ\"><input type=\"checkbox\" id=\"prive\" name=\"prive\" value=\"1\"> <label for=\"prive\" style=\"display:inline\">Annotation privée (visible des seuls agents de la Caf)</label></div>"
        } else {
            ""
        };
        format!(
            "<form method=\"post\" action=\"/dossiers/{}/messages\">{}<div class=\"champ\"><label for=\"texte\">Votre message</label><textarea id=\"texte\" name=\"texte\" rows=\"3\" required></textarea></div>{case}<button type=\"submit\">Envoyer</button></form>",
            d.id,
            csrf(&c)
        )
    } else {
        String::new()
    };
    let echanges = format!(
        "<h2>Échanges</h2>{}{formulaire_message}",
        if fil.is_empty() {
            "<p>Aucun message.</p>".to_owned()
        } else {
            format!("<ol class=\"fil\">{fil}</ol>")
        }
    );
    let projet = &d.projet;
    let refus_html = refus.map_or(String::new(), |m| {
        format!("<div class=\"encadre erreur\" role=\"alert\" id=\"refus\"><p>Action refusée: {}</p></div>", e(m))
    });
    let bloc_actions = format!("{refus_html}{}", actions(&c, d, lu.version));
    let contenu = format!(
        "<h1>Dossier n°{} – {}</h1><p><span class=\"etiquette\">{}</span></p>{}\
         <h2>Porteur</h2><dl class=\"fiche\"><dt>Gestionnaire</dt><dd>{}</dd><dt>SIRET</dt><dd>{}</dd><dt>Département</dt><dd>{}</dd></dl>\
         <h2>Projet de fonctionnement</h2><dl class=\"fiche\">\
         <dt>Objectifs</dt><dd>{}</dd><dt>Moyens</dt><dd>{}</dd><dt>ETP demandés</dt><dd>{}</dd>\
         <dt>Évaluation</dt><dd>{}</dd><dt>Diagnostic local</dt><dd>{}</dd><dt>Partenaires</dt><dd>{}</dd>\
         <dt>Information des familles</dt><dd>{}</dd></dl>\
         {}{}{}",
        d.id,
        e(&projet.intitule),
        e(d.etat.libelle()),
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
        bloc_actions,
        echanges,
    );
    Ok(page(
        &format!("Dossier n°{}", d.id),
        Some(&c),
        "/dossiers",
        &contenu,
    ))
}

/// A refused action: the dossier page again, the reason above the actions.
async fn refuser(
    etat: &Etat,
    c: &Connecte,
    id: DossierId,
    erreur: ErreurWeb,
) -> Result<Response, ErreurWeb> {
    let statut = erreur.statut();
    match erreur {
        ErreurWeb::Refus(m) | ErreurWeb::Conflit(m) => {
            Ok((statut, Html(rendre_fiche(etat, c, id.0, Some(&m)).await?)).into_response())
        }
        autre => Err(autre),
    }
}

#[derive(Debug, Deserialize)]
pub struct Action {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    action: String,
    version: Option<i64>,
    motif: Option<String>,
    date_comite: Option<String>,
    issue: Option<String>,
    etp_notifies: Option<String>,
    date_effet: Option<String>,
    montant_caf: Option<String>,
    motivation: Option<String>,
    numero: Option<String>,
    decision: Option<i64>,
    avis: Option<String>,
    montant_part: Option<String>,
    debut: Option<String>,
    fin: Option<String>,
}

fn date(champ: &str, t: Option<&str>) -> Result<Date, ErreurWeb> {
    let t = t.unwrap_or_default().trim();
    Date::parse(t, format_description!("[year]-[month]-[day]"))
        .map_err(|_| ErreurWeb::Refus(format!("{champ}: « {t} » n'est pas une date valide")))
}

pub async fn agir(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<Action>,
) -> Result<Response, ErreurWeb> {
    match executer_action(&etat, &c, id, f).await {
        Err(x @ (ErreurWeb::Refus(_) | ErreurWeb::Conflit(_))) => {
            refuser(&etat, &c, DossierId(id), x).await
        }
        autre => autre,
    }
}

async fn executer_action(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    f: Action,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let id = DossierId(id);
    let quand = time::OffsetDateTime::now_utc();
    let motif = || f.motif.clone().unwrap_or_default();
    let simple = |a: ActionDossier| Some(a);
    let transition = match f.action.as_str() {
        "deposer" => simple(ActionDossier::Deposer),
        "instruire" => simple(ActionDossier::PrendreEnInstruction),
        "complement" => simple(ActionDossier::DemanderComplement(motif())),
        "presenter" => simple(ActionDossier::PresenterEnComite(date(
            "date du comité",
            f.date_comite.as_deref(),
        )?)),
        "sans_suite" => simple(ActionDossier::ClasserSansSuite(motif())),
        "retirer" => simple(ActionDossier::Retirer(f.motif.clone())),
        _ => None,
    };
    if let Some(t) = transition {
        p.agir_sur_dossier(&c.acteur, id, f.version, t, quand)
            .await?;
        return Ok(Redirect::to(&format!("/dossiers/{id}")).into_response());
    }
    match f.action.as_str() {
        "decider" => {
            let issue = match f.issue.as_deref() {
                Some("valide") => IssueDecision::Valide,
                Some("refuse") => IssueDecision::Refuse,
                Some("ajourne") => IssueDecision::Ajourne,
                _ => {
                    return Err(ErreurWeb::Refus(
                        "décision: choisissez validé, refusé ou ajourné".into(),
                    ));
                }
            };
            let (notification, part_caf) = if issue == IssueDecision::Valide {
                let etp = Etp::parse(f.etp_notifies.as_deref().unwrap_or_default())
                    .map_err(|e| ErreurWeb::Refus(format!("ETP notifiés: {e}")))?;
                let montant = Centimes::parse(f.montant_caf.as_deref().unwrap_or_default())
                    .map_err(|e| ErreurWeb::Refus(format!("part de la Caf: {e}")))?;
                (
                    Some(NotificationEtp {
                        etp,
                        date_effet: date("à compter du", f.date_effet.as_deref())?,
                    }),
                    Some(SaisiePart {
                        avis: AvisFinanceur::Accorde,
                        montant,
                        motivation: String::new(),
                    }),
                )
            } else {
                (None, None)
            };
            let saisie = SaisieDecision {
                issue,
                motivation: f.motivation.clone().unwrap_or_default(),
                notification,
                part_caf,
            };
            p.enregistrer_decision(&c.acteur, id, f.version, saisie, false, quand)
                .await?;
        }
        "part" => {
            let financeur = c.acteur.financeur.ok_or_else(|| {
                ErreurWeb::Interdit("seul un financeur enregistre sa propre décision".into())
            })?;
            let avis = match f.avis.as_deref() {
                Some("accorde") => AvisFinanceur::Accorde,
                Some("refuse") => AvisFinanceur::Refuse,
                _ => return Err(ErreurWeb::Refus("avis: accordé ou refusé".into())),
            };
            let montant = Centimes::parse(f.montant_part.as_deref().unwrap_or("0"))
                .map_err(|e| ErreurWeb::Refus(format!("montant: {e}")))?;
            let decision = domain::identifiants::DecisionId(
                f.decision
                    .ok_or_else(|| ErreurWeb::Refus("décision non précisée".into()))?,
            );
            p.enregistrer_part(
                &c.acteur,
                decision,
                domain::structures::Cofinanceur::Partenaire(financeur),
                SaisiePart {
                    avis,
                    montant,
                    motivation: f.motivation.clone().unwrap_or_default(),
                },
                quand,
            )
            .await?;
        }
        "convention" => {
            let nouvelle = NouvelleConvention {
                numero: f.numero.clone().unwrap_or_default().trim().to_owned(),
                debut: date("début", f.debut.as_deref())?,
                fin: date("fin", f.fin.as_deref())?,
            };
            p.etablir_convention(&c.acteur, id, nouvelle, quand).await?;
            return Ok(Redirect::to("/conventions").into_response());
        }
        autre => return Err(ErreurWeb::Refus(format!("action « {autre} » inconnue"))),
    }
    Ok(Redirect::to(&format!("/dossiers/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct NouveauMessage {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    texte: Option<String>,
    prive: Option<String>,
}

pub async fn ecrire(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<NouveauMessage>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    etat.plateforme
        .ecrire_message(
            &c.acteur,
            &c.utilisateur.nom,
            DossierId(id),
            f.texte.as_deref().unwrap_or_default(),
            f.prive.is_some(),
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Redirect::to(&format!("/dossiers/{id}#texte")).into_response())
}

/// The texts of a project as typed in the form (kept as typed when refused).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProjetSaisi {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    version: Option<i64>,
    #[serde(default)]
    intitule: String,
    #[serde(default)]
    objectifs: String,
    #[serde(default)]
    moyens: String,
    #[serde(default)]
    etp_demandes: String,
    #[serde(default)]
    modalites_evaluation: String,
    #[serde(default)]
    diagnostic_local: String,
    #[serde(default)]
    partenaires: String,
    #[serde(default)]
    information_familles: String,
}

impl ProjetSaisi {
    fn depuis(p: &domain::dossier::ProjetFonctionnement) -> ProjetSaisi {
        ProjetSaisi {
            csrf: None,
            version: None,
            intitule: p.intitule.clone(),
            objectifs: p.objectifs.clone(),
            moyens: p.moyens.clone(),
            etp_demandes: p.etp_demandes.to_string(),
            modalites_evaluation: p.modalites_evaluation.clone(),
            diagnostic_local: p.diagnostic_local.clone(),
            partenaires: p.partenaires.join(", "),
            information_familles: p.information_familles.clone(),
        }
    }
}

fn zone_remplie(nom: &str, libelle: &str, valeur: &str, erreur: Option<&str>) -> String {
    let (classe, message, aria) = match erreur {
        Some(m) => (
            " en-erreur",
            format!(
                "<p class=\"message-erreur\" id=\"{nom}-erreur\">{}</p>",
                e(m)
            ),
            format!(" aria-describedby=\"{nom}-erreur\" aria-invalid=\"true\""),
        ),
        None => ("", String::new(), String::new()),
    };
    format!(
        "<div class=\"champ{classe}\"><label for=\"{nom}\">{}</label>{message}<textarea id=\"{nom}\" name=\"{nom}\" rows=\"3\"{aria}>{}</textarea></div>",
        e(libelle),
        e(valeur)
    )
}

fn formulaire_projet(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: &ProjetSaisi,
    erreur: Option<(&str, &str)>,
) -> String {
    let err = |n: &str| erreur.filter(|(c, _)| *c == n).map(|(_, m)| m);
    let resume = erreur.map_or(String::new(), |(champ_, m)| {
        format!("<div class=\"encadre erreur\" role=\"alert\"><p>Le projet n'a pas été enregistré:</p><ul><li><a href=\"#{champ_}\">{}</a></li></ul></div>", e(m))
    });
    format!(
        "<form method=\"post\" action=\"/dossiers/{}/projet\" novalidate><fieldset><legend>Modifier le projet de fonctionnement</legend>{resume}{}\
         <input type=\"hidden\" name=\"version\" value=\"{version}\">{}{}{}{}{}{}{}{}\
         <button type=\"submit\" class=\"secondaire\">Enregistrer le projet</button></fieldset></form>",
        d.id,
        csrf(c),
        crate::rendu::champ(
            "intitule",
            "Intitulé",
            "",
            &s.intitule,
            err("intitule"),
            "text",
            ""
        ),
        zone_remplie("objectifs", "Objectifs", &s.objectifs, err("objectifs")),
        zone_remplie("moyens", "Moyens mis en œuvre", &s.moyens, err("moyens")),
        crate::rendu::champ(
            "etp_demandes",
            "Nombre d'ETP affectés à la mission",
            "Par exemple 1,5",
            &s.etp_demandes,
            err("etp_demandes"),
            "text",
            " inputmode=\"decimal\""
        ),
        zone_remplie(
            "modalites_evaluation",
            "Modalités d'évaluation",
            &s.modalites_evaluation,
            err("modalites_evaluation")
        ),
        zone_remplie(
            "diagnostic_local",
            "Diagnostic local des besoins et contexte partenarial",
            &s.diagnostic_local,
            err("diagnostic_local")
        ),
        zone_remplie(
            "partenaires",
            "Partenaires (séparés par des virgules)",
            &s.partenaires,
            err("partenaires")
        ),
        zone_remplie(
            "information_familles",
            "Information des familles",
            &s.information_familles,
            err("information_familles")
        ),
    )
}

/// The applicant edits its project (draft, or answering a request for information).
pub async fn modifier_projet(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(s): Form<ProjetSaisi>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(s.csrf.as_deref())?;
    let p = &etat.plateforme;
    let lu = p.dossier(&c.acteur, DossierId(id)).await?;
    let refuser = |champ_: &str, message: String| -> Result<Response, ErreurWeb> {
        let html = page(
            &format!("Dossier n°{id}"),
            Some(&c),
            "/dossiers",
            &format!(
                "<h1>Dossier n°{id} – {}</h1>{}",
                e(&lu.valeur.projet.intitule),
                formulaire_projet(
                    &c,
                    &lu.valeur,
                    s.version.unwrap_or(lu.version),
                    &s,
                    Some((champ_, &message))
                )
            ),
        );
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
    };
    let etp = match Etp::parse(&s.etp_demandes) {
        Ok(x) => x,
        Err(x) => return refuser("etp_demandes", format!("Nombre d'ETP: {x}")),
    };
    let projet = domain::dossier::ProjetFonctionnement {
        intitule: s.intitule.trim().to_owned(),
        objectifs: s.objectifs.trim().to_owned(),
        moyens: s.moyens.trim().to_owned(),
        etp_demandes: etp,
        modalites_evaluation: s.modalites_evaluation.trim().to_owned(),
        diagnostic_local: s.diagnostic_local.trim().to_owned(),
        partenaires: s
            .partenaires
            .split(',')
            .map(|x| x.trim().to_owned())
            .filter(|x| !x.is_empty())
            .collect(),
        information_familles: s.information_familles.trim().to_owned(),
        ..lu.valeur.projet.clone()
    };
    match p
        .agir_sur_dossier(
            &c.acteur,
            DossierId(id),
            s.version,
            ActionDossier::Modifier(Box::new(projet)),
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/dossiers/{id}")).into_response()),
        Err(x) if x.est_interdit() => Err(x.into()),
        Err(app::ErreurApp::Refus(r)) => {
            let m = r.to_string();
            let bas = m.to_lowercase();
            let champ_ = [
                ("intitule", "intitulé"),
                ("objectifs", "objectifs"),
                ("moyens", "moyens"),
                ("modalites_evaluation", "évaluation"),
                ("diagnostic_local", "diagnostic"),
                ("partenaires", "partenaires"),
                ("information_familles", "information"),
                ("etp_demandes", "etp"),
            ]
            .into_iter()
            .find(|(_, mot)| bas.contains(mot))
            .map_or("intitule", |(c, _)| c);
            refuser(champ_, m)
        }
        Err(x) => Err(x.into()),
    }
}
