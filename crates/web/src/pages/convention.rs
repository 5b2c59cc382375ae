//! One convention: its parties and period, and the yearly cycle under it: the three declarations
//! (entered by the gestionnaire, validated by the Caf, with the right computed and frozen with its
//! trace), the bilan, and the payments; and its signature: the gestionnaire signs in the
//! application (explicit acceptance), the Caf countersigns. Each form is offered only to whom it
//! belongs; the domain checks it again on submission, and a refusal shows the page again with the
//! message next to the field and what was typed.

use app::ActionTransmission;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::declaration::{
    Activite, ContenuBilan, DonneesDeclaration, DroitFige, EtatTransmission, EtpValides,
    NatureDeclaration,
};
use domain::identifiants::{BilanId, ConventionId, DeclarationId};
use domain::quantites::{Centimes, Etp};
use maud::{Markup, html};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Echec, Erreurs, majuscule};
use crate::fr;
use crate::rendu::{csrf, e, page, tableau};
use crate::session::Connecte;

fn bouton(
    c: &Connecte,
    cible: &str,
    action: &str,
    libelle: &str,
    extra: &str,
    secondaire: bool,
) -> String {
    format!(
        "<form method=\"post\" action=\"{cible}\" class=\"en-ligne\">{}<input type=\"hidden\" name=\"action\" value=\"{action}\">{extra}\
         <button type=\"submit\"{}>{}</button></form>",
        csrf(c),
        if secondaire {
            " class=\"secondaire\""
        } else {
            ""
        },
        e(libelle)
    )
}

pub async fn fiche(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    Ok(Html(
        rendre(&etat, &c, id, None, &Erreurs::default()).await?,
    ))
}

/// The value typed in a field of the form of `action`, else `defaut`.
fn valeur(
    s: Option<&Action>,
    action: &str,
    champ: fn(&Action) -> &Option<String>,
    defaut: &str,
) -> String {
    match s {
        Some(a) if a.action == action => champ(a).clone().unwrap_or_default(),
        _ => defaut.to_owned(),
    }
}

