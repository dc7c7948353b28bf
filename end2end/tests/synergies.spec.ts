import AxeBuilder from '@axe-core/playwright';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { expect, test } from '../fixtures';
import { baseURL } from '../playwright.config';

// Who else works there, a feed of any view, a map to embed: what an authority's staff, a
// journalist and another website see.

/** A published partnership in Senegal whose page lists other authorities working there. */
async function partnershipInSenegal(request: import('@playwright/test').APIRequestContext) {
  const found = await (await request.get('/api/v1/partnerships?country=SN&status=ongoing&per_page=1')).json();
  return found.items[0] as { id: number; title: string };
}

test('a partnership says who else works in its country on a related theme', async ({ page }) => {
  const p = await partnershipInSenegal(page.request);
  await page.goto(`/partenariats/${p.id}`);
  const panel = page.getByRole('region', { name: 'Qui d\'autre ?' });
  await expect(panel).toBeVisible();
  const peers = panel.locator('ol.peers > li');
  expect(await peers.count()).toBeGreaterThan(0);
  // Closest first: each says why, and the reasons never get closer further down.
  const why = await panel.locator('ol.peers > li > .why').allInnerTexts();
  expect(why[0]).toMatch(/^même (partenaire|pays) · même (sous-thématique|thématique|grande thématique)/);
  const rank = (w: string) =>
    (w.startsWith('même partenaire') ? 100 : 0) +
    (w.includes('sous-thématique') ? 30 : w.includes('même thématique') ? 20 : 10) +
    (w.endsWith('en cours') ? 2 : w.endsWith('terminé') ? 0 : 1);
  for (let i = 1; i < why.length; i++) {
    expect(rank(why[i]), why.join('\n')).toBeLessThanOrEqual(rank(why[i - 1]));
  }
  // A peer leads to its page, and from it to its own partnerships there.
  const first = peers.first().locator('a.peer');
  const name = (await first.innerText()).trim();
  await first.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/collectivites\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name.replace(/ \(.*\)$/, ''));
});

test('an authority sees who else works in its countries, and the code to embed its map', async ({ page }) => {
  await page.goto('/collectivites/commune-73065');
  const others = page.getByRole('region', { name: 'Qui d\'autre travaille dans ces pays ?' });
  await expect(others).toBeVisible();
  await expect(others.getByRole('heading', { level: 3 }).first()).toBeVisible();
  await expect(others.locator('a.peer').first()).toBeVisible();
  const snippet = page.getByLabel('Code à copier');
  await expect(snippet).toHaveValue(/^<iframe src="http[^"]*\/embed\/collectivites\/commune-73065" title="Chambéry/);
  await page.getByRole('link', { name: 'Voir l\'aperçu' }).click();
  await expect(page).toHaveURL(/\/embed\/collectivites\/commune-73065$/);
});

test('/synergies answers who works on a theme in a country, in French and in English', async ({ page, browser, javaScriptEnabled }) => {
  await page.goto('/synergies');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Qui travaille où ?');
  await page.getByLabel('Pays').selectOption('SN');
  await page.getByLabel('Thématique').selectOption('DUR');
  await page.getByRole('button', { name: 'Chercher' }).click();
  await expect(page).toHaveURL(/\/synergies\?country=SN&zone=&theme=DUR$|\/synergies\?country=SN&theme=DUR$/);
  const list = page.getByRole('region', { name: /collectivité\(s\) française\(s\)/ });
  await expect(list).toBeVisible();
  const counts = await list.locator('ol.peers > li > .meta').allInnerTexts();
  expect(counts.length).toBeGreaterThan(0);
  // Most ongoing partnerships first.
  const ongoing = counts.map((t) => Number((t.match(/([\d\s\u202f]+) en cours/)?.[1] ?? '0').replace(/\D/g, '')));
  for (let i = 1; i < ongoing.length; i++) expect(ongoing[i]).toBeLessThanOrEqual(ongoing[i - 1]);
  // Where they are in France: the map follows the selection.
  await expect(page.locator('iframe[src*="departements.svg?country=SN&theme=DUR"]')).toBeAttached();
  await expect(page.getByRole('link', { name: 'Ces partenariats dans la recherche' })).toHaveAttribute('href', '/partenariats?country=SN&theme=DUR');

  const english = await browser.newContext({ locale: 'en-US', javaScriptEnabled });
  const en = await english.newPage();
  await en.goto(`${baseURL}/synergies?country=SN&theme=DUR`);
  await expect(en.getByRole('heading', { level: 1 })).toHaveText('Who works where?');
  await expect(en.getByRole('region', { name: /French local authorities/ })).toBeVisible();
  await english.close();
});

