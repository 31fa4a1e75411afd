"""libtorrent (Debian's python3-libtorrent) for graytorrent's interop tests, on 127.0.0.1 only.

One-shot commands print JSON on stdout:
  create SRC OUT MODE PIECE   make a torrent of SRC (file or directory) with libtorrent;
                              MODE: v1 | padded (v1 with BEP 47 pad files) | hybrid (v1+v2) | v2
  describe FILE               what libtorrent reads from a .torrent
  verify FILE SAVE_PATH       check the data under SAVE_PATH against FILE's piece hashes
  autopiece TOTAL...          libtorrent's automatic piece length for each total size

A peer, driven over stdin and stdout until its input ends:
  seed TORRENT SAVE_DIR       SAVE_DIR holds the data: libtorrent checks it, then seeds
  leech TORRENT SAVE_DIR      libtorrent downloads into SAVE_DIR
  magnet LINK SAVE_DIR        libtorrent fetches the metadata from the link's peers (x.pe) and
                              trackers, then downloads
  options: --port P           listen on 127.0.0.1:P exactly (default: a free port)
           --upload-rate B    upload at most B bytes/s, to peers on 127.0.0.1 too
           --encryption E     default (libtorrent's: MSE enabled both ways, either level), rc4
                              (forced both ways, RC4 only) or disabled (plaintext only)
           --transport T      tcp (default: TCP only, as uTP crawls on loopback) or utp (uTP only)
A session (TCP only unless --transport utp; no DHT/LSD/UPnP; trackers on 127.0.0.1 allowed) prints one line
    ready port=P pieces=N infohash=H piece_length=L metadata_size=M
once the torrent is checked (a magnet link at once, with pieces=0 and no more), then reads
commands, one a line:
    connect PORT   dial 127.0.0.1:PORT; answers "ok"
    peers          one line "peer client=<v> address=<ip:port> encryption=<rc4|plaintext-after-mse|plaintext>
                   transport=<tcp|utp>" per connection, then "end"
    disconnects    "disconnects <n>": connections closed or refused so far
    status         "status pieces=<verified> seeding=<True|False> uploaded=<payload bytes>"
A failure prints "error <reason>" and exits non-zero.
"""
import json
import os
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

MODES = {
    "v1": lt.create_torrent.v1_only,
    "padded": lt.create_torrent.v1_only | lt.create_torrent.canonical_files,
    "hybrid": 0,
    "v2": lt.create_torrent.v2_only,
}
FLAG_LETTERS = [(lt.file_storage.flag_pad_file, "p"), (lt.file_storage.flag_executable, "x"),
                (lt.file_storage.flag_hidden, "h"), (lt.file_storage.flag_symlink, "l")]
