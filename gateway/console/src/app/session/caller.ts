import type { CallerRole } from './console-config';

/** Who the console speaks for: the claims of the bearer token (the gateway verifies them, the UI only reads them). */
export interface ConsoleCaller {
  role: CallerRole;
  region?: string;
  enterpriseId?: string;
  workerId?: string;
  /** What to call him in the header. */
  label: string;
}

/** The claims of a JWT's payload (not verified: the gateway does that on every request). */
export function callerOfToken(token: string, label?: string): ConsoleCaller {
  const payload = token.split('.')[1] ?? '';
  const json = atob(
    payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '='),
  );
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const role = (text(claims.role) ?? 'worker') as CallerRole;
  const region = text(claims.region);
  return {
    role,
    ...(region ? { region } : {}),
    ...(text(claims.enterpriseId) ? { enterpriseId: text(claims.enterpriseId)! } : {}),
    ...(text(claims.workerId) ? { workerId: text(claims.workerId)! } : {}),
    label: label ?? text(claims.name) ?? (region ? `${role} ${region}` : role),
  };
}
