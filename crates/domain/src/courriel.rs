//! The e-mails the platform sends: their kinds (and which of them each user may adjust), how often
//! a user wants each adjustable kind, and a mail as an event hands it to the outbox (recipient,
//! subject, plain text, attachments, and the idempotence key that makes one event one mail).
//! Pure: the outbox, its sender and the recipients' preferences live in `store`, `app` and
//! `courrier`.

use serde::{Deserialize, Serialize};

use crate::Refus;
use crate::identifiants::{CodeDepartement, Email, UtilisateurId};

/// The kind of a mail: what happened, which decides whether the recipient may choose how often
/// it receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenreCourriel {
    /// A convocation to a séance (a formal notice).
    Convocation,
    /// The minutes of a séance sent for comments (a formal notice).
    CompteRendu,
    /// A reminder of a formal notice.
    Rappel,
    /// A request for information on a dossier.
    DemandeInformation,
    /// A decision of the comité on a dossier.
    Decision,
    /// A convention waiting for a signature.
    ConventionASigner,
    /// A payment issued.
    PaiementEmis,
    /// A declaration or bilan that falls due.
    DeclarationAttendue,
    /// A declaration or bilan overdue.
    Retard,
    /// A parent's contact request arrived for one of the structure's services (the mail only
    /// says so and links to it: the request stays in the application).
    DemandeContact,
    /// To a parent without an account: its contact request was sent, or the structure's answer.
    MessageAuParent,
}

impl GenreCourriel {
    /// Every kind, in the order the preferences page lists them.
    pub const TOUS: [GenreCourriel; 11] = [
        GenreCourriel::Convocation,
        GenreCourriel::CompteRendu,
        GenreCourriel::Rappel,
        GenreCourriel::DemandeInformation,
        GenreCourriel::Decision,
        GenreCourriel::ConventionASigner,
        GenreCourriel::PaiementEmis,
        GenreCourriel::DeclarationAttendue,
        GenreCourriel::Retard,
        GenreCourriel::DemandeContact,
        GenreCourriel::MessageAuParent,
    ];

    /// The stable code, as stored and in forms.
    pub fn code(self) -> &'static str {
        match self {
            GenreCourriel::Convocation => "convocation",
            GenreCourriel::CompteRendu => "compte_rendu",
            GenreCourriel::Rappel => "rappel",
            GenreCourriel::DemandeInformation => "demande_information",
            GenreCourriel::Decision => "decision",
            GenreCourriel::ConventionASigner => "convention_a_signer",
            GenreCourriel::PaiementEmis => "paiement_emis",
            GenreCourriel::DeclarationAttendue => "declaration_attendue",
            GenreCourriel::Retard => "retard",
            GenreCourriel::DemandeContact => "demande_contact",
            GenreCourriel::MessageAuParent => "message_au_parent",
        }
    }

    /// The kind of `code`, if it is one.
    pub fn depuis_code(code: &str) -> Option<GenreCourriel> {
        GenreCourriel::TOUS.into_iter().find(|g| g.code() == code)
    }

    /// The French name shown to users.
    pub fn libelle(self) -> &'static str {
        match self {
            GenreCourriel::Convocation => "Convocation à une séance",
            GenreCourriel::CompteRendu => "Compte rendu soumis à observations",
            GenreCourriel::Rappel => "Rappel d’une convocation ou d’un compte rendu",
            GenreCourriel::DemandeInformation => "Demande d’information sur un dossier",
            GenreCourriel::Decision => "Décision du comité",
            GenreCourriel::ConventionASigner => "Convention à signer",
            GenreCourriel::PaiementEmis => "Paiement émis",
            GenreCourriel::DeclarationAttendue => "Déclaration ou bilan attendu",
            GenreCourriel::Retard => "Déclaration ou bilan en retard",
            GenreCourriel::DemandeContact => "Demande de contact d’un parent",
            GenreCourriel::MessageAuParent => "Message à un parent (accusé de réception, réponse)",
        }
    }

    /// Whether the recipient may choose how often it receives this kind: formal notices
    /// (convocations, minutes sent for comments, their reminders) always leave at once.
    pub fn reglable(self) -> bool {
        !matches!(
            self,
            GenreCourriel::Convocation
                | GenreCourriel::CompteRendu
                | GenreCourriel::Rappel
                | GenreCourriel::MessageAuParent
        )
    }

    /// Whether mails of this kind go to accounts of the platform (a parent writing through the
    /// public directory has none).
    pub fn pour_un_compte(self) -> bool {
        self != GenreCourriel::MessageAuParent
    }
}

/// How often a user receives the mails of one adjustable kind.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Frequence {
    /// Each mail as soon as its event happens.
    #[default]
    Immediate,
    /// The day's mails gathered into one, sent the next morning.
    ResumeQuotidien,
    /// None (still listed on the « Courriels envoyés » page, marked not sent).
    Aucune,
}

impl Frequence {
    pub const TOUTES: [Frequence; 3] = [
        Frequence::Immediate,
        Frequence::ResumeQuotidien,
        Frequence::Aucune,
    ];

