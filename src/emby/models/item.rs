//! `BaseItemDto` and `UserItemDataDto`: the library as a browser sees it (protocol.md §7).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::de::null_as_default;
use super::playback::MediaSourceInfo;

/// One library item: a view, folder, movie, series, season, episode, album, track, …
///
/// Only the fields a browser shows are modelled; the rest of the (very large) DTO is ignored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BaseItemDto {
    /// Item id.
    pub id: Option<String>,
    /// The server's id.
    pub server_id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// `Movie`, `Series`, `Season`, `Episode`, `Audio`, `MusicAlbum`, `Folder`, `CollectionFolder`, `BoxSet`, …
    #[serde(rename = "Type")]
    pub item_type: Option<String>,
    /// True for containers (views, folders, series, seasons, albums).
    pub is_folder: Option<bool>,
    /// The parent's id.
    pub parent_id: Option<String>,
    /// A view's kind: movies, tvshows, music, … or absent (mixed).
    pub collection_type: Option<String>,
    /// `Video`, `Audio`, `Photo`, `Book`, `Game`.
    pub media_type: Option<String>,
    /// Length in ticks (1 tick = 100 ns).
    pub run_time_ticks: Option<i64>,
    /// Year of production.
    pub production_year: Option<i32>,
    /// Episode or track number.
    pub index_number: Option<i32>,
    /// Season or disc number.
    pub parent_index_number: Option<i32>,
    /// Series name (episodes, seasons).
    pub series_name: Option<String>,
    /// Series id (episodes, seasons).
    pub series_id: Option<String>,
    /// Season id (episodes).
    pub season_id: Option<String>,
    /// Album name (tracks).
    pub album: Option<String>,
    /// Album artist (albums, tracks).
    pub album_artist: Option<String>,
    /// Plot or description.
    pub overview: Option<String>,
    /// Premiere date (ISO 8601 text).
    pub premiere_date: Option<String>,
    /// Date added (ISO 8601 text).
    pub date_created: Option<String>,
    /// Community rating, e.g. 7.4.
    pub community_rating: Option<f64>,
    /// Parental rating, e.g. `PG-13`.
    pub official_rating: Option<String>,
    /// Genres.
    #[serde(deserialize_with = "null_as_default")]
    pub genres: Vec<String>,
    /// Image type (`Primary`, `Thumb`, `Logo`, …) → tag, for cacheable image URLs.
    #[serde(deserialize_with = "null_as_default")]
    pub image_tags: BTreeMap<String, String>,
    /// Backdrop image tags, by index.
    #[serde(deserialize_with = "null_as_default")]
    pub backdrop_image_tags: Vec<String>,
    /// Width / height of the primary image.
    pub primary_image_aspect_ratio: Option<f64>,
    /// Number of children (or, in Latest with grouping, of grouped new items).
    pub child_count: Option<i32>,
    /// Number of recursive children.
    pub recursive_item_count: Option<i32>,
    /// The user's data for this item (played, position, favourite).
    pub user_data: Option<UserItemDataDto>,
    /// Media sources (files / versions) when requested.
    #[serde(deserialize_with = "null_as_default")]
    pub media_sources: Vec<MediaSourceInfo>,
    /// Cast and crew (single-item calls; list calls when `Fields=People`).
    #[serde(deserialize_with = "null_as_default")]
    pub people: Vec<BaseItemPerson>,
    /// Container, e.g. `mkv`.
    pub container: Option<String>,
    /// Path on the server (administrators only).
    pub path: Option<String>,
    /// Ids of the item in metadata providers (`Imdb`, `Tmdb`, `Tvdb`, …) when `Fields=ProviderIds`
    /// asks for them: how the same film or series is recognised on several servers.
    #[serde(deserialize_with = "null_as_default")]
    pub provider_ids: BTreeMap<String, String>,
}

/// Someone in the cast or crew of an item (SDK `BaseItemPerson`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BaseItemPerson {
    pub name: Option<String>,
    pub id: Option<String>,
    /// The character played, for an actor.
    pub role: Option<String>,
    /// `Actor`, `Director`, `Writer`, `Producer`, `GuestStar`, `Composer`, …
    #[serde(rename = "Type")]
    pub person_type: Option<String>,
}

/// A user's data for one item: position, play state, favourite (SDK `UserItemDataDto`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserItemDataDto {
    /// Resume position in ticks.
    pub playback_position_ticks: Option<i64>,
    /// Times played.
    pub play_count: Option<i32>,
    /// Marked as favourite.
    pub is_favorite: Option<bool>,
    /// Marked as played.
    pub played: Option<bool>,
    /// Percentage played (resume bar).
    pub played_percentage: Option<f64>,
    /// Unplayed children (series, seasons).
    pub unplayed_item_count: Option<i32>,
    /// Last played (ISO 8601 text).
    pub last_played_date: Option<String>,
    /// The user's rating.
    pub rating: Option<f64>,
    /// The user-data key.
    pub key: Option<String>,
    /// The item's id.
    pub item_id: Option<String>,
}
