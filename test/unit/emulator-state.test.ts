// Emulator state is swept and capped: expired entries go as new ones arrive, and no map outgrows its cap.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpiringMap } from '../../src/core/emulator/expiringMap.ts';
import { FaultQueue, MAX_PENDING_FAULTS, parseFault } from '../../src/core/emulator/faults.ts';
import { AuthorizeSessions } from '../../src/core/emulator/authorizeSessions.ts';
import { JtiStore } from '../../src/core/emulator/clientAssertion.ts';

describe('ExpiringMap', () => {
  test('expired entries are gone on read and swept on insert', () => {
    let now = 1_000;
    const m = new ExpiringMap<string>({ maxEntries: 100, now: () => now });
    m.set('a', 'A', 1_500);
    m.set('b', 'B', 3_000);
    assert.equal(m.get('a'), 'A');
    now = 2_000;
    assert.equal(m.get('a'), undefined);
    m.set('c', 'C', 5_000);
    assert.equal(m.size, 2, 'a swept');
    now = 4_000;
    m.set('d', 'D', 9_000);
    assert.deepEqual(m.values(), ['C', 'D']);
  });
  test('take is single use', () => {
    const m = new ExpiringMap<number>({ maxEntries: 10 });
    m.set('k', 1, Date.now() + 60_000);
    assert.equal(m.take('k'), 1);
    assert.equal(m.take('k'), undefined);
  });
  test('never grows past its cap: the oldest go first', () => {
    const m = new ExpiringMap<number>({ maxEntries: 1000 });
    for (let i = 0; i < 50_000; i++) m.set(`k${i}`, i, Date.now() + 3_600_000);
    assert.equal(m.size, 1000);
    assert.equal(m.get('k49999'), 49_999);
    assert.equal(m.get('k0'), undefined);
  });
  test('a full sweep also finds expired entries behind a long-lived one', () => {
    let now = 0;
    const m = new ExpiringMap<number>({ maxEntries: 100_000, now: () => now });
    m.set('long', 0, 1_000_000);
    for (let i = 0; i < 1000; i++) m.set(`short${i}`, i, 10);
    now = 100;
    for (let i = 0; i < 1000; i++) m.set(`fresh${i}`, i, 1_000_000);
    assert.ok(m.size <= 1001 + 64, `expired short entries swept (size ${m.size})`);
  });
});

describe('emulator stores', () => {
  test('pending sign-ins are capped', () => {
    const s = new AuthorizeSessions();
    for (let i = 0; i < 30_000; i++)
      s.start({ apiKey: 'k', redirectUri: 'https://app.example/cb', clientState: `s${i}`, provider: 'cis2' });
    assert.ok(s.size <= 10_000, String(s.size));
  });
  test('a jti is remembered while its assertion could still be replayed, then forgotten', () => {
    const store = new JtiStore();
    const nowS = Date.now() / 1000;
    store.remember('k', 'live', nowS + 300);
    store.remember('k', 'long-gone', nowS - 3600);
    assert.equal(store.has('k', 'live'), true);
    assert.equal(store.has('k', 'long-gone'), false);
  });
  test('faults are looked up by path, expire, and are capped', () => {
    let now = 0;
    const q = new FaultQueue(() => now);
    q.add(parseFault({ path: '/a', count: 2, status: 503 }));
    q.add(parseFault({ path: '/b', status: 500 }));
    assert.equal(q.take('/c'), undefined);
    assert.equal(q.take('/a')?.status, 503);
    assert.equal(q.take('/a')?.status, 503);
    assert.equal(q.take('/a'), undefined);
    assert.equal(q.size, 1);
    now = 2 * 3_600_000;
    assert.equal(q.take('/b'), undefined, 'an unused fault expires after an hour');
    for (let i = 0; i < MAX_PENDING_FAULTS; i++) q.add(parseFault({ path: `/p${i}`, status: 500 }));
    assert.throws(() => q.add(parseFault({ path: '/one-too-many', status: 500 })), /at most 1000 faults/);
    q.clear();
    assert.equal(q.size, 0);
  });
});
