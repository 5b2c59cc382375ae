//! The annual bilan of each convention of the structure covering the exercise (Référentiel
//! national de financement de l'AIP §V, §VI.2: the bilan goes with the réelle declaration; its
//! validation by the Caf releases the solde): its state and timeliness loaded into the view
//! model, and `POST /activite/bilan`, by which the gestionnaire sends it with the figures derived
//! from the sessions. Every error of the form is reported at once.

use std::collections::{BTreeMap, HashMap};

use activite::SuiviActivite;
use activite::nomenclature::Modalite;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::acces::Role;
use domain::identifiants::{ConventionId, GestionnaireId};
use time::OffsetDateTime;

use super::modele::{BilanConvention, ChiffresTransmis, EtatBilan, FormulaireBilan, VueBilans};
use super::{Choix, Retour, page, reponse};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::fr;
use crate::session::Connecte;

/// What was typed in the bilan form.
#[derive(Debug, Default, Clone)]
pub(super) struct ValeursBilan {
    pub heures_analyse_pratique: String,
    pub reseau_partenarial: String,
    pub synthese: String,
}

/// The bilans of the conventions of `g` covering `exercice`; `retour`: the form sent, shown
/// again with its values.
pub(super) async fn bilans(
    etat: &Etat,
    c: &Connecte,
    g: GestionnaireId,
    exercice: i32,
    retour: Option<&(ConventionId, ValeursBilan)>,
) -> Result<VueBilans, ErreurWeb> {
    let p = &etat.plateforme;
    let echeance = crate::pages::tableau_de_bord::echeance_bilan(&p.parametres, exercice);
    let echeance_texte = echeance.map_or(String::new(), fr::date);
    let aujourd_hui = OffsetDateTime::now_utc().date();
    let mut conventions = Vec::new();
    for conv in p.conventions(&c.acteur).await? {
        let v = &conv.valeur;
        if v.gestionnaire != g || v.debut.year() > exercice || v.fin.year() < exercice {
            continue;
        }
        let bilans = p.bilans(&c.acteur, v.id).await?;
        let bilan = bilans.iter().find(|b| b.valeur.exercice == exercice);
        let etat_bilan = match bilan.map(|b| &b.valeur) {
            None => EtatBilan::AFaire {
                retard: echeance.is_some_and(|d| aujourd_hui > d),
                echeance: echeance_texte.clone(),
            },
            Some(b) => EtatBilan::Saisi {
                etat: b.etat(),
                transmis_le: b.suivi.transmise_le.map(|t| fr::date(t.date())),
                a_temps: match (b.suivi.transmise_le, echeance) {
                    (Some(t), Some(d)) => Some(t.date() <= d),
                    _ => None,
                },
                echeance: echeance_texte.clone(),
            },
        };
        let formulaire = (bilan.is_none() && c.acteur.role == Role::Gestionnaire).then(|| {
            let envoye = retour.filter(|(id, _)| *id == v.id);
            FormulaireBilan {
                valeurs: envoye.map(|(_, x)| x.clone()).unwrap_or_default(),
                envoye: envoye.is_some(),
            }
        });
        conventions.push(BilanConvention {
            id: v.id.0,
            numero: v.numero.clone(),
            etat: etat_bilan,
            transmis: bilan.map(|b| ChiffresTransmis::depuis(&b.valeur.contenu)),
            formulaire,
        });
    }
    Ok(VueBilans {
        exercice,
        structure: g.0,
        conventions,
    })
}

/// The activity figures of the bilan, by list and code (`etape.premier_contact`).
fn repartition(chiffres: &activite::ChiffresBilan) -> BTreeMap<String, i64> {
    fn ranger<T: Modalite>(r: &mut BTreeMap<String, i64>, m: &BTreeMap<T, i64>) {
        for (k, v) in m {
            r.insert(format!("{}.{}", T::RUBRIQUE, k.code()), *v);
        }
    }
    let a = &chiffres.activite;
    let mut r = BTreeMap::new();
    ranger(&mut r, &a.par_etape);
    ranger(&mut r, &a.par_mode);
    ranger(&mut r, &a.par_presence);
    ranger(&mut r, &a.par_sujet);
    ranger(&mut r, &a.par_orientation);
    r.insert(
        "familles_au_dela_repere".into(),
        chiffres.familles_au_dela_repere,
    );
    r
}

