//! What each user may see: the Cnaf everything; a Caf agent or a funder its départements (a
//! funder only the dossiers that reached the comité); a gestionnaire or an intervenant its own
//! structures. Expressed once, as an SQL condition for lists and as a check for single records.

use domain::acces::{Acteur, Role};
use domain::identifiants::{CodeDepartement, GestionnaireId};
use store::Valeur;

/// An SQL condition with its parameters, numbered from `$1`.
#[derive(Debug, Clone)]
pub struct Filtre {
    pub condition: String,
    pub params: Vec<Valeur>,
}

impl Filtre {
    fn dans(colonne: &str, valeurs: Vec<Valeur>) -> Filtre {
        if valeurs.is_empty() {
            return Filtre {
                condition: "1 = 0".to_owned(),
                params: Vec::new(),
            };
        }
        Filtre {
            condition: format!("{colonne} IN ({})", store::sql::marques(1, valeurs.len())),
            params: valeurs,
        }
    }

    /// What `acteur` may see of a table whose territory is in `col_departement` and whose
    /// structure is in `col_gestionnaire`.
    pub fn pour(acteur: &Acteur, col_departement: &str, col_gestionnaire: &str) -> Filtre {
        match acteur.role {
            Role::Cnaf => Filtre {
                condition: "1 = 1".to_owned(),
                params: Vec::new(),
            },
            Role::Caf | Role::Financeur => Filtre::dans(
                col_departement,
                acteur
                    .departements
                    .iter()
                    .map(|d| Valeur::Texte(d.as_str().to_owned()))
                    .collect(),
            ),
            Role::Gestionnaire | Role::Intervenant => Filtre::dans(
                col_gestionnaire,
                acteur
                    .gestionnaires
                    .iter()
                    .map(|g| Valeur::Entier(g.0))
                    .collect(),
            ),
            // An instance member reads the coordination's records only, none of the dossiers'.
            Role::Membre => Filtre {
                condition: "1 = 0".to_owned(),
                params: Vec::new(),
            },
        }
    }

    /// Adds `AND condition` with its own parameters, renumbered after the existing ones.
    pub fn et(mut self, condition: &str, params: Vec<Valeur>) -> Filtre {
        let c = renumeroter(condition, self.params.len());
        self.condition = format!("({}) AND ({c})", self.condition);
        self.params.extend(params);
        self
    }
}

/// `condition` with every `$n` placeholder read whole (all its digits) and shifted by `decalage`,
/// in one pass: a shifted number is never read again.
fn renumeroter(condition: &str, decalage: usize) -> String {
    let mut sortie = String::with_capacity(condition.len() + 8);
    let mut caracteres = condition.char_indices().peekable();
    while let Some((_, c)) = caracteres.next() {
        sortie.push(c);
        if c != '$' {
            continue;
        }
        let mut chiffres = String::new();
        while let Some(&(_, d)) = caracteres.peek()
            && d.is_ascii_digit()
        {
            chiffres.push(d);
            caracteres.next();
        }
        match chiffres.parse::<usize>() {
            Ok(n) => sortie.push_str(&(n + decalage).to_string()),
            Err(_) => sortie.push_str(&chiffres),
        }
    }
    sortie
}

/// Whether `acteur` may see a record of `departement` belonging to `gestionnaire`.
pub fn peut_voir(
    acteur: &Acteur,
    departement: CodeDepartement,
    gestionnaire: GestionnaireId,
) -> bool {
    match acteur.role {
        Role::Cnaf => true,
        Role::Caf | Role::Financeur => acteur.departements.contains(&departement),
        Role::Gestionnaire | Role::Intervenant => acteur.gestionnaires.contains(&gestionnaire),
        Role::Membre => false,
    }
}

