//! The page of a structure: its identity, its eligibility as the Caf will examine it (status and
//! activity, each intervenant), its AIP commitments, its bank details, its sites, the forms of a
//! site and of an intervenant, and its pièces justificatives. A refused form shows the page
//! again with what was typed.

use app::Plateforme;
use axum::extract::{Path, State};
use axum::response::Html;
use domain::acces::Role;
use domain::identifiants::GestionnaireId;
use domain::structures::{Gestionnaire, Lieu};
use maud::{Markup, html};
use referentiel::conformite::{self, Rapport};
use store::depot::Lu;

use super::intervenants::{self, NouvelIntervenant};
use super::lieux::{self, NouveauLieu};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::pages::coordonnees_bancaires::{self, SaisieBanque};
use crate::pages::engagements::{self, SaisieEngagements};
use crate::session::Connecte;
use crate::vue::{self, Colonne};

/// What a refused form of the page typed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SaisieFiche<'a> {
    Aucune,
    Lieu(&'a NouveauLieu),
    Intervenant(&'a NouvelIntervenant),
    Engagements(&'a SaisieEngagements),
    Banque(&'a SaisieBanque),
}

/// The view model of the page.
struct VueFiche {
    lu: Lu<Gestionnaire>,
    lieux: Vec<Lu<Lieu>>,
    structure: Rapport,
    /// Each intervenant's name and eligibility.
    intervenants: Vec<(String, Rapport)>,
    engagements: Markup,
    peut_modifier: bool,
    /// The pièces justificatives section.
    pieces: Markup,
}

/// `GET /structures/{id}`.
pub async fn fiche(
    State(etat): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    Ok(Html(
        rendre_fiche(
            &etat.plateforme,
            &c,
            id,
            SaisieFiche::Aucune,
            &Erreurs::default(),
        )
        .await?,
    ))
}

/// The page, holding what a refused form typed.
pub(crate) async fn rendre_fiche(
    p: &Plateforme,
    c: &Connecte,
    id: i64,
    saisie: SaisieFiche<'_>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let gid = GestionnaireId(id);
    let lu = p.gestionnaire(&c.acteur, gid).await?;
    let lieux = p.lieux(&c.acteur, gid).await?;
    let intervenants_lus = p.intervenants(&c.acteur, gid).await?;
    let pieces_structure = p
        .pieces_de(&c.acteur, domain::pieces::ObjetPiece::Gestionnaire(gid))
        .await?;
    let saisie_engagements = match saisie {
        SaisieFiche::Engagements(s) => Some(s),
        _ => None,
    };
    let engagements_html =
        engagements::section(c, &lu, &lieux, &pieces_structure, saisie_engagements, x);
    let seuils = conformite::SeuilsActivite::pour_exercice(&p.parametres, 2025)
        .map_err(|x| ErreurWeb::Interne(x.to_string()))?;
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let mut intervenants = Vec::new();
    for i in &intervenants_lus {
        let i = &i.valeur;
        let r = conformite::verifier_intervenant(&i.vers_referentiel(), &seuils, aujourd_hui)
            .map_err(|x| ErreurWeb::Interne(x.to_string()))?;
        intervenants.push((format!("{} {}", i.prenom, i.nom), r));
    }
    let noms: Vec<(domain::identifiants::IntervenantId, String)> = intervenants_lus
        .iter()
        .map(|i| (i.valeur.id, format!("{} {}", i.valeur.prenom, i.valeur.nom)))
        .collect();
    let vue_fiche = VueFiche {
        structure: lu.valeur.rapport_structure(),
        lu,
        lieux,
        intervenants,
        engagements: engagements_html,
        peut_modifier: matches!(c.acteur.role, Role::Gestionnaire | Role::Caf),
        pieces: crate::pages::pieces::section_structure(p, c, gid, &noms).await?,
    };
    Ok(gabarit(c, &vue_fiche, saisie, x).into_string())
}

fn gabarit(c: &Connecte, vue: &VueFiche, saisie: SaisieFiche<'_>, x: &Erreurs) -> Markup {
    let g = &vue.lu.valeur;
    let colonnes = [
        Colonne {
            titre: "Nom",
            nombre: false,
        },
        Colonne {
            titre: "Adresse",
            nombre: false,
        },
        Colonne {
            titre: "Modalités",
            nombre: false,
        },
    ];
    let lignes: Vec<Vec<Markup>> = vue
        .lieux
        .iter()
        .map(|l| {
            let l = &l.valeur;
            vec![
                html! { (l.nom) },
                html! { (l.adresse.voie) ", " (l.adresse.code_postal) " (" (l.adresse.commune) ")" },
                html! { (l.modalites.iter().map(|m| m.libelle()).collect::<Vec<_>>().join(", ")) },
            ]
        })
        .collect();
    let siege = NouveauLieu {
        voie_lieu: g.siege.voie.clone(),
        code_postal_lieu: g.siege.code_postal.clone(),
        commune_lieu: g.siege.commune.to_string(),
        rdv: Some("1".into()),
        sans_rdv: Some("1".into()),
        ..NouveauLieu::default()
    };
    let vide = NouvelIntervenant::default();
    let (lieu, intervenant, nouveau) = match saisie {
        SaisieFiche::Lieu(l) => (l, &vide, true),
        SaisieFiche::Intervenant(i) => (&siege, i, false),
        _ => (&siege, &vide, true),
    };
    let banque = match saisie {
        SaisieFiche::Banque(b) => Some(b),
        _ => None,
    };
    let contenu = html! {
        h1 { (g.raison_sociale) }
        (x.resume())
        dl.fiche {
            dt { "SIRET" } dd { (g.siret.formate()) }
            dt { "RNA" } dd { (g.rna.as_ref().map_or("–".to_owned(), |r| r.to_string())) }
            dt { "Statut" } dd { (g.statut.libelle()) }
            dt { "Activité" } dd { (g.activite.libelle()) }
            dt { "Siège" }
            dd { (g.siege.voie) ", " (g.siege.code_postal) " (" (g.siege.commune) "), département " (g.departement_siege.as_str()) }
        }
        h2 { "Éligibilité, telle que la Caf l'examinera" }
        (super::rapport("Structure", &vue.structure))
        @for (nom, r) in &vue.intervenants {
            (super::rapport(nom, r))
        }
        (vue.engagements)
        (coordonnees_bancaires::section(c, &vue.lu, banque, x))
        @if matches!(c.acteur.role, domain::Role::Gestionnaire | domain::Role::Intervenant | domain::Role::Caf) {
            p { a href={ "/structures/" (g.id.0) "/questionnaire" } { "Questionnaires d’évaluation : liens et QR codes" } }
        }
        h2 { "Lieux d'accueil" }
        (vue::tableau("Lieux d'accueil", &colonnes, &lignes))
        @if vue.peut_modifier {
            (lieux::formulaire(c, g.id.0, lieu, x))
            (intervenants::formulaire(c, g.id.0, intervenant, nouveau, x))
        }
        (vue.pieces)
    };
    vue::page(&x.titre(&g.raison_sociale), Some(c), "/structures", contenu)
}