/// Every error of the form at once; the hours when they could be read.
fn verifier(valeurs: &ValeursBilan, deja: bool, exercice: i32) -> Result<u32, Erreurs> {
    let mut erreurs = Erreurs::default();
    let heures = valeurs.heures_analyse_pratique.trim().parse::<u32>();
    if heures.is_err() {
        erreurs.ajouter(
            "heures_analyse_pratique",
            "Heures d'analyse de la pratique : indiquez un nombre entier d'heures, 0 s'il n'y en a pas eu",
        );
    }
    if valeurs.synthese.trim().is_empty() {
        erreurs.ajouter(
            "synthese",
            "Synthèse qualitative : décrivez en quelques lignes les besoins et les réponses apportées",
        );
    }
    if deja {
        erreurs.ajouter(
            "",
            format!(
                "Le bilan {exercice} de cette convention a déjà été saisi : il n'est pas transmis une seconde fois."
            ),
        );
    }
    match heures {
        Ok(h) if erreurs.est_vide() => Ok(h),
        _ => Err(erreurs),
    }
}

/// `POST /activite/bilan`: the gestionnaire sends the bilan of a convention and exercise, its
/// activity figures taken from the sessions.
pub async fn transmettre_bilan(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.get("_csrf").map(String::as_str))?;
    let texte = |n: &str| f.get(n).map(|s| s.trim().to_owned()).unwrap_or_default();
    let g = GestionnaireId(
        texte("structure")
            .parse()
            .map_err(|_| ErreurWeb::Refus("structure non précisée".into()))?,
    );
    let convention = ConventionId(
        texte("convention")
            .parse()
            .map_err(|_| ErreurWeb::Refus("convention non précisée".into()))?,
    );
    let exercice: i32 = texte("exercice")
        .parse()
        .map_err(|_| ErreurWeb::Refus("exercice non précisé".into()))?;
    let valeurs = ValeursBilan {
        heures_analyse_pratique: f
            .get("heures_analyse_pratique")
            .cloned()
            .unwrap_or_default(),
        reseau_partenarial: f.get("reseau_partenarial").cloned().unwrap_or_default(),
        synthese: f.get("synthese").cloned().unwrap_or_default(),
    };
    let choix = Choix {
        structure: Some(g.0.to_string()),
        exercice: Some(exercice.to_string()),
    };
    let p = &etat.plateforme;
    let deja = p
        .bilans(&c.acteur, convention)
        .await?
        .into_iter()
        .any(|b| b.valeur.exercice == exercice);
    let erreurs = match verifier(&valeurs, deja, exercice) {
        Err(erreurs) => erreurs,
        Ok(heures) => {
            let chiffres = SuiviActivite::new(p)
                .chiffres_bilan(&c.acteur, g, exercice)
                .await?;
            let declaree = chiffres.activite_declaree();
            let contenu = domain::declaration::ContenuBilan {
                familles_accompagnees: declaree.parents_distincts,
                entretiens: declaree.entretiens,
                heures_analyse_pratique: heures,
                synthese: valeurs.synthese.trim().to_owned(),
                heures_entretiens: declaree.heures_entretiens,
                reseau_partenarial: valeurs.reseau_partenarial.trim().to_owned(),
                repartition: repartition(&chiffres),
            };
            let quand = OffsetDateTime::now_utc();
            let resultat = match p
                .saisir_bilan(&c.acteur, convention, exercice, contenu, quand)
                .await
            {
                Ok(b) => {
                    p.agir_sur_bilan(
                        &c.acteur,
                        b.valeur.id,
                        Some(b.version),
                        app::ActionTransmission::Transmettre,
                        quand,
                    )
                    .await
                }
                Err(x) => Err(x),
            };
            match resultat {
                Ok(_) => {
                    let retour = Retour {
                        succes: Some(format!(
                            "Bilan {exercice} transmis à la Caf, avec {} entretiens et {} familles.",
                            fr::entier(declaree.entretiens),
                            fr::entier(declaree.parents_distincts)
                        )),
                        ..Retour::default()
                    };
                    let (contenu, _) = page::rendre(&etat, &c, &choix, retour).await?;
                    return Ok(reponse(StatusCode::OK, "Activité — bilan", &c, contenu));
                }
                Err(x) => Erreurs::depuis_app(x, &[("synthèse", "synthese")], "")?,
            }
        }
    };
    let titre = erreurs.titre("Activité — bilan");
    let statut = erreurs.statut();
    let retour = Retour {
        erreurs,
        bilan: Some((convention, valeurs)),
        ..Retour::default()
    };
    let (contenu, _) = page::rendre(&etat, &c, &choix, retour).await?;
    Ok(reponse(statut, &titre, &c, contenu))
}
