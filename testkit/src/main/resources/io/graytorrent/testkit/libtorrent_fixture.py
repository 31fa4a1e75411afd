"""libtorrent (Debian's python3-libtorrent) for graytorrent's interop tests, on 127.0.0.1 only.

One-shot commands print JSON on stdout:
  create SRC OUT MODE PIECE [WEB_SEED]
                              make a torrent of SRC (file or directory) with libtorrent;
                              MODE: v1 | padded (v1 with BEP 47 pad files) | hybrid (v1+v2) | v2;
                              WEB_SEED: a BEP 19 url-list entry
  describe FILE               what libtorrent reads from a .torrent
  verify FILE SAVE_PATH       check the data under SAVE_PATH against FILE's piece hashes
  autopiece TOTAL...          libtorrent's automatic piece length for each total size

A peer, driven over stdin and stdout until its input ends:
  seed TORRENT SAVE_DIR       SAVE_DIR holds the data: libtorrent checks it, then seeds
  leech TORRENT SAVE_DIR      libtorrent downloads into SAVE_DIR
  magnet LINK SAVE_DIR        libtorrent fetches the metadata from the link's peers (x.pe) and
                              trackers (and with --dht-node, the DHT), then downloads
  dht - -                     a DHT node and no torrent, joined by others or joining --dht-node
  options: --port P           listen on 127.0.0.1:P exactly (default: a free port)
           --address IP       listen on IP (a loopback address such as 127.0.2.1) instead of 127.0.0.1,
                              and dial from it
           --dht-node A:P,... turn the DHT on (no router, loopback allowed) and join these nodes
           --skip-all         want no file (priority 0): the peer downloads nothing, as a PEX middleman
           --no-pex           take no peers from PEX messages (the torrent's disable_pex flag): as a
                              holepunch target, it learns of the initiator only from the relay's connect
           --keep-redundant   keep connections between peers that want nothing from each other
                              (close_redundant_connections off; --skip-all implies it)
           --upload-rate B    upload at most B bytes/s, to peers on 127.0.0.1 too
           --encryption E     default (libtorrent's: MSE enabled both ways, either level), rc4
                              (forced both ways, RC4 only) or disabled (plaintext only)
           --lsd on           local service discovery (BEP 14) on: announces on 127.0.0.1's
                              multicast, takes peers from others' announces (in a network
                              namespace of the test's own)
           --transport T      tcp (default: TCP only, as uTP crawls on loopback), utp (uTP only) or both
                              (libtorrent's own default: uTP dialled first, TCP when it gets no answer)
A session (TCP only unless --transport utp or both; no LSD/UPnP unless asked, DHT only in mode dht or with
--dht-node; trackers on 127.0.0.1 allowed) prints one line
    ready port=P pieces=N infohash=H piece_length=L metadata_size=M
once the torrent is checked (a magnet link at once, with pieces=0 and no more), then reads
commands, one a line:
    connect PORT [IP]  dial IP:PORT (default 127.0.0.1); answers "ok"
    peers          one line "peer client=<v> address=<ip:port> encryption=<rc4|plaintext-after-mse|plaintext>
                   source=<tracker,dht,pex,lsd,resume_data,incoming or -> transport=<tcp|utp>
                   holepunched=<yes|no> state=<connecting|handshake|connected>" per connection (holepunched:
                   dialled on a BEP 55 connect; state: connected once the BitTorrent handshake is done), then "end"
    disconnects    "disconnects <n>": connections closed or refused so far
    accepted       "accepted <n>": TCP connections accepted on the listen port so far
    status         "status pieces=<verified> seeding=<True|False> uploaded=<payload bytes>"; once seeding,
                   answered after libtorrent's writes have reached the files
    dht-nodes      "dht-nodes <n>": nodes in the DHT routing table
    dht-announce   announce the torrent to the DHT now; answers "ok"
    dht-peers HEX  a DHT get_peers lookup of infohash HEX: "dht-peers <ip:port>..." (up to 8 s)
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


def create(src, out, mode, piece, web_seed=None):
    files = lt.file_storage()
    lt.add_files(files, src)
    creator = lt.create_torrent(files, int(piece), flags=MODES[mode])
    if web_seed:
        creator.add_url_seed(web_seed)
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


def free_port_on(address):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((address, 0))
        return s.getsockname()[1]


# --transport: which of TCP and uTP the session speaks, both ways
TRANSPORT = {
    "tcp": {"enable_outgoing_utp": False, "enable_incoming_utp": False},  # uTP crawls on loopback
    "utp": {"enable_outgoing_tcp": False, "enable_incoming_tcp": False},
    "both": {},
}
UTP_FLAG = 1 << 17  # peer_info's utp_socket flag, which the binding has no constant for


def open_session(port, upload_rate, encryption, lsd=False, address="127.0.0.1", keep_redundant=False,
                 dht=False, dht_nodes=(), transport="tcp"):
    for _ in range(1 if port else 5):
        listen = port or free_port_on(address)
        settings = lt.high_performance_seed()
        settings.update(QUIET)
        settings.update({
            "listen_interfaces": "%s:%d" % (address, listen),
            "max_retry_port_bind": 0,  # never silently take another port: tests dial this one
            "allow_multiple_connections_per_ip": True,  # every test peer is 127.0.0.1
            "tick_interval": 100,
            "max_failcount": 5,
            "min_reconnect_time": 1,
            "ssrf_mitigation": False,  # trackers on 127.0.0.1
            "upload_rate_limit": upload_rate,
            "alert_mask": int(lt.alert.category_t.connect_notification | lt.alert.category_t.peer_notification
                              | lt.alert.category_t.error_notification | lt.alert.category_t.storage_notification),
        })
        settings.update(ENCRYPTION[encryption])
        settings.update(TRANSPORT[transport])
        settings["enable_lsd"] = lsd
        if keep_redundant:
            settings["close_redundant_connections"] = False
        if address != "127.0.0.1":
            # dial from the own address too, or peers see 127.0.0.1 and pass that on in PEX
            settings["outgoing_interfaces"] = address
        if dht:
            # see shared/INTEROP-NOTES.md: no router (its name would delay the start), loopback allowed
            settings.update({"enable_dht": True, "dht_bootstrap_nodes": "", "dht_restrict_routing_ips": False,
                             "dht_restrict_search_ips": False})
            settings["alert_mask"] |= int(lt.alert.category_t.dht_notification
                                          | lt.alert.category_t.dht_operation_notification
                                          | lt.alert.category_t.status_notification)
        session = lt.session(settings)
        for node in dht_nodes:
            host, node_port = node.rsplit(":", 1)
            session.add_dht_node((host, int(node_port)))
        if upload_rate:
            # libtorrent exempts local peers (its "local" peer class) from rate limits; put everyone
            # in the global class so the limit holds on 127.0.0.1 too
            everyone = lt.ip_filter()
            everyone.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
            session.set_peer_class_filter(everyone)
        if session.listen_port() == listen:
            return session, listen
        del session
    fail("libtorrent did not bind %s on %s" % (port or "a free port", address))


def peer(mode, source, save_dir, options):
    port = int(options.get("--port", 0))
    encryption = options.get("--encryption", "default")
    if encryption not in ENCRYPTION:
        fail("--encryption takes one of %s" % ", ".join(ENCRYPTION), 1)
    address = options.get("--address", "127.0.0.1")
    skip_all = "--skip-all" in options
    keep_redundant = skip_all or "--keep-redundant" in options
    transport = options.get("--transport", "tcp")
    if transport not in TRANSPORT:
        fail("--transport takes one of %s" % ", ".join(TRANSPORT), 1)
    dht_nodes = [node for node in options.get("--dht-node", "").split(",") if node]
    session, port = open_session(port, int(options.get("--upload-rate", 0)), encryption,
                                 options.get("--lsd", "off") == "on", address, keep_redundant,
                                 mode == "dht" or bool(dht_nodes), dht_nodes, transport)
    if mode == "dht":
        print("ready port=%d pieces=0" % port, flush=True)
        serve(session, None)
        return
    if mode == "magnet":
        params = lt.parse_magnet_uri(source)
        params.save_path = save_dir
        handle = session.add_torrent(params)
        print("ready port=%d pieces=0" % port, flush=True)
        serve(session, handle)
        return
    info = lt.torrent_info(source)
    params = {"ti": info, "save_path": save_dir}
    if skip_all:
        params["file_priorities"] = [0] * info.num_files()
    handle = session.add_torrent(params)
    if "--no-pex" in options:
        handle.set_flags(lt.torrent_flags.disable_pex, lt.torrent_flags.disable_pex)
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


ENCRYPTIONS = [(lt.peer_info.rc4_encrypted, "rc4"), (lt.peer_info.plaintext_encrypted, "plaintext-after-mse")]
STATES = [(lt.peer_info.connecting, "connecting"), (lt.peer_info.handshake, "handshake")]


def first_flag(connected, named, otherwise):
    """The name of the first (flag, name) pair whose flag the connection's peer_info has, else otherwise."""
    return next((name for flag, name in named if connected.flags & flag), otherwise)


