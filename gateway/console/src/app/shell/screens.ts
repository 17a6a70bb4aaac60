import type { CallerRole } from '../session/console-config';

/** A screen of the console: where it lives and who may open it (the provinces' rules still decide what it shows). */
export interface ScreenEntry {
  path: string;
  /** Key of its name in SHELL_MESSAGES. */
  title: 'nation' | 'arrivals' | 'worklist' | 'enterprise';
  roles: readonly CallerRole[];
}

/** The console's screens, in navigation order. */
export const SCREENS: readonly ScreenEntry[] = [
  { path: '/nation', title: 'nation', roles: ['ministry', 'province', 'city'] },
  { path: '/arrivals', title: 'arrivals', roles: ['city', 'province'] },
  { path: '/worklist', title: 'worklist', roles: ['province', 'city'] },
  { path: '/enterprise', title: 'enterprise', roles: ['enterprise'] },
];

/** The first screen of a role (where it lands after sign-in). */
export function homeOf(role: CallerRole): string {
  return SCREENS.find((s) => s.roles.includes(role))?.path ?? '/nation';
}
