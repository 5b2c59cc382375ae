//! What a joined file may be: its kind is read from its first bytes (magic numbers, through the
//! `infer` crate), never from its name; only PDF, images and office documents are accepted, never
//! a program, never an unknown format, never an empty file nor one over 20 Mo. Each refusal is a
//! French sentence naming the file and why.

use std::fmt;

use sha2::{Digest, Sha256};

/// The largest file accepted: 20 Mo (20 × 1024 × 1024 bytes).
pub const TAILLE_MAX: u64 = 20 * 1024 * 1024;

/// The longest file name kept (in characters).
const NOM_MAX: usize = 150;

/// What the accepted formats are, in the words of the refusals and of the upload form.
pub const FORMATS_ACCEPTES: &str = "PDF, images (PNG, JPEG, WebP, GIF) et documents bureautiques \
     (OpenDocument, Word, Excel, PowerPoint)";

/// An accepted format, as detected from the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// The media type sent back on download.
    pub type_media: &'static str,
    /// A short name for people (`PDF`, `image PNG`…).
    pub libelle: &'static str,
}

/// The formats accepted, by the media type `infer` gives them.
const ACCEPTES: [Format; 14] = [
    Format {
        type_media: "application/pdf",
        libelle: "PDF",
    },
    Format {
        type_media: "image/png",
        libelle: "image PNG",
    },
    Format {
        type_media: "image/jpeg",
        libelle: "image JPEG",
    },
    Format {
        type_media: "image/webp",
        libelle: "image WebP",
    },
    Format {
        type_media: "image/gif",
        libelle: "image GIF",
    },
    Format {
        type_media: "application/vnd.oasis.opendocument.text",
        libelle: "texte OpenDocument",
    },
    Format {
        type_media: "application/vnd.oasis.opendocument.spreadsheet",
        libelle: "classeur OpenDocument",
    },
    Format {
        type_media: "application/vnd.oasis.opendocument.presentation",
        libelle: "présentation OpenDocument",
    },
    Format {
        type_media: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        libelle: "document Word",
    },
    Format {
        type_media: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        libelle: "classeur Excel",
    },
    Format {
        type_media: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        libelle: "présentation PowerPoint",
    },
    Format {
        type_media: "application/msword",
        libelle: "document Word 97-2003",
    },
    Format {
        type_media: "application/vnd.ms-excel",
        libelle: "classeur Excel 97-2003",
    },
    Format {
        type_media: "application/vnd.ms-powerpoint",
        libelle: "présentation PowerPoint 97-2003",
    },
];

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefusFichier {
    /// No byte at all.
    Vide { nom: String },
    /// Over [`TAILLE_MAX`].
    TropLourd { nom: String, taille: u64 },
    /// A program or a script: never joined, whatever its name.
    Executable { nom: String },
    /// Neither accepted nor known as a program.
    NonReconnu { nom: String },
}

impl fmt::Display for RefusFichier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefusFichier::Vide { nom } => {
                write!(f, "« {nom} » est vide : le fichier ne contient rien")
            }
            RefusFichier::TropLourd { nom, taille } => write!(
                f,
                "« {nom} » pèse {} : 20 Mo au plus",
                taille_lisible(*taille)
            ),
            RefusFichier::Executable { nom } => write!(
                f,
                "« {nom} » est un programme exécutable : seuls les PDF, images et documents \
                 bureautiques sont acceptés"
            ),
            RefusFichier::NonReconnu { nom } => write!(
                f,
                "« {nom} » n'est pas d'un format accepté (d'après son contenu, quel que soit son \
                 nom) : seuls les {FORMATS_ACCEPTES} sont acceptés"
            ),
        }
    }
}

impl std::error::Error for RefusFichier {}

/// A size for people: `812 octets`, `4,2 Ko`, `23,4 Mo` (one decimal, French comma).
pub fn taille_lisible(taille: u64) -> String {
    const KO: u64 = 1024;
    const MO: u64 = 1024 * 1024;
    let (unite, diviseur) = match taille {
        t if t < KO => return format!("{t} octets"),
        t if t < MO => ("Ko", KO),
        _ => ("Mo", MO),
    };
    let dixiemes = (u128::from(taille) * 10 + u128::from(diviseur) / 2) / u128::from(diviseur);
    format!("{},{} {unite}", dixiemes / 10, dixiemes % 10)
}

