//! Importing a structure's sessions from a CSV file, validated as a whole: any bad line and
//! nothing is imported, every bad line is listed; the same file twice, or the same session in
//! two files, is stored once; the import runs in one transaction, so an interruption leaves
//! nothing behind.

mod lecture;

use std::collections::{HashMap, HashSet};

use domain::acces::Acteur;
use domain::identifiants::GestionnaireId;
use serde::Serialize;
use sha2::{Digest, Sha256};
use store::Tx;
use store::audit::{self, NouvelEvenement};
use time::OffsetDateTime;

use crate::SuiviActivite;
use crate::acces::{ACTION_IMPORT, departement_de, exiger_saisie, verrouiller};
use crate::agregats::maintenance::{self, CleFamille};
use crate::entretien::{CarteCles, EnsembleCles, EntretienValide, cle_naturelle};
use crate::erreur::{ErreurActivite, ErreurLigne, Probleme};
use crate::pseudonyme::{CleStructure, CodeFamille, Pseudonymiseur, cle_de_la_structure};
use crate::regles::{self, Avertissement};
use crate::stockage;
use store::activite::imports;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RapportImport {
    /// The import's number (the earlier one when the file was already imported).
    pub import: i64,
    /// The file had already been imported: nothing was done.
    pub deja_importe: bool,
    /// SHA-256 of the file.
    pub empreinte: String,
    /// Sessions in the file.
    pub lignes: u64,
    /// Sessions added.
    pub importees: u64,
    /// Sessions of the file already stored (recorded or imported before), not added again.
    pub deja_presentes: u64,
    pub avertissements: Vec<Avertissement>,
}

/// Line numbers for a message: `4, 9, 12` or `4, 9, 12… (et 30 autres)`.
fn liste_lignes(lignes: &[u64]) -> String {
    const MAX: usize = 20;
    let mut t = lignes
        .iter()
        .take(MAX)
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if lignes.len() > MAX {
        t.push_str(&format!("… (et {} autres)", lignes.len() - MAX));
    }
    t
}

/// Keeps the problems of each line together, lines in file order.
fn regrouper(erreurs: Vec<ErreurLigne>) -> Vec<ErreurLigne> {
    let mut par_ligne: std::collections::BTreeMap<u64, Vec<Probleme>> = Default::default();
    for e in erreurs {
        par_ligne.entry(e.ligne).or_default().extend(e.problemes);
    }
    par_ligne
        .into_iter()
        .map(|(ligne, problemes)| ErreurLigne { ligne, problemes })
        .collect()
}

/// The family code and the natural key of each line, computed on two threads for a large file
/// (each with its own memo of codes: both are pure functions of the line).
fn codes_et_cles(
    gestionnaire: GestionnaireId,
    cle: &CleStructure,
    lignes: &[lecture::LigneLue],
) -> Vec<(CodeFamille, [u8; 16])> {
    let calculer = |lignes: &[lecture::LigneLue]| -> Vec<(CodeFamille, [u8; 16])> {
        let mut pseudonymes = Pseudonymiseur::new(cle.clone());
        lignes
            .iter()
            .map(|l| {
                let famille = pseudonymes.code(&l.famille);
                let cle = cle_naturelle(
                    gestionnaire,
                    l.reference.as_deref(),
                    famille,
                    l.date,
                    l.duree_minutes,
                    l.etape,
                    l.mode,
                    l.presence,
                    l.sujets,
                    l.orientations,
                    l.intervenant,
                    l.lieu,
                );
                (famille, cle)
            })
            .collect()
    };
    if lignes.len() < 50_000 {
        return calculer(lignes);
    }
    let (debut, fin) = lignes.split_at(lignes.len() / 2);
    std::thread::scope(|s| {
        let seconde = s.spawn(|| calculer(fin));
        let mut tout = calculer(debut);
        match seconde.join() {
            Ok(suite) => tout.extend(suite),
            Err(_) => tout.extend(calculer(fin)),
        }
        tout
    })
}

