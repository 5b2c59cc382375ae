//! The three declarations of an exercise and the annual bilan: entered by the gestionnaire, sent,
//! then validated by the Caf (or sent back with a reason). Validating a declaration lets the
//! domain compute its right and freeze it in the declaration with its trace; it is written with
//! the declaration and its audit event in one transaction, and read, never recomputed, downstream.

use domain::acces::Acteur;
use domain::convention::Convention;
use domain::declaration::{
    Bilan, ContenuBilan, Declaration, DonneesDeclaration, DroitFige, EtpValides, NatureDeclaration,
    Piece, Retard, retards,
};
use domain::identifiants::{BilanId, ConventionId, DeclarationId};
use domain::paiement::Paiement;
use domain::structures::{EtpPortes, Intervenant};
use referentiel::aip::{CalendrierAip, ParametresAip};
use referentiel::conformite::SeuilsActivite;
use store::depot::{self, Lu};
use store::{Tx, Valeur};
use time::{Date, OffsetDateTime};

use super::{creer, ecrire};
use crate::Plateforme;
use crate::acces::{Filtre, peut_voir};
use crate::erreur::ErreurApp;

/// A transition of a declaration or a bilan.
#[derive(Debug, Clone)]
pub enum ActionTransmission {
    Transmettre,
    Valider,
    /// A réelle validated with the « ETP validés » the Caf retains, fewer than declared (a bilan
    /// refuses it).
    ValiderEtp(EtpValides),
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

/// The declarations (or, with `bilan`, the bilan) a convention's scheme has: the AIP's
/// (Référentiel national de financement de l'AIP §VI.2); none for a scheme paid by instalments
/// (see `domain::dispositifs`).
fn exiger_declarations_aip(
    convention: &Convention,
    action: &'static str,
    bilan: bool,
) -> Result<(), ErreurApp> {
    let regles = convention.dispositif.regles();
    let prevu = if bilan {
        regles.bilan
    } else {
        regles.declarations_aip
    };
    if prevu {
        return Ok(());
    }
    Err(ErreurApp::Refus(domain::Refus::condition(
        action,
        format!(
            "une convention {} n'a ni déclarations ni bilan dans l'application : ses versements suivent son échéancier",
            convention.dispositif.libelle()
        ),
    )))
}

impl Plateforme {
    /// The FTE the qualified salaried intervenants of the convention's gestionnaire carry over
    /// the months of operation of `exercice`.
    pub(crate) async fn etp_portes_tx(
        &self,
        tx: &mut Tx,
        convention: &Convention,
        exercice: i32,
        mois_fonctionnement: u8,
        aujourd_hui: Date,
    ) -> Result<EtpPortes, ErreurApp> {
        let intervenants: Vec<Intervenant> = depot::lister::<Intervenant>(
            tx,
            "gestionnaire_id = $1",
            &[convention.gestionnaire.0.into()],
            "id",
        )
        .await?
        .into_iter()
        .map(|l| l.valeur)
        .collect();
        let seuils = SeuilsActivite::pour_exercice(&self.parametres, exercice)
            .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
        Ok(EtpPortes::calculer(
            &intervenants,
            convention,
            exercice,
            mois_fonctionnement,
            &seuils,
            aujourd_hui,
        ))
    }

    /// What the intervenants carry for a declaration, for the pages that show it beside the
    /// FTE declared (same access as the declaration).
    pub async fn etp_portes_declaration(
        &self,
        acteur: &Acteur,
        id: DeclarationId,
        aujourd_hui: Date,
    ) -> Result<EtpPortes, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let d = depot::lire::<Declaration>(&mut tx, id.0).await?;
        if !peut_voir(acteur, d.valeur.departement, d.valeur.gestionnaire) {
            return Err(ErreurApp::Interdit(format!(
                "la déclaration n°{} n'est pas de votre territoire",
                d.valeur.id
            )));
        }
        let c = depot::lire::<Convention>(&mut tx, d.valeur.convention.0).await?;
        let portes = self
            .etp_portes_tx(
                &mut tx,
                &c.valeur,
                d.valeur.exercice,
                d.valeur.donnees.mois_fonctionnement,
                aujourd_hui,
            )
            .await?;
        tx.valider().await?;
        Ok(portes)
    }

