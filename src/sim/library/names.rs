//! Names, dates and numbers of library items, computed from their indices.
//!
//! Names are built so that, within one kind under one parent, index order is name order:
//! the title word is chosen by position in an alphabetical list and a number follows. A title
//! the scenario gives (its name and year) takes the place of the made-up one.

use super::{ItemRef, Library, ViewKind};
use crate::sim::ids;

const TITLES: &[&str] = &[
    "Amber Harbor",
    "Ashen Crown",
    "Blue Meridian",
    "Broken Compass",
    "Cinder Road",
    "Clockwork Sky",
    "Copper Moon",
    "Crimson Tide",
    "Dawn Patrol",
    "Deep Current",
    "Distant Shore",
    "Echo Valley",
    "Ember Falls",
    "Frozen Signal",
    "Glass Garden",
    "Golden Hour",
    "Granite Peak",
    "Hidden Orchard",
    "Hollow Pines",
    "Iron Lantern",
    "Ivory Tower",
    "Jade River",
    "Last Harvest",
    "Lunar Drift",
    "Marble Hall",
    "Midnight Ferry",
    "Misty Quarry",
    "Neon Alley",
    "Night Owl",
    "Northern Lights",
    "Oak Hollow",
    "Pale Horizon",
    "Paper Kites",
    "Quiet Storm",
    "Rapid Falls",
    "Red Canyon",
    "Rusty Anchor",
    "Salt Marsh",
    "Silent Engine",
    "Silver Birch",
    "Stone Bridge",
    "Summer Rain",
    "Tin Soldier",
    "Twin Rivers",
    "Umber Fields",
    "Velvet Night",
    "Violet Hour",
    "Wild Coast",
    "Winter Garden",
    "Yellow Brick",
];

const SHOWS: &[&str] = &[
    "Aftershock",
    "Beacon Street",
    "Cold Case Unit",
    "Dockside",
    "Empire of Sand",
    "Far Station",
    "Greenhouse",
    "Harbour Lights",
    "Inland",
    "Junction",
    "Kingsway",
    "Lighthouse Keepers",
    "Metro Line",
    "Night Shift",
    "Outpost",
    "Parallel",
    "Quarantine",
    "Riverside",
    "Skyline",
    "Tideline",
    "Undercurrent",
    "Vanguard",
    "Waypoint",
    "Zenith",
];

const ALBUMS: &[&str] = &[
    "Analog Hearts",
    "Blue Hour Sessions",
    "City Sleepers",
    "Daybreak",
    "Electric Fields",
    "Forest Tapes",
    "Gravity",
    "Half Light",
    "Island Radio",
    "Jetlag",
    "Kaleidoscope",
    "Low Tide",
    "Monochrome",
    "Night Drive",
    "Open Water",
    "Paper Planes",
    "Quiet Rooms",
    "Slow Motion",
    "Tape Echo",
    "Velvet Static",
];

const ARTISTS: &[&str] = &[
    "The Lanterns",
    "Mira Vale",
    "Northbound",
    "Echo Park Trio",
    "Sol & Sea",
    "Grey Atlas",
];
/// The cast and crew every library with films or series knows, alphabetical (index order is
/// name order, as for every kind). Their provider ids come from the name, so the same person is
/// the same on every server.
pub const PEOPLE: &[&str] = &[
    "Ada Quill",
    "Bruno Vance",
    "Carmen Oduya",
    "Dmitri Hale",
    "Elena Marsh",
    "Farid Noor",
    "Greta Lind",
    "Hugo Brandt",
    "Ines Carvalho",
    "Jonah Reyes",
    "Kiri Tane",
    "Lena Voss",
    "Marco Bellini",
    "Nadia Petrova",
    "Oscar Wilde-Hart",
    "Priya Raman",
    "Quentin Moss",
    "Rosa Ibarra",
    "Sven Aalto",
    "Tamsin Gray",
    "Ugo Ferri",
    "Vera Kline",
    "Wes Adeyemi",
    "Yuki Sato",
];

