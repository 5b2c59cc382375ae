//! Recording one session: who may, what is checked (Référentiel national de financement de l'AIP §II.3), and the one transaction
//! that stores it, updates every aggregate and appends its audit event.

use domain::acces::Acteur;
use domain::identifiants::{GestionnaireId, IntervenantId, LieuId};
use serde::Serialize;
use store::Tx;
use store::activite::{cles, entretiens, structures};
use store::audit::{self, NouvelEvenement};
use time::{Date, Month, OffsetDateTime};

use crate::SuiviActivite;
use crate::acces::{ACTION_SAISIE, departement_de, exiger_lecture, exiger_saisie, verrouiller};
use crate::agregats::maintenance;
use crate::dates::date_fr;
use crate::entretien::{
    Entretien, EntretienValide, SaisieEntretien, cle_naturelle, premier_probleme, texte_libre,
    verifier_champs,
};
use crate::erreur::ErreurActivite;
use crate::nomenclature::{Ensemble, Modalite};
use crate::pseudonyme::{IdentifiantFamille, cle_de_la_structure};
use crate::regles::{self, Avertissement};
use crate::stockage;

/// What recording a session did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enregistre {
    pub entretien: Entretien,
    /// `false`: the same session was already stored (same natural key); nothing was written.
    pub nouveau: bool,
    /// The family's number of sessions at this structure in the session's year, this one
    /// included.
    pub seances_famille_annee: i64,
    pub avertissements: Vec<Avertissement>,
}

/// An intervenant or a place must belong to the structure.
async fn verifier_rattachement(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    intervenant: Option<IntervenantId>,
    lieu: Option<LieuId>,
) -> Result<(), ErreurActivite> {
    if let Some(IntervenantId(id)) = intervenant {
        let proprietaire = structures::structure_de_l_intervenant(tx, id).await?;
        exiger_de_la_structure(gestionnaire, proprietaire, "intervenant", id, "intervenant")?;
    }
    if let Some(LieuId(id)) = lieu {
        let proprietaire = structures::structure_du_lieu(tx, id).await?;
        exiger_de_la_structure(gestionnaire, proprietaire, "lieu", id, "lieu d'accueil")?;
    }
    Ok(())
}

/// Refuses the field `champ` when the record `id` it names does not belong to the structure.
fn exiger_de_la_structure(
    gestionnaire: GestionnaireId,
    proprietaire: Option<i64>,
    champ: &'static str,
    id: i64,
    quoi: &str,
) -> Result<(), ErreurActivite> {
    if proprietaire != Some(gestionnaire.0) {
        return Err(ErreurActivite::champ(
            champ,
            format!("n°{id} n'est pas un {quoi} de la structure"),
        ));
    }
    Ok(())
}

fn bornes(exercice: i32) -> Result<(Date, Date), ErreurActivite> {
    let hors = |_| ErreurActivite::champ("exercice", format!("{exercice} hors calendrier"));
    Ok((
        Date::from_calendar_date(exercice, Month::January, 1).map_err(hors)?,
        Date::from_calendar_date(exercice, Month::December, 31).map_err(hors)?,
    ))
}

