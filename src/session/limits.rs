//! How many servers are reached at once: bounded by the open-files limit, so thousands of saved
//! servers never fail with "Too many open files".

/// File descriptors kept aside for everything but the address race: the runtime, the log, the
/// credentials file and its lock, the terminal, pooled connections of open sessions.
const RESERVED_FDS: u64 = 64;

/// Descriptors one server's reach may hold at once: its Local, Remote and typed addresses racing,
/// and one spare for the connection the sign-in reuses.
const FDS_PER_REACH: u64 = 4;

/// Never fewer in flight than this (a tiny limit still makes progress), never more than this
/// (beyond it the machine, not the limit, is what slows a refresh down).
const MIN_IN_FLIGHT: usize = 4;
const MAX_IN_FLIGHT: usize = 512;

/// Raises this process's soft open-files limit to its hard limit (the soft default is often
/// 1024 while the hard one is far higher), and returns the soft limit now in force.
pub fn raise_open_files_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            tracing::debug!(limit, "open-files limit");
            limit
        }
        Err(e) => {
            tracing::info!(error = %e, "the open-files limit could not be read or raised");
            current_open_files_limit()
        }
    }
}

/// The soft open-files limit in force (1024 when it cannot be read).
pub fn current_open_files_limit() -> u64 {
    #[cfg(unix)]
    {
        rlimit::getrlimit(rlimit::Resource::NOFILE)
            .map(|(soft, _)| soft)
            .unwrap_or(1024)
    }
    #[cfg(not(unix))]
    {
        1024
    }
}

/// How many servers may be reached at once under an open-files limit of `limit`.
pub fn reaches_in_flight(limit: u64) -> usize {
    let budget = limit.saturating_sub(RESERVED_FDS) / FDS_PER_REACH;
    (budget.min(MAX_IN_FLIGHT as u64) as usize).max(MIN_IN_FLIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_follows_the_limit_within_sane_ends() {
        assert_eq!(reaches_in_flight(256), 48);
        assert_eq!(reaches_in_flight(1024), 240);
        assert_eq!(reaches_in_flight(1_048_576), MAX_IN_FLIGHT);
        assert_eq!(reaches_in_flight(10), MIN_IN_FLIGHT);
    }
}
