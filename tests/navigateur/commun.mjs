// What the browser tests share: a fresh `parentalite demo` on a random port, headless Chromium,
// axe-core run on every page visited (zero violation accepted), and logging in as a demo account.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ici = dirname(fileURLToPath(import.meta.url));
const binaire = process.env.PARENTALITE_BIN || join(ici, '../../target/debug/parentalite');
const axe = readFileSync(join(ici, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** The content security policy violations the watched pages reported, not yet checked. */
const violationsCsp = [];

/** Watches a page for content security policy violations (the browser reports them). */
function surveiller(page) {
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) violationsCsp.push(m.text());
  });
  return page;
}

export const etat = { racine: '', navigateur: null, comptes: {}, visitees: new Set(), dossier: '' };

/** Starts the demo and the browser before the file's tests, stops them after. `options.env`:
 * more environment for the demo (an object, or an async function returning one, called first;
 * for example `{ PARENTALITE_SMTP: smtp.url }` with a server of smtp.mjs). */
export function demarrer(options = {}) {
  let serveur;
  before(async () => {
    const envEnPlus = typeof options.env === 'function' ? await options.env() : (options.env || {});
    etat.dossier = mkdtempSync(join(tmpdir(), 'parentalite-navigateur-'));
    const fichierComptes = join(etat.dossier, 'comptes.json');
    // The server listens on a port the system chooses, and prints it once listening.
    // A port of the caller's choosing when its environment names one (PARENTALITE_ADDR).
    serveur = spawn(binaire, ['demo', '--addr', envEnPlus.PARENTALITE_ADDR || '127.0.0.1:0', '--fichier', join(etat.dossier, 'demo.sqlite'), '--comptes', fichierComptes], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PARENTALITE_LOG: process.env.PARENTALITE_LOG || 'warn', ...envEnPlus } });
    await new Promise((ok, ko) => {
      let sortie = '';
      const delai = setTimeout(() => ko(new Error(`la démonstration ne démarre pas:\n${sortie}`)), 300000);
      serveur.stdout.on('data', (d) => {
        sortie += d.toString();
        const pret = sortie.match(/Parentalité sur (http:\/\/[0-9.:]+)\n/);
        if (pret) {
          etat.racine = pret[1];
          for (const c of JSON.parse(readFileSync(fichierComptes, 'utf8'))) etat.comptes[c.email] = { role: c.role, mdp: c.mot_de_passe };
          clearTimeout(delai);
          ok();
        }
      });
      serveur.on('exit', (c) => ko(new Error(`parentalite demo s'est arrêté (${c})`)));
    });
    etat.navigateur = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    if (etat.navigateur) await etat.navigateur.close();
    if (serveur) serveur.kill('SIGTERM');
    console.log(`pages vérifiées par axe-core: ${etat.visitees.size}`);
  });
}

/** Runs axe-core on the page; fails on any violation, listing them. */
export async function accessible(page) {
  // Injected through the debugging protocol: the pages' content security policy forbids inline
  // scripts, and any violation of it is reported like an accessibility one.
  await page.evaluate(axe);
  assert.deepEqual(violationsCsp.splice(0), [], `politique de sécurité du contenu enfreinte sur ${page.url()}`);
  const r = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
  etat.visitees.add(new URL(page.url()).pathname);
  const details = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  assert.deepEqual(details, [], `violations d'accessibilité sur ${page.url()}`);
}

/** Opens a page, expects 200 and no accessibility violation. */
export async function aller(page, chemin) {
  const r = await page.goto(etat.racine + chemin);
  assert.equal(r.status(), 200, `${chemin}: statut ${r.status()}`);
  await accessible(page);
}

/** Logs in through the login form. */
export async function connecter(email) {
  const contexte = await etat.navigateur.newContext({ locale: 'fr-FR', acceptDownloads: true });
  const page = surveiller(await contexte.newPage());
  await page.goto(etat.racine + '/connexion');
  await accessible(page);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(etat.comptes[email].mdp);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(etat.racine + '/');
  await accessible(page);
  return page;
}
