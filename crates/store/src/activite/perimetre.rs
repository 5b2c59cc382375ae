//! What a read of the activity covers, as the access rules decided it: everything, some
//! départements, some structures, or one structure; turned here into the condition of a query.

use crate::connexion::Valeur;
use crate::sql::marques;

/// The rows a read may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Perimetre {
    /// Every row (the Cnaf).
    Tout,
    /// The rows of these départements (codes); none when empty.
    Departements(Vec<String>),
    /// The rows of these structures; none when empty.
    Structures(Vec<i64>),
    /// The rows of one structure.
    Structure(i64),
}

/// A condition and its parameters, numbered from `$1`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    pub(crate) sql: String,
    pub(crate) params: Vec<Valeur>,
}

impl Condition {
    /// Adds `AND` the condition `suite` builds from the number of its first parameter, with
    /// its own parameters.
    pub(crate) fn et(mut self, suite: impl FnOnce(usize) -> String, params: Vec<Valeur>) -> Self {
        let c = suite(self.params.len() + 1);
        self.sql = format!("({}) AND ({c})", self.sql);
        self.params.extend(params);
        self
    }
}

impl Perimetre {
    /// The condition for a table whose territory is in `col_departement` and whose structure
    /// is in `col_gestionnaire`.
    pub(crate) fn condition(&self, col_departement: &str, col_gestionnaire: &str) -> Condition {
        let dans = |colonne: &str, valeurs: Vec<Valeur>| {
            if valeurs.is_empty() {
                Condition {
                    sql: "1 = 0".to_owned(),
                    params: Vec::new(),
                }
            } else {
                Condition {
                    sql: format!("{colonne} IN ({})", marques(1, valeurs.len())),
                    params: valeurs,
                }
            }
        };
        match self {
            Perimetre::Tout => Condition {
                sql: "1 = 1".to_owned(),
                params: Vec::new(),
            },
            Perimetre::Departements(d) => dans(
                col_departement,
                d.iter().map(|c| Valeur::Texte(c.clone())).collect(),
            ),
            Perimetre::Structures(g) => dans(
                col_gestionnaire,
                g.iter().map(|g| Valeur::Entier(*g)).collect(),
            ),
            Perimetre::Structure(g) => Condition {
                sql: format!("{col_gestionnaire} = $1"),
                params: vec![Valeur::Entier(*g)],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_numerotees() {
        let c = Perimetre::Departements(vec!["38".into(), "73".into()])
            .condition("d.departement", "o.gestionnaire_id")
            .et(|n| format!("exercice = ${n}"), vec![Valeur::Entier(2024)]);
        assert_eq!(c.sql, "(d.departement IN ($1, $2)) AND (exercice = $3)");
        assert_eq!(c.params.len(), 3);
        assert_eq!(
            Perimetre::Structures(Vec::new()).condition("d", "g").sql,
            "1 = 0"
        );
        assert_eq!(Perimetre::Tout.condition("d", "g").sql, "1 = 1");
        assert_eq!(Perimetre::Structure(4).condition("d", "g").sql, "g = $1");
    }
}
