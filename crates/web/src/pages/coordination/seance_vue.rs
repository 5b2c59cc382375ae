//! The template of a séance's page: what it is, its agenda, the convocations with their proof of
//! sending and the answers, the attendance and quorum, the minutes with their decisions and
//! actions, the earlier séances followed up, and the forms the reader may use in the séance's
//! state.

use app::{Lu, VueSeance};
use domain::coordination::{
    ActionSuivie, EtatCompteRendu, EtatSeance, LienPoint, Membre, Reponse, Seance, StatutAction,
};
use domain::identifiants::MembreId;
use maud::{Markup, html};

use super::formulaires::{Paires, actions_en_lignes};
use super::{etat_compte_rendu, etat_seance, quand};
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf, tableau};

fn confirmation(fait: &str) -> Option<Markup> {
    let (texte, suite) = match fait {
        "planifiee" => (
            "Séance planifiée.",
            "Prochaine étape : convoquer les membres.",
        ),
        "modifiee" => (
            "Séance modifiée.",
            "Les membres convoqués reçoivent la convocation mise à jour, que leur agenda remplace.",
        ),
        "convoquee" => (
            "Membres convoqués.",
            "Chacun reçoit sa convocation, l'invitation à son agenda et son lien personnel de réponse ; l'heure d'envoi est notée ci-dessous.",
        ),
        "annulee" => (
            "Séance annulée.",
            "Les membres convoqués reçoivent l'annulation, qui retire la séance de leur agenda.",
        ),
        "reponse" => ("Réponse enregistrée.", ""),
        "emargee" => (
            "Émargement enregistré.",
            "Le quorum est calculé ; le compte rendu peut être rédigé.",
        ),
        "redige" => (
            "Compte rendu enregistré.",
            "Soumettez-le aux membres pour leurs remarques.",
        ),
        "soumis" => (
            "Compte rendu soumis aux membres.",
            "Chacun le reçoit par courriel avec son lien pour le commenter ; il sera approuvé à la séance suivante.",
        ),
        "approuve" => ("Compte rendu approuvé.", "Il peut être publié."),
        "publie" => (
            "Compte rendu publié.",
            "Son PDF est lisible par les membres.",
        ),
        "suivie" => ("Suivi de l'action enregistré.", ""),
        "commente" => ("Commentaire envoyé au secrétariat.", ""),
        _ => return None,
    };
    Some(html! {
        div class="encadre succes" role="status" id="confirmation" { p { strong { (texte) } " " (suite) } }
    })
}

fn nom(membres: &[Lu<Membre>], id: MembreId) -> String {
    membres
        .iter()
        .find(|m| m.valeur.id == id)
        .map_or(format!("membre n° {id}"), |m| {
            format!("{} ({})", m.valeur.personne, m.valeur.organisation)
        })
}

fn reponse_en_clair(membres: &[Lu<Membre>], r: Option<Reponse>) -> String {
    match r {
        None => "pas de réponse".to_owned(),
        Some(Reponse::Represente { par }) => format!("représenté par {}", nom(membres, par)),
        Some(r) => r.libelle().to_owned(),
    }
}

