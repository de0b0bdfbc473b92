// CORS in a real browser: a page served from another loopback origin calls the API with a
// token. From an origin the server lets in (development's default: http://localhost:<any
// port>), the page reads the answer; from one it does not (http://127.0.0.2:<port>), the
// browser refuses the preflight, never sends the request, and the page reads nothing.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { GRAPHQL_URL, graphql, token, withChromium } from './lib.mjs';

// The page of the "other" web app: on load, it posts the mutation (the token and the API's
// address in its URL's fragment, never sent to its own server) and shows what it could read.
const APP_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Another app</title></head>
<body>
<pre id="answer"></pre><pre id="request-id"></pre><pre id="error"></pre>
<script>
  const settings = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  fetch(settings.api, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + settings.token },
    body: JSON.stringify({ query: settings.query })
  })
    .then(async (response) => {
      document.getElementById('request-id').textContent = response.headers.get('x-request-id') || '';
      document.getElementById('answer').textContent = await response.text();
    })
    .catch((error) => {
      document.getElementById('error').textContent = String(error);
    });
</script>
</body></html>`;

// Creates a persona, so that a refused request that was sent anyway would leave a trace.
const CREATE_PERSONA = (name) =>
  `mutation { createPersona(input: {name: "${name}"}) { persona { name } userErrors { message } } }`;

const appServers = [];

/** Serves APP_PAGE on `host`, on a free port; resolves to the page's origin. */
function serveAppPage(host) {
  return new Promise((resolve, reject) => {
    const server = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(APP_PAGE);
    });
    server.on('error', reject);
    server.listen(0, host, () => {
      appServers.push(server);
      resolve(`http://${host}:${server.address().port}`);
    });
  });
}

let allowedOrigin;
let refusedOrigin;
before(async () => {
  allowedOrigin = await serveAppPage('localhost');
  refusedOrigin = await serveAppPage('127.0.0.2');
});
after(() => Promise.all(appServers.map((server) => new Promise((done) => server.close(done)))));

/** Opens the app page of `origin` in Chromium; resolves to what the page shows and logs. */
async function openAppPage(context, origin, bearer, query) {
  const page = await context.newPage();
  const console = [];
  page.on('console', (message) => console.push(message.text()));
  const settings = encodeURIComponent(JSON.stringify({ api: GRAPHQL_URL, token: bearer, query }));
  await page.goto(`${origin}/#${settings}`);
  await page.waitForFunction(
    () => document.getElementById('answer').textContent || document.getElementById('error').textContent,
    null,
    { timeout: 20_000 }
  );
  const shown = {
    answer: await page.textContent('#answer'),
    requestId: await page.textContent('#request-id'),
    error: await page.textContent('#error'),
    console
  };
  await page.close();
  return shown;
}

test('a page from an allowed loopback origin reads the answer', async () => {
  const bearer = token({ tenant: `cors-allowed-${Date.now().toString(36)}`, subject: 'front-end' });
  await withChromium(async (context) => {
    const shown = await openAppPage(context, allowedOrigin, bearer, CREATE_PERSONA('Allowed origin persona'));
    assert.equal(shown.error, '', `the page could not read the answer: ${shown.console.join('\n')}`);
    const answer = JSON.parse(shown.answer);
    assert.deepEqual(answer.data.createPersona, {
      persona: { name: 'Allowed origin persona' },
      userErrors: []
    });
    assert.notEqual(shown.requestId, '', 'x-request-id is exposed to the page');
  });
});

test('a page from an origin not allowed reads nothing, and its request is never sent', async () => {
  const bearer = token({ tenant: `cors-refused-${Date.now().toString(36)}`, subject: 'intruder' });
  await withChromium(async (context) => {
    const shown = await openAppPage(context, refusedOrigin, bearer, CREATE_PERSONA('Refused origin persona'));
    assert.equal(shown.answer, '', 'the page read an answer it must not');
    assert.match(shown.error, /TypeError: Failed to fetch/);
    assert.ok(
      shown.console.some((line) => line.includes('blocked by CORS policy') && line.includes(refusedOrigin)),
      `no CORS refusal in the console:\n${shown.console.join('\n')}`
    );
  });
  // The preflight was refused, so the mutation never reached the server.
  const data = await graphql(bearer, '{ personas(first: 10) { totalCount } }');
  assert.equal(data.personas.totalCount, 0);
});
