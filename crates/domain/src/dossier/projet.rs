//! The projet de fonctionnement a dossier carries (Référentiel national de financement de l'AIP §IV.3: objectives, means with the
//! number of FTE, evaluation, local diagnosis and partners, information of families) and the
//! checks it must pass before it is submitted.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::appel_a_projets::AppelAProjets;
use crate::appel_a_projets::Dispositif;
use crate::dispositifs::ModeDecision;
use crate::experimentation;
use crate::identifiants::LieuId;
use crate::quantites::{Centimes, Etp};
use crate::refus::Refus;
use crate::structures::Cofinanceur;
use crate::texte::{date_fr, vide};

/// One line of a forecast budget.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LigneBudget {
    pub libelle: String,
    pub montant: Centimes,
}

/// The forecast budget of the project for its whole period: charges and resources (including the
/// subsidies requested).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetPrevisionnel {
    pub charges: Vec<LigneBudget>,
    pub produits: Vec<LigneBudget>,
}

impl BudgetPrevisionnel {
    pub fn total_charges(&self) -> Option<Centimes> {
        Centimes::somme(self.charges.iter().map(|l| l.montant))
    }

    pub fn total_produits(&self) -> Option<Centimes> {
        Centimes::somme(self.produits.iter().map(|l| l.montant))
    }

    fn resume(&self) -> String {
        let total = |t: Option<Centimes>| t.map_or_else(|| "?".to_owned(), |c| c.to_string());
        let lignes = |l: &[LigneBudget]| {
            l.iter()
                .map(|l| format!("{} {}", l.libelle, l.montant))
                .collect::<Vec<_>>()
                .join("; ")
        };
        format!(
            "charges {} ({}), produits {} ({})",
            total(self.total_charges()),
            lignes(&self.charges),
            total(self.total_produits()),
            lignes(&self.produits)
        )
    }
}

/// One line of the financing plan: the amount a funder is asked for (Lettre circulaire Cnaf
/// 2012-093 §43: each funder decides its own share; the plan shows what each is asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandeFinancement {
    pub financeur: Cofinanceur,
    pub montant: Centimes,
}

/// The projet de fonctionnement. A draft may be incomplete; submission requires every part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjetFonctionnement {
    pub intitule: String,
    pub objectifs: String,
    /// Means put to work: staff, premises, organisation.
    pub moyens: String,
    /// FTE assigned to the mission (Référentiel national de financement de l'AIP §IV.3 « en précisant le nombre d'ETP »).
    pub etp_demandes: Etp,
    /// The project's period: the convention will last as long (Référentiel national de financement de l'AIP §IV.4).
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub debut: Option<Date>,
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub fin: Option<Date>,
    pub budget: BudgetPrevisionnel,
    pub modalites_evaluation: String,
    /// Local diagnosis of families' needs and of the partner context.
    pub diagnostic_local: String,
    /// The local partner network (Référentiel national de financement de l'AIP §IV.2).
    pub partenaires: Vec<String>,
    /// How families will hear of the service.
    pub information_familles: String,
    /// The places where parents are received.
    pub lieux: Vec<LieuId>,
    /// The financing plan: what each funder is asked for, at most one line per funder.
    #[serde(default)]
    pub plan_financement: Vec<DemandeFinancement>,
}

impl ProjetFonctionnement {
    /// The amount requested from `financeur` in the financing plan, if it is asked.
    pub fn montant_demande(&self, financeur: Cofinanceur) -> Option<Centimes> {
        self.plan_financement
            .iter()
            .find(|d| d.financeur == financeur)
            .map(|d| d.montant)
    }

    /// The total of the financing plan (`None` if too large).
    pub fn total_plan_financement(&self) -> Option<Centimes> {
        Centimes::somme(self.plan_financement.iter().map(|d| d.montant))
    }

    /// The financing plan's own rules: amounts never negative, one line per funder, a total that
    /// can be computed.
    fn verifier_plan(&self, action: &'static str) -> Result<(), Refus> {
        for (rang, demande) in self.plan_financement.iter().enumerate() {
            if demande.montant.est_negatif() {
                return Err(Refus::invalide(
                    action,
                    "un montant demandé dans le plan de financement ne peut pas être négatif",
                ));
            }
            if self.plan_financement[..rang]
                .iter()
                .any(|autre| autre.financeur == demande.financeur)
            {
                return Err(Refus::invalide(
                    action,
                    "le plan de financement demande une seule fois à chaque financeur",
                ));
            }
        }
        if self.total_plan_financement().is_none() {
            return Err(Refus::invalide(
                action,
                "le total du plan de financement est trop grand",
            ));
        }
        Ok(())
    }

