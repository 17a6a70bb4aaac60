import type { Exchange } from './check-failure.js';
import type { CheckResult, ConformanceReport } from './runner.js';

/** Keys whose values are personal data: a report shows them masked, whatever service answered. */
const PERSONAL_KEYS = new Set([
  'idNumber',
  'phone',
  'name',
  'povertyStatus',
  'temperature',
  'code',
  'nucleicAcid',
]);
/**
 * Resident ID numbers and mainland mobile numbers written inside any text (an error's message, the
 * query's literals, a check's message): masked wherever they appear, not only under their keys.
 */
const PERSONAL_PATTERNS = [/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, /(?<!\d)1[3-9]\d{9}(?!\d)/g];
/** Longest request or answer text a report line carries. */
const MAX_TEXT = 2_000;

/**
 * The exchange with personal values masked (a failing answer from a production service may carry a
 * person's record; the report goes into a province's CI logs). `code` is kept where it is an error
 * code or a region's code (`extensions.code`, `{ code: "450000" }`): only a health code is masked.
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
  if (key && PERSONAL_KEYS.has(key) && typeof value === 'string' && !keepCode(key, value)) return mask(value);
  return typeof value === 'string' ? maskPersonalText(value) : value;
}

const mask = (value: string) => (value.length <= 2 ? '**' : `${value.slice(0, 1)}***${value.slice(-1)}`);

/** `text` with every resident ID number and mobile number in it masked. */
export function maskPersonalText(text: string): string {
  return PERSONAL_PATTERNS.reduce((t, pattern) => t.replace(pattern, mask), text);
}

/** A `code` is personal only as a health code; region codes and error codes stay readable. */
function keepCode(key: string, value: string): boolean {
  return key === 'code' && !HEALTH_CODES.has(value);
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

/** The closing lines of a report: counts, time, verdict. */
export function summaryLines(report: ConformanceReport): string[] {
  const { pass, fail, skip } = report.counts;
  return [
    `${report.passed ? 'CONFORMS' : 'DOES NOT CONFORM'}: province ${report.province} at ${report.url}, contract ${report.contract}` +
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
