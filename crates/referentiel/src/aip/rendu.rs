//! Rendering a computed right for people and programs: the trace as JSON, and the amount with its
//! explanation as French text (amounts written the French way: `32 000,00 €`, with plain spaces
//! so that the text reads the same in a terminal, a log and a search).

use serde_json::{Value, json};

use super::calcul::{ResultatAip, Suite};
use super::trace::{TEXTE_SOURCE, Trace, Valeur};
use crate::exact::{Decimal, Ratio, centimes_texte};

/// An exact value as text: its finite decimal when it has one, else an approximation to six
/// decimals followed by the exact fraction.
pub fn ratio_texte(r: Ratio) -> String {
    match r.decimal_fini(9) {
        Some(d) => d.to_string(),
        None => {
            let approche = r
                .arrondi_decimal(6)
                .map(|d| d.to_string())
                .unwrap_or_default();
            format!("≈{approche} (exactement {r})")
        }
    }
}

fn valeur_texte(v: Valeur) -> String {
    match v {
        Valeur::Exacte(r) => ratio_texte(r),
        Valeur::Decimal(d) | Valeur::Euros(d) | Valeur::Taux(d) => d.to_string(),
        Valeur::Centimes(c) => centimes_texte(c),
        Valeur::Entier(n) => n.to_string(),
        Valeur::Booleen(b) => b.to_string(),
    }
}

/// A value of the trace in words, for people: the trace keeps its codes (`cout_annualise`) for
/// programs and for the frozen record; pages, letters and the terminal say « coût annualisé
/// d'un ETP ». An unknown code is returned as it is.
pub fn libelle(code: &str) -> &str {
    match code {
        "acompte" => "acompte",
        "charge_a_payer" => "charge à payer",
        "cout_annualise" => "coût annualisé d'un ETP",
        "depenses_fonctionnement" => "dépenses de fonctionnement",
        "etp_declares" => "ETP déclarés",
        "etp_notifies" => "ETP notifiés",
        "etp_pris_en_compte" => "ETP pris en compte",
        "etp_retenus" => "ETP retenus",
        "mois_fonctionnement" => "mois de fonctionnement",
        "montant" => "montant",
        "montant_exact" => "montant avant arrondi",
        "prix_de_revient" => "prix de revient retenu",
        "prix_plafond" => "prix plafond",
        "solde" => "solde",
        "taux_acompte" => "taux de l'acompte",
        "taux_subvention" => "taux de la subvention",
        "versements_effectues" => "versements déjà effectués",
        autre => autre,
    }
}

/// The trace as a JSON value.
pub fn trace_json(trace: &Trace<'_>) -> Value {
    let etapes: Vec<Value> = trace
        .etapes
        .iter()
        .map(|e| {
            let valeurs: serde_json::Map<String, Value> = e
                .operandes
                .iter()
                .map(|o| (o.nom.to_owned(), Value::from(valeur_texte(o.valeur))))
                .collect();
            let mut etape = json!({
                "code": e.code,
                "titre": e.titre,
                "formule": e.formule,
                "valeurs": valeurs,
                "resultat": { e.resultat.nom: valeur_texte(e.resultat.valeur) },
                "source": format!("{TEXTE_SOURCE}, {}", e.source),
            });
            if let (Some(note), Some(objet)) = (e.note, etape.as_object_mut()) {
                objet.insert("note".to_owned(), Value::from(note));
            }
            etape
        })
        .collect();
    let parametres: Vec<Value> = trace
        .parametres
        .iter()
        .map(|p| {
            json!({
                "nom": p.parametre.nom,
                "description": p.parametre.description,
                "valeur": p.valeur.valeur.to_string(),
                "valeur_affichee": valeur_parametre_fr(p),
                "unite": p.parametre.unite.nom(),
                "en_vigueur_du": p.valeur.debut.to_string(),
                "en_vigueur_au": p.valeur.fin.map(|f| f.to_string()),
                "source": {
                    "texte": p.valeur.source.texte,
                    "paragraphe": p.valeur.source.paragraphe,
                },
            })
        })
        .collect();
    json!({
        "exercice": trace.exercice,
        "declaration": trace.declaration.code(),
        "etapes": etapes,
        "parametres": parametres,
    })
}

/// Groups the digits of a whole number by three with a narrow no-break space.
fn grouper(entier: &str) -> String {
    let mut sortie = String::with_capacity(entier.len() + entier.len() / 3 * 3);
    let n = entier.len();
    for (i, c) in entier.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            sortie.push('\u{202F}');
        }
        sortie.push(c);
    }
    sortie
}

/// Cents written the French way: `-12 960,00 €`.
pub fn euros_fr(centimes: i128) -> String {
    let signe = if centimes < 0 { "-" } else { "" };
    let abs = centimes.unsigned_abs();
    format!(
        "{signe}{},{:02}\u{a0}€",
        grouper(&(abs / 100).to_string()),
        abs % 100
    )
}

