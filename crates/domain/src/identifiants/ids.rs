//! Typed identifiers of stored records, allocated by the store (a sequence or any other scheme):
//! a `DossierId` cannot be passed where a `ConventionId` is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! identifiant {
    ($(#[$doc:meta])* $nom:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $nom(pub i64);

        impl fmt::Display for $nom {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

identifiant!(
    /// A user account.
    UtilisateurId
);
identifiant!(
    /// A gestionnaire (the partner organisation running a service).
    GestionnaireId
);
identifiant!(
    /// A place where a gestionnaire receives parents.
    LieuId
);
identifiant!(
    /// A professional holding the sessions.
    IntervenantId
);
identifiant!(
    /// A co-funder other than the Caf (State, département, MSA, commune…).
    FinanceurId
);
identifiant!(
    /// A Caf's call for projects.
    AppelAProjetsId
);
identifiant!(
    /// An application (projet de fonctionnement) answering a call for projects.
    DossierId
);
identifiant!(
    /// A decision of the comité des financeurs on a dossier.
    DecisionId
);
identifiant!(
    /// A convention d'objectifs et de financement.
    ConventionId
);
identifiant!(
    /// A declaration (prévisionnelle, actualisée or réelle) of one exercise.
    DeclarationId
);
identifiant!(
    /// An annual report (bilan) of one exercise.
    BilanId
);
identifiant!(
    /// A payment (acompte, solde) or the recovery of an indu.
    PaiementId
);
identifiant!(
    /// A supporting document (pièce justificative) joined to a record, with all its versions.
    PieceId
);
identifiant!(
    /// A departmental coordination instance (comité départemental des services aux familles, or
    /// the instance of the Lettre circulaire Cnaf 2012-093).
    InstanceId
);
identifiant!(
    /// A member of a coordination instance.
    MembreId
);
identifiant!(
    /// A séance (meeting) of a coordination instance, one of its levels or working groups.
    SeanceId
);
identifiant!(
    /// A service offered to parents and published in the directory.
    ServiceId
);
identifiant!(
    /// A call for candidacies of the Caf to a new wave of the AIP experiment.
    AppelCandidaturesId
);
identifiant!(
    /// A Caf's candidacy to a call for candidacies.
    CandidatureId
);
