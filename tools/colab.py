#!/usr/bin/env python3
"""Run every lesson in quick mode on Colab's versions, from a plain install: `tools/test.sh --colab`.

    python3 tools/colab.py [LESSON...] [--python PATH] [--venv .venv-colab]

1. A venv (`.venv-colab`, made once) on Python 3.13 with exactly Colab's versions of the packages
   below (Colab's runtime, August 2026 release), as a fresh Colab has them.
2. A plain `pip install .` of the course into it (no dev extras), as the lessons' Colab install cell
   does; it must leave Colab's packages as they are (no TensorFlow or Keras reinstalled).
3. `nnnotes run N --quick` for every lesson, one line per lesson with its time, then `N passed, N failed`.

Data comes from wherever the environment says: `NNNOTES_DATA` (a local copy of the data pack), or the
cache and the course's data release (`NNNOTES_RELEASE_URL` may point at a local release server). With
`--release-from PACK` it plays a fresh Colab offline: it builds the release from PACK, serves it on
127.0.0.1 (tools/release_server.py), unsets `NNNOTES_DATA` and starts from an empty cache.
Runs with the standard library only.
"""
import argparse, os, re, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLAB_PYTHON = '3.13'
COLAB_PACKAGES = {'tensorflow': '2.20.0', 'keras': '3.13.2', 'numpy': '2.1.3', 'pandas': '2.2.3',
                  'pillow': '11.3.0', 'librosa': '0.11.0', 'gymnasium': '1.3.0'}

def find_python()->str:
    "A Python 3.13 interpreter: $COLAB_PYTHON_BIN, pyenv's 3.13.x, or python3.13 on PATH."
    candidates = [os.environ.get('COLAB_PYTHON_BIN', '')]
    candidates += sorted(map(str, Path.home().glob(f'.pyenv/versions/{COLAB_PYTHON}.*/bin/python3')), reverse=True)
    candidates += [f'python{COLAB_PYTHON}']
    for candidate in filter(None, candidates):
        try: version = subprocess.run([candidate, '-c', 'import platform; print(platform.python_version())'],
                                      capture_output=True, text=True).stdout.strip()
        except OSError: continue
        if version.startswith(COLAB_PYTHON + '.'): return candidate
    raise SystemExit(f"colab: no Python {COLAB_PYTHON} found; install it (e.g. `pyenv install {COLAB_PYTHON}`) or set COLAB_PYTHON_BIN.")

def pip(venv:Path, *args:str):
    "Run the venv's pip quietly; stop with its message when it fails."
    run = subprocess.run([str(venv / 'bin' / 'python'), '-m', 'pip', '-q', *args], cwd=ROOT, capture_output=True, text=True)
    if run.returncode:
        noise = re.compile(r"^WARNING: Location '.*' is ignored")
        raise SystemExit(f"colab: pip {' '.join(args)} failed:\n" + '\n'.join(l for l in run.stderr.splitlines() if not noise.match(l))[-3000:])

def installed(venv:Path)->dict:
    "{package name (lower case): version} of the venv."
    out = subprocess.run([str(venv / 'bin' / 'python'), '-m', 'pip', 'list', '--format=freeze'], capture_output=True, text=True).stdout
    return {name.lower(): version for name, version in (line.split('==', 1) for line in out.splitlines() if '==' in line)}

def prepare(venv:Path, python:str):
    "Make the venv with Colab's versions, then install the course into it as Colab's install cell would."
    pins = [f'{name}=={version}' for name, version in COLAB_PACKAGES.items()]
    if not (venv / 'bin' / 'python').exists():
        print(f"colab: creating {venv.name} with {python}", flush=True)
        subprocess.run([python, '-m', 'venv', str(venv)], check=True)
        pip(venv, 'install', '--upgrade', 'pip')
    start = time.time()
    pip(venv, 'install', *pins)
    pip(venv, 'install', '.')              # a plain install of the course, no dev extras
    versions = installed(venv)
    changed = [f"{name} {versions.get(name)} (Colab has {version})" for name, version in COLAB_PACKAGES.items() if versions.get(name) != version]
    if changed: raise SystemExit("colab: installing the course changed Colab's packages: " + ', '.join(changed))
    print(f"colab: Python {subprocess.run([str(venv / 'bin' / 'python'), '--version'], capture_output=True, text=True).stdout.split()[-1]}, "
          + ', '.join(f'{name} {version}' for name, version in COLAB_PACKAGES.items())
          + f" + `pip install .` ({time.time() - start:.0f} s)", flush=True)

