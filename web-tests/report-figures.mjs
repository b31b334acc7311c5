// Pages and bytes of the 90-day report for BENCHMARKS.md:
//   node report-figures.mjs [BIN]
// builds the fixture of report.test.mjs with BIN (default: this tree's
// debug build), writes `feltsense report --out`, prints it to A4 PDF with
// Chromium (no print header or footer) and prints the figures.

import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { BIN, CHROMIUM, CHROMIUM_ARGS } from './lib.mjs';
import { buildReportFixture } from './report-fixture.mjs';
import { pdfPages } from './pdf-text.mjs';

const bin = process.argv[2] || BIN;
const dir = await mkdtemp(path.join(tmpdir(), 'feltsense-report-figures-'));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const { env } = buildReportFixture(bin, path.join(dir, 'data'));
  const html = path.join(dir, 'report.html');
  execFileSync(bin, ['report', '--out', html], { env, stdio: 'ignore' });
  const page = await browser.newPage();
  await page.goto(pathToFileURL(html).href);
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  console.log(`${bin}: ${pdfPages(pdf).length} A4 pages, ${(await readFile(html)).length} bytes of HTML, ${pdf.length} bytes of PDF`);
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
