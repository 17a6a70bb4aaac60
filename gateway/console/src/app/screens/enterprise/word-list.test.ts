import { describe, expect, it } from 'vitest';
import { wordList } from './word-list.js';

describe('wordList', () => {
  it('should split on commas of either width, semicolons, enumeration commas and spaces', () => {
    expect(wordList(' 410000, 450200，411602 ;110000')).toEqual(['410000', '450200', '411602', '110000']);
    expect(wordList('焊工、电工')).toEqual(['焊工', '电工']);
  });

  it('should drop empty and repeated items', () => {
    expect(wordList(' , ,')).toEqual([]);
    expect(wordList('410000 410000')).toEqual(['410000']);
  });
});