const EPISODE_WORDS: &[&str] = &[
    "Arrival",
    "The Signal",
    "Crossing",
    "Fault Lines",
    "Homecoming",
    "The Long Night",
    "Reckoning",
    "Open Doors",
    "Static",
    "Undertow",
    "Vantage",
    "Wildfire",
];
const GENRES: &[&str] = &[
    "Drama",
    "Comedy",
    "Thriller",
    "Science Fiction",
    "Documentary",
    "Adventure",
    "Romance",
];
const RATINGS: &[&str] = &["G", "PG", "PG-13", "R", "TV-14", "TV-MA"];

/// Seconds since the Unix epoch of 2021-01-01T00:00:00Z, the start of the library's history.
const HISTORY_START: i64 = 1_609_459_200;

fn h(lib: &Library, item: ItemRef, what: &str) -> u64 {
    ids::hash64(3, &[&lib.server_id, what, &format!("{item:?}")])
}

/// `"{title} {n}"` where titles are spread evenly over `count` and n counts within one title.
fn spread_name(words: &[&str], i: u32, count: u32) -> String {
    let w = words.len() as u64;
    let (i, n) = (u64::from(i), u64::from(count.max(1)));
    let block = (i * w / n).min(w - 1);
    let word = words[block as usize];
    if n <= w {
        return word.to_string();
    }
    // first index whose block is `block`: ceil(block * n / w)
    let first = (block * n).div_ceil(w);
    format!("{word} {}", i - first + 1)
}

/// The item's `Name`.
pub fn name(lib: &Library, item: ItemRef) -> String {
    if let Some(given) = lib.title(item).and_then(|t| t.name.clone()) {
        return given;
    }
    let c = lib.cfg;
    match item {
        ItemRef::Root => "Media Folders".into(),
        ItemRef::View(ViewKind::Movies) => "Movies".into(),
        ItemRef::View(ViewKind::Shows) => "TV Shows".into(),
        ItemRef::View(ViewKind::Music) => "Music".into(),
        ItemRef::Movie(i) => spread_name(TITLES, i, c.movies),
        ItemRef::Series(s) => spread_name(SHOWS, s, c.series),
        ItemRef::Season(_, k) => format!("Season {}", k + 1),
        ItemRef::Episode(s, k, e) => {
            let word = EPISODE_WORDS
                [(s as usize + usize::from(k) * 3 + usize::from(e)) % EPISODE_WORDS.len()];
            format!("{word} ({}x{:02})", k + 1, e + 1)
        }
        ItemRef::Album(a) => spread_name(ALBUMS, a, c.albums),
        ItemRef::Track(a, t) => {
            let word = EPISODE_WORDS[(a as usize * 5 + usize::from(t)) % EPISODE_WORDS.len()];
            format!("{word} No. {}", t + 1)
        }
        ItemRef::Person(p) => PEOPLE.get(p as usize).copied().unwrap_or("Nobody").into(),
    }
}

/// A sort name: lower case, digit runs zero-padded so "Movie 9" sorts before "Movie 10".
/// Episodes and tracks sort by their numbers, as Emby sorts them.
pub fn sort_name(lib: &Library, item: ItemRef) -> String {
    match item {
        ItemRef::Episode(s, k, e) => format!(
            "{} {:04} {:04}",
            sort_name(lib, ItemRef::Series(s)),
            k + 1,
            e + 1
        ),
        ItemRef::Track(a, t) => format!("{} {:04}", sort_name(lib, ItemRef::Album(a)), t + 1),
        ItemRef::Season(s, k) => {
            format!("{} season {:04}", sort_name(lib, ItemRef::Series(s)), k + 1)
        }
        _ => pad_digits(&name(lib, item).to_lowercase()),
    }
}

