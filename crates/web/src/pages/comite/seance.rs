//! A sitting's page: its agenda grouped by scheme with each scheme's common criteria, for each
//! dossier what it asks of each funder beside the funders' opinions and decisions, the forms
//! of the reader, and the sitting's financing plan by funder and scheme.

use std::collections::BTreeMap;

use domain::acces::Role;
use domain::appel_a_projets::Dispositif;
use domain::comite::{self, LignePlan, Point, Seance, criteres};
use domain::decision::{AvisFinanceur, Decision, IssueDecision};
use domain::dossier::{ActionDossier, Dossier, SensAvis};
use domain::identifiants::{CodeDepartement, FinanceurId};
use domain::structures::Cofinanceur;
use maud::{Markup, html};
use time::Date;

use super::saisie::Saisie;
use super::{adresse, nom_du_departement};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{Colonne, champ_csrf, tableau};

/// A funder's name as the page shows it.
pub(super) fn nom(financeur: Cofinanceur, noms: &BTreeMap<FinanceurId, String>) -> String {
    match financeur {
        Cofinanceur::Caf => "Caf".to_owned(),
        Cofinanceur::Partenaire(id) => noms
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "un financeur partenaire".to_owned()),
    }
}

/// An amount, or « – ».
fn montant(m: Option<domain::quantites::Centimes>) -> String {
    m.map_or("–".to_owned(), |m| fr::euros(m.centimes()))
}

/// The sitting's page, with the errors of a refused form next to its fields and what was typed
/// kept (`saisie`), or the confirmation of what was just done (`fait`: action and dossier).
pub(super) async fn rendre(
    etat: &Etat,
    c: &Connecte,
    departement: CodeDepartement,
    date: Date,
    fait: Option<(&str, i64)>,
    saisie: Option<&Saisie>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let s = etat
        .plateforme
        .seance_du_comite(&c.acteur, departement, date)
        .await?;
    let dossiers = s.dossiers();
    let decisions = s.decisions();
    let versions: BTreeMap<i64, i64> = s
        .dossiers
        .iter()
        .map(|l| (l.valeur.id.0, l.version))
        .collect();
    let noms: BTreeMap<FinanceurId, String> =
        s.financeurs.iter().map(|f| (f.id, f.nom.clone())).collect();
    let odj = comite::ordre_du_jour(s.seance, &dossiers, &decisions);
    let points: Vec<&Dossier> = odj
        .iter()
        .flat_map(|r| r.points.iter().map(|p| p.dossier))
        .collect();
    let decisions_seance: Vec<&Decision> = odj
        .iter()
        .flat_map(|r| r.points.iter().filter_map(|p| p.decision))
        .collect();
    let plan = comite::plan_financement(&points, &decisions_seance)
        .map_err(|e| ErreurWeb::Refus(e.to_string()))?;
    let totaux = comite::totaux(&plan).map_err(|e| ErreurWeb::Refus(e.to_string()))?;
    let titre = format!(
        "Comité des financeurs {} – séance du {}",
        nom_du_departement(departement),
        fr::date(date)
    );
    let n: usize = odj.iter().map(|r| r.points.len()).sum();
    let contenu = html! {
        p { a href="/comite" { "Toutes les séances du comité" } }
        h1 { (titre) }
        (x.resume())
        @if let Some((action, dossier)) = fait {
            div class="encadre succes" role="status" {
                p { (confirmation(action)) " (dossier n°" (dossier) ")." }
            }
        }
        p {
            "Ordre du jour : " (n) " dossier" @if n > 1 { "s" } " de " (odj.len()) " dispositif"
            @if odj.len() > 1 { "s" } ". Chaque financeur donne son avis avant la séance et "
            "enregistre sa propre décision après elle ; la Caf enregistre la décision du comité "
            "(lettre circulaire Cnaf n° 2012-093, §43)."
        }
        @if odj.is_empty() {
            p { "Aucun dossier n'est présenté à cette séance." }
        } @else {
            nav aria-labelledby="sommaire-seance" class="sommaire" {
                h2 id="sommaire-seance" { "Dispositifs à l'ordre du jour" }
                ol {
                    @for r in &odj {
                        li { a href={ "#dispositif-" (r.dispositif.code()) } { (majuscule(r.dispositif.libelle())) " (" (r.points.len()) ")" } }
                    }
                    li { a href="#plan-seance" { "Plan de financement de la séance" } }
                }
            }
        }
        @for r in &odj {
            section aria-labelledby={ "dispositif-" (r.dispositif.code()) } {
                h2 id={ "dispositif-" (r.dispositif.code()) } { (majuscule(r.dispositif.libelle())) }
                (criteres_communs(r.dispositif))
                @for p in &r.points {
                    (point(c, s.seance, p, &noms, versions.get(&p.dossier.id.0).copied().unwrap_or(0), saisie, x))
                }
            }
        }
        section aria-labelledby="plan-seance" {
            h2 id="plan-seance" { "Plan de financement de la séance" }
            (tableau_plan(&format!("Demandé et décidé par financeur et dispositif, séance du {}", fr::date(date)), &plan, &noms, totaux))
        }
    };
    Ok(crate::vue::page(&x.titre(&titre), Some(c), "/comite", contenu).into_string())
}

