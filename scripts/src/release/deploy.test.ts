/**
 * Static checks of the containers (#18.2): the Dockerfiles and compose.yaml cannot run on the
 * development machine (no Docker daemon), so their contract is read here. compose.yaml is parsed
 * with the `yaml` package; the env files it reads are the ones `npm run keys` writes.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { settingsReadBySources } from '../docs/settings-inventory.js';
import { REPO_ROOT } from '../harness/service-process.js';
import { envNames, execForm, isPinnedImage, parseDockerfile, type Stage } from './dockerfile.js';
import { deploymentKeys } from './keys.js';
import {
  installWorkspace,
  readManifest,
  RELEASE_SERVICES,
  workspaceClosure,
  type ReleaseService,
} from './release-layout.js';

/** Settings that are secrets: only ever in env files made by `npm run keys`, never inline. */
const SECRET_SETTINGS = [
  'GATEWAY_SIGNING_KEY',
  'AUTH_JWT_SECRET',
  'ADMIN_TOKEN',
  'WORKER_ID_KEY',
  'DATABASE_URL',
  'POSTGRES_PASSWORD',
  'P2P_OWNER_PASSWORD',
];

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  env_file?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition?: string }>;
  ports?: string[];
  volumes?: string[];
}

const compose = parse(readFileSync(join(REPO_ROOT, 'compose.yaml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const dockerfile = (service: ReleaseService) =>
  parseDockerfile(readFileSync(join(REPO_ROOT, 'deploy', `${service}.Dockerfile`), 'utf8'));
const services = Object.keys(RELEASE_SERVICES) as ReleaseService[];

/** Which release service a compose service runs (from its Dockerfile), if any. */
const releaseServiceOf = (s: ComposeService): ReleaseService | undefined =>
  services.find((name) => s.build?.dockerfile === `deploy/${name}.Dockerfile`);

/** The settings the workspaces a service runs from read (docs/settings-inventory.ts, no tests). */
function settingsOf(service: ReleaseService): Set<string> {
  const roots = workspaceClosure(REPO_ROOT, service).map((workspace) => join(workspace, 'src'));
  return new Set(settingsReadBySources(REPO_ROOT, roots).map((setting) => setting.name));
}

/** One deployment's env files, as `npm run keys` writes them for the provinces of compose.yaml. */
const keyFiles = deploymentKeys(
  Object.keys(compose.services)
    .filter((name) => name.startsWith('province-'))
    .map((name) => name.slice('province-'.length)),
);

/** The settings in the env files a compose service reads (one deployment's, {@link keyFiles}). */
async function envFileSettings(s: ComposeService): Promise<Record<string, string>> {
  const files = await keyFiles;
  const settings: Record<string, string> = {};
  for (const path of s.env_file ?? []) {
    expect(path.startsWith('deploy/keys/'), `${path}: env files live in deploy/keys/`).toBe(true);
    const file = files[basename(path)];
    expect(file, `${path} is not written by npm run keys`).toBeDefined();
    Object.assign(settings, file);
  }
  return settings;
}

describe('the Dockerfiles (deploy/<service>.Dockerfile)', () => {
  const runtimeOf = (stages: Stage[]) => stages.at(-1)!;
  const find = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

  it.each(services)('should build %s in one stage and run it from another, on pinned images', (service) => {
    const stages = dockerfile(service);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(isPinnedImage(stage.image), stage.image).toBe(true);
    const build = stages.find((s) => s.name === 'build')!;
    expect(find(build, 'RUN').map((i) => i.args)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^npm ci\b/),
        expect.stringContaining(
          `turbo run build --filter=${readManifest(REPO_ROOT, RELEASE_SERVICES[service].workspace).name}...`,
        ),
      ]),
    );
    expect(find(build, 'RUN').some((i) => i.args.includes(`release:stage -- ${service} /release`))).toBe(
      true,
    );
    const copies = find(runtimeOf(stages), 'COPY').map((i) => i.args);
    expect(copies).toEqual(['--from=build /release/manifests/ ./', '--from=build /release/app/ ./']);
  });

  it.each(services)(
    'should build in %s the workspaces whose built files it carries, from their package.json',
    (service) => {
      const build = dockerfile(service).find((s) => s.name === 'build')!;
      const turbo = find(build, 'RUN').find((i) => i.args.includes('turbo run build'))!.args;
      const copied = find(build, 'COPY').map((i) => i.args.split(/\s+/)[0]);
      for (const { workspace } of RELEASE_SERVICES[service].carries) {
        expect(turbo).toContain(`--filter=${readManifest(REPO_ROOT, workspace).name}`);
        // Its dependencies are installed with the others' before the sources come in.
        expect(copied).toContain(join(workspace, 'package.json'));
      }
    },
  );

  it.each(services)('should install %s with npm ci --omit=dev and run it as node, not root', (service) => {
    const runtime = runtimeOf(dockerfile(service));
    const { workspace, bin, port } = RELEASE_SERVICES[service];
    const install = find(runtime, 'RUN').find((i) => i.args.startsWith('npm ci'));
    // By package name: a path would also install the workspaces under it (gateway/console).
    expect(install?.args).toMatch(
      new RegExp(`--omit=dev\\b.*--workspace ${installWorkspace(REPO_ROOT, service)}(\\s|$)`),
    );
    const users = find(runtime, 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1));
    // The last USER comes before CMD: the service itself never runs as root.
    const order = runtime.instructions.map((i) => i.keyword);
    expect(order.lastIndexOf('USER')).toBeLessThan(order.lastIndexOf('CMD'));
    // Exec form: node is PID 1's child under `init: true` and receives SIGTERM itself.
    const cmd = execForm(find(runtime, 'CMD').at(-1)!.args);
    const binTarget = readManifest(REPO_ROOT, workspace).bin?.[bin];
    expect(binTarget).toBeDefined();
    expect(cmd).toEqual(['node', join(workspace, binTarget!)]);
    expect(find(runtime, 'EXPOSE').map((i) => i.args)).toEqual([String(port)]);
    expect(find(runtime, 'STOPSIGNAL').map((i) => i.args)).toEqual(['SIGTERM']);
  });

  it.each(services)('should check the health of %s on /health', (service) => {
    const checks = find(runtimeOf(dockerfile(service)), 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const cmd = execForm(checks[0]!.args.replace(/^(--\S+\s+)*CMD\s+/, ''));
    expect(cmd?.[0]).toBe('node');
    expect(cmd?.join(' ')).toContain("/health'");
  });

  it.each(services)('should set in %s only settings the service reads, and no secret', (service) => {
    const settings = settingsOf(service);
    const names = dockerfile(service).flatMap((stage) => find(stage, 'ENV').flatMap((i) => envNames(i.args)));
    expect(names).toContain('NODE_ENV');
    for (const name of names) {
      expect(SECRET_SETTINGS).not.toContain(name);
      expect(settings.has(name), `${service} does not read ${name}`).toBe(true);
    }
  });
});

