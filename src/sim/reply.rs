//! What a dispatcher answers; the address's faults are applied to it afterwards.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// A reply before faults are applied.
pub enum Reply {
    /// A JSON document (body faults apply when the status is 200).
    Json(StatusCode, Value),
    /// A reply without a body.
    Empty(StatusCode),
    /// An error with a plain-text message, as Emby servers send them.
    Error(StatusCode, String),
    /// Anything else (images, media, HTML).
    Raw(Box<Response>),
}

impl Reply {
    /// 200 with `value`.
    pub fn ok(value: Value) -> Reply {
        Reply::Json(StatusCode::OK, value)
    }

    /// An error reply.
    pub fn error(status: StatusCode, message: impl Into<String>) -> Reply {
        Reply::Error(status, message.into())
    }

    /// 404 with a message.
    pub fn not_found(what: &str) -> Reply {
        Reply::error(StatusCode::NOT_FOUND, format!("{what} not found."))
    }

    /// 204.
    pub fn no_content() -> Reply {
        Reply::Empty(StatusCode::NO_CONTENT)
    }

    /// A body of bytes with a content type.
    pub fn bytes(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Reply {
        let mut r = Response::new(Body::from(body));
        *r.status_mut() = status;
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        Reply::Raw(Box::new(r))
    }

    /// An HTML page.
    pub fn html(status: StatusCode, page: String) -> Reply {
        Reply::bytes(status, "text/html; charset=utf-8", page.into_bytes())
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Reply::Json(status, v) => {
                let mut r = Response::new(Body::from(v.to_string()));
                *r.status_mut() = status;
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json; charset=utf-8"),
                );
                r
            }
            Reply::Empty(status) => status.into_response(),
            Reply::Error(status, message) => {
                let mut r = Response::new(Body::from(message));
                *r.status_mut() = status;
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                r
            }
            Reply::Raw(r) => *r,
        }
    }
}
