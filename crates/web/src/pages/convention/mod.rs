//! One convention: its parties and period, and the yearly cycle under it: the three declarations
//! (prepared by the gestionnaire from the sessions recorded, checked with the right they will give,
//! sent; validated by the Caf, with the right computed and frozen with its trace), the bilan, the
//! instalments and the payments; and its signature: the gestionnaire signs in the application
//! (explicit acceptance), the Caf countersigns. Each form is offered only where the domain says the
//! action is open to the user ([`domain::convention::Convention::actions_ouvertes`]); the domain
//! checks it again on submission, and a refusal shows the page again with every error next to its
//! field and what was typed.
//!
//! Handlers here; the commands in [`commande`] and [`execution`]; each section's view model and
//! template in its own module.

mod bilans;
pub(crate) mod commande;
mod declarations;
mod echeancier;
mod execution;
mod signature;
mod validation;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use domain::convention::Convention;
use domain::identifiants::ConventionId;
use domain::paiement::Paiement;
use maud::{Markup, html};
use serde::Deserialize;
use store::depot::Lu;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Echec, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne};
use commande::{ActionFormulaire, Envoi};

/// What the page says after a form went through (`?suite=`).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Suite {
    DeclarationEnregistree,
    DeclarationTransmise,
    DeclarationValidee,
    DeclarationRenvoyee,
    BilanEnregistre,
    BilanTransmis,
    BilanValide,
    Signee,
    Versee,
}

impl Suite {
    /// The value of `?suite=`.
    fn code(self) -> &'static str {
        match self {
            Suite::DeclarationEnregistree => "declaration_enregistree",
            Suite::DeclarationTransmise => "declaration_transmise",
            Suite::DeclarationValidee => "declaration_validee",
            Suite::DeclarationRenvoyee => "declaration_renvoyee",
            Suite::BilanEnregistre => "bilan_enregistre",
            Suite::BilanTransmis => "bilan_transmis",
            Suite::BilanValide => "bilan_valide",
            Suite::Signee => "signee",
            Suite::Versee => "versee",
        }
    }

    /// What happened, and what comes next.
    fn message(self) -> &'static str {
        match self {
            Suite::DeclarationEnregistree => {
                "Déclaration enregistrée. Vérifiez ses chiffres et le droit estimé ci-dessous, puis transmettez-la à la Caf : tant qu'elle n'est pas transmise, la Caf ne la voit pas."
            }
            Suite::DeclarationTransmise => {
                "Déclaration transmise à la Caf. Elle ne peut plus être modifiée ; la Caf la valide, ce qui fige le droit, ou vous la renvoie avec un motif."
            }
            Suite::DeclarationValidee => {
                "Déclaration validée : son droit est figé avec son calcul, et le prochain paiement en tient compte."
            }
            Suite::DeclarationRenvoyee => {
                "Déclaration renvoyée au gestionnaire avec votre motif : il la corrige puis la transmet à nouveau."
            }
            Suite::BilanEnregistre => {
                "Bilan enregistré. Transmettez-le à la Caf une fois l'exercice terminé."
            }
            Suite::BilanTransmis => "Bilan transmis à la Caf, qui le valide ou vous le renvoie.",
            Suite::BilanValide => "Bilan validé.",
            Suite::Signee => "Signature enregistrée.",
            Suite::Versee => "Versement émis : il figure dans les paiements ci-dessous.",
        }
    }
}

/// What the address of the page may say.
#[derive(Debug, Default, Deserialize)]
pub struct ParametresFiche {
    suite: Option<Suite>,
    /// The exercise whose declaration to prepare.
    exercice: Option<i32>,
}

/// What a refused form typed, and its errors, to show them again.
#[derive(Debug, Clone, Copy)]
struct Retour<'a> {
    pub saisie: Option<&'a ActionFormulaire>,
    pub erreurs: &'a Erreurs,
}

/// The view model of the page.
struct VueConvention {
    pub convention: Convention,
    pub signature: signature::VueSignature,
    pub declarations: Option<declarations::VueDeclarations>,
    pub validations: Vec<validation::VueValidation>,
    pub bilans: Option<bilans::VueBilans>,
    pub paiements: Vec<Lu<Paiement>>,
    /// The pièces justificatives of each declaration and bilan.
    pub pieces: Markup,
    pub suite: Option<Suite>,
}

/// `GET /conventions/{id}`.
pub async fn fiche(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Query(parametres): Query<ParametresFiche>,
) -> Result<Html<String>, ErreurWeb> {
    let vide = Erreurs::default();
    let retour = Retour {
        saisie: None,
        erreurs: &vide,
    };
    let vue = charger(&etat, &c, id, parametres.exercice, parametres.suite).await?;
    Ok(Html(gabarit(&c, &vue, retour).into_string()))
}

/// `POST /conventions/{id}/action`.
pub async fn agir(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(envoi): Form<Envoi>,
) -> Result<Response, ErreurWeb> {
    match execution::executer(&etat, &c, id, &envoi).await {
        Ok(r) => Ok(r),
        Err(Echec::Page(w)) => Err(w),
        Err(Echec::Saisie(x)) => {
            let exercice = match &envoi.action {
                ActionFormulaire::SaisirDeclaration(s) => s.exercice.trim().parse().ok(),
                _ => None,
            };
            let vue = charger(&etat, &c, id, exercice, None).await?;
            let retour = Retour {
                saisie: Some(&envoi.action),
                erreurs: &x,
            };
            Ok((x.statut(), Html(gabarit(&c, &vue, retour).into_string())).into_response())
        }
    }
}

