//! `/System/Info/Public`, `/System/Info`, `/System/Endpoint`.

use serde_json::{Value, json};

use super::{Call, tri};
use crate::sim::AddressKind;
use crate::sim::reply::Reply;
use crate::sim::world::ServerData;

fn public_json(s: &ServerData) -> Value {
    json!({
        "LocalAddress": s.local_url,
        "LocalAddresses": [s.local_url],
        "WanAddress": s.remote_url,
        "RemoteAddresses": [s.remote_url],
        "ServerName": s.name,
        "Version": s.version,
        "Id": s.id,
    })
}

/// Anonymous identity probe (`PublicSystemInfo`).
pub fn public_info(call: &Call) -> Reply {
    let world = call.shared.world();
    let s = tri!(call.data(&world));
    Reply::ok(public_json(s))
}

/// Full `SystemInfo` (needs a token).
pub fn info(call: &Call) -> Reply {
    let world = call.shared.world();
    tri!(call.caller(&world));
    let s = tri!(call.data(&world));
    let mut v = public_json(s);
    let port = s
        .local_url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(8096);
    let extra = json!({
        "SystemUpdateLevel": "Release",
        "OperatingSystemDisplayName": "Linux (emby-sim)",
        "PackageName": "emby-sim",
        "HasPendingRestart": false,
        "IsShuttingDown": false,
        "HasImageEnhancers": false,
        "OperatingSystem": "Linux",
        "SupportsLibraryMonitor": true,
        "SupportsLocalPortConfiguration": true,
        "SupportsWakeServer": false,
        "WebSocketPortNumber": port,
        "CompletedInstallations": [],
        "CanSelfRestart": false,
        "CanSelfUpdate": false,
        "CanLaunchWebBrowser": false,
        "ProgramDataPath": "/var/lib/emby-sim",
        "ItemsByNamePath": "/var/lib/emby-sim/metadata",
        "CachePath": "/var/cache/emby-sim",
        "LogPath": "/var/log/emby-sim",
        "InternalMetadataPath": "/var/lib/emby-sim/metadata",
        "TranscodingTempPath": "/var/cache/emby-sim/transcoding",
        "HttpServerPortNumber": port,
        "SupportsHttps": false,
        "HttpsPortNumber": 8920,
        "HasUpdateAvailable": false,
        "SupportsAutoRunAtStartup": false,
        "HardwareAccelerationRequiresPremiere": false,
    });
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        m.extend(e);
    }
    Reply::ok(v)
}

/// `{IsLocal, IsInNetwork}`: true on the LocalAddress listener.
pub fn endpoint(call: &Call) -> Reply {
    let world = call.shared.world();
    tri!(call.caller(&world));
    let local = call.kind == AddressKind::Local;
    Reply::ok(json!({"IsLocal": local, "IsInNetwork": local}))
}
