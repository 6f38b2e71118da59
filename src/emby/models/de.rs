//! Serde helpers for the tolerance the real API needs.

use serde::{Deserialize, Deserializer};

/// Deserializes `null` as `T::default()` (servers send `"Genres": null` as readily as omitting it).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
