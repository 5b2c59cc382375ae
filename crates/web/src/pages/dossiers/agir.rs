//! The transitions submitted from the dossier page: each form's fields read into one typed action,
//! checked (every error of the submission at once), carried out, then a redirect to the page with
//! the confirmation of what was done.

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

/// The value of a field checked by `lire`, its error added to `x`.
fn lire<T>(x: &mut Erreurs, resultat: Result<T, Echec>) -> Option<T> {
    match resultat {
        Ok(v) => Some(v),
        Err(Echec::Saisie(y)) => {
            x.etendre(y);
            None
        }
        Err(Echec::Page(_)) => None,
    }
}

pub async fn agir(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    corps: axum::body::Bytes,
) -> Result<Response, ErreurWeb> {
    let brut = Brut(
        serde_urlencoded::from_bytes(&corps)
            .map_err(|_| ErreurWeb::Refus("formulaire illisible".to_owned()))?,
    );
    c.verifier_csrf(brut.get("_csrf"))?;
    let action: ActionSaisie = serde_urlencoded::from_bytes(&corps)
        .map_err(|_| ErreurWeb::Refus("action inconnue sur un dossier".to_owned()))?;
    match executer_action(&etat, &c, id, &action, &brut).await {
        Ok(r) => Ok(r),
        Err(echec) => {
            let s = Saisies {
                action: Some((action.code(), &brut)),
                ..Saisies::default()
            };
            refuser(&etat, &c, id, s, echec).await
        }
    }
}

/// A text field as typed, trimmed.
fn texte(t: &Option<String>) -> String {
    t.as_deref().unwrap_or_default().trim().to_owned()
}

