//! Partner structures: the list a user may see; for a Caf agent, registering a gestionnaire (its
//! SIRET checked); for a structure, its sites and intervenants with the eligibility checks of the
//! référentiel shown as the Caf will judge them (seed 004 §II.2, §III.2, §III.3).

use app::{Auteur, Plateforme};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::identifiants::{CodeDepartement, CodeInsee, Email, GestionnaireId, Rna, Siret};
use domain::quantites::Etp;
use domain::structures::{
    Adresse, Diplome, Gestionnaire, Intervenant, Lieu, ModaliteAccueil, StatutIntervenant,
    StatutJuridique, TypeActivite,
};
use referentiel::conformite::{self, Rapport, Verdict};
use referentiel::exact::Decimal;
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::rendu::{champ, csrf, e, page, tableau};
use crate::session::Connecte;

fn rapport_html(titre: &str, r: &Rapport) -> String {
    let items: String = r
        .constats
        .iter()
        .map(|c| {
            let marque = match c.verdict {
                Verdict::Eligible => "conforme",
                Verdict::Avertissement => "à vérifier",
                Verdict::NonEligible => "non éligible",
            };
            format!(
                "<li><strong>{marque}</strong> – {} <span class=\"aide\">({})</span></li>",
                e(&c.message),
                e(c.source)
            )
        })
        .collect();
    let classe = match r.verdict() {
        Verdict::Eligible => "succes",
        Verdict::Avertissement => "alerte",
        Verdict::NonEligible => "erreur",
    };
    format!(
        "<div class=\"encadre {classe}\"><p><strong>{}: {}</strong></p><ul>{items}</ul></div>",
        e(titre),
        e(r.verdict().libelle())
    )
}

fn options<T: Copy>(valeurs: &[(T, &str, &str)], choisi: &str) -> String {
    valeurs
        .iter()
        .map(|(_, code, libelle)| {
            format!(
                "<option value=\"{code}\"{}>{}</option>",
                if *code == choisi { " selected" } else { "" },
                e(libelle)
            )
        })
        .collect()
}

#[derive(Debug, Deserialize, Default, Clone)]
pub struct NouveauGestionnaire {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    raison_sociale: String,
    #[serde(default)]
    siret: String,
    #[serde(default)]
    rna: String,
    #[serde(default)]
    statut: String,
    #[serde(default)]
    activite: String,
    #[serde(default)]
    voie: String,
    #[serde(default)]
    code_postal: String,
    #[serde(default)]
    commune: String,
    #[serde(default)]
    email: String,
}

fn formulaire_gestionnaire(
    c: &Connecte,
    f: &NouveauGestionnaire,
    erreur: Option<(&str, &str)>,
) -> String {
    let err = |n: &str| erreur.filter(|(c, _)| *c == n).map(|(_, m)| m);
    let statuts: Vec<(StatutJuridique, &str, &str)> = StatutJuridique::TOUS
        .iter()
        .map(|s| (*s, s.code(), s.libelle()))
        .collect();
    let activites: Vec<(TypeActivite, &str, &str)> = TypeActivite::TOUS
        .iter()
        .map(|s| (*s, s.code(), s.libelle()))
        .collect();
    let resume = erreur.map_or(String::new(), |(champ_, m)| {
        format!("<div class=\"encadre erreur\" role=\"alert\"><p>Le formulaire contient une erreur:</p><ul><li><a href=\"#{champ_}\">{}</a></li></ul></div>", e(m))
    });
    format!(
        "<h2>Enregistrer un gestionnaire</h2>{resume}<form method=\"post\" action=\"/structures\" novalidate>{}\
         {}{}{}\
         <div class=\"champ\"><label for=\"statut\">Statut juridique</label><select id=\"statut\" name=\"statut\">{}</select></div>\
         <div class=\"champ\"><label for=\"activite\">Activité</label><select id=\"activite\" name=\"activite\">{}</select></div>\
         {}{}{}{}<button type=\"submit\">Enregistrer le gestionnaire</button></form>",
        csrf(c),
        champ(
            "raison_sociale",
            "Raison sociale",
            "",
            &f.raison_sociale,
            err("raison_sociale"),
            "text",
            ""
        ),
        champ(
            "siret",
            "SIRET",
            "14 chiffres; la clé de contrôle est vérifiée",
            &f.siret,
            err("siret"),
            "text",
            " inputmode=\"numeric\""
        ),
        champ(
            "rna",
            "Numéro RNA",
            "W suivi de 9 caractères; sans objet pour les collectivités et en Alsace-Moselle",
            &f.rna,
            err("rna"),
            "text",
            ""
        ),
        options(&statuts, &f.statut),
        options(&activites, &f.activite),
        champ(
            "voie",
            "Adresse du siège",
            "",
            &f.voie,
            err("voie"),
            "text",
            " autocomplete=\"street-address\""
        ),
        champ(
            "code_postal",
            "Code postal",
            "",
            &f.code_postal,
            err("code_postal"),
            "text",
            " autocomplete=\"postal-code\""
        ),
        champ(
            "commune",
            "Code INSEE de la commune",
            "5 caractères, par exemple 38185",
            &f.commune,
            err("commune"),
            "text",
            ""
        ),
        champ(
            "email",
            "Adresse électronique de contact",
            "Facultatif",
            &f.email,
            err("email"),
            "email",
            " autocomplete=\"email\""
        ),
    )
}

