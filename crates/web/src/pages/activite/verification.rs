//! The checks of one session entry: the form's own (a date, a number of minutes, a choice in
//! each required list) and the rules that need no database, all collected at once, each error on
//! its field and named by the field's label, in the order of the form.

use activite::nomenclature::Modalite;
use activite::{
    ErreurActivite, Etape, IdentifiantFamille, Mode, Orientation, Presence, SaisieEntretien, Sujet,
};
use domain::identifiants::{GestionnaireId, IntervenantId, LieuId};
use time::Date;

use super::saisie::ValeursEntretien;
use crate::formulaire::Erreurs;

/// The fields of the form in the order they are shown: the summary lists errors in this order.
const ORDRE: [&str; 12] = [
    "identifiant_famille",
    "date",
    "duree_minutes",
    "etape",
    "mode",
    "presence",
    "sujets",
    "orientations",
    "intervenant",
    "lieu",
    "motif_exception",
    "reference",
];

/// A field's label, as the messages name it.
fn libelle_champ(champ: &str) -> &'static str {
    match champ {
        "identifiant_famille" => "Identifiant de la famille",
        "date" => "Date de l'entretien",
        "duree_minutes" => "Durée",
        "motif_exception" => "Motif",
        "reference" => "Référence",
        "intervenant" => "Intervenant",
        "lieu" => "Lieu d'accueil",
        "etape" => "Étape",
        "mode" => "Modalité",
        "presence" => "Personnes présentes",
        _ => "Entretien",
    }
}

/// An error's message, with the field's technical name replaced by its label.
pub(super) fn message_de(x: &ErreurActivite) -> String {
    match x {
        ErreurActivite::Champ { champ, raison } => format!("{} : {raison}", libelle_champ(champ)),
        ErreurActivite::MotifExceptionRequis { .. } => {
            let t = x.to_string();
            let reste = t.split_once(" : ").map_or(t.as_str(), |(_, r)| r);
            format!("{} : {reste}", libelle_champ("motif_exception"))
        }
        x => x.to_string(),
    }
}

/// The form field an error of the use case is about.
pub(super) fn champ_de(x: &ErreurActivite) -> Option<&'static str> {
    match x {
        ErreurActivite::Champ { champ, .. } => Some(champ),
        ErreurActivite::MotifExceptionRequis { .. } => Some("motif_exception"),
        _ => None,
    }
}

