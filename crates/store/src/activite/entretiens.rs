//! The sessions of the activity: written in batches (see [`super::lots`]) or one at a time,
//! each once per natural key, and read back by structure and exercise or by natural key.

use time::Date;

use crate::activite::lots::{self, Insertion, Marques};
use crate::connexion::{Genre, Ligne, Tx, Valeur};
use crate::erreur::ErreurStore;

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

/// A session to write, with the codes of its nomenclature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NouvelEntretien<'a> {
    /// The natural key (stored in hex).
    pub cle: [u8; 16],
    /// The pseudonymous family code (stored in hex).
    pub famille: [u8; 16],
    pub date: Date,
    pub duree_minutes: i64,
    pub etape: &'a str,
    pub mode: &'a str,
    pub presence: &'a str,
    /// Bits of the subjects and of the orientations.
    pub sujets: i64,
    pub orientations: i64,
    pub intervenant: Option<i64>,
    pub lieu: Option<i64>,
    pub motif_exception: Option<&'a str>,
}

/// Where the sessions written go: their structure, its département, their import if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Destination<'a> {
    pub gestionnaire: i64,
    pub departement: &'a str,
    pub import: Option<i64>,
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntretienStocke {
    pub id: i64,
    pub gestionnaire: i64,
    pub departement: String,
    /// The family code, in hex.
    pub famille: String,
    pub date: Date,
    pub duree_minutes: i64,
    pub etape: String,
    pub mode: String,
    pub presence: String,
    pub sujets: i64,
    pub orientations: i64,
    pub intervenant: Option<i64>,
    pub lieu: Option<i64>,
    pub motif_exception: Option<String>,
    pub import: Option<i64>,
}

fn parametres(ou: Destination<'_>, e: &NouvelEntretien<'_>, p: &mut Vec<Valeur>) {
    p.push(Valeur::Entier(ou.gestionnaire));
    p.push(Valeur::Texte(ou.departement.to_owned()));
    p.push(ou.import.into());
    p.push(Valeur::Texte(hex::encode(e.cle)));
    p.push(Valeur::Texte(hex::encode(e.famille)));
    p.push(Valeur::Date(e.date));
    p.push(Valeur::Entier(e.duree_minutes));
    p.push(Valeur::Texte(e.etape.to_owned()));
    p.push(Valeur::Texte(e.mode.to_owned()));
    p.push(Valeur::Texte(e.presence.to_owned()));
    p.push(Valeur::Entier(e.sujets));
    p.push(Valeur::Entier(e.orientations));
    p.push(e.intervenant.into());
    p.push(e.lieu.into());
    p.push(e.motif_exception.into());
}

