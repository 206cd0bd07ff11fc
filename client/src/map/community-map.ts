/**
 * @module client/map/community-map
 * The Pixi.js scene of one community, framed on its boundary: ways, building footprints
 * (residential ones clickable), car parks coloured by occupancy with an "occupied/capacity" label,
 * gates and amenities. Owns: the Pixi Application, its canvas, projection and redraws.
 * Does not: talk to rooms. Rendering is on demand (no ticker): geometry is redrawn only on
 * resize, a live lot update redraws that lot, selection and hover redraw one building; the
 * canvas's `data-frames` counts renders so tests can wait for the first one.
 * Renderer: WebGL first, then Pixi's canvas 2D renderer (headless or GPU-less browsers).
 */
import { Application, Container, Graphics, Text, type TextStyleOptions } from 'pixi.js';
import type { BuildingLayout, CommunityLayout, LotLayout } from '../../../actors/community/layout.ts';
import { pick, type Lang } from '../i18n.ts';
import type { LotLive, MapState } from '../protocol.ts';
import { BAND_COLOURS, occupancyBand } from './occupancy.ts';
import { fitProjection, ringCentre, viewBounds, type Bounds, type Projection } from './projection.ts';

export type RendererChoice = 'webgl' | 'canvas';

export interface MapOptions {
  readonly lang: Lang;
  /** Forces one renderer (debugging, tests); default tries WebGL then canvas. */
  readonly renderer?: RendererChoice;
  onSelectBuilding(buildingId: string): void;
}

const PADDING_PX = 16;
const BACKGROUND = 0xf4f1ea;
const STYLE = {
  boundary: { fill: 0xe6eddc, stroke: 0xa9bb95 },
  way: { major: 0xc2c2c2, minor: 0xd4d4d4 },
  building: { fill: 0xdcd6cc, stroke: 0xb3aa9c },
  home: { fill: 0xeccfa6, stroke: 0x9c7346, hover: 0xf6dfbd, selected: 0x4f7fd9, selectedStroke: 0x1f4fa8 },
  gate: 0x6d4c41,
  amenity: 0x1e88e5,
  alarm: { critical: 0xd64541, major: 0xf08c00 },
} as const;
const MAJOR_WAYS = new Set(['primary', 'secondary', 'tertiary', 'residential', 'service', 'unclassified']);
const LABEL: TextStyleOptions = {
  fontFamily: 'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", sans-serif',
  fontSize: 11,
  fill: 0x2b2b2b,
  stroke: { color: 0xffffff, width: 3 },
};

interface HomeView {
  readonly layout: BuildingLayout;
  readonly shape: Graphics;
  readonly label: Text;
}

interface LotView {
  readonly layout: LotLayout;
  readonly shape: Graphics;
  readonly label: Text;
  live: LotLive | undefined;
}

export class CommunityMap {
  readonly canvas: HTMLCanvasElement;
  readonly renderer: RendererChoice;
  readonly #app: Application;
  readonly #layout: CommunityLayout;
  readonly #view: Bounds;
  readonly #base = new Graphics();
  readonly #markers = new Graphics();
  readonly #alarms = new Graphics();
  #alarmPoints: { lon: number; lat: number; severity: string }[] = [];
  readonly #homes = new Map<string, HomeView>();
  readonly #lots = new Map<string, LotView>();
  #projection: Projection;
  #selected: string | null = null;
  #hovered: string | null = null;
  #frame = 0;
  #frames = 0;

  /** Creates the Pixi application (async in Pixi 8) sized to `host` and draws the community once. */
  static async create(host: HTMLElement, layout: CommunityLayout, options: MapOptions): Promise<CommunityMap> {
    const order: RendererChoice[] = options.renderer ? [options.renderer] : ['webgl', 'canvas'];
    let lastError: unknown;
    for (const choice of order) {
      const app = new Application();
      try {
        await app.init({
          preference: choice,
          width: Math.max(host.clientWidth, 1),
          height: Math.max(host.clientHeight, 1),
          background: BACKGROUND,
          antialias: true,
          autoDensity: true,
          resolution: window.devicePixelRatio || 1,
          autoStart: false,
        });
      } catch (error) {
        lastError = error; // this renderer is unavailable here: try the next one
        app.destroy();
        continue;
      }
      return new CommunityMap(app, host, layout, options, app.renderer.name === 'canvas' ? 'canvas' : 'webgl');
    }
    throw lastError instanceof Error ? lastError : new Error('no Pixi renderer is available');
  }

