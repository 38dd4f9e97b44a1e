"""Register the suite's Jupyter kernel 'cchc' inside .venv (not in the user's home).

The kernel logs only errors: ipykernel's warning about unencrypted local TCP would otherwise be
printed once per report in every batch (the kernel listens on 127.0.0.1 only). Its PATH starts with
.venv/bin, so that `!cchc …` in a notebook runs the suite's command whatever started the server.
"""

import json
import subprocess
import sys
from pathlib import Path

subprocess.run(
    [
        sys.executable,
        "-m",
        "ipykernel",
        "install",
        "--sys-prefix",
        "--name",
        "cchc",
        "--display-name",
        "CCHC (Python 3.11)",
    ],
    check=True,
    stdout=subprocess.DEVNULL,
)
spec_path = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "cchc" / "kernel.json"
spec = json.loads(spec_path.read_text())
if "--IPKernelApp.log_level=ERROR" not in spec["argv"]:
    spec["argv"].append("--IPKernelApp.log_level=ERROR")
# jupyter_client fills ${PATH} from the environment of whoever starts the kernel.
spec["env"] = {**spec.get("env", {}), "PATH": str(Path(sys.executable).parent) + ":${PATH}"}
spec_path.write_text(json.dumps(spec, indent=1))
print(f"kernel 'cchc' registered: {spec_path}")
