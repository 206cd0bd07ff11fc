/**
 * Runs the presence contract suite against Colyseus's LocalPresence, the reference the NATS
 * presence is held to (presence.int.test.ts runs the same suite against NATS). Its TTLs are
 * setTimeout calls, moved forward with node:test's mock timers instead of waiting.
 */
import { mock } from 'node:test';
import { LocalPresence } from './memory.ts';
import { presenceContractSuite } from './contract.suite.ts';

presenceContractSuite('local (reference)', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  return {
    presence: new LocalPresence(),
    advance: (ms) => mock.timers.tick(ms),
    close: async () => mock.timers.reset(),
  };
});
