"""The course's test suite: run it with `tools/test.sh` (which installs first) or `python tools/test.py`.

Checks, each counted as one test:
  - the library `nnnotes/` is what `nbdev_export` makes of the notebooks (nothing edited by hand, nothing stale);
  - the notebooks are clean (`nbdev_clean` would change nothing);
  - README.md is what `tools/readme.py` renders from nbs/index.ipynb;
  - every lesson carries its Colab badge and its Colab-only install cell, both built from settings.ini;
  - every import of a notebook or a module is a declared requirement (a plain `pip install .` runs every lesson);
  - no notebook or module writes the repository's address itself (it comes from settings.ini);
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
sys.path.insert(0, str(ROOT))
from nnnotes.core import course_settings, colab_url, colab_install_cell, read_metrics, absolute_data_env
SETTINGS = course_settings(ROOT)
LESSONS = ROOT / SETTINGS['lessons_path']
results = []  # (status, name, seconds, detail)

def record(status, name, seconds=0.0, detail=''):
    results.append((status, name, seconds, detail))
    print(f"{status:<4} {name} ({seconds:.1f} s)" + (f"\n     {detail}" if detail else ''), flush=True)

def snapshot(paths):
    return {path: path.read_bytes() for path in paths}

def notebooks():
    "Every notebook under nbs/ that nbdev tests (names starting with `_` or `.` are skipped, as nbdev does)."
    found = []
    for path in sorted((ROOT / SETTINGS['nbs_path']).rglob('*.ipynb')):
        parts = path.relative_to(ROOT / SETTINGS['nbs_path']).parts
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
    install_cell = colab_install_cell()
    for path in sorted(LESSONS.glob('[0-9][0-9]_*.ipynb')):
        cells = json.loads(path.read_text(encoding='utf-8'))['cells']
        relative = path.relative_to(ROOT).as_posix()
        first_md = next((''.join(c['source']) for c in cells if c['cell_type'] == 'markdown'), '')
        first_code = next((''.join(c['source']) for c in cells if c['cell_type'] == 'code'), '')
        if colab_url(relative) not in first_md: problems.append(f"{relative}: no Colab badge for {colab_url(relative)} in its first markdown cell")
        if first_code.strip() != install_cell: problems.append(f"{relative}: the first code cell is not the Colab install cell that settings.ini's colab_install gives:\n{install_cell}")
        if not re.search(r'^\*[^*]*[А-Яа-яЁё][^*]*\*$', first_md, re.M): problems.append(f"{relative}: no Russian title line under the English one")
    record('FAIL' if problems else 'PASS', 'lessons are Colab-ready: badge, install cell, Russian title', time.time() - start, '; '.join(problems))

DEV_TOOLS = {'nbdev', 'execnb'}  # notebook plumbing (export): dev extras, allowed in library notebooks' hidden cells, never in a lesson
OPTIONAL = {'jax', 'torch'}       # imported only when Keras runs on that backend (core.environment_report)
IMPORT_NAMES = {'pillow': 'PIL', 'scikit-learn': 'sklearn', 'ipykernel': 'ipykernel', 'ipython': 'IPython', 'pyyaml': 'yaml'}

def top_level_imports(code:str)->set:
    "Top-level package names imported by `code` (IPython magics and shell lines ignored)."
    import ast
    code = '\n'.join('' if line.lstrip().startswith(('%', '!')) else line for line in code.splitlines())
    try: tree = ast.parse(code)
    except SyntaxError: return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import): names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module: names.add(node.module)
    return names

def check_requirements():
    "Every import of a notebook or a module is the standard library, the course itself, or a declared requirement."
    import shlex
    start, problems = time.time(), []
    declared = set()
    for requirement in shlex.split(SETTINGS['requirements']):
        name = re.split(r'[<>=!~;\[ ]', requirement, maxsplit=1)[0].lower()
        declared.add(IMPORT_NAMES.get(name, name.replace('-', '_')))
    sources = [(path, ''.join(''.join(c['source']) + '\n' for c in json.loads(path.read_text(encoding='utf-8'))['cells'] if c['cell_type'] == 'code'))
               for path in notebooks()] + [(path, path.read_text(encoding='utf-8')) for path in sorted((ROOT / SETTINGS['lib_path']).rglob('*.py'))]
    for path, code in sources:
        for module in sorted(top_level_imports(code)):
            top = module.split('.')[0]
            if top in sys.stdlib_module_names or top in ('__future__', SETTINGS['lib_name']) or top in declared | OPTIONAL: continue
            if top in DEV_TOOLS and path.suffix == '.ipynb' and not path.is_relative_to(LESSONS): continue
            problems.append(f"{path.relative_to(ROOT)} imports {top}, which is not in settings.ini's requirements"
                            + (" (a dev tool: Colab and a plain `pip install .` do not have it)" if top in DEV_TOOLS else ''))
    record('FAIL' if problems else 'PASS', 'every import is a declared requirement (a plain `pip install .` runs every lesson)',
           time.time() - start, '; '.join(problems))

def check_addresses():
    "No notebook or module writes the repository's address: badges and install cells are checked against settings.ini, anything else must read it."
    start, problems = time.time(), []
    owner_repo = SETTINGS['git_url'].rstrip('/').split('github.com/')[-1]
    host = SETTINGS['doc_host'].split('://')[-1].rstrip('/')
    address = re.compile(rf'(github\.com|githubusercontent\.com)/{re.escape(owner_repo)}\b|{re.escape(host)}', re.I)
    install_cell = colab_install_cell()
    for path in notebooks():
        relative = path.relative_to(ROOT).as_posix()
        for i, cell in enumerate(json.loads(path.read_text(encoding='utf-8'))['cells']):
            text = ''.join(cell['source']).replace(colab_url(relative), '').replace(install_cell, '')
            if address.search(text): problems.append(f"{relative} cell {i}: {address.search(text).group(0)} (build it from course_settings())")
    generated = {ROOT / SETTINGS['lib_path'] / '_modidx.py'}   # nbdev writes it from settings.ini
    for path in sorted((ROOT / SETTINGS['lib_path']).rglob('*.py')) + sorted((ROOT / 'tools').glob('*.py')):
        if path not in generated and (found := address.search(path.read_text(encoding='utf-8'))):
            problems.append(f"{path.relative_to(ROOT)}: {found.group(0)} (build it from course_settings())")
    record('FAIL' if problems else 'PASS', "the repository's address comes from settings.ini only", time.time() - start, '; '.join(problems))

def check_saved_outputs():
    "Committed notebooks carry outputs, no error outputs, and every lesson's metrics come from a full run."
    start, problems = time.time(), []
    for path in notebooks():
        nb, relative = json.loads(path.read_text(encoding='utf-8')), path.relative_to(ROOT).as_posix()
        code = [c for c in nb['cells'] if c['cell_type'] == 'code']
        if code and not any(c.get('outputs') for c in code): problems.append(f"{relative}: no saved outputs")
        if any(o.get('output_type') == 'error' for c in code for o in c.get('outputs', [])): problems.append(f"{relative}: saved outputs contain an error")
        if path.is_relative_to(LESSONS):
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
    run = subprocess.run([str(BIN / 'nbdev_test'), '--path', str(path)], cwd=ROOT / SETTINGS['nbs_path'], capture_output=True, text=True, env=env)
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
    absolute_data_env()   # relative to the folder the command was typed in; the tests run in other folders
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
    check_requirements()
    check_addresses()
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
