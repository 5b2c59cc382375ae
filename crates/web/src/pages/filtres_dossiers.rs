//! The search, filters and order of the dossier list (words, state, call, commune of the
//! applicant, eligibility, unread messages; the column sorted by), read from the query string,
//! applied the same way to the page and to its exports, and written back into the links that
//! keep them.

use std::collections::BTreeMap;

use activite::nomenclature::normaliser;
use app::Lu;
use domain::acces::Role;
use domain::dossier::{Dossier, EtatDossier};
use domain::identifiants::DossierId;
use domain::structures::Gestionnaire;
use domain::territoire::Communes;
use serde::Deserialize;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::session::Connecte;

/// The filters as the query string gives them. Every field is text: an empty field (the
/// « Tous » choice of a select) or a value that names nothing means no filter on that field.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct Filtres {
    pub q: Option<String>,
    pub etat: Option<String>,
    pub appel: Option<String>,
    pub commune: Option<String>,
    pub eligibilite: Option<String>,
    pub non_lus: Option<String>,
    /// Only the dossiers assigned to the user (« Mes dossiers »).
    pub mes: Option<String>,
    /// The column the list is sorted by (`commune`), `-` before it for the reverse order.
    pub tri: Option<String>,
}

/// The columns the dossier list may be sorted by; the first is the default.
pub const COLONNES_TRI: [&str; 7] = [
    "numero",
    "projet",
    "commune",
    "departement",
    "etat",
    "etp",
    "non_lus",
];

impl Filtres {
    /// The state chosen, when it names one.
    pub fn etat(&self) -> Option<&'static str> {
        let code = self.etat.as_deref()?.trim();
        EtatDossier::depuis_code(code).map(|e| e.code())
    }

    /// The call chosen, when it is a number.
    pub fn appel(&self) -> Option<i64> {
        self.appel.as_deref()?.trim().parse().ok()
    }

    /// The words searched, trimmed, when not empty.
    pub fn recherche(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }

    /// The commune typed, trimmed, when not empty.
    pub fn commune(&self) -> Option<&str> {
        self.commune
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    /// The eligibility chosen, when it is one of the two verdicts offered.
    pub fn eligibilite(&self) -> Option<&'static str> {
        match self.eligibilite.as_deref()?.trim() {
            "eligible" => Some("eligible"),
            "non_eligible" => Some("non_eligible"),
            _ => None,
        }
    }

    /// Only the dossiers with messages the user has not read.
    pub fn non_lus(&self) -> bool {
        self.non_lus
            .as_deref()
            .is_some_and(|v| matches!(v.trim(), "1" | "on" | "oui"))
    }

    /// Only the dossiers the user follows (« Mes dossiers »).
    pub fn mes_dossiers(&self) -> bool {
        self.mes
            .as_deref()
            .is_some_and(|v| matches!(v.trim(), "1" | "on" | "oui"))
    }

    /// The column sorted by and whether in reverse order (by number, ascending, by default).
    pub fn tri(&self) -> (&'static str, bool) {
        let t = self.tri.as_deref().unwrap_or_default().trim();
        let (colonne, inverse) = match t.strip_prefix('-') {
            Some(c) => (c, true),
            None => (t, false),
        };
        match COLONNES_TRI.iter().find(|c| **c == colonne) {
            Some(c) => (c, inverse),
            None => (COLONNES_TRI[0], false),
        }
    }

    /// The query string (with its `?`, empty when no filter applies) that keeps every filter
    /// but the state, which is `etat`, and the order.
    pub fn requete(&self, etat: Option<&str>) -> String {
        let (colonne, inverse) = self.tri();
        self.requete_triee(etat, colonne, inverse)
    }

    /// The same, sorted by `colonne` (in reverse order when `inverse`).
    pub fn requete_triee(&self, etat: Option<&str>, colonne: &str, inverse: bool) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(x) = self.recherche() {
            s.append_pair("q", x);
        }
        if let Some(x) = etat {
            s.append_pair("etat", x);
        }
        if let Some(x) = self.appel() {
            s.append_pair("appel", &x.to_string());
        }
        if let Some(x) = self.commune() {
            s.append_pair("commune", x);
        }
        if let Some(x) = self.eligibilite() {
            s.append_pair("eligibilite", x);
        }
        if self.non_lus() {
            s.append_pair("non_lus", "1");
        }
        if self.mes_dossiers() {
            s.append_pair("mes", "1");
        }
        if colonne != COLONNES_TRI[0] || inverse {
            s.append_pair(
                "tri",
                &format!("{}{colonne}", if inverse { "-" } else { "" }),
            );
        }
        let q = s.finish();
        if q.is_empty() { q } else { format!("?{q}") }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The query string read field by field, as axum's `Query` does.
    fn filtres(q: &str) -> Filtres {
        let mut f = Filtres::default();
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            let v = Some(v.into_owned());
            match k.as_ref() {
                "q" => f.q = v,
                "etat" => f.etat = v,
                "appel" => f.appel = v,
                "commune" => f.commune = v,
                "eligibilite" => f.eligibilite = v,
                "non_lus" => f.non_lus = v,
                "tri" => f.tri = v,
                _ => {}
            }
        }
        f
    }

    #[test]
    fn les_champs_vides_ne_filtrent_pas() {
        let f = filtres("q=++&etat=&appel=&commune=+&eligibilite=");
        assert_eq!(
            (
                f.recherche(),
                f.etat(),
                f.appel(),
                f.commune(),
                f.eligibilite()
            ),
            (None, None, None, None, None)
        );
        assert_eq!(f.requete(None), "");
    }

    #[test]
    fn la_recherche_ignore_casse_et_accents_et_reste_dans_les_liens() {
        assert_eq!(normaliser("Élan Familial ŒUVRE"), "elan_familial_oeuvre");
        let f = filtres("q=%C3%A9cole+n%C2%B012&etat=depose");
        assert_eq!(f.recherche(), Some("école n°12"));
        assert_eq!(f.requete(None), "?q=%C3%A9cole+n%C2%B012");
    }

    #[test]
    fn le_tri_se_lit_et_reste_dans_les_liens() {
        assert_eq!(filtres("").tri(), ("numero", false));
        assert_eq!(filtres("tri=-commune").tri(), ("commune", true));
        assert_eq!(filtres("tri=nom").tri(), ("numero", false));
        let f = filtres("commune=Meylan&tri=-etp");
        assert_eq!(
            f.requete(Some("valide")),
            "?etat=valide&commune=Meylan&tri=-etp"
        );
        assert_eq!(f.requete_triee(None, "numero", false), "?commune=Meylan");
    }

    #[test]
    fn les_valeurs_inconnues_sont_ignorees() {
        let f = filtres("etat=perdu&appel=x&eligibilite=peut-etre");
        assert_eq!((f.etat(), f.appel(), f.eligibilite()), (None, None, None));
    }

    #[test]
    fn les_liens_gardent_les_autres_filtres() {
        let f = filtres(
            "etat=depose&appel=2&commune=Saint-%C3%89tienne du Rouvray&eligibilite=eligible&non_lus=on",
        );
        assert_eq!(f.etat(), Some("depose"));
        assert_eq!(
            f.requete(Some("presente_en_comite")),
            "?etat=presente_en_comite&appel=2&commune=Saint-%C3%89tienne+du+Rouvray&eligibilite=eligible&non_lus=1"
        );
        assert_eq!(
            f.requete(None),
            "?appel=2&commune=Saint-%C3%89tienne+du+Rouvray&eligibilite=eligible&non_lus=1"
        );
    }
}