/// Writes sessions of one structure; returns how many were new (the others had the same
/// natural key as a stored session). Written in the order of their natural key, so that the
/// key's index is filled in one sweep instead of at random places; the values of each statement
/// are built while the database runs the one before.
pub async fn inserer(
    tx: &mut Tx,
    ou: Destination<'_>,
    entretiens: &[NouvelEntretien<'_>],
) -> Result<u64, ErreurStore> {
    let mut ordre: Vec<&NouvelEntretien<'_>> = entretiens.iter().collect();
    ordre.sort_unstable_by_key(|e| e.cle);
    let largeur = INSERTION.colonnes.len();
    let construire = |lot: &[&NouvelEntretien<'_>]| {
        let mut p = Vec::with_capacity(lot.len() * largeur);
        for e in lot {
            parametres(ou, e, &mut p);
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

/// Writes one session (of no import); returns its id, or `None` if a session with the same
/// natural key is already stored.
pub async fn inserer_un(
    tx: &mut Tx,
    gestionnaire: i64,
    departement: &str,
    e: &NouvelEntretien<'_>,
) -> Result<Option<i64>, ErreurStore> {
    let mut p = Vec::with_capacity(INSERTION.colonnes.len());
    let ou = Destination {
        gestionnaire,
        departement,
        import: None,
    };
    parametres(ou, e, &mut p);
    let mut marques = Marques::new(tx.moteur());
    let valeurs: Vec<String> = p.iter().map(|_| marques.suivante()).collect();
    let noms: Vec<&str> = INSERTION.colonnes.iter().map(|(n, _)| *n).collect();
    let sql = format!(
        "INSERT INTO activite_entretiens ({}) VALUES ({}) {} RETURNING id",
        noms.join(", "),
        valeurs.join(", "),
        INSERTION.suite
    );
    tx.ligne(&sql, &p)
        .await?
        .map(|l| l.entier("id"))
        .transpose()
}

const COLONNES: &str = "id, gestionnaire_id, departement, famille, date_entretien, \
     duree_minutes, etape, mode, presence, sujets, orientations, intervenant_id, lieu_id, \
     motif_exception, import_id";

/// Reads a row selected with [`COLONNES`].
fn lire(l: &Ligne) -> Result<EntretienStocke, ErreurStore> {
    Ok(EntretienStocke {
        id: l.entier("id")?,
        gestionnaire: l.entier("gestionnaire_id")?,
        departement: l.texte("departement")?,
        famille: l.texte("famille")?,
        date: l.date("date_entretien")?,
        duree_minutes: l.entier("duree_minutes")?,
        etape: l.texte("etape")?,
        mode: l.texte("mode")?,
        presence: l.texte("presence")?,
        sujets: l.entier("sujets")?,
        orientations: l.entier("orientations")?,
        intervenant: l.entier_opt("intervenant_id")?,
        lieu: l.entier_opt("lieu_id")?,
        motif_exception: l.texte_opt("motif_exception")?,
        import: l.entier_opt("import_id")?,
    })
}

/// The session of a structure with a natural key.
pub async fn par_cle(
    tx: &mut Tx,
    gestionnaire: i64,
    cle: [u8; 16],
) -> Result<Option<EntretienStocke>, ErreurStore> {
    let sql = format!(
        "SELECT {COLONNES} FROM activite_entretiens WHERE gestionnaire_id = $1 AND cle = $2"
    );
    tx.ligne(
        &sql,
        &[
            Valeur::Entier(gestionnaire),
            Valeur::Texte(hex::encode(cle)),
        ],
    )
    .await?
    .map(|l| lire(&l))
    .transpose()
}

/// The sessions of a structure dated from `debut` to `fin`, by date.
pub async fn entre(
    tx: &mut Tx,
    gestionnaire: i64,
    debut: Date,
    fin: Date,
) -> Result<Vec<EntretienStocke>, ErreurStore> {
    let sql = format!(
        "SELECT {COLONNES} FROM activite_entretiens WHERE gestionnaire_id = $1 \
         AND date_entretien >= $2 AND date_entretien <= $3 ORDER BY date_entretien, id"
    );
    tx.lignes(&sql, &[gestionnaire.into(), debut.into(), fin.into()])
        .await?
        .iter()
        .map(lire)
        .collect()
}

/// The `n` latest sessions of a structure dated from `debut` to `fin`, latest first: read
/// backwards along the structure's date index however many sessions the period holds.
pub async fn derniers_entre(
    tx: &mut Tx,
    gestionnaire: i64,
    debut: Date,
    fin: Date,
    n: u32,
) -> Result<Vec<EntretienStocke>, ErreurStore> {
    let sql = format!(
        "SELECT {COLONNES} FROM activite_entretiens WHERE gestionnaire_id = $1 \
         AND date_entretien >= $2 AND date_entretien <= $3 \
         ORDER BY date_entretien DESC, id DESC LIMIT $4"
    );
    tx.lignes(
        &sql,
        &[
            gestionnaire.into(),
            debut.into(),
            fin.into(),
            Valeur::Entier(i64::from(n)),
        ],
    )
    .await?
    .iter()
    .map(lire)
    .collect()
}

/// Which of these natural keys a structure already has (a stored key that does not read as
/// 16 bytes is left out).
pub async fn cles_presentes(
    tx: &mut Tx,
    gestionnaire: i64,
    cles: &[[u8; 16]],
) -> Result<Vec<[u8; 16]>, ErreurStore> {
    let mut presentes = Vec::new();
    for lot in cles.chunks(lots::PAR_LISTE) {
        let mut marques = Marques::new(tx.moteur());
        let mut p = vec![Valeur::Entier(gestionnaire)];
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
                presentes.push(c);
            }
        }
    }
    Ok(presentes)
}
