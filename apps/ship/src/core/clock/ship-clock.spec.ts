import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
} from '@offline-sync/sync-core';
import { ShipConfig } from '../config/ship-config';
import { ShipClock } from './ship-clock';

describe('ShipClock (SYNC_TEST_CLOCK_OFFSET_MS)', () => {
  const required = {
    SYNC_SHIP_ID: 'ship-a',
    SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(generateSigningKeyPair().publicKey),
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(generateSigningKeyPair().privateKey),
  };
  const clockWith = (offset?: string): ShipClock =>
    new ShipClock(
      ShipConfig.fromEnv(
        offset === undefined ? required : { ...required, SYNC_TEST_CLOCK_OFFSET_MS: offset },
      ),
    );
  /** The clock's reading against the host's, taken around it. */
  const readingAgainstHost = (clock: ShipClock): { low: number; high: number } => {
    const before = Date.now();
    const reading = clock.now().getTime();
    const after = Date.now();
    return { low: reading - after, high: reading - before };
  };

  it('is the host clock unless shifted', () => {
    const { low, high } = readingAgainstHost(clockWith());
    expect(low).toBeLessThanOrEqual(0);
    expect(high).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ['3600000', 3_600_000],
    ['-90000', -90_000],
  ])('is shifted by SYNC_TEST_CLOCK_OFFSET_MS=%s', (value, offset) => {
    const clock = clockWith(value);
    const { low, high } = readingAgainstHost(clock);
    expect(low).toBeLessThanOrEqual(offset);
    expect(high).toBeGreaterThanOrEqual(offset);
    expect(Date.parse(clock.nowIso()) - Date.now()).toBeGreaterThan(offset - 60_000);
  });

  it.each(['abc', '1.5', '40000000000'])('refuses SYNC_TEST_CLOCK_OFFSET_MS=%s, naming it', (v) => {
    expect(() => clockWith(v)).toThrow(/^Invalid configuration: SYNC_TEST_CLOCK_OFFSET_MS /);
  });
});
