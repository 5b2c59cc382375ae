//! The dossier list's work on several dossiers at once and its saved filters: a Caf agent ticks
//! dossiers and assigns them to one agent or writes the same message to their applicants, each
//! dossier checked by its own transition and reported; any user saves the list's current filters
//! under a name and finds them again above the list.

use maud::{Markup, html};

use super::*;

/// What the list's bulk form sends: the ticked dossiers, the operation, and its fields.
#[derive(Debug, Default)]
struct Lot {
    csrf: Option<String>,
    dossiers: Vec<i64>,
    operation: String,
    agent: String,
    message: String,
}

impl Lot {
    fn lire(corps: &[u8]) -> Result<Lot, ErreurWeb> {
        let paires: Vec<(String, String)> = serde_urlencoded::from_bytes(corps)
            .map_err(|_| ErreurWeb::Refus("formulaire illisible".to_owned()))?;
        let mut lot = Lot::default();
        for (cle, valeur) in paires {
            match cle.as_str() {
                "_csrf" => lot.csrf = Some(valeur),
                "dossier" => {
                    if let Ok(id) = valeur.trim().parse() {
                        lot.dossiers.push(id);
                    }
                }
                "operation" => lot.operation = valeur,
                "agent" => lot.agent = valeur,
                "message" => lot.message = valeur,
                _ => {}
            }
        }
        Ok(lot)
    }
}

/// The outcome for one dossier of the bulk operation.
struct Resultat {
    dossier: i64,
    erreur: Option<String>,
}

/// Carries out the bulk operation on each ticked dossier, then says what happened to each.
pub async fn agir_en_lot(
    State(etat): State<Etat>,
    c: Connecte,
    corps: axum::body::Bytes,
) -> Result<Html<String>, ErreurWeb> {
    let lot = Lot::lire(&corps)?;
    c.verifier_csrf(lot.csrf.as_deref())?;
    if c.acteur.role != Role::Caf {
        return Err(ErreurWeb::Interdit(
            "les actions groupées sont réservées aux agents de la Caf".to_owned(),
        ));
    }
    let p = &etat.plateforme;
    let quand = time::OffsetDateTime::now_utc();
    let mut erreurs = Erreurs::default();
    if lot.dossiers.is_empty() {
        erreurs.ajouter("lot-dossiers", "Cochez au moins un dossier dans la liste");
    }
    let agent = match lot.operation.as_str() {
        "attribuer" => match lot.agent.trim() {
            "" => None,
            texte => match texte.parse::<i64>() {
                Ok(id) => Some(domain::identifiants::UtilisateurId(id)),
                Err(_) => {
                    erreurs.ajouter("lot-agent", "Attribuer à : choisissez un agent de la Caf");
                    None
                }
            },
        },
        "ecrire" => {
            if lot.message.trim().is_empty() {
                erreurs.ajouter("lot-message", "Message aux porteurs : écrivez-le");
            }
            None
        }
        _ => {
            erreurs.ajouter("", "Choisissez une action groupée");
            None
        }
    };
    let mut resultats = Vec::new();
    if erreurs.est_vide() {
        for id in &lot.dossiers {
            let dossier = DossierId(*id);
            let fait = match lot.operation.as_str() {
                "attribuer" => p
                    .attribuer_dossier(&c.acteur, dossier, None, agent, quand)
                    .await
                    .map(|_| ()),
                _ => p
                    .ecrire_message(
                        &c.acteur,
                        &c.utilisateur.nom,
                        dossier,
                        &lot.message,
                        false,
                        quand,
                    )
                    .await
                    .map(|_| ()),
            };
            resultats.push(Resultat {
                dossier: *id,
                erreur: fait.err().map(|e| e.to_string()),
            });
        }
    }
    let reussis = resultats.iter().filter(|r| r.erreur.is_none()).count();
    let quoi = if lot.operation == "attribuer" {
        "attribué(s)"
    } else {
        "reçu(s) le message"
    };
    let contenu = html! {
        h1 { "Actions groupées" }
        @if !erreurs.est_vide() {
            (erreurs.resume())
        } @else {
            div class="encadre succes" role="status" id="confirmation" {
                p { strong { (reussis) " dossier(s) sur " (resultats.len()) " " (quoi) "." } }
            }
            (crate::vue::tableau(
                "Résultat par dossier",
                &[
                    crate::vue::Colonne { titre: "Dossier", nombre: false },
                    crate::vue::Colonne { titre: "Résultat", nombre: false },
                ],
                &resultats
                    .iter()
                    .map(|r| {
                        vec![
                            html! { a href={ "/dossiers/" (r.dossier) } { "n°" (r.dossier) } },
                            html! {
                                @match &r.erreur {
                                    None => (crate::vue::etiquette("fait", crate::vue::Ton::Succes)),
                                    Some(e) => { (crate::vue::etiquette("refusé", crate::vue::Ton::Refus)) " " (e) }
                                }
                            },
                        ]
                    })
                    .collect::<Vec<_>>(),
            ))
        }
        p { a href="/dossiers" { "Revenir à la liste des dossiers" } }
    };
    Ok(Html(
        crate::vue::page(
            &erreurs.titre("Actions groupées"),
            Some(&c),
            "/dossiers",
            contenu,
        )
        .into_string(),
    ))
}

