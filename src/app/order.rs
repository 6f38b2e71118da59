//! How a list is sorted and filtered. The server does the work (`SortBy`, `SortOrder`,
//! `Filters`, `Genres`, `Years`), so paging stays lazy; the choice is kept per library.

/// What a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    DateAdded,
    ReleaseDate,
    Rating,
    Runtime,
    LastPlayed,
}

impl SortKey {
    /// In the order `o` steps through them.
    pub const ALL: [SortKey; 6] = [
        SortKey::Name,
        SortKey::DateAdded,
        SortKey::ReleaseDate,
        SortKey::Rating,
        SortKey::Runtime,
        SortKey::LastPlayed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::DateAdded => "date added",
            SortKey::ReleaseDate => "release date",
            SortKey::Rating => "rating",
            SortKey::Runtime => "runtime",
            SortKey::LastPlayed => "last played",
        }
    }

    /// The `SortBy` value (a tie is broken by name).
    pub fn api(self) -> &'static [&'static str] {
        match self {
            SortKey::Name => &["SortName"],
            SortKey::DateAdded => &["DateCreated", "SortName"],
            SortKey::ReleaseDate => &["PremiereDate", "ProductionYear", "SortName"],
            SortKey::Rating => &["CommunityRating", "SortName"],
            SortKey::Runtime => &["Runtime", "SortName"],
            SortKey::LastPlayed => &["DatePlayed", "SortName"],
        }
    }

    /// Newest, best rated, longest and last played come first when chosen; names A to Z.
    fn descending_first(self) -> bool {
        self != SortKey::Name
    }
}

/// Which items a list shows, by the user's state of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shown {
    #[default]
    All,
    Unplayed,
    InProgress,
    Favourites,
}

impl Shown {
    /// In the order `F` steps through them.
    pub const ALL: [Shown; 4] = [
        Shown::All,
        Shown::Unplayed,
        Shown::InProgress,
        Shown::Favourites,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Shown::All => "all",
            Shown::Unplayed => "unplayed",
            Shown::InProgress => "in progress",
            Shown::Favourites => "favourites",
        }
    }

    /// The `Filters` value.
    pub fn api(self) -> Option<&'static str> {
        match self {
            Shown::All => None,
            Shown::Unplayed => Some("IsUnplayed"),
            Shown::InProgress => Some("IsResumable"),
            Shown::Favourites => Some("IsFavorite"),
        }
    }
}

/// The sort and the filters of one list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListOrder {
    pub sort: SortKey,
    pub descending: bool,
    pub shown: Shown,
    pub genre: Option<String>,
    /// First and last production year.
    pub years: Option<(i32, i32)>,
}

fn next<T: Copy + PartialEq>(all: &[T], now: T) -> T {
    let i = all.iter().position(|x| *x == now).unwrap_or(0);
    all[(i + 1) % all.len()]
}

impl ListOrder {
    /// The next sort key, in its natural direction.
    pub fn next_sort(&mut self) {
        self.sort = next(&SortKey::ALL, self.sort);
        self.descending = self.sort.descending_first();
    }

    pub fn reverse(&mut self) {
        self.descending = !self.descending;
    }

    pub fn next_shown(&mut self) {
        self.shown = next(&Shown::ALL, self.shown);
    }

    /// The genre after the current one in `genres` (after the last: none).
    pub fn next_genre(&mut self, genres: &[String]) {
        self.genre = match &self.genre {
            None => genres.first().cloned(),
            Some(g) => genres
                .iter()
                .position(|x| x == g)
                .and_then(|i| genres.get(i + 1))
                .cloned(),
        };
    }

    /// Reads a year range as typed: `1999`, `1990-1999` (either way round), or nothing (no
    /// range). Anything else is a sentence saying so.
    pub fn set_years(&mut self, typed: &str) -> Result<(), String> {
        let t = typed.trim();
        if t.is_empty() {
            self.years = None;
            return Ok(());
        }
        let year = |s: &str| {
            s.trim()
                .parse::<i32>()
                .ok()
                .filter(|y| (1800..=2200).contains(y))
        };
        let range = match t.split_once(['-', '–']) {
            Some((a, b)) => year(a).zip(year(b)),
            None => year(t).map(|y| (y, y)),
        };
        match range {
            Some((a, b)) => {
                self.years = Some((a.min(b), a.max(b)));
                Ok(())
            }
            None => Err(format!(
                "“{t}” is not a year or a range of years (e.g. 1999 or 1990-1999)"
            )),
        }
    }

    /// How the list heading describes it ("date added ↓ · unplayed · Drama · 1990–1999"), None
    /// for the plain default.
    pub fn describe(&self) -> Option<String> {
        if *self == ListOrder::default() {
            return None;
        }
        let mut parts = vec![format!(
            "by {} {}",
            self.sort.label(),
            if self.descending { '↓' } else { '↑' }
        )];
        if self.shown != Shown::All {
            parts.push(self.shown.label().to_string());
        }
        if let Some(g) = &self.genre {
            parts.push(g.clone());
        }
        match self.years {
            Some((a, b)) if a == b => parts.push(a.to_string()),
            Some((a, b)) => parts.push(format!("{a}–{b}")),
            None => {}
        }
        Some(parts.join(" · "))
    }

    /// The years the `Years` parameter lists (a range at most two centuries long).
    pub fn year_list(&self) -> Vec<i32> {
        match self.years {
            Some((a, b)) => (a..=b.min(a + 200)).collect(),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_steps_through_the_keys_newest_first_and_can_be_reversed() {
        let mut o = ListOrder::default();
        assert_eq!(o.describe(), None);
        o.next_sort();
        assert_eq!((o.sort, o.descending), (SortKey::DateAdded, true));
        assert_eq!(o.describe().as_deref(), Some("by date added ↓"));
        o.reverse();
        assert!(!o.descending);
        for _ in 0..5 {
            o.next_sort();
        }
        assert_eq!((o.sort, o.descending), (SortKey::Name, false));
    }

    #[test]
    fn filters_combine_and_say_so() {
        let mut o = ListOrder::default();
        o.next_shown();
        o.next_genre(&["Drama".into(), "Comedy".into()]);
        o.set_years("1999-1990").unwrap();
        assert_eq!(
            o.describe().as_deref(),
            Some("by name ↑ · unplayed · Drama · 1990–1999")
        );
        assert_eq!(o.year_list().len(), 10);
        o.next_genre(&["Drama".into(), "Comedy".into()]);
        assert_eq!(o.genre.as_deref(), Some("Comedy"));
        o.next_genre(&["Drama".into(), "Comedy".into()]);
        assert_eq!(o.genre, None);
        assert!(o.set_years("soon").is_err());
        assert!(o.set_years("").is_ok());
        assert_eq!(o.years, None);
    }
}
