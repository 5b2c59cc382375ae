//! Dossiers: the list a user may see, filtered by state with counts, and one dossier with its
//! project, its history and the actions its reader may take now (each checked again by the
//! domain when submitted).

mod plan_financement;

use std::collections::BTreeMap;

use app::ActionDossier;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
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
use crate::formulaire::{Champ, Echec, Erreurs, date_fr, horodatage_fr};
use crate::pages::filtres_dossiers::{Filtres, selectionner};
use crate::rendu::{Entete, csrf, e, page, tableau, tableau_entetes};
use crate::session::Connecte;

/// The headings of the dossier list, each a link that sorts the list by its column (again: in
/// the reverse order), keeping the filters; the sorted column says how (`aria-sort`).
fn entetes_triables(f: &Filtres, etat: Option<&str>) -> Vec<Entete> {
    let (colonne_triee, inverse) = f.tri();
    [
        ("numero", "Dossier", false),
        ("projet", "Projet", false),
        ("commune", "Commune", false),
        ("departement", "Département", false),
        ("etat", "État", false),
        ("etp", "ETP demandés", true),
        ("non_lus", "Messages non lus", true),
    ]
    .iter()
    .map(|(colonne, libelle, nombre)| {
        let triee = *colonne == colonne_triee;
        // Numbers are first sorted from the largest.
        let prochain_inverse = if triee { !inverse } else { *nombre };
        let (fleche, sens) = match (triee, inverse) {
            (false, _) => ("", "Trier par cette colonne"),
            (true, false) => (" ▲", "trié par ordre croissant ; trier par ordre décroissant"),
            (true, true) => (" ▼", "trié par ordre décroissant ; trier par ordre croissant"),
        };
        Entete {
            html: format!(
                "<a id=\"tri-{colonne}\" href=\"/dossiers{}\" hx-boost=\"true\" hx-target=\"#resultats\" \
                 hx-select=\"#resultats\" hx-swap=\"outerHTML\" title=\"{sens}\">{}<span aria-hidden=\"true\">{fleche}</span></a>",
                e(&f.requete_triee(etat, colonne, prochain_inverse)),
                e(libelle)
            ),
            nombre: *nombre,
            tri: triee.then_some(if inverse { "descending" } else { "ascending" }),
        }
    })
    .collect()
}

