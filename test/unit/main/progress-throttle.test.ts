import { expect, test } from 'vitest';
import { ProgressThrottle } from '../../../main/inference/host/progress-throttle';

test('at most N plain and N preview messages a second; the final step always passes', () => {
  let now = 0;
  const throttle = new ProgressThrottle(10, () => now);
  const passed: string[] = [];
  for (let step = 1; step <= 1000; step++) {
    now = step; // 1000 steps in one second
    if (throttle.allow(step, 1000, false)) passed.push(`p${step}`);
    if (throttle.allow(step, 1000, true)) passed.push(`v${step}`);
  }
  expect(passed.filter((p) => p.startsWith('p'))).toHaveLength(11); // 10 a second + the last
  expect(passed.filter((p) => p.startsWith('v'))).toHaveLength(10);
  expect(passed).toContain('p1000');
  expect(throttle.dropped).toBe(2000 - passed.length);
});
