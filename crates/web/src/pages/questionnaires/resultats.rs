//! `/evaluation/questionnaires` (and `.csv`): the masked results of the parents' or partners'
//! questionnaire for the nation, the départements and the structures the reader may see (its own
//! structures for a structure's staff, its départements for a Caf agent, all for the Cnaf),
//! filtered by structure or département. A masked count reads « moins de 5 ».

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use domain::Role;
use domain::evaluation::questionnaire::{Portee, Public, ResultatPortee, Resultats};
use domain::identifiants::{CodeDepartement, GestionnaireId};
use domain::territoire::fiche::Chiffre;
use maud::{Markup, html};
use serde::Deserialize;
use tableur::{Cellule, Colonne as ColonneTableur, Format, Tableau};

use app::FiltreResultats;

use super::public_de;
use crate::erreur::ErreurWeb;
use crate::session::Connecte;
use crate::vue;
use crate::{Etat, fr};

/// How a masked count is written, on the page and in the file.
pub const MASQUE: &str = "moins de 5";

const ACTIF: &str = "/evaluation/questionnaires";

/// The menu entry to mark current: the Caf and the Cnaf reach these results from the evaluation,
/// the structures from their own « Questionnaires » entry.
fn entree_du_menu(c: &Connecte) -> &'static str {
    match c.acteur.role {
        Role::Cnaf | Role::Caf => "/evaluation",
        _ => ACTIF,
    }
}

/// The filters, as the query string gives them.
#[derive(Debug, Default, Deserialize)]
pub struct Filtres {
    public: Option<String>,
    structure: Option<String>,
    departement: Option<String>,
}

impl Filtres {
    fn filtre(&self) -> FiltreResultats {
        FiltreResultats {
            structure: self
                .structure
                .as_deref()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .map(GestionnaireId),
            departement: self
                .departement
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .and_then(|d| CodeDepartement::parse(d).ok()),
            periode: app::Periode::default(),
        }
    }
}

/// A count as written: `12`, `0` or « moins de 5 », in a `span.compte`.
fn compte(c: Chiffre) -> Markup {
    html! {
        span.compte {
            @match c {
                Chiffre::Publie(v) => { (fr::entier(v)) }
                Chiffre::Masque => { (MASQUE) }
            }
        }
    }
}

fn nom_portee(r: &ResultatPortee, noms: &BTreeMap<GestionnaireId, String>) -> String {
    match r.portee {
        Portee::Nation => "France entière".to_owned(),
        Portee::Departement(d) => format!("Département {}", d.as_str()),
        Portee::Structure(g) => {
            let nom = noms
                .get(&g)
                .cloned()
                .unwrap_or_else(|| format!("Structure n°{}", g.0));
            match r.departement {
                Some(d) => format!("{nom} ({})", d.as_str()),
                None => nom,
            }
        }
    }
}

/// The structures of results `r`.
fn structures_de(r: &Resultats) -> Vec<GestionnaireId> {
    r.structures
        .iter()
        .filter_map(|s| match s.portee {
            Portee::Structure(g) => Some(g),
            _ => None,
        })
        .collect()
}

/// The scopes shown, nation first, then départements, then structures.
fn portees(r: &Resultats) -> Vec<&ResultatPortee> {
    std::iter::once(&r.nation)
        .chain(&r.departements)
        .chain(&r.structures)
        .collect()
}

/// A table that scrolls sideways on a phone, reachable with the keyboard.
fn defilant(legende: &str, contenu: Markup) -> Markup {
    html! {
        div.tableau-defilant role="region" aria-label=(legende) tabindex="0" { (contenu) }
    }
}

