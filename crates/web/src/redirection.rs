//! Where a page may send the browser after logging in: only a path of this site. The target comes
//! from the login form (`retour`), so it is attacker-controlled; it is read the way a browser reads
//! it (WHATWG URL parsing: `\` counts as `/`, tabs and newlines vanish) and refused unless it stays
//! on this site, then written back percent-encoded so that the `Location` header is plain ASCII.

use url::Url;

/// A placeholder origin to resolve a relative target against: a target is accepted only when it
/// resolves to this very origin.
const ORIGINE: &str = "https://parentalite.invalid/";

/// The same-site path of `retour`, percent-encoded, or `None` when it could leave the site or
/// holds a character a browser would reinterpret (backslash, control character).
pub fn chemin_sur(retour: &str) -> Option<String> {
    if !retour.starts_with('/') || retour.starts_with("//") {
        return None;
    }
    if retour.chars().any(|c| c == '\\' || c.is_control()) {
        return None;
    }
    let base = Url::parse(ORIGINE).ok()?;
    let cible = base.join(retour).ok()?;
    if cible.origin() != base.origin() || cible.username() != "" || cible.password().is_some() {
        return None;
    }
    let chemin = &cible[url::Position::BeforePath..url::Position::AfterQuery];
    // Once normalised (`/./`, `%2e`…), the path must still be a path, not an authority.
    if !chemin.starts_with('/') || chemin.starts_with("//") {
        return None;
    }
    Some(chemin.to_owned())
}

/// [`chemin_sur`], or the home page.
pub fn chemin_ou_accueil(retour: Option<&str>) -> String {
    retour
        .and_then(chemin_sur)
        .unwrap_or_else(|| "/".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seul_un_chemin_du_site_est_accepte() {
        for hors in [
            "//evil.example",
            "/\\evil.example",
            "/\\/evil.example",
            "/\t/evil.example",
            "/\r\n/x",
            "/\u{0}",
            "/\u{1}",
            "/\u{7f}",
            "https://evil.example/",
            "evil.example",
            "",
            "/%2F/evil.example/..",
        ] {
            let r = chemin_sur(hors);
            assert!(
                r.as_deref().is_none_or(|c| !c.starts_with("//")),
                "{hors:?} → {r:?}"
            );
        }
        assert_eq!(chemin_sur("/\\evil.example"), None);
        assert_eq!(chemin_sur("/\t/evil.example"), None);
        assert_eq!(chemin_sur("/dossiers/12").as_deref(), Some("/dossiers/12"));
        assert_eq!(
            chemin_sur("/dossiers?etat=depose&q=a b").as_deref(),
            Some("/dossiers?etat=depose&q=a%20b")
        );
        assert_eq!(chemin_sur("/é").as_deref(), Some("/%C3%A9"));
        assert_eq!(chemin_ou_accueil(Some("//x")), "/");
    }
}
