// A real OpenID provider for the sign-in tests (tests/oidc/conftest.py starts it):
// panva's oidc-provider, certified by the OpenID Foundation, with its own login and
// consent pages (devInteractions: any login name, any password).
//
// Configuration comes from the environment the test sets:
//   PORT           where to listen (0: any free port); the issuer is http://127.0.0.1:<port>
//   CLIENTS_JSON   the clients, oidc-provider's client metadata (client_id, secret, redirect_uris)
//   ACCOUNTS_FILE  a JSON file {login: {email, email_verified, groups, wrong_audience}}, read
//                  at every sign-in, so a test changes someone's groups between two sign-ins
// It prints one JSON line per event on stdout: {"event": "listening", "issuer": ...} first,
// then {"event": "authorization", "params": {...}} for every authorization request it
// accepts (the test checks the code_challenge it received).
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 0);
const clients = JSON.parse(process.env.CLIENTS_JSON);
const accountsFile = process.env.ACCOUNTS_FILE;

function accounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

function emit(record) {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

async function start() {
  // The issuer needs the port, so listen first and mount the provider on the same server.
  const { createServer } = await import('node:http');
  let handler = (req, res) => { res.statusCode = 503; res.end(); };
  const server = createServer((req, res) => handler(req, res));
  await new Promise((resolve) => { server.listen(port, '127.0.0.1', resolve); });
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients,
    // PKCE on every authorization request, confidential clients included.
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      groups: ['groups'],
    },
    // The claims go into the ID token too (as Keycloak and Entra ID put them there).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      const account = accounts()[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...account };
        },
      };
    },
  });

  // An IdP whose audience mapper is wrong (or a token minted for another application):
  // an account marked wrong_audience gets ID tokens, signed with the provider's own key,
  // for the audience "another-application" instead of the client that asked.
  const issue = provider.IdToken.prototype.issue;
  provider.IdToken.prototype.issue = async function issueWithAudience(options = {}) {
    const account = accounts()[this.available?.sub];
    if (options.use === 'idtoken' && account?.wrong_audience) {
      const { client } = this;
      this.client = new Proxy(client, {
        get(target, name) {
          if (name === 'clientId') return 'another-application';
          const value = Reflect.get(target, name, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      try {
        return await issue.call(this, options);
      } finally {
        this.client = client;
      }
    }
    return issue.call(this, options);
  };

  provider.on('authorization.accepted', (ctx) => {
    emit({ event: 'authorization', params: { ...ctx.oidc.params } });
  });
  provider.on('server_error', (ctx, error) => emit({ event: 'server_error', message: String(error) }));

  handler = provider.callback();
  emit({ event: 'listening', issuer });
}

start().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
