// Browser test of outgoing mail: the demonstration sends its mails to a real local SMTP server
// (aiosmtpd), a gestionnaire finds them on « Courriels envoyés », sent, opens one, and chooses a
// daily digest for the comité's decisions on its profile; axe-core on every page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, accessible, aller, connecter } from './commun.mjs';
import { demarrerSmtp } from './smtp.mjs';

let smtp;
demarrer({
  env: async () => {
    smtp = await demarrerSmtp();
    return { PARENTALITE_SMTP: smtp.url };
  },
});
after(async () => { if (smtp) await smtp.arreter(); });

test('courriels: envoyés au serveur SMTP, listés, lus, et leur fréquence choisie', async () => {
  const email = 'gestionnaire.38.9@demo.parentalite.fr';
  const messages = await smtp.attendre(1, 60000);
  assert.ok(messages.every((m) => m.texte.includes('Bonjour')), 'chaque courriel a un texte');

  const page = await connecter(email);
  // The sender works in the background: wait until this structure's mails are sent.
  const fin = Date.now() + 60000;
  for (;;) {
    await aller(page, '/courriels');
    if (await page.getByText(/^Envoyé le /).count() > 0) break;
    assert.ok(Date.now() < fin, 'aucun courriel envoyé');
    await new Promise((r) => setTimeout(r, 500));
  }
  const lien = page.getByRole('table').getByRole('link').first();
  const sujet = (await lien.textContent()).trim();
  await lien.click();
  await page.getByRole('heading', { level: 1, name: sujet }).waitFor();
  await accessible(page);
  const recus = await smtp.attendre(1);
  const recu = recus.find((m) => m.sujet === sujet && m.a.includes(email));
  assert.ok(recu, `« ${sujet} » reçu par ${email}`);

  await aller(page, '/profil');
  await page.getByLabel('Décision du comité').selectOption('resume_quotidien');
  await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
  await page.waitForURL(/\/profil#courriels$/);
  await accessible(page);
  assert.equal(await page.getByLabel('Décision du comité').inputValue(), 'resume_quotidien');
});
