import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { AxeResults, ImpactValue } from 'axe-core';
import type { Page } from 'playwright-core';
import { expectFrench } from './english';

/**
 * Issue 16: what every screen of a browser story is checked for. `checkScreen(page, step)` saves a full-page
 * screenshot, runs axe-core (fails on serious or critical violations) and, on a French page, scans its texts
 * for English (R-L10N). Each check is also callable alone: `checkA11y`, `expectFrench`, `screenshot`.
 */
const ROOT = join(__dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const FAILING: ImpactValue[] = ['serious', 'critical'];

/** A node axe reports wrongly for one rule: skipped with the reason, which the failure would otherwise name. */
export interface A11yException {
  rule: string;
  /** The node's selector as axe prints it (its `target`). */
  target: string;
  why: string;
}

export interface ScreenOptions {
  /** Values the test seeded (names of people and companies, free text) that may read as English. */
  allow?: (string | RegExp)[];
  a11yExceptions?: A11yException[];
  /** Opens every `<details>` first, so that the forms they fold are checked (and drawn) too. */
  expand?: boolean;
}

export interface A11yViolation {
  rule: string;
  impact: string;
  help: string;
  helpUrl: string;
  targets: { target: string; html: string; summary: string }[];
}

/** The story a screenshot belongs to: the test file's name (`dsi-onboarding` for dsi-onboarding.e2e.ts). */
function story(): string {
  return basename(expect.getState().testPath ?? 'story').replace(/\.e2e\.ts$|\.ts$/, '');
}

/** Saves a full-page PNG at test-results/screenshots/<story>/<step>.png and prints its path. */
export async function screenshot(page: Page, step: string): Promise<string> {
  const dir = join(SCREENSHOTS, story());
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${step}.png`);
  await page.screenshot({ path, fullPage: true });
  process.stdout.write(`screenshot: ${relative(process.cwd(), path)}\n`);
  return path;
}

/** The serious and critical violations of WCAG 2.x A/AA and axe's best practices on the page as it is now. */
export async function a11yViolations(page: Page, exceptions: A11yException[] = []): Promise<A11yViolation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate<AxeResults>(`axe.run({ resultTypes: ['violations'] })`);
  return results.violations
    .filter((v) => FAILING.includes(v.impact ?? null))
    .map((v) => ({
      rule: v.id, impact: v.impact ?? '', help: v.help, helpUrl: v.helpUrl,
      targets: v.nodes
        .map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary ?? '' }))
        .filter((n) => !exceptions.some((e) => e.rule === v.id && e.target === n.target)),
    }))
    .filter((v) => v.targets.length > 0);
}

/** The failure's text: rule id, impact, help and each node's selector, markup and what is wrong. */
export function a11yReport(violations: A11yViolation[]): string | null {
  if (!violations.length) return null;
  const lines = violations.flatMap((v) => [
    `- ${v.rule} (${v.impact}): ${v.help} <${v.helpUrl}>`,
    ...v.targets.flatMap((n) => [`    at ${n.target}  ${n.html.slice(0, 160)}`, ...n.summary.split('\n').map((l) => `      ${l}`)]),
  ]);
  return `Accessibility: ${violations.length} serious or critical axe-core violation(s):\n${lines.join('\n')}`;
}

/** Fails on the page's serious or critical accessibility violations, listing them. */
export async function checkA11y(page: Page, exceptions: A11yException[] = []): Promise<void> {
  const report = a11yReport(await a11yViolations(page, exceptions));
  if (report) throw new Error(`${report}\n(on ${page.url()})`);
}

/**
 * One screen of a story: its screenshot, then axe-core and, when the page is in French, the English scan.
 * Both checks run before failing, so one run lists every problem of the screen.
 */
export async function checkScreen(page: Page, step: string, options: ScreenOptions = {}): Promise<void> {
  if (options.expand) await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = true; })');
  await screenshot(page, step);
  const problems: string[] = [];
  const lang = await page.evaluate<string>('document.documentElement.lang');
  const french = () => (lang.startsWith('fr') ? expectFrench(page, options.allow) : undefined);
  for (const check of [() => checkA11y(page, options.a11yExceptions), french]) {
    try {
      await check();
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (!problems.length) return;
  const message = `Screen "${story()}/${step}":\n${problems.join('\n')}`;
  // A survey: PRESTAGATE_SCREEN_REPORT=/tmp/screens.txt appends the problems of every screen and lets the story go on.
  if (process.env.PRESTAGATE_SCREEN_REPORT) appendFileSync(process.env.PRESTAGATE_SCREEN_REPORT, `${message}\n\n`);
  else throw new Error(message);
}
