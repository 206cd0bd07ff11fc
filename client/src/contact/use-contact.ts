/**
 * @module client/contact/use-contact
 * Preact hook for "reach a neighbour": the inbox, outbox and my plates, read over HTTP on mount
 * and on demand, and kept live by the `contact` pushes the page's rooms forward (`onContact`),
 * including staff's decision on a plate I claimed (PlatesChanged). Call it with `enabled` false
 * for accounts the relay refuses (guards, merchants): nothing is read.
 * Owns: that state and the calls that change it. Does not: render (contact-panel does).
 * Concurrency: a read and a push may land in any order; contact-log merges both by id.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { failureOf } from '../api.ts';
import type { Authed } from '../auth/auth-api.ts';
import { idempotencyKey } from '../chat/use-chat-room.ts';
import type { ContactNotification, Failure, PlateView } from '../protocol.ts';
import * as api from './contact-api.ts';
import { applyNotification, EMPTY_CONTACT_LOG, markAnswered, mergeInbox, mergeOutbox, type ContactLog } from './contact-log.ts';

export interface ContactView extends ContactLog {
  /** My plates with their status: pending until staff confirm, disputed while another claim waits. */
  readonly plates: readonly PlateView[];
  /** The last failed call, shown by the panel. */
  readonly error: Failure | null;
  /** Requests in my inbox I have not answered. */
  readonly unanswered: number;
  onContact(n: ContactNotification): void;
  reload(): Promise<void>;
  ask(target: api.AskTarget, text: string): Promise<boolean>;
  answer(requestId: string, text: string): Promise<boolean>;
  addPlate(plate: string): Promise<boolean>;
  removePlate(plate: string): Promise<boolean>;
  dismissError(): void;
}

export function useContact(call: Authed, enabled: boolean): ContactView {
  const [log, setLog] = useState<ContactLog>(EMPTY_CONTACT_LOG);
  const [plates, setPlateViews] = useState<readonly PlateView[]>([]);
  const setPlates = (mine: api.MyPlates) => setPlateViews(mine.claims);
  const [error, setError] = useState<Failure | null>(null);
  const live = useRef(true);

  const reload = useCallback(async () => {
    try {
      const [inbox, outbox, mine] = await Promise.all([api.fetchInbox(call), api.fetchOutbox(call), api.listPlates(call)]);
      if (!live.current) return;
      setLog((current) => ({ inbox: mergeInbox(current.inbox, inbox), outbox: mergeOutbox(current.outbox, outbox) }));
      setPlates(mine);
    } catch (e) {
      if (live.current) setError(failureOf(e));
    }
  }, [call]);

  useEffect(() => {
    live.current = true;
    if (enabled) void reload();
    return () => {
      live.current = false;
    };
  }, [enabled, reload]);

  const onContact = useCallback(
    (n: ContactNotification) => {
      let reloadNeeded = false;
      setLog((current) => {
        const next = applyNotification(current, n);
        reloadNeeded = next.reload;
        return next.log;
      });
      if (reloadNeeded) void reload();
      // Staff decided on a claim of mine: its status changed.
      if (n.type === 'PlatesChanged') void api.listPlates(call).then((mine) => live.current && setPlates(mine), () => undefined); // the next read retries
    },
    [reload, call],
  );

  const attempt = async (fn: () => Promise<void>): Promise<boolean> => {
    try {
      await fn();
      setError(null);
      return true;
    } catch (e) {
      setError(failureOf(e));
      return false;
    }
  };

  return {
    ...log,
    plates,
    error,
    unanswered: log.inbox.filter((e) => !e.answered).length,
    onContact,
    reload,
    ask: (target, text) =>
      attempt(async () => {
        const requestId = idempotencyKey();
        await api.ask(call, target, text, requestId);
        setLog((current) => ({ ...current, outbox: mergeOutbox(current.outbox, [{ requestId, target, text, at: Date.now(), answers: [] }]) }));
        // The server's copy (its time and cleaned text) replaces the local one.
        void api.fetchOutbox(call).then((outbox) => live.current && setLog((current) => ({ ...current, outbox: mergeOutbox(current.outbox.filter((e) => e.requestId !== requestId), outbox) })));
      }),
    answer: (requestId, text) =>
      attempt(async () => {
        await api.answer(call, requestId, text);
        setLog((current) => markAnswered(current, requestId));
      }),
    addPlate: (plate) => attempt(async () => setPlates(await api.addPlate(call, plate))),
    removePlate: (plate) => attempt(async () => setPlates(await api.removePlate(call, plate))),
    dismissError: () => setError(null),
  };
}
