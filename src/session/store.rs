//! The credentials store: one JSON file (schema-versioned, mode 0600, written atomically) holding
//! the Connect account and every saved server with its local token. Passwords are never stored.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::emby::Secret;

/// Version of the file layout; bumped when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;
/// File name inside the config dir.
pub const FILE_NAME: &str = "credentials.json";

/// Everything emby-tui remembers between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub schema: u32,
    #[serde(default)]
    pub connect: Option<ConnectAccount>,
    #[serde(default)]
    pub servers: Vec<SavedServer>,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials {
            schema: SCHEMA_VERSION,
            connect: None,
            servers: Vec::new(),
        }
    }
}

/// The signed-in Emby Connect user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectAccount {
    pub user_id: String,
    #[serde(default)]
    pub user_name: Option<String>,
    pub access_token: Secret,
}

/// How an address was reached; remembered per server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionMode {
    Local,
    Remote,
    Manual,
}

impl ConnectionMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionMode::Local => "local",
            ConnectionMode::Remote => "remote",
            ConnectionMode::Manual => "manual",
        }
    }
}

/// How the Connect user is attached to a server (Connect `UserType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkType {
    Linked,
    Guest,
}

/// Where a server entry came from, derived from what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerSource {
    Connect,
    Manual,
    Discovered,
}

impl ServerSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ServerSource::Connect => "connect",
            ServerSource::Manual => "manual",
            ServerSource::Discovered => "discovered",
        }
    }
}

/// One saved server, keyed by its server Id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SavedServer {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub local_address: Option<String>,
    #[serde(default)]
    pub remote_address: Option<String>,
    #[serde(default)]
    pub manual_address: Option<String>,
    /// Local server token for `user_id`; only ever sent to a server whose Id is `id`.
    #[serde(default)]
    pub access_token: Option<Secret>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub user_name: Option<String>,
    /// The Connect AccessKey, exchanged on every connection (protocol.md §3.3). Its presence marks a Connect entry.
    #[serde(default)]
    pub exchange_token: Option<Secret>,
    /// Connect's registration id of the server (needed to reject or remove a share).
    #[serde(default)]
    pub connect_server_id: Option<String>,
    #[serde(default)]
    pub link_type: Option<LinkType>,
    /// Milliseconds since the Unix epoch of the last successful connection or sign-in; 0 = never.
    #[serde(default)]
    pub date_last_accessed: u64,
    #[serde(default)]
    pub last_connection_mode: Option<ConnectionMode>,
    /// The user signed out of this server: do not sign in again by the Connect exchange until
    /// they sign in explicitly.
    #[serde(default)]
    pub signed_out: bool,
}

impl SavedServer {
    pub fn source(&self) -> ServerSource {
        if self.exchange_token.is_some() || self.connect_server_id.is_some() {
            ServerSource::Connect
        } else if self.manual_address.is_some() {
            ServerSource::Manual
        } else {
            ServerSource::Discovered
        }
    }
}

/// Why the store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode the credentials: {0}")]
    Encode(serde_json::Error),
}

/// A credentials file that could not be used was moved aside; the app started empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub moved_to: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for SetAside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the saved credentials could not be read ({}); they were kept as {} and emby-tui started with none",
            self.reason,
            self.moved_to.display()
        )
    }
}

/// The file on disk.
#[derive(Debug, Clone)]
pub struct CredentialsStore {
    dir: PathBuf,
}

impl CredentialsStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        CredentialsStore { dir: dir.into() }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// Read the file. Missing → empty. Unparseable or from a newer schema → moved aside (never
    /// deleted, never overwritten) and empty, with a [`SetAside`] saying so. Other I/O errors are
    /// returned: starting empty and saving later would lose the user's servers.
    pub fn load(&self) -> Result<(Credentials, Option<SetAside>), StoreError> {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Credentials::default(), None));
            }
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        let reason = match serde_json::from_slice::<Credentials>(&bytes) {
            Ok(c) if c.schema == SCHEMA_VERSION => return Ok((c, None)),
            Ok(c) => format!(
                "schema {} is not the supported {}",
                c.schema, SCHEMA_VERSION
            ),
            Err(e) => format!("not valid: {}", describe_json_error(&e)),
        };
        let moved_to = self.aside_path();
        fs::rename(&path, &moved_to).map_err(|source| StoreError::Write {
            path: moved_to.clone(),
            source,
        })?;
        tracing::warn!(file = %moved_to.display(), %reason, "credentials file set aside");
        Ok((Credentials::default(), Some(SetAside { moved_to, reason })))
    }

    /// Write atomically: a temp file (mode 0600) in the same dir, fsync, rename over, fsync the dir.
    pub fn save(&self, creds: &Credentials) -> Result<(), StoreError> {
        let path = self.path();
        let werr = |source| StoreError::Write {
            path: path.clone(),
            source,
        };
        create_private_dir(&self.dir).map_err(werr)?;
        let mut json = serde_json::to_vec_pretty(creds).map_err(StoreError::Encode)?;
        json.push(b'\n');
        let tmp = self
            .dir
            .join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut file = open_private(&tmp)?;
            file.write_all(&json)?;
            file.sync_all()?;
            drop(file);
            fs::rename(&tmp, &path)?;
            if let Ok(d) = fs::File::open(&self.dir) {
                let _ = d.sync_all();
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result.map_err(werr)
    }

    fn aside_path(&self) -> PathBuf {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let base = format!("{FILE_NAME}.unreadable-{stamp}");
        let mut candidate = self.dir.join(&base);
        let mut n = 1;
        while candidate.exists() {
            candidate = self.dir.join(format!("{base}-{n}"));
            n += 1;
        }
        candidate
    }
}