def lesson_numbers(venv:Path)->list:
    "The lessons' numbers, from `nnnotes list`."
    out = subprocess.run([str(venv / 'bin' / 'nnnotes'), 'list'], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [int(line.split()[0]) for line in out.splitlines() if line.strip()[:1].isdigit()]

def start_release_server(venv:Path, pack:Path, gtzan_sources:Path|None=None)->tuple:
    "Serve the release built from `pack` (and a local GTZAN source folder) on 127.0.0.1; return (server process, {variable: URL})."
    extra = ['--gtzan-sources', str(gtzan_sources)] if gtzan_sources else []
    server = subprocess.Popen([str(venv / 'bin' / 'python'), '-u', str(ROOT / 'tools' / 'release_server.py'), str(pack), *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    urls = {}
    for line in server.stdout:
        if line.startswith('export NNNOTES_') and '=' in line and line.split('=', 1)[1].strip().startswith('http'):
            name, url = line[len('export '):].split('=', 1)
            urls[name] = url.strip()
        if line.startswith('export NNNOTES_DATA='): return server, urls
    raise SystemExit(f"colab: the release server stopped before serving (exit {server.wait()}); try `tools/release_server.py {pack}`.")

def upstream_reachable(url:str='https://raw.githubusercontent.com/', timeout:float=5)->bool:
    "Can this machine reach GitHub's raw files (where the GTZAN clips' sources live)?"
    import urllib.request, urllib.error
    try: urllib.request.urlopen(url, timeout=timeout); return True
    except urllib.error.HTTPError: return True
    except Exception: return False

def main()->int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('lessons', nargs='*', type=int, help='lesson numbers (default: all)')
    parser.add_argument('--python', help=f'the Python {COLAB_PYTHON} interpreter (default: found automatically)')
    parser.add_argument('--venv', default=str(ROOT / '.venv-colab'), help='the venv to make or reuse (default .venv-colab)')
    parser.add_argument('--release-from', metavar='PACK', help='serve the data release built from this pack folder and use it instead of NNNOTES_DATA')
    parser.add_argument('--gtzan-sources', metavar='DIR', default=os.environ.get('NNNOTES_GTZAN_SOURCES'),
                        help='with --release-from: a local copy of the GTZAN clips\' source folder (zenny126/py data/) to serve as well')
    args = parser.parse_args()
    venv = Path(args.venv).resolve()
    prepare(venv, args.python or find_python())
    server, skip = None, {}
    if args.release_from:
        sources = Path(args.gtzan_sources).resolve() if args.gtzan_sources else None
        server, urls = start_release_server(venv, Path(args.release_from).resolve(), sources)
        os.environ.pop('NNNOTES_DATA', None)
        os.environ.update(urls, NNNOTES_CACHE=tempfile.mkdtemp(prefix='nnnotes-colab-cache-'))
        if not sources and not upstream_reachable():
            skip = {number: "the GTZAN clips are not republished in the release and their upstream source is unreachable "
                            "from here; pass --gtzan-sources DIR to check this lesson offline" for number in gtzan_lessons()}
    try: return run_lessons(venv, args.lessons, skip)
    finally:
        if server: server.terminate()

def gtzan_lessons()->list:
    "Numbers of the lessons that load the GTZAN clips (`data.gtzan(`)."
    return [int(path.name[:2]) for path in sorted((ROOT / 'nbs' / 'lessons').glob('[0-9][0-9]_*.ipynb')) if 'data.gtzan(' in path.read_text()]

def run_lessons(venv:Path, lessons:list, skip:dict|None=None)->int:
    "`nnnotes run N --quick` for each lesson (all when empty) but those in `skip` ({number: why}): one line each, then the counts."
    skip = skip or {}
    data = os.environ.get('NNNOTES_DATA')
    print(f"colab: data from {'NNNOTES_DATA=' + data if data else 'the cache and the data release' + (' at ' + os.environ['NNNOTES_RELEASE_URL'] if os.environ.get('NNNOTES_RELEASE_URL') else '')}", flush=True)
    env = dict(os.environ, MPLBACKEND='Agg', TF_CPP_MIN_LOG_LEVEL='3')
    results, suite_start = [], time.time()
    for number in lessons or lesson_numbers(venv):
        if number in skip:
            print(f"SKIP lesson {number}: {skip[number]}", flush=True)
            continue
        start = time.time()
        run = subprocess.run([str(venv / 'bin' / 'nnnotes'), 'run', str(number), '--quick', '--output', str(ROOT / 'runs' / 'colab' / f'lesson{number:02d}.ipynb')],
                             cwd=ROOT, capture_output=True, text=True, env=env)
        seconds = time.time() - start
        results.append(run.returncode == 0)
        print(f"{'PASS' if run.returncode == 0 else 'FAIL'} lesson {number} ({seconds:.0f} s)", flush=True)
        if run.returncode:
            message = run.stderr[run.stderr.find('nnnotes:'):] if 'nnnotes:' in run.stderr else run.stderr[-1500:]
            print('     ' + message.strip().replace('\n', '\n     '), flush=True)
    print(f"total time {time.time() - suite_start:.0f} s")
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed" + (f", {len(skip)} skipped" if skip else ''))
    return 0 if all(results) else 1

if __name__ == '__main__':
    sys.exit(main())
