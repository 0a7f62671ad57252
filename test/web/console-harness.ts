import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { bodyOf, SmtpReceiver, TEST_PASSWORD, TestContext } from '@app/testing';
import { checkScreen } from './screen-checks';

export { expectFrench } from './english';
export { checkA11y, checkScreen, screenshot } from './screen-checks';

/**
 * Issue 9: the web console driven in a real browser (Debian's chromium) against the real API,
 * which serves the console as built by Vite, on a port of its own. Nothing is mocked: the
 * console calls the public API, the API its PostgreSQL, Redis and SMTP receiver.
 */
const ROOT = join(__dirname, '..', '..');
export const WEB_DIST = join(ROOT, 'dist', 'web');
const SOURCES = join(ROOT, 'apps', 'web');
const LOCK = join(ROOT, 'dist', '.web-build.lock');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The time zone of the tenants' preset (CH du Mans): the browser runs in it too. */
export const TIME_ZONE = 'Europe/Paris';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const fresh = () => existsSync(join(WEB_DIST, 'index.html')) && statSync(join(WEB_DIST, 'index.html')).mtimeMs >= newest(SOURCES);
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds the console (vite build -> dist/web) unless the build is newer than every source; one test file at a time. */
export function ensureConsoleBuilt(): void {
  if (fresh()) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (const deadline = Date.now() + 180_000; ;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) rmdirSync(LOCK, { recursive: false }); // left by a build that crashed
      else if (Date.now() > deadline) throw new Error('Another test file has been building the console for 3 minutes');
      pause(250);
    }
  }
  try {
    if (!fresh()) {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(SOURCES, 'vite.config.mts'), '--logLevel', 'warn'], {
        cwd: ROOT, stdio: 'inherit', timeout: 170_000,
      });
    }
  } finally {
    rmdirSync(LOCK);
  }
}

/** The API of the test context, listening on a free port: the browser reaches it like a person would. */
export async function serve(ctx: TestContext): Promise<string> {
  await ctx.api.listen(0, '127.0.0.1');
  const { port } = ctx.api.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** What a browser test runs on: the console built, the API serving it (a worker beside it), an SMTP receiver, Chromium. */
export interface ConsoleRig {
  smtp: SmtpReceiver;
  ctx: TestContext;
  browser: Browser;
  baseUrl: string;
}

/** Registers the beforeAll / afterAll that start and stop a rig; its fields are set once beforeAll has run. */
export function useConsoleRig(): ConsoleRig {
  const rig = {} as ConsoleRig;
  beforeAll(async () => {
    ensureConsoleBuilt();
    rig.smtp = await SmtpReceiver.start();
    rig.ctx = await TestContext.start({ env: { SMTP_URL: rig.smtp.url, WEB_DIR: WEB_DIST }, worker: true });
    rig.baseUrl = await serve(rig.ctx);
    rig.browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await rig.browser?.close();
    await rig.ctx?.close();
    await rig.smtp?.stop();
  });
  return rig;
}

/** describe() over a console rig, like describeApi: the body's tests read the rig once its beforeAll has run. */
export function describeConsole(name: string, body: (rig: ConsoleRig) => void): void {
  describe(name, () => body(useConsoleRig()));
}

/** Signs in at `path`, through the console's form, a person whose TOTP is enrolled (`ctx.createUser({ enrolled: true })`). */
export async function signInEnrolled(page: Page, rig: ConsoleRig, path: string, person: { email: string; totpSecret?: string }): Promise<void> {
  await page.goto(`${rig.baseUrl}${path}`);
  await page.getByLabel('Adresse e-mail').fill(person.email);
  await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Code à 6 chiffres').fill(await rig.ctx.totp(person.totpSecret!));
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** A first sign-in from the sign-in page: the password, the TOTP enrolled, the recovery codes kept. Answers the TOTP secret. */
export async function signInEnrolling(page: Page, ctx: TestContext, password: string): Promise<string> {
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Continuer' }).click();
  const secret = (await page.locator('#totp-secret').textContent())!.trim();
  await page.getByLabel('Code à 6 chiffres').fill(await ctx.totp(secret));
  await page.getByRole('button', { name: 'Activer' }).click();
  await page.getByLabel('J’ai conservé mes codes de secours').check();
  await page.getByRole('button', { name: 'Accéder à Prestagate' }).click();
  return secret;
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
}

/**
 * A person's browser: French, on the tenant's time zone, at the test clock's instant (the API runs
 * on the test's ManualClock; the page sees the same "now"), with a bounded wait for every step.
 */
export async function openBrowser(browser: Browser, ctx: TestContext): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'fr-FR', timezoneId: TIME_ZONE, viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  await context.clock.setFixedTime(ctx.clock.now());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A refused request shows as a console error in Chromium: expected when the test provokes one.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  (page as Page & { consoleErrors: string[] }).consoleErrors = errors;
  return { context, page };
}

export function consoleErrors(page: Page): string[] {
  return (page as Page & { consoleErrors?: string[] }).consoleErrors ?? [];
}

/** Moves the test clock and the browser's together. */
export async function advance(ctx: TestContext, context: BrowserContext, ms: number): Promise<void> {
  ctx.clock.advance(ms);
  await context.clock.setFixedTime(ctx.clock.now());
}

/** The one-time token of the invitation e-mail sent to `email`. */
export async function invitationToken(smtp: SmtpReceiver, email: string): Promise<string> {
  const [mail] = await smtp.waitForSubject(email, 'Invitation');
  return /accept-invitation\?token=([\w-]+)/.exec(bodyOf(mail.raw))![1];
}

/** `2026-11-23T10:15` for a datetime-local input, in the browser's time zone. */
export function localInput(instant: Date): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The message shown next to a field: the element its aria-describedby names, first. */
export async function fieldError(page: Page, label: string | RegExp): Promise<string> {
  const input = page.getByLabel(label, { exact: typeof label === 'string' });
  const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
  const id = describedBy.split(' ').find((i) => i.endsWith('-error'));
  if (!id) return '';
  return (await page.locator(`[id="${id}"]`).textContent()) ?? '';
}

/** A list answer as its items, whether the route answers an array or a page `{items, nextCursor}`. */
export function itemsOf<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}

