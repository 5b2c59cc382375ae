//! The pages of the calls for candidacies to a new wave of the AIP experiment: the list of calls
//! with the Cnaf's form to open one (`/candidatures`), a call with the candidacies the reader
//! may read and, for a Caf agent, its Caf's file to draft and submit
//! (`/candidatures/appels/{id}`), and one candidacy with its decision, taken by the Cnaf with its
//! reason (`/candidatures/{id}`).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Role;
use domain::candidatures::{
    AppelCandidatures, Candidature, DossierCandidature, EtatCandidature, SaisieAppel,
};
use domain::identifiants::{AppelCandidaturesId, CandidatureId, CodeDepartement};
use domain::quantites::Etp;
use maud::{Markup, html};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Echec, Erreurs};
use crate::fr;
use crate::pages::coordination::Paires;
use crate::session::Connecte;
use crate::vue::{self, Colonne, Ton, champ_csrf, etiquette, tableau};
use app::{Lu, VueAppel};

#[derive(Debug, Deserialize, Default)]
pub struct Suite {
    fait: Option<String>,
}

fn maintenant() -> OffsetDateTime {
    fr::heure_de_paris(OffsetDateTime::now_utc())
}

fn nom_departement(d: CodeDepartement) -> String {
    domain::territoire::departement(d)
        .map_or(d.to_string(), |x| format!("Caf {}", x.nom_precede_de()))
}

fn etat_candidature(etat: EtatCandidature) -> Markup {
    let ton = match etat {
        EtatCandidature::Brouillon => Ton::Neutre,
        EtatCandidature::Deposee => Ton::Attente,
        EtatCandidature::Retenue => Ton::Succes,
        EtatCandidature::NonRetenue => Ton::Refus,
    };
    etiquette(etat.libelle(), ton)
}

fn confirmation(fait: Option<&str>) -> Option<Markup> {
    let texte = match fait? {
        "ouvert" => "Appel à candidatures ouvert.",
        "enregistree" => "Brouillon de la candidature enregistré.",
        "deposee" => "Candidature déposée : la Cnaf l'examinera après la date limite.",
        "decidee" => "Décision enregistrée : la Caf la voit sur sa candidature.",
        _ => return None,
    };
    Some(html! {
        div class="encadre succes" role="status" id="confirmation" { p { strong { (texte) } } }
    })
}

/// `2026-12-22` as `22/12/2026`.
fn date_iso(texte: &str) -> String {
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(texte, iso).map_or_else(|_| texte.to_owned(), fr::date)
}

fn colonne(titre: &str) -> Colonne<'_> {
    Colonne {
        titre,
        nombre: false,
    }
}

// ---------------------------------------------------------------- the list of calls

/// `/candidatures`.
pub async fn index(
    State(etat): State<Etat>,
    c: Connecte,
    Query(suite): Query<Suite>,
) -> Result<Html<String>, ErreurWeb> {
    rendre_index(&etat, &c, suite.fait.as_deref(), None, &Erreurs::default())
        .await
        .map(Html)
}

async fn rendre_index(
    etat: &Etat,
    c: &Connecte,
    fait: Option<&str>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let appels = etat.plateforme.appels_candidatures(&c.acteur).await?;
    Ok(page_index(c, &appels, fait, saisie, x).into_string())
}

