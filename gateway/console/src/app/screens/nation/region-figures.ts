/**
 * The figures of one region as the nation screen shows them: read from a `Summary` (and the same
 * summary as of the end of yesterday, for what moved today), with whether its province answered.
 */
import type { NationFiguresFragment } from '../../generated/graphql.js';

/** The part of a summary that says how many passengers departed from inside its scope. */
export interface MovedFigures {
  transport: { outbound: { moved: { passengers: number } }; internal: { moved: { passengers: number } } };
}

/** Whether a region's figures can be read: its province did not answer, nothing is recorded, or figures. */
export type RegionStatus = 'unavailable' | 'empty' | 'ok';

/** One region's figures, flat (one value per figure). */
export interface RegionFigures {
  code: string;
  name: string;
  status: RegionStatus;
  registered: number;
  atHome: number;
  travelling: number;
  atWork: number;
  underObservation: number;
  out: number;
  outRate: number;
  /** Passengers who departed from inside the region today: departed so far minus departed by the end of yesterday. */
  movedToday: number | null;
  tripsOut: number;
  passengersOut: number;
  tripsIn: number;
  passengersIn: number;
  tripsInternal: number;
  passengersInternal: number;
  movedOut: number;
  movedIn: number;
  vehicles: number;
  enterprises: number;
  keyEnterprises: number;
  openings: number;
  filled: number;
  keyOpenings: number;
  keyFilled: number;
  keyFillRate: number;
  withinTownship: number;
  withinCounty: number;
  withinCity: number;
  withinProvince: number;
  crossProvince: number;
}

/** Passengers who departed from inside a scope (trips out of it and trips within it). */
export function departedPassengers(summary: MovedFigures): number {
  return summary.transport.outbound.moved.passengers + summary.transport.internal.moved.passengers;
}

/** Flattens a summary into a region's figures. */
export function regionFigures(
  summary: NationFiguresFragment,
  name: string,
  options: { yesterday?: MovedFigures | null; unavailable?: boolean },
): RegionFigures {
  const { workers, transport, employment } = summary;
  const figures: Omit<RegionFigures, 'status'> = {
    code: summary.scope,
    name,
    registered: workers.registered,
    atHome: workers.atHome,
    travelling: workers.travelling,
    atWork: workers.atWork,
    underObservation: workers.underObservation,
    out: workers.out,
    outRate: workers.outRate,
    movedToday: options.yesterday
      ? departedPassengers(summary) - departedPassengers(options.yesterday)
      : null,
    tripsOut: transport.outbound.trips,
    passengersOut: transport.outbound.passengers,
    tripsIn: transport.inbound.trips,
    passengersIn: transport.inbound.passengers,
    tripsInternal: transport.internal.trips,
    passengersInternal: transport.internal.passengers,
    movedOut: transport.outbound.moved.passengers,
    movedIn: transport.inbound.moved.passengers,
    vehicles: transport.vehicles,
    enterprises: employment.enterprises,
    keyEnterprises: employment.keyEnterprises,
    openings: employment.openings,
    filled: employment.filled,
    keyOpenings: employment.keyOpenings,
    keyFilled: employment.keyFilled,
    keyFillRate: employment.keyFillRate,
    ...workers.flow,
  };
  const nothing =
    figures.registered === 0 &&
    figures.enterprises === 0 &&
    figures.tripsOut + figures.tripsIn + figures.tripsInternal === 0;
  return { ...figures, status: options.unavailable ? 'unavailable' : nothing ? 'empty' : 'ok' };
}

/** A GraphQL error as urql keeps it (path and code are all this screen reads). */
export interface PathError {
  path?: readonly (string | number)[] | undefined;
  extensions?: { code?: unknown; province?: unknown } | undefined;
}

const UNANSWERED = new Set(['PROVINCE_UNAVAILABLE', 'PROVINCE_INCOMPATIBLE']);

/**
 * Which children of `summary` (by index) have a part their own province did not answer (the
 * gateway reads such a part as zeros and puts PROVINCE_UNAVAILABLE, naming the province in
 * `extensions.province`, at `summary.children.<i>.<part>`). A part that another province did not
 * answer (transport, which every province answers for) leaves the child's figures partial, not
 * unavailable: the screen says so once, above them.
 */
export function unansweredChildren(
  errors: readonly PathError[],
  childScopes: readonly string[],
  root = 'summary',
): Set<number> {
  const indexes = new Set<number>();
  for (const error of errors) {
    const [first, second, index] = error.path ?? [];
    if (first !== root || second !== 'children' || typeof index !== 'number') continue;
    if (!UNANSWERED.has(String(error.extensions?.code))) continue;
    const province = error.extensions?.province;
    const scope = childScopes[index] ?? '';
    if (typeof province !== 'string' || province === `${scope.slice(0, 2)}0000`) indexes.add(index);
  }
  return indexes;
}

/** The provinces named by PROVINCE_UNAVAILABLE / PROVINCE_INCOMPATIBLE errors, in code order. */
export function unansweredProvinces(errors: readonly PathError[]): string[] {
  const provinces = new Set<string>();
  for (const error of errors)
    if (UNANSWERED.has(String(error.extensions?.code)) && typeof error.extensions?.province === 'string')
      provinces.add(error.extensions.province);
  return [...provinces].sort();
}
