import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Exchange } from './check-failure.js';
import {
  describeExchange,
  junitXml,
  maskPersonalText,
  redactExchange,
  reportJson,
  resultLines,
  summaryLines,
} from './report.js';
import type { CheckResult, ConformanceReport } from './runner.js';

const ID_NUMBER = '450102199003071234';
const PHONE = '13912345678';
const NAME = '张三丰';

function report(results: CheckResult[], run: Partial<ConformanceReport> = {}): ConformanceReport {
  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const r of results) counts[r.status] += 1;
  return {
    kit: 'p2p-conformance',
    contract: '1.1',
    province: '450000',
    url: 'http://127.0.0.1:4100',
    readOnly: false,
    seed: 42,
    runId: '20200210-abcdef',
    startedAt: '2020-02-10T08:00:00.000Z',
    finishedAt: '2020-02-10T08:00:01.500Z',
    durationMs: 1500,
    passed: counts.fail === 0 && counts.pass > 0,
    signed: true,
    only: null,
    complete: true,
    counts,
    results,
    ...run,
  };
}

/** A failing answer from a service that leaks a person's record (in data, and in an error's message). */
const leakingExchange: Exchange = {
  subgraph: 'workers',
  query: `query Leak($id: ID!) { worker(id: $id) { idNumber phone name healthCode { code } homeRegion { code } } }`,
  variables: { id: 'W450000x', input: { idNumber: ID_NUMBER, phone: PHONE, name: NAME } },
  caller: 'city:450100',
  status: 200,
  answer: {
    data: {
      worker: {
        idNumber: ID_NUMBER,
        phone: PHONE,
        name: NAME,
        healthCode: { code: 'RED' },
        homeRegion: { code: '450102' },
      },
    },
    errors: [
      {
        message: `resident ${ID_NUMBER} (phone ${PHONE}) belongs to another province`,
        extensions: { code: 'WRONG_PROVINCE' },
      },
    ],
  },
};

const failing: CheckResult = {
  id: 'access.read-masking',
  title: 'a city officer reads masked values',
  status: 'fail',
  durationMs: 12,
  message: `expected idNumber masked, got ${ID_NUMBER}`,
  exchange: leakingExchange,
};

const unmasked = [ID_NUMBER, PHONE, NAME];

describe('report masking of personal values', () => {
  it('should mask idNumber, phone, name and health code values of the exchange but keep region and error codes', () => {
    const safe = redactExchange(leakingExchange) as { answer: { data: { worker: Record<string, unknown> } } };
    const worker = safe.answer.data.worker;
    expect(worker.idNumber).toBe('4***4');
    expect(worker.phone).toBe('1***8');
    expect(worker.name).not.toBe(NAME);
    expect(worker.healthCode).toEqual({ code: '***' });
    expect(worker.homeRegion).toEqual({ code: '450102' });
    expect(JSON.stringify(safe)).toContain('WRONG_PROVINCE');
  });

  it('should hide whole every value of a few-valued word, a number or a boolean under a personal key', () => {
    const answer = {
      health: {
        code: 'GREEN',
        nucleicAcid: 'NEGATIVE',
        temperature: 38.6,
        institution: '南宁市第一人民医院',
      },
      passengers: [{ arrivalTemperature: 37.9, povertyStatus: 'REGISTERED_POOR' }],
    };
    const safe = JSON.stringify(redactExchange({ ...leakingExchange, answer }).answer);
    for (const value of ['GREEN', 'NEGATIVE', '38.6', '37.9', 'REGISTERED_POOR', '第一人民'])
      expect(safe).not.toContain(value);
    expect(safe).toContain('"temperature":"***"');
  });

  it('should mask phone numbers written with +86 or spaces, and 15-digit resident IDs, inside any text', () => {
    for (const text of [
      'call +8613812345678 now',
      'call 138 1234 5678 now',
      'call 138-1234-5678 now',
      'id 450102800101123 here',
    ])
      expect(maskPersonalText(text), text).not.toMatch(/\d{4}[\s-]?\d{4}\b/);
  });

  it('should print no personal value in the report lines of a failure', () => {
    const text = resultLines(failing).join('\n');
    expect(text).toContain('FAIL  access.read-masking');
    expect(text).toContain('request: city:450100 → workers');
    expect(text).toContain('WRONG_PROVINCE');
    for (const value of unmasked) expect(text).not.toContain(value);
  });

  it('should put no personal value in the JUnit XML', () => {
    const xml = junitXml(report([failing]));
    for (const value of unmasked) expect(xml).not.toContain(value);
    expect(xml).toContain('WRONG_PROVINCE');
  });

  it('should put no personal value in the JSON report', () => {
    const json = reportJson(report([failing]));
    for (const value of unmasked) expect(json).not.toContain(value);
    const parsed = JSON.parse(json) as ConformanceReport;
    expect(parsed.results[0]!.exchange!.answer).toMatchObject({
      data: { worker: { homeRegion: { code: '450102' } } },
    });
  });

  it('should mask a resident ID or phone number written into the query text itself', () => {
    const lines = describeExchange({
      ...leakingExchange,
      query: `{ workerByIdNumber(idNumber: "${ID_NUMBER}", phone: "${PHONE}") { id } }`,
      variables: {},
    });
    for (const value of [ID_NUMBER, PHONE]) expect(lines.join('\n')).not.toContain(value);
  });
});

