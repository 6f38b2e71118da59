//! `BaseItemDto` JSON of library items (the fields of protocol.md §7).
//!
//! List replies carry a base set of fields; `Fields=` adds more, as on a real server.
//! A single-item request returns every field.

use serde_json::{Map, Value, json};

use super::names;
use super::userdata::UserDataStore;
use super::{ItemRef, Kind, Library, ViewKind};
use crate::sim::ids;

/// Which optional fields to include.
pub enum Fields {
    /// Every field (single-item requests).
    All,
    /// Only the named extra fields (lower-case names from `Fields=`).
    Some(Vec<String>),
}

impl Fields {
    /// Parses a `Fields=` comma list.
    pub fn from_list(list: &[String]) -> Fields {
        Fields::Some(list.iter().map(|s| s.to_ascii_lowercase()).collect())
    }

    fn has(&self, name: &str) -> bool {
        match self {
            Fields::All => true,
            Fields::Some(list) => list.iter().any(|f| f == name),
        }
    }
}

/// The image tag of `item`'s image of type `kind`.
pub fn image_tag(lib: &Library, item: ItemRef, kind: &str) -> String {
    ids::tag(&[&lib.server_id, &lib.id(item), kind])
}

/// `MediaType` of playable items.
pub fn media_type(item: ItemRef) -> Option<&'static str> {
    match item {
        ItemRef::Movie(_) | ItemRef::Episode(..) => Some("Video"),
        ItemRef::Track(..) => Some("Audio"),
        _ => None,
    }
}

/// Container of the media file served for `item`.
pub fn container(item: ItemRef) -> Option<&'static str> {
    match item {
        ItemRef::Movie(_) | ItemRef::Episode(..) => Some("y4m"),
        ItemRef::Track(..) => Some("wav"),
        _ => None,
    }
}

/// The `BaseItemDto` of `item` as seen by `user`.
pub fn item_json(
    lib: &Library,
    data: &UserDataStore,
    user: &str,
    item: ItemRef,
    fields: &Fields,
) -> Value {
    let mut m = Map::new();
    let id = lib.id(item);
    let kind = item.kind();
    m.insert("Name".into(), json!(names::name(lib, item)));
    m.insert("ServerId".into(), json!(lib.server_id));
    m.insert("Id".into(), json!(id));
    m.insert("Type".into(), json!(kind.type_name()));
    m.insert("IsFolder".into(), json!(kind.is_folder()));
    if let Some(parent) = lib.parent(item) {
        m.insert("ParentId".into(), json!(lib.id(parent)));
    }
    if let ItemRef::View(v) = item {
        let ct = match v {
            ViewKind::Movies => "movies",
            ViewKind::Shows => "tvshows",
            ViewKind::Music => "music",
        };
        m.insert("CollectionType".into(), json!(ct));
    }
    if let Some(mt) = media_type(item) {
        m.insert("MediaType".into(), json!(mt));
    }
    if let Some(rt) = names::runtime_ticks(lib, item) {
        m.insert("RunTimeTicks".into(), json!(rt));
    }
    if let Some(y) = names::year(lib, item) {
        m.insert("ProductionYear".into(), json!(y));
    }
    if let Some(p) = names::premiere_date(lib, item) {
        m.insert("PremiereDate".into(), json!(names::iso_date(p)));
    }
    if let Some(r) = names::community_rating(lib, item) {
        m.insert("CommunityRating".into(), json!(r));
    }
    if let Some(r) = names::official_rating(lib, item) {
        m.insert("OfficialRating".into(), json!(r));
    }
    match item {
        ItemRef::Season(s, k) => {
            m.insert("IndexNumber".into(), json!(k + 1));
            m.insert(
                "SeriesName".into(),
                json!(names::name(lib, ItemRef::Series(s))),
            );
            m.insert("SeriesId".into(), json!(lib.id(ItemRef::Series(s))));
        }
        ItemRef::Episode(s, k, e) => {
            m.insert("IndexNumber".into(), json!(e + 1));
            m.insert("ParentIndexNumber".into(), json!(k + 1));
            m.insert(
                "SeriesName".into(),
                json!(names::name(lib, ItemRef::Series(s))),
            );
            m.insert("SeriesId".into(), json!(lib.id(ItemRef::Series(s))));
            m.insert("SeasonId".into(), json!(lib.id(ItemRef::Season(s, k))));
            m.insert(
                "SeasonName".into(),
                json!(names::name(lib, ItemRef::Season(s, k))),
            );
        }
        ItemRef::Series(_) => {
            m.insert(
                "Status".into(),
                json!(if names::year(lib, item).unwrap_or(0) % 2 == 0 {
                    "Ended"
                } else {
                    "Continuing"
                }),
            );
        }
        ItemRef::Album(a) => {
            m.insert("AlbumArtist".into(), json!(names::artist(lib, a)));
            m.insert("Artists".into(), json!([names::artist(lib, a)]));
        }
        ItemRef::Track(a, t) => {
            m.insert("IndexNumber".into(), json!(t + 1));
            m.insert("Album".into(), json!(names::name(lib, ItemRef::Album(a))));
            m.insert("AlbumId".into(), json!(lib.id(ItemRef::Album(a))));
            m.insert("AlbumArtist".into(), json!(names::artist(lib, a)));
            m.insert("Artists".into(), json!([names::artist(lib, a)]));
            m.insert(
                "AlbumPrimaryImageTag".into(),
                json!(image_tag(lib, ItemRef::Album(a), "Primary")),
            );
        }
        _ => {}
    }
    if kind.is_folder() {
        m.insert("ChildCount".into(), json!(lib.child_count(item)));
    }
    let mut tags = Map::new();
    if !matches!(item, ItemRef::Track(..)) {
        tags.insert("Primary".into(), json!(image_tag(lib, item, "Primary")));
    }
    m.insert("ImageTags".into(), Value::Object(tags));
    let backdrops: Vec<String> = if matches!(item, ItemRef::Movie(_) | ItemRef::Series(_)) {
        vec![image_tag(lib, item, "Backdrop")]
    } else {
        Vec::new()
    };
    m.insert("BackdropImageTags".into(), json!(backdrops));
    if !matches!(item, ItemRef::Root | ItemRef::View(_)) {
        m.insert("UserData".into(), data.to_json(lib, user, item));
    }
    if fields.has("primaryimageaspectratio") {
        let ratio = match kind {
            Kind::Album | Kind::Track => 1.0,
            Kind::View | Kind::Episode => 16.0 / 9.0,
            _ => 2.0 / 3.0,
        };
        m.insert("PrimaryImageAspectRatio".into(), json!(ratio));
    }
    if fields.has("overview") {
        m.insert("Overview".into(), json!(names::overview(lib, item)));
    }
    if fields.has("genres") {
        m.insert("Genres".into(), json!(names::genres(lib, item)));
    }
    if fields.has("people") {
        let people: Vec<Value> = names::people(lib, item)
            .into_iter()
            .map(|(name, role, kind)| {
                let mut p = json!({
                    "Name": name,
                    "Id": ids::tag(&[name, "person"]),
                    "Type": kind,
                });
                if !role.is_empty() {
                    p["Role"] = json!(role);
                }
                p
            })
            .collect();
        m.insert("People".into(), json!(people));
    }
    if fields.has("datecreated") {
        m.insert(
            "DateCreated".into(),
            json!(names::iso_date(names::date_created(lib, item))),
        );
    }
    if fields.has("providerids") {
        let ids: Map<String, Value> = super::providers::provider_ids(lib, item)
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        m.insert("ProviderIds".into(), Value::Object(ids));
    }
    if fields.has("sortname") {
        m.insert("SortName".into(), json!(names::sort_name(lib, item)));
    }
    if fields.has("etag") {
        m.insert("Etag".into(), json!(ids::tag(&[&id, "etag"])));
    }
    if fields.has("recursiveitemcount") && kind.is_folder() {
        let n = lib.descendants(item, &|k| !k.is_folder()).len();
        m.insert("RecursiveItemCount".into(), json!(n));
    }
    if let Some(c) = container(item) {
        if fields.has("path") {
            m.insert(
                "Path".into(),
                json!(format!(
                    "/media/{}/{}.{c}",
                    kind.type_name().to_lowercase(),
                    id
                )),
            );
        }
        if fields.has("container") || matches!(fields, Fields::All) {
            m.insert("Container".into(), json!(c));
        }
        if fields.has("mediasources") {
            m.insert("MediaSources".into(), json!([media_source(lib, item)]));
        }
        if fields.has("mediastreams") {
            m.insert("MediaStreams".into(), media_streams(item));
        }
    }
    Value::Object(m)
}

