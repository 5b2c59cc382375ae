//! Reading and validating parameter files. Every problem is reported with the file and line it
//! comes from: a typo in a key, a missing unit, an unknown unit, a negative value, a ratio above
//! one, a period that ends before it starts, two periods of one parameter that overlap.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use super::{Parametre, Parametres, Source, Unite, ValeurDatee};
use crate::exact::Decimal;

/// One parameter file: its path (for messages, `parameters/<dispositif>/<name>.yaml`) and text.
#[derive(Debug, Clone)]
pub struct FichierParametres {
    pub chemin: String,
    pub texte: String,
}

/// A parameter file that cannot be used, with the place and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurChargement {
    #[error("{chemin}: {raison}")]
    Fichier { chemin: String, raison: String },
    #[error("{chemin}, ligne {ligne}: {raison}")]
    Ligne {
        chemin: String,
        ligne: usize,
        raison: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FichierBrut {
    description: String,
    parameters: BTreeMap<String, ParametreBrut>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParametreBrut {
    description: String,
    unit: String,
    values: BTreeMap<String, ValeurBrute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValeurBrute {
    value: serde_norway::Value,
    #[serde(default)]
    end: Option<serde_norway::Value>,
    source: SourceBrute,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceBrute {
    text: String,
    paragraph: String,
}

/// Lists `dossier/<dispositif>/*.yaml`, sorted.
pub(super) fn lire_dossier(dossier: &Path) -> Result<Vec<FichierParametres>, ErreurChargement> {
    let erreur = |chemin: &Path, e: std::io::Error| ErreurChargement::Fichier {
        chemin: chemin.display().to_string(),
        raison: format!("lecture impossible: {e}"),
    };
    let mut fichiers = Vec::new();
    for dispositif in std::fs::read_dir(dossier).map_err(|e| erreur(dossier, e))? {
        let dispositif = dispositif.map_err(|e| erreur(dossier, e))?.path();
        if !dispositif.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dispositif).map_err(|e| erreur(&dispositif, e))? {
            let p = f.map_err(|e| erreur(&dispositif, e))?.path();
            if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let texte = std::fs::read_to_string(&p).map_err(|e| erreur(&p, e))?;
                fichiers.push(FichierParametres {
                    chemin: p.display().to_string(),
                    texte,
                });
            }
        }
    }
    fichiers.sort_by(|a, b| a.chemin.cmp(&b.chemin));
    Ok(fichiers)
}

/// The dispositif a file belongs to: the name of its folder.
fn dispositif_de(chemin: &str) -> Option<&str> {
    let p = Path::new(chemin);
    p.parent()?.file_name()?.to_str()
}

pub(super) fn charger(
    fichiers: impl IntoIterator<Item = FichierParametres>,
) -> Result<Parametres, ErreurChargement> {
    let mut parametres: BTreeMap<String, Parametre> = BTreeMap::new();
    for fichier in fichiers {
        let chemin = fichier.chemin.as_str();
        let dispositif = dispositif_de(chemin).ok_or_else(|| ErreurChargement::Fichier {
            chemin: chemin.to_owned(),
            raison: "un fichier de paramètres doit être dans le dossier de son dispositif (parameters/<dispositif>/…)".to_owned(),
        })?;
        let brut: FichierBrut = serde_norway::from_str(&fichier.texte).map_err(|e| {
            let raison = traduire_erreur_yaml(&e.to_string());
            match e.location() {
                Some(l) => ErreurChargement::Ligne {
                    chemin: chemin.to_owned(),
                    ligne: l.line(),
                    raison,
                },
                None => ErreurChargement::Fichier {
                    chemin: chemin.to_owned(),
                    raison,
                },
            }
        })?;
        if brut.description.trim().is_empty() {
            return Err(ErreurChargement::Fichier {
                chemin: chemin.to_owned(),
                raison: "la description du fichier est vide".to_owned(),
            });
        }
        for (nom_court, p) in brut.parameters {
            let ligne_param = ligne_de(&fichier.texte, &[&nom_court]);
            let a_la_ligne = |ligne: usize, raison: String| ErreurChargement::Ligne {
                chemin: chemin.to_owned(),
                ligne,
                raison,
            };
            let nom = format!("{dispositif}.{nom_court}");
            let unite = Unite::depuis_nom(p.unit.trim()).ok_or_else(|| {
                let connues: Vec<&str> = Unite::NOMS.iter().map(|(n, _)| *n).collect();
                a_la_ligne(
                    ligne_de(&fichier.texte, &[&nom_court, "unit:"]),
                    format!(
                        "{nom}: unité « {} » inconnue (unités possibles: {})",
                        p.unit,
                        connues.join(", ")
                    ),
                )
            })?;
            if p.description.trim().is_empty() {
                return Err(a_la_ligne(ligne_param, format!("{nom}: description vide")));
            }
            if p.values.is_empty() {
                return Err(a_la_ligne(ligne_param, format!("{nom}: aucune valeur")));
            }
            let entree = parametres.entry(nom.clone()).or_insert_with(|| Parametre {
                nom: nom.clone(),
                description: p.description.clone(),
                unite,
                valeurs: Vec::new(),
            });
            if entree.unite != unite {
                return Err(a_la_ligne(
                    ligne_de(&fichier.texte, &[&nom_court, "unit:"]),
                    format!(
                        "{nom}: unité {unite} différente de celle déjà déclarée ({})",
                        entree.unite
                    ),
                ));
            }
            for (debut_texte, v) in p.values {
                let ligne = ligne_de(&fichier.texte, &[&nom_court, &debut_texte]);
                let debut = lire_date(&debut_texte).ok_or_else(|| {
                    a_la_ligne(
                        ligne,
                        format!("{nom}: « {debut_texte} » n'est pas une date de début AAAA-MM-JJ"),
                    )
                })?;
                let valeur = lire_nombre(&v.value).ok_or_else(|| {
                    a_la_ligne(
                        ligne_de(&fichier.texte, &[&nom_court, &debut_texte, "value:"]),
                        format!("{nom} au {debut_texte}: la valeur n'est pas un nombre décimal"),
                    )
                })?;
                let ligne_valeur = ligne_de(&fichier.texte, &[&nom_court, &debut_texte, "value:"]);
                if valeur.is_negative() {
                    return Err(a_la_ligne(
                        ligne_valeur,
                        format!("{nom} au {debut_texte}: valeur négative ({valeur}) interdite"),
                    ));
                }
                if unite == Unite::Ratio
                    && valeur.ratio().compare(crate::exact::Ratio::entier(1))
                        == Ok(std::cmp::Ordering::Greater)
                {
                    return Err(a_la_ligne(
                        ligne_valeur,
                        format!(
                            "{nom} au {debut_texte}: un taux s'écrit entre 0 et 1 (0.8 pour 80 %), reçu {valeur}"
                        ),
                    ));
                }
                let fin = match &v.end {
                    None | Some(serde_norway::Value::Null) => None,
                    Some(f) => {
                        let texte = match f {
                            serde_norway::Value::String(s) => s.clone(),
                            autre => format!("{autre:?}"),
                        };
                        let ligne_fin =
                            ligne_de(&fichier.texte, &[&nom_court, &debut_texte, "end:"]);
                        let fin = lire_date(&texte).ok_or_else(|| {
                            a_la_ligne(
                                ligne_fin,
                                format!("{nom} au {debut_texte}: « {texte} » n'est pas une date de fin AAAA-MM-JJ"),
                            )
                        })?;
                        if fin < debut {
                            return Err(a_la_ligne(
                                ligne_fin,
                                format!(
                                    "{nom}: la période commence le {debut} et finit avant, le {fin}"
                                ),
                            ));
                        }
                        Some(fin)
                    }
                };
                if v.source.text.trim().is_empty() || v.source.paragraph.trim().is_empty() {
                    return Err(a_la_ligne(
                        ligne,
                        format!(
                            "{nom} au {debut_texte}: la source doit donner un texte et un paragraphe"
                        ),
                    ));
                }
                let nouvelle = ValeurDatee {
                    valeur,
                    debut,
                    fin,
                    source: Source {
                        texte: v.source.text,
                        paragraphe: v.source.paragraph,
                    },
                    origine: format!("{chemin}, ligne {ligne}"),
                };
                if let Some(autre) = entree.valeurs.iter().find(|a| chevauche(a, &nouvelle)) {
                    return Err(a_la_ligne(
                        ligne,
                        format!(
                            "{nom}: la période commençant le {debut} chevauche celle commençant le {} ({})",
                            autre.debut, autre.origine
                        ),
                    ));
                }
                entree.valeurs.push(nouvelle);
            }
            entree.valeurs.sort_by_key(|v| v.debut);
        }
    }
    Ok(Parametres {
        parametres: parametres
            .into_iter()
            .map(|(k, v)| (k, Arc::new(v)))
            .collect(),
    })
}

fn chevauche(a: &ValeurDatee, b: &ValeurDatee) -> bool {
    let a_avant_b = a.fin.is_some_and(|f| f < b.debut);
    let b_avant_a = b.fin.is_some_and(|f| f < a.debut);
    !(a_avant_b || b_avant_a)
}

fn lire_date(texte: &str) -> Option<Date> {
    Date::parse(texte.trim(), format_description!("[year]-[month]-[day]")).ok()
}

/// A number written in YAML, read exactly: strings are parsed as decimals, and numbers through
/// their shortest decimal spelling (which is the one written in the file for any value with at
/// most 15 significant digits).
fn lire_nombre(v: &serde_norway::Value) -> Option<Decimal> {
    match v {
        serde_norway::Value::String(s) => Decimal::parse(s.trim()).ok(),
        serde_norway::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(Decimal::entier(i))
            } else {
                let f = n.as_f64()?;
                if !f.is_finite() {
                    return None;
                }
                Decimal::parse(&format!("{f}")).ok()
            }
        }
        _ => None,
    }
}

