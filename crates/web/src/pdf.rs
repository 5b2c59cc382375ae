//! A small PDF writer for the documents the platform issues (notifications, conventions, payment
//! statements): A4 pages of wrapped paragraphs and headings in the standard Helvetica fonts,
//! written with `pdf-writer`. French text is encoded in WinAnsi, which the standard fonts cover.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// A block of a document.
#[derive(Debug, Clone)]
pub enum Bloc {
    Titre(String),
    Intertitre(String),
    Paragraphe(String),
    /// A label and its value on one line.
    Ligne(String, String),
    Espace,
}

const LARGEUR: f32 = 595.0;
const HAUTEUR: f32 = 842.0;
const MARGE: f32 = 56.0;

/// The character in the WinAnsi encoding of the standard fonts.
fn winansi(c: char) -> u8 {
    match c {
        '\u{20}'..='\u{7e}' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        'œ' => 0x9c,
        'Œ' => 0x8c,
        'Ÿ' => 0x9f,
        '\u{202f}' | '\u{2009}' => 0xa0,
        '≈' => b'~',
        _ => b'?',
    }
}

/// The approximate width of a character in Helvetica, in thousandths of the font size.
fn largeur(c: char, gras: bool) -> f32 {
    let base = match c {
        'i' | 'j' | 'l' | '\'' | '.' | ',' | ':' | ';' | '!' | '|' => 240.0,
        'f' | 't' | 'r' | 'I' | ' ' | '(' | ')' | '-' => 320.0,
        'm' | 'M' | 'W' | 'w' => 840.0,
        'A'..='Z' => 680.0,
        '0'..='9' => 556.0,
        _ => 540.0,
    };
    if gras { base * 1.06 } else { base }
}

/// Splits `texte` into lines that fit `largeur_max` points at `taille`.
fn couper(texte: &str, taille: f32, largeur_max: f32, gras: bool) -> Vec<String> {
    let mut lignes = Vec::new();
    let mut courante = String::new();
    let mut l = 0.0;
    let espace = largeur(' ', gras) * taille / 1000.0;
    for mot in texte.split_whitespace() {
        let w: f32 = mot
            .chars()
            .map(|c| largeur(c, gras) * taille / 1000.0)
            .sum();
        if !courante.is_empty() && l + espace + w > largeur_max {
            lignes.push(std::mem::take(&mut courante));
            l = 0.0;
        }
        if !courante.is_empty() {
            courante.push(' ');
            l += espace;
        }
        courante.push_str(mot);
        l += w;
    }
    if !courante.is_empty() {
        lignes.push(courante);
    }
    lignes
}

fn encoder(texte: &str) -> Vec<u8> {
    texte.chars().map(winansi).collect()
}

