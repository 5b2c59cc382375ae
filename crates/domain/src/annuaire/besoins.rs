//! What a parent needs, in plain words, and the services that answer it: each need is a set of
//! schemes, kinds of service and publics, as data ([`BESOINS`]); a service answers a need when
//! its scheme, its kind or one of its publics is in the need's sets.
//!
//! The needs follow the situations the texts name: « Réunion Référents de Réseaux – 07 février
//! 2019, Document de travail : focus sur la COG 2018 – 2022 », Axe 1, fiche thématique 4: priority to « des événements pouvant fragiliser la vie familiale : l'arrivée
//! de l'enfant, l'adolescence et la séparation »; and the national strategy « Dessine-moi un
//! parent » it quotes: « accompagner les parents à chaque âge de la vie de leurs enfants »,
//! « améliorer les relations entre les familles et l'école », « accompagner les conflits pour
//! faciliter la préservation des liens familiaux » and « favoriser l'entraide entre parents ».
//! The schemes' purposes are those of the Lettre circulaire Cnaf 2012-093 (§33-34). The table and
//! its interpretations are written out in `docs/annuaire-recherche.md`.

use crate::appel_a_projets::Dispositif;

use super::service::{Public, Service, TypeService};

/// A need a parent can tick in the search form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Besoin {
    ParlerAUnProfessionnel,
    RencontrerDAutresParents,
    ConflitOuSeparation,
    LieuNeutre,
    Scolarite,
    EnfantDeMoinsDe6Ans,
    Adolescent,
    AttendreUnEnfant,
    EtreInformeOriente,
    Parrainage,
}

/// What a need covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefinitionBesoin {
    pub besoin: Besoin,
    /// Its code in addresses (`besoin=separation`).
    pub code: &'static str,
    /// As the form says it, completing « J'ai besoin de… » / « Je cherche… ».
    pub libelle: &'static str,
    pub dispositifs: &'static [Dispositif],
    pub types: &'static [TypeService],
    pub publics: &'static [Public],
}

/// Every need, in the order of the form.
///
/// **Interpretations** (see `docs/annuaire-recherche.md`): a service for « tous les parents »
/// answers the needs defined by the child's age, since it receives those parents too; a
/// médiation familiale answers « parler seul·e à un professionnel » only through its kind
/// (individual support), not through its scheme, because it usually meets both parents.
pub const BESOINS: [DefinitionBesoin; 10] = [
    DefinitionBesoin {
        besoin: Besoin::ParlerAUnProfessionnel,
        code: "parler",
        libelle: "parler seul·e à un professionnel",
        dispositifs: &[Dispositif::Aip],
        types: &[TypeService::Accompagnement],
        publics: &[],
    },
    DefinitionBesoin {
        besoin: Besoin::RencontrerDAutresParents,
        code: "rencontrer",
        libelle: "rencontrer d’autres parents",
        dispositifs: &[Dispositif::Reaap, Dispositif::Laep],
        types: &[TypeService::Atelier],
        publics: &[],
    },
    DefinitionBesoin {
        besoin: Besoin::ConflitOuSeparation,
        code: "separation",
        libelle: "un conflit familial ou une séparation",
        dispositifs: &[Dispositif::MediationFamiliale, Dispositif::EspaceRencontre],
        types: &[TypeService::Mediation],
        publics: &[Public::ParentsSepares],
    },
    DefinitionBesoin {
        besoin: Besoin::LieuNeutre,
        code: "lieu_neutre",
        libelle: "voir mon enfant dans un lieu neutre",
        dispositifs: &[Dispositif::EspaceRencontre],
        types: &[],
        publics: &[],
    },
    DefinitionBesoin {
        besoin: Besoin::Scolarite,
        code: "scolarite",
        libelle: "de l’aide pour la scolarité de mon enfant",
        dispositifs: &[Dispositif::Clas],
        types: &[],
        publics: &[],
    },
    DefinitionBesoin {
        besoin: Besoin::EnfantDeMoinsDe6Ans,
        code: "moins_de_6_ans",
        libelle: "un lieu pour mon enfant de moins de 6 ans et moi",
        dispositifs: &[Dispositif::Laep],
        types: &[],
        publics: &[
            Public::ParentsEnfants0a3,
            Public::ParentsEnfants3a6,
            Public::Parents,
        ],
    },
    DefinitionBesoin {
        besoin: Besoin::Adolescent,
        code: "adolescent",
        libelle: "des questions sur mon adolescent",
        dispositifs: &[],
        types: &[],
        publics: &[Public::ParentsEnfants11a18, Public::Parents],
    },
    DefinitionBesoin {
        besoin: Besoin::AttendreUnEnfant,
        code: "naissance",
        libelle: "j’attends un enfant ou il vient de naître",
        dispositifs: &[],
        types: &[],
        publics: &[Public::FutursParents, Public::ParentsEnfants0a3],
    },
    DefinitionBesoin {
        besoin: Besoin::EtreInformeOriente,
        code: "information",
        libelle: "être informé·e et orienté·e",
        dispositifs: &[Dispositif::Pif],
        types: &[TypeService::Information],
        publics: &[],
    },
    DefinitionBesoin {
        besoin: Besoin::Parrainage,
        code: "parrainage",
        libelle: "un parrain ou une marraine pour mon enfant",
        dispositifs: &[Dispositif::ParrainageDeProximite],
        types: &[],
        publics: &[],
    },
];

