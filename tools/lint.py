#!/usr/bin/env python
"""The lesson lint: what a careful teacher checks in a lesson, as rules the test suite enforces.

    python tools/lint.py [NOTEBOOKS]   # default: every lesson and every exercises notebook
    python tools/lint.py --site [DIR]  # the built site (default _docs/) shows no passing self-check

Prints one line per finding, `notebook: cell N: [rule] what is wrong and how to fix it` (cells
counted from 0, as in the committed .ipynb), and exits 1 when there is any. Lessons are the
notebooks `nnnotes.cli.list_lessons` finds (settings.ini's `lessons_path`); exercises notebooks
are those with `#| default_exp exercises.<topic>`. Other notebooks are not linted.

A cell is *hidden* when it has `#| hide` or `#| include: false`, and its source alone is hidden
with `#| echo: false` (its output with `#| output: false`): what the site leaves out.

Lessons
  title            the first markdown cell opens with a `# ` title and, under it, the Russian title
                   as an italic line: `*Урок 1. ...*`.
  goal             a markdown cell with a bold **Goal** comes after the title,
  summary          then a markdown `## Summary` heading,
  exercises        then a markdown `## Exercises` heading (a missing or misplaced one is reported
                   at the cell of the next of these marks, or the last cell).
  comment-heading  no code cell has a markdown heading written as a comment (`# ## Summary`).
  comment-prose    no code cell has a block of 3 or more consecutive comment lines of prose. A
                   comment line is prose when its text has 3+ words, mostly words of letters, and
                   is not Python (`ast.parse` fails: commented-out code is not prose); `#|`
                   directives and bare `#` lines neither count nor break a block. Short code
                   comments (1-2 lines) are fine; longer explanations belong in markdown.
  long-output      no cell's stream output (stdout and stderr together) is longer than 15 lines.
  warning-output   no saved text output contains `WARNING`, `Traceback` or a `...Warning` name
                   (DeprecationWarning, UserWarning...), and no output is an error.
  quick-output     no output comes from a quick run: a `record_metrics` bundle with mode 'quick',
                   or a `mode  quick` line (`show_environment`, the metrics' text).
  prose-number     a percentage or decimal typed in markdown does not contradict a metric that
                   `record_metrics` saved in the same notebook: one within 0.5 points of a metric
                   must be a correct rounding of some metric; thresholds ("at least 98.5%"),
                   integers and code spans are left alone (details: `prose_number_findings`).
Lessons and exercises notebooks
  visible-test     a visible cell does not only test: when it has a fastcore `test_*` call and
                   otherwise only asserts, `from fastcore.test import` and bindings (assignments,
                   functions, imports) that no other cell uses, hide it or fold the tests into
                   the cell they test (a cell that also computes or shows what later cells use).
  visible-plumbing a visible cell is not plumbing: a cell that imports or calls nbdev, or (in a
                   lesson) an `#| export` cell of imports only; hide it (`#| hide` under `#| export`
                   keeps the export) and import what visible cells use in a visible cell. An
                   exercises page may show its import cell: it says where the checkers' helpers
                   come from.
  hidden-definition a visible cell uses no name (free variable, function, import) that only hidden
                   cells define: whoever reads the site must see where it comes from. Names bound
                   at module level in a visible cell anywhere in the notebook count as visible, so
                   a hidden import cell may repeat what a visible cell imports.
  passing-check    no visible cell shows a passing self-check: `test_eq(check_...(...), True)` or
                   `assert check_...(` in visible source; `All checks passed` (what
                   `exercise_report` prints) or a `True` result of a `check_` call in visible output.
Exercises notebooks (and warning-output above)
  checker-tests    every exported `check_*` function is tested in `#| hide` cells by one-line calls
                   of these forms (a trailing `: why` after the comment is allowed):
                     test_eq(check_x(...), True)
                     test_eq(check_x(..., other args), False)  # not attempted
                     test_eq(check_x(a wrong answer), False)  # wrong
                     test_eq(check_x(the lesson's own object), False)  # lesson's own
                   (the not-attempted call passes the placeholder `...` as one of its arguments).
The site (after `tools/docs.py build`)
  site-passing-check no page or copied source under _docs/ shows a passing self-check: what
                   `exercise_report` prints when all checks pass (a `✓` line, then `All checks
                   passed`; its own source code does not match), `test_eq(check_...(...), True)`
                   or `assert check_...(` (HTML tags and entities removed first, so highlighted
                   code is matched too).
"""
import argparse, ast, html, io, json, re, sys, time, tokenize
from collections import namedtuple
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path: sys.path.insert(0, str(ROOT))

