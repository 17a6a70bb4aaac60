/** The nation screen (placeholder until it is built). */
export function NationScreen() {
  return <section data-testid="nation-screen" />;
}
