//! A postal address in France, tied to its commune's INSEE code (the postcode is not enough: it
//! spans several communes, and a commune several postcodes).

use serde::{Deserialize, Serialize};

use crate::identifiants::CodeInsee;
use crate::refus::Refus;
use crate::texte::vide;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adresse {
    /// Number and street (« 12 rue des Alpes »).
    pub voie: String,
    /// Building, floor, lieu-dit…
    pub complement: Option<String>,
    pub code_postal: String,
    pub commune: CodeInsee,
}

impl Adresse {
    pub(crate) fn verifier(&self, action: &'static str) -> Result<(), Refus> {
        if vide(&self.voie) {
            return Err(Refus::Incomplet {
                action,
                champs: vec!["adresse (voie)"],
            });
        }
        crate::texte::controler(action, "Adresse (voie)", &self.voie, false)?;
        if let Some(c) = &self.complement {
            crate::texte::controler(action, "Complément d'adresse", c, false)?;
        }
        let cp = self.code_postal.trim();
        if cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Refus::invalide(
                action,
                format!("le code postal compte 5 chiffres (reçu « {cp} »)"),
            ));
        }
        Ok(())
    }
}