async fn rendre(
    etat: &Etat,
    c: &Connecte,
    id: i64,
    s: Option<&Action>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let c = c.clone();
    let p = &etat.plateforme;
    let cid = ConventionId(id);
    let conv = p.convention(&c.acteur, cid).await?;
    let v = &conv.valeur;
    let declarations = p.declarations(&c.acteur, Some(cid)).await?;
    let bilans = p.bilans(&c.acteur, cid).await?;
    let paiements = p.paiements(&c.acteur, Some(cid)).await?;
    let cible = format!("/conventions/{id}/action");
    // What the scheme's rules give this convention (`domain::dispositifs`): the AIP's
    // declarations and bilan, or an échéancier.
    let regles = v.dispositif.regles();
    let echeancier = echeancier::section(&c, v, &paiements, &cible);

    let mut lignes = Vec::new();
    let mut calculs = String::new();
    let mut validations = String::new();
    for d in &declarations {
        let d = &d.valeur;
        let etat_d = d.etat();
        let mut actions = String::new();
        if c.acteur.role == Role::Gestionnaire && etat_d == EtatTransmission::Saisie {
            actions.push_str(&bouton(
                &c,
                &cible,
                "transmettre_declaration",
                "Transmettre",
                &format!(
                    "<input type=\"hidden\" name=\"declaration\" value=\"{}\">",
                    d.id
                ),
                false,
            ));
        }
        if c.acteur.role == Role::Caf && etat_d == EtatTransmission::Transmise {
            let cache = format!(
                "<input type=\"hidden\" name=\"declaration\" value=\"{}\">",
                d.id
            );
            if d.nature == NatureDeclaration::Reelle {
                actions.push_str(&format!(
                    "<a href=\"#validation-{}\">Valider les ETP et la déclaration</a> ",
                    d.id
                ));
                validations.push_str(&validation_reelle(etat, &c, &cible, d, &bilans, s, x).await?);
            } else {
                actions.push_str(&bouton(
                    &c,
                    &cible,
                    "valider_declaration",
                    "Valider",
                    &cache,
                    false,
                ));
            }
            actions.push_str(&bouton(
                &c,
                &cible,
                "renvoyer_declaration",
                "Renvoyer",
                &format!(
                    "{cache}{}",
                    Champ::new("motif", "Motif du renvoi")
                        .id(&format!("motif-{}", d.id))
                        .erreurs(x)
                        .requis()
                        .texte(&match s {
                            Some(a)
                                if a.action == "renvoyer_declaration"
                                    && a.declaration == Some(d.id.0) =>
                            {
                                a.motif.clone().unwrap_or_default()
                            }
                            _ => String::new(),
                        })
                        .into_string()
                ),
                true,
            ));
        }
        // The right: frozen once validated; before, as the Caf's validation would compute it
        // now (the gestionnaire sees it before sending). Folded, one line open.
        let titre = format!("{} {}", majuscule(d.nature.libelle()), d.exercice);
        match &d.droit {
            Some(f) => calculs.push_str(&trace_droit(&titre, "droit", f).into_string()),
            None => {
                if let Ok(Some(estime)) = p
                    .droit_estime(&c.acteur, d.id, time::OffsetDateTime::now_utc())
                    .await
                {
                    calculs.push_str(
                        &trace_droit(
                            &titre,
                            "droit estimé si la Caf la valide telle quelle",
                            &estime,
                        )
                        .into_string(),
                    );
                }
            }
        }
        lignes.push(vec![
            d.exercice.to_string(),
            e(d.nature.libelle()),
            format!(
                "{}{}",
                crate::vue::etat_transmission(etat_d).into_string(),
                d.suivi
                    .motif_renvoi
                    .as_ref()
                    .map_or(String::new(), |m| format!(
                        "<br><span class=\"aide\">Renvoyée: {}</span>",
                        e(m)
                    ))
            ),
            fr::euros(d.donnees.depenses_fonctionnement.centimes()),
            e(&d.donnees.etp_declares.to_string()),
            d.donnees.mois_fonctionnement.to_string(),
            actions,
        ]);
    }
    let mut lignes_bilans = Vec::new();
    for b in &bilans {
        let b = &b.valeur;
        let cache = format!("<input type=\"hidden\" name=\"bilan\" value=\"{}\">", b.id);
        let actions = match (c.acteur.role, b.etat()) {
            (Role::Gestionnaire, EtatTransmission::Saisie) => bouton(
                &c,
                &cible,
                "transmettre_bilan",
                "Transmettre",
                &cache,
                false,
            ),
            (Role::Caf, EtatTransmission::Transmise) => {
                bouton(&c, &cible, "valider_bilan", "Valider", &cache, false)
            }
            _ => String::new(),
        };
        lignes_bilans.push(vec![
            b.exercice.to_string(),
            crate::vue::etat_transmission(b.etat()).into_string(),
            b.contenu.familles_accompagnees.to_string(),
            b.contenu.entretiens.to_string(),
            e(&b.contenu.synthese),
            actions,
        ]);
    }
    let lignes_paiements: Vec<Vec<String>> = paiements
        .iter()
        .map(|x| {
            let x = &x.valeur;
            vec![
                e(&x.reference),
                x.exercice.to_string(),
                e(x.nature.libelle()),
                fr::euros(x.montant.centimes()),
                fr::date(x.date),
            ]
        })
        .collect();

    let mut formulaires = String::new();
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let signature = match (&v.signature_gestionnaire, v.etat.code()) {
        (Some(sg), _) => format!(
            "<div class=\"encadre succes\" role=\"status\"><p>Signée par la structure ({}) le {}{}.</p></div>",
            e(&sg.nom),
            fr::date(sg.le.date()),
            if v.etat.code() == "projet" {
                ", en attente de la contresignature de la Caf"
            } else {
                ""
            }
        ),
        (None, "projet") if c.acteur.role == Role::Gestionnaire && aujourd_hui > v.fin => format!(
            "<div class=\"encadre alerte\" role=\"status\"><p>Cette convention a pris fin le {} sans avoir été signée: elle ne peut plus l'être. Rapprochez-vous de votre Caf.</p></div>",
            fr::date(v.fin)
        ),
        (None, "projet") if c.acteur.role == Role::Gestionnaire => format!(
            "<h2>Convention à signer</h2><p>Votre Caf a établi cette convention: lisez-la, puis signez-la; la Caf la contresignera.</p>\
             <p><a class=\"bouton secondaire\" href=\"/conventions/{id}/convention.pdf\">Lire la convention (PDF)</a></p>\
             <form method=\"post\" action=\"{cible}\" novalidate><fieldset><legend>Signer la convention</legend>{}<input type=\"hidden\" name=\"action\" value=\"signer_gestionnaire\">{}\
             <p class=\"aide\">Vous signez au nom de la structure, en tant que {}; la date et l'heure de votre signature sont enregistrées.</p>\
             <button type=\"submit\">Signer la convention</button></fieldset></form>",
            csrf(&c),
            Champ::new(
                "accepte",
                "J'ai lu et j'accepte les termes de la convention d'objectifs et de financement"
            )
            .erreurs(x)
            .case(false)
            .into_string(),
            e(&c.utilisateur.nom),
        ),
        _ => String::new(),
    };
    if c.acteur.role == Role::Caf && v.etat.code() == "projet" {
        let (legende, libelle, defaut) = match &v.signature_gestionnaire {
            Some(_) => (
                "Contresigner la convention",
                "Date de la contresignature",
                aujourd_hui.to_string(),
            ),
            None => (
                "Signature",
                "Date de signature par les deux parties",
                String::new(),
            ),
        };
        formulaires.push_str(&format!(
            "<form method=\"post\" action=\"{cible}\" novalidate><fieldset><legend>{legende}</legend>{}<input type=\"hidden\" name=\"action\" value=\"signer\">{}<button type=\"submit\">Enregistrer la signature</button></fieldset></form>",
            csrf(&c),
            Champ::new("date_signature", libelle)
                .erreurs(x)
                .requis()
                .saisie("date", &valeur(s, "signer", |a| &a.date_signature, &defaut)).into_string()
        ));
    }
    if c.acteur.role == Role::Gestionnaire && regles.declarations_aip {
        let v_d = |champ: fn(&Action) -> &Option<String>, defaut: &str| {
            valeur(s, "saisir_declaration", champ, defaut)
        };
        let v_b = |champ: fn(&Action) -> &Option<String>, defaut: &str| {
            valeur(s, "saisir_bilan", champ, defaut)
        };
        formulaires.push_str(&format!(
            "<form method=\"post\" action=\"{cible}\" novalidate><fieldset><legend>Saisir une déclaration</legend>{}<input type=\"hidden\" name=\"action\" value=\"saisir_declaration\">\
             {}{}{}{}{}{}{}{}{}<button type=\"submit\">Enregistrer la déclaration</button></fieldset></form>",
            csrf(&c),
            Champ::new("nature", "Déclaration").erreurs(x).liste(
                &[
                    ("previsionnelle", "Prévisionnelle"),
                    ("actualisee", "Actualisée"),
                    ("reelle", "Réelle")
                ],
                &v_d(|a| &a.nature, "previsionnelle")
            ).into_string(),
            Champ::new("exercice", "Exercice")
                .erreurs(x)
                .clavier(Clavier::Numerique).requis()
                .texte(&v_d(|a| &a.exercice, "2025")).into_string(),
            Champ::new("depenses", "Dépenses de fonctionnement (€)")
                .erreurs(x)
                .clavier(Clavier::Decimal).requis()
                .texte(&v_d(|a| &a.depenses, "")).into_string(),
            Champ::new("etp_declares", "ETP déclarés")
                .erreurs(x)
                .clavier(Clavier::Decimal).requis()
                .texte(&v_d(|a| &a.etp_declares, "")).into_string(),
            Champ::new("mois", "Mois de fonctionnement")
                .erreurs(x)
                .clavier(Clavier::Numerique).requis()
                .texte(&v_d(|a| &a.mois, "12")).into_string(),
            Champ::new("entretiens", "Nombre d'entretiens")
                .erreurs(x)
                .clavier(Clavier::Numerique).requis()
                .texte(&v_d(|a| &a.entretiens, "0")).into_string(),
            Champ::new("parents", "Nombre de parents différents accompagnés")
                .erreurs(x)
                .clavier(Clavier::Numerique).requis()
                .texte(&v_d(|a| &a.parents, "0")).into_string(),
            Champ::new("heures", "Nombre total d'heures d'entretiens")
                .erreurs(x)
                .clavier(Clavier::Numerique).requis()
                .texte(&v_d(|a| &a.heures, "0")).into_string(),
            Champ::new(
                "heures_travaillees",
                "Heures travaillées sur le service par les intervenants"
            )
            .aide("Pour la déclaration réelle : la Caf les rapproche de 1 607 heures par ETP")
            .erreurs(x)
            .clavier(Clavier::Numerique)
            .texte(&v_d(|a| &a.heures_travaillees, "")).into_string(),
        ));
        formulaires.push_str(&format!(
            "<form method=\"post\" action=\"{cible}\" novalidate><fieldset><legend>Saisir le bilan annuel</legend>{}<input type=\"hidden\" name=\"action\" value=\"saisir_bilan\">{}{}{}{}{}\
             <button type=\"submit\">Enregistrer le bilan</button></fieldset></form>",
            csrf(&c),
            Champ::new("exercice_bilan", "Exercice")
                .erreurs(x)
                .clavier(Clavier::Numerique).requis()
                .texte(&v_b(|a| &a.exercice_bilan, "2025")).into_string(),
            Champ::new("familles", "Familles accompagnées")
                .erreurs(x)
                .clavier(Clavier::Numerique).requis()
                .texte(&v_b(|a| &a.familles, "0")).into_string(),
            Champ::new("entretiens_bilan", "Entretiens")
                .erreurs(x)
                .clavier(Clavier::Numerique).requis()
                .texte(&v_b(|a| &a.entretiens_bilan, "0")).into_string(),
            Champ::new("heures_ap", "Heures d'analyse de la pratique")
                .erreurs(x)
                .clavier(Clavier::Numerique).requis()
                .texte(&v_b(|a| &a.heures_ap, "0")).into_string(),
            Champ::new("synthese", "Synthèse qualitative")
                .erreurs(x)
                .requis()
                .zone(&v_b(|a| &a.synthese, "")).into_string(),
        ));
    }
    let contenu = format!(
        "<h1>Convention {}</h1>{}<p>{}</p>{signature}\
         <dl class=\"fiche\"><dt>Dossier</dt><dd><a href=\"/dossiers/{}\">n°{}</a></dd><dt>Période</dt><dd>du {} au {} (sans reconduction tacite)</dd>\
         <dt>Signée le</dt><dd>{}</dd>{}</dl>\
         <p class=\"actions\"><a class=\"bouton secondaire\" href=\"/conventions/{id}/convention.pdf\">Convention (PDF)</a>\
         <a class=\"bouton secondaire\" href=\"/conventions/{id}/releve.pdf\">Relevé des paiements et calculs (PDF)</a></p>\
         {echeancier}{}{validations}{calculs}{}<h2>Paiements</h2>{}{formulaires}",
        e(&v.numero),
        x.resume().into_string(),
        crate::vue::etat_convention(v.etat).into_string(),
        v.dossier,
        v.dossier,
        fr::date(v.debut),
        fr::date(v.fin),
        v.date_signature.map_or("non signée".to_owned(), fr::date),
        echeancier::fiche(v),
        if !regles.declarations_aip {
            String::new()
        } else {
            format!(
                "<h2>Déclarations</h2>{}",
                tableau(
                    "Déclarations de la convention",
                    &[
                        ("Exercice", false),
                        ("Déclaration", false),
                        ("État", false),
                        ("Dépenses", true),
                        ("ETP déclarés", true),
                        ("Mois", true),
                        ("Actions", false)
                    ],
                    &lignes
                )
            )
        },
        if !regles.bilan {
            String::new()
        } else {
            format!(
                "<h2>Bilans annuels</h2>{}",
                tableau(
                    "Bilans",
                    &[
                        ("Exercice", false),
                        ("État", false),
                        ("Familles", true),
                        ("Entretiens", true),
                        ("Synthèse", false),
                        ("Actions", false)
                    ],
                    &lignes_bilans
                )
            )
        },
        tableau(
            "Paiements de la convention",
            &[
                ("Référence", false),
                ("Exercice", true),
                ("Nature", false),
                ("Montant", true),
                ("Date", false)
            ],
            &lignes_paiements
        ),
    );
    // Pièces justificatives of each declaration and bilan (pages/pieces.rs).
    let objets: Vec<(domain::pieces::ObjetPiece, String)> = declarations
        .iter()
        .map(|d| {
            (
                domain::pieces::ObjetPiece::Declaration(d.valeur.id),
                format!("{} {}", d.valeur.nature.libelle(), d.valeur.exercice),
            )
        })
        .chain(bilans.iter().map(|b| {
            (
                domain::pieces::ObjetPiece::Bilan(b.valeur.id),
                format!("bilan {}", b.valeur.exercice),
            )
        }))
        .collect();
    let contenu = format!(
        "{contenu}{}",
        crate::pages::pieces::liens_pieces(&objets).into_string()
    );
    Ok(page(
        &x.titre(&format!("Convention {}", v.numero)),
        Some(&c),
        "/conventions",
        &contenu,
    ))
}

