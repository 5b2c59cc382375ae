//! The Luhn check used by INSEE for SIREN and SIRET numbers, and the digit reading shared by them.

/// True when the Luhn sum of `chiffres` (values 0 to 9, most significant first) is a multiple
/// of 10: from the right, every second digit is doubled (minus 9 when above 9), then all are
/// added.
pub(crate) fn luhn_valide(chiffres: &[u8]) -> bool {
    let somme: u32 = chiffres
        .iter()
        .rev()
        .enumerate()
        .map(|(rang, &c)| {
            let c = u32::from(c);
            if rang % 2 == 1 {
                let double = c * 2;
                if double > 9 { double - 9 } else { double }
            } else {
                c
            }
        })
        .sum();
    somme.is_multiple_of(10)
}

/// The key digit that makes `debut` followed by it Luhn-valid.
#[cfg(test)]
pub(crate) fn cle_luhn(debut: &[u8]) -> u8 {
    let mut avec = debut.to_vec();
    avec.push(0);
    for cle in 0..10u8 {
        if let Some(dernier) = avec.last_mut() {
            *dernier = cle;
        }
        if luhn_valide(&avec) {
            return cle;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exemples_connus() {
        // 732 829 320 (a SIREN used in INSEE's examples) and the usual Luhn test number.
        assert!(luhn_valide(&[7, 3, 2, 8, 2, 9, 3, 2, 0]));
        assert!(!luhn_valide(&[7, 3, 2, 8, 2, 9, 3, 2, 1]));
        assert!(luhn_valide(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
        assert_eq!(cle_luhn(&[7, 3, 2, 8, 2, 9, 3, 2]), 0);
    }
}
