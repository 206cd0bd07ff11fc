/**
 * @module client/map/map-view
 * Preact host for the Pixi community map: creates it once per layout, follows the host's size
 * with a ResizeObserver, and forwards live lots, the selected building and the language.
 * Owns: the map's lifecycle inside the component tree. Does not: draw (community-map does).
 * Concurrency: Pixi init is async; an unmount during init destroys the map as soon as it exists.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CommunityLayout } from '../../../actors/community/layout.ts';
import { useI18n } from '../i18n.ts';
import type { MapState } from '../protocol.ts';
import { CommunityMap, type RendererChoice } from './community-map.ts';
import { BAND_COLOURS, cssColour } from './occupancy.ts';

export interface MapViewProps {
  readonly layout: CommunityLayout;
  readonly lots: MapState['lots'];
  /** Alarms to mark on the map (guards and staff); open ones are drawn. */
  readonly alarms?: MapState['alarms'];
  readonly selected: string | null;
  readonly onSelectBuilding: (buildingId: string) => void;
}

/** `?renderer=canvas` or `?renderer=webgl` forces one Pixi renderer (debugging, tests). */
function rendererFromUrl(): RendererChoice | undefined {
  const value = new URLSearchParams(window.location.search).get('renderer');
  return value === 'canvas' || value === 'webgl' ? value : undefined;
}

export function MapView({ layout, lots, alarms, selected, onSelectBuilding }: MapViewProps) {
  const { lang, t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<CommunityMap | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const select = useRef(onSelectBuilding);
  select.current = onSelectBuilding;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let live = true;
    let created: CommunityMap | null = null;
    let observer: ResizeObserver | null = null;
    CommunityMap.create(el, layout, { lang, renderer: rendererFromUrl(), onSelectBuilding: (id) => select.current(id) })
      .then((m) => {
        if (!live) return m.destroy();
        created = m;
        m.canvas.dataset.testid = 'map-canvas';
        m.canvas.dataset.renderer = m.renderer;
        m.canvas.setAttribute('role', 'img');
        observer = new ResizeObserver(() => m.resize(el.clientWidth, el.clientHeight));
        observer.observe(el);
        setMap(m);
      })
      .catch((error: unknown) => live && setFailure(error instanceof Error ? error.message : String(error)));
    return () => {
      live = false;
      observer?.disconnect();
      created?.destroy();
      setMap(null);
    };
    // Rebuilt only for a new community; language, lots and selection are forwarded below.
  }, [layout]);

  useEffect(() => map?.setLots(lots), [map, lots]);
  useEffect(() => map?.setAlarms(alarms ?? {}), [map, alarms]);
  useEffect(() => map?.setSelected(selected), [map, selected]);
  useEffect(() => {
    map?.setLang(lang);
    map?.canvas.setAttribute('aria-label', t('mapAria'));
  }, [map, lang, t]);

  return (
    <section class="map" aria-label={t('mapTitle')}>
      <div class="map-host" ref={host} />
      {failure && <p class="map-failure" role="alert">{t('mapFailed', { error: failure })}</p>}
      <ul class="legend" aria-label={t('mapLegend')}>
        <LegendItem colour={BAND_COLOURS.low} label={t('legendLow')} />
        <LegendItem colour={BAND_COLOURS.mid} label={t('legendMid')} />
        <LegendItem colour={BAND_COLOURS.high} label={t('legendHigh')} />
        <LegendItem colour={BAND_COLOURS.none} label={t('legendNone')} />
      </ul>
    </section>
  );
}

function LegendItem({ colour, label }: { colour: number; label: string }) {
  return (
    <li>
      <span class="swatch" style={{ background: cssColour(colour) }} />
      {label}
    </li>
  );
}
