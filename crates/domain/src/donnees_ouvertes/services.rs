//! A published service of the directory as a service of the data·inclusion schema v1: what the
//! public sees of it (its published version), field by field (the table is in
//! `docs/donnees-ouvertes.md`).
//!
//! One record per service: the schema has one address per service, so the first place gives
//! the address, coordinates and opening hours; the others are listed in the description and
//! their communes are in the eligibility area.

use crate::annuaire::{Frais, Mode, Public, Service, TypeService};
use crate::identifiants::ServiceId;

use super::dispositifs::correspondance;
use super::schema::{
    self as di, ModeAccueil, ModeMobilisation, PersonneMobilisatrice, ServiceDataInclusion,
    Thematique,
};
use super::{Contexte, SOURCE, id_structure_de, nom, texte};

/// The longest description the schema accepts.
const DESCRIPTION_MAX: usize = 10_000;

/// The schema's id of a service.
pub fn id_service(id: ServiceId) -> String {
    format!("{SOURCE}--service-{}", id.0)
}

/// The public page of a service on the platform.
pub fn lien_service(contexte: &Contexte<'_>, id: ServiceId) -> String {
    format!(
        "{}/annuaire/services/{}",
        contexte.adresse_publique.trim_end_matches('/'),
        id.0
    )
}

/// Our kind of service in the schema's types (which know no « accueil » nor « médiation »: a
/// place parents come to with their children is a group activity, a médiation an individual
/// support).
pub fn type_service(t: TypeService) -> di::TypeService {
    match t {
        TypeService::Accueil | TypeService::Atelier => di::TypeService::Atelier,
        TypeService::Accompagnement | TypeService::Mediation => di::TypeService::Accompagnement,
        TypeService::Information => di::TypeService::Information,
    }
}

/// The themes: the scheme's ([`super::dispositifs`]), and surmonter les conflits for a
/// médiation or a service for separated parents, whatever its scheme.
pub fn thematiques(service: &Service) -> Vec<Thematique> {
    let mut themes: Vec<Thematique> = correspondance(service.dispositif).thematiques.to_vec();
    let conflits = service.type_service == TypeService::Mediation
        || service.publics.contains(&Public::ParentsSepares);
    if conflits && !themes.contains(&Thematique::SurmonterConflitsSeparationViolence) {
        themes.push(Thematique::SurmonterConflitsSeparationViolence);
    }
    themes
}

/// A French telephone number in the E.164 form the schema prefers (`04 76 12 34 56` →
/// `+33476123456`); any other form as typed.
pub fn telephone_e164(telephone: &str) -> Option<String> {
    let chiffres: String = telephone
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}' | '\u{202f}'))
        .collect();
    if chiffres.is_empty() {
        return None;
    }
    let tous_chiffres = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if chiffres.len() == 10 && chiffres.starts_with('0') && tous_chiffres(&chiffres) {
        return Some(format!("+33{}", &chiffres[1..]));
    }
    if let Some(reste) = chiffres.strip_prefix('+')
        && tous_chiffres(reste)
    {
        return Some(chiffres);
    }
    texte(telephone)
}

/// The words of a shared mailbox (`contact@`, `accueil.laep@`…). An address without one may be
/// a person's (`prenom.nom@`): it stays on the service's page, where its gestionnaire put it
/// for parents, but is not copied into the open data, which must name no one.
const BOITES_COMMUNES: [&str; 24] = [
    "contact",
    "accueil",
    "info",
    "secretariat",
    "direction",
    "mediation",
    "laep",
    "parentalite",
    "famille",
    "reaap",
    "clas",
    "aip",
    "pif",
    "parrainage",
    "espace",
    "rencontre",
    "service",
    "rdv",
    "rendezvous",
    "association",
    "asso",
    "centre",
    "mairie",
    "ccas",
];

/// The e-mail address if it is a shared mailbox (see [`BOITES_COMMUNES`]).
pub fn courriel_publiable(courriel: &str) -> Option<String> {
    let (locale, _) = courriel.split_once('@')?;
    let locale = locale.to_lowercase();
    BOITES_COMMUNES
        .iter()
        .any(|mot| locale.contains(mot))
        .then(|| courriel.to_owned())
}

fn libelle_frais(frais: Frais) -> Option<&'static str> {
    match frais {
        Frais::ModuleSelonRevenus => Some("Participation selon les revenus"),
        Frais::Gratuit | Frais::Payant => None,
    }
}

