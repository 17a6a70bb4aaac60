/** The arrivals screen (placeholder until it is built). */
export function ArrivalsScreen() {
  return <section data-testid="arrivals-screen" />;
}
