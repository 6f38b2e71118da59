//! `QueryResult<T>`: a page of a listing.

use serde::{Deserialize, Serialize};

use super::de::null_as_default;

/// One page of a listing: `{Items: [...], TotalRecordCount: n}` (SDK `QueryResult_BaseItemDto`).
///
/// `TotalRecordCount` is absent or 0 when the caller passed `EnableTotalRecordCount=false`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "PascalCase",
    default,
    bound(deserialize = "T: Deserialize<'de>")
)]
pub struct QueryResult<T> {
    /// The items of this page.
    #[serde(deserialize_with = "null_as_default")]
    pub items: Vec<T>,
    /// How many items match in total (not just this page), when the server counted.
    pub total_record_count: Option<u64>,
}

impl<T> Default for QueryResult<T> {
    fn default() -> Self {
        QueryResult {
            items: Vec::new(),
            total_record_count: None,
        }
    }
}
