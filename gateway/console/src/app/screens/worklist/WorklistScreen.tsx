/** The worklist screen (placeholder until it is built). */
export function WorklistScreen() {
  return <section data-testid="worklist-screen" />;
}
