//! The templates of the services' pages: a gestionnaire's list (with the AIP services proposed
//! from its conventions), the Caf's moderation queue, the form of a service (its places in
//! numbered slots), and the page of one service showing what the public will read, with the
//! actions its reader may take.

use app::{Lu, PropositionAip};
use domain::annuaire::{
    CHAMPS_LIEUX, EXEMPLES_HORAIRES, EtatPublication, Frais, Horaires, MAX_LIEUX, Mode, Public,
    SaisieLieuService, SaisieService, Service, TypeService,
};
use domain::appel_a_projets::Dispositif;
use domain::{Acteur, Role};
use maud::{Markup, html};

use super::formulaire::champ_lieu_enregistre;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::session::Connecte;
use crate::vue::{self, Colonne, Ton, champ_csrf, etiquette, tableau};

/// A service's state as a tag.
pub(super) fn etat(e: EtatPublication) -> Markup {
    let ton = match e {
        EtatPublication::Brouillon | EtatPublication::Retire => Ton::Neutre,
        EtatPublication::AModerer => Ton::Attente,
        EtatPublication::Publie => Ton::Succes,
        EtatPublication::Refuse => Ton::Refus,
    };
    etiquette(e.libelle(), ton)
}

fn colonne(titre: &str) -> Colonne<'_> {
    Colonne {
        titre,
        nombre: false,
    }
}

fn nom_commune(code: domain::identifiants::CodeInsee) -> String {
    app::communes_embarquees()
        .ok()
        .and_then(|c| c.get(code))
        .map_or_else(|| code.to_string(), |c| c.nom.clone())
}

fn confirmation(fait: Option<&str>) -> Markup {
    let texte = match fait {
        Some("cree") => {
            "Service enregistré comme brouillon. Soumettez-le à la Caf quand il est prêt."
        }
        Some("modifie") => {
            "Modifications enregistrées. Soumettez-les à la Caf pour qu’elles soient publiées."
        }
        Some("soumis") => "Service soumis à la modération de la Caf.",
        Some("retire") => "Service retiré de l’annuaire.",
        Some("publie") => "Service publié dans l’annuaire.",
        Some("refuse") => "Service refusé : le gestionnaire lit votre motif.",
        _ => return html! {},
    };
    html! {
        div class="encadre succes" role="status" id="confirmation" { p { strong { (texte) } } }
    }
}

fn lignes_services(services: &[Lu<Service>]) -> Vec<Vec<Markup>> {
    services
        .iter()
        .map(|s| {
            let s = &s.valeur;
            vec![
                html! { a href={ "/services/" (s.id) } { (s.nom) } },
                html! { (s.dispositif.libelle()) },
                html! {
                    (s.lieux.iter().map(|l| nom_commune(l.adresse.commune)).collect::<Vec<_>>().join(", "))
                },
                html! {
                    (etat(s.etat))
                    @if s.version_publiee.is_some() { " " span.aide { "(version précédente en ligne)" } }
                },
                html! { (crate::fr::date(crate::fr::heure_de_paris(s.mis_a_jour_le).date())) },
            ]
        })
        .collect()
}