fn page(
    c: &Connecte,
    filtres: &Filtres,
    public: Public,
    r: &Resultats,
    noms: &BTreeMap<GestionnaireId, String>,
    choix_structures: &[(GestionnaireId, String)],
    choix_departements: &[CodeDepartement],
) -> Markup {
    let liste = portees(r);
    let requete = format!(
        "public={}&structure={}&departement={}",
        public.code(),
        filtres.structure.as_deref().unwrap_or(""),
        filtres.departement.as_deref().unwrap_or("")
    );
    vue::page(
        "Questionnaires d’évaluation : résultats",
        Some(c),
        entree_du_menu(c),
        html! {
            h1 { "Questionnaires d’évaluation : résultats" }
            p {
                "Les réponses anonymes des parents et des partenaires, comptées par structure, par département et pour la France entière. "
                @match c.acteur.role {
                    Role::Caf => { "Vous voyez les structures et les départements de votre Caf." }
                    Role::Gestionnaire | Role::Intervenant => { "Vous voyez les résultats de votre structure." }
                    _ => {}
                }
            }
            p.aide {
                "Secret statistique : tout effectif de 1 à 4 est affiché « " (MASQUE) " », et d’autres effectifs sont masqués de la même façon "
                "lorsqu’ils permettraient de le retrouver par différence avec un total affiché."
            }
            form.filtres method="get" action=(ACTIF) {
                div.champ {
                    label for="public" { "Questionnaire" }
                    select id="public" name="public" {
                        @for p in Public::TOUS {
                            option value=(p.code()) selected[p == public] { (p.libelle()) }
                        }
                    }
                }
                @if !choix_departements.is_empty() {
                    div.champ {
                        label for="departement" { "Département" }
                        select id="departement" name="departement" {
                            option value="" { "Tous" }
                            @for d in choix_departements {
                                option value=(d.as_str()) selected[filtres.departement.as_deref() == Some(d.as_str())] { (d.as_str()) }
                            }
                        }
                    }
                }
                div.champ {
                    label for="structure" { "Structure" }
                    select id="structure" name="structure" {
                        option value="" { "Toutes" }
                        @for (g, nom) in choix_structures {
                            option value=(g.0) selected[filtres.structure.as_deref() == Some(g.0.to_string().as_str())] { (nom) }
                        }
                    }
                }
                button type="submit" { "Afficher" }
            }
            p { a href={ "/evaluation/questionnaires.csv?" (requete) } { "Télécharger ces résultats (CSV)" } }
            h2 { (public.libelle()) ": nombre de réponses" }
            (defilant("Nombre de réponses", html! {
                table.resultats-questionnaire {
                    caption { "Nombre de réponses" }
                    thead { tr { th scope="col" { "Périmètre" } th.nombre scope="col" { "Réponses" } } }
                    tbody {
                        @for p in &liste {
                            tr { th scope="row" { (nom_portee(p, noms)) } td.nombre { (compte(p.reponses)) } }
                        }
                    }
                }
            }))
            @for (i, item) in public.items().iter().enumerate() {
                section.item-questionnaire aria-labelledby={ "item-" (item.code) } {
                    h2 id={ "item-" (item.code) } { (i + 1) ". " (item.libelle) }
                    (defilant(item.libelle, html! {
                        table.resultats-questionnaire {
                            caption { "Réponses à la question " (i + 1) }
                            thead {
                                tr {
                                    th scope="col" { "Périmètre" }
                                    @for ch in item.choix { th.nombre scope="col" { (ch.libelle) } }
                                }
                            }
                            tbody {
                                @for p in &liste {
                                    tr {
                                        th scope="row" { (nom_portee(p, noms)) }
                                        @if let Some(ri) = p.items.get(i) {
                                            @for (_, chiffre) in &ri.choix { td.nombre { (compte(*chiffre)) } }
                                        } @else {
                                            @for _ in item.choix { td.nombre { "0" } }
                                        }
                                    }
                                }
                            }
                        }
                    }))
                }
            }
        },
    )
}

async fn lire(
    etat: &Etat,
    c: &Connecte,
    filtres: &Filtres,
) -> Result<(Public, Resultats, BTreeMap<GestionnaireId, String>), ErreurWeb> {
    let public = public_de(filtres.public.as_deref());
    let p = &etat.plateforme;
    let r = p
        .resultats_questionnaires(&c.acteur, public, &filtres.filtre())
        .await?;
    let noms = p.noms_des_structures(structures_de(&r)).await?;
    Ok((public, r, noms))
}

