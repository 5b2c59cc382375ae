//! The departmental coordination of the demonstration: for each département of the
//! experiment, an action plan of a few actions under the axes of a schéma départemental des
//! services aux familles, and an information and communication plan, written by the Caf's agent
//! of the département. The diagnosis needs nothing more: it reads the places of the validated
//! projects the demonstration already has.

use domain::coordination::plans::{SaisieActionPlan, SaisieCommunication};
use domain::identifiants::CodeDepartement;
use time::{Date, OffsetDateTime};

use crate::Plateforme;
use crate::erreur::ErreurApp;

fn invalide(quoi: &str) -> ErreurApp {
    ErreurApp::Calcul(format!("démonstration de la coordination : {quoi}"))
}

impl Plateforme {
    /// Writes the action plan and the communication plan of each of `departements`, dated from
    /// `aujourd_hui` (deadlines and dates in the months that follow).
    pub(crate) async fn peupler_coordination_demo(
        &self,
        departements: &[CodeDepartement],
        aujourd_hui: Date,
        quand: OffsetDateTime,
    ) -> Result<(), ErreurApp> {
        let dans = |jours: i64| (aujourd_hui + time::Duration::days(jours)).to_string();
        for (rang, d) in departements.iter().enumerate() {
            let email = format!("agent.{}@demo.parentalite.fr", d.as_str().to_lowercase());
            let agent = self
                .utilisateur_par_email(&email)
                .await?
                .ok_or_else(|| invalide(&format!("compte {email} absent")))?
                .1;
            let actions = [
                (
                    "Maillage territorial de l'offre",
                    "Ouvrir un lieu d'accompagnement dans les communes à plus de 10 km de toute offre",
                    "Caf et conseil départemental",
                    "Nombre de communes sans lieu à moins de 10 km",
                    dans(270),
                    ["en_cours", "a_engager"][rang % 2],
                ),
                (
                    "Soutien à la parentalité",
                    "Réunir les porteurs de projets REAAP et LAEP deux fois par an",
                    "Caf, animation départementale",
                    "Nombre de porteurs présents aux rencontres",
                    dans(120),
                    "a_engager",
                ),
                (
                    "Coordination des dispositifs",
                    "Partager le diagnostic de l'offre avec les EPCI du département",
                    "Préfecture et Caf",
                    "Nombre d'EPCI rencontrés",
                    dans(60),
                    "realisee",
                ),
            ];
            for (axe, intitule, porteur, indicateur, echeance, statut) in actions {
                let saisie = SaisieActionPlan {
                    axe: axe.to_owned(),
                    intitule: intitule.to_owned(),
                    porteur: porteur.to_owned(),
                    indicateur: indicateur.to_owned(),
                    echeance,
                    statut: statut.to_owned(),
                };
                self.enregistrer_action_plan(&agent, *d, None, &saisie, quand)
                    .await?;
            }
            let communications = [
                (
                    "Guide des lieux d'accueil des parents",
                    "familles",
                    "Dépliant dans les PMI, écoles et mairies ; page du site mon-enfant.fr",
                    dans(45),
                ),
                (
                    "Lettre d'information aux partenaires sur le diagnostic partagé",
                    "partenaires",
                    "Courriel et présentation en comité",
                    dans(30),
                ),
                (
                    "Semaine de la parentalité",
                    "familles_et_partenaires",
                    "Rencontres publiques dans les centres sociaux",
                    dans(150),
                ),
            ];
            for (intitule, public, support, date) in communications {
                let saisie = SaisieCommunication {
                    intitule: intitule.to_owned(),
                    public: public.to_owned(),
                    support: support.to_owned(),
                    date,
                };
                self.enregistrer_communication(&agent, *d, None, &saisie, quand)
                    .await?;
            }
        }
        Ok(())
    }
}
