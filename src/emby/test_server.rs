//! Test support: a raw HTTP/1.1 responder on 127.0.0.1 that answers every connection with fixed
//! bytes and records what it received. Not a server simulator: it lets unit tests check bytes on
//! the wire (headers, bodies) and feed replies no well-behaved server would send.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the responder does with each connection.
#[derive(Clone)]
pub(crate) enum Behaviour {
    /// Read the request, write these bytes, close.
    Reply(Vec<u8>),
    /// Read the request and never answer.
    Silent,
    /// Accept and close at once.
    Hangup,
    /// Read the request and answer the n-th connection with the n-th reply (the last one
    /// repeats), then close.
    Script(Vec<Vec<u8>>),
}

/// A running responder.
pub(crate) struct TestServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl TestServer {
    pub async fn start(behaviour: Behaviour) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while let Ok((mut stream, _)) = listener.accept().await {
                let behaviour = match &behaviour {
                    Behaviour::Script(replies) => {
                        let i = n.min(replies.len().saturating_sub(1));
                        Behaviour::Reply(replies.get(i).cloned().unwrap_or_default())
                    }
                    other => other.clone(),
                };
                n += 1;
                let seen = seen.clone();
                tokio::spawn(async move {
                    if let Behaviour::Hangup = behaviour {
                        return;
                    }
                    let request = read_request(&mut stream).await;
                    seen.lock().unwrap().push(request);
                    match behaviour {
                        Behaviour::Reply(bytes) => {
                            let _ = stream.write_all(&bytes).await;
                            let _ = stream.shutdown().await;
                        }
                        Behaviour::Silent => std::future::pending::<()>().await,
                        Behaviour::Hangup | Behaviour::Script(_) => {}
                    }
                });
            }
        });
        TestServer { addr, requests }
    }

    /// A responder answering `status` with a JSON body.
    pub async fn json(status: &str, body: &str) -> TestServer {
        TestServer::start(Behaviour::Reply(response(
            status,
            "application/json",
            body.as_bytes(),
        )))
        .await
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests received so far (head and body as text).
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// A complete HTTP/1.1 response with Content-Length.
pub(crate) fn response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = find(&data, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_string();
            let length = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                break;
            }
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&data).to_string()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
