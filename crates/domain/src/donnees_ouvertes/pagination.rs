//! The pages of the open-data API: an opaque cursor, a stable order, a filter on the last update.
//!
//! **Semantics.** A walk lists the records in the order of their identifier, which never
//! changes; the cursor (`apres`) holds the identifier of the last record served, and the next
//! page starts just after it. Hence:
//! - every record published during the whole walk is served exactly once, in the version current
//!   when its page is read, even when records are updated, added or withdrawn between two pages
//!   (an update does not move a record; an addition comes after every record that existed; the
//!   cursor does not point at a record, so a withdrawal does not break it);
//! - a record added during the walk is served if its identifier comes after the cursor, which is
//!   the case for every record created after the walk began (identifiers only grow);
//! - a record updated after its page was read is not served again in the same walk: the next
//!   incremental pull, `depuis` = the instant the walk began, brings its new version.
//!
//! Ordering by the date of last update instead would move an updated record past the cursor and
//! serve it twice in one walk. `depuis` keeps the records last updated at or after an instant
//! (a date alone means that day at 00:00 UTC).

use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};

/// Records per page when `taille` is not given.
pub const TAILLE_PAR_DEFAUT: usize = 100;
/// The largest page.
pub const TAILLE_MAX: usize = 1000;

/// Which list a cursor belongs to (a structures cursor is refused on the services).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liste {
    Structures,
    Services,
}

impl Liste {
    fn code(self) -> &'static str {
        match self {
            Liste::Structures => "structures",
            Liste::Services => "services",
        }
    }
}

/// A parameter of the request that cannot be read: its name and the reason, in French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParametreInvalide {
    pub parametre: &'static str,
    pub message: String,
}

fn invalide(parametre: &'static str, message: String) -> ParametreInvalide {
    ParametreInvalide { parametre, message }
}

/// The position after the last record served: opaque to clients (hexadecimal of the list and
/// the identifier, and a check of both so that a truncated or edited cursor is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Curseur {
    pub liste: Liste,
    pub dernier: i64,
}

fn controle(contenu: &str) -> String {
    let empreinte = Sha256::digest(contenu.as_bytes());
    empreinte[..4].iter().map(|o| format!("{o:02x}")).collect()
}

impl Curseur {
    pub fn encoder(&self) -> String {
        let contenu = format!("{}:{}", self.liste.code(), self.dernier);
        let hexa: String = contenu.bytes().map(|o| format!("{o:02x}")).collect();
        format!("{hexa}{}", controle(&contenu))
    }

    pub fn decoder(texte: &str, liste: Liste) -> Result<Curseur, ParametreInvalide> {
        let refus = || {
            invalide(
                "apres",
                format!(
                    "apres : « {} » n'est pas un curseur de cette liste ; reprenez le lien « suivant » d'une réponse",
                    texte.chars().take(80).collect::<String>()
                ),
            )
        };
        if texte.len() < 10 || texte.len() > 200 || !texte.bytes().all(|o| o.is_ascii_hexdigit()) {
            return Err(refus());
        }
        let (hexa, verification) = texte.split_at(texte.len() - 8);
        let octets: Option<Vec<u8>> = (0..hexa.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hexa.get(i..i + 2)?, 16).ok())
            .collect();
        let contenu = octets
            .and_then(|o| String::from_utf8(o).ok())
            .ok_or_else(refus)?;
        if controle(&contenu) != verification.to_ascii_lowercase() {
            return Err(refus());
        }
        let (code, dernier) = contenu.split_once(':').ok_or_else(refus)?;
        if code != liste.code() {
            return Err(refus());
        }
        let dernier = dernier.parse::<i64>().map_err(|_| refus())?;
        Ok(Curseur { liste, dernier })
    }
}

/// What a page request asks for, its parameters read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandePage {
    pub apres: Option<Curseur>,
    pub depuis: Option<OffsetDateTime>,
    pub taille: usize,
}