/// The description, completed with what the schema has no field for: the other places and the
/// accessibility.
fn description(service: &Service) -> String {
    let mut paragraphes: Vec<String> = texte(&service.description).into_iter().collect();
    let autres: Vec<String> = service
        .lieux
        .iter()
        .skip(1)
        .map(|l| {
            let mut parties = Vec::new();
            if let Some(n) = l.nom.as_deref().and_then(texte) {
                parties.push(n);
            }
            parties.push(format!(
                "{} {}",
                texte(&l.adresse.voie).unwrap_or_default(),
                l.adresse.code_postal.trim()
            ));
            format!(
                "{} (horaires : {})",
                parties.join(", "),
                l.horaires.as_str()
            )
        })
        .collect();
    if !autres.is_empty() {
        paragraphes.push(format!("Autres lieux d’accueil : {}.", autres.join(" ; ")));
    }
    let a = &service.accessibilite;
    let mut acces = Vec::new();
    if a.fauteuil_roulant {
        acces.push("accessible en fauteuil roulant".to_owned());
    }
    if a.boucle_magnetique {
        acces.push("boucle magnétique".to_owned());
    }
    if let Some(p) = a.precision.as_deref().and_then(texte) {
        acces.push(p);
    }
    if !acces.is_empty() {
        paragraphes.push(format!("Accessibilité : {}.", acces.join(", ")));
    }
    let mut d = paragraphes.join("\n\n");
    if d.chars().count() < 5 {
        d = format!("Service « {} »", service.nom.trim());
    }
    if d.chars().count() > DESCRIPTION_MAX {
        d = d.chars().take(DESCRIPTION_MAX - 1).collect::<String>() + "…";
    }
    d
}

fn publics_precisions(service: &Service) -> Option<String> {
    let libelles: Vec<&str> = service.publics.iter().map(|p| p.libelle()).collect();
    let phrase = libelles.join(", ");
    let mut lettres = phrase.chars();
    let premiere = lettres.next()?;
    Some(premiere.to_uppercase().collect::<String>() + lettres.as_str())
}

