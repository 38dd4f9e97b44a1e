"""A real Jupyter server on 127.0.0.1 for tests, and a minimal client that runs a notebook's cells in it."""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    url: str
    token: str

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        req = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(root: Path):
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).parent / "jupyter"
    proc = subprocess.Popen(
        [
            str(jupyter),
            "server",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(f"http://127.0.0.1:{port}", token)
    try:
        for _ in range(300):
            try:
                server.api("GET", "/api/status")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("Jupyter server did not start")
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def run_notebook_cells(server: Server, notebook: Path, timeout: float = 120) -> list[str]:
    """Execute every code cell in a new 'cchc' kernel; return HTML/text outputs; raise on a cell error."""
    import websocket

    kernel = server.api("POST", "/api/kernels", {"name": "cchc"})
    ws = websocket.create_connection(
        f"{server.url.replace('http', 'ws')}/api/kernels/{kernel['id']}/channels?token={server.token}", timeout=timeout
    )
    outputs = []
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            msg_id = uuid.uuid4().hex
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "username": "test",
                            "session": uuid.uuid4().hex,
                            "msg_type": "execute_request",
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "channel": "shell",
                        "content": {
                            "code": "".join(cell["source"]),
                            "silent": False,
                            "store_history": True,
                            "user_expressions": {},
                            "allow_stdin": False,
                            "stop_on_error": True,
                        },
                    }
                )
            )
            while True:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind in ("display_data", "execute_result"):
                    data = msg["content"]["data"]
                    outputs.append(data.get("text/html", data.get("text/plain", "")))
                elif kind == "error":
                    raise AssertionError(f"cell failed: {msg['content']['ename']}: {msg['content']['evalue']}")
                elif kind == "execute_reply" and msg["channel"] == "shell":
                    break
    finally:
        ws.close()
        server.api("DELETE", f"/api/kernels/{kernel['id']}")
    return outputs
