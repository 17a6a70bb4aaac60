import { describe, expect, it } from 'vitest';
import { boardingRefusal, type GateRecord } from './boarding-gate.js';

const DEFAULTS = { feverThreshold: 37.3, nucleicAcidValidDays: 0 };
/** Departs at 07:00 China Standard Time on 2020-02-20 (23:00 UTC the day before). */
const DEPARTURE = new Date('2020-02-20T07:00:00+08:00');

const green = (over: Partial<GateRecord> = {}): GateRecord => ({
  code: 'GREEN',
  checkedAt: new Date('2020-02-18T09:00:00+08:00'),
  validUntil: new Date('2020-02-25T09:00:00+08:00'),
  nucleicAcid: 'NOT_TESTED',
  testedAt: null,
  source: 'OFFICER',
  ...over,
});

const judge = (temperature: number | undefined, record: GateRecord | null, settings = DEFAULTS) =>
  boardingRefusal({ temperature, record }, DEPARTURE, settings);

describe('the boarding gate', () => {
  it('should board a passenger with a GREEN officer record valid on the day and no fever', () => {
    expect(judge(36.5, green())).toBeNull();
    expect(judge(36.5, green({ source: 'PLATFORM' }))).toBeNull();
  });

  it('should refuse a passenger not presented as ABSENT, whatever his record', () => {
    expect(judge(undefined, green())).toBe('ABSENT');
    expect(judge(undefined, null)).toBe('ABSENT');
  });

  it('should refuse a temperature at or above the threshold as FEVER, before the record', () => {
    expect(judge(37.3, green())).toBe('FEVER');
    expect(judge(38.1, green())).toBe('FEVER');
    expect(judge(37.2, green())).toBeNull();
    expect(judge(38.1, null)).toBe('FEVER');
    expect(judge(38.1, green({ code: 'RED' }))).toBe('FEVER');
  });

  it('should follow the province threshold', () => {
    expect(judge(37.0, green(), { ...DEFAULTS, feverThreshold: 37.0 })).toBe('FEVER');
    expect(judge(37.4, green(), { ...DEFAULTS, feverThreshold: 37.5 })).toBeNull();
  });

  it('should refuse no record, or only a self-declared one, as NO_HEALTH_RECORD', () => {
    expect(judge(36.5, null)).toBe('NO_HEALTH_RECORD');
    expect(judge(36.5, green({ source: 'SELF' }))).toBe('NO_HEALTH_RECORD');
  });

  it('should refuse a YELLOW or RED code as HEALTH_CODE', () => {
    expect(judge(36.5, green({ code: 'YELLOW' }))).toBe('HEALTH_CODE');
    expect(judge(36.5, green({ code: 'RED' }))).toBe('HEALTH_CODE');
  });

  it('should judge validity by the departure day in China Standard Time', () => {
    // valid until 01:00 CST on the day: still valid on the day
    expect(judge(36.5, green({ validUntil: new Date('2020-02-20T01:00:00+08:00') }))).toBeNull();
    // valid until 23:59 CST the day before (15:59 UTC on the 19th): expired
    expect(judge(36.5, green({ validUntil: new Date('2020-02-19T23:59:00+08:00') }))).toBe('HEALTH_CODE');
    // checked later on the departure day: valid on the day
    expect(judge(36.5, green({ checkedAt: new Date('2020-02-20T18:00:00+08:00') }))).toBeNull();
    // checked the day after the departure: it says nothing of the day
    expect(
      judge(
        36.5,
        green({
          checkedAt: new Date('2020-02-21T08:00:00+08:00'),
          validUntil: new Date('2020-02-28T08:00:00+08:00'),
        }),
      ),
    ).toBe('HEALTH_CODE');
  });

  it('should not use the UTC day (23:00 UTC on the 19th is the 20th in China)', () => {
    // valid until 2020-02-19 20:00 UTC = 2020-02-20 04:00 CST: valid on the CST day
    expect(judge(36.5, green({ validUntil: new Date('2020-02-19T20:00:00Z') }))).toBeNull();
    // valid until 2020-02-19 15:00 UTC = 23:00 CST on the 19th: expired though the same UTC day
    expect(judge(36.5, green({ validUntil: new Date('2020-02-19T15:00:00Z') }))).toBe('HEALTH_CODE');
  });

  describe('with a nucleic-acid requirement', () => {
    const SEVEN = { ...DEFAULTS, nucleicAcidValidDays: 7 };
    const tested = (at: string, result: GateRecord['nucleicAcid'] = 'NEGATIVE') =>
      green({ nucleicAcid: result, testedAt: new Date(at) });

    it('should board with a negative test taken within the days before departure', () => {
      expect(judge(36.5, tested('2020-02-19T10:00:00+08:00'), SEVEN)).toBeNull();
      expect(judge(36.5, tested('2020-02-13T00:30:00+08:00'), SEVEN)).toBeNull();
      expect(judge(36.5, tested('2020-02-20T06:00:00+08:00'), SEVEN)).toBeNull();
    });

    it('should refuse a test older than the days allowed as HEALTH_CODE', () => {
      expect(judge(36.5, tested('2020-02-12T23:00:00+08:00'), SEVEN)).toBe('HEALTH_CODE');
      expect(
        judge(36.5, tested('2020-02-19T10:00:00+08:00'), { ...DEFAULTS, nucleicAcidValidDays: 0 }),
      ).toBeNull();
      expect(judge(36.5, tested('2020-02-18T10:00:00+08:00'), { ...DEFAULTS, nucleicAcidValidDays: 1 })).toBe(
        'HEALTH_CODE',
      );
    });

    it('should refuse a result other than NEGATIVE, or none, as HEALTH_CODE', () => {
      expect(judge(36.5, tested('2020-02-19T10:00:00+08:00', 'POSITIVE'), SEVEN)).toBe('HEALTH_CODE');
      expect(judge(36.5, tested('2020-02-19T10:00:00+08:00', 'PENDING'), SEVEN)).toBe('HEALTH_CODE');
      expect(judge(36.5, green(), SEVEN)).toBe('HEALTH_CODE');
      expect(judge(36.5, green({ nucleicAcid: 'NEGATIVE', testedAt: null }), SEVEN)).toBe('HEALTH_CODE');
    });

    it('should refuse a test taken after the departure day', () => {
      expect(judge(36.5, tested('2020-02-21T08:00:00+08:00'), SEVEN)).toBe('HEALTH_CODE');
    });

    it('should still refuse a fever or a bad code first', () => {
      expect(judge(37.5, tested('2020-02-19T10:00:00+08:00'), SEVEN)).toBe('FEVER');
      expect(judge(36.5, { ...tested('2020-02-19T10:00:00+08:00'), code: 'YELLOW' }, SEVEN)).toBe(
        'HEALTH_CODE',
      );
      expect(judge(36.5, { ...tested('2020-02-19T10:00:00+08:00'), source: 'SELF' }, SEVEN)).toBe(
        'NO_HEALTH_RECORD',
      );
    });
  });
});