/// Loads everything the page shows, for `c`.
async fn charger(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    exercice: Option<i32>,
    suite: Option<Suite>,
) -> Result<VueConvention, ErreurWeb> {
    let p = &etat.plateforme;
    let cid = ConventionId(id);
    let convention = p.convention(&c.acteur, cid).await?.valeur;
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let ouvertes = convention.actions_ouvertes(&c.acteur, aujourd_hui);
    let declarations_lues = p.declarations(&c.acteur, Some(cid)).await?;
    let bilans_lus = p.bilans(&c.acteur, cid).await?;
    let paiements = p.paiements(&c.acteur, Some(cid)).await?;
    let regles = convention.dispositif.regles();
    let declarations = if regles.declarations_aip {
        Some(
            declarations::charger(
                etat,
                c,
                &convention,
                &ouvertes,
                &declarations_lues,
                exercice,
            )
            .await?,
        )
    } else {
        None
    };
    let validations = validation::charger(etat, c, &declarations_lues, &bilans_lus).await?;
    let bilans = regles
        .bilan
        .then(|| bilans::charger(c, &ouvertes, &bilans_lus));
    let objets: Vec<(domain::pieces::ObjetPiece, String)> = declarations_lues
        .iter()
        .map(|d| {
            (
                domain::pieces::ObjetPiece::Declaration(d.valeur.id),
                format!("{} {}", d.valeur.nature.libelle(), d.valeur.exercice),
            )
        })
        .chain(bilans_lus.iter().map(|b| {
            (
                domain::pieces::ObjetPiece::Bilan(b.valeur.id),
                format!("bilan {}", b.valeur.exercice),
            )
        }))
        .collect();
    Ok(VueConvention {
        signature: signature::VueSignature::de(c, &convention, &ouvertes, aujourd_hui),
        convention,
        declarations,
        validations,
        bilans,
        paiements,
        pieces: crate::pages::pieces::liens_pieces(&objets),
        suite,
    })
}

/// The page.
fn gabarit(c: &Connecte, vue: &VueConvention, retour: Retour<'_>) -> Markup {
    let v = &vue.convention;
    let cible = format!("/conventions/{}/action", v.id);
    let contenu = html! {
        h1 { "Convention " (v.numero) }
        (retour.erreurs.resume())
        @if let Some(suite) = vue.suite {
            div.encadre.succes role="status" { p { (suite.message()) } }
        }
        p { (vue::etat_convention(v.etat)) }
        (signature::bloc(c, &vue.signature, v, &cible, retour))
        dl.fiche {
            dt { "Dossier" }
            dd { a href={ "/dossiers/" (v.dossier) } { "n°" (v.dossier) } }
            dt { "Période" }
            dd { "du " (fr::date(v.debut)) " au " (fr::date(v.fin)) " (sans reconduction tacite)" }
            dt { "Signée le" }
            dd { (v.date_signature.map_or("non signée".to_owned(), fr::date)) }
            (echeancier::financement(v))
        }
        p.actions {
            a.bouton.secondaire href={ "/conventions/" (v.id) "/convention.pdf" } { "Convention (PDF)" }
            a.bouton.secondaire href={ "/conventions/" (v.id) "/releve.pdf" } { "Relevé des paiements et calculs (PDF)" }
        }
        (echeancier::section(c, v, &vue.paiements, &cible))
        @if let Some(d) = &vue.declarations {
            (declarations::tableau(c, d, &cible, retour))
        }
        @if let Some(b) = &vue.bilans {
            (bilans::tableau(c, b, &cible))
        }
        @for val in &vue.validations {
            (validation::section(c, val, &cible, retour))
        }
        @if let Some(d) = &vue.declarations {
            (declarations::traces(d))
        }
        h2 { "Paiements" }
        (paiements(&vue.paiements))
        (signature::formulaire_caf(c, &vue.signature, &cible, retour))
        @if let Some(d) = &vue.declarations {
            (declarations::formulaire(c, d, &cible, retour))
        }
        @if let Some(b) = &vue.bilans {
            (bilans::formulaire(c, b, &cible, retour))
        }
        (vue.pieces)
    };
    vue::page(
        &retour.erreurs.titre(&format!("Convention {}", v.numero)),
        Some(c),
        "/conventions",
        contenu,
    )
}

/// The payments made under the convention.
fn paiements(paiements: &[Lu<Paiement>]) -> Markup {
    let colonnes = [
        Colonne {
            titre: "Référence",
            nombre: false,
        },
        Colonne {
            titre: "Exercice",
            nombre: true,
        },
        Colonne {
            titre: "Nature",
            nombre: false,
        },
        Colonne {
            titre: "Montant",
            nombre: true,
        },
        Colonne {
            titre: "Date",
            nombre: false,
        },
    ];
    let lignes: Vec<Vec<Markup>> = paiements
        .iter()
        .map(|p| {
            let p = &p.valeur;
            vec![
                html! { (p.reference) },
                html! { (p.exercice) },
                html! { (p.nature.libelle()) },
                html! { (fr::euros(p.montant.centimes())) },
                html! { (fr::date(p.date)) },
            ]
        })
        .collect();
    vue::tableau("Paiements de la convention", &colonnes, &lignes)
}

/// A one-button form of `action` on the page, its hidden fields in `caches` (right after the
/// action's).
pub(super) fn bouton(
    c: &Connecte,
    cible: &str,
    action: &str,
    libelle: &str,
    caches: Markup,
    secondaire: bool,
) -> Markup {
    html! {
        form.en-ligne method="post" action=(cible) {
            (vue::champ_csrf(c))
            input type="hidden" name="action" value=(action);
            (caches)
            button.secondaire[secondaire] type="submit" { (libelle) }
        }
    }
}
