//! The three declarations of an exercise and the annual bilan: entered by the gestionnaire, sent,
//! then validated by the Caf (or sent back with a reason). Validating a declaration computes its
//! right with the référentiel and freezes it with its trace: later edits of other records never
//! change an amount already computed.

use domain::acces::Acteur;
use domain::convention::Convention;
use domain::declaration::{
    Bilan, ContenuBilan, Declaration, DonneesDeclaration, NatureDeclaration,
};
use domain::identifiants::{BilanId, ConventionId, DeclarationId};
use domain::paiement::{Paiement, versements_effectues};
use referentiel::aip::{self, ParametresAip};
use store::depot::{self, Lu};
use store::{Tx, Valeur};
use time::OffsetDateTime;

use super::{creer, ecrire};
use crate::Plateforme;
use crate::acces::{Filtre, peut_voir};
use crate::erreur::ErreurApp;

/// The right computed when a declaration was validated, as frozen in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalculFige {
    pub droit_centimes: i64,
    /// Acompte, charge à payer or solde, by declaration.
    pub suite_centimes: i64,
    /// The trace, as JSON.
    pub trace: String,
}

/// A transition of a declaration or a bilan.
#[derive(Debug, Clone)]
pub enum ActionTransmission {
    Transmettre,
    Valider,
    Renvoyer(String),
}

pub(crate) async fn paiements_convention(
    tx: &mut Tx,
    convention: ConventionId,
) -> Result<Vec<Paiement>, ErreurApp> {
    Ok(
        depot::lister::<Paiement>(tx, "convention_id = $1", &[convention.0.into()], "id")
            .await?
            .into_iter()
            .map(|l| l.valeur)
            .collect(),
    )
}

impl Plateforme {
    pub async fn saisir_declaration(
        &self,
        acteur: &Acteur,
        convention: ConventionId,
        exercice: i32,
        nature: NatureDeclaration,
        donnees: DonneesDeclaration,
        quand: OffsetDateTime,
    ) -> Result<Lu<Declaration>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let c = depot::lire::<Convention>(&mut tx, convention.0).await?;
        let id = DeclarationId(depot::prochain_id(&mut tx, "declarations").await?);
        let t = Declaration::saisir(id, acteur, &c.valeur, exercice, nature, donnees, quand)?;
        let lu = creer(&mut tx, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    pub async fn modifier_declaration(
        &self,
        acteur: &Acteur,
        id: DeclarationId,
        version_lue: Option<i64>,
        donnees: DonneesDeclaration,
        quand: OffsetDateTime,
    ) -> Result<Lu<Declaration>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Declaration>(&mut tx, id.0).await?;
        let c = depot::lire::<Convention>(&mut tx, avant.valeur.convention.0).await?;
        let t = avant.valeur.modifier(acteur, &c.valeur, donnees, quand)?;
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Sends, validates or sends back a declaration. Validation computes the right with the
    /// parameters of the exercise and the payments made so far, and freezes it with its trace.
    pub async fn agir_sur_declaration(
        &self,
        acteur: &Acteur,
        id: DeclarationId,
        version_lue: Option<i64>,
        action: ActionTransmission,
        quand: OffsetDateTime,
    ) -> Result<Lu<Declaration>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Declaration>(&mut tx, id.0).await?;
        let d = &avant.valeur;
        let (t, calcul) = match action {
            ActionTransmission::Transmettre => (d.transmettre(acteur, quand)?, None),
            ActionTransmission::Renvoyer(motif) => (d.renvoyer(acteur, &motif, quand)?, None),
            ActionTransmission::Valider => {
                let t = d.valider(acteur, quand)?;
                let c = depot::lire::<Convention>(&mut tx, d.convention.0).await?;
                let paiements = paiements_convention(&mut tx, d.convention).await?;
                let versements = versements_effectues(&paiements, d.convention, d.exercice)
                    .ok_or_else(|| ErreurApp::Calcul("somme des versements hors limites".into()))?;
                let entree = d.entree_aip(&c.valeur, versements)?;
                let p = ParametresAip::pour_exercice(&self.parametres, d.exercice)
                    .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
                let r = aip::calculer(&p, &entree).map_err(|e| ErreurApp::Calcul(e.to_string()))?;
                let trace = aip::rendu::trace_json(&r.trace(&p)).to_string();
                let vers_i64 = |c: i128| {
                    i64::try_from(c).map_err(|_| ErreurApp::Calcul("montant hors limites".into()))
                };
                (
                    t,
                    Some(CalculFige {
                        droit_centimes: vers_i64(r.montant)?,
                        suite_centimes: vers_i64(r.suite.centimes())?,
                        trace,
                    }),
                )
            }
        };
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        if let Some(c) = calcul {
            tx.executer(
                "UPDATE declarations SET droit_centimes = $1, suite_centimes = $2, calcul = $3 WHERE id = $4",
                &[
                    c.droit_centimes.into(),
                    c.suite_centimes.into(),
                    c.trace.into(),
                    id.0.into(),
                ],
            )
            .await?;
        }
        tx.valider().await?;
        Ok(lu)
    }

