//! Pictures kept on disk between runs: one file per server, item, image type and tag (a changed
//! tag names a new picture, so a new poster is never hidden by the old one), in `images/` of
//! the cache dir, bounded in size (the least recently used go first).
//!
//! Files are written atomically (see [`super::files::write_atomic`]); reading one touches its
//! time, which is what the eviction goes by. The total is counted once, when the first file is
//! written, and kept up to date in memory; the directory is read again only when that count
//! goes over the bound (another emby-tui may have added or removed files meanwhile), and then
//! files are removed, oldest first, until the total is a tenth under the bound, so one eviction
//! makes room for many pictures. Blocking file work: call it off the UI thread.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::files;

/// Bound of the disk cache: 100 MiB, some two thousand posters of 400 pixels' width.
pub const DEFAULT_LIMIT: u64 = 100 * 1024 * 1024;

/// Temporary files older than this are left-overs of a writer that died.
const STALE_TEMP: Duration = Duration::from_secs(3600);

/// One image of one item, as the item advertises it (`ImageTags`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ItemImage {
    pub item_id: String,
    /// `Primary`, `Thumb`, …
    pub kind: String,
    /// The tag of this version of the image.
    pub tag: String,
}

/// The disk cache of pictures (cheap to clone: every clone is the same cache).
#[derive(Debug, Clone)]
pub struct ImageCache {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// None: nothing is kept on disk.
    dir: Option<PathBuf>,
    limit: u64,
    /// Bytes held, once counted.
    used: Mutex<Option<u64>>,
}

/// FNV-1a over 128 bits: a stable file name for a key (names from servers never become paths).
fn fnv128(parts: &[&str]) -> u128 {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for part in parts {
        for b in part.as_bytes().iter().chain(std::iter::once(&0u8)) {
            h ^= u128::from(*b);
            h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
        }
    }
    h
}

impl ImageCache {
    /// A cache in `dir` (None: memory only, i.e. nothing kept) bounded to `limit` bytes.
    pub fn new(dir: Option<PathBuf>, limit: u64) -> ImageCache {
        ImageCache {
            inner: Arc::new(Inner {
                dir,
                limit,
                used: Mutex::new(None),
            }),
        }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.inner.dir.as_deref()
    }

    pub fn limit(&self) -> u64 {
        self.inner.limit
    }

    /// The file name of an image of a server (server ids are compared without case).
    pub fn file_name(server_id: &str, image: &ItemImage) -> String {
        let server = server_id.to_ascii_lowercase();
        let h = fnv128(&[&server, &image.item_id, &image.kind, &image.tag]);
        format!("{h:032x}.img")
    }

    fn path(&self, server_id: &str, image: &ItemImage) -> Option<PathBuf> {
        Some(self.dir()?.join(Self::file_name(server_id, image)))
    }

    /// The bytes kept for this image, if any (its time is touched: it was used).
    pub fn read(&self, server_id: &str, image: &ItemImage) -> Option<Vec<u8>> {
        let path = self.path(server_id, image)?;
        let bytes = fs::read(&path).ok()?;
        if let Ok(f) = fs::File::options().write(true).open(&path) {
            let _ = f.set_modified(SystemTime::now());
        }
        Some(bytes)
    }

    /// Keeps `bytes` for this image, then keeps the cache under its bound. A failure is only
    /// logged: it is a cache.
    pub fn write(&self, server_id: &str, image: &ItemImage, bytes: &[u8]) {
        let Some(dir) = self.dir() else { return };
        let name = Self::file_name(server_id, image);
        if let Err(e) = files::write_atomic(dir, &name, bytes) {
            tracing::info!(dir = %dir.display(), error = %e, "a picture could not be kept");
            return;
        }
        let over = {
            let mut used = self.lock();
            let total = match *used {
                Some(n) => n + bytes.len() as u64,
                None => scan(dir).iter().map(|e| e.len).sum(),
            };
            *used = Some(total);
            total > self.inner.limit
        };
        if over {
            self.shrink(dir);
        }
    }

    /// Drops what is kept for this image (it did not decode: the next read fetches it again).
    pub fn forget(&self, server_id: &str, image: &ItemImage) {
        let Some(path) = self.path(server_id, image) else {
            return;
        };
        let len = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if fs::remove_file(&path).is_ok()
            && let Some(n) = self.lock().as_mut()
        {
            *n = n.saturating_sub(len);
        }
    }