    /// Rules that hold even for a draft: no negative amount, a period that ends after it starts,
    /// totals that can be computed.
    pub(crate) fn verifier_coherence(&self, action: &'static str) -> Result<(), Refus> {
        use crate::texte::controler;
        controler(action, "Intitulé du projet", &self.intitule, false)?;
        for (texte, champ) in [
            (&self.objectifs, "Objectifs"),
            (&self.moyens, "Moyens mis en œuvre"),
            (&self.modalites_evaluation, "Modalités d'évaluation"),
            (&self.diagnostic_local, "Diagnostic local des besoins"),
            (&self.information_familles, "Information des familles"),
        ] {
            controler(action, champ, texte, true)?;
        }
        for partenaire in &self.partenaires {
            controler(action, "Partenaire", partenaire, false)?;
        }
        let lignes = self.budget.charges.iter().chain(&self.budget.produits);
        for ligne in lignes.clone() {
            controler(
                action,
                "Libellé de la ligne de budget",
                &ligne.libelle,
                false,
            )?;
        }
        for ligne in lignes {
            if ligne.montant.est_negatif() {
                return Err(Refus::invalide(
                    action,
                    format!(
                        "la ligne de budget « {} » a un montant négatif",
                        ligne.libelle
                    ),
                ));
            }
            if vide(&ligne.libelle) {
                return Err(Refus::invalide(
                    action,
                    "chaque ligne de budget a un libellé",
                ));
            }
        }
        self.verifier_plan(action)?;
        if self.budget.total_charges().is_none() || self.budget.total_produits().is_none() {
            return Err(Refus::invalide(
                action,
                "les totaux du budget sont trop grands",
            ));
        }
        if let (Some(debut), Some(fin)) = (self.debut, self.fin)
            && debut > fin
        {
            return Err(Refus::invalide(
                action,
                format!(
                    "le projet finit ({}) avant de commencer ({})",
                    date_fr(fin),
                    date_fr(debut)
                ),
            ));
        }
        Ok(())
    }

