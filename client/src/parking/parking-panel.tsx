/**
 * @module client/parking/parking-panel
 * The list of car parks with free spaces now, coloured like the map, for residents deciding
 * where to park before they arrive.
 * Owns: the list's markup (`lot-row` rows carry data-lot-id and data-occupied for tests).
 * Does not: fetch (numbers come from the map room).
 */
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { pick, useI18n } from '../i18n.ts';
import { BAND_COLOURS, cssColour, occupancyBand } from '../map/occupancy.ts';
import type { MapState } from '../protocol.ts';

export interface ParkingPanelProps {
  readonly layout: CommunityLayout;
  readonly lots: MapState['lots'];
}

export function ParkingPanel({ layout, lots }: ParkingPanelProps) {
  const { lang, t } = useI18n();
  return (
    <section class="panel parking" aria-labelledby="parking-title">
      <h2 id="parking-title">{t('parkingTitle')}</h2>
      {layout.lots.length === 0 ? (
        <p class="muted">{t('parkingEmpty')}</p>
      ) : (
        <ul class="lot-list">
          {layout.lots.map((lot) => {
            const live = lots[lot.id];
            const capacity = live && live.capacity > 0 ? live.capacity : lot.capacity;
            const band = occupancyBand(live);
            return (
              <li
                key={lot.id}
                class={`lot-row band-${band}`}
                data-testid="lot-row"
                data-lot-id={lot.id}
                data-occupied={live ? String(live.occupied) : ''}
              >
                <span class="swatch" style={{ background: cssColour(BAND_COLOURS[band]) }} />
                <span class="lot-name">{pick(lot.name, lang)}</span>
                {live ? (
                  <>
                    <strong class="lot-free">{t('parkingFree', { free: Math.max(0, capacity - live.occupied) })}</strong>
                    <span class="muted">{t('parkingOf', { occupied: live.occupied, capacity })}</span>
                  </>
                ) : (
                  <span class="muted">{t('parkingNoData')}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