Finding = namedtuple('Finding', 'notebook cell rule message')
PASS_TEXT = 'All checks passed'          # what `nnnotes.core.exercise_report` prints when a self-check passes
MAX_STREAM_LINES = 15
_re_directive = re.compile(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')
_re_warning = re.compile(r'\bWARNING\b|Traceback|\b[A-Z]\w*Warning\b')
_re_quick_line = re.compile(r'^\s*mode\s*:?\s+quick\s*$', re.M)
_re_comment_heading = re.compile(r'^\s*#\s*#{1,6}\s+\w')
_re_passing_source = re.compile(r'test_eq\(\s*check_\w+\(.*\)\s*,\s*True\s*\)|\bassert\s+check_\w+\(')
_re_checker_test = re.compile(r"^\s*test_eq\(\s*(check_\w+)\((.*)\)\s*,\s*(True|False)\s*\)\s*(?:#\s*(.*?))?\s*$")
_CHECKER_KINDS = {'right': 'test_eq({}(...), True)', 'not attempted': 'test_eq({}(...), False)  # not attempted',
                  'wrong': 'test_eq({}(...), False)  # wrong', "lesson's own": "test_eq({}(...), False)  # lesson's own"}


# ---------------------------------------------------------------- reading notebooks
def source(cell)->str:
    "A cell's source as one string."
    text = cell.get('source', '')
    return ''.join(text) if isinstance(text, list) else text

def directives(cell)->dict:
    "The cell's `#| name: value` directives, e.g. {'hide': '', 'export': ''}."
    found = {}
    for line in source(cell).splitlines():
        match = _re_directive.match(line)
        if match: found[match.group(1)] = match.group(2).lower()
    return found

def source_visible(cell)->bool:
    "Does the site show this cell's source?"
    d = directives(cell)
    return not ('hide' in d or d.get('include') == 'false' or d.get('echo') == 'false')

def output_visible(cell)->bool:
    "Does the site show this cell's outputs?"
    d = directives(cell)
    return not ('hide' in d or d.get('include') == 'false' or d.get('output') == 'false')

def output_texts(cell)->list:
    "Every text of a cell's saved outputs: streams, text/* data, error tracebacks."
    texts = []
    for output in cell.get('outputs', []):
        if output.get('output_type') == 'stream': texts.append(source({'source': output.get('text', '')}))
        elif output.get('output_type') == 'error':
            texts.append('Traceback: ' + output.get('ename', '') + ': ' + output.get('evalue', ''))
        for mime, value in output.get('data', {}).items():
            if mime.startswith('text/'): texts.append(source({'source': value}))
    return texts

def python(cell)->str:
    "The cell's source with IPython magics and shell lines (`%pip`, `!ls`) replaced by `pass`."
    return '\n'.join(re.sub(r'^(\s*)[%!].*$', r'\1pass', line) for line in source(cell).splitlines())

def parse(cell):
    "The cell's Python syntax tree, or None when it does not parse."
    try: return ast.parse(python(cell))
    except SyntaxError: return None

class _Names(ast.NodeVisitor):
    "Names a cell binds at module level (`top`), binds anywhere (`bound`) and reads (`used`)."
    def __init__(self): self.top, self.bound, self.used, self.depth = set(), set(), set(), 0
    def bind(self, name):
        self.bound.add(name)
        if self.depth == 0: self.top.add(name)
    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load): self.used.add(node.id)
        else: self.bind(node.id)
    def visit_Import(self, node):
        for alias in node.names: self.bind(alias.asname or alias.name.split('.')[0])
    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name != '*': self.bind(alias.asname or alias.name)
    def visit_ExceptHandler(self, node):
        if node.name: self.bind(node.name)
        self.generic_visit(node)
    def scope(self, node, name=None):
        if name: self.bind(name)
        self.depth += 1
        arguments = getattr(node, 'args', None)
        if isinstance(arguments, ast.arguments):
            for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs + [arguments.vararg, arguments.kwarg]:
                if arg: self.bound.add(arg.arg)
        self.generic_visit(node)
        self.depth -= 1
    def visit_FunctionDef(self, node): self.scope(node, node.name)
    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef
    def visit_Lambda(self, node): self.scope(node)
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_Lambda

