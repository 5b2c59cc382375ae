//! Batch computation: many cases in, one result per case out, in the input's order. JSON lines are
//! cut into blocks computed on every core and written back in order; CSV is read and written row
//! by row. A bad case gives an error line (its line number and reason) and the batch goes on.

use std::io::{Read, Write};
use std::ops::Range;
use std::path::Path;
use std::process::ExitCode;

use rayon::prelude::*;
use referentiel::aip::json::{CasTexte, ecrire_erreur, ecrire_resultat, lire_cas, lire_cas_texte};
use referentiel::aip::{self, ErreurAip, ParametresAip, Suite};
use referentiel::exact::ecrire_centimes;
use referentiel::parametres::{ErreurParametre, Parametres};

use super::{SORTIE_ECHEC, SORTIE_INVALIDE, lire_source};

/// The formats of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header line naming the fields (comma or semicolon separated).
    Csv,
}

/// Bytes of input per block computed as one task.
const TAILLE_BLOC: usize = 1 << 18;
/// Blocks computed together before their results are written.
const BLOCS_PAR_VAGUE: usize = 64;

/// The parameters of each exercise met so far, fetched once.
struct CacheParametres<'p> {
    parametres: &'p Parametres,
    exercices: Vec<(i32, Result<ParametresAip<'p>, ErreurParametre>)>,
}

impl<'p> CacheParametres<'p> {
    fn new(parametres: &'p Parametres) -> Self {
        CacheParametres {
            parametres,
            exercices: Vec::new(),
        }
    }

    fn pour(&mut self, exercice: i32) -> Result<ParametresAip<'p>, ErreurParametre> {
        if let Some((_, r)) = self.exercices.iter().find(|(e, _)| *e == exercice) {
            return r.clone();
        }
        let r = ParametresAip::pour_exercice(self.parametres, exercice);
        self.exercices.push((exercice, r.clone()));
        r
    }
}

pub fn executer(
    parametres: &Parametres,
    chemin: &Path,
    format: Option<Format>,
    trace: bool,
) -> ExitCode {
    let format = format.unwrap_or_else(|| {
        let csv = chemin
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if csv { Format::Csv } else { Format::Jsonl }
    });
    let stdout = std::io::stdout();
    let mut sortie = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let resultat = match format {
        Format::Jsonl => {
            let mut entree: Box<dyn Read> = if chemin.as_os_str() == "-" {
                Box::new(std::io::stdin().lock())
            } else {
                match std::fs::File::open(chemin) {
                    Ok(f) => Box::new(f),
                    Err(e) => {
                        return super::invalide(&format!(
                            "{}: lecture impossible: {e}",
                            chemin.display()
                        ));
                    }
                }
            };
            jsonl(parametres, &mut *entree, trace, &mut sortie)
        }
        Format::Csv => match lire_source(chemin) {
            Ok(donnees) => csv(parametres, &donnees, &mut sortie),
            Err(m) => return super::invalide(&m),
        },
    };
    let flush = sortie.flush();
    match (resultat, flush) {
        (Ok(0), Ok(())) => ExitCode::SUCCESS,
        (Ok(echecs), Ok(())) => {
            eprintln!("erreur: {echecs} cas invalide(s), voir les lignes « erreur » de la sortie");
            ExitCode::from(SORTIE_INVALIDE)
        }
        (Err(Echec::Ecriture(e)), _) | (_, Err(e)) => {
            eprintln!("erreur: écriture impossible: {e}");
            ExitCode::from(SORTIE_ECHEC)
        }
        (Err(Echec::Entree(m)), _) => super::invalide(&m),
    }
}

enum Echec {
    Ecriture(std::io::Error),
    Entree(String),
}

/// Cuts `donnees` into blocks that end at a line end (the last one ends where `donnees` ends).
fn decouper(donnees: &[u8]) -> Vec<Range<usize>> {
    let mut blocs = Vec::with_capacity(donnees.len() / TAILLE_BLOC + 1);
    let mut debut = 0;
    while debut < donnees.len() {
        let mut fin = (debut + TAILLE_BLOC).min(donnees.len());
        if fin < donnees.len() {
            fin = memchr::memchr(b'\n', &donnees[fin..]).map_or(donnees.len(), |i| fin + i + 1);
        }
        blocs.push(debut..fin);
        debut = fin;
    }
    blocs
}

