//! The HTTP side of every address: one fallback handler per address records the request,
//! applies the address's faults and hands the request to the Connect or server dispatcher.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::address::AddressState;
use super::listener::FaultListener;
use super::record::RecordedRequest;
use super::reply::Reply;
use super::request::Req;
use super::{AddressKind, Shared, connect, server};

/// What an address serves.
#[derive(Clone, Copy)]
pub enum Role {
    /// The Connect service.
    Connect,
    /// Server `slot` (index into `Shared::servers`) on one of its addresses.
    Server(usize, AddressKind),
}

/// Per-address handler state.
#[derive(Clone)]
pub struct Ctx {
    /// The simulator.
    pub shared: Arc<Shared>,
    /// What this address serves.
    pub role: Role,
    /// This address.
    pub address: Arc<AddressState>,
}

fn spawn(ctx: Ctx, listener: TcpListener) -> JoinHandle<()> {
    let stopped = ctx.shared.stopped.subscribe();
    let fl = FaultListener::new(ctx.address.clone(), listener, stopped);
    let app = Router::new().fallback(handle).with_state(ctx);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(fl, app).await {
            tracing::error!(error = %e, "listener stopped");
        }
    })
}

/// Starts the Connect address.
pub fn spawn_connect(shared: &Arc<Shared>, listener: TcpListener) -> JoinHandle<()> {
    let ctx = Ctx {
        shared: shared.clone(),
        role: Role::Connect,
        address: shared.connect.clone(),
    };
    spawn(ctx, listener)
}

/// Starts one address of server `slot`.
pub fn spawn_server(
    shared: &Arc<Shared>,
    slot: usize,
    kind: AddressKind,
    listener: TcpListener,
) -> JoinHandle<()> {
    let address = match (shared.servers.get(slot), kind) {
        (Some(s), AddressKind::Local) => s.local.clone(),
        (Some(s), AddressKind::Remote) => s.remote.clone(),
        (None, _) => shared.connect.clone(),
    };
    spawn(
        Ctx {
            shared: shared.clone(),
            role: Role::Server(slot, kind),
            address,
        },
        listener,
    )
}

async fn handle(
    State(ctx): State<Ctx>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or("").to_string();
    ctx.address.record(RecordedRequest::new(
        method.as_str(),
        &path,
        &query,
        &headers,
        &body,
    ));
    tracing::debug!(method = %method, path = %path, port = ctx.address.port, "request");

    let fault = ctx.address.fault();
    if fault.blackhole {
        // an already-open connection: never answer (until the simulator stops)
        let mut stopped = ctx.shared.stopped.subscribe();
        let _ = stopped.wait_for(|s| *s).await;
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if fault.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
    }
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if let Some(redirect) = fault.redirect_response(path_and_query) {
        return redirect;
    }
    if fault.http_500 {
        let hostile = if fault.hostile_text {
            super::fault::HOSTILE_TEXT
        } else {
            ""
        };
        return Reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Simulated server error (http_500 fault).{hostile}"),
        )
        .into_response();
    }
    let reply = match ctx.role {
        Role::Connect => {
            let req = Req::new(method, &path, &query, headers, body.to_vec(), false);
            connect::dispatch(&ctx.shared, &req)
        }
        Role::Server(slot, kind) => {
            let req = Req::new(method, &path, &query, headers, body.to_vec(), true);
            server::dispatch(&ctx.shared, slot, kind, fault.impostor, &req)
        }
    };
    match reply {
        Reply::Json(status, value) if status == StatusCode::OK => fault.apply_to_json(value),
        Reply::Raw(r) => fault.apply_to_raw(*r),
        other => other.into_response(),
    }
}
