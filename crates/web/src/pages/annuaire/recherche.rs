//! `GET /annuaire`: the search form (a commune or postcode, the distance, the filters as
//! fieldsets with their legends) and its results: the list by distance, then the map. Everything
//! is in the address (a GET form), so that a search can be bookmarked, shared and reloaded; it
//! works without JavaScript: a commune typed ambiguously brings a list of communes to choose from.

use app::{Recherche, ResultatRecherche, ServiceTrouve};
use axum::extract::{RawQuery, State};
use axum::response::Html;
use domain::annuaire::besoins::{BESOINS, Besoin};
use domain::annuaire::recherche::{Filtres, Rayon};
use domain::annuaire::{Frais, Mode};
use domain::appel_a_projets::Dispositif;
use domain::territoire::Commune;
use domain::territoire::suggestions::{Resolution, libelle_commune};
use maud::{Markup, html};

use super::carte::{CarteRecherche, Marqueur, carte};
use super::{champ_commune, index_communes};
use crate::erreur::ErreurWeb;
use crate::{Etat, vue};

/// The most communes offered when what was typed is ambiguous.
const CHOIX_MAX: usize = 12;

/// The search as the address gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parametres {
    pub commune: String,
    pub rayon: Rayon,
    pub filtres: Filtres,
}

impl Parametres {
    /// Reads the query string; unknown values are ignored (a filter that no longer exists keeps
    /// nothing out).
    pub fn lire(requete: &str) -> Parametres {
        let mut p = Parametres::default();
        for (cle, valeur) in form_urlencoded::parse(requete.as_bytes()) {
            match cle.as_ref() {
                "commune" => p.commune = valeur.trim().to_owned(),
                "rayon" => {
                    if let Some(r) = valeur.trim().parse().ok().and_then(Rayon::depuis_km) {
                        p.rayon = r;
                    }
                }
                "besoin" => p.filtres.besoins.extend(Besoin::depuis_code(&valeur)),
                "dispositif" => {
                    if let Some(d) = Dispositif::TOUS.into_iter().find(|d| d.code() == valeur)
                        && !p.filtres.dispositifs.contains(&d)
                    {
                        p.filtres.dispositifs.push(d);
                    }
                }
                "mode" => p.filtres.modes.extend(Mode::depuis_code(&valeur)),
                "frais" => p.filtres.frais.extend(Frais::depuis_code(&valeur)),
                _ => {}
            }
        }
        p
    }

    /// The query string of this search with `commune` instead (for the choice of a commune).
    pub fn adresse_avec_commune(&self, commune: &str) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("commune", commune);
        s.append_pair("rayon", &self.rayon.km().to_string());
        for b in &self.filtres.besoins {
            s.append_pair("besoin", b.code());
        }
        for d in &self.filtres.dispositifs {
            s.append_pair("dispositif", d.code());
        }
        for m in &self.filtres.modes {
            s.append_pair("mode", m.code());
        }
        for f in &self.filtres.frais {
            s.append_pair("frais", f.code());
        }
        format!("/annuaire?{}", s.finish())
    }
}

/// A scheme's name for parents, with what it is.
pub fn dispositif_en_clair(d: Dispositif) -> &'static str {
    match d {
        Dispositif::Aip => "accompagnement individuel parentalité (AIP)",
        Dispositif::Reaap => "actions du réseau de parents (REAAP)",
        Dispositif::Clas => "accompagnement à la scolarité (CLAS)",
        Dispositif::Pif => "point info famille (PIF)",
        Dispositif::MediationFamiliale => "médiation familiale",
        Dispositif::ParrainageDeProximite => "parrainage de proximité",
        Dispositif::Laep => "lieu d’accueil enfants-parents (LAEP)",
        Dispositif::EspaceRencontre => "espace rencontre",
    }
}

/// A distance as the list says it: « à 3,2 km », « à moins de 100 m ».
pub fn distance_en_clair(km: f64) -> String {
    if km < 0.1 {
        "à moins de 100 m".to_owned()
    } else {
        format!("à {} km", crate::fr::nombre(km))
    }
}

