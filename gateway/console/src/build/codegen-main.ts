/** `npm run codegen -w @p2p/console`: see codegen.ts. Exit 1 with one line when it fails. */
import { generateConsoleTypes } from './codegen.js';

try {
  const { operations } = await generateConsoleTypes();
  process.stdout.write(`console codegen: ${operations} operations\n`);
} catch (err) {
  process.stderr.write(`console codegen failed: ${(err as Error).message}\n`);
  process.exit(1);
}
