/**
 * @module client/status-badge
 * The connection badge: the weakest state of the page's room links, as text in the current
 * language and as `data-state` (idle, connecting, connected, reconnecting, offline, denied) for tests.
 * Owns: that badge's markup. Does not: connect.
 */
import { worstState, type LinkState } from './connection.ts';
import { useI18n, type MessageKey } from './i18n.ts';

const LABELS: Readonly<Record<LinkState, MessageKey>> = {
  idle: 'statusIdle',
  connecting: 'statusConnecting',
  connected: 'statusConnected',
  reconnecting: 'statusReconnecting',
  offline: 'statusOffline',
  denied: 'statusDenied',
};

export function StatusBadge({ links }: { links: readonly LinkState[] }) {
  const { t } = useI18n();
  const state = worstState(links.filter((s) => s !== 'idle'));
  return (
    <span class={`status status-${state}`} data-testid="connection-status" data-state={state} role="status">
      <span class="dot" aria-hidden="true" />
      {t(LABELS[state])}
    </span>
  );
}
