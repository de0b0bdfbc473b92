// The GraphiQL page, as a person uses it, in headless Chromium: it loads with nothing but this
// server (no request to any other host: it works offline), its docs explorer lists `Query`,
// a token pasted into the headers editor runs the default query and the answer shows in the
// result pane, the headers survive a reload, and a subscription receives a measurement over
// the page's WebSocket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GRAPHQL_URL, graphql, isLoopback, token, withChromium } from './lib.mjs';

// A tenant of its own, so that a rerun against the same server starts from nothing.
const TENANT = `graphiql-${Date.now().toString(36)}`;

/** A plan with a campaign, for the default query to show. */
async function seedPlan(bearer) {
  const { createPlan } = await graphql(
    bearer,
    `mutation { createPlan(input: {name: "Browser plan", periodStart: "2027-01-01",
       periodEnd: "2027-12-31", currency: "EUR", budget: "12000"}) { plan { id } userErrors { message } } }`
  );
  assert.deepEqual(createPlan.userErrors, []);
  const { createCampaign } = await graphql(
    bearer,
    `mutation($plan: ID!) { createCampaign(input: {planId: $plan, name: "Spring launch",
       kind: AWARENESS, levers: [SEO], startDate: "2027-03-01", endDate: "2027-05-31",
       budget: "1500"}) { campaign { id } userErrors { message } } }`,
    { plan: createPlan.plan.id }
  );
  assert.deepEqual(createCampaign.userErrors, []);
  return { planId: createPlan.plan.id, campaignId: createCampaign.campaign.id };
}

/** The text of the visible editor (CodeMirror 5) under `selector`. */
function editorText(page, selector) {
  return page.evaluate((selector) => {
    // GraphiQL hides the editor of the tab not shown (variables or headers) with `visibility`.
    const editor = [...document.querySelectorAll(`${selector} .CodeMirror`)].find(
      (element) => getComputedStyle(element).visibility !== 'hidden'
    );
    return editor ? editor.CodeMirror.getValue() : null;
  }, selector);
}

/** Replaces the text of the visible editor under `selector` as a person would: select all, paste. */
async function replaceEditorText(page, selector, text) {
  const editor = page.locator(`${selector} .CodeMirror:visible`).first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** Waits for the result pane to hold JSON that `accept`s; returns it. */
async function resultWhen(page, accept, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let text = null;
  while (Date.now() < deadline) {
    text = await editorText(page, '.graphiql-response');
    try {
      const answer = JSON.parse(text);
      if (accept(answer)) {
        return answer;
      }
    } catch {
      // Not (yet) JSON: still running.
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`the result pane did not show the expected answer; it shows: ${text}`);
}

test('GraphiQL works offline: docs, a query with a token, persisted headers, a subscription', async () => {
  const bearer = token({ tenant: TENANT, subject: 'alice' });
  const { campaignId } = await seedPlan(bearer);

  await withChromium(async (context) => {
    const requests = [];
    const problems = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
    page.on('websocket', (socket) => requests.push(socket.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) {
        problems.push(`console ${message.type()}: ${message.text()}`);
      }
    });

    await page.goto(GRAPHQL_URL);
    await page.locator('.graphiql-container').waitFor();

    // The docs explorer lists the root types once the schema (public) has loaded, before any
    // token is pasted: the headers' placeholders are not sent.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const queryType = page.locator('.graphiql-doc-explorer-root-type + a.graphiql-doc-explorer-type-name', {
      hasText: /^Query$/
    });
    await queryType.waitFor({ timeout: 20_000 });
    // And the type's page lists its fields, with their descriptions.
    await queryType.click();
    await page.locator('.graphiql-doc-explorer-field-name', { hasText: /^plans$/ }).waitFor();

    // The headers editor is open, with the guidance and the tenant header; paste the token.
    const defaultHeaders = JSON.parse(await editorText(page, '.graphiql-editor-tool'));
    assert.match(defaultHeaders.Authorization, /^Bearer <paste a token: levier token /);
    assert.equal(defaultHeaders['X-Levier-Tenant'], '');
    const headers = JSON.stringify({ Authorization: `Bearer ${bearer}`, 'X-Levier-Tenant': TENANT });
    await replaceEditorText(page, '.graphiql-editor-tool', headers);

    // The default query, as it stands, answers with the viewer and the plan.
    const defaultQuery = await editorText(page, '.graphiql-query-editor');
    assert.match(defaultQuery, /query Overview/);
    await page.locator('.graphiql-execute-button').click();
    const answer = await resultWhen(page, (answer) => answer.data || answer.errors);
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    assert.equal(answer.data.viewer.subject, 'alice');
    assert.equal(answer.data.viewer.tenant.key, TENANT);
    assert.equal(answer.data.plans.totalCount, 1);
    const [plan] = answer.data.plans.nodes;
    assert.equal(plan.name, 'Browser plan');
    assert.equal(plan.campaigns.nodes[0].name, 'Spring launch');
    assert.equal(plan.campaigns.nodes[0].budget, '1500.00'); // EUR: two decimals (ISO 4217)

    // The headers are kept in the browser: they are there after a reload.
    // (GraphiQL writes its storage half a second after the last edit.)
    await page.waitForFunction((bearer) => (localStorage.getItem('graphiql:headers') || '').includes(bearer), bearer);
    await page.reload();
    await page.locator('.graphiql-container').waitFor();
    assert.deepEqual(JSON.parse(await editorText(page, '.graphiql-editor-tool')), JSON.parse(headers));

    // A subscription goes over the page's WebSocket, authenticated with the same headers, and
    // shows a measurement recorded meanwhile.
    await replaceEditorText(
      page,
      '.graphiql-query-editor',
      'subscription Clicks { measurementRecorded(kpiKeys: ["clicks"]) { change measurement { kpiKey value } } }'
    );
    // GraphiQL takes the operation's name from the editor a moment after an edit (and stores it):
    // run it then, as a person would, not while it still names the query that was there.
    await page.waitForFunction(() => localStorage.getItem('graphiql:operationName') === 'Clicks');
    const socketOpen = page.waitForEvent('websocket', { timeout: 20_000 });
    await page.locator('.graphiql-execute-button').click();
    const socket = await socketOpen;
    assert.equal(socket.url(), GRAPHQL_URL.replace(/^http/, 'ws'));
    // Until the subscription is acknowledged a measurement could be missed: record until one
    // shows (each attempt is a new measurement, the first seen is enough).
    let event = null;
    for (let attempt = 0; attempt < 20 && !event; attempt += 1) {
      await graphql(
        bearer,
        `mutation($campaign: ID!, $value: Decimal!) { recordMeasurements(input: {measurements: [
           {kpiKey: "clicks", date: "2027-03-02", value: $value, source: "browser-test",
            externalId: "clicks-1", campaignId: $campaign}]}) { userErrors { message } } }`,
        { campaign: campaignId, value: String(40 + attempt) }
      );
      event = await resultWhen(page, (answer) => answer.data?.measurementRecorded, 1_000).catch(() => null);
    }
    assert.ok(event, 'the subscription showed no measurement');
    assert.equal(event.data.measurementRecorded.measurement.kpiKey, 'clicks');

    // Nothing was asked of any other host, and nothing went wrong on the page.
    const elsewhere = requests.filter((url) => !isLoopback(url));
    assert.deepEqual(elsewhere, [], 'the page reached out of this machine');
    assert.ok(requests.some((url) => url.includes('/graphiql/graphiql.min.js?v=')));
    assert.deepEqual(problems, []);
  });
});
