//! Emby's dates (`2021-01-01T00:00:00.0000000Z`, or with an offset) as seconds since the epoch,
//! so dates from servers that write them differently compare correctly.

/// Seconds since the Unix epoch of an ISO 8601 date-time; None when it is not one.
pub fn epoch_seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, rest) = t.split_at_checked(10)?;
    let mut d = date.split('-');
    let y: i64 = d.next()?.parse().ok()?;
    let m: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(y, m, day) * 86_400;
    let Some(time) = rest.strip_prefix(['T', ' ']) else {
        return rest.is_empty().then_some(secs);
    };
    let (hms, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let hms = hms.split('.').next()?;
    let mut parts = hms.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let mi: i64 = parts.next().unwrap_or("0").parse().ok()?;
    let s: i64 = parts.next().unwrap_or("0").parse().ok()?;
    secs += h * 3600 + mi * 60 + s;
    if let Some(offset) = zone.strip_prefix(['+', '-']) {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = offset.chars().filter(char::is_ascii_digit).collect();
        let (oh, om) = digits.split_at_checked(2).unwrap_or((&digits, ""));
        let oh: i64 = oh.parse().ok()?;
        let om: i64 = if om.is_empty() { 0 } else { om.parse().ok()? };
        secs -= sign * (oh * 3600 + om * 60);
    }
    Some(secs)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emby_dates_and_offsets_read_as_the_same_instant() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00.0000000Z"), Some(0));
        assert_eq!(
            epoch_seconds("2021-01-01T00:00:00.0000000Z"),
            Some(1_609_459_200)
        );
        assert_eq!(
            epoch_seconds("2021-01-01T02:00:00+02:00"),
            epoch_seconds("2021-01-01T00:00:00Z")
        );
        assert_eq!(
            epoch_seconds("2020-12-31T19:00:00-0500"),
            epoch_seconds("2021-01-01T00:00:00Z")
        );
        assert_eq!(epoch_seconds("2021-01-01"), Some(1_609_459_200));
        assert_eq!(epoch_seconds("yesterday"), None);
        assert_eq!(epoch_seconds("2021-13-01T00:00:00Z"), None);
        assert_eq!(epoch_seconds(""), None);
    }
}
