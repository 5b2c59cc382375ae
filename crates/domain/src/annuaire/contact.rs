//! A parent's confidential contact request to a service of the public directory: what the form
//! asks (a first name or a pseudonym — never a surname —, one way to be reached, preferred
//! times, a message, and the consent whose text states the purpose and the retention period),
//! the states of a request (reçue → lue → répondue → clôturée), the structure's answer (a text
//! mailed to the parent, or a call it records), and the retention: past its end the content and
//! the contact details are deleted and only a trace without content (service, département,
//! scheme, dates, state) remains, for counts.
//!
//! Only the structure the request was sent to reads its content: a Caf agent, the Cnaf or any
//! other account is refused, whatever the page or the API.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::acces::{Acteur, Role};
use crate::appel_a_projets::Dispositif;
use crate::identifiants::{CodeDepartement, Email, GestionnaireId, ServiceId};
use crate::refus::Refus;
use crate::texte::TexteLibre;

/// A contact request, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DemandeContactId(pub i64);

impl fmt::Display for DemandeContactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The longest first name or pseudonym, in characters.
pub const LONGUEUR_MAX_PRENOM: usize = 60;
/// The shortest message, in characters: enough for the structure to know what is asked.
pub const LONGUEUR_MIN_MESSAGE: usize = 10;
/// The longest message, in characters.
pub const LONGUEUR_MAX_MESSAGE: usize = 2000;
/// The longest description of the preferred times, in characters.
pub const LONGUEUR_MAX_CRENEAUX: usize = 200;
/// The longest written answer of the structure, in characters.
pub const LONGUEUR_MAX_REPONSE: usize = 5000;

/// The retention period when no parameter says otherwise, in months (a local choice, see
/// docs/demandes-de-contact.md).
pub const CONSERVATION_PAR_DEFAUT_MOIS: u32 = 3;

/// A telephone number where the parent can be called: a French number of ten digits (`0…`, the
/// `+33` form brought back to it) or an international one (`+` and 8 to 15 digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Telephone(String);

impl Telephone {
    /// Reads a number typed with spaces, dots, dashes or parentheses between its digits; the
    /// reason of a refusal is a French sentence.
    pub fn parse(texte: &str) -> Result<Telephone, String> {
        let t = texte.trim();
        if t.is_empty() {
            return Err("à remplir".to_owned());
        }
        let (international, reste) = match t.strip_prefix('+') {
            Some(r) => (true, r),
            None => (false, t),
        };
        let mut chiffres = String::new();
        for c in reste.chars() {
            match c {
                '0'..='9' => chiffres.push(c),
                ' ' | '.' | '-' | '(' | ')' | '\u{a0}' | '\u{202f}' => {}
                autre => {
                    return Err(format!(
                        "le caractère « {autre} » n’a pas sa place dans un numéro de téléphone"
                    ));
                }
            }
        }
        if international {
            if let Some(national) = chiffres.strip_prefix("33") {
                let national = national.strip_prefix('0').unwrap_or(national);
                if national.len() == 9 {
                    return Ok(Telephone(format!("0{national}")));
                }
                return Err("un numéro en +33 compte 9 chiffres après l’indicatif".to_owned());
            }
            if (8..=15).contains(&chiffres.len()) {
                return Ok(Telephone(format!("+{chiffres}")));
            }
            return Err("un numéro international compte de 8 à 15 chiffres après le +".to_owned());
        }
        if chiffres.len() == 10 && chiffres.starts_with('0') && !chiffres.starts_with("00") {
            return Ok(Telephone(chiffres));
        }
        Err("saisissez 10 chiffres commençant par 0 (par exemple 06 12 34 56 78), ou un numéro international commençant par +".to_owned())
    }

    /// The number as stored: `0612345678` or `+3225551234`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Telephone {
    /// A French number by pairs of digits (« 06 12 34 56 78 »), an international one as stored.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.starts_with('+') {
            return f.write_str(&self.0);
        }
        let paires: Vec<&str> = self
            .0
            .as_bytes()
            .chunks(2)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        f.write_str(&paires.join(" "))
    }
}

