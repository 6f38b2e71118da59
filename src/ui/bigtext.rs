//! Large digits for the PIN, so it can be read across a room.

/// Five rows of a 3x5 font per digit; other characters are drawn as they are.
const DIGITS: [[&str; 5]; 10] = [
    ["███", "█ █", "█ █", "█ █", "███"],
    ["  █", "  █", "  █", "  █", "  █"],
    ["███", "  █", "███", "█  ", "███"],
    ["███", "  █", "███", "  █", "███"],
    ["█ █", "█ █", "███", "  █", "  █"],
    ["███", "█  ", "███", "  █", "███"],
    ["███", "█  ", "███", "█ █", "███"],
    ["███", "  █", "  █", "  █", "  █"],
    ["███", "█ █", "███", "█ █", "███"],
    ["███", "█ █", "███", "  █", "███"],
];

/// The rows of `text` in large digits, two columns apart.
pub fn big(text: &str) -> Vec<String> {
    (0..5)
        .map(|row| {
            text.chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => DIGITS[d as usize][row].to_string(),
                    None if row == 2 => format!(" {c} "),
                    None => "   ".to_string(),
                })
                .collect::<Vec<_>>()
                .join("  ")
        })
        .collect()
}
