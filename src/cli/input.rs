//! What the one-shot commands read: a password from standard input.

use std::io::Read;

use anyhow::{Context, bail};

use crate::emby::Secret;

/// The first line of standard input, without its line ending; never echoed or logged.
pub fn password_from_stdin() -> anyhow::Result<Secret> {
    let mut buf = String::new();
    std::io::stdin()
        .read_to_string(&mut buf)
        .context("cannot read the password from standard input")?;
    if buf.is_empty() {
        bail!("no password on standard input (an empty line means an empty password)");
    }
    Ok(Secret::new(buf.lines().next().unwrap_or("")))
}
