import type { Page } from '@playwright/test';

/** Collects Content-Security-Policy violations the page reports (the app must need none). */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (
      /Content Security Policy|Refused to (load|execute|apply|connect|create)/i.test(message.text())
    )
      violations.push(message.text());
  });
  return violations;
}