/// The page of a séance.
pub(super) fn page(
    c: &Connecte,
    v: &VueSeance,
    fait: Option<&str>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Markup {
    let s = &v.seance.valeur;
    let instance = &v.instance.instance.valeur;
    let secretariat = v.instance.secretariat;
    let envoye = |action: &str| saisie.filter(|p| p.valeur("action") == action);
    // A séance of the national instance sits under the national experiment's menu entry, as
    // the instance's own page does.
    let rubrique = if instance.forme.departementale() {
        "/coordination"
    } else {
        "/candidatures"
    };
    vue::page(
        &x.titre(&s.titre),
        Some(c),
        rubrique,
        html! {
            @if instance.forme.departementale() {
                p { a href={ "/coordination/" (instance.departement) } { "← " (instance.appellation()) } }
            } @else {
                p { a href="/instance-nationale" { "← " (instance.appellation()) } }
            }
            h1 { (s.titre) " " (etat_seance(s)) }
            (x.resume())
            @if let Some(m) = fait.and_then(confirmation) { (m) }
            dl {
                dt { "Date" } dd { (quand(s.debut)) ", " (s.duree_minutes) " minutes" }
                dt { "Lieu" } dd { (s.lieu) }
                dt { "Niveau" } dd { (s.niveau.libelle()) @if let Some(g) = &s.groupe { " « " (g) " »" } }
                @if let Some(m) = &s.motif_annulation { dt { "Motif de l'annulation" } dd { (m) } }
            }
            (ordre_du_jour(s, instance.departement))
            (convocations(c, v, envoye("repondre"), x))
            (emargement(c, v, envoye("emarger"), x))
            (compte_rendu(c, v, envoye("rediger"), envoye("commenter"), x))
            (precedentes(c, v, x))
            @if secretariat {
                (gestion(c, s, envoye("modifier"), envoye("annuler"), envoye("convoquer"), x))
            }
            p { a href={ "/seances/" (s.id) "/emargement.pdf" } { "Feuille d'émargement (PDF)" } }
            @if s.compte_rendu.as_ref().is_some_and(|cr| cr.etat == EtatCompteRendu::Publie) {
                p { a href={ "/seances/" (s.id) "/compte-rendu.pdf" } { "Compte rendu publié (PDF)" } }
            }
        },
    )
}

fn ordre_du_jour(s: &Seance, departement: domain::identifiants::CodeDepartement) -> Markup {
    html! {
        section aria-labelledby="titre-odj" {
            h2 id="titre-odj" { "Ordre du jour" }
            ol {
                @for p in &s.ordre_du_jour {
                    li {
                        @match &p.lien {
                            Some(LienPoint::Dossier { dossier }) => a href={ "/dossiers/" (dossier) } { (p.titre) },
                            Some(LienPoint::Diagnostic) => a href={ "/coordination/diagnostic?departement=" (departement) } { (p.titre) },
                            Some(LienPoint::ActionDuPlan { .. }) => a href="/coordination/plan-d-action" { (p.titre) },
                            None => (p.titre),
                        }
                    }
                }
            }
        }
    }
}

fn champ_version(v: &VueSeance) -> Markup {
    html! { input type="hidden" name="version" value=(v.seance.version); }
}

fn choix_reponse(
    membres: &[Lu<Membre>],
    s: &Seance,
    soi: Option<MembreId>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Markup {
    let choisi = saisie.map(|p| p.valeur("reponse")).unwrap_or_default();
    let par: Vec<(String, String)> = std::iter::once((String::new(), "— choisir —".to_owned()))
        .chain(
            s.convocations
                .keys()
                .filter(|m| Some(**m) != soi)
                .map(|m| (m.to_string(), nom(membres, *m))),
        )
        .collect();
    let par: Vec<(&str, &str)> = par.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    html! {
        fieldset aria-describedby=[x.de("reponse").map(|_| "reponse-erreur")] {
            legend { "Réponse" }
            @if let Some(m) = x.de("reponse") { p.message-erreur id="reponse-erreur" { (m) } }
            @for (code, libelle) in [("present", "Présent(e)"), ("absent", "Absent(e)"), ("represente", "Représenté(e) par un autre membre, à qui je donne pouvoir")] {
                div.champ {
                    input type="radio" id={ "reponse-" (code) } name="reponse" value=(code) checked[choisi == code];
                    " "
                    label.en-ligne for={ "reponse-" (code) } { (libelle) }
                }
            }
        }
        (Champ::new("par", "Représenté(e) par (pouvoir)").aide("Un membre convoqué à la même séance ; nul ne détient plus d'un pouvoir").erreurs(x).liste(&par, saisie.map(|p| p.valeur("par")).unwrap_or_default()))
    }
}

fn convocations(c: &Connecte, v: &VueSeance, saisie: Option<&Paires>, x: &Erreurs) -> Markup {
    let s = &v.seance.valeur;
    let membres = &v.instance.membres;
    let lignes: Vec<Vec<Markup>> = s
        .convocations
        .values()
        .map(|conv| {
            vec![
                html! { (nom(membres, conv.membre)) },
                html! { (quand(conv.envoyee_le)) },
                html! { (reponse_en_clair(membres, conv.reponse)) },
                html! { @match conv.repondu_le { Some(t) => (quand(t)), None => "—" } },
            ]
        })
        .collect();
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    let moi = v.instance.moi.filter(|m| s.convocations.contains_key(m));
    let ouverte = s.etat == EtatSeance::Convoquee;
    html! {
        section id="convocations" aria-labelledby="titre-convocations" {
            h2 id="titre-convocations" { "Convocations" }
            @if s.convocations.is_empty() {
                p { "Personne n'est encore convoqué." }
            } @else {
                p { "La convocation de la version " (s.sequence + 1) " de la séance a été envoyée à chaque membre à l'heure indiquée (preuve de la convocation)." }
                (tableau("Convocations et réponses", &[colonne("Membre"), colonne("Convocation envoyée le"), colonne("Réponse"), colonne("Répondu le")], &lignes))
            }
            @if ouverte {
                @if v.instance.secretariat {
                    h3 { "Enregistrer la réponse d'un membre" }
                    form method="post" action={ "/seances/" (s.id) "/action" } novalidate {
                        (champ_csrf(c))
                        input type="hidden" name="action" value="repondre";
                        @let liste: Vec<(String, String)> = std::iter::once((String::new(), "— choisir —".to_owned())).chain(s.convocations.keys().map(|m| (m.to_string(), nom(membres, *m)))).collect();
                        @let liste: Vec<(&str, &str)> = liste.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                        (Champ::new("membre", "Membre").erreurs(x).liste(&liste, saisie.map(|p| p.valeur("membre")).unwrap_or_default()))
                        (choix_reponse(membres, s, None, saisie, x))
                        button type="submit" { "Enregistrer la réponse" }
                    }
                } @else if let Some(moi) = moi {
                    h3 { "Ma réponse" }
                    form method="post" action={ "/seances/" (s.id) "/action" } novalidate {
                        (champ_csrf(c))
                        input type="hidden" name="action" value="repondre";
                        input type="hidden" name="membre" value=(moi);
                        (choix_reponse(membres, s, Some(moi), saisie, x))
                        button type="submit" { "Envoyer ma réponse" }
                    }
                }
            }
        }
    }
}

fn emargement(c: &Connecte, v: &VueSeance, saisie: Option<&Paires>, x: &Erreurs) -> Markup {
    let s = &v.seance.valeur;
    let membres = &v.instance.membres;
    html! {
        @if let Some(q) = &s.quorum {
            section id="emargement" aria-labelledby="titre-emargement" {
                h2 id="titre-emargement" { "Émargement et quorum" }
                p {
                    (q.presents) " présent(s) et " (q.representes) " représenté(s) sur " (q.membres) " membre(s) convoqué(s) ; il en faut " (q.requis) " : "
                    @if q.atteint { strong { "quorum atteint." } } @else { strong { "quorum non atteint." } }
                }
                ul {
                    @for m in &s.emargement { li { (nom(membres, *m)) } }
                }
            }
        }
        @if v.instance.secretariat && s.etat == EtatSeance::Convoquee {
            section id="emargement" aria-labelledby="titre-emarger" {
                h2 id="titre-emarger" { "Émargement" }
                p.aide { "Le jour de la séance, cochez les membres présents qui ont signé la feuille d'émargement." }
                form method="post" action={ "/seances/" (s.id) "/action" } novalidate {
                    (champ_csrf(c))
                    (champ_version(v))
                    input type="hidden" name="action" value="emarger";
                    @let coches = saisie.map(|p| p.valeurs("presents")).unwrap_or_default();
                    fieldset aria-describedby=[x.de("presents").map(|_| "presents-erreur")] {
                        legend { "Présents" }
                        @if let Some(m) = x.de("presents") { p.message-erreur id="presents-erreur" { (m) } }
                        @for id in s.convocations.keys() {
                            div.champ {
                                input type="checkbox" id={ "present-" (id) } name="presents" value=(id) checked[coches.contains(&id.to_string().as_str())];
                                " "
                                label.en-ligne for={ "present-" (id) } { (nom(membres, *id)) }
                            }
                        }
                    }
                    button type="submit" { "Enregistrer l'émargement" }
                }
            }
        }
    }
}

fn liste_actions(c: &Connecte, v: &VueSeance, seance: &Seance, actions: &[ActionSuivie]) -> Markup {
    let statuts: Vec<(&str, &str)> = StatutAction::TOUS
        .iter()
        .map(|s| (s.code(), s.libelle()))
        .collect();
    let lignes: Vec<Vec<Markup>> = actions
        .iter()
        .map(|a| {
            vec![
                html! { (a.numero) },
                html! { (a.libelle) },
                html! { (a.porteur) },
                html! { (fr::date(a.echeance)) },
                html! {
                    @if v.instance.secretariat {
                        form method="post" action={ "/seances/" (seance.id) "/action" } class="en-ligne" {
                            (champ_csrf(c))
                            input type="hidden" name="action" value="suivre";
                            input type="hidden" name="numero" value=(a.numero);
                            @let id = format!("statut-{}-{}", seance.id, a.numero);
                            label.sr-only for=(id) { "Statut de l'action " (a.numero) }
                            select id=(id) name="statut" {
                                @for (code, libelle) in &statuts {
                                    option value=(code) selected[*code == a.statut.code()] { (libelle) }
                                }
                            }
                            " "
                            button type="submit" { "Mettre à jour" span.sr-only { " l'action " (a.numero) } }
                        }
                    } @else {
                        (a.statut.libelle())
                    }
                },
            ]
        })
        .collect();
    let colonne = |titre, nombre| Colonne { titre, nombre };
    tableau(
        "Actions décidées",
        &[
            colonne("N°", true),
            colonne("Action", false),
            colonne("Porteur", false),
            colonne("Échéance", false),
            colonne("Statut", false),
        ],
        &lignes,
    )
}

fn compte_rendu(
    c: &Connecte,
    v: &VueSeance,
    saisie: Option<&Paires>,
    commentaire: Option<&Paires>,
    x: &Erreurs,
) -> Markup {
    let s = &v.seance.valeur;
    let membres = &v.instance.membres;
    let secretariat = v.instance.secretariat;
    let cr = s.compte_rendu.as_ref();
    let lisible = secretariat || cr.is_some_and(|cr| cr.etat != EtatCompteRendu::Brouillon);
    let modifiable = secretariat
        && s.etat == EtatSeance::Tenue
        && cr.is_none_or(|cr| {
            matches!(
                cr.etat,
                EtatCompteRendu::Brouillon | EtatCompteRendu::EnCommentaires
            )
        });
    html! {
        @if s.etat == EtatSeance::Tenue {
            section id="compte-rendu" aria-labelledby="titre-cr" {
                h2 id="titre-cr" { "Compte rendu" @if let Some(cr) = cr { " " (etat_compte_rendu(cr.etat)) } }
                @if let Some(cr) = cr.filter(|_| lisible) {
                    div.texte-long { @for p in cr.texte.split("\n\n") { p { (p) } } }
                    @if !cr.decisions.is_empty() {
                        h3 { "Décisions" }
                        ol { @for d in &cr.decisions { li { (d) } } }
                    }
                    @if !cr.actions.is_empty() {
                        h3 { "Actions" }
                        (liste_actions(c, v, s, &cr.actions))
                    }
                    @if let Some(a) = cr.approuve_en { p { "Approuvé à la séance n° " a href={ "/seances/" (a) } { (a) } "." } }
                    @if let Some(t) = cr.publie_le { p { "Publié le " (quand(t)) "." } }
                    @if !cr.commentaires.is_empty() && (secretariat || v.instance.moi.is_some()) {
                        h3 { "Commentaires des membres" }
                        ul {
                            @for com in &cr.commentaires {
                                li { strong { (nom(membres, com.membre)) } ", le " (quand(com.le)) " : " (com.texte) }
                            }
                        }
                    }
                    @if cr.etat == EtatCompteRendu::EnCommentaires && v.instance.moi.is_some_and(|m| s.convocations.contains_key(&m)) {
                        form method="post" action={ "/seances/" (s.id) "/action" } novalidate {
                            (champ_csrf(c))
                            input type="hidden" name="action" value="commenter";
                            (Champ::new("commentaire", "Votre remarque sur le compte rendu").erreurs(x).requis().zone(commentaire.map(|p| p.valeur("commentaire")).unwrap_or_default()))
                            button type="submit" { "Envoyer ma remarque" }
                        }
                    }
                    @if secretariat && cr.etat == EtatCompteRendu::Brouillon {
                        form method="post" action={ "/seances/" (s.id) "/action" } {
                            (champ_csrf(c))
                            (champ_version(v))
                            input type="hidden" name="action" value="soumettre";
                            button type="submit" { "Soumettre aux membres pour commentaires" }
                        }
                    }
                    @if secretariat && cr.etat == EtatCompteRendu::Approuve {
                        form method="post" action={ "/seances/" (s.id) "/action" } {
                            (champ_csrf(c))
                            (champ_version(v))
                            input type="hidden" name="action" value="publier";
                            button type="submit" { "Publier le compte rendu" }
                        }
                    }
                } @else if cr.is_none() || !lisible {
                    p { "Le compte rendu n'est pas encore diffusé." }
                }
                @if modifiable {
                    h3 { @if cr.is_some() { "Modifier le compte rendu" } @else { "Rédiger le compte rendu" } }
                    form method="post" action={ "/seances/" (s.id) "/action" } novalidate {
                        (champ_csrf(c))
                        (champ_version(v))
                        input type="hidden" name="action" value="rediger";
                        @let texte = saisie.map(|p| p.valeur("texte").to_owned()).or_else(|| cr.map(|c| c.texte.clone())).unwrap_or_default();
                        @let decisions = saisie.map(|p| p.valeur("decisions").to_owned()).or_else(|| cr.map(|c| c.decisions.join("\n"))).unwrap_or_default();
                        @let actions = saisie.map(|p| p.valeur("actions").to_owned()).or_else(|| cr.map(|c| actions_en_lignes(&c.actions))).unwrap_or_default();
                        (Champ::new("texte", "Relevé des échanges").erreurs(x).requis().zone(&texte))
                        (Champ::new("decisions", "Décisions, une par ligne").erreurs(x).zone(&decisions))
                        (Champ::new("actions", "Actions, une par ligne : libellé ; porteur ; échéance (JJ/MM/AAAA)").erreurs(x).zone(&actions))
                        button type="submit" { "Enregistrer le compte rendu" }
                    }
                }
            }
        }
    }
}

fn precedentes(c: &Connecte, v: &VueSeance, x: &Erreurs) -> Markup {
    let s = &v.seance.valeur;
    if v.precedentes.is_empty() {
        return html! {};
    }
    html! {
        section id="suivi" aria-labelledby="titre-suivi" {
            h2 id="titre-suivi" { "Suivi des séances précédentes" }
            @if let Some(m) = x.de("precedente") { p.message-erreur id="precedente-erreur" { (m) } }
            @for p in &v.precedentes {
                @let ps = &p.valeur;
                h3 { a href={ "/seances/" (ps.id) } { (ps.titre) } ", " (quand(ps.debut)) }
                @match &ps.compte_rendu {
                    None => p { "Compte rendu à rédiger." },
                    Some(cr) => {
                        p { "Compte rendu : " (etat_compte_rendu(cr.etat)) }
                        @if v.instance.secretariat && s.etat == EtatSeance::Tenue && matches!(cr.etat, EtatCompteRendu::Brouillon | EtatCompteRendu::EnCommentaires) {
                            form method="post" action={ "/seances/" (s.id) "/action" } {
                                (champ_csrf(c))
                                input type="hidden" name="action" value="approuver";
                                input type="hidden" name="precedente" value=(ps.id);
                                button type="submit" { "Approuver à cette séance le compte rendu du " (fr::date(fr::heure_de_paris(ps.debut).date())) }
                            }
                        }
                        @let ouvertes: Vec<ActionSuivie> = cr.actions.iter().filter(|a| a.statut.ouverte()).cloned().collect();
                        @if !ouvertes.is_empty() { (liste_actions(c, v, ps, &ouvertes)) }
                    }
                }
            }
        }
    }
}

fn gestion(
    c: &Connecte,
    s: &Seance,
    modifier: Option<&Paires>,
    annuler: Option<&Paires>,
    convoquer: Option<&Paires>,
    x: &Erreurs,
) -> Markup {
    let ouverte = matches!(s.etat, EtatSeance::EnPreparation | EtatSeance::Convoquee);
    if !ouverte {
        return html! {};
    }
    let local = fr::heure_de_paris(s.debut);
    let date = modifier.map_or_else(|| local.date().to_string(), |p| p.valeur("date").to_owned());
    let heure = modifier.map_or_else(
        || format!("{:02}:{:02}", local.hour(), local.minute()),
        |p| p.valeur("heure").to_owned(),
    );
    let autres: String = s
        .ordre_du_jour
        .iter()
        .filter(|p| p.lien.is_none())
        .map(|p| p.titre.clone())
        .collect::<Vec<_>>()
        .join("\n");
    html! {
        section id="gestion" aria-labelledby="titre-gestion" {
            h2 id="titre-gestion" { "Secrétariat" }
            @if s.etat == EtatSeance::EnPreparation {
                h3 { "Convoquer les membres" }
                form method="post" action={ "/seances/" (s.id) "/action" } novalidate {
                    (champ_csrf(c))
                    input type="hidden" name="action" value="convoquer";
                    p.aide { "Chaque membre qui siège à ce niveau reçoit sa convocation par courriel avec l'invitation à son agenda (.ics) et un lien personnel pour répondre, " (domain::coordination::PREAVIS_JOURS) " jours au moins avant la séance sauf urgence." }
                    (Champ::new("urgence", "Urgence : convoquer moins de cinq jours avant").erreurs(x).case(convoquer.is_some_and(|p| p.coche("urgence"))))
                    button type="submit" { "Convoquer les membres" }
                }
            }
            h3 { "Modifier la séance" }
            @if s.etat == EtatSeance::Convoquee { p.aide { "Les convoqués recevront la convocation mise à jour." } }
            form method="post" action={ "/seances/" (s.id) "/action" } novalidate {
                (champ_csrf(c))
                input type="hidden" name="action" value="modifier";
                input type="hidden" name="niveau" value=(s.niveau.code());
                @if let Some(g) = &s.groupe { input type="hidden" name="groupe" value=(g); }
                @for p in &s.ordre_du_jour {
                    @match &p.lien {
                        Some(LienPoint::Dossier { dossier }) => input type="hidden" name="dossiers" value=(dossier);,
                        Some(LienPoint::Diagnostic) => input type="hidden" name="diagnostic" value="1";,
                        _ => {}
                    }
                }
                (Champ::new("titre", "Intitulé").erreurs(x).requis().texte(modifier.map_or(s.titre.as_str(), |p| p.valeur("titre"))))
                (Champ::new("date", "Date").erreurs(x).requis().saisie("date", &date))
                (Champ::new("heure", "Heure de début (heure de Paris)").erreurs(x).requis().saisie("time", &heure))
                (Champ::new("duree_minutes", "Durée (minutes)").erreurs(x).clavier(Clavier::Numerique).requis().texte(&modifier.map_or_else(|| s.duree_minutes.to_string(), |p| p.valeur("duree_minutes").to_owned())))
                (Champ::new("lieu", "Lieu").erreurs(x).requis().texte(modifier.map_or(s.lieu.as_str(), |p| p.valeur("lieu"))))
                (Champ::new("ordre_du_jour", "Points de l'ordre du jour (hors dossiers), un par ligne").erreurs(x).zone(&modifier.map_or(autres, |p| p.valeur("ordre_du_jour").to_owned())))
                button type="submit" { "Enregistrer les modifications" }
            }
            h3 { "Annuler la séance" }
            form method="post" action={ "/seances/" (s.id) "/action" } novalidate {
                (champ_csrf(c))
                input type="hidden" name="action" value="annuler";
                (Champ::new("motif", "Motif de l'annulation").erreurs(x).requis().zone(annuler.map(|p| p.valeur("motif")).unwrap_or_default()))
                button type="submit" class="secondaire" { "Annuler la séance" }
            }
        }
    }
}
