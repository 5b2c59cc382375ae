// A local OpenID Connect provider standing in for ProConnect in the tests: one confidential client
// (client_secret_post or client_secret_basic), ID tokens and userinfo answers signed with RS256
// (userinfo as `application/jwt`, as ProConnect does), the claims ProConnect gives (sub, email,
// given_name, usual_name, siret, idp_id), the logout endpoint at /session/end, and the provider's
// development login pages (the login typed is the account's `sub`; any password is accepted).
//
// Usage: node serveur.mjs --redirection URL [--fin-de-session URL] [--comptes FICHIER]
//                         [--client-id ID] [--client-secret SECRET] [--port N]
//                         [--userinfo-json] (userinfo as plain JSON instead of a signed JWT)
// Prints one line of JSON once listening: {"issuer": "http://127.0.0.1:PORT"}.
// The accounts file (a JSON array of claim sets) is read again on every look-up, so that a test can
// change an account's e-mail between two logins.

import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: options } = parseArgs({
  options: {
    redirection: { type: 'string' },
    'fin-de-session': { type: 'string' },
    comptes: { type: 'string' },
    'client-id': { type: 'string', default: 'parentalite-essais' },
    'client-secret': { type: 'string', default: 'secret-du-fournisseur-local-des-essais' },
    port: { type: 'string', default: '0' },
    'userinfo-json': { type: 'boolean', default: false },
  },
});

if (!options.redirection) {
  console.error('--redirection URL (the platform\'s /connexion/proconnect/retour) is required');
  process.exit(2);
}

const finDeSession = options['fin-de-session']
  ?? new URL('/connexion', options.redirection).toString();

/** The accounts known when no file is given: a Caf agent and a partner's staff member. */
const COMPTES_PAR_DEFAUT = [
  {
    sub: 'agent-caf',
    email: 'agent@caf38.example.fr',
    given_name: 'Camille',
    usual_name: 'Martin',
    siret: '53478983600019',
    idp_id: 'fia1v2',
  },
  {
    sub: 'gestionnaire',
    email: 'gestionnaire@association.example.fr',
    given_name: 'Dominique',
    usual_name: 'Durand',
    siret: '12345678900011',
    idp_id: 'fia1v2',
  },
];

function comptes() {
  if (!options.comptes) return COMPTES_PAR_DEFAUT;
  return JSON.parse(readFileSync(options.comptes, 'utf8'));
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const cle = { ...privateKey.export({ format: 'jwk' }), kid: 'essais', use: 'sig', alg: 'RS256' };

const PORTEES = ['openid', 'email', 'given_name', 'usual_name', 'siret', 'idp_id'];

function pageDeDeconnexion(ctx, formulaire) {
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Déconnexion du fournisseur d’identité</title></head>
<body><main><h1>Se déconnecter du fournisseur d’identité ?</h1>${formulaire}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Oui, me déconnecter</button>
<button type="submit" form="op.logoutForm">Non, rester connecté</button></main></body></html>`;
}

const serveur = createServer();
serveur.listen(Number(options.port), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${serveur.address().port}`;
  const fournisseur = new Provider(issuer, {
    clients: [
      {
        client_id: options['client-id'],
        client_secret: options['client-secret'],
        redirect_uris: [options.redirection],
        post_logout_redirect_uris: [finDeSession],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
        ...(options['userinfo-json'] ? {} : { userinfo_signed_response_alg: 'RS256' }),
      },
    ],
    clientAuthMethods: ['client_secret_post', 'client_secret_basic'],
    jwks: { keys: [cle] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: PORTEES,
    claims: Object.fromEntries(PORTEES.map((p) => [p, p === 'openid' ? ['sub'] : [p]])),
    routes: { authorization: '/authorize', userinfo: '/userinfo', end_session: '/session/end' },
    pkce: { required: () => false },
    features: {
      devInteractions: { enabled: true },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: pageDeDeconnexion },
    },
    async findAccount(_ctx, id) {
      const compte = comptes().find((c) => c.sub === id);
      if (!compte) return undefined;
      return { accountId: compte.sub, claims: async () => ({ ...compte }) };
    },
    // The platform is this provider's only client: consent is given on its behalf, so that the
    // development login page is the only interaction.
    async loadExistingGrant(ctx) {
      const existant = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (existant) {
        const trouve = await ctx.oidc.provider.Grant.find(existant);
        if (trouve) return trouve;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(PORTEES.join(' '));
      await grant.save();
      return grant;
    },
  });
  serveur.on('request', fournisseur.callback());
  console.log(JSON.stringify({ issuer }));
});

// A reader that went away is no reason to stop answering.
process.stdout.on('error', () => {});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
