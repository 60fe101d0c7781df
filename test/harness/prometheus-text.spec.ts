import { parsePrometheusText, Scrape } from './prometheus-text';

const TEXT = [
  '# HELP offline_sync_outbox_depth Changes in the outbox',
  '# TYPE offline_sync_outbox_depth gauge',
  'offline_sync_outbox_depth{state="pending"} 40',
  'offline_sync_outbox_depth{state="failed"} 0',
  'offline_sync_messages_total{status="sent"} 12',
  'offline_sync_ship_online{ship_id="ship-a"} 1',
  'offline_sync_uptime_seconds 3.5',
  'offline_sync_info{mode="ship",ship_id="ship-a",version="1.0.0"} 1',
].join('\n');

const sampleValue = (text: string, name: string, labels?: Record<string, string>) =>
  new Scrape(text).exact(name, labels);

describe('Scrape.exact', () => {
  it('reads a series by name and exact labels', () => {
    expect(sampleValue(TEXT, 'offline_sync_outbox_depth', { state: 'pending' })).toBe(40);
    expect(sampleValue(TEXT, 'offline_sync_outbox_depth', { state: 'failed' })).toBe(0);
    expect(sampleValue(TEXT, 'offline_sync_uptime_seconds')).toBe(3.5);
    expect(
      sampleValue(TEXT, 'offline_sync_info', { version: '1.0.0', ship_id: 'ship-a', mode: 'ship' }),
    ).toBe(1);
  });

  it('is null for a series that is not there', () => {
    expect(sampleValue(TEXT, 'offline_sync_outbox_depth', { state: 'sent' })).toBeNull();
    expect(sampleValue(TEXT, 'offline_sync_outbox_depth')).toBeNull();
    expect(sampleValue(TEXT, 'offline_sync_info', { mode: 'ship' })).toBeNull();
    expect(sampleValue(TEXT, 'offline_sync_missing')).toBeNull();
  });
});

describe('parsePrometheusText', () => {
  it('reads every sample with its labels, unescaped', () => {
    expect(parsePrometheusText('a{l="x\\"y"} 2\n# c\nb 3 1700000000')).toEqual([
      { name: 'a', labels: { l: 'x"y' }, value: 2 },
      { name: 'b', labels: {}, value: 3 },
    ]);
  });

  it('refuses a line that is not a sample', () => {
    expect(() => parsePrometheusText('not a sample line here')).toThrow(/not a Prometheus sample/);
  });
});
