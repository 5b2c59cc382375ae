//! A small PDF writer for the documents the platform issues (notifications, conventions, payment
//! statements): A4 pages of wrapped paragraphs and headings, written with `pdf-writer`. The text
//! is set in DejaVu Sans, shipped in the binary (crates/web/polices/, with its licence), so that
//! every name prints as typed (Łódź, Ștefan, Nguyễn, −, ≈…): each document embeds the subset of
//! the glyphs it uses (`subsetter`) and a ToUnicode map, so that its text can be searched and
//! copied back exactly (ADR 0015).

use std::collections::BTreeMap;
use std::io::Write;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use unicode_normalization::UnicodeNormalization;

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

/// DejaVu Sans (Bitstream Vera licence, see polices/LICENCE-DejaVu.txt).
const DEJAVU_SANS: &[u8] = include_bytes!("../polices/DejaVuSans.ttf");
/// DejaVu Sans Bold, same licence.
const DEJAVU_SANS_GRAS: &[u8] = include_bytes!("../polices/DejaVuSans-Bold.ttf");

/// One of the two fonts of a document, and the glyphs the document has used from it so far.
struct Police {
    donnees: &'static [u8],
    nom_postscript: &'static str,
    gras: bool,
    face: Option<ttf_parser::Face<'static>>,
    /// The glyphs used, renumbered from 0 in the order of their first use: in the embedded
    /// subset and in the content streams (CID = glyph of the subset).
    remappage: subsetter::GlyphRemapper,
    /// The text each glyph of the subset stands for (the ToUnicode map).
    texte_des_glyphes: BTreeMap<u16, char>,
    /// The advance of each glyph of the subset, in thousandths of the font size.
    largeurs: BTreeMap<u16, f32>,
}

impl Police {
    fn new(donnees: &'static [u8], nom_postscript: &'static str, gras: bool) -> Police {
        Police {
            donnees,
            nom_postscript,
            gras,
            face: ttf_parser::Face::parse(donnees, 0).ok(),
            remappage: subsetter::GlyphRemapper::new(),
            texte_des_glyphes: BTreeMap::new(),
            largeurs: BTreeMap::new(),
        }
    }

    /// Thousandths of the font size per font unit.
    fn echelle(&self) -> f32 {
        self.face
            .as_ref()
            .map_or(1.0, |f| 1000.0 / f32::from(f.units_per_em()))
    }

    /// The glyph of the font for `c`; spaces the font lacks are drawn as a space, any other
    /// missing character as the font's « missing glyph » box.
    fn glyphe(&self, c: char) -> u16 {
        let Some(face) = &self.face else { return 0 };
        face.glyph_index(c)
            .or_else(|| c.is_whitespace().then(|| face.glyph_index(' ')).flatten())
            .map_or(0, |g| g.0)
    }

    /// The advance of `c`, in thousandths of the font size.
    fn largeur(&self, c: char) -> f32 {
        let avance = self
            .face
            .as_ref()
            .and_then(|f| f.glyph_hor_advance(ttf_parser::GlyphId(self.glyphe(c))));
        f32::from(avance.unwrap_or(500)) * self.echelle()
    }

    /// The width of `texte` at `taille` points.
    fn largeur_texte(&self, texte: &str, taille: f32) -> f32 {
        texte.chars().map(|c| self.largeur(c)).sum::<f32>() * taille / 1000.0
    }

    /// `texte` as the two-byte CIDs of the subset (Identity-H), recording the glyphs used.
    fn encoder(&mut self, texte: &str) -> Vec<u8> {
        let mut octets = Vec::with_capacity(texte.len() * 2);
        for c in texte.chars() {
            let original = self.glyphe(c);
            let largeur = self.largeur(c);
            let cid = self.remappage.remap(original);
            if original != 0 {
                self.texte_des_glyphes.entry(cid).or_insert(c);
            }
            self.largeurs.insert(cid, largeur);
            octets.extend_from_slice(&cid.to_be_bytes());
        }
        octets
    }

    /// The tag that prefixes the name of a subset (six capital letters), derived from the glyphs
    /// it holds, as PDF 1.7 §9.6.4 asks.
    fn etiquette_du_sous_ensemble(&self) -> String {
        use sha2::Digest;
        let mut empreinte = sha2::Sha256::new();
        for g in self.remappage.remapped_gids() {
            empreinte.update(g.to_be_bytes());
        }
        empreinte
            .finalize()
            .iter()
            .take(6)
            .map(|o| char::from(b'A' + o % 26))
            .collect()
    }

