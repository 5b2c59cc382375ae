//! The demonstration's directory of services for parents, written through the real use cases:
//! in each département of the experiment, its structures describe services of every scheme
//! (LAEP, médiation familiale, espace rencontre, REAAP actions, CLAS, parrainage de proximité,
//! PIF) in several communes, and complete some of the AIP services proposed from their signed
//! conventions; they submit them and the Caf of the département publishes them. Two services
//! wait for the Caf's moderation (Isère, Nord), and some AIP proposals are left for the
//! gestionnaires to complete. Every name, address, phone number and mail address is fictional
//! (phone numbers in the ranges kept for fiction, addresses at `example.org`).

use domain::Acteur;
use domain::annuaire::{SaisieLieuService, SaisieService};
use domain::identifiants::CodeDepartement;
use time::{Date, Duration, OffsetDateTime};

use super::{invalide, le};
use crate::{ErreurApp, Plateforme};

/// One kind of service the demonstration's structures describe.
struct Modele {
    dispositif: &'static str,
    type_service: &'static str,
    nom: &'static str,
    description: &'static str,
    publics: &'static [&'static str],
    modes: &'static [&'static str],
    frais: &'static str,
    precision_frais: &'static str,
    horaires: &'static str,
    sans_rendez_vous: bool,
    lieu: &'static str,
}

const MODELES: [Modele; 8] = [
    Modele {
        dispositif: "laep",
        type_service: "accueil",
        nom: "Lieu d’accueil enfants-parents « Les Petits Pas »",
        description: "Un lieu pour jouer, se rencontrer et parler de la vie avec un tout-petit. Les enfants de moins de 6 ans viennent avec un parent, un grand-parent ou un futur parent. L’accueil est anonyme, sans inscription : on vient quand on veut pendant les heures d’ouverture, on reste le temps qu’on souhaite. Deux accueillants formés sont présents.",
        publics: &[
            "futurs_parents",
            "parents_enfants_0_3",
            "parents_enfants_3_6",
            "grands_parents",
        ],
        modes: &["sur_place"],
        frais: "gratuit",
        precision_frais: "",
        horaires: "Tu,Th 09:00-11:30; Sa 09:30-12:00; PH off",
        sans_rendez_vous: true,
        lieu: "Maison de la petite enfance",
    },
    Modele {
        dispositif: "mediation_familiale",
        type_service: "mediation",
        nom: "Service de médiation familiale",
        description: "Une séparation, un conflit entre parents et grands-parents, une difficulté à communiquer avec un adolescent devenu majeur : un médiateur familial diplômé d’État vous reçoit, ensemble ou séparément, pour renouer le dialogue et trouver des accords qui conviennent à chacun, dans l’intérêt des enfants. Un premier entretien d’information est gratuit.",
        publics: &["parents_separes", "parents", "grands_parents"],
        modes: &["sur_place", "a_distance"],
        frais: "module_selon_revenus",
        precision_frais: "Premier entretien gratuit, puis barème national selon les revenus (de 2 € à 131 € par séance)",
        horaires: "Mo-Fr 09:00-12:30,13:30-18:00",
        sans_rendez_vous: false,
        lieu: "Maison des familles",
    },
    Modele {
        dispositif: "espace_rencontre",
        type_service: "mediation",
        nom: "Espace rencontre parents-enfants",
        description: "Un lieu neutre où un enfant retrouve le parent, ou le grand-parent, avec qui il ne vit pas, quand la rencontre est difficile ailleurs. Des professionnels accompagnent les visites et les passages de bras, le plus souvent sur décision du juge aux affaires familiales. Un entretien préalable avec chaque parent est proposé.",
        publics: &["parents_separes", "grands_parents"],
        modes: &["sur_place"],
        frais: "gratuit",
        precision_frais: "",
        horaires: "We 14:00-18:00; Sa 10:00-18:00",
        sans_rendez_vous: false,
        lieu: "Espace rencontre",
    },
    Modele {
        dispositif: "reaap",
        type_service: "atelier",
        nom: "Cafés des parents",
        description: "Un samedi matin sur deux, des parents se retrouvent autour d’un café pour échanger sur un thème qu’ils ont choisi : le sommeil, les écrans, les colères, l’entrée au collège… Une professionnelle anime la rencontre. Les enfants sont accueillis à côté par des animateurs.",
        publics: &[
            "parents",
            "parents_enfants_3_6",
            "parents_enfants_6_11",
            "parents_enfants_11_18",
        ],
        modes: &["sur_place"],
        frais: "gratuit",
        precision_frais: "",
        horaires: "Sa 09:30-11:30",
        sans_rendez_vous: true,
        lieu: "Centre social",
    },
    Modele {
        dispositif: "clas",
        type_service: "accompagnement",
        nom: "Accompagnement à la scolarité (CLAS)",
        description: "Après la classe, des animateurs et des bénévoles aident les enfants et les adolescents à s’organiser, à reprendre confiance et à découvrir des activités culturelles. Les parents sont associés : rencontres régulières avec l’équipe, ateliers pour suivre la scolarité de leur enfant et dialoguer avec l’école.",
        publics: &["parents_enfants_6_11", "parents_enfants_11_18"],
        modes: &["sur_place"],
        frais: "payant",
        precision_frais: "Adhésion annuelle de 10 € par famille",
        horaires: "Mo,Tu,Th,Fr 16:30-18:30; We 14:00-17:00; SH off",
        sans_rendez_vous: false,
        lieu: "Espace jeunesse",
    },
    Modele {
        dispositif: "parrainage_de_proximite",
        type_service: "accompagnement",
        nom: "Parrainage de proximité",
        description: "Un parrain ou une marraine bénévole partage du temps avec un enfant ou un adolescent : sorties, devoirs, loisirs, une relation durable choisie par la famille. L’association rencontre les parents, présente les bénévoles et accompagne chaque parrainage.",
        publics: &[
            "parents",
            "parents_enfants_3_6",
            "parents_enfants_6_11",
            "parents_enfants_11_18",
        ],
        modes: &["sur_place", "a_distance"],
        frais: "gratuit",
        precision_frais: "",
        horaires: "Mo-Fr 14:00-18:00",
        sans_rendez_vous: false,
        lieu: "Locaux de l’association",
    },
    Modele {
        dispositif: "reaap",
        type_service: "information",
        nom: "Point information parents",
        description: "Une question sur la garde de votre enfant, les aides de la Caf, un souci à l’école ou à la maison ? Une conseillère vous écoute, vous informe et vous oriente vers le bon interlocuteur. Sans rendez-vous, ou par téléphone.",
        publics: &["futurs_parents", "parents"],
        modes: &["sur_place", "a_distance"],
        frais: "gratuit",
        precision_frais: "",
        horaires: "Mo-Fr 09:00-12:00; We 14:00-17:00",
        sans_rendez_vous: true,
        lieu: "Point information familles",
    },
    Modele {
        dispositif: "pif",
        type_service: "atelier",
        nom: "Ateliers « Être parent d’ado »",
        description: "Un cycle de quatre soirées pour les parents d’adolescents : comprendre les changements de l’adolescence, poser des limites, garder le lien. En petit groupe, avec une psychologue et une éducatrice.",
        publics: &["parents_enfants_11_18"],
        modes: &["sur_place", "a_distance"],
        frais: "gratuit",
        precision_frais: "",
        horaires: "Tu 18:30-20:30",
        sans_rendez_vous: false,
        lieu: "Salle des associations",
    },
];

