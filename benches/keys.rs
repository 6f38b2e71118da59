//! `cargo bench --bench keys`: key-to-frame latency of the real terminal UI. Runs the release
//! `emby-tui --demo` in a pseudo-terminal, presses → and ← on the sign-in pane (each press
//! switches between Emby Connect and the PIN), and times from writing the key to the screen,
//! read back through a VT100 emulator, showing the change. Prints median / p95 / max for the
//! README.

use std::io::{Read, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 140;
const WARM_UP: usize = 10;
const PRESSES: usize = 100;

/// The emulated screen, and a signal each time the program's output has been applied to it.
struct Screen {
    parser: Mutex<vt100::Parser>,
    changed: Condvar,
}

impl Screen {
    /// Wait until `pred` holds on the screen; the time it first held, measured from `since`.
    fn until(&self, since: Instant, pred: impl Fn(&str) -> bool) -> Duration {
        let deadline = since + Duration::from_secs(10);
        let mut parser = self.parser.lock().unwrap();
        loop {
            if pred(&parser.screen().contents()) {
                return since.elapsed();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "the screen never changed:\n{}",
                parser.screen().contents()
            );
            parser = self.changed.wait_timeout(parser, left).unwrap().0;
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let home = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_emby-tui"));
    cmd.arg("--demo");
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", home.path());
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
    let mut child = pair.slave.spawn_command(cmd).expect("emby-tui starts");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let screen = Arc::new(Screen {
        parser: Mutex::new(vt100::Parser::new(ROWS, COLS, 0)),
        changed: Condvar::new(),
    });
    let s = screen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n @ 1..) = reader.read(&mut buf) {
            s.parser.lock().unwrap().process(&buf[..n]);
            s.changed.notify_all();
        }
    });

    let connect_shown = |screen: &str| screen.contains("Name or e-mail:");
    screen.until(Instant::now(), connect_shown);
    let mut times = Vec::with_capacity(PRESSES);
    for i in 0..WARM_UP + PRESSES {
        // → leaves Emby Connect for the PIN, ← comes back
        let (key, shows_connect) = if i % 2 == 0 {
            ("\u{1b}[C", false)
        } else {
            ("\u{1b}[D", true)
        };
        let start = Instant::now();
        writer.write_all(key.as_bytes()).unwrap();
        writer.flush().unwrap();
        let took = screen.until(start, |s| connect_shown(s) == shows_connect);
        if i >= WARM_UP {
            times.push(took);
        }
        // let the frame finish and the program settle, so each press is timed alone
        std::thread::sleep(Duration::from_millis(30));
    }
    writer.write_all(b"\x03").unwrap(); // Ctrl-C
    writer.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }

    times.sort();
    println!(
        "key to frame ({PRESSES} presses of →/← on the sign-in pane, release --demo, \
         {COLS}x{ROWS} pty): median {}, p95 {}, max {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(*times.last().unwrap()),
    );
}