impl DemandePage {
    /// Reads the parameters `apres`, `depuis` and `taille` of a request on `liste`.
    pub fn lire(
        liste: Liste,
        apres: Option<&str>,
        depuis: Option<&str>,
        taille: Option<&str>,
    ) -> Result<DemandePage, ParametreInvalide> {
        let apres = apres.map(|t| Curseur::decoder(t, liste)).transpose()?;
        let depuis = depuis.map(lire_depuis).transpose()?;
        let taille = match taille {
            None => TAILLE_PAR_DEFAUT,
            Some(t) => match t.parse::<usize>() {
                Ok(n) if t.bytes().all(|o| o.is_ascii_digit()) && (1..=TAILLE_MAX).contains(&n) => {
                    n
                }
                _ => {
                    return Err(invalide(
                        "taille",
                        format!(
                            "taille : un nombre entier de 1 à {TAILLE_MAX} est attendu (reçu « {} »)",
                            t.chars().take(40).collect::<String>()
                        ),
                    ));
                }
            },
        };
        Ok(DemandePage {
            apres,
            depuis,
            taille,
        })
    }
}

/// `depuis`: a date (`2026-11-30`, that day at 00:00 UTC) or an instant in RFC 3339
/// (`2026-11-30T08:00:00Z`).
fn lire_depuis(texte: &str) -> Result<OffsetDateTime, ParametreInvalide> {
    let format_date = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(date) = Date::parse(texte, &format_date) {
        return Ok(date.with_time(Time::MIDNIGHT).assume_utc());
    }
    OffsetDateTime::parse(texte, &Rfc3339).map_err(|_| {
        invalide(
            "depuis",
            format!(
                "depuis : une date (AAAA-MM-JJ) ou un instant RFC 3339 (AAAA-MM-JJTHH:MM:SSZ) est attendu (reçu « {} »)",
                texte.chars().take(40).collect::<String>()
            ),
        )
    })
}

/// A record to page through: its identifier (the order), its last update (the filter) and
/// what is served.
#[derive(Debug, Clone, PartialEq)]
pub struct Entree<T> {
    pub cle: i64,
    pub mis_a_jour_le: OffsetDateTime,
    pub valeur: T,
}

/// One page: its records and, when more follow, the cursor of the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub elements: Vec<T>,
    pub suivant: Option<Curseur>,
}

/// The page `demande` asks for among `entrees` (in any order): what the store's query does in
/// SQL (filter, order by identifier, `taille` + 1 rows), then [`conclure`].
pub fn paginer<T>(liste: Liste, mut entrees: Vec<Entree<T>>, demande: &DemandePage) -> Page<T> {
    entrees.retain(|e| {
        demande.apres.is_none_or(|c| e.cle > c.dernier)
            && demande.depuis.is_none_or(|d| e.mis_a_jour_le >= d)
    });
    entrees.sort_by_key(|e| e.cle);
    entrees.truncate(demande.taille.saturating_add(1));
    conclure(liste, entrees, demande.taille)
}

