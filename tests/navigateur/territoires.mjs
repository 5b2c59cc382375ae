// Browser test of the public fiches territoires, without an account: the list of départements,
// a search of a commune by its name, the fiche of the Isère (offer table, coverage map, CSV),
// then the fiche of one of its communes with an offer; axe-core on every page, at a desktop
// size and at a phone size (375 × 740).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, etat } from './commun.mjs';

demarrer();

/** A fresh anonymous browser page of `largeur` × `hauteur`. */
async function pageAnonyme(largeur, hauteur) {
  const contexte = await etat.navigateur.newContext({
    locale: 'fr-FR',
    acceptDownloads: true,
    viewport: { width: largeur, height: hauteur },
  });
  return contexte.newPage();
}

/** List → département → commune, checking each page. */
async function parcours(page) {
  const r = await page.goto(etat.racine + '/territoires');
  assert.equal(r.status(), 200);
  await page.getByRole('heading', { level: 1, name: 'Fiches territoires' }).waitFor();
  await accessible(page);

  // A search by name, accents left out.
  await page.getByLabel(/Nom de la commune, code postal ou code INSEE/).fill('voiron');
  await page.getByRole('button', { name: 'Chercher' }).click();
  await page.getByRole('heading', { name: /Communes trouvées pour « voiron »/ }).waitFor();
  await accessible(page);
  await page.getByRole('link', { name: 'Voiron', exact: true }).waitFor();

  await page.getByRole('link', { name: 'Isère', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /Fiche territoire de l'Isère \(38\)/ }).waitFor();
  await accessible(page);
  await page.getByRole('table', { name: /Offre de soutien à la parentalité de l'Isère par dispositif/ }).waitFor();
  await page.getByRole('img', { name: /Couverture de l'Isère par l'offre de soutien à la parentalité à moins de 10 km/ }).waitFor();
  // No count from 1 to 4 is printed.
  for (const texte of await page.locator('span.compte').allInnerTexts()) {
    assert.ok(texte === '< 5' || !/^[1-4]$/.test(texte), `effectif publié : ${texte}`);
  }
  const telechargement = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger les chiffres de la fiche (CSV)' }).click();
  assert.equal((await telechargement).suggestedFilename(), 'fiche-territoire-38.csv');

  const commune = page.locator('ul.communes-avec-offre a').first();
  const nom = await commune.innerText();
  await commune.click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`Fiche territoire de la commune ${nom}`) }).waitFor();
  await accessible(page);
  await page.getByRole('table', { name: new RegExp(`Offre de soutien à la parentalité à ${nom}`) }).waitFor();
  const lien = await page.getByRole('link', { name: `Trouver un service près de ${nom}` }).getAttribute('href');
  assert.match(lien, /^\/annuaire\?commune=[0-9AB]{5}$/);
}

test('sans compte, sur un écran d\'ordinateur : liste, département, commune', async () => {
  const page = await pageAnonyme(1280, 900);
  await parcours(page);
});

test('sans compte, sur un téléphone (375 × 740) : liste, département, commune', async () => {
  const page = await pageAnonyme(375, 740);
  await parcours(page);
});

test('un département inconnu : page introuvable en français', async () => {
  const page = await pageAnonyme(375, 740);
  const r = await page.goto(etat.racine + '/territoires/00');
  assert.equal(r.status(), 404);
  await page.getByRole('heading', { name: 'Page introuvable' }).waitFor();
  await accessible(page);
});
