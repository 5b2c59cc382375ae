// Browser test of the services for parents: a gestionnaire describes a service with invalid
// opening hours first, reads the error beside the field (the other values kept), corrects it,
// saves and submits it; the Caf of the département reads what will be public and publishes it;
// the gestionnaire sees it published. axe-core on every page, at a desktop and a phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, aller, connecter } from './commun.mjs';

demarrer();

const NOM = 'Les Petits Pas de la place Grenette';

test('services : décrire un service, corriger ses horaires, le soumettre, la Caf le publie', async () => {
  const page = await connecter('gestionnaire.38.5@demo.parentalite.fr');
  await page.getByRole('link', { name: 'Services', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Services aux parents' }).waitFor();
  await accessible(page);
  await page.getByRole('link', { name: 'Décrire un nouveau service' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nouveau service' }).waitFor();
  await accessible(page);

  await page.getByLabel('Dispositif').selectOption('laep');
  await page.getByLabel('Type de service').selectOption('accueil');
  await page.getByLabel('Nom du service').fill(NOM);
  await page.getByLabel('Description').fill('Un lieu d’accueil enfants-parents : on vient jouer et parler, sans inscription.');
  await page.getByLabel('Parents d’enfants de moins de 3 ans').check();
  await page.getByLabel('Sur place').check();
  await page.getByLabel('Frais').selectOption('gratuit');
  await page.locator('#telephone').fill('01 99 00 12 34');
  const lieu1 = page.getByRole('group', { name: 'Lieu 1', exact: true });
  await lieu1.getByLabel('Numéro et voie').fill('4 place Grenette');
  await lieu1.getByLabel('Code postal', { exact: true }).fill('38000');
  await lieu1.getByLabel('Code INSEE de la commune').fill('38185');
  await lieu1.getByLabel('Horaires d’ouverture').fill('mardi 9h-11h30');
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();

  // Refused: the error summary links to the field, the message is beside it, values kept.
  await page.getByRole('heading', { name: /Le formulaire n'a pas été enregistré/ }).waitFor();
  await accessible(page);
  const horaires = lieu1.getByLabel('Horaires d’ouverture');
  assert.equal(await horaires.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#lieux_1_horaires-erreur').innerText(), /OpenStreetMap/);
  assert.equal(await page.getByLabel('Nom du service').inputValue(), NOM);
  await page.getByRole('link', { name: /OpenStreetMap/ }).first().click();

  await horaires.fill('Tu,Th 09:00-11:30; Sa 09:30-12:00');
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await page.getByRole('heading', { level: 1, name: NOM }).waitFor();
  await page.getByText('Service enregistré comme brouillon').waitFor();
  await page.getByText('Le mardi, le jeudi de 9').waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Soumettre à la Caf' }).click();
  await page.getByText('Service soumis à la modération de la Caf.').waitFor();
  await accessible(page);
  const adresse = page.url().replace(/\?.*$/, '');

  // The Caf of Isère: the queue, the page showing what will be public, the publication.
  const caf = await connecter('agent.38@demo.parentalite.fr');
  await aller(caf, '/services');
  await caf.getByRole('link', { name: NOM }).first().click();
  await caf.getByRole('heading', { name: 'Ce qui sera public' }).waitFor();
  await caf.getByText('4 place Grenette').waitFor();
  await accessible(caf);
  await caf.getByRole('button', { name: 'Publier dans l’annuaire' }).click();
  await caf.getByText('Service publié dans l’annuaire.').waitFor();
  await accessible(caf);

  // The gestionnaire reads it published; the pages pass at a phone's width too.
  await page.goto(adresse);
  await page.getByText('publié', { exact: true }).first().waitFor();
  await page.setViewportSize({ width: 375, height: 740 });
  await accessible(page);
  await aller(page, '/services/nouveau');
  await aller(page, '/services');
});
