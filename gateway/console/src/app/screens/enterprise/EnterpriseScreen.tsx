/** The enterprise screen (placeholder until it is built). */
export function EnterpriseScreen() {
  return <section data-testid="enterprise-screen" />;
}
