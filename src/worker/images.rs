//! Pictures for the screen: the hub brings the bytes (disk cache or the item's server), and
//! they are decoded, fitted and encoded for the terminal on a blocking thread, one at a time,
//! so decoding never takes both cores from the UI.

use std::sync::Mutex;

use crate::app::images::{Picture, picture};
use crate::app::{Action, ImageRequest};
use crate::session::Hub;

/// One picture decoded at a time (the UI keeps the other core).
static DECODING: Mutex<()> = Mutex::new(());

/// The picture a request asks for, as an Action. Anything that goes wrong (no such image, not a
/// picture, the server unreachable) gives no picture: the screen keeps its placeholder, and the
/// reason goes to the log.
pub async fn load(hub: &Hub, request: ImageRequest) -> Action {
    let ImageRequest { key, graphics } = request;
    let cells = key.cells;
    let result = hub
        .image(
            &key.server_id,
            &key.image,
            move |bytes| -> Option<Picture> {
                let _one_at_a_time = DECODING.lock().unwrap_or_else(|p| p.into_inner());
                picture(bytes, &graphics, cells)
            },
        )
        .await;
    let picture = match result {
        Ok(Some(p)) => Some(p),
        Ok(None) => {
            tracing::info!(item = %key.image.item_id, "the server's image is not a picture");
            None
        }
        Err(e) => {
            tracing::info!(item = %key.image.item_id, error = %e, "no picture");
            None
        }
    };
    Action::ImageLoaded { key, picture }
}