/// The list of dossiers. A request made by the page's own script (`HX-Request`) gets the same
/// page, and the clean address of the filters to show in the browser's address bar.
pub async fn liste(
    State(etat): State<Etat>,
    c: Connecte,
    entetes: HeaderMap,
    Query(f): Query<Filtres>,
) -> Result<Response, ErreurWeb> {
    let p = &etat.plateforme;
    let s = selectionner(&etat, &c, &f).await?;
    let appels = p.appels(&c.acteur).await?;
    let mut comptes: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &s.dossiers {
        *comptes.entry(d.valeur.etat.code()).or_default() += 1;
    }
    let choisi = f.etat();
    let filtres: String = std::iter::once((
        None,
        format!("Tous ({})", s.dossiers.len()),
        choisi.is_none(),
    ))
    // The states that have dossiers, and the one chosen even when it has none.
    .chain(EtatDossier::TOUS.iter().filter_map(|etat| {
        let actif = choisi == Some(etat.code());
        let n = comptes.get(etat.code()).copied();
        (n.is_some() || actif).then(|| {
            (
                Some(etat.code()),
                format!("{} ({})", etat.libelle(), n.unwrap_or(0)),
                actif,
            )
        })
    }))
    .map(|(code, libelle, actif)| {
        let courant = if actif { " aria-current=\"true\"" } else { "" };
        format!(
            "<li><a id=\"etat-{}\" href=\"/dossiers{}\"{courant}>{}</a></li>",
            code.unwrap_or("tous"),
            e(&f.requete(code)),
            e(&libelle)
        )
    })
    .collect();
    let selection = s.dans_l_etat(&f);
    let lignes: Vec<Vec<String>> = selection
        .iter()
        .map(|d| {
            let d = &d.valeur;
            vec![
                format!("<a href=\"/dossiers/{}\">n°{}</a>", d.id, d.id),
                e(&d.projet.intitule),
                e(&s.commune_du_dossier(d)),
                e(d.departement.as_str()),
                format!("<span class=\"etiquette\">{}</span>", e(d.etat.libelle())),
                e(&d.projet.etp_demandes.to_string()),
                s.non_lus
                    .get(&d.id)
                    .map_or(String::new(), |n| n.to_string()),
            ]
        })
        .collect();
    // The comité's agenda: what validating every presented AIP project would commit, against
    // what remains of each Caf's AIP allocation: at most the rate × the ceiling price per FTE
    // and year (Référentiel national de financement de l'AIP §VI.1), read from the parameters
    // of the exercise the project starts in. Other schemes are decided by amount, not by FTE:
    // they are counted apart, never valued at the AIP's rate.
    let ordre_du_jour = if choisi == Some("presente_en_comite") {
        let situations = p.situations(&c.acteur).await?;
        let mut par_departement: BTreeMap<String, (u32, usize, i64)> = BTreeMap::new();
        let mut autres_dispositifs = 0usize;
        // The other schemes, valued at the amount their financing plan asks of the Caf.
        let mut demandes_autres: BTreeMap<String, (usize, i64)> = BTreeMap::new();
        for d in &selection {
            let d = &d.valeur;
            if !d.dispositif.regles().experimentation_aip {
                autres_dispositifs += 1;
                let x = demandes_autres
                    .entry(d.departement.to_string())
                    .or_default();
                x.0 += 1;
                x.1 += d
                    .projet
                    .montant_demande(domain::structures::Cofinanceur::Caf)
                    .map_or(0, |m| m.centimes());
                continue;
            }
            let maximum = d
                .projet
                .debut
                .and_then(|debut| {
                    referentiel::aip::ParametresAip::pour_exercice(&p.parametres, debut.year()).ok()
                })
                .and_then(|prm| {
                    let etp = referentiel::exact::Decimal::new(
                        i128::from(d.projet.etp_demandes.dix_milliemes()),
                        4,
                    )
                    .ok()?;
                    let montant = etp
                        .ratio()
                        .mul(prm.prix_plafond.valeur.valeur.ratio())
                        .ok()?
                        .mul(prm.taux_subvention.valeur.valeur.ratio())
                        .ok()?
                        .arrondi(2)
                        .ok()?;
                    i64::try_from(montant).ok()
                })
                .unwrap_or(0);
            let x = par_departement
                .entry(d.departement.to_string())
                .or_default();
            x.0 += d.projet.etp_demandes.dix_milliemes();
            x.1 += 1;
            x.2 += maximum;
        }
        let lignes: Vec<Vec<String>> = par_departement
            .iter()
            .map(|(dep, (etp, n, impact))| {
                let impact = *impact;
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
        let autres = match autres_dispositifs {
            0 => String::new(),
            n => format!(
                "<p class=\"aide\">{n} projet(s) d'autres dispositifs, décidés par montant et non par ETP, ne sont pas comptés dans l'enveloppe de l'expérimentation AIP.</p>{}",
                tableau(
                    "Projets des autres dispositifs présentés, au montant demandé à la Caf",
                    &[
                        ("Département", false),
                        ("Projets", true),
                        ("Montant demandé à la Caf", true)
                    ],
                    &demandes_autres
                        .iter()
                        .map(|(dep, (n, montant))| vec![
                            e(dep),
                            n.to_string(),
                            crate::rendu::euros(*montant)
                        ])
                        .collect::<Vec<_>>()
                )
            ),
        };
        format!(
            "<h2>Ordre du jour du comité des financeurs</h2>{}{autres}",
            tableau(
                "Impact des projets AIP présentés sur l'enveloppe (au plus le taux × le prix plafond par ETP et par an)",
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
    let appel_choisi = f.appel();
    let options_appels: String =
        std::iter::once("<option value=\"\">Tous les appels</option>".to_owned())
            .chain(appels.iter().map(|a| {
                let choisi = if appel_choisi == Some(a.valeur.id.0) {
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
    let eligibilite_choisie = f.eligibilite();
    let options_eligibilite: String = [
        ("", "Toutes"),
        ("eligible", "Statut et activité éligibles"),
        ("non_eligible", "Statut ou activité non éligible"),
    ]
    .iter()
    .map(|(v, l)| {
        format!(
            "<option value=\"{v}\"{}>{l}</option>",
            if eligibilite_choisie == Some(*v) || (v.is_empty() && eligibilite_choisie.is_none()) {
                " selected"
            } else {
                ""
            }
        )
    })
    .collect();
    // With the page's script, the form and the state links replace the results alone
    // (`#resultats`); the chosen state (kept in the form) and the announcement of the number of
    // dossiers found are updated beside them. Without it, they load the page.
    let mise_a_jour = "hx-get=\"/dossiers\" hx-target=\"#resultats\" hx-select=\"#resultats\" \
                       hx-swap=\"outerHTML\" hx-push-url=\"true\"";
    let recherche = format!(
        "<form method=\"get\" action=\"/dossiers\" class=\"grille\" role=\"search\" aria-label=\"Filtrer les dossiers\" {mise_a_jour} \
         hx-trigger=\"submit, change from:select, change from:#non_lus\">\
         <input type=\"hidden\" id=\"filtre-etat\" name=\"etat\" value=\"{}\" hx-swap-oob=\"true\">\
         <input type=\"hidden\" id=\"filtre-tri\" name=\"tri\" value=\"{}\" hx-swap-oob=\"true\">\
         <div class=\"champ pleine-largeur\"><label for=\"q\">Rechercher<span class=\"aide\">N° de dossier, mots de l'intitulé ou du nom de la structure, SIRET</span></label>\
         <input type=\"search\" id=\"q\" name=\"q\" value=\"{}\"></div>\
         <div class=\"champ\"><label for=\"appel\">Appel à projets</label><select id=\"appel\" name=\"appel\">{options_appels}</select></div>\
         <div class=\"champ\"><label for=\"commune\">Commune du porteur</label><input type=\"text\" id=\"commune\" name=\"commune\" value=\"{}\"></div>\
         <div class=\"champ\"><label for=\"eligibilite\">Éligibilité</label><select id=\"eligibilite\" name=\"eligibilite\">{options_eligibilite}</select></div>\
         {}\
         <div class=\"champ\"><button type=\"submit\">Filtrer</button></div></form>",
        choisi.unwrap_or_default(),
        match f.tri() {
            ("numero", false) => String::new(),
            (colonne, inverse) => format!("{}{colonne}", if inverse { "-" } else { "" }),
        },
        e(f.recherche().unwrap_or_default()),
        e(f.commune().unwrap_or_default()),
        Champ::new("non_lus", "Avec des messages non lus").case(f.non_lus()),
    );
    let nouveau = if c.acteur.role == Role::Gestionnaire {
        "<p><a class=\"bouton\" href=\"/dossiers/nouveau\">Nouveau projet</a></p>"
    } else {
        ""
    };
    let requete = e(&f.requete(choisi));
    let exports = format!(
        "<p class=\"actions\"><a class=\"bouton secondaire\" href=\"/exports/dossiers.csv{requete}\">Exporter la liste (CSV)</a>\
         <a class=\"bouton secondaire\" href=\"/exports/dossiers.xlsx{requete}\">Exporter la liste (XLSX)</a></p>"
    );
    let trouves = format!(
        "{} dossier{} trouvé{}",
        lignes.len(),
        if lignes.len() > 1 { "s" } else { "" },
        if lignes.len() > 1 { "s" } else { "" }
    );
    let html = page(
        "Dossiers",
        Some(&c),
        "/dossiers",
        &format!(
            "<h1>Dossiers</h1>{nouveau}{recherche}\
             <p id=\"annonce-resultats\" class=\"sr-only\" role=\"status\" hx-swap-oob=\"innerHTML\">{trouves}</p>\
             <div id=\"resultats\"><nav aria-label=\"Filtrer par état\" hx-boost=\"true\" hx-target=\"#resultats\" hx-select=\"#resultats\" hx-swap=\"outerHTML\"><ul class=\"actions\">{filtres}</ul></nav>\
             {ordre_du_jour}{exports}{}</div>",
            tableau_entetes(
                &format!("{} dossier(s)", lignes.len()),
                &entetes_triables(&f, choisi),
                &lignes
            )
        ),
    );
    let mut reponse = Html(html).into_response();
    if entetes.contains_key("hx-request")
        && let Ok(adresse) = format!("/dossiers{}", f.requete(choisi)).parse()
    {
        reponse.headers_mut().insert("hx-push-url", adresse);
    }
    Ok(reponse)
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
        "<form method=\"post\" action=\"/dossiers/{}/action\" novalidate><fieldset><legend>{}</legend>{}\
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

/// What was typed in the forms of the dossier page, kept when one of them is refused.
#[derive(Debug, Default, Clone, Copy)]
struct Saisies<'a> {
    action: Option<&'a Action>,
    projet: Option<&'a ProjetSaisi>,
    message: Option<&'a NouveauMessage>,
    /// The page is shown just after a message was sent (`?message=envoye`).
    message_envoye: bool,
}

impl<'a> Saisies<'a> {
    /// The value typed in the field `champ` of the form of `action`, else `defaut`.
    fn valeur(
        &self,
        action: &str,
        champ: fn(&Action) -> &Option<String>,
        defaut: &'a str,
    ) -> String {
        match self.action {
            Some(a) if a.action == action => champ(a).clone().unwrap_or_default(),
            _ => defaut.to_owned(),
        }
    }
}

/// The forms of the actions the user may take on the dossier; `champ_derogation` is the override
/// field of the AIP commitments added to the decision form (empty when none is needed).
fn actions(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: Saisies,
    x: &Erreurs,
    champ_derogation: &str,
) -> String {
    use EtatDossier::*;
    let mut f = Vec::new();
    let debut_projet = d.projet.debut.map_or(String::new(), |x| x.to_string());
    let fin_projet = d.projet.fin.map_or(String::new(), |x| x.to_string());
    match (c.acteur.role, d.etat) {
        (Role::Gestionnaire, Brouillon | ComplementDemande) => {
            let depuis = ProjetSaisi::depuis(&d.projet);
            f.push(formulaire_projet(
                c,
                d,
                version,
                s.projet.unwrap_or(&depuis),
                x,
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
                &Champ::new("date_comite", "Date du comité")
                    .id("presenter-date_comite")
                    .erreurs(x)
                    .extra(" required")
                    .saisie("date", &s.valeur("presenter", |a| &a.date_comite, "")),
                false,
            ));
            f.push(formulaire(
                c,
                d,
                version,
                "complement",
                "Demander un complément",
                &format!(
                    "{}{}",
                    Champ::new("motif", "Information demandée au porteur")
                        .id("complement-motif")
                        .erreurs(x)
                        .extra(" required")
                        .zone(&s.valeur("complement", |a| &a.motif, "")),
                    crate::pages::pieces::cases_pieces_demandees()
                ),
                true,
            ));
        }
        (Role::Caf, PresenteEnComite) if d.dispositif.decide_par_montant() => {
            f.push(plan_financement::formulaire_decision(c, d, version, s, x));
        }
        (Role::Caf, PresenteEnComite) => {
            let etp = d.projet.etp_demandes.to_string();
            let effet = d
                .projet
                .debut
                .map_or("2024-03-01".to_owned(), |x| x.to_string());
            let champs = format!(
                "{}{}{}{}{}",
                Champ::new("issue", "Décision du comité")
                    .id("decider-issue")
                    .erreurs(x)
                    .liste(
                        &[
                            ("valide", "Validé"),
                            ("refuse", "Refusé"),
                            ("ajourne", "Ajourné")
                        ],
                        &s.valeur("decider", |a| &a.issue, "valide")
                    ),
                Champ::new("etp_notifies", "ETP notifiés (si validé)")
                    .id("decider-etp_notifies")
                    .erreurs(x)
                    .extra(" inputmode=\"decimal\"")
                    .texte(&s.valeur("decider", |a| &a.etp_notifies, &etp)),
                Champ::new("date_effet", "À compter du")
                    .id("decider-date_effet")
                    .erreurs(x)
                    .saisie("date", &s.valeur("decider", |a| &a.date_effet, &effet)),
                Champ::new("montant_caf", "Part de la Caf (€)")
                    .id("decider-montant_caf")
                    .erreurs(x)
                    .extra(" inputmode=\"decimal\"")
                    .texte(&s.valeur("decider", |a| &a.montant_caf, "")),
                Champ::new("motivation", "Motivation")
                    .id("decider-motivation")
                    .erreurs(x)
                    .zone(&s.valeur("decider", |a| &a.motivation, "")),
            ) + champ_derogation;
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
            let numero = format!("COF-{}-{}", d.departement, d.id);
            let debut = if debut_projet.is_empty() {
                "2024-03-01"
            } else {
                &debut_projet
            };
            let fin = if fin_projet.is_empty() {
                "2025-12-31"
            } else {
                &fin_projet
            };
            let echeancier = if d.dispositif.regles().financement
                == domain::dispositifs::ModeFinancement::SubventionEcheancier
            {
                plan_financement::champs_echeancier(s, x, debut)
            } else {
                String::new()
            };
            let champs = format!(
                "{}{}{}{echeancier}",
                Champ::new("numero", "Numéro de la convention")
                    .id("convention-numero")
                    .erreurs(x)
                    .texte(&s.valeur("convention", |a| &a.numero, &numero)),
                Champ::new("debut", "Début")
                    .id("convention-debut")
                    .erreurs(x)
                    .saisie("date", &s.valeur("convention", |a| &a.debut, debut)),
                Champ::new("fin", "Fin")
                    .id("convention-fin")
                    .erreurs(x)
                    .saisie("date", &s.valeur("convention", |a| &a.fin, fin)),
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
            &Champ::new("motif", "Motif")
                .id("sans_suite-motif")
                .erreurs(x)
                .extra(" required")
                .zone(&s.valeur("sans_suite", |a| &a.motif, "")),
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
            &Champ::new("motif", "Motif du retrait")
                .id("retirer-motif")
                .aide("Facultatif")
                .erreurs(x)
                .zone(&s.valeur("retirer", |a| &a.motif, "")),
            true,
        ));
    }
    if f.is_empty() {
        String::new()
    } else {
        format!("<h2>Actions</h2>{}", f.join(""))
    }
}

/// What the address of a dossier page may add: `message=envoye` after a message was sent.
#[derive(Debug, Deserialize, Default)]
pub struct SuiteFiche {
    message: Option<String>,
}

pub async fn fiche(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Query(suite): Query<SuiteFiche>,
) -> Result<Html<String>, ErreurWeb> {
    let s = Saisies {
        message_envoye: suite.message.as_deref() == Some("envoye"),
        ..Saisies::default()
    };
    Ok(Html(
        rendre_fiche(&etat, &c, id, s, &Erreurs::default()).await?,
    ))
}

/// The dossier page; when a form was refused, the errors summed up at the top and each next to
/// its field, and what was typed kept.
async fn rendre_fiche(
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
                            format!("accordé, {}", crate::rendu::euros(part.montant.centimes()))
                        }
                        AvisFinanceur::Refuse => "refusé".to_owned(),
                    };
                    format!("<li>{}: {} {}</li>", e(&qui), avis, e(&part.motivation))
                })
                .collect();
            format!(
                "<li>Comité du {}: <strong>{}</strong>{} – {}{}</li>",
                date_fr(x.date_comite),
                e(x.issue.libelle()),
                x.notification.map_or(String::new(), |n| format!(
                    ", {} ETP notifiés à compter du {}",
                    n.etp,
                    date_fr(n.date_effet)
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
                Champ::new("avis", "Avis").id("part-avis").erreurs(x).liste(
                    &[("accorde", "Accordé"), ("refuse", "Refusé")],
                    &s.valeur("part", |a| &a.avis, "accorde")
                ),
                Champ::new("montant_part", "Montant accordé (€)")
                    .id("part-montant_part")
                    .erreurs(x)
                    .extra(" inputmode=\"decimal\"")
                    .texte(&s.valeur("part", |a| &a.montant_part, "0")),
                Champ::new("motivation", "Motivation")
                    .id("part-motivation")
                    .erreurs(x)
                    .zone(&s.valeur("part", |a| &a.motivation, "")),
            )
        }
        _ => String::new(),
    };
    let fil_lu = p.ouvrir_fil(&c.acteur, d.id).await?;
    let fil: String = fil_lu
        .messages
        .iter()
        .map(|m| {
            format!(
                "<li{}><p>{}<strong>{}</strong> <span class=\"aide\">({}, {}){}</span></p><p>{}</p></li>",
                if m.prive { " class=\"encadre alerte\"" } else { "" },
                if fil_lu.nouveaux.contains(&m.id) {
                    "<span class=\"badge\">Nouveau</span> "
                } else {
                    ""
                },
                e(&m.auteur),
                e(Role::depuis_code(&m.role).map_or(m.role.as_str(), |r| r.libelle())),
                e(&horodatage_fr(&m.cree_le)),
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
            Champ::new(
                "prive",
                "Annotation privée (visible des seuls agents de la Caf)",
            )
            .case(s.message.is_some_and(|m| m.prive.is_some()))
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
                .extra(" required")
                .zone(
                    s.message
                        .and_then(|m| m.texte.as_deref())
                        .unwrap_or_default()
                ),
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
         {confirmation}{}{formulaire_message}</section>",
        e(&annonce),
        if fil.is_empty() {
            "<p>Aucun message.</p>".to_owned()
        } else {
            format!("<ol class=\"fil\">{fil}</ol>")
        }
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
    };
    let derogation_utilisee = d
        .derogation_engagements
        .as_ref()
        .map_or(String::new(), |derogation| {
            format!(
                "<div class=\"encadre alerte\"><h2>Dérogation aux engagements (AIP)</h2>\
                 <p>Le comité a validé le projet (décision enregistrée le {}) sans que la Caf ait contrôlé conformes ces engagements de la structure :</p><ul>{}</ul>\
                 <p><strong>Motif de la dérogation :</strong> {}</p></div>",
                date_fr(derogation.le.date()),
                derogation
                    .engagements
                    .iter()
                    .map(|m| format!("<li>{}</li>", e(m)))
                    .collect::<String>(),
                e(&derogation.motif)
            )
        });
    // ── end of the AIP commitments ─────────────────────────────────────────────────────────────
    let bloc_actions = format!(
        "{derogation_utilisee}{eligibilite}{}",
        actions(&c, d, lu.version, s, x, &champ_derogation)
    );
    // Pièces justificatives: what is expected and joined, and the upload form (pages/pieces.rs).
    let bloc_actions = format!(
        "{bloc_actions}{}",
        crate::pages::pieces::section(
            p,
            &c,
            domain::pieces::ObjetPiece::Dossier(d.id),
            &Erreurs::default(),
            None
        )
        .await?
    );
    let resume = if x.est_vide() {
        String::new()
    } else {
        format!("<div id=\"refus\">{}</div>", x.resume())
    };
    // The financing plan beside the decided shares, before the decisions.
    let plan = plan_financement::section(p, d, &decisions).await?;
    let contenu = format!(
        "<h1>Dossier n°{} – {}</h1>{resume}<p><span class=\"etiquette\">{}</span></p>{}\
         <h2>Porteur</h2><dl class=\"fiche\"><dt>Gestionnaire</dt><dd>{}</dd><dt>SIRET</dt><dd>{}</dd><dt>Département</dt><dd>{}</dd></dl>\
         <h2>Projet de fonctionnement</h2><dl class=\"fiche\">\
         <dt>Objectifs</dt><dd>{}</dd><dt>Moyens</dt><dd>{}</dd><dt>ETP demandés</dt><dd>{}</dd>\
         <dt>Évaluation</dt><dd>{}</dd><dt>Diagnostic local</dt><dd>{}</dd><dt>Partenaires</dt><dd>{}</dd>\
         <dt>Information des familles</dt><dd>{}</dd></dl>\
         {plan}{}{}{}",
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
        &x.titre(&format!("Dossier n°{}", d.id)),
        Some(&c),
        "/dossiers",
        &contenu,
    ))
}

/// A refused form: the dossier page again, with the errors and what was typed.
async fn refuser(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    s: Saisies<'_>,
    echec: Echec,
) -> Result<Response, ErreurWeb> {
    match echec {
        Echec::Page(w) => Err(w),
        Echec::Saisie(x) => {
            Ok((x.statut(), Html(rendre_fiche(etat, c, id, s, &x).await?)).into_response())
        }
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
    derogation_engagements: Option<String>,
    /// Instalments of the convention (`plan_financement::champs_echeancier`).
    mode_echeancier: Option<String>,
    versement_date_1: Option<String>,
    versement_valeur_1: Option<String>,
    versement_date_2: Option<String>,
    versement_valeur_2: Option<String>,
    versement_date_3: Option<String>,
    versement_valeur_3: Option<String>,
    versement_date_4: Option<String>,
    versement_valeur_4: Option<String>,
    /// The other fields: the piece types ticked in a request for information (`piece_<code>`).
    #[serde(flatten)]
    autres: std::collections::HashMap<String, String>,
}

/// A date typed in the field `id`, labelled `libelle`.
fn date(id: &str, libelle: &str, t: Option<&str>) -> Result<Date, Echec> {
    let t = t.unwrap_or_default().trim();
    Date::parse(t, format_description!("[year]-[month]-[day]")).map_err(|_| {
        Echec::champ(
            id,
            if t.is_empty() {
                format!("{libelle} : saisissez une date")
            } else {
                format!("{libelle} : « {t} » n'est pas une date valide (jj/mm/aaaa)")
            },
        )
    })
}

pub async fn agir(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<Action>,
) -> Result<Response, ErreurWeb> {
    match executer_action(&etat, &c, id, &f).await {
        Ok(r) => Ok(r),
        Err(echec) => {
            let s = Saisies {
                action: Some(&f),
                ..Saisies::default()
            };
            refuser(&etat, &c, id, s, echec).await
        }
    }
}

/// Where the refusals of each action go: the words of the reason, and the field.
fn champs_action(action: &str) -> Vec<(&'static str, &'static str)> {
    match action {
        "presenter" => vec![("date", "presenter-date_comite")],
        "complement" => vec![("motif", "complement-motif")],
        "sans_suite" => vec![("motif", "sans_suite-motif")],
        "retirer" => vec![("motif", "retirer-motif")],
        "decider" => vec![
            ("motivation", "decider-motivation"),
            ("dérogation", "decider-derogation_engagements"),
            ("etp", "decider-etp_notifies"),
            ("effet", "decider-date_effet"),
            ("enveloppe", "decider-montant_caf"),
            ("engagerait", "decider-montant_caf"),
            ("montant", "decider-montant_caf"),
            ("part", "decider-montant_caf"),
        ],
        "part" => vec![
            ("montant", "part-montant_part"),
            ("motivation", "part-motivation"),
        ],
        "convention" => vec![
            ("numéro", "convention-numero"),
            ("versement", "convention-versement_date_1"),
            ("échéancier", "convention-versement_date_1"),
            ("pourcentages", "convention-versement_valeur_1"),
            ("totalis", "convention-versement_valeur_1"),
            ("numero", "convention-numero"),
            ("finit", "convention-fin"),
            ("période", "convention-debut"),
            ("durée", "convention-debut"),
            ("temps du projet", "convention-debut"),
        ],
        // A submission refused for what the project lacks: the fields of the project form.
        "deposer" => CHAMPS_PROJET.to_vec(),
        _ => Vec::new(),
    }
}

async fn executer_action(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    f: &Action,
) -> Result<Response, Echec> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let id = DossierId(id);
    let quand = time::OffsetDateTime::now_utc();
    let table = champs_action(&f.action);
    let defaut = table.first().map_or("", |(_, c)| *c);
    let defaut = if f.action == "deposer" { "" } else { defaut };
    let app = |e: app::ErreurApp| Echec::app(e, &table, defaut);
    let motif = || f.motif.clone().unwrap_or_default();
    let simple = |a: ActionDossier| Some(a);
    let transition = match f.action.as_str() {
        "deposer" => simple(ActionDossier::Deposer),
        "instruire" => simple(ActionDossier::PrendreEnInstruction),
        "complement" => simple(ActionDossier::DemanderComplementEtPieces(
            motif(),
            crate::pages::pieces::pieces_cochees(&f.autres),
        )),
        "presenter" => simple(ActionDossier::PresenterEnComite(date(
            "presenter-date_comite",
            "Date du comité",
            f.date_comite.as_deref(),
        )?)),
        "sans_suite" => simple(ActionDossier::ClasserSansSuite(motif())),
        "retirer" => simple(ActionDossier::Retirer(
            f.motif.clone().filter(|m| !m.trim().is_empty()),
        )),
        _ => None,
    };
    if let Some(t) = transition {
        p.agir_sur_dossier(&c.acteur, id, f.version, t, quand)
            .await
            .map_err(app)?;
        return Ok(Redirect::to(&format!("/dossiers/{id}")).into_response());
    }
    match f.action.as_str() {
        "decider" => {
            let issue = match f.issue.as_deref() {
                Some("valide") => IssueDecision::Valide,
                Some("refuse") => IssueDecision::Refuse,
                Some("ajourne") => IssueDecision::Ajourne,
                _ => {
                    return Err(Echec::champ(
                        "decider-issue",
                        "Décision du comité : choisissez validé, refusé ou ajourné",
                    ));
                }
            };
            let par_montant = p
                .dossier(&c.acteur, id)
                .await
                .map_err(app)?
                .valeur
                .dispositif
                .decide_par_montant();
            let (notification, part_caf) = if par_montant {
                (None, plan_financement::part_caf_saisie(f, issue)?)
            } else if issue == IssueDecision::Valide {
                let mut x = Erreurs::default();
                let etp = Etp::parse(f.etp_notifies.as_deref().unwrap_or_default())
                    .map_err(|e| x.ajouter("decider-etp_notifies", format!("ETP notifiés : {e}")))
                    .ok();
                let montant =
                    Centimes::parse_non_negatif(f.montant_caf.as_deref().unwrap_or_default())
                        .map_err(|e| {
                            x.ajouter("decider-montant_caf", format!("Part de la Caf : {e}"))
                        })
                        .ok();
                let effet = date(
                    "decider-date_effet",
                    "À compter du",
                    f.date_effet.as_deref(),
                )
                .map_err(|e| {
                    if let Echec::Saisie(y) = e {
                        x.etendre(y);
                    }
                })
                .ok();
                let (Some(etp), Some(montant), Some(date_effet)) = (etp, montant, effet) else {
                    return Err(x.into());
                };
                (
                    Some(NotificationEtp { etp, date_effet }),
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
                derogation_engagements: f.derogation_engagements.clone(),
            };
            p.enregistrer_decision(&c.acteur, id, f.version, saisie, false, quand)
                .await
                .map_err(app)?;
        }
        "part" => {
            let financeur = c.acteur.financeur.ok_or_else(|| {
                ErreurWeb::Interdit("seul un financeur enregistre sa propre décision".into())
            })?;
            let avis = match f.avis.as_deref() {
                Some("accorde") => AvisFinanceur::Accorde,
                Some("refuse") => AvisFinanceur::Refuse,
                _ => return Err(Echec::champ("part-avis", "Avis : accordé ou refusé")),
            };
            let montant = Centimes::parse_non_negatif(f.montant_part.as_deref().unwrap_or("0"))
                .map_err(|e| Echec::champ("part-montant_part", format!("Montant accordé : {e}")))?;
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
            .await
            .map_err(app)?;
        }
        "convention" => {
            let debut = date("convention-debut", "Début", f.debut.as_deref());
            let fin = date("convention-fin", "Fin", f.fin.as_deref());
            let (debut, fin) = match (debut, fin) {
                (Ok(a), Ok(b)) => (a, b),
                (a, b) => {
                    let mut x = Erreurs::default();
                    for r in [a.err(), b.err()].into_iter().flatten() {
                        if let Echec::Saisie(y) = r {
                            x.etendre(y);
                        }
                    }
                    return Err(x.into());
                }
            };
            // Instalments only for a scheme paid by them (`domain::dispositifs`).
            let par_echeances = p
                .dossier(&c.acteur, id)
                .await
                .map_err(app)?
                .valeur
                .dispositif
                .regles()
                .financement
                == domain::dispositifs::ModeFinancement::SubventionEcheancier;
            let echeancier = if par_echeances {
                plan_financement::echeancier_saisi(f, debut)?
            } else {
                Vec::new()
            };
            let nouvelle = NouvelleConvention {
                numero: f.numero.clone().unwrap_or_default().trim().to_owned(),
                debut,
                fin,
                echeancier,
            };
            p.etablir_convention(&c.acteur, id, nouvelle, quand)
                .await
                .map_err(app)?;
            return Ok(Redirect::to("/conventions").into_response());
        }
        autre => {
            return Err(ErreurWeb::Refus(format!("action « {autre} » inconnue")).into());
        }
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
    match etat
        .plateforme
        .ecrire_message(
            &c.acteur,
            &c.utilisateur.nom,
            DossierId(id),
            f.texte.as_deref().unwrap_or_default(),
            f.prive.is_some(),
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/dossiers/{id}?message=envoye#texte")).into_response()),
        Err(a) => {
            let s = Saisies {
                message: Some(&f),
                ..Saisies::default()
            };
            refuser(
                &etat,
                &c,
                id,
                s,
                Echec::app(a, &[("message", "texte")], "texte"),
            )
            .await
        }
    }
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
    debut: Option<String>,
    fin: Option<String>,
    #[serde(default)]
    modalites_evaluation: String,
    #[serde(default)]
    diagnostic_local: String,
    #[serde(default)]
    partenaires: String,
    #[serde(default)]
    information_familles: String,
    /// Financing plan: the amount asked of the Caf (the other funders' lines are kept).
    demande_caf: Option<String>,
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
            debut: Some(p.debut.map_or(String::new(), |d| d.to_string())),
            fin: Some(p.fin.map_or(String::new(), |d| d.to_string())),
            modalites_evaluation: p.modalites_evaluation.clone(),
            diagnostic_local: p.diagnostic_local.clone(),
            partenaires: p.partenaires.join(", "),
            information_familles: p.information_familles.clone(),
            demande_caf: Some(plan_financement::demande_caf_texte(p)),
        }
    }
}

/// Where the domain's refusals of a project go (the words of its reasons and of the parts it
/// lists as missing, Référentiel national de financement de l'AIP §IV.3), in the order they are looked for.
pub(crate) const CHAMPS_PROJET: [(&str, &str); 13] = [
    ("intitulé", "intitule"),
    ("objectifs", "objectifs"),
    ("moyens", "moyens"),
    ("etp", "etp_demandes"),
    ("évaluation", "modalites_evaluation"),
    ("diagnostic", "diagnostic_local"),
    ("partenaires", "partenaires"),
    ("information", "information_familles"),
    ("finit", "fin"),
    ("période de l'expérimentation", "fin"),
    ("période", "debut"),
    ("budget", "charges"),
    ("appel", "appel"),
];

fn formulaire_projet(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: &ProjetSaisi,
    x: &Erreurs,
) -> String {
    format!(
        "<form method=\"post\" action=\"/dossiers/{}/projet\" novalidate><fieldset><legend>Modifier le projet de fonctionnement</legend>{}\
         <input type=\"hidden\" name=\"version\" value=\"{version}\">{}{}{}{}{}{}{}{}{}{}{}\
         <button type=\"submit\" class=\"secondaire\">Enregistrer le projet</button></fieldset></form>",
        d.id,
        csrf(c),
        Champ::new("intitule", "Intitulé")
            .erreurs(x)
            .texte(&s.intitule),
        Champ::new("objectifs", "Objectifs")
            .erreurs(x)
            .zone(&s.objectifs),
        Champ::new("moyens", "Moyens mis en œuvre")
            .erreurs(x)
            .zone(&s.moyens),
        Champ::new("etp_demandes", "Nombre d'ETP affectés à la mission")
            .aide("Par exemple 1,5")
            .erreurs(x)
            .extra(" inputmode=\"decimal\"")
            .texte(&s.etp_demandes),
        Champ::new("debut", "Début du projet")
            .erreurs(x)
            .saisie("date", s.debut.as_deref().unwrap_or_default()),
        Champ::new("fin", "Fin du projet")
            .erreurs(x)
            .saisie("date", s.fin.as_deref().unwrap_or_default()),
        Champ::new("modalites_evaluation", "Modalités d'évaluation")
            .erreurs(x)
            .zone(&s.modalites_evaluation),
        Champ::new(
            "diagnostic_local",
            "Diagnostic local des besoins et contexte partenarial"
        )
        .erreurs(x)
        .zone(&s.diagnostic_local),
        Champ::new("partenaires", "Partenaires (séparés par des virgules)")
            .erreurs(x)
            .zone(&s.partenaires),
        Champ::new("information_familles", "Information des familles")
            .erreurs(x)
            .zone(&s.information_familles),
        plan_financement::champ_demande_caf(s.demande_caf.as_deref().unwrap_or_default(), x),
    )
}

/// A project date typed in the form: empty is « not given yet ».
fn date_projet(id: &str, libelle: &str, t: Option<&str>, x: &mut Erreurs) -> Option<Option<Date>> {
    match t.map(str::trim).unwrap_or_default() {
        "" => Some(None),
        t => match Date::parse(t, format_description!("[year]-[month]-[day]")) {
            Ok(d) => Some(Some(d)),
            Err(_) => {
                x.ajouter(
                    id,
                    format!("{libelle} : « {t} » n'est pas une date valide (jj/mm/aaaa)"),
                );
                None
            }
        },
    }
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
    let saisies = Saisies {
        projet: Some(&s),
        ..Saisies::default()
    };
    let mut x = Erreurs::default();
    let etp = Etp::parse(&s.etp_demandes)
        .map_err(|m| x.ajouter("etp_demandes", format!("Nombre d'ETP : {m}")))
        .ok();
    let debut = date_projet("debut", "Début du projet", s.debut.as_deref(), &mut x);
    let fin = date_projet("fin", "Fin du projet", s.fin.as_deref(), &mut x);
    let plan = plan_financement::plan_modifie(&lu.valeur.projet, s.demande_caf.as_deref(), &mut x);
    let (Some(etp), Some(debut), Some(fin), Some(plan_financement)) = (etp, debut, fin, plan)
    else {
        return refuser(&etat, &c, id, saisies, x.into()).await;
    };
    let projet = domain::dossier::ProjetFonctionnement {
        intitule: s.intitule.trim().to_owned(),
        objectifs: s.objectifs.trim().to_owned(),
        moyens: s.moyens.trim().to_owned(),
        etp_demandes: etp,
        debut: if s.debut.is_some() {
            debut
        } else {
            lu.valeur.projet.debut
        },
        fin: if s.fin.is_some() {
            fin
        } else {
            lu.valeur.projet.fin
        },
        modalites_evaluation: s.modalites_evaluation.trim().to_owned(),
        diagnostic_local: s.diagnostic_local.trim().to_owned(),
        partenaires: s
            .partenaires
            .split(',')
            .map(|x| x.trim().to_owned())
            .filter(|x| !x.is_empty())
            .collect(),
        information_familles: s.information_familles.trim().to_owned(),
        plan_financement,
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
        Err(a) => {
            refuser(
                &etat,
                &c,
                id,
                saisies,
                Echec::app(a, &CHAMPS_PROJET, "intitule"),
            )
            .await
        }
    }
}
