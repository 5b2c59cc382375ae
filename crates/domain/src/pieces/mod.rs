//! Supporting documents (pièces justificatives) joined to a structure, an intervenant, a dossier,
//! a declaration or a bilan: their types, the record of each piece with all its versions (a new
//! file of the same type on the same record is a new version, the earlier ones are kept), who may
//! join one, and which pieces a dossier still lacks. The file itself is checked in [`fichier`].

pub mod fichier;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::acces::{Acteur, Role, exiger_agent_caf, exiger_gestionnaire};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::dossier::Dossier;
use crate::identifiants::{
    BilanId, CodeDepartement, DeclarationId, DossierId, GestionnaireId, IntervenantId, PieceId,
    UtilisateurId,
};
use crate::refus::Refus;

pub use fichier::{Format, RefusFichier, TAILLE_MAX, examiner, nom_sur, sha256_hex};

/// The kind of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypePiece {
    Statuts,
    BudgetPrevisionnel,
    Rib,
    Attestation,
    Diplome,
    CompteDeResultat,
    BilanFinancier,
    RapportActivite,
    /// Extract of the criminal record (bulletin n°2 or n°3) or the attestation of honour.
    Honorabilite,
    ContratDeTravail,
    Autre,
}

impl TypePiece {
    pub const TOUS: [TypePiece; 11] = [
        TypePiece::Statuts,
        TypePiece::BudgetPrevisionnel,
        TypePiece::Rib,
        TypePiece::Attestation,
        TypePiece::Diplome,
        TypePiece::CompteDeResultat,
        TypePiece::BilanFinancier,
        TypePiece::RapportActivite,
        TypePiece::Honorabilite,
        TypePiece::ContratDeTravail,
        TypePiece::Autre,
    ];

    /// The stable code (forms, API, storage).
    pub fn code(self) -> &'static str {
        match self {
            TypePiece::Statuts => "statuts",
            TypePiece::BudgetPrevisionnel => "budget_previsionnel",
            TypePiece::Rib => "rib",
            TypePiece::Attestation => "attestation",
            TypePiece::Diplome => "diplome",
            TypePiece::CompteDeResultat => "compte_de_resultat",
            TypePiece::BilanFinancier => "bilan_financier",
            TypePiece::RapportActivite => "rapport_activite",
            TypePiece::Honorabilite => "honorabilite",
            TypePiece::ContratDeTravail => "contrat_de_travail",
            TypePiece::Autre => "autre",
        }
    }

    pub fn depuis_code(code: &str) -> Option<TypePiece> {
        TypePiece::TOUS.into_iter().find(|t| t.code() == code)
    }

    /// The French name shown to people.
    pub fn libelle(self) -> &'static str {
        match self {
            TypePiece::Statuts => "Statuts",
            TypePiece::BudgetPrevisionnel => "Budget prévisionnel",
            TypePiece::Rib => "RIB",
            TypePiece::Attestation => "Attestation",
            TypePiece::Diplome => "Diplôme",
            TypePiece::CompteDeResultat => "Compte de résultat",
            TypePiece::BilanFinancier => "Bilan financier",
            TypePiece::RapportActivite => "Rapport d’activité",
            TypePiece::Honorabilite => "Casier judiciaire ou attestation d’honorabilité",
            TypePiece::ContratDeTravail => "Contrat de travail",
            TypePiece::Autre => "Autre pièce",
        }
    }
}

/// The record a piece is joined to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum ObjetPiece {
    Gestionnaire(GestionnaireId),
    Intervenant(IntervenantId),
    Dossier(DossierId),
    Declaration(DeclarationId),
    Bilan(BilanId),
}

