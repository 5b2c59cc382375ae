// Browser test of the coordination instance's annual report: the Cnaf opens the comparison of
// the départements' reports from « Coordination » and one département's report; the Caf of the
// Tarn, whose report is not sent yet, sends it with the button of its page; axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, aller, connecter } from './commun.mjs';

demarrer();

// The year of the demonstration's last past séance (held 40 days before today).
const annee = new Date(Date.now() - 40 * 24 * 3600 * 1000).getUTCFullYear();

test('Cnaf : les rapports annuels des départements côte à côte', async () => {
  const page = await connecter('cnaf@demo.parentalite.fr');
  await aller(page, '/coordination');
  await page.getByRole('link', { name: `Rapports annuels ${annee}`, exact: false }).first().click();
  await page.getByRole('heading', { name: `Rapports annuels ${annee} des départements` }).waitFor();
  await accessible(page);
  const texte = await page.locator('main').innerText();
  assert.match(texte, /8 rapport\(s\) envoyé\(s\) sur 10 instance\(s\)/, texte);
  await page.getByRole('link', { name: 'Isère (38)' }).click();
  await page.getByRole('heading', { name: `Rapport annuel ${annee} — Isère` }).waitFor();
  await accessible(page);
  await page.getByText(/Envoyé à la Cnaf le/).waitFor();
});

test('agent de Caf : envoyer le rapport annuel à la Cnaf', async () => {
  const page = await connecter('agent.81@demo.parentalite.fr');
  await aller(page, `/coordination/81/rapport/${annee}`);
  await page.getByText('Projet : pas encore envoyé à la Cnaf').waitFor();
  await accessible(page);
  await page.getByRole('button', { name: `Envoyer le rapport ${annee} à la Cnaf` }).click();
  await page.getByText(/Envoyé à la Cnaf le/).waitFor();
  await accessible(page);
  assert.equal(await page.getByRole('button', { name: /Envoyer le rapport/ }).count(), 0);
});
