import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInspectorModel } from '../../src/core/inspector/inspectorModel.ts';
import {
  isInspectorModel,
  parseHostMessage,
  parsePanelState,
  parseWebviewMessage,
  whyModelRefused,
} from '../../src/core/inspector/protocol.ts';

const now = 1_763_000_000_000;
const model = buildInspectorModel(
  {
    profileId: 'p1',
    grant: 'client_credentials',
    identityProvider: 'none',
    tokenUrl: 'http://127.0.0.1:1/token',
    accessToken: 'opaqueopaqueopaque1234',
    tokenType: 'Bearer',
    issuedAt: now,
    accessTokenExpiresAt: now + 599_000,
    clockSkewMs: 0,
    responseKeys: ['access_token'],
  },
  { now },
);

describe('webview → host messages', () => {
  test('valid messages pass and are copied without extra fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'refresh', profileId: 'p1', x: 'y' }), {
      type: 'action',
      action: 'refresh',
      profileId: 'p1',
    });
    assert.deepEqual(
      parseWebviewMessage({
        type: 'rendered',
        mode: 'session',
        title: 't',
        text: 'abc',
        refreshCount: 2,
        countdowns: [{ id: 'access', level: 'warning' }],
      }),
      {
        type: 'rendered',
        mode: 'session',
        title: 't',
        text: 'abc',
        refreshCount: 2,
        countdowns: [{ id: 'access', level: 'warning' }],
      },
    );
  });

  test('anything else is rejected', () => {
    for (const bad of [
      null,
      undefined,
      'ready',
      42,
      [],
      {},
      { type: 'nope' },
      { type: 'action', action: 'deleteEverything', profileId: 'p1' },
      { type: 'action', action: 'refresh' },
      { type: 'action', action: 'refresh', profileId: '' },
      { type: 'action', action: 'refresh', profileId: 'x'.repeat(500) },
      { type: 'rendered', mode: 'session', title: 't', text: 1, countdowns: [] },
      {
        type: 'rendered',
        mode: 'session',
        title: 't',
        text: 'a',
        countdowns: [{ id: 'access', level: 'boom' }],
      },
      { type: 'rendered', mode: 'weird', title: 't', text: 'a', countdowns: [] },
      { type: 'rendered', mode: 'session', title: 't', text: 'a', refreshCount: 'NaN', countdowns: [] },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('host → webview messages', () => {
  test('a model message with its state', () => {
    const msg = {
      type: 'model',
      model,
      state: { version: 1, mode: 'session', profileId: 'p1', followActive: false },
    };
    assert.deepEqual(parseHostMessage(msg), msg);
  });

  test('models with wrong shapes are rejected', () => {
    const state = { version: 1, mode: 'session', followActive: true };
    assert.equal(parseHostMessage({ type: 'model', model: { ...model, version: 2 }, state }), undefined);
    assert.equal(
      parseHostMessage({
        type: 'model',
        model: { ...model, countdowns: [{ id: 'access', label: 'x', expiresAt: 'soon', warnAtMs: 1 }] },
        state,
      }),
      undefined,
    );
    assert.equal(
      parseHostMessage({ type: 'model', model: { ...model, actions: ['rm -rf'] }, state }),
      undefined,
    );
    assert.equal(
      parseHostMessage({ type: 'model', model: { ...model, tokens: [{ role: 'access' }] }, state }),
      undefined,
    );
    assert.equal(parseHostMessage({ type: 'model', model }), undefined);
    assert.equal(
      isInspectorModel({ ...model, facts: new Array(2000).fill({ label: 'a', value: 'b' }) }),
      false,
    );
  });

  test('an oversized model is refused with a reason the page shows (not "Loading…" for ever)', () => {
    const state = { version: 1, mode: 'session', followActive: true };
    const big = {
      type: 'model',
      model: { ...model, facts: new Array(2000).fill({ label: 'a', value: 'b' }) },
      state,
    };
    assert.equal(parseHostMessage(big), undefined);
    assert.match(whyModelRefused(big) ?? '', /too large to show/);
    assert.match(
      whyModelRefused({ type: 'model', model: { ...model, version: 2 }, state }) ?? '',
      /not in the expected shape/,
    );
    assert.equal(whyModelRefused({ type: 'somethingElse' }), undefined);
  });

  test('actionState', () => {
    assert.deepEqual(
      parseHostMessage({ type: 'actionState', action: 'refresh', state: 'failed', message: 'boom' }),
      { type: 'actionState', action: 'refresh', state: 'failed', message: 'boom' },
    );
    assert.equal(parseHostMessage({ type: 'actionState', action: 'refresh', state: 'maybe' }), undefined);
  });
});

describe('panel state', () => {
  test('session and decoded states round-trip; others are dropped', () => {
    assert.deepEqual(parsePanelState({ version: 1, mode: 'session', followActive: true }), {
      version: 1,
      mode: 'session',
      followActive: true,
    });
    assert.deepEqual(parsePanelState({ version: 1, mode: 'session', profileId: 'p', followActive: false }), {
      version: 1,
      mode: 'session',
      profileId: 'p',
      followActive: false,
    });
    const decoded = { ...model, mode: 'decoded' as const };
    assert.deepEqual(parsePanelState({ version: 1, mode: 'decoded', model: decoded }), {
      version: 1,
      mode: 'decoded',
      model: decoded,
    });
    assert.equal(parsePanelState({ version: 1, mode: 'decoded', model }), undefined); // a session model is not a decoded state
    assert.equal(parsePanelState(undefined), undefined);
    assert.equal(parsePanelState({ version: 0, mode: 'session', followActive: true }), undefined);
  });
});
