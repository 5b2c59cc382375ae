//! The form of a structure (gestionnaire), registered by a Caf agent from the list or by the
//! gestionnaire itself: what was typed, its template, and its reading field by field (every
//! error at once) into the record the use case stores.

use app::{Auteur, ErreurApp, Plateforme};
use domain::identifiants::{CodeDepartement, CodeInsee, Email, GestionnaireId, Rna, Siret};
use domain::structures::{Adresse, Gestionnaire, StatutJuridique, TypeActivite};
use maud::{Markup, html};
use serde::Deserialize;

use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::session::Connecte;
use crate::vue::champ_csrf;

/// A structure as typed.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct NouveauGestionnaire {
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    #[serde(default)]
    pub raison_sociale: String,
    #[serde(default)]
    pub siret: String,
    #[serde(default)]
    pub rna: String,
    #[serde(default)]
    pub statut: String,
    #[serde(default)]
    pub activite: String,
    #[serde(default)]
    pub voie: String,
    #[serde(default)]
    pub code_postal: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub departement: String,
    #[serde(default)]
    pub email: String,
}

/// The form, posted to `cible`, under the heading `titre`.
pub(super) fn formulaire(
    c: &Connecte,
    cible: &str,
    titre: &str,
    f: &NouveauGestionnaire,
    x: &Erreurs,
) -> Markup {
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
    html! {
        h2 { (titre) }
        form method="post" action=(cible) novalidate {
            (champ_csrf(c))
            (Champ::new("raison_sociale", "Raison sociale").erreurs(x).autocomplete("organization").texte(&f.raison_sociale))
            (Champ::new("siret", "SIRET").aide("14 chiffres; la clé de contrôle est vérifiée").erreurs(x).clavier(Clavier::Numerique).texte(&f.siret))
            (Champ::new("statut", "Statut juridique").erreurs(x).liste(&statuts, &f.statut))
            (Champ::new("rna", "Numéro RNA")
                .aide("Pour une association: W suivi de 9 caractères; sans objet pour les collectivités et en Alsace-Moselle")
                .erreurs(x).texte(&f.rna))
            (Champ::new("activite", "Activité").erreurs(x).liste(&activites, &f.activite))
            (Champ::new("voie", "Adresse du siège").aide("Numéro et voie").erreurs(x).autocomplete("street-address").texte(&f.voie))
            (Champ::new("code_postal", "Code postal").erreurs(x).autocomplete("postal-code").clavier(Clavier::Numerique).texte(&f.code_postal))
            (Champ::new("commune", "Code INSEE de la commune").aide("5 caractères, par exemple 38185 pour Grenoble").erreurs(x).texte(&f.commune))
            (Champ::new("departement", "Département du siège").aide("Par exemple 38; déduit du code INSEE si laissé vide").erreurs(x).texte(&f.departement))
            (Champ::new("email", "Adresse électronique de contact").aide("Facultatif").erreurs(x).autocomplete("email").saisie("email", &f.email))
            button type="submit" { "Enregistrer la structure" }
        }
    }
}

/// A structure as typed, checked field by field: every error at once.
fn lire(f: &NouveauGestionnaire) -> Result<impl FnOnce(GestionnaireId) -> Gestionnaire, Erreurs> {
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
pub(super) async fn enregistrer_structure(
    p: &Plateforme,
    c: &Connecte,
    f: &NouveauGestionnaire,
) -> Result<Result<GestionnaireId, Erreurs>, ErreurWeb> {
    let construire = match lire(f) {
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
        // Every field was checked above but the number RNA against the status and the
        // département, which is what the rules still refuse; the store refuses a SIRET
        // already registered (its only unique key).
        Err(e) => {
            let champ = match &e {
                ErreurApp::Refus(_) => "rna",
                _ => "siret",
            };
            Erreurs::depuis_app(e, &[], champ).map(Err)
        }
    }
}
