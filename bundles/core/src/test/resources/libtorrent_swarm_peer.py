#!/usr/bin/python3
"""A libtorrent peer for graytorrent's engine interop tests.

usage: libtorrent_swarm_peer.py seed|leech TORRENT_FILE SAVE_DIR
       libtorrent_swarm_peer.py magnet MAGNET_LINK SAVE_DIR

seed: SAVE_DIR already holds the torrent's data; libtorrent checks it and seeds.
leech: libtorrent downloads the torrent into SAVE_DIR.
magnet: libtorrent fetches the metadata from the link's peers (x.pe) and trackers, then downloads.
A session listening on 127.0.0.1 only (TCP, no DHT/LSD/UPnP/uTP; trackers on 127.0.0.1 allowed)
prints one line
    ready port=P pieces=N
once the torrent is checked (a magnet link at once, with pieces=0), then reads commands from
stdin, one a line:
    connect PORT   dial 127.0.0.1:PORT; answers "ok"
    status         "status pieces=<verified> seeding=<True|False> uploaded=<payload bytes>"
It exits at end of input. A failure prints "error <reason>" and exits non-zero.
"""
import socket
import sys
import time


def fail(reason, code=2):
    print("error " + reason, flush=True)
    sys.exit(code)


try:
    import libtorrent as lt
except ImportError as e:
    fail("the python3 libtorrent module is missing (apt-get install python3-libtorrent): %s" % e, 3)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_session():
    for _ in range(5):
        port = free_port()
        settings = lt.high_performance_seed()
        settings.update({
            "listen_interfaces": "127.0.0.1:%d" % port,
            "max_retry_port_bind": 0,
            "enable_outgoing_utp": False,
            "enable_incoming_utp": False,
            "enable_dht": False,
            "enable_lsd": False,
            "enable_upnp": False,
            "enable_natpmp": False,
            "allow_multiple_connections_per_ip": True,
            "tick_interval": 100,
            "max_failcount": 5,
            "min_reconnect_time": 1,
            "ssrf_mitigation": False,
        })
        session = lt.session(settings)
        if session.listen_port() == port:
            return session, port
        del session
    fail("libtorrent did not bind a free port on 127.0.0.1")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("seed", "leech", "magnet"):
        fail("usage: libtorrent_swarm_peer.py seed|leech TORRENT_FILE SAVE_DIR | magnet MAGNET_LINK SAVE_DIR", 1)
    mode, source, save_dir = sys.argv[1:]
    session, port = open_session()
    if mode == "magnet":
        params = lt.parse_magnet_uri(source)
        params.save_path = save_dir
        handle = session.add_torrent(params)
        print("ready port=%d pieces=0" % port, flush=True)
        serve(handle)
        return
    info = lt.torrent_info(source)
    handle = session.add_torrent({"ti": info, "save_path": save_dir})
    deadline = time.time() + 60
    while handle.status().state in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data):
        if time.time() > deadline:
            fail("torrent still checking after 60 s")
        time.sleep(0.05)
    if mode == "seed" and not handle.status().is_seeding:
        fail("seed data incomplete: %d of %d pieces" % (handle.status().num_pieces, info.num_pieces()))
    print("ready port=%d pieces=%d" % (port, info.num_pieces()), flush=True)
    serve(handle)


def serve(handle):
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["connect"]:
            handle.connect_peer(("127.0.0.1", int(words[1])))
            print("ok", flush=True)
        elif words == ["status"]:
            s = handle.status()
            print("status pieces=%d seeding=%s uploaded=%d" % (s.num_pieces, s.is_seeding, s.total_payload_upload),
                  flush=True)
        else:
            print("error unknown command: " + line.strip(), flush=True)


main()
