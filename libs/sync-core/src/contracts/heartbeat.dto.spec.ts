import { HeartbeatDto } from './heartbeat.dto';
import { validateContract } from './validate-contract';

function heartbeat(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    shipId: 'ship-a',
    sentAt: '2024-01-15T10:30:00.000Z',
    appVersion: '1.4.2',
    queueDepth: 12,
    failedCount: 1,
    oldestPendingAgeMs: 65000,
    appliedPosition: { '0': '1042', '1': '0' },
    online: true,
    ...overrides,
  };
}

function errorsOf(plain: unknown): string[] {
  const result = validateContract(HeartbeatDto, plain);
  return result.ok ? [] : result.errors;
}

describe('HeartbeatDto', () => {
  it.each([
    ['a busy ship', {}],
    ['an empty queue', { queueDepth: 0, failedCount: 0, oldestPendingAgeMs: null }],
    ['a ship that has read nothing yet', { appliedPosition: {} }],
    ['a 64-bit offset', { appliedPosition: { '3': '9223372036854775807' } }],
  ])('accepts %s', (_name, overrides) => {
    expect(errorsOf(heartbeat(overrides))).toEqual([]);
  });

  it.each([
    ['shipId', 'master', 'shipId: must be a ship id'],
    ['queueDepth', -1, 'queueDepth: must be an integer ≥ 0'],
    ['oldestPendingAgeMs', undefined, 'oldestPendingAgeMs: must be an integer ≥ 0, or null'],
    ['oldestPendingAgeMs', 1.5, 'oldestPendingAgeMs: must be an integer ≥ 0, or null'],
    ['appliedPosition', { '0': 1042 }, 'appliedPosition: must map partition numbers'],
    ['appliedPosition', { p0: '1' }, 'appliedPosition: must map partition numbers'],
    ['appliedPosition', { '0': '-1' }, 'appliedPosition: must map partition numbers'],
    ['appVersion', '', 'appVersion: must be a string of 1 to 64 characters'],
    ['online', false, 'online: must be true'],
  ])('refuses %s = %j', (field, value, message) => {
    const errors = errorsOf(heartbeat({ [field]: value }));
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(message)).toBe(true);
  });
});
