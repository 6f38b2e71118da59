//! `ProviderIds` of library items: where a real server takes them from metadata providers
//! (IMDb, TMDb, TheTVDB), the simulator makes them up. Made-up ids are unique per server, so
//! two servers never seem to share a film by accident; a title the scenario gives its ids
//! carries exactly those, which is how the demo worlds share films and series between servers.
//! People's ids come from their names, so a person is the same on every server. Seasons,
//! episodes, albums and tracks carry none (episodes are matched through their series).

use super::names;
use super::{ItemRef, Library};
use crate::sim::ids;

fn digits(lib: &Library, item: ItemRef, provider: &str, modulo: u64) -> u64 {
    ids::hash64(13, &[&lib.server_id, provider, &format!("{item:?}")]) % modulo
}

/// The provider ids of `item`, as (provider, id), in a stable order.
pub fn provider_ids(lib: &Library, item: ItemRef) -> Vec<(&'static str, String)> {
    if let Some(given) = lib.title(item).map(|t| t.provider_ids())
        && !given.is_empty()
    {
        return given
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_string()))
            .collect();
    }
    match item {
        ItemRef::Movie(_) => vec![
            (
                "Imdb",
                format!("tt{:08}", digits(lib, item, "imdb", 100_000_000)),
            ),
            (
                "Tmdb",
                (1 + digits(lib, item, "tmdb", 999_999_999)).to_string(),
            ),
        ],
        ItemRef::Series(_) => vec![
            (
                "Imdb",
                format!("tt{:08}", digits(lib, item, "imdb", 100_000_000)),
            ),
            (
                "Tmdb",
                (1 + digits(lib, item, "tmdb", 999_999_999)).to_string(),
            ),
            (
                "Tvdb",
                (1 + digits(lib, item, "tvdb", 99_999_999)).to_string(),
            ),
        ],
        ItemRef::Person(_) => {
            let name = names::name(lib, item);
            let of = |p: &str, m: u64| ids::hash64(14, &["person", p, &name]) % m;
            vec![
                ("Imdb", format!("nm{:07}", of("imdb", 10_000_000))),
                ("Tmdb", (1 + of("tmdb", 9_999_999)).to_string()),
            ]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::{LibraryConfig, TitleConfig};

    #[test]
    fn made_up_ids_differ_between_servers_and_given_ones_are_exactly_those_given() {
        let a = Library::new("aa", LibraryConfig::default());
        let given = TitleConfig {
            movie: Some(1),
            name: Some("Shared".into()),
            imdb: Some("tt7000001".into()),
            ..Default::default()
        };
        let b = Library::with_titles("bb", LibraryConfig::default(), &[given]);
        let movie = ItemRef::Movie(1);
        assert_ne!(provider_ids(&a, movie), provider_ids(&b, movie));
        assert_eq!(provider_ids(&b, movie), vec![("Imdb", "tt7000001".into())]);
        assert_eq!(names::name(&b, movie), "Shared");
        assert_eq!(provider_ids(&a, ItemRef::Series(0)).len(), 3);
        assert!(provider_ids(&a, ItemRef::Episode(0, 0, 0)).is_empty());
        // a person is the same person everywhere
        assert_eq!(
            provider_ids(&a, ItemRef::Person(3)),
            provider_ids(&b, ItemRef::Person(3))
        );
    }
}
