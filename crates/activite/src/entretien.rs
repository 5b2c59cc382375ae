//! A session (entretien) as an intervenant enters it, as it is checked before being stored, and
//! as it is read back; with its natural key, the hash that makes recording or importing the same
//! session twice store it once.

use std::collections::BTreeSet;

use domain::identifiants::{CodeDepartement, GestionnaireId, IntervenantId, LieuId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;

use crate::dates::{date_fr, date_iso};
use crate::erreur::{ErreurActivite, Probleme};
use crate::nomenclature::{Ensemble, Etape, Mode, Orientation, Presence, Sujet};
use crate::pseudonyme::{CodeFamille, IdentifiantFamille};

/// Shortest and longest session accepted, in minutes. **Interpretation**: Référentiel national de financement de l'AIP §II.3 speaks
/// of one-hour sessions; anything over 5 hours is taken for a typing error.
pub const DUREE_MINUTES: std::ops::RangeInclusive<i64> = 1..=300;
/// Longest reason for an exception, and longest reference, in characters.
pub const LONGUEUR_MAX_MOTIF: usize = 500;
pub const LONGUEUR_MAX_REFERENCE: usize = 100;

/// A session as entered by an intervenant or a gestionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SaisieEntretien {
    pub gestionnaire: GestionnaireId,
    /// The structure's own identifier of the family: hashed at once, never stored.
    pub famille: IdentifiantFamille,
    pub date: Date,
    pub duree_minutes: i64,
    pub etape: Etape,
    pub mode: Mode,
    pub presence: Presence,
    #[serde(default)]
    pub sujets: BTreeSet<Sujet>,
    /// The partners the family was oriented to, if any (Référentiel national de financement de l'AIP §IV.2).
    #[serde(default)]
    pub orientations: BTreeSet<Orientation>,
    pub intervenant: Option<IntervenantId>,
    pub lieu: Option<LieuId>,
    /// Required from the 6th session of a family in a year (Référentiel national de financement de l'AIP §II.3).
    pub motif_exception: Option<String>,
    /// The structure's own reference of the session, if it has one: then the natural key is
    /// built from it instead of the content. Hashed, never stored.
    pub reference: Option<String>,
}

/// A session checked, its family pseudonymised, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntretienValide {
    pub famille: CodeFamille,
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
    /// Beyond the guideline of sessions per family and per year, with its reason.
    pub exception: bool,
    /// The natural key.
    pub cle: [u8; 16],
}

impl EntretienValide {
    pub fn exercice(&self) -> i32 {
        self.date.year()
    }

    pub fn mois(&self) -> u8 {
        u8::from(self.date.month())
    }
}

/// The checks of one session that need no database, each problem with its field. `aujourd_hui`
/// is the date of entry: a session cannot be in the future. Forms call it to report every
/// problem of one entry at once.
pub fn verifier_champs(
    date: Date,
    aujourd_hui: Date,
    duree_minutes: i64,
    motif: Option<&str>,
    reference: Option<&str>,
    famille: Option<&IdentifiantFamille>,
    problemes: &mut Vec<Probleme>,
) {
    if date > aujourd_hui {
        problemes.push(Probleme {
            champ: "date",
            raison: format!(
                "le {} est postérieur à la date de saisie ({})",
                date_fr(date),
                date_fr(aujourd_hui)
            ),
        });
    }
    if !DUREE_MINUTES.contains(&duree_minutes) {
        problemes.push(Probleme {
            champ: "duree_minutes",
            raison: format!(
                "{duree_minutes} minutes : la durée d'un entretien va de {} à {} minutes",
                DUREE_MINUTES.start(),
                DUREE_MINUTES.end()
            ),
        });
    }
    if let Some(m) = motif {
        if m.chars().count() > LONGUEUR_MAX_MOTIF {
            problemes.push(Probleme {
                champ: "motif_exception",
                raison: format!("trop long (au plus {LONGUEUR_MAX_MOTIF} caractères)"),
            });
        }
        if let Some(f) = famille
            && repete_identifiant(m, f)
        {
            problemes.push(Probleme {
                champ: "motif_exception",
                raison: "il contient l'identifiant de la famille : décrivez la situation sans \
                         identifier la famille"
                    .to_owned(),
            });
        }
    }
    // The same characters as every free text of the platform: no control character (a reason
    // keeps its line breaks).
    for (champ, texte, lignes) in [
        ("motif_exception", motif, true),
        ("reference", reference, false),
    ] {
        if let Some(t) = texte
            && let Err(domain::texte::ErreurTexte::Controle { code, .. }) =
                domain::texte::TexteLibre::verifier(champ, t, usize::MAX, lignes)
        {
            problemes.push(Probleme {
                champ,
                raison: format!("caractère de contrôle U+{code:04X} non accepté"),
            });
        }
    }
    if let Some(r) = reference
        && r.chars().count() > LONGUEUR_MAX_REFERENCE
    {
        problemes.push(Probleme {
            champ: "reference",
            raison: format!("trop longue (au plus {LONGUEUR_MAX_REFERENCE} caractères)"),
        });
    }
}

