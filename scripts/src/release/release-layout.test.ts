import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/service-process.js';
import { runtimePaths, workspaceClosure, workspaceDirs } from './release-layout.js';

describe('the release layout of a service', () => {
  it('should list every workspace of the repository, and nothing under node_modules', () => {
    expect(workspaceDirs(REPO_ROOT).sort()).toEqual(
      [
        'conformance',
        'gateway',
        'gateway/console',
        'schema',
        'scripts',
        'subgraphs/national',
        'subgraphs/province',
        'subgraphs/runtime',
      ].sort(),
    );
  });

  it('should run a service from its own workspace and its runtime dependencies only, dependencies first', () => {
    expect(workspaceClosure(REPO_ROOT, 'province')).toEqual([
      'schema',
      'subgraphs/runtime',
      'subgraphs/province',
    ]);
    expect(workspaceClosure(REPO_ROOT, 'national')).toEqual([
      'schema',
      'subgraphs/runtime',
      'subgraphs/national',
    ]);
    expect(workspaceClosure(REPO_ROOT, 'gateway')).toEqual(['schema', 'subgraphs/runtime', 'gateway']);
  });

  it('should carry the built code and the files read at run time, never the sources', () => {
    const province = runtimePaths(REPO_ROOT, 'province');
    expect(province).toEqual(
      expect.arrayContaining([
        'schema/dist',
        'schema/sdl',
        'schema/supergraph.graphql',
        'subgraphs/runtime/dist',
        'subgraphs/province/dist',
        'subgraphs/province/drizzle',
      ]),
    );
    for (const service of ['province', 'national', 'gateway'] as const)
      for (const path of runtimePaths(REPO_ROOT, service))
        expect(path).not.toMatch(/(^|\/)src(\/|$)|^scripts/);
    expect(runtimePaths(REPO_ROOT, 'gateway')).not.toContain('subgraphs/province/drizzle');
  });

  it("should carry the console's built page with the gateway (which serves it) and with no other service", () => {
    expect(runtimePaths(REPO_ROOT, 'gateway')).toContain('gateway/console/dist/app');
    // Only the page: not the console's build-time code (dist/build) nor its sources.
    expect(runtimePaths(REPO_ROOT, 'gateway').filter((p) => p.startsWith('gateway/console'))).toEqual([
      'gateway/console/dist/app',
    ]);
    for (const service of ['province', 'national'] as const)
      expect(runtimePaths(REPO_ROOT, service).some((p) => p.startsWith('gateway/console'))).toBe(false);
  });
});
