//! Payment runs: the preview of every payment due now in the Caf agent's territory (payee, frozen
//! amount, bank details) with what will not be paid and why; its confirmation, which issues
//! exactly the previewed payments or nothing if what is due changed since; and the runs already
//! confirmed, for their export to the Caf's payment system. Amounts are read from the domain's
//! frozen figures ([`domain::paiement::montant_du`], the convention's échéancier), never
//! recomputed here; the uniqueness of each payment stays the guard against paying twice.

use domain::Refus;
use domain::acces::{Acteur, exiger_role_caf};
use domain::convention::Convention;
use domain::declaration::{Declaration, NatureDeclaration};
use domain::identifiants::{ConventionId, GestionnaireId};
use domain::paiement::{Du, NaturePaiement, Paiement, montant_du};
use domain::quantites::Centimes;
use domain::structures::{CoordonneesBancaires, Gestionnaire};
use sha2::{Digest, Sha256};
use store::depot::{self, Lu};
use time::{Date, OffsetDateTime};

use super::declarations::paiements_convention;
use super::paiements::{Echeance, EnCampagne, ResultatEmission};
use crate::Plateforme;
use crate::acces::Filtre;
use crate::erreur::ErreurApp;

const ACTION_CAMPAGNE: &str = "Préparer une campagne de paiements";

/// A payment the run would issue, with its payee and the amount frozen by the domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneCampagne {
    pub convention: ConventionId,
    pub numero: String,
    pub exercice: i32,
    pub echeance: Echeance,
    pub nature: NaturePaiement,
    /// The amount that moves, never negative; an indu is recovered, not paid.
    pub montant: Centimes,
    pub gestionnaire: GestionnaireId,
    pub raison_sociale: String,
    pub siret: String,
    /// The account to pay into; without it the line is blocked and not issued.
    pub banque: Option<CoordonneesBancaires>,
}

impl LigneCampagne {
    /// The amount from the gestionnaire's side: negative for an indu.
    pub fn montant_signe(&self) -> Centimes {
        match self.nature {
            NaturePaiement::Indu => Centimes::new(-self.montant.centimes()),
            _ => self.montant,
        }
    }
}

/// A payment due that the run will not issue, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonPaye {
    pub convention: ConventionId,
    pub numero: String,
    pub exercice: i32,
    pub echeance: Echeance,
    pub raison: String,
}

/// The preview of a run: every payment due now, and what will not be paid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApercuCampagne {
    pub lignes: Vec<LigneCampagne>,
    pub non_payes: Vec<NonPaye>,
}

impl ApercuCampagne {
    /// The lines the confirmation issues: those with bank details.
    pub fn payables(&self) -> impl Iterator<Item = &LigneCampagne> {
        self.lignes.iter().filter(|l| l.banque.is_some())
    }

    /// The net total of the payable lines (indus deducted).
    pub fn total(&self) -> Centimes {
        Centimes::new(self.payables().map(|l| l.montant_signe().centimes()).sum())
    }

    /// The fingerprint of what the confirmation would issue: SHA-256 of the payable lines,
    /// sorted, each as convention, exercise, échéance, nature, amount in cents and IBAN. It
    /// changes as soon as any of these does.
    pub fn empreinte(&self) -> String {
        let mut lignes: Vec<String> = self
            .payables()
            .map(|l| {
                format!(
                    "{};{};{};{};{};{}",
                    l.convention.0,
                    l.exercice,
                    l.echeance.code(),
                    l.nature.code(),
                    l.montant.centimes(),
                    l.banque.as_ref().map_or("", |b| b.iban.as_str())
                )
            })
            .collect();
        lignes.sort();
        hex::encode(Sha256::digest(lignes.join("\n").as_bytes()))
    }
}

/// The identifier of the run confirmed from a preview: the start of its fingerprint, so that
/// confirming the same preview twice names the same run.
pub fn identifiant_campagne(empreinte: &str) -> String {
    let debut: String = empreinte.chars().take(16).collect();
    format!("C-{debut}")
}

/// What a confirmation did.
#[derive(Debug, Clone)]
pub enum Confirmation {
    /// The previewed payments were issued (those sent back for a new validation are listed).
    Confirmee {
        campagne: String,
        emis: Vec<Paiement>,
        rouvertes: Vec<(Declaration, String)>,
        refus: Vec<(ConventionId, i32, Echeance, Refus)>,
    },
    /// This preview was already confirmed: nothing was paid a second time.
    DejaConfirmee {
        campagne: String,
        paiements: Vec<Paiement>,
    },
    /// What is due changed since the preview (or nothing is payable): nothing was issued.
    Perimee,
}