    /// Bytes held on disk now (the directory is read).
    pub fn used(&self) -> u64 {
        self.dir()
            .map(|d| scan(d).iter().map(|e| e.len).sum())
            .unwrap_or(0)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<u64>> {
        self.inner
            .used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Removes the least recently used files until the total is a tenth under the bound.
    fn shrink(&self, dir: &Path) {
        let mut entries = scan(dir);
        entries.sort_by_key(|e| e.used);
        let mut total: u64 = entries.iter().map(|e| e.len).sum();
        let target = self.inner.limit - self.inner.limit / 10;
        let mut removed = 0;
        for e in entries {
            if total <= target {
                break;
            }
            if fs::remove_file(&e.path).is_ok() {
                total = total.saturating_sub(e.len);
                removed += 1;
            }
        }
        tracing::debug!(removed, total, "picture cache shrunk");
        *self.lock() = Some(total);
    }
}

struct Entry {
    path: PathBuf,
    len: u64,
    used: SystemTime,
}

/// The pictures in `dir` (left-over temporary files older than an hour are removed on the way).
fn scan(dir: &Path) -> Vec<Entry> {
    let Ok(read) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = SystemTime::now();
    let mut out = Vec::new();
    for entry in read.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Ok(meta) = entry.metadata() else { continue };
        let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if name.starts_with('.') {
            if name.ends_with(".tmp") && now.duration_since(used).is_ok_and(|age| age > STALE_TEMP)
            {
                let _ = fs::remove_file(entry.path());
            }
            continue;
        }
        if meta.is_file() && name.ends_with(".img") {
            out.push(Entry {
                path: entry.path(),
                len: meta.len(),
                used,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(item: &str, tag: &str) -> ItemImage {
        ItemImage {
            item_id: item.into(),
            kind: "Primary".into(),
            tag: tag.into(),
        }
    }

    #[test]
    fn a_changed_tag_is_a_new_entry_and_server_ids_ignore_case() {
        let root = tempfile::tempdir().unwrap();
        let cache = ImageCache::new(Some(root.path().join("images")), DEFAULT_LIMIT);
        cache.write("SRV", &image("i1", "t1"), b"old");
        assert_eq!(
            cache.read("srv", &image("i1", "t1")).as_deref(),
            Some(&b"old"[..])
        );
        assert_eq!(
            cache.read("srv", &image("i1", "t2")),
            None,
            "a new tag is not the old picture"
        );
        cache.write("srv", &image("i1", "t2"), b"new");
        assert_eq!(
            cache.read("srv", &image("i1", "t2")).as_deref(),
            Some(&b"new"[..])
        );
        assert_eq!(
            cache.read("other", &image("i1", "t2")),
            None,
            "another server's item"
        );
        cache.forget("srv", &image("i1", "t2"));
        assert_eq!(cache.read("srv", &image("i1", "t2")), None);
    }

    #[test]
    fn the_size_bound_evicts_the_least_recently_used() {
        let root = tempfile::tempdir().unwrap();
        let cache = ImageCache::new(Some(root.path().to_path_buf()), 10_000);
        let kb = vec![7u8; 1000];
        let old = SystemTime::now() - Duration::from_secs(1000);
        for n in 0..9 {
            cache.write("s", &image(&format!("i{n}"), "t"), &kb);
            // written in order, a second apart
            let path = root
                .path()
                .join(ImageCache::file_name("s", &image(&format!("i{n}"), "t")));
            let f = fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(old + Duration::from_secs(n)).unwrap();
        }
        // the first one is used again: it is no longer the oldest
        assert!(cache.read("s", &image("i0", "t")).is_some());
        assert_eq!(cache.used(), 9000);
        // 11 kB > 10 kB: the oldest go until 9 kB is left
        cache.write("s", &image("i9", "t"), &kb);
        cache.write("s", &image("i10", "t"), &kb);
        assert!(cache.used() <= 9000, "{}", cache.used());
        assert!(
            cache.read("s", &image("i1", "t")).is_none(),
            "the oldest went"
        );
        assert!(cache.read("s", &image("i2", "t")).is_none());
        assert!(
            cache.read("s", &image("i0", "t")).is_some(),
            "the one used lately stays"
        );
        assert!(
            cache.read("s", &image("i10", "t")).is_some(),
            "the newest stays"
        );
    }

    #[test]
    fn without_a_dir_nothing_is_kept() {
        let cache = ImageCache::new(None, DEFAULT_LIMIT);
        cache.write("s", &image("i", "t"), b"x");
        assert_eq!(cache.read("s", &image("i", "t")), None);
        assert_eq!(cache.used(), 0);
    }
}
