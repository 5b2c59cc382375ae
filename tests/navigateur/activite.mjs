// Browser tests of the activity: an intervenant records a session and imports a file, a refused
// entry keeps what was typed with every message next to its field (nothing chosen in advance), and the dashboards of the
// structure, the Caf and the Cnaf show the new session at once; axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demarrer, etat, accessible, aller, connecter } from './commun.mjs';

demarrer();

async function entretiensAffiches(page) {
  await aller(page, '/tableau-de-bord?exercice=2025');
  const texte = await page.locator('.grille .carte').first().locator('.chiffre').textContent();
  return Number(texte.replace(/\s/g, ''));
}

test('intervenant: un entretien saisi apparaît aussitôt dans les tableaux de bord', async () => {
  const cnaf = await connecter('cnaf@demo.parentalite.fr');
  const caf = await connecter('agent.38@demo.parentalite.fr');
  const page = await connecter('intervenant.38@demo.parentalite.fr');
  const avant = [await entretiensAffiches(cnaf), await entretiensAffiches(caf), await entretiensAffiches(page)];

  await page.getByRole('link', { name: 'Activité' }).click();
  await accessible(page);
  await page.getByLabel('Identifiant de la famille dans la structure').fill('DOSSIER-NAV-001');
  await page.getByLabel('Date de l\'entretien').fill('20/11/2025');
  await page.getByLabel('Durée en minutes').fill('60');
  await page.getByLabel('Premier contact', { exact: true }).check();
  await page.getByLabel('Présentiel', { exact: true }).check();
  await page.getByLabel('Un parent', { exact: true }).check();
  await page.getByLabel('Scolarité', { exact: true }).check();
  await page.getByRole('button', { name: 'Enregistrer l\'entretien' }).click();
  await page.getByText('Entretien enregistré : séance n° 1').waitFor();
  await accessible(page);

  const apres = [await entretiensAffiches(cnaf), await entretiensAffiches(caf), await entretiensAffiches(page)];
  assert.deepEqual(apres, avant.map((n) => n + 1));
  // The dashboard draws its charts and the map, each with its table.
  await aller(cnaf, '/tableau-de-bord?exercice=2025&indicateur=entretiens_par_etp');
  assert.equal(await cnaf.locator('svg.carte path').count(), 101);
  assert.ok(await cnaf.getByRole('table', { name: /par département/ }).isVisible());
  assert.ok(await cnaf.getByRole('img', { name: /Entretiens par mois/ }).isVisible());
});