/// What the commune field designates.
enum CommuneDemandee {
    Aucune,
    Inconnue,
    Choix(Vec<&'static Commune>),
    Une(&'static Commune),
}

fn resoudre(texte: &str) -> CommuneDemandee {
    if texte.trim().is_empty() {
        return CommuneDemandee::Aucune;
    }
    match index_communes().map(|i| i.resoudre(texte, CHOIX_MAX)) {
        Some(Resolution::Commune(c)) => CommuneDemandee::Une(c),
        Some(Resolution::Choix(choix)) => CommuneDemandee::Choix(choix),
        Some(Resolution::Aucune) | None => CommuneDemandee::Inconnue,
    }
}

fn case(nom: &str, valeur: &str, id: String, coche: bool, libelle: &str) -> Markup {
    html! {
        div.option {
            input type="checkbox" name=(nom) value=(valeur) id=(id) checked[coche];
            label for=(id) { (libelle) }
        }
    }
}

/// The search form, filled with `p`.
fn formulaire(p: &Parametres, commune: &str, erreur: Option<&str>) -> Markup {
    let filtres_choisis = !p.filtres.est_vide();
    html! {
        form.recherche-annuaire role="search" aria-label="Rechercher un service" method="get" action="/annuaire" {
            (champ_commune(commune, erreur))
            fieldset.rayons {
                legend { "Distance autour du centre de la commune" }
                div.options-en-ligne {
                    @for r in Rayon::TOUS {
                        div.option {
                            input type="radio" name="rayon" value=(r.km()) id={ "rayon-" (r.km()) } checked[r == p.rayon];
                            label for={ "rayon-" (r.km()) } { (r.km()) " km" }
                        }
                    }
                }
            }
            details.filtres-annuaire open[filtres_choisis] {
                summary { "Affiner : besoin, type de service, modalités, coût" }
                fieldset {
                    legend { "J’ai besoin de…" }
                    div.options {
                        @for d in &BESOINS {
                            (case("besoin", d.code, format!("besoin-{}", d.code), p.filtres.besoins.contains(&d.besoin), d.libelle))
                        }
                    }
                }
                fieldset {
                    legend { "Type de service" }
                    div.options {
                        @for d in Dispositif::TOUS {
                            (case("dispositif", d.code(), format!("dispositif-{}", d.code()), p.filtres.dispositifs.contains(&d), dispositif_en_clair(d)))
                        }
                    }
                }
                fieldset {
                    legend { "Modalités" }
                    div.options {
                        @for m in Mode::TOUS {
                            (case("mode", m.code(), format!("mode-{}", m.code()), p.filtres.modes.contains(&m), m.libelle()))
                        }
                    }
                }
                fieldset {
                    legend { "Coût" }
                    div.options {
                        @for f in Frais::TOUS {
                            (case("frais", f.code(), format!("frais-{}", f.code()), p.filtres.frais.contains(&f), f.libelle()))
                        }
                    }
                }
            }
            button type="submit" { "Rechercher" }
        }
    }
}

/// One result of the list.
fn resultat(numero: usize, t: &ServiceTrouve) -> Markup {
    let s = &t.service;
    let lieu = t.lieu.and_then(|i| s.lieux.get(i));
    let commune = lieu.and_then(|l| {
        crate::pages::filtres_dossiers::communes().and_then(|c| c.get(l.adresse.commune))
    });
    html! {
        li.resultat-annuaire id={ "resultat-" (numero) } {
            span.numero aria-hidden="true" { (numero) }
            div {
                h3 { a href={ "/annuaire/services/" (s.id.0) } { (s.nom) } }
                p.type-service { (dispositif_en_clair(s.dispositif)) " · " (s.type_service.libelle()) }
                p.distance {
                    @match t.distance_km {
                        Some(km) => { strong { (distance_en_clair(km)) } }
                        None => { strong { "distance inconnue" } }
                    }
                    @if t.dessert_la_commune { " · dessert votre commune" }
                }
                @if let Some(l) = lieu {
                    p.adresse {
                        @if let Some(nom) = &l.nom { (nom) ", " }
                        (l.adresse.voie) ", " (l.adresse.code_postal) " "
                        (commune.map_or("", |c| c.nom.as_str()))
                    }
                }
                p.modalites {
                    (s.tarification.frais.libelle())
                    @for m in &s.modes { " · " (m.libelle()) }
                }
            }
        }
    }
}

fn resultats(p: &Parametres, r: &ResultatRecherche) -> Markup {
    let n = r.services.len();
    let titre = match n {
        0 => format!(
            "Aucun service à moins de {} km de {}",
            r.rayon.km(),
            r.commune.nom
        ),
        1 => format!(
            "1 service à moins de {} km de {} ou pour cette commune",
            r.rayon.km(),
            r.commune.nom
        ),
        n => format!(
            "{n} services à moins de {} km de {} ou pour cette commune",
            r.rayon.km(),
            r.commune.nom
        ),
    };
    let marqueurs: Vec<Marqueur> = r
        .services
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let lieu = t.lieu.and_then(|l| t.service.lieux.get(l))?;
            Some(Marqueur {
                numero: i + 1,
                nom: t.service.nom.clone(),
                position: lieu.position,
                distance: t.distance_km.map_or_else(String::new, distance_en_clair),
            })
        })
        .collect();
    html! {
        section aria-labelledby="titre-resultats" {
            h2 #titre-resultats tabindex="-1" { (titre) }
            @if n == 0 {
                p {
                    "Essayez une distance plus grande"
                    @if !p.filtres.est_vide() { " ou retirez des critères" }
                    "."
                }
                @if p.rayon != Rayon::MAX {
                    p { a href=(Parametres { rayon: Rayon::MAX, ..p.clone() }.adresse_avec_commune(&libelle_commune(&r.commune))) {
                        "Chercher à moins de " (Rayon::MAX.km()) " km"
                    } }
                }
            } @else {
                ol.resultats-annuaire {
                    @for (i, t) in r.services.iter().enumerate() {
                        (resultat(i + 1, t))
                    }
                }
            }
            @if let Some(centre) = r.commune.position {
                h2 { "Carte" }
                (carte("carte-annuaire", &CarteRecherche {
                    commune: r.commune.nom.clone(),
                    departement: r.commune.departement.as_str().to_owned(),
                    centre,
                    rayon_km: r.rayon.km(),
                    marqueurs,
                }))
            }
        }
    }
}

