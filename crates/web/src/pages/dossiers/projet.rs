//! The gestionnaire's edition of its project (the projet de fonctionnement) while a draft or
//! while a complement is asked for.

use super::*;

/// The texts of a project as typed in the form (kept as typed when refused).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProjetSaisi {
    #[serde(rename = "_csrf")]
    pub(super) csrf: Option<String>,
    pub(super) version: Option<i64>,
    #[serde(default)]
    pub(super) intitule: String,
    #[serde(default)]
    pub(super) objectifs: String,
    #[serde(default)]
    pub(super) moyens: String,
    #[serde(default)]
    pub(super) etp_demandes: String,
    pub(super) debut: Option<String>,
    pub(super) fin: Option<String>,
    #[serde(default)]
    pub(super) modalites_evaluation: String,
    #[serde(default)]
    pub(super) diagnostic_local: String,
    #[serde(default)]
    pub(super) partenaires: String,
    #[serde(default)]
    pub(super) information_familles: String,
    /// Financing plan: the amount asked of the Caf (the other funders' lines are kept).
    pub(super) demande_caf: Option<String>,
}

impl ProjetSaisi {
    pub(super) fn depuis(p: &domain::dossier::ProjetFonctionnement) -> ProjetSaisi {
        ProjetSaisi {
            csrf: None,
            version: None,
            intitule: p.intitule.clone(),
            objectifs: p.objectifs.clone(),
            moyens: p.moyens.clone(),
            etp_demandes: p.etp_demandes.to_string(),
            debut: Some(p.debut.map_or(String::new(), |d| d.to_string())),
            fin: Some(p.fin.map_or(String::new(), |d| d.to_string())),
            modalites_evaluation: p.modalites_evaluation.clone(),
            diagnostic_local: p.diagnostic_local.clone(),
            partenaires: p.partenaires.join(", "),
            information_familles: p.information_familles.clone(),
            demande_caf: Some(plan_financement::demande_caf_texte(p)),
        }
    }
}

/// Where the domain's refusals of a project go: the field each rule names and each part a
/// submission lists as missing (Référentiel national de financement de l'AIP §IV.3), paired with
/// the form's field.
pub(crate) const CHAMPS_PROJET: [(&str, &str); 19] = [
    ("intitulé", "intitule"),
    ("objectifs", "objectifs"),
    ("moyens mis en œuvre", "moyens"),
    ("nombre d'ETP", "etp_demandes"),
    ("modalités d'évaluation", "modalites_evaluation"),
    ("diagnostic local des besoins", "diagnostic_local"),
    ("partenaires", "partenaires"),
    ("information des familles", "information_familles"),
    ("période du projet", "debut"),
    ("budget prévisionnel (charges et produits)", "charges"),
    ("budget", "charges"),
    ("lieux d'accueil", ""),
    ("appel", "appel"),
    // The words of the texts' checks (a name too long, a control character…).
    ("Intitulé", "intitule"),
    ("Objectifs", "objectifs"),
    ("Moyens", "moyens"),
    ("évaluation", "modalites_evaluation"),
    ("Diagnostic", "diagnostic_local"),
    ("Information", "information_familles"),
];

pub(super) fn formulaire_projet(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: &ProjetSaisi,
    x: &Erreurs,
) -> maud::Markup {
    maud::html! {
        form method="post" action={ "/dossiers/" (d.id) "/projet" } novalidate {
            fieldset {
                legend { "Modifier le projet de fonctionnement" }
                (crate::vue::champ_csrf(c))
                input type="hidden" name="version" value=(version);
                (champs_objet(x, "Intitulé", &s.intitule, &s.objectifs, &s.moyens))
                (Champ::new("etp_demandes", "Nombre d'ETP affectés à la mission")
                    .aide("Par exemple 1,5")
                    .erreurs(x)
                    .clavier(Clavier::Decimal)
                    .texte(&s.etp_demandes))
                (Champ::new("debut", "Début du projet")
                    .erreurs(x)
                    .saisie("date", s.debut.as_deref().unwrap_or_default()))
                (Champ::new("fin", "Fin du projet")
                    .erreurs(x)
                    .saisie("date", s.fin.as_deref().unwrap_or_default()))
                (champs_cadre(
                    x,
                    &s.modalites_evaluation,
                    &s.diagnostic_local,
                    &s.partenaires,
                    &s.information_familles,
                ))
                (plan_financement::champ_demande_caf(s.demande_caf.as_deref().unwrap_or_default(), x))
                button type="submit" class="secondaire" { "Enregistrer le projet" }
            }
        }
    }
}

