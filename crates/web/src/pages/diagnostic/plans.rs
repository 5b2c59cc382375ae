//! The action plan (`/coordination/plan-d-action`: axes of the schéma, actions, owners,
//! indicators, deadlines, status) and the information and communication plan
//! (`/coordination/communication`: actions towards families and partners, with their dates) of a
//! département: the list, and for the Caf's agents of the département the form that adds or
//! changes an action (every error at once, each next to its field; nothing written when one is
//! wrong) and the button that deletes one.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::coordination::plans::{
    ActionCommunication, ActionPlan, ElementPlan, PublicVise, SaisieActionPlan,
    SaisieCommunication, StatutAction,
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Territoire, liens_coordination, options_departements};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf, tableau};

/// What differs between the two plans' pages.
trait VuePlan: ElementPlan + Send + Sync {
    type Saisie: Default + Clone;
    const ADRESSE: &'static str;
    const TITRE: &'static str;
    const INTRODUCTION: &'static str;
    const AJOUTER: &'static str;
    /// The fields of the form, to place the domain's refusals: `(field named, field id)`.
    const CHAMPS: &'static [(&'static str, &'static str)];
    fn colonnes() -> Vec<Colonne<'static>>;
    fn cellules(&self) -> Vec<Markup>;
    fn saisie(&self) -> Self::Saisie;
    fn champs(saisie: &Self::Saisie, x: &Erreurs) -> Markup;
}

const fn colonne(titre: &'static str, nombre: bool) -> Colonne<'static> {
    Colonne { titre, nombre }
}

impl VuePlan for ActionPlan {
    type Saisie = SaisieActionPlan;
    const ADRESSE: &'static str = "/coordination/plan-d-action";
    const TITRE: &'static str = "Priorités locales et plan d'action";
    const INTRODUCTION: &'static str = "Les actions retenues par la coordination départementale pour ses priorités locales, chacune sous un axe du schéma départemental des services aux familles, avec leur porteur, leur indicateur, leur échéance et leur état d'avancement.";
    const AJOUTER: &'static str = "Ajouter une action";
    const CHAMPS: &'static [(&'static str, &'static str)] = &[
        ("axe", "axe"),
        ("intitule", "intitule"),
        ("porteur", "porteur"),
        ("indicateur", "indicateur"),
        ("echeance", "echeance"),
        ("statut", "statut"),
    ];

    fn colonnes() -> Vec<Colonne<'static>> {
        vec![
            colonne("Axe du schéma", false),
            colonne("Action", false),
            colonne("Porteur", false),
            colonne("Indicateur", false),
            colonne("Échéance", false),
            colonne("État", false),
        ]
    }

    fn cellules(&self) -> Vec<Markup> {
        vec![
            html! { (self.axe) },
            html! { (self.intitule) },
            html! { (self.porteur) },
            html! { (self.indicateur) },
            html! { (fr::date(self.echeance)) },
            html! { (self.statut.libelle()) },
        ]
    }

    fn saisie(&self) -> SaisieActionPlan {
        SaisieActionPlan::depuis(self)
    }

    fn champs(s: &SaisieActionPlan, x: &Erreurs) -> Markup {
        let statuts: Vec<(&str, &str)> = std::iter::once(("", "— choisir —"))
            .chain(StatutAction::TOUS.iter().map(|s| (s.code(), s.libelle())))
            .collect();
        html! {
            (Champ::new("axe", "Axe du schéma départemental").aide("par exemple « Soutien à la parentalité »").erreurs(x).longueur_max(200).texte(&s.axe))
            (Champ::new("intitule", "Action").erreurs(x).longueur_max(200).texte(&s.intitule))
            (Champ::new("porteur", "Porteur").aide("institution, service ou partenaire qui la conduit").erreurs(x).longueur_max(200).texte(&s.porteur))
            (Champ::new("indicateur", "Indicateur de suivi").erreurs(x).longueur_max(200).texte(&s.indicateur))
            (Champ::new("echeance", "Échéance").erreurs(x).saisie("date", &s.echeance))
            (Champ::new("statut", "État d'avancement").erreurs(x).liste(&statuts, s.statut.trim()))
        }
    }
}

