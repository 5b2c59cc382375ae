//! The retention of personal data by policy, and the record of processing activities built on
//! it. Each category of personal data the platform erases by itself has its retention period in
//! a dated parameter (`parameters/conservation/`, and `parameters/annuaire/` for the parents'
//! contact requests); [`limite`] turns a period into the instant before which data is erased;
//! [`TRAITEMENTS`] describes each processing activity for the public register, its retention
//! read from those parameters.
//!
//! Source: Règlement (UE) 2016/679 (RGPD), article 5, paragraphe 1, point e) (« limitation de la
//! conservation ») for the periods; article 30 for the register. The periods themselves are
//! interpretations, written in docs/conservation.md.

use time::{Date, Month, OffsetDateTime};

/// A category of personal data erased when its retention period ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Categorie {
    /// The parents' contact requests: message and contact details (the content-free trace stays).
    DemandesContact,
    /// The free text of an individual session: the reason written for a session beyond the
    /// yearly guideline.
    TextesLibresEntretiens,
    /// Login failures: the e-mail tried and the client's address.
    EchecsConnexion,
    /// The text and attachments of the outbox's mails once settled.
    CorpsCourriels,
}

impl Categorie {
    pub const TOUTES: [Categorie; 4] = [
        Categorie::DemandesContact,
        Categorie::TextesLibresEntretiens,
        Categorie::EchecsConnexion,
        Categorie::CorpsCourriels,
    ];

    /// The stable code, in audit lines and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Categorie::DemandesContact => "demandes_contact",
            Categorie::TextesLibresEntretiens => "textes_libres_entretiens",
            Categorie::EchecsConnexion => "echecs_connexion",
            Categorie::CorpsCourriels => "corps_courriels",
        }
    }

    /// The dated parameter holding its retention period, in months.
    pub fn parametre(self) -> &'static str {
        match self {
            Categorie::DemandesContact => "annuaire.conservation_demandes_contact_mois",
            Categorie::TextesLibresEntretiens => "conservation.motifs_exception_entretiens_mois",
            Categorie::EchecsConnexion => "conservation.echecs_connexion_mois",
            Categorie::CorpsCourriels => "conservation.corps_courriels_mois",
        }
    }

    /// Its name, in French.
    pub fn libelle(self) -> &'static str {
        match self {
            Categorie::DemandesContact => "Demandes de contact des parents",
            Categorie::TextesLibresEntretiens => "Texte libre des entretiens individuels",
            Categorie::EchecsConnexion => "Échecs de connexion",
            Categorie::CorpsCourriels => "Texte des courriels envoyés",
        }
    }

    /// What is erased, and from when the period runs, in French.
    pub fn effacement(self) -> &'static str {
        match self {
            Categorie::DemandesContact => {
                "message et coordonnées effacés, comptés depuis l'envoi de la demande ; une trace \
                 sans contenu reste pour les statistiques"
            }
            Categorie::TextesLibresEntretiens => {
                "motif écrit remplacé par une mention sans contenu, compté depuis la date de \
                 l'entretien ; l'entretien et ses comptes restent"
            }
            Categorie::EchecsConnexion => {
                "adresse électronique essayée et adresse du client effacées, comptées depuis \
                 l'échec"
            }
            Categorie::CorpsCourriels => {
                "texte et pièces jointes effacés, comptés depuis la mise en file du courriel une \
                 fois son sort réglé ; destinataire, objet et dates restent"
            }
        }
    }

    /// The entity number of its audit lines (one per category).
    pub fn numero(self) -> i64 {
        match self {
            Categorie::DemandesContact => 1,
            Categorie::TextesLibresEntretiens => 2,
            Categorie::EchecsConnexion => 3,
            Categorie::CorpsCourriels => 4,
        }
    }
}

/// The entity of the audit lines of the retention job.
pub const ENTITE_AUDIT: &str = "conservation";
/// The action of those lines.
pub const ACTION_AUDIT: &str = "conservation_appliquee";

/// What replaces an erased free text (the field stays filled: a session beyond the guideline
/// keeps having a reason, now without content).
pub const TEXTE_EFFACE: &str = "[effacé au terme de sa durée de conservation]";

/// `date` moved back `mois` months, on the same day or the month's last one.
pub fn retrancher_mois(date: Date, mois: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 - mois as i32;
    let annee = total.div_euclid(12);
    let numero = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
    let mois = Month::try_from(numero).unwrap_or(Month::January);
    let jour = date.day().min(mois.length(annee));
    Date::from_calendar_date(annee, mois, jour).unwrap_or(date)
}

