/**
 * Token and temperature schedules (formulas restated in the 4M reference §3.2).
 * A token schedule says how many tokens each step commits and sums to exactly
 * the number of positions to generate.
 */

/** Rounds half to even, like numpy.round, so golden values match. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Even split; larger chunks first; zero-sized steps dropped (so steps > n gives n steps of 1). */
export function linearSchedule(steps: number, n: number): number[] {
  checkArgs(steps, n);
  const stride = n / steps; // same float product as numpy.linspace(0, n, steps + 1)
  const out: number[] = [];
  let prev = 0;
  for (let i = 1; i <= steps; i++) {
    const edge = i === steps ? n : Math.floor(i * stride);
    out.push(edge - prev);
    prev = edge;
  }
  out.sort((a, b) => b - a);
  while (out.length > 0 && out[out.length - 1] === 0) out.pop();
  return out;
}

/**
 * Cosine split: k_i = round(n·(s_i − s_{i+1})) with s_i = ½(1 + cos(πi/steps)); the
 * last step takes the remainder. Zero-sized steps are kept (they are part of
 * the reference output, e.g. (50, 196) starts with 0). If rounding overshoots
 * (possible only for tiny n), the excess is taken back from the largest steps
 * so the schedule never goes negative and still sums to n.
 */
export function cosineSchedule(steps: number, n: number): number[] {
  checkArgs(steps, n);
  const s = (i: number): number => 0.5 * (1 + Math.cos((Math.PI * i) / steps));
  const out: number[] = [];
  let used = 0;
  for (let i = 0; i < steps - 1; i++) {
    const k = roundHalfEven(n * (s(i) - s(i + 1)));
    out.push(k);
    used += k;
  }
  out.push(n - used);
  let deficit = -(out[out.length - 1] as number);
  if (deficit > 0) {
    out[out.length - 1] = 0;
    while (deficit > 0) {
      let big = 0;
      for (let i = 1; i < out.length; i++) if ((out[i] as number) > (out[big] as number)) big = i;
      out[big] = (out[big] as number) - 1;
      deficit--;
    }
  }
  return out;
}

function checkArgs(steps: number, n: number): void {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be an integer >= 1, got ${steps}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`token count must be an integer >= 0, got ${n}`);
}

const MIN_TEMPERATURE = 1e-9;

/** Constant temperature for every step. */
export function constantTempSchedule(temperature: number, tokenSchedule: readonly number[]): number[] {
  return tokenSchedule.map(() => temperature);
}

/** t_0 = T; t_i = T·(1 − committed_before_i / n), floored at 1e-9. */
export function linearTempSchedule(temperature: number, tokenSchedule: readonly number[]): number[] {
  const n = sum(tokenSchedule);
  const out: number[] = [];
  let before = 0;
  for (const k of tokenSchedule) {
    out.push(Math.max(temperature * (1 - before / n), MIN_TEMPERATURE));
    before += k;
  }
  return out;
}

/**
 * The reference's "onex" decay: t_i = Tmin + (Tmax − Tmin)·(1 − C_i)·y_i with
 * C_i = committed_after_i / M and y on a grid of M = Σk points indexed by the
 * *step* number (a reference quirk kept for parity, see §3.2).
 */
export function onexTempSchedule(
  maxTemp: number,
  minTemp: number,
  tokenSchedule: readonly number[],
  power: number,
): number[] {
  const m = sum(tokenSchedule);
  const floor100 = Math.pow(100, -power);
  const out: number[] = [];
  let after = 0;
  tokenSchedule.forEach((k, i) => {
    after += k;
    const x = m > 1 ? 1 + (99 * i) / (m - 1) : 1;
    const y = (Math.pow(x, -power) - floor100) / (1 - floor100);
    out.push(Math.max(minTemp + (maxTemp - minTemp) * (1 - after / m) * y, MIN_TEMPERATURE));
  });
  return out;
}

export type TokenScheduleKind = 'cosine' | 'linear';
export type TemperatureScheduleSpec = 'constant' | 'linear' | `onex:${number}:${number}`;

export function tokenSchedule(kind: TokenScheduleKind, steps: number, n: number): number[] {
  return kind === 'cosine' ? cosineSchedule(steps, n) : linearSchedule(steps, n);
}

/** Parses 'constant' | 'linear' | 'onex:<min>:<power>' and applies it. */
export function temperatureSchedule(
  spec: TemperatureScheduleSpec,
  temperature: number,
  tokens: readonly number[],
): number[] {
  if (spec === 'constant') return constantTempSchedule(temperature, tokens);
  if (spec === 'linear') return linearTempSchedule(temperature, tokens);
  const parsed = parseOnex(spec);
  if (!parsed) throw new RangeError(`unknown temperature schedule '${spec}'`);
  return onexTempSchedule(temperature, parsed.min, tokens, parsed.power);
}

export function parseOnex(spec: string): { min: number; power: number } | null {
  const m = /^onex:([^:]+):([^:]+)$/.exec(spec);
  if (!m) return null;
  const min = Number(m[1]);
  const power = Number(m[2]);
  return Number.isFinite(min) && Number.isFinite(power) ? { min, power } : null;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