fn pad_digits(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut digits = String::new();
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            if !digits.is_empty() {
                out.push_str(&format!("{digits:0>10}"));
                digits.clear();
            }
            out.push(ch);
        }
    }
    if !digits.is_empty() {
        out.push_str(&format!("{digits:0>10}"));
    }
    out
}

/// `Overview` text.
pub fn overview(lib: &Library, item: ItemRef) -> String {
    let n = name(lib, item);
    match item {
        ItemRef::Movie(_) => format!(
            "{n} follows a crew through one long night; a synthetic film made up by emby-sim."
        ),
        ItemRef::Series(_) => format!("{n} is a synthetic drama series made up by emby-sim."),
        ItemRef::Episode(s, ..) => {
            format!(
                "In \"{n}\", the people of {} face a new problem.",
                name(lib, ItemRef::Series(s))
            )
        }
        ItemRef::Album(a) => format!("{n}, an album by {}.", artist(lib, a)),
        _ => String::new(),
    }
}

/// Made-up characters for the roles.
const ROLES: [&str; 8] = [
    "The Captain",
    "Detective Hale",
    "Dr. Rowe",
    "The Stranger",
    "Mara",
    "Teo",
    "June",
    "The Pilot",
];

/// The cast and crew of a film, series or episode: four actors with roles, a director and a
/// writer, as (name, role, type).
pub fn people(lib: &Library, item: ItemRef) -> Vec<(&'static str, &'static str, &'static str)> {
    if !matches!(
        item,
        ItemRef::Movie(_) | ItemRef::Series(_) | ItemRef::Episode(..)
    ) {
        return Vec::new();
    }
    let seed = h(lib, item, "people") as usize;
    let mut out: Vec<(&'static str, &'static str, &'static str)> = (0..4)
        .map(|i| {
            (
                PEOPLE[(seed + i * 5) % PEOPLE.len()],
                ROLES[(seed + i) % ROLES.len()],
                "Actor",
            )
        })
        .collect();
    out.push((PEOPLE[(seed + 3) % PEOPLE.len()], "", "Director"));
    out.push((PEOPLE[(seed + 7) % PEOPLE.len()], "", "Writer"));
    out
}

/// The album artist of album `a`.
pub fn artist(_lib: &Library, a: u32) -> &'static str {
    ARTISTS[a as usize % ARTISTS.len()]
}

/// `ProductionYear`.
pub fn year(lib: &Library, item: ItemRef) -> Option<i32> {
    let top = match item {
        ItemRef::Movie(_) | ItemRef::Series(_) | ItemRef::Album(_) => item,
        ItemRef::Season(s, _) | ItemRef::Episode(s, ..) => ItemRef::Series(s),
        ItemRef::Track(a, _) => ItemRef::Album(a),
        _ => return None,
    };
    let base = match lib.title(top).and_then(|t| t.year) {
        Some(y) => y,
        None => 1960 + (h(lib, top, "year") % 64) as i32,
    };
    Some(match item {
        ItemRef::Season(_, k) | ItemRef::Episode(_, k, _) => base + i32::from(k),
        _ => base,
    })
}

/// `RunTimeTicks` of playable items (1 tick = 100 ns).
pub fn runtime_ticks(lib: &Library, item: ItemRef) -> Option<i64> {
    let minutes = match item {
        ItemRef::Movie(_) => 80 + h(lib, item, "rt") % 70,
        ItemRef::Episode(..) => 22 + h(lib, item, "rt") % 30,
        ItemRef::Track(..) => 2 + h(lib, item, "rt") % 5,
        _ => return None,
    };
    Some(i64::try_from(minutes).unwrap_or(60) * 60 * 10_000_000)
}

/// `CommunityRating` (one decimal).
pub fn community_rating(lib: &Library, item: ItemRef) -> Option<f64> {
    matches!(
        item,
        ItemRef::Movie(_) | ItemRef::Series(_) | ItemRef::Episode(..)
    )
    .then(|| 5.0 + (h(lib, item, "cr") % 49) as f64 / 10.0)
}

