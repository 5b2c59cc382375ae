// Browser test of the comité des financeurs as a sitting across all schemes: the Isère's coming
// sitting lists REAAP, CLAS and médiation familiale projects; the MSA gives its opinion (an
// error beside its field first); the Caf records the comité's outcome on the three; the
// département's council and the MSA each record their own share from the sitting's page, and
// neither finds a form for the other's; the year view shows each scheme's budget with its chart.
// axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, etat, accessible, aller, connecter } from './commun.mjs';

demarrer();

/** The sitting three weeks from today, as the demonstration dates it. */
function dateSeance() {
  return new Date(Date.now() + 21 * 86400000).toISOString().slice(0, 10);
}

/** The block of the agenda of the project whose title contains `intitule`. */
function point(page, intitule) {
  return page.locator('article.point-comite').filter({ hasText: intitule });
}

test('le comité décide sur trois dispositifs, chaque financeur enregistre sa propre part', async () => {
  const seance = `/comite/38/${dateSeance()}`;
  const projets = ['Cafés des parents dans les quartiers', 'Accompagnement à la scolarité et lien avec l\'école', 'Permanences de médiation familiale'];

  const agent = await connecter('agent.38@demo.parentalite.fr');
  await aller(agent, '/comite');
  await agent.getByRole('link', { name: 'Comité des financeurs' }).first().waitFor();
  await agent.locator(`a[href="${seance}"]`).click();
  await agent.waitForURL(etat.racine + seance);
  await accessible(agent);
  for (const titre of ['REAAP', 'CLAS', 'Médiation familiale']) {
    await agent.getByRole('heading', { level: 2, name: titre, exact: true }).waitFor();
  }
  await agent.getByText('Critères d\'éligibilité communs – REAAP').click();
  await agent.getByText(/Lettre circulaire Cnaf n° 2012-093, §11/).first().waitFor();
  await accessible(agent);

  // The MSA's opinion before the sitting: reservations without their reasons are refused.
  const msa = await connecter('msa.38@demo.parentalite.fr');
  await aller(msa, seance);
  const mfMsa = point(msa, projets[2]);
  await mfMsa.getByLabel('Avis', { exact: true }).selectOption('reserve');
  await mfMsa.getByRole('button', { name: /Enregistrer mon avis/ }).click();
  const blocMf = point(msa, projets[2]);
  await blocMf.locator('[id$="-avis-commentaire-erreur"]').waitFor();
  await accessible(msa);
  await blocMf.getByLabel(/Réserves ou raisons/).fill('Préciser les permanences en zone rurale.');
  await blocMf.getByLabel(/Montant envisagé/).fill('2 000');
  await blocMf.getByRole('button', { name: /Enregistrer mon avis/ }).click();
  await msa.getByRole('status').filter({ hasText: 'Votre avis est enregistré' }).waitFor();
  await accessible(msa);

  // The Caf records the comité's outcome on each scheme's project.
  await aller(agent, seance);
  for (const projet of projets) {
    const bloc = point(agent, projet);
    await bloc.getByLabel('Décision du comité').selectOption('valide');
    await bloc.getByLabel('Motivation').fill('Conforme aux critères communs du dispositif.');
    await bloc.getByRole('button', { name: /Enregistrer la décision du comité/ }).click();
    await agent.getByRole('status').filter({ hasText: 'La décision du comité est enregistrée' }).waitFor();
    await accessible(agent);
  }
  assert.equal(await agent.getByRole('button', { name: /Enregistrer la décision du comité/ }).count(), 0);

  // Each funder records its own share, from the sitting's page.
  const conseil = await connecter('financeur.38@demo.parentalite.fr');
  await aller(conseil, seance);
  for (const [rang, projet] of projets.entries()) {
    const bloc = point(conseil, projet);
    await bloc.getByLabel('Décision', { exact: true }).selectOption(rang === 2 ? 'refuse' : 'accorde');
    if (rang === 2) await bloc.getByLabel(/Montant accordé/).fill('0');
    await bloc.getByRole('button', { name: /Enregistrer ma décision/ }).click();
    await conseil.getByRole('status').filter({ hasText: 'Votre décision est enregistrée' }).waitFor();
    await accessible(conseil);
  }
  assert.equal(await conseil.getByRole('button', { name: /Enregistrer ma décision/ }).count(), 0, 'une décision par financeur');
  await aller(msa, seance);
  for (const projet of [projets[0], projets[2]]) {
    const bloc = point(msa, projet);
    await bloc.getByLabel('Décision', { exact: true }).selectOption('accorde');
    await bloc.getByRole('button', { name: /Enregistrer ma décision/ }).click();
    await msa.getByRole('status').filter({ hasText: 'Votre décision est enregistrée' }).waitFor();
  }
  await accessible(msa);
  // The council sees the MSA's recorded result, and no form to record it.
  await aller(conseil, seance);
  const ligneMsa = point(conseil, projets[2]).getByRole('row').filter({ hasText: 'Mutualité sociale agricole' });
  await ligneMsa.getByText(/accordé : 2\u202f000,00/).waitFor();
  assert.equal(await conseil.getByRole('button', { name: /Enregistrer ma décision/ }).count(), 0);
  // A funder of another département is refused the sitting.
  const gard = await connecter('financeur.30@demo.parentalite.fr');
  const refus = await gard.goto(etat.racine + seance);
  assert.equal(refus.status(), 403);

  // The sitting's financing plan and the year view.
  await aller(agent, seance);
  await agent.getByRole('table', { name: /Demandé et décidé par financeur et dispositif/ }).waitFor();
  await aller(agent, '/comite/plan');
  await agent.getByRole('table', { name: 'Montant accordé par dispositif et par année' }).getByText(/\+8,4\u00a0%/).waitFor();
  await agent.getByRole('img', { name: /Montant accordé par la Caf au dispositif REAAP/ }).waitFor();
  await aller(conseil, '/comite/plan');
  await conseil.getByRole('heading', { name: /Engagements de Conseil départemental/ }).waitFor();
});
