//! The mails of the events a structure must act on, queued in the transaction of the event
//! itself: a request for information on a dossier, the comité's decision, a convention to sign,
//! a payment issued, a declaration or bilan overdue. Each goes to every active account of the
//! dossier's gestionnaire, with a key made of the event and the account (one event, one mail
//! per person, however often it is replayed).

use domain::convention::Convention;
use domain::courriel::{Courriel, GenreCourriel};
use domain::decision::Decision;
use domain::dossier::Dossier;
use domain::identifiants::{CodeDepartement, GestionnaireId};
use domain::paiement::Paiement;
use store::Tx;
use time::OffsetDateTime;

use crate::cas::courriels::{comptes_du_gestionnaire, mettre_en_file};
use crate::erreur::ErreurApp;

const SIGNATURE: &str = "\n\n--\nPlateforme Parentalité — courriel automatique, merci de ne pas y \
     répondre.\nVous choisissez la fréquence de ces courriels sur votre page « Profil » ; ils \
     restent tous consultables sur la page « Courriels envoyés ».\n";

/// One event's mail to every active account of `gestionnaire`.
struct Avis<'a> {
    cle: String,
    genre: GenreCourriel,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    sujet: String,
    corps: String,
    /// The page of the record, from the root of the site.
    adresse: &'a str,
}

async fn avertir(tx: &mut Tx, avis: Avis<'_>, quand: OffsetDateTime) -> Result<(), ErreurApp> {
    for compte in comptes_du_gestionnaire(tx, avis.gestionnaire).await? {
        let courriel = Courriel {
            cle: format!("{}:u{}", avis.cle, compte.id),
            genre: avis.genre,
            destinataire: compte.email.as_str().to_owned(),
            utilisateur: Some(compte.id),
            departement: Some(avis.departement),
            sujet: avis.sujet.clone(),
            texte: format!(
                "Bonjour {},\n\n{}\n\nSur la plateforme : {}{SIGNATURE}",
                compte.nom.trim(),
                avis.corps.trim_end(),
                avis.adresse
            ),
            pieces_jointes: Vec::new(),
        };
        mettre_en_file(tx, &courriel, quand).await?;
    }
    Ok(())
}

/// The Caf asked for information (and perhaps pieces) on `dossier`, now at its version after
/// the request.
pub(crate) async fn demande_information(
    tx: &mut Tx,
    dossier: &Dossier,
    demande: &str,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    let adresse = format!("/dossiers/{}", dossier.id);
    avertir(
        tx,
        Avis {
            cle: format!("dossier:{}:complement:v{}", dossier.id, dossier.version),
            genre: GenreCourriel::DemandeInformation,
            gestionnaire: dossier.gestionnaire,
            departement: dossier.departement,
            sujet: format!(
                "Demande d’information sur le dossier n°{} « {} »",
                dossier.id,
                dossier.projet.intitule.trim()
            ),
            corps: format!(
                "La Caf demande des informations sur votre dossier n°{} « {} » :\n\n{}\n\n\
                 Répondez-lui depuis la page du dossier.",
                dossier.id,
                dossier.projet.intitule.trim(),
                demande.trim()
            ),
            adresse: &adresse,
        },
        quand,
    )
    .await
}

/// The comité decided on `dossier`.
pub(crate) async fn decision(
    tx: &mut Tx,
    decision: &Decision,
    dossier: &Dossier,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    let adresse = format!("/dossiers/{}", dossier.id);
    let motivation = if decision.motivation.trim().is_empty() {
        String::new()
    } else {
        format!("\n\nMotivation : {}", decision.motivation.trim())
    };
    avertir(
        tx,
        Avis {
            cle: format!("decision:{}", decision.id),
            genre: GenreCourriel::Decision,
            gestionnaire: dossier.gestionnaire,
            departement: dossier.departement,
            sujet: format!(
                "Décision du comité sur le dossier n°{} : {}",
                dossier.id,
                decision.issue.libelle()
            ),
            corps: format!(
                "Le comité du {} a rendu sa décision sur votre dossier n°{} « {} » : demande {}.{motivation}",
                crate::cas::courriels::date_fr(decision.date_comite),
                dossier.id,
                dossier.projet.intitule.trim(),
                decision.issue.libelle()
            ),
            adresse: &adresse,
        },
        quand,
    )
    .await
}

/// The Caf drew up `convention`, which waits for the gestionnaire's signature.
pub(crate) async fn convention_a_signer(
    tx: &mut Tx,
    convention: &Convention,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    let adresse = format!("/conventions/{}", convention.id);
    avertir(
        tx,
        Avis {
            cle: format!("convention:{}:a_signer", convention.id),
            genre: GenreCourriel::ConventionASigner,
            gestionnaire: convention.gestionnaire,
            departement: convention.departement,
            sujet: format!("Convention {} à signer", convention.numero),
            corps: format!(
                "La Caf a établi la convention {} pour votre dossier n°{}. \
                 Relisez-la et signez-la depuis sa page.",
                convention.numero, convention.dossier
            ),
            adresse: &adresse,
        },
        quand,
    )
    .await
}

/// The Caf issued `paiement`.
pub(crate) async fn paiement_emis(
    tx: &mut Tx,
    paiement: &Paiement,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    avertir(
        tx,
        Avis {
            cle: format!("paiement:{}", paiement.id),
            genre: GenreCourriel::PaiementEmis,
            gestionnaire: paiement.gestionnaire,
            departement: paiement.departement,
            sujet: format!(
                "Paiement émis : {} ({} {})",
                paiement.montant,
                paiement.nature.libelle(),
                paiement.exercice
            ),
            corps: format!(
                "La Caf a émis le paiement {} de {} ({} de l’exercice {}), daté du {}.",
                paiement.reference,
                paiement.montant,
                paiement.nature.libelle(),
                paiement.exercice,
                crate::cas::courriels::date_fr(paiement.date)
            ),
            adresse: "/paiements",
        },
        quand,
    )
    .await
}

/// A Caf agent reminded the gestionnaire of a piece of `convention` overdue (`texte`: the
/// reminder as posted in the dossier's thread; `piece`: its code and exercise).
pub(crate) async fn retard(
    tx: &mut Tx,
    convention: &Convention,
    piece: &str,
    libelle_piece: &str,
    exercice: i32,
    texte: &str,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    let adresse = format!("/conventions/{}", convention.id);
    avertir(
        tx,
        Avis {
            cle: format!(
                "retard:{}:{exercice}:{piece}:{}",
                convention.id,
                crate::cas::courriels::jour(quand)
            ),
            genre: GenreCourriel::Retard,
            gestionnaire: convention.gestionnaire,
            departement: convention.departement,
            sujet: format!(
                "En retard : {libelle_piece} {exercice} (convention {})",
                convention.numero
            ),
            corps: texte.to_owned(),
            adresse: &adresse,
        },
        quand,
    )
    .await
}