/// Opening hours of the AIP services completed by the demonstration, by rank.
const HORAIRES_AIP: [&str; 3] = [
    "Mo-Fr 09:00-12:00,14:00-17:00",
    "Mo,We,Fr 09:00-17:00; Tu 14:00-19:00",
    "Tu-Sa 09:00-12:30",
];

const VOIES: [&str; 6] = [
    "place de la Mairie",
    "rue Jean Moulin",
    "avenue de la Libération",
    "rue Victor Hugo",
    "allée des Tilleuls",
    "boulevard Pasteur",
];

/// The départements where one service waits for the Caf's moderation.
const EN_MODERATION: [&str; 2] = ["38", "59"];

fn slug(texte: &str) -> String {
    let mut s = String::new();
    for c in texte.to_lowercase().chars() {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c != '-' || !s.ends_with('-') {
            s.push(c);
        }
    }
    // A domain label has 63 characters at most: keep the first words.
    s.chars()
        .take(32)
        .collect::<String>()
        .trim_matches('-')
        .to_owned()
}

impl Plateforme {
    /// Fills the directory for `departements`, their structures being those of the
    /// demonstration's gestionnaires (`gestionnaire.<dép>.<n>@demo.parentalite.fr`).
    pub(super) async fn peupler_annuaire_demo(
        &self,
        departements: &[CodeDepartement],
        gestionnaires_par_caf: usize,
        aujourd_hui: Date,
    ) -> Result<(), ErreurApp> {
        for (n_dep, d) in departements.iter().enumerate() {
            let agent = self
                .utilisateur_par_email(&format!(
                    "agent.{}@demo.parentalite.fr",
                    d.as_str().to_lowercase()
                ))
                .await?
                .ok_or_else(|| invalide("agent de la Caf"))?
                .1;
            let mut structures: Vec<Acteur> = Vec::new();
            for i in 1..=gestionnaires_par_caf {
                if let Some((_, a)) = self
                    .utilisateur_par_email(&format!(
                        "gestionnaire.{}.{i}@demo.parentalite.fr",
                        d.as_str().to_lowercase()
                    ))
                    .await?
                {
                    structures.push(a);
                }
            }
            if structures.is_empty() {
                continue;
            }
            // Service k, in the past weeks, a minute apart so that the order is stable.
            let mut k: i64 = 0;
            let quand = |k: &mut i64| -> OffsetDateTime {
                *k += 1;
                le(aujourd_hui - Duration::days(60 - *k)) + Duration::minutes(*k)
            };

            // Services of every other scheme, one structure each, in its commune.
            let nombre = MODELES.len().min(structures.len());
            for m in 0..nombre {
                let modele = &MODELES[(m + n_dep) % MODELES.len()];
                let acteur = &structures[m];
                let g = *acteur
                    .gestionnaires
                    .iter()
                    .next()
                    .ok_or_else(|| invalide("structure du gestionnaire"))?;
                let structure = self.gestionnaire(acteur, g).await?.valeur;
                let ville = crate::cas::annuaire::communes()?
                    .get(structure.siege.commune)
                    .map(|c| c.nom.clone())
                    .unwrap_or_default();
                let domaine = format!("{}-{}", slug(&structure.raison_sociale), d.as_str());
                let numero = 10 + (n_dep * 10 + m) % 90;
                let saisie = SaisieService {
                    dispositif: modele.dispositif.to_owned(),
                    type_service: modele.type_service.to_owned(),
                    nom: format!("{} — {ville}", modele.nom),
                    description: modele.description.to_owned(),
                    publics: modele.publics.iter().map(|p| (*p).to_owned()).collect(),
                    modes: modele.modes.iter().map(|p| (*p).to_owned()).collect(),
                    frais: modele.frais.to_owned(),
                    precision_frais: modele.precision_frais.to_owned(),
                    telephone: format!("01 99 00 {numero:02} {:02}", 10 + m),
                    courriel: format!("contact@{domaine}.example.org"),
                    lien: if m % 2 == 0 {
                        format!("https://{domaine}.example.org")
                    } else {
                        String::new()
                    },
                    sans_rendez_vous: modele.sans_rendez_vous,
                    fauteuil_roulant: m % 3 != 2,
                    boucle_magnetique: m % 4 == 0,
                    precision_accessibilite: if m % 5 == 1 {
                        "Accueil en langue des signes française sur rendez-vous".to_owned()
                    } else {
                        String::new()
                    },
                    zone_eligibilite: String::new(),
                    lieux: vec![SaisieLieuService {
                        nom: format!("{} de {ville}", modele.lieu),
                        voie: format!("{} {}", 2 + m * 5, VOIES[(m + n_dep) % VOIES.len()]),
                        code_postal: structure.siege.code_postal.clone(),
                        commune: structure.siege.commune.as_str().to_owned(),
                        horaires: modele.horaires.to_owned(),
                        ..Default::default()
                    }],
                    convention: None,
                };
                let cree = self
                    .creer_service(acteur, Some(g), &saisie, quand(&mut k))
                    .await?;
                let id = cree.valeur.id;
                self.soumettre_service(acteur, id, quand(&mut k)).await?;
                let dernier = m + 1 == nombre;
                if dernier && EN_MODERATION.contains(&d.as_str()) {
                    continue;
                }
                self.publier_service(&agent, id, quand(&mut k)).await?;
            }

            // AIP services completed from the conventions' places, two per département at most;
            // the last proposal of each département stays for its gestionnaire to complete.
            let mut propositions = Vec::new();
            for acteur in &structures {
                for p in self.propositions_aip(acteur).await? {
                    propositions.push((acteur, p));
                }
            }
            let a_completer = propositions.len().saturating_sub(1).min(2);
            for (rang, (acteur, p)) in propositions.into_iter().take(a_completer).enumerate() {
                let mut saisie = p.saisie;
                if let Some(l) = saisie.lieux.first_mut() {
                    l.horaires = HORAIRES_AIP[rang % HORAIRES_AIP.len()].to_owned();
                }
                saisie.telephone = format!("01 99 00 {:02} {:02}", 50 + n_dep, 20 + rang);
                saisie.courriel = format!("aip.{}.{}@example.org", d.as_str(), rang + 1);
                saisie.fauteuil_roulant = true;
                let g = p.convention.gestionnaire;
                let cree = self
                    .creer_service(acteur, Some(g), &saisie, quand(&mut k))
                    .await?;
                self.soumettre_service(acteur, cree.valeur.id, quand(&mut k))
                    .await?;
                self.publier_service(&agent, cree.valeur.id, quand(&mut k))
                    .await?;
            }
        }
        Ok(())
    }
}
