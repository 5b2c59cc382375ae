//! The list of dossiers a user may see: filters by state with counts, the columns (with the
//! deposit date, the amount asked and the Caf agent following each), the comité's agenda. This
//! module gathers what the list shows; its templates are in `liste_vue`.

use maud::{Markup, html};

use super::liste_vue::{self, LigneOrdreDuJour};
use super::*;
use crate::fr;

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
    let appels: Vec<liste_vue::Choix> = p
        .appels(&c.acteur)
        .await?
        .into_iter()
        .map(|a| (a.valeur.id.to_string(), a.valeur.intitule))
        .collect();
    let mut comptes: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &s.dossiers {
        *comptes.entry(d.valeur.etat.code()).or_default() += 1;
    }
    let choisi = f.etat();
    // The states that have dossiers, and the one chosen even when it has none.
    let filtres: Vec<(Option<&str>, String, bool)> = std::iter::once((
        None,
        format!("Tous ({})", s.dossiers.len()),
        choisi.is_none(),
    ))
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
    .collect();
    let selection = s.dans_l_etat(&f);
    let lignes: Vec<Vec<Markup>> = selection
        .iter()
        .map(|d| {
            let d = &d.valeur;
            vec![
                html! { a href={ "/dossiers/" (d.id) } { "n°" (d.id) } },
                html! { (d.projet.intitule) },
                html! { (s.commune_du_dossier(d)) },
                html! { (d.departement.as_str()) },
                crate::vue::etat_dossier(d.etat),
                html! { (d.projet.etp_demandes.to_string()) },
                html! { @if let Some(n) = s.non_lus.get(&d.id) { (n) } },
                html! { (d.depose_le.map_or("–".to_owned(), |t| fr::date(fr::heure_de_paris(t).date()))) },
                html! { (montant_demande(&p.parametres, d)) },
                html! {
                    @if let Some(a) = d.suivi_par {
                        (s.agents.get(&a.0).map_or("agent de la Caf", String::as_str))
                    }
                },
            ]
        })
        .collect();
    let ordre_du_jour = if choisi == Some("presente_en_comite") {
        Some(ordre_du_jour(p, &c, &selection).await?)
    } else {
        None
    };
    let requete = f.requete(choisi);
    let filtres_enregistres = p.filtres_enregistres(&c.acteur).await?;
    let pour_la_caf = c.acteur.role == Role::Caf;
    let ids: Vec<i64> = selection.iter().map(|d| d.valeur.id.0).collect();
    let agents = if pour_la_caf {
        p.agents_caf(&c.acteur, None).await?
    } else {
        Vec::new()
    };
    let n = lignes.len();
    let trouves = format!("{n} dossier{s} trouvé{s}", s = if n > 1 { "s" } else { "" });
    let contenu = html! {
        h1 { "Dossiers" }
        @if c.acteur.role == Role::Gestionnaire {
            p { a class="bouton" href="/dossiers/nouveau" { "Nouveau projet" } }
        }
        (lot::filtres_enregistres(&c, &filtres_enregistres))
        (liste_vue::recherche(&f, choisi, &appels, pour_la_caf))
        p id="annonce-resultats" class="sr-only" role="status" hx-swap-oob="innerHTML" { (trouves) }
        div id="resultats" {
            nav aria-label="Filtrer par état" hx-boost="true" hx-target="#resultats" hx-select="#resultats" hx-swap="outerHTML" {
                ul class="actions" {
                    @for (code, libelle, actif) in &filtres {
                        li {
                            a id={ "etat-" (code.unwrap_or("tous")) } href={ "/dossiers" (f.requete(*code)) }
                                aria-current=[actif.then_some("true")] { (libelle) }
                        }
                    }
                }
            }
            @if let Some(o) = &ordre_du_jour {
                (o)
                @if matches!(c.acteur.role, Role::Caf | Role::Cnaf | Role::Financeur) {
                    p { a href="/comite" { "Les séances du comité des financeurs, dispositif par dispositif" } }
                }
            }
            p class="actions" {
                a class="bouton secondaire" href={ "/exports/dossiers.csv" (requete) } { "Exporter la liste (CSV)" }
                a class="bouton secondaire" href={ "/exports/dossiers.xlsx" (requete) } { "Exporter la liste (XLSX)" }
            }
            @if pour_la_caf {
                form method="post" action="/dossiers/lot" novalidate {
                    (crate::vue::champ_csrf(&c))
                    (liste_vue::tableau_dossiers(&f, choisi, &lignes, Some(&ids)))
                    (lot::formulaire_lot(&agents))
                }
            } @else {
                (liste_vue::tableau_dossiers(&f, choisi, &lignes, None))
            }
            details {
                summary { "Enregistrer ces filtres" }
                (lot::formulaire_filtre(&c, &requete, "", &Erreurs::default()))
            }
        }
    };
    let html = crate::vue::page("Dossiers", Some(&c), "/dossiers", contenu).into_string();
    let mut reponse = Html(html).into_response();
    if entetes.contains_key("hx-request")
        && let Ok(adresse) = format!("/dossiers{}", f.requete(choisi)).parse()
    {
        reponse.headers_mut().insert("hx-push-url", adresse);
    }
    Ok(reponse)
}