/// The published version of a service (see `Service::version_publique`) in the schema.
pub fn service(service: &Service, contexte: &Contexte<'_>) -> ServiceDataInclusion {
    let premier = service.lieux.first();
    let contacts = &service.contacts;
    let courriel = contacts
        .courriel
        .as_ref()
        .and_then(|c| courriel_publiable(c.as_str()));
    let telephone = contacts.telephone.as_deref().and_then(telephone_e164);
    let lien = contacts
        .lien
        .as_deref()
        .and_then(texte)
        .filter(|l| l.starts_with("https://") || l.starts_with("http://"));
    let mut modes_mobilisation = Vec::new();
    if contacts.sans_rendez_vous {
        modes_mobilisation.push(ModeMobilisation::SePresenter);
    }
    if telephone.is_some() {
        modes_mobilisation.push(ModeMobilisation::Telephoner);
    }
    if courriel.is_some() {
        modes_mobilisation.push(ModeMobilisation::EnvoyerUnCourriel);
    }
    if lien.is_some() {
        modes_mobilisation.push(ModeMobilisation::UtiliserLienMobilisation);
    }
    let modes_accueil: Vec<ModeAccueil> = service
        .modes
        .iter()
        .map(|m| match m {
            Mode::SurPlace => ModeAccueil::EnPresentiel,
            Mode::ADistance => ModeAccueil::ADistance,
        })
        .collect();
    let zone: Vec<String> = service
        .communes_desservies()
        .into_iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let frais = &service.tarification;
    let frais_precisions = match (
        libelle_frais(frais.frais),
        frais.precision.as_deref().and_then(texte),
    ) {
        (Some(l), Some(p)) => Some(format!("{l} : {p}")),
        (Some(l), None) => Some(l.to_owned()),
        (None, p) => p,
    };
    ServiceDataInclusion {
        source: SOURCE.to_owned(),
        structure_id: id_structure_de(service.gestionnaire),
        id: id_service(service.id),
        nom: nom(&service.nom, "Service"),
        description: description(service),
        lien_source: Some(lien_service(contexte, service.id)),
        date_maj: service.mis_a_jour_le.date(),
        type_service: Some(type_service(service.type_service)),
        thematiques: Some(thematiques(service)),
        frais: Some(match frais.frais {
            Frais::Gratuit => di::Frais::Gratuit,
            Frais::Payant | Frais::ModuleSelonRevenus => di::Frais::Payant,
        }),
        frais_precisions,
        // Every public of the directory is a family one (parents, future parents,
        // grandparents): the details say which.
        publics: Some(vec![di::Public::Familles]),
        publics_precisions: publics_precisions(service),
        conditions_acces: None,
        commune: premier.and_then(|l| {
            contexte
                .communes
                .get(l.adresse.commune)
                .map(|c| c.nom.clone())
        }),
        code_postal: premier.map(|l| l.adresse.code_postal.trim().to_owned()),
        code_insee: premier.map(|l| l.adresse.commune.as_str().to_owned()),
        adresse: premier.and_then(|l| texte(&l.adresse.voie)),
        complement_adresse: premier.and_then(|l| {
            let parties: Vec<String> = [l.nom.as_deref(), l.adresse.complement.as_deref()]
                .into_iter()
                .flatten()
                .filter_map(texte)
                .collect();
            (!parties.is_empty()).then(|| parties.join(", "))
        }),
        longitude: premier.map(|l| l.position.longitude),
        latitude: premier.map(|l| l.position.latitude),
        telephone,
        courriel,
        modes_accueil: (!modes_accueil.is_empty()).then_some(modes_accueil),
        zone_eligibilite: (!zone.is_empty()).then_some(zone),
        contact_nom_prenom: None,
        lien_mobilisation: lien,
        mobilisation_precisions: contacts
            .sans_rendez_vous
            .then(|| "Sans rendez-vous, aux horaires d’accueil".to_owned()),
        modes_mobilisation: (!modes_mobilisation.is_empty()).then_some(modes_mobilisation),
        mobilisable_par: Some(vec![PersonneMobilisatrice::Usagers]),
        volume_horaire_hebdomadaire: None,
        nombre_semaines: None,
        horaires_accueil: premier.map(|l| l.horaires.as_str().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annuaire::{EtatPublication, SaisieLieuService, SaisieService};
    use crate::identifiants::GestionnaireId;
    use crate::territoire::Communes;
    use time::macros::datetime;

    fn service(saisie: &SaisieService, communes: &Communes) -> Service {
        let d = saisie.valider(communes).unwrap_or_else(|e| panic!("{e}"));
        Service {
            id: ServiceId(12),
            gestionnaire: GestionnaireId(7),
            departement: d.departement,
            dispositif: d.dispositif,
            type_service: d.type_service,
            nom: d.nom,
            description: d.description,
            publics: d.publics,
            lieux: d.lieux,
            modes: d.modes,
            tarification: d.tarification,
            contacts: d.contacts,
            accessibilite: d.accessibilite,
            zone_eligibilite: d.zone_eligibilite,
            convention: d.convention,
            etat: EtatPublication::Publie,
            motif_refus: None,
            mis_a_jour_le: datetime!(2026-11-03 22:30 UTC),
            version_publiee: None,
        }
    }

    fn mediation() -> SaisieService {
        SaisieService {
            dispositif: "mediation_familiale".to_owned(),
            type_service: "mediation".to_owned(),
            nom: "Médiation familiale du Grésivaudan.".to_owned(),
            description: "Des rendez-vous pour renouer le dialogue.".to_owned(),
            publics: vec!["parents_separes".to_owned()],
            modes: vec!["sur_place".to_owned(), "a_distance".to_owned()],
            frais: "module_selon_revenus".to_owned(),
            precision_frais: "barème de la Cnaf".to_owned(),
            telephone: "04 76 12 34 56".to_owned(),
            courriel: "marie.dupont@exemple.fr".to_owned(),
            lien: "https://exemple.fr/rdv".to_owned(),
            sans_rendez_vous: true,
            fauteuil_roulant: true,
            zone_eligibilite: "38169".to_owned(),
            lieux: vec![
                SaisieLieuService {
                    nom: "Maison des familles".to_owned(),
                    voie: "12 rue des Alpes".to_owned(),
                    code_postal: "38000".to_owned(),
                    commune: "38185".to_owned(),
                    horaires: "Mo-Fr 09:00-12:00".to_owned(),
                    ..SaisieLieuService::default()
                },
                SaisieLieuService {
                    voie: "3 avenue Jean-Jaurès".to_owned(),
                    code_postal: "38130".to_owned(),
                    commune: "38151".to_owned(),
                    horaires: "Tu 14:00-18:00".to_owned(),
                    ..SaisieLieuService::default()
                },
            ],
            ..SaisieService::default()
        }
    }

    #[test]
    fn une_mediation_se_lit_dans_le_schema() {
        let communes = Communes::embarquees().unwrap_or_else(|e| panic!("{e}"));
        let contexte = Contexte {
            adresse_publique: "https://parentalite.example.fr/",
            communes: &communes,
        };
        let s = super::service(&service(&mediation(), &communes), &contexte);
        assert_eq!(s.id, "parentalite--service-12");
        assert_eq!(s.structure_id, "parentalite--structure-7");
        assert_eq!(s.nom, "Médiation familiale du Grésivaudan");
        assert_eq!(
            s.lien_source.as_deref(),
            Some("https://parentalite.example.fr/annuaire/services/12")
        );
        assert_eq!(s.date_maj, time::macros::date!(2026 - 11 - 03));
        assert_eq!(s.type_service, Some(di::TypeService::Accompagnement));
        assert_eq!(
            s.thematiques,
            Some(vec![
                Thematique::SoutienParentaliteEducation,
                Thematique::SurmonterConflitsSeparationViolence
            ])
        );
        assert_eq!(s.frais, Some(di::Frais::Payant));
        assert_eq!(
            s.frais_precisions.as_deref(),
            Some("Participation selon les revenus : barème de la Cnaf")
        );
        assert_eq!(s.publics, Some(vec![di::Public::Familles]));
        assert_eq!(
            s.publics_precisions.as_deref(),
            Some("Parents séparés ou en conflit")
        );
        assert_eq!(s.telephone.as_deref(), Some("+33476123456"));
        // A person's address is not copied.
        assert_eq!(s.courriel, None);
        assert_eq!(s.contact_nom_prenom, None);
        assert_eq!(
            s.modes_mobilisation,
            Some(vec![
                ModeMobilisation::SePresenter,
                ModeMobilisation::Telephoner,
                ModeMobilisation::UtiliserLienMobilisation
            ])
        );
        assert_eq!(
            s.modes_accueil,
            Some(vec![ModeAccueil::EnPresentiel, ModeAccueil::ADistance])
        );
        assert_eq!(s.code_insee.as_deref(), Some("38185"));
        assert_eq!(s.commune.as_deref(), Some("Grenoble"));
        assert_eq!(s.complement_adresse.as_deref(), Some("Maison des familles"));
        assert_eq!(s.horaires_accueil.as_deref(), Some("Mo-Fr 09:00-12:00"));
        assert_eq!(
            s.zone_eligibilite,
            Some(vec![
                "38151".to_owned(),
                "38169".to_owned(),
                "38185".to_owned()
            ])
        );
        assert!(
            s.description
                .contains("Autres lieux d’accueil : 3 avenue Jean-Jaurès 38130")
        );
        assert!(
            s.description
                .contains("Accessibilité : accessible en fauteuil roulant.")
        );
        assert!(s.latitude.is_some() && s.longitude.is_some());
    }

    #[test]
    fn seule_une_boite_commune_est_publiee() {
        assert_eq!(
            courriel_publiable("Contact@asso.fr").as_deref(),
            Some("Contact@asso.fr")
        );
        assert_eq!(
            courriel_publiable("accueil.laep@ville.fr").as_deref(),
            Some("accueil.laep@ville.fr")
        );
        assert_eq!(courriel_publiable("marie.dupont@asso.fr"), None);
        assert_eq!(courriel_publiable("jdupont@asso.fr"), None);
    }

    #[test]
    fn les_telephones_passent_en_e164() {
        assert_eq!(
            telephone_e164("04 76 12 34 56").as_deref(),
            Some("+33476123456")
        );
        assert_eq!(
            telephone_e164("04.76.12.34.56").as_deref(),
            Some("+33476123456")
        );
        assert_eq!(
            telephone_e164("+33 4 76 12 34 56").as_deref(),
            Some("+33476123456")
        );
        assert_eq!(telephone_e164("3919").as_deref(), Some("3919"));
        assert_eq!(telephone_e164("  "), None);
    }
}
