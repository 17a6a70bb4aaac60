/**
 * The Docker Compose env-file syntax, as `npm run keys` writes and reads it: one `NAME="value"`
 * per line (double quotes, `\n`, `\\` and `\"` escapes, so a PEM key fits on one line), blank
 * lines and `#` comments; `NAME='value'` and unquoted `NAME=value` are read too (a file edited by
 * hand).
 */

const NAME = /^[A-Z_][A-Z0-9_]*$/i;

/** One `NAME="value"` line; newlines become `\n` escapes. */
export function envLine(name: string, value: string): string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`not an env name: ${name}`);
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
  return `${name}="${escaped}"`;
}

/** The name a line sets, if it sets one. */
function nameOf(line: string): string | undefined {
  const match = /^\s*(?:export\s+)?([^=\s#]+)\s*=/.exec(line);
  return match && NAME.test(match[1]!) ? match[1] : undefined;
}

/**
 * The settings of an env file's text, name → value.
 * @param file its name, for the error message
 * @throws Error naming the file and the line number (never a value) on a line it cannot read or
 * a name set twice
 */
export function readEnvFile(text: string, file: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const name = nameOf(line);
    const rest = name === undefined ? undefined : line.slice(line.indexOf('=') + 1).trim();
    const value =
      rest === undefined
        ? undefined
        : rest.startsWith('"')
          ? /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/
              .exec(rest)?.[1]
              ?.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
          : rest.startsWith("'")
            ? /^'([^']*)'\s*(#.*)?$/.exec(rest)?.[1]
            : rest.replace(/\s+#.*$/, '');
    if (name === undefined || value === undefined)
      throw new Error(`${file}, line ${index + 1}: not a NAME="value" line`);
    if (name in settings) throw new Error(`${file}: ${name} is set twice (lines up to ${index + 1})`);
    settings[name] = value;
  }
  return settings;
}

/** `text` with the line setting `name` replaced by `name="value"` (appended when absent); other lines kept. */
export function withEnvSetting(text: string, name: string, value: string): string {
  const lines = text.trim() === '' ? [] : text.replace(/\n$/, '').split('\n');
  const index = lines.findIndex((line) => nameOf(line) === name);
  if (index === -1) lines.push(envLine(name, value));
  else lines[index] = envLine(name, value);
  return `${lines.join('\n')}\n`;
}

/** An env file's text from settings, after optional `#` comment lines. */
export function envFileText(settings: Record<string, string>, comments: string[] = []): string {
  const lines = [
    ...comments.map((c) => `# ${c}`),
    ...Object.entries(settings).map(([k, v]) => envLine(k, v)),
  ];
  return `${lines.join('\n')}\n`;
}
