//! The forms of the transitions a reader may take on a dossier now, and what was typed in
//! them when one was refused.

use super::*;

pub(super) fn formulaire(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    action: &str,
    libelle: &str,
    champs: &str,
    secondaire: bool,
) -> String {
    format!(
        "<form method=\"post\" action=\"/dossiers/{}/action\" novalidate><fieldset><legend>{}</legend>{}\
         <input type=\"hidden\" name=\"action\" value=\"{action}\"><input type=\"hidden\" name=\"version\" value=\"{version}\">{champs}\
         <button type=\"submit\"{}>{}</button></fieldset></form>",
        d.id,
        e(libelle),
        csrf(c),
        if secondaire {
            " class=\"secondaire\""
        } else {
            ""
        },
        e(libelle)
    )
}

/// What was typed in the forms of the dossier page, kept when one of them is refused.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Saisies<'a> {
    pub(super) action: Option<&'a Action>,
    pub(super) projet: Option<&'a ProjetSaisi>,
    pub(super) message: Option<&'a NouveauMessage>,
    /// The page is shown just after a message was sent (`?message=envoye`).
    pub(super) message_envoye: bool,
    /// The action just taken (`?fait=…`), confirmed at the top of the page.
    pub(super) fait: Option<&'a str>,
}

impl<'a> Saisies<'a> {
    /// The value typed in the field `champ` of the form of `action`, else `defaut`.
    pub(super) fn valeur(
        &self,
        action: &str,
        champ: fn(&Action) -> &Option<String>,
        defaut: &'a str,
    ) -> String {
        match self.action {
            Some(a) if a.action == action => champ(a).clone().unwrap_or_default(),
            _ => defaut.to_owned(),
        }
    }
}