impl SuiviActivite {
    /// Records a session. Référentiel national de financement de l'AIP §II.3: from the 6th session of a family in a year, the
    /// reason of the exception is required (refused without it, accepted with a warning with
    /// it); a first contact at a distance and a structure behind its activity target (§V) are
    /// warnings. Recording the same session twice stores it once.
    pub async fn enregistrer(
        &self,
        acteur: &Acteur,
        saisie: SaisieEntretien,
        quand: OffsetDateTime,
    ) -> Result<Enregistre, ErreurActivite> {
        let g = saisie.gestionnaire;
        exiger_saisie(acteur, g, ACTION_SAISIE)?;
        let motif = texte_libre(saisie.motif_exception.as_deref());
        let reference = texte_libre(saisie.reference.as_deref());
        let mut problemes = Vec::new();
        verifier_champs(
            saisie.date,
            quand.date(),
            saisie.duree_minutes,
            motif.as_deref(),
            reference.as_deref(),
            Some(&saisie.famille),
            &mut problemes,
        );
        premier_probleme(problemes)?;
        let exercice = saisie.date.year();
        let maximum = regles::repere_seances(&self.parametres, exercice).map_err(|e| {
            ErreurActivite::champ(
                "date",
                format!("exercice {exercice} non couvert par le référentiel ({e})"),
            )
        })?;

        let mut tx = self.base.debuter().await?;
        let departement = departement_de(&mut tx, g).await?;
        verrouiller(&mut tx, g).await?;
        verifier_rattachement(&mut tx, g, saisie.intervenant, saisie.lieu).await?;
        let famille = cle_de_la_structure(&mut tx, g, quand)
            .await?
            .code(&saisie.famille);
        let sujets = Ensemble::from(&saisie.sujets);
        let orientations = Ensemble::from(&saisie.orientations);
        let cle = cle_naturelle(
            g,
            reference.as_deref(),
            famille,
            saisie.date,
            saisie.duree_minutes,
            saisie.etape,
            saisie.mode,
            saisie.presence,
            sujets,
            orientations,
            saisie.intervenant,
            saisie.lieu,
        );
        let etats = maintenance::charger_familles(&mut tx, g, &[(exercice, famille)]).await?;
        let deja = etats.get(&(exercice, famille)).map_or(0, |e| e.entretiens);
        if let Some(existant) = stockage::par_cle(&mut tx, g, cle).await? {
            let meme = existant.famille == famille
                && existant.date == saisie.date
                && existant.duree_minutes == saisie.duree_minutes
                && existant.etape == saisie.etape
                && existant.mode == saisie.mode
                && existant.presence == saisie.presence;
            if !meme {
                return Err(ErreurActivite::champ(
                    "reference",
                    format!(
                        "déjà utilisée pour l'entretien n°{} du {} : une référence désigne un \
                         seul entretien",
                        existant.id,
                        date_fr(existant.date)
                    ),
                ));
            }
            return Ok(Enregistre {
                entretien: existant,
                nouveau: false,
                seances_famille_annee: deja,
                avertissements: Vec::new(),
            });
        }
        let rang = deja + 1;
        let mut avertissements = Vec::new();
        let exception = rang > maximum;
        if exception {
            if motif.is_none() {
                return Err(ErreurActivite::MotifExceptionRequis {
                    exercice,
                    rang,
                    maximum,
                });
            }
            avertissements.push(regles::constat_au_dela(rang, maximum, exercice).into());
        }
        avertissements.extend(
            regles::constat_premier_contact(saisie.etape, saisie.mode).map(Avertissement::from),
        );
        let valide = EntretienValide {
            famille,
            date: saisie.date,
            duree_minutes: saisie.duree_minutes,
            etape: saisie.etape,
            mode: saisie.mode,
            presence: saisie.presence,
            sujets,
            orientations,
            intervenant: saisie.intervenant,
            lieu: saisie.lieu,
            motif_exception: motif,
            exception,
            cle,
        };
        let id = stockage::inserer_un(&mut tx, g, departement, &valide)
            .await?
            .ok_or_else(|| store::ErreurStore::Donnee("entretien non enregistré".into()))?;
        maintenance::appliquer(&mut tx, g, departement, &etats, &[&valide]).await?;
        avertissements.extend(
            regles::constats_objectif(&mut tx, &self.parametres, g, departement, exercice, quand)
                .await?
                .into_iter()
                .map(Avertissement::from),
        );
        let entretien = Entretien::depuis_valide(id, g, departement, &valide, None);
        audit::ajouter(
            &mut tx,
            NouvelEvenement {
                horodatage: quand,
                acteur_id: Some(acteur.id.0),
                role: Some(acteur.role.code().to_owned()),
                entite: "entretien".to_owned(),
                entite_id: id,
                action: "enregistrer".to_owned(),
                etat_avant: None,
                etat_apres: None,
                description: format!(
                    "entretien du {} ({}, {}, {} min) enregistré : {rang}e de la famille en {exercice}",
                    date_fr(valide.date),
                    valide.etape.code(),
                    valide.mode.code(),
                    valide.duree_minutes
                ),
                changements: "[]".to_owned(),
                avant: None,
                apres: Some(serde_json::to_string(&entretien).map_err(store::ErreurStore::from)?),
            },
        )
        .await?;
        tx.valider().await?;
        Ok(Enregistre {
            entretien,
            nouveau: true,
            seances_famille_annee: rang,
            avertissements,
        })
    }

    /// The `n` latest sessions of a structure in an exercise, latest first, for whoever may see
    /// the structure: what the activity page lists, read backwards along the structure's date
    /// index however many sessions the year holds.
    pub async fn derniers_entretiens(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        exercice: i32,
        n: u32,
    ) -> Result<Vec<Entretien>, ErreurActivite> {
        let (debut, fin) = bornes(exercice)?;
        let mut tx = self.base.lire().await?;
        let departement = departement_de(&mut tx, gestionnaire).await?;
        exiger_lecture(acteur, departement, gestionnaire)?;
        entretiens::derniers_entre(&mut tx, gestionnaire.0, debut, fin, n)
            .await?
            .iter()
            .map(stockage::lire)
            .collect()
    }

    /// The sessions of a structure in an exercise, by date, for whoever may see the structure.
    pub async fn entretiens(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        exercice: i32,
    ) -> Result<Vec<Entretien>, ErreurActivite> {
        let (debut, fin) = bornes(exercice)?;
        let mut tx = self.base.lire().await?;
        let departement = departement_de(&mut tx, gestionnaire).await?;
        exiger_lecture(acteur, departement, gestionnaire)?;
        entretiens::entre(&mut tx, gestionnaire.0, debut, fin)
            .await?
            .iter()
            .map(stockage::lire)
            .collect()
    }

    /// How many sessions a family has had at the structure in an exercise, from the
    /// structure's own identifier (shown before an entry: is a reason going to be needed?).
    /// For the structure's staff only.
    pub async fn seances_de_la_famille(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        famille: &IdentifiantFamille,
        exercice: i32,
    ) -> Result<i64, ErreurActivite> {
        exiger_saisie(acteur, gestionnaire, ACTION_SAISIE)?;
        let mut tx = self.base.debuter().await?;
        let existe = cles::existe(&mut tx, gestionnaire.0).await?;
        if !existe {
            return Ok(0);
        }
        let code = cle_de_la_structure(&mut tx, gestionnaire, OffsetDateTime::UNIX_EPOCH)
            .await?
            .code(famille);
        let etats =
            maintenance::charger_familles(&mut tx, gestionnaire, &[(exercice, code)]).await?;
        Ok(etats.get(&(exercice, code)).map_or(0, |e| e.entretiens))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bornes_d_un_exercice() {
        let (d, f) = bornes(2024).unwrap();
        assert_eq!(date_fr(d), "01/01/2024");
        assert_eq!(date_fr(f), "31/12/2024");
    }
}
