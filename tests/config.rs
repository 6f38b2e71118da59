//! config.toml through the real binary: created commented on a first run, `config path` and
//! `config show`, precedence (command line > environment > file > default), and a bad file
//! reported line by line on stderr while the command still runs.

use std::path::Path;
use std::process::Command;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn emby_tui(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_emby-tui"))
        .args(args)
        .env("EMBY_TUI_CONFIG_DIR", dir)
        .env_remove("EMBY_TUI_HEAD_START_MS")
        .env_remove("EMBY_TUI_CONNECT_URL")
        .env_remove("EMBY_TUI_PLAYER")
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .output()
        .expect("emby-tui runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_first_run_writes_the_commented_file_and_config_path_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let out = emby_tui(dir.path(), &["config", "path"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = dir.path().join("config.toml");
    assert_eq!(out.stdout.trim(), path.display().to_string());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# quit = [\"q\", \"ctrl-c\"]"), "{text}");
    assert!(text.contains("# head_start_ms = 200"), "{text}");
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn config_show_prints_the_configuration_in_force_as_toml_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[keys]\nsearch = \"ctrl-f\"\n[network]\nhead_start_ms = 90\nlocal_timeout_ms = 900\n\
         [player]\ncommand = \"mpv --no-video {url}\"\n",
    )
    .unwrap();
    let out = emby_tui(
        dir.path(),
        &["config", "show", "--local-timeout-ms", "800"],
        &[("EMBY_TUI_HEAD_START_MS", "70")],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let shown = emby_tui::config::Config::from_text(&out.stdout, None, None);
    assert!(
        shown.problems.is_empty(),
        "{:?}\n{}",
        shown.problems,
        out.stdout
    );
    // the command line over the environment over the file over the default
    assert_eq!(shown.file.local_timeout_ms, Some(800));
    assert_eq!(shown.file.head_start_ms, Some(70));
    assert_eq!(shown.file.remote_timeout_ms, Some(6000));
    assert_eq!(
        shown.file.player_command.as_deref(),
        Some("mpv --no-video {url}")
    );
    assert!(out.stdout.contains("search = \"ctrl-f\""), "{}", out.stdout);
    // every table, every key of them, even those the file does not set
    for key in [
        "[keys]",
        "[theme]",
        "[images]",
        "[player]",
        "[network]",
        "[log]",
        "preset =",
        "mode =",
        "terminal =",
        "connect_url =",
        "level =",
    ] {
        assert!(out.stdout.contains(key), "{key} missing:\n{}", out.stdout);
    }
    // saved as the file, it gives the same configuration again
    std::fs::write(dir.path().join("config.toml"), &out.stdout).unwrap();
    let again = emby_tui(
        dir.path(),
        &["config", "show", "--local-timeout-ms", "800"],
        &[("EMBY_TUI_HEAD_START_MS", "70")],
    );
    assert_eq!(again.stdout, out.stdout);
    assert!(again.stderr.is_empty(), "{}", again.stderr);
}

#[test]
fn a_bad_file_is_reported_line_by_line_and_the_command_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "[keys]\nquit = \"x\"\njump = \"j\"\n[network]\nhead_start_ms = \"soon\"\n";
    std::fs::write(dir.path().join("config.toml"), bad).unwrap();
    let out = emby_tui(dir.path(), &["config", "show"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "each problem once: {lines:?}");
    assert!(
        lines[0].starts_with("emby-tui: config.toml line 3: `jump`"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("emby-tui: config.toml line 5: `head_start_ms`"),
        "{lines:?}"
    );
    // the good entry is taken, the bad one is at its default
    assert!(out.stdout.contains("quit = [\"x\"]") || out.stdout.contains("quit = \"x\""));
    assert!(out.stdout.contains("head_start_ms = 200"), "{}", out.stdout);
    // and the file is left as the user wrote it
    assert_eq!(
        std::fs::read_to_string(dir.path().join("config.toml")).unwrap(),
        bad
    );
    // a file that is not TOML at all: one line, every default, the command still runs
    std::fs::write(dir.path().join("config.toml"), "[keys\n").unwrap();
    let out = emby_tui(dir.path(), &["config", "path"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("config.toml line 1:"), "{}", out.stderr);
}