    /// Writes the font (Type 0, its CIDFont, descriptor, embedded subset and ToUnicode map)
    /// with `premiere` as its dictionary's reference and the next four for the other objects.
    fn ecrire(&self, pdf: &mut Pdf, premiere: Ref) {
        let cid_font = Ref::new(premiere.get() + 1);
        let descripteur = Ref::new(premiere.get() + 2);
        let fichier = Ref::new(premiere.get() + 3);
        let to_unicode = Ref::new(premiere.get() + 4);
        let nom = format!(
            "{}+{}",
            self.etiquette_du_sous_ensemble(),
            self.nom_postscript
        );
        let nom = Name(nom.as_bytes());
        let systeme = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        pdf.type0_font(premiere)
            .base_font(nom)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_font)
            .to_unicode(to_unicode);

        let mut cid = pdf.cid_font(cid_font);
        cid.subtype(CidFontType::Type2)
            .base_font(nom)
            .system_info(systeme)
            .font_descriptor(descripteur)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let mut largeurs = cid.widths();
        for (glyphe, largeur) in &self.largeurs {
            largeurs.consecutive(*glyphe, [*largeur]);
        }
        largeurs.finish();
        cid.finish();

        let echelle = self.echelle();
        let (boite, ascendante, descendante, capitales) = match &self.face {
            Some(f) => {
                let b = f.global_bounding_box();
                (
                    Rect::new(
                        f32::from(b.x_min) * echelle,
                        f32::from(b.y_min) * echelle,
                        f32::from(b.x_max) * echelle,
                        f32::from(b.y_max) * echelle,
                    ),
                    f32::from(f.ascender()) * echelle,
                    f32::from(f.descender()) * echelle,
                    f32::from(f.capital_height().unwrap_or(f.ascender())) * echelle,
                )
            }
            None => (Rect::new(0.0, -250.0, 1000.0, 1000.0), 800.0, -200.0, 700.0),
        };
        pdf.font_descriptor(descripteur)
            .name(nom)
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(boite)
            .italic_angle(0.0)
            .ascent(ascendante)
            .descent(descendante)
            .cap_height(capitales)
            .stem_v(80.0)
            .font_file2(fichier);

        // A font the subsetter cannot read is embedded whole rather than not at all.
        let sous_ensemble = subsetter::subset(self.donnees, 0, &self.remappage)
            .unwrap_or_else(|_| self.donnees.to_vec());
        let longueur = i32::try_from(sous_ensemble.len()).unwrap_or(i32::MAX);
        let (donnees, compresse) = comprimer(&sous_ensemble);
        let mut flux = pdf.stream(fichier, &donnees);
        flux.pair(Name(b"Length1"), longueur);
        if compresse {
            flux.filter(Filter::FlateDecode);
        }
        flux.finish();

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), systeme);
        for (glyphe, c) in &self.texte_des_glyphes {
            cmap.pair(*glyphe, *c);
        }
        let cmap = cmap.finish();
        pdf.cmap(to_unicode, cmap.as_slice());
    }
}

/// `octets` compressed for a FlateDecode stream, and whether they were (they are left as they
/// are if the compressor fails).
fn comprimer(octets: &[u8]) -> (Vec<u8>, bool) {
    let mut compresseur =
        flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    match compresseur
        .write_all(octets)
        .and_then(|()| compresseur.finish())
    {
        Ok(c) => (c, true),
        Err(_) => (octets.to_vec(), false),
    }
}

