//! The demonstration's questionnaire answers: the first structures of the first three
//! départements get their links (created by their gestionnaire, audited) and a few dozen
//! anonymous answers from parents and partners, spread over this month and the last, some
//! structures with fewer than five so that the results show masked counts.

use std::collections::BTreeMap;

use domain::evaluation::questionnaire::{Public, Reponse};
use domain::identifiants::CodeDepartement;
use time::{Date, Duration};

use super::{invalide, le};
use crate::cas::questionnaires::liens_ou_creer;
use crate::{ErreurApp, Plateforme};

/// Parents' answers of structures 1, 2, 3 of départements 1, 2, 3.
const PARENTS: [[u32; 3]; 3] = [[7, 3, 0], [12, 2, 0], [6, 0, 0]];
/// Partners' answers, likewise.
const PARTENAIRES: [[u32; 3]; 3] = [[5, 2, 0], [6, 0, 0], [3, 0, 0]];

/// The choice (index) of answer `n` to item `k`: mostly the favourable ones, some not.
fn choix(n: u32, k: usize, nombre: usize) -> usize {
    const TENDANCE: [usize; 10] = [0, 1, 0, 1, 0, 2, 1, 0, 3, 1];
    TENDANCE[(n as usize * 3 + k) % TENDANCE.len()] % nombre
}

impl Plateforme {
    /// Writes the demonstration's answers for the first three of `departements` (their
    /// structures being those of `gestionnaire.<dép>.<n>@demo.parentalite.fr`).
    pub(super) async fn peupler_questionnaires_demo(
        &self,
        departements: &[CodeDepartement],
        aujourd_hui: Date,
    ) -> Result<(), ErreurApp> {
        let mut numero: u32 = 0;
        for (n_dep, d) in departements.iter().take(3).enumerate() {
            for i in 0..3 {
                let email = format!(
                    "gestionnaire.{}.{}@demo.parentalite.fr",
                    d.as_str().to_lowercase(),
                    i + 1
                );
                let Some((_, acteur)) = self.utilisateur_par_email(&email).await? else {
                    continue;
                };
                let gestionnaire = *acteur
                    .gestionnaires
                    .iter()
                    .next()
                    .ok_or_else(|| invalide("structure du gestionnaire"))?;
                let quand = le(aujourd_hui - Duration::days(45));
                let mut tx = self.base.debuter().await?;
                liens_ou_creer(&mut tx, gestionnaire, Some(&acteur), quand).await?;
                for (public, nombres) in [
                    (Public::Parents, PARENTS[n_dep][i]),
                    (Public::Partenaires, PARTENAIRES[n_dep][i]),
                ] {
                    for _ in 0..nombres {
                        numero += 1;
                        let saisie: BTreeMap<String, String> = public
                            .items()
                            .iter()
                            .enumerate()
                            .map(|(k, item)| {
                                (
                                    item.code.to_owned(),
                                    item.choix[choix(numero, k, item.choix.len())]
                                        .code
                                        .to_owned(),
                                )
                            })
                            .collect();
                        let reponse = Reponse::verifier(public, &saisie)?;
                        let jour = aujourd_hui - Duration::days(i64::from(numero % 40));
                        let id =
                            store::depot::prochain_id(&mut tx, "reponses_questionnaires").await?;
                        store::questionnaires::inserer_reponse(
                            &mut tx,
                            id,
                            &reponse,
                            gestionnaire,
                            Some(*d),
                            &format!("{:04}-{:02}", jour.year(), u8::from(jour.month())),
                            &format!("demonstration-{id}"),
                        )
                        .await?;
                    }
                }
                tx.valider().await?;
            }
        }
        Ok(())
    }
}
