//! Pictures of items: from the disk cache, else from the item's own server (through its
//! session, so the token goes nowhere else), decoded by the caller's function off the async
//! threads.

use std::sync::Arc;

use super::super::error::SessionError;
use super::super::image_cache::{ImageCache, ItemImage};
use super::{Hub, key};

/// The width asked of the server: enough for a poster drawn in pixels (kitty, sixel, iTerm2)
/// at up to 40 columns, and one size for every use, so one cached file serves them all.
pub const MAX_WIDTH: u32 = 400;

/// Runs blocking work (file reads, decoding) on tokio's blocking threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

impl Hub {
    /// The disk cache of pictures.
    pub fn image_cache(&self) -> &ImageCache {
        &self.inner.images
    }

    /// An item's picture, made into `T` by `decode` (None: these bytes are not a picture).
    ///
    /// A copy kept on disk for this server, item, type and tag is used when it decodes; one that
    /// does not (cut short, overwritten) is dropped and fetched again. Otherwise the image is
    /// fetched from `server_id` at [`MAX_WIDTH`] and kept on disk if it decodes. `Ok(None)`: the
    /// server sent something that is not a picture (it is not kept). A missing image is the
    /// server's 404, an error like any other. `decode` runs on a blocking thread.
    pub async fn image<T, D>(
        &self,
        server_id: &str,
        image: &ItemImage,
        decode: D,
    ) -> Result<Option<T>, SessionError>
    where
        T: Send + 'static,
        D: Fn(&[u8]) -> Option<T> + Send + Sync + 'static,
    {
        let cache = self.inner.images.clone();
        let decode = Arc::new(decode);
        let server = key(server_id);
        {
            let (cache, server, image, decode) =
                (cache.clone(), server.clone(), image.clone(), decode.clone());
            let cached = blocking(move || {
                let bytes = cache.read(&server, &image)?;
                match decode(&bytes) {
                    Some(v) => Some(v),
                    None => {
                        tracing::info!(item = %image.item_id, "a kept picture did not decode; fetching it again");
                        cache.forget(&server, &image);
                        None
                    }
                }
            })
            .await
            .flatten();
            if let Some(v) = cached {
                return Ok(Some(v));
            }
        }
        let bytes = self
            .call(server_id, true, |c| {
                let image = image.clone();
                async move {
                    c.image(&image.item_id, &image.kind, &image.tag, MAX_WIDTH)
                        .await
                }
            })
            .await?;
        let image = image.clone();
        Ok(blocking(move || {
            let v = decode(&bytes)?;
            cache.write(&server, &image, &bytes);
            Some(v)
        })
        .await
        .flatten())
    }
}