async fn page_liste(
    p: &Plateforme,
    c: &Connecte,
    formulaire: Option<String>,
) -> Result<String, ErreurWeb> {
    let liste = p.gestionnaires(&c.acteur).await?;
    let lignes: Vec<Vec<String>> = liste
        .iter()
        .map(|g| {
            let g = &g.valeur;
            vec![
                format!(
                    "<a href=\"/structures/{}\">{}</a>",
                    g.id,
                    e(&g.raison_sociale)
                ),
                e(&g.siret.formate()),
                e(g.statut.libelle()),
                e(g.departement_siege.as_str()),
            ]
        })
        .collect();
    let form = match (c.acteur.role, formulaire) {
        (_, Some(f)) => f,
        (Role::Caf, None) => formulaire_gestionnaire(c, &NouveauGestionnaire::default(), None),
        _ => String::new(),
    };
    Ok(page(
        "Structures",
        Some(c),
        "/structures",
        &format!(
            "<h1>Structures</h1>{}{form}",
            tableau(
                &format!("{} gestionnaire(s)", lignes.len()),
                &[
                    ("Raison sociale", false),
                    ("SIRET", false),
                    ("Statut", false),
                    ("Département", false)
                ],
                &lignes
            )
        ),
    ))
}

pub async fn liste(State(etat): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    Ok(Html(page_liste(&etat.plateforme, &c, None).await?))
}

