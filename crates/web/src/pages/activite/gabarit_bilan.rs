//! The template of the annual bilans: for each convention covering the exercise, its state and
//! timeliness, the figures sent, or for the gestionnaire the form that sends it.

use maud::{Markup, html};

use super::modele::{BilanConvention, ChiffresTransmis, EtatBilan, FormulaireBilan, VueBilans};
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::session::Connecte;
use crate::vue::{Ton, champ_csrf, etat_transmission, etiquette};

fn etat(e: &EtatBilan) -> Markup {
    match e {
        EtatBilan::AFaire { retard, echeance } => html! {
            @if *retard { (etiquette("en retard", Ton::Refus)) } @else { (etiquette("à faire", Ton::Attente)) }
            " — à transmettre au plus tard le " (echeance)
        },
        EtatBilan::Saisi {
            etat,
            transmis_le,
            a_temps,
            echeance,
        } => html! {
            (etat_transmission(*etat))
            @if let Some(q) = transmis_le { " — transmis le " (q) }
            @match a_temps {
                Some(true) => " (à temps)",
                Some(false) => { " (après l'échéance du " (echeance) ")" }
                None => {}
            }
        },
    }
}

fn contenu(b: &ChiffresTransmis) -> Markup {
    html! {
        ul {
            li { "Familles accompagnées : " (b.familles) }
            li { "Entretiens : " (b.entretiens) }
            li { "Heures d'entretien : " (b.heures_entretiens) }
            li { "Heures d'analyse de la pratique : " (b.heures_analyse_pratique) }
        }
    }
}

/// The form of one convention. The form just sent has the fields' own ids (the summary links to
/// them); the others, on a page with several conventions, have ids suffixed by the convention.
fn formulaire(
    c: &Connecte,
    v: &VueBilans,
    conv: &BilanConvention,
    f: &FormulaireBilan,
    erreurs: &Erreurs,
) -> Markup {
    let sans_erreur = Erreurs::default();
    let (suffixe, erreurs) = if f.envoye {
        (String::new(), erreurs)
    } else {
        (format!("-{}", conv.id), &sans_erreur)
    };
    let heures = format!("heures_analyse_pratique{suffixe}");
    let reseau = format!("reseau_partenarial{suffixe}");
    let synthese = format!("synthese{suffixe}");
    let exercice = v.exercice;
    html! {
        form method="post" action="/activite/bilan" novalidate {
            (champ_csrf(c))
            input type="hidden" name="structure" value=(v.structure);
            input type="hidden" name="convention" value=(conv.id);
            input type="hidden" name="exercice" value=(exercice);
            p { "Les chiffres d'activité ci-dessus sont repris tels quels dans le bilan et figés à sa transmission." }
            (Champ::new("heures_analyse_pratique", "Heures d'analyse de la pratique")
                .id(&heures)
                .aide("Temps de supervision des intervenants dans l'année (référentiel §III.3)")
                .clavier(Clavier::Numerique)
                .requis()
                .erreurs(erreurs)
                .texte(&f.valeurs.heures_analyse_pratique))
            (Champ::new("reseau_partenarial", "Réseau partenarial")
                .id(&reseau)
                .aide("Les partenaires vers qui les familles ont été orientées et avec qui le service travaille (référentiel §IV.2)")
                .erreurs(erreurs)
                .zone(&f.valeurs.reseau_partenarial))
            (Champ::new("synthese", "Synthèse qualitative")
                .id(&synthese)
                .aide("Besoins exprimés, réponses apportées, effets observés chez les parents")
                .requis()
                .erreurs(erreurs)
                .zone(&f.valeurs.synthese))
            button type="submit" { "Transmettre le bilan " (exercice) " à la Caf" }
        }
    }
}

/// The bilans of the exercise.
pub(super) fn bilans(c: &Connecte, v: &VueBilans, erreurs: &Erreurs) -> Markup {
    html! {
        h2 { "Bilan annuel " (v.exercice) }
        @if v.conventions.is_empty() {
            p { "Aucune convention de la structure ne couvre cet exercice : pas de bilan attendu." }
        }
        @for conv in &v.conventions {
            h3 { "Convention " a href={ "/conventions/" (conv.id) } { (conv.numero) } }
            p { "État du bilan : " (etat(&conv.etat)) }
            @if let Some(b) = &conv.transmis { (contenu(b)) }
            @if let Some(f) = &conv.formulaire { (formulaire(c, v, conv, f, erreurs)) }
        }
    }
}