/// The first letter in capitals.
fn majuscule(t: &str) -> String {
    crate::formulaire::majuscule(t)
}

/// What was just done.
fn confirmation(action: &str) -> &'static str {
    match action {
        "avis" => {
            "Votre avis est enregistré ; vous pouvez le donner à nouveau jusqu'à la décision du comité"
        }
        "part" => "Votre décision est enregistrée",
        "decider" => {
            "La décision du comité est enregistrée ; chaque financeur enregistre maintenant sa propre décision"
        }
        _ => "Enregistré",
    }
}

/// The common eligibility criteria of a scheme, each with its source.
fn criteres_communs(dispositif: Dispositif) -> Markup {
    html! {
        details class="criteres" {
            summary { "Critères d'éligibilité communs – " (dispositif.libelle()) }
            ul {
                @for c in criteres::criteres_communs(dispositif) {
                    li {
                        (c.libelle)
                        br;
                        small { (c.source.texte) ", " (c.source.paragraphe) " : « " (c.source.citation) " »" }
                    }
                }
            }
        }
    }
}

/// The funders a dossier concerns: those its plan asks, those who decided, those who gave an
/// opinion; the Caf first.
fn financeurs_du_point(p: &Point<'_>) -> Vec<Cofinanceur> {
    let mut f: Vec<Cofinanceur> = std::iter::once(Cofinanceur::Caf)
        .chain(
            p.dossier
                .projet
                .plan_financement
                .iter()
                .map(|l| l.financeur),
        )
        .chain(
            p.decision
                .iter()
                .flat_map(|x| x.parts.iter().map(|l| l.financeur)),
        )
        .chain(
            p.dossier
                .avis_financeurs
                .iter()
                .map(|a| Cofinanceur::Partenaire(a.financeur)),
        )
        .collect();
    f.sort();
    f.dedup();
    f
}

