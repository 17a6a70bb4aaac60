/**
 * A small Dockerfile reader for the static checks of deploy/*.Dockerfile (no Docker daemon on
 * the development machine): instructions with their continuation lines joined, grouped by stage.
 */

/** One instruction: `RUN npm ci …` → `{ keyword: 'RUN', args: 'npm ci …' }`. */
export interface Instruction {
  keyword: string;
  args: string;
}

/** A build stage: its `FROM` image, its name (`AS …`) and its instructions after `FROM`. */
export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/**
 * Parses a Dockerfile into stages. Comments and blank lines are dropped, lines ending in `\` are
 * joined with the next (comment lines inside a continuation are skipped, as Docker does).
 * @throws Error when an instruction comes before the first `FROM` (other than `ARG`)
 */
export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    if (whole === '') continue;
    const space = whole.search(/\s/);
    instructions.push({
      keyword: (space < 0 ? whole : whole.slice(0, space)).toUpperCase(),
      args: space < 0 ? '' : whole.slice(space + 1).trim(),
    });
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      stages.push({ image, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`${instruction.keyword} before the first FROM`);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

/**
 * True when an image reference names one exact version: a digest (`@sha256:…`) or a tag with a
 * full `major.minor.patch` or `major.minor` version (`node:20.20.2-bookworm-slim`,
 * `postgres:16.6-bookworm`); false for no tag, `latest` or a bare major (`node:20`).
 */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : '';
  return /^\d+\.\d+(\.\d+)?(-[a-z0-9.-]+)?$/.test(tag);
}

/** The args of an exec-form instruction (`CMD ["node", "x.js"]`), or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The names an `ENV` instruction sets (`ENV A=1 B=2` or the old `ENV A 1`). */
export function envNames(args: string): string[] {
  if (!args.includes('=')) return [args.split(/\s+/)[0]!];
  return [...args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]!);
}
