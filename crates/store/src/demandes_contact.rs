//! The SQL of the parents' contact requests: a request is a trace row (service, structure,
//! département, scheme, month, state, dates: nothing that identifies the parent) and a content
//! row (what the parent wrote, its contact details, the answer). Saving and reading a request,
//! a structure's inbox, the counts the Caf sees (traces only), the purge that deletes the
//! content of the requests past their retention period with one audit event each, and the
//! submissions counted for the public form's rate limits.

use domain::annuaire::contact::{Contenu, DemandeContact, DemandeContactId, EtatDemande, journal};
use domain::appel_a_projets::Dispositif;
use domain::identifiants::{CodeDepartement, GestionnaireId, ServiceId};
use time::OffsetDateTime;

use crate::audit::{self, NouvelEvenement};
use crate::connexion::{Base, Ligne, Tx, Valeur};
use crate::erreur::ErreurStore;

/// `YYYY-MM` of `instant` in UTC.
fn mois(instant: OffsetDateTime) -> String {
    let d = instant.to_offset(time::UtcOffset::UTC).date();
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

fn secondes(t: Option<OffsetDateTime>) -> Valeur {
    t.map(OffsetDateTime::unix_timestamp).into()
}

fn instant(s: i64) -> Result<OffsetDateTime, ErreurStore> {
    OffsetDateTime::from_unix_timestamp(s).map_err(|e| ErreurStore::Donnee(e.to_string()))
}

fn instant_opt(s: Option<i64>) -> Result<Option<OffsetDateTime>, ErreurStore> {
    s.map(instant).transpose()
}

/// The scheme of `code`.
pub fn dispositif(code: &str) -> Option<Dispositif> {
    Dispositif::TOUS.into_iter().find(|d| d.code() == code)
}

/// Writes a new request: its trace and its content.
pub async fn inserer(tx: &mut Tx, d: &DemandeContact) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO demandes_contact (id, service_id, gestionnaire_id, departement, dispositif, \
         etat, mois, recue_le, lue_le, repondue_le, cloturee_le, a_supprimer_le, supprimee_le) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL)",
        &[
            d.id.0.into(),
            d.service.0.into(),
            d.gestionnaire.0.into(),
            d.departement.as_str().into(),
            d.dispositif.code().into(),
            d.etat.code().into(),
            mois(d.recue_le).into(),
            d.recue_le.unix_timestamp().into(),
            secondes(d.lue_le),
            secondes(d.repondue_le),
            secondes(d.cloturee_le),
            d.a_supprimer_le.unix_timestamp().into(),
        ],
    )
    .await?;
    tx.executer(
        "INSERT INTO demandes_contact_contenus (demande_id, contenu) VALUES ($1, $2)",
        &[d.id.0.into(), serde_json::to_string(&d.contenu)?.into()],
    )
    .await?;
    Ok(())
}

/// Saves the state, dates and content of a request not deleted yet.
pub async fn mettre_a_jour(tx: &mut Tx, d: &DemandeContact) -> Result<(), ErreurStore> {
    let n = tx
        .executer(
            "UPDATE demandes_contact SET etat = $1, lue_le = $2, repondue_le = $3, cloturee_le = $4 \
             WHERE id = $5 AND supprimee_le IS NULL",
            &[
                d.etat.code().into(),
                secondes(d.lue_le),
                secondes(d.repondue_le),
                secondes(d.cloturee_le),
                d.id.0.into(),
            ],
        )
        .await?;
    if n != 1 {
        return Err(ErreurStore::Introuvable {
            entite: "la demande de contact",
            id: d.id.0,
        });
    }
    tx.executer(
        "UPDATE demandes_contact_contenus SET contenu = $1 WHERE demande_id = $2",
        &[serde_json::to_string(&d.contenu)?.into(), d.id.0.into()],
    )
    .await?;
    Ok(())
}

const COLONNES: &str = "d.id AS id, d.service_id AS service_id, d.gestionnaire_id AS gestionnaire_id, \
     d.departement AS departement, d.dispositif AS dispositif, d.etat AS etat, d.recue_le AS recue_le, \
     d.lue_le AS lue_le, d.repondue_le AS repondue_le, d.cloturee_le AS cloturee_le, \
     d.a_supprimer_le AS a_supprimer_le, c.contenu AS contenu";