    /// The right frozen when the declaration was validated, if it was.
    pub async fn calcul_fige(
        &self,
        acteur: &Acteur,
        id: DeclarationId,
    ) -> Result<Option<CalculFige>, ErreurApp> {
        let d = self.declaration(acteur, id).await?;
        let mut tx = self.base.debuter().await?;
        let l = tx
            .ligne(
                "SELECT droit_centimes, suite_centimes, calcul FROM declarations WHERE id = $1",
                &[d.valeur.id.0.into()],
            )
            .await?;
        let Some(l) = l else { return Ok(None) };
        match (
            l.entier_opt("droit_centimes")?,
            l.entier_opt("suite_centimes")?,
            l.texte_opt("calcul")?,
        ) {
            (Some(droit_centimes), Some(suite_centimes), Some(trace)) => Ok(Some(CalculFige {
                droit_centimes,
                suite_centimes,
                trace,
            })),
            _ => Ok(None),
        }
    }

    pub async fn declaration(
        &self,
        acteur: &Acteur,
        id: DeclarationId,
    ) -> Result<Lu<Declaration>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let d = depot::lire::<Declaration>(&mut tx, id.0).await?;
        if !peut_voir(acteur, d.valeur.departement, d.valeur.gestionnaire) {
            return Err(ErreurApp::Interdit(format!(
                "la déclaration n°{} n'est pas de votre territoire",
                d.valeur.id
            )));
        }
        Ok(d)
    }

    /// The declarations a user may see, optionally of one convention.
    pub async fn declarations(
        &self,
        acteur: &Acteur,
        convention: Option<ConventionId>,
    ) -> Result<Vec<Lu<Declaration>>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let mut f = Filtre::pour(acteur, "departement", "gestionnaire_id");
        if let Some(c) = convention {
            f = f.et("convention_id = $1", vec![Valeur::Entier(c.0)]);
        }
        Ok(depot::lister(&mut tx, &f.condition, &f.params, "exercice, id").await?)
    }

    /// The bilans of a convention the user may see.
    pub async fn bilans(
        &self,
        acteur: &Acteur,
        convention: ConventionId,
    ) -> Result<Vec<Lu<Bilan>>, ErreurApp> {
        self.convention(acteur, convention).await?;
        let mut tx = self.base.debuter().await?;
        Ok(depot::lister(
            &mut tx,
            "convention_id = $1",
            &[convention.0.into()],
            "exercice, id",
        )
        .await?)
    }

    pub async fn saisir_bilan(
        &self,
        acteur: &Acteur,
        convention: ConventionId,
        exercice: i32,
        contenu: ContenuBilan,
        quand: OffsetDateTime,
    ) -> Result<Lu<Bilan>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let c = depot::lire::<Convention>(&mut tx, convention.0).await?;
        let id = BilanId(depot::prochain_id(&mut tx, "bilans").await?);
        let t = Bilan::saisir(id, acteur, &c.valeur, exercice, contenu, quand)?;
        let lu = creer(&mut tx, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    pub async fn agir_sur_bilan(
        &self,
        acteur: &Acteur,
        id: BilanId,
        version_lue: Option<i64>,
        action: ActionTransmission,
        quand: OffsetDateTime,
    ) -> Result<Lu<Bilan>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Bilan>(&mut tx, id.0).await?;
        let b = &avant.valeur;
        let t = match action {
            ActionTransmission::Transmettre => b.transmettre(acteur, quand)?,
            ActionTransmission::Valider => b.valider(acteur, quand)?,
            ActionTransmission::Renvoyer(motif) => b.renvoyer(acteur, &motif, quand)?,
        };
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }
}
