//! The documents the Caf issues, generated as PDF rather than typed: the notification of the
//! comité's decision (with the FTE notified), the Convention d'objectifs et de financement (the
//! parties, its duration, the commitments of Référentiel national de financement de l'AIP §IV.4 and the financing rules of §VI), and
//! the payment statement with the computation behind each amount.

use std::sync::OnceLock;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::decision::IssueDecision;
use domain::identifiants::{ConventionId, DossierId};
use domain::territoire::Communes;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::pdf::{Bloc, document};
use crate::session::Connecte;

fn pdf(nom: &str, octets: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{nom}\""),
            ),
        ],
        octets,
    )
        .into_response()
}

/// The name of a commune from its INSEE code (the code itself when the table does not know it).
/// The table of communes is read once.
fn nom_commune(code: domain::identifiants::CodeInsee) -> String {
    static COMMUNES: OnceLock<Option<Communes>> = OnceLock::new();
    COMMUNES
        .get_or_init(|| Communes::embarquees().ok())
        .as_ref()
        .and_then(|cs| cs.get(code))
        .map_or_else(|| code.to_string(), |c| c.nom.clone())
}

fn caf(departement: domain::identifiants::CodeDepartement) -> String {
    domain::territoire::departement(departement).map_or(format!("Caf {departement}"), |d| {
        format!("Caisse d'allocations familiales {}", d.nom_precede_de())
    })
}