/// The comité's agenda: what validating every presented AIP project would commit, against what
/// remains of each Caf's AIP allocation (`ProjetFonctionnement::montant_aip_maximal`). Other
/// schemes are decided by amount, not by FTE: they are counted apart, at the amount their
/// financing plan asks of the Caf, never valued at the AIP's rate.
async fn ordre_du_jour(
    p: &app::Plateforme,
    c: &Connecte,
    selection: &[&store::depot::Lu<Dossier>],
) -> Result<Markup, ErreurWeb> {
    let situations = p.situations(&c.acteur).await?;
    let mut par_departement: BTreeMap<String, (u32, usize, i64)> = BTreeMap::new();
    let mut autres: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    for d in selection {
        let d = &d.valeur;
        if !d.dispositif.regles().experimentation_aip {
            let x = autres.entry(d.departement.to_string()).or_default();
            x.0 += 1;
            x.1 += d
                .projet
                .montant_demande(domain::structures::Cofinanceur::Caf)
                .map_or(0, |m| m.centimes());
            continue;
        }
        let maximum = d
            .projet
            .montant_aip_maximal(&p.parametres)
            .map_or(0, |m| m.centimes());
        let x = par_departement
            .entry(d.departement.to_string())
            .or_default();
        x.0 += d.projet.etp_demandes.dix_milliemes();
        x.1 += 1;
        x.2 += maximum;
    }
    let aip: Vec<LigneOrdreDuJour> = par_departement
        .into_iter()
        .map(
            |(departement, (etp, projets, montant_maximal))| LigneOrdreDuJour {
                disponible: situations
                    .iter()
                    .find(|s| s.situation.departement.as_str() == departement)
                    .and_then(|s| s.situation.disponible())
                    .map(|c| c.centimes()),
                departement,
                projets,
                etp: domain::quantites::Etp::depuis_dix_milliemes(etp).to_string(),
                montant_maximal,
            },
        )
        .collect();
    let autres: Vec<(String, usize, i64)> = autres
        .into_iter()
        .map(|(dep, (n, montant))| (dep, n, montant))
        .collect();
    Ok(liste_vue::ordre_du_jour(&aip, &autres))
}

/// The amount asked of the Caf: its line of the financing plan, else for an AIP project the
/// most the Caf would commit each year, else « – ».
fn montant_demande(parametres: &referentiel::parametres::Parametres, d: &Dossier) -> String {
    match d
        .projet
        .montant_demande(domain::structures::Cofinanceur::Caf)
    {
        Some(m) => fr::euros(m.centimes()),
        None if d.dispositif.regles().experimentation_aip => d
            .projet
            .montant_aip_maximal(parametres)
            .map_or("–".to_owned(), |m| {
                format!("{} (maximum AIP)", fr::euros(m.centimes()))
            }),
        None => "–".to_owned(),
    }
}
