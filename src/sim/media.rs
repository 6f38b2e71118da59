//! Generated media: PNG images for items and users, and the files the stream URLs serve.
//!
//! Video is YUV4MPEG2 (uncompressed, playable and seekable by mpv and ffmpeg: every frame has
//! the same size), audio is WAV; both last the item's whole runtime, so a player resumes at a
//! saved position and plays to the real end. Neither is ever held whole: any byte range is
//! computed on demand (a two-hour film is 250 MB of test pattern), a frame or a block of
//! samples at a time.

use std::io::Cursor;

use super::ids;

/// Frames per second, width and height of the video.
pub const FPS: u64 = 10;
const W: usize = 64;
const H: usize = 36;
const Y4M_HEADER: &str = "YUV4MPEG2 W64 H36 F10:1 Ip A1:1 C420mpeg2\n";
/// Bytes of one frame: `FRAME\n`, the luma plane, the two chroma planes.
const FRAME_BYTES: u64 = (6 + W * H + 2 * (W / 2) * (H / 2)) as u64;

/// Sample rate of the audio (mono, 16 bit).
pub const RATE: u64 = 8000;
const WAV_HEADER_LEN: u64 = 44;

fn seconds(runtime_ticks: i64) -> u64 {
    (runtime_ticks.max(10_000_000) as u64).div_ceil(10_000_000)
}

fn frames(runtime_ticks: i64) -> u64 {
    seconds(runtime_ticks) * FPS
}

/// Byte length of the video of an item this long.
pub fn video_len(runtime_ticks: i64) -> u64 {
    Y4M_HEADER.len() as u64 + frames(runtime_ticks) * FRAME_BYTES
}

/// Byte length of the audio of an item this long.
pub fn wav_len(runtime_ticks: i64) -> u64 {
    WAV_HEADER_LEN + seconds(runtime_ticks) * RATE * 2
}

/// SMPTE-like colour bars (Y, U, V).
const BARS: [(u8, u8, u8); 7] = [
    (235, 128, 128),
    (210, 16, 146),
    (170, 166, 16),
    (145, 54, 34),
    (106, 202, 222),
    (81, 90, 240),
    (41, 240, 110),
];

/// Frame `f` of `total`: colour bars, a white line sweeping once a second and, along the
/// bottom, a bar that grows with the position in the film.
fn frame(f: u64, total: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(FRAME_BYTES as usize);
    out.extend_from_slice(b"FRAME\n");
    let sweep = (f % FPS) as usize * W / FPS as usize;
    let progress = if total == 0 {
        0
    } else {
        (f as usize * W) / total as usize
    };
    let bar_of = |x: usize| BARS[x * BARS.len() / W];
    for y in 0..H {
        for x in 0..W {
            let luma = if y >= H - 4 {
                if x <= progress { 235 } else { 16 }
            } else if x == sweep {
                255
            } else {
                bar_of(x).0
            };
            out.push(luma);
        }
    }
    for plane in [1, 2] {
        for y in 0..H / 2 {
            for x in 0..W / 2 {
                let (_, u, v) = bar_of(x * 2);
                out.push(if y >= (H - 4) / 2 {
                    128
                } else if plane == 1 {
                    u
                } else {
                    v
                });
            }
        }
    }
    out
}

/// Bytes `from..=to` of the video of an item this long (`to` clamped to its end).
pub fn video_range(runtime_ticks: i64, from: u64, to: u64) -> Vec<u8> {
    let len = video_len(runtime_ticks);
    let to = to.min(len.saturating_sub(1));
    let mut out = Vec::new();
    if from > to {
        return out;
    }
    let header = Y4M_HEADER.as_bytes();
    let hl = header.len() as u64;
    if from < hl {
        out.extend_from_slice(&header[from as usize..=(to.min(hl - 1)) as usize]);
    }
    let total = frames(runtime_ticks);
    let first = from.max(hl);
    if first > to {
        return out;
    }
    let (f0, f1) = ((first - hl) / FRAME_BYTES, (to - hl) / FRAME_BYTES);
    for f in f0..=f1 {
        let bytes = frame(f, total);
        let base = hl + f * FRAME_BYTES;
        let a = first.max(base) - base;
        let b = to.min(base + FRAME_BYTES - 1) - base;
        out.extend_from_slice(&bytes[a as usize..=b as usize]);
    }
    out
}

fn wav_header(runtime_ticks: i64) -> Vec<u8> {
    let data_len = u32::try_from(seconds(runtime_ticks) * RATE * 2).unwrap_or(u32::MAX - 36);
    let mut out = Vec::with_capacity(WAV_HEADER_LEN as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&(RATE as u32).to_le_bytes());
    out.extend_from_slice(&((RATE * 2) as u32).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out
}

/// Sample `i`: a 440 Hz tone, loud for the first half of every second and soft for the rest,
/// so seconds can be counted by ear.
fn sample(i: u64) -> i16 {
    let t = i as f64 / RATE as f64;
    let loud = if i % RATE < RATE / 2 { 8000.0 } else { 2000.0 };
    ((t * 440.0 * std::f64::consts::TAU).sin() * loud) as i16
}

/// Bytes `from..=to` of the audio of an item this long (`to` clamped to its end).
pub fn wav_range(runtime_ticks: i64, from: u64, to: u64) -> Vec<u8> {
    let len = wav_len(runtime_ticks);
    let to = to.min(len.saturating_sub(1));
    let mut out = Vec::new();
    if from > to {
        return out;
    }
    let header = wav_header(runtime_ticks);
    for pos in from..=to {
        if pos < WAV_HEADER_LEN {
            out.push(header[pos as usize]);
        } else {
            let k = pos - WAV_HEADER_LEN;
            let s = sample(k / 2).to_le_bytes();
            out.push(s[(k % 2) as usize]);
        }
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

    const MINUTE: i64 = 60 * 10_000_000;

    #[test]
    fn media_last_the_runtime_and_any_range_is_the_same_bytes_as_the_whole() {
        let rt = 2 * MINUTE;
        let len = video_len(rt);
        assert_eq!(len, Y4M_HEADER.len() as u64 + 120 * FPS * FRAME_BYTES);
        let whole = video_range(rt, 0, len - 1);
        assert_eq!(whole.len() as u64, len);
        assert!(whole.starts_with(b"YUV4MPEG2 W64 H36 F10:1"));
        let (a, b) = (Y4M_HEADER.len() as u64 + 5 * FRAME_BYTES - 3, len / 2 + 17);
        assert_eq!(video_range(rt, a, b), whole[a as usize..=b as usize]);
        assert_eq!(video_range(rt, len - 4, u64::MAX).len(), 4);
        let wlen = wav_len(rt);
        assert_eq!(wlen, 44 + 120 * RATE * 2);
        let wav = wav_range(rt, 0, wlen - 1);
        assert!(wav.starts_with(b"RIFF") && &wav[8..12] == b"WAVE");
        assert_eq!(wav_range(rt, 1000, 1010), wav[1000..=1010]);
    }

    #[test]
    fn png_has_the_png_signature() {
        let p = png_image("x", 10, 15);
        assert_eq!(&p[..8], b"\x89PNG\r\n\x1a\n");
    }
}
