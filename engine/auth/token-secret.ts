/**
 * @module engine/auth/token-secret
 * Where the key that signs access tokens and hashes invite codes comes from. TOKEN_SECRET when
 * set (required in cluster mode, where every node needs the same one). Otherwise, with the
 * embedded durable journal, a random secret created once and kept in DATA_DIR/token-secret
 * (mode 0600), so that accounts, sessions and unredeemed invite codes survive a restart like the
 * journal that holds them. With the memory journal nothing survives anyway: a random one per start.
 * Owns: that choice. Does not: use the secret.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config.ts';
import type { Logger } from '../log.ts';

export const TOKEN_SECRET_FILE = 'token-secret';

export function resolveTokenSecret(config: Config, journal: 'memory' | 'file' | 'jetstream', log: Logger): string | null {
  if (config.tokenSecret) return config.tokenSecret;
  if (journal === 'jetstream') throw new ConfigError('TOKEN_SECRET', 'must be set in cluster mode (JetStream journal): every node signs and checks tokens with it');
  if (journal === 'memory') return null; // IdentityService warns and uses a random one
  const path = join(config.dataDir, TOKEN_SECRET_FILE);
  if (existsSync(path)) {
    const kept = readFileSync(path, 'utf8').trim();
    if (kept.length >= 32) return kept;
    throw new ConfigError('TOKEN_SECRET', `${path} holds no usable secret; remove it (every session ends) or set TOKEN_SECRET`);
  }
  const fresh = randomBytes(32).toString('base64url');
  writeFileSync(path, fresh + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  log.info('created a token secret for this data directory', { path });
  return fresh;
}
