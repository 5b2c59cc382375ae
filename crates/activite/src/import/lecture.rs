//! Reads a file of sessions as French spreadsheets save it: `;` separator, UTF-8 with or
//! without BOM, dates `JJ/MM/AAAA` or `AAAA-MM-JJ`, the columns documented in the crate's
//! README. Every line is checked; every problem is kept with its line number, none echoes a
//! family's identifier.

use std::collections::HashMap;

use domain::identifiants::{IntervenantId, LieuId};
use time::Date;

use crate::dates::lire_date;
use crate::entretien::{texte_libre, verifier_champs};
use crate::erreur::{ErreurActivite, ErreurLigne, Probleme};
use crate::nomenclature::{
    Ensemble, Etape, Modalite, Mode, Orientation, Presence, Sujet, normaliser,
};
use crate::pseudonyme::IdentifiantFamille;

/// The columns of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Colonne {
    IdentifiantFamille,
    Date,
    DureeMinutes,
    Etape,
    Mode,
    Presence,
    Sujets,
    Orientations,
    MotifException,
    Reference,
    IntervenantId,
    LieuId,
}

impl Colonne {
    const TOUTES: [Colonne; 12] = [
        Colonne::IdentifiantFamille,
        Colonne::Date,
        Colonne::DureeMinutes,
        Colonne::Etape,
        Colonne::Mode,
        Colonne::Presence,
        Colonne::Sujets,
        Colonne::Orientations,
        Colonne::MotifException,
        Colonne::Reference,
        Colonne::IntervenantId,
        Colonne::LieuId,
    ];

    pub(crate) fn nom(self) -> &'static str {
        match self {
            Colonne::IdentifiantFamille => "identifiant_famille",
            Colonne::Date => "date",
            Colonne::DureeMinutes => "duree_minutes",
            Colonne::Etape => "etape",
            Colonne::Mode => "mode",
            Colonne::Presence => "presence",
            Colonne::Sujets => "sujets",
            Colonne::Orientations => "orientations",
            Colonne::MotifException => "motif_exception",
            Colonne::Reference => "reference",
            Colonne::IntervenantId => "intervenant_id",
            Colonne::LieuId => "lieu_id",
        }
    }

    fn synonymes(self) -> &'static [&'static str] {
        match self {
            Colonne::IdentifiantFamille => &["famille", "identifiant", "code_famille"],
            Colonne::Date => &["date_entretien", "date_de_l_entretien"],
            Colonne::DureeMinutes => &["duree", "duree_en_minutes", "duree_min"],
            Colonne::Etape => &["etape_de_l_accompagnement"],
            Colonne::Mode => &["modalite"],
            Colonne::Presence => &["participants", "presents"],
            Colonne::Sujets => &["sujet", "sujets_abordes"],
            Colonne::Orientations => &["orientation", "orientation_partenaire"],
            Colonne::MotifException => &["motif", "motif_de_l_exception"],
            Colonne::Reference => &["ref", "reference_entretien"],
            Colonne::IntervenantId => &["intervenant"],
            Colonne::LieuId => &["lieu"],
        }
    }

    fn obligatoire(self) -> bool {
        matches!(
            self,
            Colonne::IdentifiantFamille
                | Colonne::Date
                | Colonne::DureeMinutes
                | Colonne::Etape
                | Colonne::Mode
                | Colonne::Presence
        )
    }

    fn depuis_entete(texte: &str) -> Option<Colonne> {
        let n = normaliser(texte);
        Colonne::TOUTES
            .into_iter()
            .find(|c| c.nom() == n || c.synonymes().contains(&n.as_str()))
    }
}

/// One line read and checked, its family not yet pseudonymised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LigneLue {
    pub ligne: u64,
    pub famille: IdentifiantFamille,
    pub date: Date,
    pub duree_minutes: i64,
    pub etape: Etape,
    pub mode: Mode,
    pub presence: Presence,
    pub sujets: Ensemble<Sujet>,
    pub orientations: Ensemble<Orientation>,
    pub intervenant: Option<IntervenantId>,
    pub lieu: Option<LieuId>,
    pub motif_exception: Option<String>,
    pub reference: Option<String>,
}

