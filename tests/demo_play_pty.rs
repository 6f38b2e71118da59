//! Playing in the real `emby-tui --demo`, in a pseudo-terminal read back through a VT100
//! emulator: play a movie on "Living Room TV" and watch its position move; copy a stream URL
//! (the raw output carries a well-formed OSC 52 sequence); and a player that needs the terminal
//! (a stand-in for mpv with a terminal video output) gets it, reads the keys typed at it, and
//! the UI comes back whole when it exits.

use std::time::{Duration, Instant};

const ROWS: u16 = 40;
const COLS: u16 = 140;

#[path = "common/pty.rs"]
#[allow(dead_code)]
mod pty;

use pty::Pty;

struct Screen {
    pty: Pty,
    _home: tempfile::TempDir,
}

impl Screen {
    fn start(env: &[(&str, &std::path::Path)]) -> Screen {
        let home = tempfile::tempdir().unwrap();
        let (data, config) = (home.path().join("data"), home.path().join("config"));
        let mut all: Vec<(&str, &std::path::Path)> = vec![
            ("HOME", home.path()),
            ("XDG_DATA_HOME", &data),
            ("XDG_CONFIG_HOME", &config),
            ("RUST_LOG", std::path::Path::new("info")),
        ];
        all.extend_from_slice(env);
        let pty = Pty::spawn(
            env!("CARGO_BIN_EXE_emby-tui"),
            &["--demo"],
            &all,
            ROWS,
            COLS,
        );
        Screen { pty, _home: home }
    }

    fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.pty
            .until(Instant::now(), Duration::from_secs(40), what, pred);
        self.pty.contents()
    }

    fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |screen| {
            texts.iter().all(|t| screen.contains(t))
        })
    }

    fn send(&self, keys: &str) {
        self.pty.write(keys.as_bytes());
        std::thread::sleep(Duration::from_millis(60));
    }

    fn raw_output(&self) -> Vec<u8> {
        self.pty.raw.lock().unwrap().clone()
    }

    /// Signs in as demo, opens Living Room and its Movies, and opens the first movie's play
    /// menu with the other devices listed.
    fn to_the_play_menu(&self) {
        self.wait_for(&["Sign in"]);
        self.send("demo");
        self.send("\t");
        self.send("demo");
        self.send("\r");
        let list = self.wait_until("the servers reached", |s| {
            s.contains("Servers · 3") && !s.contains("checking…")
        });
        let lines: Vec<&str> = list.lines().collect();
        let header = lines
            .iter()
            .position(|l| l.contains("Name") && l.contains("Latency"))
            .unwrap();
        let row = lines
            .iter()
            .skip(header + 1)
            .position(|l| l.trim_start_matches('│').starts_with("Living Room"))
            .unwrap();
        self.send("g");
        for _ in 0..row {
            self.send("j");
        }
        self.send("\r");
        self.wait_for(&["Living Room › Home", "Movies/"]);
        self.send("\r");
        self.wait_for(&["Living Room › Home › Movies", "1 of 120"]);
        self.send("\r");
        self.wait_for(&["Play on", "Living Room TV (Emby Theater)", "Phone"]);
    }
}

/// The position the remote panel shows, e.g. "0:03".
fn panel_position(screen: &str) -> Option<String> {
    let line = screen
        .lines()
        .find(|l| l.contains(" / ") && l.contains('░'))?;
    let at = line.split(" / ").next()?.split_whitespace().last()?;
    Some(at.to_string())
}

#[test]
fn play_a_movie_on_the_living_room_tv_and_watch_its_position_move() {
    let s = Screen::start(&[]);
    s.to_the_play_menu();
    // the cursor starts on "This box"; the TV is next
    s.send("j");
    s.send("\r");
    let first = s.wait_until("the remote panel playing", |screen| {
        screen.contains("Remote control")
            && screen.contains("▶ Playing")
            && panel_position(screen).is_some()
    });
    let was = panel_position(&first).unwrap();
    let moved = s.wait_until("the position moves on", |screen| {
        panel_position(screen).is_some_and(|p| p != was)
    });
    assert!(moved.contains("Living Room TV (Emby Theater)"), "{moved}");
    s.send(" ");
    s.wait_for(&["⏸ Paused"]);
    s.send("s");
    s.wait_for(&["Nothing is playing there now."]);
    s.send("\u{1b}");
    s.send("q");
}

#[test]
fn copy_url_writes_a_well_formed_osc_52_sequence_and_shows_the_url() {
    use base64::Engine;
    let s = Screen::start(&[]);
    s.to_the_play_menu();
    for _ in 0..6 {
        s.send("j"); // to the last line: copy a stream URL
    }
    s.send("\r");
    let screen = s.wait_for(&["Stream URL", "holds your access token for Living Room"]);
    assert!(screen.contains("sign out of Living Room"), "{screen}");
    let raw = s.raw_output();
    let start = raw
        .windows(7)
        .position(|w| w == b"\x1b]52;c;")
        .expect("an OSC 52 sequence");
    let rest = &raw[start + 7..];
    let end = rest
        .windows(2)
        .position(|w| w == b"\x1b\\")
        .expect("terminated by ST");
    let body = &rest[..end];
    assert!(
        body.iter()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b)),
        "base64 only"
    );
    let url = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap(),
    )
    .unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(
        url.contains("/emby/Videos/") && url.contains("/stream.y4m?"),
        "{url}"
    );
    assert!(url.contains("api_key="), "{url}");
    // the same URL is on screen for copying by hand (it may wrap)
    let flat: String = screen.split_whitespace().collect::<Vec<_>>().join("");
    let key = url.split("api_key=").nth(1).unwrap();
    assert!(flat.contains(key), "the URL is shown:\n{screen}");
    s.send("\u{1b}");
    s.send("q");
}

#[test]
fn a_player_that_needs_the_terminal_gets_it_and_the_ui_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("fake.log");
    let fake = format!("{}/tests/players/fake_mpv.py", env!("CARGO_MANIFEST_DIR"));
    // --vo=tct: mpv draws in the terminal, so emby-tui lends it the terminal
    let template = format!(
        "python3 {fake} --fake-plan=play:3,key,play:2,quit --fake-log={} --vo=tct --idle=once --force-media-title={{title}} --start={{start}} --input-ipc-server={{ipc}}",
        log.display()
    );
    let template_path = std::path::PathBuf::from(template);
    let s = Screen::start(&[("EMBY_TUI_PLAYER", &template_path)]);
    s.to_the_play_menu();
    s.send("\r"); // This box
    let out = s.wait_for(&["fake mpv playing", "press q and Enter to stop"]);
    assert!(
        !out.contains("Living Room › Home"),
        "the UI left the alternate screen:\n{out}"
    );
    // typed at the player, read by the player (emby-tui no longer reads the terminal)
    s.send("q\r");
    let back = s.wait_for(&["Living Room › Home › Movies", "Stopped"]);
    assert!(back.contains("1 of 120"), "the UI is whole again:\n{back}");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains(r#"{"key": "q"}"#),
        "the player got the key: {logged}"
    );
    // the terminal was really left and entered again
    let raw = String::from_utf8_lossy(&s.raw_output()).into_owned();
    assert!(raw.matches("\u{1b}[?1049h").count() >= 2, "entered twice");
    assert!(raw.contains("\u{1b}[?1049l"), "left once at least");
    s.send("q");
}
