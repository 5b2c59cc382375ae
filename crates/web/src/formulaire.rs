//! Forms whose refusals are explained where they happen (DSFR pattern): the errors of one
//! submission, each tied to its field (message next to it, `aria-invalid`, `aria-describedby`)
//! and listed in a summary at the top of the page linking to the fields; the page that shows the
//! form again is given back the values typed. Refusals of the domain that name a field are mapped
//! to that field.

use app::ErreurApp;
use axum::http::StatusCode;
use domain::Refus;

use crate::erreur::ErreurWeb;
use crate::rendu::e;

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

/// A date the French way: `31/01/2024`.
pub fn date_fr(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// A moment stored as RFC 3339 (in UTC), the French way: `23/11/2026 à 10:05 (UTC)`; the text
/// itself when it is not one.
pub fn horodatage_fr(texte: &str) -> String {
    match time::OffsetDateTime::parse(texte, &time::format_description::well_known::Rfc3339) {
        Ok(t) => {
            let t = t.to_offset(time::UtcOffset::UTC);
            format!(
                "{} à {:02}:{:02} (UTC)",
                date_fr(t.date()),
                t.hour(),
                t.minute()
            )
        }
        Err(_) => texte.to_owned(),
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
    pub fn resume(&self) -> String {
        if self.est_vide() {
            return String::new();
        }
        let items: String = self
            .liste
            .iter()
            .map(|(c, m)| {
                if c.is_empty() {
                    format!("<li>{}</li>", e(m))
                } else {
                    format!("<li><a href=\"#{}\">{}</a></li>", e(c), e(m))
                }
            })
            .collect();
        let n = self.liste.len();
        format!(
            "<div class=\"encadre erreur\" role=\"alert\" tabindex=\"-1\" id=\"erreurs\" aria-labelledby=\"erreurs-titre\">\
             <h2 id=\"erreurs-titre\">{}</h2><ul>{items}</ul></div>",
            if n == 1 {
                "Le formulaire n'a pas été enregistré : 1 erreur".to_owned()
            } else {
                format!("Le formulaire n'a pas été enregistré : {n} erreurs")
            }
        )
    }

    /// The errors of a refusal of the domain: each part a [`Refus::Incomplet`] lists goes to its
    /// field; another refusal goes to the field its reason names, else to `defaut`.
    pub fn depuis_refus(r: &Refus, champs: &[(&str, &str)], defaut: &str) -> Erreurs {
        let mut x = Erreurs::default();
        match r {
            Refus::Incomplet { champs: parts, .. } => {
                for p in parts {
                    let champ = trouver(p, champs).unwrap_or(defaut);
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

/// A field of a form: its label, help and error, with the value typed.
#[derive(Debug, Clone)]
pub struct Champ<'a> {
    id: &'a str,
    nom: &'a str,
    libelle: &'a str,
    aide: &'a str,
    erreur: Option<String>,
    extra: &'a str,
}

impl<'a> Champ<'a> {
    /// A field whose id is its name.
    pub fn new(nom: &'a str, libelle: &'a str) -> Champ<'a> {
        Champ {
            id: nom,
            nom,
            libelle,
            aide: "",
            erreur: None,
            extra: "",
        }
    }

    /// A field with its own id (when several forms of a page share a name).
    pub fn id(mut self, id: &'a str) -> Self {
        self.id = id;
        self
    }

    pub fn aide(mut self, aide: &'a str) -> Self {
        self.aide = aide;
        self
    }

    /// Takes the field's error, if any, from the errors of the submission.
    pub fn erreurs(mut self, erreurs: &Erreurs) -> Self {
        self.erreur = erreurs.de(self.id);
        self
    }

    /// More attributes for the control (` required`, ` inputmode="decimal"`…).
    pub fn extra(mut self, extra: &'a str) -> Self {
        self.extra = extra;
        self
    }

    /// The label, help and error before the control, and the control's ARIA attributes.
    fn parties(&self) -> (String, String) {
        let id = self.id;
        let mut decrit = Vec::new();
        if !self.aide.is_empty() {
            decrit.push(format!("{id}-aide"));
        }
        if self.erreur.is_some() {
            decrit.push(format!("{id}-erreur"));
        }
        let mut aria = String::new();
        if !decrit.is_empty() {
            aria.push_str(&format!(" aria-describedby=\"{}\"", decrit.join(" ")));
        }
        if self.erreur.is_some() {
            aria.push_str(" aria-invalid=\"true\"");
        }
        let avant = format!(
            "<label for=\"{id}\">{}{}</label>{}",
            e(self.libelle),
            if self.aide.is_empty() {
                String::new()
            } else {
                format!(
                    "<span class=\"aide\" id=\"{id}-aide\">{}</span>",
                    e(self.aide)
                )
            },
            self.erreur.as_ref().map_or(String::new(), |m| format!(
                "<p class=\"message-erreur\" id=\"{id}-erreur\">{}</p>",
                e(m)
            )),
        );
        (avant, aria)
    }

    fn bloc(&self, contenu: String) -> String {
        format!(
            "<div class=\"champ{}\">{contenu}</div>",
            if self.erreur.is_some() {
                " en-erreur"
            } else {
                ""
            }
        )
    }

    /// An `<input>` of `type_` holding `valeur`.
    pub fn saisie(&self, type_: &str, valeur: &str) -> String {
        let (avant, aria) = self.parties();
        self.bloc(format!(
            "{avant}<input type=\"{type_}\" id=\"{}\" name=\"{}\" value=\"{}\"{aria}{}>",
            self.id,
            self.nom,
            e(valeur),
            self.extra
        ))
    }

    pub fn texte(&self, valeur: &str) -> String {
        self.saisie("text", valeur)
    }

    /// A `<textarea>` holding `valeur`.
    pub fn zone(&self, valeur: &str) -> String {
        let (avant, aria) = self.parties();
        self.bloc(format!(
            "{avant}<textarea id=\"{}\" name=\"{}\" rows=\"3\"{aria}{}>{}</textarea>",
            self.id,
            self.nom,
            self.extra,
            e(valeur)
        ))
    }

    /// A `<select>` of `(code, label)` with `choisi` selected.
    pub fn liste(&self, options: &[(&str, &str)], choisi: &str) -> String {
        let (avant, aria) = self.parties();
        let options: String = options
            .iter()
            .map(|(code, libelle)| {
                format!(
                    "<option value=\"{}\"{}>{}</option>",
                    e(code),
                    if *code == choisi { " selected" } else { "" },
                    e(libelle)
                )
            })
            .collect();
        self.bloc(format!(
            "{avant}<select id=\"{}\" name=\"{}\"{aria}{}>{options}</select>",
            self.id, self.nom, self.extra
        ))
    }

    /// A checkbox (value `1`), its label after it.
    pub fn case(&self, coche: bool) -> String {
        let (_, aria) = self.parties();
        let id = self.id;
        self.bloc(format!(
            "{}<input type=\"checkbox\" id=\"{id}\" name=\"{}\" value=\"1\"{}{aria}{}> <label for=\"{id}\" style=\"display:inline\">{}</label>{}",
            self.erreur.as_ref().map_or(String::new(), |m| format!(
                "<p class=\"message-erreur\" id=\"{id}-erreur\">{}</p>",
                e(m)
            )),
            self.nom,
            if coche { " checked" } else { "" },
            self.extra,
            e(self.libelle),
            if self.aide.is_empty() {
                String::new()
            } else {
                format!("<span class=\"aide\" id=\"{id}-aide\">{}</span>", e(self.aide))
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_horodatage_se_lit_a_la_francaise() {
        assert_eq!(
            horodatage_fr("2026-11-23T09:05:00Z"),
            "23/11/2026 à 09:05 (UTC)"
        );
        assert_eq!(
            horodatage_fr("2026-11-23T10:05:00+01:00"),
            "23/11/2026 à 09:05 (UTC)"
        );
        assert_eq!(horodatage_fr("hier"), "hier");
    }

    #[test]
    fn un_champ_en_erreur_est_decrit_par_son_message() {
        let x = Erreurs::une("etp", "nombre d'ETP invalide");
        let html = Champ::new("etp", "ETP")
            .aide("Par exemple 0,5")
            .erreurs(&x)
            .texte("beaucoup");
        assert!(
            html.contains("aria-describedby=\"etp-aide etp-erreur\""),
            "{html}"
        );
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("id=\"etp-erreur\">Nombre d&#39;ETP invalide</p>"));
        assert!(html.contains("value=\"beaucoup\""));
        assert!(x.resume().contains("<a href=\"#etp\">"));
        let sans = Champ::new("nom", "Nom").erreurs(&x).texte("");
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
                .contains("<li>Lieux d&#39;accueil : à compléter</li>")
        );
        let r = Refus::condition("Signer", "la date de signature est dans le futur");
        let x = Erreurs::depuis_refus(&r, &[("date", "date_signature")], "");
        assert!(x.de("date_signature").is_some());
    }
}