impl ObjetPiece {
    /// `gestionnaire`, `intervenant`, `dossier`, `declaration`, `bilan`.
    pub fn code(self) -> &'static str {
        match self {
            ObjetPiece::Gestionnaire(_) => "gestionnaire",
            ObjetPiece::Intervenant(_) => "intervenant",
            ObjetPiece::Dossier(_) => "dossier",
            ObjetPiece::Declaration(_) => "declaration",
            ObjetPiece::Bilan(_) => "bilan",
        }
    }

    /// The record's number.
    pub fn id(self) -> i64 {
        match self {
            ObjetPiece::Gestionnaire(i) => i.0,
            ObjetPiece::Intervenant(i) => i.0,
            ObjetPiece::Dossier(i) => i.0,
            ObjetPiece::Declaration(i) => i.0,
            ObjetPiece::Bilan(i) => i.0,
        }
    }

    /// The record from its code and number.
    pub fn depuis(code: &str, id: i64) -> Option<ObjetPiece> {
        Some(match code {
            "gestionnaire" => ObjetPiece::Gestionnaire(GestionnaireId(id)),
            "intervenant" => ObjetPiece::Intervenant(IntervenantId(id)),
            "dossier" => ObjetPiece::Dossier(DossierId(id)),
            "declaration" => ObjetPiece::Declaration(DeclarationId(id)),
            "bilan" => ObjetPiece::Bilan(BilanId(id)),
            _ => return None,
        })
    }

    /// `la structure n°3`, `le dossier n°12`…
    pub fn designation(self) -> String {
        let nom = match self {
            ObjetPiece::Gestionnaire(_) => "la structure",
            ObjetPiece::Intervenant(_) => "l’intervenant",
            ObjetPiece::Dossier(_) => "le dossier",
            ObjetPiece::Declaration(_) => "la déclaration",
            ObjetPiece::Bilan(_) => "le bilan",
        };
        format!("{nom} n°{}", self.id())
    }

    /// The pieces always expected on this kind of record: for a dossier, the budget prévisionnel,
    /// the statuts and the RIB.
    ///
    /// **Local choice**: the Référentiel national de financement de l'AIP lists no documents; these
    /// three are what every Caf asks of a new partner before a comité (the project's budget, who
    /// the structure is, where to pay).
    pub fn pieces_requises(self) -> &'static [TypePiece] {
        match self {
            ObjetPiece::Dossier(_) => &[
                TypePiece::BudgetPrevisionnel,
                TypePiece::Statuts,
                TypePiece::Rib,
            ],
            _ => &[],
        }
    }
}

/// Whose record a piece is joined to: the structure and the département of the Caf in charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proprietaire {
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
}

/// One file joined, as kept forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionPiece {
    /// 1, 2, 3… in the order of upload.
    pub numero: u32,
    /// The name it was sent with (made safe by [`nom_sur`]).
    pub nom_fichier: String,
    /// The media type detected from its bytes.
    pub type_media: String,
    /// In bytes.
    pub taille: u64,
    /// SHA-256 of the bytes, lowercase hexadecimal.
    pub sha256: String,
    pub deposee_par: UtilisateurId,
    pub role: Role,
    #[serde(with = "crate::serde_dates::instant")]
    pub deposee_le: OffsetDateTime,
}

/// A piece: one type of document on one record, with all its versions (the last is current).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub id: PieceId,
    pub objet: ObjetPiece,
    pub type_piece: TypePiece,
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
    pub versions: Vec<VersionPiece>,
}

/// A file to join, as received.
#[derive(Debug, Clone, Copy)]
pub struct Fichier<'a> {
    pub nom: &'a str,
    pub octets: &'a [u8],
}

const ACTION_DEPOSER: &str = "Joindre une pièce";

/// Who may join a piece to a record of `proprietaire`: the gestionnaire's own staff, or a Caf
/// agent of the département (Référentiel national de financement de l'AIP §IV.3: the porteur de
/// projet sends its dossier, the Caf instructs it and may add what it received otherwise).
pub fn exiger_deposant(acteur: &Acteur, proprietaire: Proprietaire) -> Result<(), Refus> {
    if acteur.role == Role::Caf {
        exiger_agent_caf(acteur, ACTION_DEPOSER, proprietaire.departement)
    } else {
        exiger_gestionnaire(acteur, ACTION_DEPOSER, proprietaire.gestionnaire)
    }
}

impl Piece {
    /// The current version.
    pub fn derniere(&self) -> Option<&VersionPiece> {
        self.versions.last()
    }

    /// One version by its number.
    pub fn version(&self, numero: u32) -> Option<&VersionPiece> {
        self.versions.iter().find(|v| v.numero == numero)
    }

