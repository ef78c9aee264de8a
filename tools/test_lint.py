"""Tests of the lesson lint (tools/lint.py): each rule fails on a small broken notebook, built here in code, and
the clean examples pass. Run with `python tools/test_lint.py` (stdlib unittest; tools/test.py runs it as one check)."""
import contextlib, copy, io, json, subprocess, sys, tempfile, unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lint
from nnnotes.core import METRICS_MIME, exercise_report

def md(text): return {'cell_type': 'markdown', 'metadata': {}, 'source': text}
def code(text, *outputs): return {'cell_type': 'code', 'execution_count': None, 'metadata': {}, 'outputs': list(outputs), 'source': text}
def stream(text, name='stdout'): return {'output_type': 'stream', 'name': name, 'text': text}
def result(text): return {'output_type': 'execute_result', 'execution_count': 1, 'metadata': {}, 'data': {'text/plain': text}}
def metrics(mode='full', **values):
    values = dict(values, mode=mode)
    return {'output_type': 'display_data', 'metadata': {},
            'data': {METRICS_MIME: values, 'text/plain': '\n'.join(f'{k}: {v}' for k, v in values.items())}}

def lesson_cells():
    "A tiny lesson that follows every rule; each test breaks one thing."
    return [
        md('# Lesson 9. An example\n\n*Урок 9. Пример*\n\n**Goal.** Learn to double numbers.'),      # 0
        code('#| hide\nimport sys'),                                                                  # 1
        code('#| export\n#| hide\nimport numpy as np'),                                               # 2
        code('import numpy as np\nfrom fastcore.test import test_eq'),                                # 3
        code('#| export\ndef double(x):\n    "Twice x."\n    return np.multiply(2, x)'),              # 4
        code('# one short code comment\ntest_eq(double(2), 4)\ndouble(3)', result('6')),              # 5
        code('#| hide\ntest_eq(double(0), 0)\ntoy = 1\ntest_eq(double(toy), 2)'),                     # 6
        code('accuracy = 0.9837\nrecord_metrics(test_accuracy=accuracy)', metrics(test_accuracy=0.9837, epochs=10)),  # 7
        md('The network reaches 98.37% (98.4%, about 98%) on the test set; the bar is at least 98.5%. '
           'Dropout 0.5 and a learning rate of 0.001, `Dense(0.9812)`.'),                             # 8
        code('for i in range(10): print(i)', stream(''.join(f'{i}\n' for i in range(10)))),            # 9
        md('## Summary\n\n- Doubling is easy.'),                                                      # 10
        md('## Exercises\n\n**Exercise 1.** Double 21.'),                                             # 11
        code('answer = ...\ncheck_double(answer)', stream('Exercise 1\n  … not attempted yet\n'), result('False')),  # 12
    ]

def exercises_cells():
    "A tiny exercises notebook that follows every rule."
    return [
        md('# Self-checks for lesson 9'),                                                             # 0
        code('#| default_exp exercises.example'),                                                     # 1
        code('#| export\nfrom nnnotes.core import exercise_report, not_attempted'),                   # 2
        code('#| hide\nfrom fastcore.test import test_eq'),                                           # 3
        code('#| export\ndef check_double(answer):\n    "Check Exercise 1."\n    if not_attempted(answer, "Exercise 1"): return False\n'
             '    return exercise_report("Exercise 1", [(answer == 42, "the answer is 2 x 21", "double it.")])'),  # 4
        code('check_double(40)', stream('Exercise 1\n  ✗ the answer is 2 x 21\n      hint: double it.\n  Not yet\n'), result('False')),  # 5
        code('#| hide\ntest_eq(check_double(42), True)\ntest_eq(check_double(...), False)  # not attempted\n'
             'test_eq(check_double(40), False)  # wrong: off by two\ntest_eq(check_double(21), False)  # lesson\'s own'),  # 6
    ]

def notebook(cells):
    return {'cells': cells, 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}

