/**
 * Setup of the `unit` test project (vitest.config.ts): a unit test starts no process and opens no
 * socket. Connecting, listening and spawning throw here, so a test that needs a server fails at
 * once and is renamed `*.int.test.ts` (in-process servers, databases) or `*.e2e.test.ts` (real
 * processes).
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { vi } from 'vitest';

const refuse = (what: string) =>
  function refused(): never {
    throw new Error(
      `a unit test may not ${what}: name the file *.int.test.ts (in-process servers, databases) or *.e2e.test.ts (real processes)`,
    );
  };

net.Socket.prototype.connect = refuse('open a socket') as typeof net.Socket.prototype.connect;
net.Server.prototype.listen = refuse('listen on a port') as typeof net.Server.prototype.listen;
const processes = childProcess as unknown as Record<string, unknown>;
for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'])
  processes[name] = refuse('start a process');
// Named imports (`import { spawn } from 'node:child_process'`) see the replacements too.
syncBuiltinESMExports();

// Nor an embedded database: PGlite opens no socket, so it is refused on construction.
vi.mock('@electric-sql/pglite', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  PGlite: class {
    constructor() {
      refuse('start a database (PGlite)')();
    }
  },
}));
