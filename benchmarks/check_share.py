"""The share of each module's statements that are argument checks: `python benchmarks/check_share.py [DIR]`.

Counted on the syntax tree, so the figures do not depend on how the code is laid out on lines. A check is: an
`if` whose body only raises (the `if` and its `raise` count once), a `raise` elsewhere, an `except` clause that
raises, or any statement inside a function whose name starts with `check` or `_check`. Docstrings are not
statements. It is a mechanical count, for comparing two versions of the package side by side (give the folder of
the other version as DIR)."""

import ast, sys
from pathlib import Path


def _is_docstring(node) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def count(tree) -> tuple:
    "(check statements, all statements) of a module's syntax tree."
    checks = total = 0

    def visit(node, in_check=False):
        nonlocal checks, total
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt) and not _is_docstring(child):
                is_guard = (
                    isinstance(child, ast.If)
                    and not child.orelse
                    and child.body
                    and all(isinstance(b, ast.Raise) for b in child.body)
                )
                total += 1
                if in_check or is_guard or isinstance(child, ast.Raise):
                    checks += 1
                if is_guard:
                    continue  # its raise is part of it
                named_check = isinstance(
                    child, (ast.FunctionDef, ast.AsyncFunctionDef)
                ) and child.name.lstrip('_').startswith('check')
                visit(child, in_check or named_check)
            elif isinstance(child, ast.ExceptHandler) and any(
                isinstance(b, ast.Raise) for b in child.body
            ):
                total += 1
                checks += 1
                visit(child, True)
            else:
                visit(child, in_check)

    visit(tree)
    return checks, total


if __name__ == '__main__':
    root = Path(
        sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / 'ddpm_course'
    )
    rows = [
        (p.stem, *count(ast.parse(p.read_text(encoding='utf-8'))))
        for p in sorted(root.glob('*.py'))
        if not p.name.startswith('_')
    ]
    print(f"{'module':<12}{'checks':>8}{'statements':>12}{'share':>8}")
    for name, c, n in rows:
        print(f"{name:<12}{c:>8}{n:>12}{c / max(n, 1):>8.0%}")
    c, n = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"{'all':<12}{c:>8}{n:>12}{c / n:>8.0%}")
