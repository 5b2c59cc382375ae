//! The list of dossiers a user may see: filters by state with counts, the columns (with the
//! deposit date, the amount asked and the Caf agent following each), the comité's agenda.

use super::*;
use crate::fr;

/// The headings of the dossier list, each a link that sorts the list by its column (again: in
/// the reverse order), keeping the filters; the sorted column says how (`aria-sort`).
pub(super) fn entetes_triables(f: &Filtres, etat: Option<&str>) -> Vec<Entete> {
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
    .chain(
        [
            ("Déposé le", false),
            ("Montant demandé à la Caf", true),
            ("Suivi par", false),
        ]
        .iter()
        .map(|(libelle, nombre)| Entete {
            html: e(libelle),
            nombre: *nombre,
            tri: None,
        }),
    )
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
                crate::vue::etat_dossier(d.etat).into_string(),
                e(&d.projet.etp_demandes.to_string()),
                s.non_lus
                    .get(&d.id)
                    .map_or(String::new(), |n| n.to_string()),
                d.depose_le.map_or("–".to_owned(), |t| fr::date(t.date())),
                e(&montant_demande(&p.parametres, d)),
                d.suivi_par.map_or(String::new(), |a| {
                    e(s.agents.get(&a.0).map_or("agent de la Caf", String::as_str))
                }),
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
            let maximum = montant_aip_maximal(&p.parametres, d).unwrap_or(0);
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
                    fr::euros(impact),
                    disponible.map_or("–".to_owned(), fr::euros),
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
                        .map(|(dep, (n, montant))| vec![e(dep), n.to_string(), fr::euros(*montant)])
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
         hx-trigger=\"submit, change from:select, change from:#non_lus, change from:#mes\">\
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
        Champ::new("non_lus", "Avec des messages non lus")
            .case(f.non_lus())
            .into_string(),
    );
    // « Mes dossiers »: a Caf agent's dossiers, those assigned to it.
    let recherche = if c.acteur.role == Role::Caf {
        recherche.replace(
            "<div class=\"champ\"><button type=\"submit\">Filtrer</button>",
            &format!(
                "{}<div class=\"champ\"><button type=\"submit\">Filtrer</button>",
                Champ::new("mes", "Mes dossiers (ceux qui me sont attribués)")
                    .case(f.mes_dossiers())
                    .into_string()
            ),
        )
    } else {
        recherche
    };
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

/// What the Caf would commit each year for an AIP project: at most the rate × the ceiling price
/// per FTE and year (Référentiel national de financement de l'AIP §VI.1), read from the
/// parameters of the exercise the project starts in; `None` when it cannot be valued.
fn montant_aip_maximal(
    parametres: &referentiel::parametres::Parametres,
    d: &Dossier,
) -> Option<i64> {
    d.projet
        .debut
        .and_then(|debut| {
            referentiel::aip::ParametresAip::pour_exercice(parametres, debut.year()).ok()
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
}

/// The amount asked of the Caf: its line of the financing plan, else for an AIP project the
/// most the Caf would commit each year, else « – ».
fn montant_demande(parametres: &referentiel::parametres::Parametres, d: &Dossier) -> String {
    match d
        .projet
        .montant_demande(domain::structures::Cofinanceur::Caf)
    {
        Some(m) => fr::euros(m.centimes()),
        None if d.dispositif.regles().experimentation_aip => montant_aip_maximal(parametres, d)
            .map_or("–".to_owned(), |m| {
                format!("{} (maximum AIP)", fr::euros(m))
            }),
        None => "–".to_owned(),
    }
}