/// The instant before which data kept `mois` months is erased at `maintenant`.
///
/// Source: Règlement (UE) 2016/679 (RGPD), article 5, paragraphe 1, point e): personal data kept
/// no longer than necessary for the purposes for which they are processed.
pub fn limite(maintenant: OffsetDateTime, mois: u32) -> OffsetDateTime {
    maintenant.replace_date(retrancher_mois(maintenant.date(), mois))
}

/// What one run did for one category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub categorie: Categorie,
    /// The period applied, in months.
    pub mois: u32,
    /// Data older than this was erased.
    pub limite: OffsetDateTime,
    /// How many items were erased.
    pub effaces: u64,
}

impl Passage {
    /// The audit line's text: the category, the period, the limit and the count, no content.
    pub fn description(&self) -> String {
        format!(
            "conservation appliquée : {} — durée {} mois, données antérieures au {} : {} effacement(s)",
            self.categorie.libelle(),
            self.mois,
            self.limite.date(),
            self.effaces
        )
    }
}

/// How long a processing activity keeps its data: a retention parameter, or a rule stated in
/// words when no automatic erasure applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conservation {
    Parametre(Categorie),
    Regle(&'static str),
}

/// One processing activity of the register (RGPD article 30, paragraph 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traitement {
    pub nom: &'static str,
    pub finalite: &'static str,
    pub base_legale: &'static str,
    pub personnes: &'static str,
    pub donnees: &'static str,
    pub destinataires: &'static str,
    pub conservation: &'static [Conservation],
}

/// The controller of the processing activities, as the register names it.
pub const RESPONSABLE: &str = "La Caisse nationale des allocations familiales (Cnaf) et, pour \
     les dossiers de leur département, les caisses d'allocations familiales (Caf)";

/// The security measures common to every activity (article 30, paragraph 1, point g), and
/// article 32).
pub const MESURES_DE_SECURITE: &[&str] = &[
    "Accès réservé aux comptes nominatifs, selon le rôle et le territoire de chacun",
    "Mots de passe hachés (Argon2) ; connexions freinées puis bloquées après des échecs répétés",
    "Chaque écriture tracée dans un journal d'audit chaîné par empreintes, vérifiable par \
     « parentalite check »",
    "Communications chiffrées (HTTPS) ; cookies de session protégés",
    "Sauvegardes vérifiées avant toute restauration",
    "Effacement quotidien des données dont la durée de conservation est échue",
];