/// The bulk form's fields under the list (for a Caf agent): assign the ticked dossiers, or
/// write to their applicants.
pub(super) fn formulaire_lot(agents: &[domain::acces::Utilisateur]) -> Markup {
    html! {
        fieldset id="lot" {
            legend { "Pour les dossiers cochés" }
            div class="grille" {
                div class="champ" {
                    label for="lot-agent" { "Attribuer à" }
                    select id="lot-agent" name="agent" {
                        option value="" { "Personne (retirer l'attribution)" }
                        @for a in agents { option value=(a.id.0) { (a.nom) } }
                    }
                }
                div class="champ" {
                    button type="submit" name="operation" value="attribuer" class="secondaire" { "Attribuer les dossiers cochés" }
                }
            }
            div class="champ" {
                label for="lot-message" { "Message aux porteurs" span class="aide" { "Envoyé dans la messagerie de chaque dossier coché" } }
                textarea id="lot-message" name="message" rows="3" {}
            }
            button type="submit" name="operation" value="ecrire" class="secondaire" { "Écrire aux porteurs des dossiers cochés" }
        }
    }
}

/// What the form saving a filter sends.
#[derive(Debug, Deserialize)]
pub struct FiltreSaisi {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    nom: String,
    #[serde(default)]
    requete: String,
}

/// Saves the list's current filters under a name, then shows the list they select.
pub async fn enregistrer_filtre(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<FiltreSaisi>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    match etat
        .plateforme
        .enregistrer_filtre(
            &c.acteur,
            &f.nom,
            &f.requete,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/dossiers{}", f.requete)).into_response()),
        Err(e) => {
            let x = Erreurs::depuis_app(
                e,
                &[("nom", "filtre-nom"), ("requete", "filtre-nom")],
                "filtre-nom",
            )?;
            let contenu = html! {
                h1 { "Enregistrer le filtre" }
                (x.resume())
                (formulaire_filtre(&c, &f.requete, &f.nom, &x))
                p { a href={ "/dossiers" (f.requete) } { "Revenir à la liste" } }
            };
            Ok((
                x.statut(),
                Html(
                    crate::vue::page(
                        &x.titre("Enregistrer le filtre"),
                        Some(&c),
                        "/dossiers",
                        contenu,
                    )
                    .into_string(),
                ),
            )
                .into_response())
        }
    }
}

/// Deletes a saved filter, then back to the list.
pub async fn supprimer_filtre(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<FiltreSaisi>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    etat.plateforme.supprimer_filtre(&c.acteur, id).await?;
    Ok(Redirect::to("/dossiers").into_response())
}

/// The form saving the list's current filters (`requete`) under a name.
pub(super) fn formulaire_filtre(c: &Connecte, requete: &str, nom: &str, x: &Erreurs) -> Markup {
    html! {
        form method="post" action="/dossiers/filtres" class="grille" novalidate {
            (crate::vue::champ_csrf(c))
            input type="hidden" name="requete" value=(requete);
            (Champ::new("nom", "Nom du filtre").id("filtre-nom").erreurs(x).requis().texte(nom))
            div class="champ" { button type="submit" class="secondaire" { "Enregistrer ces filtres" } }
        }
    }
}

/// The user's saved filters, each a link to the list it selects and a button to delete it.
pub(super) fn filtres_enregistres(
    c: &Connecte,
    filtres: &[store::filtres::FiltreEnregistre],
) -> Markup {
    html! {
        @if !filtres.is_empty() {
            nav aria-labelledby="titre-filtres" {
                h2 id="titre-filtres" { "Mes filtres enregistrés" }
                ul class="actions" {
                    @for f in filtres {
                        li {
                            a href={ "/dossiers" (f.requete) } { (f.nom) }
                            form method="post" action={ "/dossiers/filtres/" (f.id) "/suppression" } class="en-ligne" {
                                (crate::vue::champ_csrf(c))
                                button type="submit" class="lien" aria-label={ "Supprimer le filtre « " (f.nom) " »" } { "×" }
                            }
                        }
                    }
                }
            }
        }
    }
}
