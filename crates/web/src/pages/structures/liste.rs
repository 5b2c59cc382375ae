//! The list of structures a user may see, with the registration of a structure: by a Caf agent
//! from the list, or by a gestionnaire for its own structure (with the eligibility of the status
//! and activity chosen, as the Caf will judge them, Référentiel national de financement de l'AIP
//! §II.2).

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::structures::{Gestionnaire, StatutJuridique, TypeActivite};
use maud::{Markup, html};
use referentiel::conformite;
use store::depot::Lu;

use super::gestionnaire::{self, NouveauGestionnaire};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::session::Connecte;
use crate::vue::{self, Colonne};

/// The list page: the structures, and the form the user's role offers.
fn page_liste(
    c: &Connecte,
    structures: &[Lu<Gestionnaire>],
    saisie: &NouveauGestionnaire,
    x: &Erreurs,
) -> Markup {
    let colonnes = [
        Colonne {
            titre: "Raison sociale",
            nombre: false,
        },
        Colonne {
            titre: "SIRET",
            nombre: false,
        },
        Colonne {
            titre: "Statut",
            nombre: false,
        },
        Colonne {
            titre: "Département",
            nombre: false,
        },
    ];
    let lignes: Vec<Vec<Markup>> = structures
        .iter()
        .map(|g| {
            let g = &g.valeur;
            vec![
                html! { a href={ "/structures/" (g.id) } { (g.raison_sociale) } },
                html! { (g.siret.formate()) },
                html! { (g.statut.libelle()) },
                html! { (g.departement_siege.as_str()) },
            ]
        })
        .collect();
    let contenu = html! {
        h1 { "Structures" }
        (x.resume())
        (vue::tableau(&format!("{} gestionnaire(s)", lignes.len()), &colonnes, &lignes))
        @match c.acteur.role {
            Role::Caf => (gestionnaire::formulaire(c, "/structures", "Enregistrer un gestionnaire", saisie, x)),
            Role::Gestionnaire => p { a.bouton href="/structures/inscription" { "Inscrire une structure" } },
            _ => {}
        }
    };
    vue::page(&x.titre("Structures"), Some(c), "/structures", contenu)
}

/// `GET /structures`.
pub async fn liste(State(etat): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    let structures = etat.plateforme.gestionnaires(&c.acteur).await?;
    Ok(Html(
        page_liste(
            &c,
            &structures,
            &NouveauGestionnaire::default(),
            &Erreurs::default(),
        )
        .into_string(),
    ))
}

/// `POST /structures`: a Caf agent registers a gestionnaire.
pub async fn enregistrer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<NouveauGestionnaire>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    if c.acteur.role != Role::Caf {
        return Err(ErreurWeb::Interdit(
            "enregistrer un gestionnaire ici est réservé aux agents de la Caf; un gestionnaire inscrit sa structure depuis « Inscrire une structure »".into(),
        ));
    }
    let p = &etat.plateforme;
    match gestionnaire::enregistrer_structure(p, &c, &f).await? {
        Ok(id) => Ok(Redirect::to(&format!("/structures/{id}")).into_response()),
        Err(x) => {
            let structures = p.gestionnaires(&c.acteur).await?;
            Ok((
                x.statut(),
                Html(page_liste(&c, &structures, &f, &x).into_string()),
            )
                .into_response())
        }
    }
}

/// The registration page of a gestionnaire's own structure, with the eligibility of the status
/// and activity chosen.
fn page_inscription(c: &Connecte, f: &NouveauGestionnaire, x: &Erreurs) -> Markup {
    let apercu = match (
        StatutJuridique::depuis_code(&f.statut),
        TypeActivite::depuis_code(&f.activite),
    ) {
        (Some(s), Some(a)) => Some(conformite::verifier_structure(
            &conformite::StructureAip::new(s.vers_referentiel(), a.vers_referentiel()),
        )),
        _ => None,
    };
    let contenu = html! {
        h1 { "Inscrire une structure" }
        (x.resume())
        @if c.acteur.gestionnaires.is_empty() {
            p { "Votre compte n'est encore rattaché à aucune structure: inscrivez la vôtre pour répondre aux appels à projets de votre Caf." }
        } @else {
            p { "Votre compte est déjà rattaché à une structure; vous pouvez en inscrire une autre que vous gérez." }
        }
        p {
            "Après l'inscription, ajoutez vos lieux d'accueil et vos intervenants: la page de la structure montre leur éligibilité telle que la Caf l'examinera (statut, activité, diplômes, contrôle du casier judiciaire, analyse de la pratique)."
        }
        @if let Some(r) = &apercu {
            (super::rapport("Éligibilité du statut et de l'activité choisis", r))
        }
        (gestionnaire::formulaire(c, "/structures/inscription", "Votre structure", f, x))
    };
    vue::page(
        &x.titre("Inscrire une structure"),
        Some(c),
        "/structures",
        contenu,
    )
}

fn exiger_gestionnaire(c: &Connecte) -> Result<(), ErreurWeb> {
    if c.acteur.role == Role::Gestionnaire {
        Ok(())
    } else {
        Err(ErreurWeb::Interdit(
            "l'inscription d'une structure est faite par son gestionnaire; un agent de la Caf l'enregistre depuis la liste des structures".into(),
        ))
    }
}

/// `GET /structures/inscription`: a gestionnaire registers its own structure.
pub async fn inscription(c: Connecte) -> Result<Html<String>, ErreurWeb> {
    exiger_gestionnaire(&c)?;
    Ok(Html(
        page_inscription(&c, &NouveauGestionnaire::default(), &Erreurs::default()).into_string(),
    ))
}

/// `POST /structures/inscription`: the structure is registered and the user attached to it.
pub async fn inscrire(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<NouveauGestionnaire>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    exiger_gestionnaire(&c)?;
    match gestionnaire::enregistrer_structure(&etat.plateforme, &c, &f).await? {
        Ok(id) => Ok(Redirect::to(&format!("/structures/{id}")).into_response()),
        Err(x) => {
            Ok((x.statut(), Html(page_inscription(&c, &f, &x).into_string())).into_response())
        }
    }
}
