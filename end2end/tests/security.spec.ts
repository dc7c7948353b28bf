import { expect, signIn, test } from '../fixtures';
import type { Page } from '@playwright/test';

// Every page type, public and signed in, is served with a Content-Security-Policy that allows
// no inline script but by its hash, and, hydrated, reports no violation of it: the islands
// hydrate, the lazy routes load, the maps draw. (The fixture also fails any test on a console
// error, which is where Chromium reports a refused script or style.)

const PUBLIC = [
  '/',
  '/partenariats?q=eau&country=BF',
  '/partenariats/1',
  '/partenariats/1/historique',
  '/carte',
  '/pays/BF',
  '/collectivites/commune-73065',
  '/collectivites/region-84',
  '/statistiques',
  '/donnees-ouvertes',
  '/synergies?country=BF&theme=DUR',
  '/connexion',
  '/compte/demande',
  '/compte/mot-de-passe-oublie',
  '/page-qui-n-existe-pas',
];

const SIGNED_IN: Record<string, string[]> = {
  'agent@chambery.fr': ['/espace', '/espace/declarations/nouvelle', '/compte'],
  'moderation@diplomatie.gouv.fr': ['/moderation', '/moderation/comptes', '/administration/thematiques', '/administration/ambassades'],
  'admin@atlas.test': ['/administration/comptes', '/administration/formes'],
};

/** Collects the page's CSP violations from the moment it starts. */
async function watchViolations(page: Page) {
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
}

async function check(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response, path).not.toBeNull();
  const headers = response!.headers();
  const policy = headers['content-security-policy'] ?? '';
  const scripts = policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
  expect(scripts, `${path}: script-src`).toMatch(/^script-src 'self'/);
  expect(scripts, `${path}: script-src`).not.toContain('unsafe-inline');
  expect(policy, `${path}: frame-ancestors`).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options'], path).toBe('nosniff');
  expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
  expect(headers['x-frame-options'], path).toBe('DENY');
  await page.waitForLoadState('networkidle');
  const violations = await page.evaluate(() => (window as any).__violations as string[]);
  expect(violations, `${path}: ${violations.join(', ')}`).toEqual([]);
}

test('public pages carry a strict policy and break none of it', async ({ page }) => {
  test.setTimeout(90_000);
  await watchViolations(page);
  for (const path of PUBLIC) {
    await check(page, path);
  }
});

for (const [email, paths] of Object.entries(SIGNED_IN)) {
  test(`pages of ${email} carry a strict policy and break none of it`, async ({ page }) => {
    test.setTimeout(90_000);
    await watchViolations(page);
    await signIn(page, email);
    for (const path of paths) {
      await check(page, path);
    }
  });
}

test('the API and files refuse to run or frame anything', async ({ request }) => {
  for (const path of ['/api/v1/partnerships?q=eau', '/api/v1/openapi.json', '/api/v1/partnerships.csv']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    const headers = response.headers();
    expect(headers['content-security-policy'], path).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    expect(headers['x-content-type-options'], path).toBe('nosniff');
  }
});
