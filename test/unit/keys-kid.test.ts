import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kidProblem, nextKid } from '../../src/core/keys/kid.ts';

test('nextKid starts at 1 and follows the highest ever used', () => {
  assert.equal(nextKid('test', []), 'test-1');
  assert.equal(nextKid('prod', []), 'prod-1');
  assert.equal(nextKid('test', ['test-1', 'test-2']), 'test-3');
  // Deleted keys stay in the history, so gaps are never refilled.
  assert.equal(nextKid('test', ['test-1', 'test-7', 'test-3']), 'test-8');
  assert.equal(nextKid('prod', ['test-5', 'prod-2', 'my-key']), 'prod-3');
  assert.equal(nextKid('test', ['test-01']), 'test-2');
  assert.equal(nextKid('test', ['test-x', 'testing-4']), 'test-1');
});

test('kidProblem accepts plain KIDs and rejects path-like or empty ones', () => {
  assert.equal(kidProblem('test-1'), undefined);
  assert.equal(kidProblem('prod_2.a'), undefined);
  assert.match(kidProblem('') ?? '', /empty/);
  assert.ok(kidProblem('../etc/passwd'));
  assert.ok(kidProblem('a b'));
  assert.ok(kidProblem('x'.repeat(65)));
});
