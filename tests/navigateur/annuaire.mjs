// Browser test of the public directory, without an account, on a phone-sized screen (375×740):
// from the home page a parent types the start of a commune, picks it among the suggestions with
// the keyboard, finds the services within 10 km (list and map numbered alike), narrows them to a
// need, opens a service's page. axe-core finds no violation on any page, and no page breaks the
// content security policy. (Without JavaScript, the choice of a commune is tested in
// crates/web/tests/annuaire.rs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, etat } from './commun.mjs';

demarrer();

const TELEPHONE = { viewport: { width: 375, height: 740 }, locale: 'fr-FR', isMobile: true, hasTouch: true };

/** A page on a phone-sized screen, its content security policy violations collected. */
async function pageTelephone(options = {}) {
  const contexte = await etat.navigateur.newContext({ ...TELEPHONE, ...options });
  const page = await contexte.newPage();
  page.violationsCsp = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) page.violationsCsp.push(m.text());
  });
  return page;
}

async function verifier(page) {
  await accessible(page);
  assert.deepEqual(page.violationsCsp, [], `politique de sécurité du contenu enfreinte sur ${page.url()}`);
  // Nothing wider than the screen: no horizontal scrolling on a phone.
  const largeur = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(largeur <= 375, `page plus large que l'écran (${largeur} px) sur ${page.url()}`);
}

test('un parent, sans compte, trouve un service près de chez lui sur son téléphone', async () => {
  const page = await pageTelephone();
  await page.goto(etat.racine + '/');
  await verifier(page);
  // The public menu, and the search on the home page.
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Trouver un service' }).waitFor();
  // The script makes the field a combobox: typing brings suggestions in a listbox.
  const champ = page.getByRole('combobox', { name: /Commune ou code postal/ });
  await champ.waitFor();
  await champ.pressSequentially('greno', { delay: 40 });
  const liste = page.getByRole('listbox', { name: 'Communes suggérées' });
  await liste.getByRole('option', { name: /^Grenoble/ }).waitFor();
  await verifier(page);
  // Down arrow to the first suggestion (Grenoble, the most populated), Enter to pick it.
  await champ.press('ArrowDown');
  const active = await champ.getAttribute('aria-activedescendant');
  assert.ok(active, 'une suggestion active');
  assert.match(await page.locator(`#${active}`).innerText(), /^Grenoble/);
  await champ.press('Enter');
  assert.equal(await champ.inputValue(), 'Grenoble (38000)');
  assert.equal(await champ.getAttribute('aria-expanded'), 'false');
  await page.getByRole('button', { name: /Rechercher/ }).click();

  await page.getByRole('heading', { name: /services? à moins de 10 km de Grenoble/ }).waitFor();
  await verifier(page);
  const resultats = page.locator('li.resultat-annuaire');
  const nombre = await resultats.count();
  assert.ok(nombre > 0, 'des services à moins de 10 km de Grenoble');
  // Each result tells its distance; the map has one numbered marker per result.
  for (const texte of await resultats.allInnerTexts()) assert.match(texte, /à (moins de 100 m|[\d,]+ km)/, texte);
  assert.equal(await page.locator('svg.carte g.marqueur').count(), nombre);
  await page.getByRole('img', { name: /Services à moins de 10 km de Grenoble/ }).waitFor();

  // Narrowed to a need, in plain words.
  await page.getByText('Affiner : besoin, type de service, modalités, coût').click();
  await page.getByRole('group', { name: 'J’ai besoin de…' }).getByLabel('un conflit familial ou une séparation').check();
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
  await page.getByRole('heading', { name: /à moins de 10 km de Grenoble/ }).waitFor();
  await verifier(page);
  const filtres = await page.locator('li.resultat-annuaire').count();
  assert.ok(filtres > 0 && filtres <= nombre, `${filtres} services après le filtre, ${nombre} avant`);
  assert.ok(await page.getByLabel('un conflit familial ou une séparation').isChecked());
  for (const texte of await page.locator('li.resultat-annuaire .type-service').allInnerTexts()) {
    assert.match(texte, /médiation|espace rencontre/i, texte);
  }

  // The first service's page.
  const premier = page.locator('li.resultat-annuaire h3 a').first();
  const nom = (await premier.innerText()).trim();
  await premier.click();
  await page.getByRole('heading', { level: 1, name: nom }).waitFor();
  await verifier(page);
  await page.getByRole('heading', { name: 'Où et quand' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Informations mises à jour le/);
  const jsonLd = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
  assert.equal(jsonLd['@type'], 'Service');
  assert.equal(jsonLd.name, nom);
});
