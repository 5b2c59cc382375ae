//! Benchmarks of the AIP subsidy in process: one case computed, one case with its trace, and the
//! JSON reading and writing that a batch does per line.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use referentiel::aip::{self, ParametresAip, json};
use referentiel::parametres::Parametres;

const CAS: &[u8] = br#"{"dispositif":"aip","exercice":2024,"declaration":"reelle","etp_declares":"0.33","etp_notifies":"0.5","mois_fonctionnement":7,"depenses_fonctionnement":"12345.67","versements_effectues":"6913.58"}"#;

fn bench(c: &mut Criterion) {
    let parametres = match Parametres::embarques() {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let p = match ParametresAip::pour_exercice(&parametres, 2024) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let entree = match json::lire_cas(CAS) {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    c.bench_function("calcul_un_cas", |b| {
        b.iter(|| aip::calculer(black_box(&p), black_box(&entree)))
    });
    c.bench_function("calcul_un_cas_avec_trace", |b| {
        b.iter(|| {
            aip::calculer(black_box(&p), black_box(&entree)).map(|r| {
                let t = r.trace(&p);
                (r, t)
            })
        })
    });
    c.bench_function("lecture_json_un_cas", |b| {
        b.iter(|| json::lire_cas(black_box(CAS)))
    });
    let r = match aip::calculer(&p, &entree) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let mut sortie = Vec::with_capacity(512);
    c.bench_function("ecriture_json_un_resultat", |b| {
        b.iter(|| {
            sortie.clear();
            json::ecrire_resultat(&mut sortie, black_box(&r), &p, Some(1), false)
        })
    });
    c.bench_function("parametres_de_l_exercice", |b| {
        b.iter(|| ParametresAip::pour_exercice(black_box(&parametres), black_box(2024)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