impl TryFrom<String> for Telephone {
    type Error = String;
    fn try_from(texte: String) -> Result<Self, Self::Error> {
        Telephone::parse(&texte)
    }
}

impl From<Telephone> for String {
    fn from(t: Telephone) -> String {
        t.0
    }
}

/// How the parent wants to be reached: one e-mail address or one telephone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "moyen", content = "valeur")]
pub enum MoyenContact {
    Courriel(Email),
    Telephone(Telephone),
}

impl MoyenContact {
    /// `courriel` or `telephone`, as in forms.
    pub fn code(&self) -> &'static str {
        match self {
            MoyenContact::Courriel(_) => "courriel",
            MoyenContact::Telephone(_) => "telephone",
        }
    }

    /// The French name of the way, « par courriel ».
    pub fn libelle(&self) -> &'static str {
        match self {
            MoyenContact::Courriel(_) => "par courriel",
            MoyenContact::Telephone(_) => "par téléphone",
        }
    }

    /// The address or the number, as shown to the structure.
    pub fn valeur(&self) -> String {
        match self {
            MoyenContact::Courriel(e) => e.as_str().to_owned(),
            MoyenContact::Telephone(t) => t.to_string(),
        }
    }
}

/// Where a request is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtatDemande {
    /// Sent by the parent, not opened yet by the structure.
    Recue,
    /// Opened by someone of the structure.
    Lue,
    /// Answered: a mail sent to the parent, or a call recorded.
    Repondue,
    /// Closed by the structure, nothing more to do.
    Cloturee,
}

impl EtatDemande {
    pub const TOUS: [EtatDemande; 4] = [
        EtatDemande::Recue,
        EtatDemande::Lue,
        EtatDemande::Repondue,
        EtatDemande::Cloturee,
    ];

    /// The stable code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            EtatDemande::Recue => "recue",
            EtatDemande::Lue => "lue",
            EtatDemande::Repondue => "repondue",
            EtatDemande::Cloturee => "cloturee",
        }
    }

    pub fn depuis_code(code: &str) -> Option<EtatDemande> {
        EtatDemande::TOUS.into_iter().find(|e| e.code() == code)
    }

    /// The French name shown to users.
    pub fn libelle(self) -> &'static str {
        match self {
            EtatDemande::Recue => "Reçue, non lue",
            EtatDemande::Lue => "Lue",
            EtatDemande::Repondue => "Répondue",
            EtatDemande::Cloturee => "Clôturée",
        }
    }
}

/// The structure's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "forme")]
pub enum Reponse {
    /// A text, mailed to the parent's address.
    Ecrite { texte: String },
    /// The structure called the parent; an optional note for its own follow-up.
    Appel { note: Option<String> },
}

/// What the parent wrote and consented to, and the structure's answer: everything deleted at
/// the end of the retention period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contenu {
    /// A first name or a pseudonym; no surname is asked.
    pub prenom: String,
    pub moyen: MoyenContact,
    /// When the parent would rather be reached (« en semaine après 17 h »).
    pub creneaux: Option<String>,
    pub message: String,
    /// The consent text the parent ticked, as it was shown.
    pub consentement: String,
    pub reponse: Option<Reponse>,
}

/// A contact request: its trace (kept after the retention period, for counts) and its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandeContact {
    pub id: DemandeContactId,
    pub service: ServiceId,
    /// The structure that publishes the service: the only one that reads the request.
    pub gestionnaire: GestionnaireId,
    /// The département of the service's place, for the Caf's counts.
    pub departement: CodeDepartement,
    pub dispositif: Dispositif,
    pub etat: EtatDemande,
    #[serde(with = "time::serde::rfc3339")]
    pub recue_le: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub lue_le: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub repondue_le: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub cloturee_le: Option<OffsetDateTime>,
    /// When the content and contact details are deleted.
    #[serde(with = "time::serde::rfc3339")]
    pub a_supprimer_le: OffsetDateTime,
    pub contenu: Contenu,
}

/// The form as the parent filled it in, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saisie {
    #[serde(default)]
    pub prenom: String,
    /// `courriel` or `telephone`.
    #[serde(default)]
    pub moyen: String,
    #[serde(default)]
    pub courriel: String,
    #[serde(default)]
    pub telephone: String,
    #[serde(default)]
    pub creneaux: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub consentement: bool,
}

