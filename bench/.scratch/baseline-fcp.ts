import { chromiumLaunchOptions } from '@tandem/local-stack';
import { chromium } from 'playwright-core';
const browser = await chromium.launch(chromiumLaunchOptions);
const out: number[] = [];
for (let i = 0; i < 8; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('data:text/html,<html><body><h1>Orders</h1><p style="font-size:20px">Order activity appears here as it happens.</p></body></html>');
  await page.waitForTimeout(300);
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
  out.push(Math.round(fcp));
  await context.close();
}
console.log('static page FCP ms:', out.join(' '));
await browser.close();
