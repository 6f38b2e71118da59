//! Private files: a directory only its owner can enter, files only their owner can read, written
//! atomically through a temporary file that is created exclusively (so a symlink planted under
//! its name is never followed), and a file created once by whichever process comes first.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Creates `dir` (and missing parents) readable by the owner only (0700). An existing
/// directory is left as it is: it is the user's.
#[cfg(unix)]
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// Opens `path` for appending, creating it readable by the owner only (0600) when missing.
pub fn open_private_append(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.create(true).append(true);
    private_mode(&mut options);
    options.open(path)
}

/// Opens (creating when missing, 0600) a file to read and write without truncating it.
pub fn open_private_rw(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.create(true).read(true).write(true).truncate(false);
    private_mode(&mut options);
    options.open(path)
}

#[cfg(unix)]
fn private_mode(options: &mut fs::OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600);
}

#[cfg(not(unix))]
fn private_mode(_options: &mut fs::OpenOptions) {}

/// The temporary-file prefix of `name`: `.NAME.`; every temporary file of `name` starts with it
/// and ends with `.tmp`.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.")
}

/// A new temporary file next to `name` in `dir`, created exclusively (`O_EXCL`: fails rather
/// than follow or reuse anything already there, a planted symlink included) with mode 0600.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, fs::File)> {
    let mut last = None;
    for _ in 0..8 {
        let path = dir.join(format!(
            "{}{}.{}.tmp",
            temp_prefix(name),
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        private_mode(&mut options);
        match options.open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

/// Writes `bytes` to a new exclusive temporary file next to `name` (fsync'd), then hands its
/// path to `commit`, which puts it in place; the temporary file is removed if anything fails
/// (and by `commit` itself when it links rather than renames).
fn through_temp<T>(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    commit: impl FnOnce(&Path) -> io::Result<T>,
) -> io::Result<T> {
    create_private_dir(dir)?;
    let (tmp, mut file) = create_temp(dir, name)?;
    let result = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            commit(&tmp)
        });
    if tmp.exists() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `dir/name` atomically: an exclusive 0600 temporary file in the same
/// directory, fsync, rename over the old file, fsync the directory. A reader sees the old file
/// or the new one, never a part; a crash leaves at worst a stray temporary file.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    through_temp(dir, name, bytes, |tmp| {
        fs::rename(tmp, dir.join(name))?;
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })
}