impl VuePlan for ActionCommunication {
    type Saisie = SaisieCommunication;
    const ADRESSE: &'static str = "/coordination/communication";
    const TITRE: &'static str = "Plan d'information et de communication";
    const INTRODUCTION: &'static str = "Les actions d'information et de communication de la coordination départementale envers les familles et les partenaires, avec leur support et leur date.";
    const AJOUTER: &'static str = "Ajouter une action de communication";
    const CHAMPS: &'static [(&'static str, &'static str)] = &[
        ("intitule", "intitule"),
        ("public", "public"),
        ("support", "support"),
        ("date", "date"),
    ];

    fn colonnes() -> Vec<Colonne<'static>> {
        vec![
            colonne("Action", false),
            colonne("Public visé", false),
            colonne("Support", false),
            colonne("Date", false),
        ]
    }

    fn cellules(&self) -> Vec<Markup> {
        vec![
            html! { (self.intitule) },
            html! { (self.public.libelle()) },
            html! { (self.support) },
            html! { (fr::date(self.date)) },
        ]
    }

    fn saisie(&self) -> SaisieCommunication {
        SaisieCommunication::depuis(self)
    }

    fn champs(s: &SaisieCommunication, x: &Erreurs) -> Markup {
        let publics: Vec<(&str, &str)> = std::iter::once(("", "— choisir —"))
            .chain(PublicVise::TOUS.iter().map(|p| (p.code(), p.libelle())))
            .collect();
        html! {
            (Champ::new("intitule", "Action").erreurs(x).longueur_max(200).texte(&s.intitule))
            (Champ::new("public", "Public visé").erreurs(x).liste(&publics, s.public.trim()))
            (Champ::new("support", "Support").aide("dépliant, réunion, page web, courriel…").erreurs(x).longueur_max(200).texte(&s.support))
            (Champ::new("date", "Date").erreurs(x).saisie("date", &s.date))
        }
    }
}

/// The page's query string: the département, and the action being changed.
#[derive(Debug, Deserialize, Default)]
pub struct ChoixPlan {
    pub departement: Option<String>,
    pub modifier: Option<i64>,
}

/// The form being shown again: the action changed (number, version read), what was typed.
struct Edition<'a, S> {
    cible: Option<(i64, i64)>,
    saisie: &'a S,
    erreurs: &'a Erreurs,
}

async fn rendre<T: VuePlan>(
    etat: &Etat,
    c: &Connecte,
    territoire: &Territoire,
    edition: Option<Edition<'_, T::Saisie>>,
) -> Result<Markup, ErreurWeb> {
    let p = &etat.plateforme;
    let d = territoire.departement;
    let lignes = p.plan_coordination::<T>(&c.acteur, d).await?;
    let ecrit = app::peut_ecrire_coordination(&c.acteur, d);
    let mut colonnes = vec![colonne("N°", true)];
    colonnes.extend(T::colonnes());
    if ecrit {
        colonnes.push(colonne("Gérer", false));
    }
    let cellules: Vec<Vec<Markup>> = lignes
        .iter()
        .map(|l| {
            let mut v = vec![html! { (l.id) }];
            v.extend(l.valeur.cellules());
            if ecrit {
                v.push(html! {
                    a href={ (T::ADRESSE) "?departement=" (d.as_str()) "&modifier=" (l.id) "#formulaire" } { "Modifier" span.sr-only { " l'action n°" (l.id) } }
                    form method="post" action={ (T::ADRESSE) "/" (l.id) "/suppression" } class="en-ligne" {
                        (champ_csrf(c))
                        input type="hidden" name="departement" value=(d.as_str());
                        button type="submit" class="secondaire" { "Supprimer" span.sr-only { " l'action n°" (l.id) } }
                    }
                });
            }
            v
        })
        .collect();
    let vide = Erreurs::default();
    let defaut = T::Saisie::default();
    let edition = edition.unwrap_or(Edition {
        cible: None,
        saisie: &defaut,
        erreurs: &vide,
    });
    let options = options_departements(&territoire.departements);
    let options: Vec<(&str, &str)> = options
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let mut erreurs = territoire.erreurs.clone();
    erreurs.etendre(edition.erreurs.clone());
    Ok(html! {
        h1 { (T::TITRE) }
        (erreurs.resume())
        p { (T::INTRODUCTION) }
        (liens_coordination(d, T::ADRESSE))
        @if territoire.departements.len() > 1 {
            form method="get" action=(T::ADRESSE) class="filtres" novalidate {
                (Champ::new("departement", "Département").erreurs(&territoire.erreurs).liste(&options, d.as_str()))
                button type="submit" class="secondaire" { "Afficher" }
            }
        }
        (tableau(
            &format!("{} – {} ({})", T::TITRE, domain::territoire::departement(d).map_or("", |x| x.nom.as_str()), fr::entier(lignes.len() as u64)),
            &colonnes,
            &cellules,
        ))
        @if ecrit {
            form #formulaire method="post" action=(T::ADRESSE) novalidate {
                fieldset {
                    legend {
                        @match edition.cible {
                            Some((id, _)) => { "Modifier l'action n°" (id) }
                            None => { (T::AJOUTER) }
                        }
                    }
                    (champ_csrf(c))
                    input type="hidden" name="departement" value=(d.as_str());
                    @if let Some((id, version)) = edition.cible {
                        input type="hidden" name="id" value=(id);
                        input type="hidden" name="version" value=(version);
                    }
                    p.aide { "Tous les champs sont obligatoires." }
                    (T::champs(edition.saisie, edition.erreurs))
                    button type="submit" { "Enregistrer" }
                    @if edition.cible.is_some() {
                        " " a href={ (T::ADRESSE) "?departement=" (d.as_str()) } { "Annuler la modification" }
                    }
                }
            }
        } @else {
            p.aide { "Ce plan est tenu par les agents de la Caf du département ; vous le consultez." }
        }
    })
}

