//! `GET /annuaire/services/{id}`: everything public about a published service (what it is, for
//! whom, its places with their opening hours in words, modes, fees, how to reach it, its
//! accessibility, its last update), with its schema.org description as JSON-LD for search
//! engines. A service that is not published (draft, under moderation, refused, withdrawn, or
//! unknown) is « page introuvable » (404), whoever asks.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Html;
use domain::annuaire::{Frais, Mode, Service};
use domain::identifiants::ServiceId;
use maud::{Markup, PreEscaped, html};
use serde_json::{Value, json};

use super::recherche::dispositif_en_clair;
use crate::erreur::ErreurWeb;
use crate::pages::coordination::adresse_publique;
use crate::pages::filtres_dossiers::communes;
use crate::{Etat, fr, vue};

fn nom_commune(code: domain::identifiants::CodeInsee) -> String {
    communes()
        .and_then(|c| c.get(code))
        .map_or_else(|| code.as_str().to_owned(), |c| c.nom.clone())
}

/// The date of the last update, in French (« 3 mars 2026 »).
fn date_longue(d: time::Date) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let mois = MOIS
        .get(usize::from(u8::from(d.month())) - 1)
        .copied()
        .unwrap_or_default();
    let jour = if d.day() == 1 {
        "1er".to_owned()
    } else {
        d.day().to_string()
    };
    format!("{jour} {mois} {}", d.year())
}

/// The schema.org description of the service (a `Service` offered at `Place`s), as JSON-LD.
pub fn json_ld(s: &Service, adresse: &str) -> Value {
    let lieux: Vec<Value> = s
        .lieux
        .iter()
        .map(|l| {
            let mut lieu = json!({
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": l.adresse.voie,
                    "postalCode": l.adresse.code_postal,
                    "addressLocality": nom_commune(l.adresse.commune),
                    "addressCountry": "FR",
                },
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": l.position.latitude,
                    "longitude": l.position.longitude,
                },
                "openingHours": l.horaires.as_str(),
            });
            if let (Some(nom), Some(o)) = (&l.nom, lieu.as_object_mut()) {
                o.insert("name".to_owned(), json!(nom));
            }
            lieu
        })
        .collect();
    let mut canal = json!({
        "@type": "ServiceChannel",
        "serviceLocation": lieux,
        "serviceUrl": adresse,
    });
    if let (Some(t), Some(o)) = (&s.contacts.telephone, canal.as_object_mut()) {
        o.insert(
            "servicePhone".to_owned(),
            json!({ "@type": "ContactPoint", "telephone": t }),
        );
    }
    let zone: Vec<Value> = s
        .communes_desservies()
        .into_iter()
        .map(|c| json!({ "@type": "City", "name": nom_commune(c) }))
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": adresse,
        "url": adresse,
        "name": s.nom,
        "description": s.description,
        "serviceType": dispositif_en_clair(s.dispositif),
        "category": s.type_service.libelle(),
        "audience": {
            "@type": "PeopleAudience",
            "audienceType": s.publics.iter().map(|p| p.libelle()).collect::<Vec<_>>().join(", "),
        },
        "isAccessibleForFree": s.tarification.frais == Frais::Gratuit,
        "areaServed": zone,
        "availableChannel": canal,
        "dateModified": s.mis_a_jour_le.date().to_string(),
        "inLanguage": "fr",
    })
}

