/**
 * @module client/community
 * The signed-in page: header, alarm pushes, live map (with alarms for guards and staff), and
 * beside it the panels this account may use (the alarm list for guards and staff, chat, reach a
 * neighbour for residents and staff, the parking desk for guards, the property office for staff,
 * me), with the parking list below (availability,
 * data quality, forecast, guidance to a held bay whose route the map draws).
 * Wires the session (every room join takes a fresh token), the rooms this account may enter
 * (auth/access: the guards' map for guards and staff, the lot rooms for residents, the chosen
 * building or group) and the contact pushes those rooms forward.
 * Owns: the selected room and panel, and their persistence. Does not: draw the map or speak
 * room protocols (map/, chat/, parking/ do).
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { CommunityLayout } from '../../actors/community/layout.ts';
import { failureOf } from './api.ts';
import { accessOf, mayChatIn, type Access } from './auth/access.ts';
import { fetchMe, rename } from './auth/auth-api.ts';
import type { SessionKeeper } from './auth/session.ts';
import { ChatPanel } from './chat/chat-panel.tsx';
import { AccountsPanel } from './commons/accounts-panel.tsx';
import { useCommonsRoom } from './commons/use-commons-room.ts';
import { VotesPanel } from './commons/votes-panel.tsx';
import { useChatRoom, type RoomContext } from './chat/use-chat-room.ts';
import { createClient } from './connection.ts';
import { AlarmBanner, useAlarmPushes } from './alarms/alarm-banner.tsx';
import { AlarmPanel } from './alarms/alarm-panel.tsx';
import { ContactPanel } from './contact/contact-panel.tsx';
import { useContact } from './contact/use-contact.ts';
import { Footer } from './footer.tsx';
import { Header } from './header.tsx';
import { useI18n, type MessageKey } from './i18n.ts';
import { MapView } from './map/map-view.tsx';
import { useMapRoom } from './map/use-map-room.ts';
import { MePanel } from './me/me-panel.tsx';
import { ParkingPanel } from './parking/parking-panel.tsx';
import { useLotRooms } from './parking/use-lot-rooms.ts';
import { useParking } from './parking/use-parking.ts';
import { ParkingOffice } from './property/parking-office.tsx';
import { PropertyPanel } from './property/property-panel.tsx';
import type { Failure, Me } from './protocol.ts';

const ROOM_KEY = 'linli.room';

type Tab = 'chat' | 'votes' | 'accounts' | 'contact' | 'desk' | 'property' | 'me';
const TAB_LABELS: Readonly<Record<Tab, MessageKey>> = { chat: 'tabChat', votes: 'tabVotes', accounts: 'tabAccounts', contact: 'tabContact', desk: 'deskTitle', property: 'tabProperty', me: 'tabMe' };

/** Residents and property staff may enter the commons (owners' votes, public accounts); the directory's rule. */
const mayEnterCommons = (access: Access) => access.resident || access.staff;
/** Residents and property staff use the contact relay (services/identity/contact-routes requireNeighbour). */
const mayReach = (access: Access) => access.resident || access.staff;
/** Guards who are not property staff get the parking desk on its own tab (staff have it in the property panel). */
const guardDesk = (access: Access) => access.guard && !access.staff;

function tabsFor(access: Access): Tab[] {
  return ['chat', ...(mayEnterCommons(access) ? (['votes', 'accounts'] as const) : []), ...(mayReach(access) ? (['contact'] as const) : []),
    ...(guardDesk(access) ? (['desk'] as const) : []), ...(access.staff ? (['property'] as const) : []), 'me'];
}

/** The stored room when this account may still enter it, else the first home building of a resident. */
function initialRoom(access: Access, layout: CommunityLayout, stored: string | null): string | null {
  if (mayChatIn(access, layout, stored)) return stored;
  if (!access.resident || access.staff) return null;
  return layout.buildings.find((b) => b.residential && access.buildings.has(b.id))?.id ?? null;
}

export interface CommunityProps {
  readonly layout: CommunityLayout;
  readonly me: Me;
  readonly keeper: SessionKeeper;
  readonly storage: Storage | undefined;
}

