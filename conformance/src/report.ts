import type { Exchange } from './check-failure.js';
import type { CheckResult, ConformanceReport } from './runner.js';

/** Keys whose values are personal data: a report shows them masked, whatever service answered. */
const PERSONAL_KEYS = new Set([
  'idNumber',
  'phone',
  'name',
  'povertyStatus',
  'temperature',
  'arrivalTemperature',
  'code',
  'nucleicAcid',
  'institution',
  'testedAt',
  'site',
]);
/**
 * Resident ID numbers and mainland mobile numbers written inside any text (an error's message, the
 * query's literals, a check's message): masked wherever they appear, not only under their keys.
 */
const PERSONAL_PATTERNS = [
  // 18-character resident IDs, and the 15-digit ones of before 1999
  /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g,
  // mobile numbers, with or without +86 and with spaces or dashes between the groups
  /(?<!\d)(\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g,
];
/** Longest request or answer text a report line carries. */
const MAX_TEXT = 2_000;

/**
 * The exchange with personal values masked (a failing answer from a production service may carry a
 * person's record; the report goes into a province's CI logs): every value under a personal key,
 * whatever its type, and resident IDs and phone numbers anywhere in text. `code` is kept where it is
 * an error code or a region's code (`extensions.code`, `{ code: "450000" }`): only a health code is masked.
 */
export function redactExchange(exchange: Exchange): Exchange {
  return {
    ...exchange,
    query: maskPersonalText(exchange.query),
    variables: redact(exchange.variables) as Record<string, unknown>,
    answer: redact(exchange.answer),
  };
}

function redact(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  if (key && PERSONAL_KEYS.has(key) && value !== null && value !== undefined && !keepCode(key, value))
    return maskValue(value);
  return typeof value === 'string' ? maskPersonalText(value) : value;
}

/**
 * A personal value as a report shows it: an enum-like word (a health code, a test result, a
 * poverty status), a number (a temperature) or a boolean entirely hidden, since one letter of a
 * word of a few values gives it away; other text keeps its first and last character (enough to
 * tell two records apart while debugging, not to read them).
 */
function maskValue(value: unknown): string {
  if (typeof value !== 'string' || /^[A-Z_]+$/.test(value)) return '***';
  return mask(value);
}

const mask = (value: string) => (value.length <= 2 ? '**' : `${value.slice(0, 1)}***${value.slice(-1)}`);

/** `text` with every resident ID number and mobile number in it masked. */
export function maskPersonalText(text: string): string {
  return PERSONAL_PATTERNS.reduce((t, pattern) => t.replace(pattern, mask), text);
}

/** A `code` is personal only as a health code; region codes and error codes stay readable. */
function keepCode(key: string, value: unknown): boolean {
  return key === 'code' && typeof value === 'string' && !HEALTH_CODES.has(value);
}

const HEALTH_CODES = new Set(['GREEN', 'YELLOW', 'RED']);

const clip = (text: string) =>
  text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length} chars)` : text;

/** The request and answer of a failure as two indented lines of text (masked). */
export function describeExchange(exchange: Exchange): string[] {
  const safe = redactExchange(exchange);
  const request = `${safe.caller} → ${safe.subgraph}: ${safe.query.replace(/\s+/g, ' ').trim()}${
    safe.variables && Object.keys(safe.variables).length ? ` variables ${JSON.stringify(safe.variables)}` : ''
  }`;
  const answer = `${safe.status === undefined ? '' : `HTTP ${safe.status} `}${JSON.stringify(safe.answer)}`;
  return [`request: ${clip(request)}`, `answer:  ${clip(answer)}`];
}

/** One result as the lines the CLI prints: `PASS id (ms) title`, then the failure's reason, request and answer. */
export function resultLines(result: CheckResult): string[] {
  const status = result.status.toUpperCase().padEnd(4);
  const lines = [
    `${status}  ${result.id.padEnd(34)} ${String(result.durationMs).padStart(6)} ms  ${result.title}`,
  ];
  if (result.message)
    lines.push(`      ${result.status === 'skip' ? 'skipped' : 'why'}: ${maskPersonalText(result.message)}`);
  if (result.exchange) lines.push(...describeExchange(result.exchange).map((l) => `      ${l}`));
  return lines;
}

/**
 * The verdict word: CONFORMS only for a whole run (signed, no `--only`) where nothing failed; a
 * partial run that passed says what it is not, since the gateway does not accept it either.
 */
function verdictOf(report: ConformanceReport): string {
  if (!report.passed) return 'DOES NOT CONFORM';
  if (report.complete) return 'CONFORMS';
  const partial = [...(report.only ? ['--only'] : []), ...(report.signed ? [] : ['no --token-key'])].join(
    ', ',
  );
  return `PASSED A PARTIAL RUN (${partial}; not a conformance report the gateway accepts)`;
}

/** The closing lines of a report: counts, time, verdict. */
export function summaryLines(report: ConformanceReport): string[] {
  const { pass, fail, skip } = report.counts;
  return [
    `${verdictOf(report)}: province ${report.province} at ${report.url}, contract ${report.contract}` +
      `${report.readOnly ? ' (read-only run)' : ''}`,
    `${pass} passed, ${fail} failed, ${skip} skipped in ${(report.durationMs / 1000).toFixed(1)} s (seed ${report.seed}, run ${report.runId})`,
  ];
}

const xml = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** The report as JUnit XML (one `testcase` per check; its group is the `classname`), for a province's CI. */
export function junitXml(report: ConformanceReport): string {
  const { pass, fail, skip } = report.counts;
  const cases = report.results.map((r) => {
    const head = `    <testcase classname="${xml(`p2p-conformance.${r.id.split('.')[0]}`)}" name="${xml(r.id)}" time="${(r.durationMs / 1000).toFixed(3)}">`;
    if (r.status === 'pass') return `${head.slice(0, -1)} />`;
    if (r.status === 'skip')
      return `${head}\n      <skipped message="${xml(maskPersonalText(r.message ?? ''))}" />\n    </testcase>`;
    const body = [r.title, ...(r.exchange ? describeExchange(r.exchange) : [])].join('\n');
    return `${head}\n      <failure message="${xml(maskPersonalText(r.message ?? 'failed'))}">${xml(body)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="p2p-conformance" tests="${pass + fail + skip}" failures="${fail}" skipped="${skip}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(`province ${report.province} (contract ${report.contract})`)}" tests="${pass + fail + skip}" failures="${fail}" skipped="${skip}" timestamp="${report.startedAt}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The report as the JSON file the gateway reads (`--json`), with every exchange masked. */
export function reportJson(report: ConformanceReport): string {
  const results = report.results.map((r) => ({
    ...r,
    ...(r.message ? { message: maskPersonalText(r.message) } : {}),
    ...(r.exchange ? { exchange: redactExchange(r.exchange) } : {}),
  }));
  return `${JSON.stringify({ ...report, results }, null, 2)}\n`;
}
