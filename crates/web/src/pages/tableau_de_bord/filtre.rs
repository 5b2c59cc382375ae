//! The dashboard's filter: the exercise and the indicator the map shows, read from the query;
//! every value out of the lists is reported next to its field, the page then showing the
//! defaults.

use activite::INDICATEURS;
use serde::Deserialize;

use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;

/// The exercises the dashboard offers.
pub(super) const EXERCICES_PROPOSES: [i32; 3] = [2024, 2025, 2026];
const EXERCICE_PAR_DEFAUT: i32 = 2025;
/// The map's measure besides the indicators: the families reached.
pub(super) const FAMILLES: &str = "familles";
const INDICATEUR_PAR_DEFAUT: &str = "familles_par_etp";

/// The query of the dashboard and of its downloads.
#[derive(Debug, Deserialize)]
pub struct Choix {
    pub(super) exercice: Option<String>,
    pub(super) indicateur: Option<String>,
}

/// What the filter chose, and its errors.
#[derive(Debug)]
pub(super) struct Filtre {
    pub exercice: i32,
    pub indicateur: &'static str,
    pub erreurs: Erreurs,
}

fn lire_exercice(texte: Option<&str>) -> Result<i32, String> {
    match texte.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(EXERCICE_PAR_DEFAUT),
        Some(t) => t
            .parse::<i32>()
            .ok()
            .filter(|a| EXERCICES_PROPOSES.contains(a))
            .ok_or_else(|| format!("Exercice « {t} » : choisissez 2024, 2025 ou 2026")),
    }
}

/// The exercise of a download; a bad one refuses the download.
pub(super) fn exercice_du_telechargement(choix: &Choix) -> Result<i32, ErreurWeb> {
    lire_exercice(choix.exercice.as_deref()).map_err(ErreurWeb::Refus)
}

impl Filtre {
    /// Reads the whole query: both fields are checked, each error kept for its field.
    pub fn lire(choix: &Choix) -> Filtre {
        let mut erreurs = Erreurs::default();
        let exercice = lire_exercice(choix.exercice.as_deref()).unwrap_or_else(|m| {
            erreurs.ajouter("exercice", m);
            EXERCICE_PAR_DEFAUT
        });
        let indicateur = match choix.indicateur.as_deref().map(str::trim) {
            None | Some("") => INDICATEUR_PAR_DEFAUT,
            Some(FAMILLES) => FAMILLES,
            Some(code) => match INDICATEURS.iter().find(|i| i.code == code) {
                Some(i) => i.code,
                None => {
                    erreurs.ajouter(
                        "indicateur",
                        "Indicateur de la carte : choisissez un indicateur de la liste",
                    );
                    INDICATEUR_PAR_DEFAUT
                }
            },
        };
        Filtre {
            exercice,
            indicateur,
            erreurs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chaque_valeur_hors_des_listes_est_signalee_sur_son_champ() {
        let f = Filtre::lire(&Choix {
            exercice: Some("1999".into()),
            indicateur: Some("inconnu".into()),
        });
        assert_eq!((f.exercice, f.indicateur), (2025, "familles_par_etp"));
        assert!(f.erreurs.de("exercice").is_some_and(|m| m.contains("1999")));
        assert!(f.erreurs.de("indicateur").is_some());
        let bon = Filtre::lire(&Choix {
            exercice: Some("2024".into()),
            indicateur: Some("familles".into()),
        });
        assert!(bon.erreurs.est_vide());
        assert_eq!((bon.exercice, bon.indicateur), (2024, "familles"));
    }
}