/// One choice of a list (step, mode, attendance): required.
fn choix<T: Modalite>(
    texte: &str,
    nom: &str,
    manque: &str,
    erreurs: &mut Vec<(&'static str, String)>,
) -> Option<T> {
    let champ = ORDRE.iter().copied().find(|c| *c == nom).unwrap_or("");
    if texte.trim().is_empty() {
        erreurs.push((champ, format!("{} : {manque}", libelle_champ(nom))));
        return None;
    }
    let v = T::depuis_texte(texte);
    if v.is_none() {
        erreurs.push((
            champ,
            format!(
                "{} : choisissez une des valeurs proposées",
                libelle_champ(nom)
            ),
        ));
    }
    v
}

/// An optional choice in a list of records (intervenant, place).
fn identifiant(
    texte: &str,
    nom: &'static str,
    erreurs: &mut Vec<(&'static str, String)>,
) -> Option<i64> {
    let t = texte.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<i64>().ok().or_else(|| {
        erreurs.push((
            nom,
            format!("{} : choisissez dans la liste", libelle_champ(nom)),
        ));
        None
    })
}

/// Reads the form of `structure` entered on `aujourd_hui`: the session, or every error of the
/// submission, in the order of the fields.
pub(super) fn lire_saisie(
    v: &ValeursEntretien,
    structure: GestionnaireId,
    aujourd_hui: Date,
) -> Result<SaisieEntretien, Erreurs> {
    let mut erreurs: Vec<(&'static str, String)> = Vec::new();
    let famille = IdentifiantFamille::new(v.identifiant_famille.trim())
        .map_err(|x| erreurs.push(("identifiant_famille", message_de(&x))))
        .ok();
    let date = activite::dates::lire_date(v.date.trim());
    if date.is_none() {
        erreurs.push((
            "date",
            if v.date.trim().is_empty() {
                "Date de l'entretien : indiquez-la au format JJ/MM/AAAA".into()
            } else {
                "Date de l'entretien : date invalide, attendue au format JJ/MM/AAAA".into()
            },
        ));
    }
    let duree = v.duree_minutes.trim().parse::<i64>().ok();
    if duree.is_none() {
        erreurs.push((
            "duree_minutes",
            "Durée : indiquez un nombre entier de minutes, par exemple 60".into(),
        ));
    }
    let etape = choix::<Etape>(
        &v.etape,
        "etape",
        "choisissez l'étape de l'entretien",
        &mut erreurs,
    );
    let mode = choix::<Mode>(
        &v.mode,
        "mode",
        "choisissez comment l'entretien s'est tenu",
        &mut erreurs,
    );
    let presence = choix::<Presence>(
        &v.presence,
        "presence",
        "choisissez qui était présent",
        &mut erreurs,
    );
    let intervenant = identifiant(&v.intervenant, "intervenant", &mut erreurs).map(IntervenantId);
    let lieu = identifiant(&v.lieu, "lieu", &mut erreurs).map(LieuId);
    let motif = Some(v.motif_exception.trim().to_owned()).filter(|t| !t.is_empty());
    let reference = Some(v.reference.trim().to_owned()).filter(|t| !t.is_empty());
    // The rules that need no database, on the values that could be read: a value that could not
    // be read is replaced by one that passes, its own error being already reported.
    let mut problemes = Vec::new();
    activite::verifier_champs(
        date.unwrap_or(aujourd_hui),
        aujourd_hui,
        duree.unwrap_or(60),
        motif.as_deref(),
        reference.as_deref(),
        famille.as_ref(),
        &mut problemes,
    );
    for p in problemes {
        let champ = ORDRE.iter().copied().find(|c| *c == p.champ).unwrap_or("");
        erreurs.push((champ, format!("{} : {}", libelle_champ(p.champ), p.raison)));
    }
    match (famille, date, duree, etape, mode, presence) {
        (
            Some(famille),
            Some(date),
            Some(duree_minutes),
            Some(etape),
            Some(mode),
            Some(presence),
        ) if erreurs.is_empty() => Ok(SaisieEntretien {
            gestionnaire: structure,
            famille,
            date,
            duree_minutes,
            etape,
            mode,
            presence,
            sujets: v
                .sujets
                .iter()
                .filter_map(|c| Sujet::depuis_texte(c))
                .collect(),
            orientations: v
                .orientations
                .iter()
                .filter_map(|c| Orientation::depuis_texte(c))
                .collect(),
            intervenant,
            lieu,
            motif_exception: motif,
            reference,
        }),
        _ => {
            erreurs.sort_by_key(|(champ, _)| ORDRE.iter().position(|c| c == champ));
            let mut x = Erreurs::default();
            for (champ, message) in erreurs {
                x.ajouter(champ, message);
            }
            Err(x)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aujourd_hui() -> Date {
        Date::from_calendar_date(2025, time::Month::June, 20).unwrap_or(Date::MIN)
    }

    #[test]
    fn chaque_erreur_d_une_saisie_est_rapportee_sur_son_champ_dans_l_ordre_du_formulaire() {
        let v = ValeursEntretien {
            identifiant_famille: "F-1".into(),
            date: "31/02/2025".into(),
            duree_minutes: "0".into(),
            reference: "r".repeat(200),
            ..ValeursEntretien::default()
        };
        let Err(x) = lire_saisie(&v, GestionnaireId(1), aujourd_hui()) else {
            panic!("saisie acceptée");
        };
        for champ in [
            "date",
            "duree_minutes",
            "etape",
            "mode",
            "presence",
            "reference",
        ] {
            assert!(x.de(champ).is_some(), "{champ} sans erreur");
        }
        assert!(x.de("identifiant_famille").is_none());
        let resume = x.resume().into_string();
        let positions: Vec<usize> = [
            "#date",
            "#duree_minutes",
            "#etape",
            "#mode",
            "#presence",
            "#reference",
        ]
        .iter()
        .map(|a| resume.find(a).unwrap_or(usize::MAX))
        .collect();
        assert!(positions.windows(2).all(|p| p[0] < p[1]), "{resume}");
        assert!(!resume.contains("duree_minutes :"), "aucun nom technique");
    }

    #[test]
    fn une_saisie_complete_passe() {
        let v = ValeursEntretien {
            identifiant_famille: "F-1".into(),
            date: "12/06/2025".into(),
            duree_minutes: "60".into(),
            etape: "premier_contact".into(),
            mode: "presentiel".into(),
            presence: "un_parent".into(),
            sujets: ["scolarite".to_owned()].into(),
            ..ValeursEntretien::default()
        };
        let s = lire_saisie(&v, GestionnaireId(1), aujourd_hui());
        assert!(s.is_ok_and(|s| s.sujets.len() == 1 && s.duree_minutes == 60));
    }
}
