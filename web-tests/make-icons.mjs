// Draws the app's PNG icons (192 and 512 px) from assets/icon.svg with the
// local Chromium, so nothing is downloaded: `node make-icons.mjs`. The PNGs
// are committed; run this again only when the SVG changes.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO, launchBrowser } from './lib.mjs';

const assets = path.join(REPO, 'crates', 'feltsense-web', 'assets');
const svg = await readFile(path.join(assets, 'icon.svg'), 'utf8');
const browser = await launchBrowser();
for (const size of [192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
  await page.screenshot({ path: path.join(assets, `icon-${size}.png`), omitBackground: true });
  await page.close();
}
await browser.close();