pub async fn enregistrer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<NouveauGestionnaire>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let erreur = |champ_: &str, m: String| (champ_.to_owned(), m);
    let lu = (|| {
        if f.raison_sociale.trim().is_empty() {
            return Err(erreur(
                "raison_sociale",
                "Raison sociale: champ obligatoire".into(),
            ));
        }
        let siret =
            Siret::parse(f.siret.trim()).map_err(|x| erreur("siret", format!("SIRET: {x}")))?;
        let rna = if f.rna.trim().is_empty() {
            None
        } else {
            Some(Rna::parse(f.rna.trim()).map_err(|x| erreur("rna", format!("RNA: {x}")))?)
        };
        let statut = StatutJuridique::depuis_code(&f.statut)
            .ok_or_else(|| erreur("statut", "Statut juridique: choisissez-en un".into()))?;
        let activite = TypeActivite::depuis_code(&f.activite)
            .ok_or_else(|| erreur("activite", "Activité: choisissez-en une".into()))?;
        let commune = CodeInsee::parse(f.commune.trim())
            .map_err(|x| erreur("commune", format!("Commune: {x}")))?;
        let departement = domain::territoire::Communes::embarquees()
            .ok()
            .and_then(|cs| cs.get(commune).map(|x| x.departement))
            .or_else(|| {
                CodeDepartement::parse(&f.commune.trim().chars().take(2).collect::<String>()).ok()
            })
            .ok_or_else(|| erreur("commune", "Commune: code INSEE inconnu".into()))?;
        let email = if f.email.trim().is_empty() {
            None
        } else {
            Some(
                Email::parse(f.email.trim())
                    .map_err(|x| erreur("email", format!("Adresse électronique: {x}")))?,
            )
        };
        Ok((siret, rna, statut, activite, commune, departement, email))
    })();
    let (siret, rna, statut, activite, commune, departement, email) = match lu {
        Ok(v) => v,
        Err((champ_, m)) => {
            let form = formulaire_gestionnaire(&c, &f, Some((&champ_, &m)));
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(page_liste(p, &c, Some(form)).await?),
            )
                .into_response());
        }
    };
    let construire = |id: GestionnaireId| Gestionnaire {
        id,
        raison_sociale: f.raison_sociale.trim().to_owned(),
        siret,
        rna,
        statut,
        activite,
        siege: Adresse {
            voie: f.voie.trim().to_owned(),
            complement: None,
            code_postal: f.code_postal.trim().to_owned(),
            commune,
        },
        departement_siege: departement,
        email,
    };
    match p
        .enregistrer_gestionnaire(
            Auteur::Utilisateur(&c.acteur),
            construire,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(g) => Ok(Redirect::to(&format!("/structures/{}", g.valeur.id)).into_response()),
        Err(x) if x.est_interdit() => Err(x.into()),
        Err(x) => {
            let m = x.to_string();
            let champ_ = if m.contains("siret") || m.contains("SIRET") {
                "siret"
            } else if m.contains("RNA") {
                "rna"
            } else {
                "raison_sociale"
            };
            let form = formulaire_gestionnaire(&c, &f, Some((champ_, &m)));
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(page_liste(p, &c, Some(form)).await?),
            )
                .into_response())
        }
    }
}