    /// Joins a file of `type_piece` to `objet`: a new piece (`existante` is `None`, `id` is the
    /// number the store allocated) or a new version of the existing one, the earlier versions
    /// kept. Refused for a user who may not join (see [`exiger_deposant`]) and for a file
    /// [`examiner`] refuses. Returns the record, its audit (naming the piece, the version and the
    /// SHA-256) and the new version.
    #[allow(clippy::too_many_arguments)]
    pub fn deposer(
        existante: Option<&Piece>,
        id: PieceId,
        acteur: &Acteur,
        objet: ObjetPiece,
        proprietaire: Proprietaire,
        type_piece: TypePiece,
        fichier: Fichier<'_>,
        quand: OffsetDateTime,
    ) -> Result<(Transition<Piece>, VersionPiece), Refus> {
        exiger_deposant(acteur, proprietaire)?;
        let nom = nom_sur(fichier.nom);
        let format = examiner(&nom, fichier.octets)
            .map_err(|r| Refus::invalide(ACTION_DEPOSER, r.to_string()))?;
        let mut piece = match existante {
            Some(p) => {
                if p.objet != objet || p.type_piece != type_piece {
                    return Err(Refus::incoherence(
                        ACTION_DEPOSER,
                        "cette pièce n’est pas de ce type sur cet enregistrement",
                    ));
                }
                p.clone()
            }
            None => Piece {
                id,
                objet,
                type_piece,
                gestionnaire: proprietaire.gestionnaire,
                departement: proprietaire.departement,
                versions: Vec::new(),
            },
        };
        let numero = piece.derniere().map_or(1, |v| v.numero + 1);
        let version = VersionPiece {
            numero,
            nom_fichier: nom,
            type_media: format.type_media.to_owned(),
            taille: fichier.octets.len() as u64,
            sha256: sha256_hex(fichier.octets),
            deposee_par: acteur.id,
            role: acteur.role,
            deposee_le: quand,
        };
        let avant = piece.derniere().map(|v| v.sha256.clone());
        piece.versions.push(version.clone());
        let audit = Audit::nouveau(
            TypeEntite::Piece,
            piece.id.0,
            if numero == 1 {
                "deposer"
            } else {
                "nouvelle_version"
            },
            acteur,
            quand,
            format!(
                "pièce n°{} « {} » de {}, version {numero} : « {} » ({}, {}), SHA-256 {}",
                piece.id,
                type_piece.libelle(),
                objet.designation(),
                version.nom_fichier,
                format.libelle,
                fichier::taille_lisible(version.taille),
                version.sha256
            ),
        )
        .changement(
            "version",
            (numero > 1).then(|| (numero - 1).to_string()),
            Some(numero.to_string()),
        )
        .changement("sha256", avant, Some(version.sha256.clone()));
        Ok((
            Transition {
                apres: piece,
                audit,
            },
            version,
        ))
    }
}

/// Where one expected type of piece stands on a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PieceAttendue {
    pub type_piece: TypePiece,
    /// Always expected on this kind of record.
    pub requise: bool,
    /// Asked for by the Caf in its last request for information.
    pub demandee: bool,
    /// The current version, when joined.
    pub presente: Option<VersionPiece>,
}

/// The pieces expected on `objet` (required ones first, then those asked for), each with its
/// current version if joined. `demandees` are those the Caf asked for (see
/// [`Dossier::pieces_demandees`]).
pub fn pieces_attendues(
    objet: ObjetPiece,
    demandees: &[TypePiece],
    pieces: &[Piece],
) -> Vec<PieceAttendue> {
    let mut types: Vec<TypePiece> = objet.pieces_requises().to_vec();
    for t in demandees {
        if !types.contains(t) {
            types.push(*t);
        }
    }
    types
        .into_iter()
        .map(|t| PieceAttendue {
            type_piece: t,
            requise: objet.pieces_requises().contains(&t),
            demandee: demandees.contains(&t),
            presente: pieces
                .iter()
                .find(|p| p.objet == objet && p.type_piece == t)
                .and_then(Piece::derniere)
                .cloned(),
        })
        .collect()
}

