// Browser test of the departmental coordination: the Caf's secretariat plans and convenes a
// séance; each convened member's mail and its iCalendar invitation are read back from a real
// SMTP server (aiosmtpd); members answer through their personal links (one gives its proxy);
// the secretariat records the attendance (quorum), writes the minutes and submits them, a member
// comments through the link of that mail; the minutes of the previous séance are approved at
// this one and published; a member's account reads the instance; axe-core on every page.
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

const TITRE = 'Séance extraordinaire sur la médiation familiale';

/** Today in Paris as YYYY-MM-DD, and the hour there. */
function aujourdHuiAParis() {
  const morceaux = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return { date: `${morceaux.year}-${morceaux.month}-${morceaux.day}`, heure: Number(morceaux.hour), minute: Number(morceaux.minute) };
}

/** The messages received whose subject starts with `debut`, once there are `n` of them. */
async function recus(debut, n) {
  const fin = Date.now() + 90000;
  for (;;) {
    const m = (await smtp.messages()).filter((x) => x.sujet.startsWith(debut));
    if (m.length >= n) return m;
    assert.ok(Date.now() < fin, `${m.length} courriel(s) « ${debut} » sur ${n}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The personal link of a mail. */
function lien(message) {
  const m = message.texte.match(/https?:\/\/\S+\/convocations\/[0-9a-f]{48}/);
  assert.ok(m, `lien personnel dans ${message.texte}`);
  return m[0];
}

/** A page outside any session (a member following its link). */
async function pageAnonyme() {
  const contexte = await etat.navigateur.newContext({ locale: 'fr-FR' });
  return contexte.newPage();
}

test('coordination: convoquer, lire les courriels et leurs invitations, répondre, émarger, approuver et publier', async () => {
  // Planned today late in the evening (Paris), so that it is to come and its attendance can be
  // recorded today; a few minutes before midnight, wait for the next day.
  let jour = aujourdHuiAParis();
  if (jour.heure === 23 && jour.minute >= 54) {
    await new Promise((r) => setTimeout(r, (61 - jour.minute) * 60000));
    jour = aujourdHuiAParis();
  }
  const page = await connecter('agent.38@demo.parentalite.fr');
  await aller(page, '/coordination');
  await page.getByRole('heading', { level: 1, name: /comité départemental des services aux familles/ }).waitFor();
  assert.ok(await page.getByRole('cell', { name: 'Claire Lambert, préfète' }).count() > 0, 'les membres');

  // A séance refused with its errors beside their fields, then planned.
  await page.getByRole('button', { name: 'Planifier la séance' }).click();
  await page.getByText('Niveau : choisissez le niveau convoqué').first().waitFor();
  await accessible(page);
  await page.getByLabel('Intitulé').fill(TITRE);
  await page.getByLabel('Niveau convoqué').selectOption('politique');
  await page.getByLabel('Date', { exact: true }).fill(jour.date);
  await page.getByLabel('Heure de début (heure de Paris)').fill('23:59');
  await page.getByLabel('Durée (minutes)').fill('60');
  await page.getByRole('textbox', { name: /^Lieu/ }).fill('Caf de l\'Isère, Grenoble');
  await page.getByLabel('Présenter le diagnostic partagé et la couverture de l\'offre').check();
  await page.getByLabel('Autres points, un par ligne').fill('Approbation du compte rendu de la séance précédente\nMédiation familiale : programmation');
  await page.getByRole('button', { name: 'Planifier la séance' }).click();
  await page.getByText('Séance planifiée.').waitFor();
  await accessible(page);
  const adresseSeance = new URL(page.url()).pathname;

  // Less than five days' notice: refused unless urgent.
  await page.getByRole('button', { name: 'Convoquer les membres' }).click();
  await page.getByText(/cinq jours au moins|5 jours au moins/).first().waitFor();
  await accessible(page);
  await page.getByLabel('Urgence : convoquer moins de cinq jours avant').check();
  await page.getByRole('button', { name: 'Convoquer les membres' }).click();
  await page.getByText('Membres convoqués.').waitFor();
  await accessible(page);
  const convoques = await page.getByRole('table', { name: 'Convocations et réponses' }).getByRole('row').count() - 1;
  assert.ok(convoques >= 5, `${convoques} convoqués`);

  // Each convened member's mail and invitation, from the SMTP server.
  const convocations = await recus(`Convocation : ${TITRE}`, convoques);
  assert.equal(convocations.length, convoques, 'une convocation par membre, une seule');
  for (const m of convocations) {
    assert.equal(m.a.length, 1);
    const ics = m.pieces.find((p) => p.nom === 'convocation.ics');
    assert.ok(ics, `invitation jointe à ${m.a[0]}`);
    assert.match(ics.typeMime, /^text\/calendar/);
    assert.match(ics.typeMime, /method=REQUEST/i);
    // Long lines are folded (RFC 5545 §3.1): read them unfolded.
    const texte = ics.contenu.toString('utf8').replace(/\r?\n[ \t]/g, '');
    assert.match(texte, /METHOD:REQUEST/);
    assert.match(texte, /SEQUENCE:0/);
    assert.match(texte, /ORGANIZER;CN=/);
    assert.equal((texte.match(/ATTENDEE;/g) || []).length, convoques);
    assert.equal((texte.match(/RSVP=TRUE/g) || []).length, convoques);
    assert.match(texte, new RegExp(`mailto:${m.a[0].replace('.', '\\.')}`));
    assert.match(m.texte, /Ordre du jour/);
  }
  const pour = (adresse) => convocations.find((m) => m.a[0] === adresse);

  // The préfète answers present; the DDETS gives her its proxy; the MSA is absent.
  const anonyme = await pageAnonyme();
  await anonyme.goto(lien(pour('prefet.38@demo.parentalite.fr')));
  await accessible(anonyme);
  await anonyme.getByLabel('Présent(e)').check();
  await anonyme.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await anonyme.getByText('Votre réponse est enregistrée.').waitFor();
  await accessible(anonyme);

  await anonyme.goto(lien(pour('ddets.38@demo.parentalite.fr')));
  await anonyme.getByLabel('Représenté(e) par un autre membre, à qui je donne pouvoir').check();
  await anonyme.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await anonyme.getByText('Représenté par : choisissez un membre').first().waitFor();
  await accessible(anonyme);
  await anonyme.getByLabel('Représenté(e) par (pouvoir)').selectOption({ label: 'Claire Lambert, préfète (Préfecture)' });
  await anonyme.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await anonyme.getByText('Votre réponse est enregistrée.').waitFor();

  await anonyme.goto(lien(pour('msa.38@demo.parentalite.fr')));
  await anonyme.getByLabel('Absent(e)').check();
  await anonyme.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await anonyme.getByText('Votre réponse est enregistrée.').waitFor();

  // The secretariat sees the answers, records the attendance: the quorum follows.
  await aller(page, adresseSeance);
  const reponses = page.getByRole('table', { name: 'Convocations et réponses' });
  await reponses.getByRole('row').filter({ hasText: 'Karim Benali' }).filter({ hasText: 'représenté par Claire Lambert' }).waitFor();
  await reponses.getByRole('row').filter({ hasText: 'Luc Perrin' }).filter({ hasText: 'absent' }).waitFor();
  const cases = page.getByRole('group', { name: 'Présents' }).getByRole('checkbox');
  const n = await cases.count();
  for (let i = 0; i < n; i += 1) {
    const libelle = await page.locator(`label[for="${await cases.nth(i).getAttribute('id')}"]`).textContent();
    if (!/Karim Benali|Luc Perrin|Marc Lefebvre/.test(libelle)) await cases.nth(i).check();
  }
  await page.getByRole('button', { name: 'Enregistrer l\'émargement' }).click();
  await page.getByText('Émargement enregistré.').waitFor();
  await page.getByText('quorum atteint.').waitFor();
  await accessible(page);

  // The minutes: written, submitted to the members, commented through the link of their mail.
  await page.getByLabel('Relevé des échanges').fill('La programmation de la médiation familiale est présentée.');
  await page.getByLabel('Décisions, une par ligne').fill('La programmation est adoptée.');
  await page.getByLabel('Actions, une par ligne : libellé ; porteur ; échéance (JJ/MM/AAAA)').fill('Publier la carte des permanences ; Caf, secrétariat ; 31/03/2099');
  await page.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();
  await page.getByText('Compte rendu enregistré.').waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Soumettre aux membres pour commentaires' }).click();
  await page.getByText('Compte rendu soumis aux membres.').waitFor();
  const projets = await recus(`Projet de compte rendu : ${TITRE}`, convoques);
  const udaf = projets.find((m) => m.a[0] === 'membre.38@demo.parentalite.fr');
  assert.ok(udaf, 'le projet de compte rendu parvient à l\'Udaf');
  await anonyme.goto(lien(udaf));
  await anonyme.getByLabel('Votre remarque sur le compte rendu').fill('Ajouter les permanences du Nord-Isère.');
  await anonyme.getByRole('button', { name: 'Envoyer ma remarque' }).click();
  await anonyme.getByText('Votre remarque est transmise au secrétariat.').waitFor();
  await accessible(anonyme);

  // The previous séance's minutes, approved at this one, then published.
  await aller(page, adresseSeance);
  await page.getByText('Ajouter les permanences du Nord-Isère.').waitFor();
  const approuver = page.getByRole('button', { name: /Approuver à cette séance le compte rendu du/ }).first();
  await approuver.click();
  await page.getByText('Compte rendu approuvé.').waitFor();
  await accessible(page);
  await page.getByRole('heading', { level: 2, name: 'Suivi des séances précédentes' }).waitFor();
  await aller(page, '/coordination/38');
  const seances = page.getByRole('table', { name: 'Séances de l\'instance' });
  await seances.getByRole('row').filter({ hasText: 'approuvé' }).getByRole('link').first().click();
  await page.getByRole('button', { name: 'Publier le compte rendu' }).click();
  await page.getByText('Compte rendu publié.').waitFor();
  await accessible(page);
  const pdf = await page.request.get(etat.racine + new URL(page.url()).pathname + '/compte-rendu.pdf');
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const emargement = await page.request.get(etat.racine + adresseSeance + '/emargement.pdf');
  assert.equal(emargement.status(), 200);

  // A member's own account reads the instance and its séances.
  const membre = await connecter('membre.38@demo.parentalite.fr');
  await aller(membre, '/coordination/38');
  await membre.getByRole('link', { name: TITRE }).click();
  await membre.getByRole('heading', { level: 1, name: new RegExp(TITRE) }).waitFor();
  await accessible(membre);
  const interdit = await membre.request.get(etat.racine + '/dossiers/1');
  assert.notEqual(interdit.status(), 200, 'un membre ne lit pas les dossiers');
});