/// `GET /annuaire`.
pub async fn page(
    State(etat): State<Etat>,
    RawQuery(requete): RawQuery,
) -> Result<Html<String>, ErreurWeb> {
    let p = Parametres::lire(requete.as_deref().unwrap_or(""));
    let introduction = html! {
        h1 { "Trouver un service pour les parents" }
        p {
            "Lieux d’accueil enfants-parents, médiation familiale, espaces rencontre, groupes de parents, "
            "accompagnement à la scolarité et accompagnement individuel soutenus par les Caf. "
            "Sans compte, sans inscription."
        }
    };
    let (titre, contenu) = match resoudre(&p.commune) {
        CommuneDemandee::Aucune => (
            "Trouver un service".to_owned(),
            html! { (introduction) (formulaire(&p, "", None)) },
        ),
        CommuneDemandee::Inconnue => {
            let message = format!(
                "Aucune commune ne correspond à « {} » : vérifiez l’orthographe ou saisissez le code postal.",
                p.commune
            );
            (
                "Commune introuvable – Trouver un service".to_owned(),
                html! { (introduction) (formulaire(&p, &p.commune, Some(&message))) },
            )
        }
        CommuneDemandee::Choix(choix) => (
            "Choisir la commune – Trouver un service".to_owned(),
            html! {
                (introduction)
                (formulaire(&p, &p.commune, None))
                section aria-labelledby="titre-choix" {
                    h2 #titre-choix { "Plusieurs communes correspondent à « " (p.commune) " »" }
                    p { "Choisissez la vôtre :" }
                    ul.choix-communes {
                        @for c in &choix {
                            li { a href=(p.adresse_avec_commune(&libelle_commune(c))) {
                                (c.nom) " (" (c.codes_postaux.join(", ")) ")"
                                @if let Some(d) = domain::territoire::departement(c.departement) { " – " (d.nom) }
                            } }
                        }
                    }
                }
            },
        ),
        CommuneDemandee::Une(commune) => {
            let recherche = Recherche {
                commune: commune.code,
                rayon: p.rayon,
                filtres: p.filtres.clone(),
            };
            let resultat = etat
                .plateforme
                .rechercher_services(&recherche)
                .await?
                .ok_or(ErreurWeb::Introuvable)?;
            (
                format!("Services près de {} – Trouver un service", commune.nom),
                html! {
                    (introduction)
                    (formulaire(&p, &libelle_commune(commune), None))
                    (resultats(&p, &resultat))
                },
            )
        }
    };
    Ok(Html(
        vue::page(&titre, None, "/annuaire", contenu).into_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lecture_de_l_adresse() {
        let p = Parametres::lire(
            "commune=Grenoble+%2838000%29&rayon=30&besoin=separation&besoin=inconnu&dispositif=laep&mode=a_distance&frais=gratuit&frais=gratuit",
        );
        assert_eq!(p.commune, "Grenoble (38000)");
        assert_eq!(p.rayon, Rayon::Km30);
        assert_eq!(p.filtres.besoins.len(), 1);
        assert_eq!(p.filtres.dispositifs, [Dispositif::Laep]);
        assert_eq!(p.filtres.frais.len(), 1);
        let relue = Parametres::lire(
            p.adresse_avec_commune("Grenoble (38000)")
                .trim_start_matches("/annuaire?"),
        );
        assert_eq!(relue, p);
        // A radius that is not offered keeps the default.
        assert_eq!(Parametres::lire("rayon=7").rayon, Rayon::Km10);
    }
}
