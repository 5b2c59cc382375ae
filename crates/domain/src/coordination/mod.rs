//! Departmental coordination of the parenting-support schemes (Lettre circulaire Cnaf 2012-093
//! §3-4; since 2022 the comité départemental des services aux familles, CASF art. L.214-5 and
//! D.214-1): the instance and its members, its séances with their convocations and answers, the
//! attendance sheet and quorum, the minutes and the actions followed from séance to séance.

pub mod compte_rendu;
pub mod instance;
pub mod membre;
pub mod plans;
pub mod quorum;
pub mod rapport;
pub mod seance;

pub use compte_rendu::{
    ActionSuivie, Commentaire, CompteRendu, EtatCompteRendu, SaisieAction, SaisieCompteRendu,
    StatutAction,
};
pub use instance::{
    DEPARTEMENT_COPILOTE, FormeInstance, GroupeDeTravail, Instance, Niveau, SaisieInstance, Schema,
    exiger_pilote_national,
};
pub use membre::{
    LigneRefusee, Membre, RoleMembre, SaisieMembre, lire_import, verifier_composition,
};
pub use quorum::{Quorum, calculer_quorum};
pub use seance::{
    Convocation, EtatSeance, LienPoint, PREAVIS_JOURS, PointOrdreDuJour, Reponse, SaisieSeance,
    Seance,
};