/// The list of a gestionnaire's services, and the AIP services proposed to it.
pub(super) fn liste_gestionnaire(
    c: &Connecte,
    services: &[Lu<Service>],
    propositions: &[PropositionAip],
    fait: Option<&str>,
) -> Markup {
    vue::page(
        "Services aux parents",
        Some(c),
        "/services",
        html! {
            h1 { "Services aux parents" }
            (confirmation(fait))
            p { "Les services que votre structure propose aux parents. Une fois publiés par la Caf, ils paraissent dans l’annuaire public, avec leur date de mise à jour." }
            @if c.acteur.role == Role::Gestionnaire {
                p { a.bouton href="/services/nouveau" { "Décrire un nouveau service" } }
            }
            (tableau(
                "Vos services",
                &[colonne("Service"), colonne("Dispositif"), colonne("Communes"), colonne("État"), colonne("Mis à jour le")],
                &lignes_services(services),
            ))
            @if !propositions.is_empty() {
                h2 id="propositions" { "Services AIP proposés depuis vos conventions" }
                p { "Chaque lieu d’une convention AIP signée peut paraître dans l’annuaire. Le service est prérempli : complétez-le (ses horaires surtout) puis soumettez-le à la Caf." }
                ul {
                    @for p in propositions {
                        li {
                            (p.lieu.nom) " — convention " (p.convention.numero) " — "
                            a href={ "/services/nouveau?convention=" (p.convention.id) "&lieu=" (p.lieu.id) } {
                                "Compléter le service proposé" span.sr-only { " pour " (p.lieu.nom) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The Caf's page: the services waiting for its moderation, then every service of its
/// départements.
pub(super) fn liste_caf(
    c: &Connecte,
    a_moderer: &[Lu<Service>],
    tous: &[Lu<Service>],
    fait: Option<&str>,
) -> Markup {
    vue::page(
        "Services aux parents",
        Some(c),
        "/services",
        html! {
            h1 { "Services aux parents" }
            (confirmation(fait))
            p { "Les services que les structures de vos départements publient dans l’annuaire des parents. Chacun paraît une fois que vous l’avez publié ; un service refusé revient à son gestionnaire avec votre motif." }
            h2 id="moderation" { "À modérer (" (a_moderer.len()) ")" }
            (tableau(
                "Services à modérer, du plus ancien au plus récent",
                &[colonne("Service"), colonne("Dispositif"), colonne("Communes"), colonne("État"), colonne("Soumis le")],
                &lignes_services(a_moderer),
            ))
            h2 { "Tous les services de vos départements" }
            (tableau(
                "Services des départements",
                &[colonne("Service"), colonne("Dispositif"), colonne("Communes"), colonne("État"), colonne("Mis à jour le")],
                &lignes_services(tous),
            ))
        },
    )
}

fn options_dispositifs() -> Vec<(&'static str, String)> {
    let mut v = vec![("", "— choisir —".to_owned())];
    v.extend(
        Dispositif::TOUS
            .into_iter()
            .map(|d| (d.code(), crate::formulaire::majuscule(d.libelle()))),
    );
    v
}

fn options_types() -> Vec<(&'static str, String)> {
    let mut v = vec![("", "— choisir —".to_owned())];
    v.extend(
        TypeService::TOUS
            .into_iter()
            .map(|t| (t.code(), crate::formulaire::majuscule(t.libelle()))),
    );
    v
}

/// A group of checkboxes sharing `nom`; the first box carries the id `nom` so that the error
/// summary links to it.
fn cases(
    nom: &str,
    legende: &str,
    options: &[(&str, &str)],
    choisis: &[String],
    x: &Erreurs,
) -> Markup {
    let erreur = x.de(nom);
    let id_erreur = format!("{nom}-erreur");
    html! {
        fieldset.en-erreur[erreur.is_some()] aria-describedby=[erreur.as_ref().map(|_| id_erreur.as_str())] {
            legend { (legende) }
            @if let Some(m) = &erreur { p.message-erreur id=(id_erreur) { (m) } }
            @for (i, (code, libelle)) in options.iter().enumerate() {
                @let id = if i == 0 { nom.to_owned() } else { format!("{nom}-{code}") };
                div.champ {
                    input type="checkbox" id=(id) name=(nom) value=(code)
                        checked[choisis.iter().any(|c| c == code)];
                    " "
                    label.en-ligne for=(id) { (libelle) }
                }
            }
        }
    }
}

fn aide_horaires() -> String {
    format!(
        "Au format OpenStreetMap : jours en anglais abrégés (Mo Tu We Th Fr Sa Su, PH pour les jours fériés), plages HH:MM-HH:MM séparées par des virgules, règles séparées par des points-virgules. Exemples : {}.",
        EXEMPLES_HORAIRES
            .iter()
            .map(|e| format!("« {e} »"))
            .collect::<Vec<_>>()
            .join(" ; ")
    )
}

fn bloc_lieu(rang: usize, l: &SaisieLieuService, x: &Erreurs) -> Markup {
    let Some(c) = CHAMPS_LIEUX.get(rang - 1) else {
        return html! {};
    };
    let aide = aide_horaires();
    let legende = if rang == 1 {
        "Lieu 1".to_owned()
    } else {
        format!("Lieu {rang} (facultatif)")
    };
    html! {
        fieldset.lieu {
            legend { (legende) }
            @if let Some(id) = l.lieu {
                input type="hidden" name=(champ_lieu_enregistre(rang)) value=(id);
            }
            (Champ::new(c.nom, "Nom du lieu").aide("Facultatif : « Maison des familles »").erreurs(x).longueur_max(200).texte(&l.nom))
            (Champ::new(c.voie, "Numéro et voie").erreurs(x).requis_si(rang == 1).autocomplete("address-line1").longueur_max(200).texte(&l.voie))
            (Champ::new(c.complement, "Complément d’adresse").aide("Bâtiment, étage…").erreurs(x).autocomplete("address-line2").longueur_max(200).texte(&l.complement))
            (Champ::new(c.code_postal, "Code postal").erreurs(x).requis_si(rang == 1).clavier(Clavier::Numerique).autocomplete("postal-code").longueur_max(5).texte(&l.code_postal))
            (Champ::new(c.commune, "Code INSEE de la commune").aide("5 caractères, par exemple 38185 pour Grenoble (ce n’est pas le code postal)").erreurs(x).requis_si(rang == 1).longueur_max(5).texte(&l.commune))
            (Champ::new(c.horaires, "Horaires d’ouverture").aide(&aide).erreurs(x).requis_si(rang == 1).longueur_max(255).texte(&l.horaires))
            details {
                summary { "Position sur la carte (facultatif)" }
                p.aide { "Sans coordonnées, le lieu est placé au centre de sa commune." }
                (Champ::new(c.latitude, "Latitude").aide("Degrés décimaux, par exemple 45,1885").erreurs(x).clavier(Clavier::Decimal).texte(&l.latitude))
                (Champ::new(c.longitude, "Longitude").aide("Degrés décimaux, par exemple 5,7245").erreurs(x).clavier(Clavier::Decimal).texte(&l.longitude))
            }
        }
    }
}

/// Extension of the field template for the place slots: required only on the first slot.
trait RequisSi {
    fn requis_si(self, requis: bool) -> Self;
}

impl RequisSi for Champ<'_> {
    fn requis_si(self, requis: bool) -> Self {
        if requis { self.requis() } else { self }
    }
}

/// The form of a service: new (`action` `/services/nouveau`) or an edit.
pub(super) fn formulaire(
    c: &Connecte,
    titre: &str,
    action: &str,
    s: &SaisieService,
    x: &Erreurs,
) -> Markup {
    let dispositifs = options_dispositifs();
    let dispositifs: Vec<(&str, &str)> =
        dispositifs.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let types = options_types();
    let types: Vec<(&str, &str)> = types.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let publics: Vec<(&str, &str)> = Public::TOUS
        .iter()
        .map(|p| (p.code(), p.libelle()))
        .collect();
    let modes: Vec<(&str, &str)> = Mode::TOUS.iter().map(|m| (m.code(), m.libelle())).collect();
    let frais: Vec<(&str, String)> = std::iter::once(("", "— choisir —".to_owned()))
        .chain(
            Frais::TOUS
                .iter()
                .map(|f| (f.code(), crate::formulaire::majuscule(f.libelle()))),
        )
        .collect();
    let frais: Vec<(&str, &str)> = frais.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let vides = SaisieLieuService::default();
    let creneaux = (s.lieux.iter().filter(|l| !l.est_vide()).count() + 1).clamp(2, MAX_LIEUX);
    vue::page(
        &x.titre(titre),
        Some(c),
        "/services",
        html! {
            p { a href="/services" { "← Services aux parents" } }
            h1 { (titre) }
            (x.resume())
            p { "Les champs marqués d’un astérisque sont obligatoires. Ce que vous écrivez ici paraîtra dans l’annuaire public une fois le service publié par la Caf : n’y mettez aucune donnée personnelle." }
            form method="post" action=(action) novalidate {
                (champ_csrf(c))
                @if let Some(conv) = s.convention {
                    input type="hidden" name="convention" value=(conv);
                    p.aide { "Service lié à la convention n° " (conv) "." }
                }
                fieldset {
                    legend { "Le service" }
                    (Champ::new("dispositif", "Dispositif").erreurs(x).requis().liste(&dispositifs, &s.dispositif))
                    (Champ::new("type_service", "Type de service").erreurs(x).requis().liste(&types, &s.type_service))
                    (Champ::new("nom", "Nom du service").aide("Tel que les parents le liront : « Lieu d’accueil enfants-parents Les Petits Pas »").erreurs(x).requis().longueur_max(200).texte(&s.nom))
                    (Champ::new("description", "Description").aide("Ce que le parent y trouve, en mots simples.").erreurs(x).requis().zone(&s.description))
                }
                (cases("publics", "Pour qui ? *", &publics, &s.publics, x))
                (cases("modes", "Comment ? *", &modes, &s.modes, x))
                fieldset {
                    legend { "Coût pour les familles" }
                    (Champ::new("frais", "Frais").erreurs(x).requis().liste(&frais, &s.frais))
                    (Champ::new("precision_frais", "Précision sur le tarif").aide("Obligatoire si le service n’est pas gratuit : « barème national de la Cnaf »").erreurs(x).longueur_max(200).texte(&s.precision_frais))
                }
                fieldset {
                    legend { "Comment joindre le service (au moins un moyen)" }
                    (Champ::new("telephone", "Téléphone").aide("Par exemple 04 76 12 34 56").erreurs(x).autocomplete("tel").texte(&s.telephone))
                    (Champ::new("courriel", "Adresse électronique").aide("Une adresse de la structure, pas une adresse personnelle").erreurs(x).autocomplete("email").texte(&s.courriel))
                    (Champ::new("lien", "Site web").aide("Commence par https://").erreurs(x).autocomplete("url").texte(&s.lien))
                    (Champ::new("sans_rendez_vous", "Les parents peuvent venir sans rendez-vous pendant les horaires d’ouverture").erreurs(x).case(s.sans_rendez_vous))
                }
                fieldset {
                    legend { "Accessibilité" }
                    (Champ::new("fauteuil_roulant", "Accessible en fauteuil roulant").case(s.fauteuil_roulant))
                    (Champ::new("boucle_magnetique", "Boucle magnétique pour les personnes malentendantes").case(s.boucle_magnetique))
                    (Champ::new("precision_accessibilite", "Autre précision").aide("Par exemple : accueil en langue des signes sur demande").erreurs(x).longueur_max(200).texte(&s.precision_accessibilite))
                }
                h2 { "Lieux d’accueil" }
                @for rang in 1..=creneaux {
                    (bloc_lieu(rang, s.lieux.get(rang - 1).unwrap_or(&vides), x))
                }
                (Champ::new("zone_eligibilite", "Autres communes desservies").aide("Facultatif : codes INSEE séparés par des virgules, si le service accueille les familles d’autres communes que celles de ses lieux").erreurs(x).texte(&s.zone_eligibilite))
                button type="submit" { "Enregistrer le brouillon" }
            }
        },
    )
}

fn oui(b: bool) -> &'static str {
    if b { "oui" } else { "non" }
}

fn lire_horaires(h: &Horaires) -> Markup {
    html! {
        @match h.en_francais() {
            Some(fr) => { (crate::formulaire::majuscule(&fr)) " " span.aide { "(" code { (h.as_str()) } ")" } },
            None => { code { (h.as_str()) } },
        }
    }
}

/// What the public reads of `s`.
pub(super) fn fiche(s: &Service) -> Markup {
    html! {
        dl.fiche {
            dt { "Dispositif" } dd { (crate::formulaire::majuscule(s.dispositif.libelle())) }
            dt { "Type" } dd { (crate::formulaire::majuscule(s.type_service.libelle())) }
            dt { "Description" } dd { (s.description) }
            dt { "Pour qui" } dd { (s.publics.iter().map(|p| p.libelle()).collect::<Vec<_>>().join(", ")) }
            dt { "Comment" } dd { (s.modes.iter().map(|m| m.libelle()).collect::<Vec<_>>().join(", ")) }
            dt { "Coût" } dd {
                (crate::formulaire::majuscule(s.tarification.frais.libelle()))
                @if let Some(p) = &s.tarification.precision { " — " (p) }
            }
            dt { "Contact" } dd {
                ul {
                    @if let Some(t) = &s.contacts.telephone { li { "Téléphone : " (t) } }
                    @if let Some(e) = &s.contacts.courriel { li { "Courriel : " (e.as_str()) } }
                    @if let Some(l) = &s.contacts.lien { li { "Site : " (l) } }
                    @if s.contacts.sans_rendez_vous { li { "Sans rendez-vous pendant les horaires d’ouverture" } }
                }
            }
            dt { "Accessibilité" } dd {
                "Fauteuil roulant : " (oui(s.accessibilite.fauteuil_roulant))
                " · boucle magnétique : " (oui(s.accessibilite.boucle_magnetique))
                @if let Some(p) = &s.accessibilite.precision { " · " (p) }
            }
            @if !s.zone_eligibilite.is_empty() {
                dt { "Autres communes desservies" }
                dd { (s.zone_eligibilite.iter().map(|c| nom_commune(*c)).collect::<Vec<_>>().join(", ")) }
            }
            dt { "Mis à jour le" } dd { (crate::fr::date(crate::fr::heure_de_paris(s.mis_a_jour_le).date())) }
        }
        @for (i, l) in s.lieux.iter().enumerate() {
            h3 { "Lieu " (i + 1) @if let Some(n) = &l.nom { " — " (n) } }
            p {
                (l.adresse.voie) br;
                @if let Some(c) = &l.adresse.complement { (c) br; }
                (l.adresse.code_postal) " " (nom_commune(l.adresse.commune))
            }
            p { "Horaires : " (lire_horaires(&l.horaires)) }
        }
    }
}

fn peut_gerer(a: &Acteur, s: &Service) -> bool {
    a.role == Role::Gestionnaire && a.gestionnaires.contains(&s.gestionnaire)
}

fn peut_moderer(a: &Acteur, s: &Service) -> bool {
    a.role == Role::Caf && a.departements.contains(&s.departement)
}

/// The page of one service: its state, what the public will read, the actions of its reader.
pub(super) fn page_service(
    c: &Connecte,
    lu: &Lu<Service>,
    x: &Erreurs,
    motif: &str,
    fait: Option<&str>,
) -> Markup {
    let s = &lu.valeur;
    let gerer = peut_gerer(&c.acteur, s);
    let moderer = peut_moderer(&c.acteur, s) && s.etat == EtatPublication::AModerer;
    vue::page(
        &x.titre(&s.nom),
        Some(c),
        "/services",
        html! {
            p { a href="/services" { "← Services aux parents" } }
            h1 { (s.nom) }
            (confirmation(fait))
            (x.resume())
            p { "État : " (etat(s.etat)) }
            @if let (EtatPublication::Refuse, Some(m)) = (s.etat, &s.motif_refus) {
                div class="encadre erreur" { p { strong { "Motif du refus de la Caf : " } (m) } }
            }
            @if s.version_publiee.is_some() {
                div class="encadre" { p { "Une version précédente de ce service reste en ligne jusqu’à la publication de celle-ci." } }
            }
            @if gerer {
                div.actions {
                    a.bouton href={ "/services/" (s.id) "/modification" } { "Modifier" }
                    @if matches!(s.etat, EtatPublication::Brouillon | EtatPublication::Refuse | EtatPublication::Retire) {
                        form method="post" action={ "/services/" (s.id) "/soumission" } {
                            (champ_csrf(c))
                            button type="submit" { "Soumettre à la Caf" }
                        }
                    }
                    @if s.etat != EtatPublication::Retire {
                        form method="post" action={ "/services/" (s.id) "/retrait" } {
                            (champ_csrf(c))
                            button.secondaire type="submit" { "Retirer de l’annuaire" }
                        }
                    }
                }
            }
            h2 { @if moderer { "Ce qui sera public" } @else { "Ce que les parents liront" } }
            (fiche(s))
            @if moderer {
                h2 id="decision" { "Décision de la Caf" }
                form method="post" action={ "/services/" (s.id) "/decision" } {
                    (champ_csrf(c))
                    button type="submit" name="decision" value="publier" { "Publier dans l’annuaire" }
                }
                form method="post" action={ "/services/" (s.id) "/decision" } {
                    (champ_csrf(c))
                    input type="hidden" name="decision" value="refuser";
                    (Champ::new("motif", "Motif du refus").aide("Le gestionnaire le lira pour corriger son service.").erreurs(x).requis().zone(motif))
                    button.secondaire type="submit" { "Refuser" }
                }
            }
        },
    )
}
