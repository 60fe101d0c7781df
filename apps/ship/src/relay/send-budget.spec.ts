import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fitOnWire, headOfLine, type SendBudget } from './send-budget';

const budget = (over: Partial<SendBudget> = {}): SendBudget => ({
  maxEnvelopes: 4,
  maxRawBytes: 1000,
  maxWireBytes: 300,
  compressed: true,
  ...over,
});
const sized = (...bytes: number[]) => bytes.map((b, i) => ({ id: i, bytes: b }));

describe('headOfLine', () => {
  it('takes envelopes in order up to the envelope count, then reports the request full', () => {
    const { take, full } = headOfLine(sized(10, 10, 10, 10, 10), budget());
    expect(take.map((e) => e.id)).toEqual([0, 1, 2, 3]);
    expect(full).toBe(true);
  });

  it('stops before the raw byte budget, and is full when the next one does not fit', () => {
    const { take, full } = headOfLine(sized(400, 400, 400), budget());
    expect(take.map((e) => e.id)).toEqual([0, 1]);
    expect(full).toBe(true);
  });

  it('is not full while more would fit: worth topping up', () => {
    expect(headOfLine(sized(10, 10), budget())).toEqual({ take: sized(10, 10), full: false });
    expect(headOfLine([], budget())).toEqual({ take: [], full: false });
  });

  it('always takes an oversized first envelope on its own', () => {
    expect(headOfLine(sized(5000, 10), budget()).take.map((e) => e.id)).toEqual([0]);
  });

  it('bounds raw bytes by the wire budget when the ship does not compress', () => {
    const { take } = headOfLine(sized(200, 200), budget({ compressed: false }));
    expect(take.map((e) => e.id)).toEqual([0]);
  });
});

describe('fitOnWire', () => {
  const text = (n: number) => ({ body: JSON.stringify({ changes: Array(n).fill({ a: 'same' }) }) });
  const noise = (n: number) => ({ body: randomBytes(n).toString('base64') });

  it('takes many compressible envelopes whose raw size is far past the wire budget', async () => {
    const envelopes = [text(100), text(100), text(100)];
    expect(envelopes.reduce((n, e) => n + e.body.length, 0)).toBeGreaterThan(3 * 300);
    expect(await fitOnWire(envelopes, budget())).toHaveLength(3);
  });

  it('stops where incompressible envelopes would pass the wire budget', async () => {
    const envelopes = [noise(150), noise(150), noise(150)];
    const fit = await fitOnWire(envelopes, budget());
    expect(fit.length).toBe(1);
    const wire = gzipSync(fit.map((e) => e.body).join('')).length;
    expect(wire).toBeLessThanOrEqual(300);
  });

  it('keeps at least one envelope', async () => {
    expect(await fitOnWire([noise(2000)], budget())).toHaveLength(1);
  });

  it('counts UTF-8 bytes when nothing is compressed', async () => {
    const uncompressed = budget({ compressed: false });
    expect(
      await fitOnWire([{ body: 'a'.repeat(140) }, { body: 'b'.repeat(140) }], uncompressed),
    ).toHaveLength(2);
    // 100 characters, 300 bytes each
    expect(
      await fitOnWire([{ body: '€'.repeat(100) }, { body: '€'.repeat(100) }], uncompressed),
    ).toHaveLength(1);
  });
});
