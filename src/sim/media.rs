//! Generated media: PNG images for items and users, and the small files the stream URLs serve.
//!
//! Video is YUV4MPEG2 (uncompressed, playable by mpv and ffmpeg), audio is WAV; both are a
//! second long so a player can really open them.

use std::io::Cursor;

use super::ids;

/// Frames per second and frame count of the video file.
const FPS: usize = 25;
const W: usize = 64;
const H: usize = 48;
const Y4M_HEADER: &str = "YUV4MPEG2 W64 H48 F25:1 Ip A1:1 C420jpeg\n";

/// Byte length of the video file.
pub const VIDEO_LEN: usize = Y4M_HEADER.len() + FPS * (6 + W * H * 3 / 2);

/// Sample rate and length of the audio file.
const RATE: usize = 8000;
/// Byte length of the WAV file.
pub const WAV_LEN: usize = 44 + RATE * 2;

/// One second of a moving grey ramp as YUV4MPEG2.
pub fn video_file() -> Vec<u8> {
    let mut out = Vec::with_capacity(VIDEO_LEN);
    out.extend_from_slice(Y4M_HEADER.as_bytes());
    for f in 0..FPS {
        out.extend_from_slice(b"FRAME\n");
        for y in 0..H {
            for x in 0..W {
                out.push(((x * 4 + y + f * 8) % 220 + 16) as u8);
            }
        }
        out.extend(std::iter::repeat_n(128u8, W * H / 2));
    }
    out
}

/// One second of a 440 Hz tone as 8 kHz mono 16-bit WAV.
pub fn wav_file() -> Vec<u8> {
    let data_len = RATE * 2;
    let mut out = Vec::with_capacity(WAV_LEN);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&u32::try_from(36 + data_len).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&(RATE as u32).to_le_bytes());
    out.extend_from_slice(&((RATE * 2) as u32).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data_len as u32).to_le_bytes());
    for i in 0..RATE {
        let t = i as f64 / RATE as f64;
        let s = (t * 440.0 * std::f64::consts::TAU).sin() * 8000.0;
        out.extend_from_slice(&(s as i16).to_le_bytes());
    }
    out
}

/// A PNG of `width`×`height` drawn like a film poster, its colours and shapes derived from
/// `seed` (an item id, say): a sky shading from one colour to another, a pale disc, a dark
/// skyline with a wavy top, a title band with two bars of "lettering", and a thin frame. Small
/// and deterministic, so the demo shows posters and snapshot tests can draw them.
pub fn png_image(seed: &str, width: u32, height: u32) -> Vec<u8> {
    let width = width.clamp(1, 1000);
    let height = height.clamp(1, 1000);
    let pixels = poster_pixels(seed, width, height);
    let mut out = Cursor::new(Vec::new());
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let written = enc
            .write_header()
            .and_then(|mut w| w.write_image_data(&pixels));
        if let Err(e) = written {
            tracing::warn!(error = %e, "png encoding failed");
        }
    }
    out.into_inner()
}

/// The RGB pixels of [`png_image`].
fn poster_pixels(seed: &str, width: u32, height: u32) -> Vec<u8> {
    let h = ids::hash64(5, &[seed]).to_be_bytes();
    let g = ids::hash64(6, &[seed]).to_be_bytes();
    let sky_top = [h[0], h[1], h[2]];
    let sky_low = [h[3], h[4], h[5]];
    let disc = [200 + h[6] % 56, 200 + h[7] % 56, 170 + g[0] % 86];
    let (w, ht) = (width as f32, height as f32);
    let short = w.min(ht);
    let disc_x = w * (0.25 + f32::from(g[1]) / 255.0 * 0.5);
    let disc_y = ht * (0.18 + f32::from(g[2]) / 255.0 * 0.15);
    let radius = short * (0.12 + f32::from(g[3]) / 255.0 * 0.1);
    let hills = 0.5 + f32::from(g[4]) / 255.0 * 0.15;
    let wave = 1.0 + f32::from(g[5]) / 255.0 * 3.0;
    let band = ht * 0.78;
    let frame = (short / 60.0).max(1.0);
    let bars = [
        (band + (ht - band) * 0.25, band + (ht - band) * 0.45, 0.62),
        (band + (ht - band) * 0.6, band + (ht - band) * 0.72, 0.4),
    ];
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        let fy = y as f32 + 0.5;
        let t = fy / ht;
        for x in 0..width {
            let fx = x as f32 + 0.5;
            let mut px = [0u8; 3];
            for c in 0..3 {
                px[c] = (f32::from(sky_top[c]) * (1.0 - t) + f32::from(sky_low[c]) * t) as u8;
            }
            let (dx, dy) = (fx - disc_x, fy - disc_y);
            if dx * dx + dy * dy <= radius * radius {
                px = disc;
            }
            let skyline = ht * (hills + 0.05 * (fx / w * std::f32::consts::TAU * wave).sin());
            if fy >= skyline {
                px = px.map(|v| v / 4);
            }
            if fy >= band {
                px = [18, 18, 24];
                let cx = (fx - w / 2.0).abs() / w;
                if bars
                    .iter()
                    .any(|(a, b, half)| fy >= *a && fy < *b && cx < half / 2.0)
                {
                    px = [235, 230, 215];
                }
            }
            if fx < frame || fy < frame || fx > w - frame || fy > ht - frame {
                px = [240, 236, 226];
            }
            pixels.extend_from_slice(&px);
        }
    }
    pixels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_files_have_their_advertised_sizes() {
        assert_eq!(video_file().len(), VIDEO_LEN);
        assert_eq!(wav_file().len(), WAV_LEN);
    }

    #[test]
    fn png_has_the_png_signature() {
        let p = png_image("x", 10, 15);
        assert_eq!(&p[..8], b"\x89PNG\r\n\x1a\n");
    }
}
