//! The forms of the actions a reader may take on a dossier now, as the domain opens them
//! ([`Dossier::actions_ouvertes`]), and what was typed in them when one was refused.

use maud::{Markup, html};

use super::*;

/// One action's form: its fields, the dossier's version read, and its button.
pub(super) fn formulaire(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    action: &str,
    libelle: &str,
    champs: Markup,
    secondaire: bool,
) -> Markup {
    html! {
        form method="post" action={ "/dossiers/" (d.id) "/action" } novalidate {
            fieldset {
                legend { (libelle) }
                (crate::vue::champ_csrf(c))
                input type="hidden" name="action" value=(action);
                input type="hidden" name="version" value=(version);
                (champs)
                button type="submit" class=[secondaire.then_some("secondaire")] { (libelle) }
            }
        }
    }
}

/// What was typed in the forms of the dossier page, kept when one of them is refused.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Saisies<'a> {
    /// The action refused and every field of its form as typed.
    pub(super) action: Option<(&'static str, &'a Brut)>,
    pub(super) projet: Option<&'a ProjetSaisi>,
    pub(super) message: Option<&'a NouveauMessage>,
    /// The page is shown just after a message was sent (`?message=envoye`).
    pub(super) message_envoye: bool,
    /// The action just taken (`?fait=…`), confirmed at the top of the page.
    pub(super) fait: Option<&'a str>,
}

impl Saisies<'_> {
    /// The value typed in the field `champ` of the form of `action`, else `defaut`.
    pub(super) fn valeur(&self, action: &str, champ: &str, defaut: &str) -> String {
        match self.action {
            Some((code, brut)) if code == action => brut.get(champ).unwrap_or_default().to_owned(),
            _ => defaut.to_owned(),
        }
    }
}

/// The forms of the actions the reader may take on the dossier now; `champ_derogation` is the
/// override field of the AIP commitments added to the decision form (empty when none is
/// needed), `decision` the comité's last decision (for a funder's own share).
pub(super) fn actions(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: Saisies,
    x: &Erreurs,
    champ_derogation: Markup,
) -> Markup {
    let formulaires: Vec<Markup> = d
        .actions_ouvertes(&c.acteur)
        .into_iter()
        .filter_map(|a| formulaire_de(a, c, d, version, s, x, &champ_derogation))
        .collect();
    html! {
        @if !formulaires.is_empty() {
            h2 { "Actions" }
            @for f in &formulaires { (f) }
        }
    }
}

/// The form of one open action; `None` for those taken elsewhere on the page (the assignment, in
/// « Suivi par »).
fn formulaire_de(
    action: Ouverte,
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: Saisies,
    x: &Erreurs,
    champ_derogation: &Markup,
) -> Option<Markup> {
    let f = |code: &str, libelle: &str, champs: Markup, secondaire: bool| {
        formulaire(c, d, version, code, libelle, champs, secondaire)
    };
    Some(match action {
        Ouverte::Modifier => {
            let depuis = ProjetSaisi::depuis(&d.projet);
            formulaire_projet(c, d, version, s.projet.unwrap_or(&depuis), x)
        }
        Ouverte::Deposer => f("deposer", "Déposer le dossier", html! {}, false),
        Ouverte::PrendreEnInstruction => f("instruire", "Prendre en instruction", html! {}, false),
        Ouverte::PresenterEnComite => f(
            "presenter",
            "Présenter en comité",
            Champ::new("date_comite", "Date du comité")
                .id("presenter-date_comite")
                .erreurs(x)
                .requis()
                .saisie("date", &s.valeur("presenter", "date_comite", "")),
            false,
        ),
        Ouverte::DemanderComplement => f(
            "complement",
            "Demander un complément",
            html! {
                (Champ::new("motif", "Information demandée au porteur")
                    .id("complement-motif")
                    .erreurs(x)
                    .requis()
                    .zone(&s.valeur("complement", "motif", "")))
                (crate::pages::pieces::cases_pieces_demandees())
            },
            true,
        ),
        Ouverte::EnregistrerDecision if d.dispositif.decide_par_montant() => {
            plan_financement::formulaire_decision(c, d, version, s, x)
        }
        Ouverte::EnregistrerDecision => {
            let etp = d.projet.etp_demandes.to_string();
            let effet = d.projet.debut.map_or(String::new(), |x| x.to_string());
            f(
                "decider",
                "Enregistrer la décision",
                html! {
                    (Champ::new("issue", "Décision du comité")
                        .id("decider-issue")
                        .erreurs(x)
                        .liste(&plan_financement::ISSUES, &s.valeur("decider", "issue", "")))
                    (Champ::new("etp_notifies", "ETP notifiés (si validé)")
                        .id("decider-etp_notifies")
                        .erreurs(x)
                        .clavier(Clavier::Decimal)
                        .texte(&s.valeur("decider", "etp_notifies", &etp)))
                    (Champ::new("date_effet", "À compter du")
                        .id("decider-date_effet")
                        .erreurs(x)
                        .saisie("date", &s.valeur("decider", "date_effet", &effet)))
                    (Champ::new("montant_caf", "Part de la Caf (€)")
                        .id("decider-montant_caf")
                        .erreurs(x)
                        .clavier(Clavier::Decimal)
                        .texte(&s.valeur("decider", "montant_caf", "")))
                    (Champ::new("motivation", "Motivation")
                        .id("decider-motivation")
                        .erreurs(x)
                        .zone(&s.valeur("decider", "motivation", "")))
                    (champ_derogation)
                },
                false,
            )
        }
        Ouverte::EtablirConvention => formulaire_convention(c, d, version, s, x),
        Ouverte::ClasserSansSuite => f(
            "sans_suite",
            "Classer sans suite",
            Champ::new("motif", "Motif")
                .id("sans_suite-motif")
                .erreurs(x)
                .requis()
                .zone(&s.valeur("sans_suite", "motif", "")),
            true,
        ),
        Ouverte::Retirer => f(
            "retirer",
            "Retirer le dossier",
            Champ::new("motif", "Motif du retrait")
                .id("retirer-motif")
                .aide("Facultatif")
                .erreurs(x)
                .zone(&s.valeur("retirer", "motif", "")),
            true,
        ),
        Ouverte::DonnerAvis => formulaire_avis(c, d, version, s, x),
        Ouverte::Attribuer => return None,
    })
}

