import { expect, type Page } from '@playwright/test';

/** The page of one partnership, as a reader sees it. */
export class PartnershipPage {
  constructor(readonly page: Page) {}

  async open(id: number) {
    const response = await this.page.goto(`/partenariats/${id}`);
    return response;
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  section(name: string | RegExp) {
    return this.page.getByRole('region', { name });
  }

  languageSwitch() {
    return this.page.getByRole('banner').getByRole('link', { name: /^(English|Français)$/ });
  }

  async expectLanguage(lang: 'fr' | 'en') {
    await expect(this.page.locator('html')).toHaveAttribute('lang', lang);
  }
}
