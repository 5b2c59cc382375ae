// Browser test of the AIP commitments: a gestionnaire attests its structure's commitments (a
// refused entry shows its message next to the field), the Caf of its département checks them,
// and the structure's conformity report shows them conforme; axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, aller, connecter } from './commun.mjs';

demarrer();

test('engagements AIP: attestés par le gestionnaire, contrôlés par la Caf, conformes au rapport', async () => {
  const gestionnaire = await connecter('gestionnaire.38.1@demo.parentalite.fr');
  await aller(gestionnaire, '/structures');
  await gestionnaire.getByRole('table').getByRole('link').first().click();
  await gestionnaire.getByRole('heading', { name: 'Engagements (AIP)' }).waitFor();
  await accessible(gestionnaire);
  const fiche = gestionnaire.url().replace(/#.*$/, '');
  const attestation = gestionnaire.locator('form[action$="/engagements"]');
  const blocs = attestation.locator('fieldset');
  const n = await blocs.count();
  assert.ok(n >= 10, `${n} engagements`);
  assert.match(await blocs.first().locator('legend').textContent(), /Référentiel national de financement de l'AIP, §/);

  // A statement is required: the message is next to its field, what was chosen is kept.
  await blocs.first().getByLabel('Votre attestation').selectOption('oui');
  await attestation.getByRole('button', { name: 'Enregistrer les attestations' }).click();
  await gestionnaire.getByText('Le formulaire n\'a pas été enregistré').waitFor();
  await accessible(gestionnaire);
  const declaration = gestionnaire.locator('form[action$="/engagements"] fieldset').first().getByLabel('Déclaration');
  assert.equal(await declaration.getAttribute('aria-invalid'), 'true');
  assert.equal(await gestionnaire.locator('form[action$="/engagements"] fieldset').first().getByLabel('Votre attestation').inputValue(), 'oui');

  // The signed attestation is joined to the structure, then every commitment attested on it.
  await gestionnaire.locator('#pieces').getByLabel('Type de pièce').selectOption('attestation');
  await gestionnaire.locator('#piece-fichier').setInputFiles({
    name: 'engagements-signes.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.7\n% engagements signés\n1 0 obj\n<<>>\nendobj\n%%EOF\n'),
  });
  await gestionnaire.getByRole('button', { name: 'Joindre la pièce' }).click();
  await gestionnaire.waitForURL(/#pieces$/);
  await accessible(gestionnaire);
  const blocsApres = gestionnaire.locator('form[action$="/engagements"] fieldset');
  for (let i = 0; i < n; i++) {
    const bloc = blocsApres.nth(i);
    await bloc.getByLabel('Votre attestation').selectOption('oui');
    await bloc.getByLabel('Déclaration').fill('Engagement inscrit au projet associatif, pièces à la disposition de la Caf.');
    await bloc.getByLabel('Pièce justificative').selectOption({ label: 'Attestation – engagements-signes.pdf (version 1)' });
  }
  await gestionnaire.getByRole('button', { name: 'Enregistrer les attestations' }).click();
  await gestionnaire.waitForURL(/#engagements$/);
  await accessible(gestionnaire);
  assert.equal(await gestionnaire.getByText('attesté, à contrôler', { exact: true }).count(), n);

  // The Caf of the département checks each attestation.
  const caf = await connecter('agent.38@demo.parentalite.fr');
  await aller(caf, new URL(fiche).pathname);
  const controle = caf.locator('form[action$="/engagements/controle"]');
  const aControler = controle.locator('fieldset');
  assert.equal(await aControler.count(), n);
  // The Caf sees the document each attestation rests on.
  assert.equal(await controle.getByRole('link', { name: /pièce justificative n°/ }).count(), n);
  for (let i = 0; i < n; i++) {
    await aControler.nth(i).getByLabel('Contrôle de la Caf').selectOption('conforme');
  }
  await controle.getByRole('button', { name: 'Enregistrer les contrôles' }).click();
  await caf.waitForURL(/#engagements$/);
  await accessible(caf);

  // The report reads them conforme, for the gestionnaire too.
  await aller(gestionnaire, new URL(fiche).pathname);
  await gestionnaire.getByText('Structure: éligible').waitFor();
  assert.equal(await gestionnaire.locator('span.badge.succes', { hasText: /^conforme$/ }).count(), n);
  assert.equal(await gestionnaire.getByText('attesté, à contrôler', { exact: true }).count(), 0);

  // The comité's decision screen on a project whose structure's commitments await the check:
  // each commitment with its attestation, and the override field.
  await aller(caf, '/dossiers?etat=presente_en_comite');
  await caf.locator('table a[href^="/dossiers/"]').first().click();
  await caf.getByRole('heading', { name: 'Engagements de la structure' }).waitFor();
  await accessible(caf);
  assert.ok(await caf.getByLabel(/Dérogation motivée aux engagements/).isVisible());
});