async fn page<T: VuePlan>(
    etat: Etat,
    c: Connecte,
    choix: ChoixPlan,
) -> Result<Response, ErreurWeb> {
    let territoire = Territoire::lire(&etat, &c, choix.departement.as_deref())?;
    let d = territoire.departement;
    let statut = if territoire.erreurs.est_vide() {
        axum::http::StatusCode::OK
    } else {
        territoire.erreurs.statut()
    };
    let contenu = match choix.modifier {
        Some(id) if app::peut_ecrire_coordination(&c.acteur, d) => {
            let ligne = etat.plateforme.element_plan::<T>(&c.acteur, d, id).await?;
            let saisie = ligne.valeur.saisie();
            let vide = Erreurs::default();
            rendre::<T>(
                &etat,
                &c,
                &territoire,
                Some(Edition {
                    cible: Some((ligne.id, ligne.version)),
                    saisie: &saisie,
                    erreurs: &vide,
                }),
            )
            .await?
        }
        _ => rendre::<T>(&etat, &c, &territoire, None).await?,
    };
    let titre = territoire.erreurs.titre(T::TITRE);
    Ok((
        statut,
        Html(vue::page(&titre, Some(&c), "/coordination/diagnostic", contenu).into_string()),
    )
        .into_response())
}

/// `GET /coordination/plan-d-action`.
pub async fn page_plan_action(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<ChoixPlan>,
) -> Result<Response, ErreurWeb> {
    page::<ActionPlan>(etat, c, choix).await
}

/// `GET /coordination/communication`.
pub async fn page_communication(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<ChoixPlan>,
) -> Result<Response, ErreurWeb> {
    page::<ActionCommunication>(etat, c, choix).await
}

/// The hidden fields of the form: the département, and the action changed with its version.
#[derive(Debug, Deserialize, Default)]
pub struct Cible {
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    #[serde(default)]
    pub departement: String,
    pub id: Option<String>,
    pub version: Option<String>,
}

impl Cible {
    /// The département (one the user may read) and the action changed, if any.
    fn lire(
        &self,
        etat: &Etat,
        c: &Connecte,
    ) -> Result<(Territoire, Option<(i64, i64)>), ErreurWeb> {
        c.verifier_csrf(self.csrf.as_deref())?;
        let territoire = Territoire::lire(etat, c, Some(&self.departement))?;
        if !territoire.erreurs.est_vide() {
            return Err(ErreurWeb::Interdit(
                "ce département n'est pas de votre ressort".to_owned(),
            ));
        }
        let nombre = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::parse::<i64>)
        };
        let cible = match (nombre(&self.id), nombre(&self.version)) {
            (None, None) => None,
            (Some(Ok(id)), Some(Ok(version))) => Some((id, version)),
            _ => {
                return Err(ErreurWeb::Refus(
                    "action à modifier mal désignée".to_owned(),
                ));
            }
        };
        Ok((territoire, cible))
    }
}

