//! The credentials store: one JSON file (schema-versioned, mode 0600, written atomically) holding
//! the Connect account and every saved server with its local token. Passwords are never stored.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::emby::Secret;

use super::files;

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
    /// Milliseconds since the Unix epoch of the last time the user really used this server
    /// (opened it, browsed it, signed in there); 0 = never. Being reached does not count.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub last_used_ms: u64,
    /// Where `access_token` came from (absent in files of earlier versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_from: Option<TokenSource>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// How a server's token was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// The Emby Connect exchange (it goes when the Connect account goes).
    Connect,
    /// A local user name and password the user typed (kept until they sign out of the server).
    Local,
}

impl SavedServer {
    /// Whether the token came from the Connect exchange (for files without `token_from`: when
    /// the entry holds an AccessKey, as earlier versions assumed).
    pub fn token_via_connect(&self) -> bool {
        self.access_token.is_some()
            && match self.token_from {
                Some(source) => source == TokenSource::Connect,
                None => self.exchange_token.is_some(),
            }
    }

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

/// Server Ids compare case-insensitively (the C# client does; JS compares exactly).
pub fn same_id(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

pub(crate) fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Merge `incoming` into the list (protocol.md §5.2): matched on Id; a token and its user id are
/// copied only together and only when the incoming entry has a token, so a merge never clears a
/// token; other fields are copied when the incoming value is non-empty; the last-access date
/// takes the later of the two. An unknown Id is appended.
pub fn add_or_update(servers: &mut Vec<SavedServer>, incoming: SavedServer) {
    let Some(existing) = servers.iter_mut().find(|s| same_id(&s.id, &incoming.id)) else {
        servers.push(incoming);
        return;
    };
    existing.date_last_accessed = existing.date_last_accessed.max(incoming.date_last_accessed);
    existing.last_used_ms = existing.last_used_ms.max(incoming.last_used_ms);
    if incoming.access_token.is_some() {
        existing.access_token = incoming.access_token;
        existing.user_id = incoming.user_id;
        existing.user_name = incoming.user_name.or(existing.user_name.take());
    }
    if incoming.exchange_token.is_some() {
        existing.exchange_token = incoming.exchange_token;
    }
    if let Some(v) = non_empty(&incoming.remote_address) {
        existing.remote_address = Some(v);
    }
    if let Some(v) = non_empty(&incoming.manual_address) {
        existing.manual_address = Some(v);
    }
    if let Some(v) = non_empty(&incoming.local_address) {
        existing.local_address = Some(v);
    }
    if !incoming.name.trim().is_empty() {
        existing.name = incoming.name;
    }
    if incoming.last_connection_mode.is_some() {
        existing.last_connection_mode = incoming.last_connection_mode;
    }
    if let Some(v) = non_empty(&incoming.connect_server_id) {
        existing.connect_server_id = Some(v);
    }
    if incoming.link_type.is_some() {
        existing.link_type = incoming.link_type;
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

/// The file on disk, shared safely by every emby-tui process of the user.
///
/// Several processes may hold the file at once (the UI and a script's `emby-tui servers`, or
/// eight `server add` runs). Each keeps the state it last read or wrote (its *base*). A save
/// takes an exclusive advisory lock on `credentials.json.lock`, reads the file again, merges
/// three ways (base, this process's state, the file) with [`merge`], writes the result
/// atomically and releases the lock: a change made elsewhere is never lost, and a removal or a
/// sign-out made elsewhere is never undone by a stale copy. The lock is the operating system's
/// (`flock`), so a process that dies holding it releases it.
#[derive(Debug, Clone)]
pub struct CredentialsStore {
    dir: PathBuf,
    base: Credentials,
}

/// The name of the lock file beside the credentials.
pub const LOCK_FILE_NAME: &str = "credentials.json.lock";

/// The exclusive lock of the credentials file, released when dropped (or when the process dies).
struct StoreLock {
    file: fs::File,
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// What reading the file gave.
enum Read {
    Missing,
    Parsed(Credentials),
    Unusable(String),
}

impl CredentialsStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        CredentialsStore {
            dir: dir.into(),
            base: Credentials::default(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    fn lock(&self) -> Result<StoreLock, StoreError> {
        let path = self.dir.join(LOCK_FILE_NAME);
        let werr = |source| StoreError::Write {
            path: path.clone(),
            source,
        };
        files::create_private_dir(&self.dir).map_err(werr)?;
        let file = files::open_private_rw(&path).map_err(werr)?;
        file.lock().map_err(werr)?;
        Ok(StoreLock { file })
    }

    fn read(&self) -> Result<Read, StoreError> {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::Missing),
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        Ok(match serde_json::from_slice::<Credentials>(&bytes) {
            Ok(c) if c.schema == SCHEMA_VERSION => Read::Parsed(c),
            Ok(c) => Read::Unusable(format!(
                "schema {} is not the supported {}",
                c.schema, SCHEMA_VERSION
            )),
            Err(e) => Read::Unusable(format!("not valid: {}", describe_json_error(&e))),
        })
    }

    /// Moves an unusable file aside (never deleted, never overwritten). Call with the lock held,
    /// after reading it again under the lock, so a good file another process just wrote is not
    /// the one moved.
    fn set_aside(&self, reason: String) -> Result<SetAside, StoreError> {
        let moved_to = self.aside_path();
        fs::rename(self.path(), &moved_to).map_err(|source| StoreError::Write {
            path: moved_to.clone(),
            source,
        })?;
        tracing::warn!(file = %moved_to.display(), %reason, "credentials file set aside");
        Ok(SetAside { moved_to, reason })
    }

    /// Read the file. Missing → empty. Unparseable or from a newer schema → moved aside (never
    /// deleted, never overwritten) and empty, with a [`SetAside`] saying so. Other I/O errors are
    /// returned: starting empty and saving later would lose the user's servers.
    pub fn load(&mut self) -> Result<(Credentials, Option<SetAside>), StoreError> {
        let (creds, aside) = match self.read()? {
            Read::Missing => (Credentials::default(), None),
            Read::Parsed(c) => (c, None),
            Read::Unusable(_) => {
                // Another process may be replacing it right now: decide under the lock.
                let _lock = self.lock()?;
                match self.read()? {
                    Read::Missing => (Credentials::default(), None),
                    Read::Parsed(c) => (c, None),
                    Read::Unusable(reason) => {
                        (Credentials::default(), Some(self.set_aside(reason)?))
                    }
                }
            }
        };
        self.base = creds.clone();
        Ok((creds, aside))
    }

    /// Save `ours`: under the lock, read the file again, [`merge`] what changed here since the
    /// last load or save with what changed in the file meanwhile, and write the result
    /// atomically (see [`files::write_atomic`]). Returns the state now on disk, which this
    /// process should adopt, and a [`SetAside`] when the file had become unreadable meanwhile
    /// (it is kept, and this process's state is written).
    pub fn save(
        &mut self,
        ours: &Credentials,
    ) -> Result<(Credentials, Option<SetAside>), StoreError> {
        let path = self.path();
        let werr = |source| StoreError::Write {
            path: path.clone(),
            source,
        };
        let _lock = self.lock()?;
        files::remove_stale_temps(&self.dir, FILE_NAME);
        let (theirs, aside) = match self.read()? {
            Read::Missing => (Credentials::default(), None),
            Read::Parsed(c) => (c, None),
            // Nothing can be learned from it: keep it aside and treat it as unchanged.
            Read::Unusable(reason) => (self.base.clone(), Some(self.set_aside(reason)?)),
        };
        let merged = merge(&self.base, ours, &theirs);
        if aside.is_none() && merged == theirs {
            self.base = merged.clone();
            return Ok((merged, None));
        }
        let mut json = serde_json::to_vec_pretty(&merged).map_err(StoreError::Encode)?;
        json.push(b'\n');
        files::write_atomic(&self.dir, FILE_NAME, &json).map_err(werr)?;
        self.base = merged.clone();
        Ok((merged, aside))
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

/// The three-way merge of a save: `base` is what this process last read or wrote, `ours` what it
/// holds now, `theirs` what the file holds now (other processes' saves since `base`).
///
/// - A field this process changed takes its value; a field it left alone takes the file's.
/// - Servers are matched by Id. One removed on either side stays removed (a removal wins over a
///   stale copy); one added on either side is kept; one added on both is merged field by field.
/// - A server's sign-in (token, user, signed-out mark) moves as one piece. When both sides
///   changed it, a sign-out wins over a sign-in; between two sign-ins, this process's (the later
///   writer) wins.
/// - The Emby Connect account: a sign-out on either side wins over the other side keeping the old
///   account; between two new sign-ins, ours wins. Whatever came from a Connect account that is
///   not the one kept (AccessKeys, Connect registration ids, link types, tokens from the
///   exchange) is taken from the side that holds the kept account, so a refresh that ran with
///   the old account cannot bring back what a sign-out dropped.
///
/// No generation counter or timestamps are needed: the base a process keeps tells exactly which
/// side changed what, and the operating system's lock makes the read-merge-write one step.
pub fn merge(base: &Credentials, ours: &Credentials, theirs: &Credentials) -> Credentials {
    let connect = merge_connect(&base.connect, &ours.connect, &theirs.connect);
    let connect_user = |c: &Option<ConnectAccount>| c.as_ref().map(|a| a.user_id.clone());
    let kept = connect_user(&connect);
    // Whose Connect-derived data is trusted: a side whose account is not the kept one is stale.
    let ours_current = connect_user(&ours.connect) == kept;
    let theirs_current = connect_user(&theirs.connect) == kept;

    // Ids compare case-insensitively; index each side once (the file may hold thousands).
    let index = |list: &[SavedServer]| -> HashMap<String, SavedServer> {
        list.iter()
            .map(|s| (s.id.to_ascii_lowercase(), s.clone()))
            .collect()
    };
    let (base_by_id, ours_by_id, theirs_by_id) = (
        index(&base.servers),
        index(&ours.servers),
        index(&theirs.servers),
    );
    let find = |map: &HashMap<String, SavedServer>, id: &str| map.get(id).cloned();
    let mut seen = HashSet::new();
    let ids: Vec<String> = ours
        .servers
        .iter()
        .chain(theirs.servers.iter())
        .map(|s| s.id.to_ascii_lowercase())
        .filter(|id| seen.insert(id.clone()))
        .collect();
    let mut servers = Vec::new();
    for id in ids {
        let b = find(&base_by_id, &id);
        let o = find(&ours_by_id, &id);
        let t = find(&theirs_by_id, &id);
        let mut merged = match (b, o, t) {
            // removed here, or removed elsewhere: the removal wins
            (Some(_), None, _) | (Some(_), Some(_), None) => continue,
            (None, Some(o), None) => o,
            (None, None, Some(t)) => t,
            (None, Some(o), Some(t)) => {
                let mut m = t;
                add_or_update_all(&mut m, o);
                m
            }
            (Some(b), Some(o), Some(t)) => merge_server(&b, &o, &t),
            (_, None, None) => continue,
        };
        let source = match (ours_current, theirs_current) {
            (true, true) => None,
            (true, false) => find(&ours_by_id, &id),
            (false, _) => Some(find(&theirs_by_id, &id).unwrap_or_default()),
        };
        if let Some(source) = source {
            take_connect_data(&mut merged, &source);
        }
        servers.push(merged);
    }
    Credentials {
        schema: SCHEMA_VERSION,
        connect,
        servers,
    }
}

fn merge_connect(
    base: &Option<ConnectAccount>,
    ours: &Option<ConnectAccount>,
    theirs: &Option<ConnectAccount>,
) -> Option<ConnectAccount> {
    let ours_changed = ours != base;
    let theirs_changed = theirs != base;
    match (ours_changed, theirs_changed) {
        (true, true) if ours.is_none() || theirs.is_none() => None,
        (true, _) => ours.clone(),
        (false, _) => theirs.clone(),
    }
}

/// Takes a value changed here, else the file's.
fn pick<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> T {
    if ours != base {
        ours.clone()
    } else {
        theirs.clone()
    }
}

/// The sign-in of a server as one piece.
fn sign_in_of(
    s: &SavedServer,
) -> (
    Option<Secret>,
    Option<String>,
    Option<String>,
    bool,
    Option<TokenSource>,
) {
    (
        s.access_token.clone(),
        s.user_id.clone(),
        s.user_name.clone(),
        s.signed_out,
        s.token_from,
    )
}

fn set_sign_in(s: &mut SavedServer, from: &SavedServer) {
    s.access_token = from.access_token.clone();
    s.user_id = from.user_id.clone();
    s.user_name = from.user_name.clone();
    s.signed_out = from.signed_out;
    s.token_from = from.token_from;
}

fn merge_server(b: &SavedServer, o: &SavedServer, t: &SavedServer) -> SavedServer {
    let mut m = SavedServer {
        id: o.id.clone(),
        name: pick(&b.name, &o.name, &t.name),
        local_address: pick(&b.local_address, &o.local_address, &t.local_address),
        remote_address: pick(&b.remote_address, &o.remote_address, &t.remote_address),
        manual_address: pick(&b.manual_address, &o.manual_address, &t.manual_address),
        exchange_token: pick(&b.exchange_token, &o.exchange_token, &t.exchange_token),
        connect_server_id: pick(
            &b.connect_server_id,
            &o.connect_server_id,
            &t.connect_server_id,
        ),
        link_type: pick(&b.link_type, &o.link_type, &t.link_type),
        date_last_accessed: o.date_last_accessed.max(t.date_last_accessed),
        last_used_ms: o.last_used_ms.max(t.last_used_ms),
        last_connection_mode: pick(
            &b.last_connection_mode,
            &o.last_connection_mode,
            &t.last_connection_mode,
        ),
        ..Default::default()
    };
    let (sb, so, st) = (sign_in_of(b), sign_in_of(o), sign_in_of(t));
    let from = match (so != sb, st != sb) {
        // both changed: a sign-out wins; between two sign-ins, ours (the later writer)
        (true, true) if t.access_token.is_none() && o.access_token.is_some() => t,
        (true, _) => o,
        (false, _) => t,
    };
    set_sign_in(&mut m, from);
    m
}

/// Both sides added the same server: theirs, with what ours knows on top (never clearing).
fn add_or_update_all(theirs: &mut SavedServer, ours: SavedServer) {
    let mut list = vec![theirs.clone()];
    add_or_update(&mut list, ours);
    *theirs = list.remove(0);
}

/// Replaces what came from Emby Connect in `server` with `source`'s (which holds the Connect
/// account that was kept): AccessKey, registration id, link type, and a token from the exchange.
fn take_connect_data(server: &mut SavedServer, source: &SavedServer) {
    server.exchange_token = source.exchange_token.clone();
    server.connect_server_id = source.connect_server_id.clone();
    server.link_type = source.link_type;
    if server.token_via_connect() || source.token_via_connect() {
        set_sign_in(server, source);
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
        let mut store = CredentialsStore::new(dir.path().join("nested"));
        store.save(&sample()).unwrap();
        let (c, aside) = store.load().unwrap();
        assert_eq!(c, sample());
        assert!(aside.is_none());
        let mut names: Vec<_> = fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![
                std::ffi::OsString::from(FILE_NAME),
                std::ffi::OsString::from(LOCK_FILE_NAME)
            ]
        );
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
        let mut store = CredentialsStore::new(dir.path());
        fs::write(store.path(), b"{\"schema\":1}").unwrap();
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o644)).unwrap();
        store.save(&sample()).unwrap();
        let mode = fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn corrupt_file_is_kept_aside_byte_for_byte_and_the_app_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = CredentialsStore::new(dir.path());
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
        let mut store = CredentialsStore::new(dir.path());
        fs::write(store.path(), b"{\"schema\":1,\"servers\":7}").unwrap();
        assert!(store.load().unwrap().1.is_some());
        fs::write(store.path(), b"{\"schema\":99}").unwrap();
        let (_, aside) = store.load().unwrap();
        assert!(aside.unwrap().reason.contains("schema 99"));
        // two set-asides in the same second get distinct names
        let kept: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("unreadable")
            })
            .collect();
        assert_eq!(kept.len(), 2);
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

    // ---- the three-way merge of a save ----

    fn server(id: &str) -> SavedServer {
        SavedServer {
            id: id.into(),
            name: format!("Server {id}"),
            manual_address: Some(format!("http://{id}")),
            ..Default::default()
        }
    }

    fn with_servers(servers: Vec<SavedServer>) -> Credentials {
        Credentials {
            servers,
            ..Credentials::default()
        }
    }

    fn ids(c: &Credentials) -> Vec<&str> {
        let mut ids: Vec<&str> = c.servers.iter().map(|s| s.id.as_str()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn servers_added_on_each_side_are_all_kept() {
        let base = with_servers(vec![server("a")]);
        let ours = with_servers(vec![server("a"), server("b")]);
        let theirs = with_servers(vec![server("a"), server("c")]);
        assert_eq!(ids(&merge(&base, &ours, &theirs)), vec!["a", "b", "c"]);
    }

    #[test]
    fn a_removal_on_either_side_wins_over_a_stale_copy() {
        let base = with_servers(vec![server("a"), server("b")]);
        let mut touched = server("a");
        touched.date_last_accessed = 99; // a refresh here touched it
        let ours = with_servers(vec![touched, server("b")]);
        let theirs = with_servers(vec![server("b")]); // removed elsewhere
        assert_eq!(ids(&merge(&base, &ours, &theirs)), vec!["b"]);
        let ours = with_servers(vec![server("a")]); // removed here
        let theirs = with_servers(vec![server("a"), server("b")]);
        assert_eq!(ids(&merge(&base, &ours, &theirs)), vec!["a"]);
    }

    #[test]
    fn each_side_keeps_the_fields_it_changed() {
        let base = with_servers(vec![server("a")]);
        let mut o = server("a");
        o.name = "Renamed here".into();
        let mut t = server("a");
        t.remote_address = Some("https://wan".into());
        t.date_last_accessed = 7;
        let m = merge(&base, &with_servers(vec![o]), &with_servers(vec![t]));
        assert_eq!(m.servers[0].name, "Renamed here");
        assert_eq!(m.servers[0].remote_address.as_deref(), Some("https://wan"));
        assert_eq!(m.servers[0].date_last_accessed, 7);
    }

    fn signed_in(id: &str, token: &str, from: TokenSource) -> SavedServer {
        SavedServer {
            access_token: Some(Secret::new(token)),
            user_id: Some("u1".into()),
            token_from: Some(from),
            ..server(id)
        }
    }

    #[test]
    fn a_sign_out_elsewhere_wins_over_a_new_token_here() {
        let base = with_servers(vec![signed_in("a", "t1", TokenSource::Local)]);
        let ours = with_servers(vec![signed_in("a", "t2", TokenSource::Local)]);
        let mut out = server("a");
        out.signed_out = true;
        let theirs = with_servers(vec![out]);
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.servers[0].access_token, None);
        assert!(m.servers[0].signed_out);
        // and the other way round: signed out here, a refresh elsewhere saved a new token
        let m = merge(&base, &theirs, &ours);
        assert_eq!(m.servers[0].access_token, None);
        assert!(m.servers[0].signed_out);
    }

    fn connect_account(user: &str) -> Option<ConnectAccount> {
        Some(ConnectAccount {
            user_id: user.into(),
            user_name: Some(user.into()),
            access_token: Secret::new(format!("ctok-{user}")),
        })
    }

    fn via_connect(id: &str, key: &str, token: &str) -> SavedServer {
        SavedServer {
            exchange_token: Some(Secret::new(key)),
            connect_server_id: Some(format!("c-{id}")),
            link_type: Some(LinkType::Linked),
            ..signed_in(id, token, TokenSource::Connect)
        }
    }

    #[test]
    fn a_connect_sign_out_elsewhere_is_not_undone_by_a_refresh_that_ran_meanwhile() {
        let mut local = signed_in("m", "local-token", TokenSource::Local);
        local.manual_address = Some("http://m".into());
        let base = Credentials {
            schema: SCHEMA_VERSION,
            connect: connect_account("cu1"),
            servers: vec![via_connect("a", "key1", "t1"), local.clone()],
        };
        // the refresh exchanged again (new token), got a new key, and a new Connect server
        let ours = Credentials {
            servers: vec![
                via_connect("a", "key2", "t2"),
                local.clone(),
                via_connect("n", "key-n", "tn"),
            ],
            ..base.clone()
        };
        // meanwhile `connect logout` forgot the account, its keys and the tokens they gave
        let mut a_out = server("a");
        a_out.name = "Server a".into();
        let theirs = Credentials {
            schema: SCHEMA_VERSION,
            connect: None,
            servers: vec![a_out, local.clone()],
        };
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.connect, None);
        for s in &m.servers {
            assert_eq!(s.exchange_token, None, "{}", s.id);
            assert_eq!(s.connect_server_id, None, "{}", s.id);
            if s.id != "m" {
                assert_eq!(s.access_token, None, "{}", s.id);
            }
        }
        let m_local = m.servers.iter().find(|s| s.id == "m").unwrap();
        assert_eq!(m_local.access_token, Some(Secret::new("local-token")));
    }

    #[test]
    fn a_connect_sign_in_here_keeps_its_keys_over_a_stale_copy() {
        let base = Credentials::default();
        let ours = Credentials {
            schema: SCHEMA_VERSION,
            connect: connect_account("cu2"),
            servers: vec![via_connect("a", "key-cu2", "t")],
        };
        let theirs = Credentials {
            schema: SCHEMA_VERSION,
            connect: connect_account("cu1"),
            servers: vec![via_connect("a", "key-cu1", "t-old")],
        };
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.connect, connect_account("cu2"));
        assert_eq!(m.servers[0].exchange_token, Some(Secret::new("key-cu2")));
        assert_eq!(m.servers[0].access_token, Some(Secret::new("t")));
    }

    #[test]
    fn two_stores_saving_in_turn_keep_both_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut one = CredentialsStore::new(dir.path());
        let mut two = CredentialsStore::new(dir.path());
        let (mut c1, _) = one.load().unwrap();
        let (mut c2, _) = two.load().unwrap();
        c1.servers.push(server("a"));
        c2.servers.push(server("b"));
        one.save(&c1).unwrap();
        let (merged, _) = two.save(&c2).unwrap();
        assert_eq!(ids(&merged), vec!["a", "b"]);
        let (on_disk, _) = CredentialsStore::new(dir.path()).load().unwrap();
        assert_eq!(ids(&on_disk), vec!["a", "b"]);
    }

    #[test]
    fn a_file_made_unreadable_between_load_and_save_is_kept_aside_and_ours_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = CredentialsStore::new(dir.path());
        let (mut c, _) = store.load().unwrap();
        c.servers.push(server("a"));
        store.save(&c).unwrap();
        fs::write(store.path(), b"{ garbage").unwrap();
        c.servers.push(server("b"));
        let (merged, aside) = store.save(&c).unwrap();
        assert_eq!(ids(&merged), vec!["a", "b"]);
        assert_eq!(fs::read(aside.unwrap().moved_to).unwrap(), b"{ garbage");
    }
}
