// Browser test of the experiment's evaluation: the Cnaf opens « Évaluation », reads the ten
// départements side by side and downloads the national bilan as PDF; the Caf of the Tarn, whose
// monograph is not written in the demonstration, writes it on a phone-sized screen; axe-core on
// every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, aller, connecter, etat } from './commun.mjs';

demarrer();

test('Cnaf : les dix départements côte à côte et le bilan national en PDF', async () => {
  const page = await connecter('cnaf@demo.parentalite.fr');
  await page.getByRole('link', { name: 'Évaluation' }).first().click();
  await page.getByRole('heading', { level: 1, name: /Évaluation de l'expérimentation — 20\d\d/ }).waitFor();
  await accessible(page);
  const activite = page.getByRole('table', { name: "Indicateurs d'activité" });
  const entete = await activite.locator('thead th').allInnerTexts();
  assert.equal(entete.length, 12, entete.join(' | '));
  assert.equal(entete[11], 'France');
  assert.match(await activite.innerText(), /Entretiens tenus/);
  assert.equal(await page.locator('svg[role=img]').count(), 2);
  // The bilan for the Cas of the Cnaf downloads as a PDF.
  const [telechargement] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Bilan national 20\d\d \(PDF\)/ }).evaluate((a) => {
      // Open it as a download rather than in the browser's PDF viewer.
      a.setAttribute('download', '');
      a.click();
    }),
  ]);
  assert.match(telechargement.suggestedFilename(), /^bilan-experimentation-aip-20\d\d\.pdf$/);
  const chemin = await telechargement.path();
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(chemin).subarray(0, 5).toString(), '%PDF-');
  // A monograph the Caf of the Isère wrote, read by the Cnaf.
  await page.getByRole('link', { name: 'Monographie : Isère (38)' }).click();
  await page.getByRole('heading', { name: 'Partenaires mobilisés' }).waitFor();
  await accessible(page);
});

test('agent de Caf : écrire la monographie du département sur un téléphone', async () => {
  const page = await connecter('agent.81@demo.parentalite.fr');
  await page.setViewportSize({ width: 375, height: 812 });
  await aller(page, '/evaluation/departements/81');
  await page.getByText('Aucune version enregistrée.').waitFor();
  const largeur = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(largeur <= 375, `la page déborde : ${largeur} px`);
  await page.getByLabel('Contexte du territoire').fill('Un département rural où les parents attendaient un accompagnement individuel.');
  await page.getByLabel('Difficultés rencontrées').fill('Les distances allongent les délais de rendez-vous.');
  await page.getByRole('button', { name: 'Enregistrer la monographie' }).click();
  await page.getByText('La monographie est enregistrée.').waitFor();
  await accessible(page);
  assert.match(await page.locator('main').innerText(), /Version 1, mise à jour le/);
  assert.equal(await page.getByLabel('Difficultés rencontrées').inputValue(), 'Les distances allongent les délais de rendez-vous.');
  // Another département's monograph is refused.
  const r = await page.goto(etat.racine + '/evaluation/departements/38');
  assert.equal(r.status(), 403);
});
