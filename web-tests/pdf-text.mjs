// Text per page of a PDF written by Chromium (Skia): enough of the format to
// check the report's layout without poppler. Objects are plain (no object
// streams); content streams are Flate-compressed; fonts are Type0 subsets
// whose ToUnicode CMaps map 2-byte glyph codes to text.

import { inflateSync } from 'node:zlib';

function objects(buf) {
  const text = buf.toString('latin1');
  const out = new Map();
  const re = /(\d+) 0 obj\s*/g;
  let m;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    let stream = null;
    if (s >= 0 && body.slice(0, s).includes('/Length')) {
      let from = start + s + 'stream'.length;
      if (text[from] === '\r') from++;
      if (text[from] === '\n') from++;
      const to = text.lastIndexOf('endstream', end);
      const raw = buf.subarray(from, to);
      try { stream = body.slice(0, s).includes('/FlateDecode') ? inflateSync(raw) : raw; } catch { stream = raw; }
    }
    out.set(Number(m[1]), { dict: s >= 0 ? body.slice(0, s) : body, stream });
    re.lastIndex = end;
  }
  return out;
}

const ref = (dict, key) => {
  const m = dict.match(new RegExp(`/${key}\\s+(\\d+) 0 R`));
  return m ? Number(m[1]) : null;
};

function cmap(stream) {
  const map = new Map();
  const s = stream.toString('latin1');
  const hex = (h) => String.fromCodePoint(...(h.match(/..../g) || []).map((x) => parseInt(x, 16)));
  for (const block of s.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, a, b] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(a, 16), hex(b));
  }
  for (const block of s.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, a, b, c] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const base = parseInt(c, 16);
      for (let g = parseInt(a, 16); g <= parseInt(b, 16); g++) map.set(g, String.fromCodePoint(base + g - parseInt(a, 16)));
    }
  }
  return map;
}

function fontsOf(objs, page) {
  let res = page.dict;
  const r = ref(page.dict, 'Resources');
  if (r !== null) res = objs.get(r).dict;
  const fonts = new Map();
  const block = res.match(/\/Font\s*<<([\s\S]*?)>>/);
  if (!block) return fonts;
  for (const [, name, id] of block[1].matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
    const tu = ref(objs.get(Number(id)).dict, 'ToUnicode');
    fonts.set(name, tu !== null ? cmap(objs.get(tu).stream) : new Map());
  }
  return fonts;
}

/** Text shown by one content stream, in drawing order. Glyphs are placed
 * one by one, so spaces are not reliable: compare with `squeeze`. */
function pageText(content, fonts) {
  const s = content.toString('latin1');
  let font = new Map();
  let out = '';
  const decode = (h) => (h.match(/..../g) || []).map((x) => font.get(parseInt(x, 16)) ?? '').join('');
  const re = /\/(\w+)\s+[\d.]+\s+Tf|\[((?:[^\]])*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj/g;
  let m;
  while ((m = re.exec(s))) {
    if (m[1]) font = fonts.get(m[1]) ?? new Map();
    else if (m[2] !== undefined) {
      for (const [, h, k] of m[2].matchAll(/<([0-9A-Fa-f]*)>|(-?[\d.]+)/g)) {
        if (h !== undefined) out += decode(h);
        else if (Number(k) < -200) out += ' ';
      }
    } else if (m[3] !== undefined) out += decode(m[3]);
  }
  return out;
}

/** The text of each page, in order. */
export function pdfPages(buf) {
  const objs = objects(buf);
  const pages = [...objs.values()].filter((o) => /\/Type\s*\/Page\b(?!s)/.test(o.dict));
  return pages.map((p) => {
    const fonts = fontsOf(objs, p);
    const c = p.dict.match(/\/Contents\s+(?:\[\s*)?(\d+) 0 R/);
    const stream = c ? objs.get(Number(c[1])).stream : null;
    return stream ? pageText(stream, fonts) : '';
  });
}

/** Text without spaces or ligatures, for finding words across glyph runs. */
export function squeeze(text) {
  return text.replace(/\s+/g, '').replace(/\uFB00/g, 'ff').replace(/\uFB01/g, 'fi')
    .replace(/\uFB02/g, 'fl').replace(/\uFB03/g, 'ffi').replace(/\uFB04/g, 'ffl');
}