/// The fields that say what the project is: its title, objectives and means (shared by the new
/// project form and the project edited on its dossier's page).
pub(crate) fn champs_objet(
    x: &Erreurs,
    libelle_intitule: &str,
    intitule: &str,
    objectifs: &str,
    moyens: &str,
) -> maud::Markup {
    maud::html! {
        (Champ::new("intitule", libelle_intitule).erreurs(x).texte(intitule))
        (Champ::new("objectifs", "Objectifs").erreurs(x).zone(objectifs))
        (Champ::new("moyens", "Moyens mis en œuvre").erreurs(x).zone(moyens))
    }
}

/// The fields that place the project in its territory: evaluation, local diagnosis, partners,
/// information of the families (shared like [`champs_objet`]).
pub(crate) fn champs_cadre(
    x: &Erreurs,
    modalites_evaluation: &str,
    diagnostic_local: &str,
    partenaires: &str,
    information_familles: &str,
) -> maud::Markup {
    maud::html! {
        (Champ::new("modalites_evaluation", "Modalités d'évaluation")
            .erreurs(x)
            .zone(modalites_evaluation))
        (Champ::new("diagnostic_local", "Diagnostic local des besoins et contexte partenarial")
            .erreurs(x)
            .zone(diagnostic_local))
        (Champ::new("partenaires", "Partenaires (séparés par des virgules)")
            .erreurs(x)
            .zone(partenaires))
        (Champ::new("information_familles", "Information des familles")
            .erreurs(x)
            .zone(information_familles))
    }
}

/// The partners typed in the form, separated by commas, empty ones left out.
pub(crate) fn partenaires_saisis(texte: &str) -> Vec<String> {
    texte
        .split(',')
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
        .collect()
}

/// A project date typed in the form: empty is « not given yet ».
pub(super) fn date_projet(
    id: &str,
    libelle: &str,
    t: Option<&str>,
    x: &mut Erreurs,
) -> Option<Option<Date>> {
    match t.map(str::trim).unwrap_or_default() {
        "" => Some(None),
        t => match Date::parse(t, format_description!("[year]-[month]-[day]")) {
            Ok(d) => Some(Some(d)),
            Err(_) => {
                x.ajouter(
                    id,
                    format!("{libelle} : « {t} » n'est pas une date valide (jj/mm/aaaa)"),
                );
                None
            }
        },
    }
}

/// The applicant edits its project (draft, or answering a request for information).
pub async fn modifier_projet(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(s): Form<ProjetSaisi>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(s.csrf.as_deref())?;
    let p = &etat.plateforme;
    let lu = p.dossier(&c.acteur, DossierId(id)).await?;
    let saisies = Saisies {
        projet: Some(&s),
        ..Saisies::default()
    };
    let mut x = Erreurs::default();
    let etp = Etp::parse(&s.etp_demandes)
        .map_err(|m| x.ajouter("etp_demandes", format!("Nombre d'ETP : {m}")))
        .ok();
    let debut = date_projet("debut", "Début du projet", s.debut.as_deref(), &mut x);
    let fin = date_projet("fin", "Fin du projet", s.fin.as_deref(), &mut x);
    let plan = plan_financement::plan_modifie(&lu.valeur.projet, s.demande_caf.as_deref(), &mut x);
    let (Some(etp), Some(debut), Some(fin), Some(plan_financement)) = (etp, debut, fin, plan)
    else {
        return refuser(&etat, &c, id, saisies, x.into()).await;
    };
    let projet = domain::dossier::ProjetFonctionnement {
        intitule: s.intitule.trim().to_owned(),
        objectifs: s.objectifs.trim().to_owned(),
        moyens: s.moyens.trim().to_owned(),
        etp_demandes: etp,
        debut: if s.debut.is_some() {
            debut
        } else {
            lu.valeur.projet.debut
        },
        fin: if s.fin.is_some() {
            fin
        } else {
            lu.valeur.projet.fin
        },
        modalites_evaluation: s.modalites_evaluation.trim().to_owned(),
        diagnostic_local: s.diagnostic_local.trim().to_owned(),
        partenaires: partenaires_saisis(&s.partenaires),
        information_familles: s.information_familles.trim().to_owned(),
        plan_financement,
        ..lu.valeur.projet.clone()
    };
    match p
        .agir_sur_dossier(
            &c.acteur,
            DossierId(id),
            s.version,
            ActionDossier::Modifier(Box::new(projet)),
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/dossiers/{id}?fait=projet")).into_response()),
        Err(a) => {
            refuser(
                &etat,
                &c,
                id,
                saisies,
                Echec::app(a, &CHAMPS_PROJET, "intitule"),
            )
            .await
        }
    }
}
