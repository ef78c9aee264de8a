"""The course's test suite: run it with `tools/test.sh` (which installs first) or `python tools/test.py`.

Checks, each counted as one test:
  - the library `nnnotes/` is what `nbdev_export` makes of the notebooks (nothing edited by hand, nothing stale);
  - the notebooks are clean (`nbdev_clean` would change nothing);
  - README.md is what `tools/readme.py` renders from nbs/index.ipynb;
  - every lesson carries its Colab badge (built from settings.ini) and its Colab-only install cell;
  - saved outputs are present and error-free, and every lesson's headline metrics come from a full run;
  - every notebook passes under `nbdev_test` in quick mode (one test per notebook, with its time);
  - the docs site builds, and passes the headless-Chromium checks (skipped when Chromium is missing).
The last line is `N passed, N failed` (with `, N skipped` when something was skipped).
"""
import argparse, json, os, re, shutil, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
results = []  # (status, name, seconds, detail)

def record(status, name, seconds=0.0, detail=''):
    results.append((status, name, seconds, detail))
    print(f"{status:<4} {name} ({seconds:.1f} s)" + (f"\n     {detail}" if detail else ''), flush=True)

def snapshot(paths):
    return {path: path.read_bytes() for path in paths}

def notebooks():
    "Every notebook under nbs/ that nbdev tests (names starting with `_` or `.` are skipped, as nbdev does)."
    found = []
    for path in sorted((ROOT / 'nbs').rglob('*.ipynb')):
        parts = path.relative_to(ROOT / 'nbs').parts
        if any(part.startswith(('_', '.')) for part in parts): continue
        found.append(path)
    return found

def check_unchanged(name, command, paths_fn):
    "Run `command`; pass if it leaves the files from `paths_fn` byte-identical; restore them either way."
    start, before = time.time(), snapshot(paths_fn())
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    after = snapshot(paths_fn())
    changed = sorted(str(p.relative_to(ROOT)) for p in set(before) | set(after) if before.get(p) != after.get(p))
    for path, content in before.items(): path.write_bytes(content)
    for path in set(after) - set(before): path.unlink()
    if run.returncode != 0:
        record('FAIL', name, time.time() - start, f"`{' '.join(map(str, command))}` failed: {run.stderr.strip()[-800:]}")
    elif changed:
        record('FAIL', name, time.time() - start, f"would change {', '.join(changed)}: run `{Path(command[0]).name}` and commit")
    else: record('PASS', name, time.time() - start)

def check_badges():
    start, problems = time.time(), []
    sys.path.insert(0, str(ROOT))
    from nnnotes.core import colab_url
    for path in sorted((ROOT / 'nbs' / 'lessons').glob('[0-9][0-9]_*.ipynb')):
        cells = json.loads(path.read_text(encoding='utf-8'))['cells']
        relative = path.relative_to(ROOT).as_posix()
        first_md = next((''.join(c['source']) for c in cells if c['cell_type'] == 'markdown'), '')
        first_code = next((''.join(c['source']) for c in cells if c['cell_type'] == 'code'), '')
        if colab_url(relative) not in first_md: problems.append(f"{relative}: no Colab badge for {colab_url(relative)} in its first markdown cell")
        if "'google.colab' in sys.modules" not in first_code: problems.append(f"{relative}: first code cell is not the Colab-only install")
        if not re.search(r'^\*[^*]*[А-Яа-яЁё][^*]*\*$', first_md, re.M): problems.append(f"{relative}: no Russian title line under the English one")
        dev_only = [m for m in ('nbdev', 'execnb') if re.search(rf'^\s*(import|from)\s+{m}\b', ''.join(''.join(c['source']) + '\n' for c in cells if c['cell_type'] == 'code'), re.M)]
        if dev_only: problems.append(f"{relative}: imports {', '.join(dev_only)}, which Colab and a plain `pip install nnnotes` do not have")
    record('FAIL' if problems else 'PASS', 'lessons are Colab-ready: badge, install cell, Russian title, no dev-only imports', time.time() - start, '; '.join(problems))

def check_saved_outputs():
    "Committed notebooks carry outputs, no error outputs, and every lesson's metrics come from a full run."
    start, problems = time.time(), []
    sys.path.insert(0, str(ROOT))
    from nnnotes.core import read_metrics
    for path in notebooks():
        nb, relative = json.loads(path.read_text(encoding='utf-8')), path.relative_to(ROOT).as_posix()
        code = [c for c in nb['cells'] if c['cell_type'] == 'code']
        if code and not any(c.get('outputs') for c in code): problems.append(f"{relative}: no saved outputs")
        if any(o.get('output_type') == 'error' for c in code for o in c.get('outputs', [])): problems.append(f"{relative}: saved outputs contain an error")
        if relative.startswith('nbs/lessons/'):
            metrics = read_metrics(nb)
            if metrics.get('mode') != 'full': problems.append(f"{relative}: no headline metrics from a full run (record_metrics in full mode)")
    record('FAIL' if problems else 'PASS', 'saved outputs: present, error-free, lessons from a full run', time.time() - start,
           '; '.join(problems) + ('; refresh with `nnnotes run N --inplace`' if problems else ''))

