//! Carrying out a form of the convention page: the command read from its typed fields, checked
//! whole (every error of the submission at once, each on its field), then handed to the use
//! case; a refusal of the domain goes to the field the command and the refusal's kind name.

use app::{ActionTransmission, ErreurApp};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Refus;
use domain::declaration::{
    ChampDonnees, ChampValidation, ContenuBilan, EcartActivite, EtpValides, ecarts_donnees,
};
use domain::identifiants::{BilanId, ConventionId, DeclarationId};
use domain::quantites::Etp;
use time::Date;
use time::macros::format_description;

use super::Suite;
use super::commande::{ActionFormulaire, Envoi, SaisieBilan, SaisieDeclaration, lire_declaration};
use crate::Etat;
use crate::formulaire::{Echec, Erreurs};
use crate::session::Connecte;

/// A refusal of the use case on the field `champ` (or the page, for access and failures).
fn sur(champ: &str) -> impl Fn(ErreurApp) -> Echec + '_ {
    move |e| Echec::app(e, &[], champ)
}

pub(super) async fn executer(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    envoi: &Envoi,
) -> Result<Response, Echec> {
    c.verifier_csrf(envoi.csrf.as_deref())?;
    let p = &etat.plateforme;
    let cid = ConventionId(id);
    let quand = time::OffsetDateTime::now_utc();
    let suite = match &envoi.action {
        ActionFormulaire::Signer { date_signature } => {
            let t = date_signature.trim();
            let date =
                Date::parse(t, format_description!("[year]-[month]-[day]")).map_err(|_| {
                    Echec::champ(
                        "date_signature",
                        format!(
                            "Date de signature : « {t} » n'est pas une date valide (jj/mm/aaaa)"
                        ),
                    )
                })?;
            p.signer_convention(&c.acteur, cid, None, date, quand)
                .await
                .map_err(sur("date_signature"))?;
            Suite::Signee
        }
        ActionFormulaire::SignerGestionnaire { accepte } => {
            p.signer_convention_gestionnaire(
                &c.acteur,
                cid,
                None,
                &c.utilisateur.nom,
                accepte.is_some(),
                quand,
            )
            .await
            .map_err(sur("accepte"))?;
            Suite::Signee
        }
        ActionFormulaire::SaisirDeclaration(s) => {
            saisir_declaration(etat, c, cid, s, quand).await?;
            Suite::DeclarationEnregistree
        }
        ActionFormulaire::TransmettreDeclaration { declaration } => {
            p.agir_sur_declaration(
                &c.acteur,
                DeclarationId(*declaration),
                None,
                ActionTransmission::Transmettre,
                quand,
            )
            .await
            .map_err(sur(""))?;
            Suite::DeclarationTransmise
        }
        ActionFormulaire::ValiderDeclaration {
            declaration,
            etp_valides,
            motivation_etp,
        } => {
            valider_declaration(
                etat,
                c,
                cid,
                DeclarationId(*declaration),
                etp_valides,
                motivation_etp,
                quand,
            )
            .await?;
            Suite::DeclarationValidee
        }
        ActionFormulaire::RenvoyerDeclaration { declaration, motif } => {
            let champ = format!("motif-{declaration}");
            p.agir_sur_declaration(
                &c.acteur,
                DeclarationId(*declaration),
                None,
                ActionTransmission::Renvoyer(motif.clone()),
                quand,
            )
            .await
            .map_err(sur(&champ))?;
            Suite::DeclarationRenvoyee
        }
        ActionFormulaire::SaisirBilan(s) => {
            let contenu = lire_bilan(s)?;
            p.saisir_bilan(&c.acteur, cid, contenu.0, contenu.1, quand)
                .await
                .map_err(sur("exercice_bilan"))?;
            Suite::BilanEnregistre
        }
        ActionFormulaire::TransmettreBilan { bilan } => {
            p.agir_sur_bilan(
                &c.acteur,
                BilanId(*bilan),
                None,
                ActionTransmission::Transmettre,
                quand,
            )
            .await
            .map_err(sur(""))?;
            Suite::BilanTransmis
        }
        ActionFormulaire::ValiderBilan { bilan } => {
            p.agir_sur_bilan(
                &c.acteur,
                BilanId(*bilan),
                None,
                ActionTransmission::Valider,
                quand,
            )
            .await
            .map_err(sur(""))?;
            Suite::BilanValide
        }
        ActionFormulaire::Verser { rang } => {
            p.verser_echeance(&c.acteur, cid, *rang, quand.date(), quand)
                .await
                .map_err(sur(""))?;
            Suite::Versee
        }
    };
    Ok(Redirect::to(&format!("/conventions/{id}?suite={}", suite.code())).into_response())
}

