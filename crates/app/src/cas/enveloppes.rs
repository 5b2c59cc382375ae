//! The budget of the experiment: 3 M€ for 2024-2025, an allocation per Caf set by the Cnaf, and
//! what each Caf has committed (the Caf's shares of validated decisions) and paid.

use domain::acces::{Acteur, Role};
use domain::enveloppe::SituationCaf;
use domain::identifiants::CodeDepartement;
use domain::quantites::Centimes;
use store::Tx;
use store::audit::{self, NouvelEvenement};

use crate::Plateforme;
use crate::erreur::ErreurApp;

/// One Caf against its allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SituationEnveloppe {
    pub situation: SituationCaf,
}

fn cle(departement: CodeDepartement) -> String {
    format!("aip:{departement}")
}

/// The situation of a Caf, read in the caller's transaction. Only the AIP's decisions and
/// payments count against the AIP envelope: the other schemes are financed apart
/// (`domain::dispositifs`).
pub(crate) async fn situation_tx(
    tx: &mut Tx,
    departement: CodeDepartement,
) -> Result<SituationCaf, ErreurApp> {
    let allocation = store::enveloppes::allocation(tx, &cle(departement))
        .await?
        .unwrap_or(0);
    let engage = store::enveloppes::engage_aip(tx, departement.as_str()).await?;
    let paye = store::enveloppes::paye_aip(tx, departement.as_str()).await?;
    Ok(SituationCaf {
        departement,
        allocation: Centimes::new(allocation),
        engage: Centimes::new(engage),
        paye: Centimes::new(paye),
    })
}

impl Plateforme {
    /// The Cnaf sets a Caf's allocation.
    pub async fn allouer(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        montant: Centimes,
        quand: time::OffsetDateTime,
    ) -> Result<(), ErreurApp> {
        if acteur.role != Role::Cnaf {
            return Err(ErreurApp::Interdit(
                "seule la Cnaf répartit l'enveloppe nationale entre les Caf".into(),
            ));
        }
        if !domain::experimentation::est_departement_aip(departement) {
            return Err(ErreurApp::Interdit(format!(
                "le département {departement} ne participe pas à l'expérimentation"
            )));
        }
        let mut tx = self.base.debuter().await?;
        let autres = store::enveloppes::allocations_des_autres(&mut tx, &cle(departement)).await?;
        domain::enveloppe::verifier_allocation(montant, Centimes::new(autres))?;
        let avant = store::enveloppes::allocation(&mut tx, &cle(departement)).await?;
        store::enveloppes::allouer(&mut tx, &cle(departement), montant.centimes()).await?;
        audit::ajouter(
            &mut tx,
            NouvelEvenement {
                horodatage: quand,
                acteur_id: Some(acteur.id.0),
                role: Some(acteur.role.code().to_owned()),
                entite: "enveloppe".into(),
                entite_id: departement.as_str().parse().unwrap_or(0),
                action: "allouer".into(),
                etat_avant: None,
                etat_apres: None,
                description: format!("allocation de la Caf {departement}: {montant}"),
                changements: "[]".into(),
                avant: avant.map(|a| a.to_string()),
                apres: Some(montant.centimes().to_string()),
            },
        )
        .await?;
        tx.valider().await?;
        Ok(())
    }

    /// Where each Caf the user may see stands against its allocation.
    pub async fn situations(&self, acteur: &Acteur) -> Result<Vec<SituationEnveloppe>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let mut sortie = Vec::new();
        for code in domain::experimentation::DEPARTEMENTS {
            let Ok(departement) = CodeDepartement::parse(code) else {
                continue;
            };
            let visible = match acteur.role {
                Role::Cnaf => true,
                Role::Caf | Role::Financeur => acteur.departements.contains(&departement),
                _ => false,
            };
            if visible {
                sortie.push(SituationEnveloppe {
                    situation: situation_tx(&mut tx, departement).await?,
                });
            }
        }
        Ok(sortie)
    }
}
