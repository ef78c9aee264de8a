#!/usr/bin/env python3
"""Serve the course's data release, built from a data pack, on 127.0.0.1 (to run lessons without the pack or the internet).

    .venv/bin/python tools/release_server.py ../shared/data [--port 8765] [--gtzan-sources DIR]

It builds the release assets into a temporary folder (`nnnotes.data.build_release`), serves them, and prints the
environment to export in another shell, e.g. `NNNOTES_RELEASE_URL=http://127.0.0.1:8765/ NNNOTES_CACHE=$(mktemp -d)
nnnotes run 1 --quick`. The GTZAN clips are not in the release; `--gtzan-sources` serves a local copy of their source
folder (github.com/zenny126/py @ 9845aa74, data/) so that `data.gtzan()` can rebuild them offline. Stop with Ctrl-C.
"""
import argparse, shutil, sys, tempfile, time
from pathlib import Path
from nnnotes import data

def main(argv=None)->int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('pack', type=Path, help='folder holding the course data pack')
    p.add_argument('--port', type=int, default=0, help='port to serve on (default: a free one)')
    p.add_argument('--gtzan-sources', type=Path, help='local copy of the GTZAN source folder to serve as well')
    a = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix='nnnotes-release-'))
    try:
        print(data.build_release(a.pack, tmp/'assets').title)
        url, server = data.serve_release(tmp/'assets', port=a.port)
        print(f"export NNNOTES_RELEASE_URL={url}")
        if a.gtzan_sources:
            src_url, _ = data.serve_release(a.gtzan_sources)
            print(f"export NNNOTES_GTZAN_SOURCE_URL={src_url}")
        print("export NNNOTES_DATA=   # unset the pack, so that data comes from the release", flush=True)
        while True: time.sleep(3600)
    except KeyboardInterrupt: return 0
    finally: shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': sys.exit(main())
