//! The annual report as documents: PDF (its sections as text), JSON (the report itself, with
//! when it was sent) and CSV (every table of the report in one file, one value a line, for open
//! data; fields in docs/rapport-annuel.md).

use app::VueRapport;
use domain::coordination::rapport::{RapportAnnuel, pourcent_fr};
use serde::Serialize;
use tableur::{Cellule, Colonne, Format, Tableau};

use crate::erreur::ErreurWeb;
use crate::fr;
use crate::pdf::{Bloc, document};

/// The JSON document: the report and its sending.
#[derive(Serialize)]
struct Document<'a> {
    /// RFC 3339, or null for a draft.
    envoye_le: Option<&'a str>,
    rapport: &'a RapportAnnuel,
}

pub(super) fn json(v: &VueRapport) -> Result<Vec<u8>, ErreurWeb> {
    serde_json::to_vec_pretty(&Document {
        envoye_le: v.envoye_le.as_deref(),
        rapport: &v.rapport,
    })
    .map_err(|e| ErreurWeb::Interne(e.to_string()))
}

/// The rows of the CSV: `(table, row number from 1, field, value)`.
pub(super) fn lignes_csv(r: &RapportAnnuel) -> Vec<[String; 4]> {
    let mut sortie: Vec<[String; 4]> = Vec::new();
    let mut pousser = |table: &str, n: usize, champs: Vec<(&str, String)>| {
        for (champ, valeur) in champs {
            sortie.push([table.to_owned(), n.to_string(), champ.to_owned(), valeur]);
        }
    };
    let i = &r.indicateurs;
    let opt = |x: Option<u32>| x.map_or(String::new(), |d| d.to_string());
    pousser(
        "indicateurs",
        1,
        vec![
            ("departement", r.departement.to_string()),
            ("annee", r.annee.to_string()),
            ("forme", r.forme.code().to_owned()),
            ("membres", i.membres.to_string()),
            ("seances_tenues", i.seances_tenues.to_string()),
            ("seances_annulees", i.seances_annulees.to_string()),
            (
                "seances_quorum_atteint",
                i.seances_quorum_atteint.to_string(),
            ),
            ("taux_presence_dixiemes", opt(i.taux_presence_dixiemes)),
            ("decisions", i.decisions.to_string()),
            ("demande_centimes", i.demande_centimes.to_string()),
            ("decide_centimes", i.decide_centimes.to_string()),
            ("actions", i.actions.to_string()),
            ("actions_realisees", i.actions_realisees.to_string()),
            (
                "part_actions_realisees_dixiemes",
                opt(i.part_actions_realisees_dixiemes),
            ),
            ("lieux", i.lieux.to_string()),
            ("communes_sans_offre", i.communes_sans_offre.to_string()),
        ],
    );
    for (n, m) in r.composition.iter().enumerate() {
        pousser(
            "composition",
            n + 1,
            vec![
                ("role", m.role.code().to_owned()),
                ("organisation", m.organisation.clone()),
                ("personne", m.personne.clone()),
                ("mandat_fin", m.mandat_fin.to_string()),
            ],
        );
    }
    for (n, s) in r.seances.iter().enumerate() {
        pousser(
            "seances",
            n + 1,
            vec![
                ("date", s.date.to_string()),
                ("titre", s.titre.clone()),
                ("niveau", s.niveau.code().to_owned()),
                ("etat", s.etat.code().to_owned()),
                (
                    "quorum_atteint",
                    s.quorum_atteint.map_or(String::new(), |q| q.to_string()),
                ),
                ("membres", s.membres.to_string()),
                ("presents", s.presents.to_string()),
                ("representes", s.representes.to_string()),
                (
                    "compte_rendu",
                    s.compte_rendu
                        .map_or(String::new(), |e| e.code().to_owned()),
                ),
            ],
        );
    }
    for (n, x) in r.decisions.iter().enumerate() {
        pousser(
            "decisions",
            n + 1,
            vec![
                ("date", x.date.to_string()),
                ("seance", x.seance.clone()),
                ("texte", x.texte.clone()),
            ],
        );
    }
    for (n, f) in r.financement.iter().enumerate() {
        pousser(
            "financement",
            n + 1,
            vec![
                ("financeur", f.financeur.clone()),
                ("dispositif", f.dispositif.code().to_owned()),
                ("demande_centimes", f.demande_centimes.to_string()),
                ("decide_centimes", f.decide_centimes.to_string()),
            ],
        );
    }
    for (n, a) in r.actions.iter().enumerate() {
        pousser(
            "actions",
            n + 1,
            vec![
                ("origine", a.origine.code().to_owned()),
                ("libelle", a.libelle.clone()),
                ("porteur", a.porteur.clone()),
                ("echeance", a.echeance.to_string()),
                ("statut", a.statut.clone()),
            ],
        );
    }
    for (n, c) in r.couverture.iter().enumerate() {
        pousser(
            "couverture",
            n + 1,
            vec![
                ("dispositif", c.dispositif.code().to_owned()),
                ("rayon_km", c.rayon_km.to_string()),
                ("lieux", c.lieux.to_string()),
                ("communes", c.communes.to_string()),
                ("communes_sans_offre", c.communes_sans_offre.to_string()),
                ("population_sans_offre", c.population_sans_offre.to_string()),
            ],
        );
    }
    sortie
}

