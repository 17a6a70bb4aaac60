import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { closeServer, listen } from './listen.js';

describe('closeServer', () => {
  it('should close at once while a client keeps sending requests on one kept-alive socket (a long-poll loop)', async () => {
    const server = createServer((_req, res) => setTimeout(() => res.end('{}'), 20));
    const url = await listen(server, { port: 0 });
    const agent = new Agent({ keepAliveTimeout: 30_000, connections: 1 });
    let looping = true;
    let answered = 0;
    const loop = (async () => {
      while (looping) {
        try {
          const answer = await request(url, { method: 'POST', body: '{}', dispatcher: agent });
          await answer.body.text();
          answered++;
        } catch {
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    })();
    while (answered < 5) await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    await closeServer(server, 5_000);
    const took = performance.now() - started;
    looping = false;
    await loop;
    await agent.close();
    // Without `Connection: close` on the answers after close began, the looping socket is never
    // idle and the close waits for the 5 s grace.
    expect(took).toBeLessThan(2_000);
  });
});
