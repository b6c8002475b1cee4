import { describe, expect, test } from 'vitest';
import { parseClientMessage } from '../../../../main/harness/client-message';
import { isOwnHost, isOwnOrigin, upgradeAllowed } from '../../../../main/harness/origin';
import { decodePath } from '../../../../main/security/url-path';

describe('parseClientMessage', () => {
  test('forwards only what the schema parsed: unknown keys (and their nesting) are gone', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const parsed = parseClientMessage(`{"type":"cancel","id":"a","extra":${deep}}`);
    expect(parsed).toEqual({ ok: true, value: { type: 'cancel', id: 'a' } });
  });

  test('invalid messages that name a job are answered; others are ignored', () => {
    const deep = `${'['.repeat(6_000)}${']'.repeat(6_000)}`;
    const bad = parseClientMessage(`{"type":"job","id":"x","request":${deep}}`);
    expect(bad).toMatchObject({ ok: false, reply: { type: 'error', id: 'x', error: { kind: 'invalid-request', message: expect.stringMatching(/^Invalid renderer -> host message: request/) } } });
    expect(parseClientMessage('not json')).toEqual({ ok: false });
    expect(parseClientMessage(undefined)).toEqual({ ok: false });
    expect(parseClientMessage(JSON.stringify({ type: 'job', id: 'y'.repeat(200) }))).toEqual({ ok: false });
  });
});

describe('origin and host checks', () => {
  test('exact origins of this port only', () => {
    expect(isOwnOrigin('http://127.0.0.1:5780', 5780)).toBe(true);
    expect(isOwnOrigin('http://localhost:5780', 5780)).toBe(true);
    for (const o of ['http://127.0.0.1:5781', 'http://localhost', 'https://127.0.0.1:5780', 'null', 'http://127.0.0.1:5780/', undefined]) expect(isOwnOrigin(o, 5780)).toBe(false);
    expect(isOwnHost('127.0.0.1:5780', 5780)).toBe(true);
    expect(isOwnHost('evil.example:5780', 5780)).toBe(false);
  });

  test('upgrades: path, host and origin', () => {
    const ok = { host: '127.0.0.1:1', origin: 'http://127.0.0.1:1' };
    expect(upgradeAllowed('/ws', ok, 1)).toEqual({ ok: true });
    expect(upgradeAllowed('/other', ok, 1)).toMatchObject({ ok: false, status: 404 });
    expect(upgradeAllowed('/ws', { host: ok.host }, 1)).toMatchObject({ ok: false, status: 403, reason: 'origin not allowed' });
    expect(upgradeAllowed('/ws', { ...ok, host: 'x:1' }, 1)).toMatchObject({ ok: false, status: 403, reason: 'host not allowed' });
  });

  test('decodePath never throws', () => {
    expect(decodePath('a%20b')).toBe('a b');
    expect(decodePath('%')).toBeUndefined();
    expect(decodePath('%E0%A4%A')).toBeUndefined();
  });
});