pub async fn notification(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Response, ErreurWeb> {
    let p = &etat.plateforme;
    let d = p.dossier(&c.acteur, DossierId(id)).await?.valeur;
    let decisions = p.decisions(&c.acteur, d.id).await?;
    let decision = decisions
        .last()
        .ok_or(ErreurWeb::Introuvable)?
        .valeur
        .clone();
    let g = p
        .gestionnaire(&domain::Acteur::cnaf(c.acteur.id), d.gestionnaire)
        .await?
        .valeur;
    let mut blocs = vec![
        Bloc::Paragraphe(caf(d.departement)),
        Bloc::Espace,
        Bloc::Ligne(
            "Destinataire".into(),
            format!("{} (SIRET {})", g.raison_sociale, g.siret.formate()),
        ),
        Bloc::Ligne(
            "Dossier".into(),
            format!("n°{} – {}", d.id, d.projet.intitule),
        ),
        Bloc::Titre("Notification de la décision du comité des financeurs".into()),
        Bloc::Paragraphe(format!(
            "Le comité des financeurs réuni le {} a examiné votre projet de fonctionnement présenté au titre de l'expérimentation « Accompagnement individuel parentalité ».",
            fr::date(decision.date_comite)
        )),
        Bloc::Ligne("Décision".into(), decision.issue.libelle().to_owned()),
    ];
    match (decision.issue, decision.notification) {
        (IssueDecision::Valide, Some(n)) => {
            blocs.push(Bloc::Ligne(
                "Nombre d'ETP notifiés".into(),
                n.etp.to_string(),
            ));
            blocs.push(Bloc::Ligne("À compter du".into(), fr::date(n.date_effet)));
            blocs.push(Bloc::Paragraphe(
                "Ce nombre d'ETP est le plafond pris en charge par la Caf; il pourra évoluer par une nouvelle notification (référentiel national, §IV.3). Une convention d'objectifs et de financement vous sera proposée: sa signature conditionne tout versement (§IV.4).".into(),
            ));
        }
        (IssueDecision::Refuse, _) => {
            blocs.push(Bloc::Paragraphe("Votre projet n'est pas retenu.".into()))
        }
        _ => blocs.push(Bloc::Paragraphe(
            "Votre projet sera présenté à nouveau à un prochain comité.".into(),
        )),
    }
    blocs.push(Bloc::Intertitre("Motivation".into()));
    blocs.push(Bloc::Paragraphe(decision.motivation.clone()));
    for part in &decision.parts {
        let qui = match part.financeur {
            domain::structures::Cofinanceur::Caf => "Caf".to_owned(),
            domain::structures::Cofinanceur::Partenaire(f) => format!("Financeur n°{f}"),
        };
        blocs.push(Bloc::Ligne(
            qui,
            format!("{:?} – {}", part.avis, fr::euros(part.montant.centimes()))
                .replace("Accorde", "accordé")
                .replace("Refuse", "refusé"),
        ));
    }
    Ok(pdf(
        &format!("notification-dossier-{}.pdf", d.id),
        document("Notification de décision", &blocs),
    ))
}

pub async fn convention(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Response, ErreurWeb> {
    let p = &etat.plateforme;
    let v = p.convention(&c.acteur, ConventionId(id)).await?.valeur;
    let g = p
        .gestionnaire(&domain::Acteur::cnaf(c.acteur.id), v.gestionnaire)
        .await?
        .valeur;
    // The AIP's financing rules (Référentiel national de financement de l'AIP §VI) apply to AIP conventions only; another scheme's
    // convention refers to the amounts of the comité's decision.
    let aip = v.dispositif.regles().financement == domain::dispositifs::ModeFinancement::FormuleAip;
    let (financement, versements, objet) = if aip {
        let parametres =
            referentiel::aip::ParametresAip::pour_exercice(&p.parametres, v.debut.year())
                .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
        let prix = referentiel::aip::rendu::valeur_parametre_fr(&parametres.prix_plafond);
        let taux = referentiel::aip::rendu::valeur_parametre_fr(&parametres.taux_subvention);
        let acompte = referentiel::aip::rendu::valeur_parametre_fr(&parametres.taux_acompte);
        (
            format!(
                "La subvention est égale à {taux} du prix de revient retenu, dans la limite d'un prix plafond de {prix} par ETP et par an, multiplié par le nombre d'ETP déclarés dans la limite des ETP notifiés, proratisé à la durée de fonctionnement (§VI.1)."
            ),
            format!(
                "Un acompte de {acompte} du droit prévisionnel est versé dès réception de la convention signée; le solde, égal au droit définitif diminué des versements effectués, est versé à réception du bilan et de la déclaration réelle; un solde négatif donne lieu à récupération de l'indu (§VI.2)."
            ),
            "Accompagnement individuel parentalité – expérimentation 2024-2025".to_owned(),
        )
    } else {
        (
            format!(
                "La subvention de la Caf est le montant que la Caf a accordé lors du comité des financeurs, soit {} ; chaque financeur décide de sa propre part (Lettre circulaire Cnaf 2012-093, §43).",
                v.total_echeancier().map_or("–".to_owned(), |t| fr::euros(t.centimes()))
            ),
            "Elle est versée selon l'échéancier ci-dessous, fixé à l'établissement de la présente convention : chaque versement est dû à partir de sa date, une fois la convention signée par les deux parties.".to_owned(),
            format!("Soutien à la parentalité – dispositif {}", v.dispositif.code().to_uppercase()),
        )
    };
    let blocs = vec![
        Bloc::Titre(format!("Convention d'objectifs et de financement n°{}", v.numero)),
        Bloc::Paragraphe(objet),
        Bloc::Intertitre("Entre".into()),
        Bloc::Paragraphe(format!("{}, ci-après « la Caf »,", caf(v.departement))),
        Bloc::Paragraphe(format!(
            "et {}, SIRET {}, {}, {} {}, ci-après « le gestionnaire ».",
            g.raison_sociale,
            g.siret.formate(),
            g.siege.voie,
            g.siege.code_postal,
            nom_commune(g.siege.commune)
        )),
        Bloc::Intertitre("Article 1 – Objet".into()),
        Bloc::Paragraphe(format!(
            "La présente convention fixe les engagements des parties pour la mise en œuvre du projet de fonctionnement validé par le comité des financeurs (dossier n°{}), dans le respect du référentiel national de financement de l'expérimentation.",
            v.dossier
        )),
        Bloc::Intertitre("Article 2 – Durée".into()),
        Bloc::Paragraphe(format!(
            "La convention prend effet le {} et prend fin le {}. Sa durée est celle du projet validé{}. Sa reconduction n'est pas tacite (§IV.4).",
            fr::date(v.debut),
            fr::date(v.fin),
            if aip {
                " et n'excède pas la période de l'expérimentation"
            } else {
                ""
            }
        )),
        Bloc::Intertitre("Article 3 – Engagements du gestionnaire".into()),
        Bloc::Paragraphe(if aip {
            "Le gestionnaire s'engage à mettre en œuvre les missions, à appliquer les modalités de fonctionnement prévues par le référentiel (accueil inconditionnel, gratuit ou modulé, confidentiel; au plus cinq séances par famille et par an sauf exception motivée; professionnels qualifiés salariés; analyse de la pratique) et à déclarer régulièrement à la Caf ses données d'activité et financières: déclarations prévisionnelle, actualisée et réelle, et bilan annuel (§IV.4, §V).".into()
        } else {
            "Le gestionnaire s'engage à mettre en œuvre le projet de fonctionnement validé par le comité des financeurs et à informer la Caf de toute modification de ses conditions de réalisation.".into()
        }),
        Bloc::Intertitre("Article 4 – Engagements de la Caf".into()),
        Bloc::Paragraphe("La Caf s'engage à verser la subvention de fonctionnement selon les modalités de financement décrites à l'article 5. La validation du projet et la signature de la présente convention conditionnent tout versement (§IV.4).".into()),
        Bloc::Intertitre("Article 5 – Modalités de financement".into()),
    ];
    let mut blocs = blocs;
    // Article 5: the FTE notified (AIP) or the instalments (`domain::dispositifs`).
    if let Some(n) = v.notification_initiale {
        blocs.push(Bloc::Ligne(
            "ETP notifiés".into(),
            format!("{} à compter du {}", n.etp, fr::date(n.date_effet)),
        ));
    }
    blocs.push(Bloc::Paragraphe(financement));
    blocs.push(Bloc::Paragraphe(versements));
    for prevu in &v.echeancier {
        blocs.push(Bloc::Ligne(
            format!(
                "Versement n°{} à partir du {}",
                prevu.rang,
                fr::date(prevu.date)
            ),
            fr::euros(prevu.montant.centimes()),
        ));
    }
    blocs.extend([
        Bloc::Intertitre("Signatures".into()),
        Bloc::Paragraphe(match (v.date_signature, &v.signature_gestionnaire) {
            (Some(d), Some(s)) => format!(
                "Signée dans l'application par le gestionnaire ({}) le {}, contresignée par la Caf le {}.",
                s.nom,
                fr::date(s.le.date()),
                fr::date(d)
            ),
            (Some(d), None) => format!("Signée par les deux parties le {}.", fr::date(d)),
            (None, Some(s)) => format!(
                "Signée dans l'application par le gestionnaire ({}) le {}; en attente de la contresignature de la Caf.",
                s.nom,
                fr::date(s.le.date())
            ),
            (None, None) => "Pour la Caf: ____________________        Pour le gestionnaire: ____________________".into(),
        }),
    ]);
    Ok(pdf(
        &format!("convention-{}.pdf", v.numero),
        document(&format!("Convention {}", v.numero), &blocs),
    ))
}

pub async fn releve(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Response, ErreurWeb> {
    let p = &etat.plateforme;
    let cid = ConventionId(id);
    let v = p.convention(&c.acteur, cid).await?.valeur;
    let paiements = p.paiements(&c.acteur, Some(cid)).await?;
    let declarations = p.declarations(&c.acteur, Some(cid)).await?;
    let g = p
        .gestionnaire(&domain::Acteur::cnaf(c.acteur.id), v.gestionnaire)
        .await?
        .valeur;
    let mut blocs = vec![
        Bloc::Paragraphe(caf(v.departement)),
        Bloc::Titre(format!("Relevé des paiements – convention {}", v.numero)),
        Bloc::Ligne(
            "Bénéficiaire".into(),
            format!("{} (SIRET {})", g.raison_sociale, g.siret.formate()),
        ),
        Bloc::Intertitre("Paiements".into()),
    ];
    if paiements.is_empty() {
        blocs.push(Bloc::Paragraphe(
            "Aucun paiement n'a encore été émis.".into(),
        ));
    }
    for x in &paiements {
        let x = &x.valeur;
        blocs.push(Bloc::Ligne(
            format!("{} {} ({})", x.nature.libelle(), x.exercice, x.reference),
            format!(
                "{} le {}",
                fr::euros(x.montant.centimes()),
                fr::date(x.date)
            ),
        ));
    }
    for d in &declarations {
        let d = &d.valeur;
        if let Some(f) = &d.droit {
            blocs.push(Bloc::Intertitre(format!(
                "Calcul – {} {}: droit de {}",
                d.nature.libelle(),
                d.exercice,
                fr::euros(f.montant.centimes())
            )));
            let trace = &f.trace;
            for (i, et) in trace["etapes"].as_array().into_iter().flatten().enumerate() {
                let resultat = et["resultat"]
                    .as_object()
                    .and_then(|o| o.iter().next())
                    .map(|(k, v)| fr::resultat_trace(k, v.as_str().unwrap_or_default()))
                    .unwrap_or_default();
                blocs.push(Bloc::Paragraphe(format!(
                    "{}. {} – {} – {} ({})",
                    i + 1,
                    et["titre"].as_str().unwrap_or_default(),
                    et["formule"].as_str().unwrap_or_default(),
                    resultat,
                    et["source"].as_str().unwrap_or_default()
                )));
            }
            for prm in trace["parametres"].as_array().into_iter().flatten() {
                blocs.push(Bloc::Ligne(
                    prm["description"].as_str().unwrap_or_default().to_owned(),
                    format!(
                        "{} (en vigueur du {} au {}; {}, {})",
                        prm["valeur_affichee"].as_str().unwrap_or_default(),
                        prm["en_vigueur_du"].as_str().unwrap_or_default(),
                        prm["en_vigueur_au"].as_str().unwrap_or("–"),
                        prm["source"]["texte"].as_str().unwrap_or_default(),
                        prm["source"]["paragraphe"].as_str().unwrap_or_default()
                    ),
                ));
            }
        }
    }
    Ok(pdf(
        &format!("releve-{}.pdf", v.numero),
        document(&format!("Relevé {}", v.numero), &blocs),
    ))
}
