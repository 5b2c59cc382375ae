//! Reading a file of gestionnaires (CSV, comma or semicolon, UTF-8 with or without BOM), checking
//! every row with the domain's own rules, and returning either every row or every problem: a file
//! with one bad row imports nothing, and its report names each bad line, field and reason.
//!
//! Columns (header names, any order): `raison_sociale`, `siret`, `rna` (empty for local
//! authorities and for associations of Alsace-Moselle), `statut_juridique` (codes of
//! `domain::structures::StatutJuridique`: `association_loi_1901`…), `type_activite`
//! (`generaliste`, `centre_social`…), `voie`, `complement` (optional), `code_postal`,
//! `commune` (INSEE code of the commune), `departement` (code of the head office's département),
//! `email` (optional).

use std::collections::HashMap;

use domain::identifiants::{CodeDepartement, CodeInsee, Email, GestionnaireId, Rna, Siret};
use domain::structures::{Adresse, Gestionnaire, StatutJuridique, TypeActivite};

/// The columns of a file of gestionnaires.
pub const COLONNES: [&str; 11] = [
    "raison_sociale",
    "siret",
    "rna",
    "statut_juridique",
    "type_activite",
    "voie",
    "complement",
    "code_postal",
    "commune",
    "departement",
    "email",
];
const OPTIONNELLES: [&str; 3] = ["rna", "complement", "email"];

/// One problem of a file: its line (the header is line 1), the field when known, the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErreurLigne {
    pub ligne: u64,
    pub champ: Option<String>,
    pub raison: String,
}

/// Every problem of a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} ligne(s) en erreur: rien n'a été importé", .lignes.len())]
pub struct ErreursImport {
    pub lignes: Vec<ErreurLigne>,
}

