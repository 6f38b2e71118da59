"""jellyfin-apiclient-python against a simulated server: connect to one address, sign in
by name, list the views. argv: URL USER PASSWORD. Prints one JSON object."""
import json
import logging
import sys

logging.basicConfig(level=logging.CRITICAL)

from jellyfin_apiclient_python import JellyfinClient  # noqa: E402


def main():
    url, user, password = sys.argv[1:4]
    client = JellyfinClient()
    client.config.app("emby-tui-peer", "1.0.0", "peer-test", "peer-device-python")
    client.config.data["auth.ssl"] = False
    state = client.auth.connect_to_address(url)
    result = client.auth.login(url, user, password)
    views = client.jellyfin.get_views()
    print(json.dumps({
        "state": str(state.get("State")) if isinstance(state, dict) else str(state),
        "signed_in_user": (result or {}).get("User", {}).get("Name"),
        "server_id": (result or {}).get("ServerId"),
        "views": [v.get("Name") for v in views.get("Items", [])],
    }))


if __name__ == "__main__":
    main()
