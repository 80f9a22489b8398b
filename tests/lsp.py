"""A small LSP client that drives yaml-language-server over stdio, as VS Code's YAML extension does.

The editor tests use it to see what marketing sees: completion, hover and diagnostics from our JSON
Schema. Every wait has a timeout, so a hung server fails a test instead of hanging the suite."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITOR_DIR = ROOT / ".cache" / "editor"
SERVER = EDITOR_DIR / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
PACKAGE = "yaml-language-server@1.25.0"  # 1.20+ reads draft 2020-12; pinned so the tests see one version
TIMEOUT = 20.0

# What VS Code's YAML extension tells the server about itself (the parts the server reads).
CLIENT_CAPABILITIES = {
    "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}},
    "textDocument": {
        "synchronization": {"dynamicRegistration": True, "didSave": True},
        "completion": {
            "dynamicRegistration": True,
            "completionItem": {
                "snippetSupport": True,
                "documentationFormat": ["markdown", "plaintext"],
                "insertReplaceSupport": True,
                "labelDetailsSupport": True,
            },
            "contextSupport": True,
        },
        "hover": {"dynamicRegistration": True, "contentFormat": ["markdown", "plaintext"]},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": False},
    },
}

# The settings a user has with the YAML extension installed, with the online schema store switched
# off: the schema must come from the file's own modeline, never from the network.
SETTINGS = {
    "yaml": {
        "validate": True,
        "completion": True,
        "hover": True,
        "format": {"enable": False},
        "schemaStore": {"enable": False},
        "schemas": {},
    },
    "http": {"proxy": "", "proxyStrictSSL": True},
}


def server_command() -> list[str] | None:
    """The command that starts the locally installed server, or None when node or it is missing."""
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        return None
    return [node, str(SERVER), "--stdio"]


def install() -> None:
    """Install the server into .cache/editor (not committed) from the npm registry, when missing."""
    if SERVER.is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise LSPError("npm is not installed: it is needed to install yaml-language-server")
    EDITOR_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--prefix", str(EDITOR_DIR), "--no-audit", "--no-fund", "--no-save",
         "--no-package-lock", "--loglevel=error", PACKAGE],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600,
        env={**os.environ, "npm_config_update_notifier": "false"},
    )
    if done.returncode != 0 or not SERVER.is_file():
        raise LSPError(f"npm install {PACKAGE} failed: {done.stderr.strip()[-500:]}")


class LSPError(RuntimeError):
    """The server did not answer in time, exited, or answered with an error."""


class Client:
    """One yaml-language-server process; use as a context manager."""

    def __init__(self, root: Path):
        command = server_command()
        if command is None:
            raise LSPError(f"yaml-language-server is not installed in {EDITOR_DIR}")
        self.root = root
        self._proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
            env={**os.environ, "NODE_NO_WARNINGS": "1"},
        )
        self._next_id = 0
        self._responses: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self.diagnostics: dict[str, queue.Queue] = {}
        threading.Thread(target=self._read, daemon=True).start()

    # --- wire -------------------------------------------------------------------------------------
    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        try:
            self._proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise LSPError(f"yaml-language-server exited: {exc}") from None

    def _read(self) -> None:
        stream = self._proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            self._dispatch(json.loads(stream.read(length)))

    def _dispatch(self, message: dict) -> None:
        if "id" in message and "method" in message:  # a request from the server
            self._send({"id": message["id"], "result": self._answer(message)})
        elif "id" in message:
            with self._lock:
                box = self._responses.setdefault(message["id"], queue.Queue())
            box.put(message)
        elif message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            self._box(params["uri"]).put(params["diagnostics"])

    def _answer(self, request: dict):
        method = request["method"]
        if method == "workspace/configuration":
            return [SETTINGS.get(item.get("section", ""), None) for item in request["params"]["items"]]
        if method == "custom/schema/request":  # schemas contributed by other VS Code extensions: none
            return []
        return None

    def _box(self, uri: str) -> queue.Queue:
        with self._lock:
            return self.diagnostics.setdefault(uri, queue.Queue())

    def request(self, method: str, params: dict):
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            box = self._responses.setdefault(ident, queue.Queue())
        self._send({"id": ident, "method": method, "params": params})
        try:
            reply = box.get(timeout=TIMEOUT)
        except queue.Empty:
            raise LSPError(f"no answer to {method} within {TIMEOUT:.0f} s") from None
        if "error" in reply:
            raise LSPError(f"{method}: {reply['error']}")
        return reply.get("result")

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    # --- session ----------------------------------------------------------------------------------
    def __enter__(self) -> Client:
        try:
            self.request(
                "initialize",
                {
                    "processId": os.getpid(),
                    "rootUri": self.root.as_uri(),
                    "workspaceFolders": [{"uri": self.root.as_uri(), "name": self.root.name}],
                    "capabilities": CLIENT_CAPABILITIES,
                    "clientInfo": {"name": "Visual Studio Code", "version": "1.95.0"},
                },
            )
            self.notify("initialized", {})
            self.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self.request("shutdown", {})
                self.notify("exit", {})
                self._proc.wait(timeout=5)
            except (LSPError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait(timeout=5)

    # --- what an editor does ----------------------------------------------------------------------
    def open(self, path: Path, text: str | None = None) -> str:
        """Open a file as the editor does (its saved text unless `text` is given); returns its URI."""
        uri = path.resolve().as_uri()
        text = text if text is not None else path.read_text(encoding="utf-8")
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        return uri

    def wait_diagnostics(self, uri: str) -> list[dict]:
        """The diagnostics the editor shows for the file (the server publishes them after validating)."""
        try:
            return self._box(uri).get(timeout=TIMEOUT)
        except queue.Empty:
            raise LSPError(f"no diagnostics published for {uri} within {TIMEOUT:.0f} s") from None

    def completion(self, uri: str, line: int, character: int) -> list[dict]:
        result = self.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character},
             "context": {"triggerKind": 1}},
        )
        if result is None:
            return []
        return result["items"] if isinstance(result, dict) else result

    def hover(self, uri: str, line: int, character: int) -> str:
        """The hover text (Markdown), or '' when the editor shows none."""
        result = self.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        if not result:
            return ""
        contents = result["contents"]
        if isinstance(contents, dict):
            return contents.get("value", "")
        if isinstance(contents, list):
            return "\n".join(c if isinstance(c, str) else c.get("value", "") for c in contents)
        return contents


def documentation(item: dict) -> str:
    """A completion item's help text as the editor shows it beside the list."""
    doc = item.get("documentation", "")
    return doc.get("value", "") if isinstance(doc, dict) else doc


if __name__ == "__main__":  # `python3 tests/lsp.py install`, used by .ci/run before `make test`
    import sys

    if sys.argv[1:] != ["install"]:
        sys.exit("usage: python3 tests/lsp.py install")
    try:
        install()
    except (LSPError, subprocess.TimeoutExpired) as exc:
        sys.exit(f"error: {exc}")
