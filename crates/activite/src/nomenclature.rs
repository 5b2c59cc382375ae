//! The fixed lists a session is described with: step, mode, attendance, subjects and partners
//! the family is oriented to (Référentiel national de financement de l'AIP §II.3, §IV.2). Each value has a stable code (files, API,
//! database), a French label, and is read back from either, whatever the case and accents.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A value of one of the fixed lists.
pub trait Modalite: Copy + Ord + 'static {
    /// Every value, in display order.
    const TOUTES: &'static [Self];
    /// The name of the list in messages and exports (`etape`).
    const RUBRIQUE: &'static str;
    /// The stable code (`premier_contact`).
    fn code(self) -> &'static str;
    /// The French label (`Premier contact`).
    fn libelle(self) -> &'static str;
    /// Other accepted spellings, already normalised (see [`normaliser`]).
    fn synonymes(self) -> &'static [&'static str] {
        &[]
    }

    /// Reads a code, a label or a synonym, ignoring case, accents, spaces and hyphens.
    fn depuis_texte(texte: &str) -> Option<Self> {
        // A code as written: what files mostly hold, read without normalising anything. The
        // same answer as below, since every code is normalised and no two values of a list
        // share a spelling (tested).
        if let Some(v) = Self::TOUTES.iter().copied().find(|v| v.code() == texte) {
            return Some(v);
        }
        let n = normaliser(texte);
        Self::TOUTES.iter().copied().find(|v| {
            v.code() == n || normaliser(v.libelle()) == n || v.synonymes().contains(&n.as_str())
        })
    }

    /// The codes, for an error message: `premier_contact, accompagnement, bilan`.
    fn codes_attendus() -> String {
        Self::TOUTES
            .iter()
            .map(|v| v.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Lower case, accents removed, ligatures spelt out (`œ` gives `oe`), and every run of spaces,
/// hyphens, apostrophes or underscores made one `_`: `Premier-contact ` and `premier contact`
/// both give `premier_contact`.
pub fn normaliser(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len());
    let mut separateur = false;
    for c in texte.trim().chars() {
        if c.is_whitespace() || matches!(c, '-' | '_' | '\'' | '’') {
            separateur = !sortie.is_empty();
            continue;
        }
        if separateur {
            sortie.push('_');
            separateur = false;
        }
        match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => sortie.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => sortie.push('e'),
            'î' | 'ï' | 'Î' | 'Ï' => sortie.push('i'),
            'ô' | 'ö' | 'Ô' | 'Ö' => sortie.push('o'),
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => sortie.push('u'),
            'ç' | 'Ç' => sortie.push('c'),
            'ÿ' | 'Ÿ' => sortie.push('y'),
            'œ' | 'Œ' => sortie.push_str("oe"),
            'æ' | 'Æ' => sortie.push_str("ae"),
            c => sortie.extend(c.to_lowercase()),
        }
    }
    sortie
}

macro_rules! modalite {
    (
        $(#[$doc:meta])*
        $nom:ident, $rubrique:literal {
            $($(#[$vdoc:meta])* $variante:ident = ($code:literal, $libelle:literal $(, [$($syn:literal),*])?)),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $nom {
            $($(#[$vdoc])* $variante),+
        }

        impl Modalite for $nom {
            const TOUTES: &'static [Self] = &[$($nom::$variante),+];
            const RUBRIQUE: &'static str = $rubrique;
            fn code(self) -> &'static str {
                match self {
                    $($nom::$variante => $code),+
                }
            }
            fn libelle(self) -> &'static str {
                match self {
                    $($nom::$variante => $libelle),+
                }
            }
            fn synonymes(self) -> &'static [&'static str] {
                match self {
                    $($nom::$variante => &[$($($syn),*)?]),+
                }
            }
        }

        impl fmt::Display for $nom {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.libelle())
            }
        }
    };
}

modalite!(
    /// The step of the support a session belongs to (Référentiel national de financement de l'AIP §II.3).
    Etape, "etape" {
        /// Sets the frame, checks that it fits the parents' request, prepares an orientation.
        PremierContact = ("premier_contact", "Premier contact", ["premier_entretien", "accueil"]),
        /// The core of the service: sessions on the subjects the parents choose.
        Accompagnement = ("accompagnement", "Accompagnement individuel", ["accompagnement_individuel", "suivi"]),
        /// The final review.
        Bilan = ("bilan", "Bilan", ["entretien_final", "entretien_de_bilan"]),
    }
);