/// Lays out the blocks on A4 pages and returns the PDF.
pub fn document(titre: &str, blocs: &[Bloc]) -> Vec<u8> {
    // Lines to draw: (font bold?, size, text, gap before).
    let mut lignes: Vec<(bool, f32, String, f32)> = Vec::new();
    let utile = LARGEUR - 2.0 * MARGE;
    for b in blocs {
        match b {
            Bloc::Titre(t) => {
                for (i, l) in couper(t, 16.0, utile, true).into_iter().enumerate() {
                    lignes.push((true, 16.0, l, if i == 0 { 8.0 } else { 0.0 }));
                }
            }
            Bloc::Intertitre(t) => {
                for (i, l) in couper(t, 12.0, utile, true).into_iter().enumerate() {
                    lignes.push((true, 12.0, l, if i == 0 { 12.0 } else { 0.0 }));
                }
            }
            Bloc::Paragraphe(t) => {
                for (i, l) in couper(t, 10.5, utile, false).into_iter().enumerate() {
                    lignes.push((false, 10.5, l, if i == 0 { 5.0 } else { 0.0 }));
                }
            }
            Bloc::Ligne(etiquette, valeur) => {
                for (i, l) in couper(&format!("{etiquette} : {valeur}"), 10.5, utile, false)
                    .into_iter()
                    .enumerate()
                {
                    lignes.push((false, 10.5, l, if i == 0 { 2.0 } else { 0.0 }));
                }
            }
            Bloc::Espace => lignes.push((false, 10.5, String::new(), 6.0)),
        }
    }
    let mut pages: Vec<Vec<(bool, f32, String, f32)>> = vec![Vec::new()];
    let mut y = HAUTEUR - MARGE;
    for (gras, taille, texte, avant) in lignes {
        let hauteur = taille * 1.35 + avant;
        if y - hauteur < MARGE + 20.0 {
            pages.push(Vec::new());
            y = HAUTEUR - MARGE;
        }
        y -= hauteur;
        if let Some(p) = pages.last_mut() {
            p.push((gras, taille, texte, y));
        }
    }

    let mut pdf = Pdf::new();
    let catalogue = Ref::new(1);
    let arbre = Ref::new(2);
    let police = Ref::new(3);
    let police_grasse = Ref::new(4);
    let info = Ref::new(5);
    let premiere_page = 10;
    let refs_pages: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(premiere_page + 2 * i as i32))
        .collect();
    pdf.catalog(catalogue).pages(arbre);
    pdf.pages(arbre)
        .kids(refs_pages.iter().copied())
        .count(pages.len() as i32);
    pdf.type1_font(police)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(police_grasse)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(pdf_writer::TextStr(titre))
        .producer(pdf_writer::TextStr("Parentalité"));
    let total = pages.len();
    for (i, (page, id)) in pages.iter().zip(&refs_pages).enumerate() {
        let contenu_id = Ref::new(id.get() + 1);
        let mut p = pdf.page(*id);
        p.media_box(Rect::new(0.0, 0.0, LARGEUR, HAUTEUR));
        p.parent(arbre);
        p.contents(contenu_id);
        let mut ressources = p.resources();
        let mut polices = ressources.fonts();
        polices.pair(Name(b"F1"), police);
        polices.pair(Name(b"F2"), police_grasse);
        polices.finish();
        ressources.finish();
        p.finish();
        let mut c = Content::new();
        for (gras, taille, texte, y) in page {
            if texte.is_empty() {
                continue;
            }
            c.begin_text();
            c.set_font(Name(if *gras { b"F2" } else { b"F1" }), *taille);
            c.next_line(MARGE, *y);
            c.show(Str(&encoder(texte)));
            c.end_text();
        }
        c.begin_text();
        c.set_font(Name(b"F1"), 8.0);
        c.next_line(MARGE, MARGE - 20.0);
        c.show(Str(&encoder(&format!(
            "{titre} – page {} sur {total}",
            i + 1
        ))));
        c.end_text();
        pdf.stream(contenu_id, &c.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_document_est_un_pdf_avec_ses_accents() {
        let mut blocs = vec![Bloc::Titre("Notification de décision".into())];
        for _ in 0..120 {
            blocs.push(Bloc::Paragraphe("Le comité des financeurs a validé le projet: 1,5 ETP à compter du 1er mars 2024, 52 800 € par ETP.".into()));
        }
        let pdf = document("Essai", &blocs);
        assert!(pdf.starts_with(b"%PDF-"));
        // é in WinAnsi is 0xE9 (written \351), € is 0x80 (\200).
        let texte = String::from_utf8_lossy(&pdf);
        // Strings are written in hex: « décision » is 64 E9 63 69 73 69 6F 6E; « 800 € » ends 20 80.
        assert!(texte.contains("64E9636973696F6E"), "é mal codé");
        assert!(texte.contains("3830302080"), "€ mal codé");
        assert!(!texte.contains("/Count 1\n"), "plusieurs pages attendues");
    }

    #[test]
    fn les_lignes_longues_sont_coupees() {
        let l = couper(&"mot ".repeat(100), 10.5, 480.0, false);
        assert!(l.len() > 3);
        assert!(l.iter().all(|x| x.len() < 120));
    }
}
