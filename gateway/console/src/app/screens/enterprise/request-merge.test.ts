import { describe, expect, it } from 'vitest';
import { countByStatus, foldRequests, newestFiledFirst, type RequestsById } from './request-merge.js';

interface Row {
  id: string;
  filedAt: string;
  updatedAt: string;
  status: string;
}

const row = (id: string, updatedAt: string, status: string, filedAt = '2020-02-20T00:00:00Z'): Row => ({
  id,
  filedAt,
  updatedAt,
  status,
});

describe('foldRequests', () => {
  it('should keep one record per request, the newest by updatedAt', () => {
    const held = foldRequests(new Map(), [row('a', '2020-02-20T01:00:00Z', 'FILED')]);
    const next = foldRequests(held, [row('a', '2020-02-20T02:00:00Z', 'ARRANGED')]);
    expect(next.get('a')?.status).toBe('ARRANGED');
    expect(next.size).toBe(1);
  });

  it('should not let an older read (a list answered before an event) undo a newer record', () => {
    const held = foldRequests(new Map(), [row('a', '2020-02-20T02:00:00Z', 'ARRANGED')]);
    const next = foldRequests(held, [row('a', '2020-02-20T01:00:00Z', 'ACKNOWLEDGED')]);
    expect(next.get('a')?.status).toBe('ARRANGED');
    expect(next).toBe(held);
  });

  it('should let a later record of the same time win (a trip read later, its ETA changed)', () => {
    const first = { ...row('a', '2020-02-20T02:00:00Z', 'ARRANGED'), eta: '10:00' };
    const later = { ...row('a', '2020-02-20T02:00:00Z', 'ARRANGED'), eta: '11:00' };
    expect(foldRequests(foldRequests(new Map(), [first]), [later]).get('a')).toBe(later);
  });

  it('should return the same map when nothing is folded in', () => {
    const held: RequestsById<Row> = new Map([['a', row('a', '2020-02-20T02:00:00Z', 'FILED')]]);
    expect(foldRequests(held, [])).toBe(held);
  });
});

describe('newestFiledFirst', () => {
  it('should order by filedAt, newest first, then by id', () => {
    const held = foldRequests(new Map(), [
      row('b', '2020-02-21T00:00:00Z', 'FILED', '2020-02-20T00:00:00Z'),
      row('c', '2020-02-21T00:00:00Z', 'FILED', '2020-02-21T00:00:00Z'),
      row('a', '2020-02-21T00:00:00Z', 'FILED', '2020-02-20T00:00:00Z'),
    ]);
    expect(newestFiledFirst(held).map((r: Row) => r.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('countByStatus', () => {
  it('should count the requests of each status present', () => {
    expect(countByStatus([{ status: 'FILED' }, { status: 'ON_POST' }, { status: 'FILED' }])).toEqual({
      FILED: 2,
      ON_POST: 1,
    });
  });
});