/// One dossier of the agenda.
fn point(
    c: &Connecte,
    seance: Seance,
    p: &Point<'_>,
    noms: &BTreeMap<FinanceurId, String>,
    version: i64,
    saisie: Option<&Saisie>,
    x: &Erreurs,
) -> Markup {
    let d = p.dossier;
    let lignes: Vec<Vec<Markup>> = financeurs_du_point(p)
        .into_iter()
        .map(|f| {
            let avis = match f {
                Cofinanceur::Caf => None,
                Cofinanceur::Partenaire(id) => d.avis_de(id),
            };
            let decide = match p.decision.and_then(|x| x.part(f)) {
                Some(part) if part.avis == AvisFinanceur::Accorde => {
                    format!("accordé : {}", fr::euros(part.montant.centimes()))
                }
                Some(_) => "refusé".to_owned(),
                None => "non décidé".to_owned(),
            };
            vec![
                html! { (nom(f, noms)) },
                html! { (montant(d.projet.montant_demande(f))) },
                html! {
                    @match avis {
                        Some(a) => {
                            (a.sens.libelle())
                            @if let Some(m) = a.montant_envisage { ", " (fr::euros(m.centimes())) " envisagés" }
                            @if !a.commentaire.is_empty() { " – " (a.commentaire) }
                        }
                        None => "–",
                    }
                },
                html! { (decide) },
            ]
        })
        .collect();
    let ancre = format!("dossier-{}", d.id);
    let cible = format!(
        "{}/dossiers/{}",
        adresse(seance.departement, seance.date),
        d.id
    );
    let propre = c.acteur.financeur.map(Cofinanceur::Partenaire);
    let peut_avis = d.peut(&c.acteur, ActionDossier::DonnerAvis);
    // A funder records its decision on a dossier whose plan asks it, or on which it gave an
    // opinion, once the comité has decided, and only once.
    let concerne = propre.is_some_and(|f| {
        d.projet.montant_demande(f).is_some()
            || c.acteur.financeur.is_some_and(|id| d.avis_de(id).is_some())
    });
    let decision_a_completer = p.decision.filter(|x| {
        concerne && x.issue != IssueDecision::Ajourne && propre.is_some_and(|f| x.part(f).is_none())
    });
    let peut_decider =
        c.acteur.role == Role::Caf && d.peut(&c.acteur, ActionDossier::EnregistrerDecision);
    let valeur = |action: &str, champ: &str, defaut: &str| -> String {
        saisie
            .filter(|s| s.dossier == d.id.0 && s.action == action)
            .and_then(|s| s.champs.get(champ).cloned())
            .unwrap_or_else(|| defaut.to_owned())
    };
    html! {
        article class="point-comite" aria-labelledby=(ancre) {
            h3 id=(ancre) {
                a href={ "/dossiers/" (d.id) } { "Dossier n°" (d.id) " – " (d.projet.intitule) }
            }
            p { "État : " (crate::vue::etat_dossier(d.etat)) }
            (tableau(
                &format!("Dossier n°{} : demandé, avis et décision de chaque financeur", d.id),
                &[
                    Colonne { titre: "Financeur", nombre: false },
                    Colonne { titre: "Montant demandé", nombre: true },
                    Colonne { titre: "Avis avant le comité", nombre: false },
                    Colonne { titre: "Décision du financeur", nombre: false },
                ],
                &lignes,
            ))
            @if let Some(decision) = p.decision {
                p {
                    "Décision du comité : " strong { (decision.issue.libelle()) }
                    " – " (decision.motivation)
                }
            }
            @if peut_avis {
                @let id = |champ: &str| format!("d{}-avis-{champ}", d.id);
                @let (i_sens, i_montant, i_commentaire) = (id("sens"), id("montant_envisage"), id("commentaire"));
                @let actuel = propre.and_then(|f| match f { Cofinanceur::Partenaire(id) => d.avis_de(id), Cofinanceur::Caf => None });
                form method="post" action=(cible) novalidate class="formulaire-comite" {
                    (champ_csrf(c))
                    input type="hidden" name="action" value="avis";
                    input type="hidden" name="version" value=(version);
                    fieldset {
                        legend { "Votre avis avant le comité sur le dossier n°" (d.id) }
                        (Champ::new("sens", "Avis").id(&i_sens).erreurs(x).liste(
                            &[("", "choisir"), (SensAvis::Favorable.code(), "favorable"), (SensAvis::Reserve.code(), "favorable avec réserves"), (SensAvis::Defavorable.code(), "défavorable")],
                            &valeur("avis", "sens", actuel.map_or("", |a| a.sens.code())),
                        ))
                        (Champ::new("montant_envisage", "Montant envisagé pour votre part (€, facultatif)")
                            .id(&i_montant).erreurs(x).clavier(Clavier::Decimal)
                            .texte(&valeur("avis", "montant_envisage", &actuel.and_then(|a| a.montant_envisage).map_or(String::new(), |m| m.texte_point().replace('.', ",")))))
                        (Champ::new("commentaire", "Réserves ou raisons (obligatoires si l'avis n'est pas favorable)")
                            .id(&i_commentaire).erreurs(x)
                            .zone(&valeur("avis", "commentaire", actuel.map_or("", |a| a.commentaire.as_str()))))
                        button type="submit" { "Enregistrer mon avis sur le dossier n°" (d.id) }
                    }
                }
            }
            @if let Some(decision) = decision_a_completer {
                @let id = |champ: &str| format!("d{}-part-{champ}", d.id);
                @let (i_avis, i_montant, i_motivation) = (id("avis"), id("montant_part"), id("motivation"));
                @let demande = propre.and_then(|f| d.projet.montant_demande(f)).map_or(String::new(), |m| m.texte_point().replace('.', ","));
                form method="post" action=(cible) novalidate class="formulaire-comite" {
                    (champ_csrf(c))
                    input type="hidden" name="action" value="part";
                    input type="hidden" name="decision" value=(decision.id);
                    fieldset {
                        legend { "Votre décision sur le dossier n°" (d.id) }
                        (Champ::new("avis", "Décision").id(&i_avis).erreurs(x).liste(
                            &[("", "choisir"), ("accorde", "accordé"), ("refuse", "refusé")],
                            &valeur("part", "avis", ""),
                        ))
                        (Champ::new("montant_part", "Montant accordé (€, 0 si refusé)")
                            .id(&i_montant).erreurs(x).clavier(Clavier::Decimal)
                            .texte(&valeur("part", "montant_part", &demande)))
                        (Champ::new("motivation", "Motivation").id(&i_motivation).erreurs(x)
                            .zone(&valeur("part", "motivation", "")))
                        button type="submit" { "Enregistrer ma décision sur le dossier n°" (d.id) }
                    }
                }
            }
            @if peut_decider {
                @if d.dispositif.decide_par_montant() {
                    @let id = |champ: &str| format!("d{}-decider-{champ}", d.id);
                    @let (i_issue, i_montant, i_motivation) = (id("issue"), id("montant_caf"), id("motivation"));
                    @let demande = d.projet.montant_demande(Cofinanceur::Caf).map_or(String::new(), |m| m.texte_point().replace('.', ","));
                    form method="post" action=(cible) novalidate class="formulaire-comite" {
                        (champ_csrf(c))
                        input type="hidden" name="action" value="decider";
                        input type="hidden" name="version" value=(version);
                        fieldset {
                            legend { "Décision du comité sur le dossier n°" (d.id) }
                            (Champ::new("issue", "Décision du comité").id(&i_issue).erreurs(x).liste(
                                &[("", "choisir"), ("valide", "validé"), ("refuse", "refusé"), ("ajourne", "ajourné")],
                                &valeur("decider", "issue", ""),
                            ))
                            (Champ::new("montant_caf", "Part de la Caf (€), accordée si le projet est validé")
                                .id(&i_montant).erreurs(x).clavier(Clavier::Decimal)
                                .texte(&valeur("decider", "montant_caf", &demande)))
                            (Champ::new("motivation", "Motivation").id(&i_motivation).erreurs(x)
                                .zone(&valeur("decider", "motivation", "")))
                            button type="submit" { "Enregistrer la décision du comité sur le dossier n°" (d.id) }
                        }
                    }
                } @else {
                    p {
                        "Un projet " (d.dispositif.libelle()) " se décide par notification d'ETP : "
                        a href={ "/dossiers/" (d.id) "#instruction" } { "enregistrer la décision sur la page du dossier n°" (d.id) }
                        "."
                    }
                }
            }
        }
    }
}

