/**
 * The room suite on the ws transport (the fallback when uWebSockets.js cannot load).
 */
import { roomSuite } from './rooms.suite.ts';

roomSuite('ws');