#[derive(Debug, Deserialize)]
pub struct Action {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    action: String,
    declaration: Option<i64>,
    bilan: Option<i64>,
    motif: Option<String>,
    date_signature: Option<String>,
    accepte: Option<String>,
    nature: Option<String>,
    exercice: Option<String>,
    depenses: Option<String>,
    etp_declares: Option<String>,
    mois: Option<String>,
    entretiens: Option<String>,
    parents: Option<String>,
    heures: Option<String>,
    heures_travaillees: Option<String>,
    etp_valides: Option<String>,
    motivation_etp: Option<String>,
    exercice_bilan: Option<String>,
    familles: Option<String>,
    entretiens_bilan: Option<String>,
    heures_ap: Option<String>,
    synthese: Option<String>,
    /// The rank of the instalment to pay (`verser`).
    rang: Option<u16>,
}

/// A whole number typed in the field `id`, labelled `libelle`; its error added to `x`.
fn entier<T: std::str::FromStr>(
    x: &mut Erreurs,
    id: &str,
    libelle: &str,
    t: Option<&str>,
) -> Option<T> {
    let t = t.unwrap_or_default().trim();
    match t.replace([' ', '\u{a0}'], "").parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            x.ajouter(
                id,
                format!("{libelle} : « {t} » n'est pas un nombre entier valide"),
            );
            None
        }
    }
}

