import { describe, expect, it } from 'vitest';
import { nameFromLabel, settingDescriptionProblem, settingLabelProblem, settingNameProblem } from './setting-name';

describe('nameFromLabel', () => {
  it('camelCases the words of a label', () => {
    expect(nameFromLabel('API Key')).toBe('apiKey');
    expect(nameFromLabel('Endpoint URL')).toBe('endpointUrl');
    expect(nameFromLabel('Endpoint URL (EU)')).toBe('endpointUrlEu');
    expect(nameFromLabel('  send   events?  ')).toBe('sendEvents');
  });

  it('keeps existing camelCase words apart and strips accents', () => {
    expect(nameFromLabel('myApiKey')).toBe('myApiKey');
    expect(nameFromLabel('Clé secrète')).toBe('cleSecrete');
  });

  it('gives an identifier for a leading digit and nothing for a label without letters', () => {
    expect(nameFromLabel('2nd region')).toBe('_2ndRegion');
    expect(nameFromLabel('')).toBe('');
    expect(nameFromLabel('!!! ???')).toBe('');
  });

  it('generates names the validator accepts', () => {
    for (const label of ['API Key', 'Endpoint URL (EU)', '2nd region', 'x', 'Über-Cool Setting #3']) {
      expect(settingNameProblem(nameFromLabel(label), [])).toBeNull();
    }
  });

  it('caps the length at 100 characters', () => {
    expect(nameFromLabel('word '.repeat(60))).toHaveLength(100);
  });
});

describe('settingNameProblem', () => {
  it('accepts JavaScript identifiers', () => {
    expect(settingNameProblem('apiKey', [])).toBeNull();
    expect(settingNameProblem('_private', [])).toBeNull();
    expect(settingNameProblem('$x9', [])).toBeNull();
  });

  it('names each problem', () => {
    expect(settingNameProblem('', [])).toMatch(/Name is required/);
    expect(settingNameProblem('api key', [])).toMatch(/JavaScript identifier/);
    expect(settingNameProblem('api-key', [])).toMatch(/no spaces or dashes/);
    expect(settingNameProblem('9lives', [])).toMatch(/must not start with a digit/);
    expect(settingNameProblem('a'.repeat(101), [])).toMatch(/too long/);
  });

  it('rejects a name another setting has', () => {
    expect(settingNameProblem('apiKey', ['endpoint', 'apiKey'])).toBe('Another setting is already named “apiKey”; names must be unique.');
    expect(settingNameProblem('apiKey', ['apikey'])).toBeNull();
  });
});

describe('label and description', () => {
  it('requires a visible label of at most 200 characters', () => {
    expect(settingLabelProblem('API Key')).toBeNull();
    expect(settingLabelProblem('   ')).toBe('Label is required.');
    expect(settingLabelProblem('x'.repeat(201))).toMatch(/too long/);
  });

  it('limits the description', () => {
    expect(settingDescriptionProblem('')).toBeNull();
    expect(settingDescriptionProblem('d'.repeat(2001))).toMatch(/too long/);
  });
});
