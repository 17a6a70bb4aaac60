import { describe, expect, it } from 'vitest';
import { choiceFromEnv, developmentMode, integerSetting } from './settings.js';

describe('the one integer setting reader', () => {
  it('should read absent, numbers and decimal strings within the bounds, and name the setting otherwise', () => {
    expect(integerSetting(undefined, 'PORT')).toBeUndefined();
    expect(integerSetting('', 'PORT')).toBeUndefined();
    expect(integerSetting('4000', 'PORT', { max: 65_535 })).toBe(4000);
    expect(integerSetting(12, 'port')).toBe(12);
    for (const bad of ['soon', '1e3', '0x10', '4.5', '-1', '70000'])
      expect(() => integerSetting(bad, 'PORT', { max: 65_535 }), bad).toThrow(
        `PORT must be an integer from 0 to 65535; got "${bad}"`,
      );
  });
});

describe('the development switch (#11.12)', () => {
  it('should be on only with P2P_DEV=1 or --dev, never by default or from NODE_ENV', () => {
    expect(developmentMode({}, [])).toBe(false);
    expect(developmentMode({ NODE_ENV: 'development' }, [])).toBe(false);
    expect(developmentMode({ P2P_DEV: 'true' }, [])).toBe(false);
    expect(developmentMode({ P2P_DEV: '1' }, [])).toBe(true);
    expect(developmentMode({}, ['node', 'main.ts', '--dev'])).toBe(true);
    expect(() => developmentMode({ P2P_DEV: '1', NODE_ENV: 'production' }, [])).toThrow(
      'P2P_DEV=1 / --dev is refused when NODE_ENV=production',
    );
  });
});

describe('the word setting reader', () => {
  const choices = ['current', 'previous'] as const;
  it('should give undefined when absent or empty, and the word when it is one of the choices', () => {
    expect(choiceFromEnv('SERVED_CONTRACT', choices, {})).toBeUndefined();
    expect(choiceFromEnv('SERVED_CONTRACT', choices, { SERVED_CONTRACT: ' ' })).toBeUndefined();
    expect(choiceFromEnv('SERVED_CONTRACT', choices, { SERVED_CONTRACT: 'previous' })).toBe('previous');
  });

  it('should refuse any other word, naming the setting and the choices', () => {
    expect(() => choiceFromEnv('SERVED_CONTRACT', choices, { SERVED_CONTRACT: 'Previous' })).toThrow(
      'SERVED_CONTRACT must be one of current, previous; got "Previous"',
    );
  });
});
