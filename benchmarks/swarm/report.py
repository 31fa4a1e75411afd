"""Medians per client and the ratio graytorrent / libtorrent, as Markdown tables."""
import statistics

MIB = 1 << 20


class Result:
    """One transfer: wall seconds (process start to exit, the leecher's for seeding, add to complete for
    the steady state), seconds to the first downloaded byte on disk and to complete, CPU seconds
    (user+sys) and peak RSS bytes of the measured client."""

    def __init__(self, client, wall, to_first_byte, to_complete, cpu, peak_rss):
        self.client, self.wall, self.cpu, self.peak_rss = client, wall, cpu, peak_rss
        self.to_first_byte, self.to_complete = to_first_byte, to_complete

    def transfer(self):
        """Seconds from the first byte to complete."""
        return max(self.to_complete - self.to_first_byte, 1e-3)

    def __str__(self):
        return "%-11s wall %6.2f s  first byte %5.2f s  complete %6.2f s  cpu %6.2f s  peak rss %5.0f MiB" % (
            self.client, self.wall, self.to_first_byte, self.to_complete, self.cpu, self.peak_rss / MIB)


def client_medians(rows, case, client):
    """One client's medians over its runs of a case, from (case, Result) rows: wall s, MiB/s, first byte s,
    transfer MiB/s, CPU s, CPU s per GiB, peak RSS MiB; None when it has no run."""
    mine = [r for c, r in rows if c is case and r.client == client]
    if not mine:
        return None
    wall = statistics.median(r.wall for r in mine)
    cpu = statistics.median(r.cpu for r in mine)
    return (wall, case.mib / wall, statistics.median(r.to_first_byte for r in mine),
            case.mib / statistics.median(r.transfer() for r in mine), cpu,
            cpu * 1024 / case.mib, statistics.median(r.peak_rss for r in mine) / MIB)


def print_tables(results, reps):
    cases = []
    for _, case, _ in results:
        if case not in cases:
            cases.append(case)
    for direction, what in (("download", "client downloading from a libtorrent seeder"),
                            ("seed", "client seeding to a libtorrent leecher"),
                            ("steady", "download into a warm gray server / a libtorrent leecher, each timed from"
                                       " its add to complete; CPU of that span only")):
        rows = [(case, r) for d, case, r in results if d == direction]
        if not rows:
            continue
        print("\n%s (%s), medians of %d run%s:\n" % (direction, what, reps, "s" if reps > 1 else ""))
        print("| torrent | client | wall s | MiB/s | first byte s | transfer MiB/s | CPU s | CPU s/GiB | peak RSS MiB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for case in cases:
            medians = {}
            for client in ("graytorrent", "libtorrent"):
                figures = client_medians(rows, case, client)
                if figures is None:
                    continue
                medians[client] = figures
                print("| %s | %s | %.2f | %.0f | %.2f | %.0f | %.2f | %.2f | %.0f |" % ((case, client) + medians[client]))
            if len(medians) == 2:
                ratios = tuple(g / l for g, l in zip(medians["graytorrent"], medians["libtorrent"]))
                print("| %s | **gray / lt** | %.2f | **%.2f** | %.2f | **%.2f** | %.2f | **%.2f** | **%.2f** |"
                      % ((case,) + ratios))
