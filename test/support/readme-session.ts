// Reads the README's first session: between `<!-- first-session:begin -->` and
// `<!-- first-session:end -->`, each ```sh block is a step, and the plain ``` block that follows it
// (before the next ```sh block) is the output the README shows for it.

export interface SessionStep {
  /** The shell commands, as written. */
  command: string;
  /** What the README shows the commands print, when it shows it. */
  shown?: string;
}

const BEGIN = '<!-- first-session:begin -->';
const END = '<!-- first-session:end -->';

export function readmeSession(readme: string): SessionStep[] {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${BEGIN} ... ${END} section`);
  const section = readme.slice(start + BEGIN.length, end);
  const steps: SessionStep[] = [];
  for (const block of section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    const [, lang, body] = block as unknown as [string, string, string];
    if (lang === 'sh') steps.push({ command: body });
    else if (lang === '' && steps.length > 0 && steps.at(-1)!.shown === undefined) steps.at(-1)!.shown = body;
  }
  return steps;
}
