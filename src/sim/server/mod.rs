//! One simulated Emby Server: routes a request (lower-cased segments, ids kept as sent) to
//! the handler of protocol.md §3, §6.2 or §7, with a real server's token semantics.

mod admin;
mod browse;
mod media;
mod sessions;
mod system;
mod users;

use axum::http::{Method, StatusCode};

use super::reply::Reply;
use super::request::Req;
use super::world::{ServerData, World};
use super::{AddressKind, Shared};

/// One request at one server address.
pub struct Call<'a> {
    /// The simulator.
    pub shared: &'a Shared,
    /// Index of the answering server in `World::servers` (the impostor twin when impostor).
    pub server: usize,
    /// Index of the real server in `World::servers` (for Connect links).
    pub real: usize,
    /// Which address answered.
    pub kind: AddressKind,
    /// Whether the address is an impostor.
    pub impostor: bool,
    /// The request.
    pub req: &'a Req,
}

/// The signed-in caller.
pub struct Caller {
    /// Local user id.
    pub user_id: String,
    /// The token used.
    pub token: String,
    /// Administrator.
    pub admin: bool,
}

impl Call<'_> {
    /// Checks the caller's token: 401 when missing, unknown or revoked.
    pub fn caller(&self, world: &World) -> Result<Caller, Reply> {
        let Some(token) = self.req.token() else {
            return Err(Reply::error(
                StatusCode::UNAUTHORIZED,
                "Access token is required.",
            ));
        };
        let server = self.data(world)?;
        match server.sessions.get(&token) {
            Some(s) if !s.revoked => {
                let admin = server.user(&s.user_id).is_some_and(|u| u.admin);
                Ok(Caller {
                    user_id: s.user_id.clone(),
                    token,
                    admin,
                })
            }
            _ => Err(Reply::error(
                StatusCode::UNAUTHORIZED,
                "Access token is invalid or expired.",
            )),
        }
    }

    /// The caller, who must be the user `user_id` of the path (or an administrator).
    pub fn caller_as(&self, world: &World, user_id: &str) -> Result<Caller, Reply> {
        let caller = self.caller(world)?;
        let server = self.data(world)?;
        if server.user(user_id).is_none() {
            return Err(Reply::not_found("User"));
        }
        if !caller.user_id.eq_ignore_ascii_case(user_id) && !caller.admin {
            return Err(Reply::error(
                StatusCode::FORBIDDEN,
                "Access denied to another user's data.",
            ));
        }
        Ok(Caller {
            user_id: user_id.to_ascii_lowercase(),
            ..caller
        })
    }

    /// The answering server's data.
    pub fn data<'w>(&self, world: &'w World) -> Result<&'w ServerData, Reply> {
        world
            .servers
            .get(self.server)
            .ok_or_else(|| Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no server"))
    }
}

/// Unwraps a `Result<T, Reply>` inside a handler returning `Reply`.
macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(reply) => return reply,
        }
    };
}
pub(crate) use tri;

