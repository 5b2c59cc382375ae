//! Writing a message (or, for the Caf, a private annotation) on a dossier.

use super::*;

#[derive(Debug, Deserialize)]
pub struct NouveauMessage {
    #[serde(rename = "_csrf")]
    pub(super) csrf: Option<String>,
    pub(super) texte: Option<String>,
    pub(super) prive: Option<String>,
}

pub async fn ecrire(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<NouveauMessage>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    match etat
        .plateforme
        .ecrire_message(
            &c.acteur,
            &c.utilisateur.nom,
            DossierId(id),
            f.texte.as_deref().unwrap_or_default(),
            f.prive.is_some(),
            time::OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/dossiers/{id}?message=envoye#texte")).into_response()),
        Err(a) => {
            let s = Saisies {
                message: Some(&f),
                ..Saisies::default()
            };
            refuser(
                &etat,
                &c,
                id,
                s,
                Echec::app(a, &[("message", "texte")], "texte"),
            )
            .await
        }
    }
}