/// `OfficialRating`.
pub fn official_rating(lib: &Library, item: ItemRef) -> Option<&'static str> {
    match item {
        ItemRef::Movie(_) => Some(RATINGS[(h(lib, item, "or") % 4) as usize]),
        ItemRef::Series(_) | ItemRef::Episode(..) => {
            Some(RATINGS[4 + (h(lib, item, "or") % 2) as usize])
        }
        _ => None,
    }
}

/// `Genres`.
pub fn genres(lib: &Library, item: ItemRef) -> Vec<&'static str> {
    let top = match item {
        ItemRef::Movie(_) | ItemRef::Series(_) => item,
        ItemRef::Season(s, _) | ItemRef::Episode(s, ..) => ItemRef::Series(s),
        ItemRef::Album(_) | ItemRef::Track(..) => return vec!["Pop"],
        _ => return Vec::new(),
    };
    let x = h(lib, top, "genre") as usize;
    let a = GENRES[x % GENRES.len()];
    let b = GENRES[(x / 7 + 1) % GENRES.len()];
    if a == b { vec![a] } else { vec![a, b] }
}

/// `DateCreated` in seconds since the epoch: later indices were added later, so "Latest" is
/// the end of each list.
pub fn date_created(lib: &Library, item: ItemRef) -> i64 {
    let c = lib.cfg;
    match item {
        ItemRef::Movie(i) => HISTORY_START + i64::from(i) * 1200,
        ItemRef::Series(s) => HISTORY_START + i64::from(s) * 3600 + 60,
        ItemRef::Season(s, k) => HISTORY_START + i64::from(s) * 3600 + 120 + i64::from(k),
        ItemRef::Episode(s, k, e) => {
            let global = (i64::from(s) * i64::from(c.seasons) + i64::from(k))
                * i64::from(c.episodes)
                + i64::from(e);
            HISTORY_START + global * 1800 + 600
        }
        ItemRef::Album(a) => HISTORY_START + i64::from(a) * 3600 + 300,
        ItemRef::Track(a, t) => HISTORY_START + i64::from(a) * 3600 + 300 + i64::from(t),
        _ => HISTORY_START,
    }
}

/// `PremiereDate` in seconds since the epoch (15 March of the production year).
pub fn premiere_date(lib: &Library, item: ItemRef) -> Option<i64> {
    let y = year(lib, item)?;
    let day = match item {
        ItemRef::Episode(_, _, e) => 74 + i64::from(e) * 7,
        _ => 74,
    };
    Some(days_from_civil(i64::from(y), 1, 1) * 86_400 + day * 86_400)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// ISO 8601 as Emby writes dates: `2021-01-01T00:00:00.0000000Z`.
pub fn iso_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.0000000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Now, in seconds since the epoch.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::LibraryConfig;

    #[test]
    fn iso_dates_are_right() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00.0000000Z");
        assert_eq!(iso_date(HISTORY_START), "2021-01-01T00:00:00.0000000Z");
        assert_eq!(iso_date(951_782_400 + 3661), "2000-02-29T01:01:01.0000000Z");
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
    }

    #[test]
    fn index_order_is_sort_name_order_within_a_kind() {
        for movies in [5u32, 50, 51, 1000, 100_000] {
            let lib = Library::new(
                "ab",
                LibraryConfig {
                    movies,
                    series: 30,
                    ..LibraryConfig::default()
                },
            );
            let step = (movies / 500).max(1);
            let names: Vec<String> = (0..movies)
                .step_by(step as usize)
                .map(|i| sort_name(&lib, ItemRef::Movie(i)))
                .collect();
            assert!(names.windows(2).all(|w| w[0] < w[1]), "movies={movies}");
        }
        let lib = Library::new(
            "ab",
            LibraryConfig {
                series: 30,
                ..LibraryConfig::default()
            },
        );
        let names: Vec<String> = (0..30)
            .map(|s| sort_name(&lib, ItemRef::Series(s)))
            .collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]));
    }
}
