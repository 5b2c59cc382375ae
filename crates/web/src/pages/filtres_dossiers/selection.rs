//! The dossiers a user may see that pass the filters of the list: the search in their titles,
//! applicants' names and SIRET, the call, the commune of the applicant, eligibility, unread
//! messages and « Mes dossiers », then the state and the order chosen.

use std::collections::BTreeMap;

use activite::nomenclature::normaliser;
use app::Lu;
use domain::acces::Role;
use domain::dossier::{Dossier, EtatDossier};
use domain::identifiants::DossierId;
use domain::structures::Gestionnaire;
use domain::territoire::Communes;

use super::Filtres;
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::session::Connecte;

/// The référentiel's verdict on a structure's status and activity (Référentiel national de financement de l'AIP §II.2).
pub fn eligibilite(g: &Gestionnaire) -> referentiel::conformite::Verdict {
    use referentiel::conformite::{StructureAip, Verdict, verifier_structure};
    let r = verifier_structure(&StructureAip::new(
        g.statut.vers_referentiel(),
        g.activite.vers_referentiel(),
    ));
    // Commitments not yet declared are « à vérifier » for every structure: the list separates
    // structures excluded by their status or activity from the others.
    if r.constats.iter().any(|c| c.verdict == Verdict::NonEligible) {
        Verdict::NonEligible
    } else {
        Verdict::Eligible
    }
}

/// The embedded table of communes, read once for the whole process (reading it takes longer than
/// the rest of the dossier list).
pub fn communes() -> Option<&'static Communes> {
    static COMMUNES: std::sync::OnceLock<Option<Communes>> = std::sync::OnceLock::new();
    COMMUNES
        .get_or_init(|| Communes::embarquees().ok())
        .as_ref()
}

/// The dossiers a user may see that pass the filters other than the state (the list counts
/// them by state), with what is needed to show them.
pub struct Selection {
    pub dossiers: Vec<Lu<Dossier>>,
    /// The messages the user has not read, by dossier (those with none are absent).
    pub non_lus: BTreeMap<DossierId, u32>,
    pub gestionnaires: BTreeMap<i64, Gestionnaire>,
    /// The names of the Caf agents of the user's territory, by id, for « suivi par » (empty
    /// for the other roles).
    pub agents: BTreeMap<i64, String>,
    communes: Option<&'static Communes>,
}

impl Selection {
    /// The name of the commune of a structure's head office (its INSEE code when unknown).
    pub fn commune_de(&self, g: &Gestionnaire) -> String {
        self.communes
            .as_ref()
            .and_then(|cs| cs.get(g.siege.commune).map(|x| x.nom.clone()))
            .unwrap_or_else(|| g.siege.commune.to_string())
    }

    /// The commune of the applicant of a dossier.
    pub fn commune_du_dossier(&self, d: &Dossier) -> String {
        self.gestionnaires
            .get(&d.gestionnaire.0)
            .map_or(String::new(), |g| self.commune_de(g))
    }

    /// The dossiers in the state chosen (or all of them), in the order chosen: by the column,
    /// then by number.
    pub fn dans_l_etat<'a>(&'a self, f: &Filtres) -> Vec<&'a Lu<Dossier>> {
        let etat = f.etat();
        let mut v: Vec<&Lu<Dossier>> = self
            .dossiers
            .iter()
            .filter(|d| etat.is_none_or(|c| d.valeur.etat.code() == c))
            .collect();
        let (colonne, inverse) = f.tri();
        let rang = |e: EtatDossier| EtatDossier::TOUS.iter().position(|x| *x == e);
        v.sort_by(|a, b| {
            let (x, y) = (&a.valeur, &b.valeur);
            let ordre = match colonne {
                "numero" => x.id.0.cmp(&y.id.0),
                "projet" => normaliser(&x.projet.intitule).cmp(&normaliser(&y.projet.intitule)),
                "commune" => normaliser(&self.commune_du_dossier(x))
                    .cmp(&normaliser(&self.commune_du_dossier(y))),
                "departement" => x.departement.as_str().cmp(y.departement.as_str()),
                "etat" => rang(x.etat).cmp(&rang(y.etat)),
                "etp" => x
                    .projet
                    .etp_demandes
                    .dix_milliemes()
                    .cmp(&y.projet.etp_demandes.dix_milliemes()),
                "non_lus" => self.non_lus.get(&x.id).cmp(&self.non_lus.get(&y.id)),
                _ => std::cmp::Ordering::Equal,
            };
            let ordre = if inverse { ordre.reverse() } else { ordre };
            ordre.then(x.id.0.cmp(&y.id.0))
        });
        v
    }
}

