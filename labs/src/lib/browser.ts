import { chromiumLaunchOptions } from '@tandem/local-stack';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, started as every Tandem tool starts it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}
