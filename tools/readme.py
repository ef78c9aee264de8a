"""Render README.md from nbs/index.ipynb (the course home page), or check that it is up to date.

    python tools/readme.py          # write README.md
    python tools/readme.py --check  # exit 1 if README.md differs from what index.ipynb gives
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICE = '<!-- Generated from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file. -->\n\n'

def render_readme() -> str:
    "README text: the markdown cells of nbs/index.ipynb, with links made relative to the repository root."
    cells = json.loads((ROOT / 'nbs' / 'index.ipynb').read_text(encoding='utf-8'))['cells']
    parts = []
    for cell in cells:
        if cell['cell_type'] != 'markdown': continue
        text = ''.join(cell['source']).strip()
        text = re.sub(r'\]\((?!https?:|#)([^)]+\.ipynb)\)', r'](nbs/\1)', text)
        parts.append(text)
    return NOTICE + '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    text, readme = render_readme(), ROOT / 'README.md'
    if '--check' in sys.argv:
        if readme.read_text(encoding='utf-8') != text:
            print('README.md is out of date: run `python tools/readme.py` (it is generated from nbs/index.ipynb).')
            sys.exit(1)
        print('README.md matches nbs/index.ipynb')
    else:
        readme.write_text(text, encoding='utf-8'); print(f'wrote {readme}')
