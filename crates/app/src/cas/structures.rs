//! The partner structures: gestionnaires (one by one, or imported as a whole file in one
//! transaction), their sites and their intervenants. A Caf agent of the département (or the
//! operator, acting as the system) registers a gestionnaire; a gestionnaire user registers its own
//! structure and is attached to it; its staff edit its sites and staff and attest its
//! commitments, which a Caf agent of its département checks.

use domain::acces::{Acteur, Role, Utilisateur};
use domain::identifiants::{GestionnaireId, IntervenantId, LieuId};
use domain::structures::{
    Engagement, Gestionnaire, Intervenant, Lieu, SaisieAttestation, SaisieControle,
};
use store::Tx;
use store::audit::{self, NouvelEvenement};
use store::depot::{self, Enregistrement, Lu};
use time::OffsetDateTime;

use crate::Plateforme;
use crate::acces::{Filtre, peut_voir};
use crate::erreur::ErreurApp;

/// Who registers a structure: a user, or the operator at the command line.
#[derive(Debug, Clone)]
pub enum Auteur<'a> {
    Utilisateur(&'a Acteur),
    Operateur,
}

impl Auteur<'_> {
    fn ids(&self) -> (Option<i64>, Option<String>) {
        match self {
            Auteur::Utilisateur(a) => (Some(a.id.0), Some(a.role.code().to_owned())),
            Auteur::Operateur => (None, Some("operateur".to_owned())),
        }
    }
}

async fn creation<T: Enregistrement>(
    tx: &mut Tx,
    auteur: &Auteur<'_>,
    r: &T,
    entite: &str,
    description: String,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    depot::inserer(tx, r).await?;
    let (acteur_id, role) = auteur.ids();
    audit::ajouter(
        tx,
        NouvelEvenement {
            horodatage: quand,
            acteur_id,
            role,
            entite: entite.to_owned(),
            entite_id: r.id(),
            action: "creer".to_owned(),
            etat_avant: None,
            etat_apres: None,
            description,
            changements: "[]".to_owned(),
            avant: None,
            apres: Some(serde_json::to_string(r).map_err(store::ErreurStore::from)?),
        },
    )
    .await?;
    Ok(())
}

fn peut_enregistrer(auteur: &Auteur<'_>, g: &Gestionnaire) -> Result<(), ErreurApp> {
    match auteur {
        Auteur::Operateur => Ok(()),
        Auteur::Utilisateur(a)
            if a.role == Role::Caf && a.departements.contains(&g.departement_siege) =>
        {
            Ok(())
        }
        // A gestionnaire registers its own structure, and only one at a time (not a file).
        Auteur::Utilisateur(a) if a.role == Role::Gestionnaire => Ok(()),
        Auteur::Utilisateur(a) => Err(ErreurApp::Interdit(format!(
            "enregistrer un gestionnaire du département {} est réservé aux agents de sa Caf et à ses propres gestionnaires (vous êtes {})",
            g.departement_siege,
            a.role.libelle()
        ))),
    }
}

impl Plateforme {
    /// Registers one gestionnaire; `construire` receives the id the store allocates.
    pub async fn enregistrer_gestionnaire(
        &self,
        auteur: Auteur<'_>,
        construire: impl FnOnce(GestionnaireId) -> Gestionnaire,
        quand: OffsetDateTime,
    ) -> Result<Lu<Gestionnaire>, ErreurApp> {
        let mut lot = self
            .importer_gestionnaires(auteur, vec![construire], quand)
            .await?;
        lot.pop()
            .ok_or_else(|| ErreurApp::Calcul("aucun gestionnaire enregistré".into()))
    }

    /// Registers every gestionnaire of a file in ONE transaction: all of them, or none (a
    /// duplicate SIRET, a refused rule, a failure or an interruption leaves nothing behind).
    pub async fn importer_gestionnaires<F>(
        &self,
        auteur: Auteur<'_>,
        lignes: Vec<F>,
        quand: OffsetDateTime,
    ) -> Result<Vec<Lu<Gestionnaire>>, ErreurApp>
    where
        F: FnOnce(GestionnaireId) -> Gestionnaire,
    {
        if let Auteur::Utilisateur(a) = &auteur
            && a.role == Role::Gestionnaire
            && lignes.len() != 1
        {
            return Err(ErreurApp::Interdit(
                "un gestionnaire inscrit sa structure une à une; l'import d'un fichier est réservé à la Caf".into(),
            ));
        }
        let mut tx = self.base.debuter().await?;
        let mut crees = Vec::with_capacity(lignes.len());
        for construire in lignes {
            let id = GestionnaireId(depot::prochain_id(&mut tx, "gestionnaires").await?);
            let g = construire(id);
            peut_enregistrer(&auteur, &g)?;
            g.verifier()?;
            let description = format!(
                "gestionnaire « {} » (SIRET {}) enregistré",
                g.raison_sociale, g.siret
            );
            creation(&mut tx, &auteur, &g, "gestionnaire", description, quand).await?;
            if let Auteur::Utilisateur(a) = &auteur
                && a.role == Role::Gestionnaire
            {
                rattacher(&mut tx, a, &g, quand).await?;
            }
            crees.push(Lu {
                valeur: g,
                version: 1,
            });
        }
        tx.valider().await?;
        Ok(crees)
    }