/// The lines of a file: the good ones and the bad ones.
#[derive(Debug, Default)]
pub(crate) struct Lecture {
    pub lignes: Vec<LigneLue>,
    pub erreurs: Vec<ErreurLigne>,
}

fn refus_du_fichier(raison: String) -> ErreurActivite {
    ErreurActivite::ImportRefuse(vec![ErreurLigne {
        ligne: 1,
        problemes: vec![Probleme {
            champ: "fichier",
            raison,
        }],
    }])
}

/// The columns of the header, in file order (`None` for a column to refuse).
fn lire_entete(entete: &csv::ByteRecord) -> Result<Vec<Colonne>, ErreurActivite> {
    let mut colonnes = Vec::with_capacity(entete.len());
    let mut problemes = Vec::new();
    let mut vues: HashMap<Colonne, usize> = HashMap::new();
    for (i, champ) in entete.iter().enumerate() {
        let Ok(texte) = std::str::from_utf8(champ) else {
            return Err(refus_du_fichier(
                "encodage : le fichier n'est pas en UTF-8 ; enregistrez-le au format « CSV UTF-8 »"
                    .into(),
            ));
        };
        match Colonne::depuis_entete(texte) {
            Some(c) => {
                if let Some(avant) = vues.insert(c, i) {
                    problemes.push(format!(
                        "colonne « {} » en double (colonnes {} et {})",
                        c.nom(),
                        avant + 1,
                        i + 1
                    ));
                }
                colonnes.push(c);
            }
            None if texte.trim().is_empty() => {
                problemes.push(format!("colonne {} sans nom", i + 1));
            }
            None => {
                problemes.push(format!(
                    "colonne « {} » inconnue : retirez-la (aucune donnée nominative n'est \
                     conservée) ; colonnes possibles : {}",
                    texte.trim(),
                    Colonne::TOUTES.map(Colonne::nom).join(", ")
                ));
            }
        }
    }
    if entete.len() == 1
        && entete
            .iter()
            .any(|c| c.contains(&b',') || c.contains(&b'\t'))
    {
        problemes.push(
            "séparateur : les colonnes doivent être séparées par « ; » (format CSV des tableurs \
             français)"
                .into(),
        );
    }
    for c in Colonne::TOUTES {
        if c.obligatoire() && !vues.contains_key(&c) {
            problemes.push(format!("colonne obligatoire « {} » absente", c.nom()));
        }
    }
    if problemes.is_empty() {
        Ok(colonnes)
    } else {
        Err(ErreurActivite::ImportRefuse(vec![ErreurLigne {
            ligne: 1,
            problemes: problemes
                .into_iter()
                .map(|raison| Probleme {
                    champ: "entête",
                    raison,
                })
                .collect(),
        }]))
    }
}

/// A duration in minutes: `60`, `1h`, `1h30`, `1:30`.
fn lire_duree(t: &str) -> Option<i64> {
    let t = t.trim().to_ascii_lowercase();
    let t = t.strip_suffix("min").unwrap_or(&t).trim();
    let nombre = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if let Some((h, m)) = t.split_once(['h', ':']) {
        let heures = nombre(h.trim())?;
        let minutes = if m.trim().is_empty() {
            0
        } else if m.trim().len() == 2 {
            nombre(m.trim())?
        } else {
            return None;
        };
        (minutes < 60).then_some(heures * 60 + minutes)
    } else {
        nombre(t)
    }
}