modalite!(
    /// How the session was held: in person is preferred, always for the first one; video or
    /// phone are possible (Référentiel national de financement de l'AIP §II.3).
    Mode, "mode" {
        Presentiel = ("presentiel", "Présentiel", ["en_presentiel", "sur_place"]),
        Visio = ("visio", "Visioconférence", ["visioconference", "video", "en_visio"]),
        Telephone = ("telephone", "Téléphone", ["tel", "par_telephone"]),
    }
);

modalite!(
    /// Who attended: the support is offered to one parent or to the parental couple, and the
    /// child may take part (Référentiel national de financement de l'AIP §I.1, §II.3).
    Presence, "presence" {
        UnParent = ("un_parent", "Un parent", ["1_parent", "parent_seul"]),
        DeuxParents = ("deux_parents", "Les deux parents", ["2_parents", "couple", "couple_parental"]),
        AvecEnfant = ("avec_enfant", "Parent(s) avec l'enfant", ["avec_l_enfant", "parents_et_enfant", "parent_et_enfant"]),
    }
);

modalite!(
    /// The subjects raised, a short fixed list drawn from Référentiel national de financement de l'AIP §I.1 and §II.3 (emotions and
    /// the parent-child relation, behaviour, development, education, family conflicts, parental
    /// stress).
    Sujet, "sujet" {
        RelationParentEnfant = ("relation_parent_enfant", "Relation parent-enfant", ["relation"]),
        Comportement = ("comportement", "Comportement de l'enfant", ["comportements"]),
        Developpement = ("developpement", "Développement de l'enfant"),
        Education = ("education", "Éducation, règles et limites", ["regles", "limites"]),
        Scolarite = ("scolarite", "Scolarité"),
        ConflitsFamiliaux = ("conflits_familiaux", "Conflits familiaux, séparation", ["conflits", "separation"]),
        EpuisementParental = ("epuisement_parental", "Stress et épuisement parental", ["stress", "epuisement"]),
        SanteHandicap = ("sante_handicap", "Santé, handicap", ["sante", "handicap"]),
        Autre = ("autre", "Autre sujet"),
    }
);

modalite!(
    /// The partners a family may be oriented to: the network listed by Référentiel national de financement de l'AIP §IV.2.
    Orientation, "orientation" {
        SoutienParentalite = ("soutien_parentalite", "Acteurs du soutien à la parentalité", ["parentalite"]),
        ServicesDepartement = ("services_departement", "Services sociaux du département (secteur social, ASE)", ["departement", "ase", "services_sociaux"]),
        Ccas = ("ccas", "CCAS"),
        MediationFamiliale = ("mediation_familiale", "Médiation familiale et espaces de rencontre", ["mediation", "espace_rencontre"]),
        Justice = ("justice", "Acteurs du champ judiciaire", ["judiciaire"]),
        Sante = ("sante", "Professionnels de santé, y compris santé mentale", ["sante_mentale"]),
        AideADomicile = ("aide_a_domicile", "Services d'aide à domicile (dont SAAD familles)", ["saad", "aide_domicile"]),
        AnimationVieSociale = ("animation_vie_sociale", "Structures de l'animation de la vie sociale", ["centre_social", "avs"]),
        TravailleursSociauxCaf = ("travailleurs_sociaux_caf", "Travailleurs sociaux des Caf", ["caf"]),
        Autre = ("autre", "Autre partenaire"),
    }
);

/// A set of values of one list, held as a bit set in the database: the value at position `i`
/// of [`Modalite::TOUTES`] is bit `i`. The positions are part of the stored format: a new value
/// goes at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ensemble<T> {
    bits: u32,
    _type: std::marker::PhantomData<T>,
}

impl<T: Modalite> Ensemble<T> {
    pub fn vide() -> Self {
        Ensemble {
            bits: 0,
            _type: std::marker::PhantomData,
        }
    }

    fn position(valeur: T) -> u32 {
        T::TOUTES
            .iter()
            .position(|v| *v == valeur)
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(0)
    }

    pub fn ajouter(&mut self, valeur: T) {
        self.bits |= 1 << Self::position(valeur);
    }

    pub fn contient(self, valeur: T) -> bool {
        self.bits & (1 << Self::position(valeur)) != 0
    }

    pub fn est_vide(self) -> bool {
        self.bits == 0
    }

    /// The stored integer.
    pub fn bits(self) -> i64 {
        i64::from(self.bits)
    }

    /// Reads a stored integer; bits beyond the list are dropped.
    pub fn depuis_bits(bits: i64) -> Self {
        let masque = (1u64 << T::TOUTES.len()) - 1;
        Ensemble {
            bits: u32::try_from(bits.max(0) as u64 & masque).unwrap_or(0),
            _type: std::marker::PhantomData,
        }
    }

