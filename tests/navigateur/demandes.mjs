// Browser test of a parent's contact request: a parent without an account opens a service's page
// of the directory on a phone-sized screen, sends a request (first with faulty fields, then
// right), the structure logs in, finds it in « Demandes des parents », answers, and the answer
// reaches the local SMTP server; the Caf agent sees the counts. axe-core on every page, the
// public ones at 375×740 and on a desktop screen.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, aller, connecter, etat } from './commun.mjs';
import { demarrerSmtp } from './smtp.mjs';

let smtp;
demarrer({
  env: async () => {
    smtp = await demarrerSmtp();
    return { PARENTALITE_SMTP: smtp.url };
  },
});
after(async () => { if (smtp) await smtp.arreter(); });

const PARENT = 'camille.parent@exemple.fr';

/** A browser context without an account, at `largeur`×`hauteur`. */
async function visiteur(largeur, hauteur) {
  const contexte = await etat.navigateur.newContext({ locale: 'fr-FR', viewport: { width: largeur, height: hauteur } });
  return contexte.newPage();
}

test('demande de contact : envoyée sans compte, lue et répondue par la structure, réponse reçue', async () => {
  // The structure's published service (its address is public: the directory links to it).
  const structure = await connecter('gestionnaire.38.1@demo.parentalite.fr');
  await aller(structure, '/services');
  const lien = structure.getByRole('row').filter({ hasText: /publié/i }).first().getByRole('link').first();
  const id = (await lien.getAttribute('href')).split('/').pop();
  assert.match(id, /^[0-9]+$/);

  // A parent on a phone: the service's page, then its contact form.
  const parent = await visiteur(375, 740);
  await aller(parent, `/annuaire/services/${id}`);
  await parent.getByRole('link', { name: /contacté/ }).click();
  await parent.waitForURL(new RegExp(`/annuaire/services/${id}/contact$`));
  await accessible(parent);
  await parent.getByRole('textbox', { name: /^Prénom ou pseudonyme/ }).fill('Camille');
  await parent.getByLabel('Par téléphone').check();
  await parent.getByLabel(/Numéro de téléphone/).fill('12');
  await parent.getByLabel('Votre message').fill('court');
  await parent.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await parent.getByRole('heading', { name: /3 erreurs/ }).waitFor();
  await accessible(parent);
  assert.equal(await parent.getByLabel('Votre message').inputValue(), 'court', 'valeur conservée');
  assert.equal(await parent.getByRole('textbox', { name: /^Prénom ou pseudonyme/ }).inputValue(), 'Camille');

  await parent.getByLabel('Par courriel').check();
  await parent.getByLabel(/Adresse électronique/).fill(PARENT);
  await parent.getByLabel('Votre message').fill('Bonjour, nous nous séparons et voudrions en parler avec quelqu’un.');
  await parent.getByLabel(/J’accepte que mon prénom/).check();
  await parent.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await parent.getByRole('heading', { level: 1, name: 'Votre demande a été envoyée' }).waitFor();
  await accessible(parent);
  assert.match(await parent.textContent('main'), /seront supprimées le [0-9]{2}\/[0-9]{2}\/[0-9]{4}/);

  // The same form on a desktop screen.
  const bureau = await visiteur(1280, 900);
  await aller(bureau, `/annuaire/services/${id}/contact`);

  // The structure: unread first, opened, answered.
  await aller(structure, '/demandes');
  await structure.getByRole('link', { name: 'Camille' }).first().click();
  await structure.getByRole('heading', { level: 1, name: 'Demande de Camille' }).waitFor();
  await accessible(structure);
  await structure.getByLabel('Votre réponse').fill('Bonjour Camille, venez jeudi à 10 h, sans rendez-vous.');
  await structure.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await structure.getByText(/Réponse envoyée par courriel le/).waitFor();
  await accessible(structure);

  // The answer reaches the parent's mailbox.
  const fin = Date.now() + 60000;
  let reponse;
  while (!reponse) {
    reponse = (await smtp.messages()).find((m) => m.a.includes(PARENT) && m.sujet.startsWith('Réponse de'));
    if (!reponse) {
      assert.ok(Date.now() < fin, 'réponse non reçue par le serveur SMTP');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  assert.match(reponse.texte, /venez jeudi à 10 h/);
  const avis = (await smtp.messages()).find((m) => m.sujet.startsWith('Nouvelle demande de contact'));
  if (avis) assert.doesNotMatch(avis.texte, /séparons|camille\.parent/, 'le courriel à la structure ne contient pas la demande');

  // The Caf agent: counts only.
  const caf = await connecter('agent.38@demo.parentalite.fr');
  await aller(caf, '/demandes/statistiques');
  assert.match(await caf.textContent('main'), /moins de 5/);
});
