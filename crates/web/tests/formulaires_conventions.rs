//! The forms of the structure and convention pages report every error of a submission at once,
//! each next to its field and linked from the summary, with what was typed kept; and the
//! gestionnaire's declaration starts from the sessions recorded on the platform, a changed count
//! needing a reason the Caf then reads. On both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use activite::SuiviActivite;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::acces::Acteur;
use domain::convention::{Convention, EtatConvention};
use domain::declaration::{Activite, NatureDeclaration};
use web::Etat;

use aide::{connecter, corps};
use commun::{Demo, Page, creer_demo, moteur};

struct Session {
    cookie: String,
    csrf: String,
}

async fn ouvrir(r: &axum::Router, d: &Demo, email: &str) -> Session {
    let cookie = connecter(r, email, &d.mots_de_passe[email]).await;
    let (_, page) = lire(r, &cookie, "/").await;
    let csrf = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned();
    Session { cookie, csrf }
}

async fn lire(r: &axum::Router, cookie: &str, chemin: &str) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::get(chemin)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    (statut, page)
}

async fn poster(
    r: &axum::Router,
    s: &Session,
    chemin: &str,
    champs: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut formulaire = form_urlencoded::Serializer::new(String::new());
    formulaire.append_pair("_csrf", &s.csrf);
    for (n, v) in champs {
        formulaire.append_pair(n, v);
    }
    let (statut, _, page) = corps(
        r,
        Request::post(chemin)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(formulaire.finish()))
            .unwrap(),
    )
    .await;
    (statut, page)
}

/// A refused submission: 422, and for each of `champs` (id, value typed), its message next to
/// it, the control marked invalid, a link in the summary and the value kept; the summary lists
/// exactly that many errors.
fn refuse(statut: StatusCode, page: &str, champs: &[(&str, &str)]) {
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let p = Page::lire(page);
    for (id, valeur) in champs {
        assert!(
            !p.texte(&format!("#{id}-erreur")).is_empty(),
            "{id}: pas de message: {page}"
        );
        assert!(
            !p.tous(&format!("[role=alert] a[href='#{id}']")).is_empty(),
            "{id}: pas de lien dans le résumé"
        );
        let controle = p.un(&format!("#{id}"));
        if controle.value().attr("type") != Some("checkbox") {
            assert_eq!(controle.value().attr("aria-invalid"), Some("true"), "{id}");
            let garde = match controle.value().name() {
                "textarea" => commun::texte(controle),
                "select" => p.attribut(&format!("#{id} option[selected]"), "value"),
                _ => controle
                    .value()
                    .attr("value")
                    .unwrap_or_default()
                    .to_owned(),
            };
            assert_eq!(garde, *valeur, "{id}: valeur non gardée");
        }
    }
    assert_eq!(
        p.tous("[role=alert] li").len(),
        champs.len(),
        "{}",
        p.texte("[role=alert]")
    );
}

async fn acteur(d: &Demo, email: &str) -> Acteur {
    d.plateforme()
        .await
        .utilisateur_par_email(email)
        .await
        .unwrap()
        .unwrap()
        .1
}

fn demo(nom: &'static str) -> Demo {
    creer_demo(moteur(), nom, |p, maintenant| {
        Box::pin(async move {
            SuiviActivite::new(p)
                .peupler_demo(p, 7, maintenant)
                .await
                .unwrap();
        })
    })
}