/// A serde_json error without the input text (which may contain a token): kind, line and column.
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Io => "read error",
        Category::Syntax => "not JSON",
        Category::Data => "unexpected content",
        Category::Eof => "cut short",
    };
    format!("{what} at line {} column {}", e.line(), e.column())
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

/// Create `dir` (and parents) readable by the owner only, if it does not exist.
#[cfg(unix)]
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
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
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Credentials {
        Credentials {
            schema: SCHEMA_VERSION,
            connect: Some(ConnectAccount {
                user_id: "cu1".into(),
                user_name: Some("demo".into()),
                access_token: Secret::new("connect-token-xyz"),
            }),
            servers: vec![SavedServer {
                id: "abc".into(),
                name: "Den".into(),
                local_address: Some("http://127.0.0.1:1".into()),
                access_token: Some(Secret::new("server-token")),
                exchange_token: Some(Secret::new("access-key")),
                last_connection_mode: Some(ConnectionMode::Remote),
                date_last_accessed: 42,
                ..Default::default()
            }],
        }
    }

    #[test]
    fn missing_file_loads_empty() {
        let dir = tempfile::tempdir().unwrap();
        let (c, aside) = CredentialsStore::new(dir.path()).load().unwrap();
        assert_eq!(c, Credentials::default());
        assert!(aside.is_none());
    }

    #[test]
    fn save_then_load_round_trips_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = CredentialsStore::new(dir.path().join("nested"));
        store.save(&sample()).unwrap();
        let (c, aside) = store.load().unwrap();
        assert_eq!(c, sample());
        assert!(aside.is_none());
        let names: Vec<_> = fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(FILE_NAME)]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("nested"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o700, "a config dir we create is private");
        }
    }

    #[cfg(unix)]
    #[test]
    fn file_is_mode_0600_even_when_an_old_file_was_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = CredentialsStore::new(dir.path());
        fs::write(store.path(), b"{\"schema\":1}").unwrap();
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o644)).unwrap();
        store.save(&sample()).unwrap();
        let mode = fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn corrupt_file_is_kept_aside_byte_for_byte_and_the_app_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let store = CredentialsStore::new(dir.path());
        let garbage =
            b"{\"schema\":1, \"servers\": [ {\"id\": \"x\", \"access_token\": \"tok-SECRET\"";
        fs::write(store.path(), garbage).unwrap();
        let (c, aside) = store.load().unwrap();
        assert_eq!(c, Credentials::default());
        let aside = aside.expect("told the user");
        assert_eq!(fs::read(&aside.moved_to).unwrap(), garbage);
        assert!(!store.path().exists());
        let msg = aside.to_string();
        assert!(msg.contains("kept as"), "{msg}");
        assert!(
            !msg.contains("tok-SECRET"),
            "the message must not leak file content: {msg}"
        );
        // saving afterwards does not touch the kept copy
        store.save(&sample()).unwrap();
        assert_eq!(fs::read(&aside.moved_to).unwrap(), garbage);
    }

    #[test]
    fn wrong_type_and_newer_schema_are_also_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let store = CredentialsStore::new(dir.path());
        fs::write(store.path(), b"{\"schema\":1,\"servers\":7}").unwrap();
        assert!(store.load().unwrap().1.is_some());
        fs::write(store.path(), b"{\"schema\":99}").unwrap();
        let (_, aside) = store.load().unwrap();
        assert!(aside.unwrap().reason.contains("schema 99"));
        // two set-asides in the same second get distinct names
        let kept: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn a_failed_save_keeps_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = CredentialsStore::new(dir.path());
        store.save(&sample()).unwrap();
        let before = fs::read(store.path()).unwrap();
        // make the temp file impossible to create: a directory with its name
        let tmp = dir
            .path()
            .join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        fs::create_dir(&tmp).unwrap();
        assert!(store.save(&Credentials::default()).is_err());
        assert_eq!(fs::read(store.path()).unwrap(), before);
    }

    #[test]
    fn source_is_derived_from_what_the_entry_holds() {
        let mut s = SavedServer {
            id: "a".into(),
            ..Default::default()
        };
        assert_eq!(s.source(), ServerSource::Discovered);
        s.manual_address = Some("http://h".into());
        assert_eq!(s.source(), ServerSource::Manual);
        s.exchange_token = Some(Secret::new("k"));
        assert_eq!(s.source(), ServerSource::Connect);
    }
}
