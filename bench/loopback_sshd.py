"""Two sshd instances on loopback ports, as two hosts, for the remote scenarios of bench/run.

The same set-up as the tests' fixture (tests/remote/sshd_fixture.hpp): host and
user keys, sshd configs and an ssh config, all generated in a folder of the
run's temporary directory. Sessions get an empty folder as HOME (see
_start). Clients get the config with `-F` (OpenSSH reads
~/.ssh/config from the passwd home, which a benchmark must never touch), so
neither ~/.ssh nor /etc/ssh/ssh_config is read. stop() ends every connection
the servers accepted (control masters included), then the servers.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from typing import List, Set, Tuple

SBIN_PATH = "/usr/sbin:/usr/local/sbin:/sbin"


def missing_programs(path: str) -> List[str]:
    """The OpenSSH programs this module needs that are not installed (empty: all there)."""
    where = path + ":" + SBIN_PATH
    return [p for p in ("sshd", "ssh", "ssh-keygen") if shutil.which(p, path=where) is None]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _children(pid: int) -> List[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


class LoopbackSshd:
    """Hosts "h1" and "h2" (names), reachable with `ssh -F config NAME`."""

    def __init__(self, folder: str, path: str, count: int = 2):
        self.folder = folder
        self.config = os.path.join(folder, "ssh_config")
        self.names = [f"h{i + 1}" for i in range(count)]
        self._path = path + ":" + SBIN_PATH
        self._servers: List[subprocess.Popen] = []
        self._logs: List[str] = []
        self._masters: Set[Tuple[str, str]] = set()  # (name, control path) of the masters started
        os.makedirs(folder, mode=0o700, exist_ok=True)
        try:
            self._start(count)
        except BaseException:
            self.stop()
            raise

    def _program(self, name: str) -> str:
        return shutil.which(name, path=self._path) or name

    def _start(self, count: int) -> None:
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation needs it as root
        keys = {}
        for key in ("host_key", "user_key"):
            keys[key] = os.path.join(self.folder, key)
            subprocess.run([self._program("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-f", keys[key]],
                           check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        authorized = os.path.join(self.folder, "authorized_keys")
        shutil.copyfile(keys["user_key"] + ".pub", authorized)
        with open(keys["host_key"] + ".pub") as f:
            host_pub = " ".join(f.read().split()[:2])
        user = pwd.getpwuid(os.getuid()).pw_name
        known_hosts = os.path.join(self.folder, "known_hosts")
        # The sessions' HOME is an empty folder: bash sources ~/.bashrc when sshd
        # runs it, and a machine's (pyenv init, say: ~300 ms) would be in every
        # sample of every contender, hiding what the contenders themselves cost.
        home = os.path.join(self.folder, "home")
        os.makedirs(home, exist_ok=True)
        known, config = [], []
        for i, name in enumerate(self.names):
            port = _free_port()
            sshd_config = os.path.join(self.folder, f"sshd_config{i}")
            with open(sshd_config, "w") as f:
                f.write(f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys['host_key']}\n"
                        f"AuthorizedKeysFile {authorized}\nUsePAM no\nStrictModes no\nPidFile none\n"
                        "PermitRootLogin yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                        f"MaxSessions 100\nMaxStartups 100\nSetEnv HOME={home}\n")
            known.append(f"[127.0.0.1]:{port} {host_pub}\n")
            config.append(f"Host {name}\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n"
                          f"  IdentityFile {keys['user_key']}\n  IdentitiesOnly yes\n"
                          f"  UserKnownHostsFile {known_hosts}\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n")
            log = os.path.join(self.folder, f"sshd{i}.log")
            with open(log, "w") as err:
                # sshd wants its absolute path (it re-executes itself for each connection).
                self._servers.append(subprocess.Popen([self._program("sshd"), "-D", "-e", "-f", sshd_config],
                                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                      stderr=err))
            self._logs.append(log)
            deadline = time.monotonic() + 10
            while not _listening(port):
                if self._servers[-1].poll() is not None or time.monotonic() > deadline:
                    with open(log) as f:
                        raise RuntimeError(f"sshd on port {port} did not start: {f.read()[-2000:]}")
                time.sleep(0.02)
        with open(known_hosts, "w") as f:
            f.writelines(known)
        with open(self.config, "w") as f:
            f.writelines(config)

    def ssh(self, *args: str) -> List[str]:
        """An ssh argv with the generated config and BatchMode (as shpp's transport passes it)."""
        return [self._program("ssh"), "-F", self.config, "-o", "BatchMode=yes"] + list(args)

    def start_master(self, name: str, control_path: str) -> None:
        """A control master for `name` at control_path, left running in the background (once)."""
        if (name, control_path) in self._masters:
            return
        # Its output to a file: the master keeps what it was given open, and a
        # pipe would never reach its end.
        log = os.path.join(self.folder, "master.log")
        with open(log, "a") as err:
            proc = subprocess.run(self.ssh("-o", "ControlMaster=yes", "-o", f"ControlPath={control_path}",
                                           "-o", "ControlPersist=yes", "-f", "-N", name),
                                  stdin=subprocess.DEVNULL, stdout=err, stderr=err)
        if proc.returncode != 0:
            with open(log) as f:
                raise RuntimeError(f"ssh master for {name}: exited with status {proc.returncode}: {f.read()[-2000:]}")
        self._masters.add((name, control_path))

    def stop(self) -> None:
        """Ends every connection (control masters end with theirs), then the servers."""
        for server in self._servers:
            for pid in _children(server.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            server.terminate()
        for server in self._servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        self._servers = []
        self._masters.clear()
