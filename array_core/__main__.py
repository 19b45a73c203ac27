"""``python -m array_core``: the command line.

``python -m array_core explain "x.T.reshape(6)" --shape 2,3`` prints, step by
step, which operations make views and which copy, and why.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from array_core._explain import add_explain_arguments, run_explain

    parser = argparse.ArgumentParser(prog="python -m array_core")
    commands = parser.add_subparsers(dest="command")
    explain_parser = commands.add_parser(
        "explain", help="say which steps of an expression view or copy, and why")
    add_explain_arguments(explain_parser)
    explain_parser.set_defaults(run=run_explain)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