/// Whether the bytes are a program or a script: ELF, PE (`MZ`), Mach-O (and fat binaries),
/// WebAssembly, Java classes, Dalvik, or any text starting with `#!`.
fn est_executable(octets: &[u8]) -> bool {
    const SIGNATURES: [&[u8]; 10] = [
        b"\x7fELF",
        b"MZ",
        b"#!",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
        b"\0asm",
        b"dex\n",
    ];
    SIGNATURES.iter().any(|s| octets.starts_with(s))
        || infer::get(octets).is_some_and(|t| {
            t.matcher_type() == infer::MatcherType::App || t.mime_type() == "text/x-shellscript"
        })
}

/// The format of a file named `nom`, read from its bytes, or why it is refused (empty, too large,
/// a program, or not an accepted format).
pub fn examiner(nom: &str, octets: &[u8]) -> Result<Format, RefusFichier> {
    let nom = nom.to_owned();
    let taille = octets.len() as u64;
    if taille == 0 {
        return Err(RefusFichier::Vide { nom });
    }
    if taille > TAILLE_MAX {
        return Err(RefusFichier::TropLourd { nom, taille });
    }
    if est_executable(octets) {
        return Err(RefusFichier::Executable { nom });
    }
    let detecte = infer::get(octets).map(|t| t.mime_type());
    ACCEPTES
        .iter()
        .find(|f| Some(f.type_media) == detecte)
        .copied()
        .ok_or(RefusFichier::NonReconnu { nom })
}

/// The SHA-256 of the bytes, in lowercase hexadecimal.
pub fn sha256_hex(octets: &[u8]) -> String {
    Sha256::digest(octets)
        .iter()
        .map(|o| format!("{o:02x}"))
        .collect()
}