    /// The stable code, as stored and in forms.
    pub fn code(self) -> &'static str {
        match self {
            Frequence::Immediate => "immediate",
            Frequence::ResumeQuotidien => "resume_quotidien",
            Frequence::Aucune => "aucune",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Frequence> {
        Frequence::TOUTES.into_iter().find(|f| f.code() == code)
    }

    /// The French name shown to users.
    pub fn libelle(self) -> &'static str {
        match self {
            Frequence::Immediate => "Immédiatement",
            Frequence::ResumeQuotidien => "Un résumé par jour",
            Frequence::Aucune => "Aucun",
        }
    }
}

/// The content type of a calendar invitation attached to a convocation.
pub const TYPE_ICS_INVITATION: &str = "text/calendar; method=REQUEST; charset=UTF-8";
/// The content type of a calendar cancellation.
pub const TYPE_ICS_ANNULATION: &str = "text/calendar; method=CANCEL; charset=UTF-8";

/// A file joined to a mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PieceJointe {
    /// The file name the recipient sees.
    pub nom: String,
    /// The full content type, parameters included (`text/calendar; method=REQUEST; charset=UTF-8`).
    pub type_mime: String,
    pub contenu: Vec<u8>,
}

/// A mail as an event hands it to the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Courriel {
    /// The idempotence key, unique in the outbox: the same event queued twice is one mail
    /// (« convention:12:a_signer:7 »).
    pub cle: String,
    pub genre: GenreCourriel,
    /// The recipient's e-mail address.
    pub destinataire: String,
    /// The recipient's account, when it has one (for its preferences and its page of mails).
    pub utilisateur: Option<UtilisateurId>,
    /// The département the mail concerns, for the Caf agents who see it.
    pub departement: Option<CodeDepartement>,
    pub sujet: String,
    /// The plain-text body.
    pub texte: String,
    pub pieces_jointes: Vec<PieceJointe>,
}

/// The longest idempotence key accepted.
pub const LONGUEUR_MAX_CLE: usize = 200;
/// The longest subject accepted.
pub const LONGUEUR_MAX_SUJET: usize = 250;

impl Courriel {
    /// Checks what a mail server or a reader would refuse: an empty or over-long key, an invalid
    /// recipient address, an empty subject or one spanning several lines, an attachment without
    /// a name or a content type.
    pub fn verifier(&self) -> Result<(), Refus> {
        let refus = |raison: String| Refus::Invalide {
            action: "Envoyer un courriel",
            raison,
        };
        if self.cle.trim().is_empty() || self.cle.chars().count() > LONGUEUR_MAX_CLE {
            return Err(refus(format!(
                "la clé d’un courriel doit compter de 1 à {LONGUEUR_MAX_CLE} caractères"
            )));
        }
        Email::parse(&self.destinataire)
            .map_err(|e| refus(format!("destinataire « {} » : {e}", self.destinataire)))?;
        let sujet = self.sujet.trim();
        if sujet.is_empty() || sujet.chars().count() > LONGUEUR_MAX_SUJET {
            return Err(refus(format!(
                "l’objet d’un courriel doit compter de 1 à {LONGUEUR_MAX_SUJET} caractères"
            )));
        }
        if self.sujet.contains(['\r', '\n']) {
            return Err(refus("l’objet d’un courriel tient sur une ligne".into()));
        }
        for piece in &self.pieces_jointes {
            if piece.nom.trim().is_empty() || piece.nom.contains(['\r', '\n', '/', '\\']) {
                return Err(refus(format!(
                    "nom de pièce jointe invalide : « {} »",
                    piece.nom
                )));
            }
            if !piece.type_mime.contains('/') || piece.type_mime.contains(['\r', '\n']) {
                return Err(refus(format!(
                    "type de la pièce jointe « {} » invalide : « {} »",
                    piece.nom, piece.type_mime
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn courriel() -> Courriel {
        Courriel {
            cle: "essai:1".into(),
            genre: GenreCourriel::Decision,
            destinataire: "porteur@exemple.fr".into(),
            utilisateur: Some(UtilisateurId(3)),
            departement: Some(CodeDepartement::parse("69").unwrap()),
            sujet: "Décision du comité".into(),
            texte: "Bonjour".into(),
            pieces_jointes: Vec::new(),
        }
    }

    #[test]
    fn les_codes_se_relisent() {
        for g in GenreCourriel::TOUS {
            assert_eq!(GenreCourriel::depuis_code(g.code()), Some(g));
        }
        for f in Frequence::TOUTES {
            assert_eq!(Frequence::depuis_code(f.code()), Some(f));
        }
        assert_eq!(GenreCourriel::depuis_code("inconnu"), None);
    }

    #[test]
    fn les_avis_formels_ne_sont_pas_reglables() {
        let reglables: Vec<_> = GenreCourriel::TOUS
            .into_iter()
            .filter(|g| !g.reglable() && g.pour_un_compte())
            .collect();
        assert_eq!(
            reglables,
            [
                GenreCourriel::Convocation,
                GenreCourriel::CompteRendu,
                GenreCourriel::Rappel
            ]
        );
    }

    #[test]
    fn une_adresse_invalide_est_refusee_clairement() {
        assert!(courriel().verifier().is_ok());
        let mut c = courriel();
        c.destinataire = "porteur.exemple.fr".into();
        let e = c.verifier().unwrap_err().to_string();
        assert!(e.contains("destinataire « porteur.exemple.fr »"), "{e}");
        let mut c = courriel();
        c.sujet = "deux\nlignes".into();
        assert!(c.verifier().is_err());
        let mut c = courriel();
        c.cle = String::new();
        assert!(c.verifier().is_err());
    }
}
