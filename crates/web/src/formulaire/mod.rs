//! Forms whose refusals are explained where they happen (DSFR pattern): the errors of one
//! submission, each tied to its field (message next to it, `aria-invalid`, `aria-describedby`)
//! and listed in a summary at the top of the page linking to the fields; the page that shows the
//! form again is given back the values typed. Refusals of the domain that name a field are mapped
//! to that field.

use app::ErreurApp;
use axum::http::StatusCode;
use domain::Refus;

use crate::erreur::ErreurWeb;
use maud::{Markup, html};

mod champ;

pub use champ::{Champ, Clavier};

/// The errors of one submission: `(field id, message)`; an empty id is an error of the whole form.
#[derive(Debug, Clone, Default)]
pub struct Erreurs {
    liste: Vec<(String, String)>,
    conflit: bool,
}

/// Why a submission did not go through: a page of its own (403, 404, 500…), or errors to show in
/// the form again.
#[derive(Debug)]
pub enum Echec {
    Page(ErreurWeb),
    Saisie(Erreurs),
}

impl From<ErreurWeb> for Echec {
    fn from(e: ErreurWeb) -> Self {
        Echec::Page(e)
    }
}

impl From<Erreurs> for Echec {
    fn from(e: Erreurs) -> Self {
        Echec::Saisie(e)
    }
}

impl Echec {
    /// An error of the use case: refusals of the rules become errors of the form (on the field
    /// they name, found with `champs`: `(word of the label or reason, field id)`, else on
    /// `defaut`); access, missing records and failures keep their own page.
    pub fn app(e: ErreurApp, champs: &[(&str, &str)], defaut: &str) -> Echec {
        match Erreurs::depuis_app(e, champs, defaut) {
            Ok(x) => Echec::Saisie(x),
            Err(w) => Echec::Page(w),
        }
    }

    /// One field's error.
    pub fn champ(champ: &str, message: impl Into<String>) -> Echec {
        Echec::Saisie(Erreurs::une(champ, message))
    }
}

/// Capitalises the first letter of a message shown alone next to a field, or of a label that
/// starts a heading.
pub fn majuscule(m: &str) -> String {
    let mut c = m.chars();
    match c.next() {
        Some(p) => p.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The field named in `texte`, by the first word of `champs` it contains.
fn trouver<'a>(texte: &str, champs: &[(&str, &'a str)]) -> Option<&'a str> {
    let bas = texte.to_lowercase();
    champs
        .iter()
        .find(|(mot, _)| bas.contains(&mot.to_lowercase()))
        .map(|(_, c)| *c)
}

impl Erreurs {
    pub fn une(champ: &str, message: impl Into<String>) -> Erreurs {
        let mut e = Erreurs::default();
        e.ajouter(champ, message);
        e
    }

    pub fn ajouter(&mut self, champ: &str, message: impl Into<String>) {
        self.liste
            .push((champ.to_owned(), majuscule(&message.into())));
    }

    /// Adds the errors of another check of the same submission.
    pub fn etendre(&mut self, autre: Erreurs) {
        self.liste.extend(autre.liste);
        self.conflit |= autre.conflit;
    }

    pub fn est_vide(&self) -> bool {
        self.liste.is_empty()
    }

    /// The message(s) of a field.
    pub fn de(&self, champ: &str) -> Option<String> {
        let m: Vec<&str> = self
            .liste
            .iter()
            .filter(|(c, _)| !champ.is_empty() && c == champ)
            .map(|(_, m)| m.as_str())
            .collect();
        if m.is_empty() {
            None
        } else {
            Some(m.join(" "))
        }
    }

