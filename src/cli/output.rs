//! What the one-shot commands print: JSON for scripts on stdout, readable lines otherwise.

use serde::Serialize;

use crate::emby::models::BaseItemDto;
use crate::session::ServerReport;
use crate::session::servers::DiscoveredEntry;

/// One item as scripts see it.
#[derive(Debug, Serialize)]
pub struct ItemOut {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub item_type: Option<String>,
    pub is_folder: bool,
    pub collection_type: Option<String>,
    pub parent_id: Option<String>,
    pub production_year: Option<i32>,
    pub series_name: Option<String>,
    pub index_number: Option<i32>,
    pub child_count: Option<i32>,
    pub played: bool,
    pub favorite: bool,
    pub playback_position_ticks: Option<i64>,
}

impl From<&BaseItemDto> for ItemOut {
    fn from(i: &BaseItemDto) -> Self {
        let ud = i.user_data.as_ref();
        ItemOut {
            id: i.id.clone(),
            name: i.name.clone(),
            item_type: i.item_type.clone(),
            is_folder: i.is_folder.unwrap_or(false),
            collection_type: i.collection_type.clone(),
            parent_id: i.parent_id.clone(),
            production_year: i.production_year,
            series_name: i.series_name.clone(),
            index_number: i.index_number,
            child_count: i.child_count,
            played: ud.and_then(|u| u.played).unwrap_or(false),
            favorite: ud.and_then(|u| u.is_favorite).unwrap_or(false),
            playback_position_ticks: ud
                .and_then(|u| u.playback_position_ticks)
                .filter(|t| *t > 0),
        }
    }
}

/// A page of items.
#[derive(Debug, Serialize)]
pub struct ItemsPage {
    pub total_record_count: Option<u64>,
    pub start_index: u32,
    pub items: Vec<ItemOut>,
}

#[derive(Debug, Serialize)]
pub struct DiscoveredOut<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub address: &'a str,
}

impl<'a> From<&'a DiscoveredEntry> for DiscoveredOut<'a> {
    fn from(d: &'a DiscoveredEntry) -> Self {
        DiscoveredOut {
            id: &d.id,
            name: &d.name,
            address: &d.address,
        }
    }
}

pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// One readable line per item: Id, name (a folder ends with `/`), then its kind and year.
pub fn item_line(i: &ItemOut) -> String {
    let mut kind: Vec<String> = Vec::new();
    if let Some(t) = &i.item_type {
        kind.push(t.clone());
    }
    if let Some(y) = i.production_year {
        kind.push(y.to_string());
    }
    let kind = if kind.is_empty() {
        String::new()
    } else {
        format!("  ({})", kind.join(", "))
    };
    format!(
        "{}  {}{}{kind}",
        i.id.as_deref().unwrap_or("?"),
        i.name.as_deref().unwrap_or(""),
        if i.is_folder { "/" } else { "" }
    )
}

/// One readable line per server.
pub fn server_line(r: &ServerReport) -> String {
    let state = match r.state {
        "signed_in" => format!("signed in as {}", r.user_name.as_deref().unwrap_or("?")),
        "sign_in_required" => "sign-in needed".to_string(),
        _ => "unavailable".to_string(),
    };
    let how = match (r.mode, &r.address, r.latency_ms) {
        (Some(mode), Some(addr), Some(ms)) => format!(" via {mode} {addr} ({ms} ms)"),
        (Some(mode), Some(addr), None) => format!(" via {mode} {addr}"),
        _ => String::new(),
    };
    let why = r
        .error
        .as_deref()
        .map(|e| format!(": {e}"))
        .unwrap_or_default();
    format!(
        "{}  {}  [{}] {}{}{}",
        r.id, r.name, r.source, state, how, why
    )
}
