/**
 * @module engine/bus/contract.suite
 * The behaviour every Bus implementation must show; run by bus.test.ts against memory always and
 * against NATS when a server answers at NATS_URL (default 127.0.0.1:4222 in this project's CI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus, BusMessage } from './contract.ts';

function collect(bus: Bus, pattern: string): { got: BusMessage[]; until(n: number): Promise<void> } {
  const got: BusMessage[] = [];
  let waiter: { n: number; resolve: () => void } | null = null;
  bus.subscribe(pattern, (m) => {
    got.push(m);
    if (waiter && got.length >= waiter.n) waiter.resolve();
  });
  return {
    got,
    until: (n) => (got.length >= n ? Promise.resolve() : new Promise((resolve) => { waiter = { n, resolve }; })),
  };
}

export function busContractSuite(name: string, make: () => Promise<Bus>): void {
  const prefix = () => `t${Math.random().toString(36).slice(2, 10)}`;

  test(`${name} bus: exact subject → delivered once, in publish order`, async () => {
    const bus = await make();
    const p = prefix();
    const c = collect(bus, `${p}.a.b`);
    await bus.flush();
    for (let i = 0; i < 50; i++) bus.publish(`${p}.a.b`, new Uint8Array([i]));
    await c.until(50);
    assert.deepEqual(c.got.map((m) => m.data[0]), [...Array(50).keys()]);
    await bus.close();
  });

  test(`${name} bus: '*' and '>' wildcards → match one token and the tail`, async () => {
    const bus = await make();
    const p = prefix();
    const star = collect(bus, `${p}.dev.*.occupancy`);
    const tail = collect(bus, `${p}.dev.>`);
    await bus.flush();
    bus.publish(`${p}.dev.lot-1.occupancy`, new Uint8Array([1]));
    bus.publish(`${p}.dev.lot-1.temperature`, new Uint8Array([2]));
    bus.publish(`${p}.other.lot-1.occupancy`, new Uint8Array([3]));
    await tail.until(2);
    await bus.flush();
    assert.deepEqual(star.got.map((m) => m.subject), [`${p}.dev.lot-1.occupancy`]);
    assert.deepEqual(tail.got.map((m) => m.data[0]), [1, 2]);
    await bus.close();
  });

  test(`${name} bus: a throwing handler → other subscribers still receive`, async () => {
    const bus = await make();
    const p = prefix();
    bus.subscribe(`${p}.x`, () => { throw new Error('boom'); });
    const ok = collect(bus, `${p}.x`);
    await bus.flush();
    bus.publish(`${p}.x`, new Uint8Array([7]));
    bus.publish(`${p}.x`, new Uint8Array([8]));
    await ok.until(2);
    assert.equal(ok.got.length, 2);
    await bus.close();
  });

  test(`${name} bus: unsubscribe → no more deliveries`, async () => {
    const bus = await make();
    const p = prefix();
    const got: number[] = [];
    const sub = bus.subscribe(`${p}.y`, (m) => got.push(m.data[0]));
    const after = collect(bus, `${p}.y`);
    await bus.flush();
    bus.publish(`${p}.y`, new Uint8Array([1]));
    await after.until(1);
    sub.unsubscribe();
    await bus.flush();
    bus.publish(`${p}.y`, new Uint8Array([2]));
    await after.until(2);
    assert.deepEqual(got, [1]);
    await bus.close();
  });

  test(`${name} bus: invalid subject → publish throws, bus keeps working`, async () => {
    const bus = await make();
    const p = prefix();
    assert.throws(() => bus.publish(`${p}..bad`, new Uint8Array()));
    assert.throws(() => bus.publish(`${p}.*`, new Uint8Array()));
    const c = collect(bus, `${p}.ok`);
    await bus.flush();
    bus.publish(`${p}.ok`, new Uint8Array([1]));
    await c.until(1);
    await bus.close();
  });
}