/// Creates `dir/name` holding `bytes` unless it exists: the first process wins and every other
/// one gets `Ok(false)` (and should read the file). The file is complete the moment it appears
/// (written to a temporary file, then hard-linked under its name, which fails if it exists).
pub fn create_once(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<bool> {
    through_temp(dir, name, bytes, |tmp| {
        match fs::hard_link(tmp, dir.join(name)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        }
    })
}

/// Removes the temporary files of `name` left in `dir` by writers that died mid-write. Only
/// call it while holding the lock every writer of `name` takes, so none of them is live.
pub fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = temp_prefix(name);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        if file_name.starts_with(&prefix) && file_name.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The file, inside the config directory, that holds the device id.
pub const DEVICE_ID_FILE: &str = "device_id";

/// This install's device id, from `dir/device_id`, created (32 random hex digits, mode 0600)
/// by the first process that needs it; a second process starting at the same moment reads the
/// first one's id instead of writing its own. A file that does not hold a plausible id (empty,
/// too long, odd characters) is replaced.
pub fn device_id(dir: &Path) -> io::Result<String> {
    let path = dir.join(DEVICE_ID_FILE);
    for _ in 0..3 {
        match fs::read_to_string(&path) {
            Ok(text) if is_plausible_device_id(text.trim()) => return Ok(text.trim().to_owned()),
            Ok(_) => {
                let id = uuid::Uuid::new_v4().simple().to_string();
                write_atomic(dir, DEVICE_ID_FILE, format!("{id}\n").as_bytes())?;
                return Ok(id);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let id = uuid::Uuid::new_v4().simple().to_string();
                if create_once(dir, DEVICE_ID_FILE, format!("{id}\n").as_bytes())? {
                    return Ok(id);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("the device id file keeps changing"))
}

fn is_plausible_device_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn a_new_dir_is_0700_and_files_are_0600() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b");
        write_atomic(&dir, "f.json", b"{}").unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&root.path().join("a")), 0o700);
        assert_eq!(mode(&dir.join("f.json")), 0o600);
        let log = dir.join("x.log");
        drop(open_private_append(&log).unwrap());
        assert_eq!(mode(&log), 0o600);
        assert!(create_once(&dir, "id", b"1\n").unwrap());
        assert_eq!(mode(&dir.join("id")), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_planted_under_a_temporary_name_is_never_followed() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        let victim = dir.join("victim");
        fs::write(&victim, b"precious").unwrap();
        // every name this process could pick for its next temp file cannot be guessed (random),
        // so plant links under the pattern and under a guess; none may be written through
        for guess in [
            format!(".f.json.{}.tmp", std::process::id()),
            format!(".f.json.{}.0.tmp", std::process::id()),
        ] {
            std::os::unix::fs::symlink(&victim, dir.join(guess)).unwrap();
        }
        write_atomic(dir, "f.json", b"new").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert_eq!(fs::read(dir.join("f.json")).unwrap(), b"new");
        // and the exclusive open itself refuses an existing name, link or not
        let planted = dir.join("planted");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let err = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&planted)
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    }

    #[test]
    fn a_write_that_cannot_complete_leaves_what_was_there_and_no_temporary_file() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        // the rename cannot replace a non-empty directory (whoever we run as)
        fs::create_dir(dir.join("f.json")).unwrap();
        fs::write(dir.join("f.json/kept"), b"old").unwrap();
        assert!(write_atomic(dir, "f.json", b"new").is_err());
        assert_eq!(fs::read(dir.join("f.json/kept")).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir).unwrap().collect();
        assert_eq!(names.len(), 1, "the temporary file was removed");
    }

    #[test]
    fn create_once_keeps_the_first_file() {
        let root = tempfile::tempdir().unwrap();
        assert!(create_once(root.path(), "id", b"first").unwrap());
        assert!(!create_once(root.path(), "id", b"second").unwrap());
        assert_eq!(fs::read(root.path().join("id")).unwrap(), b"first");
        let names: Vec<_> = fs::read_dir(root.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    #[test]
    fn stale_temporary_files_of_a_name_are_removed_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        fs::write(dir.join(".f.json.123.abc.tmp"), b"half").unwrap();
        fs::write(dir.join(".other.123.abc.tmp"), b"x").unwrap();
        fs::write(dir.join("f.json"), b"{}").unwrap();
        remove_stale_temps(dir, "f.json");
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, vec![".other.123.abc.tmp", "f.json"]);
    }

    #[test]
    fn device_id_is_created_once_and_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("nested");
        let first = device_id(&sub).unwrap();
        assert_eq!(first.len(), 32);
        assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(device_id(&sub).unwrap(), first);
        let leftovers: Vec<_> = fs::read_dir(&sub).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
        #[cfg(unix)]
        assert_eq!(mode(&sub.join(DEVICE_ID_FILE)), 0o600);
    }

    #[test]
    fn a_garbled_device_id_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(DEVICE_ID_FILE), "\u{0}\u{1} not an id").unwrap();
        let id = device_id(dir.path()).unwrap();
        assert_eq!(id.len(), 32);
    }

    #[test]
    fn processes_starting_together_agree_on_one_device_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let ids: Vec<String> = (0..8)
            .map(|_| {
                let p = path.clone();
                std::thread::spawn(move || device_id(&p).unwrap())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        assert!(ids.iter().all(|i| *i == ids[0]), "{ids:?}");
    }
}