/// Answers one request to server `slot`.
pub fn dispatch(
    shared: &Shared,
    slot: usize,
    kind: AddressKind,
    impostor: bool,
    req: &Req,
) -> Reply {
    let Some(s) = shared.servers.get(slot) else {
        return Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "no such server slot");
    };
    let call = Call {
        shared,
        server: if impostor { s.impostor } else { s.index },
        real: s.index,
        kind,
        impostor,
        req,
    };
    let m = &req.method;
    let get = *m == Method::GET || *m == Method::HEAD;
    let post = *m == Method::POST;
    let del = *m == Method::DELETE;
    let r = req.route();
    match r.as_slice() {
        ["system", "info", "public"] if get => system::public_info(&call),
        ["system", "info"] if get => system::info(&call),
        ["system", "ping"] if get || post => {
            Reply::bytes(StatusCode::OK, "text/plain", b"Emby Server".to_vec())
        }
        ["system", "endpoint"] if get => system::endpoint(&call),
        ["users", "public"] if get => users::public_users(&call),
        ["users", "authenticatebyname"] if post => users::authenticate_by_name(&call),
        ["users"] if get => users::all_users(&call),
        ["users", _] if get => users::user(&call, req.seg(1)),
        ["users", _, "views"] if get => browse::views(&call, req.seg(1)),
        ["users", _, "items"] if get => browse::items(&call, Some(req.seg(1))),
        ["users", _, "items", "root"] if get => browse::root(&call, req.seg(1)),
        ["users", _, "items", "resume"] if get => browse::resume(&call, req.seg(1)),
        ["users", _, "items", "latest"] if get => browse::latest(&call, req.seg(1)),
        ["users", _, "items", _] if get => browse::item(&call, req.seg(1), req.seg(3)),
        ["users", _, "playeditems", _] if post => {
            browse::set_played(&call, req.seg(1), req.seg(3), true)
        }
        ["users", _, "playeditems", _] if del => {
            browse::set_played(&call, req.seg(1), req.seg(3), false)
        }
        ["users", _, "playeditems", _, "delete"] if post => {
            browse::set_played(&call, req.seg(1), req.seg(3), false)
        }
        ["users", _, "favoriteitems", _] if post => {
            browse::set_favorite(&call, req.seg(1), req.seg(3), true)
        }
        ["users", _, "favoriteitems", _] if del => {
            browse::set_favorite(&call, req.seg(1), req.seg(3), false)
        }
        ["users", _, "favoriteitems", _, "delete"] if post => {
            browse::set_favorite(&call, req.seg(1), req.seg(3), false)
        }
        ["users", _, "images", _] | ["users", _, "images", _, _] if get => {
            media::user_image(&call, req.seg(1))
        }
        ["users", _, "connect", "link"] if post => admin::link(&call, req.seg(1)),
        ["users", _, "connect", "link"] if del => admin::unlink(&call, req.seg(1)),
        ["users", _, "connect", "link", "delete"] if post => admin::unlink(&call, req.seg(1)),
        ["items"] if get => browse::items(&call, None),
        ["items", _, "images", _] | ["items", _, "images", _, _] if get => {
            media::item_image(&call, req.seg(1), req.seg(3))
        }
        ["items", _, "playbackinfo"] if get || post => media::playback_info(&call, req.seg(1)),
        ["videos", _, s] | ["audio", _, s]
            if get && (s.starts_with("stream") || *s == "universal") =>
        {
            media::stream(&call, req.seg(1), r[0] == "audio")
        }
        ["shows", "nextup"] if get => browse::next_up(&call),
        ["genres"] if get => browse::genres(&call),
        ["persons"] if get => browse::persons(&call),
        ["shows", _, "seasons"] if get => browse::show_children(&call, req.seg(1), false),
        ["shows", _, "episodes"] if get => browse::show_children(&call, req.seg(1), true),
        ["sessions", "logout"] if post => users::logout(&call),
        ["sessions", "capabilities"] | ["sessions", "capabilities", "full"] if post => {
            sessions::capabilities(&call)
        }
        ["sessions"] if get => sessions::list(&call),
        ["sessions", "playing"] if post => sessions::report(&call, "start"),
        ["sessions", "playing", which] if post => sessions::report(&call, which),
        ["sessions", _, "playing"] if post => sessions::play(&call, req.seg(1)),
        ["sessions", _, "playing", _] if post => sessions::playstate(&call, req.seg(1), req.seg(3)),
        ["connect", "exchange"] if get => users::exchange(&call),
        ["connect", "pending"] if get => admin::pending(&call),
        ["connect", "pending"] if del => admin::cancel_pending(&call),
        ["connect", "invite"] if post => admin::invite(&call),
        _ => Reply::error(
            StatusCode::NOT_FOUND,
            format!("No handler for {} /{}", req.method, req.lower.join("/")),
        ),
    }
}
