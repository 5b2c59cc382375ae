//! The retention job: once a day (and on demand with `parentalite conservation`), each category
//! of personal data is erased past its retention period read from the dated parameters, at the
//! instant the caller gives (a controlled clock in tests). Each run writes one audit line per
//! category with the period, the limit and the count erased: never any content.

use domain::conservation::{self, ACTION_AUDIT, Categorie, ENTITE_AUDIT, Passage};
use store::audit::{self, NouvelEvenement};
use store::conservation as sql;
use time::{Date, OffsetDateTime};

use crate::Plateforme;
use crate::erreur::ErreurApp;

/// The retention period of a category, as the register shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DureeDeConservation {
    pub categorie: Categorie,
    pub mois: u32,
    /// The parameter's description and source, from its file.
    pub description: String,
    pub source: String,
}

impl Plateforme {
    /// The retention period of `categorie` in force on `date`, in months.
    pub fn duree_de_conservation(
        &self,
        categorie: Categorie,
        date: Date,
    ) -> Result<DureeDeConservation, ErreurApp> {
        if categorie == Categorie::DemandesContact {
            // The contact requests keep their own parameter (and default) as their one source.
            let mois = self.conservation_demandes_mois(date);
            let (description, source) = self
                .parametres
                .valeur(categorie.parametre(), date)
                .map(|v| {
                    (
                        v.parametre.description.clone(),
                        format!("{}, {}", v.valeur.source.texte, v.valeur.source.paragraphe),
                    )
                })
                .unwrap_or_default();
            return Ok(DureeDeConservation {
                categorie,
                mois,
                description,
                source,
            });
        }
        let v = self
            .parametres
            .valeur(categorie.parametre(), date)
            .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
        let mois = v
            .valeur
            .valeur
            .to_string()
            .parse::<u32>()
            .ok()
            .filter(|m| *m > 0)
            .ok_or_else(|| {
                ErreurApp::Calcul(format!(
                    "{} : durée de conservation invalide ({})",
                    categorie.parametre(),
                    v.valeur.valeur
                ))
            })?;
        Ok(DureeDeConservation {
            categorie,
            mois,
            description: v.parametre.description.clone(),
            source: format!("{}, {}", v.valeur.source.texte, v.valeur.source.paragraphe),
        })
    }

    /// Every retention period in force on `date`.
    pub fn durees_de_conservation(
        &self,
        date: Date,
    ) -> Result<Vec<DureeDeConservation>, ErreurApp> {
        Categorie::TOUTES
            .iter()
            .map(|c| self.duree_de_conservation(*c, date))
            .collect()
    }

    /// Erases, at `maintenant`, the personal data of every category past its retention period;
    /// one audit line per category. Running it again the same day erases nothing more.
    pub async fn appliquer_conservation(
        &self,
        maintenant: OffsetDateTime,
    ) -> Result<Vec<Passage>, ErreurApp> {
        let mut passages = Vec::with_capacity(Categorie::TOUTES.len());
        for categorie in Categorie::TOUTES {
            let mois = self
                .duree_de_conservation(categorie, maintenant.date())?
                .mois;
            let limite = conservation::limite(maintenant, mois);
            let purgees = if categorie == Categorie::DemandesContact {
                // Each request's end was fixed when it was received; one audit event each.
                Some(self.purger_demandes_contact(maintenant).await?.len() as u64)
            } else {
                None
            };
            let mut tx = self.base.debuter().await?;
            let effaces = match categorie {
                Categorie::DemandesContact => purgees.unwrap_or_default(),
                Categorie::TextesLibresEntretiens => {
                    sql::effacer_textes_entretiens(&mut tx, limite.date()).await?
                }
                Categorie::EchecsConnexion => {
                    sql::effacer_echecs_connexion(&mut tx, limite.unix_timestamp()).await?
                }
                Categorie::CorpsCourriels => {
                    sql::effacer_corps_courriels(&mut tx, limite.unix_timestamp()).await?
                }
            };
            let passage = Passage {
                categorie,
                mois,
                limite,
                effaces,
            };
            audit::ajouter(
                &mut tx,
                NouvelEvenement {
                    horodatage: maintenant,
                    acteur_id: None,
                    role: None,
                    entite: ENTITE_AUDIT.to_owned(),
                    entite_id: categorie.numero(),
                    action: ACTION_AUDIT.to_owned(),
                    etat_avant: None,
                    etat_apres: None,
                    description: passage.description(),
                    changements: "[]".to_owned(),
                    avant: None,
                    apres: None,
                },
            )
            .await?;
            tx.valider().await?;
            passages.push(passage);
        }
        Ok(passages)
    }
}
