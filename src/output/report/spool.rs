//! The per-unit sections of a report, written to an unnamed temporary file as the batch yields
//! them, so that memory holds only each section's byte range, never its text. The page is
//! written once the batch is over (the ranking decides which sections it shows and in what
//! order) by copying the chosen ranges out. The file has no name: the system removes it when
//! it is closed, however the run ends.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::Path;

/// Sections being written.
pub struct Spool {
    file: BufWriter<File>,
    written: u64,
}

/// Sections written, ready to be copied out in any order.
pub struct Spooled {
    file: File,
}

impl Spool {
    /// A spool in `folder` (the output's own folder: a large report's sections take the
    /// space there, not in a memory-backed `/tmp`).
    pub fn new_in(folder: &Path) -> io::Result<Spool> {
        Ok(Spool {
            file: BufWriter::new(tempfile::tempfile_in(folder)?),
            written: 0,
        })
    }

    /// Appends one section; its byte range in the spool.
    pub fn append(&mut self, section: &[u8]) -> io::Result<Range<u64>> {
        let start = self.written;
        let end = u64::try_from(section.len())
            .ok()
            .and_then(|len| start.checked_add(len))
            .ok_or_else(|| io::Error::other("the report's sections are too large"))?;
        self.file.write_all(section)?;
        self.written = end;
        Ok(start..end)
    }

    pub fn finish(self) -> io::Result<Spooled> {
        let file = self.file.into_inner().map_err(|e| e.into_error())?;
        Ok(Spooled { file })
    }
}

impl Spooled {
    /// Copies the section at `range` (as [`Spool::append`] gave it) to `out`.
    pub fn copy(&mut self, range: &Range<u64>, out: &mut dyn Write) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(range.start))?;
        let len = range.end.saturating_sub(range.start);
        let copied = io::copy(&mut (&mut self.file).take(len), out)?;
        if copied == len {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "a report section was cut short in its temporary file",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_come_back_whole_in_any_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::new_in(dir.path()).unwrap();
        let first = spool.append("<p>甲</p>".as_bytes()).unwrap();
        let second = spool.append(b"<p>B</p>").unwrap();
        let empty = spool.append(b"").unwrap();
        let mut spooled = spool.finish().unwrap();
        let mut out = Vec::new();
        for range in [&second, &empty, &first] {
            spooled.copy(range, &mut out).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "<p>B</p><p>甲</p>");
        // The spool has no name in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
