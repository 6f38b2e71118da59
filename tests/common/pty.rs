//! A program in a pseudo-terminal, its screen read back through a VT100 emulator: how tests and
//! benchmarks see the terminal UI as a person does. Shared by `tests/demo_pty.rs` and the
//! `keys` and `startup` benchmarks.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A running program and its emulated screen.
pub struct Pty {
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Signalled each time output has been applied to the screen.
    changed: Arc<Condvar>,
    /// Everything the program wrote, as written.
    pub raw: Arc<Mutex<Vec<u8>>>,
    /// Shared so a write the program does not read can be made from a thread.
    pub writer: Arc<Mutex<Box<dyn Write + Send>>>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Pty {
    /// Starts `program ARGS` with `env` set (and `TERM=xterm-256color`) on a `cols` x `rows`
    /// terminal.
    pub fn spawn(program: &str, args: &[&str], env: &[(&str, &Path)], rows: u16, cols: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("the program starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer: Arc<Mutex<Box<dyn Write + Send>>> =
            Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let changed = Arc::new(Condvar::new());
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, c, r, w) = (parser.clone(), changed.clone(), raw.clone(), writer.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            let mut tail: Vec<u8> = Vec::new();
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
                // answer what every terminal answers (the emulator does not): the primary
                // device attributes (a VT220, no sixel) and the status report
                tail.extend_from_slice(&buf[..n]);
                let mut answered = false;
                for (asked, answer) in [
                    (&b"\x1b[c"[..], &b"\x1b[?62;22c"[..]),
                    (b"\x1b[5n", b"\x1b[0n"),
                ] {
                    if tail.windows(asked.len()).any(|x| x == asked) {
                        let mut w = w.lock().unwrap();
                        let _ = w.write_all(answer).and_then(|()| w.flush());
                        answered = true;
                    }
                }
                if answered {
                    tail.clear();
                } else {
                    let keep = tail.len().saturating_sub(8);
                    tail.drain(..keep);
                }
                c.notify_all();
            }
        });
        Pty {
            parser,
            changed,
            raw,
            writer,
            child,
            master: pair.master,
        }
    }

    /// The screen as text.
    pub fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Writes at once.
    pub fn write(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    /// Waits, woken by the program's output, until `pred` holds on the screen; returns the time
    /// from `since`. Panics, showing the screen, if it has not held within `limit` of `since`.
    pub fn until(
        &self,
        since: Instant,
        limit: Duration,
        what: &str,
        pred: impl Fn(&str) -> bool,
    ) -> Duration {
        let deadline = since + limit;
        let mut parser = self.parser.lock().unwrap();
        loop {
            if pred(&parser.screen().contents()) {
                return since.elapsed();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "the screen never showed {what}:\n{}",
                parser.screen().contents()
            );
            parser = self.changed.wait_timeout(parser, left).unwrap().0;
        }
    }

    /// Waits (bounded) for the program to exit; kills it and panics if it does not.
    pub fn exit_status(&mut self, limit: Duration) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the program did not exit:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