impl ErreursImport {
    /// One line per problem, in French.
    pub fn rapport(&self) -> String {
        self.lignes
            .iter()
            .map(|e| match &e.champ {
                Some(c) => format!("ligne {}, {c}: {}", e.ligne, e.raison),
                None => format!("ligne {}: {}", e.ligne, e.raison),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A valid row: the gestionnaire but for the id the store allocates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GestionnaireImporte {
    pub ligne: u64,
    gestionnaire: Gestionnaire,
}

impl GestionnaireImporte {
    /// The gestionnaire with its allocated id.
    pub fn construire(self, id: GestionnaireId) -> Gestionnaire {
        Gestionnaire {
            id,
            ..self.gestionnaire
        }
    }

    pub fn siret(&self) -> &Siret {
        &self.gestionnaire.siret
    }
}

/// Reads and checks a whole file.
pub fn lire_gestionnaires(octets: &[u8]) -> Result<Vec<GestionnaireImporte>, ErreursImport> {
    let octets = octets.strip_prefix("\u{feff}".as_bytes()).unwrap_or(octets);
    let premiere = octets.split(|&b| b == b'\n').next().unwrap_or_default();
    let separateur = if premiere.contains(&b';') { b';' } else { b',' };
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(separateur)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(octets);
    let erreur_entete = |raison: String| ErreursImport {
        lignes: vec![ErreurLigne {
            ligne: 1,
            champ: None,
            raison,
        }],
    };
    let entetes = lecteur
        .headers()
        .map_err(|e| erreur_entete(format!("en-tête illisible: {e}")))?
        .clone();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, nom) in entetes.iter().enumerate() {
        match COLONNES.iter().find(|c| **c == nom) {
            Some(c) => {
                if index.insert(c, i).is_some() {
                    return Err(erreur_entete(format!("colonne « {nom} » en double")));
                }
            }
            None => {
                return Err(erreur_entete(format!(
                    "colonne « {nom} » inconnue; colonnes attendues: {}",
                    COLONNES.join(", ")
                )));
            }
        }
    }
    let manquantes: Vec<&str> = COLONNES
        .iter()
        .filter(|c| !OPTIONNELLES.contains(c) && !index.contains_key(*c))
        .copied()
        .collect();
    if !manquantes.is_empty() {
        return Err(erreur_entete(format!(
            "colonne(s) obligatoire(s) absente(s): {}",
            manquantes.join(", ")
        )));
    }

    let mut erreurs = Vec::new();
    let mut valides = Vec::new();
    let mut sirets: HashMap<String, u64> = HashMap::new();
    for enregistrement in lecteur.records() {
        let (ligne, r) = match enregistrement {
            Ok(r) => (r.position().map_or(0, |p| p.line()), r),
            Err(e) => {
                erreurs.push(ErreurLigne {
                    ligne: e.position().map_or(0, |p| p.line()),
                    champ: None,
                    raison: format!("ligne illisible: {e}"),
                });
                continue;
            }
        };
        let champ = |nom: &str| -> Option<String> {
            index
                .get(nom)
                .and_then(|i| r.get(*i))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        let mut fautes = Vec::new();
        let mut exiger = |nom: &str| -> Option<String> {
            let v = champ(nom);
            if v.is_none() {
                fautes.push((nom.to_owned(), "valeur obligatoire manquante".to_owned()));
            }
            v
        };
        let raison_sociale = exiger("raison_sociale");
        let siret_t = exiger("siret");
        let statut_t = exiger("statut_juridique");
        let activite_t = exiger("type_activite");
        let voie = exiger("voie");
        let code_postal = exiger("code_postal");
        let commune_t = exiger("commune");
        let departement_t = exiger("departement");
        let mut controler = |nom: &str, r: Result<(), String>| {
            if let Err(raison) = r {
                fautes.push((nom.to_owned(), raison));
            }
        };
        let siret = siret_t.as_deref().and_then(|t| match Siret::parse(t) {
            Ok(s) => Some(s),
            Err(e) => {
                controler("siret", Err(e.to_string()));
                None
            }
        });
        let rna = match champ("rna") {
            None => None,
            Some(t) => match Rna::parse(&t) {
                Ok(r) => Some(r),
                Err(e) => {
                    controler("rna", Err(e.to_string()));
                    None
                }
            },
        };
        let statut = statut_t.as_deref().and_then(|t| {
            let s = StatutJuridique::depuis_code(t);
            if s.is_none() {
                controler("statut_juridique", Err(format!("« {t} » inconnu")));
            }
            s
        });
        let activite = activite_t.as_deref().and_then(|t| {
            let s = TypeActivite::depuis_code(t);
            if s.is_none() {
                controler("type_activite", Err(format!("« {t} » inconnu")));
            }
            s
        });
        let commune = commune_t
            .as_deref()
            .and_then(|t| match CodeInsee::parse(t) {
                Ok(c) => Some(c),
                Err(e) => {
                    controler("commune", Err(e.to_string()));
                    None
                }
            });
        let departement = departement_t
            .as_deref()
            .and_then(|t| match CodeDepartement::parse(t) {
                Ok(d) => Some(d),
                Err(e) => {
                    controler("departement", Err(e.to_string()));
                    None
                }
            });
        let email = match champ("email") {
            None => None,
            Some(t) => match Email::parse(&t) {
                Ok(e) => Some(e),
                Err(e) => {
                    controler("email", Err(e.to_string()));
                    None
                }
            },
        };
        if let (
            Some(rs),
            Some(siret),
            Some(statut),
            Some(activite),
            Some(voie),
            Some(cp),
            Some(commune),
            Some(departement),
        ) = (
            raison_sociale,
            siret,
            statut,
            activite,
            voie,
            code_postal,
            commune,
            departement,
        ) {
            let g = Gestionnaire {
                id: GestionnaireId(0),
                raison_sociale: rs,
                siret,
                rna,
                statut,
                activite,
                siege: Adresse {
                    voie,
                    complement: champ("complement"),
                    code_postal: cp,
                    commune,
                },
                departement_siege: departement,
                email,
                engagements: Default::default(),
                banque: None,
            };
            match g.verifier() {
                Err(refus) => fautes.push(("".to_owned(), refus.to_string())),
                Ok(()) => {
                    if let Some(premiere) = sirets.insert(g.siret.as_str().to_owned(), ligne) {
                        fautes.push((
                            "siret".to_owned(),
                            format!("SIRET {} déjà présent ligne {premiere}", g.siret),
                        ));
                    }
                    if fautes.is_empty() {
                        valides.push(GestionnaireImporte {
                            ligne,
                            gestionnaire: g,
                        });
                    }
                }
            }
        }
        for (champ, raison) in fautes {
            erreurs.push(ErreurLigne {
                ligne,
                champ: (!champ.is_empty()).then_some(champ),
                raison,
            });
        }
    }
    if erreurs.is_empty() {
        Ok(valides)
    } else {
        Err(ErreursImport { lignes: erreurs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTETE: &str = "raison_sociale;siret;rna;statut_juridique;type_activite;voie;code_postal;commune;departement;email";

    fn siret(souche: u64) -> String {
        let base = format!("{souche:013}");
        (0..10)
            .map(|k| format!("{base}{k}"))
            .find(|s| Siret::parse(s).is_ok())
            .unwrap()
    }

    #[test]
    fn un_fichier_valide_est_lu_en_entier() {
        let f = format!(
            "\u{feff}{ENTETE}\nÉcoute parents;{};W381000001;association_loi_1901;generaliste;2 rue des Alpes;38000;38185;38;contact@ecoute.fr\nMairie de Vienne;{};;collectivite_territoriale;generaliste;Place de l'Hôtel de ville;38200;38544;38;\n",
            siret(1_234_567_890_001),
            siret(1_234_567_890_002)
        );
        let lu = lire_gestionnaires(f.as_bytes()).unwrap();
        assert_eq!(lu.len(), 2);
        let g = lu[0].clone().construire(GestionnaireId(7));
        assert_eq!(g.id, GestionnaireId(7));
        assert_eq!(g.raison_sociale, "Écoute parents");
    }

    #[test]
    fn chaque_ligne_fautive_est_signalee_et_rien_n_est_retenu() {
        let bon = siret(1_234_567_890_001);
        let f = format!(
            "{ENTETE}\n\
             Bonne;{bon};W381000001;association_loi_1901;generaliste;1 rue;38000;38185;38;\n\
             Mauvais siret;12345678901234;W381000001;association_loi_1901;generaliste;1 rue;38000;38185;38;\n\
             Sans statut;{};W381000002;;generaliste;1 rue;38000;38185;38;\n\
             Doublon;{bon};W381000003;association_loi_1901;generaliste;1 rue;38000;38185;38;\n\
             Email;{};W381000004;association_loi_1901;maison_inconnue;1 rue;38000;38185;38;pas-un-email\n",
            siret(1_234_567_890_005),
            siret(1_234_567_890_006),
        );
        let e = lire_gestionnaires(f.as_bytes()).unwrap_err();
        let lignes: Vec<(u64, Option<&str>)> = e
            .lignes
            .iter()
            .map(|l| (l.ligne, l.champ.as_deref()))
            .collect();
        assert!(lignes.contains(&(3, Some("siret"))), "{lignes:?}");
        assert!(
            lignes.contains(&(4, Some("statut_juridique"))),
            "{lignes:?}"
        );
        assert!(lignes.contains(&(5, Some("siret"))), "{lignes:?}");
        assert!(lignes.contains(&(6, Some("type_activite"))), "{lignes:?}");
        assert!(lignes.contains(&(6, Some("email"))), "{lignes:?}");
        assert!(
            e.rapport().contains("déjà présent ligne 2"),
            "{}",
            e.rapport()
        );
    }

    #[test]
    fn une_colonne_inconnue_ou_manquante_arrete_a_l_en_tete() {
        let e = lire_gestionnaires(b"raison_sociale,siret,annee\n").unwrap_err();
        assert_eq!(e.lignes[0].ligne, 1);
        assert!(e.lignes[0].raison.contains("annee"));
        let e = lire_gestionnaires(b"raison_sociale,siret\n").unwrap_err();
        assert!(e.lignes[0].raison.contains("statut_juridique"));
    }
}