  private constructor(app: Application, host: HTMLElement, layout: CommunityLayout, options: MapOptions, renderer: RendererChoice) {
    this.#app = app;
    this.#layout = layout;
    this.#view = viewBounds(layout.boundary, layout.bounds);
    this.renderer = renderer;
    this.canvas = app.canvas;
    this.#projection = this.#fit();
    host.appendChild(this.canvas);

    const homeLayer = new Container();
    const lotLayer = new Container();
    const labels = new Container();
    for (const b of layout.buildings) {
      if (!b.residential) continue;
      const shape = new Graphics();
      shape.eventMode = 'static';
      shape.cursor = 'pointer';
      shape.label = b.id;
      shape.on('pointertap', () => options.onSelectBuilding(b.id));
      shape.on('pointerover', () => this.#setHover(b.id));
      shape.on('pointerout', () => this.#setHover(null));
      const label = new Text({ text: pick(b.name, options.lang), style: LABEL, anchor: 0.5 });
      label.eventMode = 'none';
      this.#homes.set(b.id, { layout: b, shape, label });
      homeLayer.addChild(shape);
      labels.addChild(label);
    }
    for (const lot of layout.lots) {
      const shape = new Graphics();
      const label = new Text({ text: '', style: { ...LABEL, fontWeight: 'bold' }, anchor: 0.5 });
      this.#lots.set(lot.id, { layout: lot, shape, label, live: undefined });
      lotLayer.addChild(shape);
      labels.addChild(label);
    }
    app.stage.addChild(this.#base, lotLayer, homeLayer, this.#markers, labels, this.#alarms);
    this.canvas.dataset.alarms = '0';
    this.#drawAll();
  }

  /** Applies the map room's lot readings; only lots whose numbers changed are redrawn. */
  setLots(lots: MapState['lots']): void {
    let changed = false;
    for (const view of this.#lots.values()) {
      const next = lots[view.layout.id];
      const prev = view.live;
      if (next?.occupied === prev?.occupied && next?.capacity === prev?.capacity) continue;
      view.live = next ? { ...next } : undefined;
      this.#drawLot(view);
      changed = true;
    }
    if (changed) this.#requestRender();
  }

  /** Marks every open alarm at its device's point: red for critical, orange for major. */
  setAlarms(alarms: MapState['alarms']): void {
    const open = Object.values(alarms).filter((a) => a.status !== 'resolved');
    this.#alarmPoints = open.map((a) => ({ lon: a.lon, lat: a.lat, severity: a.severity }));
    this.canvas.dataset.alarms = String(open.length);
    this.#drawAlarms();
    this.#requestRender();
  }

  #drawAlarms(): void {
    const g = this.#alarms.clear();
    for (const a of this.#alarmPoints) {
      const [x, y] = this.#projection.project([a.lon, a.lat]);
      const colour = a.severity === 'critical' ? STYLE.alarm.critical : STYLE.alarm.major;
      g.circle(x, y, 14).fill({ color: colour, alpha: 0.25 }).stroke({ width: 2, color: colour });
      g.circle(x, y, 6).fill(colour).stroke({ width: 1.5, color: 0xffffff });
    }
  }

  setSelected(buildingId: string | null): void {
    if (buildingId === this.#selected) return;
    const previous = this.#selected;
    this.#selected = buildingId;
    this.#redrawHome(previous);
    this.#redrawHome(buildingId);
    this.#requestRender();
  }

  setLang(lang: Lang): void {
    for (const home of this.#homes.values()) home.label.text = pick(home.layout.name, lang);
    this.#requestRender();
  }

  /** Fits the community into a new canvas size and redraws all geometry. */
  resize(width: number, height: number): void {
    if (width < 1 || height < 1) return;
    this.#app.renderer.resize(width, height);
    this.#projection = this.#fit();
    this.#drawAll();
  }

  destroy(): void {
    cancelAnimationFrame(this.#frame);
    this.#app.destroy({ removeView: true }, { children: true });
  }

  #fit(): Projection {
    const { width, height } = this.#app.renderer.screen;
    return fitProjection(this.#view, { width, height, padding: PADDING_PX });
  }

  #drawAll(): void {
    this.#drawBase();
    for (const home of this.#homes.values()) this.#drawHome(home);
    for (const lot of this.#lots.values()) this.#drawLot(lot);
    this.#drawMarkers();
    this.#drawAlarms();
    this.#requestRender();
  }

  #drawBase(): void {
    const p = this.#projection;
    const g = this.#base.clear();
    if (this.#layout.boundary.length > 2) {
      g.poly(p.projectPath(this.#layout.boundary), true)
        .fill(STYLE.boundary.fill)
        .stroke({ width: 1.5, color: STYLE.boundary.stroke });
    }
    for (const way of this.#layout.ways) {
      if (way.line.length < 2) continue;
      const major = MAJOR_WAYS.has(way.kind);
      g.poly(p.projectPath(way.line), false).stroke({
        width: major ? 3 : 1.5,
        color: major ? STYLE.way.major : STYLE.way.minor,
        cap: 'round',
        join: 'round',
      });
    }
    for (const b of this.#layout.buildings) {
      if (b.residential || b.footprint.length < 3) continue;
      g.poly(p.projectPath(b.footprint), true).fill(STYLE.building.fill).stroke({ width: 1, color: STYLE.building.stroke });
    }
  }

  #drawHome(home: HomeView): void {
    const selected = home.layout.id === this.#selected;
    const hovered = home.layout.id === this.#hovered;
    const fill = selected ? STYLE.home.selected : hovered ? STYLE.home.hover : STYLE.home.fill;
    const stroke = selected ? STYLE.home.selectedStroke : STYLE.home.stroke;
    home.shape.clear();
    if (home.layout.footprint.length >= 3) {
      home.shape.poly(this.#projection.projectPath(home.layout.footprint), true).fill(fill).stroke({ width: selected ? 2 : 1, color: stroke });
    }
    home.label.position.set(...this.#projection.project(ringCentre(home.layout.footprint)));
  }

  #redrawHome(buildingId: string | null): void {
    const home = buildingId ? this.#homes.get(buildingId) : undefined;
    if (home) this.#drawHome(home);
  }

  #drawLot(view: LotView): void {
    const band = occupancyBand(view.live);
    const colour = BAND_COLOURS[band];
    view.shape.clear();
    if (view.layout.polygon.length >= 3) {
      view.shape.poly(this.#projection.projectPath(view.layout.polygon), true)
        .fill({ color: colour, alpha: 0.8 })
        .stroke({ width: 1, color: colour });
    }
    const capacity = view.live && view.live.capacity > 0 ? view.live.capacity : view.layout.capacity;
    view.label.text = `${view.live ? view.live.occupied : '–'}/${capacity}`;
    view.label.position.set(...this.#projection.project(ringCentre(view.layout.polygon)));
  }

  #drawMarkers(): void {
    const p = this.#projection;
    const g = this.#markers.clear();
    for (const gate of this.#layout.gates) {
      const [x, y] = p.project(gate.at);
      g.rect(x - 3.5, y - 3.5, 7, 7).fill(STYLE.gate).stroke({ width: 1, color: 0xffffff });
    }
    for (const amenity of this.#layout.amenities) {
      const [x, y] = p.project(amenity.at);
      g.circle(x, y, 3.5).fill(STYLE.amenity).stroke({ width: 1, color: 0xffffff });
    }
  }

  #setHover(buildingId: string | null): void {
    const previous = this.#hovered;
    this.#hovered = buildingId;
    this.#redrawHome(previous);
    this.#redrawHome(buildingId);
    this.#requestRender();
  }

  /** Coalesces any number of changes in one frame into one render. */
  #requestRender(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#app.render();
      this.canvas.dataset.frames = String(++this.#frames);
    });
  }
}
