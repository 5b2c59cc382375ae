//! One convention: its parties and period, and the yearly cycle under it: the three declarations
//! (entered by the gestionnaire, validated by the Caf, with the right computed and frozen with its
//! trace), the bilan, and the payments. Each form is offered only to whom it belongs; the domain
//! checks it again on submission.

use app::ActionTransmission;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::declaration::{
    Activite, ContenuBilan, DonneesDeclaration, EtatTransmission, NatureDeclaration,
};
use domain::identifiants::{BilanId, ConventionId, DeclarationId};
use domain::quantites::{Centimes, Etp};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::rendu::{csrf, e, euros, page, tableau};
use crate::session::Connecte;

fn champ(nom: &str, libelle: &str, type_: &str, valeur: &str) -> String {
    format!(
        "<div class=\"champ\"><label for=\"{nom}\">{}</label><input type=\"{type_}\" id=\"{nom}\" name=\"{nom}\" value=\"{}\" required></div>",
        e(libelle),
        e(valeur)
    )
}

fn bouton(
    c: &Connecte,
    cible: &str,
    action: &str,
    libelle: &str,
    extra: &str,
    secondaire: bool,
) -> String {
    format!(
        "<form method=\"post\" action=\"{cible}\" class=\"en-ligne\">{}<input type=\"hidden\" name=\"action\" value=\"{action}\">{extra}\
         <button type=\"submit\"{}>{}</button></form>",
        csrf(c),
        if secondaire {
            " class=\"secondaire\""
        } else {
            ""
        },
        e(libelle)
    )
}

