//! The coordination's forms read into the domain's entries: a body of `name=value` pairs (some
//! names repeated, as ticked boxes are), every field checked, every error on its field.

use domain::coordination::{
    FormeInstance, GroupeDeTravail, LienPoint, Niveau, PointOrdreDuJour, SaisieAction,
    SaisieCompteRendu, SaisieInstance, SaisieMembre, SaisieSeance, Schema,
};
use domain::identifiants::DossierId;
use time::{Date, PrimitiveDateTime, Time};

use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;

/// A form's body as its pairs, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Paires(Vec<(String, String)>);

impl Paires {
    pub(crate) fn lire(corps: &[u8]) -> Result<Paires, ErreurWeb> {
        serde_urlencoded::from_bytes(corps)
            .map(Paires)
            .map_err(|e| ErreurWeb::Refus(format!("formulaire illisible : {e}")))
    }

    /// The first value of `nom`, empty when absent.
    pub(crate) fn valeur(&self, nom: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == nom)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `nom`.
    pub(crate) fn valeurs(&self, nom: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == nom)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub(crate) fn coche(&self, nom: &str) -> bool {
        !self.valeur(nom).is_empty()
    }
}

fn lire_date(x: &mut Erreurs, champ: &str, libelle: &str, texte: &str) -> Option<Date> {
    let t = texte.trim();
    if t.is_empty() {
        x.ajouter(champ, format!("{libelle} : à compléter"));
        return None;
    }
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let fr = time::macros::format_description!("[day]/[month]/[year]");
    match Date::parse(t, iso).or_else(|_| Date::parse(t, fr)) {
        Ok(d) => Some(d),
        Err(_) => {
            x.ajouter(
                champ,
                format!("{libelle} : « {t} » n'est pas une date (JJ/MM/AAAA)"),
            );
            None
        }
    }
}

/// The instance's configuration form.
pub(crate) fn saisie_instance(p: &Paires) -> Result<SaisieInstance, Erreurs> {
    let mut x = Erreurs::default();
    let forme = FormeInstance::depuis_code(p.valeur("forme"));
    if forme.is_none() {
        x.ajouter("forme", "Forme de l'instance : choisissez-en une");
    }
    let mut groupes = Vec::new();
    for (champ, territorial) in [
        ("groupes_thematiques", false),
        ("groupes_territoriaux", true),
    ] {
        for nom in p
            .valeur(champ)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            groupes.push(GroupeDeTravail {
                nom: nom.to_owned(),
                territorial,
            });
        }
    }
    let schema =
        if p.valeur("schema_debut").trim().is_empty() && p.valeur("schema_fin").trim().is_empty() {
            None
        } else {
            let debut = lire_date(
                &mut x,
                "schema_debut",
                "Début du schéma",
                p.valeur("schema_debut"),
            );
            let fin = lire_date(
                &mut x,
                "schema_fin",
                "Fin du schéma",
                p.valeur("schema_fin"),
            );
            debut.zip(fin).map(|(debut, fin)| Schema { debut, fin })
        };
    match forme {
        Some(forme) if x.est_vide() => Ok(SaisieInstance {
            forme,
            secretariat: p.valeur("secretariat").trim().to_owned(),
            groupes,
            schema,
        }),
        _ => Err(x),
    }
}

/// The member form.
pub(crate) fn saisie_membre(p: &Paires) -> SaisieMembre {
    SaisieMembre {
        organisation: p.valeur("organisation").to_owned(),
        personne: p.valeur("personne").to_owned(),
        email: p.valeur("email").to_owned(),
        role: p.valeur("role").to_owned(),
        mandat_debut: p.valeur("mandat_debut").to_owned(),
        mandat_fin: p.valeur("mandat_fin").to_owned(),
        niveaux: p.valeurs("niveaux").join(","),
        groupes: p.valeurs("groupes").join(","),
    }
}

