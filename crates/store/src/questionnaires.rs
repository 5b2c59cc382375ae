//! The SQL of the anonymous questionnaires: a structure's two link codes (audited, hashed by
//! `check` like the other records), the answers (closed choices only, with the month and the
//! structure, nothing about who answered; the hash of the form's one-time token so that a form
//! sent twice is stored once), the answers counted by structure for the aggregated results, and
//! the submissions of the last hour counted for the public form's rate limit.

use std::collections::BTreeMap;

use domain::evaluation::questionnaire::{CodeQuestionnaire, Comptage, Public, Reponse};
use domain::identifiants::{CodeDepartement, GestionnaireId};
use time::OffsetDateTime;

use crate::connexion::{Ligne, Tx, Valeur};
use crate::erreur::ErreurStore;

/// The audited table of the links (see [`crate::empreintes::TABLES_AUDITEES`]).
pub const TABLE_LIENS: &str = "questionnaires_liens";

/// The codes of one structure's two questionnaire links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Liens {
    pub gestionnaire: GestionnaireId,
    pub parents: CodeQuestionnaire,
    pub partenaires: CodeQuestionnaire,
    pub cree_le: OffsetDateTime,
    pub renouvele_le: Option<OffsetDateTime>,
}

impl Liens {
    /// The code of the link of `public`.
    pub fn code(&self, public: Public) -> &CodeQuestionnaire {
        match public {
            Public::Parents => &self.parents,
            Public::Partenaires => &self.partenaires,
        }
    }
}

fn instant(s: i64) -> Result<OffsetDateTime, ErreurStore> {
    OffsetDateTime::from_unix_timestamp(s).map_err(|e| ErreurStore::Donnee(e.to_string()))
}

fn code(l: &Ligne, colonne: &str) -> Result<CodeQuestionnaire, ErreurStore> {
    let texte = l.texte(colonne)?;
    CodeQuestionnaire::parse(&texte)
        .ok_or_else(|| ErreurStore::Donnee(format!("code de questionnaire illisible : {texte}")))
}

fn colonne_du_code(public: Public) -> &'static str {
    match public {
        Public::Parents => "code_parents",
        Public::Partenaires => "code_partenaires",
    }
}

/// The links of structure `gestionnaire`, if created.
pub async fn liens(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
) -> Result<Option<Liens>, ErreurStore> {
    tx.ligne(
        "SELECT gestionnaire_id, code_parents, code_partenaires, cree_le, renouvele_le \
         FROM questionnaires_liens WHERE gestionnaire_id = $1",
        &[gestionnaire.0.into()],
    )
    .await?
    .map(|l| {
        Ok(Liens {
            gestionnaire: GestionnaireId(l.entier("gestionnaire_id")?),
            parents: code(&l, "code_parents")?,
            partenaires: code(&l, "code_partenaires")?,
            cree_le: instant(l.entier("cree_le")?)?,
            renouvele_le: l.entier_opt("renouvele_le")?.map(instant).transpose()?,
        })
    })
    .transpose()
}

/// Writes the links of a structure that had none.
pub async fn creer_liens(tx: &mut Tx, liens: &Liens) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO questionnaires_liens (gestionnaire_id, code_parents, code_partenaires, \
         cree_le, renouvele_le) VALUES ($1, $2, $3, $4, NULL)",
        &[
            liens.gestionnaire.0.into(),
            liens.parents.as_str().into(),
            liens.partenaires.as_str().into(),
            liens.cree_le.unix_timestamp().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Replaces the code of the link of `public` of a structure: the old link stops working.
pub async fn renouveler(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    public: Public,
    nouveau: &CodeQuestionnaire,
    quand: OffsetDateTime,
) -> Result<(), ErreurStore> {
    let n = tx
        .executer(
            &format!(
                "UPDATE questionnaires_liens SET {} = $1, renouvele_le = $2 WHERE gestionnaire_id = $3",
                colonne_du_code(public)
            ),
            &[
                nouveau.as_str().into(),
                quand.unix_timestamp().into(),
                gestionnaire.0.into(),
            ],
        )
        .await?;
    if n != 1 {
        return Err(ErreurStore::Introuvable {
            entite: "les liens des questionnaires de la structure",
            id: gestionnaire.0,
        });
    }
    Ok(())
}

/// The structure whose link of `public` has code `code`.
pub async fn structure_du_code(
    tx: &mut Tx,
    public: Public,
    code: &CodeQuestionnaire,
) -> Result<Option<GestionnaireId>, ErreurStore> {
    tx.ligne(
        &format!(
            "SELECT gestionnaire_id FROM questionnaires_liens WHERE {} = $1",
            colonne_du_code(public)
        ),
        &[code.as_str().into()],
    )
    .await?
    .map(|l| l.entier("gestionnaire_id").map(GestionnaireId))
    .transpose()
}

/// Whether an answer sent with the form token of hash `jeton` is already stored.
pub async fn deja_recue(tx: &mut Tx, jeton: &str) -> Result<bool, ErreurStore> {
    Ok(tx
        .ligne(
            "SELECT id FROM reponses_questionnaires WHERE jeton = $1",
            &[jeton.into()],
        )
        .await?
        .is_some())
}

/// Writes an answer to the questionnaire of structure `gestionnaire` (of `departement`),
/// received in month `mois` (`YYYY-MM`), sent with the form token of hash `jeton`.
pub async fn inserer_reponse(
    tx: &mut Tx,
    id: i64,
    reponse: &Reponse,
    gestionnaire: GestionnaireId,
    departement: Option<CodeDepartement>,
    mois: &str,
    jeton: &str,
) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO reponses_questionnaires (id, public, gestionnaire_id, departement, mois, jeton) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            id.into(),
            reponse.public.code().into(),
            gestionnaire.0.into(),
            departement.map(|d| d.as_str().to_owned()).into(),
            mois.into(),
            jeton.into(),
        ],
    )
    .await?;
    for (item, choix) in &reponse.choix {
        tx.executer(
            "INSERT INTO reponses_questionnaires_choix (reponse_id, item, choix) VALUES ($1, $2, $3)",
            &[id.into(), (*item).into(), (*choix).into()],
        )
        .await?;
    }
    Ok(())
}