    pub async fn gestionnaire(
        &self,
        acteur: &Acteur,
        id: GestionnaireId,
    ) -> Result<Lu<Gestionnaire>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let g = depot::lire::<Gestionnaire>(&mut tx, id.0).await?;
        if !peut_voir(acteur, g.valeur.departement_siege, g.valeur.id) {
            return Err(ErreurApp::Interdit(format!(
                "le gestionnaire n°{id} n'est pas de votre territoire"
            )));
        }
        Ok(g)
    }

    /// The gestionnaires a user may see.
    pub async fn gestionnaires(&self, acteur: &Acteur) -> Result<Vec<Lu<Gestionnaire>>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        let f = Filtre::pour(acteur, "departement", "id");
        Ok(depot::lister(&mut tx, &f.condition, &f.params, "nom, id").await?)
    }

    /// The gestionnaires of `ids`, without access check: for the names and communes shown beside
    /// dossiers the caller may already see (their applicants).
    pub async fn gestionnaires_designes(
        &self,
        ids: &[i64],
    ) -> Result<Vec<Lu<Gestionnaire>>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        Ok(depot::lister_par_ids(&mut tx, ids).await?)
    }

    /// Adds a site to a structure (its staff, or a Caf agent of its département).
    pub async fn ajouter_lieu(
        &self,
        acteur: &Acteur,
        construire: impl FnOnce(LieuId) -> Lieu,
        quand: OffsetDateTime,
    ) -> Result<Lu<Lieu>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let id = LieuId(depot::prochain_id(&mut tx, "lieux").await?);
        let lieu = construire(id);
        let g = depot::lire::<Gestionnaire>(&mut tx, lieu.gestionnaire.0).await?;
        exiger_edition(acteur, &g.valeur)?;
        lieu.verifier()?;
        let description = format!("lieu d'accueil « {} » ajouté", lieu.nom);
        creation(
            &mut tx,
            &Auteur::Utilisateur(acteur),
            &lieu,
            "lieu",
            description,
            quand,
        )
        .await?;
        tx.valider().await?;
        Ok(Lu {
            valeur: lieu,
            version: 1,
        })
    }

    /// Adds an intervenant to a structure (its staff, or a Caf agent of its département).
    pub async fn ajouter_intervenant(
        &self,
        acteur: &Acteur,
        construire: impl FnOnce(IntervenantId) -> Intervenant,
        quand: OffsetDateTime,
    ) -> Result<Lu<Intervenant>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let id = IntervenantId(depot::prochain_id(&mut tx, "intervenants").await?);
        let i = construire(id);
        let g = depot::lire::<Gestionnaire>(&mut tx, i.gestionnaire.0).await?;
        exiger_edition(acteur, &g.valeur)?;
        i.verifier(quand.date())?;
        let description = format!("intervenant {} {} ajouté", i.prenom, i.nom);
        creation(
            &mut tx,
            &Auteur::Utilisateur(acteur),
            &i,
            "intervenant",
            description,
            quand,
        )
        .await?;
        tx.valider().await?;
        Ok(Lu {
            valeur: i,
            version: 1,
        })
    }

    pub async fn lieux(
        &self,
        acteur: &Acteur,
        g: GestionnaireId,
    ) -> Result<Vec<Lu<Lieu>>, ErreurApp> {
        self.gestionnaire(acteur, g).await?;
        let mut tx = self.base.lire().await?;
        Ok(depot::lister(&mut tx, "gestionnaire_id = $1", &[g.0.into()], "id").await?)
    }

    pub async fn intervenants(
        &self,
        acteur: &Acteur,
        g: GestionnaireId,
    ) -> Result<Vec<Lu<Intervenant>>, ErreurApp> {
        self.gestionnaire(acteur, g).await?;
        let mut tx = self.base.lire().await?;
        Ok(depot::lister(&mut tx, "gestionnaire_id = $1", &[g.0.into()], "id").await?)
    }
}

