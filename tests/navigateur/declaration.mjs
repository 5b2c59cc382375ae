// Browser test of the gestionnaire's declaration: the form is prepared from the sessions
// recorded on the platform; a submission with two wrong fields shows both messages next to their
// fields, linked from the summary, with what was typed kept; axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, aller, connecter } from './commun.mjs';

demarrer();

test('déclaration : préparée depuis les entretiens, chaque erreur à côté de son champ', async () => {
  const gest = await connecter('gestionnaire.85.10@demo.parentalite.fr');
  await aller(gest, '/conventions');
  await gest.getByRole('table').getByRole('link').first().click();
  await gest.getByRole('heading', { name: 'Préparer une déclaration' }).waitFor();
  await accessible(gest);
  // The right of each declaration, folded.
  for (const trace of await gest.locator('details.trace').all()) {
    assert.equal(await trace.getAttribute('open'), null, 'calcul replié');
  }

  const formulaire = gest.locator('form', { has: gest.getByRole('button', { name: 'Enregistrer la déclaration' }) });
  await formulaire.locator('#depenses').fill('quarante mille');
  await formulaire.locator('#etp_declares').fill('1');
  await formulaire.locator('#mois').fill('13');
  await formulaire.getByRole('button', { name: 'Enregistrer la déclaration' }).click();
  await gest.getByText('Le formulaire n\'a pas été enregistré').waitFor();
  await accessible(gest);
  for (const [id, valeur] of [['depenses', 'quarante mille'], ['mois', '13']]) {
    assert.equal(await gest.locator(`#${id}`).getAttribute('aria-invalid'), 'true', id);
    assert.equal(await gest.locator(`#${id}`).inputValue(), valeur, id);
    assert.ok((await gest.locator(`#${id}-erreur`).textContent()).length > 0, id);
    assert.equal(await gest.locator(`#erreurs a[href="#${id}"]`).count(), 1, id);
  }
});