/// The Caf's form drawing up the convention of a validated dossier.
fn formulaire_convention(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: Saisies,
    x: &Erreurs,
) -> Markup {
    let numero = format!("COF-{}-{}", d.departement, d.id);
    let debut = d
        .projet
        .debut
        .map_or("2024-03-01".to_owned(), |x| x.to_string());
    let fin = d
        .projet
        .fin
        .map_or("2025-12-31".to_owned(), |x| x.to_string());
    let par_echeances = d.dispositif.regles().financement
        == domain::dispositifs::ModeFinancement::SubventionEcheancier;
    formulaire(
        c,
        d,
        version,
        "convention",
        "Établir la convention",
        html! {
            (Champ::new("numero", "Numéro de la convention")
                .id("convention-numero")
                .erreurs(x)
                .texte(&s.valeur("convention", "numero", &numero)))
            (Champ::new("debut", "Début")
                .id("convention-debut")
                .erreurs(x)
                .saisie("date", &s.valeur("convention", "debut", &debut)))
            (Champ::new("fin", "Fin")
                .id("convention-fin")
                .erreurs(x)
                .saisie("date", &s.valeur("convention", "fin", &fin)))
            @if par_echeances {
                (plan_financement::champs_echeancier(s, x, &debut))
            }
        },
        false,
    )
}

/// A partner funder's opinion before the comité: nothing chosen in advance, the amount it
/// considers, its reservations or reasons; its current opinion filled in.
fn formulaire_avis(c: &Connecte, d: &Dossier, version: i64, s: Saisies, x: &Erreurs) -> Markup {
    let actuel = c.acteur.financeur.and_then(|f| d.avis_de(f));
    let sens = actuel.map_or("", |a| a.sens.code());
    let montant = actuel
        .and_then(|a| a.montant_envisage)
        .map_or(String::new(), |m| m.texte_point().replace('.', ","));
    let commentaire = actuel.map_or("", |a| a.commentaire.as_str());
    let mut choix = vec![("", "Choisir l'avis")];
    choix.extend(SensAvis::TOUS.iter().map(|s| (s.code(), s.libelle())));
    formulaire(
        c,
        d,
        version,
        "avis",
        if actuel.is_some() {
            "Modifier l'avis de votre financeur"
        } else {
            "Donner l'avis de votre financeur"
        },
        html! {
            p class="aide" {
                "Votre avis prépare le comité : il n'engage pas encore votre financeur, qui enregistre sa décision après le comité. La Caf et les autres financeurs le lisent ; le porteur ne le voit pas."
            }
            (Champ::new("sens", "Avis")
                .id("avis-sens")
                .erreurs(x)
                .requis()
                .liste(&choix, &s.valeur("avis", "sens", sens)))
            (Champ::new("montant_envisage", "Montant envisagé pour votre part (€)")
                .id("avis-montant_envisage")
                .aide("Facultatif")
                .erreurs(x)
                .clavier(Clavier::Decimal)
                .texte(&s.valeur("avis", "montant_envisage", &montant)))
            (Champ::new("commentaire", "Réserves ou raisons")
                .id("avis-commentaire")
                .aide("Obligatoire pour un avis réservé ou défavorable")
                .erreurs(x)
                .zone(&s.valeur("avis", "commentaire", commentaire)))
        },
        false,
    )
}