const ACTION_ENVOYER: &str = "Envoyer une demande de contact";

fn champ(champ: &'static str, raison: impl Into<String>) -> Refus {
    Refus::Champ {
        action: ACTION_ENVOYER,
        champ,
        raison: raison.into(),
    }
}

/// The reason of a free-text refusal without the field's name, which the form shows already.
fn raison_texte(e: crate::texte::ErreurTexte) -> String {
    let texte = e.to_string();
    texte
        .split_once(" : ")
        .map_or(texte.clone(), |(_, r)| r.to_owned())
}

impl Saisie {
    /// The content of the request once every field is checked, with `consentement` the consent
    /// text shown next to the box; otherwise every faulty field at once
    /// ([`Refus::Plusieurs`] of [`Refus::Champ`], each naming its form field).
    pub fn verifier(&self, consentement: &str) -> Result<Contenu, Refus> {
        let mut refus = Vec::new();
        let prenom = match TexteLibre::verifier(
            "Prénom ou pseudonyme",
            &self.prenom,
            LONGUEUR_MAX_PRENOM,
            false,
        ) {
            Ok(p) => Some(p.into_inner()),
            Err(e) => {
                refus.push(champ("prenom", raison_texte(e)));
                None
            }
        };
        let moyen = match self.moyen.as_str() {
            "courriel" => match Email::parse(&self.courriel) {
                Ok(e) => Some(MoyenContact::Courriel(e)),
                Err(e) => {
                    refus.push(champ(
                        "courriel",
                        format!("{e} (format attendu : nom@domaine.fr)"),
                    ));
                    None
                }
            },
            "telephone" => match Telephone::parse(&self.telephone) {
                Ok(t) => Some(MoyenContact::Telephone(t)),
                Err(e) => {
                    refus.push(champ("telephone", e));
                    None
                }
            },
            _ => {
                refus.push(champ(
                    "moyen",
                    "choisissez d’être contacté par courriel ou par téléphone",
                ));
                None
            }
        };
        let creneaux = if self.creneaux.trim().is_empty() {
            None
        } else {
            match TexteLibre::verifier(
                "Moments où vous joindre",
                &self.creneaux,
                LONGUEUR_MAX_CRENEAUX,
                false,
            ) {
                Ok(c) => Some(c.into_inner()),
                Err(e) => {
                    refus.push(champ("creneaux", raison_texte(e)));
                    None
                }
            }
        };
        let message = match TexteLibre::verifier(
            "Message",
            &self.message,
            LONGUEUR_MAX_MESSAGE,
            true,
        ) {
            Ok(m) if m.as_str().chars().count() < LONGUEUR_MIN_MESSAGE => {
                refus.push(champ(
                    "message",
                    format!(
                        "{LONGUEUR_MIN_MESSAGE} caractères au moins, pour que la structure sache ce que vous attendez"
                    ),
                ));
                None
            }
            Ok(m) => Some(m.into_inner()),
            Err(e) => {
                refus.push(champ("message", raison_texte(e)));
                None
            }
        };
        if !self.consentement {
            refus.push(champ(
                "consentement",
                "cochez la case pour accepter la transmission de votre demande à la structure : sans cet accord, elle ne peut pas être envoyée",
            ));
        }
        match (prenom, moyen, message) {
            (Some(prenom), Some(moyen), Some(message)) if refus.is_empty() => Ok(Contenu {
                prenom,
                moyen,
                creneaux,
                message,
                consentement: consentement.to_owned(),
                reponse: None,
            }),
            _ => Err(Refus::Plusieurs {
                action: ACTION_ENVOYER,
                refus,
            }),
        }
    }
}

/// The retention period, in months, written out as the consent text and the pages say it.
pub fn duree_en_toutes_lettres(mois: u32) -> String {
    format!("{mois} mois")
}