pub(super) fn csv(v: &VueRapport) -> Result<Vec<u8>, ErreurWeb> {
    let r = &v.rapport;
    let t = Tableau {
        titre: format!("Rapport annuel {} {}", r.departement, r.annee),
        colonnes: vec![
            Colonne::new("Table", "table"),
            Colonne::new("Ligne", "ligne"),
            Colonne::new("Champ", "champ"),
            Colonne::new("Valeur", "valeur"),
        ],
        lignes: lignes_csv(r)
            .into_iter()
            .map(|l| l.into_iter().map(Cellule::Texte).collect())
            .collect(),
    };
    let mut octets = Vec::new();
    t.ecrire(Format::CsvOuvert, &mut octets)
        .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok(octets)
}

/// `Envoyé à la Cnaf le 15/03/2026` or `Projet (non envoyé)`.
pub(super) fn mention_envoi(v: &VueRapport) -> String {
    match &v.envoye_le {
        Some(le) => format!("Envoyé à la Cnaf le {}", app::date_d_envoi(le)),
        None => "Projet : pas encore envoyé à la Cnaf".to_owned(),
    }
}

pub(super) fn pdf(v: &VueRapport) -> Vec<u8> {
    let r = &v.rapport;
    let i = &r.indicateurs;
    let mut b = vec![
        Bloc::Titre(format!("Rapport annuel {}", r.annee)),
        Bloc::Paragraphe(r.appellation.clone()),
        Bloc::Ligne(
            "Département".to_owned(),
            format!("{} ({})", r.nom_departement, r.departement),
        ),
        Bloc::Ligne("Forme".to_owned(), r.forme.libelle().to_owned()),
        Bloc::Ligne("Envoi".to_owned(), mention_envoi(v)),
        Bloc::Ligne("À envoyer avant le".to_owned(), fr::date(r.date_limite)),
        Bloc::Espace,
        Bloc::Intertitre("Indicateurs".to_owned()),
        Bloc::Ligne("Membres".to_owned(), i.membres.to_string()),
        Bloc::Ligne("Séances tenues".to_owned(), i.seances_tenues.to_string()),
        Bloc::Ligne(
            "Quorum atteint".to_owned(),
            format!("{} séance(s)", i.seances_quorum_atteint),
        ),
        Bloc::Ligne(
            "Taux de présence".to_owned(),
            pourcent_fr(i.taux_presence_dixiemes),
        ),
        Bloc::Ligne("Décisions".to_owned(), i.decisions.to_string()),
        Bloc::Ligne(
            "Financement demandé".to_owned(),
            fr::euros(i.demande_centimes),
        ),
        Bloc::Ligne(
            "Financement décidé".to_owned(),
            fr::euros(i.decide_centimes),
        ),
        Bloc::Ligne(
            "Actions réalisées".to_owned(),
            format!(
                "{} sur {} ({})",
                i.actions_realisees,
                i.actions,
                pourcent_fr(i.part_actions_realisees_dixiemes)
            ),
        ),
        Bloc::Ligne("Lieux de l'offre".to_owned(), i.lieux.to_string()),
        Bloc::Ligne(
            "Communes sans offre à 10 km".to_owned(),
            i.communes_sans_offre.to_string(),
        ),
        Bloc::Intertitre("Composition".to_owned()),
    ];
    for m in &r.composition {
        b.push(Bloc::Ligne(
            m.role.libelle().to_owned(),
            format!("{} ({})", m.personne, m.organisation),
        ));
    }
    b.push(Bloc::Intertitre("Séances".to_owned()));
    for s in &r.seances {
        b.push(Bloc::Paragraphe(format!(
            "{} — {} ({}) — {} — quorum : {} — compte rendu : {}",
            fr::date(s.date),
            s.titre,
            s.niveau.libelle(),
            s.etat.libelle(),
            match s.quorum_atteint {
                Some(true) => "atteint",
                Some(false) => "non atteint",
                None => "–",
            },
            s.compte_rendu.map_or("aucun", |e| e.libelle())
        )));
    }
    b.push(Bloc::Intertitre("Décisions".to_owned()));
    for x in &r.decisions {
        b.push(Bloc::Paragraphe(format!(
            "{} — {}",
            fr::date(x.date),
            x.texte
        )));
    }
    b.push(Bloc::Intertitre("Financement de l'année".to_owned()));
    for f in &r.financement {
        b.push(Bloc::Ligne(
            format!("{} — {}", f.financeur, f.dispositif.libelle()),
            format!(
                "demandé {} ; décidé {}",
                fr::euros(f.demande_centimes),
                fr::euros(f.decide_centimes)
            ),
        ));
    }
    b.push(Bloc::Intertitre("Actions".to_owned()));
    for a in &r.actions {
        b.push(Bloc::Paragraphe(format!(
            "{} ({}) — {} — échéance {} — {}",
            a.libelle,
            a.origine.libelle(),
            a.porteur,
            fr::date(a.echeance),
            a.statut_libelle
        )));
    }
    b.push(Bloc::Intertitre("Couverture de l'offre".to_owned()));
    for c in &r.couverture {
        b.push(Bloc::Ligne(
            c.dispositif.libelle().to_owned(),
            format!(
                "{} lieu(x) ; {} commune(s) sur {} sans lieu à {} km",
                c.lieux,
                c.communes_sans_offre,
                c.communes,
                fr::nombre(c.rayon_km)
            ),
        ));
    }
    document(&format!("Rapport annuel {}", r.annee), &b)
}
