import { describe, expect, it } from 'vitest';
import { MAX_FURTHER_RUNS, shuttleRuns } from './shuttles.js';

const at = (hour: number) => new Date(Date.parse('2020-02-20T07:00:00+08:00') + hour * 3_600_000);
const run = (hour: number, hours = 10) => ({ departureAt: at(hour), expectedArrivalAt: at(hour + hours) });
const plan = (runs?: ReturnType<typeof run>[] | null) => ({ ...run(0), runs });

/** The field a refusal names. */
function refusedField(input: ReturnType<typeof plan>): string | undefined {
  try {
    shuttleRuns(input);
  } catch (error) {
    return (error as { extensions?: { field?: string } }).extensions?.field;
  }
  return undefined;
}

describe('shuttleRuns', () => {
  it('should give the first run alone without runs', () => {
    expect(shuttleRuns(plan())).toEqual([run(0)]);
    expect(shuttleRuns(plan(null))).toEqual([run(0)]);
    expect(shuttleRuns(plan([]))).toEqual([run(0)]);
  });

  it('should give every run, the first first, up to 60 further runs', () => {
    const further = Array.from({ length: MAX_FURTHER_RUNS }, (_, i) => run(24 * (i + 1)));
    expect(shuttleRuns(plan(further))).toEqual([run(0), ...further]);
    // Runs may overlap a run still on the road: only departures must increase.
    expect(shuttleRuns(plan([run(1)]))).toHaveLength(2);
  });

  it('should refuse more than 60 further runs, naming input.runs', () => {
    expect(refusedField(plan(Array.from({ length: 61 }, (_, i) => run(i + 1))))).toBe('input.runs');
  });

  it('should refuse a run not later than the one before, naming its departure', () => {
    expect(refusedField(plan([run(0)]))).toBe('input.runs[0].departureAt');
    expect(refusedField(plan([run(-24)]))).toBe('input.runs[0].departureAt');
    expect(refusedField(plan([run(24), run(72), run(48)]))).toBe('input.runs[2].departureAt');
    expect(refusedField(plan([run(24), run(24)]))).toBe('input.runs[1].departureAt');
  });

  it('should refuse a run expected before it departs, naming its arrival', () => {
    expect(refusedField(plan([run(24), run(48, -1)]))).toBe('input.runs[1].expectedArrivalAt');
    expect(shuttleRuns(plan([run(24, 0)]))).toHaveLength(2);
  });
});