/// Which answers to count: those of the months from `depuis` to `jusqu_a` (`YYYY-MM`,
/// included), all when `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Periode {
    pub depuis: Option<String>,
    pub jusqu_a: Option<String>,
}

/// The answers to the questionnaire of `public` over `periode`, counted by structure (with the
/// département recorded with them): the raw counts, before any masking, for the domain's
/// aggregation ([`domain::evaluation::questionnaire::agreger`]).
pub async fn comptages(
    tx: &mut Tx,
    public: Public,
    periode: &Periode,
) -> Result<Vec<Comptage>, ErreurStore> {
    let mut conditions = vec!["r.public = $1".to_owned()];
    let mut params: Vec<Valeur> = vec![public.code().into()];
    if let Some(d) = &periode.depuis {
        params.push(d.as_str().into());
        conditions.push(format!("r.mois >= ${}", params.len()));
    }
    if let Some(j) = &periode.jusqu_a {
        params.push(j.as_str().into());
        conditions.push(format!("r.mois <= ${}", params.len()));
    }
    let condition = conditions.join(" AND ");
    let mut par_structure: BTreeMap<(i64, Option<String>), Comptage> = BTreeMap::new();
    let totaux = tx
        .lignes(
            &format!(
                "SELECT r.gestionnaire_id AS gestionnaire_id, r.departement AS departement, \
                 COUNT(*) AS nombre FROM reponses_questionnaires r WHERE {condition} \
                 GROUP BY r.gestionnaire_id, r.departement"
            ),
            &params,
        )
        .await?;
    let departement = |texte: Option<String>| -> Result<Option<CodeDepartement>, ErreurStore> {
        texte
            .map(|t| CodeDepartement::parse(&t).map_err(|e| ErreurStore::Donnee(e.to_string())))
            .transpose()
    };
    for l in &totaux {
        let g = l.entier("gestionnaire_id")?;
        let d = l.texte_opt("departement")?;
        par_structure.insert(
            (g, d.clone()),
            Comptage {
                gestionnaire: GestionnaireId(g),
                departement: departement(d)?,
                reponses: u64::try_from(l.entier("nombre")?).unwrap_or(0),
                choix: BTreeMap::new(),
            },
        );
    }
    let choix = tx
        .lignes(
            &format!(
                "SELECT r.gestionnaire_id AS gestionnaire_id, r.departement AS departement, \
                 c.item AS item, c.choix AS choix, COUNT(*) AS nombre \
                 FROM reponses_questionnaires r \
                 JOIN reponses_questionnaires_choix c ON c.reponse_id = r.id \
                 WHERE {condition} GROUP BY r.gestionnaire_id, r.departement, c.item, c.choix"
            ),
            &params,
        )
        .await?;
    for l in &choix {
        let cle = (l.entier("gestionnaire_id")?, l.texte_opt("departement")?);
        if let Some(c) = par_structure.get_mut(&cle) {
            c.choix.insert(
                (l.texte("item")?, l.texte("choix")?),
                u64::try_from(l.entier("nombre")?).unwrap_or(0),
            );
        }
    }
    Ok(par_structure.into_values().collect())
}

/// How many answers the forms took from `adresse` since `depuis` (Unix seconds).
pub async fn envois_recents(tx: &mut Tx, adresse: &str, depuis: i64) -> Result<i64, ErreurStore> {
    Ok(tx
        .ligne(
            "SELECT COUNT(*) AS n FROM envois_questionnaires WHERE adresse = $1 AND instant > $2",
            &[adresse.into(), depuis.into()],
        )
        .await?
        .map(|l| l.entier("n"))
        .transpose()?
        .unwrap_or(0))
}

/// Counts one submission from `adresse` at `instant`, and forgets those older than an hour
/// (the limit's window: no address is kept longer).
pub async fn noter_envoi(tx: &mut Tx, adresse: &str, instant: i64) -> Result<(), ErreurStore> {
    tx.executer(
        "DELETE FROM envois_questionnaires WHERE instant <= $1",
        &[(instant - 3600).into()],
    )
    .await?;
    tx.executer(
        "INSERT INTO envois_questionnaires (adresse, instant) VALUES ($1, $2)",
        &[adresse.into(), instant.into()],
    )
    .await?;
    Ok(())
}
