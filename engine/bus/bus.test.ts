/**
 * Runs the bus contract suite against the in-process bus, and against NATS when one answers.
 */
import { test } from 'node:test';
import { busContractSuite } from './contract.suite.ts';
import { MemoryBus } from './memory.ts';
import { NatsBus } from './nats.ts';
import { natsAvailable, testNatsUrl } from '../testing/nats.ts';

busContractSuite('memory', async () => new MemoryBus());

const url = testNatsUrl();
if (await natsAvailable(url)) {
  busContractSuite('nats', () => NatsBus.connect(url, 'linli-bus-test'));
} else {
  test('nats bus: contract suite', { skip: `no NATS server answered at ${url}` }, () => {});
}