QUIET = {"enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False}
ENCRYPTION = {
    "default": {},
    "rc4": {"out_enc_policy": int(lt.enc_policy.pe_forced), "in_enc_policy": int(lt.enc_policy.pe_forced),
            "allowed_enc_level": int(lt.enc_level.pe_rc4)},
    "disabled": {"out_enc_policy": int(lt.enc_policy.pe_disabled), "in_enc_policy": int(lt.enc_policy.pe_disabled)},
}


def create(src, out, mode, piece):
    files = lt.file_storage()
    lt.add_files(files, src)
    creator = lt.create_torrent(files, int(piece), flags=MODES[mode])
    lt.set_piece_hashes(creator, os.path.dirname(os.path.abspath(src)))
    with open(out, "wb") as f:
        f.write(lt.bencode(creator.generate()))
    return describe(out)


def describe(path):
    info = lt.torrent_info(path)
    files = info.files()
    hashes = info.info_hashes()
    return {
        "infohash": str(hashes.v1) if hashes.has_v1() else None,
        "infohash_v2": str(hashes.v2) if hashes.has_v2() else None,
        "name": info.name(),
        "piece_length": info.piece_length(),
        "pieces": [info.hash_for_piece(i).hex() for i in range(info.num_pieces())] if hashes.has_v1() else [],
        "total_size": info.total_size(),
        "files": [{
            "path": files.file_path(i),
            "size": files.file_size(i),
            "offset": files.file_offset(i),
            "attributes": "".join(letter for flag, letter in FLAG_LETTERS if files.file_flags(i) & flag),
            "root": str(files.root(i)) if hashes.has_v2() else None,
        } for i in range(files.num_files())],
        "trackers": [{"url": t.url, "tier": t.tier} for t in info.trackers()],
        "web_seeds": [seed["url"] for seed in info.web_seeds()],
        "private": info.priv(),
    }


def verify(path, save_path):
    """Adds the torrent to a session that talks to no one and waits for the hash check."""
    session = lt.session(dict(QUIET, listen_interfaces="127.0.0.1:0", alert_mask=0))
    handle = session.add_torrent({"ti": lt.torrent_info(path), "save_path": save_path})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = handle.status()
        if status.state in (lt.torrent_status.seeding, lt.torrent_status.downloading, lt.torrent_status.finished):
            break
        time.sleep(0.05)
    status = handle.status()
    return {"state": str(status.state), "num_pieces": status.num_pieces,
            "total": handle.torrent_file().num_pieces()}


def autopiece(totals):
    result = []
    for total in totals:
        files = lt.file_storage()
        files.add_file("t/f", int(total))
        result.append(lt.create_torrent(files, 0, flags=lt.create_torrent.v1_only).piece_length())
    return result


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --transport: which of TCP and uTP the session speaks, both ways
TRANSPORT = {
    "tcp": {"enable_outgoing_utp": False, "enable_incoming_utp": False},  # uTP crawls on loopback
    "utp": {"enable_outgoing_tcp": False, "enable_incoming_tcp": False},
}
UTP_FLAG = 1 << 17  # peer_info's utp_socket flag, which the binding has no constant for


def open_session(port, upload_rate, encryption, transport="tcp"):
    for _ in range(1 if port else 5):
        listen = port or free_port()
        settings = lt.high_performance_seed()
        settings.update(QUIET)
        settings.update({
            "listen_interfaces": "127.0.0.1:%d" % listen,
            "max_retry_port_bind": 0,  # never silently take another port: tests dial this one
            "allow_multiple_connections_per_ip": True,  # every test peer is 127.0.0.1
            "tick_interval": 100,
            "max_failcount": 5,
            "min_reconnect_time": 1,
            "ssrf_mitigation": False,  # trackers on 127.0.0.1
            "upload_rate_limit": upload_rate,
            "alert_mask": int(lt.alert.category_t.connect_notification | lt.alert.category_t.peer_notification
                              | lt.alert.category_t.error_notification),
        })
        settings.update(ENCRYPTION[encryption])
        settings.update(TRANSPORT[transport])
        session = lt.session(settings)
        if upload_rate:
            # libtorrent exempts local peers (its "local" peer class) from rate limits; put everyone
            # in the global class so the limit holds on 127.0.0.1 too
            everyone = lt.ip_filter()
            everyone.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
            session.set_peer_class_filter(everyone)
        if session.listen_port() == listen:
            return session, listen
        del session
    fail("libtorrent did not bind %s on 127.0.0.1" % (port or "a free port"))


def peer(mode, source, save_dir, options):
    port = int(options.get("--port", 0))
    encryption = options.get("--encryption", "default")
    if encryption not in ENCRYPTION:
        fail("--encryption takes one of %s" % ", ".join(ENCRYPTION), 1)
    transport = options.get("--transport", "tcp")
    if transport not in TRANSPORT:
        fail("--transport takes one of %s" % ", ".join(TRANSPORT), 1)
    session, port = open_session(port, int(options.get("--upload-rate", 0)), encryption, transport)
    if mode == "magnet":
        params = lt.parse_magnet_uri(source)
        params.save_path = save_dir
        handle = session.add_torrent(params)
        print("ready port=%d pieces=0" % port, flush=True)
        serve(session, handle)
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
    print("ready port=%d pieces=%d infohash=%s piece_length=%d metadata_size=%d" % (
        port, info.num_pieces(), info.info_hashes().v1, info.piece_length(), len(info.info_section())), flush=True)
    serve(session, handle)


def encryption_of(connected):
    if connected.flags & lt.peer_info.rc4_encrypted:
        return "rc4"
    if connected.flags & lt.peer_info.plaintext_encrypted:
        return "plaintext-after-mse"
    return "plaintext"


def serve(session, handle):
    disconnects = 0
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["connect"]:
            handle.connect_peer(("127.0.0.1", int(words[1])))
            print("ok", flush=True)
        elif words == ["peers"]:
            for connected in handle.get_peer_info():
                client = connected.client
                if isinstance(client, bytes):
                    client = client.decode("utf-8", "replace")
                print("peer client=%s address=%s:%d encryption=%s transport=%s" % (
                    client.replace(" ", "_"), connected.ip[0], connected.ip[1], encryption_of(connected),
                    "utp" if int(connected.flags) & UTP_FLAG else "tcp"), flush=True)
            print("end", flush=True)
        elif words == ["disconnects"]:
            disconnects += sum(1 for alert in session.pop_alerts() if isinstance(alert, lt.peer_disconnected_alert))
            print("disconnects %d" % disconnects, flush=True)
        elif words == ["status"]:
            s = handle.status()
            print("status pieces=%d seeding=%s uploaded=%d" % (s.num_pieces, s.is_seeding, s.total_payload_upload),
                  flush=True)
        else:
            print("error unknown command: " + line.strip(), flush=True)


def main(args):
    command = args[0] if args else ""
    if command in ("seed", "leech", "magnet"):
        if len(args) < 3 or len(args) % 2 == 0:
            fail("usage: %s SOURCE SAVE_DIR [--port P] [--upload-rate B] [--encryption E] [--transport tcp|utp]" % command, 1)
        peer(command, args[1], args[2], dict(zip(args[3::2], args[4::2])))
        return
    if command == "create":
        result = create(*args[1:5])
    elif command == "describe":
        result = describe(args[1])
    elif command == "verify":
        result = verify(args[1], args[2])
    elif command == "autopiece":
        result = autopiece(args[1:])
    else:
        fail("unknown command %r: see the docstring of %s" % (command, sys.argv[0]), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
