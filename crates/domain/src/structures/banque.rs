//! The bank details of a gestionnaire (IBAN, BIC, account holder), which the Caf pays into: their
//! validation, their masked display for those who need not read them in full, and the
//! gestionnaire's update of them with its audit.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Gestionnaire;
use crate::acces::{Acteur, Role};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::refus::Refus;

/// The action named in refusals and in the audit.
pub const ACTION_COORDONNEES: &str = "Enregistrer les coordonnées bancaires";

/// An account's bank details, normalised (IBAN and BIC in capitals without spaces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoordonneesBancaires {
    pub iban: String,
    pub bic: String,
    /// The account holder's name, as the bank knows it.
    pub titulaire: String,
}

impl CoordonneesBancaires {
    /// Checks and normalises what a user typed: the IBAN (spaces accepted), the BIC and the
    /// holder's name.
    pub fn saisir(iban: &str, bic: &str, titulaire: &str) -> Result<CoordonneesBancaires, Refus> {
        let iban = normaliser_iban(iban)?;
        let bic: String = bic
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if !bic_valide(&bic) {
            return Err(Refus::invalide(
                ACTION_COORDONNEES,
                "le BIC compte 8 ou 11 caractères : 4 lettres (banque), 2 lettres (pays), 2 lettres ou chiffres (lieu), puis 3 lettres ou chiffres facultatifs (agence)",
            ));
        }
        let titulaire = crate::texte::TexteLibre::court("Titulaire du compte", titulaire)
            .map_err(|e| match e {
                crate::texte::ErreurTexte::Vide { .. } => Refus::Incomplet {
                    action: ACTION_COORDONNEES,
                    champs: vec!["titulaire du compte"],
                },
                autre => Refus::invalide(ACTION_COORDONNEES, autre.to_string()),
            })?
            .into_inner();
        Ok(CoordonneesBancaires {
            iban,
            bic,
            titulaire,
        })
    }

    /// The IBAN in groups of four, as printed on a bank statement.
    pub fn iban_lisible(&self) -> String {
        grouper(&self.iban)
    }

    /// The IBAN with only its country, check digits and last five characters visible, for those
    /// who need not read it in full: « FR76 •••• •••• •••• •••• ••12 345 ».
    pub fn iban_masque(&self) -> String {
        let nombre = self.iban.chars().count();
        let masque: String = self
            .iban
            .chars()
            .enumerate()
            .map(|(rang, c)| {
                if rang < 4 || rang + 5 >= nombre {
                    c
                } else {
                    '•'
                }
            })
            .collect();
        grouper(&masque)
    }
}