test('intervenant: une saisie refusée garde ce qui a été tapé, le message à côté du champ', async () => {
  const page = await connecter('intervenant.30@demo.parentalite.fr');
  await aller(page, '/activite');
  await page.getByLabel('Identifiant de la famille dans la structure').fill('DOSSIER-NAV-002');
  await page.getByLabel('Date de l\'entretien').fill('12/03/2025');
  await page.getByLabel('Durée en minutes').fill('une heure');
  // Nothing is chosen in advance for the step, the mode or the attendance.
  for (const nom of ['etape', 'mode', 'presence']) {
    assert.equal(await page.locator(`input[name="${nom}"]:checked`).count(), 0, `${nom} coché d'avance`);
  }
  await page.getByLabel('Visioconférence', { exact: true }).check();
  await page.getByRole('button', { name: 'Enregistrer l\'entretien' }).click();
  await page.getByText('Le formulaire n\'a pas été enregistré : 3 erreurs').waitFor();
  await accessible(page);
  // Every error at once, each next to its field and linked from the summary.
  assert.deepEqual(
    await page.locator('#erreurs li a').evaluateAll((liens) => liens.map((a) => a.getAttribute('href'))),
    ['#duree_minutes', '#etape', '#presence'],
  );
  assert.match(await page.locator('#etape-erreur').textContent(), /Étape/);
  assert.equal(await page.getByLabel('Premier contact', { exact: true }).getAttribute('aria-invalid'), 'true');
  const duree = page.getByLabel('Durée en minutes');
  assert.equal(await duree.inputValue(), 'une heure');
  assert.equal(await duree.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#duree_minutes-erreur').textContent(), /nombre entier de minutes/);
  assert.ok(await page.getByLabel('Visioconférence', { exact: true }).isChecked());
  assert.equal(await page.getByLabel('Date de l\'entretien').inputValue(), '12/03/2025');
});

test('intervenant: un fichier en erreur est refusé en entier, chaque ligne fautive listée', async () => {
  const page = await connecter('intervenant.81@demo.parentalite.fr');
  await aller(page, '/activite');
  const fichier = join(etat.dossier, 'entretiens.csv');
  writeFileSync(fichier, 'identifiant_famille;date;duree_minutes;etape;mode;presence\n'
    + 'NAV-A;05/02/2025;60;premier_contact;presentiel;un_parent\n'
    + 'NAV-B;31/02/2025;60;premier_contact;presentiel;un_parent\n'
    + 'NAV-C;06/02/2025;60;inconnue;presentiel;un_parent\n');
  await page.getByLabel('Fichier CSV').setInputFiles(fichier);
  await page.getByRole('button', { name: 'Importer' }).click();
  await page.locator('#fichier-erreur', { hasText: '2 lignes en erreur' }).waitFor();
  assert.equal(await page.getByLabel('Fichier CSV').getAttribute('aria-invalid'), 'true');
  await accessible(page);
  const lignes = page.getByRole('table', { name: /Lignes en erreur/ });
  assert.match(await lignes.textContent(), /3.*date/s);
  assert.match(await lignes.textContent(), /4.*etape/s);
  writeFileSync(fichier, 'identifiant_famille;date;duree_minutes;etape;mode;presence\n'
    + 'NAV-A;05/02/2025;60;premier_contact;presentiel;un_parent\n');
  await page.getByLabel('Fichier CSV').setInputFiles(fichier);
  await page.getByRole('button', { name: 'Importer' }).click();
  await page.getByText('1 ajouté,').waitFor();
  await accessible(page);
});

test('Caf et financeur: tableau de bord du département et chiffres du bilan d\'une structure', async () => {
  for (const email of ['agent.56@demo.parentalite.fr', 'financeur.56@demo.parentalite.fr']) {
    const page = await connecter(email);
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await accessible(page);
    await page.getByLabel('Exercice').selectOption('2024');
    await page.getByLabel('Indicateur de la carte').selectOption('entretiens_par_famille');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/exercice=2024/);
    await accessible(page);
    const structures = page.getByRole('table', { name: /par structure/ });
    await structures.getByRole('link').first().click();
    await page.getByRole('heading', { name: /Chiffres du bilan 2024/ }).waitFor();
    await accessible(page);
  }
});

test('filtres et bilan refusés: chaque erreur à côté de son champ, sans violation', async () => {
  const caf = await connecter('agent.56@demo.parentalite.fr');
  const r = await caf.goto(`${etat.racine}/tableau-de-bord?exercice=1999&indicateur=inconnu`);
  assert.equal(r.status(), 422);
  await accessible(caf);
  assert.deepEqual(
    await caf.locator('#erreurs li a').evaluateAll((liens) => liens.map((a) => a.getAttribute('href'))),
    ['#exercice', '#indicateur'],
  );
  assert.match(await caf.locator('#exercice-erreur').textContent(), /1999/);
  assert.equal(await caf.getByLabel('Indicateur de la carte').getAttribute('aria-invalid'), 'true');

  const gestionnaire = await connecter('gestionnaire.59.9@demo.parentalite.fr');
  await aller(gestionnaire, '/activite?exercice=2025');
  await gestionnaire.getByLabel('Heures d\'analyse de la pratique').fill('douze');
  await gestionnaire.getByLabel('Réseau partenarial').fill('CCAS, PMI');
  await gestionnaire.getByRole('button', { name: 'Transmettre le bilan 2025 à la Caf' }).click();
  await gestionnaire.getByText('Le formulaire n\'a pas été enregistré : 2 erreurs').waitFor();
  await accessible(gestionnaire);
  assert.match(await gestionnaire.locator('#heures_analyse_pratique-erreur').textContent(), /nombre entier/);
  assert.match(await gestionnaire.locator('#synthese-erreur').textContent(), /Synthèse qualitative/);
  assert.equal(await gestionnaire.getByLabel('Heures d\'analyse de la pratique').inputValue(), 'douze');
  assert.equal(await gestionnaire.getByLabel('Réseau partenarial').inputValue(), 'CCAS, PMI');
});