impl SuiviActivite {
    /// Imports the sessions of structure `gestionnaire` from a CSV file (columns in the
    /// crate's README). Référentiel national de financement de l'AIP §II.3: each line is checked as an entry is, the 6th and later
    /// sessions of a family in a year need `motif_exception`.
    ///
    /// **Interpretation** (rank of a session): sessions already stored count first, then the
    /// file's sessions of the family in date order.
    pub async fn importer_csv(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        contenu: &[u8],
        quand: OffsetDateTime,
    ) -> Result<RapportImport, ErreurActivite> {
        exiger_saisie(acteur, gestionnaire, ACTION_IMPORT)?;
        let mut tx = self.base.debuter().await?;
        let cache = imports::agrandir_cache(&mut tx, contenu.len()).await?;
        let resultat = self
            .importer_dans(&mut tx, acteur, gestionnaire, contenu, quand)
            .await;
        let retabli = imports::retablir_cache(&mut tx, cache).await;
        let rapport = resultat?;
        retabli?;
        tx.valider().await?;
        Ok(rapport)
    }

    /// The import, in the caller's transaction (committed by the caller when it succeeds).
    async fn importer_dans(
        &self,
        tx: &mut Tx,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        contenu: &[u8],
        quand: OffsetDateTime,
    ) -> Result<RapportImport, ErreurActivite> {
        let empreinte = hex::encode(Sha256::digest(contenu));
        let departement = departement_de(tx, gestionnaire).await?;
        verrouiller(tx, gestionnaire).await?;

        let deja = imports::par_empreinte(tx, gestionnaire.0, &empreinte).await?;
        if let Some(import) = deja {
            let lignes = u64::try_from(import.lignes).unwrap_or(0);
            return Ok(RapportImport {
                import: import.id,
                deja_importe: true,
                empreinte,
                lignes,
                importees: 0,
                deja_presentes: lignes,
                avertissements: Vec::new(),
            });
        }

        let lecture = lecture::lire(contenu, quand.date())?;
        let mut erreurs = lecture.erreurs;
        let intervenants: HashSet<i64> =
            store::activite::structures::intervenants(tx, gestionnaire.0)
                .await?
                .into_iter()
                .collect();
        let lieux: HashSet<i64> = store::activite::structures::lieux(tx, gestionnaire.0)
            .await?
            .into_iter()
            .collect();
        let cles = codes_et_cles(
            gestionnaire,
            &cle_de_la_structure(tx, gestionnaire, quand).await?,
            &lecture.lignes,
        );
        let mut reperes: HashMap<i32, Result<i64, String>> = HashMap::new();
        let mut cles_vues: CarteCles<[u8; 16], u64> =
            CarteCles::with_capacity_and_hasher(lecture.lignes.len(), Default::default());
        let mut valides: Vec<(u64, EntretienValide)> = Vec::with_capacity(lecture.lignes.len());

        for (l, (famille, cle)) in lecture.lignes.into_iter().zip(cles) {
            let mut problemes = Vec::new();
            let exercice = l.date.year();
            let repere = reperes.entry(exercice).or_insert_with(|| {
                regles::repere_seances(&self.parametres, exercice).map_err(|e| e.to_string())
            });
            if let Err(raison) = repere {
                problemes.push(Probleme {
                    champ: "date",
                    raison: format!(
                        "exercice {exercice} non couvert par le référentiel ({raison})"
                    ),
                });
            }
            if let Some(i) = l.intervenant
                && !intervenants.contains(&i.0)
            {
                problemes.push(Probleme {
                    champ: "intervenant_id",
                    raison: format!("l'intervenant n°{i} n'est pas un intervenant de la structure"),
                });
            }
            if let Some(lieu) = l.lieu
                && !lieux.contains(&lieu.0)
            {
                problemes.push(Probleme {
                    champ: "lieu_id",
                    raison: format!("le lieu n°{lieu} n'est pas un lieu d'accueil de la structure"),
                });
            }
            if let Some(premiere) = cles_vues.insert(cle, l.ligne) {
                problemes.push(Probleme {
                    champ: if l.reference.is_some() {
                        "reference"
                    } else {
                        "ligne"
                    },
                    raison: format!("même entretien que la ligne {premiere}"),
                });
            }
            if !problemes.is_empty() {
                erreurs.push(ErreurLigne {
                    ligne: l.ligne,
                    problemes,
                });
                continue;
            }
            valides.push((
                l.ligne,
                EntretienValide {
                    famille,
                    date: l.date,
                    duree_minutes: l.duree_minutes,
                    etape: l.etape,
                    mode: l.mode,
                    presence: l.presence,
                    sujets: l.sujets,
                    orientations: l.orientations,
                    intervenant: l.intervenant,
                    lieu: l.lieu,
                    motif_exception: l.motif_exception,
                    exception: false,
                    cle,
                },
            ));
        }
        let lignes_total = (valides.len() + erreurs.len()) as u64;

        // Sessions already stored: only families already seen that year can have some.
        let mut familles: Vec<CleFamille> = valides
            .iter()
            .map(|(_, e)| (e.exercice(), e.famille))
            .collect::<EnsembleCles<_>>()
            .into_iter()
            .collect();
        familles.sort_unstable();
        let etats = maintenance::charger_familles(tx, gestionnaire, &familles).await?;
        let a_verifier: Vec<[u8; 16]> = valides
            .iter()
            .filter(|(_, e)| etats.contains_key(&(e.exercice(), e.famille)))
            .map(|(_, e)| e.cle)
            .collect();
        let presentes = stockage::cles_presentes(tx, gestionnaire, &a_verifier).await?;

        // Référentiel national de financement de l'AIP §II.3: the rank of each new session in its family's year.
        let mut par_famille: CarteCles<CleFamille, Vec<usize>> = CarteCles::default();
        for (i, (_, e)) in valides.iter().enumerate() {
            if !presentes.contains(&e.cle) {
                par_famille
                    .entry((e.exercice(), e.famille))
                    .or_default()
                    .push(i);
            }
        }
        let mut au_dela = Vec::new();
        for (cle, mut indices) in par_famille {
            let stockes = etats.get(&cle).map_or(0, |e| e.entretiens);
            let maximum = match reperes.get(&cle.0) {
                Some(Ok(m)) => *m,
                _ => continue,
            };
            if stockes + indices.len() as i64 <= maximum {
                continue;
            }
            indices.sort_by_key(|i| (valides[*i].1.date, valides[*i].0));
            for (n, i) in indices.into_iter().enumerate() {
                let rang = stockes + n as i64 + 1;
                if rang <= maximum {
                    continue;
                }
                let (ligne, e) = &mut valides[i];
                if e.motif_exception.is_some() {
                    e.exception = true;
                    au_dela.push(*ligne);
                } else {
                    erreurs.push(ErreurLigne {
                        ligne: *ligne,
                        problemes: vec![Probleme {
                            champ: "motif_exception",
                            raison: ErreurActivite::MotifExceptionRequis {
                                exercice: cle.0,
                                rang,
                                maximum,
                            }
                            .to_string()
                            .trim_start_matches("motif_exception : ")
                            .to_owned(),
                        }],
                    });
                }
            }
        }
        if !erreurs.is_empty() {
            return Err(ErreurActivite::ImportRefuse(regrouper(erreurs)));
        }

        // Writing: the import, its new sessions, the aggregates, the audit.
        let nouveaux: Vec<&EntretienValide> = valides
            .iter()
            .filter(|(_, e)| !presentes.contains(&e.cle))
            .map(|(_, e)| e)
            .collect();
        let importees = nouveaux.len() as u64;
        let deja_presentes = lignes_total - importees;
        let entier = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let import = imports::inserer(
            tx,
            &imports::NouvelImport {
                gestionnaire: gestionnaire.0,
                departement: departement.as_str(),
                empreinte: &empreinte,
                lignes: entier(lignes_total),
                importees: entier(importees),
                deja_presentes: entier(deja_presentes),
                importe_par: acteur.id.0,
                importe_le: quand,
            },
        )
        .await?;
        let ecrits =
            stockage::inserer(tx, gestionnaire, departement, Some(import), &nouveaux).await?;
        if ecrits != importees {
            return Err(store::ErreurStore::Donnee(format!(
                "{importees} entretiens à écrire, {ecrits} écrits : import annulé"
            ))
            .into());
        }
        maintenance::appliquer(tx, gestionnaire, departement, &etats, &nouveaux).await?;

        let mut avertissements = Vec::new();
        if !au_dela.is_empty() {
            au_dela.sort_unstable();
            avertissements.push(Avertissement {
                code: "entretiens_famille_au_dela_repere",
                source: regles::SOURCE_II_3,
                message: format!(
                    "{} entretien{} au-delà du repère de séances par famille et par an, \
                     enregistré{} avec leur motif d'exception (ligne{} {}).",
                    au_dela.len(),
                    if au_dela.len() > 1 { "s" } else { "" },
                    if au_dela.len() > 1 { "s" } else { "" },
                    if au_dela.len() > 1 { "s" } else { "" },
                    liste_lignes(&au_dela)
                ),
            });
        }
        let mut a_distance: Vec<u64> = valides
            .iter()
            .filter(|(_, e)| {
                !presentes.contains(&e.cle)
                    && regles::constat_premier_contact(e.etape, e.mode).is_some()
            })
            .map(|(l, _)| *l)
            .collect();
        if !a_distance.is_empty() {
            a_distance.sort_unstable();
            avertissements.push(Avertissement {
                code: "premier_contact_a_distance",
                source: regles::SOURCE_II_3,
                message: format!(
                    "{} premier{} contact{} à distance (ligne{} {}) : le présentiel reste la \
                     modalité privilégiée, notamment pour le premier entretien.",
                    a_distance.len(),
                    if a_distance.len() > 1 { "s" } else { "" },
                    if a_distance.len() > 1 { "s" } else { "" },
                    if a_distance.len() > 1 { "s" } else { "" },
                    liste_lignes(&a_distance)
                ),
            });
        }
        let mut exercices: Vec<i32> = nouveaux.iter().map(|e| e.exercice()).collect();
        exercices.sort_unstable();
        exercices.dedup();
        for exercice in exercices {
            avertissements.extend(
                regles::constats_objectif(
                    tx,
                    &self.parametres,
                    gestionnaire,
                    departement,
                    exercice,
                    quand,
                )
                .await?
                .into_iter()
                .map(Avertissement::from),
            );
        }

        let rapport = RapportImport {
            import,
            deja_importe: false,
            empreinte,
            lignes: lignes_total,
            importees,
            deja_presentes,
            avertissements,
        };
        audit::ajouter(
            tx,
            NouvelEvenement {
                horodatage: quand,
                acteur_id: Some(acteur.id.0),
                role: Some(acteur.role.code().to_owned()),
                entite: "import_activite".to_owned(),
                entite_id: import,
                action: "importer".to_owned(),
                etat_avant: None,
                etat_apres: None,
                description: format!(
                    "import de {importees} entretien{} de la structure n°{gestionnaire} \
                     ({deja_presentes} déjà présent{}) depuis un fichier de {lignes_total} ligne{}",
                    if importees > 1 { "s" } else { "" },
                    if deja_presentes > 1 { "s" } else { "" },
                    if lignes_total > 1 { "s" } else { "" },
                ),
                changements: "[]".to_owned(),
                avant: None,
                apres: Some(serde_json::to_string(&rapport).map_err(store::ErreurStore::from)?),
            },
        )
        .await?;
        Ok(rapport)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lignes_en_liste() {
        assert_eq!(liste_lignes(&[4, 9]), "4, 9");
        let beaucoup: Vec<u64> = (1..=25).collect();
        assert!(liste_lignes(&beaucoup).ends_with("20… (et 5 autres)"));
    }

    #[test]
    fn problemes_regroupes_par_ligne() {
        let p = |champ| Probleme {
            champ,
            raison: String::new(),
        };
        let r = regrouper(vec![
            ErreurLigne {
                ligne: 7,
                problemes: vec![p("date")],
            },
            ErreurLigne {
                ligne: 3,
                problemes: vec![p("etape")],
            },
            ErreurLigne {
                ligne: 7,
                problemes: vec![p("motif_exception")],
            },
        ]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].ligne, 3);
        assert_eq!(r[1].problemes.len(), 2);
    }
}