fn lire_ligne(l: &Ligne) -> Result<DemandeContact, ErreurStore> {
    let donnee = |m: String| ErreurStore::Donnee(m);
    let contenu: Contenu = serde_json::from_str(&l.texte("contenu")?)?;
    let code_dispositif = l.texte("dispositif")?;
    let code_etat = l.texte("etat")?;
    Ok(DemandeContact {
        id: DemandeContactId(l.entier("id")?),
        service: ServiceId(l.entier("service_id")?),
        gestionnaire: GestionnaireId(l.entier("gestionnaire_id")?),
        departement: CodeDepartement::parse(&l.texte("departement")?)
            .map_err(|e| donnee(e.to_string()))?,
        dispositif: dispositif(&code_dispositif)
            .ok_or_else(|| donnee(format!("dispositif inconnu : {code_dispositif}")))?,
        etat: EtatDemande::depuis_code(&code_etat)
            .ok_or_else(|| donnee(format!("état de demande inconnu : {code_etat}")))?,
        recue_le: instant(l.entier("recue_le")?)?,
        lue_le: instant_opt(l.entier_opt("lue_le")?)?,
        repondue_le: instant_opt(l.entier_opt("repondue_le")?)?,
        cloturee_le: instant_opt(l.entier_opt("cloturee_le")?)?,
        a_supprimer_le: instant(l.entier("a_supprimer_le")?)?,
        contenu,
    })
}

/// A request with its content, if it exists and is not deleted yet.
pub async fn lire(
    tx: &mut Tx,
    id: DemandeContactId,
) -> Result<Option<DemandeContact>, ErreurStore> {
    tx.ligne(
        &format!(
            "SELECT {COLONNES} FROM demandes_contact d \
             JOIN demandes_contact_contenus c ON c.demande_id = d.id \
             WHERE d.id = $1 AND d.supprimee_le IS NULL"
        ),
        &[id.0.into()],
    )
    .await?
    .map(|l| lire_ligne(&l))
    .transpose()
}

/// The structure a request was sent to (the trace, deleted or not), to decide who may read it.
pub async fn structure_de(
    tx: &mut Tx,
    id: DemandeContactId,
) -> Result<Option<GestionnaireId>, ErreurStore> {
    tx.ligne(
        "SELECT gestionnaire_id FROM demandes_contact WHERE id = $1",
        &[id.0.into()],
    )
    .await?
    .map(|l| l.entier("gestionnaire_id").map(GestionnaireId))
    .transpose()
}

/// The inbox of the structures `gestionnaires`: their requests not deleted yet, those not read
/// first, then the most recent first.
pub async fn boite(
    tx: &mut Tx,
    gestionnaires: &[GestionnaireId],
) -> Result<Vec<DemandeContact>, ErreurStore> {
    if gestionnaires.is_empty() {
        return Ok(Vec::new());
    }
    let params: Vec<Valeur> = gestionnaires.iter().map(|g| g.0.into()).collect();
    let sql = format!(
        "SELECT {COLONNES} FROM demandes_contact d \
         JOIN demandes_contact_contenus c ON c.demande_id = d.id \
         WHERE d.supprimee_le IS NULL AND d.gestionnaire_id IN ({}) \
         ORDER BY CASE WHEN d.etat = 'recue' THEN 0 ELSE 1 END, d.recue_le DESC, d.id DESC",
        crate::sql::marques(1, params.len())
    );
    tx.lignes(&sql, &params)
        .await?
        .iter()
        .map(lire_ligne)
        .collect()
}

/// The number of requests of one département, month, scheme and state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compte {
    pub departement: String,
    /// `YYYY-MM`, UTC.
    pub mois: String,
    pub dispositif: String,
    pub etat: String,
    pub nombre: i64,
}

/// The requests of the départements `departements` (all when `None`), deleted ones included,
/// counted by département, month, scheme and state: from the traces only, never the content.
pub async fn comptes(
    tx: &mut Tx,
    departements: Option<&[CodeDepartement]>,
) -> Result<Vec<Compte>, ErreurStore> {
    let (condition, params): (String, Vec<Valeur>) = match departements {
        None => ("1 = 1".to_owned(), Vec::new()),
        Some([]) => ("1 = 0".to_owned(), Vec::new()),
        Some(ds) => (
            format!("departement IN ({})", crate::sql::marques(1, ds.len())),
            ds.iter().map(|d| d.as_str().into()).collect(),
        ),
    };
    let sql = format!(
        "SELECT departement, mois, dispositif, etat, COUNT(*) AS nombre FROM demandes_contact \
         WHERE {condition} GROUP BY departement, mois, dispositif, etat \
         ORDER BY departement, mois DESC, dispositif, etat"
    );
    tx.lignes(&sql, &params)
        .await?
        .iter()
        .map(|l| {
            Ok(Compte {
                departement: l.texte("departement")?,
                mois: l.texte("mois")?,
                dispositif: l.texte("dispositif")?,
                etat: l.texte("etat")?,
                nombre: l.entier("nombre")?,
            })
        })
        .collect()
}

