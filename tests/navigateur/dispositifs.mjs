// Browser test of a scheme decided by amount: a gestionnaire submits a REAAP project with its
// financing plan, the Caf instructs it, presents it in comité, records a decision by amount,
// draws up a convention with two instalments, both parties sign, and the Caf pays the first
// instalment; axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, etat, accessible, aller, connecter } from './commun.mjs';

demarrer();

test('REAAP : du plan de financement au premier versement de l\'échéancier', async () => {
  const gest = await connecter('gestionnaire.38.4@demo.parentalite.fr');
  await aller(gest, '/dossiers/nouveau');
  const appel = await gest.getByLabel('Appel à projets').locator('option:checked').innerText();
  const vague = /Nouvelle vague (\d{4})/.exec(appel);
  assert.ok(vague && /REAAP/.test(appel), `appel REAAP ouvert attendu : ${appel}`);
  // The call runs from the start of this year to the end of the new wave's year.
  const annee = Number(vague[1]);
  const debut = `${annee - 1}-01-01`;
  await gest.getByLabel('Intitulé du projet').fill('Cafés des parents du quartier');
  await gest.getByLabel('Objectifs', { exact: true }).fill('Rompre l\'isolement des parents');
  await gest.getByLabel('Moyens mis en œuvre').fill('Une animatrice diplômée');
  await gest.getByLabel('Début du projet').fill(debut);
  await gest.getByLabel('Fin du projet').fill(`${annee}-12-31`);
  await gest.getByLabel('Total des charges prévues (€)').fill('20 000');
  await gest.getByLabel('Total des produits prévus (€)').fill('20 000');
  await gest.getByLabel('Modalités d\'évaluation').fill('Questionnaire anonyme');
  await gest.getByLabel('Diagnostic local des besoins et contexte partenarial').fill('Isolement relevé par la PMI');
  await gest.getByLabel('Partenaires (séparés par des virgules)').fill('PMI, centre social');
  await gest.getByLabel('Information des familles').fill('Affiches dans les écoles');
  await gest.getByLabel('Montant demandé à la Caf (€)').fill('12 000');
  await gest.getByLabel(/Montant demandé à Conseil départemental/).fill('5 000');
  await gest.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await gest.getByRole('button', { name: 'Déposer le dossier' }).waitFor();
  await gest.getByRole('heading', { name: 'Plan de financement' }).waitFor();
  await accessible(gest);
  const dossier = new URL(gest.url()).pathname;
  await gest.getByRole('button', { name: 'Déposer le dossier' }).click();
  await gest.getByText('déposé', { exact: true }).waitFor();
  await accessible(gest);

  const agent = await connecter('agent.38@demo.parentalite.fr');
  await aller(agent, dossier);
  await agent.getByRole('button', { name: 'Prendre en instruction' }).click();
  await agent.getByRole('button', { name: 'Présenter en comité' }).waitFor();
  await accessible(agent);
  await agent.getByLabel('Date du comité').fill(new Date().toISOString().slice(0, 10));
  await agent.getByRole('button', { name: 'Présenter en comité' }).click();
  await agent.getByRole('button', { name: 'Enregistrer la décision' }).waitFor();
  await agent.getByText(/se décide par montant/).waitFor();
  assert.equal(await agent.getByLabel(/ETP notifiés/).count(), 0, 'aucun ETP à notifier');
  await accessible(agent);
  await aller(agent, '/dossiers?etat=presente_en_comite');
  await agent.getByRole('table', { name: 'Projets des autres dispositifs présentés, au montant demandé à la Caf' }).waitFor();

  await aller(agent, dossier);
  await agent.getByLabel('Décision du comité').selectOption('valide');
  await agent.getByLabel('Part de la Caf (€)').fill('0');
  await agent.getByLabel('Motivation').fill('Action utile au réseau des parents.');
  await agent.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await agent.locator('#decider-montant_caf-erreur').waitFor();
  await accessible(agent);
  await agent.getByLabel('Part de la Caf (€)').fill('10 000,01');
  await agent.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await agent.getByRole('button', { name: 'Établir la convention' }).waitFor();
  await agent.getByText(/accordé : 10/).waitFor();
  await accessible(agent);

  const numero = await agent.getByLabel('Numéro de la convention').inputValue();
  await agent.getByLabel('Les versements sont donnés en').selectOption('pourcentages');
  await agent.getByLabel('Versement n°1 : à partir du').fill(debut);
  await agent.getByLabel('Versement n°1 : montant (€) ou pourcentage').fill('50');
  await agent.getByLabel('Versement n°2 : à partir du').fill(`${annee}-01-01`);
  await agent.getByLabel('Versement n°2 : montant (€) ou pourcentage').fill('50');
  await agent.getByRole('button', { name: 'Établir la convention' }).click();
  await agent.waitForURL(etat.racine + '/conventions');
  await accessible(agent);

  await aller(gest, '/conventions');
  await gest.getByRole('link', { name: numero }).click();
  await gest.getByRole('heading', { name: 'Convention à signer' }).waitFor();
  await gest.getByRole('heading', { name: 'Échéancier' }).waitFor();
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
  // 50 % of 10 000,01 €: 5 000,00 € rounded down, the last instalment takes the cent left.
  const echeancier = agent.getByRole('table', { name: 'Versements prévus par la convention' });
  await echeancier.getByText(/5\s000,01/).waitFor();
  assert.equal(await agent.getByRole('button', { name: 'Verser le versement n°2' }).count(), 0, 'le second versement n\'est pas encore dû');
  await accessible(agent);
  await agent.getByRole('button', { name: 'Verser le versement n°1' }).click();
  await agent.getByText(/^versé le/).waitFor();
  assert.equal(await agent.getByRole('button', { name: 'Verser le versement n°1' }).count(), 0, 'versé une seule fois');
  await accessible(agent);
});
