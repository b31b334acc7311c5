// The therapist report of a realistic 90-day store, printed to A4 PDF by
// Chromium: at most two pages, none mostly empty, the header and a page
// number on every page, and every section's heading on the same page as
// its first line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { BIN, CHROMIUM, CHROMIUM_ARGS } from './lib.mjs';
import { buildReportFixture } from './report-fixture.mjs';
import { pdfPages, squeeze } from './pdf-text.mjs';

const FOOTER = '<div style="font-size:8px;width:100%;text-align:center">page <span class="pageNumber"></span> of <span class="totalPages"></span></div>';

/** Each section's heading and the start of what follows it. */
function sections(firstWeek) {
  return [
    ['Then and now', 'The first four weeks read as'],
    ['What came up most', 'Feelings:'],
    ['Week by week', firstWeek],
    ['The period in colour', 'Colour from how pleasant'],
    ['Questionnaires', 'PHQ-9:'],
    ['Bridges back to feeling', 'Change after'],
  ];
}

function mondayLabel(daysAgo) {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return `${d.getDate()} ${d.toLocaleString('en-GB', { month: 'short' })}`;
}

test('the 90-day report prints on at most two full A4 pages, headings with their sections', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'feltsense-report-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const { days, env } = buildReportFixture(BIN, path.join(dir, 'data'));
    const html = path.join(dir, 'report.html');
    execFileSync(BIN, ['report', '--name', 'Robin Example', '--out', html], { env, stdio: 'ignore' });
    const page = await browser.newPage();
    await page.goto(pathToFileURL(html).href);
    const pdf = await page.pdf({
      format: 'A4', preferCSSPageSize: true, printBackground: true,
      displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: FOOTER,
    });
    const pages = pdfPages(pdf).map(squeeze);
    console.log(`report: ${pages.length} pages, ${pdf.length} bytes of PDF, ${(await readFile(html)).length} bytes of HTML; text per page ${pages.map((p) => p.length).join(', ')}`);
    assert.ok(pages.length >= 1 && pages.length <= 2, `${pages.length} pages`);
    const fullest = Math.max(...pages.map((p) => p.length));
    pages.forEach((p, i) => {
      assert.ok(p.length >= fullest / 4, `page ${i + 1} is mostly empty (${p.length} of ${fullest} characters)`);
      assert.ok(p.includes(squeeze('feltsense report · Robin Example')), `the header on page ${i + 1}`);
      assert.ok(p.includes(squeeze(`page ${i + 1} of ${pages.length}`)), `the page number on page ${i + 1}`);
    });
    assert.ok(pages.join('').includes(squeeze(`Checked in on ${days} of 90 days`)), 'how often, without judgement');
    assert.ok(pages.join('').includes(squeeze('Colour seems to be coming back')), 'then against now');
    for (const [heading, first] of sections(mondayLabel(89))) {
      const h = pages.findIndex((p) => p.includes(squeeze(heading)));
      const f = pages.findIndex((p) => p.includes(squeeze(heading) + squeeze(first)) || p.indexOf(squeeze(first), p.indexOf(squeeze(heading))) > 0);
      assert.ok(h >= 0, `the heading "${heading}" is printed`);
      assert.equal(f, h, `"${heading}" is on page ${h + 1}, its first line "${first}" on page ${f + 1}`);
    }
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
});
