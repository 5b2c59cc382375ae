//! The members of an instance: the organisation each represents, the person, their role in the
//! instance, their mandate and the levels and working groups they sit on; and the composition
//! rules the instance's shape sets (one président, its vice-presidents, its number of members,
//! the length of mandates).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use super::instance::{FormeInstance, Instance, Niveau};
use crate::identifiants::{Email, InstanceId, MembreId, UtilisateurId};
use crate::refus::Refus;
use crate::texte::{date_fr, vide};

/// A member's role in the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleMembre {
    /// The préfet (Lettre circulaire Cnaf 2012-093 §3; CASF art. D.214-1).
    President,
    /// The president of the Caf's board (§31); in a CDSF also the président du conseil
    /// départemental and a maire or EPCI president named by the mayors' association.
    VicePresident,
    /// The Caf's services (CASF art. D.214-1; §41 « la fonction de secrétariat »).
    Secretariat,
    Membre,
    /// Invited to a séance, without a member's vote.
    Invite,
}

impl RoleMembre {
    pub const TOUS: [RoleMembre; 5] = [
        RoleMembre::President,
        RoleMembre::VicePresident,
        RoleMembre::Secretariat,
        RoleMembre::Membre,
        RoleMembre::Invite,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RoleMembre::President => "president",
            RoleMembre::VicePresident => "vice_president",
            RoleMembre::Secretariat => "secretariat",
            RoleMembre::Membre => "membre",
            RoleMembre::Invite => "invite",
        }
    }

    /// The code, or the French name as a CSV file may write it.
    pub fn depuis_texte(texte: &str) -> Option<RoleMembre> {
        let t = texte.trim().to_lowercase().replace(['-', ' '], "_");
        let t = t
            .replace(['é', 'è'], "e")
            .replace("presidente", "president")
            .replace("invitee", "invite");
        RoleMembre::TOUS.into_iter().find(|r| r.code() == t)
    }

    pub fn libelle(self) -> &'static str {
        match self {
            RoleMembre::President => "président",
            RoleMembre::VicePresident => "vice-président",
            RoleMembre::Secretariat => "secrétariat",
            RoleMembre::Membre => "membre",
            RoleMembre::Invite => "invité",
        }
    }

    /// Whether the role counts among the instance's members, for its size and its quorum.
    ///
    /// **Interpretation**: the secretariat serves the instance and a guest attends; neither is
    /// one of the « 37 membres au plus » of CASF art. D.214-1, nor counts for the quorum.
    pub fn compte_parmi_les_membres(self) -> bool {
        matches!(
            self,
            RoleMembre::President | RoleMembre::VicePresident | RoleMembre::Membre
        )
    }
}

/// A member of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membre {
    pub id: MembreId,
    pub instance: InstanceId,
    /// The organisation represented (préfecture, conseil départemental, Caf, MSA, Udaf…).
    pub organisation: String,
    /// The person, as convocations address them.
    pub personne: String,
    pub email: Email,
    pub role: RoleMembre,
    #[serde(with = "crate::serde_dates::date")]
    pub mandat_debut: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub mandat_fin: Date,
    /// The levels whose séances convene the member.
    pub niveaux: BTreeSet<Niveau>,
    /// The working groups it sits on, by name.
    pub groupes: BTreeSet<String>,
    /// Its account, when it has one (to read the instance's records signed in).
    pub utilisateur: Option<UtilisateurId>,
}

impl Membre {
    /// Whether its mandate covers `date`.
    pub fn en_mandat(&self, date: Date) -> bool {
        self.mandat_debut <= date && date <= self.mandat_fin
    }
}

/// A member as entered in a form or a row of an imported file, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaisieMembre {
    pub organisation: String,
    pub personne: String,
    pub email: String,
    pub role: String,
    pub mandat_debut: String,
    pub mandat_fin: String,
    /// Level codes or names, separated by commas or semicolons.
    pub niveaux: String,
    /// Working-group names, separated by commas or semicolons.
    pub groupes: String,
}

