/**
 * @module services/identity/contact-routes
 * Reaching a neighbour without exchanging phone numbers: residents register their cars' plates,
 * ask "the owner of 京A12345" or "the residents of unit X", and answer; the asker learns who
 * answered only from the answer. Hosts the contact relay actor; pushes each new request and
 * answer to the addressed accounts' open connections through the bus (`inbox` subject), which
 * every room forwards as a `contact` message.
 * Owns: resolving a unit's current members as recipients, and the HTTP shapes. Does not: the
 * relay's rules (actors/contact).
 * Privacy: the relay's events name accounts, so they are journaled but never published; only
 * `notificationOf` views leave this module.
 */
import { randomUUID } from 'node:crypto';
import { createContactRelay, DEFAULT_CONTACT_LIMITS, inboxOf, notificationOf, outboxOf, plateReviewsOf, platesOf, plateViewsOf, recipientsOf } from '../../actors/contact/contact-relay.ts';
import { ContactError } from '../../actors/contact/contact-errors.ts';
import { rolesOf } from '../../actors/community/directory.ts';
import type { ContactCommand, ContactEvent, ContactState } from '../../actors/contact/contact-protocol.ts';
import { ActorHost } from '../../engine/actor-host.ts';
import { decodeJson, encodeJson, subjects, type Bus } from '../../engine/bus/contract.ts';
import type { Config } from '../../engine/config.ts';
import { EngineError, LinliError } from '../../engine/errors.ts';
import { json, type Route } from '../../engine/http/contract.ts';
import { keepPrivate, type ActorRuntime } from '../../engine/actor-runtime.ts';
import type { Logger } from '../../engine/log.ts';
import type { Metrics } from '../../engine/metrics.ts';
import { bodyOf, signedIn } from './http-kit.ts';
import type { IdentityService, Principal } from './identity-service.ts';

export interface ContactDeps {
  readonly identity: IdentityService;
  readonly actors: ActorRuntime;
  readonly bus: Bus;
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
}

/** What the bus carries to rooms: who to tell, and what (never the relay's own events). */
export interface InboxPush {
  readonly to: readonly string[];
  readonly notification: unknown;
  /** The message type rooms send it as: `contact` (default) or `alarm`. */
  readonly channel?: 'contact' | 'alarm';
}

export class ContactService {
  private constructor(private readonly d: ContactDeps, readonly relay: ActorHost<ContactState, ContactCommand, ContactEvent, string>) {}

  static async start(d: ContactDeps): Promise<ContactService> {
    const def = createContactRelay(DEFAULT_CONTACT_LIMITS);
    const relay = await d.actors.host(def, { community: d.identity.community, kind: def.type, actorId: d.identity.community }, { publish: keepPrivate, mode: 'shared' });
    const service = new ContactService(d, relay);
    // A revoked account's plates are freed and it is reached no more.
    d.bus.subscribe(subjects.accessChanged(d.identity.community), (m) => {
      const change = (decodeJson(m.data) ?? {}) as { accountId?: string };
      const a = change.accountId ? d.identity.directory.state.accounts[change.accountId] : undefined;
      if (a?.revokedAt != null && !Object.hasOwn(relay.state.released, change.accountId!)) {
        void relay.submit({ type: 'ReleaseAccount', accountId: change.accountId!, at: d.now() });
      }
    });
    return service;
  }

  /**
   * Only verified residents with a current membership, and property staff, use the relay: not
   * merchants, carers, analysts, nor members removed from their unit.
   */
  requireNeighbour(p: Principal): void {
    const { identity } = this.d;
    identity.requirePerson(p);
    const roles = rolesOf(identity.directory.state, p.accountId, this.d.now());
    if (!identity.isStaff(p.accountId) && !roles.some((g) => g.role === 'owner' || g.role === 'tenant' || g.role === 'family')) {
      void identity.log('ActionDenied', { accountId: p.accountId, code: ContactError.NOT_RESIDENT, detail: 'contact' });
      throw new LinliError(ContactError.NOT_RESIDENT);
    }
  }

  async submit(p: Principal, command: ContactCommand): Promise<void> {
    this.requireNeighbour(p);
    const out = await this.relay.submit(command);
    if (!out.ok) throw new LinliError(out.code, out.details as Record<string, unknown> | undefined);
    for (const e of out.events) {
      const to = recipientsOf(e);
      const notification = notificationOf(e);
      if (to.length > 0 && notification) this.d.bus.publish(subjects.inbox(this.d.identity.community), encodeJson({ to, notification } satisfies InboxPush));
    }
  }

