//! Partner structures: the list a user may see; for a Caf agent, registering a gestionnaire (its
//! SIRET checked); for a structure, its sites and intervenants with the eligibility checks of the
//! référentiel shown as the Caf will judge them (Référentiel national de financement de l'AIP §II.2, §III.2, §III.3),
//! and its AIP commitments ([`super::engagements`]).

use app::{Auteur, Plateforme};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::identifiants::{CodeDepartement, CodeInsee, Email, GestionnaireId, Rna, Siret};
use domain::quantites::Etp;
use domain::structures::{
    Adresse, Diplome, Gestionnaire, Intervenant, Lieu, ModaliteAccueil, StatutIntervenant,
    StatutJuridique, TypeActivite,
};
use referentiel::conformite::{self, Rapport};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::rendu::{csrf, e, page, tableau};
use crate::session::Connecte;

mod rapport;

pub use rapport::rapport;

/// The report as HTML text, for the pages not yet written as templates.
pub(crate) fn rapport_html(titre: &str, r: &Rapport) -> String {
    rapport(titre, r).into_string()
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
    departement: String,
    #[serde(default)]
    email: String,
}

/// Where the domain's refusals of a structure go.
const CHAMPS_GESTIONNAIRE: [(&str, &str); 7] = [
    ("raison sociale", "raison_sociale"),
    ("siret", "siret"),
    ("rna", "rna"),
    ("code postal", "code_postal"),
    ("adresse", "voie"),
    ("commune", "commune"),
    ("département", "departement"),
];

/// The form of a structure: registered by a Caf agent (`/structures`) or by the gestionnaire
/// itself (`/structures/inscription`).
fn formulaire_gestionnaire(
    c: &Connecte,
    cible: &str,
    titre: &str,
    f: &NouveauGestionnaire,
    x: &Erreurs,
) -> String {
    let statuts: Vec<(&str, &str)> = std::iter::once(("", "Choisissez un statut"))
        .chain(
            StatutJuridique::TOUS
                .iter()
                .map(|s| (s.code(), s.libelle())),
        )
        .collect();
    let activites: Vec<(&str, &str)> = std::iter::once(("", "Choisissez une activité"))
        .chain(TypeActivite::TOUS.iter().map(|s| (s.code(), s.libelle())))
        .collect();
    format!(
        "<h2>{}</h2><form method=\"post\" action=\"{cible}\" novalidate>{}\
         {}{}{}{}{}{}{}{}{}{}<button type=\"submit\">Enregistrer la structure</button></form>",
        e(titre),
        csrf(c),
        Champ::new("raison_sociale", "Raison sociale")
            .erreurs(x)
            .autocomplete("organization")
            .texte(&f.raison_sociale).into_string(),
        Champ::new("siret", "SIRET")
            .aide("14 chiffres; la clé de contrôle est vérifiée")
            .erreurs(x)
            .clavier(Clavier::Numerique)
            .texte(&f.siret).into_string(),
        Champ::new("statut", "Statut juridique")
            .erreurs(x)
            .liste(&statuts, &f.statut).into_string(),
        Champ::new("rna", "Numéro RNA")
            .aide("Pour une association: W suivi de 9 caractères; sans objet pour les collectivités et en Alsace-Moselle")
            .erreurs(x)
            .texte(&f.rna).into_string(),
        Champ::new("activite", "Activité")
            .erreurs(x)
            .liste(&activites, &f.activite).into_string(),
        Champ::new("voie", "Adresse du siège")
            .aide("Numéro et voie")
            .erreurs(x)
            .autocomplete("street-address")
            .texte(&f.voie).into_string(),
        Champ::new("code_postal", "Code postal")
            .erreurs(x)
            .autocomplete("postal-code").clavier(Clavier::Numerique)
            .texte(&f.code_postal).into_string(),
        Champ::new("commune", "Code INSEE de la commune")
            .aide("5 caractères, par exemple 38185 pour Grenoble")
            .erreurs(x)
            .texte(&f.commune).into_string(),
        Champ::new("departement", "Département du siège")
            .aide("Par exemple 38; déduit du code INSEE si laissé vide")
            .erreurs(x)
            .texte(&f.departement).into_string(),
        Champ::new("email", "Adresse électronique de contact")
            .aide("Facultatif")
            .erreurs(x)
            .autocomplete("email")
            .saisie("email", &f.email).into_string(),
    )
}