sur_les_deux_moteurs!(chaque_formulaire_d_une_structure_signale_toutes_ses_erreurs);
async fn chaque_formulaire_d_une_structure_signale_toutes_ses_erreurs() {
    let d = demo("formulaires-structure");
    let r = web::routeur(Etat {
        plateforme: d.plateforme().await,
        cookie_securise: false,
    });
    let email = "gestionnaire.38.1@demo.parentalite.fr";
    let gid = *acteur(&d, email).await.gestionnaires.first().unwrap();
    let gest = ouvrir(&r, &d, email).await;
    let agent = ouvrir(&r, &d, "agent.38@demo.parentalite.fr").await;

    // A structure registered by the Caf: a wrong SIRET and a wrong postal code.
    let (statut, page) = poster(
        &r,
        &agent,
        "/structures",
        &[
            ("raison_sociale", "Maison des familles"),
            ("siret", "123"),
            ("statut", "association_loi_1901"),
            ("rna", "W381000123"),
            ("activite", "generaliste"),
            ("voie", "1 rue Haute"),
            ("code_postal", "38A"),
            ("commune", "38185"),
        ],
    )
    .await;
    refuse(statut, &page, &[("siret", "123"), ("code_postal", "38A")]);
    assert!(page.contains("value=\"Maison des familles\""));

    // A site without a name, with a wrong postal code and no way of being received.
    let fiche = format!("/structures/{gid}");
    let (statut, page) = poster(
        &r,
        &gest,
        &format!("{fiche}/lieux"),
        &[
            ("nom_lieu", ""),
            ("voie_lieu", "2 place du Marché"),
            ("code_postal_lieu", "3800"),
            ("commune_lieu", "38185"),
        ],
    )
    .await;
    refuse(
        statut,
        &page,
        &[("nom_lieu", ""), ("code_postal_lieu", "3800"), ("rdv", "")],
    );
    assert!(page.contains("value=\"2 place du Marché\""));

    // An intervenant without a first name, with FTE that are not a number.
    let (statut, page) = poster(
        &r,
        &gest,
        &format!("{fiche}/intervenants"),
        &[
            ("prenom", ""),
            ("nom", "Durand"),
            ("diplome", "psychologue"),
            ("statut", "salarie"),
            ("etp", "beaucoup"),
            ("contrat_debut", "2024-01-01"),
        ],
    )
    .await;
    refuse(statut, &page, &[("prenom", ""), ("etp", "beaucoup")]);
    assert!(page.contains("value=\"Durand\""));
    // A contract ending before it starts, and a criminal-record check dated in the future (the
    // rules' own check): both at once.
    let (statut, page) = poster(
        &r,
        &gest,
        &format!("{fiche}/intervenants"),
        &[
            ("prenom", "Alex"),
            ("nom", "Durand"),
            ("diplome", "psychologue"),
            ("statut", "salarie"),
            ("etp", "0,5"),
            ("contrat_debut", "2024-06-01"),
            ("contrat_fin", "2024-01-01"),
            ("casier", "2999-01-01"),
        ],
    )
    .await;
    refuse(
        statut,
        &page,
        &[("contrat_fin", "2024-01-01"), ("casier", "2999-01-01")],
    );

    // Bank details: a wrong check digit, a BIC too short, no holder.
    let iban = "FR77 3000 6000 0112 3456 7890 189";
    let (statut, page) = poster(
        &r,
        &gest,
        &format!("{fiche}/banque"),
        &[("iban", iban), ("bic", "AGRI"), ("titulaire", "")],
    )
    .await;
    refuse(
        statut,
        &page,
        &[("iban", iban), ("bic", "AGRI"), ("titulaire", "")],
    );

    // A commitment attested without a statement and dated in the future.
    let structure = d
        .plateforme()
        .await
        .gestionnaire(&acteur(&d, email).await, gid)
        .await
        .unwrap()
        .valeur;
    let code = structure.engagements_applicables()[0].code();
    let (respecte, declaration, date) = (
        format!("respecte_{code}"),
        format!("declaration_{code}"),
        format!("date_{code}"),
    );
    let (statut, page) = poster(
        &r,
        &gest,
        &format!("{fiche}/engagements"),
        &[
            (&respecte, "oui"),
            (&declaration, ""),
            (&date, "2999-01-01"),
        ],
    )
    .await;
    refuse(statut, &page, &[(&declaration, ""), (&date, "2999-01-01")]);
}

/// A signed AIP convention of a gestionnaire of the demonstration whose structure recorded
/// sessions in an exercise the convention covers: its gestionnaire's email, the convention, the
/// exercise, the activity recorded and a declaration not yet written for it.
async fn convention_avec_activite(
    d: &Demo,
) -> (String, Convention, i32, Activite, NatureDeclaration) {
    let p = d.plateforme().await;
    let suivi = SuiviActivite::new(&p);
    for email in d
        .mots_de_passe
        .keys()
        .filter(|e| e.starts_with("gestionnaire."))
    {
        let acteur = acteur(d, email).await;
        for c in p.conventions(&acteur).await.unwrap() {
            let c = c.valeur;
            if c.etat != EtatConvention::Signee || !c.dispositif.regles().declarations_aip {
                continue;
            }
            for exercice in c.debut.year()..=c.fin.year() {
                let Ok(chiffres) = suivi
                    .chiffres_bilan(&acteur, c.gestionnaire, exercice)
                    .await
                else {
                    continue;
                };
                let a = chiffres.activite_declaree();
                let existantes: Vec<NatureDeclaration> = p
                    .declarations(&acteur, Some(c.id))
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|x| x.valeur.exercice == exercice)
                    .map(|x| x.valeur.nature)
                    .collect();
                let nature = [NatureDeclaration::Actualisee, NatureDeclaration::Reelle]
                    .into_iter()
                    .find(|n| !existantes.contains(n));
                if let (true, Some(nature)) = (a.entretiens > 0, nature) {
                    return (email.clone(), c, exercice, a, nature);
                }
            }
        }
    }
    panic!("aucune convention signée avec des entretiens enregistrés");
}

