// Browser test of the departmental coordination: a Caf agent opens « Diagnostic » from the
// menu, reads the AIP coverage of its département (map, legend in words, the uncovered communes
// in a table), downloads the CSV, and adds an action to the plan after a refused, empty form;
// a funder reads the communication plan without a form; axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, aller, connecter } from './commun.mjs';

demarrer();

test('agent de Caf : diagnostic de couverture et plan d\'action', async () => {
  const page = await connecter('agent.38@demo.parentalite.fr');
  await aller(page, '/');
  await page.getByRole('link', { name: 'Diagnostic', exact: true }).click();
  await page.getByRole('heading', { name: 'Diagnostic partagé de l\'offre' }).waitFor();
  await accessible(page);
  // The map names itself and tells in words what its marks mean.
  await page.getByRole('img', { name: /Couverture de l'Isère par l'offre AIP à moins de 10 km/ }).waitFor();
  const legende = await page.locator('ul.legende-carte').innerText();
  assert.match(legende, /commune non couverte : aucun lieu à moins de 10 km/, legende);
  // The uncovered communes are listed in a table, as on the map.
  const lignes = await page.locator('#non-couvertes + table tbody tr').count();
  const anneaux = await page.locator('svg .commune-non-couverte').count();
  assert.equal(lignes, anneaux);
  assert.ok(anneaux > 0, 'des communes non couvertes');
  // Another distance, typed with a decimal comma.
  await page.getByLabel(/Distance en kilomètres/).fill('25,5');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await page.getByRole('heading', { name: /25,5 km/ }).first().waitFor();
  const telechargement = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger le diagnostic par commune (CSV)' }).click();
  assert.match((await telechargement).suggestedFilename(), /^diagnostic-38-aip\.csv$/);

  await page.getByRole('link', { name: 'Priorités et plan d\'action' }).click();
  await page.getByRole('heading', { name: 'Priorités locales et plan d\'action' }).waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: /Le formulaire n'a pas été enregistré : 6 erreurs/ }).waitFor();
  await accessible(page);
  await page.getByLabel(/Axe du schéma départemental/).fill('Maillage territorial');
  await page.getByLabel('Action', { exact: true }).fill('Ouvrir une permanence dans le Trièves');
  await page.getByLabel(/Porteur/).fill('Caf de l\'Isère');
  await page.getByLabel('Indicateur de suivi').fill('Communes non couvertes');
  await page.getByLabel(/Échéance/).fill('2027-06-30');
  await page.getByLabel('État d\'avancement').selectOption('en_cours');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('cell', { name: 'Ouvrir une permanence dans le Trièves' }).waitFor();
});

test('financeur : le plan de communication en lecture', async () => {
  const page = await connecter('financeur.38@demo.parentalite.fr');
  await aller(page, '/coordination/communication?departement=38');
  await page.getByRole('heading', { name: 'Plan d\'information et de communication' }).waitFor();
  await accessible(page);
  assert.equal(await page.locator('#formulaire').count(), 0);
  await page.getByRole('cell', { name: 'Guide des lieux d\'accueil des parents' }).waitFor();
});
