"""The benchmark's torrents: random data, a v1, v2-only or hybrid torrent made by libtorrent, and verification of
downloads."""
import hashlib
import json
import os
import shutil

import libtorrent as lt

CHUNK = 4 << 20
# a case's torrent version: the flags libtorrent's create_torrent makes it with (0 makes a hybrid)
VERSIONS = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}


class Case:
    """A torrent to measure: total MiB, piece KiB, files (1 = a single-file torrent) and version (v1, v2 or
    hybrid; v1 unless the case says otherwise)."""

    def __init__(self, mib, piece_kib, files, version="v1"):
        if mib <= 0 or piece_kib <= 0 or piece_kib & (piece_kib - 1) or files <= 0:
            raise ValueError("a case is MIB:PIECE_KIB:FILES with positive numbers and a power-of-two piece size")
        if version not in VERSIONS:
            raise ValueError("a case's version is one of %s, not %r" % (", ".join(VERSIONS), version))
        self.mib, self.piece_kib, self.files, self.version = mib, piece_kib, files, version
        # the data is the version's too: v1 and v2 cases of one size are measured on different random bytes,
        # each generated once per work directory
        self.name = "t%dm-p%dk-f%d" % (mib, piece_kib, files) + ("" if version == "v1" else "-" + version)
        self.torrent = self.data_dir = None
        self.digests = {}  # path relative to a save directory -> SHA-1 hex

    @staticmethod
    def parse(text):
        parts = text.split(":")
        try:
            mib, piece_kib, files = (int(part) for part in parts[:3])
            return Case(mib, piece_kib, files, *parts[3:4]) if len(parts) in (3, 4) else Case(0, 0, 0)
        except ValueError:
            raise SystemExit("a case is MIB:PIECE_KIB:FILES[:v1|v2|hybrid], e.g. 256:256:8 or 1024:1024:1:v2, not %r" % text)

    def __str__(self):
        return "%d MiB, %d KiB pieces, %d file%s%s" % (self.mib, self.piece_kib, self.files, "s" if self.files > 1 else "",
                                                      "" if self.version == "v1" else ", " + self.version)

    def file_sizes(self):
        total = self.mib << 20
        if self.files == 1:
            return [total]
        # uneven sizes, so pieces straddle file boundaries at odd offsets
        base = total // self.files
        sizes = [base + (12345 if i % 2 == 0 else -12345) for i in range(self.files - 1)]
        return sizes + [total - sum(sizes)]


def generate(case, work):
    """Creates (or reuses, from an earlier run in the same work directory) the case's data and torrent."""
    home = os.path.join(work, "cases", case.name)
    case.data_dir = os.path.join(home, "data")
    case.torrent = os.path.join(home, case.name + ".torrent")
    manifest = os.path.join(home, "digests.json")
    if os.path.exists(manifest) and os.path.exists(case.torrent):
        with open(manifest) as f:
            case.digests = json.load(f)
        return
    os.makedirs(case.data_dir, exist_ok=True)
    sizes = case.file_sizes()
    names = [case.name] if case.files == 1 else [os.path.join(case.name, "file-%02d.bin" % i) for i in range(len(sizes))]
    for name, size in zip(names, sizes):
        path = os.path.join(case.data_dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        digest = hashlib.sha1()
        with open(path, "wb") as out:
            for offset in range(0, size, CHUNK):
                block = os.urandom(min(CHUNK, size - offset))
                digest.update(block)
                out.write(block)
        case.digests[name] = digest.hexdigest()
    storage = lt.file_storage()
    lt.add_files(storage, os.path.join(case.data_dir, case.name))
    creator = lt.create_torrent(storage, case.piece_kib << 10, flags=VERSIONS[case.version])
    lt.set_piece_hashes(creator, case.data_dir)
    with open(case.torrent, "wb") as f:
        f.write(lt.bencode(creator.generate()))
    with open(manifest, "w") as f:
        json.dump(case.digests, f)


def verify(case, save_dir):
    """Raises unless every file of the case under save_dir has the source's SHA-1."""
    for name, expected in case.digests.items():
        digest = hashlib.sha1()
        with open(os.path.join(save_dir, name), "rb") as f:
            for block in iter(lambda: f.read(CHUNK), b""):
                digest.update(block)
        if digest.hexdigest() != expected:
            raise RuntimeError("%s in %s does not match the source data" % (name, save_dir))


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def allocated_bytes(directory):
    """Bytes of disk the files under directory occupy (downloads are sparse: this grows as data lands)."""
    total = 0
    for parent, _, names in os.walk(directory):
        for name in names:
            try:
                total += os.stat(os.path.join(parent, name)).st_blocks * 512
            except FileNotFoundError:
                pass
    return total
