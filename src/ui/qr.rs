//! A QR code drawn with text cells (two modules per cell, `▀`/`▄`/`█`), for a phone to scan the
//! PIN confirmation address off the terminal.
//!
//! The light modules are the drawn blocks and the dark ones the spaces, to be shown white on
//! black: scanners need the dark-on-light contrast, and most terminals have a dark background,
//! so the symbol brings its own light quiet zone.

use qrcode::render::unicode::Dense1x2;
use qrcode::{EcLevel, QrCode};

/// The rows of the QR code of `text` (all the same width, quiet zone included), or None when it
/// cannot be encoded (too long for any QR version).
pub fn rows(text: &str) -> Option<Vec<String>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L).ok()?;
    let image = code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build();
    Some(image.lines().map(str::to_string).collect())
}

/// Columns and rows `rows` takes.
pub fn size(rows: &[String]) -> (u16, u16) {
    let width = rows.first().map_or(0, |r| r.chars().count());
    (
        u16::try_from(width).unwrap_or(u16::MAX),
        u16::try_from(rows.len()).unwrap_or(u16::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_becomes_a_square_of_text_cells_two_modules_per_row() {
        let rows = rows("https://emby.media/pin").unwrap();
        let (w, h) = size(&rows);
        // version 2 (25 modules) with a quiet zone of 4 on each side: 33 wide, 33 high, which is
        // 17 rows of two modules
        assert_eq!(w, 33);
        assert_eq!(h, 17);
        assert!(rows.iter().all(|r| r.chars().count() == 33));
        assert!(
            rows.iter()
                .flat_map(|r| r.chars())
                .all(|c| matches!(c, ' ' | '▀' | '▄' | '█'))
        );
        // the quiet zone is light (drawn) all round: the first row is solid
        assert!(rows[0].chars().all(|c| c == '█'), "{}", rows[0]);
        // a finder pattern's dark ring shows as spaces inside the first rows
        assert!(rows[2].contains(' '));
    }

    #[test]
    fn what_no_qr_version_holds_is_none() {
        assert!(rows(&"x".repeat(3000)).is_none());
    }
}