/// The consent text next to the box: the purpose (transmitting the request to that structure
/// only, so that it can answer) and the retention period written out.
///
/// Règlement (UE) 2016/679 (RGPD), article 6, paragraphe 1, point a) (consent as the lawful
/// basis), article 7 (conditions for consent) and article 13, paragraphe 2, point a) (the
/// retention period is told when the data are collected).
pub fn texte_consentement(structure: &str, mois: u32) -> String {
    format!(
        "J’accepte que mon prénom ou pseudonyme, mes coordonnées et mon message soient transmis à « {structure} », et à elle seule, dans le seul but qu’elle puisse me répondre. Ma demande et mes coordonnées seront supprimées {} après son envoi.",
        duree_en_toutes_lettres(mois)
    )
}

/// The last day of `annee`/`mois`.
fn dernier_jour(annee: i32, mois: Month) -> u8 {
    mois.length(annee)
}

/// `date` plus `mois` months, on the same day of the month, or on the month's last day when it
/// is shorter (31 January + 1 month = 28 or 29 February).
pub fn ajouter_mois(date: Date, mois: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + mois as i32;
    let annee = total.div_euclid(12);
    let numero = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
    let mois = Month::try_from(numero).unwrap_or(Month::January);
    let jour = date.day().min(dernier_jour(annee, mois));
    Date::from_calendar_date(annee, mois, jour).unwrap_or(date)
}

/// When a request received at `recue_le` is deleted, `mois` months later.
pub fn fin_de_conservation(recue_le: OffsetDateTime, mois: u32) -> OffsetDateTime {
    recue_le.replace_date(ajouter_mois(recue_le.date(), mois))
}

/// What the directory says of the service a request is sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destinataire {
    pub service: ServiceId,
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
    pub dispositif: Dispositif,
}

/// Checks that `acteur` belongs to the structure `gestionnaire`: its staff (gestionnaire) or
/// its professionals (intervenants). Anyone else — a Caf agent, the Cnaf, a funder, another
/// structure — is refused the content of its requests.
pub fn verifier_structure(
    acteur: &Acteur,
    gestionnaire: GestionnaireId,
    action: &'static str,
) -> Result<(), Refus> {
    match acteur.role {
        Role::Gestionnaire | Role::Intervenant => {
            if acteur.gestionnaires.contains(&gestionnaire) {
                Ok(())
            } else {
                Err(Refus::Structure { action })
            }
        }
        role => Err(Refus::Role {
            action,
            reservee_a: "à la structure à laquelle le parent s’est adressé (le contenu des demandes est confidentiel)",
            role,
        }),
    }
}

impl DemandeContact {
    /// A request received at `recue_le`, kept `mois` months.
    pub fn recevoir(
        id: DemandeContactId,
        destinataire: &Destinataire,
        contenu: Contenu,
        recue_le: OffsetDateTime,
        mois: u32,
    ) -> DemandeContact {
        DemandeContact {
            id,
            service: destinataire.service,
            gestionnaire: destinataire.gestionnaire,
            departement: destinataire.departement,
            dispositif: destinataire.dispositif,
            etat: EtatDemande::Recue,
            recue_le,
            lue_le: None,
            repondue_le: None,
            cloturee_le: None,
            a_supprimer_le: fin_de_conservation(recue_le, mois),
            contenu,
        }
    }

    /// Opened by someone of the structure: a request not read yet becomes read (`Some`);
    /// otherwise nothing changes (`None`).
    pub fn lire(&self, acteur: &Acteur, quand: OffsetDateTime) -> Result<Option<Self>, Refus> {
        verifier_structure(acteur, self.gestionnaire, "Lire une demande de contact")?;
        if self.etat != EtatDemande::Recue {
            return Ok(None);
        }
        let mut apres = self.clone();
        apres.etat = EtatDemande::Lue;
        apres.lue_le = Some(quand);
        Ok(Some(apres))
    }

