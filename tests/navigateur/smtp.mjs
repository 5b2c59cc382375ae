// A real SMTP server for the browser tests: Python's aiosmtpd on a free port of the loopback,
// writing each message it accepts into a Maildir, and a reader of those messages (subject, to,
// text, attachments with their content type and content), parsed with mailparser.
// scripts/test.sh installs aiosmtpd (Debian's python3-aiosmtpd).
//
//   const smtp = await demarrerSmtp();      // smtp.url for PARENTALITE_SMTP
//   const messages = await smtp.attendre(1); // [{ sujet, a, de, texte, messageId, pieces }]
//   await smtp.arreter();
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

/** A free TCP port of 127.0.0.1. */
function portLibre() {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.unref();
    s.on('error', ko);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Whether something accepts connections on `port`. */
function ecoute(port) {
  return new Promise((ok) => {
    const c = connect(port, '127.0.0.1');
    c.on('connect', () => { c.destroy(); ok(true); });
    c.on('error', () => ok(false));
  });
}

/** Reads one raw message: subject, recipients, sender, plain text, attachments. */
export async function lireMessage(brut) {
  const m = await simpleParser(brut);
  const adresses = (champ) => (champ ? [].concat(champ).flatMap((a) => a.value.map((v) => v.address)) : []);
  return {
    sujet: m.subject || '',
    a: adresses(m.to),
    de: adresses(m.from).join(', '),
    messageId: m.messageId || '',
    texte: m.text || '',
    pieces: (m.attachments || []).map((p) => ({
      nom: p.filename || '',
      // The full Content-Type header, parameters included (method=REQUEST…).
      typeMime: p.headers.get('content-type')
        ? `${p.headers.get('content-type').value}${Object.entries(p.headers.get('content-type').params || {}).map(([k, v]) => `; ${k}=${v}`).join('')}`
        : p.contentType,
      contenu: p.content,
    })),
  };
}

/** The messages of the Maildir `boite` (new and cur), in the order they arrived. */
export async function lireMaildir(boite) {
  const fichiers = ['new', 'cur']
    .map((d) => join(boite, d))
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d).map((f) => ({ f, chemin: join(d, f), temps: statSync(join(d, f)).mtimeMs })))
    // By the time each file was written, then by name (the names' microseconds are not padded).
    .sort((x, y) => x.temps - y.temps || (x.f < y.f ? -1 : x.f > y.f ? 1 : 0));
  const messages = [];
  for (const { chemin } of fichiers) messages.push(await lireMessage(readFileSync(chemin)));
  return messages;
}

/** Starts aiosmtpd on a free port; resolves once it accepts connections. */
export async function demarrerSmtp() {
  const port = await portLibre();
  // aiosmtpd creates the Maildir (with its tmp, new and cur) only where nothing exists yet.
  const parent = mkdtempSync(join(tmpdir(), 'parentalite-smtp-'));
  const boite = join(parent, 'boite');
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const serveur = spawn(python, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', boite], { stdio: 'ignore' });
  let arrete = null;
  serveur.on('exit', (code) => { arrete = code; });
  const debut = Date.now();
  while (!(await ecoute(port))) {
    if (arrete !== null) throw new Error(`aiosmtpd s'est arrêté au démarrage (${arrete}) : python3-aiosmtpd installé ?`);
    if (Date.now() - debut > 20000) throw new Error(`aiosmtpd n'écoute pas sur le port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    boite,
    url: `smtp://127.0.0.1:${port}`,
    messages: () => lireMaildir(boite),
    /** The messages once there are at least `nombre` (rejects after `delai` ms). */
    async attendre(nombre, delai = 20000) {
      const fin = Date.now() + delai;
      for (;;) {
        const m = await lireMaildir(boite);
        if (m.length >= nombre) return m;
        if (Date.now() > fin) throw new Error(`${m.length} message(s) reçu(s) sur ${nombre} attendu(s)`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async arreter() {
      if (arrete === null) {
        const fini = new Promise((r) => serveur.on('exit', r));
        serveur.kill('SIGTERM');
        await fini;
      }
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
