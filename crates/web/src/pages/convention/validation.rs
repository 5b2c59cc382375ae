//! The Caf's validation of a réelle (Référentiel national de financement de l'AIP, §VI.2): the
//! FTE declared beside what the qualified salaried intervenants carry, the cross-checks of the
//! year's activity (hours worked against 1 607 h per FTE, time outside sessions, sessions and
//! families per FTE, analyse de la pratique from the bilan), and the « ETP validés » with their
//! motivation when fewer than declared. Offered where validating the declaration is open to the
//! user.

use domain::declaration::{ActionTransmissionOuverte, Bilan, Declaration, NatureDeclaration};
use domain::structures::EtpPortes;
use maud::{Markup, html};
use referentiel::conformite::{ActiviteAip, Rapport, SeuilsActivite, verifier_activite};
use referentiel::exact::Decimal;
use store::depot::Lu;

use super::Retour;
use super::commande::ActionFormulaire;
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier};
use crate::session::Connecte;
use crate::vue::champ_csrf;

/// One réelle to validate.
pub(super) struct VueValidation {
    pub declaration: Declaration,
    pub portes: EtpPortes,
    pub rapport: Rapport,
}

/// The réelles the user may validate now.
pub(super) async fn charger(
    etat: &Etat,
    c: &Connecte,
    declarations: &[Lu<Declaration>],
    bilans: &[Lu<Bilan>],
) -> Result<Vec<VueValidation>, ErreurWeb> {
    let p = &etat.plateforme;
    let mut vues = Vec::new();
    for d in declarations {
        let d = &d.valeur;
        if d.nature != NatureDeclaration::Reelle
            || !d
                .actions_ouvertes(&c.acteur)
                .contains(&ActionTransmissionOuverte::Valider)
        {
            continue;
        }
        let portes = p
            .etp_portes_declaration(&c.acteur, d.id, time::OffsetDateTime::now_utc().date())
            .await?;
        let seuils = SeuilsActivite::pour_exercice(&p.parametres, d.exercice)
            .map_err(|x| ErreurWeb::Interne(x.to_string()))?;
        let analyse = bilans
            .iter()
            .map(|b| &b.valeur)
            .find(|b| b.exercice == d.exercice)
            .map(|b| Decimal::entier(i64::from(b.contenu.heures_analyse_pratique)));
        let a = &d.donnees.activite;
        let activite = ActiviteAip {
            etp: Decimal::parse(&d.donnees.etp_declares.texte_point())
                .map_err(|x| ErreurWeb::Interne(x.to_string()))?,
            mois_fonctionnement: d.donnees.mois_fonctionnement,
            familles_distinctes: a.parents_distincts,
            entretiens: a.entretiens,
            entretiens_par_famille: None,
            heures_travaillees: a.heures_travaillees.map(|h| Decimal::entier(i64::from(h))),
            heures_entretiens: Some(Decimal::entier(i64::from(a.heures_entretiens))),
            heures_analyse_pratique: analyse,
        };
        let rapport =
            verifier_activite(&activite, &seuils).map_err(|x| ErreurWeb::Interne(x.to_string()))?;
        vues.push(VueValidation {
            declaration: d.clone(),
            portes,
            rapport,
        });
    }
    Ok(vues)
}

pub(super) fn section(
    c: &Connecte,
    vue: &VueValidation,
    cible: &str,
    retour: Retour<'_>,
) -> Markup {
    let d = &vue.declaration;
    let id_etp = format!("etp_valides-{}", d.id);
    let id_motivation = format!("motivation_etp-{}", d.id);
    let (etp, motivation) = match retour.saisie {
        Some(ActionFormulaire::ValiderDeclaration {
            declaration,
            etp_valides,
            motivation_etp,
        }) if *declaration == d.id.0 => (etp_valides.clone(), motivation_etp.clone()),
        _ => (d.donnees.etp_declares.to_string(), String::new()),
    };
    html! {
        section.encadre id={ "validation-" (d.id) } aria-labelledby={ "titre-validation-" (d.id) } {
            h3 id={ "titre-validation-" (d.id) } { "Valider la déclaration réelle " (d.exercice) " : les ETP" }
            p {
                (d.donnees.etp_declares.to_string()) " ETP déclarés ; les intervenants salariés qualifiés en portent "
                (vue.portes.moyenne_fr()) " sur les " (vue.portes.mois) " mois de fonctionnement."
            }
            ul {
                @for part in &vue.portes.parts {
                    li {
                        (part.nom) " : "
                        @match &part.exclusion {
                            Some(raison) => { "ne compte pas : " (raison) }
                            None => {
                                (part.etp.to_string()) " ETP, " (part.mois_sous_contrat) " mois sous contrat sur " (vue.portes.mois)
                                @if part.contrat_non_renseigne { " (dates du contrat non renseignées)" }
                            }
                        }
                    }
                }
            }
            (crate::pages::structures::rapport("Contrôles de l'activité (Référentiel national de financement de l'AIP, §V et §VI.2)", &vue.rapport))
            form method="post" action=(cible) novalidate {
                (champ_csrf(c))
                input type="hidden" name="action" value="valider_declaration";
                input type="hidden" name="declaration" value=(d.id);
                (Champ::new("etp_valides", "ETP validés").id(&id_etp)
                    .aide("Au plus les ETP déclarés ; moins, avec une motivation : le droit est calculé sur les ETP validés")
                    .erreurs(retour.erreurs).clavier(Clavier::Decimal).texte(&etp))
                (Champ::new("motivation_etp", "Motivation, si moins d'ETP que déclarés").id(&id_motivation)
                    .erreurs(retour.erreurs).texte(&motivation))
                button type="submit" { "Valider la déclaration réelle" }
            }
        }
    }
}