/// Computes one block of JSON lines whose first line has number `premiere` into `sortie`;
/// returns the number of failed cases.
fn bloc_jsonl(
    parametres: &Parametres,
    bloc: &[u8],
    premiere: u64,
    trace: bool,
    sortie: &mut Vec<u8>,
) -> u64 {
    sortie.clear();
    let mut cache = CacheParametres::new(parametres);
    let mut echecs = 0;
    let bloc = bloc.strip_suffix(b"\n").unwrap_or(bloc);
    let mut debut_ligne = 0;
    let fins = memchr::memchr_iter(b'\n', bloc).chain(std::iter::once(bloc.len()));
    for (i, fin) in fins.enumerate() {
        let ligne = &bloc[debut_ligne..fin];
        debut_ligne = fin + 1;
        let ligne = ligne.strip_suffix(b"\r").unwrap_or(ligne);
        if ligne.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let numero = premiere + i as u64;
        let calcul = lire_cas(ligne).and_then(|entree| {
            let p = cache.pour(entree.exercice)?;
            Ok((aip::calculer(&p, &entree)?, p))
        });
        let debut = sortie.len();
        let ecrit = calcul.and_then(|(r, p)| ecrire_resultat(sortie, &r, &p, Some(numero), trace));
        if let Err(e) = ecrit {
            echecs += 1;
            sortie.truncate(debut);
            ecrire_erreur(sortie, Some(numero), &e);
        }
        sortie.push(b'\n');
    }
    echecs
}

/// Bytes read from the input at a time: the lines they complete are computed, then written, while
/// the buffers are reused for the next read.
const TAILLE_LECTURE: usize = TAILLE_BLOC * BLOCS_PAR_VAGUE;

fn jsonl(
    parametres: &Parametres,
    entree: &mut dyn Read,
    trace: bool,
    sortie: &mut impl Write,
) -> Result<u64, Echec> {
    let mut tampon: Vec<u8> = Vec::with_capacity(TAILLE_LECTURE + TAILLE_BLOC);
    let mut sorties: Vec<Vec<u8>> = Vec::new();
    let mut prochaine_ligne = 1u64;
    let mut echecs = 0;
    let mut fini = false;
    let mut objectif = TAILLE_LECTURE;
    while !fini {
        // Fill the buffer up to `objectif` bytes (or the end of the input), without zeroing it.
        let manque = objectif.saturating_sub(tampon.len()) as u64;
        match (&mut *entree).take(manque).read_to_end(&mut tampon) {
            Ok(n) if (n as u64) < manque => fini = true,
            Ok(_) => {}
            Err(e) => return Err(Echec::Entree(format!("lecture impossible: {e}"))),
        }
        // Compute the complete lines; keep an unfinished last line for the next read.
        let complet = if fini {
            tampon.len()
        } else {
            memchr::memrchr(b'\n', &tampon).map_or(0, |i| i + 1)
        };
        if complet == 0 && !fini {
            // One line longer than the buffer: read more before computing it.
            objectif = tampon.len() * 2;
            continue;
        }
        objectif = TAILLE_LECTURE;
        let donnees = &tampon[..complet];
        let blocs = decouper(donnees);
        let lignes: Vec<u64> = blocs
            .par_iter()
            .map(|b| memchr::memchr_iter(b'\n', &donnees[b.clone()]).count() as u64)
            .collect();
        let mut premieres = Vec::with_capacity(blocs.len());
        for (b, l) in blocs.iter().zip(&lignes) {
            premieres.push(prochaine_ligne);
            // A last line without its newline still counts as a line.
            let sans_fin = !donnees[b.clone()].ends_with(b"\n") && !b.is_empty();
            prochaine_ligne += l + u64::from(sans_fin);
        }
        if sorties.len() < blocs.len() {
            sorties.resize_with(blocs.len(), Vec::new);
        }
        let resultats: Vec<u64> = sorties[..blocs.len()]
            .par_iter_mut()
            .zip(blocs.par_iter().zip(premieres.par_iter()))
            .map(|(s, (b, &premiere))| {
                bloc_jsonl(parametres, &donnees[b.clone()], premiere, trace, s)
            })
            .collect();
        for (s, e) in sorties.iter().zip(resultats) {
            echecs += e;
            sortie.write_all(s).map_err(Echec::Ecriture)?;
        }
        tampon.drain(..complet);
    }
    Ok(echecs)
}

/// The CSV columns written for each case.
const COLONNES_SORTIE: [&str; 9] = [
    "ligne",
    "montant",
    "acompte",
    "charge_a_payer",
    "solde",
    "etp_retenus",
    "prix_de_revient",
    "plafond_applique",
    "erreur",
];