/** Types a new password and its confirmation (invitation, password change). */
export async function fillNewPassword(page: Page, password: string): Promise<void> {
  await page.getByLabel('Nouveau mot de passe').fill(password);
  await page.getByLabel('Confirmer le mot de passe').fill(password);
}

/** R-POL: a password the policy refuses first (its message next to the field, screen `step`), then `password`. */
export async function choosePassword(page: Page, submit: string, step: string, password: string): Promise<void> {
  await fillNewPassword(page, 'court');
  await page.getByRole('button', { name: submit }).click();
  await page.getByRole('alert').waitFor();
  expect(await fieldError(page, 'Nouveau mot de passe')).toContain('Le mot de passe doit respecter la politique');
  await checkScreen(page, step);
  await fillNewPassword(page, password);
  await page.getByRole('button', { name: submit }).click();
}

/**
 * A link of the main menu. Scoped to the navigation and matched exactly: a page's own content (a company
 * named "webhooks SAS" in the contractors list) may hold a link whose name contains a menu label. Its `click`
 * and `waitFor` first open the group holding the link (a disclosure button), as a person would.
 */
export function menu(page: Page, label: string): Locator {
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  const link = nav.getByRole('link', { name: label, exact: true, includeHidden: true });
  const open = async () => {
    await link.waitFor({ state: 'attached' });
    const inGroup = page.getByRole('link', { name: label, exact: true, includeHidden: true }); // `has` is relative to the group
    const button = nav.locator('li.menu-group').filter({ has: inGroup }).locator(':scope > button');
    if (await button.count() && (await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  };
  return new Proxy(link, {
    get(target, property, receiver) {
      if (property === 'click' || property === 'waitFor') {
        return async (...args: unknown[]) => {
          await open();
          return (target[property] as (...a: unknown[]) => Promise<void>).apply(target, args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A binding act's confirmation (apps/web/src/confirm.tsx): waits for the dialog stating `consequence`, gives the reason
 * when one is asked, confirms, and answers the success line announced once the dialog has closed.
 */
export async function confirmAct(page: Page, consequence: string | RegExp, reason?: string): Promise<string> {
  const dialog = page.getByRole('dialog');
  await dialog.getByText(consequence).waitFor();
  if (reason) await dialog.getByRole('textbox').fill(reason);
  await dialog.locator('button[type="submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  const status = page.locator('.act-status .alert > span');
  await status.waitFor();
  return (await status.textContent()) ?? '';
}