fn lire_liste<T: Modalite>(
    texte: &str,
    champ: &'static str,
    problemes: &mut Vec<Probleme>,
) -> Ensemble<T> {
    let mut e = Ensemble::vide();
    for item in texte
        .split([',', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match T::depuis_texte(item) {
            Some(v) => e.ajouter(v),
            None => problemes.push(Probleme {
                champ,
                raison: format!(
                    "« {item} » inconnu (valeurs possibles : {})",
                    T::codes_attendus()
                ),
            }),
        }
    }
    e
}

fn lire_modalite<T: Modalite>(
    texte: &str,
    champ: &'static str,
    problemes: &mut Vec<Probleme>,
) -> Option<T> {
    if texte.is_empty() {
        problemes.push(Probleme {
            champ,
            raison: format!("vide (valeurs possibles : {})", T::codes_attendus()),
        });
        return None;
    }
    let v = T::depuis_texte(texte);
    if v.is_none() {
        problemes.push(Probleme {
            champ,
            raison: format!(
                "« {texte} » inconnu (valeurs possibles : {})",
                T::codes_attendus()
            ),
        });
    }
    v
}

fn lire_id(texte: &str, champ: &'static str, problemes: &mut Vec<Probleme>) -> Option<i64> {
    if texte.is_empty() {
        return None;
    }
    let v = texte.parse::<i64>().ok().filter(|v| *v > 0);
    if v.is_none() {
        problemes.push(Probleme {
            champ,
            raison: format!("« {texte} » n'est pas un numéro"),
        });
    }
    v
}

/// One data line.
fn lire_ligne(
    colonnes: &[Colonne],
    champs: &csv::ByteRecord,
    ligne: u64,
    aujourd_hui: Date,
) -> Result<LigneLue, ErreurLigne> {
    let mut problemes = Vec::new();
    let mut valeurs: [&str; 12] = [""; 12];
    for (c, octets) in colonnes.iter().zip(champs.iter()) {
        match std::str::from_utf8(octets) {
            Ok(t) => valeurs[*c as usize] = t.trim(),
            Err(_) => problemes.push(Probleme {
                champ: c.nom(),
                raison: "texte non UTF-8 : enregistrez le fichier au format « CSV UTF-8 »".into(),
            }),
        }
    }
    let v = |c: Colonne| valeurs[c as usize];

    let famille = match IdentifiantFamille::new(v(Colonne::IdentifiantFamille)) {
        Ok(f) => Some(f),
        Err(e) => {
            problemes.push(Probleme {
                champ: Colonne::IdentifiantFamille.nom(),
                raison: match e {
                    ErreurActivite::Champ { raison, .. } => raison,
                    autre => autre.to_string(),
                },
            });
            None
        }
    };
    let date = lire_date(v(Colonne::Date));
    if date.is_none() {
        problemes.push(Probleme {
            champ: "date",
            raison: if v(Colonne::Date).is_empty() {
                "vide (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)".to_owned()
            } else {
                format!(
                    "« {} » n'est pas une date (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)",
                    v(Colonne::Date)
                )
            },
        });
    }
    let duree = lire_duree(v(Colonne::DureeMinutes));
    if duree.is_none() {
        problemes.push(Probleme {
            champ: "duree_minutes",
            raison: format!(
                "« {} » n'est pas une durée (attendu : un nombre de minutes, ou 1h30)",
                v(Colonne::DureeMinutes)
            ),
        });
    }
    let etape = lire_modalite::<Etape>(v(Colonne::Etape), "etape", &mut problemes);
    let mode = lire_modalite::<Mode>(v(Colonne::Mode), "mode", &mut problemes);
    let presence = lire_modalite::<Presence>(v(Colonne::Presence), "presence", &mut problemes);
    let sujets = lire_liste::<Sujet>(v(Colonne::Sujets), "sujets", &mut problemes);
    let orientations =
        lire_liste::<Orientation>(v(Colonne::Orientations), "orientations", &mut problemes);
    let intervenant = lire_id(v(Colonne::IntervenantId), "intervenant_id", &mut problemes);
    let lieu = lire_id(v(Colonne::LieuId), "lieu_id", &mut problemes);
    let motif = texte_libre(Some(v(Colonne::MotifException)));
    let reference = texte_libre(Some(v(Colonne::Reference)));
    if let (Some(d), Some(m)) = (date, duree) {
        verifier_champs(
            d,
            aujourd_hui,
            m,
            motif.as_deref(),
            reference.as_deref(),
            famille.as_ref(),
            &mut problemes,
        );
    }
    match (famille, date, duree, etape, mode, presence) {
        (
            Some(famille),
            Some(date),
            Some(duree_minutes),
            Some(etape),
            Some(mode),
            Some(presence),
        ) if problemes.is_empty() => Ok(LigneLue {
            ligne,
            famille,
            date,
            duree_minutes,
            etape,
            mode,
            presence,
            sujets,
            orientations,
            intervenant: intervenant.map(IntervenantId),
            lieu: lieu.map(LieuId),
            motif_exception: motif,
            reference,
        }),
        _ => Err(ErreurLigne { ligne, problemes }),
    }
}

/// Line numbers from byte offsets. The CSV reader's own line count is off after a CRLF or a
/// blank line, and its record offsets point at the end of the previous line: the record starts
/// at the first byte that is not a line break, and its line is one more than the line breaks
/// before it.
struct Compteur<'a> {
    contenu: &'a [u8],
    position: usize,
    ligne: u64,
}

