// Test helper: opens a local HTML file in Debian's headless chromium through playwright-core, offline, recording
// console errors.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

export const chromiumPath = process.env.CACHEQUAKE_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenedPage extends AsyncDisposable {
  page: Page;
  /** console.error messages and uncaught exceptions, in order. */
  errors: string[];
  /** Every request that tried to leave file:// or the page's origin (a self-contained page makes none). */
  external: string[];
}

export function openInChromium(file: string, viewport = { width: 1400, height: 900 }): Promise<OpenedPage> {
  return openUrl(pathToFileURL(file).href, (url) => url.startsWith('file:') || url.startsWith('data:'), viewport);
}

/** A page served over http (the live view): only its own origin may be reached. */
export function openHttpInChromium(href: string, viewport = { width: 1400, height: 900 }): Promise<OpenedPage> {
  const origin = new URL(href).origin;
  return openUrl(href, (url) => url.startsWith(`${origin}/`) || url.startsWith('data:'), viewport);
}

async function openUrl(
  href: string,
  allowed: (url: string) => boolean,
  viewport: { width: number; height: number },
): Promise<OpenedPage> {
  const profile = await mkdtemp(join(tmpdir(), 'cq-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args,
    viewport,
  });
  const errors: string[] = [];
  const external: string[] = [];
  const close = async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (allowed(url)) return route.continue();
      external.push(url);
      return route.abort();
    });
    await page.goto(href, { waitUntil: 'load' });
    return { page, errors, external, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}
