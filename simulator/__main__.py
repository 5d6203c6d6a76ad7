"""`python -m simulator [--host 127.0.0.1] [--port 8765]`: serve the demo data until stopped."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from . import demo
from .server import SimulatorServer


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Local jsonGate and Scorocode simulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser.parse_args(argv)


def _banner(server: SimulatorServer) -> str:
    return "\n".join(
        [
            f"jsonGate & Scorocode simulator on {server.url}",
            f"  jsonGate   {server.jsongate_url}",
            f"             login {demo.LOGIN}, password {demo.PASSWORD}, token {demo.TOKEN}",
            f"  Scorocode  {server.scorocode_url}  (sendpush, sendsms)",
            f"             app {demo.APP_ID}, client key {demo.CLIENT_KEY},",
            f"             message key {demo.MESSAGE_KEY}, master key {demo.MASTER_KEY},",
            f"             session {demo.SESSION_ID}",
            f"  Control    {server.control_url}/state",
            "Ctrl-C or SIGTERM stops it.",
            "",
        ]
    )


async def _serve(host: str, port: int, *, verbose: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with SimulatorServer(
        demo.build_demo(), host=host, port=port, access_log=verbose
    ) as server:
        sys.stdout.write(_banner(server))
        sys.stdout.flush()
        await stop.wait()
    sys.stdout.write("Stopped.\n")


def main(argv: list[str] | None = None) -> None:
    """Run the simulator with the demo data until Ctrl-C or SIGTERM."""
    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port, verbose=args.verbose))


if __name__ == "__main__":
    main()