/// An action of the plan as sent.
#[derive(Debug, Deserialize)]
pub struct FormulaireAction {
    #[serde(flatten)]
    pub cible: Cible,
    #[serde(flatten)]
    pub saisie: SaisieActionPlan,
}

/// An action of communication as sent.
#[derive(Debug, Deserialize)]
pub struct FormulaireCommunication {
    #[serde(flatten)]
    pub cible: Cible,
    #[serde(flatten)]
    pub saisie: SaisieCommunication,
}

/// After a write: back to the list, or the form again with its errors (422, 409 when someone
/// else saved first).
async fn apres<T: VuePlan>(
    etat: &Etat,
    c: &Connecte,
    territoire: &Territoire,
    cible: Option<(i64, i64)>,
    saisie: &T::Saisie,
    resultat: Result<i64, app::ErreurApp>,
) -> Result<Response, ErreurWeb> {
    let erreurs = match resultat {
        Ok(_) => {
            return Ok(Redirect::to(&format!(
                "{}?departement={}",
                T::ADRESSE,
                territoire.departement.as_str()
            ))
            .into_response());
        }
        Err(e) => Erreurs::depuis_app(e, T::CHAMPS, "")?,
    };
    let contenu = rendre::<T>(
        etat,
        c,
        territoire,
        Some(Edition {
            cible,
            saisie,
            erreurs: &erreurs,
        }),
    )
    .await?;
    Ok((
        erreurs.statut(),
        Html(
            vue::page(
                &erreurs.titre(T::TITRE),
                Some(c),
                "/coordination/diagnostic",
                contenu,
            )
            .into_string(),
        ),
    )
        .into_response())
}

/// `POST /coordination/plan-d-action`: adds an action, or changes the one named.
pub async fn enregistrer_action(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<FormulaireAction>,
) -> Result<Response, ErreurWeb> {
    let (territoire, cible) = f.cible.lire(&etat, &c)?;
    let resultat = etat
        .plateforme
        .enregistrer_action_plan(
            &c.acteur,
            territoire.departement,
            cible,
            &f.saisie,
            time::OffsetDateTime::now_utc(),
        )
        .await;
    apres::<ActionPlan>(&etat, &c, &territoire, cible, &f.saisie, resultat).await
}

/// `POST /coordination/communication`: adds an action of communication, or changes the one
/// named.
pub async fn enregistrer_communication(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<FormulaireCommunication>,
) -> Result<Response, ErreurWeb> {
    let (territoire, cible) = f.cible.lire(&etat, &c)?;
    let resultat = etat
        .plateforme
        .enregistrer_communication(
            &c.acteur,
            territoire.departement,
            cible,
            &f.saisie,
            time::OffsetDateTime::now_utc(),
        )
        .await;
    apres::<ActionCommunication>(&etat, &c, &territoire, cible, &f.saisie, resultat).await
}

async fn supprimer<T: VuePlan>(
    etat: Etat,
    c: Connecte,
    id: i64,
    f: Cible,
) -> Result<Response, ErreurWeb> {
    let (territoire, _) = f.lire(&etat, &c)?;
    let d = territoire.departement;
    if !etat
        .plateforme
        .supprimer_element_plan::<T>(&c.acteur, d, id)
        .await?
    {
        return Err(ErreurWeb::Introuvable);
    }
    Ok(Redirect::to(&format!("{}?departement={}", T::ADRESSE, d.as_str())).into_response())
}

/// `POST /coordination/plan-d-action/{id}/suppression`.
pub async fn supprimer_action(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<Cible>,
) -> Result<Response, ErreurWeb> {
    supprimer::<ActionPlan>(etat, c, id, f).await
}

/// `POST /coordination/communication/{id}/suppression`.
pub async fn supprimer_communication(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<Cible>,
) -> Result<Response, ErreurWeb> {
    supprimer::<ActionCommunication>(etat, c, id, f).await
}
