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
// The server listens on a port the system chooses, and prints it once listening.
let racine = '';
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

let serveur;
let navigateur;
const comptes = {};
const visitees = new Set();

before(async () => {
  const dossier = mkdtempSync(join(tmpdir(), 'parentalite-navigateur-'));
  const fichierComptes = join(dossier, 'comptes.json');
  serveur = spawn(binaire, ['demo', '--addr', '127.0.0.1:0', '--fichier', join(dossier, 'demo.sqlite'), '--comptes', fichierComptes], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PARENTALITE_LOG: process.env.PARENTALITE_LOG || 'warn' } });
  await new Promise((ok, ko) => {
    let sortie = '';
    const delai = setTimeout(() => ko(new Error(`la démonstration ne démarre pas:\n${sortie}`)), 180000);
    serveur.stdout.on('data', (d) => {
      sortie += d.toString();
      const pret = sortie.match(/Parentalité sur (http:\/\/[0-9.:]+)\n/);
      if (pret) {
        racine = pret[1];
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
  // Injected through the debugging protocol: the pages' content security policy forbids inline
  // scripts, and any violation of it is reported like an accessibility one.
  await page.evaluate(axe);
  assert.deepEqual(violationsCsp.splice(0), [], `politique de sécurité du contenu enfreinte sur ${page.url()}`);
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
  const page = surveiller(await contexte.newPage());
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
  const page = surveiller(await (await navigateur.newContext()).newPage());
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
  await page.locator('#etat-depose[aria-current="true"]').waitFor();
  await accessible(page);
  await page.locator('tbody a').first().click();
  await page.getByRole('button', { name: 'Prendre en instruction' }).click();
  await page.getByRole('button', { name: 'Présenter en comité' }).waitFor();
  await accessible(page);
  await page.getByLabel('Date du comité').fill('2024-02-15');
  await page.getByRole('button', { name: 'Présenter en comité' }).click();
  await page.getByRole('button', { name: 'Enregistrer la décision' }).waitFor();
  await accessible(page);
  await page.getByLabel('Décision du comité').selectOption('valide');
  await page.getByLabel('Part de la Caf (€)').fill('20 000');
  await page.getByLabel('Motivation').fill('Projet conforme au référentiel national.');
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await page.getByRole('button', { name: 'Établir la convention' }).waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Établir la convention' }).click();
  await page.waitForURL(racine + '/conventions');
  await accessible(page);
  await aller(page, '/paiements');
  // A payment run starts with its preview (tests/navigateur/campagne.mjs follows it through).
  await page.getByRole('link', { name: 'Préparer une campagne de paiements' }).click();
  await page.getByRole('heading', { name: 'Préparer une campagne de paiements' }).waitFor();
  await accessible(page);
  await aller(page, '/enveloppes');
  await aller(page, '/calcul');
  await aller(page, '/structures');
  await aller(page, '/dossiers?etat=presente_en_comite');
});

test('agent de Caf: les filtres de la liste des dossiers la mettent à jour sans recharger la page, et l\'export les suit', async () => {
  const page = await connecter('agent.38@demo.parentalite.fr');
  await aller(page, '/dossiers');
  await page.evaluate(() => { window.memePage = true; });
  const annonce = page.locator('#annonce-resultats');
  // Sorting by a column heading, then in the reverse order; the focus stays on the heading.
  // (The Caf's list starts each line with the box of its bulk actions.)
  const communes = async () => page.locator('tbody tr td:nth-child(4)').allTextContents();
  await page.getByRole('link', { name: 'Commune' }).click();
  await page.locator('th[aria-sort="ascending"] #tri-commune').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tri-commune');
  const croissant = await communes();
  assert.deepEqual(croissant, [...croissant].sort((a, b) => a.localeCompare(b, 'fr')));
  await page.getByRole('link', { name: 'Commune' }).click();
  await page.locator('th[aria-sort="descending"] #tri-commune').waitFor();
  assert.deepEqual(await communes(), [...croissant].reverse());
  assert.equal(new URL(page.url()).search, '?tri=-commune');
  await accessible(page);
  await page.locator('#tri-numero').click();
  await page.locator('th[aria-sort="ascending"] #tri-numero').waitFor();
  await page.getByLabel(/^Rechercher/).fill('n°3');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.locator('#etat-tous', { hasText: /^Tous \(1\)$/ }).waitFor();
  assert.equal(await page.locator('tbody a').first().textContent(), 'n°3');
  assert.equal(await annonce.textContent(), '1 dossier trouvé');
  await page.getByLabel(/^Rechercher/).fill('');
  await page.getByLabel('Commune du porteur').fill('meylan');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(racine + '/dossiers?commune=meylan');
  await page.locator('#etat-valide').waitFor();
  assert.equal(await annonce.textContent(), '1 dossier trouvé');
  // A state link keeps the commune, and the focus stays on it.
  await page.getByRole('link', { name: /^validé/ }).click();
  await page.locator('#etat-valide[aria-current="true"]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'etat-valide');
  assert.equal(new URL(page.url()).search, '?etat=valide&commune=meylan');
  assert.equal(await annonce.textContent(), '1 dossier trouvé');
  assert.equal(await page.locator('tbody tr').count(), 1);
  assert.equal(await page.getByRole('link', { name: 'Exporter la liste (CSV)' }).getAttribute('href'), '/exports/dossiers.csv?etat=valide&commune=meylan');
  // A select applies as soon as it changes; the state chosen is kept.
  await page.getByLabel('Éligibilité').selectOption('non_eligible');
  await page.locator('#etat-valide[aria-current="true"]', { hasText: /^validé \(0\)$/ }).waitFor();
  assert.equal(new URL(page.url()).search, '?etat=valide&commune=meylan&eligibilite=non_eligible');
  assert.equal(await annonce.textContent(), '0 dossier trouvé');
  assert.equal(await page.evaluate(() => window.memePage), true, 'la page a été rechargée');
  await accessible(page);
  // Going back shows the previous list, loaded again.
  await page.goBack();
  await page.locator('#etat-valide[aria-current="true"]').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1);
});

test('agent de Caf: un message au porteur et une annotation privée, envoyés sans recharger la page; un message vide est refusé à côté du champ', async () => {
  const page = await connecter('agent.38@demo.parentalite.fr');
  await aller(page, '/dossiers');
  await page.locator('tbody a').first().click();
  await page.getByRole('heading', { name: 'Échanges' }).waitFor();
  await page.evaluate(() => { window.memePage = true; });
  const annonce = page.locator('#annonce-echanges');
  const messages = page.locator('#echanges ol.fil > li');
  const avant = await messages.count();
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('#texte[aria-invalid="true"]').waitFor();
  assert.match(await annonce.textContent(), /^Message non envoyé : /);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'envoyer-message');
  await accessible(page);
  await page.getByLabel('Votre message').fill('Pouvez-vous préciser les horaires de permanence ?');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('#echanges ol.fil > li', { hasText: 'Pouvez-vous préciser les horaires de permanence ?' }).waitFor();
  assert.equal(await annonce.textContent(), 'Message envoyé.');
  assert.equal(await page.getByLabel('Votre message').inputValue(), '');
  assert.equal(await page.locator('#texte[aria-invalid="true"]').count(), 0);
  await page.getByLabel('Votre message').fill('Porteur sérieux, à soutenir.');
  await page.getByLabel(/^Annotation privée/).check();
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('#echanges ol.fil > li', { hasText: 'Porteur sérieux, à soutenir.' }).waitFor();
  assert.equal(await messages.count(), avant + 2);
  assert.match(await messages.last().textContent(), /annotation privée, non visible du porteur/);
  assert.equal(await page.evaluate(() => window.memePage), true, 'la page a été rechargée');
  await accessible(page);
});

test('gestionnaire: le message non lu de sa Caf, signalé à l\'accueil, lu puis répondu', async () => {
  const page = await connecter('gestionnaire.59.4@demo.parentalite.fr');
  const carte = page.locator('.carte', { hasText: 'Messages non lus' });
  assert.equal(await carte.locator('.chiffre').textContent(), '1');
  await carte.getByRole('link').click();
  await page.waitForURL(racine + '/dossiers?non_lus=1');
  await accessible(page);
  assert.equal(await page.getByLabel('Avec des messages non lus').isChecked(), true);
  assert.equal(await page.locator('tbody tr').count(), 1);
  await page.locator('tbody a').first().click();
  await page.getByRole('heading', { name: 'Échanges' }).waitFor();
  const nouveaux = page.locator('#echanges .badge', { hasText: 'Nouveau' });
  assert.equal(await nouveaux.count(), 1);
  assert.equal(await page.getByText('partenaire du Reaap').count(), 0, 'annotation privée visible du porteur');
  await accessible(page);
  await page.getByLabel('Votre message').fill('Le budget des locaux est joint au projet.');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('#echanges ol.fil > li', { hasText: 'Le budget des locaux est joint au projet.' }).waitFor();
  await aller(page, '/');
  assert.equal(await carte.locator('.chiffre').textContent(), '0');
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
  // The site map, reached from the footer of any page, leads to every section.
  await page.getByRole('contentinfo').getByRole('link', { name: 'Plan du site' }).click();
  await page.waitForURL(racine + '/plan-du-site');
  await accessible(page);
  await page.getByRole('main').getByRole('link', { name: 'Suivi national' }).click();
  await page.waitForURL(racine + '/enveloppes');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Données personnelles et cookies' }).click();
  await page.waitForURL(racine + '/donnees-personnelles');
  await accessible(page);
});

test('gestionnaire sans structure: l\'inscrire, avec ses lieux et ses intervenants; une erreur est dite à côté du champ', async () => {
  const page = await connecter('gestionnaire.nouveau@demo.parentalite.fr');
  await page.getByRole('link', { name: 'Inscrire ma structure' }).click();
  await page.getByRole('heading', { name: 'Inscrire une structure' }).waitFor();
  await accessible(page);
  await page.getByLabel('Raison sociale').fill('Maison des familles de Chaumont');
  await page.getByLabel('SIRET').fill('52123456700011');
  await page.getByLabel('Statut juridique').selectOption('association_loi_1901');
  await page.getByLabel('Numéro RNA').fill('W521000777');
  await page.getByLabel('Activité', { exact: true }).selectOption('generaliste');
  await page.getByLabel('Adresse du siège').fill('4 rue Victoire de la Marne');
  await page.getByLabel('Code postal').fill('52000');
  await page.getByLabel('Code INSEE de la commune').fill('52121');
  await page.getByRole('button', { name: 'Enregistrer la structure' }).click();
  // A wrong SIRET key: the message next to the field, the summary links to it, what was typed kept.
  await page.locator('#siret-erreur').waitFor();
  assert.equal(await page.getByLabel('SIRET').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Raison sociale').inputValue(), 'Maison des familles de Chaumont', 'la saisie est gardée');
  assert.equal(await page.getByLabel('SIRET').inputValue(), '52123456700011');
  assert.match(await page.title(), /^Erreur – /);
  await accessible(page);
  await page.locator('#erreurs a[href="#siret"]').click();
  await page.getByLabel('SIRET').fill(await siretValide('5212345670002'));
  await page.getByRole('button', { name: 'Enregistrer la structure' }).click();
  await page.getByRole('heading', { name: 'Éligibilité, telle que la Caf l\'examinera' }).waitFor();
  await accessible(page);
  await page.getByLabel('Nom du lieu').fill('Point écoute parents');
  await page.getByRole('button', { name: 'Ajouter le lieu' }).click();
  await page.getByRole('cell', { name: 'Point écoute parents' }).waitFor();
  await page.getByLabel('Prénom').fill('Lina');
  await page.getByLabel('Nom', { exact: true }).fill('Roussel');
  await page.getByLabel('Diplôme', { exact: true }).selectOption('psychologue');
  await page.getByLabel('ETP consacrés au service').fill('0,8');
  await page.getByLabel('Début du contrat sur le service').fill('2026-09-01');
  await page.getByLabel('Date de vérification du bulletin n°3 du casier judiciaire').fill('2026-09-01');
  await page.getByLabel('Heures d\'analyse de la pratique par an').fill('douze');
  await page.getByRole('button', { name: 'Ajouter l\'intervenant' }).click();
  await page.locator('#heures_ap-erreur').waitFor();
  assert.equal(await page.getByLabel('Prénom').inputValue(), 'Lina', 'la saisie est gardée');
  await accessible(page);
  await page.getByLabel('Heures d\'analyse de la pratique par an').fill('12');
  await page.getByRole('button', { name: 'Ajouter l\'intervenant' }).click();
  await page.getByText(/Lina Roussel: /).waitFor();
  await accessible(page);
  await aller(page, '/structures');
  assert.equal(await page.locator('tbody tr').count(), 1, 'le gestionnaire voit sa structure');
});

/** A SIRET with a valid key (Luhn) from its first 13 digits. */
async function siretValide(souche) {
  for (let k = 0; k < 10; k++) {
    const s = souche + k;
    const somme = [...s].reverse().reduce((t, c, i) => { let n = Number(c) * (i % 2 ? 2 : 1); if (n > 9) n -= 9; return t + n; }, 0);
    if (somme % 10 === 0) return s;
  }
  throw new Error('aucune clé');
}

test('gestionnaire: un projet à l\'appel ouvert, instruit par la Caf, puis la convention signée et contresignée', async () => {
  const gest = await connecter('gestionnaire.38.2@demo.parentalite.fr');
  await aller(gest, '/dossiers/nouveau');
  // The year of the new wave, as the demonstration dated it (not this machine's clock).
  const vague = /Nouvelle vague (\d{4})/.exec(await gest.getByLabel('Appel à projets').locator('option:checked').innerText());
  assert.ok(vague, 'appel « Nouvelle vague » attendu');
  const annee = Number(vague[1]);
  await gest.getByLabel('Intitulé du projet').fill('Groupes de parole parents');
  await gest.getByLabel('Objectifs', { exact: true }).fill('Rompre l\'isolement des parents');
  await gest.getByLabel('Moyens mis en œuvre').fill('Une animatrice diplômée');
  await gest.getByLabel('Nombre d\'ETP affectés à la mission').fill('une demie');
  await gest.getByLabel('Début du projet').fill(`${annee}-01-01`);
  await gest.getByLabel('Fin du projet').fill(`${annee}-12-31`);
  await gest.getByLabel('Total des charges prévues (€)').fill('30 000');
  await gest.getByLabel('Total des produits prévus (€)').fill('30 000');
  await gest.getByLabel('Modalités d\'évaluation').fill('Questionnaire anonyme');
  await gest.getByLabel('Diagnostic local des besoins et contexte partenarial').fill('Besoins relevés par la PMI');
  await gest.getByLabel('Partenaires (séparés par des virgules)').fill('PMI, écoles');
  await gest.getByLabel('Information des familles').fill('Affiches dans les écoles');
  await gest.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await gest.locator('#etp_demandes-erreur').waitFor();
  assert.equal(await gest.getByLabel('Moyens mis en œuvre').inputValue(), 'Une animatrice diplômée', 'la saisie est gardée');
  await accessible(gest);
  await gest.getByLabel('Nombre d\'ETP affectés à la mission').fill('0,5');
  await gest.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await gest.getByRole('button', { name: 'Déposer le dossier' }).waitFor();
  await accessible(gest);
  const dossier = new URL(gest.url()).pathname;
  await gest.getByRole('button', { name: 'Déposer le dossier' }).click();
  await gest.getByText('déposé', { exact: true }).waitFor();
  await accessible(gest);

  const agent = await connecter('agent.38@demo.parentalite.fr');
  await aller(agent, dossier);
  await agent.getByRole('button', { name: 'Prendre en instruction' }).click();
  await agent.getByLabel('Date du comité').fill(new Date().toISOString().slice(0, 10));
  await agent.getByRole('button', { name: 'Présenter en comité' }).click();
  await agent.getByLabel('Décision du comité').selectOption('valide');
  await agent.getByLabel('Part de la Caf (€)').fill('10 000');
  await agent.getByLabel('Motivation').fill('Besoin avéré sur le territoire.');
  await agent.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await agent.getByRole('button', { name: 'Établir la convention' }).waitFor();
  await accessible(agent);
  const numero = await agent.getByLabel('Numéro de la convention').inputValue();
  await agent.getByRole('button', { name: 'Établir la convention' }).click();
  await agent.waitForURL(racine + '/conventions');

  await aller(gest, '/');
  await gest.getByText('Conventions à signer', { exact: true }).waitFor();
  await aller(gest, '/conventions');
  await gest.getByRole('link', { name: numero }).click();
  await gest.getByRole('heading', { name: 'Convention à signer' }).waitFor();
  await accessible(gest);
  const pdf = await gest.request.get(await gest.getByRole('link', { name: 'Lire la convention (PDF)' }).getAttribute('href').then((h) => racine + h));
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  await gest.getByRole('button', { name: 'Signer la convention' }).click();
  await gest.locator('#accepte-erreur').waitFor();
  await accessible(gest);
  await gest.getByLabel('J\'ai lu et j\'accepte les termes de la convention d\'objectifs et de financement').check();
  await gest.getByRole('button', { name: 'Signer la convention' }).click();
  await gest.getByText(/en attente de la contresignature de la Caf/).waitFor();
  await accessible(gest);

  await agent.getByRole('link', { name: numero }).click();
  await agent.getByRole('group', { name: 'Contresigner la convention' }).waitFor();
  await accessible(agent);
  await agent.getByRole('button', { name: 'Enregistrer la signature' }).click();
  await agent.getByText('signée', { exact: true }).waitFor();
  await accessible(agent);
});

test('une page introuvable est expliquée', async () => {
  const page = surveiller(await (await navigateur.newContext()).newPage());
  const r = await page.goto(racine + '/nulle-part');
  assert.equal(r.status(), 404);
  await accessible(page);
});