/// A confirmed run, as listed for export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampagneEmise {
    pub campagne: String,
    pub date: Date,
    pub paiements: Vec<Paiement>,
}

impl CampagneEmise {
    pub fn total(&self) -> Centimes {
        Centimes::new(
            self.paiements
                .iter()
                .map(|p| p.montant_signe().centimes())
                .sum(),
        )
    }
}

impl Plateforme {
    /// The preview of a run for a Caf agent: every payment due on `date` in its territory, with
    /// the amount the domain froze, the payee and its bank details; and what will not be paid
    /// with why (a frozen right that no longer holds, a structure no longer admissible).
    pub async fn apercu_campagne(
        &self,
        acteur: &Acteur,
        date: Date,
    ) -> Result<ApercuCampagne, ErreurApp> {
        exiger_role_caf(acteur, ACTION_CAMPAGNE)?;
        let mut dus = self.paiements_dus(acteur).await?;
        dus.extend(self.versements_dus(acteur, date).await?);
        let mut tx = self.base.lire().await?;
        let mut apercu = ApercuCampagne::default();
        for (convention, exercice, echeance) in dus {
            let c = depot::lire::<Convention>(&mut tx, convention.0).await?;
            let g = depot::lire::<Gestionnaire>(&mut tx, c.valeur.gestionnaire.0).await?;
            let non_paye = |raison: String| NonPaye {
                convention,
                numero: c.valeur.numero.clone(),
                exercice,
                echeance,
                raison,
            };
            if let Err(refus) = g.valeur.admissible(c.valeur.dispositif, ACTION_CAMPAGNE) {
                apercu.non_payes.push(non_paye(refus.raison()));
                continue;
            }
            let (nature, montant) = match echeance {
                Echeance::Versement(rang) => match c.valeur.versement(rang) {
                    Some(v) => (NaturePaiement::Versement(rang), v.montant),
                    None => continue,
                },
                Echeance::Acompte | Echeance::Solde => {
                    let nature_declaration = if echeance == Echeance::Acompte {
                        NatureDeclaration::Previsionnelle
                    } else {
                        NatureDeclaration::Reelle
                    };
                    let declarations: Vec<Lu<Declaration>> = depot::lister(
                        &mut tx,
                        "convention_id = $1 AND exercice = $2 AND nature = $3",
                        &[
                            convention.0.into(),
                            exercice.into(),
                            nature_declaration.code().into(),
                        ],
                        "id",
                    )
                    .await?;
                    let Some(declaration) = declarations.into_iter().next() else {
                        continue;
                    };
                    let existants = paiements_convention(&mut tx, convention).await?;
                    match montant_du(ACTION_CAMPAGNE, &c.valeur, &declaration.valeur, &existants) {
                        Ok(Du::Montant { nature, montant }) => (nature, montant),
                        Ok(Du::ARevalider(peremption)) => {
                            apercu.non_payes.push(non_paye(format!(
                                "la déclaration sera renvoyée à la validation de la Caf, rien ne sera payé : {}",
                                peremption.raison()
                            )));
                            continue;
                        }
                        Err(Refus::Condition { .. }) => continue,
                        Err(refus) => {
                            apercu.non_payes.push(non_paye(refus.raison()));
                            continue;
                        }
                    }
                }
            };
            apercu.lignes.push(LigneCampagne {
                convention,
                numero: c.valeur.numero.clone(),
                exercice,
                echeance,
                nature,
                montant,
                gestionnaire: g.valeur.id,
                raison_sociale: g.valeur.raison_sociale.clone(),
                siret: g.valeur.siret.to_string(),
                banque: g.valeur.banque.clone(),
            });
        }
        // Validated declarations of conventions not signed yet: nothing is due before the
        // signature (Référentiel national de financement de l'AIP, §VI.2 étape 4).
        let f = Filtre::pour(acteur, "departement", "gestionnaire_id").et(
            "etat = 'validee' AND nature IN ('previsionnelle', 'reelle')",
            Vec::new(),
        );
        let validees: Vec<Lu<Declaration>> = depot::lister(
            &mut tx,
            &f.condition,
            &f.params,
            "convention_id, exercice, id",
        )
        .await?;
        for d in validees {
            let c = depot::lire::<Convention>(&mut tx, d.valeur.convention.0).await?;
            if c.valeur.a_ete_signee() {
                continue;
            }
            apercu.non_payes.push(NonPaye {
                convention: d.valeur.convention,
                numero: c.valeur.numero.clone(),
                exercice: d.valeur.exercice,
                echeance: if d.valeur.nature == NatureDeclaration::Previsionnelle {
                    Echeance::Acompte
                } else {
                    Echeance::Solde
                },
                raison: "la convention n’est pas encore signée : rien n’est dû avant sa signature"
                    .to_owned(),
            });
        }
        Ok(apercu)
    }

