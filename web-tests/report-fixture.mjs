// A realistic 90-day store for the report, built through the CLI alone:
// check-ins on 46 of the 90 days (a two-week gap in the middle, muted at
// first and more colour later), four PHQ-9s (one with item 9 above "not at
// all") and six bridges of two kinds.

import { execFileSync } from 'node:child_process';
import { PASSPHRASE } from './lib.mjs';

function localDay(daysAgo) {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The check-in flags for day `i` of 0..89 (0 = 89 days ago), or null. */
function checkinOn(i) {
  if (i >= 30 && i < 44) return null; // two weeks without check-ins
  if (i % 2 === 1 && i % 5 !== 0) return null;
  if (i < 30) {
    return i % 3 === 0 ? ['--nothing', '--clarity', '2']
      : ['--feel', 'numb:6', '--feel', 'sad:2', '--clarity', '3', '--pleasant', '-1'];
  }
  return i % 3 === 0 ? ['--feel', 'calm:5', '--feel', 'happy:6', '--clarity', '7', '--pleasant', '2', '--body', 'chest:more:warm:4']
    : ['--feel', 'sad:5', '--feel', 'tired:4', '--clarity', '6', '--pleasant', '-1', '--body', 'shoulders:tight:5'];
}

export function buildReportFixture(bin, dataDir) {
  const env = { ...process.env, FELTSENSE_DATA_DIR: dataDir, FELTSENSE_PASSPHRASE: PASSPHRASE };
  const run = (args) => execFileSync(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  run(['init']);
  let days = 0;
  for (let i = 0; i < 90; i++) {
    const flags = checkinOn(i);
    if (!flags) continue;
    days++;
    run(['checkin', ...flags, '--at', `${localDay(89 - i)}T09:30`]);
    if (i % 4 === 0) run(['checkin', ...flags, '--at', `${localDay(89 - i)}T19:00`]);
  }
  for (const answers of ['2,2,1,2,1,2,1,1,1', '2,1,1,2,1,1,1,1,0', '1,1,1,1,1,1,0,1,0', '1,0,1,1,0,1,0,0,0']) {
    run(['assess', 'phq9', '--answers', answers]);
  }
  for (const [kind, label, before, after] of [
    ['music', 'old songs', 'numb:6,2,no', 'calm:4,5,yes'],
    ['music', 'old songs', 'sad:3,3,no', 'calm:5,6,yes'],
    ['music', 'a new album', 'numb:5,2,no', 'content:4,4,yes'],
    ['nature', 'walk by the river', 'tired:4,3,no', 'calm:6,6,yes'],
    ['nature', 'walk by the river', 'numb:7,2,no', 'calm:3,4,no'],
    ['nature', 'park', 'sad:5,4,no', 'content:5,6,yes'],
  ]) {
    run(['bridge', 'log', kind, label, '--before', before, '--after', after]);
  }
  return { days, env };
}
