//! A séance's documents as PDF: the attendance sheet (the convened members with a place to sign,
//! and once held, who signed and the quorum) and the published minutes.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::coordination::{EtatCompteRendu, Reponse};
use domain::identifiants::SeanceId;

use super::quand;
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

pub async fn emargement_pdf(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Response, ErreurWeb> {
    let v = etat.plateforme.seance(&c.acteur, SeanceId(id)).await?;
    let s = &v.seance.valeur;
    let instance = &v.instance.instance.valeur;
    let mut blocs = vec![
        Bloc::Titre("Feuille d'émargement".to_owned()),
        Bloc::Paragraphe(instance.appellation()),
        Bloc::Ligne("Séance".to_owned(), s.titre.clone()),
        Bloc::Ligne("Date".to_owned(), quand(s.debut)),
        Bloc::Ligne("Lieu".to_owned(), s.lieu.clone()),
        Bloc::Espace,
        Bloc::Intertitre("Membres convoqués".to_owned()),
    ];
    for m in v
        .instance
        .membres
        .iter()
        .filter(|m| s.convocations.contains_key(&m.valeur.id))
    {
        let m = &m.valeur;
        let conv = s.convocations.get(&m.id);
        let mention = if s.emargement.contains(&m.id) {
            "présent(e) — a signé".to_owned()
        } else {
            match conv.and_then(|c| c.reponse) {
                Some(Reponse::Represente { par }) => {
                    let porteur = v
                        .instance
                        .membres
                        .iter()
                        .find(|x| x.valeur.id == par)
                        .map_or(String::new(), |x| x.valeur.personne.clone());
                    format!("représenté(e) par {porteur} — signature : ______________")
                }
                _ => "signature : ______________".to_owned(),
            }
        };
        blocs.push(Bloc::Ligne(
            format!("{} ({}, {})", m.personne, m.organisation, m.role.libelle()),
            mention,
        ));
    }
    if let Some(q) = &s.quorum {
        blocs.push(Bloc::Espace);
        blocs.push(Bloc::Intertitre("Quorum".to_owned()));
        blocs.push(Bloc::Paragraphe(format!(
            "{} présent(s) et {} représenté(s) sur {} membre(s) convoqué(s) ; requis : {}. Quorum {}.",
            q.presents,
            q.representes,
            q.membres,
            q.requis,
            if q.atteint { "atteint" } else { "non atteint" }
        )));
    }
    Ok(pdf(
        &format!("emargement-seance-{id}.pdf"),
        document("Feuille d'émargement", &blocs),
    ))
}

pub async fn compte_rendu_pdf(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Response, ErreurWeb> {
    let v = etat.plateforme.seance(&c.acteur, SeanceId(id)).await?;
    let s = &v.seance.valeur;
    let cr = s
        .compte_rendu
        .as_ref()
        .filter(|cr| cr.etat == EtatCompteRendu::Publie)
        .ok_or(ErreurWeb::Introuvable)?;
    let instance = &v.instance.instance.valeur;
    let mut blocs = vec![
        Bloc::Titre(format!("Compte rendu — {}", s.titre)),
        Bloc::Paragraphe(instance.appellation()),
        Bloc::Ligne("Date".to_owned(), quand(s.debut)),
        Bloc::Ligne("Lieu".to_owned(), s.lieu.clone()),
    ];
    if let Some(q) = &s.quorum {
        blocs.push(Bloc::Ligne(
            "Présents".to_owned(),
            format!(
                "{} présent(s), {} représenté(s) sur {} ; quorum {}",
                q.presents,
                q.representes,
                q.membres,
                if q.atteint { "atteint" } else { "non atteint" }
            ),
        ));
    }
    if let Some(a) = cr.approuve_en {
        blocs.push(Bloc::Ligne(
            "Approuvé".to_owned(),
            format!("à la séance n° {a}"),
        ));
    }
    blocs.push(Bloc::Intertitre("Ordre du jour".to_owned()));
    for (i, p) in s.ordre_du_jour.iter().enumerate() {
        blocs.push(Bloc::Paragraphe(format!("{}. {}", i + 1, p.titre)));
    }
    blocs.push(Bloc::Intertitre("Relevé des échanges".to_owned()));
    for p in cr.texte.split("\n\n") {
        blocs.push(Bloc::Paragraphe(p.to_owned()));
    }
    if !cr.decisions.is_empty() {
        blocs.push(Bloc::Intertitre("Décisions".to_owned()));
        for (i, d) in cr.decisions.iter().enumerate() {
            blocs.push(Bloc::Paragraphe(format!("{}. {d}", i + 1)));
        }
    }
    if !cr.actions.is_empty() {
        blocs.push(Bloc::Intertitre("Actions".to_owned()));
        for a in &cr.actions {
            blocs.push(Bloc::Paragraphe(format!(
                "{}. {} — porteur : {} — échéance : {} — {}",
                a.numero,
                a.libelle,
                a.porteur,
                fr::date(a.echeance),
                a.statut.libelle()
            )));
        }
    }
    Ok(pdf(
        &format!("compte-rendu-seance-{id}.pdf"),
        document("Compte rendu", &blocs),
    ))
}