def names(tree)->_Names:
    "What a parsed cell binds and reads."
    visitor = _Names()
    if tree is not None: visitor.visit(tree)
    return visitor

def notebook_kind(nb:dict, path:Path, lessons:set)->str|None:
    "'lesson', 'exercises' or None (not linted)."
    if path.resolve() in lessons: return 'lesson'
    for cell in nb['cells']:
        if cell['cell_type'] == 'code' and re.search(r'^\s*#\|\s*default_exp\s+exercises\.', source(cell), re.M): return 'exercises'
    return None


# ---------------------------------------------------------------- rules
def structure_findings(nb:dict)->list:
    "Rule 1: title with its Russian line, **Goal**, ## Summary, ## Exercises, in this order, as markdown."
    cells, found = nb['cells'], []
    markdown = [(i, source(c)) for i, c in enumerate(cells) if c['cell_type'] == 'markdown']
    if not markdown: return [(0, 'title', 'the notebook has no markdown cell: start it with a `# ` title cell.')]
    first, text = markdown[0]
    title = re.search(r'^# \S.*$', text, re.M)
    if not title or text[:title.start()].strip():
        found.append((first, 'title', 'the first markdown cell does not open with a `# ` title line.'))
    elif not re.search(r'^\*[^*\n]*[А-Яа-яЁё][^*\n]*\*\s*$', text[title.end():], re.M):
        found.append((first, 'title', 'no Russian title under the English one: add an italic line `*Урок N. ...*` to the title cell.'))
    marks = [('goal', r'\*\*Goal\b', 'a bold **Goal**'), ('summary', r'^##\s+Summary\s*$', 'a `## Summary` heading'),
             ('exercises', r'^##\s+Exercises\s*$', 'an `## Exercises` heading')]
    positions = {name: next(((i, m.start()) for i, t in markdown for m in [re.search(pattern, t, re.M)] if m), None)
                 for name, pattern, _ in marks}
    previous, previous_what = (first, 0), 'the title'
    for index, (name, _, what) in enumerate(marks):
        position = positions[name]
        if position is None or position < previous:
            later = [positions[n] for n, _, _ in marks[index + 1:] if positions[n] and positions[n] > previous]
            cell = position[0] if position else (min(later)[0] if later else len(cells) - 1)
            problem = 'no markdown cell has' if position is None else 'misplaced:'
            found.append((cell, name, f"{problem} {what} after {previous_what} (order: title, **Goal**, ## Summary, ## Exercises)."))
        else: previous, previous_what = position, what
    return found

def _is_prose(text:str)->bool:
    "Is this comment text a sentence rather than code? (3+ words, mostly words of letters, not valid Python)."
    words = text.split()
    if len(words) < 3 or sum(bool(re.match(r"^[^\W\d_][\w'’-]*[,.;:!?)]*$", w)) for w in words) * 2 < len(words): return False
    try: ast.parse(text)
    except SyntaxError: return True
    return False

