//! The splitter: cuts the input into blocks of whole lines (a line break
//! inside quotes is no line end) and stops at a quoted field that runs on
//! (over 1 MiB or 1,000 lines, or never closed), so a missing quote can
//! never swallow the rest of the file.

use std::io::Read;
use std::sync::mpsc::SyncSender;

pub(super) const BLOCK: usize = 4 << 20;

/// The longest a quoted field may be, and the most line breaks it may
/// hold: past either, a closing quote is surely missing, and the rest of
/// the file would otherwise vanish into one cell.
const QUOTED_MAX_BYTES: usize = 1 << 20;
const QUOTED_MAX_BREAKS: u64 = 999;

/// Why the splitter stopped.
pub(super) enum SplitStop {
    Io(std::io::Error),
    Quote { line: u64, closes: bool },
}

pub(super) struct Chunk {
    pub seq: u64,
    pub line: u64,
    pub bytes: Vec<u8>,
}

/// Cuts the input into blocks that end at a line break outside quotes.
pub(super) fn split(
    mut input: impl Read,
    first_line: u64,
    jobs: &SyncSender<Chunk>,
) -> Result<(), SplitStop> {
    let mut carry = Vec::new();
    let mut seq = 0;
    let mut line = first_line;
    loop {
        let mut buf = std::mem::take(&mut carry);
        let start = buf.len();
        buf.resize(start + BLOCK, 0);
        let n = read_full(&mut input, &mut buf[start..]).map_err(SplitStop::Io)?;
        buf.truncate(start + n);
        let eof = n == 0;
        let scan = scan(&buf).map_err(|breaks| SplitStop::Quote {
            line: line + breaks,
            closes: true,
        })?;
        if let (true, Some(breaks)) = (eof, scan.open) {
            return Err(SplitStop::Quote {
                line: line + breaks,
                closes: false,
            });
        }
        let (cut, lines) = if eof { (buf.len(), 0) } else { scan.cut };
        if cut == 0 && !eof {
            carry = buf; // one line longer than a block: read more
            continue;
        }
        carry = buf.split_off(cut);
        if !buf.is_empty()
            && jobs
                .send(Chunk {
                    seq,
                    line,
                    bytes: buf,
                })
                .is_err()
        {
            return Ok(()); // the collector stopped early
        }
        seq += 1;
        line += lines;
        if eof {
            return Ok(());
        }
    }
}

fn read_full(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// What [`scan`] finds in a block.
struct Scan {
    /// Just past the last `\n` outside quotes, and the line breaks before it.
    cut: (usize, u64),
    /// The line breaks before a quoted field still open at the end.
    open: Option<u64>,
}

/// Finds the end of the last whole line, and checks every quoted field
/// against the limits; `Err` holds the line breaks before the field that
/// passed one. A doubled quote inside a field (`""`) does not end it.
fn scan(buf: &[u8]) -> Result<Scan, u64> {
    let mut quoted = false;
    let mut breaks = 0;
    let mut cut = (0, 0);
    let mut opened = (0usize, 0u64);
    let mut closed_at = usize::MAX;
    for i in memchr::memchr2_iter(b'"', b'\n', buf) {
        if buf[i] == b'"' {
            if quoted {
                if i - opened.0 > QUOTED_MAX_BYTES {
                    return Err(opened.1);
                }
                closed_at = i;
            } else if closed_at.wrapping_add(1) != i {
                opened = (i, breaks);
            }
            quoted = !quoted;
        } else {
            breaks += 1;
            if !quoted {
                cut = (i + 1, breaks);
            } else if breaks - opened.1 > QUOTED_MAX_BREAKS {
                return Err(opened.1);
            }
        }
    }
    if quoted && buf.len() - opened.0 > QUOTED_MAX_BYTES {
        return Err(opened.1);
    }
    Ok(Scan {
        cut,
        open: quoted.then_some(opened.1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(buf: &[u8]) -> (usize, u64) {
        scan(buf).unwrap().cut
    }

    #[test]
    fn blocks_end_at_line_breaks_outside_quotes() {
        assert_eq!(cut(b"a,b\nc,d\ne"), (8, 2));
        assert_eq!(cut(b"a,\"x\ny\"\nc"), (8, 2));
        assert_eq!(cut(b"a,\"x\ny"), (0, 0));
        assert_eq!(scan(b"a\nb,\"x\ny").unwrap().open, Some(1));
        assert_eq!(scan(b"a,\"x\"\"y\"\n").unwrap().open, None);
    }

    #[test]
    fn a_runaway_quoted_field_is_caught_where_it_opened() {
        let mut long = b"p,1\np,\"".to_vec();
        long.extend(std::iter::repeat_n(b'x', QUOTED_MAX_BYTES + 1));
        assert_eq!(scan(&long).err(), Some(1), "too long, still open");
        long.extend(b"\"\n");
        assert_eq!(scan(&long).err(), Some(1), "too long, closed");
        let mut lines = b"h\n\"".to_vec();
        lines.extend(b"a\n".repeat(1_000));
        assert_eq!(scan(&lines).err(), Some(1), "more than 1,000 lines");
        // Doubled quotes do not reset where the field began.
        let mut escaped = b"\"".to_vec();
        escaped.extend(b"ab\"\"".repeat(QUOTED_MAX_BYTES / 4 + 1));
        assert_eq!(scan(&escaped).err(), Some(0));
        let mut fine = b"\"".to_vec();
        fine.extend(b"a\n".repeat(999));
        fine.extend(b"\"\n");
        assert!(scan(&fine).is_ok(), "1,000 lines is the limit");
    }
}
