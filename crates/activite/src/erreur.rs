//! Why a session, an import or a read did not happen, in French, naming the field and the reason;
//! never with a family's identifier in it.

use std::fmt;

use domain::Refus;
use referentiel::conformite::ErreurConformite;
use referentiel::parametres::ErreurParametre;
use store::ErreurStore;

/// One problem of one line of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Probleme {
    /// The column (`date`, `etape`…), or `fichier` for the file as a whole.
    pub champ: &'static str,
    pub raison: String,
}

/// A bad line of an imported file: its number in the file (the header is line 1) and every
/// problem found on it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ErreurLigne {
    pub ligne: u64,
    pub problemes: Vec<Probleme>,
}

impl fmt::Display for ErreurLigne {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ligne {} : ", self.ligne)?;
        for (i, p) in self.problemes.iter().enumerate() {
            if i > 0 {
                f.write_str(" ; ")?;
            }
            write!(f, "{} : {}", p.champ, p.raison)?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ErreurActivite {
    /// Outside the actor's role or structures (HTTP 403).
    #[error("{0}")]
    Refus(#[from] Refus),
    /// A read outside what the actor may see (HTTP 403).
    #[error("accès refusé : {0}")]
    Interdit(String),
    /// A value that breaks a rule (HTTP 422).
    #[error("{champ} : {raison}")]
    Champ { champ: &'static str, raison: String },
    /// Référentiel national de financement de l'AIP §II.3: beyond 5 sessions per family and per year, only with a reason.
    #[error(
        "motif_exception : ce serait le {rang}e entretien de cette famille en {exercice}, au-delà \
         du repère de {maximum} séances par famille et par an (référentiel AIP §II.3) ; un \
         dépassement reste exceptionnel : indiquez-en le motif"
    )]
    MotifExceptionRequis {
        exercice: i32,
        rang: i64,
        maximum: i64,
    },
    /// A file refused as a whole: nothing was imported (HTTP 422).
    #[error(
        "import refusé, rien n'a été importé : {} ligne{} en erreur\n{}",
        .0.len(),
        if .0.len() > 1 { "s" } else { "" },
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    ImportRefuse(Vec<ErreurLigne>),
    #[error("gestionnaire n°{0} introuvable")]
    GestionnaireInconnu(i64),
    #[error("paramètres du référentiel : {0}")]
    Parametre(#[from] ErreurParametre),
    #[error("règles d'activité : {0}")]
    Conformite(#[from] ErreurConformite),
    #[error("clé de pseudonymisation : {0}")]
    Cle(String),
    #[error("écriture du fichier : {0}")]
    Ecriture(String),
    #[error("{0}")]
    Store(#[from] ErreurStore),
}

impl ErreurActivite {
    pub fn champ(champ: &'static str, raison: impl Into<String>) -> Self {
        ErreurActivite::Champ {
            champ,
            raison: raison.into(),
        }
    }

    /// Whether the actor asked for something outside its role or territory (HTTP 403).
    pub fn est_interdit(&self) -> bool {
        match self {
            ErreurActivite::Interdit(_) => true,
            ErreurActivite::Refus(r) => r.est_un_refus_d_acces(),
            _ => false,
        }
    }

    /// The bad lines of a refused import, empty for any other error.
    pub fn lignes_en_erreur(&self) -> &[ErreurLigne] {
        match self {
            ErreurActivite::ImportRefuse(lignes) => lignes,
            _ => &[],
        }
    }
}

impl From<sqlx::Error> for ErreurActivite {
    fn from(e: sqlx::Error) -> Self {
        ErreurActivite::Store(ErreurStore::Base(e))
    }
}
