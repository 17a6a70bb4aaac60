import { describe, expect, it } from 'vitest';
import { resumeKey, resumeStore } from './resume-store.js';

/** An in-memory Storage. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  };
}

describe('resumeStore', () => {
  it('should keep a cursor per role and region', () => {
    const storage = memoryStorage();
    resumeStore(storage, 'city', '110105').saveCursor('abc');
    expect(resumeStore(storage, 'city', '110105').cursor()).toBe('abc');
    expect(resumeStore(storage, 'province', '110000').cursor()).toBeNull();
    expect(storage.getItem(`${resumeKey('city', '110105')}.cursor`)).toBe('abc');
  });

  it('should forget a dropped cursor', () => {
    const store = resumeStore(memoryStorage(), 'city', '110105');
    store.saveCursor('abc');
    store.dropCursor();
    expect(store.cursor()).toBeNull();
  });

  it('should read back the log it saved and an unreadable one as empty', () => {
    const storage = memoryStorage();
    const store = resumeStore(storage, 'city', '110105');
    const line = {
      cursor: 'c1',
      kind: 'PLANNED' as const,
      at: 'a',
      tripId: 'T1',
      vehicleCode: 'V',
      stopName: null,
      receivedAt: 'r',
    };
    store.saveLog([line]);
    expect(store.log()).toEqual([line]);
    storage.setItem(`${resumeKey('city', '110105')}.log`, '{not json');
    expect(store.log()).toEqual([]);
  });

  it('should keep nothing when the storage refuses', () => {
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    } as unknown as Storage;
    const store = resumeStore(refusing, 'city', '110105');
    store.saveCursor('abc');
    expect([store.cursor(), store.log()]).toEqual([null, []]);
  });
});
