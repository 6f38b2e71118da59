#!/usr/bin/env python3
"""A stand-in for mpv that speaks its JSON IPC, so tests never need a real media player.

It takes mpv's options (`--input-ipc-server=PATH`, `--start=S`, `--force-media-title=T`, and a
positional URL when the template has `{url}`), answers the IPC commands emby-tui sends
(`observe_property`, `set_property http-header-fields`, `loadfile`, `get_property`, `quit`)
the way mpv does, fetches the first bytes of the stream with the headers it was given (as mpv
would; a refused fetch ends the file with reason "error"), then plays a scripted timeline.

Environment (or the options --fake-plan=, --fake-log=, --fake-tick-ms=, which win; tests that
run in one process use those):
  FAKE_MPV_PLAN  comma list of steps (default "play:5,quit"):
                 play:N   N seconds of media, one `time-pos` change per second
                 pause / unpause   the `pause` property changes
                 seek:S   a seek to S seconds (`seek`, then `playback-restart`)
                 eof      the end of the file (`eof-reached`, `end-file` reason eof), then exit
                 quit     the user quits (`end-file` reason quit), then exit
                 hold     wait until emby-tui sends `quit`
                 key      wait for a line on standard input (the terminal, when it was lent)
                 exit:C   exit at once with status C (no IPC goodbye); as the first step,
                          before the IPC socket is even opened (a player that fails to start)
  FAKE_MPV_TICK_MS  real milliseconds per second of media (default 5)
  FAKE_MPV_LOG   a file to append JSON lines to: its argv, every command, the stream fetch
"""
import json
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request



def setting(name, env, default):
    for a in sys.argv[1:]:
        if a.startswith(f"--{name}="):
            return a.split("=", 1)[1]
    return os.environ.get(env, default)


LOG = setting("fake-log", "FAKE_MPV_LOG", None)
TICK = float(setting("fake-tick-ms", "FAKE_MPV_TICK_MS", "5")) / 1000.0
PLAN = [s for s in setting("fake-plan", "FAKE_MPV_PLAN", "play:5,quit").split(",") if s]


def log(entry):
    if LOG:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


def option(name):
    for a in sys.argv[1:]:
        if a.startswith(f"--{name}="):
            return a.split("=", 1)[1]
    return None


def positional():
    for a in sys.argv[1:]:
        if not a.startswith("--"):
            return a
    return None


def fetch(url, headers):
    """The first 16 bytes of the stream, as mpv would read them; the HTTP status."""
    req = urllib.request.Request(url, headers={"Range": "bytes=0-15", **headers})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            head = r.read(16)
            log({"fetch": r.status, "head": head[:9].decode("latin-1")})
            return r.status
    except urllib.error.HTTPError as e:
        log({"fetch": e.code})
        return e.code
    except Exception as e:  # noqa: BLE001 - report anything as a failed fetch
        log({"fetch": 0, "error": str(e)})
        return 0


class Player:
    def __init__(self, conn):
        self.conn = conn
        self.lock = threading.Lock()
        self.headers = {}
        self.loaded = threading.Event()
        self.quit = threading.Event()
        self.pos = float(option("start") or 0)
        self.observed = {}

    def send(self, obj):
        with self.lock:
            try:
                self.conn.sendall((json.dumps(obj) + "\n").encode())
            except OSError:
                pass

    def prop(self, name, data):
        if name in self.observed:
            self.send({"event": "property-change", "id": self.observed[name], "name": name, "data": data})

    def load(self, url):
        status = fetch(url, self.headers)
        if status not in (200, 206):
            self.send({"event": "end-file", "reason": "error", "file_error": f"loading failed (HTTP {status})"})
            return
        self.send({"event": "start-file"})
        self.send({"event": "file-loaded"})
        self.prop("time-pos", self.pos)
        self.loaded.set()

    def read(self):
        buf = b""
        while not self.quit.is_set():
            try:
                chunk = self.conn.recv(4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.strip():
                    self.command(json.loads(line))
        self.quit.set()

    def command(self, msg):
        log({"command": msg["command"]})
        cmd = msg["command"]
        rid = msg.get("request_id", 0)
        name = cmd[0]
        reply = {"request_id": rid, "error": "success", "data": None}
        if name == "observe_property":
            self.observed[cmd[2]] = cmd[1]
            self.send(reply)
            initial = {"time-pos": None, "pause": False, "eof-reached": False, "duration": None}
            self.prop(cmd[2], initial.get(cmd[2]))
            return
        if name == "set_property" and cmd[1] == "http-header-fields":
            for field in cmd[2]:
                k, v = field.split(":", 1)
                self.headers[k.strip()] = v.strip()
            self.send(reply)
            return
        if name == "loadfile":
            self.send(reply)
            threading.Thread(target=self.load, args=(cmd[1],), daemon=True).start()
            return
        if name == "get_property":
            reply["data"] = self.pos if cmd[1] == "time-pos" else None
            self.send(reply)
            return
        if name == "quit":
            self.send(reply)
            self.send({"event": "end-file", "reason": "quit"})
            self.quit.set()
            return
        self.send(reply)

    def run_plan(self):
        for step in PLAN:
            if self.quit.is_set():
                return
            kind, _, arg = step.partition(":")
            if kind == "play":
                for _ in range(int(arg)):
                    if self.quit.wait(TICK):
                        return
                    self.pos += 1
                    self.prop("time-pos", self.pos)
            elif kind == "pause":
                self.prop("pause", True)
            elif kind == "unpause":
                self.prop("pause", False)
            elif kind == "seek":
                self.send({"event": "seek"})
                self.pos = float(arg)
                self.prop("time-pos", self.pos)
                self.send({"event": "playback-restart"})
            elif kind == "eof":
                # the file it played ends here (mpv knows the length from the file)
                self.prop("duration", self.pos)
                self.prop("eof-reached", True)
                self.send({"event": "end-file", "reason": "eof"})
                return
            elif kind == "quit":
                self.send({"event": "end-file", "reason": "quit"})
                return
            elif kind == "hold":
                log({"hold": self.pos})
                self.quit.wait(60)
                return
            elif kind == "key":
                print("fake mpv: press q and Enter to stop", flush=True)
                line = sys.stdin.readline()
                log({"key": line.strip()})
            elif kind == "exit":
                os._exit(int(arg))
            time.sleep(TICK)


def without_ipc(url):
    """A player emby-tui cannot talk to: it fetches the URL and plays for a while."""
    if url:
        fetch(url, {})
    for step in PLAN:
        kind, _, arg = step.partition(":")
        if kind == "play":
            time.sleep(TICK * int(arg))
        elif kind == "exit":
            sys.exit(int(arg))


def main():
    log({"argv": sys.argv[1:]})
    print(f"fake mpv playing {option('force-media-title') or ''}", flush=True)
    if PLAN and PLAN[0].startswith("exit:"):
        sys.exit(int(PLAN[0].split(":", 1)[1]))
    path = option("input-ipc-server")
    url = positional()
    if not path:
        without_ipc(url)
        return
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    server.settimeout(20)
    conn, _ = server.accept()
    conn.settimeout(None)
    p = Player(conn)
    reader = threading.Thread(target=p.read, daemon=True)
    reader.start()
    if url:
        # the URL came on the command line: it is loaded at start, as mpv does
        threading.Thread(target=p.load, args=(url,), daemon=True).start()
    while not p.loaded.wait(0.05):
        if p.quit.is_set():
            break
    if p.loaded.is_set():
        p.run_plan()
    # mpv closes the socket as it exits
    p.quit.set()
    time.sleep(0.05)
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
