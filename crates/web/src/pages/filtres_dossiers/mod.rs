//! The search, filters and order of the dossier list (words, state, call, commune of the
//! applicant, eligibility, unread messages; the column sorted by), read from the query string,
//! applied the same way to the page and to its exports, and written back into the links that
//! keep them. The dossiers they select are in `selection`.

use domain::dossier::EtatDossier;
use serde::Deserialize;

pub mod selection;

pub use selection::{communes, selectionner};

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

#[cfg(test)]
mod tests {
    use super::*;
    use activite::nomenclature::normaliser;

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
