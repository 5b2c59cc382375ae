//! Sessions as the store writes and reads them (`store::activite::entretiens`): the crate's
//! types turned into the store's plain rows and back.

use domain::identifiants::{CodeDepartement, GestionnaireId, IntervenantId, LieuId};
use store::Tx;
use store::activite::entretiens::{self, Destination, EntretienStocke, NouvelEntretien};

use crate::entretien::{EnsembleCles, Entretien, EntretienValide};
use crate::erreur::ErreurActivite;
use crate::nomenclature::{Ensemble, Etape, Modalite, Mode, Orientation, Presence, Sujet};
use crate::pseudonyme::CodeFamille;

fn nouvel(e: &EntretienValide) -> NouvelEntretien<'_> {
    NouvelEntretien {
        cle: e.cle,
        famille: e.famille.0,
        date: e.date,
        duree_minutes: e.duree_minutes,
        etape: e.etape.code(),
        mode: e.mode.code(),
        presence: e.presence.code(),
        sujets: e.sujets.bits(),
        orientations: e.orientations.bits(),
        intervenant: e.intervenant.map(|i| i.0),
        lieu: e.lieu.map(|l| l.0),
        motif_exception: e.motif_exception.as_deref(),
    }
}

/// Writes sessions of one structure; returns how many were new (the others had the same
/// natural key as a stored session).
pub(crate) async fn inserer(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    import: Option<i64>,
    entretiens: &[&EntretienValide],
) -> Result<u64, ErreurActivite> {
    let nouveaux: Vec<NouvelEntretien<'_>> = entretiens.iter().map(|e| nouvel(e)).collect();
    let ou = Destination {
        gestionnaire: gestionnaire.0,
        departement: departement.as_str(),
        import,
    };
    Ok(entretiens::inserer(tx, ou, &nouveaux).await?)
}

/// Writes one session; returns its id, or `None` if a session with the same natural key is
/// already stored.
pub(crate) async fn inserer_un(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    e: &EntretienValide,
) -> Result<Option<i64>, ErreurActivite> {
    Ok(entretiens::inserer_un(tx, gestionnaire.0, departement.as_str(), &nouvel(e)).await?)
}

fn code<T: Modalite>(texte: &str, colonne: &str) -> Result<T, ErreurActivite> {
    T::depuis_texte(texte).ok_or_else(|| {
        ErreurActivite::Store(store::ErreurStore::Donnee(format!(
            "{colonne} « {texte} » inconnu"
        )))
    })
}

/// A session as the store read it.
pub(crate) fn lire(s: &EntretienStocke) -> Result<Entretien, ErreurActivite> {
    let illisible = |quoi: &str| ErreurActivite::Store(store::ErreurStore::Donnee(quoi.into()));
    let departement =
        CodeDepartement::parse(&s.departement).map_err(|_| illisible("département illisible"))?;
    let famille = CodeFamille::depuis_hex(&s.famille)
        .ok_or_else(|| illisible("code de famille illisible"))?;
    Ok(Entretien {
        id: s.id,
        gestionnaire: GestionnaireId(s.gestionnaire),
        departement,
        famille,
        date: s.date,
        duree_minutes: s.duree_minutes,
        etape: code::<Etape>(&s.etape, "etape")?,
        mode: code::<Mode>(&s.mode, "mode")?,
        presence: code::<Presence>(&s.presence, "presence")?,
        sujets: Ensemble::<Sujet>::depuis_bits(s.sujets).valeurs().collect(),
        orientations: Ensemble::<Orientation>::depuis_bits(s.orientations)
            .valeurs()
            .collect(),
        intervenant: s.intervenant.map(IntervenantId),
        lieu: s.lieu.map(LieuId),
        motif_exception: s.motif_exception.clone(),
        import: s.import,
    })
}

/// The session of a structure with a natural key.
pub(crate) async fn par_cle(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    cle: [u8; 16],
) -> Result<Option<Entretien>, ErreurActivite> {
    entretiens::par_cle(tx, gestionnaire.0, cle)
        .await?
        .as_ref()
        .map(lire)
        .transpose()
}

/// Which of these natural keys a structure already has.
pub(crate) async fn cles_presentes(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    cles: &[[u8; 16]],
) -> Result<EnsembleCles<[u8; 16]>, ErreurActivite> {
    let mut presentes = EnsembleCles::default();
    for c in entretiens::cles_presentes(tx, gestionnaire.0, cles).await? {
        presentes.insert(c);
    }
    Ok(presentes)
}