def count_alerts(session, counts):
    """Adds the alerts that arrived since the last call to counts (by alert type name)."""
    for alert in session.pop_alerts():
        name = type(alert).__name__
        counts[name] = counts.get(name, 0) + 1


def flushed(session, handle, counts):
    """Waits (5 s at most) until the data has reached the files: libtorrent may say it seeds before its last writes."""
    before = counts.get("cache_flushed_alert", 0)
    handle.flush_cache()
    deadline = time.time() + 5
    while counts.get("cache_flushed_alert", 0) == before and time.time() < deadline:
        session.wait_for_alert(100)
        count_alerts(session, counts)


SOURCES = [(lt.peer_info.tracker, "tracker"), (lt.peer_info.dht, "dht"), (lt.peer_info.pex, "pex"),
           (lt.peer_info.lsd, "lsd"), (lt.peer_info.resume_data, "resume_data"), (32, "incoming")]


def sources_of(connected):
    return ",".join(name for bit, name in SOURCES if connected.source & bit) or "-"


def serve(session, handle):
    counts = {}
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["connect"]:
            handle.connect_peer((words[2] if len(words) > 2 else "127.0.0.1", int(words[1])))
            print("ok", flush=True)
        elif words == ["peers"]:
            for connected in handle.get_peer_info():
                client = connected.client
                if isinstance(client, bytes):
                    client = client.decode("utf-8", "replace")
                flags = int(connected.flags)
                print("peer client=%s address=%s:%d encryption=%s source=%s transport=%s holepunched=%s state=%s" % (
                    client.replace(" ", "_"), connected.ip[0], connected.ip[1],
                    first_flag(connected, ENCRYPTIONS, "plaintext"), sources_of(connected),
                    "utp" if flags & UTP_FLAG else "tcp", "yes" if flags & int(lt.peer_info.holepunched) else "no",
                    first_flag(connected, STATES, "connected")), flush=True)
            print("end", flush=True)
        elif words == ["disconnects"]:
            count_alerts(session, counts)
            print("disconnects %d" % counts.get("peer_disconnected_alert", 0), flush=True)
        elif words == ["accepted"]:
            count_alerts(session, counts)
            print("accepted %d" % counts.get("incoming_connection_alert", 0), flush=True)
        elif words == ["dht-nodes"]:
            print("dht-nodes %d" % dht_nodes(session), flush=True)
        elif words == ["dht-announce"]:
            handle.force_dht_announce()
            print("ok", flush=True)
        elif words[:1] == ["dht-peers"] and len(words) == 2:
            print("dht-peers " + " ".join(dht_peers(session, words[1])), flush=True)
        elif words == ["status"]:
            s = handle.status()
            if s.is_seeding:
                flushed(session, handle, counts)
            print("status pieces=%d seeding=%s uploaded=%d" % (s.num_pieces, s.is_seeding, s.total_payload_upload),
                  flush=True)
        else:
            print("error unknown command: " + line.strip(), flush=True)