pub(super) async fn executer_action(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    action: &ActionSaisie,
    brut: &Brut,
) -> Result<Response, Echec> {
    let p = &etat.plateforme;
    let id = DossierId(id);
    let quand = time::OffsetDateTime::now_utc();
    let version = brut
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let echec = |e: app::ErreurApp| action.echec(e);
    let mut fait = action.code();
    let transition = match action {
        ActionSaisie::Deposer => Some(ActionDossier::Deposer),
        ActionSaisie::Instruire => Some(ActionDossier::PrendreEnInstruction),
        ActionSaisie::Complement { motif } => Some(ActionDossier::DemanderComplementEtPieces(
            texte(motif),
            crate::pages::pieces::pieces_cochees(&brut.0.clone().into_iter().collect()),
        )),
        ActionSaisie::Presenter { date_comite } => Some(ActionDossier::PresenterEnComite(date(
            "presenter-date_comite",
            "Date du comité",
            date_comite.as_deref(),
        )?)),
        ActionSaisie::SansSuite { motif } => Some(ActionDossier::ClasserSansSuite(texte(motif))),
        ActionSaisie::Retirer { motif } => Some(ActionDossier::Retirer(
            Some(texte(motif)).filter(|m| !m.is_empty()),
        )),
        _ => None,
    };
    if let Some(t) = transition {
        p.agir_sur_dossier(&c.acteur, id, version, t, quand)
            .await
            .map_err(echec)?;
        return Ok(Redirect::to(&format!("/dossiers/{id}?fait={fait}")).into_response());
    }
    match action {
        ActionSaisie::Attribuer { agent } => {
            let agent = match agent.as_deref().map(str::trim).unwrap_or_default() {
                "" => None,
                texte => Some(domain::identifiants::UtilisateurId(texte.parse().map_err(
                    |_| ErreurWeb::Refus("agent de la Caf inconnu".to_owned()),
                )?)),
            };
            p.attribuer_dossier(&c.acteur, id, version, agent, quand)
                .await
                .map_err(echec)?;
            fait = if agent.is_some() {
                "attribue"
            } else {
                "desattribue"
            };
        }
        ActionSaisie::Decider {
            issue,
            etp_notifies,
            date_effet,
            montant_caf,
            motivation,
            derogation_engagements,
        } => {
            let par_montant = p
                .dossier(&c.acteur, id)
                .await
                .map_err(echec)?
                .valeur
                .dispositif
                .decide_par_montant();
            let mut x = Erreurs::default();
            let issue = match issue.as_deref() {
                Some("valide") => Some(IssueDecision::Valide),
                Some("refuse") => Some(IssueDecision::Refuse),
                Some("ajourne") => Some(IssueDecision::Ajourne),
                _ => {
                    x.ajouter(
                        "decider-issue",
                        "Décision du comité : choisissez validé, refusé ou ajourné",
                    );
                    None
                }
            };
            let valide = issue == Some(IssueDecision::Valide);
            let part_caf = if valide {
                Centimes::parse_non_negatif(montant_caf.as_deref().unwrap_or_default())
                    .map_err(|e| {
                        x.ajouter(
                            "decider-montant_caf",
                            format!("Part accordée par la Caf : {e}"),
                        )
                    })
                    .ok()
                    .map(|montant| SaisiePart {
                        avis: AvisFinanceur::Accorde,
                        montant,
                        motivation: String::new(),
                    })
            } else {
                None
            };
            let notification = if valide && !par_montant {
                let etp = Etp::parse(etp_notifies.as_deref().unwrap_or_default())
                    .map_err(|e| x.ajouter("decider-etp_notifies", format!("ETP notifiés : {e}")))
                    .ok();
                let effet = lire(
                    &mut x,
                    date("decider-date_effet", "À compter du", date_effet.as_deref()),
                );
                etp.zip(effet)
                    .map(|(etp, date_effet)| NotificationEtp { etp, date_effet })
            } else {
                None
            };
            let Some(issue) = issue else {
                return Err(x.into());
            };
            if !x.est_vide() {
                return Err(x.into());
            }
            let saisie = SaisieDecision {
                issue,
                motivation: texte(motivation),
                notification,
                part_caf,
                derogation_engagements: derogation_engagements.clone(),
            };
            p.enregistrer_decision(&c.acteur, id, version, saisie, false, quand)
                .await
                .map_err(echec)?;
        }
        ActionSaisie::Part {
            decision,
            avis,
            montant_part,
            motivation,
        } => {
            let financeur = c.acteur.financeur.ok_or_else(|| {
                ErreurWeb::Interdit("seul un financeur enregistre sa propre décision".into())
            })?;
            let decision = decision
                .as_deref()
                .and_then(|d| d.trim().parse::<i64>().ok())
                .map(domain::identifiants::DecisionId)
                .ok_or_else(|| ErreurWeb::Refus("décision non précisée".into()))?;
            let mut x = Erreurs::default();
            let avis = match avis.as_deref() {
                Some("accorde") => Some(AvisFinanceur::Accorde),
                Some("refuse") => Some(AvisFinanceur::Refuse),
                _ => {
                    x.ajouter("part-avis", "Décision : choisissez accordé ou refusé");
                    None
                }
            };
            let montant = Centimes::parse_non_negatif(montant_part.as_deref().unwrap_or("0"))
                .map_err(|e| x.ajouter("part-montant_part", format!("Montant accordé : {e}")))
                .ok();
            let (Some(avis), Some(montant)) = (avis, montant) else {
                return Err(x.into());
            };
            p.enregistrer_part(
                &c.acteur,
                decision,
                domain::structures::Cofinanceur::Partenaire(financeur),
                SaisiePart {
                    avis,
                    montant,
                    motivation: texte(motivation),
                },
                quand,
            )
            .await
            .map_err(echec)?;
        }
        ActionSaisie::Avis {
            sens,
            montant_envisage,
            commentaire,
        } => {
            let mut x = Erreurs::default();
            let sens = sens.as_deref().and_then(SensAvis::depuis_code).or_else(|| {
                x.ajouter(
                    "avis-sens",
                    "Avis : choisissez favorable, favorable avec réserves ou défavorable",
                );
                None
            });
            let montant = match montant_envisage.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(t) => Centimes::parse_non_negatif(t)
                    .map_err(|e| {
                        x.ajouter("avis-montant_envisage", format!("Montant envisagé : {e}"))
                    })
                    .ok()
                    .map(Some),
            };
            let commentaire = texte(commentaire);
            if commentaire.is_empty() && sens.is_some_and(|s| s != SensAvis::Favorable) {
                x.ajouter(
                    "avis-commentaire",
                    "Commentaire : un avis réservé ou défavorable dit ses réserves ou ses raisons",
                );
            }
            let (Some(sens), Some(montant_envisage), true) = (sens, montant, x.est_vide()) else {
                return Err(x.into());
            };
            p.donner_avis(
                &c.acteur,
                id,
                version,
                SaisieAvis {
                    sens,
                    montant_envisage,
                    commentaire,
                },
                quand,
            )
            .await
            .map_err(echec)?;
        }
        ActionSaisie::Convention { numero, debut, fin } => {
            let mut x = Erreurs::default();
            let debut = lire(&mut x, date("convention-debut", "Début", debut.as_deref()));
            let fin = lire(&mut x, date("convention-fin", "Fin", fin.as_deref()));
            // Instalments only for a scheme paid by them (`domain::dispositifs`).
            let par_echeances = p
                .dossier(&c.acteur, id)
                .await
                .map_err(echec)?
                .valeur
                .dispositif
                .regles()
                .financement
                == domain::dispositifs::ModeFinancement::SubventionEcheancier;
            let echeancier = match debut {
                Some(debut) if par_echeances => {
                    lire(&mut x, plan_financement::echeancier_saisi(brut, debut))
                }
                _ => Some(Vec::new()),
            };
            let (Some(debut), Some(fin), Some(echeancier), true) =
                (debut, fin, echeancier, x.est_vide())
            else {
                return Err(x.into());
            };
            let nouvelle = NouvelleConvention {
                numero: texte(numero),
                debut,
                fin,
                echeancier,
            };
            p.etablir_convention(&c.acteur, id, nouvelle, quand)
                .await
                .map_err(echec)?;
            return Ok(Redirect::to("/conventions").into_response());
        }
        _ => {}
    }
    Ok(Redirect::to(&format!("/dossiers/{id}?fait={fait}")).into_response())
}