export function Community({ layout, me, keeper, storage }: CommunityProps) {
  const { lang, t } = useI18n();
  const access = useMemo(() => accessOf(me.roles, layout), [me.roles, layout]);
  const client = useMemo(() => createClient(), []);
  const contact = useContact(keeper.call, mayReach(access));
  const alarms = useAlarmPushes();
  const parking = useParking(keeper.call, access.lots, access.resident);
  const ctx = useMemo<RoomContext>(
    () => ({ client, auth: keeper, onContact: contact.onContact, onAlarm: alarms.onAlarm, onParking: parking.onParking }),
    [client, keeper, contact.onContact, alarms.onAlarm, parking.onParking],
  );

  const [selected, setSelected] = useState<string | null>(() => initialRoom(access, layout, storage?.getItem(ROOM_KEY) ?? null));
  const select = useCallback(
    (id: string | null) => {
      const next = mayChatIn(access, layout, id) ? id : null;
      setSelected(next);
      if (next) storage?.setItem(ROOM_KEY, next);
      else storage?.removeItem(ROOM_KEY);
    },
    [access, layout, storage],
  );
  // Roles changed (a unit removed, a tenancy ended): leave a room this account may no longer enter.
  useEffect(() => {
    if (selected && !mayChatIn(access, layout, selected)) setSelected(null);
  }, [access, layout, selected]);

  const tabs = tabsFor(access);
  const [tab, setTab] = useState<Tab>('chat');
  const shown = tabs.includes(tab) ? tab : 'chat';

  const joinOptions = { lang };
  const map = useMapRoom(ctx, access.map ? layout.id : null, joinOptions);
  // Everyone who may see the lots joins their rooms: the bays and data quality are only there.
  const lotRooms = useLotRooms(ctx, access.lots ? layout.lots.map((l) => l.id) : null, joinOptions);
  const chat = useChatRoom(ctx, selected, joinOptions, me.displayName ?? '');
  const commons = useCommonsRoom(ctx, mayEnterCommons(access) ? `commons-${layout.id}` : null, joinOptions);
  const lots = access.map ? map.state.lots : lotRooms.lots;

  // A room refused this account: its roles may have changed, so read them again.
  useEffect(() => {
    if (chat.denied) void fetchMe(keeper.call).then((fresh) => keeper.updateMe(fresh), () => undefined); // a failure shows in the session state
  }, [chat.denied, keeper]);

  const onRename = async (name: string): Promise<Failure | null> => {
    try {
      keeper.updateMe(await rename(keeper.call, name));
      return null;
    } catch (e) {
      return failureOf(e);
    }
  };

  const links = [...(access.map ? [map.status] : []), ...(access.lots ? [lotRooms.status] : []), ...(selected ? [chat.status] : []), ...(mayEnterCommons(access) ? [commons.status] : [])];

  return (
    <div class="page">
      <Header layout={layout} links={links} me={me} onSignOut={() => void keeper.signOut()} />
      <AlarmBanner pushes={alarms.pushes} dismiss={alarms.dismiss} />
      <main class="layout">
        <MapView
          layout={layout}
          lots={lots}
          alarms={access.map ? map.state.alarms : {}}
          details={lotRooms.details}
          hold={parking.log.hold}
          selected={selected}
          onSelectBuilding={(id) => mayChatIn(access, layout, id) && select(id)}
        />
        <div class="side">
          {access.map && <AlarmPanel layout={layout} alarms={map.state.alarms} onDuty={map.state.onDuty} accountId={me.accountId} act={map.act} />}
          <nav class="tabs side-tabs" role="tablist" aria-label={t('panelsLabel')}>
            {tabs.map((id) => (
              <button key={id} type="button" role="tab" aria-selected={id === shown} class={id === shown ? 'tab active' : 'tab'} data-testid={`tab-${id}`} onClick={() => setTab(id)}>
                {t(TAB_LABELS[id])}
                {id === 'contact' && contact.unanswered > 0 && <span class="badge" data-testid="contact-badge">{contact.unanswered}</span>}
              </button>
            ))}
          </nav>
          {shown === 'chat' && (
            <ChatPanel
              layout={layout}
              buildings={map.state.buildings}
              selected={selected}
              onSelect={select}
              access={access}
              name={me.displayName ?? ''}
              onRename={onRename}
              chat={chat}
            />
          )}
          {shown === 'votes' && <VotesPanel layout={layout} commons={commons} auth={keeper} />}
          {shown === 'accounts' && <AccountsPanel commons={commons} auth={keeper} />}
          {shown === 'contact' && <ContactPanel layout={layout} contact={contact} />}
          {shown === 'desk' && (
            <section class="panel property" aria-labelledby="desk-title" data-testid="desk-panel">
              <h2 id="desk-title">{t('deskTitle')}</h2>
              <ParkingOffice layout={layout} call={keeper.call} staff={false} />
            </section>
          )}
          {shown === 'property' && <PropertyPanel layout={layout} access={access} call={keeper.call} accountId={me.accountId} />}
          {shown === 'me' && <MePanel layout={layout} me={me} access={access} call={keeper.call} onMe={(fresh) => keeper.updateMe(fresh)} />}
          <ParkingPanel layout={layout} lots={lots} details={lotRooms.details} parking={parking} resident={access.resident} call={keeper.call} />
        </div>
      </main>
      <Footer />
    </div>
  );
}