impl Compteur<'_> {
    fn ligne_de(&mut self, octet: u64) -> u64 {
        let mut debut = usize::try_from(octet)
            .unwrap_or(usize::MAX)
            .min(self.contenu.len());
        while debut < self.contenu.len() && matches!(self.contenu[debut], b'\r' | b'\n') {
            debut += 1;
        }
        if debut >= self.position {
            self.ligne += self.contenu[self.position..debut]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.position = debut;
        }
        self.ligne
    }
}

/// The CSV reader of the crate's files.
fn lecteur(octets: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(octets)
}

/// The next record; an unreadable file refused, its line counted from `lignes_avant`.
fn lire_suivant(
    lecteur: &mut csv::Reader<&[u8]>,
    e: &mut csv::ByteRecord,
    lignes_avant: u64,
) -> Result<bool, ErreurActivite> {
    lecteur.read_byte_record(e).map_err(|err| {
        let ligne = err.position().map_or(0, |p| p.line()) + lignes_avant;
        refus_du_fichier(format!(
            "ligne {ligne} illisible : le fichier n'est pas un CSV valide (guillemets non \
             fermés ?)"
        ))
    })
}

fn sauts_de_ligne(octets: &[u8]) -> u64 {
    octets.iter().filter(|b| **b == b'\n').count() as u64
}

