// Browser test of supporting documents: a gestionnaire joins a PDF to its dossier, sees it listed,
// joins a new version (the first still listed), and a program renamed as a PDF is refused with the
// message next to the file field; axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, etat, accessible, aller, connecter } from './commun.mjs';

demarrer();

const pdf = (texte) => Buffer.from(`%PDF-1.7\n% ${texte}\n1 0 obj\n<<>>\nendobj\n%%EOF\n`);

test('gestionnaire: joindre une pièce à son dossier, puis une nouvelle version; un programme est refusé', async () => {
  const email = Object.keys(etat.comptes).find((e) => e.startsWith('gestionnaire.38.'));
  const page = await connecter(email);
  await aller(page, '/dossiers');
  const lien = page.locator('main table a[href^="/dossiers/"]').first();
  const adresse = await lien.getAttribute('href');
  await aller(page, adresse);
  const section = page.locator('#pieces');
  assert.match(await section.locator('#pieces-manquantes').textContent(), /3 pièces attendues manquent/);

  await page.getByLabel('Type de pièce').selectOption('budget_previsionnel');
  await page.locator('#piece-fichier').setInputFiles({ name: 'budget-2026.pdf', mimeType: 'application/pdf', buffer: pdf('budget 2026') });
  await page.getByRole('button', { name: 'Joindre la pièce' }).click();
  await page.waitForURL(`${etat.racine}${adresse}#pieces`);
  await accessible(page);
  assert.match(await section.locator('#pieces-manquantes').textContent(), /2 pièces attendues manquent/);
  assert.ok(await section.getByRole('cell', { name: 'budget-2026.pdf', exact: true }).isVisible());

  await page.getByLabel('Type de pièce').selectOption('budget_previsionnel');
  await page.locator('#piece-fichier').setInputFiles({ name: 'budget-2026-corrige.pdf', mimeType: 'application/pdf', buffer: pdf('budget 2026 corrigé') });
  await page.getByRole('button', { name: 'Joindre la pièce' }).click();
  await page.waitForURL(`${etat.racine}${adresse}#pieces`);
  await accessible(page);
  const jointes = section.getByRole('table', { name: 'Pièces jointes et leurs versions' });
  assert.ok(await jointes.getByRole('cell', { name: 'budget-2026-corrige.pdf', exact: true }).isVisible());
  assert.ok(await jointes.getByRole('cell', { name: 'budget-2026.pdf', exact: true }).isVisible());
  assert.equal(await jointes.getByRole('cell', { name: '2 (actuelle)' }).count(), 1);

  // The first version is still downloadable, as it was sent.
  const [telechargement] = await Promise.all([
    page.waitForEvent('download'),
    jointes.getByRole('link', { name: /budget-2026\.pdf version 1/ }).click(),
  ]);
  assert.equal(telechargement.suggestedFilename(), 'budget-2026.pdf');

  // A program renamed as a PDF: refused, the reason next to the field, nothing added.
  await page.getByLabel('Type de pièce').selectOption('rib');
  await page.locator('#piece-fichier').setInputFiles({ name: 'rib.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00programme') });
  await page.getByRole('button', { name: 'Joindre la pièce' }).click();
  await page.locator('#piece-fichier-erreur').waitFor();
  await accessible(page);
  assert.match(await page.locator('#piece-fichier-erreur').textContent(), /« rib\.pdf » est un programme exécutable/);
  assert.equal(await page.locator('#piece-fichier').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#pieces').getByRole('cell', { name: 'rib.pdf', exact: true }).count(), 0);
});