/// The `MediaSourceInfo` of a playable item: one direct-playable file.
pub fn media_source(lib: &Library, item: ItemRef) -> Value {
    let id = lib.id(item);
    let c = container(item).unwrap_or("y4m");
    let runtime = names::runtime_ticks(lib, item).unwrap_or(0);
    let (prefix, size) = if matches!(item, ItemRef::Track(..)) {
        ("Audio", crate::sim::media::wav_len(runtime))
    } else {
        ("Videos", crate::sim::media::video_len(runtime))
    };
    json!({
        "Protocol": "File",
        "Id": id,
        "Path": format!("/media/{id}.{c}"),
        "Type": "Default",
        "Container": c,
        "Size": size,
        "Name": names::name(lib, item),
        "IsRemote": false,
        "RunTimeTicks": names::runtime_ticks(lib, item).unwrap_or(0),
        "SupportsTranscoding": false,
        "SupportsDirectStream": true,
        "SupportsDirectPlay": true,
        "IsInfiniteStream": false,
        "RequiresOpening": false,
        "RequiresClosing": false,
        "SupportsProbing": true,
        "MediaStreams": media_streams(item),
        "Formats": [],
        "Bitrate": 64_000,
        "RequiredHttpHeaders": {},
        "DirectStreamUrl": format!("/{prefix}/{id}/stream.{c}?Static=true&MediaSourceId={id}"),
        "AddApiKeyToDirectStreamUrl": true,
        "ItemId": id,
        "ServerId": lib.server_id,
    })
}

fn media_streams(item: ItemRef) -> Value {
    let audio = json!({
        "Codec": "pcm_s16le", "Language": "eng", "DisplayTitle": "English PCM stereo",
        "Channels": 1, "SampleRate": 8000, "IsDefault": true, "IsForced": false,
        "Type": "Audio", "Index": 0,
        "IsExternal": false, "IsTextSubtitleStream": false, "SupportsExternalStream": false,
    });
    if matches!(item, ItemRef::Track(..)) {
        return json!([audio]);
    }
    json!([
        {
            "Codec": "rawvideo", "DisplayTitle": "64x36 raw video (test pattern)", "Width": 64, "Height": 36,
            "AverageFrameRate": 10.0, "RealFrameRate": 10.0, "IsDefault": true, "IsForced": false,
            "Type": "Video", "Index": 0, "IsExternal": false, "IsTextSubtitleStream": false,
            "SupportsExternalStream": false, "AspectRatio": "16:9",
        },
        {
            "Codec": "srt", "Language": "eng", "DisplayTitle": "English (SRT)",
            "IsDefault": false, "IsForced": false, "Type": "Subtitle", "Index": 1,
            "IsExternal": true, "IsTextSubtitleStream": true, "SupportsExternalStream": true,
        }
    ])
}
