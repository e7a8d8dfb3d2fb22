// Every relative link of README.md and docs/*.md leads somewhere: the file is in the repository
// and the #section is a heading of it (GitHub's anchors). The documents name only what a clone
// holds: nothing outside the repository (`../shared/...` of the project's workspace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** The document's lines outside fenced code blocks, with their numbers. */
function proseLines(text: string): Array<{ line: string; number: number }> {
  let fenced = false;
  const out: Array<{ line: string; number: number }> = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) out.push({ line, number: i + 1 });
  });
  return out;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen; repeats get -1, -2. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { line } of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

interface Link {
  document: string;
  number: number;
  target: string;
}

/** Markdown links `[text](target)` in prose (not in code blocks or `code spans`), but web addresses. */
function relativeLinks(document: string, text: string): Link[] {
  const links: Link[] = [];
  for (const { line, number } of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, '``');
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links.push({ document, number, target });
    }
  }
  return links;
}

test('README.md and docs/*.md: every relative link names a file of the repository and a heading in it', () => {
  const broken: string[] = [];
  let count = 0;
  for (const document of DOCUMENTS) {
    const text = readFileSync(join(ROOT, document), 'utf8');
    for (const link of relativeLinks(document, text)) {
      count++;
      const [path, anchor] = link.target.split('#', 2) as [string, string | undefined];
      const file = path ? resolve(ROOT, dirname(document), decodeURIComponent(path)) : join(ROOT, document);
      const where = `${link.document}:${link.number}: ${link.target}`;
      if (relative(ROOT, file).startsWith('..')) {
        broken.push(`${where} (outside the repository)`);
      } else if (!existsSync(file)) {
        broken.push(`${where} (no such file)`);
      } else if (anchor !== undefined) {
        if (!file.endsWith('.md') || statSync(file).isDirectory()) broken.push(`${where} (an anchor in a file that is not markdown)`);
        else if (!anchorsOf(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${where} (no heading with that anchor)`);
      }
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(count > 20, `the documents link to each other (${count} relative links found)`);
});

test('README.md and docs/*.md name nothing outside the repository (no ../shared)', () => {
  const outside = DOCUMENTS.flatMap((document) =>
    readFileSync(join(ROOT, document), 'utf8')
      .split('\n')
      .flatMap((line, i) => (/\.\.\/shared\b|\/work\/shared\b/.test(line) ? [`${document}:${i + 1}: ${line.trim()}`] : [])),
  );
  assert.deepEqual(outside, []);
});

test('the anchors follow GitHub: punctuation dropped, spaces hyphens, repeats numbered', () => {
  const anchors = anchorsOf('# The API\n## In a browser: the playground and the dashboard\n## Live progress: `taskEvents`\n## Tests\n## Tests\n```\n# not a heading\n```\n');
  assert.deepEqual([...anchors], ['the-api', 'in-a-browser-the-playground-and-the-dashboard', 'live-progress-taskevents', 'tests', 'tests-1']);
});