/// A declaration: its fields read, its figures checked against the convention, its activity
/// against the sessions recorded on the platform (a change needs a reason), then recorded.
async fn saisir_declaration(
    etat: &Etat,
    c: &Connecte,
    cid: ConventionId,
    s: &SaisieDeclaration,
    quand: time::OffsetDateTime,
) -> Result<(), Echec> {
    const ACTION: &str = "Saisir une déclaration";
    let p = &etat.plateforme;
    let lue = lire_declaration(s).map_err(|erreurs| {
        let mut x = Erreurs::default();
        for (champ, raison) in erreurs {
            x.ajouter(
                champ.formulaire(),
                format!("{} : {raison}", champ.libelle()),
            );
        }
        Echec::Saisie(x)
    })?;
    let convention = p
        .convention(&c.acteur, cid)
        .await
        .map_err(sur("exercice"))?
        .valeur;
    let mut x = Erreurs::default();
    for (champ, refus) in ecarts_donnees(ACTION, &convention, lue.exercice, &lue.donnees) {
        let id = match champ {
            ChampDonnees::Exercice => "exercice",
            ChampDonnees::Mois => "mois",
            ChampDonnees::Depenses => "depenses",
        };
        x.ajouter(id, refus.to_string());
    }
    let enregistree =
        super::declarations::activite_enregistree(etat, c, &convention, lue.exercice).await;
    let ecart = match enregistree {
        Some(e) if EcartActivite::attendu(lue.nature, &e, &lue.donnees.activite) => {
            let motif = s.motif_ecart.trim();
            if motif.is_empty() {
                x.ajouter(
                    "motif_ecart",
                    format!(
                        "Motif : obligatoire, car l'activité déclarée diffère de celle des entretiens enregistrés pour {} ({} entretiens, {} parents, {} heures)",
                        lue.exercice, e.entretiens, e.parents_distincts, e.heures_entretiens
                    ),
                );
            }
            Some(EcartActivite {
                enregistree: e,
                motif: motif.to_owned(),
            })
        }
        _ => None,
    };
    if !x.est_vide() {
        return Err(x.into());
    }
    p.saisir_declaration_justifiee(
        &c.acteur,
        cid,
        lue.exercice,
        lue.nature,
        lue.donnees,
        ecart,
        quand,
    )
    .await
    .map_err(sur("exercice"))?;
    Ok(())
}

/// The Caf validates a declaration, with the « ETP validés » typed if any: every error at once.
async fn valider_declaration(
    etat: &Etat,
    c: &Connecte,
    cid: ConventionId,
    declaration: DeclarationId,
    etp_valides: &str,
    motivation: &str,
    quand: time::OffsetDateTime,
) -> Result<(), Echec> {
    const ACTION: &str = "Valider la déclaration";
    let p = &etat.plateforme;
    let (id_etp, id_motivation) = (
        format!("etp_valides-{declaration}"),
        format!("motivation_etp-{declaration}"),
    );
    let action = match etp_valides.trim() {
        "" => ActionTransmission::Valider,
        t => {
            let etp =
                Etp::parse(t).map_err(|m| Echec::champ(&id_etp, format!("ETP validés : {m}")))?;
            let valides = EtpValides {
                etp,
                motivation: motivation.to_owned(),
            };
            let lue = p
                .declarations(&c.acteur, Some(cid))
                .await
                .map_err(sur(""))?
                .into_iter()
                .find(|d| d.valeur.id == declaration);
            if let Some(d) = lue {
                let mut x = Erreurs::default();
                for (champ, refus) in d.valeur.ecarts_etp_valides(ACTION, &valides) {
                    let id = match champ {
                        ChampValidation::EtpValides => &id_etp,
                        ChampValidation::Motivation => &id_motivation,
                    };
                    x.ajouter(id, refus.to_string());
                }
                if !x.est_vide() {
                    return Err(x.into());
                }
            }
            ActionTransmission::ValiderEtp(valides)
        }
    };
    p.agir_sur_declaration(&c.acteur, declaration, None, action, quand)
        .await
        .map_err(|e| match e {
            ErreurApp::Refus(Refus::MotifObligatoire { .. }) => Echec::app(e, &[], &id_motivation),
            autre => Echec::app(autre, &[], &id_etp),
        })?;
    Ok(())
}

/// A whole number typed in the field `id`, labelled `libelle`; its error added to `x`.
fn entier<T: std::str::FromStr>(
    x: &mut Erreurs,
    id: &str,
    libelle: &str,
    texte: &str,
) -> Option<T> {
    let t = texte.trim();
    match t.replace([' ', '\u{a0}', '\u{202f}'], "").parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            x.ajouter(
                id,
                format!("{libelle} : « {t} » n'est pas un nombre entier valide"),
            );
            None
        }
    }
}

/// A bilan's exercise and content, every field checked.
fn lire_bilan(s: &SaisieBilan) -> Result<(i32, ContenuBilan), Echec> {
    let mut x = Erreurs::default();
    let exercice = entier(&mut x, "exercice_bilan", "Exercice", &s.exercice_bilan);
    let familles = entier(&mut x, "familles", "Familles accompagnées", &s.familles);
    let entretiens = entier(
        &mut x,
        "entretiens_bilan",
        "Entretiens",
        &s.entretiens_bilan,
    );
    let heures = entier(
        &mut x,
        "heures_ap",
        "Heures d'analyse de la pratique",
        &s.heures_ap,
    );
    match (exercice, familles, entretiens, heures) {
        (Some(exercice), Some(familles), Some(entretiens), Some(heures)) => Ok((
            exercice,
            ContenuBilan {
                familles_accompagnees: familles,
                entretiens,
                heures_analyse_pratique: heures,
                synthese: s.synthese.clone(),
                ..ContenuBilan::default()
            },
        )),
        _ => Err(x.into()),
    }
}
