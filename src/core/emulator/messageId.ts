// Apigee-shaped message ids, e.g. rrt-7130427900976519152-c-geu2-2278193-102922341-4.
import { randomInt } from 'node:crypto';

let sequence = 0;

export function newMessageId(): string {
  let digits = String(randomInt(1, 10));
  for (let i = 0; i < 18; i++) digits += String(randomInt(0, 10));
  sequence = (sequence + 1) % 1_000_000;
  return `rrt-${digits}-c-geu2-${randomInt(1_000_000, 9_999_999)}-${randomInt(100_000_000, 999_999_999)}-${(sequence % 9) + 1}`;
}
