// Browser test of the parents' questionnaire: the structure finds its link (and poster), a parent
// without an account opens it on a 375×740 phone, reads the easy-to-read version, sends the form
// with nothing ticked (every question is named in the errors), answers, and the Caf agent of the
// département sees the answer counted in the results, where counts under 5 read « moins de 5 ».
// axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, aller, connecter, etat } from './commun.mjs';

demarrer();

/** The number of answers of « France entière » on the results page. */
async function reponsesNationales(page) {
  const ligne = page.getByRole('table', { name: 'Nombre de réponses' }).getByRole('row', { name: /France entière/ });
  const texte = (await ligne.locator('span.compte').textContent()).replace(/\s/g, '');
  return Number(texte);
}

test('questionnaire des parents : réponse anonyme sur un téléphone, comptée dans les résultats masqués', async () => {
  // The structure's links.
  const structure = await connecter('gestionnaire.38.1@demo.parentalite.fr');
  await aller(structure, '/structures');
  const fiche = await structure.locator('main a[href^="/structures/"]').evaluateAll((liens) => liens.map((a) => a.getAttribute('href')).find((h) => /^\/structures\/[0-9]+$/.test(h)));
  assert.ok(fiche, 'lien vers la fiche de la structure');
  await aller(structure, fiche);
  await structure.getByRole('link', { name: /Questionnaires d’évaluation/ }).click();
  await structure.getByRole('heading', { level: 1, name: 'Questionnaires d’évaluation' }).waitFor();
  await accessible(structure);
  assert.equal(await structure.locator('div.qr-code svg[role=img]').count(), 2);
  const lien = await structure.getByRole('region', { name: 'Questionnaire des parents' }).locator('p.adresse-lien a').getAttribute('href');
  assert.match(lien, /^\/questionnaires\/[a-z2-9]{16}$/);
  await structure.getByRole('region', { name: 'Questionnaire des parents' }).getByRole('link', { name: 'Affiche à imprimer' }).click();
  await structure.getByRole('heading', { level: 1, name: 'Votre avis compte' }).waitFor();
  await accessible(structure);

  // The Caf agent's results before.
  const caf = await connecter('agent.38@demo.parentalite.fr');
  await aller(caf, '/evaluation/questionnaires');
  const avant = await reponsesNationales(caf);
  assert.ok(avant > 0);

  // A parent on a phone, without an account: the easy-to-read version, then the form.
  const contexte = await etat.navigateur.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 740 } });
  const parent = await contexte.newPage();
  await aller(parent, `${lien}/facile`);
  await parent.getByRole('heading', { level: 1, name: 'Votre avis (facile à lire)' }).waitFor();
  await parent.getByRole('group', { name: /Je me sens mieux comme parent/ }).waitFor();
  assert.ok(await parent.evaluate(() => document.documentElement.scrollWidth <= 375), 'pas de défilement horizontal');
  await aller(parent, lien);
  assert.ok(await parent.evaluate(() => document.documentElement.scrollWidth <= 375), 'pas de défilement horizontal');
  assert.equal(await parent.locator('textarea, input[type=text], input[type=email]').count(), 0, 'aucun champ libre');
  await parent.getByRole('button', { name: 'Envoyer mes réponses' }).click();
  await parent.getByRole('heading', { name: /6 erreurs/ }).waitFor();
  await accessible(parent);
  assert.match(await parent.textContent('#erreurs'), /Je me sens plus à l’aise dans mon rôle de parent\. »\) : choisissez une réponse/);
  const questions = parent.locator('fieldset.question');
  for (let i = 0; i < await questions.count(); i++) {
    await questions.nth(i).locator('input[type=radio]').first().check();
  }
  await parent.getByRole('group', { name: /Je me sens plus à l’aise/ }).getByLabel('Plutôt d’accord').check();
  await parent.getByRole('button', { name: 'Envoyer mes réponses' }).click();
  await parent.getByRole('heading', { level: 1, name: 'Merci pour vos réponses' }).waitFor();
  await accessible(parent);
  await contexte.close();

  // Counted, with counts under 5 masked.
  await aller(caf, '/evaluation/questionnaires');
  assert.equal(await reponsesNationales(caf), avant + 1);
  const comptes = await caf.locator('span.compte').allTextContents();
  assert.ok(comptes.includes('moins de 5'), 'des effectifs masqués');
  for (const c of comptes) {
    const n = Number(c.replace(/\s/g, ''));
    if (!Number.isNaN(n)) assert.ok(n === 0 || n >= 5, `effectif ${n} affiché`);
  }
  await caf.getByLabel('Questionnaire').selectOption('partenaires');
  await caf.getByRole('button', { name: 'Afficher' }).click();
  await caf.getByRole('heading', { name: /Questionnaire des partenaires/ }).waitFor();
  await accessible(caf);
});
