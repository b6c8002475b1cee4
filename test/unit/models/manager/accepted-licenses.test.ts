import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { AcceptedLicenses, licenseKey } from '../../../../models/manager/accepted-licenses';
import { FOURM_WEIGHTS_LICENSE } from '../../../../models/manager/catalog';
import { diskRefusal } from '../../../../models/manager/transfer-plan';

test('remembers a licence by name and URL; a missing or corrupt file means nothing was accepted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'acc-'));
  const store = AcceptedLicenses.inDataDir(dir);
  expect(await store.acceptedAt(FOURM_WEIGHTS_LICENSE)).toBeUndefined();
  await store.remember(FOURM_WEIGHTS_LICENSE, '2025-01-02T00:00:00.000Z');
  await store.remember(FOURM_WEIGHTS_LICENSE, '2026-01-01T00:00:00.000Z'); // kept once, the first date
  expect(await store.acceptedAt(FOURM_WEIGHTS_LICENSE)).toBe('2025-01-02T00:00:00.000Z');
  expect(await store.acceptedAt({ ...FOURM_WEIGHTS_LICENSE, url: 'https://example.invalid/v2' })).toBeUndefined();
  expect(JSON.parse(readFileSync(join(dir, 'accepted-licenses.json'), 'utf8')).accepted).toHaveLength(1);
  writeFileSync(join(dir, 'accepted-licenses.json'), '{ not json');
  expect(await store.acceptedAt(FOURM_WEIGHTS_LICENSE)).toBeUndefined();
  expect(licenseKey({ name: 'a' })).not.toBe(licenseKey({ name: 'a', url: 'u' }));
});

test('disk space: refused with what is needed and what is free, with headroom', () => {
  expect(diskRefusal(2 ** 30, 10 * 2 ** 30, '/m')).toBeUndefined();
  expect(diskRefusal(2 ** 30, 2 ** 30, '/m')).toBe('not enough disk space: this needs about 1.0 GiB in /m, but only 1.0 GiB is free; free some space or remove a model you no longer use');
});
