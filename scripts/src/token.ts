/**
 * `npm run -s token -- --role ministry`: prints a development token the gateway accepts (HS256,
 * signed with AUTH_JWT_SECRET, default `dev-secret-change-me`, the gateway's own default), e.g.
 *
 *   npm run -s token -- --role province --region 450000
 *   npm run -s token -- --role city --region 450200 --expires 30m
 *   npm run -s token -- --role enterprise --region 110105003 --enterprise E11-…
 *   npm run -s token -- --role worker --worker W41-…
 *   curl -H "authorization: Bearer $(npm run -s token -- --role ministry)" …
 */
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, signDevToken } from '@p2p/gateway';
import { isMainModule } from '@p2p/runtime';
import { PERSON_ROLES, type PersonRole } from '@p2p/schema';

/** The usage text. */
export const TOKEN_USAGE = `npm run -s token -- --role <${PERSON_ROLES.join('|')}> [options]   print a development token

  --role <role>          province, city, enterprise, ministry or worker (required)
  --region <code>        the caller's region: a province (450000) for province, a city or county
                         (450200) for city, where the enterprise is for enterprise; none for ministry
                         and worker (his home province is the one his id encodes)
  --enterprise <id>      the enterprise's id (role enterprise), e.g. from registerEnterprise
  --worker <id>          the worker's own id (role worker), e.g. from registerWorker: he reads his
                         own record, trips and return requests and reports his own intent and health
  --expires <span>       lifetime: seconds, or 30m, 12h, 7d (default 12h)
  --subject <sub>        the token's subject (default role:region)
  --help

  env AUTH_JWT_SECRET    the gateway's secret (default ${DEV_JWT_SECRET}, as the gateway's)`;

/** What was asked for on the command line. */
export interface TokenArgs {
  role: PersonRole;
  region?: string;
  enterpriseId?: string;
  workerId?: string;
  /** Seconds, or a jose time span (`30m`, `12h`, `7d`). @default '12h' */
  expiresIn: number | string;
  subject?: string;
  help: boolean;
}

/**
 * Parses the command line.
 * @throws Error with a message for the user when an option is missing or wrong.
 */
export function parseTokenArgs(argv: string[]): TokenArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string' },
      region: { type: 'string' },
      enterprise: { type: 'string' },
      worker: { type: 'string' },
      expires: { type: 'string', default: '12h' },
      subject: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { role: 'ministry', expiresIn: '12h', help: true };
  const role = values.role as PersonRole | undefined;
  if (!role || !(PERSON_ROLES as readonly string[]).includes(role))
    throw new Error(`--role must be one of ${PERSON_ROLES.join(', ')}`);
  const expires = values.expires!;
  if (!/^\d+$/.test(expires) && !/^\d+\s*(s|sec|m|min|h|hr|d|day|w)$/.test(expires))
    throw new Error(`--expires: "${expires}" is not seconds or a span such as 30m, 12h, 7d`);
  return {
    role,
    ...(values.region ? { region: values.region } : {}),
    ...(values.enterprise ? { enterpriseId: values.enterprise } : {}),
    ...(values.worker ? { workerId: values.worker } : {}),
    expiresIn: /^\d+$/.test(expires) ? Number(expires) : expires,
    ...(values.subject ? { subject: values.subject } : {}),
    help: false,
  };
}

/** Signs the token the arguments ask for (claims checked as the gateway checks them). */
export function tokenFromArgs(
  args: TokenArgs,
  secret: string = process.env.AUTH_JWT_SECRET || DEV_JWT_SECRET,
): Promise<string> {
  return signDevToken(
    {
      role: args.role,
      ...(args.region ? { region: args.region } : {}),
      ...(args.enterpriseId ? { enterpriseId: args.enterpriseId } : {}),
      ...(args.workerId ? { workerId: args.workerId } : {}),
      ...(args.subject ? { subject: args.subject } : {}),
    },
    { secret, expiresIn: args.expiresIn },
  );
}

/** A demo role `npm start` prints a token for. */
export interface DemoRole {
  label: string;
  role: PersonRole;
  region?: string;
  /** Demo key of the enterprise (its id comes from seeding). */
  enterpriseKey?: string;
}

/** One token per demo role: the ministry, Guangxi, Liuzhou, Beijing's receiving district Chaoyang, a Beijing demo enterprise. */
export const DEMO_ROLES: readonly DemoRole[] = [
  { label: 'ministry (reads everything, personal fields masked)', role: 'ministry' },
  { label: 'Guangxi province officer 450000', role: 'province', region: '450000' },
  { label: 'Liuzhou city 450200', role: 'city', region: '450200' },
  { label: 'Beijing Chaoyang district 110105 (receives the Dancheng bus)', role: 'city', region: '110105' },
  {
    label: 'enterprise 京华建工集团(示例), Beijing Chaoyang',
    role: 'enterprise',
    region: '110105003',
    enterpriseKey: 'bj-build',
  },
];

/**
 * The console's development sign-in roles (the gateway's `CONSOLE_DEV_ROLES_FILE`): the demo's
 * roles, the enterprise's with its id from seeding (left out when it was not seeded).
 */
export function consoleRoles(enterprises: Readonly<Record<string, string>> = {}) {
  return DEMO_ROLES.flatMap((demo) => {
    const enterpriseId = demo.enterpriseKey ? enterprises[demo.enterpriseKey] : undefined;
    if (demo.enterpriseKey && !enterpriseId) return [];
    return [
      {
        label: demo.label,
        role: demo.role,
        ...(demo.region ? { region: demo.region } : {}),
        ...(enterpriseId ? { enterpriseId } : {}),
      },
    ];
  });
}

/**
 * The token block `npm start` prints: each demo role and its token, with how to use it in the
 * landing page. The enterprise's line needs its id from seeding (`enterprises` by demo key).
 */
export async function demoTokenLines(
  tokenFor: (role: PersonRole, region?: string, enterpriseId?: string) => Promise<string>,
  enterprises: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  const lines = [
    '  tokens (12 h) — in the landing page open Headers and paste {"authorization":"Bearer <token>"}:',
  ];
  for (const demo of DEMO_ROLES) {
    const enterpriseId = demo.enterpriseKey ? enterprises[demo.enterpriseKey] : undefined;
    if (demo.enterpriseKey && !enterpriseId) {
      lines.push(
        `    ${demo.label}: not seeded; npm run -s token -- --role enterprise --region ${demo.region} --enterprise <id>`,
      );
      continue;
    }
    lines.push(`    ${demo.label}`, `      ${await tokenFor(demo.role, demo.region, enterpriseId)}`);
  }
  return lines;
}

async function main(): Promise<void> {
  let args: TokenArgs;
  try {
    args = parseTokenArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${TOKEN_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(TOKEN_USAGE);
    return;
  }
  try {
    console.log(await tokenFromArgs(args));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

if (isMainModule(import.meta.url)) void main();
