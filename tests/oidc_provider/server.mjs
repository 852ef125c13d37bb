// An independent, standard OpenID provider for tests: panva's certified `oidc-provider`
// (npm), configured like ID-porten — authorization code flow only, PKCE required, RS256 ID
// tokens, acr values idporten-loa-substantial / idporten-loa-high, the national identity
// number in a `pid` claim, and a client that authenticates with private_key_jwt.
//
// Everything comes from the environment, set by the pytest fixture that starts it:
//   PORT                       port on 127.0.0.1
//   CLIENT_ID                  the relying party's client id
//   CLIENT_JWKS                the relying party's public key set (JSON), for private_key_jwt
//   REDIRECT_URI               the relying party's callback
//   POST_LOGOUT_REDIRECT_URI   where logout may return to
//   PERSONS                    JSON {accountId: {pid, given_name, family_name}} (test data)
// Keys for signing and cookies are generated at start-up; nothing secret is stored.
// Like ID-porten it keeps a single sign-on session: a second authorization request answers
// at once with the session's level unless the client sends prompt=login or max_age.
// Prints "listening <issuer>" on stdout when ready.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const persons = JSON.parse(process.env.PERSONS);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: `test-${randomBytes(4).toString('hex')}` };

const LEVELS = ['idporten-loa-substantial', 'idporten-loa-high'];

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    jwks: JSON.parse(process.env.CLIENT_JWKS),
    redirect_uris: [process.env.REDIRECT_URI],
    post_logout_redirect_uris: [process.env.POST_LOGOUT_REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  acrValues: LEVELS,
  scopes: ['openid', 'profile'],
  claims: {
    openid: ['sub', 'pid'],
    profile: ['name', 'given_name', 'family_name'],
  },
  // like ID-porten: the claims of the granted scopes are in the ID token itself
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    // RP-initiated logout, by GET or POST as the standard has it; the provider asks
    // "log out?" on its own page (a form with its xsrf token), like ID-porten
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Log out</title></head>
          <body><main><h1>Log out of the test provider?</h1>${form}
          <button type="submit" form="op.logoutForm" name="logout" value="yes">Log out</button></main></body></html>`;
      },
    },
    userinfo: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const person = persons[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          pid: person.pid,
          given_name: person.given_name,
          family_name: person.family_name,
          name: `${person.given_name} ${person.family_name}`,
        };
      },
    };
  },
});

const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(uid, params) {
  const people = Object.entries(persons).map(([id, p], i) => `
      <div><input type="radio" name="person" id="p-${escape(id)}" value="${escape(id)}"${i === 0 ? ' checked' : ''}>
      <label for="p-${escape(id)}">${escape(p.given_name)} ${escape(p.family_name)} (TEST DATA)</label></div>`).join('');
  const levels = LEVELS.map((acr) => `
      <div><input type="radio" name="acr" id="${acr}" value="${acr}"${(params.acr_values || LEVELS[0]).includes(acr) ? ' checked' : ''}>
      <label for="${acr}">${acr}</label></div>`).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test login</title></head>
    <body><main><h1>Test login (ID-porten-like)</h1>
    <form method="post" action="/interaction/${escape(uid)}/login">
      <fieldset><legend>Test person</legend>${people}</fieldset>
      <fieldset><legend>Level</legend>${levels}</fieldset>
      <button type="submit" name="action" value="login">Log in</button>
      <button type="submit" name="action" value="cancel">Cancel</button>
    </form></main></body></html>`;
}

// The interaction (login page) is ours; everything else is the provider's.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = loginPage(details.uid, details.params);
    return undefined;
  }
  const form = await readForm(ctx.req);
  let result;
  if (form.get('action') === 'cancel') {
    result = { error: 'access_denied', error_description: 'The user cancelled the login.' };
  } else {
    const accountId = form.get('person');
    const acr = LEVELS.includes(form.get('acr')) ? form.get('acr') : LEVELS[0];
    // A first-party client: consent is given with the login.
    const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    result = { login: { accountId, acr, amr: ['TestID'] }, consent: { grantId } };
  }
  ctx.respond = false;
  await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
  return undefined;
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
