//! Installs the peer clients once per target dir and runs their scripts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// Pinned versions (shared/peers.md).
const PIP_PACKAGES: &[&str] = &["embyclient==4.9.0.33", "jellyfin-apiclient-python==1.20.2"];
const NPM_PACKAGE: &str = "jellyfin-apiclient@1.11.0";
const NPM_VERSION: &str = "1.11.0";

/// Where the installed peers live.
pub struct Peers {
    /// The venv's python.
    pub python: PathBuf,
    /// `node_modules` holding jellyfin-apiclient.
    pub node_modules: PathBuf,
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
    }
}

/// The folder of the peer scripts.
pub fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("peers")
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{what}: cannot run {:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        return Ok(());
    }
    let tail = |b: &[u8]| {
        let s = String::from_utf8_lossy(b);
        s.chars()
            .rev()
            .take(3000)
            .collect::<String>()
            .chars()
            .rev()
            .collect::<String>()
    };
    Err(format!(
        "{what} failed ({}):\n{}\n{}",
        out.status,
        tail(&out.stdout),
        tail(&out.stderr)
    ))
}

fn install_python(dir: &Path) -> Result<PathBuf, String> {
    let venv = dir.join("venv");
    let python = venv.join("bin").join("python");
    let marker = venv.join(".emby-tui-peers");
    let wanted = PIP_PACKAGES.join(" ");
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) && python.exists() {
        return Ok(python);
    }
    if !python.exists() {
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "creating the Python venv (python3 -m venv)",
        )?;
    }
    run(
        Command::new(&python)
            .args(["-m", "pip", "install", "--disable-pip-version-check", "-q"])
            .args(PIP_PACKAGES),
        &format!("pip install {wanted}"),
    )?;
    std::fs::write(&marker, wanted).map_err(|e| format!("writing {}: {e}", marker.display()))?;
    Ok(python)
}

fn install_node(dir: &Path) -> Result<PathBuf, String> {
    let prefix = dir.join("node");
    let modules = prefix.join("node_modules");
    let manifest = modules.join("jellyfin-apiclient").join("package.json");
    let installed = std::fs::read_to_string(&manifest)
        .is_ok_and(|m| m.contains(&format!("\"version\": \"{NPM_VERSION}\"")));
    if installed {
        return Ok(modules);
    }
    std::fs::create_dir_all(&prefix).map_err(|e| format!("creating {}: {e}", prefix.display()))?;
    run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
            .arg(&prefix)
            .arg(NPM_PACKAGE),
        &format!("npm install {NPM_PACKAGE}"),
    )?;
    Ok(modules)
}

fn install() -> Result<Peers, String> {
    let dir = target_dir().join("peers");
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    Ok(Peers {
        python: install_python(&dir)?,
        node_modules: install_node(&dir)?,
    })
}

static PEERS: OnceLock<Result<Peers, String>> = OnceLock::new();

/// The installed peers; the first caller installs them, parallel callers wait for it.
/// Panics with the installer's output when the install fails (never skips).
pub fn peers() -> &'static Peers {
    match PEERS.get_or_init(install) {
        Ok(p) => p,
        Err(e) => panic!("installing the peer clients failed; the peer tests cannot run:\n{e}"),
    }
}

/// Output of a peer script.
pub struct ScriptOutput {
    /// Exit status was success.
    pub success: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl ScriptOutput {
    /// The last stdout line parsed as JSON (panics with everything the script said otherwise).
    pub fn json(&self) -> serde_json::Value {
        let line = self
            .stdout
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        serde_json::from_str(line).unwrap_or_else(|e| {
            panic!(
                "peer script output is not JSON ({e}):\nstdout:\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs a script of tests/peers with python or node, without blocking the simulator's runtime.
pub async fn run_script(script: &str, args: &[String]) -> ScriptOutput {
    let p = peers();
    let path = scripts().join(script);
    let mut cmd = if script.ends_with(".js") {
        let mut c = tokio::process::Command::new("node");
        c.env("NODE_PATH", &p.node_modules);
        c
    } else {
        tokio::process::Command::new(&p.python)
    };
    cmd.arg(&path).args(args).kill_on_drop(true);
    // loopback only: a proxy from the environment must not get in the way
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    let out = tokio::time::timeout(Duration::from_secs(120), cmd.output())
        .await
        .unwrap_or_else(|_| panic!("{script} did not finish in 120 s"))
        .unwrap_or_else(|e| panic!("cannot run {script}: {e}"));
    ScriptOutput {
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