/// Deletes, in one transaction, the content and contact details of every request whose
/// retention period ended at `maintenant`, marks their traces deleted and writes one audit event
/// each (no actor: the platform; no content). Also forgets the form's submissions older than a
/// day. Running it again deletes nothing more. Returns the requests deleted.
pub async fn purger(
    base: &Base,
    maintenant: OffsetDateTime,
) -> Result<Vec<DemandeContactId>, ErreurStore> {
    let t = maintenant.unix_timestamp();
    let mut tx = base.debuter().await?;
    let echues = tx
        .lignes(
            "SELECT id, etat FROM demandes_contact \
             WHERE supprimee_le IS NULL AND a_supprimer_le <= $1 ORDER BY id",
            &[t.into()],
        )
        .await?;
    let mut supprimees = Vec::new();
    for l in &echues {
        let id = l.entier("id")?;
        let etat = EtatDemande::depuis_code(&l.texte("etat")?).map(EtatDemande::code);
        tx.executer(
            "DELETE FROM demandes_contact_contenus WHERE demande_id = $1",
            &[id.into()],
        )
        .await?;
        tx.executer(
            "UPDATE demandes_contact SET supprimee_le = $1 WHERE id = $2 AND supprimee_le IS NULL",
            &[t.into(), id.into()],
        )
        .await?;
        let (action, description) = journal::SUPPRIMEE;
        audit::ajouter(
            &mut tx,
            NouvelEvenement {
                horodatage: maintenant,
                acteur_id: None,
                role: None,
                entite: journal::ENTITE.to_owned(),
                entite_id: id,
                action: action.to_owned(),
                etat_avant: etat.map(str::to_owned),
                etat_apres: etat.map(str::to_owned),
                description: description.to_owned(),
                changements: "[]".to_owned(),
                avant: None,
                apres: None,
            },
        )
        .await?;
        supprimees.push(DemandeContactId(id));
    }
    tx.executer(
        "DELETE FROM envois_demandes_contact WHERE instant <= $1",
        &[(t - 86_400).into()],
    )
    .await?;
    tx.valider().await?;
    Ok(supprimees)
}

/// How many submissions the form took from `adresse` since `depuis_adresse`, and for `service`
/// since `depuis_service`.
pub async fn envois_recents(
    tx: &mut Tx,
    adresse: &str,
    depuis_adresse: i64,
    service: ServiceId,
    depuis_service: i64,
) -> Result<(i64, i64), ErreurStore> {
    let par_adresse = tx
        .ligne(
            "SELECT COUNT(*) AS n FROM envois_demandes_contact WHERE adresse = $1 AND instant > $2",
            &[adresse.into(), depuis_adresse.into()],
        )
        .await?
        .map(|l| l.entier("n"))
        .transpose()?
        .unwrap_or(0);
    let par_service = tx
        .ligne(
            "SELECT COUNT(*) AS n FROM envois_demandes_contact WHERE service_id = $1 AND instant > $2",
            &[service.0.into(), depuis_service.into()],
        )
        .await?
        .map(|l| l.entier("n"))
        .transpose()?
        .unwrap_or(0);
    Ok((par_adresse, par_service))
}

/// Counts one submission of the form from `adresse` to `service`, and forgets those older than
/// a day.
pub async fn noter_envoi(
    tx: &mut Tx,
    adresse: &str,
    service: ServiceId,
    instant: i64,
) -> Result<(), ErreurStore> {
    tx.executer(
        "DELETE FROM envois_demandes_contact WHERE instant <= $1",
        &[(instant - 86_400).into()],
    )
    .await?;
    tx.executer(
        "INSERT INTO envois_demandes_contact (adresse, service_id, instant) VALUES ($1, $2, $3)",
        &[adresse.into(), service.0.into(), instant.into()],
    )
    .await?;
    Ok(())
}
