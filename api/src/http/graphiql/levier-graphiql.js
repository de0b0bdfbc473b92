// Starts GraphiQL on the page `GET /graphql` serves (api/src/http/graphiql). Queries and
// mutations go by POST to the page's own address; subscriptions open a WebSocket to the same
// address (graphql-transport-ws), whose `connection_init` carries the headers of the headers
// editor, as the server expects. Everything is loaded from this server: the page works offline.
(function () {
  'use strict';

  // The page is served at the GraphQL endpoint itself, so its path is the endpoint's, even
  // behind a proxy that adds a prefix.
  var endpoint = window.location.pathname;
  var socketScheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  var subscriptionUrl = socketScheme + '//' + window.location.host + endpoint;

  var DEFAULT_HEADERS = JSON.stringify(
    {
      Authorization: 'Bearer <paste a token: levier token --tenant acme --role admin --subject alice>',
      'X-Levier-Tenant': ''
    },
    null,
    2
  );

  var DEFAULT_QUERY = [
    "# Welcome to Levier's GraphiQL.",
    '#',
    '# 1. Mint a token:',
    '#      levier token --tenant acme --role admin --subject alice',
    '#    (from a checkout: cargo run -- token ...). `levier seed-demo`',
    '#    seeds a demo plan and prints a token for it.',
    '# 2. Paste it in the Headers tab below, in place of <paste ...>.',
    '#    An agency token also names the tenant to act in:',
    '#    "X-Levier-Tenant": "acme". Headers are kept in this browser;',
    '#    one left empty is not sent.',
    '# 3. Run the query: Ctrl-Enter. The Docs panel (the book, top',
    '#    left) describes every type and field; Ctrl-Space completes.',
    '',
    'query Overview {',
    '  viewer {',
    '    subject',
    '    role',
    '    tenant { key name currency }',
    '  }',
    '  plans(first: 5) {',
    '    totalCount',
    '    nodes {',
    '      id',
    '      name',
    '      periodStart',
    '      periodEnd',
    '      status',
    '      budget',
    '      currency',
    '      budgetReport { total { planned actual variance } }',
    '      campaigns(first: 10) {',
    '        totalCount',
    '        nodes { name status levers startDate endDate budget }',
    '      }',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');

  // A header left empty, or still holding its <placeholder>, is not sent: the schema (which
  // needs no token) loads, and the docs work, before a token is pasted.
  function headersToSend(headers) {
    var sent = {};
    Object.keys(headers || {}).forEach(function (name) {
      var value = headers[name];
      if (typeof value === 'string') {
        value = value.trim();
        if (value === '' || /<[^>]*>/.test(value) || /^Bearer$/i.test(value)) {
          return;
        }
      }
      sent[name] = value;
    });
    return sent;
  }

  var graphQLFetcher = GraphiQL.createFetcher({
    url: endpoint,
    subscriptionUrl: subscriptionUrl
  });

  function fetcher(params, options) {
    var cleaned = Object.assign({}, options, { headers: headersToSend(options && options.headers) });
    return graphQLFetcher(params, cleaned);
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(
      GraphiQL,
      {
        fetcher: fetcher,
        defaultQuery: DEFAULT_QUERY,
        defaultHeaders: DEFAULT_HEADERS,
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: 'headers'
      },
      React.createElement(GraphiQL.Logo, null, 'Levier')
    )
  );
})();
