// Browser test of the Caf's instruction workspace: an agent assigns a submitted dossier to
// themself, finds it under « Mes dossiers », opens it and reads its history; axe-core on every
// page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, etat, accessible, aller, connecter } from './commun.mjs';

demarrer();

test('agent de Caf: s\'attribuer un dossier, le retrouver dans « Mes dossiers » et lire son historique', async () => {
  const page = await connecter('agent.38@demo.parentalite.fr');
  await aller(page, '/dossiers?etat=depose');
  const adresse = await page.locator('main table a[href^="/dossiers/"]').first().getAttribute('href');
  await aller(page, adresse);
  assert.ok(await page.getByRole('navigation', { name: 'Sommaire du dossier' }).isVisible());
  await page.getByRole('button', { name: 'M\'attribuer ce dossier' }).click();
  await page.waitForURL(`${etat.racine}${adresse}?fait=attribue`);
  await accessible(page);
  assert.match(await page.locator('#confirmation[role="status"]').textContent(), /Dossier attribué à agent de la Caf/);
  assert.match(await page.locator('#suivi').textContent(), /agent de la Caf/);

  await aller(page, '/dossiers');
  await page.getByLabel(/^Mes dossiers/).check();
  await page.waitForURL(/mes=1/);
  await page.locator('main table tbody tr').first().waitFor();
  assert.equal(await page.locator('main table tbody tr').count(), 1);
  await accessible(page);
  const ligne = page.locator('main table tbody tr').first();
  assert.match(await ligne.textContent(), /agent de la Caf/);
  await ligne.locator('a[href^="/dossiers/"]').click();
  await page.waitForURL(`${etat.racine}${adresse}`);
  const historique = page.getByRole('table', { name: 'Historique du dossier' });
  assert.match(await historique.locator('tbody tr').first().textContent(), /dossier attribué à agent de la Caf/);
  assert.match(await historique.textContent(), /dossier déposé/);
  await accessible(page);
});
