// Browser tests: the journeys of each role in headless Chromium, against `parentalite demo`,
// with axe-core run on every page visited (zero violation accepted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ici = dirname(fileURLToPath(import.meta.url));
const binaire = process.env.PARENTALITE_BIN || join(ici, '../../target/debug/parentalite');
const port = 18000 + Math.floor(Math.random() * 1000);
const racine = `http://127.0.0.1:${port}`;
const axe = readFileSync(join(ici, 'node_modules/axe-core/axe.min.js'), 'utf8');

let serveur;
let navigateur;
const comptes = {};
const visitees = new Set();

before(async () => {
  const dossier = mkdtempSync(join(tmpdir(), 'parentalite-navigateur-'));
  const fichierComptes = join(dossier, 'comptes.json');
  serveur = spawn(binaire, ['demo', '--addr', `127.0.0.1:${port}`, '--fichier', join(dossier, 'demo.sqlite'), '--comptes', fichierComptes], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ok, ko) => {
    let sortie = '';
    const delai = setTimeout(() => ko(new Error(`la démonstration ne démarre pas:\n${sortie}`)), 180000);
    serveur.stdout.on('data', (d) => {
      sortie += d.toString();
      if (sortie.includes('Parentalité sur http')) {
        for (const c of JSON.parse(readFileSync(fichierComptes, 'utf8'))) comptes[c.email] = { role: c.role, mdp: c.mot_de_passe };
        clearTimeout(delai);
        ok();
      }
    });
    serveur.on('exit', (c) => ko(new Error(`parentalite demo s'est arrêté (${c})`)));
  });
  navigateur = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (navigateur) await navigateur.close();
  if (serveur) serveur.kill('SIGTERM');
  console.log(`pages vérifiées par axe-core: ${visitees.size}`);
});

/** Runs axe-core on the page; fails on any violation, listing them. */
async function accessible(page) {
  await page.addScriptTag({ content: axe });
  const r = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
  visitees.add(new URL(page.url()).pathname);
  const details = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  assert.deepEqual(details, [], `violations d'accessibilité sur ${page.url()}`);
}

async function aller(page, chemin) {
  const r = await page.goto(racine + chemin);
  assert.equal(r.status(), 200, `${chemin}: statut ${r.status()}`);
  await accessible(page);
}

async function connecter(email) {
  const contexte = await navigateur.newContext({ locale: 'fr-FR' });
  const page = await contexte.newPage();
  await page.goto(racine + '/connexion');
  await accessible(page);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(comptes[email].mdp);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(racine + '/');
  await accessible(page);
  return page;
}

test('une connexion refusée le dit sans dire si le compte existe', async () => {
  const page = await (await navigateur.newContext()).newPage();
  await page.goto(racine + '/connexion');
  await page.getByLabel('Adresse électronique').fill('personne@exemple.fr');
  await page.getByLabel('Mot de passe').fill('mauvais');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByText('Adresse électronique ou mot de passe incorrect.').waitFor();
  await accessible(page);
});

test('gestionnaire: son dossier, ses conventions, ses paiements et le simulateur', async () => {
  const page = await connecter('gestionnaire.38.9@demo.parentalite.fr');
  await aller(page, '/dossiers');
  const lignes = await page.locator('tbody tr').count();
  assert.equal(lignes, 1, 'un gestionnaire ne voit que son dossier');
  await page.locator('tbody a').first().click();
  await accessible(page);
  await aller(page, '/structures');
  await page.locator('tbody a').first().click();
  await page.getByRole('heading', { name: 'Éligibilité, telle que la Caf l\'examinera' }).waitFor();
  await accessible(page);
  await aller(page, '/conventions');
  await page.locator('tbody a').first().click();
  await page.getByRole('heading', { name: 'Déclarations' }).waitFor();
  await accessible(page);
  await aller(page, '/paiements');
  await aller(page, '/profil');
  await aller(page, '/calcul');
  await page.getByLabel('Mois de fonctionnement dans l\'exercice').fill('13');
  await page.getByLabel('ETP déclarés').fill('1');
  await page.getByLabel('ETP notifiés par le comité des financeurs').fill('1');
  await page.getByLabel('Dépenses de fonctionnement (€)').fill('40 000');
  await page.getByRole('button', { name: 'Calculer' }).click();
  await page.locator('#mois_fonctionnement-erreur').waitFor();
  assert.equal(await page.getByLabel('Dépenses de fonctionnement (€)').inputValue(), '40 000', 'la saisie est gardée');
  await accessible(page);
  await page.getByLabel('Mois de fonctionnement dans l\'exercice').fill('8');
  await page.getByRole('button', { name: 'Calculer' }).click();
  await page.getByText('Montant de la subvention : 32 000,00 €').waitFor();
  await page.getByText('Acompte (70 %) : 22 400,00 €').waitFor();
  await accessible(page);
});

test('agent de Caf: instruire, présenter en comité, décider, conventionner, payer', async () => {
  const page = await connecter('agent.56@demo.parentalite.fr');
  await aller(page, '/dossiers');
  await page.getByRole('link', { name: /^déposé/ }).click();
  await accessible(page);
  await page.locator('tbody a').first().click();
  await page.getByRole('button', { name: 'Prendre en instruction' }).click();
  await page.getByRole('button', { name: 'Présenter en comité' }).waitFor();
  await accessible(page);
  await page.getByLabel('Date du comité').fill('2024-02-15');
  await page.getByRole('button', { name: 'Présenter en comité' }).click();
  await page.getByRole('button', { name: 'Enregistrer la décision' }).waitFor();
  await accessible(page);
  await page.getByLabel('Part de la Caf (€)').fill('20 000');
  await page.getByLabel('Motivation').fill('Projet conforme au référentiel national.');
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await page.getByRole('button', { name: 'Établir la convention' }).waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Établir la convention' }).click();
  await page.waitForURL(racine + '/conventions');
  await accessible(page);
  await aller(page, '/paiements');
  await page.getByRole('button', { name: 'Émettre les paiements dus' }).click();
  await page.getByText(/paiement\(s\) émis/).waitFor();
  await accessible(page);
  await aller(page, '/enveloppes');
  await aller(page, '/calcul');
  await aller(page, '/structures');
  await aller(page, '/dossiers?etat=presente_en_comite');
});

test('financeur: l\'ordre du jour du comité', async () => {
  const page = await connecter('financeur.38@demo.parentalite.fr');
  await aller(page, '/dossiers?etat=presente_en_comite');
  assert.ok(await page.locator('tbody a').count() >= 1);
  await page.locator('tbody a').first().click();
  await accessible(page);
});

test('Cnaf: les dix Caf côte à côte', async () => {
  const page = await connecter('cnaf@demo.parentalite.fr');
  await aller(page, '/enveloppes');
  assert.equal(await page.locator('tbody tr').count(), 10);
  await aller(page, '/dossiers');
  await aller(page, '/conventions');
  await aller(page, '/paiements');
});

test('une page introuvable est expliquée', async () => {
  const page = await (await navigateur.newContext()).newPage();
  const r = await page.goto(racine + '/nulle-part');
  assert.equal(r.status(), 404);
  await accessible(page);
});