/// Where the refusals of each form go.
/// The Caf's validation of a réelle (Référentiel national de financement de l'AIP, §VI.2): the
/// FTE declared beside what the qualified salaried intervenants carry, the cross-checks of the
/// year's activity (hours worked against 1 607 h per FTE, time outside sessions, sessions and
/// families per FTE, analyse de la pratique from the bilan), and the « ETP validés » with their
/// motivation when fewer than declared.
async fn validation_reelle(
    etat: &Etat,
    c: &Connecte,
    cible: &str,
    d: &domain::declaration::Declaration,
    bilans: &[store::depot::Lu<domain::declaration::Bilan>],
    s: Option<&Action>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    use referentiel::conformite::{ActiviteAip, SeuilsActivite, verifier_activite};
    use referentiel::exact::Decimal;
    let p = &etat.plateforme;
    let portes = p
        .etp_portes_declaration(&c.acteur, d.id, time::OffsetDateTime::now_utc().date())
        .await?;
    let parts: String = portes
        .parts
        .iter()
        .map(|part| {
            let compte = match &part.exclusion {
                Some(raison) => format!("ne compte pas : {}", e(raison)),
                None => format!(
                    "{} ETP, {} mois sous contrat sur {}{}",
                    e(&part.etp.to_string()),
                    part.mois_sous_contrat,
                    portes.mois,
                    if part.contrat_non_renseigne {
                        " (dates du contrat non renseignées)"
                    } else {
                        ""
                    }
                ),
            };
            format!("<li>{} : {compte}</li>", e(&part.nom))
        })
        .collect();
    let seuils = SeuilsActivite::pour_exercice(&p.parametres, d.exercice)
        .map_err(|x| ErreurWeb::Interne(x.to_string()))?;
    let analyse = bilans
        .iter()
        .map(|b| &b.valeur)
        .find(|b| b.exercice == d.exercice)
        .map(|b| Decimal::entier(i64::from(b.contenu.heures_analyse_pratique)));
    let a = &d.donnees.activite;
    let activite = ActiviteAip {
        etp: Decimal::parse(&d.donnees.etp_declares.texte_point())
            .map_err(|x| ErreurWeb::Interne(x.to_string()))?,
        mois_fonctionnement: d.donnees.mois_fonctionnement,
        familles_distinctes: a.parents_distincts,
        entretiens: a.entretiens,
        entretiens_par_famille: None,
        heures_travaillees: a.heures_travaillees.map(|h| Decimal::entier(i64::from(h))),
        heures_entretiens: Some(Decimal::entier(i64::from(a.heures_entretiens))),
        heures_analyse_pratique: analyse,
    };
    let rapport =
        verifier_activite(&activite, &seuils).map_err(|x| ErreurWeb::Interne(x.to_string()))?;
    let id_etp = format!("etp_valides-{}", d.id);
    let id_motivation = format!("motivation_etp-{}", d.id);
    let saisi = |champ: fn(&Action) -> &Option<String>, defaut: String| match s {
        Some(a) if a.action == "valider_declaration" && a.declaration == Some(d.id.0) => {
            champ(a).clone().unwrap_or_default()
        }
        _ => defaut,
    };
    Ok(format!(
        "<section class=\"encadre\" id=\"validation-{id}\" aria-labelledby=\"titre-validation-{id}\"><h3 id=\"titre-validation-{id}\">Valider la déclaration réelle {exercice} : les ETP</h3>\
         <p>{declares} ETP déclarés ; les intervenants salariés qualifiés en portent {portes} sur les {mois} mois de fonctionnement.</p><ul>{parts}</ul>\
         {rapport}\
         <form method=\"post\" action=\"{cible}\" novalidate>{csrf}<input type=\"hidden\" name=\"action\" value=\"valider_declaration\"><input type=\"hidden\" name=\"declaration\" value=\"{id}\">{etp}{motivation}<button type=\"submit\">Valider la déclaration réelle</button></form></section>",
        id = d.id,
        exercice = d.exercice,
        declares = e(&d.donnees.etp_declares.to_string()),
        portes = e(&portes.moyenne_fr()),
        mois = portes.mois,
        rapport = crate::pages::structures::rapport_html("Contrôles de l'activité (Référentiel national de financement de l'AIP, §V et §VI.2)", &rapport),
        csrf = csrf(c),
        etp = Champ::new("etp_valides", "ETP validés")
            .id(&id_etp)
            .aide("Au plus les ETP déclarés ; moins, avec une motivation : le droit est calculé sur les ETP validés")
            .erreurs(x)
            .clavier(Clavier::Decimal)
            .texte(&saisi(|a| &a.etp_valides, d.donnees.etp_declares.to_string())).into_string(),
        motivation = Champ::new("motivation_etp", "Motivation, si moins d'ETP que déclarés")
            .id(&id_motivation)
            .erreurs(x)
            .texte(&saisi(|a| &a.motivation_etp, String::new())).into_string(),
    ))
}

