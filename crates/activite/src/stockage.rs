//! Writing sessions in batches (multi-row `INSERT … ON CONFLICT DO NOTHING` on SQLite, arrays
//! unnested on PostgreSQL: see [`crate::lots`]), and reading them back.

use domain::identifiants::{CodeDepartement, GestionnaireId, IntervenantId, LieuId};
use store::{Genre, Ligne, Tx, Valeur};

use crate::entretien::{EnsembleCles, Entretien, EntretienValide};
use crate::erreur::ErreurActivite;
use crate::lots::{self, Insertion, Marques};
use crate::nomenclature::{Ensemble, Etape, Modalite, Mode, Orientation, Presence, Sujet};
use crate::pseudonyme::CodeFamille;

/// The columns written for a session, in the order of [`parametres`].
const INSERTION: Insertion<'static> = Insertion {
    table: "activite_entretiens",
    colonnes: &[
        ("gestionnaire_id", Genre::Entier),
        ("departement", Genre::Texte),
        ("import_id", Genre::Entier),
        ("cle", Genre::Texte),
        ("famille", Genre::Texte),
        ("date_entretien", Genre::Date),
        ("duree_minutes", Genre::Entier),
        ("etape", Genre::Texte),
        ("mode", Genre::Texte),
        ("presence", Genre::Texte),
        ("sujets", Genre::Entier),
        ("orientations", Genre::Entier),
        ("intervenant_id", Genre::Entier),
        ("lieu_id", Genre::Entier),
        ("motif_exception", Genre::Texte),
    ],
    suite: "ON CONFLICT (gestionnaire_id, cle) DO NOTHING",
};

fn parametres(
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    import: Option<i64>,
    e: &EntretienValide,
    p: &mut Vec<Valeur>,
) {
    p.push(Valeur::Entier(gestionnaire.0));
    p.push(Valeur::Texte(departement.as_str().to_owned()));
    p.push(import.into());
    p.push(Valeur::Texte(hex::encode(e.cle)));
    p.push(Valeur::Texte(e.famille.hex()));
    p.push(Valeur::Date(e.date));
    p.push(Valeur::Entier(e.duree_minutes));
    p.push(Valeur::Texte(e.etape.code().to_owned()));
    p.push(Valeur::Texte(e.mode.code().to_owned()));
    p.push(Valeur::Texte(e.presence.code().to_owned()));
    p.push(Valeur::Entier(e.sujets.bits()));
    p.push(Valeur::Entier(e.orientations.bits()));
    p.push(e.intervenant.map(|i| i.0).into());
    p.push(e.lieu.map(|l| l.0).into());
    p.push(e.motif_exception.clone().into());
}

/// Writes sessions of one structure; returns how many were new (the others had the same
/// natural key as a stored session). Written in the order of their natural key, so that the
/// key's index is filled in one sweep instead of at random places; the values of each statement
/// are built while the database runs the one before.
pub(crate) async fn inserer(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    import: Option<i64>,
    entretiens: &[&EntretienValide],
) -> Result<u64, ErreurActivite> {
    let mut ordre: Vec<&EntretienValide> = entretiens.to_vec();
    ordre.sort_unstable_by_key(|e| e.cle);
    let largeur = INSERTION.colonnes.len();
    let construire = |lot: &[&EntretienValide]| {
        let mut p = Vec::with_capacity(lot.len() * largeur);
        for e in lot {
            parametres(gestionnaire, departement, import, e, &mut p);
        }
        p
    };
    let mut lots = ordre.chunks(INSERTION.lignes_par_requete(tx.moteur()));
    let mut courant = lots.next().map(construire);
    let mut total = 0;
    while let Some(p) = courant.take() {
        let suivant = lots.next();
        let (ecrits, prochain) =
            tokio::join!(INSERTION.ecrire(tx, &p), async { suivant.map(construire) });
        total += ecrits?;
        courant = prochain;
    }
    Ok(total)
}

