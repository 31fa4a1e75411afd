"""The processes of one benchmark run: started with their output watched, measured, and all stopped by PID."""
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A started process, its stdout lines as they come (on a queue) and all of them (log)."""

    def __init__(self, argv, name, stderr, stdin=subprocess.DEVNULL):
        self.name = name
        self.popen = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=stderr,
                                      text=True, bufsize=1)
        self.pid = self.popen.pid
        self.lines = queue.Queue()
        self.log = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.popen.stdout:
            self.log.append(line.rstrip("\n"))
            self.lines.put(line)
        self.lines.put(None)  # end of output


class Processes:
    def __init__(self, log_path):
        self.running = []
        self.stderr = open(log_path, "a")

    def start(self, argv, name, stdin=subprocess.DEVNULL):
        """stdin=subprocess.PIPE for a process driven by commands (see command())."""
        proc = Proc(argv, name, self.stderr, stdin)
        self.running.append(proc)
        return proc

    def await_line(self, proc, prefix, timeout, every_tick=None):
        """Waits for a stdout line starting with prefix; returns the monotonic time it came and the line.
        every_tick, if given, is called about every 20 ms while waiting."""
        deadline = time.monotonic() + timeout
        while True:
            if every_tick:
                every_tick()
            try:
                line = proc.lines.get(timeout=min(0.02 if every_tick else timeout, max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                if every_tick and time.monotonic() < deadline:
                    continue
                raise RuntimeError("%s: no '%s' within %.0f s; its output: %s" % (proc.name, prefix, timeout, proc.log))
            if line is None:
                raise RuntimeError("%s ended before '%s'; its output: %s" % (proc.name, prefix, proc.log))
            if line.startswith(prefix):
                return time.monotonic(), line.strip()
            if line.startswith("error"):
                raise RuntimeError("%s: %s" % (proc.name, line.strip()))

    def command(self, proc, line, answer, timeout=15):
        """Writes one command line to proc's stdin (started with stdin=PIPE); returns its answer line."""
        proc.popen.stdin.write(line + "\n")
        proc.popen.stdin.flush()
        return self.await_line(proc, answer, timeout)[1]

    def wait(self, proc, timeout):
        """Reaps proc (killing it after timeout s); returns its exit status and resource usage."""
        deadline = time.monotonic() + timeout
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                proc.popen.returncode = os.waitstatus_to_exitcode(status)
                self.running.remove(proc)
                return proc.popen.returncode, rusage
            if time.monotonic() > deadline:
                os.kill(proc.pid, signal.SIGKILL)
                deadline = float("inf")
            time.sleep(0.005)

    def stop(self, proc):
        """SIGTERM, then SIGKILL after 10 s: the process and nothing else."""
        if proc.popen.poll() is None:
            proc.popen.send_signal(signal.SIGTERM)
            try:
                proc.popen.wait(10)
            except subprocess.TimeoutExpired:
                proc.popen.kill()
                proc.popen.wait()
        if proc in self.running:
            self.running.remove(proc)

    def stop_all(self):
        for proc in list(self.running):
            self.stop(proc)


def tree_cpu(pid):
    """User+system CPU seconds so far of pid and its descendants (with their reaped children)."""
    return sum(_cpu(p) for p in _tree(pid))


def thread_cpu(pid):
    """User+system CPU seconds so far per thread name (digits folded to #) over pid's tree."""
    by_name = {}
    for name, seconds in task_cpu(pid).values():
        by_name[name] = by_name.get(name, 0.0) + seconds
    return by_name


def task_cpu(pid):
    """{(process, thread id): (thread name with digits folded to #, user+system CPU seconds so far)} over pid's tree."""
    by_task = {}
    for proc in _tree(pid):
        try:
            tasks = os.listdir("/proc/%d/task" % proc)
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                with open("/proc/%d/task/%s/stat" % (proc, task)) as f:
                    text = f.read()
            except (FileNotFoundError, ProcessLookupError):
                continue
            name = re.sub(r"[0-9]+$", "#", text[text.index("(") + 1:text.rindex(")")])
            fields = text.rsplit(")", 1)[1].split()
            by_task[(proc, task)] = (name, (int(fields[11]) + int(fields[12])) / TICKS)
    return by_task


def tree_peak_rss(pid):
    """Sum of each process's peak resident set (VmHWM) in the tree, in bytes."""
    return sum(_status_kib(p, "VmHWM") * 1024 for p in _tree(pid))


def _cpu(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    # after the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS


def _tree(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
            children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _status_kib(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0
