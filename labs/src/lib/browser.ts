import { chromiumLaunchOptions } from '@tandem/local-stack';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, started as every Tandem tool starts it, with a lab's extra command-line switches. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, ...extraArgs] });
}