/// Writes one session; returns its id, or `None` if a session with the same natural key is
/// already stored.
pub(crate) async fn inserer_un(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    e: &EntretienValide,
) -> Result<Option<i64>, ErreurActivite> {
    let mut p = Vec::with_capacity(INSERTION.colonnes.len());
    parametres(gestionnaire, departement, None, e, &mut p);
    let mut marques = Marques::new(tx.moteur());
    let valeurs: Vec<String> = p.iter().map(|_| marques.suivante()).collect();
    let noms: Vec<&str> = INSERTION.colonnes.iter().map(|(n, _)| *n).collect();
    let sql = format!(
        "INSERT INTO activite_entretiens ({}) VALUES ({}) {} RETURNING id",
        noms.join(", "),
        valeurs.join(", "),
        INSERTION.suite
    );
    let ligne = tx.ligne(&sql, &p).await?;
    Ok(ligne.map(|l| l.entier("id")).transpose()?)
}

pub(crate) const COLONNES: &str = "id, gestionnaire_id, departement, famille, date_entretien, \
     duree_minutes, etape, mode, presence, sujets, orientations, intervenant_id, lieu_id, \
     motif_exception, import_id";

fn code<T: Modalite>(l: &Ligne, colonne: &str) -> Result<T, ErreurActivite> {
    let texte = l.texte(colonne)?;
    T::depuis_texte(&texte).ok_or_else(|| {
        ErreurActivite::Store(store::ErreurStore::Donnee(format!(
            "{colonne} « {texte} » inconnu"
        )))
    })
}

/// Reads a row selected with [`COLONNES`].
pub(crate) fn lire(l: &Ligne) -> Result<Entretien, ErreurActivite> {
    let illisible = |quoi: &str| ErreurActivite::Store(store::ErreurStore::Donnee(quoi.into()));
    let departement = CodeDepartement::parse(&l.texte("departement")?)
        .map_err(|_| illisible("département illisible"))?;
    let famille = CodeFamille::depuis_hex(&l.texte("famille")?)
        .ok_or_else(|| illisible("code de famille illisible"))?;
    Ok(Entretien {
        id: l.entier("id")?,
        gestionnaire: GestionnaireId(l.entier("gestionnaire_id")?),
        departement,
        famille,
        date: l.date("date_entretien")?,
        duree_minutes: l.entier("duree_minutes")?,
        etape: code::<Etape>(l, "etape")?,
        mode: code::<Mode>(l, "mode")?,
        presence: code::<Presence>(l, "presence")?,
        sujets: Ensemble::<Sujet>::depuis_bits(l.entier("sujets")?)
            .valeurs()
            .collect(),
        orientations: Ensemble::<Orientation>::depuis_bits(l.entier("orientations")?)
            .valeurs()
            .collect(),
        intervenant: l.entier_opt("intervenant_id")?.map(IntervenantId),
        lieu: l.entier_opt("lieu_id")?.map(LieuId),
        motif_exception: l.texte_opt("motif_exception")?,
        import: l.entier_opt("import_id")?,
    })
}

/// The session of a structure with a natural key.
pub(crate) async fn par_cle(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    cle: [u8; 16],
) -> Result<Option<Entretien>, ErreurActivite> {
    let sql = format!(
        "SELECT {COLONNES} FROM activite_entretiens WHERE gestionnaire_id = $1 AND cle = $2"
    );
    tx.ligne(
        &sql,
        &[
            Valeur::Entier(gestionnaire.0),
            Valeur::Texte(hex::encode(cle)),
        ],
    )
    .await?
    .map(|l| lire(&l))
    .transpose()
}

/// Which of these natural keys a structure already has.
pub(crate) async fn cles_presentes(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    cles: &[[u8; 16]],
) -> Result<EnsembleCles<[u8; 16]>, ErreurActivite> {
    let mut presentes = EnsembleCles::default();
    for lot in cles.chunks(lots::PAR_LISTE) {
        let mut marques = Marques::new(tx.moteur());
        let mut p = vec![Valeur::Entier(gestionnaire.0)];
        let condition = format!("gestionnaire_id = {}", marques.suivante());
        let valeurs: Vec<Valeur> = lot.iter().map(|c| Valeur::Texte(hex::encode(c))).collect();
        let (liste, v) = lots::dans(&mut marques, "cle", Genre::Texte, &valeurs)?;
        p.extend(v);
        let sql = format!("SELECT cle FROM activite_entretiens WHERE {condition} AND {liste}");
        for l in tx.lignes(&sql, &p).await? {
            let texte = l.texte("cle")?;
            if let Some(c) = hex::decode(&texte)
                .ok()
                .and_then(|o| <[u8; 16]>::try_from(o).ok())
            {
                presentes.insert(c);
            }
        }
    }
    Ok(presentes)
}
