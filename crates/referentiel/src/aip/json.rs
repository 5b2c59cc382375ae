//! The JSON form of an AIP case, shared by `parentalite calcul` and the API: reading one case
//! with a precise message for each bad field, and writing one result (amounts as strings with
//! two decimals). Decimals are read from the JSON text itself, never through a float.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::calcul::{Declaration, EntreeAip, ErreurAip, ResultatAip, Suite};
use super::parametres::ParametresAip;
use super::rendu;
use crate::exact::{Decimal, Ratio, ecrire_centimes, ecrire_entier};

/// The field names of a case, in the order they are documented.
pub const CHAMPS: [&str; 8] = [
    "dispositif",
    "exercice",
    "declaration",
    "etp_declares",
    "etp_notifies",
    "mois_fonctionnement",
    "depenses_fonctionnement",
    "versements_effectues",
];

/// A case as read from JSON, each value kept as its raw text until checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CasBrut<'a> {
    #[serde(borrow, default)]
    dispositif: Option<&'a RawValue>,
    #[serde(borrow, default)]
    exercice: Option<&'a RawValue>,
    #[serde(borrow, default)]
    declaration: Option<&'a RawValue>,
    #[serde(borrow, default)]
    etp_declares: Option<&'a RawValue>,
    #[serde(borrow, default)]
    etp_notifies: Option<&'a RawValue>,
    #[serde(borrow, default)]
    mois_fonctionnement: Option<&'a RawValue>,
    #[serde(borrow, default)]
    depenses_fonctionnement: Option<&'a RawValue>,
    #[serde(borrow, default)]
    versements_effectues: Option<&'a RawValue>,
}

/// A case given as text fields (a CSV row, a form): each `None` or empty field is absent.
#[derive(Debug, Default, Clone, Copy)]
pub struct CasTexte<'a> {
    pub dispositif: Option<&'a str>,
    pub exercice: Option<&'a str>,
    pub declaration: Option<&'a str>,
    pub etp_declares: Option<&'a str>,
    pub etp_notifies: Option<&'a str>,
    pub mois_fonctionnement: Option<&'a str>,
    pub depenses_fonctionnement: Option<&'a str>,
    pub versements_effectues: Option<&'a str>,
}

