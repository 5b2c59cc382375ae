//! The home page: for a logged-in user, who they are, what they cover, and the figures of their
//! territory that call for action (a typed template); for anyone else, the way to the directory
//! of the services for parents, and to the login.

use axum::extract::State;
use axum::response::Html;
use domain::acces::Role;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::session::Connecte;
use crate::vue;
use maud::html;

pub async fn accueil(
    State(etat): State<Etat>,
    entetes: axum::http::HeaderMap,
) -> Result<Html<String>, ErreurWeb> {
    match crate::session::session(&etat, &entetes).await? {
        Some(c) => accueil_connecte(&etat, c).await,
        None => Ok(accueil_public()),
    }
}

/// The home page of someone not signed in: first the search of the directory.
fn accueil_public() -> Html<String> {
    let contenu = html! {
        h1 { "Trouver de l’aide près de chez vous quand on est parent" }
        p {
            "Lieux d’accueil enfants-parents, médiation familiale, espaces rencontre, groupes de parents, "
            "accompagnement à la scolarité, accompagnement individuel : les services soutenus par les Caf, "
            "sans compte et sans inscription."
        }
        (super::annuaire::formulaire_accueil())
        h2 { "Vous êtes un professionnel ?" }
        p {
            "Les Caf, les structures et leurs partenaires gèrent ici leurs dossiers, conventions et services. "
            a href="/connexion" { "Se connecter à son espace" }
        }
    };
    Html(vue::page("Accueil", None, "/", contenu).into_string())
}

async fn accueil_connecte(etat: &Etat, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    let p = &etat.plateforme;
    let dossiers = p.dossiers(&c.acteur, None).await?;
    let compter = |etats: &[&str]| {
        dossiers
            .iter()
            .filter(|d| etats.contains(&d.valeur.etat.code()))
            .count()
    };
    let territoire = match c.acteur.role {
        Role::Cnaf => "toute la France".to_owned(),
        Role::Caf | Role::Financeur | Role::Membre => c
            .acteur
            .departements
            .iter()
            .map(|d| {
                domain::territoire::departement(*d)
                    .map_or(d.to_string(), |x| format!("{} ({})", x.nom, d))
            })
            .collect::<Vec<_>>()
            .join(", "),
        Role::Gestionnaire | Role::Intervenant => {
            format!("{} structure(s)", c.acteur.gestionnaires.len())
        }
    };
    let mut seances_a_venir = 0;
    if c.acteur.role == Role::Membre {
        let maintenant = time::OffsetDateTime::now_utc();
        for d in &c.acteur.departements {
            seances_a_venir += p
                .seances(&c.acteur, *d)
                .await?
                .iter()
                .filter(|s| {
                    s.valeur.debut > maintenant
                        && s.valeur.etat == domain::coordination::EtatSeance::Convoquee
                })
                .count();
        }
    }
    let cartes = match c.acteur.role {
        Role::Membre => vec![(
            "Séances à venir où vous êtes convoqué(e)",
            seances_a_venir,
            "/coordination",
        )],
        Role::Caf | Role::Cnaf => vec![
            (
                "Dossiers à instruire",
                compter(&["depose", "en_instruction", "complement_demande"]),
                "/dossiers?etat=depose",
            ),
            (
                "Présentés en comité",
                compter(&["presente_en_comite"]),
                "/dossiers?etat=presente_en_comite",
            ),
            (
                "Projets validés",
                compter(&["valide"]),
                "/dossiers?etat=valide",
            ),
        ],
        Role::Financeur => vec![
            (
                "Ordre du jour du comité",
                compter(&["presente_en_comite"]),
                "/dossiers?etat=presente_en_comite",
            ),
            (
                "Projets validés",
                compter(&["valide"]),
                "/dossiers?etat=valide",
            ),
        ],
        Role::Gestionnaire | Role::Intervenant => vec![
            (
                "Brouillons",
                compter(&["brouillon", "complement_demande"]),
                "/dossiers",
            ),
            (
                "En cours d'instruction",
                compter(&["depose", "en_instruction", "presente_en_comite"]),
                "/dossiers",
            ),
            (
                "Projets validés",
                compter(&["valide"]),
                "/dossiers?etat=valide",
            ),
        ],
    };
    let mut cartes = cartes;
    let mut sans_structure = false;
    if c.acteur.role == Role::Gestionnaire {
        let aujourd_hui = time::OffsetDateTime::now_utc().date();
        let a_signer = p
            .conventions(&c.acteur)
            .await?
            .iter()
            .filter(|v| {
                v.valeur.etat.code() == "projet"
                    && v.valeur.signature_gestionnaire.is_none()
                    && aujourd_hui <= v.valeur.fin
            })
            .count();
        cartes.push(("Conventions à signer", a_signer, "/conventions"));
        sans_structure = c.acteur.gestionnaires.is_empty();
    }
    // The messages of others in the threads of its dossiers that the user has not read.
    if matches!(c.acteur.role, Role::Caf | Role::Gestionnaire) {
        let non_lus: u32 = p
            .messages_non_lus(&c.acteur, &dossiers)
            .await?
            .values()
            .sum();
        cartes.push((
            "Messages non lus",
            usize::try_from(non_lus).unwrap_or_default(),
            "/dossiers?non_lus=1",
        ));
    }
    // The activity of the experiment's last exercise, as every dashboard shows it, live.
    const EXERCICE_ACTIVITE: i32 = 2025;
    let lien_activite = format!("/tableau-de-bord?exercice={EXERCICE_ACTIVITE}");
    let titre_activite = format!("Entretiens {EXERCICE_ACTIVITE}");
    if let Ok(t) = activite::SuiviActivite::new(p)
        .tableau_de_bord(&c.acteur, EXERCICE_ACTIVITE)
        .await
    {
        let n = usize::try_from(t.ensemble.entretiens).unwrap_or_default();
        cartes.push((titre_activite.as_str(), n, lien_activite.as_str()));
    }
    let contenu = html! {
        h1 { "Bonjour " (c.utilisateur.nom) }
        p {
            "Vous êtes connecté en tant que " strong { (c.acteur.role.libelle()) } ", pour " (territoire) "."
        }
        @if sans_structure {
            div.encadre.alerte {
                p { "Votre compte n'est rattaché à aucune structure : inscrivez la vôtre pour répondre aux appels à projets de votre Caf." }
                p { a.bouton href="/structures/inscription" { "Inscrire ma structure" } }
            }
        }
        h2 { "Votre activité" }
        div.grille {
            @for (titre, nombre, lien) in &cartes {
                div.carte {
                    p { (titre) }
                    p.chiffre { (fr::entier(u64::try_from(*nombre).unwrap_or_default())) }
                    p { a href=(lien) { "Voir la liste" span.evitement { " : " (titre) } } }
                }
            }
        }
    };
    Ok(Html(
        vue::page("Accueil", Some(&c), "/", contenu).into_string(),
    ))
}