/// Splits `texte` into lines that fit `largeur_max` points at `taille` in `police`.
fn couper(texte: &str, taille: f32, largeur_max: f32, police: &Police) -> Vec<String> {
    let mut lignes = Vec::new();
    let mut courante = String::new();
    let mut l = 0.0;
    let espace = police.largeur_texte(" ", taille);
    for mot in texte.split_whitespace() {
        let w = police.largeur_texte(mot, taille);
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

/// A line to draw: bold or not, its size, its text and the gap before it (then its height on
/// the page, once laid out).
struct LigneAPoser {
    gras: bool,
    taille: f32,
    texte: String,
    position: f32,
}

/// Adds the lines of `texte` wrapped to the page's width, the first one `avant` points below the
/// previous line.
fn poser(lignes: &mut Vec<LigneAPoser>, texte: &str, police: &Police, taille: f32, avant: f32) {
    let utile = LARGEUR - 2.0 * MARGE;
    // Composed characters (NFC): a letter typed with combining accents prints with the font's
    // own accented glyph, and reads back as it is usually written.
    let texte: String = texte.nfc().collect();
    for (i, l) in couper(&texte, taille, utile, police)
        .into_iter()
        .enumerate()
    {
        lignes.push(LigneAPoser {
            gras: police.gras,
            taille,
            texte: l,
            position: if i == 0 { avant } else { 0.0 },
        });
    }
}

/// Lays out the blocks on A4 pages and returns the PDF.
pub fn document(titre: &str, blocs: &[Bloc]) -> Vec<u8> {
    let mut regulier = Police::new(DEJAVU_SANS, "DejaVuSans", false);
    let mut gras = Police::new(DEJAVU_SANS_GRAS, "DejaVuSans-Bold", true);
    let mut lignes: Vec<LigneAPoser> = Vec::new();
    for b in blocs {
        match b {
            Bloc::Titre(t) => poser(&mut lignes, t, &gras, 15.0, 8.0),
            Bloc::Intertitre(t) => poser(&mut lignes, t, &gras, 11.5, 12.0),
            Bloc::Paragraphe(t) => poser(&mut lignes, t, &regulier, 10.0, 5.0),
            Bloc::Ligne(etiquette, valeur) => poser(
                &mut lignes,
                &format!("{etiquette} : {valeur}"),
                &regulier,
                10.0,
                2.0,
            ),
            Bloc::Espace => lignes.push(LigneAPoser {
                gras: false,
                taille: 10.0,
                texte: String::new(),
                position: 6.0,
            }),
        }
    }
    let mut pages: Vec<Vec<LigneAPoser>> = vec![Vec::new()];
    let mut y = HAUTEUR - MARGE;
    for mut ligne in lignes {
        let hauteur = ligne.taille * 1.35 + ligne.position;
        if y - hauteur < MARGE + 20.0 {
            pages.push(Vec::new());
            y = HAUTEUR - MARGE;
        }
        y -= hauteur;
        ligne.position = y;
        if let Some(p) = pages.last_mut() {
            p.push(ligne);
        }
    }

    let mut pdf = Pdf::new();
    let catalogue = Ref::new(1);
    let arbre = Ref::new(2);
    let info = Ref::new(3);
    let police_reguliere = Ref::new(4);
    let police_grasse = Ref::new(9);
    let premiere_page = 20;
    let total = pages.len();
    let refs_pages: Vec<Ref> = (0..total)
        .map(|i| Ref::new(premiere_page + 2 * i32::try_from(i).unwrap_or(0)))
        .collect();
    pdf.catalog(catalogue).pages(arbre);
    pdf.pages(arbre)
        .kids(refs_pages.iter().copied())
        .count(i32::try_from(total).unwrap_or(i32::MAX));
    pdf.document_info(info)
        .title(pdf_writer::TextStr(titre))
        .producer(pdf_writer::TextStr("Parentalité"));
    for (i, (page, id)) in pages.iter().zip(&refs_pages).enumerate() {
        let contenu_id = Ref::new(id.get() + 1);
        let mut p = pdf.page(*id);
        p.media_box(Rect::new(0.0, 0.0, LARGEUR, HAUTEUR));
        p.parent(arbre);
        p.contents(contenu_id);
        let mut ressources = p.resources();
        let mut polices = ressources.fonts();
        polices.pair(Name(b"F1"), police_reguliere);
        polices.pair(Name(b"F2"), police_grasse);
        polices.finish();
        ressources.finish();
        p.finish();
        let mut c = Content::new();
        for ligne in page {
            if ligne.texte.is_empty() {
                continue;
            }
            let police = if ligne.gras { &mut gras } else { &mut regulier };
            c.begin_text();
            c.set_font(Name(if ligne.gras { b"F2" } else { b"F1" }), ligne.taille);
            c.next_line(MARGE, ligne.position);
            c.show(Str(&police.encoder(&ligne.texte)));
            c.end_text();
        }
        c.begin_text();
        c.set_font(Name(b"F1"), 8.0);
        c.next_line(MARGE, MARGE - 20.0);
        c.show(Str(
            &regulier.encoder(&format!("{titre} – page {} sur {total}", i + 1))
        ));
        c.end_text();
        let (contenu, compresse) = comprimer(&c.finish());
        let mut flux = pdf.stream(contenu_id, &contenu);
        if compresse {
            flux.filter(Filter::FlateDecode);
        }
        flux.finish();
    }
    regulier.ecrire(&mut pdf, police_reguliere);
    gras.ecrire(&mut pdf, police_grasse);
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of a PDF as `pdftotext` reads it, or `None` where poppler-utils is absent
    /// (a failure where `PARENTALITE_EXIGER_PDFTOTEXT` is set, as in the test command).
    fn texte_du_pdf(pdf: &[u8]) -> Option<String> {
        let chemin = std::env::temp_dir().join(format!(
            "parentalite-pdf-{}-{:?}.pdf",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&chemin, pdf).unwrap();
        let sortie = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&chemin)
            .arg("-")
            .output();
        let _ = std::fs::remove_file(&chemin);
        let Ok(sortie) = sortie else {
            assert!(
                std::env::var("PARENTALITE_EXIGER_PDFTOTEXT").is_err(),
                "pdftotext absent alors qu'il est exigé"
            );
            eprintln!("pdftotext absent (poppler-utils) : relecture sautée");
            return None;
        };
        assert!(sortie.status.success(), "pdftotext a échoué");
        Some(String::from_utf8(sortie.stdout).unwrap())
    }

    #[test]
    fn un_document_est_un_pdf_de_plusieurs_pages() {
        let mut blocs = vec![Bloc::Titre("Notification de décision".into())];
        for _ in 0..120 {
            blocs.push(Bloc::Paragraphe("Le comité des financeurs a validé le projet: 1,5 ETP à compter du 1er mars 2024, 52 800 € par ETP.".into()));
        }
        let pdf = document("Essai", &blocs);
        assert!(pdf.starts_with(b"%PDF-"));
        let brut = String::from_utf8_lossy(&pdf);
        assert!(!brut.contains("/Count 1\n"), "plusieurs pages attendues");
        assert!(brut.contains("/FontFile2"), "police non embarquée");
        assert!(brut.contains("+DejaVuSans"), "police non réduite");
    }

    #[test]
    fn chaque_caractere_se_relit_tel_quel() {
        let noms = "Łódź, Ștefan Nguyễn, Œuvre d'Éloïse – 52 800 € − 3 ≈ 1,5 ETP";
        let pdf = document(
            "Essai Łódź",
            &[
                Bloc::Titre("Ștefan Nguyễn à Łódź".into()),
                Bloc::Paragraphe(noms.to_owned()),
                Bloc::Ligne("Gestionnaire".into(), noms.to_owned()),
            ],
        );
        // Two fonts of about 700 KB each: only the glyphs used are embedded, compressed.
        assert!(pdf.len() < 60_000, "PDF de {} octets", pdf.len());
        let Some(texte) = texte_du_pdf(&pdf) else {
            return;
        };
        let lignes: Vec<&str> = texte.lines().map(str::trim).collect();
        assert!(lignes.contains(&"Ștefan Nguyễn à Łódź"), "{texte}");
        assert!(lignes.contains(&noms), "{texte}");
        assert!(
            lignes.contains(&format!("Gestionnaire : {noms}").as_str()),
            "{texte}"
        );
    }

    #[test]
    fn un_nom_saisi_en_forme_decomposee_s_imprime_compose() {
        // « Nguyễn » typed as e + circumflex + tilde, « Łódź » with a combining acute.
        let pdf = document(
            "Essai",
            &[Bloc::Paragraphe(
                "Nguye\u{302}\u{303}n à Ło\u{301}dz\u{301}".into(),
            )],
        );
        let Some(texte) = texte_du_pdf(&pdf) else {
            return;
        };
        assert!(
            texte.lines().any(|l| l.trim() == "Nguyễn à Łódź"),
            "{texte}"
        );
    }

    #[test]
    fn les_lignes_longues_sont_coupees() {
        let police = Police::new(DEJAVU_SANS, "DejaVuSans", false);
        let l = couper(&"mot ".repeat(100), 10.5, 480.0, &police);
        assert!(l.len() > 3);
        assert!(
            l.iter()
                .all(|x| police.largeur_texte(x, 10.5) <= 480.0 && x.len() < 120)
        );
    }
}
