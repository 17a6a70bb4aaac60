import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServerResponse } from 'node:http';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The browser files of the IDE, served from node_modules at `/ide/<name>`: no CDN, no internet. */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'react.production.min.js': {
    file: () => join(packageDir('react'), 'umd/react.production.min.js'),
    type: 'text/javascript',
  },
  'react-dom.production.min.js': {
    file: () => join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  'graphiql.min.js': { file: () => join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.min.css': { file: () => join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

/** Demo operations opened as the IDE's first tabs. */
export const DEMO_TABS: { query: string; variables?: string }[] = [
  {
    query: `# The nation's totals: every province answers,
# counts are summed, the fill rate is recomputed
# from the summed parts (never averaged).
query NationalSummary {
  summary {
    scope
    workers {
      registered atHome travelling atWork priority
      flow {
        withinTownship withinCounty withinCity
        withinProvince crossProvince
      }
    }
    transport {
      outbound { trips passengers }
      inbound { trips passengers }
      byMode { mode trips passengers }
    }
    employment {
      enterprises keyEnterprises openings filled fillRate
    }
  }
}`,
  },
  {
    query: `# Trips arriving in Beijing from every organising
# province, in departure order; page on with $after.
query ArrivalsInBeijing($after: String) {
  trips(destination: "110000", first: 10, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id mode vehicleCode departureAt status
        origin { fullName }
        passengers {
          boarded temperature
          worker { id name homeRegion { fullName } }
        }
      }
    }
  }
}`,
  },
  {
    query: `# Return requests for workers from Guangxi, filed by
# enterprises in any province, with the trip home.
query RequestsForGuangxi {
  returnRequests(origin: "450000", first: 10) {
    totalCount
    edges {
      node {
        id plannedReturnDate status
        enterprise { name region { fullName } }
        trip { id status departureAt }
      }
    }
  }
}`,
  },
];

/** The landing page: GraphiQL from the gateway's own `/ide/*` files, with the demo tabs. */
export function landingPageHtml(endpoint = '/graphql'): string {
  const config = JSON.stringify({ url: endpoint, tabs: DEMO_TABS }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>点对点返岗数据枢纽 · Point-to-point data hub</title>
<link rel="stylesheet" href="/ide/graphiql.min.css">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">Loading the GraphQL IDE…</div>
<script src="/ide/react.production.min.js"></script>
<script src="/ide/react-dom.production.min.js"></script>
<script src="/ide/graphiql.min.js"></script>
<script>
  const config = ${config};
  const fetcher = GraphiQL.createFetcher({ url: new URL(config.url, location.href).toString() });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultTabs: config.tabs, defaultEditorToolsVisibility: true }),
  );
</script>
</body>
</html>`;
}

const cache = new Map<string, Buffer>();

/** Serves `/ide/<name>`; false when the name is not an IDE file. */
export function serveIdeAsset(name: string, res: ServerResponse): boolean {
  const asset = ASSETS[name];
  if (!asset) return false;
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(asset.file());
    cache.set(name, body);
  }
  res.writeHead(200, {
    'content-type': `${asset.type}; charset=utf-8`,
    'content-length': body.length,
    'cache-control': 'public, max-age=86400',
  });
  res.end(body);
  return true;
}

/** Writes the landing page. */
export function sendLandingPage(res: ServerResponse, endpoint = '/graphql'): void {
  const html = landingPageHtml(endpoint);
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}