fn csv(parametres: &Parametres, donnees: &[u8], sortie: &mut impl Write) -> Result<u64, Echec> {
    let premiere_ligne = donnees.split(|&b| b == b'\n').next().unwrap_or_default();
    let point_virgule = premiere_ligne.contains(&b';') && !premiere_ligne.contains(&b',');
    let separateur = if point_virgule { b';' } else { b',' };
    let mut lecteur = ::csv::ReaderBuilder::new()
        .delimiter(separateur)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(donnees);
    let entetes = lecteur
        .byte_headers()
        .map_err(|e| Echec::Entree(format!("en-tête CSV illisible: {e}")))?
        .clone();
    let mut index: [Option<usize>; 8] = [None; 8];
    for (i, nom) in entetes.iter().enumerate() {
        let nom = std::str::from_utf8(nom)
            .unwrap_or_default()
            .trim_start_matches('\u{feff}');
        match aip::json::CHAMPS.iter().position(|c| *c == nom) {
            Some(j) => index[j] = Some(i),
            None => {
                return Err(Echec::Entree(format!(
                    "colonne « {nom} » inconnue; colonnes possibles: {}",
                    aip::json::CHAMPS.join(", ")
                )));
            }
        }
    }
    let mut ecrivain = ::csv::WriterBuilder::new()
        .delimiter(separateur)
        .from_writer(sortie);
    let ecrire = |e: ::csv::Error| Echec::Ecriture(std::io::Error::other(e));
    ecrivain.write_record(COLONNES_SORTIE).map_err(ecrire)?;
    let mut cache = CacheParametres::new(parametres);
    let mut enregistrement = ::csv::ByteRecord::new();
    let mut echecs = 0;
    loop {
        let numero;
        let calcul = match lecteur.read_byte_record(&mut enregistrement) {
            Ok(false) => break,
            Ok(true) => {
                numero = enregistrement.position().map_or(0, |p| p.line());
                let champ = |j: usize| -> Result<Option<std::borrow::Cow<'_, str>>, ErreurAip> {
                    let Some(i) = index[j] else { return Ok(None) };
                    let Some(octets) = enregistrement.get(i) else {
                        return Ok(None);
                    };
                    let texte = std::str::from_utf8(octets).map_err(|_| {
                        ErreurAip::champ(aip::json::CHAMPS[j], "texte qui n'est pas de l'UTF-8")
                    })?;
                    if texte.is_empty() {
                        return Ok(None);
                    }
                    // A French spreadsheet writes decimals with a comma.
                    Ok(Some(if point_virgule && texte.contains(',') {
                        std::borrow::Cow::Owned(texte.replace(',', "."))
                    } else {
                        std::borrow::Cow::Borrowed(texte)
                    }))
                };
                let mut lire = || -> Result<_, ErreurAip> {
                    let valeurs: Vec<Option<std::borrow::Cow<'_, str>>> =
                        (0..8).map(champ).collect::<Result<_, _>>()?;
                    let cas = CasTexte {
                        dispositif: valeurs[0].as_deref(),
                        exercice: valeurs[1].as_deref(),
                        declaration: valeurs[2].as_deref(),
                        etp_declares: valeurs[3].as_deref(),
                        etp_notifies: valeurs[4].as_deref(),
                        mois_fonctionnement: valeurs[5].as_deref(),
                        depenses_fonctionnement: valeurs[6].as_deref(),
                        versements_effectues: valeurs[7].as_deref(),
                    };
                    let entree = lire_cas_texte(&cas)?;
                    let p = cache.pour(entree.exercice)?;
                    aip::calculer(&p, &entree)
                };
                lire()
            }
            Err(e) => {
                numero = e.position().map_or(0, |p| p.line());
                Err(ErreurAip::Json(format!("ligne CSV illisible: {e}")))
            }
        };
        let ligne = numero.to_string();
        match calcul {
            Ok(r) => {
                let mut suite = [String::new(), String::new(), String::new()];
                let i = match r.suite {
                    Suite::Acompte(_) => 0,
                    Suite::ChargeAPayer(_) => 1,
                    Suite::Solde(_) => 2,
                };
                suite[i] = centimes(r.suite.centimes());
                let mut etp = Vec::new();
                let mut prix = Vec::new();
                let formate = aip::json::ecrire_etp(&mut etp, r.etp_retenus)
                    .and_then(|()| r.prix_de_revient.arrondi(2).map_err(ErreurAip::from));
                match formate {
                    Ok(cents) => {
                        ecrire_centimes(&mut prix, cents);
                        ecrivain
                            .write_record([
                                ligne.as_bytes(),
                                centimes(r.montant).as_bytes(),
                                suite[0].as_bytes(),
                                suite[1].as_bytes(),
                                suite[2].as_bytes(),
                                &etp,
                                &prix,
                                if r.plafond_applique {
                                    b"true"
                                } else {
                                    b"false"
                                },
                                b"",
                            ])
                            .map_err(ecrire)?;
                    }
                    Err(e) => {
                        echecs += 1;
                        erreur_csv(&mut ecrivain, &ligne, &e).map_err(ecrire)?;
                    }
                }
            }
            Err(e) => {
                echecs += 1;
                erreur_csv(&mut ecrivain, &ligne, &e).map_err(ecrire)?;
            }
        }
    }
    ecrivain.flush().map_err(Echec::Ecriture)?;
    Ok(echecs)
}

fn erreur_csv<W: Write>(
    ecrivain: &mut ::csv::Writer<W>,
    ligne: &str,
    e: &ErreurAip,
) -> Result<(), ::csv::Error> {
    let message = e.to_string();
    ecrivain.write_record([ligne, "", "", "", "", "", "", "", message.as_str()])
}

fn centimes(c: i128) -> String {
    referentiel::exact::centimes_texte(c)
}
