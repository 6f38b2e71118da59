//! One simulated address: its port, its faults (switchable at run time) and its request log.

use std::collections::VecDeque;
use std::sync::Mutex;

use tokio::sync::watch;

use super::Fault;
use super::record::RecordedRequest;

/// Most requests kept per address (oldest dropped first), so a long `emby-sim` run stays small.
const LOG_CAP: usize = 20_000;

/// Shared state of one listening address.
pub struct AddressState {
    /// The TCP port (fixed once bound, so a `refuse` fault can be lifted on the same port).
    pub port: u16,
    faults: watch::Sender<Fault>,
    log: Mutex<VecDeque<RecordedRequest>>,
}

impl AddressState {
    /// A new address on `port` with `faults`.
    pub fn new(port: u16, faults: Fault) -> AddressState {
        AddressState {
            port,
            faults: watch::Sender::new(faults),
            log: Mutex::new(VecDeque::new()),
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The faults in force now.
    pub fn fault(&self) -> Fault {
        self.faults.borrow().clone()
    }

    /// Replaces the faults.
    pub fn set_fault(&self, fault: Fault) {
        self.faults.send_replace(fault);
    }

    /// A receiver that wakes when the faults change.
    pub fn subscribe(&self) -> watch::Receiver<Fault> {
        self.faults.subscribe()
    }

    /// Appends a request to the log.
    pub fn record(&self, request: RecordedRequest) {
        if let Ok(mut log) = self.log.lock() {
            if log.len() >= LOG_CAP {
                log.pop_front();
            }
            log.push_back(request);
        }
    }

    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.log
            .lock()
            .map(|l| l.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Forgets the logged requests.
    pub fn clear(&self) {
        if let Ok(mut log) = self.log.lock() {
            log.clear();
        }
    }
}
