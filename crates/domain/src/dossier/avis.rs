//! The opinions (avis) the partner funders give on a dossier placed on the comité's agenda, before
//! the comité decides; each funder's decision comes after it ([`crate::decision`]).
//!
//! Lettre circulaire Cnaf n° 2012-093, §43: the comité des financeurs « pourrait être chargé
//! d'examiner conjointement les demandes de financements pour les différents dispositifs afin de
//! veiller à la cohérence des financements apportés […]. Chaque financeur doit en effet rester
//! maître des règles d'attribution de ses crédits. »
//!
//! **Interpretation**: an opinion is what the funder brings to the comité (favourable, with
//! reservations, unfavourable, and the amount it considers), not a decision: it commits nothing
//! and can be given again, replacing the previous one, until the comité decides. It is shared with
//! the Caf and the other funders of the comité, not with the applicant. Who may give one and when
//! is the guard of [`ActionDossier::DonnerAvis`].

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Dossier;
use super::actions::ActionDossier;
use crate::acces::{Acteur, Role};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::identifiants::{FinanceurId, UtilisateurId};
use crate::quantites::Centimes;
use crate::refus::Refus;
use crate::structures::Financeur;
use crate::texte::TexteLibre;

/// What a funder thinks of a project before the comité.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensAvis {
    Favorable,
    /// Favourable if conditions are met, named in the comment.
    Reserve,
    Defavorable,
}

impl SensAvis {
    pub const TOUS: [SensAvis; 3] = [
        SensAvis::Favorable,
        SensAvis::Reserve,
        SensAvis::Defavorable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SensAvis::Favorable => "favorable",
            SensAvis::Reserve => "reserve",
            SensAvis::Defavorable => "defavorable",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            SensAvis::Favorable => "favorable",
            SensAvis::Reserve => "favorable avec réserves",
            SensAvis::Defavorable => "défavorable",
        }
    }

    pub fn depuis_code(code: &str) -> Option<SensAvis> {
        SensAvis::TOUS.into_iter().find(|s| s.code() == code)
    }
}

/// What a funder types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisieAvis {
    pub sens: SensAvis,
    /// The amount the funder considers for its own share, if it says one.
    pub montant_envisage: Option<Centimes>,
    /// Required unless the opinion is favourable: the reservations or the reasons.
    pub commentaire: String,
}

/// A funder's opinion as recorded on the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvisFinanceur {
    pub financeur: FinanceurId,
    pub sens: SensAvis,
    pub montant_envisage: Option<Centimes>,
    pub commentaire: String,
    pub donne_par: UtilisateurId,
    #[serde(with = "crate::serde_dates::instant")]
    pub donne_le: OffsetDateTime,
}

impl Dossier {
    /// Records `financeur`'s opinion on this dossier, replacing the one it gave before. Only an
    /// agent of that funder, in the dossier's département, while the dossier is on the comité's
    /// agenda (« présenté en comité »).
    pub fn donner_avis(
        &self,
        acteur: &Acteur,
        financeur: &Financeur,
        saisie: SaisieAvis,
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        const ACTION: &str = "Donner l'avis du financeur";
        self.garde(acteur, ActionDossier::DonnerAvis)?;
        if acteur.financeur != Some(financeur.id) || financeur.departement != self.departement {
            return Err(Refus::Financeur { action: ACTION });
        }
        let commentaire = saisie.commentaire.trim();
        let commentaire = if commentaire.is_empty() {
            if saisie.sens != SensAvis::Favorable {
                return Err(Refus::sur_champ(
                    ACTION,
                    "commentaire",
                    "un avis réservé ou défavorable dit ses réserves ou ses raisons",
                ));
            }
            String::new()
        } else {
            TexteLibre::long("commentaire", commentaire)
                .map_err(|e| Refus::sur_champ(ACTION, "commentaire", e.to_string()))?
                .into_inner()
        };
        if let Some(m) = saisie.montant_envisage
            && m.centimes() < 0
        {
            return Err(Refus::sur_champ(
                ACTION,
                "montant_envisage",
                "le montant envisagé ne peut pas être négatif",
            ));
        }
        let avis = AvisFinanceur {
            financeur: financeur.id,
            sens: saisie.sens,
            montant_envisage: saisie.montant_envisage,
            commentaire,
            donne_par: acteur.id,
            donne_le: quand,
        };
        let precedent = self.avis_de(financeur.id).map(|a| a.sens.libelle());
        let mut apres = self.clone();
        apres
            .avis_financeurs
            .retain(|a| a.financeur != financeur.id);
        apres.avis_financeurs.push(avis);
        apres.version += 1;
        let audit = Audit::nouveau(
            TypeEntite::Dossier,
            self.id.0,
            "donner_avis",
            acteur,
            quand,
            format!(
                "avis {} de {} avant le comité",
                saisie.sens.libelle(),
                financeur.nom
            ),
        )
        .changement(
            "avis_financeur",
            precedent.map(str::to_owned),
            Some(saisie.sens.libelle().to_owned()),
        );
        Ok(Transition { apres, audit })
    }

    /// The dossier as `acteur` may read it: the applicant's side (gestionnaire, intervenant)
    /// does not see the funders' opinions.
    pub fn pour_lecteur(mut self, acteur: &Acteur) -> Dossier {
        if matches!(acteur.role, Role::Gestionnaire | Role::Intervenant) {
            self.avis_financeurs.clear();
        }
        self
    }

    /// The opinion `financeur` gave, if any.
    pub fn avis_de(&self, financeur: FinanceurId) -> Option<&AvisFinanceur> {
        self.avis_financeurs
            .iter()
            .find(|a| a.financeur == financeur)
    }
}