impl Besoin {
    pub fn definition(self) -> &'static DefinitionBesoin {
        let i = BESOINS
            .iter()
            .position(|d| d.besoin == self)
            .unwrap_or_default();
        &BESOINS[i]
    }

    pub fn code(self) -> &'static str {
        self.definition().code
    }

    pub fn libelle(self) -> &'static str {
        self.definition().libelle
    }

    pub fn depuis_code(code: &str) -> Option<Besoin> {
        BESOINS
            .iter()
            .find(|d| d.code == code.trim())
            .map(|d| d.besoin)
    }

    /// Whether `service` answers this need.
    pub fn repond(self, service: &Service) -> bool {
        let d = self.definition();
        d.dispositifs.contains(&service.dispositif)
            || d.types.contains(&service.type_service)
            || service.publics.iter().any(|p| d.publics.contains(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acces::Acteur;
    use crate::annuaire::{SaisieLieuService, SaisieService};
    use crate::identifiants::{GestionnaireId, ServiceId, UtilisateurId};
    use crate::territoire::Communes;

    fn service(dispositif: &str, type_service: &str, publics: &[&str]) -> Service {
        let saisie = SaisieService {
            dispositif: dispositif.into(),
            type_service: type_service.into(),
            nom: "Service".into(),
            description: "Pour les parents.".into(),
            publics: publics.iter().map(|p| (*p).to_owned()).collect(),
            modes: vec!["sur_place".into()],
            frais: "gratuit".into(),
            telephone: "04 76 00 00 00".into(),
            lieux: vec![SaisieLieuService {
                voie: "1 place de la Mairie".into(),
                code_postal: "38000".into(),
                commune: "38185".into(),
                horaires: "Mo-Fr 09:00-12:00".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let communes = Communes::embarquees().unwrap();
        let description = saisie.valider(&communes).unwrap();
        let g = GestionnaireId(1);
        Service::creer(
            &Acteur::gestionnaire(UtilisateurId(1), [g]),
            ServiceId(1),
            g,
            description,
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap()
        .apres
    }

    fn besoins(s: &Service) -> Vec<&'static str> {
        BESOINS
            .iter()
            .filter(|d| d.besoin.repond(s))
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn codes_uniques_et_relus() {
        for d in &BESOINS {
            assert_eq!(Besoin::depuis_code(d.code), Some(d.besoin));
            assert_eq!(d.besoin.definition(), d);
        }
        assert_eq!(Besoin::depuis_code("inconnu"), None);
    }

    #[test]
    fn chaque_service_repond_aux_besoins_de_la_table() {
        let mediation = service("mediation_familiale", "mediation", &["parents_separes"]);
        assert_eq!(besoins(&mediation), ["separation"]);
        let espace = service("espace_rencontre", "mediation", &["parents_separes"]);
        assert_eq!(besoins(&espace), ["separation", "lieu_neutre"]);
        let laep = service("laep", "accueil", &["parents_enfants_0_3"]);
        assert_eq!(
            besoins(&laep),
            ["rencontrer", "moins_de_6_ans", "naissance"]
        );
        let clas = service("clas", "accompagnement", &["parents_enfants_6_11"]);
        assert_eq!(besoins(&clas), ["parler", "scolarite"]);
        // A service for every parent answers the needs defined by the child's age.
        let groupe = service("reaap", "atelier", &["parents"]);
        assert_eq!(
            besoins(&groupe),
            ["rencontrer", "moins_de_6_ans", "adolescent"]
        );
        let aip = service("aip", "accompagnement", &["parents_enfants_11_18"]);
        assert_eq!(besoins(&aip), ["parler", "adolescent"]);
        let pif = service("pif", "information", &["futurs_parents"]);
        assert_eq!(besoins(&pif), ["naissance", "information"]);
    }
}