  /** The accounts a unit's message reaches: its current members (tenancies not ended), none revoked. */
  membersOf(unitId: string): string[] {
    return this.d.identity.unitMembers(unitId).map((m) => m.accountId);
  }

  routes(trustProxy: boolean): Route[] {
    const { identity } = this.d;
    const authed = (handle: Parameters<typeof signedIn>[3]) => signedIn(identity, trustProxy, this.d.log, (p, req, caller) => {
      this.requireNeighbour(p);
      return handle(p, req, caller);
    });
    const mine = (p: Principal) => ({ plates: platesOf(this.relay.state, p.accountId), claims: plateViewsOf(this.relay.state, p.accountId) });
    const nameOf = (p: Principal) => identity.shownNameOf(p.accountId) ?? p.accountId;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return [
      { method: 'GET', path: '/api/contact/plates', handle: authed((p) => json(200, { ok: true, ...mine(p) })) },
      // The same answer whether the plate was free or someone else's: a claim waits for staff either way.
      { method: 'POST', path: '/api/contact/plates', handle: authed(async (p, req) => {
        await this.submit(p, { type: 'RegisterPlate', by: p.accountId, plate: text(bodyOf(req).plate), at: this.d.now() });
        return json(200, { ok: true, ...mine(p) });
      }) },
      { method: 'POST', path: '/api/contact/plates/remove', handle: authed(async (p, req) => {
        await this.submit(p, { type: 'RemovePlate', by: p.accountId, plate: text(bodyOf(req).plate), byStaff: identity.isStaff(p.accountId), at: this.d.now() });
        return json(200, { ok: true, ...mine(p) });
      }) },
      { method: 'GET', path: '/api/contact/plates/reviews', handle: authed((p) => {
        identity.requireStaff(p);
        const named = (id: string) => ({ accountId: id, displayName: identity.displayNameOf(id) });
        return json(200, { ok: true, reviews: plateReviewsOf(this.relay.state).map((r) => ({ plate: r.plate, holder: r.holder ? named(r.holder) : null, claimants: r.claimants.map(named) })) });
      }) },
      { method: 'POST', path: '/api/contact/plates/review', handle: authed(async (p, req) => {
        const b = bodyOf(req);
        const decision = b.decision === 'confirm' || b.decision === 'reject' ? b.decision : null;
        if (!decision) throw new LinliError(EngineError.BAD_INPUT, { field: 'decision', problem: 'confirm or reject' });
        await this.submit(p, { type: 'ReviewPlate', by: p.accountId, byStaff: identity.isStaff(p.accountId), plate: text(b.plate), accountId: text(b.accountId), decision, at: this.d.now() });
        return json(200, { ok: true, reviews: plateReviewsOf(this.relay.state).length });
      }) },
      { method: 'POST', path: '/api/contact/ask', handle: authed(async (p, req) => {
        const b = bodyOf(req);
        const t = (typeof b.target === 'object' && b.target !== null ? b.target : {}) as Record<string, unknown>;
        const requestId = typeof b.requestId === 'string' ? b.requestId : randomUUID();
        const target = t.kind === 'plate' ? { kind: 'plate' as const, plate: text(t.plate) }
          : t.kind === 'unit' ? { kind: 'unit' as const, unitId: text(t.unitId), recipients: this.membersOf(text(t.unitId)) }
          : null;
        if (!target) throw new LinliError(EngineError.BAD_INPUT, { field: 'target.kind' });
        await this.submit(p, { type: 'Ask', requestId, by: p.accountId, byName: nameOf(p), target, text: text(b.text), at: this.d.now() });
        // The same answer whether or not anyone was reached: nobody can probe plates or empty units.
        return json(200, { ok: true, requestId });
      }) },
      { method: 'POST', path: '/api/contact/answer', handle: authed(async (p, req) => {
        const b = bodyOf(req);
        await this.submit(p, { type: 'Answer', requestId: text(b.requestId), by: p.accountId, byName: nameOf(p), text: text(b.text), at: this.d.now() });
        return json(200, { ok: true });
      }) },
      { method: 'GET', path: '/api/contact/inbox', handle: authed((p) => json(200, { ok: true, inbox: inboxOf(this.relay.state, p.accountId, this.d.now()) })) },
      { method: 'GET', path: '/api/contact/outbox', handle: authed((p) => json(200, { ok: true, outbox: outboxOf(this.relay.state, p.accountId, this.d.now()) })) },
    ];
  }
}
