import { maskIdentifier } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { kitCallers } from '../runner.js';
import { kitRegions } from '../kit-regions.js';
import { listCases, maskedName, sightProblems } from './access.js';

const worker = {
  id: 'w1',
  name: '合规测试-run-1',
  idNumber: '450203199001011234',
  phone: '13900001111',
  homeRegion: '450203',
};
/** The worker as his home side sees him. */
const full = {
  id: 'w1',
  name: worker.name,
  idNumber: worker.idNumber,
  phone: worker.phone,
  status: 'AT_HOME',
  povertyStatus: 'NONE',
  health: { code: 'GREEN' },
  travelIntent: { destination: { code: '110101' } },
  trips: [],
};
const ministry = {
  ...full,
  idNumber: maskIdentifier(worker.idNumber),
  phone: maskIdentifier(worker.phone),
  povertyStatus: null,
  health: null,
};
const nothing = { ...ministry, name: maskedName(worker.name), travelIntent: null };

describe('what each caller sees of a worker (sightProblems)', () => {
  it('should accept each sight as the rules shape it', () => {
    expect(sightProblems('everything', worker, full)).toEqual([]);
    expect(sightProblems('ministry', worker, ministry)).toEqual([]);
    expect(sightProblems('nothing', worker, nothing)).toEqual([]);
  });

  it('should name an identifier shown in full to a caller who must see it masked', () => {
    expect(sightProblems('nothing', worker, { ...nothing, idNumber: worker.idNumber })).toEqual([
      expect.stringMatching(/^idNumber must be masked \(4502\*+1234/),
    ]);
    expect(sightProblems('ministry', worker, { ...ministry, phone: worker.phone })[0]).toMatch(
      /^phone must be masked/,
    );
  });

  it('should name health, poverty status and whereabouts shown to whom they are hidden', () => {
    expect(sightProblems('ministry', worker, { ...ministry, health: { code: 'GREEN' } })[0]).toMatch(
      /^health must be hidden/,
    );
    expect(sightProblems('nothing', worker, { ...nothing, povertyStatus: 'NONE' })[0]).toMatch(
      /^povertyStatus must be hidden/,
    );
    expect(sightProblems('nothing', worker, { ...nothing, travelIntent: full.travelIntent })[0]).toMatch(
      /^travelIntent must be hidden/,
    );
    expect(sightProblems('nothing', worker, { ...nothing, trips: [{ id: 't' }] })[0]).toMatch(
      /^trips must be hidden/,
    );
    expect(sightProblems('nothing', worker, { ...nothing, name: worker.name })[0]).toMatch(
      /^name must be masked/,
    );
  });

  it('should name what the home side must see but does not', () => {
    expect(sightProblems('everything', worker, ministry)).toEqual([
      expect.stringMatching(/^idNumber must be shown in full/),
      expect.stringMatching(/^phone must be shown in full/),
      expect.stringMatching(/^health must be shown/),
      expect.stringMatching(/^povertyStatus must be shown/),
    ]);
    expect(sightProblems('everything', worker, null)).toHaveLength(1);
  });

  it('should mask a name as the family name and one star per further character', () => {
    expect(maskedName('张三丰')).toBe('张**');
    expect(maskedName('李')).toBe('李*');
  });
});

describe('the list reads of access.list-scope', () => {
  it('should refuse every list outside the caller region and serve the home side its own', () => {
    const regions = kitRegions('450000');
    const cases = listCases({ callers: kitCallers(regions), regions, province: '450000' });
    const refused = cases.filter((c) => c.refused);
    expect(
      refused.some((c) => c.caller.region === regions.otherCity && c.variables.region === regions.testCity),
    ).toBe(true);
    expect(
      refused.every((c) => c.caller.role !== 'city' || !Object.values(c.variables).includes(c.caller.region)),
    ).toBe(true);
    expect(cases.filter((c) => !c.refused).map((c) => c.field)).toEqual([
      'workers',
      'workers',
      'workers',
      'refusedBoardings',
      'returnRequests',
    ]);
  });
});