const DIPLOMES: [(&str, &str); 8] = [
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

pub async fn fiche(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    let p = &etat.plateforme;
    let gid = GestionnaireId(id);
    let g = p.gestionnaire(&c.acteur, gid).await?.valeur;
    let lieux = p.lieux(&c.acteur, gid).await?;
    let intervenants = p.intervenants(&c.acteur, gid).await?;
    let structure = conformite::verifier_structure(&conformite::StructureAip::new(
        g.statut.vers_referentiel(),
        g.activite.vers_referentiel(),
    ));
    let seuils = conformite::SeuilsActivite::pour_exercice(&p.parametres, 2025)
        .map_err(|x| ErreurWeb::Interne(x.to_string()))?;
    let mut rapports = String::new();
    for i in &intervenants {
        let i = &i.valeur;
        let aip = conformite::IntervenantAip {
            diplome: i.diplome.vers_referentiel(),
            statut: i.statut.vers_referentiel(),
            date_controle_casier_judiciaire: i.verification_casier,
            experience_ou_formation_parentalite: i.experience_ou_formation_parentalite,
            heures_analyse_pratique_par_an: i
                .heures_analyse_pratique_par_an
                .map(|h| Decimal::entier(i64::from(h))),
            etp: i
                .etp
                .decimal()
                .map_err(|x| ErreurWeb::Interne(x.to_string()))?,
        };
        let r = conformite::verifier_intervenant(&aip, &seuils)
            .map_err(|x| ErreurWeb::Interne(x.to_string()))?;
        rapports.push_str(&rapport_html(&format!("{} {}", i.prenom, i.nom), &r));
    }
    let lignes_lieux: Vec<Vec<String>> = lieux
        .iter()
        .map(|l| {
            let l = &l.valeur;
            vec![
                e(&l.nom),
                e(&format!(
                    "{}, {} ({})",
                    l.adresse.voie, l.adresse.code_postal, l.adresse.commune
                )),
                e(&l.modalites
                    .iter()
                    .map(|m| m.code())
                    .collect::<Vec<_>>()
                    .join(", ")),
            ]
        })
        .collect();
    let peut_modifier = matches!(c.acteur.role, Role::Gestionnaire | Role::Caf);
    let formulaires = if peut_modifier {
        let diplomes: String = DIPLOMES
            .iter()
            .map(|(code, l)| format!("<option value=\"{code}\">{}</option>", e(l)))
            .collect();
        format!(
            "<form method=\"post\" action=\"/structures/{id}/lieux\"><fieldset><legend>Ajouter un lieu d'accueil</legend>{}{}{}{}{}\
             <fieldset><legend>Modalités d'accueil</legend>\
             <div><input type=\"checkbox\" id=\"rdv\" name=\"rdv\" value=\"1\" checked> <label for=\"rdv\" style=\"display:inline\">Sur rendez-vous</label></div>\
             <div><input type=\"checkbox\" id=\"sans_rdv\" name=\"sans_rdv\" value=\"1\" checked> <label for=\"sans_rdv\" style=\"display:inline\">Permanence sans rendez-vous</label></div>\
             <div><input type=\"checkbox\" id=\"visio\" name=\"visio\" value=\"1\"> <label for=\"visio\" style=\"display:inline\">Visioconférence</label></div>\
             <div><input type=\"checkbox\" id=\"telephone\" name=\"telephone\" value=\"1\"> <label for=\"telephone\" style=\"display:inline\">Téléphone</label></div></fieldset>\
             <button type=\"submit\">Ajouter le lieu</button></fieldset></form>\
             <form method=\"post\" action=\"/structures/{id}/intervenants\"><fieldset><legend>Ajouter un intervenant</legend>{}{}{}\
             <div class=\"champ\"><label for=\"diplome\">Diplôme</label><select id=\"diplome\" name=\"diplome\">{diplomes}</select></div>\
             <div class=\"champ\"><label for=\"statut_i\">Statut</label><select id=\"statut_i\" name=\"statut\"><option value=\"salarie\">Salarié</option><option value=\"benevole\">Bénévole</option><option value=\"liberal\">Libéral</option></select></div>\
             {}{}{}<button type=\"submit\">Ajouter l'intervenant</button></fieldset></form>",
            csrf(&c),
            champ("nom_lieu", "Nom du lieu", "", "", None, "text", ""),
            champ("voie_lieu", "Adresse", "", &g.siege.voie, None, "text", ""),
            champ(
                "code_postal_lieu",
                "Code postal",
                "",
                &g.siege.code_postal,
                None,
                "text",
                ""
            ),
            champ(
                "commune_lieu",
                "Code INSEE de la commune",
                "",
                &g.siege.commune.to_string(),
                None,
                "text",
                ""
            ),
            csrf(&c),
            champ("prenom", "Prénom", "", "", None, "text", ""),
            champ("nom", "Nom", "", "", None, "text", ""),
            champ(
                "etp",
                "ETP consacrés au service",
                "Par exemple 0,5",
                "",
                None,
                "text",
                ""
            ),
            champ(
                "casier",
                "Date de vérification du bulletin n°3 du casier judiciaire",
                "Laisser vide si non vérifié",
                "",
                None,
                "date",
                ""
            ),
            champ(
                "heures_ap",
                "Heures d'analyse de la pratique par an",
                "",
                "",
                None,
                "text",
                ""
            ),
        )
    } else {
        String::new()
    };
    Ok(Html(page(
        &g.raison_sociale,
        Some(&c),
        "/structures",
        &format!(
            "<h1>{}</h1><dl class=\"fiche\"><dt>SIRET</dt><dd>{}</dd><dt>RNA</dt><dd>{}</dd><dt>Statut</dt><dd>{}</dd><dt>Activité</dt><dd>{}</dd><dt>Siège</dt><dd>{}, {} ({})</dd></dl>\
             <h2>Éligibilité, telle que la Caf l'examinera</h2>{}{rapports}<h2>Lieux d'accueil</h2>{}{formulaires}",
            e(&g.raison_sociale),
            e(&g.siret.formate()),
            g.rna.as_ref().map_or("–".to_owned(), |r| e(&r.to_string())),
            e(g.statut.libelle()),
            e(g.activite.libelle()),
            e(&g.siege.voie),
            e(&g.siege.code_postal),
            e(&g.siege.commune.to_string()),
            rapport_html("Structure", &structure),
            tableau(
                "Lieux d'accueil",
                &[("Nom", false), ("Adresse", false), ("Modalités", false)],
                &lignes_lieux
            ),
        ),
    )))
}

#[derive(Debug, Deserialize)]
pub struct NouveauLieu {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    nom_lieu: Option<String>,
    voie_lieu: Option<String>,
    code_postal_lieu: Option<String>,
    commune_lieu: Option<String>,
    rdv: Option<String>,
    sans_rdv: Option<String>,
    visio: Option<String>,
    telephone: Option<String>,
}

pub async fn ajouter_lieu(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<NouveauLieu>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let commune = CodeInsee::parse(f.commune_lieu.as_deref().unwrap_or_default().trim())
        .map_err(|x| ErreurWeb::Refus(format!("commune: {x}")))?;
    let mut modalites = std::collections::BTreeSet::new();
    for (present, m) in [
        (f.rdv.is_some(), ModaliteAccueil::SurRendezVous),
        (f.sans_rdv.is_some(), ModaliteAccueil::SansRendezVous),
        (f.visio.is_some(), ModaliteAccueil::Visio),
        (f.telephone.is_some(), ModaliteAccueil::Telephone),
    ] {
        if present {
            modalites.insert(m);
        }
    }
    let lieu = |lid| Lieu {
        id: lid,
        gestionnaire: GestionnaireId(id),
        nom: f.nom_lieu.clone().unwrap_or_default().trim().to_owned(),
        adresse: Adresse {
            voie: f.voie_lieu.clone().unwrap_or_default().trim().to_owned(),
            complement: None,
            code_postal: f
                .code_postal_lieu
                .clone()
                .unwrap_or_default()
                .trim()
                .to_owned(),
            commune,
        },
        modalites,
    };
    etat.plateforme
        .ajouter_lieu(&c.acteur, lieu, time::OffsetDateTime::now_utc())
        .await?;
    Ok(Redirect::to(&format!("/structures/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct NouvelIntervenant {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    prenom: Option<String>,
    nom: Option<String>,
    diplome: Option<String>,
    statut: Option<String>,
    etp: Option<String>,
    casier: Option<String>,
    heures_ap: Option<String>,
}

pub async fn ajouter_intervenant(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<NouvelIntervenant>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let diplome = diplome(f.diplome.as_deref().unwrap_or_default())
        .ok_or_else(|| ErreurWeb::Refus("diplôme: choisissez-en un".into()))?;
    let statut = match f.statut.as_deref() {
        Some("salarie") => StatutIntervenant::Salarie,
        Some("benevole") => StatutIntervenant::Benevole,
        Some("liberal") => StatutIntervenant::Liberal,
        _ => {
            return Err(ErreurWeb::Refus(
                "statut: salarié, bénévole ou libéral".into(),
            ));
        }
    };
    let etp = Etp::parse(f.etp.as_deref().unwrap_or_default())
        .map_err(|x| ErreurWeb::Refus(format!("ETP: {x}")))?;
    let casier = match f.casier.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => Some(
            Date::parse(t, format_description!("[year]-[month]-[day]"))
                .map_err(|_| ErreurWeb::Refus(format!("date du casier: « {t} » invalide")))?,
        ),
    };
    let heures = match f
        .heures_ap
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(t) => Some(t.parse::<u16>().map_err(|_| {
            ErreurWeb::Refus(format!(
                "heures d'analyse de la pratique: « {t} » n'est pas un nombre entier"
            ))
        })?),
    };
    let intervenant = |iid| Intervenant {
        id: iid,
        gestionnaire: GestionnaireId(id),
        nom: f.nom.clone().unwrap_or_default().trim().to_owned(),
        prenom: f.prenom.clone().unwrap_or_default().trim().to_owned(),
        diplome,
        statut,
        experience_ou_formation_parentalite: true,
        etp,
        verification_casier: casier,
        heures_analyse_pratique_par_an: heures,
    };
    etat.plateforme
        .ajouter_intervenant(&c.acteur, intervenant, time::OffsetDateTime::now_utc())
        .await?;
    Ok(Redirect::to(&format!("/structures/{id}")).into_response())
}