def full_line_comments(cell)->list:
    "(line number, text) of every comment that fills its line (found with `tokenize`, so `#` inside strings is not one)."
    code = python(cell)
    try: tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [(n, line.strip()) for n, line in enumerate(code.splitlines(), 1) if line.strip().startswith('#')]
    return [(t.start[0], t.string) for t in tokens if t.type == tokenize.COMMENT and not t.line[:t.start[1]].strip()]

def comment_findings(cell)->list:
    "Rule 1: no markdown heading and no prose block written as `#` comments in a code cell."
    found, run, last = [], [], None
    def close():
        prose = [t for t in run if _is_prose(t)]
        if len(prose) >= 3:
            found.append(('comment-prose', f"{len(prose)} comment lines of prose (\"{prose[0][:50]}...\"): write them as a markdown cell."))
    for number, comment in full_line_comments(cell):
        if last is not None and number != last + 1: close(); run = []
        last = number
        if comment.startswith('#|'): continue
        if _re_comment_heading.match(comment):
            found.append(('comment-heading', f"the comment `{comment[:60]}` is a markdown heading: put it in a markdown cell."))
        text = comment.lstrip('#').strip()
        if text: run.append(text)
    close()
    return found

def output_findings(cell)->list:
    "Rule 2: short streams, no warnings or tracebacks, nothing from a quick run."
    from nnnotes.core import METRICS_MIME
    found = []
    stream = ''.join(source({'source': o.get('text', '')}) for o in cell.get('outputs', []) if o.get('output_type') == 'stream')
    lines = stream.split('\n')
    if lines[-1] == '': lines.pop()
    if len(lines) > MAX_STREAM_LINES:
        found.append(('long-output', f"{len(lines)} lines of printed output (at most {MAX_STREAM_LINES}): plot it, summarise it "
                      "or pass verbose=0."))
    for text in output_texts(cell):
        match = _re_warning.search(text)
        if match:
            line = next(l for l in text.splitlines() if match.group(0) in l)
            found.append(('warning-output', f"saved output contains `{line.strip()[:90]}`: fix or silence its cause and re-run."))
            break
    quick = any((o.get('data', {}).get(METRICS_MIME) or {}).get('mode') == 'quick' for o in cell.get('outputs', []))
    if quick or any(_re_quick_line.search(text) for text in output_texts(cell)):
        found.append(('quick-output', 'saved output comes from a quick run: re-run the lesson in full (`nnnotes run N --inplace`).'))
    return found

def _statement_kind(statement, used_elsewhere:set)->int:
    """1 for a fastcore `test_*` call; 0 for what a test cell may also hold (an assert, a fastcore.test import, an
    assignment, function or import whose names no other cell uses); -1 for anything else."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ''
        if re.match(r'^test(_\w+)?$', name): return 1
    if isinstance(statement, ast.Assert): return 0
    if isinstance(statement, ast.ImportFrom) and (statement.module or '').startswith('fastcore.test'): return 0
    if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.FunctionDef, ast.Import, ast.ImportFrom)):
        return 0 if not (names(ast.Module(body=[statement], type_ignores=[])).top & used_elsewhere) else -1
    return -1

def visibility_findings(nb:dict, kind:str='lesson')->list:
    """Rule 3: test-only and plumbing cells are hidden; visible cells need nothing that only hidden cells define.
    (In exercises notebooks the `#| export` import cell may stay visible: it shows where the checkers' helpers come from.)"""
    found, visible_top, hidden_top, parsed = [], set(), {}, []
    for index, cell in enumerate(nb['cells']):
        if cell['cell_type'] != 'code': continue
        tree = parse(cell)
        parsed.append((index, cell, tree, names(tree)))
    for index, cell, tree, cell_names in parsed:
        if source_visible(cell): visible_top |= cell_names.top
        else:
            for name in cell_names.top: hidden_top.setdefault(name, index)
    for index, cell, tree, cell_names in parsed:
        if not source_visible(cell) or tree is None: continue
        used_elsewhere = set().union(*[other.used for i, _, _, other in parsed if i != index])
        kinds = [_statement_kind(statement, used_elsewhere) for statement in tree.body]
        if 1 in kinds and -1 not in kinds:
            found.append((index, 'visible-test', 'this cell only tests: add `#| hide` or fold the tests into the cell they test.'))
        exported = {'export', 'exporti', 'exports'} & set(directives(cell))
        if kind == 'lesson' and exported and tree.body and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in tree.body):
            found.append((index, 'visible-plumbing', 'an `#| export` cell of imports only is plumbing: add `#| hide` under `#| export` '
                          '(and import in a visible cell what visible cells use).'))
        elif re.search(r'^\s*(import|from)\s+nbdev\b|\bnbdev\.|\bnbdev_\w+\(', source(cell), re.M):
            found.append((index, 'visible-plumbing', 'nbdev plumbing in plain view: add `#| hide`.'))
        missing = sorted((cell_names.used - cell_names.bound) & set(hidden_top) - visible_top)
        if missing:
            where = ', '.join(f"`{name}` (hidden cell {hidden_top[name]})" for name in missing)
            found.append((index, 'hidden-definition', f"uses {where}, defined only in hidden cells: define or import it in a visible cell."))
    return found

