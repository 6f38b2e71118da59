//! `cargo bench --bench keys`: key-to-frame latency of the real terminal UI. Runs the release
//! `emby-tui --demo` in a pseudo-terminal, presses Ctrl-N and Ctrl-P on the sign-in pane (each press
//! switches between Emby Connect and the PIN), and times from writing the key to the screen,
//! read back through a VT100 emulator, showing the change. Prints median / p95 / max for the
//! README.

use std::time::{Duration, Instant};

#[path = "../tests/common/pty.rs"]
#[allow(dead_code)]
mod pty;

use pty::Pty;

const ROWS: u16 = 40;
const COLS: u16 = 140;
const WARM_UP: usize = 10;
const PRESSES: usize = 100;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let home = tempfile::tempdir().unwrap();
    let (data, config) = (home.path().join("data"), home.path().join("config"));
    let mut pty = Pty::spawn(
        env!("CARGO_BIN_EXE_emby-tui"),
        &["--demo"],
        &[
            ("HOME", home.path()),
            ("XDG_DATA_HOME", &data),
            ("XDG_CONFIG_HOME", &config),
        ],
        ROWS,
        COLS,
    );
    let limit = Duration::from_secs(10);
    let connect_shown = |screen: &str| screen.contains("Name or e-mail:");
    pty.until(Instant::now(), limit, "the sign-in pane", connect_shown);
    let mut times = Vec::with_capacity(PRESSES);
    for i in 0..WARM_UP + PRESSES {
        // Ctrl-N leaves Emby Connect for the PIN, Ctrl-P comes back
        let (key, shows_connect) = if i % 2 == 0 {
            ("\u{e}", false)
        } else {
            ("\u{10}", true)
        };
        let start = Instant::now();
        pty.write(key.as_bytes());
        let took = pty.until(start, limit, "the other sign-in way", |s| {
            connect_shown(s) == shows_connect
        });
        if i >= WARM_UP {
            times.push(took);
        }
        // let the frame finish and the program settle, so each press is timed alone
        std::thread::sleep(Duration::from_millis(30));
    }
    pty.write(b"\x03"); // Ctrl-C
    pty.exit_status(limit);

    times.sort();
    println!(
        "key to frame ({PRESSES} presses of Ctrl-N/Ctrl-P on the sign-in pane, release --demo, \
         {COLS}x{ROWS} pty): median {}, p95 {}, max {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(*times.last().unwrap()),
    );
}
