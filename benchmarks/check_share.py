"""The share of each module's code lines that are argument checks: `python benchmarks/check_share.py [PACKAGE_DIR]`.

A check line is a line of: an `if` whose body only raises (condition and raise), a `raise` of an error, an `except`
clause that raises, or a function whose name starts with `check`/`_check`. Code lines exclude blanks, comments and
docstrings. It is a rough, mechanical count, for comparing two versions of the package side by side."""
import ast, sys
from pathlib import Path

def code_lines(src:str, tree) -> set:
    "Line numbers holding code: not blank, not a comment, not a docstring."
    doc = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                doc |= set(range(first.lineno, first.end_lineno + 1))
    lines = src.splitlines()
    return {i for i, l in enumerate(lines, 1) if l.strip() and not l.strip().startswith('#') and i not in doc}

def check_lines(tree) -> set:
    "Line numbers that belong to checks (see the module docstring)."
    out = set()
    span = lambda n: set(range(n.lineno, n.end_lineno + 1))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and node.body and all(isinstance(b, ast.Raise) for b in node.body) and not node.orelse:
            out |= span(node)
        elif isinstance(node, ast.Raise): out |= span(node)
        elif isinstance(node, ast.ExceptHandler) and any(isinstance(b, ast.Raise) for b in node.body): out |= span(node)
        elif isinstance(node, ast.FunctionDef) and node.name.lstrip('_').startswith('check'): out |= span(node)
    return out

def share(path:Path) -> tuple:
    src = path.read_text(encoding='utf-8'); tree = ast.parse(src)
    code = code_lines(src, tree)
    return len(code & check_lines(tree)), len(code)

if __name__ == '__main__':
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent/'ddpm_course')
    total = [0, 0]
    print(f"{'module':<16}{'check lines':>12}{'code lines':>12}{'share':>8}")
    for p in sorted(root.glob('*.py')):
        if p.name.startswith('_'): continue
        c, n = share(p); total[0] += c; total[1] += n
        print(f"{p.stem:<16}{c:>12}{n:>12}{c / max(n, 1):>8.0%}")
    print(f"{'all':<16}{total[0]:>12}{total[1]:>12}{total[0] / total[1]:>8.0%}")