async fn page_liste(
    p: &Plateforme,
    c: &Connecte,
    formulaire: Option<(&NouveauGestionnaire, &Erreurs)>,
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
    let vide = Erreurs::default();
    let defaut = NouveauGestionnaire::default();
    let (saisie, erreurs) = formulaire.unwrap_or((&defaut, &vide));
    let form = match c.acteur.role {
        Role::Caf => formulaire_gestionnaire(
            c,
            "/structures",
            "Enregistrer un gestionnaire",
            saisie,
            erreurs,
        ),
        Role::Gestionnaire => {
            "<p><a class=\"bouton\" href=\"/structures/inscription\">Inscrire une structure</a></p>"
                .to_owned()
        }
        _ => String::new(),
    };
    Ok(page(
        &erreurs.titre("Structures"),
        Some(c),
        "/structures",
        &format!(
            "<h1>Structures</h1>{}{}{form}",
            erreurs.resume().into_string(),
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

/// A structure as typed, checked field by field: every error at once.
fn lire_gestionnaire(
    f: &NouveauGestionnaire,
) -> Result<impl FnOnce(GestionnaireId) -> Gestionnaire, Erreurs> {
    let mut x = Erreurs::default();
    if f.raison_sociale.trim().is_empty() {
        x.ajouter("raison_sociale", "Raison sociale : champ obligatoire");
    }
    let siret = Siret::parse(f.siret.trim())
        .map_err(|m| x.ajouter("siret", format!("SIRET : {m}")))
        .ok();
    let rna = if f.rna.trim().is_empty() {
        Some(None)
    } else {
        Rna::parse(f.rna.trim())
            .map(Some)
            .map_err(|m| x.ajouter("rna", format!("Numéro RNA : {m}")))
            .ok()
    };
    let statut = StatutJuridique::depuis_code(&f.statut);
    if statut.is_none() {
        x.ajouter("statut", "Statut juridique : choisissez-en un");
    }
    let activite = TypeActivite::depuis_code(&f.activite);
    if activite.is_none() {
        x.ajouter("activite", "Activité : choisissez-en une");
    }
    if f.voie.trim().is_empty() {
        x.ajouter("voie", "Adresse du siège : champ obligatoire");
    }
    let cp = f.code_postal.trim();
    if cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()) {
        x.ajouter("code_postal", "Code postal : 5 chiffres, par exemple 38000");
    }
    let commune = CodeInsee::parse(f.commune.trim())
        .map_err(|m| x.ajouter("commune", format!("Code INSEE de la commune : {m}")))
        .ok();
    let de_la_commune = commune.and_then(|commune| {
        crate::pages::filtres_dossiers::communes()
            .and_then(|cs| cs.get(commune).map(|x| x.departement))
    });
    if commune.is_some() && de_la_commune.is_none() {
        x.ajouter(
            "commune",
            "Code INSEE de la commune : commune inconnue de la table des communes",
        );
    }
    let departement = if f.departement.trim().is_empty() {
        de_la_commune
    } else {
        match CodeDepartement::parse(f.departement.trim()) {
            Ok(d) if de_la_commune.is_some_and(|c| c != d) => {
                x.ajouter(
                    "departement",
                    format!(
                        "Département du siège : la commune {} est dans le département {}, pas dans le {d}",
                        f.commune.trim(),
                        de_la_commune.map_or(String::new(), |c| c.to_string())
                    ),
                );
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                x.ajouter("departement", format!("Département du siège : {m}"));
                None
            }
        }
    };
    let email = if f.email.trim().is_empty() {
        Some(None)
    } else {
        Email::parse(f.email.trim())
            .map(Some)
            .map_err(|m| x.ajouter("email", format!("Adresse électronique : {m}")))
            .ok()
    };
    match (siret, rna, statut, activite, commune, departement, email) {
        (
            Some(siret),
            Some(rna),
            Some(statut),
            Some(activite),
            Some(commune),
            Some(departement),
            Some(email),
        ) if x.est_vide() => {
            let (raison_sociale, voie, code_postal) = (
                f.raison_sociale.trim().to_owned(),
                f.voie.trim().to_owned(),
                cp.to_owned(),
            );
            Ok(move |id: GestionnaireId| Gestionnaire {
                id,
                raison_sociale,
                siret,
                rna,
                statut,
                activite,
                siege: Adresse {
                    voie,
                    complement: None,
                    code_postal,
                    commune,
                },
                departement_siege: departement,
                email,
                engagements: Default::default(),
                banque: None,
            })
        }
        _ => Err(x),
    }
}

/// Registers the structure typed in `f`; on a refusal, the errors to show in the form.
async fn enregistrer_structure(
    p: &Plateforme,
    c: &Connecte,
    f: &NouveauGestionnaire,
) -> Result<Result<GestionnaireId, Erreurs>, ErreurWeb> {
    let construire = match lire_gestionnaire(f) {
        Ok(x) => x,
        Err(x) => return Ok(Err(x)),
    };
    match p
        .enregistrer_gestionnaire(
            Auteur::Utilisateur(&c.acteur),
            construire,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(g) => Ok(Ok(g.valeur.id)),
        Err(x) => Erreurs::depuis_app(x, &CHAMPS_GESTIONNAIRE, "raison_sociale").map(Err),
    }
}

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
    match enregistrer_structure(p, &c, &f).await? {
        Ok(id) => Ok(Redirect::to(&format!("/structures/{id}")).into_response()),
        Err(x) => Ok((x.statut(), Html(page_liste(p, &c, Some((&f, &x))).await?)).into_response()),
    }
}

/// The registration page of a gestionnaire's own structure, with the eligibility of the status
/// and activity chosen, as the Caf will judge them (Référentiel national de financement de l'AIP §II.2).
fn page_inscription(c: &Connecte, f: &NouveauGestionnaire, x: &Erreurs) -> String {
    let apercu = match (
        StatutJuridique::depuis_code(&f.statut),
        TypeActivite::depuis_code(&f.activite),
    ) {
        (Some(s), Some(a)) => rapport_html(
            "Éligibilité du statut et de l'activité choisis",
            &conformite::verifier_structure(&conformite::StructureAip::new(
                s.vers_referentiel(),
                a.vers_referentiel(),
            )),
        ),
        _ => String::new(),
    };
    let deja = if c.acteur.gestionnaires.is_empty() {
        "<p>Votre compte n'est encore rattaché à aucune structure: inscrivez la vôtre pour répondre aux appels à projets de votre Caf.</p>"
    } else {
        "<p>Votre compte est déjà rattaché à une structure; vous pouvez en inscrire une autre que vous gérez.</p>"
    };
    page(
        &x.titre("Inscrire une structure"),
        Some(c),
        "/structures",
        &format!(
            "<h1>Inscrire une structure</h1>{}{deja}\
             <p>Après l'inscription, ajoutez vos lieux d'accueil et vos intervenants: la page de la structure montre leur éligibilité telle que la Caf l'examinera (statut, activité, diplômes, contrôle du casier judiciaire, analyse de la pratique).</p>{apercu}{}",
            x.resume().into_string(),
            formulaire_gestionnaire(c, "/structures/inscription", "Votre structure", f, x)
        ),
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
    Ok(Html(page_inscription(
        &c,
        &NouveauGestionnaire::default(),
        &Erreurs::default(),
    )))
}

/// `POST /structures/inscription`: the structure is registered and the user attached to it.
pub async fn inscrire(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<NouveauGestionnaire>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    exiger_gestionnaire(&c)?;
    match enregistrer_structure(&etat.plateforme, &c, &f).await? {
        Ok(id) => Ok(Redirect::to(&format!("/structures/{id}")).into_response()),
        Err(x) => Ok((x.statut(), Html(page_inscription(&c, &f, &x))).into_response()),
    }
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

pub async fn fiche(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    Ok(Html(
        rendre_fiche(
            &etat.plateforme,
            &c,
            id,
            None,
            None,
            None,
            &Erreurs::default(),
        )
        .await?,
    ))
}

/// The page of a structure, with the forms of a site, of an intervenant and of its commitments
/// (holding what was typed, when one of them was refused).
pub(crate) async fn rendre_fiche(
    p: &Plateforme,
    c: &Connecte,
    id: i64,
    saisie_lieu: Option<&NouveauLieu>,
    saisie_intervenant: Option<&NouvelIntervenant>,
    saisie_engagements: Option<&super::engagements::SaisieEngagements>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let gid = GestionnaireId(id);
    let lu = p.gestionnaire(&c.acteur, gid).await?;
    let g = &lu.valeur;
    let lieux = p.lieux(&c.acteur, gid).await?;
    let intervenants = p.intervenants(&c.acteur, gid).await?;
    // Status, activity, and the commitments as the Caf checked them.
    let structure = g.rapport_structure();
    let pieces_structure = p
        .pieces_de(&c.acteur, domain::pieces::ObjetPiece::Gestionnaire(gid))
        .await?;
    let engagements =
        super::engagements::section(c, &lu, &lieux, &pieces_structure, saisie_engagements, x);
    // Bank details: shown and recorded by their own module.
    let banque = super::coordonnees_bancaires::section(c, &lu);
    let seuils = conformite::SeuilsActivite::pour_exercice(&p.parametres, 2025)
        .map_err(|x| ErreurWeb::Interne(x.to_string()))?;
    let mut rapports = String::new();
    for i in &intervenants {
        let i = &i.valeur;
        let aip = i.vers_referentiel();
        let r =
            conformite::verifier_intervenant(&aip, &seuils, time::OffsetDateTime::now_utc().date())
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
        let siege = NouveauLieu {
            voie_lieu: g.siege.voie.clone(),
            code_postal_lieu: g.siege.code_postal.clone(),
            commune_lieu: g.siege.commune.to_string(),
            rdv: Some("1".into()),
            sans_rdv: Some("1".into()),
            ..NouveauLieu::default()
        };
        let l = saisie_lieu.unwrap_or(&siege);
        let vide = NouvelIntervenant::default();
        let i = saisie_intervenant.unwrap_or(&vide);
        let diplomes: Vec<(&str, &str)> = std::iter::once(("", "Choisissez un diplôme"))
            .chain(DIPLOMES.iter().copied())
            .collect();
        let statuts = [
            ("salarie", "Salarié"),
            ("benevole", "Bénévole"),
            ("liberal", "Libéral"),
        ];
        let err_modalites = x.de("rdv");
        format!(
            "<form method=\"post\" action=\"/structures/{id}/lieux\" novalidate><fieldset><legend>Ajouter un lieu d'accueil</legend>{}{}{}{}{}\
             <fieldset{}><legend>Modalités d'accueil</legend>{}{}{}{}{}</fieldset>\
             <button type=\"submit\">Ajouter le lieu</button></fieldset></form>\
             <form method=\"post\" action=\"/structures/{id}/intervenants\" novalidate><fieldset><legend>Ajouter un intervenant</legend>{}{}{}{}\
             <fieldset><legend>Autre diplôme</legend><p class=\"aide\">Seulement si le diplôme n'est pas dans la liste : son intitulé, son niveau dans la nomenclature nationale (1 à 8) et son domaine.</p>{}{}{}</fieldset>\
             {}{}{}{}{}{}{}\
             <button type=\"submit\">Ajouter l'intervenant</button></fieldset></form>",
            csrf(c),
            Champ::new("nom_lieu", "Nom du lieu")
                .erreurs(x)
                .texte(&l.nom_lieu)
                .into_string(),
            Champ::new("voie_lieu", "Adresse")
                .erreurs(x)
                .texte(&l.voie_lieu)
                .into_string(),
            Champ::new("code_postal_lieu", "Code postal")
                .erreurs(x)
                .clavier(Clavier::Numerique)
                .texte(&l.code_postal_lieu)
                .into_string(),
            Champ::new("commune_lieu", "Code INSEE de la commune")
                .erreurs(x)
                .texte(&l.commune_lieu)
                .into_string(),
            if err_modalites.is_some() {
                " class=\"champ en-erreur\""
            } else {
                ""
            },
            err_modalites.as_ref().map_or(String::new(), |m| format!(
                "<p class=\"message-erreur\" id=\"rdv-erreur\">{}</p>",
                e(m)
            )),
            Champ::new("rdv", "Sur rendez-vous")
                .erreur_du_groupe(err_modalites.is_some().then_some("rdv-erreur"))
                .case(l.rdv.is_some())
                .into_string(),
            Champ::new("sans_rdv", "Permanence sans rendez-vous")
                .case(l.sans_rdv.is_some())
                .into_string(),
            Champ::new("visio", "Visioconférence")
                .case(l.visio.is_some())
                .into_string(),
            Champ::new("telephone", "Téléphone")
                .case(l.telephone.is_some())
                .into_string(),
            csrf(c),
            Champ::new("prenom", "Prénom")
                .erreurs(x)
                .texte(&i.prenom)
                .into_string(),
            Champ::new("nom", "Nom")
                .erreurs(x)
                .texte(&i.nom)
                .into_string(),
            Champ::new("diplome", "Diplôme")
                .erreurs(x)
                .liste(&diplomes, &i.diplome)
                .into_string(),
            Champ::new("diplome_libelle", "Intitulé du diplôme")
                .erreurs(x)
                .texte(&i.diplome_libelle)
                .into_string(),
            Champ::new("diplome_niveau", "Niveau (1 à 8)")
                .erreurs(x)
                .clavier(Clavier::Numerique)
                .texte(&i.diplome_niveau)
                .into_string(),
            Champ::new("diplome_domaine", "Domaine")
                .aide("Par exemple psychologie, travail social, sciences de l'éducation")
                .erreurs(x)
                .texte(&i.diplome_domaine)
                .into_string(),
            Champ::new("statut", "Statut")
                .id("statut_i")
                .erreurs(x)
                .liste(&statuts, &i.statut)
                .into_string(),
            Champ::new("etp", "ETP consacrés au service")
                .aide("Par exemple 0,5")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&i.etp)
                .into_string(),
            Champ::new("contrat_debut", "Début du contrat sur le service")
                .erreurs(x)
                .saisie("date", &i.contrat_debut)
                .into_string(),
            Champ::new("contrat_fin", "Fin du contrat")
                .aide("Laisser vide pour un contrat à durée indéterminée")
                .erreurs(x)
                .saisie("date", &i.contrat_fin)
                .into_string(),
            Champ::new(
                "casier",
                "Date de vérification du bulletin n°3 du casier judiciaire"
            )
            .aide("Laisser vide si non vérifié")
            .erreurs(x)
            .saisie("date", &i.casier)
            .into_string(),
            Champ::new("heures_ap", "Heures d'analyse de la pratique par an")
                .erreurs(x)
                .clavier(Clavier::Numerique)
                .texte(&i.heures_ap)
                .into_string(),
            Champ::new(
                "experience",
                "Expérience ou formation dans le champ de la parentalité"
            )
            .case(i.experience.is_some() || saisie_intervenant.is_none())
            .into_string(),
        )
    } else {
        String::new()
    };
    // Pièces justificatives of the structure and links to its intervenants' (pages/pieces.rs).
    let noms: Vec<(domain::identifiants::IntervenantId, String)> = intervenants
        .iter()
        .map(|i| (i.valeur.id, format!("{} {}", i.valeur.prenom, i.valeur.nom)))
        .collect();
    let formulaires = format!(
        "{formulaires}{}",
        crate::pages::pieces::section_structure(p, c, gid, &noms).await?
    );
    Ok(page(
        &x.titre(&g.raison_sociale),
        Some(c),
        "/structures",
        &format!(
            "<h1>{}</h1>{}<dl class=\"fiche\"><dt>SIRET</dt><dd>{}</dd><dt>RNA</dt><dd>{}</dd><dt>Statut</dt><dd>{}</dd><dt>Activité</dt><dd>{}</dd><dt>Siège</dt><dd>{}, {} ({}), département {}</dd></dl>\
             <h2>Éligibilité, telle que la Caf l'examinera</h2>{}{rapports}{engagements}{banque}<h2>Lieux d'accueil</h2>{}{formulaires}",
            e(&g.raison_sociale),
            x.resume().into_string(),
            e(&g.siret.formate()),
            g.rna.as_ref().map_or("–".to_owned(), |r| e(&r.to_string())),
            e(g.statut.libelle()),
            e(g.activite.libelle()),
            e(&g.siege.voie),
            e(&g.siege.code_postal),
            e(&g.siege.commune.to_string()),
            e(g.departement_siege.as_str()),
            rapport_html("Structure", &structure),
            tableau(
                "Lieux d'accueil",
                &[("Nom", false), ("Adresse", false), ("Modalités", false)],
                &lignes_lieux
            ),
        ),
    ))
}

#[derive(Debug, Deserialize, Default)]
pub struct NouveauLieu {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    nom_lieu: String,
    #[serde(default)]
    voie_lieu: String,
    #[serde(default)]
    code_postal_lieu: String,
    #[serde(default)]
    commune_lieu: String,
    rdv: Option<String>,
    sans_rdv: Option<String>,
    visio: Option<String>,
    telephone: Option<String>,
}

const CHAMPS_LIEU: [(&str, &str); 4] = [
    ("nom du lieu", "nom_lieu"),
    ("code postal", "code_postal_lieu"),
    ("adresse", "voie_lieu"),
    ("modalités", "rdv"),
];

pub async fn ajouter_lieu(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<NouveauLieu>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let refuser = async |x: Erreurs| -> Result<Response, ErreurWeb> {
        Ok((
            x.statut(),
            Html(rendre_fiche(p, &c, id, Some(&f), None, None, &x).await?),
        )
            .into_response())
    };
    let mut x = Erreurs::default();
    let commune = CodeInsee::parse(f.commune_lieu.trim())
        .map_err(|m| x.ajouter("commune_lieu", format!("Code INSEE de la commune : {m}")))
        .ok();
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
    let Some(commune) = commune else {
        return refuser(x).await;
    };
    let lieu = |lid| Lieu {
        id: lid,
        gestionnaire: GestionnaireId(id),
        nom: f.nom_lieu.trim().to_owned(),
        adresse: Adresse {
            voie: f.voie_lieu.trim().to_owned(),
            complement: None,
            code_postal: f.code_postal_lieu.trim().to_owned(),
            commune,
        },
        modalites,
    };
    match p
        .ajouter_lieu(&c.acteur, lieu, time::OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/structures/{id}")).into_response()),
        Err(a) => refuser(Erreurs::depuis_app(a, &CHAMPS_LIEU, "nom_lieu")?).await,
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct NouvelIntervenant {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    prenom: String,
    #[serde(default)]
    nom: String,
    #[serde(default)]
    diplome: String,
    #[serde(default)]
    statut: String,
    #[serde(default)]
    etp: String,
    #[serde(default)]
    diplome_libelle: String,
    #[serde(default)]
    diplome_niveau: String,
    #[serde(default)]
    diplome_domaine: String,
    #[serde(default)]
    contrat_debut: String,
    #[serde(default)]
    contrat_fin: String,
    #[serde(default)]
    casier: String,
    #[serde(default)]
    heures_ap: String,
    experience: Option<String>,
}

const CHAMPS_INTERVENANT: [(&str, &str); 3] =
    [("prénom", "prenom"), ("nom", "nom"), ("diplôme", "diplome")];

pub async fn ajouter_intervenant(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<NouvelIntervenant>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let refuser = async |x: Erreurs| -> Result<Response, ErreurWeb> {
        Ok((
            x.statut(),
            Html(rendre_fiche(p, &c, id, None, Some(&f), None, &x).await?),
        )
            .into_response())
    };
    let mut x = Erreurs::default();
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
    let date_de =
        |champ: &'static str, libelle: &str, texte: &str, x: &mut Erreurs| match texte.trim() {
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
        };
    let contrat_debut = match date_de(
        "contrat_debut",
        "Début du contrat",
        &f.contrat_debut,
        &mut x,
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
    let contrat_fin = date_de("contrat_fin", "Fin du contrat", &f.contrat_fin, &mut x);
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
    let casier = match f.casier.trim() {
        "" => Some(None),
        t => Date::parse(t, format_description!("[year]-[month]-[day]"))
            .map(Some)
            .map_err(|_| {
                x.ajouter(
                    "casier",
                    format!(
                        "Date de vérification du casier : « {t} » n'est pas une date (jj/mm/aaaa)"
                    ),
                )
            })
            .ok(),
    };
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
    let (
        Some(diplome),
        Some(statut),
        Some(etp),
        Some(casier),
        Some(heures),
        Some(contrat_debut),
        Some(contrat_fin),
    ) = (
        diplome,
        statut,
        etp,
        casier,
        heures,
        contrat_debut,
        contrat_fin,
    )
    else {
        return refuser(x).await;
    };
    let intervenant = |iid| Intervenant {
        id: iid,
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
    match p
        .ajouter_intervenant(&c.acteur, intervenant, time::OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/structures/{id}")).into_response()),
        Err(a) => refuser(Erreurs::depuis_app(a, &CHAMPS_INTERVENANT, "nom")?).await,
    }
}