    /// The structure's answer: a text when the parent gave an e-mail address (the caller mails
    /// it), a call when it gave a number. Once only.
    pub fn repondre(
        &self,
        acteur: &Acteur,
        reponse: Reponse,
        quand: OffsetDateTime,
    ) -> Result<Self, Refus> {
        const ACTION: &str = "Répondre à une demande de contact";
        verifier_structure(acteur, self.gestionnaire, ACTION)?;
        if !matches!(self.etat, EtatDemande::Recue | EtatDemande::Lue) {
            return Err(Refus::DejaEnregistre {
                action: ACTION,
                raison: "une réponse est déjà enregistrée pour cette demande".to_owned(),
            });
        }
        let reponse = match (reponse, &self.contenu.moyen) {
            (Reponse::Ecrite { texte }, MoyenContact::Courriel(_)) => {
                let texte = TexteLibre::verifier("Réponse", &texte, LONGUEUR_MAX_REPONSE, true)
                    .map_err(|e| Refus::Champ {
                        action: ACTION,
                        champ: "reponse",
                        raison: raison_texte(e),
                    })?;
                Reponse::Ecrite {
                    texte: texte.into_inner(),
                }
            }
            (Reponse::Appel { note }, MoyenContact::Telephone(_)) => {
                let note = match note.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(n) => Some(
                        TexteLibre::verifier("Note", n, LONGUEUR_MAX_REPONSE, true)
                            .map_err(|e| Refus::Champ {
                                action: ACTION,
                                champ: "note",
                                raison: raison_texte(e),
                            })?
                            .into_inner(),
                    ),
                };
                Reponse::Appel { note }
            }
            (Reponse::Ecrite { .. }, MoyenContact::Telephone(_)) => {
                return Err(Refus::Condition {
                    action: ACTION,
                    raison: "le parent a laissé un numéro de téléphone : appelez-le, puis indiquez que vous l’avez appelé".to_owned(),
                });
            }
            (Reponse::Appel { .. }, MoyenContact::Courriel(_)) => {
                return Err(Refus::Condition {
                    action: ACTION,
                    raison: "le parent a laissé une adresse électronique : répondez-lui par écrit"
                        .to_owned(),
                });
            }
        };
        let mut apres = self.clone();
        apres.etat = EtatDemande::Repondue;
        apres.lue_le = apres.lue_le.or(Some(quand));
        apres.repondue_le = Some(quand);
        apres.contenu.reponse = Some(reponse);
        Ok(apres)
    }

    /// Closed by the structure once read or answered: nothing more to do.
    pub fn cloturer(&self, acteur: &Acteur, quand: OffsetDateTime) -> Result<Self, Refus> {
        const ACTION: &str = "Clôturer une demande de contact";
        verifier_structure(acteur, self.gestionnaire, ACTION)?;
        if !matches!(self.etat, EtatDemande::Lue | EtatDemande::Repondue) {
            return Err(Refus::Etat {
                action: ACTION,
                objet: "la demande",
                etat: self.etat.libelle(),
                requis: "lue ou répondue".to_owned(),
            });
        }
        let mut apres = self.clone();
        apres.etat = EtatDemande::Cloturee;
        apres.cloturee_le = Some(quand);
        Ok(apres)
    }
}

/// The audit sentences: what happened, never who wrote or what was written.
pub mod journal {
    /// The audited entity's code.
    pub const ENTITE: &str = "demande_contact";
    pub const RECUE: (&str, &str) = ("recevoir", "demande de contact reçue");
    pub const LUE: (&str, &str) = ("lire", "demande de contact lue par la structure");
    pub const REPONDUE: (&str, &str) = ("repondre", "réponse de la structure enregistrée");
    pub const CLOTUREE: (&str, &str) = ("cloturer", "demande de contact clôturée");
    pub const SUPPRIMEE: (&str, &str) = (
        "supprimer",
        "supprimée après la durée de conservation (contenu et coordonnées effacés)",
    );
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use time::macros::{date, datetime};

    use super::*;
    use crate::identifiants::UtilisateurId;

    fn saisie() -> Saisie {
        Saisie {
            prenom: "Camille".into(),
            moyen: "courriel".into(),
            courriel: "camille@exemple.fr".into(),
            telephone: String::new(),
            creneaux: String::new(),
            message: "Bonjour, je voudrais un rendez-vous.".into(),
            consentement: true,
        }
    }

    fn demande() -> DemandeContact {
        DemandeContact::recevoir(
            DemandeContactId(1),
            &Destinataire {
                service: ServiceId(4),
                gestionnaire: GestionnaireId(7),
                departement: CodeDepartement::parse("38").unwrap(),
                dispositif: Dispositif::Laep,
            },
            saisie().verifier("texte").unwrap(),
            datetime!(2026-11-30 10:00 UTC),
            3,
        )
    }

