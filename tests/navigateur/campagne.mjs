// Browser test of a payment run: a Caf agent validates a prévisionnelle (its acompte becomes
// due), prepares a payment run, reads each payee, amount and the total in the preview, confirms
// it, and reads what was paid, with the run's file to download; axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demarrer, etat, accessible, aller, connecter } from './commun.mjs';

demarrer();

test('agent de Caf : une campagne de paiements, de l\'aperçu à la confirmation', async () => {
  const page = await connecter('agent.38@demo.parentalite.fr');
  // A convention whose prévisionnelle awaits the Caf's validation: validating it makes its
  // acompte due.
  await aller(page, '/conventions');
  const liens = await page.locator('main a[href^="/conventions/"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')).filter((h) => /^\/conventions\/\d+$/.test(h)))]);
  let validee = '';
  for (const lien of liens) {
    await page.goto(etat.racine + lien);
    const valider = page.getByRole('button', { name: 'Valider', exact: true });
    if (await valider.count() > 0) {
      await valider.first().click();
      await page.waitForLoadState();
      validee = lien;
      break;
    }
  }
  assert.ok(validee, 'une déclaration à valider dans la démonstration');
  await accessible(page);

  await aller(page, '/paiements');
  await page.getByRole('link', { name: 'Préparer une campagne de paiements' }).click();
  await page.getByRole('heading', { name: 'Préparer une campagne de paiements' }).waitFor();
  await accessible(page);
  // The preview lists the payment with its payee, amount and bank details, and the total.
  const ligne = page.locator('table').first().locator('tbody tr').filter({ has: page.locator(`a[href="${validee}"]`) });
  await ligne.first().waitFor();
  const texte = await ligne.first().innerText();
  assert.match(texte, /acompte/, texte);
  assert.match(texte, /\d,\d{2}\s€/, texte);
  assert.match(texte, /FR\d{2} \d{4}/, texte);
  await page.getByText(/^Total de la campagne : /).waitFor();
  const bouton = page.getByRole('button', { name: /^Confirmer la campagne \(\d+ paiements?, total .+ €\)$/ });
  const libelle = await bouton.innerText();
  const [, nombre] = /\((\d+) paiements?/.exec(libelle);
  await bouton.click();
  await page.getByRole('heading', { name: 'Campagne confirmée' }).waitFor();
  await page.getByRole('status').getByText(new RegExp(`^${nombre === '1' ? '1 paiement émis' : `${nombre} paiements émis`}\\. Total net : `)).waitFor();
  await accessible(page);
  const telechargement = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger le fichier de virement (CSV)' }).click();
  const fichier = await telechargement;
  assert.match(fichier.suggestedFilename(), /^paiements-C-[0-9a-f]{16}\.csv$/);
  // The run is listed among the confirmed ones.
  await aller(page, '/paiements');
  await page.getByRole('heading', { name: 'Campagnes de paiements confirmées' }).waitFor();
});
