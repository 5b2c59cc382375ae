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

fn texte(c: &Cellule, format: Format) -> String {
    let fr = format == Format::CsvTableur;
    let virgule = if fr { ',' } else { '.' };
    match c {
        Cellule::Vide => String::new(),
        // A spreadsheet would run a text starting with = + - @ as a formula: neutralised with a
        // leading apostrophe in the spreadsheet format (open data keeps texts as they are).
        Cellule::Texte(t) if fr && t.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
            format!("'{t}")
        }
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

    #[test]
    fn une_formule_n_est_jamais_executee_par_le_tableur() {
        let t = Tableau {
            titre: "x".into(),
            colonnes: vec![Colonne::new("Nom", "nom")],
            lignes: vec![vec![Cellule::Texte("=HYPERLINK(\"http://x\")".into())]],
        };
        let mut v = Vec::new();
        t.ecrire(Format::CsvTableur, &mut v).unwrap();
        assert!(String::from_utf8(v).unwrap().contains("'=HYPERLINK"));
        let mut v = Vec::new();
        t.ecrire(Format::CsvOuvert, &mut v).unwrap();
        assert!(!String::from_utf8(v).unwrap().contains("'="));
    }

    #[test]
    fn decimales() {
        assert_eq!(decimal(5, 2, ',', 2), "0,05");
        assert_eq!(decimal(10_000, 4, '.', 0), "1");
        assert_eq!(decimal(12_345, 4, '.', 0), "1.2345");
    }
}