class LintTest(unittest.TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix='nnnotes-lint-'))

    def found(self, cells, kind='lesson'):
        "(cell, rule) of every finding for a notebook made of `cells`."
        path = self.folder / f'{kind}.ipynb'
        path.write_text(json.dumps(notebook(cells)), encoding='utf-8')
        return [(f.cell, f.rule) for f in lint.lint_notebook(path, kind)]

    def assertOnly(self, cells, *expected, kind='lesson'):
        self.assertEqual(sorted(self.found(cells, kind)), sorted(expected))

    # the clean examples
    def test_clean_lesson_passes(self): self.assertOnly(lesson_cells())
    def test_clean_exercises_pass(self): self.assertOnly(exercises_cells(), kind='exercises')

    # rule 1: structure
    def test_title_needs_russian_line(self):
        cells = lesson_cells(); cells[0]['source'] = '# Lesson 9. An example\n\n**Goal.** Learn.'
        self.assertOnly(cells, (0, 'title'))
    def test_title_needs_heading(self):
        cells = lesson_cells(); cells[0]['source'] = 'Lesson 9\n\n*Урок 9. Пример*\n\n**Goal.** Learn.'
        self.assertOnly(cells, (0, 'title'))
    def test_goal_missing(self):
        cells = lesson_cells(); cells[0]['source'] = '# Lesson 9. An example\n\n*Урок 9. Пример*'
        self.assertOnly(cells, (10, 'goal'))
    def test_summary_missing(self):
        cells = lesson_cells(); cells[10] = md('Doubling is easy.')
        self.assertOnly(cells, (11, 'summary'))
    def test_exercises_before_summary(self):
        cells = lesson_cells(); cells[10], cells[11] = cells[11], cells[10]
        self.assertOnly(cells, (10, 'exercises'))
    def test_comment_heading(self):
        cells = lesson_cells(); cells[9]['source'] = 'for i in range(10): print(i)\n#\n# ## Summary'
        self.assertOnly(cells, (9, 'comment-heading'))
    def test_comment_prose(self):
        cells = lesson_cells()
        cells[9]['source'] = ('# The network learns its weights from the data.\n# Each epoch is one pass over the training set.\n'
                              '#\n# We stop when the validation loss rises.\nfor i in range(10): print(i)')
        self.assertOnly(cells, (9, 'comment-prose'))
    def test_commented_code_and_short_comments_are_not_prose(self):
        cells = lesson_cells()
        cells[9]['source'] = ('# x = double(1)\n# y = double(x) + 1\n# print(x, y)\n\n# Two lines of a code comment:\n'
                              '# they explain the loop below.\nfor i in range(10): print(i)  # and a trailing comment\n'
                              's = """\n## not a comment, a string\n"""')
        self.assertOnly(cells)

    # rule 2: saved outputs
    def test_long_stream(self):
        cells = lesson_cells(); cells[9]['outputs'] = [stream(f'epoch {i}\n') for i in range(16)]
        self.assertOnly(cells, (9, 'long-output'))
    def test_fifteen_lines_are_fine(self):
        cells = lesson_cells(); cells[9]['outputs'] = [stream(''.join(f'epoch {i}\n' for i in range(15)))]
        self.assertOnly(cells)
    def test_warning_in_stream(self):
        cells = lesson_cells(); cells[9]['outputs'] = [stream('WARNING:tensorflow:5 out of the last 5 calls triggered retracing\n', 'stderr')]
        self.assertOnly(cells, (9, 'warning-output'))
    def test_deprecation_warning_in_result(self):
        cells = lesson_cells(); cells[5]['outputs'] = [result('DeprecationWarning: old API\n6')]
        self.assertOnly(cells, (5, 'warning-output'))
    def test_error_output(self):
        cells = lesson_cells()
        cells[5]['outputs'] = [{'output_type': 'error', 'ename': 'ValueError', 'evalue': 'bad', 'traceback': []}]
        self.assertOnly(cells, (5, 'warning-output'))
    def test_quick_metrics(self):
        cells = lesson_cells(); cells[7]['outputs'] = [metrics('quick', test_accuracy=0.9837)]
        self.assertOnly(cells, (7, 'quick-output'))
    def test_quick_environment(self):
        cells = lesson_cells(); cells[9]['outputs'] = [stream('python   3.11\nmode           quick\n')]
        self.assertOnly(cells, (9, 'quick-output'))

    # rule 3: hidden plumbing and tests, nothing hidden that a visible cell needs
    def test_visible_test_cell(self):
        cells = lesson_cells(); cells[6]['source'] = cells[6]['source'].replace('#| hide\n', '')
        self.assertOnly(cells, (6, 'visible-test'))
    def test_visible_export_imports(self):
        cells = lesson_cells(); cells[2]['source'] = '#| export\nimport numpy as np'
        self.assertOnly(cells, (2, 'visible-plumbing'))
    def test_visible_nbdev_call(self):
        cells = lesson_cells() + [code('import nbdev; nbdev.nbdev_export()')]
        self.assertOnly(cells, (13, 'visible-plumbing'))
    def test_name_defined_only_in_hidden_cell(self):
        cells = lesson_cells(); cells[3]['source'] = 'from fastcore.test import test_eq'
        self.assertOnly(cells, (4, 'hidden-definition'))
    def test_hidden_test_helper(self):
        cells = lesson_cells(); cells[3]['source'] = 'import numpy as np'; cells[1]['source'] = '#| hide\nfrom fastcore.test import test_eq'
        self.assertOnly(cells, (5, 'hidden-definition'))

    # rule 4: self-checks
    def test_passing_report_in_lesson(self):
        cells = lesson_cells(); cells[12]['outputs'] = [stream('Exercise 1\n  ✓ the answer is 2 x 21\n  All checks passed. Well done!\n'), result('True')]
        self.assertOnly(cells, (12, 'passing-check'))
    def test_true_result_of_a_check(self):
        cells = lesson_cells(); cells[12]['outputs'] = [result('True')]
        self.assertOnly(cells, (12, 'passing-check'))
    def test_checker_without_wrong_answer_test(self):
        cells = exercises_cells(); cells[6]['source'] = cells[6]['source'].replace('  # wrong: off by two', '')
        self.assertOnly(cells, (4, 'checker-tests'), kind='exercises')
    def test_not_attempted_needs_the_placeholder(self):
        cells = exercises_cells(); cells[6]['source'] = cells[6]['source'].replace('check_double(...)', 'check_double(None)')
        self.assertOnly(cells, (4, 'checker-tests'), kind='exercises')
    def test_checker_tests_in_visible_cell(self):
        cells = exercises_cells(); cells[6]['source'] = cells[6]['source'].replace('#| hide\n', '')
        self.assertOnly(cells, (4, 'checker-tests'), (6, 'hidden-definition'), (6, 'passing-check'), (6, 'visible-test'), kind='exercises')
    def test_passing_call_shown_in_exercises(self):
        cells = exercises_cells(); cells[5] = code('check_double(42)', stream('Exercise 1\n  ✓ ok\n  All checks passed. Well done!\n'))
        self.assertOnly(cells, (5, 'passing-check'), kind='exercises')

    # rule 5: numbers in prose against recorded metrics
    def test_percentage_contradicts_metric(self):
        cells = lesson_cells(); cells[8]['source'] = 'The network reaches 98.3% on the test set.'
        self.assertOnly(cells, (8, 'prose-number'))
    def test_arrow_is_not_a_threshold(self):
        cells = lesson_cells(); cells[8]['source'] = 'Moreover, accuracy moves 0.9700 -> 0.9850.'
        self.assertOnly(cells, (8, 'prose-number'))
    def test_decimal_contradicts_metric(self):
        cells = lesson_cells(); cells[8]['source'] = 'Test accuracy 0.9850, no better than chance would say.'
        self.assertOnly(cells, (8, 'prose-number'))
    def test_rendered_markdown_is_not_typed_prose(self):
        cells = lesson_cells()
        cells[7]['outputs'].append({'output_type': 'display_data', 'metadata': {}, 'data': {'text/markdown': 'Target **98.30%**.'}})
        self.assertOnly(cells)
    def test_thresholds_and_constants_are_not_results(self):
        cells = lesson_cells()
        cells[8]['source'] = ('Beat 98.3% or reach at least 98.31% test accuracy; train until it is above 98.2%, see when it first reaches 98.1%. '
                              'A 0.98 dropout, 10 epochs, 98 images, version 0.98.3.')
        self.assertOnly(cells)

    # the site (issue 17)
    def test_site(self):
        docs = self.folder / '_docs'; (docs / 'exercises').mkdir(parents=True)
        (docs / 'index.html').write_text('<p>All checks are explained here.</p>', encoding='utf-8')
        (docs / 'core.html').write_text("<pre>print(&#39;  All checks passed. Well done!&#39; if passed else &#39;Not yet&#39;)</pre>", encoding='utf-8')
        self.assertEqual(lint.check_site(docs), [])
        (docs / 'exercises' / 'a.html').write_text('<span class="n">test_eq</span><span class="p">(</span><span class="n">check_double'
                                                   '</span><span class="p">(</span>42<span class="p">),</span> <span class="kc">True</span>)', encoding='utf-8')
        (docs / 'exercises' / 'b.html').write_text('<pre>Exercise 1\n  ✓ the answer is 2 x 21\n  All checks passed. Well done!\n</pre>', encoding='utf-8')
        self.assertEqual([(f.notebook, f.rule) for f in lint.check_site(docs)],
                         [('exercises/a.html', 'site-passing-check'), ('exercises/b.html', 'site-passing-check')])

    def test_site_check_knows_what_exercise_report_prints(self):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed): self.assertTrue(exercise_report('Exercise 1', [(True, 'right', '')]))
        self.assertRegex(printed.getvalue(), lint._re_passing_report)

    # which notebooks are linted, and as what
    def test_kinds_from_settings(self):
        (self.folder / 'settings.ini').write_text('[DEFAULT]\nlessons_path = nbs/lessons\n', encoding='utf-8')
        lesson, exercises = lesson_cells(), exercises_cells()
        lesson[0]['source'] = '# Lesson 9. An example\n\n**Goal.** Learn.'
        exercises[6]['source'] = exercises[6]['source'].replace('  # wrong: off by two', '')
        for relative, cells in [('nbs/lessons/09_example.ipynb', lesson), ('nbs/exercises/09_checks.ipynb', exercises),
                                ('nbs/00_library.ipynb', [code('import nbdev')])]:
            (self.folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / relative).write_text(json.dumps(notebook(cells)), encoding='utf-8')
        self.assertEqual([(Path(f.notebook).name, f.cell, f.rule) for f in lint.lint(root=self.folder)],
                         [('09_checks.ipynb', 4, 'checker-tests'), ('09_example.ipynb', 0, 'title')])

    # the command line
    def test_command_line(self):
        path = self.folder / 'exercises.ipynb'
        path.write_text(json.dumps(notebook(exercises_cells())), encoding='utf-8')
        clean = subprocess.run([sys.executable, str(Path(lint.__file__)), str(path)], capture_output=True, text=True)
        self.assertEqual((clean.returncode, clean.stdout), (0, ''))
        cells = exercises_cells(); cells[6]['source'] = cells[6]['source'].replace("  # lesson's own", '')
        path.write_text(json.dumps(notebook(cells)), encoding='utf-8')
        broken = subprocess.run([sys.executable, str(Path(lint.__file__)), str(path)], capture_output=True, text=True)
        self.assertEqual(broken.returncode, 1)
        self.assertTrue(broken.stdout.startswith(f'{path}: cell 4: [checker-tests] `check_double` lacks'), broken.stdout)

if __name__ == '__main__':
    unittest.main()