    #[test]
    fn chaque_champ_fautif_est_signale_en_une_fois() {
        let s = Saisie {
            prenom: " ".into(),
            moyen: "telephone".into(),
            telephone: "12".into(),
            message: "court".into(),
            consentement: false,
            ..Saisie::default()
        };
        let Err(Refus::Plusieurs { refus, .. }) = s.verifier("texte") else {
            panic!("refus attendu");
        };
        let champs: Vec<_> = refus.iter().filter_map(Refus::champ).collect();
        assert_eq!(champs, ["prenom", "telephone", "message", "consentement"]);
        let mut s = saisie();
        s.moyen = String::new();
        let Err(Refus::Plusieurs { refus, .. }) = s.verifier("texte") else {
            panic!("refus attendu");
        };
        assert_eq!(refus[0].champ(), Some("moyen"));
    }

    #[test]
    fn les_numeros_de_telephone_sont_lus_et_ranges() {
        assert_eq!(
            Telephone::parse("06.12.34.56.78").unwrap().as_str(),
            "0612345678"
        );
        assert_eq!(
            Telephone::parse("+33 6 12 34 56 78").unwrap().to_string(),
            "06 12 34 56 78"
        );
        assert_eq!(
            Telephone::parse("+32 2 555 12 34").unwrap().as_str(),
            "+3225551234"
        );
        for faux in ["", "0612", "06 12 34 56 7a", "0012345678", "+1"] {
            assert!(Telephone::parse(faux).is_err(), "{faux}");
        }
    }

    #[test]
    fn le_consentement_dit_le_but_et_la_duree() {
        let t = texte_consentement("Maison des familles", 3);
        assert!(
            t.contains("« Maison des familles », et à elle seule"),
            "{t}"
        );
        assert!(t.contains("qu’elle puisse me répondre"), "{t}");
        assert!(t.contains("supprimées 3 mois après son envoi"), "{t}");
    }

    #[test]
    fn la_conservation_se_compte_en_mois_du_calendrier() {
        assert_eq!(
            ajouter_mois(date!(2026 - 11 - 30), 3),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            ajouter_mois(date!(2027 - 11 - 30), 3),
            date!(2028 - 02 - 29)
        );
        assert_eq!(
            ajouter_mois(date!(2026 - 01 - 15), 12),
            date!(2027 - 01 - 15)
        );
        assert_eq!(demande().a_supprimer_le, datetime!(2027-02-28 10:00 UTC));
    }

    #[test]
    fn seule_la_structure_lit_et_repond() {
        let d = demande();
        let quand = datetime!(2026-12-01 09:00 UTC);
        let caf = Acteur::caf(UtilisateurId(2), [CodeDepartement::parse("38").unwrap()]);
        assert!(matches!(d.lire(&caf, quand), Err(Refus::Role { .. })));
        let autre = Acteur::gestionnaire(UtilisateurId(3), [GestionnaireId(8)]);
        assert!(matches!(
            d.lire(&autre, quand),
            Err(Refus::Structure { .. })
        ));
        let structure = Acteur::gestionnaire(UtilisateurId(4), [GestionnaireId(7)]);
        let lue = d.lire(&structure, quand).unwrap().unwrap();
        assert_eq!(lue.etat, EtatDemande::Lue);
        assert_eq!(lue.lire(&structure, quand).unwrap(), None);
        let appel = lue.repondre(&structure, Reponse::Appel { note: None }, quand);
        assert!(matches!(appel, Err(Refus::Condition { .. })));
        let repondue = lue
            .repondre(
                &structure,
                Reponse::Ecrite {
                    texte: "Bonjour, venez jeudi.".into(),
                },
                quand,
            )
            .unwrap();
        assert_eq!(repondue.etat, EtatDemande::Repondue);
        assert!(
            repondue
                .repondre(
                    &structure,
                    Reponse::Ecrite {
                        texte: "Encore".into()
                    },
                    quand
                )
                .is_err()
        );
        let close = repondue.cloturer(&structure, quand).unwrap();
        assert_eq!(close.etat, EtatDemande::Cloturee);
    }
}
