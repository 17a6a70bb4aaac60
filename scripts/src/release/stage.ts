/**
 * `npm run -s release:stage -- <province|national|gateway> <outDir>`: copies a built service's
 * release into `<outDir>/manifests` (package files, for `npm ci --omit=dev`) and `<outDir>/app`
 * (dist/ and runtime files); the Dockerfiles' build stage runs it (release-layout.ts).
 */
import { join, resolve } from 'node:path';
import { isMainModule } from '@p2p/runtime';
import { REPO_ROOT } from '../harness/service-process.js';
import { RELEASE_SERVICES, stageRelease, type ReleaseService } from './release-layout.js';

if (isMainModule(import.meta.url)) {
  const [service, outDir] = process.argv.slice(2);
  if (!service || !(service in RELEASE_SERVICES) || !outDir) {
    console.error(`usage: npm run -s release:stage -- <${Object.keys(RELEASE_SERVICES).join('|')}> <outDir>`);
    process.exit(2);
  }
  const out = resolve(outDir);
  stageRelease(REPO_ROOT, service as ReleaseService, {
    manifests: join(out, 'manifests'),
    app: join(out, 'app'),
  });
  console.log(`staged ${service} in ${out}/manifests and ${out}/app`);
}
