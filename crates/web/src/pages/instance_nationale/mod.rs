//! The pages of the national instance of the AIP experiment (`/instance-nationale`): its
//! missions, members, thematic working groups, the calendar of the six phases with each phase's
//! state, its séances and the forms of the Cnaf (configuration, a member, a phase's dates) and
//! of the secretariat (a séance to plan). A séance is then run on its page `/seances/{id}`, the
//! same as every coordination séance.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::coordination::{FormeInstance, GroupeDeTravail, Niveau, RoleMembre, SaisieInstance};
use domain::instance_nationale::{EtatPhase, GROUPES_THEMATIQUES, MISSIONS, SERVICES_ASSOCIES};
use maud::{Markup, html};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Echec, Erreurs};
use crate::fr;
use crate::pages::coordination::{Paires, etat_seance, quand, saisie_membre, saisie_seance};
use crate::session::Connecte;
use crate::vue::{self, Colonne, Ton, champ_csrf, etiquette, tableau};
use app::VueNationale;

/// Which form of the page was sent back with its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Formulaire {
    Configuration,
    Membre,
    Seance,
    Phase(u8),
}

struct Renvoi<'a> {
    formulaire: Formulaire,
    paires: &'a Paires,
}

fn valeur<'a>(r: Option<&'a Renvoi<'a>>, f: Formulaire, nom: &str) -> &'a str {
    match r {
        Some(r) if r.formulaire == f => r.paires.valeur(nom),
        _ => "",
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct Suite {
    fait: Option<String>,
}

/// `/instance-nationale`.
pub async fn page(
    State(etat): State<Etat>,
    c: Connecte,
    Query(suite): Query<Suite>,
) -> Result<Html<String>, ErreurWeb> {
    rendre(&etat, &c, suite.fait.as_deref(), None, &Erreurs::default())
        .await
        .map(Html)
}

async fn rendre(
    etat: &Etat,
    c: &Connecte,
    fait: Option<&str>,
    renvoi: Option<&Renvoi<'_>>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let vue = etat.plateforme.instance_nationale(&c.acteur).await?;
    let aujourd_hui = fr::heure_de_paris(OffsetDateTime::now_utc()).date();
    Ok(vue_page(c, vue.as_ref(), aujourd_hui, fait, renvoi, x).into_string())
}

async fn refuser(
    etat: &Etat,
    c: &Connecte,
    renvoi: &Renvoi<'_>,
    e: Echec,
) -> Result<Response, ErreurWeb> {
    match e {
        Echec::Page(w) => Err(w),
        Echec::Saisie(x) => Ok((
            x.statut(),
            Html(rendre(etat, c, None, Some(renvoi), &x).await?),
        )
            .into_response()),
    }
}

fn retour(fait: &str, ancre: &str) -> Response {
    Redirect::to(&format!("/instance-nationale?fait={fait}#{ancre}")).into_response()
}

/// The configuration (the Cnaf): the secretariat's address and the working groups, one per line.
pub async fn configurer(
    State(etat): State<Etat>,
    c: Connecte,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let renvoi = Renvoi {
        formulaire: Formulaire::Configuration,
        paires: &p,
    };
    let saisie = SaisieInstance {
        forme: FormeInstance::NationaleAip,
        secretariat: p.valeur("secretariat").trim().to_owned(),
        groupes: p
            .valeur("groupes")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|nom| GroupeDeTravail {
                nom: nom.to_owned(),
                territorial: false,
            })
            .collect(),
        schema: None,
    };
    match etat
        .plateforme
        .configurer_instance_nationale(&c.acteur, saisie, OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(retour("configuree", "configuration")),
        Err(e) => refuser(&etat, &c, &renvoi, Echec::app(e, &[], "secretariat")).await,
    }
}

/// A member (the Cnaf).
pub async fn ajouter_membre(
    State(etat): State<Etat>,
    c: Connecte,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let renvoi = Renvoi {
        formulaire: Formulaire::Membre,
        paires: &p,
    };
    match etat
        .plateforme
        .ajouter_membre_national(&c.acteur, saisie_membre(&p), OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(retour("membre", "membres")),
        Err(e) => refuser(&etat, &c, &renvoi, Echec::app(e, &[], "role")).await,
    }
}

/// A séance to plan (the secretariat): then convened from its page.
pub async fn planifier(
    State(etat): State<Etat>,
    c: Connecte,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let renvoi = Renvoi {
        formulaire: Formulaire::Seance,
        paires: &p,
    };
    let resultat = match saisie_seance(&p) {
        Ok(saisie) => etat
            .plateforme
            .planifier_seance_nationale(&c.acteur, saisie, OffsetDateTime::now_utc())
            .await
            .map_err(|e| Echec::app(e, &[("debut", "date")], "titre")),
        Err(x) => Err(Echec::Saisie(x)),
    };
    match resultat {
        Ok(lu) => {
            Ok(Redirect::to(&format!("/seances/{}?fait=planifiee", lu.valeur.id)).into_response())
        }
        Err(e) => refuser(&etat, &c, &renvoi, e).await,
    }
}

fn lire_date(x: &mut Erreurs, champ: &str, libelle: &str, texte: &str) -> Option<Date> {
    let t = texte.trim();
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let jma = time::macros::format_description!("[day]/[month]/[year]");
    match Date::parse(t, iso).or_else(|_| Date::parse(t, jma)) {
        Ok(d) => Some(d),
        Err(_) => {
            x.ajouter(champ, format!("{libelle} : une date (JJ/MM/AAAA)"));
            None
        }
    }
}

/// The dates of a phase (the Cnaf).
pub async fn modifier_phase(
    State(etat): State<Etat>,
    c: Connecte,
    Path(numero): Path<u8>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let renvoi = Renvoi {
        formulaire: Formulaire::Phase(numero),
        paires: &p,
    };
    let mut x = Erreurs::default();
    let debut = lire_date(&mut x, "debut", "Début", p.valeur("debut"));
    let fin = lire_date(&mut x, "fin", "Fin", p.valeur("fin"));
    let version = p.valeur("version").trim().parse::<i64>().ok();
    let (Some(debut), Some(fin)) = (debut, fin) else {
        return refuser(&etat, &c, &renvoi, Echec::Saisie(x)).await;
    };
    match etat
        .plateforme
        .modifier_phase(
            &c.acteur,
            numero,
            debut,
            fin,
            version,
            OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => Ok(retour("phase", "calendrier")),
        Err(e) => refuser(&etat, &c, &renvoi, Echec::app(e, &[], "fin")).await,
    }
}

fn confirmation(fait: &str) -> Option<Markup> {
    let texte = match fait {
        "configuree" => "Configuration de l'instance nationale enregistrée.",
        "membre" => "Membre ajouté à l'instance nationale.",
        "phase" => "Dates de la phase enregistrées.",
        _ => return None,
    };
    Some(html! {
        div class="encadre succes" role="status" id="confirmation" { p { strong { (texte) } } }
    })
}

const TITRE: &str = "Instance nationale de l'expérimentation";

fn vue_page(
    c: &Connecte,
    vue: Option<&VueNationale>,
    aujourd_hui: Date,
    fait: Option<&str>,
    renvoi: Option<&Renvoi<'_>>,
    x: &Erreurs,
) -> Markup {
    vue::page(
        &x.titre(TITRE),
        Some(c),
        "/candidatures",
        html! {
            h1 { (TITRE) }
            p { "Pilotée par la Cnaf avec l'appui de la Caf de l'Isère, elle réunit les référents parentalité des Caf de l'expérimentation de l'accompagnement individuel à la parentalité (instruction Cnaf It 2023-131, § 4 et 6)." }
            (x.resume())
            @if let Some(m) = fait.and_then(confirmation) { (m) }
            p { a href="/candidatures" { "Appels à candidatures pour une nouvelle vague" } }
            @match vue {
                Some(v) => {
                    (missions())
                    (calendrier(c, v, aujourd_hui, renvoi, x))
                    (membres(c, v, renvoi, x))
                    (groupes(v))
                    (seances(c, v, renvoi, x))
                    @if v.administration { (configuration(c, Some(v), renvoi, x)) }
                }
                None => {
                    p { "L'instance nationale n'est pas encore configurée." }
                    (configuration(c, None, renvoi, x))
                }
            }
        },
    )
}

fn missions() -> Markup {
    html! {
        section aria-labelledby="titre-missions" {
            h2 id="titre-missions" { "Missions" }
            ul { @for m in MISSIONS { li { (m) } } }
            p { "Peuvent être associés : "
                (SERVICES_ASSOCIES.iter().map(|(sigle, nom)| if sigle == nom { (*sigle).to_owned() } else { format!("{sigle} ({nom})") }).collect::<Vec<_>>().join(", "))
                " (§ 3)." }
        }
    }
}

fn ton_phase(etat: EtatPhase) -> Ton {
    match etat {
        EtatPhase::AVenir => Ton::Neutre,
        EtatPhase::EnCours => Ton::EnCours,
        EtatPhase::Terminee => Ton::Succes,
    }
}

fn calendrier(
    c: &Connecte,
    v: &VueNationale,
    aujourd_hui: Date,
    renvoi: Option<&Renvoi<'_>>,
    x: &Erreurs,
) -> Markup {
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    let lignes: Vec<Vec<Markup>> = v
        .calendrier
        .valeur
        .phases
        .iter()
        .map(|p| {
            let etat = p.etat(aujourd_hui);
            vec![
                html! { (p.numero) },
                html! { (p.intitule) },
                html! { "du " (fr::date(p.debut)) " au " (fr::date(p.fin)) },
                html! { (etiquette(etat.libelle(), ton_phase(etat))) },
            ]
        })
        .collect();
    html! {
        section id="calendrier" aria-labelledby="titre-calendrier" {
            h2 id="titre-calendrier" { "Calendrier en six phases" }
            p.aide { "Les phases et leurs dates sont une interprétation : le tableau du § 5 de l'instruction manque à son texte. Les dates sont indicatives et la Cnaf peut les modifier." }
            (tableau("Phases de l'expérimentation", &[colonne("N°"), colonne("Phase"), colonne("Dates"), colonne("État")], &lignes))
            @if v.administration {
                details {
                    summary { "Modifier les dates d'une phase" }
                    @for p in &v.calendrier.valeur.phases {
                        @let f = Formulaire::Phase(p.numero);
                        @let id_debut = format!("phase-{}-debut", p.numero);
                        @let id_fin = format!("phase-{}-fin", p.numero);
                        @let debut = Some(valeur(renvoi, f, "debut")).filter(|t| !t.is_empty()).map_or_else(|| p.debut.to_string(), str::to_owned);
                        @let fin = Some(valeur(renvoi, f, "fin")).filter(|t| !t.is_empty()).map_or_else(|| p.fin.to_string(), str::to_owned);
                        @let erreurs = if renvoi.is_some_and(|r| r.formulaire == f) { x.clone() } else { Erreurs::default() };
                        form method="post" action={ "/instance-nationale/phases/" (p.numero) } novalidate {
                            (champ_csrf(c))
                            input type="hidden" name="version" value=(v.calendrier.version);
                            fieldset {
                                legend { "Phase " (p.numero) " — " (p.intitule) }
                                (Champ::new("debut", "Début").id(&id_debut).erreurs(&erreurs).requis().saisie("date", &debut))
                                (Champ::new("fin", "Fin").id(&id_fin).erreurs(&erreurs).requis().saisie("date", &fin))
                                button type="submit" { "Enregistrer les dates de la phase " (p.numero) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn membres(c: &Connecte, v: &VueNationale, renvoi: Option<&Renvoi<'_>>, x: &Erreurs) -> Markup {
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    let lignes: Vec<Vec<Markup>> = v
        .instance
        .membres
        .iter()
        .map(|m| {
            let m = &m.valeur;
            vec![
                html! { (m.personne) },
                html! { (m.organisation) },
                html! { (m.role.libelle()) },
                html! { (m.groupes.iter().cloned().collect::<Vec<_>>().join(", ")) },
                html! { a href={ "mailto:" (m.email.as_str()) } { (m.email.as_str()) } },
            ]
        })
        .collect();
    let f = Formulaire::Membre;
    let erreurs = if renvoi.is_some_and(|r| r.formulaire == f) {
        x.clone()
    } else {
        Erreurs::default()
    };
    let roles: Vec<(&str, &str)> = RoleMembre::TOUS
        .iter()
        .map(|r| (r.code(), r.libelle()))
        .collect();
    let choisis: Vec<&str> = match renvoi {
        Some(r) if r.formulaire == f => r.paires.valeurs("groupes"),
        _ => Vec::new(),
    };
    html! {
        section id="membres" aria-labelledby="titre-membres" {
            h2 id="titre-membres" { "Membres (" (v.instance.membres.len()) ")" }
            (tableau("Composition de l'instance nationale", &[colonne("Personne"), colonne("Organisation"), colonne("Rôle"), colonne("Groupes de travail"), colonne("Courriel")], &lignes))
            @if v.administration {
                details {
                    summary { "Ajouter un membre" }
                    form method="post" action="/instance-nationale/membres" novalidate {
                        (champ_csrf(c))
                        (Champ::new("organisation", "Organisation").aide("La Caf, le service de la Cnaf ou l'association nationale").erreurs(&erreurs).requis().texte(valeur(renvoi, f, "organisation")))
                        (Champ::new("personne", "Personne").erreurs(&erreurs).requis().texte(valeur(renvoi, f, "personne")))
                        (Champ::new("email", "Adresse électronique").erreurs(&erreurs).requis().saisie("email", valeur(renvoi, f, "email")))
                        (Champ::new("role", "Rôle").aide("Les référents des Caf sont membres ; les services de la Cnaf sont invités").erreurs(&erreurs).requis().liste(&roles, Some(valeur(renvoi, f, "role")).filter(|r| !r.is_empty()).unwrap_or("membre")))
                        (Champ::new("mandat_debut", "Début du mandat").erreurs(&erreurs).requis().saisie("date", valeur(renvoi, f, "mandat_debut")))
                        (Champ::new("mandat_fin", "Fin du mandat").erreurs(&erreurs).requis().saisie("date", valeur(renvoi, f, "mandat_fin")))
                        input type="hidden" name="niveaux" value=(Niveau::Pleniere.code());
                        fieldset {
                            legend { "Groupes de travail thématiques" }
                            @for (i, g) in v.instance.instance.valeur.groupes.iter().enumerate() {
                                div.champ {
                                    input type="checkbox" id={ "groupe-" (i) } name="groupes" value=(g.nom) checked[choisis.contains(&g.nom.as_str())];
                                    " "
                                    label.en-ligne for={ "groupe-" (i) } { (g.nom) }
                                }
                            }
                        }
                        button type="submit" { "Ajouter le membre" }
                    }
                }
            }
        }
    }
}

fn groupes(v: &VueNationale) -> Markup {
    html! {
        section aria-labelledby="titre-groupes" {
            h2 id="titre-groupes" { "Groupes de travail thématiques" }
            @if v.instance.instance.valeur.groupes.is_empty() {
                p { "Aucun groupe de travail." }
            }
            @for g in &v.instance.instance.valeur.groupes {
                h3 { (g.nom) }
                @let membres: Vec<String> = v.instance.membres.iter().filter(|m| m.valeur.groupes.contains(&g.nom)).map(|m| format!("{} ({})", m.valeur.personne, m.valeur.organisation)).collect();
                @if membres.is_empty() { p { "Aucun membre pour l'instant." } }
                @else { ul { @for m in membres { li { (m) } } } }
            }
        }
    }
}

fn seances(c: &Connecte, v: &VueNationale, renvoi: Option<&Renvoi<'_>>, x: &Erreurs) -> Markup {
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    let lignes: Vec<Vec<Markup>> = v
        .seances
        .iter()
        .map(|s| {
            let s = &s.valeur;
            vec![
                html! { a href={ "/seances/" (s.id) } { (s.titre) } },
                html! { (quand(s.debut)) },
                html! { (s.niveau.libelle()) @if let Some(g) = &s.groupe { " « " (g) " »" } },
                html! { (etat_seance(s)) },
            ]
        })
        .collect();
    let f = Formulaire::Seance;
    let erreurs = if renvoi.is_some_and(|r| r.formulaire == f) {
        x.clone()
    } else {
        Erreurs::default()
    };
    let instance = &v.instance.instance.valeur;
    let niveaux: Vec<(&str, &str)> = instance
        .forme
        .regles()
        .niveaux
        .iter()
        .map(|n| (n.code(), n.libelle()))
        .collect();
    let groupes: Vec<(&str, &str)> = std::iter::once(("", "— aucun —"))
        .chain(
            instance
                .groupes
                .iter()
                .map(|g| (g.nom.as_str(), g.nom.as_str())),
        )
        .collect();
    let duree = Some(valeur(renvoi, f, "duree_minutes"))
        .filter(|t| !t.is_empty())
        .unwrap_or("180");
    html! {
        section id="seances" aria-labelledby="titre-seances" {
            h2 id="titre-seances" { "Séances" }
            (tableau("Séances de l'instance nationale", &[colonne("Séance"), colonne("Date"), colonne("Niveau"), colonne("État")], &lignes))
            @if v.instance.secretariat {
                h3 id="titre-planifier" { "Planifier une séance" }
                form method="post" action="/instance-nationale/seances" novalidate aria-labelledby="titre-planifier" {
                    (champ_csrf(c))
                    (Champ::new("titre", "Intitulé").erreurs(&erreurs).requis().texte(valeur(renvoi, f, "titre")))
                    (Champ::new("niveau", "Niveau convoqué").erreurs(&erreurs).requis().liste(&niveaux, Some(valeur(renvoi, f, "niveau")).filter(|n| !n.is_empty()).unwrap_or("pleniere")))
                    (Champ::new("groupe", "Groupe de travail (pour une séance d'un groupe)").erreurs(&erreurs).liste(&groupes, valeur(renvoi, f, "groupe")))
                    (Champ::new("date", "Date").erreurs(&erreurs).requis().saisie("date", valeur(renvoi, f, "date")))
                    (Champ::new("heure", "Heure de début (heure de Paris)").aide("HH:MM").erreurs(&erreurs).requis().saisie("time", valeur(renvoi, f, "heure")))
                    (Champ::new("duree_minutes", "Durée (minutes)").erreurs(&erreurs).requis().clavier(Clavier::Numerique).texte(duree))
                    (Champ::new("lieu", "Lieu").aide("Adresse, ou « visioconférence » et son lien").erreurs(&erreurs).requis().texte(valeur(renvoi, f, "lieu")))
                    (Champ::new("ordre_du_jour", "Ordre du jour").aide("Un point par ligne").erreurs(&erreurs).zone(valeur(renvoi, f, "ordre_du_jour")))
                    button type="submit" { "Planifier la séance" }
                }
            }
        }
    }
}

fn configuration(
    c: &Connecte,
    v: Option<&VueNationale>,
    renvoi: Option<&Renvoi<'_>>,
    x: &Erreurs,
) -> Markup {
    let f = Formulaire::Configuration;
    let erreurs = if renvoi.is_some_and(|r| r.formulaire == f) {
        x.clone()
    } else {
        Erreurs::default()
    };
    let secretariat = match (renvoi, v) {
        (Some(r), _) if r.formulaire == f => r.paires.valeur("secretariat").to_owned(),
        (_, Some(v)) => v.instance.instance.valeur.secretariat.as_str().to_owned(),
        _ => String::new(),
    };
    let groupes = match (renvoi, v) {
        (Some(r), _) if r.formulaire == f => r.paires.valeur("groupes").to_owned(),
        (_, Some(v)) => v
            .instance
            .instance
            .valeur
            .groupes
            .iter()
            .map(|g| g.nom.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => GROUPES_THEMATIQUES.join("\n"),
    };
    html! {
        section id="configuration" aria-labelledby="titre-configuration" {
            h2 id="titre-configuration" { "Configuration" }
            form method="post" action="/instance-nationale/configuration" novalidate {
                (champ_csrf(c))
                (Champ::new("secretariat", "Adresse du secrétariat").aide("Elle organise les séances : les invitations partent en son nom").erreurs(&erreurs).requis().saisie("email", &secretariat))
                (Champ::new("groupes", "Groupes de travail thématiques").aide("Un groupe par ligne").erreurs(&erreurs).zone(&groupes))
                button type="submit" { @if v.is_some() { "Enregistrer la configuration" } @else { "Configurer l'instance nationale" } }
            }
        }
    }
}