test('every view of the search has its Atom feed, linked from the page', async ({ page, browser, baseURL }) => {
  await page.goto('/partenariats?country=ML');
  const link = page.getByRole('link', { name: 'Flux Atom' });
  await expect(link).toHaveAttribute('href', '/api/v1/partnerships.atom?country=ML');
  await expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute(
    'href',
    '/api/v1/partnerships.atom?country=ML',
  );
  const feed = await page.request.get('/api/v1/partnerships.atom?country=ML');
  expect(feed.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
  const xml = await feed.text();
  expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
  expect(xml).toContain('term="ML"');

  // The English page links to the English feed.
  const english = await browser.newContext({ locale: 'en-US' });
  const en = await english.newPage();
  await en.goto(`${baseURL}/partenariats?country=ML`);
  const enLink = en.getByRole('link', { name: 'Atom feed' });
  await expect(enLink).toHaveAttribute('href', '/api/v1/partnerships.atom?country=ML&lang=en');
  const enFeed = await (await en.request.get(`${baseURL}/api/v1/partnerships.atom?country=ML&lang=en`)).text();
  expect(enFeed).toContain('xml:lang="en"');
  expect(enFeed).toContain('<title type="text">Atlas of decentralised cooperation');
  await english.close();
});

test('another website frames an authority\'s map and list, which pass axe', async ({ page, browser }) => {
  // A page of another site with the snippet the authority copied: another origin (its own
  // port), served by a plain HTTP server of this test, on the loopback as Chromium's local
  // network checks require.
  const other = http.createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!DOCTYPE html><html lang="fr"><title>Nos partenariats</title><main><iframe src="${baseURL}/embed/collectivites/commune-73065" title="Partenariats" width="800" height="700"></iframe></main></html>`,
    );
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const host = `http://127.0.0.1:${(other.address() as AddressInfo).port}/nos-partenariats.html`;
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Refused to (frame|load|apply)/.test(m.text())) violations.push(m.text());
  });
  // Frame.goto: the other site's page is not the atlas, nothing to hydrate there.
  await page.mainFrame().goto(host);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Chambéry');
  await expect(frame.getByRole('img', { name: /Carte du monde des pays partenaires/ })).toBeVisible();
  await expect(frame.locator('ul.summary-list li').first()).toBeVisible();
  const back = frame.getByRole('link', { name: 'Voir sa page dans l\'Atlas de la coopération décentralisée' });
  await expect(back).toHaveAttribute('target', '_blank');
  expect(violations).toEqual([]);
  other.close();

  // The page alone: no script, light, accessible.
  const response = await page.request.get('/embed/collectivites/commune-73065');
  const html = await response.text();
  expect(html).not.toContain('<script');
  expect(response.headers()['content-security-policy']).toContain('frame-ancestors *');
  expect(response.headers()['x-frame-options']).toBeUndefined();
  const css = await page.request.get('/pkg/atlas.css');
  const weight = Buffer.byteLength(html) + (await css.body()).length;
  expect(weight).toBeLessThan(50_000);
  // axe runs in the page: in a context of its own, with JavaScript, whichever the project.
  const checker = await browser.newContext({ javaScriptEnabled: true, locale: 'fr-FR' });
  const alone = await checker.newPage();
  await alone.goto(`${baseURL}/embed/collectivites/commune-73065`);
  const axe = await new AxeBuilder({ page: alone }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await checker.close();

  // Every other page refuses to be framed.
  const authorityPage = await page.request.get('/collectivites/commune-73065');
  expect(authorityPage.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
});