/// The séance form: its level, its date and hour in Paris time, its place and its agenda (free
/// lines, the dossiers ticked, the diagnosis).
pub(crate) fn saisie_seance(p: &Paires) -> Result<SaisieSeance, Erreurs> {
    let mut x = Erreurs::default();
    let niveau = Niveau::depuis_code(p.valeur("niveau"));
    if niveau.is_none() {
        x.ajouter("niveau", "Niveau : choisissez le niveau convoqué");
    }
    let date = lire_date(&mut x, "date", "Date", p.valeur("date"));
    let heure = {
        let t = p.valeur("heure").trim();
        let format = time::macros::format_description!("[hour]:[minute]");
        match Time::parse(t, format) {
            Ok(h) => Some(h),
            Err(_) => {
                x.ajouter("heure", "Heure : au format HH:MM, par exemple 14:00");
                None
            }
        }
    };
    let duree = match p.valeur("duree_minutes").trim().parse::<u32>() {
        Ok(d) => Some(d),
        Err(_) => {
            x.ajouter(
                "duree_minutes",
                "Durée : un nombre de minutes, par exemple 120",
            );
            None
        }
    };
    let mut ordre_du_jour: Vec<PointOrdreDuJour> = Vec::new();
    for d in p.valeurs("dossiers") {
        match d.parse::<i64>() {
            Ok(n) => ordre_du_jour.push(PointOrdreDuJour {
                titre: format!("Examen du dossier n° {n}"),
                lien: Some(LienPoint::Dossier {
                    dossier: DossierId(n),
                }),
            }),
            Err(_) => x.ajouter("ordre_du_jour", "Dossier inconnu dans l'ordre du jour"),
        }
    }
    if p.coche("diagnostic") {
        ordre_du_jour.push(PointOrdreDuJour {
            titre: "Diagnostic partagé et couverture de l'offre".to_owned(),
            lien: Some(LienPoint::Diagnostic),
        });
    }
    for ligne in p
        .valeur("ordre_du_jour")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        ordre_du_jour.push(PointOrdreDuJour {
            titre: ligne.to_owned(),
            lien: None,
        });
    }
    match (niveau, date, heure, duree) {
        (Some(niveau), Some(date), Some(heure), Some(duree_minutes)) if x.est_vide() => {
            let groupe = Some(p.valeur("groupe").trim())
                .filter(|g| !g.is_empty())
                .map(str::to_owned);
            Ok(SaisieSeance {
                niveau,
                groupe,
                titre: p.valeur("titre").to_owned(),
                debut: crate::fr::depuis_heure_de_paris(PrimitiveDateTime::new(date, heure)),
                duree_minutes,
                lieu: p.valeur("lieu").to_owned(),
                ordre_du_jour,
            })
        }
        _ => Err(x),
    }
}

/// The minutes form: the text, one decision per line, one action per line as « libellé ;
/// porteur ; échéance (JJ/MM/AAAA) ».
pub(crate) fn saisie_compte_rendu(p: &Paires) -> Result<SaisieCompteRendu, Erreurs> {
    let mut x = Erreurs::default();
    let decisions = p
        .valeur("decisions")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let mut actions = Vec::new();
    for (i, ligne) in p
        .valeur("actions")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let parts: Vec<&str> = ligne.split(';').map(str::trim).collect();
        if parts.len() != 3 {
            x.ajouter(
                "actions",
                format!(
                    "Actions, ligne {} : écrivez « libellé ; porteur ; échéance (JJ/MM/AAAA) »",
                    i + 1
                ),
            );
            continue;
        }
        let echeance = lire_date(
            &mut x,
            "actions",
            &format!("Actions, ligne {}, échéance", i + 1),
            parts[2],
        );
        actions.push(SaisieAction {
            libelle: parts[0].to_owned(),
            porteur: parts[1].to_owned(),
            echeance,
        });
    }
    if !x.est_vide() {
        return Err(x);
    }
    Ok(SaisieCompteRendu {
        texte: p.valeur("texte").to_owned(),
        decisions,
        actions,
    })
}

/// The minutes form filled back from recorded minutes.
pub(crate) fn actions_en_lignes(actions: &[domain::coordination::ActionSuivie]) -> String {
    actions
        .iter()
        .map(|a| {
            format!(
                "{} ; {} ; {}",
                a.libelle,
                a.porteur,
                crate::fr::date(a.echeance)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