fn page_index(
    c: &Connecte,
    appels: &[Lu<AppelCandidatures>],
    fait: Option<&str>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Markup {
    let aujourd_hui = maintenant();
    let lignes: Vec<Vec<Markup>> = appels
        .iter()
        .map(|a| {
            let a = &a.valeur;
            vec![
                html! { a href={ "/candidatures/appels/" (a.id) } { (a.titre) } },
                html! { (a.vague) },
                html! { (fr::date(a.date_limite)) },
                html! {
                    @if a.ouvert(aujourd_hui) { (etiquette("ouvert", Ton::EnCours)) }
                    @else { (etiquette("clos", Ton::Neutre)) }
                },
            ]
        })
        .collect();
    let v = |nom| saisie.map_or("", |p| p.valeur(nom));
    let titre = "Appels à candidatures de l'expérimentation";
    vue::page(
        &x.titre(titre),
        Some(c),
        "/candidatures",
        html! {
            h1 { (titre) }
            p { "La Cnaf ouvre un appel pour une nouvelle vague de l'expérimentation de l'accompagnement individuel à la parentalité ; chaque Caf intéressée dépose sa fiche de candidature avant la date limite ; la Cnaf retient ou non chaque candidature, motif à l'appui (instruction Cnaf It 2023-131, § 6)." }
            p { a href="/instance-nationale" { "Instance nationale de l'expérimentation" } }
            (x.resume())
            @if let Some(m) = confirmation(fait) { (m) }
            (tableau("Appels à candidatures", &[colonne("Appel"), colonne("Vague"), colonne("Date limite"), colonne("État")], &lignes))
            @if c.acteur.role == Role::Cnaf {
                section id="ouvrir" aria-labelledby="titre-ouvrir" {
                    h2 id="titre-ouvrir" { "Ouvrir un appel à candidatures" }
                    form method="post" action="/candidatures" novalidate {
                        (champ_csrf(c))
                        (Champ::new("titre", "Intitulé").erreurs(x).requis().texte(v("titre")))
                        (Champ::new("vague", "Numéro de la vague").aide("La première vague est celle des dix départements de 2024–2025").erreurs(x).requis().clavier(Clavier::Numerique).texte(Some(v("vague")).filter(|t| !t.is_empty()).unwrap_or("2")))
                        (Champ::new("date_limite", "Date limite de dépôt").aide("Les candidatures sont reçues jusqu'à ce jour inclus").erreurs(x).requis().saisie("date", v("date_limite")))
                        (Champ::new("contenu_attendu", "Contenu attendu du dossier").erreurs(x).zone(Some(v("contenu_attendu")).filter(|t| !t.is_empty()).unwrap_or(CONTENU_ATTENDU)))
                        button type="submit" { "Ouvrir l'appel" }
                    }
                }
            }
        },
    )
}

/// What a call asks for by default: the content of the « fiche de candidature ».
const CONTENU_ATTENDU: &str = "Les motivations de la Caf ; ses partenaires locaux et les dynamiques locales du soutien à la parentalité ; les structures envisagées ; le référent parentalité nommé ; le nombre d'ETP estimé.";

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

/// Opens a call (the Cnaf).
pub async fn ouvrir(
    State(etat): State<Etat>,
    c: Connecte,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let mut x = Erreurs::default();
    let vague = p.valeur("vague").trim().parse::<u16>().ok();
    if vague.is_none() {
        x.ajouter("vague", "Numéro de la vague : un nombre, par exemple 2");
    }
    let date_limite = lire_date(
        &mut x,
        "date_limite",
        "Date limite",
        p.valeur("date_limite"),
    );
    let resultat = match (vague, date_limite) {
        (Some(vague), Some(date_limite)) => etat
            .plateforme
            .ouvrir_appel_candidatures(
                &c.acteur,
                SaisieAppel {
                    titre: p.valeur("titre").to_owned(),
                    vague,
                    date_limite,
                    contenu_attendu: p.valeur("contenu_attendu").to_owned(),
                },
                maintenant(),
            )
            .await
            .map_err(|e| Echec::app(e, &[], "titre")),
        _ => Err(Echec::Saisie(x)),
    };
    match resultat {
        Ok(lu) => Ok(Redirect::to(&format!(
            "/candidatures/appels/{}?fait=ouvert",
            lu.valeur.id
        ))
        .into_response()),
        Err(Echec::Page(w)) => Err(w),
        Err(Echec::Saisie(x)) => Ok((
            x.statut(),
            Html(rendre_index(&etat, &c, None, Some(&p), &x).await?),
        )
            .into_response()),
    }
}

// ---------------------------------------------------------------- one call

/// `/candidatures/appels/{id}`.
pub async fn page_appel(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Query(suite): Query<Suite>,
) -> Result<Html<String>, ErreurWeb> {
    rendre_appel(
        &etat,
        &c,
        id,
        suite.fait.as_deref(),
        None,
        &Erreurs::default(),
    )
    .await
    .map(Html)
}

async fn rendre_appel(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    fait: Option<&str>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let vue = etat
        .plateforme
        .appel_candidatures(&c.acteur, AppelCandidaturesId(id))
        .await?;
    Ok(page_appel_vue(c, &vue, fait, saisie, x).into_string())
}

fn page_appel_vue(
    c: &Connecte,
    v: &VueAppel,
    fait: Option<&str>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Markup {
    let a = &v.appel.valeur;
    let ouvert = a.ouvert(maintenant());
    let lignes: Vec<Vec<Markup>> = v
        .candidatures
        .iter()
        .map(|cand| {
            let cand = &cand.valeur;
            vec![
                html! { a href={ "/candidatures/" (cand.id) } { (nom_departement(cand.departement)) } },
                html! { (etat_candidature(cand.etat)) },
                html! { (cand.deposee_le.map(|d| fr::date(fr::heure_de_paris(d).date())).unwrap_or_default()) },
            ]
        })
        .collect();
    let mes_departements: Vec<CodeDepartement> = if c.acteur.role == Role::Caf {
        c.acteur
            .departements
            .iter()
            .copied()
            .filter(|d| !v.candidatures.iter().any(|x| x.valeur.departement == *d))
            .collect()
    } else {
        Vec::new()
    };
    vue::page(
        &x.titre(&a.titre),
        Some(c),
        "/candidatures",
        html! {
            p { a href="/candidatures" { "← Appels à candidatures" } }
            h1 { (a.titre) " " @if ouvert { (etiquette("ouvert", Ton::EnCours)) } @else { (etiquette("clos", Ton::Neutre)) } }
            (x.resume())
            @if let Some(m) = confirmation(fait) { (m) }
            dl {
                dt { "Vague" } dd { (a.vague) }
                dt { "Date limite de dépôt" } dd { (fr::date(a.date_limite)) " inclus" }
                @if !a.contenu_attendu.is_empty() {
                    dt { "Contenu attendu du dossier" } dd { (a.contenu_attendu) }
                }
            }
            (tableau(if c.acteur.role == Role::Cnaf { "Candidatures reçues" } else { "Candidatures de votre Caf" }, &[colonne("Caf"), colonne("État"), colonne("Déposée le")], &lignes))
            @if !v.retenus.is_empty() {
                section aria-labelledby="titre-retenus" {
                    h2 id="titre-retenus" { "Départements retenus pour la vague " (a.vague) }
                    ul {
                        @for r in &v.retenus {
                            @let nom = CodeDepartement::parse(&r.departement).map_or(r.departement.clone(), nom_departement);
                            li { (nom) " (" (r.departement) "), retenue le " (date_iso(&r.retenue_le)) }
                        }
                    }
                }
            }
            @for d in &mes_departements {
                @if ouvert {
                    (formulaire_dossier(c, a.id, *d, None, saisie, x))
                } @else {
                    p { "La date limite est passée : la " (nom_departement(*d)) " ne peut plus déposer de candidature à cet appel." }
                }
            }
        },
    )
}

/// The file's form, for a new candidacy or a draft (`existante`: its id and version).
fn formulaire_dossier(
    c: &Connecte,
    appel: AppelCandidaturesId,
    departement: CodeDepartement,
    existante: Option<&Lu<Candidature>>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Markup {
    let dossier = existante.map(|e| &e.valeur.dossier);
    let v = |nom: &str, actuel: Option<&String>| -> String {
        match saisie {
            Some(p) => p.valeur(nom).to_owned(),
            None => actuel.cloned().unwrap_or_default(),
        }
    };
    let etp = match saisie {
        Some(p) => p.valeur("etp").to_owned(),
        None => dossier
            .and_then(|d| d.etp)
            .map(|e| e.to_string())
            .unwrap_or_default(),
    };
    html! {
        section id="dossier" aria-labelledby="titre-dossier" {
            h2 id="titre-dossier" { "Fiche de candidature de la " (nom_departement(departement)) }
            p.aide { "Enregistrez un brouillon à tout moment ; déposez la candidature une fois chaque champ complété, au plus tard à la date limite." }
            form method="post" action={ "/candidatures/appels/" (appel) "/candidature" } novalidate {
                (champ_csrf(c))
                input type="hidden" name="departement" value=(departement.as_str());
                @if let Some(e) = existante { input type="hidden" name="version" value=(e.version); }
                (Champ::new("motivations", "Motivations de la Caf").erreurs(x).requis().zone(&v("motivations", dossier.map(|d| &d.motivations))))
                (Champ::new("partenaires", "Partenaires locaux").erreurs(x).requis().zone(&v("partenaires", dossier.map(|d| &d.partenaires))))
                (Champ::new("dynamiques", "Dynamiques locales du soutien à la parentalité").erreurs(x).requis().zone(&v("dynamiques", dossier.map(|d| &d.dynamiques))))
                (Champ::new("structures", "Structures envisagées").aide("Lieux d'accueil enfants-parents, centres sociaux, maisons des familles…").erreurs(x).requis().zone(&v("structures", dossier.map(|d| &d.structures))))
                (Champ::new("referent_nom", "Référent parentalité nommé").erreurs(x).requis().texte(&v("referent_nom", dossier.map(|d| &d.referent_nom))))
                (Champ::new("referent_email", "Adresse électronique du référent").erreurs(x).requis().saisie("email", &v("referent_email", dossier.map(|d| &d.referent_email))))
                (Champ::new("etp", "ETP estimés").aide("Équivalents temps plein des intervenants, par exemple 1,5").erreurs(x).requis().clavier(Clavier::Decimal).texte(&etp))
                div.actions {
                    button type="submit" name="action" value="enregistrer" class="secondaire" { "Enregistrer le brouillon" }
                    " "
                    button type="submit" name="action" value="deposer" { "Déposer la candidature" }
                }
            }
        }
    }
}

fn lire_dossier(p: &Paires) -> Result<DossierCandidature, Erreurs> {
    let etp = match p.valeur("etp").trim() {
        "" => None,
        t => match Etp::parse(t) {
            Ok(e) => Some(e),
            Err(e) => return Err(Erreurs::une("etp", format!("ETP estimés : {e}"))),
        },
    };
    Ok(DossierCandidature {
        motivations: p.valeur("motivations").to_owned(),
        partenaires: p.valeur("partenaires").to_owned(),
        dynamiques: p.valeur("dynamiques").to_owned(),
        structures: p.valeur("structures").to_owned(),
        referent_nom: p.valeur("referent_nom").to_owned(),
        referent_email: p.valeur("referent_email").trim().to_owned(),
        etp,
    })
}

/// Saves the draft of the Caf's candidacy and, when asked, submits it (a Caf agent).
pub async fn enregistrer(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let departement = CodeDepartement::parse(p.valeur("departement").trim())
        .map_err(|_| ErreurWeb::Introuvable)?;
    let version = p.valeur("version").trim().parse::<i64>().ok();
    let deposer = p.valeur("action") == "deposer";
    let quand = maintenant();
    let resultat = match lire_dossier(&p) {
        Err(x) => Err(Echec::Saisie(x)),
        Ok(dossier) => {
            let plateforme = &etat.plateforme;
            match plateforme
                .rediger_candidature(
                    &c.acteur,
                    AppelCandidaturesId(id),
                    departement,
                    dossier,
                    version,
                    quand,
                )
                .await
            {
                Ok(lu) if deposer => plateforme
                    .deposer_candidature(&c.acteur, lu.valeur.id, None, quand)
                    .await
                    .map(|d| (d, "deposee")),
                Ok(lu) => Ok((lu, "enregistree")),
                Err(e) => Err(e),
            }
            .map_err(|e| Echec::app(e, &[("date limite", "motivations")], "motivations"))
        }
    };
    match resultat {
        Ok((lu, fait)) => Ok(
            Redirect::to(&format!("/candidatures/{}?fait={fait}", lu.valeur.id)).into_response(),
        ),
        Err(Echec::Page(w)) => Err(w),
        Err(Echec::Saisie(x)) => {
            // The draft may have been saved before its submission was refused: show it.
            let vue = etat
                .plateforme
                .appel_candidatures(&c.acteur, AppelCandidaturesId(id))
                .await?;
            let existante = vue
                .candidatures
                .iter()
                .find(|x| x.valeur.departement == departement);
            let page = match existante {
                Some(e) => page_candidature(&c, &vue.appel, e, None, Some(&p), &x),
                None => page_appel_vue(&c, &vue, None, Some(&p), &x),
            };
            Ok((x.statut(), Html(page.into_string())).into_response())
        }
    }
}

// ---------------------------------------------------------------- one candidacy

/// `/candidatures/{id}`.
pub async fn page(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Query(suite): Query<Suite>,
) -> Result<Html<String>, ErreurWeb> {
    let (appel, candidature) = etat
        .plateforme
        .candidature(&c.acteur, CandidatureId(id))
        .await?;
    Ok(Html(
        page_candidature(
            &c,
            &appel,
            &candidature,
            suite.fait.as_deref(),
            None,
            &Erreurs::default(),
        )
        .into_string(),
    ))
}

fn page_candidature(
    c: &Connecte,
    appel: &Lu<AppelCandidatures>,
    lu: &Lu<Candidature>,
    fait: Option<&str>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Markup {
    let cand = &lu.valeur;
    let d = &cand.dossier;
    let titre = format!("Candidature de la {}", nom_departement(cand.departement));
    let redigeable = cand.etat == EtatCandidature::Brouillon
        && c.acteur.role == Role::Caf
        && appel.valeur.ouvert(maintenant());
    vue::page(
        &x.titre(&titre),
        Some(c),
        "/candidatures",
        html! {
            p { a href={ "/candidatures/appels/" (appel.valeur.id) } { "← " (appel.valeur.titre) } }
            h1 { (titre) " " (etat_candidature(cand.etat)) }
            (x.resume())
            @if let Some(m) = confirmation(fait) { (m) }
            @if let Some(dec) = &cand.decision {
                section id="decision" aria-labelledby="titre-decision" {
                    h2 id="titre-decision" { "Décision de la Cnaf" }
                    div class={ "encadre " (if dec.retenue { "succes" } else { "alerte" }) } {
                        p { strong { @if dec.retenue { "Candidature retenue pour la vague " (appel.valeur.vague) "." } @else { "Candidature non retenue." } } }
                        p { "Motif : " (dec.motif) }
                        p { "Décidée le " (fr::date(fr::heure_de_paris(dec.le).date())) "." }
                    }
                }
            }
            @if redigeable {
                (formulaire_dossier(c, appel.valeur.id, cand.departement, Some(lu), saisie, x))
            } @else {
                section aria-labelledby="titre-fiche" {
                    h2 id="titre-fiche" { "Fiche de candidature" }
                    dl {
                        dt { "Motivations" } dd { (d.motivations) }
                        dt { "Partenaires locaux" } dd { (d.partenaires) }
                        dt { "Dynamiques locales" } dd { (d.dynamiques) }
                        dt { "Structures envisagées" } dd { (d.structures) }
                        dt { "Référent parentalité" } dd { (d.referent_nom) " (" (d.referent_email) ")" }
                        dt { "ETP estimés" } dd { (d.etp.map(|e| e.to_string()).unwrap_or_default()) }
                        @if let Some(le) = cand.deposee_le {
                            dt { "Déposée le" } dd { (fr::date(fr::heure_de_paris(le).date())) }
                        }
                    }
                }
            }
            @if c.acteur.role == Role::Cnaf && cand.etat == EtatCandidature::Deposee {
                section id="decider" aria-labelledby="titre-decider" {
                    h2 id="titre-decider" { "Décider" }
                    form method="post" action={ "/candidatures/" (cand.id) "/decision" } novalidate {
                        (champ_csrf(c))
                        input type="hidden" name="version" value=(lu.version);
                        (Champ::new("motif", "Motif de la décision").aide("Obligatoire : la Caf le lit avec la décision").erreurs(x).requis().zone(saisie.map_or("", |p| p.valeur("motif"))))
                        div.actions {
                            button type="submit" name="decision" value="retenir" { "Retenir la candidature" }
                            " "
                            button type="submit" name="decision" value="ecarter" class="secondaire" { "Ne pas retenir" }
                        }
                    }
                }
            }
        },
    )
}

/// The Cnaf's decision with its reason.
pub async fn decider(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    c.verifier_csrf(Some(p.valeur("_csrf")))?;
    let retenue = match p.valeur("decision") {
        "retenir" => true,
        "ecarter" => false,
        _ => return Err(ErreurWeb::Refus("décision inconnue".to_owned())),
    };
    let version = p.valeur("version").trim().parse::<i64>().ok();
    let resultat = etat
        .plateforme
        .decider_candidature(
            &c.acteur,
            CandidatureId(id),
            retenue,
            p.valeur("motif"),
            version,
            maintenant(),
        )
        .await;
    match resultat {
        Ok(_) => {
            Ok(Redirect::to(&format!("/candidatures/{id}?fait=decidee#decision")).into_response())
        }
        Err(e) => match Echec::app(e, &[], "motif") {
            Echec::Page(w) => Err(w),
            Echec::Saisie(x) => {
                let (appel, candidature) = etat
                    .plateforme
                    .candidature(&c.acteur, CandidatureId(id))
                    .await?;
                Ok((
                    x.statut(),
                    Html(
                        page_candidature(&c, &appel, &candidature, None, Some(&p), &x)
                            .into_string(),
                    ),
                )
                    .into_response())
            }
        },
    }
}
