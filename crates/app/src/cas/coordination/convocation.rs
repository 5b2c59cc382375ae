//! The mails of a séance, written to the outbox in the transaction of the change that causes
//! them: the convocation (and each update) with its invitation and the member's personal answer
//! link, the cancellation, the reminder before the séance, the minutes sent for comments.
//!
//! A member's link carries a random secret; only its SHA-256 is stored. A new mail to the member
//! about the séance carries a new link, which replaces the previous one.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use domain::coordination::{Instance, Membre, Seance};
use domain::courriel::{Courriel, GenreCourriel, PieceJointe};
use sha2::{Digest, Sha256};
use store::Tx;
use store::coordination as depot_coordination;
use time::OffsetDateTime;

use super::invitation;
use crate::ErreurApp;
use crate::cas::courriels::mettre_en_file;

/// The SHA-256 of a link's secret, as stored.
pub(crate) fn empreinte(jeton: &str) -> String {
    hex::encode(Sha256::digest(jeton.as_bytes()))
}

fn nouveau_jeton() -> String {
    let mut octets = [0u8; 24];
    OsRng.fill_bytes(&mut octets);
    hex::encode(octets)
}

/// `mardi 15 décembre 2026 à 14 h 00`, Paris time as entered.
pub fn date_et_heure(t: OffsetDateTime) -> String {
    const JOURS: [&str; 7] = [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ];
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let jour = JOURS[usize::from(t.weekday().number_days_from_monday())];
    let mois = MOIS[usize::from(u8::from(t.month()) - 1)];
    let quantieme = if t.day() == 1 {
        "1er".to_owned()
    } else {
        t.day().to_string()
    };
    format!(
        "{jour} {quantieme} {mois} {} à {} h {:02}",
        t.year(),
        t.hour(),
        t.minute()
    )
}

fn ordre_du_jour(seance: &Seance) -> String {
    seance
        .ordre_du_jour
        .iter()
        .enumerate()
        .map(|(i, p)| format!("  {}. {}", i + 1, p.titre))
        .collect::<Vec<_>>()
        .join("\n")
}

fn courriel(
    instance: &Instance,
    membre: &Membre,
    genre: GenreCourriel,
    cle: String,
    sujet: String,
    texte: String,
    pieces_jointes: Vec<PieceJointe>,
) -> Courriel {
    Courriel {
        cle,
        genre,
        destinataire: membre.email.as_str().to_owned(),
        utilisateur: membre.utilisateur,
        departement: instance
            .forme
            .departementale()
            .then_some(instance.departement),
        sujet,
        texte,
        pieces_jointes,
    }
}

/// A new personal link of `membre` for `seance`.
async fn lien(
    tx: &mut Tx,
    adresse: &str,
    seance: &Seance,
    membre: &Membre,
) -> Result<String, ErreurApp> {
    let jeton = nouveau_jeton();
    depot_coordination::enregistrer_lien(tx, &empreinte(&jeton), seance.id, membre.id).await?;
    Ok(format!(
        "{}/convocations/{jeton}",
        adresse.trim_end_matches('/')
    ))
}

/// Mails the convocation of the séance's current sequence to every convened member: the first
/// one, or the update after a change (« modifiée » in its subject).
pub(crate) async fn envoyer_convocations(
    tx: &mut Tx,
    instance: &Instance,
    seance: &Seance,
    membres: &[Membre],
    adresse: &str,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    let convoques: Vec<&Membre> = membres
        .iter()
        .filter(|m| seance.convocations.contains_key(&m.id))
        .collect();
    let ics = invitation::invitation(instance, seance, &convoques, quand);
    let mise_a_jour = seance.sequence > 0;
    for m in &convoques {
        let lien = lien(tx, adresse, seance, m).await?;
        let sujet = format!(
            "{} : {} — {}",
            if mise_a_jour {
                "Convocation modifiée"
            } else {
                "Convocation"
            },
            seance.titre,
            date_et_heure(seance.debut)
        );
        let texte = format!(
            "Bonjour {personne},\n\n\
             {intro} à la séance « {titre} » de l'{instance} ({niveau}), le {date}, lieu : {lieu}.\n\n\
             Ordre du jour :\n{odj}\n\n\
             Merci d'indiquer si vous serez présent, absent, ou représenté par un autre membre à qui vous donnez pouvoir :\n{lien}\n\n\
             L'invitation jointe (convocation.ics) s'ajoute à votre agenda.\n\n\
             Le secrétariat de l'instance\n{secretariat}\n",
            personne = m.personne,
            intro = if mise_a_jour {
                "La séance à laquelle vous êtes convoqué(e) a changé. Vous êtes convoqué(e)"
            } else {
                "Vous êtes convoqué(e)"
            },
            titre = seance.titre,
            instance = instance.appellation(),
            niveau = seance.niveau.libelle(),
            date = date_et_heure(seance.debut),
            lieu = seance.lieu,
            odj = ordre_du_jour(seance),
            secretariat = instance.secretariat.as_str(),
        );
        let c = courriel(
            instance,
            m,
            GenreCourriel::Convocation,
            format!("convocation-{}-{}-{}", seance.id, seance.sequence, m.id),
            sujet,
            texte,
            vec![PieceJointe {
                nom: invitation::NOM_FICHIER.to_owned(),
                type_mime: invitation::type_mime(seance).to_owned(),
                contenu: ics.clone().into_bytes(),
            }],
        );
        mettre_en_file(tx, &c, quand).await?;
    }
    Ok(())
}