def passing_check_findings(nb:dict)->list:
    "Rule 4: no visible cell shows a passing self-check."
    found = []
    for index, cell in enumerate(nb['cells']):
        if cell['cell_type'] != 'code': continue
        text = source(cell)
        match = _re_passing_source.search(text) if source_visible(cell) else None
        if match: found.append((index, 'passing-check', f"`{match.group(0)[:70]}` shows an answer key: move it to a `#| hide` cell."))
        elif output_visible(cell):
            results = [source({'source': o['data'].get('text/plain', '')}).strip() for o in cell.get('outputs', [])
                       if o.get('output_type') == 'execute_result']
            if any(PASS_TEXT in t for t in output_texts(cell)) or ('True' in results and re.search(r'\bcheck_\w+\(', text)):
                found.append((index, 'passing-check', 'the saved output shows a self-check passing: show only how a check is '
                              'called and its hints for a missing or wrong answer, or hide the cell.'))
    return found

def checker_findings(nb:dict)->list:
    "Rule 4: every exported `check_*` is tested, in hidden cells, right, not attempted, wrong and with the lesson's own object."
    checkers, tested = {}, {}
    for index, cell in enumerate(nb['cells']):
        if cell['cell_type'] != 'code': continue
        if {'export', 'exporti', 'exports'} & set(directives(cell)):
            tree = parse(cell)
            for statement in (tree.body if tree else []):
                if isinstance(statement, ast.FunctionDef) and statement.name.startswith('check_'): checkers[statement.name] = index
        if 'hide' not in directives(cell): continue
        for line in source(cell).splitlines():
            match = _re_checker_test.match(line)
            if not match: continue
            name, arguments, result, comment = match.group(1), match.group(2), match.group(3), (match.group(4) or '').lower()
            comment = comment.replace('’', "'")
            if result == 'True': kind = 'right'
            else: kind = next((k for k in ('not attempted', 'wrong', "lesson's own") if re.match(rf"{k}\b", comment)), None)
            if kind == 'not attempted' and not re.search(r'(^|,)\s*\.\.\.\s*(,|$)', arguments): kind = None
            if kind: tested.setdefault(name, set()).add(kind)
    found = []
    for name, index in checkers.items():
        missing = [form.format(name) for kind, form in _CHECKER_KINDS.items() if kind not in tested.get(name, set())]
        if missing:
            found.append((index, 'checker-tests', f"`{name}` lacks hidden (`#| hide`) tests of the form: " + '; '.join(missing)))
    return found


# ---------------------------------------------------------------- rule 5: numbers in prose
_THRESHOLD = re.compile(r'(?<!\w)(at least|at most|above|below|over|under|beats?|beating|exceed(?:s|ed)?|(?:first|to|until \w+) reach(?:es|ed)?|more than|less than|'
                        r'fewer than|better than|worse than|up to|bar|target|threshold|≥|≤|>=|<=|(?<!-)>|<(?!-))\W+(?:[\w.,%-]+\W+){0,2}$', re.I)