    /// The parts still to fill before submitting a project of `dispositif`: those of
    /// [`ProjetFonctionnement::a_completer`], except the number of FTE where the comité decides by
    /// amount (the FTE are the AIP's measure, Référentiel national de financement de l'AIP
    /// §IV.3).
    ///
    /// **Interpretation**: the financing plan is not required at submission; the texts ask the
    /// comité to examine the requests jointly (Lettre circulaire Cnaf 2012-093 §43) without
    /// setting a form for them, and the forecast budget already lists the subsidies requested.
    pub fn a_completer_pour(&self, dispositif: Dispositif) -> Vec<&'static str> {
        let mut manquants = self.a_completer();
        if dispositif.regles().decision == ModeDecision::MontantParFinanceur {
            manquants.retain(|m| *m != "nombre d'ETP");
        }
        manquants
    }

    /// The parts still to fill before submission (Référentiel national de financement de l'AIP §IV.3).
    pub fn a_completer(&self) -> Vec<&'static str> {
        let mut manquants = Vec::new();
        let textes = [
            (&self.intitule, "intitulé"),
            (&self.objectifs, "objectifs"),
            (&self.moyens, "moyens mis en œuvre"),
            (&self.modalites_evaluation, "modalités d'évaluation"),
            (&self.diagnostic_local, "diagnostic local des besoins"),
            (&self.information_familles, "information des familles"),
        ];
        for (texte, nom) in textes {
            if vide(texte) {
                manquants.push(nom);
            }
        }
        if self.etp_demandes.est_zero() {
            manquants.push("nombre d'ETP");
        }
        if self.debut.is_none() || self.fin.is_none() {
            manquants.push("période du projet");
        }
        if self.budget.charges.is_empty() || self.budget.produits.is_empty() {
            manquants.push("budget prévisionnel (charges et produits)");
        }
        if self.partenaires.iter().all(|p| vide(p)) {
            manquants.push("partenaires");
        }
        if self.lieux.is_empty() {
            manquants.push("lieux d'accueil");
        }
        manquants
    }

    /// Rules checked at submission, once complete: the period within the call's (and, for the
    /// AIP, the experiment's: Référentiel national de financement de l'AIP §IV.4), at least the minimum FTE the Caf finances (AIP:
    /// 0.25, Référentiel national de financement de l'AIP §V), and a balanced budget.
    ///
    /// **Interpretation**: a forecast budget is balanced (charges = produits, the requested
    /// subsidies included), as on every French subsidy application form (Cerfa n°12156).
    pub(crate) fn verifier_depot(
        &self,
        action: &'static str,
        appel: &AppelAProjets,
    ) -> Result<(), Refus> {
        let mut refus = Vec::new();
        let manquants = self.a_completer_pour(appel.dispositif);
        if !manquants.is_empty() {
            refus.push(Refus::Incomplet {
                action,
                champs: manquants,
            });
        }
        if let Err(r) = self.verifier_coherence(action) {
            refus.push(r);
        }
        if let (Some(debut), Some(fin)) = (self.debut, self.fin) {
            if !appel.couvre(debut, fin) {
                refus.push(Refus::sur_champ(
                    action,
                    "debut",
                    format!(
                        "la période du projet doit rester dans celle de l'appel à projets, du {} au {}",
                        date_fr(appel.debut_periode),
                        date_fr(appel.fin_periode)
                    ),
                ));
            } else if appel.dispositif.regles().experimentation_aip
                && !(experimentation::dans_la_periode(debut)
                    && experimentation::dans_la_periode(fin))
            {
                refus.push(Refus::sur_champ(
                    action,
                    "fin",
                    "un projet AIP ne peut pas dépasser la période de l'expérimentation (2024-2025)",
                ));
            }
        }
        if appel.dispositif.regles().experimentation_aip
            && !self.etp_demandes.est_zero()
            && self.etp_demandes < experimentation::ETP_MINIMUM
        {
            refus.push(Refus::sur_champ(
                action,
                "etp_demandes",
                format!(
                    "la Caf finance au moins {} ETP (demandé : {})",
                    experimentation::ETP_MINIMUM,
                    self.etp_demandes
                ),
            ));
        }
        let budget_saisi = !self.budget.charges.is_empty() && !self.budget.produits.is_empty();
        if budget_saisi && self.budget.total_charges() != self.budget.total_produits() {
            refus.push(Refus::sur_champ(
                action,
                "budget",
                format!(
                    "le budget prévisionnel doit être équilibré: {}",
                    self.budget.resume()
                ),
            ));
        }
        Refus::ensemble(action, refus)
    }

    /// The fields that differ from `avant`, as text, for the audit.
    pub(crate) fn differences(
        &self,
        avant: &ProjetFonctionnement,
    ) -> Vec<(&'static str, String, String)> {
        let mut d = Vec::new();
        let mut comparer = |champ: &'static str, a: String, b: String| {
            if a != b {
                d.push((champ, a, b));
            }
        };
        let date = |x: Option<Date>| x.map(date_fr).unwrap_or_default();
        let liste = |l: &[String]| l.join("; ");
        let lieux = |l: &[LieuId]| {
            l.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        comparer("intitule", avant.intitule.clone(), self.intitule.clone());
        comparer("objectifs", avant.objectifs.clone(), self.objectifs.clone());
        comparer("moyens", avant.moyens.clone(), self.moyens.clone());
        comparer(
            "etp_demandes",
            avant.etp_demandes.to_string(),
            self.etp_demandes.to_string(),
        );
        comparer("debut", date(avant.debut), date(self.debut));
        comparer("fin", date(avant.fin), date(self.fin));
        comparer("budget", avant.budget.resume(), self.budget.resume());
        comparer(
            "modalites_evaluation",
            avant.modalites_evaluation.clone(),
            self.modalites_evaluation.clone(),
        );
        comparer(
            "diagnostic_local",
            avant.diagnostic_local.clone(),
            self.diagnostic_local.clone(),
        );
        comparer(
            "partenaires",
            liste(&avant.partenaires),
            liste(&self.partenaires),
        );
        comparer(
            "information_familles",
            avant.information_familles.clone(),
            self.information_familles.clone(),
        );
        comparer("lieux", lieux(&avant.lieux), lieux(&self.lieux));
        let plan = |p: &[DemandeFinancement]| {
            p.iter()
                .map(|d| match d.financeur {
                    Cofinanceur::Caf => format!("Caf {}", d.montant),
                    Cofinanceur::Partenaire(f) => format!("financeur {f} {}", d.montant),
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        comparer(
            "plan_financement",
            plan(&avant.plan_financement),
            plan(&self.plan_financement),
        );
        d
    }
}

impl ProjetFonctionnement {
    /// For an AIP project, the most the Caf would commit each year: the FTE requested × the
    /// ceiling price per FTE and year × the subsidy rate (Référentiel national de financement de
    /// l'AIP §VI.1), read from the parameters of the exercise the project starts in, rounded to
    /// the cent; `None` when it cannot be valued (no start date, no parameter in force).
    ///
    /// **Interpretation**: the comité's agenda compares this ceiling, not a computed subsidy, with
    /// what remains of the Caf's allocation: the real subsidy is computed from the declarations.
    pub fn montant_aip_maximal(
        &self,
        parametres: &referentiel::parametres::Parametres,
    ) -> Option<Centimes> {
        let debut = self.debut?;
        let prm = referentiel::aip::ParametresAip::pour_exercice(parametres, debut.year()).ok()?;
        let etp =
            referentiel::exact::Decimal::new(i128::from(self.etp_demandes.dix_milliemes()), 4)
                .ok()?;
        let centimes = etp
            .ratio()
            .mul(prm.prix_plafond.valeur.valeur.ratio())
            .ok()?
            .mul(prm.taux_subvention.valeur.valeur.ratio())
            .ok()?
            .arrondi(2)
            .ok()?;
        i64::try_from(centimes).ok().map(Centimes::new)
    }
}
