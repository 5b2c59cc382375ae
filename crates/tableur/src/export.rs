//! Writing a table in three formats. The table is typed (money in cents, FTE in ten-thousandths,
//! dates), so each format writes every value its own way: `1234,56` for a French spreadsheet,
//! `1234.56` in open data, a real number with a euro format in XLSX.

use std::io::Write;

use rust_xlsxwriter::{ExcelDateTime, Format as FormatXlsx, Workbook};
use time::Date;

/// A column: its French header for people, and its open-data name (ASCII snake case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colonne {
    pub entete: String,
    pub cle: String,
}

impl Colonne {
    pub fn new(entete: &str, cle: &str) -> Colonne {
        Colonne {
            entete: entete.to_owned(),
            cle: cle.to_owned(),
        }
    }
}

/// One value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cellule {
    Vide,
    Texte(String),
    Entier(i64),
    /// Money, in integer cents.
    Centimes(i64),
    /// Full-time equivalents, in ten-thousandths.
    Etp(u32),
    /// A measure that is not money (a ratio, a share), in hundredths.
    Centiemes(i64),
    Date(Date),
    Booleen(bool),
}

/// A titled table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tableau {
    pub titre: String,
    pub colonnes: Vec<Colonne>,
    pub lignes: Vec<Vec<Cellule>>,
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a French spreadsheet: `;`, decimal comma, dates JJ/MM/AAAA, UTF-8 with BOM, CRLF.
    CsvTableur,
    /// Open data (guides.data.gouv.fr): `,`, decimal point, ISO dates, UTF-8, LF.
    CsvOuvert,
    Xlsx,
}