pub async fn fiche(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    let p = &etat.plateforme;
    let cid = ConventionId(id);
    let conv = p.convention(&c.acteur, cid).await?;
    let v = &conv.valeur;
    let declarations = p.declarations(&c.acteur, Some(cid)).await?;
    let bilans = p.bilans(&c.acteur, cid).await?;
    let paiements = p.paiements(&c.acteur, Some(cid)).await?;
    let cible = format!("/conventions/{id}/action");

    let mut lignes = Vec::new();
    let mut calculs = String::new();
    for d in &declarations {
        let d = &d.valeur;
        let etat_d = d.etat();
        let mut actions = String::new();
        if c.acteur.role == Role::Gestionnaire && etat_d == EtatTransmission::Saisie {
            actions.push_str(&bouton(
                &c,
                &cible,
                "transmettre_declaration",
                "Transmettre",
                &format!(
                    "<input type=\"hidden\" name=\"declaration\" value=\"{}\">",
                    d.id
                ),
                false,
            ));
        }
        if c.acteur.role == Role::Caf && etat_d == EtatTransmission::Transmise {
            let cache = format!(
                "<input type=\"hidden\" name=\"declaration\" value=\"{}\">",
                d.id
            );
            actions.push_str(&bouton(
                &c,
                &cible,
                "valider_declaration",
                "Valider",
                &cache,
                false,
            ));
            actions.push_str(&bouton(
                &c,
                &cible,
                "renvoyer_declaration",
                "Renvoyer",
                &format!("{cache}<label for=\"motif-{0}\" class=\"evitement\">Motif du renvoi</label><input type=\"text\" id=\"motif-{0}\" name=\"motif\" placeholder=\"Motif du renvoi\" required>", d.id),
                true,
            ));
        }
        if let Some(f) = p.calcul_fige(&c.acteur, d.id).await? {
            let trace: serde_json::Value = serde_json::from_str(&f.trace).unwrap_or_default();
            let etapes: String = trace["etapes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|et| {
                            let resultat = et["resultat"].as_object().and_then(|o| o.iter().next()).map(|(k, v)| format!("{k} = {}", v.as_str().unwrap_or_default())).unwrap_or_default();
                            format!(
                                "<li><strong>{}</strong><br>{}<br>{}<br><span class=\"aide\">{}</span></li>",
                                e(et["titre"].as_str().unwrap_or_default()),
                                e(et["formule"].as_str().unwrap_or_default()),
                                e(&resultat),
                                e(et["source"].as_str().unwrap_or_default())
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            calculs.push_str(&format!(
                "<section class=\"trace\"><h3>{} {}: droit de {}</h3><ol>{etapes}</ol></section>",
                e(d.nature.libelle()),
                d.exercice,
                euros(f.droit_centimes)
            ));
        }
        lignes.push(vec![
            d.exercice.to_string(),
            e(d.nature.libelle()),
            format!(
                "<span class=\"etiquette\">{}</span>{}",
                e(etat_d.libelle()),
                d.suivi
                    .motif_renvoi
                    .as_ref()
                    .map_or(String::new(), |m| format!(
                        "<br><span class=\"aide\">Renvoyée: {}</span>",
                        e(m)
                    ))
            ),
            euros(d.donnees.depenses_fonctionnement.centimes()),
            e(&d.donnees.etp_declares.to_string()),
            d.donnees.mois_fonctionnement.to_string(),
            actions,
        ]);
    }
    let mut lignes_bilans = Vec::new();
    for b in &bilans {
        let b = &b.valeur;
        let cache = format!("<input type=\"hidden\" name=\"bilan\" value=\"{}\">", b.id);
        let actions = match (c.acteur.role, b.etat()) {
            (Role::Gestionnaire, EtatTransmission::Saisie) => bouton(
                &c,
                &cible,
                "transmettre_bilan",
                "Transmettre",
                &cache,
                false,
            ),
            (Role::Caf, EtatTransmission::Transmise) => {
                bouton(&c, &cible, "valider_bilan", "Valider", &cache, false)
            }
            _ => String::new(),
        };
        lignes_bilans.push(vec![
            b.exercice.to_string(),
            format!("<span class=\"etiquette\">{}</span>", e(b.etat().libelle())),
            b.contenu.familles_accompagnees.to_string(),
            b.contenu.entretiens.to_string(),
            e(&b.contenu.synthese),
            actions,
        ]);
    }
    let lignes_paiements: Vec<Vec<String>> = paiements
        .iter()
        .map(|x| {
            let x = &x.valeur;
            vec![
                e(&x.reference),
                x.exercice.to_string(),
                e(x.nature.libelle()),
                euros(x.montant.centimes()),
                x.date.to_string(),
            ]
        })
        .collect();

    let mut formulaires = String::new();
    if c.acteur.role == Role::Caf && v.etat.code() == "projet" {
        formulaires.push_str(&format!(
            "<form method=\"post\" action=\"{cible}\"><fieldset><legend>Signature</legend>{}<input type=\"hidden\" name=\"action\" value=\"signer\">{}<button type=\"submit\">Enregistrer la signature</button></fieldset></form>",
            csrf(&c),
            champ("date_signature", "Date de signature par les deux parties", "date", "")
        ));
    }
    if c.acteur.role == Role::Gestionnaire {
        formulaires.push_str(&format!(
            "<form method=\"post\" action=\"{cible}\"><fieldset><legend>Saisir une déclaration</legend>{}<input type=\"hidden\" name=\"action\" value=\"saisir_declaration\">\
             <div class=\"champ\"><label for=\"nature\">Déclaration</label><select id=\"nature\" name=\"nature\"><option value=\"previsionnelle\">Prévisionnelle</option><option value=\"actualisee\">Actualisée</option><option value=\"reelle\">Réelle</option></select></div>\
             {}{}{}{}{}{}{}<button type=\"submit\">Enregistrer la déclaration</button></fieldset></form>",
            csrf(&c),
            champ("exercice", "Exercice", "text", "2025"),
            champ("depenses", "Dépenses de fonctionnement (€)", "text", ""),
            champ("etp_declares", "ETP déclarés", "text", ""),
            champ("mois", "Mois de fonctionnement", "text", "12"),
            champ("entretiens", "Nombre d'entretiens", "text", "0"),
            champ("parents", "Nombre de parents différents accompagnés", "text", "0"),
            champ("heures", "Nombre total d'heures d'entretiens", "text", "0"),
        ));
        formulaires.push_str(&format!(
            "<form method=\"post\" action=\"{cible}\"><fieldset><legend>Saisir le bilan annuel</legend>{}<input type=\"hidden\" name=\"action\" value=\"saisir_bilan\">{}{}{}{}\
             <div class=\"champ\"><label for=\"synthese\">Synthèse qualitative</label><textarea id=\"synthese\" name=\"synthese\" rows=\"4\" required></textarea></div>\
             <button type=\"submit\">Enregistrer le bilan</button></fieldset></form>",
            csrf(&c),
            champ("exercice_bilan", "Exercice", "text", "2025"),
            champ("familles", "Familles accompagnées", "text", "0"),
            champ("entretiens_bilan", "Entretiens", "text", "0"),
            champ("heures_ap", "Heures d'analyse de la pratique", "text", "0"),
        ));
    }
    let contenu = format!(
        "<h1>Convention {}</h1><p><span class=\"etiquette\">{}</span></p>\
         <dl class=\"fiche\"><dt>Dossier</dt><dd><a href=\"/dossiers/{}\">n°{}</a></dd><dt>Période</dt><dd>du {} au {} (sans reconduction tacite)</dd>\
         <dt>Signée le</dt><dd>{}</dd><dt>ETP notifiés</dt><dd>{} à compter du {}</dd></dl>\
         <p class=\"actions\"><a class=\"bouton secondaire\" href=\"/conventions/{id}/convention.pdf\">Convention (PDF)</a>\
         <a class=\"bouton secondaire\" href=\"/conventions/{id}/releve.pdf\">Relevé des paiements et calculs (PDF)</a></p>\
         <h2>Déclarations</h2>{}{calculs}<h2>Bilans annuels</h2>{}<h2>Paiements</h2>{}{formulaires}",
        e(&v.numero),
        e(v.etat.libelle()),
        v.dossier,
        v.dossier,
        v.debut,
        v.fin,
        v.date_signature
            .map_or("non signée".to_owned(), |d| d.to_string()),
        v.notification_initiale.etp,
        v.notification_initiale.date_effet,
        tableau(
            "Déclarations de la convention",
            &[
                ("Exercice", false),
                ("Déclaration", false),
                ("État", false),
                ("Dépenses", true),
                ("ETP déclarés", true),
                ("Mois", true),
                ("Actions", false)
            ],
            &lignes
        ),
        tableau(
            "Bilans",
            &[
                ("Exercice", false),
                ("État", false),
                ("Familles", true),
                ("Entretiens", true),
                ("Synthèse", false),
                ("Actions", false)
            ],
            &lignes_bilans
        ),
        tableau(
            "Paiements de la convention",
            &[
                ("Référence", false),
                ("Exercice", true),
                ("Nature", false),
                ("Montant", true),
                ("Date", false)
            ],
            &lignes_paiements
        ),
    );
    Ok(Html(page(
        &format!("Convention {}", v.numero),
        Some(&c),
        "/conventions",
        &contenu,
    )))
}

#[derive(Debug, Deserialize)]
pub struct Action {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    action: String,
    declaration: Option<i64>,
    bilan: Option<i64>,
    motif: Option<String>,
    date_signature: Option<String>,
    nature: Option<String>,
    exercice: Option<String>,
    depenses: Option<String>,
    etp_declares: Option<String>,
    mois: Option<String>,
    entretiens: Option<String>,
    parents: Option<String>,
    heures: Option<String>,
    exercice_bilan: Option<String>,
    familles: Option<String>,
    entretiens_bilan: Option<String>,
    heures_ap: Option<String>,
    synthese: Option<String>,
}

fn entier<T: std::str::FromStr>(champ: &str, t: Option<&str>) -> Result<T, ErreurWeb> {
    let t = t.unwrap_or_default().trim();
    t.replace(' ', "").parse::<T>().map_err(|_| {
        ErreurWeb::Refus(format!(
            "{champ}: « {t} » n'est pas un nombre entier valide"
        ))
    })
}

pub async fn agir(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<Action>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let cid = ConventionId(id);
    let quand = time::OffsetDateTime::now_utc();
    let declaration = || {
        f.declaration
            .map(DeclarationId)
            .ok_or_else(|| ErreurWeb::Refus("déclaration non précisée".into()))
    };
    let bilan = || {
        f.bilan
            .map(BilanId)
            .ok_or_else(|| ErreurWeb::Refus("bilan non précisé".into()))
    };
    match f.action.as_str() {
        "signer" => {
            let t = f.date_signature.as_deref().unwrap_or_default();
            let date =
                Date::parse(t, format_description!("[year]-[month]-[day]")).map_err(|_| {
                    ErreurWeb::Refus(format!(
                        "date de signature: « {t} » n'est pas une date valide"
                    ))
                })?;
            p.signer_convention(&c.acteur, cid, None, date, quand)
                .await?;
        }
        "saisir_declaration" => {
            let nature = match f.nature.as_deref() {
                Some("previsionnelle") => NatureDeclaration::Previsionnelle,
                Some("actualisee") => NatureDeclaration::Actualisee,
                Some("reelle") => NatureDeclaration::Reelle,
                _ => {
                    return Err(ErreurWeb::Refus(
                        "déclaration: prévisionnelle, actualisée ou réelle".into(),
                    ));
                }
            };
            let donnees = DonneesDeclaration {
                depenses_fonctionnement: Centimes::parse(f.depenses.as_deref().unwrap_or_default())
                    .map_err(|e| ErreurWeb::Refus(format!("dépenses: {e}")))?,
                etp_declares: Etp::parse(f.etp_declares.as_deref().unwrap_or_default())
                    .map_err(|e| ErreurWeb::Refus(format!("ETP déclarés: {e}")))?,
                mois_fonctionnement: entier("mois de fonctionnement", f.mois.as_deref())?,
                activite: Activite {
                    entretiens: entier("entretiens", f.entretiens.as_deref())?,
                    parents_distincts: entier("parents", f.parents.as_deref())?,
                    heures_entretiens: entier("heures", f.heures.as_deref())?,
                },
            };
            p.saisir_declaration(
                &c.acteur,
                cid,
                entier("exercice", f.exercice.as_deref())?,
                nature,
                donnees,
                quand,
            )
            .await?;
        }
        "transmettre_declaration" => {
            p.agir_sur_declaration(
                &c.acteur,
                declaration()?,
                None,
                ActionTransmission::Transmettre,
                quand,
            )
            .await?;
        }
        "valider_declaration" => {
            p.agir_sur_declaration(
                &c.acteur,
                declaration()?,
                None,
                ActionTransmission::Valider,
                quand,
            )
            .await?;
        }
        "renvoyer_declaration" => {
            p.agir_sur_declaration(
                &c.acteur,
                declaration()?,
                None,
                ActionTransmission::Renvoyer(f.motif.clone().unwrap_or_default()),
                quand,
            )
            .await?;
        }
        "saisir_bilan" => {
            let contenu = ContenuBilan {
                familles_accompagnees: entier("familles", f.familles.as_deref())?,
                entretiens: entier("entretiens", f.entretiens_bilan.as_deref())?,
                heures_analyse_pratique: entier(
                    "heures d'analyse de la pratique",
                    f.heures_ap.as_deref(),
                )?,
                synthese: f.synthese.clone().unwrap_or_default(),
                ..ContenuBilan::default()
            };
            p.saisir_bilan(
                &c.acteur,
                cid,
                entier("exercice", f.exercice_bilan.as_deref())?,
                contenu,
                quand,
            )
            .await?;
        }
        "transmettre_bilan" => {
            p.agir_sur_bilan(
                &c.acteur,
                bilan()?,
                None,
                ActionTransmission::Transmettre,
                quand,
            )
            .await?;
        }
        "valider_bilan" => {
            p.agir_sur_bilan(
                &c.acteur,
                bilan()?,
                None,
                ActionTransmission::Valider,
                quand,
            )
            .await?;
        }
        autre => return Err(ErreurWeb::Refus(format!("action « {autre} » inconnue"))),
    }
    Ok(Redirect::to(&format!("/conventions/{id}")).into_response())
}
