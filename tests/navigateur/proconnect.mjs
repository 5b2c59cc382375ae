// Browser test of ProConnect login, against a local OpenID Connect provider (tests/oidc, the npm
// package oidc-provider) standing in for ProConnect: a Caf agent clicks « S’identifier avec
// ProConnect », logs in on the provider's page, lands signed in on the platform, then logs out
// through the provider; a forged `state` in the callback URL, and another login's code (its
// `nonce` not this browser's), are refused without a session; a partner's account is sent back
// to password login. axe-core runs on each of the platform's pages (on a phone-sized screen for
// the login page), and none breaks the content security policy.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demarrer, accessible, etat } from './commun.mjs';

const ici = dirname(fileURLToPath(import.meta.url));
const CLIENT_ID = 'parentalite-navigateur';
const CLIENT_SECRET = 'secret-du-fournisseur-local-du-navigateur';
const fournisseur = { issuer: '', processus: null, comptes: '' };

/** A loopback port free right now (the platform listens there: its redirect URI must be known
 * to the provider before either starts). */
async function portLibre() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

/** Starts the local provider; returns the demo's environment pointing ProConnect at it. */
async function demarrerFournisseur() {
  const port = await portLibre();
  const racine = `http://127.0.0.1:${port}`;
  fournisseur.comptes = join(mkdtempSync(join(tmpdir(), 'parentalite-oidc-')), 'comptes.json');
  writeFileSync(fournisseur.comptes, '[]');
  fournisseur.processus = spawn('node', [join(ici, '../oidc/serveur.mjs'),
    '--redirection', `${racine}/connexion/proconnect/retour`, '--comptes', fournisseur.comptes,
    '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET], { stdio: ['ignore', 'pipe', 'ignore'] });
  fournisseur.issuer = await new Promise((ok, ko) => {
    let sortie = '';
    fournisseur.processus.stdout.on('data', (d) => {
      sortie += d.toString();
      const ligne = sortie.split('\n')[0];
      if (sortie.includes('\n')) ok(JSON.parse(ligne).issuer);
    });
    fournisseur.processus.on('exit', (c) => ko(new Error(`fournisseur OIDC local arrêté (${c}) : npm ci dans tests/oidc ?`)));
  });
  return {
    PARENTALITE_ADDR: `127.0.0.1:${port}`,
    PARENTALITE_PROCONNECT_ISSUER: fournisseur.issuer,
    PARENTALITE_PROCONNECT_CLIENT_ID: CLIENT_ID,
    PARENTALITE_PROCONNECT_CLIENT_SECRET: CLIENT_SECRET,
    PARENTALITE_PROCONNECT_URL_PUBLIQUE: racine,
  };
}

demarrer({ env: demarrerFournisseur });
after(() => { if (fournisseur.processus) fournisseur.processus.kill('SIGTERM'); });

/** The provider's accounts: a demo Caf agent and a demo gestionnaire, by their e-mails. */
function comptesDuFournisseur() {
  const email = (role) => Object.entries(etat.comptes).find(([, c]) => c.role === role)[0];
  const claims = { given_name: 'Camille', usual_name: 'Martin', siret: '53478983600019', idp_id: 'fia1v2' };
  writeFileSync(fournisseur.comptes, JSON.stringify([
    { sub: 'agent-caf', email: email('caf'), ...claims },
    { sub: 'gestionnaire', email: email('gestionnaire'), ...claims },
  ]));
}

/** A fresh browser page, its content security policy violations collected. */
async function nouvellePage(options = {}) {
  const contexte = await etat.navigateur.newContext({ locale: 'fr-FR', ...options });
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
}

/** From the platform's login page to the provider's login page. */
async function allerChezLeFournisseur(page) {
  await page.goto(etat.racine + '/connexion');
  await verifier(page);
  await page.getByRole('link', { name: 'S’identifier avec ProConnect' }).click();
  await page.waitForURL((u) => u.toString().startsWith(`${fournisseur.issuer}/interaction/`));
}

async function sIdentifier(page, sub) {
  await page.locator('input[name="login"]').fill(sub);
  await page.locator('input[name="password"]').fill('essai');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

async function connecte(page) {
  const r = await page.goto(etat.racine + '/profil');
  return r.status() === 200 && new URL(page.url()).pathname === '/profil';
}

test('un agent se connecte avec ProConnect, puis se déconnecte par le fournisseur', async () => {
  comptesDuFournisseur();
  const page = await nouvellePage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await allerChezLeFournisseur(page);
  await sIdentifier(page, 'agent-caf');
  await page.waitForURL(etat.racine + '/');
  await verifier(page);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  // The platform's session ends, then the provider's logout page (its session/end endpoint).
  await page.waitForURL((u) => u.toString().startsWith(`${fournisseur.issuer}/session/end`));
  await page.getByRole('button', { name: 'Oui, me déconnecter' }).click();
  await page.waitForURL((u) => u.toString().startsWith(etat.racine + '/connexion'));
  await verifier(page);
  assert.equal(await connecte(page), false);
  // Signed out at the provider too: the next login asks for the account again.
  await allerChezLeFournisseur(page);
  await page.locator('input[name="login"]').waitFor();
});

test('un state falsifié dans l’adresse de retour est refusé, sans session', async () => {
  comptesDuFournisseur();
  const page = await nouvellePage();
  await allerChezLeFournisseur(page);
  const r = await page.goto(`${etat.racine}/connexion/proconnect/retour?code=code-invente&state=${'f'.repeat(64)}`);
  assert.equal(r.status(), 400);
  await verifier(page);
  await page.getByRole('heading', { name: 'Connexion par ProConnect refusée' }).waitFor();
  assert.match(await page.getByRole('alert').textContent(), /« state »/);
  assert.equal(await connecte(page), false);
});

test('le code d’une autre connexion (autre nonce) est refusé, sans session', async () => {
  comptesDuFournisseur();
  // This browser starts a login: its state is read from the authorization request.
  const victime = await nouvellePage();
  const demande = victime.waitForRequest((q) => q.url().startsWith(`${fournisseur.issuer}/authorize?`));
  await allerChezLeFournisseur(victime);
  const etatVictime = new URL((await demande).url()).searchParams.get('state');
  // Another login is completed elsewhere (an HTTP client with its own cookies, following no
  // redirect), its callback kept from the platform: its code carries the other login's nonce.
  const autre = (await etat.navigateur.newContext()).request;
  const suivante = async (reponse) => new URL(reponse.headers().location, reponse.url()).toString();
  let r = await autre.get(`${etat.racine}/connexion/proconnect`, { maxRedirects: 0 });
  r = await autre.get(await suivante(r), { maxRedirects: 0 });
  const interaction = await suivante(r);
  const formulaire = await (await autre.get(interaction)).text();
  const action = new URL(formulaire.match(/action="([^"]+)"/)[1], interaction).toString();
  r = await autre.post(action, { form: { prompt: 'login', login: 'agent-caf', password: 'essai' }, maxRedirects: 0 });
  r = await autre.get(await suivante(r), { maxRedirects: 0 });
  const rappel = await suivante(r);
  assert.ok(rappel.startsWith(`${etat.racine}/connexion/proconnect/retour?`), rappel);
  const code = new URL(rappel).searchParams.get('code');
  assert.ok(code);
  // Its code with this browser's state: the state matches, the ID token's nonce does not.
  const refus = await victime.goto(`${etat.racine}/connexion/proconnect/retour?code=${encodeURIComponent(code)}&state=${etatVictime}`);
  assert.equal(refus.status(), 400);
  await verifier(victime);
  assert.match(await victime.getByRole('alert').textContent(), /jeton d’identité invalide/);
  assert.equal(await connecte(victime), false);
});

test('un compte de partenaire est renvoyé vers la connexion par mot de passe', async () => {
  comptesDuFournisseur();
  const page = await nouvellePage();
  await allerChezLeFournisseur(page);
  await sIdentifier(page, 'gestionnaire');
  await page.waitForURL((u) => u.toString().startsWith(`${etat.racine}/connexion/proconnect/retour`));
  await verifier(page);
  assert.match(await page.getByRole('alert').textContent(), /réservé aux agents/);
  assert.equal(await connecte(page), false);
});
