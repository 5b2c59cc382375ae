//! The service form read into the domain's entry: a body of `name=value` pairs (the ticked
//! publics and modes repeated), the places' slots numbered from 1.

use domain::annuaire::{CHAMPS_LIEUX, SaisieLieuService, SaisieService};
use domain::identifiants::{ConventionId, LieuId};

use crate::erreur::ErreurWeb;

/// A form's body as its pairs, in order.
#[derive(Debug, Clone, Default)]
pub(super) struct Paires(Vec<(String, String)>);

impl Paires {
    pub(super) fn lire(corps: &[u8]) -> Result<Paires, ErreurWeb> {
        serde_urlencoded::from_bytes(corps)
            .map(Paires)
            .map_err(|e| ErreurWeb::Refus(format!("formulaire illisible : {e}")))
    }

    /// The first value of `nom`, empty when absent.
    pub(super) fn valeur(&self, nom: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == nom)
            .map_or("", |(_, v)| v.as_str())
    }

    fn valeurs(&self, nom: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == nom)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn coche(&self, nom: &str) -> bool {
        !self.valeur(nom).is_empty()
    }
}

/// The hidden field carrying the registered place of slot `champs`.
pub(super) fn champ_lieu_enregistre(rang: usize) -> String {
    format!("lieux_{rang}_lieu")
}

/// The form's entry. The places' slots are read in order; the domain ignores the blank ones.
pub(super) fn saisie_service(p: &Paires) -> SaisieService {
    let lieux = CHAMPS_LIEUX
        .iter()
        .enumerate()
        .map(|(i, c)| SaisieLieuService {
            nom: p.valeur(c.nom).to_owned(),
            voie: p.valeur(c.voie).to_owned(),
            complement: p.valeur(c.complement).to_owned(),
            code_postal: p.valeur(c.code_postal).to_owned(),
            commune: p.valeur(c.commune).to_owned(),
            horaires: p.valeur(c.horaires).to_owned(),
            latitude: p.valeur(c.latitude).to_owned(),
            longitude: p.valeur(c.longitude).to_owned(),
            lieu: p
                .valeur(&champ_lieu_enregistre(i + 1))
                .trim()
                .parse()
                .ok()
                .map(LieuId),
        })
        .collect();
    SaisieService {
        dispositif: p.valeur("dispositif").to_owned(),
        type_service: p.valeur("type_service").to_owned(),
        nom: p.valeur("nom").to_owned(),
        description: p.valeur("description").to_owned(),
        publics: p.valeurs("publics"),
        modes: p.valeurs("modes"),
        frais: p.valeur("frais").to_owned(),
        precision_frais: p.valeur("precision_frais").to_owned(),
        telephone: p.valeur("telephone").to_owned(),
        courriel: p.valeur("courriel").to_owned(),
        lien: p.valeur("lien").to_owned(),
        sans_rendez_vous: p.coche("sans_rendez_vous"),
        fauteuil_roulant: p.coche("fauteuil_roulant"),
        boucle_magnetique: p.coche("boucle_magnetique"),
        precision_accessibilite: p.valeur("precision_accessibilite").to_owned(),
        zone_eligibilite: p.valeur("zone_eligibilite").to_owned(),
        lieux,
        convention: p.valeur("convention").trim().parse().ok().map(ConventionId),
    }
}