/// The dossier states a funder sees: those the comité examines or has decided.
pub const ETATS_VUS_PAR_FINANCEUR: [&str; 3] = ["presente_en_comite", "valide", "refuse"];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::Arc;

    use domain::acces::Acteur;
    use domain::identifiants::{FinanceurId, UtilisateurId};
    use referentiel::parametres::Parametres;
    use store::Base;

    use super::*;

    fn departements(n: usize) -> Vec<CodeDepartement> {
        (1..=n)
            .map(|i| CodeDepartement::parse(&format!("{i:02}")).unwrap())
            .collect()
    }

    #[test]
    fn la_cnaf_voit_tout_sans_parametre() {
        let f = Filtre::pour(
            &Acteur::cnaf(UtilisateurId(1)),
            "departement",
            "gestionnaire_id",
        );
        assert_eq!(f.condition, "1 = 1");
        assert!(f.params.is_empty());
    }

    #[test]
    fn un_territoire_vide_ne_voit_rien() {
        let f = Filtre::pour(
            &Acteur::caf(UtilisateurId(1), []),
            "departement",
            "gestionnaire_id",
        );
        assert_eq!(f.condition, "1 = 0");
        let f = f.et("etat = $1", vec!["valide".into()]);
        assert_eq!(f.condition, "(1 = 0) AND (etat = $1)");
        assert_eq!(f.params.len(), 1);
    }

    #[test]
    fn une_structure_filtre_sur_sa_colonne() {
        let f = Filtre::pour(
            &Acteur::gestionnaire(UtilisateurId(1), [GestionnaireId(4), GestionnaireId(9)]),
            "departement",
            "gestionnaire_id",
        );
        assert_eq!(f.condition, "gestionnaire_id IN ($1, $2)");
        assert_eq!(f.params, vec![Valeur::Entier(4), Valeur::Entier(9)]);
    }

    #[test]
    fn chaque_parametre_ajoute_est_renumerote_une_seule_fois() {
        let acteur = Acteur::caf(UtilisateurId(1), departements(12));
        let f = Filtre::pour(&acteur, "departement", "gestionnaire_id")
            .et(
                "etat IN ($1, $2, $3)",
                vec!["a".into(), "b".into(), "c".into()],
            )
            .et("etat = $1 OR convention_id = $1", vec!["d".into()]);
        let marques: Vec<String> = (1..=12).map(|i| format!("${i}")).collect();
        assert_eq!(
            f.condition,
            format!(
                "((departement IN ({})) AND (etat IN ($13, $14, $15))) AND (etat = $16 OR convention_id = $16)",
                marques.join(", ")
            )
        );
        assert_eq!(f.params.len(), 16);
    }

    #[test]
    fn les_marques_a_plusieurs_chiffres_restent_entieres() {
        let dix: Vec<Valeur> = (0..10).map(Valeur::Entier).collect();
        let f = Filtre {
            condition: "x = $1".to_owned(),
            params: vec![Valeur::Entier(0)],
        }
        .et(
            "y IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AND z = $1",
            dix,
        );
        assert_eq!(
            f.condition,
            "(x = $1) AND (y IN ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AND z = $2)"
        );
    }

    /// A funder whose territory has 12 départements lists its dossiers, on the real engines.
    #[tokio::test]
    async fn un_territoire_de_douze_departements_liste_ses_dossiers() {
        let chemin =
            std::env::temp_dir().join(format!("parentalite-filtre-{}.sqlite", std::process::id()));
        for suffixe in ["", "-wal", "-shm", ".tete-audit"] {
            let _ = std::fs::remove_file(format!("{}{suffixe}", chemin.display()));
        }
        let mut bases = vec![Base::ouvrir(chemin.to_str().unwrap()).await.unwrap()];
        if let Ok(url) = std::env::var("PARENTALITE_TEST_POSTGRES") {
            let nom = format!("parentalite_filtre_{}", std::process::id());
            let admin = Base::ouvrir_sans_migrer(&url).await.unwrap();
            admin
                .executer_direct(&format!("DROP DATABASE IF EXISTS {nom}"))
                .await
                .unwrap();
            admin
                .executer_direct(&format!("CREATE DATABASE {nom}"))
                .await
                .unwrap();
            admin.fermer().await;
            let i = url.rfind('/').expect("URL PostgreSQL sans base");
            bases.push(Base::ouvrir(&format!("{}/{nom}", &url[..i])).await.unwrap());
        }
        for base in bases {
            let p = crate::Plateforme::new(base, Arc::new(Parametres::embarques().unwrap()));
            let financeur = Acteur::financeur(UtilisateurId(1), FinanceurId(1), departements(12));
            let caf = Acteur::caf(UtilisateurId(2), departements(12));
            p.dossiers(&financeur, None).await.unwrap();
            p.dossiers(&financeur, Some("valide")).await.unwrap();
            p.dossiers(&caf, Some("depose")).await.unwrap();
        }
    }
}
