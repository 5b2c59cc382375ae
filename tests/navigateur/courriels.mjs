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
  const messages = await smtp.attendre(1, 60000);
  assert.ok(messages.every((m) => m.texte.includes('Bonjour')), 'chaque courriel a un texte');

  // The Caf agent of the Isère sees the mails of its département's structures.
  const page = await connecter('agent.38@demo.parentalite.fr');
  const fin = Date.now() + 60000;
  let ligne;
  for (;;) {
    await aller(page, '/courriels');
    ligne = page.getByRole('row').filter({ hasText: /Envoyé le / }).first();
    if (await ligne.count() > 0) break;
    assert.ok(Date.now() < fin, 'aucun courriel envoyé');
    await new Promise((r) => setTimeout(r, 500));
  }
  const cellules = ligne.getByRole('cell');
  const destinataire = (await cellules.nth(1).textContent()).trim();
  const sujet = (await cellules.nth(2).textContent()).trim();
  await cellules.nth(2).getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: sujet }).waitFor();
  await accessible(page);
  const recu = (await smtp.messages()).find((m) => m.sujet === sujet && m.a.includes(destinataire));
  assert.ok(recu, `« ${sujet} » reçu par ${destinataire}`);
  assert.match(recu.messageId, /^<?courriel\.[0-9]+\./);

  await aller(page, '/profil');
  await page.getByLabel('Décision du comité').selectOption('resume_quotidien');
  await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
  await page.waitForURL(/\/profil#courriels$/);
  await accessible(page);
  assert.equal(await page.getByLabel('Décision du comité').inputValue(), 'resume_quotidien');
});