/// A decimal written the French way (`0,25`, `66 000`).
pub fn decimal_fr(d: Decimal) -> String {
    let t = d.to_string();
    let (signe, t) = match t.strip_prefix('-') {
        Some(r) => ("-", r.to_owned()),
        None => ("", t),
    };
    match t.split_once('.') {
        Some((e, f)) => format!("{signe}{},{f}", grouper(e)),
        None => format!("{signe}{}", grouper(&t)),
    }
}

fn valeur_fr(v: Valeur) -> String {
    match v {
        Valeur::Exacte(r) => match r.decimal_fini(9) {
            Some(d) => decimal_fr(d),
            None => {
                let approche = r.arrondi_decimal(6).map(decimal_fr).unwrap_or_default();
                format!("≈ {approche}")
            }
        },
        Valeur::Decimal(d) => decimal_fr(d),
        Valeur::Euros(d) => format!("{}\u{a0}€", decimal_fr(d)),
        Valeur::Taux(d) => pourcentage(d),
        Valeur::Centimes(c) => euros_fr(c),
        Valeur::Entier(n) => n.to_string(),
        Valeur::Booleen(true) => "oui".to_owned(),
        Valeur::Booleen(false) => "non".to_owned(),
    }
}

/// A percentage from a ratio parameter (`0.8` → `80 %`).
fn pourcentage(d: Decimal) -> String {
    match d
        .ratio()
        .mul(Ratio::entier(100))
        .ok()
        .and_then(|r| r.decimal_fini(9))
    {
        Some(p) => format!("{} %", decimal_fr(p)),
        None => decimal_fr(d),
    }
}

/// The amount and the trace as French text, for a person reading a terminal or a letter.
pub fn texte(resultat: &ResultatAip, trace: &Trace<'_>) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Subvention AIP, exercice {}, {}\n\n",
        trace.exercice,
        trace.declaration.libelle()
    ));
    s.push_str(&format!(
        "Montant de la subvention : {}\n",
        euros_fr(resultat.montant)
    ));
    match resultat.suite {
        Suite::Acompte(c) => {
            let taux = trace.parametres[2].valeur.valeur;
            s.push_str(&format!(
                "Acompte ({}) : {}\n",
                pourcentage(taux),
                euros_fr(c)
            ));
        }
        Suite::ChargeAPayer(c) => {
            s.push_str(&format!("Charge à payer : {}\n", euros_fr(c)));
        }
        Suite::Solde(c) if c < 0 => {
            s.push_str(&format!("Indu à récupérer : {}\n", euros_fr(-c)));
        }
        Suite::Solde(c) => {
            s.push_str(&format!("Solde à verser : {}\n", euros_fr(c)));
        }
    }
    s.push_str("\nDétail du calcul\n");
    for (i, e) in trace.etapes.iter().enumerate() {
        s.push_str(&format!("\n{}. {}\n", i + 1, e.titre));
        s.push_str(&format!("   Formule : {}\n", e.formule));
        let valeurs: Vec<String> = e
            .operandes
            .iter()
            .map(|o| format!("{} = {}", libelle(o.nom), valeur_fr(o.valeur)))
            .collect();
        s.push_str(&format!("   Valeurs : {}\n", valeurs.join(" ; ")));
        s.push_str(&format!(
            "   Résultat : {} = {}\n",
            libelle(e.resultat.nom),
            valeur_fr(e.resultat.valeur)
        ));
        if let Some(note) = e.note {
            s.push_str(&format!("   {note}\n"));
        }
        s.push_str(&format!("   Source : {TEXTE_SOURCE}, {}\n", e.source));
    }
    s.push_str("\nParamètres utilisés\n");
    for p in &trace.parametres {
        let periode = match p.valeur.fin {
            Some(fin) => format!("en vigueur du {} au {}", p.valeur.debut, fin),
            None => format!("en vigueur depuis le {}", p.valeur.debut),
        };
        let valeur = valeur_parametre_fr(p);
        s.push_str(&format!(
            "- {} ({}) : {}, {} ; source : {}, {}\n",
            p.parametre.description,
            p.parametre.nom,
            valeur,
            periode,
            p.valeur.source.texte,
            p.valeur.source.paragraphe
        ));
    }
    s
}

/// A parameter's value with its unit, the French way (`66 000 €`, `80 %`, `1 607 heures`).
pub fn valeur_parametre_fr(p: &crate::parametres::ValeurUtilisee<'_>) -> String {
    match p.parametre.unite {
        crate::parametres::Unite::Ratio => pourcentage(p.valeur.valeur),
        crate::parametres::Unite::Euros => format!("{}\u{a0}€", decimal_fr(p.valeur.valeur)),
        u => format!("{} {}", decimal_fr(p.valeur.valeur), u.nom()),
    }
}
