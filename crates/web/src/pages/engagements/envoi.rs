//! The handlers of the commitments' forms: the gestionnaire's attestations and the Caf's checks,
//! each read whole (every error of a submission at once, each on its field) before the use case.

use app::Plateforme;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Refus;
use domain::identifiants::GestionnaireId;
use domain::pieces::ObjetPiece;
use domain::structures::{AvisCaf, Engagement, SaisieAttestation, SaisieControle};
use time::Date;
use time::macros::format_description;

use super::{SaisieEngagements, id, valeur};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::session::Connecte;

/// The csrf token and version of a submitted form of this section.
fn entete(saisie: &SaisieEngagements) -> (Option<&str>, Option<i64>) {
    let csrf = saisie
        .iter()
        .find(|(n, _)| n == "_csrf")
        .map(|(_, v)| v.as_str());
    let version = saisie
        .iter()
        .find(|(n, _)| n == "version")
        .and_then(|(_, v)| v.trim().parse().ok());
    (csrf, version)
}

/// The errors of an attestation, each on its field: the domain's check run on the statement
/// alone (the date set to the day), then on the date alone (any statement), so that both are
/// reported at once.
fn erreurs_attestation(
    x: &mut Erreurs,
    engagement: Engagement,
    attestation: &SaisieAttestation,
    aujourd_hui: Date,
) {
    let seule_declaration = SaisieAttestation {
        date: aujourd_hui,
        ..attestation.clone()
    };
    if let Err(r) = seule_declaration.verifier(aujourd_hui) {
        let message = match r {
            Refus::Incomplet { .. } => {
                "Déclaration : à remplir pour attester l'engagement".to_owned()
            }
            autre => autre.to_string(),
        };
        x.ajouter(&id("declaration", engagement), message);
    }
    let seule_date = SaisieAttestation {
        declaration: "–".to_owned(),
        ..attestation.clone()
    };
    if let Err(r) = seule_date.verifier(aujourd_hui) {
        x.ajouter(&id("date", engagement), r.to_string());
    }
}

async fn refuser(
    p: &Plateforme,
    c: &Connecte,
    id: i64,
    saisie: &SaisieEngagements,
    x: Erreurs,
) -> Result<Response, ErreurWeb> {
    Ok((
        x.statut(),
        Html(
            crate::pages::structures::rendre_fiche(
                p,
                c,
                id,
                crate::pages::structures::SaisieFiche::Engagements(saisie),
                &x,
            )
            .await?,
        ),
    )
        .into_response())
}

/// `POST /structures/{id}/engagements`: the gestionnaire attests commitments.
pub async fn attester(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id_structure): Path<i64>,
    Form(saisie): Form<SaisieEngagements>,
) -> Result<Response, ErreurWeb> {
    let (jeton, version) = entete(&saisie);
    c.verifier_csrf(jeton)?;
    let p = &etat.plateforme;
    let g = p
        .gestionnaire(&c.acteur, GestionnaireId(id_structure))
        .await?;
    let pieces = p
        .pieces_de(
            &c.acteur,
            ObjetPiece::Gestionnaire(GestionnaireId(id_structure)),
        )
        .await?;
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let mut x = Erreurs::default();
    let mut attestations = Vec::new();
    for engagement in g.valeur.engagements_applicables() {
        let respecte = match valeur(Some(&saisie), &id("respecte", engagement)) {
            "oui" => true,
            "non" => false,
            _ => {
                if !valeur(Some(&saisie), &id("declaration", engagement))
                    .trim()
                    .is_empty()
                {
                    x.ajouter(
                        &id("respecte", engagement),
                        "Votre attestation : choisissez « Respecté » ou « Non respecté » pour enregistrer la déclaration",
                    );
                }
                continue;
            }
        };
        let texte_date = valeur(Some(&saisie), &id("date", engagement)).trim();
        let Ok(date) = Date::parse(texte_date, format_description!("[year]-[month]-[day]")) else {
            x.ajouter(
                &id("date", engagement),
                format!("Date de l'attestation : « {texte_date} » n'est pas une date (jj/mm/aaaa)"),
            );
            continue;
        };
        let piece = match valeur(Some(&saisie), &id("piece", engagement)).trim() {
            "" => None,
            texte => match texte.parse::<i64>() {
                Ok(n) if pieces.iter().any(|p| p.id.0 == n) => u64::try_from(n).ok(),
                _ => {
                    x.ajouter(
                        &id("piece", engagement),
                        "Pièce justificative : choisissez un document joint à la structure",
                    );
                    continue;
                }
            },
        };
        let attestation = SaisieAttestation {
            respecte,
            declaration: valeur(Some(&saisie), &id("declaration", engagement)).to_owned(),
            date,
            piece,
        };
        match attestation.verifier(aujourd_hui) {
            Ok(_) => attestations.push((engagement, attestation)),
            Err(_) => erreurs_attestation(&mut x, engagement, &attestation, aujourd_hui),
        }
    }
    if x.est_vide() && attestations.is_empty() {
        x.ajouter(
            "",
            "Aucun engagement attesté : choisissez « Respecté » ou « Non respecté » pour au moins un engagement",
        );
    }
    if !x.est_vide() {
        return refuser(p, &c, id_structure, &saisie, x).await;
    }
    match p
        .attester_engagements(
            &c.acteur,
            GestionnaireId(id_structure),
            version,
            attestations,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/structures/{id_structure}#engagements")).into_response())
        }
        Err(a) => {
            refuser(
                p,
                &c,
                id_structure,
                &saisie,
                Erreurs::depuis_app(a, &[], "")?,
            )
            .await
        }
    }
}

/// `POST /structures/{id}/engagements/controle`: a Caf agent checks attestations.
pub async fn controler(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id_structure): Path<i64>,
    Form(saisie): Form<SaisieEngagements>,
) -> Result<Response, ErreurWeb> {
    let (jeton, version) = entete(&saisie);
    c.verifier_csrf(jeton)?;
    let p = &etat.plateforme;
    let g = p
        .gestionnaire(&c.acteur, GestionnaireId(id_structure))
        .await?;
    let mut x = Erreurs::default();
    let mut controles = Vec::new();
    for engagement in g.valeur.engagements_applicables() {
        let Some(avis) = AvisCaf::depuis_code(valeur(Some(&saisie), &id("avis", engagement)))
        else {
            continue;
        };
        let controle = SaisieControle {
            avis,
            commentaire: valeur(Some(&saisie), &id("commentaire", engagement)).to_owned(),
        };
        match controle.verifier() {
            Ok(_) => controles.push((engagement, controle)),
            Err(r) => x.ajouter(
                &id("commentaire", engagement),
                match r {
                    Refus::Incomplet { .. } => {
                        "Commentaire : obligatoire pour un engagement non conforme ou à vérifier"
                            .to_owned()
                    }
                    autre => autre.to_string(),
                },
            ),
        }
    }
    if x.est_vide() && controles.is_empty() {
        x.ajouter(
            "",
            "Aucun contrôle saisi : choisissez un avis pour au moins un engagement",
        );
    }
    if !x.est_vide() {
        return refuser(p, &c, id_structure, &saisie, x).await;
    }
    match p
        .controler_engagements(
            &c.acteur,
            GestionnaireId(id_structure),
            version,
            controles,
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/structures/{id_structure}#engagements")).into_response())
        }
        Err(a) => {
            refuser(
                p,
                &c,
                id_structure,
                &saisie,
                Erreurs::depuis_app(a, &[], "")?,
            )
            .await
        }
    }
}
