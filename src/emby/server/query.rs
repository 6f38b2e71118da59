//! Parameters of the library calls: [`ItemsQuery`], [`ImageOptions`], [`StreamOptions`].

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortOrder {
    /// A→Z, oldest first.
    Ascending,
    /// Z→A, newest first.
    Descending,
}

/// The parameters of `GET /Users/{UserId}/Items` (and of Resume, Latest and NextUp, which take a
/// subset). `None`/empty leaves a parameter out so the server's default applies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemsQuery {
    /// `ParentId`: the view or folder to list.
    pub parent_id: Option<String>,
    /// `StartIndex`: first item of the page.
    pub start_index: Option<u32>,
    /// `Limit`: page size.
    pub limit: Option<u32>,
    /// `SearchTerm`.
    pub search_term: Option<String>,
    /// `SortBy`, e.g. `SortName`, `DateCreated`, `PremiereDate`.
    pub sort_by: Vec<String>,
    /// `SortOrder`.
    pub sort_order: Option<SortOrder>,
    /// `IncludeItemTypes`, e.g. `Movie`, `Series`.
    pub include_item_types: Vec<String>,
    /// `MediaTypes`, e.g. `Video`.
    pub media_types: Vec<String>,
    /// `Recursive`.
    pub recursive: Option<bool>,
    /// `Filters`, e.g. `IsFavorite`, `IsUnplayed`, `IsResumable`.
    pub filters: Vec<String>,
    /// `Fields`: extra fields for list items, e.g. `Overview`, `PrimaryImageAspectRatio`.
    pub fields: Vec<String>,
    /// `EnableTotalRecordCount`: false skips counting when not paging.
    pub enable_total_record_count: Option<bool>,
    /// `IsPlayed` (Latest).
    pub is_played: Option<bool>,
    /// `GroupItems` (Latest).
    pub group_items: Option<bool>,
    /// `SeriesId` (NextUp).
    pub series_id: Option<String>,
    /// `Genres`: items of any of these genres (sent `|`-separated: a genre may hold a comma).
    pub genres: Vec<String>,
    /// `Years`: items from these production years.
    pub years: Vec<i32>,
    /// `Ids`: exactly these items.
    pub ids: Vec<String>,
}

impl ItemsQuery {
    /// The query pairs, in a stable order; lists are comma-joined, booleans `true`/`false`.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut text = |key, value: &Option<String>| {
            if let Some(v) = value {
                pairs.push((key, v.clone()));
            }
        };
        text("ParentId", &self.parent_id);
        text("SeriesId", &self.series_id);
        text("SearchTerm", &self.search_term);
        let numbers = [("StartIndex", self.start_index), ("Limit", self.limit)];
        pairs.extend(
            numbers
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?.to_string()))),
        );
        let lists = [
            ("SortBy", &self.sort_by),
            ("IncludeItemTypes", &self.include_item_types),
            ("MediaTypes", &self.media_types),
            ("Filters", &self.filters),
            ("Fields", &self.fields),
            ("Ids", &self.ids),
        ];
        pairs.extend(
            lists
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k, v.join(","))),
        );
        if !self.genres.is_empty() {
            pairs.push(("Genres", self.genres.join("|")));
        }
        if !self.years.is_empty() {
            let years: Vec<String> = self.years.iter().map(i32::to_string).collect();
            pairs.push(("Years", years.join(",")));
        }
        if let Some(order) = self.sort_order {
            let order = match order {
                SortOrder::Ascending => "Ascending",
                SortOrder::Descending => "Descending",
            };
            pairs.push(("SortOrder", order.to_owned()));
        }
        let flags = [
            ("Recursive", self.recursive),
            ("EnableTotalRecordCount", self.enable_total_record_count),
            ("IsPlayed", self.is_played),
            ("GroupItems", self.group_items),
        ];
        pairs.extend(
            flags
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?.to_string()))),
        );
        pairs
    }
}

/// Options of an image URL (`/Items/{Id}/Images/{Type}[/{Index}]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageOptions {
    /// Backdrop index.
    pub index: Option<u32>,
    /// `tag`: the item's `ImageTags[Type]`, which makes the URL cacheable for long.
    pub tag: Option<String>,
    /// `maxWidth`.
    pub max_width: Option<u32>,
    /// `maxHeight`.
    pub max_height: Option<u32>,
    /// `quality` (Emby's JS client uses 90, 70 for backdrops).
    pub quality: Option<u8>,
}

/// Video or audio: which stream path to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    /// `/Videos/{Id}/stream.<container>`.
    Video,
    /// `/Audio/{Id}/stream.<container>`.
    Audio,
}

/// Options of a direct-stream URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamOptions {
    /// Video or audio.
    pub kind: MediaKind,
    /// Container extension, e.g. `mkv`; anything but letters and digits is dropped.
    pub container: Option<String>,
    /// `MediaSourceId` (from playback info).
    pub media_source_id: Option<String>,
    /// `PlaySessionId` (from playback info).
    pub play_session_id: Option<String>,
}

/// An Emby Connect guest invitation (`POST /Connect/Invite`): the API takes what is *not*
/// shared, so "share everything" is empty lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectInvite {
    /// The invitee's Connect name or e-mail.
    pub connect_username: String,
    /// Library ids not shared with the guest.
    pub excluded_libraries: Vec<String>,
    /// Channel ids not shared with the guest.
    pub excluded_channels: Vec<String>,
    /// Whether the guest may watch live TV.
    pub enable_live_tv: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_query_sends_nothing() {
        assert!(ItemsQuery::default().to_pairs().is_empty());
    }

    #[test]
    fn every_set_parameter_is_sent_with_emby_names() {
        let q = ItemsQuery {
            parent_id: Some("p1".into()),
            start_index: Some(100),
            limit: Some(50),
            search_term: Some("star wars".into()),
            sort_by: vec!["SortName".into(), "ProductionYear".into()],
            sort_order: Some(SortOrder::Descending),
            include_item_types: vec!["Movie".into()],
            recursive: Some(true),
            filters: vec!["IsFavorite".into()],
            fields: vec!["Overview".into(), "PrimaryImageAspectRatio".into()],
            enable_total_record_count: Some(false),
            ..Default::default()
        };
        let pairs = q.to_pairs();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("ParentId"), Some("p1"));
        assert_eq!(get("StartIndex"), Some("100"));
        assert_eq!(get("Limit"), Some("50"));
        assert_eq!(get("SearchTerm"), Some("star wars"));
        assert_eq!(get("SortBy"), Some("SortName,ProductionYear"));
        assert_eq!(get("SortOrder"), Some("Descending"));
        assert_eq!(get("IncludeItemTypes"), Some("Movie"));
        assert_eq!(get("Recursive"), Some("true"));
        assert_eq!(get("Filters"), Some("IsFavorite"));
        assert_eq!(get("Fields"), Some("Overview,PrimaryImageAspectRatio"));
        assert_eq!(get("EnableTotalRecordCount"), Some("false"));
        assert_eq!(get("MediaTypes"), None);
    }
}