/// Whether a dossier answers a search: each word of it (case and accents aside) is the dossier's
/// number (`12` or `n°12`), the start of its applicant's SIRET (9 digits or more), or is found in
/// the dossier's title or the applicant's name.
fn repond(d: &Dossier, g: Option<&Gestionnaire>, mots: &[String]) -> bool {
    let texte = normaliser(&format!(
        "{} {}",
        d.projet.intitule,
        g.map_or("", |g| g.raison_sociale.as_str()),
    ));
    let siret = g.map_or(String::new(), |g| g.siret.to_string());
    mots.iter().all(|m| {
        let nombre = m.trim_start_matches("n°");
        if !nombre.is_empty() && nombre.bytes().all(|b| b.is_ascii_digit()) {
            if nombre.len() >= 9 {
                siret.starts_with(nombre)
            } else {
                nombre.trim_start_matches('0') == d.id.0.to_string()
            }
        } else {
            texte.contains(m.as_str())
        }
    })
}

/// The dossiers `c` may see, filtered by words searched, call, commune (part of its name, or
/// its INSEE code), eligibility and unread messages.
pub async fn selectionner(etat: &Etat, c: &Connecte, f: &Filtres) -> Result<Selection, ErreurWeb> {
    let p = &etat.plateforme;
    let visibles = p.dossiers(&c.acteur, None).await?;
    // The applicants of those dossiers, for their names and communes.
    let ids: std::collections::BTreeSet<i64> =
        visibles.iter().map(|d| d.valeur.gestionnaire.0).collect();
    let gestionnaires: BTreeMap<i64, Gestionnaire> = p
        .gestionnaires_designes(&ids.into_iter().collect::<Vec<_>>())
        .await?
        .into_iter()
        .map(|g| (g.valeur.id.0, g.valeur))
        .collect();
    let mut s = Selection {
        dossiers: Vec::new(),
        non_lus: p.messages_non_lus(&c.acteur, &visibles).await?,
        gestionnaires,
        agents: if matches!(c.acteur.role, Role::Caf | Role::Cnaf) {
            p.agents_caf(&c.acteur, None)
                .await?
                .into_iter()
                .map(|u| (u.id.0, u.nom))
                .collect()
        } else {
            BTreeMap::new()
        },
        communes: communes(),
    };
    let commune = f.commune().map(str::to_lowercase);
    let mots: Vec<String> = match f.recherche() {
        None => Vec::new(),
        // A SIRET typed with its spaces (`123 456 789 00012`) is one number.
        Some(q) if q.len() >= 9 && q.bytes().all(|b| b.is_ascii_digit() || b == b' ') => {
            vec![q.replace(' ', "")]
        }
        Some(q) => q.split_whitespace().map(normaliser).collect(),
    };
    let verdict = f.eligibilite();
    let appel = f.appel();
    let dossiers: Vec<Lu<Dossier>> = visibles
        .into_iter()
        .filter(|d| appel.is_none_or(|a| d.valeur.appel.0 == a))
        .filter(|d| !f.non_lus() || s.non_lus.contains_key(&d.valeur.id))
        .filter(|d| !f.mes_dossiers() || d.valeur.suivi_par == Some(c.acteur.id))
        .filter(|d| {
            mots.is_empty()
                || repond(
                    &d.valeur,
                    s.gestionnaires.get(&d.valeur.gestionnaire.0),
                    &mots,
                )
        })
        .filter(|d| {
            let g = s.gestionnaires.get(&d.valeur.gestionnaire.0);
            commune.as_ref().is_none_or(|cc| {
                g.is_some_and(|g| {
                    s.commune_de(g).to_lowercase().contains(cc.as_str())
                        || g.siege.commune.to_string() == *cc
                })
            }) && verdict.is_none_or(|v| g.is_some_and(|g| eligibilite(g).code() == v))
        })
        .collect();
    s.dossiers = dossiers;
    Ok(s)
}