/// `GET /evaluation/questionnaires`.
pub async fn resultats(
    State(etat): State<Etat>,
    c: Connecte,
    Query(filtres): Query<Filtres>,
) -> Result<Html<String>, ErreurWeb> {
    let (public, r, noms) = lire(&etat, &c, &filtres).await?;
    // The choices of the filters: what the reader may see, whatever the filter in force.
    let tout = etat
        .plateforme
        .resultats_questionnaires(&c.acteur, public, &FiltreResultats::default())
        .await?;
    let noms_tous = etat
        .plateforme
        .noms_des_structures(structures_de(&tout))
        .await?;
    let choix_structures: Vec<(GestionnaireId, String)> = noms_tous.into_iter().collect();
    let choix_departements: Vec<CodeDepartement> = tout
        .departements
        .iter()
        .filter_map(|d| match d.portee {
            Portee::Departement(code) => Some(code),
            _ => None,
        })
        .collect();
    Ok(Html(
        page(
            &c,
            &filtres,
            public,
            &r,
            &noms,
            &choix_structures,
            &choix_departements,
        )
        .into_string(),
    ))
}

/// `GET /evaluation/questionnaires.csv`: the same masked counts, one row per scope, question
/// and answer (for a French spreadsheet: `;`, UTF-8 with BOM).
pub async fn resultats_csv(
    State(etat): State<Etat>,
    c: Connecte,
    Query(filtres): Query<Filtres>,
) -> Result<Response, ErreurWeb> {
    let (public, r, noms) = lire(&etat, &c, &filtres).await?;
    let cellule = |ch: Chiffre| match ch {
        Chiffre::Publie(v) => Cellule::Entier(i64::try_from(v).unwrap_or(i64::MAX)),
        Chiffre::Masque => Cellule::Texte(MASQUE.to_owned()),
    };
    let mut lignes = Vec::new();
    for p in portees(&r) {
        let (niveau, code) = match p.portee {
            Portee::Nation => ("nation", "FR".to_owned()),
            Portee::Departement(d) => ("departement", d.as_str().to_owned()),
            Portee::Structure(g) => ("structure", g.0.to_string()),
        };
        let debut = |item: &str, libelle: &str, choix: &str, libelle_choix: &str| {
            vec![
                Cellule::Texte(public.code().to_owned()),
                Cellule::Texte(niveau.to_owned()),
                Cellule::Texte(code.clone()),
                Cellule::Texte(nom_portee(p, &noms)),
                Cellule::Texte(item.to_owned()),
                Cellule::Texte(libelle.to_owned()),
                Cellule::Texte(choix.to_owned()),
                Cellule::Texte(libelle_choix.to_owned()),
            ]
        };
        let mut l = debut("reponses", "Nombre de réponses", "", "");
        l.push(cellule(p.reponses));
        lignes.push(l);
        for ri in &p.items {
            for (ch, chiffre) in &ri.choix {
                let mut l = debut(ri.item.code, ri.item.libelle, ch.code, ch.libelle);
                l.push(cellule(*chiffre));
                lignes.push(l);
            }
        }
    }
    let t = Tableau {
        titre: format!("Résultats du {}", public.libelle().to_lowercase()),
        colonnes: vec![
            ColonneTableur::new("Questionnaire", "questionnaire"),
            ColonneTableur::new("Niveau", "niveau"),
            ColonneTableur::new("Code", "code"),
            ColonneTableur::new("Périmètre", "perimetre"),
            ColonneTableur::new("Question (code)", "question"),
            ColonneTableur::new("Question", "libelle_question"),
            ColonneTableur::new("Réponse (code)", "reponse"),
            ColonneTableur::new("Réponse", "libelle_reponse"),
            ColonneTableur::new("Nombre", "nombre"),
        ],
        lignes,
    };
    let mut octets = Vec::new();
    t.ecrire(Format::CsvTableur, &mut octets)
        .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"questionnaire-{}.csv\"",
                    public.code()
                ),
            ),
        ],
        octets,
    )
        .into_response())
}
