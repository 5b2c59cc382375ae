// Browser test of the open data, without an account: the page that describes the data passes
// axe-core on a desktop screen and on a phone (375×740), and each of its file links answers 200
// with its content type; the API's example answers a page in JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, etat } from './commun.mjs';

demarrer();

/** A page of a fresh visitor (no session) at `viewport`, failing on any content security policy
 * violation the browser reports. */
async function visiteur(viewport) {
  const contexte = await etat.navigateur.newContext({ locale: 'fr-FR', viewport });
  const page = await contexte.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) assert.fail(m.text());
  });
  return page;
}

for (const [nom, viewport] of [['ordinateur', { width: 1280, height: 900 }], ['téléphone', { width: 375, height: 740 }]]) {
  test(`la page des données ouvertes, sans compte, sur ${nom}`, async () => {
    const page = await visiteur(viewport);
    const r = await page.goto(etat.racine + '/donnees-ouvertes');
    assert.equal(r.status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Données ouvertes de l’annuaire' }).waitFor();
    await accessible(page);
    // Nothing wider than the screen on a phone.
    const largeur = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(largeur <= viewport.width, `page de ${largeur} px pour un écran de ${viewport.width} px`);
    const licence = page.getByRole('link', { name: 'Licence Ouverte / Open Licence version 2.0' });
    assert.equal(await licence.getAttribute('href'), 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/');
    await page.close();
  });
}

test('les fichiers et l’API répondent, chacun avec son type', async () => {
  const page = await visiteur({ width: 1280, height: 900 });
  await page.goto(etat.racine + '/donnees-ouvertes');
  const types = { json: 'application/json', csv: 'text/csv; charset=utf-8' };
  const liens = await page.locator('main a[href^="/donnees-ouvertes/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(liens.sort(), ['/donnees-ouvertes/services.csv', '/donnees-ouvertes/services.json', '/donnees-ouvertes/structures.csv', '/donnees-ouvertes/structures.json']);
  for (const lien of liens) {
    const r = await page.request.get(etat.racine + lien);
    assert.equal(r.status(), 200, lien);
    const extension = lien.split('.').pop();
    assert.equal(r.headers()['content-type'], types[extension], lien);
    const corps = await r.text();
    if (extension === 'json') assert.ok(Array.isArray(JSON.parse(corps)), lien);
    else assert.match(corps.split('\n')[0], /^source,/, lien);
  }
  const api = await page.request.get(etat.racine + '/api/donnees-ouvertes/v1/services?taille=2');
  assert.equal(api.status(), 200);
  assert.equal(api.headers()['content-type'], 'application/json');
  const v = await api.json();
  assert.ok(Array.isArray(v.elements) && v.elements.length <= 2);
  assert.ok('suivant' in v);
  const refus = await page.request.get(etat.racine + '/api/donnees-ouvertes/v1/services?apres=nimporte');
  assert.equal(refus.status(), 400);
  assert.equal((await refus.json()).champ, 'apres');
  await page.close();
});