/// The line (1-based) where the keys `chemin` appear one after the other, each searched from the
/// line of the previous one; the last line found if a key is missing.
fn ligne_de(texte: &str, chemin: &[&str]) -> usize {
    let lignes: Vec<&str> = texte.lines().collect();
    let mut depuis = 0;
    for cle in chemin {
        let cle = cle.trim_end_matches(':');
        let trouve = lignes.iter().enumerate().skip(depuis).find(|(_, l)| {
            let l = l.trim_start().trim_start_matches("- ");
            let l = l.trim_start_matches(['"', '\'']);
            l.strip_prefix(cle).is_some_and(|reste| {
                let reste = reste.trim_start_matches(['"', '\'']);
                reste.starts_with(':')
            })
        });
        match trouve {
            Some((i, _)) => depuis = i,
            None => break,
        }
    }
    depuis + 1
}

/// serde's messages name the field in English; keep the field names, say the rest in French.
fn traduire_erreur_yaml(message: &str) -> String {
    let m = message
        .replace("unknown field", "champ inconnu")
        .replace("missing field", "champ manquant")
        .replace("expected one of", "attendu l'un de")
        .replace("invalid type", "type invalide")
        .replace("expected", "attendu");
    // serde_norway appends " at line L column C": the line is reported separately.
    match m.find(" at line ") {
        Some(i) => m[..i].to_owned(),
        None => m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fichier(texte: &str) -> FichierParametres {
        FichierParametres {
            chemin: "parameters/aip/test.yaml".to_owned(),
            texte: texte.to_owned(),
        }
    }

    const BON: &str = "description: essai
parameters:
  prix_plafond:
    description: Prix plafond
    unit: EUR
    values:
      2024-01-01:
        value: 66000
        end: 2025-12-31
        source:
          text: Référentiel
          paragraph: §VI.1
  taux:
    description: Taux
    unit: ratio
    values:
      2024-01-01:
        value: 0.8
        source: {text: Référentiel, paragraph: §VI.1}
";

    fn erreur(texte: &str) -> ErreurChargement {
        match charger([fichier(texte)]) {
            Err(e) => e,
            Ok(_) => panic!("accepté à tort:\n{texte}"),
        }
    }

    fn ligne(e: &ErreurChargement) -> usize {
        match e {
            ErreurChargement::Ligne { ligne, .. } => *ligne,
            ErreurChargement::Fichier { .. } => 0,
        }
    }

    #[test]
    fn charge_un_fichier_valide() {
        let p = charger([fichier(BON)]).unwrap();
        let d = time::macros::date!(2025 - 06 - 30);
        let v = p.valeur("aip.prix_plafond", d).unwrap();
        assert_eq!(v.valeur.valeur, Decimal::entier(66000));
        assert_eq!(v.valeur.source.paragraphe, "§VI.1");
        assert_eq!(
            p.valeur("aip.taux", d).unwrap().valeur.valeur.to_string(),
            "0.8"
        );
        let avant = p.valeur("aip.prix_plafond", time::macros::date!(2023 - 12 - 31));
        let message = avant.unwrap_err().to_string();
        assert!(
            message.starts_with("aucune valeur n'est fixée au 31 décembre 2023 pour « "),
            "{message}"
        );
        assert!(!message.contains("aip.prix_plafond"), "{message}");
        assert!(
            p.valeur("aip.prix_plafond", time::macros::date!(2026 - 01 - 01))
                .is_err()
        );
    }

    #[test]
    fn une_faute_de_frappe_est_signalee_a_sa_ligne() {
        let e = erreur(&BON.replace("    unit: EUR", "    unti: EUR"));
        assert_eq!(ligne(&e), 5, "{e}");
        assert!(e.to_string().contains("unti"), "{e}");
    }

    #[test]
    fn une_unite_manquante_est_signalee() {
        let e = erreur(&BON.replace("    unit: EUR\n", ""));
        assert!(e.to_string().contains("champ manquant `unit`"), "{e}");
        assert!(ligne(&e) > 0, "{e}");
    }

    #[test]
    fn une_unite_inconnue_est_signalee_a_sa_ligne() {
        let e = erreur(&BON.replace("unit: EUR", "unit: francs"));
        assert_eq!(ligne(&e), 5, "{e}");
        assert!(e.to_string().contains("francs"), "{e}");
    }

    #[test]
    fn un_taux_negatif_est_refuse() {
        let e = erreur(&BON.replace("value: 0.8", "value: -0.8"));
        assert_eq!(ligne(&e), 18, "{e}");
        assert!(e.to_string().contains("négative"), "{e}");
        let e = erreur(&BON.replace("value: 0.8", "value: 80"));
        assert!(e.to_string().contains("entre 0 et 1"), "{e}");
    }

    #[test]
    fn des_periodes_qui_se_chevauchent_sont_refusees() {
        let second = BON.replace(
            "2024-01-01:\n        value: 66000",
            "2025-01-01:\n        value: 70000",
        );
        let e = match charger([
            fichier(BON),
            FichierParametres {
                chemin: "parameters/aip/suite.yaml".to_owned(),
                texte: second,
            },
        ]) {
            Err(e) => e,
            Ok(_) => panic!("chevauchement accepté"),
        };
        let m = e.to_string();
        assert!(m.contains("suite.yaml, ligne 7"), "{m}");
        assert!(m.contains("chevauche"), "{m}");
        assert!(m.contains("test.yaml, ligne 7"), "{m}");
    }

    #[test]
    fn une_nouvelle_periode_s_ajoute_par_un_fichier() {
        let suite = BON
            .replace("2024-01-01:\n        value: 66000\n        end: 2025-12-31", "2026-01-01:\n        value: 70000")
            .replace("  taux:\n    description: Taux\n    unit: ratio\n    values:\n      2024-01-01:\n        value: 0.8\n        source: {text: Référentiel, paragraph: §VI.1}\n", "");
        let p = charger([
            fichier(BON),
            FichierParametres {
                chemin: "parameters/aip/2026.yaml".to_owned(),
                texte: suite,
            },
        ])
        .unwrap();
        let v = p
            .valeur("aip.prix_plafond", time::macros::date!(2026 - 03 - 01))
            .unwrap();
        assert_eq!(v.valeur.valeur, Decimal::entier(70000));
    }

    #[test]
    fn une_fin_avant_le_debut_est_refusee() {
        let e = erreur(&BON.replace("end: 2025-12-31", "end: 2023-12-31"));
        assert_eq!(ligne(&e), 9, "{e}");
    }

    #[test]
    fn une_date_invalide_est_refusee() {
        let e = erreur(&BON.replace(
            "2024-01-01:\n        value: 66000",
            "2024-13-01:\n        value: 66000",
        ));
        assert_eq!(ligne(&e), 7, "{e}");
    }

    #[test]
    fn une_source_est_obligatoire() {
        let e = erreur(&BON.replace(
            "        source:\n          text: Référentiel\n          paragraph: §VI.1\n",
            "",
        ));
        assert!(e.to_string().contains("source"), "{e}");
    }

    #[test]
    fn un_fichier_hors_dossier_de_dispositif_est_refuse() {
        let r = charger([FichierParametres {
            chemin: "orphelin.yaml".to_owned(),
            texte: BON.to_owned(),
        }]);
        assert!(r.is_err());
    }
}