pub(crate) const ACTION_MEMBRE: &str = "Enregistrer le membre";

fn liste(texte: &str) -> impl Iterator<Item = &str> {
    texte
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn lire_date(champ: &'static str, texte: &str, refus: &mut Vec<Refus>) -> Option<Date> {
    let t = texte.trim();
    if t.is_empty() {
        refus.push(Refus::sur_champ(ACTION_MEMBRE, champ, "date obligatoire"));
        return None;
    }
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let fr = time::macros::format_description!("[day]/[month]/[year]");
    match Date::parse(t, iso).or_else(|_| Date::parse(t, fr)) {
        Ok(d) => Some(d),
        Err(_) => {
            refus.push(Refus::sur_champ(
                ACTION_MEMBRE,
                champ,
                format!("« {t} » n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)"),
            ));
            None
        }
    }
}

impl SaisieMembre {
    /// Checks every field against the instance's shape and returns the member, or every refusal
    /// at once, each naming its field.
    pub fn valider(
        &self,
        instance: &Instance,
        id: MembreId,
        utilisateur: Option<UtilisateurId>,
    ) -> Result<Membre, Refus> {
        let regles = instance.forme.regles();
        let mut refus = Vec::new();
        for (champ, valeur) in [
            ("organisation", &self.organisation),
            ("personne", &self.personne),
        ] {
            if vide(valeur) {
                refus.push(Refus::sur_champ(ACTION_MEMBRE, champ, "à compléter"));
            } else if let Err(e) = crate::texte::TexteLibre::court(champ, valeur) {
                refus.push(Refus::sur_champ(ACTION_MEMBRE, champ, e.to_string()));
            }
        }
        let email = match Email::parse(self.email.trim()) {
            Ok(e) => Some(e),
            Err(e) => {
                refus.push(Refus::sur_champ(ACTION_MEMBRE, "email", e.to_string()));
                None
            }
        };
        let role = match RoleMembre::depuis_texte(&self.role) {
            Some(r) => Some(r),
            None => {
                refus.push(Refus::sur_champ(
                    ACTION_MEMBRE,
                    "role",
                    format!(
                        "« {} » n'est pas un rôle (président, vice-président, secrétariat, membre ou invité)",
                        self.role.trim()
                    ),
                ));
                None
            }
        };
        let debut = lire_date("mandat_debut", &self.mandat_debut, &mut refus);
        let fin = lire_date("mandat_fin", &self.mandat_fin, &mut refus);
        if let (Some(d), Some(f)) = (debut, fin) {
            if f < d {
                refus.push(Refus::sur_champ(
                    ACTION_MEMBRE,
                    "mandat_fin",
                    "le mandat finit avant de commencer",
                ));
            } else if let Some(ans) = regles.mandat_max_ans {
                let limite = d.replace_year(d.year() + ans).unwrap_or(f);
                if f > limite {
                    refus.push(Refus::sur_champ(
                        ACTION_MEMBRE,
                        "mandat_fin",
                        format!(
                            "les membres du comité départemental des services aux familles sont nommés pour {ans} ans (CASF art. D.214-1) : fin du mandat le {} au plus tard",
                            date_fr(limite)
                        ),
                    ));
                }
            }
        }
        let mut niveaux = BTreeSet::new();
        for n in liste(&self.niveaux) {
            let code = n
                .to_lowercase()
                .replace(['é', 'è'], "e")
                .replace([' ', '-'], "_");
            match Niveau::TOUS
                .into_iter()
                .find(|x| x.code() == code || x.libelle() == n.to_lowercase())
            {
                Some(x) if regles.niveaux.contains(&x) => {
                    niveaux.insert(x);
                }
                Some(x) => refus.push(Refus::sur_champ(
                    ACTION_MEMBRE,
                    "niveaux",
                    format!("le {} n'existe pas dans cette forme d'instance ({})", x.libelle(), regles.appellation),
                )),
                None => refus.push(Refus::sur_champ(
                    ACTION_MEMBRE,
                    "niveaux",
                    format!("« {n} » n'est pas un niveau (politique, stratégique, technique, réunion annuelle)"),
                )),
            }
        }
        let mut groupes = BTreeSet::new();
        for g in liste(&self.groupes) {
            if instance.groupes.iter().any(|x| x.nom == g) {
                groupes.insert(g.to_owned());
            } else {
                refus.push(Refus::sur_champ(
                    ACTION_MEMBRE,
                    "groupes",
                    format!("« {g} » n'est pas un groupe de travail de l'instance"),
                ));
            }
        }
        if !groupes.is_empty() {
            niveaux.insert(Niveau::GroupeDeTravail);
        }
        Refus::ensemble(ACTION_MEMBRE, refus)?;
        match (email, role, debut, fin) {
            (Some(email), Some(role), Some(mandat_debut), Some(mandat_fin)) => Ok(Membre {
                id,
                instance: instance.id,
                organisation: self.organisation.trim().to_owned(),
                personne: self.personne.trim().to_owned(),
                email,
                role,
                mandat_debut,
                mandat_fin,
                niveaux,
                groupes,
                utilisateur,
            }),
            _ => Err(Refus::invalide(ACTION_MEMBRE, "saisie incomplète")),
        }
    }
}

/// Checks the composition the instance's shape allows, on `date`: one président at most, the
/// number of vice-presidents, the number of members, and no address twice.
pub fn verifier_composition(
    forme: FormeInstance,
    membres: &[Membre],
    date: Date,
) -> Result<(), Refus> {
    const ACTION: &str = "Composer l'instance";
    let regles = forme.regles();
    let en_mandat: Vec<&Membre> = membres.iter().filter(|m| m.en_mandat(date)).collect();
    let compter = |r: RoleMembre| en_mandat.iter().filter(|m| m.role == r).count();
    let mut refus = Vec::new();
    if compter(RoleMembre::President) > 1 {
        refus.push(Refus::sur_champ(
            ACTION,
            "role",
            "l'instance a un seul président, le préfet (CASF art. D.214-1 ; Lettre circulaire Cnaf 2012-093 §3)",
        ));
    }
    if compter(RoleMembre::VicePresident) > regles.vice_presidents_max {
        refus.push(Refus::sur_champ(
            ACTION,
            "role",
            format!(
                "cette forme d'instance ({}) a {} vice-présidents au plus",
                regles.appellation, regles.vice_presidents_max
            ),
        ));
    }
    if let Some(max) = regles.membres_max {
        let n = en_mandat
            .iter()
            .filter(|m| m.role.compte_parmi_les_membres())
            .count();
        if n > max {
            refus.push(Refus::sur_champ(
                ACTION,
                "role",
                format!(
                    "le comité départemental des services aux familles compte {max} membres au plus (CASF art. D.214-1) : il en aurait {n} au {}",
                    date_fr(date)
                ),
            ));
        }
    }
    let mut vus = BTreeSet::new();
    for m in membres {
        if !vus.insert(m.email.as_str().to_lowercase()) {
            refus.push(Refus::sur_champ(
                ACTION,
                "email",
                format!("l'adresse {} est celle de deux membres", m.email.as_str()),
            ));
        }
    }
    Refus::ensemble(ACTION, refus)
}

/// One refused row of an imported file: its line number (the header is line 1) and each reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneRefusee {
    pub ligne: usize,
    pub raisons: Vec<String>,
}