/// The computation of a right, folded: its summary gives the amount, the steps give each
/// formula, its result in French and its source.
fn trace_droit(titre: &str, nature: &str, droit: &DroitFige) -> Markup {
    let etapes = droit.trace["etapes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    html! {
        details.trace {
            summary { (titre) " : " (nature) " de " (fr::euros(droit.montant.centimes())) }
            @if let Some(v) = &droit.etp_valides {
                p { "ETP validés par la Caf : " (v.etp.to_string()) " (" (v.motivation) ")" }
            }
            ol {
                @for etape in &etapes {
                    @let resultat = etape["resultat"].as_object().and_then(|o| o.iter().next()).map(|(k, v)| {
                        fr::resultat_trace(k, v.as_str().unwrap_or_default())
                    }).unwrap_or_default();
                    li {
                        strong { (etape["titre"].as_str().unwrap_or_default()) }
                        br;
                        (etape["formule"].as_str().unwrap_or_default())
                        br;
                        (resultat)
                        br;
                        span.aide { (etape["source"].as_str().unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

fn champs_action(action: &str, declaration: Option<i64>) -> Vec<(&'static str, String)> {
    let v = |t: &[(&'static str, &str)]| t.iter().map(|(a, b)| (*a, (*b).to_owned())).collect();
    match action {
        "signer" => v(&[("date", "date_signature")]),
        "signer_gestionnaire" => v(&[("acceptation", "accepte")]),
        "saisir_declaration" => v(&[
            ("exercice", "exercice"),
            ("dépenses", "depenses"),
            ("etp", "etp_declares"),
            ("mois", "mois"),
            ("entretiens", "entretiens"),
            ("parents", "parents"),
            ("heures travaillées", "heures_travaillees"),
            ("heures", "heures"),
            ("déclaration", "nature"),
        ]),
        "saisir_bilan" => v(&[
            ("exercice", "exercice_bilan"),
            ("familles", "familles"),
            ("entretiens", "entretiens_bilan"),
            ("analyse", "heures_ap"),
            ("synthèse", "synthese"),
        ]),
        "valider_declaration" => {
            let d = declaration.unwrap_or_default();
            vec![
                ("etp validés", format!("etp_valides-{d}")),
                ("motif", format!("motivation_etp-{d}")),
            ]
        }
        "renvoyer_declaration" => vec![(
            "motif",
            declaration.map_or(String::new(), |d| format!("motif-{d}")),
        )],
        _ => Vec::new(),
    }
}

pub async fn agir(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<Action>,
) -> Result<Response, ErreurWeb> {
    match executer(&etat, &c, id, &f).await {
        Ok(r) => Ok(r),
        Err(Echec::Page(w)) => Err(w),
        Err(Echec::Saisie(x)) => {
            Ok((x.statut(), Html(rendre(&etat, &c, id, Some(&f), &x).await?)).into_response())
        }
    }
}

async fn executer(etat: &Etat, c: &Connecte, id: i64, f: &Action) -> Result<Response, Echec> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let p = &etat.plateforme;
    let cid = ConventionId(id);
    let quand = time::OffsetDateTime::now_utc();
    let table = champs_action(&f.action, f.declaration);
    let table: Vec<(&str, &str)> = table.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let defaut = match f.action.as_str() {
        "signer" | "saisir_declaration" | "saisir_bilan" | "renvoyer_declaration" => {
            table.first().map_or("", |(_, c)| *c)
        }
        _ => "",
    };
    let app = |e: app::ErreurApp| Echec::app(e, &table, defaut);
    let declaration = || {
        f.declaration
            .map(DeclarationId)
            .ok_or_else(|| Echec::champ("", "Déclaration non précisée"))
    };
    let bilan = || {
        f.bilan
            .map(BilanId)
            .ok_or_else(|| Echec::champ("", "Bilan non précisé"))
    };
    match f.action.as_str() {
        "signer" => {
            let t = f.date_signature.as_deref().unwrap_or_default().trim();
            let date =
                Date::parse(t, format_description!("[year]-[month]-[day]")).map_err(|_| {
                    Echec::champ(
                        "date_signature",
                        format!(
                            "Date de signature : « {t} » n'est pas une date valide (jj/mm/aaaa)"
                        ),
                    )
                })?;
            p.signer_convention(&c.acteur, cid, None, date, quand)
                .await
                .map_err(app)?;
        }
        "signer_gestionnaire" => {
            p.signer_convention_gestionnaire(
                &c.acteur,
                cid,
                None,
                &c.utilisateur.nom,
                f.accepte.is_some(),
                quand,
            )
            .await
            .map_err(app)?;
        }
        "saisir_declaration" => {
            let mut x = Erreurs::default();
            let nature = match f.nature.as_deref() {
                Some("previsionnelle") => Some(NatureDeclaration::Previsionnelle),
                Some("actualisee") => Some(NatureDeclaration::Actualisee),
                Some("reelle") => Some(NatureDeclaration::Reelle),
                _ => {
                    x.ajouter(
                        "nature",
                        "Déclaration : prévisionnelle, actualisée ou réelle",
                    );
                    None
                }
            };
            let exercice = entier(&mut x, "exercice", "Exercice", f.exercice.as_deref());
            let depenses = Centimes::parse_non_negatif(f.depenses.as_deref().unwrap_or_default())
                .map_err(|e| x.ajouter("depenses", format!("Dépenses de fonctionnement : {e}")))
                .ok();
            let etp = Etp::parse(f.etp_declares.as_deref().unwrap_or_default())
                .map_err(|e| x.ajouter("etp_declares", format!("ETP déclarés : {e}")))
                .ok();
            let mois = entier(&mut x, "mois", "Mois de fonctionnement", f.mois.as_deref());
            let entretiens = entier(
                &mut x,
                "entretiens",
                "Nombre d'entretiens",
                f.entretiens.as_deref(),
            );
            let parents = entier(&mut x, "parents", "Nombre de parents", f.parents.as_deref());
            let heures = entier(&mut x, "heures", "Nombre d'heures", f.heures.as_deref());
            let heures_travaillees = match f.heures_travaillees.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(t) => {
                    entier(&mut x, "heures_travaillees", "Heures travaillées", Some(t)).map(Some)
                }
            };
            let (
                Some(nature),
                Some(exercice),
                Some(depenses),
                Some(etp),
                Some(mois),
                Some(entretiens),
                Some(parents),
                Some(heures),
                Some(heures_travaillees),
            ) = (
                nature,
                exercice,
                depenses,
                etp,
                mois,
                entretiens,
                parents,
                heures,
                heures_travaillees,
            )
            else {
                return Err(x.into());
            };
            let donnees = DonneesDeclaration {
                depenses_fonctionnement: depenses,
                etp_declares: etp,
                mois_fonctionnement: mois,
                activite: Activite {
                    entretiens,
                    parents_distincts: parents,
                    heures_entretiens: heures,
                    heures_travaillees,
                },
            };
            p.saisir_declaration(&c.acteur, cid, exercice, nature, donnees, quand)
                .await
                .map_err(app)?;
        }
        "transmettre_declaration" => {
            p.agir_sur_declaration(
                &c.acteur,
                declaration()?,
                None,
                ActionTransmission::Transmettre,
                quand,
            )
            .await
            .map_err(app)?;
        }
        "valider_declaration" => {
            let action = match f.etp_valides.as_deref().map(str::trim) {
                None | Some("") => ActionTransmission::Valider,
                Some(t) => {
                    let id = f.declaration.unwrap_or_default();
                    let etp = Etp::parse(t).map_err(|m| {
                        let mut x = Erreurs::default();
                        x.ajouter(&format!("etp_valides-{id}"), format!("ETP validés : {m}"));
                        Echec::from(x)
                    })?;
                    ActionTransmission::ValiderEtp(EtpValides {
                        etp,
                        motivation: f.motivation_etp.clone().unwrap_or_default(),
                    })
                }
            };
            p.agir_sur_declaration(&c.acteur, declaration()?, None, action, quand)
                .await
                .map_err(app)?;
        }
        "renvoyer_declaration" => {
            p.agir_sur_declaration(
                &c.acteur,
                declaration()?,
                None,
                ActionTransmission::Renvoyer(f.motif.clone().unwrap_or_default()),
                quand,
            )
            .await
            .map_err(app)?;
        }
        "saisir_bilan" => {
            let mut x = Erreurs::default();
            let exercice = entier(
                &mut x,
                "exercice_bilan",
                "Exercice",
                f.exercice_bilan.as_deref(),
            );
            let familles = entier(
                &mut x,
                "familles",
                "Familles accompagnées",
                f.familles.as_deref(),
            );
            let entretiens = entier(
                &mut x,
                "entretiens_bilan",
                "Entretiens",
                f.entretiens_bilan.as_deref(),
            );
            let heures = entier(
                &mut x,
                "heures_ap",
                "Heures d'analyse de la pratique",
                f.heures_ap.as_deref(),
            );
            let (Some(exercice), Some(familles), Some(entretiens), Some(heures)) =
                (exercice, familles, entretiens, heures)
            else {
                return Err(x.into());
            };
            let contenu = ContenuBilan {
                familles_accompagnees: familles,
                entretiens,
                heures_analyse_pratique: heures,
                synthese: f.synthese.clone().unwrap_or_default(),
                ..ContenuBilan::default()
            };
            p.saisir_bilan(&c.acteur, cid, exercice, contenu, quand)
                .await
                .map_err(app)?;
        }
        "verser" => {
            let rang = f
                .rang
                .ok_or_else(|| Echec::champ("", "Versement non précisé"))?;
            p.verser_echeance(&c.acteur, cid, rang, quand.date(), quand)
                .await
                .map_err(app)?;
        }
        "transmettre_bilan" => {
            p.agir_sur_bilan(
                &c.acteur,
                bilan()?,
                None,
                ActionTransmission::Transmettre,
                quand,
            )
            .await
            .map_err(app)?;
        }
        "valider_bilan" => {
            p.agir_sur_bilan(
                &c.acteur,
                bilan()?,
                None,
                ActionTransmission::Valider,
                quand,
            )
            .await
            .map_err(app)?;
        }
        autre => {
            return Err(ErreurWeb::Refus(format!("action « {autre} » inconnue")).into());
        }
    }
    Ok(Redirect::to(&format!("/conventions/{id}")).into_response())
}

// ---- Échéancier: the instalments of a convention of a scheme paid by instalments ----
mod echeancier {
    //! The instalments frozen in a convention of a scheme decided by amount
    //! (`domain::dispositifs`), each with its payment once made, and for a Caf agent the button
    //! that pays the one due (its date reached, the convention signed by both parties).

    use domain::acces::Role;
    use domain::convention::{Convention, EtatConvention};
    use domain::paiement::{Echeance, Paiement};
    use store::depot::Lu;

    use super::bouton;
    use crate::fr;
    use crate::rendu::{e, tableau};
    use crate::session::Connecte;

    /// The convention's financing in its summary: the FTE notified (AIP), or the total of the
    /// instalments.
    pub fn fiche(v: &Convention) -> String {
        match (v.notification_initiale, v.total_echeancier()) {
            (Some(n), _) => format!(
                "<dt>ETP notifiés</dt><dd>{} à compter du {}</dd>",
                e(&n.etp.to_string()),
                fr::date(n.date_effet)
            ),
            (None, Some(total)) => format!(
                "<dt>Subvention de la Caf</dt><dd>{} en {} versement(s)</dd>",
                fr::euros(total.centimes()),
                v.echeancier.len()
            ),
            (None, None) => String::new(),
        }
    }

    /// The échéancier section, empty for a convention without instalments.
    pub fn section(
        c: &Connecte,
        v: &Convention,
        paiements: &[Lu<Paiement>],
        cible: &str,
    ) -> String {
        if v.echeancier.is_empty() {
            return String::new();
        }
        let aujourd_hui = time::OffsetDateTime::now_utc().date();
        let lignes: Vec<Vec<String>> = v
            .echeancier
            .iter()
            .map(|prevu| {
                let paye = paiements
                    .iter()
                    .find(|p| p.valeur.nature.echeance() == Echeance::Versement(prevu.rang));
                let suite = match paye {
                    Some(p) => format!(
                        "versé le {} (réf. {})",
                        fr::date(p.valeur.date),
                        e(&p.valeur.reference)
                    ),
                    None if c.acteur.role == Role::Caf
                        && v.etat == EtatConvention::Signee
                        && prevu.date <= aujourd_hui =>
                    {
                        bouton(
                            c,
                            cible,
                            "verser",
                            &format!("Verser le versement n°{}", prevu.rang),
                            &format!(
                                "<input type=\"hidden\" name=\"rang\" value=\"{}\">",
                                prevu.rang
                            ),
                            false,
                        )
                    }
                    None if v.etat != EtatConvention::Signee => {
                        "à verser une fois la convention signée".to_owned()
                    }
                    None if prevu.date > aujourd_hui => {
                        format!("dû à partir du {}", fr::date(prevu.date))
                    }
                    None => "dû".to_owned(),
                };
                vec![
                    format!("n°{}", prevu.rang),
                    fr::date(prevu.date),
                    fr::euros(prevu.montant.centimes()),
                    suite,
                ]
            })
            .collect();
        format!(
            "<h2>Échéancier</h2><p class=\"aide\">Les versements de la subvention accordée par la Caf, fixés à l'établissement de la convention ; chacun est versé une seule fois, à partir de sa date.</p>{}",
            tableau(
                "Versements prévus par la convention",
                &[
                    ("Versement", false),
                    ("À partir du", false),
                    ("Montant", true),
                    ("Suite", false)
                ],
                &lignes
            )
        )
    }
}