_NUMBER = re.compile(r'(?<![\w.,])(\d+\.\d+|\d+)(\s?%)?(?![\w.]\d|\d)')

def prose_numbers(text:str)->list:
    "(value, decimals, is_percentage) of each number typed in markdown, leaving out code, links, thresholds and integers that are not percentages."
    text = re.sub(r'```.*?```|`[^`\n]*`|\]\([^)]*\)', ' ', text, flags=re.S)
    found = []
    for match in _NUMBER.finditer(text):
        number, percent = match.group(1), bool(match.group(2))
        decimals = len(number.split('.')[1]) if '.' in number else 0
        if not percent and not decimals: continue
        if _THRESHOLD.search(text[max(0, match.start() - 40):match.start()]): continue
        found.append((float(number), decimals, percent))
    return found

def prose_number_findings(nb:dict)->list:
    """Rule 5: a number typed in prose that is close to a recorded metric must be that metric, rounded.

    Only numbers that contradict a metric are flagged, so ordinary constants pass: a percentage p
    (with k decimals) is compared with 100 x every recorded float metric in [0, 1] whose name does
    not contain 'loss', a decimal d (k >= 1) with every recorded float metric v. It is a mismatch
    when it is near some metric (within 0.5 percentage points, or 0.005 x max(1, |v|) for a
    decimal) and is not a correct rounding (to k decimals) of any metric: 98.3% next to a recorded
    0.9837 is flagged, 98.4%, 98% and 98.37% are not. Numbers after a threshold word (at least,
    above, beat, exceed, first/to reach, bar, ≥...) are thresholds, not results, and are left alone; so are integers
    without %, and numbers in code spans and link targets. A number that matches is allowed: the
    lint re-reads the metrics on every run, so a re-run that changes a metric makes it fail until
    the prose follows (better still, show such numbers with `display(Markdown(f'...'))`)."""
    from nnnotes.core import read_metrics
    metrics = {name: value for name, value in read_metrics(nb).items() if isinstance(value, float)}
    if not metrics: return []
    found = []
    for index, cell in enumerate(nb['cells']):
        if cell['cell_type'] != 'markdown': continue
        for value, decimals, percent in prose_numbers(source(cell)):
            exact = 0.5 * 10 ** -decimals + 1e-9
            if percent:
                candidates = {name: 100 * v for name, v in metrics.items() if 0 <= v <= 1 and 'loss' not in name}
                near = {name: v for name, v in candidates.items() if abs(value - v) <= 0.5}
            else:
                candidates = metrics
                near = {name: v for name, v in candidates.items() if abs(value - v) <= 0.005 * max(1, abs(v))}
            if near and not any(abs(value - v) <= exact for v in candidates.values()):
                name, v = min(near.items(), key=lambda item: abs(value - item[1]))
                typed = f"{value:.{decimals}f}" + ('%' if percent else '')
                recorded = f"{v:.{decimals}f}" + ('%' if percent else '')
                found.append((index, 'prose-number', f"prose says {typed}, the recorded metric `{name}` is {recorded}: read it from the "
                              "metric (or say why it differs)."))
    return found


# ---------------------------------------------------------------- running the rules
def lint_notebook(path:str|Path, kind:str)->list:
    "All findings for one notebook of `kind` ('lesson' or 'exercises')."
    path = Path(path)
    nb = json.loads(path.read_text(encoding='utf-8'))
    found = []
    if kind == 'lesson':
        found += structure_findings(nb)
        for index, cell in enumerate(nb['cells']):
            if cell['cell_type'] != 'code': continue
            found += [(index, rule, message) for rule, message in comment_findings(cell) + output_findings(cell)]
        found += prose_number_findings(nb)
    else:
        found += [(i, rule, message) for i, c in enumerate(nb['cells']) if c['cell_type'] == 'code'
                  for rule, message in output_findings(c) if rule == 'warning-output']
        found += checker_findings(nb)
    found += visibility_findings(nb, kind) + passing_check_findings(nb)
    try: name = path.resolve().relative_to(ROOT).as_posix()
    except ValueError: name = str(path)
    return sorted(Finding(name, cell, rule, message) for cell, rule, message in found)

