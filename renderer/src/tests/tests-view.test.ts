import { describe, it, expect } from 'vitest';
import { sides } from './diff-sides';
import { stateChange } from './tests-store';

describe('diff sides', () => {
  it('puts each mismatch under its path, leaving a key out where a side has nothing', () => {
    const { expected, actual } = sides([
      { path: 'result.status', expected: 201, actual: 200, message: '' },
      { path: 'requests[1]', expected: { url: 'https://x.example.com/' }, message: '' },
      { path: 'requests[2]', actual: { method: 'GET' }, message: '' },
    ]);
    expect(JSON.parse(expected)).toEqual({ 'result.status': 201, 'requests[1]': { url: 'https://x.example.com/' } });
    expect(JSON.parse(actual)).toEqual({ 'result.status': 200, 'requests[2]': { method: 'GET' } });
  });
});

describe('stateChange', () => {
  const result = (status: 'passed' | 'failed') => ({ file: 'f', name: 'f', status, mismatches: [], outcome: null, durationMs: 0 });
  it('tells fixed and broken cases from unchanged and first runs', () => {
    expect(stateChange({ results: { f: result('passed') }, previous: { f: 'failed' } }, 'f')).toBe('fixed');
    expect(stateChange({ results: { f: result('failed') }, previous: { f: 'passed' } }, 'f')).toBe('broke');
    expect(stateChange({ results: { f: result('failed') }, previous: { f: 'failed' } }, 'f')).toBeNull();
    expect(stateChange({ results: { f: result('passed') }, previous: {} }, 'f')).toBeNull();
    expect(stateChange({ results: {}, previous: {} }, 'f')).toBeNull();
  });
});
