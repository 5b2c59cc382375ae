//! How each record of the domain is kept: its table, and the real columns beside its JSON form.

use domain::acces::Utilisateur;
use domain::appel_a_projets::AppelAProjets;
use domain::convention::Convention;
use domain::decision::Decision;
use domain::declaration::{Bilan, Declaration};
use domain::dossier::Dossier;
use domain::paiement::Paiement;
use domain::pieces::Piece;
use domain::structures::{Financeur, Gestionnaire, Intervenant, Lieu};

use crate::connexion::Valeur;
use crate::depot::Enregistrement;

fn dep(c: &domain::identifiants::CodeDepartement) -> Valeur {
    Valeur::Texte(c.as_str().to_owned())
}

impl Enregistrement for Utilisateur {
    const TABLE: &'static str = "utilisateurs";
    const NOM: &'static str = "l'utilisateur";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("email", self.email.as_str().into()),
            ("role", self.role.code().into()),
            ("actif", self.actif.into()),
        ]
    }
    fn doublon(&self) -> Option<(&'static str, String)> {
        Some((
            "email",
            format!(
                "l'adresse électronique « {} » est déjà celle d'un compte",
                self.email.as_str()
            ),
        ))
    }
}

impl Enregistrement for Financeur {
    const TABLE: &'static str = "financeurs";
    const NOM: &'static str = "le financeur";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("departement", dep(&self.departement)),
            ("nom", self.nom.clone().into()),
        ]
    }
}

impl Enregistrement for Gestionnaire {
    const TABLE: &'static str = "gestionnaires";
    const NOM: &'static str = "le gestionnaire";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("siret", self.siret.as_str().into()),
            ("nom", self.raison_sociale.clone().into()),
            ("departement", dep(&self.departement_siege)),
        ]
    }
    fn doublon(&self) -> Option<(&'static str, String)> {
        Some((
            "siret",
            format!(
                "le SIRET {} est déjà celui d'une structure enregistrée",
                self.siret.as_str()
            ),
        ))
    }
}

impl Enregistrement for Lieu {
    const TABLE: &'static str = "lieux";
    const NOM: &'static str = "le lieu";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("gestionnaire_id", self.gestionnaire.0.into()),
            ("commune", self.adresse.commune.to_string().into()),
        ]
    }
}

impl Enregistrement for Intervenant {
    const TABLE: &'static str = "intervenants";
    const NOM: &'static str = "l'intervenant";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![("gestionnaire_id", self.gestionnaire.0.into())]
    }
}

impl Enregistrement for AppelAProjets {
    const TABLE: &'static str = "appels";
    const NOM: &'static str = "l'appel à projets";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("departement", dep(&self.departement)),
            ("dispositif", self.dispositif.code().into()),
            ("ouverture", self.ouverture.into()),
            ("cloture", self.cloture.into()),
        ]
    }
}

impl Enregistrement for Dossier {
    const TABLE: &'static str = "dossiers";
    const NOM: &'static str = "le dossier";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("appel_id", self.appel.0.into()),
            ("gestionnaire_id", self.gestionnaire.0.into()),
            ("departement", dep(&self.departement)),
            ("etat", self.etat.code().into()),
        ]
    }
}

impl Enregistrement for Decision {
    const TABLE: &'static str = "decisions";
    const NOM: &'static str = "la décision";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("dossier_id", self.dossier.0.into()),
            ("departement", dep(&self.departement)),
            ("issue", self.issue.code().into()),
            (
                "etp_notifies",
                self.notification
                    .map(|n| i64::from(n.etp.dix_milliemes()))
                    .into(),
            ),
            ("date_effet", self.notification.map(|n| n.date_effet).into()),
            (
                "engagement_centimes",
                self.engagement_caf().centimes().into(),
            ),
        ]
    }
}

impl Enregistrement for Convention {
    const TABLE: &'static str = "conventions";
    const NOM: &'static str = "la convention";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("dossier_id", self.dossier.0.into()),
            ("numero", self.numero.clone().into()),
            ("gestionnaire_id", self.gestionnaire.0.into()),
            ("departement", dep(&self.departement)),
            ("etat", self.etat.code().into()),
            ("date_debut", self.debut.into()),
            ("date_fin", self.fin.into()),
            ("signee_le", self.date_signature.into()),
        ]
    }
}

impl Enregistrement for Declaration {
    const TABLE: &'static str = "declarations";
    const NOM: &'static str = "la déclaration";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("convention_id", self.convention.0.into()),
            ("gestionnaire_id", self.gestionnaire.0.into()),
            ("departement", dep(&self.departement)),
            ("exercice", self.exercice.into()),
            ("nature", self.nature.code().into()),
            ("etat", self.etat().code().into()),
            // The frozen right, also in columns for reports and integrity checks.
            (
                "droit_centimes",
                self.droit.as_ref().map(|d| d.montant.centimes()).into(),
            ),
            (
                "suite_centimes",
                self.droit
                    .as_ref()
                    .map(|d| d.suite_montant.centimes())
                    .into(),
            ),
            (
                "calcul",
                self.droit.as_ref().map(|d| d.trace.to_string()).into(),
            ),
        ]
    }
    fn doublon(&self) -> Option<(&'static str, String)> {
        Some((
            "exercice",
            format!(
                "une {} existe déjà pour {}",
                self.nature.libelle(),
                self.exercice
            ),
        ))
    }
}

impl Enregistrement for Bilan {
    const TABLE: &'static str = "bilans";
    const NOM: &'static str = "le bilan";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("convention_id", self.convention.0.into()),
            ("gestionnaire_id", self.gestionnaire.0.into()),
            ("departement", dep(&self.departement)),
            ("exercice", self.exercice.into()),
            ("etat", self.etat().code().into()),
        ]
    }
    fn doublon(&self) -> Option<(&'static str, String)> {
        Some((
            "exercice",
            format!("un bilan existe déjà pour {}", self.exercice),
        ))
    }
}

impl Enregistrement for Paiement {
    const TABLE: &'static str = "paiements";
    const NOM: &'static str = "le paiement";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("convention_id", self.convention.0.into()),
            ("gestionnaire_id", self.gestionnaire.0.into()),
            ("departement", dep(&self.departement)),
            ("exercice", self.exercice.into()),
            ("echeance", self.nature.echeance().code().into()),
            ("nature", self.nature.code().into()),
            ("montant_centimes", self.montant.centimes().into()),
            ("date_paiement", self.date.into()),
            ("reference", self.reference.clone().into()),
        ]
    }
}

impl Enregistrement for Piece {
    const TABLE: &'static str = "pieces";
    const NOM: &'static str = "la pièce justificative";
    fn id(&self) -> i64 {
        self.id.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        vec![
            ("objet", self.objet.code().into()),
            ("objet_id", self.objet.id().into()),
            ("type_piece", self.type_piece.code().into()),
            ("gestionnaire_id", self.gestionnaire.0.into()),
            ("departement", dep(&self.departement)),
            (
                "derniere_version",
                i64::from(self.derniere().map_or(0, |v| v.numero)).into(),
            ),
        ]
    }
    fn doublon(&self) -> Option<(&'static str, String)> {
        Some((
            "type_piece",
            format!(
                "une pièce « {} » est déjà jointe à {} : déposez-en une nouvelle version",
                self.type_piece.libelle(),
                self.objet.designation()
            ),
        ))
    }
}
