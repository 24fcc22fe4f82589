//! Files written whole or not at all. A snapshot, a generated unit file or a scaffolded rule
//! is written to a temporary file in its own folder and renamed into place, so a full disk,
//! an error or a kill leaves the old file (or none) — never a truncated one.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// The end of a temporary file's name: `.unit-000001.toml.a1B2c3.tmp`. One left behind by a
/// killed process is recognisable by its name.
pub const TEMP_SUFFIX: &str = ".tmp";

/// A file being written. `commit` puts it in place; dropped without a commit (after an error,
/// or a panic), the temporary file is removed and the destination is untouched.
pub struct AtomicFile {
    path: PathBuf,
    temp: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let prefix = format!(
            ".{}.",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(TEMP_SUFFIX);
        // Readable as a file written the ordinary way (the umask applies), not owner-only.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp: BufWriter::new(builder.tempfile_in(folder)?),
        })
    }

    /// Replaces the destination (or creates it) with what was written.
    pub fn commit(self) -> io::Result<()> {
        let path = self.path.clone();
        self.finished()?.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Creates the destination with what was written; fails, leaving it as it is, when it
    /// already exists.
    pub fn commit_new(self) -> io::Result<()> {
        let path = self.path.clone();
        self.finished()?
            .persist_noclobber(path)
            .map_err(|e| e.error)?;
        Ok(())
    }

    fn finished(self) -> io::Result<NamedTempFile> {
        self.temp.into_inner().map_err(|e| e.into_error())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.temp.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

/// Writes `contents` to `path` whole, replacing what was there.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(contents)?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_unfinished_file_leaves_the_old_one_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("findings.snap");
        std::fs::write(&path, "old").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"half of the new").unwrap();
        drop(file);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names(dir.path()), ["findings.snap"]);
        write(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(dir.path()), ["findings.snap"]);
    }

    #[test]
    fn commit_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rule.rhai");
        std::fs::write(&path, "mine").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"scaffold").unwrap();
        let error = file.commit_new().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        assert_eq!(names(dir.path()), ["rule.rhai"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_written_file_has_the_permissions_of_an_ordinary_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |name: &str| {
            let path = dir.path().join(name);
            std::fs::metadata(path).unwrap().permissions().mode()
        };
        std::fs::write(dir.path().join("ordinary.toml"), "x").unwrap();
        write(&dir.path().join("atomic.toml"), b"x").unwrap();
        assert_eq!(mode("atomic.toml"), mode("ordinary.toml"));
    }
}