fn grouper(texte: &str) -> String {
    let caracteres: Vec<char> = texte.chars().collect();
    caracteres
        .chunks(4)
        .map(|groupe| groupe.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Normalises an IBAN (spaces removed, capitals) and checks it: the French format (« FR »
/// followed by 25 characters: 2 check digits, 5-digit bank code, 5-digit branch code,
/// 11-character account number, 2-digit RIB key) and the check digits of ISO 13616-1:2020
/// §6.1 (the number read with letters as 10 to 35, after moving the first four characters to
/// the end, leaves 1 modulo 97; ISO 7064 MOD 97-10).
pub fn normaliser_iban(saisie: &str) -> Result<String, Refus> {
    let iban: String = saisie
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if iban.is_empty() {
        return Err(Refus::Incomplet {
            action: ACTION_COORDONNEES,
            champs: vec!["IBAN"],
        });
    }
    let format_francais = iban.len() == 27
        && iban.starts_with("FR")
        && iban[2..].chars().all(|c| c.is_ascii_alphanumeric())
        && iban[2..14].chars().all(|c| c.is_ascii_digit())
        && iban[25..].chars().all(|c| c.is_ascii_digit());
    if !format_francais {
        return Err(Refus::invalide(
            ACTION_COORDONNEES,
            "l’IBAN d’un compte en France commence par FR suivi de 25 caractères (clé, code banque, code guichet, numéro de compte, clé RIB)",
        ));
    }
    if reste_mod_97(&iban) != Some(1) {
        return Err(Refus::invalide(
            ACTION_COORDONNEES,
            "la clé de contrôle de l’IBAN ne correspond pas : vérifiez chaque caractère",
        ));
    }
    Ok(iban)
}

/// The French IBAN of a domestic account number (BBAN: bank code, branch code, account number
/// and RIB key, 23 characters), its check digits computed as ISO 13616-1:2020 §6.1 sets them
/// (98 minus the remainder modulo 97 of the BBAN followed by « FR00 »).
pub fn iban_francais(bban: &str) -> Result<String, Refus> {
    let provisoire = format!("FR00{bban}");
    let reste = reste_mod_97(&provisoire).ok_or_else(|| {
        Refus::invalide(
            ACTION_COORDONNEES,
            "un numéro de compte n’a que des lettres et des chiffres",
        )
    })?;
    normaliser_iban(&format!("FR{:02}{bban}", 98 - reste))
}

/// The remainder modulo 97 of the IBAN's number (first four characters moved to the end, each
/// letter replaced by 10 to 35), computed digit by digit; `None` for a character that is neither
/// a digit nor a letter.
fn reste_mod_97(iban: &str) -> Option<u32> {
    let (tete, corps) = iban.split_at(4);
    let mut reste = 0u32;
    for c in corps.chars().chain(tete.chars()) {
        let valeur = c.to_digit(36)?;
        reste = if valeur < 10 {
            (reste * 10 + valeur) % 97
        } else {
            (reste * 100 + valeur) % 97
        };
    }
    Some(reste)
}

fn bic_valide(bic: &str) -> bool {
    bic.is_ascii()
        && (bic.len() == 8 || bic.len() == 11)
        && bic[..6].chars().all(|c| c.is_ascii_uppercase())
        && bic[6..].chars().all(|c| c.is_ascii_alphanumeric())
}

impl Gestionnaire {
    /// Whether `acteur` may read the IBAN in full: the structure's gestionnaires and the agents of
    /// the Caf of its département; anyone else sees it masked.
    pub fn voit_iban_complet(&self, acteur: &Acteur) -> bool {
        match acteur.role {
            Role::Gestionnaire => acteur.gestionnaires.contains(&self.id),
            Role::Caf => acteur.departements.contains(&self.departement_siege),
            _ => false,
        }
    }

    /// Records the structure's bank details: its gestionnaires or an agent of its Caf.
    pub fn enregistrer_coordonnees(
        &self,
        acteur: &Acteur,
        coordonnees: CoordonneesBancaires,
        quand: OffsetDateTime,
    ) -> Result<Transition<Gestionnaire>, Refus> {
        if !self.voit_iban_complet(acteur) {
            return Err(Refus::Structure {
                action: ACTION_COORDONNEES,
            });
        }
        let avant = self.banque.as_ref().map(CoordonneesBancaires::iban_masque);
        let apres = Some(coordonnees.iban_masque());
        let audit = Audit::nouveau(
            TypeEntite::Gestionnaire,
            self.id.0,
            "coordonnees_bancaires",
            acteur,
            quand,
            format!(
                "coordonnées bancaires de « {} » enregistrées (titulaire : {})",
                self.raison_sociale, coordonnees.titulaire
            ),
        )
        .changement("iban", avant, apres);
        let mut g = self.clone();
        g.banque = Some(coordonnees);
        Ok(Transition { apres: g, audit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A French IBAN whose check digits are right.
    const IBAN: &str = "FR76 3000 6000 0112 3456 7890 189";

    #[test]
    fn iban_valide_normalise() {
        let c = CoordonneesBancaires::saisir(IBAN, "agri frpp 882", " Association ").unwrap();
        assert_eq!(c.iban, "FR7630006000011234567890189");
        assert_eq!(c.bic, "AGRIFRPP882");
        assert_eq!(c.titulaire, "Association");
        assert_eq!(c.iban_lisible(), "FR76 3000 6000 0112 3456 7890 189");
        assert_eq!(c.iban_masque(), "FR76 •••• •••• •••• •••• ••90 189");
        assert_eq!(
            normaliser_iban("fr7630006000011234567890189").unwrap(),
            "FR7630006000011234567890189"
        );
    }

    #[test]
    fn cle_fausse_refusee() {
        for faux in [
            "FR7730006000011234567890189",
            "FR7630006000011234567890188",
            "FR7630006000011234567809189",
        ] {
            let e = normaliser_iban(faux).unwrap_err();
            assert!(e.raison().contains("clé de contrôle"), "{faux}: {e}");
        }
    }

    #[test]
    fn format_francais_exige() {
        // A valid German IBAN, a French one too short, letters in the bank code.
        for autre in [
            "DE89370400440532013000",
            "FR763000600001123456789018",
            "FR76A0006000011234567890189",
            "FR76300060000112345678901899",
        ] {
            let e = normaliser_iban(autre).unwrap_err();
            assert!(e.raison().contains("commence par FR"), "{autre}: {e}");
        }
        assert_eq!(normaliser_iban("  ").unwrap_err().code(), "incomplet");
    }

    #[test]
    fn cle_calculee() {
        assert_eq!(
            iban_francais("30006000011234567890189").unwrap(),
            "FR7630006000011234567890189"
        );
        assert!(iban_francais("3000600001").is_err());
    }

    #[test]
    fn bic_et_titulaire() {
        assert!(CoordonneesBancaires::saisir(IBAN, "AGRIFRPP", "A").is_ok());
        let e = CoordonneesBancaires::saisir(IBAN, "AGRI", "A").unwrap_err();
        assert!(e.raison().contains("BIC"), "{e}");
        let e = CoordonneesBancaires::saisir(IBAN, "1GRIFRPP", "A").unwrap_err();
        assert!(e.raison().contains("BIC"), "{e}");
        let e = CoordonneesBancaires::saisir(IBAN, "AGRÏFRPP", "A").unwrap_err();
        assert!(e.raison().contains("BIC"), "{e}");
        let e = normaliser_iban("FR76 3000 6000 0112 3456 7890 1é").unwrap_err();
        assert!(e.raison().contains("commence par FR"), "{e}");
        let e = CoordonneesBancaires::saisir(IBAN, "AGRIFRPP", " ").unwrap_err();
        assert_eq!(e.code(), "incomplet");
    }
}
