// Browser test of the national instance of the AIP experiment: the Cnaf plans and convenes a
// plenary séance through the coordination's pages (each convened member's mail and its
// iCalendar invitation read back from a real SMTP server); a référent reads it; a Caf outside
// the experiment applies to the call for candidacies of a new wave; the Cnaf selects it with a
// reason; the Caf sees the decision. axe-core on every page.
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

const TITRE = 'Séance plénière sur les outils de communication';

/** The day `jours` days from today, as YYYY-MM-DD. */
function dans(jours) {
  return new Date(Date.now() + jours * 86400000).toISOString().slice(0, 10);
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

test('instance nationale : convoquer une séance, candidater à une nouvelle vague, retenir avec un motif', async () => {
  // The Cnaf: the instance, its six phases, its members and groups.
  const cnaf = await connecter('cnaf@demo.parentalite.fr');
  await aller(cnaf, '/instance-nationale');
  await cnaf.getByRole('heading', { level: 1, name: 'Instance nationale de l\'expérimentation' }).waitFor();
  assert.equal(await cnaf.getByRole('table', { name: 'Phases de l\'expérimentation' }).getByRole('row').count(), 7, 'six phases');
  assert.ok(await cnaf.getByRole('cell', { name: /Référent parentalité de la Caf/ }).count() > 0, 'les référents');

  // It plans a plenary séance ten days ahead, then convenes it.
  await cnaf.getByLabel('Intitulé').fill(TITRE);
  await cnaf.getByLabel('Niveau convoqué').selectOption('pleniere');
  await cnaf.getByLabel('Date', { exact: true }).fill(dans(10));
  await cnaf.getByLabel('Heure de début (heure de Paris)').fill('10:00');
  await cnaf.getByLabel('Durée (minutes)').fill('120');
  await cnaf.getByRole('textbox', { name: /^Lieu/ }).fill('Visioconférence');
  await cnaf.getByRole('textbox', { name: /^Ordre du jour/ }).fill('Kit de communication pour les familles\nQuestions diverses');
  await cnaf.getByRole('button', { name: 'Planifier la séance' }).click();
  await cnaf.getByText('Séance planifiée.').waitFor();
  await accessible(cnaf);
  const adresseSeance = new URL(cnaf.url()).pathname;
  await cnaf.getByRole('button', { name: 'Convoquer les membres' }).click();
  await cnaf.getByText('Membres convoqués.').waitFor();
  await accessible(cnaf);
  const convoques = await cnaf.getByRole('table', { name: 'Convocations et réponses' }).getByRole('row').count() - 1;
  assert.ok(convoques >= 12, `${convoques} convoqués : les dix référents, la Cnaf, ses services`);
  const convocations = await recus(`Convocation : ${TITRE}`, convoques);
  assert.equal(convocations.length, convoques, 'une convocation par membre');
  for (const m of convocations) {
    const ics = m.pieces.find((p) => p.nom === 'convocation.ics');
    assert.ok(ics, `invitation jointe à ${m.a[0]}`);
    assert.match(ics.contenu.toString('utf8'), /METHOD:REQUEST/);
  }

  // A référent (the Caf de la Gironde) reads the instance and the séance it is convened to.
  const referent = await connecter('agent.33@demo.parentalite.fr');
  await aller(referent, '/instance-nationale');
  await aller(referent, adresseSeance);
  await referent.getByRole('heading', { level: 1, name: new RegExp(TITRE) }).waitFor();

  // A Caf outside the experiment applies to the call for a second wave.
  const caf = await connecter('agent.44@demo.parentalite.fr');
  await aller(caf, '/candidatures');
  await caf.getByRole('link', { name: /Deuxième vague/ }).click();
  await caf.getByRole('heading', { level: 1, name: /Deuxième vague/ }).waitFor();
  await accessible(caf);
  await caf.getByLabel('Motivations de la Caf').fill('Les parents de Loire-Atlantique demandent des échanges individuels.');
  await caf.getByLabel('Partenaires locaux').fill('Conseil départemental, Udaf, centres sociaux');
  await caf.getByLabel('Dynamiques locales du soutien à la parentalité').fill('Un réseau parentalité actif');
  await caf.getByLabel('Structures envisagées').fill('Deux lieux d\'accueil enfants-parents à Nantes et Saint-Nazaire');
  await caf.getByLabel('Référent parentalité nommé').fill('Yann Le Goff');
  await caf.getByLabel('Adresse électronique du référent').fill('yann.legoff@exemple.fr');
  await caf.getByLabel('ETP estimés').fill('1,5');
  await caf.getByRole('button', { name: 'Déposer la candidature' }).click();
  await caf.getByText('Candidature déposée').waitFor();
  await accessible(caf);
  const adresseCandidature = new URL(caf.url()).pathname;

  // The Cnaf selects it, a reason given.
  await aller(cnaf, '/candidatures');
  await cnaf.getByRole('link', { name: /Deuxième vague/ }).click();
  await cnaf.getByRole('link', { name: /Loire-Atlantique/ }).click();
  await cnaf.getByRole('heading', { level: 1, name: /Loire-Atlantique/ }).waitFor();
  await accessible(cnaf);
  await cnaf.getByRole('button', { name: 'Retenir la candidature' }).click();
  await cnaf.getByText('un motif est obligatoire').first().waitFor();
  await accessible(cnaf);
  await cnaf.getByLabel('Motif de la décision').fill('Des partenaires engagés et des structures déjà financées par la Caf');
  await cnaf.getByRole('button', { name: 'Retenir la candidature' }).click();
  await cnaf.getByText('Décision enregistrée').waitFor();
  await accessible(cnaf);
  await cnaf.getByRole('link', { name: /Deuxième vague/ }).click();
  await cnaf.getByRole('heading', { name: /Départements retenus pour la vague 2/ }).waitFor();
  await accessible(cnaf);

  // The Caf sees the decision and its reason.
  await aller(caf, adresseCandidature);
  await caf.getByText('Candidature retenue pour la vague 2.').waitFor();
  await caf.getByText(/Des partenaires engagés/).waitFor();
});