def lessons(root:Path=ROOT)->list:
    "The lesson notebooks (settings.ini's `lessons_path`), as the CLI finds them."
    from nnnotes.cli import list_lessons
    return [Path(lesson['path']).resolve() for lesson in list_lessons(root)]

def lint(paths:list|None=None, root:Path=ROOT)->list:
    "Findings for `paths` (default: every notebook under nbs/); only lessons and exercises notebooks are linted."
    lesson_paths, chosen = set(lessons(root)), bool(paths)
    if chosen: paths = [Path(p) for p in paths]
    else: paths = [p for p in sorted((root / 'nbs').rglob('*.ipynb')) if not any(part.startswith(('_', '.')) for part in p.relative_to(root).parts)]
    found = []
    for path in paths:
        kind = notebook_kind(json.loads(path.read_text(encoding='utf-8')), path, lesson_paths)
        if kind: found += lint_notebook(path, kind)
        elif chosen: print(f"note: {path} is neither a lesson nor an exercises notebook: not linted", file=sys.stderr)
    return found

_re_passing_report = re.compile(rf'✓[^\n]*\n\s*{re.escape(PASS_TEXT)}')

def site_text(path:Path)->str:
    "The text a reader of the site can see in a built file: HTML without tags and entities, a notebook's sources and outputs."
    raw = path.read_text(encoding='utf-8', errors='replace')
    if path.suffix == '.html': return html.unescape(re.sub(r'<[^>]+>', '', raw))
    if path.name.endswith('.ipynb') or path.name.endswith('.ipynb.txt'):
        try: cells = json.loads(raw)['cells']
        except (ValueError, KeyError): return raw
        return '\n'.join(source(cell) + '\n' + '\n'.join(output_texts(cell)) for cell in cells)
    return raw

def check_site(docs:str|Path=ROOT / '_docs')->list:
    "Findings for the built site: a page (or copied source) that shows a passing self-check."
    docs, found = Path(docs), []
    if not docs.is_dir(): return [Finding(str(docs), None, 'site-passing-check', 'no built site here: run `python tools/docs.py build` first.')]
    for path in sorted(docs.rglob('*')):
        if not path.is_file() or path.suffix not in {'.html', '.txt', '.ipynb', '.md'}: continue
        text = site_text(path)
        match = _re_passing_source.search(text) or _re_passing_report.search(text)
        if match:
            shown = ' '.join(match.group(0).split())[:80]
            found.append(Finding(path.relative_to(docs).as_posix(), None, 'site-passing-check',
                                 f"shows `{shown}`: a passing self-check is an answer key; hide the cell that shows it (`#| hide`)."))
    return found

def format_finding(finding:Finding)->str:
    "`notebook: cell N: [rule] message` (no cell for a site page)."
    where = f"{finding.notebook}: cell {finding.cell}" if finding.cell is not None else finding.notebook
    return f"{where}: [{finding.rule}] {finding.message}"

def main(argv=None)->int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('notebooks', nargs='*', help='notebooks to lint (default: every lesson and exercises notebook)')
    parser.add_argument('--site', nargs='?', const=str(ROOT / '_docs'), help='check the built site instead (default _docs/)')
    args = parser.parse_args(argv)
    start = time.time()
    found = check_site(args.site) if args.site else lint(args.notebooks)
    for finding in found: print(format_finding(finding))
    print(f"{len(found)} finding(s) in {time.time() - start:.1f} s", file=sys.stderr)
    return 1 if found else 0

if __name__ == '__main__':
    sys.exit(main())