def check_lint(*options):
    "tools/lint.py as one check (`--site`: over the built site); without options, tools/test_lint.py first (each rule fails on a broken example)."
    checks = [] if options else [('lesson lint fails on a broken example of each rule (tools/test_lint.py)', ['tools/test_lint.py'])]
    checks.append(('built site shows no passing self-check (tools/lint.py --site)' if options else 'lesson lint: lessons and exercises (tools/lint.py)', ['tools/lint.py', *options]))
    for name, command in checks:
        start = time.time()
        run = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True)
        record('PASS' if run.returncode == 0 else 'FAIL', name, time.time() - start, '' if run.returncode == 0 else '\n     '.join((run.stdout + run.stderr).strip().splitlines()))

def test_notebook(path):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='3', PYTHONWARNINGS='ignore')
    env.pop('NNNOTES_QUICK', None)
    start = time.time()
    run = subprocess.run([str(BIN / 'nbdev_test'), '--path', str(path)], cwd=ROOT / 'nbs', capture_output=True, text=True, env=env)
    seconds = time.time() - start
    name = f"notebook {path.relative_to(ROOT)}"
    if run.returncode == 0 and 'Success' in run.stdout: return ('PASS', name, seconds, '')
    noise = re.compile(r'^(I0000|W0000|E0000|WARNING: All log messages)')
    detail = '\n     '.join(line for line in (run.stderr + run.stdout).splitlines() if line.strip() and not noise.match(line))[-3000:]
    return ('FAIL', name, seconds, detail)

def check_docs():
    start = time.time()
    build = subprocess.run([sys.executable, 'tools/docs.py', 'build'], cwd=ROOT, capture_output=True, text=True)
    if build.returncode != 0:
        record('FAIL', 'docs site builds', time.time() - start, (build.stdout + build.stderr).strip()[-2000:]); return
    record('PASS', 'docs site builds', time.time() - start)
    check_lint('--site')
    start = time.time()
    site = subprocess.run([sys.executable, 'tools/test_site.py'], cwd=ROOT, capture_output=True, text=True)
    output = (site.stdout + site.stderr).strip()
    if site.returncode == 3: record('SKIP', 'docs site in headless Chromium', time.time() - start, output[-500:])
    else: record('PASS' if site.returncode == 0 else 'FAIL', 'docs site in headless Chromium', time.time() - start,
                 '' if site.returncode == 0 else output[-2000:])

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('notebooks', nargs='*', help='only these notebooks (default: all)')
    parser.add_argument('-j', '--jobs', type=int, default=1, help='notebooks tested at once (default 1)')
    parser.add_argument('--no-docs', action='store_true', help='skip building and checking the docs site')
    args = parser.parse_args()
    if not os.environ.get('NNNOTES_DATA'):
        print('note: NNNOTES_DATA is not set; datasets will be looked up in the cache and downloaded if missing.')
    suite_start = time.time()
    library = lambda: [p for p in (ROOT / 'nnnotes').rglob('*.py')]
    check_unchanged('library nnnotes/ in sync with the notebooks (nbdev_export)', [str(BIN / 'nbdev_export')], library)
    check_unchanged('notebooks are clean (nbdev_clean)', [str(BIN / 'nbdev_clean')], notebooks)
    start = time.time()
    readme = subprocess.run([sys.executable, 'tools/readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    record('PASS' if readme.returncode == 0 else 'FAIL', 'README.md generated from nbs/index.ipynb', time.time() - start, readme.stdout.strip() if readme.returncode else '')
    check_badges()
    check_saved_outputs()
    check_lint()
    selected = [Path(n).resolve() for n in args.notebooks] or notebooks()
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for outcome in pool.map(test_notebook, selected): record(*outcome)
    if not args.no_docs and not args.notebooks: check_docs()
    counts = {status: sum(r[0] == status for r in results) for status in ('PASS', 'FAIL', 'SKIP')}
    print(f"\nslowest: " + ', '.join(f"{Path(r[1].split()[-1]).name} {r[2]:.0f} s" for r in sorted(results, key=lambda r: -r[2])[:5]))
    print(f"total time {time.time() - suite_start:.0f} s")
    line = f"{counts['PASS']} passed, {counts['FAIL']} failed"
    if counts['SKIP']: line += f", {counts['SKIP']} skipped"
    print(line)
    return 1 if counts['FAIL'] else 0

if __name__ == '__main__':
    sys.exit(main())
