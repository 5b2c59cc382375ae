//! The intervenants of a structure: the form that adds one (diploma from the référentiel's list
//! or another one described, status, FTE, contract, criminal-record check, analyse de la
//! pratique), read field by field with every error at once, and its handler.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::identifiants::GestionnaireId;
use domain::quantites::Etp;
use domain::structures::{Diplome, Intervenant, StatutIntervenant};
use maud::{Markup, html};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use super::fiche::{SaisieFiche, rendre_fiche};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::session::Connecte;
use crate::vue::champ_csrf;

/// An intervenant as typed.
#[derive(Debug, Deserialize, Default)]
pub struct NouvelIntervenant {
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    #[serde(default)]
    pub prenom: String,
    #[serde(default)]
    pub nom: String,
    #[serde(default)]
    pub diplome: String,
    #[serde(default)]
    pub statut: String,
    #[serde(default)]
    pub etp: String,
    #[serde(default)]
    pub diplome_libelle: String,
    #[serde(default)]
    pub diplome_niveau: String,
    #[serde(default)]
    pub diplome_domaine: String,
    #[serde(default)]
    pub contrat_debut: String,
    #[serde(default)]
    pub contrat_fin: String,
    #[serde(default)]
    pub casier: String,
    #[serde(default)]
    pub heures_ap: String,
    pub experience: Option<String>,
}

const DIPLOMES: [(&str, &str); 9] = [
    (
        "assistant_service_social",
        "Assistant de service social (niveau 6)",
    ),
    ("educateur_specialise", "Éducateur spécialisé (niveau 6)"),
    (
        "conseiller_esf",
        "Conseiller en économie sociale familiale (niveau 6)",
    ),
    (
        "educateur_jeunes_enfants",
        "Éducateur de jeunes enfants (niveau 6)",
    ),
    ("mediateur_familial", "Médiateur familial (niveau 6)"),
    ("psychologue", "Psychologue (niveau 7)"),
    ("conseiller_conjugal", "Conseiller conjugal (niveau 5)"),
    ("coach", "Certification de coach uniquement"),
    ("autre", "Autre diplôme (préciser ci-dessous)"),
];

fn diplome(code: &str) -> Option<Diplome> {
    Some(match code {
        "assistant_service_social" => Diplome::AssistantServiceSocial,
        "educateur_specialise" => Diplome::EducateurSpecialise,
        "conseiller_esf" => Diplome::ConseillerEconomieSocialeFamiliale,
        "educateur_jeunes_enfants" => Diplome::EducateurJeunesEnfants,
        "mediateur_familial" => Diplome::MediateurFamilial,
        "psychologue" => Diplome::Psychologue,
        "conseiller_conjugal" => Diplome::ConseillerConjugal,
        "coach" => Diplome::CoachUniquement,
        _ => return None,
    })
}