/// JSON made safe inside a `<script>` element: no `<`, `>` or `&` left as such.
fn json_dans_script(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn contenu(s: &Service) -> Markup {
    let contacts = &s.contacts;
    html! {
        p.fil-ariane { a href="/annuaire" { "Trouver un service" } " › " (s.nom) }
        h1 { (s.nom) }
        p.type-service { (dispositif_en_clair(s.dispositif)) " · " (s.type_service.libelle()) }
        p.description-service { (s.description) }
        h2 { "Pour qui" }
        ul {
            @for p in &s.publics { li { (p.libelle()) } }
        }
        h2 { "Comment en profiter" }
        dl.fiche {
            dt { "Modalités" }
            dd { @for (i, m) in s.modes.iter().enumerate() { @if i > 0 { ", " } (m.libelle()) } }
            dt { "Coût" }
            dd {
                (s.tarification.frais.libelle())
                @if let Some(p) = &s.tarification.precision { " : " (p) }
            }
            @if contacts.sans_rendez_vous {
                dt { "Sans rendez-vous" }
                dd { "Vous pouvez venir sans rendez-vous aux heures d’ouverture." }
            }
            @if let Some(t) = &contacts.telephone {
                dt { "Téléphone" }
                dd { a href={ "tel:" (t.replace(' ', "")) } { (t) } }
            }
            @if let Some(c) = &contacts.courriel {
                dt { "Courriel" }
                dd { a href={ "mailto:" (c.as_str()) } { (c.as_str()) } }
            }
            @if let Some(l) = &contacts.lien {
                dt { "Site" }
                dd { a href=(l) rel="noopener" { (l) } }
            }
        }
        p { a.bouton href={ "/annuaire/services/" (s.id.0) "/contact" } { "Demander à être contacté·e" } }
        h2 { "Où et quand" }
        @if s.lieux.is_empty() || (s.modes.len() == 1 && s.modes.contains(&Mode::ADistance)) {
            p { "Ce service se déroule à distance." }
        }
        @for (i, l) in s.lieux.iter().enumerate() {
            section.lieu-service aria-labelledby={ "lieu-" (i + 1) } {
                h3 #{ "lieu-" (i + 1) } {
                    (l.nom.clone().unwrap_or_else(|| format!("Lieu {}", i + 1)))
                }
                p.adresse {
                    (l.adresse.voie) br;
                    @if let Some(c) = &l.adresse.complement { (c) br; }
                    (l.adresse.code_postal) " " (nom_commune(l.adresse.commune))
                }
                p {
                    strong { "Horaires : " }
                    @match l.horaires.en_francais() {
                        Some(texte) => { (texte) }
                        None => { (l.horaires.as_str()) }
                    }
                }
            }
        }
        @if !s.zone_eligibilite.is_empty() {
            h2 { "Communes desservies" }
            p {
                "Ce service accueille aussi les familles de : "
                @for (i, c) in s.zone_eligibilite.iter().enumerate() { @if i > 0 { ", " } (nom_commune(*c)) }
                "."
            }
        }
        h2 { "Accessibilité" }
        ul {
            li { @if s.accessibilite.fauteuil_roulant { "Accessible en fauteuil roulant" } @else { "Accès en fauteuil roulant non indiqué" } }
            @if s.accessibilite.boucle_magnetique { li { "Boucle magnétique pour les personnes appareillées" } }
            @if let Some(p) = &s.accessibilite.precision { li { (p) } }
        }
        p.mise-a-jour {
            "Informations mises à jour le "
            time datetime=(s.mis_a_jour_le.date().to_string()) { (date_longue(s.mis_a_jour_le.date())) }
            " (" (fr::date(s.mis_a_jour_le.date())) ")."
        }
    }
}

/// `GET /annuaire/services/{id}`.
pub async fn page(
    State(etat): State<Etat>,
    entetes: HeaderMap,
    Path(id): Path<String>,
) -> Result<Html<String>, ErreurWeb> {
    let id: i64 = id.parse().map_err(|_| ErreurWeb::Introuvable)?;
    let service = etat
        .plateforme
        .service_public(ServiceId(id))
        .await?
        .ok_or(ErreurWeb::Introuvable)?;
    let adresse = format!(
        "{}/annuaire/services/{}",
        adresse_publique(&etat, &entetes),
        service.id.0
    );
    let donnees = json_dans_script(&json_ld(&service, &adresse));
    let corps = html! {
        (contenu(&service))
        script type="application/ld+json" { (PreEscaped(donnees)) }
    };
    Ok(Html(
        vue::page(&service.nom, None, "/annuaire", corps).into_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_sans_balise() {
        let v = json!({ "name": "</script><b>&" });
        let s = json_dans_script(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let relu: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(relu, v);
    }

    #[test]
    fn dates() {
        assert_eq!(
            date_longue(time::macros::date!(2026 - 03 - 01)),
            "1er mars 2026"
        );
        assert_eq!(
            date_longue(time::macros::date!(2026 - 12 - 24)),
            "24 décembre 2026"
        );
    }
}