/// The page from the records that follow the cursor, filtered and in order, read up to one more
/// than `taille`: that one, if there, says a next page exists.
pub fn conclure<T>(liste: Liste, mut entrees: Vec<Entree<T>>, taille: usize) -> Page<T> {
    let reste = entrees.len() > taille;
    entrees.truncate(taille);
    let suivant = match (reste, entrees.last()) {
        (true, Some(dernier)) => Some(Curseur {
            liste,
            dernier: dernier.cle,
        }),
        _ => None,
    };
    Page {
        elements: entrees.into_iter().map(|e| e.valeur).collect(),
        suivant,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn entree(cle: i64, maj: OffsetDateTime) -> Entree<i64> {
        Entree {
            cle,
            mis_a_jour_le: maj,
            valeur: cle,
        }
    }

    #[test]
    fn un_curseur_se_relit_et_refuse_toute_alteration() {
        let c = Curseur {
            liste: Liste::Services,
            dernier: 42,
        };
        let texte = c.encoder();
        assert_eq!(Curseur::decoder(&texte, Liste::Services), Ok(c));
        assert!(Curseur::decoder(&texte, Liste::Structures).is_err());
        let mut altere = texte.clone().into_bytes();
        let i = altere.len() - 10;
        altere[i] = if altere[i] == b'0' { b'1' } else { b'0' };
        let altere = String::from_utf8(altere).unwrap_or_default();
        assert!(Curseur::decoder(&altere, Liste::Services).is_err());
        for mauvais in ["", "zz", "12", "abc!def0123", &texte[..texte.len() - 1]] {
            assert!(
                Curseur::decoder(mauvais, Liste::Services).is_err(),
                "{mauvais}"
            );
        }
    }

    #[test]
    fn les_parametres_se_lisent_ou_sont_refuses_avec_leur_nom() {
        let d = DemandePage::lire(Liste::Services, None, Some("2026-11-30"), Some("5"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d.taille, 5);
        assert_eq!(d.depuis, Some(datetime!(2026-11-30 00:00 UTC)));
        let d = DemandePage::lire(
            Liste::Services,
            None,
            Some("2026-11-30T08:30:00+01:00"),
            None,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d.depuis, Some(datetime!(2026-11-30 07:30 UTC)));
        assert_eq!(d.taille, TAILLE_PAR_DEFAUT);
        for (depuis, taille, parametre) in [
            (Some("hier"), None, "depuis"),
            (Some("2026-02-30"), None, "depuis"),
            (None, Some("0"), "taille"),
            (None, Some("1001"), "taille"),
            (None, Some("-3"), "taille"),
            (None, Some("dix"), "taille"),
            (None, Some("+5"), "taille"),
            (None, Some(" 5"), "taille"),
        ] {
            let e = DemandePage::lire(Liste::Services, None, depuis, taille);
            assert_eq!(e.map_err(|e| e.parametre), Err(parametre));
        }
        let e = DemandePage::lire(Liste::Services, Some("nimporte"), None, None);
        assert_eq!(e.map_err(|e| e.parametre), Err("apres"));
    }

    /// A walk serves every record once, even when one is updated, one added and one withdrawn
    /// between two pages.
    #[test]
    fn un_parcours_sert_chaque_enregistrement_une_fois() {
        let t0 = datetime!(2026-11-01 10:00 UTC);
        let mut base: Vec<Entree<i64>> = (1..=10)
            .map(|i| entree(i, t0 + time::Duration::minutes(10 - i)))
            .collect();
        let demande = |apres| DemandePage {
            apres,
            depuis: None,
            taille: 3,
        };
        let mut vus = Vec::new();
        let page = paginer(Liste::Services, base.clone(), &demande(None));
        vus.extend(page.elements);
        // Between the pages: record 2 (served) and 8 (not yet) updated, 11 added, 5 withdrawn.
        let maintenant = datetime!(2026-11-02 10:00 UTC);
        for e in base.iter_mut().filter(|e| e.cle == 2 || e.cle == 8) {
            e.mis_a_jour_le = maintenant;
        }
        base.push(entree(11, maintenant));
        base.retain(|e| e.cle != 5);
        let mut suivant = page.suivant;
        while let Some(curseur) = suivant {
            let page = paginer(Liste::Services, base.clone(), &demande(Some(curseur)));
            vus.extend(page.elements);
            suivant = page.suivant;
        }
        assert_eq!(vus, vec![1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
    }

    #[test]
    fn depuis_ne_garde_que_les_mises_a_jour_posterieures() {
        let base = vec![
            entree(1, datetime!(2026-11-01 10:00 UTC)),
            entree(2, datetime!(2026-11-03 10:00 UTC)),
            entree(3, datetime!(2026-11-02 00:00 UTC)),
        ];
        let d = DemandePage {
            apres: None,
            depuis: Some(datetime!(2026-11-02 00:00 UTC)),
            taille: 10,
        };
        let page = paginer(Liste::Structures, base, &d);
        assert_eq!(page.elements, vec![2, 3]);
        assert_eq!(page.suivant, None);
    }
}