/// The form, holding `i` (`nouveau`: nothing typed yet, the experience ticked).
pub(super) fn formulaire(
    c: &Connecte,
    id: i64,
    i: &NouvelIntervenant,
    nouveau: bool,
    x: &Erreurs,
) -> Markup {
    let diplomes: Vec<(&str, &str)> = std::iter::once(("", "Choisissez un diplôme"))
        .chain(DIPLOMES.iter().copied())
        .collect();
    let statuts = [
        ("salarie", "Salarié"),
        ("benevole", "Bénévole"),
        ("liberal", "Libéral"),
    ];
    html! {
        form method="post" action={ "/structures/" (id) "/intervenants" } novalidate {
            fieldset {
                legend { "Ajouter un intervenant" }
                (champ_csrf(c))
                (Champ::new("prenom", "Prénom").erreurs(x).texte(&i.prenom))
                (Champ::new("nom", "Nom").erreurs(x).texte(&i.nom))
                (Champ::new("diplome", "Diplôme").erreurs(x).liste(&diplomes, &i.diplome))
                fieldset {
                    legend { "Autre diplôme" }
                    p.aide { "Seulement si le diplôme n'est pas dans la liste : son intitulé, son niveau dans la nomenclature nationale (1 à 8) et son domaine." }
                    (Champ::new("diplome_libelle", "Intitulé du diplôme").erreurs(x).texte(&i.diplome_libelle))
                    (Champ::new("diplome_niveau", "Niveau (1 à 8)").erreurs(x).clavier(Clavier::Numerique).texte(&i.diplome_niveau))
                    (Champ::new("diplome_domaine", "Domaine").aide("Par exemple psychologie, travail social, sciences de l'éducation").erreurs(x).texte(&i.diplome_domaine))
                }
                (Champ::new("statut", "Statut").id("statut_i").erreurs(x).liste(&statuts, &i.statut))
                (Champ::new("etp", "ETP consacrés au service").aide("Par exemple 0,5").erreurs(x).clavier(Clavier::Decimal).texte(&i.etp))
                (Champ::new("contrat_debut", "Début du contrat sur le service").erreurs(x).saisie("date", &i.contrat_debut))
                (Champ::new("contrat_fin", "Fin du contrat").aide("Laisser vide pour un contrat à durée indéterminée").erreurs(x).saisie("date", &i.contrat_fin))
                (Champ::new("casier", "Date de vérification du bulletin n°3 du casier judiciaire").aide("Laisser vide si non vérifié").erreurs(x).saisie("date", &i.casier))
                (Champ::new("heures_ap", "Heures d'analyse de la pratique par an").erreurs(x).clavier(Clavier::Numerique).texte(&i.heures_ap))
                (Champ::new("experience", "Expérience ou formation dans le champ de la parentalité").case(i.experience.is_some() || nouveau))
                button type="submit" { "Ajouter l'intervenant" }
            }
        }
    }
}

/// A date typed in `champ`: `Some(None)` when blank, `None` (and an error) when not a date.
fn date(x: &mut Erreurs, champ: &str, libelle: &str, texte: &str) -> Option<Option<Date>> {
    match texte.trim() {
        "" => Some(None),
        t => Date::parse(t, format_description!("[year]-[month]-[day]"))
            .map(Some)
            .map_err(|_| {
                x.ajouter(
                    champ,
                    format!("{libelle} : « {t} » n'est pas une date (jj/mm/aaaa)"),
                )
            })
            .ok(),
    }
}

/// The rules' check of the intervenant typed, every error at once on its field: the
/// criminal-record check run alone (identity and diploma set to neutral values, no end of
/// contract, checked above), then the identity and diploma alone (no check date), unless their
/// fields were refused above already.
fn verifier(modele: &Intervenant, x: &mut Erreurs) {
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let neutre = Intervenant {
        contrat_fin: None,
        ..modele.clone()
    };
    let seul_casier = Intervenant {
        nom: "Nom".to_owned(),
        prenom: "Prénom".to_owned(),
        diplome: Diplome::Psychologue,
        ..neutre.clone()
    };
    if let Err(r) = seul_casier.verifier(aujourd_hui) {
        x.ajouter("casier", r.to_string());
    }
    if ["nom", "prenom", "diplome_libelle"]
        .iter()
        .any(|champ| x.de(champ).is_some())
    {
        return;
    }
    let sans_casier = Intervenant {
        verification_casier: None,
        ..neutre
    };
    if let Err(r) = sans_casier.verifier(aujourd_hui) {
        let identite = Intervenant {
            diplome: Diplome::Psychologue,
            ..sans_casier.clone()
        };
        // The identity passes: the diploma described is what is refused.
        let champ = if identite.verifier(aujourd_hui).is_ok() {
            "diplome_libelle"
        } else {
            "nom"
        };
        x.ajouter(champ, r.to_string());
    }
}