    /// Confirms the run previewed with fingerprint `empreinte`: issues, dated `date`, exactly the
    /// payable lines of that preview, each recording the run and the account paid into. Issues
    /// nothing if what is due changed since the preview, or if this preview was already
    /// confirmed (the uniqueness of each payment guards against concurrent runs).
    pub async fn confirmer_campagne(
        &self,
        acteur: &Acteur,
        empreinte: &str,
        date: Date,
        quand: OffsetDateTime,
    ) -> Result<Confirmation, ErreurApp> {
        exiger_role_caf(acteur, "Confirmer la campagne de paiements")?;
        let campagne = identifiant_campagne(empreinte);
        let deja: Vec<Paiement> = self
            .paiements(acteur, None)
            .await?
            .into_iter()
            .map(|p| p.valeur)
            .filter(|p| p.campagne.as_deref() == Some(campagne.as_str()))
            .collect();
        if !deja.is_empty() {
            return Ok(Confirmation::DejaConfirmee {
                campagne,
                paiements: deja,
            });
        }
        let apercu = self.apercu_campagne(acteur, date).await?;
        if apercu.empreinte() != empreinte || apercu.payables().next().is_none() {
            return Ok(Confirmation::Perimee);
        }
        let mut emis = Vec::new();
        let mut rouvertes = Vec::new();
        let mut refus = Vec::new();
        for ligne in apercu.payables() {
            let Some(banque) = ligne.banque.clone() else {
                continue;
            };
            let en = EnCampagne {
                campagne: campagne.clone(),
                banque,
            };
            match self
                .emettre_paiement_en_campagne(
                    acteur,
                    ligne.convention,
                    ligne.exercice,
                    ligne.echeance,
                    date,
                    quand,
                    Some(&en),
                )
                .await
            {
                Ok(ResultatEmission::Emis(p)) => emis.push(p),
                Ok(ResultatEmission::DejaEmis(_)) => {}
                Ok(ResultatEmission::DeclarationRouverte {
                    declaration,
                    raison,
                }) => rouvertes.push((*declaration, raison)),
                Err(ErreurApp::Refus(r)) => {
                    refus.push((ligne.convention, ligne.exercice, ligne.echeance, r))
                }
                Err(e) => return Err(e),
            }
        }
        Ok(Confirmation::Confirmee {
            campagne,
            emis,
            rouvertes,
            refus,
        })
    }

    /// The runs confirmed in the user's territory, latest first, each with its payments.
    pub async fn campagnes(&self, acteur: &Acteur) -> Result<Vec<CampagneEmise>, ErreurApp> {
        let mut campagnes: Vec<CampagneEmise> = Vec::new();
        for p in self.paiements(acteur, None).await? {
            let Some(id) = p.valeur.campagne.clone() else {
                continue;
            };
            match campagnes.iter_mut().find(|c| c.campagne == id) {
                Some(c) => c.paiements.push(p.valeur),
                None => campagnes.push(CampagneEmise {
                    campagne: id,
                    date: p.valeur.date,
                    paiements: vec![p.valeur],
                }),
            }
        }
        for c in &mut campagnes {
            c.paiements.sort_by_key(|p| p.id.0);
        }
        campagnes.sort_by(|a, b| {
            let premier = |c: &CampagneEmise| c.paiements.first().map_or(0, |p| p.id.0);
            b.date.cmp(&a.date).then(premier(b).cmp(&premier(a)))
        });
        Ok(campagnes)
    }

    /// One confirmed run the user may see.
    pub async fn campagne(
        &self,
        acteur: &Acteur,
        campagne: &str,
    ) -> Result<CampagneEmise, ErreurApp> {
        self.campagnes(acteur)
            .await?
            .into_iter()
            .find(|c| c.campagne == campagne)
            .ok_or(ErreurApp::Store(store::ErreurStore::Introuvable {
                entite: "la campagne de paiements",
                id: 0,
            }))
    }
}