describe('compose.yaml', () => {
  it('should run at least two provinces, each with its own PostgreSQL', async () => {
    const provinces = Object.entries(compose.services).filter(([name]) => name.startsWith('province-'));
    expect(provinces.length).toBeGreaterThanOrEqual(2);
    for (const [name, s] of provinces) {
      const code = name.slice('province-'.length);
      expect(releaseServiceOf(s)).toBe('province');
      expect(s.environment?.PROVINCE).toBe(code);
      expect(s.depends_on?.[`postgres-${code}`]?.condition).toBe('service_healthy');
      expect(new URL((await envFileSettings(s)).DATABASE_URL!).hostname).toBe(`postgres-${code}`);
      expect(compose.services[`postgres-${code}`]?.image).toMatch(/^postgres:/);
    }
  });

  it("should log each province in as its database's owner, made by the init script, not as the superuser", async () => {
    const init = readFileSync(join(REPO_ROOT, 'deploy/postgres-init/10-p2p-owner.sql'), 'utf8');
    expect(init).toMatch(/CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE/);
    expect(init).toContain('ALTER DATABASE :"database" OWNER TO :"owner"');
    expect(init).toContain('ALTER SCHEMA public OWNER TO :"owner"');
    for (const [name, s] of Object.entries(compose.services).filter(([n]) => n.startsWith('province-'))) {
      const postgres = compose.services[`postgres-${name.slice('province-'.length)}`]!;
      expect(postgres.volumes).toContain('./deploy/postgres-init:/docker-entrypoint-initdb.d:ro');
      // Over TCP: the entrypoint's temporary server (init scripts running) listens on a socket only.
      expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready -h 127.0.0.1');
      const server = await envFileSettings(postgres);
      const url = new URL((await envFileSettings(s)).DATABASE_URL!);
      expect(url.username).not.toBe(server.POSTGRES_USER);
      expect(url.username).toBe(server.P2P_OWNER_USER);
      expect(decodeURIComponent(url.password)).toBe(server.P2P_OWNER_PASSWORD);
      expect(url.password).not.toBe(server.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${server.POSTGRES_DB}`);
    }
  });

  it('should point the gateway at every province and at national, by their service names and ports', () => {
    const gateway = compose.services.gateway!;
    const provinces = Object.entries(compose.services).filter(([name]) => name.startsWith('province-'));
    const listed = Object.fromEntries(
      gateway.environment!.PROVINCES!.split(',').map((pair) => pair.split('=') as [string, string]),
    );
    expect(Object.keys(listed).sort()).toEqual(
      provinces.map(([name]) => name.slice('province-'.length)).sort(),
    );
    for (const [name, s] of provinces)
      expect(listed[name.slice('province-'.length)]).toBe(`http://${name}:${s.environment!.PORT}`);
    expect(gateway.environment!.NATIONAL_URL).toBe(
      `http://national:${compose.services.national!.environment!.PORT}/graphql`,
    );
  });

  it('should give every service a health check and start it only after its dependencies are healthy', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      const release = releaseServiceOf(s);
      const checked =
        s.healthcheck !== undefined ||
        (release !== undefined &&
          dockerfile(release)
            .at(-1)!
            .instructions.some((i) => i.keyword === 'HEALTHCHECK'));
      expect(checked, `${name} has no health check`).toBe(true);
      for (const [dependency, how] of Object.entries(s.depends_on ?? {})) {
        expect(compose.services[dependency], `${name} depends on unknown ${dependency}`).toBeDefined();
        expect(how.condition, `${name} → ${dependency}`).toBe('service_healthy');
      }
      if (s.image && !s.build) expect(isPinnedImage(s.image), s.image).toBe(true);
    }
  });

  it('should pass every service only settings it reads, with the secrets only from env files', async () => {
    for (const [name, s] of Object.entries(compose.services)) {
      const inline = s.environment ?? {};
      for (const [setting, value] of Object.entries(inline)) {
        expect(SECRET_SETTINGS, `${name}: ${setting} inline`).not.toContain(setting);
        expect(String(value), `${name}: ${setting}`).not.toMatch(/PRIVATE KEY|:\/\/[^/@\s]+:[^/@\s]+@/);
      }
      const fromFiles = await envFileSettings(s);
      const release = releaseServiceOf(s);
      if (!release) {
        for (const setting of Object.keys(fromFiles)) expect(setting).toMatch(/^(POSTGRES|P2P_OWNER)_/);
        continue;
      }
      const settings = settingsOf(release);
      for (const setting of [...Object.keys(inline), ...Object.keys(fromFiles)])
        expect(settings.has(setting), `${name}: ${release} does not read ${setting}`).toBe(true);
      expect(Object.keys(inline)).not.toContain('P2P_DEV');
    }
  });

  it('should give the gateway and the provinces the keys production mode requires', async () => {
    const gateway = await envFileSettings(compose.services.gateway!);
    expect(Object.keys(gateway).sort()).toEqual(['ADMIN_TOKEN', 'AUTH_JWT_SECRET', 'GATEWAY_SIGNING_KEY']);
    const province = await envFileSettings(compose.services['province-450000']!);
    expect(Object.keys(province).sort()).toEqual(['DATABASE_URL', 'GATEWAY_PUBLIC_KEY', 'WORKER_ID_KEY']);
  });

  it('should tell a setting the service reads from one it does not (the check above can fail)', () => {
    const gateway = settingsOf('gateway');
    expect(gateway.has('GATEWAY_SIGNING_KEY')).toBe(true);
    expect(gateway.has('GATEWAY_PRIVATE_KEY')).toBe(false);
    expect(settingsOf('national').has('DATABASE_URL')).toBe(false);
  });
});

describe('the Dockerfile reader', () => {
  it('should join continuation lines and split stages', () => {
    const stages = parseDockerfile(
      'FROM a:1.2 AS build\nRUN one \\\n  # note\n  two\nFROM b:3.4\nUSER node\n',
    );
    expect(stages).toEqual([
      { image: 'a:1.2', name: 'build', instructions: [{ keyword: 'RUN', args: 'one two' }] },
      { image: 'b:3.4', instructions: [{ keyword: 'USER', args: 'node' }] },
    ]);
  });

  it('should call only exact versions pinned', () => {
    expect(isPinnedImage('node:20.20.2-bookworm-slim')).toBe(true);
    expect(isPinnedImage(`node@sha256:${'a'.repeat(64)}`)).toBe(true);
    for (const loose of ['node', 'node:latest', 'node:20', 'node:20-bookworm-slim', 'node:lts'])
      expect(isPinnedImage(loose), loose).toBe(false);
  });

  it('should read ENV names in both forms', () => {
    expect(envNames('HOST=0.0.0.0 PORT=4000')).toEqual(['HOST', 'PORT']);
    expect(envNames('NODE_ENV production')).toEqual(['NODE_ENV']);
  });
});