impl Format {
    pub fn depuis_code(code: &str) -> Option<Format> {
        match code {
            "csv" | "csv-tableur" => Some(Format::CsvTableur),
            "csv-ouvert" | "opendata" | "open-data" => Some(Format::CsvOuvert),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::CsvTableur | Format::CsvOuvert => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ErreurExport {
    #[error("écriture impossible: {0}")]
    Ecriture(#[from] std::io::Error),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

fn decimal(unites: i64, echelle: u32, separateur: char, minimum: u32) -> String {
    let p = 10i64.pow(echelle);
    let signe = if unites < 0 { "-" } else { "" };
    let abs = unites.unsigned_abs();
    let entier = abs / p.unsigned_abs();
    let mut frac = format!(
        "{:0width$}",
        abs % p.unsigned_abs(),
        width = echelle as usize
    );
    while frac.len() > minimum as usize && frac.ends_with('0') {
        frac.pop();
    }
    if frac.is_empty() {
        format!("{signe}{entier}")
    } else {
        format!("{signe}{entier}{separateur}{frac}")
    }
}

/// Whether a spreadsheet opening the file would take this text for a formula (`=`, `+`, `-`, `@`,
/// or a tab or carriage return before one): such a text is written with a leading apostrophe in
/// CSV and as quote-prefixed text in XLSX (OWASP, « CSV Injection »). A plain number, negative
/// included (`-12,5`), is no formula and stays as it is.
fn pris_pour_formule(t: &str) -> bool {
    if !t.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        return false;
    }
    let chiffres = t.strip_prefix('-').unwrap_or(t);
    let nombre = !chiffres.is_empty()
        && chiffres
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && chiffres.starts_with(|c: char| c.is_ascii_digit())
        && chiffres.chars().filter(|c| matches!(c, ',' | '.')).count() <= 1;
    !(t.starts_with('-') && nombre)
}

fn texte(c: &Cellule, format: Format) -> String {
    let fr = format == Format::CsvTableur;
    let virgule = if fr { ',' } else { '.' };
    match c {
        Cellule::Vide => String::new(),
        Cellule::Texte(t) if pris_pour_formule(t) => format!("'{t}"),
        Cellule::Texte(t) => t.clone(),
        Cellule::Entier(n) => n.to_string(),
        Cellule::Centimes(c) => decimal(*c, 2, virgule, 2),
        Cellule::Etp(e) => decimal(i64::from(*e), 4, virgule, 0),
        Cellule::Centiemes(c) => decimal(*c, 2, virgule, 0),
        Cellule::Date(d) if fr => format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()),
        Cellule::Date(d) => format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()),
        Cellule::Booleen(b) if fr => if *b { "oui" } else { "non" }.to_owned(),
        Cellule::Booleen(b) => b.to_string(),
    }
}

impl Tableau {
    /// Writes the table in `format`.
    pub fn ecrire(&self, format: Format, sortie: &mut impl Write) -> Result<(), ErreurExport> {
        match format {
            Format::Xlsx => {
                let octets = self.xlsx()?;
                sortie.write_all(&octets)?;
                Ok(())
            }
            Format::CsvTableur | Format::CsvOuvert => self.csv(format, sortie),
        }
    }

    fn csv(&self, format: Format, sortie: &mut impl Write) -> Result<(), ErreurExport> {
        let fr = format == Format::CsvTableur;
        if fr {
            sortie.write_all("\u{feff}".as_bytes())?;
        }
        let mut w = csv::WriterBuilder::new()
            .delimiter(if fr { b';' } else { b',' })
            .terminator(if fr {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .from_writer(sortie);
        w.write_record(self.colonnes.iter().map(|c| {
            if fr {
                c.entete.as_str()
            } else {
                c.cle.as_str()
            }
        }))?;
        for ligne in &self.lignes {
            w.write_record(ligne.iter().map(|c| texte(c, format)))?;
        }
        w.flush()?;
        Ok(())
    }

    /// The table as an XLSX workbook: one sheet, bold frozen header, filters, typed cells.
    pub fn xlsx(&self) -> Result<Vec<u8>, ErreurExport> {
        let mut classeur = Workbook::new();
        let feuille = classeur.add_worksheet();
        let nom: String = self
            .titre
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        feuille.set_name(if nom.trim().is_empty() {
            "Export"
        } else {
            nom.trim()
        })?;
        let gras = FormatXlsx::new().set_bold();
        let euros = FormatXlsx::new().set_num_format("# ##0.00 €");
        let etp = FormatXlsx::new().set_num_format("0.0000");
        let date = FormatXlsx::new().set_num_format("dd/mm/yyyy");
        let centiemes = FormatXlsx::new().set_num_format("0.##");
        let texte_seul = FormatXlsx::new().set_quote_prefix();
        for (j, c) in self.colonnes.iter().enumerate() {
            let j = u16::try_from(j).unwrap_or(u16::MAX);
            feuille.write_string_with_format(0, j, &c.entete, &gras)?;
            feuille
                .set_column_width(j, (c.entete.chars().count() as f64 + 2.0).clamp(10.0, 50.0))?;
        }
        for (i, ligne) in self.lignes.iter().enumerate() {
            let i = u32::try_from(i + 1).unwrap_or(u32::MAX);
            for (j, c) in ligne.iter().enumerate() {
                let j = u16::try_from(j).unwrap_or(u16::MAX);
                match c {
                    Cellule::Vide => {}
                    Cellule::Texte(t) if pris_pour_formule(t) => {
                        feuille.write_string_with_format(i, j, t, &texte_seul)?;
                    }
                    Cellule::Texte(t) => {
                        feuille.write_string(i, j, t)?;
                    }
                    Cellule::Entier(n) => {
                        // Counts and ids stay well within the 2^53 a spreadsheet number holds.
                        feuille.write_number(i, j, *n as f64)?;
                    }
                    Cellule::Centimes(c) => {
                        // The only float of the platform: a spreadsheet cell's value.
                        feuille.write_number_with_format(i, j, *c as f64 / 100.0, &euros)?;
                    }
                    Cellule::Etp(e) => {
                        feuille.write_number_with_format(i, j, f64::from(*e) / 10_000.0, &etp)?;
                    }
                    Cellule::Centiemes(c) => {
                        feuille.write_number_with_format(i, j, *c as f64 / 100.0, &centiemes)?;
                    }
                    Cellule::Date(d) => {
                        let x = ExcelDateTime::from_ymd(
                            u16::try_from(d.year()).unwrap_or(1900),
                            u8::from(d.month()),
                            d.day(),
                        )?;
                        feuille.write_datetime_with_format(i, j, &x, &date)?;
                    }
                    Cellule::Booleen(b) => {
                        feuille.write_boolean(i, j, *b)?;
                    }
                }
            }
        }
        if !self.colonnes.is_empty() {
            let derniere = u16::try_from(self.colonnes.len() - 1).unwrap_or(0);
            let fin = u32::try_from(self.lignes.len()).unwrap_or(u32::MAX);
            feuille.autofilter(0, 0, fin, derniere)?;
            feuille.set_freeze_panes(1, 0)?;
        }
        Ok(classeur.save_to_buffer()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn tableau() -> Tableau {
        Tableau {
            titre: "Paiements: 2024/2025".into(),
            colonnes: vec![
                Colonne::new("Référence", "reference"),
                Colonne::new("Montant (€)", "montant_euros"),
                Colonne::new("ETP", "etp"),
                Colonne::new("Date", "date"),
                Colonne::new("Indu", "indu"),
                Colonne::new("Note", "note"),
            ],
            lignes: vec![vec![
                Cellule::Texte("AIP-38;001".into()),
                Cellule::Centimes(-123_456),
                Cellule::Etp(2_500),
                Cellule::Date(date!(2024 - 03 - 05)),
                Cellule::Booleen(true),
                Cellule::Texte("dit \"oui\"\net plus".into()),
            ]],
        }
    }

    #[test]
    fn csv_pour_un_tableur_francais() {
        let mut v = Vec::new();
        tableau().ecrire(Format::CsvTableur, &mut v).unwrap();
        let t = String::from_utf8(v).unwrap();
        assert_eq!(
            t,
            "\u{feff}Référence;Montant (€);ETP;Date;Indu;Note\r\n\"AIP-38;001\";-1234,56;0,25;05/03/2024;oui;\"dit \"\"oui\"\"\net plus\"\r\n"
        );
    }

    #[test]
    fn csv_en_donnees_ouvertes() {
        let mut v = Vec::new();
        tableau().ecrire(Format::CsvOuvert, &mut v).unwrap();
        let t = String::from_utf8(v).unwrap();
        assert_eq!(
            t,
            "reference,montant_euros,etp,date,indu,note\nAIP-38;001,-1234.56,0.25,2024-03-05,true,\"dit \"\"oui\"\"\net plus\"\n"
        );
    }

    #[test]
    fn xlsx_est_un_classeur() {
        let octets = tableau().xlsx().unwrap();
        assert!(octets.starts_with(b"PK"));
        assert!(octets.len() > 1000);
    }

    fn piegee() -> Tableau {
        let textes = [
            "=HYPERLINK(\"http://x\";\"clic\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ];
        Tableau {
            titre: "x".into(),
            colonnes: vec![
                Colonne::new("Nom", "nom"),
                Colonne::new("Montant", "montant"),
            ],
            lignes: textes
                .iter()
                .map(|t| vec![Cellule::Texte((*t).into()), Cellule::Centimes(-150)])
                .chain([vec![Cellule::Texte("-12,5".into()), Cellule::Entier(-3)]])
                .collect(),
        }
    }

    #[test]
    fn une_formule_n_est_jamais_executee_par_le_tableur() {
        for format in [Format::CsvTableur, Format::CsvOuvert] {
            let mut v = Vec::new();
            piegee().ecrire(format, &mut v).unwrap();
            let t = String::from_utf8(v).unwrap();
            let mut lecteur = csv::ReaderBuilder::new()
                .delimiter(if format == Format::CsvTableur {
                    b';'
                } else {
                    b','
                })
                .from_reader(t.trim_start_matches('\u{feff}').as_bytes());
            let lignes: Vec<csv::StringRecord> = lecteur.records().map(Result::unwrap).collect();
            assert_eq!(lignes.len(), 7, "{format:?}");
            for l in &lignes[..6] {
                assert!(l[0].starts_with('\''), "{format:?}: {:?}", &l[0]);
                // Money stays a number, negative sign included.
                assert!(
                    l[1] == *"-1,50" || l[1] == *"-1.50",
                    "{format:?}: {:?}",
                    &l[1]
                );
            }
            // A negative number written as text is a number, not a formula.
            assert_eq!(&lignes[6][0], "-12,5", "{format:?}");
            assert_eq!(&lignes[6][1], "-3", "{format:?}");
        }
    }

    #[test]
    fn une_formule_est_un_texte_dans_le_classeur() {
        use std::io::Read;
        let octets = piegee().xlsx().unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(octets)).unwrap();
        let mut lire = |nom: &str| {
            let mut texte = String::new();
            archive
                .by_name(nom)
                .unwrap()
                .read_to_string(&mut texte)
                .unwrap();
            texte
        };
        let feuille = lire("xl/worksheets/sheet1.xml");
        let styles = lire("xl/styles.xml");
        assert!(!feuille.contains("<f>"), "{feuille}");
        // Cells whose text a spreadsheet would take for a formula carry the quote prefix, which
        // keeps them text even when edited.
        assert!(styles.contains("quotePrefix=\"1\""), "{styles}");
        let prefixees = feuille.matches("<c r=\"A").count() - 2;
        assert_eq!(prefixees, 6);
        let style_a2 = feuille
            .split("<c r=\"A2\"")
            .nth(1)
            .and_then(|s| s.split('>').next())
            .unwrap()
            .to_owned();
        let style_a8 = feuille
            .split("<c r=\"A8\"")
            .nth(1)
            .and_then(|s| s.split('>').next())
            .unwrap()
            .to_owned();
        assert!(style_a2.contains(" s=\""), "{style_a2}");
        assert!(!style_a8.contains(" s=\""), "{style_a8}");
    }

    #[test]
    fn decimales() {
        assert_eq!(decimal(5, 2, ',', 2), "0,05");
        assert_eq!(decimal(10_000, 4, '.', 0), "1");
        assert_eq!(decimal(12_345, 4, '.', 0), "1.2345");
    }
}
