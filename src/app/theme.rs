//! Colours by role. The UI never names a colour: it asks the theme for the colour of a role
//! (a key in the status line, an error, a heading), so a light terminal, `NO_COLOR` or the
//! config file's `[theme]` table change every screen at once.

use ratatui::style::{Color, Style};

/// What a coloured piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Key names in the status line and help.
    Key,
    /// Headings (home rows, a list's title).
    Title,
    /// Messages that inform (progress, a tip).
    Info,
    /// Errors.
    Error,
    /// Success (signed in).
    Ok,
    /// Needs attention (checking, sign-in needed).
    Warn,
    /// Secondary text (separators, notes, a row's details).
    Dim,
    /// Choices not taken (the sign-in ways not selected).
    Muted,
    /// The background of the status row.
    Bar,
}

impl Role {
    /// Every role, in the order the config file lists them.
    pub const ALL: [Role; 9] = [
        Role::Key,
        Role::Title,
        Role::Info,
        Role::Error,
        Role::Ok,
        Role::Warn,
        Role::Dim,
        Role::Muted,
        Role::Bar,
    ];

    /// The role's key in the `[theme]` table.
    pub fn name(self) -> &'static str {
        match self {
            Role::Key => "key",
            Role::Title => "title",
            Role::Info => "info",
            Role::Error => "error",
            Role::Ok => "ok",
            Role::Warn => "warn",
            Role::Dim => "dim",
            Role::Muted => "muted",
            Role::Bar => "bar",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    /// What the role colours, for the commented config file.
    pub fn about(self) -> &'static str {
        match self {
            Role::Key => "key names in the status line and help",
            Role::Title => "headings",
            Role::Info => "messages that inform",
            Role::Error => "errors",
            Role::Ok => "success (signed in)",
            Role::Warn => "needs attention",
            Role::Dim => "secondary text",
            Role::Muted => "choices not taken",
            Role::Bar => "status row background",
        }
    }
}

/// A base set of colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// For dark terminal backgrounds (the default).
    Dark,
    /// For light terminal backgrounds.
    Light,
    /// No colour at all (what `NO_COLOR` asks for): emphasis by bold and reverse only.
    Plain,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Dark, Preset::Light, Preset::Plain];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Dark => "dark",
            Preset::Light => "light",
            Preset::Plain => "plain",
        }
    }

    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// The colour of every role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub preset: Preset,
    colors: [Color; Role::ALL.len()],
}

impl Default for Theme {
    fn default() -> Self {
        Theme::preset(Preset::Dark)
    }
}

impl Theme {
    pub fn preset(preset: Preset) -> Theme {
        use Color::*;
        let colors = match preset {
            //             key     title  info   error ok     warn     dim       muted bar
            Preset::Dark => [
                Yellow, Cyan, Cyan, Red, Green, Yellow, DarkGray, Gray, Black,
            ],
            Preset::Light => [
                Blue, Blue, Blue, Red, Green, Magenta, DarkGray, DarkGray, Gray,
            ],
            Preset::Plain => [Reset; Role::ALL.len()],
        };
        Theme { preset, colors }
    }

    /// The theme when the config file names none: plain when `NO_COLOR` is set to anything but
    /// the empty string (no-color.org), else dark.
    pub fn from_env(no_color: Option<&str>) -> Theme {
        match no_color {
            Some(v) if !v.is_empty() => Theme::preset(Preset::Plain),
            _ => Theme::default(),
        }
    }

    pub fn color(&self, role: Role) -> Color {
        self.colors[role as usize]
    }

    pub fn set(&mut self, role: Role, color: Color) {
        self.colors[role as usize] = color;
    }

    /// A style with the role's colour as foreground.
    pub fn fg(&self, role: Role) -> Style {
        Style::new().fg(self.color(role))
    }

    /// A style with the role's colour as background.
    pub fn bg(&self, role: Role) -> Style {
        Style::new().bg(self.color(role))
    }
}

/// A colour as the config file writes it: a name (`red`, `light-blue`, `dark-gray`, ...),
/// `#rrggbb`, an index 0-255 of the terminal's palette, or `default` (the terminal's own).
pub fn parse_color(text: &str) -> Result<Color, String> {
    let t = text.trim();
    if matches!(
        t.to_ascii_lowercase().as_str(),
        "default" | "none" | "reset"
    ) {
        return Ok(Color::Reset);
    }
    t.parse::<Color>().map_err(|_| {
        format!("`{t}` is not a colour (a name like red or light-blue, #rrggbb, 0-255, or default)")
    })
}

/// The config-file spelling of a colour (what [`parse_color`] reads back).
pub fn color_setting(color: Color) -> String {
    use Color::*;
    match color {
        Reset => "default".into(),
        Black => "black".into(),
        Red => "red".into(),
        Green => "green".into(),
        Yellow => "yellow".into(),
        Blue => "blue".into(),
        Magenta => "magenta".into(),
        Cyan => "cyan".into(),
        Gray => "gray".into(),
        DarkGray => "dark-gray".into(),
        LightRed => "light-red".into(),
        LightGreen => "light-green".into(),
        LightYellow => "light-yellow".into(),
        LightBlue => "light-blue".into(),
        LightMagenta => "light-magenta".into(),
        LightCyan => "light-cyan".into(),
        White => "white".into(),
        Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Indexed(i) => i.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_set_to_anything_means_plain_and_empty_means_nothing() {
        assert_eq!(Theme::from_env(Some("1")).preset, Preset::Plain);
        assert_eq!(Theme::from_env(Some("")).preset, Preset::Dark);
        assert_eq!(Theme::from_env(None).preset, Preset::Dark);
        let plain = Theme::preset(Preset::Plain);
        assert!(Role::ALL.iter().all(|r| plain.color(*r) == Color::Reset));
    }

    #[test]
    fn colours_read_back_as_written() {
        for c in [
            Color::Reset,
            Color::DarkGray,
            Color::LightBlue,
            Color::White,
            Color::Rgb(1, 0xab, 0xff),
            Color::Indexed(208),
        ] {
            assert_eq!(parse_color(&color_setting(c)), Ok(c), "{c:?}");
        }
        assert_eq!(parse_color("Light Blue"), Ok(Color::LightBlue));
        assert!(parse_color("blurple").unwrap_err().contains("not a colour"));
        assert!(parse_color("#12345").is_err());
    }

    #[test]
    fn roles_and_presets_have_names_that_read_back() {
        for r in Role::ALL {
            assert_eq!(Role::from_name(r.name()), Some(r));
        }
        for p in Preset::ALL {
            assert_eq!(Preset::from_name(p.name()), Some(p));
        }
    }
}
