//! Writing sessions in batches of multi-row `INSERT … ON CONFLICT (cle) DO NOTHING` (one
//! statement text per batch size, so the driver prepares it once), and reading them back.

use domain::identifiants::{CodeDepartement, GestionnaireId, IntervenantId, LieuId};
use store::{Genre, Ligne, Tx, Valeur};

use crate::entretien::{Entretien, EntretienValide};
use crate::erreur::ErreurActivite;
use crate::nomenclature::{Ensemble, Etape, Modalite, Mode, Orientation, Presence, Sujet};
use crate::pseudonyme::CodeFamille;

/// Sessions per statement: 12 parameters each, under SQLite's 32 766 and PostgreSQL's 65 535.
pub(crate) const LOT: usize = 1000;
const PAR_LIGNE: usize = 12;

fn requete_insertion(n: usize, retour: bool) -> String {
    let mut sql = String::with_capacity(80 + n * 70);
    sql.push_str(
        "INSERT INTO activite_entretiens (gestionnaire_id, departement, import_id, cle, famille, \
         date_entretien, duree_minutes, etape, mode, presence, sujets, orientations, \
         intervenant_id, lieu_id, motif_exception) VALUES ",
    );
    for i in 0..n {
        if i > 0 {
            sql.push(',');
        }
        let b = 4 + i * PAR_LIGNE;
        sql.push_str("($1, $2, $3");
        for p in b..b + PAR_LIGNE {
            sql.push_str(", $");
            sql.push_str(&p.to_string());
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (cle) DO NOTHING");
    if retour {
        sql.push_str(" RETURNING id");
    }
    sql
}

fn parametres(e: &EntretienValide, p: &mut Vec<Valeur>) {
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
/// natural key as a stored session).
pub(crate) async fn inserer(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    import: Option<i64>,
    entretiens: &[&EntretienValide],
) -> Result<u64, ErreurActivite> {
    let mut total = 0;
    let mut sql_plein: Option<String> = None;
    for lot in entretiens.chunks(LOT) {
        let mut p = Vec::with_capacity(3 + lot.len() * PAR_LIGNE);
        p.push(Valeur::Entier(gestionnaire.0));
        p.push(Valeur::Texte(departement.as_str().to_owned()));
        p.push(import.into());
        for e in lot {
            parametres(e, &mut p);
        }
        let sql = if lot.len() == LOT {
            sql_plein.get_or_insert_with(|| requete_insertion(LOT, false))
        } else {
            &requete_insertion(lot.len(), false)
        };
        total += tx.executer(sql, &p).await?;
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
    let mut p = vec![
        Valeur::Entier(gestionnaire.0),
        Valeur::Texte(departement.as_str().to_owned()),
        Valeur::Nul(Genre::Entier),
    ];
    parametres(e, &mut p);
    let ligne = tx.ligne(&requete_insertion(1, true), &p).await?;
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

/// The session with a natural key.
pub(crate) async fn par_cle(
    tx: &mut Tx,
    cle: [u8; 16],
) -> Result<Option<Entretien>, ErreurActivite> {
    let sql = format!("SELECT {COLONNES} FROM activite_entretiens WHERE cle = $1");
    tx.ligne(&sql, &[Valeur::Texte(hex::encode(cle))])
        .await?
        .map(|l| lire(&l))
        .transpose()
}

/// Which of these natural keys are already stored.
pub(crate) async fn cles_presentes(
    tx: &mut Tx,
    cles: &[[u8; 16]],
) -> Result<std::collections::HashSet<[u8; 16]>, ErreurActivite> {
    let mut presentes = std::collections::HashSet::new();
    for lot in cles.chunks(LOT) {
        let marques: Vec<String> = (1..=lot.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT cle FROM activite_entretiens WHERE cle IN ({})",
            marques.join(", ")
        );
        let p: Vec<Valeur> = lot.iter().map(|c| Valeur::Texte(hex::encode(c))).collect();
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