/// The columns of a members' file, in any order: `organisation`, `personne`, `email`, `role`,
/// `mandat_debut`, `mandat_fin`, and optionally `niveaux` and `groupes`. Separator `;` or `,`.
pub const COLONNES_IMPORT: [&str; 8] = [
    "organisation",
    "personne",
    "email",
    "role",
    "mandat_debut",
    "mandat_fin",
    "niveaux",
    "groupes",
];

/// Reads a members' file: every row checked, all of them or none. `premier_id` numbers the new
/// members. On any fault, every bad row is listed with its reasons (and the composition's own
/// refusals, on the row 0).
pub fn lire_import(
    instance: &Instance,
    existants: &[Membre],
    contenu: &str,
    premier_id: i64,
    date: Date,
) -> Result<Vec<Membre>, Vec<LigneRefusee>> {
    let contenu = contenu.trim_start_matches('\u{feff}');
    let separateur = if contenu.lines().next().unwrap_or("").contains(';') {
        b';'
    } else {
        b','
    };
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(separateur)
        .flexible(true)
        .from_reader(contenu.as_bytes());
    let entetes: Vec<String> = match lecteur.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![LigneRefusee {
                ligne: 1,
                raisons: vec![format!("en-tête illisible : {e}")],
            }]);
        }
    };
    let manquantes: Vec<&str> = COLONNES_IMPORT[..6]
        .iter()
        .copied()
        .filter(|c| !entetes.iter().any(|h| h == c))
        .collect();
    if !manquantes.is_empty() {
        return Err(vec![LigneRefusee {
            ligne: 1,
            raisons: vec![format!("colonnes manquantes : {}", manquantes.join(", "))],
        }]);
    }
    let colonne = |nom: &str| entetes.iter().position(|h| h == nom);
    let mut membres = Vec::new();
    let mut refusees = Vec::new();
    for (i, enregistrement) in lecteur.records().enumerate() {
        let ligne = i + 2;
        let rec = match enregistrement {
            Ok(r) => r,
            Err(e) => {
                refusees.push(LigneRefusee {
                    ligne,
                    raisons: vec![format!("ligne illisible : {e}")],
                });
                continue;
            }
        };
        let champ = |nom: &str| {
            colonne(nom)
                .and_then(|c| rec.get(c))
                .unwrap_or("")
                .to_owned()
        };
        let saisie = SaisieMembre {
            organisation: champ("organisation"),
            personne: champ("personne"),
            email: champ("email"),
            role: champ("role"),
            mandat_debut: champ("mandat_debut"),
            mandat_fin: champ("mandat_fin"),
            niveaux: champ("niveaux"),
            groupes: champ("groupes"),
        };
        let id = MembreId(premier_id + i64::try_from(i).unwrap_or(i64::MAX - premier_id));
        match saisie.valider(instance, id, None) {
            Ok(m) => membres.push((ligne, m)),
            Err(r) => refusees.push(LigneRefusee {
                ligne,
                raisons: r
                    .un_par_un()
                    .into_iter()
                    .map(|x| match x.champ() {
                        Some(c) => format!("{c} : {}", x.sans_action()),
                        None => x.sans_action(),
                    })
                    .collect(),
            }),
        }
    }
    let mut adresses: BTreeSet<String> = existants
        .iter()
        .map(|m| m.email.as_str().to_lowercase())
        .collect();
    for (ligne, m) in &membres {
        if !adresses.insert(m.email.as_str().to_lowercase()) {
            refusees.push(LigneRefusee {
                ligne: *ligne,
                raisons: vec![format!(
                    "email : l'adresse {} est déjà celle d'un membre",
                    m.email.as_str()
                )],
            });
        }
    }
    if refusees.is_empty() {
        let tous: Vec<Membre> = existants
            .iter()
            .cloned()
            .chain(membres.iter().map(|(_, m)| m.clone()))
            .collect();
        if let Err(r) = verifier_composition(instance.forme, &tous, date) {
            refusees.push(LigneRefusee {
                ligne: 0,
                raisons: r.un_par_un().into_iter().map(Refus::sans_action).collect(),
            });
        }
    }
    if refusees.is_empty() {
        Ok(membres.into_iter().map(|(_, m)| m).collect())
    } else {
        refusees.sort_by_key(|l| l.ligne);
        Err(refusees)
    }
}