/// A file name safe to keep and to send back: the last component of any path, without control
/// characters nor quotes, at most 150 characters; `document` when nothing is left.
pub fn nom_sur(nom: &str) -> String {
    let dernier = nom.rsplit(['/', '\\']).next().unwrap_or_default();
    let propre: String = dernier
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*'))
        .take(NOM_MAX)
        .collect();
    let propre = propre.trim().trim_start_matches('.').trim();
    if propre.is_empty() {
        "document".to_owned()
    } else {
        propre.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A minimal zip whose first entry is `nom` holding `contenu` (stored, no compression):
    /// enough for the detection, which reads the local header.
    fn zip_avec(nom: &str, contenu: &[u8]) -> Vec<u8> {
        let mut z = Vec::new();
        z.extend_from_slice(b"PK\x03\x04");
        z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&[0, 0, 0, 0]); // crc
        let n = u32::try_from(contenu.len()).unwrap().to_le_bytes();
        z.extend_from_slice(&n);
        z.extend_from_slice(&n);
        z.extend_from_slice(&u16::try_from(nom.len()).unwrap().to_le_bytes());
        z.extend_from_slice(&[0, 0]);
        z.extend_from_slice(nom.as_bytes());
        z.extend_from_slice(contenu);
        z
    }

    #[test]
    fn un_pdf_est_reconnu_par_son_contenu_quel_que_soit_son_nom() {
        let f = examiner("budget.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj").unwrap();
        assert_eq!(f.type_media, "application/pdf");
    }

    #[test]
    fn les_images_sont_reconnues() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(examiner("a.png", png).unwrap().type_media, "image/png");
        let jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF\0";
        assert_eq!(examiner("a.jpg", jpeg).unwrap().type_media, "image/jpeg");
        assert_eq!(
            examiner("a.gif", b"GIF89a\x01\0\x01\0").unwrap().type_media,
            "image/gif"
        );
    }

    #[test]
    fn les_documents_bureautiques_sont_reconnus() {
        let odt = zip_avec("mimetype", b"application/vnd.oasis.opendocument.text");
        assert_eq!(
            examiner("statuts.odt", &odt).unwrap().type_media,
            "application/vnd.oasis.opendocument.text"
        );
        let docx = zip_avec("word/document.xml", b"<w:document/>");
        assert_eq!(
            examiner("statuts.docx", &docx).unwrap().type_media,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        let xlsx = zip_avec("xl/workbook.xml", b"<workbook/>");
        assert_eq!(
            examiner("budget.xlsx", &xlsx).unwrap().libelle,
            "classeur Excel"
        );
    }

    #[test]
    fn un_zip_quelconque_est_refuse() {
        let zip = zip_avec("lisezmoi.txt", b"bonjour");
        assert_eq!(
            examiner("archive.docx", &zip),
            Err(RefusFichier::NonReconnu {
                nom: "archive.docx".into()
            })
        );
    }

    #[test]
    fn les_programmes_sont_refuses_meme_deguises() {
        for (nom, octets) in [
            ("statuts.pdf", &b"\x7fELF\x02\x01\x01\0\0\0\0\0"[..]),
            ("rib.pdf", b"MZ\x90\0\x03\0\0\0\x04\0"),
            ("budget.pdf", b"#!/bin/sh\nrm -rf /\n"),
            ("x.png", b"\xcf\xfa\xed\xfe\x07\0\0\x01"),
        ] {
            let refus = examiner(nom, octets).unwrap_err();
            assert_eq!(refus, RefusFichier::Executable { nom: nom.into() });
            assert_eq!(
                refus.to_string(),
                format!(
                    "« {nom} » est un programme exécutable : seuls les PDF, images et documents bureautiques sont acceptés"
                )
            );
        }
    }

    #[test]
    fn un_format_inconnu_est_refuse() {
        let refus = examiner("notes.pdf", b"simple texte").unwrap_err();
        assert!(matches!(refus, RefusFichier::NonReconnu { .. }));
        assert!(
            refus
                .to_string()
                .starts_with("« notes.pdf » n'est pas d'un format accepté")
        );
    }

    #[test]
    fn un_fichier_vide_est_refuse() {
        assert_eq!(
            examiner("vide.pdf", b"").unwrap_err().to_string(),
            "« vide.pdf » est vide : le fichier ne contient rien"
        );
    }

    #[test]
    fn vingt_mo_passent_un_octet_de_plus_non() {
        let mut octets = b"%PDF-1.4\n".to_vec();
        octets.resize(usize::try_from(TAILLE_MAX).unwrap(), b' ');
        assert!(examiner("gros.pdf", &octets).is_ok());
        octets.push(b' ');
        assert_eq!(
            examiner("gros.pdf", &octets).unwrap_err(),
            RefusFichier::TropLourd {
                nom: "gros.pdf".into(),
                taille: TAILLE_MAX + 1
            }
        );
    }

    #[test]
    fn le_message_de_taille_est_en_mo_a_une_decimale() {
        let refus = RefusFichier::TropLourd {
            nom: "y.pdf".into(),
            taille: 23_400 * 1024 + 500,
        };
        assert_eq!(refus.to_string(), "« y.pdf » pèse 22,9 Mo : 20 Mo au plus");
        let refus = RefusFichier::TropLourd {
            nom: "y.pdf".into(),
            taille: 24_536_678,
        };
        assert_eq!(refus.to_string(), "« y.pdf » pèse 23,4 Mo : 20 Mo au plus");
        assert_eq!(taille_lisible(812), "812 octets");
        assert_eq!(taille_lisible(4300), "4,2 Ko");
    }

    #[test]
    fn empreinte_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn noms_de_fichier_surs() {
        assert_eq!(nom_sur("C:\\Users\\x\\statuts.pdf"), "statuts.pdf");
        assert_eq!(nom_sur("../../etc/passwd"), "passwd");
        assert_eq!(nom_sur("a\"b\r\n.pdf"), "ab.pdf");
        assert_eq!(nom_sur(".."), "document");
        assert_eq!(nom_sur(""), "document");
        assert_eq!(nom_sur(&"é".repeat(400)).chars().count(), 150);
    }
}
