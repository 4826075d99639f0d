import { describe, expect, it } from 'vitest';
import type { FunctionSetting } from '../../contract/function';
import {
  isEmptySettingValue,
  nameFromLabel,
  settingValueProblem,
  uniqueSettingName,
  validateSettingsSchema,
} from './schema';

const setting = (over: Partial<FunctionSetting> = {}): FunctionSetting => ({
  name: 'apiKey',
  label: 'API Key',
  description: '',
  type: 'STRING',
  required: false,
  sensitive: false,
  ...over,
});

describe('nameFromLabel', () => {
  it.each([
    ['API Key', 'apiKey'],
    ['Endpoint URL (EU)', 'endpointUrlEu'],
    ['  my-custom_setting  ', 'myCustomSetting'],
    ['Clé secrète', 'cleSecrete'],
    ['2nd endpoint', '_2ndEndpoint'],
    ['myApiKey', 'myApiKey'],
    ['!!!', 'setting'],
    ['', 'setting'],
  ])('%j → %s', (label, name) => {
    expect(nameFromLabel(label)).toBe(name);
    expect(name).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
  });

  it('makes names unique against existing ones', () => {
    expect(uniqueSettingName('apiKey', [])).toBe('apiKey');
    expect(uniqueSettingName('apiKey', ['apiKey', 'apiKey2'])).toBe('apiKey3');
  });
});

describe('validateSettingsSchema', () => {
  it('accepts a valid list and returns it', () => {
    const list = [setting(), setting({ name: 'flags', label: 'Flags', type: 'ARRAY' })];
    expect(validateSettingsSchema(list)).toBe(list);
  });

  it.each([
    [[setting({ name: 'not valid' })], /settings\[0\].*name.*not a valid setting name/],
    [[setting(), setting({ label: 'Other' })], /two settings named "apiKey"/],
    [[setting({ label: '' })], /settings\[0\].*label.*must not be empty/],
    [[setting({ type: 'NUMBER' as never })], /settings\[0\].*type.*must be one of "STRING", "BOOLEAN", "TEXT_MAP", "ARRAY"/],
    [[setting({ required: 'yes' as never })], /settings\[0\].*required.*true or false/],
    [{}, /settings must be an array/],
  ])('rejects %j with a message naming the problem', (value, message) => {
    expect(() => validateSettingsSchema(value, 'function.json')).toThrow(message);
    expect(() => validateSettingsSchema(value, 'function.json')).toThrow(/^function\.json: /);
  });
});

describe('settingValueProblem', () => {
  it('accepts values of each type', () => {
    expect(settingValueProblem('STRING', 'x')).toBeNull();
    expect(settingValueProblem('BOOLEAN', false)).toBeNull();
    expect(settingValueProblem('ARRAY', ['a', 'b'])).toBeNull();
    expect(settingValueProblem('TEXT_MAP', { a: 'b' })).toBeNull();
  });

  it('names the expected type and what was given', () => {
    expect(settingValueProblem('STRING', 42)).toBe('must be a string (STRING), got number');
    expect(settingValueProblem('BOOLEAN', 'true')).toBe('must be true or false (BOOLEAN), got a string');
    expect(settingValueProblem('ARRAY', ['a', 1])).toBe('must be an array of strings (ARRAY), got an array containing number');
    expect(settingValueProblem('ARRAY', 'a,b')).toBe('must be an array of strings (ARRAY), got a string');
    expect(settingValueProblem('TEXT_MAP', { a: 1 })).toBe('must be an object of string values (TEXT_MAP), got an object whose "a" is number');
    expect(settingValueProblem('TEXT_MAP', ['a'])).toBe('must be an object of string values (TEXT_MAP), got an array');
  });

  it('treats empty strings, lists and maps as not given', () => {
    expect(isEmptySettingValue('')).toBe(true);
    expect(isEmptySettingValue([])).toBe(true);
    expect(isEmptySettingValue({})).toBe(true);
    expect(isEmptySettingValue(false)).toBe(false);
    expect(isEmptySettingValue('x')).toBe(false);
  });
});
