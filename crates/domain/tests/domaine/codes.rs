//! The string codes of states and kinds are the store's and the API's: they must match the serde
//! form and read back.

use domain::Role;
use domain::convention::EtatConvention;
use domain::declaration::{EtatTransmission, NatureDeclaration};
use domain::dossier::EtatDossier;
use domain::paiement::NaturePaiement;
use serde::Serialize;

fn serde_code<T: Serialize>(v: T) -> String {
    serde_json::to_string(&v)
        .unwrap()
        .trim_matches('"')
        .to_owned()
}

#[test]
fn codes_et_serde_concordent() {
    for e in EtatDossier::TOUS {
        assert_eq!(serde_code(e), e.code());
        assert_eq!(EtatDossier::depuis_code(e.code()), Some(e));
    }
    for e in EtatConvention::TOUS {
        assert_eq!(serde_code(e), e.code());
        assert_eq!(EtatConvention::depuis_code(e.code()), Some(e));
    }
    for e in EtatTransmission::TOUS {
        assert_eq!(serde_code(e), e.code());
        assert_eq!(EtatTransmission::depuis_code(e.code()), Some(e));
    }
    for n in NatureDeclaration::TOUTES {
        assert_eq!(serde_code(n), n.code());
        assert_eq!(NatureDeclaration::depuis_code(n.code()), Some(n));
    }
    for n in [
        NaturePaiement::Acompte,
        NaturePaiement::Solde,
        NaturePaiement::Indu,
    ] {
        assert_eq!(serde_code(n), n.code());
        assert_eq!(serde_code(n.echeance()), n.echeance().code());
    }
    for r in Role::TOUS {
        assert_eq!(serde_code(r), r.code());
    }
    for i in [
        domain::decision::IssueDecision::Valide,
        domain::decision::IssueDecision::Refuse,
        domain::decision::IssueDecision::Ajourne,
    ] {
        assert_eq!(serde_code(i), i.code());
    }
    assert_eq!(
        serde_code(domain::appel_a_projets::Dispositif::MediationFamiliale),
        domain::appel_a_projets::Dispositif::MediationFamiliale.code()
    );
}
