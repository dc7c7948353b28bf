import { expect, test as base, type Page } from '@playwright/test';
import { PASSWORD } from './playwright.config';

/** Console messages a page may log without being broken: the browser's own line for a page
 * answered with 300 (an ambiguous code), 401 (a page for signed-in people, signed out), 403
 * (a page for moderators, as someone else) or 404 (a missing page), which tests visit on
 * purpose, and for a save refused as stale (409), which the conflict stories cause on purpose. */
const EXPECTED = [/Failed to load resource: the server responded with a status of (300|401|403|404|409)/];

/**
 * Every test fails on an uncaught page error or a console error (a WASM panic, a hydration
 * mismatch), and, with JavaScript on, each `page.goto` waits until the page is hydrated.
 */
export const test = base.extend<{ watched: void }>({
  watched: [
    async ({ page, javaScriptEnabled }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !EXPECTED.some((e) => e.test(message.text()))) {
          errors.push(`console error: ${message.text()}`);
        }
      });
      if (javaScriptEnabled) {
        const goto = page.goto.bind(page);
        page.goto = async (url, options) => {
          const response = await goto(url, options);
          await expect(page.locator('header[data-hydrated="true"]')).toBeAttached({ timeout: 15_000 });
          return response;
        };
      }
      await use();
      expect(errors, errors.join('\n')).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Signs in by keyboard on the sign-in page (one of the accounts serve.sh makes) and waits
 * for the workspace. */
export async function signIn(page: Page, email: string) {
  await page.goto('/connexion');
  await page.getByLabel('Adresse électronique').focus();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/espace');
}
