//! State tags: a state's name in a pill whose colour says what it means (waiting for someone,
//! granted, refused…). The colour only repeats the text, never replaces it (RGAA 3.1).

use domain::convention::EtatConvention;
use domain::declaration::EtatTransmission;
use domain::dossier::EtatDossier;
use maud::{Markup, html};

/// What a state means for the person reading it, and so its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ton {
    /// Not yet sent or not yet started.
    Neutre,
    /// In someone's hands, moving on.
    EnCours,
    /// Waiting for the reader or another party.
    Attente,
    Succes,
    Refus,
}

impl Ton {
    fn classe(self) -> &'static str {
        match self {
            Ton::Neutre => "neutre",
            Ton::EnCours => "en-cours",
            Ton::Attente => "attente",
            Ton::Succes => "succes",
            Ton::Refus => "refus",
        }
    }
}

/// A tag with its text, coloured by its meaning.
pub fn etiquette(texte: &str, ton: Ton) -> Markup {
    html! { span class={ "etiquette " (ton.classe()) } { (texte) } }
}

/// A dossier's state.
pub fn etat_dossier(etat: EtatDossier) -> Markup {
    let ton = match etat {
        EtatDossier::Brouillon | EtatDossier::SansSuite | EtatDossier::Retire => Ton::Neutre,
        EtatDossier::Depose | EtatDossier::EnInstruction | EtatDossier::PresenteEnComite => {
            Ton::EnCours
        }
        EtatDossier::ComplementDemande => Ton::Attente,
        EtatDossier::Valide => Ton::Succes,
        EtatDossier::Refuse => Ton::Refus,
    };
    etiquette(etat.libelle(), ton)
}

/// A convention's state.
pub fn etat_convention(etat: EtatConvention) -> Markup {
    let ton = match etat {
        EtatConvention::Projet => Ton::Attente,
        EtatConvention::Signee => Ton::Succes,
        EtatConvention::Cloturee => Ton::Neutre,
        EtatConvention::Resiliee => Ton::Refus,
    };
    etiquette(etat.libelle(), ton)
}

/// A declaration's or a bilan's state.
pub fn etat_transmission(etat: EtatTransmission) -> Markup {
    let ton = match etat {
        EtatTransmission::Saisie => Ton::Neutre,
        EtatTransmission::Transmise => Ton::EnCours,
        EtatTransmission::Validee => Ton::Succes,
    };
    etiquette(etat.libelle(), ton)
}
