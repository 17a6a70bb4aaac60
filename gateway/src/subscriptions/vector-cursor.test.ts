import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import {
  decodeVectorCursor,
  decodeVectorCursorWithEpochs,
  encodeVectorCursor,
  MAX_CURSOR_LENGTH,
} from './vector-cursor.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the vector cursor', () => {
  it('round-trips per-province positions as base64url JSON, provinces in code order', () => {
    const cursor = encodeVectorCursor(
      new Map([
        ['450000', 7],
        ['130000', 41],
      ]),
    );
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString())).toEqual({ 130000: 41, 450000: 7 });
    expect(Buffer.from(cursor, 'base64url').toString()).toBe('{"130000":41,"450000":7}');
    expect(decodeVectorCursor(cursor)).toEqual(
      new Map([
        ['130000', 41],
        ['450000', 7],
      ]),
    );
    expect(
      encodeVectorCursor(
        new Map([
          ['130000', 41],
          ['450000', 7],
        ]),
      ),
    ).toBe(cursor);
  });

  it('accepts the empty vector and position 0', () => {
    expect(decodeVectorCursor(encodeVectorCursor(new Map()))).toEqual(new Map());
    expect(decodeVectorCursor(b64({ 110000: 0 }))).toEqual(new Map([['110000', 0]]));
  });

  it('should carry each province its epoch, and read a cursor issued before epochs as positions alone', () => {
    const cursor = encodeVectorCursor(
      new Map([
        ['450000', 7],
        ['130000', 41],
      ]),
      new Map([['450000', 'c2f0']]),
    );
    expect(Buffer.from(cursor, 'base64url').toString()).toBe('{"130000":41,"450000":["c2f0",7]}');
    expect(decodeVectorCursorWithEpochs(cursor)).toEqual({
      positions: new Map([
        ['130000', 41],
        ['450000', 7],
      ]),
      epochs: new Map([['450000', 'c2f0']]),
    });
    expect(decodeVectorCursorWithEpochs(b64({ 130000: 41 })).epochs.size).toBe(0);
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['empty', ''],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ['a list', b64([['130000', 1]])],
    ['a number', b64(42)],
    ['a city instead of a province', b64({ 130100: 1 })],
    ['a code that is no province', b64({ 990000: 1 })],
    ['a negative position', b64({ 130000: -1 })],
    ['a fractional position', b64({ 130000: 1.5 })],
    ['a string position', b64({ 130000: '41' })],
    ['a position past 2^53', b64({ 130000: 2 ** 53 })],
    ['an epoch that is not a string', b64({ 130000: [7, 41] })],
    ['an epoch with a colon', b64({ 130000: ['a:b', 41] })],
    ['an epoch and no position', b64({ 130000: ['abc'] })],
    ['an epoch with a string position', b64({ 130000: ['abc', '41'] })],
    ['far too long', 'A'.repeat(MAX_CURSOR_LENGTH + 1)],
  ])('refuses %s with BAD_USER_INPUT naming the argument', (_, cursor) => {
    let error: unknown;
    try {
      decodeVectorCursor(cursor, 'after');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
