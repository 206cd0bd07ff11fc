/**
 * @module actors/community/layout
 * The shape of a community file (fixtures/<community>/community.json): what the OSM importer
 * writes and what the server, the rooms and the map read. Types only; the client imports this.
 * Owns: the layout vocabulary (buildings, lots and their bays, gates, amenities, ways). Does not: read files.
 * Coordinates are WGS84 [lon, lat]; rings are closed (first point repeated at the end).
 */
export type LonLat = readonly [number, number];

export interface LocalizedName {
  readonly 'zh-CN': string;
  readonly en: string;
}

export interface BuildingLayout {
  /** Stable room id: `bldg-<osm way number>`. */
  readonly id: string;
  /** OSM element id, e.g. `way/594889490`. */
  readonly osmId: string;
  readonly name: LocalizedName;
  /** `building:levels` from OSM, or null when OSM does not say. */
  readonly levels: number | null;
  /** True for homes (numbered 号楼, building=residential/apartments); these get a live room. */
  readonly residential: boolean;
  readonly footprint: readonly LonLat[];
}

export interface LotLayout {
  /** Stable room id: `lot-<osm way number>`. */
  readonly id: string;
  readonly osmId: string;
  readonly name: LocalizedName;
  /** Number of spaces. */
  readonly capacity: number;
  /** `osm` when OSM tags it, `area` when estimated from the polygon's area. */
  readonly capacitySource: 'osm' | 'area';
  /** OSM `parking=*` (surface, underground, multi-storey, …) or `surface` when absent. */
  readonly kind: string;
  readonly polygon: readonly LonLat[];
  /** Device that reports this lot's occupancy (a lot counter), e.g. `lot-595108700-counter`. */
  readonly counterDeviceId: string;
  /**
   * The lot's bays, exactly `capacity` of them, laid out inside `polygon` by the OSM importer
   * (OSM maps lots, not bays). Each has a bay sensor (`<bay id>-sensor`).
   */
  readonly bays: readonly BayLayout[];
}

/**
 * One parking bay. `planned` and `owner` are slots for the property's bay plan (产权车位 /
 * 固定车位): the importer writes `planned: false, owner: null`; a bay planned for an owner has
 * `planned: true` and `owner` = the unit id it belongs to (e.g. `bldg-594889490-1-101`).
 */
export interface BayLayout {
  /** `<lot id>-b<nn>`, e.g. `lot-594882341-b07`; numbered row by row from 01. */
  readonly id: string;
  /** The bay's centre. */
  readonly at: LonLat;
  readonly planned: boolean;
  /** Unit id of the owner a planned bay serves first; null when not planned. */
  readonly owner: string | null;
  /** The bay's occupancy sensor, `<bay id>-sensor` (kind `bay-sensor`, signal `occupied`). */
  readonly sensorDeviceId: string;
}

export interface GateLayout {
  readonly id: string;
  readonly osmId: string;
  readonly name: LocalizedName;
  /** `entrance`, `lift_gate` or `gate`. */
  readonly kind: string;
  readonly at: LonLat;
  /** The barrier with plate reader at this gate (kind `gate`), `<gate id>-lpr`. */
  readonly deviceId: string;
}

export interface AmenityLayout {
  readonly id: string;
  readonly osmId: string;
  readonly name: LocalizedName;
  /** OSM `amenity`, `shop` or `leisure` value, e.g. `clinic`, `toilets`, `supermarket`. */
  readonly kind: string;
  readonly at: LonLat;
  /** True when the point lies inside the compound's boundary. */
  readonly inside: boolean;
}

export interface WayLayout {
  readonly id: string;
  readonly osmId: string;
  /** OSM `highway` value: service, footway, path, residential, … */
  readonly kind: string;
  readonly name: string | null;
  readonly line: readonly LonLat[];
}

export interface GroupLayout {
  /** Stable room id: `group-<slug>`. */
  readonly id: string;
  readonly name: LocalizedName;
}

export interface CommunityLayout {
  /** Short ASCII id used in subjects and stream names, e.g. `shikeyuan`. */
  readonly id: string;
  readonly name: LocalizedName;
  readonly osmId: string;
  /** Attribution that must travel with the data: "© OpenStreetMap contributors". */
  readonly attribution: string;
  readonly license: string;
  readonly source: string;
  readonly bounds: { readonly minLon: number; readonly minLat: number; readonly maxLon: number; readonly maxLat: number };
  readonly boundary: readonly LonLat[];
  readonly buildings: readonly BuildingLayout[];
  readonly lots: readonly LotLayout[];
  readonly gates: readonly GateLayout[];
  readonly amenities: readonly AmenityLayout[];
  readonly ways: readonly WayLayout[];
  readonly groups: readonly GroupLayout[];
}
