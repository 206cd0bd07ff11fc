/**
 * @module services/identity/nats-devices-cli
 * `npm run nats:devices`: prints the nats-server `authorization` block for the community's
 * devices (cluster mode), derived from TOKEN_SECRET, with the platform's own service user from
 * NATS_SERVICE_USER and NATS_SERVICE_PASSWORD. Include it in nats-server's config.
 */
import { KeyRing } from '../../engine/auth/secrets.ts';
import { loadCommunityFile } from '../../engine/community-file.ts';
import { loadConfig } from '../../engine/config.ts';
import { natsAuthorizationBlock } from './nats-devices.ts';

const config = loadConfig(process.env);
const user = process.env.NATS_SERVICE_USER;
const password = process.env.NATS_SERVICE_PASSWORD;
if (!config.tokenSecret || !user || !password) {
  process.stderr.write('set TOKEN_SECRET (the deployment\'s), NATS_SERVICE_USER and NATS_SERVICE_PASSWORD\n');
  process.exit(2);
}
const community = loadCommunityFile(config.communityFile);
const devices = community.lots.map((l) => l.counterDeviceId);
process.stdout.write(natsAuthorizationBlock(new KeyRing(new TextEncoder().encode(config.tokenSecret)), community.id, devices, { user, password }));