/// An intervenant as typed, every field checked: every error at once.
fn lire(
    id: i64,
    f: &NouvelIntervenant,
) -> Result<impl FnOnce(domain::identifiants::IntervenantId) -> Intervenant, Erreurs> {
    let mut x = Erreurs::default();
    if f.prenom.trim().is_empty() {
        x.ajouter("prenom", "Prénom : champ obligatoire");
    }
    if f.nom.trim().is_empty() {
        x.ajouter("nom", "Nom : champ obligatoire");
    }
    let diplome = if f.diplome == "autre" {
        let niveau = match f.diplome_niveau.trim() {
            "" => Some(None),
            t => match t.parse::<u8>() {
                Ok(n) if (1..=8).contains(&n) => Some(Some(n)),
                _ => {
                    x.ajouter(
                        "diplome_niveau",
                        format!("Niveau du diplôme : « {t} » n'est pas un niveau de 1 à 8"),
                    );
                    None
                }
            },
        };
        if f.diplome_libelle.trim().is_empty() {
            x.ajouter(
                "diplome_libelle",
                "Intitulé du diplôme : obligatoire pour un autre diplôme",
            );
        }
        niveau.map(|niveau| Diplome::Autre {
            libelle: f.diplome_libelle.trim().to_owned(),
            niveau,
            domaine: Some(f.diplome_domaine.trim().to_owned()).filter(|d| !d.is_empty()),
        })
    } else {
        let d = diplome(&f.diplome);
        if d.is_none() {
            x.ajouter("diplome", "Diplôme : choisissez-en un");
        }
        d
    };
    let contrat_debut = match date(
        &mut x,
        "contrat_debut",
        "Début du contrat",
        &f.contrat_debut,
    ) {
        Some(None) => {
            x.ajouter(
                "contrat_debut",
                "Début du contrat : obligatoire, les ETP financés sont ceux des intervenants sous contrat",
            );
            None
        }
        autre => autre,
    };
    let contrat_fin = date(&mut x, "contrat_fin", "Fin du contrat", &f.contrat_fin);
    if let (Some(Some(debut)), Some(Some(fin))) = (contrat_debut, contrat_fin)
        && fin < debut
    {
        x.ajouter(
            "contrat_fin",
            "Fin du contrat : elle précède le début du contrat",
        );
    }
    let statut = match f.statut.as_str() {
        "salarie" => Some(StatutIntervenant::Salarie),
        "benevole" => Some(StatutIntervenant::Benevole),
        "liberal" => Some(StatutIntervenant::Liberal),
        _ => {
            x.ajouter("statut_i", "Statut : salarié, bénévole ou libéral");
            None
        }
    };
    let etp = Etp::parse(&f.etp)
        .map_err(|m| x.ajouter("etp", format!("ETP : {m}")))
        .ok();
    let casier = date(
        &mut x,
        "casier",
        "Date de vérification du casier",
        &f.casier,
    );
    let heures = match f.heures_ap.trim() {
        "" => Some(None),
        t => t
            .parse::<u16>()
            .map(Some)
            .map_err(|_| {
                x.ajouter(
                    "heures_ap",
                    format!("Heures d'analyse de la pratique : « {t} » n'est pas un nombre entier"),
                )
            })
            .ok(),
    };
    match (
        diplome,
        statut,
        etp,
        casier,
        heures,
        contrat_debut,
        contrat_fin,
    ) {
        (
            Some(diplome),
            Some(statut),
            Some(etp),
            Some(casier),
            Some(heures),
            Some(contrat_debut),
            Some(contrat_fin),
        ) => {
            let modele = Intervenant {
                id: domain::identifiants::IntervenantId(0),
                gestionnaire: GestionnaireId(id),
                nom: f.nom.trim().to_owned(),
                prenom: f.prenom.trim().to_owned(),
                diplome,
                statut,
                experience_ou_formation_parentalite: f.experience.is_some(),
                etp,
                contrat_debut,
                contrat_fin,
                verification_casier: casier,
                heures_analyse_pratique_par_an: heures,
            };
            verifier(&modele, &mut x);
            if !x.est_vide() {
                return Err(x);
            }
            Ok(move |iid| Intervenant { id: iid, ..modele })
        }
        _ => Err(x),
    }
}

/// `POST /structures/{id}/intervenants`.
pub async fn ajouter_intervenant(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<NouvelIntervenant>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let erreurs = match lire(id, &f) {
        Ok(intervenant) => match p
            .ajouter_intervenant(&c.acteur, intervenant, time::OffsetDateTime::now_utc())
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/structures/{id}")).into_response()),
            // Each field was checked above with the rules' own check: what is left is
            // access, or the store's refusal.
            Err(a) => Erreurs::depuis_app(a, &[], "")?,
        },
        Err(x) => x,
    };
    Ok((
        erreurs.statut(),
        Html(rendre_fiche(p, &c, id, SaisieFiche::Intervenant(&f), &erreurs).await?),
    )
        .into_response())
}
