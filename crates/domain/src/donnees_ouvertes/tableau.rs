//! The CSV form of the open data: one line per record, the schema's fields as columns in the
//! schema's order, as data·inclusion's own CSV export writes its consolidated base (comma
//! separator, a header line, an empty cell for an absent value, and each list as a Python list
//! literal: `['famille--soutien-a-la-parentalite-et-a-leducation', 'remobilisation--lien-social']`,
//! which `ast.literal_eval` reads back).

use serde::Serialize;
use serde_json::Value;

use super::schema::{
    COLONNES_SERVICES, COLONNES_STRUCTURES, ServiceDataInclusion, StructureDataInclusion,
};

/// A list as a Python literal of strings.
fn liste_python(valeurs: &[Value]) -> String {
    let elements: Vec<String> = valeurs
        .iter()
        .map(|v| {
            let texte = match v {
                Value::String(s) => s.clone(),
                autre => autre.to_string(),
            };
            format!("'{}'", texte.replace('\\', "\\\\").replace('\'', "\\'"))
        })
        .collect();
    format!("[{}]", elements.join(", "))
}

fn cellule(valeur: Option<&Value>) -> String {
    match valeur {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(valeurs)) => liste_python(valeurs),
        Some(autre) => autre.to_string(),
    }
}

fn ecrire<T: Serialize>(colonnes: &[&str], enregistrements: &[T]) -> Result<Vec<u8>, String> {
    let mut ecrivain = csv::Writer::from_writer(Vec::new());
    ecrivain.write_record(colonnes).map_err(|e| e.to_string())?;
    for enregistrement in enregistrements {
        let valeur = serde_json::to_value(enregistrement).map_err(|e| e.to_string())?;
        let ligne: Vec<String> = colonnes.iter().map(|c| cellule(valeur.get(c))).collect();
        ecrivain.write_record(&ligne).map_err(|e| e.to_string())?;
    }
    ecrivain.into_inner().map_err(|e| e.to_string())
}

/// The structures' CSV file (UTF-8, no byte order mark).
pub fn structures_csv(structures: &[StructureDataInclusion]) -> Result<Vec<u8>, String> {
    ecrire(&COLONNES_STRUCTURES, structures)
}

/// The services' CSV file (UTF-8, no byte order mark).
pub fn services_csv(services: &[ServiceDataInclusion]) -> Result<Vec<u8>, String> {
    ecrire(&COLONNES_SERVICES, services)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn une_liste_s_ecrit_comme_un_litteral_python() {
        assert_eq!(
            liste_python(&[json!("familles"), json!("jeunes")]),
            "['familles', 'jeunes']"
        );
        assert_eq!(liste_python(&[json!("l'a")]), r"['l\'a']");
        assert_eq!(liste_python(&[]), "[]");
    }

    #[test]
    fn une_valeur_absente_est_une_cellule_vide() {
        assert_eq!(cellule(None), "");
        assert_eq!(cellule(Some(&Value::Null)), "");
        assert_eq!(cellule(Some(&json!(45.5))), "45.5");
        assert_eq!(cellule(Some(&json!("a,b"))), "a,b");
    }
}