    pub async fn saisir_declaration(
        &self,
        acteur: &Acteur,
        convention: ConventionId,
        exercice: i32,
        nature: NatureDeclaration,
        donnees: DonneesDeclaration,
        quand: OffsetDateTime,
    ) -> Result<Lu<Declaration>, ErreurApp> {
        self.saisir_declaration_justifiee(
            acteur, convention, exercice, nature, donnees, None, quand,
        )
        .await
    }

    /// The same, with the reason the activity differs from the sessions recorded, if it does.
    #[allow(clippy::too_many_arguments)]
    pub async fn saisir_declaration_justifiee(
        &self,
        acteur: &Acteur,
        convention: ConventionId,
        exercice: i32,
        nature: NatureDeclaration,
        donnees: DonneesDeclaration,
        ecart: Option<domain::declaration::EcartActivite>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Declaration>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let c = depot::lire::<Convention>(&mut tx, convention.0).await?;
        exiger_declarations_aip(&c.valeur, "Saisir une déclaration", false)?;
        let id = DeclarationId(depot::prochain_id(&mut tx, "declarations").await?);
        let t = Declaration::saisir_justifiee(
            id, acteur, &c.valeur, exercice, nature, donnees, ecart, quand,
        )?;
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
        let t = match action {
            ActionTransmission::Transmettre => {
                let calendrier = CalendrierAip::pour_exercice(&self.parametres, d.exercice)
                    .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
                let c = depot::lire::<Convention>(&mut tx, d.convention.0).await?;
                let portes = self
                    .etp_portes_tx(
                        &mut tx,
                        &c.valeur,
                        d.exercice,
                        d.donnees.mois_fonctionnement,
                        quand.date(),
                    )
                    .await?;
                d.transmettre(acteur, &calendrier, &portes, quand)?
            }
            ActionTransmission::Renvoyer(motif) => d.renvoyer(acteur, &motif, quand)?,
            ActionTransmission::Valider | ActionTransmission::ValiderEtp(_) => {
                let etp_valides = match action {
                    ActionTransmission::ValiderEtp(v) => Some(v),
                    _ => None,
                };
                let c = depot::lire::<Convention>(&mut tx, d.convention.0).await?;
                let paiements = paiements_convention(&mut tx, d.convention).await?;
                let p = ParametresAip::pour_exercice(&self.parametres, d.exercice)
                    .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
                d.valider_etp(acteur, &c.valeur, &p, &paiements, etp_valides, quand)?
            }
        };
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// The right a declaration not yet validated would get if the Caf validated it now as it
    /// stands: computed by the domain exactly as at validation, with the payments made so far,
    /// and not frozen (nothing is written). `None` once validated: its frozen right is the one.
    pub async fn droit_estime(
        &self,
        acteur: &Acteur,
        id: DeclarationId,
        quand: OffsetDateTime,
    ) -> Result<Option<DroitFige>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let d = depot::lire::<Declaration>(&mut tx, id.0).await?.valeur;
        if !peut_voir(acteur, d.departement, d.gestionnaire) {
            return Err(ErreurApp::Interdit(format!(
                "la déclaration n°{} n'est pas de votre territoire",
                d.id
            )));
        }
        if d.droit.is_some() {
            tx.valider().await?;
            return Ok(None);
        }
        let c = depot::lire::<Convention>(&mut tx, d.convention.0).await?;
        let paiements = paiements_convention(&mut tx, d.convention).await?;
        tx.valider().await?;
        let p = ParametresAip::pour_exercice(&self.parametres, d.exercice)
            .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
        Ok(Some(DroitFige::calculer(
            "Estimer le droit",
            &d,
            &c.valeur,
            &p,
            &paiements,
            None,
            quand,
        )?))
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
        exiger_declarations_aip(&c.valeur, "Saisir le bilan", true)?;
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
            ActionTransmission::Transmettre => {
                let calendrier = CalendrierAip::pour_exercice(&self.parametres, b.exercice)
                    .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
                b.transmettre(acteur, &calendrier, quand)?
            }
            ActionTransmission::Valider => b.valider(acteur, quand)?,
            ActionTransmission::ValiderEtp(_) => {
                return Err(ErreurApp::Refus(domain::refus::Refus::Invalide {
                    action: "Valider le bilan",
                    raison: "les ETP validés se fixent sur la déclaration réelle, pas sur le bilan"
                        .to_owned(),
                }));
            }
            ActionTransmission::Renvoyer(motif) => b.renvoyer(acteur, &motif, quand)?,
        };
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// The declarations and bilans late on `aujourd_hui` under the conventions a user may see,
    /// each with its convention, oldest deadline first (see `domain::declaration::retards`).
    pub async fn retards(
        &self,
        acteur: &Acteur,
        aujourd_hui: Date,
    ) -> Result<Vec<(Convention, Retard)>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let f = Filtre::pour(acteur, "departement", "gestionnaire_id");
        let conventions: Vec<Lu<Convention>> =
            depot::lister(&mut tx, &f.condition, &f.params, "id").await?;
        let declarations: Vec<Declaration> =
            depot::lister::<Declaration>(&mut tx, &f.condition, &f.params, "id")
                .await?
                .into_iter()
                .map(|l| l.valeur)
                .collect();
        let bilans: Vec<Bilan> = depot::lister::<Bilan>(&mut tx, &f.condition, &f.params, "id")
            .await?
            .into_iter()
            .map(|l| l.valeur)
            .collect();
        tx.annuler().await?;
        let calendrier = |exercice| CalendrierAip::pour_exercice(&self.parametres, exercice).ok();
        let mut liste: Vec<(Convention, Retard)> = conventions
            .into_iter()
            // Only a scheme with declarations owes them (`domain::dispositifs`).
            .filter(|c| c.valeur.dispositif.regles().declarations_aip)
            .flat_map(|c| {
                let en_retard = retards(&c.valeur, &declarations, &bilans, calendrier, aujourd_hui);
                en_retard.into_iter().map(move |r| (c.valeur.clone(), r))
            })
            .collect();
        liste.sort_by_key(|(c, r)| (r.echeance, c.id.0));
        Ok(liste)
    }

    /// A Caf agent reminds the gestionnaire of a piece late on `quand`: the reminder is posted in
    /// the thread of the convention's dossier (flagged unread on the gestionnaire's home page).
    /// Refused when the piece is not late, or for another département's convention.
    pub async fn relancer(
        &self,
        acteur: &Acteur,
        auteur: &str,
        convention: ConventionId,
        exercice: i32,
        piece: Piece,
        quand: OffsetDateTime,
    ) -> Result<crate::cas::messages::Message, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let c = depot::lire::<Convention>(&mut tx, convention.0)
            .await?
            .valeur;
        let condition = "convention_id = $1";
        let declarations: Vec<Declaration> =
            depot::lister::<Declaration>(&mut tx, condition, &[convention.0.into()], "id")
                .await?
                .into_iter()
                .map(|l| l.valeur)
                .collect();
        let bilans: Vec<Bilan> =
            depot::lister::<Bilan>(&mut tx, condition, &[convention.0.into()], "id")
                .await?
                .into_iter()
                .map(|l| l.valeur)
                .collect();
        tx.annuler().await?;
        let calendrier = |e| CalendrierAip::pour_exercice(&self.parametres, e).ok();
        let retard = retards(&c, &declarations, &bilans, calendrier, quand.date())
            .into_iter()
            .find(|r| r.exercice == exercice && r.piece == piece)
            .ok_or_else(|| domain::refus::Refus::Condition {
                action: "Relancer le gestionnaire",
                raison: format!(
                    "« {} {exercice} » de la convention {} n'est pas en retard",
                    piece.libelle(),
                    c.numero
                ),
            })?;
        let texte = retard.relance(acteur, &c)?;
        self.ecrire_message_et_relancer(
            acteur,
            auteur,
            c.dossier,
            &texte,
            false,
            Some((&c, piece, exercice)),
            quand,
        )
        .await
    }
}