sur_les_deux_moteurs!(la_declaration_part_des_entretiens_enregistres_et_signale_toutes_ses_erreurs);
async fn la_declaration_part_des_entretiens_enregistres_et_signale_toutes_ses_erreurs() {
    let d = demo("formulaires-declaration");
    let p = d.plateforme().await;
    let r = web::routeur(Etat {
        plateforme: d.plateforme().await,
        cookie_securise: false,
    });
    let (email, convention, exercice, enregistree, nature) = convention_avec_activite(&d).await;
    let gest = ouvrir(&r, &d, &email).await;
    let url = format!("/conventions/{}", convention.id);
    let action = format!("{url}/action");

    // Prepared from the sessions recorded for the exercise.
    let (statut, page) = lire(&r, &gest.cookie, &format!("{url}?exercice={exercice}")).await;
    assert_eq!(statut, StatusCode::OK);
    let html = Page::lire(&page);
    assert_eq!(html.attribut("#exercice", "value"), exercice.to_string());
    assert_eq!(
        html.attribut("#entretiens", "value"),
        enregistree.entretiens.to_string()
    );
    assert_eq!(
        html.attribut("#parents", "value"),
        enregistree.parents_distincts.to_string()
    );
    assert_eq!(
        html.attribut("#heures", "value"),
        enregistree.heures_entretiens.to_string()
    );

    let acteur_g = acteur(&d, &email).await;
    let mois = convention.mois_couverts(exercice).to_string();
    let (entretiens, parents, heures) = (
        enregistree.entretiens.to_string(),
        enregistree.parents_distincts.to_string(),
        enregistree.heures_entretiens.to_string(),
    );
    let exercice_texte = exercice.to_string();
    let declaration = |depenses: &'static str,
                       mois: &str,
                       entretiens: &str,
                       motif: &'static str|
     -> Vec<(String, String)> {
        [
            ("action", "saisir_declaration"),
            ("nature", nature.code()),
            ("exercice", &exercice_texte),
            ("depenses", depenses),
            ("etp_declares", "1"),
            ("mois", mois),
            ("entretiens", entretiens),
            ("parents", &parents),
            ("heures", &heures),
            ("motif_ecart", motif),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
    };
    let envoyer = async |champs: Vec<(String, String)>| {
        let champs: Vec<(&str, &str)> = champs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        poster(&r, &gest, &action, &champs).await
    };

    // Two wrong fields: both next to their field, everything typed kept.
    let (statut, page) = envoyer(declaration("quarante mille", "13", &entretiens, "")).await;
    refuse(
        statut,
        &page,
        &[("depenses", "quarante mille"), ("mois", "13")],
    );

    // A count changed without a reason: refused on the reason.
    let autre = (enregistree.entretiens + 7).to_string();
    let (statut, page) = envoyer(declaration("40000", &mois, &autre, "")).await;
    refuse(statut, &page, &[("motif_ecart", "")]);
    assert_eq!(
        Page::lire(&page).attribut("#entretiens", "value"),
        autre,
        "le nombre saisi est gardé"
    );

    // With its reason, recorded; the page says what comes next, and the reason is shown.
    let motif = "Entretiens tenus hors plateforme pendant une panne";
    let (statut, _) = envoyer(declaration("40000", &mois, &autre, motif)).await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    let (_, page) = lire(
        &r,
        &gest.cookie,
        &format!("{url}?suite=declaration_enregistree"),
    )
    .await;
    assert!(page.contains("Déclaration enregistrée"), "{page}");
    assert!(page.contains(motif), "{page}");
    let enregistree_en_base = p
        .declarations(&acteur_g, Some(convention.id))
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.valeur.exercice == exercice && x.valeur.nature == nature)
        .unwrap()
        .valeur;
    let ecart = enregistree_en_base
        .ecart_activite
        .expect("le motif de l'écart");
    assert_eq!(ecart.motif, motif);
    assert_eq!(ecart.enregistree, enregistree);
    // The Caf of the département reads it too.
    let caf = ouvrir(
        &r,
        &d,
        &format!(
            "agent.{}@demo.parentalite.fr",
            convention.departement.as_str()
        ),
    )
    .await;
    let (_, page) = lire(&r, &caf.cookie, &url).await;
    assert!(page.contains(motif), "{page}");

    // The bilan: two fields that are not numbers.
    let (statut, page) = poster(
        &r,
        &gest,
        &action,
        &[
            ("action", "saisir_bilan"),
            ("exercice_bilan", "l'an dernier"),
            ("familles", "beaucoup"),
            ("entretiens_bilan", "3"),
            ("heures_ap", "2"),
            ("synthese", "Une année pleine"),
        ],
    )
    .await;
    refuse(
        statut,
        &page,
        &[("exercice_bilan", "l'an dernier"), ("familles", "beaucoup")],
    );
}