/// Whether a free text repeats the family's identifier (ignoring case and spacing); identifiers
/// shorter than 4 characters are not looked for, they would match ordinary words and numbers.
fn repete_identifiant(texte: &str, famille: &IdentifiantFamille) -> bool {
    let id = famille.normalise();
    if id.chars().count() < 4 {
        return false;
    }
    let texte = texte
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    texte.contains(id)
}

/// A free text field: trimmed, `None` when empty or made only of blank and invisible characters.
pub(crate) fn texte_libre(t: Option<&str>) -> Option<String> {
    t.map(str::trim)
        .filter(|t| {
            !matches!(
                domain::texte::TexteLibre::verifier("", t, usize::MAX, true),
                Err(domain::texte::ErreurTexte::Vide { .. })
            )
        })
        .map(str::to_owned)
}

/// The natural key of a session: SHA-256 (first 128 bits) of the structure and either the
/// structure's reference of the session or its content (family code, date, duration, step,
/// mode, attendance, subjects, orientations, intervenant, place). The reason for an exception
/// is not part of it: adding one later does not make another session.
#[allow(clippy::too_many_arguments)]
pub(crate) fn cle_naturelle(
    gestionnaire: GestionnaireId,
    reference: Option<&str>,
    famille: CodeFamille,
    date: Date,
    duree_minutes: i64,
    etape: Etape,
    mode: Mode,
    presence: Presence,
    sujets: Ensemble<Sujet>,
    orientations: Ensemble<Orientation>,
    intervenant: Option<IntervenantId>,
    lieu: Option<LieuId>,
) -> [u8; 16] {
    use crate::nomenclature::Modalite;
    use std::io::Write as _;
    let mut h = Sha256::new();
    h.update(b"aip-entretien/1;");
    // Written on the stack (a million per import): the bytes of
    // `;{famille hex};{date ISO};{durée};{étape};{mode};{présence};{sujets};{orientations};
    // {intervenant or 0};{lieu or 0}`.
    let mut tampon = [0u8; 256];
    let mut t = std::io::Cursor::new(&mut tampon[..]);
    let _ = write!(t, "{}", gestionnaire.0);
    match reference {
        Some(r) => {
            let _ = write!(t, ";ref;");
            h.update(&t.get_ref()[..t.position() as usize]);
            h.update(r.as_bytes());
        }
        None => {
            let mut hex = [0u8; 32];
            let _ = hex::encode_to_slice(famille.0, &mut hex);
            let _ = t.write_all(b";");
            let _ = t.write_all(&hex);
            let ecrit = write!(
                t,
                ";{}-{:02}-{:02};{};{};{};{};{};{};{};{}",
                date.year(),
                u8::from(date.month()),
                date.day(),
                duree_minutes,
                etape.code(),
                mode.code(),
                presence.code(),
                sujets.bits(),
                orientations.bits(),
                intervenant.map(|i| i.0).unwrap_or(0),
                lieu.map(|l| l.0).unwrap_or(0),
            );
            if ecrit.is_ok() {
                h.update(&t.get_ref()[..t.position() as usize]);
            } else {
                let contenu = format!(
                    "{};{};{};{};{};{};{};{};{};{};{}",
                    gestionnaire.0,
                    famille.hex(),
                    date_iso(date),
                    duree_minutes,
                    etape.code(),
                    mode.code(),
                    presence.code(),
                    sujets.bits(),
                    orientations.bits(),
                    intervenant.map(|i| i.0).unwrap_or(0),
                    lieu.map(|l| l.0).unwrap_or(0),
                );
                h.update(contenu.as_bytes());
            }
        }
    }
    let complet = h.finalize();
    let mut cle = [0u8; 16];
    cle.copy_from_slice(&complet[..16]);
    cle
}

