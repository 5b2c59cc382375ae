//! The transitions submitted from the dossier page: read, checked, carried out, then a
//! redirect to the page with the confirmation of what was done.

use super::*;

/// A refused form: the dossier page again, with the errors and what was typed.
pub(super) async fn refuser(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    s: Saisies<'_>,
    echec: Echec,
) -> Result<Response, ErreurWeb> {
    match echec {
        Echec::Page(w) => Err(w),
        Echec::Saisie(x) => {
            Ok((x.statut(), Html(rendre_fiche(etat, c, id, s, &x).await?)).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Action {
    #[serde(rename = "_csrf")]
    pub(super) csrf: Option<String>,
    pub(super) action: String,
    pub(super) version: Option<i64>,
    pub(super) motif: Option<String>,
    pub(super) date_comite: Option<String>,
    pub(super) issue: Option<String>,
    pub(super) etp_notifies: Option<String>,
    pub(super) date_effet: Option<String>,
    pub(super) montant_caf: Option<String>,
    pub(super) motivation: Option<String>,
    pub(super) numero: Option<String>,
    pub(super) decision: Option<i64>,
    pub(super) avis: Option<String>,
    pub(super) montant_part: Option<String>,
    pub(super) debut: Option<String>,
    pub(super) fin: Option<String>,
    pub(super) derogation_engagements: Option<String>,
    /// The Caf agent a dossier is assigned to (`attribuer`): a user number, empty to withdraw
    /// the assignment.
    pub(super) agent: Option<String>,
    /// Instalments of the convention (`plan_financement::champs_echeancier`).
    pub(super) mode_echeancier: Option<String>,
    pub(super) versement_date_1: Option<String>,
    pub(super) versement_valeur_1: Option<String>,
    pub(super) versement_date_2: Option<String>,
    pub(super) versement_valeur_2: Option<String>,
    pub(super) versement_date_3: Option<String>,
    pub(super) versement_valeur_3: Option<String>,
    pub(super) versement_date_4: Option<String>,
    pub(super) versement_valeur_4: Option<String>,
    /// The other fields: the piece types ticked in a request for information (`piece_<code>`).
    #[serde(flatten)]
    pub(super) autres: std::collections::HashMap<String, String>,
}

/// A date typed in the field `id`, labelled `libelle`.
pub(super) fn date(id: &str, libelle: &str, t: Option<&str>) -> Result<Date, Echec> {
    let t = t.unwrap_or_default().trim();
    Date::parse(t, format_description!("[year]-[month]-[day]")).map_err(|_| {
        Echec::champ(
            id,
            if t.is_empty() {
                format!("{libelle} : saisissez une date")
            } else {
                format!("{libelle} : « {t} » n'est pas une date valide (jj/mm/aaaa)")
            },
        )
    })
}

pub async fn agir(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<Action>,
) -> Result<Response, ErreurWeb> {
    match executer_action(&etat, &c, id, &f).await {
        Ok(r) => Ok(r),
        Err(echec) => {
            let s = Saisies {
                action: Some(&f),
                ..Saisies::default()
            };
            refuser(&etat, &c, id, s, echec).await
        }
    }
}

/// Where the refusals of each action go: the words of the reason, and the field.
pub(super) fn champs_action(action: &str) -> Vec<(&'static str, &'static str)> {
    match action {
        "presenter" => vec![("date", "presenter-date_comite")],
        "complement" => vec![("motif", "complement-motif")],
        "sans_suite" => vec![("motif", "sans_suite-motif")],
        "retirer" => vec![("motif", "retirer-motif")],
        "decider" => vec![
            ("motivation", "decider-motivation"),
            ("dérogation", "decider-derogation_engagements"),
            ("etp", "decider-etp_notifies"),
            ("effet", "decider-date_effet"),
            ("enveloppe", "decider-montant_caf"),
            ("engagerait", "decider-montant_caf"),
            ("montant", "decider-montant_caf"),
            ("part", "decider-montant_caf"),
        ],
        "part" => vec![
            ("montant", "part-montant_part"),
            ("motivation", "part-motivation"),
        ],
        "convention" => vec![
            ("numéro", "convention-numero"),
            ("versement", "convention-versement_date_1"),
            ("échéancier", "convention-versement_date_1"),
            ("pourcentages", "convention-versement_valeur_1"),
            ("totalis", "convention-versement_valeur_1"),
            ("numero", "convention-numero"),
            ("finit", "convention-fin"),
            ("période", "convention-debut"),
            ("durée", "convention-debut"),
            ("temps du projet", "convention-debut"),
        ],
        // A submission refused for what the project lacks: the fields of the project form.
        "deposer" => CHAMPS_PROJET.to_vec(),
        _ => Vec::new(),
    }
}

pub(super) async fn executer_action(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    f: &Action,
) -> Result<Response, Echec> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let id = DossierId(id);
    let quand = time::OffsetDateTime::now_utc();
    let table = champs_action(&f.action);
    let defaut = table.first().map_or("", |(_, c)| *c);
    let defaut = if f.action == "deposer" { "" } else { defaut };
    let app = |e: app::ErreurApp| Echec::app(e, &table, defaut);
    let motif = || f.motif.clone().unwrap_or_default();
    let simple = |a: ActionDossier| Some(a);
    let transition = match f.action.as_str() {
        "deposer" => simple(ActionDossier::Deposer),
        "instruire" => simple(ActionDossier::PrendreEnInstruction),
        "complement" => simple(ActionDossier::DemanderComplementEtPieces(
            motif(),
            crate::pages::pieces::pieces_cochees(&f.autres),
        )),
        "presenter" => simple(ActionDossier::PresenterEnComite(date(
            "presenter-date_comite",
            "Date du comité",
            f.date_comite.as_deref(),
        )?)),
        "sans_suite" => simple(ActionDossier::ClasserSansSuite(motif())),
        "retirer" => simple(ActionDossier::Retirer(
            f.motif.clone().filter(|m| !m.trim().is_empty()),
        )),
        _ => None,
    };
    if let Some(t) = transition {
        p.agir_sur_dossier(&c.acteur, id, f.version, t, quand)
            .await
            .map_err(app)?;
        return Ok(Redirect::to(&format!("/dossiers/{id}?fait={}", f.action)).into_response());
    }
    match f.action.as_str() {
        "attribuer" => {
            let agent = match f.agent.as_deref().map(str::trim).unwrap_or_default() {
                "" => None,
                texte => Some(domain::identifiants::UtilisateurId(texte.parse().map_err(
                    |_| ErreurWeb::Refus("agent de la Caf inconnu".to_owned()),
                )?)),
            };
            p.attribuer_dossier(&c.acteur, id, f.version, agent, quand)
                .await
                .map_err(app)?;
            let fait = if agent.is_some() {
                "attribue"
            } else {
                "desattribue"
            };
            return Ok(Redirect::to(&format!("/dossiers/{id}?fait={fait}")).into_response());
        }
        "decider" => {
            let issue = match f.issue.as_deref() {
                Some("valide") => IssueDecision::Valide,
                Some("refuse") => IssueDecision::Refuse,
                Some("ajourne") => IssueDecision::Ajourne,
                _ => {
                    return Err(Echec::champ(
                        "decider-issue",
                        "Décision du comité : choisissez validé, refusé ou ajourné",
                    ));
                }
            };
            let par_montant = p
                .dossier(&c.acteur, id)
                .await
                .map_err(app)?
                .valeur
                .dispositif
                .decide_par_montant();
            let (notification, part_caf) = if par_montant {
                (None, plan_financement::part_caf_saisie(f, issue)?)
            } else if issue == IssueDecision::Valide {
                let mut x = Erreurs::default();
                let etp = Etp::parse(f.etp_notifies.as_deref().unwrap_or_default())
                    .map_err(|e| x.ajouter("decider-etp_notifies", format!("ETP notifiés : {e}")))
                    .ok();
                let montant =
                    Centimes::parse_non_negatif(f.montant_caf.as_deref().unwrap_or_default())
                        .map_err(|e| {
                            x.ajouter("decider-montant_caf", format!("Part de la Caf : {e}"))
                        })
                        .ok();
                let effet = date(
                    "decider-date_effet",
                    "À compter du",
                    f.date_effet.as_deref(),
                )
                .map_err(|e| {
                    if let Echec::Saisie(y) = e {
                        x.etendre(y);
                    }
                })
                .ok();
                let (Some(etp), Some(montant), Some(date_effet)) = (etp, montant, effet) else {
                    return Err(x.into());
                };
                (
                    Some(NotificationEtp { etp, date_effet }),
                    Some(SaisiePart {
                        avis: AvisFinanceur::Accorde,
                        montant,
                        motivation: String::new(),
                    }),
                )
            } else {
                (None, None)
            };
            let saisie = SaisieDecision {
                issue,
                motivation: f.motivation.clone().unwrap_or_default(),
                notification,
                part_caf,
                derogation_engagements: f.derogation_engagements.clone(),
            };
            p.enregistrer_decision(&c.acteur, id, f.version, saisie, false, quand)
                .await
                .map_err(app)?;
        }
        "part" => {
            let financeur = c.acteur.financeur.ok_or_else(|| {
                ErreurWeb::Interdit("seul un financeur enregistre sa propre décision".into())
            })?;
            let avis = match f.avis.as_deref() {
                Some("accorde") => AvisFinanceur::Accorde,
                Some("refuse") => AvisFinanceur::Refuse,
                _ => return Err(Echec::champ("part-avis", "Avis : accordé ou refusé")),
            };
            let montant = Centimes::parse_non_negatif(f.montant_part.as_deref().unwrap_or("0"))
                .map_err(|e| Echec::champ("part-montant_part", format!("Montant accordé : {e}")))?;
            let decision = domain::identifiants::DecisionId(
                f.decision
                    .ok_or_else(|| ErreurWeb::Refus("décision non précisée".into()))?,
            );
            p.enregistrer_part(
                &c.acteur,
                decision,
                domain::structures::Cofinanceur::Partenaire(financeur),
                SaisiePart {
                    avis,
                    montant,
                    motivation: f.motivation.clone().unwrap_or_default(),
                },
                quand,
            )
            .await
            .map_err(app)?;
        }
        "convention" => {
            let debut = date("convention-debut", "Début", f.debut.as_deref());
            let fin = date("convention-fin", "Fin", f.fin.as_deref());
            let (debut, fin) = match (debut, fin) {
                (Ok(a), Ok(b)) => (a, b),
                (a, b) => {
                    let mut x = Erreurs::default();
                    for r in [a.err(), b.err()].into_iter().flatten() {
                        if let Echec::Saisie(y) = r {
                            x.etendre(y);
                        }
                    }
                    return Err(x.into());
                }
            };
            // Instalments only for a scheme paid by them (`domain::dispositifs`).
            let par_echeances = p
                .dossier(&c.acteur, id)
                .await
                .map_err(app)?
                .valeur
                .dispositif
                .regles()
                .financement
                == domain::dispositifs::ModeFinancement::SubventionEcheancier;
            let echeancier = if par_echeances {
                plan_financement::echeancier_saisi(f, debut)?
            } else {
                Vec::new()
            };
            let nouvelle = NouvelleConvention {
                numero: f.numero.clone().unwrap_or_default().trim().to_owned(),
                debut,
                fin,
                echeancier,
            };
            p.etablir_convention(&c.acteur, id, nouvelle, quand)
                .await
                .map_err(app)?;
            return Ok(Redirect::to("/conventions").into_response());
        }
        autre => {
            return Err(ErreurWeb::Refus(format!("action « {autre} » inconnue")).into());
        }
    }
    Ok(Redirect::to(&format!("/dossiers/{id}?fait={}", f.action)).into_response())
}
