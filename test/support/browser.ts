// A real browser for end-to-end tests: Debian's chromium driven by playwright-core. A missing
// chromium fails the test with how to install it; it is never skipped.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** test-artifacts/ at the project root (gitignored): screenshots of the browser tests. */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no chromium at ${CHROMIUM}: install it (\`apt-get install -y chromium\`, as .ci/run does) or set CHROMIUM_PATH`);
  }
  // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** Every request of the page that failed or answered 400 or more, as `<status> <url>` lines. */
export function recordFailures(page: Page): string[] {
  const failures: string[] = [];
  page.on('requestfailed', (r) => failures.push(`failed ${r.url()} (${r.failure()?.errorText ?? '?'})`));
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
  return failures;
}