    /// 422, or 409 when someone else saved first.
    pub fn statut(&self) -> StatusCode {
        if self.conflit {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// The page title, marked when the form is refused (the first thing a screen reader says).
    pub fn titre(&self, titre: &str) -> String {
        if self.est_vide() {
            titre.to_owned()
        } else {
            format!("Erreur – {titre}")
        }
    }

    /// The summary at the top of the page: every error, each linking to its field.
    pub fn resume(&self) -> Markup {
        let n = self.liste.len();
        html! {
            @if n > 0 {
                div.encadre.erreur role="alert" tabindex="-1" id="erreurs" aria-labelledby="erreurs-titre" {
                    h2 id="erreurs-titre" {
                        "Le formulaire n'a pas été enregistré : " (n)
                        @if n == 1 { " erreur" } @else { " erreurs" }
                    }
                    ul {
                        @for (c, m) in &self.liste {
                            li {
                                @if c.is_empty() { (m) } @else { a href={ "#" (c) } { (m) } }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The errors of a refusal of the domain, each on its field: a refusal that names its field
    /// ([`Refus::champ`]) goes to the form field `champs` pairs with that name (else to a field
    /// of that id); each part a [`Refus::Incomplet`] lists goes to the field paired with it;
    /// every refusal of a [`Refus::Plusieurs`] is shown. A rule that names no field yet is
    /// placed by the words of its reason, else on `defaut`.
    pub fn depuis_refus(r: &Refus, champs: &[(&str, &str)], defaut: &str) -> Erreurs {
        let mut x = Erreurs::default();
        for r in r.un_par_un() {
            if let Some(champ) = r.champ() {
                let id = champs
                    .iter()
                    .find(|(nom, _)| *nom == champ)
                    .map_or(champ, |(_, id)| *id);
                x.ajouter(id, r.to_string());
                continue;
            }
            match r {
                Refus::Incomplet { champs: parts, .. } => {
                    for p in parts {
                        let champ = champs
                            .iter()
                            .find(|(nom, _)| nom == p)
                            .map(|(_, id)| *id)
                            .or_else(|| trouver(p, champs))
                            .unwrap_or(defaut);
                        x.ajouter(champ, format!("{p} : à compléter"));
                    }
                }
                Refus::AppelFerme { .. } => {
                    x.ajouter(trouver("appel", champs).unwrap_or(defaut), r.to_string());
                }
                autre => {
                    let raison = autre.to_string();
                    // The reason follows « Action : »; the field is looked for in it only.
                    let propre = raison.split_once(" : ").map_or(raison.as_str(), |(_, r)| r);
                    x.ajouter(trouver(propre, champs).unwrap_or(defaut), raison.clone());
                }
            }
        }
        x
    }

    /// The errors of a use case, or the page its error calls for (403, 404, 500).
    pub fn depuis_app(
        e: ErreurApp,
        champs: &[(&str, &str)],
        defaut: &str,
    ) -> Result<Erreurs, ErreurWeb> {
        use store::ErreurStore as S;
        if e.est_interdit() {
            return Err(e.into());
        }
        match e {
            ErreurApp::Refus(r) | ErreurApp::Store(S::Refus(r)) => {
                Ok(Erreurs::depuis_refus(&r, champs, defaut))
            }
            ErreurApp::Store(S::Doublon { champ, message }) => Ok(Erreurs::une(
                trouver(champ, champs).unwrap_or(defaut),
                message,
            )),
            ErreurApp::Store(ref s @ S::Base(_)) if s.est_doublon() => Ok(Erreurs::une(
                defaut,
                "cette valeur est déjà enregistrée".to_owned(),
            )),
            ErreurApp::Store(S::Conflit { .. }) => {
                let mut x = Erreurs::une("", e.to_string());
                x.conflit = true;
                Ok(x)
            }
            ErreurApp::Enveloppe(_) | ErreurApp::Calcul(_) => {
                let m = e.to_string();
                Ok(Erreurs::une(trouver(&m, champs).unwrap_or(defaut), m))
            }
            autre => Err(autre.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_champ_en_erreur_est_decrit_par_son_message() {
        let x = Erreurs::une("etp", "nombre d'ETP invalide");
        let html = Champ::new("etp", "ETP")
            .aide("Par exemple 0,5")
            .erreurs(&x)
            .texte("beaucoup")
            .into_string();
        assert!(
            html.contains("aria-describedby=\"etp-aide etp-erreur\""),
            "{html}"
        );
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("id=\"etp-erreur\">Nombre d'ETP invalide</p>"));
        assert!(html.contains("value=\"beaucoup\""));
        assert!(x.resume().into_string().contains("<a href=\"#etp\">"));
        let sans = Champ::new("nom", "Nom").erreurs(&x).texte("").into_string();
        assert!(!sans.contains("aria-invalid"));
    }

    #[test]
    fn un_refus_incomplet_va_sur_chaque_champ_qu_il_nomme() {
        let r = Refus::Incomplet {
            action: "Déposer le dossier",
            champs: vec!["objectifs", "moyens mis en œuvre", "lieux d'accueil"],
        };
        let x = Erreurs::depuis_refus(&r, &[("objectifs", "objectifs"), ("moyens", "moyens")], "");
        assert!(x.de("objectifs").is_some());
        assert!(x.de("moyens").is_some());
        assert!(
            x.resume()
                .into_string()
                .contains("<li>Lieux d'accueil : à compléter</li>")
        );
        let r = Refus::condition("Signer", "la date de signature est dans le futur");
        let x = Erreurs::depuis_refus(&r, &[("date", "date_signature")], "");
        assert!(x.de("date_signature").is_some());
    }
}
