use super::*;
use crate::app::keymap::Command;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn the_commented_file_of_a_first_run_reads_as_the_defaults() {
    let c = Config::from_text(&template(), None, None);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.keymap, Keymap::default());
    assert_eq!(c.theme, Theme::default());
    assert!(c.file.keys.is_empty() && c.file.head_start_ms.is_none());
    // every value line is commented: the file documents, it does not pin the defaults
    assert!(
        template()
            .lines()
            .filter(|l| l.contains(" = "))
            .all(|l| l.starts_with('#')),
        "{}",
        template()
    );
}

#[test]
fn what_config_show_prints_gives_the_same_configuration_again() {
    let text = "[keys]\nquit = [\"x\", \"ctrl-q\"]\n[keys.in_session]\nopen = \"ctrl-o\"\n\
                [theme]\npreset = \"light\"\nerror = \"#ff8800\"\n[network]\nhead_start_ms = 50\n";
    let c = Config::from_text(text, None, None);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let resolved = Resolved {
        head_start_ms: 50,
        ..Resolved::defaults()
    };
    let shown = show(&c, &resolved);
    let again = Config::from_text(&shown, None, None);
    assert!(again.problems.is_empty(), "{:?}\n{shown}", again.problems);
    assert_eq!(again.keymap, c.keymap);
    assert_eq!(again.theme, c.theme);
    assert_eq!(again.file.head_start_ms, Some(50));
    assert_eq!(
        again.file.connect_url.as_deref(),
        Some(resolved.connect_url.as_str())
    );
    assert!(shown.contains("quit = [\"x\", \"ctrl-q\"]"), "{shown}");
    assert!(shown.contains("error = \"#ff8800\""), "{shown}");
}

#[test]
fn each_bad_entry_is_reported_with_its_line_and_its_default_used() {
    let text = "\
[keys]
quit = \"x\"
jump = \"j\"
help = \"ctrl-\"
search = 5

[theme]
error = \"blurple\"
ok = \"light-green\"

[images]
mode = \"ascii\"

[network]
head_start_ms = \"soon\"
local_timeout_ms = 250
colour = 1

[log]
level = \"loud\"

[extra]
a = 1
";
    let c = Config::from_text(text, None, None);
    let lines: Vec<usize> = c.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 4, 5, 8, 12, 15, 17, 20, 22], "{:#?}", c.problems);
    let all = c
        .problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        all.contains("config.toml line 3: `jump` is not a command"),
        "{all}"
    );
    assert!(all.contains("line 8: `blurple` is not a colour"), "{all}");
    assert!(
        all.contains("line 15: `head_start_ms` is a whole number"),
        "{all}"
    );
    // the good entries are taken, the bad ones left at their defaults
    assert_eq!(
        c.keymap.lookup(Mode::Servers, &key('x')),
        Some(Command::Quit)
    );
    assert_eq!(
        c.keymap.lookup(Mode::Servers, &key('?')),
        Some(Command::Help)
    );
    assert_eq!(
        c.keymap.lookup(Mode::Session, &key('/')),
        Some(Command::Search)
    );
    assert_eq!(c.theme.color(Role::Error), Color::Red);
    assert_eq!(c.theme.color(Role::Ok), Color::LightGreen);
    assert_eq!(c.file.images, None);
    assert_eq!(c.file.head_start_ms, None);
    assert_eq!(c.file.local_timeout_ms, Some(250));
    assert_eq!(c.file.log_level, None);
}

#[test]
fn a_file_that_is_not_toml_is_reported_at_its_line_and_every_default_used() {
    let c = Config::from_text("[keys]\nquit = \"x\"\nhelp = \n", None, None);
    assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
    assert_eq!(c.problems[0].line, 3, "{:?}", c.problems);
    assert!(c.problems[0].message.contains("every default"));
    assert_eq!(c.keymap, Keymap::default());
}

#[test]
fn no_color_gives_the_plain_theme_unless_the_file_names_a_preset() {
    let plain = Config::from_text("", None, Some("1"));
    assert_eq!(plain.theme.preset, Preset::Plain);
    let chosen = Config::from_text("[theme]\npreset = \"dark\"\n", None, Some("1"));
    assert_eq!(chosen.theme.preset, Preset::Dark);
    let one_colour = Config::from_text("[theme]\nkey = \"red\"\n", None, Some("1"));
    assert_eq!(one_colour.theme.color(Role::Key), Color::Red);
    assert_eq!(one_colour.theme.color(Role::Error), Color::Reset);
}

#[cfg(unix)]
#[test]
fn a_first_run_creates_the_commented_file_and_a_broken_one_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("conf");
    let c = Config::load(&conf, None);
    assert!(c.problems.is_empty());
    let written = std::fs::read_to_string(conf.join(FILE_NAME)).unwrap();
    assert_eq!(written, template());
    let mode = std::fs::metadata(conf.join(FILE_NAME))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "{mode:o}");
    // a broken file is reported, used as the defaults, and never rewritten
    std::fs::write(conf.join(FILE_NAME), b"[keys\xff]\n").unwrap();
    let c = Config::load(&conf, None);
    assert_eq!(c.problems.len(), 1);
    assert!(
        c.problems[0].to_string().contains("not UTF-8"),
        "{:?}",
        c.problems
    );
    assert_eq!(
        std::fs::read(conf.join(FILE_NAME)).unwrap(),
        b"[keys\xff]\n"
    );
}
