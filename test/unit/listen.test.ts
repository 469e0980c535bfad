import { describe, expect, it } from 'vitest';
import { boxed, chooseListenHost } from '../../src/server/listen.ts';

describe('where the server listens', () => {
  it('serves every interface when no demo account has its published password', () => {
    expect(chooseListenHost(undefined, [])).toEqual({ host: '0.0.0.0', warning: null });
    expect(chooseListenHost('10.0.0.5', [])).toEqual({ host: '10.0.0.5', warning: null });
  });

  it('serves this machine only while demo accounts have their published passwords, and says why', () => {
    const choice = chooseListenHost(undefined, ['admin', 'leader']);
    expect(choice.host).toBe('127.0.0.1');
    expect(choice.warning?.join(' ')).toMatch(/admin, leader.*README.*127\.0\.0\.1.*HOST=0\.0\.0\.0/);
    expect(chooseListenHost('  ', ['admin']).host).toBe('127.0.0.1');
  });

  it('obeys an explicit HOST, warning loudly when it exposes published passwords', () => {
    const exposed = chooseListenHost('0.0.0.0', ['admin']);
    expect(exposed.host).toBe('0.0.0.0');
    expect(exposed.warning?.[0]).toMatch(/^WARNING: HOST=0\.0\.0\.0 .*PUBLISHED/);
    expect(chooseListenHost('127.0.0.1', ['admin'])).toEqual({ host: '127.0.0.1', warning: null });
    expect(chooseListenHost('localhost', ['admin']).warning).toBeNull();
  });

  it('frames the warning so it stands out in a start-up log', () => {
    expect(boxed(['ab', 'abcd']).split('\n')).toEqual(['+------+', '| ab   |', '| abcd |', '+------+']);
  });
});
