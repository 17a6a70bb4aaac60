/**
 * The header's name of a caller signed in at the identity provider: his role and his region's
 * name (its code until the name is known, or when the directory has none), e.g. `省级 · 广西壮族自治区`.
 */
export function callerLabel<Role extends string>(
  caller: { role: Role; region?: string },
  regionName: string | null | undefined,
  roleNames: Record<Role, string>,
): string {
  const role = roleNames[caller.role] ?? caller.role;
  const where = regionName || caller.region;
  return where ? `${role} · ${where}` : role;
}
