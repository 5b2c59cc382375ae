//! A field of a form as a typed template: its label, help and error before the control, the
//! control's ARIA attributes (`aria-describedby`, `aria-invalid`) and the value typed.

use maud::{Markup, html};

use super::Erreurs;

/// How a phone or tablet should offer its keyboard for a field (`inputmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clavier {
    Numerique,
    Decimal,
}

impl Clavier {
    fn attribut(self) -> &'static str {
        match self {
            Clavier::Numerique => "numeric",
            Clavier::Decimal => "decimal",
        }
    }
}

/// A field of a form: its label, help and error, with the value typed. Every attribute of the
/// control is typed; the templates escape every value.
#[derive(Debug, Clone)]
pub struct Champ<'a> {
    id: &'a str,
    nom: &'a str,
    libelle: &'a str,
    aide: &'a str,
    erreur: Option<String>,
    requis: bool,
    clavier: Option<Clavier>,
    autocomplete: Option<&'a str>,
    longueur_max: Option<u32>,
    /// The id of an error shown elsewhere (a group's) that also describes this control.
    erreur_du_groupe: Option<&'a str>,
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
            requis: false,
            clavier: None,
            autocomplete: None,
            longueur_max: None,
            erreur_du_groupe: None,
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

    /// The browser asks for a value before sending (`required`).
    pub fn requis(mut self) -> Self {
        self.requis = true;
        self
    }

    pub fn clavier(mut self, clavier: Clavier) -> Self {
        self.clavier = Some(clavier);
        self
    }

    /// What the browser may fill in (`autocomplete`, WCAG 1.3.5: `email`, `postal-code`…).
    pub fn autocomplete(mut self, valeur: &'a str) -> Self {
        self.autocomplete = Some(valeur);
        self
    }

    pub fn longueur_max(mut self, n: u32) -> Self {
        self.longueur_max = Some(n);
        self
    }

    /// The control is also described by the error of its group, shown at `id_erreur`, and is
    /// marked invalid with it.
    pub fn erreur_du_groupe(mut self, id_erreur: Option<&'a str>) -> Self {
        self.erreur_du_groupe = id_erreur;
        self
    }

    fn decrit_par(&self) -> Option<String> {
        let mut decrit = Vec::new();
        if !self.aide.is_empty() {
            decrit.push(format!("{}-aide", self.id));
        }
        if self.erreur.is_some() {
            decrit.push(format!("{}-erreur", self.id));
        }
        decrit.extend(self.erreur_du_groupe.map(str::to_owned));
        (!decrit.is_empty()).then(|| decrit.join(" "))
    }

    fn invalide(&self) -> Option<&'static str> {
        (self.erreur.is_some() || self.erreur_du_groupe.is_some()).then_some("true")
    }

    fn aide_html(&self) -> Markup {
        html! {
            @if !self.aide.is_empty() {
                span.aide id={ (self.id) "-aide" } { (self.aide) }
            }
        }
    }

    fn erreur_html(&self) -> Markup {
        html! {
            @if let Some(m) = &self.erreur {
                p.message-erreur id={ (self.id) "-erreur" } { (m) }
            }
        }
    }

    /// The block around a control: its label, help and error before it.
    fn bloc(&self, controle: Markup) -> Markup {
        html! {
            div.champ.en-erreur[self.erreur.is_some()] {
                label for=(self.id) { (self.libelle) (self.aide_html()) }
                (self.erreur_html())
                (controle)
            }
        }
    }

    /// An `<input>` of `type_` holding `valeur`.
    pub fn saisie(&self, type_: &str, valeur: &str) -> Markup {
        self.bloc(html! {
            input type=(type_) id=(self.id) name=(self.nom) value=(valeur)
                aria-describedby=[self.decrit_par()] aria-invalid=[self.invalide()]
                required[self.requis] inputmode=[self.clavier.map(Clavier::attribut)]
                autocomplete=[self.autocomplete] maxlength=[self.longueur_max];
        })
    }

    pub fn texte(&self, valeur: &str) -> Markup {
        self.saisie("text", valeur)
    }

    /// A `<textarea>` holding `valeur`.
    pub fn zone(&self, valeur: &str) -> Markup {
        self.bloc(html! {
            textarea id=(self.id) name=(self.nom) rows="3"
                aria-describedby=[self.decrit_par()] aria-invalid=[self.invalide()]
                required[self.requis] maxlength=[self.longueur_max] { (valeur) }
        })
    }

    /// A `<select>` of `(code, label)` with `choisi` selected.
    pub fn liste(&self, options: &[(&str, &str)], choisi: &str) -> Markup {
        self.bloc(html! {
            select id=(self.id) name=(self.nom)
                aria-describedby=[self.decrit_par()] aria-invalid=[self.invalide()]
                required[self.requis] {
                @for (code, libelle) in options {
                    option value=(code) selected[*code == choisi] { (libelle) }
                }
            }
        })
    }

    /// A checkbox (value `1`), its label after it.
    pub fn case(&self, coche: bool) -> Markup {
        html! {
            div.champ.en-erreur[self.erreur.is_some()] {
                (self.erreur_html())
                input type="checkbox" id=(self.id) name=(self.nom) value="1" checked[coche]
                    aria-describedby=[self.decrit_par()] aria-invalid=[self.invalide()]
                    required[self.requis];
                " "
                label.en-ligne for=(self.id) { (self.libelle) }
                (self.aide_html())
            }
        }
    }
}