/// A financing plan as a table: one line per funder, scheme and year, with the totals.
pub(super) fn tableau_plan(
    legende: &str,
    lignes: &[LignePlan],
    noms: &BTreeMap<FinanceurId, String>,
    totaux: (domain::quantites::Centimes, domain::quantites::Centimes),
) -> Markup {
    let mut cellules: Vec<Vec<Markup>> = lignes
        .iter()
        .map(|l| {
            vec![
                html! { (nom(l.financeur, noms)) },
                html! { (l.dispositif.libelle()) },
                html! { (l.annee) },
                html! { (fr::euros(l.demande.centimes())) },
                html! { (fr::euros(l.decide.centimes())) },
            ]
        })
        .collect();
    if !lignes.is_empty() {
        cellules.push(vec![
            html! { strong { "Total" } },
            html! {},
            html! {},
            html! { strong { (fr::euros(totaux.0.centimes())) } },
            html! { strong { (fr::euros(totaux.1.centimes())) } },
        ]);
    }
    tableau(
        legende,
        &[
            Colonne {
                titre: "Financeur",
                nombre: false,
            },
            Colonne {
                titre: "Dispositif",
                nombre: false,
            },
            Colonne {
                titre: "Année",
                nombre: true,
            },
            Colonne {
                titre: "Montant demandé",
                nombre: true,
            },
            Colonne {
                titre: "Montant accordé",
                nombre: true,
            },
        ],
        &cellules,
    )
}