/// Mails the cancellation of a convened séance, with the invitation that removes it from
/// calendars.
pub(crate) async fn envoyer_annulation(
    tx: &mut Tx,
    instance: &Instance,
    seance: &Seance,
    membres: &[Membre],
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    let convoques: Vec<&Membre> = membres
        .iter()
        .filter(|m| seance.convocations.contains_key(&m.id))
        .collect();
    let ics = invitation::invitation(instance, seance, &convoques, quand);
    for m in &convoques {
        let texte = format!(
            "Bonjour {},\n\nLa séance « {} » du {} est annulée.\nMotif : {}\n\nLe secrétariat de l'instance\n{}\n",
            m.personne,
            seance.titre,
            date_et_heure(seance.debut),
            seance.motif_annulation.as_deref().unwrap_or(""),
            instance.secretariat.as_str()
        );
        let c = courriel(
            instance,
            m,
            GenreCourriel::Convocation,
            format!("annulation-{}-{}-{}", seance.id, seance.sequence, m.id),
            format!(
                "Séance annulée : {} — {}",
                seance.titre,
                date_et_heure(seance.debut)
            ),
            texte,
            vec![PieceJointe {
                nom: invitation::NOM_FICHIER.to_owned(),
                type_mime: invitation::type_mime(seance).to_owned(),
                contenu: ics.clone().into_bytes(),
            }],
        );
        mettre_en_file(tx, &c, quand).await?;
    }
    Ok(())
}

/// Mails a reminder to every convened member who has not answered yet, once per sequence.
pub(crate) async fn envoyer_rappels(
    tx: &mut Tx,
    instance: &Instance,
    seance: &Seance,
    membres: &[Membre],
    adresse: &str,
    quand: OffsetDateTime,
) -> Result<usize, ErreurApp> {
    let mut n = 0;
    for m in membres {
        let Some(c) = seance.convocations.get(&m.id) else {
            continue;
        };
        if c.reponse.is_some() {
            continue;
        }
        let lien = lien(tx, adresse, seance, m).await?;
        let texte = format!(
            "Bonjour {},\n\nLa séance « {} » a lieu le {}, lieu : {}.\nVous n'avez pas encore répondu à la convocation : présent, absent ou représenté ?\n{}\n\nLe secrétariat de l'instance\n{}\n",
            m.personne,
            seance.titre,
            date_et_heure(seance.debut),
            seance.lieu,
            lien,
            instance.secretariat.as_str()
        );
        let courriel = courriel(
            instance,
            m,
            GenreCourriel::Rappel,
            format!("rappel-{}-{}-{}", seance.id, seance.sequence, m.id),
            format!(
                "Rappel : {} — {}",
                seance.titre,
                date_et_heure(seance.debut)
            ),
            texte,
            Vec::new(),
        );
        mettre_en_file(tx, &courriel, quand).await?;
        n += 1;
    }
    Ok(n)
}

/// Mails the draft minutes to every convened member, with its link to comment them.
pub(crate) async fn envoyer_compte_rendu(
    tx: &mut Tx,
    instance: &Instance,
    seance: &Seance,
    membres: &[Membre],
    adresse: &str,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    let Some(cr) = &seance.compte_rendu else {
        return Ok(());
    };
    for m in membres
        .iter()
        .filter(|m| seance.convocations.contains_key(&m.id))
    {
        let lien = lien(tx, adresse, seance, m).await?;
        let texte = format!(
            "Bonjour {},\n\nVoici le projet de compte rendu de la séance « {} » du {}. Vos remarques sont attendues avant son approbation à la prochaine séance :\n{}\n\n---\n{}\n---\n\nLe secrétariat de l'instance\n{}\n",
            m.personne,
            seance.titre,
            date_et_heure(seance.debut),
            lien,
            cr.texte,
            instance.secretariat.as_str()
        );
        let c = courriel(
            instance,
            m,
            GenreCourriel::CompteRendu,
            format!("compte-rendu-{}-{}", seance.id, m.id),
            format!("Projet de compte rendu : {}", seance.titre),
            texte,
            Vec::new(),
        );
        mettre_en_file(tx, &c, quand).await?;
    }
    Ok(())
}
