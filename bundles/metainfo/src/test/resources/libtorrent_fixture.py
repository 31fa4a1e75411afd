"""Drives libtorrent for graytorrent's metainfo interop tests; prints JSON on stdout.

  create SRC OUT MODE PIECE   make a torrent of SRC (file or directory) with libtorrent;
                              MODE: v1 | padded (v1 with BEP 47 pad files) | hybrid (v1+v2) | v2
  describe FILE               what libtorrent reads from a .torrent
  verify FILE SAVE_PATH       check the data under SAVE_PATH against FILE's piece hashes
  autopiece TOTAL...          libtorrent's automatic piece length for each total size
"""
import json
import os
import sys
import time

import libtorrent as lt

MODES = {
    "v1": lt.create_torrent.v1_only,
    "padded": lt.create_torrent.v1_only | lt.create_torrent.canonical_files,
    "hybrid": 0,
    "v2": lt.create_torrent.v2_only,
}
FLAG_LETTERS = [(lt.file_storage.flag_pad_file, "p"), (lt.file_storage.flag_executable, "x"),
                (lt.file_storage.flag_hidden, "h"), (lt.file_storage.flag_symlink, "l")]


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
    session = lt.session({
        "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False, "alert_mask": 0,
    })
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


def main(args):
    command = args[0]
    if command == "create":
        result = create(*args[1:5])
    elif command == "describe":
        result = describe(args[1])
    elif command == "verify":
        result = verify(args[1], args[2])
    elif command == "autopiece":
        result = autopiece(args[1:])
    else:
        raise SystemExit("unknown command " + command)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