/// The processing activities of the platform.
pub const TRAITEMENTS: &[Traitement] = &[
    Traitement {
        nom: "Instruction, conventionnement et paiement des financements",
        finalite: "Instruire les demandes de financement des structures, décider, conventionner, \
                   suivre les déclarations et payer les subventions des dispositifs de soutien à \
                   la parentalité",
        base_legale: "Mission d'intérêt public de l'action sociale des Caf (RGPD, article 6, \
                      paragraphe 1, point e))",
        personnes: "Agents des Caf et de la Cnaf ; représentants et personnels des structures \
                    gestionnaires ; intervenants",
        donnees: "Identité et coordonnées professionnelles ; coordonnées bancaires des \
                  structures ; pièces justificatives",
        destinataires: "Agents habilités des Caf et de la Cnaf ; financeurs partenaires pour \
                        leurs dossiers",
        conservation: &[Conservation::Regle(
            "Le temps du dispositif, de son bilan et de son contrôle ; pas d'effacement \
             automatique (pièces comptables)",
        )],
    },
    Traitement {
        nom: "Suivi de l'activité des entretiens individuels",
        finalite: "Compter les entretiens d'accompagnement des familles pour le bilan et \
                   l'évaluation de l'expérimentation",
        base_legale: "Mission d'intérêt public de l'action sociale des Caf (RGPD, article 6, \
                      paragraphe 1, point e))",
        personnes: "Parents accompagnés (sous un identifiant propre à la structure) ; \
                    intervenants",
        donnees: "Identifiant de famille, date, durée, étape, mode, sujets et orientations de \
                  l'entretien ; motif écrit d'un entretien au-delà du repère annuel",
        destinataires: "La structure ; agents habilités de la Caf et de la Cnaf (comptes \
                        agrégés)",
        conservation: &[
            Conservation::Parametre(Categorie::TextesLibresEntretiens),
            Conservation::Regle(
                "Les entretiens eux-mêmes (sans texte libre) : le temps de l'expérimentation et \
                 de son évaluation",
            ),
        ],
    },
    Traitement {
        nom: "Demandes de contact des parents",
        finalite: "Transmettre à une structure de l'annuaire la demande d'un parent qui souhaite \
                   être recontacté",
        base_legale: "Consentement du parent (RGPD, article 6, paragraphe 1, point a))",
        personnes: "Parents qui écrivent à une structure",
        donnees: "Nom ou prénom, coordonnées, message ; adresse du client pour limiter les abus \
                  (24 heures)",
        destinataires: "La structure destinataire ; la Caf et la Cnaf pour des comptes sans \
                        contenu",
        conservation: &[Conservation::Parametre(Categorie::DemandesContact)],
    },
    Traitement {
        nom: "Comptes et sécurité des accès",
        finalite: "Authentifier les utilisateurs et protéger les comptes contre les tentatives \
                   répétées",
        base_legale: "Mission d'intérêt public (RGPD, article 6, paragraphe 1, point e)) et \
                      sécurité du traitement (article 32)",
        personnes: "Utilisateurs de la plateforme ; toute personne qui tente de se connecter",
        donnees: "Adresse électronique, nom, rôle, mot de passe haché ; échecs de connexion \
                  (adresse essayée, adresse du client, heure)",
        destinataires: "Administrateurs de la plateforme",
        conservation: &[
            Conservation::Parametre(Categorie::EchecsConnexion),
            Conservation::Regle("Les comptes : tant qu'ils sont actifs"),
        ],
    },
    Traitement {
        nom: "Courriels de la plateforme",
        finalite: "Informer les utilisateurs des événements de leurs dossiers et des séances",
        base_legale: "Mission d'intérêt public de l'action sociale des Caf (RGPD, article 6, \
                      paragraphe 1, point e))",
        personnes: "Utilisateurs destinataires",
        donnees: "Adresse du destinataire, objet, texte et pièces jointes du courriel",
        destinataires: "Le destinataire ; le prestataire d'envoi (serveur SMTP)",
        conservation: &[Conservation::Parametre(Categorie::CorpsCourriels)],
    },
    Traitement {
        nom: "Journal d'audit",
        finalite: "Tracer qui a fait quoi et quand sur les dossiers, pour la preuve et le \
                   contrôle",
        base_legale: "Mission d'intérêt public (RGPD, article 6, paragraphe 1, point e)) et \
                      sécurité du traitement (article 32)",
        personnes: "Utilisateurs qui agissent sur la plateforme",
        donnees: "Numéro et rôle de l'auteur, action, heure, état des enregistrements (jamais le \
                  texte d'une demande de contact ni d'un courriel)",
        destinataires: "Agents habilités des Caf et de la Cnaf ; administrateurs",
        conservation: &[Conservation::Regle(
            "Avec les dossiers qu'il trace : ses événements sont chaînés et ne sont pas effacés",
        )],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn retrancher_des_mois_garde_le_jour_ou_prend_le_dernier_du_mois() {
        assert_eq!(
            retrancher_mois(date!(2025 - 03 - 31), 1),
            date!(2025 - 02 - 28)
        );
        assert_eq!(
            retrancher_mois(date!(2024 - 03 - 31), 1),
            date!(2024 - 02 - 29)
        );
        assert_eq!(
            retrancher_mois(date!(2025 - 01 - 15), 3),
            date!(2024 - 10 - 15)
        );
        assert_eq!(
            retrancher_mois(date!(2025 - 06 - 10), 24),
            date!(2023 - 06 - 10)
        );
        assert_eq!(
            limite(datetime!(2025-06-10 03:00 UTC), 6),
            datetime!(2024-12-10 03:00 UTC)
        );
    }

    #[test]
    fn chaque_categorie_a_son_parametre_et_figure_au_registre() {
        for c in Categorie::TOUTES {
            assert!(c.parametre().ends_with("_mois"));
            assert!(
                TRAITEMENTS
                    .iter()
                    .any(|t| t.conservation.contains(&Conservation::Parametre(c))),
                "{c:?} absente du registre"
            );
        }
    }

    #[test]
    fn la_ligne_d_audit_ne_dit_que_des_comptes() {
        let p = Passage {
            categorie: Categorie::EchecsConnexion,
            mois: 6,
            limite: datetime!(2024-12-10 03:00 UTC),
            effaces: 12,
        };
        assert_eq!(
            p.description(),
            "conservation appliquée : Échecs de connexion — durée 6 mois, données antérieures \
             au 2024-12-10 : 12 effacement(s)"
        );
    }
}
