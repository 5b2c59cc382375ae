//! Helpers for writing the queries of both engines: parameters are written `$1`, `$2`… once,
//! and rewritten for SQLite when a query runs (see [`crate::Tx`]); lists of them are built here
//! rather than numbered by hand at each query.

/// The markers of `nombre` parameters numbered from `premier`, separated by commas:
/// `marques(3, 2)` is `$3, $4`; empty when `nombre` is 0.
pub fn marques(premier: usize, nombre: usize) -> String {
    (premier..premier + nombre)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::marques;

    #[test]
    fn les_marques_sont_numerotees_a_partir_du_premier() {
        assert_eq!(marques(1, 3), "$1, $2, $3");
        assert_eq!(marques(3, 2), "$3, $4");
        assert_eq!(marques(1, 0), "");
    }
}
