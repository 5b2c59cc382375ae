//! The SQL that prefilters the payments due: the validated prévisionnelles and réelles of signed
//! conventions (a réelle only once its bilan is validated too) whose acompte or solde has not
//! been issued yet. The domain then reads each amount from the frozen right of its declaration.

use crate::connexion::{Tx, Valeur};
use crate::erreur::ErreurStore;

/// A declaration whose payment is due: its convention, its exercise and its nature
/// (`previsionnelle`: the acompte, `reelle`: the solde).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationAPayer {
    pub convention: i64,
    pub exercice: i64,
    pub nature: String,
}

/// The declarations whose payment is due, among those `condition` keeps (an access condition
/// on the declarations `d`, its parameters `parametres` numbered from `$1`), in the order of
/// convention, exercise and nature.
pub async fn declarations_a_payer(
    tx: &mut Tx,
    condition: &str,
    parametres: &[Valeur],
) -> Result<Vec<DeclarationAPayer>, ErreurStore> {
    let sql = format!(
        "SELECT d.convention_id, d.exercice, d.nature FROM declarations d \
         JOIN conventions c ON c.id = d.convention_id \
         WHERE d.etat = 'validee' AND d.nature IN ('previsionnelle', 'reelle') \
         AND c.signee_le IS NOT NULL AND ({condition}) \
         AND (d.nature = 'previsionnelle' OR EXISTS (SELECT 1 FROM bilans b \
           WHERE b.convention_id = d.convention_id AND b.exercice = d.exercice AND b.etat = 'validee')) \
         AND NOT EXISTS (SELECT 1 FROM paiements p WHERE p.convention_id = d.convention_id \
           AND p.exercice = d.exercice \
           AND p.echeance = CASE d.nature WHEN 'previsionnelle' THEN 'acompte' ELSE 'solde' END) \
         ORDER BY d.convention_id, d.exercice, d.nature"
    );
    let lignes = tx.lignes(&sql, parametres).await?;
    lignes
        .iter()
        .map(|l| {
            Ok(DeclarationAPayer {
                convention: l.entier("convention_id")?,
                exercice: l.entier("exercice")?,
                nature: l.texte("nature")?,
            })
        })
        .collect()
}