describe('report as JUnit XML', () => {
  const nasty = `a <b> & "c" 'd' \u0001 ]]> end`;
  const results: CheckResult[] = [
    { id: 'schema.composes', title: 'composes', status: 'pass', durationMs: 340 },
    { id: 'ids.own-province', title: `title ${nasty}`, status: 'fail', durationMs: 5, message: nasty },
    { id: 'idempotency.same-key', title: 'same key', status: 'skip', durationMs: 0, message: nasty },
  ];
  const xml = junitXml(report(results));
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);

  it('should be well-formed XML whatever the messages carry', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('\u0001');
  });

  it('should count tests, failures and skips as the report does, one testcase per check in its group', () => {
    expect(parsed.testsuites).toMatchObject({ tests: '3', failures: '1', skipped: '1', time: '1.500' });
    const cases = [parsed.testsuites.testsuite.testcase].flat();
    expect(cases.map((c: { name: string; classname: string }) => [c.classname, c.name])).toEqual([
      ['p2p-conformance.schema', 'schema.composes'],
      ['p2p-conformance.ids', 'ids.own-province'],
      ['p2p-conformance.idempotency', 'idempotency.same-key'],
    ]);
  });

  it('should keep the failure message and the skip reason readable after escaping', () => {
    const cases = [parsed.testsuites.testsuite.testcase].flat();
    const readable = `a <b> & "c" 'd'  ]]> end`;
    expect(cases[1].failure.message.replace(/&apos;/g, "'")).toBe(readable);
    expect(cases[2].skipped.message.replace(/&apos;/g, "'")).toBe(readable);
  });
});

describe('report summary', () => {
  it('should say CONFORMS with the counts when nothing failed', () => {
    const [verdict, counts] = summaryLines(
      report([{ id: 'schema.composes', title: 't', status: 'pass', durationMs: 1 }]),
    );
    expect(verdict).toBe('CONFORMS: province 450000 at http://127.0.0.1:4100, contract 1.1');
    expect(counts).toBe('1 passed, 0 failed, 0 skipped in 1.5 s (seed 42, run 20200210-abcdef)');
  });

  it('should say DOES NOT CONFORM when a check failed', () => {
    expect(summaryLines(report([failing]))[0]).toMatch(/^DOES NOT CONFORM/);
  });

  it('should never say CONFORMS for a partial run (--only, or no key), even when all it ran passed', () => {
    const passing: CheckResult = { id: 'auth.unsigned-refused', title: 't', status: 'pass', durationMs: 1 };
    const unsigned = summaryLines(report([passing], { signed: false, complete: false }))[0];
    expect(unsigned).toMatch(
      /^PASSED A PARTIAL RUN \(no --token-key; not a conformance report the gateway accepts\)/,
    );
    const only = summaryLines(report([passing], { only: ['auth'], complete: false }))[0];
    expect(only).toMatch(/^PASSED A PARTIAL RUN \(--only;/);
  });
});