impl Dossier {
    /// A Caf agent asks for more information ([`Dossier::demander_complement`]) naming the pieces
    /// it needs; they are kept on the dossier and shown as requested on its page.
    pub fn demander_complement_et_pieces(
        &self,
        acteur: &Acteur,
        demande: &str,
        pieces: &[TypePiece],
        quand: OffsetDateTime,
    ) -> Result<Transition<Dossier>, Refus> {
        let mut t = self.demander_complement(acteur, demande, quand)?;
        let liste = |p: &[TypePiece]| {
            (!p.is_empty()).then(|| p.iter().map(|t| t.libelle()).collect::<Vec<_>>().join(", "))
        };
        let mut demandees = pieces.to_vec();
        demandees.sort();
        demandees.dedup();
        t.audit = t.audit.changement(
            "pieces_demandees",
            liste(&self.pieces_demandees),
            liste(&demandees),
        );
        if let Some(libelles) = liste(&demandees) {
            t.audit
                .description
                .push_str(&format!(" ; pièces demandées : {libelles}"));
        }
        t.apres.pieces_demandees = demandees;
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use time::macros::datetime;

    use super::*;

    fn proprietaire() -> Proprietaire {
        Proprietaire {
            gestionnaire: GestionnaireId(4),
            departement: CodeDepartement::parse("38").unwrap(),
        }
    }

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n";

    #[test]
    fn codes_des_types() {
        for t in TypePiece::TOUS {
            assert_eq!(TypePiece::depuis_code(t.code()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.code())
            );
        }
    }

    #[test]
    fn une_nouvelle_version_garde_les_anciennes() {
        let g = Acteur::gestionnaire(UtilisateurId(7), [GestionnaireId(4)]);
        let objet = ObjetPiece::Dossier(DossierId(3));
        let quand = datetime!(2026-03-02 10:00 +1);
        let (t, v1) = Piece::deposer(
            None,
            PieceId(1),
            &g,
            objet,
            proprietaire(),
            TypePiece::Statuts,
            Fichier {
                nom: "statuts.pdf",
                octets: PDF,
            },
            quand,
        )
        .unwrap();
        assert_eq!(v1.numero, 1);
        assert_eq!(t.audit.action, "deposer");
        assert!(t.audit.description.contains(&v1.sha256));
        let caf = Acteur::caf(UtilisateurId(2), [CodeDepartement::parse("38").unwrap()]);
        let (t2, v2) = Piece::deposer(
            Some(&t.apres),
            PieceId(99),
            &caf,
            objet,
            proprietaire(),
            TypePiece::Statuts,
            Fichier {
                nom: "statuts-2026.pdf",
                octets: b"%PDF-1.7\n2 0 obj\n",
            },
            quand,
        )
        .unwrap();
        assert_eq!(t2.apres.id, PieceId(1));
        assert_eq!(v2.numero, 2);
        assert_eq!(t2.apres.versions.len(), 2);
        assert_eq!(t2.apres.versions[0], v1);
        assert_ne!(v1.sha256, v2.sha256);
        assert_eq!(t2.audit.action, "nouvelle_version");
        assert!(t2.audit.description.contains("version 2"));
    }

    #[test]
    fn seuls_la_structure_et_la_caf_du_departement_deposent() {
        let objet = ObjetPiece::Gestionnaire(GestionnaireId(4));
        let deposer = |a: &Acteur| {
            Piece::deposer(
                None,
                PieceId(1),
                a,
                objet,
                proprietaire(),
                TypePiece::Rib,
                Fichier {
                    nom: "rib.pdf",
                    octets: PDF,
                },
                datetime!(2026-03-02 10:00 +1),
            )
        };
        let autre = Acteur::gestionnaire(UtilisateurId(8), [GestionnaireId(5)]);
        assert!(deposer(&autre).unwrap_err().est_un_refus_d_acces());
        let caf30 = Acteur::caf(UtilisateurId(2), [CodeDepartement::parse("30").unwrap()]);
        assert!(deposer(&caf30).unwrap_err().est_un_refus_d_acces());
        assert!(
            deposer(&Acteur::cnaf(UtilisateurId(1)))
                .unwrap_err()
                .est_un_refus_d_acces()
        );
        let g = Acteur::gestionnaire(UtilisateurId(7), [GestionnaireId(4)]);
        assert!(deposer(&g).is_ok());
    }

    #[test]
    fn un_executable_est_refuse_avec_son_nom() {
        let g = Acteur::gestionnaire(UtilisateurId(7), [GestionnaireId(4)]);
        let refus = Piece::deposer(
            None,
            PieceId(1),
            &g,
            ObjetPiece::Dossier(DossierId(3)),
            proprietaire(),
            TypePiece::Rib,
            Fichier {
                nom: "C:\\temp\\x.exe",
                octets: b"MZ\x90\0",
            },
            datetime!(2026-03-02 10:00 +1),
        )
        .unwrap_err();
        assert!(!refus.est_un_refus_d_acces());
        assert!(
            refus
                .raison()
                .contains("« x.exe » est un programme exécutable"),
            "{}",
            refus.raison()
        );
    }

    #[test]
    fn pieces_manquantes_d_un_dossier() {
        let objet = ObjetPiece::Dossier(DossierId(3));
        let attendues = pieces_attendues(objet, &[TypePiece::Attestation, TypePiece::Rib], &[]);
        let types: Vec<TypePiece> = attendues.iter().map(|a| a.type_piece).collect();
        assert_eq!(
            types,
            [
                TypePiece::BudgetPrevisionnel,
                TypePiece::Statuts,
                TypePiece::Rib,
                TypePiece::Attestation
            ]
        );
        assert!(attendues[2].requise && attendues[2].demandee);
        assert!(!attendues[3].requise && attendues[3].demandee);
        assert!(attendues.iter().all(|a| a.presente.is_none()));
        assert!(pieces_attendues(ObjetPiece::Bilan(BilanId(1)), &[], &[]).is_empty());
    }
}
