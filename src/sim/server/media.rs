//! Images, playback info and the stream URLs.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use super::{Call, tri};
use crate::sim::ids;
use crate::sim::library::ItemRef;
use crate::sim::library::dto::media_source;
use crate::sim::media;
use crate::sim::reply::Reply;

fn size(call: &Call, default: (u32, u32)) -> (u32, u32) {
    let q = |n: &str| {
        call.req
            .q_usize(n)
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v > 0)
    };
    if let (Some(w), Some(h)) = (q("width"), q("height")) {
        return (w, h);
    }
    let (mut w, mut h) = default;
    if let Some(m) = q("maxWidth")
        .or(q("width"))
        .or(q("fillWidth"))
        .filter(|m| *m < w)
    {
        h = (h * m / w).max(1);
        w = m;
    }
    if let Some(m) = q("maxHeight")
        .or(q("height"))
        .or(q("fillHeight"))
        .filter(|m| *m < h)
    {
        w = (w * m / h).max(1);
        h = m;
    }
    (w, h)
}

/// `GET /Items/{Id}/Images/{Type}[/{Index}]`: a generated PNG, anonymous like on a real server.
pub fn item_image(call: &Call, id: &str, kind: &str) -> Reply {
    let world = call.shared.world();
    let s = tri!(call.data(&world));
    let item = match s.library.resolve(id) {
        Some(i) => i,
        None => return Reply::not_found("Item"),
    };
    let kind = kind.to_ascii_lowercase();
    let default = match (kind.as_str(), item) {
        ("primary", ItemRef::Track(..)) => return Reply::not_found("Image"),
        ("primary", ItemRef::Album(_)) => (300, 300),
        ("primary", ItemRef::View(_) | ItemRef::Root) => (480, 270),
        // an episode's picture is a 16:9 still, as on a real server
        ("primary", ItemRef::Episode(..)) => (320, 180),
        ("primary", _) => (200, 300),
        ("backdrop", ItemRef::Movie(_) | ItemRef::Series(_)) => (480, 270),
        _ => return Reply::not_found("Image"),
    };
    let (w, h) = size(call, default);
    let seed = format!("{}{kind}", s.library.id(item));
    Reply::bytes(StatusCode::OK, "image/png", media::png_image(&seed, w, h))
}

/// `GET /Users/{Id}/Images/{Type}`.
pub fn user_image(call: &Call, user_id: &str) -> Reply {
    let world = call.shared.world();
    let s = tri!(call.data(&world));
    if s.user(user_id).is_none() {
        return Reply::not_found("User");
    }
    let (w, h) = size(call, (200, 200));
    Reply::bytes(
        StatusCode::OK,
        "image/png",
        media::png_image(&user_id.to_ascii_lowercase(), w, h),
    )
}

/// `POST /Items/{Id}/PlaybackInfo` → `{MediaSources, PlaySessionId}`.
pub fn playback_info(call: &Call, id: &str) -> Reply {
    let world = call.shared.world();
    tri!(call.caller(&world));
    let s = tri!(call.data(&world));
    let Some(item) = s.library.resolve(id) else {
        return Reply::not_found("Item");
    };
    let play_session = ids::random_token();
    if !item.is_playable() {
        return Reply::ok(
            json!({"MediaSources": [], "PlaySessionId": play_session, "ErrorCode": "NoCompatibleStream"}),
        );
    }
    Reply::ok(
        json!({"MediaSources": [media_source(&s.library, item)], "PlaySessionId": play_session}),
    )
}

/// `GET /Videos/{Id}/stream[.ext]` and `/Audio/{Id}/stream[.ext]|universal` (token, e.g. `api_key`,
/// or the `X-Emby-Token` header a player was handed). The file lasts the item's runtime and is
/// generated as it is sent; a single `Range: bytes=a-b` is honoured (players seek with it).
pub fn stream(call: &Call, id: &str, audio: bool) -> Reply {
    let world = call.shared.world();
    tri!(call.caller(&world));
    let s = tri!(call.data(&world));
    let item = match s.library.resolve(id) {
        Some(i) if audio && matches!(i, ItemRef::Track(..)) => i,
        Some(i) if !audio && matches!(i, ItemRef::Movie(_) | ItemRef::Episode(..)) => i,
        _ => return Reply::not_found("Item"),
    };
    let runtime = crate::sim::library::names::runtime_ticks(&s.library, item).unwrap_or(0);
    drop(world);
    let is_track = matches!(item, ItemRef::Track(..));
    let (len, ctype) = if is_track {
        (media::wav_len(runtime), "audio/wav")
    } else {
        (media::video_len(runtime), "video/x-yuv4mpeg")
    };
    let range = call
        .req
        .header("range")
        .and_then(|r| parse_range(r, len as usize));
    let (status, (from, to), content_range) = match range {
        Some((a, b)) => (
            StatusCode::PARTIAL_CONTENT,
            (a as u64, b as u64),
            Some(format!("bytes {a}-{b}/{len}")),
        ),
        None => (StatusCode::OK, (0, len.saturating_sub(1)), None),
    };
    // a block at a time, generated as the player reads
    const BLOCK: u64 = 256 * 1024;
    let chunks = futures::stream::unfold(from, move |at| async move {
        if at > to || len == 0 {
            return None;
        }
        let end = (at + BLOCK - 1).min(to);
        let bytes = if is_track {
            media::wav_range(runtime, at, end)
        } else {
            media::video_range(runtime, at, end)
        };
        Some((
            Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(bytes)),
            end + 1,
        ))
    });
    let mut r = Response::new(Body::from_stream(chunks));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    let body_len = if len == 0 { 0 } else { to - from + 1 };
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(body_len));
    if let Some(cr) = content_range.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::CONTENT_RANGE, cr);
    }
    Reply::Raw(Box::new(r))
}

fn parse_range(value: &str, len: usize) -> Option<(usize, usize)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    let (a, b) = spec.split_once('-')?;
    let last = len.checked_sub(1)?;
    let (start, end) = if a.is_empty() {
        let n: usize = b.parse().ok()?;
        (len.checked_sub(n.min(len))?, last)
    } else {
        let start: usize = a.parse().ok()?;
        let end = if b.is_empty() {
            last
        } else {
            b.parse::<usize>().ok()?.min(last)
        };
        (start, end)
    };
    (start <= end && end <= last).then_some((start, end))
}