/// A JSON value seen as text: a string's content, or a number's spelling.
enum Brut<'a> {
    Absent,
    Texte(Cow<'a, str>),
    Nombre(&'a str),
    Autre(&'a str),
}

fn brut(v: Option<&RawValue>) -> Result<Brut<'_>, String> {
    let Some(v) = v else { return Ok(Brut::Absent) };
    let t = v.get();
    match t.as_bytes().first() {
        Some(b'"') => {
            let inner = &t[1..t.len() - 1];
            if inner.contains('\\') {
                let s: String = serde_json::from_str(t).map_err(|e| e.to_string())?;
                Ok(Brut::Texte(Cow::Owned(s)))
            } else {
                Ok(Brut::Texte(Cow::Borrowed(inner)))
            }
        }
        Some(b'-' | b'0'..=b'9') => Ok(Brut::Nombre(t)),
        Some(b'n') => Ok(Brut::Absent), // null
        _ => Ok(Brut::Autre(t)),
    }
}

fn texte_de<'a>(b: &'a Brut<'a>) -> Option<&'a str> {
    match b {
        Brut::Absent => None,
        Brut::Texte(t) => {
            let t = t.trim();
            if t.is_empty() { None } else { Some(t) }
        }
        Brut::Nombre(t) | Brut::Autre(t) => Some(t),
    }
}

/// Reads one case from JSON. Every bad field is reported by name, with the reason.
pub fn lire_cas(json: &[u8]) -> Result<EntreeAip, ErreurAip> {
    if let Some(cas) = lire_objet_plat(json) {
        return lire_cas_texte(&cas);
    }
    lire_cas_serde(json)
}

fn espaces(json: &[u8], mut i: usize) -> usize {
    while i < json.len() && matches!(json[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The common shape read in one pass: one flat object of known keys whose values are strings
/// without escapes, numbers or null. Anything else (and any error) returns `None`, and the full
/// reader takes over, with its precise messages.
fn lire_objet_plat(json: &[u8]) -> Option<CasTexte<'_>> {
    let texte = |debut: usize, fin: usize| std::str::from_utf8(&json[debut..fin]).ok();
    let mut cas = CasTexte::default();
    let mut vus = [false; 8];
    let mut i = espaces(json, 0);
    if json.get(i) != Some(&b'{') {
        return None;
    }
    i = espaces(json, i + 1);
    if json.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            if json.get(i) != Some(&b'"') {
                return None;
            }
            let debut = i + 1;
            let fin = debut + memchr::memchr2(b'"', b'\\', &json[debut..])?;
            if json[fin] != b'"' {
                return None;
            }
            let cle = &json[debut..fin];
            let index = CHAMPS.iter().position(|c| c.as_bytes() == cle)?;
            if std::mem::replace(&mut vus[index], true) {
                return None;
            }
            i = espaces(json, fin + 1);
            if json.get(i) != Some(&b':') {
                return None;
            }
            i = espaces(json, i + 1);
            let valeur = match *json.get(i)? {
                b'"' => {
                    let debut = i + 1;
                    let fin = debut + memchr::memchr2(b'"', b'\\', &json[debut..])?;
                    if json[fin] != b'"' {
                        return None;
                    }
                    i = fin + 1;
                    if index == 0 || index == 2 {
                        Some(texte(debut, fin)?.trim())
                    } else {
                        Some(texte(debut, fin)?.trim()).filter(|t| !t.is_empty())
                    }
                    .filter(|t| !t.is_empty())
                }
                b'-' | b'0'..=b'9' => {
                    if index == 0 || index == 2 {
                        return None;
                    }
                    let debut = i;
                    while i < json.len()
                        && matches!(json[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                    {
                        i += 1;
                    }
                    Some(texte(debut, i)?)
                }
                b'n' if json[i..].starts_with(b"null") => {
                    i += 4;
                    None
                }
                _ => return None,
            };
            let place = match index {
                0 => &mut cas.dispositif,
                1 => &mut cas.exercice,
                2 => &mut cas.declaration,
                3 => &mut cas.etp_declares,
                4 => &mut cas.etp_notifies,
                5 => &mut cas.mois_fonctionnement,
                6 => &mut cas.depenses_fonctionnement,
                _ => &mut cas.versements_effectues,
            };
            *place = valeur;
            i = espaces(json, i);
            match json.get(i) {
                Some(b',') => i = espaces(json, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    if espaces(json, i) != json.len() {
        return None;
    }
    Some(cas)
}

/// The full reader, for any shape: precise messages for every problem.
fn lire_cas_serde(json: &[u8]) -> Result<EntreeAip, ErreurAip> {
    let debut = json.iter().position(|b| !b.is_ascii_whitespace());
    if let Some(i) = debut.filter(|&i| json[i] != b'{') {
        let ligne = 1 + json[..i].iter().filter(|&&b| b == b'\n').count();
        return Err(ErreurAip::Json(format!(
            "un objet JSON {{…}} est attendu, avec les champs du cas (ligne {ligne})"
        )));
    }
    let cas: CasBrut<'_> = serde_json::from_slice(json).map_err(erreur_json)?;
    let champs = [
        ("dispositif", brut(cas.dispositif)),
        ("exercice", brut(cas.exercice)),
        ("declaration", brut(cas.declaration)),
        ("etp_declares", brut(cas.etp_declares)),
        ("etp_notifies", brut(cas.etp_notifies)),
        ("mois_fonctionnement", brut(cas.mois_fonctionnement)),
        ("depenses_fonctionnement", brut(cas.depenses_fonctionnement)),
        ("versements_effectues", brut(cas.versements_effectues)),
    ];
    let mut valeurs: [Brut<'_>; 8] = std::array::from_fn(|_| Brut::Absent);
    for (i, (nom, v)) in champs.into_iter().enumerate() {
        valeurs[i] = v.map_err(|raison| ErreurAip::champ(nom, raison))?;
    }
    for (i, v) in valeurs.iter().enumerate() {
        if let Brut::Autre(t) = v {
            return Err(ErreurAip::champ(
                CHAMPS[i],
                format!("valeur de type inattendu ({t}): un nombre ou une chaîne est attendu"),
            ));
        }
    }
    if let Brut::Nombre(_) = valeurs[0] {
        return Err(ErreurAip::champ(
            "dispositif",
            "doit être une chaîne, par exemple \"aip\"",
        ));
    }
    if let Brut::Nombre(_) = valeurs[2] {
        return Err(ErreurAip::champ(
            "declaration",
            "doit être \"previsionnelle\", \"actualisee\" ou \"reelle\"",
        ));
    }
    lire_cas_texte(&CasTexte {
        dispositif: texte_de(&valeurs[0]),
        exercice: texte_de(&valeurs[1]),
        declaration: texte_de(&valeurs[2]),
        etp_declares: texte_de(&valeurs[3]),
        etp_notifies: texte_de(&valeurs[4]),
        mois_fonctionnement: texte_de(&valeurs[5]),
        depenses_fonctionnement: texte_de(&valeurs[6]),
        versements_effectues: texte_de(&valeurs[7]),
    })
}

fn requis<'a>(champ: &'static str, v: Option<&'a str>) -> Result<&'a str, ErreurAip> {
    v.ok_or_else(|| ErreurAip::champ(champ, "champ obligatoire manquant"))
}

fn decimal(champ: &'static str, texte: &str) -> Result<Decimal, ErreurAip> {
    Decimal::parse(texte.trim()).map_err(|e| ErreurAip::champ(champ, e.to_string()))
}

/// Reads one case from text fields (used for CSV rows and by [`lire_cas`]): the first error, in
/// the order of the fields.
pub fn lire_cas_texte(cas: &CasTexte<'_>) -> Result<EntreeAip, ErreurAip> {
    lire_cas_texte_complet(cas).map_err(|mut erreurs| erreurs.remove(0))
}

/// Reads one case from text fields and reports every field in error at once, in the order of the
/// fields (never an empty list), so that a form can show each message next to its field.
pub fn lire_cas_texte_complet(cas: &CasTexte<'_>) -> Result<EntreeAip, Vec<ErreurAip>> {
    let mut erreurs = Vec::new();
    fn garder<T>(r: Result<T, ErreurAip>, erreurs: &mut Vec<ErreurAip>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                erreurs.push(e);
                None
            }
        }
    }
    let dispositif = garder(
        requis("dispositif", cas.dispositif).and_then(|d| {
            if d.eq_ignore_ascii_case("aip") {
                Ok(())
            } else {
                Err(ErreurAip::champ(
                    "dispositif",
                    format!(
                        "dispositif « {d} » inconnu du calculateur (dispositifs possibles: aip)"
                    ),
                ))
            }
        }),
        &mut erreurs,
    );
    let exercice = garder(
        requis("exercice", cas.exercice).and_then(|texte| {
            texte
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|a| (1900..=2200).contains(a))
                .ok_or_else(|| {
                    ErreurAip::champ(
                        "exercice",
                        format!("doit être une année sur quatre chiffres (reçu « {texte} »)"),
                    )
                })
        }),
        &mut erreurs,
    );
    let declaration = garder(match cas.declaration {
        None => Ok(Declaration::Previsionnelle),
        Some(code) => Declaration::depuis_code(code.trim()).ok_or_else(|| {
            ErreurAip::champ(
                "declaration",
                format!(
                    "« {code} » inconnue (valeurs possibles: previsionnelle, actualisee, reelle)"
                ),
            )
        }),
    }, &mut erreurs);
    let etp_declares = garder(
        requis("etp_declares", cas.etp_declares).and_then(|t| decimal("etp_declares", t)),
        &mut erreurs,
    );
    let etp_notifies = garder(
        requis("etp_notifies", cas.etp_notifies).and_then(|t| decimal("etp_notifies", t)),
        &mut erreurs,
    );
    let mois = garder(
        requis("mois_fonctionnement", cas.mois_fonctionnement).and_then(|texte| {
            let invalide = || {
                ErreurAip::champ(
                    "mois_fonctionnement",
                    format!("doit être un nombre entier de mois de 0 à 12 (reçu « {texte} »)"),
                )
            };
            let mois = Decimal::parse(texte.trim()).map_err(|_| invalide())?;
            if mois.echelle() != 0 || !(0..=12).contains(&mois.unites()) {
                return Err(invalide());
            }
            Ok(mois.unites() as u8)
        }),
        &mut erreurs,
    );
    let depenses = garder(
        requis("depenses_fonctionnement", cas.depenses_fonctionnement)
            .and_then(|t| decimal("depenses_fonctionnement", t)),
        &mut erreurs,
    );
    let versements = garder(
        match cas.versements_effectues {
            None => Ok(Decimal::ZERO),
            Some(t) => decimal("versements_effectues", t),
        },
        &mut erreurs,
    );
    match (
        dispositif,
        exercice,
        declaration,
        etp_declares,
        etp_notifies,
        mois,
        depenses,
        versements,
    ) {
        (
            Some(()),
            Some(exercice),
            Some(declaration),
            Some(etp_declares),
            Some(etp_notifies),
            Some(mois_fonctionnement),
            Some(depenses_fonctionnement),
            Some(versements_effectues),
        ) => Ok(EntreeAip {
            exercice,
            declaration,
            etp_declares,
            etp_notifies: etp_notifies.ratio(),
            mois_fonctionnement,
            depenses_fonctionnement,
            versements_effectues,
        }),
        _ => Err(erreurs),
    }
}

/// serde_json's message, said in French, keeping the field names and the position.
fn erreur_json(e: serde_json::Error) -> ErreurAip {
    let message = e.to_string();
    let position = format!("ligne {}, colonne {}", e.line(), e.column());
    if let Some(reste) = message.strip_prefix("unknown field `") {
        let nom = reste.split('`').next().unwrap_or_default();
        return ErreurAip::Json(format!(
            "champ « {nom} » inconnu ({position}); champs possibles: {}",
            CHAMPS.join(", ")
        ));
    }
    if let Some(reste) = message.strip_prefix("duplicate field `") {
        let nom = reste.split('`').next().unwrap_or_default();
        return ErreurAip::Json(format!("champ « {nom} » donné deux fois ({position})"));
    }
    let raison = match e.classify() {
        serde_json::error::Category::Eof => {
            "le texte s'arrête avant la fin de l'objet JSON".to_owned()
        }
        serde_json::error::Category::Syntax => "syntaxe JSON invalide".to_owned(),
        _ => "un objet JSON est attendu, avec les champs du cas".to_owned(),
    };
    ErreurAip::Json(format!("{raison} ({position})"))
}

/// Writes the rounded value of `r` with `decimales` digits.
fn ecrire_arrondi(sortie: &mut Vec<u8>, r: Ratio, decimales: u32) -> Result<(), ErreurAip> {
    let d = r.arrondi_decimal(decimales)?;
    let unites = d.unites();
    if unites < 0 {
        sortie.push(b'-');
    }
    let p = 10u128.pow(decimales);
    let abs = unites.unsigned_abs();
    ecrire_entier(sortie, abs / p);
    if decimales > 0 {
        sortie.push(b'.');
        let mut frac = abs % p;
        let debut = sortie.len();
        sortie.resize(debut + decimales as usize, b'0');
        for chiffre in sortie[debut..].iter_mut().rev() {
            *chiffre = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
    }
    Ok(())
}

/// `etp_retenus` as shown: rounded to four decimals, as FTE are kept.
pub fn ecrire_etp(sortie: &mut Vec<u8>, r: Ratio) -> Result<(), ErreurAip> {
    ecrire_arrondi(sortie, r, 4)
}

/// Writes one result as a JSON object (no trailing newline). `ligne` is added for batch output;
/// `trace` embeds the explanation.
pub fn ecrire_resultat(
    sortie: &mut Vec<u8>,
    resultat: &ResultatAip,
    parametres: &ParametresAip<'_>,
    ligne: Option<u64>,
    avec_trace: bool,
) -> Result<(), ErreurAip> {
    sortie.push(b'{');
    if let Some(l) = ligne {
        sortie.extend_from_slice(b"\"ligne\":");
        ecrire_entier(sortie, u128::from(l));
        sortie.push(b',');
    }
    sortie.extend_from_slice(b"\"dispositif\":\"aip\",\"exercice\":");
    let ex = resultat.entree.exercice;
    if ex < 0 {
        sortie.push(b'-');
    }
    ecrire_entier(sortie, u128::from(ex.unsigned_abs()));
    sortie.extend_from_slice(b",\"declaration\":\"");
    sortie.extend_from_slice(resultat.entree.declaration.code().as_bytes());
    sortie.extend_from_slice(b"\",\"montant\":\"");
    ecrire_centimes(sortie, resultat.montant);
    sortie.extend_from_slice(b"\",\"");
    sortie.extend_from_slice(resultat.suite.code().as_bytes());
    sortie.extend_from_slice(b"\":\"");
    ecrire_centimes(sortie, resultat.suite.centimes());
    sortie.extend_from_slice(b"\",\"etp_retenus\":\"");
    ecrire_etp(sortie, resultat.etp_retenus)?;
    sortie.extend_from_slice(b"\",\"prix_de_revient\":\"");
    ecrire_arrondi(sortie, resultat.prix_de_revient, 2)?;
    sortie.extend_from_slice(b"\",\"plafond_applique\":");
    sortie.extend_from_slice(if resultat.plafond_applique {
        b"true"
    } else {
        b"false"
    });
    if let Suite::Solde(c) = resultat.suite {
        sortie.extend_from_slice(b",\"indu\":");
        sortie.extend_from_slice(if c < 0 { b"true" } else { b"false" });
    }
    if avec_trace {
        sortie.extend_from_slice(b",\"trace\":");
        let trace = rendu::trace_json(&resultat.trace(parametres));
        serde_json::to_writer(&mut *sortie, &trace).map_err(|e| ErreurAip::Json(e.to_string()))?;
    }
    sortie.push(b'}');
    Ok(())
}

/// Writes an error line of a batch: `{"ligne":N,"erreur":"…"}` (and the field when known).
pub fn ecrire_erreur(sortie: &mut Vec<u8>, ligne: Option<u64>, erreur: &ErreurAip) {
    let mut objet = serde_json::Map::new();
    if let Some(l) = ligne {
        objet.insert("ligne".to_owned(), serde_json::Value::from(l));
    }
    if let ErreurAip::Champ { champ, .. } = erreur {
        objet.insert("champ".to_owned(), serde_json::Value::from(*champ));
    }
    objet.insert(
        "erreur".to_owned(),
        serde_json::Value::from(erreur.to_string()),
    );
    // Writing a map of strings into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *sortie, &objet);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_forme_courante_se_lit_en_une_passe() {
        let cas = br#"{"dispositif":"aip","exercice":2024,"declaration":"reelle","etp_declares":"0.33","etp_notifies":0.5,"mois_fonctionnement":7,"depenses_fonctionnement":"12345.67","versements_effectues":null}"#;
        let plat = lire_objet_plat(cas).expect("forme plate");
        assert_eq!(plat.etp_notifies, Some("0.5"));
        assert_eq!(plat.versements_effectues, None);
        assert_eq!(lire_cas(cas), lire_cas_serde(cas));
        // Shapes the one-pass reader leaves to the full reader, which names the problem.
        for autre in [
            &br#"{"dispositif":"a\u0069p"}"#[..],
            br#"{"inconnu":1}"#,
            br#"{"exercice":1,"exercice":2}"#,
            br#"{"exercice":[2024]}"#,
            br#"{"exercice":2024} x"#,
        ] {
            assert!(lire_objet_plat(autre).is_none());
        }
    }
}