/// Attaches the gestionnaire user who registered a structure to it, so that it sees and edits it
/// from its next request on; audited as a change of the account.
async fn rattacher(
    tx: &mut Tx,
    acteur: &Acteur,
    g: &Gestionnaire,
    quand: OffsetDateTime,
) -> Result<(), ErreurApp> {
    let avant = depot::lire::<Utilisateur>(tx, acteur.id.0).await?;
    let mut apres = avant.valeur.clone();
    apres.gestionnaires.insert(g.id);
    depot::mettre_a_jour(tx, &apres, avant.version).await?;
    audit::ajouter(
        tx,
        NouvelEvenement {
            horodatage: quand,
            acteur_id: Some(acteur.id.0),
            role: Some(acteur.role.code().to_owned()),
            entite: "utilisateur".to_owned(),
            entite_id: acteur.id.0,
            action: "rattacher".to_owned(),
            etat_avant: None,
            etat_apres: None,
            description: format!(
                "compte {} rattaché à la structure « {} » qu'il a inscrite",
                avant.valeur.email, g.raison_sociale
            ),
            changements: "[]".to_owned(),
            avant: Some(serde_json::to_string(&avant.valeur).map_err(store::ErreurStore::from)?),
            apres: Some(serde_json::to_string(&apres).map_err(store::ErreurStore::from)?),
        },
    )
    .await?;
    Ok(())
}

fn exiger_edition(acteur: &Acteur, g: &Gestionnaire) -> Result<(), ErreurApp> {
    let permis = match acteur.role {
        Role::Gestionnaire => acteur.gestionnaires.contains(&g.id),
        Role::Caf => acteur.departements.contains(&g.departement_siege),
        _ => false,
    };
    if permis {
        Ok(())
    } else {
        Err(ErreurApp::Interdit(format!(
            "modifier « {} » est réservé à ses gestionnaires et aux agents de sa Caf",
            g.raison_sociale
        )))
    }
}

impl Plateforme {
    /// Registers a co-funder of a département (operator or Cnaf).
    pub async fn enregistrer_financeur(
        &self,
        auteur: Auteur<'_>,
        construire: impl FnOnce(domain::identifiants::FinanceurId) -> domain::structures::Financeur,
        quand: OffsetDateTime,
    ) -> Result<Lu<domain::structures::Financeur>, ErreurApp> {
        if let Auteur::Utilisateur(a) = &auteur
            && a.role != Role::Cnaf
        {
            return Err(ErreurApp::Interdit(
                "enregistrer un financeur est réservé à la Cnaf et aux opérateurs".into(),
            ));
        }
        let mut tx = self.base.debuter().await?;
        let id =
            domain::identifiants::FinanceurId(depot::prochain_id(&mut tx, "financeurs").await?);
        let f = construire(id);
        let description = format!("financeur « {} » enregistré", f.nom);
        creation(&mut tx, &auteur, &f, "financeur", description, quand).await?;
        tx.valider().await?;
        Ok(Lu {
            valeur: f,
            version: 1,
        })
    }
}

impl Plateforme {
    /// The gestionnaire attests commitments of its structure, in one transaction: one audit
    /// event per attestation, all of them or none. `version_lue` is the version of the structure
    /// the user saw.
    pub async fn attester_engagements(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        version_lue: Option<i64>,
        saisies: Vec<(Engagement, SaisieAttestation)>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Gestionnaire>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let mut g = depot::lire::<Gestionnaire>(&mut tx, gestionnaire.0).await?;
        let mut version = version_lue;
        for (engagement, saisie) in saisies {
            let t = g.valeur.attester(acteur, engagement, &saisie, quand)?;
            g = super::ecrire(&mut tx, &g, version.take(), t).await?;
        }
        tx.valider().await?;
        Ok(g)
    }

    /// A Caf agent of the structure's département checks attestations, in one transaction: one
    /// audit event per check.
    pub async fn controler_engagements(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        version_lue: Option<i64>,
        saisies: Vec<(Engagement, SaisieControle)>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Gestionnaire>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let mut g = depot::lire::<Gestionnaire>(&mut tx, gestionnaire.0).await?;
        let mut version = version_lue;
        for (engagement, saisie) in saisies {
            let t = g.valeur.controler(acteur, engagement, &saisie, quand)?;
            g = super::ecrire(&mut tx, &g, version.take(), t).await?;
        }
        tx.valider().await?;
        Ok(g)
    }
}

impl Plateforme {
    /// Records the bank details of a structure (its gestionnaires or an agent of its Caf), with
    /// an audit event that names the IBAN masked. `version_lue` is the version the user saw.
    pub async fn enregistrer_coordonnees_bancaires(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        version_lue: Option<i64>,
        coordonnees: domain::structures::CoordonneesBancaires,
        quand: OffsetDateTime,
    ) -> Result<Lu<Gestionnaire>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let g = depot::lire::<Gestionnaire>(&mut tx, gestionnaire.0).await?;
        let t = g
            .valeur
            .enregistrer_coordonnees(acteur, coordonnees, quand)?;
        let g = super::ecrire(&mut tx, &g, version_lue, t).await?;
        tx.valider().await?;
        Ok(g)
    }
}