/// Hashes values made of natural keys or family codes, which are already uniform hashes: a
/// multiply-rotate over their bytes is enough, several times cheaper than the default SipHash on
/// the million keys of a large import. Not for text a user chooses.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct HacheCle(u64);

impl std::hash::Hasher for HacheCle {
    fn write(&mut self, octets: &[u8]) {
        for morceau in octets.chunks(8) {
            let mut mot = [0u8; 8];
            mot[..morceau.len()].copy_from_slice(morceau);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(mot))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by natural keys or family codes.
pub(crate) type CarteCles<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<HacheCle>>;
/// A set of natural keys or family codes.
pub(crate) type EnsembleCles<K> =
    std::collections::HashSet<K, std::hash::BuildHasherDefault<HacheCle>>;

/// A stored session, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entretien {
    pub id: i64,
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
    /// The pseudonymous code of the family at this structure.
    pub famille: CodeFamille,
    #[serde(serialize_with = "crate::dates::serde_iso")]
    pub date: Date,
    pub duree_minutes: i64,
    pub etape: Etape,
    pub mode: Mode,
    pub presence: Presence,
    pub sujets: Vec<Sujet>,
    pub orientations: Vec<Orientation>,
    pub intervenant: Option<IntervenantId>,
    pub lieu: Option<LieuId>,
    pub motif_exception: Option<String>,
    /// The import that brought it, if any.
    pub import: Option<i64>,
}

impl Entretien {
    /// The stored session, as read back, from what was written.
    pub(crate) fn depuis_valide(
        id: i64,
        gestionnaire: GestionnaireId,
        departement: CodeDepartement,
        e: &EntretienValide,
        import: Option<i64>,
    ) -> Entretien {
        Entretien {
            id,
            gestionnaire,
            departement,
            famille: e.famille,
            date: e.date,
            duree_minutes: e.duree_minutes,
            etape: e.etape,
            mode: e.mode,
            presence: e.presence,
            sujets: e.sujets.valeurs().collect(),
            orientations: e.orientations.valeurs().collect(),
            intervenant: e.intervenant,
            lieu: e.lieu,
            motif_exception: e.motif_exception.clone(),
            import,
        }
    }
}

/// Turns field problems into the error of a single entry (the first problem; a form shows one
/// field at a time).
pub(crate) fn premier_probleme(problemes: Vec<Probleme>) -> Result<(), ErreurActivite> {
    match problemes.into_iter().next() {
        None => Ok(()),
        Some(p) => Err(ErreurActivite::Champ {
            champ: p.champ,
            raison: p.raison,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn un_motif_ou_une_reference_sans_caractere_de_controle_ni_invisible_seul() {
        let mut problemes = Vec::new();
        verifier_champs(
            date!(2024 - 03 - 05),
            date!(2024 - 03 - 06),
            60,
            Some("deux\u{0}"),
            Some("R\u{7}"),
            None,
            &mut problemes,
        );
        let champs: Vec<_> = problemes.iter().map(|p| p.champ).collect();
        assert_eq!(champs, ["motif_exception", "reference"]);
        assert!(problemes[0].raison.contains("U+0000"), "{:?}", problemes[0]);
        assert_eq!(texte_libre(Some("\u{200b} \u{feff}")), None);
        assert_eq!(
            texte_libre(Some(" ligne 1\nligne 2 ")).as_deref(),
            Some("ligne 1\nligne 2")
        );
    }

    fn cle(reference: Option<&str>, duree: i64, famille: u8) -> [u8; 16] {
        cle_naturelle(
            GestionnaireId(1),
            reference,
            CodeFamille([famille; 16]),
            date!(2024 - 03 - 05),
            duree,
            Etape::Accompagnement,
            Mode::Presentiel,
            Presence::UnParent,
            Ensemble::vide(),
            Ensemble::vide(),
            None,
            None,
        )
    }

    /// The key as first written (with `format!`): the stored keys must not change.
    fn cle_de_reference(reference: Option<&str>, duree: i64, famille: u8) -> [u8; 16] {
        let mut h = Sha256::new();
        h.update(b"aip-entretien/1;1");
        match reference {
            Some(r) => {
                h.update(b";ref;");
                h.update(r.as_bytes());
            }
            None => h.update(
                format!(
                    ";{};2024-03-05;{duree};accompagnement;presentiel;un_parent;0;0;0;0",
                    CodeFamille([famille; 16]).hex()
                )
                .as_bytes(),
            ),
        }
        let mut cle = [0u8; 16];
        cle.copy_from_slice(&h.finalize()[..16]);
        cle
    }

    #[test]
    fn cle_naturelle_inchangee() {
        assert_eq!(cle(None, 60, 1), cle_de_reference(None, 60, 1));
        assert_eq!(cle(None, 45, 200), cle_de_reference(None, 45, 200));
        assert_eq!(
            cle(Some("E-1"), 60, 1),
            cle_de_reference(Some("E-1"), 60, 1)
        );
    }

    #[test]
    fn cle_naturelle_du_contenu_ou_de_la_reference() {
        assert_eq!(cle(None, 60, 1), cle(None, 60, 1));
        assert_ne!(cle(None, 60, 1), cle(None, 45, 1));
        assert_ne!(cle(None, 60, 1), cle(None, 60, 2));
        // With a reference, the content does not matter.
        assert_eq!(cle(Some("E-1"), 60, 1), cle(Some("E-1"), 45, 2));
        assert_ne!(cle(Some("E-1"), 60, 1), cle(Some("E-2"), 60, 1));
        let autre_structure = cle_naturelle(
            GestionnaireId(2),
            Some("E-1"),
            CodeFamille([1; 16]),
            date!(2024 - 03 - 05),
            60,
            Etape::Accompagnement,
            Mode::Presentiel,
            Presence::UnParent,
            Ensemble::vide(),
            Ensemble::vide(),
            None,
            None,
        );
        assert_ne!(autre_structure, cle(Some("E-1"), 60, 1));
    }

    #[test]
    fn champs_verifies() {
        let f = IdentifiantFamille::new("dupont-77").unwrap();
        let mut p = Vec::new();
        verifier_champs(
            date!(2024 - 03 - 06),
            date!(2024 - 03 - 05),
            0,
            Some("situation de la famille DUPONT-77 complexe"),
            Some(&"r".repeat(101)),
            Some(&f),
            &mut p,
        );
        let champs: Vec<_> = p.iter().map(|p| p.champ).collect();
        assert_eq!(
            champs,
            ["date", "duree_minutes", "motif_exception", "reference"]
        );
        assert!(
            p.iter()
                .all(|p| !p.raison.to_uppercase().contains("DUPONT"))
        );
        let mut p = Vec::new();
        verifier_champs(
            date!(2024 - 03 - 05),
            date!(2024 - 03 - 05),
            60,
            Some("séparation conflictuelle, besoin d'un suivi rapproché"),
            None,
            Some(&f),
            &mut p,
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(texte_libre(Some("  ")), None);
        assert_eq!(texte_libre(Some(" a ")), Some("a".to_owned()));
    }
}