/// The forms of the actions the user may take on the dossier; `champ_derogation` is the override
/// field of the AIP commitments added to the decision form (empty when none is needed).
pub(super) fn actions(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    s: Saisies,
    x: &Erreurs,
    champ_derogation: &str,
) -> String {
    use EtatDossier::*;
    let mut f = Vec::new();
    let debut_projet = d.projet.debut.map_or(String::new(), |x| x.to_string());
    let fin_projet = d.projet.fin.map_or(String::new(), |x| x.to_string());
    match (c.acteur.role, d.etat) {
        (Role::Gestionnaire, Brouillon | ComplementDemande) => {
            let depuis = ProjetSaisi::depuis(&d.projet);
            f.push(formulaire_projet(
                c,
                d,
                version,
                s.projet.unwrap_or(&depuis),
                x,
            ));
            f.push(formulaire(
                c,
                d,
                version,
                "deposer",
                "Déposer le dossier",
                "",
                false,
            ));
        }
        (Role::Caf, Depose) => {
            f.push(formulaire(
                c,
                d,
                version,
                "instruire",
                "Prendre en instruction",
                "",
                false,
            ));
        }
        (Role::Caf, EnInstruction) => {
            f.push(formulaire(
                c,
                d,
                version,
                "presenter",
                "Présenter en comité",
                &Champ::new("date_comite", "Date du comité")
                    .id("presenter-date_comite")
                    .erreurs(x)
                    .requis()
                    .saisie("date", &s.valeur("presenter", |a| &a.date_comite, ""))
                    .into_string(),
                false,
            ));
            f.push(formulaire(
                c,
                d,
                version,
                "complement",
                "Demander un complément",
                &format!(
                    "{}{}",
                    Champ::new("motif", "Information demandée au porteur")
                        .id("complement-motif")
                        .erreurs(x)
                        .requis()
                        .zone(&s.valeur("complement", |a| &a.motif, ""))
                        .into_string(),
                    crate::pages::pieces::cases_pieces_demandees().into_string()
                ),
                true,
            ));
        }
        (Role::Caf, PresenteEnComite) if d.dispositif.decide_par_montant() => {
            f.push(plan_financement::formulaire_decision(c, d, version, s, x));
        }
        (Role::Caf, PresenteEnComite) => {
            let etp = d.projet.etp_demandes.to_string();
            let effet = d
                .projet
                .debut
                .map_or("2024-03-01".to_owned(), |x| x.to_string());
            let champs = format!(
                "{}{}{}{}{}",
                Champ::new("issue", "Décision du comité")
                    .id("decider-issue")
                    .erreurs(x)
                    .liste(
                        &[
                            ("valide", "Validé"),
                            ("refuse", "Refusé"),
                            ("ajourne", "Ajourné")
                        ],
                        &s.valeur("decider", |a| &a.issue, "valide")
                    )
                    .into_string(),
                Champ::new("etp_notifies", "ETP notifiés (si validé)")
                    .id("decider-etp_notifies")
                    .erreurs(x)
                    .clavier(Clavier::Decimal)
                    .texte(&s.valeur("decider", |a| &a.etp_notifies, &etp))
                    .into_string(),
                Champ::new("date_effet", "À compter du")
                    .id("decider-date_effet")
                    .erreurs(x)
                    .saisie("date", &s.valeur("decider", |a| &a.date_effet, &effet))
                    .into_string(),
                Champ::new("montant_caf", "Part de la Caf (€)")
                    .id("decider-montant_caf")
                    .erreurs(x)
                    .clavier(Clavier::Decimal)
                    .texte(&s.valeur("decider", |a| &a.montant_caf, ""))
                    .into_string(),
                Champ::new("motivation", "Motivation")
                    .id("decider-motivation")
                    .erreurs(x)
                    .zone(&s.valeur("decider", |a| &a.motivation, ""))
                    .into_string(),
            ) + champ_derogation;
            f.push(formulaire(
                c,
                d,
                version,
                "decider",
                "Enregistrer la décision",
                &champs,
                false,
            ));
        }
        (Role::Caf, Valide) => {
            let numero = format!("COF-{}-{}", d.departement, d.id);
            let debut = if debut_projet.is_empty() {
                "2024-03-01"
            } else {
                &debut_projet
            };
            let fin = if fin_projet.is_empty() {
                "2025-12-31"
            } else {
                &fin_projet
            };
            let echeancier = if d.dispositif.regles().financement
                == domain::dispositifs::ModeFinancement::SubventionEcheancier
            {
                plan_financement::champs_echeancier(s, x, debut)
            } else {
                String::new()
            };
            let champs = format!(
                "{}{}{}{echeancier}",
                Champ::new("numero", "Numéro de la convention")
                    .id("convention-numero")
                    .erreurs(x)
                    .texte(&s.valeur("convention", |a| &a.numero, &numero))
                    .into_string(),
                Champ::new("debut", "Début")
                    .id("convention-debut")
                    .erreurs(x)
                    .saisie("date", &s.valeur("convention", |a| &a.debut, debut))
                    .into_string(),
                Champ::new("fin", "Fin")
                    .id("convention-fin")
                    .erreurs(x)
                    .saisie("date", &s.valeur("convention", |a| &a.fin, fin))
                    .into_string(),
            );
            f.push(formulaire(
                c,
                d,
                version,
                "convention",
                "Établir la convention",
                &champs,
                false,
            ));
        }
        _ => {}
    }
    if c.acteur.role == Role::Caf
        && matches!(
            d.etat,
            Depose | EnInstruction | ComplementDemande | PresenteEnComite
        )
    {
        f.push(formulaire(
            c,
            d,
            version,
            "sans_suite",
            "Classer sans suite",
            &Champ::new("motif", "Motif")
                .id("sans_suite-motif")
                .erreurs(x)
                .requis()
                .zone(&s.valeur("sans_suite", |a| &a.motif, ""))
                .into_string(),
            true,
        ));
    }
    if c.acteur.role == Role::Gestionnaire && !d.etat.est_final() && d.etat != Brouillon {
        f.push(formulaire(
            c,
            d,
            version,
            "retirer",
            "Retirer le dossier",
            &Champ::new("motif", "Motif du retrait")
                .id("retirer-motif")
                .aide("Facultatif")
                .erreurs(x)
                .zone(&s.valeur("retirer", |a| &a.motif, ""))
                .into_string(),
            true,
        ));
    }
    if f.is_empty() {
        String::new()
    } else {
        format!("<h2>Actions</h2>{}", f.join(""))
    }
}