def dht_nodes(session):
    session.post_dht_stats()
    deadline = time.time() + 5
    while time.time() < deadline:
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_stats_alert):
                return sum(bucket["num_nodes"] for bucket in alert.routing_table)
        time.sleep(0.05)
    fail("no DHT stats from libtorrent within 5 s")


def dht_peers(session, infohash):
    session.dht_get_peers(lt.sha1_hash(bytes.fromhex(infohash)))
    deadline = time.time() + 8  # within LibtorrentPeer's 10 s for an answer
    found = set()
    while time.time() < deadline:
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_get_peers_reply_alert):
                found.update("%s:%d" % peer for peer in alert.peers())
                return sorted(found)
        time.sleep(0.05)
    return sorted(found)


def main(args):
    command = args[0] if args else ""
    if command in ("seed", "leech", "magnet", "dht"):
        flags = [a for a in args[3:] if a in ("--skip-all", "--keep-redundant", "--no-pex")]
        valued = [a for a in args[3:] if a not in flags]
        if len(args) < 3 or len(valued) % 2 == 1:
            fail("usage: %s SOURCE SAVE_DIR [--port P] [--address IP] [--dht-node A:P,...] [--upload-rate B] [--encryption E] [--lsd on] [--skip-all] [--keep-redundant] [--no-pex] [--transport tcp|utp|both]"
                 % command, 1)
        options = dict(zip(valued[0::2], valued[1::2]))
        options.update({flag: True for flag in flags})
        peer(command, args[1], args[2], options)
        return
    if command == "create":
        result = create(*args[1:6])
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