/// The data lines of `contenu[de..a]`, `de` at the start of a record (or of the line break
/// before it).
fn lire_lignes(
    contenu: &[u8],
    de: usize,
    a: usize,
    colonnes: &[Colonne],
    aujourd_hui: Date,
) -> Result<Lecture, ErreurActivite> {
    let avant = sauts_de_ligne(&contenu[..de]);
    let mut lecteur = lecteur(&contenu[de..a]);
    let mut enregistrement = csv::ByteRecord::new();
    let mut lecture = Lecture::default();
    let mut compteur = Compteur {
        contenu,
        position: de,
        ligne: 1 + avant,
    };
    while lire_suivant(&mut lecteur, &mut enregistrement, avant)? {
        let octet = de as u64 + enregistrement.position().map_or(0, |p| p.byte());
        let ligne = compteur.ligne_de(octet);
        if enregistrement
            .iter()
            .all(|c| c.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        if enregistrement.len() != colonnes.len() {
            lecture.erreurs.push(ErreurLigne {
                ligne,
                problemes: vec![Probleme {
                    champ: "ligne",
                    raison: format!(
                        "{} champs au lieu de {} (séparateur attendu : « ; »)",
                        enregistrement.len(),
                        colonnes.len()
                    ),
                }],
            });
            continue;
        }
        match lire_ligne(colonnes, &enregistrement, ligne, aujourd_hui) {
            Ok(l) => lecture.lignes.push(l),
            Err(e) => lecture.erreurs.push(e),
        }
    }
    Ok(lecture)
}

/// Data above which a file is read in two halves on two threads.
const SEUIL_DEUX_MOITIES: usize = 1 << 20;

/// Where to cut the data `contenu[de..]` in two: the start of the first record past its middle,
/// as the CSV reader itself finds it (a line break inside quotes is no place to cut). `None`
/// when there is no such record or the reader fails first (the whole file is then read in one
/// go, which reports the failure).
fn coupure(contenu: &[u8], de: usize) -> Option<usize> {
    let milieu = (contenu.len() - de) / 2;
    let mut lecteur = lecteur(&contenu[de..]);
    let mut e = csv::ByteRecord::new();
    while lecteur.read_byte_record(&mut e).ok()? {
        let octet = usize::try_from(e.position()?.byte()).ok()?;
        if octet >= milieu {
            return Some(de + octet);
        }
    }
    None
}

/// Reads a whole file. A problem with the file itself (encoding of the header, columns) refuses
/// it at once; the problems of lines are returned with the good lines, in file order. A large
/// file is read in two halves at once.
pub(crate) fn lire(contenu: &[u8], aujourd_hui: Date) -> Result<Lecture, ErreurActivite> {
    let contenu = contenu.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(contenu);
    let mut entete = lecteur(contenu);
    let mut enregistrement = csv::ByteRecord::new();
    if !lire_suivant(&mut entete, &mut enregistrement, 0)? {
        return Err(refus_du_fichier("le fichier est vide".into()));
    }
    let colonnes = lire_entete(&enregistrement)?;
    let debut = usize::try_from(entete.position().byte())
        .unwrap_or(contenu.len())
        .min(contenu.len());
    let moitie = if contenu.len() - debut >= SEUIL_DEUX_MOITIES {
        coupure(contenu, debut)
    } else {
        None
    };
    let lecture = match moitie {
        None => lire_lignes(contenu, debut, contenu.len(), &colonnes, aujourd_hui)?,
        Some(m) => {
            let (premiere, seconde) = std::thread::scope(|s| {
                let seconde =
                    s.spawn(|| lire_lignes(contenu, m, contenu.len(), &colonnes, aujourd_hui));
                let premiere = lire_lignes(contenu, debut, m, &colonnes, aujourd_hui);
                let seconde = seconde.join().unwrap_or_else(|_| {
                    lire_lignes(contenu, m, contenu.len(), &colonnes, aujourd_hui)
                });
                (premiere, seconde)
            });
            // The first half's failure is the one a reading in one go would report.
            let mut lecture = premiere?;
            let suite = seconde?;
            lecture.lignes.extend(suite.lignes);
            lecture.erreurs.extend(suite.erreurs);
            lecture
        }
    };
    if lecture.lignes.is_empty() && lecture.erreurs.is_empty() {
        return Err(refus_du_fichier(
            "le fichier ne contient aucun entretien".into(),
        ));
    }
    Ok(lecture)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const AUJOURD_HUI: Date = date!(2024 - 12 - 31);

    fn lire_texte(t: &str) -> Result<Lecture, ErreurActivite> {
        lire(t.as_bytes(), AUJOURD_HUI)
    }

    #[test]
    fn deux_moities_comme_d_un_seul_tenant() {
        // Over 1 MiB, with CRLF, blank lines, quoted line breaks and bad lines throughout: read
        // in two halves, the same lines and errors, numbered the same, as in one go.
        let mut texte = String::from(
            "\u{FEFF}identifiant_famille;date;duree_minutes;etape;mode;presence;motif_exception\r\n",
        );
        let mut n = 0;
        while texte.len() < 3 * SEUIL_DEUX_MOITIES / 2 {
            n += 1;
            texte.push_str(&match n % 7 {
                0 => format!(
                    "F-{n};05/03/2024;60;premier_contact;presentiel;un_parent;\"sur\r\ndeux\"\r\n"
                ),
                1 => "\r\n".to_owned(),
                2 => format!("F-{n};05/13/2024;60;rdv;presentiel;un_parent;\n"),
                3 => format!("F-{n};05/03/2024;60;bilan\n"),
                _ => format!("F-{n};2024-03-05;45;accompagnement;visio;deux_parents;\n"),
            });
        }
        let octets = texte.as_bytes();
        let l = lire(octets, AUJOURD_HUI).unwrap();
        let contenu = &octets[3..];
        let debut = contenu.iter().position(|b| *b == b'\n').unwrap() + 1;
        assert!(coupure(contenu, debut).is_some());
        let seul = lire_lignes(
            contenu,
            debut,
            contenu.len(),
            &lire_entete(&csv::ByteRecord::from(vec![
                "identifiant_famille",
                "date",
                "duree_minutes",
                "etape",
                "mode",
                "presence",
                "motif_exception",
            ]))
            .unwrap(),
            AUJOURD_HUI,
        )
        .unwrap();
        assert_eq!(l.lignes, seul.lignes);
        assert_eq!(l.erreurs, seul.erreurs);
        assert!(l.erreurs.len() > 1000 && l.lignes.len() > 10_000);
        // Line numbers: the header is line 1, a blank line and a quoted line break count.
        let erreurs: Vec<u64> = l.erreurs.iter().take(3).map(|e| e.ligne).collect();
        assert_eq!(erreurs, [3, 4, 11]);
        let lignes: Vec<u64> = l.lignes.iter().take(5).map(|e| e.ligne).collect();
        assert_eq!(lignes, [5, 6, 7, 8, 13]);
    }

    #[test]
    fn fichier_de_tableur_avec_bom() {
        let texte = "\u{FEFF}Identifiant famille;Date;Durée (minutes);Étape;Mode;Présence;Sujets;Orientations\r\n\
                     F-001;05/03/2024;60;Premier contact;Présentiel;Un parent;scolarite, education;\r\n\
                     F-001;2024-03-19;1h30;accompagnement;visio;avec_enfant;;CCAS|sante\r\n\
                     ;;;;;;;\r\n";
        // `Durée (minutes)` is not a known name: the header is refused, saying which column.
        let e = lire_texte(texte).unwrap_err();
        assert!(
            e.to_string().contains("« Durée (minutes) » inconnue"),
            "{e}"
        );

        let texte = texte.replace("Durée (minutes)", "Durée");
        let l = lire_texte(&texte).unwrap();
        assert!(l.erreurs.is_empty(), "{:?}", l.erreurs);
        assert_eq!(l.lignes.len(), 2);
        let a = &l.lignes[0];
        assert_eq!(a.ligne, 2);
        assert_eq!(a.date, date!(2024 - 03 - 05));
        assert_eq!(a.etape, Etape::PremierContact);
        assert!(a.sujets.contient(Sujet::Scolarite) && a.sujets.contient(Sujet::Education));
        let b = &l.lignes[1];
        assert_eq!(b.ligne, 3);
        assert_eq!(b.duree_minutes, 90);
        assert_eq!(b.mode, Mode::Visio);
        assert!(b.orientations.contient(Orientation::Ccas));
        assert!(b.orientations.contient(Orientation::Sante));
        assert_eq!(a.famille, b.famille);
    }

    #[test]
    fn chaque_ligne_fautive_avec_son_numero() {
        let texte = "identifiant_famille;date;duree_minutes;etape;mode;presence\n\
                     DURAND-XK;05/03/2024;60;premier_contact;presentiel;un_parent\n\
                     DURAND-XK;31/02/2024;60;accompagnement;presentiel;un_parent\n\
                     ;05/03/2024;0;rdv;presentiel;un_parent\n\
                     DURAND-XK;05/03/2024;60;bilan\n\
                     DURAND-XK;05/03/2025;60;bilan;presentiel;un_parent\n";
        let l = lire_texte(texte).unwrap();
        assert_eq!(l.lignes.len(), 1);
        let lignes: Vec<u64> = l.erreurs.iter().map(|e| e.ligne).collect();
        assert_eq!(lignes, [3, 4, 5, 6]);
        assert_eq!(l.erreurs[0].problemes[0].champ, "date");
        let champs: Vec<_> = l.erreurs[1].problemes.iter().map(|p| p.champ).collect();
        assert_eq!(champs, ["identifiant_famille", "etape", "duree_minutes"]);
        assert!(l.erreurs[2].to_string().contains("4 champs au lieu de 6"));
        assert!(
            l.erreurs[3].to_string().contains("postérieur"),
            "{}",
            l.erreurs[3]
        );
        for e in &l.erreurs {
            assert!(!e.to_string().contains("DURAND"), "{e}");
        }
    }

    #[test]
    fn entetes_refuses() {
        let e =
            lire_texte("identifiant_famille,date,duree_minutes\nA,05/03/2024,60\n").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("séparées par « ; »"), "{m}");
        assert!(m.contains("colonne obligatoire « etape » absente"), "{m}");
        let e = lire_texte("identifiant_famille;date;duree_minutes;etape;mode;presence;nom\n")
            .unwrap_err();
        assert!(e.to_string().contains("« nom » inconnue"), "{e}");
        let e = lire_texte("").unwrap_err();
        assert!(e.to_string().contains("vide"));
        let e =
            lire_texte("identifiant_famille;date;duree_minutes;etape;mode;presence\n").unwrap_err();
        assert!(e.to_string().contains("aucun entretien"));
        let e = lire_texte("date;date;identifiant_famille;duree_minutes;etape;mode;presence\n")
            .unwrap_err();
        assert!(e.to_string().contains("en double"));
        assert_eq!(e.lignes_en_erreur()[0].ligne, 1);
    }

    #[test]
    fn non_utf8() {
        let mut octets = b"identifiant_famille;date;duree_minutes;etape;mode;presence\nA;05/03/2024;60;premier_contact;pr".to_vec();
        octets.extend([0xE9]); // « é » in Latin-1
        octets.extend(b"sentiel;un_parent\n");
        let l = lire(&octets, AUJOURD_HUI).unwrap();
        assert!(l.erreurs[0].to_string().contains("UTF-8"));
    }

    #[test]
    fn numeros_de_ligne_malgre_crlf_lignes_vides_et_guillemets() {
        let texte = "identifiant_famille;date;duree_minutes;etape;mode;presence;motif_exception\r\n\
                     \r\n\
                     A;05/03/2024;60;premier_contact;presentiel;un_parent;\r\n\
                     A;05/03/2024;60;rdv;presentiel;un_parent;\"sur\r\ndeux lignes\"\r\n\
                     A;05/03/2024;60;rdv;presentiel;un_parent;\r\n";
        let l = lire_texte(texte).unwrap();
        assert_eq!(l.lignes[0].ligne, 3);
        let lignes: Vec<u64> = l.erreurs.iter().map(|e| e.ligne).collect();
        assert_eq!(lignes, [4, 6]);
    }

    #[test]
    fn durees() {
        assert_eq!(lire_duree("60"), Some(60));
        assert_eq!(lire_duree("45 min"), Some(45));
        assert_eq!(lire_duree("1h"), Some(60));
        assert_eq!(lire_duree("1h30"), Some(90));
        assert_eq!(lire_duree("1:05"), Some(65));
        assert_eq!(lire_duree("1h5"), None);
        assert_eq!(lire_duree("1h75"), None);
        assert_eq!(lire_duree("-5"), None);
        assert_eq!(lire_duree("une heure"), None);
        assert_eq!(lire_duree(""), None);
    }
}
