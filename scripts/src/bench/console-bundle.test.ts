import { describe, expect, it } from 'vitest';
import { initialAssets } from './console-bundle.js';

describe('the console bundle', () => {
  it('should count the page scripts, stylesheets and module preloads as initial, and nothing else', () => {
    const html = `<!doctype html><html><head>
      <script type="module" crossorigin src="/console/assets/index-a1.js"></script>
      <link rel="modulepreload" crossorigin href="/console/assets/react-b2.js">
      <link rel="stylesheet" crossorigin href="/console/assets/index-c3.css">
      <link rel="icon" href="/console/favicon.svg">
    </head><body><div id="root"></div></body></html>`;
    expect(initialAssets(html)).toEqual(['assets/index-a1.js', 'assets/index-c3.css', 'assets/react-b2.js']);
  });
});
