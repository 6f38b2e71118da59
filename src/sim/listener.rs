//! A TCP listener that obeys the connection-level faults of its address.
//!
//! `refuse` closes the listening socket (and rebinds the same port when lifted), `blackhole`
//! stops calling accept() so connections wait in the backlog, `down` accepts and closes.
//! Open connections die as soon as `down` or `refuse` is set, or the simulator stops.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;

use super::Fault;
use super::address::AddressState;

/// Backlog large enough that a black-holed address keeps accepting SYNs.
const BACKLOG: u32 = 1024;

/// Binds 127.0.0.1:`port` (0 = a free port) with SO_REUSEADDR and a large backlog.
pub fn bind(port: u16) -> io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(SocketAddr::from(([127, 0, 0, 1], port)))?;
    socket.listen(BACKLOG)
}

/// The listener given to `axum::serve`.
pub struct FaultListener {
    address: Arc<AddressState>,
    listener: Option<TcpListener>,
    faults: watch::Receiver<Fault>,
    stopped: watch::Receiver<bool>,
}

impl FaultListener {
    /// Wraps an already bound listener of `address`. When the address starts with `refuse`,
    /// the socket is closed here, before `Sim::start` returns.
    pub fn new(
        address: Arc<AddressState>,
        listener: TcpListener,
        stopped: watch::Receiver<bool>,
    ) -> FaultListener {
        let faults = address.subscribe();
        let listener = (!address.fault().refuse).then_some(listener);
        FaultListener {
            address,
            listener,
            faults,
            stopped,
        }
    }

    async fn wait_for_fault_change(&mut self) {
        if self.faults.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl axum::serve::Listener for FaultListener {
    type Io = FaultIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (FaultIo, SocketAddr) {
        loop {
            let fault = self.faults.borrow_and_update().clone();
            if fault.refuse {
                self.listener = None;
                self.wait_for_fault_change().await;
                continue;
            }
            if self.listener.is_none() {
                match bind(self.address.port) {
                    Ok(l) => self.listener = Some(l),
                    Err(e) => {
                        tracing::warn!(port = self.address.port, error = %e, "cannot rebind; retrying");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                }
            }
            if fault.blackhole {
                self.wait_for_fault_change().await;
                continue;
            }
            let Some(listener) = self.listener.as_ref() else {
                continue;
            };
            let accepted = tokio::select! {
                changed = self.faults.changed() => {
                    if changed.is_err() { std::future::pending::<()>().await; }
                    continue;
                }
                res = listener.accept() => res,
            };
            match accepted {
                Ok((stream, peer)) => {
                    if fault.down {
                        drop(stream);
                        continue;
                    }
                    let _ = stream.set_nodelay(true);
                    let io = FaultIo {
                        inner: stream,
                        faults: self.address.subscribe(),
                        stopped: self.stopped.clone(),
                    };
                    return (io, peer);
                }
                Err(e) => {
                    tracing::debug!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(SocketAddr::from(([127, 0, 0, 1], self.address.port)))
    }
}

/// An accepted connection that breaks when its address goes `down`/`refuse` or the sim stops.
pub struct FaultIo {
    inner: TcpStream,
    faults: watch::Receiver<Fault>,
    stopped: watch::Receiver<bool>,
}

impl FaultIo {
    fn broken(&self) -> bool {
        let f = self.faults.borrow();
        f.down || f.refuse || *self.stopped.borrow()
    }
}

fn reset() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionReset, "address is down")
}

impl AsyncRead for FaultIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.broken() {
            return Poll::Ready(Err(reset()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for FaultIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.broken() {
            return Poll::Ready(Err(reset()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
