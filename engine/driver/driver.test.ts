/**
 * Runs the driver contract suite against Colyseus's LocalDriver, the reference the NATS driver is
 * held to (driver.int.test.ts runs the same suite against NATS).
 */
import { LocalDriver } from './memory.ts';
import { driverContractSuite } from './contract.suite.ts';

driverContractSuite('local (reference)', async () => ({ driver: new LocalDriver(), close: async () => undefined }));