    /// The values, in list order.
    pub fn valeurs(self) -> impl Iterator<Item = T> {
        T::TOUTES.iter().copied().filter(move |v| self.contient(*v))
    }
}

impl<T: Modalite> Default for Ensemble<T> {
    fn default() -> Self {
        Ensemble::vide()
    }
}

impl<T: Modalite> FromIterator<T> for Ensemble<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut e = Ensemble::vide();
        for v in iter {
            e.ajouter(v);
        }
        e
    }
}

impl<T: Modalite> From<&BTreeSet<T>> for Ensemble<T> {
    fn from(valeurs: &BTreeSet<T>) -> Self {
        valeurs.iter().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code is normalised, and no spelling (code, label or synonym, normalised) belongs
    /// to two values of one list: reading a code as written gives the value normalising does.
    fn orthographes_distinctes<T: Modalite + fmt::Debug>() {
        let mut vues: std::collections::HashMap<String, T> = Default::default();
        for v in T::TOUTES {
            assert_eq!(normaliser(v.code()), v.code(), "{v:?}");
            let mut orthographes = vec![v.code().to_owned(), normaliser(v.libelle())];
            orthographes.extend(v.synonymes().iter().map(|s| (*s).to_owned()));
            for o in orthographes {
                if let Some(autre) = vues.insert(o.clone(), *v) {
                    assert_eq!(autre, *v, "« {o} » désigne deux valeurs");
                }
            }
        }
    }

    #[test]
    fn chaque_orthographe_designe_une_valeur() {
        orthographes_distinctes::<Etape>();
        orthographes_distinctes::<Mode>();
        orthographes_distinctes::<Presence>();
        orthographes_distinctes::<Sujet>();
        orthographes_distinctes::<Orientation>();
    }

    #[test]
    fn lecture_des_codes_libelles_et_synonymes() {
        assert_eq!(
            Etape::depuis_texte("premier_contact"),
            Some(Etape::PremierContact)
        );
        assert_eq!(
            Etape::depuis_texte(" Premier-Contact "),
            Some(Etape::PremierContact)
        );
        assert_eq!(
            Etape::depuis_texte("Accompagnement individuel"),
            Some(Etape::Accompagnement)
        );
        assert_eq!(Mode::depuis_texte("Présentiel"), Some(Mode::Presentiel));
        assert_eq!(Mode::depuis_texte("VISIOCONFÉRENCE"), Some(Mode::Visio));
        assert_eq!(Mode::depuis_texte("téléphone"), Some(Mode::Telephone));
        assert_eq!(
            Presence::depuis_texte("Parent(s) avec l'enfant"),
            Some(Presence::AvecEnfant)
        );
        assert_eq!(Orientation::depuis_texte("CCAS"), Some(Orientation::Ccas));
        assert_eq!(Etape::depuis_texte("rdv"), None);
        assert_eq!(Etape::depuis_texte(""), None);
        assert_eq!(
            Etape::codes_attendus(),
            "premier_contact, accompagnement, bilan"
        );
    }

    #[test]
    fn codes_uniques_et_stables() {
        fn verifier<T: Modalite + std::fmt::Debug>() {
            let codes: BTreeSet<&str> = T::TOUTES.iter().map(|v| v.code()).collect();
            assert_eq!(codes.len(), T::TOUTES.len());
            for v in T::TOUTES {
                assert_eq!(T::depuis_texte(v.code()), Some(*v));
                assert_eq!(T::depuis_texte(v.libelle()), Some(*v), "{v:?}");
                assert_eq!(normaliser(v.code()), v.code());
            }
        }
        verifier::<Etape>();
        verifier::<Mode>();
        verifier::<Presence>();
        verifier::<Sujet>();
        verifier::<Orientation>();
        // The stored bit positions: changing them would misread stored sessions.
        let e: Ensemble<Orientation> = [Orientation::Ccas, Orientation::Autre]
            .into_iter()
            .collect();
        assert_eq!(e.bits(), 0b10_0000_0100);
    }

    #[test]
    fn ensembles() {
        let e: Ensemble<Sujet> = [Sujet::Scolarite, Sujet::Education].into_iter().collect();
        assert!(e.contient(Sujet::Scolarite));
        assert!(!e.contient(Sujet::Autre));
        assert_eq!(
            e.valeurs().collect::<Vec<_>>(),
            [Sujet::Education, Sujet::Scolarite]
        );
        assert_eq!(Ensemble::<Sujet>::depuis_bits(e.bits()), e);
        assert!(Ensemble::<Sujet>::vide().est_vide());
        assert_eq!(Ensemble::<Mode>::depuis_bits(0xFF).bits(), 0b111);
    }
}
